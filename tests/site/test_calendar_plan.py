"""Unit tests for generator.site.calendar_plan: the assurance calendar's months and cells."""

from __future__ import annotations

from datetime import date

from generator.config.schedule import ScheduledItem
from generator.judge.periods import HELD, LATE, MISSED, NOT_YET_DUE, ItemRow, Outcome, period_of
from generator.site.calendar_plan import NOT_SCHEDULED, WITHIN, calendar_rows, months_up_to

D = date.fromisoformat


class _Record:
    def __init__(self, rid: str, day: str):
        self.id, self.dated = rid, D(day)


def _row(every: str, outcomes: list[tuple[str, str, list[_Record]]]) -> ItemRow:
    item = ScheduledItem("meeting", "Forum", every, 7, forum="Forum")
    return ItemRow(0, item, None, tuple(Outcome(period_of(D(day), every), status, tuple(records)) for day, status, records in outcomes))  # type: ignore[arg-type]


def test_months_up_to_the_as_of_month():
    assert months_up_to(D("2026-11-22")) == [f"2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    assert months_up_to(D("2026-02-01"), 3) == ["2025-12", "2026-01", "2026-02"]


def test_a_monthly_item_has_a_cell_per_month_and_nothing_before_its_start():
    mtg = _Record("MTG-1", "2026-02-03")
    row = _row("month", [("2026-01-01", LATE, [mtg]), ("2026-02-01", HELD, [mtg]), ("2026-03-01", MISSED, []), ("2026-04-01", NOT_YET_DUE, [])])
    (calendar,) = calendar_rows([row], ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"])
    assert [(c.status, c.text, [r.id for r in c.records]) for c in calendar.cells] == [
        (NOT_SCHEDULED, "not scheduled", []), (LATE, "late", ["MTG-1"]), (HELD, "held", ["MTG-1"]),
        (MISSED, "missed", []), (NOT_YET_DUE, "not yet due", []),
    ]


def test_a_quarter_shows_in_its_last_month_and_its_records_where_they_fall():
    audit = _Record("AUD-1", "2026-02-10")
    row = _row("quarter", [("2026-01-01", HELD, [audit]), ("2026-04-01", MISSED, [])])
    (calendar,) = calendar_rows([row], ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])
    assert [(c.status, c.text) for c in calendar.cells] == [
        (WITHIN, "due 2026-Q1"), (HELD, "held"), (HELD, "held"),
        (WITHIN, "due 2026-Q2"), (WITHIN, "due 2026-Q2"), (MISSED, "missed"),
    ]


def test_weeks_are_summed_up_in_the_month_of_their_thursday():
    # Weeks from 26 January (Thursday 29 January: January) to 23 February.
    row = _row("week", [
        ("2026-01-26", HELD, [_Record("M-1", "2026-01-27")]), ("2026-02-02", MISSED, []), ("2026-02-09", HELD, [_Record("M-2", "2026-02-10")]),
        ("2026-02-16", MISSED, []), ("2026-02-23", NOT_YET_DUE, []),
    ])
    january, february = calendar_rows([row], ["2026-01", "2026-02"])[0].cells
    assert (january.status, january.text) == (HELD, "held")
    assert (february.status, february.text, [r.id for r in february.records]) == (MISSED, "missed 2 of 3 weeks", ["M-2"])


def test_the_home_page_carries_what_was_missed_so_serve_renders_it_again(project):
    """The home page's list of missed meetings is in its context: when a meeting moves, the
    page's inputs change, and ``portfolio serve`` renders it again (generator/mkdocs/pagedeps.py)."""
    from generator.judge.model import build_portfolio
    from generator.mkdocs.pagedeps import page_inputs
    from generator.pipeline import check
    from generator.site.plan import plan_pages

    project.file("site_config/schedule.yml", "from: 2026-01-01\nmeetings:\n  - forum: Governance\n    every: month\n")

    def home(meeting_day: str):
        project.record("meetings", "mtg-1", f"id: MTG-1\ntitle: Governance\ndate: {meeting_day}\nforum: Governance\n")
        checked = check(project.root)
        portfolio = build_portfolio(checked.validation, checked.config, D("2026-04-20"))
        page = next(p for p in plan_pages(portfolio, {}) if p.uri == "index.md")
        return page

    february = home("2026-02-10")
    assert [c.reason for c in february.context["schedule_missed"]] == ["Governance: no meeting in 2026-01, 2026-03"]
    january = home("2026-01-10")
    assert [c.reason for c in january.context["schedule_missed"]] == ["Governance: no meeting in 2026-02, 2026-03"]
    assert page_inputs(february)[0] != page_inputs(january)[0]
