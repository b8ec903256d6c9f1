"""The last look at a built site, file by file: the theme's own files must be the theme's bytes,
every other page, style sheet and search index is read by :mod:`generator.share.offsite`, and each
finding is told with the record (``PATH:LINE``) it came from where that is known.

A share stops on any finding (``generator.share.publish``); ``portfolio build`` prints them as warnings,
since the provider's own site may publish what a share never does.
"""

from __future__ import annotations

import gzip
import html
import zlib
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from .. import processes
from ..problems import Problem
from .offsite import (
    BASE, DATA, MARKUP, MATERIAL_ASSETS, NESTED, OUTSIDE, SCRIPT, THEME_FILE, file_requests, material_dir,
    normalise, own_assets,
)


def _genuine(path: Path, expected: Path) -> bool:
    try:
        return expected.is_file() and path.stat().st_size == expected.stat().st_size and path.read_bytes() == expected.read_bytes()
    except OSError:
        return False


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.name.endswith((".gz", ".svgz")):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data.decode("utf-8", errors="replace")


def _read_as_markup(rel: str) -> bool:
    low = rel[:-3].lower() if rel.endswith(".gz") else rel.lower()
    return low.endswith((*MARKUP, ".css")) or low in ("search/search_index.json", "search/search_index.js")


def site_findings(site_dir: Path, own: dict[str, Path] | None = None, *, theme_only: bool = False) -> list[tuple[str, int, str, str]]:
    """(path, line, what, address) for every file of a built site, in path order.

    A file where the theme's files are published (Material's ``assets/...``, the generator's own
    ``assets/portfolio-table.js``, ``own``: the share's iframe-worker shim) must be byte for byte
    the theme's, or it is read like any other file (a script there is refused: a page may load
    it). ``theme_only``: only what ``privacy.scan_output``, which reads a share's other files, does not.
    """
    expected_of = {**own_assets(), **(own or {})}
    paths = sorted(p for p in site_dir.rglob("*") if p.is_file())

    def look(hand: list[Path]) -> list[list[tuple[str, int, str, str]]]:
        return [_file_findings(path, path.relative_to(site_dir).as_posix(), expected_of, theme_only) for path in hand]

    count = processes.process_count(len(paths), PARALLEL_FROM)
    per_file = processes.deal(paths, look, count) if count > 1 else None
    if per_file is None:
        per_file = look(paths)
    return [finding for findings in per_file for finding in findings]


#: From this many files, the site is read on every CPU (generator/processes.py): about 0.035 s of
#: CPU per MB, 18 s for the 525 MB of a 10,000-action site in one process.
PARALLEL_FROM = 1_000


def _file_findings(path: Path, rel: str, expected_of: dict[str, Path], theme_only: bool) -> list[tuple[str, int, str, str]]:
    """What one file of the site asks of another host, or a theme file that is not the theme's."""
    theirs = rel.startswith(MATERIAL_ASSETS) or rel in expected_of
    if theirs:
        if _genuine(path, expected_of.get(rel) or material_dir() / rel):
            return []
        if rel.lower().endswith((".js", ".mjs")):
            return [(rel, 1, THEME_FILE, rel)]
    if theme_only and not (rel.startswith(MATERIAL_ASSETS) or rel.lower().endswith(".svgz")):
        return []  # read by privacy.scan_output (which skips the theme's folder, and sees a .svgz as bytes)
    if _read_as_markup(rel):
        return [(rel, line, what, address) for line, what, address in file_requests(rel, _read(path))]
    return []


# -- where a finding was written -------------------------------------------------------------------

class Origin:
    """The file a published page or attachment came from. ``page``: the published page of a
    record (a finding outside its ``<article>`` is the theme's or mkdocs.yml's, not the record's);
    None for an attachment, published line for line."""

    def __init__(self, path: str, abs_path: Path | None, page: Path | None):
        self.path, self.abs_path, self.page = path, abs_path, page

    def where(self, line: int, what: str, text: str) -> str | None:
        """``PATH:LINE`` of the finding in the file it was written in, if it was written there."""
        if self.page is None:
            return f"{self.path}:{line}"
        try:
            published = self.page.read_text(encoding="utf-8", errors="replace")
            lines = self.abs_path.read_text(encoding="utf-8-sig").splitlines() if self.abs_path else []
        except (OSError, UnicodeDecodeError):
            return None
        start, end = published.find("<article"), published.rfind("</article>")
        if start < 0 or not published.count("\n", 0, start) < line <= published.count("\n", 0, end) + 1:
            return None
        for needle in _needles(what, text):
            for number, written in enumerate(lines, 1):
                if needle in written.lower() or ("&" in written and needle in html.unescape(written).lower()):
                    return f"{self.path}:{number}"
        return f"{self.path}:{_body_line(lines)}"


