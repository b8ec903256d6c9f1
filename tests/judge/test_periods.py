"""Unit tests for generator.judge.periods: each scheduled item held, late, missed or not yet due."""

from __future__ import annotations

from datetime import date

import pytest

from generator.judge.model import build_portfolio
from generator.judge.periods import period_of, periods_between, schedule_rows
from generator.pipeline import check

D = date.fromisoformat


@pytest.mark.parametrize("day, every, label, start, end", [
    ("2026-03-15", "month", "2026-03", "2026-03-01", "2026-03-31"),
    ("2026-12-31", "month", "2026-12", "2026-12-01", "2026-12-31"),
    ("2026-02-01", "quarter", "2026-Q1", "2026-01-01", "2026-03-31"),
    ("2026-11-22", "quarter", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026-03-05", "week", "2026-W10", "2026-03-02", "2026-03-08"),
    ("2027-01-01", "week", "2026-W53", "2026-12-28", "2027-01-03"),  # ISO: the week of 28 December
])
def test_period_of(day, every, label, start, end):
    period = period_of(D(day), every)
    assert (period.label, period.start, period.end) == (label, D(start), D(end))


def test_periods_between_runs_from_the_first_to_the_as_of_period():
    assert [p.label for p in periods_between(D("2025-11-20"), D("2026-02-01"), "month")] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [p.label for p in periods_between(D("2025-11-20"), D("2026-02-01"), "quarter")] == ["2025-Q4", "2026-Q1"]


def _meeting(project, mid, day, forum="Monthly governance meeting", service=None):
    extra = f"service: {service}\n" if service else ""
    project.record("meetings", mid.lower(), f"id: {mid}\ntitle: Meeting {mid}\ndate: {day}\nforum: {forum}\n{extra}")


def _rows(project, schedule, as_of):
    project.file("site_config/schedule.yml", schedule)
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return schedule_rows(build_portfolio(checked.validated, checked.config, D(as_of)))


MONTHLY = "from: 2026-01-01\nmeetings:\n  - forum: Monthly governance meeting\n    every: month\n"


def _statuses(row):
    return [(o.period.label, o.status, [r.id for r in o.records]) for o in row.outcomes]


def test_held_late_missed_and_not_yet_due(project):
    _meeting(project, "MTG-1", "2026-01-31")  # held, on the period's last day
    _meeting(project, "MTG-2", "2026-03-07")  # February: late (within 7 days); March: held by it too
    _meeting(project, "MTG-3", "2026-05-08")  # April: 8 days after, too late; May: held
    (row,) = _rows(project, MONTHLY, "2026-07-05")
    assert _statuses(row) == [
        ("2026-01", "held", ["MTG-1"]),
        ("2026-02", "late", ["MTG-2"]),
        ("2026-03", "held", ["MTG-2"]),
        ("2026-04", "missed", []),
        ("2026-05", "held", ["MTG-3"]),
        ("2026-06", "not-yet-due", []),  # ended, but its grace runs to 7 July
        ("2026-07", "not-yet-due", []),  # the current month is never missed
    ]


def test_a_period_is_missed_the_day_after_its_grace(project):
    _meeting(project, "MTG-1", "2026-01-10")
    (row,) = _rows(project, MONTHLY, "2026-02-07")
    assert _statuses(row)[1] == ("2026-02", "not-yet-due", [])
    (row,) = _rows(project, MONTHLY, "2026-03-07")
    assert _statuses(row)[1] == ("2026-02", "not-yet-due", [])
    (row,) = _rows(project, MONTHLY, "2026-03-08")
    assert _statuses(row)[1] == ("2026-02", "missed", [])


def test_records_after_the_as_of_date_do_not_count(project):
    _meeting(project, "MTG-1", "2026-01-10")
    _meeting(project, "MTG-2", "2026-02-10")
    (row,) = _rows(project, MONTHLY, "2026-02-09")
    assert _statuses(row) == [("2026-01", "held", ["MTG-1"]), ("2026-02", "not-yet-due", [])]


def test_the_start_is_the_earliest_record_without_from(project):
    _meeting(project, "MTG-1", "2026-03-10")
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-20\n")
    (row,) = _rows(project, "meetings:\n  - forum: monthly GOVERNANCE  meeting\n    every: month\n", "2026-04-20")
    assert [o.period.label for o in row.outcomes] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [o.status for o in row.outcomes] == ["missed", "missed", "held", "not-yet-due"]


def test_an_item_per_service_has_a_row_per_service_and_counts_only_its_own_records(project):
    for sid, name in (("north", "North House"), ("south", "South House")):
        project.record("services", sid, f"id: {sid}\ntitle: {name}\nname: {name}\nkind: care home\n")
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-02-20\nservice: north\ntags: [care-records]\n")
    project.record("sources", "aud-2", "id: AUD-2\ntitle: Audit\nkind: audit\ndate: 2026-02-20\nservice: south\ntags: [medicines]\n")
    project.record("sources", "inc-1", "id: INC-1\ntitle: Incident\nkind: incident\ndate: 2026-05-20\nservice: south\ntags: [care-records]\n")
    schedule = "from: 2026-01-01\naudits:\n  - kind: audit\n    tag: Care-Records\n    every: quarter\n    per_service: true\n"
    north, south = _rows(project, schedule, "2026-07-20")
    assert north.title == "Audit (Care-Records), North House"
    assert _statuses(north) == [("2026-Q1", "held", ["AUD-1"]), ("2026-Q2", "missed", []), ("2026-Q3", "not-yet-due", [])]
    assert _statuses(south) == [("2026-Q1", "missed", []), ("2026-Q2", "missed", []), ("2026-Q3", "not-yet-due", [])]


def test_services_narrow_an_item_to_those_named(project):
    for sid in ("north", "south"):
        project.record("services", sid, f"id: {sid}\ntitle: {sid}\nname: {sid}\nkind: care home\n")
    schedule = "from: 2026-01-01\nmeetings:\n  - forum: Falls huddle\n    every: week\n    services: [South]\n"
    _meeting(project, "MTG-1", "2026-01-07", forum="Falls huddle", service="south")
    _meeting(project, "MTG-2", "2026-01-07", forum="Falls huddle", service="north")
    # 2026-W01 runs from Monday 29 December to 4 January; its grace of 2 days ends on the 6th.
    (row,) = _rows(project, schedule, "2026-01-21")
    assert row.service is not None and row.service.id == "south"
    assert _statuses(row) == [
        ("2026-W01", "missed", []), ("2026-W02", "held", ["MTG-1"]), ("2026-W03", "missed", []), ("2026-W04", "not-yet-due", []),
    ]


def test_a_schedule_starting_after_the_as_of_date_judges_nothing(project):
    _meeting(project, "MTG-1", "2026-01-10")
    assert _rows(project, MONTHLY.replace("2026-01-01", "2026-06-01"), "2026-03-01") == []
