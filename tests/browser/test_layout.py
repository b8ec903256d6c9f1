"""Phone and desktop layout: no sideways scrolling, and screenshots kept for a person to look at.

Screenshots go into the test's tmp_path and, for review, into /tmp/portfolio-screens/
(home-phone.png, action-phone.png, home-desktop.png, action-desktop.png).
"""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser

PAGES = [("home", "index.html"), ("action", "actions/act-005.html")]

OVERFLOW_JS = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: [...document.querySelectorAll('article *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                     && !e.closest('.md-typeset__scrollwrap'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 60)),
})"""


def _shoot_and_check(watched, tmp_path, screens_dir, name: str, path: str, size: str) -> None:
    page = watched.open(path)
    assert watched.h1()
    shot = tmp_path / f"{name}-{size}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000  # a real rendering, not a blank page
    shutil.copyfile(shot, screens_dir / shot.name)
    m = page.evaluate(OVERFLOW_JS)
    assert m["scrollWidth"] <= m["innerWidth"] + 1, f"{path} scrolls sideways at {size} width: {m}"
    assert not m["wide"], f"{path}: content wider than the {size} screen outside a scrolling table: {m['wide']}"
    watched.assert_clean()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_phone_width_has_no_horizontal_overflow(watched_phone, tmp_path, screens_dir, name, path):
    _shoot_and_check(watched_phone, tmp_path, screens_dir, name, path, "phone")


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_desktop_width_has_no_horizontal_overflow(watched, tmp_path, screens_dir, name, path):
    _shoot_and_check(watched, tmp_path, screens_dir, name, path, "desktop")
