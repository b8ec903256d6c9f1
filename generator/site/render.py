"""Stage 6, render: Jinja2 templates from ``theme/pages`` -> each page's HTML and its contents.

Pages are written straight to HTML: the tables, lists and links of a page were structured data
all along, and putting them through Markdown cost 60% of a build. Only what users wrote in
Markdown (narratives, minutes, notes) is converted by Python-Markdown, once per text
(generator/site/usertext.py). MkDocs and Material still wrap every page (generator/mkdocs/pages.py).

Every value a template writes is escaped (``autoescape``); our own fragments are ``Markup``.
``StrictUndefined`` makes a missing value fail the build rather than silently leave a blank on
an inspector's page. Rendering is a function of (template, context, urls) and the Renderer's
caches, so pages can be rendered in any order, in any process.
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2
from markupsafe import Markup

from .. import resources
from ..format.people import Person
from ..format.records import Record
from ..format.values import CATEGORY_TITLES
from ..judge.assess import FLAG_TITLES, STATUS_TITLES, flag_reasons
from ..judge.assurance import checks_by_id
from . import dashboards, glance, plan
from .assurance_plan import check_uri
from .charts import measure_svg
from .headings import PageOutline, TocSettings, attribute
from .trends_plan import GLOBALS as TREND_GLOBALS
from .usertext import UserText

#: Text as Python-Markdown wrote it (``&``, ``<``, ``>``), and ``"`` too, so a value is also safe
#: in an attribute: one pass of str.translate, since this runs for nearly every value on a page.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(value: Any) -> Markup:
    """A value as HTML text: shown exactly as written, never as markup."""
    if hasattr(value, "__html__"):
        return Markup(value)
    return Markup(str(value).translate(_ESCAPES))


def text(value: Any) -> str:
    """A user's value as it reads (``None`` is empty); the template escapes it."""
    return "" if value is None else str(value)


def cell(value: Any) -> str:
    """A user's value for a table cell: one line, as a Markdown table cell was."""
    return " ".join(text(value).split())


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def page_url(uri: str) -> str:
    """A page's url when MkDocs' urls are not known (``use_directory_urls: false``)."""
    return uri[:-3] + ".html" if uri.endswith(".md") else uri


def _parts(url: str) -> list[str]:
    """mkdocs.utils._norm_parts: a url's folders and name, normalised."""
    path = posixpath.normpath("/" + url.lstrip("/"))[1:]
    return path.split("/") if path else []


@dataclass
class RenderedPage:
    """One page as our templates made it: the article's HTML, its contents and front matter."""

    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)  # nested like Markdown's toc_tokens
    meta: dict[str, Any] = field(default_factory=dict)  # what a Markdown page's front matter said

    @property
    def anchors(self) -> set[str]:
        found: set[str] = set()
        stack = list(self.toc)
        while stack:
            token = stack.pop()
            found.add(token["id"])
            stack.extend(token.get("children") or ())
        return found


class _Page:
    """What a template needs of the page it is rendering: where it is, and its headings."""

    def __init__(self, uri: str, url: str, outline: PageOutline) -> None:
        self.uri = uri
        self.url = url
        self.outline = outline
        folder, _, name = url.rpartition("/")
        self.base = _parts(folder if "." in name else url)  # as mkdocs.utils.get_relative_url


