"""Monthly governance snapshots: the site as of a month's last day, fixed and chained.

``archive/YYYY-MM/`` holds the site as it stood at the end of the month, built from the content
as it was then: where the project is a git repository, the last commit on or before the month's
last day (23:59:59 UK time) is read straight from git's object store into a temporary folder, so
the working tree is never touched and uncommitted edits never leak in. ``manifest.json`` holds
the SHA-256 of every file in the folder and of the previous month's manifest, so the months form
a chain that ``portfolio verify`` checks; ``changes.json`` (and the site's "Changes since last
month" page) says what changed since the previous snapshot, read back from its ``portfolio.json``.

A month already archived is never rebuilt over: a snapshot is made in a hidden staging folder
and renamed into place only once it is complete.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import TOOL_NAME, __version__
from ..judge.model import KIND_ORDER, Portfolio, natural_key
from ..mkdocs.staging import staging_folder
from ..problems import PortfolioError, Problem
from ..site.plan import PlannedPage, SiteOptions

MANIFEST = "manifest.json"
CHANGES = "changes.json"
PORTFOLIO_JSON = "portfolio.json"
CHANGES_PAGE = "changes.md"
ARCHIVE_INDEX = "index.html"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
KIND_TITLES = {
    "action": "Action", "source": "Source", "evidence": "Evidence", "meeting": "Meeting", "service": "Service",
    "statement": "Provider's account",
}


# -- months ------------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written ``YYYY-MM`` like the folder that archives it."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        match = _MONTH.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a month; write it as YYYY-MM (for example 2026-03)")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise ValueError(f"'{text}' is not a real month; the month is 01 to 12")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return self.key


def is_month_name(name: str) -> bool:
    try:
        Month.parse(name)
    except ValueError:
        return False
    return True


def default_month(today: date) -> Month:
    """The last complete month before ``today``."""
    return Month.of(today).previous()


def check_month_complete(month: Month, today: date) -> None:
    """A snapshot is of a month that has ended; raises ValueError otherwise."""
    if month.last_day >= today:
        raise ValueError(
            f"{month} has not ended yet (today is {today.isoformat()}); a snapshot is of a complete month"
        )


def cutoff_of(month: Month) -> str:
    """The end of the month's last day, 23:59:59 UK time, with its UTC offset written out.

    Written with an explicit offset so every machine picks the same commit, whatever its own
    time zone. British Summer Time runs from the last Sunday of March to the last Sunday of
    October, so the last day of March to September ends in BST (+01:00) and every other month
    ends in GMT (+00:00).
    """
    offset = "+01:00" if 3 <= month.month <= 9 else "+00:00"
    return f"{month.last_day.isoformat()}T23:59:59{offset}"


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


# -- files and hashes --------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def folder_files(folder: Path) -> list[str]:
    """Every file below ``folder`` (anything that is not a folder), as sorted POSIX paths."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        for name in filenames:
            found.append((base / name).relative_to(folder).as_posix())
        for name in dirnames:  # a symbolic link to a folder is a file here, never followed
            if (base / name).is_symlink():
                found.append((base / name).relative_to(folder).as_posix())
    return sorted(found)


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a snapshot folder except its manifest, by sorted path."""
    return {rel: sha256_file(folder / rel) for rel in folder_files(folder) if rel != MANIFEST}


def dump_json(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def archived_months(archive: Path) -> list[str]:
    """The month folders in an archive, oldest first."""
    if not archive.is_dir():
        return []
    return sorted(p.name for p in archive.iterdir() if is_month_name(p.name) and p.is_dir())


# -- what changed since the previous month -----------------------------------------------------
@dataclass(frozen=True)
class RecordSummary:
    """What ``changes.json`` compares of a record; for an action its derived status, due and flags."""

    id: str
    kind: str
    title: str
    status: str | None = None
    due: str | None = None
    flags: tuple[str, ...] = ()


def summarise_portfolio(portfolio: Portfolio) -> dict[str, RecordSummary]:
    summary: dict[str, RecordSummary] = {}
    for kind in KIND_ORDER:
        for record in portfolio.by_kind[kind]:
            if kind == "action":
                state = portfolio.states[record.key]
                summary[record.key] = RecordSummary(record.id, kind, record.title, state.status, state.due.isoformat(), tuple(state.flags))
            else:
                summary[record.key] = RecordSummary(record.id, kind, record.title)
    return summary


def summarise_json(document: Any) -> dict[str, RecordSummary]:
    """The same summary, read back from a snapshot's ``portfolio.json``."""
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        raise ValueError("has no 'records' list")
    summary: dict[str, RecordSummary] = {}
    for entry in document["records"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError("has a record without an 'id'")
        flags = entry.get("flags") or []
        summary[entry["id"].lower()] = RecordSummary(
            entry["id"], str(entry.get("kind", "")), str(entry.get("title", "")),
            entry.get("status"), entry.get("due"), tuple(str(f) for f in flags),
        )
    return summary


def _record_order(item: RecordSummary) -> tuple[object, ...]:
    kind = KIND_ORDER.index(item.kind) if item.kind in KIND_ORDER else len(KIND_ORDER)
    return (kind, natural_key(item.id))


def compute_changes(
    month: Month, since: str | None, previous: dict[str, RecordSummary] | None, current: dict[str, RecordSummary]
) -> dict[str, Any]:
    """``changes.json``: what differs from the previous snapshot (everything empty for the first)."""
    changes: dict[str, Any] = {
        "month": month.key, "as_of": month.last_day.isoformat(), "since": since,
        "added": [], "removed": [], "status_changed": [], "due_changed": [], "newly_flagged": [],
    }
    if previous is None:
        return changes
    added = sorted((current[k] for k in current.keys() - previous.keys()), key=_record_order)
    removed = sorted((previous[k] for k in previous.keys() - current.keys()), key=_record_order)
    changes["added"] = [r.id for r in added]
    changes["removed"] = [r.id for r in removed]
    actions = sorted((r for r in current.values() if r.kind == "action"), key=_record_order)
    for now in actions:
        key = now.id.lower()
        before = previous.get(key)
        was_action = before is not None and before.kind == "action"
        if was_action and before.status != now.status:
            changes["status_changed"].append({"id": now.id, "from": before.status, "to": now.status})
        if was_action and before.due != now.due:
            changes["due_changed"].append({"id": now.id, "from": before.due, "to": now.due})
        had = set(before.flags) if was_action else set()
        new = [f for f in now.flags if f not in had]
        if new:
            changes["newly_flagged"].append({"id": now.id, "flags": new})
    return changes


def changes_page(
    portfolio: Portfolio, changes: dict[str, Any], previous: dict[str, RecordSummary] | None, since_as_of: str | None
) -> PlannedPage:
    """The snapshot site's "Changes since last month" page, from the same lists as changes.json."""
    def record(rid: str) -> Any:
        return portfolio.get(rid)

    since = Month.parse(changes["since"]) if changes["since"] else None
    context = {
        "portfolio": portfolio, "as_of": portfolio.as_of, "config": portfolio.config,
        "framework": portfolio.config.framework, "page_uri": CHANGES_PAGE,
        "month": Month.of(portfolio.as_of), "since": since, "since_as_of": since_as_of,
        "since_href": f"../{since.key}/index.html" if since else None,
        "added": [record(rid) for rid in changes["added"]],
        "removed": [previous[rid.lower()] for rid in changes["removed"]] if previous else [],
        "status_changed": [(record(c["id"]), c["from"], c["to"]) for c in changes["status_changed"]],
        "due_changed": [(record(c["id"]), c["from"], c["to"]) for c in changes["due_changed"]],
        "newly_flagged": [(record(c["id"]), c["flags"]) for c in changes["newly_flagged"]],
        "kind_titles": KIND_TITLES,
    }
    return PlannedPage(CHANGES_PAGE, "changes.md.j2", "Changes since last month", context)


# -- making a snapshot -------------------------------------------------------------------------
@dataclass
class Snapshot:
    """What ``portfolio snapshot`` made."""

    month: Month
    folder: Path
    commit: Commit | None
    note: str | None
    files: int
    size: int
    manifest_sha256: str
    changes: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def banner_text(month: Month, note: str | None) -> str:
    text = f"Governance snapshot: {month.title} (as of {month.last_day.isoformat()})."
    if note:
        text += " Built from the files as they were when the snapshot was made, not from a git commit."
    return text


def prune_site(site: Path) -> None:
    """Leave out what a snapshot never uses, so a year of them stays small.

    Sitemaps are for search engines, which a snapshot tells to stay away (noindex); source maps
    are for debugging Material's scripts; and search in English loads none of Material's other
    languages (``assets/javascripts/lunr/``), so those go too unless the site searches in another.
    """
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site / name).unlink(missing_ok=True)
    assets = site / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*.map")):
            if path.is_file():
                path.unlink()
    languages: list[str] = ["en"]
    index = site / "search" / "search_index.json"
    if index.is_file():
        try:
            lang = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", ["en"])
            languages = list(lang) if isinstance(lang, list) else [str(lang)]
        except (ValueError, AttributeError):
            languages = []  # unreadable: keep every language rather than guess
    if languages and all(lang == "en" for lang in languages):
        shutil.rmtree(assets / "javascripts" / "lunr", ignore_errors=True)


