"""Unit tests for generator.site.glance: the home page names the actions behind each warning and
check, the board shows each action's checks, and the coverage matrix is shaded by count."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from generator.judge import assurance
from generator.judge.checks import Check, CheckInfo, Family
from generator.judge.model import build_portfolio
from generator.pipeline import check
from generator.site import dashboards, glance
from generator.site.dashboards import CoverageRow, Row
from generator.site.plan import attachments_of, plan_pages, record_uri
from generator.site.render import Renderer

ACTION = """\
id: {id}
title: An action
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: 2026-01-15
due: 2026-12-31
risk: medium
status: open
quality_statements: [medicines-optimisation]
"""


def write_action(project, name, *, id, extra=""):
    project.record("actions", name, ACTION.format(id=id) + extra)


AS_OF = date(2026, 3, 1)
INFOS = (
    CheckInfo("weak-check", "Weak check", "the assurance is weak"),
    CheckInfo("other-check", "Other check", "something else is weak"),
    CheckInfo("quiet-check", "Quiet check", "holds for nobody here"),
    CheckInfo("forum-check", "Forum check", "a forum did not meet", scope="portfolio"),
)


@pytest.fixture
def with_findings(monkeypatch):
    """Install a family of checks giving ``findings`` ((action id or None, check, reason))."""
    def install(findings):
        def judge(portfolio):
            for action_id, name, reason in findings:
                yield (action_id.lower() if action_id else None), Check(name, reason)
        monkeypatch.setattr(assurance, "FAMILIES", (Family("test", INFOS, judge),))
    return install


def _overdue_actions(project, count: int) -> None:
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    for n in range(1, count + 1):
        # Deadlines one day apart, ACT-1 the most overdue, so "most urgent first" is ACT-1, ACT-2...
        write_action(project, f"act-{n}", id=f"ACT-{n}", extra="")
        text = (project.root / "content" / "actions" / f"act-{n}.md").read_text()
        (project.root / "content" / "actions" / f"act-{n}.md").write_text(text.replace("due: 2026-12-31", f"due: 2026-02-{n:02d}"))


def _portfolio(project):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return build_portfolio(checked.validated, checked.config, AS_OF)


def _pages(portfolio) -> dict[str, str]:
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
    return {p.uri: renderer.render(p.template, p.context).html for p in plan_pages(portfolio, attachments_of(portfolio))}


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())


def _section(markup: str, heading: str) -> str:
    start = markup.index(f">{heading}</h2>")
    end = markup.find("<h2", start)
    return markup[start:end if end != -1 else None]


# -- naming the actions ------------------------------------------------------------------------

def test_named_keeps_the_first_rows_and_counts_the_rest():
    rows = [Row(object(), str(n)) for n in range(11)]  # type: ignore[arg-type]
    listed = glance.named(rows, 8)
    assert [r.why for r in listed.rows] == [str(n) for n in range(8)]
    assert (listed.more, listed.total) == (3, 11)
    assert glance.named(rows[:8], 8).more == 0  # exactly the limit: nothing more to say


def test_home_names_the_most_urgent_actions_of_each_flag_and_links_the_rest(project):
    _overdue_actions(project, 10)
    portfolio = _portfolio(project)
    context = glance.home_glance(portfolio, dashboards.by_flag(portfolio))
    overdue = context["flag_names"]["overdue"]
    assert [r.action.id for r in overdue.rows] == [f"ACT-{n}" for n in range(1, 9)]
    assert overdue.more == 2
    assert context["flag_names"]["due-soon"].rows == []

    home = _pages(portfolio)["index.md"]
    row = next(r for r in _section(home, "Early warnings").split("<tr>") if "pf-flag--overdue" in r)
    assert '<a href="actions/act-1.html">ACT-1</a>, <a href="actions/act-2.html">ACT-2</a>' in row
    assert "ACT-9" not in row and "ACT-10" not in row
    assert 'and <a href="dashboards/flags/overdue.html">2 more</a>' in row
    # The count still links to the flag's page, as before.
    assert '<a href="dashboards/flags/overdue.html">10</a>' in row


def test_home_lists_each_check_that_holds_with_its_actions(project, with_findings):
    _overdue_actions(project, 3)
    with_findings([
        ("ACT-2", "weak-check", "closed on minutes only"),
        ("ACT-1", "weak-check", "closed on a training log"),
        ("ACT-1", "weak-check", "a second measure short"),  # the same action twice: named once
        ("ACT-3", "other-check", "says nothing"),
        (None, "forum-check", "the monthly forum met 4 times in 13 months"),
    ])
    portfolio = _portfolio(project)
    context = glance.home_glance(portfolio, dashboards.by_flag(portfolio))
    assert [(s.info.id, [r.action.id for r in s.actions.rows]) for s in context["check_summaries"]] == [
        ("weak-check", ["ACT-1", "ACT-2"]), ("other-check", ["ACT-3"]),
    ]
    assert context["checks_judged"] == 4

    block = _section(_pages(portfolio)["index.md"], "Assurance checks")
    text = _text(block)
    assert "Forum check: the monthly forum met 4 times in 13 months" in text
    assert "Weak check 2 ACT-1, ACT-2" in text
    assert "Other check 1 ACT-3" in text
    assert "Quiet check" not in text  # a check that holds for nobody is not listed
    assert '<a href="dashboards/checks/weak-check.html">Weak check</a>' in block


def test_home_says_when_no_check_holds_and_hides_the_block_when_none_is_judged(project, with_findings):
    _overdue_actions(project, 1)
    with_findings([])
    home = _pages(_portfolio(project))["index.md"]
    assert "No check holds for any action on 2026-03-01." in _text(_section(home, "Assurance checks"))
    project.config("provider: Test Care Ltd\nassurance: {weak-check: false, other-check: false, quiet-check: false, forum-check: false}\n")
    assert ">Assurance checks</h2>" not in _pages(_portfolio(project))["index.md"]


def test_home_caps_the_portfolio_findings(project, with_findings):
    _overdue_actions(project, 1)
    with_findings([(None, "forum-check", f"forum {n} missed") for n in range(1, 12)])
    block = _section(_pages(_portfolio(project))["index.md"], "Assurance checks")
    assert "forum 8 missed" in block and "forum 9 missed" not in block
    assert 'and <a href="dashboards/assurance.html">3 more</a>' in block


# -- the board -------------------------------------------------------------------------------------

def test_board_shows_each_actions_flags_and_checks_as_links(project, with_findings):
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    write_action(project, "act-1", id="ACT-1")
    write_action(project, "act-2", id="ACT-2", extra="cancellation: {date: 2026-02-10, approved_by: Sam Patel (Registered manager), reason: Merged into ACT-1}\n")
    for name in ("act-1", "act-2"):
        path = project.root / "content" / "actions" / f"{name}.md"
        path.write_text(path.read_text().replace("risk: medium", "risk: high").replace("due: 2026-12-31", "due: 2026-02-01"))
    path = project.root / "content" / "actions" / "act-2.md"
    path.write_text(path.read_text().replace("status: open", "status: cancelled"))
    with_findings([("ACT-1", "weak-check", "why"), ("ACT-1", "weak-check", "again"), ("ACT-2", "other-check", "why not")])
    portfolio = _portfolio(project)
    assert glance.check_ids_of(portfolio, portfolio.get("ACT-1")) == ["weak-check"]
    board = _pages(portfolio)["dashboards/board.md"]
    live, done = board.split("Completed, closed or cancelled")
    assert "<th>Flags</th>" in live and "<th>Assurance checks</th>" in live
    assert '<a class="pf-flag pf-flag--overdue" href="flags/overdue.html">Overdue</a>' in live
    assert live.count('<a class="pf-check" href="checks/weak-check.html">Weak check</a>') == 1
    assert "<th>Flags</th>" in done and "<th>Assurance checks</th>" in done
    assert '<a class="pf-check" href="checks/other-check.html">Other check</a>' in done


# -- the heat map ------------------------------------------------------------------------------

def _rows(*counts: int) -> list[CoverageRow]:
    return [CoverageRow("s", "S", "Safe", {"observation": c}, {}, None, 0, 0, []) for c in counts]


def test_heat_scale_splits_one_to_the_largest_in_four():
    scale = glance.heat_scale(_rows(0, 3, 8))
    assert [(b.level, b.label) for b in scale.bands] == [(0, "none"), (1, "1 to 2"), (2, "3 to 4"), (3, "5 to 6"), (4, "7 to 8")]
    assert [scale.level(n) for n in (0, 1, 2, 3, 6, 7, 8)] == [0, 1, 1, 2, 3, 4, 4]


def test_heat_scale_of_small_counts_gives_the_largest_the_darkest_shade():
    scale = glance.heat_scale(_rows(1, 2))
    assert [(b.level, b.label) for b in scale.bands] == [(0, "none"), (3, "1"), (4, "2")]
    assert [scale.level(n) for n in (0, 1, 2)] == [0, 3, 4]
    assert [(b.level, b.label) for b in glance.heat_scale(_rows(0)).bands] == [(0, "none")]


def test_coverage_cells_are_shaded_with_the_figures_still_written(minimal_project):
    from generator.pipeline import prepare

    portfolio, _ = prepare(minimal_project.root, AS_OF)
    page = _pages(portfolio)["dashboards/coverage.md"]
    assert '<p class="pf-heat-legend">' in page
    assert '<span class="pf-heat pf-heat--0">none</span> <span class="pf-heat pf-heat--4">1</span>' in page
    # Medicines optimisation has one processes item (EV-1): the darkest shade, its count and date as text.
    assert '<td class="pf-heat pf-heat--4">1<br>2026-02-20</td>' in page
    assert '<td class="pf-heat pf-heat--0">0</td>' in page
