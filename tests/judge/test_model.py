"""Unit tests for generator.judge.model: the portfolio as it stood on the as-of date, links both ways."""

from __future__ import annotations

from datetime import date

import pytest

from generator.judge.model import KIND_ORDER, build_portfolio, in_portfolio, natural_key
from generator.pipeline import check

D = date.fromisoformat

ACTION = """\
id: {id}
title: {title}
source: {source}
owner: Jo Evans (Deputy manager)
raised: {raised}
due: 2026-12-31
risk: medium
status: open
quality_statements: [{statements}]
"""


def write_action(project, name, *, id, title="An action", source="AUD-1", raised="2026-01-15", statements="medicines-optimisation", extra=""):
    project.record("actions", name, ACTION.format(id=id, title=title, source=source, raised=raised, statements=statements) + extra)


def portfolio_of(project, as_of: str):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, D(as_of))


def ids(records) -> list[str]:
    return [r.id for r in records]


def backlink_fields(portfolio, record_id: str) -> list[tuple[str, str]]:
    return sorted((link.from_key, link.field) for link in portfolio.backlinks.get(record_id.lower(), []))


def outlink_fields(portfolio, record_id: str) -> list[tuple[str, str]]:
    return sorted((link.target_key, link.field) for link in portfolio.outlinks.get(record_id.lower(), []))


# -- natural order -------------------------------------------------------------------------------

def test_natural_key_sorts_numbers_as_numbers():
    assert sorted(["ACT-10", "ACT-2", "ACT-1", "act-3", "ACT-100"], key=natural_key) == ["ACT-1", "ACT-2", "act-3", "ACT-10", "ACT-100"]
    assert sorted(["EV-2026-10", "EV-2026-9", "EV-2025-12"], key=natural_key) == ["EV-2025-12", "EV-2026-9", "EV-2026-10"]
    assert sorted(["b", "A", "10", "9"], key=natural_key) == ["9", "10", "A", "b"]


