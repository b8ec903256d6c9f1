"""Stage 4b, filter: what one share profile may publish, and nothing else.

Runs on the validated records before the model is built (load -> validate -> filter -> model ->
assess -> plan -> render), so every later stage (pages, search, ``portfolio.json``) only ever
sees what the profile may publish:

- records with ``sensitive: true`` are withheld; a record that names one keeps a count, so its
  page can say that evidence is withheld without naming it;
- records outside the profile's services, or finished before its ``since`` date, are out of the
  share (see :func:`in_scope` for the rules);
- every string that is left (titles, bodies, typed fields and the front matter kept for
  ``portfolio.json``, keys included) is rewritten by :class:`~generator.share.privacy.TextRules`:
  redaction terms, withheld ids and titles, and (``owners: roles``) staff names;
- with ``owners: roles`` every person field holds only the role; with ``updates: false`` the
  notes of progress updates are left out;
- attachments: text files are rewritten like any text (a redacted copy is published), other
  files are published only with ``attachments: all``.

Nothing here writes a file; :mod:`generator.share.publish` stages the rewritten attachments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from ..config.portfolio import PortfolioConfig
from ..config.profiles import Profile
from ..config.schedule import shared_schedule
from ..format.people import Person, parse_person
from ..format.records import Action, Evidence, Record
from ..format.table import KIND_FIELD_TABLE, person_paths, reference_paths
from ..judge.model import in_portfolio
from ..problems import Problems
from ..read.links import Validated
from ..read.load import load_record
from .normalise import views
from .privacy import TextRules, shown

#: Typed fields never rewritten: ids, paths, and values chosen from a fixed list.
_AS_IS = frozenset({
    "kind", "id", "path", "abs_path", "fields", "quality_statements", "category", "source_kind", "risk",
    "status", "outcome", "file_path", "sensitive", "statement", "rating", "mapped_from", "approach",
})
#: Typed fields that name other records: kept only when the record they name is in the share.
_REFERENCES = frozenset({"service", "related", "repeat_of", "sources", "agreed_in", "follow_up", "evidence", "minutes"})

#: Where the front matter holds a person, by kind ("*": any list position): the format table's person fields.
PERSON_PATHS: dict[str, frozenset[tuple[Any, ...]]] = {kind: person_paths(kind) for kind in KIND_FIELD_TABLE}
#: Where the front matter names other records: the format table's id fields.
REFERENCE_PATHS: frozenset[tuple[Any, ...]] = reference_paths()
UPDATE_NOTE_LEFT_OUT = "Note not included in this share."
_DROP = object()


@dataclass
class PublishedAttachment:
    """An attachment as a share publishes it: from where, under which name, with which bytes."""

    key: str  # the evidence record's key
    source: Path
    rel: str  # the original file, relative to the project
    name: str  # the file name it is published under
    data: bytes | None  # the rewritten bytes, or None to publish ``source`` unchanged
    text: str | None  # the published text, for the personal-data guard (None: not plain text)


@dataclass
class Filtered:
    """The outcome of the filter stage for one profile."""

    profile: Profile
    config: PortfolioConfig  # the provider's name rewritten
    validated: Validated  # kept records (rewritten) and the links between them
    original: dict[str, Record]  # every validated record, as written, by key
    rules: TextRules
    withheld: frozenset[str]  # keys of the sensitive records
    withheld_refs: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # kept key -> field -> withheld keys
    attachments: dict[str, PublishedAttachment] = field(default_factory=dict)
    attachments_left_out: dict[str, str] = field(default_factory=dict)  # key -> why
    strings: dict[str, list[tuple[tuple[Any, ...], str]]] = field(default_factory=dict)  # key -> published front matter strings
    problems: Problems = field(default_factory=Problems)  # errors stop the share

    def withheld_counts(self, as_of: date) -> dict[str, dict[str, int]]:
        """Per kept record and field, how many withheld records it names that exist on ``as_of``."""
        counts: dict[str, dict[str, int]] = {}
        for key, by_field in self.withheld_refs.items():
            for name, keys in by_field.items():
                n = sum(1 for k in keys if in_portfolio(self.original[k], as_of))
                if n:
                    counts.setdefault(key, {})[name] = n
        for key in self.attachments_left_out:
            counts.setdefault(key, {})["file"] = 1
        return counts

    def published_strings(self, record: Record) -> Iterator[tuple[tuple[Any, ...], str]]:
        """(front matter path, text) for every string of ``record`` the share publishes, keys too
        (a key's path ends in the key); ("body",) for the body."""
        yield from self.strings.get(record.key, ())
        yield ("body",), record.body


# -- which records are in a share ------------------------------------------------------------------

def is_sensitive(record: Record) -> bool:
    """``sensitive: true`` (the format defines it on evidence; it is honoured on any record)."""
    return bool(getattr(record, "sensitive", False)) or record.fields.get("sensitive") is True


def in_services(record: Record, services: frozenset[str] | None) -> bool:
    """A record of a chosen service, a chosen service itself, or a provider-wide record (no service)."""
    if services is None:
        return True
    if record.kind == "service":
        return record.key in services
    return record.service is None or record.service.lower() in services


def in_window(record: Record, since: date | None) -> bool:
    """On or after ``since``; an action counts while it was not yet closed or cancelled then."""
    if since is None:
        return True
    if isinstance(record, Action):
        ended = [e.date for e in (record.closure, record.cancellation) if e is not None]
        return not ended or min(ended) >= since
    dated = record.dated
    return dated is None or dated >= since


def _story(action: Action) -> list[str]:
    """What an action's page is about: its sources, meetings and the evidence that closed it."""
    named = list(action.sources)
    named += [m for m in (action.agreed_in, action.closure.minutes if action.closure else None) if m]
    named += list(action.closure.evidence) if action.closure else []
    for milestone in action.milestones:
        named += list(milestone.evidence)
    return named


def in_scope(records: dict[str, Record], profile: Profile) -> tuple[set[str], set[str]]:
    """(kept keys, withheld keys) for a profile.

    Kept: every record that is not sensitive, is in the profile's services (or provider-wide),
    and is in its window; plus, for every kept action, the records its page is about (sources,
    the meetings that agreed and closed it, closure and milestone evidence) whatever their
    date, if they too are in the services and not sensitive.
    """
    services = profile.service_keys
    withheld = {key for key, r in records.items() if is_sensitive(r)}
    eligible = {key for key, r in records.items() if key not in withheld and in_services(r, services)}
    kept = {key for key in eligible if in_window(records[key], profile.since)}
    for key in list(kept):
        record = records[key]
        if isinstance(record, Action):
            kept.update(k for k in (n.lower() for n in _story(record)) if k in eligible)
    return kept, withheld


# -- rewriting ---------------------------------------------------------------------------------------

def _people(value: Any) -> Iterator[Person]:
    if isinstance(value, Person):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _people(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _people(getattr(value, f.name))


def names_to_roles(records: dict[str, Record]) -> dict[str, str]:
    """Every named person's name in the portfolio -> their role (or 'a member of staff')."""
    roles: dict[str, dict[str, str]] = {}  # name -> role folded -> role as first written
    written: dict[str, str] = {}
    for record in records.values():
        for person in _people(record):
            if person.named and person.name and any(ch.isalpha() for ch in person.name):
                key = " ".join(person.name.casefold().split())
                written.setdefault(key, person.name)
                found = roles.setdefault(key, {})
                if person.role and person.role.strip():
                    found.setdefault(" ".join(person.role.casefold().split()), person.role.strip())
    return {
        written[key]: next(iter(found.values())) if len(found) == 1 else "a member of staff"
        for key, found in roles.items()
    }


def _matches(path: tuple[Any, ...], patterns: frozenset[tuple[Any, ...]]) -> bool:
    return tuple("*" if isinstance(p, int) else p for p in path) in patterns


class _Rewriter:
    """Rewrites one record (typed fields and front matter) for a share."""

    def __init__(self, filtered: Filtered, roles: frozenset[str] | None = None):
        self.filtered = filtered
        self.rules = filtered.rules
        self.profile = filtered.profile
        self.kept = set(filtered.validated.records)
        self.roles = roles if roles is not None else filtered.config.all_roles
        self.key = ""

    # typed records
    def record(self, record: Record) -> Record:
        self.key = record.key
        return self._walk(record, "")

    def _walk(self, value: Any, where: str) -> Any:
        if isinstance(value, str):
            return self.rules.text(value)
        if isinstance(value, Person):
            return self._person(value)
        if isinstance(value, tuple):
            return tuple(self._walk(item, f"{where}[{i + 1}]") for i, item in enumerate(value))
        if is_dataclass(value) and not isinstance(value, type):
            changes: dict[str, Any] = {}
            for f in fields(value):
                if not f.init or f.name in _AS_IS:
                    continue
                name = f.name.rstrip("_")
                inner = f"{where}.{name}" if where else name
                current = getattr(value, f.name)
                changes[f.name] = self._references(current, inner) if f.name in _REFERENCES else self._walk(current, inner)
            return replace(value, **changes)
        return value

    def _references(self, value: Any, where: str) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return value if self._keep_reference(value, where) else None
        return tuple(item for item in value if self._keep_reference(item, where))

    def _keep_reference(self, target: str, where: str) -> bool:
        key = target.lower()
        if key in self.kept:
            return True
        if key in self.filtered.withheld:
            self.filtered.withheld_refs.setdefault(self.key, {}).setdefault(where, set()).add(key)
        return False

    def _person(self, person: Person) -> Person:
        if self.profile.owners == "roles":
            # The name goes; a token stands for it so the share can still tell that the owner
            # approved their own closure (judge/closure.py), without the name in any record.
            token = "#" + hashlib.sha256(person.identity.encode("utf-8")).hexdigest()[:16] if person.identity else ""
            return Person(None, self.rules.text(person.role) if person.role else None, person.named, token)
        return Person(
            self.rules.text(person.name) if person.name else None,
            self.rules.text(person.role) if person.role else None,
            person.named,
        )

    # the front matter, as portfolio.json carries it
    def fields(self, record: Record, emit: Any = None) -> dict[str, Any]:
        self.emit = emit or (lambda path, text: None)
        self.persons = PERSON_PATHS.get(record.kind, frozenset())
        result = self._value(record.fields, ())
        return result if isinstance(result, dict) else {}

    def _value(self, value: Any, path: tuple[Any, ...]) -> Any:
        if path and self.profile.owners == "roles" and _matches(path, self.persons) and value is not None and not isinstance(value, list):
            person = parse_person(value, self.roles)
            shown = person.display_as("roles") if person is not None else "a member of staff"
            text = self.rules.text(shown)
            self.emit(path, text)
            return text
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if not self.profile.updates and len(path) == 2 and path[0] == "updates" and key == "note":
                    continue
                if key == "sensitive" and not path:
                    continue  # only ever false in a share; not worth publishing
                new = self._value(item, (*path, key))
                if new is _DROP:
                    continue
                shared_key = self.rules.text(str(key))
                self.emit((*path, key), shared_key)  # a key is published too (portfolio.json)
                out[shared_key] = new
            return out
        if isinstance(value, list):
            items = [self._value(item, (*path, i)) for i, item in enumerate(value)]
            return [item for item in items if item is not _DROP]
        if isinstance(value, str):
            if _matches(path, REFERENCE_PATHS) and value.strip().lower() in self.filtered.withheld:
                return _DROP
            text = self.rules.text(value)
            self.emit(path, text)
            return text
        if isinstance(value, int) and not isinstance(value, bool):
            self.emit(path, str(value))
        return value


def filter_for_share(validated: Validated, config: PortfolioConfig, profile: Profile) -> Filtered:
    """Stage entry point: the records ``profile`` may publish, rewritten, with the problems that stop it."""
    records = validated.records
    kept, withheld = in_scope(records, profile)
    withheld_titles = _identifying_titles(records, kept, withheld)
    names = names_to_roles(records) if profile.owners == "roles" else {}
    rules = TextRules(
        terms=config.redact_terms,
        withheld_ids=tuple(sorted(records[k].id for k in withheld)),
        withheld_titles=withheld_titles,
        names=names,
    )
    shared_config = replace(config, provider=rules.text(config.provider),
                            schedule=shared_schedule(config.schedule, records, kept, rules.text, profile.since))
    filtered = Filtered(profile, shared_config, Validated({k: records[k] for k in kept}, []), records, rules, frozenset(withheld))
    rewriter = _Rewriter(filtered, config.all_roles)

    result: dict[str, Record] = {}
    for key in sorted(kept):
        original = records[key]
        term = rules.term_in(original.id)
        if term:
            filtered.problems.add(
                original.path, _line(original, "id"), "id",
                f"'{original.id}' contains the redaction term '{term}'; ids are in page addresses and links, so rename this record before sharing it",
            )
        record = rewriter.record(original)
        strings = filtered.strings.setdefault(key, [])
        record.fields = rewriter.fields(original, emit=lambda path, text, into=strings: into.append((path, text)))
        if not profile.updates and isinstance(record, Action):
            record.updates = tuple(replace(u, note=UPDATE_NOTE_LEFT_OUT) for u in record.updates)
        result[key] = record
    filtered.validated = Validated(result, [l for l in validated.links if l.from_key in kept and l.target_key in kept])
    for key, record in result.items():
        if isinstance(record, Evidence) and record.file_path is not None:
            _attachment(filtered, records[key], record)  # type: ignore[arg-type]
            if key in filtered.attachments_left_out:
                record.fields.pop("file", None)  # portfolio.json names no file the share does not hold
    return filtered


def _identifying_titles(records: dict[str, Record], kept: set[str], withheld: set[str]) -> tuple[str, ...]:
    """Withheld records' titles of two words or more that no published record shares."""
    published = {" ".join(records[k].title.casefold().split()) for k in kept}
    titles = []
    for key in withheld:
        title = records[key].title
        if len(title.split()) >= 2 and " ".join(title.casefold().split()) not in published:
            titles.append(title)
    return tuple(sorted(titles))


def _attachment(filtered: Filtered, original: Evidence, record: Evidence) -> None:
    """Decide how an attachment is published: rewritten text, unchanged, or left out."""
    rules, profile = filtered.rules, filtered.profile
    source = original.file_path
    assert source is not None
    rel = _project_rel(original, source)
    if profile.attachments == "none":
        record.file_path = None
        filtered.attachments_left_out[record.key] = "the profile shares no attachments (attachments: none)"
        return
    try:
        data = source.read_bytes()
    except OSError as exc:
        filtered.problems.add(rel, 1, "attachment", f"cannot be read: {exc.strerror or exc}")
        return
    name = source.name
    if rules.term_in(name):
        name = "attachment" + ("" if rules.term_in(source.suffix) else source.suffix)
    text = _as_text(data)
    if text is None:
        if profile.attachments != "all":
            record.file_path = None
            filtered.attachments_left_out[record.key] = "not plain text, so it cannot be redacted or checked (attachments: text)"
            return
        found = _binary_leak(data, rules)
        if found:
            filtered.problems.add(
                rel, 1, "attachment",
                f"contains {found}; it is not plain text, so it cannot be redacted: remove it from the file, or share text attachments only (attachments: text)",
            )
        filtered.attachments[record.key] = PublishedAttachment(record.key, source, rel, name, None, None)
        return
    published = rules.text(text)
    changed = published != text or name != source.name
    filtered.attachments[record.key] = PublishedAttachment(
        record.key, source, rel, name, published.encode("utf-8") if changed else None, published,
    )


def _as_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _binary_leak(data: bytes, rules: TextRules) -> str | None:
    """A redaction term, withheld id or staff name found in a binary file's raw bytes (UTF-8 or UTF-16)."""
    for encoding in ("latin-1", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding, errors="ignore")
        except LookupError:  # pragma: no cover
            continue
        for _, what, matched in rules.leaks(text):
            return f"{what} '{matched}'"
        for view in views(text):
            for _, what, matched in rules.leaks(view.text, normalised=True):
                return f"{what} '{shown(matched)}'"
    return None


def _project_rel(record: Record, path: Path) -> str:
    """A file's path relative to the project, from its record's project-relative path."""
    if record.abs_path is not None:
        try:
            root = record.abs_path.resolve().parents[len(PurePosixPath(record.path).parts) - 1]
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, IndexError):
            pass
    return path.name


def raw_lines(record: Record) -> Any:
    """The record file's line map and body start line (read again only when a problem needs a line)."""
    if record.abs_path is None:
        return None, 1
    loaded = load_record(record.abs_path, record.path, record.kind, Problems())
    first_body_line = 1
    try:
        text = record.abs_path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        closing = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        after = "\n".join(lines[closing + 1:])
        first_body_line = closing + 2 + (len(after) - len(after.lstrip("\n")))
    except (OSError, UnicodeDecodeError, StopIteration):
        pass
    return (loaded.lines if loaded is not None else None), first_body_line


def _line(record: Record, *path: Any) -> int:
    lines, _ = raw_lines(record)
    return lines.line(*path) if lines is not None else 1


def line_of(record: Record, path: tuple[Any, ...], text: str, offset: int) -> int:
    """The line in the record's file of ``text[offset]``, the value at front matter ``path`` (or the body)."""
    lines, body_line = raw_lines(record)
    if path == ("body",):
        return body_line + text.count("\n", 0, offset)
    return lines.line(*path) if lines is not None else 1
