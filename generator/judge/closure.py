"""Assurance checks, family "closure": was the action closed on evidence that practice changed?

Inspectors test a closure by its evidence: a training log and a meeting say the work was done, not
that care is different. These checks read the closure (and completion) in force on the as-of date,
and the closure evidence in the portfolio then. In a share, evidence withheld as sensitive is not
in the records: a check that depends on what the evidence is says nothing when some is withheld
(it may be the very item that shows practice), and counts withheld items as items.

Reasons name record ids, dates and numbers, never a person: "the owner", not the owner's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..format.people import Person
from ..format.records import Action, Evidence, Measure, Reading
from ..format.values import HIGH_RISKS
from .assess import ActionState
from .checks import Check, CheckInfo, Family, Finding

if TYPE_CHECKING:
    from .model import Portfolio

#: Evidence categories that show what happens in practice (seen, or felt by people, or measured).
PRACTICE_CATEGORIES = frozenset({"observation", "outcomes", "peoples-experience", "partner-feedback"})
#: Categories as a reason names them.
CATEGORY_WORDS = {
    "peoples-experience": "people's experience", "staff-feedback": "staff feedback", "partner-feedback": "partner feedback",
    "observation": "observation", "processes": "processes", "outcomes": "outcomes",
}

CHECKS = (
    CheckInfo(
        "closure-not-on-practice", "Closed without evidence from practice",
        "an action is closed as effective and none of its closure evidence is observation, outcomes, people's "
        "experience or partner feedback: only processes (audits, logs, minutes) or staff's own view. In a share, "
        "not judged when closure evidence is withheld.",
    ),
    CheckInfo(
        "closure-evidence-before-raised", "Closure evidence older than the action",
        "a closed action names closure evidence dated before the action was raised: the audit that found the "
        "problem, reused, cannot show it was put right.",
    ),
    CheckInfo(
        "self-approved", "Checked or approved by the owner",
        "the person who checked completion (completion.checked_by) or approved the closure (closure.approved_by) "
        "is the action's owner. People are the same when their names match, ignoring case and spacing, or, when "
        "neither is named, when they are the same bare role (\"Registered manager\"); a bare role against a "
        "named person is not judged.",
    ),
    CheckInfo(
        "single-evidence-closure", "High risk closed on one item",
        "a high or critical risk action is closed (with any outcome) on exactly one evidence item.",
    ),
    CheckInfo(
        "measure-misses-target", "Closed effective, measure short of target",
        "an action closed as effective has a measure whose latest reading on or before the as-of date misses "
        "its target (reaching the target exactly meets it). A target below the baseline means lower is better, "
        "above it higher is better; with no baseline (or one equal to the target) the earliest reading stands "
        "in for it, and a measure with a single reading and no baseline is not judged. One finding per measure.",
    ),
    CheckInfo(
        "no-evidence-required", "High risk with no evidence required",
        "a high or critical risk action that is not cancelled has no evidence_required: nothing says what will "
        "show that practice improved.",
    ),
)


def judge(portfolio: "Portfolio") -> Iterator[Finding]:
    """Every closure check, action by action, in the portfolio's order (its states are in that order)."""
    records = portfolio.records
    for key, state in portfolio.states.items():
        action = records[key]
        assert isinstance(action, Action)
        if state.completion is None and state.closure is None and action.risk not in HIGH_RISKS:
            continue  # nothing closed, checked or at high risk: no closure check can hold
        for check in action_checks(portfolio, action, state):
            yield key, check


def action_checks(portfolio: "Portfolio", action: Action, state: ActionState) -> Iterator[Check]:
    closure = state.closure
    if closure is not None:
        evidence = _in_portfolio(portfolio, closure.evidence)
        withheld = portfolio.withheld.get(action.key, {}).get("closure.evidence", 0) if portfolio.withheld else 0
        if closure.outcome == "effective" and not withheld:
            if not any(e.category in PRACTICE_CATEGORIES for e in evidence):
                yield Check("closure-not-on-practice", _not_on_practice(evidence, portfolio))
        early = [e for e in evidence if e.date < action.raised]
        if early:
            yield Check("closure-evidence-before-raised", _before_raised(early, action))
        if action.risk in HIGH_RISKS and len(evidence) + withheld == 1:
            named = f" ({evidence[0].id})" if evidence else ""
            yield Check("single-evidence-closure", f"{action.risk} risk, closed on one evidence item{named}")
        if closure.outcome == "effective":
            for measure in action.measures:
                missed = measure_miss(measure, portfolio)
                if missed:
                    yield Check("measure-misses-target", missed)
    checked = state.completion is not None and same_person(state.completion.checked_by, action.owner)
    approved = closure is not None and same_person(closure.approved_by, action.owner)
    if checked and approved:
        yield Check("self-approved", "completion was checked and the closure approved by the owner")
    elif checked and state.completion is not None:
        yield Check("self-approved", f"completion was checked by the owner ({state.completion.date.isoformat()})")
    elif approved and closure is not None:
        yield Check("self-approved", f"the closure was approved by the owner ({closure.date.isoformat()})")
    if action.risk in HIGH_RISKS and state.status != "cancelled" and not (action.evidence_required or "").strip():
        yield Check("no-evidence-required", f"{action.risk} risk, and no evidence_required says what will show that practice improved")


