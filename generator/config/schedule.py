"""``site_config/schedule.yml``: what governance should happen, and how often (an extension).

A provider declares its assurance rhythm: a forum that meets monthly, an audit each service owes
every quarter, the weekly review of high-risk actions, how fresh an update must be for each level
of risk. The file is optional: without it nothing is judged against a schedule and the site has
no calendar. A broken file is a usage problem (exit 2), like ``portfolio.yml``; a forum or tag
that names nothing in the portfolio is a warning (:func:`schedule_warnings`), since it is most
often misspelt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from ..format.dates import parse_iso_date
from ..format.values import RISKS, SOURCE_KINDS
from ..problems import PortfolioError, Problem, Problems, nearest
from ..read.yamlread import LineMap
from .files import read_yaml

SCHEDULE_PATH = "site_config/schedule.yml"
SCHEDULE_FIELDS = ("from", "meetings", "audits", "high_risk_review_days", "stale_update_days")
MEETING_FIELDS = ("forum", "every", "name", "per_service", "services", "grace_days")
AUDIT_FIELDS = ("kind", "tag", "every", "name", "per_service", "services", "grace_days")
#: How often something is due; each is a calendar period (ISO week from Monday, month, quarter).
EVERY = ("week", "month", "quarter")
_EVERY_ALIASES = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
#: Days after a period's end within which a meeting or audit still counts for it, as held late.
DEFAULT_GRACE_DAYS = {"week": 2, "month": 7, "quarter": 14}
#: A grace must end before the next period does, so a late record is never two periods late.
MAX_GRACE_DAYS = {"week": 6, "month": 27, "quarter": 89}


def fold(text: str) -> str:
    """A forum's or tag's name compared ignoring case and spaces: 'Monthly  Governance meeting'."""
    return "".join(text.casefold().split())


@dataclass(frozen=True)
class ScheduledItem:
    """One thing that should happen every period: meetings of a forum, or sources of a kind."""

    record_kind: str  # "meeting" or "source"
    name: str  # as pages name it
    every: str  # week, month or quarter
    grace_days: int
    forum: str | None = None  # meetings: matched to a meeting's ``forum``
    source_kind: str | None = None  # sources: matched to a source's ``kind``...
    tag: str | None = None  # ...and, when given, one of its tags
    per_service: bool = False  # each service owes its own
    services: tuple[str, ...] | None = None  # only these services (ids as written); None: every one
    line: int = 1  # in schedule.yml: the forum's (or the tag's, or the kind's) line, for warnings
    services_line: int = 1
    where: str = ""  # "meetings[1]", for warnings

    @property
    def noun(self) -> str:
        """What one occurrence is called in a reason: 'meeting', 'audit', 'oversight review'."""
        return "meeting" if self.record_kind == "meeting" else (self.source_kind or "source").replace("-", " ")

    @cached_property
    def _folded(self) -> str:
        return fold(self.forum or "") if self.record_kind == "meeting" else fold(self.tag or "")

    def matches(self, record: Any) -> bool:
        """Whether a record (or its summary) is an occurrence of this item, whatever its service."""
        if record.kind != self.record_kind:
            return False
        if self.record_kind == "meeting":
            return fold(getattr(record, "forum", "") or "") == self._folded
        if getattr(record, "source_kind", None) != self.source_kind:
            return False
        return self.tag is None or any(fold(t) == self._folded for t in getattr(record, "tags", ()) or ())


@dataclass(frozen=True)
class Unpublished:
    """A record that met a scheduled item but is not in a share (sensitive, or of another
    service): the share still counts it as held, without naming it."""

    item: int  # index into Schedule.items
    service: str | None  # service key
    day: date


@dataclass(frozen=True)
class Schedule:
    """The schedule as declared, checked."""

    items: tuple[ScheduledItem, ...] = ()
    start: date | None = None  # ``from``; None: the earliest record
    high_risk_review_days: int | None = None
    stale_update_days: tuple[tuple[str, int], ...] = ()  # (risk, days), in RISKS' order
    #: Set by a share: occurrences it counts but does not publish.
    unpublished: tuple[Unpublished, ...] = ()

    def stale_days(self, risk: str) -> int | None:
        return dict(self.stale_update_days).get(risk)

    def for_share(self, text: Callable[[str], str], since: date | None, unpublished: Iterable[Unpublished]) -> Schedule:
        """The schedule a share judges by: names rewritten as every published string is, judged
        from the share's ``since`` at the earliest (earlier records are not in it)."""
        items = tuple(
            replace(item, name=text(item.name), forum=text(item.forum) if item.forum else None,
                    tag=text(item.tag) if item.tag else None)
            for item in self.items
        )
        start = self.start
        if since is not None and (start is None or start < since):
            start = since
        return replace(self, items=items, start=start, unpublished=tuple(unpublished))


