"""Stage 5, plan: which pages the site has, where they live, and what each one shows.

The plan is engine-neutral (uri, template, context, whether it is in the navigation), so the
same page set can be handed to MkDocs today and to its successors later.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..format.records import Action, Evidence, Record, StatementAccount
from ..format.values import CATEGORY_TITLES, EVIDENCE_CATEGORIES, KIND_PLURALS
from ..judge.assess import FLAG_TITLES, LIVE_STATUSES, STATUS_TITLES
from ..judge.model import PAGE_KINDS, Portfolio
from ..judge.schedule import missed_checks
from ..judge.recurrence import recurred_actions
from ..judge.trends import trends_of
from ..read.load import FOLDER_OF_KIND
from . import dashboards
from .words import file_size

#: What a record's date is, for a kind index split by month ("Actions raised in March 2026").
KIND_DATED = {"action": "raised in", "source": "identified in", "evidence": "collected in", "meeting": "held in", "service": "dated"}

#: A list page with more rows than this is split (architecture: "Performance rules"): by month,
#: each month's rows on a page of their own, in the list's order, under a page listing the months;
#: owner workload gets a page per owner. Shorter lists stay one page, as they always were.
SPLIT_ROWS = 300


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
        return file_size(self.size)


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
    #: True: users' raw HTML is cleaned whatever portfolio.yml's ``raw_html`` says. A share and a
    #: snapshot are handed to others, so they never run or load what a record's text holds.
    clean_html: bool = False
    #: ``"material"``: Material's search whatever portfolio.yml's ``search`` says. A share and a
    #: snapshot open from disk, where our Pagefind worker cannot load (generator/mkdocs/pagefind.py).
    search: str | None = None


def record_uri(record: Record) -> str:
    """``actions/act-001.md``; an id of ``index`` must not take the kind's index page.

    A provider's account has no page of its own: it is published on its statement's page.
    """
    if isinstance(record, StatementAccount):
        return statement_uri(record.statement)
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
    shared = {
        "portfolio": portfolio, "as_of": portfolio.as_of, "config": portfolio.config, "framework": framework,
        "has_accounts": bool(portfolio.by_kind["statement"]),
    }
    if len(portfolio.actions) > SPLIT_ROWS:  # owner workload is then a page per owner
        shared["owner_uri"] = owner_page_uri
    # Computed once: the home page and the dashboards show the same lists.
    lists = {
        "by_status": dashboards.by_status(portfolio),
        "by_risk": dashboards.by_risk(portfolio),
        "by_flag": dashboards.by_flag(portfolio),
    }
    home = {
        **lists,
        "row_limit": SPLIT_ROWS,
        "per_key_question": dashboards.per_key_question(portfolio),
        "per_service": dashboards.per_service(portfolio),
        "live_keys": {a.key for a in portfolio.actions if portfolio.state(a).status in LIVE_STATUSES},
        "kind_uris": {kind: kind_index_uri(kind) for kind in PAGE_KINDS},
        "schedule_missed": missed_checks(portfolio),  # an extension: site_config/schedule.yml
        "trends": trends_of(portfolio),  # an extension (issue 18): site/trends_plan.py
        **home_glance(portfolio, lists["by_flag"]),
    }
    pages = [PlannedPage("index.md", "home.html.j2", "Home", {**shared, **home})]
    for question in framework.key_questions:
        views = {s.id: statement_view(portfolio, s) for s in question.statements}
        rows = [
            {
                "statement": s, "uri": statement_uri(s.id),
                "open": len(views[s.id]["open_actions"]), "closed": len(views[s.id]["closed_actions"]),
                "sources": len(views[s.id]["sources"]),
                "evidence": sum(len(items) for items in views[s.id]["evidence_by_category"].values()),
                "accounts": views[s.id]["accounts"],
            }
            for s in question.statements
        ]
        pages.append(PlannedPage(key_question_uri(question.id), "key_question.html.j2", question.title, {**shared, "question": question, "rows": rows}))
        for statement in question.statements:
            view = views[statement.id]
            uri = statement_uri(statement.id)
            sections = [
                ("open-actions", "actions not yet closed", "action", view["open_actions"]),
                ("closed-actions", "closed and cancelled actions", "action", view["closed_actions"]),
                ("sources", "sources", "source", view["sources"]),
                *((f"evidence-{c}", f"{CATEGORY_TITLES[c].lower()} evidence", "evidence", items) for c, items in view["evidence_by_category"].items()),
            ]
            splits, split_pages = split_sections(shared, uri, statement.title, sections)
            pages.append(PlannedPage(uri, "statement.html.j2", statement.title, {**shared, "statement": statement, **view, "splits": splits}))
            pages += split_pages
    pages += dashboard_pages(portfolio, shared, lists)
    pages += assurance_pages(portfolio, shared)
    for kind in PAGE_KINDS:
        index = PlannedPage(kind_index_uri(kind), "kind_index.html.j2", KIND_PLURALS[kind], {**shared, "kind": kind, "records": portfolio.by_kind[kind]})
        pages += split_by_month(
            index, ("records",), lambda r: r.dated, KIND_PLURALS[kind], f"{KIND_PLURALS[kind]} {KIND_DATED[kind]} {{month}}",
            KIND_DATED[kind].capitalize(), "records",
        )
    for kind in PAGE_KINDS:
        for record in portfolio.by_kind[kind]:
            context = {**shared, "record": record}
            parts: list[PlannedPage] = []
            if isinstance(record, Evidence):
                context["attachment"] = attachments.get(record.key)
            elif isinstance(record, Action):  # its chain of follow-ups (site/learning_plan.py)
                context.update(action_learning(portfolio, record))
            elif kind == "service":  # a service of a large group lists thousands of records
                kinds = (("actions", "action"), ("sources", "source"), ("evidence", "evidence"), ("meetings", "meeting"))
                lists = {folder: portfolio.linked_from(record, "service", kind=other) for folder, other in kinds}
                sections = [(folder, folder, other, lists[folder]) for folder, other in kinds]
                context["lists"] = lists  # the page shows these, or their months (splits)
                context["splits"], parts = split_sections(shared, record_uri(record), getattr(record, "name", "") or record.title, sections)
            pages.append(PlannedPage(record_uri(record), f"{kind}.html.j2", f"{record.id}: {record.title}", context, in_nav=False))
            pages += parts
    for page in pages:
        page.context["page_uri"] = page.uri
    return pages


def assurance_pages(portfolio: Portfolio, shared: dict[str, Any]) -> list[PlannedPage]:
    from .assurance_plan import assurance_pages as planned  # it imports this module

    return planned(portfolio, shared)


def action_learning(portfolio: Portfolio, action: Action) -> dict[str, Any]:
    from .learning_plan import action_learning as chain  # it imports this module

    return chain(portfolio, action)
def home_glance(portfolio: Portfolio, by_flag: Any) -> dict[str, Any]:
    from .glance import home_glance as glance  # it imports assurance_plan, which imports this module

    return glance(portfolio, by_flag)


CATEGORY_SHORT = {
    "peoples-experience": "People", "staff-feedback": "Staff", "partner-feedback": "Partners",
    "observation": "Observed", "processes": "Processes", "outcomes": "Outcomes",
}

#: The dashboards, in the order the navigation lists them.
DASHBOARDS = {
    "actions": "dashboards/actions.md",
    "escalation": "dashboards/escalation.md",
    # An extension (issue 18): what changed since the end of last month (site/since_plan.py).
    "since": "dashboards/since-last-month.md",
    "board": "dashboards/board.md",
    "flags": "dashboards/flags/index.md",
    # An extension (issue 18): the assurance checks (site/assurance_plan.py).
    "assurance": "dashboards/assurance.md",
    "calendar": "dashboards/calendar.md",  # only with site_config/schedule.yml (site/calendar_plan.py)
    "trends": "dashboards/trends.md",  # an extension (issue 18): site/trends_plan.py
    "measures": "dashboards/measures.md",
    "owners": "dashboards/owners.md",
    "coverage": "dashboards/coverage.md",
    "repeats": "dashboards/repeat-findings.md",
    "learning": "dashboards/learning.md",  # an extension (issue 18): site/learning_plan.py
    "self-assessment": "dashboards/self-assessment.md",  # only when there are providers' accounts
}


def flag_uri(flag: str) -> str:
    return f"dashboards/flags/{flag}.md"


def status_uri(status: str) -> str:
    return f"dashboards/status/{status}.md"


def risk_uri(risk: str) -> str:
    return f"dashboards/risk/{risk}.md"


@lru_cache(maxsize=4096)  # every table of actions links each owner: the same few hundred people
def owner_uri(person: Any) -> str:
    return f"{DASHBOARDS['owners']}#{dashboards.owner_anchor(person)}"


@lru_cache(maxsize=4096)
def owner_page_uri(person: Any) -> str:
    """An owner's own page, once owner workload is too long for one page (see owner_pages)."""
    return owner_anchor_uri(dashboards.owner_anchor(person))


