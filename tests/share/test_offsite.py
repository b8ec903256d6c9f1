"""The last look at a published page (generator/share/offsite.py, generator/share/lastlook.py): every way a
page can ask another host for something, or run a script, is found; what a page legitimately
holds (relative links, links the reader clicks, Material's own scripts, our SVG charts) is not.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import threading
from pathlib import Path

import pytest

from generator.processes import PROCESSES_ENV
from generator.share import offsite
from generator.share.lastlook import Origin, explain, site_findings
from generator.share.offsite import (
    BASE, DATA, NESTED, OUTSIDE, SCRIPT, THEME_FILE, UNREADABLE, css_requests, file_requests,
    outside_requests,
)
from generator.share.privacy import TextRules, scan_output, scan_text

HOST = "evil.example"

#: Each way round the old regex check (issue 15), and more: every one must be reported.
EVASIONS = {
    "base href": '<base href="https://evil.example/">',
    "base href relative": '<base href="/elsewhere/">',
    "srcset": '<img src="a.png" srcset="a.png 1x, https://evil.example/b.png 2x">',
    "srcset without spaces": '<img srcset="a.png 1x,https://evil.example/b.png 2x">',
    "svg image href": '<svg><image href="https://evil.example/i.png"/></svg>',
    "svg image xlink:href": '<svg><image xlink:href="https://evil.example/i.png"/></svg>',
    "meta refresh": '<meta http-equiv=refresh content="0;url=https://evil.example/">',
    "meta refresh with a tab in the address": '<meta http-equiv="refresh" content="0; url=ht&#9;tps://evil.example/">',
    "video poster": '<video poster="https://evil.example/p.jpg"></video>',
    "object data": '<object data="https://evil.example/o.swf"></object>',
    "embed src": '<embed src="https://evil.example/e.swf">',
    "iframe srcdoc with an entity-encoded image": '<iframe srcdoc="&lt;img src=&quot;https&amp;#58;//evil.example/x.png&quot;&gt;"></iframe>',
    "https&#58; entity": '<img src="https&#58;//evil.example/x.png">',
    "https&colon; entity": '<img src="https&colon;//evil.example/x.png">',
    "backslashes": '<img src="https:\\\\evil.example/x.png">',
    "protocol-relative": '<img src="//evil.example/x.png">',
    "protocol-relative with backslashes": '<img src="\\\\evil.example/x.png">',
    "tab inside the scheme": '<img src="ht&#9;tps://evil.example/x.png">',
    "leading control characters": '<img src="&#1; https://evil.example/x.png">',
    "auto-submitting form": '<form action="https://evil.example/c" id="f"></form>',
    "a ping": '<a href="page.html" ping="https://evil.example/ping">x</a>',
    "area ping": '<map><area href="page.html" ping="https://evil.example/ping"></map>',
    "style attribute url()": '<p style="background:url(https://evil.example/bg.png)">x</p>',
    "style @import": '<style>@import "https://evil.example/s.css";</style>',
    "style @import url()": "<style>@import url('//evil.example/s.css');</style>",
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/s.css">',
    "link preconnect": '<link rel="preconnect" href="https://evil.example">',
    "link icon": '<link rel="icon" href="https://evil.example/favicon.ico">',
    "link next (prefetched by some browsers)": '<link rel="next" href="https://evil.example/next.html">',
    "input formaction": '<input type="submit" formaction="https://evil.example/f">',
    "button formaction": '<button formaction="https://evil.example/f">x</button>',
    "input image src": '<input type="image" src="https://evil.example/b.png">',
    "use href": '<svg><use href="https://evil.example/s.svg#a"/></svg>',
    "background attribute": '<table background="https://evil.example/t.png"></table>',
    "body background": '<body background="https://evil.example/t.png">',
    "track src": '<video><track src="https://evil.example/t.vtt"></video>',
    "source srcset": '<picture><source srcset="https://evil.example/s.webp"></picture>',
    "audio src": '<audio src="https://evil.example/a.mp3"></audio>',
    "portal": '<portal src="https://evil.example/"></portal>',
    "iframe src": '<iframe src="https://evil.example/"></iframe>',
    "css image-set()": '<style>div{background:image-set("https://evil.example/a.png" 1x)}</style>',
    "css -webkit-image-set()": "<style>div{background:-webkit-image-set(url(https://evil.example/a.png) 1x)}</style>",
    "@font-face src": "<style>@font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>",
    "css escape in the address": "<style>div{background:url(\\68 ttps://evil.example/a.png)}</style>",
    "css escape in url itself": "<style>div{background:\\75 rl(https://evil.example/a.png)}</style>",
    "css comment before the string": '<style>@import/**/"https://evil.example/s.css";</style>',
    "svg paint url()": '<svg><rect fill="url(https://evil.example/p.svg#g)"/></svg>',
    "svg style with entities": "<svg><style>@import url(https&#58;//evil.example/s.css)</style></svg>",
    "img inside svg style": "<svg><style><img src=https://evil.example/x></style></svg>",
    "lazy data-src": '<img data-src="https://evil.example/lazy.png">',
    "object param": '<object><param name="movie" value="https://evil.example/m.swf"></object>',
    "file: to another machine": '<img src="file://evil-host/share/x.png">',
    "xml-stylesheet": '<?xml-stylesheet href="https://evil.example/s.xsl"?><svg/>',
    "repository facts fetched by Material": '<a href="https://github.com/evil/repo" data-md-component="source">repo</a>',
    "xml:base": '<svg xml:base="https://evil.example/"><image href="i.png"/></svg>',
    # what a browser and this parser may read differently
    "<!--> ends a comment": "<!--><img src=https://evil.example/x>-->",
    "--!> ends a comment": "<!-- --!><img src=https://evil.example/x> -->",
    "noscript breakout": '<noscript><p title="</noscript><img src=https://evil.example/x>"></noscript>',
    "title ended oddly": "<title></title x><img src=https://evil.example/x>",
    "unclosed textarea": "<textarea><img src=https://evil.example/x>",
    # scripts
    "script building the address": '<script>fetch("https://" + "evil.example")</script>',
    "script in a form's submit": '<form action="x"></form><script>document.forms[0].submit()</script>',
    "on* handler": '<img src="x.png" onerror="fetch(1)">',
    "handler without a value": "<img src=x.png onload>",
    "svg onload": '<svg onload="alert(1)"></svg>',
    "javascript: link": '<a href="javascript:alert(1)">x</a>',
    "javascript: with a tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript: by entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "svg animation setting a handler": '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    "svg animation to javascript:": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "script src on another host": '<script src="https://evil.example/x.js"></script>',
    "script src not the theme's": '<script src="js/extra.js"></script>',
    "script src out of the site": '<script src="../../../evil.js"></script>',
    "self-closed script": '<script/>fetch("https://evil.example")',
    "importmap": '<script type="importmap">{"imports":{"a":"https://evil.example/a.js"}}</script>',
    "data: iframe": '<iframe src="data:text/html,<img src=https://evil.example/x>"></iframe>',
    "data: image": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "data: link": '<a href="data:text/html,hi">x</a>',
    "protocol-relative link": '<a href="//evil.example/">x</a>',
    "file: link": '<a href="file://evil-host/share">x</a>',
}

#: What a page legitimately holds: none of it is reported.
FINE = {
    "relative links and images": '<a href="../actions/act-1.html">x</a><img src="../assets/x.png" srcset="x.png 1x, x2.png 2x">',
    "anchors": '<a href="#top">top</a><a href="">here</a>',
    "mailto": '<a href="mailto:jo@example.org">mail</a>',
    "tel": '<a href="tel:01632960001">ring</a>',
    "a link the reader clicks": '<a href="https://nhs.uk">NHS</a> <a href="https://www.cqc.org.uk/guidance" target="_blank" rel="noopener">CQC</a>',
    "canonical link": '<link rel="canonical" href="https://example.org/x.html">',
    "an SVG chart": (
        '<svg class="pf-chart" role="img" aria-label="Falls (n), baseline 4" viewBox="0 0 400 220" width="100%" '
        'style="max-width:400px" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><linearGradient id="g"/></defs><rect fill="url(#g)" transform="translate(10,20)"/>'
        '<text x="4" y="8">https://nhs.uk</text></svg>'
    ),
    "Material's palette input": '<input class="md-option" data-md-color-media="(prefers-color-scheme: light)">',
    "addresses as text": "<p>see https://evil.example/x.png and &lt;img src=https://evil.example/x.png&gt;</p>",
    "an address as a title": '<abbr title="https://nhs.uk">NHS</abbr><img src="x.png" alt="https://nhs.uk logo">',
    "css media query and fragments": "<style>@media (min-width: 40em) { a { color: red; fill: url(#g) } }</style>",
    "css namespace": '<style>@namespace svg url(http://www.w3.org/2000/svg);</style>',
    "the theme's scripts": '<script src="assets/javascripts/bundle.js"></script><script src="assets/portfolio-table.js"></script>',
    "a JSON data block of Material": '<script id="__config" type="application/json">{"base": "..", "search": "../assets/javascripts/workers/search.js", "translations": {"x": "Note: copied"}}</script>',
    "a form with no address": '<form class="md-search__form" name="search"><input type="text" name="query"></form>',
    "a comment": "<!-- built by the portfolio generator -->",
}


@pytest.mark.parametrize("markup", EVASIONS.values(), ids=EVASIONS.keys())
def test_every_evasion_is_reported(markup: str):
    assert outside_requests(f"<p>Text before.</p>\n{markup}\n<p>Text after.</p>") != []


@pytest.mark.parametrize("markup", FINE.values(), ids=FINE.keys())
def test_what_a_page_legitimately_holds_is_not_reported(markup: str):
    assert outside_requests(markup, "index.html") == []


def test_findings_say_what_and_where():
    page = '<p>one</p>\n<p>two</p>\n<img src="x.png"\n     srcset="https&#58;//evil.example/b.png 2x">\n<base href="https://evil.example/">\n<a href="x" onclick="go()">x</a>'
    assert outside_requests(page) == [
        (3, OUTSIDE, "https://evil.example/b.png"),
        (5, BASE, '<base href="https://evil.example/">'),
        (6, SCRIPT, 'onclick="go()"'),
    ]
    assert outside_requests('<iframe src="data:text/html,hi"></iframe>') == [(1, DATA, "data:text/html,hi")]
    assert outside_requests('<a href="javascript:go()">x</a>') == [(1, SCRIPT, "javascript:go()")]
    # a script that is not the theme's is named by the host it asks, where it says
    loader = '<script>var t=document.createElement("script");t.src="https://www.googletagmanager.com/gtag/js?id=G-1"</script>'
    assert outside_requests(loader) == [(1, OUTSIDE, "https://www.googletagmanager.com/gtag/js?id=G-1")]


def _material_scripts(base: str) -> list[str]:
    """Material's inline scripts as its templates write them, with the site's base address."""
    folder = offsite.material_dir() / "partials" / "javascripts"
    bodies = [b for p in sorted(folder.glob("*.html")) for b in re.findall(r"<script>(.*?)</script>", p.read_text(encoding="utf-8"), re.S)]
    return [re.sub(r"\{\{.*?\}\}", base, body) for body in bodies]


@pytest.mark.parametrize("base", [".", "..", "../..", "/", "/portfolio/"])
def test_materials_own_inline_scripts_run_and_nothing_else(base: str):
    scripts = _material_scripts(base)
    assert len(scripts) >= 6  # __md_scope, palette, consent, tabs, announce, outdated
    assert outside_requests("".join(f"<script>{s}</script>\n" for s in scripts)) == []
    for script in scripts:  # one more statement is not the theme's script any more
        assert [w for _, w, _ in outside_requests(f"<script>{script};alert(1)</script>")] == [SCRIPT]
        assert [w for _, w, _ in outside_requests(f'<script>{script};fetch("//evil.example/x")</script>')] == [OUTSIDE]
    # the base address cannot close the string it is written in
    scope = next(s for s in scripts if "__md_scope" in s).replace(f'"{base}"', '"x",fetch("//evil.example"),"y"')
    assert outside_requests(f"<script>{scope}</script>") != []


def test_materials_config_block_may_not_point_elsewhere():
    for key in ("base", "search"):
        config = json.dumps({key: "https://evil.example/"})
        assert outside_requests(f'<script id="__config" type="application/json">{config}</script>') == [(1, OUTSIDE, "https://evil.example/")]
    assert outside_requests('<script id="__config" type="application/json">{not json</script>') != []


@pytest.mark.parametrize("page, src, fine", [
    ("actions/act-1.html", "../assets/javascripts/bundle.1.min.js", True),
    ("actions/act-1.html", "../assets/portfolio-table.js", True),
    ("404.html", "/assets/javascripts/bundle.1.min.js", True),
    ("404.html", "/portfolio/assets/javascripts/bundle.1.min.js", True),
    ("index.html", "assets/javascripts/../../extra.js", False),
    ("actions/act-1.html", "../assets/extra.js", False),
    ("actions/act-1.html", "../attachments/report.js", False),
    ("actions/act-1.html", "%2e%2e/%2e%2e/evil.js", False),
])
def test_a_script_file_runs_only_from_the_themes_folder(page: str, src: str, fine: bool):
    assert (outside_requests(f'<script src="{src}"></script>', page) == []) is fine


def test_css_escapes_comments_and_lines():
    css = "a { color: red }\n/* url(https://evil.example/in-a-comment) */\n@import '\\2f\\2f evil.example/s.css';\nb { background: URL( \"//evil.example/b.png\" ) }"
    assert css_requests(css) == [(3, OUTSIDE, "//evil.example/s.css"), (4, OUTSIDE, "//evil.example/b.png")]
    assert css_requests("div { background: url(javascript:alert(1)) }") == [(1, SCRIPT, "javascript:alert")]
    assert css_requests("div { background: url(data:image/png;base64,AAAA) }") == [(1, DATA, "data:image/png;base64,AAAA")]
    assert css_requests('@media (prefers-color-scheme: dark) { .x::after { content: "Note: keep" } }') == []


def test_deep_nesting_is_refused_not_recursed_for_ever():
    document = '<img src="https://evil.example/x.png">'
    for _ in range(4):
        document = f'<iframe srcdoc="{html.escape(document)}"></iframe>'
    assert outside_requests(document) == [(1, OUTSIDE, "https://evil.example/x.png")]  # four pages deep: still read
    for _ in range(8):
        document = f'<iframe srcdoc="{html.escape(document)}"></iframe>'
    assert [what for _, what, _ in outside_requests(document)] == [NESTED]


def test_markup_the_standard_parser_chokes_on_never_crashes_and_never_passes_unread(monkeypatch: pytest.MonkeyPatch):
    assert outside_requests("<![foo[ x ]]><img src=//evil.example/x>") == [(1, OUTSIDE, "//evil.example/x")]
    assert outside_requests("<![1[ x ]]>") == []

    def broken(self: object) -> None:
        raise AssertionError("a parser bug")

    monkeypatch.setattr(offsite._Look, "run", broken)
    assert outside_requests("<p>x</p>") == [(1, UNREADABLE, "AssertionError: a parser bug")]


def test_pieces_of_a_long_page_read_once_give_the_same_findings_each_time():
    """Pages are read in pieces; a piece read before gives what it gave, at its own line here."""
    chrome = "".join(f'<li class="md-nav__item"><a href="s{i}.html" class="md-nav__link">S{i}</a></li>\n' for i in range(400))
    hostile = '<img src="https://evil.example/x.png">\n'
    first = f"<html>\n<body>\n<nav>\n{chrome}{hostile}</nav>\n<article>\n<p>one</p>\n</article>\n</body>\n</html>\n"
    second = f"<html>\n<body>\n<p>a longer\nstart</p>\n<nav>\n{chrome}{hostile}</nav>\n<article>\n<p>two</p>\n{hostile}</article>\n</body>\n</html>\n"
    assert len(first) > 8192
    line = first.splitlines().index(hostile.strip()) + 1
    assert outside_requests(first, "actions/a.html") == [(line, OUTSIDE, "https://evil.example/x.png")]
    lines = [n for n, text in enumerate(second.splitlines(), 1) if text == hostile.strip()]
    assert outside_requests(second, "actions/b.html") == [(n, OUTSIDE, "https://evil.example/x.png") for n in lines]
    # a piece that starts inside a raw-text element is never taken from what it gave elsewhere
    inside = f"<html>\n<textarea>\n{chrome}{hostile}</textarea>\n</html>\n"
    assert outside_requests(inside, "actions/c.html") != []


def test_files_are_read_by_what_they_are():
    hostile = '<img src="https://evil.example/x.png">'
    assert file_requests("page.html", hostile) != []
    assert file_requests("attachments/chart.svg", f"<svg>{hostile}</svg>") != []
    assert file_requests("assets/extra.css", "@import 'https://evil.example/s.css';") != []
    assert file_requests("sitemap.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/</loc></url></urlset>') == []
    assert file_requests("portfolio.json", json.dumps({"text": hostile})) == []  # data, never read as a page
    assert file_requests("notes.txt", hostile) == []
    index = {"docs": [{"location": "a.html", "title": "A", "text": f"<p>fine</p> {hostile}"}]}
    assert file_requests("search/search_index.json", json.dumps(index)) != []
    assert file_requests("search/search_index.js", "var __index = " + json.dumps(index)) != []
    assert file_requests("search/search_index.js", "fetch('https://evil.example')") != []
    clean = {"docs": [{"location": "a.html", "title": "A", "text": "<p>fine <code>&lt;img src=x&gt;</code></p>"}]}
    assert file_requests("search/search_index.js", "var __index = " + json.dumps(clean)) == []


def _copy_theme(site: Path, rel: str) -> Path:
    target = site / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((offsite.material_dir() / rel).read_bytes())
    return target


def test_the_themes_folder_holds_only_the_themes_files(tmp_path: Path):
    site = tmp_path / "site"
    bundle = next((offsite.material_dir() / "assets" / "javascripts").glob("bundle.*.min.js")).relative_to(offsite.material_dir()).as_posix()
    _copy_theme(site, bundle)
    (site / "index.html").write_text(f'<script src="{bundle}"></script>', encoding="utf-8")
    assert site_findings(site) == []
    (site / "assets" / "javascripts" / "extra.js").write_text("fetch('https://evil.example')", encoding="utf-8")
    (site / "assets" / "stylesheets").mkdir(parents=True)
    (site / "assets" / "stylesheets" / "extra.css").write_text("@import '//evil.example/s.css';", encoding="utf-8")
    (site / "assets" / "portfolio-table.js").write_text("fetch('https://evil.example')", encoding="utf-8")
    assert site_findings(site) == [
        ("assets/javascripts/extra.js", 1, THEME_FILE, "assets/javascripts/extra.js"),
        ("assets/portfolio-table.js", 1, THEME_FILE, "assets/portfolio-table.js"),
        ("assets/stylesheets/extra.css", 1, OUTSIDE, "//evil.example/s.css"),
    ]
    # a share reads the other files itself (privacy.scan_output): only the theme's are looked at,
    # and compressed SVG, which that reader sees as bytes
    (site / "page.html").write_text('<img src="//evil.example/x.png">', encoding="utf-8")
    (site / "chart.svgz").write_bytes(gzip.compress(b'<svg><image href="//evil.example/i.png"/></svg>'))
    assert [f[0] for f in site_findings(site, theme_only=True)] == [
        "assets/javascripts/extra.js", "assets/portfolio-table.js", "assets/stylesheets/extra.css", "chart.svgz",
    ]
    assert ("page.html", 1, OUTSIDE, "//evil.example/x.png") in site_findings(site)


def test_scan_output_reports_hostile_pages_with_their_lines(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    for number, (name, markup) in enumerate(EVASIONS.items()):
        (site / f"page-{number:02d}.html").write_text(f"<p>{name}</p>\n{markup}\n", encoding="utf-8")
    leaks = scan_output(site, TextRules())
    assert {leak.path for leak in leaks} == {f"page-{n:02d}.html" for n in range(len(EVASIONS))}
    assert all(leak.line == 2 for leak in leaks)
    assert scan_text('<p>fine</p>\n<img src="https://evil.example/x.png">', TextRules(), "page.html") == [(2, OUTSIDE, "https://evil.example/x.png")]


def test_a_finding_is_told_with_the_record_it_was_written_in(tmp_path: Path):
    record = tmp_path / "act-1.md"
    record.write_text("---\nid: ACT-1\ntitle: T\n---\n\nFirst line.\nA picture <img srcset=\"https&#58;//evil.example/a.png 2x\">.\n", encoding="utf-8")
    page = tmp_path / "act-1.html"
    page.write_text("<html>\n<head></head>\n<body>\n<article>\n<p>First line.</p>\n<img>\n<p>Other</p>\n</article>\n<script>x</script>\n</body>\n", encoding="utf-8")
    origin = Origin("content/actions/act-1.md", record, page)
    assert origin.where(6, OUTSIDE, "https://evil.example/a.png") == "content/actions/act-1.md:7"  # the line that holds its host
    assert origin.where(7, SCRIPT, 'onclick="go()"') == "content/actions/act-1.md:6"  # not found: the body's first line
    assert origin.where(9, SCRIPT, "<script>x") is None  # outside the article: the theme's, not the record's
    assert Origin("content/evidence/x/report.html", None, None).where(12, OUTSIDE, "//x") == "content/evidence/x/report.html:12"


def test_messages_say_what_to_do():
    for what in (OUTSIDE, SCRIPT, DATA, BASE, NESTED, THEME_FILE, UNREADABLE):
        message = explain(what, "https://evil.example/x")
        assert "share" in message and "mkdocs.yml" in message
        assert "spec 5" in explain(what, "x", share=False)


def test_the_last_look_on_several_processes_finds_what_one_finds(tmp_path: Path, monkeypatch):
    """A large site is read on every CPU (generator/processes.py); the findings, and their order, stay."""
    site = tmp_path / "site"
    site.mkdir()
    for number, (name, markup) in enumerate(EVASIONS.items()):
        (site / f"page-{number:02d}.html").write_text(f"<p>{name}</p>\n{markup}\n", encoding="utf-8")
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setenv(PROCESSES_ENV, "1")
    one = site_findings(site)
    monkeypatch.setenv(PROCESSES_ENV, "3")
    assert site_findings(site) == one and len(one) >= len(EVASIONS)
