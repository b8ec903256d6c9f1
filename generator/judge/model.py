"""Stage 3, model: the portfolio as it stood on the as-of date, with links both ways.

A record dated after the as-of date is not yet in the portfolio, and neither is any link to or
from it; links written inside a closure count only once the closure has happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

from ..config.frameworks import Statement
from ..config.portfolio import PortfolioConfig
from ..format.records import Action, Record, Source, StatementAccount
from ..read.links import Link, Validated
from .assess import ActionState, assess_action
from .assurance import judge_assurance
from .checks import Check

#: Kinds with a page per record and an index page (the format's five).
PAGE_KINDS = ("action", "source", "evidence", "meeting", "service")
#: Every kind, in the order lists show them; a provider's account (``statement``, an extension) is
#: published on its statement's page.
KIND_ORDER = (*PAGE_KINDS, "statement")
_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)  # every list is sorted by it, on every serve rebuild: the same ids again
def natural_key(text: str) -> tuple[object, ...]:
    """Sort ``ACT-2`` before ``ACT-10``, as people expect."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text.lower()))


@dataclass
class Portfolio:
    """Everything later stages need, for one as-of date."""

    config: PortfolioConfig
    as_of: date
    records: dict[str, Record]
    by_kind: dict[str, list[Record]]
    outlinks: dict[str, list[Link]]
    backlinks: dict[str, list[Link]]
    states: dict[str, ActionState] = field(default_factory=dict)
    by_statement: dict[str, list[Record]] = field(default_factory=dict)
    #: Set by a share (generator/share/filter.py): record key -> field -> how many withheld (sensitive)
    #: records that field named, so a page can say evidence is withheld without naming it.
    withheld: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Assurance checks that hold (judge/assurance.py, an extension): per action key, and on the
    #: portfolio as a whole. An action with none has no entry.
    assurance: dict[str, tuple[Check, ...]] = field(default_factory=dict)
    portfolio_checks: tuple[Check, ...] = ()

    def withheld_count(self, record: Record, field_name: str) -> int:
        return self.withheld.get(record.key, {}).get(field_name, 0)

    def get(self, record_id: str | None) -> Record | None:
        return self.records.get(record_id.lower()) if record_id else None

    @property
    def actions(self) -> list[Action]:
        return self.by_kind["action"]  # type: ignore[return-value]

    def state(self, action: Action) -> ActionState:
        return self.states[action.key]

    def checks(self, action: Action) -> tuple[Check, ...]:
        """The assurance checks that hold for ``action`` on the as-of date."""
        return self.assurance.get(action.key, ())

    def linked_from(self, record: Record, *fields: str, kind: str | None = None) -> list[Record]:
        """Records that name ``record`` (in the given fields / of the given kind), once each, in order."""
        seen: dict[str, Record] = {}
        for link in self.backlinks.get(record.key, ()):
            if fields and link.field.split("[")[0] not in fields and link.field not in fields:
                continue
            origin = self.records[link.from_key]
            if kind is None or origin.kind == kind:
                seen.setdefault(origin.key, origin)
        return sorted(seen.values(), key=lambda r: (KIND_ORDER.index(r.kind), natural_key(r.id)))

    def statement_records(self, statement: Statement, kind: str) -> list[Record]:
        return [r for r in self.by_statement.get(statement.id, ()) if r.kind == kind]

    def accounts(self, statement: Statement) -> list[StatementAccount]:
        """The provider's own accounts of a statement (one, or one per service)."""
        return self.statement_records(statement, "statement")  # type: ignore[return-value]


def in_portfolio(record: Record, as_of: date) -> bool:
    dated = record.dated
    return dated is None or dated <= as_of


def build_portfolio(
    validated: Validated, config: PortfolioConfig, as_of: date, previous: Portfolio | None = None,
    withheld: dict[str, dict[str, int]] | None = None,
) -> Portfolio:
    """Stage entry point: filter to the as-of date, resolve links both ways, assess every action.

    ``previous`` (``portfolio serve``: the portfolio of the last rebuild): an action judged there
    is not judged again when its judgement cannot differ. It is a function of the action's
    record, the as-of date, the thresholds and whether a source it names is a repeat finding
    (:func:`assess_action`); the same record object, date, thresholds and repeat flag give the
    same state.

    ``withheld`` (a share's counts of withheld records each record names) is known before the
    assurance checks are judged, so none holds only because evidence was withheld.
    """
    records = {key: r for key, r in validated.records.items() if in_portfolio(r, as_of)}
    by_kind: dict[str, list[Record]] = {kind: [] for kind in KIND_ORDER}
    for record in records.values():
        by_kind[record.kind].append(record)
    for kind in by_kind:
        by_kind[kind].sort(key=lambda r: natural_key(r.id))

    outlinks: dict[str, list[Link]] = {}
    backlinks: dict[str, list[Link]] = {}
    for link in validated.links:
        origin = records.get(link.from_key)
        target = records.get(link.target_key)
        if origin is None or target is None or origin.key == target.key:
            continue
        if link.field.startswith("closure.") and not _closed_by(origin, as_of):
            continue
        outlinks.setdefault(origin.key, []).append(link)
        backlinks.setdefault(target.key, []).append(link)

    portfolio = Portfolio(config, as_of, records, by_kind, outlinks, backlinks, withheld=dict(withheld or {}))
    for statement in config.framework.statements:
        portfolio.by_statement[statement.id] = []
    for kind in KIND_ORDER:
        for record in by_kind[kind]:
            for statement_id in record.quality_statements:
                portfolio.by_statement.setdefault(statement_id, []).append(record)

    reusable = previous is not None and previous.as_of == as_of and previous.config.thresholds == config.thresholds
    for action in portfolio.actions:
        assert isinstance(action, Action)
        repeat = any(
            isinstance(source := records.get(s.lower()), Source) and source.repeat_of for s in action.sources
        )
        if reusable:
            assert previous is not None
            known = previous.states.get(action.key)
            if known is not None and previous.records.get(action.key) is action and ("repeat-finding" in known.flags) == repeat:
                portfolio.states[action.key] = known
                continue
        portfolio.states[action.key] = assess_action(action, as_of, config.thresholds, repeat)
    judge_assurance(portfolio)
    return portfolio


def _closed_by(record: Record, as_of: date) -> bool:
    return isinstance(record, Action) and record.closure is not None and record.closure.date <= as_of
