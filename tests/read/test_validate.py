"""Unit tests for generator.read.validate: every rule of spec section 2, with the exact problem lines.

Each test writes real record files (through the shared ``project`` fixture) and runs the load and
validate stages, then compares ``str(problem)`` lines to the letter.
"""

from __future__ import annotations

from datetime import date

import pytest

from generator.read.load import load_content
from generator.config.portfolio import load_portfolio_config
from generator.format.people import Person
from generator.problems import Problems
from generator.format.values import ACTION_STATUSES, EVIDENCE_CATEGORIES, OUTCOMES, RISKS, SOURCE_KINDS
from generator.format.records import Action, Evidence, Extension, Meeting, Milestone, Service, Source, Update
from generator.read.links import Validated
from generator.read.reader import label
from generator.read.validate import validate

# The base action: its keys are on lines 2-10 of the file (line 1 is the opening ---).
ACTION = """\
id: ACT-1
title: Weekly MAR chart checks
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: 2026-01-15
due: 2026-02-28
risk: medium
status: open
quality_statements: [medicines-optimisation]
"""
LINE = {"id": 2, "title": 3, "source": 4, "owner": 5, "raised": 6, "due": 7, "risk": 8, "status": 9, "quality_statements": 10}
NEXT = 11  # the first line after the base action's keys

DATE_FORMAT = "is not a date; write dates as YYYY-MM-DD (for example 2026-03-31)"


def with_status(status: str, extra: str = "") -> str:
    return ACTION.replace("status: open", f"status: {status}") + extra


def without(field: str, text: str = ACTION) -> str:
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith(f"{field}:"))


def run(project) -> tuple[Validated, Problems]:
    problems = Problems()
    config = load_portfolio_config(project.root, problems)
    raw = load_content(project.root, problems)
    return validate(raw, config, project.root, problems), problems


def lines(project, path: str | None = None) -> list[str]:
    """Every problem line of one run (of one file if ``path`` is given), in file and line order."""
    _, problems = run(project)
    return [str(p) for p in problems.sorted() if path is None or p.path == path]


def action_lines(project, text: str) -> list[str]:
    project.record("actions", "a", text)
    return lines(project, "content/actions/a.md")


@pytest.fixture
def base(project):
    """A source, an evidence record, a meeting and a valid open action, for actions to name."""
    project.record("sources", "aud-1", """
        id: AUD-1
        title: Medicines audit
        kind: audit
        date: 2026-01-10
    """)
    project.record("evidence", "ev-1", """
        id: EV-1
        title: MAR chart re-audit
        date: 2026-01-12
        category: processes
    """)
    project.record("meetings", "mtg-1", """
        id: MTG-1
        title: January governance meeting
        date: 2026-01-12
        forum: Monthly governance meeting
    """)
    project.record("actions", "z", ACTION.replace("ACT-1", "ACT-2"))
    return project


# -- the baseline ----------------------------------------------------------------------------

def test_base_action_is_valid(base):
    assert action_lines(base, ACTION) == []
    assert lines(base) == []


def test_minimal_project_is_valid(minimal_project):
    validated, problems = run(minimal_project)
    assert [str(p) for p in problems.items] == []
    assert sorted(validated.records) == ["act-1", "aud-1", "ev-1", "home", "mtg-1"]


def test_label_counts_list_positions_from_one():
    assert label(("extensions", 1, "to")) == "extensions[2].to"
    assert label(("closure", "evidence")) == "closure.evidence"
    assert label(("milestones", 0, "evidence", 2)) == "milestones[1].evidence[3]"
    assert label(()) == "front matter"


# -- typed records -----------------------------------------------------------------------------

def test_action_is_read_into_typed_values(base):
    base.record("actions", "a", ACTION + """\
assigned_by: {name: Sam Patel, role: Registered manager}
agreed_in: MTG-1
review_date: 2026-04-30
intended_change: Weekly checks
tags: [medicines, mar]
milestones:
  - title: First check
    due: 2026-01-31
    done: 2026-01-30
    evidence: [EV-1]
updates:
  - date: 2026-01-20
    by: Jo Evans (Deputy manager)
    note: Started.
extensions:
  - date: 2026-01-25
    from: 2026-01-31
    to: 2026-02-28
    reason: Staff sickness.
""")
    validated, problems = run(base)
    assert [str(p) for p in problems.items] == []
    action = validated.records["act-1"]
    assert isinstance(action, Action)
    assert action.id == "ACT-1"
    assert action.key == "act-1"
    assert action.sources == ("AUD-1",)
    assert action.owner == Person("Jo Evans", "Deputy manager", True)
    assert action.assigned_by == Person("Sam Patel", "Registered manager", True)
    assert action.raised == date(2026, 1, 15)
    assert action.due == date(2026, 2, 28)
    assert action.original_due == date(2026, 1, 31)
    assert action.review_date == date(2026, 4, 30)
    assert action.agreed_in == "MTG-1"
    assert action.quality_statements == ("medicines-optimisation",)
    assert action.tags == ("medicines", "mar")
    assert action.milestones == (Milestone("First check", date(2026, 1, 31), date(2026, 1, 30), ("EV-1",)),)
    assert action.updates == (Update(date(2026, 1, 20), Person("Jo Evans", "Deputy manager", True), "Started."),)
    assert action.extensions == (
        Extension(date(2026, 1, 25), date(2026, 1, 31), date(2026, 2, 28), "Staff sickness.", None),
    )
    assert action.fields["raised"] == "2026-01-15"
    assert action.path == "content/actions/a.md"
    links = {(link.from_key, link.field, link.target, link.expected, link.line) for link in validated.links}
    assert ("act-1", "source", "AUD-1", "source", 4) in links
    assert ("act-1", "agreed_in", "MTG-1", "meeting", 12) in links
    assert ("act-1", "milestones[1].evidence", "EV-1", "evidence", 20) in links


def test_other_kinds_are_read_into_typed_values(minimal_project):
    validated, _ = run(minimal_project)
    service = validated.records["home"]
    assert isinstance(service, Service)
    assert (service.name, service.service_kind) == ("The Home", "care home")  # name defaults to the title
    source = validated.records["aud-1"]
    assert isinstance(source, Source)
    assert (source.source_kind, source.date, source.repeat_of) == ("audit", date(2026, 1, 10), ())
    evidence = validated.records["ev-1"]
    assert isinstance(evidence, Evidence)
    assert (evidence.category, evidence.date, evidence.sensitive, evidence.file_path) == ("processes", date(2026, 2, 20), False, None)
    meeting = validated.records["mtg-1"]
    assert isinstance(meeting, Meeting)
    assert meeting.forum == "Monthly governance meeting"
    assert meeting.chair == Person("Sam Patel", "Registered manager", True)


def test_id_written_as_a_number_keeps_its_digits(base):
    base.record("sources", "s", "id: 007\ntitle: Seven\nkind: audit\ndate: 2026-01-01\n")
    validated, problems = run(base)
    assert problems.items == []
    assert validated.records["007"].id == "007"


