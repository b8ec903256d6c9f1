"""``portfolio import``: messy trackers in, valid records (or located problems) out.

The workbooks are built here with openpyxl the way people leave them: a merged title row above a
two-row header, blank rows, a section heading, dates typed as British text, Excel serials and
real date cells, RAG as words, as letters and as cell colours, "Done" and "Closed" for statuses.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.styles import PatternFill  # noqa: E402
from openpyxl.styles.colors import Color  # noqa: E402

from generator.tracker.table import ImportUsageError, rag_of_fill
from generator.tracker.cells import normalise_heading, parse_date, parse_risk, parse_status
from generator.tracker.importer import run_import
from generator.tracker.cells import ValueProblem  # noqa: E402
from generator.pipeline import check  # noqa: E402


# -- helpers ----------------------------------------------------------------------------------

def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def run(project: Path, tracker: Path, **kwargs):
    return run_import(project, tracker, tracker.name, **kwargs)


def lines(result) -> list[str]:
    return [str(p) for p in result.problems]


def errors(result) -> list[str]:
    return [str(p) for p in result.errors]


def assert_valid(project: Path) -> None:
    checked = check(project)
    assert [str(p) for p in checked.problems.errors] == []


def front(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n")[1]


def messy_workbook(path: Path) -> Path:
    """A quality improvement plan as found in the wild (see the module docstring)."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "The Home quality improvement plan. Read me first."
    ws = wb.create_sheet("Action plan")
    ws["A1"] = "The Home: quality improvement plan 2026"
    ws.merge_cells("A1:L1")
    ws["A2"] = "Updated monthly by the registered manager"
    headings = ["Ref", "Action required", "Responsible person", "Dates", None, "RAG", "Status", "Source", "Date closed",
                "Quality statement", "Progress notes", "Last updated"]
    for col, text in enumerate(headings, start=1):
        ws.cell(row=4, column=col, value=text)
    ws["D5"], ws["E5"] = "Raised", "Due"
    ws.merge_cells("D4:E4")
    for letter in "ABCFGHIJKL":
        ws.merge_cells(f"{letter}4:{letter}5")
    rows = {
        6: ["QIP-01", "Weekly MAR chart audit", "Jo Evans (Deputy manager)", "03/03/2026", "31/3/26", "Red", "Ongoing",
            "Medication audit, Feb 2026", None, "Medicines optimisation", "Two audits done; both clean", "15/03/2026"],
        8: ["QIP-02", "Fix sensor mats", "TBC", datetime(2026, 3, 4), 46130, None, "Done", "Falls review (January)",
            "10 April 2026", "safe-environments", None, None],
        9: ["Staffing"],
        10: [12, "Recruit night staff", "Sam Patel (Registered manager)", "3 March 2026", "31/02/2026", "G", "Not started",
             "Staffing review", None, "Safe and effective staffing", None, None],
        11: ["QIP-04", "Handover review", None, "2026-03-05", datetime(2026, 4, 30, 0, 0), None, "Complete",
             "Handover audit", "20/04/26", "Safe systems, pathways and transitions; Learning culture", None, None],
        12: ["QIP-05", "Handover sheet", "Lee Hart", "05/03/2026", "30/04/2026", "A", "Closed", None, "25/04/2026",
             "Medicine optimisation", None, None],
        13: ["QIP-06", "Agency induction pack", "Ann Lee", "05/03/2026", "30/04/2026", "Green", "Withdrawn", "Handover audit",
             "01/04/2026", "Learning culture", None, None],
        14: ["QIP-07", "Complete with no date", "Ann Lee", "05/03/2026", "30/04/2026", "R", "Complete", "Handover audit",
             None, "Learning culture", None, None],
        15: ["QIP-08", "Fridge temperatures", "Ann Lee", "6th March 2026", "Tue 28 April 2026", None, "In progress",
             "Kitchen audit", None, "safe-environments", None, None],
        16: ["QIP-09", "Unknown status", "Ann Lee", "05/03/2026", "30/04/2026", "A", "Sort of", "Kitchen audit", None,
             "Learning culture", None, None],
        17: ["QIP-10", "Key question only", "Ann Lee", "05/03/2026", "30/04/2026", "A", "Open", "Kitchen audit", None,
             "Safe", None, None],
    }
    for row, values in rows.items():
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    ws.merge_cells("A9:L9")
    ws.merge_cells("H11:H12")  # one source written once for two actions
    ws["F8"].fill = PatternFill("solid", fgColor="FFFFC000")  # amber, cell left empty
    ws["F11"].fill = PatternFill("solid", fgColor=Color(theme=6))  # the workbook theme's green (accent3)
    ws["F15"].fill = PatternFill("solid", fgColor=Color(indexed=10))  # Excel's indexed red
    ws["B7"].fill = PatternFill("solid", fgColor="FFDDDDDD")  # a blank row, shaded
    wb.save(path)
    return path


