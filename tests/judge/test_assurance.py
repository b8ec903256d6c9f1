"""Unit tests for generator.judge.assurance: families of checks run, ordered and switched off."""

from __future__ import annotations

import json
from datetime import date

import pytest

from generator.judge import assurance
from generator.judge.checks import Check, CheckInfo, Family
from generator.judge.model import build_portfolio
from generator.pipeline import check

from test_model import write_action


def _family(findings):
    """A family declaring two checks and giving ``findings`` ((action id or None, check, reason))."""
    infos = (
        CheckInfo("first-check", "First check", "the first thing holds"),
        CheckInfo("second-check", "Second check", "the second thing holds"),
        CheckInfo("whole-check", "Whole check", "the portfolio misses something", scope="portfolio"),
    )

    def judge(portfolio):
        for action_id, name, reason in findings:
            yield (action_id.lower() if action_id else None), Check(name, reason)

    return Family("test", infos, judge)


@pytest.fixture
def with_family(monkeypatch):
    def install(findings):
        monkeypatch.setattr(assurance, "FAMILIES", (_family(findings),))
    return install


def _portfolio(project):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, date(2026, 3, 1))


def test_findings_are_kept_per_action_in_the_checks_order(project, with_family):
    write_action(project, "act-1", id="ACT-1")
    write_action(project, "act-2", id="ACT-2")
    with_family([
        ("ACT-1", "second-check", "later in the table"),
        ("ACT-1", "first-check", "earlier in the table"),
        (None, "whole-check", "the forum met twice"),
    ])
    portfolio = _portfolio(project)
    act_1 = portfolio.get("ACT-1")
    act_2 = portfolio.get("ACT-2")
    assert portfolio.checks(act_1) == (Check("first-check", "earlier in the table"), Check("second-check", "later in the table"))
    assert portfolio.checks(act_2) == ()
    assert portfolio.portfolio_checks == (Check("whole-check", "the forum met twice"),)


def test_a_check_switched_off_is_not_kept(project, with_family):
    write_action(project, "act-1", id="ACT-1")
    project.config("provider: Test Care Ltd\nassurance:\n  first-check: false\n  second-check: true\n")
    with_family([("ACT-1", "first-check", "off"), ("ACT-1", "second-check", "on")])
    portfolio = _portfolio(project)
    assert portfolio.checks(portfolio.get("ACT-1")) == (Check("second-check", "on"),)
    assert [c.id for c in assurance.enabled_checks(portfolio.config.checks_off)] == ["second-check", "whole-check"]


def test_an_undeclared_check_is_a_programming_error(project, with_family):
    write_action(project, "act-1", id="ACT-1")
    with_family([("ACT-1", "made-up", "not declared")])
    with pytest.raises(ValueError, match="undeclared check 'made-up'"):
        _portfolio(project)


def test_portfolio_json_lists_checks_beside_flags(project, with_family, tmp_path):
    from generator.site.portfolio_json import portfolio_json

    write_action(project, "act-1", id="ACT-1")
    with_family([("ACT-1", "first-check", "why it holds"), (None, "whole-check", "why the portfolio holds it")])
    portfolio = _portfolio(project)
    urls = {}
    from generator.site.plan import record_uri, statement_uri

    for record in portfolio.records.values():
        urls[record_uri(record)] = record_uri(record).replace(".md", ".html")
    for statement in portfolio.config.framework.statements:
        urls[statement_uri(statement.id)] = statement_uri(statement.id).replace(".md", ".html")
    document = json.loads(portfolio_json(portfolio, urls))
    entry = next(r for r in document["records"] if r["id"] == "ACT-1")
    assert entry["assurance"] == [{"check": "first-check", "reason": "why it holds"}]
    assert document["assurance"] == [{"check": "whole-check", "reason": "why the portfolio holds it"}]
    assert [c["check"] for c in document["assurance_checks"]] == ["first-check", "second-check", "whole-check"]
    assert document["assurance_checks"][2]["scope"] == "portfolio"
    # The cached form (portfolio serve) writes the same text.
    entries: dict = {}
    assert portfolio_json(portfolio, urls, entries) == portfolio_json(portfolio, urls)
    assert portfolio_json(portfolio, urls, entries) == portfolio_json(portfolio, urls)
