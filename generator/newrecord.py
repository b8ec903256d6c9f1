"""``portfolio new``: one valid record from a template, with the next free id. Never overwrites.

The id follows the numbering most used in the kind's folder: after ``ACT-001`` .. ``ACT-015`` the
next is ``ACT-016`` (the prefix most ids share, the number one more than the highest, zero-padded
as they are). An empty folder starts at ``ACT-001``, ``SRC-001``, ``EV-001`` or ``MTG-001``.

Every value is checked before anything is written (ids must resolve, statements must be the
framework's, dates ISO), and the record is then validated with the whole portfolio in memory, so
what ``new`` writes always passes ``portfolio check``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .config.portfolio import PortfolioConfig, load_portfolio_config
from .format import table
from .format.choices import canonical_choice
from .format.dates import parse_iso_date
from .format.people import parse_person
from .format.values import EVIDENCE_CATEGORIES, ID_PATTERN, RISKS
from .problems import PortfolioError, Problem, Problems, nearest
from .read.load import FOLDER_OF_KIND, RawRecord, load_content
from .read.validate import validate

KINDS = ("action", "source", "evidence", "meeting")
DEFAULT_PREFIX = {"action": "ACT-", "source": "SRC-", "evidence": "EV-", "meeting": "MTG-"}
#: Statuses a new action may start with; the others need completion, closure or cancellation.
NEW_STATUSES = ("open", "in-progress")
_NUMBERED = re.compile(r"^(?P<prefix>.*\D)?(?P<number>\d{1,6})$")

#: Front matter fields of each kind, in the order they are written.
FIELDS: dict[str, tuple[str, ...]] = {
    "action": ("id", "title", "service", "source", "owner", "assigned_by", "raised", "agreed_in", "due", "risk", "status",
               "quality_statements"),
    "source": ("id", "title", "service", "kind", "date", "identified_by", "quality_statements"),
    "evidence": ("id", "title", "service", "date", "category", "kind", "collected_by", "quality_statements"),
    "meeting": ("id", "title", "date", "forum", "chair"),
}
#: What ``portfolio new`` asks for: the format table's required fields, in the template's order
#: (``id`` is found, ``status`` starts open).
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in names if name not in ("id", "status") and name in table.required(kind))
    for kind, names in FIELDS.items()
}
#: Dates that default to today (the day the record is written).
TODAY_DEFAULTS = {"action": "raised", "source": "date", "evidence": "date", "meeting": "date"}
LISTS = ("source", "quality_statements")
LABELS = {
    "id": "Id", "title": "Title", "service": "Service id", "source": "Source id(s), comma-separated", "owner": 'Owner ("Name (Role)")',
    "assigned_by": "Assigned by", "raised": "Raised (YYYY-MM-DD)", "agreed_in": "Agreed in (meeting id)",
    "due": "Due (YYYY-MM-DD)", "risk": f"Risk ({', '.join(RISKS)})", "status": "Status",
    "quality_statements": "Quality statement id(s), comma-separated", "kind": "Kind", "date": "Date (YYYY-MM-DD)",
    "identified_by": "Identified by", "category": f"Category ({', '.join(EVIDENCE_CATEGORIES)})", "collected_by": "Collected by",
    "forum": "Forum (e.g. Monthly governance meeting)", "chair": "Chair",
}
BODIES = {
    "action": "<!-- What was found and why this action is needed: who is affected and what will change. This comment is not shown on the page. -->",
    "source": "<!-- What was found: the audit result, what happened, the complaint or the feedback theme. This comment is not shown on the page. -->",
    "evidence": "<!-- What this evidence shows and how it was collected. This comment is not shown on the page. -->",
    "meeting": "<!-- The minutes: what was discussed, decided, agreed (by action id) and closed. This comment is not shown on the page. -->",
}


def option_name(field_name: str) -> str:
    return "--" + {"quality_statements": "quality-statement"}.get(field_name, field_name.replace("_", "-"))


class NewRecordError(PortfolioError):
    """A value that cannot go into the record: says which option and why (exit 2).

    A value given as an option is a bad value of that option; a record refused as a whole
    (``of_option=False``: invalid once validated with the portfolio, or its file taken) is a bad
    command line, the option named before the message.
    """

    def __init__(self, field_name: str, message: str, *, of_option: bool = True):
        self.field_name = field_name
        self.message = message
        option = option_name(field_name)
        if of_option:
            super().__init__([Problem("", 0, "", message)], option=f"'{option}'")
        else:
            super().__init__([Problem("", 0, option, message)], option="")


@dataclass
class Context:
    """The portfolio a new record goes into."""

    project: Path
    config: PortfolioConfig
    raw: list[RawRecord]
    warnings: Problems

    def ids(self, kind: str | None = None) -> dict[str, str]:
        """Lower-cased id -> id as written (of one kind, or of every record)."""
        return {
            str(r.data["id"]).lower(): str(r.data["id"])
            for r in self.raw
            if r.data.get("id") is not None and (kind is None or r.kind == kind)
        }

    @property
    def service_count(self) -> int:
        return len(self.ids("service"))


def open_project(project: Path) -> Context:
    """Read the configuration (PortfolioError when broken) and every record as written."""
    warnings = Problems()
    config = load_portfolio_config(project, warnings)
    raw = load_content(project, Problems())
    return Context(project, config, raw, warnings)


def required_fields(ctx: Context, kind: str) -> tuple[str, ...]:
    fields = REQUIRED[kind]
    if kind in ("action", "source") and ctx.service_count >= 2:
        fields = (*fields[:1], "service", *fields[1:])
    return fields


def next_id(ctx: Context, kind: str) -> str:
    """The next free id in the numbering most used by this kind's records."""
    numbered: list[tuple[str, str]] = []
    for record in ctx.raw:
        if record.kind != kind or record.data.get("id") is None:
            continue
        match = _NUMBERED.match(str(record.data["id"]))
        if match and match["prefix"]:
            numbered.append((match["prefix"], match["number"]))
    taken = ctx.ids()
    if numbered:
        counts = Counter(prefix for prefix, _ in numbered)
        prefix = sorted(counts, key=lambda p: (-counts[p], p))[0]
        numbers = [n for p, n in numbered if p.lower() == prefix.lower()]
        width = max((len(n) for n in numbers if n.startswith("0")), default=0)
        number = max(int(n) for n in numbers) + 1
    else:
        prefix, width, number = DEFAULT_PREFIX[kind], 3, 1
    folder = ctx.project / "content" / FOLDER_OF_KIND[kind]
    while True:
        candidate = f"{prefix}{str(number).zfill(width)}"
        if candidate.lower() not in taken and not (folder / f"{candidate.lower()}.md").exists() and ID_PATTERN.match(candidate):
            return candidate
        number += 1


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def check_value(ctx: Context, kind: str, field_name: str, value: Any) -> Any:
    """A value given as an option or at a prompt, checked and tidied; NewRecordError says why not."""
    if field_name in LISTS:
        items = _split(value)
        if not items:
            raise NewRecordError(field_name, "give at least one")
        return [check_value(ctx, kind, f"{field_name}:item", item) for item in items]
    text = " ".join(str(value).split()) if value is not None else ""
    if not text:
        raise NewRecordError(field_name, "must not be empty")
    if field_name == "id":
        if not ID_PATTERN.match(text):
            raise NewRecordError(field_name, f"'{text}' is not a valid id: use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters")
        existing = ctx.ids().get(text.lower())
        if existing is not None:
            where = next(r.path for r in ctx.raw if str(r.data.get("id", "")).lower() == text.lower())
            raise NewRecordError(field_name, f"'{existing}' is already the id of {where}; ids must be unique (ignoring case)")
        target = ctx.project / "content" / FOLDER_OF_KIND[kind] / f"{text.lower()}.md"
        if target.exists():
            raise NewRecordError(field_name, f"{target.relative_to(ctx.project).as_posix()} already exists; nothing is overwritten")
        return text
    item = table.field(kind, field_name.split(":")[0])
    if item is not None and item.type == "date":
        try:
            return parse_iso_date(text, "write it as YYYY-MM-DD")
        except ValueError as exc:
            raise NewRecordError(field_name, str(exc)) from None
    if field_name == "status":
        return _choice(field_name, text, NEW_STATUSES, note=" (a new action starts open or in progress; completion and closure are recorded later)")
    if item is not None and item.type == "enum":
        return _choice(field_name, text, item.values)
    if item is not None and item.type in ("id", "ids") and item.of is not None:
        wanted = item.of
        known = ctx.ids(wanted)
        if text.lower() not in known:
            suggestion = nearest(text, known.values())
            raise NewRecordError(field_name.split(":")[0], f"no {wanted} with id '{text}'" + (f"; did you mean '{suggestion}'?" if suggestion else ""))
        return known[text.lower()]
    if field_name == "quality_statements:item":
        statement = ctx.config.framework.statement(text)
        if statement is None:
            suggestion = nearest(text, [s.id for s in ctx.config.framework.statements])
            raise NewRecordError("quality_statements", f"'{text}' is not a quality statement of {ctx.config.framework.id}"
                                 + (f"; did you mean '{suggestion}'?" if suggestion else ""))
        return statement.id
    if item is not None and item.type == "person":
        person = parse_person(text, ctx.config.all_roles)
        if person is None:  # pragma: no cover - a string always parses
            raise NewRecordError(field_name, 'write a person as "Name (Role)"')
        return text
    return text


