"""MkDocs hook: the table of assurance checks on "Assurance checks", from the generator's own list.

A page asks for it with a line ``<!-- assurance-checks -->``; the table lists every check the
generator judges (``generator.judge.assurance.all_checks``): its name as written in
``portfolio.yml`` and ``portfolio.json``, its title, when it holds and what it is judged on. So a
check added to the generator is in the guide without anyone remembering to write it there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

MARKER = "<!-- assurance-checks -->"


def checks_table() -> str:
    from generator.judge.assurance import all_checks

    rows = ["| check | title | holds when | judged on |", "|---|---|---|---|"]
    for check in all_checks():
        scope = "each action" if check.scope == "action" else "the portfolio"
        rows.append(f"| `{check.id}` | {check.title} | {check.holds_when.replace('|', '&#124;')} | {scope} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, checks_table())