def owner_anchor_uri(anchor: str) -> str:
    return f"dashboards/owners/{anchor.removeprefix('owner-')}.md"


def dashboard_pages(portfolio: Portfolio, shared: dict[str, Any], lists: dict[str, Any] | None = None) -> list[PlannedPage]:
    """The assurance dashboards (issue: grip at a glance), all from the assessed portfolio."""
    if lists is None:
        lists = {"by_status": dashboards.by_status(portfolio), "by_risk": dashboards.by_risk(portfolio), "by_flag": dashboards.by_flag(portfolio)}
    flags = lists["by_flag"]
    raised: Callable[[Any], date] = lambda action: action.raised
    deadline: Callable[[Any], date] = lambda row: portfolio.state(row.action).due
    pages = split_by_month(
        PlannedPage(DASHBOARDS["escalation"], "escalation.html.j2", "Escalation register", {**shared, "rows": flags["escalate"]}),
        ("rows",), deadline, "Escalation register", "Escalation register: deadline in {month}", "Deadline in", "actions",
    )
    pages += split_by_month(
        PlannedPage(DASHBOARDS["board"], "board.html.j2", "Board view: high and critical risk", {**shared, **dashboards.board_view(portfolio), "trends": trends_of(portfolio), "came_back": recurred_actions(portfolio)}),
        ("live", "done"), raised, "Board view: high and critical risk", "Board view: high and critical risk, raised in {month}", "Raised in", "actions",
    )
    pages.append(PlannedPage(DASHBOARDS["flags"], "flags_index.html.j2", "Early warnings", {**shared, "by_flag": flags}))
    pages += owner_pages(PlannedPage(DASHBOARDS["owners"], "owners.html.j2", "Owner workload", {**shared, "owners": dashboards.owner_workload(portfolio)}))
    pages += [
        PlannedPage(DASHBOARDS["coverage"], "coverage.html.j2", "Statement coverage", {**shared, "rows": dashboards.coverage(portfolio), "categories": EVIDENCE_CATEGORIES, "short": CATEGORY_SHORT}),
        PlannedPage(DASHBOARDS["repeats"], "repeats.html.j2", "Repeat findings", {**shared, "chains": dashboards.repeat_chains(portfolio)}),
    ]
    pages += split_by_month(
        PlannedPage(DASHBOARDS["actions"], "actions_table.html.j2", "All actions", {**shared, "actions": portfolio.actions}),
        ("actions",), raised, "All actions", "All actions raised in {month}", "Raised in", "actions",
    )
    if portfolio.by_kind["statement"]:
        pages.append(PlannedPage(DASHBOARDS["self-assessment"], "self_assessment.html.j2", "Self-assessment", {**shared, **dashboards.self_assessment(portfolio)}))
    for flag, rows in flags.items():
        pages += split_by_month(
            PlannedPage(flag_uri(flag), "flag.html.j2", FLAG_TITLES[flag], {**shared, "flag": flag, "rows": rows}, in_nav=False),
            ("rows",), deadline, FLAG_TITLES[flag], f"{FLAG_TITLES[flag]}: deadline in {{month}}", "Deadline in", "actions",
        )
    for status, actions in lists["by_status"].items():
        heading = f"{STATUS_TITLES[status]} actions"
        pages += split_by_month(
            PlannedPage(status_uri(status), "action_list.html.j2", STATUS_TITLES[status], {**shared, "heading": heading, "actions": actions}, in_nav=False),
            ("actions",), raised, heading, f"{heading} raised in {{month}}", "Raised in", "actions",
        )
    for risk, actions in lists["by_risk"].items():
        heading = f"{risk.capitalize()} risk actions"
        pages += split_by_month(
            PlannedPage(risk_uri(risk), "action_list.html.j2", f"{risk.capitalize()} risk", {**shared, "heading": heading, "actions": actions}, in_nav=False),
            ("actions",), raised, heading, f"{heading} raised in {{month}}", "Raised in", "actions",
        )
    return pages


