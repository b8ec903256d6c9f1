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

import re
from pathlib import Path
from typing import Any

from ..config.portfolio import PortfolioConfig, load_portfolio_config
from ..format.values import ID_PATTERN, SOURCE_KINDS

from ..problems import Problems, nearest
from ..read.load import FOLDER_OF_KIND, RawRecord, load_content
from ..read.validate import validate
from ..site.words import slug
from .cells import cell_text, guess_source_kind, normalise_heading, short_hash
from .drafts import Draft, ImportResult, ImportRun, NewRecord
from .headings import FIELD_TITLES
from .mapfile import ImportMap, read_map
from .table import RowProblem, column_index, read_table
from .writer import raw_record, record_text


def _rel(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix()


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
    run = ImportRun(project, table, mapping, config, raw)
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


def _column_for(run: ImportRun, field_name: str) -> int | str | None:
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


def _assemble(run: ImportRun, live: list[Draft], services: dict[str, str], sources_by_id: dict[str, str],
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


def _write(project: Path, records: list[NewRecord], run: ImportRun) -> None:
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
