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
from pathlib import Path
from typing import Any

from .. import TOOL_NAME, __version__
from .manifest import ARCHIVE_INDEX, CHANGES, MANIFEST, PORTFOLIO_JSON, Month, archived_months

LIVE = ("open", "in-progress")

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2330;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.25rem}
p.lead{color:#4a5064;margin-top:0}
table{border-collapse:collapse;width:100%;margin-top:1.5rem}
th,td{border-bottom:1px solid #d7dae3;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f3f7;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.alert{color:#b3261e;font-weight:600}
small{color:#5c6275}
a{color:#3949ab}
"""


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


def render_archive_index(archive: Path) -> str:
    months = archived_months(archive)
    rows = [month_row(archive, name) for name in reversed(months)]  # newest first
    e = html.escape
    provider = ""
    if months:
        latest = _read_json(archive / months[-1] / PORTFOLIO_JSON)
        if isinstance(latest, dict) and isinstance(latest.get("provider"), str):
            provider = latest["provider"]
    title = f"{provider}: monthly governance snapshots" if provider else "Monthly governance snapshots"
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        f'<meta name="generator" content="{e(TOOL_NAME)} {e(__version__)}">',
        f"<title>{e(title)}</title>",
        f"<style>{_STYLE.strip()}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(title)}</h1>",
        '<p class="lead">Each month\'s portfolio as it stood on the month\'s last day. A snapshot is never '
        "rebuilt once made; <code>portfolio verify</code> checks every file against the month's "
        "<code>manifest.json</code> and the chain of months.</p>",
    ]
    if not rows:
        out.append("<p>No snapshot has been made yet. Run <code>portfolio snapshot</code>.</p>")
    else:
        out += [
            "<table>",
            "<thead><tr><th>Month</th><th>Open or in progress</th><th>Overdue</th><th>To escalate</th>"
            "<th>Closed that month</th><th>Changes</th><th>Built from</th></tr></thead>",
            "<tbody>",
        ]
        for row in rows:
            m = e(row["month"])
            figures = row["figures"]
            if figures is None:
                numbers = '<td class="n" colspan="4">portfolio.json unreadable</td>'
            else:
                numbers = "".join(
                    f'<td class="n{" alert" if key in ("overdue", "escalate") and figures[key] else ""}">{figures[key]}</td>'
                    for key in ("open", "overdue", "escalate", "closed")
                )
            changes = row["changes"]
            if changes is None:
                changed = "&ndash;"
            elif changes.get("since") is None:
                changed = f'<a href="{m}/changes.html">first snapshot</a>'
            else:
                count = sum(len(changes.get(k) or []) for k in ("added", "removed", "status_changed", "due_changed", "newly_flagged"))
                changed = f'<a href="{m}/changes.html">{count} since {e(str(changes["since"]))}</a>'
            if row["commit"]:
                built = f"<small>commit <code>{e(row['commit'][:12])}</code></small>"
            elif row["from_files"]:
                built = "<small>the files as they were when made (no git)</small>"
            else:
                built = "&ndash;"
            out.append(
                f'<tr><td><a href="{m}/index.html">{e(row["title"])}</a><br><small>as of {e(row["as_of"])}</small></td>'
                f"{numbers}<td>{changed}</td><td>{built}</td></tr>"
            )
        out += ["</tbody>", "</table>"]
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def write_archive_index(archive: Path) -> Path:
    """Rewrite ``archive/index.html`` (atomically: a reader never sees half a page)."""
    target = archive / ARCHIVE_INDEX
    staging = archive / f".{ARCHIVE_INDEX}.{os.getpid()}"
    staging.write_text(render_archive_index(archive), encoding="utf-8")
    os.replace(staging, target)
    return target
