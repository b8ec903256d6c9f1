"""The pages of the assurance checks (an extension; generator/judge/assurance.py).

"Assurance checks" lists every check judged, what it looks for and how many actions it holds
for; each check has a page listing its actions with the reason, as each flag has. Pages of other
assurance views (calendar, trends, learning...) are planned here too, so ``plan.py`` stays the
plan of format version 1's site.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..judge.assurance import enabled_checks
from ..judge.model import Portfolio, natural_key
from .calendar_plan import calendar_pages
from .dashboards import Row
from .learning_plan import learning_pages
from .plan import DASHBOARDS, PlannedPage, split_by_month
from .trends_plan import trends_pages
from .since_plan import since_pages


def check_uri(check: str) -> str:
    return f"dashboards/checks/{check}.md"


def by_check(portfolio: Portfolio) -> dict[str, list[Row]]:
    """Actions each action-level check holds for, with its reason, most urgent deadline first.

    An action can hold a check more than once (two measures short of target): one row each.
    """
    lists: dict[str, list[Row]] = {c.id: [] for c in enabled_checks(portfolio.config.checks_off) if c.scope == "action"}
    for action in portfolio.actions:
        for check in portfolio.checks(action):
            lists.setdefault(check.check, []).append(Row(action, check.reason))
    for rows in lists.values():
        rows.sort(key=lambda row: (portfolio.state(row.action).due, natural_key(row.action.id)))
    return lists


def assurance_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """The "Assurance checks" dashboard and a page per check."""
    checks = enabled_checks(portfolio.config.checks_off)
    rows = by_check(portfolio)
    overview: dict[str, Any] = {
        **shared, "checks": checks, "by_check": rows, "portfolio_checks": portfolio.portfolio_checks,
    }
    pages = [PlannedPage(DASHBOARDS["assurance"], "assurance.html.j2", "Assurance checks", overview)]
    pages += calendar_pages(portfolio, shared)
    deadline: Callable[[Any], date] = lambda row: portfolio.state(row.action).due
    for check in checks:
        if check.scope != "action":
            continue
        page = PlannedPage(check_uri(check.id), "check.html.j2", check.title, {**shared, "check": check, "rows": rows[check.id]}, in_nav=False)
        pages += split_by_month(
            page, ("rows",), deadline, check.title, f"{check.title}: deadline in {{month}}", "Deadline in", "actions",
        )
    pages += learning_pages(portfolio, shared)
    pages += trends_pages(portfolio, shared)
    pages += since_pages(portfolio, shared)
    return pages
