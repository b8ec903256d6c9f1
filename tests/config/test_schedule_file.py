"""Unit tests for generator.config.schedule: site_config/schedule.yml read, checked and warned about."""

from __future__ import annotations

from datetime import date

import pytest

from generator.config.portfolio import load_portfolio_config
from generator.config.schedule import (
    DEFAULT_GRACE_DAYS, Schedule, ScheduledItem, load_schedule, schedule_warnings, shared_schedule,
)
from generator.pipeline import check
from generator.problems import PortfolioError, Problems

FULL = """\
from: 2025-10-01
meetings:
  - forum: Monthly governance meeting
    every: month
  - forum: Falls huddle
    every: weekly
    per_service: true
    grace_days: 1
audits:
  - name: Care record audit
    kind: audit
    tag: care-records
    every: quarter
    per_service: true
high_risk_review_days: 7
stale_update_days: {critical: 7, low: 60}
"""


def _load(project, text):
    project.file("site_config/schedule.yml", text)
    problems = Problems()
    return load_schedule(project.root, problems), problems


def test_no_file_is_no_schedule(project):
    config = load_portfolio_config(project.root, Problems())
    assert config.schedule is None


def test_the_full_shape_is_read(project):
    schedule, problems = _load(project, FULL)
    assert problems.items == []
    assert schedule is not None
    assert schedule.start == date(2025, 10, 1)
    governance, huddle, audit = schedule.items
    assert (governance.record_kind, governance.name, governance.every, governance.grace_days, governance.per_service) == (
        "meeting", "Monthly governance meeting", "month", DEFAULT_GRACE_DAYS["month"], False)
    assert (huddle.every, huddle.grace_days, huddle.per_service) == ("week", 1, True)
    assert (audit.record_kind, audit.name, audit.source_kind, audit.tag, audit.every) == ("source", "Care record audit", "audit", "care-records", "quarter")
    assert schedule.high_risk_review_days == 7
    assert schedule.stale_update_days == (("low", 60), ("critical", 7))  # in the risks' order
    assert schedule.stale_days("critical") == 7 and schedule.stale_days("medium") is None


def test_the_schedule_is_part_of_the_configuration(project):
    project.file("site_config/schedule.yml", FULL)
    assert load_portfolio_config(project.root, Problems()).schedule is not None


def test_an_audit_without_a_name_is_named_by_its_kind_and_tag(project):
    schedule, _ = _load(project, "audits:\n  - kind: oversight-review\n    tag: quality-visit\n    every: quarter\n")
    assert schedule is not None
    assert schedule.items[0].name == "Oversight review (quality-visit)"
    assert schedule.items[0].noun == "oversight review"


def test_a_file_of_comments_only_is_no_schedule(project):
    schedule, problems = _load(project, "# meetings:\n#   - forum: Monthly governance meeting\n")
    assert schedule is None and problems.items == []


def test_misspelt_keys_are_warned_with_the_key_meant(project):
    schedule, problems = _load(project, "meeting:\n  - forum: X\n    every: month\n    grace: 3\nstale_update_days: {hihg: 3}\n")
    assert schedule is not None
    assert [str(p) for p in problems.items] == [
        "site_config/schedule.yml:1: meeting: warning: unknown field; did you mean 'meetings'?",
        "site_config/schedule.yml:5: stale_update_days.hihg: warning: unknown risk level; did you mean 'high'?",
    ]
    schedule, problems = _load(project, "meetings:\n  - forum: X\n    every: month\n    grace: 3\n")
    assert [str(p) for p in problems.items] == [
        "site_config/schedule.yml:4: meetings[1].grace: warning: unknown field; did you mean 'grace_days'?",
    ]