# -- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("03/03/2026", date(2026, 3, 3)),
    ("3/3/26", date(2026, 3, 3)),
    ("31/3/26", date(2026, 3, 31)),
    ("31-03-2026", date(2026, 3, 31)),
    ("31.03.2026", date(2026, 3, 31)),
    ("2026-03-31", date(2026, 3, 31)),
    ("3 March 2026", date(2026, 3, 3)),
    ("3rd Mar 2026", date(2026, 3, 3)),
    ("Tuesday 3 March 2026", date(2026, 3, 3)),
    ("3-Mar-26", date(2026, 3, 3)),
    ("March 3, 2026", date(2026, 3, 3)),
    ("31/03/2026 00:00", date(2026, 3, 31)),
    ("46084", date(2026, 3, 3)),
    (46084, date(2026, 3, 3)),
    (46084.5, date(2026, 3, 3)),
    (datetime(2026, 3, 3, 14, 30), date(2026, 3, 3)),
    (date(2026, 3, 3), date(2026, 3, 3)),
    (None, None),
    ("n/a", None),
    ("TBC", None),
])
def test_dates_are_read_day_first(written, expected):
    assert parse_date(written) == expected


@pytest.mark.parametrize("written, message", [
    ("31/02/2026", "'31/02/2026' is not a real date"),
    ("03/13/2026", "looks like US order"),
    ("March 2026", "it gives no day"),
    ("next week", "dates are read day first"),
    (2026, "2026 is a number, not a date"),
])
def test_unreadable_dates_say_why(written, message):
    with pytest.raises(ValueProblem, match=message):
        parse_date(written)


def test_statuses_and_rag():
    assert [parse_status(w) for w in ("Complete", "Done", "Closed", "Completed", "Ongoing", "Not started", "In Progress", "WIP", "")] == [
        "completed", "completed", "closed", "completed", "in-progress", "open", "in-progress", "in-progress", None]
    assert parse_status("Awaiting sign-off", {"awaiting sign off": "completed"}) == "completed"
    with pytest.raises(ValueProblem, match="did you mean 'complete'"):
        parse_status("Compleet")
    assert [parse_risk(w) for w in ("Red", "amber", "GREEN", "R", "A", "G", "High", "critical", None)] == [
        "high", "medium", "low", "high", "medium", "low", "high", "critical", None]
    with pytest.raises(ValueProblem, match="not a risk or RAG rating"):
        parse_risk("Blue")
    assert [rag_of_fill(c) for c in ("FF0000", "FFC7CE", "FFC000", "FFEB9C", "00B050", "C6EFCE", "FFFFFF", "D9D9D9", "4472C4", None)] == [
        "red", "red", "amber", "amber", "green", "green", None, None, None, None]


def test_headings_ignore_case_punctuation_and_brackets():
    assert normalise_heading("Due Date (dd/mm/yyyy)") == "due date"
    assert normalise_heading("Action #") == "action no"
    assert normalise_heading("  RESPONSIBLE-person: ") == "responsible person"


# -- a messy workbook -------------------------------------------------------------------------

