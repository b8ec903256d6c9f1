"""Values chosen from a fixed list (status, risk, a source's kind, ...), however they were typed.

The format writes every such value in lower case with hyphens (``in-progress``,
``feedback-theme``), but people type ``High``, ``In progress`` or ``Feedback_theme``, and a quality
statement (an id, compared ignoring case) was already accepted as ``Safeguarding``. So a value
that differs from an allowed one only in case, spaces or underscores is read as that value, the
same way by the validator and by ``portfolio new``; the validator warns, naming the spelling to
write, so the file comes to match the format.
"""

from __future__ import annotations


def canonical_choice(written: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed value ``written`` stands for (``High`` -> ``high``, ``in progress`` ->
    ``in-progress``), or None when it is none of them."""
    if written in allowed:
        return written
    folded = "-".join(written.replace("_", " ").split()).lower()
    return folded if folded in allowed else None
