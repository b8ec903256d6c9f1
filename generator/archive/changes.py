"""What changed since the previous snapshot: ``changes.json`` and the "Changes since last month" page,
compared on a summary of each record read back from the previous month's ``portfolio.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..format.values import KIND_TITLES
from ..judge.model import KIND_ORDER, Portfolio, natural_key
from ..site.plan import PlannedPage
from .manifest import Month


CHANGES_PAGE = "changes.md"


# -- what changed since the previous month -----------------------------------------------------
@dataclass(frozen=True)
class RecordSummary:
    """What ``changes.json`` compares of a record; for an action its derived status, due and flags."""

    id: str
    kind: str
    title: str
    status: str | None = None
    due: str | None = None
    flags: tuple[str, ...] = ()
    #: The assurance checks that hold for an action (an extension, issue 18), each once.
    checks: tuple[str, ...] = ()


def summarise_portfolio(portfolio: Portfolio) -> dict[str, RecordSummary]:
    summary: dict[str, RecordSummary] = {}
    for kind in KIND_ORDER:
        for record in portfolio.by_kind[kind]:
            if kind == "action":
                state = portfolio.states[record.key]
                checks = tuple(dict.fromkeys(c.check for c in portfolio.checks(record)))  # type: ignore[arg-type]
                summary[record.key] = RecordSummary(record.id, kind, record.title, state.status, state.due.isoformat(), tuple(state.flags), checks)
            else:
                summary[record.key] = RecordSummary(record.id, kind, record.title)
    return summary


def summarise_json(document: Any) -> dict[str, RecordSummary]:
    """The same summary, read back from a snapshot's ``portfolio.json``."""
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        raise ValueError("has no 'records' list")
    summary: dict[str, RecordSummary] = {}
    for entry in document["records"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError("has a record without an 'id'")
        flags = entry.get("flags") or []
        checks = [c.get("check") for c in entry.get("assurance") or [] if isinstance(c, dict)]
        summary[entry["id"].lower()] = RecordSummary(
            entry["id"], str(entry.get("kind", "")), str(entry.get("title", "")),
            entry.get("status"), entry.get("due"), tuple(str(f) for f in flags),
            tuple(dict.fromkeys(str(c) for c in checks if c)),
        )
    return summary


def _record_order(item: RecordSummary) -> tuple[object, ...]:
    kind = KIND_ORDER.index(item.kind) if item.kind in KIND_ORDER else len(KIND_ORDER)
    return (kind, natural_key(item.id))


#: The lists of an extended comparison (``cleared=True``): what stopped holding, and the
#: assurance checks (issue 18). The "Since last month" page shows them; ``changes.json`` keeps
#: the format's lists only.
CLEARED_LISTS = ("flags_cleared", "newly_checked", "checks_cleared")


def compute_changes(
    month: Month, since: str | None, previous: dict[str, RecordSummary] | None, current: dict[str, RecordSummary],
    *, cleared: bool = False,
) -> dict[str, Any]:
    """``changes.json``: what differs from the previous snapshot (everything empty for the first).

    ``cleared``: also the flags an action no longer carries (``flags_cleared``), the assurance
    checks it newly holds (``newly_checked``) and those it no longer holds (``checks_cleared``),
    each a list of ``{id, flags}`` / ``{id, checks}``.
    """
    changes: dict[str, Any] = {
        "month": month.key, "as_of": month.last_day.isoformat(), "since": since,
        "added": [], "removed": [], "status_changed": [], "due_changed": [], "newly_flagged": [],
    }
    if cleared:
        changes.update({name: [] for name in CLEARED_LISTS})
    if previous is None:
        return changes
    added = sorted((current[k] for k in current.keys() - previous.keys()), key=_record_order)
    removed = sorted((previous[k] for k in previous.keys() - current.keys()), key=_record_order)
    changes["added"] = [r.id for r in added]
    changes["removed"] = [r.id for r in removed]
    actions = sorted((r for r in current.values() if r.kind == "action"), key=_record_order)
    for now in actions:
        key = now.id.lower()
        before = previous.get(key)
        if before is not None and before.kind != "action":
            before = None  # it was not an action then: nothing of an action's to compare
        if before is not None and before.status != now.status:
            changes["status_changed"].append({"id": now.id, "from": before.status, "to": now.status})
        if before is not None and before.due != now.due:
            changes["due_changed"].append({"id": now.id, "from": before.due, "to": now.due})
        had = set(before.flags) if before is not None else set()
        new = [f for f in now.flags if f not in had]
        if new:
            changes["newly_flagged"].append({"id": now.id, "flags": new})
        if cleared:
            _cleared(changes, now, before)
    return changes


def _cleared(changes: dict[str, Any], now: RecordSummary, before: RecordSummary | None) -> None:
    """The extended lists for one action now in the portfolio (``before``: as it was, if it was)."""
    if before is not None:
        gone = [f for f in before.flags if f not in now.flags]
        if gone:
            changes["flags_cleared"].append({"id": now.id, "flags": gone})
        stopped = [c for c in before.checks if c not in now.checks]
        if stopped:
            changes["checks_cleared"].append({"id": now.id, "checks": stopped})
    held = set(before.checks) if before is not None else set()
    started = [c for c in now.checks if c not in held]
    if started:
        changes["newly_checked"].append({"id": now.id, "checks": started})


def changes_page(
    portfolio: Portfolio, changes: dict[str, Any], previous: dict[str, RecordSummary] | None, since_as_of: str | None
) -> PlannedPage:
    """The snapshot site's "Changes since last month" page, from the same lists as changes.json."""
    def record(rid: str) -> Any:
        return portfolio.get(rid)

    since = Month.parse(changes["since"]) if changes["since"] else None
    context = {
        "portfolio": portfolio, "as_of": portfolio.as_of, "config": portfolio.config,
        "framework": portfolio.config.framework, "page_uri": CHANGES_PAGE,
        "month": Month.of(portfolio.as_of), "since": since, "since_as_of": since_as_of,
        "since_href": f"../{since.key}/index.html" if since else None,
        "added": [record(rid) for rid in changes["added"]],
        "removed": [previous[rid.lower()] for rid in changes["removed"]] if previous else [],
        "status_changed": [(record(c["id"]), c["from"], c["to"]) for c in changes["status_changed"]],
        "due_changed": [(record(c["id"]), c["from"], c["to"]) for c in changes["due_changed"]],
        "newly_flagged": [(record(c["id"]), c["flags"]) for c in changes["newly_flagged"]],
        "kind_titles": KIND_TITLES,
    }
    return PlannedPage(CHANGES_PAGE, "changes.html.j2", "Changes since last month", context)


def changes_summary(changes: dict[str, Any]) -> str:
    if changes["since"] is None:
        return "First snapshot in the archive: nothing to compare with."
    parts = [
        f"{len(changes['added'])} added", f"{len(changes['removed'])} removed",
        f"{len(changes['status_changed'])} status changed", f"{len(changes['due_changed'])} deadline changed",
        f"{len(changes['newly_flagged'])} newly flagged",
    ]
    return f"Changes since {changes['since']}: " + ", ".join(parts) + "."