def _needles(what: str, text: str) -> list[str]:
    """What to look for in the record's file: the address, its host, a script's first words."""
    text = text.lower()
    needles = [text]
    if what == SCRIPT:
        needles = [text.removeprefix("<script>")[:30].strip(), text.split("=")[0]]
    elif what in (OUTSIDE, DATA):
        try:
            host = urlsplit(normalise(text)).hostname
        except ValueError:
            host = None
        needles += [host] if host else []
    elif what == BASE:
        needles = ["<base", "xml:base"]
    return [n for n in needles if len(n) >= 3]


def _body_line(lines: list[str]) -> int:
    """The first line of the body (after the front matter), or 1."""
    if not lines or lines[0].strip() != "---":
        return 1
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return 1
    body = closing + 1
    while body < len(lines) and not lines[body].strip():
        body += 1
    return body + 1 if body < len(lines) else closing + 1


def _pages(uri: str) -> list[str]:
    """A page's file with and without directory URLs (``actions/act-1.html``, ``actions/act-1/index.html``)."""
    stem = uri[:-3]
    return [stem + ".html", stem + "/index.html"] if not stem.endswith("index") else [stem + ".html"]


def record_origins(
    site_dir: Path, records: Iterable[Any], attachments: Iterable[tuple[Any, str, str, Path | None]] = ()
) -> dict[str, Origin]:
    """Published path -> where it was written. ``records``: the records as written (with their
    ``path``); ``attachments``: (record, published name, path in the project, file)."""
    from ..site.plan import attachment_uri, record_uri

    origins: dict[str, Origin] = {}
    for record in records:
        for page in _pages(record_uri(record)):
            origins.setdefault(page, Origin(record.path, record.abs_path, site_dir / page))
    for record, name, rel, source in attachments:
        origins[attachment_uri(record, name)] = Origin(rel, source, None)
    return origins


# -- messages ------------------------------------------------------------------------------------

def explain(what: str, text: str, share: bool = True) -> str:
    """The message of a finding; ``share``: it stops a share (else: a warning on a built site)."""
    rule = "a share asks no other host for anything and runs only the theme's scripts" if share else (
        "a page of the site should ask no other host for anything when it opens (spec 5)"
    )
    fix = "take it out of the record's text, or of mkdocs.yml (extra_javascript, extra_css, theme settings, custom_dir)"
    if what == OUTSIDE:
        return f"this page would ask another host for '{text}' when it opens; {rule}: {fix}"
    if what == SCRIPT:
        return f"this page would run '{text}', which is not the theme's own script; {rule}: {fix}"
    if what == DATA:
        return f"this page holds the data: address '{text}', which can carry a page or a script of its own; {rule}: {fix}"
    if what == BASE:
        return f"this page has {text}, which sends every relative address (the theme's scripts too) elsewhere; {rule}: {fix}"
    if what == THEME_FILE:
        return f"this script is not the theme's file, yet pages may load it from here; {rule}: {fix}"
    if what == NESTED:
        return f"this page nests markup too deeply to be checked ('{text}'); {rule}: {fix}"
    return f"this page holds markup that cannot be checked ({text}); {rule}: {fix}"


def site_warnings(project_dir: Path, site_dir: Path, portfolio: Any) -> list[Problem]:
    """Warnings (``portfolio build``): pages of the built site that ask another host for something
    or run a script the theme does not ship, each with the record it came from where known."""
    findings = site_findings(site_dir)
    if not findings:
        return []
    records = list(portfolio.records.values())
    attachments = [
        (r, r.file_path.name, _shown_path(r.file_path, project_dir), r.file_path)
        for r in records if getattr(r, "file_path", None) is not None
    ]
    origins = record_origins(site_dir, records, attachments)
    shown = _shown_path(site_dir, project_dir)
    warnings = []
    for rel, line, what, text in findings:
        origin = origins.get(rel)
        written = origin.where(line, what, text) if origin else None
        where = f" (written in {written})" if written else ""
        warnings.append(Problem(f"{shown}/{rel}", line, "site", explain(what, text, share=False) + where, severity="warning"))
    return warnings


def _shown_path(path: Path, project_dir: Path) -> str:
    """``path`` relative to the project where it is inside it."""
    try:
        return path.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
