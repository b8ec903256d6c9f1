"""Unit tests for generator.judge.closure: weak closures, each check where it holds and where it just does not."""

from __future__ import annotations

from datetime import date

import pytest

from generator.format.people import Person
from generator.format.records import Measure, Reading
from generator.judge.checks import Check
from generator.judge.closure import measure_miss, same_person
from generator.judge.model import build_portfolio
from generator.pipeline import check

D = date.fromisoformat
AS_OF = "2026-11-22"


def evidence(project, id, day, category="processes", sensitive=False):
    project.record("evidence", id.lower(), f"""
        id: {id}
        title: Evidence {id}
        date: {day}
        category: {category}
        sensitive: {str(sensitive).lower()}
    """)


def action(project, id="ACT-1", *, risk="medium", status="closed", raised="2026-02-01", owner="Jo Evans (Deputy manager)",
           checked_by="Sam Patel (Registered manager)", approved_by="Alex Green (Provider lead)", evidence=("EV-OBS",),
           outcome="effective", closed="2026-05-01", evidence_required="Three observed medicines rounds.", extra=""):
    """An action closed (by default effective, on one observation) that no closure check holds for."""
    lines = [
        f"id: {id}", "title: Weekly MAR checks", "source: AUD-1", f"owner: {owner}", f"raised: {raised}",
        "due: 2026-04-30", f"risk: {risk}", f"status: {status}", "quality_statements: [medicines-optimisation]",
    ]
    if evidence_required:
        lines.append(f"evidence_required: {evidence_required}")
    if status in ("closed", "completed"):
        lines.append(f"completion: {{date: 2026-04-20, checked_by: {checked_by}, note: Checked.}}")
    if status == "closed":
        follow = "" if outcome == "effective" else "\nfollow_up: [ACT-99]"
        lines.append(
            f"closure: {{date: {closed}, approved_by: {approved_by}, evidence: [{', '.join(evidence)}], outcome: {outcome}}}{follow}"
        )
    if status == "cancelled":
        lines.append("cancellation: {date: 2026-03-01, reason: Replaced by another action.}")
    project.record("actions", id.lower(), "\n".join(lines) + ("\n" + extra if extra else ""))


@pytest.fixture
def base(project):
    project.config(
        "provider: Test Care Ltd\nframework: cqc-saf-2023\nroles: [Registered manager, Deputy manager, Team leader]\n"
    )
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("actions", "act-99", """
        id: ACT-99
        title: Follow-up
        source: AUD-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-12-31
        risk: low
        status: open
        quality_statements: [medicines-optimisation]
    """)
    evidence(project, "EV-OBS", "2026-04-25", "observation")
    evidence(project, "EV-PROC", "2026-04-26", "processes")
    evidence(project, "EV-STAFF", "2026-04-27", "staff-feedback")
    evidence(project, "EV-OLD", "2026-01-12", "processes")
    return project


def checks_of(project, id="ACT-1", as_of=AS_OF, family="closure") -> list[Check]:
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    portfolio = build_portfolio(checked.validated, checked.config, D(as_of))
    return list(portfolio.checks(portfolio.get(id)))


def names(checks: list[Check]) -> list[str]:
    return [c.check for c in checks]


def test_a_good_closure_holds_no_check(base):
    action(base)
    assert checks_of(base) == []


# -- closure-not-on-practice -------------------------------------------------------------------

def test_closed_effective_on_processes_and_staff_feedback_only(base):
    action(base, evidence=("EV-PROC", "EV-STAFF"))
    assert checks_of(base) == [Check("closure-not-on-practice", "closed on processes and staff feedback only (EV-PROC, EV-STAFF)")]


@pytest.mark.parametrize("category", ["observation", "outcomes", "peoples-experience", "partner-feedback"])
def test_one_item_from_practice_is_enough(base, category):
    evidence(base, "EV-P", "2026-04-28", category)
    action(base, evidence=("EV-PROC", "EV-P"))
    assert "closure-not-on-practice" not in names(checks_of(base))


