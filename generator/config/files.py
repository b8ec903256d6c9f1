"""The YAML files of ``site_config/`` read one way: a missing, unreadable, empty or invalid file is a
problem with its line, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..problems import Problems
from ..read.load import read_text
from ..read.yamlread import LineMap, YamlProblem, parse


def read_yaml(path: Path, rel: str, problems: Problems) -> tuple[Any, LineMap]:
    """The document and its lines, or ``(None, LineMap())`` with the problem added."""
    if not path.is_file():
        problems.add(rel, 1, path.name, "not found")
        return None, LineMap()
    text = read_text(path, rel, problems)
    if text is None:
        return None, LineMap()
    try:
        data, lines = parse(text, where="site_config files")
    except YamlProblem as exc:
        field_name = path.name if exc.field_name == "front matter" else exc.field_name
        problems.add(rel, exc.line, field_name, exc.message)
        return None, LineMap()
    if data is None:
        problems.add(rel, 1, path.name, "is empty")
    return data, lines
