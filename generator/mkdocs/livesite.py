"""``portfolio serve``: an edit to records rebuilds its pages without MkDocs' whole-site work.

Even when only a few pages are built, a MkDocs build of a 4,100-page site (2,000 actions) costs
seconds before and after them: walking content/ and the theme, a File and a Page for every page,
the navigation, the sitemap and the 404 page, every page's "is it modified" check. None of that
changes when an edit leaves the same pages in the same navigation. So serve keeps the objects
of its last MkDocs build (:class:`LiveSite`: config, files, navigation, theme environment) and,
after such an edit, puts only the pages whose text changed through MkDocs' own per-page steps
(read, Markdown, the page's plugin events, the theme template), then runs the build's last
event (the search index, ``portfolio.json``), as a build would.

Whenever the edit could change anything else, the serve falls back to a MkDocs build (still
"dirty": only changed pages are built) and keeps that build's objects instead: a page added or
removed, a record added or removed, a title in the navigation, an attachment, mkdocs.yml,
site_config/, the theme's custom folder, or a plugin other than ours and search in mkdocs.yml.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from ..judge.model import Portfolio
from ..site.plan import attachments_of, plan_pages
from ..site.render import Renderer
from .engine import portfolio_plugin
from .incremental import BuildMemory, site_signature

#: The plugins a quick update knows to be per page or to finish in on_post_build.
KNOWN_PLUGINS = {"portfolio", "search", "material/search"}
RECORDER = "portfolio-serve-recorder"


class _Recorder(BasePlugin):
    """Keeps the files, navigation and environment of a build for :class:`LiveSite`."""

    def __init__(self, site: LiveSite) -> None:
        super().__init__()
        self.site = site

    @event_priority(-200)  # after every other plugin has had its say
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.site.nav, self.site.files = nav, files
        return nav

    @event_priority(-200)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.site.env = env
        self.site.renderer = portfolio_plugin(config).renderer
        return env


class LiveSite:
    """The MkDocs objects of serve's last build, for quick updates after an edit to records."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir
        self.config: MkDocsConfig | None = None
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        #: The renderer of the build kept: MkDocs hands the same plugin object to every build of
        #: the same settings in a process, so another build (a test's) may have used it since.
        self.renderer: Renderer | None = None
        self.stamp: tuple[tuple[str, int, int], ...] = ()

    def record(self, config: MkDocsConfig) -> None:
        """Keep what the MkDocs build of ``config`` (about to run) makes."""
        self.forget()
        config.plugins[RECORDER] = _Recorder(self)
        self.config = config
        self.stamp = settings_stamp(self.project_dir, config)

    def forget(self) -> None:
        self.config = self.files = self.nav = self.env = self.renderer = None

    def update(self, portfolio: Portfolio, memory: BuildMemory) -> int | None:
        """Rebuild the pages ``portfolio`` changed since the last build; the number of pages
        built, or None when a MkDocs build is needed (see the module's notes)."""
        config, files, nav, env = self.config, self.files, self.nav, self.env
        before = memory.portfolio
        if config is None or files is None or nav is None or env is None or before is None or not memory.valid:
            return None
        if set(config.plugins) - KNOWN_PLUGINS - {RECORDER} or settings_stamp(self.project_dir, config) != self.stamp:
            return None
        if portfolio.records.keys() != before.records.keys():
            return None
        plugin = portfolio_plugin(config)
        attachments = attachments_of(portfolio)
        if attachments != memory.attachments:
            return None
        planned = plan_pages(portfolio, attachments) + list(plugin.options.extra_pages)
        if [(p.uri, p.in_nav) for p in planned] != [(p.uri, p.in_nav) for p in plugin.pages.values()]:
            return None
        if site_signature(config, planned) != memory.signature:
            return None
        renderer = plugin.renderer
        if renderer is None or renderer is not self.renderer or plugin.memory is not memory:
            return None
        plugin.prepared = portfolio
        plugin.on_config(config)  # the portfolio, and the build's date for the engine's timestamps
        try:
            plugin.pages = {page.uri: page for page in planned}
            rendered = memory.render(portfolio, attachments, planned, lambda page: renderer.render(page.template, page.context))
            built, incremental = memory.changed(config, planned, {uri: page.html for uri, page in rendered.items()})
            if not incremental:  # cannot happen: the signature was compared above
                raise RuntimeError("the site's signature changed during a quick update")
            plugin._rendered, plugin._built, plugin._incremental = rendered, built, True
            search = config.plugins.get("material/search") or config.plugins.get("search")
            if search is not None:  # the search index of this update: the rebuilt pages (memory merges the rest)
                search.search_index = type(search.search_index)(**search.config)
            pages = [file.page for uri in sorted(built) if (file := files.get_file_from_path(uri)) is not None and file.page is not None]
            for page in pages:
                _populate_page(page, config, files)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            for page in pages:
                _build_page(page, config, doc_files, nav, env)
            for page in pages:
                page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            config.plugins.on_post_build(config=config)
        except BaseException as error:
            memory.valid = False
            self.forget()
            plugin.on_build_error(error if isinstance(error, Exception) else RuntimeError(str(error)))
            raise
        return len(built)


def settings_stamp(project_dir: Path, config: MkDocsConfig) -> tuple[tuple[str, int, int], ...]:
    """Every file of the settings a quick update takes as they were: mkdocs.yml (and the YAML
    files beside it), site_config/, and the theme's custom folder, by name, modification time
    and size."""
    paths: list[Path] = [project_dir / "mkdocs.yml"]
    if config.config_file_path:  # and the YAML beside it, which it may inherit (INHERIT:)
        settings = Path(config.config_file_path)
        paths += [settings, *settings.parent.glob("*.yml"), *settings.parent.glob("*.yaml")]
    folders = [project_dir / "site_config"]
    custom_dir: Any = config.theme.custom_dir
    if custom_dir:
        folders.append(Path(custom_dir))
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            paths.extend(Path(root, name) for name in names)
    stamp = []
    for path in sorted(set(paths)):
        try:
            stat = path.stat()
        except OSError:
            stamp.append((str(path), -1, -1))
            continue
        stamp.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamp)
