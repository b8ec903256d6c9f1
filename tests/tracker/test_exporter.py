"""``portfolio export``: the actions as judged on a date, as CSV or a workbook a commissioner can open."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

openpyxl = pytest.importorskip("openpyxl")

from generator.cli import main  # noqa: E402
from generator.tracker.exporter import HEADINGS, to_csv, to_xlsx  # noqa: E402
from generator.pipeline import prepare  # noqa: E402

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def example_portfolio():
    return prepare(Path(__file__).resolve().parents[2], AS_OF)[0]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_row_per_action_with_derived_state(example_portfolio):
    data = to_csv(example_portfolio)
    assert b"\r\n" in data
    rows = csv_rows(data)
    assert list(rows[0]) == list(HEADINGS)
    assert [r["ID"] for r in rows] == [a.id for a in example_portfolio.actions]
    by_id = {r["ID"]: r for r in rows}
    # worked out by hand from the example's files (tests/integration/test_build.py agrees)
    assert (by_id["ACT-005"]["Status"], by_id["ACT-005"]["Due"], by_id["ACT-005"]["Flags"]) == (
        "in-progress", "2026-09-30", "overdue, repeated-extensions, escalate")
    assert by_id["ACT-005"]["Days overdue"] == "53" and by_id["ACT-005"]["Extensions"] == "3"
    assert (by_id["ACT-007"]["Status"], by_id["ACT-007"]["Closure outcome"], by_id["ACT-007"]["Flags"]) == (
        "closed", "not-effective", "not-effective")
    assert (by_id["ACT-004"]["Flags"], by_id["ACT-014"]["Status"]) == ("no-named-owner", "cancelled")
    assert by_id["ACT-003"]["Last update"] == "2026-11-12" and by_id["ACT-003"]["Raised"] == "2026-06-16"
    assert by_id["ACT-001"]["Owner"] == "Priya Shah (Deputy manager)"
    assert to_csv(example_portfolio) == data


def test_an_earlier_date_leaves_out_later_actions_and_extensions():
    portfolio = prepare(Path(__file__).resolve().parents[2], date(2026, 4, 15))[0]
    by_id = {r["ID"]: r for r in csv_rows(to_csv(portfolio))}
    assert "ACT-002" not in by_id and "ACT-004" not in by_id
    assert (by_id["ACT-005"]["Due"], by_id["ACT-005"]["Extensions"], by_id["ACT-007"]["Status"]) == ("2026-06-30", "2", "completed")


def test_workbook_is_ready_to_filter_and_deterministic(example_portfolio, tmp_path):
    data = to_xlsx(example_portfolio)
    assert data == to_xlsx(example_portfolio)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 22, 0, 0, 0)}
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Actions", "About"]
    sheet = workbook["Actions"]
    assert [c.value for c in sheet[1]] == list(HEADINGS)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{len(example_portfolio.actions) + 1}"
    assert sheet.column_dimensions["B"].width == 60 and 8 <= sheet.column_dimensions["A"].width <= 40
    raised, due = sheet["F2"], sheet["H2"]
    assert isinstance(raised.value, datetime) and raised.number_format == "dd/mm/yyyy"
    assert raised.value.date() == example_portfolio.actions[0].raised
    assert isinstance(due.value, datetime)
    assert workbook.properties.created == datetime(2026, 11, 22) == workbook.properties.modified
    about = workbook["About"]
    assert about["B2"].value == datetime(2026, 11, 22) and about["B1"].value == "Brookfield Care Group Ltd"


def test_assurance_checks_beside_the_flags(example_portfolio, tmp_path):
    """Each action's checks, ``check: reason`` one a line, in the column after Flags; the workbook's
    About sheet says what each check means."""
    assert HEADINGS[HEADINGS.index("Flags") + 1] == "Assurance checks"
    by_id = {r["ID"]: r for r in csv_rows(to_csv(example_portfolio))}
    assert by_id["ACT-015"]["Flags"] == "overdue"
    assert by_id["ACT-015"]["Assurance checks"] == (
        "vague-updates: the latest two updates say nothing checkable: 2026-11-19 “Still ongoing, will update next week.” "
        "(stock phrases); 2026-11-09 “Chased, awaiting printer.” (very short)"
    )
    for action in example_portfolio.actions:  # the column is what portfolio.json's assurance lists say
        expected = [f"{c.check}: {c.reason}" for c in example_portfolio.checks(action)]
        assert [line for line in by_id[action.id]["Assurance checks"].split("\n") if line] == expected
    path = tmp_path / "a.xlsx"
    path.write_bytes(to_xlsx(example_portfolio))
    workbook = openpyxl.load_workbook(path)
    column = list(HEADINGS).index("Assurance checks") + 1
    cells = {row[0].value: row[column - 1] for row in workbook["Actions"].iter_rows(min_row=2)}
    assert cells["ACT-015"].value.startswith("vague-updates: the latest two updates") and cells["ACT-015"].alignment.wrap_text
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows() if row[0].value}
    assert about["Assurance check"] == "Holds when" and about["vague-updates"].startswith("an open or in-progress action's")


def test_a_check_switched_off_is_not_exported(example_project):
    config = example_project / "site_config" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "assurance:\n  vague-updates: false\n", encoding="utf-8")
    portfolio = prepare(example_project, AS_OF)[0]
    exported = {r["ID"]: r["Assurance checks"] for r in csv_rows(to_csv(portfolio))}
    assert "vague-updates" not in "".join(exported.values())
    assert exported["ACT-015"] == ""  # its only check, switched off
    assert "recurred-after-closure" in exported["ACT-001"]  # the others still judged


def test_the_import_leaves_the_checks_out_as_it_does_the_flags(project, example_portfolio, tmp_path):
    """An export read back in: the checks (like the flags) are judged, never imported as written."""
    from generator.tracker.importer import run_import

    tracker = tmp_path / "export.csv"
    tracker.write_bytes(to_csv(example_portfolio))
    result = run_import(project.root, tracker, tracker.name, dry_run=True, allow_errors=True)
    warned = {str(p) for p in result.warnings if "is not a column this import reads" in str(p)}
    column = {name: chr(ord("A") + i) for i, name in enumerate(HEADINGS)}
    assert any(f":{column['Flags']}: warning: heading 'Flags' is not a column" in line for line in warned)
    assert any(f":{column['Assurance checks']}: warning: heading 'Assurance checks' is not a column" in line for line in warned)
    assert result.records and not any("vague-updates" in repr((r.fields, r.body)) for r in result.records)


def test_export_command(example_project, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out" / "actions.csv"
    result = runner.invoke(main, ["-p", str(example_project), "export", "--as-of", "2026-11-22", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: 19 actions as of 2026-11-22.")
    assert csv_rows(out.read_bytes())[0]["ID"] == "ACT-001"
    result = runner.invoke(main, ["-p", str(example_project), "export", "--as-of", "2026-11-22"])
    # Without --output, into exports/ (made when missing), not among the project's own files.
    assert result.exit_code == 0 and (example_project / "exports" / "actions-2026-11-22.xlsx").is_file()
    assert result.output.startswith("Wrote exports/actions-2026-11-22.xlsx: 19 actions as of 2026-11-22.")
    assert not list(example_project.glob("actions-*"))
    result = runner.invoke(main, ["-p", str(example_project), "export", "--format", "csv", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "ends .xlsx but --format is csv" in result.output
    result = runner.invoke(main, ["-p", str(example_project), "export", "-o", str(example_project / "content" / "x.csv")])
    assert result.exit_code == 2 and not (example_project / "content" / "x.csv").exists()
    assert "an export is not a record; write it outside content/" in result.output
    (tmp_path / "folder.csv").mkdir()
    result = runner.invoke(main, ["-p", str(example_project), "export", "-o", str(tmp_path / "folder.csv")])
    assert result.exit_code == 2 and "is a folder; give a file name" in result.output
    result = runner.invoke(main, ["-p", str(example_project), "export", "--as-of", "22/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_export_refuses_a_portfolio_with_errors(minimal_project, tmp_path):
    minimal_project.record("actions", "bad", "id: ACT-9\ntitle: x\n")
    out = tmp_path / "a.csv"
    result = CliRunner().invoke(main, ["-p", str(minimal_project.root), "export", "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "content/actions/bad.md:1: source: is required" in result.output