def shared_schedule(schedule: Schedule | None, records: dict[str, Any], kept: set[str], text: Callable[[str], str],
                    since: date | None) -> Schedule | None:
    """The schedule of a share: every record that met an item but is not in the share (sensitive,
    or outside its window) still counts, unnamed, so a period is never missed because of what the
    share leaves out."""
    if schedule is None:
        return None
    unpublished = []
    for key, record in records.items():
        if key in kept or record.kind not in ("meeting", "source") or record.dated is None:
            continue
        for index, item in enumerate(schedule.items):
            if item.matches(record):
                unpublished.append(Unpublished(index, (record.service or "").lower() or None, record.dated))
    return schedule.for_share(text, since, unpublished)


def load_schedule(project_dir: Path, problems: Problems) -> Schedule | None:
    """Read ``site_config/schedule.yml`` if there is one; its problems go to ``problems``.

    Returns None when there is no file or it has errors (the caller stops on errors).
    """
    if not (project_dir / SCHEDULE_PATH).is_file():
        return None
    rel = SCHEDULE_PATH
    found = Problems()
    data, lines = read_yaml(project_dir / rel, rel, found)
    if data is None:
        # A file of comments only (as ``portfolio init`` writes it) declares nothing: no schedule.
        problems.extend(p for p in found.items if p.message != "is empty")
        return None
    problems.extend(found.items)
    if not isinstance(data, dict):
        problems.add(rel, 1, "schedule.yml", "must be a mapping of 'field: value' lines (meetings, audits, high_risk_review_days, stale_update_days)")
        return None
    before = len(problems.errors)
    for key in data:
        if str(key) not in SCHEDULE_FIELDS:
            problems.warn(rel, lines.line(key), str(key), "unknown field", suggestion=nearest(str(key), SCHEDULE_FIELDS))
    start = None
    if data.get("from") is not None:
        start = _date(data["from"], lines, rel, problems, "from")
    items = [*_items(data, "meetings", lines, rel, problems), *_items(data, "audits", lines, rel, problems)]
    review = _days(data.get("high_risk_review_days"), lines, rel, problems, ("high_risk_review_days",))
    stale = _stale(data.get("stale_update_days"), lines, rel, problems)
    if len(problems.errors) > before:
        return None
    return Schedule(tuple(items), start, review, stale)


def _items(data: dict[Any, Any], key: str, lines: LineMap, rel: str, problems: Problems) -> list[ScheduledItem]:
    raw = data.get(key)
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(rel, lines.line(key), key, "must be a list of items, each starting with '- '")
        return []
    fields = MEETING_FIELDS if key == "meetings" else AUDIT_FIELDS
    items = []
    for index, entry in enumerate(raw):
        where = f"{key}[{index + 1}]"
        if not isinstance(entry, dict):
            problems.add(rel, lines.line(key, index), where, f"must be a mapping ({', '.join(fields[:3])}...)")
            continue
        for name in entry:
            if str(name) not in fields:
                problems.warn(rel, lines.line(key, index, name), f"{where}.{name}", "unknown field", suggestion=nearest(str(name), fields))
        item = _item(entry, key, index, where, lines, rel, problems)
        if item is not None:
            items.append(item)
    return items


def _item(entry: dict[Any, Any], key: str, index: int, where: str, lines: LineMap, rel: str, problems: Problems) -> ScheduledItem | None:
    def line(name: str) -> int:
        return lines.line(key, index, name)

    before = len(problems.errors)
    every = entry.get("every")
    if every is None:
        problems.add(rel, lines.line(key, index), f"{where}.every", "how often is required: week, month or quarter")
    elif not isinstance(every, str) or _EVERY_ALIASES.get(every.strip().lower(), every.strip().lower()) not in EVERY:
        problems.add(rel, line("every"), f"{where}.every", f"must be week, month or quarter, not {every!r}",
                     suggestion=nearest(str(every), [*EVERY, *_EVERY_ALIASES]))
    period = _EVERY_ALIASES.get(str(every).strip().lower(), str(every).strip().lower())

    forum = source_kind = tag = None
    if key == "meetings":
        forum = _text(entry.get("forum"), line("forum"), f"{where}.forum", rel, problems, required="the forum's name, as meetings write it, is required")
    else:
        raw_kind = entry.get("kind", "audit")
        if not isinstance(raw_kind, str) or raw_kind not in SOURCE_KINDS:
            problems.add(rel, line("kind"), f"{where}.kind", f"must be a kind of source ({', '.join(SOURCE_KINDS)}), not {raw_kind!r}",
                         suggestion=nearest(str(raw_kind), SOURCE_KINDS))
        else:
            source_kind = raw_kind
        if entry.get("tag") is not None:
            tag = _text(entry.get("tag"), line("tag"), f"{where}.tag", rel, problems)
    name = entry.get("name")
    if name is not None:
        name = _text(name, line("name"), f"{where}.name", rel, problems)
    per_service = entry.get("per_service", False)
    if not isinstance(per_service, bool):
        problems.add(rel, line("per_service"), f"{where}.per_service", f"must be true or false, not {per_service!r}")
    services = None
    if entry.get("services") is not None:
        raw = entry["services"]
        raw = [raw] if isinstance(raw, str) else raw
        if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
            problems.add(rel, line("services"), f"{where}.services", "must be a list of service ids")
        else:
            services = tuple(s.strip() for s in raw)
    grace = DEFAULT_GRACE_DAYS.get(period, 0)
    if entry.get("grace_days") is not None and period in EVERY:
        given = _days(entry["grace_days"], lines, rel, problems, (key, index, "grace_days"), label=f"{where}.grace_days", zero=True)
        if given is not None and given > MAX_GRACE_DAYS[period]:
            problems.add(rel, line("grace_days"), f"{where}.grace_days", f"must be at most {MAX_GRACE_DAYS[period]} days for every {period}, so a late {period} ends before the next one does")
        elif given is not None:
            grace = given
    if len(problems.errors) > before:
        return None
    if name is None:
        name = forum if forum else " ".join(p for p in ((source_kind or "").replace("-", " ").capitalize(), f"({tag})" if tag else "") if p)
    return ScheduledItem(
        record_kind="meeting" if key == "meetings" else "source", name=name or "", every=period, grace_days=grace,
        forum=forum, source_kind=source_kind, tag=tag, per_service=per_service is True or services is not None,
        services=services, line=line("forum" if key == "meetings" else "tag" if tag else "kind"),
        services_line=line("services"), where=where,
    )


