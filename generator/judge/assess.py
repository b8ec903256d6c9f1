"""Stage 4, assess: an action as things stood on the as-of date (spec section 6).

Only the records' own dates are used: what was written later (a later extension, a closure
dated after the as-of date) does not count, so a snapshot made late says what was true then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..config.portfolio import Thresholds
from ..format.records import Action, Cancellation, Closure, Completion, Escalation, Extension, Update
from ..format.values import HIGH_RISKS

#: Flags in the order the spec lists them; pages and portfolio.json keep this order.
FLAGS: tuple[str, ...] = (
    "overdue", "due-soon", "no-named-owner", "stale", "repeated-extensions", "milestone-overdue",
    "review-overdue", "escalate", "repeat-finding", "not-effective",
)
FLAG_TITLES = {
    "overdue": "Overdue",
    "due-soon": "Due soon",
    "no-named-owner": "No named owner",
    "stale": "No recent update",
    "repeated-extensions": "Repeatedly extended",
    "milestone-overdue": "Milestone overdue",
    "review-overdue": "Effectiveness review overdue",
    "escalate": "Needs escalation",
    "repeat-finding": "Repeat finding",
    "not-effective": "Not effective",
}
STATUS_TITLES = {
    "open": "Open", "in-progress": "In progress", "completed": "Completed", "closed": "Closed", "cancelled": "Cancelled",
}
LIVE_STATUSES = ("open", "in-progress")


@dataclass(frozen=True)
class ActionState:
    """What the portfolio says of an action on the as-of date."""

    status: str
    due: date
    flags: tuple[str, ...]
    extensions: tuple[Extension, ...]
    updates: tuple[Update, ...]
    escalations: tuple[Escalation, ...]
    milestones_done: tuple[date | None, ...]  # per milestone: done on or before the as-of date
    completion: Completion | None
    closure: Closure | None
    cancellation: Cancellation | None
    last_activity: date
    days_overdue: int

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


def deadline_on(action: Action, as_of: date) -> tuple[date, tuple[Extension, ...]]:
    """The deadline in force on ``as_of`` and the extensions that made it so."""
    in_force = tuple(e for e in action.extensions if e.date <= as_of)
    if in_force:
        return in_force[-1].to, in_force
    return action.original_due, ()


def status_on(action: Action, as_of: date) -> str:
    """Spec 6: cancelled, closed, completed by their own dates; else open as written, or in progress."""
    if action.cancellation and action.cancellation.date <= as_of:
        return "cancelled"
    if action.closure and action.closure.date <= as_of:
        return "closed"
    if action.completion and action.completion.date <= as_of:
        return "completed"
    return "open" if action.status == "open" else "in-progress"


def assess_action(action: Action, as_of: date, thresholds: Thresholds, repeat_finding: bool) -> ActionState:
    """Derived status, deadline in force and flags of one action on ``as_of``."""
    status = status_on(action, as_of)
    due, extensions = deadline_on(action, as_of)
    updates = tuple(u for u in action.updates if u.date <= as_of)
    escalations = tuple(e for e in action.escalations if e.date <= as_of)
    done = tuple(m.done if m.done is not None and m.done <= as_of else None for m in action.milestones)
    last_activity = max([action.raised, *(u.date for u in updates)])
    live = status in LIVE_STATUSES
    overdue = live and due < as_of
    days_overdue = (as_of - due).days if overdue else 0

    holds = {
        "overdue": overdue,
        "due-soon": live and 0 <= (due - as_of).days <= thresholds.due_soon_days,
        "no-named-owner": not action.owner.named,
        "stale": live and (as_of - last_activity).days > thresholds.stale_update_days,
        "repeated-extensions": len(extensions) > thresholds.max_extensions,
        "milestone-overdue": status not in ("closed", "cancelled") and any(
            m.due is not None and m.due < as_of and d is None for m, d in zip(action.milestones, done)
        ),
        "review-overdue": status == "completed" and action.review_date is not None and action.review_date < as_of,
        "escalate": overdue and (days_overdue > thresholds.escalate_overdue_days or action.risk in HIGH_RISKS),
        "repeat-finding": repeat_finding,
        "not-effective": status == "closed" and action.closure is not None and action.closure.outcome != "effective",
    }
    return ActionState(
        status=status,
        due=due,
        flags=tuple(flag for flag in FLAGS if holds[flag]),
        extensions=extensions,
        updates=updates,
        escalations=escalations,
        milestones_done=done,
        completion=action.completion if action.completion and action.completion.date <= as_of else None,
        closure=action.closure if status == "closed" else None,
        cancellation=action.cancellation if status == "cancelled" else None,
        last_activity=last_activity,
        days_overdue=days_overdue,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def flag_reasons(action: Action, state: ActionState, as_of: date, thresholds: Thresholds) -> dict[str, str]:
    """Why each flag holds, in words an owner can act on (e.g. '3 extensions, last: ...')."""
    reasons: dict[str, str] = {}
    for flag in state.flags:
        if flag == "overdue":
            reasons[flag] = f"due {state.due.isoformat()}, {_plural(state.days_overdue, 'day')} overdue"
        elif flag == "due-soon":
            days = (state.due - as_of).days
            reasons[flag] = f"due {state.due.isoformat()}, " + ("today" if days == 0 else f"in {_plural(days, 'day')}")
        elif flag == "no-named-owner":
            written = action.owner.display
            reasons[flag] = f"owner is '{written}', not a named person" if action.owner.name or action.owner.role else "no owner written"
        elif flag == "stale":
            days = (as_of - state.last_activity).days
            last = "raised" if state.last_activity == action.raised and not state.updates else "last update"
            reasons[flag] = f"{last} {state.last_activity.isoformat()}, {_plural(days, 'day')} ago (threshold {thresholds.stale_update_days})"
        elif flag == "repeated-extensions":
            latest = state.extensions[-1]
            reasons[flag] = f"{_plural(len(state.extensions), 'extension')}, last: {latest.reason}" if latest.reason else f"{_plural(len(state.extensions), 'extension')}"
        elif flag == "milestone-overdue":
            late = [m for m, d in zip(action.milestones, state.milestones_done) if m.due and m.due < as_of and d is None]
            first = late[0]
            reasons[flag] = f"'{first.title}' was due {first.due.isoformat() if first.due else ''}" + (f" (+{len(late) - 1} more)" if len(late) > 1 else "")
        elif flag == "review-overdue":
            reasons[flag] = f"effectiveness review was due {action.review_date.isoformat() if action.review_date else ''}"
        elif flag == "escalate":
            why = f"{action.risk} risk" if action.risk in HIGH_RISKS else f"more than {thresholds.escalate_overdue_days} days overdue"
            recorded = f"; {_plural(len(state.escalations), 'escalation')} recorded" if state.escalations else "; no escalation recorded"
            reasons[flag] = f"{_plural(state.days_overdue, 'day')} overdue, {why}{recorded}"
        elif flag == "repeat-finding":
            reasons[flag] = "its source repeats an earlier finding"
        elif flag == "not-effective":
            outcome = (state.closure.outcome or "no outcome") if state.closure else "no outcome"
            reasons[flag] = f"closed as {outcome.replace('-', ' ')}" + (f"; follow-up: {', '.join(action.follow_up)}" if action.follow_up else "")
    return reasons
