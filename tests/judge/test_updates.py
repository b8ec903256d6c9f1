"""Unit tests for generator.judge.updates: the rules that make a note vague, and the check
``vague-updates`` on live actions whose latest updates say nothing checkable."""

from __future__ import annotations

from datetime import date

import pytest

from generator.config.portfolio import DEFAULT_ROLES
from generator.format.records import Update
from generator.judge.checks import Check
from generator.judge.updates import RULES, note_roles, people_names, vague_reason, vague_rule

from test_model import portfolio_of, write_action

ROLES = note_roles(DEFAULT_ROLES, ("Dementia lead", "Pharmacist"))


def rule(note: str, previous: str | None = None) -> str | None:
    found = vague_rule(note, previous, ROLES)
    return found.name if found else None


@pytest.mark.parametrize("note, expected", [
    ("Ongoing.", "very short"),
    ("Chased again.", "very short"),
    ("Still ongoing, will update at the next meeting.", "stock phrases"),
    ("Chased again, awaiting response from pharmacy.", "stock phrases"),
    ("No change since last update, still in progress.", "stock phrases"),
    ("Work in progress, on track.", "stock phrases"),
    # a stock opening that then names something checkable is not vague
    ("Ongoing: 15 of 20 staff observed so far.", None),
    ("Chased the GP surgery again; reply promised by Friday.", None),
    ("Awaiting the council's decision, due 28 February.", None),
    ("Still waiting on Helen Marsh.", None),
    ("Escalated to the nominated individual.", None),
    ("Passed to the dementia lead.", None),          # a role declared in portfolio.yml
    ("Pharmacist asked.", None),                     # a one-word role, declared
    ("See EV-014.", None),                           # a record id
    ("Done 12/06.", None),                           # a date
    ("Two staff still to do.", None),                # a number in words
    ("Chased [withheld] again.", None),              # a share withheld the record it named
    # no number, date or name, but says what was done
    ("Sensor mat test added to the night start-of-shift checklist.", None),
    ("Call monitoring quote received; waiting for the board's budget decision.", None),
])
def test_rules(note, expected):
    assert rule(note) == expected


def test_a_name_the_records_hold_counts_at_the_start_of_a_sentence_too():
    """Capitals open every sentence, so only names the portfolio knows count there ("Sarah chased.")."""
    names = frozenset({"Sarah", "Lund", "Will"})
    assert vague_rule("Sarah chased.", None, ROLES, names) is None
    assert vague_rule("Sarah chased.", None, ROLES) is not None
    assert vague_rule("Training booked.", None, ROLES, names).name == "very short"


def test_people_names_leave_out_stock_and_small_words(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    _with_updates(project, "act-1", "ACT-1", ("2026-02-01", "Will chased."))
    write_action(project, "act-2", id="ACT-2", extra="assigned_by: Will Good (Registered manager)\n")
    portfolio = portfolio_of(project, "2026-03-10")
    assert people_names(portfolio) == frozenset({"Jo", "Evans"})  # owner and author; Will and Good are words too
    # "Will chased." is vague: "Will" is a stock word here, not the assigner's name
    assert [c.check for c in portfolio.checks(portfolio.get("ACT-1"))] == ["vague-updates"]


def test_a_one_word_default_role_names_no_one():
    """'manager' or 'maintenance' on their own name nobody in particular: a stock note stays vague."""
    assert rule("Awaiting maintenance.") == "very short"
    assert rule("Chased manager, awaiting reply.") == "stock phrases"
    assert rule("Chased the registered manager, awaiting reply.") is None


def test_a_copy_of_the_previous_note_is_vague_whatever_it_says():
    assert rule("26 of 42 trained and assessed.", previous="26 of 42 trained  and assessed") == "repeat"
    assert rule("Training arranged for 4 March.", previous="Training being arranged.") is None
    assert rule("Ongoing.", previous="") == "very short"


def test_every_rule_is_described_and_named_once():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names)) and all(r.description and r.effect in ("vague", "checkable") for r in RULES)


def _updates(*notes: str) -> tuple[Update, ...]:
    return tuple(Update(date(2026, 1, 1 + i), None, note) for i, note in enumerate(notes))