@dataclass(frozen=True)
class Part:
    """One page of a list split across pages: its own title, and the page that lists them all."""

    heading: str  # "Overdue: deadline in March 2026"
    parent: str  # uri of the page listing the months (or the owners)
    parent_title: str


def month_key(day: date | None) -> str:
    """The month a row is listed under: ``2026-03``, or ``undated``."""
    return day.isoformat()[:7] if day else "undated"


def month_label(month: str) -> str:
    """``2026-03`` -> ``March 2026``.

    ``calendar.month_name`` is in English here, as in the archive's month titles: it follows
    LC_TIME, which Python leaves at "C" and which neither this tool nor its libraries change.
    """
    if month == "undated":
        return "No date"
    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def split_by_month(
    page: PlannedPage, keys: tuple[str, ...], when: Callable[[Any], date | None], heading: str, title: str,
    column: str, noun: str,
) -> list[PlannedPage]:
    """``[page]`` when its lists (``page.context[key]`` for each of ``keys``) hold SPLIT_ROWS rows
    or fewer in all. Otherwise the page becomes a list of months (``months.html.j2``) and each month
    gets a page of its own: the same template, with that month's rows in the same order and a
    ``part`` saying where the whole list is.

    ``when`` gives a row's date; ``heading`` is the whole list's title, ``title`` a month page's
    (``{month}`` is the month's name), ``column`` heads the months' column (``Raised in``) and
    ``noun`` says what a row is.
    """
    total = sum(len(page.context[key]) for key in keys)
    if total <= SPLIT_ROWS:
        return [page]
    months: dict[str, dict[str, list[Any]]] = {}
    for key in keys:
        for row in page.context[key]:
            day = when(row)
            months.setdefault(month_key(day), {k: [] for k in keys})[key].append(row)
    folder = page.uri.removesuffix(".md") if not page.uri.endswith("index.md") else page.uri.removesuffix("index.md") + "by-month"
    listed, parts = [], []
    for month in sorted(months):
        label = month_label(month)
        part = Part(title.format(month=label), page.uri, heading)
        uri = f"{folder}/{month}.md"
        context = {**page.context, **months[month], "part": part}
        if "heading" in context:  # action_list.html.j2 titles itself from its context
            context["heading"] = part.heading
        parts.append(PlannedPage(uri, page.template, part.heading, context, in_nav=False))
        listed.append({"label": label, "uri": uri, "count": sum(len(rows) for rows in months[month].values())})
    context = {k: v for k, v in page.context.items() if k not in keys}
    context.update(heading=heading, months=listed, total=total, column=column, noun=noun)
    return [PlannedPage(page.uri, "months.html.j2", page.title, context, in_nav=page.in_nav), *parts]