def test_messy_workbook_rows_become_records_or_located_problems(minimal_project, tmp_path):
    project = minimal_project.root
    tracker = messy_workbook(tmp_path / "tracker.xlsx")
    before = tree(project / "content")
    result = run(project, tracker)
    assert result.sheet == "Action plan" and result.header_row == 5
    assert errors(result) == [
        "tracker.xlsx:Action plan:10:E: Due: '31/02/2026' is not a real date",
        "tracker.xlsx:Action plan:14:I: Date closed: status 'Complete' needs the date it was done",
        "tracker.xlsx:Action plan:16:G: Status: 'Sort of' is not a status this import knows (open, in progress, complete, closed, cancelled, ...)",
        "tracker.xlsx:Action plan:17:J: Quality statement: 'Safe' is a key question, not a quality statement; name the statement(s)",
    ]
    warnings = [str(p) for p in result.warnings]
    assert "tracker.xlsx:Action plan:8:F: warning: RAG: empty cell filled amber: read as risk medium" in warnings
    assert "tracker.xlsx:Action plan:11:F: warning: RAG: empty cell filled green: read as risk low" in warnings
    assert "tracker.xlsx:Action plan:15:F: warning: RAG: empty cell filled red: read as risk high" in warnings
    assert "tracker.xlsx:Action plan:9:-: warning: only one cell filled ('Staffing'): read as a section heading, not an action" in warnings
    assert "tracker.xlsx:Action plan:12:J: warning: Quality statement: 'Medicine optimisation' read as 'medicines-optimisation'" in warnings
    assert any(w.startswith("tracker.xlsx:Action plan:12:G: warning: Status: 'Closed' imported as completed") for w in warnings)
    assert any(w.startswith("tracker.xlsx:Action plan:11:C: warning: Responsible person: empty") for w in warnings)
    # with errors, nothing is written
    assert result.written is False and tree(project / "content") == before

    result = run(project, tracker, allow_errors=True)
    assert result.written is True
    written = sorted(r.rel for r in result.records)
    assert [w for w in written if w.startswith("content/actions/")] == [
        "content/actions/qip-01.md", "content/actions/qip-02.md", "content/actions/qip-04.md", "content/actions/qip-05.md",
        "content/actions/qip-06.md", "content/actions/qip-08.md",
    ]
    assert len([w for w in written if w.startswith("content/sources/")]) == 4  # medication, falls, handover, kitchen
    assert_valid(project)
    actions = project / "content" / "actions"
    assert front(actions / "qip-01.md") == (
        "id: QIP-01\ntitle: Weekly MAR chart audit\nsource: " + _source_id(project, "Medication audit, Feb 2026") + "\n"
        "owner: Jo Evans (Deputy manager)\nraised: 2026-03-03\ndue: 2026-03-31\nrisk: high\nstatus: in-progress\n"
        "quality_statements: [medicines-optimisation]\nupdates:\n- date: 2026-03-15\n  note: Two audits done; both clean\n"
    )
    qip02 = front(actions / "qip-02.md")
    assert "owner: TBC\n" in qip02 and "raised: 2026-03-04\n" in qip02 and "due: 2026-04-18\n" in qip02  # serial 46130
    assert "risk: medium\n" in qip02 and "status: completed\n" in qip02
    assert "completion:\n  date: 2026-04-10\n  note: \"Imported from tracker: marked 'Done'\"\n" in qip02
    qip04 = front(actions / "qip-04.md")
    assert "owner:\n" in qip04 and "due: 2026-04-30\n" in qip04 and "risk: low\n" in qip04
    assert "quality_statements: [safe-systems-pathways-and-transitions, learning-culture]\n" in qip04
    qip05 = front(actions / "qip-05.md")
    assert "status: completed\n" in qip05
    assert "note: \"Imported from tracker: closed without closure evidence recorded\"" in qip05
    assert _source_line(qip05) == _source_line(qip04)  # the merged Source cell names both
    qip06 = front(actions / "qip-06.md")
    assert "status: cancelled\n" in qip06
    assert "cancellation:\n  date: 2026-04-01\n  reason: \"Imported from tracker: marked 'Withdrawn'\"\n" in qip06
    assert "risk: high\n" in front(actions / "qip-08.md") and "due: 2026-04-28\n" in front(actions / "qip-08.md")
    falls = (project / "content" / "sources" / f"{_source_id(project, 'Falls review (January)').lower()}.md").read_text(encoding="utf-8")
    assert "kind: incident\ndate: 2026-03-04\n" in falls


def _source_id(project: Path, title: str) -> str:
    from generator.tracker.cells import normalise_heading as n, short_hash

    return f"SRC-{short_hash(n(title), '')}"


def _source_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("source:"))


