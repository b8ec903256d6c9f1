"""The one record-format table agrees with what was written out by hand before it existed.

Each literal below is the list, set or enum a module held before it read the table; the table
must give exactly the same, so driving those modules from it changes no behaviour.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.format import table
from generator.format.fields import COMMON_FIELDS, KIND_FIELDS, KIND_NAMES, SUBFIELDS
from generator.format.values import (
    ACTION_STATUSES, APPROACHES, CATEGORY_TITLES, EVIDENCE_CATEGORIES, FOLDER_KINDS, KIND_PLURALS, KIND_TITLES, OUTCOMES, RISKS,
    SOURCE_KINDS,
)

OLD_COMMON_FIELDS = ("id", "title", "service", "quality_statements", "tags", "related")
OLD_KIND_FIELDS = {
    "action": (
        "source", "owner", "assigned_by", "raised", "agreed_in", "due", "risk", "status", "intended_change",
        "approach",  # an extension (issue 18)
        "evidence_required", "review_date", "milestones", "updates", "extensions", "escalations", "completion",
        "closure", "follow_up", "cancellation", "measures",
    ),
    "source": ("kind", "date", "identified_by", "repeat_of"),
    "evidence": ("date", "category", "kind", "collected_by", "file", "sensitive"),
    "meeting": ("date", "forum", "chair", "attendees"),
    "service": ("name", "kind", "registered_manager", "cqc_location_id"),
    "statement": ("statement", "rating", "reviewed", "reviewed_by"),
}
OLD_SUBFIELDS = {
    "milestones": ("title", "due", "done", "evidence"),
    "updates": ("date", "by", "note"),
    "extensions": ("date", "from", "to", "reason", "approved_by"),
    "escalations": ("date", "to", "reason"),
    "completion": ("date", "checked_by", "note"),
    "closure": ("date", "approved_by", "evidence", "outcome", "minutes", "note", "learning", "recheck"),  # learning, recheck: issue 18
    "recheck": ("due", "method", "done", "evidence"),  # closure.recheck, an extension (issue 18)
    "cancellation": ("date", "approved_by", "reason"),
    "measures": ("name", "unit", "baseline", "target", "readings"),
}
OLD_KIND_NAMES = {
    "action": "action", "source": "source", "evidence": "evidence record", "meeting": "meeting", "service": "service",
    "statement": "provider's account",
}
OLD_PERSON_PATHS: dict[str, frozenset[tuple[Any, ...]]] = {
    "action": frozenset({
        ("owner",), ("assigned_by",), ("updates", "*", "by"), ("extensions", "*", "approved_by"),
        ("escalations", "*", "to"), ("completion", "checked_by"), ("closure", "approved_by"),
        ("cancellation", "approved_by"),
    }),
    "source": frozenset({("identified_by",)}),
    "evidence": frozenset({("collected_by",)}),
    "meeting": frozenset({("chair",), ("attendees",), ("attendees", "*")}),
    "service": frozenset({("registered_manager",)}),
    "statement": frozenset({("reviewed_by",)}),
}
OLD_REFERENCE_PATHS: frozenset[tuple[Any, ...]] = frozenset({
    ("service",), ("related",), ("related", "*"), ("source",), ("source", "*"), ("agreed_in",),
    ("follow_up",), ("follow_up", "*"), ("repeat_of",), ("repeat_of", "*"), ("closure", "evidence"),
    ("closure", "evidence", "*"), ("closure", "minutes"), ("milestones", "*", "evidence"),
    ("milestones", "*", "evidence", "*"),
    ("closure", "recheck", "evidence"), ("closure", "recheck", "evidence", "*"),  # an extension (issue 18)
})
OLD_SCHEMA_REQUIRED = {
    "common": ("id", "title"),
    "action": ("source", "owner", "raised", "due", "risk", "status", "quality_statements"),
    "source": ("kind", "date"),
    "evidence": ("date", "category"),
    "meeting": ("date", "forum"),
    "service": (),
    "milestones": ("title",),
    "updates": ("date",),
    "extensions": ("date", "from", "to", "reason"),
    "escalations": ("date",),
    "completion": ("date",),
    "closure": ("date",),
    "recheck": ("due",),
    "cancellation": ("date",),
    "measures": ("name",),
    "reading": ("date", "value"),
}


def test_the_validators_field_lists_are_the_tables():
    assert COMMON_FIELDS == OLD_COMMON_FIELDS
    assert KIND_FIELDS == OLD_KIND_FIELDS
    assert SUBFIELDS == OLD_SUBFIELDS
    assert KIND_NAMES == OLD_KIND_NAMES


def test_every_enum_is_as_it_was():
    assert ACTION_STATUSES == ("open", "in-progress", "completed", "closed", "cancelled")
    assert RISKS == ("low", "medium", "high", "critical")
    assert OUTCOMES == ("effective", "partly-effective", "not-effective")
    assert SOURCE_KINDS == (
        "audit", "incident", "complaint", "feedback-theme", "safeguarding", "oversight-review",
        "inspection", "risk", "training-need", "care-plan-review", "other",
    )
    assert EVIDENCE_CATEGORIES == (
        "peoples-experience", "staff-feedback", "partner-feedback", "observation", "processes", "outcomes",
    )
    assert tuple(CATEGORY_TITLES) == EVIDENCE_CATEGORIES
    assert table.field("action", "risk").values == RISKS  # type: ignore[union-attr]
    assert table.field("action", "status").values == ACTION_STATUSES  # type: ignore[union-attr]
    assert table.field("source", "kind").values == SOURCE_KINDS  # type: ignore[union-attr]
    assert table.field("evidence", "category").values == EVIDENCE_CATEGORIES  # type: ignore[union-attr]
    assert table.field("action", "approach").values == APPROACHES  # type: ignore[union-attr]
    closure = table.field("action", "closure")
    assert closure is not None and {f.name: f for f in closure.fields}["outcome"].values == OUTCOMES


def test_the_kinds_folders_and_titles_are_the_ones_the_modules_held():
    assert FOLDER_KINDS == {
        "actions": "action", "sources": "source", "evidence": "evidence", "meetings": "meeting",
        "services": "service", "statements": "statement",
    }
    assert KIND_TITLES == {
        "action": "Action", "source": "Source", "evidence": "Evidence", "meeting": "Meeting", "service": "Service",
        "statement": "Provider's account",
    }
    assert {k: v for k, v in KIND_PLURALS.items() if k != "statement"} == {
        "action": "Actions", "source": "Sources", "evidence": "Evidence", "meeting": "Meetings", "service": "Services",
    }


@pytest.mark.parametrize("kind", sorted(OLD_PERSON_PATHS))
def test_person_paths_are_the_share_filters(kind):
    assert table.person_paths(kind) == OLD_PERSON_PATHS[kind]


def test_reference_paths_are_the_share_filters():
    assert table.reference_paths() == OLD_REFERENCE_PATHS


def test_the_schemas_required_fields_are_the_tables():
    from generator.site.schema import REQUIRED

    assert REQUIRED == OLD_SCHEMA_REQUIRED


def test_every_field_has_help_an_example_and_a_consistent_type():
    for kind in KIND_FIELDS:
        for path, item in table.walk(table.kind_fields(kind)):
            assert item.help.strip(), (kind, path)
            assert (item.example is None) == (item.type in ("list", "mapping")), (kind, path)
            assert bool(item.values) == (item.type in ("enum", "enums")), (kind, path)
            assert bool(item.fields) == (item.type in ("list", "mapping", "reading", "readings")), (kind, path)
            if item.type == "enum":
                assert item.example in item.values, (kind, path)
            if item.type == "enums":
                assert set(item.example) <= set(item.values), (kind, path)
            if item.of is not None:
                assert item.type in ("id", "ids") and item.of in KIND_FIELDS, (kind, path)
            assert not (item.required and item.when), (kind, path)


def test_the_required_when_text_is_what_the_schema_rules_give_the_guide():
    """The table's ``when`` of each action field is what the guide derives from the schema's status rules."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "docs" / "hooks"))
    try:
        fields_hook = pytest.importorskip("fields")
    finally:
        sys.path.pop(0)
    from generator.site.schema import build_schema

    rows = {row[0].strip("`"): row[2] for row in fields_hook.field_rows(build_schema("action"))}
    for path, item in table.walk(table.ACTION):
        shown = ".".join(p if p != "*" else "[]" for p in path).replace(".[].", "[].")
        if item.when:
            assert rows[shown].replace("`", "") == item.when, shown