def _choice(field_name: str, text: str, allowed: tuple[str, ...], note: str = "") -> str:
    if text in allowed:
        return text
    folded = canonical_choice(text, allowed)
    if folded is not None:
        return folded
    suggestion = nearest(text, allowed, cutoff=0.5)
    raise NewRecordError(field_name, f"'{text}' is not one of: {', '.join(allowed)}{note}" + (f"; did you mean '{suggestion}'?" if suggestion else ""))


def owner_warning(ctx: Context, value: str) -> str | None:
    person = parse_person(value, ctx.config.all_roles)
    if person is not None and not person.named:
        return f"'{value}' is not a named person; the action will be flagged no-named-owner until a person is named"
    return None


@dataclass
class Planned:
    kind: str
    id: str
    rel: str
    path: Path
    text: str


def plan_record(ctx: Context, kind: str, values: dict[str, Any]) -> Planned:
    """The record's file and text, validated with the whole portfolio; NewRecordError when invalid."""
    record_id = values.get("id") or next_id(ctx, kind)
    fields: dict[str, Any] = {}
    for name in FIELDS[kind]:
        value = record_id if name == "id" else values.get(name)
        if value is None or value == []:
            continue
        if name == "source" and isinstance(value, list) and len(value) == 1:
            value = value[0]
        fields[name] = value
    if kind == "action":
        fields.setdefault("status", "open")
        order = FIELDS[kind]
        fields = {name: fields[name] for name in order if name in fields}
    folder = FOLDER_OF_KIND[kind]
    path = ctx.project / "content" / folder / f"{record_id.lower()}.md"
    rel = path.relative_to(ctx.project).as_posix()
    if path.exists():
        raise NewRecordError("id", f"{rel} already exists; nothing is overwritten", of_option=False)
    from .tracker.writer import raw_record, record_text  # not at import: every command's options load this module

    text = record_text(fields, BODIES[kind])
    problems = Problems()
    validate([*ctx.raw, raw_record(kind, rel, path, text)], ctx.config, ctx.project, problems)
    mine = [p for p in problems.errors if p.path == rel]
    if mine:
        raise NewRecordError(mine[0].field.split(".")[0], "; ".join(_problem_text(p) for p in mine), of_option=False)
    return Planned(kind, record_id, rel, path, text)


def _problem_text(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" + (f"; did you mean '{problem.suggestion}'?" if problem.suggestion else "")


def write_record(planned: Planned) -> None:
    """Write the record; never replace a file (a usage PortfolioError if one appeared meanwhile)."""
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with planned.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(planned.text)
    except FileExistsError:
        raise PortfolioError([Problem("", 0, "", f"{planned.rel} appeared meanwhile; nothing was overwritten")], option="") from None


def stdin_is_terminal() -> bool:
    """Whether missing values can be asked for (tests replace this)."""
    import sys

    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
