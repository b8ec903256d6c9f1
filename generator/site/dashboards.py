"""Assurance dashboards: the assessed portfolio summarised, so grip shows at a glance.

Every figure here is computed from the same ActionState that portfolio.json publishes, so a
count on a dashboard and a count over portfolio.json for the same as-of date always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from ..format.people import Person
from ..format.records import Action, Evidence, Source, StatementAccount
from ..format.values import ACTION_STATUSES, EVIDENCE_CATEGORIES, HIGH_RISKS, RISKS
from ..judge.assess import FLAGS, LIVE_STATUSES, flag_reasons
from ..judge.model import Portfolio, natural_key
from .words import slug


def owner_label(person: Person) -> str:
    """How an owner is grouped and shown: by name where named, else by what was written."""
    return person.display if (person.name or person.role) else "Not named"


@dataclass
class Row:
    """An action with why it is on a list."""

    action: Action
    why: str = ""


@dataclass
class Counts:
    """Live, overdue, escalate and closed counts for a slice of the portfolio."""

    live: int = 0
    overdue: int = 0
    escalate: int = 0
    completed: int = 0
    closed: int = 0
    total: int = 0


@dataclass
class OwnerLoad:
    name: str
    anchor: str
    actions: list[Action] = field(default_factory=list)
    live: int = 0
    overdue: int = 0


@dataclass
class CoverageRow:
    statement_id: str
    title: str
    key_question: str
    counts: dict[str, int]
    newest: dict[str, date | None]
    newest_overall: date | None
    open_high_risk: int
    actions: int
    gaps: list[str]


@dataclass
class RepeatChain:
    """Sources linked by repeat_of, earliest first, with the actions each raised."""

    sources: list[Source]
    actions: dict[str, list[Action]]


def counts_for(portfolio: Portfolio, actions: list[Action]) -> Counts:
    counts = Counts(total=len(actions))
    for action in actions:
        state = portfolio.state(action)
        counts.live += state.status in LIVE_STATUSES
        counts.overdue += "overdue" in state.flags
        counts.escalate += "escalate" in state.flags
        counts.completed += state.status == "completed"
        counts.closed += state.status == "closed"
    return counts


def by_status(portfolio: Portfolio) -> dict[str, list[Action]]:
    lists: dict[str, list[Action]] = {status: [] for status in ACTION_STATUSES}
    for action in portfolio.actions:
        lists[portfolio.state(action).status].append(action)
    return lists


def by_risk(portfolio: Portfolio) -> dict[str, list[Action]]:
    lists: dict[str, list[Action]] = {risk: [] for risk in RISKS}
    for action in portfolio.actions:
        lists[action.risk].append(action)
    return lists


def by_flag(portfolio: Portfolio) -> dict[str, list[Row]]:
    """Actions carrying each flag, each with the reason it holds, most urgent deadline first."""
    lists: dict[str, list[Row]] = {flag: [] for flag in FLAGS}
    thresholds = portfolio.config.thresholds
    for action in portfolio.actions:
        state = portfolio.state(action)
        reasons = flag_reasons(action, state, portfolio.as_of, thresholds)
        for flag in state.flags:
            lists[flag].append(Row(action, reasons[flag]))
    for rows in lists.values():
        rows.sort(key=lambda row: (portfolio.state(row.action).due, natural_key(row.action.id)))
    return lists


def escalation_register(portfolio: Portfolio) -> list[Row]:
    """Everything flagged escalate, oldest deadline first, with days overdue."""
    return by_flag(portfolio)["escalate"]


def board_view(portfolio: Portfolio) -> dict[str, list[Action]]:
    """High and critical risk actions: still live first, then completed, closed and cancelled."""
    high = [a for a in portfolio.actions if a.risk in HIGH_RISKS]
    order = {status: i for i, status in enumerate(("open", "in-progress", "completed", "closed", "cancelled"))}
    high.sort(key=lambda a: (order[portfolio.state(a).status], 0 if a.risk == "critical" else 1, portfolio.state(a).due))
    return {
        "live": [a for a in high if portfolio.state(a).status in LIVE_STATUSES],
        "done": [a for a in high if portfolio.state(a).status not in LIVE_STATUSES],
    }


def owner_workload(portfolio: Portfolio) -> list[OwnerLoad]:
    """Who owns what, busiest first by overdue then live actions."""
    loads: dict[str, OwnerLoad] = {}
    for action in portfolio.actions:
        name = owner_label(action.owner)
        load = loads.setdefault(name, OwnerLoad(name, owner_anchor(action.owner)))
        load.actions.append(action)
        state = portfolio.state(action)
        load.live += state.status in LIVE_STATUSES
        load.overdue += "overdue" in state.flags
    return sorted(loads.values(), key=lambda o: (-o.overdue, -o.live, o.name.lower()))


def owner_anchor(person: Person) -> str:
    """Owner pages keep the addresses they have always had: an apostrophe parts words (o-brien)."""
    return "owner-" + slug(owner_label(person).replace("'", "-").replace("’", "-"), fallback="not-named")


def per_key_question(portfolio: Portfolio) -> list[tuple[object, Counts, int]]:
    """(key question, action counts, evidence count) for each key question."""
    rows: list[tuple[object, Counts, int]] = []
    for question in portfolio.config.framework.key_questions:
        seen: dict[str, Action] = {}
        evidence: set[str] = set()
        for statement in question.statements:
            for record in portfolio.by_statement.get(statement.id, ()):
                if isinstance(record, Action):
                    seen.setdefault(record.key, record)
                elif isinstance(record, Evidence):
                    evidence.add(record.key)
        rows.append((question, counts_for(portfolio, list(seen.values())), len(evidence)))
    return rows


def per_service(portfolio: Portfolio) -> list[tuple[object, Counts]]:
    rows: list[tuple[object, Counts]] = []
    for service in portfolio.by_kind["service"]:
        actions = [a for a in portfolio.actions if a.service and a.service.lower() == service.key]
        rows.append((service, counts_for(portfolio, actions)))
    unassigned = [a for a in portfolio.actions if not a.service or portfolio.get(a.service) is None]
    if unassigned and portfolio.by_kind["service"]:
        rows.append((None, counts_for(portfolio, unassigned)))
    return rows


def twelve_months_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def coverage(portfolio: Portfolio) -> list[CoverageRow]:
    """The framework's statements against the six evidence categories, with the gaps named."""
    since = twelve_months_before(portfolio.as_of)
    rows = []
    for statement in portfolio.config.framework.statements:
        records = portfolio.by_statement.get(statement.id, [])
        evidence = [r for r in records if isinstance(r, Evidence)]
        actions = [r for r in records if isinstance(r, Action)]
        counts = {c: 0 for c in EVIDENCE_CATEGORIES}
        newest: dict[str, date | None] = {c: None for c in EVIDENCE_CATEGORIES}
        for item in evidence:
            counts[item.category] += 1
            if newest[item.category] is None or item.date > newest[item.category]:  # type: ignore[operator]
                newest[item.category] = item.date
        newest_overall = max((e.date for e in evidence), default=None)
        open_high = sum(1 for a in actions if a.risk in HIGH_RISKS and portfolio.state(a).status in LIVE_STATUSES)
        gaps = []
        if not evidence and not actions:
            gaps.append("no actions or evidence at all")
        elif newest_overall is None or newest_overall < since:
            gaps.append("no evidence in the last 12 months")
        if open_high:
            gaps.append(f"{open_high} open high-risk action{'s' if open_high != 1 else ''}")
        rows.append(CoverageRow(statement.id, statement.title, statement.key_question_title, counts, newest, newest_overall, open_high, len(actions), gaps))
    return rows


