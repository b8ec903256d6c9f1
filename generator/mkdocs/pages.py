"""A planned page as MkDocs holds it: our HTML and contents, with no Markdown read or converted.

MkDocs' ``Page.render`` builds a ``markdown.Markdown`` for every page (about 1 ms before it
converts anything) and converts the page's Markdown: 60% of a build, spent on tables of links
that were structured data all along. A :class:`GeneratedPage` is given its HTML, its table of
contents and its front matter by our renderer instead; everything after that is MkDocs' and
Material's as before (``on_page_content``, the search plugin, the theme's templates).
"""

from __future__ import annotations

from typing import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..site.render import RenderedPage


class GeneratedPage(Page):
    """A page whose source is a call to our renderer, not a Markdown file."""

    source: Callable[[], RenderedPage]
    generated_title: str
    _rendered: RenderedPage | None

    def read_source(self, config: MkDocsConfig) -> None:
        self._rendered = self.source()
        self.markdown = ""  # no Markdown: MkDocs only checks that it was read
        # Our pages name themselves (safe_title in plugin.py), as front matter would.
        self.meta = {**self._rendered.meta, "title": self.generated_title}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """What ``Page.render`` sets, from what the renderer made."""
        rendered = self._rendered if self._rendered is not None else self.source()
        self._rendered = None  # MkDocs keeps the content; the rest is not needed again
        self.content = rendered.html
        self.toc = get_toc(rendered.toc)  # type: ignore[arg-type]  # toc_tokens' TypedDicts, as dicts
        self._title_from_render = None
        self.present_anchor_ids = rendered.anchors


def generate(page: Page, source: Callable[[], RenderedPage], title: str) -> GeneratedPage:
    """Turn the Page MkDocs made for a planned page into a GeneratedPage, in place."""
    page.__class__ = GeneratedPage
    assert isinstance(page, GeneratedPage)
    page.source = source
    page.generated_title = title
    page._rendered = None
    return page