def split_sections(
    shared: dict[str, Any], uri: str, title: str, sections: list[tuple[str, str, str, list[Any]]],
) -> tuple[dict[str, dict[str, Any]], list[PlannedPage]]:
    """The lists of a statement or service page that are too long for it (more than SPLIT_ROWS
    rows): each gets a page per month (``kind_index.html.j2``, rows in the list's order), and the
    page shows the months with their counts instead (``splits[name]``). ``sections`` are
    (name, what a row is, kind, rows); shorter lists are left to the page, as they always were.
    """
    splits: dict[str, dict[str, Any]] = {}
    pages: list[PlannedPage] = []
    for name, noun, kind, rows in sections:
        if len(rows) <= SPLIT_ROWS:
            continue
        months: dict[str, list[Any]] = {}
        for row in rows:
            months.setdefault(month_key(row.dated), []).append(row)
        listed = []
        for month in sorted(months):
            label = month_label(month)
            part = Part(f"{title}: {noun} {KIND_DATED[kind]} {label}", uri, title)
            month_uri = f"{uri.removesuffix('.md')}/{name}/{month}.md"
            context = {**shared, "kind": kind, "records": months[month], "part": part}
            pages.append(PlannedPage(month_uri, "kind_index.html.j2", part.heading, context, in_nav=False))
            listed.append({"label": label, "uri": month_uri, "count": len(months[month])})
        splits[name] = {"months": listed, "total": len(rows), "noun": noun, "column": KIND_DATED[kind].capitalize()}
    return splits, pages


