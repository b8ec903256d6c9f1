"""JSON Schemas (draft 2020-12) of every record kind's front matter, built from the validator's tables.

The field names come from :data:`generator.read.validate.KIND_FIELDS`, ``COMMON_FIELDS`` and
``SUBFIELDS``, and the allowed values from the enums in :mod:`generator.format.records`, so a field added
to the validator without a type here fails loudly (:func:`build_schemas` raises) instead of
drifting. What this module adds is what the validator keeps in code: each field's type, which
fields are required, and the status rules of spec 2.1 (as ``if``/``then``).

``schemas/<kind>.schema.json`` in the repository are :func:`build_schemas` with no framework; the
built site publishes the same files at ``schemas/<kind>.schema.json`` with the configured
framework's statement ids as the allowed ``quality_statements`` (so editors can complete them).

The schema is a little stricter than ``portfolio check`` in three places, on purpose, so editors
flag likely slips: an unknown field (a warning for ``portfolio check``), a statement id written in
a different case, and ``yes``/``no``/``true`` where text is expected.
Everything the schema cannot see (ids that resolve, date order, extension chains) is left to
``portfolio check``.

Regenerate the committed files with ``python -m generator.site.schema schemas``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..config.frameworks import Framework
from ..format.fields import COMMON_FIELDS, KIND_FIELDS, SUBFIELDS
from ..format.records import ACTION_STATUSES, EVIDENCE_CATEGORIES, OUTCOMES, RISKS, SOURCE_KINDS
from ..format.records import ID_PATTERN

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("action", "source", "evidence", "meeting", "service")
KIND_TITLES = {
    "action": "Action", "source": "Source", "evidence": "Evidence item", "meeting": "Meeting", "service": "Service",
}
KIND_FOLDERS = {"action": "actions", "source": "sources", "evidence": "evidence", "meeting": "meetings", "service": "services"}

#: Sub-fields of a measure's ``baseline`` and of each reading (not in SUBFIELDS: the validator
#: reads them without an unknown-field check).
READING_FIELDS = ("date", "value")

#: Required fields, as the validator enforces them (``required=True`` in validate.py).
REQUIRED: dict[str, tuple[str, ...]] = {
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
    "cancellation": ("date",),
    "measures": ("name",),
    "reading": READING_FIELDS,
}

_DEFS: dict[str, Any] = {
    "id": {
        "type": ["string", "number"],
        "pattern": ID_PATTERN.pattern,
        "description": "Letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters; unique across the portfolio, ignoring case.",
    },
    "text": {"type": ["string", "number"], "description": "Text."},
    "date": {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}$",
        "format": "date",
        "description": "A date written YYYY-MM-DD (for example 2026-03-31); nothing else is read as a date.",
    },
    "person": {
        "description": 'A person: "Name (Role)", or a mapping with name and role.',
        "anyOf": [
            {"type": ["string", "number", "null"]},
            {
                "type": "object",
                "properties": {"name": {"$ref": "#/$defs/text"}, "role": {"$ref": "#/$defs/text"}},
                "additionalProperties": False,
            },
        ],
    },
    "people": {"anyOf": [{"$ref": "#/$defs/person"}, {"type": "array", "items": {"$ref": "#/$defs/person"}}]},
    "ids": {
        "description": "One id, or a list of ids.",
        "anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}],
    },
    "texts": {"anyOf": [{"$ref": "#/$defs/text"}, {"type": "array", "items": {"$ref": "#/$defs/text"}}]},
    "reading": {
        "type": "object",
        "properties": {
            "date": {"$ref": "#/$defs/date", "description": "Date of the reading."},
            "value": {"type": "number", "description": "The value read."},
        },
        "required": list(READING_FIELDS),
        "additionalProperties": False,
    },
}

# Types of top-level fields: a $defs name, or a schema.
_FIELD_TYPES: dict[str, Any] = {
    # common
    "id": "id", "title": "text", "service": "id", "quality_statements": "statements", "tags": "texts", "related": "ids",
    # action
    "source": "ids", "owner": "person", "assigned_by": "person", "raised": "date", "agreed_in": "id", "due": "date",
    "risk": {"enum": list(RISKS)}, "status": {"enum": list(ACTION_STATUSES)}, "intended_change": "text",
    "evidence_required": "text", "review_date": "date", "milestones": "list", "updates": "list", "extensions": "list",
    "escalations": "list", "completion": "mapping", "closure": "mapping", "follow_up": "ids", "cancellation": "mapping",
    "measures": "list",
    # source
    "kind@source": {"enum": list(SOURCE_KINDS)}, "date": "date", "identified_by": "person", "repeat_of": "ids",
    # evidence
    "category": {"enum": list(EVIDENCE_CATEGORIES)}, "kind@evidence": "text", "collected_by": "person", "file": "text",
    "sensitive": {"type": "boolean"},
    # meeting
    "forum": "text", "chair": "person", "attendees": "people",
    # service
    "name": "text", "kind@service": "text", "registered_manager": "person", "cqc_location_id": "text",
}

# Types of sub-fields, by parent field.
_SUBFIELD_TYPES: dict[str, dict[str, Any]] = {
    "milestones": {"title": "text", "due": "date", "done": "date", "evidence": "ids"},
    "updates": {"date": "date", "by": "person", "note": "text"},
    "extensions": {"date": "date", "from": "date", "to": "date", "reason": "text", "approved_by": "person"},
    "escalations": {"date": "date", "to": "person", "reason": "text"},
    "completion": {"date": "date", "checked_by": "person", "note": "text"},
    "closure": {
        "date": "date", "approved_by": "person", "evidence": "ids", "outcome": {"enum": list(OUTCOMES)},
        "minutes": "id", "note": "text",
    },
    "cancellation": {"date": "date", "approved_by": "person", "reason": "text"},
    "measures": {"name": "text", "unit": "text", "baseline": "reading", "target": {"type": "number"}, "readings": "readings"},
}

DESCRIPTIONS: dict[str, str] = {
    "id": "Unique across the whole portfolio, compared ignoring case.",
    "title": "One line.",
    "service": "Id of a services/ record; required on actions and sources once the portfolio has two or more services.",
    "quality_statements": "Statement ids of the configured framework.",
    "tags": "Free words.",
    "related": "Ids of any other records.",
    "source": "Id, or list of ids, of the sources/ records this action answers.",
    "owner": "The named person accountable for delivery.",
    "assigned_by": "The person who assigned it.",
    "raised": "Date the action was agreed.",
    "agreed_in": "Id of the meetings/ record where it was agreed.",
    "due": "The current deadline.",
    "risk": "low, medium, high or critical.",
    "status": "open, in-progress, completed, closed or cancelled.",
    "intended_change": "The practice or system change intended.",
    "evidence_required": "What evidence will show that practice improved.",
    "review_date": "Date to test whether the change has embedded.",
    "milestones": "Steps with their own due dates.",
    "updates": "Progress updates.",
    "extensions": "Each moves the deadline: the first 'from' is the original deadline, the last 'to' equals due.",
    "escalations": "Escalations.",
    "completion": "Completion checked in practice; needed by completed and closed actions.",
    "closure": "Needed by closed actions: evidence names at least one evidence record; an outcome other than effective needs follow_up.",
    "follow_up": "Ids of actions raised because this one was not (fully) effective.",
    "cancellation": "Needed by cancelled actions, with a reason.",
    "measures": "The measurable improvement.",
    "kind@source": "Where the finding came from.",
    "date": "The record's date.",
    "identified_by": "The person who identified it.",
    "repeat_of": "Ids of earlier sources with the same finding (a repeat finding).",
    "category": "One of the regulator's six evidence categories.",
    "kind@evidence": "Free text: audit report, care record sample, observation, minutes, training log, survey, ...",
    "collected_by": "The person who collected it.",
    "file": "Path of an attachment, relative to this record; must stay inside content/.",
    "sensitive": "true: never published in a share profile.",
    "forum": "For example: Monthly governance meeting.",
    "chair": "The person who chaired it.",
    "attendees": "People who attended.",
    "name": "Defaults to the title.",
    "kind@service": "Care home, home care, supported living, ...",
    "registered_manager": "The registered manager.",
    "cqc_location_id": "The CQC location id.",
}


class SchemaDrift(Exception):
    """A field the validator knows has no type here (or the other way round)."""


def _resolve(spec: Any, statements: dict[str, Any]) -> dict[str, Any]:
    if spec == "statements":
        return dict(statements)
    if spec == "list" or spec == "mapping":
        raise AssertionError("lists and mappings are built by _subschema")
    if spec == "readings":
        return {"type": "array", "items": {"$ref": "#/$defs/reading"}}
    if isinstance(spec, str):
        if spec not in _DEFS:
            raise SchemaDrift(f"no definition '{spec}'")
        return {"$ref": f"#/$defs/{spec}"}
    return dict(spec)


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field may be left empty (``review_date:``): the validator reads that as absent."""
    return {"anyOf": [schema, {"type": "null"}]}


