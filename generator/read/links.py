"""Checks across files, once every record is read: ids unique, every reference naming a record of
the right kind, one provider's account per statement and service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..format.fields import KIND_NAMES
from ..format.records import Record, StatementAccount
from ..problems import Problems, nearest
from .load import load_record


@dataclass(frozen=True)
class Link:
    """One reference written in a record: which field, where, and the id it names."""

    from_key: str
    path: str  # the file the reference is written in
    field: str
    target: str  # as written
    expected: str | None  # kind the target must be; None for ``related`` (any kind)
    line: int

    @property
    def target_key(self) -> str:
        return self.target.lower()


@dataclass
class Validated:
    """The outcome of validation: records by key and every link between them."""

    records: dict[str, Record]
    links: list[Link]


@dataclass(frozen=True)
class RecordSummary:
    """What the checks across files need of a record, and all ``portfolio check`` keeps of it
    when nothing else asks for the records: a few words, cheap to send between processes."""

    kind: str
    id: str
    path: str
    service: str | None
    statement: str  # a provider's account's statement; "" for the other kinds
    abs_path: Path | None  # a provider's account's file, read again for the line of a duplicate
    dated: date | None = None  # the date it enters the portfolio (Record.dated)
    #: What site_config/schedule.yml matches (generator/config/schedule.py): a meeting's forum,
    #: a source's kind and tags.
    forum: str = ""
    source_kind: str = ""
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.id.lower()

    @classmethod
    def of(cls, record: Record) -> RecordSummary:
        if isinstance(record, StatementAccount):
            return cls(record.kind, record.id, record.path, record.service, record.statement, record.abs_path, record.dated)
        return cls(record.kind, record.id, record.path, record.service, "", None, record.dated,
                   getattr(record, "forum", ""), getattr(record, "source_kind", ""), record.tags if record.kind == "source" else ())


@dataclass
class RecordRead:
    """One file after validation on its own: its record (or the record's summary), the
    references it makes, and where its id is written (for a duplicate id, reported once every
    file is read)."""

    record: Record | RecordSummary
    links: list[Link]
    id_line: int

    def summarised(self) -> RecordRead:
        return RecordRead(RecordSummary.of(self.record), self.links, self.id_line)  # type: ignore[arg-type]


def link_records(reads: list[RecordRead], problems: Problems) -> Validated:
    """The checks across files, on records read in path order: unique ids, references (rule 6),
    services named, one provider's account per statement."""
    records, links = _across_files(reads, problems)
    return Validated(records, links)  # type: ignore[arg-type]  # full records in, full records out


def count_records(reads: list[RecordRead], problems: Problems) -> int:
    """The checks across files on summaries (``portfolio check``): how many records there are."""
    return len(_across_files(reads, problems)[0])


def _across_files(reads: list[RecordRead], problems: Problems) -> tuple[dict[str, Record | RecordSummary], list[Link]]:
    records: dict[str, Record | RecordSummary] = {}
    first_path: dict[str, str] = {}
    links: list[Link] = []
    for read in reads:
        record = read.record
        links.extend(read.links)  # checked even when the id is missing or taken
        if not record.id or (record.kind == "statement" and not record.statement):  # type: ignore[union-attr]
            continue
        if record.key in records:
            problems.add(record.path, read.id_line, "id", f"'{record.id}' is already the id of {first_path[record.key]}; ids must be unique (ignoring case)")
            continue
        records[record.key] = record
        first_path[record.key] = record.path

    by_kind: dict[str, list[str]] = {}
    for record in records.values():
        by_kind.setdefault(record.kind, []).append(record.id)
    _check_links(records, links, by_kind, problems)
    _check_services(records, by_kind, problems)
    _check_accounts(records, problems)
    return records, links


def _check_accounts(records: dict[str, Record | RecordSummary], problems: Problems) -> None:
    """One provider's account per statement (per service, where accounts name services)."""
    first: dict[tuple[str, str], Any] = {}
    for record in records.values():
        if isinstance(record, (StatementAccount, RecordSummary)) and record.kind == "statement":
            key = (record.statement, (record.service or "").lower())
            earlier = first.setdefault(key, record)
            if earlier is not record:
                service = f" for service '{record.service}'" if record.service else ""
                problems.add(
                    record.path, _account_line(record), "statement",
                    f"'{record.statement}' already has the provider's account{service} in {earlier.path}; write one account per statement",
                )


def _account_line(record: StatementAccount | RecordSummary) -> int:
    loaded = load_record(record.abs_path, record.path, record.kind, Problems()) if record.abs_path else None
    if loaded is None:
        return 1
    return loaded.lines.line("statement") if loaded.lines.has("statement") else loaded.lines.line("id")


def _check_links(records: dict[str, Record | RecordSummary], links: list[Link], by_kind: dict[str, list[str]], problems: Problems) -> None:
    """Rule 6: every id resolves to a record of the expected kind; suggest the nearest id otherwise."""
    for link in links:
        target = records.get(link.target_key)
        wanted = KIND_NAMES.get(link.expected or "", "record")
        if target is None:
            candidates = by_kind.get(link.expected, []) if link.expected else [r.id for r in records.values()]
            candidates = [c for c in candidates if c.lower() != link.from_key]  # never suggest the record itself
            problems.add(link.path, link.line, link.field, f"no {wanted} with id '{link.target}'", suggestion=nearest(link.target, candidates))
        elif link.expected and target.kind != link.expected:
            problems.add(
                link.path, link.line, link.field,
                f"'{link.target}' is {_article(KIND_NAMES[target.kind])} ({target.path}), not {_article(wanted)}",
                suggestion=nearest(link.target, [c for c in by_kind.get(link.expected, []) if c.lower() != link.from_key]),
            )
        elif target.key == link.from_key and target.path == link.path and link.field in ("source", "repeat_of", "follow_up"):
            problems.add(link.path, link.line, link.field, f"'{link.target}' names the record itself")


def _check_services(records: dict[str, Record | RecordSummary], by_kind: dict[str, list[str]], problems: Problems) -> None:
    """Once a portfolio has two or more services, every action and source must say which."""
    services = by_kind.get("service", [])
    if len(services) < 2:
        return
    for record in records.values():
        if record.kind in ("action", "source") and not record.service:
            problems.add(
                record.path, 1, "service",
                f"is required: this portfolio has {len(services)} services ({', '.join(sorted(services))}); say which one this {record.kind} belongs to",
            )


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun
