"""Unit tests for generator.judge.assess: an action as things stood on the as-of date (spec section 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.judge.assess import FLAGS, assess_action, deadline_on, status_on
from generator.config.portfolio import Thresholds
from generator.judge.model import build_portfolio
from generator.format.people import Person
from generator.pipeline import check, prepare
from generator.format.records import Action, Cancellation, Closure, Completion, Escalation, Extension, Milestone, Update

D = date.fromisoformat
JO = Person("Jo Evans", "Deputy manager", True)
SAM = Person("Sam Patel", "Registered manager", True)
T = Thresholds()  # 14, 30, 2, 14 as in the spec's example
#: The spec's thresholds but with "stale" out of the way, for tests about the other flags.
NS = Thresholds(stale_update_days=100_000)


def action(**changes) -> Action:
    values = dict(
        kind="action", id="ACT-1", title="Weekly checks", path="content/actions/act-1.md", body="", fields={},
        sources=("AUD-1",), owner=JO, raised=D("2026-01-01"), due=D("2026-03-31"), risk="medium", status="open",
        quality_statements=("medicines-optimisation",),
    )
    values.update(changes)
    return Action(**values)


def flags(a: Action, as_of: str | date, thresholds: Thresholds = NS, repeat: bool = False) -> tuple[str, ...]:
    when = D(as_of) if isinstance(as_of, str) else as_of
    return assess_action(a, when, thresholds, repeat).flags


def ext(when: str, from_: str, to: str) -> Extension:
    return Extension(D(when), D(from_), D(to), "reason", SAM)


CHAIN = (
    ext("2026-01-20", "2026-01-31", "2026-02-28"),
    ext("2026-02-20", "2026-02-28", "2026-03-31"),
    ext("2026-03-25", "2026-03-31", "2026-04-30"),
)


def test_flags_are_the_spec_list_in_order():
    assert FLAGS == (
        "overdue", "due-soon", "no-named-owner", "stale", "repeated-extensions", "milestone-overdue",
        "review-overdue", "escalate", "repeat-finding", "not-effective",
    )


# -- status_on ---------------------------------------------------------------------------------

def test_open_stays_open():
    a = action(status="open")
    assert status_on(a, D("2026-01-01")) == "open"
    assert status_on(a, D("2030-01-01")) == "open"


def test_in_progress_stays_in_progress():
    assert status_on(action(status="in-progress"), D("2026-02-01")) == "in-progress"


def test_completed_from_its_completion_date():
    a = action(status="completed", completion=Completion(D("2026-03-10"), SAM, ""))
    assert status_on(a, D("2026-03-09")) == "in-progress"
    assert status_on(a, D("2026-03-10")) == "completed"
    assert status_on(a, D("2026-12-31")) == "completed"


def test_closed_passes_through_completed_by_its_own_dates():
    a = action(
        status="closed",
        completion=Completion(D("2026-03-10"), SAM, ""),
        closure=Closure(D("2026-04-01"), SAM, ("EV-1",), "effective", None, ""),
    )
    assert status_on(a, D("2026-03-09")) == "in-progress"
    assert status_on(a, D("2026-03-10")) == "completed"
    assert status_on(a, D("2026-03-31")) == "completed"
    assert status_on(a, D("2026-04-01")) == "closed"


def test_cancelled_from_its_cancellation_date():
    a = action(status="cancelled", cancellation=Cancellation(D("2026-02-15"), SAM, "Superseded"))
    assert status_on(a, D("2026-02-14")) == "in-progress"
    assert status_on(a, D("2026-02-15")) == "cancelled"


def test_cancellation_is_checked_before_closure_and_completion():
    a = action(
        status="cancelled",
        completion=Completion(D("2026-02-01"), SAM, ""),
        closure=Closure(D("2026-02-10"), SAM, ("EV-1",), "effective", None, ""),
        cancellation=Cancellation(D("2026-02-20"), SAM, "r"),
    )
    assert status_on(a, D("2026-02-05")) == "completed"
    assert status_on(a, D("2026-02-15")) == "closed"
    assert status_on(a, D("2026-02-20")) == "cancelled"


def test_written_open_with_a_completion_is_completed_from_its_date():
    a = action(status="open", completion=Completion(D("2026-02-01"), SAM, ""))
    assert status_on(a, D("2026-01-31")) == "open"
    assert status_on(a, D("2026-02-01")) == "completed"


# -- deadline_on ---------------------------------------------------------------------------------

def test_deadline_without_extensions_is_due():
    a = action(due=D("2026-03-31"))
    assert deadline_on(a, D("2026-01-01")) == (D("2026-03-31"), ())


def test_deadline_follows_the_extensions_dated_on_or_before():
    a = action(due=D("2026-04-30"), extensions=CHAIN)
    assert deadline_on(a, D("2026-01-19")) == (D("2026-01-31"), ())
    assert deadline_on(a, D("2026-01-20")) == (D("2026-02-28"), CHAIN[:1])
    assert deadline_on(a, D("2026-02-19")) == (D("2026-02-28"), CHAIN[:1])
    assert deadline_on(a, D("2026-02-20")) == (D("2026-03-31"), CHAIN[:2])
    assert deadline_on(a, D("2026-03-25")) == (D("2026-04-30"), CHAIN)
    assert deadline_on(a, D("2027-01-01")) == (D("2026-04-30"), CHAIN)


def test_two_as_of_dates_give_different_status_and_deadline():
    a = action(
        status="completed", due=D("2026-02-28"), extensions=CHAIN[:1],
        completion=Completion(D("2026-02-25"), SAM, ""),
    )
    early = assess_action(a, D("2026-01-19"), NS, False)
    late = assess_action(a, D("2026-02-26"), NS, False)
    assert (early.status, early.due) == ("in-progress", D("2026-01-31"))
    assert (late.status, late.due) == ("completed", D("2026-02-28"))
    assert early.flags == ("due-soon",)
    assert late.flags == ()


# -- overdue / due-soon ------------------------------------------------------------------------------

def test_due_on_the_as_of_day_is_due_soon_not_overdue():
    assert flags(action(due=D("2026-03-31")), "2026-03-31") == ("due-soon",)


def test_due_exactly_due_soon_days_ahead_is_due_soon():
    assert flags(action(due=D("2026-03-31")), D("2026-03-31") - timedelta(days=14)) == ("due-soon",)


def test_due_one_day_beyond_due_soon_days_is_not_due_soon():
    assert flags(action(due=D("2026-03-31")), D("2026-03-31") - timedelta(days=15)) == ()


def test_due_soon_uses_the_threshold():
    a = action(raised=D("2026-03-10"), due=D("2026-03-31"))
    assert flags(a, "2026-03-24", Thresholds(due_soon_days=7)) == ("due-soon",)
    assert flags(a, "2026-03-23", Thresholds(due_soon_days=7)) == ()
    assert flags(a, "2026-03-31", Thresholds(due_soon_days=0)) == ("due-soon",)
    assert flags(a, "2026-03-30", Thresholds(due_soon_days=0)) == ()


def test_the_day_after_due_is_overdue():
    state = assess_action(action(due=D("2026-03-31")), D("2026-04-01"), NS, False)
    assert state.flags == ("overdue",)
    assert state.days_overdue == 1


@pytest.mark.parametrize("status", ["completed", "closed", "cancelled"])
def test_finished_actions_are_never_overdue_or_due_soon(status):
    a = action(
        status=status, due=D("2026-03-31"),
        completion=Completion(D("2026-01-10"), SAM, ""),
        closure=Closure(D("2026-01-11"), SAM, ("EV-1",), "effective", None, "") if status == "closed" else None,
        cancellation=Cancellation(D("2026-01-12"), SAM, "r") if status == "cancelled" else None,
    )
    assert flags(a, "2026-03-31") == ()
    assert flags(a, "2026-06-30") == ()
    assert assess_action(a, D("2026-06-30"), T, False).days_overdue == 0


def test_overdue_against_the_deadline_in_force_then():
    a = action(due=D("2026-04-30"), extensions=CHAIN)
    # on 2026-02-15 the deadline in force is 2026-02-28 (first extension): due soon, not overdue
    assert flags(a, "2026-02-15") == ("due-soon",)
    # the extension dated 2026-01-20 had not been agreed on 2026-01-19: due 2026-01-31
    assert flags(a, "2026-01-19") == ("due-soon",)
    assert assess_action(a, D("2026-02-15"), NS, False).due == D("2026-02-28")


# -- stale -----------------------------------------------------------------------------------------

def test_stale_at_exactly_the_threshold_is_not_stale():
    a = action(raised=D("2026-01-01"), due=D("2026-12-31"))
    assert flags(a, D("2026-01-01") + timedelta(days=30), T) == ()


def test_stale_one_day_beyond_the_threshold():
    a = action(raised=D("2026-01-01"), due=D("2026-12-31"))
    assert flags(a, D("2026-01-01") + timedelta(days=31), T) == ("stale",)


def test_the_newest_update_resets_stale():
    a = action(raised=D("2026-01-01"), due=D("2026-12-31"), updates=(
        Update(D("2026-02-01"), JO, "a"), Update(D("2026-03-01"), JO, "b"),
    ))
    assert flags(a, "2026-03-31", T) == ()  # 30 days after the newest update
    assert flags(a, "2026-04-01", T) == ("stale",)
    assert assess_action(a, D("2026-04-01"), T, False).last_activity == D("2026-03-01")


def test_updates_dated_after_the_as_of_date_do_not_count():
    a = action(raised=D("2026-01-01"), due=D("2026-12-31"), updates=(Update(D("2026-03-01"), JO, "later"),))
    state = assess_action(a, D("2026-02-15"), T, False)
    assert state.flags == ("stale",)
    assert state.updates == ()
    assert state.last_activity == D("2026-01-01")


def test_finished_actions_are_never_stale():
    a = action(status="completed", due=D("2026-12-31"), completion=Completion(D("2026-01-02"), SAM, ""))
    assert flags(a, "2026-06-30", T) == ()


def test_stale_uses_the_threshold():
    a = action(raised=D("2026-01-01"), due=D("2026-12-31"))
    assert flags(a, "2026-01-09", Thresholds(stale_update_days=7)) == ("stale",)
    assert flags(a, "2026-01-08", Thresholds(stale_update_days=7)) == ()


# -- repeated extensions -------------------------------------------------------------------------------

def test_repeated_extensions_count_only_extensions_dated_on_or_before():
    a = action(due=D("2026-04-30"), extensions=CHAIN, updates=(Update(D("2026-03-20"), JO, "n"),))
    assert "repeated-extensions" not in flags(a, "2026-03-24")
    assert "repeated-extensions" in flags(a, "2026-03-25")
    assert len(assess_action(a, D("2026-03-24"), T, False).extensions) == 2


def test_repeated_extensions_is_more_than_max_extensions():
    a = action(due=D("2026-04-30"), extensions=CHAIN)
    assert "repeated-extensions" not in flags(a, "2026-03-30", Thresholds(max_extensions=3))
    assert "repeated-extensions" in flags(a, "2026-03-30", Thresholds(max_extensions=2))
    two = action(due=D("2026-03-31"), extensions=CHAIN[:2])
    assert "repeated-extensions" in flags(two, "2026-03-30", Thresholds(max_extensions=1))
    assert "repeated-extensions" not in flags(two, "2026-03-30", Thresholds(max_extensions=2))


def test_repeated_extensions_holds_whatever_the_status():
    a = action(
        status="completed", due=D("2026-04-30"), extensions=CHAIN, completion=Completion(D("2026-04-01"), SAM, ""),
    )
    assert flags(a, "2026-04-02") == ("repeated-extensions",)


# -- milestone-overdue ------------------------------------------------------------------------------------

def test_milestone_due_before_the_as_of_date_and_not_done():
    a = action(due=D("2026-12-31"), milestones=(Milestone("Train staff", D("2026-02-28"), None),))
    assert "milestone-overdue" not in flags(a, "2026-02-28")  # due that day: not yet overdue
    assert "milestone-overdue" in flags(a, "2026-03-01")


def test_milestone_done_on_or_before_the_as_of_date():
    a = action(due=D("2026-12-31"), updates=(Update(D("2026-03-01"), JO, "n"),),
               milestones=(Milestone("Train staff", D("2026-02-28"), D("2026-03-05")),))
    assert "milestone-overdue" in flags(a, "2026-03-04")  # done later than the as-of date: does not count yet
    assert "milestone-overdue" not in flags(a, "2026-03-05")
    assert assess_action(a, D("2026-03-04"), T, False).milestones_done == (None,)
    assert assess_action(a, D("2026-03-05"), T, False).milestones_done == (D("2026-03-05"),)


def test_milestone_without_a_due_date_is_never_overdue():
    a = action(due=D("2026-12-31"), milestones=(Milestone("Someday", None, None),))
    assert "milestone-overdue" not in flags(a, "2026-12-30")


def test_milestone_overdue_on_a_completed_action_but_not_on_a_closed_one():
    milestones = (Milestone("Train staff", D("2026-02-28"), None),)
    completed = action(status="completed", due=D("2026-12-31"), milestones=milestones,
                       completion=Completion(D("2026-02-01"), SAM, ""))
    assert flags(completed, "2026-03-01") == ("milestone-overdue",)
    closed = action(status="closed", due=D("2026-12-31"), milestones=milestones,
                    completion=Completion(D("2026-02-01"), SAM, ""),
                    closure=Closure(D("2026-02-02"), SAM, ("EV-1",), "effective", None, ""))
    assert flags(closed, "2026-03-01") == ()
    cancelled = action(status="cancelled", due=D("2026-12-31"), milestones=milestones,
                       cancellation=Cancellation(D("2026-02-02"), SAM, "r"))
    assert flags(cancelled, "2026-03-01") == ()


# -- review-overdue --------------------------------------------------------------------------------------

def test_review_overdue_after_the_review_date_when_completed():
    a = action(status="completed", review_date=D("2026-06-30"), completion=Completion(D("2026-03-01"), SAM, ""))
    assert flags(a, "2026-06-30") == ()
    assert flags(a, "2026-07-01") == ("review-overdue",)


def test_no_review_overdue_before_completion_or_after_closure():
    a = action(
        status="closed", due=D("2026-12-31"), review_date=D("2026-03-15"),
        completion=Completion(D("2026-04-01"), SAM, ""),
        closure=Closure(D("2026-05-01"), SAM, ("EV-1",), "effective", None, ""),
        updates=(Update(D("2026-03-10"), JO, "n"),),
    )
    assert flags(a, "2026-03-20") == ()   # in progress then
    assert flags(a, "2026-04-02") == ("review-overdue",)  # completed then
    assert flags(a, "2026-05-01") == ()   # closed


def test_no_review_date_no_review_overdue():
    a = action(status="completed", completion=Completion(D("2026-03-01"), SAM, ""))
    assert flags(a, "2027-01-01") == ()


# -- escalate ----------------------------------------------------------------------------------------------

def test_escalate_by_days_overdue_is_more_than_the_threshold():
    a = action(risk="medium", due=D("2026-03-31"), updates=(Update(D("2026-04-10"), JO, "n"),))
    at_threshold = assess_action(a, D("2026-03-31") + timedelta(days=14), T, False)
    assert at_threshold.days_overdue == 14
    assert at_threshold.flags == ("overdue",)
    beyond = assess_action(a, D("2026-03-31") + timedelta(days=15), T, False)
    assert beyond.days_overdue == 15
    assert beyond.flags == ("overdue", "escalate")


@pytest.mark.parametrize("risk, escalated", [("low", False), ("medium", False), ("high", True), ("critical", True)])
def test_escalate_by_risk_when_overdue_at_all(risk, escalated):
    a = action(risk=risk, due=D("2026-03-31"))
    assert flags(a, "2026-04-01") == (("overdue", "escalate") if escalated else ("overdue",))


def test_high_risk_not_yet_overdue_is_not_escalated():
    assert flags(action(risk="critical", due=D("2026-03-31")), "2026-03-31") == ("due-soon",)


def test_escalate_uses_the_threshold():
    a = action(risk="low", due=D("2026-03-31"), updates=(Update(D("2026-03-30"), JO, "n"),))
    assert flags(a, "2026-04-02", Thresholds(escalate_overdue_days=1)) == ("overdue", "escalate")
    assert flags(a, "2026-04-01", Thresholds(escalate_overdue_days=1)) == ("overdue",)


def test_escalations_dated_after_the_as_of_date_do_not_count():
    a = action(due=D("2026-03-31"), escalations=(Escalation(D("2026-04-20"), SAM, "r"),))
    assert assess_action(a, D("2026-04-19"), T, False).escalations == ()
    assert len(assess_action(a, D("2026-04-20"), T, False).escalations) == 1


# -- no-named-owner, repeat-finding, not-effective -----------------------------------------------------------

@pytest.mark.parametrize("owner", [Person("TBC", None, False), Person(None, "Registered manager", False), Person(None, None, False)])
def test_no_named_owner(owner):
    assert flags(action(owner=owner, due=D("2026-12-31")), "2026-02-01") == ("no-named-owner",)


def test_no_named_owner_holds_whatever_the_status():
    a = action(owner=Person("TBC", None, False), status="cancelled", cancellation=Cancellation(D("2026-01-05"), SAM, "r"))
    assert flags(a, "2026-02-01") == ("no-named-owner",)


def test_repeat_finding_is_passed_in():
    a = action(due=D("2026-12-31"))
    assert flags(a, "2026-02-01", repeat=True) == ("repeat-finding",)
    assert flags(a, "2026-02-01", repeat=False) == ()


@pytest.mark.parametrize("outcome, expected", [("effective", ()), ("partly-effective", ("not-effective",)), ("not-effective", ("not-effective",))])
def test_not_effective_once_closed(outcome, expected):
    a = action(
        status="closed", follow_up=("ACT-2",),
        completion=Completion(D("2026-03-01"), SAM, ""),
        closure=Closure(D("2026-03-15"), SAM, ("EV-1",), outcome, None, ""),
    )
    assert flags(a, "2026-03-15") == expected
    assert flags(a, "2026-03-14") == ()  # completed, not yet closed


def test_all_flags_at_once_in_the_spec_order():
    a = action(
        owner=Person("TBC", None, False), risk="high", raised=D("2026-01-01"), due=D("2026-04-30"), extensions=CHAIN,
        milestones=(Milestone("M", D("2026-02-01"), None),),
    )
    assert flags(a, "2026-06-01", T, repeat=True) == (
        "overdue", "no-named-owner", "stale", "repeated-extensions", "milestone-overdue", "escalate", "repeat-finding",
    )


# -- the state's own record of what counted ------------------------------------------------------------------

def test_state_keeps_only_what_had_happened():
    completion = Completion(D("2026-03-01"), SAM, "")
    closure = Closure(D("2026-03-15"), SAM, ("EV-1",), "effective", None, "")
    a = action(status="closed", completion=completion, closure=closure)
    before = assess_action(a, D("2026-02-01"), T, False)
    assert (before.completion, before.closure, before.cancellation) == (None, None, None)
    middle = assess_action(a, D("2026-03-01"), T, False)
    assert (middle.completion, middle.closure) == (completion, None)
    after = assess_action(a, D("2026-03-15"), T, False)
    assert (after.completion, after.closure) == (completion, closure)
    assert after.is_live is False
    assert before.is_live is True


# -- through the model: repeat findings from sources ----------------------------------------------------------

def test_repeat_finding_comes_from_a_source_with_repeat_of(project):
    project.record("sources", "s1", "id: SRC-1\ntitle: First\nkind: audit\ndate: 2026-01-01\n")
    project.record("sources", "s2", "id: SRC-2\ntitle: Again\nkind: audit\ndate: 2026-03-01\nrepeat_of: [SRC-1]\n")
    common = "owner: Jo Evans (Nurse)\nraised: 2026-03-02\ndue: 2026-12-31\nrisk: low\nstatus: open\nquality_statements: [safeguarding]\n"
    project.record("actions", "a1", "id: ACT-1\ntitle: From the first\nsource: SRC-1\n" + common)
    project.record("actions", "a2", "id: ACT-2\ntitle: From the repeat\nsource: [SRC-1, SRC-2]\n" + common)
    portfolio, _ = prepare(project.root, D("2026-03-10"))
    assert portfolio.states["act-1"].flags == ()
    assert portfolio.states["act-2"].flags == ("repeat-finding",)


# -- the shipped example, as worked out by hand in EXAMPLE-NOTES ------------------------------------------------

EXPECTED_2026_11_22 = {
    "ACT-001": ("closed", "2026-01-31", ()),
    "ACT-002": ("in-progress", "2026-12-31", ("repeat-finding",)),
    "ACT-003": ("in-progress", "2026-12-04", ("due-soon",)),
    "ACT-004": ("open", "2027-01-29", ("no-named-owner",)),
    "ACT-005": ("in-progress", "2026-09-30", ("overdue", "repeated-extensions", "escalate")),
    "ACT-006": ("completed", "2026-03-31", ("review-overdue",)),
    "ACT-007": ("closed", "2026-03-31", ("not-effective",)),
    "ACT-008": ("in-progress", "2026-12-18", ("repeat-finding",)),
    "ACT-009": ("closed", "2026-05-29", ()),
    "ACT-010": ("closed", "2026-05-15", ()),
    "ACT-011": ("in-progress", "2026-12-31", ("milestone-overdue",)),
    "ACT-012": ("in-progress", "2027-03-31", ()),
    "ACT-013": ("open", "2027-01-15", ("stale",)),
    "ACT-014": ("cancelled", "2026-02-28", ()),
    "ACT-015": ("in-progress", "2026-11-13", ("overdue",)),
    "ACT-020": ("in-progress", "2026-12-31", ("repeat-finding",)),  # its source SRC-011 repeats SRC-005
    "ACT-021": ("closed", "2026-06-30", ()),
    "ACT-022": ("closed", "2026-09-30", ()),
    "ACT-031": ("completed", "2026-11-14", ()),  # extended 11-03, completed 11-12
}


def test_example_portfolio_flags(example_project):
    checked = check(example_project)
    portfolio = build_portfolio(checked.validated, checked.config, D("2026-11-22"))
    found = {a.id: (portfolio.state(a).status, portfolio.state(a).due.isoformat(), portfolio.state(a).flags) for a in portfolio.actions}
    assert found == EXPECTED_2026_11_22
    assert portfolio.states["act-005"].days_overdue == 53


@pytest.mark.parametrize("as_of, due, overdue", [
    ("2026-01-25", "2026-01-31", False),
    ("2026-01-26", "2026-03-31", False),
    ("2026-03-25", "2026-06-30", False),
    ("2026-06-16", "2026-09-30", False),
    ("2026-09-30", "2026-09-30", False),
    ("2026-10-01", "2026-09-30", True),
])
def test_example_act_005_deadline_over_time(example_project, as_of, due, overdue):
    checked = check(example_project)
    portfolio = build_portfolio(checked.validated, checked.config, D(as_of))
    state = portfolio.states["act-005"]
    assert state.due == D(due)
    assert ("overdue" in state.flags) is overdue
