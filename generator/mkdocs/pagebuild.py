"""The portfolio's pages built on every CPU, each exactly as MkDocs alone would build it.

MkDocs builds a site's pages one at a time: for each page, read and render its content, then
put it through the theme's template and write it. For a portfolio those are thousands of pages
that depend on nothing but what every page shares (the navigation, the theme, the
configuration), so they can be built side by side. Here, once everything a page needs is known
(MkDocs' ``on_env`` event), the pages are shared out over forked processes
(generator/processes.py), this one included; each process runs MkDocs' own two steps,
``_populate_page`` and ``_build_page``, on its pages and writes their files. MkDocs' own loop
then passes over them (the one thing changed in MkDocs for the length of the build: its
``_build_page`` skips the pages built here). Each page's file is what the one-process build writes, byte for
byte (tests/mkdocs/test_pagebuild.py builds both and compares every file).

What other plugins keep between pages would stay in the process that built the page. So this
is done only when every plugin is one whose state is known: ours, and Material's search and
offline plugins. The search plugin's index entries are sent back and added in page order, as one
process would have added them. Anything else (another plugin, strict mode, threads running as
under ``mkdocs serve``, a process that fails) builds the pages in this process, as MkDocs does.

Measured (benchmarks/README.md, "Building pages on every CPU"): the figures are there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from .. import processes

log = logging.getLogger(__name__)

#: Below this many pages, starting processes costs more than it saves.
PARALLEL_FROM = 400

#: Plugins whose state across pages is known: ours holds nothing a page changes; the search
#: plugin's index entries are sent back (below); the offline plugin acts after the build only.
KNOWN_PLUGINS = frozenset({"portfolio", "search", "material/search", "offline", "material/offline"})

SearchEntries = list[Any]


def processes_for(config: MkDocsConfig, pages: int) -> int:
    """How many processes build ``pages`` pages: one unless every plugin is known (above) and
    MkDocs is not counting warnings for strict mode (a process's warnings stay there)."""
    if config.strict or not set(config.plugins) <= KNOWN_PLUGINS:
        return 1
    return processes.process_count(pages, PARALLEL_FROM)


def build_pages(pages: list[File], config: MkDocsConfig, files: Files, nav: Navigation, env: Any, count: int,
                populate: Callable[[], None]) -> bool:
    """Build ``pages`` over ``count`` processes; False when that could not be done (nothing is
    changed then, and MkDocs builds them itself). ``populate`` is called in each process before
    it reads a page: it turns on the rendering the first pass through MkDocs' loop did not do."""
    doc_files = files.documentation_pages()
    search = _search_index(config)

    def build_hand(hand: list[File]) -> list[SearchEntries]:
        populate()
        entries: list[SearchEntries] = []
        for file in hand:
            assert file.page is not None
            before = len(search.entries) if search is not None else 0
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, nav, env)
            entries.append(search.entries[before:] if search is not None else [])
        return entries

    start = len(search.entries) if search is not None else 0
    outcomes = processes.deal(pages, build_hand, count)
    if outcomes is None:  # every page again, here; MkDocs' own loop then builds them
        populate()
        for file in pages:
            assert file.page is not None
            _populate_page(file.page, config, files)
        if search is not None:
            del search.entries[start:]
        return False
    if search is not None:
        del search.entries[start:]  # this process's hands, in the order it took them
        for page_entries in outcomes:  # every page's, in the order of the pages
            search.entries.extend(page_entries)
    _skip_in_mkdocs_loop({id(file) for file in pages})
    return True


def _skip_in_mkdocs_loop(built: set[int]) -> None:
    """MkDocs' own loop over the pages (``mkdocs.commands.build.build``) passes over the pages
    built here; everything else (the sitemap, which lists them, the anchors' check) sees them
    as before. Undone by :func:`restore_mkdocs_loop` when the build ends."""
    real = getattr(mkdocs_build, "_portfolio_real_build_page", None) or mkdocs_build._build_page

    def build_page(page: Any, *args: Any, **kwargs: Any) -> None:
        if id(page.file) in built:
            return
        real(page, *args, **kwargs)

    mkdocs_build._portfolio_real_build_page = real  # type: ignore[attr-defined]
    mkdocs_build._build_page = build_page


def restore_mkdocs_loop() -> None:
    """MkDocs' loop as it was (after a build, or when it failed)."""
    real = getattr(mkdocs_build, "_portfolio_real_build_page", None)
    if real is not None:
        mkdocs_build._build_page = real
        del mkdocs_build._portfolio_real_build_page  # type: ignore[attr-defined]


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index (its ``entries`` list), if a search plugin is on."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin.config, "enabled", True):
            return getattr(plugin, "search_index", None)
    return None
