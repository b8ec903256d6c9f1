"""People as users write them: ``"Name (Role)"`` or ``{name: ..., role: ...}``.

An owner must be a *named* person (spec section 2): a placeholder (``TBC``, ``all staff``) or a
bare role (``Registered manager``) is somebody's job title, not somebody accountable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

PLACEHOLDERS = frozenset({
    "", "tbc", "tba", "tbd", "unknown", "none", "n/a", "na", "n.a.", "-", "--", "?", "all staff",
    "everyone", "staff", "team", "the team", "all", "various", "to be confirmed", "to be agreed",
    "nobody", "no one", "not assigned", "unassigned",
})

_NAME_AND_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Person:
    """A person as written, split into a name and a role where both are given."""

    name: str | None
    role: str | None
    named: bool
    #: Who this is when the name is not kept (a share with ``owners: roles``): an opaque token that
    #: is the same for the same name, so "approved by the owner" is judged there as on the full
    #: site. Never shown or published; not part of equality.
    ident: str = field(default="", compare=False, repr=False)

    @property
    def identity(self) -> str | None:
        """The name folded (case and spacing ignored), or the share's token; None when not named."""
        if self.ident:
            return self.ident
        if self.named and self.name:
            return " ".join(self.name.casefold().split())
        return None

    @property
    def display(self) -> str:
        if self.name and self.role:
            return f"{self.name} ({self.role})"
        return self.name or self.role or "not named"

    def display_as(self, owners: str) -> str:
        """``owners: roles`` in a share profile shows the role in place of the name."""
        if owners == "roles":
            return self.role or ("not named" if not self.named else "a member of staff")
        return self.display


def parse_person(value: Any, roles: frozenset[str]) -> Person | None:
    """A Person, or None when ``value`` is neither a string nor a name/role mapping."""
    if value is None:
        return Person(None, None, False)
    if isinstance(value, dict):
        name = _text(value.get("name"))
        role = _text(value.get("role"))
        return Person(name or None, role or None, _is_name(name, roles))
    if isinstance(value, str):
        return _person_from_text(value.strip(), roles)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _person_from_text(str(value).strip(), roles)
    return None


@lru_cache(maxsize=8192)
def _person_from_text(text: str, roles: frozenset[str]) -> Person:
    """The same few owners and approvers are named on thousands of records: each is read once.

    A Person is immutable, so records can share one.
    """
    match = _NAME_AND_ROLE.match(text)
    if match:
        name, role = match["name"].strip(), match["role"].strip()
        return Person(name or None, role or None, _is_name(name, roles))
    if text.lower() in roles:
        return Person(None, text, False)
    return Person(text or None, None, _is_name(text, roles))


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _is_name(name: str, roles: frozenset[str]) -> bool:
    folded = name.strip().lower()
    return bool(folded) and folded not in PLACEHOLDERS and folded not in roles
