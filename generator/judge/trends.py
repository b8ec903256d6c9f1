"""Month-end trends from the records' own dates (an extension, issue 18).

Where an action stood on any day is known from its own dates (``judge/assess.py``), so no
snapshot is needed: each month's point is what ``portfolio.json`` built ``--as-of`` that month's
last day says, and the as-of month's point is the as-of date itself. The window runs back to the
month of the portfolio's earliest dated record, at least 12 months and at most 24.

Everything is counted in one pass over the actions and one over the sources, each action visiting
only the months from the one it was raised in: linear in the records.
"""

from __future__ import annotations

import calendar
import statistics
import weakref
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..format.records import Action, Source
from ..format.values import HIGH_RISKS, SOURCE_KINDS
from .assess import LIVE_STATUSES, deadline_on, status_on

if TYPE_CHECKING:
    from .model import Portfolio

#: The fewest and the most month-end points a trend shows.
MIN_MONTHS, MAX_MONTHS = 12, 24

#: The figures of a point, in the order tables show them: (attribute, column title).
FIGURES: tuple[tuple[str, str], ...] = (
    ("open", "Open or in progress"),
    ("overdue", "Overdue"),
    ("escalate", "Needs escalation"),
    ("closed", "Closed in the month"),
    ("on_time_text", "Closed by the original deadline"),
    ("not_effective", "Not effective"),
    ("median_text", "Median days to close"),
)


@dataclass(frozen=True)
class Point:
    """One month-end: what the portfolio said on ``day`` of the actions (and sources) of a scope.

    ``open``, ``overdue``, ``escalate`` and ``not_effective`` count actions by their status and
    flags on ``day``; ``closed`` counts those closed in the month (a closure dated in it, on or
    before ``day``), ``closed_on_time`` those of them closed on or before their original deadline
    (the first deadline written, before any extension), ``median_days`` the median days from
    raised to closure of those closed in the month; ``sources`` counts the sources dated in the
    month, one figure per kind in ``SOURCE_KINDS`` order.
    """

    day: date
    open: int = 0
    overdue: int = 0
    escalate: int = 0
    closed: int = 0
    closed_on_time: int = 0
    not_effective: int = 0
    median_days: float | None = None
    sources: tuple[int, ...] = (0,) * len(SOURCE_KINDS)

    @property
    def month(self) -> str:
        return self.day.isoformat()[:7]

    @property
    def on_time_percent(self) -> int | None:
        """Closed by the original deadline, as a whole percentage (halves rounded up)."""
        if not self.closed:
            return None
        return (200 * self.closed_on_time + self.closed) // (2 * self.closed)

    @property
    def on_time_text(self) -> str:
        percent = self.on_time_percent
        return "–" if percent is None else f"{percent}% ({self.closed_on_time} of {self.closed})"

    @property
    def median_text(self) -> str:
        return "–" if self.median_days is None else f"{self.median_days:g}"

    def raised(self, kind: str) -> int:
        return self.sources[SOURCE_KINDS.index(kind)]


@dataclass(frozen=True)
class Series:
    """The points of one scope: every action, a service's, a key question's, the high risks."""

    key: str  # "all", "high-risk", "service:<id>", "key-question:<id>"
    title: str
    points: tuple[Point, ...]

    @property
    def source_kinds(self) -> tuple[str, ...]:
        """The kinds of source raised at least once in the window, in the format's order."""
        return tuple(k for i, k in enumerate(SOURCE_KINDS) if any(p.sources[i] for p in self.points))

    @property
    def empty(self) -> bool:
        return not any(p.open or p.closed or p.not_effective or any(p.sources) for p in self.points)


@dataclass(frozen=True)
class Trends:
    """Every series of the portfolio over the same month-ends."""

    days: tuple[date, ...]
    overall: Series
    high_risk: Series
    services: tuple[Series, ...]
    key_questions: tuple[Series, ...]


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_end(index: int) -> date:
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def month_ends(as_of: date, earliest: date | None) -> tuple[date, ...]:
    """The points: each month's last day, back to ``earliest``'s month (12 to 24 months), ending
    with the as-of date itself."""
    last = month_index(as_of)
    first = last - (MIN_MONTHS - 1)
    if earliest is not None:
        first = min(first, max(month_index(earliest), last - (MAX_MONTHS - 1)))
    return tuple(month_end(i) for i in range(first, last)) + (as_of,)


