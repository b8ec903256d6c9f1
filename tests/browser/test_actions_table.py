"""The dashboard's "All actions" table (dashboards/actions.html) sorts and filters in the browser.

portfolio-table.js turns each column heading into a sort button and adds a filter list per
column named in the page; what is shown is checked against portfolio.json, row by row.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

pytestmark = pytest.mark.browser

RISK_ORDER = ["low", "medium", "high", "critical"]


def _actions(built_site) -> dict[str, dict]:
    data = json.loads((built_site.site / "portfolio.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["records"] if r["kind"] == "action"}


def _column(page, name: str) -> int:
    headers = page.locator("article table thead th").all_inner_texts()
    return [h.strip() for h in headers].index(name)


def _shown(page, column: int = 0) -> list[str]:
    """The text of one column in the rows on screen, top to bottom (the id for column 0)."""
    return page.evaluate(
        """col => [...document.querySelectorAll('article table tbody tr')].filter(tr => !tr.hidden)
            .map(tr => col === 0 ? tr.cells[0].querySelector('a').textContent.trim() : tr.cells[col].textContent.trim())""",
        column,
    )


def _sort_by(page, name: str) -> str:
    header = page.locator("article table thead th").nth(_column(page, name))
    header.get_by_role("button", name=name, exact=True).click()
    return header.get_attribute("aria-sort")


def _id_key(text: str) -> tuple[str, int]:
    prefix, number = re.match(r"^([A-Za-z-]+?)-?(\d+)$", text).groups()
    return prefix.lower(), int(number)


def test_clicking_a_heading_sorts_the_rows(watched, built_site):
    actions = _actions(built_site)
    page = watched.open("dashboards/actions.html")
    written = _shown(page)
    assert sorted(written, key=_id_key) == written and len(written) == len(actions)

    # Deadline: earliest first, then latest first on a second click.
    deadline = _column(page, "Deadline")
    assert _sort_by(page, "Deadline") == "ascending"
    dues = _shown(page, deadline)
    assert dues == sorted(dues) and dues != sorted(dues, reverse=True)
    assert [date.fromisoformat(d) for d in dues]  # real dates, in the deadline in force
    assert sorted(zip(_shown(page), dues)) == sorted((i, a["due"]) for i, a in actions.items())
    assert _sort_by(page, "Deadline") == "descending"
    assert _shown(page, deadline) == sorted(dues, reverse=True)

    # Risk: by rank (low, medium, high, critical), not alphabetically.
    assert _sort_by(page, "Risk") == "ascending"
    ranks = [RISK_ORDER.index(actions[i]["fields"]["risk"]) for i in _shown(page)]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]
    assert page.locator("article table thead th[aria-sort='ascending']").count() == 1

    # Action: back to id order, ACT-2 before ACT-10 as people expect; then reversed.
    assert _sort_by(page, "Action") == "ascending"
    assert _shown(page) == sorted(actions, key=_id_key)
    assert _sort_by(page, "Action") == "descending"
    assert _shown(page) == sorted(actions, key=_id_key, reverse=True)
    watched.assert_clean()


def _filter(page, name: str):
    return page.locator(f"xpath=//article//label[contains(@class, 'pf-filter')][starts-with(normalize-space(.), '{name}')]//select")


def _count_text(page) -> str:
    return page.locator("article .pf-table-count").inner_text().strip()


STATUS_WORDS = {"open": "Open", "in-progress": "In progress", "completed": "Completed", "closed": "Closed", "cancelled": "Cancelled"}
FLAG_WORDS = {"overdue": "Overdue", "repeat-finding": "Repeat finding"}


def test_choosing_a_status_and_a_flag_filters_the_rows(watched, built_site):
    actions = _actions(built_site)
    total = len(actions)
    page = watched.open("dashboards/actions.html")
    assert _count_text(page) == f"Showing {total} of {total} actions"
    status, flags = _filter(page, "Status"), _filter(page, "Flags")
    # Each list offers "Any" and the values the table holds, in words.
    assert status.locator("option").all_inner_texts() == ["Any", *sorted({STATUS_WORDS[a["status"]] for a in actions.values()})]
    assert {"Overdue", "Repeat finding", "Needs escalation"} <= set(flags.locator("option").all_inner_texts())

    for state, flag in [("in-progress", "overdue"), ("in-progress", "repeat-finding"), ("closed", "overdue")]:
        status.select_option(label=STATUS_WORDS[state])
        flags.select_option(label=FLAG_WORDS[flag])
        expected = sorted((i for i, a in actions.items() if a["status"] == state and flag in a["flags"]), key=_id_key)
        assert _shown(page) == expected, (state, flag)
        assert _count_text(page) == f"Showing {len(expected)} of {total} actions"
        hidden = page.locator("article table tbody tr[hidden]").count()
        assert hidden == total - len(expected)
    assert _shown(page) == []  # nothing closed is overdue: an empty table, and it says so
    assert _count_text(page) == f"Showing 0 of {total} actions"

    # Back to any status: every overdue action, whatever its status.
    status.select_option(label="Any")
    flags.select_option(label="Overdue")
    overdue = sorted((i for i, a in actions.items() if "overdue" in a["flags"]), key=_id_key)
    assert _shown(page) == overdue and len(overdue) >= 2
    assert _count_text(page) == f"Showing {len(overdue)} of {total} actions"
    # Sorting keeps the filter: still only the overdue actions, now latest deadline first.
    _sort_by(page, "Deadline")
    _sort_by(page, "Deadline")
    assert _shown(page) == sorted(overdue, key=lambda i: actions[i]["due"], reverse=True)
    flags.select_option(label="Any")
    assert len(_shown(page)) == total
    assert _count_text(page) == f"Showing {total} of {total} actions"
    watched.assert_clean()
