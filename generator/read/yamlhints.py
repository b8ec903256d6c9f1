"""What to do about a YAML mistake, added to PyYAML's own words about it.

PyYAML says what its parser met ("mapping values are not allowed in this context"); a care
home's quality lead needs to know what to change. The mistakes people make in front matter are
few: a tab to indent, a colon (or a quote, ``@``, ``[``, ...) in a value that is not in quotes, a
quote never closed, a field or a list's ``-`` out of line with the ones above it. Each kind of
problem PyYAML reports is looked up in :data:`HINTS`, and the offending line's text decides the
advice, which names the field and shows the line as it should be written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import yaml

#: ``key: value`` (or ``- key: value``, a list item's first field), the value possibly empty.
_FIELD = re.compile(r"^(?P<indent> *)(?P<dash>-[ \t]+)?(?P<key>[A-Za-z0-9_][\w.-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
#: ``- value``: a list item that is not a mapping.
_ITEM = re.compile(r"^(?P<indent> *)-[ \t]+(?P<value>.*?)[ \t]*$")
_LONGEST = 60  # a value shown longer than this is cut, with "..." after it


@dataclass(frozen=True)
class Hint:
    """The advice, and the line (0-based, in the YAML text) it is about when not PyYAML's."""

    advice: str
    row: int | None = None


def hint_for(exc: yaml.MarkedYAMLError, text: str, line_offset: int = 0) -> Hint | None:
    """Advice for a syntax error PyYAML raised reading ``text``; None when there is none to give.

    ``line_offset`` turns a line of ``text`` into a line of the file, for advice naming another line.
    """
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    row = min(mark.line, len(lines) - 1)
    problem, context = exc.problem or "", exc.context or ""
    found = _Found(lines, row, mark.column, exc.context_mark, line_offset)
    if "tab" in problem or "\t" in _leading(lines[row]):
        return Hint("use spaces, not a tab, to indent")
    for start, within, advise in HINTS:
        if problem.startswith(start) and within in context:
            return advise(found)
    return None


@dataclass(frozen=True)
class _Found:
    """Where PyYAML stopped: the YAML's lines, the row and column, and where it began reading."""

    lines: list[str]
    row: int
    column: int
    began: yaml.Mark | None
    line_offset: int

    @property
    def line(self) -> str:
        return self.lines[self.row]

    def file_line(self, row: int) -> int:
        return self.line_offset + row + 1


# -- the advice ----------------------------------------------------------------------------------

def _quote(found: _Found, row: int | None = None, why: str = "") -> Hint | None:
    """Put the value of the field on ``row`` in quotes (a colon, a quote or ``@`` in it)."""
    row = found.row if row is None else row
    line = found.lines[row]
    field = _FIELD.match(line)
    if field and field["value"]:
        key, value, shown = field["key"], field["value"], f"{field['dash'] or ''}{field['key']}: "
        what = f"the {key}"
    elif (item := _ITEM.match(line)) and item["value"]:
        key, value, shown, what = "", item["value"], "- ", "the item"
    else:
        return None
    return Hint(f"{why}put {what} in quotes: {shown}{_quoted(value)}", row)


