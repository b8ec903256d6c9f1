"""The assurance schedule end to end: the example's schedule.yml judged, its calendar and home
page built by the real command, portfolio.json's checks, and a share judged on what it publishes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .conftest import Build, clean_env, copy_example, plain, read_article, run_portfolio, section_with

GOVERNANCE = "Monthly governance meeting: no meeting in 2025-11, 2025-12, 2026-01, 2026-03, 2026-04, 2026-05, 2026-07, 2026-08, 2026-09"


def _calendar_cells(article: str, title: str) -> list[str]:
    """The text of each cell of the calendar's row for ``title``."""
    body = section_with(article, "Month by month")
    for row in body.split("<tr>")[1:]:
        cells = [plain(cell.split(">", 1)[1].split("</td>")[0]) for cell in row.split("<td")[1:]]
        if cells and cells[0].startswith(title + " every"):
            return cells[1:]
    raise AssertionError(f"no row {title!r}")


def test_the_calendar_shows_each_item_per_service_month_by_month(example_site: Build):
    article = read_article(example_site.site, "dashboards/calendar.html")
    assert "<h1" in article and "Assurance calendar" in article
    governance = _calendar_cells(article, "Monthly governance meeting")
    assert len(governance) == 12  # December 2025 to November 2026
    assert governance[2] == "held MTG-2026-02" and governance[1] == "missed" and governance[-1] == "not yet due"
    assert governance.count("missed") == 8  # and 2025-11, before the calendar's twelve months
    brookfield = _calendar_cells(article, "Quality audit, Brookfield House")
    assert brookfield[3] == "missed"  # 2026-Q1, shown in March
    assert brookfield[6] == "held SRC-021"  # 2026-Q2: SRC-021 on 2 June (a late audit: tests/site/test_calendar_plan.py)
    assert _calendar_cells(article, "Quality audit, Riverside Homecare")[9] == "missed"  # 2026-Q3
    assert 'href="../meetings/mtg-2026-06.html"' in article
    assert "pf-cal--missed" in article and "pf-cal--held" in article
    reviews = plain(section_with(article, "Reviews of actions"))
    assert "High-risk review late every 7 days for high and critical risk 1" in reviews


def test_the_home_page_lists_what_was_missed_near_the_top(example_site: Build):
    article = read_article(example_site.site, "index.html")
    missed = section_with(article, "Missed governance and audits")
    assert GOVERNANCE in plain(missed)
    assert "Quality audit, Riverside Homecare: no audit in 2025-Q4, 2026-Q1, 2026-Q3" in plain(missed)
    assert 'href="dashboards/calendar.html"' in missed
    assert article.index("Missed governance and audits") < article.index("Needs escalation")


def test_portfolio_json_carries_the_schedule_checks(example_site: Build):
    document = example_site.json()
    assert {"check": "governance-missed", "reason": GOVERNANCE} in document["assurance"]
    assert {"check": "audit-missed", "reason": "Quality audit, Brookfield House: no audit in 2026-Q1"} in document["assurance"]
    act_005 = next(r for r in document["records"] if r["id"] == "ACT-005")
    assert {"check": "high-risk-review-late", "reason": "high risk, last update 2026-11-10, 12 days ago: reviewed every 7 days"} in act_005["assurance"]
    act_013 = next(r for r in document["records"] if r["id"] == "ACT-013")
    assert [c["check"] for c in act_013["assurance"] if c["check"] == "update-overdue-for-risk"] == ["update-overdue-for-risk"]
    judged = {c["check"] for c in document["assurance_checks"]}
    assert {"governance-missed", "audit-missed", "high-risk-review-late", "update-overdue-for-risk"} <= judged


def test_an_earlier_as_of_date_judges_only_the_periods_ended_by_then(example_builds: dict[str, Build]):
    early = example_builds["early"]  # 2026-04-15: March's grace ended on 7 April, April has not ended
    assert early.returncode == 0, early.stderr
    reasons = [c["reason"] for c in early.json()["assurance"] if c["check"] == "governance-missed"]
    assert reasons == ["Monthly governance meeting: no meeting in 2025-11, 2025-12, 2026-01, 2026-03"]


def test_a_share_judges_its_services_from_its_since_date_and_counts_what_it_withholds(tmp_path: Path):
    project = copy_example(tmp_path / "example")
    # A sensitive audit at Brookfield House in 2026-Q1: withheld from the share, still held.
    (project / "content" / "sources" / "src-099.md").write_text(textwrap.dedent("""\
        ---
        id: SRC-099
        title: Safeguarding records audit, February 2026
        kind: audit
        service: brookfield-house
        date: 2026-02-10
        identified_by: Sarah Lund (Quality lead)
        sensitive: true
        ---
        Audit of safeguarding records.
        """), encoding="utf-8")
    result = run_portfolio("share", "northshire-county-council", "--as-of", "2026-11-22", cwd=project, env=clean_env())
    assert result.returncode == 0, result.stderr
    site = project / "share" / "northshire-county-council"
    document = json.loads((site / "portfolio.json").read_text(encoding="utf-8"))
    assert [c for c in document["assurance"] if c["check"] in ("governance-missed", "audit-missed")] == [{
        "check": "governance-missed",  # judged from the profile's since date, 2026-01-01
        "reason": "Monthly governance meeting: no meeting in 2026-01, 2026-03, 2026-04, 2026-05, 2026-07, 2026-08, 2026-09",
    }]  # no audit missed at Brookfield House; Riverside Homecare is not in this share
    calendar = read_article(site, "dashboards/calendar.html")
    assert "Riverside" not in calendar
    brookfield = _calendar_cells(calendar, "Quality audit, Brookfield House")
    assert brookfield[3] == "held 1 not in this share"
    assert "SRC-099" not in calendar
