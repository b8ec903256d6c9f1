"""The fields of each kind of record and of its nested entries, and what each kind is called in a
message: the lists validation, the JSON Schemas and the share filter all read.
"""

from __future__ import annotations


COMMON_FIELDS = ("id", "title", "service", "quality_statements", "tags", "related")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "action": (
        "source", "owner", "assigned_by", "raised", "agreed_in", "due", "risk", "status", "intended_change",
        "evidence_required", "review_date", "milestones", "updates", "extensions", "escalations", "completion",
        "closure", "follow_up", "cancellation", "measures",
    ),
    "source": ("kind", "date", "identified_by", "repeat_of"),
    "evidence": ("date", "category", "kind", "collected_by", "file", "sensitive"),
    "meeting": ("date", "forum", "chair", "attendees"),
    "service": ("name", "kind", "registered_manager", "cqc_location_id"),
    "statement": ("statement", "rating", "reviewed", "reviewed_by"),
}
SUBFIELDS: dict[str, tuple[str, ...]] = {
    "milestones": ("title", "due", "done", "evidence"),
    "updates": ("date", "by", "note"),
    "extensions": ("date", "from", "to", "reason", "approved_by"),
    "escalations": ("date", "to", "reason"),
    "completion": ("date", "checked_by", "note"),
    "closure": ("date", "approved_by", "evidence", "outcome", "minutes", "note"),
    "cancellation": ("date", "approved_by", "reason"),
    "measures": ("name", "unit", "baseline", "target", "readings"),
}


KIND_NAMES = {
    "action": "action", "source": "source", "evidence": "evidence record", "meeting": "meeting", "service": "service",
    "statement": "provider's account",
}
