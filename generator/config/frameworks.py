"""Assessment frameworks (``site_config/frameworks/<id>.yml``): key questions, quality statements
and the rating scale, the project's own copy first, then the one shipped with the generator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .. import resources
from ..format.dates import parse_iso_date
from ..format.values import ID_PATTERN
from ..problems import Problems, nearest
from ..read.yamlread import LineMap
from .files import read_yaml


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
    data, lines = read_yaml(path, rel, problems)
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
    try:
        return parse_iso_date(text, "write dates as YYYY-MM-DD (for example 2026-03-24)")
    except ValueError as exc:
        problems.add(rel, lines.line("published"), "published", str(exc))
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
