"""``portfolio export``: the actions as judged on the as-of date, as a spreadsheet a commissioner can open.

One row per action in the portfolio on that date (as in ``portfolio.json``), with its derived
status, the deadline in force, the early-warning flags and the assurance checks that hold (an
extension: ``check: reason``, one a line; the import leaves the column out, as it does the flags,
since both are judged, not written). The same input and as-of date give
byte-identical files: CSV is plain text (UTF-8 with a byte-order mark, so Excel reads it as
UTF-8); the workbook's document properties and its zip entries are dated the as-of date.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, cast

from .. import TOOL_NAME, __version__
from ..format.records import Action
from ..judge.assess import FLAG_TITLES, FLAGS
from ..judge.assurance import enabled_checks
from ..judge.model import Portfolio
from ..zips import DatedZip

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[Portfolio, Action], Any]
    width: int | None = None  # fixed width in the workbook; None: fitted to the contents


def _state(p: Portfolio, a: Action) -> Any:
    return p.state(a)


def _checks(p: Portfolio, a: Action) -> str:
    """The assurance checks that hold, ``check: reason``, one a line (a reason may hold commas)."""
    return "\n".join(f"{c.check}: {c.reason}" for c in p.checks(a))


COLUMNS: tuple[Column, ...] = (
    Column("ID", lambda p, a: a.id),
    Column("Title", lambda p, a: a.title, 60),
    Column("Service", lambda p, a: a.service or ""),
    Column("Owner", lambda p, a: a.owner.display if (a.owner.name or a.owner.role) else ""),
    Column("Risk", lambda p, a: a.risk),
    Column("Raised", lambda p, a: a.raised),
    Column("Status", lambda p, a: _state(p, a).status),
    Column("Due", lambda p, a: _state(p, a).due),
    Column("Days overdue", lambda p, a: _state(p, a).days_overdue or None),
    Column("Flags", lambda p, a: ", ".join(_state(p, a).flags), 40),
    Column("Assurance checks", _checks, 60),
    Column("Quality statements", lambda p, a: ", ".join(a.quality_statements), 50),
    Column("Sources", lambda p, a: ", ".join(a.sources)),
    Column("Extensions", lambda p, a: len(_state(p, a).extensions)),
    Column("Last update", lambda p, a: _state(p, a).updates[-1].date if _state(p, a).updates else None),
    Column("Closure outcome", lambda p, a: (_state(p, a).closure.outcome or "") if _state(p, a).closure else ""),
)
HEADINGS = tuple(c.heading for c in COLUMNS)


def rows(portfolio: Portfolio) -> list[list[Any]]:
    """One list of cell values per action, in id order; dates as ``date``, empty cells as None."""
    result = []
    for action in portfolio.actions:
        result.append([column.value(portfolio, action) for column in COLUMNS])
    return result


def to_csv(portfolio: Portfolio) -> bytes:
    """CSV, UTF-8 with BOM, CRLF line ends, dates as YYYY-MM-DD (which Excel reads as dates)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in rows(portfolio):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(portfolio: Portfolio) -> bytes:
    """An Excel workbook: an 'Actions' sheet (bold frozen header, filter, fitted columns, real
    dates) and an 'About' sheet saying what the file is and what each flag means."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.writer.excel import ExcelWriter

    as_of = portfolio.as_of
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook starts with one worksheet
    sheet.title = "Actions"
    sheet.append(list(HEADINGS))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    data = rows(portfolio)
    for values in data:
        sheet.append(values)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(vertical="top", wrap_text=column.width is not None)
        if column.width is not None:
            width = column.width
        else:
            longest = max([len(column.heading)] + [len(_shown(row[index - 1])) for row in data])
            width = min(max(longest + 2, 8), 40)
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(data) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"

    about = workbook.create_sheet("About")
    about.append(["Actions of", portfolio.config.provider])
    about.append(["As of", as_of])
    about["B2"].number_format = "dd/mm/yyyy"
    about.append(["Framework", portfolio.config.framework.name])
    about.append(["Made by", f"{TOOL_NAME} {__version__}"])
    about.append([])
    about.append(["Status, Due and Flags are as things stood on the as-of date: the deadline in force then, after the extensions agreed by then."])
    about.append([])
    about.append(["Flag", "Meaning"])
    for flag in FLAGS:
        about.append([flag, FLAG_TITLES[flag]])
    for cell in (about["A1"], about["A2"], about["A3"], about["A4"], about["A8"], about["B8"]):
        cell.font = bold
    _about_checks(about, portfolio, bold)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 60

    moment = datetime(as_of.year, as_of.month, as_of.day)
    props = workbook.properties
    props.creator = TOOL_NAME
    props.lastModifiedBy = TOOL_NAME
    props.title = f"Actions of {portfolio.config.provider} as of {as_of.isoformat()}"
    props.created = moment
    props.modified = moment

    buffer = io.BytesIO()
    archive = DatedZip(buffer, as_of, mode=0o644)
    writer = ExcelWriter(workbook, archive)
    writer.write_data()  # not save_workbook(): it would stamp 'modified' with the time now
    archive.close()
    return buffer.getvalue()


def _about_checks(about: Any, portfolio: Portfolio, bold: Any) -> None:
    """The assurance checks judged, what each means, and those that hold on the portfolio as a
    whole (a CSV has no room for them: the site's "Assurance checks" page lists them too)."""
    checks = enabled_checks(portfolio.config.checks_off)
    if not checks:
        return
    about.append([])
    about.append(["Assurance check", "Holds when"])
    for cell in about[about.max_row]:
        cell.font = bold
    for check in checks:
        about.append([check.id, check.holds_when])
    if portfolio.portfolio_checks:
        about.append([])
        about.append(["Across the portfolio", "Why"])
        for cell in about[about.max_row]:
            cell.font = bold
        for found in portfolio.portfolio_checks:
            about.append([found.check, found.reason])


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "00/00/0000"
    return str(value)


def export(portfolio: Portfolio, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(portfolio)
    if fmt == "xlsx":
        return to_xlsx(portfolio)
    raise ValueError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")


def default_name(as_of: date, fmt: str) -> str:
    return f"actions-{as_of.isoformat()}.{fmt}"
