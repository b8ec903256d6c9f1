"""How names and sizes are written on the site and in what the tool makes: one of each rule.

``slug`` turns a name into the part of an address or a key (owner pages, the importer's matching
of services and statements); ``file_size`` says how big an attachment or a snapshot is.
"""

from __future__ import annotations

import re

_APOSTROPHES = re.compile(r"['’]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, fallback: str = "") -> str:
    """Lower case, apostrophes dropped (``Women’s`` -> ``womens``), every other run of characters
    that are not a-z or 0-9 one ``-``, none at either end; ``fallback`` when nothing is left."""
    value = _APOSTROPHES.sub("", str(text).lower())
    return _NOT_ALPHANUMERIC.sub("-", value).strip("-") or fallback


def file_size(size: int, *, kb_decimals: int = 1) -> str:
    """``512 bytes``, ``12.3 KB``, ``4.5 MB`` (1 KB = 1,024 bytes). ``kb_decimals``: the snapshot
    message says whole kilobytes (``12 KB``), as it always has."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.{kb_decimals}f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
