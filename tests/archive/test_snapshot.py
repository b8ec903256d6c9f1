"""Unit tests for generator.archive.snapshot: months, the UK cut-off, git extraction, changes, refusals.

Nothing here builds a site (tests/integration/test_snapshot_cli.py does); git repositories are
made in tmp_path with fixed dates.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.site.portfolio_json import portfolio_json
from generator.pipeline import prepare
from generator.site.plan import record_uri, statement_uri
from generator.problems import PortfolioError
from generator.archive.manifest import Month, archived_months, file_hashes
from generator.archive.changes import RecordSummary, compute_changes, summarise_json, summarise_portfolio
from generator.archive.snapshot import check_month_complete, cutoff_of, default_month, make_snapshot, prune_site
from generator.archive.git import commit_at, extract_commit, find_git_project


# -- months ------------------------------------------------------------------------------------
def test_month_parse_and_properties():
    march = Month.parse("2026-03")
    assert (march.key, march.title, march.last_day) == ("2026-03", "March 2026", date(2026, 3, 31))
    assert Month.parse("2028-02").last_day == date(2028, 2, 29)  # leap year
    assert Month.parse("2026-01").previous() == Month(2025, 12)
    assert Month.parse("2026-03").previous() == Month(2026, 2)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-3", "March 2026", "2026-03-31", "", "26-03"])
def test_month_parse_rejects(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_default_month_is_last_complete_month():
    assert default_month(date(2026, 4, 1)) == Month(2026, 3)
    assert default_month(date(2026, 4, 30)) == Month(2026, 3)
    assert default_month(date(2026, 1, 15)) == Month(2025, 12)


def test_month_must_have_ended():
    check_month_complete(Month(2026, 3), date(2026, 4, 1))
    with pytest.raises(ValueError, match="has not ended"):
        check_month_complete(Month(2026, 3), date(2026, 3, 31))  # the last day itself is not over
    with pytest.raises(ValueError, match="has not ended"):
        check_month_complete(Month(2027, 1), date(2026, 4, 1))


def test_cutoff_is_end_of_day_uk_time():
    assert cutoff_of(Month(2026, 1)) == "2026-01-31T23:59:59+00:00"
    assert cutoff_of(Month(2026, 2)) == "2026-02-28T23:59:59+00:00"
    assert cutoff_of(Month(2026, 3)) == "2026-03-31T23:59:59+01:00"  # BST began on 29 March
    assert cutoff_of(Month(2026, 9)) == "2026-09-30T23:59:59+01:00"
    assert cutoff_of(Month(2026, 10)) == "2026-10-31T23:59:59+00:00"  # BST ended on 25 October
    assert cutoff_of(Month(2026, 12)) == "2026-12-31T23:59:59+00:00"


def test_cutoff_when_the_clocks_change_on_the_months_last_day():
    """From the tz database, so a month whose last day is the change itself is right too."""
    assert cutoff_of(Month(2024, 3)) == "2024-03-31T23:59:59+01:00"  # BST began that Sunday at 01:00
    assert cutoff_of(Month(2021, 10)) == "2021-10-31T23:59:59+00:00"  # BST ended that Sunday at 02:00


# -- git ---------------------------------------------------------------------------------------
def git_env(when: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="Quality Lead", GIT_AUTHOR_EMAIL="quality@example.org",
        GIT_COMMITTER_NAME="Quality Lead", GIT_COMMITTER_EMAIL="quality@example.org",
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
    )
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return env


def git(repo: Path, *args: str, when: str | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env=git_env(when), capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(repo: Path, when: str, message: str = "update") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    return root


def test_not_a_git_repository(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    project = tmp_path / "plain"
    project.mkdir()
    found, why = find_git_project(project)
    assert found is None and "not in a git repository" in why


def test_git_project_prefix(repo):
    (repo / "governance" / "portfolio").mkdir(parents=True)
    found, _ = find_git_project(repo / "governance" / "portfolio")
    assert found is not None
    assert found.top.resolve() == repo.resolve() and found.prefix == "governance/portfolio/"


def test_commit_at_picks_last_commit_before_uk_midnight(repo):
    write(repo, "content/a.md", "one")
    first = commit_all(repo, "2026-03-10T09:00:00+00:00")
    write(repo, "content/a.md", "two")
    late_march = commit_all(repo, "2026-03-31T23:30:00+01:00")  # 22:30 UTC: still 31 March in the UK
    write(repo, "content/a.md", "three")
    commit_all(repo, "2026-04-01T00:30:00+01:00")  # 23:30 UTC on 31 March, but 1 April in the UK
    found, _ = find_git_project(repo)
    assert found is not None
    assert commit_at(found, cutoff_of(Month(2026, 3))).sha == late_march
    assert commit_at(found, cutoff_of(Month(2026, 2))) is None
    march = commit_at(found, "2026-03-15T23:59:59+00:00")
    assert march.sha == first and march.date == "2026-03-10T09:00:00+00:00"


def test_commit_at_empty_repository(repo):
    found, _ = find_git_project(repo)
    assert commit_at(found, cutoff_of(Month(2026, 3))) is None


def test_extract_commit_is_exact_and_leaves_working_tree_alone(repo, tmp_path):
    project = repo / "sub"
    write(project, "content/actions/act-1.md", b"line one\r\nline two\r\n")  # CRLF kept as committed
    write(project, "content/evidence/attachments/log.csv", b"\x00\x01binary")
    write(project, "site_config/portfolio.yml", "provider: X\n")
    write(project, "mkdocs.yml", "site_name: X\n")
    write(project, "notes.txt", "not part of a portfolio")
    write(repo, ".gitattributes", "*.csv export-ignore\n")  # git archive would leave the attachment out
    sha = commit_all(repo, "2026-03-10T09:00:00+00:00")
    write(project, "content/actions/act-1.md", "edited, not committed")
    write(project, "content/actions/act-2.md", "new, not committed")

    found, _ = find_git_project(project)
    dest = tmp_path / "out"
    dest.mkdir()
    extract_commit(found, commit_at(found, "2026-03-31T00:00:00+00:00"), dest)
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == ["content/actions/act-1.md", "content/evidence/attachments/log.csv", "mkdocs.yml", "site_config/portfolio.yml"]
    assert (dest / "content/actions/act-1.md").read_bytes() == b"line one\r\nline two\r\n"
    assert (dest / "content/evidence/attachments/log.csv").read_bytes() == b"\x00\x01binary"
    assert (project / "content/actions/act-1.md").read_text() == "edited, not committed"
    assert git(repo, "rev-parse", "HEAD") == sha


def test_extract_commit_without_content(repo, tmp_path):
    write(repo, "README", "nothing yet")
    commit_all(repo, "2026-03-10T09:00:00+00:00")
    found, _ = find_git_project(repo)
    with pytest.raises(PortfolioError, match="has no content/ folder"):
        extract_commit(found, commit_at(found, "2026-03-31T00:00:00+00:00"), tmp_path)


# -- changes -----------------------------------------------------------------------------------
def action(rid: str, status: str, due: str, *flags: str) -> RecordSummary:
    return RecordSummary(rid, "action", rid.lower(), status, due, tuple(flags))


def summary(*records: RecordSummary) -> dict[str, RecordSummary]:
    return {r.id.lower(): r for r in records}


def test_compute_changes():
    before = summary(
        action("ACT-2", "open", "2026-04-30"),
        action("ACT-10", "in-progress", "2026-03-31", "due-soon"),
        action("ACT-3", "in-progress", "2026-05-31", "stale", "overdue"),
        RecordSummary("SRC-1", "source", "Audit"),
        RecordSummary("EV-9", "evidence", "Gone"),
    )
    now = summary(
        action("ACT-2", "in-progress", "2026-04-30", "no-named-owner"),
        action("ACT-10", "in-progress", "2026-06-30", "stale", "due-soon"),
        action("ACT-3", "completed", "2026-05-31"),
        action("ACT-11", "open", "2026-04-01", "overdue", "escalate"),
        RecordSummary("SRC-1", "source", "Audit"),
        RecordSummary("SRC-2", "source", "New audit"),
    )
    changes = compute_changes(Month(2026, 4), "2026-03", before, now)
    assert changes == {
        "month": "2026-04", "as_of": "2026-04-30", "since": "2026-03",
        "added": ["ACT-11", "SRC-2"],
        "removed": ["EV-9"],
        "status_changed": [
            {"id": "ACT-2", "from": "open", "to": "in-progress"},
            {"id": "ACT-3", "from": "in-progress", "to": "completed"},
        ],
        "due_changed": [{"id": "ACT-10", "from": "2026-03-31", "to": "2026-06-30"}],
        "newly_flagged": [
            {"id": "ACT-2", "flags": ["no-named-owner"]},
            {"id": "ACT-10", "flags": ["stale"]},
            {"id": "ACT-11", "flags": ["overdue", "escalate"]},
        ],
    }


def test_first_snapshot_has_nothing_to_compare():
    changes = compute_changes(Month(2026, 3), None, None, summary(action("ACT-1", "open", "2026-04-01", "due-soon")))
    assert changes["since"] is None
    assert all(changes[k] == [] for k in ("added", "removed", "status_changed", "due_changed", "newly_flagged"))


def test_ids_match_case_insensitively():
    before = summary(action("act-1", "open", "2026-04-01"))
    now = summary(action("ACT-1", "closed", "2026-04-01"))
    changes = compute_changes(Month(2026, 4), "2026-03", before, now)
    assert changes["added"] == [] and changes["removed"] == []
    assert changes["status_changed"] == [{"id": "ACT-1", "from": "open", "to": "closed"}]


def test_portfolio_json_reads_back_as_the_same_summary(minimal_project):
    """changes.json compares with the previous month's portfolio.json on disk: the two must agree."""
    portfolio, _ = prepare(minimal_project.root, date(2026, 2, 15))
    urls = {record_uri(r): record_uri(r).replace(".md", ".html") for r in portfolio.records.values()}
    urls.update({statement_uri(s.id): "s.html" for s in portfolio.config.framework.statements})
    read_back = summarise_json(json.loads(portfolio_json(portfolio, urls)))
    assert read_back == summarise_portfolio(portfolio)
    assert read_back["act-1"] == RecordSummary("ACT-1", "action", "Weekly MAR chart checks", "in-progress", "2026-02-28", ("due-soon", "stale"))