def test_not_effective_closures_are_not_judged_on_practice(base):
    action(base, evidence=("EV-PROC",), outcome="not-effective")
    assert "closure-not-on-practice" not in names(checks_of(base))


def test_a_closure_after_the_as_of_date_is_not_judged(base):
    action(base, evidence=("EV-PROC",), closed="2026-05-01")
    assert checks_of(base, as_of="2026-04-30") == []
    assert names(checks_of(base, as_of="2026-05-01")) == ["closure-not-on-practice"]


# -- closure-evidence-before-raised ------------------------------------------------------------

def test_closure_evidence_dated_before_raised(base):
    action(base, evidence=("EV-OBS", "EV-OLD"))
    assert checks_of(base) == [
        Check("closure-evidence-before-raised", "EV-OLD (2026-01-12) is dated before the action was raised (2026-02-01)"),
    ]


def test_closure_evidence_dated_the_day_raised_is_not_before(base):
    action(base, evidence=("EV-OBS", "EV-OLD"), raised="2026-01-12")
    assert "closure-evidence-before-raised" not in names(checks_of(base))


# -- self-approved ------------------------------------------------------------------------------

def test_completion_checked_by_the_owner_ignoring_case_and_spacing(base):
    action(base, checked_by="jo  EVANS")
    assert checks_of(base) == [Check("self-approved", "completion was checked by the owner (2026-04-20)")]


def test_closure_approved_by_the_owner(base):
    action(base, approved_by="Jo Evans (Deputy manager)")
    assert checks_of(base) == [Check("self-approved", "the closure was approved by the owner (2026-05-01)")]


def test_both_by_the_owner_is_one_finding(base):
    action(base, checked_by="Jo Evans (Deputy manager)", approved_by="Jo Evans (Deputy manager)")
    assert checks_of(base) == [Check("self-approved", "completion was checked and the closure approved by the owner")]


def test_someone_else_with_the_same_role_is_not_the_owner(base):
    action(base, checked_by="Kim Lee (Deputy manager)", approved_by="Deputy manager")
    assert checks_of(base) == []


def test_a_completed_action_checked_by_its_owner(base):
    action(base, status="completed", checked_by="Jo Evans")
    assert names(checks_of(base)) == ["self-approved"]


def test_same_person_rules():
    jo = Person("Jo Evans", "Deputy manager", True)
    manager = Person(None, "Registered manager", False)
    assert same_person(Person("JO EVANS", None, True), jo)
    assert not same_person(Person("Jo Evan", "Deputy manager", True), jo)
    assert same_person(Person(None, "registered  Manager", False), manager)  # neither named: the same bare role
    assert not same_person(Person(None, "Deputy manager", False), jo)  # a role against a name: cannot tell
    assert not same_person(Person("TBC", None, False), Person("TBC", None, False))  # placeholders are nobody
    assert not same_person(None, jo)
    # A share with owners: roles keeps a token in place of the name.
    assert same_person(Person(None, "Deputy manager", True, "#a1"), Person(None, "Deputy manager", True, "#a1"))
    assert not same_person(Person(None, "Deputy manager", True, "#a1"), Person(None, "Deputy manager", True, "#b2"))


# -- single-evidence-closure --------------------------------------------------------------------

@pytest.mark.parametrize("risk", ["high", "critical"])
def test_high_risk_closed_on_one_item(base, risk):
    action(base, risk=risk)
    assert checks_of(base) == [Check("single-evidence-closure", f"{risk} risk, closed on one evidence item (EV-OBS)")]


def test_medium_risk_on_one_item_and_high_risk_on_two_do_not_hold(base):
    action(base, risk="medium")
    action(base, "ACT-2", risk="high", evidence=("EV-OBS", "EV-OBS", "EV-PROC"))
    assert checks_of(base) == []
    assert checks_of(base, "ACT-2") == []


def test_the_same_item_named_twice_is_one_item(base):
    action(base, risk="high", evidence=("EV-OBS", "ev-obs"))
    assert names(checks_of(base)) == ["single-evidence-closure"]


# -- measure-misses-target ---------------------------------------------------------------------

