"""``portfolio verify``: check monthly snapshots against their manifests and the chain between them.

Every file of a month's folder must be in its ``manifest.json`` with the same SHA-256, and every
file the manifest lists must be there. Each manifest also records the SHA-256 of the previous
month's manifest, so rewriting an earlier month (files and manifest together) shows as a broken
link in the chain. Findings are ``PATH: message``, one per line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import PortfolioError, Problem
from .manifest import MANIFEST, Month, archived_months, folder_files, is_month_name, sha256_file

_HEX64 = frozenset("0123456789abcdef")


@dataclass(frozen=True, order=True)
class Finding:
    path: Path
    message: str


@dataclass
class MonthResult:
    """One month's folder checked: how many files matched, and what is wrong."""

    month: str
    folder: Path
    files: int = 0
    previous: str | None = None
    manifest_sha256: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


class VerifyUsageError(PortfolioError):
    """DIR is not something verify can check (missing, a file, ...): a bad DIR argument (exit 2)."""

    def __init__(self, shown: str, message: str):
        super().__init__([Problem(shown, 0, "", message)], option="'DIR'")


def _is_sha(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def _safe_rel(rel: Any) -> bool:
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def read_manifest(folder: Path) -> tuple[dict[str, Any] | None, bytes | None, str | None]:
    """The manifest, its bytes, or why it cannot be used."""
    path = folder / MANIFEST
    if not path.is_file():
        return None, None, "missing: this folder has no manifest, so nothing in it can be checked"
    data = path.read_bytes()
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return None, data, f"not valid JSON ({exc}); the manifest has been damaged"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None, data, "not a snapshot manifest (no 'files' table)"
    bad = [rel for rel, sha in manifest["files"].items() if not _safe_rel(rel) or not _is_sha(sha)]
    if bad:
        return None, data, f"not a snapshot manifest (bad entry for '{bad[0]}')"
    previous = manifest.get("previous")
    if previous is not None and not (
        isinstance(previous, dict) and isinstance(previous.get("month"), str)
        and is_month_name(previous["month"]) and _is_sha(previous.get("sha256"))
    ):
        return None, data, "not a snapshot manifest (bad 'previous' entry)"
    return manifest, data, None


def verify_month(folder: Path) -> MonthResult:
    """Files against the manifest, then the link to the previous month (a sibling folder)."""
    result = MonthResult(folder.name, folder)
    manifest, data, problem = read_manifest(folder)
    if manifest is None or data is None:
        result.findings.append(Finding(folder / MANIFEST, problem or "unreadable"))
        return result
    result.manifest_sha256 = hashlib.sha256(data).hexdigest()
    if manifest.get("month") != folder.name:
        result.findings.append(Finding(
            folder / MANIFEST, f"is the manifest of {manifest.get('month')!r}, but the folder is named {folder.name}",
        ))

    expected: dict[str, str] = manifest["files"]
    present = [rel for rel in folder_files(folder) if rel != MANIFEST]
    for rel in present:
        path = folder / rel
        if rel not in expected:
            result.findings.append(Finding(path, "extra file: not in manifest.json"))
        elif path.is_symlink() or not path.is_file():
            result.findings.append(Finding(path, "changed: no longer a plain file"))
        elif sha256_file(path) != expected[rel]:
            result.findings.append(Finding(path, "changed: its SHA-256 no longer matches manifest.json"))
        else:
            result.files += 1
    on_disk = set(present)
    for rel in sorted(expected):
        if rel not in on_disk:
            result.findings.append(Finding(folder / rel, "missing: listed in manifest.json"))

    previous = manifest.get("previous")
    if previous is not None:
        result.previous = previous["month"]
        before = folder.parent / previous["month"]
        before_manifest = before / MANIFEST
        if not before.is_dir():
            result.findings.append(Finding(before, f"missing previous month: {folder.name}'s manifest.json chains to it"))
        elif not before_manifest.is_file():
            result.findings.append(Finding(before_manifest, f"missing: {folder.name}'s manifest.json chains to it"))
        elif hashlib.sha256(before_manifest.read_bytes()).hexdigest() != previous["sha256"]:
            result.findings.append(Finding(
                before_manifest,
                f"changed since {folder.name} was archived: its SHA-256 no longer matches the one in {folder.name}/manifest.json",
            ))
    result.findings.sort()
    return result


def _chain_findings(archive: Path, months: list[str], results: dict[str, MonthResult]) -> None:
    """Across the archive: each month must chain to the month folder just before it."""
    for index, name in enumerate(months):
        result = results[name]
        manifest, _, _ = read_manifest(archive / name)
        if manifest is None:
            continue
        expected = months[index - 1] if index else None
        recorded = (manifest.get("previous") or {}).get("month")
        if expected is None or recorded == expected:
            continue
        if recorded is None:
            result.findings.append(Finding(
                archive / name / MANIFEST,
                f"starts a new chain, but {expected} is archived before it: a month was added out of order or the chain was rewritten",
            ))
        elif recorded < expected:
            result.findings.append(Finding(
                archive / expected,
                f"not in the chain: {name}'s manifest.json follows {recorded}, so this month was added afterwards",
            ))
        result.findings.sort()


def find_months(path: Path, *, shown: str | None = None) -> tuple[Path, list[str], bool]:
    """(archive folder, month folder names to check, whether a whole archive was given).

    ``shown`` is the folder as the user named it, for the problem when it cannot be checked."""
    if not path.exists():
        raise VerifyUsageError(shown or str(path), "does not exist")
    if not path.is_dir():
        raise VerifyUsageError(shown or str(path), "is not a folder; give the archive folder or one month's folder")
    if (path / MANIFEST).exists() or is_month_name(path.name):
        return path.parent, [path.name], False
    return path, archived_months(path), True


def verify_path(path: Path, *, shown: str | None = None) -> tuple[list[MonthResult], list[Finding]]:
    """Check an archive folder (every month) or one month's folder; raises VerifyUsageError."""
    archive, months, whole = find_months(path, shown=shown)
    general: list[Finding] = []
    if whole:
        for entry in sorted(archive.iterdir()):
            if is_month_name(entry.name) and not entry.is_dir():
                general.append(Finding(entry, "not a folder: a month's snapshot is a folder"))
        if not months:
            general.append(Finding(archive, "no monthly snapshots (YYYY-MM folders) here to verify"))
    results = {name: verify_month(archive / name) for name in months}
    if whole:
        _chain_findings(archive, months, results)
    return [results[name] for name in months], general


def month_title(name: str) -> str:
    try:
        return Month.parse(name).title
    except ValueError:
        return name
