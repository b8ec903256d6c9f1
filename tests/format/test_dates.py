"""The format's one date rule: YYYY-MM-DD, a real day, nothing guessed."""

from __future__ import annotations

from datetime import date

import pytest

from generator.format.dates import NotADate, NotARealDate, parse_iso_date


def test_a_date_is_read_as_written():
    assert parse_iso_date("2026-03-31") == date(2026, 3, 31)
    assert parse_iso_date("2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize("text", [
    "31/03/2026", "2026-3-31", "20260331", "2026-W13-2", "2026-03-31T10:00", " 2026-03-31", "2026-03-31\n",
    "March 2026", "", "٢٠٢٦-٠٣-٣١",
])
def test_anything_else_is_not_a_date(text: str):
    with pytest.raises(NotADate, match="write dates as YYYY-MM-DD"):
        parse_iso_date(text)


@pytest.mark.parametrize("text", ["2026-02-29", "2026-13-01", "2026-04-31", "0000-01-01"])
def test_a_day_that_does_not_exist_is_not_a_real_date(text: str):
    with pytest.raises(NotARealDate, match="is not a real date"):
        parse_iso_date(text)
    with pytest.raises(ValueError):  # both are ValueErrors, for callers that need not tell them apart
        parse_iso_date(text)
