"""The "Learning and effectiveness" dashboard (an extension, issue 18; generator/judge/learning.py).

What worked: actions by what they came to (effective, partly, not effective, still open), by
approach, by service and by statement; the follow-up chains with how each started and how it
ended; the closure ``learning`` notes under each statement. An action's page shows its place in
its chain (``action_learning``: put in the page's context, so ``portfolio serve`` renders the page
again when an action further along the chain changes).

A list longer than ``plan.SPLIT_ROWS`` (the chains, or the notes) moves to pages of its own, split
by month as every long list is, and the dashboard links to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..format.records import Action
from ..format.values import APPROACH_TITLES, APPROACHES
from ..judge.learning import EFFECTIVENESS, EFFECTIVENESS_TITLES, Chain, Learning, Tally, approach_words, learning_of
from ..judge.model import Portfolio, natural_key
from .plan import DASHBOARDS, SPLIT_ROWS, PlannedPage, record_uri, split_by_month, statement_uri

CHAINS_URI = "dashboards/learning/chains.md"


def notes_uri(statement_id: str) -> str:
    return f"dashboards/learning/{statement_id.lower()}.md"


@dataclass(frozen=True, eq=False)
class Note:
    """What was learnt when an action was closed (``closure.learning``), under one statement."""

    action: Action
    closed: date
    outcome: str  # a key of EFFECTIVENESS_TITLES
    approach: str
    learning: str


def tallies(portfolio: Portfolio, learning: Learning) -> dict[str, list[Tally]]:
    """Actions by what they came to, per approach, per service and per statement; groups with no
    action left out. Cancelled actions are not counted: they were never tested."""
    approaches = {a: Tally(APPROACH_TITLES[a]) for a in APPROACHES}
    unrecorded = Tally("Approach not recorded")
    services = {s.key: Tally(getattr(s, "name", "") or s.title, record_uri(s)) for s in portfolio.by_kind["service"]}
    no_service = Tally("No service named")
    framework = portfolio.config.framework
    statements = {s.id: Tally(s.title, statement_uri(s.id)) for s in framework.statements}
    for action in portfolio.actions:
        assert isinstance(action, Action)
        key = action.key
        outcome = learning.outcomes[key]
        if outcome == "cancelled":
            continue
        chain = learning.chain_of.get(key)
        after = chain.outcome if chain else None
        for approach in action.approach or ("",):
            approaches.get(approach, unrecorded).add(outcome, after)
        services.get(action.service.lower() if action.service else "", no_service).add(outcome, after)
        for statement in action.quality_statements:
            if statement in statements:
                statements[statement].add(outcome, after)
    return {
        "approach": [t for t in (*approaches.values(), unrecorded) if t.total],
        "service": [t for t in (*services.values(), no_service) if t.total],
        "statement": [t for t in statements.values() if t.total],
    }


@dataclass(frozen=True)
class TallyTable:
    """One table of the dashboard: its heading, first column, rows, and the outcome columns shown
    ("Closed, outcome not recorded" only when some row has one)."""

    heading: str
    first: str
    rows: list[Tally]
    columns: tuple[str, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.first, *(EFFECTIVENESS_TITLES[c] for c in self.columns), "Closed effective", "After follow-ups")


def tally_tables(portfolio: Portfolio, learning: Learning) -> list[TallyTable]:
    found = tallies(portfolio, learning)
    tables = []
    for key, heading, first in (("approach", "By approach", "Approach"), ("service", "By service", "Service"),
                                ("statement", "By statement", "Quality statement")):
        rows = found[key]
        columns = tuple(c for c in EFFECTIVENESS if c != "no-outcome" or any(t.counts[c] for t in rows))
        tables.append(TallyTable(heading, first, rows, columns))
    return tables


def notes(portfolio: Portfolio, learning: Learning) -> dict[str, list[Note]]:
    """The closure learning notes in force on the as-of date, per statement (framework order),
    oldest closure first."""
    by_statement: dict[str, list[Note]] = {s.id: [] for s in portfolio.config.framework.statements}
    for action in portfolio.actions:
        assert isinstance(action, Action)
        if action.closure is None or not action.closure.learning:  # most actions: no lookup
            continue
        closure = portfolio.state(action).closure  # None until closed on the as-of date
        if closure is None:
            continue
        note = Note(action, closure.date, learning.outcomes[action.key], approach_words(action), closure.learning)
        for statement in action.quality_statements:
            if statement in by_statement:
                by_statement[statement].append(note)
    for rows in by_statement.values():
        rows.sort(key=lambda n: (n.closed, natural_key(n.action.id)))
    return {statement: rows for statement, rows in by_statement.items() if rows}


def learning_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """The dashboard, and the pages of its long lists when there are any."""
    learning = learning_of(portfolio)
    framework = portfolio.config.framework
    titles = {s.id: s.title for s in framework.statements}
    by_statement = notes(portfolio, learning)
    many_chains = len(learning.chains) > SPLIT_ROWS
    many_notes = sum(len(rows) for rows in by_statement.values()) > SPLIT_ROWS
    shared = {**shared, "effectiveness_titles": EFFECTIVENESS_TITLES}
    context = {
        **shared, "tables": tally_tables(portfolio, learning),
        "chains": learning.chains, "chains_uri": CHAINS_URI if many_chains else None,
        "notes": by_statement, "statement_titles": titles,
        "notes_uris": {s: notes_uri(s) for s in by_statement} if many_notes else None,
    }
    pages = [PlannedPage(DASHBOARDS["learning"], "learning.html.j2", "Learning and effectiveness", context)]
    first_raised = lambda chain: chain.steps[0].action.raised
    if many_chains:
        heading = "Follow-up chains"
        page = PlannedPage(CHAINS_URI, "learning_chains.html.j2", heading, {**shared, "chains": learning.chains}, in_nav=False)
        pages += split_by_month(page, ("chains",), first_raised, heading, heading + " started in {month}", "Started in", "chains")
    if many_notes:
        closed = lambda note: note.closed
        for statement, rows in by_statement.items():
            heading = f"What was learnt: {titles[statement]}"
            page = PlannedPage(notes_uri(statement), "learning_notes.html.j2", heading,
                               {**shared, "heading": heading, "rows": rows}, in_nav=False)
            pages += split_by_month(page, ("rows",), closed, heading, heading + ", closed in {month}", "Closed in", "notes")
    return pages


def action_learning(portfolio: Portfolio, action: Action) -> dict[str, Any]:
    """An action page's ``chain``: its place in a chain of follow-ups, or None."""
    titles = ", ".join(APPROACH_TITLES.get(a, a) for a in action.approach)
    return {
        "chain": learning_of(portfolio).action_chain(action), "approach_text": titles[:1] + titles[1:].lower(),
        "effectiveness_titles": EFFECTIVENESS_TITLES,
    }


__all__ = ["Chain", "Note", "TallyTable", "action_learning", "learning_pages", "notes", "tallies", "tally_tables"]
