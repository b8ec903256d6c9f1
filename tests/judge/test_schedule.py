"""Unit tests for generator.judge.schedule: the schedule family of assurance checks."""

from __future__ import annotations

from datetime import date

from generator.judge import schedule as schedule_family
from generator.judge.checks import Check
from generator.judge.model import build_portfolio
from generator.pipeline import check

D = date.fromisoformat

ACTION = """\
id: {id}
title: An action
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: {raised}
due: 2026-12-31
risk: {risk}
status: {status}
quality_statements: [medicines-optimisation]
"""


def _action(project, aid, risk="high", raised="2026-03-01", status="in-progress", updates=(), extra=""):
    text = ACTION.format(id=aid, raised=raised, risk=risk, status=status)
    if updates:
        text += "updates:\n" + "".join(f"  - date: {d}\n    note: Checked 12 charts; 2 gaps.\n" for d in updates)
    project.record("actions", aid.lower(), text + extra)


def _portfolio(project, schedule, as_of):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    if schedule is not None:
        project.file("site_config/schedule.yml", schedule)
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of))


SCHEDULE_CHECKS = {c.id for c in schedule_family.FAMILY.checks}


def _own(portfolio, aid):
    """The schedule family's checks on an action (other families judge the same actions too)."""
    return tuple(c for c in portfolio.checks(portfolio.get(aid)) if c.check in SCHEDULE_CHECKS)


def _checks(portfolio, aid):
    return [c.check for c in _own(portfolio, aid)]


def test_no_schedule_no_schedule_checks(project):
    _action(project, "ACT-1", raised="2026-01-15")
    portfolio = _portfolio(project, None, "2026-06-01")
    assert portfolio.portfolio_checks == () and not any(_own(portfolio, a.id) for a in portfolio.actions)


def test_governance_missed_names_each_missed_month(project):
    for mid, day in (("MTG-1", "2026-01-20"), ("MTG-2", "2026-02-20"), ("MTG-3", "2026-06-03")):
        project.record("meetings", mid.lower(), f"id: {mid}\ntitle: Governance\ndate: {day}\nforum: Monthly governance meeting\n")
    schedule = "from: 2026-01-01\nmeetings:\n  - forum: Monthly governance meeting\n    every: month\n"
    portfolio = _portfolio(project, schedule, "2026-07-20")
    # May is late (3 June is within 7 days), not missed; July has not ended.
    assert portfolio.portfolio_checks == (
        Check("governance-missed", "Monthly governance meeting: no meeting in 2026-03, 2026-04"),
    )


def test_governance_met_every_month_holds_nothing(project):
    for month in range(1, 7):
        project.record("meetings", f"mtg-{month}", f"id: MTG-{month}\ntitle: Governance\ndate: 2026-{month:02d}-28\nforum: Monthly governance meeting\n")
    schedule = "from: 2026-01-01\nmeetings:\n  - forum: Monthly governance meeting\n    every: month\n"
    assert _portfolio(project, schedule, "2026-07-20").portfolio_checks == ()


def test_audit_missed_per_service(project):
    project.record("services", "north", "id: north\ntitle: North House\nname: North House\nkind: care home\n")
    project.record("sources", "aud-2", "id: AUD-2\ntitle: Audit\nkind: audit\ndate: 2026-04-02\nservice: north\n")
    schedule = "from: 2026-01-01\naudits:\n  - name: Quality audit\n    every: quarter\n    per_service: true\n"
    portfolio = _portfolio(project, schedule, "2026-10-20")
    # AUD-1 has no service: it does not count for North House. Q1: AUD-2 is 2 days after, late.
    assert portfolio.portfolio_checks == (Check("audit-missed", "Quality audit, North House: no audit in 2026-Q3"),)


def test_many_missed_weeks_are_counted_and_the_latest_named(project):
    schedule = "from: 2026-01-05\nmeetings:\n  - forum: Daily huddle\n    every: week\n"
    project.record("meetings", "mtg-1", "id: MTG-1\ntitle: Huddle\ndate: 2026-01-05\nforum: Daily huddle\n")
    (found,) = _portfolio(project, schedule, "2026-06-01").portfolio_checks
    assert found.reason.startswith("Daily huddle: no meeting in 19 weeks, the latest 2026-W10, ")
    assert found.reason.endswith("2026-W21")


def test_high_risk_review_late_holds_after_the_interval(project):
    schedule = "high_risk_review_days: 7\n"
    _action(project, "ACT-1", updates=("2026-05-25",))  # 7 days: on time
    _action(project, "ACT-2", updates=("2026-05-20", "2026-05-24"))  # 8 days
    _action(project, "ACT-3", risk="critical", raised="2026-05-20")  # never updated, raised 12 days ago
    _action(project, "ACT-4", risk="medium", raised="2026-01-20")  # not high risk
    _action(project, "ACT-5", raised="2026-01-20", status="completed",
            extra="completion:\n  date: 2026-04-01\n  checked_by: Sam Patel (Registered manager)\n")  # not live
    portfolio = _portfolio(project, schedule, "2026-06-01")
    assert _checks(portfolio, "ACT-1") == []
    assert _own(portfolio, "ACT-2") == (
        Check("high-risk-review-late", "high risk, last update 2026-05-24, 8 days ago: reviewed every 7 days"),
    )
    assert _own(portfolio, "ACT-3") == (
        Check("high-risk-review-late", "critical risk, no update since raised 2026-05-20, 12 days ago: reviewed every 7 days"),
    )
    assert _checks(portfolio, "ACT-4") == [] and _checks(portfolio, "ACT-5") == []


def test_update_overdue_for_risk_uses_each_risks_days(project):
    schedule = "stale_update_days:\n  low: 60\n  medium: 30\n"
    _action(project, "ACT-1", risk="low", updates=("2026-04-02",))  # 60 days: on time
    _action(project, "ACT-2", risk="low", updates=("2026-04-01",))  # 61 days
    _action(project, "ACT-3", risk="medium", updates=("2026-05-01",))  # 31 days
    _action(project, "ACT-4", risk="high", raised="2025-12-01", updates=("2026-01-01",))  # no days given for high
    portfolio = _portfolio(project, schedule, "2026-06-01")
    assert _checks(portfolio, "ACT-1") == []
    assert _own(portfolio, "ACT-2") == (
        Check("update-overdue-for-risk", "low risk, last update 2026-04-01, 61 days ago: updates due every 60 days at this risk"),
    )
    assert _checks(portfolio, "ACT-3") == ["update-overdue-for-risk"]
    assert _checks(portfolio, "ACT-4") == []
    # The stale flag keeps portfolio.yml's single threshold (30 days): ACT-1 is stale, on time for its risk.
    assert "stale" in portfolio.state(portfolio.get("ACT-1")).flags


def test_an_update_dated_after_the_as_of_date_does_not_count(project):
    _action(project, "ACT-1", updates=("2026-05-01", "2026-06-10"))
    portfolio = _portfolio(project, "high_risk_review_days: 7\n", "2026-06-01")
    assert _checks(portfolio, "ACT-1") == ["high-risk-review-late"]


def test_schedule_checks_can_be_switched_off(project):
    project.config("provider: Test Care Ltd\nassurance:\n  high-risk-review-late: false\n")
    _action(project, "ACT-1", updates=("2026-05-01",))
    portfolio = _portfolio(project, "high_risk_review_days: 7\nstale_update_days: {high: 14}\n", "2026-06-01")
    assert _checks(portfolio, "ACT-1") == ["update-overdue-for-risk"]
