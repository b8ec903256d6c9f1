"""Running MkDocs for a portfolio project: the effective config, a safe build, live serving.

A build goes into a temporary folder beside the site and is swapped in only when it succeeded,
so a failed build leaves the site that was there exactly as it was.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import yaml
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .. import resources
from ..judge.model import Portfolio
from ..problems import PortfolioError, Problem
from ..read.yamlguard import cap_expansion
from ..read.yamlread import YamlProblem
from ..site.plan import SiteOptions
from .plugin import PortfolioPlugin, docs_dir_is_content
from .staging import RETIRED, staging_folder

log = logging.getLogger("portfolio")


def mkdocs_config(project_dir: Path, site_dir: Path, **overrides: object) -> MkDocsConfig:
    """The project's mkdocs.yml (or the starter one), with the portfolio plugin and search ensured."""
    config_path = project_dir / "mkdocs.yml"
    if config_path.is_file():
        raw = _read_mkdocs_yml(config_path)
        source: object = str(config_path)
    else:
        raw = {}
        source = io.StringIO(resources.default_mkdocs_yml().read_text(encoding="utf-8"))
    if "docs_dir" not in raw:
        overrides["docs_dir"] = str(project_dir / "content")
    messages = _CapturedErrors()
    config_logger = logging.getLogger("mkdocs.config")
    config_logger.addHandler(messages)
    config_logger.propagate = False  # errors come back as problem lines, not as MkDocs' log lines
    try:
        config = load_config(config_file=source, site_dir=str(site_dir), **overrides)  # type: ignore[arg-type]
    except (ConfigurationError, Abort) as exc:
        raise PortfolioError(_config_problems(config_path, messages.records, exc), usage=True) from None
    finally:
        config_logger.removeHandler(messages)
        config_logger.propagate = True
    for warning in messages.warnings:
        log.warning("mkdocs.yml: %s", warning)
    if not docs_dir_is_content(config.docs_dir, project_dir):
        line = _top_level_lines(config_path).get("docs_dir", 1)
        raise PortfolioError.single(
            "mkdocs.yml", line, "docs_dir",
            f"must be 'content', the project's content folder, not '{_clean_text(str(raw.get('docs_dir')))}': the portfolio publishes "
            "content/ only through the pages it makes, and nothing outside content/; write 'docs_dir: content' or leave it out",
            usage=True,
        )
    if config.config_file_path is None or not Path(config.config_file_path).is_file():
        config.config_file_path = str(project_dir / "mkdocs.yml")
    _ensure_plugins(config, project_dir)
    return config


class _CapturedErrors(logging.Handler):
    """MkDocs logs what is wrong with a setting, then aborts; keep the messages to report them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        (self.records if record.levelno >= logging.ERROR else self.warnings).append(record.getMessage())


_CONFIG_VALUE = re.compile(r"^Config value '(?P<key>[^']+)': (?P<message>.*)$", re.S)
_YAML_LINE = re.compile(r'line (\d+), column \d+')


def _config_problems(config_path: Path, messages: list[str], exc: BaseException) -> list[Problem]:
    """MkDocs' own configuration errors as ``mkdocs.yml:LINE: KEY: MESSAGE`` lines."""
    lines = _top_level_lines(config_path)
    problems = []
    for message in messages:
        match = _CONFIG_VALUE.match(message)
        if match:
            key = match["key"].split(".")[0]
            problems.append(Problem("mkdocs.yml", lines.get(key, 1), match["key"], _clean_text(match["message"])))
    if not problems:
        problems.append(Problem("mkdocs.yml", 1, "mkdocs.yml", _clean(exc)))
    return problems


