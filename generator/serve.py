"""``portfolio serve``: MkDocs' live-reload server, always reloading, watching the portfolio.

MkDocs 1.6.1 under click >= 8.2.2 leaves live reload off unless ``--livereload`` is given, so the
server is driven here rather than through ``mkdocs serve``. A content error does not stop the
server: the problems are printed, and shown in the browser in place of every page until an edit
fixes them (generator/servepage.py); the last good site is kept for that moment. After the
first build, a rebuild builds only the pages the edit changed (generator/incremental.py).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from datetime import date
from pathlib import Path

import click
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.livereload import _serve_url

from .engine import mkdocs_config, portfolio_plugin
from .incremental import BuildMemory, QuietDirtyBuild
from .load import ReadCache
from .pipeline import prepare, resolve_as_of
from .problems import PortfolioError
from .servepage import ProblemsServer, clear_problems, show_problems

log = logging.getLogger("portfolio")


def serve_project(project_dir: Path, dev_addr: str, as_of: date | None) -> None:
    host, _, port_text = dev_addr.rpartition(":")
    if not host or not port_text.isdigit():
        raise click.BadParameter(f"'{dev_addr}' is not IP:PORT", param_hint="'--dev-addr'")
    site_dir = Path(tempfile.mkdtemp(prefix="portfolio-serve-"))
    url = _serve_url(host, int(port_text), "/")
    memory = BuildMemory()
    read_cache: ReadCache = {}  # unchanged record files are not parsed again
    logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyBuild())

    def builder() -> None:
        rebuild(project_dir, site_dir, url, as_of, memory, read_cache)

    server = ProblemsServer(builder=builder, host=host, port=int(port_text), root=str(site_dir))
    try:
        builder()
        for folder in ("content", "site_config", "mkdocs.yml"):
            if (project_dir / folder).exists():
                server.watch(str(project_dir / folder))
        try:
            server.serve()
        except KeyboardInterrupt:
            click.echo("Shutting down...", err=True)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def rebuild(project_dir: Path, site_dir: Path, url: str, as_of: date | None, memory: BuildMemory, read_cache: ReadCache) -> None:
    """One build of the served site; with errors, the browser is shown them instead (generator/servepage.py)."""
    day = as_of or resolve_as_of(None)
    try:
        portfolio, problems = prepare(project_dir, day, read_cache)
    except PortfolioError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        show_problems(site_dir, exc.problems)
        click.echo("portfolio: not rebuilt; fix the problems above and save again (the browser lists them meanwhile)", err=True)
        return
    for problem in problems.sorted():
        click.echo(str(problem), err=True)
    config = mkdocs_config(project_dir, site_dir, site_url=url)
    plugin = portfolio_plugin(config)
    plugin.prepared = portfolio
    plugin.memory = memory
    mkdocs_build(config, serve_url=url, dirty=memory.valid)
    clear_problems(site_dir)
    click.echo(f"Rebuilt as of {day.isoformat()}: {url} ({memory.rebuilt} of {len(plugin.pages)} pages built)", err=True)
