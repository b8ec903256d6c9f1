"""What the first look at the site asked for (issue 18, item 8): warnings that name their actions,
and a coverage matrix read at a glance.

A count on the home page ("Overdue: 5") sends a registered manager off to another page to learn
which five; so each warning names its most urgent actions (a few, never a wall of ids at 10,000
actions) and says how many more its own page lists. The statement coverage matrix is shaded by
count so the thin statements stand out, with the figures still written in every cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..judge.assurance import enabled_checks
from ..judge.checks import Check, CheckInfo
from ..judge.model import Portfolio
from .assurance_plan import by_check
from .dashboards import CoverageRow, Row

#: How many actions a warning on the home page names; the rest are "and N more" on its page.
NAMED_ON_HOME = 8
#: How many portfolio-wide findings the home page lists before sending the reader on.
FINDINGS_ON_HOME = 8


@dataclass(frozen=True)
class Named:
    """The first few actions of a list, and how many more the list's own page holds."""

    rows: list[Row]
    more: int

    @property
    def total(self) -> int:
        return len(self.rows) + self.more


def named(rows: list[Row], limit: int = NAMED_ON_HOME) -> Named:
    """The first ``limit`` rows of a list already in order (most urgent deadline first)."""
    return Named(rows[:limit], max(0, len(rows) - limit))


@dataclass(frozen=True)
class CheckSummary:
    """An action-level check that holds somewhere, with the actions it names first."""

    info: CheckInfo
    actions: Named


def home_glance(portfolio: Portfolio, by_flag: dict[str, list[Row]]) -> dict[str, Any]:
    """The home page's names behind each warning, and its "Assurance checks" block.

    ``flag_names``: flag -> the first actions flagged (distinct actions, most urgent first);
    ``check_summaries``: every action-level check that holds, in the checks' order;
    ``overall``: the portfolio-wide findings (first FINDINGS_ON_HOME) and ``overall_more``;
    ``checks_judged``: how many checks were judged (none: the block is not shown).
    """
    checks = enabled_checks(portfolio.config.checks_off)
    rows = by_check(portfolio)
    summaries = [
        CheckSummary(info, named(_distinct(rows[info.id])))
        for info in checks if info.scope == "action" and rows.get(info.id)
    ]
    overall: tuple[Check, ...] = portfolio.portfolio_checks
    return {
        "flag_names": {flag: named(flag_rows) for flag, flag_rows in by_flag.items()},
        "check_summaries": summaries,
        "overall": overall[:FINDINGS_ON_HOME],
        "overall_more": max(0, len(overall) - FINDINGS_ON_HOME),
        "checks_judged": len(checks),
    }


def _distinct(rows: list[Row]) -> list[Row]:
    """One row per action: an action holding a check twice (two measures) is named once."""
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row.action.key not in seen:
            seen.add(row.action.key)
            kept.append(row)
    return kept


def check_ids_of(portfolio: Portfolio, action: Any) -> list[str]:
    """The ids of the checks that hold for ``action``, each once, in the checks' order (the board)."""
    seen: dict[str, None] = {}
    for check in portfolio.checks(action):
        seen.setdefault(check.check, None)
    return list(seen)


# -- the coverage heat map ---------------------------------------------------------------------
#: Shades of the heat map, after "none": few, some, many, most.
HEAT_LEVELS = 4


@dataclass(frozen=True)
class HeatBand:
    level: int
    low: int
    high: int

    @property
    def label(self) -> str:
        if self.level == 0:
            return "none"
        return str(self.low) if self.low == self.high else f"{self.low} to {self.high}"


@dataclass(frozen=True)
class HeatScale:
    """Counts of evidence items in shades, from the matrix's own largest count.

    A fixed scale would show a small provider nothing but pale cells and a large group nothing
    but dark ones, so the bands split 1..largest in four (at least one count each): the same
    counts always give the same shades within one matrix, and the legend says which.
    """

    bands: tuple[HeatBand, ...]

    def level(self, count: int) -> int:
        for band in reversed(self.bands):
            if count >= band.low:
                return band.level
        return 0


def heat_scale(rows: list[CoverageRow]) -> HeatScale:
    """The bands for the statement coverage matrix: ``none``, then up to four bands of counts."""
    largest = max((count for row in rows for count in row.counts.values()), default=0)
    bands = [HeatBand(0, 0, 0)]
    if largest:
        # Upper bound of each band: ceil(largest * k / levels), distinct and increasing.
        highs: list[int] = []
        for k in range(1, HEAT_LEVELS + 1):
            high = -(-largest * k // HEAT_LEVELS)
            if not highs or high > highs[-1]:
                highs.append(high)
        low = 1
        for index, high in enumerate(highs):
            level = HEAT_LEVELS - len(highs) + index + 1  # the largest count always gets the darkest
            bands.append(HeatBand(level, low, high))
            low = high + 1
    return HeatScale(tuple(bands))