class Renderer:
    """Renders one page at a time.

    ``uri_of``: record key -> its page's uri. ``urls``: every published file's uri -> its url
    (MkDocs' ``File.url``); without it, pages' urls are as with ``use_directory_urls: false``.
    ``markdown_extensions`` and ``mdx_configs``: the site's, for users' own Markdown and the ids
    of headings.
    """

    def __init__(
        self, uri_of: dict[str, str], owners: str = "names", urls: dict[str, str] | None = None,
        markdown_extensions: list[Any] | None = None, mdx_configs: dict[str, Any] | None = None,
        link_levels: tuple[int, int] = (logging.WARNING, logging.INFO),
    ):
        self.uri_of = uri_of  # record key -> page uri (Markdown source path)
        self.owners = owners
        self.urls = urls
        configs = mdx_configs or {}
        self.toc = TocSettings.from_config(configs.get("toc"))
        self.usertext = UserText(markdown_extensions, configs, *link_levels)
        self._parts: dict[str, list[str]] = {}
        loader = jinja2.FileSystemLoader(str(resources.theme_dir() / "pages"))
        self.env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            finalize=escape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a Renderer lives for one build: no stat() of the template per page
        )
        self.env.filters.update(text=text, cell=cell, iso=iso, person=self.person)
        self.env.globals.update(
            link=self.link, h=self.heading, body=self.body, FLAG_TITLES=FLAG_TITLES, STATUS_TITLES=STATUS_TITLES,
            CATEGORY_TITLES=CATEGORY_TITLES, chart=self.chart, timeline=dashboards.timeline, why=self.why,
            owner_uri=plan.owner_uri, flag_uri=plan.flag_uri, status_uri=plan.status_uri, risk_uri=plan.risk_uri,
            DASHBOARDS=plan.DASHBOARDS, statement_uri=plan.statement_uri,
            CHECKS=checks_by_id(), check_uri=check_uri, check_ids_of=glance.check_ids_of, heat_scale=glance.heat_scale,
        )
        self.env.globals.update(TREND_GLOBALS)  # an extension (issue 18): trends and measures' charts

    @staticmethod
    def why(portfolio: Any, action: Any) -> dict[str, str]:
        """Why each of an action's flags holds, for its page."""
        return flag_reasons(action, portfolio.state(action), portfolio.as_of, portfolio.config.thresholds)

    @staticmethod
    def chart(measure: Any, as_of: date) -> Markup:
        return Markup(measure_svg(measure, as_of))  # our SVG; its labels are escaped there

    def person(self, value: Person | None) -> str:
        if value is None:
            return ""
        return cell(value.display_as(self.owners))

    def url_of(self, uri: str) -> str:
        if self.urls is None:
            return page_url(uri)
        return self.urls.get(uri, uri)  # not published: left as written, as MkDocs leaves it

    @jinja2.pass_context
    def link(self, context: jinja2.runtime.Context, target: Record | str) -> Markup:
        """A link from the page being rendered to a record or a uri (``#anchor`` kept), as its url."""
        page: _Page = context["_page"]
        uri = self.uri_of[target.key] if isinstance(target, Record) else target
        uri, hash, anchor = uri.partition("#")
        url = self.url_of(uri)
        dest = self._parts.get(url)
        if dest is None:
            dest = self._parts[url] = _parts(url)
        base = page.base
        common = 0
        for a, b in zip(base, dest):
            if a != b:
                break
            common += 1
        href = "/".join([".."] * (len(base) - common) + dest[common:]) or "."
        if url.endswith("/"):
            href += "/"
        return Markup(attribute(href + hash + anchor))

    @jinja2.pass_context
    def heading(self, context: jinja2.runtime.Context, level: int, title: Any, id: str | None = None, exclude: bool = False) -> Markup:
        """``<hN id=...>``, its id as Python-Markdown's toc made it, and the page's contents."""
        return context["_page"].outline.heading(level, escape(title), id=id, exclude=exclude)

    @jinja2.pass_context
    def body(self, context: jinja2.runtime.Context, source: str, shift: int = 1) -> Markup:
        """A record's own Markdown as HTML, headings moved ``shift`` levels down."""
        page: _Page = context["_page"]
        converted = self.usertext.convert(source, shift)
        return self.usertext.place(converted, page.outline, page.uri, page.url, self.urls or {})

    def render(self, template: str, context: dict[str, Any]) -> RenderedPage:
        """One page: ``context["page_uri"]`` says which. Its HTML is stripped, as Markdown's was."""
        page = self._page(context["page_uri"])
        module = self.env.get_template(template).make_module({**context, "_page": page})
        meta = getattr(module, "meta", None)  # a template's {% set meta = ... %}: its front matter
        return RenderedPage(str(module).strip(), page.outline.toc_tokens(), dict(meta) if meta else {})

    def render_string(self, source: str, page_uri: str, **context: Any) -> str:
        """A template given as text, rendered as if on page ``page_uri`` (tests, snippets)."""
        return self.env.from_string(source).render(context, page_uri=page_uri, _page=self._page(page_uri))

    def _page(self, uri: str) -> _Page:
        return _Page(uri, self.url_of(uri), PageOutline(self.toc))