def test_summarise_json_rejects_other_documents():
    with pytest.raises(ValueError):
        summarise_json({"as_of": "2026-03-31"})
    with pytest.raises(ValueError):
        summarise_json({"records": [{"kind": "action"}]})


# -- files ---------------------------------------------------------------------------------------
def test_prune_site_keeps_what_a_month_needs(tmp_path):
    site = tmp_path / "site"
    for rel in ("index.html", "sitemap.xml", "sitemap.xml.gz", "assets/javascripts/bundle.js",
                "assets/javascripts/bundle.js.map", "assets/javascripts/lunr/min/lunr.de.min.js",
                "assets/stylesheets/main.css.map", "search/search_index.json"):
        write(site, rel, "x")
    write(site, "search/search_index.json", json.dumps({"config": {"lang": ["en"]}, "docs": []}))
    prune_site(site)
    assert sorted(file_hashes(site)) == ["assets/javascripts/bundle.js", "index.html", "search/search_index.json"]


def test_prune_site_keeps_other_search_languages(tmp_path):
    site = tmp_path / "site"
    write(site, "assets/javascripts/lunr/min/lunr.de.min.js", "x")
    write(site, "search/search_index.json", json.dumps({"config": {"lang": ["en", "de"]}, "docs": []}))
    prune_site(site)
    assert (site / "assets/javascripts/lunr/min/lunr.de.min.js").is_file()


