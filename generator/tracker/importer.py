"""``portfolio import``: action trackers (xlsx or CSV) into action records, and back to valid ones only.

A tracker row becomes an action record (plus the source and service records it names), or a
problem ``FILE:SHEET:ROW:COLUMN: message`` saying why not. The rows are read leniently (British
dates typed as text, Excel serials, RAG colours, "Done" for a status), but what is written is held
to the same validator as ``portfolio check``: every candidate record is validated in memory
together with the portfolio already there, and only records that pass are written. Nothing in
``content/`` is ever overwritten.

Ids are deterministic, so importing the same tracker twice changes nothing:

- a reference column ("Ref", "ID", "Action no", ...) that holds a valid id with a letter in it
  (``MED-03``) is the id; one without a letter (``12``) becomes ``<id_prefix>-12`` (``IMP-12``);
- without a reference, the id is ``<id_prefix>-`` and the first 8 hex digits of the SHA-256 of
  the action text (case and punctuation ignored) and the raised date;
- a source named in the Source column is an existing source (by id or title), else a new one with
  id ``SRC-`` + 8 hex digits of the SHA-256 of its text (and service);
- a service is an existing one (by id, title or name), else a new one whose id is its name in
  lower case with hyphens.

A row whose id is already in the portfolio with the same title was imported before and is
skipped; with another title it is an error (the id is taken).
"""

from __future__ import annotations

import colorsys
import csv
import difflib
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..config.frameworks import Framework
from ..config.portfolio import PortfolioConfig, load_portfolio_config
from ..format.records import ACTION_STATUSES, RISKS, SOURCE_KINDS
from ..format.records import ID_PATTERN
from ..problems import Problems, nearest
from ..read.load import FOLDER_OF_KIND, RawRecord, load_content, split_front_matter
from ..read.validate import validate
from ..read.yamlread import YamlProblem, parse

# -- problems ----------------------------------------------------------------------------------


class ImportUsageError(Exception):
    """The command cannot run at all: unreadable file, missing sheet, broken map file (exit 2)."""


@dataclass(frozen=True)
class RowProblem:
    """One problem with a tracker row, located as a spreadsheet user would find it."""

    file: str
    sheet: str
    row: int
    column: str  # the column letter as Excel shows it, or "-" for the whole row / file
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.sheet}:{self.row}:{self.column}: {prefix}{self.message}"


# -- headings ----------------------------------------------------------------------------------

#: Fields a tracker column can fill, with the headings recognised for each (compared after
#: :func:`normalise_heading`: case, punctuation and anything in brackets ignored).
HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "ref no", "reference", "reference no", "reference number", "action id", "action ref",
           "action no", "action number", "no", "number", "item no"),
    "title": ("action", "actions", "action required", "actions required", "action to be taken", "actions to be taken",
              "agreed action", "agreed actions", "improvement action", "action description", "action title", "task",
              "title", "what", "what needs to happen", "what will we do", "recommendation", "recommended action"),
    "finding": ("issue", "issues", "finding", "findings", "issue identified", "issues identified", "concern",
                "area for improvement", "areas for improvement", "description", "details", "problem", "gap"),
    "notes": ("notes", "note", "comments", "comment", "progress", "update", "updates", "progress update", "latest update",
              "progress notes", "commentary", "progress to date"),
    "update_date": ("last updated", "date updated", "update date", "last update", "date of update", "date last updated",
                    "updated"),
    "owner": ("owner", "action owner", "responsible", "responsible person", "person responsible", "lead", "by whom",
              "who", "assigned to", "accountable", "named lead", "responsibility", "lead person"),
    "assigned_by": ("assigned by", "agreed by", "raised by"),
    "raised": ("date raised", "raised", "raised date", "date opened", "opened", "date identified", "date added",
               "date logged", "start date", "date agreed", "date created", "created", "date"),
    "due": ("due date", "due", "deadline", "target date", "target", "by when", "target completion date",
            "target completion", "timescale", "completion target", "due by"),
    "completed": ("date closed", "closed date", "date completed", "completed date", "completion date", "date complete",
                  "actual completion date", "actual completion", "date done", "closed on", "completed on", "closure date"),
    "status": ("status", "progress status", "current status", "state", "action status"),
    "risk": ("risk", "risk level", "risk rating", "priority", "severity", "risk score", "level of risk"),
    "rag": ("rag", "rag rating", "rag status", "rating", "brag", "rag rag"),
    "source": ("source", "from", "origin", "raised from", "source of action", "action source", "identified from",
               "identified through", "audit"),
    "source_kind": ("source type", "type of source", "source kind", "type"),
    "evidence": ("evidence", "evidence of completion", "evidence provided", "evidence location", "evidence held",
                 "evidence of action"),
    "evidence_required": ("evidence required", "how will we know", "success measure", "success measures",
                          "measure of success", "success criteria"),
    "intended_change": ("intended change", "expected outcome", "intended outcome", "desired outcome", "outcome sought"),
    "review_date": ("review date", "date of review", "effectiveness review", "review due"),
    "service": ("service", "location", "home", "site", "service name", "branch", "care home", "location name"),
    "quality_statements": ("quality statement", "quality statements", "cqc quality statement", "cqc quality statements",
                           "statement", "statements", "qs", "cqc statement"),
    "tags": ("tags", "tag", "category", "theme"),
}
FIELD_TITLES = {
    "id": "reference", "title": "action", "finding": "finding", "notes": "notes", "update_date": "date updated",
    "owner": "owner", "assigned_by": "assigned by", "raised": "date raised", "due": "due date", "completed": "date closed",
    "status": "status", "risk": "risk", "rag": "RAG", "source": "source", "source_kind": "source type",
    "evidence": "evidence", "evidence_required": "evidence required", "intended_change": "intended change",
    "review_date": "review date", "service": "service", "quality_statements": "quality statement", "tags": "tags",
}
IMPORT_FIELDS = tuple(HEADINGS)
DEFAULTABLE = ("quality_statements", "service", "source", "source_kind", "risk", "status")
MAP_KEYS = ("sheet", "header_row", "columns", "defaults", "id_prefix", "statuses", "risks")
HEADER_SCAN_ROWS = 10


def normalise_heading(text: Any) -> str:
    """``"Due date (dd/mm/yyyy)"`` -> ``"due date"``; ``"Action #"`` -> ``"action no"``."""
    if text is None:
        return ""
    value = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))
    value = value.replace("#", " no ").replace("&", " and ").replace("’", "").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())


_HEADING_FIELD = {normalise_heading(h): f for f, hs in HEADINGS.items() for h in hs}
_HEADING_FIELD.update({h + "s": f for h, f in list(_HEADING_FIELD.items()) if not h.endswith("s") and h + "s" not in _HEADING_FIELD})


