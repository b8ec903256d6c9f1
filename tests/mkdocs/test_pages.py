"""Integration tests for generator/mkdocs/pages.py: planned pages reach MkDocs as our HTML.

Real builds into tmp_path, in this process, so what MkDocs did with each page can be watched.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import pytest
from mkdocs.structure.pages import Page

from generator.mkdocs.engine import build_site
from generator.mkdocs.pages import GeneratedPage
from generator.pipeline import prepare


def _article(site: Path, page: str) -> str:
    return re.search(r"<article\b.*?</article>", (site / page).read_text(encoding="utf-8"), re.S).group(0)


def _on_this_page(site: Path, page: str) -> list[tuple[str, str]]:
    """Material's "On this page": (href, text) of each entry."""
    markup = (site / page).read_text(encoding="utf-8")
    secondary = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', markup, re.S)
    assert secondary, page
    return [(href, " ".join(text.split())) for href, text in re.findall(
        r'<a href="(#[^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">(.*?)</span>', secondary.group(0), re.S)]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many markdown.Markdown parsers are made, and how many pages MkDocs renders itself."""
    counts = {"parsers": 0, "markdown_pages": 0}
    real_init, real_render = markdown.Markdown.__init__, Page.render

    def init(self, *args, **kwargs):
        counts["parsers"] += 1
        real_init(self, *args, **kwargs)

    def render(self, *args, **kwargs):
        counts["markdown_pages"] += 1
        real_render(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", init)
    monkeypatch.setattr(Page, "render", render)
    return counts


def test_no_markdown_parser_is_made_for_a_generated_page(example_project: Path, tmp_path: Path, counted):
    portfolio, _ = prepare(example_project, date(2026, 11, 22))
    pages = build_site(example_project, tmp_path / "site", portfolio)
    assert pages > 100
    assert counted["markdown_pages"] == 0, "MkDocs rendered none of our pages itself"
    # one made by MkDocs as it checks markdown_extensions in mkdocs.yml; one for what users wrote
    assert counted["parsers"] == 2


def test_on_this_page_lists_our_headings_and_a_bodys(project, tmp_path: Path):
    project.record("sources", "src-1", """
        id: SRC-1
        title: "Night audit <script>alert(1)</script>"
        kind: audit
        date: 2026-01-10
    """, body="# Actions raised from it\n\nWritten by the auditor; see [the action](../actions/act-1.md#narrative).\n\n## Detail")
    project.record("actions", "act-1", """
        id: ACT-1
        title: Night checks
        source: SRC-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-12-31
        risk: medium
        status: open
        quality_statements: [safeguarding]
    """, body="Same text.")
    project.record("actions", "act-2", """
        id: ACT-2
        title: Day checks
        source: SRC-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-12-31
        risk: medium
        status: open
        quality_statements: [safeguarding]
    """, body="Same text.")
    text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(text.replace("use_directory_urls: false", "use_directory_urls: true"), encoding="utf-8")
    portfolio, _ = prepare(project.root, date(2026, 2, 1))
    site = tmp_path / "site"
    build_site(project.root, site, portfolio)

    source = _article(site, "sources/src-1/index.html")
    # hostile text in a title is text, in the heading and in the page's <title>
    assert "<script>alert(1)</script>" not in (site / "sources/src-1/index.html").read_text(encoding="utf-8")
    assert ">SRC-1: Night audit &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in source
    # the body's heading took an id of ours: renamed, as Python-Markdown renamed it on one page
    assert '<h2 id="finding">Finding</h2>\n<h2 id="actions-raised-from-it">Actions raised from it</h2>' in source
    assert '<h2 id="actions-raised-from-it_1">Actions raised from it</h2>' in source
    # the user's .md link became the target page's url, relative to this page (directory urls)
    assert '<a href="../../actions/act-1/#narrative">the action</a>' in source
    assert _on_this_page(site, "sources/src-1/index.html") == [
        ("#finding", "Finding"), ("#actions-raised-from-it", "Actions raised from it"), ("#detail", "Detail"),
        ("#actions-raised-from-it_1", "Actions raised from it"),
    ]
    # our links are urls too
    assert '<a href="../../sources/src-1/">SRC-1</a>' in _article(site, "actions/act-1/index.html")
    home = _article(site, "index.html")
    assert '<a href="dashboards/escalation/">escalation register</a>' in home


def test_a_generated_page_is_what_mkdocs_holds(example_project: Path, tmp_path: Path, monkeypatch):
    seen: dict[str, GeneratedPage] = {}
    real = GeneratedPage.render

    def render(self, config, files):
        real(self, config, files)
        seen[self.file.src_uri] = self

    monkeypatch.setattr(GeneratedPage, "render", render)
    portfolio, _ = prepare(example_project, date(2026, 11, 22))
    build_site(example_project, tmp_path / "site", portfolio)
    page = seen["actions/act-005.md"]
    assert page.markdown == "" and page.title == "ACT-005: Build a permanent night team and cut agency use on nights"
    assert page.content.startswith('<h1 id="act-005-build-a-permanent-night-team-and-cut-agency-use-on-nights">')
    [title] = page.toc
    assert [item.id for item in title.children][:3] == ["where-it-came-from", "what-must-change", "narrative"]
    assert "timeline" in page.present_anchor_ids
    assert seen["dashboards/actions.md"].meta == {"hide": ["toc"], "search": {"exclude": True}, "title": "All actions"}
