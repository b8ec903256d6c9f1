"""The inspection pack's HTML document (generator/pack/pack.py): what it holds for a key question and
for the whole portfolio, its contents and links, the charts, escaping; reading page numbers back
from a printed PDF; and a clear exit 2 when Chromium or Playwright is missing.

Printing the PDF itself is a browser test: tests/browser/test_pack_pdf.py.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.pack import pack
from generator.cli import main
from generator.pipeline import prepare
from tests.conftest import REPO

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def example():
    portfolio, _ = prepare(REPO, AS_OF)
    return portfolio


class _Doc(HTMLParser):
    """Ids, in-document links, the contents' entries, sections and SVG charts of the document."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.sections: dict[str, str] = {}  # id -> class
        self.svgs: list[dict[str, str]] = []
        self.contents: list[tuple[str, str]] = []  # (href, text)
        self._in_contents = 0
        self._entry: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "section" and "id" in a:
            self.sections[a["id"]] = a.get("class", "")
        if tag == "svg":
            self.svgs.append(a)
        if tag == "nav" and "contents" in a.get("class", ""):
            self._in_contents = 1
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self._in_contents:
                self._entry, self._href = [], a["href"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_contents = 0
        if tag == "a" and self._entry is not None:
            self.contents.append((self._href, " ".join("".join(self._entry).split())))
            self._entry = None

    def handle_data(self, data):
        if self._entry is not None:
            self._entry.append(data)


def _parse(html: str) -> _Doc:
    doc = _Doc()
    doc.feed(html)
    return doc


def test_key_question_pack_holds_every_statement_in_the_contents_and_as_a_section(example):
    planned = pack.plan_pack(example, "safe")
    safe = next(q for q in example.config.framework.key_questions if q.id == "safe")
    html = pack.pack_html(planned)
    doc = _parse(html)

    assert planned.title == "Inspection pack: Safe key question"
    assert [s.statement.id for s in pack.iter_statements(planned)] == [s.id for s in safe.statements]
    # The contents: the assurance checks, the trends, the key question, each of its statements in
    # the framework's order, the index.
    expected = [("#assurance-checks", "Assurance checks"), ("#trends", "Trends"), ("#question-safe", "Safe")]
    for statement in safe.statements:
        part = next(s for s in pack.iter_statements(planned) if s.statement.id == statement.id)
        expected.append((f"#statement-{statement.id}", statement.title + (" (nothing recorded)" if part.empty else "")))
    expected.append(("#index-of-actions", "Index of actions"))
    assert [(href, re.sub(r"\s*\d+$", "", text)) for href, text in doc.contents] == expected
    # Each statement is a section of its own, titled, under the key question.
    for statement in safe.statements:
        assert f"statement-{statement.id}" in doc.sections
        assert re.search(rf'<section class="statement[^"]*" id="statement-{statement.id}">\s*<h2>{re.escape(statement.title)}</h2>', html)
    # Every link in the document leads somewhere in it; every id is used once.
    assert len(doc.ids) == len(set(doc.ids))
    assert {h[1:] for h in doc.hrefs} <= set(doc.ids)
    assert all(h.startswith("#") for h in doc.hrefs)
    # No other key question's statements.
    assert "statement-assessing-needs" not in doc.sections


def test_each_statement_lists_its_actions_and_evidence(example):
    planned = pack.plan_pack(example, "safe")
    html = pack.pack_html(planned)
    for part in pack.iter_statements(planned):
        start = html.index(f'id="{part.anchor}"')
        following = [html.index(f'id="{p.anchor}"') for p in pack.iter_statements(planned) if html.index(f'id="{p.anchor}"') > start]
        section = html[start:min(following, default=html.index('id="index-of-actions"'))]
        actions = [a for a in example.actions if part.statement.id in a.quality_statements]
        assert sorted(a.id for a in part.open_actions + part.closed_actions) == sorted(a.id for a in actions)
        for action in actions:
            assert f"<strong>{action.id}</strong>" in section, (part.statement.id, action.id)
        evidence = [e for e in example.by_kind["evidence"] if part.statement.id in e.quality_statements]
        for item in evidence:
            assert f"<strong>{item.id}</strong> {item.title}" in section
        if not (actions or evidence or part.sources):
            assert "Nothing is recorded against this statement" in section


def test_every_action_is_set_out_once_with_its_badges_in_words(example):
    planned = pack.plan_pack(example, "safe")
    html = pack.pack_html(planned)
    in_scope = sorted(
        (a for a in example.actions if {q for q in a.quality_statements} & {s.id for s in planned.questions[0].question.statements}),
        key=lambda a: a.id,
    )
    assert [a.id for a in planned.actions] == [a.id for a in in_scope]
    for action in in_scope:
        assert html.count(f'<article class="action" id="action-{action.key}">') == 1
    act5 = html[html.index('id="action-act-005"'):]
    act5 = act5[:act5.index("</article>")]
    assert '<span class="badge status status-in-progress">In progress</span>' in act5
    assert '<span class="badge risk risk-high">High risk</span>' in act5
    assert '<span class="badge flag flag-overdue">Overdue</span>' in act5
    assert "3 times" in act5 and "days overdue" in act5


def test_measure_charts_are_inline_svg(example):
    planned = pack.plan_pack(example, "safe")
    html = pack.pack_html(planned)
    doc = _parse(html)
    measures = [m for a in planned.actions for m in a.measures]
    act12 = next(a for a in example.actions if a.id == "ACT-012")
    assert len(act12.measures) == 2 and set(act12.measures) <= set(measures)
    charts = [s for s in doc.svgs if "pf-chart" in s.get("class", "")]
    # One chart per measure, in the action's detail (each action is set out once).
    assert sorted(c["aria-label"].split(",")[0] for c in charts) == sorted(f"{m.name} ({m.unit})" for m in measures)
    assert all(c.get("role") == "img" for c in charts)
    detail = html[html.index('id="action-act-012"'):]
    detail = detail[:detail.index("</article>")]
    assert detail.count('<svg class="pf-chart"') == 2 and "Target 5 residents" in detail


def test_page_numbers_fill_the_contents_and_every_page_reference(example):
    planned = pack.plan_pack(example, "safe")
    placeholder = pack.pack_html(planned)
    assert f">{pack.PLACEHOLDER_PAGE}<" in placeholder
    pages = {anchor: i + 3 for i, anchor in enumerate(planned.anchors())}
    html = pack.pack_html(planned, pages)
    assert str(pack.PLACEHOLDER_PAGE) not in html
    contents = dict(_parse(html).contents)
    assert contents["#statement-learning-culture"] == f"Learning culture{pages['statement-learning-culture']}"
    assert f'<a href="#action-act-005">page {pages["action-act-005"]}</a>' in html


def test_whole_portfolio_pack_covers_every_key_question_and_statement(example):
    planned = pack.plan_pack(example)
    framework = example.config.framework
    assert planned.title == "Inspection pack: whole portfolio"
    assert [q.question.id for q in planned.questions] == [q.id for q in framework.key_questions]
    assert len(list(pack.iter_statements(planned))) == len(framework.statements)
    assert [a.id for a in planned.actions] == sorted((a.id for a in example.actions), key=lambda i: int(i.split("-")[1]))
    assert pack.default_name(planned) == "inspection-pack-portfolio-2026-11-22.pdf"
    assert pack.default_name(pack.plan_pack(example, "Well-led")) == "inspection-pack-well-led-2026-11-22.pdf"


def test_each_action_shows_its_checks_beside_its_flags(example):
    """ACT-015's updates say nothing checkable (the example's vague-updates): a badge beside its flags
    in every table naming it and in its detail, the reason under the flags' reasons."""
    planned = pack.plan_pack(example)
    html = pack.pack_html(planned)
    badge = '<span class="badge check check-vague-updates">Updates say nothing checkable</span>'
    row = '<span class="badge flag flag-overdue">Overdue</span> ' + badge
    detail = html[html.index('id="action-act-015"'):]
    detail = detail[:detail.index("</article>")]
    assert row in detail
    assert "<strong>Updates say nothing checkable</strong>: the latest two updates say nothing checkable: 2026-11-19" in detail
    assert detail.index("<strong>Overdue</strong>") < detail.index("<strong>Updates say nothing checkable</strong>")
    statement = html[html.index('id="statement-providing-information"'):]
    statement = statement[:statement.index("The actions in detail")]
    assert row in statement and "<th scope=\"col\">Flags and checks</th>" in statement
    # an action no check holds for has no badge
    act3 = html[html.index('id="action-act-003"'):]
    assert 'class="badge check' not in act3[:act3.index("</article>")]


def test_the_assurance_section_counts_the_checks_and_lists_the_portfolios_own(example, monkeypatch):
    planned = pack.plan_pack(example, "safe")
    html = pack.pack_html(planned)
    doc = _parse(html)
    assert doc.contents[0][0] == "#assurance-checks" and doc.sections["assurance-checks"] == "assurance"
    assert planned.anchors()[0] == "assurance-checks"
    section = html[html.index('<section class="assurance"'):]
    section = section[:section.index("</section>")]
    assert ">Updates say nothing checkable</span></td>" in section
    assert '<td class="num">0</td>' in section  # ACT-015 is not in the Safe key question's pack
    # the example's schedule: its monthly governance meeting missed months
    assert "Monthly governance meeting: no meeting in 2025-11" in section
    whole = pack.pack_html(pack.plan_pack(example))
    assert 'Updates say nothing checkable</span></td><td>an open or in-progress' in whole
    assert '(the rules are in the guide)</td><td class="num">1</td>' in whole
    # the portfolio's own checks, with their reasons
    from generator.judge.checks import Check

    monkeypatch.setattr(example, "portfolio_checks", (Check("vague-updates", "a reason for the whole portfolio"),))
    assert "<li><strong>Updates say nothing checkable</strong>: a reason for the whole portfolio</li>" in pack.pack_html(planned)
    monkeypatch.setattr(example, "portfolio_checks", ())
    assert "No check on the portfolio as a whole holds on 2026-11-22." in pack.pack_html(planned)


def test_unknown_key_question_names_the_nearest(example):
    with pytest.raises(pack.UnknownKeyQuestion, match="no key question 'saef' in the framework; did you mean 'safe'"):
        pack.plan_pack(example, "saef")


def test_header_and_footer_carry_the_as_of_date_and_page_numbers(example):
    header, footer = pack.header_footer(pack.plan_pack(example, "safe"))
    assert "As of 2026-11-22" in header and "As of 2026-11-22" in footer
    assert 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>' in footer
    assert "Brookfield Care Group Ltd" in header


def test_user_text_is_escaped(project):
    project.record("sources", "src-1", """
        id: SRC-1
        title: "Audit <script>alert(1)</script> & more"
        kind: audit
        date: 2026-01-10
        quality_statements: [safeguarding]
    """)
    project.record("actions", "act-1", """
        id: ACT-1
        title: "Fix <b>bold</b> claims"
        source: SRC-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-02-28
        risk: medium
        status: open
        quality_statements: [safeguarding]
    """, body="A <img src=x> in the narrative is Markdown's business; the pack prints with scripts off.")
    portfolio, _ = prepare(project.root, AS_OF)
    html = pack.pack_html(pack.plan_pack(portfolio, "safe"))
    assert "<script>alert(1)" not in html and "Audit &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html  # raw HTML in a narrative is text
    assert "Fix &lt;b&gt;bold&lt;/b&gt; claims" in html


def test_narrative_links_and_images_are_cleaned(project):
    """What Markdown itself makes of a narrative: no javascript: or data: link, no image from
    another host; links and images of the site and ordinary emphasis stay."""
    project.record("sources", "src-1", """
        id: SRC-1
        title: Audit
        kind: audit
        date: 2026-01-10
        quality_statements: [safeguarding]
    """)
    project.record("actions", "act-1", """
        id: ACT-1
        title: Fix it
        source: SRC-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-02-28
        risk: medium
        status: open
        quality_statements: [safeguarding]
    """, body=(
        "See [the plan](javascript:alert(1)), [the data](data:text/html,hi), [the guidance](https://www.cqc.org.uk/) "
        "and **this** ![a tracker](https://evil.example/pixel.png) ![the chart](attachments/chart.png)."
    ))
    portfolio, _ = prepare(project.root, AS_OF)
    html = pack.pack_html(pack.plan_pack(portfolio, "safe"))
    narrative = html[html.index('<div class="narrative">'):]
    narrative = narrative[:narrative.index("</div>")]
    assert "javascript:" not in narrative and "data:" not in narrative and "evil.example" not in narrative
    assert "<a>the plan</a>" in narrative and "<a>the data</a>" in narrative
    assert '<a href="https://www.cqc.org.uk/">the guidance</a>' in narrative and "<strong>this</strong>" in narrative
    assert 'src="attachments/chart.png"' in narrative


# -- reading page numbers back from the PDF ----------------------------------------------------

_PDF = b"""%PDF-1.4
1 0 obj
<</Type /Page
/Parent 5 0 R>>
endobj
2 0 obj
<</Type /Page
/Parent 6 0 R>>
endobj
3 0 obj
<</Type /Page
/Parent 6 0 R>>
endobj
6 0 obj
<</Type /Pages
/Count 2
/Parent 5 0 R
/Kids [2 0 R 3 0 R]>>
endobj
5 0 obj
<</Type /Pages
/Count 3
/Kids [1 0 R 6 0 R]>>
endobj
7 0 obj
<</statement-learning-culture [2 0 R /XYZ 6 828.63 0]
/index-of-actions [3 0 R /XYZ 6 828.63 0]
/caf#C3#A9 [1 0 R /XYZ 6 800 0]>>
endobj
8 0 obj
<</Type /Catalog
/Pages 5 0 R
/Dests 7 0 R>>
endobj
trailer
<</Root 8 0 R>>
%%EOF
"""


def test_destination_pages_follow_the_page_tree():
    assert pack.destination_pages(_PDF) == {"statement-learning-culture": 2, "index-of-actions": 3, "caf\u00e9": 1}
    assert pack.page_count(_PDF) == 3


def test_a_pdf_without_a_catalog_is_refused():
    with pytest.raises(ValueError, match="no catalog"):
        pack.destination_pages(b"%PDF-1.4\n%%EOF\n")


# -- no Chromium, no Playwright: exit 2 with what to install -----------------------------------

def test_missing_chromium_says_what_to_install(tmp_path):
    with pytest.raises(pack.PackUnavailable) as caught:
        pack.check_browser(tmp_path / "no-chromium")
    message = str(caught.value)
    assert "apt-get install chromium" in message and "pip install playwright" in message
    assert "never downloads a browser" in message


def test_pack_command_exits_2_without_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")
    result = CliRunner().invoke(main, ["--project", str(REPO), "pack", "--key-question", "safe", "--as-of", "2026-11-22",
                                       "--output", str(tmp_path / "pack.pdf")])
    assert result.exit_code == 2, result.output
    assert "apt-get install chromium" in result.output and "pip install playwright" in result.output
    assert not (tmp_path / "pack.pdf").exists()


def test_pack_command_refuses_an_unknown_key_question(monkeypatch, tmp_path):
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")  # checked before the browser
    result = CliRunner().invoke(main, ["--project", str(REPO), "pack", "--key-question", "saef", "--output", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert "did you mean 'safe'?" in result.output


def test_pack_output_may_not_go_into_content(tmp_path):
    result = CliRunner().invoke(main, ["--project", str(REPO), "pack", "--output", str(Path(REPO) / "content" / "pack.pdf")])
    assert result.exit_code == 2
    assert "outside content/" in result.output


# -- a pack for a share profile (--profile) ---------------------------------------------------

COUNCIL = """\
title: Read-only portfolio for Northshire County Council
services: [north]
owners: roles
updates: false
"""
#: What a pack for the council must not hold in any byte: a withheld record's id and title, the
#: redaction terms, and the staff's names (owners: roles).
SECRETS = ("EV-SECRET", "Protected disclosure outcome", "Threlfall", "Kilbride", "Helen Marsh", "Sarah Lund", "Martin Cole")


@pytest.fixture
def council(project):
    """A sensitive evidence item named by an action's closure, redaction terms in titles, notes and
    an attachment's name, and staff names in every place a person is written."""
    project.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [Threlfall, Kilbride]\n")
    project.file("site_config/profiles/council.yml", COUNCIL)
    project.record("services", "north", """
        id: north
        title: North House
    """)
    project.record("sources", "src-1", """
        id: SRC-1
        title: Audit of Mrs Threlfall's care records
        kind: audit
        service: north
        date: 2026-01-10
        identified_by: Sarah Lund (Quality lead)
        quality_statements: [assessing-needs]
    """)
    project.record("evidence", "ev-secret", """
        id: EV-SECRET
        title: Protected disclosure outcome
        service: north
        date: 2026-03-01
        category: staff-feedback
        collected_by: Sarah Lund (Quality lead)
        quality_statements: [assessing-needs]
        sensitive: true
    """)
    project.file("content/evidence/threlfall-log.txt", "2026-03-02 visited Mr Kilbride\n")
    project.record("evidence", "ev-open", """
        id: EV-OPEN
        title: Re-audit of care records
        service: north
        date: 2026-03-02
        category: processes
        collected_by: Sarah Lund (Quality lead)
        quality_statements: [assessing-needs]
        file: threlfall-log.txt
    """)
    project.record("actions", "act-1", """
        id: ACT-1
        title: Fix the records (Threlfall)
        source: SRC-1
        service: north
        owner: Helen Marsh (Registered manager)
        raised: 2026-01-15
        due: 2026-03-31
        risk: high
        status: closed
        quality_statements: [assessing-needs]
        milestones:
          - {title: Kilbride records checked, due: 2026-02-15, done: 2026-02-14, evidence: [EV-SECRET]}
        updates:
          - {date: 2026-02-01, by: Helen Marsh (Registered manager), note: Spoke to Mr Kilbride.}
        completion: {date: 2026-03-05, checked_by: Sarah Lund (Quality lead), note: Checked by Sarah Lund.}
        closure: {date: 2026-03-10, approved_by: Martin Cole (Nominated individual), evidence: [EV-SECRET, EV-OPEN], outcome: effective}
    """, body="Helen Marsh met the Threlfall family; see EV-SECRET.")
    return project


def _council_pack(project, key_question=None):
    from generator.share.publish import prepare_share

    prepared = prepare_share(project.root, "council", AS_OF)
    return prepared, pack.plan_pack(prepared.portfolio, key_question, share=prepared)


def _every_byte(html: str) -> str:
    """The document as bytes show it and as a reader would read it (entities undone), folded."""
    import html as html_lib

    return (html + "\n" + html_lib.unescape(html)).casefold()


def test_a_profile_pack_holds_nothing_the_share_withholds(council):
    portfolio, _ = prepare(council.root, AS_OF)
    everything = _every_byte(pack.pack_html(pack.plan_pack(portfolio)))
    for secret in SECRETS:  # the pack without a profile shows every one of them
        assert secret.casefold() in everything, secret
    _, planned = _council_pack(council)
    html = pack.pack_html(planned)
    shared = _every_byte(html + "".join(pack.header_footer(planned)))
    for secret in SECRETS:
        assert secret.casefold() not in shared, secret
    assert "threlfall-log.txt" not in shared  # published under another name, as the share does
    # names as roles, and the same counts of withheld records as the share's pages show
    assert "Registered manager" in html and "Nominated individual" in html and "Quality lead" in html
    assert "EV-OPEN</strong> Re-audit of care records<br>1 evidence item withheld from this portfolio" in html
    assert "1 evidence item withheld from this portfolio</td>" in html  # the milestone's evidence
    assert "Fix the records ([redacted])" in html


def test_a_profile_pack_lists_attachments_as_the_share_publishes_them(council):
    import hashlib

    prepared, planned = _council_pack(council)
    html = pack.pack_html(planned)
    published = prepared.filtered.attachments["ev-open"]
    assert published.name == "attachment.txt" and published.data is not None
    assert f"attachment.txt ({len(published.data)} bytes)" in html
    assert hashlib.sha256(published.data).hexdigest() in html  # the redacted copy's, not the original's


def test_a_profile_pack_carries_the_share_banner_on_the_cover_and_every_page(council):
    from generator.share.publish import banner

    prepared, planned = _council_pack(council)
    expected = banner(prepared)
    assert expected.startswith("Read-only portfolio for Northshire County Council")
    html = pack.pack_html(planned)
    cover = html[html.index('<section class="cover">'):html.index("</section>")]
    assert f'<p class="banner" role="note">{expected}</p>' in cover
    header, _ = pack.header_footer(planned)
    assert expected in header and "As of 2026-11-22" in header
    # without a profile: no banner at all
    portfolio, _ = prepare(council.root, AS_OF)
    assert 'class="banner"' not in pack.pack_html(pack.plan_pack(portfolio))


def test_a_profile_pack_is_named_for_its_profile(council):
    _, planned = _council_pack(council, "effective")
    assert pack.default_name(planned) == "inspection-pack-council-effective-2026-11-22.pdf"
    portfolio, _ = prepare(council.root, AS_OF)
    assert pack.default_name(pack.plan_pack(portfolio, "effective")) == "inspection-pack-effective-2026-11-22.pdf"


def test_a_profile_pack_with_roles_never_prints_a_name_even_from_a_person_given_one(council):
    """The pack's own person filter honours owners: roles, whatever the records hold."""
    from generator.format.people import Person

    _, planned = _council_pack(council)
    env = pack._environment(planned.owners)
    assert env.filters["person"](Person("Helen Marsh", "Registered manager", True)) == "Registered manager"
    assert pack._environment().filters["person"](Person("Helen Marsh", "Registered manager", True)) == "Helen Marsh (Registered manager)"


def test_pack_profile_unknown_is_exit_2_with_the_share_message(council, monkeypatch, tmp_path):
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")
    result = CliRunner().invoke(main, ["--project", str(council.root), "pack", "--profile", "counsil", "--as-of", "2026-11-22"])
    shared = CliRunner().invoke(main, ["--project", str(council.root), "share", "counsil", "--as-of", "2026-11-22"])
    assert result.exit_code == shared.exit_code == 2, result.output
    assert result.output == shared.output
    assert "council" in result.output


def test_pack_profile_stops_on_personal_data_as_the_share_does(council, monkeypatch, tmp_path):
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")
    council.record("evidence", "ev-nhs", """
        id: EV-NHS
        title: Note about NHS number 943 476 5919
        service: north
        date: 2026-03-03
        category: processes
    """)
    result = CliRunner().invoke(main, ["--project", str(council.root), "pack", "--profile", "council", "--as-of", "2026-11-22"])
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if "943 476 5919" in line)
    assert line.startswith("content/evidence/ev-nhs.md:3: title: ") and "would be published in this share" in line
    assert not list(council.root.rglob("*.pdf"))


def test_pack_profile_refuses_a_redaction_term_left_in_the_generator_words(council, monkeypatch, tmp_path):
    """A term the records cannot hold, in the framework's own words, stops the pack before printing."""
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")
    council.config("provider: Test Care Ltd\nframework: cqc-saf-2023\nredact_terms: [Threlfall, Kilbride, Assessing needs]\n")
    result = CliRunner().invoke(main, ["--project", str(council.root), "pack", "--profile", "council", "--as-of", "2026-11-22"])
    assert result.exit_code == 1, result.output
    line = result.output.splitlines()[0]
    assert line.startswith("packs/inspection-pack-council-portfolio-2026-11-22.pdf:1: pack: ")
    assert "'Assessing needs' would be printed in this pack" in line
    assert "apt-get install chromium" not in result.output  # stopped before the browser was looked for
