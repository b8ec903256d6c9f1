"""`portfolio pack --profile NAME` prints, with Debian's Chromium, only what `portfolio share NAME`
publishes: read back with pdftotext, the PDF holds no withheld record, redaction term or staff
name, while the same pack without a profile shows them all. Skipped without Chromium, Playwright
or poppler-utils (failed under CI=true), like tests/browser/test_pack_pdf.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import clean_env, copy_example, run_portfolio

AS_OF = "2026-11-22"
PROFILE = "northshire-county-council"
#: In the Safe key question's pack of the example (EV-009 is sensitive; the profile redacts
#: Threlfall and has owners: roles), once ACT-010's title names the family.
SECRETS = ("EV-009", "Safeguarding enquiry outcome", "Threlfall", "Helen Marsh", "Martin Cole", "Sarah Lund")


def _missing() -> str | None:
    if not Path("/usr/bin/chromium").exists():
        return "Debian chromium not installed at /usr/bin/chromium: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"the Python playwright package cannot be imported ({exc}): pip install playwright"
    if shutil.which("pdftotext") is None:
        return "pdftotext not installed: apt-get install poppler-utils"
    return None


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """The Safe pack with and without the profile: (pdftotext's text, the command's output)."""
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    project = copy_example(tmp_path_factory.mktemp("pack-profile") / "example")
    action = project / "content/actions/act-010.md"
    text = action.read_text(encoding="utf-8")
    action.write_text(text.replace("title: Skin checks and body maps recorded and acted on",
                                   "title: Skin checks and body maps recorded and acted on (Threlfall)"), encoding="utf-8")
    found = {}
    for name, extra in (("whole", ()), ("profile", ("--profile", PROFILE))):
        result = run_portfolio("pack", "--key-question", "safe", "--as-of", AS_OF, *extra, cwd=project, env=clean_env())
        assert result.returncode == 0, f"{name}: {result.stdout}\n{result.stderr}"
        pdf = project / "packs" / (f"inspection-pack-{PROFILE}-safe-{AS_OF}.pdf" if extra else f"inspection-pack-safe-{AS_OF}.pdf")
        assert pdf.read_bytes().startswith(b"%PDF-")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        found[name] = (text, result.stdout)
    return found


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_the_pack_without_a_profile_shows_what_the_share_withholds(packs):
    text = _folded(packs["whole"][0])
    for secret in SECRETS:
        assert secret.casefold() in text, secret


def test_the_profile_pack_prints_nothing_the_share_withholds(packs):
    text, said = packs["profile"]
    folded = _folded(text)
    for secret in SECRETS:
        assert secret.casefold() not in folded, secret
    assert "registered manager" in folded and "[redacted]" in folded
    assert "evidence item withheld from this portfolio" in folded
    assert f"for profile '{PROFILE}', 1 sensitive record withheld" in said


def test_the_profile_pack_carries_the_share_banner_on_every_page(packs):
    pages = packs["profile"][0].split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert "read-only portfolio for northshire county council" in _folded(page), f"page {number}"
