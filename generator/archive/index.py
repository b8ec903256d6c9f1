"""``archive/index.html``: every monthly snapshot with its headline figures, and the month switcher.

A snapshot is fixed once made, so it cannot list the months that come after it. Each snapshot's
banner links to ``../index.html`` instead: this page, outside every month's folder (and so in no
manifest), rewritten after each snapshot. It is one self-contained HTML file with no script and
no request to any other host, so it works from the file system as well as from a server.
"""

from __future__ import annotations

import html
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import TOOL_NAME, __version__, resources
from .manifest import ARCHIVE_INDEX, CHANGES, MANIFEST, PORTFOLIO_JSON, Month, archived_months

LIVE = ("open", "in-progress")

def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def headline(month: str, document: Any) -> dict[str, int] | None:
    """Actions open / overdue / to escalate on the month's last day, and closed during the month."""
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        return None
    figures = {"open": 0, "overdue": 0, "escalate": 0, "closed": 0}
    for record in document["records"]:
        if not isinstance(record, dict) or record.get("kind") != "action":
            continue
        flags = record.get("flags") or []
        if record.get("status") in LIVE:
            figures["open"] += 1
        if "overdue" in flags:
            figures["overdue"] += 1
        if "escalate" in flags:
            figures["escalate"] += 1
        closure = (record.get("fields") or {}).get("closure")
        closed_on = str(closure.get("date", "")) if isinstance(closure, dict) else ""
        if record.get("status") == "closed" and closed_on.startswith(month + "-"):
            figures["closed"] += 1
    return figures


def month_row(archive: Path, name: str) -> dict[str, Any]:
    folder = archive / name
    manifest = _read_json(folder / MANIFEST)
    manifest = manifest if isinstance(manifest, dict) else {}
    changes = _read_json(folder / CHANGES)
    commit = manifest.get("commit")
    return {
        "month": name,
        "title": Month.parse(name).title,
        "as_of": manifest.get("as_of") or Month.parse(name).last_day.isoformat(),
        "figures": headline(name, _read_json(folder / PORTFOLIO_JSON)),
        "commit": commit if isinstance(commit, str) else None,
        "from_files": bool(manifest.get("note")) and not commit,
        "changes": changes if isinstance(changes, dict) else None,
    }


#: What a change counts: the lists in changes.json (archive/changes.py).
CHANGE_LISTS = ("added", "removed", "status_changed", "due_changed", "newly_flagged")


def _escape(value: Any) -> Any:
    """Autoescaping with ``html.escape``'s entities (``&#x27;``), as this page has always been written."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else Markup(html.escape(value))


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.theme_dir() / "archive")),
        autoescape=True,
        finalize=_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("index.html.j2")


def render_archive_index(archive: Path) -> str:
    """The page, from ``theme/archive/index.html.j2``."""
    months = archived_months(archive)
    rows = [month_row(archive, name) for name in reversed(months)]  # newest first
    for row in rows:
        changes = row["changes"]
        if changes is not None:
            row["changes"] = {**changes, "since": None if changes.get("since") is None else str(changes["since"])}
            row["changed"] = sum(len(changes.get(k) or []) for k in CHANGE_LISTS)
    provider = ""
    if months:
        latest = _read_json(archive / months[-1] / PORTFOLIO_JSON)
        if isinstance(latest, dict) and isinstance(latest.get("provider"), str):
            provider = latest["provider"]
    title = f"{provider}: monthly governance snapshots" if provider else "Monthly governance snapshots"
    return _template().render(tool=TOOL_NAME, version=__version__, title=title, rows=rows)


def write_archive_index(archive: Path) -> Path:
    """Rewrite ``archive/index.html`` (atomically: a reader never sees half a page)."""
    target = archive / ARCHIVE_INDEX
    staging = archive / f".{ARCHIVE_INDEX}.{os.getpid()}"
    staging.write_text(render_archive_index(archive), encoding="utf-8")
    os.replace(staging, target)
    return target
