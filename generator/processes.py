"""Work shared out over several processes, with the same outcome as in one.

Reading the records (generator/read/reading.py) and rendering the pages (generator/mkdocs/)
are each many small independent jobs. From a threshold of jobs on, they are dealt into hands
like cards (which mixes heavy jobs with light ones in every hand), and forked processes, this
one included, each take the next hand until none is left. The outcomes come back in the order
of the jobs, so what is made is the same, byte for byte, whatever the number of processes.

Written by hand, measured: ``ProcessPoolExecutor`` over the same hands (benchmarks/process_pool.py,
12 alternated ``portfolio check`` runs at 10,000 actions) took a median 3.72 s against 3.57 s
here, fastest 3.47 s against 3.05 s: its workers cannot include this process, and it pickles the
work's inputs, where a fork inherits them (a whole assessed portfolio, for rendering).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

#: A number of processes to use whatever the amount of work or CPUs (1: this one only).
PROCESSES_ENV = "PORTFOLIO_PROCESSES"
#: Past this many processes, sending outcomes back costs more than the work.
MAX_PROCESSES = 8
#: Hands dealt per process: enough that one slow process does not hold up the others for long.
HANDS_PER_PROCESS = 16
#: A hand's number is one byte in the deck.
MAX_HANDS = 255

Job = TypeVar("Job")
Outcome = TypeVar("Outcome")


def process_count(jobs: int, parallel_from: int) -> int:
    """How many processes share ``jobs`` jobs.

    One unless there are at least ``parallel_from`` jobs and several CPUs, or
    ``PORTFOLIO_PROCESSES`` asks for more; always one without a fork to start them with (only
    Linux is sure to have a safe one) or while another thread runs, which a fork could catch
    holding a lock.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    wanted = os.environ.get(PROCESSES_ENV, "").strip()
    if wanted:
        try:
            return max(1, min(int(wanted), jobs))
        except ValueError:
            log.warning("%s=%r is not a whole number; working in one process", PROCESSES_ENV, wanted)
            return 1
    if jobs < parallel_from:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_PROCESSES, cpus))


def deal(jobs: Sequence[Job], work: Callable[[list[Job]], list[Outcome]], processes: int,
         pending: list[Callable[[], None]] | None = None) -> list[Outcome] | None:
    """Every job's outcome in the jobs' order, or None when a process cannot be started or fails.

    ``work`` does one hand of jobs and gives one outcome per job. The hands' numbers go into a
    pipe, the deck. Every process, this one included, takes the next number from the deck until
    it is empty, so a process that is slower (or, here, busy with ``pending`` work first) simply
    does fewer hands. Each other process is a plain fork that inherits the jobs and ``work``, and
    sends its outcomes back once, through a pipe of its own. A process that fails for any reason
    (killed, out of memory, a bug) makes this return None, and the caller does every job itself:
    a bug then shows as it would in one process.
    """
    import multiprocessing  # here: most runs never need it, and every command would pay for it

    pending = pending if pending is not None else []
    context = multiprocessing.get_context("fork")
    count = min(MAX_HANDS, processes * HANDS_PER_PROCESS, len(jobs))
    if count == 0:
        return []
    hands = [list(jobs[start::count]) for start in range(count)]
    workers: list[tuple[Any, Any]] = []
    try:
        deck, dealer = os.pipe()
    except OSError as exc:  # no more file descriptors
        log.info("working in one process: %s", exc)
        return None
    try:
        try:
            os.write(dealer, bytes(range(count)))  # 255 bytes at most: a pipe holds them all
        finally:
            os.close(dealer)  # before forking: an empty deck then reads as its end, in every process
        for _ in range(processes - 1):
            receive, send = context.Pipe(duplex=False)
            worker = context.Process(target=_work_and_send, args=(send, deck, hands, work), daemon=True)
            worker.start()
            send.close()  # this process only receives; the pipe ends when the worker's end closes
            workers.append((worker, receive))
    except OSError as exc:  # e.g. no more processes allowed
        log.info("working in one process: %s", exc)
        _stop(workers, deck)
        return None
    try:
        while pending:
            pending.pop()()
        done = _take_hands(deck, hands, work)
        for worker, receive in workers:
            done.update(receive.recv())
            worker.join()
    except (EOFError, OSError) as exc:  # a worker ended without sending: killed, out of memory, a bug
        log.info("working in one process: a process ended early (%s)", exc or type(exc).__name__)
        return None
    finally:
        _stop(workers, deck)
    outcomes: list[Outcome] = [None] * len(jobs)  # type: ignore[list-item]
    for start, hand in done.items():
        outcomes[start::count] = hand
    return outcomes


def _take_hands(deck: int, hands: list[list[Job]], work: Callable[[list[Job]], list[Outcome]]) -> dict[int, list[Outcome]]:
    """Do hands, each taken from the deck, until the deck is empty."""
    done = {}
    while card := os.read(deck, 1):
        done[card[0]] = work(hands[card[0]])
    return done


def _work_and_send(send: Any, deck: int, hands: list[list[Job]], work: Callable[[list[Job]], list[Outcome]]) -> None:
    """In a forked process: do hands from the deck and send the outcomes back. On any failure it
    sends nothing, and the process that started it does every job itself."""
    try:
        send.send(_take_hands(deck, hands, work))
    except Exception:  # noqa: BLE001 - quietly: the jobs are done again in the first process, where a bug shows
        pass
    finally:
        send.close()


def _stop(workers: list[tuple[Any, Any]], deck: int) -> None:
    os.close(deck)
    for worker, receive in workers:
        receive.close()
        if worker.is_alive():
            worker.terminate()
        worker.join()
