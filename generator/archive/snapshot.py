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

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .. import TOOL_NAME, __version__
from ..mkdocs.staging import staging_folder
from ..problems import PortfolioError, Problem
from ..site.plan import SiteOptions
from ..site.words import file_size
from .changes import RecordSummary, changes_page, compute_changes, summarise_json, summarise_portfolio
from .git import Commit, commit_at, extract_commit, find_git_project
from .index import write_archive_index
from .manifest import CHANGES, MANIFEST, Month, PORTFOLIO_JSON, archived_months, dump_json, file_hashes
from .verify import verify_month

#: Where governance months end: a snapshot is of the content as it stood at midnight in the UK.
UK_TIME = ZoneInfo("Europe/London")


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
    time zone. The offset is the IANA database's for Europe/London (BST +01:00 or GMT +00:00),
    from the system's tz data or the ``tzdata`` package where the system has none.
    """
    end = datetime.combine(month.last_day, time(23, 59, 59), tzinfo=UK_TIME)
    return end.isoformat()


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
            search="material",  # opened from disk too: Material's search, never Pagefind
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

    write_archive_index(archive)
    size = sum((target / rel).stat().st_size for rel in hashes) + len(data)
    return Snapshot(
        month=month, folder=target, commit=commit, note=note, files=len(hashes) + 1, size=size,
        manifest_sha256=hashlib.sha256(data).hexdigest(), changes=changes, warnings=problems.warnings,
    )


def _read_previous(archive: Path, since: str, shown: str) -> tuple[dict[str, RecordSummary], dict[str, str], str | None]:
    """The previous snapshot, checked against its manifest before the new month is chained to it."""
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
    """A snapshot's size in the message that it was made: whole kilobytes."""
    return file_size(size, kb_decimals=0)
