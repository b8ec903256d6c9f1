"""The vague-update rules measured over a labelled set of care update notes (vague_notes.yml),
and over the example portfolio, whose good notes must never be judged vague."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from generator.config.portfolio import DEFAULT_ROLES
from generator.judge.updates import note_roles, people_names, vague_rule

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
#: Of the notes the rules call vague, at least this share must be labelled vague.
PRECISION = 0.9
#: Of the notes labelled vague, the share the rules find (reported; the aim, not a promise).
RECALL_AIM = 0.8


def _labelled() -> list[dict]:
    return yaml.safe_load((HERE / "vague_notes.yml").read_text(encoding="utf-8"))["notes"]


def test_the_labelled_set_is_large_and_mixed():
    notes = _labelled()
    assert len(notes) >= 150
    assert all(isinstance(n["note"], str) and isinstance(n["vague"], bool) and n["why"] for n in notes)
    vague = sum(n["vague"] for n in notes)
    assert 50 <= vague <= len(notes) - 50
    assert len({(n["note"], n.get("previous")) for n in notes}) == len(notes), "a note is labelled twice"


def test_precision_and_recall_over_the_labelled_set(capsys):
    roles = note_roles(DEFAULT_ROLES, ())
    found = {True: {True: 0, False: 0}, False: {True: 0, False: 0}}  # judged -> labelled -> count
    wrongly_vague = []
    for item in _labelled():
        judged = vague_rule(item["note"], item.get("previous"), roles) is not None
        found[judged][item["vague"]] += 1
        if judged and not item["vague"]:
            wrongly_vague.append(item["note"])
    true_positive = found[True][True]
    precision = true_positive / (true_positive + found[True][False])
    recall = true_positive / (true_positive + found[False][True])
    with capsys.disabled():
        print(f"\nvague-update rules over {len(_labelled())} labelled notes: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= PRECISION, f"judged vague but labelled good: {wrongly_vague}"
    assert recall >= RECALL_AIM


def test_the_examples_notes_are_never_vague():
    """Every update note of the shipped example but the two written to show the check."""
    from generator.pipeline import prepare

    portfolio = prepare(REPO, date(2026, 11, 22))[0]
    roles = note_roles(portfolio.config.all_roles, portfolio.config.roles)
    names = people_names(portfolio)
    vague = []
    for action in portfolio.actions:
        previous = None
        for update in action.updates:
            if vague_rule(update.note, previous, roles, names) is not None:
                vague.append((action.id, update.date.isoformat()))
            previous = update.note
    assert vague == [("ACT-015", "2026-11-09"), ("ACT-015", "2026-11-19")]
