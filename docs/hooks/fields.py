"""MkDocs hook: the field tables of "Writing records", written at build time from the JSON Schemas.

The generator publishes a JSON Schema of each kind's front matter (``generator.site.schema``), built
from the validator's own field tables, so the guide reads the fields from there and cannot drift
from what ``portfolio check`` accepts. A page asks for a table with a marker on a line of its own:

    <!-- fields: action -->      the fields of one kind (type, required, allowed values, help)
    <!-- field-types -->         what "id", "date", "person" ... mean

A marker naming a kind the schemas do not have stops the build; a kind the schemas have and no
marker names is added at the end of the page that holds the markers, so a new kind is never left
out of the guide.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# The guide documents the generator in this clone, not whichever copy is installed.
REPOSITORY = Path(__file__).resolve().parents[2]
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

MARKER = re.compile(r"^<!-- (fields: ?([a-z-]+)|field-types) -->$", re.MULTILINE)
PLURAL = {"person": "people", "id": "ids", "text": "texts", "date": "dates"}

Schema = dict[str, Any]


def kind_schemas() -> dict[str, Schema]:
    """Every kind's JSON Schema, as the generator publishes it (no framework configured)."""
    from generator.site.schema import build_schemas

    return build_schemas()


# --- reading a schema -------------------------------------------------------------------------


def _alternatives(schema: Schema) -> list[Schema]:
    """A field's alternatives, less "null" (an optional field may be left empty: ``field:``)."""
    if "anyOf" in schema:
        return [s for s in schema["anyOf"] if s.get("type") != "null"]
    return [schema]


def _deref(schema: Schema, defs: dict[str, Schema]) -> tuple[str | None, Schema]:
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        name = ref.rsplit("/", 1)[1]
        return name, defs[name]
    return None, schema


def _is_union(schema: Schema) -> bool:
    """A definition that only says "this, or a list of this" (``ids``, ``people``)."""
    return "anyOf" in schema and all("$ref" in s or s.get("type") == "array" for s in schema["anyOf"])


def _object(schema: Schema, defs: dict[str, Schema]) -> tuple[Schema, bool] | None:
    """The mapping a field holds (and whether it is a list of them), if it holds one."""
    for option in _alternatives(schema):
        name, target = _deref(option, defs)
        if target.get("type") == "object" and "properties" in target:
            return target, False
        if target.get("type") == "array":
            _, item = _deref(target.get("items", {}), defs)
            if item.get("type") == "object" and "properties" in item:
                return item, True
    return None


def type_label(schema: Schema, defs: dict[str, Schema]) -> str:
    labels: list[str] = []
    for option in _alternatives(schema):
        labels.append(_single_label(option, defs))
    return " or ".join(dict.fromkeys(labels)) or "any"


def _single_label(schema: Schema, defs: dict[str, Schema]) -> str:
    name, target = _deref(schema, defs)
    if (name and _is_union(target)) or (not name and "anyOf" in target):
        return type_label(target, defs)
    if "enum" in target or "const" in target:
        return "one of the values"
    if target.get("type") == "object":
        return "mapping"
    if target.get("type") == "array":
        item = _single_label(target.get("items", {}), defs)
        if item == "one of the values":  # a list of values from a fixed list (approach)
            return "list of the values"
        return f"list of {PLURAL.get(item, item + 's') if item != 'mapping' else 'mappings'}"
    if name:
        return name
    kind = target.get("type")
    if kind == "boolean":
        return "true or false"
    if kind in ("number", "integer"):
        return "number"
    if kind == "string" or kind == ["string", "number"]:
        return "text"
    return "any"


def allowed_values(schema: Schema, defs: dict[str, Schema]) -> str:
    found: list[str] = []
    for option in _alternatives(schema):
        name, target = _deref(option, defs)
        if (name and _is_union(target)) or (not name and "anyOf" in target):
            found.append(allowed_values(target, defs))
        elif "enum" in target:
            found.extend(f"`{value}`" for value in target["enum"])
        elif "const" in target:
            found.append(f"`{target['const']}`")
        elif target.get("type") == "boolean":
            found.append("`true`, `false`")
        elif target.get("format") == "date":
            found.append("YYYY-MM-DD")
    return ", ".join(v for v in dict.fromkeys(found) if v)


# --- what is required when --------------------------------------------------------------------