# -- values --------------------------------------------------------------------------------------

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
_EXCEL_1900 = date(1899, 12, 30)
_EXCEL_1904 = date(1904, 1, 1)
#: Serial numbers read as dates: 1990-01-01 .. 2100-12-31 in Excel's 1900 date system.
_SERIAL_RANGE = (32874, 73415)
DATE_HELP = "dates are read day first: 31/03/2026, 31/3/26 or 31 March 2026"


class ValueProblem(ValueError):
    """A cell that cannot be read as the field it is in."""


def parse_date(value: Any, *, epoch: date = _EXCEL_1900) -> date | None:
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


def slug(text: str) -> str:
    """Lower case, apostrophes dropped, other runs of non-alphanumerics one '-' (the spec's statement ids)."""
    value = str(text).lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", value).strip("-")


def short_hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8]


# -- reading the tracker --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: Any
    fill: str | None = None  # RRGGBB of a solid fill, when there is one


@dataclass
class Table:
    """One sheet as rows of cells; ``rows`` maps the row number (as Excel shows it) to its cells."""

    file: str
    sheet: str
    rows: dict[int, list[Cell]]
    width: int
    epoch: date = _EXCEL_1900
    merged_headings: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2), 0-based cols
    sheets: tuple[str, ...] = ()

    def value(self, row: int, col: int) -> Any:
        cells = self.rows.get(row)
        return cells[col].value if cells and col < len(cells) else None


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int | None:
    if not re.fullmatch(r"[A-Za-z]{1,3}", letters):
        return None
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number - 1


def read_table(path: Path, shown: str, sheet: str | None) -> Table:
    """Read one sheet of an xlsx workbook, or a CSV file; raise ImportUsageError when it cannot."""
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ImportUsageError(f"{shown}: is a folder; give the tracker's file")
    if not path.is_file():
        raise ImportUsageError(f"{shown}: no such file")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, shown, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet:
            raise ImportUsageError(f"{shown}: --sheet is for Excel workbooks; a CSV file has one table")
        return _read_csv(path, shown)
    if suffix in (".xls", ".ods", ".numbers"):
        raise ImportUsageError(f"{shown}: {suffix} files cannot be read; save the tracker as .xlsx (Excel workbook) or .csv")
    raise ImportUsageError(f"{shown}: not a tracker this command reads; give an .xlsx or .csv file")


def _read_csv(path: Path, shown: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportUsageError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportUsageError(f"{shown}: cannot be read as text (neither UTF-8 nor Windows-1252); save it as 'CSV UTF-8'")
    if "\x00" in text:
        raise ImportUsageError(f"{shown}: is not a text CSV file (it holds NUL bytes); save the tracker as 'CSV UTF-8' or .xlsx")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: dict[int, list[Cell]] = {}
    width = 0
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            cells = [Cell(value.strip() or None) for value in record]
            rows[number] = cells
            width = max(width, len(cells))
    except csv.Error as exc:
        raise ImportUsageError(f"{shown}: cannot be read as CSV: {exc}") from None
    return Table(shown, path.stem, rows, width)


def _read_xlsx(path: Path, shown: str, wanted: str | None) -> Table:
    import warnings
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise ImportUsageError("reading .xlsx needs openpyxl: pip install openpyxl") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, unknown extensions...
            workbook = openpyxl.load_workbook(path, data_only=True)
    except zipfile.BadZipFile:
        raise ImportUsageError(f"{shown}: is not an Excel workbook (.xlsx) or is damaged or password-protected; open it in Excel and save it again as .xlsx") from None
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ImportUsageError(f"{shown}: cannot be read as an Excel workbook: {exc}") from None
    names = tuple(workbook.sheetnames)
    tables_only = [n for n in names if hasattr(workbook[n], "iter_rows")]  # not chart sheets
    if wanted:
        chosen = wanted if wanted in names else next((n for n in names if n.lower() == wanted.strip().lower()), None)
        if chosen is None:
            suggestion = nearest(wanted, names, cutoff=0.4)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            raise ImportUsageError(f"{shown}: no sheet '{wanted}'{hint} (sheets: {', '.join(names)})")
        if chosen not in tables_only:
            raise ImportUsageError(f"{shown}: sheet '{chosen}' is a chart, not a table")
        candidates = [chosen]
    else:
        visible = [n for n in tables_only if workbook[n].sheet_state == "visible"] or tables_only
        if not visible:
            raise ImportUsageError(f"{shown}: has no worksheet to read")
        candidates = visible
    theme = _theme_colours(getattr(workbook, "loaded_theme", None))
    epoch = _EXCEL_1904 if getattr(workbook, "epoch", None) and workbook.epoch.year == 1904 else _EXCEL_1900
    tables = []
    for name in candidates:
        table = _sheet_table(workbook[name], shown, name, theme, epoch)
        table.sheets = names
        tables.append(table)
        if wanted or find_header(table, {})[0] is not None:
            return table
    return tables[0]


def _sheet_table(ws: Any, shown: str, name: str, theme: list[str | None], epoch: date) -> Table:
    cells_by_position = getattr(ws, "_cells", None)
    if cells_by_position is None:  # pragma: no cover - openpyxl internals changed
        cells_by_position = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    rows: dict[int, list[Cell]] = {}
    width = 0
    for (row, col), cell in sorted(cells_by_position.items()):
        value = cell.value
        if isinstance(value, str) and not value.strip():
            value = None
        fill = _fill_rgb(cell, theme)
        if value is None and fill is None:
            continue
        cells = rows.setdefault(row, [])
        while len(cells) < col:
            cells.append(Cell(None))
        cells[col - 1] = Cell(value, fill)
        width = max(width, col)
    merged = []
    for merged_range in ws.merged_cells.ranges:
        r1, c1, r2, c2 = merged_range.min_row, merged_range.min_col, merged_range.max_row, merged_range.max_col
        top = rows.get(r1, [])
        top_value = top[c1 - 1].value if c1 - 1 < len(top) else None
        merged.append((r1, c1 - 1, r2, c2 - 1))
        if top_value is None or r2 == r1:
            continue
        # A cell merged down several rows (one source for three actions) belongs to each row.
        for row in range(r1 + 1, r2 + 1):
            cells = rows.setdefault(row, [])
            while len(cells) < c1:
                cells.append(Cell(None))
            if cells[c1 - 1].value is None:
                cells[c1 - 1] = Cell(top_value, cells[c1 - 1].fill)
    for cells in rows.values():
        cells.extend(Cell(None) for _ in range(width - len(cells)))
    return Table(shown, name, rows, width, epoch, merged)


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _theme_colours(theme_xml: bytes | None) -> list[str | None]:
    """The workbook theme's colours in the order cell styles index them (lt1, dk1, lt2, dk2, accents)."""
    default = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47",
               "0563C1", "954F72"]
    if not theme_xml:
        return list(default)
    try:
        root = ET.fromstring(theme_xml)
    except ET.ParseError:
        return list(default)
    scheme = root.find(f".//{_A}clrScheme")
    if scheme is None:
        return list(default)
    found: dict[str, str] = {}
    for child in scheme:
        tag = child.tag.replace(_A, "")
        colour = next(iter(child), None)
        if colour is None:
            continue
        value = colour.get("val") if colour.tag == f"{_A}srgbClr" else colour.get("lastClr")
        if value:
            found[tag] = value.upper()
    order = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink", "folHlink"]
    return [found.get(tag, default[i]) for i, tag in enumerate(order)]