def test_meeting_attendees_are_people(base):
    base.record("meetings", "m2", """
        id: MTG-2
        title: M
        date: 2026-01-12
        forum: F
        attendees: [Jo Evans (Nurse), {name: Sam, role: Manager}, TBC]
    """)
    validated, problems = run(base)
    assert problems.items == []
    assert validated.records["mtg-2"].attendees == (
        Person("Jo Evans", "Nurse", True), Person("Sam", "Manager", True), Person("TBC", None, False),
    )


# -- common fields ---------------------------------------------------------------------------

def test_missing_id_is_reported_at_line_one_and_the_record_left_out(base):
    base.record("sources", "s", "title: No id\nkind: audit\ndate: 2026-01-01\n")
    validated, problems = run(base)
    assert [str(p) for p in problems.sorted()] == ["content/sources/s.md:1: id: is required"]
    assert "no id" not in {r.title.lower() for r in validated.records.values()}


@pytest.mark.parametrize("written, shown", [
    ("'has space'", "has space"),
    ("-abc", "-abc"),
    (".hidden", ".hidden"),
    ("a/b", "a/b"),
    ("a" * 65, "a" * 65),
])
def test_invalid_ids(base, written, shown):
    base.record("sources", "s", f"id: {written}\ntitle: x\nkind: audit\ndate: 2026-01-01\n")
    assert lines(base, "content/sources/s.md") == [
        f"content/sources/s.md:2: id: '{shown}' is not a valid id: use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters",
    ]


def test_a_64_character_id_is_valid(base):
    base.record("sources", "s", f"id: {'a' * 64}\ntitle: x\nkind: audit\ndate: 2026-01-01\n")
    assert lines(base) == []


def test_missing_title(base):
    assert action_lines(base, without("title")) == ["content/actions/a.md:1: title: is required"]


def test_empty_title(base):
    assert action_lines(base, ACTION.replace("title: Weekly MAR chart checks", "title: ''")) == [
        "content/actions/a.md:3: title: must not be empty",
    ]


def test_title_on_two_lines(base):
    text = ACTION.replace("title: Weekly MAR chart checks", "title: |\n  Weekly MAR\n  chart checks")
    assert action_lines(base, text) == ["content/actions/a.md:3: title: must be one line"]


def test_title_that_is_a_list(base):
    assert action_lines(base, ACTION.replace("title: Weekly MAR chart checks", "title: [a, b]")) == [
        "content/actions/a.md:3: title: must be text, not a list",
    ]


def test_unknown_top_level_field_is_warned_with_the_nearest_field(base):
    assert action_lines(base, ACTION + "ownr: Jo\nreveiw_date: 2026-05-01\nfavourite_colour: blue\n") == [
        "content/actions/a.md:11: ownr: warning: unknown field; did you mean 'owner'?",
        "content/actions/a.md:12: reveiw_date: warning: unknown field; did you mean 'review_date'?",
        "content/actions/a.md:13: favourite_colour: warning: unknown field",
    ]
    _, problems = run(base)
    assert problems.errors == []


def test_unknown_field_is_judged_by_kind(base):
    # ``category`` is an evidence field, not a source field
    base.record("sources", "s", "id: S\ntitle: x\nkind: audit\ndate: 2026-01-01\ncategory: processes\n")
    assert lines(base, "content/sources/s.md") == ["content/sources/s.md:6: category: warning: unknown field"]


def test_unknown_quality_statement_suggests_the_nearest(base):
    text = ACTION.replace("[medicines-optimisation]", "[medicines-optimisation, safe-guarding]")
    assert action_lines(base, text) == [
        "content/actions/a.md:10: quality_statements[2]: 'safe-guarding' is not a quality statement of cqc-saf-2023; did you mean 'safeguarding'?",
    ]


def test_unknown_quality_statement_on_its_own_line(base):
    base.record("evidence", "e", """
        id: EV-9
        title: t
        date: 2026-01-12
        category: processes
        quality_statements:
          - learning-culture
          - medicine-optimisation
    """)
    assert lines(base, "content/evidence/e.md") == [
        "content/evidence/e.md:8: quality_statements[2]: 'medicine-optimisation' is not a quality statement of cqc-saf-2023; did you mean 'medicines-optimisation'?",
    ]


def test_quality_statement_written_as_a_single_string(base):
    base.record("sources", "s", "id: S\ntitle: x\nkind: audit\ndate: 2026-01-01\nquality_statements: learning-cultur\n")
    assert lines(base, "content/sources/s.md") == [
        "content/sources/s.md:6: quality_statements: 'learning-cultur' is not a quality statement of cqc-saf-2023; did you mean 'learning-culture'?",
    ]


def test_quality_statements_ignore_case_and_are_stored_as_the_framework_writes_them(base):
    action_lines(base, ACTION.replace("[medicines-optimisation]", "[Medicines-Optimisation, medicines-optimisation]"))
    validated, problems = run(base)
    assert problems.items == []
    assert validated.records["act-1"].quality_statements == ("medicines-optimisation",)


# -- duplicate ids -----------------------------------------------------------------------------

def test_duplicate_id_ignoring_case(base):
    base.record("actions", "b", ACTION.replace("ACT-1", "act-1"))
    base.record("actions", "a", ACTION)
    assert lines(base) == [
        "content/actions/b.md:2: id: 'act-1' is already the id of content/actions/a.md; ids must be unique (ignoring case)",
    ]


def test_duplicate_id_across_kinds(base):
    base.record("evidence", "dup", "id: act-2\ntitle: t\ndate: 2026-01-12\ncategory: processes\n")
    assert lines(base) == [
        "content/evidence/dup.md:2: id: 'act-2' is already the id of content/actions/z.md; ids must be unique (ignoring case)",
    ]


# -- required action fields ----------------------------------------------------------------------

@pytest.mark.parametrize("field", ["source", "owner", "raised", "due", "risk", "status"])
def test_each_required_action_field_missing_is_reported_at_line_one(base, field):
    assert action_lines(base, without(field)) == [f"content/actions/a.md:1: {field}: is required"]


def test_missing_quality_statements_on_an_action(base):
    assert action_lines(base, without("quality_statements")) == [
        "content/actions/a.md:1: quality_statements: is required: an action must name at least one quality statement",
    ]


def test_empty_quality_statements_on_an_action(base):
    assert action_lines(base, ACTION.replace("[medicines-optimisation]", "[]")) == [
        "content/actions/a.md:10: quality_statements: an action must name at least one quality statement",
    ]


def test_empty_source_list(base):
    assert action_lines(base, ACTION.replace("source: AUD-1", "source: []")) == [
        "content/actions/a.md:4: source: must name at least one source",
    ]


def test_sources_are_optional_on_other_kinds(base):
    base.record("sources", "s", "id: S\ntitle: x\nkind: audit\ndate: 2026-01-01\n")
    assert lines(base) == []