def test_records_of_each_kind_are_in_natural_order(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    for number in (10, 2, 1, 21, 3):
        write_action(project, f"a{number}", id=f"ACT-{number}")
    portfolio = portfolio_of(project, "2026-02-01")
    assert ids(portfolio.actions) == ["ACT-1", "ACT-2", "ACT-3", "ACT-10", "ACT-21"]
    assert list(portfolio.by_kind) == list(KIND_ORDER)
    assert ids(portfolio.by_kind["source"]) == ["AUD-1"]
    assert portfolio.by_kind["service"] == []


# -- the portfolio on the as-of date ----------------------------------------------------------------

def test_in_portfolio_by_each_records_own_date(minimal_project):
    checked = check(minimal_project.root)
    records = checked.validated.records
    assert in_portfolio(records["aud-1"], D("2026-01-10")) is True
    assert in_portfolio(records["aud-1"], D("2026-01-09")) is False
    assert in_portfolio(records["act-1"], D("2026-01-15")) is True  # raised
    assert in_portfolio(records["act-1"], D("2026-01-14")) is False
    assert in_portfolio(records["ev-1"], D("2026-02-19")) is False
    assert in_portfolio(records["mtg-1"], D("2026-01-15")) is True
    assert in_portfolio(records["home"], D("1900-01-01")) is True  # services have no date


def test_records_dated_after_the_as_of_date_are_left_out(minimal_project):
    early = portfolio_of(minimal_project, "2026-01-12")
    assert sorted(early.records) == ["aud-1", "home"]
    assert early.actions == []
    assert early.states == {}
    middle = portfolio_of(minimal_project, "2026-01-15")
    assert sorted(middle.records) == ["act-1", "aud-1", "home", "mtg-1"]
    late = portfolio_of(minimal_project, "2026-03-01")
    assert sorted(late.records) == ["act-1", "aud-1", "ev-1", "home", "mtg-1"]


def test_links_to_and_from_records_not_yet_in_the_portfolio_are_left_out(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("sources", "aud-2", "id: AUD-2\ntitle: Later audit\nkind: audit\ndate: 2026-03-01\nrelated: [AUD-1]\n")
    write_action(project, "a1", id="ACT-1", source="[AUD-1, AUD-2]", raised="2026-01-15")
    write_action(project, "a2", id="ACT-2", source="AUD-1", raised="2026-04-01")
    early = portfolio_of(project, "2026-02-01")
    assert sorted(early.records) == ["act-1", "aud-1"]
    assert outlink_fields(early, "ACT-1") == [("aud-1", "source")]
    assert backlink_fields(early, "AUD-1") == [("act-1", "source")]
    assert "aud-2" not in early.outlinks and "aud-2" not in early.backlinks
    assert "act-2" not in early.outlinks
    late = portfolio_of(project, "2026-04-01")
    assert outlink_fields(late, "ACT-1") == [("aud-1", "source"), ("aud-2", "source")]
    assert backlink_fields(late, "AUD-1") == [("act-1", "source"), ("act-2", "source"), ("aud-2", "related")]


def test_closure_links_count_only_from_the_closure_date(minimal_project):
    before = portfolio_of(minimal_project, "2026-02-28")  # EV-1 exists (2026-02-20), closure is 2026-03-01
    assert backlink_fields(before, "EV-1") == []
    assert backlink_fields(before, "MTG-1") == [("act-1", "agreed_in")]
    assert before.linked_from(before.get("EV-1"), "closure.evidence", kind="action") == []
    after = portfolio_of(minimal_project, "2026-03-01")
    assert backlink_fields(after, "EV-1") == [("act-1", "closure.evidence")]
    assert backlink_fields(after, "MTG-1") == [("act-1", "agreed_in"), ("act-1", "closure.minutes")]
    assert ids(after.linked_from(after.get("EV-1"), "closure.evidence", kind="action")) == ["ACT-1"]
    assert ids(after.linked_from(after.get("MTG-1"), "closure.minutes")) == ["ACT-1"]


def test_backlinks_from_every_kind_of_field(project):
    project.record("services", "home", "id: home\ntitle: The Home\n")
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\nservice: home\n")
    project.record("sources", "aud-2", "id: AUD-2\ntitle: Repeat\nkind: audit\ndate: 2026-01-11\nrepeat_of: AUD-1\n")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Ev\ndate: 2026-01-12\ncategory: processes\n")
    project.record("meetings", "mtg-1", "id: MTG-1\ntitle: M\ndate: 2026-01-12\nforum: F\n")
    write_action(project, "a1", id="ACT-1", extra="agreed_in: MTG-1\nservice: home\nfollow_up: [ACT-2]\nrelated: [EV-1]\nmilestones:\n  - title: M\n    evidence: [EV-1]\n")
    write_action(project, "a2", id="ACT-2", source="AUD-2")
    portfolio = portfolio_of(project, "2026-02-01")
    assert backlink_fields(portfolio, "AUD-1") == [("act-1", "source"), ("aud-2", "repeat_of")]
    assert backlink_fields(portfolio, "home") == [("act-1", "service"), ("aud-1", "service")]
    assert backlink_fields(portfolio, "EV-1") == [("act-1", "milestones[1].evidence"), ("act-1", "related")]
    assert backlink_fields(portfolio, "ACT-2") == [("act-1", "follow_up")]
    assert backlink_fields(portfolio, "MTG-1") == [("act-1", "agreed_in")]
    # linked_from: by field (a milestone field matches its bare name), by kind, each record once
    ev = portfolio.get("EV-1")
    assert ids(portfolio.linked_from(ev, "milestones", kind="action")) == ["ACT-1"]
    assert ids(portfolio.linked_from(ev)) == ["ACT-1"]
    assert ids(portfolio.linked_from(portfolio.get("AUD-1"), "source", kind="action")) == ["ACT-1"]
    assert ids(portfolio.linked_from(portfolio.get("AUD-1"), "repeat_of", kind="source")) == ["AUD-2"]
    assert ids(portfolio.linked_from(portfolio.get("AUD-1"))) == ["ACT-1", "AUD-2"]  # actions first
    assert ids(portfolio.linked_from(portfolio.get("home"), "service", kind="source")) == ["AUD-1"]


def test_linked_from_orders_by_kind_then_natural_id(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    for number in (10, 9, 1):
        write_action(project, f"a{number}", id=f"ACT-{number}")
    portfolio = portfolio_of(project, "2026-02-01")
    assert ids(portfolio.linked_from(portfolio.get("AUD-1"), "source")) == ["ACT-1", "ACT-9", "ACT-10"]


def test_links_written_in_another_case_resolve(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    write_action(project, "a1", id="ACT-1", source="aud-1")
    portfolio = portfolio_of(project, "2026-02-01")
    assert backlink_fields(portfolio, "AUD-1") == [("act-1", "source")]
    assert portfolio.get("Aud-1").id == "AUD-1"
    assert portfolio.get(None) is None
    assert portfolio.get("nope") is None


def test_self_links_are_not_backlinks(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    write_action(project, "a1", id="ACT-1", extra="related: [ACT-1]\n")
    portfolio = portfolio_of(project, "2026-02-01")
    assert backlink_fields(portfolio, "ACT-1") == []


# -- by statement -------------------------------------------------------------------------------------

def test_by_statement_has_every_statement_and_the_records_that_name_it(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\nquality_statements: [Safeguarding]\n")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Ev\ndate: 2026-01-12\ncategory: processes\nquality_statements: [safeguarding, learning-culture]\n")
    project.record("evidence", "ev-2", "id: EV-2\ntitle: Later\ndate: 2026-06-01\ncategory: processes\nquality_statements: [safeguarding]\n")
    write_action(project, "a10", id="ACT-10", statements="safeguarding")
    write_action(project, "a2", id="ACT-2", statements="safeguarding, medicines-optimisation")
    portfolio = portfolio_of(project, "2026-02-01")
    assert len(portfolio.by_statement) == 34
    assert ids(portfolio.by_statement["safeguarding"]) == ["ACT-2", "ACT-10", "AUD-1", "EV-1"]
    assert ids(portfolio.by_statement["learning-culture"]) == ["EV-1"]
    assert ids(portfolio.by_statement["medicines-optimisation"]) == ["ACT-2"]
    assert portfolio.by_statement["freedom-to-speak-up"] == []
    statement = portfolio.config.framework.statement("safeguarding")
    assert ids(portfolio.statement_records(statement, "action")) == ["ACT-2", "ACT-10"]
    assert ids(portfolio.statement_records(statement, "evidence")) == ["EV-1"]
    later = portfolio_of(project, "2026-06-01")
    assert ids(later.by_statement["safeguarding"]) == ["ACT-2", "ACT-10", "AUD-1", "EV-1", "EV-2"]


# -- states -------------------------------------------------------------------------------------------

def test_every_action_in_the_portfolio_is_assessed(minimal_project):
    before = portfolio_of(minimal_project, "2026-02-19")
    state = before.state(before.get("ACT-1"))
    assert (state.status, state.due, state.flags) == ("in-progress", D("2026-02-28"), ("due-soon", "stale"))  # raised 35 days before, no update
    portfolio = portfolio_of(minimal_project, "2026-02-20")
    state = portfolio.state(portfolio.get("ACT-1"))
    assert (state.status, state.due, state.flags) == ("completed", D("2026-02-28"), ())
    assert portfolio.as_of == D("2026-02-20")
    closed = portfolio_of(minimal_project, "2026-03-01")
    assert closed.state(closed.get("ACT-1")).status == "closed"
    assert closed.state(closed.get("ACT-1")).flags == ()


@pytest.mark.parametrize("as_of, repeat", [("2026-02-27", False), ("2026-03-01", True)])
def test_repeat_finding_counts_only_sources_in_the_portfolio(project, as_of, repeat):
    project.record("sources", "s1", "id: SRC-1\ntitle: First\nkind: audit\ndate: 2026-01-01\n")
    project.record("sources", "s2", "id: SRC-2\ntitle: Again\nkind: audit\ndate: 2026-03-01\nrepeat_of: [SRC-1]\n")
    write_action(project, "a1", id="ACT-1", source="[SRC-1, SRC-2]", raised="2026-02-20")
    portfolio = portfolio_of(project, as_of)
    assert ("repeat-finding" in portfolio.states["act-1"].flags) is repeat


def test_a_previous_portfolio_lends_only_judgements_that_cannot_differ(project):
    """portfolio serve: an action whose record, date, thresholds and repeat finding are as
    they were keeps its judgement (the same object); any of those changed judges it again."""
    project.record("sources", "s1", "id: SRC-1\ntitle: First\nkind: audit\ndate: 2026-01-01\n")
    project.record("sources", "s2", "id: SRC-2\ntitle: Again\nkind: audit\ndate: 2026-01-02\n")
    write_action(project, "a1", id="ACT-1", source="[SRC-2]")
    write_action(project, "a2", id="ACT-2", source="[SRC-1]")
    checked = check(project.root)
    first = build_portfolio(checked.validated, checked.config, D("2026-02-01"))
    again = build_portfolio(checked.validated, checked.config, D("2026-02-01"), first)
    assert again.states["act-1"] is first.states["act-1"] and again.states["act-2"] is first.states["act-2"]
    later = build_portfolio(checked.validated, checked.config, D("2026-06-01"), first)
    assert later.states == build_portfolio(checked.validated, checked.config, D("2026-06-01")).states
    assert "overdue" not in first.states["act-1"].flags and later.states["act-1"] is not first.states["act-1"]

    project.record("sources", "s2", "id: SRC-2\ntitle: Again\nkind: audit\ndate: 2026-01-02\nrepeat_of: [SRC-1]\n")
    edited = check(project.root)
    after = build_portfolio(edited.validated, edited.config, D("2026-02-01"), first)
    assert after.states == build_portfolio(edited.validated, edited.config, D("2026-02-01")).states
    assert "repeat-finding" in after.states["act-1"].flags and "repeat-finding" not in after.states["act-2"].flags
