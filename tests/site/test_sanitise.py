"""Unit tests for generator.site.sanitise: raw HTML in users' Markdown cleaned to an allow-list.

Every hostile form the issue lists (and the usual ways round a sanitiser) must be gone, while what
users legitimately write and what our own templates produce survives, byte for byte.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import markdown
import pytest

from generator.site.charts import measure_svg
from generator.format.records import Measure, Reading
from generator.site.sanitise import clean_html

#: The Markdown extensions the shipped mkdocs.yml turns on (the plugin adds tables and toc too).
EXTENSIONS = ["tables", "toc", "admonition", "attr_list"]

#: Elements that load, submit, script or change how the page is read: none may survive.
BANNED_TAGS = {
    "script", "style", "link", "base", "meta", "form", "input", "button", "textarea", "select", "iframe", "frame",
    "object", "embed", "applet", "video", "audio", "source", "picture", "image", "use", "animate", "set",
    "foreignobject", "math", "noscript", "template",
}
#: Attributes that load or script something, or reach Material's own scripts.
BANNED_ATTRIBUTES = {"srcset", "poster", "action", "formaction", "target", "xlink:href", "background", "data-md-component", "attributename"}


class Seen(HTMLParser):
    """Every element and attribute of a piece of HTML, as the standard library parses it."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def problems_in(markup: str) -> list[str]:
    """Whatever in ``markup`` could run a script or ask another host for something."""
    seen = Seen(markup)
    found = [f"<{tag}>" for tag in seen.tags if tag in BANNED_TAGS]
    for tag, name, value in seen.attributes:
        bare = re.sub(r"[\x00-\x20]", "", value).lower()
        if name.startswith("on") or name in BANNED_ATTRIBUTES:
            found.append(f"{tag} {name}")
        elif name == "style" and ("url(" in bare or "@import" in bare or "expression(" in bare):
            found.append(f"{tag} style={value}")
        elif name in ("href", "src") and re.match(r"^[a-z][a-z0-9+.-]*:", bare) and bare.split(":")[0] not in ("http", "https", "mailto"):
            found.append(f"{tag} {name}={value}")
        elif name == "src" and (re.match(r"^[a-z][a-z0-9+.-]*:", bare) or bare.startswith(("//", "\\\\", "/\\", "\\/"))):
            found.append(f"{tag} src={value} (another host)")
        elif name in ("fill", "stroke") and "url(" in bare:
            found.append(f"{tag} {name}={value}")
    return found


