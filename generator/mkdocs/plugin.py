"""The engine adapter: a MkDocs plugin that adds the planned pages to a MkDocs + Material build.

Hooks only; the work is in the stages. ``mkdocs build`` and ``mkdocs serve`` in a portfolio
project go through here, and so does ``portfolio build``, which hands over a portfolio it has
already validated so nothing is read twice.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import resources
from ..judge.model import PAGE_KINDS, Portfolio
from ..pipeline import epoch_of, prepare, resolve_as_of
from ..problems import PortfolioError
from ..site.plan import DASHBOARDS, PlannedPage, SiteOptions, attachments_of, kind_index_uri, plan_pages, record_uri
from ..site.portfolio_json import portfolio_json
from ..site.render import RenderedPage, Renderer
from ..site.sanitise import clean_html
from .incremental import BuildMemory
from .pagebuild import build_pages, processes_for, restore_mkdocs_loop
from .pages import generate
from .pagefind import WORKER_URI, PagefindError, PagefindIndexer, material_worker, uses_pagefind, worker_source

log = logging.getLogger("mkdocs.plugins.portfolio")


class PortfolioPluginConfig(Config):
    """Options under ``plugins: - portfolio:`` in mkdocs.yml."""

    as_of = c.Optional(c.Type(str))
    """Judge the portfolio on this date (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today."""
    project_dir = c.Optional(c.Type(str))
    """The portfolio project (holding content/ and site_config/); default: mkdocs.yml's folder."""
    prune_navigation = c.Optional(c.Type(bool))
    """Material's ``navigation.prune``: each page carries only the navigation on its way (other
    sections are links to them), not all of it. Unset: on for a site of more than
    ``PRUNE_FROM_PAGES`` pages (with 500 actions, 936 pages, it cut the build's CPU time by 29%
    and its output by 37%); ``true`` always; ``false`` never, so every section stays expandable."""


class PortfolioPlugin(BasePlugin[PortfolioPluginConfig]):
    """Adds record, statement, key question, index and home pages, and portfolio.json."""

    def __init__(self) -> None:
        super().__init__()
        #: Set by the CLI: a portfolio already validated and assessed, and how to publish it.
        self.prepared: Portfolio | None = None
        self.options = SiteOptions()
        self.portfolio: Portfolio | None = None
        self.pages: dict[str, PlannedPage] = {}
        self.renderer: Renderer | None = None
        self.urls: dict[str, str] = {}  # page uri -> site-relative URL, as MkDocs writes links
        #: Set by ``portfolio serve``: what the last build made, so a rebuild builds only the pages
        #: that changed (generator/mkdocs/incremental.py).
        self.memory: BuildMemory | None = None
        self._rendered: dict[str, RenderedPage] | None = None  # with memory: every page, rendered
        self._built: set[str] = set()
        self._incremental = False
        self._outputs: set[str] = set()
        self._saved_epoch: str | None = None
        self._epoch_set = False
        #: Pages built over several processes (generator/mkdocs/pagebuild.py): how many, and
        #: whether MkDocs' first pass leaves their content to those processes.
        self._page_files: list[File] = []
        self._processes = 1
        self._deferred = False
        self._nav: Navigation | None = None
        #: Set in on_files when the site's search is Pagefind (generator/mkdocs/pagefind.py).
        self.pagefind: PagefindIndexer | None = None
        self._command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command  # ``mkdocs serve`` keeps Material's search (see pagefind.py)

    # -- configuration ------------------------------------------------------------------------
    def project_dir(self, config: MkDocsConfig) -> Path:
        if self.config.project_dir:
            base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
            return (base / self.config.project_dir).resolve()
        if config.config_file_path:
            return Path(config.config_file_path).resolve().parent
        return Path.cwd()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not docs_dir_is_content(config.docs_dir, self.project_dir(config)):  # before MkDocs walks it
            raise PluginError("mkdocs.yml: docs_dir: must be 'content', the project's content folder")
        if self.prepared is not None:
            self.portfolio = self.prepared
        else:
            try:
                as_of = resolve_as_of(self.config.as_of)
                self.portfolio, problems = prepare(self.project_dir(config), as_of)
            except ValueError as exc:
                raise PluginError(f"portfolio: {exc}") from None
            except PortfolioError as exc:
                raise PluginError("the portfolio has errors:\n" + str(exc)) from None
            for warning in problems.warnings:
                log.warning(str(warning))

        # Reproducible output: the engine's own timestamps (sitemap, gzip) become the as-of date.
        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch_of(self.portfolio.as_of))
        self._epoch_set = True

        # Our templates come after the user's own custom_dir, before Material's.
        overrides = str(resources.theme_dir() / "overrides")
        dirs = config.theme.dirs
        if overrides not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        # Material loads Google Fonts unless told not to; a portfolio page asks no other host.
        config.theme["font"] = False
        if "assets/portfolio.css" not in [str(x) for x in config.extra_css]:
            config.extra_css.append("assets/portfolio.css")
        if "assets/portfolio-table.js" not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append("assets/portfolio-table.js")
        for extension in ("tables", "toc", "attr_list"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra.setdefault("generator", False)  # no "Made with Material" link off the site
        config.extra["portfolio"] = {
            "provider": self.portfolio.config.provider,
            "as_of": self.portfolio.as_of.isoformat(),
            "framework": self.portfolio.config.framework.name,
            "banner": self.options.banner,
            "banner_link": dict(zip(("href", "text"), self.options.banner_link)) if self.options.banner_link else None,
            "noindex": self.options.noindex,
            "raw_html": self._keeps_raw_html(),  # in the site's signature: serve rebuilds every page when it changes
        }
        return config

    # -- pages --------------------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.portfolio is not None
        # Records and attachments are published only through the planned pages and attachments_of:
        # every file MkDocs found in content/ goes, judged by where it was found, never by where a
        # link there leads (a link out of content/ would otherwise be published as it is).
        found_in = tuple(os.path.join(os.path.abspath(folder), "") for folder in (config.docs_dir, self.project_dir(config) / "content"))
        for file in list(files):
            if file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(found_in):
                files.remove(file)

        attachments = attachments_of(self.portfolio)
        planned = plan_pages(self.portfolio, attachments) + list(self.options.extra_pages)
        self.pages = {page.uri: page for page in planned}
        self.urls = {}
        page_files: dict[str, File] = {}
        added: list[File] = []
        for page in planned:
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.uri, content="", inclusion=inclusion)
            self.urls[page.uri] = file.url
            page_files[page.uri] = file
            added.append(file)
        for attachment in attachments.values():
            added.append(File.generated(config, attachment.uri, abs_src_path=str(attachment.abs_path)))
        for uri, data in sorted(self.options.extra_files.items()):
            added.append(File.generated(config, uri, content=data))
        # JSON Schemas of the front matter, with this framework's statement ids (generator/site/schema.py).
        from ..site.schema import site_files

        for uri, data in site_files(self.portfolio.config.framework).items():
            if uri not in self.options.extra_files:
                added.append(File.generated(config, uri, content=data))
        for file in added:
            files.append(file)
        links = config.validation.links
        self.renderer = Renderer(
            {r.key: record_uri(r) for r in self.portfolio.records.values()}, owners=self.options.owners,
            urls={file.src_uri: file.url for file in files}, markdown_extensions=config.markdown_extensions,
            mdx_configs=config.mdx_configs, link_levels=(links.not_found, links.unrecognized_links),
        )

        config["nav"] = self._navigation(planned, config.nav)
        if prunes_navigation(self.config.prune_navigation, len(planned)):
            features = config.theme.get("features") or []
            if "navigation.prune" not in features:
                config.theme["features"] = [*features, "navigation.prune"]

        self._choose_search(config, files, len(planned))
        self._page_files = list(page_files.values())
        self._processes = processes_for(config, len(planned)) if self.memory is None else 1
        self._deferred = self._processes > 1
        # MkDocs keeps one plugin object for every build in a process (it has on_startup): nothing
        # rendered for an earlier build may stand in for this one's pages.
        self._rendered, self._built, self._incremental, self._outputs = None, set(), False, set()
        if self.memory is not None:  # portfolio serve: build only the pages that changed
            renderer = self.renderer
            self._rendered = self.memory.render(self.portfolio, attachments, planned, lambda page: renderer.render(page.template, page.context))
            self._built, self._incremental = self.memory.changed(config, planned, {uri: p.html for uri, p in self._rendered.items()})
            self._outputs = {file.dest_uri for file in added}
            for uri, file in page_files.items():
                if uri not in self._built:
                    file.is_modified = _kept  # type: ignore[method-assign]  # MkDocs' dirty build skips it
        return files

    def _choose_search(self, config: MkDocsConfig, files: Files, pages: int) -> None:
        """Pagefind or Material's search for this build (generator/mkdocs/pagefind.py); with
        Pagefind, our worker is published and ``__config.search`` names it (theme/overrides/main.html)."""
        assert self.portfolio is not None
        from_disk = self.options.search == "material" or "material/offline" in config.plugins or "offline" in config.plugins
        serving = self.memory is not None or self._command == "serve"
        self.pagefind = None
        config.extra["portfolio"].pop("search_worker", None)
        if uses_pagefind(self.portfolio.config.search, pages, from_disk=from_disk, serving=serving):
            try:
                worker = {"material": material_worker(), "ours": WORKER_URI}
                files.append(File.generated(config, WORKER_URI, content=worker_source()))
            except (PagefindError, OSError) as exc:
                raise PluginError(f"search: {exc}") from None
            self.pagefind = PagefindIndexer(directory_urls=bool(config.use_directory_urls),
                                            pages=[file.dest_uri for file in files.documentation_pages()])
            self.pagefind.open()  # before any page is built, in whichever process (pagebuild.py)
            config.extra["portfolio"]["search_worker"] = worker

    def _navigation(self, planned: list[PlannedPage], user_nav: Any) -> list[Any]:
        assert self.portfolio is not None
        nav: list[Any] = [{"Home": "index.md"}]
        for question in self.portfolio.config.framework.key_questions:
            section = [f"key-questions/{question.id.lower()}.md"]
            section += [f"statements/{s.id.lower()}.md" for s in question.statements]
            nav.append({question.title: section})
        # In DASHBOARDS' order, those this site has (self-assessment only with providers' accounts).
        planned_uris = {p.uri for p in planned if p.in_nav}
        dashboards = [uri for uri in DASHBOARDS.values() if uri in planned_uris]
        nav.append({"Dashboards": dashboards})
        # The five record indexes; never the pages a long list is split into (plan.split_by_month,
        # plan.split_sections), which use the same template but are reached from their lists.
        nav.append({"Records": [kind_index_uri(kind) for kind in PAGE_KINDS]})
        nav.extend({p.title: p.uri} for p in self.options.extra_pages if p.in_nav)
        if isinstance(user_nav, list):
            nav.extend(user_nav)
        return nav

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Pages kept from the last build (portfolio serve) are not read again: name them here,
        as on_pre_page names the pages that are read."""
        self._nav = nav
        if self.memory is not None:
            for page in nav.pages:
                planned = self.pages.get(page.file.src_uri)
                if planned is not None and page.file.src_uri not in self._built and page.title is None:
                    page.title = safe_title(planned.title)
        return nav

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """A planned page is rendered by our templates straight to HTML (generator/mkdocs/pages.py):
        MkDocs reads no source for it and runs no Markdown. It is rendered when MkDocs reads it,
        so only one page's rendering is in hand at a time.

        Our pages name themselves: a title the theme can put in <title> and the header safely.
        Material writes page.title unescaped in the header and through ``striptags`` (which
        unescapes entities) in <title>, so a title written as ``</title><script ...>`` must not
        reach it as markup. Angle brackets become look-alike quotation marks there; the page's
        own heading still shows the title exactly as written.
        """
        planned = self.pages.get(page.file.src_uri)
        if planned is None:
            return page
        return generate(page, partial(self._render, planned), safe_title(planned.title))

    def _render(self, planned: PlannedPage) -> RenderedPage:
        if self._deferred:  # rendered where the page is built (on_env, pagebuild.py)
            return RenderedPage("")
        if self._rendered is not None:
            return self._rendered[planned.uri]
        assert self.renderer is not None
        return self.renderer.render(planned.template, planned.context)

    @event_priority(-100)  # last: nothing another plugin adds to a page's content escapes it
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Raw HTML in users' Markdown is cleaned (generator/site/sanitise.py) before the page is
        written and before the search plugin indexes it; only the provider's own site keeps it,
        when portfolio.yml says ``raw_html: true`` (a share or a snapshot never does)."""
        return html if self._keeps_raw_html() else clean_html(html)

    @event_priority(50)  # before Material's search plugin strips the data-search-exclude marks
    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """With Pagefind, each page's article (as it is published) goes to Pagefind's index, except
        the pages Material's search would leave out (those that only list records, each found on
        its own page); Material's own index then stays empty. Called where the page is built,
        which may be another process (pagebuild.py): the indexer's folder is shared."""
        if self.pagefind is not None and page.content is not None:
            search = page.meta.get("search") or {}
            if not search.get("exclude"):
                planned = self.pages.get(page.file.src_uri)
                self.pagefind.add(page.file.dest_uri, planned.title if planned else (page.title or ""), page.content)
            page.meta["search"] = {**search, "exclude": True}
        return context

    def _keeps_raw_html(self) -> bool:
        return self.portfolio is not None and self.portfolio.config.raw_html and not self.options.clean_html

    @event_priority(-100)  # last: the environment every other plugin has finished with
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """With several processes, our pages are built now, side by side (pagebuild.py)."""
        if self._deferred and self._nav is not None:
            build_pages(self._page_files, config, files, self._nav, env, self._processes, self._undefer)
            self._deferred = False
        return env

    def _undefer(self) -> None:
        self._deferred = False

    # -- outputs ------------------------------------------------------------------------------
    @event_priority(-50)  # after the search plugin has written its index (see incremental.py)
    def on_post_build(self, config: MkDocsConfig) -> None:
        restore_mkdocs_loop()  # MkDocs' loop over the pages is over (pagebuild.py)
        assert self.portfolio is not None
        entries = self.memory.json_entries if self.memory is not None else None  # serve: unchanged records not written again
        Path(config.site_dir, "portfolio.json").write_text(portfolio_json(self.portfolio, self.urls, entries), encoding="utf-8")
        if self.pagefind is not None:
            try:
                self.pagefind.write(Path(config.site_dir))
            except PagefindError as exc:
                raise PluginError(f"search: {exc}") from None
        if self.memory is not None and self._rendered is not None:
            self._outputs.add("portfolio.json")
            html = {uri: page.html for uri, page in self._rendered.items()}
            self.memory.finish(config, list(self.pages.values()), html, self._built, self._incremental, self.urls, self._outputs)
        self._restore_epoch()

    def on_build_error(self, error: Exception) -> None:
        restore_mkdocs_loop()
        if self.pagefind is not None:
            self.pagefind.discard()
        self._restore_epoch()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.project_dir(config) / "site_config"))
        return server

    def _restore_epoch(self) -> None:
        if not self._epoch_set:
            return
        if self._saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch
        self._epoch_set = False


