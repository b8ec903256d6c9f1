"""The plan's month labels: English month names from ``calendar.month_name``, as the archive's."""

from __future__ import annotations

from generator.archive.manifest import Month
from generator.site.plan import month_label


def test_month_label_names_the_month_in_english():
    assert month_label("2026-03") == "March 2026"
    assert month_label("2025-12") == "December 2025"
    assert month_label("undated") == "No date"


def test_month_label_matches_the_archive_month_titles():
    for number in range(1, 13):
        assert month_label(f"2026-{number:02d}") == Month(2026, number).title