@pytest.mark.parametrize("folder, text, expected", [
    ("sources", "id: S\ntitle: x\n", ["content/sources/s.md:1: date: is required", "content/sources/s.md:1: kind: is required"]),
    ("evidence", "id: E\ntitle: x\n", ["content/evidence/s.md:1: category: is required", "content/evidence/s.md:1: date: is required"]),
    ("meetings", "id: M\ntitle: x\n", ["content/meetings/s.md:1: date: is required", "content/meetings/s.md:1: forum: is required"]),
    ("services", "id: H\n", ["content/services/s.md:1: title: is required"]),
])
def test_required_fields_of_other_kinds(base, folder, text, expected):
    base.record(folder, "s", text)
    assert lines(base, f"content/{folder}/s.md") == expected


def test_owner_that_is_not_a_person(base):
    assert action_lines(base, ACTION.replace("owner: Jo Evans (Deputy manager)", "owner: [Jo, Sam]")) == [
        'content/actions/a.md:5: owner: a person is written as "Name (Role)" or as a mapping with name and role',
    ]


def test_owner_that_is_a_placeholder_is_not_an_error(base):
    assert action_lines(base, ACTION.replace("owner: Jo Evans (Deputy manager)", "owner: TBC")) == []
    validated, _ = run(base)
    assert validated.records["act-1"].owner.named is False


def test_person_mapping_with_an_unknown_key_is_warned(base):
    text = ACTION.replace("owner: Jo Evans (Deputy manager)", "owner: {name: Jo Evans, rol: Nurse}")
    assert action_lines(base, text) == [
        "content/actions/a.md:5: owner.rol: warning: unknown field of a person; did you mean 'role'?",
    ]


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["12/03/2026", "March 2026", "2026-3-5", "20260305", "2026-03-05T10:00", "31-03-2026"])
def test_dates_in_other_formats_are_errors(base, written):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", f"due: {written}")) == [
        f"content/actions/a.md:7: due: '{written}' {DATE_FORMAT}",
    ]


@pytest.mark.parametrize("written", ["2026-02-30", "2026-13-01", "2025-02-29", "2026-04-31"])
def test_impossible_dates_are_errors(base, written):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", f"due: {written}")) == [
        f"content/actions/a.md:7: due: '{written}' is not a real date",
    ]


def test_the_brief_example_line(base):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", "due: '12/03/2026'")) == [
        "content/actions/a.md:7: due: '12/03/2026' is not a date; write dates as YYYY-MM-DD (for example 2026-03-31)",
    ]


def test_quoted_iso_date_is_fine(base):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", "due: '2026-02-28'")) == []


def test_leap_day_is_a_real_date(base):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", "due: 2028-02-29")) == []


@pytest.mark.parametrize("folder, text, line", [
    ("sources", "id: S\ntitle: x\nkind: audit\ndate: 12/03/2026\n", 5),
    ("evidence", "id: E\ntitle: x\ncategory: processes\ndate: March 2026\n", 5),
    ("meetings", "id: M\ntitle: x\nforum: F\ndate: 2026-3-5\n", 5),
])
def test_bad_dates_on_other_kinds(base, folder, text, line):
    written = text.split("date: ")[1].strip()
    base.record(folder, "s", text)
    assert lines(base, f"content/{folder}/s.md") == [f"content/{folder}/s.md:{line}: date: '{written}' {DATE_FORMAT}"]


def test_bad_dates_inside_nested_entries(base):
    text = ACTION + """\
review_date: 30/04/2026
updates:
  - date: 2026-02-30
    note: x
milestones:
  - title: M
    due: Feb 2026
    done: 2026-1-31
completion: {date: 1st March}
"""
    assert action_lines(base, text) == [
        f"content/actions/a.md:11: review_date: '30/04/2026' {DATE_FORMAT}",
        "content/actions/a.md:13: updates[1].date: '2026-02-30' is not a real date",
        f"content/actions/a.md:17: milestones[1].due: 'Feb 2026' {DATE_FORMAT}",
        f"content/actions/a.md:18: milestones[1].done: '2026-1-31' {DATE_FORMAT}",
        f"content/actions/a.md:19: completion.date: '1st March' {DATE_FORMAT}",
    ]


# -- enumerations ------------------------------------------------------------------------------

def test_status_misspelt(base):
    assert action_lines(base, with_status("closd")) == [
        "content/actions/a.md:9: status: 'closd' is not one of: open, in-progress, completed, closed, cancelled; did you mean 'closed'?",
    ]


def test_status_in_capitals_is_read_with_a_warning(base):
    assert action_lines(base, with_status("Open")) == [
        "content/actions/a.md:9: status: warning: 'Open' is read as 'open'; write 'open'",
    ]


def test_status_in_progress_spelt_with_a_space(base):
    assert action_lines(base, with_status("in progress")) == [
        "content/actions/a.md:9: status: warning: 'in progress' is read as 'in-progress'; write 'in-progress'",
    ]


# Every field whose value is chosen from a fixed list: (folder, front matter with {value}, field,
# its line, the typed value read).
ENUM_FIELDS = {
    "status": ("actions", with_status("{value}"), "status", 9, lambda r: r.status, ACTION_STATUSES),
    "risk": ("actions", ACTION.replace("risk: medium", "risk: {value}"), "risk", 8, lambda r: r.risk, RISKS),
    "closure.outcome": (
        "actions", with_status("closed", "completion: {{date: 2026-02-20}}\nclosure: {{date: 2026-03-01, evidence: [EV-1], outcome: {value}}}\nfollow_up: [ACT-2]\n"),
        "closure.outcome", 12, lambda r: r.closure.outcome, OUTCOMES,
    ),
    "source kind": ("sources", "id: S\ntitle: x\nkind: {value}\ndate: 2026-01-01\n", "kind", 4, lambda r: r.source_kind, SOURCE_KINDS),
    "evidence category": ("evidence", "id: E\ntitle: x\ndate: 2026-01-01\ncategory: {value}\n", "category", 5, lambda r: r.category, EVIDENCE_CATEGORIES),
}


def test_every_fixed_list_of_the_format_is_covered():
    assert sorted(id(field[5]) for field in ENUM_FIELDS.values()) == sorted(
        id(values) for values in (ACTION_STATUSES, RISKS, OUTCOMES, SOURCE_KINDS, EVIDENCE_CATEGORIES))


@pytest.mark.parametrize("name", sorted(ENUM_FIELDS))
def test_every_fixed_list_value_is_read_whatever_its_case_spaces_or_underscores(base, name):
    """'High' and 'Safeguarding' are read alike: as the value the format writes, with a warning naming it."""
    folder, template, field_name, line, typed, allowed = ENUM_FIELDS[name]
    rel = f"content/{folder}/enum.md"
    for value in allowed:
        as_typed = [value, value.upper(), value.replace("-", " ").capitalize(), value.replace("-", "_").title()]
        for written in dict.fromkeys(as_typed):
            base.record(folder, "enum", template.replace("id: ACT-1", "id: ACT-9").format(value=written))
            validated, problems = run(base)
            mine = [str(p) for p in problems.sorted() if p.path == rel and p.field == field_name]
            warning = [f"{rel}:{line}: {field_name}: warning: '{written}' is read as '{value}'; write '{value}'"]
            assert mine == ([] if written == value else warning), (written, mine)
            record = next(r for r in validated.records.values() if r.path == rel)
            assert typed(record) == value, written


