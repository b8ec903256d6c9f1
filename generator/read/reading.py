"""Stages 1 and 2 for every file: read and validate, over several processes when there are many.

Parsing YAML and checking one file on its own is most of ``portfolio check`` on a large
portfolio, and needs no other file. So, from ``PARALLEL_FROM`` files, the files are shared out
over forked processes (generator/processes.py; dealing them like cards mixes actions with the
lighter kinds in every hand). The checks across
files (unique ids, references, services) then run here once, on the records in path order, so
the outcome is the same whatever the number of processes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import processes
from ..config.portfolio import PortfolioConfig
from ..format.records import Record
from ..problems import Problem, Problems
from .links import RecordRead, RecordSummary, Validated, count_records, link_records
from .load import ReadCache, load_content, load_record, record_files
from .validate import RecordCache, read_record, validate

log = logging.getLogger(__name__)

#: Below this many record files, starting processes costs more than it saves.
PARALLEL_FROM = 1_000

RecordFile = tuple[Path, str, str]  # absolute path, project-relative path, kind


@dataclass
class FileOutcome:
    """What reading one file gave: its record (None when it could not be read) and its problems."""

    read: RecordRead | None
    problems: list[Problem]


def read_portfolio(project_dir: Path, config: PortfolioConfig, problems: Problems, cache: ReadCache | None = None,
                   alongside: Callable[[], None] | None = None, checked: RecordCache | None = None) -> Validated:
    """Stage entry point: every record under ``content/``, validated, with every problem.

    With ``cache`` (``portfolio serve``, which runs threads), files are read here, one process,
    and an unchanged file is not read again (nor checked again, with ``checked``). ``alongside`` is other work that needs no record
    (checking ``mkdocs.yml``): it is done here while other processes read, and what it raises
    stops them.
    """
    if cache is not None:
        validated = validate(load_content(project_dir, problems, cache), config, project_dir, problems, checked)
        if alongside:
            alongside()
        return validated
    return link_records(_read_all(project_dir, config, problems, summarise=False, alongside=alongside), problems)


def check_portfolio_files(project_dir: Path, config: PortfolioConfig, problems: Problems, alongside: Callable[[], None] | None = None,
                          summaries_check: Callable[[list[Record | RecordSummary]], list[Problem]] | None = None) -> int:
    """Every file read and checked exactly as :func:`read_portfolio` does, for ``portfolio
    check``: only the problems are kept, and the number of records is returned. Other processes
    send back a summary of each record rather than the record, a fifth of the time at scale.
    ``summaries_check`` gives more problems from the summaries (records dated after today)."""
    reads = _read_all(project_dir, config, problems, summarise=True, alongside=alongside)
    if summaries_check is not None:
        problems.extend(summaries_check([read.record for read in reads]))
    return count_records(reads, problems)


def _read_all(project_dir: Path, config: PortfolioConfig, problems: Problems, *, summarise: bool,
              alongside: Callable[[], None] | None = None) -> list[RecordRead]:
    content_dir = project_dir / "content"
    files = record_files(content_dir, project_dir, problems)
    count = process_count(len(files))
    pending = [alongside] if alongside else []
    outcomes = _read_in_processes(files, config, content_dir, count, summarise, pending) if count > 1 else None
    for work in pending:  # not done yet: one process, or the processes failed before it
        work()
    if outcomes is None:
        outcomes = _read_files(files, config, content_dir, summarise)
    reads = []
    for outcome in outcomes:
        problems.extend(outcome.problems)
        if outcome.read is not None:
            reads.append(outcome.read)
    return reads


def process_count(files: int) -> int:
    """How many processes read ``files`` files (generator/processes.py: one below PARALLEL_FROM)."""
    return processes.process_count(files, PARALLEL_FROM)


def _read_files(files: list[RecordFile], config: PortfolioConfig, content_dir: Path, summarise: bool) -> list[FileOutcome]:
    roles = config.all_roles
    outcomes = []
    for abs_path, rel, kind in files:
        found = Problems()
        raw = load_record(abs_path, rel, kind, found)
        read = read_record(raw, config, roles, content_dir, found) if raw is not None else None
        if read is not None and summarise:
            read = read.summarised()
        outcomes.append(FileOutcome(read, found.items))
    return outcomes


def _read_in_processes(files: list[RecordFile], config: PortfolioConfig, content_dir: Path, count: int, summarise: bool,
                       pending: list[Callable[[], None]]) -> list[FileOutcome] | None:
    """Every file's outcome in path order from ``count`` processes (generator/processes.py), or
    None when a process cannot be started or fails."""
    return processes.deal(files, lambda hand: _read_files(hand, config, content_dir, summarise), count, pending)
