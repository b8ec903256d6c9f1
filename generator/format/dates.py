"""The format's one date rule: a date is written YYYY-MM-DD and is a real day; nothing is guessed.

Records, profiles, frameworks and the command line all read dates with :func:`parse_iso_date`;
each gives the advice its message ends with (``write dates as YYYY-MM-DD (for example ...)``). (The tracker
importer is the exception on purpose: it reads British dates from spreadsheets, tracker/cells.py.)
"""

from __future__ import annotations

import re
from datetime import date

#: Four, two and two ASCII digits (``date.fromisoformat`` alone also takes 20260331 and 2026-W13-2).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class NotADate(ValueError):
    """Not written as YYYY-MM-DD (31/03/2026, March 2026, 2026-3-31)."""


class NotARealDate(ValueError):
    """Written as YYYY-MM-DD, but no such day (2026-02-30)."""


def parse_iso_date(text: str, advice: str = "write dates as YYYY-MM-DD") -> date:
    """The day ``text`` names; raises NotADate (its message ending with ``advice``) or
    NotARealDate, both ValueErrors whose message is the problem to report."""
    if not ISO_DATE.fullmatch(text):
        raise NotADate(f"'{text}' is not a date; {advice}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NotARealDate(f"'{text}' is not a real date") from None
