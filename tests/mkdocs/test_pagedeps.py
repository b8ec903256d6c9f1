"""Which pages serve renders again after an edit (generator/mkdocs/pagedeps.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from generator.mkdocs.pagedeps import all_page_inputs, page_inputs, pages_to_render, record_page_uris, touched_records
from generator.pipeline import prepare
from generator.site.plan import PlannedPage, attachments_of, plan_pages, record_uri

AS_OF = date(2026, 11, 22)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plan(project: Path):
    portfolio, _ = prepare(project, AS_OF)
    attachments = attachments_of(portfolio)
    planned = plan_pages(portfolio, attachments)
    return portfolio, attachments, planned


def test_inputs_name_the_records_a_page_shows_and_follow_its_lists(example_project: Path):
    portfolio, _, planned = _plan(example_project)
    act = portfolio.records["act-003"]
    page = PlannedPage("x.md", "t", "T", {"rows": [{"action": act, "n": 1}], "portfolio": portfolio})
    digest, keys = page_inputs(page)
    assert keys == {"act-003"}
    assert page_inputs(PlannedPage("x.md", "t", "T", {"rows": [{"action": act, "n": 1}]}))[0] != digest  # what else it holds counts
    other = portfolio.records["act-004"]
    first = page_inputs(PlannedPage("x.md", "t", "T", {"rows": [act, other]}))
    assert first != page_inputs(PlannedPage("x.md", "t", "T", {"rows": [other, act]}))  # the order of a list counts
    assert first[1] == {"act-003", "act-004"}
    # Shared long lists are walked once, with the same outcome as walked on each page.
    assert all_page_inputs(planned) == {p.uri: page_inputs(p) for p in planned}


def test_an_edited_title_touches_the_record_and_its_neighbours_only(example_project: Path):
    before, attachments, _ = _plan(example_project)
    _edit(example_project / "content" / "actions" / "act-003.md", "\ntitle: ", "\ntitle: Edited, ")
    after, attachments_after, _ = _plan(example_project)
    touched = touched_records(before, after, attachments, attachments_after)
    assert touched is not None
    keys, added_or_removed = touched
    neighbours = {link.target_key for link in after.outlinks["act-003"]} | {link.from_key for link in after.backlinks.get("act-003", [])}
    assert keys == {"act-003"} | neighbours and not added_or_removed
    assert touched_records(before, before, attachments, attachments) == (set(), False)


def test_a_new_date_or_new_settings_touch_everything(example_project: Path):
    before, attachments, _ = _plan(example_project)
    later, _ = prepare(example_project, date(2026, 12, 1))
    assert touched_records(before, later, attachments, attachments) is None
    changed = dataclasses.replace(before, config=dataclasses.replace(before.config, provider="Another provider"))
    assert touched_records(before, changed, attachments, attachments) is None


def test_pages_to_render(example_project: Path):
    portfolio, _, planned = _plan(example_project)
    inputs = all_page_inputs(planned)
    records = record_page_uris(portfolio)
    assert pages_to_render(planned, inputs, inputs, set(), False, records) == set()
    act = portfolio.records["act-003"]
    chosen = pages_to_render(planned, inputs, inputs, {"act-003"}, False, records)
    assert record_uri(act) in chosen and "actions/index.md" in chosen and "index.md" in chosen
    assert record_uri(portfolio.records["act-004"]) not in chosen
    # A page new to the site, or whose inputs differ, is rendered.
    assert pages_to_render(planned, inputs, {}, set(), False, records) == {p.uri for p in planned}
    moved = {**inputs, "index.md": ("another digest", inputs["index.md"][1])}
    assert pages_to_render(planned, inputs, moved, set(), False, records) == {"index.md"}
    # A record added or removed: every page that is not a record's own page.
    assert pages_to_render(planned, inputs, inputs, set(), True, records) == {p.uri for p in planned} - records
