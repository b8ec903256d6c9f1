"""The "Trends" and "Measures across services" dashboards (an extension, issue 18), and the charts
the home page, the board view and the inspection pack show of them.

The figures come from ``judge/trends.py`` and ``judge/measures.py``; here they become charts
(``site/linechart.py``) and page contexts. Every chart has its figures in a table beside it.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from markupsafe import Markup

from ..format.values import SOURCE_KINDS
from ..judge.measures import FAMILY as MEASURES, MeasureGroup, measure_groups
from ..judge.model import Portfolio
from ..judge.trends import Point, Series, trends_of
from .linechart import Line, line_chart
from .plan import DASHBOARDS, PlannedPage

#: What a list of sources of each kind is called, as the trends tables head their columns.
SOURCE_KIND_PLURALS = {
    "audit": "Audits", "incident": "Incidents", "complaint": "Complaints", "feedback-theme": "Feedback themes",
    "safeguarding": "Safeguarding concerns", "oversight-review": "Oversight reviews", "inspection": "Inspections",
    "risk": "Risks", "training-need": "Training needs", "care-plan-review": "Care plan reviews", "other": "Other sources",
}
assert set(SOURCE_KIND_PLURALS) == set(SOURCE_KINDS)


def month_short(day: date) -> str:
    """``Nov 2025``: a chart's label for the month of a point (English, as the archive's titles)."""
    return f"{calendar.month_abbr[day.month]} {day.year}"


def _labels(points: tuple[Point, ...]) -> list[str]:
    return [month_short(p.day) for p in points]


def _span(points: tuple[Point, ...]) -> str:
    return f"Month-end figures from {points[0].day.isoformat()} to {points[-1].day.isoformat()}."


def status_chart(series: Series, chart_id: str) -> Markup:
    """Open or in progress, overdue and needing escalation at each month end."""
    points = series.points
    lines = [
        Line("Open or in progress", [p.open for p in points]),
        Line("Overdue", [p.overdue for p in points]),
        Line("Needs escalation", [p.escalate for p in points]),
    ]
    title = f"{series.title}: open, overdue and needing escalation at each month end"
    return Markup(line_chart(chart_id, title, _labels(points), lines, intro=_span(points),
                             caption="Open, overdue and needing escalation at each month end"))


def closures_chart(series: Series, chart_id: str) -> Markup:
    """Closed in each month, and how many of those by their original deadline."""
    points = series.points
    lines = [
        Line("Closed in the month", [p.closed for p in points]),
        Line("Closed by the original deadline", [p.closed_on_time for p in points]),
    ]
    title = f"{series.title}: actions closed in each month"
    return Markup(line_chart(chart_id, title, _labels(points), lines, intro=_span(points), caption="Actions closed in each month"))


def sources_chart(series: Series, chart_id: str) -> Markup:
    """Sources raised in each month, a line per kind raised in the window."""
    points = series.points
    lines = [Line(SOURCE_KIND_PLURALS[kind], [p.raised(kind) for p in points]) for kind in series.source_kinds]
    title = f"{series.title}: sources raised in each month, by kind"
    return Markup(line_chart(chart_id, title, _labels(points), lines, intro=f"Sources dated in each month. {_span(points)}",
                             caption="Sources raised in each month, by kind"))


def measure_chart(group: MeasureGroup, chart_id: str) -> Markup:
    """A line per service, and the services' median, month by month."""
    unit = "" if not group.unit else group.unit if group.unit == "%" else f" {group.unit}"
    labels = [month_short(date(int(m[:4]), int(m[5:7]), 1)) for m in group.months]
    lines = [
        Line(line.label, [(v.value if (v := line.value_in(month)) else None) for month in group.months])
        for line in group.lines
    ]
    lines.append(Line("Median of the services", [group.median.get(month) for month in group.months], thick=True))
    title = f"{group.name}{' (' + group.unit + ')' if group.unit else ''}: each service's value by month, with the services' median"
    return Markup(line_chart(chart_id, title, labels, lines, target=group.target, unit=unit,
                             intro="Each service's latest reading in the month.", caption="Each service by month, with the median"))


#: What templates call (the site's renderer and the pack's environment).
GLOBALS: dict[str, Any] = {
    "status_chart": status_chart, "closures_chart": closures_chart, "sources_chart": sources_chart,
    "measure_chart": measure_chart, "SOURCE_KIND_PLURALS": SOURCE_KIND_PLURALS, "month_short": month_short,
}


def pack_trend(portfolio: Portfolio, key_question: Any = None) -> Series:
    """The series an inspection pack shows: its key question's, or every action's."""
    trends = trends_of(portfolio)
    if key_question is None:
        return trends.overall
    return next(s for s in trends.key_questions if s.key == f"key-question:{key_question.id}")


def measure_findings(portfolio: Portfolio) -> list[Any]:
    """The measures family's findings that hold (those switched off were never kept)."""
    ids = {check.id for check in MEASURES.checks}
    return [c for c in portfolio.portfolio_checks if c.check in ids]


def trends_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """"Trends" and "Measures across services", both in the dashboards' navigation."""
    groups = measure_groups(portfolio)
    # The actions the page links, as records: a page is rendered again when one of them changes.
    named = dict.fromkeys(a for g in groups for line in g.lines for a in line.action_ids)
    actions = [record for a in named if (record := portfolio.get(a)) is not None]
    return [
        PlannedPage(DASHBOARDS["trends"], "trends.html.j2", "Trends", {**shared, "trends": trends_of(portfolio)}),
        PlannedPage(DASHBOARDS["measures"], "measures.html.j2", "Measures across services", {
            **shared,
            "shared_groups": [g for g in groups if g.shared],
            "single_groups": [g for g in groups if not g.shared],
            "findings": measure_findings(portfolio),
            "measure_actions": actions,
        }),
    ]