@pytest.mark.parametrize("text, expected", [
    ("meetings:\n  - forum: X\n    every: fortnight\n", "site_config/schedule.yml:3: meetings[1].every: must be week, month or quarter, not 'fortnight'"),
    ("meetings:\n  - every: month\n", "site_config/schedule.yml:2: meetings[1].forum: the forum's name, as meetings write it, is required"),
    ("meetings:\n  - forum: X\n", "site_config/schedule.yml:2: meetings[1].every: how often is required: week, month or quarter"),
    ("audits:\n  - kind: audt\n    every: month\n", "site_config/schedule.yml:2: audits[1].kind: must be a kind of source"),
    ("audits:\n  - every: month\n    grace_days: 40\n", "site_config/schedule.yml:3: audits[1].grace_days: must be at most 27 days"),
    ("from: 2025-13-01\n", "site_config/schedule.yml:1: from: '2025-13-01' is not a real date"),
    ("high_risk_review_days: 0\n", "site_config/schedule.yml:1: high_risk_review_days: must be a whole number of days, 1 or more"),
    ("stale_update_days: {low: soon}\n", "site_config/schedule.yml:1: stale_update_days.low: must be a whole number of days"),
    ("meetings: Monthly governance meeting\n", "site_config/schedule.yml:1: meetings: must be a list of items"),
    ("- one\n- two\n", "site_config/schedule.yml:1: schedule.yml: must be a mapping"),
    ("meetings: [\n", "site_config/schedule.yml:"),
])
def test_a_broken_schedule_is_a_usage_error(project, text, expected):
    project.file("site_config/schedule.yml", text)
    with pytest.raises(PortfolioError) as raised:
        load_portfolio_config(project.root, Problems())
    assert raised.value.usage
    assert any(str(p).startswith(expected) for p in raised.value.problems), [str(p) for p in raised.value.problems]


def test_a_forum_tag_or_service_naming_nothing_is_warned_by_check(project):
    project.record("services", "home", "id: home\ntitle: The Home\nname: The Home\nkind: care home\n")
    project.record("meetings", "mtg-1", "id: MTG-1\ntitle: Governance\ndate: 2026-01-20\nforum: Monthly  GOVERNANCE meeting\n")
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\ntags: [Care-Records]\n")
    project.file("site_config/schedule.yml", """\
        meetings:
          - forum: monthly governance meeting
            every: month
          - forum: Monthly governence meeting
            every: month
        audits:
          - tag: care-records
            every: quarter
            services: [home]
          - tag: care-recrods
            every: quarter
            services: [hoem]
        """)
    for keep in (True, False):  # with the records, and with their summaries only (portfolio check)
        problems = check(project.root, keep_records=keep).problems
        assert [str(p) for p in problems.items] == [
            "site_config/schedule.yml:4: meetings[2].forum: warning: no meeting has the forum 'Monthly governence meeting'; did you mean 'Monthly  GOVERNANCE meeting'?",
            "site_config/schedule.yml:10: audits[2].tag: warning: no source of kind audit has the tag 'care-recrods'; did you mean 'Care-Records'?",
            "site_config/schedule.yml:12: audits[2].services: warning: no service has the id 'hoem'; did you mean 'home'?",
        ]


def test_matching_ignores_case_and_spaces():
    item = ScheduledItem("meeting", "Governance", "month", 7, forum="Monthly governance meeting")

    class Meeting:
        kind = "meeting"
        forum = " monthly   Governance  Meeting "

    assert item.matches(Meeting())
    Meeting.forum = "Quarterly governance meeting"
    assert not item.matches(Meeting())


def test_a_share_rewrites_names_starts_at_since_and_counts_what_it_leaves_out():
    item = ScheduledItem("meeting", "Marsh forum", "month", 7, forum="Marsh forum")
    schedule = Schedule((item,), start=date(2025, 1, 1))

    class Meeting:
        kind = "meeting"
        forum = "Marsh forum"
        service = None
        dated = date(2026, 2, 3)

    shared = shared_schedule(schedule, {"mtg-1": Meeting(), "mtg-2": Meeting()}, {"mtg-2"}, lambda t: t.replace("Marsh", "The RM's"), date(2026, 1, 1))
    assert shared is not None
    assert shared.items[0].name == "The RM's forum" and shared.items[0].forum == "The RM's forum"
    assert shared.start == date(2026, 1, 1)
    assert [(u.item, u.service, u.day) for u in shared.unpublished] == [(0, None, date(2026, 2, 3))]
    assert shared_schedule(None, {}, set(), str, None) is None
