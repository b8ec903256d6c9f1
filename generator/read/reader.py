"""Reading one record's front matter into typed values: every problem reported at its key's line,
with the field named as users write it (``extensions[2].to``).
"""

from __future__ import annotations

import datetime
import math
from datetime import date
from typing import Any, Callable, TypeVar

from ..config.portfolio import PortfolioConfig
from ..format.choices import canonical_choice
from ..format.dates import parse_iso_date
from ..format.fields import COMMON_FIELDS, KIND_FIELDS, KIND_NAMES, SUBFIELDS
from ..format.people import Person, parse_person
from ..problems import Problems, nearest
from .links import Link
from .load import RawRecord
from .yamlread import LineMap, field_label


T = TypeVar("T")
KNOWN_FIELDS = {kind: frozenset(COMMON_FIELDS + fields) for kind, fields in KIND_FIELDS.items()}


class FieldReader:
    """Reads one raw record's fields into typed values, reporting problems at each key's line."""

    def __init__(self, raw: RawRecord, config: PortfolioConfig, problems: Problems, roles: frozenset[str]):
        self.raw = raw
        self.config = config
        self.problems = problems
        self.roles = roles
        self.links: list[Link] = []
        self.key = ""
        # Looked up half a million times at 10,000 actions: kept here rather than reached through raw.
        self._data = raw.data
        self._present = raw.lines.lines
        self._values = raw.lines.values

    # -- reporting -------------------------------------------------------------------------
    def line(self, *path: Any) -> int:
        return self.raw.lines.line(*path)

    def error(self, path: tuple[Any, ...], message: str, *, suggestion: str | None = None, line: int | None = None) -> None:
        self.problems.add(self.raw.path, line or self.line(*path), label(path), message, suggestion=suggestion)

    def warn(self, path: tuple[Any, ...], message: str, *, suggestion: str | None = None) -> None:
        self.problems.warn(self.raw.path, self.line(*path), label(path), message, suggestion=suggestion)

    def missing(self, path: tuple[Any, ...], message: str | None = None) -> None:
        """A required key is absent: report at its parent's line (the front matter for top-level keys)."""
        where = self.line(*path[:-1]) if len(path) > 1 else 1
        self.error(path, message or "is required", line=where)

    # -- values ----------------------------------------------------------------------------
    def get(self, path: tuple[Any, ...]) -> Any:
        """The value at ``path``, None where there is none: one lookup, no walk from the root."""
        return self._values.get(path) if path else self._data

    def present(self, path: tuple[Any, ...]) -> bool:
        return path in self._present  # LineMap.has, called half a million times at scale

    def text(self, path: tuple[Any, ...], *, required: bool = False, one_line: bool = False) -> str | None:
        if path not in self._present:
            if required:
                self.missing(path)
            return None
        value = self._values[path]
        if type(value) is not str:  # rare: a number, true/false or nothing written, or a list or mapping
            if value is None:
                if required:
                    self.error(path, "must not be empty")
                return None
            if isinstance(value, (dict, list)):
                self.error(path, "must be text, not a " + ("list" if isinstance(value, list) else "mapping"))
                return None
            written = self.raw.lines.raw_text(*path)
            value = written if written is not None else str(value)
        result = value.strip()
        if not result:
            if required:
                self.error(path, "must not be empty")
            return None
        if one_line and "\n" in result:
            self.error(path, "must be one line")
            result = " ".join(result.split())
        return result

    def date(self, path: tuple[Any, ...], *, required: bool = False) -> date | None:
        written = self.text(path, required=required)
        if written is None:
            return None
        return self.parse_date(path, written)

    def parse_date(self, path: tuple[Any, ...], written: str) -> datetime.date | None:  # not ``date``: the method above
        try:
            return parse_iso_date(written, "write dates as YYYY-MM-DD (for example 2026-03-31)")
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def choice(self, path: tuple[Any, ...], allowed: tuple[str, ...], *, required: bool = False, default: str | None = None) -> str | None:
        written = self.text(path, required=required)
        if written is None:
            return default
        if written not in allowed:
            canonical = canonical_choice(written, allowed)
            if canonical is not None:  # 'High', 'In progress': read as the format writes it
                self.warn(path, f"'{written}' is read as '{canonical}'; write '{canonical}'")
                return canonical
            self.error(
                path, f"'{written}' is not one of: {', '.join(allowed)}",
                suggestion=nearest(written, allowed, cutoff=0.5),
            )
            return default
        return written

    def number(self, path: tuple[Any, ...], *, required: bool = False) -> float | None:
        if not self.present(path):
            if required:
                self.missing(path)
            return None
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(path, f"must be a number, not {shown(value)}")
            return None
        if not math.isfinite(value):  # YAML's .nan and .inf: no chart or comparison can use them
            self.error(path, f"must be a finite number, not {shown(value)}")
            return None
        return float(value)

    def person(self, path: tuple[Any, ...], *, required: bool = False) -> Person | None:
        if not self.present(path):
            if required:
                self.missing(path)
            return None
        value = self.get(path)
        if isinstance(value, dict):
            for key in value:
                if key not in ("name", "role"):
                    self.warn((*path, key), "unknown field of a person", suggestion=nearest(key, ("name", "role")))
        person = parse_person(value, self.roles)
        if person is None:
            self.error(path, 'a person is written as "Name (Role)" or as a mapping with name and role')
        return person

    def people(self, path: tuple[Any, ...]) -> tuple[Person, ...]:
        value = self.get(path)
        if value is None:
            return ()
        if not isinstance(value, list):
            single = self.person(path)
            return (single,) if single else ()
        return tuple(p for i in range(len(value)) if (p := self.person((*path, i))) is not None)

    def strings(self, path: tuple[Any, ...]) -> list[tuple[str, tuple[Any, ...]]]:
        """A list of short strings (a single string is taken as a list of one), with each item's path."""
        if not self.present(path):
            return []
        value = self.get(path)
        if value is None:
            return []
        if not isinstance(value, list):
            single = self.text(path)
            return [(single, path)] if single else []
        result = []
        for index in range(len(value)):
            item = self.text((*path, index))
            if item:
                result.append((item, (*path, index)))
        return result

    def ids(self, path: tuple[Any, ...], expected: str | None, *, required: bool = False) -> tuple[str, ...]:
        """Ids naming other records; each becomes a Link checked once every record is read."""
        items = self.strings(path)
        if required and not items:
            if self.present(path):
                self.error(path, f"must name at least one {KIND_NAMES.get(expected or '', 'record')}")
            else:
                self.missing(path)
        for item, item_path in items:
            self.links.append(Link(self.key, self.raw.path, label(path), item, expected, self.line(*item_path)))
        return tuple(item for item, _ in items)

    def single_id(self, path: tuple[Any, ...], expected: str) -> str | None:
        written = self.text(path)
        if written:
            self.links.append(Link(self.key, self.raw.path, label(path), written, expected, self.line(*path)))
        return written

    def mapping(self, path: tuple[Any, ...], *, required: bool = False) -> dict[str, Any] | None:
        if not self.present(path):
            if required:
                self.missing(path)
            return None
        value = self.get(path)
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping of {', '.join(SUBFIELDS.get(str(path[-1]) if not isinstance(path[-1], int) else str(path[-2]), ()))}")
            return None
        self.unknown_subfields(path, value)
        return value

    def items(self, path: tuple[Any, ...], build: Callable[[tuple[Any, ...]], T | None]) -> tuple[T, ...]:
        """A list of mappings (milestones, updates, ...), each built by ``build``."""
        if not self.present(path):
            return ()
        value = self.get(path)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, "must be a list (each entry starting with '- ')")
            return ()
        result = []
        for index, entry in enumerate(value):
            item_path = (*path, index)
            if not isinstance(entry, dict):
                self.error(item_path, f"must be a mapping of {', '.join(SUBFIELDS.get(str(path[-1]), ()))}")
                continue
            self.unknown_subfields(item_path, entry)
            built = build(item_path)
            if built is not None:
                result.append(built)
        return tuple(result)

    def unknown_subfields(self, path: tuple[Any, ...], value: dict[str, Any]) -> None:
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        known = SUBFIELDS.get(name)
        if known is None:
            return
        for key in value:
            if key not in known:
                self.warn((*path, key), "unknown field", suggestion=nearest(key, known))


