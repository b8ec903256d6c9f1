"""Assurance checks: the quality of the assurance judged beside the flags (an extension).

Format version 1 fixes the ``flags`` (spec section 6). What inspectors and commissioners also
test is whether the assurance holds up: an action closed on a training log, updates that say
nothing, a governance forum that stopped meeting, a finding back after an "effective" closure.
Each such judgement is a ``Check`` with its reason in plain words, published beside the flags
(``portfolio.json``'s ``assurance`` lists) and switchable one by one in ``portfolio.yml``.

This module holds only the shapes; each family of checks is a module of its own
(``judge/closure.py``, ``judge/updates.py`` ...) registered in ``judge/assurance.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Portfolio

#: An action's checks are published on it; a portfolio's (a forum that did not meet, a service
#: worse than target three months running) on the portfolio as a whole.
SCOPES = ("action", "portfolio")


@dataclass(frozen=True, order=True)
class Check:
    """One judgement that holds: which check, and why, in words a registered manager can act on."""

    check: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"check": self.check, "reason": self.reason}


@dataclass(frozen=True)
class CheckInfo:
    """What a check is: its id (as in ``portfolio.yml`` and ``portfolio.json``), a title for pages,
    when it holds (for the guide and the site), and whether it is judged per action or per portfolio."""

    id: str
    title: str
    holds_when: str
    scope: str = "action"


#: A finding: the key of the action it is on (None: on the portfolio), and the check that holds.
Finding = tuple[str | None, Check]


@dataclass(frozen=True)
class Family:
    """A family of checks: what they are, and one function judging them over the portfolio.

    ``judge`` yields findings for every check of the family; ``judge/assurance.py`` keeps those the
    configuration has switched on, so a family never needs to read the switches itself.
    """

    name: str
    checks: tuple[CheckInfo, ...]
    judge: Callable[["Portfolio"], Iterable[Finding]]
