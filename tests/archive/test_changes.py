"""Unit tests for generator.archive.changes' extended comparison (issue 18): flags that cleared
and assurance checks that appeared and cleared, for the live site's "Since last month" page,
while a snapshot's changes.json keeps the format's lists only."""

from __future__ import annotations

from generator.archive.changes import CLEARED_LISTS, RecordSummary, compute_changes, summarise_json
from generator.archive.manifest import Month


def action(rid: str, flags: tuple[str, ...] = (), checks: tuple[str, ...] = ()) -> RecordSummary:
    return RecordSummary(rid, "action", rid.lower(), "in-progress", "2026-04-30", flags, checks)


def summary(*records: RecordSummary) -> dict[str, RecordSummary]:
    return {r.id.lower(): r for r in records}


def test_cleared_flags_and_checks_that_appeared_and_cleared():
    before = summary(
        action("ACT-1", ("overdue", "stale"), ("vague-updates",)),
        action("ACT-2", ("due-soon",), ()),
        RecordSummary("SRC-1", "source", "Audit"),
    )
    now = summary(
        action("ACT-1", ("stale",), ("self-approved",)),
        action("ACT-2", ("overdue",), ("vague-updates", "self-approved")),
        action("ACT-3", ("due-soon",), ("no-evidence-required",)),  # new this month: nothing cleared
        RecordSummary("SRC-1", "source", "Audit"),
    )
    changes = compute_changes(Month(2026, 4), "2026-03", before, now, cleared=True)
    assert changes["flags_cleared"] == [{"id": "ACT-1", "flags": ["overdue"]}, {"id": "ACT-2", "flags": ["due-soon"]}]
    assert changes["newly_checked"] == [
        {"id": "ACT-1", "checks": ["self-approved"]},
        {"id": "ACT-2", "checks": ["vague-updates", "self-approved"]},
        {"id": "ACT-3", "checks": ["no-evidence-required"]},
    ]
    assert changes["checks_cleared"] == [{"id": "ACT-1", "checks": ["vague-updates"]}]
    # The format's lists are the same as without the extension.
    plain = compute_changes(Month(2026, 4), "2026-03", before, now)
    assert {k: v for k, v in changes.items() if k not in CLEARED_LISTS} == plain


def test_changes_json_keeps_the_formats_lists_unless_asked():
    assert not set(CLEARED_LISTS) & set(compute_changes(Month(2026, 4), "2026-03", {}, {}))
    first = compute_changes(Month(2026, 4), None, None, summary(action("ACT-1", ("overdue",))), cleared=True)
    assert all(first[name] == [] for name in CLEARED_LISTS)


def test_summarise_json_reads_an_actions_checks_each_once():
    document = {"records": [
        {"id": "ACT-1", "kind": "action", "title": "A", "status": "open", "due": "2026-04-30", "flags": ["overdue"],
         "assurance": [{"check": "measure-misses-target", "reason": "falls"}, {"check": "measure-misses-target", "reason": "bruises"},
                       {"check": "self-approved", "reason": "the owner approved"}]},
        {"id": "ACT-2", "kind": "action", "title": "B", "status": "open", "due": "2026-04-30", "flags": []},  # before issue 18
    ]}
    read = summarise_json(document)
    assert read["act-1"].checks == ("measure-misses-target", "self-approved")
    assert read["act-2"].checks == ()