def test_the_latest_two_must_both_be_vague():
    assert vague_reason(_updates("Ongoing.", "Chased.")) == (
        "the latest two updates say nothing checkable: 2026-01-02 “Chased.” (very short); 2026-01-01 “Ongoing.” (very short)"
    )
    # one vague note after a good one is not enough: the trail still says what moved
    assert vague_reason(_updates("Audit 85%, up from 70%.", "Ongoing.")) is None
    assert vague_reason(_updates("Ongoing.", "Audit 85%, up from 70%.")) is None
    # only the latest two count
    assert vague_reason(_updates("Audit 85%.", "Ongoing.", "Still ongoing, will update.")) is not None


def test_the_only_update_decides_alone():
    assert vague_reason(_updates("On track.")) == "the only update says nothing checkable: 2026-01-01 “On track.” (very short)"
    assert vague_reason(_updates("On track: 3 of 4 milestones done.")) is None
    assert vague_reason(()) is None


def test_a_copy_is_named_by_date_not_quoted():
    """A copy may say anything, a person's name too: the reason gives its date, not its words."""
    reason = vague_reason(_updates("Jo Evans observed 5 calls.", "Jo Evans observed 5 calls.", "Jo Evans observed 5 calls."))
    assert reason == (
        "the latest two updates say nothing checkable: 2026-01-03 repeats the update of 2026-01-02 (repeat); "
        "2026-01-02 repeats the update of 2026-01-01 (repeat)"
    )
    assert "Jo" not in reason


def test_a_long_note_is_shortened_in_the_reason():
    note = "Still ongoing and still in progress, chased again and awaiting a reply, will update at the next meeting."
    assert rule(note) == "stock phrases"
    reason = vague_reason(_updates(note))
    assert reason is not None and "…”" in reason and len(reason) < len(note) + 60


def test_a_share_without_update_notes_is_not_judged():
    from generator.share.filter import UPDATE_NOTE_LEFT_OUT

    assert vague_reason(_updates(UPDATE_NOTE_LEFT_OUT, UPDATE_NOTE_LEFT_OUT)) is None


UPDATES = """\
updates:
{updates}
"""


def _with_updates(project, name, id, *dated_notes, extra=""):
    lines = "\n".join(f"  - {{date: {d}, by: Jo Evans (Deputy manager), note: \"{n}\"}}" for d, n in dated_notes)
    write_action(project, name, id=id, extra=UPDATES.format(updates=lines) + extra)


def test_the_check_on_live_actions_only_and_as_of_the_date(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    _with_updates(project, "act-1", "ACT-1", ("2026-02-01", "Ongoing."), ("2026-03-01", "Chased again, still awaiting a reply."))
    _with_updates(project, "act-2", "ACT-2", ("2026-02-01", "Ongoing."), ("2026-03-01", "Audit of 20 charts: 18 complete."))
    _with_updates(
        project, "act-3", "ACT-3", ("2026-02-01", "Ongoing."), ("2026-03-01", "Ongoing."),
        extra="completion: {date: 2026-03-05, checked_by: Sam Hill (Team leader), note: Checked 10 charts.}\n",
    )
    _with_updates(project, "act-4", "ACT-4", ("2026-02-01", "Ongoing."), ("2026-04-01", "Audit of 20 charts: 18 complete."))
    portfolio = portfolio_of(project, "2026-03-10")
    found = {a.id: portfolio.checks(a) for a in portfolio.actions if portfolio.checks(a)}
    assert list(found) == ["ACT-1", "ACT-4"]  # ACT-3 was completed: not live; ACT-4's good update is later
    assert found["ACT-1"] == (Check(
        "vague-updates",
        "the latest two updates say nothing checkable: 2026-03-01 “Chased again, still awaiting a reply.” (stock phrases); "
        "2026-02-01 “Ongoing.” (very short)",
    ),)
    assert found["ACT-4"][0].reason == "the only update says nothing checkable: 2026-02-01 “Ongoing.” (very short)"
    later = portfolio_of(project, "2026-04-10")
    assert [a.id for a in later.actions if later.checks(a)] == ["ACT-1"]


def test_the_check_can_be_switched_off(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.config("provider: Test Care Ltd\nassurance:\n  vague-updates: false\n")
    _with_updates(project, "act-1", "ACT-1", ("2026-02-01", "Ongoing."))
    portfolio = portfolio_of(project, "2026-03-10")
    assert portfolio.checks(portfolio.get("ACT-1")) == ()
