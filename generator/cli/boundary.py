"""Where users' problems become messages and exit codes: the one boundary of the command line.

Every command is wrapped in :func:`reports_problems`, so a :class:`PortfolioError` raised anywhere
below it (the content, the configuration, a tracker, an archive, the pack's printer, a new
record's values) is printed the same way: one ``PATH:LINE: FIELD: MESSAGE`` line per problem,
then exit 1 for content errors and 2 for a broken configuration or command line. Nothing in
users' content or configuration ever shows a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NoReturn, ParamSpec, TypeVar

import click

from ..pipeline import resolve_as_of
from ..problems import PortfolioError, Problem

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

P = ParamSpec("P")
R = TypeVar("R")


def report(problems: list[Problem], *, to_stdout: bool = False) -> None:
    for problem in problems:
        click.echo(str(problem), err=not to_stdout)


def summary(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def fail(exc: PortfolioError) -> NoReturn:
    """Print the problems and exit: 1 for content errors, 2 for configuration or command line.

    A problem with an option's value, or with the command line as a whole, is shown as click
    shows any bad command line (with the command's usage)."""
    if exc.option:
        raise click.BadParameter("\n".join(" ".join(part for part in (p.path, p.message) if part) for p in exc.problems),
                                 param_hint=exc.option)
    if exc.option is not None:
        raise click.UsageError("\n".join(str(p) for p in exc.problems))
    report(exc.problems)
    if exc.outcome:
        click.echo(f"portfolio: {exc.outcome}", err=True)
    elif not exc.usage:
        click.echo(f"portfolio: {summary(exc.problems)}; nothing was written", err=True)
    sys.exit(EXIT_USAGE if exc.usage else EXIT_ERRORS)


def reports_problems(command: Callable[P, R]) -> Callable[P, R]:
    """Wrap a command so that every PortfolioError below it ends in :func:`fail`."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PortfolioError as exc:
            fail(exc)

    return wrapper


def as_of_option(value: str | None) -> date:
    """``--as-of``, or today in the UK."""
    try:
        return resolve_as_of(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--as-of'") from None


def project_folder(ctx: click.Context) -> Path:
    """``--project``, which must be a folder."""
    project = Path(ctx.obj["project"]).resolve()
    if not project.is_dir():
        raise click.UsageError(f"project folder '{ctx.obj['project']}' does not exist")
    return project
