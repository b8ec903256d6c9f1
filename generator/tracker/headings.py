"""Which tracker column is which field: the headings recognised for each, compared with case,
punctuation and anything in brackets ignored.
"""

from __future__ import annotations

from ..format import table
from .cells import normalise_heading


def _field_words(name: str) -> str:
    """A field of an action as the format table words it, in lower case ("assigned by")."""
    item = table.field("action", name)
    if item is None:
        raise KeyError(f"the importer fills '{name}', which is not a field of an action in the format table")
    return item.words.lower()

#: Fields a tracker column can fill, with the headings recognised for each (compared after
#: :func:`normalise_heading`: case, punctuation and anything in brackets ignored).
HEADINGS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "ref no", "reference", "reference no", "reference number", "action id", "action ref",
           "action no", "action number", "no", "number", "item no"),
    "title": ("action", "actions", "action required", "actions required", "action to be taken", "actions to be taken",
              "agreed action", "agreed actions", "improvement action", "action description", "action title", "task",
              "title", "what", "what needs to happen", "what will we do", "recommendation", "recommended action"),
    "finding": ("issue", "issues", "finding", "findings", "issue identified", "issues identified", "concern",
                "area for improvement", "areas for improvement", "description", "details", "problem", "gap"),
    "notes": ("notes", "note", "comments", "comment", "progress", "update", "updates", "progress update", "latest update",
              "progress notes", "commentary", "progress to date"),
    "update_date": ("last updated", "date updated", "update date", "last update", "date of update", "date last updated",
                    "updated"),
    "owner": ("owner", "action owner", "responsible", "responsible person", "person responsible", "lead", "by whom",
              "who", "assigned to", "accountable", "named lead", "responsibility", "lead person"),
    "assigned_by": ("assigned by", "agreed by", "raised by"),
    "raised": ("date raised", "raised", "raised date", "date opened", "opened", "date identified", "date added",
               "date logged", "start date", "date agreed", "date created", "created", "date"),
    "due": ("due date", "due", "deadline", "target date", "target", "by when", "target completion date",
            "target completion", "timescale", "completion target", "due by"),
    "completed": ("date closed", "closed date", "date completed", "completed date", "completion date", "date complete",
                  "actual completion date", "actual completion", "date done", "closed on", "completed on", "closure date"),
    "status": ("status", "progress status", "current status", "state", "action status"),
    "risk": ("risk", "risk level", "risk rating", "priority", "severity", "risk score", "level of risk"),
    "rag": ("rag", "rag rating", "rag status", "rating", "brag", "rag rag"),
    "source": ("source", "from", "origin", "raised from", "source of action", "action source", "identified from",
               "identified through", "audit"),
    "source_kind": ("source type", "type of source", "source kind", "type"),
    "evidence": ("evidence", "evidence of completion", "evidence provided", "evidence location", "evidence held",
                 "evidence of action"),
    "evidence_required": ("evidence required", "how will we know", "success measure", "success measures",
                          "measure of success", "success criteria"),
    "intended_change": ("intended change", "expected outcome", "intended outcome", "desired outcome", "outcome sought"),
    "review_date": ("review date", "date of review", "effectiveness review", "review due"),
    "service": ("service", "location", "home", "site", "service name", "branch", "care home", "location name"),
    "quality_statements": ("quality statement", "quality statements", "cqc quality statement", "cqc quality statements",
                           "statement", "statements", "qs", "cqc statement"),
    "tags": ("tags", "tag", "category", "theme"),
}
#: Columns a tracker has that are not fields of an action: they fill its body (``finding``,
#: ``notes``), an update, its completion, a RAG-derived status, its source's kind, its evidence.
TRACKER_COLUMNS = ("finding", "notes", "update_date", "completed", "rag", "source_kind", "evidence")
#: Every other column is a field of an action in the format table, named as the table names it.
ACTION_FIELDS = tuple(name for name in HEADINGS if name not in TRACKER_COLUMNS)
#: What a message calls a column: the field's own words from the format table, unless a tracker
#: says it otherwise.
_TRACKER_TITLES = {
    "id": "reference", "title": "action", "finding": "finding", "notes": "notes", "update_date": "date updated",
    "raised": "date raised", "due": "due date", "completed": "date closed", "rag": "RAG", "source_kind": "source type",
    "evidence": "evidence", "quality_statements": "quality statement",
}
FIELD_TITLES = {
    name: _TRACKER_TITLES.get(name) or _field_words(name) for name in HEADINGS
}
IMPORT_FIELDS = tuple(HEADINGS)
DEFAULTABLE = ("quality_statements", "service", "source", "source_kind", "risk", "status")


HEADER_SCAN_ROWS = 10


_HEADING_FIELD = {normalise_heading(h): f for f, hs in HEADINGS.items() for h in hs}
for _name in ACTION_FIELDS:  # a column headed with the field's own name is that field
    _HEADING_FIELD.setdefault(normalise_heading(_field_words(_name)), _name)
_HEADING_FIELD.update({h + "s": f for h, f in list(_HEADING_FIELD.items()) if not h.endswith("s") and h + "s" not in _HEADING_FIELD})


def heading_field(text: str, extra: dict[str, str]) -> str | None:
    key = normalise_heading(text)
    if not key:
        return None
    return extra.get(key) or _HEADING_FIELD.get(key)