def _text(value: Any, line: int, label: str, rel: str, problems: Problems, required: str | None = None) -> str | None:
    if value is None and required:
        problems.add(rel, line, label, required)
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.add(rel, line, label, "must be a word or phrase")
        return None
    return " ".join(value.split())


def _date(value: Any, lines: LineMap, rel: str, problems: Problems, key: str) -> date | None:
    try:
        return parse_iso_date(str(value))
    except ValueError as exc:
        problems.add(rel, lines.line(key), key, str(exc))
        return None


def _days(value: Any, lines: LineMap, rel: str, problems: Problems, path: tuple[Any, ...], *, label: str | None = None, zero: bool = False) -> int | None:
    if value is None:
        return None
    least = 0 if zero else 1
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        problems.add(rel, lines.line(*path), label or ".".join(map(str, path)), f"must be a whole number of days, {least} or more, not {value!r}")
        return None
    return value


def _stale(raw: Any, lines: LineMap, rel: str, problems: Problems) -> tuple[tuple[str, int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.add(rel, lines.line("stale_update_days"), "stale_update_days", "must be a mapping of risk levels (low, medium, high, critical) to days")
        return ()
    days: dict[str, int] = {}
    for key, value in raw.items():
        risk = str(key)
        if risk not in RISKS:
            problems.warn(rel, lines.line("stale_update_days", key), f"stale_update_days.{risk}", "unknown risk level", suggestion=nearest(risk, RISKS))
            continue
        given = _days(value, lines, rel, problems, ("stale_update_days", key), label=f"stale_update_days.{risk}")
        if given is not None:
            days[risk] = given
    return tuple((risk, days[risk]) for risk in RISKS if risk in days)


def schedule_warnings(schedule: Schedule, records: Iterable[Any]) -> list[Problem]:
    """A forum, kind and tag or service the schedule names that nothing in the portfolio has:
    most often a misspelling, which would otherwise show as every period missed."""
    items = schedule.items
    met = [False] * len(items)
    forums: set[str] = set()
    tags: set[str] = set()
    services: set[str] = set()
    for record in records:
        if record.kind == "service":
            services.add(record.key)
            continue
        if record.kind == "meeting" and getattr(record, "forum", None):
            forums.add(record.forum)
        elif record.kind == "source":
            tags.update(getattr(record, "tags", ()) or ())
        for index, item in enumerate(items):
            if not met[index] and item.matches(record):
                met[index] = True
    found = Problems()
    for index, item in enumerate(items):
        if not met[index]:
            if item.record_kind == "meeting":
                found.warn(SCHEDULE_PATH, item.line, f"{item.where}.forum", f"no meeting has the forum '{item.forum}'", suggestion=nearest(item.forum or "", sorted(forums)))
            elif item.tag:
                found.warn(SCHEDULE_PATH, item.line, f"{item.where}.tag", f"no source of kind {item.source_kind} has the tag '{item.tag}'", suggestion=nearest(item.tag, sorted(tags)))
            else:
                found.warn(SCHEDULE_PATH, item.line, f"{item.where}.kind", f"no source has the kind {item.source_kind}")
        for service in item.services or ():
            if service.lower() not in services:
                found.warn(SCHEDULE_PATH, item.services_line, f"{item.where}.services", f"no service has the id '{service}'", suggestion=nearest(service, sorted(services)))
    return found.items


def load_schedule_or_stop(project_dir: Path, warnings: Problems) -> Schedule | None:
    """:func:`load_schedule` for ``portfolio.yml``'s loader: errors stop with a usage error."""
    problems = Problems()
    schedule = load_schedule(project_dir, problems)
    if problems.errors:
        raise PortfolioError(problems.sorted(), usage=True)
    warnings.extend(problems.warnings)
    return schedule