def _fill_rgb(cell: Any, theme: list[str | None]) -> str | None:
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return None
    colour = fill.fgColor
    try:
        kind = colour.type
        if kind == "rgb":
            rgb = colour.rgb
            return rgb[-6:].upper() if isinstance(rgb, str) and len(rgb) >= 6 else None
        if kind == "indexed":
            from openpyxl.styles.colors import COLOR_INDEX

            index = colour.indexed
            return COLOR_INDEX[index][-6:].upper() if isinstance(index, int) and index < 64 else None
        if kind == "theme":
            index = colour.theme
            base = theme[index] if isinstance(index, int) and 0 <= index < len(theme) else None
            return _tinted(base, float(colour.tint or 0)) if base else None
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    return None


def _tinted(rgb: str, tint: float) -> str:
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(lightness, 0), 1), s)
    return "".join(f"{round(x * 255):02X}" for x in (r, g, b))


def rag_of_fill(rgb: str | None) -> str | None:
    """red, amber or green for a fill colour; None for white, greys, blues and the like."""
    if not rgb or not re.fullmatch(r"[0-9A-Fa-f]{6}", rgb):
        return None
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    if s < 0.12 or v < 0.3:
        return None
    degrees = h * 360
    if degrees < 15 or degrees >= 330:
        return "red"
    if degrees < 70:
        return "amber"
    if degrees < 170:
        return "green"
    return None


# -- the map file ---------------------------------------------------------------------------------


@dataclass
class ImportMap:
    """What a map file says (all optional)."""

    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> heading as written, or a column letter
    defaults: dict[str, Any] = field(default_factory=dict)
    id_prefix: str = "IMP"
    statuses: dict[str, str] = field(default_factory=dict)  # normalised word -> status
    risks: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    lines: dict[str, int] = field(default_factory=dict)  # "columns.<field>" -> line in the map file