def test_risk_misspelt(base):
    assert action_lines(base, ACTION.replace("risk: medium", "risk: hihg")) == [
        "content/actions/a.md:8: risk: 'hihg' is not one of: low, medium, high, critical; did you mean 'high'?",
    ]


def test_risk_with_nothing_near(base):
    assert action_lines(base, ACTION.replace("risk: medium", "risk: severe")) == [
        "content/actions/a.md:8: risk: 'severe' is not one of: low, medium, high, critical",
    ]


def test_source_kind_misspelt(base):
    base.record("sources", "s", "id: S\ntitle: x\nkind: complant\ndate: 2026-01-01\n")
    assert lines(base, "content/sources/s.md") == [
        "content/sources/s.md:4: kind: 'complant' is not one of: audit, incident, complaint, feedback-theme, safeguarding, oversight-review, inspection, risk, training-need, care-plan-review, other; did you mean 'complaint'?",
    ]


def test_evidence_category_misspelt(base):
    base.record("evidence", "e", "id: E\ntitle: x\ndate: 2026-01-01\ncategory: peoples-experiences\n")
    assert lines(base, "content/evidence/e.md") == [
        "content/evidence/e.md:5: category: 'peoples-experiences' is not one of: peoples-experience, staff-feedback, partner-feedback, observation, processes, outcomes; did you mean 'peoples-experience'?",
    ]


def test_closure_outcome_misspelt(base):
    text = with_status("closed", "completion: {date: 2026-02-20}\nclosure: {date: 2026-03-01, evidence: [EV-1], outcome: efective}\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.outcome: 'efective' is not one of: effective, partly-effective, not-effective; did you mean 'effective'?",
    ]


# -- rule 1: closed ------------------------------------------------------------------------------

COMPLETION = "completion: {date: 2026-02-20, checked_by: Sam Patel (Registered manager)}\n"  # line 11
CLOSURE = "closure: {date: 2026-03-01, evidence: [EV-1], outcome: effective}\n"  # line 12


def test_closed_action_with_completion_and_closure_is_valid(base):
    assert action_lines(base, with_status("closed", COMPLETION + CLOSURE)) == []


def test_closed_needs_completion(base):
    assert action_lines(base, with_status("closed", CLOSURE)) == [
        "content/actions/a.md:1: completion: is required: an action with status 'closed' needs completion (date, checked_by, note)",
    ]


def test_closed_needs_closure(base):
    assert action_lines(base, with_status("closed", COMPLETION)) == [
        "content/actions/a.md:1: closure: is required: a closed action needs closure (date, approved_by, evidence, outcome)",
    ]


def test_closed_needs_both(base):
    assert action_lines(base, with_status("closed")) == [
        "content/actions/a.md:1: closure: is required: a closed action needs closure (date, approved_by, evidence, outcome)",
        "content/actions/a.md:1: completion: is required: an action with status 'closed' needs completion (date, checked_by, note)",
    ]


def test_closure_evidence_missing(base):
    text = with_status("closed", COMPLETION + "closure:\n  date: 2026-03-01\n  outcome: effective\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.evidence: is required: a closed action must name at least one evidence record",
    ]


def test_closure_evidence_empty(base):
    text = with_status("closed", COMPLETION + "closure:\n  date: 2026-03-01\n  outcome: effective\n  evidence: []\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:15: closure.evidence: a closed action must name at least one evidence record",
    ]


def test_closure_outcome_missing(base):
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [EV-1]}\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.outcome: is required: one of effective, partly-effective, not-effective (any but effective needs follow_up)",
    ]


def test_closure_outcome_missing_is_allowed_with_a_follow_up(base):
    # Rule 1 read as written: the outcome is effective, or else follow_up names an action.
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [EV-1]}\nfollow_up: [ACT-2]\n")
    lines = action_lines(base, text)
    assert not any("closure.outcome" in line for line in lines)


@pytest.mark.parametrize("outcome", ["partly-effective", "not-effective"])
def test_outcome_other_than_effective_needs_a_follow_up(base, outcome):
    text = with_status("closed", COMPLETION + f"closure: {{date: 2026-03-01, evidence: [EV-1], outcome: {outcome}}}\n")
    assert action_lines(base, text) == [
        f"content/actions/a.md:12: closure.outcome: outcome '{outcome}' needs follow_up naming at least one action raised because this one was not fully effective",
    ]


def test_outcome_other_than_effective_with_a_follow_up_is_valid(base):
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [EV-1], outcome: not-effective}\nfollow_up: [ACT-2]\n")
    assert action_lines(base, text) == []


def test_empty_follow_up_does_not_count(base):
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [EV-1], outcome: partly-effective}\nfollow_up: []\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.outcome: outcome 'partly-effective' needs follow_up naming at least one action raised because this one was not fully effective",
    ]


def test_closure_that_is_not_a_mapping(base):
    text = with_status("closed", COMPLETION + "closure: 2026-03-01\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure: must be a mapping of date, approved_by, evidence, outcome, minutes, note, learning, recheck",
    ]


def test_closure_recorded_on_an_open_action_is_warned(base):
    assert action_lines(base, ACTION + COMPLETION + CLOSURE) == [
        "content/actions/a.md:12: closure: warning: closure is recorded but status is 'open'; from the closure date the action counts as closed",
    ]


# -- rule 2: completed ----------------------------------------------------------------------------

def test_completed_needs_completion(base):
    assert action_lines(base, with_status("completed")) == [
        "content/actions/a.md:1: completion: is required: an action with status 'completed' needs completion (date, checked_by, note)",
    ]


# -- approach and closure.learning (an extension, issue 18) -------------------------------------

def _read_action(project, text: str) -> Action:
    project.record("actions", "a", text)
    validated, _ = run(project)
    action = validated.records["act-1"]
    assert isinstance(action, Action)
    return action


def test_approach_is_one_value_or_a_list_kept_once_in_order(base):
    assert action_lines(base, ACTION + "approach: [observation, supervision, observation]\n") == []
    assert _read_action(base, ACTION + "approach: [observation, supervision, observation]\n").approach == ("observation", "supervision")
    assert _read_action(base, ACTION + "approach: training\n").approach == ("training",)
    assert _read_action(base, ACTION).approach == ()


def test_a_misspelt_approach_is_an_error_with_the_nearest_suggested(base):
    assert action_lines(base, ACTION + "approach: [trainng, care planning, {what: 1}]\n") == [
        f"content/actions/a.md:{NEXT}: approach[1]: 'trainng' is not one of: training, policy, supervision, observation, "
        "staffing, environment, equipment, care-planning, communication, audit, other; did you mean 'training'?",
        f"content/actions/a.md:{NEXT}: approach[2]: warning: 'care planning' is read as 'care-planning'; write 'care-planning'",
        f"content/actions/a.md:{NEXT}: approach[3]: must be text, not a mapping",
    ]


