"""Mappings between frameworks (``site_config/mappings/<from>--<to>.yml``): records written against an
older framework's statements still count under the configured one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import resources
from ..problems import Problems, nearest
from ..read.yamlread import LineMap
from .files import read_yaml
from .frameworks import Framework, Statement, load_framework


@dataclass(frozen=True)
class Mapping:
    """``site_config/mappings/<from>--<to>.yml``: each statement of an older framework -> statements of a newer one."""

    from_framework: Framework
    to_framework: str
    targets: dict[str, tuple[str, ...]]  # old statement id, lower case -> new statement ids (may be empty)
    notes: dict[str, str]  # old statement id, lower case -> why it maps as it does
    path: str  # as problems name it
    source: str | None = None

    def statement(self, written: str) -> Statement | None:
        """The older framework's statement ``written`` names, or None."""
        return self.from_framework.statement(written)

    def targets_of(self, statement: Statement) -> tuple[str, ...]:
        return self.targets.get(statement.id.lower(), ())


def available_mappings(project_dir: Path) -> dict[str, Path]:
    """Mapping files by name (``<from>--<to>``): the project's own first, then those shipped."""
    found: dict[str, Path] = {}
    for folder in (project_dir / "site_config" / "mappings", resources.mappings_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yml")):
                found.setdefault(path.stem, path)
    return found


MAPPING_FIELDS = ("from", "to", "source", "note", "map")


def load_mappings(project_dir: Path, framework: Framework, problems: Problems) -> tuple[Mapping, ...]:
    """Every mapping into the configured framework: ``site_config/mappings/<from>--<framework>.yml``."""
    result = []
    for stem, path in available_mappings(project_dir).items():
        old_id, sep, new_id = stem.partition("--")
        if not sep or new_id != framework.id:
            continue
        try:
            rel = path.relative_to(project_dir).as_posix()
            shipped = False
        except ValueError:
            rel = f"<shipped>/mappings/{path.name}"
            shipped = True
        own = [f for f in (old_id, new_id) if (project_dir / "site_config" / "frameworks" / f"{f}.yml").is_file()] if shipped else []
        found = Problems() if own else problems
        data, lines = read_yaml(path, rel, found)
        mapping = parse_mapping(data, lines, rel, old_id, framework, project_dir, found) if data is not None else None
        if found is not problems:
            # A shipped mapping over the project's own copy of a framework: used if it fits that
            # copy, else left out with one warning (the project cannot edit the shipped file).
            if found.errors:
                problems.warn(
                    f"site_config/frameworks/{own[0]}.yml", 1, "mapping",
                    f"the shipped mapping {path.name} does not fit this project's own {' and '.join(own)} "
                    f"({len(found.errors)} problems, the first: {found.errors[0].message}); it is not used: "
                    f"write site_config/mappings/{path.name} to map {old_id} onto {new_id}",
                )
                continue
            problems.extend(found.items)
        if mapping is not None:
            result.append(mapping)
    return tuple(result)


def parse_mapping(
    data: Any, lines: LineMap, rel: str, old_id: str, framework: Framework, project_dir: Path, problems: Problems,
) -> Mapping | None:
    """Check a mapping file: both frameworks exist, every id is a statement of its framework."""
    if not isinstance(data, dict):
        problems.add(rel, 1, "mapping", "must be a mapping with 'from', 'to' and 'map'")
        return None
    before = len(problems.errors)
    for key in data:
        if key not in MAPPING_FIELDS:
            problems.warn(rel, lines.line(key), str(key), "unknown field of a mapping", suggestion=nearest(str(key), MAPPING_FIELDS))
    for key, expected in (("from", old_id), ("to", framework.id)):
        written = data.get(key)
        if written != expected:
            problems.add(rel, lines.line(key) if key in data else 1, key, f"must be '{expected}', as the file name <from>--<to>.yml says")
    if len(problems.errors) > before:
        return None
    old = load_framework(project_dir, old_id, rel, lines.line("from"), problems)
    if old is None:
        return None
    table = data.get("map")
    if not isinstance(table, dict) or not table:
        problems.add(rel, lines.line("map"), "map", f"must map statement ids of {old_id} to lists of statement ids of {framework.id}")
        return None
    new_ids = [s.id for s in framework.statements]
    targets: dict[str, tuple[str, ...]] = {}
    notes: dict[str, str] = {}
    for key, value in table.items():
        where = f"map.{key}"
        statement = old.statement(str(key))
        if statement is None:
            problems.add(
                rel, lines.line("map", key), where, f"'{key}' is not a quality statement of {old_id}",
                suggestion=nearest(str(key), [s.id for s in old.statements]),
            )
            continue
        path: tuple[Any, ...] = ("map", key)
        if isinstance(value, dict):
            for sub in value:
                if sub not in ("to", "note"):
                    problems.warn(rel, lines.line("map", key, sub), f"{where}.{sub}", "unknown field", suggestion=nearest(str(sub), ("to", "note")))
            if "to" not in value:
                problems.add(rel, lines.line("map", key), f"{where}.to", "is required: the statement ids it maps to ([] for none)")
                continue
            note = value.get("note")
            if isinstance(note, str) and note.strip():
                notes[statement.id.lower()] = " ".join(note.split())
            value, path = value["to"], ("map", key, "to")
        items = [] if value is None else value if isinstance(value, list) else [value]
        found: list[str] = []
        for index, item in enumerate(items):
            item_line = lines.line(*path, index) if isinstance(value, list) else lines.line(*path)
            target = framework.statement(str(item)) if isinstance(item, str) else None
            if target is None:
                problems.add(
                    rel, item_line, where, f"'{item}' is not a quality statement of {framework.id}",
                    suggestion=nearest(str(item), new_ids),
                )
                continue
            found.append(target.id)
        targets[statement.id.lower()] = tuple(dict.fromkeys(found))
    if len(problems.errors) > before:
        return None
    for statement in old.statements:
        if statement.id.lower() not in targets:
            problems.warn(
                rel, lines.line("map"), "map",
                f"'{statement.id}' of {old_id} is not mapped; records naming it will be on no page (write '{statement.id}: []' if that is meant)",
            )
    source = data.get("source")
    return Mapping(old, framework.id, targets, notes, rel, source if isinstance(source, str) else None)
