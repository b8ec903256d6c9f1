"""JSON Schemas of the front matter: built from the validator's tables, committed, and in agreement with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.read import validate as validate_module
from generator.config.portfolio import load_portfolio_config
from generator.read.load import load_content
from generator.problems import Problems
from generator.site.schema import KINDS, REQUIRED, SchemaDrift, build_schemas, schema_files
from generator.format.fields import COMMON_FIELDS, KIND_FIELDS, SUBFIELDS

jsonschema = pytest.importorskip("jsonschema")

REPO = Path(__file__).resolve().parents[2]


def validator(schema: dict[str, Any]) -> Any:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(kind: str, data: dict[str, Any], framework: Any = None) -> list[str]:
    """Every message, including those inside anyOf branches (where the useful ones are)."""
    def flatten(errors: Any) -> list[str]:
        return [m for e in errors for m in [e.message, *flatten(e.context)]]

    return sorted(flatten(validator(build_schemas(framework)[kind]).iter_errors(data)))


def test_committed_schemas_are_what_schema_py_builds():
    committed = {p.name: p.read_bytes() for p in sorted((REPO / "schemas").glob("*.schema.json"))}
    assert committed == schema_files(), "regenerate with: python -m generator.site.schema schemas"


def test_schemas_are_valid_draft_2020_12():
    for framework in (None, load_portfolio_config(REPO, Problems()).framework):
        for kind, schema in build_schemas(framework).items():
            assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            jsonschema.Draft202012Validator.check_schema(schema)


def test_every_validator_field_is_in_the_schema_and_nothing_else():
    schemas = build_schemas()
    for kind in KINDS:
        assert list(schemas[kind]["properties"]) == list(COMMON_FIELDS + KIND_FIELDS[kind])
        assert schemas[kind]["additionalProperties"] is False
    action = schemas["action"]["properties"]
    action = {**action, "recheck": action["closure"]["anyOf"][0]["properties"]["recheck"]}  # nested in closure
    for parent, names in SUBFIELDS.items():
        node = action[parent]["anyOf"][0]
        node = node.get("items", node)
        assert list(node["properties"]) == list(names), parent


def test_a_field_added_to_the_validator_without_a_type_fails_loudly(monkeypatch):
    monkeypatch.setitem(KIND_FIELDS, "action", KIND_FIELDS["action"] + ("sign_off",))
    with pytest.raises(SchemaDrift, match="sign_off"):
        build_schemas()
    monkeypatch.undo()
    monkeypatch.setitem(SUBFIELDS, "closure", SUBFIELDS["closure"] + ("witness",))
    with pytest.raises(SchemaDrift, match="closure"):
        build_schemas()


@pytest.mark.parametrize("root", [REPO, REPO / "generator" / "starter"])
def test_shipped_records_satisfy_the_schemas(root):
    problems = Problems()
    config = load_portfolio_config(REPO, problems)
    records = load_content(root, problems)
    assert records
    for framework in (None, config.framework):
        schemas = {kind: validator(schema) for kind, schema in build_schemas(framework).items()}
        for record in records:
            assert [e.message for e in schemas[record.kind].iter_errors(record.data)] == [], record.path


MINIMAL: dict[str, dict[str, Any]] = {
    "action": {"id": "ACT-1", "title": "T", "source": "SRC-1", "owner": "Jo Evans", "raised": "2026-01-01",
               "due": "2026-02-01", "risk": "low", "status": "open", "quality_statements": ["safeguarding"]},
    "source": {"id": "SRC-1", "title": "T", "kind": "audit", "date": "2026-01-01"},
    "evidence": {"id": "EV-1", "title": "T", "date": "2026-01-01", "category": "processes"},
    "meeting": {"id": "MTG-1", "title": "T", "date": "2026-01-01", "forum": "Monthly governance meeting"},
    "service": {"id": "home", "title": "T"},
}


def _validator_errors(project, kind: str, data: dict[str, Any]) -> list[str]:
    """The real validator's errors for one record, in a project holding the records it names."""
    import yaml

    project.record("sources", "src-1", "id: SRC-1\ntitle: S\nkind: audit\ndate: 2026-01-01\n")
    folder = {"action": "actions", "source": "sources", "evidence": "evidence", "meeting": "meetings", "service": "services"}[kind]
    text = yaml.safe_dump(data, sort_keys=False)
    path = project.record(folder, "under-test", text)
    from generator.pipeline import check

    result = [p for p in check(project.root).problems.errors if p.path.endswith("under-test.md")]
    path.unlink()
    return [f"{p.field}: {p.message}" for p in result]


@pytest.mark.parametrize("kind", KINDS)
def test_required_fields_agree_with_the_validator(project, kind):
    data = dict(MINIMAL[kind])
    if kind == "source":
        data["id"] = "SRC-2"
    assert schema_errors(kind, data) == []
    assert _validator_errors(project, kind, data) == []
    for name in REQUIRED["common"] + REQUIRED[kind]:
        without = {k: v for k, v in data.items() if k != name}
        assert schema_errors(kind, without), f"schema accepts a {kind} without {name}"
        assert any(e.startswith(f"{name}:") for e in _validator_errors(project, kind, without)), f"validator accepts a {kind} without {name}"


@pytest.mark.parametrize("change, schema_says", [
    ({"risk": "severe"}, "'severe' is not one of"),
    ({"due": "12/03/2026"}, "does not match"),
    ({"status": "closed"}, "'completion' is a required property"),
    ({"status": "completed"}, "'completion' is a required property"),
    ({"status": "cancelled", "cancellation": {"date": "2026-01-05"}}, "'reason' is a required property"),
    ({"status": "closed", "completion": {"date": "2026-01-05"}, "closure": {"date": "2026-01-06", "evidence": [], "outcome": "effective"}}, "should be non-empty"),
    ({"status": "closed", "completion": {"date": "2026-01-05"}, "closure": {"date": "2026-01-06", "evidence": ["EV-1"], "outcome": "not-effective"}}, "'follow_up' is a required property"),
    ({"quality_statements": []}, "should be non-empty"),
    ({"extensions": [{"date": "2026-01-05", "from": "2026-02-01", "to": "2026-03-01"}]}, "'reason' is a required property"),
])
def test_status_rules_and_types(change, schema_says):
    data = {**MINIMAL["action"], **change}
    assert any(schema_says in message for message in schema_errors("action", data)), schema_errors("action", data)


def test_the_published_schemas_know_the_framework_statements():
    framework = load_portfolio_config(REPO, Problems()).framework
    assert schema_errors("action", {**MINIMAL["action"], "quality_statements": ["safegarding"]}) == []
    assert schema_errors("action", {**MINIMAL["action"], "quality_statements": ["safegarding"]}, framework)
    assert schema_errors("action", MINIMAL["action"], framework) == []


def test_optional_fields_may_be_left_empty_and_unknown_fields_are_flagged():
    assert schema_errors("action", {**MINIMAL["action"], "review_date": None, "owner": None}) == []
    assert schema_errors("action", {**MINIMAL["action"], "owner_name": "x"}) == [
        "Additional properties are not allowed ('owner_name' was unexpected)"]
    assert schema_errors("action", {**MINIMAL["action"], "quality_statements": "safeguarding", "source": ["SRC-1", "SRC-2"]}) == []


def test_validator_module_is_the_one_schema_reads():
    assert validate_module.KIND_FIELDS is KIND_FIELDS
