"""The last look at what a site publishes: no page may ask another host for anything, or run a
script the theme does not ship.

Spec 5: "No request to any other host when a page is opened". A regex over the bytes is easy to
get round (entities, ``srcset``, ``<base>``, ``<svg><image>``, CSS escapes...), so every page is
read the way a browser reads it: :class:`html.parser.HTMLParser` with entities decoded, then every
attribute of every element, every ``<style>`` and ``style=`` and every nested document
(``<iframe srcdoc>``, and, to stay on the safe side of any difference between this parser and a
browser's, the text of comments and of raw-text elements) is looked at.

- An address a page *loads* (``src``, ``srcset``, ``poster``, ``data``, ``action``, ``ping``, CSS
  ``url()`` and strings...) must stay inside the site: no scheme, no ``//host``, no ``data:``
  or ``javascript:``. Addresses are read as the WHATWG URL parser reads them: leading controls
  and spaces dropped, tabs and line breaks removed anywhere, ``\\`` as ``/``.
- A link the reader clicks (``<a href>``) may go to another web site (``https:``, ``mailto:``,
  ``tel:``): nothing is asked of that host when the page opens.
- ``<base>`` is refused whatever it says: it moves every relative address of the page (Material's
  own bundle included) to wherever it points.
- A script runs only if it is the theme's own: Material's inline scripts (read from Material's
  templates, so an upgrade keeps working) and ``<script src>`` files of the theme's folder; no
  ``on*`` handler at all. ``lastlook.site_findings`` checks those files are the theme's own bytes.

Each finding is ``(line, what, address)``, ``what`` one of :data:`KINDS`.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import posixpath
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

OUTSIDE = "a request to another host"
SCRIPT = "a script"
DATA = "a data: address"
BASE = "a <base> element"
NESTED = "markup nested too deeply to check"
THEME_FILE = "a script in the theme's folder that is not the theme's"
UNREADABLE = "markup this check cannot read"
KINDS = frozenset({OUTSIDE, SCRIPT, DATA, BASE, NESTED, THEME_FILE, UNREADABLE})

Finding = tuple[int, str, str]

#: Where Material's own files are published (``privacy.THEME_ASSETS`` names the same folders).
MATERIAL_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
#: Files read as markup (a browser renders them when opened, even from an attachment link).
MARKUP = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".mht", ".mhtml")
_MAX_DEPTH = 6

# -- addresses ---------------------------------------------------------------------------------

_STRIP = "".join(chr(c) for c in range(0x21)) + "`"  # C0 controls, space, and IE's back-tick quotes
_TABS = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SPECIAL = frozenset({"http", "https", "ftp", "ws", "wss", "file"})
_SCRIPTING = frozenset({"javascript", "vbscript", "livescript"})
_FOLLOWED = frozenset({"http", "https", "mailto", "tel"})


def normalise(value: str) -> str:
    """An address as the URL parser reads it: ends stripped, tabs and breaks gone, ``\\`` as ``/``."""
    value = value.strip(_STRIP)
    if "\t" in value or "\n" in value or "\r" in value:
        value = _TABS.sub("", value)
    return value.replace("\\", "/") if "\\" in value else value


def _scheme(address: str) -> str | None:
    """``//`` for a protocol-relative address, the lower-cased scheme, or None (relative)."""
    if address.startswith("//"):
        return "//"
    match = _SCHEME.match(address)
    return match.group(1).lower() if match else None


def loaded(value: str, strict: bool = True) -> str | None:
    """What is wrong with loading ``value`` from a page, or None if it stays inside the site.

    ``strict``: the value is an address (any scheme leaves the site); otherwise it is text that
    may merely look like one, and only the web's own schemes and ``//host`` count.
    """
    scheme = _scheme(normalise(value))
    if scheme is None:
        return None
    if scheme == "//" or scheme in _SPECIAL:
        return OUTSIDE
    if scheme in _SCRIPTING:
        return SCRIPT
    if scheme == "data":
        return DATA
    return OUTSIDE if strict else None


def followed(value: str) -> str | None:
    """What is wrong with a link the reader clicks: only web, mail and phone links leave the site."""
    scheme = _scheme(normalise(value))
    if scheme is None or scheme in _FOLLOWED:
        return None
    return loaded(value)


_PIECES = re.compile(r"[\s,;='\"]+")


