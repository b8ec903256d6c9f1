"""The dashboards print whole on A4 landscape: with print media emulated at the width of an A4
landscape page, no table of the board view, the statement coverage matrix or the actions table
reaches past the page's edge or hides a column in a scroll; and printed to PDF (pdftotext, where
poppler-utils is installed) every column's heading and every action is on paper.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

#: A4 landscape less 10 mm margins each side, in CSS pixels (96 per inch): 277 mm.
PRINT_WIDTH = round(277 / 25.4 * 96)
PAGES = {
    "board": "dashboards/board.html",
    "coverage": "dashboards/coverage.html",
    "actions": "dashboards/actions.html",
}

MEASURE_JS = """() => {
    const width = document.documentElement.clientWidth;
    const tables = [...document.querySelectorAll('article table')];
    return {
        width,
        tables: tables.length,
        // A table showing less than its content hides columns in a scroll (lost on paper).
        scrolled: tables.filter(t => t.scrollWidth > t.clientWidth + 1)
            .map(t => `${t.scrollWidth} > ${t.clientWidth}: ${t.rows[0].innerText.slice(0, 60)}`),
        wrapped: [...document.querySelectorAll('article .md-typeset__scrollwrap')]
            .filter(w => w.scrollWidth > w.clientWidth + 1).length,
        // Any cell, heading or badge past the page's right edge is cut off.
        past: [...document.querySelectorAll('article table *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().right)}: ${(e.textContent || '').slice(0, 40)}`),
        headers: tables.map(t => [...t.querySelectorAll('thead th')].map(th => th.innerText.trim())),
        nav: [...document.querySelectorAll('.md-sidebar, .md-header, .md-tabs')]
            .filter(e => getComputedStyle(e).display !== 'none').length,
    };
}"""


@pytest.mark.parametrize("name", sorted(PAGES))
def test_dashboard_tables_fit_an_a4_landscape_page(watched, name):
    page = watched.open(PAGES[name])
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 800})
    page.emulate_media(media="print")
    found = page.evaluate(MEASURE_JS)
    assert found["width"] <= PRINT_WIDTH
    assert found["tables"] >= 1, f"{name}: no table to print"
    assert not found["scrolled"], f"{name}: a table scrolls on paper, its last columns lost: {found['scrolled']}"
    assert found["wrapped"] == 0, f"{name}: a table's wrapper scrolls on paper"
    assert not found["past"], f"{name}: past the edge of the page: {found['past']}"
    assert found["nav"] == 0, f"{name}: navigation printed"
    watched.assert_clean()


def test_a_dashboard_asks_for_landscape_and_a_record_page_does_not(watched):
    page = watched.open(PAGES["board"])
    assert "A4 landscape" in page.locator("style[media=print]").inner_text()
    page = watched.open("actions/act-005.html")
    assert page.locator("style[media=print]").count() == 0
    watched.assert_clean()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_printed_dashboard_keeps_every_column_and_action(watched, name, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed: apt-get install poppler-utils")
    page = watched.open(PAGES[name])
    headers = page.evaluate("() => [...document.querySelectorAll('article thead th')].map(th => th.innerText.trim())")
    ids = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('article tbody td:first-child a')]"
        ".map(a => a.innerText.trim()).filter(t => /^ACT-/.test(t)))]"
    )
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True, margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    missing = [h for h in headers if h and h.split()[0] not in words]
    assert not missing, f"{name}: column headings not on paper: {missing}"
    assert all(i in words for i in ids), f"{name}: actions not on paper: {[i for i in ids if i not in words]}"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    if size:  # the dashboard's own @page: A4 (842 x 595 points) turned landscape
        assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595), info
    watched.assert_clean()