def test_the_share_filter_and_the_loader_read_the_table():
    from generator.read.load import KIND_FOLDERS
    from generator.share.filter import PERSON_PATHS, REFERENCE_PATHS

    assert PERSON_PATHS == OLD_PERSON_PATHS
    assert REFERENCE_PATHS == OLD_REFERENCE_PATHS
    assert KIND_FOLDERS is FOLDER_KINDS


def test_portfolio_new_asks_for_the_tables_required_fields():
    from generator.newrecord import REQUIRED

    assert REQUIRED == {
        "action": ("title", "source", "owner", "raised", "due", "risk", "quality_statements"),
        "source": ("title", "kind", "date"),
        "evidence": ("title", "date", "category"),
        "meeting": ("title", "date", "forum"),
    }


def test_the_importers_field_names_are_the_tables():
    from generator.tracker.headings import ACTION_FIELDS, FIELD_TITLES, heading_field

    assert set(ACTION_FIELDS) <= set(COMMON_FIELDS + KIND_FIELDS["action"])
    assert FIELD_TITLES == {
        "id": "reference", "title": "action", "finding": "finding", "notes": "notes", "update_date": "date updated",
        "owner": "owner", "assigned_by": "assigned by", "raised": "date raised", "due": "due date", "completed": "date closed",
        "status": "status", "risk": "risk", "rag": "RAG", "source": "source", "source_kind": "source type",
        "evidence": "evidence", "evidence_required": "evidence required", "intended_change": "intended change",
        "review_date": "review date", "service": "service", "quality_statements": "quality statement", "tags": "tags",
    }
    for name in ACTION_FIELDS:  # a column headed with a field's name is that field
        assert heading_field(name.replace("_", " "), {}) == name
