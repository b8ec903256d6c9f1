"""Share profiles: ``site_config/profiles/NAME.yml`` (spec section 3).

A profile names its audience and chooses what it may see: which services, from which date, names
or roles for people, whether progress-update notes go out, and which exact strings the
personal-data guard may let through. A broken profile is a configuration problem (exit 2),
reported as ``PATH:LINE: FIELD: MESSAGE`` like every other problem.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..format.dates import parse_iso_date
from ..problems import PortfolioError, Problem, Problems, nearest
from ..read.load import read_text
from ..read.yamlread import LineMap, YamlProblem, parse

PROFILES_DIR = "site_config/profiles"
PROFILE_FIELDS = ("title", "services", "since", "owners", "updates", "allow", "attachments")
OWNERS = ("names", "roles")
ATTACHMENTS = ("text", "all", "none")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class Profile:
    """One share profile, checked."""

    name: str
    path: str  # relative to the project
    title: str
    services: tuple[str, ...] | None = None  # service ids as written in the records; None: every service
    since: date | None = None  # None: everything
    owners: str = "roles"
    updates: bool = True
    allow: tuple[str, ...] = ()  # exact strings the personal-data guard lets through (white space runs count as one space)
    attachments: str = "text"  # text: redacted text attachments only; all: binary ones too; none

    @property
    def service_keys(self) -> frozenset[str] | None:
        return None if self.services is None else frozenset(s.lower() for s in self.services)


def profile_names(project_dir: Path) -> list[str]:
    folder = project_dir / PROFILES_DIR
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yml") if p.is_file() and not p.name.startswith("."))


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The profile meant by a misspelt or shortened name: a prefix or a close spelling."""
    names = list(candidates)
    folded = word.lower()
    starts = [n for n in names if n.lower().startswith(folded) or folded.startswith(n.lower())]
    if len(starts) == 1:
        return starts[0]
    inside = [n for n in names if folded in n.lower()]
    if len(inside) == 1:
        return inside[0]
    close = difflib.get_close_matches(folded, [n.lower() for n in names], n=1, cutoff=0.5)
    if close:
        return next(n for n in names if n.lower() == close[0])
    return nearest(word, names)


def profile_path(project_dir: Path, name: str) -> Path:
    """The profile file for NAME; an unknown or malformed name is a usage error (exit 2)."""
    rel = f"{PROFILES_DIR}/{name}.yml"
    if not _NAME.match(name):
        raise PortfolioError.single(
            PROFILES_DIR, 1, "PROFILE",
            f"'{name}' is not a profile name: use the name of a file in {PROFILES_DIR}/ without '.yml'",
            usage=True,
        )
    path = project_dir / rel
    if path.is_file():
        return path
    names = profile_names(project_dir)
    if not names:
        message = f"no share profile '{name}': {PROFILES_DIR}/ has no profiles yet; create {rel} (title, services, since, owners, updates)"
    else:
        message = f"no share profile '{name}' in {PROFILES_DIR}/ (profiles: {', '.join(names)})"
    raise PortfolioError([Problem(rel, 1, "PROFILE", message, suggestion=suggest(name, names))], usage=True)


def read_profile(project_dir: Path, name: str, service_ids: Iterable[str], problems: Problems) -> Profile | None:
    """Read and check one profile; problems (errors and warnings) go to ``problems``.

    ``service_ids`` are the ids of the portfolio's service records, to check ``services`` against.
    Returns None when the profile has errors.
    """
    path = profile_path(project_dir, name)
    rel = f"{PROFILES_DIR}/{name}.yml"
    before = len(problems.errors)
    text = read_text(path, rel, problems)
    if text is None:
        return None
    try:
        data, lines = parse(text, where="site_config files")
    except YamlProblem as exc:
        problems.add(rel, exc.line, exc.field_name, exc.message)
        return None
    if data is None:
        problems.add(rel, 1, "profile", "is empty; a profile needs at least a title (the audience it is for)")
        return None
    if not isinstance(data, dict):
        problems.add(rel, 1, "profile", "must be a mapping of 'field: value' lines (title, services, since, owners, updates)")
        return None

    for key in data:
        if key not in PROFILE_FIELDS:
            problems.warn(rel, lines.line(key), key, "unknown field", suggestion=nearest(key, PROFILE_FIELDS))

    title = _title(data, lines, rel, problems)
    services = _services(data, lines, rel, problems, list(service_ids))
    since = _since(data, lines, rel, problems)
    owners = _choice(data, "owners", OWNERS, "roles", lines, rel, problems)
    attachments = _choice(data, "attachments", ATTACHMENTS, "text", lines, rel, problems)
    updates = _flag(data, "updates", True, lines, rel, problems)
    allow = _strings(data, "allow", lines, rel, problems)
    if len(problems.errors) > before:
        return None
    return Profile(name, rel, title, services, since, owners, updates, allow, attachments)


