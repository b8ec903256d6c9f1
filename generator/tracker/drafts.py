"""Tracker rows on their way to records: each row read into an action's front matter, with the
sources and services it names found or made, and every problem located by row and column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..config.frameworks import Framework
from ..config.portfolio import PortfolioConfig
from ..format.values import ID_PATTERN
from ..problems import Problem, nearest
from ..read.load import RawRecord
from ..site.words import slug
from .cells import PLACEHOLDER_DATES, ValueProblem, cell_paragraph, cell_text, normalise_heading, parse_date, parse_risk, parse_status, short_hash
from .headings import FIELD_TITLES, HEADER_SCAN_ROWS
from .mapfile import ImportMap
from .table import Cell, ImportUsageError, RowProblem, Table, merged_value, column_index, column_letter, find_header, rag_of_fill


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


class ImportRun:
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
        text = cell_text(merged_value(self.table, self.header_row, col))
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
        written = {c: cell_text(merged_value(self.table, row, c)) for c in range(self.table.width)}
        used: dict[str, int] = {}
        missing: list[Problem] = []
        for name, wanted in self.mapping.columns.items():
            match = next((c for c, text in written.items() if text and normalise_heading(text) == normalise_heading(wanted)), None)
            if match is None:
                match = next((c for c, (n, _) in sorted(headings.items()) if n == name and normalise_heading(_) == normalise_heading(wanted)), None)
            if match is None:
                match = self._letter(wanted)
            if match is None:
                suggestion = nearest(wanted, [w for w in written.values() if w], cutoff=0.5)
                missing.append(Problem(self.mapping.path or "", self.mapping.lines.get(f"columns.{name}", 1), f"columns.{name}",
                                       f"no column '{wanted}' in the header row (row {row}) of sheet '{self.table.sheet}'"
                                       + (f"; did you mean '{suggestion}'?" if suggestion else "")))
                continue
            used[name] = match
        if missing:
            raise ImportUsageError(missing)
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
