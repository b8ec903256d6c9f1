"""What an archive holds and how it is checked: month folders, their file names, the SHA-256 of
every file. Shared by making a snapshot, ``portfolio verify`` and the archive's index, so none of
those imports another.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


MANIFEST = "manifest.json"
CHANGES = "changes.json"
PORTFOLIO_JSON = "portfolio.json"


ARCHIVE_INDEX = "index.html"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


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

    def following(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return self.key


def is_month_name(name: str) -> bool:
    try:
        Month.parse(name)
    except ValueError:
        return False
    return True


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
