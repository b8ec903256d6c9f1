"""The built example site over HTTP: pages render, and the links between records work when clicked."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser


def _expect():
    from playwright.sync_api import expect

    return expect


def _flagged(site, flag):
    data = json.loads((site.site / "portfolio.json").read_text(encoding="utf-8"))
    return sorted(r["id"] for r in data["records"] if r["kind"] == "action" and flag in r["flags"])


def test_home_page_names_the_provider_and_what_needs_attention(watched, built_site):
    """The home page says whose portfolio it is and as of when, and shows what needs attention:
    the early-warning counts (overdue first) lead to the flagged actions, and the actions that
    need escalation are listed on the page itself. (The brief said "What needs attention"; since
    the assurance dashboards the page calls that part "Early warnings" and "Needs escalation".)"""
    page = watched.open("index.html")
    expect = _expect()
    provider = built_site.provider
    overdue = _flagged(built_site, "overdue")
    escalate = _flagged(built_site, "escalate")
    assert "ACT-005" in overdue and "ACT-005" in escalate  # due 2026-09-30, high risk, in progress

    assert provider in watched.h1()
    expect(page.locator(".pf-asof")).to_contain_text(provider)
    expect(page.locator(".pf-asof time")).to_have_attribute("datetime", "2026-11-22")

    escalation = page.locator("xpath=//article//h2[normalize-space()='Needs escalation']/following::table[1]")
    expect(escalation).to_be_visible()
    listed = escalation.locator("a[href^='actions/']").all_inner_texts()
    assert sorted(listed) == escalate

    warnings = page.locator("article h2", has_text=re.compile(r"^Early warnings$"))
    expect(warnings).to_be_visible()
    overdue_row = page.locator(
        "xpath=//article//h2[normalize-space()='Early warnings']/following::table[1]//tr[td[1][normalize-space()='Overdue']]"
    )
    count = overdue_row.locator("a[href*='flags/overdue']")
    expect(count).to_have_text(str(len(overdue)))
    with page.expect_navigation(url=re.compile(r"/dashboards/flags/overdue\.html$"), wait_until="load"):
        count.click()
    expect(page.locator("article h1")).to_have_text("Overdue")
    assert sorted(page.locator("article table a[href*='/actions/act-']").all_inner_texts()) == overdue
    watched.assert_clean()


def _record_h1(site, rel):
    fm = site.front_matter(rel)
    return f"{fm['id']}: {fm['title']}"


def _statement_title(site, statement_id):
    for kq in site.framework()["key_questions"]:
        for st in kq["statements"]:
            if st["id"] == statement_id:
                return st["title"]
    raise AssertionError(f"no statement {statement_id}")


def _key_question_title(site, kq_id):
    return next(kq["title"] for kq in site.framework()["key_questions"] if kq["id"] == kq_id)


@pytest.mark.parametrize(
    ("path", "expected_h1", "must_link_to"),
    [
        pytest.param("actions/act-005.html", lambda s: _record_h1(s, "actions/act-005.md"),
                     ["../sources/src-003.html", "../statements/safe-and-effective-staffing.html"], id="action"),
        pytest.param("statements/safe-and-effective-staffing.html",
                     lambda s: _statement_title(s, "safe-and-effective-staffing"),
                     ["../actions/act-005.html", "../sources/src-003.html", "../key-questions/safe.html"], id="statement"),
        pytest.param("key-questions/safe.html", lambda s: _key_question_title(s, "safe"),
                     ["../statements/safe-and-effective-staffing.html", "../statements/medicines-optimisation.html"],
                     id="key-question"),
        pytest.param("sources/src-003.html", lambda s: _record_h1(s, "sources/src-003.md"),
                     ["../actions/act-005.html"], id="source"),
    ],
)
def test_record_page_renders_with_its_h1(watched, built_site, path, expected_h1, must_link_to):
    page = watched.open(path)
    expect = _expect()
    h1 = expected_h1(built_site)

    assert watched.h1() == h1
    assert page.title().startswith(h1)
    expect(page.locator(".pf-asof")).to_contain_text(built_site.provider)
    for href in must_link_to:
        expect(page.locator(f"article a[href='{href}']").first).to_be_visible()
    watched.assert_clean()


def _click_and_wait(page, link, url_suffix):
    with page.expect_navigation(url=re.compile(re.escape(url_suffix) + r"$"), wait_until="load"):
        link.click()


def test_action_links_to_its_source_and_back(watched, built_site):
    page = watched.open("actions/act-005.html")
    expect = _expect()
    source_id = built_site.front_matter("actions/act-005.md")["source"]
    assert source_id == "SRC-003"

    came_from = page.locator("xpath=//article//h2[normalize-space()='Where it came from']/following-sibling::ul[1]")
    _click_and_wait(page, came_from.get_by_role("link", name=source_id, exact=True), "/sources/src-003.html")
    assert watched.h1() == _record_h1(built_site, "sources/src-003.md")

    raised = page.locator("xpath=//article//h2[normalize-space()='Actions raised from it']/following::table[1]")
    expect(raised.get_by_role("link", name="ACT-005", exact=True)).to_be_visible()
    _click_and_wait(page, raised.get_by_role("link", name="ACT-005", exact=True), "/actions/act-005.html")
    assert watched.h1() == _record_h1(built_site, "actions/act-005.md")
    watched.assert_clean()


def test_closed_action_links_to_its_closure_evidence_and_back(watched, built_site):
    fm = built_site.front_matter("actions/act-001.md")
    assert fm["status"] == "closed" and fm["closure"]["evidence"]
    evidence = fm["closure"]["evidence"]
    page = watched.open("actions/act-001.html")
    expect = _expect()

    closure = page.locator("xpath=//article//h2[normalize-space()='Closure']/following::table[1]")
    expect(closure).to_contain_text("Effective")
    for ev in evidence:
        expect(closure.get_by_role("link", name=ev, exact=True)).to_have_attribute("href", f"../evidence/{ev.lower()}.html")

    first = evidence[0]
    _click_and_wait(page, closure.get_by_role("link", name=first, exact=True), f"/evidence/{first.lower()}.html")
    assert watched.h1() == _record_h1(built_site, f"evidence/{first.lower()}.md")
    closed = page.locator("xpath=//article//h2[normalize-space()='Actions it closed']/following::table[1]")
    _click_and_wait(page, closed.get_by_role("link", name="ACT-001", exact=True), "/actions/act-001.html")
    assert watched.h1() == _record_h1(built_site, "actions/act-001.md")
    watched.assert_clean()


OTHER_PAGES = [
    "dashboards/actions.html", "actions/index.html", "evidence/ev-005.html",
    "meetings/mtg-2026-10.html", "services/riverside-homecare.html", "404.html",
]


def test_page_of_each_other_kind_loads_without_errors(watched):
    """Pages not covered above: the all-actions dashboard (sortable table), a kind's index,
    an evidence item with an attachment, a meeting, a service and the 404 page load with one h1,
    no console error and no failed request.
    (One test, one browser context: a page load costs about a second on a busy machine.)"""
    for path in OTHER_PAGES:
        page = watched.open(path)
        heading = page.locator("article h1")
        assert heading.count() == 1, f"{path}: {heading.count()} h1"
        assert heading.inner_text().strip(), f"{path}: empty h1"
    watched.assert_clean()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.urls.append((tag, value))


def test_every_link_and_resource_on_every_page_resolves(built_site):
    """Every relative href/src on every generated page points at a file the site has, and at an
    anchor that exists; nothing a page loads (scripts, styles, images) is on another host.
    (Resolved against the built files, as the server would: a browser visit to every one of the
    100-odd pages would take most of a minute.)"""
    site = built_site.site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    pages.remove("404.html")  # uses root-absolute URLs by design: it is served for any missing path
    parsed: dict[str, _Links] = {}
    for rel in pages:
        parser = _Links()
        parser.feed((site / rel).read_text(encoding="utf-8"))
        parsed[rel] = parser
    broken, foreign_resources, bad_anchors = [], [], []
    for rel, parser in parsed.items():
        for tag, url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if tag != "a":
                    foreign_resources.append(f"{rel}: <{tag}> {url}")
                continue
            if url.startswith("/"):
                broken.append(f"{rel}: {url} (root-absolute: breaks from file:// and under a sub-path)")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path))) if parts.path else rel
            if not (site / target).is_file():
                broken.append(f"{rel}: {url}")
            elif parts.fragment and target in parsed and unquote(parts.fragment) not in parsed[target].ids:
                bad_anchors.append(f"{rel}: {url}")
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert not foreign_resources, "resources on other hosts:\n" + "\n".join(foreign_resources)
    assert not bad_anchors, "links to missing anchors:\n" + "\n".join(bad_anchors)
    assert sum(len(p.urls) for p in parsed.values()) > 10 * len(pages)  # the parser did see the links