def make_snapshot(
    project_dir: Path,
    month: Month,
    *,
    archive: Path | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> Snapshot:
    """Build ``archive/YYYY-MM/`` for ``month``; raises PortfolioError and leaves the archive as it was otherwise."""
    from ..mkdocs.engine import build_site  # MkDocs is only imported when a site is built
    from ..pipeline import prepare

    project_dir = project_dir.resolve()
    archive = (archive or project_dir / "archive").resolve()
    shown = _rel(archive, project_dir)
    if archive.exists() and not archive.is_dir():
        raise PortfolioError.single(shown, 1, "snapshot", "exists and is not a folder; the archive must be a folder", usage=True)
    target = archive / month.key
    if os.path.lexists(target):
        raise PortfolioError.single(
            f"{shown}/{month.key}", 1, "snapshot",
            f"{month} is already archived; a snapshot is never rebuilt over (check it with 'portfolio verify')",
        )
    months = archived_months(archive)
    later = [m for m in months if m > month.key]
    if later:
        raise PortfolioError.single(
            f"{shown}/{later[-1]}", 1, "snapshot",
            f"a later month is already archived, so {month} can no longer join the chain of snapshots "
            "(each month's manifest fixes the one before it)",
        )
    since = max(months) if months else None

    previous: dict[str, RecordSummary] | None = None
    previous_link: dict[str, str] | None = None
    since_as_of: str | None = None
    if since is not None:
        previous, previous_link, since_as_of = _read_previous(archive, since, shown)

    repo, why_not = find_git_project(project_dir)
    commit: Commit | None = None
    note: str | None = None
    with tempfile.TemporaryDirectory(prefix="portfolio-snapshot-") as scratch:
        if repo is not None:
            cutoff = cutoff_of(month)
            commit = commit_at(repo, cutoff)
            if commit is None:
                raise PortfolioError.single(
                    ".", 1, "snapshot",
                    f"no commit on or before {cutoff} in the project's git repository, so there is nothing to show for {month}",
                )
            source = Path(scratch) / "project"
            source.mkdir()
            skipped = extract_commit(repo, commit, source)
            for rel in skipped:
                say(f"{rel}: warning: a symbolic link or submodule in commit {commit.sha[:12]}; left out of the snapshot")
        else:
            source = project_dir
            note = (
                f"Not built from version control ({why_not}): the files were used as they were when the snapshot "
                f"was made, which may differ from how they stood on {month.last_day.isoformat()}."
            )
            say(f"portfolio: warning: {why_not}, so the snapshot of {month} is built from the files as they are now, "
                f"not as they stood on {month.last_day.isoformat()}")

        try:
            portfolio, problems = prepare(source, month.last_day)
        except PortfolioError:
            if commit is not None:
                say(f"portfolio: the problems below are in commit {commit.sha[:12]} ({commit.date}), "
                    f"the content as it stood at the end of {month}")
            raise
        changes = compute_changes(month, since, previous, summarise_portfolio(portfolio))
        options = SiteOptions(
            banner=banner_text(month, note),
            noindex=True,
            extra_pages=[changes_page(portfolio, changes, previous, since_as_of)],
            extra_files={CHANGES: dump_json(changes)},
            banner_link=("../index.html", "All monthly snapshots"),
            clean_html=True,  # a record handed around and kept: never raw HTML, whatever portfolio.yml says
        )

        try:
            staging = staging_folder(archive, month.key, "snapshot", leftovers_of=r"\d{4}-\d{2}")  # any month's
        except OSError as exc:
            raise PortfolioError.single(shown, 1, "snapshot", f"cannot be written: {exc.strerror or exc}") from None
        try:
            site = staging / "site"
            build_site(source, site, portfolio, options, use_directory_urls=False)
            prune_site(site)
            hashes = file_hashes(site)
            manifest = {
                "month": month.key,
                "as_of": month.last_day.isoformat(),
                "commit": commit.sha if commit else None,
                "commit_date": commit.date if commit else None,
                "cutoff": cutoff_of(month) if commit else None,
                "note": note,
                "generated_by": {"tool": TOOL_NAME, "version": __version__},
                "previous": previous_link,
                "files": hashes,
            }
            data = dump_json(manifest)
            (site / MANIFEST).write_bytes(data)
            if os.path.lexists(target):  # made meanwhile by another run: never replace it
                raise PortfolioError.single(f"{shown}/{month.key}", 1, "snapshot", f"{month} was archived while this snapshot was being made; left as it was")
            try:
                os.rename(site, target)
            except OSError as exc:
                raise PortfolioError.single(f"{shown}/{month.key}", 1, "snapshot", f"cannot move the snapshot into place: {exc.strerror}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    from .index import write_archive_index

    write_archive_index(archive)
    size = sum((target / rel).stat().st_size for rel in hashes) + len(data)
    return Snapshot(
        month=month, folder=target, commit=commit, note=note, files=len(hashes) + 1, size=size,
        manifest_sha256=hashlib.sha256(data).hexdigest(), changes=changes, warnings=problems.warnings,
    )


def _read_previous(archive: Path, since: str, shown: str) -> tuple[dict[str, RecordSummary], dict[str, str], str | None]:
    """The previous snapshot, checked against its manifest before the new month is chained to it."""
    from .verify import verify_month

    folder = archive / since
    result = verify_month(folder)
    if result.findings:
        problems = [Problem(_rel_display(f.path, archive, shown), 1, "snapshot", f.message) for f in result.findings]
        problems.append(Problem(f"{shown}/{since}", 1, "snapshot",
                                "the previous snapshot does not match its manifest, so no new month is chained to it; run 'portfolio verify'"))
        raise PortfolioError(problems)
    manifest_bytes = (folder / MANIFEST).read_bytes()
    try:
        document = json.loads((folder / PORTFOLIO_JSON).read_text(encoding="utf-8"))
        previous = summarise_json(document)
    except (OSError, ValueError) as exc:
        raise PortfolioError.single(f"{shown}/{since}/{PORTFOLIO_JSON}", 1, "snapshot", f"cannot be read back: {exc}") from None
    as_of = document.get("as_of") if isinstance(document.get("as_of"), str) else None
    return previous, {"month": since, "sha256": hashlib.sha256(manifest_bytes).hexdigest()}, as_of


def _rel_display(path: Path, archive: Path, shown: str) -> str:
    try:
        return f"{shown}/{path.relative_to(archive).as_posix()}"
    except ValueError:
        return str(path)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def changes_summary(changes: dict[str, Any]) -> str:
    if changes["since"] is None:
        return "First snapshot in the archive: nothing to compare with."
    parts = [
        f"{len(changes['added'])} added", f"{len(changes['removed'])} removed",
        f"{len(changes['status_changed'])} status changed", f"{len(changes['due_changed'])} deadline changed",
        f"{len(changes['newly_flagged'])} newly flagged",
    ]
    return f"Changes since {changes['since']}: " + ", ".join(parts) + "."