def test_reimport_and_dry_run_change_nothing(minimal_project, tmp_path):
    project = minimal_project.root
    tracker = messy_workbook(tmp_path / "tracker.xlsx")
    before = tree(project / "content")
    dry = run(project, tracker, dry_run=True, allow_errors=True)
    assert dry.records and dry.written is False and tree(project / "content") == before
    first = run(project, tracker, allow_errors=True)
    after_first = tree(project / "content")
    assert {r.rel for r in dry.records} == {r.rel for r in first.records}
    again = run(project, tracker, allow_errors=True)
    assert again.records == [] and tree(project / "content") == after_first
    assert sorted(i for _, i in again.already) == ["QIP-01", "QIP-02", "QIP-04", "QIP-05", "QIP-06", "QIP-08"]


def test_an_id_taken_by_another_record_is_never_overwritten(minimal_project, tmp_path):
    project = minimal_project.root
    path = tmp_path / "t.csv"
    path.write_text(
        "Ref,Action,Owner,Date raised,Due date,RAG,Source,Quality statement\n"
        "ACT-1,Something else entirely,Jo Evans,01/03/2026,01/04/2026,Red,AUD-1,Safeguarding\n"
        "7,Check call bells,Jo Evans,01/03/2026,01/04/2026,Red,AUD-1,Safeguarding\n"
        "7,Check call bells,Jo Evans,01/03/2026,01/04/2026,Red,AUD-1,Safeguarding\n"
        "7,A different action,Jo Evans,01/03/2026,01/04/2026,Red,AUD-1,Safeguarding\n",
        encoding="utf-8",
    )
    original = (project / "content/actions/act-1.md").read_bytes()
    result = run(project, path, allow_errors=True)
    assert errors(result) == [
        "t.csv:t:2:A: id 'ACT-1' is already taken by content/actions/act-1.md ('Weekly MAR chart checks'); row not imported "
        "(give it another reference, or set id_prefix in a map file)",
        "t.csv:t:5:A: id 'IMP-7' is also row 3's; give the rows different references",
    ]
    assert "t.csv:t:4:A: warning: repeats row 3 (same action, id IMP-7); imported once" in lines(result)
    assert [r.rel for r in result.records] == ["content/actions/imp-7.md"]
    assert "source: AUD-1\n" in front(project / "content/actions/imp-7.md")  # an existing source, named by id
    assert (project / "content/actions/act-1.md").read_bytes() == original
    assert_valid(project)


def test_ids_without_a_reference_are_stable_hashes(project, tmp_path):
    project.record("sources", "aud", "id: AUD-9\ntitle: Care plan audit\nkind: audit\ndate: 2026-01-01\n")
    path = tmp_path / "t.csv"
    text = "Action,Owner,Raised,Deadline,Risk,Source,QS\nReview care plans,Jo Evans,01/02/2026,01/03/2026,Low,Care plan audit,assessing-needs\n"
    path.write_text(text, encoding="utf-8")
    first = run(project.root, path)
    assert first.errors == [] and len(first.records) == 1
    record = first.records[0]
    assert record.id == "IMP-" + hashlib.sha256("review care plans|2026-02-01".encode()).hexdigest()[:8]
    assert record.fields["source"] == "AUD-9"  # matched by the source's title
    assert run(project.root, path).records == []


# -- CSV --------------------------------------------------------------------------------------

def test_csv_in_windows_1252_with_semicolons_and_a_bom_free_header(project, tmp_path):
    path = tmp_path / "Tracker export.csv"
    text = ("Action;Owner;Date raised;Due date;RAG;Status;Source;Quality statement;Notes\n"
            "Replace café fridge thermometer;Zoë Brown (Team leader);01/02/2026;28/02/2026;Amber;Done;Kitchen audit £ spend;"
            "Safe environments;\n")
    path.write_bytes(text.encode("cp1252"))
    result = run(project.root, path)
    assert errors(result) == [
        "Tracker export.csv:Tracker export:2:F: Status: status 'Done' needs the date it was done (add a 'Date closed' or 'Date completed' column)",
    ]
    path.write_bytes(text.replace("Done", "Ongoing").encode("cp1252"))
    result = run(project.root, path)
    assert result.errors == [] and result.written
    action = next(r for r in result.records if r.kind == "action")
    assert action.fields["title"] == "Replace café fridge thermometer"
    assert action.fields["owner"] == "Zoë Brown (Team leader)"
    assert_valid(project.root)


