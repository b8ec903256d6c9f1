"""Unit tests for generator.judge.measures: one measure across services, and its two checks."""

from __future__ import annotations

from datetime import date

from generator.judge.assurance import check_ids
from generator.judge.measures import measure_groups
from generator.judge.model import build_portfolio
from generator.pipeline import check

D = date.fromisoformat

ACTION = """\
id: {id}
title: An action
service: {service}
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: 2026-01-05
due: 2026-12-31
risk: medium
status: in-progress
quality_statements: [safe-and-effective-staffing]
measures:
  - name: {name}
    unit: "%"
    baseline: {{date: 2025-12-31, value: {baseline}}}
    target: {target}
    readings:
{readings}
"""


def _project(project, services=("north", "south", "east")):
    for service in services:
        project.record("services", service, f"id: {service}\ntitle: {service.capitalize()} House\n")
    project.record("sources", "aud-1", f"id: AUD-1\ntitle: Audit\nkind: audit\nservice: {services[0]}\ndate: 2026-01-02\n")


def _measure(project, id, service, values, *, name="Staff supervised", baseline=50, target=90, start=1):
    """An action of ``service`` reading ``values`` at the end of each month from ``start``."""
    ends = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    readings = "\n".join(
        f"      - {{date: 2026-{start + i:02d}-{ends[start + i]:02d}, value: {v}}}" for i, v in enumerate(values) if v is not None
    )
    project.record("actions", id.lower(), ACTION.format(
        id=id, service=service, name=name, baseline=baseline, target=target, readings=readings,
    ))


def _portfolio(project, as_of="2026-11-22", config_extra=""):
    if config_extra:
        project.config("provider: Test Care Ltd\n" + config_extra)
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of))


def _findings(portfolio, check_id):
    return [c.reason for c in portfolio.portfolio_checks if c.check == check_id]


def test_the_checks_are_declared():
    assert {"measure-off-target-3-months", "measure-outlier"} <= set(check_ids())


def test_the_same_name_in_any_case_and_spacing_is_one_measure_with_a_line_per_service(project):
    _project(project)
    _measure(project, "ACT-1", "north", [60, 70])
    _measure(project, "ACT-2", "south", [55, 65], name="staff  SUPERVISED")
    _measure(project, "ACT-3", "east", [50], name="Something else")
    groups = {g.key: g for g in measure_groups(_portfolio(project))}
    assert sorted(groups) == ["something else", "staff supervised"]
    shared = groups["staff supervised"]
    assert shared.shared and not groups["something else"].shared
    assert shared.name == "Staff supervised"
    assert [line.label for line in shared.lines] == ["East House", "North House", "South House"][1:]
    assert shared.months == ("2026-01", "2026-02")
    assert shared.median == {"2026-01": 57.5, "2026-02": 67.5}
    assert shared.target == 90 and shared.lines[0].lower_is_better is False


def test_a_month_value_is_the_latest_reading_and_later_readings_wait(project):
    _project(project)
    project.record("actions", "act-1", ACTION.format(
        id="ACT-1", service="north", name="Falls", baseline=10, target=4,
        readings="      - {date: 2026-03-03, value: 9}\n      - {date: 2026-03-28, value: 7}\n      - {date: 2026-12-01, value: 1}",
    ))
    group = measure_groups(_portfolio(project))[0]
    assert [(v.month, v.value) for v in group.lines[0].values] == [("2026-03", 7.0)]
    assert group.lines[0].lower_is_better is True


def test_off_target_three_months_running_holds_and_names_service_measure_and_months(project):
    _project(project)
    _measure(project, "ACT-1", "north", [60, 70, 80, 85, 88], start=6)
    found = _findings(_portfolio(project), "measure-off-target-3-months")
    assert found == [
        "North House: 'Staff supervised' worse than its target of 90% 5 months running: June 2026 (60%), "
        "July 2026 (70%), August 2026 (80%), September 2026 (85%), October 2026 (88%); readings from ACT-1"
    ]


