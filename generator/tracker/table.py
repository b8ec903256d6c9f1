"""A tracker as a table of cells, read from CSV or from an xlsx sheet (values, merged cells, fill
colours for RAG), its header row found, and the problems of its rows located as a spreadsheet user
would find them.
"""

from __future__ import annotations

import colorsys
import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..problems import PortfolioError, Problem, nearest
from .cells import EXCEL_1900, EXCEL_1904, cell_text
from .headings import HEADER_SCAN_ROWS, heading_field


class ImportUsageError(PortfolioError):
    """The command cannot run at all: unreadable file, missing sheet, broken map file (exit 2)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems, usage=True, outcome="nothing was imported")

    @classmethod
    def of(cls, path: str, message: str, *, line: int = 0, field_name: str = "") -> ImportUsageError:
        """One problem: with the file's ``path`` (and ``line`` and ``field_name`` where there is one)."""
        return cls([Problem(path, line, field_name, message)])


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
    epoch: date = EXCEL_1900
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
        raise ImportUsageError.of(shown, "is a folder; give the tracker's file")
    if not path.is_file():
        raise ImportUsageError.of(shown, "no such file")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, shown, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        if sheet:
            raise ImportUsageError.of(shown, f"--sheet is for Excel workbooks; a CSV file has one table")
        return _read_csv(path, shown)
    if suffix in (".xls", ".ods", ".numbers"):
        raise ImportUsageError.of(shown, f"{suffix} files cannot be read; save the tracker as .xlsx (Excel workbook) or .csv")
    raise ImportUsageError.of(shown, f"not a tracker this command reads; give an .xlsx or .csv file")


def _read_csv(path: Path, shown: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportUsageError.of(shown, f"cannot be read: {exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportUsageError.of(shown, f"cannot be read as text (neither UTF-8 nor Windows-1252); save it as 'CSV UTF-8'")
    if "\x00" in text:
        raise ImportUsageError.of(shown, f"is not a text CSV file (it holds NUL bytes); save the tracker as 'CSV UTF-8' or .xlsx")
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
        raise ImportUsageError.of(shown, f"cannot be read as CSV: {exc}") from None
    return Table(shown, path.stem, rows, width)


def _read_xlsx(path: Path, shown: str, wanted: str | None) -> Table:
    import warnings
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise ImportUsageError.of("", "reading .xlsx needs openpyxl: pip install openpyxl") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, unknown extensions...
            workbook = openpyxl.load_workbook(path, data_only=True)
    except zipfile.BadZipFile:
        raise ImportUsageError.of(shown, f"is not an Excel workbook (.xlsx) or is damaged or password-protected; open it in Excel and save it again as .xlsx") from None
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ImportUsageError.of(shown, f"cannot be read as an Excel workbook: {exc}") from None
    names = tuple(workbook.sheetnames)
    tables_only = [n for n in names if hasattr(workbook[n], "iter_rows")]  # not chart sheets
    if wanted:
        chosen = wanted if wanted in names else next((n for n in names if n.lower() == wanted.strip().lower()), None)
        if chosen is None:
            suggestion = nearest(wanted, names, cutoff=0.4)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            raise ImportUsageError.of(shown, f"no sheet '{wanted}'{hint} (sheets: {', '.join(names)})")
        if chosen not in tables_only:
            raise ImportUsageError.of(shown, f"sheet '{chosen}' is a chart, not a table")
        candidates = [chosen]
    else:
        visible = [n for n in tables_only if workbook[n].sheet_state == "visible"] or tables_only
        if not visible:
            raise ImportUsageError.of(shown, f"has no worksheet to read")
        candidates = visible
    theme = _theme_colours(getattr(workbook, "loaded_theme", None))
    epoch = EXCEL_1904 if getattr(workbook, "epoch", None) and workbook.epoch.year == 1904 else EXCEL_1900
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


def merged_value(table: Table, row: int, col: int) -> Any:
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
        here = cell_text(merged_value(table, row, col))
        above = cell_text(merged_value(table, row - 1, col)) if row > 1 else ""
        choices = [here] if here else []
        if above and above != here:
            choices += [f"{above} {here}".strip(), f"{here} {above}".strip()] if here else [above]
        for text in choices:
            name = heading_field(text, extra)
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
