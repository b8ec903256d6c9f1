"""``portfolio import``, ``export`` and ``new`` run as a user runs them, on a copy of the shipped example.

The export is checked against the portfolio.json of the session's example build for the same
as-of date, and the published schemas against generator/site/schema.py.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from .conftest import EXAMPLE_AS_OF, PORTFOLIO, REPO, Build, clean_env, copy_example, run_portfolio, tree_digest

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.styles import PatternFill  # noqa: E402


def tracker(path: Path) -> Path:
    """A Brookfield action plan kept in Excel: title row, blank rows, British dates, RAG colours."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "QIP"
    ws["A1"] = "Brookfield House quality improvement plan"
    ws.merge_cells("A1:J1")
    ws.append([])
    ws.append(["Action", "Owner", "Date raised", "Deadline", "RAG", "Status", "Source", "Date closed", "CQC quality statement", "Location"])
    ws.append(["Night checks recorded on the care app", "Tom Whitfield (Team leader)", "02/11/2026", "30/11/26", "Amber",
               "Ongoing", "Night checks audit, November", None, "Safe environments", "Brookfield House"])
    ws.append([])
    ws.append(["Bed rail checks added to the maintenance log", "Helen Marsh (Registered manager)", datetime(2026, 11, 3), 46360,
               None, "Done", "Night checks audit, November", "18 November 2026", "safe-environments", "brookfield-house"])
    ws["E6"].fill = PatternFill("solid", fgColor="FFFF0000")
    ws.append(["Relatives told of visits changes", "Grace Mensah (Care coordinator)", "3 November 2026", "31/11/2026", "G",
               "Not started", "SRC-002", None, "Providing information", "Riverside Homecare"])
    ws.append(["Missed visit calls logged", "TBC", "04/11/2026", "15/12/2026", "R", "Complete", "SRC-002", None,
               "Providing information", "Riverside Homecare"])
    wb.save(path)
    return path


def no_traceback(*results: subprocess.CompletedProcess[str]) -> None:
    for result in results:
        assert "Traceback" not in result.stderr + result.stdout


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


