"""The values chosen from fixed lists, and the kinds of record with their folders and titles.

One definition of each (spec section 2): the validator, the JSON Schemas, ``portfolio new``, the
dashboards, the importer and the pages all import them from here, so a status or a category
added here is added everywhere. The fields of each kind are in :mod:`generator.format.table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: An id of a record, framework, key question or statement: letters, digits, dots, dashes and
#: underscores, starting with a letter or digit, at most 64 characters (spec section 2).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

ACTION_STATUSES = ("open", "in-progress", "completed", "closed", "cancelled")
RISKS = ("low", "medium", "high", "critical")
#: The risks the board sees and every high-risk rule judges (escalation, reviews, closure checks).
HIGH_RISKS = ("high", "critical")
OUTCOMES = ("effective", "partly-effective", "not-effective")
SOURCE_KINDS = (
    "audit", "incident", "complaint", "feedback-theme", "safeguarding", "oversight-review",
    "inspection", "risk", "training-need", "care-plan-review", "other",
)
EVIDENCE_CATEGORIES = (
    "peoples-experience", "staff-feedback", "partner-feedback", "observation", "processes", "outcomes",
)
#: How an action sets out to change practice (an extension, issue 18): one or more per action, so
#: the learning page can say which approaches worked ("training alone: not effective").
APPROACHES = (
    "training", "policy", "supervision", "observation", "staffing", "environment", "equipment",
    "care-planning", "communication", "audit", "other",
)
APPROACH_TITLES = {approach: approach.replace("-", " ").capitalize() for approach in APPROACHES}
CATEGORY_TITLES = {
    "peoples-experience": "People's experience",
    "staff-feedback": "Feedback from staff and leaders",
    "partner-feedback": "Feedback from partners",
    "observation": "Observation",
    "processes": "Processes",
    "outcomes": "Outcomes",
}


@dataclass(frozen=True)
class Kind:
    """A kind of record: the folder under ``content/`` that decides it, and what it is called.

    ``title`` heads one record ("Action"), ``plural`` a list of them ("Actions"), ``noun`` is the
    word a message uses ("not an evidence record"), ``item_title`` the title of one record's
    JSON Schema ("Evidence item").
    """

    name: str
    folder: str
    title: str
    plural: str
    noun: str
    item_title: str


KIND_TABLE: tuple[Kind, ...] = (
    Kind("action", "actions", "Action", "Actions", "action", "Action"),
    Kind("source", "sources", "Source", "Sources", "source", "Source"),
    Kind("evidence", "evidence", "Evidence", "Evidence", "evidence record", "Evidence item"),
    Kind("meeting", "meetings", "Meeting", "Meetings", "meeting", "Meeting"),
    Kind("service", "services", "Service", "Services", "service", "Service"),
    # an extension: the provider's own account of a statement
    Kind("statement", "statements", "Provider's account", "Provider's accounts", "provider's account", "Provider's account"),
)
KINDS_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KIND_TABLE}

#: What one record of each kind is called as a heading ("Action", "Provider's account").
KIND_TITLES: dict[str, str] = {kind.name: kind.title for kind in KIND_TABLE}
#: What a list of them is called ("Actions", "Evidence").
KIND_PLURALS: dict[str, str] = {kind.name: kind.plural for kind in KIND_TABLE}
#: What a message calls one ("evidence record").
KIND_NAMES: dict[str, str] = {kind.name: kind.noun for kind in KIND_TABLE}
#: Folder under ``content/`` -> kind.
FOLDER_KINDS: dict[str, str] = {kind.folder: kind.name for kind in KIND_TABLE}
