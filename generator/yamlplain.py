"""Front matter in the plain block shape, read line by line: the same answer as PyYAML, faster.

Nearly every record is written the same way: ``key: value`` lines, lists of ``- key: value``,
one-line flow lists such as ``[safe-environments, governance]``, quoted text and ``>-`` or ``|``
blocks. PyYAML's C parser builds a node and two marks for every one of those values, and that
was most of ``portfolio check`` on a large portfolio. This module reads that shape directly.

It is not a second YAML dialect. It only answers when the text is inside a narrow subset where
YAML has one obvious reading, and it returns None for anything else (a comment after a value,
an anchor, a tag, an escape, a scalar over several lines, a tab, a duplicate key, anything
malformed), and then PyYAML reads the file as before, with its own errors. Values are typed by
the same resolvers, and built by PyYAML's own constructors. ``tests/test_yamlplain.py`` checks
that both readings agree, value by value and line by line, on every shape it accepts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from .yamlread import _STR_TAG, LineMap, PathKey, _plain_tag

#: A row: its indent, a list's dash, a key as records write them (then ': ' or the row's end),
#: and the rest. (PyYAML allows a key up to 1,024 characters; a longer one is left to it.)
_ROW = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|$))?(.*)$", re.MULTILINE)
#: Characters that are not YAML-printable, or are line breaks to YAML but not to ``str.split``,
#: or are tabs (which YAML treats differently in indentation and in text): PyYAML reads those.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: A value starting with one of these is quoted, flow, a block, or has a meaning in YAML; only
#: ``-`` followed by text (``-5``) can still be a plain scalar.
_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)' *")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)" *')
_BLOCK_HEADER = re.compile(r"([|>])(-?) *")
#: An item of a one-line flow list or mapping: plain text with none of the flow indicators.
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_.()/+][A-Za-z0-9_.()/+ -]*")
_FLOW_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +([A-Za-z0-9_.()/+][A-Za-z0-9_.()/+ -]*)")


class _NotPlain(Exception):
    """The text is outside the plain shape: PyYAML reads it instead."""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@lru_cache(maxsize=1024)
def _typed(tag: str, text: str) -> Any:
    """A plain scalar that is not text (a number, true/false, null), built as PyYAML builds it.
    Every such value is immutable, so one built value serves every record that writes it."""
    construct = _CONSTRUCTOR.yaml_constructors.get(tag)
    if construct is None:
        raise _NotPlain  # '<<' or '=': PyYAML's reading says why it is not a value
    try:
        return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (yaml.YAMLError, ValueError, TypeError):
        raise _NotPlain from None


def read(text: str, line_offset: int) -> tuple[Any, LineMap] | None:
    """The front matter's value and lines, exactly as :func:`yamlread.parse` gives them, or None
    when the text is not in the plain shape."""
    if _UNUSUAL.search(text):
        return None
    try:
        return _read(text, line_offset)
    except _NotPlain:
        return None


def _read(text: str, line_offset: int) -> tuple[Any, LineMap]:
    """One pass over the rows, each cut up by one regular expression into its indent, a list's
    dash, a key and the rest, with the open mappings and lists on a stack."""
    lines = LineMap(base=line_offset)
    at, values, raw = lines.lines, lines.values, lines.raw
    texts = text.split("\n")
    root: dict[str, Any] = {}
    # The innermost open mapping or list: its column, itself, its path, and whether a mapping.
    top_column, container, path, is_map = 0, root, (), True
    stack: list[tuple[int, Any, PathKey, bool]] = []  # the ones around it
    pending: tuple[dict[str, Any], str, PathKey, int] | None = None  # 'key:' with its value below
    scalar_column = -1  # a one-line value's column: a deeper row below it would continue it
    skip_to = 0  # the row after a block scalar
    first = line_offset + 1  # a row's index plus this is its line in the file
    for row, (indent, dash, key, rest) in enumerate(_ROW.findall(text)):
        if row < skip_to:
            continue
        if not key and not dash:
            if not rest or rest[0] == "#":
                continue  # blank, or a comment (which ends a value above, whatever its indent)
            raise _NotPlain  # text alone on a row: a value over several rows, or an error
        column = len(indent)
        if column > scalar_column >= 0:
            raise _NotPlain  # it would continue the value above (or be an error)
        if pending is not None:
            owner, name, pending_path, key_column = pending
            pending = None
            if column > key_column or (column == key_column and dash):
                child: Any = [] if dash else {}
                owner[name] = values[pending_path] = child
                stack.append((top_column, container, path, is_map))
                top_column, container, path, is_map = column, child, pending_path, not dash
            else:
                owner[name] = values[pending_path] = _plain("", pending_path, raw)  # null
        while top_column > column or (top_column == column and not is_map and not dash):
            if not stack:
                raise _NotPlain
            top_column, container, path, is_map = stack.pop()
        if top_column != column:
            raise _NotPlain  # an indent that opens nothing and closes nothing
        if dash:
            if is_map:
                raise _NotPlain  # a list item where a key should be
            child_path = (*path, len(container))
            at[child_path] = row + first
            if not key:
                if not rest:
                    raise _NotPlain  # a dash alone: its value is on the rows below
                if rest[0] in _NOT_PLAIN:
                    value, skip_to, scalar_column = _inline(rest, row, column, child_path, texts, lines, first)
                else:
                    value, scalar_column = _plain(rest, child_path, raw), column
                container.append(value)
                values[child_path] = value
                continue
            item: dict[str, Any] = {}
            container.append(item)
            values[child_path] = item
            stack.append((top_column, container, path, is_map))
            top_column, container, path = column + len(dash), item, child_path
            is_map = True
        if key in container:
            raise _NotPlain  # PyYAML's reading reports the key given twice
        child_path = (*path, key)
        at[child_path] = row + first
        if not rest:
            pending = (container, key, child_path, top_column)
            scalar_column = -1
            continue
        if rest[0] in _NOT_PLAIN:
            value, skip_to, scalar_column = _inline(rest, row, top_column, child_path, texts, lines, first)
        else:  # most values: plain text on the key's row
            value, scalar_column = _plain(rest, child_path, raw), top_column
        container[key] = values[child_path] = value
    if pending is not None:
        owner, name, pending_path, _ = pending
        owner[name] = values[pending_path] = _plain("", pending_path, raw)
    if not root:
        raise _NotPlain  # nothing but comments: PyYAML's reading says the front matter is empty
    lines.root = root
    return root, lines


def _inline(rest: str, row: int, column: int, path: PathKey, texts: list[str], lines: LineMap,
            first: int) -> tuple[Any, int, int]:
    """The value written after ``key:`` or ``-`` on ``row``, whose key or dash is at ``column``:
    the value, the next row to read, and the column a deeper row must not follow (-1: none)."""
    start = rest[0]
    if start == "'":
        match = _SINGLE_QUOTED.fullmatch(rest)
        if match is None:
            raise _NotPlain
        return match.group(1).replace("''", "'"), row + 1, column
    if start == '"':
        match = _DOUBLE_QUOTED.fullmatch(rest)
        if match is None:
            raise _NotPlain
        return match.group(1), row + 1, column
    if start == "[":
        return _flow_list(rest, row + first, path, lines), row + 1, column
    if start == "{":
        return _flow_mapping(rest, row + first, path, lines), row + 1, column
    if start == "|" or start == ">":
        text, end = _block_scalar(rest, row, column, texts)
        return text, end, -1
    if start != "-" or rest[1:2] in ("", " "):
        raise _NotPlain  # an indicator PyYAML gives a meaning to
    return _plain(rest, path, lines.raw), row + 1, column


def _plain(rest: str, path: PathKey, raw: dict[PathKey, str]) -> Any:
    """A plain scalar that is all of ``rest`` (less trailing blanks): text, or typed as PyYAML's
    safe loader types it (dates stay text). Empty is null."""
    text = rest.rstrip(" ")
    if text:
        if " #" in text or ": " in text or text[-1] == ":":
            raise _NotPlain  # a comment, or a mapping where a value should be
        if " " in text:
            return text  # never typed: see _plain_tag
    tag = _plain_tag(text)
    if tag == _STR_TAG:
        return text
    raw[path] = text
    return _typed(tag, text)


def _flow_list(rest: str, line: int, path: PathKey, lines: LineMap) -> list[Any]:
    """``[a, b]`` on one line, of plain items with no flow indicators in them."""
    body = rest.rstrip(" ")
    if body[-1] != "]":
        raise _NotPlain
    inner = body[1:-1]
    if not inner.strip(" "):
        return []
    items = []
    for index, part in enumerate(inner.split(",")):
        text = part.strip(" ")
        if not _FLOW_ITEM.fullmatch(text):
            raise _NotPlain
        child = (*path, index)
        lines.lines[child] = line
        items.append(value := _plain(text, child, lines.raw))
        lines.values[child] = value
    return items


def _flow_mapping(rest: str, line: int, path: PathKey, lines: LineMap) -> dict[str, Any]:
    """``{date: 2026-01-31, value: 35}`` on one line, of plain keys and values."""
    body = rest.rstrip(" ")
    if body[-1] != "}":
        raise _NotPlain
    inner = body[1:-1]
    if not inner.strip(" "):
        return {}
    result: dict[str, Any] = {}
    for part in inner.split(","):
        match = _FLOW_PAIR.fullmatch(part.strip(" "))
        if match is None or match.group(1) in result:
            raise _NotPlain
        key, text = match.group(1), match.group(2)
        child = (*path, key)
        lines.lines[child] = line
        result[key] = lines.values[child] = _plain(text, child, lines.raw)
    return result


def _block_scalar(rest: str, row: int, column: int, texts: list[str]) -> tuple[str, int]:
    """``|`` or ``>``, with or without ``-``, over the rows below that are deeper than
    ``column``: the text and the row after it."""
    header = _BLOCK_HEADER.fullmatch(rest)
    if header is None:
        raise _NotPlain  # keep (+), an indentation digit, or a comment
    folded, strip = header.group(1) == ">", header.group(2)
    first = row + 1
    if first >= len(texts) or not texts[first].strip(" "):
        raise _NotPlain  # leading blank lines, or an empty block
    block = len(texts[first]) - len(texts[first].lstrip(" "))
    if block <= column:
        raise _NotPlain
    body: list[str] = []
    end = first
    while end < len(texts):
        line = texts[end]
        if not line.strip(" "):
            if len(line) > block:
                raise _NotPlain  # spaces beyond the block's indent are text in YAML
            body.append("")
        elif len(line) - len(line.lstrip(" ")) >= block:
            if folded and line[block] == " ":
                raise _NotPlain  # a more-indented line is kept as it is in a folded block
            body.append(line[block:])
        else:
            break
        end += 1
    last = end - 1  # the row of the last text: followed by a line break unless it ends the text
    while not body[-1]:
        body.pop()
        last -= 1
    if not folded:
        text = "\n".join(body)
    else:
        text, blank = body[0], 0
        for line in body[1:]:
            if not line:
                blank += 1
                continue
            text += ("\n" * blank if blank else " ") + line
            blank = 0
    return (text if strip or last == len(texts) - 1 else text + "\n"), end