MEASURE = """measures:
  - name: MAR charts with no gaps
    unit: "%"
    {baseline}
    target: {target}
    readings: [{readings}]
"""


def _measure(baseline: str, target: float, readings: str) -> str:
    return MEASURE.format(baseline=f"baseline: {{date: 2026-01-31, value: {baseline}}}" if baseline else "", target=target, readings=readings)


def test_latest_reading_short_of_a_higher_target(base):
    action(base, extra=_measure("62", 95, "{date: 2026-03-31, value: 97}, {date: 2026-06-30, value: 94}"))
    assert checks_of(base) == [Check(
        "measure-misses-target",
        "'MAR charts with no gaps': latest reading 94% (2026-06-30) misses the target of 95% (higher is better)",
    )]


def test_reaching_the_target_meets_it(base):
    action(base, extra=_measure("62", 95, "{date: 2026-06-30, value: 95}"))
    assert checks_of(base) == []


def test_a_target_below_the_baseline_means_lower_is_better(base):
    action(base, extra=_measure("12", 4, "{date: 2026-06-30, value: 5}"))
    assert [c.reason for c in checks_of(base)] == [
        "'MAR charts with no gaps': latest reading 5% (2026-06-30) misses the target of 4% (lower is better)",
    ]
    action(base, extra=_measure("12", 4, "{date: 2026-06-30, value: 3}"))
    assert checks_of(base) == []


def test_a_reading_after_the_as_of_date_does_not_count(base):
    action(base, extra=_measure("62", 95, "{date: 2026-06-30, value: 90}, {date: 2026-12-31, value: 99}"))
    assert names(checks_of(base)) == ["measure-misses-target"]
    assert checks_of(base, as_of="2027-01-01") == []


def test_only_effective_closures_are_judged_on_measures(base):
    action(base, outcome="partly-effective", extra=_measure("62", 95, "{date: 2026-06-30, value: 80}"))
    assert "measure-misses-target" not in names(checks_of(base))


def _m(baseline: float | None, target: float | None, *values: float) -> Measure:
    readings = tuple(Reading(date(2026, 3 + i, 1), v) for i, v in enumerate(values))
    return Measure("Falls", "", Reading(date(2026, 1, 1), baseline) if baseline is not None else None, target, readings)


class _AsOf:
    as_of = date(2026, 12, 31)


def test_direction_without_a_baseline_comes_from_the_earliest_reading():
    assert measure_miss(_m(None, 95, 60, 80), _AsOf()) is not None  # rising towards 95: 80 misses
    assert measure_miss(_m(None, 2, 6, 3), _AsOf()) == "'Falls': latest reading 3 (2026-04-01) misses the target of 2 (lower is better)"
    assert measure_miss(_m(None, 2, 6, 2), _AsOf()) is None
    assert measure_miss(_m(None, 95, 80), _AsOf()) is None  # one reading, no baseline: no direction
    assert measure_miss(_m(95, 95, 95, 80), _AsOf()) is None  # baseline on target, first reading too: none
    assert measure_miss(_m(None, None, 60, 80), _AsOf()) is None  # no target
    assert measure_miss(_m(50, 95), _AsOf()) is None  # no reading


# -- no-evidence-required ----------------------------------------------------------------------

@pytest.mark.parametrize("risk", ["high", "critical"])
def test_high_risk_without_evidence_required(base, risk):
    action(base, risk=risk, status="open", evidence_required="")
    assert checks_of(base) == [
        Check("no-evidence-required", f"{risk} risk, and no evidence_required says what will show that practice improved"),
    ]


def test_medium_risk_or_cancelled_without_evidence_required(base):
    action(base, risk="medium", status="open", evidence_required="")
    action(base, "ACT-2", risk="high", status="cancelled", evidence_required="")
    assert checks_of(base) == []
    assert checks_of(base, "ACT-2") == []


def test_checks_can_be_switched_off(base):
    base.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nassurance:\n  no-evidence-required: false\n")
    action(base, risk="high", status="open", evidence_required="")
    assert checks_of(base) == []
