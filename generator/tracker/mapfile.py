"""The map file (``--map MAP.yml``): which column is which field, defaults, an id prefix, extra
status and risk words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.portfolio import PortfolioConfig
from ..format.values import ACTION_STATUSES, ID_PATTERN, RISKS, SOURCE_KINDS

from ..problems import Problems, nearest
from ..read.yamlread import YamlProblem, parse
from .cells import ValueProblem, cell_text, normalise_heading, parse_risk, parse_status
from .headings import DEFAULTABLE, IMPORT_FIELDS
from .table import ImportUsageError


MAP_KEYS = ("sheet", "header_row", "columns", "defaults", "id_prefix", "statuses", "risks")


@dataclass
class ImportMap:
    """What a map file says (all optional)."""

    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> heading as written, or a column letter
    defaults: dict[str, Any] = field(default_factory=dict)
    id_prefix: str = "IMP"
    statuses: dict[str, str] = field(default_factory=dict)  # normalised word -> status
    risks: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # "columns.<field>" -> line in the map file


def read_map(path: Path, shown: str, config: PortfolioConfig) -> ImportMap:
    """Read and check a map file; raise ImportUsageError listing every problem."""
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportUsageError.of(shown, f"cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data, lines = parse(text, where="import map files")
    except YamlProblem as exc:
        field_name = "map" if exc.field_name == "front matter" else exc.field_name
        raise ImportUsageError.of(shown, exc.message, line=exc.line, field_name=field_name) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportUsageError.of(shown, "must be a mapping (columns:, defaults:, ...)", line=1, field_name="map")
    result = ImportMap(path=shown)

    def add(key: tuple[Any, ...], label: str, message: str, suggestion: str | None = None) -> None:
        problems.add(shown, lines.line(*key), label, message, suggestion=suggestion)

    for key in data:
        if key not in MAP_KEYS:
            add((key,), str(key), f"unknown key; a map file has {', '.join(MAP_KEYS)}", nearest(str(key), MAP_KEYS))
    if data.get("sheet") is not None:
        result.sheet = cell_text(data["sheet"])
    if data.get("header_row") is not None:
        value = data["header_row"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            add(("header_row",), "header_row", "must be the row number of the headings (1 or more)")
        else:
            result.header_row = value
    if data.get("id_prefix") is not None:
        prefix = cell_text(data["id_prefix"])
        if not ID_PATTERN.match(prefix + "-1") or len(prefix) > 40:
            add(("id_prefix",), "id_prefix", f"'{prefix}' cannot start an id: use letters, digits, '.', '_' or '-'")
        else:
            result.id_prefix = prefix
    columns = data.get("columns")
    if columns is not None:
        if not isinstance(columns, dict):
            add(("columns",), "columns", "must map fields to headings, e.g. 'due: Target date'")
        else:
            for key, value in columns.items():
                if key not in IMPORT_FIELDS:
                    add(("columns", key), f"columns.{key}", f"not a field the import fills ({', '.join(IMPORT_FIELDS)})", nearest(str(key), IMPORT_FIELDS))
                elif not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
                    add(("columns", key), f"columns.{key}", "must be the column's heading as written, or its letter")
                else:
                    result.columns[key] = str(value).strip()
                    result.lines[f"columns.{key}"] = lines.line("columns", key)
    defaults = data.get("defaults")
    if defaults is not None:
        if not isinstance(defaults, dict):
            add(("defaults",), "defaults", "must be a mapping, e.g. 'quality_statements: [safeguarding]'")
        else:
            for key, value in defaults.items():
                where = ("defaults", key)
                if key not in DEFAULTABLE:
                    add(where, f"defaults.{key}", f"cannot be given a default (defaults are for {', '.join(DEFAULTABLE)})", nearest(str(key), DEFAULTABLE))
                    continue
                if key == "quality_statements":
                    items = value if isinstance(value, list) else [value]
                    ids = []
                    for item in items:
                        statement = config.framework.statement(cell_text(item)) if item is not None else None
                        if statement is None:
                            add(where, f"defaults.{key}", f"'{cell_text(item)}' is not a quality statement of {config.framework.id}",
                                nearest(cell_text(item), [s.id for s in config.framework.statements]))
                        else:
                            ids.append(statement.id)
                    result.defaults[key] = ids
                elif key == "risk":
                    try:
                        result.defaults[key] = parse_risk(value)
                    except ValueProblem as exc:
                        add(where, f"defaults.{key}", str(exc))
                elif key == "status":
                    try:
                        result.defaults[key] = parse_status(value)
                    except ValueProblem as exc:
                        add(where, f"defaults.{key}", str(exc))
                elif key == "source_kind":
                    if cell_text(value) not in SOURCE_KINDS:
                        add(where, f"defaults.{key}", f"'{cell_text(value)}' is not one of: {', '.join(SOURCE_KINDS)}", nearest(cell_text(value), SOURCE_KINDS))
                    else:
                        result.defaults[key] = cell_text(value)
                elif not cell_text(value):
                    add(where, f"defaults.{key}", "must not be empty")
                else:
                    result.defaults[key] = cell_text(value)
    for key, allowed, target in (("statuses", ACTION_STATUSES, result.statuses), ("risks", RISKS, result.risks)):
        table = data.get(key)
        if table is None:
            continue
        if not isinstance(table, dict):
            add((key,), key, f"must map the tracker's words to one of: {', '.join(allowed)}")
            continue
        for word, value in table.items():
            if cell_text(value) not in allowed:
                add((key, word), f"{key}.{word}", f"'{cell_text(value)}' is not one of: {', '.join(allowed)}", nearest(cell_text(value), allowed))
            else:
                target[normalise_heading(word)] = cell_text(value)
    if problems.errors:
        raise ImportUsageError(problems.sorted())
    return result
