"""Stage 4b, assurance: every family of checks run over the assessed portfolio (an extension).

The families are listed here, once, in the order pages and ``portfolio.json`` show their checks.
A check switched off in ``portfolio.yml`` (``assurance: {CHECK: false}``) is neither judged nor
shown anywhere, so a provider who does not use, say, closure rechecks is not told about them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import closure, measures, recurrence, schedule, updates
from .checks import Check, CheckInfo, Family

if TYPE_CHECKING:
    from .model import Portfolio

#: Every family, in the order their checks are shown.
FAMILIES: tuple[Family, ...] = (
    closure.FAMILY,
    recurrence.FAMILY,
    updates.FAMILY,
    schedule.FAMILY,
    measures.FAMILY,
)


def all_checks() -> tuple[CheckInfo, ...]:
    """Every check the generator knows, in the order pages show them."""
    return tuple(check for family in FAMILIES for check in family.checks)


def check_ids() -> tuple[str, ...]:
    return tuple(check.id for check in all_checks())


def checks_by_id() -> dict[str, CheckInfo]:
    return {check.id: check for check in all_checks()}


def judge_assurance(portfolio: "Portfolio") -> None:
    """Fill ``portfolio.assurance`` (action key -> its checks) and ``portfolio.portfolio_checks``.

    Findings are ordered by the checks' order, then as the family gave them, so the output is
    the same from one build to the next.
    """
    switched_off = portfolio.config.checks_off
    order = {check.id: index for index, check in enumerate(all_checks())}
    per_action: dict[str, list[Check]] = {}
    overall: list[Check] = []
    for family in FAMILIES:
        for key, check in family.judge(portfolio):
            if check.check in switched_off:
                continue
            if check.check not in order:  # a family must declare what it judges
                raise ValueError(f"assurance family {family.name!r} gave an undeclared check {check.check!r}")
            (overall if key is None else per_action.setdefault(key, [])).append(check)
    portfolio.assurance = {
        key: tuple(sorted(checks, key=lambda c: order[c.check])) for key, checks in per_action.items()
    }
    portfolio.portfolio_checks = tuple(sorted(overall, key=lambda c: order[c.check]))


def enabled_checks(switched_off: frozenset[str]) -> tuple[CheckInfo, ...]:
    """The checks a portfolio judges: every known one, less those switched off."""
    return tuple(check for check in all_checks() if check.id not in switched_off)
