"""Typed records: what a validated portfolio holds (spec section 2).

Records are built only by :mod:`generator.read.validate`; everything after that stage reads these
dataclasses, never the raw front matter (except ``fields`` for portfolio.json, kept as written).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .people import Person


@dataclass(frozen=True)
class Milestone:
    title: str
    due: date | None
    done: date | None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    date: date
    by: Person | None
    note: str


@dataclass(frozen=True)
class Extension:
    date: date
    from_: datetime.date  # written datetime.date: in this class, ``date`` is the field above
    to: datetime.date
    reason: str
    approved_by: Person | None


@dataclass(frozen=True)
class Escalation:
    date: date
    to: Person | None
    reason: str


@dataclass(frozen=True)
class Completion:
    date: date
    checked_by: Person | None
    note: str


@dataclass(frozen=True)
class Recheck:
    """A planned re-test that a closed action's change has held (``closure.recheck``, an extension)."""

    due: date
    method: str
    done: date | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Closure:
    date: date
    approved_by: Person | None
    evidence: tuple[str, ...]
    outcome: str | None
    minutes: str | None
    note: str
    learning: str = ""  # what was learnt (an extension, issue 18)
    recheck: Recheck | None = None


@dataclass(frozen=True)
class Cancellation:
    date: date
    approved_by: Person | None
    reason: str


@dataclass(frozen=True)
class Reading:
    date: date
    value: float


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    baseline: Reading | None
    target: float | None
    readings: tuple[Reading, ...] = ()


@dataclass
class Record:
    """Fields every kind has. ``key`` is the id folded to lower case, used for every lookup."""

    kind: str
    id: str
    title: str
    path: str
    body: str
    fields: dict[str, Any]  # may be the front matter as loaded, shared: never change it in place
    service: str | None = None
    quality_statements: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    abs_path: Path | None = None
    #: Statements of the configured framework this record is on only through a mapping from an
    #: older framework: statement id -> ((older framework id, older statement id), ...).
    mapped_from: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.id.lower()

    @property
    def dated(self) -> date | None:
        """The date the record enters the portfolio (None: always present)."""
        return None


@dataclass
class Service(Record):
    name: str = ""
    service_kind: str | None = None
    registered_manager: Person | None = None
    cqc_location_id: str | None = None


@dataclass
class Source(Record):
    source_kind: str = "other"
    date: date = date.min
    identified_by: Person | None = None
    repeat_of: tuple[str, ...] = ()

    @property
    def dated(self) -> datetime.date:
        return self.date


@dataclass
class Evidence(Record):
    date: date = date.min
    category: str = "processes"
    evidence_kind: str | None = None
    collected_by: Person | None = None
    file: str | None = None  # as written, relative to the record
    file_path: Path | None = None  # resolved, inside content/
    sensitive: bool = False

    @property
    def dated(self) -> datetime.date:
        return self.date


@dataclass
class Meeting(Record):
    date: date = date.min
    forum: str = ""
    chair: Person | None = None
    attendees: tuple[Person, ...] = ()

    @property
    def dated(self) -> datetime.date:
        return self.date


@dataclass
class Action(Record):
    sources: tuple[str, ...] = ()
    owner: Person = field(default_factory=lambda: Person(None, None, False))
    assigned_by: Person | None = None
    raised: date = date.min
    agreed_in: str | None = None
    due: date = date.min
    risk: str = "medium"
    status: str = "open"
    intended_change: str | None = None
    approach: tuple[str, ...] = ()  # values of format.values.APPROACHES (an extension, issue 18)
    evidence_required: str | None = None
    review_date: date | None = None
    milestones: tuple[Milestone, ...] = ()
    updates: tuple[Update, ...] = ()
    extensions: tuple[Extension, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    completion: Completion | None = None
    closure: Closure | None = None
    follow_up: tuple[str, ...] = ()
    cancellation: Cancellation | None = None
    measures: tuple[Measure, ...] = ()

    @property
    def dated(self) -> date:
        return self.raised

    @property
    def original_due(self) -> date:
        """The first deadline: the first extension's ``from`` (rule 5), else ``due``."""
        return self.extensions[0].from_ if self.extensions else self.due


@dataclass
class StatementAccount(Record):
    """The provider's own account of one statement (``content/statements/``, kind ``statement``).

    Published on its statement's page, not on a page of its own.
    """

    statement: str = ""  # the configured framework's statement id
    rating: str | None = None  # a level of the framework's rating scale, as the framework writes it
    reviewed: date | None = None
    reviewed_by: Person | None = None

    @property
    def dated(self) -> date | None:
        return self.reviewed


RECORD_CLASSES: dict[str, type[Record]] = {
    "action": Action, "source": Source, "evidence": Evidence, "meeting": Meeting, "service": Service,
    "statement": StatementAccount,
}