def pieces(value: str) -> list[str]:
    """Every part of a list of addresses (``srcset``, ``ping``, ``archive``, a refresh's content)
    that could be one: split more finely than a browser would, and split again with tabs and
    line breaks taken out first (a refresh's address may hold them, as any address may)."""
    found = [p for p in _PIECES.split(value) if p]
    if "\t" in value or "\n" in value or "\r" in value:
        found += [p for p in _PIECES.split(_TABS.sub("", value)) if p]
    return found


# -- CSS ---------------------------------------------------------------------------------------

_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\n)|(.))", re.S)
_CSS_TOKEN = re.compile(
    r"""/\*.*?(?:\*/|\Z)"""
    r"""|"((?:[^"\\\n]|\\.|\\\Z)*)(?:"|(?=\n)|\Z)"""
    r"""|'((?:[^'\\\n]|\\.|\\\Z)*)(?:'|(?=\n)|\Z)"""
    r"""|\(([^()"']*)"""
    r"""|@namespace\b[^;{}]*""",
    re.S | re.I,
)


def css_unescape(text: str) -> str:
    """CSS escapes decoded: ``\\68 ttps`` is ``https``; an escaped line break joins lines."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match.group(2) else match.group(3)

    return _CSS_ESCAPE.sub(one, text)


def css_requests(css: str, first_line: int = 1) -> list[Finding]:
    """Every address a style sheet would load from outside the site: in any string (``@import``,
    ``image-set``, ``src()``...) and in any parenthesis (``url(...)``, however the name is escaped)."""
    found: list[Finding] = []
    if "(" not in css and '"' not in css and "'" not in css:
        return found
    line, counted = first_line, 0
    for match in _CSS_TOKEN.finditer(css):
        raw = next((g for g in match.groups() if g is not None), None)
        if raw is None:
            continue  # a comment, or a namespace's name (never loaded)
        value = css_unescape(raw).strip()
        what = loaded(value, strict=False)
        if what is not None:
            line += css.count("\n", counted, match.start())
            counted = match.start()
            found.append((line, what, _shown(value)))
    return found


def _shown(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- the theme's own scripts ----------------------------------------------------------------------

@cache
def material_dir() -> Path:
    """Material's templates (its partials and its ``assets/``), found without importing it."""
    spec = importlib.util.find_spec("material")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0]).resolve() / "templates" if folders else Path("/nonexistent")


@cache
def theme_scripts() -> tuple[re.Pattern[str], ...]:
    """Material's inline scripts, exactly as its templates write them; a ``{{ ... }}`` (the site's
    base address) may be any text that cannot end the script's string. ``analytics.html`` only
    calls a provider's loader, if there is one; the loaders themselves ask another host."""
    partials = material_dir() / "partials"
    patterns = []
    for template in [*sorted((partials / "javascripts").glob("*.html")), partials / "integrations" / "analytics.html"]:
        if not template.is_file():
            continue
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.S):
            parts = re.split(r"\{\{.*?\}\}", body)
            patterns.append(re.compile(r"[^\"'\\<>\r\n]*".join(re.escape(p) for p in parts)))
    return tuple(patterns)


def _own_script(text: str) -> bool:
    return any(p.fullmatch(text) for p in theme_scripts())


def _config_script(text: str) -> list[str]:
    """Material's ``__config`` (JSON, never run): the addresses it holds, if any leave the site."""
    try:
        data = json.loads(text)
    except ValueError:
        return ["'__config' is not JSON"]
    bad: list[str] = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and loaded(value, strict=key in ("base", "search")):
            bad.append(value)

    walk(data)
    return bad


# -- pages -------------------------------------------------------------------------------------

#: Attributes whose value is one address the browser loads (on any element).
_LOADS = frozenset({
    "href", "src", "action", "formaction", "poster", "data", "background", "cite", "longdesc", "manifest",
    "icon", "codebase", "lowsrc", "dynsrc", "code", "classid", "profile", "usemap", "xlink:href", "datasrc",
})
#: Attributes holding several addresses (or an address among other words).
_LISTS = frozenset({"srcset", "imagesrcset", "ping", "archive"})
#: Text shown to the reader, never fetched.
_TEXT = frozenset({"title", "alt", "placeholder", "label", "summary", "abbr", "datetime"})
#: ``<link rel>`` values that name a page without fetching it.
_SAFE_RELS = frozenset({"canonical", "alternate", "author", "license", "help", "bookmark", "me"})
_ANIMATION = frozenset({"animate", "set", "animatemotion", "animatetransform"})
_LINKS = frozenset({"a", "area"})