class _Tally:
    """Running counts of one scope, a list per figure indexed by point."""

    def __init__(self, points: int):
        self.open = [0] * points
        self.overdue = [0] * points
        self.escalate = [0] * points
        self.closed = [0] * points
        self.on_time = [0] * points
        self.not_effective = [0] * points
        self.days: list[list[int]] = [[] for _ in range(points)]
        self.sources = [[0] * len(SOURCE_KINDS) for _ in range(points)]

    def series(self, key: str, title: str, days: tuple[date, ...]) -> Series:
        return Series(key, title, tuple(
            Point(
                day=day, open=self.open[i], overdue=self.overdue[i], escalate=self.escalate[i],
                closed=self.closed[i], closed_on_time=self.on_time[i], not_effective=self.not_effective[i],
                median_days=_median(self.days[i]), sources=tuple(self.sources[i]),
            )
            for i, day in enumerate(days)
        ))


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    middle = statistics.median(values)
    return float(middle)


def _earliest(portfolio: "Portfolio") -> date | None:
    dates = [d for r in portfolio.records.values() if (d := r.dated) is not None]
    return min(dates) if dates else None


def build_trends(portfolio: "Portfolio") -> Trends:
    """Every series of the portfolio, from the records in it on the as-of date."""
    days = month_ends(portfolio.as_of, _earliest(portfolio))
    starts = [day.replace(day=1) for day in days]
    count = len(days)
    limit = portfolio.config.thresholds.escalate_overdue_days
    framework = portfolio.config.framework
    question_of = {s.id: s.key_question for s in framework.statements}
    services = {s.key for s in portfolio.by_kind["service"]}
    tallies: dict[str, _Tally] = {"all": _Tally(count), "high-risk": _Tally(count)}
    for key in services:
        tallies[f"service:{key}"] = _Tally(count)
    for question in framework.key_questions:
        tallies[f"key-question:{question.id}"] = _Tally(count)

    def scopes(record: Action | Source, *extra: str) -> list[_Tally]:
        keys = ["all", *extra]
        service = (record.service or "").lower()
        if service in services:
            keys.append(f"service:{service}")
        keys += [f"key-question:{q}" for q in dict.fromkeys(question_of[s] for s in record.quality_statements if s in question_of)]
        return [tallies[k] for k in keys]

    for action in portfolio.actions:
        assert isinstance(action, Action)
        counted = scopes(action, *(("high-risk",) if action.risk in HIGH_RISKS else ()))
        high = action.risk in HIGH_RISKS
        original = action.original_due
        closure = action.closure
        for i in range(bisect_left(days, action.raised), count):
            day = days[i]
            status = status_on(action, day)
            if status in LIVE_STATUSES:
                due = deadline_on(action, day)[0]
                overdue = due < day
                escalate = overdue and (high or (day - due).days > limit)
                for tally in counted:
                    tally.open[i] += 1
                    tally.overdue[i] += overdue
                    tally.escalate[i] += escalate
            elif status == "closed" and closure is not None:
                not_effective = closure.outcome != "effective"
                in_month = closure.date >= starts[i]
                for tally in counted:
                    tally.not_effective[i] += not_effective
                    if in_month:
                        tally.closed[i] += 1
                        tally.on_time[i] += closure.date <= original
                        tally.days[i].append((closure.date - action.raised).days)
    for source in portfolio.by_kind["source"]:
        assert isinstance(source, Source)
        i = bisect_left(days, source.date)
        if i == count or source.date < starts[i]:
            continue  # before the window
        kind = SOURCE_KINDS.index(source.source_kind) if source.source_kind in SOURCE_KINDS else SOURCE_KINDS.index("other")
        for tally in scopes(source):
            tally.sources[i][kind] += 1

    service_series = tuple(
        tallies[f"service:{s.key}"].series(f"service:{s.key}", getattr(s, "name", "") or s.title, days)
        for s in portfolio.by_kind["service"]
    )
    question_series = tuple(
        tallies[f"key-question:{q.id}"].series(f"key-question:{q.id}", q.title, days) for q in framework.key_questions
    )
    return Trends(
        days=days,
        overall=tallies["all"].series("all", "All actions", days),
        high_risk=tallies["high-risk"].series("high-risk", "High and critical risk actions", days),
        services=service_series,
        key_questions=question_series,
    )


_memo: tuple["weakref.ref[Portfolio]", Trends] | None = None


def trends_of(portfolio: "Portfolio") -> Trends:
    """``build_trends``, worked out once per portfolio: the home page, the board view and the
    trends page of one build show the same figures."""
    global _memo
    if _memo is not None and _memo[0]() is portfolio:
        return _memo[1]
    trends = build_trends(portfolio)
    _memo = (weakref.ref(portfolio), trends)
    return trends
