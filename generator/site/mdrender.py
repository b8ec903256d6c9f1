"""TRANSITIONAL (removed once every template is HTML): Stage 6, render: Jinja2 templates from ``theme/pages`` -> Markdown pages.

Templates produce Markdown so MkDocs and Material do what they do best (tables, search,
navigation). Everything a user wrote passes through an escaping filter, so a ``|`` in a title
cannot break a table and a ``<`` cannot become markup. ``StrictUndefined`` makes a missing
value fail the build rather than silently leave a blank on an inspector's page.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from typing import Any

import jinja2

from .. import resources
from ..format.people import Person
from ..format.records import Record
from ..format.values import CATEGORY_TITLES
from ..judge.assess import FLAG_TITLES, STATUS_TITLES, flag_reasons
from . import dashboards, plan
from .charts import measure_svg

#: Markup characters as entities, and Markdown's special characters behind a backslash: one
#: pass of str.translate, since this runs for nearly every value on every page.
_MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in "\\`*_{}[]()#+!|~"}})
_HEADING = re.compile(r"^(#{1,6})(\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def md(value: Any) -> str:
    """Escape user text for inline Markdown: it shows exactly as written, never as markup."""
    if value is None:
        return ""
    return str(value).translate(_MD_ESCAPES)


def cell(value: Any) -> str:
    """Escape user text for a table cell (one line, no bare ``|``)."""
    return " ".join(md(value).split())


def body(text: str, shift: int = 1) -> str:
    """A record's own Markdown, with headings moved down so the page keeps one title."""
    out, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced:
            match = _HEADING.match(line)
            if match:
                level = min(6, len(match.group(1)) + shift)
                line = "#" * level + line[len(match.group(1)):]
        out.append(line)
    return "\n".join(out).strip()


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def relative(uri: str, folder: str) -> str:
    """``posixpath.relpath(uri, folder or ".")`` for the clean relative uris of a site, without
    its ``abspath`` calls (links are the most frequent thing a page renders)."""
    if uri.startswith("/") or ".." in uri or folder.startswith("/") or ".." in folder:
        return posixpath.relpath(uri, folder or ".")
    start = [part for part in folder.split("/") if part and part != "."]
    path = [part for part in uri.split("/") if part and part != "."]
    common = 0
    for a, b in zip(start, path):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start) - common) + path[common:]
    return "/".join(parts) if parts else "."


class MarkdownRenderer:
    """Renders one page at a time; ``link`` works out relative links from the page being rendered."""

    def __init__(self, uri_of: dict[str, str], owners: str = "names"):
        self.uri_of = uri_of  # record key -> page uri (Markdown source path)
        self.owners = owners
        loader = jinja2.FileSystemLoader(str(resources.theme_dir() / "pages"))
        self.env = jinja2.Environment(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a Renderer lives for one build: no stat() of the template per page
        )
        self.env.filters.update(md=md, cell=cell, body=body, iso=iso, person=self.person)
        self.env.globals.update(
            link=self.link, FLAG_TITLES=FLAG_TITLES, STATUS_TITLES=STATUS_TITLES, CATEGORY_TITLES=CATEGORY_TITLES,
            chart=measure_svg, timeline=dashboards.timeline, why=self.why, owner_uri=plan.owner_uri,
            flag_uri=plan.flag_uri, status_uri=plan.status_uri, risk_uri=plan.risk_uri, DASHBOARDS=plan.DASHBOARDS,
            statement_uri=plan.statement_uri,
        )

    @staticmethod
    def why(portfolio: Any, action: Any) -> dict[str, str]:
        """Why each of an action's flags holds, for its page."""
        return flag_reasons(action, portfolio.state(action), portfolio.as_of, portfolio.config.thresholds)

    def person(self, value: Person | None) -> str:
        if value is None:
            return ""
        return cell(value.display_as(self.owners))

    @jinja2.pass_context
    def link(self, context: jinja2.runtime.Context, target: Record | str) -> str:
        """A relative link from the page being rendered to a record or a page uri."""
        here = context["page_uri"]
        uri = self.uri_of[target.key] if isinstance(target, Record) else target
        return relative(uri, here.rpartition("/")[0])  # the page's folder (its uri has no "//")

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.env.get_template(template).render(context)
