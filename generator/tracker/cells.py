"""Tracker cells read leniently: British dates typed as text or Excel serials, status and risk words
("Done", "RAG red"), the kind of a source from its wording, and the hashes ids are made of (their slugs: site/words.py).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from typing import Any

from ..format.values import RISKS
from ..problems import nearest


def normalise_heading(text: Any) -> str:
    """``"Due date (dd/mm/yyyy)"`` -> ``"due date"``; ``"Action #"`` -> ``"action no"``."""
    if text is None:
        return ""
    value = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    value = value.replace("#", " no ").replace("&", " and ").replace("’", "").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(("open", "not started", "not yet started", "new", "to do", "todo", "raised", "outstanding",
                     "planned", "not begun"), "open"),
    **dict.fromkeys(("in progress", "inprogress", "ongoing", "on going", "started", "underway", "under way", "on track",
                     "in hand", "progressing", "behind", "delayed", "overdue", "at risk", "wip", "pending",
                     "partially complete", "partly complete", "part complete", "not complete", "incomplete",
                     "off track", "active", "live"), "in-progress"),
    **dict.fromkeys(("complete", "completed", "done", "finished", "achieved", "met", "actioned", "resolved",
                     "implemented", "complete awaiting evidence", "completed awaiting sign off"), "completed"),
    **dict.fromkeys(("closed", "signed off", "closed effective", "closed and signed off", "complete and closed",
                     "completed and closed"), "closed"),
    **dict.fromkeys(("cancelled", "canceled", "withdrawn", "not required", "no longer required", "superseded",
                     "not needed", "void"), "cancelled"),
}
RISK_WORDS: dict[str, str] = {
    **dict.fromkeys(("red", "r", "high", "h", "red high", "high red"), "high"),
    **dict.fromkeys(("amber", "a", "orange", "yellow", "medium", "med", "m", "moderate", "amber medium", "medium amber"), "medium"),
    **dict.fromkeys(("green", "g", "low", "l", "green low", "low green"), "low"),
    **dict.fromkeys(("critical", "very high", "extreme", "black", "severe", "urgent"), "critical"),
}
RAG_OF_RISK = {"high": "red", "medium": "amber", "low": "green"}
PLACEHOLDER_DATES = {"", "n a", "na", "none", "nil", "not applicable", "-", "tbc", "tba", "unknown", "n k", "nk"}
SOURCE_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit", ("audit", "spot check", "walk round", "walkround")),
    ("inspection", ("inspection", "cqc", "inspector", "regulator")),
    ("oversight-review", ("oversight", "provider visit", "monitoring visit", "quality monitoring", "contract monitoring",
                          "quality review", "commissioner", "local authority", "reg 17", "regulation 17", "mock inspection",
                          "ni visit", "nominated individual")),
    ("complaint", ("complaint", "complaints", "concern raised")),
    ("safeguarding", ("safeguarding",)),
    ("incident", ("incident", "accident", "fall", "falls", "near miss", "medication error", "error", "injury", "riddor")),
    ("feedback-theme", ("feedback", "survey", "questionnaire", "compliment", "residents meeting", "relatives meeting",
                        "family meeting", "you said we did")),
    ("risk", ("risk assessment", "risk register", "risk")),
    ("training-need", ("training", "competency", "supervision")),
    ("care-plan-review", ("care plan review", "care plan", "care review")),
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")), start=1)
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_D_MONTH_Y = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-/]+({_MONTH_RE})\.?,?[\s\-/]+(\d{{4}}|\d{{2}})$")
_MONTH_D_Y = re.compile(rf"^{_WEEKDAY}({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
_MONTH_Y = re.compile(rf"^({_MONTH_RE})\.?[\s\-/]+(\d{{4}}|\d{{2}})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:am|pm)?$")
EXCEL_1900 = date(1899, 12, 30)
EXCEL_1904 = date(1904, 1, 1)
#: Serial numbers read as dates: 1990-01-01 .. 2100-12-31 in Excel's 1900 date system.
_SERIAL_RANGE = (32874, 73415)
DATE_HELP = "dates are read day first: 31/03/2026, 31/3/26 or 31 March 2026"


class ValueProblem(ValueError):
    """A cell that cannot be read as the field it is in."""


def parse_date(value: Any, *, epoch: date = EXCEL_1900) -> date | None:
    """A date from a cell: a date/datetime, an Excel serial, or British text. None when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem(f"'{value}' is not a date")
    if isinstance(value, (int, float)):
        return _serial(value, epoch)
    text = " ".join(str(value).split())
    if normalise_heading(text) in PLACEHOLDER_DATES:
        return None
    lower = _TIME_TAIL.sub("", text.lower()).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", lower):
        return _serial(float(lower), epoch)
    if m := _DMY.match(lower):
        day, month, year = int(m[1]), int(m[2]), _year(m[3])
    elif m := _YMD.match(lower):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _D_MONTH_Y.match(lower):
        day, month, year = int(m[1]), _MONTHS[m[2]], _year(m[3])
    elif m := _MONTH_D_Y.match(lower):
        month, day, year = _MONTHS[m[1]], int(m[2]), int(m[3])
    elif _MONTH_Y.match(lower):
        raise ValueProblem(f"'{text}' is not a date: it gives no day; write the day too ({DATE_HELP})")
    else:
        raise ValueProblem(f"'{text}' is not a date; {DATE_HELP}")
    try:
        return date(year, month, day)
    except ValueError:
        if _DMY.match(lower) and 1 <= day <= 12 < month <= 31:
            raise ValueProblem(f"'{text}' is not a real date ({DATE_HELP}; it reads as month {month}, which looks like US order)") from None
        raise ValueProblem(f"'{text}' is not a real date") from None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _serial(number: float, epoch: date) -> date:
    if not (_SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]):
        raise ValueProblem(f"{_show_number(number)} is a number, not a date; {DATE_HELP}")
    return epoch + timedelta(days=int(number))


def _show_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def cell_text(value: Any) -> str:
    """A cell as one tidy line of text ('' for blank); 12.0 -> '12'; a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def cell_paragraph(value: Any) -> str:
    """Like :func:`cell_text` but keeps line breaks (for narrative cells)."""
    if isinstance(value, str):
        lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        return "\n".join(line for line in lines if line).strip()
    return cell_text(value)


def parse_status(value: Any, extra: dict[str, str] | None = None) -> str | None:
    words = normalise_heading(cell_text(value))
    if not words:
        return None
    table = {**STATUS_WORDS, **(extra or {})}
    if words in table:
        return table[words]
    compact = words.replace(" ", "")
    for key, status in table.items():
        if key.replace(" ", "") == compact:
            return status
    suggestion = nearest(words, list(table), cutoff=0.75)
    hint = f"; did you mean '{suggestion}' ({table[suggestion]})?" if suggestion else ""
    raise ValueProblem(f"'{cell_text(value)}' is not a status this import knows (open, in progress, complete, closed, cancelled, ...){hint}")


def parse_risk(value: Any, extra: dict[str, str] | None = None) -> str | None:
    words = normalise_heading(cell_text(value))
    if not words:
        return None
    table = {**RISK_WORDS, **(extra or {})}
    if words in table:
        return table[words]
    if words in RISKS:
        return words
    raise ValueProblem(f"'{cell_text(value)}' is not a risk or RAG rating (red, amber, green; high, medium, low; critical)")


def guess_source_kind(text: str) -> str:
    words = f" {normalise_heading(text)} "
    for kind, keys in SOURCE_KIND_WORDS:
        if any(f" {key} " in words for key in keys):
            return kind
    return "other"


def short_hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8]
