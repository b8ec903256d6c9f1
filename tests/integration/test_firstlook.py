"""What the first look at the site asked for (issue 18, item 8), in the example built by the real
command as of 2026-11-22: the home page names the actions behind each warning, the board shows
each action's flags and checks, coverage is a heat map with its figures, and "Since last month"
says what changed since 31 October, in the site and in a share (from the share's records only).
"""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import Build, copy_example, plain, read_article, run_portfolio, sections

SINCE = "dashboards/since-last-month.html"


def test_home_names_the_actions_behind_each_warning(example_site: Build):
    home = read_article(example_site.site, "index.html")
    warnings = sections(home)["Early warnings"]
    actions = {r["id"]: r for r in example_site.json()["records"] if r["kind"] == "action"}
    for row in re.findall(r"<tr>(.*?)</tr>", warnings, re.S)[1:]:
        flag = re.search(r"pf-flag--([a-z-]+)", row).group(1)
        named = re.findall(r'<a href="actions/([a-z0-9-]+)\.html">([A-Z0-9-]+)</a>', row)
        flagged = {i for i, a in actions.items() if flag in a["flags"]}
        assert {i for _, i in named} <= flagged and len(named) == min(len(flagged), 8), flag
    assert "Overdue 2 ACT-005 , ACT-015" in plain(warnings)  # the longest overdue first
    assert 'href="dashboards/since-last-month.html"' in home


def test_board_shows_flags_and_checks_columns(example_site: Build):
    board = read_article(example_site.site, "dashboards/board.html")
    assert board.count("<th>Assurance checks</th>") == 2 and board.count("<th>Flags</th>") == 2
    assert '<a class="pf-flag pf-flag--escalate" href="flags/escalate.html">Needs escalation</a>' in board


def test_coverage_is_a_heat_map_with_the_figures_as_text(example_site: Build):
    coverage = read_article(example_site.site, "dashboards/coverage.html")
    assert 'class="pf-heat-legend"' in coverage
    cells = re.findall(r'<td class="pf-heat pf-heat--(\d)">([^<]*)', coverage)
    assert len(cells) == 34 * 6
    assert {level for level, _ in cells} >= {"0", "4"}
    assert all(text.strip().isdigit() for _, text in cells)
    assert all((level == "0") == (text == "0") for level, text in cells)


def test_since_last_month_in_the_site(example_site: Build):
    page = read_article(example_site.site, SINCE)
    text = plain(page)
    assert "between the end of last month (2026-10-31) and 2026-11-22" in text
    parts = {title.split(" (")[0]: plain(body) for title, body in sections(page).items()}
    assert "EV-014" in parts["Records added"]
    assert "ACT-031" in parts["Status changed"] and "In progress Completed" in parts["Status changed"]
    assert "2026-10-31 2026-11-14" in parts["Deadline changed"]
    assert "ACT-015" in parts["Early warnings raised"]
    assert "ACT-031" in parts["Early warnings cleared"] and "Due soon" in parts["Early warnings cleared"]
    assert 'href="dashboards/since-last-month.html"' in (example_site.site / "index.html").read_text(encoding="utf-8").split("<article")[0]


def test_since_last_month_in_a_share_shows_only_the_shares_records(tmp_path: Path):
    project = copy_example(tmp_path / "example")
    (project / "content" / "evidence" / "ev-099.md").write_text(
        "---\nid: EV-099\ntitle: Safeguarding referral notes\nservice: brookfield-house\ndate: 2026-11-10\n"
        "category: processes\nsensitive: true\n---\nNotes.\n", encoding="utf-8",
    )
    result = run_portfolio("share", "northshire-county-council", "--as-of", "2026-11-22", cwd=project)
    assert result.returncode == 0, result.stderr
    share = project / "share" / "northshire-county-council"
    text = plain(read_article(share, SINCE))
    assert "EV-014" in text and "ACT-031" in text  # Brookfield House's
    assert "ACT-015" not in text and "ACT-003" not in text  # Riverside Homecare's: not in this share
    assert not [p for p in share.rglob("*") if p.is_file() and b"EV-099" in p.read_bytes()]
