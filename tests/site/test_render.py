"""Unit tests for generator.site.render: escaping, links, and every page template rendering HTML."""

from __future__ import annotations

import html
import re
from datetime import date

import jinja2
import pytest
from markupsafe import Markup

from generator.format.people import Person
from generator.pipeline import prepare
from generator.site.plan import attachments_of, plan_pages, record_uri
from generator.site.render import RenderedPage, Renderer, cell, escape, iso, text

D = date.fromisoformat


def render_pages(portfolio, owners: str = "names", **options) -> dict[str, RenderedPage]:
    pages = plan_pages(portfolio, attachments_of(portfolio))
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()}, owners=owners, **options)
    return {page.uri: renderer.render(page.template, page.context) for page in pages}


def row(*cells: str) -> str:
    """A table row as Python-Markdown wrote it, and our templates write it."""
    return "<tr>\n" + "".join(f"<td>{c}</td>\n" for c in cells) + "</tr>"


def shown(markup: str) -> str:
    """The text a reader sees."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


# -- escaping ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, escaped", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("R&D", "R&amp;D"),
    ('say "hi"', "say &quot;hi&quot;"),
    ("a | b *c* _d_ [e](f) # g `h`", "a | b *c* _d_ [e](f) # g `h`"),  # Markdown's specials mean nothing now
    ("Manager's review", "Manager's review"),
    (42, "42"),
])
def test_escape_writes_text_never_markup(value, escaped):
    assert escape(value) == escaped
    assert isinstance(escape(value), Markup)


def test_escape_keeps_our_own_markup():
    assert escape(Markup("<b>ours</b>")) == "<b>ours</b>"


def test_text_and_cell():
    assert text(None) == ""
    assert text(1.5) == "1.5"
    assert cell("first line\nsecond | line") == "first line second | line"
    assert cell("  lots   of\t\tspace  ") == "lots of space"
    assert cell(None) == ""


def test_templates_escape_every_value():
    renderer = Renderer({})
    template = renderer.env.from_string('<p title="{{ x }}">{{ x }}</p>')
    assert template.render(x='"><script>alert(1)</script>') == '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>'


def test_iso():
    assert iso(D("2026-03-05")) == "2026-03-05"
    assert iso(None) == ""


def test_person_filter_by_owners_setting():
    names = Renderer({}, owners="names")
    roles = Renderer({}, owners="roles")
    jo = Person("Jo Evans", "Deputy manager", True)
    assert names.person(jo) == "Jo Evans (Deputy manager)"
    assert roles.person(jo) == "Deputy manager"
    assert names.person(None) == ""
    assert names.person(Person("Jo | Evans", None, True)) == "Jo | Evans"
    assert roles.person(Person("Jo Evans", None, True)) == "a member of staff"
    assert roles.person(Person("TBC", None, False)) == "not named"


# -- links ---------------------------------------------------------------------------------------------

def _link(renderer: Renderer, page_uri: str, target) -> str:
    return renderer.render_string("{{ link(target) }}", page_uri, target=target)


def test_link_is_the_targets_url_relative_to_the_page(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-03-01"))
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
    action = portfolio.get("ACT-1")
    assert _link(renderer, "sources/aud-1.md", action) == "../actions/act-1.html"
    assert _link(renderer, "actions/act-2.md", action) == "act-1.html"
    assert _link(renderer, "index.md", action) == "actions/act-1.html"
    assert _link(renderer, "index.md", "statements/safeguarding.md") == "statements/safeguarding.html"
    assert _link(renderer, "statements/x.md", "key-questions/safe.md") == "../key-questions/safe.html"
    assert _link(renderer, "actions/act-1.md", "dashboards/owners.md#owner-jo") == "../dashboards/owners.html#owner-jo"
    assert _link(renderer, "evidence/ev-1.md", "evidence/ev-1/log.csv") == "ev-1/log.csv"


def test_links_with_directory_urls():
    """``use_directory_urls: true``: MkDocs' File.url of each page, relative to the page's own url."""
    urls = {
        "index.md": "./", "actions/act-1.md": "actions/act-1/", "actions/index.md": "actions/",
        "dashboards/owners.md": "dashboards/owners/", "evidence/ev-1/log.csv": "evidence/ev-1/log.csv",
    }
    renderer = Renderer({}, urls=urls)
    assert _link(renderer, "actions/act-1.md", "index.md") == "../../"
    assert _link(renderer, "index.md", "actions/act-1.md") == "actions/act-1/"
    assert _link(renderer, "index.md", "index.md") == "./"
    assert _link(renderer, "actions/index.md", "actions/act-1.md") == "act-1/"
    assert _link(renderer, "actions/act-1.md", "dashboards/owners.md#owner-jo") == "../../dashboards/owners/#owner-jo"
    assert _link(renderer, "actions/act-1.md", "evidence/ev-1/log.csv") == "../../evidence/ev-1/log.csv"


def test_templates_use_strict_undefined():
    renderer = Renderer({})
    assert renderer.env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        renderer.env.from_string("{{ nothing_here }}").render()


# -- record pages, one per kind -------------------------------------------------------------------------

@pytest.fixture
def minimal_portfolio(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-03-01"))
    return portfolio


@pytest.fixture
def minimal_pages(minimal_portfolio):
    return {uri: page.html for uri, page in render_pages(minimal_portfolio).items()}


def test_every_planned_page_renders(minimal_portfolio, minimal_pages):
    planned = plan_pages(minimal_portfolio, attachments_of(minimal_portfolio))
    assert sorted(minimal_pages) == sorted(page.uri for page in planned)
    for uri in ("index.md", "key-questions/safe.md", "statements/medicines-optimisation.md", "actions/index.md",
                "actions/act-1.md", "sources/aud-1.md", "evidence/ev-1.md", "meetings/mtg-1.md", "services/home.md"):
        assert minimal_pages[uri].startswith("<h1 id="), uri
    assert len([uri for uri in minimal_pages if uri.startswith("statements/")]) == 34


def test_action_page(minimal_pages):
    page = minimal_pages["actions/act-1.md"]
    assert page.startswith('<h1 id="act-1-weekly-mar-chart-checks">ACT-1: Weekly MAR chart checks</h1>\n')
    assert row("Status on 2026-03-01", '<span class="pf-status pf-status--closed">Closed</span>') in page
    assert row("Raised", "2026-01-15") in page
    assert row("Agreed in", '<a href="../meetings/mtg-1.html">MTG-1</a> January governance meeting') in page
    assert row("Deadline", "2026-02-28") in page
    assert '<a href="../statements/medicines-optimisation.html">Medicines optimisation</a>' in page
    assert '<li><a href="../sources/aud-1.html">AUD-1</a> Medicines audit (audit, 2026-01-10)</li>' in page
    assert "<p>The original deadline, 2026-02-28, has not been extended.</p>" in page
    assert '<h2 id="completion-checked-in-practice">Completion checked in practice</h2>' in page
    assert row("Closed", "2026-03-01") in page
    assert row("Outcome", "Effective") in page
    assert row("Evidence", '<a href="../evidence/ev-1.html">EV-1</a> MAR chart re-audit') in page
    assert row("Minutes", '<a href="../meetings/mtg-1.html">MTG-1</a> January governance meeting') in page
    assert '<h2 id="narrative">Narrative</h2>\n<p>Narrative.</p>' in page


def test_action_page_before_closure_shows_what_was_true_then(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-02-25"))
    page = render_pages(portfolio)["actions/act-1.md"].html
    assert 'pf-status--completed">Completed</span> (recorded as closed; judged on its dates)</td>' in page
    assert ">Closure</h2>" not in page
    assert ">Completion checked in practice</h2>" in page


def test_source_page(minimal_pages):
    page = minimal_pages["sources/aud-1.md"]
    assert page.startswith('<h1 id="aud-1-medicines-audit">AUD-1: Medicines audit</h1>\n')
    assert row("Kind", "Audit") in page
    assert row("Identified", "2026-01-10") in page
    assert '<h2 id="finding">Finding</h2>\n<p>Narrative.</p>' in page
    raised = page.split(">Actions raised from it</h2>")[1]
    assert '<td><a href="../actions/act-1.html">ACT-1</a> Weekly MAR chart checks</td>' in raised


def test_evidence_page(minimal_pages):
    page = minimal_pages["evidence/ev-1.md"]
    assert page.startswith('<h1 id="ev-1-mar-chart-re-audit">EV-1: MAR chart re-audit</h1>\n')
    assert row("Category", "Processes") in page
    assert row("Collected", "2026-02-20") in page
    closed = page.split(">Actions it closed</h2>")[1]
    assert '<td><a href="../actions/act-1.html">ACT-1</a> Weekly MAR chart checks</td>' in closed


def test_evidence_page_before_the_closure_lists_no_action(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-02-28"))
    page = render_pages(portfolio)["evidence/ev-1.md"].html
    assert "ACT-1" not in page.split(">Actions it closed</h2>")[1]


def test_meeting_page(minimal_pages):
    page = minimal_pages["meetings/mtg-1.md"]
    assert page.startswith('<h1 id="mtg-1-january-governance-meeting">MTG-1: January governance meeting</h1>\n')
    assert row("Forum", "Monthly governance meeting") in page
    assert row("Chair", "Sam Patel (Registered manager)") in page
    agreed, closed = page.split(">Actions agreed at this meeting</h2>")[1].split(">Actions closed at this meeting</h2>")
    assert '<a href="../actions/act-1.html">ACT-1</a>' in agreed
    assert '<a href="../actions/act-1.html">ACT-1</a>' in closed
    assert '<h2 id="minutes">Minutes</h2>\n<p>Narrative.</p>' in page


def test_service_page(minimal_pages):
    page = minimal_pages["services/home.md"]
    assert page.startswith('<h1 id="home-the-home">home: The Home</h1>\n')
    assert row("Name", "The Home") in page
    assert row("Kind", "care home") in page
    assert '<h2 id="about-the-service">About the service</h2>\n<p>Narrative.</p>' in page


def test_statement_and_key_question_pages(minimal_pages):
    statement = minimal_pages["statements/medicines-optimisation.md"]
    assert statement.startswith('<h1 id="medicines-optimisation">Medicines optimisation</h1>\n')
    closed = statement.split(">Closed and cancelled actions</h2>")[1].split(">Sources</h2>")[0]
    assert '<a href="../actions/act-1.html">ACT-1</a>' in closed
    assert row('<a href="../sources/aud-1.html">AUD-1</a> Medicines audit', "Audit", "2026-01-10") in statement
    processes = statement.split(">Processes</h3>")[1].split("<h3")[0]
    assert '<a href="../evidence/ev-1.html">EV-1</a>' in processes
    safe = minimal_pages["key-questions/safe.md"]
    assert safe.startswith('<h1 id="safe">Safe</h1>\n')
    assert row('<a href="../statements/medicines-optimisation.html">Medicines optimisation</a>', "0", "1", "1", "1") in safe


def test_share_profile_roles_replace_names_on_pages(minimal_portfolio):
    pages = render_pages(minimal_portfolio, owners="roles")
    # the person filter shows roles; (names inside free text are the share profile's redaction job)
    assert row("Chair", "Registered manager") in pages["meetings/mtg-1.md"].html
    assert "Sam Patel" not in pages["meetings/mtg-1.md"].html.split(">Minutes</h2>")[0]


def test_dashboards_carry_their_front_matter(minimal_portfolio):
    pages = render_pages(minimal_portfolio)
    assert pages["dashboards/actions.md"].meta == {"hide": ["toc"], "search": {"exclude": True}}
    assert pages["dashboards/escalation.md"].meta == {"search": {"exclude": True}}
    assert pages["dashboards/coverage.md"].meta == {"hide": ["toc"]}
    assert pages["actions/act-1.md"].meta == {}


# -- user text on pages is escaped --------------------------------------------------------------------------

def test_user_text_is_escaped_and_headings_shifted_on_the_page(project):
    project.record("sources", "s1", """
        id: SRC_1
        title: "Staffing | nights <script>alert(1)</script> *urgent*"
        kind: audit
        date: 2026-01-10
    """, body="# Finding\n\nText with <b>HTML</b>.\n\n```\n# kept\n```\n")
    portfolio, _ = prepare(project.root, D("2026-02-01"))
    pages = render_pages(portfolio)
    page = pages["sources/src_1.md"].html
    title = "Staffing | nights &lt;script&gt;alert(1)&lt;/script&gt; *urgent*"
    assert page.startswith(f'<h1 id="src_1-staffing-nights-scriptalert1script-urgent">SRC_1: {title}</h1>\n')
    assert "<script>" not in page.split(">Finding</h2>")[0]
    assert shown(page.split("</h1>")[0]) == "SRC_1: Staffing | nights <script>alert(1)</script> *urgent*"
    # the record's own Markdown is converted (it is the user's narrative), headings one level down;
    # its raw HTML is cleaned later, for the whole page (site/sanitise.py)
    assert ('<h2 id="finding">Finding</h2>\n<h2 id="finding_1">Finding</h2>\n<p>Text with <b>HTML</b>.</p>\n'
            "<pre><code># kept\n</code></pre>") in page
    index = pages["sources/index.md"].html
    assert row(f'<a href="src_1.html">SRC_1</a> {title}', "Audit", "2026-01-10", "0") in index


def test_every_page_of_the_example_renders(example_project):
    portfolio, _ = prepare(example_project, D("2026-11-22"))
    pages = render_pages(portfolio)
    for record in portfolio.records.values():
        assert shown(pages[record_uri(record)].html.split("</h1>")[0]).startswith(f"{record.id}: ")
    act5 = pages["actions/act-005.md"].html
    assert row("Deadline", "2026-09-30 (originally 2026-01-31; extended 3 times), 53 days overdue") in act5
    assert '<span class="pf-flag pf-flag--escalate">Needs escalation</span>' in act5
