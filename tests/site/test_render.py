"""Unit tests for generator.site.render: escaping, heading shift, and every page template rendering."""

from __future__ import annotations

import html
import re
from datetime import date

import jinja2
import markdown
import pytest

from generator.format.people import Person
from generator.pipeline import prepare
from generator.site.plan import attachments_of, plan_pages, record_uri
from generator.site.render import Renderer, body, cell, iso, md

D = date.fromisoformat

#: The Markdown extensions the shipped mkdocs.yml turns on (the plugin adds tables and toc too).
EXTENSIONS = ["tables", "toc", "admonition", "attr_list"]


def shown(markdown_text: str) -> str:
    """The text a reader sees once Python-Markdown has turned ``markdown_text`` into HTML."""
    output = markdown.markdown(markdown_text, extensions=EXTENSIONS)
    return html.unescape(re.sub(r"<[^>]+>", "", output)).strip()


def render_pages(portfolio, owners: str = "names"):
    pages = plan_pages(portfolio, attachments_of(portfolio))
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()}, owners=owners)
    return {page.uri: renderer.render(page.template, page.context) for page in pages}


# -- md ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, escaped", [
    ("a | b", r"a \| b"),
    ("<script>alert(1)</script>", r"&lt;script&gt;alert\(1\)&lt;/script&gt;"),
    ("*not bold*", r"\*not bold\*"),
    ("_not italic_", r"\_not italic\_"),
    ("snake_case_name", r"snake\_case\_name"),
    ("[link](http://example.org)", r"\[link\]\(http://example.org\)"),
    ("# not a heading", r"\# not a heading"),
    ("`code`", r"\`code\`"),
    ("back\\slash", r"back\\slash"),
    ("a + b ! {c} ~d~", r"a \+ b \! \{c\} \~d\~"),
    ("R&D", "R&amp;D"),
    ("plain text, 50% done.", "plain text, 50% done."),
])
def test_md_escapes_markdown_and_html(text, escaped):
    assert md(text) == escaped


def test_md_of_none_and_numbers():
    assert md(None) == ""
    assert md(42) == "42"
    assert md(1.5) == "1.5"


@pytest.mark.parametrize("text", [
    "a | b",
    "*not bold* and **not strong**",
    "_x_ and snake_case_name",
    "R&D and &amp; as typed",
    "[link](http://example.org)",
    "# not a heading",
    "`not code`",
    "a > b",
    "<script>alert(1)</script>",
    "Staff ratio <3 per shift",
    "<b>bold</b>",
])
def test_md_text_shows_exactly_as_written(text):
    # md's promise: user text "shows exactly as written, never as markup".
    assert shown(md(text)) == text


def test_md_never_lets_markup_through():
    output = markdown.markdown(md("<script>alert(1)</script> <img src=x onerror=alert(1)>"), extensions=EXTENSIONS)
    assert "<script" not in output
    assert "<img" not in output


# -- cell ----------------------------------------------------------------------------------------

def test_cell_escapes_and_keeps_one_line():
    assert cell("first line\nsecond | line") == r"first line second \| line"
    assert cell("  lots   of\t\tspace  ") == "lots of space"
    assert cell(None) == ""
    assert cell("a_b *c*") == r"a\_b \*c\*"


def test_cell_keeps_a_table_intact():
    table = "| A | B |\n|---|---|\n| " + cell("left | still left\nand *more*") + " | right |\n"
    output = markdown.markdown(table, extensions=EXTENSIONS)
    cells = re.findall(r"<td>(.*?)</td>", output)
    assert len(cells) == 2
    assert html.unescape(cells[0]) == "left | still left and *more*"
    assert cells[1] == "right"


# -- body --------------------------------------------------------------------------------------------

def test_body_shifts_headings_down_one_level():
    assert body("# Finding\n\nText.\n\n## Detail\n\n###### Deepest") == "## Finding\n\nText.\n\n### Detail\n\n###### Deepest"


def test_body_shift_can_be_larger():
    assert body("# A\n### B", shift=2) == "### A\n##### B"


def test_body_leaves_hashes_that_are_not_headings():
    text = "#hashtag\nIssue #12 was raised\n####### seven"
    assert body(text) == text


def test_body_ignores_headings_in_fenced_code():
    text = "# Title\n\n```\n# a comment in code\n```\n\n# After"
    assert body(text) == "## Title\n\n```\n# a comment in code\n```\n\n## After"