def _title(data: dict[str, Any], lines: LineMap, rel: str, problems: Problems) -> str:
    if "title" not in data:
        problems.add(rel, 1, "title", "is required: the title names the audience on every page of the share")
        return ""
    value = data["title"]
    if not isinstance(value, str) or not value.strip():
        problems.add(rel, lines.line("title"), "title", "must be one line of text naming the audience")
        return ""
    if "\n" in value.strip():
        problems.add(rel, lines.line("title"), "title", "must be one line")
    return " ".join(value.split())


def _services(data: dict[str, Any], lines: LineMap, rel: str, problems: Problems, known: list[str]) -> tuple[str, ...] | None:
    if "services" not in data or data["services"] is None:
        return None
    raw = data["services"]
    items: list[tuple[Any, tuple[Any, ...]]]
    if isinstance(raw, list):
        items = [(item, ("services", i)) for i, item in enumerate(raw)]
    else:
        items = [(raw, ("services",))]
    if not items:
        problems.add(rel, lines.line("services"), "services", "names no service; list at least one service id, or leave services out to share every service")
        return None
    by_key = {s.lower(): s for s in known}
    chosen: list[str] = []
    for item, path in items:
        written = lines.raw_text(*path) if not isinstance(item, str) else item
        if isinstance(item, (dict, list)) or written is None or not str(written).strip():
            problems.add(rel, lines.line(*path), _label(path), "must be a service id")
            continue
        written = str(written).strip()
        if written.lower() not in by_key:
            if not known:
                problems.add(rel, lines.line(*path), _label(path), f"no service with id '{written}': this portfolio has no service records (content/services/)")
            else:
                problems.add(
                    rel, lines.line(*path), _label(path), f"no service with id '{written}'",
                    suggestion=nearest(written, known, cutoff=0.5),
                )
            continue
        if by_key[written.lower()] not in chosen:
            chosen.append(by_key[written.lower()])
    return tuple(chosen)


def _since(data: dict[str, Any], lines: LineMap, rel: str, problems: Problems) -> date | None:
    if "since" not in data or data["since"] is None:
        return None
    written = lines.raw_text("since")
    value = data["since"]
    if isinstance(value, (dict, list)) or written is None:
        problems.add(rel, lines.line("since"), "since", "must be a date written as YYYY-MM-DD (for example 2026-01-01)")
        return None
    written = written.strip()
    try:
        return parse_iso_date(written, "write dates as YYYY-MM-DD (for example 2026-01-01)")
    except ValueError as exc:
        problems.add(rel, lines.line("since"), "since", str(exc))
        return None


def _choice(data: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, lines: LineMap, rel: str, problems: Problems) -> str:
    if key not in data or data[key] is None:
        return default
    value = data[key]
    if not isinstance(value, str) or value.strip() not in allowed:
        shown = value if isinstance(value, str) else lines.raw_text(key) or type(value).__name__
        problems.add(
            rel, lines.line(key), key, f"'{shown}' is not one of: {', '.join(allowed)}",
            suggestion=nearest(str(shown), allowed, cutoff=0.5),
        )
        return default
    return value.strip()


def _flag(data: dict[str, Any], key: str, default: bool, lines: LineMap, rel: str, problems: Problems) -> bool:
    if key not in data or data[key] is None:
        return default
    value = data[key]
    if not isinstance(value, bool):
        problems.add(rel, lines.line(key), key, f"must be true or false, not {lines.raw_text(key) or type(value).__name__!r}")
        return default
    return value


def _strings(data: dict[str, Any], key: str, lines: LineMap, rel: str, problems: Problems) -> tuple[str, ...]:
    if key not in data or data[key] is None:
        return ()
    raw = data[key]
    paths: list[tuple[Any, ...]] = [(key, i) for i in range(len(raw))] if isinstance(raw, list) else [(key,)]
    values = raw if isinstance(raw, list) else [raw]
    result: list[str] = []
    for value, path in zip(values, paths):
        if isinstance(value, (dict, list)) or isinstance(value, bool) or value is None:
            problems.add(rel, lines.line(*path), _label(path), "each entry must be the exact text to allow, in quotes")
            continue
        written = value if isinstance(value, str) else (lines.raw_text(*path) or str(value))
        if written.strip():
            result.append(written.strip())
    return tuple(result)


def _label(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text
