"""Site configuration: ``site_config/portfolio.yml`` and the assessment framework it names.

A broken configuration is a usage problem (exit 2), reported in the same
``PATH:LINE: FIELD: MESSAGE`` form as content problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import resources
from ..problems import PortfolioError, Problems, nearest
from ..read.load import read_text
from ..read.yamlread import LineMap, YamlProblem, parse

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

#: Roles the project knows by default (spec section 2); ``portfolio.yml``'s ``roles`` add to them.
DEFAULT_ROLES: tuple[str, ...] = (
    "registered manager", "deputy manager", "manager", "home manager", "service manager",
    "care manager", "team leader", "shift leader", "senior carer", "senior care worker", "carer",
    "care worker", "care assistant", "support worker", "senior support worker", "nurse",
    "registered nurse", "clinical lead", "lead nurse", "quality lead", "quality manager",
    "head of quality", "compliance manager", "provider lead", "nominated individual",
    "responsible individual", "director", "managing director", "operations manager",
    "area manager", "regional manager", "care coordinator", "training lead", "trainer",
    "safeguarding lead", "administrator", "activities coordinator", "night manager",
    "hr manager", "deputy", "chef", "housekeeper", "maintenance",
)


@dataclass(frozen=True)
class Thresholds:
    """Early-warning thresholds (spec section 3)."""

    due_soon_days: int = 14
    stale_update_days: int = 30
    max_extensions: int = 2
    escalate_overdue_days: int = 14


@dataclass(frozen=True)
class Statement:
    id: str
    title: str
    key_question: str
    key_question_title: str


@dataclass(frozen=True)
class KeyQuestion:
    id: str
    title: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class RatingLevel:
    """One level of a framework's rating scale: the value written in a record and its title."""

    value: str
    title: str

    @property
    def label(self) -> str:
        """``Good``, or ``3 (Good standard)`` where the value is not the title."""
        return self.title if _fold(self.value) == _fold(self.title) else f"{self.value} ({self.title})"


@dataclass(frozen=True)
class RatingScale:
    """How a provider rates itself against a statement (``rating_scale`` of a framework file)."""

    name: str
    levels: tuple[RatingLevel, ...]  # best first
    good: str | None = None  # the level from which a rating claims "good" or better

    def level(self, written: str) -> RatingLevel | None:
        """The level written (case, spaces, ``-`` and ``_`` ignored: ``Requires-improvement``)."""
        folded = _fold(written)
        return next((lv for lv in self.levels if _fold(lv.value) == folded or _fold(lv.title) == folded), None)

    def claims_good(self, value: str) -> bool:
        """True when ``value`` is the scale's ``good`` level or better."""
        if self.good is None:
            return False
        values = [lv.value for lv in self.levels]
        return value in values and values.index(value) <= values.index(self.good)

    @property
    def text(self) -> str:
        return ", ".join(lv.label for lv in self.levels)


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[-_]", " ", str(text)).casefold().split())


FRAMEWORK_STATUSES = ("draft", "final")
FRAMEWORK_FIELDS = ("id", "name", "source", "published", "status", "rating_scale", "key_questions")


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    key_questions: tuple[KeyQuestion, ...]
    source: str | None = None
    published: date | None = None
    status: str | None = None  # "draft" or "final"
    rating_scale: RatingScale | None = None

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for kq in self.key_questions for s in kq.statements)

    @property
    def status_text(self) -> str | None:
        """What a page says of the framework's standing, or None when the file says nothing of it."""
        published = f"published {self.published.isoformat()}" if self.published else None
        if self.status == "draft":
            return f"This framework is a draft{', ' + published if published else ''}: its statements and their titles may change in the final version."
        if self.status == "final":
            return f"This framework is final{', ' + published if published else ''}."
        return f"This framework was {published}." if published else None

    def statement(self, statement_id: str) -> Statement | None:
        return self._by_id.get(statement_id.lower())

    @property
    def _by_id(self) -> dict[str, Statement]:
        cached = self.__dict__.get("_by_id_cache")
        if cached is None:
            cached = {s.id.lower(): s for s in self.statements}
            object.__setattr__(self, "_by_id_cache", cached)
        return cached


