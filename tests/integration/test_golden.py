"""Golden pages: what one page of each kind says, built from the example as of 2026-11-22.

Only the page's ``<article ...>...</article>`` is compared: what the page says, not Material's
navigation around it. After a deliberate change to a page, rewrite the goldens with
``UPDATE_GOLDEN=1 python -m pytest tests/integration/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import os

import pytest

from .conftest import REPO, Build, read_article

GOLDEN = REPO / "tests" / "golden"

PAGES = {
    "action": "actions/act-005.html",        # extended three times, escalated, overdue, measures
    "source": "sources/src-001.html",         # two actions, found again later (repeat finding)
    "evidence": "evidence/ev-005.html",       # an attachment; closed an action that was not effective
    "meeting": "meetings/mtg-2026-06.html",   # actions agreed and actions closed
    "service": "services/riverside-homecare.html",
    "statement": "statements/medicines-optimisation.html",
    "key-question": "key-questions/safe.html",
    "home": "index.html",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_page(example_site: Build, name: str):
    actual = read_article(example_site.site, PAGES[name])
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with UPDATE_GOLDEN=1 to write it"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{PAGES[name]} differs from {golden.relative_to(REPO)}; if the change is intended, rerun with UPDATE_GOLDEN=1"


def test_every_golden_file_is_checked():
    """A golden left behind for a page no longer tested would rot silently."""
    assert sorted(p.stem for p in GOLDEN.glob("*.html")) == sorted(PAGES)