def test_closure_learning_is_read_as_text(base):
    text = with_status("closed", COMPLETION + CLOSURE.replace("}", ", learning: Observed practice worked where training had not.}"))
    assert action_lines(base, text) == []
    closure = _read_action(base, text).closure
    assert closure is not None and closure.learning == "Observed practice worked where training had not."
    assert _read_action(base, with_status("closed", COMPLETION + CLOSURE)).closure.learning == ""  # type: ignore[union-attr]


def test_completed_with_completion_is_valid(base):
    assert action_lines(base, with_status("completed", COMPLETION)) == []


def test_completion_needs_its_date_reported_at_the_completion_line(base):
    assert action_lines(base, with_status("completed", "completion:\n  checked_by: Sam Patel (Registered manager)\n")) == [
        "content/actions/a.md:11: completion.date: is required",
    ]


# -- rule 3: cancelled ----------------------------------------------------------------------------

def test_cancelled_needs_cancellation(base):
    assert action_lines(base, with_status("cancelled")) == [
        "content/actions/a.md:1: cancellation: is required: a cancelled action needs cancellation (date, approved_by, reason)",
    ]


def test_cancellation_needs_a_reason(base):
    text = with_status("cancelled", "cancellation:\n  date: 2026-02-01\n  approved_by: Sam Patel (Registered manager)\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:11: cancellation.reason: is required: a cancellation must give its reason",
    ]


def test_cancellation_with_an_empty_reason(base):
    text = with_status("cancelled", "cancellation:\n  date: 2026-02-01\n  reason: ''\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:13: cancellation.reason: a cancellation must give its reason",
    ]


def test_cancelled_with_a_reason_is_valid(base):
    assert action_lines(base, with_status("cancelled", "cancellation: {date: 2026-02-01, reason: Superseded by ACT-2}\n")) == []


# -- rule 4: nothing before the action was raised -------------------------------------------------

@pytest.mark.parametrize("status, extra, expected", [
    ("open", "updates:\n  - date: 2026-01-14\n    note: early\n",
     "content/actions/a.md:12: updates[1].date: this update's date (2026-01-14) is before the action was raised (2026-01-15)"),
    ("open", "milestones:\n  - title: M\n    due: 2026-02-01\n    done: 2026-01-10\n",
     "content/actions/a.md:14: milestones[1].done: the milestone was done (2026-01-10) is before the action was raised (2026-01-15)"),
    ("open", "extensions:\n  - date: 2026-01-01\n    from: 2026-01-31\n    to: 2026-02-28\n    reason: r\n",
     "content/actions/a.md:12: extensions[1].date: this extension's date (2026-01-01) is before the action was raised (2026-01-15)"),
    ("open", "escalations:\n  - date: 2026-01-02\n    to: Sam Patel (Registered manager)\n",
     "content/actions/a.md:12: escalations[1].date: this escalation's date (2026-01-02) is before the action was raised (2026-01-15)"),
    ("completed", "completion:\n  date: 2026-01-03\n",
     "content/actions/a.md:12: completion.date: completion (2026-01-03) is before the action was raised (2026-01-15)"),
    ("cancelled", "cancellation:\n  date: 2026-01-14\n  reason: r\n",
     "content/actions/a.md:12: cancellation.date: cancellation (2026-01-14) is before the action was raised (2026-01-15)"),
])
def test_each_dated_entry_before_raised(base, status, extra, expected):
    assert action_lines(base, with_status(status, extra)) == [expected]


def test_closure_before_raised(base):
    text = with_status("closed", "completion: {date: 2026-01-03}\nclosure:\n  date: 2026-01-05\n  evidence: [EV-1]\n  outcome: effective\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:11: completion.date: completion (2026-01-03) is before the action was raised (2026-01-15)",
        "content/actions/a.md:13: closure.date: closure (2026-01-05) is before the action was raised (2026-01-15)",
    ]


def test_completion_after_closure(base):
    text = with_status("closed", "completion: {date: 2026-03-02}\n" + CLOSURE)
    assert action_lines(base, text) == [
        "content/actions/a.md:11: completion.date: completion (2026-03-02) is after closure (2026-03-01); completion is checked before an action is closed",
    ]


def test_everything_on_the_day_it_was_raised_is_fine(base):
    text = with_status("closed", """\
updates: [{date: 2026-01-15, note: n}]
milestones: [{title: M, due: 2026-01-15, done: 2026-01-15}]
escalations: [{date: 2026-01-15, to: Sam Patel (Registered manager)}]
completion: {date: 2026-01-15}
closure: {date: 2026-01-15, evidence: [EV-1], outcome: effective}
""")
    assert action_lines(base, text) == []


def test_measure_readings_may_be_older_than_the_action(base):
    text = ACTION + """\
measures:
  - name: Missed doses
    unit: per month
    baseline: {date: 2025-10-31, value: 12}
    target: 2
    readings:
      - {date: 2025-12-31, value: 9}
      - {date: 2026-01-31, value: 5}
"""
    assert action_lines(base, text) == []
    validated, _ = run(base)
    measure = validated.records["act-1"].measures[0]
    assert (measure.name, measure.unit, measure.target) == ("Missed doses", "per month", 2.0)
    assert measure.baseline.date == date(2025, 10, 31)
    assert [r.value for r in measure.readings] == [9.0, 5.0]


def test_measure_problems(base):
    text = ACTION + """\
measures:
  - unit: '%'
    target: ten
    readings:
      - {date: 2026-01-31}
"""
    assert action_lines(base, text) == [
        "content/actions/a.md:12: measures[1].name: is required",
        "content/actions/a.md:13: measures[1].target: must be a number, not 'ten'",
        "content/actions/a.md:15: measures[1].readings[1].value: is required",
    ]


def test_measure_values_must_be_finite(base):
    """YAML reads .nan and .inf as numbers; a chart or a comparison with a target cannot use them."""
    text = ACTION + """\
measures:
  - name: Falls
    target: .inf
    readings:
      - {date: 2026-01-31, value: .nan}
"""
    assert action_lines(base, text) == [
        "content/actions/a.md:13: measures[1].target: must be a finite number, not inf",
        "content/actions/a.md:15: measures[1].readings[1].value: must be a finite number, not nan",
    ]


# -- rule 5: extensions form a chain ----------------------------------------------------------------

CHAIN = """\
extensions:
  - date: 2026-01-20
    from: 2026-01-31
    to: 2026-02-14
    reason: Staff sickness.
  - date: 2026-02-10
    from: 2026-02-14
    to: 2026-02-28
    reason: Pharmacy delay.
"""


def test_a_good_chain_is_valid(base):
    assert action_lines(base, ACTION + CHAIN) == []
    validated, _ = run(base)
    action = validated.records["act-1"]
    assert action.original_due == date(2026, 1, 31)
    assert [e.to for e in action.extensions] == [date(2026, 2, 14), date(2026, 2, 28)]


def test_a_break_in_the_chain(base):
    assert action_lines(base, ACTION + CHAIN.replace("from: 2026-02-14", "from: 2026-02-15")) == [
        "content/actions/a.md:17: extensions[2].from: this extension moves the deadline from 2026-02-15, but the previous one moved it to 2026-02-14",
    ]