@dataclass(frozen=True)
class Mapping:
    """``site_config/mappings/<from>--<to>.yml``: each statement of an older framework -> statements of a newer one."""

    from_framework: Framework
    to_framework: str
    targets: dict[str, tuple[str, ...]]  # old statement id, lower case -> new statement ids (may be empty)
    notes: dict[str, str]  # old statement id, lower case -> why it maps as it does
    path: str  # as problems name it
    source: str | None = None

    def statement(self, written: str) -> Statement | None:
        """The older framework's statement ``written`` names, or None."""
        return self.from_framework.statement(written)

    def targets_of(self, statement: Statement) -> tuple[str, ...]:
        return self.targets.get(statement.id.lower(), ())


@dataclass(frozen=True)
class PortfolioConfig:
    provider: str
    framework: Framework
    thresholds: Thresholds = Thresholds()
    roles: tuple[str, ...] = ()
    redact_terms: tuple[str, ...] = ()
    #: Mappings from older frameworks into ``framework`` (site_config/mappings/*--<framework>.yml).
    mappings: tuple[Mapping, ...] = ()
    raw_html: bool = False  # the provider's own site keeps raw HTML in records (generator/site/sanitise.py)

    @property
    def all_roles(self) -> frozenset[str]:
        return frozenset(DEFAULT_ROLES) | {r.strip().lower() for r in self.roles if r.strip()}

    def mapped(self, written: str) -> tuple[Mapping, Statement] | None:
        """The mapping and older statement an id that is not the configured framework's names."""
        for mapping in self.mappings:
            statement = mapping.statement(written)
            if statement is not None:
                return mapping, statement
        return None

    def mapped_statement(self, framework_id: str, statement_id: str) -> Statement | None:
        """A statement of an older framework a mapping reads from."""
        for mapping in self.mappings:
            if mapping.from_framework.id == framework_id:
                statement = mapping.statement(statement_id)
                if statement is not None:
                    return statement
        return None

    def mapped_label(self, framework_id: str, statement_id: str) -> str:
        """``Learning culture (cqc-saf-2023)``: an older statement as a page names it."""
        statement = self.mapped_statement(framework_id, statement_id)
        return f"{statement.title if statement else statement_id} ({framework_id})"


PORTFOLIO_FIELDS = ("provider", "framework", "thresholds", "roles", "redact_terms", "raw_html")


def load_portfolio_config(project_dir: Path, warnings: Problems) -> PortfolioConfig:
    """Read and check ``site_config/portfolio.yml``; raise a usage PortfolioError when broken.

    Warnings (unknown fields) are added to ``warnings`` so they print with the content's.
    """
    rel = "site_config/portfolio.yml"
    problems = Problems()
    data, lines = _read_yaml(project_dir / rel, rel, problems)
    if data is None:
        raise PortfolioError(problems.errors, usage=True)
    if not isinstance(data, dict):
        raise PortfolioError.single(rel, 1, "portfolio.yml", "must be a mapping of 'field: value' lines", usage=True)

    for key in data:
        if key not in PORTFOLIO_FIELDS:
            problems.warn(rel, lines.line(key), key, "unknown field", suggestion=nearest(key, PORTFOLIO_FIELDS))

    provider = data.get("provider")
    if not isinstance(provider, str) or not provider.strip():
        problems.add(rel, lines.line("provider"), "provider", "the provider's name is required")
        provider = ""

    thresholds = _thresholds(data.get("thresholds"), lines, rel, problems)
    roles = _string_list(data, "roles", lines, rel, problems)
    redact_terms = _string_list(data, "redact_terms", lines, rel, problems)
    raw_html = data.get("raw_html") or False
    if not isinstance(raw_html, bool):
        problems.add(rel, lines.line("raw_html"), "raw_html", f"must be true or false, not {raw_html!r}")

    framework_id = data.get("framework", "cqc-saf-2023")
    framework: Framework | None = None
    if not isinstance(framework_id, str) or not ID_PATTERN.match(framework_id):
        problems.add(rel, lines.line("framework"), "framework", "must be the id of a framework file in site_config/frameworks/")
    else:
        framework = load_framework(project_dir, framework_id, rel, lines.line("framework"), problems)

    mappings: tuple[Mapping, ...] = ()
    if framework is not None:
        mappings = load_mappings(project_dir, framework, problems)

    if problems.errors or framework is None:
        raise PortfolioError(problems.sorted(), usage=True)
    warnings.extend(problems.warnings)
    return PortfolioConfig(
        provider=provider.strip(),
        framework=framework,
        thresholds=thresholds,
        roles=tuple(roles),
        redact_terms=tuple(t for t in redact_terms if t.strip()),
        mappings=mappings,
        raw_html=raw_html is True,
    )


