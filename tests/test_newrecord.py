"""``portfolio new``: a valid record from a template with the next free id; never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import newrecord
from generator.cli import main
from generator.newrecord import next_id, open_project
from generator.pipeline import check


def invoke(project: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--project", str(project), "new", *args], input=input, catch_exceptions=False)


def assert_valid(project: Path) -> None:
    assert [str(p) for p in check(project).problems.errors] == []


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772668800")  # 2026-03-05


def test_next_id_follows_the_folder(example_project, project):
    ctx = open_project(example_project)
    assert next_id(ctx, "action") == "ACT-032"  # after the example's ACT-031 (issue 18's records)
    assert next_id(ctx, "source") == "SRC-022"
    assert next_id(ctx, "evidence") == "EV-023"
    empty = open_project(project.root)
    assert [next_id(empty, k) for k in ("action", "source", "evidence", "meeting")] == ["ACT-001", "SRC-001", "EV-001", "MTG-001"]


def test_next_id_uses_the_most_used_prefix_and_skips_taken_names(project):
    for name, record_id in (("a", "QI-7"), ("b", "QI-9"), ("c", "act-0041"), ("d", "IMP-1a2b3c4d")):
        project.record("actions", name, f"id: {record_id}\ntitle: x\n")
    project.file("content/actions/qi-10.md", "not a record yet\n")  # a file with the next name: skipped
    project.record("sources", "qi-11", "id: QI-11\ntitle: a source with the next id\n")
    assert next_id(open_project(project.root), "action") == "QI-12"
    project.record("actions", "e", "id: ACT-0042\ntitle: x\n")
    project.record("actions", "f", "id: ACT-0043\ntitle: x\n")
    assert next_id(open_project(project.root), "action") == "ACT-0044"


def test_new_action_with_every_option_is_valid(minimal_project):
    root = minimal_project.root
    result = invoke(root, "action", "--title", "Check call bells weekly", "--source", "AUD-1", "--owner", "Jo Evans (Deputy manager)",
                    "--due", "2026-04-30", "--risk", "high", "--quality-statement", "safeguarding,safe-environments",
                    "--agreed-in", "MTG-1", "--service", "home")
    assert result.exit_code == 0, result.output
    assert result.output == "Created content/actions/act-2.md (ACT-2). Write the narrative below its front matter.\n"
    text = (root / "content/actions/act-2.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\nid: ACT-2\ntitle: Check call bells weekly\nservice: home\nsource: AUD-1\nowner: Jo Evans (Deputy manager)\n"
        "raised: 2026-03-05\nagreed_in: MTG-1\ndue: 2026-04-30\nrisk: high\nstatus: open\n"
        "quality_statements: [safeguarding, safe-environments]\n---\n<!--"
    )
    assert_valid(root)


def test_missing_options_without_a_terminal_exit_2_naming_them(minimal_project):
    root = minimal_project.root
    before = sorted(p.name for p in (root / "content/actions").iterdir())
    result = invoke(root, "action", "--title", "Something")
    assert result.exit_code == 2
    assert "missing --source, --owner, --due, --risk, --quality-statement (standard input is not a terminal" in result.output
    assert sorted(p.name for p in (root / "content/actions").iterdir()) == before


def test_service_is_required_once_there_are_two(example_project):
    result = invoke(example_project, "source", "--title", "Night audit", "--kind", "audit")
    assert result.exit_code == 2 and "missing --service" in result.output
    result = invoke(example_project, "source", "--title", "Night audit", "--kind", "audit", "--service", "brookfield-house")
    assert result.exit_code == 0, result.output
    assert "Created content/sources/src-022.md (SRC-022)" in result.output
    assert_valid(example_project)


@pytest.mark.parametrize("args, message", [
    (["--source", "AUD-2"], "Invalid value for '--source': no source with id 'AUD-2'; did you mean 'AUD-1'?"),
    (["--due", "30/04/2026"], "Invalid value for '--due': '30/04/2026' is not a date; write it as YYYY-MM-DD"),
    (["--risk", "severe"], "Invalid value for '--risk': 'severe' is not one of: low, medium, high, critical"),
    (["--status", "closed"], "a new action starts open or in progress"),
    (["--quality-statement", "safegarding"], "'safegarding' is not a quality statement of cqc-saf-2023; did you mean 'safeguarding'?"),
    (["--id", "act-1"], "Invalid value for '--id': 'ACT-1' is already the id of content/actions/act-1.md"),
    (["--id", "bad id!"], "is not a valid id"),
])
def test_bad_values_exit_2_and_write_nothing(minimal_project, args, message):
    root = minimal_project.root
    before = sorted(p.name for p in (root / "content").rglob("*"))
    full = {"--title": "T", "--source": "AUD-1", "--owner": "Jo Evans", "--due": "2026-04-30", "--risk": "low",
            "--quality-statement": "safeguarding"}
    for name, value in zip(args[::2], args[1::2]):
        full[name] = value
    result = invoke(root, "action", *[x for pair in full.items() for x in pair])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert sorted(p.name for p in (root / "content").rglob("*")) == before


def test_never_overwrites_a_file_with_the_same_name(minimal_project):
    root = minimal_project.root
    stray = minimal_project.file("content/evidence/ev-9.md", "my notes, not a record\n")
    result = invoke(root, "evidence", "--id", "EV-9", "--title", "Audit report", "--category", "processes")
    assert result.exit_code == 2 and "content/evidence/ev-9.md already exists; nothing is overwritten" in result.output
    assert stray.read_text(encoding="utf-8") == "my notes, not a record\n"


def test_a_terminal_is_asked_for_what_is_missing(minimal_project, monkeypatch):
    root = minimal_project.root
    monkeypatch.setattr(newrecord, "stdin_is_terminal", lambda: True)
    answers = "\n".join(["AUD-9", "AUD-1", "Jo Evans (Deputy manager)", "", "31/04/2026", "2026-04-30", "bad", "medium",
                         "safegarding", "safeguarding"]) + "\n"
    result = invoke(root, "action", "--title", "Door alarm checks", input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: no source with id 'AUD-9'; did you mean 'AUD-1'?" in result.output
    assert "Error: '31/04/2026' is not a date; write it as YYYY-MM-DD" in result.output
    assert "Raised (YYYY-MM-DD) [2026-03-05]" in result.output
    text = (root / "content/actions/act-2.md").read_text(encoding="utf-8")
    assert "raised: 2026-03-05\n" in text and "due: 2026-04-30\n" in text and "risk: medium\n" in text
    assert "quality_statements: [safeguarding]\n" in text
    assert_valid(root)


def test_a_placeholder_owner_is_written_with_a_warning(minimal_project):
    root = minimal_project.root
    result = invoke(root, "action", "--title", "T", "--source", "AUD-1", "--owner", "TBC", "--due", "2026-04-30",
                    "--risk", "low", "--quality-statement", "safeguarding")
    assert result.exit_code == 0
    assert "warning: 'TBC' is not a named person; the action will be flagged no-named-owner" in result.output
    assert_valid(root)


def test_new_meeting_and_evidence(minimal_project):
    root = minimal_project.root
    assert invoke(root, "meeting", "--title", "March governance meeting", "--forum", "Monthly governance meeting",
                  "--chair", "Sam Patel (Registered manager)", "--date", "2026-03-17").exit_code == 0
    assert invoke(root, "evidence", "--title", "Re-audit", "--category", "process").exit_code == 2  # nearest is suggested
    result = invoke(root, "evidence", "--title", "Re-audit", "--category", "processes", "--kind", "audit report",
                    "--quality-statement", "medicines-optimisation")
    assert result.exit_code == 0 and "(EV-2)" in result.output
    assert "kind: audit report\n" in (root / "content/evidence/ev-2.md").read_text(encoding="utf-8")
    assert_valid(root)