def test_the_last_extension_must_end_at_due(base):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", "due: 2026-03-31") + CHAIN) == [
        "content/actions/a.md:18: extensions[2].to: the last extension moves the deadline to 2026-02-28, but due is 2026-03-31; they must agree",
    ]


def test_a_single_extension_must_end_at_due(base):
    text = ACTION + "extensions:\n  - date: 2026-01-20\n    from: 2026-01-31\n    to: 2026-02-27\n    reason: r\n"
    assert action_lines(base, text) == [
        "content/actions/a.md:14: extensions[1].to: the last extension moves the deadline to 2026-02-27, but due is 2026-02-28; they must agree",
    ]


def test_an_extension_needs_a_reason(base):
    assert action_lines(base, ACTION + CHAIN.replace("    reason: Pharmacy delay.\n", "")) == [
        "content/actions/a.md:16: extensions[2].reason: is required: every extension must give its reason",
    ]


def test_an_extension_with_an_empty_reason(base):
    assert action_lines(base, ACTION + CHAIN.replace("reason: Pharmacy delay.", "reason: ''")) == [
        "content/actions/a.md:19: extensions[2].reason: an extension must give its reason",
    ]


def test_an_extension_needs_its_dates(base):
    text = ACTION + "extensions:\n  - reason: r\n"
    assert action_lines(base, text) == [
        "content/actions/a.md:12: extensions[1].date: is required",
        "content/actions/a.md:12: extensions[1].from: is required",
        "content/actions/a.md:12: extensions[1].to: is required",
    ]


def test_extensions_that_are_not_a_list(base):
    assert action_lines(base, ACTION + "extensions: {date: 2026-01-20}\n") == [
        "content/actions/a.md:11: extensions: must be a list (each entry starting with '- ')",
    ]


def test_an_extension_entry_that_is_not_a_mapping(base):
    assert action_lines(base, ACTION + "extensions:\n  - moved to March\n") == [
        "content/actions/a.md:12: extensions[1]: must be a mapping of date, from, to, reason, approved_by",
    ]


# -- rule 6: every id resolves to a record of the expected kind ---------------------------------------

def test_misspelt_source_suggests_the_nearest(project):
    project.record("sources", "aud-001", "id: AUD-001\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    assert action_lines(project, ACTION.replace("source: AUD-1", "source: AUD-01")) == [
        "content/actions/a.md:4: source: no source with id 'AUD-01'; did you mean 'AUD-001'?",
    ]


def test_source_that_is_an_evidence_record(base):
    assert action_lines(base, ACTION.replace("source: AUD-1", "source: EV-1")) == [
        "content/actions/a.md:4: source: 'EV-1' is an evidence record (content/evidence/ev-1.md), not a source",
    ]


def test_source_list_with_one_bad_entry_on_its_own_line(base):
    text = ACTION.replace("source: AUD-1", "source:\n  - AUD-1\n  - MTG-1")
    assert action_lines(base, text) == [
        "content/actions/a.md:6: source: 'MTG-1' is a meeting (content/meetings/mtg-1.md), not a source",
    ]


def test_ids_resolve_ignoring_case(base):
    assert action_lines(base, ACTION.replace("source: AUD-1", "source: aud-1") + "agreed_in: mtg-1\n") == []


def test_closure_evidence_and_minutes_of_the_wrong_kind(base):
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [MTG-1], outcome: effective, minutes: EV-1}\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.evidence: 'MTG-1' is a meeting (content/meetings/mtg-1.md), not an evidence record",
        "content/actions/a.md:12: closure.minutes: 'EV-1' is an evidence record (content/evidence/ev-1.md), not a meeting",
    ]


def test_closure_evidence_misspelt(base):
    text = with_status("closed", COMPLETION + "closure: {date: 2026-03-01, evidence: [EV-01], outcome: effective}\n")
    assert action_lines(base, text) == [
        "content/actions/a.md:12: closure.evidence: no evidence record with id 'EV-01'; did you mean 'EV-1'?",
    ]


def test_agreed_in_that_is_not_a_meeting(base):
    assert action_lines(base, ACTION + "agreed_in: EV-1\n") == [
        "content/actions/a.md:11: agreed_in: 'EV-1' is an evidence record (content/evidence/ev-1.md), not a meeting",
    ]


def test_agreed_in_misspelt(base):
    assert action_lines(base, ACTION + "agreed_in: MTG-2\n") == [
        "content/actions/a.md:11: agreed_in: no meeting with id 'MTG-2'; did you mean 'MTG-1'?",
    ]


def test_follow_up_that_is_not_an_action(base):
    assert action_lines(base, ACTION + "follow_up: [EV-1]\n") == [
        "content/actions/a.md:11: follow_up: 'EV-1' is an evidence record (content/evidence/ev-1.md), not an action",
    ]


def test_follow_up_naming_the_action_itself(base):
    assert action_lines(base, ACTION + "follow_up: ACT-1\n") == [
        "content/actions/a.md:11: follow_up: 'ACT-1' names the record itself",
    ]


def test_milestone_evidence_of_the_wrong_kind_and_misspelt(base):
    text = ACTION + "milestones:\n  - title: M\n    evidence:\n      - EV-01\n      - AUD-1\n"
    assert action_lines(base, text) == [
        "content/actions/a.md:14: milestones[1].evidence: no evidence record with id 'EV-01'; did you mean 'EV-1'?",
        "content/actions/a.md:15: milestones[1].evidence: 'AUD-1' is a source (content/sources/aud-1.md), not an evidence record",
    ]


def test_repeat_of_that_is_not_a_source(base):
    base.record("sources", "s2", "id: AUD-2\ntitle: x\nkind: audit\ndate: 2026-02-01\nrepeat_of: [EV-1]\n")
    assert lines(base, "content/sources/s2.md") == [
        "content/sources/s2.md:6: repeat_of: 'EV-1' is an evidence record (content/evidence/ev-1.md), not a source",
    ]


def test_repeat_of_itself(base):
    base.record("sources", "s2", "id: AUD-2\ntitle: x\nkind: audit\ndate: 2026-02-01\nrepeat_of: AUD-2\n")
    assert lines(base, "content/sources/s2.md") == ["content/sources/s2.md:6: repeat_of: 'AUD-2' names the record itself"]


def test_service_that_is_not_a_service(base):
    base.record("services", "home", "id: home\ntitle: The Home\n")
    assert action_lines(base, ACTION + "service: EV-1\n") == [
        "content/actions/a.md:11: service: 'EV-1' is an evidence record (content/evidence/ev-1.md), not a service",
    ]


def test_service_misspelt(base):
    base.record("services", "home", "id: the-home\ntitle: The Home\n")
    assert action_lines(base, ACTION + "service: the-hom\n") == [
        "content/actions/a.md:11: service: no service with id 'the-hom'; did you mean 'the-home'?",
    ]


