"""Dashboards: the figures agree with the assessment, and with portfolio.json in a built site."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from generator.site import dashboards
from generator.judge.assess import FLAGS
from generator.pipeline import prepare
from generator.format.values import ACTION_STATUSES, RISKS

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The shipped example, assessed on 2026-11-22, and built into a site once for the module."""
    from tests.conftest import REPO

    project = REPO
    portfolio, _ = prepare(project, AS_OF)
    site = tmp_path_factory.mktemp("dash") / "site"
    subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "build", "--as-of", AS_OF.isoformat(), "--site-dir", str(site)],
        check=True, capture_output=True,
    )
    return portfolio, site


def _json(site: Path) -> dict:
    return json.loads((site / "portfolio.json").read_text(encoding="utf-8"))


def _count_links(html: str, href_part: str) -> dict[str, int]:
    """Counts written as links ``<a href="...href_part/NAME.html">N</a>`` on a page."""
    return {m.group(1): int(m.group(2)) for m in re.finditer(rf'href="[^"]*{href_part}/([a-z-]+)\.html">(\d+)</a>', html)}


def test_home_counts_agree_with_portfolio_json(example):
    _, site = example
    data = _json(site)
    actions = [r for r in data["records"] if r["kind"] == "action"]
    home = (site / "index.html").read_text(encoding="utf-8")

    by_status = _count_links(home, "dashboards/status")
    assert by_status == {s: sum(1 for a in actions if a["status"] == s) for s in ACTION_STATUSES}
    by_flag = _count_links(home, "dashboards/flags")
    assert by_flag == {f: sum(1 for a in actions if f in a["flags"]) for f in FLAGS}
    by_risk = _count_links(home, "dashboards/risk")
    assert by_risk == {r: sum(1 for a in actions if a["fields"]["risk"] == r) for r in RISKS}
    assert sum(by_status.values()) == len(actions)


def test_flag_pages_list_exactly_the_flagged_actions(example):
    _, site = example
    data = _json(site)
    for flag in FLAGS:
        expected = sorted(r["id"] for r in data["records"] if r["kind"] == "action" and flag in r["flags"])
        page = (site / "dashboards" / "flags" / f"{flag}.html").read_text(encoding="utf-8")
        table = page.split("<table>", 1)[1] if "<table>" in page else ""
        listed = sorted(set(re.findall(r'href="\.\./\.\./actions/[^"]+\.html">([^<]+)</a>', table)))
        assert listed == expected, flag


def test_status_pages_list_exactly_the_actions_with_that_status(example):
    _, site = example
    data = _json(site)
    for status in ACTION_STATUSES:
        expected = sorted(r["id"] for r in data["records"] if r["kind"] == "action" and r["status"] == status)
        page = (site / "dashboards" / "status" / f"{status}.html").read_text(encoding="utf-8")
        listed = sorted(set(re.findall(r'href="\.\./\.\./actions/[^"]+\.html">([^<]+)</a>', page)))
        assert listed == expected, status


def test_escalation_register_is_oldest_first_with_days_overdue(example):
    portfolio, site = example
    rows = dashboards.escalation_register(portfolio)
    flagged = [a.id for a in portfolio.actions if "escalate" in portfolio.state(a).flags]
    assert sorted(r.action.id for r in rows) == sorted(flagged)
    dues = [portfolio.state(r.action).due for r in rows]
    assert dues == sorted(dues)
    page = (site / "dashboards" / "escalation.html").read_text(encoding="utf-8")
    assert "ACT-005" in page and "<td>53</td>" in page  # due 2026-09-30, 53 days before 2026-11-22
    assert "Ruth Adeyemi" in page  # the escalation recorded to the managing director


