"""The one zip writer: shares and export workbooks both get their settings from generator/zips.py."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from generator.zips import DatedZip, entry, write_folder_zip


def test_entry_is_dated_at_midnight_from_unix_with_a_fixed_mode():
    info = entry("a/b.txt", date(2026, 3, 31))
    assert info.date_time == (2026, 3, 31, 0, 0, 0)
    assert info.create_system == 3
    assert info.external_attr == 0o100644 << 16
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert entry("x", date(1975, 6, 1)).date_time == (1980, 1, 1, 0, 0, 0)  # zip dates start in 1980


def test_folder_zip_is_sorted_under_one_top_folder_and_byte_identical(tmp_path: Path):
    site = tmp_path / "site"
    (site / "b").mkdir(parents=True)
    (site / "b" / "page.html").write_text("<p>b</p>")
    (site / "a.txt").write_text("a")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    write_folder_zip(site, first, "share", date(2026, 3, 31))
    (site / "a.txt").touch()  # a later file time changes nothing
    write_folder_zip(site, second, "share", date(2026, 3, 31))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["share/a.txt", "share/b/page.html"]
        assert archive.read("share/b/page.html") == b"<p>b</p>"


def test_dated_zip_gives_every_entry_the_day_and_mode_whatever_the_writer_asked():
    buffer = io.BytesIO()
    archive = DatedZip(buffer, date(2026, 1, 2), mode=0o644)
    archive.writestr("first.xml", b"<a/>")
    archive.writestr(zipfile.ZipInfo("second.xml", date_time=(2030, 5, 5, 12, 0, 0)), b"<b/>")
    archive.close()
    with zipfile.ZipFile(buffer) as read:
        assert [(i.filename, i.date_time, i.external_attr >> 16) for i in read.infolist()] == [
            ("first.xml", (2026, 1, 2, 0, 0, 0), 0o644),
            ("second.xml", (2026, 1, 2, 0, 0, 0), 0o644),
        ]
