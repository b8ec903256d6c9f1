"""A page's headings: their ids and its table of contents, as Python-Markdown's ``toc`` made them.

Our pages are written as HTML, so no Markdown parser walks them to give each heading an id and
the page its table of contents (Material's "On this page" and the search index's sections).
:class:`PageOutline` does it as the page is rendered, the way the ``toc`` extension did over the
whole page: ids from the site's own ``slugify`` and ``separator``, unique on the page in document
order (``x``, ``x_1``, ...), a permalink when ``mkdocs.yml`` asks for one, and the tokens nested
as ``toc_tokens`` are, so MkDocs' ``page.toc`` is what it was.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Callable

from markdown.extensions.toc import TocExtension, TocTreeprocessor, nest_toc_tokens, strip_tags, unique
from markupsafe import Markup

#: An attribute value as Python-Markdown's serializer writes it (an entity's ``&`` is kept).
_AMP = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.I)


def attribute(value: str) -> str:
    """``value`` escaped for a double-quoted attribute, as Python-Markdown escapes it."""
    if "&" in value:
        value = _AMP.sub("&amp;", value)
    return value.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass(frozen=True)
class TocSettings:
    """The ``toc`` extension's options in ``mkdocs.yml`` that shape a heading and the contents."""

    slugify: Callable[[str, str], str]
    separator: str
    base_level: int  # added to a heading's level (``baselevel`` - 1)
    toc_top: int
    toc_bottom: int
    permalink: bool | str
    permalink_class: str
    permalink_title: str
    permalink_leading: bool
    anchorlink: bool
    anchorlink_class: str

    @classmethod
    def from_config(cls, options: dict[str, Any] | None) -> TocSettings:
        """From ``mdx_configs['toc']``; the extension itself parses them, so they mean what they meant."""
        toc = TocTreeprocessor(None, TocExtension(**(options or {})).getConfigs())  # type: ignore[arg-type]
        return cls(
            slugify=toc.slugify, separator=toc.sep, base_level=toc.base_level, toc_top=toc.toc_top,
            toc_bottom=toc.toc_bottom, permalink=toc.use_permalinks or False, permalink_class=toc.permalink_class,
            permalink_title=toc.permalink_title, permalink_leading=bool(toc.permalink_leading),
            anchorlink=bool(toc.use_anchors), anchorlink_class=toc.anchorlink_class,
        )


DEFAULT_TOC = TocSettings.from_config(None)


class PageOutline:
    """The headings of one page being rendered, in document order."""

    def __init__(self, settings: TocSettings = DEFAULT_TOC) -> None:
        self.settings = settings
        self.ids: set[str] = set()
        self.tokens: list[dict[str, Any]] = []  # flat, in order; nested by ``toc``

    def heading(self, level: int, inner: str, *, id: str | None = None, exclude: bool = False) -> Markup:
        """``<hN id="...">inner</hN>``: ``inner`` is HTML (escaped text or our own markup).

        ``exclude`` writes ``data-search-exclude="1"``, as ``{ data-search-exclude="1" }`` did: the
        search plugin leaves the section out of its index, then drops the attribute from the page.
        """
        s = self.settings
        inner = str(inner)  # plain text from here: Markup would escape what is added to it
        level = min(6, level + s.base_level)
        name = strip_tags(inner)
        if id is None:
            id = self.unique(s.slugify(html.unescape(name), s.separator))
        else:
            self.ids.add(id)
        if s.toc_top <= level <= s.toc_bottom:
            self.tokens.append({"level": level, "id": id, "name": name, "html": inner, "data-toc-label": ""})
        href = attribute("#" + id)
        if s.anchorlink:
            inner = f'<a class="{attribute(s.anchorlink_class)}" href="{href}">{inner}</a>'
        if s.permalink:
            text = "&para;" if s.permalink is True else html.escape(str(s.permalink), quote=False)
            title = f' title="{attribute(s.permalink_title)}"' if s.permalink_title else ""
            link = f'<a class="{attribute(s.permalink_class)}" href="{href}"{title}>{text}</a>'
            inner = link + inner if s.permalink_leading else inner + link
        extra = ' data-search-exclude="1"' if exclude else ""
        return Markup(f'<h{level}{extra} id="{attribute(id)}">{inner}</h{level}>')

    def unique(self, id: str) -> str:
        """``id``, or ``id_1``, ``id_2``... if the page has it already (the ``toc`` extension's rule)."""
        return unique(id, self.ids)

    def add_token(self, token: dict[str, Any]) -> None:
        """A heading of a user's text (generator/site/usertext.py), already given its page id."""
        self.tokens.append(token)

    def toc_tokens(self) -> list[dict[str, Any]]:
        """The tokens nested as ``markdown.Markdown.toc_tokens`` are (MkDocs' ``get_toc`` reads them)."""
        return nest_toc_tokens([dict(token) for token in self.tokens])  # type: ignore[misc, return-value]