def available_frameworks(project_dir: Path) -> dict[str, Path]:
    """Framework files by id: the project's own first, then those shipped with the generator."""
    found: dict[str, Path] = {}
    for folder in (project_dir / "site_config" / "frameworks", resources.frameworks_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yml")):
                found.setdefault(path.stem, path)
    return found


def load_framework(project_dir: Path, framework_id: str, cited_in: str, cited_line: int, problems: Problems) -> Framework | None:
    frameworks = available_frameworks(project_dir)
    path = frameworks.get(framework_id)
    if path is None:
        problems.add(
            cited_in, cited_line, "framework",
            f"no framework '{framework_id}' in site_config/frameworks/ or shipped with the generator",
            suggestion=nearest(framework_id, frameworks),
        )
        return None
    try:
        rel = path.relative_to(project_dir).as_posix()
    except ValueError:
        rel = f"<shipped>/frameworks/{path.name}"
    data, lines = _read_yaml(path, rel, problems)
    if data is None:
        return None
    return parse_framework(data, lines, rel, problems)


def parse_framework(data: Any, lines: LineMap, rel: str, problems: Problems) -> Framework | None:
    """Check a framework file's shape: key questions, each with uniquely named statements."""
    if not isinstance(data, dict):
        problems.add(rel, 1, "framework", "must be a mapping with 'id', 'name' and 'key_questions'")
        return None
    before = len(problems.errors)
    framework_id = data.get("id")
    if not isinstance(framework_id, str) or not ID_PATTERN.match(framework_id):
        problems.add(rel, lines.line("id"), "id", "the framework needs an 'id' of letters, digits, '.', '_' or '-'")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(rel, lines.line("name"), "name", "the framework needs a 'name'")
    questions_raw = data.get("key_questions")
    if not isinstance(questions_raw, list) or not questions_raw:
        problems.add(rel, lines.line("key_questions"), "key_questions", "must list at least one key question")
        return None
    seen: dict[str, str] = {}
    questions: list[KeyQuestion] = []
    for qi, question in enumerate(questions_raw):
        where = f"key_questions[{qi + 1}]"
        if not isinstance(question, dict):
            problems.add(rel, lines.line("key_questions", qi), where, "must be a mapping with 'id', 'title' and 'statements'")
            continue
        qid, qtitle = question.get("id"), question.get("title")
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            problems.add(rel, lines.line("key_questions", qi, "id"), f"{where}.id", "a key question needs an id")
            continue
        if not isinstance(qtitle, str) or not qtitle.strip():
            problems.add(rel, lines.line("key_questions", qi, "title"), f"{where}.title", "a key question needs a title")
            qtitle = qid
        statements: list[Statement] = []
        raw_statements = question.get("statements")
        if not isinstance(raw_statements, list):
            problems.add(rel, lines.line("key_questions", qi, "statements"), f"{where}.statements", "must list the key question's statements")
            raw_statements = []
        for si, statement in enumerate(raw_statements):
            swhere = f"{where}.statements[{si + 1}]"
            sline = lines.line("key_questions", qi, "statements", si)
            if not isinstance(statement, dict):
                problems.add(rel, sline, swhere, "must be a mapping with 'id' and 'title'")
                continue
            sid, stitle = statement.get("id"), statement.get("title")
            if not isinstance(sid, str) or not ID_PATTERN.match(sid):
                problems.add(rel, sline, f"{swhere}.id", "a statement needs an id of letters, digits, '.', '_' or '-'")
                continue
            if sid.lower() in seen or sid.lower() == qid.lower():
                problems.add(rel, sline, f"{swhere}.id", f"statement id '{sid}' is used twice in this framework")
                continue
            seen[sid.lower()] = sid
            if not isinstance(stitle, str) or not stitle.strip():
                problems.add(rel, sline, f"{swhere}.title", "a statement needs a title")
                stitle = sid
            statements.append(Statement(sid, stitle.strip(), qid, qtitle.strip()))
        questions.append(KeyQuestion(qid, qtitle.strip(), tuple(statements)))
    for key in data:
        if key not in FRAMEWORK_FIELDS:
            problems.warn(rel, lines.line(key), str(key), "unknown field of a framework", suggestion=nearest(str(key), FRAMEWORK_FIELDS))
    published = _framework_date(data, lines, rel, problems)
    status = data.get("status")
    if status is not None and status not in FRAMEWORK_STATUSES:
        problems.add(
            rel, lines.line("status"), "status", f"{_shown(status)} is not one of: {', '.join(FRAMEWORK_STATUSES)}",
            suggestion=nearest(str(status), FRAMEWORK_STATUSES, cutoff=0.5),
        )
    source = data.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        problems.add(rel, lines.line("source"), "source", "must be one line of text saying where the framework comes from")
    scale = _rating_scale(data.get("rating_scale"), lines, rel, problems) if "rating_scale" in data else None
    if len(problems.errors) > before:
        return None
    return Framework(
        str(framework_id), str(name).strip(), tuple(questions), source.strip() if isinstance(source, str) else None,
        published=published, status=status, rating_scale=scale,
    )


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else repr(value)


def _framework_date(data: dict[str, Any], lines: LineMap, rel: str, problems: Problems) -> date | None:
    written = lines.raw_text("published") if "published" in data else None
    if "published" not in data or data.get("published") is None:
        return None
    text = written if written is not None else str(data["published"])
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        problems.add(rel, lines.line("published"), "published", f"'{text}' is not a date; write dates as YYYY-MM-DD (for example 2026-03-24)")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(rel, lines.line("published"), "published", f"'{text}' is not a real date")
        return None


def _rating_scale(raw: Any, lines: LineMap, rel: str, problems: Problems) -> RatingScale | None:
    """``rating_scale: {name, levels: [{value, title}, ...] best first, good}``."""
    where = "rating_scale"
    if not isinstance(raw, dict):
        problems.add(rel, lines.line(where), where, "must be a mapping with 'name', 'levels' (best first) and 'good'")
        return None
    for key in raw:
        if key not in ("name", "levels", "good"):
            problems.warn(rel, lines.line(where, key), f"{where}.{key}", "unknown field", suggestion=nearest(str(key), ("name", "levels", "good")))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(rel, lines.line(where, "name"), f"{where}.name", "the rating scale needs a name")
        name = ""
    levels_raw = raw.get("levels")
    if not isinstance(levels_raw, list) or not levels_raw:
        problems.add(rel, lines.line(where, "levels"), f"{where}.levels", "must list the scale's levels, best first")
        return None
    levels: list[RatingLevel] = []
    seen: set[str] = set()
    for index, item in enumerate(levels_raw):
        at = f"{where}.levels[{index + 1}]"
        line = lines.line(where, "levels", index)
        if isinstance(item, dict):
            value = lines.raw_text(where, "levels", index, "value") or item.get("value")
            title = item.get("title")
            for key in item:
                if key not in ("value", "title"):
                    problems.warn(rel, lines.line(where, "levels", index, key), f"{at}.{key}", "unknown field", suggestion=nearest(str(key), ("value", "title")))
        else:
            value = lines.raw_text(where, "levels", index) or item
            title = item
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
            problems.add(rel, line, f"{at}.value", "a level needs a value: a word or a number")
            continue
        value = str(value).strip()
        title = str(title).strip() if isinstance(title, (str, int)) and not isinstance(title, bool) and str(title).strip() else value
        if _fold(value) in seen or _fold(title) in seen - {_fold(value)}:
            problems.add(rel, line, f"{at}.value", f"level '{value}' is on the scale twice")
            continue
        seen |= {_fold(value), _fold(title)}
        levels.append(RatingLevel(value, title))
    scale = RatingScale(name.strip(), tuple(levels))
    good_written = lines.raw_text(where, "good") or raw.get("good")
    if good_written is not None and "good" in raw:
        level = scale.level(str(good_written))
        if level is None:
            problems.add(
                rel, lines.line(where, "good"), f"{where}.good", f"'{good_written}' is not one of the scale's levels: {', '.join(lv.value for lv in levels)}",
                suggestion=nearest(str(good_written), [lv.value for lv in levels], cutoff=0.5),
            )
            return None
        scale = RatingScale(scale.name, scale.levels, level.value)
    return scale


def available_mappings(project_dir: Path) -> dict[str, Path]:
    """Mapping files by name (``<from>--<to>``): the project's own first, then those shipped."""
    found: dict[str, Path] = {}
    for folder in (project_dir / "site_config" / "mappings", resources.mappings_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yml")):
                found.setdefault(path.stem, path)
    return found


MAPPING_FIELDS = ("from", "to", "source", "note", "map")


def load_mappings(project_dir: Path, framework: Framework, problems: Problems) -> tuple[Mapping, ...]:
    """Every mapping into the configured framework: ``site_config/mappings/<from>--<framework>.yml``."""
    result = []
    for stem, path in available_mappings(project_dir).items():
        old_id, sep, new_id = stem.partition("--")
        if not sep or new_id != framework.id:
            continue
        try:
            rel = path.relative_to(project_dir).as_posix()
            shipped = False
        except ValueError:
            rel = f"<shipped>/mappings/{path.name}"
            shipped = True
        own = [f for f in (old_id, new_id) if (project_dir / "site_config" / "frameworks" / f"{f}.yml").is_file()] if shipped else []
        found = Problems() if own else problems
        data, lines = _read_yaml(path, rel, found)
        mapping = parse_mapping(data, lines, rel, old_id, framework, project_dir, found) if data is not None else None
        if found is not problems:
            # A shipped mapping over the project's own copy of a framework: used if it fits that
            # copy, else left out with one warning (the project cannot edit the shipped file).
            if found.errors:
                problems.warn(
                    f"site_config/frameworks/{own[0]}.yml", 1, "mapping",
                    f"the shipped mapping {path.name} does not fit this project's own {' and '.join(own)} "
                    f"({len(found.errors)} problems, the first: {found.errors[0].message}); it is not used: "
                    f"write site_config/mappings/{path.name} to map {old_id} onto {new_id}",
                )
                continue
            problems.extend(found.items)
        if mapping is not None:
            result.append(mapping)
    return tuple(result)


def parse_mapping(
    data: Any, lines: LineMap, rel: str, old_id: str, framework: Framework, project_dir: Path, problems: Problems,
) -> Mapping | None:
    """Check a mapping file: both frameworks exist, every id is a statement of its framework."""
    if not isinstance(data, dict):
        problems.add(rel, 1, "mapping", "must be a mapping with 'from', 'to' and 'map'")
        return None
    before = len(problems.errors)
    for key in data:
        if key not in MAPPING_FIELDS:
            problems.warn(rel, lines.line(key), str(key), "unknown field of a mapping", suggestion=nearest(str(key), MAPPING_FIELDS))
    for key, expected in (("from", old_id), ("to", framework.id)):
        written = data.get(key)
        if written != expected:
            problems.add(rel, lines.line(key) if key in data else 1, key, f"must be '{expected}', as the file name <from>--<to>.yml says")
    if len(problems.errors) > before:
        return None
    old = load_framework(project_dir, old_id, rel, lines.line("from"), problems)
    if old is None:
        return None
    table = data.get("map")
    if not isinstance(table, dict) or not table:
        problems.add(rel, lines.line("map"), "map", f"must map statement ids of {old_id} to lists of statement ids of {framework.id}")
        return None
    new_ids = [s.id for s in framework.statements]
    targets: dict[str, tuple[str, ...]] = {}
    notes: dict[str, str] = {}
    for key, value in table.items():
        where = f"map.{key}"
        statement = old.statement(str(key))
        if statement is None:
            problems.add(
                rel, lines.line("map", key), where, f"'{key}' is not a quality statement of {old_id}",
                suggestion=nearest(str(key), [s.id for s in old.statements]),
            )
            continue
        path: tuple[Any, ...] = ("map", key)
        if isinstance(value, dict):
            for sub in value:
                if sub not in ("to", "note"):
                    problems.warn(rel, lines.line("map", key, sub), f"{where}.{sub}", "unknown field", suggestion=nearest(str(sub), ("to", "note")))
            if "to" not in value:
                problems.add(rel, lines.line("map", key), f"{where}.to", "is required: the statement ids it maps to ([] for none)")
                continue
            note = value.get("note")
            if isinstance(note, str) and note.strip():
                notes[statement.id.lower()] = " ".join(note.split())
            value, path = value["to"], ("map", key, "to")
        items = [] if value is None else value if isinstance(value, list) else [value]
        found: list[str] = []
        for index, item in enumerate(items):
            item_line = lines.line(*path, index) if isinstance(value, list) else lines.line(*path)
            target = framework.statement(str(item)) if isinstance(item, str) else None
            if target is None:
                problems.add(
                    rel, item_line, where, f"'{item}' is not a quality statement of {framework.id}",
                    suggestion=nearest(str(item), new_ids),
                )
                continue
            found.append(target.id)
        targets[statement.id.lower()] = tuple(dict.fromkeys(found))
    if len(problems.errors) > before:
        return None
    for statement in old.statements:
        if statement.id.lower() not in targets:
            problems.warn(
                rel, lines.line("map"), "map",
                f"'{statement.id}' of {old_id} is not mapped; records naming it will be on no page (write '{statement.id}: []' if that is meant)",
            )
    source = data.get("source")
    return Mapping(old, framework.id, targets, notes, rel, source if isinstance(source, str) else None)


def _read_yaml(path: Path, rel: str, problems: Problems) -> tuple[Any, LineMap]:
    if not path.is_file():
        problems.add(rel, 1, path.name, "not found")
        return None, LineMap()
    text = read_text(path, rel, problems)
    if text is None:
        return None, LineMap()
    try:
        data, lines = parse(text, where="site_config files")
    except YamlProblem as exc:
        field_name = path.name if exc.field_name == "front matter" else exc.field_name
        problems.add(rel, exc.line, field_name, exc.message)
        return None, LineMap()
    if data is None:
        problems.add(rel, 1, path.name, "is empty")
    return data, lines


def _thresholds(raw: Any, lines: LineMap, rel: str, problems: Problems) -> Thresholds:
    if raw is None:
        return Thresholds()
    if not isinstance(raw, dict):
        problems.add(rel, lines.line("thresholds"), "thresholds", "must be a mapping of threshold names to whole numbers")
        return Thresholds()
    known = Thresholds.__dataclass_fields__
    values: dict[str, int] = {}
    for key, value in raw.items():
        if key not in known:
            problems.warn(rel, lines.line("thresholds", key), f"thresholds.{key}", "unknown threshold", suggestion=nearest(key, known))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.add(rel, lines.line("thresholds", key), f"thresholds.{key}", f"must be a whole number of 0 or more, not {value!r}")
            continue
        values[key] = value
    return Thresholds(**values)


def _string_list(data: dict[str, Any], key: str, lines: LineMap, rel: str, problems: Problems) -> list[str]:
    raw = data.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        problems.add(rel, lines.line(key), key, "must be a list of words")
        return []
    result = []
    for index, item in enumerate(raw):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            result.append(lines.raw_text(key, index) or str(item))
        else:
            problems.add(rel, lines.line(key, index), key, "each entry must be a word or phrase")
    return result
