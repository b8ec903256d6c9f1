"""Trends and measures across services, built from the example by the real command.

Each month-end figure on the "Trends" page must be what ``portfolio.json`` built ``--as-of``
that day says: the figures are worked out here again from such ``portfolio.json`` documents
(the real command's, for a few month ends; the same code's, in this process, for every one)
and compared with the page's tables, scope by scope, month by month.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import prepare
from generator.site.portfolio_json import portfolio_json

from .conftest import REPO, Build, clean_env, copy_example, plain, read_article, run_portfolio, section_with, start_portfolio, BUILD_TIMEOUT

MONTH_ENDS = ("2026-03-31", "2026-07-31")  # built by the real command


# -- figures from portfolio.json, worked out independently of generator/judge/trends.py -------------

def _figures(doc: dict[str, Any], scope: str) -> tuple[list[str], dict[str, int]]:
    """The row the trends tables should show for ``scope`` on ``doc``'s as-of date, and the
    sources raised in its month by kind."""
    day = doc["as_of"]
    month_start = day[:8] + "01"
    statements = {s["id"]: s["key_question"] for s in doc["quality_statements"]}

    def in_scope(record: dict[str, Any]) -> bool:
        fields = record["fields"]
        if scope == "all":
            return True
        if scope == "high-risk":
            return fields.get("risk") in ("high", "critical")
        kind, _, key = scope.partition(":")
        if kind == "service":
            return str(fields.get("service", "")).lower() == key
        return key in {statements[s] for s in fields.get("quality_statements") or [] if s in statements}

    actions = [r for r in doc["records"] if r["kind"] == "action" and in_scope(r)]
    closed = [a for a in actions if a["status"] == "closed" and a["fields"]["closure"]["date"] >= month_start]
    on_time = 0
    days = []
    for action in closed:
        fields = action["fields"]
        original = fields["extensions"][0]["from"] if fields.get("extensions") else fields["due"]
        on_time += fields["closure"]["date"] <= original
        days.append((date.fromisoformat(fields["closure"]["date"]) - date.fromisoformat(fields["raised"])).days)
    percent = "–" if not closed else f"{(200 * on_time + len(closed)) // (2 * len(closed))}% ({on_time} of {len(closed)})"
    row = [
        day,
        str(sum(a["status"] in ("open", "in-progress") for a in actions)),
        str(sum("overdue" in a["flags"] for a in actions)),
        str(sum("escalate" in a["flags"] for a in actions)),
        str(len(closed)),
        percent,
        str(sum("not-effective" in a["flags"] for a in actions)),
        "–" if not days else f"{statistics.median(days):g}",
    ]
    sources: dict[str, int] = defaultdict(int)
    if scope != "high-risk":
        for record in doc["records"]:
            if record["kind"] == "source" and record["fields"]["date"] >= month_start and in_scope(record):
                sources[record["fields"]["kind"]] += 1
    return row, dict(sources)


# -- the trends page's tables -----------------------------------------------------------------------

def _tables(markup: str) -> list[list[list[str]]]:
    """Every table: its rows (the header row first), each a list of cell texts."""
    tables = []
    for table in re.findall(r"<table>(.*?)</table>", markup, re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
        tables.append([[plain(c) for c in re.findall(r"<t[hd]>(.*?)</t[hd]>", row, re.DOTALL)] for row in rows])
    return tables


SOURCE_COLUMNS = {
    "Audits": "audit", "Incidents": "incident", "Complaints": "complaint", "Feedback themes": "feedback-theme",
    "Safeguarding concerns": "safeguarding", "Oversight reviews": "oversight-review", "Inspections": "inspection",
    "Risks": "risk", "Training needs": "training-need", "Care plan reviews": "care-plan-review", "Other sources": "other",
}


def _scope_tables(markup: str) -> dict[str, tuple[list[list[str]], list[list[str]] | None]]:
    """scope title -> (figures table, sources table or None), as the trends page shows them."""
    found: dict[str, tuple[list[list[str]], list[list[str]] | None]] = {}
    for title, body in _sections(markup):
        tables = _tables(body)
        figures = [t for t in tables if t[0][0] == "Month end"]
        sources = [t for t in tables if t[0][0] == "Month"]
        if figures:
            found[title] = (figures[0], sources[0] if sources else None)
    return found


def _sections(markup: str) -> list[tuple[str, str]]:
    """(heading, markup up to the next h2 or h3) for each h2/h3; "All actions" keeps its h3."""
    heads = list(re.finditer(r"<h([23])\b[^>]*>(.*?)</h\1>", markup, re.DOTALL))
    out = []
    for i, head in enumerate(heads):
        title = plain(head.group(2))
        if title == "Sources raised in each month":
            continue
        end = len(markup)
        for later in heads[i + 1:]:
            if plain(later.group(2)) != "Sources raised in each month":
                end = later.start()
                break
        out.append((title, markup[head.end():end]))
    return out


@pytest.fixture(scope="module")
def month_end_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """``portfolio.json`` of the example built by the real command as of a few month ends."""
    base = tmp_path_factory.mktemp("trend-builds")
    project = copy_example(base / "example")
    running = []
    for day in MONTH_ENDS:
        site = base / f"site-{day}"
        running.append((day, site, start_portfolio("build", "--as-of", day, "--site-dir", str(site), cwd=project)))
    docs = {}
    for day, site, process in running:
        _, err = process.communicate(timeout=BUILD_TIMEOUT)
        assert process.returncode == 0, err
        docs[day] = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    return docs


def _in_process_json(day: date) -> dict[str, Any]:
    portfolio, _ = prepare(REPO, day)
    return json.loads(portfolio_json(portfolio, defaultdict(str)))


def test_every_trend_figure_is_what_portfolio_json_as_of_that_day_says(example_site: Build, month_end_docs):
    markup = read_article(example_site.site, "dashboards/trends.html")
    scopes = _scope_tables(markup)
    doc = example_site.json()
    services = {r["id"].lower(): r["fields"].get("name") or r["title"] for r in doc["records"] if r["kind"] == "service"}
    questions = {s["key_question"] for s in doc["quality_statements"]}
    titles = {"all": "All actions", "high-risk": "High and critical risk"}
    titles.update({f"service:{key}": name for key, name in services.items()})
    kq_titles = {"safe": "Safe", "effective": "Effective", "caring": "Caring", "responsive": "Responsive", "well-led": "Well-led"}
    titles.update({f"key-question:{q}": kq_titles[q] for q in questions})
    assert set(scopes) == set(titles.values())

    days = [row[0] for row in scopes["All actions"][0][1:]]
    assert days[-1] == "2026-11-22" and len(days) >= 12
    assert days[0] == "2025-10-31"  # the example's earliest record is from October 2025
    documents = {day: _in_process_json(date.fromisoformat(day)) for day in days}
    # The real command's portfolio.json says the same on the days it was built for.
    for day, built in month_end_docs.items():
        assert day in days
        for scope in titles:
            assert _figures(built, scope) == _figures(documents[day], scope), (day, scope)
    compared = 0
    for scope, title in titles.items():
        figures, sources = scopes[title]
        assert figures[0] == ["Month end", "Open or in progress", "Overdue", "Needs escalation", "Closed in the month",
                              "Closed by the original deadline", "Not effective", "Median days to close"]
        for row in figures[1:]:
            expected, raised = _figures(documents[row[0]], scope)
            assert row == expected, (title, row[0])
            compared += 1
            if sources is not None:
                source_row = next(r for r in sources[1:] if r[0] == row[0][:7])
                shown = {SOURCE_COLUMNS[h]: int(v) for h, v in zip(sources[0][1:], source_row[1:])}
                assert {k: v for k, v in shown.items() if v} == raised, (title, row[0])
                assert set(raised) <= set(shown)
    assert compared == len(titles) * len(days)


def test_the_trends_page_draws_accessible_charts_with_their_figures(example_site: Build):
    markup = read_article(example_site.site, "dashboards/trends.html")
    charts = re.findall(r"<svg class=\"pf-linechart\"[^>]*>", markup)
    assert len(charts) >= 3 + 2 + 5 + 1
    assert all('role="img"' in c and 'aria-label="' in c for c in charts)
    ids = re.findall(r'<(?:title|desc) id="([^"]+)"', markup)
    assert len(ids) == len(set(ids)) == 2 * len(charts)
    assert "https://" not in "".join(re.findall(r"<svg.*?</svg>", markup, re.DOTALL))
    whole = plain(markup)
    assert "Open or in progress: 3 in Oct 2025" in whole  # the first chart's description


def test_home_and_board_show_a_compact_trend_with_its_figures(example_site: Build):
    home = read_article(example_site.site, "index.html")
    trend = section_with(home, "Trends")
    assert trend.count('<svg class="pf-linechart"') == 1 and "<details" in trend
    assert "All actions: open, overdue and needing escalation at each month end" in trend
    assert "<td>2026-11-22</td>" in trend
    board = read_article(example_site.site, "dashboards/board.html")
    high = section_with(board, "Trend of high and critical risk")
    assert "High and critical risk actions: open, overdue" in high and "<details" in high
    # ACT-005 (high) has been overdue since 30 September, and needs escalation.
    assert re.search(r"<td>2026-10-31</td>\s*<td>\d+</td>\s*<td>1</td>\s*<td>1</td>", high)


def test_the_measures_page_compares_the_services_and_names_the_findings(example_site: Build):
    markup = read_article(example_site.site, "dashboards/measures.html")
    section = section_with(markup, "Staff supervised in the last eight weeks")
    assert section.count('<svg class="pf-linechart"') == 1
    table = _tables(section)[0]
    assert table[0] == ["Month", "Brookfield House", "Riverside Homecare", "Median of the services"]
    assert table[-1] == ["2026-10", "100", "57", "78.5"]
    findings = plain(section_with(markup, "Findings"))
    assert "Riverside Homecare: 'Staff supervised in the last eight weeks' worse than its target of 100% 4 months running" in findings
    assert "Riverside Homecare: 'Staff supervised in the last eight weeks' 57% in October 2026, 27% worse than the median of 2 services" in findings
    doc = example_site.json()
    checks = [c["check"] for c in doc["assurance"]]
    assert checks.count("measure-outlier") == 1 and checks.count("measure-off-target-3-months") == 2
    judged = {c["check"]: c["scope"] for c in doc["assurance_checks"]}
    assert judged["measure-outlier"] == judged["measure-off-target-3-months"] == "portfolio"


def test_trends_and_measures_are_in_the_dashboards_navigation(example_site: Build):
    page = (example_site.site / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('class="md-nav'):]
    assert nav.index("dashboards/assurance.html") < nav.index("dashboards/trends.html") < nav.index("dashboards/measures.html")


def test_a_share_judges_measures_on_what_it_shares(tmp_path: Path):
    """The council's share holds Brookfield House only: one service reads the measure, so no
    service is an outlier, and nothing of Riverside Homecare is on its trends or measures pages."""
    project = copy_example(tmp_path / "example")
    result = run_portfolio("share", "northshire-county-council", "--as-of", "2026-11-22", cwd=project, env=clean_env())
    assert result.returncode == 0, result.stderr
    share = project / "share" / "northshire-county-council"
    doc = json.loads((share / "portfolio.json").read_text(encoding="utf-8"))
    assert [c["check"] for c in doc["assurance"] if c["check"].startswith("measure-")] == ["measure-off-target-3-months"]
    for page in ("dashboards/trends.html", "dashboards/measures.html"):
        text = plain(read_article(share, page))
        assert "Riverside" not in text and "ACT-020" not in text
    trends = _scope_tables(read_article(share, "dashboards/trends.html"))
    assert "Brookfield House" in trends and "Riverside Homecare" not in trends
