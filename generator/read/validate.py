"""Stage 2, validate: raw front matter -> typed records, collecting every problem.

Each file is checked on its own first (types, dates, required fields, rules 1-5: here, field by
field through :mod:`.reader`), then the whole portfolio (unique ids, references of the right kind,
rule 6: :mod:`.links`), so one run reports everything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..config.portfolio import PortfolioConfig
from ..format.dates import parse_iso_date
from ..format.fields import COMMON_FIELDS, KIND_FIELDS
from ..format.people import Person
from ..format.records import (
    Action, Cancellation, Closure, Completion, Escalation, Evidence, Extension, Measure, Meeting, Milestone, Reading, Recheck,
    Record, Service, Source, StatementAccount, Update,
)
from ..format.values import ACTION_STATUSES, APPROACHES, EVIDENCE_CATEGORIES, ID_PATTERN, OUTCOMES, RISKS, SOURCE_KINDS
from ..problems import Problem, Problems, nearest
from .links import RecordRead, Validated, link_records
from .load import RawRecord
from .reader import KNOWN_FIELDS, FieldReader, non_empty, shown, written_fields


def _account_id(statement: Any, service: Any) -> str | None:
    """The id of a provider's account written without one: ``safeguarding``, or
    ``safeguarding--oakwood`` for the account of one service."""
    if not isinstance(statement, str) or not statement.strip():
        return None
    if isinstance(service, str) and service.strip():
        return f"{statement.strip()}--{service.strip()}"
    return statement.strip()


def _common(r: FieldReader) -> dict[str, Any]:
    data = r.raw.data
    account = r.raw.kind == "statement"  # a provider's account may go by its statement's id and title
    written_id = r.text(("id",), required=not account)
    if written_id is not None and not ID_PATTERN.match(written_id):
        r.error(("id",), f"'{written_id}' is not a valid id: use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters")
        written_id = None
    elif written_id is None and account and not r.present(("id",)):
        # An account without an id goes by its statement's id, and its service's when it names
        # one (so one account per service does not need ids). A statement that is not an id is
        # reported on 'statement' alone.
        default = _account_id(r.get(("statement",)), r.get(("service",)))
        written_id = default if default and ID_PATTERN.match(default) else None
    r.key = (written_id or f"<{r.raw.path}>").lower()
    title = r.text(("title",), required=not account, one_line=True)
    known = KNOWN_FIELDS[r.raw.kind]
    for key in data:
        if key not in known:
            r.warn((key,), "unknown field", suggestion=nearest(key, COMMON_FIELDS + KIND_FIELDS[r.raw.kind]))
    statements = []
    framework = r.config.framework
    mapped: dict[str, list[tuple[str, str]]] = {}
    if account and r.present(("quality_statements",)):
        r.warn(("quality_statements",), "a provider's account names its statement in 'statement'; this field is ignored")
    for written, path in ([] if account else r.strings(("quality_statements",))):
        statement = framework.statement(written)
        if statement is None:
            found = r.config.mapped(written)
            if found is not None:
                _mapped_statement(r, path, found, mapped)
                continue
            r.error(
                path, f"'{written}' is not a quality statement of {framework.id}",
                suggestion=nearest(written, [s.id for s in framework.statements]),
            )
        else:
            statements.append(statement.id)
    direct = set(statements)
    for target_id, olds in mapped.items():
        if target_id not in direct:
            statements.append(target_id)
    return {
        "id": written_id or "",
        "title": title or "",
        "service": r.single_id(("service",), "service"),
        "quality_statements": tuple(dict.fromkeys(statements)),
        "tags": tuple(item for item, _ in r.strings(("tags",))),
        "related": r.ids(("related",), None),
        "kind": r.raw.kind,
        "path": r.raw.path,
        "abs_path": r.raw.abs_path,
        "body": r.raw.body,
        "fields": written_fields(r.raw),
        "mapped_from": {t: tuple(dict.fromkeys(olds)) for t, olds in mapped.items() if t not in direct},
    }


def _mapped_statement(r: FieldReader, path: tuple[Any, ...], found: tuple[Any, Any], mapped: dict[str, list[tuple[str, str]]]) -> None:
    """A statement of an older framework: the record is on the statements it maps to, or on none (a warning)."""
    mapping, old = found
    targets = mapping.targets_of(old)
    if not targets:
        r.warn(
            path,
            f"'{old.id}' is a statement of {mapping.from_framework.id} that {mapping.path} maps to no statement of "
            f"{r.config.framework.id}; this record is on no statement page",
        )
        return
    for target in targets:
        mapped.setdefault(target, []).append((mapping.from_framework.id, old.id))


def _statement_account(r: FieldReader) -> StatementAccount:
    """The provider's own account of a statement: which statement, a rating on the framework's scale, when reviewed."""
    common = _common(r)
    framework = r.config.framework
    named = r.text(("statement",), one_line=True)
    where: tuple[Any, ...] = ("statement",) if named is not None else ("id",)
    written = named if named is not None else common["id"] or None
    statement = framework.statement(written) if written else None
    superseded = False
    if statement is None and written:
        found = r.config.mapped(written)
        if found is not None:
            superseded = True  # its rating is on the older framework's scale: not checked
            mapping, old = found
            targets = ", ".join(mapping.targets_of(old)) or "the statements it now falls under"
            r.warn(
                where,
                f"'{old.id}' is a statement of {mapping.from_framework.id}, not of {framework.id}; this account is not "
                f"published: write one for {targets}",
            )
        elif named is not None:
            r.error(where, f"'{named}' is not a quality statement of {framework.id}", suggestion=nearest(named, [s.id for s in framework.statements]))
        else:
            r.error(
                ("statement",),
                f"is required: the id of the quality statement of {framework.id} this account is for, unless the record's id is that statement's id",
                suggestion=nearest(written, [s.id for s in framework.statements]), line=1,
            )
    elif statement is None:
        r.missing(("statement",), f"is required: the id of the quality statement of {framework.id} this account is for")
    rating = r.text(("rating",), one_line=True)
    level = None
    if rating is not None and not superseded:
        scale = framework.rating_scale
        if scale is None:
            r.error(("rating",), f"{framework.id} has no rating_scale, so an account of one of its statements cannot carry a rating")
        else:
            level = scale.level(rating)
            if level is None:
                r.error(
                    ("rating",), f"'{rating}' is not on the rating scale of {framework.id} ({scale.name}): {', '.join(lv.value for lv in scale.levels)}",
                    suggestion=nearest(rating, [lv.value for lv in scale.levels], cutoff=0.5),
                )
    if statement is not None:
        common["quality_statements"] = (statement.id,)
        if not common["title"]:
            common["title"] = f"Provider's account: {statement.title}"
    return StatementAccount(
        **common,
        statement=statement.id if statement else "",
        rating=level.value if level else None,
        reviewed=r.date(("reviewed",)),
        reviewed_by=r.person(("reviewed_by",)),
    )


def _service(r: FieldReader) -> Service:
    common = _common(r)
    return Service(
        **common,
        name=r.text(("name",), one_line=True) or common["title"],
        service_kind=r.text(("kind",), one_line=True),
        registered_manager=r.person(("registered_manager",)),
        cqc_location_id=r.text(("cqc_location_id",), one_line=True),
    )


def _source(r: FieldReader) -> Source:
    common = _common(r)
    return Source(
        **common,
        source_kind=r.choice(("kind",), SOURCE_KINDS, required=True, default="other") or "other",
        date=r.date(("date",), required=True) or date.min,
        identified_by=r.person(("identified_by",)),
        repeat_of=r.ids(("repeat_of",), "source"),
    )


def _evidence(r: FieldReader, content_dir: Path) -> Evidence:
    common = _common(r)
    sensitive = r.get(("sensitive",))
    if r.present(("sensitive",)) and sensitive is not None and not isinstance(sensitive, bool):
        r.error(("sensitive",), f"must be true or false, not {shown(sensitive)}")
    file_written = r.text(("file",), one_line=True)
    file_path = _attachment(r, file_written, content_dir) if file_written else None
    return Evidence(
        **common,
        date=r.date(("date",), required=True) or date.min,
        category=r.choice(("category",), EVIDENCE_CATEGORIES, required=True, default="processes") or "processes",
        evidence_kind=r.text(("kind",), one_line=True),
        collected_by=r.person(("collected_by",)),
        file=file_written,
        file_path=file_path,
        sensitive=sensitive is True,
    )


def _attachment(r: FieldReader, written: str, content_dir: Path) -> Path | None:
    """An attachment must exist and stay inside ``content/`` (no ``..`` or links out)."""
    if Path(written).is_absolute() or written.startswith(("/", "\\")):
        r.error(("file",), f"'{written}' must be a path relative to this record, not an absolute path")
        return None
    target = (r.raw.abs_path.parent / written).resolve()
    root = content_dir.resolve()
    if not target.is_relative_to(root):
        r.error(("file",), f"'{written}' points outside content/; attachments must stay inside content/")
        return None
    if not target.is_file():
        try:
            near = nearest(Path(written).name, [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else [])
        except OSError:  # a folder that cannot be read: no suggestion
            near = None
        r.error(("file",), f"attachment '{written}' does not exist", suggestion=near)
        return None
    if not os.access(target, os.R_OK):
        r.error(("file",), f"attachment '{written}' cannot be read (no permission)")
        return None
    return target


def _meeting(r: FieldReader) -> Meeting:
    common = _common(r)
    return Meeting(
        **common,
        date=r.date(("date",), required=True) or date.min,
        forum=r.text(("forum",), required=True, one_line=True) or "",
        chair=r.person(("chair",)),
        attendees=r.people(("attendees",)),
    )


def _action(r: FieldReader) -> Action:
    common = _common(r)
    if not non_empty(r.get(("quality_statements",))):
        if r.present(("quality_statements",)):
            r.error(("quality_statements",), "an action must name at least one quality statement")
        else:
            r.missing(("quality_statements",), "is required: an action must name at least one quality statement")
    owner = r.person(("owner",), required=True)
    raised = r.date(("raised",), required=True)
    due = r.date(("due",), required=True)
    status = r.choice(("status",), ACTION_STATUSES, required=True)
    action = Action(
        **common,
        sources=r.ids(("source",), "source", required=True),
        owner=owner or Person(None, None, False),
        assigned_by=r.person(("assigned_by",)),
        raised=raised or date.min,
        agreed_in=r.single_id(("agreed_in",), "meeting"),
        due=due or date.min,
        risk=r.choice(("risk",), RISKS, required=True, default="medium") or "medium",
        status=status or "open",
        intended_change=r.text(("intended_change",)),
        approach=_approaches(r),
        evidence_required=r.text(("evidence_required",)),
        review_date=r.date(("review_date",)),
        milestones=r.items(("milestones",), lambda p: _milestone(r, p)),
        updates=r.items(("updates",), lambda p: _update(r, p)),
        extensions=r.items(("extensions",), lambda p: _extension(r, p)),
        escalations=r.items(("escalations",), lambda p: _escalation(r, p)),
        completion=_completion(r),
        closure=_closure(r),
        follow_up=r.ids(("follow_up",), "action"),
        cancellation=_cancellation(r),
        measures=r.items(("measures",), lambda p: _measure(r, p)),
    )
    if status is not None:
        _status_rules(r, action)
    if raised is not None:
        _date_order(r, action)
    if due is not None:
        _extension_chain(r, action)
    return action


def _milestone(r: FieldReader, p: tuple[Any, ...]) -> Milestone | None:
    title = r.text((*p, "title"), required=True, one_line=True)
    return Milestone(
        title=title or "",
        due=r.date((*p, "due")),
        done=r.date((*p, "done")),
        evidence=r.ids((*p, "evidence"), "evidence"),
    )


def _update(r: FieldReader, p: tuple[Any, ...]) -> Update | None:
    when = r.date((*p, "date"), required=True)
    note = r.text((*p, "note")) or ""
    by = r.person((*p, "by"))
    return Update(when, by, note) if when else None


def _extension(r: FieldReader, p: tuple[Any, ...]) -> Extension | None:
    when = r.date((*p, "date"), required=True)
    from_ = r.date((*p, "from"), required=True)
    to = r.date((*p, "to"), required=True)
    reason = r.text((*p, "reason"))
    if not reason:
        if r.present((*p, "reason")):
            r.error((*p, "reason"), "an extension must give its reason")
        else:
            r.missing((*p, "reason"), "is required: every extension must give its reason")
    approved_by = r.person((*p, "approved_by"))
    if when and from_ and to:
        return Extension(when, from_, to, reason or "", approved_by)
    return None


def _escalation(r: FieldReader, p: tuple[Any, ...]) -> Escalation | None:
    when = r.date((*p, "date"), required=True)
    to = r.person((*p, "to"))
    reason = r.text((*p, "reason")) or ""
    return Escalation(when, to, reason) if when else None


def _completion(r: FieldReader) -> Completion | None:
    if r.mapping(("completion",)) is None:
        return None
    when = r.date(("completion", "date"), required=True)
    checked_by = r.person(("completion", "checked_by"))
    note = r.text(("completion", "note")) or ""
    return Completion(when, checked_by, note) if when else None


def _closure(r: FieldReader) -> Closure | None:
    if r.mapping(("closure",)) is None:
        return None
    when = r.date(("closure", "date"), required=True)
    approved_by = r.person(("closure", "approved_by"))
    evidence = r.ids(("closure", "evidence"), "evidence")
    outcome = r.choice(("closure", "outcome"), OUTCOMES)
    minutes = r.single_id(("closure", "minutes"), "meeting")
    note = r.text(("closure", "note")) or ""
    learning = r.text(("closure", "learning")) or ""
    recheck = _recheck(r, when)
    return Closure(when, approved_by, evidence, outcome, minutes, note, learning=learning, recheck=recheck) if when else None


def _approaches(r: FieldReader) -> tuple[str, ...]:
    """``approach``: one value or a list, each from APPROACHES (a misspelt one is an error with the
    nearest suggested), each kept once in the order written."""
    found = (r.choice(path, APPROACHES) for _, path in r.strings(("approach",)))
    return tuple(dict.fromkeys(value for value in found if value))


def _recheck(r: FieldReader, closed: date | None) -> Recheck | None:
    """``closure.recheck`` (an extension): a re-test planned, and done, after the closure."""
    path = ("closure", "recheck")
    if r.mapping(path) is None:
        return None
    due = r.date((*path, "due"), required=True)
    method = r.text((*path, "method")) or ""
    done = r.date((*path, "done"))
    evidence = r.ids((*path, "evidence"), "evidence")
    for name, when, what in (("due", due, "is due"), ("done", done, "was done")):
        if closed is not None and when is not None and when < closed:
            r.error((*path, name), f"the recheck {what} {when.isoformat()}, before the action was closed ({closed.isoformat()}); a recheck follows the closure")
    return Recheck(due, method, done, evidence) if due else None


def _cancellation(r: FieldReader) -> Cancellation | None:
    if r.mapping(("cancellation",)) is None:
        return None
    when = r.date(("cancellation", "date"), required=True)
    approved_by = r.person(("cancellation", "approved_by"))
    reason = r.text(("cancellation", "reason")) or ""
    return Cancellation(when, approved_by, reason) if when else None


def _measure(r: FieldReader, p: tuple[Any, ...]) -> Measure | None:
    name = r.text((*p, "name"), required=True, one_line=True)
    unit = r.text((*p, "unit"), one_line=True) or ""
    baseline = None
    if r.mapping((*p, "baseline")) is not None:
        baseline = _reading(r, (*p, "baseline"))
    target = r.number((*p, "target"))
    readings = r.items((*p, "readings"), lambda q: _reading(r, q))
    return Measure(name or "", unit, baseline, target, readings) if name else None


def _reading(r: FieldReader, p: tuple[Any, ...]) -> Reading | None:
    when = r.date((*p, "date"), required=True)
    value = r.number((*p, "value"), required=True)
    return Reading(when, value) if when and value is not None else None


# -- action rules (spec 2.1) -----------------------------------------------------------------

def _status_rules(r: FieldReader, action: Action) -> None:
    """Rules 1-3: what each status needs, checked on what was read without errors."""
    status = action.status
    if status in ("closed", "completed") and not r.present(("completion",)):
        r.missing(("completion",), f"is required: an action with status '{status}' needs completion (date, checked_by, note)")
    if status == "closed":
        if not r.present(("closure",)):
            r.missing(("closure",), "is required: a closed action needs closure (date, approved_by, evidence, outcome)")
        elif isinstance(r.get(("closure",)), dict):
            if not non_empty(r.get(("closure", "evidence"))):
                if r.present(("closure", "evidence")):
                    r.error(("closure", "evidence"), "a closed action must name at least one evidence record")
                else:
                    r.missing(("closure", "evidence"), "is required: a closed action must name at least one evidence record")
            outcome = r.get(("closure", "outcome"))
            if (not r.present(("closure", "outcome")) or outcome is None) and not action.follow_up:
                r.missing(("closure", "outcome"), f"is required: one of {', '.join(OUTCOMES)} (any but effective needs follow_up)")
            elif outcome is not None and outcome != "effective" and outcome in OUTCOMES and not action.follow_up:
                r.error(("closure", "outcome"), f"outcome '{outcome}' needs follow_up naming at least one action raised because this one was not fully effective")
    if status == "cancelled":
        if not r.present(("cancellation",)):
            r.missing(("cancellation",), "is required: a cancelled action needs cancellation (date, approved_by, reason)")
        elif isinstance(r.get(("cancellation",)), dict) and not (action.cancellation and action.cancellation.reason):
            if r.present(("cancellation", "reason")):
                r.error(("cancellation", "reason"), "a cancellation must give its reason")
            else:
                r.missing(("cancellation", "reason"), "is required: a cancellation must give its reason")
    if status not in ("closed",) and action.closure is not None and status != "cancelled":
        r.warn(("closure",), f"closure is recorded but status is '{status}'; from the closure date the action counts as closed")


def _date_order(r: FieldReader, action: Action) -> None:
    """Rule 4: nothing happens to an action before it was raised; completion before closure."""
    raised = action.raised

    def check(path: tuple[Any, ...], when: date | None, what: str) -> None:
        if when is not None and when < raised:
            r.error(path, f"{what} ({when.isoformat()}) is before the action was raised ({raised.isoformat()})")

    data = r.raw.data
    for name, key in (("updates", "date"), ("extensions", "date"), ("escalations", "date"), ("milestones", "done")):
        entries = data.get(name)
        if isinstance(entries, list):
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    try:
                        when = parse_iso_date(entry[key])
                    except ValueError:  # said where the entry's date was read
                        continue
                    what = {"done": "the milestone was done"}.get(key, f"this {name[:-1]}'s date")
                    check((name, index, key), when, what)
    if action.completion:
        check(("completion", "date"), action.completion.date, "completion")
    if action.closure:
        check(("closure", "date"), action.closure.date, "closure")
    if action.cancellation:
        check(("cancellation", "date"), action.cancellation.date, "cancellation")
    if action.completion and action.closure and action.completion.date > action.closure.date:
        r.error(
            ("completion", "date"),
            f"completion ({action.completion.date.isoformat()}) is after closure ({action.closure.date.isoformat()}); completion is checked before an action is closed",
        )


def _extension_chain(r: FieldReader, action: Action) -> None:
    """Rule 5: each extension starts where the last one ended, and the last ends at ``due``."""
    entries = r.get(("extensions",))
    if not isinstance(entries, list) or len(action.extensions) != len(entries):
        return  # an entry with errors has been reported already
    previous: Extension | None = None
    for index, extension in enumerate(action.extensions):
        if previous is not None and extension.from_ != previous.to:
            r.error(
                ("extensions", index, "from"),
                f"this extension moves the deadline from {extension.from_.isoformat()}, but the previous one moved it to {previous.to.isoformat()}",
            )
        previous = extension
    if previous is not None and previous.to != action.due:
        r.error(
            ("extensions", len(entries) - 1, "to"),
            f"the last extension moves the deadline to {previous.to.isoformat()}, but due is {action.due.isoformat()}; they must agree",
        )


def read_record(raw: RawRecord, config: PortfolioConfig, roles: frozenset[str], content_dir: Path, problems: Problems) -> RecordRead:
    """Checks of one file that need no other file: types, dates, required fields, rules 1-5.

    ``roles`` is ``config.all_roles``, worked out once for every file.
    """
    reader = FieldReader(raw, config, problems, roles)
    if raw.kind == "action":
        record: Record = _action(reader)
    elif raw.kind == "source":
        record = _source(reader)
    elif raw.kind == "evidence":
        record = _evidence(reader, content_dir)
    elif raw.kind == "meeting":
        record = _meeting(reader)
    elif raw.kind == "statement":
        record = _statement_account(reader)
    else:
        record = _service(reader)
    return RecordRead(record, reader.links, raw.lines.line("id"))


#: What the check of an evidence record saw of its attachment on disk (see :func:`attachment_stamp`).
AttachmentStamp = tuple[object, ...]


@dataclass
class RecordCache:
    """``portfolio serve``: what :func:`read_record` made of each file the ReadCache kept (the
    same RawRecord object), under the same settings, so only edited files are checked again.
    Evidence looks at its attachment on disk: it is checked again unless the attachment is as
    it was (:func:`attachment_stamp`)."""

    config: PortfolioConfig | None = None
    reads: dict[int, tuple[RawRecord, RecordRead, list[Problem], AttachmentStamp | None]] = field(default_factory=dict)


def attachment_stamp(raw: RawRecord) -> AttachmentStamp | None:
    """What the check of ``raw`` reads from disk, taken before it is checked: nothing for a
    record that names no attachment (an empty tuple); for evidence naming one, where it
    leads and its file's identity, change and permission times and size (a chmod changes the
    change time); None, checked every time, when the attachment is missing or refused."""
    if raw.kind != "evidence":
        return ()
    value = raw.data.get("file")
    if value is None or isinstance(value, (dict, list)):
        return ()  # no attachment, or one the check refuses without looking at the disk
    if not isinstance(value, str):
        return None  # a number or a date written as a file name: rare, checked every time
    written = value.strip()
    if "\n" in written:
        written = " ".join(written.split())  # as FieldReader.text reads it
    if not written:
        return ()
    if Path(written).is_absolute() or written.startswith(("/", "\\")):
        return None
    try:
        target = os.path.realpath(raw.abs_path.parent / written)
        stat = os.stat(target)
    except (OSError, ValueError):
        return None
    return (target, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_mode)


def validate(raw_records: list[RawRecord], config: PortfolioConfig, project_dir: Path, problems: Problems,
             cache: RecordCache | None = None) -> Validated:
    """Stage entry point: typed records by key and the links between them, with every problem."""
    content_dir, roles = project_dir / "content", config.all_roles
    if cache is None:
        return link_records([read_record(raw, config, roles, content_dir, problems) for raw in raw_records], problems)
    if cache.config != config:
        cache.config, cache.reads = config, {}
    reads, kept = [], {}
    for raw in raw_records:
        known = cache.reads.get(id(raw))
        stamp = attachment_stamp(raw)
        if known is None or known[0] is not raw or stamp is None or known[3] != stamp:
            found = Problems()
            known = (raw, read_record(raw, config, roles, content_dir, found), found.items, stamp)
        problems.extend(known[2])
        reads.append(known[1])
        kept[id(raw)] = known
    cache.reads = kept
    return link_records(reads, problems)