def _condition(if_schema: Schema, path: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """``(field, value)`` of the one constant an ``if`` tests, such as ``("status", "closed")``."""
    for name, sub in if_schema.get("properties", {}).items():
        if "const" in sub:
            return ".".join(path + (name,)), str(sub["const"])
        found = _condition(sub, path + (name,))
        if found:
            return found
    return None


def conditional_requirements(schema: Schema) -> dict[tuple[str, ...], list[list[tuple[str, str, bool]]]]:
    """For each field path, the conditions (all of which hold) under which it is required."""
    found: dict[tuple[str, ...], list[list[tuple[str, str, bool]]]] = defaultdict(list)

    def rule(body: Schema, conditions: list[tuple[str, str, bool]]) -> None:
        test = _condition(body.get("if", {}))
        if test is None:
            return
        for branch, holds in (("then", True), ("else", False)):
            if branch in body:
                collect(body[branch], conditions + [(test[0], test[1], holds)], ())

    def collect(body: Schema, conditions: list[tuple[str, str, bool]], path: tuple[str, ...]) -> None:
        for name in body.get("required", []):
            found[path + (name,)].append(conditions)
        for name, sub in body.get("properties", {}).items():
            collect(sub, conditions, path + (name,))
        if isinstance(body.get("items"), dict):
            collect(body["items"], conditions, path)
        if "if" in body:
            rule(body, conditions)

    for body in schema.get("allOf", []):
        rule(body, [])
    return found


def _when(conditions: list[list[tuple[str, str, bool]]]) -> str:
    """``if status is completed or closed``: one phrase for the ways a field becomes required."""
    simple: dict[str, list[str]] = defaultdict(list)
    phrases: list[str] = []
    for terms in conditions:
        if len(terms) == 1 and terms[0][2]:
            simple[terms[0][0]].append(f"`{terms[0][1]}`")
        else:
            phrases.append(" and ".join(f"`{f}` is {'' if holds else 'not '}`{v}`" for f, v, holds in terms))
    for field, values in simple.items():
        phrases.insert(0, f"`{field}` is {' or '.join(values)}")
    return "if " + "; or if ".join(phrases)


# --- writing the tables ------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _help(schema: Schema) -> str:
    """The field's own description (a type's meaning is in the types table, not on every row)."""
    text = schema.get("description", "")
    options = _alternatives(schema)
    if not text and len(options) == 1 and "$ref" not in options[0]:
        text = options[0].get("description", "")
    examples = schema.get("examples")
    if examples:
        text += (" " if text else "") + "Example: " + ", ".join(f"`{e}`" for e in examples)
    return text


def field_rows(schema: Schema) -> list[tuple[str, str, str, str, str]]:
    """``(field, type, required, allowed values, help)`` for every field and sub-field, in order."""
    defs = schema.get("$defs", {})
    conditional = conditional_requirements(schema)
    rows: list[tuple[str, str, str, str, str]] = []

    def walk(properties: Schema, required: list[str], path: tuple[str, ...], shown: str) -> None:
        for name, sub in properties.items():
            key = path + (name,)
            label = f"{shown}{name}"
            if name in required:
                needed = "yes"
            elif key in conditional:
                needed = _when(conditional[key])
            else:
                needed = "no"
            rows.append((f"`{label}`", type_label(sub, defs), needed, allowed_values(sub, defs), _help(sub)))
            inner = _object(sub, defs)
            if inner:
                mapping, is_list = inner
                walk(mapping["properties"], mapping.get("required", []), key, f"{label}[]." if is_list else f"{label}.")

    walk(schema.get("properties", {}), schema.get("required", []), (), "")
    return rows


def field_table(kind: str, schema: Schema) -> str:
    lines = [
        f'<a id="fields-{kind}"></a>',
        "",
        "| field | type | required | allowed values | help |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(_cell(c) or " " for c in row) + " |" for row in field_rows(schema)]
    lines.append(f'<a id="fields-{kind}-end"></a>')
    return "\n".join(lines) + "\n"


def types_table(schemas: dict[str, Schema]) -> str:
    defs: dict[str, Schema] = {}
    for schema in schemas.values():
        defs.update(schema.get("$defs", {}))
    lines = ["| type | how it is written |", "|---|---|"]
    for name in sorted(defs):
        target = defs[name]
        if target.get("description") and not _is_union(target):
            lines.append(f"| {name} | {_cell(target['description'])} |")
    lines.append("| mapping | `key: value` lines indented under the field, or `{key: value, ...}` on one line |")
    lines.append("| list of ... | one `- ` row per item, indented under the field, or `[a, b]` on one line |")
    return "\n".join(lines) + "\n"


def expand(markdown: str, schemas: dict[str, Schema], where: str) -> str:
    named: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group(1) == "field-types":
            return types_table(schemas)
        kind = match.group(2)
        if kind not in schemas:
            raise PluginError(f"{where}: no JSON Schema of a '{kind}' (kinds: {', '.join(schemas)})")
        named.add(kind)
        return field_table(kind, schemas[kind])

    text = MARKER.sub(replace, markdown)
    missing = [kind for kind in schemas if kind not in named]
    if named and missing:
        text += "\n## Other kinds\n\n"
        for kind in missing:
            text += f"### {kind}\n\n{field_table(kind, schemas[kind])}\n"
    return text


# --- the MkDocs event --------------------------------------------------------------------------


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if not MARKER.search(markdown):
        return markdown
    return expand(markdown, kind_schemas(), page.file.src_uri)
