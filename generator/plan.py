"""Stage 5, plan: which pages the site has, where they live, and what each one shows.

The plan is engine-neutral (uri, template, context, whether it is in the navigation), so the
same page set can be handed to MkDocs today and to its successors later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import dashboards
from .assess import FLAG_TITLES, LIVE_STATUSES, STATUS_TITLES
from .load import FOLDER_OF_KIND
from .model import KIND_ORDER, Portfolio
from .records import EVIDENCE_CATEGORIES, Evidence, Record

KIND_TITLES = {"action": "Actions", "source": "Sources", "evidence": "Evidence", "meeting": "Meetings", "service": "Services"}


@dataclass(frozen=True)
class Attachment:
    """An evidence attachment as published: where, how big, and its SHA-256 for integrity."""

    name: str
    uri: str
    abs_path: Path
    size: int
    sha256: str

    @property
    def size_text(self) -> str:
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.1f} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"


def attachments_of(portfolio: Portfolio) -> dict[str, Attachment]:
    """Every attachment of the evidence in the portfolio, hashed once."""
    found: dict[str, Attachment] = {}
    for record in portfolio.by_kind["evidence"]:
        if isinstance(record, Evidence) and record.file_path is not None:
            data = record.file_path.read_bytes()
            found[record.key] = Attachment(
                name=record.file_path.name,
                uri=attachment_uri(record, record.file_path.name),
                abs_path=record.file_path,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
    return found


@dataclass
class PlannedPage:
    uri: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    in_nav: bool = True


@dataclass
class SiteOptions:
    """How one publication of the portfolio differs from the inspector-ready site.

    Share profiles and monthly snapshots publish the same pages with a banner, extra pages
    (a snapshot's changes page) or extra files (``versions.json``), and names shown as roles.
    """

    banner: str | None = None
    owners: str = "names"  # "names" or "roles"
    noindex: bool = False
    extra_pages: list[PlannedPage] = field(default_factory=list)
    extra_files: dict[str, bytes] = field(default_factory=dict)
    #: (href relative to the site root, text): a link shown after the banner on every page; a
    #: snapshot links to ``../index.html``, the archive index that lists every month.
    banner_link: tuple[str, str] | None = None


def record_uri(record: Record) -> str:
    """``actions/act-001.md``; an id of ``index`` must not take the kind's index page."""
    slug = record.key if record.key != "index" else "_index"
    return f"{FOLDER_OF_KIND[record.kind]}/{slug}.md"


def statement_uri(statement_id: str) -> str:
    return f"statements/{statement_id.lower()}.md"


def key_question_uri(question_id: str) -> str:
    return f"key-questions/{question_id.lower()}.md"


def kind_index_uri(kind: str) -> str:
    return f"{FOLDER_OF_KIND[kind]}/index.md"


def attachment_uri(record: Record, filename: str) -> str:
    """An attachment is published beside its record's page."""
    slug = record.key if record.key != "index" else "_index"
    return f"{FOLDER_OF_KIND[record.kind]}/{slug}/{filename}"


def plan_pages(portfolio: Portfolio, attachments: dict[str, "Attachment"]) -> list[PlannedPage]:
    """Every page of the site, navigation pages first, then one page per record."""
    framework = portfolio.config.framework
    shared = {"portfolio": portfolio, "as_of": portfolio.as_of, "config": portfolio.config, "framework": framework}
    home = {
        "by_status": dashboards.by_status(portfolio),
        "by_risk": dashboards.by_risk(portfolio),
        "by_flag": dashboards.by_flag(portfolio),
        "per_key_question": dashboards.per_key_question(portfolio),
        "per_service": dashboards.per_service(portfolio),
        "live_keys": {a.key for a in portfolio.actions if portfolio.state(a).status in LIVE_STATUSES},
        "kind_uris": {kind: kind_index_uri(kind) for kind in KIND_ORDER},
    }
    pages = [PlannedPage("index.md", "home.md.j2", "Home", {**shared, **home})]
    for question in framework.key_questions:
        views = {s.id: statement_view(portfolio, s) for s in question.statements}
        rows = [
            {
                "statement": s, "uri": statement_uri(s.id),
                "open": len(views[s.id]["open_actions"]), "closed": len(views[s.id]["closed_actions"]),
                "sources": len(views[s.id]["sources"]),
                "evidence": sum(len(items) for items in views[s.id]["evidence_by_category"].values()),
            }
            for s in question.statements
        ]
        pages.append(PlannedPage(key_question_uri(question.id), "key_question.md.j2", question.title, {**shared, "question": question, "rows": rows}))
        for statement in question.statements:
            pages.append(PlannedPage(statement_uri(statement.id), "statement.md.j2", statement.title, {**shared, "statement": statement, **views[statement.id]}))
    pages += dashboard_pages(portfolio, shared)
    for kind in KIND_ORDER:
        pages.append(PlannedPage(kind_index_uri(kind), "kind_index.md.j2", KIND_TITLES[kind], {**shared, "kind": kind, "records": portfolio.by_kind[kind]}))
    for kind in KIND_ORDER:
        for record in portfolio.by_kind[kind]:
            context = {**shared, "record": record}
            if isinstance(record, Evidence):
                context["attachment"] = attachments.get(record.key)
            pages.append(PlannedPage(record_uri(record), f"{kind}.md.j2", f"{record.id}: {record.title}", context, in_nav=False))
    for page in pages:
        page.context["page_uri"] = page.uri
    return pages


CATEGORY_SHORT = {
    "peoples-experience": "People", "staff-feedback": "Staff", "partner-feedback": "Partners",
    "observation": "Observed", "processes": "Processes", "outcomes": "Outcomes",
}

DASHBOARDS = {
    "escalation": "dashboards/escalation.md",
    "board": "dashboards/board.md",
    "flags": "dashboards/flags/index.md",
    "owners": "dashboards/owners.md",
    "coverage": "dashboards/coverage.md",
    "repeats": "dashboards/repeat-findings.md",
    "actions": "dashboards/actions.md",
}


def flag_uri(flag: str) -> str:
    return f"dashboards/flags/{flag}.md"


def status_uri(status: str) -> str:
    return f"dashboards/status/{status}.md"


def risk_uri(risk: str) -> str:
    return f"dashboards/risk/{risk}.md"


def owner_uri(person: Any) -> str:
    return f"{DASHBOARDS['owners']}#{dashboards.owner_anchor(person)}"


def dashboard_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    """The assurance dashboards (issue: grip at a glance), all from the assessed portfolio."""
    flags = dashboards.by_flag(portfolio)
    pages = [
        PlannedPage(DASHBOARDS["escalation"], "escalation.md.j2", "Escalation register", {**shared, "rows": flags["escalate"]}),
        PlannedPage(DASHBOARDS["board"], "board.md.j2", "Board view: high and critical risk", {**shared, **dashboards.board_view(portfolio)}),
        PlannedPage(DASHBOARDS["flags"], "flags_index.md.j2", "Early warnings", {**shared, "by_flag": flags}),
        PlannedPage(DASHBOARDS["owners"], "owners.md.j2", "Owner workload", {**shared, "owners": dashboards.owner_workload(portfolio)}),
        PlannedPage(DASHBOARDS["coverage"], "coverage.md.j2", "Statement coverage", {**shared, "rows": dashboards.coverage(portfolio), "categories": EVIDENCE_CATEGORIES, "short": CATEGORY_SHORT}),
        PlannedPage(DASHBOARDS["repeats"], "repeats.md.j2", "Repeat findings", {**shared, "chains": dashboards.repeat_chains(portfolio)}),
        PlannedPage(DASHBOARDS["actions"], "actions_table.md.j2", "All actions", {**shared, "actions": portfolio.actions}),
    ]
    for flag, rows in flags.items():
        pages.append(PlannedPage(flag_uri(flag), "flag.md.j2", FLAG_TITLES[flag], {**shared, "flag": flag, "rows": rows}, in_nav=False))
    for status, actions in dashboards.by_status(portfolio).items():
        pages.append(PlannedPage(status_uri(status), "action_list.md.j2", STATUS_TITLES[status], {**shared, "heading": f"{STATUS_TITLES[status]} actions", "actions": actions}, in_nav=False))
    for risk, actions in dashboards.by_risk(portfolio).items():
        pages.append(PlannedPage(risk_uri(risk), "action_list.md.j2", f"{risk.capitalize()} risk", {**shared, "heading": f"{risk.capitalize()} risk actions", "actions": actions}, in_nav=False))
    return pages


def statement_view(portfolio: Portfolio, statement: Any) -> dict[str, Any]:
    actions = portfolio.statement_records(statement, "action")
    evidence = portfolio.statement_records(statement, "evidence")
    return {
        "open_actions": [a for a in actions if portfolio.states[a.key].status in (*LIVE_STATUSES, "completed")],
        "closed_actions": [a for a in actions if portfolio.states[a.key].status in ("closed", "cancelled")],
        "sources": portfolio.statement_records(statement, "source"),
        "evidence_by_category": {c: [e for e in evidence if e.category == c] for c in EVIDENCE_CATEGORIES},
    }
