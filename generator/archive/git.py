"""A month's project files read straight from git's object store: the last commit on or before the
cut-off, extracted into a temporary folder so the working tree is never touched.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..problems import PortfolioError


# -- git ---------------------------------------------------------------------------------------
_GIT_LOCATION_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")


def _git_env() -> dict[str, str]:
    """The project's own repository, found from its folder, with git's messages in English."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env["LC_ALL"] = "C"
    return env


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "--literal-pathspecs", *args], cwd=cwd, capture_output=True, env=_git_env(), check=False
    )


def _git_message(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8", "replace").strip() or f"git exited with status {result.returncode}"
    return " ".join(text.replace("fatal: ", "").split())


@dataclass(frozen=True)
class GitProject:
    """Where a project sits in its git repository."""

    top: Path  # the repository's work tree
    prefix: str  # the project's folder inside it, "" or ending in "/"


def find_git_project(project_dir: Path) -> tuple[GitProject | None, str]:
    """The project's git repository, or None and why not (not a repository, git not installed)."""
    try:
        result = _git(["rev-parse", "--show-toplevel", "--show-prefix"], project_dir)
    except FileNotFoundError:
        return None, "git is not installed"
    if result.returncode != 0:
        if b"not a git repository" in result.stderr:
            return None, "the project is not in a git repository"
        raise PortfolioError.single(".", 1, "git", f"cannot read the project's git repository: {_git_message(result)}", usage=True)
    lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
    top = Path(lines[0].strip())
    prefix = lines[1].strip() if len(lines) > 1 else ""
    return GitProject(top, prefix), ""


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, ISO 8601 with the committer's offset


def commit_at(repo: GitProject, cutoff: str) -> Commit | None:
    """The last commit on HEAD made on or before ``cutoff``, or None if there is none."""
    if _git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], repo.top).returncode != 0:
        return None  # a repository with no commits yet
    result = _git(["rev-list", "-1", f"--before={cutoff}", "HEAD"], repo.top)
    if result.returncode != 0:
        raise PortfolioError.single(".", 1, "git", f"cannot list the project's commits: {_git_message(result)}", usage=True)
    sha = result.stdout.decode("ascii").strip()
    if not sha:
        return None
    shown = _git(["show", "-s", "--format=%cI", sha], repo.top)
    return Commit(sha, shown.stdout.decode("ascii").strip())


PROJECT_PATHS = ("content", "site_config", "mkdocs.yml")


def extract_commit(repo: GitProject, commit: Commit, dest: Path) -> list[str]:
    """Write ``content/``, ``site_config/`` and ``mkdocs.yml`` as they are in ``commit`` into ``dest``.

    Blobs are read from git's object store exactly as committed (``git cat-file``), so neither the
    working tree nor any export or line-ending attribute changes them. Returns the paths it
    skipped (symbolic links and submodules, which have no content of their own to publish).
    """
    listing = _git(["ls-tree", "-r", "-z", commit.sha, "--", *(repo.prefix + p for p in PROJECT_PATHS)], repo.top)
    if listing.returncode != 0:
        raise PortfolioError.single(".", 1, "git", f"cannot read commit {commit.sha[:12]}: {_git_message(listing)}", usage=True)
    blobs: list[tuple[str, str]] = []
    skipped: list[str] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split()
        path = os.fsdecode(raw_path)
        rel = path[len(repo.prefix):] if repo.prefix and path.startswith(repo.prefix) else path
        if kind != "blob" or mode == "120000":
            skipped.append(rel)
            continue
        blobs.append((oid, rel))
    if not any(rel.startswith("content/") for _, rel in blobs):
        where = f"{repo.prefix}content/" if repo.prefix else "content/"
        raise PortfolioError.single(
            "content", 1, "snapshot",
            f"commit {commit.sha[:12]} ({commit.date}) has no {where} folder: nothing to snapshot; commit the portfolio first",
        )
    _write_blobs(repo, blobs, dest)
    return skipped


def _write_blobs(repo: GitProject, blobs: list[tuple[str, str]], dest: Path) -> None:
    proc = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=repo.top, env=_git_env(),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    wanted = b"".join(oid.encode("ascii") + b"\n" for oid, _ in blobs)

    def feed() -> None:  # in a thread: git's output must be read while it is fed
        assert proc.stdin is not None
        try:
            proc.stdin.write(wanted)
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    root = dest.resolve()
    try:
        for oid, rel in blobs:
            header = proc.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise PortfolioError.single(rel, 1, "git", f"cannot read {rel} ({oid[:12]}) from git", usage=True)
            size = int(header[2])
            target = (root / rel).resolve()
            if not target.is_relative_to(root):
                raise PortfolioError.single(rel, 1, "git", "path leaves the project", usage=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                remaining = size
                while remaining:
                    chunk = proc.stdout.read(min(remaining, 1 << 20))
                    if not chunk:
                        raise PortfolioError.single(rel, 1, "git", f"git stopped while reading {rel}", usage=True)
                    out.write(chunk)
                    remaining -= len(chunk)
            proc.stdout.read(1)  # the newline after each object
    finally:
        proc.stdout.close()
        proc.wait()
        feeder.join()
