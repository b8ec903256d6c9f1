"""Records dated after the as-of date: not yet in the portfolio (spec section 6), and said so.

A meeting written up in advance, or an action typed with next year's date by mistake, is left out
of a build as of an earlier date; without a word, the user looks for it in vain. Each one is
named in a warning at the line of the date that keeps it out, by ``portfolio build`` (and
``share``, ``snapshot``, ``export``, ``pack``, ``serve``: everything that judges on a date) and
by ``portfolio check``, which judges on today.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Protocol

from ..read.load import load_record
from ..problems import Problem, Problems

#: The field whose date brings a record into the portfolio (``Record.dated``), by kind.
DATE_FIELDS = {"action": "raised", "source": "date", "evidence": "date", "meeting": "date", "statement": "reviewed"}


class Dated(Protocol):
    """A record, or the summary ``portfolio check`` keeps of one."""

    kind: str
    path: str

    @property
    def dated(self) -> date | None: ...


def not_yet_in_portfolio(project_dir: Path, records: Iterable[Dated], as_of: date, *, today: bool = False) -> list[Problem]:
    """A warning for each record dated after ``as_of``, at the line of its date.

    ``today``: ``as_of`` is the day the command runs (``portfolio check``), not a build's date.
    """
    found = []
    for record in records:
        dated = record.dated
        if dated is None or dated <= as_of or record.kind not in DATE_FIELDS:
            continue
        field_name = DATE_FIELDS[record.kind]
        if today:
            message = f"dated {dated.isoformat()}, after today ({as_of.isoformat()}): not in a build until that date"
        else:
            message = f"dated {dated.isoformat()}, after the as-of date {as_of.isoformat()}: not in this build"
        found.append(Problem(record.path, _line(project_dir, record, field_name), field_name, message, "warning"))
    return found


def _line(project_dir: Path, record: Dated, field_name: str) -> int:
    """The line of the date field, read again from the file: only for the few records dated later."""
    loaded = load_record(project_dir / record.path, record.path, record.kind, Problems())
    return loaded.lines.line(field_name) if loaded is not None else 1
