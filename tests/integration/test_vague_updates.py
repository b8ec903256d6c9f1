"""``vague-updates`` end to end: the example's built site and portfolio.json show it on ACT-015,
and a real share judges it again on what it publishes (never just because a record was withheld,
never when update notes are left out)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path


from .conftest import Build, read_article, run_portfolio


def test_the_example_shows_vague_updates_on_act_015(example_site: Build):
    document = example_site.json()
    actions = {r["id"]: r for r in document["records"] if r["kind"] == "action"}
    found = {i: [c["check"] for c in r["assurance"]] for i, r in actions.items() if r["assurance"]}
    assert found.get("ACT-015") == ["vague-updates"]
    assert [i for i, checks in found.items() if "vague-updates" in checks] == ["ACT-015"]
    reason = actions["ACT-015"]["assurance"][0]["reason"]
    assert reason.startswith("the latest two updates say nothing checkable: 2026-11-19 “Still ongoing, will update next week.”")
    assert actions["ACT-015"]["flags"] == ["overdue"]  # the flags are as they were
    assert {"check": "vague-updates", "title": "Updates say nothing checkable", "scope": "action"} in document["assurance_checks"]
    page = read_article(example_site.site, "actions/act-015.html")
    assert "Updates say nothing checkable</a></strong>: the latest two updates say nothing checkable" in page
    listed = read_article(example_site.site, "dashboards/checks/vague-updates.html")
    assert "ACT-015" in listed and "ACT-013" not in listed
    overview = read_article(example_site.site, "dashboards/assurance.html")
    assert "Updates say nothing checkable" in overview


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


ACTION = """\
---
id: {id}
title: {title}
source: SRC-1
service: north
owner: Helen Marsh (Registered manager)
raised: 2026-01-15
due: 2026-12-31
risk: medium
status: in-progress
quality_statements: [assessing-needs]
updates:
{updates}
---
Narrative.
"""


def test_a_share_judges_the_notes_it_publishes(tmp_path: Path):
    root = tmp_path / "project"
    _write(root, "site_config/portfolio.yml", """
        provider: Test Care Ltd
        framework: cqc-saf-2023
        roles: [Registered manager, Quality lead]
    """)
    _write(root, "site_config/profiles/council.yml", "title: For the council\nowners: roles\n")
    _write(root, "site_config/profiles/board.yml", "title: For the board\nupdates: false\n")
    _write(root, "content/services/north.md", "---\nid: north\ntitle: North House\n---\n")
    _write(root, "content/sources/src-1.md", "---\nid: SRC-1\ntitle: Audit\nkind: audit\ndate: 2026-01-10\nservice: north\n---\n")
    _write(root, "content/evidence/ev-secret.md", """
        ---
        id: EV-SECRET
        title: Protected disclosure outcome
        service: north
        date: 2026-02-01
        category: staff-feedback
        sensitive: true
        ---
        Withheld from every share.
    """)
    by = "by: Helen Marsh (Registered manager)"
    vague = "\n".join(f"  - {{date: 2026-0{m}-01, {by}, note: \"{n}\"}}" for m, n in ((3, "Ongoing."), (4, "Chased, awaiting reply.")))
    naming = "\n".join(f"  - {{date: 2026-0{m}-01, {by}, note: \"{n}\"}}" for m, n in ((3, "Chased EV-SECRET."), (4, "Chased EV-SECRET.")))
    _write(root, "content/actions/act-1.md", ACTION.format(id="ACT-1", title="Vague", updates=vague))
    # The same note twice is a copy (vague everywhere): only the second action's first note matters.
    _write(root, "content/actions/act-2.md", ACTION.format(id="ACT-2", title="Names a withheld record", updates=naming.replace("Chased EV-SECRET.\"}", "See EV-SECRET.\"}", 1)))

    built = run_portfolio("build", "--as-of", "2026-05-01", "--site-dir", str(tmp_path / "site"), cwd=root)
    assert built.returncode == 0, built.stderr
    full = json.loads((tmp_path / "site" / "portfolio.json").read_text(encoding="utf-8"))
    checked = {r["id"]: [c["check"] for c in r["assurance"]] for r in full["records"] if r["kind"] == "action"}
    assert checked == {"ACT-1": ["vague-updates"], "ACT-2": []}

    for profile in ("council", "board"):
        result = run_portfolio("share", profile, "--as-of", "2026-05-01", cwd=root)
        assert result.returncode == 0, result.stderr
    council = json.loads((root / "share" / "council" / "portfolio.json").read_text(encoding="utf-8"))
    shared = {r["id"]: r["assurance"] for r in council["records"] if r["kind"] == "action"}
    # EV-SECRET is "[withheld]" in the council's notes: still a record named, so ACT-2 is not vague
    assert shared["ACT-2"] == []
    assert [c["check"] for c in shared["ACT-1"]] == ["vague-updates"] and "Helen" not in json.dumps(shared)
    board = json.loads((root / "share" / "board" / "portfolio.json").read_text(encoding="utf-8"))
    # the board's share leaves update notes out: nothing to judge, so nothing is said
    assert {r["id"]: r["assurance"] for r in board["records"] if r["kind"] == "action"} == {"ACT-1": [], "ACT-2": []}