def test_off_target_just_does_not_hold(project):
    _project(project)
    _measure(project, "ACT-1", "north", [60, 70])  # two months only
    _measure(project, "ACT-2", "south", [60, 70, 95], name="Back on target")  # latest meets target
    _measure(project, "ACT-3", "east", [60, None, 70, 80], name="With a gap")  # no reading in February
    _measure(project, "ACT-4", "north", [20, 30, 40], name="Falls", baseline=50, target=45)  # lower is better: met
    _measure(project, "ACT-5", "south", [90, 90, 90], name="Exactly on target")
    assert _findings(_portfolio(project), "measure-off-target-3-months") == []


def test_off_target_when_lower_is_better(project):
    _project(project)
    _measure(project, "ACT-1", "north", [6, 5, 4, 7, 8, 9], name="Falls", baseline=10, target=5)
    found = _findings(_portfolio(project), "measure-off-target-3-months")
    assert len(found) == 1 and "3 months running: April 2026 (7%), May 2026 (8%), June 2026 (9%)" in found[0]


def test_outlier_holds_for_the_service_far_worse_than_the_median(project):
    _project(project)
    _measure(project, "ACT-1", "north", [80, 90])
    _measure(project, "ACT-2", "south", [78, 88])
    _measure(project, "ACT-3", "east", [60, 60])  # median 88, 60 is 32% below
    found = _findings(_portfolio(project), "measure-outlier")
    assert found == [
        "East House: 'Staff supervised' 60% in February 2026, 32% worse than the median of 3 services (88%); readings from ACT-3"
    ]


def test_outlier_just_does_not_hold(project):
    _project(project)
    _measure(project, "ACT-1", "north", [80])
    _measure(project, "ACT-2", "south", [78])
    _measure(project, "ACT-3", "east", [60])  # median 78: 60 is 23% below, under the quarter
    _measure(project, "ACT-4", "north", [10], name="Falls", baseline=20, target=5)
    _measure(project, "ACT-5", "south", [30], name="Falls", baseline=20, target=5)  # 30 worse than 20 by 50%
    _measure(project, "ACT-6", "east", [2], name="Falls", baseline=20, target=5)  # far better: never named
    found = _findings(_portfolio(project), "measure-outlier")
    assert [f.split(":")[0] for f in found] == ["South House"]


def test_outlier_is_judged_in_the_latest_month_two_services_read(project):
    _project(project, services=("north", "south"))
    _measure(project, "ACT-1", "north", [90, 95, 96])
    _measure(project, "ACT-2", "south", [40, 94])  # far off in January, close in February
    assert _findings(_portfolio(project), "measure-outlier") == []


def test_outlier_against_a_median_of_zero(project):
    _project(project)
    _measure(project, "ACT-1", "north", [0], name="Missed calls", baseline=5, target=0)
    _measure(project, "ACT-2", "south", [0], name="Missed calls", baseline=5, target=0)
    _measure(project, "ACT-3", "east", [1], name="Missed calls", baseline=5, target=0)
    found = _findings(_portfolio(project), "measure-outlier")
    assert found == ["East House: 'Missed calls' 1% in January 2026, worse than the median of 3 services (0%); readings from ACT-3"]


def test_the_checks_can_be_switched_off(project):
    _project(project)
    _measure(project, "ACT-1", "north", [30, 40, 50])
    _measure(project, "ACT-2", "south", [95, 96, 97])
    portfolio = _portfolio(project, config_extra="assurance:\n  measure-off-target-3-months: false\n")
    assert _findings(portfolio, "measure-off-target-3-months") == []
    assert len(_findings(portfolio, "measure-outlier")) == 1


def test_a_portfolio_without_services_is_judged_too(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-02\n")
    project.record("actions", "act-1", ACTION.replace("service: {service}\n", "").format(
        id="ACT-1", name="Falls", baseline=10, target=4,
        readings="\n".join(f"      - {{date: 2026-0{m}-10, value: 8}}" for m in (3, 4, 5)),
    ))
    found = _findings(_portfolio(project), "measure-off-target-3-months")
    assert len(found) == 1 and found[0].startswith("Test Care Ltd: 'Falls' worse than its target of 4%")