def read_map(path: Path, shown: str, config: PortfolioConfig) -> ImportMap:
    """Read and check a map file; raise ImportUsageError listing every problem."""
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportUsageError(f"{shown}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data, lines = parse(text, where="import map files")
    except YamlProblem as exc:
        field_name = "map" if exc.field_name == "front matter" else exc.field_name
        raise ImportUsageError(f"{shown}:{exc.line}: {field_name}: {exc.message}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportUsageError(f"{shown}:1: map: must be a mapping (columns:, defaults:, ...)")
    result = ImportMap(path=shown)

    def add(key: tuple[Any, ...], label: str, message: str, suggestion: str | None = None) -> None:
        problems.add(shown, lines.line(*key), label, message, suggestion=suggestion)

    for key in data:
        if key not in MAP_KEYS:
            add((key,), str(key), f"unknown key; a map file has {', '.join(MAP_KEYS)}", nearest(str(key), MAP_KEYS))
    if data.get("sheet") is not None:
        result.sheet = cell_text(data["sheet"])
    if data.get("header_row") is not None:
        value = data["header_row"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            add(("header_row",), "header_row", "must be the row number of the headings (1 or more)")
        else:
            result.header_row = value
    if data.get("id_prefix") is not None:
        prefix = cell_text(data["id_prefix"])
        if not ID_PATTERN.match(prefix + "-1") or len(prefix) > 40:
            add(("id_prefix",), "id_prefix", f"'{prefix}' cannot start an id: use letters, digits, '.', '_' or '-'")
        else:
            result.id_prefix = prefix
    columns = data.get("columns")
    if columns is not None:
        if not isinstance(columns, dict):
            add(("columns",), "columns", "must map fields to headings, e.g. 'due: Target date'")
        else:
            for key, value in columns.items():
                if key not in IMPORT_FIELDS:
                    add(("columns", key), f"columns.{key}", f"not a field the import fills ({', '.join(IMPORT_FIELDS)})", nearest(str(key), IMPORT_FIELDS))
                elif not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
                    add(("columns", key), f"columns.{key}", "must be the column's heading as written, or its letter")
                else:
                    result.columns[key] = str(value).strip()
                    result.lines[f"columns.{key}"] = lines.line("columns", key)
    defaults = data.get("defaults")
    if defaults is not None:
        if not isinstance(defaults, dict):
            add(("defaults",), "defaults", "must be a mapping, e.g. 'quality_statements: [safeguarding]'")
        else:
            for key, value in defaults.items():
                where = ("defaults", key)
                if key not in DEFAULTABLE:
                    add(where, f"defaults.{key}", f"cannot be given a default (defaults are for {', '.join(DEFAULTABLE)})", nearest(str(key), DEFAULTABLE))
                    continue
                if key == "quality_statements":
                    items = value if isinstance(value, list) else [value]
                    ids = []
                    for item in items:
                        statement = config.framework.statement(cell_text(item)) if item is not None else None
                        if statement is None:
                            add(where, f"defaults.{key}", f"'{cell_text(item)}' is not a quality statement of {config.framework.id}",
                                nearest(cell_text(item), [s.id for s in config.framework.statements]))
                        else:
                            ids.append(statement.id)
                    result.defaults[key] = ids
                elif key == "risk":
                    try:
                        result.defaults[key] = parse_risk(value)
                    except ValueProblem as exc:
                        add(where, f"defaults.{key}", str(exc))
                elif key == "status":
                    try:
                        result.defaults[key] = parse_status(value)
                    except ValueProblem as exc:
                        add(where, f"defaults.{key}", str(exc))
                elif key == "source_kind":
                    if cell_text(value) not in SOURCE_KINDS:
                        add(where, f"defaults.{key}", f"'{cell_text(value)}' is not one of: {', '.join(SOURCE_KINDS)}", nearest(cell_text(value), SOURCE_KINDS))
                    else:
                        result.defaults[key] = cell_text(value)
                elif not cell_text(value):
                    add(where, f"defaults.{key}", "must not be empty")
                else:
                    result.defaults[key] = cell_text(value)
    for key, allowed, target in (("statuses", ACTION_STATUSES, result.statuses), ("risks", RISKS, result.risks)):
        table = data.get(key)
        if table is None:
            continue
        if not isinstance(table, dict):
            add((key,), key, f"must map the tracker's words to one of: {', '.join(allowed)}")
            continue
        for word, value in table.items():
            if cell_text(value) not in allowed:
                add((key, word), f"{key}.{word}", f"'{cell_text(value)}' is not one of: {', '.join(allowed)}", nearest(cell_text(value), allowed))
            else:
                target[normalise_heading(word)] = cell_text(value)
    if problems.errors:
        raise ImportUsageError("\n".join(str(p) for p in problems.sorted()))
    return result


# -- headers ----------------------------------------------------------------------------------------


def _heading_field(text: str, extra: dict[str, str]) -> str | None:
    key = normalise_heading(text)
    if not key:
        return None
    return extra.get(key) or _HEADING_FIELD.get(key)


def _merged_value(table: Table, row: int, col: int) -> Any:
    """A heading cell's value, taking merged heading cells (one title over two columns) into account."""
    value = table.value(row, col)
    if value is not None:
        return value
    for r1, c1, r2, c2 in table.merged_headings:
        if r1 <= row <= r2 and c1 <= col <= c2:
            return table.value(r1, c1)
    return None


def _row_headings(table: Table, row: int, extra: dict[str, str]) -> dict[int, tuple[str, str]]:
    """Column -> (field, heading as read) for one candidate header row (with the row above)."""
    found: dict[int, tuple[str, str]] = {}
    for col in range(table.width):
        here = cell_text(_merged_value(table, row, col))
        above = cell_text(_merged_value(table, row - 1, col)) if row > 1 else ""
        choices = [here] if here else []
        if above and above != here:
            choices += [f"{above} {here}".strip(), f"{here} {above}".strip()] if here else [above]
        for text in choices:
            name = _heading_field(text, extra)
            if name:
                found[col] = (name, text)
                break
    return found


def find_header(table: Table, extra: dict[str, str], *, row: int | None = None) -> tuple[int | None, dict[int, tuple[str, str]]]:
    """The header row (scanning the first rows for known headings) and what each column holds."""
    if row is not None:
        return row, _row_headings(table, row, extra)
    best: tuple[int, int | None, dict[int, tuple[str, str]]] = (0, None, {})
    for number in sorted(table.rows)[:HEADER_SCAN_ROWS]:
        headings = _row_headings(table, number, extra)
        fields = {name for name, _ in headings.values()}
        score = len(fields)
        if score >= 2 and "title" in fields and score > best[0]:
            best = (score, number, headings)
    return best[1], best[2]


# -- rows -> drafts ---------------------------------------------------------------------------------


@dataclass
class Draft:
    """One tracker row on its way to an action record."""

    row: int
    title: str
    ref: str | None
    values: dict[str, Any]  # import field -> parsed value
    columns: dict[str, int]  # import field -> column index it came from
    fields: dict[str, Any] = field(default_factory=dict)  # the action's front matter
    id: str = ""


@dataclass
class NewRecord:
    kind: str
    id: str
    fields: dict[str, Any]
    body: str
    rows: list[int]
    column: str  # the import field the rows name it in
    rel: str = ""


@dataclass
class ImportResult:
    """What an import found and did. ``records`` are the records made (written unless ``written`` is False)."""

    problems: list[RowProblem]
    records: list[NewRecord]
    already: list[tuple[int, str]]  # (row, id) already in the portfolio
    rows_read: int
    sheet: str
    header_row: int | None
    dry_run: bool
    written: bool = False

    @property
    def errors(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[RowProblem]:
        return [p for p in self.problems if p.severity == "warning"]


class _Run:
    """One import: the tracker, the portfolio it goes into, and every problem found on the way."""

    def __init__(self, project: Path, table: Table, mapping: ImportMap, config: PortfolioConfig, raw: list[RawRecord]):
        self.project = project
        self.table = table
        self.mapping = mapping
        self.config = config
        self.framework: Framework = config.framework
        self.raw = raw
        self.problems: list[RowProblem] = []
        self.failed_rows: set[int] = set()
        self.existing = {str(r.data.get("id", "")).lower(): r for r in raw if r.data.get("id") is not None}
        self.statement_slugs: dict[str, str] = {}
        for s in self.framework.statements:
            self.statement_slugs[slug(s.id)] = s.id
            self.statement_slugs.setdefault(slug(s.title), s.id)
        self.key_questions = {slug(q.id): q.title for q in self.framework.key_questions} | {slug(q.title): q.title for q in self.framework.key_questions}
        self.columns: dict[str, int] = {}
        self.header_row: int | None = None

    # -- reporting ----------------------------------------------------------------------------
    def report(self, row: int, column: int | str | None, message: str, *, warning: bool = False) -> None:
        letter = column if isinstance(column, str) else (column_letter(column) if column is not None else "-")
        self.problems.append(RowProblem(self.table.file, self.table.sheet, row, letter, message, "warning" if warning else "error"))
        if not warning:
            self.failed_rows.add(row)

    def heading(self, name: str) -> str:
        col = self.columns.get(name)
        if col is None or self.header_row is None:
            return FIELD_TITLES[name].capitalize()
        text = cell_text(_merged_value(self.table, self.header_row, col))
        return text or FIELD_TITLES[name].capitalize()

    # -- columns ------------------------------------------------------------------------------
    def map_columns(self) -> None:
        extra = {normalise_heading(h): f for f, h in self.mapping.columns.items() if self._letter(h) is None}
        row, headings = find_header(self.table, extra, row=self.mapping.header_row)
        if row is None:
            sample = ", ".join(f"'{h}'" for h in ("Action", "Owner", "Due date", "Status", "RAG", "Source"))
            self.report(1, "-", f"no header row found in the first {HEADER_SCAN_ROWS} rows; expected headings such as {sample}, "
                                f"or a map file saying which column is which (see 'portfolio import --help')")
            return
        self.header_row = row
        written = {c: cell_text(_merged_value(self.table, row, c)) for c in range(self.table.width)}
        used: dict[str, int] = {}
        missing = []
        for name, wanted in self.mapping.columns.items():
            match = next((c for c, text in written.items() if text and normalise_heading(text) == normalise_heading(wanted)), None)
            if match is None:
                match = next((c for c, (n, _) in sorted(headings.items()) if n == name and normalise_heading(_) == normalise_heading(wanted)), None)
            if match is None:
                match = self._letter(wanted)
            if match is None:
                suggestion = nearest(wanted, [w for w in written.values() if w], cutoff=0.5)
                missing.append(f"{self.mapping.path}:{self.mapping.lines.get(f'columns.{name}', 1)}: columns.{name}: "
                               f"no column '{wanted}' in the header row (row {row}) of sheet '{self.table.sheet}'"
                               + (f"; did you mean '{suggestion}'?" if suggestion else ""))
                continue
            used[name] = match
        if missing:
            raise ImportUsageError("\n".join(missing))
        for col, (name, text) in sorted(headings.items()):
            if name in self.mapping.columns or col in used.values():
                continue  # the map file decides this field (or this column)
            if name in used:
                self.report(row, col, f"heading '{text}' is another {FIELD_TITLES[name]} column; column {column_letter(used[name])} is used", warning=True)
                continue
            used[name] = col
        self.columns = used
        for col, text in written.items():
            if text and col not in used.values():
                self.report(row, col, f"heading '{text}' is not a column this import reads; its cells are not imported (a map file can name it)", warning=True)
        if "title" not in used:
            self.report(row, "-", "no column holds the action itself (a heading such as 'Action' or 'Action required')")

    def _letter(self, text: str) -> int | None:
        """A column letter given in a map file (``F``, ``AB``): capitals naming a column of the sheet."""
        index = column_index(text) if text.isupper() else None
        return index if index is not None and index < max(self.table.width, 1) else None

    # -- rows ---------------------------------------------------------------------------------
    def data_rows(self) -> Iterable[tuple[int, list[Cell]]]:
        assert self.header_row is not None
        for number in sorted(self.table.rows):
            if number <= self.header_row:
                continue
            cells = self.table.rows[number]
            if all(c.value is None for c in cells):
                continue  # a blank row, perhaps with colour only
            yield number, cells

    def is_heading_row(self, number: int, cells: list[Cell]) -> bool:
        """A section heading inside the table: one cell filled, or one cell merged across several columns."""
        filled = [i for i, c in enumerate(cells) if c.value is not None]
        if len(filled) != 1:
            return False
        spans = any(r1 <= number <= r2 and c1 == filled[0] and c2 > c1 for r1, c1, r2, c2 in self.table.merged_headings)
        return spans or filled[0] != self.columns.get("title")

    def draft(self, number: int, cells: list[Cell]) -> Draft | None:
        def raw(name: str) -> Any:
            col = self.columns.get(name)
            return cells[col].value if col is not None and col < len(cells) else None

        values: dict[str, Any] = {}
        row_failed = False

        def fail(name: str, message: str) -> None:
            nonlocal row_failed
            row_failed = True
            self.report(number, self.columns.get(name, "-"), f"{self.heading(name)}: {message}")

        title = cell_text(raw("title"))
        if not title:
            fail("title", "is empty; every action needs its text")
        for name in ("raised", "due", "completed", "update_date", "review_date"):
            try:
                values[name] = parse_date(raw(name), epoch=self.table.epoch)
            except ValueProblem as exc:
                fail(name, str(exc))
            else:
                if values[name] is None and cell_text(raw(name)):
                    values[f"{name}_written"] = cell_text(raw(name))  # 'TBC', 'n/a': no date
        try:
            values["status"] = parse_status(raw("status"), self.mapping.statuses)
        except ValueProblem as exc:
            fail("status", str(exc))
        risk = None
        for name in ("risk", "rag"):
            if risk is not None:
                break
            try:
                risk = parse_risk(raw(name), self.mapping.risks)
            except ValueProblem as exc:
                fail(name, str(exc))
                risk = "?"
            if risk is None and name in self.columns:
                colour = rag_of_fill(cells[self.columns[name]].fill) if self.columns[name] < len(cells) else None
                if colour:
                    risk = parse_risk(colour)
                    values["risk_from_fill"] = colour
                    values["risk_column"] = name
            elif risk is not None and risk != "?":
                values["risk_column"] = name
        values["risk"] = None if risk == "?" else risk
        for name in ("owner", "assigned_by", "source", "source_kind", "service", "quality_statements", "tags", "id"):
            values[name] = cell_text(raw(name))
            if name != "owner" and normalise_heading(values[name]) in PLACEHOLDER_DATES:
                values[name] = ""  # 'n/a', 'TBC', '-': nothing named (an owner is kept as written)
        for name in ("finding", "notes", "evidence", "evidence_required", "intended_change"):
            values[name] = cell_paragraph(raw(name))
        if row_failed:
            return None
        return Draft(number, title, values["id"] or None, values, dict(self.columns))

    # -- draft -> action fields -----------------------------------------------------------------
    def build_action(self, d: Draft) -> bool:
        v = d.values
        number = d.row
        ok = True

        def fail(name: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.report(number, self.columns.get(name, self.columns.get("title")), f"{self.heading(name)}: {message}" if name in self.columns else message)

        def warn(name: str, message: str) -> None:
            self.report(number, self.columns.get(name, self.columns.get("title")), message, warning=True)

        defaults = self.mapping.defaults
        raised: date | None = v["raised"]
        due: date | None = v["due"]
        if raised is None:
            written = v.get("raised_written")
            fail("raised", (f"'{written}' is not a date" if written else "no date raised") + ": every action needs the date it was agreed"
                 + ("" if "raised" in self.columns else " (add a 'Date raised' column)"))
        if due is None:
            written = v.get("due_written")
            fail("due", (f"'{written}' is not a date" if written else "no due date") + ": every action needs a deadline"
                 + ("" if "due" in self.columns else " (add a 'Due date' column)"))

        risk = v["risk"] or defaults.get("risk")
        if risk is None:
            where = "risk" if "risk" in self.columns else "rag"
            fail(where, "no risk or RAG rating" + ("" if where in self.columns else " (add a 'RAG' or 'Risk' column, or 'defaults: {risk: medium}' in a map file)"))
        elif v.get("risk_from_fill"):
            warn(v["risk_column"], f"{self.heading(v['risk_column'])}: empty cell filled {v['risk_from_fill']}: read as risk {risk}")

        statements = self.statements(d)
        if statements is None:
            ok = False
        elif not statements:
            if defaults.get("quality_statements"):
                statements = list(defaults["quality_statements"])
            else:
                fail("quality_statements", "no quality statement" + (
                    "" if "quality_statements" in self.columns else
                    " (add a 'Quality statement' column, or 'defaults: {quality_statements: [...]}' in a map file)"))

        source_text = v["source"] or defaults.get("source", "")
        if not source_text:
            fail("source", "no source: every action answers a source (an audit, incident, complaint...)" + (
                "" if "source" in self.columns else "; add a 'Source' column or 'defaults: {source: ...}' in a map file"))

        status = v["status"] or defaults.get("status")
        completed: date | None = v["completed"]
        if status is None:
            status = "completed" if completed else "open"
        if not ok:
            return False
        fields: dict[str, Any] = {}
        assert raised is not None and due is not None and risk is not None and statements is not None
        evidence_text = v["evidence"]
        body_parts = [f"Imported by `portfolio import` from {Path(self.table.file).name}, sheet {self.table.sheet}, row {number}."]
        if v["finding"]:
            body_parts.append(f"Finding, as written in the tracker:\n\n{v['finding']}")

        fields["status"] = status
        if status in ("completed", "closed"):
            if completed is None:
                fail(*self._needs_date(d, "it was done"))
                return False
            note = f"Imported from tracker: marked '{self.status_word(d)}'"
            if status == "closed":
                note = "Imported from tracker: closed without closure evidence recorded"
                warn("status", f"{self.heading('status')}: '{self.status_word(d)}' imported as completed: closing an action needs "
                               f"closure evidence and an outcome, which the tracker does not record; close it in the portfolio")
                fields["status"] = "completed"
            if evidence_text:
                note += f". Evidence noted in the tracker: {' '.join(evidence_text.split())}"
            fields["completion"] = {"date": completed, "note": note}
        elif status == "cancelled":
            if completed is None:
                fail(*self._needs_date(d, "it was cancelled"))
                return False
            fields["cancellation"] = {"date": completed, "reason": f"Imported from tracker: marked '{self.status_word(d)}'"}
        elif completed is not None:
            warn("completed", f"{self.heading('completed')}: {completed.isoformat()} given but the status is '{self.status_word(d) or status}': imported as {status}, without a completion")

        if evidence_text and "completion" not in fields:
            body_parts.append(f"Evidence noted in the tracker:\n\n{evidence_text}")
        updates = []
        if v["notes"]:
            if v["update_date"] is not None:
                updates.append({"date": v["update_date"], "note": " ".join(v["notes"].split())})
            else:
                body_parts.append(f"Notes in the tracker:\n\n{v['notes']}")
        elif v["update_date"] is not None:
            warn("update_date", f"{self.heading('update_date')}: a date with no note; not imported as an update")

        owner = v["owner"]
        if not owner:
            warn("owner", f"{self.heading('owner')}: empty; imported with no owner (it will be flagged no-named-owner)")

        ordered: dict[str, Any] = {"id": d.id, "title": d.title}
        ordered["service"] = None  # filled once services are resolved
        ordered["source"] = None
        ordered["owner"] = owner or None
        if v["assigned_by"]:
            ordered["assigned_by"] = v["assigned_by"]
        ordered["raised"] = raised
        ordered["due"] = due
        ordered["risk"] = risk
        ordered["status"] = fields["status"]
        ordered["quality_statements"] = statements
        if v["intended_change"]:
            ordered["intended_change"] = " ".join(v["intended_change"].split())
        if v["evidence_required"]:
            ordered["evidence_required"] = " ".join(v["evidence_required"].split())
        if v["review_date"] is not None:
            ordered["review_date"] = v["review_date"]
        if updates:
            ordered["updates"] = updates
        for key in ("completion", "cancellation"):
            if key in fields:
                ordered[key] = fields[key]
        tags = [t for t in re.split(r"[;,]", v["tags"]) if t.strip()] if v["tags"] else []
        if tags:
            ordered["tags"] = [" ".join(t.split()) for t in tags]
        d.fields = ordered
        d.values["body"] = "\n\n".join(body_parts)
        return True

    def _needs_date(self, d: Draft, what: str) -> tuple[str, str]:
        """Where and how to say that a finished status has no date in the row."""
        message = f"status '{self.status_word(d)}' needs the date {what}"
        if "completed" in self.columns:
            return "completed", message
        return "status", message + " (add a 'Date closed' or 'Date completed' column)"

    def status_word(self, d: Draft) -> str:
        col = self.columns.get("status")
        if col is None:
            return d.values.get("status") or ""
        return cell_text(self.table.value(d.row, col)) or (d.values.get("status") or "")

    def statements(self, d: Draft) -> list[str] | None:
        """Statement ids from the row's statement cell: ids or titles, nearest match with a warning."""
        text = d.values["quality_statements"]
        if not text:
            return []
        found: list[str] = []
        ok = True
        col = self.columns.get("quality_statements")
        for piece in re.split(r"[;\n|]+", text):
            piece = piece.strip()
            if not piece:
                continue
            whole = self.match_statement(piece)
            if whole:
                if whole[1]:
                    self.report(d.row, col, f"{self.heading('quality_statements')}: '{piece}' read as '{whole[0]}'", warning=True)
                found.append(whole[0])
                continue
            parts = [p.strip() for p in piece.split(",") if p.strip()]
            i = 0
            while i < len(parts):
                for j in range(len(parts), i, -1):
                    candidate = ", ".join(parts[i:j])
                    matched = self.match_statement(candidate, fuzzy=j - i == 1)
                    if matched and (not matched[1] or j - i == 1):
                        statement_id, guessed = matched
                        if guessed:
                            self.report(d.row, col, f"{self.heading('quality_statements')}: '{candidate}' read as '{statement_id}'", warning=True)
                        found.append(statement_id)
                        i = j
                        break
                else:
                    ok = False
                    word = parts[i]
                    if slug(word) in self.key_questions:
                        message = f"'{word}' is a key question, not a quality statement; name the statement(s)"
                    else:
                        suggestion = nearest(slug(word), list(self.statement_slugs), cutoff=0.5)
                        message = f"'{word}' is not a quality statement of {self.framework.id}" + (
                            f"; did you mean '{self.statement_slugs[suggestion]}'?" if suggestion else "")
                    self.report(d.row, col, f"{self.heading('quality_statements')}: {message}")
                    i += 1
        return list(dict.fromkeys(found)) if ok else None

    def match_statement(self, text: str, *, fuzzy: bool = True) -> tuple[str, bool] | None:
        key = slug(re.sub(r"^(?:[a-z\- ]+:\s*|[a-z]{1,3}\d+[.:]?\s+)", "", text, flags=re.I)) if ":" in text or re.match(r"^[a-z]{1,3}\d+\s", text, re.I) else slug(text)
        if key in self.statement_slugs:
            return self.statement_slugs[key], False
        if slug(text) in self.statement_slugs:
            return self.statement_slugs[slug(text)], False
        if fuzzy:
            close = difflib.get_close_matches(key, list(self.statement_slugs), n=1, cutoff=0.8)
            if close:
                return self.statement_slugs[close[0]], True
        return None

    # -- ids -----------------------------------------------------------------------------------
    def assign_id(self, d: Draft) -> None:
        prefix = self.mapping.id_prefix
        if d.ref:
            ref = d.ref.strip()
            if ID_PATTERN.match(ref) and re.search(r"[A-Za-z]", ref):
                d.id = ref
                return
            cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-._")
            if cleaned:
                d.id = cleaned if re.search(r"[A-Za-z]", cleaned) and ID_PATTERN.match(cleaned) else f"{prefix}-{cleaned}"
                if ID_PATTERN.match(d.id):
                    return
        raised = d.values["raised"].isoformat() if d.values.get("raised") else ""
        d.id = f"{prefix}-{short_hash(normalise_heading(d.title), raised)}"


# -- writing records ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, with lists of plain values in flow style ([a, b]) as people write them."""

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style  # double quotes read better than doubled single quotes

    def ignore_aliases(self, data: Any) -> bool:
        """A value used twice is written out twice: records refuse anchors and aliases."""
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in data) and len(data) < 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


#: Required fields written even when empty (an owner left blank in the tracker is written ``owner:``,
#: which ``portfolio check`` accepts and flags no-named-owner).
KEEP_EMPTY = ("owner",)


def _represent_none(dumper: yaml.SafeDumper, data: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "")


_Dumper.add_representer(type(None), _represent_none)


def record_text(fields: dict[str, Any], body: str) -> str:
    """A record file: YAML front matter between '---' lines, then the body."""
    front = yaml.dump(
        {k: v for k, v in fields.items() if v is not None or k in KEEP_EMPTY}, Dumper=_Dumper, sort_keys=False,
        default_flow_style=False, allow_unicode=True, width=100,
    )
    return "---\n" + front + "---\n" + (body.strip() + "\n" if body.strip() else "")


def raw_record(kind: str, rel: str, abs_path: Path, text: str) -> RawRecord:
    """A record as :func:`generator.read.load.load_record` would read it, from text not yet written."""
    problems = Problems()
    split = split_front_matter(text, rel, problems)
    assert split is not None, problems.items
    front, offset, body = split
    data, lines = parse(front, line_offset=offset)
    return RawRecord(kind=kind, path=rel, abs_path=abs_path, data=data, lines=lines, body=body.strip("\n"))


def _rel(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix()


# -- the whole import ------------------------------------------------------------------------------


def run_import(project: Path, tracker: Path, shown: str, *, sheet: str | None = None, map_path: Path | None = None,
               map_shown: str | None = None, dry_run: bool = False, allow_errors: bool = False) -> ImportResult:
    """Read the tracker, build and validate records, and write them (unless dry-run or errors).

    Raises ImportUsageError (exit 2) when the tracker or map file cannot be used at all, and
    PortfolioError when the project's configuration is broken.
    """
    warnings = Problems()
    config = load_portfolio_config(project, warnings)
    mapping = read_map(map_path, map_shown or str(map_path), config) if map_path else ImportMap()
    table = read_table(tracker, shown, sheet or mapping.sheet)
    baseline = Problems()
    raw = load_content(project, baseline)
    run = _Run(project, table, mapping, config, raw)
    run.map_columns()
    if run.header_row is None or "title" not in run.columns:
        return ImportResult(_sorted(run.problems), [], [], 0, table.sheet, run.header_row, dry_run)

    drafts: list[Draft] = []
    rows_read = 0
    for number, cells in run.data_rows():
        if run.is_heading_row(number, cells):
            text = next(cell_text(c.value) for c in cells if c.value is not None)
            run.report(number, "-", f"only one cell filled ('{_clip(text)}'): read as a section heading, not an action", warning=True)
            continue
        rows_read += 1
        draft = run.draft(number, cells)
        if draft is None:
            continue
        if not run.build_action(draft):
            continue
        drafts.append(draft)

    # ids: deterministic, never one already taken
    already: list[tuple[int, str]] = []
    seen: dict[str, Draft] = {}
    live: list[Draft] = []
    for d in drafts:
        run.assign_id(d)
        d.fields["id"] = d.id
        if d.ref and d.ref != d.id:
            first, _, rest = d.values["body"].partition("\n\n")
            d.values["body"] = f"{first} Tracker reference: {d.ref}." + (f"\n\n{rest}" if rest else "")
        title_col = run.columns.get("id", run.columns.get("title"))
        key = d.id.lower()
        if key in seen:
            first = seen[key]
            if normalise_heading(first.title) == normalise_heading(d.title):
                run.report(d.row, title_col, f"repeats row {first.row} (same action, id {d.id}); imported once", warning=True)
            else:
                run.report(d.row, title_col, f"id '{d.id}' is also row {first.row}'s; give the rows different references")
            continue
        seen[key] = d
        existing = run.existing.get(key)
        target = project / "content" / "actions" / f"{key}.md"
        if existing is not None:
            if existing.kind == "action" and normalise_heading(existing.data.get("title")) == normalise_heading(d.title):
                already.append((d.row, str(existing.data.get("id"))))
            else:
                run.report(d.row, title_col, f"id '{d.id}' is already taken by {existing.path} ('{_clip(cell_text(existing.data.get('title')))}'); "
                                             f"row not imported (give it another reference, or set id_prefix in a map file)")
            continue
        if target.exists():
            run.report(d.row, title_col, f"{_rel(target, project)} already exists; row not imported (nothing is overwritten)")
            continue
        live.append(d)

    services = {**{slug(cell_text(r.data.get("id"))): cell_text(r.data.get("id")) for r in raw if r.kind == "service"}}
    for r in raw:
        if r.kind == "service":
            for key in ("title", "name"):
                if r.data.get(key):
                    services.setdefault(slug(cell_text(r.data[key])), cell_text(r.data.get("id")))
    sources_by_id = {cell_text(r.data.get("id")).lower(): cell_text(r.data.get("id")) for r in raw if r.kind == "source"}
    sources_by_title = {normalise_heading(r.data.get("title")): cell_text(r.data.get("id")) for r in raw if r.kind == "source" and r.data.get("title")}
    evidence_ids = {cell_text(r.data.get("id")).lower(): cell_text(r.data.get("id")) for r in raw if r.kind == "evidence"}

    baseline_errors = {(p.path, p.line, p.field) for p in _validate(raw, config, project).errors}
    new_records: list[NewRecord] = []
    for _ in range(6):
        live = [d for d in live if d.row not in run.failed_rows]
        new_records = _assemble(run, live, services, sources_by_id, sources_by_title, evidence_ids)
        candidates = []
        by_path: dict[str, NewRecord] = {}
        for record in new_records:
            folder = FOLDER_OF_KIND[record.kind]
            target = project / "content" / folder / f"{record.id.lower()}.md"
            record.rel = _rel(target, project)
            by_path[record.rel] = record
            candidates.append(raw_record(record.kind, record.rel, target, record_text(record.fields, record.body)))
        problems = _validate(raw + candidates, config, project)
        caused = [p for p in problems.errors if p.path not in by_path and (p.path, p.line, p.field) not in baseline_errors]
        new_errors = [p for p in problems.errors if p.path in by_path]
        if not caused and not new_errors:
            break
        if caused:
            new_services = [r for r in new_records if r.kind == "service"]
            culprits = new_services or []
            message = (f"importing it would leave {len(caused)} record(s) already in the portfolio with errors, for example "
                       f"{caused[0]}")
            if culprits:
                for record in culprits:
                    for row in record.rows:
                        run.report(row, run.columns.get("service"), f"{run.heading('service')}: '{record.fields['title']}' is not a service of this portfolio; "
                                                                    + message + " (name an existing service, or add the service and update those records first)")
            else:
                for d in live:
                    run.report(d.row, "-", message)
        action_rows = {by_path[p.path].rows[0] for p in new_errors if by_path[p.path].kind == "action"}
        for p in new_errors:
            record = by_path[p.path]
            field_name = re.split(r"[.\[]", p.field)[0]
            hint = ""
            if field_name in ("service", "quality_statements", "source") and field_name not in run.columns:
                hint = f" (add a '{FIELD_TITLES[field_name].capitalize()}' column, or 'defaults: {{{field_name}: ...}}' in a map file)"
            for row in record.rows:
                if record.kind == "action":
                    col = _column_for(run, field_name)
                    text = f"{p.field}: {p.message}" + (f"; did you mean '{p.suggestion}'?" if p.suggestion else "") + hint
                elif row in action_rows:
                    continue  # the row's own record already says what is wrong
                else:
                    col = run.columns.get(record.column, run.columns.get("title"))
                    text = (f"{run.heading(record.column)}: the {record.kind} record made from '{_clip(cell_text(record.fields.get('title')))}' "
                            f"would be invalid: {p.field}: {p.message}{hint}")
                run.report(row, col, text)
    else:  # pragma: no cover - each pass drops at least one row
        for d in live:
            run.report(d.row, "-", "could not make a valid record from this row")
        new_records = []

    result = ImportResult(_sorted(run.problems), new_records, already, rows_read, table.sheet, run.header_row, dry_run)
    if dry_run or (result.errors and not allow_errors) or not new_records:
        return result
    _write(project, new_records, run)
    result.problems = _sorted(run.problems)
    result.records = [r for r in new_records if r.rel]
    result.written = True
    return result


def _column_for(run: _Run, field_name: str) -> int | str | None:
    names = {
        "title": "title", "owner": "owner", "assigned_by": "assigned_by", "raised": "raised", "due": "due",
        "risk": "risk", "status": "status", "quality_statements": "quality_statements", "source": "source",
        "service": "service", "completion": "completed", "cancellation": "completed", "updates": "update_date",
        "review_date": "review_date", "id": "id", "tags": "tags", "intended_change": "intended_change",
        "evidence_required": "evidence_required",
    }
    name = names.get(field_name, "title")
    if name == "risk" and "risk" not in run.columns:
        name = "rag"
    return run.columns.get(name, run.columns.get("title"))


def _validate(raw: list[RawRecord], config: PortfolioConfig, project: Path) -> Problems:
    problems = Problems()
    validate(raw, config, project, problems)
    return problems


def _assemble(run: _Run, live: list[Draft], services: dict[str, str], sources_by_id: dict[str, str],
              sources_by_title: dict[str, str], evidence_ids: dict[str, str]) -> list[NewRecord]:
    """The action records of the live rows, and the new sources and services they name."""
    actions: list[NewRecord] = []
    new_services: dict[str, NewRecord] = {}
    new_sources: dict[str, NewRecord] = {}
    defaults = run.mapping.defaults
    for d in live:
        fields = dict(d.fields)
        # service
        service_text = d.values["service"] or defaults.get("service", "")
        service_id = None
        if service_text:
            key = slug(service_text)
            service_id = services.get(key)
            if service_id is None and key and ID_PATTERN.match(key):
                record = new_services.get(key)
                if record is None:
                    record = NewRecord("service", key, {"id": key, "title": service_text, "name": service_text},
                                       f"Created by `portfolio import` from {Path(run.table.file).name} (sheet {run.table.sheet}), "
                                       f"where it is named as the service. Add its kind, registered manager and CQC location id.",
                                       [], "service")
                    new_services[key] = record
                record.rows.append(d.row)
                service_id = key
            elif service_id is None:
                run.report(d.row, run.columns.get("service"), f"{run.heading('service')}: '{service_text}' cannot be a service id")
                continue
        fields["service"] = service_id
        # sources
        source_text = d.values["source"] or defaults.get("source", "")
        ids = _existing_ids(source_text, sources_by_id)
        if ids is None:
            title_key = normalise_heading(source_text)
            existing = sources_by_title.get(title_key)
            if existing:
                ids = [existing]
            else:
                source_id = f"SRC-{short_hash(title_key, service_id or '')}"
                if source_id.lower() in sources_by_id:
                    ids = [sources_by_id[source_id.lower()]]
                else:
                    record = new_sources.get(source_id)
                    if record is None:
                        title = " ".join(source_text.split())
                        kind = d.values["source_kind"] and _source_kind(d.values["source_kind"]) or defaults.get("source_kind") or guess_source_kind(title)
                        record = NewRecord("source", source_id, {"id": source_id, "title": title, "service": service_id, "kind": kind,
                                                                 "date": None}, "", [], "source")
                        new_sources[source_id] = record
                    record.rows.append(d.row)
                    raised = d.fields["raised"]
                    record.fields["date"] = raised if record.fields["date"] is None else min(record.fields["date"], raised)
                    ids = [source_id]
        fields["source"] = ids[0] if len(ids) == 1 else ids
        # evidence named by id goes in related
        evidence = _existing_ids(d.values["evidence"], evidence_ids) if d.values["evidence"] else None
        if evidence:
            fields["related"] = evidence
        actions.append(NewRecord("action", d.id, fields, d.values["body"], [d.row], "title"))
    for record in new_sources.values():
        rows = ", ".join(str(r) for r in record.rows)
        record.body = (f"Created by `portfolio import` from the Source column of {Path(run.table.file).name} "
                       f"(sheet {run.table.sheet}, row{'s' if len(record.rows) > 1 else ''} {rows}). Its date is the earliest "
                       f"date raised of those rows. Add what was found, and who identified it.")
    return actions + list(new_sources.values()) + list(new_services.values())


def _source_kind(text: str) -> str | None:
    value = slug(text)
    if value in SOURCE_KINDS:
        return value
    guessed = guess_source_kind(text)
    return guessed if guessed != "other" else (nearest(value, SOURCE_KINDS, cutoff=0.8) or "other")


def _existing_ids(text: str, known: dict[str, str]) -> list[str] | None:
    """Ids of existing records when every part of ``text`` (split at , ; / or new lines) is one."""
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"[,;/\n]+|\s+and\s+", text) if p.strip()]
    if parts and all(p.lower() in known for p in parts):
        return list(dict.fromkeys(known[p.lower()] for p in parts))
    return None


def _write(project: Path, records: list[NewRecord], run: _Run) -> None:
    """Write each new record, never replacing a file (open with 'x')."""
    for record in records:
        target = project / record.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(record_text(record.fields, record.body))
        except FileExistsError:
            for row in record.rows:
                run.report(row, "-", f"{record.rel} appeared while importing; left as it is", warning=True)
            record.rel = ""
        except OSError as exc:
            for row in record.rows:
                run.report(row, "-", f"{record.rel} cannot be written: {exc.strerror or exc}")
            record.rel = ""


def _sorted(problems: list[RowProblem]) -> list[RowProblem]:
    def key(p: RowProblem) -> tuple[Any, ...]:
        col = column_index(p.column) if p.column not in ("-",) else -1
        return (p.row, col if col is not None else -1, p.severity != "error", p.message)

    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=key)


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


__all__ = [
    "ImportResult", "ImportUsageError", "RowProblem", "parse_date", "parse_risk", "parse_status",
    "rag_of_fill", "read_table", "run_import",
]
