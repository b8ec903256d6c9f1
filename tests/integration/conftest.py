"""Helpers for the integration tests: run the real ``portfolio`` command and read what it built.

The example portfolio is built a handful of times (different as-of dates, different folders,
with and without SOURCE_DATE_EPOCH). Those builds are started together, once per test session,
as separate processes, and shared by test_build, test_cli and test_golden.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PORTFOLIO = [sys.executable, "-m", "generator.cli"]
KIND_FOLDERS = {"action": "actions", "source": "sources", "evidence": "evidence", "meeting": "meetings", "service": "services"}
FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
BUILD_TIMEOUT = 300  # generous: only a bound for a hung build, on a busy machine


# -- running the command ---------------------------------------------------------------------

def clean_env(**extra: str) -> dict[str, str]:
    """The environment without SOURCE_DATE_EPOCH (unless given), so the machine's cannot leak in."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(extra)
    return env


def epoch(iso_datetime: str) -> str:
    """SOURCE_DATE_EPOCH for a UTC date-time written as ``2026-11-22T12:34:56``."""
    moment = datetime.fromisoformat(iso_datetime).replace(tzinfo=timezone.utc)
    return str(int(moment.timestamp()))


def run_portfolio(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = BUILD_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PORTFOLIO, *args], cwd=cwd, env=env if env is not None else clean_env(),
        capture_output=True, text=True, timeout=timeout,
    )


