"""`portfolio snapshot` and `portfolio verify`, run as a user runs them, on a real git history.

The example portfolio is committed on 10 February 2026; a finding (SRC-800) is committed at
23:30 on 31 March UK time; SRC-900 and ACT-900 (both dated in March) are committed half an
hour later, 1 April UK time (still 31 March in UTC), and SRC-800 removed; a May commit names
ACT-900's owner; and some edits are never committed. February, March and April are archived
once per module. What each month must hold was worked out by hand from the content files and
section 6 of the spec.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import clean_env, copy_example, epoch, run_portfolio, tree_bytes

TODAY = epoch("2026-06-15T12:00:00")  # SOURCE_DATE_EPOCH: "today" for the default month and the checks


def git_env(when: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME="Sarah Lund", GIT_AUTHOR_EMAIL="quality@example.org",
        GIT_COMMITTER_NAME="Sarah Lund", GIT_COMMITTER_EMAIL="quality@example.org",
        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
    )
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return env


def git(repo: Path, *args: str, when: str | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=git_env(when), capture_output=True, text=True, check=True).stdout.strip()


def commit_all(repo: Path, when: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"portfolio as of {when}", when=when)
    return git(repo, "rev-parse", "HEAD")


def record(project: Path, rel: str, text: str) -> None:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


SRC_800 = """---
id: SRC-800
title: Late-March spot check of fire doors
kind: audit
service: brookfield-house
date: 2026-03-31
---
Two fire doors were wedged open.
"""
SRC_900 = """---
id: SRC-900
title: Call bell response times
kind: audit
service: brookfield-house
date: 2026-03-20
---
Call bells were answered slowly at night.
"""
ACT_900 = """---
id: ACT-900
title: Answer call bells within five minutes at night
service: brookfield-house
source: SRC-900
owner: {owner}
raised: 2026-03-25
due: 2026-04-05
risk: medium
status: open
quality_statements: [safe-and-effective-staffing]
---
Agreed in the March governance meeting.
"""


def snapshot(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_portfolio("snapshot", *args, cwd=project, env=env or clean_env(SOURCE_DATE_EPOCH=TODAY))


def verify(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_portfolio("verify", *args, cwd=cwd, env=clean_env(SOURCE_DATE_EPOCH=TODAY))


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def records_of(folder: Path) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads((folder / "portfolio.json").read_text())["records"]}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict:
    project = copy_example(tmp_path_factory.mktemp("snapshots") / "project")
    git(project, "init", "-q")
    commits = {"feb": commit_all(project, "2026-02-10T10:00:00+00:00")}
    record(project, "sources/src-800.md", SRC_800)
    commits["mar"] = commit_all(project, "2026-03-31T23:30:00+01:00")
    record(project, "sources/src-900.md", SRC_900)
    record(project, "actions/act-900.md", ACT_900.format(owner="TBC"))
    (project / "content/sources/src-800.md").unlink()
    commits["apr"] = commit_all(project, "2026-04-01T00:30:00+01:00")
    record(project, "actions/act-900.md", ACT_900.format(owner="Tom Whitfield (Team leader)"))
    commits["may"] = commit_all(project, "2026-05-05T09:00:00+01:00")
    # Never committed: an edited title and a new record dated long ago.
    act_001 = project / "content/actions/act-001.md"
    act_001.write_text(act_001.read_text().replace("title: ", "title: UNCOMMITTED ", 1))
    record(project, "sources/src-999.md", SRC_900.replace("SRC-900", "SRC-999").replace("2026-03-20", "2026-01-05"))

    runs = {month: snapshot(project, "--month", month) for month in ("2026-02", "2026-03", "2026-04")}
    return {"project": project, "archive": project / "archive", "commits": commits, "runs": runs}


def test_snapshots_are_made(history):
    for month, result in history["runs"].items():
        assert result.returncode == 0, result.stderr
        assert f"into archive/{month}/" in result.stdout
        assert re.search(r"manifest.json SHA-256 [0-9a-f]{64}", result.stdout)
    assert sorted(p.name for p in history["archive"].iterdir()) == ["2026-02", "2026-03", "2026-04", "index.html"]


def test_each_month_is_built_from_the_commit_in_force_at_its_end(history):
    archive, commits = history["archive"], history["commits"]
    manifests = {m: json.loads((archive / m / "manifest.json").read_text()) for m in ("2026-02", "2026-03", "2026-04")}
    assert manifests["2026-02"]["commit"] == commits["feb"]
    assert manifests["2026-03"]["commit"] == commits["mar"]  # 23:30 BST on 31 March is still March
    assert manifests["2026-04"]["commit"] == commits["apr"]  # 00:30 BST on 1 April is not
    assert manifests["2026-03"]["as_of"] == "2026-03-31" and manifests["2026-03"]["cutoff"] == "2026-03-31T23:59:59+01:00"

    march, april = records_of(archive / "2026-03"), records_of(archive / "2026-04")
    assert "SRC-800" in march and "SRC-800" not in april
    assert "SRC-900" not in march and "ACT-900" not in march  # dated in March, committed in April
    assert "SRC-900" in april and "ACT-900" in april
    assert april["ACT-900"]["fields"]["owner"] == "TBC"  # the May commit does not reach April


def test_uncommitted_edits_never_leak_in(history):
    for month in ("2026-02", "2026-03", "2026-04"):
        folder = history["archive"] / month
        assert "SRC-999" not in records_of(folder)
        assert not records_of(folder)["ACT-001"]["title"].startswith("UNCOMMITTED")
        assert b"UNCOMMITTED" not in (folder / "actions" / "act-001.html").read_bytes()


def test_changes_since_last_month(history):
    archive = history["archive"]
    first = json.loads((archive / "2026-02" / "changes.json").read_text())
    assert first["since"] is None and first["added"] == [] and first["newly_flagged"] == []

    march = json.loads((archive / "2026-03" / "changes.json").read_text())
    assert march == {
        "month": "2026-03", "as_of": "2026-03-31", "since": "2026-02",
        "added": ["ACT-010", "SRC-007", "SRC-800", "EV-005", "EV-021"],
        "removed": [],
        "status_changed": [
            {"id": "ACT-006", "from": "in-progress", "to": "completed"},  # completion 2026-03-27
            {"id": "ACT-007", "from": "in-progress", "to": "completed"},  # completion 2026-03-20
        ],
        "due_changed": [{"id": "ACT-005", "from": "2026-03-31", "to": "2026-06-30"}],  # extension of 2026-03-25
        "newly_flagged": [],
    }
    april = json.loads((archive / "2026-04" / "changes.json").read_text())
    assert april == {
        "month": "2026-04", "as_of": "2026-04-30", "since": "2026-03",
        "added": ["ACT-013", "ACT-015", "ACT-021", "ACT-900", "SRC-008", "SRC-900"],
        "removed": ["SRC-800"],
        "status_changed": [],
        "due_changed": [],
        "newly_flagged": [
            {"id": "ACT-005", "flags": ["stale"]},  # last update 2026-03-25: 36 days by 30 April
            {"id": "ACT-900", "flags": ["overdue", "no-named-owner", "stale", "escalate"]},
        ],
    }


def test_changes_page_is_in_the_snapshot_and_its_nav(history):
    folder = history["archive"] / "2026-04"
    page = (folder / "changes.html").read_text()
    assert "Changes since last month" in page
    assert 'href="../2026-03/index.html"' in page
    assert "ACT-900" in page and "SRC-800" in page
    assert 'href="changes.html"' in (folder / "index.html").read_text()


def test_banner_and_switcher_on_every_page(history):
    archive = history["archive"]
    folder = archive / "2026-03"
    for page in ("index.html", "actions/act-001.html", "statements/learning-culture.html", "changes.html"):
        markup = (folder / page).read_text()
        assert "Governance snapshot: March 2026 (as of 2026-03-31)." in markup
        assert '<meta name="robots" content="noindex, nofollow">' in markup
        href = re.search(r'class="pf-banner"[^>]*>.*?<a href="([^"]+)"', markup).group(1)
        assert ((folder / page).parent / href).resolve() == (archive / "index.html").resolve()


def test_snapshot_opens_from_the_file_system_and_stays_small(history):
    folder = history["archive"] / "2026-03"
    assert (folder / "actions" / "act-001.html").is_file()  # use_directory_urls: false
    assert not (folder / "sitemap.xml").exists() and not list(folder.rglob("*.map"))
    assert not (folder / "assets" / "javascripts" / "lunr").exists()


def test_archive_index_lists_every_month(history):
    archive = history["archive"]
    page = (archive / "index.html").read_text()
    for month, title in (("2026-02", "February 2026"), ("2026-03", "March 2026"), ("2026-04", "April 2026")):
        assert f'<a href="{month}/index.html">{title}</a>' in page
    assert "http:" not in page and "https:" not in page
    # April, worked out by hand: open or in progress ACT-005, 009, 010, 013, 015, 021, 900; overdue
    # and to escalate ACT-900 only; nothing closed during April.
    row = re.search(r'<tr><td><a href="2026-04/index.html">.*?</tr>', page).group(0)
    assert re.findall(r'<td class="n[^"]*">(\d+)</td>', row) == ["7", "1", "1", "0"]


def test_month_already_archived_is_refused_and_untouched(history):
    archive = history["archive"]
    before = tree_bytes(archive)
    result = snapshot(history["project"], "--month", "2026-03")
    assert result.returncode == 1
    assert "already archived" in result.stderr
    no_traceback(result)
    assert tree_bytes(archive) == before


def test_verify_intact_archive(history):
    result = verify(history["project"])
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["archive/2026-02", "archive/2026-03", "archive/2026-04"]
    assert "follows 2026-03" in lines[2]
    one = verify(history["project"], "archive/2026-03")
    assert one.returncode == 0 and one.stdout.count("\n") == 1


def test_snapshot_is_reproducible_on_another_machine(history, tmp_path):
    """Same month, same commit, same previous month: byte-identical, whatever the working tree holds."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(history["project"]), str(clone)], env=git_env(), check=True)
    shutil.copytree(history["archive"] / "2026-02", clone / "archive" / "2026-02")
    assert snapshot(clone, "--month", "2026-03").returncode == 0
    assert tree_bytes(clone / "archive" / "2026-03") == tree_bytes(history["archive"] / "2026-03")