def _subschema(parent: str, statements: dict[str, Any]) -> dict[str, Any]:
    names = SUBFIELDS[parent]
    types = _SUBFIELD_TYPES.get(parent, {})
    if set(names) != set(types):
        raise SchemaDrift(f"{parent}: validator sub-fields {sorted(names)} but schema types for {sorted(types)}")
    required = REQUIRED[parent]
    properties = {}
    for name in names:
        schema = _resolve(types[name], statements)
        properties[name] = schema if name in required else _optional(schema)
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _statements_schema(framework: Framework | None) -> dict[str, Any]:
    item: dict[str, Any]
    if framework is None:
        item = {"$ref": "#/$defs/id"}
        note = "Statement ids of the configured framework (for the CQC framework: learning-culture, safeguarding, ...)."
    else:
        item = {"enum": [s.id for s in framework.statements]}
        note = f"Statement ids of {framework.name} ({framework.id})."
    return {"description": note, "anyOf": [item, {"type": "array", "items": item}]}


def _field_schema(kind: str, name: str, statements: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    key = f"{name}@{kind}" if f"{name}@{kind}" in _FIELD_TYPES else name
    if key not in _FIELD_TYPES:
        raise SchemaDrift(f"the validator knows field '{name}' of a {kind}, but schema.py gives it no type")
    spec = _FIELD_TYPES[key]
    if spec == "list":
        schema: dict[str, Any] = {"type": "array", "items": _subschema(name, statements)}
    elif spec == "mapping":
        schema = _subschema(name, statements)
    else:
        schema = _resolve(spec, statements)
    if name not in required:
        schema = _optional(schema)
    description = DESCRIPTIONS.get(key) or DESCRIPTIONS.get(name)
    return {"description": description, **schema} if description else schema


def _status_rules() -> list[dict[str, Any]]:
    """Spec 2.1 rules 1-3 as if/then: what each status needs."""
    def when(status: str, then: dict[str, Any]) -> dict[str, Any]:
        return {"if": {"properties": {"status": {"const": status}}, "required": ["status"]}, "then": then}

    closure_effective = {
        "if": {"properties": {"closure": {"properties": {"outcome": {"const": "effective"}}}}},
        "else": {
            "required": ["follow_up"],
            "properties": {"follow_up": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "minItems": 1}]}},
        },
    }
    return [
        when("closed", {
            "required": ["completion", "closure"],
            "properties": {
                "closure": {
                    "type": "object",
                    "required": ["evidence", "outcome"],
                    "properties": {"evidence": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "minItems": 1}]}},
                },
            },
            **closure_effective,
        }),
        when("completed", {"required": ["completion"]}),
        when("cancelled", {
            "required": ["cancellation"],
            "properties": {"cancellation": {"type": "object", "required": ["reason"]}},
        }),
    ]


