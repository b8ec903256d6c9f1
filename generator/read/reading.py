"""Stages 1 and 2 for every file: read and validate, over several processes when there are many.

Parsing YAML and checking one file on its own is most of ``portfolio check`` on a large
portfolio, and needs no other file. So, from ``PARALLEL_FROM`` files, the files are dealt into
hands like cards (which mixes actions with the lighter kinds in every hand), and forked
processes, this one included, each take the next hand until none is left. The checks across
files (unique ids, references, services) then run here once, on the records in path order, so
the outcome is the same whatever the number of processes.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..config.portfolio import PortfolioConfig
from ..format.records import Record
from ..problems import Problem, Problems
from .links import RecordRead, RecordSummary, Validated, count_records, link_records
from .load import ReadCache, load_content, load_record, record_files
from .validate import RecordCache, read_record, validate

log = logging.getLogger(__name__)

#: Below this many record files, starting processes costs more than it saves.
PARALLEL_FROM = 1_000
#: Past this many processes, sending records back costs more than reading them.
MAX_PROCESSES = 8
#: A number of processes to read with whatever the number of files or CPUs (1: this one only).
PROCESSES_ENV = "PORTFOLIO_PROCESSES"
#: Hands dealt per process: enough that one slow process does not hold up the others for long.
HANDS_PER_PROCESS = 16
#: A hand's number is one byte in the deck.
MAX_HANDS = 255

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
    processes = process_count(len(files))
    pending = [alongside] if alongside else []
    outcomes = _read_in_processes(files, config, content_dir, processes, summarise, pending) if processes > 1 else None
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
    """How many processes read ``files`` files.

    One unless there are many files and several CPUs, or ``PORTFOLIO_PROCESSES`` asks for more;
    always one without a fork to start them with (only Linux is sure to have a safe one) or while
    another thread runs, which a fork could catch holding a lock.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted:
        try:
            return max(1, min(int(wanted), files))
        except ValueError:
            log.warning("%s=%r is not a whole number; reading in one process", PROCESSES_ENV, wanted)
            return 1
    if files < PARALLEL_FROM:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_PROCESSES, cpus))


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


def _read_in_processes(files: list[RecordFile], config: PortfolioConfig, content_dir: Path, processes: int, summarise: bool,
                       pending: list[Callable[[], None]]) -> list[FileOutcome] | None:
    """Every file's outcome in path order, or None when a process cannot be started or fails.

    The files are dealt into hands, like cards, and each hand's number goes into a pipe, the
    deck. Every process, this one included, takes the next number from the deck until it is
    empty, so a process that is slower (or, here, busy with ``pending`` work first) simply reads
    fewer hands. Each other process is a plain fork that inherits the hands, the configuration
    and the code, and sends its outcomes back once, through a pipe of its own. A process that
    fails for any reason (killed, out of memory, a bug) makes this return None, and the caller
    reads every file itself: a bug then shows as it would in one process.

    Written by hand, measured: ``ProcessPoolExecutor`` over the same hands (benchmarks/process_pool.py,
    12 alternated ``portfolio check`` runs at 10,000 actions) took a median 3.72 s against 3.57 s
    here, fastest 3.47 s against 3.05 s: its workers cannot include this process.
    """
    import multiprocessing  # here: most portfolios never need it, and every command would pay for it

    context = multiprocessing.get_context("fork")
    count = min(MAX_HANDS, processes * HANDS_PER_PROCESS, len(files))
    hands = [files[start::count] for start in range(count)]
    readers: list[tuple[Any, Any]] = []
    try:
        deck, dealer = os.pipe()
    except OSError as exc:  # no more file descriptors
        log.info("reading in one process: %s", exc)
        return None
    try:
        try:
            os.write(dealer, bytes(range(count)))  # 255 bytes at most: a pipe holds them all
        finally:
            os.close(dealer)  # before forking: an empty deck then reads as its end, in every process
        for _ in range(processes - 1):
            receive, send = context.Pipe(duplex=False)
            reader = context.Process(target=_read_hands, args=(send, deck, hands, config, content_dir, summarise), daemon=True)
            reader.start()
            send.close()  # this process only receives; the pipe ends when the reader's end closes
            readers.append((reader, receive))
    except OSError as exc:  # e.g. no more processes allowed
        log.info("reading in one process: %s", exc)
        _stop(readers, deck)
        return None
    try:
        while pending:
            pending.pop()()
        dealt = _take_hands(deck, hands, config, content_dir, summarise)
        for reader, receive in readers:
            dealt.update(receive.recv())
            reader.join()
    except (EOFError, OSError) as exc:  # a reader ended without sending: killed, out of memory, a bug
        log.info("reading in one process: a reading process ended early (%s)", exc or type(exc).__name__)
        return None
    finally:
        _stop(readers, deck)
    outcomes: list[FileOutcome] = [None] * len(files)  # type: ignore[list-item]
    for start, hand in dealt.items():
        outcomes[start::count] = hand
    return outcomes


def _take_hands(deck: int, hands: list[list[RecordFile]], config: PortfolioConfig, content_dir: Path, summarise: bool) -> dict[int, list[FileOutcome]]:
    """Read hands, each taken from the deck, until the deck is empty."""
    done = {}
    while card := os.read(deck, 1):
        done[card[0]] = _read_files(hands[card[0]], config, content_dir, summarise)
    return done


def _read_hands(send: Any, deck: int, hands: list[list[RecordFile]], config: PortfolioConfig, content_dir: Path, summarise: bool) -> None:
    """In a forked process: read hands from the deck and send the outcomes back. On any failure
    it sends nothing, and the process that started it reads every file itself."""
    try:
        send.send(_take_hands(deck, hands, config, content_dir, summarise))
    finally:
        send.close()


def _stop(readers: list[tuple[Any, Any]], deck: int) -> None:
    os.close(deck)
    for reader, receive in readers:
        receive.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()