def _in_portfolio(portfolio: "Portfolio", ids: tuple[str, ...]) -> list[Evidence]:
    """The evidence records named, once each, that are in the portfolio on the as-of date."""
    found: dict[str, Evidence] = {}
    for record_id in ids:
        record = portfolio.get(record_id)
        if isinstance(record, Evidence):
            found.setdefault(record.key, record)
    return list(found.values())


def same_person(someone: Person | None, owner: Person) -> bool:
    """Whether ``someone`` is the owner: the same name (case and spacing ignored), or, when neither is
    named, the same bare role. A role against a named person cannot say who it was: not the same."""
    if someone is None:
        return False
    if someone is owner:  # the reader shares one Person per way of writing it
        return bool(owner.identity) or (not owner.named and not owner.name and bool(_fold(owner.role)))
    if someone.ident or owner.ident:  # a share with owners: roles
        return someone.ident == owner.ident
    if someone.named or owner.named:
        return bool(someone.named and owner.named and someone.name and owner.name) and (
            someone.name == owner.name or _fold(someone.name) == _fold(owner.name)
        )
    role = _fold(someone.role)
    return bool(role) and role == _fold(owner.role) and not someone.name and not owner.name


@lru_cache(maxsize=4096)
def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def _not_on_practice(evidence: list[Evidence], portfolio: "Portfolio") -> str:
    if not evidence:
        return f"closed as effective, and no closure evidence is in the portfolio on {portfolio.as_of.isoformat()}"
    kinds = list(dict.fromkeys(CATEGORY_WORDS.get(e.category, e.category) for e in evidence))
    words = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"closed on {words} only ({', '.join(e.id for e in evidence)})"


def _before_raised(early: list[Evidence], action: Action) -> str:
    items = ", ".join(f"{e.id} ({e.date.isoformat()})" for e in early)
    verb = "is" if len(early) == 1 else "are"
    return f"{items} {verb} dated before the action was raised ({action.raised.isoformat()})"


def _value(value: float, unit: str) -> str:
    text = "%g" % value
    return text + ("%" if unit.strip() == "%" else f" {unit.strip()}" if unit.strip() else "")


def measure_miss(measure: Measure, portfolio: "Portfolio") -> str | None:
    """Why the measure's latest reading on the as-of date misses its target, or None if it does not
    (or cannot be judged: no target, no reading, no direction)."""
    if measure.target is None:
        return None
    readings = sorted((r for r in measure.readings if r.date <= portfolio.as_of), key=lambda r: r.date)
    if not readings:
        return None
    latest = readings[-1]
    lower_better = _lower_is_better(measure, readings)
    if lower_better is None:
        return None
    missed = latest.value > measure.target if lower_better else latest.value < measure.target
    if not missed:
        return None
    direction = "lower" if lower_better else "higher"
    return (
        f"'{measure.name}': latest reading {_value(latest.value, measure.unit)} ({latest.date.isoformat()}) "
        f"misses the target of {_value(measure.target, measure.unit)} ({direction} is better)"
    )


def _lower_is_better(measure: Measure, readings: list[Reading]) -> bool | None:
    """Which way is better: from the baseline to the target, else from the earliest reading (when
    it is not the latest); None when it cannot be told."""
    assert measure.target is not None
    start = measure.baseline if measure.baseline is not None and measure.baseline.value != measure.target else None
    if start is None and len(readings) > 1 and readings[0].value != measure.target:
        start = readings[0]
    if start is None:
        return None
    return measure.target < start.value


FAMILY = Family("closure", CHECKS, judge)