def test_file_hashes_leave_out_the_manifest(tmp_path):
    write(tmp_path, "b/page.html", "page")
    write(tmp_path, "a.json", "{}")
    write(tmp_path, "manifest.json", "{}")
    hashes = file_hashes(tmp_path)
    assert list(hashes) == ["a.json", "b/page.html"]
    assert hashes["b/page.html"] == hashlib.sha256(b"page").hexdigest()


def test_archived_months_ignores_other_entries(tmp_path):
    for name in ("2026-03", "2026-01", ".2026-04.snapshot-x", "notes", "2026-13"):
        (tmp_path / name).mkdir()
    (tmp_path / "2026-02").write_text("a file, not a month")
    (tmp_path / "index.html").write_text("")
    assert archived_months(tmp_path) == ["2026-01", "2026-03"]


# -- refusals (before anything is built) -------------------------------------------------------
def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_refuses_a_month_already_archived(minimal_project):
    folder = minimal_project.root / "archive" / "2026-03"
    write(folder, "index.html", "archived")
    before = tree(minimal_project.root / "archive")
    with pytest.raises(PortfolioError, match="already archived") as caught:
        make_snapshot(minimal_project.root, Month(2026, 3))
    assert not caught.value.usage
    assert tree(minimal_project.root / "archive") == before


def test_refuses_a_month_before_one_already_archived(minimal_project):
    write(minimal_project.root / "archive" / "2026-04", "index.html", "archived")
    with pytest.raises(PortfolioError, match="later month is already archived"):
        make_snapshot(minimal_project.root, Month(2026, 3))


def test_archive_that_is_a_file_is_a_usage_error(minimal_project):
    write(minimal_project.root, "archive", "oops")
    with pytest.raises(PortfolioError, match="not a folder") as caught:
        make_snapshot(minimal_project.root, Month(2026, 3))
    assert caught.value.usage