def docs_dir_is_content(docs_dir: str, project_dir: Path) -> bool:
    """Whether MkDocs' ``docs_dir`` is the project's ``content/`` folder, the only one it may be.

    The portfolio publishes content/ only through the pages it makes and the attachments its
    records name (on_files drops every file MkDocs finds there). Any other folder would be walked
    by MkDocs, following links (``/etc``, ``site_config/`` with its redaction terms, a folder with
    a link loop that MkDocs would walk for ever), for nothing: none of it is ever published.
    """
    return os.path.realpath(docs_dir) == os.path.realpath(project_dir / "content")


def _kept() -> bool:
    return False


#: From this many pages on, navigation is pruned unless mkdocs.yml says otherwise: every page
#: renders the navigation, so it costs the same on every page, while a small site keeps every
#: section of it expandable in place.
PRUNE_FROM_PAGES = 500


def prunes_navigation(option: bool | None, pages: int) -> bool:
    """Whether a site of ``pages`` pages gets ``navigation.prune`` (see prune_navigation)."""
    return pages > PRUNE_FROM_PAGES if option is None else option


def safe_title(text: str) -> str:
    """A page title that is text in every place a theme puts it (see on_pre_page)."""
    return " ".join(text.replace("&", "&amp;").replace("<", "\u2039").replace(">", "\u203a").split())
