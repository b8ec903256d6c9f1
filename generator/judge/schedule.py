"""The schedule family of assurance checks: did governance happen as ``schedule.yml`` says?

Judged only when ``site_config/schedule.yml`` exists (generator/config/schedule.py): a forum that
did not meet in a period it should have, an audit a service did not have, a high or critical
action nobody has reviewed this week, an action whose last update is older than its risk allows.
Periods are judged by generator/judge/periods.py (held, late, missed, not yet due).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..format.values import HIGH_RISKS
from .assess import LIVE_STATUSES
from .checks import CheckInfo, Family, Finding, Check
from .periods import ItemRow, MISSED, schedule_rows

if TYPE_CHECKING:
    from .model import Portfolio

#: Beyond this many, a reason names the number of missed periods and the latest ones.
LISTED_PERIODS = 12

CHECKS = (
    CheckInfo(
        "governance-missed", "Governance meeting missed",
        "a forum that schedule.yml says meets every week, month or quarter had no "
        "meeting in a period that has ended (nor within its grace after it); each missed period is named",
        scope="portfolio",
    ),
    CheckInfo(
        "audit-missed", "Scheduled audit missed",
        "an audit (a source of the kind and tag site_config/schedule.yml names) due every week, "
        "month or quarter, per service where it says so, was not done in a period that has ended (nor within "
        "its grace after it); each missed period is named",
        scope="portfolio",
    ),
    CheckInfo(
        "high-risk-review-late", "High-risk review late",
        "a live high or critical risk action has had no update for longer than the review interval of "
        "site_config/schedule.yml (high_risk_review_days, e.g. 7 for weekly), "
        "counted from its last update or, without one, from when it was raised",
    ),
    CheckInfo(
        "update-overdue-for-risk", "Update overdue for its risk",
        "a live action has had no update for longer than site_config/schedule.yml's "
        "stale_update_days allows for its level of risk (the stale flag keeps "
        "portfolio.yml's single threshold)",
    ),
)


def missed_checks(portfolio: "Portfolio") -> list[Check]:
    """The portfolio's missed meetings and audits, for the home page (in its context, so that
    ``portfolio serve`` renders the page again when they change)."""
    return [c for c in portfolio.portfolio_checks if c.check in ("governance-missed", "audit-missed")]


def missed_reason(row: ItemRow) -> str | None:
    """'Monthly governance meeting: no meeting in 2026-03, 2026-04, 2026-05', or None."""
    missed = [o.period.label for o in row.with_status(MISSED)]
    if not missed:
        return None
    if len(missed) > LISTED_PERIODS:
        listed = f"{len(missed)} {row.item.every}s, the latest {', '.join(missed[-LISTED_PERIODS:])}"
    else:
        listed = ", ".join(missed)
    return f"{row.title}: no {row.item.noun} in {listed}"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def judge_schedule(portfolio: "Portfolio") -> Iterator[Finding]:
    schedule = portfolio.config.schedule
    if schedule is None:
        return
    for row in schedule_rows(portfolio):
        reason = missed_reason(row)
        if reason:
            yield None, Check("governance-missed" if row.item.record_kind == "meeting" else "audit-missed", reason)
    review = schedule.high_risk_review_days
    if review is None and not schedule.stale_update_days:
        return
    as_of = portfolio.as_of
    for action in portfolio.actions:
        state = portfolio.state(action)
        if state.status not in LIVE_STATUSES:
            continue
        last = state.last_activity
        days = (as_of - last).days
        since = f"last update {last.isoformat()}" if state.updates else f"no update since raised {last.isoformat()}"
        if review is not None and action.risk in HIGH_RISKS and days > review:
            yield action.key, Check(
                "high-risk-review-late",
                f"{action.risk} risk, {since}, {_days(days)} ago: reviewed every {_days(review)}",
            )
        allowed = schedule.stale_days(action.risk)
        if allowed is not None and days > allowed:
            yield action.key, Check(
                "update-overdue-for-risk",
                f"{action.risk} risk, {since}, {_days(days)} ago: updates due every {_days(allowed)} at this risk",
            )


FAMILY = Family("schedule", CHECKS, judge_schedule)