HOSTILE = {
    "script": '<script>alert("x")</script>',
    "script in svg": "<svg><script>alert(1)</script></svg>",
    "iframe srcdoc": '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    "event handler": '<p onclick="alert(1)">x</p>',
    "image error handler": '<img src="x.png" onerror="alert(1)">',
    "details toggle handler": '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "entity-encoded javascript link": '<a href="JaVaScRiPt&#58;alert(1)">x</a>',
    "javascript link split by a tab": '<a href="java&#9;script:alert(1)">x</a>',
    "javascript link after spaces": '<a href="  javascript:alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data image": '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form": '<form action="https://evil.example/" method="post"><input name="q" value="x"><button formaction="https://evil.example/">Go</button></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "srcset": '<img src="x.png" srcset="https://evil.example/a.png 2x" alt="a">',
    "svg image": '<svg><image href="https://evil.example/b.png"/></svg>',
    "svg xlink image": '<svg><image xlink:href="https://evil.example/b.png"/></svg>',
    "svg use": '<svg><use href="https://evil.example/s.svg#a"/></svg>',
    "svg paint from elsewhere": '<svg><rect width="9" height="9" fill="url(https://evil.example/p.svg#g)"/></svg>',
    "svg animated href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
    "svg javascript link": '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg foreign object": '<svg><foreignObject><iframe src="https://evil.example/"></iframe></foreignObject></svg>',
    "video poster": '<video poster="https://evil.example/c.png" autoplay></video>',
    "audio": '<audio src="https://evil.example/a.mp3" autoplay></audio>',
    "picture source": '<picture><source srcset="https://evil.example/d.png"><img src="x.png" alt="p"></picture>',
    "style attribute": '<p style="background:url(https://evil.example/d.png)">x</p>',
    "style attribute with an allowed property": '<td style="text-align:left;background-image:url(https://evil.example/d.png)">x</td>',
    "style element": "<style>body{background:url(https://evil.example/e.png)}</style>",
    "style import": '<style>@import "https://evil.example/f.css";</style>',
    "style sheet link": '<link rel="stylesheet" href="https://evil.example/f.css">',
    "image from another host": '<img src="https://evil.example/g.png" alt="g">',
    "image from another host, no scheme": '<img src="//evil.example/g.png" alt="g">',
    "image from another host, backslashes": '<img src="https:\\\\evil.example/g.png" alt="g">',
    "image from another host, entity colon": '<img src="https&#58;//evil.example/g.png" alt="g">',
    "link opening a window": '<a href="https://example.org/" target="_blank">x</a>',
    "Material's own component hook": '<div data-md-component="announce">x</div>',
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "svg style mutation": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "math mutation": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "textarea": '<textarea><img src=x onerror=alert(1)></textarea>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_form_is_removed(name: str):
    cleaned = clean_html(f"<p>before</p>\n{HOSTILE[name]}\n<p>after</p>")
    assert problems_in(cleaned) == [], cleaned
    assert "<p>before</p>" in cleaned
    if name != "math mutation":  # it leaves its <math> open: what follows is inside it, and goes
        assert "<p>after</p>" in cleaned
    assert clean_html(cleaned) == cleaned  # what is published is already clean: nothing left to remove


@pytest.mark.parametrize("name", sorted(n for n in HOSTILE if "mutation" not in n and n != "textarea"))
def test_hostile_forms_are_also_found_without_the_sanitiser(name: str):
    """The checker above is not blind: each hostile form trips it before cleaning (the mutation
    cases aside: only a browser's parser turns what they hide into an element)."""
    assert problems_in(HOSTILE[name]) != []


@pytest.mark.parametrize("source", [
    "[a link](javascript:alert(1))",
    "[a link](JAVASCRIPT:alert(1))",
    "[a link](data:text/html,hi)",
    "![an image](https://evil.example/h.png)",
    "![an image](data:image/png;base64,iVBORw0KGgo=)",
    "<javascript:alert(1)>",
    "A paragraph with a handler.\n{: onclick=\"alert(1)\" }",
    "A paragraph with a style.\n{: style=\"background:url(https://evil.example/i.png)\" }",
    "## A heading { onmouseover=\"alert(1)\" }",
])
def test_hostile_markdown_is_removed(source: str):
    """What Python-Markdown makes of users' Markdown itself (links, images, attr_list)."""
    cleaned = clean_html(markdown.markdown(source, extensions=EXTENSIONS))
    assert problems_in(cleaned) == [], cleaned


BENIGN = """\
# A record's own heading

Some *emphasis*, **strong** text, `code`, a [page of the site](../actions/act-001.html),
a [section](#a-section), an [outside page](https://www.cqc.org.uk/guidance) and
[mail](mailto:quality@example.org).
A line break follows  
here, and an image of the site: ![the chart](../evidence/attachments/chart.png "Chart").

## A section { #a-section }

| Measure | Value | Note |
|:--------|------:|:----:|
| Falls   | 3     | down |

- one
- two
    1. nested

> A quotation.

!!! note "For the inspector"
    An admonition.

---

    an indented code block <b>as text</b>

<span class="pf-risk pf-risk--high" data-rank="2">High risk</span>
<div class="pf-table-tools" data-filters="Status,Risk"></div>

## Evidence { data-search-exclude="1" }

<details><summary>More</summary>
<p>Checked on <time datetime="2026-03-01">1 March</time>.</p>
</details>
"""


def test_what_users_write_and_our_templates_make_is_kept_byte_for_byte():
    rendered = markdown.markdown(BENIGN, extensions=EXTENSIONS)
    cleaned = clean_html(rendered)
    assert cleaned is rendered or cleaned == rendered
    seen = Seen(cleaned)
    for tag in ("table", "th", "td", "ul", "ol", "li", "em", "strong", "code", "a", "img", "h1", "h2", "blockquote", "hr", "br", "pre", "details", "summary", "time"):
        assert tag in seen.tags, tag
    attributes = {(tag, name) for tag, name, _ in seen.attributes}
    assert {("span", "data-rank"), ("div", "data-filters"), ("h2", "data-search-exclude"), ("h2", "id"), ("time", "datetime"), ("th", "style")} <= attributes
    assert ' style="text-align: right;"' in cleaned  # written as Python-Markdown writes it


def test_measure_chart_is_kept_byte_for_byte():
    measure = Measure(
        name="Bed rails in use", unit="people", baseline=Reading(date(2026, 1, 1), 12), target=4.0,
        readings=(Reading(date(2026, 3, 1), 9), Reading(date(2026, 6, 1), 6)),
    )
    svg = f'<div class="pf-chart-box">{measure_svg(measure, date(2026, 11, 22))}</div>'
    assert "<line" in svg and "/>" in svg and 'style="max-width:400px"' in svg
    assert clean_html(svg) == svg


def test_a_cleaned_page_keeps_everything_that_was_allowed():
    rendered = markdown.markdown(BENIGN + '\n<p onclick="alert(1)">handler</p>\n<script>alert(2)</script>\n', extensions=EXTENSIONS)
    cleaned = clean_html(rendered)
    assert cleaned != rendered and problems_in(cleaned) == []
    assert Seen(cleaned).tags == [t for t in Seen(rendered).tags if t != "script"]
    assert "<p>handler</p>" in cleaned
    assert 'src="../evidence/attachments/chart.png"' in cleaned
    assert 'href="https://www.cqc.org.uk/guidance"' in cleaned  # a reader's click may leave the site


def test_a_page_whose_chart_was_cleaned_around_keeps_the_chart():
    measure = Measure(name="Falls", unit=None, baseline=None, target=None, readings=(Reading(date(2026, 3, 1), 9), Reading(date(2026, 6, 1), 6)))
    svg = measure_svg(measure, date(2026, 11, 22))
    cleaned = clean_html(f"{svg}\n<script>alert(1)</script>")
    assert Seen(cleaned).tags == Seen(svg).tags
    assert 'style="max-width:400px"' in cleaned and 'viewBox="0 0 400 220"' in cleaned


@pytest.mark.parametrize("markup", [
    '<span/><p>x</p>',           # an empty HTML element written the SVG way is not the same markup
    '<div class="a">unclosed',   # html5ever closes it; the page keeps the closed form
    '<p>x</p></div></article>',  # stray end tags could close the theme's own elements
])
def test_markup_that_parses_differently_is_replaced_by_the_cleaned_form(markup: str):
    cleaned = clean_html(markup)
    assert cleaned != markup
    assert clean_html(cleaned) == cleaned


def test_a_lone_surrogate_does_not_stop_the_build():
    """A YAML escape such as "\\udc80" gives text no UTF-8 parser takes: it is shown as U+FFFD."""
    assert clean_html("<p>a\udc80b</p><script>alert(1)</script>") == "<p>a\ufffdb</p>"