def test_flag_reasons_say_why(example):
    portfolio, _ = example
    reasons = {row.action.id: row.why for row in dashboards.by_flag(portfolio)["repeated-extensions"]}
    assert reasons["ACT-005"].startswith("3 extensions, last: Waiting for the sponsor licence decision")
    overdue = {row.action.id: row.why for row in dashboards.by_flag(portfolio)["overdue"]}
    assert overdue == {"ACT-005": "due 2026-09-30, 53 days overdue", "ACT-015": "due 2026-11-13, 9 days overdue"}
    stale = {row.action.id: row.why for row in dashboards.by_flag(portfolio)["stale"]}
    assert stale["ACT-013"] == "last update 2026-09-15, 68 days ago (threshold 30)"


def test_owner_workload_counts_every_action_once(example):
    portfolio, site = example
    loads = dashboards.owner_workload(portfolio)
    assert sum(len(o.actions) for o in loads) == len(portfolio.actions)
    assert sum(o.overdue for o in loads) == sum("overdue" in portfolio.state(a).flags for a in portfolio.actions)
    helen = next(o for o in loads if o.name.startswith("Helen Marsh"))
    assert helen.overdue == 1
    page = (site / "dashboards" / "owners.html").read_text(encoding="utf-8")
    assert f'id="{helen.anchor}"' in page
    action_page = (site / "actions" / "act-005.html").read_text(encoding="utf-8")
    assert f'href="../dashboards/owners.html#{helen.anchor}"' in action_page


def test_coverage_counts_and_gaps(example):
    portfolio, _ = example
    rows = {row.statement_id: row for row in dashboards.coverage(portfolio)}
    assert len(rows) == 34
    evidence = [r for r in portfolio.by_kind["evidence"]]
    total = Counter()
    for item in evidence:
        for sid in item.quality_statements:
            total[(sid, item.category)] += 1
    for sid, row in rows.items():
        for category, count in row.counts.items():
            assert count == total[(sid, category)]
    nothing = [r for r in rows.values() if not r.actions and not any(r.counts.values())]
    assert nothing and all(r.gaps == ["no actions or evidence at all"] for r in nothing)
    staffing = rows["safe-and-effective-staffing"]
    assert staffing.open_high_risk >= 1 and any("open high-risk" in g for g in staffing.gaps)


def test_coverage_twelve_month_window():
    assert dashboards.twelve_months_before(date(2028, 2, 29)) == date(2027, 2, 28)
    assert dashboards.twelve_months_before(date(2026, 11, 22)) == date(2025, 11, 22)


def test_repeat_chains_follow_repeat_of(example):
    portfolio, site = example
    chains = dashboards.repeat_chains(portfolio)
    as_ids = [[s.id for s in c.sources] for c in chains]
    assert ["SRC-001", "SRC-010"] in as_ids
    for chain in chains:
        dates = [s.date for s in chain.sources]
        assert dates == sorted(dates)
    page = (site / "dashboards" / "repeat-findings.html").read_text(encoding="utf-8")
    assert "SRC-010" in page and "ACT-002" in page


def test_per_key_question_and_service_totals(example):
    portfolio, _ = example
    services = dashboards.per_service(portfolio)
    assert sum(c.total for _, c in services) == len(portfolio.actions)
    for question, counts, _evidence in dashboards.per_key_question(portfolio):
        ids = {r.key for s in question.statements for r in portfolio.by_statement[s.id] if r.kind == "action"}
        assert counts.total == len(ids)


def test_timeline_runs_from_identified_to_outcome(example):
    portfolio, _ = example
    closed = portfolio.get("ACT-001")
    stages = [e.stage for e in dashboards.timeline(portfolio, closed)]
    assert stages[0] == "Identified"
    assert stages.index("Agreed") < stages.index("Completion checked") < stages.index("Outcome reviewed")
    events = dashboards.timeline(portfolio, closed)
    assert [e.when for e in events] == sorted(e.when for e in events)


def test_actions_table_has_every_action_and_its_script(example):
    portfolio, site = example
    page = (site / "dashboards" / "actions.html").read_text(encoding="utf-8")
    for action in portfolio.actions:
        assert f">{action.id}</a>" in page
    assert 'class="pf-table-tools"' in page
    assert re.search(r'<script src="\.\./assets/portfolio-table\.js"', page)
    assert (site / "assets" / "portfolio-table.js").is_file()
