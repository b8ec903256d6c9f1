"""Unit tests for generator.judge.trends: month-end series from the records' own dates."""

from __future__ import annotations

from datetime import date

from generator.judge.assess import LIVE_STATUSES, assess_action
from generator.judge.model import build_portfolio
from generator.judge.trends import Point, build_trends, month_ends, trends_of
from generator.pipeline import check, prepare
from tests.conftest import REPO

D = date.fromisoformat

ACTION = """\
id: {id}
title: An action
service: {service}
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: {raised}
due: {due}
risk: {risk}
status: {status}
quality_statements: [{statements}]
"""


def _services(project):
    project.record("services", "north", "id: north\ntitle: North House\n")
    project.record("services", "south", "id: south\ntitle: South Homecare\n")
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\nservice: north\ndate: 2025-12-10\n")


def _action(project, id, *, raised="2026-01-15", due="2026-03-31", risk="medium", status="in-progress",
            service="north", statements="medicines-optimisation", extra=""):
    project.record("actions", id.lower(), ACTION.format(
        id=id, raised=raised, due=due, risk=risk, status=status, service=service, statements=statements,
    ) + extra)


def _portfolio(project, as_of):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of))


def _point(series, day) -> Point:
    return next(p for p in series.points if p.day == D(day))


# -- the window --------------------------------------------------------------------------------

def test_the_window_is_twelve_months_at_least_ending_on_the_as_of_date():
    days = month_ends(D("2026-11-22"), D("2026-09-03"))
    assert len(days) == 12
    assert days[0] == D("2025-12-31") and days[-2] == D("2026-10-31") and days[-1] == D("2026-11-22")


def test_the_window_goes_back_to_the_earliest_record_up_to_twenty_four_months():
    assert month_ends(D("2026-11-22"), D("2025-06-10"))[0] == D("2025-06-30")
    assert len(month_ends(D("2026-11-22"), D("2025-06-10"))) == 18
    assert len(month_ends(D("2026-11-22"), D("2019-01-01"))) == 24
    assert month_ends(D("2026-11-22"), D("2019-01-01"))[0] == D("2024-12-31")
    assert len(month_ends(D("2026-11-22"), None)) == 12


def test_a_month_end_as_of_date_is_its_own_point_once():
    days = month_ends(D("2026-02-28"), D("2025-01-01"))
    assert days[-1] == D("2026-02-28") and days[-2] == D("2026-01-31") and len(set(days)) == len(days)


# -- the figures -------------------------------------------------------------------------------

def test_open_overdue_and_escalate_follow_the_deadline_in_force(project):
    _services(project)
    # Extended on 2026-03-20 from 31 March to 30 April: not overdue at the end of March.
    _action(project, "ACT-1", due="2026-04-30", extra=(
        "extensions:\n  - {date: 2026-03-20, from: 2026-03-31, to: 2026-04-30, reason: Staff sickness, approved_by: Jo Evans (Deputy manager)}\n"
    ))
    _action(project, "ACT-2", due="2026-04-20", risk="high")  # overdue with high risk: escalate at once
    _action(project, "ACT-3", due="2026-04-25")  # medium: escalate only after 14 days overdue
    portfolio = _portfolio(project, "2026-06-10")
    overall = build_trends(portfolio).overall
    march, april, may = _point(overall, "2026-03-31"), _point(overall, "2026-04-30"), _point(overall, "2026-05-31")
    assert (march.open, march.overdue, march.escalate) == (3, 0, 0)
    # 30 April: ACT-2 10 days overdue (high: escalate), ACT-3 5 days (not yet), ACT-1 due that day.
    assert (april.open, april.overdue, april.escalate) == (3, 2, 1)
    assert (may.open, may.overdue, may.escalate) == (3, 3, 3)
    # Before ACT-1..3 were raised (2026-01-15) nothing was open.
    assert _point(overall, "2025-12-31").open == 0


def test_closed_in_the_month_on_time_not_effective_and_median_days(project):
    _services(project)
    done = "completion: {{date: {c}, checked_by: Sam Lee (Team leader)}}\nclosure: {{date: {c}, approved_by: Sam Lee (Team leader), evidence: [EV-1], outcome: {o}}}\n"
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Audit\ndate: 2026-01-20\ncategory: observation\n")
    _action(project, "ACT-1", raised="2026-01-15", due="2026-03-31", status="closed", extra=done.format(c="2026-03-10", o="effective"))
    _action(project, "ACT-2", raised="2026-01-15", due="2026-03-15", status="closed",
            extra=done.format(c="2026-03-20", o="not-effective") + "follow_up: [ACT-3]\n")
    _action(project, "ACT-3", raised="2026-03-20", due="2026-06-30", status="closed", extra=done.format(c="2026-04-09", o="effective"))
    portfolio = _portfolio(project, "2026-04-05")
    overall = build_trends(portfolio).overall
    march = _point(overall, "2026-03-31")
    assert (march.closed, march.closed_on_time, march.on_time_percent) == (2, 1, 50)
    assert march.median_days == (54 + 64) / 2 and march.not_effective == 1
    # The as-of month's point is the as-of date: ACT-3's closure on 9 April is not yet made.
    april = overall.points[-1]
    assert april.day == D("2026-04-05")
    assert (april.open, april.closed, april.not_effective, april.median_days, april.on_time_text) == (1, 0, 1, None, "–")


