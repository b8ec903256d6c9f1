"""Unit tests for generator.judge.learning: what actions came to, and follow-up chains followed to
their final outcome (loops in ``follow_up`` included), on real records as of a date."""

from __future__ import annotations


import pytest

from generator.judge.learning import approach_words, effectiveness, final_outcome, follow_chains, learning_of

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


def ids(steps) -> list[str]:
    return [step.action.id for step in steps]


# -- what one action came to ---------------------------------------------------------------------

def test_effectiveness_is_the_outcome_in_force_on_the_as_of_date(base):
    write(base, "ACT-1", status="closed", outcome="effective")
    write(base, "ACT-2", status="completed")
    write(base, "ACT-3", status="cancelled")
    write(base, "ACT-4", status="closed", outcome="", follow_up="ACT-1")  # no outcome: allowed with a follow-up
    portfolio = portfolio_of(base)
    assert [effectiveness(portfolio, a) for a in portfolio.actions] == ["effective", "still-open", "cancelled", "no-outcome"]
    before = portfolio_of(base, "2026-03-31")  # closed on 2026-04-01: not yet
    assert effectiveness(before, before.get("ACT-1")) == "still-open"  # type: ignore[arg-type]


def test_approach_words():
    class Written:
        def __init__(self, *approach: str):
            self.approach = approach

    assert approach_words(Written("training")) == "Training alone"  # type: ignore[arg-type]
    assert approach_words(Written("supervision", "observation")) == "Supervision and observation"  # type: ignore[arg-type]
    assert approach_words(Written("care-planning", "policy", "training")) == "Care planning, policy and training"  # type: ignore[arg-type]
    assert approach_words(Written()) == "Approach not recorded"  # type: ignore[arg-type]


@pytest.mark.parametrize("outcomes, expected", [
    (["effective"], "effective"),
    (["effective", "effective"], "effective"),
    (["effective", "still-open"], "still-open"),
    (["effective", "not-effective"], "partly-effective"),
    (["partly-effective"], "partly-effective"),
    (["not-effective", "no-outcome"], "not-effective"),
    (["cancelled"], "cancelled"),
    (["cancelled", "not-effective"], "not-effective"),
    ([], "still-open"),
])
def test_final_outcome_of_a_chains_last_actions(outcomes, expected):
    assert final_outcome(outcomes) == expected


# -- chains --------------------------------------------------------------------------------------

def test_a_chain_is_followed_to_its_final_outcome(base):
    write(base, "ACT-7", status="closed", approach="training", outcome="not-effective", follow_up="ACT-8", closed="2026-06-16")
    write(base, "ACT-8", approach="[supervision, observation]", raised="2026-06-16")
    write(base, "ACT-9")  # in no chain
    learning = follow_chains(portfolio_of(base))
    [chain] = learning.chains
    assert ids(chain.steps) == ["ACT-7", "ACT-8"]
    assert ids(chain.first) == ["ACT-7"] and ids(chain.last) == ["ACT-8"]
    assert chain.lessons == ("Training alone: not effective",)
    assert chain.outcome == "still-open" and chain.put_right_by == () and not chain.loops
    assert learning.chain_of["act-8"] is chain and "act-9" not in learning.chain_of
    assert ids(learning.previous["act-8"]) == ["ACT-7"] and ids(learning.next["act-7"]) == ["ACT-8"]


def test_a_chain_put_right_names_what_fixed_it(base):
    write(base, "ACT-1", status="closed", approach="training", outcome="not-effective", follow_up="ACT-2", closed="2026-03-01")
    write(base, "ACT-2", status="closed", approach="policy", outcome="partly-effective", follow_up="ACT-3",
          raised="2026-03-01", closed="2026-05-01")
    write(base, "ACT-3", status="closed", approach="observation", outcome="effective", raised="2026-07-01", closed="2026-08-01")
    portfolio = portfolio_of(base)
    [chain] = follow_chains(portfolio).chains
    assert ids(chain.steps) == ["ACT-1", "ACT-2", "ACT-3"]
    assert chain.outcome == "effective" and ids(chain.put_right_by) == ["ACT-3"]
    # As of a date before ACT-3 was raised, the chain ends at ACT-2, closed partly effective.
    [earlier] = follow_chains(portfolio_of(base, "2026-04-15")).chains
    assert ids(earlier.steps) == ["ACT-1", "ACT-2"] and earlier.outcome == "still-open"
    [closed] = follow_chains(portfolio_of(base, "2026-06-01")).chains
    assert closed.outcome == "partly-effective"  # ACT-2 closed, its follow-up not yet raised


