"""Problems found in a user's content or configuration.

Every check appends to a :class:`Problems` list rather than raising, so one run reports every
problem (Pelican's habit). :class:`PortfolioError` carries problems across the single boundary
(the CLI or the MkDocs plugin) where they become clean messages instead of tracebacks.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is, which field, what is wrong, and what was probably meant."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"
    suggestion: str | None = None

    def __str__(self) -> str:
        text = self.message
        if self.suggestion:
            text += f"; did you mean '{self.suggestion}'?"
        if self.severity == "warning":
            text = "warning: " + text
        if self.line:
            line = f"{self.path}:{self.line}: {self.field}: {text}"
        else:  # not at a line: a file as a whole, or the command itself (path and field may be "")
            line = ": ".join(part for part in (self.path, self.field, text) if part)
        # A problem is one line, whatever the user's value held.
        return line.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")


@dataclass
class Problems:
    """An ordered collection of problems found in one run."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str,
        line: int,
        field_name: str,
        message: str,
        *,
        suggestion: str | None = None,
        severity: Severity = "error",
    ) -> None:
        self.items.append(Problem(path, line, field_name, message, severity, suggestion))

    def warn(self, path: str, line: int, field_name: str, message: str, *, suggestion: str | None = None) -> None:
        self.add(path, line, field_name, message, suggestion=suggestion, severity="warning")

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        """Problems in file order, then line order, so output reads like the files."""
        return sorted(self.items, key=lambda p: (p.path, p.line, p.field, p.message))

    def __bool__(self) -> bool:
        return bool(self.errors)


class PortfolioError(Exception):
    """Raised with every problem found; turned into clean output at one boundary.

    The one error type for users' problems: the content, the configuration, a tracker being
    imported, an archive being verified, the pack's printer, a new record's values. The CLI
    (:mod:`generator.cli.boundary`) and the MkDocs plugin turn it into messages and an exit code.

    ``usage`` marks a broken configuration or command line (exit 2) rather than content errors
    in the portfolio (exit 1). ``option`` names the command-line option or argument at fault
    (``"'--key-question'"``), or is ``""`` for the command line as a whole: the CLI then shows the
    problems as it shows any bad command line, with the command's usage. ``outcome`` is what the
    CLI says last (``"nothing was imported"``); by default, for content errors, how many errors and
    warnings there were and that nothing was written.
    """

    def __init__(self, problems: list[Problem], *, usage: bool = False, option: str | None = None, outcome: str | None = None):
        self.problems = problems
        self.usage = usage or option is not None
        self.option = option
        self.outcome = outcome
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, path: str, line: int, field_name: str, message: str, *, usage: bool = False) -> "PortfolioError":
        return cls([Problem(path, line, field_name, message)], usage=usage)


def nearest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The closest candidate to a misspelt word, compared case-insensitively, or None."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    if not by_lower:
        return None
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=cutoff)
    return by_lower[matches[0]] if matches else None
