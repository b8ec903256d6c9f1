"""Unit tests for generator.site.linechart: month-by-month line charts as accessible SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.site.linechart import DASHES, Line, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**kwargs):
    defaults = dict(
        chart_id="c1", title="All actions: open by month", labels=["Jan 2026", "Feb 2026", "Mar 2026"],
        lines=[Line("Open", [3, 4, 5]), Line("Overdue", [0, 1, None])],
    )
    defaults.update(kwargs)
    return line_chart(**defaults)


def test_the_chart_is_an_image_named_and_described_for_assistive_technology():
    svg = _chart()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "All actions: open by month"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "All actions: open by month"
    desc = root.find(f"{SVG}desc").text
    assert desc == "Open: 3 in Jan 2026, 5 in Mar 2026; Overdue: 0 in Jan 2026, 1 in Feb 2026."


def test_lines_differ_by_dash_and_are_named_in_a_legend_without_colour():
    svg = _chart()
    assert "stroke-dasharray" in svg and f'stroke-dasharray="{DASHES[1]}"' in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Open" in texts and "Overdue" in texts
    assert "Jan 2026" in texts and "Mar 2026" in texts
    assert not re.search(r'(fill|stroke)="#', svg)  # no colour: currentColor only


def test_a_missing_value_breaks_the_line():
    svg = _chart(lines=[Line("Readings", [1, None, 3, 4])], labels=["a", "b", "c", "d"])
    polylines = re.findall(r"<polyline points=\"([^\"]*)\"", svg)
    assert len(polylines) == 1 and len(polylines[0].split()) == 2  # only c-d are joined


def test_labels_are_escaped_and_the_target_is_drawn():
    svg = _chart(title="<b>Falls</b> & more", lines=[Line("Brook <House>", [2, 1, 0])], target=1, unit="%", caption="Falls & trips")
    ET.fromstring(svg)  # well formed
    assert "<b>" not in svg and "&lt;b&gt;Falls&lt;/b&gt; &amp; more" in svg
    assert "Brook &lt;House&gt;" in svg and "Target 1%" in svg and "Falls &amp; trips" in svg


def test_month_labels_thin_out_but_keep_the_latest():
    labels = [f"M{i:02d} 2026" for i in range(24)]
    svg = _chart(labels=labels, lines=[Line("Open", list(range(24)))])
    shown = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.startswith("M")]
    assert 4 <= len(shown) < 24 and shown[-1] == "M23 2026"


def test_all_zero_values_still_draw_an_axis():
    svg = _chart(lines=[Line("Open", [0, 0, 0])])
    ET.fromstring(svg)
    assert ">0</text>" in svg and ">1</text>" in svg