def test_body_ignores_headings_in_tilde_fences_and_indented_fences():
    text = "~~~yaml\n# comment\n~~~\n  ```\n# also code\n  ```\n# Heading"
    assert body(text) == "~~~yaml\n# comment\n~~~\n  ```\n# also code\n  ```\n## Heading"


def test_body_is_stripped():
    assert body("\n\n# A\n\n") == "## A"


# -- iso, person, link ----------------------------------------------------------------------------------

def test_iso():
    assert iso(D("2026-03-05")) == "2026-03-05"
    assert iso(None) == ""


def test_person_filter_by_owners_setting():
    names = Renderer({}, owners="names")
    roles = Renderer({}, owners="roles")
    jo = Person("Jo Evans", "Deputy manager", True)
    assert names.person(jo) == r"Jo Evans \(Deputy manager\)"
    assert shown(names.person(jo)) == "Jo Evans (Deputy manager)"
    assert roles.person(jo) == "Deputy manager"
    assert names.person(None) == ""
    assert names.person(Person("Jo | Evans", None, True)) == r"Jo \| Evans"
    assert roles.person(Person("Jo Evans", None, True)) == "a member of staff"
    assert roles.person(Person("TBC", None, False)) == "not named"


def test_link_is_relative_to_the_page_being_rendered(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-03-01"))
    renderer = Renderer({r.key: record_uri(r) for r in portfolio.records.values()})
    template = renderer.env.from_string("{{ link(target) }}")
    action = portfolio.get("ACT-1")
    assert template.render(page_uri="sources/aud-1.md", target=action) == "../actions/act-1.md"
    assert template.render(page_uri="actions/act-2.md", target=action) == "act-1.md"
    assert template.render(page_uri="index.md", target=action) == "actions/act-1.md"
    assert template.render(page_uri="index.md", target="statements/safeguarding.md") == "statements/safeguarding.md"
    assert template.render(page_uri="statements/x.md", target="key-questions/safe.md") == "../key-questions/safe.md"


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
    return render_pages(minimal_portfolio)


def test_every_planned_page_renders(minimal_portfolio, minimal_pages):
    planned = plan_pages(minimal_portfolio, attachments_of(minimal_portfolio))
    assert sorted(minimal_pages) == sorted(page.uri for page in planned)
    for uri in ("index.md", "key-questions/safe.md", "statements/medicines-optimisation.md", "actions/index.md",
                "actions/act-1.md", "sources/aud-1.md", "evidence/ev-1.md", "meetings/mtg-1.md", "services/home.md"):
        assert minimal_pages[uri].strip(), uri
    assert len([uri for uri in minimal_pages if uri.startswith("statements/")]) == 34


def test_action_page(minimal_pages):
    page = minimal_pages["actions/act-1.md"]
    assert page.startswith("# ACT-1: Weekly MAR chart checks\n")
    assert '| Status on 2026-03-01 | <span class="pf-status pf-status--closed">Closed</span> |' in page
    assert "| Raised | 2026-01-15 |" in page
    assert "| Agreed in | [MTG-1](../meetings/mtg-1.md) January governance meeting |" in page
    assert "| Deadline | 2026-02-28 |" in page
    assert "[Medicines optimisation](../statements/medicines-optimisation.md)" in page
    assert "- [AUD-1](../sources/aud-1.md) Medicines audit (audit, 2026-01-10)" in page
    assert "The original deadline, 2026-02-28, has not been extended." in page
    assert "## Completion checked in practice" in page
    assert "| Closed | 2026-03-01 |" in page
    assert "| Outcome | Effective |" in page
    assert "| Evidence | [EV-1](../evidence/ev-1.md) MAR chart re-audit |" in page
    assert "| Minutes | [MTG-1](../meetings/mtg-1.md) January governance meeting |" in page
    assert "## Narrative\n\nNarrative." in page


def test_action_page_before_closure_shows_what_was_true_then(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-02-25"))
    page = render_pages(portfolio)["actions/act-1.md"]
    assert 'pf-status--completed">Completed</span> (recorded as closed; judged on its dates) |' in page
    assert "## Closure" not in page
    assert "## Completion checked in practice" in page


def test_source_page(minimal_pages):
    page = minimal_pages["sources/aud-1.md"]
    assert page.startswith("# AUD-1: Medicines audit\n")
    assert "| Kind | Audit |" in page
    assert "| Identified | 2026-01-10 |" in page
    assert "## Finding\n\nNarrative." in page
    raised = page.split("## Actions raised from it")[1]
    assert "| [ACT-1](../actions/act-1.md) Weekly MAR chart checks | " in raised


def test_evidence_page(minimal_pages):
    page = minimal_pages["evidence/ev-1.md"]
    assert page.startswith("# EV-1: MAR chart re-audit\n")
    assert "| Category | Processes |" in page
    assert "| Collected | 2026-02-20 |" in page
    closed = page.split("## Actions it closed")[1]
    assert "| [ACT-1](../actions/act-1.md) Weekly MAR chart checks | " in closed


def test_evidence_page_before_the_closure_lists_no_action(minimal_project):
    portfolio, _ = prepare(minimal_project.root, D("2026-02-28"))
    page = render_pages(portfolio)["evidence/ev-1.md"]
    assert "[ACT-1]" not in page.split("## Actions it closed")[1]


def test_meeting_page(minimal_pages):
    page = minimal_pages["meetings/mtg-1.md"]
    assert page.startswith("# MTG-1: January governance meeting\n")
    assert "| Forum | Monthly governance meeting |" in page
    assert "| Chair | Sam Patel \\(Registered manager\\) |" in page
    agreed, closed = page.split("## Actions agreed at this meeting")[1].split("## Actions closed at this meeting")
    assert "[ACT-1](../actions/act-1.md)" in agreed
    assert "[ACT-1](../actions/act-1.md)" in closed
    assert "## Minutes\n\nNarrative." in page


def test_service_page(minimal_pages):
    page = minimal_pages["services/home.md"]
    assert page.startswith("# home: The Home\n")
    assert "| Name | The Home |" in page
    assert "| Kind | care home |" in page
    assert "## About the service\n\nNarrative." in page


def test_statement_and_key_question_pages(minimal_pages):
    statement = minimal_pages["statements/medicines-optimisation.md"]
    assert statement.startswith("# Medicines optimisation\n")
    closed = statement.split("## Closed and cancelled actions")[1].split("## Sources")[0]
    assert "[ACT-1](../actions/act-1.md)" in closed
    assert "| [AUD-1](../sources/aud-1.md) Medicines audit | Audit | 2026-01-10 |" in statement
    processes = statement.split("### Processes")[1].split("###")[0]
    assert "[EV-1](../evidence/ev-1.md)" in processes
    safe = minimal_pages["key-questions/safe.md"]
    assert safe.startswith("# Safe\n")
    assert "| [Medicines optimisation](../statements/medicines-optimisation.md) | 0 | 1 | 1 | 1 |" in safe


def test_share_profile_roles_replace_names_on_pages(minimal_portfolio):
    pages = render_pages(minimal_portfolio, owners="roles")
    # the person filter shows roles; (names inside free text are the share profile's redaction job)
    assert "| Chair | Registered manager |" in pages["meetings/mtg-1.md"]
    assert "| Chair | Sam Patel" not in pages["meetings/mtg-1.md"]


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
    page = pages["sources/src_1.md"]
    assert page.startswith("# SRC\\_1: Staffing \\| nights &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*urgent\\*\n")
    assert "<script>" not in page.split("## Finding")[0]
    # the record's own Markdown is kept (it is the user's narrative), headings one level down
    assert "## Finding\n\n## Finding\n\nText with <b>HTML</b>.\n\n```\n# kept\n```" in page
    index = pages["sources/index.md"]
    assert "| [SRC\\_1](src_1.md) Staffing \\| nights &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*urgent\\* | Audit | 2026-01-10 | 0 |" in index


def test_every_page_of_the_example_renders(example_project):
    portfolio, _ = prepare(example_project, D("2026-11-22"))
    pages = render_pages(portfolio)
    for record in portfolio.records.values():
        assert pages[record_uri(record)].startswith(f"# {md(record.id)}: ")
    act5 = pages["actions/act-005.md"]
    assert "| Deadline | 2026-09-30 (originally 2026-01-31; extended 3 times), 53 days overdue |" in act5
    assert '<span class="pf-flag pf-flag--escalate">Needs escalation</span>' in act5
