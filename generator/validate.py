"""Stage 2, validate: raw front matter -> typed records, collecting every problem.

Each file is checked on its own first (types, dates, required fields, rules 1-5), then the whole
portfolio (unique ids, references of the right kind, rule 6), so one run reports everything.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, TypeVar

from .choices import canonical_choice
from .config import ID_PATTERN, PortfolioConfig
from .load import RawRecord, load_record
from .people import Person, parse_person
from .problems import Problems, nearest
from .yamlread import LineMap, field_label
from .records import (
    ACTION_STATUSES, EVIDENCE_CATEGORIES, OUTCOMES, RISKS, SOURCE_KINDS, Action, Cancellation, Closure,
    Completion, Escalation, Evidence, Extension, Measure, Meeting, Milestone, Reading, Record, Service,
    Source, StatementAccount, Update,
)

T = TypeVar("T")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

COMMON_FIELDS = ("id", "title", "service", "quality_statements", "tags", "related")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "action": (
        "source", "owner", "assigned_by", "raised", "agreed_in", "due", "risk", "status", "intended_change",
        "evidence_required", "review_date", "milestones", "updates", "extensions", "escalations", "completion",
        "closure", "follow_up", "cancellation", "measures",
    ),
    "source": ("kind", "date", "identified_by", "repeat_of"),
    "evidence": ("date", "category", "kind", "collected_by", "file", "sensitive"),
    "meeting": ("date", "forum", "chair", "attendees"),
    "service": ("name", "kind", "registered_manager", "cqc_location_id"),
    "statement": ("statement", "rating", "reviewed", "reviewed_by"),
}
SUBFIELDS: dict[str, tuple[str, ...]] = {
    "milestones": ("title", "due", "done", "evidence"),
    "updates": ("date", "by", "note"),
    "extensions": ("date", "from", "to", "reason", "approved_by"),
    "escalations": ("date", "to", "reason"),
    "completion": ("date", "checked_by", "note"),
    "closure": ("date", "approved_by", "evidence", "outcome", "minutes", "note"),
    "cancellation": ("date", "approved_by", "reason"),
    "measures": ("name", "unit", "baseline", "target", "readings"),
}
_KNOWN_FIELDS = {kind: frozenset(COMMON_FIELDS + fields) for kind, fields in KIND_FIELDS.items()}
KIND_NAMES = {
    "action": "action", "source": "source", "evidence": "evidence record", "meeting": "meeting", "service": "service",
    "statement": "provider's account",
}


@dataclass(frozen=True)
class Link:
    """One reference written in a record: which field, where, and the id it names."""

    from_key: str
    path: str  # the file the reference is written in
    field: str
    target: str  # as written
    expected: str | None  # kind the target must be; None for ``related`` (any kind)
    line: int

    @property
    def target_key(self) -> str:
        return self.target.lower()


@dataclass
class Validated:
    """The outcome of validation: records by key and every link between them."""

    records: dict[str, Record]
    links: list[Link]


class _Reader:
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

    def parse_date(self, path: tuple[Any, ...], written: str) -> date | None:
        if not _DATE.match(written):
            self.error(path, f"'{written}' is not a date; write dates as YYYY-MM-DD (for example 2026-03-31)")
            return None
        try:
            return date.fromisoformat(written)
        except ValueError:
            self.error(path, f"'{written}' is not a real date")
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
            self.error(path, f"must be a number, not {_show(value)}")
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


def _non_empty(value: Any) -> bool:
    """A list (or single value) with something in it, read from the raw front matter."""
    if isinstance(value, list):
        return any(item not in (None, "") for item in value)
    return value not in (None, "")


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


# -- per kind ----------------------------------------------------------------------------------

def _account_id(statement: Any, service: Any) -> str | None:
    """The id of a provider's account written without one: ``safeguarding``, or
    ``safeguarding--oakwood`` for the account of one service."""
    if not isinstance(statement, str) or not statement.strip():
        return None
    if isinstance(service, str) and service.strip():
        return f"{statement.strip()}--{service.strip()}"
    return statement.strip()


def _common(r: _Reader) -> dict[str, Any]:
    data = r.raw.data
    account = r.raw.kind == "statement"  # a provider's account may go by its statement's id and title
    written_id = r.text(("id",), required=not account)
    if written_id is not None and not ID_PATTERN.match(written_id):
        r.error(("id",), f"'{written_id}' is not a valid id: use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters")
        written_id = None
    elif written_id is None and account and not r.present(("id",)):
        # An account without an id goes by its statement's id, and its service's when it names
        # one (so one account per service does not need ids). A statement that is not an id is
        # reported on 'statement' alone.
        default = _account_id(r.get(("statement",)), r.get(("service",)))
        written_id = default if default and ID_PATTERN.match(default) else None
    r.key = (written_id or f"<{r.raw.path}>").lower()
    title = r.text(("title",), required=not account, one_line=True)
    known = _KNOWN_FIELDS[r.raw.kind]
    for key in data:
        if key not in known:
            r.warn((key,), "unknown field", suggestion=nearest(key, COMMON_FIELDS + KIND_FIELDS[r.raw.kind]))
    statements = []
    framework = r.config.framework
    mapped: dict[str, list[tuple[str, str]]] = {}
    if account and r.present(("quality_statements",)):
        r.warn(("quality_statements",), "a provider's account names its statement in 'statement'; this field is ignored")
    for written, path in ([] if account else r.strings(("quality_statements",))):
        statement = framework.statement(written)
        if statement is None:
            found = r.config.mapped(written)
            if found is not None:
                _mapped_statement(r, path, found, mapped)
                continue
            r.error(
                path, f"'{written}' is not a quality statement of {framework.id}",
                suggestion=nearest(written, [s.id for s in framework.statements]),
            )
        else:
            statements.append(statement.id)
    direct = set(statements)
    for target_id, olds in mapped.items():
        if target_id not in direct:
            statements.append(target_id)
    return {
        "id": written_id or "",
        "title": title or "",
        "service": r.single_id(("service",), "service"),
        "quality_statements": tuple(dict.fromkeys(statements)),
        "tags": tuple(item for item, _ in r.strings(("tags",))),
        "related": r.ids(("related",), None),
        "kind": r.raw.kind,
        "path": r.raw.path,
        "abs_path": r.raw.abs_path,
        "body": r.raw.body,
        "fields": written_fields(r.raw),
        "mapped_from": {t: tuple(dict.fromkeys(olds)) for t, olds in mapped.items() if t not in direct},
    }


def _mapped_statement(r: _Reader, path: tuple[Any, ...], found: tuple[Any, Any], mapped: dict[str, list[tuple[str, str]]]) -> None:
    """A statement of an older framework: the record is on the statements it maps to, or on none (a warning)."""
    mapping, old = found
    targets = mapping.targets_of(old)
    if not targets:
        r.warn(
            path,
            f"'{old.id}' is a statement of {mapping.from_framework.id} that {mapping.path} maps to no statement of "
            f"{r.config.framework.id}; this record is on no statement page",
        )
        return
    for target in targets:
        mapped.setdefault(target, []).append((mapping.from_framework.id, old.id))


def _statement_account(r: _Reader) -> StatementAccount:
    """The provider's own account of a statement: which statement, a rating on the framework's scale, when reviewed."""
    common = _common(r)
    framework = r.config.framework
    named = r.text(("statement",), one_line=True)
    where: tuple[Any, ...] = ("statement",) if named is not None else ("id",)
    written = named if named is not None else common["id"] or None
    statement = framework.statement(written) if written else None
    superseded = False
    if statement is None and written:
        found = r.config.mapped(written)
        if found is not None:
            superseded = True  # its rating is on the older framework's scale: not checked
            mapping, old = found
            targets = ", ".join(mapping.targets_of(old)) or "the statements it now falls under"
            r.warn(
                where,
                f"'{old.id}' is a statement of {mapping.from_framework.id}, not of {framework.id}; this account is not "
                f"published: write one for {targets}",
            )
        elif named is not None:
            r.error(where, f"'{named}' is not a quality statement of {framework.id}", suggestion=nearest(named, [s.id for s in framework.statements]))
        else:
            r.error(
                ("statement",),
                f"is required: the id of the quality statement of {framework.id} this account is for, unless the record's id is that statement's id",
                suggestion=nearest(written, [s.id for s in framework.statements]), line=1,
            )
    elif statement is None:
        r.missing(("statement",), f"is required: the id of the quality statement of {framework.id} this account is for")
    rating = r.text(("rating",), one_line=True)
    level = None
    if rating is not None and not superseded:
        scale = framework.rating_scale
        if scale is None:
            r.error(("rating",), f"{framework.id} has no rating_scale, so an account of one of its statements cannot carry a rating")
        else:
            level = scale.level(rating)
            if level is None:
                r.error(
                    ("rating",), f"'{rating}' is not on the rating scale of {framework.id} ({scale.name}): {', '.join(lv.value for lv in scale.levels)}",
                    suggestion=nearest(rating, [lv.value for lv in scale.levels], cutoff=0.5),
                )
    if statement is not None:
        common["quality_statements"] = (statement.id,)
        if not common["title"]:
            common["title"] = f"Provider's account: {statement.title}"
    return StatementAccount(
        **common,
        statement=statement.id if statement else "",
        rating=level.value if level else None,
        reviewed=r.date(("reviewed",)),
        reviewed_by=r.person(("reviewed_by",)),
    )


def _service(r: _Reader) -> Service:
    common = _common(r)
    return Service(
        **common,
        name=r.text(("name",), one_line=True) or common["title"],
        service_kind=r.text(("kind",), one_line=True),
        registered_manager=r.person(("registered_manager",)),
        cqc_location_id=r.text(("cqc_location_id",), one_line=True),
    )


def _source(r: _Reader) -> Source:
    common = _common(r)
    return Source(
        **common,
        source_kind=r.choice(("kind",), SOURCE_KINDS, required=True, default="other") or "other",
        date=r.date(("date",), required=True) or date.min,
        identified_by=r.person(("identified_by",)),
        repeat_of=r.ids(("repeat_of",), "source"),
    )


def _evidence(r: _Reader, content_dir: Path) -> Evidence:
    common = _common(r)
    sensitive = r.get(("sensitive",))
    if r.present(("sensitive",)) and sensitive is not None and not isinstance(sensitive, bool):
        r.error(("sensitive",), f"must be true or false, not {_show(sensitive)}")
    file_written = r.text(("file",), one_line=True)
    file_path = _attachment(r, file_written, content_dir) if file_written else None
    return Evidence(
        **common,
        date=r.date(("date",), required=True) or date.min,
        category=r.choice(("category",), EVIDENCE_CATEGORIES, required=True, default="processes") or "processes",
        evidence_kind=r.text(("kind",), one_line=True),
        collected_by=r.person(("collected_by",)),
        file=file_written,
        file_path=file_path,
        sensitive=sensitive is True,
    )


def _attachment(r: _Reader, written: str, content_dir: Path) -> Path | None:
    """An attachment must exist and stay inside ``content/`` (no ``..`` or links out)."""
    if Path(written).is_absolute() or written.startswith(("/", "\\")):
        r.error(("file",), f"'{written}' must be a path relative to this record, not an absolute path")
        return None
    target = (r.raw.abs_path.parent / written).resolve()
    root = content_dir.resolve()
    if not target.is_relative_to(root):
        r.error(("file",), f"'{written}' points outside content/; attachments must stay inside content/")
        return None
    if not target.is_file():
        try:
            near = nearest(Path(written).name, [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else [])
        except OSError:  # a folder that cannot be read: no suggestion
            near = None
        r.error(("file",), f"attachment '{written}' does not exist", suggestion=near)
        return None
    if not os.access(target, os.R_OK):
        r.error(("file",), f"attachment '{written}' cannot be read (no permission)")
        return None
    return target


def _meeting(r: _Reader) -> Meeting:
    common = _common(r)
    return Meeting(
        **common,
        date=r.date(("date",), required=True) or date.min,
        forum=r.text(("forum",), required=True, one_line=True) or "",
        chair=r.person(("chair",)),
        attendees=r.people(("attendees",)),
    )


def _action(r: _Reader) -> Action:
    common = _common(r)
    if not _non_empty(r.get(("quality_statements",))):
        if r.present(("quality_statements",)):
            r.error(("quality_statements",), "an action must name at least one quality statement")
        else:
            r.missing(("quality_statements",), "is required: an action must name at least one quality statement")
    owner = r.person(("owner",), required=True)
    raised = r.date(("raised",), required=True)
    due = r.date(("due",), required=True)
    status = r.choice(("status",), ACTION_STATUSES, required=True)
    action = Action(
        **common,
        sources=r.ids(("source",), "source", required=True),
        owner=owner or Person(None, None, False),
        assigned_by=r.person(("assigned_by",)),
        raised=raised or date.min,
        agreed_in=r.single_id(("agreed_in",), "meeting"),
        due=due or date.min,
        risk=r.choice(("risk",), RISKS, required=True, default="medium") or "medium",
        status=status or "open",
        intended_change=r.text(("intended_change",)),
        evidence_required=r.text(("evidence_required",)),
        review_date=r.date(("review_date",)),
        milestones=r.items(("milestones",), lambda p: _milestone(r, p)),
        updates=r.items(("updates",), lambda p: _update(r, p)),
        extensions=r.items(("extensions",), lambda p: _extension(r, p)),
        escalations=r.items(("escalations",), lambda p: _escalation(r, p)),
        completion=_completion(r),
        closure=_closure(r),
        follow_up=r.ids(("follow_up",), "action"),
        cancellation=_cancellation(r),
        measures=r.items(("measures",), lambda p: _measure(r, p)),
    )
    if status is not None:
        _status_rules(r, action)
    if raised is not None:
        _date_order(r, action)
    if due is not None:
        _extension_chain(r, action)
    return action


def _milestone(r: _Reader, p: tuple[Any, ...]) -> Milestone | None:
    title = r.text((*p, "title"), required=True, one_line=True)
    return Milestone(
        title=title or "",
        due=r.date((*p, "due")),
        done=r.date((*p, "done")),
        evidence=r.ids((*p, "evidence"), "evidence"),
    )


def _update(r: _Reader, p: tuple[Any, ...]) -> Update | None:
    when = r.date((*p, "date"), required=True)
    note = r.text((*p, "note")) or ""
    by = r.person((*p, "by"))
    return Update(when, by, note) if when else None


def _extension(r: _Reader, p: tuple[Any, ...]) -> Extension | None:
    when = r.date((*p, "date"), required=True)
    from_ = r.date((*p, "from"), required=True)
    to = r.date((*p, "to"), required=True)
    reason = r.text((*p, "reason"))
    if not reason:
        if r.present((*p, "reason")):
            r.error((*p, "reason"), "an extension must give its reason")
        else:
            r.missing((*p, "reason"), "is required: every extension must give its reason")
    approved_by = r.person((*p, "approved_by"))
    if when and from_ and to:
        return Extension(when, from_, to, reason or "", approved_by)
    return None


def _escalation(r: _Reader, p: tuple[Any, ...]) -> Escalation | None:
    when = r.date((*p, "date"), required=True)
    to = r.person((*p, "to"))
    reason = r.text((*p, "reason")) or ""
    return Escalation(when, to, reason) if when else None


def _completion(r: _Reader) -> Completion | None:
    if r.mapping(("completion",)) is None:
        return None
    when = r.date(("completion", "date"), required=True)
    checked_by = r.person(("completion", "checked_by"))
    note = r.text(("completion", "note")) or ""
    return Completion(when, checked_by, note) if when else None


def _closure(r: _Reader) -> Closure | None:
    if r.mapping(("closure",)) is None:
        return None
    when = r.date(("closure", "date"), required=True)
    approved_by = r.person(("closure", "approved_by"))
    evidence = r.ids(("closure", "evidence"), "evidence")
    outcome = r.choice(("closure", "outcome"), OUTCOMES)
    minutes = r.single_id(("closure", "minutes"), "meeting")
    note = r.text(("closure", "note")) or ""
    return Closure(when, approved_by, evidence, outcome, minutes, note) if when else None


def _cancellation(r: _Reader) -> Cancellation | None:
    if r.mapping(("cancellation",)) is None:
        return None
    when = r.date(("cancellation", "date"), required=True)
    approved_by = r.person(("cancellation", "approved_by"))
    reason = r.text(("cancellation", "reason")) or ""
    return Cancellation(when, approved_by, reason) if when else None


def _measure(r: _Reader, p: tuple[Any, ...]) -> Measure | None:
    name = r.text((*p, "name"), required=True, one_line=True)
    unit = r.text((*p, "unit"), one_line=True) or ""
    baseline = None
    if r.mapping((*p, "baseline")) is not None:
        baseline = _reading(r, (*p, "baseline"))
    target = r.number((*p, "target"))
    readings = r.items((*p, "readings"), lambda q: _reading(r, q))
    return Measure(name or "", unit, baseline, target, readings) if name else None


def _reading(r: _Reader, p: tuple[Any, ...]) -> Reading | None:
    when = r.date((*p, "date"), required=True)
    value = r.number((*p, "value"), required=True)
    return Reading(when, value) if when and value is not None else None


# -- action rules (spec 2.1) -----------------------------------------------------------------

def _status_rules(r: _Reader, action: Action) -> None:
    """Rules 1-3: what each status needs, checked on what was read without errors."""
    status = action.status
    if status in ("closed", "completed") and not r.present(("completion",)):
        r.missing(("completion",), f"is required: an action with status '{status}' needs completion (date, checked_by, note)")
    if status == "closed":
        if not r.present(("closure",)):
            r.missing(("closure",), "is required: a closed action needs closure (date, approved_by, evidence, outcome)")
        elif isinstance(r.get(("closure",)), dict):
            if not _non_empty(r.get(("closure", "evidence"))):
                if r.present(("closure", "evidence")):
                    r.error(("closure", "evidence"), "a closed action must name at least one evidence record")
                else:
                    r.missing(("closure", "evidence"), "is required: a closed action must name at least one evidence record")
            outcome = r.get(("closure", "outcome"))
            if (not r.present(("closure", "outcome")) or outcome is None) and not action.follow_up:
                r.missing(("closure", "outcome"), f"is required: one of {', '.join(OUTCOMES)} (any but effective needs follow_up)")
            elif outcome is not None and outcome != "effective" and outcome in OUTCOMES and not action.follow_up:
                r.error(("closure", "outcome"), f"outcome '{outcome}' needs follow_up naming at least one action raised because this one was not fully effective")
    if status == "cancelled":
        if not r.present(("cancellation",)):
            r.missing(("cancellation",), "is required: a cancelled action needs cancellation (date, approved_by, reason)")
        elif isinstance(r.get(("cancellation",)), dict) and not (action.cancellation and action.cancellation.reason):
            if r.present(("cancellation", "reason")):
                r.error(("cancellation", "reason"), "a cancellation must give its reason")
            else:
                r.missing(("cancellation", "reason"), "is required: a cancellation must give its reason")
    if status not in ("closed",) and action.closure is not None and status != "cancelled":
        r.warn(("closure",), f"closure is recorded but status is '{status}'; from the closure date the action counts as closed")


def _date_order(r: _Reader, action: Action) -> None:
    """Rule 4: nothing happens to an action before it was raised; completion before closure."""
    raised = action.raised

    def check(path: tuple[Any, ...], when: date | None, what: str) -> None:
        if when is not None and when < raised:
            r.error(path, f"{what} ({when.isoformat()}) is before the action was raised ({raised.isoformat()})")

    data = r.raw.data
    for name, key in (("updates", "date"), ("extensions", "date"), ("escalations", "date"), ("milestones", "done")):
        entries = data.get(name)
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get(key), str) and _DATE.match(entry[key]):
                    try:
                        when = date.fromisoformat(entry[key])
                    except ValueError:
                        continue
                    what = {"done": "the milestone was done"}.get(key, f"this {name[:-1]}'s date")
                    check((name, index, key), when, what)
    if action.completion:
        check(("completion", "date"), action.completion.date, "completion")
    if action.closure:
        check(("closure", "date"), action.closure.date, "closure")
    if action.cancellation:
        check(("cancellation", "date"), action.cancellation.date, "cancellation")
    if action.completion and action.closure and action.completion.date > action.closure.date:
        r.error(
            ("completion", "date"),
            f"completion ({action.completion.date.isoformat()}) is after closure ({action.closure.date.isoformat()}); completion is checked before an action is closed",
        )


def _extension_chain(r: _Reader, action: Action) -> None:
    """Rule 5: each extension starts where the last one ended, and the last ends at ``due``."""
    entries = r.get(("extensions",))
    if not isinstance(entries, list) or len(action.extensions) != len(entries):
        return  # an entry with errors has been reported already
    previous: Extension | None = None
    for index, extension in enumerate(action.extensions):
        if previous is not None and extension.from_ != previous.to:
            r.error(
                ("extensions", index, "from"),
                f"this extension moves the deadline from {extension.from_.isoformat()}, but the previous one moved it to {previous.to.isoformat()}",
            )
        previous = extension
    if previous is not None and previous.to != action.due:
        r.error(
            ("extensions", len(entries) - 1, "to"),
            f"the last extension moves the deadline to {previous.to.isoformat()}, but due is {action.due.isoformat()}; they must agree",
        )


# -- the whole portfolio ----------------------------------------------------------------------

@dataclass(frozen=True)
class RecordSummary:
    """What the checks across files need of a record, and all ``portfolio check`` keeps of it
    when nothing else asks for the records: a few words, cheap to send between processes."""

    kind: str
    id: str
    path: str
    service: str | None
    statement: str  # a provider's account's statement; "" for the other kinds
    abs_path: Path | None  # a provider's account's file, read again for the line of a duplicate
    dated: date | None = None  # the date it enters the portfolio (Record.dated)

    @property
    def key(self) -> str:
        return self.id.lower()

    @classmethod
    def of(cls, record: Record) -> RecordSummary:
        account = isinstance(record, StatementAccount)
        return cls(record.kind, record.id, record.path, record.service, record.statement if account else "",
                   record.abs_path if account else None, record.dated)


@dataclass
class RecordRead:
    """One file after validation on its own: its record (or the record's summary), the
    references it makes, and where its id is written (for a duplicate id, reported once every
    file is read)."""

    record: Record | RecordSummary
    links: list[Link]
    id_line: int

    def summarised(self) -> RecordRead:
        return RecordRead(RecordSummary.of(self.record), self.links, self.id_line)  # type: ignore[arg-type]


def read_record(raw: RawRecord, config: PortfolioConfig, roles: frozenset[str], content_dir: Path, problems: Problems) -> RecordRead:
    """Checks of one file that need no other file: types, dates, required fields, rules 1-5.

    ``roles`` is ``config.all_roles``, worked out once for every file.
    """
    reader = _Reader(raw, config, problems, roles)
    if raw.kind == "action":
        record: Record = _action(reader)
    elif raw.kind == "source":
        record = _source(reader)
    elif raw.kind == "evidence":
        record = _evidence(reader, content_dir)
    elif raw.kind == "meeting":
        record = _meeting(reader)
    elif raw.kind == "statement":
        record = _statement_account(reader)
    else:
        record = _service(reader)
    return RecordRead(record, reader.links, raw.lines.line("id"))


def validate(raw_records: list[RawRecord], config: PortfolioConfig, project_dir: Path, problems: Problems) -> Validated:
    """Stage entry point: typed records by key and the links between them, with every problem."""
    content_dir, roles = project_dir / "content", config.all_roles
    return link_records([read_record(raw, config, roles, content_dir, problems) for raw in raw_records], problems)


def link_records(reads: list[RecordRead], problems: Problems) -> Validated:
    """The checks across files, on records read in path order: unique ids, references (rule 6),
    services named, one provider's account per statement."""
    records, links = _across_files(reads, problems)
    return Validated(records, links)  # type: ignore[arg-type]  # full records in, full records out


def count_records(reads: list[RecordRead], problems: Problems) -> int:
    """The checks across files on summaries (``portfolio check``): how many records there are."""
    return len(_across_files(reads, problems)[0])


def _across_files(reads: list[RecordRead], problems: Problems) -> tuple[dict[str, Record | RecordSummary], list[Link]]:
    records: dict[str, Record | RecordSummary] = {}
    first_path: dict[str, str] = {}
    links: list[Link] = []
    for read in reads:
        record = read.record
        links.extend(read.links)  # checked even when the id is missing or taken
        if not record.id or (record.kind == "statement" and not record.statement):  # type: ignore[union-attr]
            continue
        if record.key in records:
            problems.add(record.path, read.id_line, "id", f"'{record.id}' is already the id of {first_path[record.key]}; ids must be unique (ignoring case)")
            continue
        records[record.key] = record
        first_path[record.key] = record.path

    by_kind: dict[str, list[str]] = {}
    for record in records.values():
        by_kind.setdefault(record.kind, []).append(record.id)
    _check_links(records, links, by_kind, problems)
    _check_services(records, by_kind, problems)
    _check_accounts(records, problems)
    return records, links


def _check_accounts(records: dict[str, Record | RecordSummary], problems: Problems) -> None:
    """One provider's account per statement (per service, where accounts name services)."""
    first: dict[tuple[str, str], Any] = {}
    for record in records.values():
        if record.kind == "statement":
            key = (record.statement, (record.service or "").lower())  # type: ignore[union-attr]
            earlier = first.setdefault(key, record)
            if earlier is not record:
                service = f" for service '{record.service}'" if record.service else ""
                problems.add(
                    record.path, _account_line(record), "statement",
                    f"'{record.statement}' already has the provider's account{service} in {earlier.path}; write one account per statement",
                )


def _account_line(record: StatementAccount | RecordSummary) -> int:
    loaded = load_record(record.abs_path, record.path, record.kind, Problems()) if record.abs_path else None
    if loaded is None:
        return 1
    return loaded.lines.line("statement") if loaded.lines.has("statement") else loaded.lines.line("id")


def _check_links(records: dict[str, Record | RecordSummary], links: list[Link], by_kind: dict[str, list[str]], problems: Problems) -> None:
    """Rule 6: every id resolves to a record of the expected kind; suggest the nearest id otherwise."""
    for link in links:
        target = records.get(link.target_key)
        wanted = KIND_NAMES.get(link.expected or "", "record")
        if target is None:
            candidates = by_kind.get(link.expected, []) if link.expected else [r.id for r in records.values()]
            candidates = [c for c in candidates if c.lower() != link.from_key]  # never suggest the record itself
            problems.add(link.path, link.line, link.field, f"no {wanted} with id '{link.target}'", suggestion=nearest(link.target, candidates))
        elif link.expected and target.kind != link.expected:
            problems.add(
                link.path, link.line, link.field,
                f"'{link.target}' is {_article(KIND_NAMES[target.kind])} ({target.path}), not {_article(wanted)}",
                suggestion=nearest(link.target, [c for c in by_kind.get(link.expected, []) if c.lower() != link.from_key]),
            )
        elif target.key == link.from_key and target.path == link.path and link.field in ("source", "repeat_of", "follow_up"):
            problems.add(link.path, link.line, link.field, f"'{link.target}' names the record itself")


def _check_services(records: dict[str, Record | RecordSummary], by_kind: dict[str, list[str]], problems: Problems) -> None:
    """Once a portfolio has two or more services, every action and source must say which."""
    services = by_kind.get("service", [])
    if len(services) < 2:
        return
    for record in records.values():
        if record.kind in ("action", "source") and not record.service:
            problems.add(
                record.path, 1, "service",
                f"is required: this portfolio has {len(services)} services ({', '.join(sorted(services))}); say which one this {record.kind} belongs to",
            )


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
