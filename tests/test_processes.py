"""Work dealt over forked processes comes back exactly as one process does it, or not at all."""

from __future__ import annotations

import os
import threading
import time

import pytest

from generator import processes
from generator.processes import PROCESSES_ENV, deal, process_count


@pytest.fixture(autouse=True)
def no_other_threads(monkeypatch):
    """Earlier tests (the browser tests' servers) leave threads running; the guard is tested below."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _squares(hand: list[int]) -> list[tuple[int, int]]:
    time.sleep(0.002)  # long enough that the other processes start before this one takes every hand
    return [(n * n, os.getpid()) for n in hand]


@pytest.mark.parametrize("count", [2, 3, 8])
def test_outcomes_come_back_in_the_jobs_order_from_several_processes(count):
    jobs = list(range(1_000))
    outcomes = deal(jobs, _squares, count)
    assert outcomes is not None
    assert [square for square, _ in outcomes] == [n * n for n in jobs]
    assert len({pid for _, pid in outcomes}) > 1  # other processes did some of the work


def test_no_jobs_no_processes():
    assert deal([], _squares, 4) == []


def test_pending_work_is_done_once_here_while_the_others_work():
    done: list[int] = []
    outcomes = deal(list(range(50)), _squares, 2, [lambda: done.append(os.getpid())])
    assert outcomes is not None and done == [os.getpid()]


def test_a_process_that_fails_gives_none_so_the_caller_works_alone():
    parent = os.getpid()

    def fails_elsewhere(hand: list[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("a bug in a worker")
        return hand

    assert deal(list(range(200)), fails_elsewhere, 3) is None


def test_a_process_that_dies_gives_none():
    parent = os.getpid()

    def dies_elsewhere(hand: list[int]) -> list[int]:
        if os.getpid() != parent:
            os._exit(9)
        return hand

    assert deal(list(range(200)), dies_elsewhere, 3) is None


def test_one_process_below_the_threshold(monkeypatch):
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    monkeypatch.setattr(processes.sys, "platform", "linux")
    assert process_count(999, 1_000) == 1


def test_large_portfolio_uses_the_cpus_up_to_the_cap(monkeypatch):
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    monkeypatch.setattr(processes.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(processes.sys, "platform", "linux")
    assert process_count(100_000, 1_000) == processes.MAX_PROCESSES
    monkeypatch.setattr(processes.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert process_count(100_000, 1_000) == 1


def test_the_environment_asks_for_a_number_of_processes(monkeypatch):
    monkeypatch.setattr(processes.sys, "platform", "linux")
    monkeypatch.setenv(PROCESSES_ENV, "3")
    assert process_count(10, 1_000) == 3
    assert process_count(2, 1_000) == 2  # never more processes than files
    monkeypatch.setenv(PROCESSES_ENV, "0")
    assert process_count(10, 1_000) == 1


def test_a_bad_process_count_works_in_one_and_says_so(monkeypatch, caplog):
    monkeypatch.setattr(processes.sys, "platform", "linux")
    monkeypatch.setenv(PROCESSES_ENV, "many")
    with caplog.at_level("WARNING", logger="generator.processes"):
        assert process_count(100_000, 1_000) == 1
    assert "PORTFOLIO_PROCESSES='many' is not a whole number" in caplog.text


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(processes.sys, "platform", "linux")
    monkeypatch.setenv(PROCESSES_ENV, "4")
    assert process_count(100_000, 1_000) == 4
    monkeypatch.undo()  # the real thread count, with one more thread surely running
    monkeypatch.setattr(processes.sys, "platform", "linux")
    monkeypatch.setenv(PROCESSES_ENV, "4")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert process_count(100_000, 1_000) == 1
    finally:
        stop.set()
        other.join()


def test_no_fork_off_linux(monkeypatch):
    monkeypatch.setattr(processes.sys, "platform", "darwin")
    monkeypatch.setenv(PROCESSES_ENV, "4")
    assert process_count(100_000, 1_000) == 1