def _quoted(value: str) -> str:
    """``value`` in quotes as YAML reads it back: double quotes unless it holds one (or a backslash)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]  # written in quotes, with the same quote inside: the outer ones go
    if len(value) > _LONGEST:
        value = value[:_LONGEST].rstrip() + "..."
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _colon_or_indent(found: _Found) -> Hint | None:
    """"mapping values are not allowed": a second colon in a value, or a field out of line."""
    field = _FIELD.match(found.line)
    colon = found.line.find(":", len(field["indent"]) + len(field["dash"] or "")) if field else -1
    if field is None or found.column > colon:  # the colon PyYAML stopped at is inside the value
        return _quote(found) or _indent(found)
    return _indent(found)


def _quote_or_indent(found: _Found) -> Hint | None:
    """"did not find expected key": text after a quoted value, or a line out of line."""
    if found.column > len(_leading(found.line)):  # stopped inside the line: after the value's closing quote
        return _quote(found, why="a value that starts with a quote must end with it: ")
    return _indent(found)


def _unclosed_quote(found: _Found) -> Hint | None:
    began = found.began
    if began is None:
        return None
    quote = found.lines[began.line][began.column:began.column + 1] if began.line < len(found.lines) else '"'
    field = _FIELD.match(found.lines[began.line]) if began.line < len(found.lines) else None
    what = f"the value of '{field['key']}'" if field else "this value"
    return Hint(f"the {quote} that starts {what} is never closed: end the value with {quote} too", began.line)


def _unclosed_bracket(found: _Found) -> Hint | None:
    began = found.began
    if began is None or began.line >= len(found.lines):
        return None
    opening = found.lines[began.line][began.column:began.column + 1]
    closing = {"[": "]", "{": "}"}.get(opening, "]")
    quoted = _quote(found, began.line, "")
    text_too = f" (or, if it is text, {quoted.advice})" if quoted else ""
    return Hint(f"close the '{opening}' with '{closing}' on the same line{text_too}", began.line)


def _first_character(found: _Found) -> Hint | None:
    """A value that starts with a character YAML keeps for itself: ``@``, `````, ``%``, ``*``, ``|``, ``-``, ``?``."""
    written = _FIELD.match(found.line) or _ITEM.match(found.line)
    value = written["value"] if written else None
    if not value:
        return None
    return _quote(found, why=f"a value cannot start with '{value[0]}' unless it is in quotes: ")


def _indent(found: _Found) -> Hint | None:
    """A field, or a list's ``-``, that is not in line with the ones above it."""
    line = found.line
    indent = len(line) - len(line.lstrip(" "))
    content = line.lstrip(" ")
    if content.startswith("-") and content[1:2] in ("", " ", "\t"):  # a list item: under the '-' above
        for row in range(found.row - 1, -1, -1):
            other = found.lines[row]
            stripped = other.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            column = len(other) - len(stripped)
            if stripped.startswith("-") and stripped[1:2] in ("", " ", "\t"):
                if column != indent:
                    where = "at the start of the line" if column == 0 else f"{_spaces(column)} in"
                    return Hint(f"put this '-' {where}, under the '-' on line {found.file_line(row)}")
                return None
            if column < indent:
                return None
        return None
    field = _FIELD.match(line)
    if field is None:
        return None
    for row in range(found.row - 1, -1, -1):  # the nearest field above at about this depth
        other = found.lines[row]
        if not other.strip() or other.lstrip().startswith("#"):
            continue
        if re.match(r" *-[^\s-]", other):
            return Hint(f"put a space after the '-' on line {found.file_line(row)}")
        above = _FIELD.match(other)
        if above is None:
            continue
        column = len(above["indent"]) + len(above["dash"] or "")
        if column > indent + 2:  # a field nested deeper than this one: keep looking
            continue
        if column == indent:
            return None
        move = f"move '{field['key']}' to the start of the line" if column == 0 else f"indent '{field['key']}' {_spaces(column)}"
        return Hint(f"{move}, in line with '{above['key']}' on line {found.file_line(row)}")
    return None


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


#: PyYAML's problem (how it starts), the context it must mention ("" for any), and the advice.
HINTS: tuple[tuple[str, str, Callable[[_Found], Hint | None]], ...] = (
    ("found unexpected end of stream", "quoted scalar", _unclosed_quote),
    ("did not find expected ',' or ']'", "", _unclosed_bracket),
    ("did not find expected ',' or '}'", "", _unclosed_bracket),
    ("mapping values are not allowed", "", _colon_or_indent),
    ("did not find expected key", "", _quote_or_indent),
    ("did not find expected '-' indicator", "", _indent),
    ("found character that cannot start any token", "", _first_character),
    ("block sequence entries are not allowed", "", _first_character),
    ("mapping keys are not allowed", "", _first_character),
    ("found undefined alias", "", _first_character),
    ("did not find expected comment or line break", "block scalar", _first_character),
)