def test_csv_utf8_with_bom_blank_rows_and_quoted_newlines(project, tmp_path):
    path = tmp_path / "t.csv"
    text = ('Action,Owner,Date raised,Due date,RAG,Source,Quality statement,Description\n'
            ',,,,,,,\n'
            '"Daily walk round",Ann Lee (Deputy manager),"1 Feb 2026","1 Mar 2026",G,"Resident feedback, January",'
            'Kindness compassion and dignity,"Two residents said:\nstaff rush at breakfast"\n')
    path.write_bytes(text.encode("utf-8-sig"))
    result = run(project.root, path)
    assert result.errors == [], lines(result)
    source = next(r for r in result.records if r.kind == "source")
    assert source.fields["kind"] == "feedback-theme" and source.fields["title"] == "Resident feedback, January"
    action = next(r for r in result.records if r.kind == "action")
    assert "Two residents said:\nstaff rush at breakfast" in action.body
    assert action.fields["quality_statements"] == ["kindness-compassion-and-dignity"]
    assert_valid(project.root)


def test_unreadable_csv_is_a_usage_error(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"Action,Owner\x00\x81\x8d\x8f\x90\x9d")
    with pytest.raises(ImportUsageError, match="t.csv: "):
        run(project.root, path)


# -- map files --------------------------------------------------------------------------------

