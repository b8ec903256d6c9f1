"""What the YAML readers share: the safe loader, plain-scalar typing, the line map and the problem.

:mod:`.yamlread` (PyYAML), :mod:`.yamlplain` (the plain block shape, line by line) and
:mod:`.yamlguard` (anchors, aliases and depth) all build on these, so none imports another's
private names and the three import in one direction only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"


_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WILDCARD = list(_RESOLVERS.get(None, []))
_BY_FIRST = {first: resolvers + _WILDCARD for first, resolvers in _RESOLVERS.items() if first is not None}


@lru_cache(maxsize=4096)
def plain_tag(value: str) -> str:
    """The tag PyYAML's safe loader gives a plain scalar (bool, int, float, null...), dates aside.

    None of those is ever written with a space, so text with one (titles, notes, names) is text
    at once; dates and numbers recur across records, hence the cache.
    """
    if " " in value:
        return STR_TAG
    for tag, regexp in _BY_FIRST.get(value[0] if value else "", _WILDCARD):
        if regexp.match(value):
            return tag
    return STR_TAG


PathKey = tuple[Any, ...]


@dataclass
class LineMap:
    """Lines (1-based, in the whole file) of every key and list item, by path."""

    base: int = 0
    lines: dict[PathKey, int] = field(default_factory=dict)
    raw: dict[PathKey, str] = field(default_factory=dict)  # typed scalars only: text is its own
    root: Any = None  # the whole document
    values: dict[PathKey, Any] = field(default_factory=dict)  # every value by path, for lookups without a walk

    def line(self, *path: Any) -> int:
        """The line of the deepest known prefix of ``path``; the document start otherwise."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.base + 1

    def has(self, *path: Any) -> bool:
        return tuple(path) in self.lines

    def raw_text(self, *path: Any) -> str | None:
        """A scalar exactly as written (so ``id: 007`` stays ``007``, not the integer 7)."""
        key = tuple(path)
        if key in self.raw:
            return self.raw[key]
        value = self.values.get(key) if key else self.root
        return value if isinstance(value, str) else None


class YamlProblem(Exception):
    """A YAML syntax problem or a structural one (duplicate key), with its line."""

    def __init__(self, line: int, message: str, field_name: str = "front matter"):
        self.line = line
        self.message = message
        self.field_name = field_name
        super().__init__(message)


def field_label(path: PathKey) -> str:
    """A field path as users read it: ``extensions[2].to`` (list positions count from 1)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "front matter"