def build_schema(kind: str, framework: Framework | None = None) -> dict[str, Any]:
    """The JSON Schema of one kind's front matter."""
    if kind not in KIND_FIELDS:
        raise SchemaDrift(f"unknown kind '{kind}'")
    statements = _statements_schema(framework)
    required = REQUIRED["common"] + REQUIRED[kind]
    fields = COMMON_FIELDS + KIND_FIELDS[kind]
    for name in required:
        if name not in fields:
            raise SchemaDrift(f"'{name}' is required of a {kind} but is not one of its fields")
    properties = {name: _field_schema(kind, name, statements, required) for name in fields}
    if kind == "action":
        # An action names at least one source and one statement.
        properties["source"] = {
            "description": DESCRIPTIONS["source"],
            "anyOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}, "minItems": 1}],
        }
        item = statements["anyOf"][0]
        properties["quality_statements"] = {
            "description": "At least one statement id of the configured framework.",
            "anyOf": [item, {"type": "array", "items": item, "minItems": 1}],
        }
    used = _refs(properties)
    defs = {name: _DEFS[name] for name in _DEFS if name in _closure(used)}
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"{KIND_TITLES[kind]} (content/{KIND_FOLDERS[kind]}/*.md front matter)",
        "description": f"Front matter of a{'n' if kind[0] in 'aeiou' else ''} {kind} record, portfolio format version 1."
                       + (f" Quality statements of {framework.id}." if framework else ""),
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }
    if kind == "action":
        schema["allOf"] = _status_rules()
    schema["$defs"] = defs
    return schema


