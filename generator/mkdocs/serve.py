"""``portfolio serve``: MkDocs' live-reload server, always reloading, watching the portfolio.

MkDocs 1.6.1 under click >= 8.2.2 leaves live reload off unless ``--livereload`` is given, so the
server is driven here rather than through ``mkdocs serve``. A content error does not stop the
server: the problems are printed, and shown in the browser in place of every page until an edit
fixes them (generator/mkdocs/servepage.py); the last good site is kept for that moment. After the
first build, a rebuild renders only the pages the edit may have changed (generator/mkdocs/pagedeps.py),
builds only those whose text did change (generator/mkdocs/incremental.py), and, when the edit left
the site's pages and navigation as they were, does so without a MkDocs build of the whole site
(generator/mkdocs/livesite.py). A saved file is noticed by the system's file events where there
are (inotify, FSEvents, ...), not by polling every file of the portfolio twice a second.
"""

from __future__ import annotations

import gc
import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from typing import Any
from datetime import date
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.livereload import _serve_url

from ..pipeline import prepare, resolve_as_of
from ..problems import PortfolioError
from ..read.load import ReadCache
from ..read.validate import RecordCache
from .engine import mkdocs_config, portfolio_plugin
from .incremental import BuildMemory, QuietDirtyBuild
from .livesite import LiveSite
from .servepage import ProblemsServer, clear_problems, show_problems

log = logging.getLogger("portfolio")


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve_project(project_dir: Path, host: str, port: int, as_of: date | None, *, say: Callable[[str], None] = _to_stderr) -> None:
    """Serve until interrupted; ``say`` prints each rebuild's problems and outcome (to stderr)."""
    site_dir = Path(tempfile.mkdtemp(prefix="portfolio-serve-"))
    url = _serve_url(host, port, "/")
    memory = BuildMemory()
    read_cache: ReadCache = {}  # unchanged record files are not parsed again
    checked = RecordCache()  # nor checked again
    live = LiveSite(project_dir)
    logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyBuild())

    def builder() -> None:
        rebuild(project_dir, site_dir, url, as_of, memory, read_cache, say, live, checked)

    server = ProblemsServer(builder=builder, host=host, port=port, root=str(site_dir))
    try:
        builder()
        watched = [project_dir / name for name in ("content", "site_config", "mkdocs.yml") if (project_dir / name).exists()]
        use_file_events(server, [path for path in watched if path.is_dir()])
        for path in watched:
            server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            say("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def rebuild(
    project_dir: Path, site_dir: Path, url: str, as_of: date | None, memory: BuildMemory, read_cache: ReadCache,
    say: Callable[[str], None] = _to_stderr, live: LiveSite | None = None, checked: RecordCache | None = None,
) -> None:
    """One build of the served site; with errors, the browser is shown them instead (servepage.py).

    With ``live`` (the objects of the last build), an edit that leaves the site's pages as they
    were is a quick update of the pages it changed (livesite.py); otherwise MkDocs builds.
    """
    day = as_of or resolve_as_of(None)
    try:
        portfolio, problems = prepare(project_dir, day, read_cache, checked, memory.portfolio if memory.valid else None)
    except PortfolioError as exc:
        for problem in exc.problems:
            say(str(problem))
        show_problems(site_dir, exc.problems)
        say("portfolio: not rebuilt; fix the problems above and save again (the browser lists them meanwhile)")
        return
    for problem in problems.sorted():
        say(str(problem))
    if live is not None and live.update(portfolio, memory) is not None:
        assert live.config is not None
        pages = len(portfolio_plugin(live.config).pages)
    else:
        gc.unfreeze()  # the last build's objects may be garbage now (see below)
        config = mkdocs_config(project_dir, site_dir, site_url=url)
        plugin = portfolio_plugin(config)
        plugin.prepared = portfolio
        plugin.memory = memory
        if live is not None:
            live.record(config)
        mkdocs_build(config, serve_url=url, dirty=memory.valid)
        pages = len(plugin.pages)
        # What this build made (the pages, files and navigation of the whole site, the portfolio)
        # lives until the next build like it; Python's cycle collector need not look at it again
        # on every collection of a quick update (a fifth of one, with 2,000 actions).
        gc.collect()
        gc.freeze()
    clear_problems(site_dir)
    say(f"Rebuilt as of {day.isoformat()}: {url} ({memory.rebuilt} of {pages} pages built, {memory.rendered} rendered)")


#: How long the server waits after a file event for more (an editor's save can be several).
BUILD_DELAY = 0.05


def use_file_events(server: ProblemsServer, folders: list[Path]) -> None:
    """Watch with the system's file events, falling back to MkDocs' polling where there are none.

    MkDocs polls every watched file every half second: with 2,000 actions, 3,400 files stat()ed
    twice a second, and an edit waits a quarter of a second on average to be noticed. Events
    arrive as the file is saved. Only events that change a file count (created, written and
    closed, moved, deleted): a rebuild opens files to read them, and an "opened" event would
    start another rebuild. The events are tried on ``folders`` first (a system can refuse them:
    too many watches, a network file system); call before ``server.watch``.
    """
    server.build_delay = BUILD_DELAY
    try:
        from watchdog.events import (
            FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent, FileSystemEventHandler,
        )
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        if Observer is PollingObserver:
            return
        changes = [FileCreatedEvent, FileClosedEvent, FileMovedEvent, FileDeletedEvent]

        class ChangeObserver(Observer):  # type: ignore[valid-type,misc]  # the platform's observer
            """Schedules every watch with the events that change a file."""

            def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False, **options: Any) -> Any:
                return super().schedule(event_handler, path, recursive=recursive, **{**options, "event_filter": changes})

        trial = ChangeObserver()
        for folder in folders:
            trial.schedule(FileSystemEventHandler(), str(folder), recursive=True)
        trial.start()
        trial.stop()
        trial.join()
        server.observer = ChangeObserver(timeout=0.5)  # the timeout only paces stopping
    except Exception:  # noqa: BLE001 - whatever the system refuses, polling still works
        log.debug("file events unavailable; polling", exc_info=True)