label = field_label


def _typed(path: tuple[Any, ...]) -> bool:
    """Fields the format defines as a boolean or a number; every other scalar is text."""
    names = [p for p in path if isinstance(p, str)]
    if names == ["sensitive"]:
        return True
    return bool(names) and names[0] == "measures" and names[-1] in ("value", "target")


def written_fields(raw: RawRecord) -> dict[str, Any]:
    """``fields`` for portfolio.json: the front matter as written.

    Where nothing was typed as a number or true/false (most records), that is the mapping read,
    shared rather than copied: nothing changes a record's ``fields`` in place.
    """
    lines = raw.lines
    if any(lines.values.get(path) is not None and not _typed(path) for path in lines.raw):
        return as_written(raw.data, (), lines)
    return raw.data


def as_written(value: Any, path: tuple[Any, ...], lines: LineMap) -> Any:
    """Front matter for portfolio.json as the user wrote it: ``0123`` and ``no`` stay text."""
    # Text and empty values (most of any front matter, dates included) are kept without a call.
    if isinstance(value, dict):
        return {
            key: item if item is None or type(item) is str else as_written(item, (*path, key), lines)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            item if item is None or type(item) is str else as_written(item, (*path, index), lines)
            for index, item in enumerate(value)
        ]
    if value is None or isinstance(value, str) or _typed(path):
        return value
    written = lines.raw_text(*path)
    return written if written is not None else value


def non_empty(value: Any) -> bool:
    """A list (or single value) with something in it, read from the raw front matter."""
    if isinstance(value, list):
        return any(item not in (None, "") for item in value)
    return value not in (None, "")


def shown(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)
