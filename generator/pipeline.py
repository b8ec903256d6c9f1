"""The stages in order, for every command: read + validate once, then model and assess per date."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any

from .config.portfolio import PortfolioConfig, load_portfolio_config
from .config.schedule import schedule_warnings
from .format.dates import parse_iso_date
from .judge.model import Portfolio, build_portfolio
from .judge.notyet import not_yet_in_portfolio
from .problems import PortfolioError, Problem, Problems
from .read.links import Validated
from .read.load import ReadCache
from .read.reading import check_portfolio_files, read_portfolio
from .read.validate import RecordCache


@dataclass
class Checked:
    """A portfolio read and validated: the input of every later stage."""

    project_dir: Path
    config: PortfolioConfig
    validated: Validated | None  # None when only the problems were asked for
    problems: Problems
    record_count: int

    @property
    def validation(self) -> Validated:
        """The records and links validated, which only a check that kept them has."""
        if self.validated is None:
            raise ValueError("this check kept only the problems: call check() with keep_records=True")
        return self.validated


def check(project_dir: Path, cache: ReadCache | None = None, *, keep_records: bool = True,
          alongside: Callable[[], None] | None = None, as_of: date | None = None, as_of_is_today: bool = False,
          checked: RecordCache | None = None) -> Checked:
    """Load and validate everything; configuration errors raise (exit 2), content errors are returned.

    ``cache`` (``portfolio serve``) keeps files read by an earlier call from being read again
    while unchanged, and ``checked`` keeps them from being checked again. ``keep_records=False`` (``portfolio check`` with no share profile) keeps
    only the problems and the number of records, which is quicker on a large portfolio.
    ``alongside`` (checking ``mkdocs.yml``) is done while other processes read, and what it
    raises is raised here. With ``as_of``, each record dated after it is named in a warning: it
    is not in a build as of that date (``as_of_is_today``: ``portfolio check``, judged on today).
    """
    problems = Problems()
    config = load_portfolio_config(project_dir, problems)
    later = partial(not_yet_in_portfolio, project_dir, as_of=as_of, today=as_of_is_today) if as_of else None
    across = _checks_across(config, later)
    with cycle_collection_paused():
        if keep_records:
            read = read_portfolio(project_dir, config, problems, cache, alongside, checked)
            validated: Validated | None = read
            count = len(read.records)
            if across is not None:
                problems.extend(across(list(read.records.values())))
        else:
            validated, count = None, check_portfolio_files(project_dir, config, problems, alongside, across)
    return Checked(project_dir, config, validated, problems, count)


def _checks_across(config: PortfolioConfig, later: Callable[[list[Any]], list[Problem]] | None) -> Callable[[list[Any]], list[Problem]] | None:
    """Warnings that need every record (or its summary): records dated after the as-of date,
    and what ``site_config/schedule.yml`` names that no record has."""
    schedule = config.schedule
    if schedule is None:
        return later

    def warnings(records: list[Any]) -> list[Problem]:
        return [*(later(records) if later is not None else ()), *schedule_warnings(schedule, records)]

    return warnings


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are read and validated.

    Reading allocates millions of small objects that all stay alive, and each allocation burst
    sets off a collection that walks them again for nothing: with 10,000 actions, a fifth of
    ``portfolio check``. Reference counting still frees what is dropped; the collector resumes
    (if it was on) as soon as the records are read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare(project_dir: Path, as_of: date, cache: ReadCache | None = None, checked_cache: RecordCache | None = None,
            previous: Portfolio | None = None) -> tuple[Portfolio, Problems]:
    """A valid portfolio as of a date; raises PortfolioError listing every error otherwise
    (``cache`` and ``checked_cache``: see :func:`check`; ``previous``: see :func:`build_portfolio`)."""
    checked = check(project_dir, cache, as_of=as_of, checked=checked_cache)
    if checked.problems.errors:
        raise PortfolioError(checked.problems.sorted())
    return build_portfolio(checked.validation, checked.config, as_of, previous), checked.problems


def parse_as_of(text: str) -> date:
    """An as-of date given on the command line: ISO only, like every date in a portfolio."""
    return parse_iso_date(text, "write it as YYYY-MM-DD")


def resolve_as_of(given: str | date | None) -> date:
    """``--as-of`` if given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today."""
    if isinstance(given, date):
        return given
    if given:
        return parse_as_of(given)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH='{epoch}' is not a whole number of seconds") from None
    return date.today()


def epoch_of(day: date) -> int:
    """Midnight UTC of a date, for timestamps the engine writes (sitemap, gzip)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