def start_portfolio(*args: str, cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[str]:
    """Start the command; its output goes to pipes, or to ``log`` for a long-running one (serve)."""
    if log is not None:
        with log.open("w", encoding="utf-8") as handle:
            return subprocess.Popen(
                [*PORTFOLIO, *args], cwd=cwd, env=env if env is not None else clean_env(),
                stdout=handle, stderr=subprocess.STDOUT, text=True,
            )
    return subprocess.Popen(
        [*PORTFOLIO, *args], cwd=cwd, env=env if env is not None else clean_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


# -- files -----------------------------------------------------------------------------------

def copy_example(dest: Path) -> Path:
    """A copy of the shipped example (content/, site_config/, mkdocs.yml), as the fixture makes."""
    dest.mkdir(parents=True)
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copyfile(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too) by its relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def tree_digest(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with the SHA-256 of its bytes (folders: 'dir')."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return found


def front_matter(path: Path) -> dict[str, Any]:
    """A record's front matter read independently of the generator (dates as ISO strings)."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    _, front, _ = text.split("---\n", 2)
    data = yaml.safe_load(front)
    return _iso_dates(data)


def _iso_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value


@dataclass
class ContentRecord:
    kind: str
    path: Path
    fields: dict[str, Any]
    body: str

    @property
    def id(self) -> str:
        return str(self.fields["id"])

    @property
    def page(self) -> str:
        return f"{KIND_FOLDERS[self.kind]}/{self.id.lower()}.html"

    @property
    def dated(self) -> str | None:
        key = {"action": "raised", "source": "date", "evidence": "date", "meeting": "date"}.get(self.kind)
        return str(self.fields[key]) if key else None

    def names(self) -> set[str]:
        """Every record id this record names in its front matter (lower case)."""
        f = self.fields
        found: list[Any] = []
        for key in ("source", "agreed_in", "service", "related", "repeat_of", "follow_up"):
            found += _as_list(f.get(key))
        closure = f.get("closure") or {}
        found += _as_list(closure.get("evidence")) + _as_list(closure.get("minutes"))
        for milestone in f.get("milestones") or []:
            found += _as_list(milestone.get("evidence"))
        return {str(x).lower() for x in found if x}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def read_content(project: Path) -> dict[str, ContentRecord]:
    """The records of a project by lower-cased id, read straight from the Markdown files."""
    records: dict[str, ContentRecord] = {}
    for path in sorted((project / "content").rglob("*.md")):
        folder = path.relative_to(project / "content").parts[0]
        text = path.read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2]
        record = ContentRecord(FOLDER_KINDS[folder], path, front_matter(path), body)
        records[record.id.lower()] = record
    return records


# -- reading a built site ---------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append((tag, name, value))


def links_in(markup: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every href and src."""
    parser = _Links()
    parser.feed(markup)
    parser.close()
    return parser.found


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def resolve(page: str, url: str) -> str | None:
    """The site-relative path a link on ``page`` points at, or None for external/fragment links."""
    if is_external(url) or url.startswith("#") or url == "":
        return None
    path = unquote(urlsplit(url).path)
    if path == "":
        return None
    # a root-relative link (MkDocs writes them in 404.html) points from the site root
    joined = PurePosixPath(path) if path.startswith("/") else PurePosixPath(page).parent / path
    parts: list[str] = []
    for part in joined.parts:
        if part in ("", ".", "/"):
            continue
        if part == "..":
            if not parts:
                return "../" + "/".join(parts)  # escapes the site
            parts.pop()
        else:
            parts.append(part)
    resolved = "/".join(parts)
    if url.endswith("/") or path.endswith("/") or resolved == "":
        resolved = (resolved + "/index.html").lstrip("/")
    return resolved


def page_targets(site: Path, page: str, markup: str | None = None) -> set[str]:
    """Site-relative paths of every internal link (href/src) on a page."""
    if markup is None:
        markup = (site / page).read_text(encoding="utf-8")
    return {t for _, _, url in links_in(markup) if (t := resolve(page, url)) is not None}


_ARTICLE = re.compile(r"<article\b[^>]*>.*?</article>", re.DOTALL)


def article(markup: str) -> str:
    """The page's ``<article ...>...</article>``: what the page says, without Material's chrome."""
    found = _ARTICLE.findall(markup)
    assert len(found) == 1, f"expected exactly one <article>, found {len(found)}"
    return found[0]


def read_article(site: Path, page: str) -> str:
    return article((site / page).read_text(encoding="utf-8"))


_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """Text without tags, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def sections(markup: str, level: int = 2) -> dict[str, str]:
    """An article split at its ``<hN>`` headings: heading text -> the markup up to the next one."""
    heading = re.compile(rf"<h{level}\b[^>]*>(.*?)</h{level}>", re.DOTALL)
    matches = list(heading.finditer(markup))
    result: dict[str, str] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(markup)
        result[plain(match.group(1))] = markup[match.end():end]
    return result


def section_with(markup: str, *words: str, level: int = 2) -> str:
    """The one section whose heading contains every word (case-insensitive)."""
    chosen = [body for title, body in sections(markup, level).items() if all(w.lower() in title.lower() for w in words)]
    assert len(chosen) == 1, f"expected one <h{level}> section naming {words}, found {list(sections(markup, level))}"
    return chosen[0]


# -- the example, built once per session ------------------------------------------------------

@dataclass
class Build:
    name: str
    project: Path
    site: Path
    args: list[str]
    env: dict[str, str]
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None
    content_before: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        import json

        return json.loads((self.site / "portfolio.json").read_text(encoding="utf-8"))


EXAMPLE_AS_OF = "2026-11-22"
EARLY_AS_OF = "2026-04-15"
AUTUMN_AS_OF = "2026-10-01"
EXAMPLE_EPOCH = epoch("2026-11-22T12:34:56")  # noon-ish on the as-of date, to prove the date (not the time) is used


@pytest.fixture(scope="session")
def example_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    """The shipped example built by the real command, several ways, in parallel processes.

    - ``main``: ``--as-of 2026-11-22`` into a folder outside the project, no SOURCE_DATE_EPOCH;
    - ``twin``: the same, from a second copy of the project, into another folder, with an
      unrelated SOURCE_DATE_EPOCH;
    - ``epoch``: no ``--as-of``, SOURCE_DATE_EPOCH at 12:34:56 on 2026-11-22;
    - ``early`` and ``autumn``: ``--as-of 2026-04-15`` and ``--as-of 2026-10-01``.
    """
    base = tmp_path_factory.mktemp("example-builds")
    project = copy_example(base / "example")
    twin_project = copy_example(base / "elsewhere" / "example-copy")
    plans = [
        Build("main", project, base / "out-main" / "site", ["build", "--as-of", EXAMPLE_AS_OF], clean_env()),
        Build("twin", twin_project, base / "out-twin" / "published", ["build", "--as-of", EXAMPLE_AS_OF], clean_env(SOURCE_DATE_EPOCH="1234567890")),
        Build("epoch", project, base / "out-epoch" / "site", ["build"], clean_env(SOURCE_DATE_EPOCH=EXAMPLE_EPOCH)),
        Build("early", project, base / "out-early" / "site", ["build", "--as-of", EARLY_AS_OF], clean_env()),
        Build("autumn", project, base / "out-autumn" / "site", ["build", "--as-of", AUTUMN_AS_OF], clean_env()),
    ]
    before = tree_digest(project / "content")
    running = []
    for plan in plans:
        plan.content_before = before if plan.project == project else tree_digest(plan.project / "content")
        running.append((plan, start_portfolio(*plan.args, "--site-dir", str(plan.site), cwd=plan.project, env=plan.env)))
    try:
        for plan, process in running:
            plan.stdout, plan.stderr = process.communicate(timeout=BUILD_TIMEOUT)
            plan.returncode = process.returncode
    finally:
        for _, process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    return {plan.name: plan for plan in plans}


@pytest.fixture(scope="session")
def example_site(example_builds: dict[str, Build]) -> Build:
    """The example as of 2026-11-22; fails every test that uses it if the build failed."""
    build = example_builds["main"]
    assert build.returncode == 0, build.stderr
    return build
