"""``portfolio serve`` rebuilds only the pages an edit changed.

A full build puts every page through Markdown and Material's templates and search indexing: with
2,000 actions (4,100 pages) that is about 110 s on the benchmark machine, and it was the cost of
every edit. Between rebuilds, serve keeps a :class:`BuildMemory` of what the last build made:
the portfolio it published, each page as our templates rendered it (its HTML and contents), its
title and inputs (generator/mkdocs/pagedeps.py), each page's search index entries, and every
file the plugin wrote. A rebuild still reads (unchanged files from a cache),
assesses and plans the whole portfolio, then renders only the pages the edit may have changed
(:meth:`BuildMemory.render`), and only the pages whose HTML or title did change are built; every
other page is already in the site, and it would come out the same. A page depends only on its
own HTML and title and on what is on every page (the navigation, the theme,
``mkdocs.yml``, the banner): when any of those changed, every page is built.

Only ``portfolio serve`` uses this; ``portfolio build``, ``mkdocs build`` and ``mkdocs serve``
always build everything.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..judge.model import Portfolio
from ..site.plan import Attachment, PlannedPage
from ..site.portfolio_json import EntryCache
from ..site.render import RenderedPage
from .pagedeps import PageInputs, all_page_inputs, pages_to_render, record_page_uris, touched_records


@dataclass
class BuildMemory:
    """What the last successful build made; ``valid`` is false before one, and during a build."""

    valid: bool = False
    signature: str = ""
    html: dict[str, str] = field(default_factory=dict)  # page uri -> its rendered HTML (our templates')
    pages: dict[str, RenderedPage] = field(default_factory=dict)  # page uri -> as our templates rendered it
    titles: dict[str, str] = field(default_factory=dict)  # page uri -> title
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page url -> its index entries
    search_text: dict[str, str] = field(default_factory=dict)  # page url -> its entries as written in the index
    outputs: set[str] = field(default_factory=set)  # files the plugin put in the site, relative to it
    rebuilt: int = 0  # pages built by the last build, for the serve log
    rendered: int = 0  # pages rendered by the last build (templates run), for the serve log
    portfolio: Portfolio | None = None  # the portfolio the last build published
    attachments: dict[str, Attachment] = field(default_factory=dict)
    inputs: dict[str, PageInputs] = field(default_factory=dict)  # page uri -> what it shows (pagedeps.py)
    json_entries: EntryCache = field(default_factory=dict)  # portfolio.json's entries (site/portfolio_json.py)
    _next: tuple[Portfolio, dict[str, Attachment], dict[str, PageInputs], dict[str, RenderedPage]] | None = None

    def render(
        self, portfolio: Portfolio, attachments: dict[str, Attachment], planned: list[PlannedPage],
        render: Callable[[PlannedPage], RenderedPage],
    ) -> dict[str, RenderedPage]:
        """Every page as our templates render it: rendered for the pages the edit may have
        changed (pagedeps.py), the last build's for the others."""
        inputs = all_page_inputs(planned)
        chosen = {page.uri for page in planned}
        if self.valid and self.portfolio is not None:
            touched = touched_records(self.portfolio, portfolio, self.attachments, attachments)
            if touched is not None:
                keys, added_or_removed = touched
                chosen = pages_to_render(planned, inputs, self.inputs, keys, added_or_removed, record_page_uris(portfolio))
        self.rendered = len(chosen)
        pages = {page.uri: render(page) if page.uri in chosen else self.pages[page.uri] for page in planned}
        self._next = (portfolio, attachments, inputs, pages)
        return pages

    def changed(self, config: MkDocsConfig, planned: list[PlannedPage], rendered: dict[str, str]) -> tuple[set[str], bool]:
        """The uris of the pages to build, and whether the rest can be kept as they are."""
        signature = site_signature(config, planned)
        incremental = self.valid and signature == self.signature
        self.valid = False  # until this build has finished
        self.signature = signature
        if not incremental:
            return {page.uri for page in planned}, False
        return {
            page.uri for page in planned
            if self.html.get(page.uri) != rendered[page.uri] or self.titles.get(page.uri) != page.title
        }, True

    def finish(
        self, config: MkDocsConfig, planned: list[PlannedPage], rendered: dict[str, str], built: set[str],
        incremental: bool, urls: dict[str, str], outputs: set[str],
    ) -> None:
        """After the build: complete the search index with the pages not rebuilt, remove what is
        no longer published, and remember this build."""
        site = Path(config.site_dir)
        index_path = site / "search" / "search_index.json"
        if index_path.is_file():
            index = json.loads(index_path.read_text(encoding="utf-8"))
            fresh: dict[str, list[dict[str, Any]]] = {}
            for entry in index["docs"]:
                fresh.setdefault(entry["location"].split("#")[0], []).append(entry)
            if incremental:
                rebuilt = {urls[uri] for uri in built}
                published = set(urls.values())
                kept = {url: entries for url, entries in self.search.items() if url in published and url not in rebuilt}
                merged = {**kept, **fresh}
                order = [urls[page.uri] for page in planned]
                ordered = set(order)
                urls_in_order = [url for url in order if url in merged] + [url for url in merged if url not in ordered]
                texts = {url: self.search_text.get(url) or _entries_text(merged[url]) if url not in fresh else _entries_text(fresh[url])
                         for url in urls_in_order}
                index_path.write_text(_index_text(index, [texts[url] for url in urls_in_order if texts[url]]), encoding="utf-8")
                self.search, self.search_text = merged, texts
            else:
                self.search, self.search_text = fresh, {}
        for stale in sorted(self.outputs - outputs):
            (site / stale).unlink(missing_ok=True)
        self.html = rendered
        self.titles = {page.uri: page.title for page in planned}
        self.outputs = outputs
        self.rebuilt = len(built)
        if self._next is not None:
            self.portfolio, self.attachments, self.inputs, self.pages = self._next
            self._next = None
        self.valid = self.portfolio is not None


def _entries_text(entries: list[dict[str, Any]]) -> str:
    """A page's entries as they stand in the index's "docs" list (without the brackets)."""
    return json.dumps(entries, separators=(",", ":"), default=str)[1:-1]


def _index_text(index: dict[str, Any], docs: list[str]) -> str:
    """``json.dumps(index, separators=(",", ":"))`` with "docs" put together from each page's text."""
    head = json.dumps({**index, "docs": []}, separators=(",", ":"), default=str)
    if not head.endswith('"docs":[]}'):  # "docs" is Material's last key; if not, write it whole
        return json.dumps({**index, "docs": json.loads("[" + ",".join(docs) + "]")}, separators=(",", ":"), default=str)
    return head[: -len("[]}")] + "[" + ",".join(docs) + "]}"


def site_signature(config: MkDocsConfig, planned: list[PlannedPage]) -> str:
    """What every page of the site shows besides its own content."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    data = {
        "nav": config["nav"],
        "nav_titles": [(page.uri, page.title) for page in planned if page.in_nav],
        "features": list(config.theme.get("features") or []),
        "extra": config.extra,
        "mkdocs.yml": hashlib.sha256(config_file.read_bytes()).hexdigest() if config_file and config_file.is_file() else "",
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class QuietDirtyBuild(logging.Filter):
    """MkDocs warns on every dirty build that links may go stale; here every page that could
    change is rebuilt, so the warning would only be noise on each save."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")
