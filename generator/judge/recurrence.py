"""Assurance checks, family "recurrence": did the finding come back after an "effective" closure?

An action closed as effective says the problem is fixed. A later source recorded as a repeat of
the action's source (``repeat_of``, directly or through a chain of repeats) says it was not, or not
for long. A closure can plan its own re-test (``closure.recheck``, an extension): a recheck past its
due date and not done is the provider's own test left untaken.

Judged from the records' own dates: a source dated after the as-of date is not in the portfolio yet,
a closure counts from its date, a recheck done after the as-of date is not done yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from ..format.records import Action, Closure, Source
from .checks import Check, CheckInfo, Family, Finding

if TYPE_CHECKING:
    from .model import Portfolio

CHECKS = (
    CheckInfo(
        "recurred-after-closure", "Came back after effective closure",
        "a source in the portfolio is a repeat (repeat_of, directly or through earlier repeats) of the source of an "
        "action closed as effective before that source's date: the finding came back. The reason gives the whole "
        "months from the closure to the first such repeat.",
    ),
    CheckInfo(
        "recheck-overdue", "Recheck overdue",
        "a closed action's closure.recheck was due before the as-of date and has no done date on or before it.",
    ),
)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (14 February to 13 March: 0; to 14 March: 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _months(count: int) -> str:
    if count < 1:
        return "less than a month"
    return f"{count} month{'' if count == 1 else 's'}"


def earlier_findings(portfolio: "Portfolio") -> dict[str, list[Source]]:
    """Per source key with ``repeat_of``: every earlier source in the portfolio it repeats, through
    chains of repeats (each once; a loop of repeats is followed once round)."""
    sources = {s.key: s for s in portfolio.by_kind["source"] if isinstance(s, Source)}
    found: dict[str, list[Source]] = {}
    for source in sources.values():
        if not source.repeat_of:
            continue
        seen: dict[str, Source] = {}
        stack = [r.lower() for r in reversed(source.repeat_of)]
        while stack:
            key = stack.pop()
            earlier = sources.get(key)
            if earlier is None or key in seen or key == source.key:
                continue
            seen[key] = earlier
            stack.extend(r.lower() for r in reversed(earlier.repeat_of))
        found[source.key] = list(seen.values())
    return found


def recurrences(portfolio: "Portfolio", closed: list[tuple[Action, Closure]]) -> dict[str, list[Source]]:
    """Per action key closed as effective (of ``closed``): the sources that repeat its finding and
    are dated after its closure, earliest first."""
    actions_of: dict[str, list[tuple[Action, Closure]]] = {}
    for action, closure in closed:
        if closure.outcome == "effective":
            for source_id in dict.fromkeys(s.lower() for s in action.sources):
                actions_of.setdefault(source_id, []).append((action, closure))
    if not actions_of:
        return {}
    found: dict[str, dict[str, Source]] = {}
    for key, earlier in earlier_findings(portfolio).items():
        repeat = portfolio.records[key]
        assert isinstance(repeat, Source)
        for source in earlier:
            for action, closure in actions_of.get(source.key, ()):
                if closure.date < repeat.date:
                    found.setdefault(action.key, {})[repeat.key] = repeat
    return {
        key: sorted(repeats.values(), key=lambda s: (s.date, s.id.lower())) for key, repeats in found.items()
    }


def judge(portfolio: "Portfolio") -> Iterator[Finding]:
    closed: list[tuple[Action, Closure]] = []
    for key, state in portfolio.states.items():  # in the portfolio's order
        if state.closure is not None:
            action = portfolio.records[key]
            assert isinstance(action, Action)
            closed.append((action, state.closure))
    came_back = recurrences(portfolio, closed)
    as_of = portfolio.as_of
    for action, closure in closed:
        repeats = came_back.get(action.key)
        if repeats:
            first = repeats[0]
            reason = f"recurred {_months(months_between(closure.date, first.date))} after effective closure ({first.id}, {first.date.isoformat()})"
            if len(repeats) > 1:
                reason += "; again " + ", ".join(f"{s.id} ({s.date.isoformat()})" for s in repeats[1:])
            yield action.key, Check("recurred-after-closure", reason)
        recheck = closure.recheck
        if recheck is not None and recheck.due < as_of and (recheck.done is None or recheck.done > as_of):
            days = (as_of - recheck.due).days
            yield action.key, Check(
                "recheck-overdue", f"recheck due {recheck.due.isoformat()}, not recorded as done: {days} day{'' if days == 1 else 's'} overdue",
            )


def recurred_actions(portfolio: "Portfolio") -> list[tuple[Action, Check]]:
    """Actions whose finding came back after an effective closure, with the check, in id order
    (the board view lists them whatever their risk)."""
    found: list[tuple[Action, Check]] = []
    for action in portfolio.actions:
        for check in portfolio.assurance.get(action.key, ()):
            if check.check == "recurred-after-closure":
                found.append((action, check))
    return found


FAMILY = Family("recurrence", CHECKS, judge)