def test_a_closure_dated_after_a_month_end_counts_in_its_own_month(project):
    _services(project)
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Audit\ndate: 2026-01-20\ncategory: observation\n")
    _action(project, "ACT-1", status="closed", extra=(
        "completion: {date: 2026-02-27, checked_by: Sam Lee (Team leader)}\n"
        "closure: {date: 2026-03-02, approved_by: Sam Lee (Team leader), evidence: [EV-1], outcome: effective}\n"
    ))
    overall = build_trends(_portfolio(project, "2026-05-01")).overall
    february, march = _point(overall, "2026-02-28"), _point(overall, "2026-03-31")
    assert (february.open, february.closed) == (0, 0)  # completed on 27 February: neither open nor closed
    assert (march.closed, march.open) == (1, 0)
    assert march.on_time_percent == 100 and march.median_days == 46


def test_scopes_service_key_question_and_high_risk(project):
    _services(project)
    _action(project, "ACT-1", service="north", risk="critical", statements="safeguarding, learning-culture")
    _action(project, "ACT-2", service="south", statements="person-centred-care")
    project.record("sources", "inc-1", "id: INC-1\ntitle: Fall\nkind: incident\nservice: south\ndate: 2026-02-03\nquality_statements: [safe-environments]\n")
    project.record("sources", "com-1", "id: COM-1\ntitle: Late calls\nkind: complaint\nservice: south\ndate: 2026-02-13\n")
    trends = build_trends(_portfolio(project, "2026-03-15"))
    services = {s.title: s for s in trends.services}
    questions = {s.key: s for s in trends.key_questions}
    assert _point(services["North House"], "2026-01-31").open == 1
    assert _point(services["South Homecare"], "2026-01-31").open == 1
    # ACT-1 is on two Safe statements: counted once under Safe.
    assert _point(questions["key-question:safe"], "2026-01-31").open == 1
    assert _point(questions["key-question:responsive"], "2026-01-31").open == 1
    assert _point(questions["key-question:well-led"], "2026-01-31").open == 0
    assert _point(trends.high_risk, "2026-01-31").open == 1
    february = _point(trends.overall, "2026-02-28")
    assert (february.raised("incident"), february.raised("complaint"), february.raised("audit")) == (1, 1, 0)
    assert _point(trends.overall, "2025-12-31").raised("audit") == 1
    assert _point(services["South Homecare"], "2026-02-28").raised("complaint") == 1
    assert _point(services["North House"], "2026-02-28").raised("complaint") == 0
    assert _point(questions["key-question:safe"], "2026-02-28").raised("incident") == 1
    assert _point(questions["key-question:safe"], "2026-02-28").raised("complaint") == 0  # names no statement
    assert trends.overall.source_kinds == ("audit", "incident", "complaint")


def test_cancelled_actions_are_neither_open_nor_closed(project):
    _services(project)
    _action(project, "ACT-1", status="cancelled", extra="cancellation: {date: 2026-02-10, approved_by: Sam Lee (Team leader), reason: Merged}\n")
    overall = build_trends(_portfolio(project, "2026-03-15")).overall
    assert _point(overall, "2026-01-31").open == 1
    assert (_point(overall, "2026-02-28").open, _point(overall, "2026-02-28").closed) == (0, 0)


def test_every_point_of_the_example_is_the_assessment_on_that_day():
    """The series against assess_action run on each month end (what portfolio.json says)."""
    portfolio, _ = prepare(REPO, D("2026-11-22"))
    trends = build_trends(portfolio)
    thresholds = portfolio.config.thresholds
    for point in trends.overall.points:
        day = point.day
        states = [assess_action(a, day, thresholds, False) for a in portfolio.actions if a.raised <= day]
        assert point.open == sum(s.status in LIVE_STATUSES for s in states), day
        assert point.overdue == sum("overdue" in s.flags for s in states), day
        assert point.escalate == sum("escalate" in s.flags for s in states), day
        assert point.not_effective == sum("not-effective" in s.flags for s in states), day


def test_trends_are_worked_out_once_per_portfolio():
    portfolio, _ = prepare(REPO, D("2026-11-22"))
    assert trends_of(portfolio) is trends_of(portfolio)
    other, _ = prepare(REPO, D("2026-10-31"))
    assert trends_of(other).days[-1] == D("2026-10-31")
