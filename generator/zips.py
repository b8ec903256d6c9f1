"""The one zip writer: a share's ``PROFILE.zip`` and an export's workbook (an .xlsx is a zip).

The same files on the same as-of date give the same bytes on every machine: entries in the
order given (a folder's files sorted by path), every entry dated the as-of day at midnight,
written as from Unix with fixed permissions, deflated at level 6.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import IO, Any

#: A regular file, rw-r--r--: the mode a share's entries carry.
FILE_MODE = 0o100644
#: Level 6 is zlib's default, so this is what zipfile writes when no level is given.
COMPRESS_LEVEL = 6


def entry(name: str, day: date, *, mode: int = FILE_MODE) -> zipfile.ZipInfo:
    """A zip entry dated ``day`` at midnight (zip dates start in 1980), from Unix, with ``mode``."""
    stamp = (day.year, day.month, day.day, 0, 0, 0) if day.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_folder_zip(folder: Path, zip_path: Path, top: str, day: date) -> None:
    """Every file under ``folder``, sorted by path, as ``top/PATH`` in a new zip at ``zip_path``."""
    files = sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(zip_path, "w") as archive:
        for rel, path in files:
            archive.writestr(entry(f"{top}/{rel}", day), path.read_bytes(), compresslevel=COMPRESS_LEVEL)


class DatedZip(zipfile.ZipFile):
    """A zip for a library that writes its own entries (openpyxl): each made by :func:`entry`.

    ``mode`` is the permissions every entry carries; the export's workbook keeps the 0o644 (no
    file type bits) it has always had, so a workbook stays byte for byte what it was.
    """

    def __init__(self, file: str | Path | IO[bytes], day: date, *, mode: int = FILE_MODE):
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._day = day
        self._mode = mode

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            name = zinfo_or_arcname.filename
        else:
            name = str(zinfo_or_arcname)
        super().writestr(entry(name, self._day, mode=self._mode), data, compresslevel=COMPRESS_LEVEL)

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None, compresslevel: int | None = None) -> None:
        """openpyxl writes each worksheet to a temporary file and adds it with write()."""
        with open(filename, "rb") as handle:
            data = handle.read()
        self.writestr(str(arcname if arcname is not None else filename), data)