# -- tampering: each on a copy of the archive ----------------------------------------------------
@pytest.fixture
def copy(history, tmp_path) -> Path:
    target = tmp_path / "archive"
    shutil.copytree(history["archive"], target)
    return target


def failing(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 1, result.stdout
    no_traceback(result)
    return [line for line in result.stdout.splitlines() if ": OK (" not in line]


def test_verify_catches_one_flipped_bit(copy):
    page = copy / "2026-03" / "statements" / "learning-culture.html"
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 0x04
    page.write_bytes(bytes(data))
    assert failing(verify(copy.parent, "archive")) == [
        "archive/2026-03/statements/learning-culture.html: changed: its SHA-256 no longer matches manifest.json",
    ]


def test_verify_catches_deleted_and_extra_files(copy):
    (copy / "2026-04" / "evidence" / "ev-005.html").unlink()
    (copy / "2026-02" / "actions" / "act-099.html").write_text("<p>an action nobody agreed</p>")
    assert failing(verify(copy.parent, "archive")) == [
        "archive/2026-02/actions/act-099.html: extra file: not in manifest.json",
        "archive/2026-04/evidence/ev-005.html: missing: listed in manifest.json",
    ]


def test_verify_catches_a_rewritten_previous_month(copy):
    """Rewrite February's portfolio.json and its manifest to match: March's link exposes it."""
    february = copy / "2026-02"
    text = (february / "portfolio.json").read_text()
    assert '"status": "in-progress"' in text
    (february / "portfolio.json").write_text(text.replace('"status": "in-progress"', '"status": "completed"', 1))
    manifest = json.loads((february / "manifest.json").read_text())
    manifest["files"]["portfolio.json"] = hashlib.sha256((february / "portfolio.json").read_bytes()).hexdigest()
    (february / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    found = failing(verify(copy.parent, "archive"))
    assert found == [
        "archive/2026-02/manifest.json: changed since 2026-03 was archived: its SHA-256 no longer matches the one in 2026-03/manifest.json",
    ]


def test_verify_catches_a_missing_previous_month(copy):
    shutil.rmtree(copy / "2026-03")
    assert failing(verify(copy.parent, "archive")) == [
        "archive/2026-03: missing previous month: 2026-04's manifest.json chains to it",
    ]


def test_snapshot_refuses_to_chain_onto_a_tampered_month(history, tmp_path):
    project = tmp_path / "project"
    subprocess.run(["git", "clone", "-q", str(history["project"]), str(project)], env=git_env(), check=True)
    shutil.copytree(history["archive"], project / "archive")
    (project / "archive" / "2026-04" / "index.html").write_text("rewritten")
    before = tree_bytes(project / "archive")
    result = snapshot(project, "--month", "2026-05")
    assert result.returncode == 1
    assert "archive/2026-04/index.html:1: snapshot: changed" in result.stderr
    assert tree_bytes(project / "archive") == before


# -- mistakes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("month, message", [
    ("2026-13", "not a real month"), ("March", "not a month"), ("2026-06", "has not ended yet"), ("2027-01", "has not ended yet"),
])
def test_bad_month_is_a_usage_error(history, month, message):
    result = snapshot(history["project"], "--month", month)
    assert result.returncode == 2 and message in result.stderr
    no_traceback(result)


