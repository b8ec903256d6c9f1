"""Unit tests for generator.judge.recurrence: findings back after an effective closure, overdue rechecks."""

from __future__ import annotations

from datetime import date

import pytest

from generator.judge.checks import Check
from generator.judge.model import build_portfolio
from generator.judge.recurrence import months_between, recurred_actions
from generator.pipeline import check

D = date.fromisoformat


def source(project, id, day, repeat_of=()):
    repeats = f"\nrepeat_of: [{', '.join(repeat_of)}]" if repeat_of else ""
    project.record("sources", id.lower(), f"id: {id}\ntitle: Audit {id}\nkind: audit\ndate: {day}{repeats}\n")


def closed(project, id, source_id, *, closed="2026-02-17", outcome="effective", raised="2026-01-05", recheck=""):
    follow = "" if outcome == "effective" else "\nfollow_up: [ACT-99]"
    project.record("actions", id.lower(), f"""\
id: {id}
title: Action {id}
source: {source_id}
owner: Jo Evans (Deputy manager)
raised: {raised}
due: 2026-12-31
risk: medium
status: closed
quality_statements: [medicines-optimisation]
evidence_required: Observed practice.
completion: {{date: {closed}, checked_by: Sam Patel (Registered manager)}}
closure:
  date: {closed}
  approved_by: Alex Green (Provider lead)
  evidence: [EV-1]
  outcome: {outcome}{recheck}{follow}
""")


@pytest.fixture
def base(project):
    source(project, "SRC-1", "2026-01-02")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Observed\ndate: 2026-02-01\ncategory: observation\n")
    project.record("actions", "act-99", """
        id: ACT-99
        title: Follow-up
        source: SRC-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-12-31
        risk: low
        status: open
        quality_statements: [medicines-optimisation]
    """)
    return project


def portfolio_of(project, as_of="2026-11-22"):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of))


def checks_of(project, id="ACT-1", as_of="2026-11-22") -> list[Check]:
    portfolio = portfolio_of(project, as_of)
    return list(portfolio.checks(portfolio.get(id)))


@pytest.mark.parametrize("start, end, months", [
    ("2026-02-17", "2026-07-14", 4),
    ("2026-02-17", "2026-07-17", 5),
    ("2026-02-14", "2026-03-13", 0),
    ("2026-01-31", "2026-02-28", 0),
    ("2025-12-01", "2026-12-01", 12),
])
def test_whole_months(start, end, months):
    assert months_between(D(start), D(end)) == months


def test_a_repeat_after_an_effective_closure(base):
    closed(base, "ACT-1", "SRC-1")
    source(base, "SRC-2", "2026-07-14", ["SRC-1"])
    assert checks_of(base) == [Check("recurred-after-closure", "recurred 4 months after effective closure (SRC-2, 2026-07-14)")]
    assert checks_of(base, as_of="2026-07-13") == []  # the repeat is not in the portfolio yet


def test_a_repeat_through_a_chain_and_the_first_one_named(base):
    closed(base, "ACT-1", "SRC-1")
    source(base, "SRC-2", "2026-02-10", ["SRC-1"])  # before the closure: not a recurrence after it
    source(base, "SRC-3", "2026-09-01", ["src-2"])
    source(base, "SRC-4", "2026-10-20", ["SRC-3"])
    assert checks_of(base) == [Check(
        "recurred-after-closure", "recurred 6 months after effective closure (SRC-3, 2026-09-01); again SRC-4 (2026-10-20)",
    )]


def test_within_a_month(base):
    closed(base, "ACT-1", "SRC-1")
    source(base, "SRC-2", "2026-03-01", ["SRC-1"])
    assert [c.reason for c in checks_of(base)] == ["recurred less than a month after effective closure (SRC-2, 2026-03-01)"]


def test_same_day_earlier_or_not_effective_does_not_hold(base):
    closed(base, "ACT-1", "SRC-1")
    closed(base, "ACT-2", "SRC-1", outcome="partly-effective")
    source(base, "SRC-2", "2026-02-17", ["SRC-1"])  # the day of the closure: not after it
    assert checks_of(base) == []
    source(base, "SRC-2", "2026-05-01", ["SRC-1"])
    assert checks_of(base, "ACT-2") == []  # closed as partly effective: the flags say so already
    assert [c.check for c in checks_of(base)] == ["recurred-after-closure"]


def test_a_closure_after_the_as_of_date_has_not_happened(base):
    closed(base, "ACT-1", "SRC-1", closed="2026-06-01")
    source(base, "SRC-2", "2026-07-01", ["SRC-1"])
    assert checks_of(base, as_of="2026-05-31") == []


def test_a_loop_of_repeats_is_followed_once(base):
    closed(base, "ACT-1", "SRC-1")
    source(base, "SRC-1", "2026-01-02", ["SRC-2"])  # written as a loop by mistake
    source(base, "SRC-2", "2026-05-01", ["SRC-1"])
    portfolio = portfolio_of(base)
    assert [c.reason for c in portfolio.checks(portfolio.get("ACT-1"))] == [
        "recurred 2 months after effective closure (SRC-2, 2026-05-01)",
    ]
    assert [(a.id, c.check) for a, c in recurred_actions(portfolio)] == [("ACT-1", "recurred-after-closure")]


# -- recheck-overdue ---------------------------------------------------------------------------

def _recheck(due: str, done: str = "") -> str:
    return f"\n  recheck: {{due: {due}, method: Re-audit 20 records{', done: ' + done if done else ''}}}"


def test_a_recheck_past_due_and_not_done(base):
    closed(base, "ACT-1", "SRC-1", recheck=_recheck("2026-05-31"))
    assert checks_of(base, as_of="2026-05-31") == []
    assert checks_of(base, as_of="2026-06-02") == [Check("recheck-overdue", "recheck due 2026-05-31, not recorded as done: 2 days overdue")]


def test_a_recheck_done_counts_from_its_date(base):
    closed(base, "ACT-1", "SRC-1", recheck=_recheck("2026-05-31", "2026-06-10"))
    assert [c.check for c in checks_of(base, as_of="2026-06-09")] == ["recheck-overdue"]
    assert checks_of(base, as_of="2026-06-10") == []


def test_recheck_is_read_and_validated(base):
    closed(base, "ACT-1", "SRC-1", recheck="\n  recheck: {due: 2026-02-01, done: 2026-02-02, evidence: [EV-1, EV-9], metod: x}")
    checked = check(base.root)
    problems = [str(p) for p in checked.problems.errors + checked.problems.warnings]
    assert any("closure.recheck.due" in p and "before the action was closed (2026-02-17)" in p for p in problems)
    assert any("closure.recheck.done" in p and "before the action was closed" in p for p in problems)
    assert any("EV-9" in p for p in problems)
    assert any("closure.recheck.metod" in p and "unknown field" in p and "method" in p for p in problems)


def test_recheck_needs_its_due_date(base):
    closed(base, "ACT-1", "SRC-1", recheck="\n  recheck: {method: Re-audit}")
    problems = [str(p) for p in check(base.root).problems.errors]
    assert any("closure.recheck.due" in p for p in problems), problems


def test_recheck_on_the_record(base):
    closed(base, "ACT-1", "SRC-1", recheck=_recheck("2026-05-31", "2026-05-20"))
    action = portfolio_of(base).get("ACT-1")
    assert action.closure.recheck.due == D("2026-05-31")
    assert action.closure.recheck.done == D("2026-05-20")
    assert action.closure.recheck.method == "Re-audit 20 records"