def _judged(tag: str, attrs: list[tuple[str, str | None]]) -> list[Finding]:
    """What is wrong with one start tag's attributes (``srcdoc`` aside), each with its line
    counted from the tag's. Pages repeat the same tags many times: see :func:`_judge`."""
    found: list[Finding] = []
    if tag == "base":  # whatever it says: every relative address of the page would follow it
        found.append((0, BASE, "<base " + " ".join(f'{k}="{v or ""}"' for k, v in attrs) + ">"))
        attrs = [(k, v) for k, v in attrs if k not in ("href", "target")]
    rels: set[str] = set()
    if tag == "link":
        rels = {r for v in (v for k, v in attrs if k == "rel" and v) for r in v.lower().split()}
    for name, value in attrs:
        what: str | None
        if name.startswith("on") or (name == "attributename" and tag in _ANIMATION and (value or "").lower().startswith("on")):
            found.append((0, SCRIPT, f'{name}="{value or ""}"'))  # a handler, or an animation that sets one
            continue
        if value is None or name.startswith(("xmlns", "aria-")) or name in _TEXT or name == "srcdoc":
            continue
        if name == "style":
            found.extend(css_requests(value, 0))
            continue
        if name == "xml:base":
            found.append((0, BASE, f'xml:base="{value}"'))
            continue
        if name in ("href", "xlink:href") and (tag in _LINKS or (tag == "link" and rels and rels <= _SAFE_RELS)):
            what = followed(value) if tag in _LINKS else None
        elif name in _LOADS:
            what = loaded(value)
        elif name in _LISTS or (tag == "meta" and name == "content" and any(k == "http-equiv" for k, _ in attrs)) or (
            tag in _ANIMATION and name in ("to", "from", "by", "values")
        ):
            what, value = next(((w, p) for p in pieces(value) for w in [loaded(p)] if w), (None, value))
        else:
            what = loaded(value, strict=False)
        if what is not None:
            found.append((0, what, _shown(value)))
        elif "(" in value:  # SVG paints, filters, masks and cursors take CSS url()
            found.extend(css_requests(value, 0))
    if tag == "a" and any(k == "data-md-component" and v == "source" for k, v in attrs):
        address = next((v for k, v in attrs if k == "href" and v), "")
        if loaded(address):  # Material's bundle asks that host for the repository's facts
            found.append((0, OUTSIDE, _shown(address)))
    return found


_JUDGED: dict[tuple[Any, ...], list[Finding]] = {}
#: An address of another host written out in a script (Google Analytics' loader, say).
_SCRIPT_ADDRESS = re.compile(r"(?:https?:)?//[a-zA-Z0-9][\w.-]*\.[a-zA-Z]{2,}[^\s\"'`)]*")
#: Where a page may be cut into pieces: before a line that starts with a tag.
_CUT = re.compile(r"\n(?=[ \t]*<[a-zA-Z])")
#: What a piece of a page gave, by digest of (folder, piece): about 110 bytes an entry.
_PIECES_READ: dict[bytes, tuple[Finding, ...]] = {}
_PIECES_KEPT = 200_000


def _judge(tag: str, attrs: list[tuple[str, str | None]]) -> list[Finding]:
    key = (tag, *attrs)
    judged = _JUDGED.get(key)
    if judged is None:
        if len(_JUDGED) >= 50_000:
            _JUDGED.clear()
        judged = _JUDGED[key] = _judged(tag, attrs)
    return judged


