"""MkDocs hook: the table of assurance checks on "Assurance checks", from the generator's own list.

A page asks for it with a line ``<!-- assurance-checks -->``; the table lists every check the
generator judges (``generator.judge.assurance.all_checks``): its name as written in
``portfolio.yml`` and ``portfolio.json``, its title, when it holds and what it is judged on. So a
check added to the generator is in the guide without anyone remembering to write it there.

A line ``<!-- vague-update-rules -->`` is replaced by the rules that make an update note vague
(``generator.judge.updates.RULES``), in the order they are applied, and the stock phrases.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

MARKER = "<!-- assurance-checks -->"
RULES_MARKER = "<!-- vague-update-rules -->"


def checks_table() -> str:
    from generator.judge.assurance import all_checks

    rows = ["| check | title | holds when | judged on |", "|---|---|---|---|"]
    for check in all_checks():
        scope = "each action" if check.scope == "action" else "the portfolio"
        rows.append(f"| `{check.id}` | {check.title} | {check.holds_when.replace('|', '&#124;')} | {scope} |")
    return "\n".join(rows)


def vague_rules_table() -> str:
    from generator.judge.updates import RULES, STOCK_PHRASES

    effects = {"vague": "vague", "checkable": "not vague"}
    rows = ["| rule | the note is | when |", "|---|---|---|"]
    for number, rule in enumerate(RULES, start=1):
        rows.append(f"| {number}. {rule.name} | {effects[rule.effect]} | {rule.description.replace('|', '&#124;')} |")
    phrases = ", ".join(f"`{phrase}`" for phrase in sorted(set(STOCK_PHRASES)))
    return "\n".join(rows) + f"\n\nThe first rule that applies decides. The stock phrases (any case): {phrases}."


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, checks_table())
    if RULES_MARKER in markdown:
        markdown = markdown.replace(RULES_MARKER, vague_rules_table())
    return markdown