@dataclass
class AssessmentRow:
    """A provider's rating of a statement beside what the portfolio holds for it."""

    account: StatementAccount
    statement: object
    level: object | None  # the RatingLevel, or None when not rated
    claims_good: bool
    coverage: CoverageRow
    concerns: list[str]
    unsupported: bool  # rated good or better, with concerns

    @property
    def summary(self) -> str:
        """``rated Good, but 2 open high-risk actions and no evidence in 12 months``."""
        if self.level is None:
            return "not rated" + (f"; {' and '.join(self.concerns)}" if self.concerns else "")
        rated = f"rated {self.level.label}"  # type: ignore[attr-defined]
        if not self.concerns:
            return rated
        return f"{rated}{', but ' if self.claims_good else '; '}{' and '.join(self.concerns)}"


def self_assessment(portfolio: Portfolio) -> dict[str, list]:
    """Every provider's account with its rating, the open high-risk actions and the evidence gaps
    behind it (from :func:`coverage`); a rating of good or better with either stands out.

    ``rows``: one per account, in framework order; ``unsupported``: those rows rated good or better
    that the portfolio does not bear out; ``missing``: statements with no account.
    """
    scale = portfolio.config.framework.rating_scale
    since = twelve_months_before(portfolio.as_of)
    cover = {row.statement_id: row for row in coverage(portfolio)}
    rows: list[AssessmentRow] = []
    missing = []
    for statement in portfolio.config.framework.statements:
        accounts = sorted(portfolio.accounts(statement), key=lambda a: ((a.service or "").lower(), natural_key(a.id)))
        if not accounts:
            missing.append(statement)
        for account in accounts:
            row = cover[statement.id] if not account.service else _service_coverage(portfolio, cover[statement.id], account.service)
            concerns = []
            if row.open_high_risk:
                concerns.append(f"{row.open_high_risk} open high-risk action{'s' if row.open_high_risk != 1 else ''}")
            if row.newest_overall is None or row.newest_overall < since:
                concerns.append("no evidence in 12 months")
            level = scale.level(account.rating) if scale is not None and account.rating else None
            good = bool(level is not None and scale is not None and scale.claims_good(level.value))
            rows.append(AssessmentRow(account, statement, level, good, row, concerns, good and bool(concerns)))
    return {"rows": rows, "unsupported": [r for r in rows if r.unsupported], "missing": missing}


