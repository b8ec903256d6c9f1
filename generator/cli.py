"""The ``portfolio`` command: the one boundary where problems become messages and exit codes.

Exit status (spec section 4): 0 success; 1 the portfolio has errors (nothing written); 2 the
command was used wrongly or the configuration is broken.
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Callable, NoReturn, TypeVar

import click

from . import __version__
from .pipeline import check as check_portfolio
from .pipeline import prepare, resolve_as_of
from .problems import PortfolioError, Problem

F = TypeVar("F", bound=Callable[..., object])

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _report(problems: list[Problem], *, to_stdout: bool = False) -> None:
    for problem in problems:
        click.echo(str(problem), err=not to_stdout)


def _summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def _fail(exc: PortfolioError) -> NoReturn:
    _report(exc.problems)
    if not exc.usage:
        click.echo(f"portfolio: {_summary(exc.problems)}; nothing was written", err=True)
    sys.exit(EXIT_USAGE if exc.usage else EXIT_ERRORS)


def _as_of(value: str | None) -> date:
    try:
        return resolve_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--as-of'") from None


def _project(ctx: click.Context) -> Path:
    project = Path(ctx.obj["project"]).resolve()
    if not project.is_dir():
        raise click.UsageError(f"project folder '{ctx.obj['project']}' does not exist")
    return project


def _logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for name in ("mkdocs", "portfolio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO if verbose else logging.WARNING)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--project", "-p", default=".", metavar="DIR", help="The portfolio project (default: this folder).")
@click.option("--verbose", "-v", is_flag=True, help="Show what the engine is doing.")
@click.version_option(__version__, prog_name="portfolio")
@click.pass_context
def main(ctx: click.Context, project: str, verbose: bool) -> None:
    """Governance evidence portfolios for UK adult social care.

    Validates the records in content/, cross-links every action to its source, milestones and
    closure evidence, judges them on a date and publishes an inspector-ready MkDocs site.
    """
    ctx.ensure_object(dict)
    ctx.obj["project"] = project
    _logging(verbose)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Create a new portfolio project in DIRECTORY, with one example record of each kind."""
    from .starter import create_project

    try:
        created = create_project(Path(directory))
    except PortfolioError as exc:
        _fail(exc)
    click.echo(f"Created a portfolio project in {directory} ({len(created)} files).")
    click.echo(f"Next: cd {directory} && portfolio build")


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Validate every record and print every problem, not only the first."""
    try:
        checked = check_portfolio(_project(ctx))
    except PortfolioError as exc:
        _fail(exc)
    problems = checked.problems.sorted()
    _report(problems, to_stdout=True)
    records = len(checked.validated.records)
    if checked.problems.errors:
        click.echo(f"portfolio: {_summary(problems)} in {records} records", err=True)
        sys.exit(EXIT_ERRORS)
    click.echo(f"portfolio: {records} records, no errors" + (f", {_summary(problems).split(', ')[1]}" if problems else ""))


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge overdue, due soon and stale on this date (YYYY-MM-DD).")
@click.option("--site-dir", metavar="DIR", help="Where to write the site (default: site/ in the project).")
@click.pass_context
def build(ctx: click.Context, as_of: str | None, site_dir: str | None) -> None:
    """Validate, then build the inspector-ready site."""
    from .engine import build_site

    project = _project(ctx)
    day = _as_of(as_of)
    target = Path(site_dir).resolve() if site_dir else project / "site"
    try:
        portfolio, problems = prepare(project, day)
        _report(problems.sorted())
        pages = build_site(project, target, portfolio)
    except PortfolioError as exc:
        _fail(exc)
    click.echo(f"Built {target} as of {day.isoformat()}: {len(portfolio.records)} records, {pages} pages.")


@main.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the portfolio on this date (YYYY-MM-DD).")
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.pass_context
def serve(ctx: click.Context, as_of: str | None, dev_addr: str) -> None:
    """Build and serve the site, rebuilding and reloading when content/ or site_config/ changes."""
    from .serve import serve_project

    project = _project(ctx)
    day = _as_of(as_of) if as_of else None
    try:
        serve_project(project, dev_addr, day)
    except PortfolioError as exc:
        _fail(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
