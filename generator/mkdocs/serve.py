"""``portfolio serve``: MkDocs' live-reload server, always reloading, watching the portfolio.

MkDocs 1.6.1 under click >= 8.2.2 leaves live reload off unless ``--livereload`` is given, so the
server is driven here rather than through ``mkdocs serve``. A content error does not stop the
server: the problems are printed, and shown in the browser in place of every page until an edit
fixes them (generator/mkdocs/servepage.py); the last good site is kept for that moment. After the
first build, a rebuild builds only the pages the edit changed (generator/mkdocs/incremental.py).
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.livereload import _serve_url

from ..pipeline import prepare, resolve_as_of
from ..problems import PortfolioError
from ..read.load import ReadCache
from .engine import mkdocs_config, portfolio_plugin
from .incremental import BuildMemory, QuietDirtyBuild
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
    logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyBuild())

    def builder() -> None:
        rebuild(project_dir, site_dir, url, as_of, memory, read_cache, say)

    server = ProblemsServer(builder=builder, host=host, port=port, root=str(site_dir))
    try:
        builder()
        for folder in ("content", "site_config", "mkdocs.yml"):
            if (project_dir / folder).exists():
                server.watch(str(project_dir / folder))
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
    say: Callable[[str], None] = _to_stderr,
) -> None:
    """One build of the served site; with errors, the browser is shown them instead (servepage.py)."""
    day = as_of or resolve_as_of(None)
    try:
        portfolio, problems = prepare(project_dir, day, read_cache)
    except PortfolioError as exc:
        for problem in exc.problems:
            say(str(problem))
        show_problems(site_dir, exc.problems)
        say("portfolio: not rebuilt; fix the problems above and save again (the browser lists them meanwhile)")
        return
    for problem in problems.sorted():
        say(str(problem))
    config = mkdocs_config(project_dir, site_dir, site_url=url)
    plugin = portfolio_plugin(config)
    plugin.prepared = portfolio
    plugin.memory = memory
    mkdocs_build(config, serve_url=url, dirty=memory.valid)
    clear_problems(site_dir)
    say(f"Rebuilt as of {day.isoformat()}: {url} ({memory.rebuilt} of {len(plugin.pages)} pages built)")