def test_no_commit_before_the_month(tmp_path):
    project = copy_example(tmp_path / "project")
    git(project, "init", "-q")
    commit_all(project, "2026-02-10T10:00:00+00:00")
    result = snapshot(project, "--month", "2026-01")
    assert result.returncode == 1
    assert "no commit on or before 2026-01-31T23:59:59+00:00" in result.stderr
    no_traceback(result)
    assert not (project / "archive").exists()


def test_archive_that_is_a_file(tmp_path):
    project = copy_example(tmp_path / "project")
    (project / "archive").write_text("not a folder")
    result = snapshot(project, "--month", "2026-03")
    assert result.returncode == 2 and "archive:1: snapshot: exists and is not a folder" in result.stderr
    no_traceback(result)


def test_verify_dir_that_does_not_exist(tmp_path):
    result = verify(tmp_path, "nowhere")
    assert result.returncode == 2 and "nowhere does not exist" in result.stderr
    no_traceback(result)


def test_without_git_it_says_so(tmp_path):
    project = copy_example(tmp_path / "project")
    env = clean_env(SOURCE_DATE_EPOCH=TODAY, GIT_CEILING_DIRECTORIES=str(tmp_path))
    result = snapshot(project, env=env)  # default month: May 2026, the last complete month
    assert result.returncode == 0, result.stderr
    assert "not in a git repository" in result.stderr and "files as they are now" in result.stderr
    folder = project / "archive" / "2026-05"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["commit"] is None and "Not built from version control" in manifest["note"]
    assert "not from a git commit" in (folder / "index.html").read_text()
