"""Reading over several processes must give exactly what reading in one gives, problems included."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import threading
import time
from pathlib import Path

import pytest

from generator.read import reading
from generator.config.portfolio import load_portfolio_config
from generator.problems import PortfolioError, Problem, Problems
from generator.pipeline import check
from generator import processes
from generator.processes import PROCESSES_ENV
from generator.read.reading import check_portfolio_files, process_count, read_portfolio


@pytest.fixture(autouse=True)
def no_other_threads(monkeypatch):
    """Reading forks only while no other thread runs. Earlier tests in the session (the browser
    tests' servers) leave threads running, so these tests see only their own; the guard itself
    is tested below."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _read(project_dir: Path, processes: int, monkeypatch: pytest.MonkeyPatch, *, forked: bool | None = None) -> tuple[dict, list, list[str]]:
    """Records, links and problems read with ``processes`` processes; ``forked`` says whether
    other processes must have done some of the reading (None: not checked)."""
    monkeypatch.setenv(PROCESSES_ENV, str(processes))
    dealt: list[object] = []
    real = reading._read_in_processes

    def spy(*args):
        dealt.append(outcomes := real(*args))
        return outcomes

    monkeypatch.setattr(reading, "_read_in_processes", spy)
    problems = Problems()
    config = load_portfolio_config(project_dir, problems)
    validated = read_portfolio(project_dir, config, problems)
    if forked is not None:
        assert bool(dealt and dealt[0] is not None) is forked
    monkeypatch.setattr(reading, "_read_in_processes", real)
    return validated.records, validated.links, [str(p) for p in problems.sorted()]


def _break_some(project_dir: Path) -> None:
    """Problems of every stage, spread so that several land in each process's hand."""
    actions = sorted((project_dir / "content" / "actions").glob("*.md"))
    first, second = actions[0].read_text(encoding="utf-8"), actions[1].read_text(encoding="utf-8")
    (project_dir / "content" / "actions" / "zz-copy.md").write_text(first, encoding="utf-8")  # the same id twice
    actions[1].write_text(second.replace("status:", "status: [", 1), encoding="utf-8")  # YAML that does not parse
    actions[2].write_bytes(b"---\nid: \xff\n---\n")  # not UTF-8
    text = actions[3].read_text(encoding="utf-8")
    actions[3].write_text(text.replace("\nsource: ", "\nsource: SRC-NOPE-", 1), encoding="utf-8")  # a link to nothing
    (project_dir / "content" / "stray.md").write_text("---\nid: X\n---\n", encoding="utf-8")  # warned, not read


def test_several_processes_read_the_example_exactly_as_one_does(example_project, monkeypatch):
    one = _read(example_project, 1, monkeypatch, forked=False)
    three = _read(example_project, 3, monkeypatch, forked=True)
    assert three == one
    assert len(one[0]) > 40 and one[1]


def test_several_processes_report_every_problem_as_one_does(example_project, monkeypatch):
    _break_some(example_project)
    records, links, problems = _read(example_project, 1, monkeypatch, forked=False)
    assert _read(example_project, 2, monkeypatch, forked=True) == (records, links, problems)
    assert _read(example_project, 4, monkeypatch, forked=True) == (records, links, problems)
    joined = "\n".join(problems)
    for expected in ("is already the id of", "invalid YAML", "is not UTF-8 text", "SRC-NOPE-", "content/stray.md:1: file: warning"):
        assert expected in joined


def test_processes_that_cannot_start_fall_back_to_one(example_project, monkeypatch):
    expected = _read(example_project, 1, monkeypatch)

    def no_processes(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", no_processes)
    assert _read(example_project, 2, monkeypatch, forked=False) == expected


def test_a_reading_process_that_dies_falls_back_to_one(example_project, monkeypatch):
    """Killed, out of memory, or a bug: the files are read again here, and a bug shows here."""
    expected = _read(example_project, 1, monkeypatch)
    real = reading._read_files

    def dies_in_the_reader(files, config, content_dir, summarise):
        if os.getpid() != parent:
            os._exit(9)
        return real(files, config, content_dir, summarise)

    parent = os.getpid()
    monkeypatch.setattr(reading, "_read_files", dies_in_the_reader)
    assert _read(example_project, 3, monkeypatch, forked=False) == expected


def test_portfolio_serve_reads_in_one_process_and_keeps_its_cache(example_project, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "2")
    monkeypatch.setattr(reading, "_read_in_processes", lambda *args: pytest.fail("serve must not fork"))
    problems = Problems()
    config = load_portfolio_config(example_project, problems)
    cache: dict = {}
    validated = read_portfolio(example_project, config, problems, cache)
    assert len(cache) == len(list((example_project / "content").rglob("*.md")))
    assert validated.records == _read(example_project, 1, monkeypatch)[0]


def test_one_process_for_a_small_portfolio(monkeypatch):
    monkeypatch.delenv(PROCESSES_ENV, raising=False)
    assert process_count(reading.PARALLEL_FROM - 1) == 1


@pytest.mark.parametrize("processes", [1, 3])
def test_checking_without_the_records_finds_the_same_problems(example_project, monkeypatch, processes):
    """``portfolio check`` with no share profile keeps only problems and a count: the same ones."""
    _break_some(example_project)
    # A provider's account given twice: the check across files that reads a file again for its line.
    accounts = example_project / "content" / "statements"
    accounts.mkdir(exist_ok=True)
    for name in ("a", "b"):
        (accounts / f"{name}.md").write_text(f"---\nid: account-{name}\nstatement: safeguarding\nrating: 3\n---\nOur account.\n", encoding="utf-8")
    records, _links, problems = _read(example_project, 1, monkeypatch, forked=False)
    monkeypatch.setenv(PROCESSES_ENV, str(processes))
    found = Problems()
    count = check_portfolio_files(example_project, load_portfolio_config(example_project, found), found)
    assert count == len(records)
    assert [str(p) for p in found.sorted()] == problems
    assert "already has the provider's account" in "\n".join(problems)


def test_a_check_that_kept_only_problems_says_so_when_asked_for_records(example_project):
    checked = check(example_project, keep_records=False)
    assert checked.validated is None and checked.record_count > 40
    with pytest.raises(ValueError, match="kept only the problems"):
        checked.validation
    assert len(check(example_project).validation.records) == checked.record_count


@pytest.mark.parametrize("processes", [1, 2, 4])
def test_work_alongside_is_done_once_while_the_files_are_read(example_project, monkeypatch, processes):
    monkeypatch.setenv(PROCESSES_ENV, str(processes))
    done = []
    expected = _read(example_project, 1, monkeypatch)
    monkeypatch.setenv(PROCESSES_ENV, str(processes))
    found = Problems()
    count = check_portfolio_files(example_project, load_portfolio_config(example_project, found), found, lambda: done.append(os.getpid()))
    assert done == [os.getpid()]
    assert count == len(expected[0]) and [str(p) for p in found.sorted()] == expected[2]


def test_a_slow_reader_reads_fewer_hands(example_project, monkeypatch):
    """The hands are taken from a deck: while this process is busy with other work, the other
    processes read every hand, and the outcome is the same."""
    expected = _read(example_project, 1, monkeypatch)
    monkeypatch.setenv(PROCESSES_ENV, "2")
    taken: list[int] = []
    real = processes._take_hands

    def counted(deck, hands, *args):
        done = real(deck, hands, *args)
        if os.getpid() == parent:
            taken.append(len(done))
        return done

    parent = os.getpid()
    monkeypatch.setattr(processes, "_take_hands", counted)
    found = Problems()
    count = check_portfolio_files(example_project, load_portfolio_config(example_project, found), found, lambda: time.sleep(3))
    assert taken == [0]  # the other process had read every hand by the time this one was free
    assert count == len(expected[0]) and [str(p) for p in found.sorted()] == expected[2]


def test_what_the_work_alongside_raises_stops_the_readers(example_project, monkeypatch):
    monkeypatch.setenv(PROCESSES_ENV, "3")
    before = set(multiprocessing.active_children())

    def broken_settings():
        raise PortfolioError([Problem("mkdocs.yml", 3, "theme", "bad theme")], usage=True)

    found = Problems()
    with pytest.raises(PortfolioError) as raised:
        check_portfolio_files(example_project, load_portfolio_config(example_project, found), found, broken_settings)
    assert str(raised.value.problems[0]) == "mkdocs.yml:3: theme: bad theme"
    assert set(multiprocessing.active_children()) == before