def test_a_map_file_names_columns_and_gives_defaults(project, tmp_path):
    project.record("services", "home", "id: home\ntitle: The Home\n")
    path = tmp_path / "odd.csv"
    path.write_text(
        "Thing to do,Who,When opened,Finish by,Colour,Where we are\n"
        "Audit call bells,Ann Lee,01/02/2026,01/03/2026,Red,Awaiting sign-off\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yml"
    mapping.write_text(
        "columns:\n  title: Thing to do\n  owner: Who\n  raised: When opened\n  due: Finish by\n  rag: E\n  status: Where we are\n"
        "defaults:\n  quality_statements: [safe-environments]\n  source: Call bell audit\n  source_kind: audit\n"
        "statuses:\n  Awaiting sign-off: in-progress\nid_prefix: HOME\n",
        encoding="utf-8",
    )
    result = run_import(project.root, path, "odd.csv", map_path=mapping, map_shown="map.yml")
    assert result.errors == [], lines(result)
    action = next(r for r in result.records if r.kind == "action")
    assert action.id.startswith("HOME-") and action.fields["status"] == "in-progress" and action.fields["risk"] == "high"
    assert action.fields["quality_statements"] == ["safe-environments"]
    source = next(r for r in result.records if r.kind == "source")
    assert source.fields["kind"] == "audit" and source.fields["title"] == "Call bell audit"
    assert_valid(project.root)


def test_a_broken_map_file_is_a_usage_error_with_lines(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Action,Owner\nX,Y\n", encoding="utf-8")
    mapping = tmp_path / "map.yml"
    mapping.write_text("colums:\n  title: Action\ndefaults:\n  quality_statements: [safegarding]\n  owner: Ann\n", encoding="utf-8")
    with pytest.raises(ImportUsageError) as caught:
        run_import(project.root, path, "t.csv", map_path=mapping, map_shown="map.yml")
    assert str(caught.value).splitlines() == [
        "map.yml:1: colums: unknown key; a map file has sheet, header_row, columns, defaults, id_prefix, statuses, risks; did you mean 'columns'?",
        "map.yml:4: defaults.quality_statements: 'safegarding' is not a quality statement of cqc-saf-2023; did you mean 'safeguarding'?",
        "map.yml:5: defaults.owner: cannot be given a default (defaults are for quality_statements, service, source, source_kind, risk, status)",
    ]
    mapping.write_text("columns:\n  due: Target date\n", encoding="utf-8")
    path.write_text("Action,Owner,Target dates\nX,Y,01/01/2026\n", encoding="utf-8")
    with pytest.raises(ImportUsageError, match=r"map.yml:2: columns.due: no column 'Target date' in the header row \(row 1\) of sheet 't'; did you mean 'Target dates'\?"):
        run_import(project.root, path, "t.csv", map_path=mapping, map_shown="map.yml")
    mapping.write_text("columns: [oops\n", encoding="utf-8")
    with pytest.raises(ImportUsageError, match="map.yml:1: map: invalid YAML"):
        run_import(project.root, path, "t.csv", map_path=mapping, map_shown="map.yml")


# -- files that cannot be used ------------------------------------------------------------------

def test_missing_sheet_suggests_the_nearest(project, tmp_path):
    tracker = messy_workbook(tmp_path / "tracker.xlsx")
    with pytest.raises(ImportUsageError, match=r"no sheet 'Acton plan'; did you mean 'Action plan'\? \(sheets: Cover, Action plan\)"):
        run(project.root, tracker, sheet="Acton plan")
    result = run(project.root, tracker, sheet="cover")
    assert errors(result) == [
        "tracker.xlsx:Cover:1:-: no header row found in the first 10 rows; expected headings such as 'Action', 'Owner', "
        "'Due date', 'Status', 'RAG', 'Source', or a map file saying which column is which (see 'portfolio import --help')",
    ]


@pytest.mark.parametrize("name, data, message", [
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "is not an Excel workbook"),
    ("text.xlsx", b"Action,Owner\n", "is not an Excel workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "save the tracker as .xlsx"),
    ("notes.docx", b"x", "give an .xlsx or .csv file"),
])
def test_files_that_are_not_trackers(project, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ImportUsageError, match=message):
        run(project.root, path)


def test_missing_file(project, tmp_path):
    with pytest.raises(ImportUsageError, match="no such file"):
        run(project.root, tmp_path / "nope.xlsx")


# -- services ---------------------------------------------------------------------------------

def test_a_new_service_that_would_break_existing_records_is_refused_per_row(minimal_project, tmp_path):
    project = minimal_project.root  # one service, 'home'; ACT-1 and AUD-1 name none
    path = tmp_path / "t.csv"
    path.write_text(
        "Action,Owner,Raised,Due,RAG,Source,Quality statement,Service\n"
        "Call bell audit,Ann Lee,01/02/2026,01/03/2026,Red,AUD-1,Safeguarding,Riverside Lodge\n"
        "Door alarms,Ann Lee,01/02/2026,01/03/2026,Red,AUD-1,Safeguarding,The Home\n",
        encoding="utf-8",
    )
    result = run(project, path, allow_errors=True)
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith("t.csv:t:2:H: Service: 'Riverside Lodge' is not a service of this portfolio; importing it would leave")
    assert [r.rel for r in result.records if r.kind == "action"] and all(r.kind != "service" for r in result.records)
    assert "service: home\n" in front(project / result.records[0].rel)
    assert_valid(project)


def test_a_new_service_is_created_when_it_breaks_nothing(project, tmp_path):
    project.record("sources", "aud", "id: AUD-9\ntitle: Care plan audit\nkind: audit\ndate: 2026-01-01\n")
    path = tmp_path / "t.csv"
    path.write_text(
        "Action,Owner,Raised,Due,RAG,Source,Quality statement,Location\n"
        "Care plan reviews,Ann Lee,01/02/2026,01/03/2026,Red,Care plan audit,assessing-needs,Riverside Lodge\n",
        encoding="utf-8",
    )
    result = run(project.root, path)
    assert result.errors == [], lines(result)
    assert sorted(r.rel for r in result.records) == ["content/actions/" + result.records[0].id.lower() + ".md", "content/services/riverside-lodge.md"]
    assert_valid(project.root)


def test_a_value_used_twice_is_written_out_twice_never_as_an_alias():
    """Records refuse YAML anchors and aliases, so the importer must never write one."""
    from generator.tracker.writer import record_text
    from generator.read.yamlread import parse

    shared = ["medicines-optimisation"]
    text = record_text({"id": "ACT-1", "quality_statements": shared, "tags": shared, "closure": {"evidence": shared}}, "Body.")
    assert "&" not in text and "*" not in text
    front = text.split("---\n")[1]
    value, _ = parse(front)
    assert value["tags"] == value["quality_statements"] == value["closure"]["evidence"] == shared
