"""Site configuration: ``site_config/portfolio.yml`` and the assessment framework it names.

A broken configuration is a usage problem (exit 2), reported in the same
``PATH:LINE: FIELD: MESSAGE`` form as content problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import resources
from .load import read_text
from .problems import PortfolioError, Problems, nearest
from .yamlread import LineMap, YamlProblem, parse

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
class Framework:
    id: str
    name: str
    key_questions: tuple[KeyQuestion, ...]
    source: str | None = None

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for kq in self.key_questions for s in kq.statements)

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
class PortfolioConfig:
    provider: str
    framework: Framework
    thresholds: Thresholds = Thresholds()
    roles: tuple[str, ...] = ()
    redact_terms: tuple[str, ...] = ()

    @property
    def all_roles(self) -> frozenset[str]:
        return frozenset(DEFAULT_ROLES) | {r.strip().lower() for r in self.roles if r.strip()}


PORTFOLIO_FIELDS = ("provider", "framework", "thresholds", "roles", "redact_terms")


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

    framework_id = data.get("framework", "cqc-saf-2023")
    framework: Framework | None = None
    if not isinstance(framework_id, str) or not ID_PATTERN.match(framework_id):
        problems.add(rel, lines.line("framework"), "framework", "must be the id of a framework file in site_config/frameworks/")
    else:
        framework = load_framework(project_dir, framework_id, rel, lines.line("framework"), problems)

    if problems.errors or framework is None:
        raise PortfolioError(problems.sorted(), usage=True)
    warnings.extend(problems.warnings)
    return PortfolioConfig(
        provider=provider.strip(),
        framework=framework,
        thresholds=thresholds,
        roles=tuple(roles),
        redact_terms=tuple(t for t in redact_terms if t.strip()),
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
    if len(problems.errors) > before:
        return None
    source = data.get("source")
    return Framework(str(framework_id), str(name).strip(), tuple(questions), source if isinstance(source, str) else None)


def _read_yaml(path: Path, rel: str, problems: Problems) -> tuple[Any, LineMap]:
    if not path.is_file():
        problems.add(rel, 1, path.name, "not found")
        return None, LineMap()
    text = read_text(path, rel, problems)
    if text is None:
        return None, LineMap()
    try:
        data, lines = parse(text)
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
