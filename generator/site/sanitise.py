"""Raw HTML in what users wrote, cleaned with an allow-list before any page is published.

A record's body or minutes is Markdown, and Markdown lets raw HTML through: a ``<script>``, an
``attr_list`` ``{: onclick="..." }``, a ``javascript:`` link, a ``<base href>`` or an
``<img srcset>`` pointing at another host would run, or call that host, in the site and in a share
opened from ``file://``. Every page's HTML is therefore passed through nh3 (the Python binding of
Rust's ammonia, the maintained allow-list sanitiser, built on html5ever, the same HTML5 parsing
algorithm browsers use, so it sees the markup as a browser would). Only the tags, attributes and
URLs listed here survive: what users legitimately write (tables, lists, emphasis, headings, code,
block quotes, admonitions, links, images inside the site) and what our own templates produce
(classed spans, ``data-rank``, heading ids, the measure charts' inline SVG).

A page with nothing to refuse is published exactly as Python-Markdown wrote it: the cleaned page
is compared with the original (after the few spellings html5ever writes differently and a reader
cannot see, such as ``<br />`` for ``<br>``), and only a page that lost something is replaced by
its cleaned form. Everything else about the check is decided once, at import.
"""

from __future__ import annotations

import re

import nh3

#: HTML elements users write in Markdown, and those Python-Markdown and our templates produce.
#: Nothing that loads, submits or scripts: no base, meta, link, style, script, form, input,
#: button, iframe, object, embed, video, audio, source, picture, area or map.
HTML_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})

#: The shapes and text of a drawing such as generator/site/charts.py makes. No ``image``, ``use``,
#: ``foreignObject``, ``style``, ``script``, ``animate``/``set`` (which can rewrite an ``href``),
#: ``pattern`` or ``filter``: nothing that fetches, references another document or scripts.
SVG_TAGS = frozenset({
    "svg", "g", "title", "desc", "line", "rect", "circle", "ellipse", "polyline", "polygon", "path", "text", "tspan",
})

TAGS = HTML_TAGS | SVG_TAGS

#: Removed with everything inside them (other refused elements keep their text): their content
#: is code, a style sheet or a document of its own, never words meant for the reader.
CLEAN_CONTENT_TAGS = frozenset({
    "script", "style", "template", "noscript", "iframe", "noembed", "noframes", "xmp", "object", "applet",
    "textarea", "select", "math",
})

_SHAPE = frozenset({"fill", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "fill-opacity", "opacity"})
_TEXT = frozenset({"x", "y", "dx", "dy", "text-anchor", "font-family", "font-size", "font-weight"})

#: Attributes by element; ``"*"`` holds those allowed on every element. No ``on*`` handler, no
#: ``style`` but the two properties below, no ``srcset``, ``poster``, ``action``, ``formaction``,
#: ``target``, ``name`` or ``data-*`` beyond the three our pages use (``data-md-*`` would reach
#: Material's own scripts).
ATTRIBUTES: dict[str, set[str] | frozenset[str]] = {
    "*": {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "data-search-exclude"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "span": {"data-rank"},
    "div": {"data-filters"},
    "svg": {"viewBox", "width", "height", "xmlns", "style", "preserveAspectRatio"},
    "g": _SHAPE | _TEXT | {"transform"},
    "line": _SHAPE | {"x1", "y1", "x2", "y2"},
    "rect": _SHAPE | {"x", "y", "width", "height", "rx", "ry"},
    "circle": _SHAPE | {"cx", "cy", "r"},
    "ellipse": _SHAPE | {"cx", "cy", "rx", "ry"},
    "polyline": _SHAPE | {"points"},
    "polygon": _SHAPE | {"points"},
    "path": _SHAPE | {"d"},
    "text": _SHAPE | _TEXT,
    "tspan": _SHAPE | _TEXT,
}

#: ``style`` keeps these properties only (a table column's alignment, a chart's width): no
#: ``url()``, ``@import`` or position tricks can survive.
STYLE_PROPERTIES = frozenset({"text-align", "max-width"})

#: Schemes a link may use; a relative URL (a page or attachment of the site) is always allowed.
#: Never ``javascript:``, ``data:`` or ``vbscript:``.
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URL_NOISE = re.compile(r"[\x00-\x20]")  # what browsers strip or skip around and inside a URL's start
_PAINT = re.compile(r"[#a-zA-Z0-9 .%-]*")  # a colour or "none": never url(...), which can fetch


def _inside_site(url: str) -> bool:
    """A relative URL that stays on this site: no scheme, and not ``//host`` (nor ``\\\\host``,
    which browsers read the same way)."""
    bare = _URL_NOISE.sub("", url)
    return not _SCHEME.match(bare) and not bare.startswith(("//", "\\\\", "/\\", "\\/"))


def _relative_url(url: str) -> str | None:
    """ammonia's hook for relative URLs: a "relative" ``//host/...`` leaves the site."""
    return url if _inside_site(url) else None


def _attribute(element: str, name: str, value: str) -> str | None:
    """The checks an allow-list of names cannot make: an image loads only from the site (a link
    may go elsewhere, on the reader's click; an image would be fetched by opening the page), and
    an SVG paint is a colour, never ``url(...)``."""
    if name == "src":
        return value if _inside_site(value) else None
    if name in ("fill", "stroke"):
        return value if _PAINT.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute,
    strip_comments=True,  # a comment is not shown, yet published: it is no place for anything
    # No rel is added: no ``target`` is allowed, so a link never opens a window that could reach
    # back to this page, and adding one would rewrite every link of every page.
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
    url_relative=_relative_url,
    filter_style_properties=set(STYLE_PROPERTIES),
)

#: html5ever's spellings of what Python-Markdown and charts.py write otherwise, with the same
#: meaning: void elements without `` />``, an empty SVG shape closed by its end tag, and a table
#: column's alignment as ammonia's style filter writes it.
_VOID = re.compile(r"<(br|hr|img|wbr|col)\b([^<>]*?) />")
_SVG = re.compile(r"<svg\b[^<>]*>.*?</svg>", re.S)
_EMPTY_SHAPE = re.compile(r"<(line|rect|circle|ellipse|polyline|polygon|path)\b([^<>]*?)/>")
_ALIGN = re.compile(r' style="text-align: (left|right|center);"')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _as_html5ever_writes(html: str) -> str:
    """``html`` with those spellings changed; only ever compared with the cleaned page."""
    html = _VOID.sub(r"<\1\2>", html)
    if "<svg" in html:
        html = _SVG.sub(lambda m: _EMPTY_SHAPE.sub(r"<\1\2></\1>", m.group(0)), html)
    if ' style="text-align: ' in html:
        html = _ALIGN.sub(r' style="text-align:\1"', html)
    return html


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed; unchanged, byte for byte, when
    nothing in it was refused.

    The original is kept only when the cleaned HTML is exactly the original as html5ever writes
    it, so every element, attribute and character of the original survived the allow-list.
    """
    try:
        cleaned = _CLEANER.clean(html)
    except UnicodeEncodeError:  # a lone surrogate (a YAML "\\udc80" escape) cannot reach the parser
        cleaned = _CLEANER.clean(_SURROGATE.sub("\ufffd", html))
    if cleaned == html or cleaned == _as_html5ever_writes(html):
        return html
    return cleaned
