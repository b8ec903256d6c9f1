"""The assurance calendar (an extension): each scheduled item per service, month by month.

Rows are the items of ``site_config/schedule.yml`` (one per service where an item is per
service), columns the twelve months up to the as-of month. Each cell says, in words and a colour,
whether what was due then was held, held late, missed or is not yet due, and links to the
meetings or sources that met it. A site without ``schedule.yml`` has no calendar.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..format.records import Record
from ..judge.model import Portfolio
from ..judge.periods import HELD, LATE, MISSED, NOT_YET_DUE, ItemRow, Outcome, schedule_rows
from ..judge.schedule import missed_checks
from .plan import DASHBOARDS, PlannedPage, month_label

MONTHS_SHOWN = 12
#: The worst status of a month's outcomes is the cell's (a weekly item: one missed week shows).
_WORST = (MISSED, LATE, NOT_YET_DUE, HELD)
NOT_SCHEDULED, WITHIN = "not-scheduled", "within"


@dataclass(frozen=True)
class Cell:
    """One month of one row: a status (HELD, LATE, MISSED, NOT_YET_DUE, WITHIN a longer period,
    NOT_SCHEDULED before the schedule's start), its words, and the records behind it."""

    status: str
    text: str
    records: tuple[Record, ...] = ()
    unpublished: int = 0


@dataclass(frozen=True)
class CalendarRow:
    row: ItemRow
    cells: tuple[Cell, ...]


def months_up_to(as_of: date, count: int = MONTHS_SHOWN) -> list[str]:
    """``['2025-12', ..., '2026-11']``: the ``count`` months ending with the as-of month."""
    year, month = as_of.year, as_of.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _month_of(outcome: Outcome, every: str) -> str:
    """The month a period is shown in: its own, a quarter's last, a week's Thursday's (ISO's rule)."""
    if every == "week":
        return (outcome.period.start + timedelta(days=3)).isoformat()[:7]
    return outcome.period.end.isoformat()[:7]


def _cell(outcomes: list[Outcome], every: str) -> Cell:
    records = tuple(r for o in outcomes for r in o.records)
    unpublished = sum(o.unpublished for o in outcomes)
    judged = [o for o in outcomes if o.status != NOT_YET_DUE]
    if not judged:
        return Cell(HELD if records or unpublished else NOT_YET_DUE, "held" if records or unpublished else "not yet due", records, unpublished)
    status = next(s for s in _WORST if any(o.status == s for o in judged))
    if every == "week" and len(judged) > 1 and status != HELD:
        count = sum(1 for o in judged if o.status == status)
        text = f"{'missed' if status == MISSED else 'late'} {count} of {len(judged)} weeks"
    else:
        text = {HELD: "held", LATE: "late", MISSED: "missed"}[status]
    return Cell(status, text, records, unpublished)


def calendar_rows(rows: list[ItemRow], months: list[str]) -> list[CalendarRow]:
    """Each row's cells for ``months``: the outcomes of the periods shown in each month."""
    shown = set(months)
    result = []
    for row in rows:
        every = row.item.every
        by_month: dict[str, list[Outcome]] = {}
        within: dict[str, Outcome] = {}  # a quarter's earlier months
        for outcome in row.outcomes:
            month = _month_of(outcome, every)
            if month in shown:
                by_month.setdefault(month, []).append(outcome)
            if every == "quarter":
                start = outcome.period.start
                for step in (0, 1):
                    earlier = date(start.year, start.month + step, 1).isoformat()[:7]
                    within[earlier] = outcome
        cells = []
        for month in months:
            if month in by_month:
                cells.append(_cell(by_month[month], every))
            elif month in within:
                outcome = within[month]
                there = tuple(r for r in outcome.records if r.dated is not None and r.dated.isoformat()[:7] == month)
                cells.append(Cell(HELD, "held", there) if there else Cell(WITHIN, f"due {outcome.period.label}"))
            else:
                cells.append(Cell(NOT_SCHEDULED, "not scheduled"))
        result.append(CalendarRow(row, tuple(cells)))
    return result


def calendar_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """The "Assurance calendar" dashboard, when the portfolio has a schedule."""
    schedule = portfolio.config.schedule
    if schedule is None:
        return []
    months = months_up_to(portfolio.as_of)
    rows = schedule_rows(portfolio)
    context = {
        **shared, "schedule": schedule, "months": [(m, month_label(m), _short(m)) for m in months],
        "rows": calendar_rows(rows, months),
        "missed": missed_checks(portfolio),
        "review_counts": _review_counts(portfolio),
    }
    return [PlannedPage(DASHBOARDS["calendar"], "calendar.html.j2", "Assurance calendar", context)]


def _short(month: str) -> str:
    """``Mar 2026``: a column of the calendar (twelve must fit across A4 landscape)."""
    return f"{calendar.month_abbr[int(month[5:])]} {month[:4]}"


def _review_counts(portfolio: Portfolio) -> dict[str, int]:
    """How many actions each per-action schedule check holds for (those switched on)."""
    counts = {check: 0 for check in ("high-risk-review-late", "update-overdue-for-risk") if check not in portfolio.config.checks_off}
    for checks in portfolio.assurance.values():
        for check in checks:
            if check.check in counts:
                counts[check.check] += 1
    return counts