def test_import_reimport_dry_run_and_check(example_copy, tmp_path):
    path = tracker(tmp_path / "qip.xlsx")
    before = tree_digest(example_copy / "content")

    dry = run_portfolio("import", str(path), "--dry-run", cwd=example_copy)
    assert dry.returncode == 1
    assert f"{path}:QIP:7:D: Deadline: '31/11/2026' is not a real date" in dry.stderr
    assert f"{path}:QIP:8:H: Date closed: status 'Complete' needs the date it was done" in dry.stderr
    assert f"{path}:QIP:6:E: warning: RAG: empty cell filled red: read as risk high" in dry.stderr
    assert "would write content/actions/imp-" in dry.stdout and "Dry run" in dry.stdout
    strict = run_portfolio("import", str(path), cwd=example_copy)
    assert strict.returncode == 1 and "nothing was written" in strict.stderr
    assert tree_digest(example_copy / "content") == before

    done = run_portfolio("import", str(path), "--allow-errors", cwd=example_copy)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("wrote content/actions/") == 2 and done.stdout.count("wrote content/sources/") == 1
    assert "Wrote 2 actions, 1 source." in done.stdout
    checked = run_portfolio("check", cwd=example_copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    after = tree_digest(example_copy / "content")
    added = sorted(set(after) - set(before))
    assert len(added) == 3 and not [k for k in before if after.get(k) != before[k]]

    again = run_portfolio("import", str(path), "--allow-errors", cwd=example_copy)
    assert again.returncode == 0 and "2 already in the portfolio" in again.stdout
    assert tree_digest(example_copy / "content") == after
    no_traceback(dry, strict, done, checked, again)


def test_unusable_input_exits_2_without_a_traceback(example_copy, tmp_path):
    path = tracker(tmp_path / "qip.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(path.read_bytes()[:300])
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "map.yml").write_text("columns:\n  due: Target\n  wibble: x\n", encoding="utf-8")
    results = [
        (run_portfolio("import", str(tmp_path / "broken.xlsx"), cwd=example_copy), "is not an Excel workbook"),
        (run_portfolio("import", str(path), "--sheet", "QPI", cwd=example_copy), "no sheet 'QPI'; did you mean 'QIP'?"),
        (run_portfolio("import", str(tmp_path / "binary.csv"), cwd=example_copy), "binary.csv: "),
        (run_portfolio("import", str(path), "--map", str(tmp_path / "map.yml"), cwd=example_copy), "3: columns.wibble: not a field"),
        (run_portfolio("import", str(tmp_path / "nope.csv"), cwd=example_copy), "no such file"),
    ]
    for result, message in results:
        assert result.returncode == 2, (message, result.stderr)
        assert message in result.stderr
        assert result.stderr.rstrip().endswith("portfolio: nothing was imported")
    no_traceback(*(r for r, _ in results))


def test_export_agrees_with_portfolio_json(example_site: Build, tmp_path):
    out = tmp_path / "actions.csv"
    result = run_portfolio("export", "--as-of", EXAMPLE_AS_OF, "--output", str(out), cwd=example_site.project)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    exported = {r["ID"]: (r["Status"], r["Due"], [f for f in r["Flags"].split(", ") if f]) for r in rows}
    published = {r["id"]: (r["status"], r["due"], r["flags"]) for r in example_site.json()["records"] if r["kind"] == "action"}
    assert exported == published
    # the assurance checks too, one "check: reason" a line (the example shows vague-updates on ACT-015)
    checks = {r["ID"]: [line for line in r["Assurance checks"].split("\n") if line] for r in rows}
    published_checks = {
        r["id"]: [f"{c['check']}: {c['reason']}" for c in r["assurance"]] for r in example_site.json()["records"] if r["kind"] == "action"
    }
    assert checks == published_checks and checks["ACT-015"][0].startswith("vague-updates: ")


def test_xlsx_export_is_byte_identical_across_runs(example_copy, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    a = run_portfolio("export", "--as-of", EXAMPLE_AS_OF, "-o", str(first), cwd=example_copy)
    b = run_portfolio("export", "--format", "xlsx", "--as-of", EXAMPLE_AS_OF, "-o", str(second), cwd=example_copy,
                      env=clean_env(SOURCE_DATE_EPOCH="1234567890"))
    assert a.returncode == b.returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_site_publishes_the_schemas(example_site: Build):
    from generator.config.portfolio import load_portfolio_config
    from generator.problems import Problems
    from generator.site.schema import site_files

    framework = load_portfolio_config(REPO, Problems()).framework
    published = {p.relative_to(example_site.site).as_posix(): p.read_bytes() for p in sorted((example_site.site / "schemas").glob("*.json"))}
    assert published == site_files(framework)
    action = json.loads(published["schemas/action.schema.json"])
    assert "learning-culture" in action["properties"]["quality_statements"]["anyOf"][0]["enum"]


def test_new_without_a_terminal_names_the_missing_options(example_copy):
    result = subprocess.run(
        [*PORTFOLIO, "new", "action", "--title", "Check call bells"], cwd=example_copy, env=clean_env(),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "missing --service, --source, --owner, --due, --risk, --quality-statement" in result.stderr
    assert not (example_copy / "content" / "actions" / "act-032.md").exists()
    made = subprocess.run(
        [*PORTFOLIO, "new", "action", "--title", "Check call bells", "--service", "brookfield-house", "--source", "SRC-001",
         "--owner", "Tom Whitfield (Team leader)", "--due", "2026-12-31", "--risk", "medium", "--quality-statement", "safe-environments",
         "--raised", "2026-11-20"],
        cwd=example_copy, env=clean_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Created content/actions/act-032.md (ACT-032).")
    assert run_portfolio("check", cwd=example_copy).returncode == 0