class _Look(HTMLParser):
    """One document read as a browser would; findings collected in ``found``."""

    # Every raw-text element, not only script and style: their text is read again as markup.
    CDATA_CONTENT_ELEMENTS = (  # type: ignore[misc]  # final in the stubs; the parser reads it from self
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
    )

    def __init__(self, text: str, found: list[Finding], page: str, first_line: int, depth: int):
        super().__init__(convert_charrefs=True)
        self.text, self.found, self.page, self.first_line, self.depth = text, found, page, first_line, depth
        self.base = self.at = 0  # where the parser's buffer starts in ``text``; where it is
        self.raw: list[str] = []  # text of the raw-text element being read
        self.raw_at = 0
        self.script: dict[str, str | None] | None = None  # attributes of the <script> being read
        self.counted = (0, 0)  # (offset, line breaks before it)

    def run(self) -> None:
        text = self.text
        if self.depth or len(text) < 8192:
            self.feed(text)
        else:
            folder, start = posixpath.dirname(self.page) + "\0", 0
            for cut in _CUT.finditer(text):
                self.segment(folder, start, cut.end())
                start = cut.end()
            self.segment(folder, start, len(text))
        self.base = len(text) - len(self.rawdata)
        self.close()
        if self.cdata_elem is not None:  # never closed: the rest of the document is its text
            self.raw.append(self.rawdata)
            self.rawdata = ""
            self.end_raw(self.cdata_elem)

    def clean(self) -> bool:
        """Between two whole tokens, in no raw-text element: what follows is read the same from here."""
        return not self.rawdata and self.cdata_elem is None and not self.raw and self.script is None

    def segment(self, folder: str, start: int, end: int) -> None:
        """Read ``text[start:end]``. A piece read before from the same state in the same folder (the
        theme's header, navigation and footer, the same on every page) gives what it gave then;
        from that state, this parser reads the same characters the same way."""
        piece, key = self.text[start:end], None
        if self.clean():
            key = hashlib.blake2b((folder + piece).encode("utf-8", "surrogatepass"), digest_size=20).digest()
            known = _PIECES_READ.get(key)
            if known is not None:
                if known:
                    first = self.line(start)
                    self.found.extend((first + delta, what, found) for delta, what, found in known)
                return
        before = len(self.found)
        self.base = start - len(self.rawdata)
        self.feed(piece)
        if key is not None and self.clean():
            first = self.line(start) if len(self.found) > before else 0
            if len(_PIECES_READ) >= _PIECES_KEPT:
                _PIECES_READ.clear()
            _PIECES_READ[key] = tuple((line - first, what, found) for line, what, found in self.found[before:])

    # -- positions: counted only when something is found (counting every tag's lines is slow)
    def updatepos(self, i: int, j: int) -> int:
        self.at = self.base + j
        return j

    def line(self, at: int | None = None) -> int:
        at = self.at if at is None else at
        if at < self.counted[0]:
            self.counted = (0, 0)
        counted, lines = self.counted
        lines += self.text.count("\n", counted, at)
        self.counted = (at, lines)
        return self.first_line + lines

    def add(self, line: int, what: str, text: str) -> None:
        self.found.append((line, what, _shown(text)))

    def nested(self, text: str, line: int) -> None:
        """Text a browser may read as markup: read it as a document of its own."""
        if "<" not in text:
            return
        if self.depth >= _MAX_DEPTH:
            self.add(line, NESTED, text)
            return
        look_at(text, self.found, self.page, line, self.depth + 1)

    # -- elements
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        judged = _judge(tag, attrs)
        if judged:
            line = self.line()
            self.found.extend((line + delta, what, text) for delta, what, text in judged)
        if tag == "script":
            self.script = dict(attrs)
            for name in ("src", "href", "xlink:href"):  # an SVG script's file is its href
                if name in self.script:
                    self.script["src"] = self.script[name]
                    self.script_file(self.script[name] or "")
        for name, value in attrs:
            if name == "srcdoc" and value:  # a document of its own, entities decoded once already
                self.nested(value, self.line())
        if tag in self.CDATA_CONTENT_ELEMENTS:
            self.raw, self.raw_at = [], self.at

    def script_file(self, src: str) -> None:
        """A script file runs only from the theme's own folder (whose bytes :func:`site_findings` checks)."""
        address = normalise(src)
        if loaded(address) is not None or not address:
            return  # reported as an address already (an empty one runs nothing)
        path = unquote(urlsplit(address).path)
        if path.startswith("/"):  # from the site's root, wherever the site is served
            at = path.find("/" + MATERIAL_ASSETS[0])
            at = at if at >= 0 else max((path.find("/" + own) for own in own_assets()), default=-1)
            path = path[at + 1:] if at >= 0 else path.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), path))
        if not (path.startswith(MATERIAL_ASSETS[0]) or path in own_assets()):
            self.add(self.line(), SCRIPT, f'<script src="{src}">')

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.CDATA_CONTENT_ELEMENTS:  # in HTML, <script/> ends nothing: what follows is its text
            self.set_cdata_mode(tag)

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None:
            self.raw.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.CDATA_CONTENT_ELEMENTS and (self.raw or tag == "script"):
            self.end_raw(tag)

    def end_raw(self, tag: str) -> None:
        text, at = "".join(self.raw), self.raw_at
        self.raw = []
        if tag == "script":
            attrs, self.script = self.script or {}, None
            if "src" in attrs:
                return  # the file runs, not the text
            if attrs.get("id") == "__config" and (attrs.get("type") or "").lower() == "application/json" and len(attrs) == 2:
                for address in _config_script(text):
                    self.add(self.line(at), OUTSIDE, address)
            elif text.strip() and not _own_script(text):  # named by the host it asks, if it says
                asks = _SCRIPT_ADDRESS.search(text)
                self.add(self.line(at), *((OUTSIDE, asks.group(0)) if asks else (SCRIPT, "<script>" + text)))
            return
        if tag == "style":
            self.found.extend(css_requests(text, self.line(at)))
            if "&" in text:  # inside <svg>, a style's entities are decoded
                self.found.extend(css_requests(html.unescape(text), self.line(at)))
        if "<" in text:
            self.nested(text, self.line(at))

    # -- what browsers read as comments (this parser and a browser may end them differently)
    def handle_comment(self, data: str) -> None:
        self.nested(data, self.line())

    def unknown_decl(self, data: str) -> None:
        self.nested(data, self.line())

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![name[ ... ]]>``: a name the standard library does not know makes it raise; a
        browser reads any of them as a comment up to the next ``>``."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.unknown_decl(self.rawdata[i + 3:end])
            return end + 1

    def handle_pi(self, data: str) -> None:
        """``<?xml-stylesheet href=...?>`` loads a style sheet when an XML or SVG file is opened."""
        self.nested("<" + data.rstrip("?") + ">", self.line())


