"""The "Learning and effectiveness" dashboard and an action's chain of follow-ups, built by the real
command: from the shipped example (ACT-007, training, not effective -> ACT-008), as of two dates,
and in a share that must not leak a name or a redaction term through a learning note."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from .conftest import Build, plain, read_article, run_portfolio, section_with


def _row(markup: str, first_cell: str) -> str:
    """The text of the one table row whose first cell starts with ``first_cell``."""
    rows = [plain(row) for row in re.findall(r"<tr>(.*?)</tr>", markup, re.DOTALL)]
    chosen = [row for row in rows if row.startswith(first_cell)]
    assert len(chosen) == 1, (first_cell, rows)
    return chosen[0]


def test_the_learning_dashboard_follows_act_007_to_act_008(example_site: Build):
    page = read_article(example_site.site, "dashboards/learning.html")
    chains = section_with(page, "Follow-up chains")
    assert "ACT-007 Training alone: not effective → ACT-008 Observation and supervision: still open" in plain(chains)
    assert _row(chains, "ACT-007") .endswith("Training alone: not effective Still open: ACT-008 not yet closed")
    assert 'href="../actions/act-008.html"' in chains
    approach = section_with(page, "By approach")
    # Effective | Partly | Not effective | Still open | Closed effective | After follow-ups
    assert _row(approach, "Training") == "Training 1 0 1 0 1 of 2 closed (50%) 1 with a follow-up still open"
    assert _row(approach, "Observation") == "Observation 0 0 0 1 none closed yet"
    service = section_with(page, "By service")
    assert _row(service, "Riverside Homecare") == "Riverside Homecare 1 0 1 6 1 of 2 closed (50%) 1 with a follow-up still open"
    assert _row(service, "Brookfield House") == "Brookfield House 4 0 0 6 4 of 4 closed (100%)"
    statement = section_with(page, "By statement")
    assert _row(statement, "Medicines optimisation").startswith("Medicines optimisation 0 0 1 2 0 of 1 closed (0%)")
    learnt = section_with(page, "What was learnt")
    medicines = section_with(learnt, "Medicines optimisation", level=3)
    assert "the gaps came from time and habit on real visits" in plain(medicines)
    assert plain(section_with(learnt, "Safeguarding", level=3)).count("ACT-010") == 1


def test_an_action_page_shows_its_approach_learning_and_chain(example_site: Build):
    first = read_article(example_site.site, "actions/act-007.html")
    assert "Approach Training" in plain(first)
    assert "What was learnt Classroom training and a competency test" in plain(section_with(first, "Closure"))
    chain = plain(section_with(first, "Chain of follow-ups"))
    assert "Before it: none: the chain starts here" in chain
    assert "After it: ACT-008 (Observation and supervision: still open)" in chain
    assert "How it started: Training alone: not effective" in chain
    assert "Final outcome: Still open: ACT-008 not yet closed" in chain
    second = plain(section_with(read_article(example_site.site, "actions/act-008.html"), "Chain of follow-ups"))
    assert "Before it: ACT-007 (Training alone: not effective)" in second and "After it: none yet" in second
    assert "Chain of follow-ups" not in read_article(example_site.site, "actions/act-009.html")


def test_portfolio_json_keeps_approach_and_learning_as_written(example_site: Build):
    records = {r["id"]: r for r in example_site.json()["records"]}
    assert records["ACT-008"]["fields"]["approach"] == ["observation", "supervision"]
    assert records["ACT-007"]["fields"]["closure"]["learning"].startswith("Classroom training")


def test_before_the_follow_up_was_raised_there_is_no_chain(example_builds: dict[str, Build]):
    early = example_builds["early"]  # 2026-04-15: ACT-007 not yet closed, ACT-008 not yet raised
    assert early.returncode == 0, early.stderr
    page = read_article(early.site, "dashboards/learning.html")
    assert "No action has been followed up by another on 2026-04-15." in plain(page)
    assert "Classroom training" not in page
    assert "Chain of follow-ups" not in read_article(early.site, "actions/act-007.html")


PROFILE = """\
title: Read-only portfolio for the council
owners: roles
"""


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_share_carries_the_learning_without_names_or_redacted_terms(project):
    root = project.root
    project.config(project.root.joinpath("site_config/portfolio.yml").read_text(encoding="utf-8").replace(
        "redact_terms: []", "redact_terms: [Quillby]"))
    _write(root, "site_config/profiles/council.yml", PROFILE)
    project.record("sources", "aud-1", "id: AUD-1\ntitle: Medicines audit\nkind: audit\ndate: 2026-01-10\n")
    project.record("evidence", "ev-1", "id: EV-1\ntitle: MAR re-audit\ndate: 2026-03-01\ncategory: observation\n")
    project.record("actions", "act-1", """
        id: ACT-1
        title: MAR training
        source: AUD-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-01-15
        due: 2026-02-28
        risk: high
        status: closed
        approach: training
        quality_statements: [medicines-optimisation]
        completion: {date: 2026-02-20, checked_by: Sam Patel (Registered manager)}
        closure:
          date: 2026-03-01
          evidence: [EV-1]
          outcome: not-effective
          learning: Jo Evans found the Quillby round still rushed; training alone did not change it.
        follow_up: [ACT-2]
    """)
    project.record("actions", "act-2", """
        id: ACT-2
        title: Observed rounds
        source: AUD-1
        owner: Jo Evans (Deputy manager)
        raised: 2026-03-01
        due: 2026-12-31
        risk: high
        status: in-progress
        approach: [observation]
        quality_statements: [medicines-optimisation]
    """)
    result = run_portfolio("share", "council", "--as-of", "2026-06-30", cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "share" / "council"
    page = read_article(site, "dashboards/learning.html")
    text = plain(page)
    assert "ACT-1 Training alone: not effective → ACT-2 Observation alone: still open" in text
    assert "training alone did not change it" in text
    assert "Jo Evans" not in page and "quillby" not in page.lower()
    assert "Deputy manager found the" in text  # the name replaced by the role, as in every note
    chain = plain(section_with(read_article(site, "actions/act-2.html"), "Chain of follow-ups"))
    assert "Before it: ACT-1 (Training alone: not effective)" in chain
