"""What a new user met in their first records, through the real command: values typed in
capitals, YAML mistakes, records dated after the as-of date (issue 16).

Line numbers of the minimal project's files are in tests/integration/test_errors.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import epoch
from .test_errors import ACT, AS_OF, AUD, EV, MTG, both, built, edit, invoke, output_lines, site_cache, write  # noqa: F401 (fixtures)

ACT2 = "content/actions/act-2.md"
OVERDUE_ACTION = """\
---
id: ACT-2
title: Night checks recorded on the falls log
source: AUD-1
owner: Jo Evans (Deputy manager)
raised: 2026-02-01
due: 2026-03-01
risk: {risk}
status: {status}
quality_statements: [medicines-optimisation]
---
Narrative.
"""


# -- values chosen from a list ---------------------------------------------------------------------

def test_values_typed_in_capitals_are_read_as_the_format_writes_them(minimal_project):
    """'risk: High' and 'kind: Safeguarding' are read alike: as 'high' and 'safeguarding', with a
    warning naming the spelling to write; the action is judged on what was meant."""
    root = minimal_project.root
    both(
        write(ACT2, OVERDUE_ACTION.format(risk="High", status="In progress")),
        edit(AUD, "kind: audit", "kind: Safeguarding"),
        edit(ACT, "outcome: effective", "outcome: Effective"),
    )(root)
    expected = [
        f"{ACT}:13: closure.outcome: warning: 'Effective' is read as 'effective'; write 'effective'",
        f"{ACT2}:8: risk: warning: 'High' is read as 'high'; write 'high'",
        f"{ACT2}:9: status: warning: 'In progress' is read as 'in-progress'; write 'in-progress'",
        f"{AUD}:4: kind: warning: 'Safeguarding' is read as 'safeguarding'; write 'safeguarding'",
    ]
    checked = invoke("--project", str(root), "check")
    assert checked.exit_code == 0, checked.output
    assert [line for line in checked.stdout.splitlines() if "is read as" in line] == expected
    built = invoke("--project", str(root), "build", "--as-of", AS_OF)
    assert built.exit_code == 0, built.output
    assert [line for line in output_lines(built) if "is read as" in line] == expected
    data = json.loads((root / "site" / "portfolio.json").read_text(encoding="utf-8"))
    act2 = next(r for r in data["records"] if r["id"] == "ACT-2")
    assert act2["status"] == "in-progress"
    assert "escalate" in act2["flags"]  # overdue with risk high: 'High' counts as high
    assert act2["fields"]["risk"] == "High"  # fields keep what was written


# -- records dated after the as-of date --------------------------------------------------------------

def test_a_record_dated_after_the_as_of_date_is_named_not_dropped_silently(built: Path):
    """Spec 6 leaves it out of the build; a warning at its date's line says so, for each kind."""
    both(
        write(ACT2, OVERDUE_ACTION.format(risk="high", status="open").replace("raised: 2026-02-01", "raised: 2026-05-02")),
        edit(MTG, "date: 2026-01-15", "date: 2026-04-02"),
        edit(EV, "date: 2026-02-20", "date: 2027-01-01"),
        edit(ACT, "evidence: [EV-1]", "evidence: [EV-1, EV-2]"),
        write("content/evidence/ev-2.md", "---\nid: EV-2\ntitle: Spot check\ndate: 2026-02-21\ncategory: processes\n---\n"),
    )(built)
    result = invoke("--project", str(built), "build", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert [line for line in output_lines(result) if "after the as-of date" in line] == [
        f"{ACT2}:6: raised: warning: dated 2026-05-02, after the as-of date {AS_OF}: not in this build",
        f"{EV}:4: date: warning: dated 2027-01-01, after the as-of date {AS_OF}: not in this build",
        f"{MTG}:4: date: warning: dated 2026-04-02, after the as-of date {AS_OF}: not in this build",
    ]
    data = json.loads((built / "site" / "portfolio.json").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in data["records"]) == ["ACT-1", "AUD-1", "EV-2", "home"]
    # on the day itself, the record is in: no warning
    result = invoke("--project", str(built), "build", "--as-of", "2026-04-02")
    assert result.exit_code == 0, result.output
    assert [line for line in output_lines(result) if "after the as-of date" in line] == [
        f"{ACT2}:6: raised: warning: dated 2026-05-02, after the as-of date 2026-04-02: not in this build",
        f"{EV}:4: date: warning: dated 2027-01-01, after the as-of date 2026-04-02: not in this build",
    ]


@pytest.mark.parametrize("with_profile", [False, True], ids=["problems-only", "records-kept"])
def test_check_names_records_dated_after_today(minimal_project, with_profile: bool):
    """`portfolio check` has no as-of date: it judges on today (here SOURCE_DATE_EPOCH), whether it
    keeps only the problems (no share profile) or the records too."""
    root = minimal_project.root
    edit(MTG, "date: 2026-01-15", "date: 2026-04-02")(root)
    if with_profile:
        write("site_config/profiles/council.yml", "title: For the council\n")(root)
    result = CliRunner().invoke(main, ["--project", str(root), "check"], env={"SOURCE_DATE_EPOCH": epoch("2026-04-01T23:59:59")})
    assert result.exit_code == 0, result.output
    assert f"{MTG}:4: date: warning: dated 2026-04-02, after today (2026-04-01): not in a build until that date" in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == "portfolio: 5 records, no errors, 1 warning"


# -- YAML mistakes ------------------------------------------------------------------------------------

def test_yaml_mistakes_say_what_to_do(minimal_project):
    """A tab, a colon in a title, a quote never closed, a list's '-' out of line: each problem line
    names the line to change and how, as `portfolio check` prints it."""
    root = minimal_project.root
    both(
        edit(ACT, "title: Weekly MAR chart checks", "title: Falls: review of night checks"),
        edit(AUD, "kind: audit", "\tkind: audit"),
        edit(MTG, "forum: Monthly governance meeting", 'forum: "Monthly governance meeting'),
        write(ACT2, OVERDUE_ACTION.format(risk="high", status="open").replace("---\nNarrative", (
            "updates:\n"
            "  - date: 2026-02-10\n"
            "    by: Jo Evans (Deputy manager)\n"
            "    note: Night checks started.\n"
            " - date: 2026-02-20\n"
            "   note: Log reviewed.\n"
            "---\nNarrative"
        ))),
    )(root)
    result = invoke("--project", str(root), "check")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"{ACT}:3: front matter: invalid YAML: mapping values are not allowed in this context; "
        'put the title in quotes: title: "Falls: review of night checks"',
        f"{ACT2}:15: front matter: invalid YAML: did not find expected key (while parsing a block mapping); "
        "put this '-' 2 spaces in, under the '-' on line 12",
        f"{MTG}:5: front matter: invalid YAML: found unexpected end of stream (while scanning a quoted scalar); "
        "the \" that starts the value of 'forum' is never closed: end the value with \" too",
        f"{AUD}:4: front matter: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar); "
        "use spaces, not a tab, to indent",
    ]
