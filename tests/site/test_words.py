"""One slug and one size formatter, for the site, the importer and the snapshot message."""

from __future__ import annotations

from generator.format.people import Person
from generator.site.dashboards import owner_anchor
from generator.site.words import file_size, slug


def test_slug_drops_apostrophes_and_joins_words_with_hyphens():
    assert slug("Women’s Safe Care") == "womens-safe-care"
    assert slug("  Learning, improvement & innovation ") == "learning-improvement-innovation"
    assert slug("S1") == "s1"
    assert slug("!!!") == ""
    assert slug("!!!", fallback="not-named") == "not-named"


def test_owner_pages_keep_their_addresses():
    assert owner_anchor(Person("Mary O’Brien", "Registered Manager", True)) == "owner-mary-o-brien-registered-manager"
    assert owner_anchor(Person("Sam O'Neill", None, True)) == "owner-sam-o-neill"
    assert owner_anchor(Person("???", None, True)) == "owner-not-named"


def test_file_size_in_bytes_kilobytes_and_megabytes():
    assert file_size(512) == "512 bytes"
    assert file_size(1024) == "1.0 KB"
    assert file_size(12_600) == "12.3 KB"
    assert file_size(12_600, kb_decimals=0) == "12 KB"
    assert file_size(5 * 1024 * 1024 + 600_000) == "5.6 MB"