def look_at(text: str, found: list[Finding], page: str = "", first_line: int = 1, depth: int = 0) -> None:
    look = _Look(text, found, page, first_line, depth)
    try:
        look.run()
    except Exception as exc:  # noqa: BLE001 - markup the parser cannot read is not passed as clean
        found.append((look.line(), UNREADABLE, f"{exc.__class__.__name__}: {exc}"))


def outside_requests(html_text: str, page: str = "") -> list[Finding]:
    """(line, what, address) for everything in a page that asks another host for something, or
    runs a script that is not the theme's own, in order. ``page``: its path in the site, to tell
    which folder a ``<script src>`` is in."""
    found: list[Finding] = []
    look_at(html_text, found, page)
    return sorted(set(found))


# -- files -------------------------------------------------------------------------------------

_SEARCH_TAG = re.compile(r"<(?!/?(?:p|li|ul|ol|code|pre|strong|em|b|i|mark|table|thead|tbody|tr|th|td|br|hr|blockquote|h[1-6])>)", re.I)
_INDEX_PREFIX = "var __index = "


def search_index_requests(text: str, as_script: bool) -> list[Finding]:
    """Material's search shows each result's text as HTML: read every entry's text as a page."""
    if as_script:
        if not text.startswith(_INDEX_PREFIX):
            return [(1, SCRIPT, "search/search_index.js is not the search index Material writes")]
        text = text[len(_INDEX_PREFIX):]
    try:
        data = json.loads(text)
    except ValueError:
        return [(1, SCRIPT, "search/search_index.js is not the search index Material writes")] if as_script else []
    found: list[Finding] = []
    docs = data.get("docs", []) if isinstance(data, dict) else []
    for doc in docs if isinstance(docs, list) else []:
        for key in ("title", "text"):
            value = doc.get(key) if isinstance(doc, dict) else None
            if isinstance(value, str) and _SEARCH_TAG.search(value):  # only bare, harmless tags are skipped
                look_at(value, found, "search/", 1)
    return sorted(set(found))


def file_requests(name: str, text: str) -> list[Finding]:
    """The findings of one published file, read as a browser would read it (by its name)."""
    base = name[:-3] if name.endswith(".gz") else name
    low = base.lower()
    if low.endswith(".css"):
        return sorted(set(css_requests(text)))
    if low.endswith(MARKUP) or not base:
        return outside_requests(text, base)
    if low == "search/search_index.json":
        return search_index_requests(text, as_script=False)
    if low == "search/search_index.js":
        return search_index_requests(text, as_script=True)
    return []  # data (JSON, the sitemap's gzip, CSV, text): a page never reads it as markup


# -- the theme's own files -----------------------------------------------------------------------

@cache
def own_assets() -> dict[str, Path]:
    """The generator's own published files (``assets/portfolio-table.js``...), by site path."""
    from .. import resources

    folder = resources.theme_dir() / "overrides"
    return {p.relative_to(folder).as_posix(): p for p in sorted((folder / "assets").rglob("*")) if p.is_file()}
