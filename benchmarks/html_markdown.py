"""Baseline B's pages: the generator's built articles turned back into the Markdown it used to write.

The generator renders its pages straight to HTML (issue 17), so there is no Markdown of its own
left to hand to plain MkDocs. This takes each built page's article and writes the Markdown that
makes it: pipe tables, ``.md`` links between pages, the raw HTML the generator's templates put
in Markdown (status, risk and flag labels, table tools, charts, line breaks in cells) kept as
HTML, heading ids that differ from MkDocs' own slugs kept with ``{ #id }``, and the sections and
pages left out of the search index marked as the templates marked them. Converting is done by
``markdownify`` (the ``bench`` extra), used only by the benchmark.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from markdown.extensions.toc import slugify
from markdownify import MarkdownConverter

def page_link(href: str) -> str:
    """A link between built pages as MkDocs wants it in Markdown (``x.html#a`` -> ``x.md#a``);
    other links (other sites, files, anchors on the page) unchanged."""
    if not href or re.match(r"^[a-z][a-z0-9+.-]*:|^/|^#", href):
        return href
    path, hash_, anchor = href.partition("#")
    if path.endswith(".html"):
        path = path[: -len(".html")] + ".md"
    return path + hash_ + anchor


# How the generator's templates escaped every value they wrote (its ``md`` filter): markup
# characters as entities, Markdown's special characters behind a backslash. Python-Markdown's
# cost depends on them (each backslash is an inline match), so B's text is escaped the same way.
MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_{}[]()#+!|~"}})


class PortfolioMarkdown(MarkdownConverter):
    """markdownify, writing what the generator's Markdown templates wrote."""

    def __init__(self, search_excluded: Collection[str] = (), **options: object) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_misc=False, **options)
        self.search_excluded = set(search_excluded)

    def escape(self, text, parent_tags):  # type: ignore[no-untyped-def]
        if not text or "_noformat" in parent_tags:
            return text or ""
        return text.translate(MD_ESCAPES)

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if el.get("href"):
            el["href"] = page_link(el["href"])
        return super().convert_a(el, text, parent_tags)

    def convert_hN(self, n, el, text, parent_tags):  # type: ignore[no-untyped-def]
        heading = super().convert_hN(n, el, text, parent_tags)
        attributes = []
        ident = el.get("id")
        if ident and ident != slugify(el.get_text(), "-"):
            attributes.append(f"#{ident}")
        if ident in self.search_excluded:
            attributes.append('data-search-exclude="1"')
        if not attributes:
            return heading
        body = heading.rstrip("\n")
        return body + " { " + " ".join(attributes) + " }" + heading[len(body):]

    def convert_br(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return "<br>"

    def convert_td(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return super().convert_td(el, _cell(text), parent_tags)

    def convert_th(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return super().convert_th(el, _cell(text), parent_tags)

    def convert_div(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return "\n\n" + str(el) + "\n\n"

    def convert_svg(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return str(el)

    def convert_span(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return _inline_html(el, text)

    def convert_time(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return _inline_html(el, text)


def _cell(text: str) -> str:
    """A table cell's text: a ``|`` of the text is escaped, not a column break."""
    return re.sub(r"(?<!\\)\|", r"\\|", text.replace("\n", " ").strip())


def _inline_html(el, text: str) -> str:  # type: ignore[no-untyped-def]
    attributes = "".join(
        f' {name}="{html.escape(" ".join(value) if isinstance(value, list) else value)}"' for name, value in el.attrs.items()
    )
    return f"<{el.name}{attributes}>{text}</{el.name}>"


def to_markdown(article: str, search_excluded: Collection[str] = (), page_excluded: bool = False,
                hide_toc: bool = False) -> str:
    """The Markdown of one page's article, with the front matter its template gave it."""
    meta = []
    if hide_toc:
        meta.append("hide:\n  - toc")
    if page_excluded:
        meta.append("search:\n  exclude: true")
    body = PortfolioMarkdown(search_excluded).convert(article).strip() + "\n"
    return ("---\n" + "\n".join(meta) + "\n---\n\n" if meta else "") + body