def test_related_may_name_any_kind_but_must_exist(base):
    assert action_lines(base, ACTION + "related: [EV-1, AUD-1, MTG-1, ACT-2, EV-2]\n") == [
        "content/actions/a.md:11: related: no record with id 'EV-2'; did you mean 'EV-1'?",
    ]


def test_unresolved_id_with_nothing_near(base):
    assert action_lines(base, ACTION.replace("source: AUD-1", "source: XYZ-999")) == [
        "content/actions/a.md:4: source: no source with id 'XYZ-999'",
    ]


# -- unknown fields inside nested entries ------------------------------------------------------------

def test_unknown_fields_inside_extensions_closure_and_completion(base):
    text = with_status("closed", """\
extensions:
  - date: 2026-01-20
    from: 2026-01-31
    to: 2026-02-28
    reason: r
    aproved_by: Sam Patel (Registered manager)
completion:
  date: 2026-02-20
  checkd_by: Sam Patel (Registered manager)
closure:
  date: 2026-03-01
  evidence: [EV-1]
  outcome: effective
  minuts: MTG-1
updates:
  - date: 2026-01-20
    nte: x
""")
    assert action_lines(base, text) == [
        "content/actions/a.md:16: extensions[1].aproved_by: warning: unknown field; did you mean 'approved_by'?",
        "content/actions/a.md:19: completion.checkd_by: warning: unknown field; did you mean 'checked_by'?",
        "content/actions/a.md:24: closure.minuts: warning: unknown field; did you mean 'minutes'?",
        "content/actions/a.md:27: updates[1].nte: warning: unknown field; did you mean 'note'?",
    ]


def test_misspelt_nested_field_is_warned_and_the_missing_one_reported(base):
    text = ACTION + "milestones:\n  - titel: First check\n    due: 2026-02-01\n"
    assert action_lines(base, text) == [
        "content/actions/a.md:12: milestones[1].titel: warning: unknown field; did you mean 'title'?",
        "content/actions/a.md:12: milestones[1].title: is required",
    ]


def test_update_needs_its_date(base):
    assert action_lines(base, ACTION + "updates:\n  - note: x\n") == ["content/actions/a.md:12: updates[1].date: is required"]


def test_escalation_needs_its_date(base):
    assert action_lines(base, ACTION + "escalations:\n  - to: Sam Patel (Registered manager)\n") == [
        "content/actions/a.md:12: escalations[1].date: is required",
    ]


# -- services -------------------------------------------------------------------------------------

def test_service_is_optional_with_one_service(base):
    base.record("services", "home", "id: home\ntitle: The Home\n")
    assert lines(base) == []


def test_service_is_required_on_actions_and_sources_with_two_services(base):
    base.record("services", "a-home", "id: home-a\ntitle: A\n")
    base.record("services", "b-home", "id: home-b\ntitle: B\n")
    base.record("actions", "a", ACTION + "service: home-a\n")
    assert lines(base) == [
        "content/actions/z.md:1: service: is required: this portfolio has 2 services (home-a, home-b); say which one this action belongs to",
        "content/sources/aud-1.md:1: service: is required: this portfolio has 2 services (home-a, home-b); say which one this source belongs to",
    ]


def test_evidence_and_meetings_need_no_service_even_with_two(base):
    base.record("services", "a-home", "id: home-a\ntitle: A\n")
    base.record("services", "b-home", "id: home-b\ntitle: B\n")
    base.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\nservice: home-a\n")
    base.record("actions", "z", ACTION.replace("ACT-1", "ACT-2") + "service: home-b\n")
    assert lines(base) == []


# -- evidence attachments and sensitive --------------------------------------------------------------

EVIDENCE = "id: EV-5\ntitle: Training log\ndate: 2026-01-12\ncategory: processes\n"  # file: on line 6


def test_attachment_beside_the_record(base):
    base.file("content/evidence/attachments/log.csv", "name,date\n")
    base.record("evidence", "e5", EVIDENCE + "file: attachments/log.csv\n")
    validated, problems = run(base)
    assert problems.items == []
    evidence = validated.records["ev-5"]
    assert evidence.file == "attachments/log.csv"
    assert evidence.file_path == (base.root / "content/evidence/attachments/log.csv").resolve()


def test_attachment_elsewhere_inside_content(base):
    base.file("content/shared/policy.pdf", "%PDF")
    base.record("evidence", "e5", EVIDENCE + "file: ../shared/policy.pdf\n")
    assert lines(base) == []


def test_missing_attachment_suggests_a_near_file(base):
    base.file("content/evidence/attachments/log.csv", "name,date\n")
    base.record("evidence", "e5", EVIDENCE + "file: attachments/logs.csv\n")
    assert lines(base) == [
        "content/evidence/e5.md:6: file: attachment 'attachments/logs.csv' does not exist; did you mean 'log.csv'?",
    ]


def test_missing_attachment_in_a_missing_folder(base):
    base.record("evidence", "e5", EVIDENCE + "file: nowhere/report.pdf\n")
    assert lines(base) == ["content/evidence/e5.md:6: file: attachment 'nowhere/report.pdf' does not exist"]


def test_attachment_outside_content(base):
    base.record("evidence", "e5", EVIDENCE + "file: ../../site_config/portfolio.yml\n")
    assert lines(base) == [
        "content/evidence/e5.md:6: file: '../../site_config/portfolio.yml' points outside content/; attachments must stay inside content/",
    ]


def test_attachment_with_an_absolute_path(base):
    base.record("evidence", "e5", EVIDENCE + "file: /etc/passwd\n")
    assert lines(base) == [
        "content/evidence/e5.md:6: file: '/etc/passwd' must be a path relative to this record, not an absolute path",
    ]


