"""A share re-judges the closure checks on what it publishes: withheld evidence never makes a check
hold, and with ``owners: roles`` the owner is still recognised without any name in the records."""

from __future__ import annotations

from datetime import date

import pytest

from generator.judge.model import build_portfolio
from generator.pipeline import check
from generator.share.publish import prepare_share

AS_OF = date(2026, 11, 22)


@pytest.fixture
def sharing(project):
    project.config("provider: Test Care Ltd\nframework: cqc-saf-2023\n")
    project.file("site_config/profiles/council.yml", "title: Read-only portfolio for the council\nowners: roles\n")
    project.record("sources", "src-1", "id: SRC-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("evidence", "ev-secret", """
        id: EV-SECRET
        title: Safeguarding enquiry outcome
        date: 2026-03-01
        category: partner-feedback
        sensitive: true
    """)
    project.record("evidence", "ev-open", "id: EV-OPEN\ntitle: Re-audit\ndate: 2026-03-02\ncategory: processes\n")
    for id, evidence in (("ACT-1", "EV-SECRET, EV-OPEN"), ("ACT-2", "EV-SECRET")):
        project.record("actions", id.lower(), f"""
            id: {id}
            title: Skin checks recorded
            source: SRC-1
            owner: Helen Marsh (Registered manager)
            raised: 2026-01-15
            due: 2026-03-31
            risk: high
            status: closed
            quality_statements: [safeguarding]
            evidence_required: The enquiry's outcome and a re-audit.
            completion: {{date: 2026-03-05, checked_by: Sarah Lund (Quality lead)}}
            closure: {{date: 2026-03-10, approved_by: helen marsh (Registered manager), evidence: [{evidence}], outcome: effective}}
        """)
    return project


def _checks(portfolio, id):
    return [(c.check, c.reason) for c in portfolio.checks(portfolio.get(id))]


def test_the_share_judges_as_the_full_portfolio_without_the_withheld_evidence(sharing):
    checked = check(sharing.root)
    assert checked.problems.errors == []
    full = build_portfolio(checked.validated, checked.config, AS_OF)
    approved = ("self-approved", "the closure was approved by the owner (2026-03-10)")
    assert _checks(full, "ACT-1") == [approved]
    assert _checks(full, "ACT-2") == [approved, ("single-evidence-closure", "high risk, closed on one evidence item (EV-SECRET)")]

    shared = prepare_share(sharing.root, "council", AS_OF).portfolio
    assert shared.get("EV-SECRET") is None
    assert shared.get("ACT-1").owner.name is None and shared.get("ACT-1").owner.role == "Registered manager"
    # Practice evidence withheld: no "closed without evidence from practice"; the withheld item still
    # counts as an item, and is not named; the owner is recognised with no name in the records.
    assert _checks(shared, "ACT-1") == [approved]
    assert _checks(shared, "ACT-2") == [approved, ("single-evidence-closure", "high risk, closed on one evidence item")]


def test_a_share_without_withheld_counts_would_have_judged_wrongly(sharing):
    """What build_portfolio's ``withheld`` guards against: the filtered records alone look weak."""
    prepared = prepare_share(sharing.root, "council", AS_OF)
    blind = build_portfolio(prepared.filtered.validated, prepared.filtered.config, AS_OF)
    assert ("closure-not-on-practice", "closed on processes only (EV-OPEN)") in _checks(blind, "ACT-1")
