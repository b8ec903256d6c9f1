"""Phone and desktop layout: no sideways scrolling, and screenshots kept for a person to look at.

Screenshots go into the test's tmp_path and, for review, into /tmp/portfolio-screens/
(home-phone.png, action-phone.png, measures-phone.png and the same at desktop width).

On a phone, a table of four or more columns is laid out as one card per row, each value
labelled with its column's name (portfolio.css and portfolio-table.js); the sortable actions
table keeps its columns and scrolls sideways.
"""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.browser

PAGES = [("home", "index.html"), ("action", "actions/act-005.html"), ("measures", "actions/act-012.html")]

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


_TABLES_JS = """() => [...document.querySelectorAll('article table')].map(t => {
    const wrap = t.closest('.md-typeset__scrollwrap') || t;
    const cell = t.querySelector('tbody td');
    return {
        columns: t.tHead ? t.tHead.rows[0].cells.length : 0,
        stacked: t.hasAttribute('data-pf-stack'),
        scrolls: wrap.scrollWidth > wrap.clientWidth + 1,
        label: cell ? getComputedStyle(cell, '::before').content : null,
        firstLabel: cell ? cell.getAttribute('data-label') : null,
        header: t.tHead ? t.tHead.rows[0].cells[0].textContent.trim() : null,
    };
})"""


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[n for n, _ in PAGES])
def test_phone_tables_fit_the_screen_with_every_value_labelled(watched_phone, name, path):
    """No table on the home page or an action page needs sideways scrolling on a phone: wide
    ones are cards whose values carry their column's name."""
    page = watched_phone.open(path)
    tables = page.evaluate(_TABLES_JS)
    assert any(t["stacked"] for t in tables) or name == "measures"
    for t in tables:
        assert not t["scrolls"], f"{path}: a table scrolls sideways on a phone: {t}"
        if t["columns"] >= 4:
            assert t["stacked"], t
            # Shown as the cell's label (and, after "/", nothing for a screen reader to repeat).
            assert t["firstLabel"] == t["header"] and t["label"].startswith(f'"{t["header"]}"'), t
    watched_phone.assert_clean()


def test_measure_chart_labels_are_readable_on_a_phone(watched_phone):
    """The SVG measure charts shrink to the phone's width: their labels stay at least 10 pixels
    in size (the text beside them is 12.8) and none is cut off at the chart's edge."""
    page = watched_phone.open("actions/act-012.html")
    charts = page.locator("article svg.pf-chart")
    assert charts.count() == 2
    for i in range(charts.count()):
        found = charts.nth(i).evaluate("""svg => {
            const box = svg.getBoundingClientRect();
            const scale = svg.getScreenCTM().a;
            return [...svg.querySelectorAll('text')].map(t => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
                        inside: r.left >= box.left - 1 && r.right <= box.right + 1};
            });
        }""")
        assert found and any(t["text"].startswith("Target ") for t in found)
        small = [t for t in found if t["px"] < 10]
        assert not small, small
        cut = [t["text"] for t in found if not t["inside"]]
        assert not cut, f"labels cut off at the edge of chart {i + 1}: {cut}"
    watched_phone.assert_clean()


def test_actions_table_keeps_its_columns_on_a_phone(watched_phone):
    page = watched_phone.open("dashboards/actions.html")
    tables = page.evaluate(_TABLES_JS)
    assert len(tables) == 1 and tables[0]["columns"] == 8 and not tables[0]["stacked"]
    watched_phone.assert_clean()
