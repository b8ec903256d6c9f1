"""The assurance schedule judged period by period: held, late, missed or not yet due (an extension).

Each item of ``site_config/schedule.yml`` (per service when it asks) is judged over its periods
(ISO weeks from Monday, calendar months, calendar quarters) from the schedule's start (its
``from`` date, else the earliest record; a share's ``since`` at the earliest) up to the as-of date:

- **held**: a matching record is dated in the period;
- **late**: none in the period, but one dated within the item's grace after the period ended
  (that record also holds its own period);
- **missed**: none in the period nor within the grace, and the grace is over;
- **not yet due**: the period (or its grace) has not ended on the as-of date and nothing is held yet.

Only the records' own dates count, and only records in the portfolio on the as-of date. Every
matching record is found in one pass over meetings and sources, whatever the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Iterator

from ..config.schedule import Schedule, ScheduledItem
from ..format.records import Record, Service

if TYPE_CHECKING:  # judge/model.py imports the checks, which import this module
    from .model import Portfolio

HELD, LATE, MISSED, NOT_YET_DUE = "held", "late", "missed", "not-yet-due"
STATUS_TEXT = {HELD: "held", LATE: "late", MISSED: "missed", NOT_YET_DUE: "not yet due"}


@dataclass(frozen=True)
class Period:
    """One week, month or quarter: ``2026-W10``, ``2026-03``, ``2026-Q1``."""

    label: str
    start: date
    end: date  # its last day


def period_of(day: date, every: str) -> Period:
    """The period of ``every`` that ``day`` falls in."""
    if every == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return Period(f"{year}-W{week:02d}", start, start + timedelta(days=6))
    if every == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        start = date(day.year, first, 1)
        label = f"{day.year}-Q{(first - 1) // 3 + 1}"
        months = 3
    else:
        start = date(day.year, day.month, 1)
        label = start.isoformat()[:7]
        months = 1
    year, month = divmod(start.month - 1 + months, 12)
    return Period(label, start, date(start.year + year, month + 1, 1) - timedelta(days=1))


def periods_between(first: date, last: date, every: str) -> Iterator[Period]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order."""
    period = period_of(first, every)
    while period.start <= last:
        yield period
        period = period_of(period.end + timedelta(days=1), every)


@dataclass(frozen=True)
class Outcome:
    """How one period of one item went."""

    period: Period
    status: str  # HELD, LATE, MISSED, NOT_YET_DUE
    records: tuple[Record, ...]  # the records that held it (the late one, when late)
    unpublished: int = 0  # held by records a share does not publish

    @property
    def text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class ItemRow:
    """One scheduled item for one service (or for the provider as a whole), period by period."""

    index: int  # the item's place in the schedule
    item: ScheduledItem
    service: Service | None
    outcomes: tuple[Outcome, ...]

    @property
    def title(self) -> str:
        return f"{self.item.name}, {self.service.name or self.service.title}" if self.service else self.item.name

    def with_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]


def schedule_start(portfolio: "Portfolio", schedule: Schedule) -> date | None:
    """The ``from`` date, else the earliest date of a record in the portfolio."""
    if schedule.start is not None:
        return schedule.start
    # The dated kinds' own fields, read directly: a property call per record costs more at scale.
    firsts = [min((a.raised for a in portfolio.actions), default=None)]
    firsts += [min((r.date for r in portfolio.by_kind[kind]), default=None) for kind in ("source", "evidence", "meeting")]  # type: ignore[attr-defined]
    firsts += [r.dated for r in portfolio.by_kind["statement"]]
    dates = [d for d in firsts if d is not None]
    return min(dates) if dates else None


def schedule_rows(portfolio: "Portfolio") -> list[ItemRow]:
    """Every item of the schedule, per service where it asks, judged up to the as-of date."""
    schedule = portfolio.config.schedule
    if schedule is None or not schedule.items:
        return []
    start = schedule_start(portfolio, schedule)
    if start is None or start > portfolio.as_of:
        return []
    services = [s for s in portfolio.by_kind["service"] if isinstance(s, Service)]
    # One pass over meetings and sources: (item, service key or None) -> the records that met it.
    met: dict[tuple[int, str | None], list[Record]] = {}
    hidden: dict[tuple[int, str | None], list[date]] = {}
    for kind in ("meeting", "source"):
        for record in portfolio.by_kind[kind]:
            for index, item in enumerate(schedule.items):
                if item.matches(record):
                    met.setdefault((index, _where(item, record.service)), []).append(record)
    for occurrence in schedule.unpublished:
        item = schedule.items[occurrence.item]
        if occurrence.day <= portfolio.as_of:
            hidden.setdefault((occurrence.item, _where(item, occurrence.service)), []).append(occurrence.day)
    rows = []
    for index, item in enumerate(schedule.items):
        if not item.per_service:
            rows.append(_judge_row(index, item, None, met.get((index, None), []), hidden.get((index, None), []), start, portfolio.as_of))
            continue
        chosen = {s.lower() for s in item.services} if item.services is not None else None
        for service in services:
            if chosen is None or service.key in chosen:
                key = (index, service.key)
                rows.append(_judge_row(index, item, service, met.get(key, []), hidden.get(key, []), start, portfolio.as_of))
    return rows


def _where(item: ScheduledItem, service: str | None) -> str | None:
    """Which row a record counts for: its service's, or the provider's for a provider-wide item."""
    return (service or "").lower() if item.per_service else None


def _judge_row(index: int, item: ScheduledItem, service: Service | None, records: list[Record], hidden: list[date],
               start: date, as_of: date) -> ItemRow:
    from .model import natural_key

    by_period: dict[str, list[Record]] = {}
    for record in sorted(records, key=lambda r: (r.dated or date.min, natural_key(r.id))):
        if record.dated is not None:
            by_period.setdefault(period_of(record.dated, item.every).label, []).append(record)
    unseen: dict[str, int] = {}
    for day in hidden:
        label = period_of(day, item.every).label
        unseen[label] = unseen.get(label, 0) + 1
    grace = timedelta(days=item.grace_days)
    outcomes = []
    for period in periods_between(start, as_of, item.every):
        inside = by_period.get(period.label, [])
        hidden_count = unseen.get(period.label, 0)
        if inside or hidden_count:
            outcomes.append(Outcome(period, HELD, tuple(inside), hidden_count))
            continue
        after = period_of(period.end + timedelta(days=1), item.every)
        late = [r for r in by_period.get(after.label, []) if r.dated is not None and r.dated <= period.end + grace]
        late_hidden = sum(1 for d in hidden if period.end < d <= period.end + grace)
        if late or late_hidden:
            outcomes.append(Outcome(period, LATE, tuple(late[:1]), 0 if late else 1))
        elif period.end + grace < as_of:
            outcomes.append(Outcome(period, MISSED, ()))
        else:
            outcomes.append(Outcome(period, NOT_YET_DUE, ()))
    return ItemRow(index, item, service, tuple(outcomes))
