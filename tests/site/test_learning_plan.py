"""Unit tests for generator.site.learning_plan: the tables of the learning dashboard, its notes,
and its long lists moved to pages of their own."""

from __future__ import annotations


import pytest

from generator.judge.learning import follow_chains
from generator.site import learning_plan
from generator.site.learning_plan import action_learning, learning_pages, notes, tally_tables

AS_OF = "2026-11-30"


def write(project, id, **fields):
    project.followed_action(id, **fields)


@pytest.fixture
def base(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Re-audit\ndate: 2026-01-12\ncategory: observation\n")
    return project


def portfolio_of(project, as_of: str = AS_OF):
    return project.portfolio(as_of)


def _tables(portfolio):
    return {table.heading: table for table in tally_tables(portfolio, follow_chains(portfolio))}


def _counts(table, label):
    [row] = [t for t in table.rows if t.label == label]
    return row


def test_actions_are_counted_under_each_approach_and_cancelled_ones_not_at_all(base):
    write(base, "ACT-1", status="closed", approach="training", outcome="not-effective", follow_up="ACT-2")
    write(base, "ACT-2", status="closed", approach="[observation, supervision]", outcome="effective", raised="2026-04-01", closed="2026-06-01")
    write(base, "ACT-3", approach="supervision")
    write(base, "ACT-4", status="cancelled", approach="policy")
    write(base, "ACT-5", status="completed")
    tables = _tables(portfolio_of(base))
    approach = tables["By approach"]
    assert [t.label for t in approach.rows] == ["Training", "Supervision", "Observation", "Approach not recorded"]
    training = _counts(approach, "Training")
    assert training.counts == {"effective": 0, "partly-effective": 0, "not-effective": 1, "no-outcome": 0, "still-open": 0}
    assert training.effective_text == "0 of 1 closed (0%)" and training.after_text == "1 put right by a follow-up"
    supervision = _counts(approach, "Supervision")
    assert (supervision.counts["effective"], supervision.counts["still-open"]) == (1, 1)
    assert supervision.effective_text == "1 of 1 closed (100%)" and supervision.after_text == ""
    assert _counts(approach, "Approach not recorded").effective_text == "none closed yet"  # ACT-5, completed
    assert approach.columns == ("effective", "partly-effective", "not-effective", "still-open")
    assert approach.headers == (
        "Approach", "Effective", "Partly effective", "Not effective", "Still open", "Closed effective", "After follow-ups",
    )
    assert [t.label for t in tables["By service"].rows] == ["No service named"]
    assert [t.label for t in tables["By statement"].rows] == ["Learning culture", "Medicines optimisation"]
    assert _counts(tables["By statement"], "Medicines optimisation").total == 4


def test_the_outcome_not_recorded_column_shows_only_when_an_action_has_none(base):
    write(base, "ACT-1", status="closed", outcome="", follow_up="ACT-2")
    write(base, "ACT-2", raised="2026-04-01")
    approach = _tables(portfolio_of(base))["By approach"]
    assert "no-outcome" in approach.columns and "Closed, outcome not recorded" in approach.headers
    assert _counts(approach, "Approach not recorded").after_text == "1 with a follow-up still open"


def test_learning_notes_are_those_in_force_per_statement_oldest_first(base):
    write(base, "ACT-1", status="closed", outcome="effective", closed="2026-05-01", learning="Observed practice worked.")
    write(base, "ACT-2", status="closed", outcome="effective", closed="2026-03-01", learning="Huddles worked.")
    write(base, "ACT-3", status="closed", outcome="effective", closed="2026-12-15", learning="Not yet closed on the as-of date.")
    write(base, "ACT-4", status="closed", outcome="effective")  # no learning written
    portfolio = portfolio_of(base)
    found = notes(portfolio, follow_chains(portfolio))
    assert list(found) == ["learning-culture", "medicines-optimisation"]  # the framework's order
    assert [(n.action.id, n.learning) for n in found["medicines-optimisation"]] == [
        ("ACT-2", "Huddles worked."), ("ACT-1", "Observed practice worked."),
    ]
    assert found["medicines-optimisation"][0].approach == "Approach not recorded"


def test_the_dashboard_is_one_page_until_its_lists_are_long(base, monkeypatch):
    for n in (1, 3, 5):
        write(base, f"ACT-{n}", status="closed", outcome="not-effective", follow_up=f"ACT-{n + 1}", learning=f"Lesson {n}.")
        write(base, f"ACT-{n + 1}", raised="2026-05-01")
    portfolio = portfolio_of(base)
    [page] = learning_pages(portfolio, {"portfolio": portfolio})
    assert page.uri == "dashboards/learning.md" and page.in_nav
    assert page.context["chains_uri"] is None and page.context["notes_uris"] is None
    assert len(page.context["chains"]) == 3
    monkeypatch.setattr(learning_plan, "SPLIT_ROWS", 2)
    pages = learning_pages(portfolio, {"portfolio": portfolio})
    uris = [p.uri for p in pages]
    assert uris[0] == "dashboards/learning.md"
    assert pages[0].context["chains_uri"] == "dashboards/learning/chains.md"
    assert pages[0].context["notes_uris"] == {
        "learning-culture": "dashboards/learning/learning-culture.md",
        "medicines-optimisation": "dashboards/learning/medicines-optimisation.md",
    }
    assert set(uris[1:]) == {
        "dashboards/learning/chains.md", "dashboards/learning/learning-culture.md", "dashboards/learning/medicines-optimisation.md",
    }
    assert all(not p.in_nav for p in pages[1:])


def test_an_action_page_gets_its_chain_and_its_approach_in_words(base):
    write(base, "ACT-1", status="closed", approach="[care-planning, training]", outcome="not-effective", follow_up="ACT-2")
    write(base, "ACT-2", raised="2026-05-01")
    write(base, "ACT-3")
    portfolio = portfolio_of(base)
    first = action_learning(portfolio, portfolio.get("ACT-1"))  # type: ignore[arg-type]
    assert first["approach_text"] == "Care planning, training"
    assert first["chain"] is not None and [s.action.id for s in first["chain"].next] == ["ACT-2"]
    alone = action_learning(portfolio, portfolio.get("ACT-3"))  # type: ignore[arg-type]
    assert alone["chain"] is None and alone["approach_text"] == ""


@pytest.mark.parametrize("uri", ["dashboards/learning.md"])
def test_the_dashboard_is_in_the_dashboards_navigation(uri):
    from generator.site.plan import DASHBOARDS

    assert DASHBOARDS["learning"] == uri
