"""``site_config/portfolio.yml``: the provider, the framework it names, thresholds, roles, redaction.

A broken configuration is a usage problem (exit 2), reported in the same
``PATH:LINE: FIELD: MESSAGE`` form as content problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..format.values import ID_PATTERN
from ..problems import PortfolioError, Problems, nearest
from ..read.yamlread import LineMap
from .files import read_yaml
from .frameworks import Framework, Statement, load_framework
from .mappings import Mapping, load_mappings
from .schedule import Schedule, load_schedule_or_stop


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
class PortfolioConfig:
    provider: str
    framework: Framework
    thresholds: Thresholds = Thresholds()
    roles: tuple[str, ...] = ()
    redact_terms: tuple[str, ...] = ()
    #: Mappings from older frameworks into ``framework`` (site_config/mappings/*--<framework>.yml).
    mappings: tuple[Mapping, ...] = ()
    raw_html: bool = False  # the provider's own site keeps raw HTML in records (generator/site/sanitise.py)
    #: The live site's search: "auto", "pagefind" or "material" (generator/mkdocs/pagefind.py).
    search: str = "auto"
    #: Assurance checks switched off (``assurance: {CHECK: false}``; generator/judge/assurance.py).
    checks_off: frozenset[str] = frozenset()
    #: ``site_config/schedule.yml`` (an extension; generator/config/schedule.py): None without one.
    schedule: Schedule | None = None

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


PORTFOLIO_FIELDS = ("provider", "framework", "thresholds", "roles", "redact_terms", "raw_html", "search", "assurance")
#: ``search``'s values: Pagefind from some size on, always, or never (generator/mkdocs/pagefind.py).
SEARCH_MODES = ("auto", "pagefind", "material")


def load_portfolio_config(project_dir: Path, warnings: Problems) -> PortfolioConfig:
    """Read and check ``site_config/portfolio.yml``; raise a usage PortfolioError when broken.

    Warnings (unknown fields) are added to ``warnings`` so they print with the content's.
    """
    rel = "site_config/portfolio.yml"
    problems = Problems()
    data, lines = read_yaml(project_dir / rel, rel, problems)
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
    search = data.get("search")
    if search is None:
        search = "auto"
    elif search not in SEARCH_MODES:
        shown = repr(search) if isinstance(search, (str, bool, int, float)) else f"a {type(search).__name__}"
        problems.add(rel, lines.line("search"), "search", f"must be one of {', '.join(SEARCH_MODES)}, not {shown}",
                     suggestion=nearest(search, SEARCH_MODES) if isinstance(search, str) else None)
        search = "auto"

    checks_off = _checks_off(data.get("assurance"), lines, rel, problems)

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
    schedule = load_schedule_or_stop(project_dir, warnings)
    return PortfolioConfig(
        provider=provider.strip(),
        framework=framework,
        thresholds=thresholds,
        roles=tuple(roles),
        redact_terms=tuple(t for t in redact_terms if t.strip()),
        mappings=mappings,
        raw_html=raw_html is True,
        search=search,
        checks_off=checks_off,
        schedule=schedule,
    )


def _checks_off(raw: Any, lines: LineMap, rel: str, problems: Problems) -> frozenset[str]:
    """``assurance: {CHECK: true|false}``: every check is on unless switched off here."""
    from ..judge.assurance import check_ids  # the checks' own modules import this one

    if raw is None:
        return frozenset()
    if not isinstance(raw, dict):
        problems.add(rel, lines.line("assurance"), "assurance", "must be a mapping of check names to true or false")
        return frozenset()
    known = check_ids()
    off = set()
    for key, value in raw.items():
        name = str(key)
        if name not in known:
            problems.warn(rel, lines.line("assurance", key), f"assurance.{name}", "unknown assurance check", suggestion=nearest(name, known))
            continue
        if not isinstance(value, bool):
            problems.add(rel, lines.line("assurance", key), f"assurance.{name}", f"must be true or false, not {value!r}")
            continue
        if not value:
            off.add(name)
    return frozenset(off)


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
