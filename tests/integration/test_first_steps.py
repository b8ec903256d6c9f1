"""What a new user met in their first records, through the real command: values typed in
capitals, YAML mistakes, records dated after the as-of date (issue 16).

Line numbers of the minimal project's files are in tests/integration/test_errors.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from .test_errors import ACT, AS_OF, AUD, add, both, edit, invoke, output_lines, write

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
