"""Unit tests for generator.archive.verify and generator.archive.index, on hand-made snapshot folders.

A "snapshot" here is a few files and a manifest written the way generator.archive.snapshot writes them;
the real thing is built in tests/integration/test_snapshot_cli.py.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from generator.archive.index import headline, render_archive_index
from generator.archive.manifest import MANIFEST, dump_json, file_hashes
from generator.archive.verify import VerifyUsageError, verify_month, verify_path


def make_month(archive: Path, month: str, files: dict[str, bytes] | None = None, previous: str | None = "auto") -> Path:
    """A month's folder with its files and a manifest chained to the latest earlier month."""
    folder = archive / month
    folder.mkdir(parents=True)
    for rel, data in (files or {"index.html": f"<p>{month}</p>".encode(), "actions/act-1.html": b"action"}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    if previous == "auto":
        earlier = sorted(p.name for p in archive.iterdir() if p.is_dir() and p.name < month)
        previous = earlier[-1] if earlier else None
    link = None
    if previous:
        link = {"month": previous, "sha256": hashlib.sha256((archive / previous / MANIFEST).read_bytes()).hexdigest()}
    manifest = {"month": month, "as_of": f"{month}-28", "commit": None, "previous": link, "files": file_hashes(folder)}
    (folder / MANIFEST).write_bytes(dump_json(manifest))
    return folder


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    for month in ("2026-01", "2026-02", "2026-03"):
        make_month(root, month)
    return root


def messages(findings) -> list[tuple[str, str]]:
    return [(f.path.as_posix(), f.message) for f in findings]


def all_findings(path: Path) -> list[tuple[str, str]]:
    results, general = verify_path(path)
    return messages(general) + [m for r in results for m in messages(r.findings)]


def test_intact_archive(archive):
    results, general = verify_path(archive)
    assert general == []
    assert [(r.month, r.ok, r.files, r.previous) for r in results] == [
        ("2026-01", True, 2, None), ("2026-02", True, 2, "2026-01"), ("2026-03", True, 2, "2026-02"),
    ]
    assert results[2].manifest_sha256 == hashlib.sha256((archive / "2026-03" / MANIFEST).read_bytes()).hexdigest()


def test_one_flipped_bit(archive):
    page = archive / "2026-02" / "actions" / "act-1.html"
    data = bytearray(page.read_bytes())
    data[3] ^= 0x01
    page.write_bytes(bytes(data))
    assert all_findings(archive) == [(page.as_posix(), "changed: its SHA-256 no longer matches manifest.json")]


def test_missing_and_extra_files(archive):
    (archive / "2026-03" / "index.html").unlink()
    (archive / "2026-03" / "actions" / "act-2.html").write_text("slipped in later")
    assert all_findings(archive) == [
        ((archive / "2026-03/actions/act-2.html").as_posix(), "extra file: not in manifest.json"),
        ((archive / "2026-03/index.html").as_posix(), "missing: listed in manifest.json"),
    ]


def test_rewritten_earlier_month_breaks_the_chain(archive):
    """Changing a page and its manifest together passes that month, but not the month after it."""
    folder = archive / "2026-01"
    (folder / "index.html").write_text("<p>a kinder January</p>")
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"] = file_hashes(folder)
    (folder / MANIFEST).write_bytes(dump_json(manifest))
    found = all_findings(archive)
    assert len(found) == 1
    path, message = found[0]
    assert path == (folder / MANIFEST).as_posix()
    assert message.startswith("changed since 2026-02 was archived")


def test_missing_previous_month(archive):
    shutil.rmtree(archive / "2026-02")
    assert all_findings(archive) == [
        ((archive / "2026-02").as_posix(), "missing previous month: 2026-03's manifest.json chains to it"),
    ]


def test_month_slipped_into_the_chain(tmp_path):
    root = tmp_path / "archive"
    make_month(root, "2026-01")
    make_month(root, "2026-03")
    make_month(root, "2026-02", previous="2026-01")  # made afterwards, behind the chain's back
    found = all_findings(root)
    assert found == [((root / "2026-02").as_posix(), "not in the chain: 2026-03's manifest.json follows 2026-01, so this month was added afterwards")]


def test_new_chain_started_after_an_archived_month(tmp_path):
    root = tmp_path / "archive"
    make_month(root, "2026-01")
    make_month(root, "2026-02", previous=None)
    path, message = all_findings(root)[0]
    assert path == (root / "2026-02" / MANIFEST).as_posix() and message.startswith("starts a new chain")


def test_damaged_or_missing_manifest(archive):
    (archive / "2026-03" / MANIFEST).write_text("{ not json")
    (archive / "2026-01" / MANIFEST).unlink()
    found = all_findings(archive)
    january, march = (archive / "2026-01" / MANIFEST).as_posix(), (archive / "2026-03" / MANIFEST).as_posix()
    assert [path for path, _ in found] == [january, january, march]
    assert found[0][1].startswith("missing: this folder has no manifest")
    assert found[1][1] == "missing: 2026-02's manifest.json chains to it"
    assert found[2][1].startswith("not valid JSON")


def test_renamed_month_folder(archive):
    (archive / "2026-03").rename(archive / "2026-04")
    found = all_findings(archive)
    assert ((archive / "2026-04" / MANIFEST).as_posix(), "is the manifest of '2026-03', but the folder is named 2026-04") in found


def test_manifest_paths_may_not_leave_the_folder(archive):
    manifest = json.loads((archive / "2026-03" / MANIFEST).read_text())
    manifest["files"]["../2026-02/index.html"] = "0" * 64
    (archive / "2026-03" / MANIFEST).write_bytes(dump_json(manifest))
    assert any("not a snapshot manifest" in message for _, message in all_findings(archive))


def test_one_month_folder(archive):
    results, general = verify_path(archive / "2026-02")
    assert general == [] and [r.month for r in results] == ["2026-02"] and results[0].ok
    (archive / "2026-01" / "index.html").write_text("changed")
    assert verify_month(archive / "2026-02").ok  # files of another month are that month's business


def test_empty_archive_is_a_finding(tmp_path):
    (tmp_path / "archive").mkdir()
    assert all_findings(tmp_path / "archive") == [((tmp_path / "archive").as_posix(), "no monthly snapshots (YYYY-MM folders) here to verify")]


def test_dir_must_be_a_folder(tmp_path):
    with pytest.raises(VerifyUsageError, match="does not exist"):
        verify_path(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    with pytest.raises(VerifyUsageError, match="not a folder"):
        verify_path(tmp_path / "file")


# -- archive index -----------------------------------------------------------------------------
def action(rid: str, status: str, flags: list[str], closed: str | None = None) -> dict:
    fields = {"closure": {"date": closed}} if closed else {}
    return {"id": rid, "kind": "action", "status": status, "flags": flags, "fields": fields}


def test_headline_figures():
    document = {"records": [
        action("ACT-1", "open", ["overdue", "escalate"]),
        action("ACT-2", "in-progress", ["overdue"]),
        action("ACT-3", "in-progress", []),
        action("ACT-4", "closed", [], closed="2026-03-12"),
        action("ACT-5", "closed", [], closed="2026-02-27"),
        action("ACT-6", "completed", ["review-overdue"]),
        {"id": "SRC-1", "kind": "source"},
    ]}
    assert headline("2026-03", document) == {"open": 3, "overdue": 2, "escalate": 1, "closed": 1}
    assert headline("2026-03", {"nothing": 1}) is None


def test_archive_index_lists_every_month_and_asks_no_other_host(archive):
    for month in ("2026-01", "2026-02", "2026-03"):
        (archive / month / "portfolio.json").write_text(json.dumps({"provider": "Test Care <Ltd>", "records": [action("ACT-1", "open", [])]}))
    page = render_archive_index(archive)
    assert page.index('href="2026-03/index.html"') < page.index('href="2026-02/index.html"') < page.index('href="2026-01/index.html"')
    assert "Test Care &lt;Ltd&gt;" in page
    assert "http:" not in page and "https:" not in page and "<script" not in page and "<link" not in page