def _refs(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#/$defs/"):
                found.add(item.rsplit("/", 1)[1])
            else:
                found |= _refs(item)
    elif isinstance(value, list):
        for item in value:
            found |= _refs(item)
    return found


def _closure(names: set[str]) -> set[str]:
    result = set(names) | {"id"}  # the status rules use #/$defs/id
    while True:
        more = set().union(*(_refs(_DEFS[n]) for n in result if n in _DEFS)) - result
        if not more:
            return result
        result |= more


def check_tables() -> None:
    """Raise SchemaDrift if the type tables name a field the validator does not know."""
    known = set(COMMON_FIELDS) | {f for fields in KIND_FIELDS.values() for f in fields}
    for key in _FIELD_TYPES:
        name, _, kind = key.partition("@")
        if name not in known or (kind and name not in KIND_FIELDS.get(kind, ())):
            raise SchemaDrift(f"schema.py types field '{key}', which the validator does not know")
    for parent in _SUBFIELD_TYPES:
        if parent not in SUBFIELDS:
            raise SchemaDrift(f"schema.py types sub-fields of '{parent}', which the validator does not know")


def build_schemas(framework: Framework | None = None) -> dict[str, dict[str, Any]]:
    """Every kind's schema by kind."""
    check_tables()
    return {kind: build_schema(kind, framework) for kind in KINDS}


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_files(framework: Framework | None = None) -> dict[str, bytes]:
    """``<kind>.schema.json`` -> bytes, as committed in ``schemas/`` (no framework) or published."""
    return {f"{kind}.schema.json": schema_text(schema).encode("utf-8") for kind, schema in build_schemas(framework).items()}


def site_files(framework: Framework) -> dict[str, bytes]:
    """The files the built site carries: ``schemas/<kind>.schema.json``."""
    return {f"schemas/{name}": data for name, data in schema_files(framework).items()}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "schemas")
    target.mkdir(parents=True, exist_ok=True)
    for name, data in schema_files().items():
        (target / name).write_bytes(data)
        print(target / name)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