def _service_coverage(portfolio: Portfolio, row: CoverageRow, service: str) -> CoverageRow:
    """A statement's figures for one service's account: that service's open high-risk actions,
    and the newest evidence of that service or of no service in particular (provider-wide)."""
    wanted = service.lower()
    records = portfolio.by_statement.get(row.statement_id, [])
    evidence = [r for r in records if isinstance(r, Evidence) and (r.service or "").lower() in (wanted, "")]
    open_high = sum(
        1 for r in records
        if isinstance(r, Action) and (r.service or "").lower() == wanted and r.risk in HIGH_RISKS
        and portfolio.state(r).status in LIVE_STATUSES
    )
    return replace(row, open_high_risk=open_high, newest_overall=max((e.date for e in evidence), default=None))


def repeat_chains(portfolio: Portfolio) -> list[RepeatChain]:
    """Each group of sources joined by repeat_of, as a chain from the first finding to the latest."""
    sources = [s for s in portfolio.by_kind["source"] if isinstance(s, Source)]
    neighbours: dict[str, set[str]] = {s.key: set() for s in sources}
    for source in sources:
        for earlier in source.repeat_of:
            if earlier.lower() in neighbours:
                neighbours[source.key].add(earlier.lower())
                neighbours[earlier.lower()].add(source.key)
    chains, seen = [], set()
    for source in sources:
        if source.key in seen or not neighbours[source.key]:
            continue
        group, stack = [], [source.key]
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            group.append(portfolio.records[key])
            stack.extend(neighbours[key])
        group.sort(key=lambda s: (s.date, natural_key(s.id)))  # type: ignore[attr-defined]
        actions = {s.key: portfolio.linked_from(s, "source", kind="action") for s in group}
        chains.append(RepeatChain(group, actions))  # type: ignore[arg-type]
    chains.sort(key=lambda c: (c.sources[0].date, natural_key(c.sources[0].id)))
    return chains


@dataclass
class Event:
    """One step in an action's cycle, for the timeline on its page."""

    when: date | None
    stage: str
    text: str
    person: Person | None = None
    records: Sequence[object] = field(default_factory=list)
    pending: bool = False  # a date still to come (a milestone or review not yet reached)
    subject: Person | None = None  # to whom (the owner an action was assigned to)


def timeline(portfolio: Portfolio, action: Action) -> list[Event]:
    """Identified -> agreed -> assigned -> milestones -> completion checked -> outcome reviewed."""
    state = portfolio.state(action)
    as_of = portfolio.as_of
    events: list[Event] = []
    for source_id in action.sources:
        source = portfolio.get(source_id)
        if isinstance(source, Source):
            events.append(Event(source.date, "Identified", f"{source.source_kind.replace('-', ' ').capitalize()}: {source.title}", source.identified_by, [source]))
    meeting = portfolio.get(action.agreed_in)
    chair = getattr(meeting, "chair", None)
    events.append(Event(action.raised, "Agreed", f"at {meeting.title}" if meeting else "action agreed", chair, [meeting] if meeting else []))
    events.append(Event(action.raised, "Assigned", f"deadline {action.original_due.isoformat()}", action.assigned_by, subject=action.owner))
    for milestone, done in zip(action.milestones, state.milestones_done):
        evidence = [e for e in (portfolio.get(i) for i in milestone.evidence) if e is not None]
        if done:
            events.append(Event(done, "Milestone done", milestone.title, None, evidence))
        elif milestone.due:
            late = milestone.due < as_of and state.status not in ("closed", "cancelled")
            events.append(Event(milestone.due, "Milestone overdue" if late else "Milestone due", milestone.title, None, evidence, pending=not late))
    for extension in state.extensions:
        events.append(Event(extension.date, "Deadline extended", f"from {extension.from_.isoformat()} to {extension.to.isoformat()}", extension.approved_by))
    for escalation in state.escalations:
        events.append(Event(escalation.date, "Escalated", escalation.reason, None, subject=escalation.to))
    if state.completion:
        events.append(Event(state.completion.date, "Completion checked", state.completion.note or "completion checked in practice", state.completion.checked_by))
    if state.closure:
        evidence = [e for e in (portfolio.get(i) for i in state.closure.evidence) if e is not None]
        minutes = portfolio.get(state.closure.minutes)
        outcome = (state.closure.outcome or "not recorded").replace("-", " ")
        events.append(Event(state.closure.date, "Outcome reviewed", f"closed, outcome: {outcome}", state.closure.approved_by, evidence + ([minutes] if minutes else [])))
    if state.cancellation:
        events.append(Event(state.cancellation.date, "Cancelled", state.cancellation.reason, state.cancellation.approved_by))
    if action.review_date and state.status == "completed":
        events.append(Event(action.review_date, "Effectiveness review", "review whether the change has embedded", pending=action.review_date >= as_of))
    order = {stage: i for i, stage in enumerate(("Identified", "Agreed", "Assigned"))}
    events.sort(key=lambda e: (e.when or date.max, order.get(e.stage, 9)))
    return events
