"""Unit tests for generator.mkdocs.staging: staging folders with the umask's modes, and leftovers of killed runs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.mkdocs.staging import remove_leftovers, staging_folder


@pytest.fixture
def umask():
    """Set the process umask for one test, and put the old one back."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda value: os.umask(value)
    os.umask(saved)


def ended_pid() -> int:
    """The number of a process that has ended (a killed run's)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o755), (0o027, 0o750), (0o077, 0o700)])
def test_a_staging_folder_gets_the_umask_modes_not_0700(tmp_path, umask, mask, expected):
    umask(mask)
    folder = staging_folder(tmp_path / "out", "site", "building")
    assert mode(folder) == expected
    assert mode(tmp_path / "out") == expected  # a parent it had to make, too
    assert folder.parent == tmp_path / "out"
    assert folder.name.startswith(f".site.building-{os.getpid()}-")
    assert list(folder.iterdir()) == []


def test_each_staging_folder_is_new(tmp_path):
    first = staging_folder(tmp_path, "site", "building")
    second = staging_folder(tmp_path, "site", "building")
    assert first != second and first.is_dir() and second.is_dir()  # this process's own are never leftovers


def test_leftovers_of_ended_runs_are_removed_and_nothing_else(tmp_path):
    dead = ended_pid()
    leftovers = [
        f".site.building-{dead}-0123abcd",  # a killed run of this version
        ".site.building-k3j2h1a0",  # an earlier version's name (mkdtemp): no run of this version made it
        f".site.old-{dead}",  # the site a killed swap had moved aside
    ]
    kept = [
        f".site.building-{os.getppid()}-0123abcd",  # a run still going (here: the process that started pytest)
        f".site.building-{os.getpid()}-0123abcd",  # this process's own
        ".other.building-k3j2h1a0",  # another output's
        f".site.sharing-{dead}-0123abcd",  # another kind of run's
        ".site.building",  # not our naming
        "site",
        "notes",
    ]
    for name in leftovers + kept:
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / ".site.building-file").write_text("a file of that name is not ours", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".site.building-link").symlink_to(outside, target_is_directory=True)

    removed = remove_leftovers(tmp_path, "site", "building")

    assert sorted(p.name for p in removed) == sorted(leftovers)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept + [".site.building-file", ".site.building-link"])
    assert (outside / "keep.txt").is_file()  # a link is never followed, let alone removed


def test_a_new_staging_folder_clears_the_leftovers_first(tmp_path):
    (tmp_path / ".site.building-k3j2h1a0").mkdir()
    folder = staging_folder(tmp_path, "site", "building")
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_leftovers_of_every_matching_name(tmp_path):
    # A snapshot clears every month's leftovers (a killed month may never be retried).
    dead = ended_pid()
    for name in (".2026-09.snapshot-k3j2h1a0", f".2026-10.snapshot-{dead}-0123abcd", ".notes.snapshot-k3j2h1a0"):
        (tmp_path / name).mkdir()
    folder = staging_folder(tmp_path, "2026-11", "snapshot", leftovers_of=r"\d{4}-\d{2}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder.name, ".notes.snapshot-k3j2h1a0"])


def test_no_parent_yet_is_nothing_to_clear(tmp_path):
    assert remove_leftovers(tmp_path / "nowhere", "site", "building") == []


def test_a_name_is_matched_exactly_not_as_a_pattern(tmp_path):
    (tmp_path / ".site.building-k3j2h1a0").mkdir()  # "s.te" as a pattern would match "site"
    (tmp_path / ".s.te.building-k3j2h1a0").mkdir()
    staging_folder(tmp_path, "s.te", "building")
    assert (tmp_path / ".site.building-k3j2h1a0").is_dir()
    assert not (tmp_path / ".s.te.building-k3j2h1a0").exists()
