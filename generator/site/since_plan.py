"""The "Since last month" page (an extension, issue 18): what changed between the end of the
previous month and the as-of date.

Status on any date follows from the records' own dates, so no snapshot is needed: the same
records are judged again as of the previous month's last day and the two are compared with the
snapshots' comparison (generator/archive/changes.py), extended with the flags that cleared and
the assurance checks that appeared and cleared. A share compares its own filtered records, so
the page shows nothing the share does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..archive.changes import compute_changes, summarise_portfolio
from ..archive.manifest import Month
from ..format.values import KIND_TITLES
from ..judge.assurance import enabled_checks
from ..judge.checks import Check
from ..judge.model import Portfolio, build_portfolio
from ..read.links import Validated
from .plan import DASHBOARDS, SPLIT_ROWS, PlannedPage

TITLE = "Since last month"


def end_of_last_month(as_of: date) -> date:
    """The last day of the month before the as-of date's month (31 October for 22 November)."""
    return Month.of(as_of).previous().last_day


def portfolio_as_of(portfolio: Portfolio, day: date) -> Portfolio:
    """The same records judged as of an earlier ``day``.

    Every record and link of the portfolio is rebuilt from (a record dated after the as-of date
    is in neither), so a share compares its own filtered records and nothing withheld comes back.
    """
    links = [link for outgoing in portfolio.outlinks.values() for link in outgoing]
    # A share's counts of what it withheld are known before the checks are judged, as on the as-of date.
    return build_portfolio(Validated(dict(portfolio.records), links), portfolio.config, day, withheld=portfolio.withheld)


@dataclass(frozen=True)
class Listed:
    """A list of the page: the first SPLIT_ROWS rows, and how many there are in all."""

    rows: list[Any]
    total: int


def _listed(rows: list[Any]) -> Listed:
    return Listed(rows[:SPLIT_ROWS], len(rows))


def overall_changes(before: tuple[Check, ...], now: tuple[Check, ...]) -> tuple[list[Check], list[Check]]:
    """Portfolio-wide checks that appeared (as they read now) and cleared (as they read then),
    compared by check: a forum still missing its meetings is not "new" because its count moved."""
    held_before = {c.check for c in before}
    held_now = {c.check for c in now}
    return [c for c in now if c.check not in held_before], [c for c in before if c.check not in held_now]


def since_context(portfolio: Portfolio) -> dict[str, Any]:
    """The page's lists, each of (record, ...) rows in the comparison's order."""
    since = end_of_last_month(portfolio.as_of)
    before = portfolio_as_of(portfolio, since)
    changes = compute_changes(
        Month.of(portfolio.as_of), Month.of(since).key, summarise_portfolio(before), summarise_portfolio(portfolio), cleared=True,
    )
    record = portfolio.get
    appeared, cleared = overall_changes(before.portfolio_checks, portfolio.portfolio_checks)
    return {
        "since": since,
        "added": _listed([record(rid) for rid in changes["added"]]),
        "status_changed": _listed([(record(c["id"]), c["from"], c["to"]) for c in changes["status_changed"]]),
        "due_changed": _listed([(record(c["id"]), c["from"], c["to"]) for c in changes["due_changed"]]),
        "newly_flagged": _listed([(record(c["id"]), c["flags"]) for c in changes["newly_flagged"]]),
        "flags_cleared": _listed([(record(c["id"]), c["flags"]) for c in changes["flags_cleared"]]),
        "newly_checked": _listed([(record(c["id"]), c["checks"]) for c in changes["newly_checked"]]),
        "checks_cleared": _listed([(record(c["id"]), c["checks"]) for c in changes["checks_cleared"]]),
        "overall_appeared": appeared,
        "overall_cleared": cleared,
        "checks_judged": bool(enabled_checks(portfolio.config.checks_off)),
        "kind_titles": KIND_TITLES,
        "row_limit": SPLIT_ROWS,
    }


def since_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """The one page, in the dashboards' navigation."""
    return [PlannedPage(DASHBOARDS["since"], "since_last_month.html.j2", TITLE, {**shared, **since_context(portfolio)})]
