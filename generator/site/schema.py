"""JSON Schemas (draft 2020-12) of every record kind's front matter, built from the format table.

Each field's type, allowed values, required-ness and help text come from the one record-format
table (:mod:`generator.format.table`); the field names are checked against the validator's lists
(:mod:`generator.format.fields`, derived from the same table), so a field the validator knows
without a type here fails loudly (:func:`build_schemas` raises) instead of drifting. What this
module adds is the status rules of spec 2.1 (as ``if``/``then``), kept in code.

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
from ..format.table import COMMON, KIND_FIELD_TABLE, READING_FIELDS, Field, required, walk
from ..format.values import ID_PATTERN, KINDS_BY_NAME

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("action", "source", "evidence", "meeting", "service")

#: Required fields, as the validator enforces them: from the format table.
REQUIRED: dict[str, tuple[str, ...]] = {
    "common": tuple(f.name for f in COMMON if f.required),
    **{kind: required(kind)[len(tuple(f for f in COMMON if f.required)):] for kind in KINDS},
    **{f.name: tuple(sub.name for sub in f.fields if sub.required) for _, f in walk(KIND_FIELD_TABLE["action"]) if f.type in ("list", "mapping")},
    "reading": tuple(f.name for f in READING_FIELDS if f.required),
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
}

#: The format table's value types as schema specs: a $defs name, or a schema.
_TYPE_SPECS: dict[str, Any] = {
    "text": "text", "texts": "texts", "date": "date", "person": "person", "people": "people", "id": "id", "ids": "ids",
    "statement": "id", "statements": "statements", "bool": {"type": "boolean"}, "number": {"type": "number"},
    "list": "list", "mapping": "mapping", "reading": "reading", "readings": "readings",
}


def _spec(item: Field) -> Any:
    """A field's schema spec from its type in the format table."""
    if item.type == "enum":
        return {"enum": list(item.values)}
    if item.type == "enums":  # one value, or a list of them
        return {"anyOf": [{"enum": list(item.values)}, {"type": "array", "items": {"enum": list(item.values)}}]}
    return _TYPE_SPECS[item.type]


def _described(item: Field, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": item.help, **schema} if item.help else schema


def _reading_property(item: Field) -> dict[str, Any]:
    spec = _spec(item)
    return {"$ref": f"#/$defs/{spec}", "description": item.help} if isinstance(spec, str) else {**spec, "description": item.help}


_DEFS["reading"] = {
    "type": "object",
    "properties": {f.name: _reading_property(f) for f in READING_FIELDS},
    "required": list(REQUIRED["reading"]),
    "additionalProperties": False,
}

# Types of top-level fields: a $defs name, or a schema ("name@kind" where kinds differ).
_FIELD_TYPES: dict[str, Any] = {}
DESCRIPTIONS: dict[str, str] = {}
for _kind in KINDS:
    for _item in COMMON + KIND_FIELD_TABLE[_kind]:
        _key = _item.name if _item in COMMON or _item.name != "kind" else f"kind@{_kind}"
        _FIELD_TYPES[_key] = _spec(_item)
        DESCRIPTIONS[_key] = _item.help

# Types of sub-fields, by parent field.
_SUBFIELD_TYPES: dict[str, dict[str, Any]] = {
    f.name: {sub.name: _spec(sub) for sub in f.fields} for _, f in walk(KIND_FIELD_TABLE["action"]) if f.type in ("list", "mapping")
}
_SUBFIELD_HELP: dict[str, dict[str, str]] = {
    f.name: {sub.name: sub.help for sub in f.fields} for _, f in walk(KIND_FIELD_TABLE["action"]) if f.type in ("list", "mapping")
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
    properties: dict[str, Any] = {}
    for name in names:
        if types[name] == "mapping":  # a mapping inside a mapping (closure.recheck)
            schema = _subschema(name, statements)
        elif types[name] == "list":
            schema = {"type": "array", "items": _subschema(name, statements)}
        else:
            schema = _resolve(types[name], statements)
        schema = schema if name in required else _optional(schema)
        description = _SUBFIELD_HELP.get(parent, {}).get(name)
        properties[name] = {"description": description, **schema} if description else schema
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
        "title": f"{KINDS_BY_NAME[kind].item_title} (content/{KINDS_BY_NAME[kind].folder}/*.md front matter)",
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