def owner_pages(page: PlannedPage) -> list[PlannedPage]:
    """Owner workload as one page while it lists SPLIT_ROWS actions or fewer (an owner's actions
    under their heading); beyond that, the page lists the owners and each has a page of their own,
    which every link to an owner then opens (``owner_page_uri``)."""
    owners = page.context["owners"]
    if sum(len(o.actions) for o in owners) <= SPLIT_ROWS:
        return [page]
    by_anchor: dict[str, list[Any]] = {}
    for owner in owners:
        by_anchor.setdefault(owner.anchor, []).append(owner)
    page.context["owner_pages"] = {anchor: owner_anchor_uri(anchor) for anchor in by_anchor}
    pages = [page]
    # An owner's page shows their own actions, not the whole list: so an edit to one action
    # renders only its owner's page again under portfolio serve (generator/mkdocs/pagedeps.py).
    shared = {key: value for key, value in page.context.items() if key != "owners"}
    for anchor, loads in by_anchor.items():
        part = Part(loads[0].name, page.uri, page.title)
        pages.append(PlannedPage(owner_anchor_uri(anchor), "owner.html.j2", loads[0].name, {**shared, "loads": loads, "part": part}, in_nav=False))
    return pages


def statement_view(portfolio: Portfolio, statement: Any) -> dict[str, Any]:
    actions = portfolio.statement_records(statement, "action")
    evidence = portfolio.statement_records(statement, "evidence")
    return {
        "open_actions": [a for a in actions if portfolio.states[a.key].status in (*LIVE_STATUSES, "completed")],
        "closed_actions": [a for a in actions if portfolio.states[a.key].status in ("closed", "cancelled")],
        "sources": portfolio.statement_records(statement, "source"),
        "evidence_by_category": {c: [e for e in evidence if isinstance(e, Evidence) and e.category == c] for c in EVIDENCE_CATEGORIES},
        "accounts": portfolio.accounts(statement),
        "mapped": mapped_labels(portfolio, statement),
    }


def mapped_labels(portfolio: Portfolio, statement: Any) -> dict[str, str]:
    """Record key -> "mapped from Learning culture (cqc-saf-2023)", for records on ``statement``
    only through a mapping from an older framework."""
    labels = {}
    for record in portfolio.by_statement.get(statement.id, ()):
        olds = record.mapped_from.get(statement.id)
        if olds:
            labels[record.key] = "mapped from " + "; ".join(portfolio.config.mapped_label(f, o) for f, o in olds)
    return labels