def _top_level_lines(config_path: Path) -> dict[str, int]:
    """The line of each top-level key (composition only: MkDocs' custom tags need no constructor)."""
    try:
        node = yaml.compose(config_path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


#: How many values aliases may add to mkdocs.yml (and the files it inherits): anchors reused for a
#: palette or a toggle add tens; a "billion laughs" adds 387 million, and MkDocs writes them all
#: out (in a debug line) before anything else.
MKDOCS_ALIAS_LIMIT = 100_000


def _read_mkdocs_yml(path: Path) -> dict[str, object]:
    _cap_aliases(path, "mkdocs.yml", set())
    try:
        with path.open("rb") as handle:
            data = mkdocs_utils.yaml_load(handle)
    except Exception as exc:  # any YAML problem in the user's file is a configuration problem
        mark = getattr(exc, "problem_mark", None) or getattr(getattr(exc, "__cause__", None), "problem_mark", None)
        text = str(exc)
        found = _YAML_LINE.search(text)
        line = mark.line + 1 if mark else int(found.group(1)) if found else 1
        problem = getattr(getattr(exc, "__cause__", None), "problem", None) or text.split("\n")[0]
        problem = problem.replace("MkDocs encountered an error parsing the configuration file: ", "")
        raise PortfolioError.single("mkdocs.yml", line, "mkdocs.yml", f"invalid YAML: {_clean_text(problem)}", usage=True) from None
    if not isinstance(data, dict):
        raise PortfolioError.single("mkdocs.yml", 1, "mkdocs.yml", "must be a mapping of settings", usage=True)
    return data


def _cap_aliases(path: Path, shown: str, seen: set[Path]) -> None:
    """Refuse mkdocs.yml, or a file it inherits, whose aliases would expand without bound, before
    MkDocs reads it. Anchors themselves are allowed here: users share palette settings with them."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return  # MkDocs' own reading says what is wrong
    seen.add(path.resolve())
    try:
        root = cap_expansion(text, MKDOCS_ALIAS_LIMIT, where=shown)
    except YamlProblem as exc:
        field_name = shown if exc.field_name == "front matter" else exc.field_name
        raise PortfolioError.single(shown, exc.line, field_name, exc.message, usage=True) from None
    parent = _inherited(root)
    if parent is not None:
        parent_path = path.parent / parent
        if parent_path.resolve() not in seen:
            _cap_aliases(parent_path, parent, seen)


def _inherited(node: yaml.Node | None) -> str | None:
    """The file named by a top-level ``INHERIT:`` key, if any."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            return str(value.value)
    return None


def _ensure_plugins(config: MkDocsConfig, project_dir: Path) -> None:
    """A portfolio needs its own plugin and search even when mkdocs.yml forgot them."""
    plugins = config.plugins
    if not any(isinstance(p, PortfolioPlugin) for p in plugins.values()):
        plugin = PortfolioPlugin()
        plugin.load_config({"project_dir": str(project_dir)}, config.config_file_path)
        plugins["portfolio"] = plugin
    if not any(name in plugins for name in ("search", "material/search")):
        from material.plugins.search.plugin import SearchPlugin

        search = SearchPlugin()
        search.load_config({}, config.config_file_path)
        plugins["material/search"] = search


def portfolio_plugin(config: MkDocsConfig) -> PortfolioPlugin:
    return next(p for p in config.plugins.values() if isinstance(p, PortfolioPlugin))


def check_site_dir(project_dir: Path, site_dir: Path) -> None:
    """Never build over the project itself, its content or its configuration."""
    site = site_dir.resolve()
    project = project_dir.resolve()
    protected = [project / "content", project / "site_config"]
    if site == project or project.is_relative_to(site) or any(site.is_relative_to(p) for p in protected):
        raise PortfolioError.single(
            str(site_dir), 1, "--site-dir",
            "the site must not be built over the project, content/ or site_config/; choose another folder",
            usage=True,
        )
    if site.exists() and not site.is_dir():
        raise PortfolioError.single(str(site_dir), 1, "--site-dir", "exists and is not a folder", usage=True)


def build_site(
    project_dir: Path, site_dir: Path, portfolio: Portfolio, options: SiteOptions | None = None,
    *, configure: Callable[[MkDocsConfig], None] | None = None, **overrides: object
) -> int:
    """Build into a temporary folder beside ``site_dir``, then swap it in.

    ``overrides`` are MkDocs settings (``use_directory_urls=False`` for a share opened from disk).
    ``configure`` adjusts the loaded MkDocs config before the build (a share adds the offline
    plugin and drops edit links).
    Returns the number of pages built.
    """
    check_site_dir(project_dir, site_dir)
    try:
        staging = staging_folder(site_dir.parent, site_dir.name, "building")
    except OSError as exc:
        raise PortfolioError.single(str(site_dir), 1, "--site-dir", f"cannot be written: {exc.strerror or exc}", usage=True) from None
    try:
        config = mkdocs_config(project_dir, staging, **overrides)
        if configure is not None:
            configure(config)
        plugin = portfolio_plugin(config)
        plugin.prepared = portfolio
        plugin.options = options or SiteOptions()
        plugin.memory = None  # one plugin object serves every build in a process (MkDocs keeps it)
        with _quiet_mkdocs():
            mkdocs_build(config)
        swap_in(staging, site_dir)
        return len(plugin.pages)
    except (PluginError, ConfigurationError, Abort) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PortfolioError.single("mkdocs.yml", 1, "build", _clean(exc), usage=True) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``staging`` with renames, so readers never see half a site."""
    if site_dir.exists():
        retired = site_dir.with_name(f".{site_dir.name}.{RETIRED}-{os.getpid()}")  # see generator/mkdocs/staging.py
        if retired.exists():
            shutil.rmtree(retired)
        site_dir.rename(retired)
        try:
            staging.rename(site_dir)
        except OSError:
            retired.rename(site_dir)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(site_dir)


@contextmanager
def _quiet_mkdocs() -> Iterator[None]:
    """MkDocs' INFO chatter off; its warnings (say, a broken link in a narrative) still show."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    if level == logging.NOTSET or level < logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _clean(exc: BaseException) -> str:
    return _clean_text(str(exc)) or exc.__class__.__name__


def _clean_text(text: str) -> str:
    return " ".join(text.split())
