"""The record format as one table: every field of every kind, with its type, required-ness,
allowed values, help text and an example (spec section 2).

Everything that names fields reads them from here: the validator's field lists
(:mod:`generator.format.fields`), the JSON Schemas (:mod:`generator.site.schema`, and through them
the guide's field reference), ``portfolio new``, the share filter's person and reference paths,
and the importer's headings. The enums and the kinds' folders and titles are in
:mod:`generator.format.values`.

A field's ``type`` is one of:

``text``, ``texts`` (one or a list), ``date`` (YYYY-MM-DD), ``person``, ``people`` (one or a list),
``id`` / ``ids`` (of a record of kind ``of``, any kind when ``of`` is None), ``statement`` /
``statements`` (ids of the configured framework's statements), ``enum`` (one of ``values``),
``enums`` (one or a list of ``values``), ``bool``, ``number``, ``list`` (of mappings of ``fields``), ``mapping`` (of ``fields``),
``reading`` / ``readings`` (a ``{date, value}`` mapping, one or a list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Literal

from .values import ACTION_STATUSES, APPROACHES, EVIDENCE_CATEGORIES, OUTCOMES, RISKS, SOURCE_KINDS

ValueType = Literal[
    "text", "texts", "date", "person", "people", "id", "ids", "statement", "statements", "enum", "bool",
    "number", "list", "mapping", "reading", "readings", "enums",
]


@dataclass(frozen=True)
class Field:
    """One field of a record's front matter, or one sub-field of a list or mapping."""

    name: str
    type: ValueType
    help: str
    example: Any
    required: bool = False
    when: str = ""  # when not always required: the rule that requires it, as the guide says it
    values: tuple[str, ...] = ()  # the allowed values of an enum
    of: str | None = None  # the kind of record an id names (None: any kind)
    label: str = ""  # what a person calls it ("Assigned by"); default: the name in words
    fields: tuple[Field, ...] = ()  # sub-fields of a list or mapping

    @property
    def words(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def _f(name: str, type: ValueType, help: str, example: Any, **more: Any) -> Field:
    return Field(name, type, help, example, **more)


#: A measure's ``baseline`` and each of its ``readings``.
READING_FIELDS: tuple[Field, ...] = (
    _f("date", "date", "Date of the reading.", "2026-01-31", required=True),
    _f("value", "number", "The value read.", 62, required=True),
)

#: Fields every kind has; ``required`` here is required of every kind (see ``Kind.also_required``).
COMMON: tuple[Field, ...] = (
    _f("id", "id", "Unique across the whole portfolio, compared ignoring case.", "ACT-001", required=True, label="Id"),
    _f("title", "text", "One line.", "Refresh medicines competency checks", required=True),
    _f("service", "id", "Id of a services/ record; required on actions and sources once the portfolio has two or more services.",
       "riverside", of="service", when="once the portfolio has two or more services (actions and sources)"),
    _f("quality_statements", "statements", "Statement ids of the configured framework.", ["safe-systems"]),
    _f("tags", "texts", "Free words.", ["medicines"]),
    _f("related", "ids", "Ids of any other records.", ["EV-003"]),
)

ACTION: tuple[Field, ...] = (
    _f("source", "ids", "Id, or list of ids, of the sources/ records this action answers.", "SRC-001", required=True, of="source"),
    _f("owner", "person", "The named person accountable for delivery.", "Jo Evans (Deputy manager)", required=True),
    _f("assigned_by", "person", "The person who assigned it.", "Sam Patel (Registered manager)"),
    _f("raised", "date", "Date the action was agreed.", "2026-02-03", required=True),
    _f("agreed_in", "id", "Id of the meetings/ record where it was agreed.", "MTG-001", of="meeting"),
    _f("due", "date", "The current deadline.", "2026-03-31", required=True),
    _f("risk", "enum", "low, medium, high or critical.", "high", required=True, values=RISKS),
    _f("status", "enum", "open, in-progress, completed, closed or cancelled.", "open", required=True, values=ACTION_STATUSES),
    _f("intended_change", "text", "The practice or system change intended.", "Every medicines round is checked by a second trained carer."),
    _f("approach", "enums", "How the action sets out to change practice: one approach or a list (an extension).",
       ["supervision", "observation"], values=APPROACHES),
    _f("evidence_required", "text", "What evidence will show that practice improved.", "Three months of MAR audits with no gaps."),
    _f("review_date", "date", "Date to test whether the change has embedded.", "2026-06-30"),
    _f("milestones", "list", "Steps with their own due dates.", None, fields=(
        _f("title", "text", "What the step is, in one line.", "Competency checks booked", required=True),
        _f("due", "date", "When the step is due.", "2026-02-20"),
        _f("done", "date", "When it was done; absent while it is not.", "2026-02-18"),
        _f("evidence", "ids", "Ids of evidence records that show it was done.", ["EV-004"], of="evidence"),
    )),
    _f("updates", "list", "Progress updates.", None, fields=(
        _f("date", "date", "Date of the update.", "2026-02-10", required=True),
        _f("by", "person", "The person who gave it.", "Jo Evans (Deputy manager)"),
        _f("note", "text", "What has happened since the last update.", "Half the team checked."),
    )),
    _f("extensions", "list", "Each moves the deadline: the first 'from' is the original deadline, the last 'to' equals due.", None, fields=(
        _f("date", "date", "Date the extension was agreed.", "2026-03-20", required=True),
        _f("from", "date", "The deadline it moves: the original due date, or the previous extension's 'to'.", "2026-03-31", required=True),
        _f("to", "date", "The new deadline.", "2026-04-30", required=True),
        _f("reason", "text", "Why the deadline moved.", "Two night staff on leave.", required=True),
        _f("approved_by", "person", "The person who agreed the new deadline.", "Sam Patel (Registered manager)"),
    )),
    _f("escalations", "list", "Escalations.", None, fields=(
        _f("date", "date", "Date it was escalated.", "2026-03-25", required=True),
        _f("to", "person", "The person it was escalated to.", "Alex Green (Provider lead)"),
        _f("reason", "text", "Why it was escalated.", "Deadline at risk."),
    )),
    _f("completion", "mapping", "Completion checked in practice; needed by completed and closed actions.", None,
       when="if status is closed or completed", fields=(
        _f("date", "date", "Date completion was checked in practice.", "2026-04-28", required=True),
        _f("checked_by", "person", "The person who checked it.", "Sam Patel (Registered manager)"),
        _f("note", "text", "What was checked.", "Observed two medicines rounds."),
    )),
    _f("closure", "mapping", "Needed by closed actions: evidence names at least one evidence record; an outcome other than effective needs follow_up.",
       None, when="if status is closed", fields=(
        _f("date", "date", "Date the action was closed.", "2026-05-12", required=True),
        _f("approved_by", "person", "The person who approved the closure.", "Sam Patel (Registered manager)"),
        _f("evidence", "ids", "Ids of the evidence records that show practice improved.", ["EV-004"], of="evidence",
           when="if status is closed"),
        _f("outcome", "enum", "Whether the change worked: effective, partly-effective or not-effective.", "effective",
           values=OUTCOMES, when="if status is closed"),
        _f("minutes", "id", "Id of the meetings/ record where the closure was agreed.", "MTG-003", of="meeting"),
        _f("note", "text", "Why it can close.", "Audits show no gaps for three months."),
        _f("learning", "text", "What was learnt, for the next action on the same problem (an extension).",
           "Training alone did not change practice on calls; observed practice did."),
        _f("recheck", "mapping", "A planned re-test that the change has held (an extension): the 'Recheck overdue' check "
           "holds once it is due and not done.", None, fields=(
            _f("due", "date", "When the re-test is due; not before the closure date.", "2026-08-31", required=True),
            _f("method", "text", "How it will be re-tested.", "Re-sample 20 care records at the summer audit."),
            _f("done", "date", "When the re-test was done; absent while it is not.", "2026-08-20"),
            _f("evidence", "ids", "Ids of evidence records the re-test produced.", ["EV-015"], of="evidence"),
        )),
    )),
    _f("follow_up", "ids", "Ids of actions raised because this one was not (fully) effective.", ["ACT-019"], of="action",
       when="if status is closed and closure.outcome is not effective"),
    _f("cancellation", "mapping", "Needed by cancelled actions, with a reason.", None, when="if status is cancelled", fields=(
        _f("date", "date", "Date the action was cancelled.", "2026-03-02", required=True),
        _f("approved_by", "person", "The person who agreed to cancel it.", "Sam Patel (Registered manager)"),
        _f("reason", "text", "Why it was cancelled.", "Replaced by ACT-021.", when="if status is cancelled"),
    )),
    _f("measures", "list", "The measurable improvement.", None, fields=(
        _f("name", "text", "What is measured.", "MAR charts with no gaps", required=True),
        _f("unit", "text", "The unit of the values.", "%"),
        _f("baseline", "reading", "The value before the change.", {"date": "2026-01-31", "value": 62}, fields=READING_FIELDS),
        _f("target", "number", "The value aimed for.", 95),
        _f("readings", "readings", "Values read since.", [{"date": "2026-04-30", "value": 97}], fields=READING_FIELDS),
    )),
)

SOURCE: tuple[Field, ...] = (
    _f("kind", "enum", "Where the finding came from.", "audit", required=True, values=SOURCE_KINDS),
    _f("date", "date", "The record's date.", "2026-01-28", required=True),
    _f("identified_by", "person", "The person who identified it.", "Jo Evans (Deputy manager)"),
    _f("repeat_of", "ids", "Ids of earlier sources with the same finding (a repeat finding).", ["SRC-002"], of="source"),
)

EVIDENCE: tuple[Field, ...] = (
    _f("date", "date", "The record's date.", "2026-04-30", required=True),
    _f("category", "enum", "One of the regulator's six evidence categories.", "processes", required=True, values=EVIDENCE_CATEGORIES),
    _f("kind", "text", "Free text: audit report, care record sample, observation, minutes, training log, survey, ...", "audit report"),
    _f("collected_by", "person", "The person who collected it.", "Jo Evans (Deputy manager)"),
    _f("file", "text", "Path of an attachment, relative to this record; must stay inside content/.", "mar-audit-april.csv"),
    _f("sensitive", "bool", "true: never published in a share profile.", False),
)

MEETING: tuple[Field, ...] = (
    _f("date", "date", "The record's date.", "2026-02-03", required=True),
    _f("forum", "text", "For example: Monthly governance meeting.", "Monthly governance meeting", required=True),
    _f("chair", "person", "The person who chaired it.", "Sam Patel (Registered manager)"),
    _f("attendees", "people", "People who attended.", ["Jo Evans (Deputy manager)"]),
)

SERVICE: tuple[Field, ...] = (
    _f("name", "text", "Defaults to the title.", "Riverside House"),
    _f("kind", "text", "Care home, home care, supported living, ...", "care home"),
    _f("registered_manager", "person", "The registered manager.", "Sam Patel (Registered manager)"),
    _f("cqc_location_id", "text", "The CQC location id.", "1-000000001"),
)

STATEMENT: tuple[Field, ...] = (
    _f("statement", "statement", "Id of the quality statement this account is for, unless the record's id is that statement's id.",
       "safeguarding"),
    _f("rating", "text", "A level of the framework's rating scale.", "good"),
    _f("reviewed", "date", "Date the account was last reviewed.", "2026-04-01"),
    _f("reviewed_by", "person", "The person who reviewed it.", "Sam Patel (Registered manager)"),
)

#: Each kind's own fields, in the order the format lists them.
KIND_FIELD_TABLE: dict[str, tuple[Field, ...]] = {
    "action": ACTION, "source": SOURCE, "evidence": EVIDENCE, "meeting": MEETING, "service": SERVICE, "statement": STATEMENT,
}
#: Common fields a kind requires beyond ``id`` and ``title``.
ALSO_REQUIRED: dict[str, tuple[str, ...]] = {"action": ("quality_statements",)}


def kind_fields(kind: str) -> tuple[Field, ...]:
    """Every field of one kind: the common ones, then its own."""
    return COMMON + KIND_FIELD_TABLE[kind]


def field(kind: str, name: str) -> Field | None:
    """One field of a kind by name (the kind's own field first: ``kind`` differs by kind)."""
    for item in KIND_FIELD_TABLE[kind] + COMMON:
        if item.name == name:
            return item
    return None


def required(kind: str) -> tuple[str, ...]:
    """The fields a record of ``kind`` must have, common ones first, then the kind's own in order."""
    return (
        tuple(f.name for f in COMMON if f.required)
        + tuple(f.name for f in KIND_FIELD_TABLE[kind] if f.required)
        + ALSO_REQUIRED.get(kind, ())
    )


def walk(fields: tuple[Field, ...], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Field]]:
    """Every field and sub-field with its front matter path ("*": any list position)."""
    for item in fields:
        here = (*path, item.name)
        yield here, item
        if item.type == "list":
            yield from walk(item.fields, (*here, "*"))
        elif item.type == "mapping":
            yield from walk(item.fields, here)


def _paths(kind: str, types: tuple[str, ...], lists: tuple[str, ...]) -> frozenset[tuple[Any, ...]]:
    found: set[tuple[Any, ...]] = set()
    for path, item in walk(kind_fields(kind)):
        if item.type in types:
            found.add(path)
            if item.type in lists:
                found.add((*path, "*"))
    return frozenset(found)


def person_paths(kind: str) -> frozenset[tuple[Any, ...]]:
    """Where a record of ``kind`` holds a person (``attendees`` and each of them)."""
    return _paths(kind, ("person", "people"), ("people",))


def reference_paths(kinds: tuple[str, ...] | None = None) -> frozenset[tuple[Any, ...]]:
    """Where the front matter names other records (by id), over the given kinds (default: all)."""
    found: frozenset[tuple[Any, ...]] = frozenset()
    for kind in kinds or tuple(KIND_FIELD_TABLE):
        found |= _paths(kind, ("id", "ids"), ("ids",))
    return found - {("id",)}
