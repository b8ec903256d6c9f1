"""Unit tests for generator.site.portfolio_json: portfolio.json (spec section 5, with section 6's derived values)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from mkdocs.structure.files import File

from generator import TOOL_NAME, __version__
from generator.site.portfolio_json import portfolio_json
from generator.pipeline import prepare
from generator.site.plan import attachments_of, plan_pages

D = date.fromisoformat


def urls_for(portfolio) -> dict[str, str]:
    """Page uri -> site-relative URL, as MkDocs writes it with ``use_directory_urls: false``."""
    pages = plan_pages(portfolio, attachments_of(portfolio))
    return {page.uri: File(page.uri, src_dir=None, dest_dir="site", use_directory_urls=False).url for page in pages}


def export(project_root, as_of: str) -> dict:
    portfolio, _ = prepare(project_root, D(as_of))
    return json.loads(portfolio_json(portfolio, urls_for(portfolio)))


def by_id(document: dict) -> dict[str, dict]:
    return {entry["id"]: entry for entry in document["records"]}


# -- the document --------------------------------------------------------------------------------

def test_top_level_shape(minimal_project):
    document = export(minimal_project.root, "2026-03-01")
    assert document["as_of"] == "2026-03-01"
    assert document["generated_by"] == {"tool": TOOL_NAME, "version": __version__}
    assert document["generated_by"]["tool"] == "portfolio"
    assert isinstance(document["records"], list)
    assert isinstance(document["quality_statements"], list)
    assert {"as_of", "generated_by", "records", "quality_statements"} <= set(document)


def test_one_object_per_record_in_kind_order(minimal_project):
    document = export(minimal_project.root, "2026-03-01")
    assert [(r["kind"], r["id"]) for r in document["records"]] == [
        ("action", "ACT-1"), ("source", "AUD-1"), ("evidence", "EV-1"), ("meeting", "MTG-1"), ("service", "home"),
    ]


def test_record_objects_carry_id_kind_title_url_fields(minimal_project):
    records = by_id(export(minimal_project.root, "2026-03-01"))
    source = records["AUD-1"]
    assert source == {
        "id": "AUD-1",
        "kind": "source",
        "title": "Medicines audit",
        "url": "sources/aud-1.html",
        "fields": {
            "id": "AUD-1",
            "title": "Medicines audit",
            "kind": "audit",
            "date": "2026-01-10",
            "quality_statements": ["medicines-optimisation"],
        },
    }
    assert records["home"]["url"] == "services/home.html"
    assert records["EV-1"]["url"] == "evidence/ev-1.html"
    assert records["MTG-1"]["url"] == "meetings/mtg-1.html"
    assert records["MTG-1"]["fields"]["chair"] == "Sam Patel (Registered manager)"
    for kind in ("source", "evidence", "meeting", "service"):
        entry = next(r for r in records.values() if r["kind"] == kind)
        assert set(entry) == {"id", "kind", "title", "url", "fields"}


def test_action_objects_carry_derived_status_due_and_flags_at_the_top_level(minimal_project):
    action = by_id(export(minimal_project.root, "2026-03-01"))["ACT-1"]
    # Format 1's keys, and the assurance checks beside the flags (an extension, issue 18).
    assert set(action) == {"id", "kind", "title", "url", "fields", "status", "due", "flags", "assurance"}
    assert isinstance(action["assurance"], list)
    assert action["kind"] == "action"
    assert action["url"] == "actions/act-1.html"
    assert action["status"] == "closed"
    assert action["due"] == "2026-02-28"
    assert action["flags"] == []


def test_fields_keep_what_was_written_with_dates_as_strings(minimal_project):
    fields = by_id(export(minimal_project.root, "2026-03-01"))["ACT-1"]["fields"]
    assert fields == {
        "id": "ACT-1",
        "title": "Weekly MAR chart checks",
        "source": "AUD-1",
        "owner": "Jo Evans (Deputy manager)",
        "raised": "2026-01-15",
        "agreed_in": "MTG-1",
        "due": "2026-02-28",
        "risk": "medium",
        "status": "closed",
        "quality_statements": ["medicines-optimisation"],
        "completion": {"date": "2026-02-20", "checked_by": "Sam Patel (Registered manager)", "note": "Checked."},
        "closure": {
            "date": "2026-03-01", "approved_by": "Sam Patel (Registered manager)", "evidence": ["EV-1"],
            "outcome": "effective", "minutes": "MTG-1",
        },
    }


def test_derived_values_differ_from_what_was_written_before_closure(minimal_project):
    action = by_id(export(minimal_project.root, "2026-02-25"))["ACT-1"]
    assert action["status"] == "completed"
    assert action["fields"]["status"] == "closed"
    assert action["flags"] == []
    earlier = by_id(export(minimal_project.root, "2026-02-19"))["ACT-1"]
    assert earlier["status"] == "in-progress"
    assert earlier["flags"] == ["due-soon", "stale"]


def test_due_is_the_deadline_in_force_and_fields_keep_the_written_due(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("actions", "a", """
        id: ACT-1
        title: Extended once
        source: AUD-1
        owner: TBC
        raised: 2026-01-15
        due: 2026-04-30
        risk: high
        status: in-progress
        quality_statements: [safeguarding]
        extensions:
          - date: 2026-03-20
            from: 2026-03-31
            to: 2026-04-30
            reason: Waiting for training dates.
    """)
    before = by_id(export(project.root, "2026-03-19"))["ACT-1"]
    assert before["due"] == "2026-03-31"
    assert before["flags"] == ["due-soon", "no-named-owner", "stale"]
    assert before["fields"]["due"] == "2026-04-30"
    assert before["fields"]["extensions"] == [
        {"date": "2026-03-20", "from": "2026-03-31", "to": "2026-04-30", "reason": "Waiting for training dates."},
    ]
    after = by_id(export(project.root, "2026-05-02"))["ACT-1"]
    assert after["due"] == "2026-04-30"
    assert after["flags"] == ["overdue", "no-named-owner", "stale", "escalate"]


def test_records_not_yet_in_the_portfolio_are_left_out(minimal_project):
    document = export(minimal_project.root, "2026-01-12")
    assert [r["id"] for r in document["records"]] == ["AUD-1", "home"]
    statement = next(s for s in document["quality_statements"] if s["id"] == "medicines-optimisation")
    assert statement["records"] == ["AUD-1"]


def test_quoted_and_unquoted_dates_are_both_written_as_strings(project):
    project.record("sources", "s", "id: S-1\ntitle: Audit\nkind: audit\ndate: '2026-01-10'\n")
    project.record("evidence", "e", "id: E-1\ntitle: Ev\ndate: 2026-01-11\ncategory: processes\nsensitive: false\n")
    records = by_id(export(project.root, "2026-02-01"))
    assert records["S-1"]["fields"]["date"] == "2026-01-10"
    assert records["E-1"]["fields"]["date"] == "2026-01-11"
    assert records["E-1"]["fields"]["sensitive"] is False


@pytest.mark.parametrize("written", ["007", "010"])
def test_fields_keep_an_id_as_written(project, written):
    # Spec section 5: ``fields`` is the front matter *as written*; an id is text (section 2), so
    # ``id: 007`` is "007", as the record's own ``id`` says, not the number 7 (and ``010`` is not
    # YAML 1.1's octal 8).
    project.record("sources", "s", f"id: {written}\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    entry = by_id(export(project.root, "2026-02-01"))[written]
    assert entry["id"] == written
    assert entry["fields"]["id"] == written


def test_non_ascii_text_is_kept(project):
    project.record("sources", "s", "id: S-1\ntitle: Café audit – résumé\nkind: audit\ndate: 2026-01-10\n")
    portfolio, _ = prepare(project.root, D("2026-02-01"))
    text = portfolio_json(portfolio, urls_for(portfolio))
    assert "Café audit – résumé" in text
    assert text.endswith("}\n")


# -- quality statements ----------------------------------------------------------------------------

def test_quality_statements_shape(minimal_project):
    statements = export(minimal_project.root, "2026-03-01")["quality_statements"]
    assert len(statements) == 34
    assert statements[0] == {
        "id": "learning-culture",
        "title": "Learning culture",
        "key_question": "safe",
        "url": "statements/learning-culture.html",
        "records": [],
    }
    medicines = next(s for s in statements if s["id"] == "medicines-optimisation")
    assert medicines == {
        "id": "medicines-optimisation",
        "title": "Medicines optimisation",
        "key_question": "safe",
        "url": "statements/medicines-optimisation.html",
        "records": ["ACT-1", "AUD-1", "EV-1"],
    }
    assert [s["key_question"] for s in statements].count("well-led") == 8
    assert statements[-1]["id"] == "environmental-sustainability-sustainable-development"


def test_every_url_is_a_site_relative_html_path(example_project):
    document = export(example_project, "2026-11-22")
    for entry in document["records"] + document["quality_statements"]:
        assert entry["url"].endswith(".html")
        assert not entry["url"].startswith(("/", "http"))


def test_example_portfolio_json(example_project):
    document = export(example_project, "2026-11-22")
    records = by_id(document)
    assert len(records) == 53
    assert {r["kind"] for r in document["records"]} == {"action", "source", "evidence", "meeting", "service"}
    act5 = records["ACT-005"]
    assert (act5["status"], act5["due"], act5["flags"]) == ("in-progress", "2026-09-30", ["overdue", "repeated-extensions", "escalate"])
    assert act5["fields"]["raised"] == "2025-10-21"
    assert act5["fields"]["extensions"][0]["date"] == "2026-01-26"
    known = set(records)
    for statement in document["quality_statements"]:
        assert set(statement["records"]) <= known


def test_same_input_same_bytes(minimal_project):
    first, _ = prepare(minimal_project.root, D("2026-03-01"))
    second, _ = prepare(minimal_project.root, D("2026-03-01"))
    assert portfolio_json(first, urls_for(first)) == portfolio_json(second, urls_for(second))


@pytest.mark.parametrize("as_of", ["2026-01-10", "2026-02-20", "2026-03-01"])
def test_the_document_is_plain_json(minimal_project, as_of):
    portfolio, _ = prepare(minimal_project.root, D(as_of))
    text = portfolio_json(portfolio, urls_for(portfolio))
    assert json.loads(text)["as_of"] == as_of
    assert "NaN" not in text


def test_entries_kept_between_calls_give_the_same_document(example_project):
    """portfolio serve keeps each record's entry: the document is byte for byte json.dumps's,
    and an entry is written again when its record, state or URL changes."""
    import dataclasses
    from datetime import date as _date

    from generator.pipeline import prepare as _prepare
    from generator.site.plan import record_uri as _record_uri
    from generator.site.portfolio_json import EntryCache, portfolio_json as _portfolio_json

    portfolio, _ = _prepare(example_project, _date(2026, 11, 22))
    urls = {_record_uri(r): _record_uri(r).replace(".md", ".html") for r in portfolio.records.values()}
    urls.update({f"statements/{s.id.lower()}.md": f"statements/{s.id.lower()}.html" for s in portfolio.config.framework.statements})
    entries: EntryCache = {}
    plain = _portfolio_json(portfolio, urls)
    assert _portfolio_json(portfolio, urls, entries) == plain
    assert len(entries) == len(portfolio.records)
    assert _portfolio_json(portfolio, urls, entries) == plain  # from the kept entries
    act = portfolio.records["act-003"]
    edited = dataclasses.replace(act, title="Edited")
    portfolio.records["act-003"] = edited
    portfolio.by_kind["action"][portfolio.by_kind["action"].index(act)] = edited
    urls[_record_uri(portfolio.records["act-004"])] = "moved.html"
    again = _portfolio_json(portfolio, urls, entries)
    assert again == _portfolio_json(portfolio, urls) and '"title": "Edited"' in again and '"url": "moved.html"' in again