def test_branches_and_merges_are_one_chain(base):
    write(base, "ACT-1", status="closed", outcome="not-effective", follow_up="ACT-2, ACT-3")
    write(base, "ACT-2", status="closed", outcome="effective", raised="2026-04-01", closed="2026-06-01")
    write(base, "ACT-3", raised="2026-04-02")
    write(base, "ACT-4", status="closed", outcome="partly-effective", follow_up="ACT-3")
    [chain] = follow_chains(portfolio_of(base)).chains
    assert ids(chain.steps) == ["ACT-1", "ACT-4", "ACT-2", "ACT-3"]
    assert ids(chain.first) == ["ACT-1", "ACT-4"] and ids(chain.last) == ["ACT-2", "ACT-3"]
    assert chain.outcome == "still-open"


def test_a_loop_in_follow_up_ends_and_is_said(base):
    write(base, "ACT-1", status="closed", outcome="not-effective", follow_up="ACT-2")
    write(base, "ACT-2", status="closed", outcome="not-effective", follow_up="ACT-3", raised="2026-02-01")
    write(base, "ACT-3", status="closed", outcome="partly-effective", follow_up="ACT-1", raised="2026-03-01")
    learning = follow_chains(portfolio_of(base))
    [chain] = learning.chains
    assert chain.loops
    assert ids(chain.steps) == ["ACT-1", "ACT-2", "ACT-3"]
    assert ids(chain.first) == ["ACT-1"]  # every one is someone's follow-up: the earliest raised
    assert ids(chain.last) == ["ACT-3"] and chain.outcome == "partly-effective"  # none still open: the latest


def test_a_loop_with_a_tail_beside_a_chain_without_one(base):
    write(base, "ACT-1", status="closed", outcome="not-effective", follow_up="ACT-2")
    write(base, "ACT-2", status="closed", outcome="not-effective", follow_up="ACT-1, ACT-3", raised="2026-02-01")
    write(base, "ACT-3", raised="2026-03-01")
    write(base, "ACT-5", status="closed", outcome="not-effective", follow_up="ACT-6")
    write(base, "ACT-6", status="closed", outcome="effective", raised="2026-03-01", closed="2026-05-01")
    learning = follow_chains(portfolio_of(base))
    first, second = learning.chains
    assert ids(first.steps) == ["ACT-1", "ACT-2", "ACT-3"] and first.loops and first.outcome == "still-open"
    assert ids(second.steps) == ["ACT-5", "ACT-6"] and not second.loops
    assert second.outcome == "effective" and ids(second.put_right_by) == ["ACT-6"]


def test_a_long_chain_is_followed_once(base):
    count = 400
    for n in range(1, count + 1):
        follow = f"ACT-{n + 1}" if n < count else "ACT-1"  # and back to the start
        write(base, f"ACT-{n}", status="closed", outcome="not-effective", follow_up=follow)
    learning = follow_chains(portfolio_of(base))
    [chain] = learning.chains
    assert len(chain.steps) == count and chain.loops and chain.outcome == "not-effective"


def test_learning_is_worked_out_once_per_portfolio(base):
    write(base, "ACT-1", status="closed", outcome="not-effective", follow_up="ACT-2")
    write(base, "ACT-2")
    portfolio = portfolio_of(base)
    assert learning_of(portfolio) is learning_of(portfolio)
    other = portfolio_of(base)
    assert learning_of(other) is not learning_of(portfolio)
    chain = learning_of(portfolio).action_chain(portfolio.get("ACT-2"))  # type: ignore[arg-type]
    assert chain is not None and ids(chain.previous) == ["ACT-1"] and chain.next == ()
