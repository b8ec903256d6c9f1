"""Unit tests for generator.site.since_plan: "Since last month" judges the same records as of the
end of the previous month and compares, flags and assurance checks that cleared included."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from generator.archive.changes import summarise_portfolio
from generator.judge import assurance
from generator.judge.checks import Check, CheckInfo, Family
from generator.judge.model import build_portfolio
from generator.pipeline import check
from generator.site import since_plan
from generator.site.plan import DASHBOARDS, attachments_of, plan_pages, record_uri
from generator.site.render import Renderer

D = date.fromisoformat
AS_OF = D("2026-03-05")
INFOS = (
    CheckInfo("weak-check", "Weak check", "the assurance is weak"),
    CheckInfo("other-check", "Other check", "something else is weak"),
    CheckInfo("forum-check", "Forum check", "a forum did not meet", scope="portfolio"),
    CheckInfo("audit-check", "Audit check", "an audit was missed", scope="portfolio"),
)


def _action(id: str, *, raised: str = "2026-01-15", due: str = "2026-02-15", status: str = "in-progress", extra: str = "") -> str:
    return (
        f"id: {id}\ntitle: Action {id}\nsource: AUD-1\nowner: Jo Evans (Deputy manager)\nraised: {raised}\n"
        f"due: {due}\nrisk: medium\nstatus: {status}\nquality_statements: [medicines-optimisation]\n"
        f"updates: [{{date: {max(raised, '2026-02-27')}, by: Jo Evans (Deputy manager), note: 4 of 6 charts checked}}]\n{extra}"
    )


@pytest.fixture
def changing(project, monkeypatch):
    """A month of change between 28 February and 5 March 2026, and a family of checks whose
    findings depend on the date judged (one appears in March, one clears)."""
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("actions", "act-1", _action("ACT-1", due="2026-03-31"))  # nothing changes
    project.record("actions", "act-2", _action(  # completed on 2 March: status, and overdue cleared
        "ACT-2", status="completed", extra="completion: {date: 2026-03-02, checked_by: Sam Patel (Registered manager)}\n",
    ))
    project.record("actions", "act-3", _action(  # deadline moved on 3 March: overdue cleared
        "ACT-3", due="2026-04-30",
        extra="extensions: [{date: 2026-03-03, from: 2026-02-15, to: 2026-04-30, reason: Waiting for the pharmacy, approved_by: Sam Patel (Registered manager)}]\n",
    ))
    project.record("actions", "act-4", _action("ACT-4", raised="2026-03-02", due="2026-03-10"))  # new: due soon
    project.record("evidence", "ev-1", "id: EV-1\ntitle: Re-audit\ndate: 2026-03-04\ncategory: processes\n")

    def judge(portfolio):
        if portfolio.as_of >= D("2026-03-01"):
            yield "act-1", Check("weak-check", "closed on a training log")
            yield None, Check("audit-check", "the March audit was missed")
        else:
            yield "act-3", Check("other-check", "says nothing")
            yield None, Check("forum-check", "the forum met once in February")

    monkeypatch.setattr(assurance, "FAMILIES", (Family("test", INFOS, judge),))
    return project


def _portfolio(project, as_of: date = AS_OF):
    checked = check(project.root)
    assert [str(p) for p in checked.problems.errors] == []
    return checked, build_portfolio(checked.validated, checked.config, as_of)


def test_end_of_last_month():
    assert since_plan.end_of_last_month(D("2026-11-22")) == D("2026-10-31")
    assert since_plan.end_of_last_month(D("2026-03-01")) == D("2026-02-28")
    assert since_plan.end_of_last_month(D("2026-01-31")) == D("2025-12-31")
    assert since_plan.end_of_last_month(D("2024-03-31")) == D("2024-02-29")


def test_the_earlier_portfolio_is_the_one_built_as_of_that_day(example_project):
    checked = check(example_project)
    now = build_portfolio(checked.validated, checked.config, D("2026-11-22"))
    for day in ("2026-10-31", "2026-03-31", "2025-12-31"):
        again = since_plan.portfolio_as_of(now, D(day))
        direct = build_portfolio(checked.validated, checked.config, D(day))
        assert summarise_portfolio(again) == summarise_portfolio(direct), day
        assert {k: sorted(l.field for l in v) for k, v in again.backlinks.items()} == {
            k: sorted(l.field for l in v) for k, v in direct.backlinks.items()
        }, day


def test_changes_since_the_end_of_last_month(changing):
    _, portfolio = _portfolio(changing)
    context = since_plan.since_context(portfolio)
    assert context["since"] == D("2026-02-28")
    ids = lambda listed: [row[0].id if isinstance(row, tuple) else row.id for row in listed.rows]  # noqa: E731
    assert ids(context["added"]) == ["ACT-4", "EV-1"]
    assert [(r.id, a, b) for r, a, b in context["status_changed"].rows] == [("ACT-2", "in-progress", "completed")]
    assert [(r.id, a, b) for r, a, b in context["due_changed"].rows] == [("ACT-3", "2026-02-15", "2026-04-30")]
    assert [(r.id, f) for r, f in context["newly_flagged"].rows] == [("ACT-4", ["due-soon"])]
    assert [(r.id, f) for r, f in context["flags_cleared"].rows] == [("ACT-2", ["overdue"]), ("ACT-3", ["overdue"])]
    assert [(r.id, c) for r, c in context["newly_checked"].rows] == [("ACT-1", ["weak-check"])]
    assert [(r.id, c) for r, c in context["checks_cleared"].rows] == [("ACT-3", ["other-check"])]
    assert context["overall_appeared"] == [Check("audit-check", "the March audit was missed")]
    assert context["overall_cleared"] == [Check("forum-check", "the forum met once in February")]


def test_portfolio_checks_compare_by_check_not_by_wording():
    before = (Check("forum-check", "met 3 times in 12 months"),)
    now = (Check("forum-check", "met 3 times in 13 months"), Check("audit-check", "missed"))
    assert since_plan.overall_changes(before, now) == ([Check("audit-check", "missed")], [])
    assert since_plan.overall_changes(now, ()) == ([], list(now))


def test_long_lists_show_their_first_rows_and_say_how_many(project, monkeypatch):
    monkeypatch.setattr(since_plan, "SPLIT_ROWS", 2)
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\n")
    for n in range(1, 6):
        project.record("actions", f"act-{n}", _action(f"ACT-{n}", raised="2026-03-02", due="2026-12-31"))
    _, portfolio = _portfolio(project)
    added = since_plan.since_context(portfolio)["added"]
    assert ([r.id for r in added.rows], added.total) == (["ACT-1", "ACT-2"], 5)
    page = _render(portfolio)
    assert "Records added (5)" in page and "The first 2 of 5." in page


def _render(portfolio) -> str:
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
    page = next(p for p in plan_pages(portfolio, attachments_of(portfolio)) if p.uri == DASHBOARDS["since"])
    assert page.in_nav and page.title == "Since last month"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", renderer.render(page.template, page.context).html)).split())


def test_the_page_says_what_changed_and_what_cleared(changing):
    _, portfolio = _portfolio(changing)
    text = _render(portfolio)
    assert "between the end of last month (2026-02-28) and 2026-03-05" in text
    assert "Status changed (1) Action Was Now ACT-2 Action ACT-2 In progress Completed" in text
    assert "Deadline changed (1) Action Was due Now due ACT-3 Action ACT-3 2026-02-15 2026-04-30" in text
    assert "Early warnings cleared (2)" in text and "ACT-2 Action ACT-2 Overdue Completed" in text
    assert "Assurance checks raised (2) Audit check (across the portfolio): the March audit was missed" in text
    assert "ACT-1 Action ACT-1 Weak check" in text
    assert "Assurance checks cleared (2) Forum check (across the portfolio), which read on 2026-02-28: the forum met once in February" in text
    assert "ACT-3 Action ACT-3 Other check" in text


def test_without_checks_judged_the_page_leaves_their_sections_out(changing):
    changing.config("provider: Test Care Ltd\nassurance: {weak-check: false, other-check: false, forum-check: false, audit-check: false}\n")
    _, portfolio = _portfolio(changing)
    text = _render(portfolio)
    assert "Early warnings cleared (2)" in text
    assert "Assurance checks" not in text
