"""Measure charts: SVG built at build time, labelled for screen readers, never colour alone."""

from datetime import date
from xml.etree import ElementTree

from generator.site.charts import measure_svg
from generator.format.records import Measure, Reading

SVG = "{http://www.w3.org/2000/svg}"


def _measure(**overrides):
    values = dict(
        name="Bed rails in use", unit="people", baseline=Reading(date(2026, 1, 1), 12), target=4.0,
        readings=(Reading(date(2026, 3, 1), 9), Reading(date(2026, 6, 1), 6), Reading(date(2026, 12, 1), 3)),
    )
    values.update(overrides)
    return Measure(**values)


def test_chart_is_well_formed_svg_with_a_text_summary():
    svg = measure_svg(_measure(), date(2026, 11, 22))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Bed rails in use (people), baseline 12 on 2026-01-01, target 4, latest 6 on 2026-06-01"
    assert root.find(f"{SVG}title").text == root.get("aria-label")
    assert "\n" not in svg  # one line: safe inside a Markdown page


def test_readings_after_the_as_of_date_are_not_drawn():
    root = ElementTree.fromstring(measure_svg(_measure(), date(2026, 11, 22)))
    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 2
    assert "2026-12-01" not in ElementTree.tostring(root, encoding="unicode")


def test_target_is_dashed_and_baseline_is_a_square():
    root = ElementTree.fromstring(measure_svg(_measure(), date(2026, 11, 22)))
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    assert len(root.findall(f".//{SVG}rect")) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Target 4 people" in texts and "Baseline 12" in texts


def test_nothing_to_draw_gives_no_chart():
    assert measure_svg(_measure(baseline=None, readings=()), date(2026, 11, 22)) == ""


def test_text_is_escaped():
    svg = measure_svg(_measure(name="Falls <per> 1,000 & more", unit="%"), date(2026, 11, 22))
    ElementTree.fromstring(svg)
    assert "&lt;per&gt;" in svg and "Target 4%" in svg