def test_attachment_through_a_link_out_of_content(base, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (base.root / "content" / "evidence").mkdir(parents=True, exist_ok=True)
    (base.root / "content" / "evidence" / "link.txt").symlink_to(outside)
    base.record("evidence", "e5", EVIDENCE + "file: link.txt\n")
    # the record's own line, and (from the loader) the link itself, which nothing may follow
    assert lines(base) == [
        "content/evidence/e5.md:6: file: 'link.txt' points outside content/; attachments must stay inside content/",
        f"content/evidence/link.txt:1: file: links outside content/ (to {outside}); nothing outside content/ is read or published: copy what it names into content/ instead",
    ]


def test_attachment_through_a_folder_link_out_of_content(base, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "report.txt").write_text("secret")
    (base.root / "content" / "evidence").mkdir(parents=True, exist_ok=True)
    (base.root / "content" / "evidence" / "scans").symlink_to(outside, target_is_directory=True)
    base.record("evidence", "e5", EVIDENCE + "file: scans/report.txt\n")
    assert lines(base)[0] == "content/evidence/e5.md:6: file: 'scans/report.txt' points outside content/; attachments must stay inside content/"


@pytest.mark.parametrize("written, shown", [("maybe", "'maybe'"), ("'true'", "'true'"), ("1", "1"), ("[yes]", "a list")])
def test_sensitive_must_be_true_or_false(base, written, shown):
    base.record("evidence", "e5", EVIDENCE + f"sensitive: {written}\n")
    assert lines(base) == [f"content/evidence/e5.md:6: sensitive: must be true or false, not {shown}"]


@pytest.mark.parametrize("written, value", [("true", True), ("false", False), ("yes", True)])
def test_sensitive_booleans(base, written, value):
    base.record("evidence", "e5", EVIDENCE + f"sensitive: {written}\n")
    validated, problems = run(base)
    assert problems.items == []
    assert validated.records["ev-5"].sensitive is value


# -- every problem in one run --------------------------------------------------------------------

def test_a_file_with_five_problems_gives_five_lines(base):
    text = """\
id: ACT-1
title: Weekly MAR chart checks
source: AUD-01
owner: Jo Evans (Deputy manager)
raised: 12/03/2026
due: 2026-02-30
risk: severe
status: closd
quality_statements: [medicines-optimisation]
"""
    assert action_lines(base, text) == [
        "content/actions/a.md:4: source: no source with id 'AUD-01'; did you mean 'AUD-1'?",
        f"content/actions/a.md:6: raised: '12/03/2026' {DATE_FORMAT}",
        "content/actions/a.md:7: due: '2026-02-30' is not a real date",
        "content/actions/a.md:8: risk: 'severe' is not one of: low, medium, high, critical",
        "content/actions/a.md:9: status: 'closd' is not one of: open, in-progress, completed, closed, cancelled; did you mean 'closed'?",
    ]


def test_problems_in_several_files_are_all_reported(base):
    base.record("actions", "a", ACTION.replace("risk: medium", "risk: mediun"))
    base.record("sources", "s", "id: S-2\ntitle: x\nkind: audit\ndate: 2026-02-30\n")
    base.record("evidence", "e", "id: E-2\ntitle: x\ndate: 2026-01-01\ncategory: proceses\n")
    base.record("meetings", "m", "id: M-2\ntitle: x\ndate: 2026-01-01\n")
    assert lines(base) == [
        "content/actions/a.md:8: risk: 'mediun' is not one of: low, medium, high, critical; did you mean 'medium'?",
        "content/evidence/e.md:5: category: 'proceses' is not one of: peoples-experience, staff-feedback, partner-feedback, observation, processes, outcomes; did you mean 'processes'?",
        "content/meetings/m.md:1: forum: is required",
        "content/sources/s.md:5: date: '2026-02-30' is not a real date",
    ]


def test_an_action_with_errors_still_has_its_references_checked(base):
    text = ACTION.replace("due: 2026-02-28", "due: soon").replace("source: AUD-1", "source: AUD-9")
    assert action_lines(base, text) == [
        "content/actions/a.md:4: source: no source with id 'AUD-9'; did you mean 'AUD-1'?",
        f"content/actions/a.md:7: due: 'soon' {DATE_FORMAT}",
    ]


def test_an_empty_required_date(base):
    assert action_lines(base, ACTION.replace("due: 2026-02-28", "due:")) == ["content/actions/a.md:7: due: must not be empty"]


def test_a_copied_file_with_a_duplicate_id_still_has_its_other_problems_reported(base):
    # Spec section 4: ``portfolio check`` prints every problem, not only the first. A record
    # copied from another and left with the same id has its own references checked too.
    base.record("actions", "a", ACTION)
    base.record("actions", "b", ACTION.replace("source: AUD-1", "source: AUD-01"))
    assert lines(base) == [
        "content/actions/b.md:2: id: 'ACT-1' is already the id of content/actions/a.md; ids must be unique (ignoring case)",
        "content/actions/b.md:4: source: no source with id 'AUD-01'; did you mean 'AUD-1'?",
    ]


def test_a_record_without_an_id_still_has_its_references_checked(base):
    base.record("actions", "a", without("id").replace("source: AUD-1", "source: AUD-01"))
    assert lines(base) == [
        "content/actions/a.md:1: id: is required",
        "content/actions/a.md:3: source: no source with id 'AUD-01'; did you mean 'AUD-1'?",
    ]


def test_a_record_cache_checks_only_files_read_again(example_project):
    """portfolio serve: records of unchanged files are the ones checked before, with their
    problems; an edited file, every evidence file and a change of settings are checked again."""
    from generator.read.load import ReadCache
    from generator.read.validate import RecordCache

    files: ReadCache = {}
    cache = RecordCache()
    config = load_portfolio_config(example_project, Problems())

    def checked(settings=config) -> Validated:
        problems = Problems()
        validated = validate(load_content(example_project, problems, files), settings, example_project, problems, cache)
        assert not problems.errors
        return validated

    first = checked()
    action = example_project / "content" / "actions" / "act-003.md"
    action.write_text(action.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited, ", 1), encoding="utf-8")
    second = checked()
    assert second.records["act-004"] is first.records["act-004"]
    assert second.records["act-003"] is not first.records["act-003"] and second.records["act-003"].title.startswith("Edited, ")
    assert second.records["ev-001"] is first.records["ev-001"]  # no attachment: nothing on disk to look at
    assert second.records["ev-005"] is first.records["ev-005"]  # its attachment as it was
    uncached = Problems()
    assert validate(load_content(example_project, uncached), config, example_project, uncached) == second
    other = load_portfolio_config(example_project, Problems())
    assert checked(other).records["act-004"] is second.records["act-004"]  # equal settings
    assert cache.config is config


def test_a_record_cache_checks_evidence_again_when_its_attachment_changes(example_project):
    """portfolio serve: evidence is kept while its attachment is as it was; an attachment
    rewritten, made unreadable, removed or put back is looked at again, as a fresh check would."""
    import os

    from generator.read.load import ReadCache
    from generator.read.validate import RecordCache

    files: ReadCache = {}
    cache = RecordCache()
    config = load_portfolio_config(example_project, Problems())

    def checked() -> tuple[Validated, list[str]]:
        problems = Problems()
        validated = validate(load_content(example_project, problems, files), config, example_project, problems, cache)
        fresh = Problems()
        assert validate(load_content(example_project, fresh), config, example_project, fresh) == validated
        assert [str(p) for p in fresh.errors] == [str(p) for p in problems.errors]
        return validated, [str(p) for p in problems.errors]

    first, errors = checked()
    assert errors == []
    attachment = example_project / "content" / "evidence" / "attachments" / "mar-training-log.csv"
    attachment.write_text(attachment.read_text(encoding="utf-8") + "one more row\n", encoding="utf-8")
    second, _ = checked()
    assert second.records["ev-005"] is not first.records["ev-005"] and second.records["ev-012"] is first.records["ev-012"]
    saved = attachment.read_bytes()
    attachment.unlink()
    _, errors = checked()
    assert [line for line in errors if "ev-005.md" in line and "does not exist" in line]
    attachment.write_bytes(saved)
    third, errors = checked()
    assert errors == [] and third.records["ev-005"].file_path == attachment.resolve()
    if os.geteuid() != 0:  # root reads any file
        attachment.chmod(0)
        try:
            _, errors = checked()
            assert [line for line in errors if "ev-005.md" in line and "cannot be read" in line]
        finally:
            attachment.chmod(0o644)
