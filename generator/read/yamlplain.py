"""Front matter in the plain block shape, read line by line: the same answer as PyYAML, faster.

Nearly every record is written the same way: ``key: value`` rows, lists of ``- key: value``,
one-line flow lists such as ``[safe-environments, governance]``, text quoted or not (wrapped
over several rows, as ``yaml.safe_dump`` writes long text), and ``>-`` or ``|`` blocks. PyYAML's
C parser builds a node and two marks for every one of those values, and that was most of
``portfolio check`` on a large portfolio. This module reads that shape directly.

It is not a second YAML dialect. It only answers where YAML has one obvious reading, and it
returns None for anything else: a comment after a value, an anchor or alias, a tag, a tab, a
key given twice, a flow list over several rows, a block with a keep or indentation indicator,
anything malformed. PyYAML then reads the file as before, and reports its problems as before.
Values are typed by PyYAML's own resolvers and built by its own constructors, and escapes are
decoded as it decodes them. ``tests/read/test_yamlplain.py`` checks that both readings agree, value
by value and line by line, on every shape this one accepts.

Measured against the alternatives (``benchmarks/front_matter.py``, figures in benchmarks/README.md):
at 10,000 actions it reads 17,203 front matters in about 1.5 to 1.9 s against 2.7 to 3.4 s for
PyYAML's C loader alone; a content-keyed cache is slower than PyYAML on a first run, and
ruamel.yaml (which keeps lines) is twenty times slower than PyYAML.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from .yamlbase import STR_TAG, LineMap, PathKey, plain_tag

#: A row: its indent, a list's dash, a key as records write them (then ': ' or the row's end),
#: and the rest. (PyYAML allows a key up to 1,024 characters; a longer one is left to it.)
_ROW = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]{0,200}):(?: +|$))?(.*)$", re.MULTILINE)
#: Characters that are not YAML-printable, or are line breaks to YAML but not to ``str.split``,
#: or are tabs (which YAML treats differently in indentation and in text): PyYAML reads those.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: A value starting with one of these is quoted, flow, a block, or has a meaning in YAML; only
#: ``-`` followed by text (``-5``) can still be a plain scalar.
_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: Quoted text: the inside of a row with no closing quote, and the end of a row that closes it.
#: Possessive (``++``, ``*+``): a run of text is never split again when a match fails.
_SINGLE_INSIDE = re.compile(r"(?:[^']++|'')*+")
_SINGLE_END = re.compile(r"((?:[^']++|'')*+)' *")
_DOUBLE_INSIDE = re.compile(r'(?:[^"\\]++|\\.)*+\\?')
_DOUBLE_END = re.compile(r'((?:[^"\\]++|\\.)*+)" *')
#: The escapes of double-quoted text, decoded as PyYAML decodes them.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}
_BLOCK_HEADER = re.compile(r"([|>])(-?) *")
#: An entry of a one-line flow list or mapping, then a comma or the end: a key (in a mapping),
#: and quoted text or plain text with none of the flow indicators.
_FLOW_ENTRY = re.compile(
    r" *(?:([A-Za-z_][A-Za-z0-9_-]*): +)?"
    r"""(?:'((?:[^']++|'')*+)'|"((?:[^"\\]++|\\.)*+)"|([A-Za-z0-9_.()/+][A-Za-z0-9_.()/+ -]*?)) *(,|$)"""
)


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
    container: Any = root
    path: PathKey = ()
    top_column, is_map = 0, True
    stack: list[tuple[int, Any, PathKey, bool]] = []  # the ones around it
    pending: tuple[dict[str, Any], str, PathKey, int] | None = None  # 'key:' with its value below
    scalar_column = -1  # a one-line value's column: a deeper row below it would continue it
    # The last value, when plain text that a deeper row of text may continue: where it is held,
    # its path, and its text so far. Blank rows before such a row count as line breaks.
    last_plain: tuple[Any, Any, PathKey, str] | None = None
    blanks = 0
    skip_to = 0  # the row after a block scalar
    first = line_offset + 1  # a row's index plus this is its line in the file
    for row, (indent, dash, key, rest) in enumerate(_ROW.findall(text)):
        if row < skip_to:
            continue
        if not key and not dash:
            if not rest:
                blanks += 1
                continue
            if rest[0] == "#":
                last_plain = None  # a comment ends the value above, whatever its indent
                continue
            if last_plain is None or len(indent) <= scalar_column:
                raise _NotPlain  # text alone on a row, not continuing a value: an error
            last_plain = _continued(last_plain, rest, blanks, values, raw)
            blanks = 0
            continue
        blanks = 0
        last_plain = None
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
                owner[name] = values[pending_path] = _scalar("", pending_path, raw)  # null
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
                    last_plain = (container, len(container), child_path, rest)
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
            last_plain = (container, key, child_path, rest)
        container[key] = values[child_path] = value
    if pending is not None:
        owner, name, pending_path, _ = pending
        owner[name] = values[pending_path] = _scalar("", pending_path, raw)
    if not root:
        raise _NotPlain  # nothing but comments: PyYAML's reading says the front matter is empty
    lines.root = root
    return root, lines


def _inline(rest: str, row: int, column: int, path: PathKey, texts: list[str], lines: LineMap,
            first: int) -> tuple[Any, int, int]:
    """The value written after ``key:`` or ``-`` on ``row``, whose key or dash is at ``column``:
    the value, the next row to read, and the column a deeper row must not follow (-1: none)."""
    start = rest[0]
    if start == "'" or start == '"':
        double = start == '"'
        match = (_DOUBLE_END if double else _SINGLE_END).fullmatch(rest, 1)
        if match is not None:
            text = _unescape(match.group(1)) if double else match.group(1).replace("''", "'")
            return text, row + 1, column
        text, end = _quoted_rows(rest, row, column, texts, double)
        return text, end, column
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
    """A plain scalar that is all of ``rest`` (less trailing blanks). Empty is null."""
    text = rest.rstrip(" ")
    if text and (" #" in text or ": " in text or text[-1] == ":"):
        raise _NotPlain  # a comment, or a mapping where a value should be
    return _scalar(text, path, raw)


def _scalar(text: str, path: PathKey, raw: dict[PathKey, str]) -> Any:
    """Plain text, or typed as PyYAML's safe loader types it (dates stay text)."""
    if " " in text:
        return text  # never typed: see plain_tag
    tag = plain_tag(text)
    if tag == STR_TAG:
        return text
    raw[path] = text
    return _typed(tag, text)


def _continued(last: tuple[Any, Any, PathKey, str], rest: str, blanks: int, values: dict[PathKey, Any],
               raw: dict[PathKey, str]) -> tuple[Any, Any, PathKey, str]:
    """A plain value continued on a deeper row: the rows are joined by a space, or by a line
    break for each blank row between them, as YAML folds them."""
    container, slot, path, text = last
    piece = rest.rstrip(" ")
    if piece[0] in ":?" or " #" in piece or ": " in piece or piece[-1] == ":":
        raise _NotPlain
    text = text.rstrip(" ") + ("\n" * blanks if blanks else " ") + piece
    raw.pop(path, None)
    container[slot] = values[path] = _scalar(text, path, raw)  # each row was checked as it came
    return container, slot, path, text


def _unescape(text: str) -> str:
    """The escapes of double-quoted text; one PyYAML does not know is left to it to report."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        number = int(code[1:], 16)
        if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
            raise _NotPlain
        return chr(number)
    if code not in _ESCAPES:
        raise _NotPlain
    return _ESCAPES[code]


def _quoted_rows(rest: str, row: int, column: int, texts: list[str], double: bool) -> tuple[str, int]:
    """Quoted text over several rows, each deeper than ``column``: rows are joined by a space,
    or by a line break for each blank row between them (in double quotes, a row ending in a
    backslash joins the next with nothing). Returns the text and the row after it."""
    inside, end = (_DOUBLE_INSIDE, _DOUBLE_END) if double else (_SINGLE_INSIDE, _SINGLE_END)
    first = rest[1:]
    if inside.fullmatch(first) is None:
        raise _NotPlain  # a closing quote with something after it
    pieces = [first]
    gaps: list[int] = []  # blank rows before each row after the first
    blanks = 0
    at = row + 1
    while True:
        if at >= len(texts):
            raise _NotPlain  # never closed: PyYAML says so
        line = texts[at]
        content = line.lstrip(" ")  # trailing blanks stay until the rows are joined: '\\ ' is text
        if not content:
            blanks += 1
            at += 1
            continue
        if len(line) - len(content) <= column:
            raise _NotPlain
        gaps.append(blanks)
        blanks = 0
        closing = end.fullmatch(content)
        if closing is not None:
            pieces.append(closing.group(1))
            break
        if inside.fullmatch(content) is None:
            raise _NotPlain
        pieces.append(content)
        at += 1
    text = ""
    for index, piece in enumerate(pieces):
        if index < len(pieces) - 1:
            trimmed = piece.rstrip(" ")
            if double and trimmed.endswith("\\") and (len(trimmed) - len(trimmed.rstrip("\\"))) % 2:
                if trimmed != piece or gaps[index]:
                    raise _NotPlain  # an escaped space or a blank row at an escaped line break
                text += _unescape(trimmed[:-1])
                continue  # an escaped line break: the next row follows with nothing between
            piece = trimmed
        text += _unescape(piece) if double else piece.replace("''", "'")
        if index < len(pieces) - 1:
            text += "\n" * gaps[index] if gaps[index] else " "
    return text, at + 1


def _flow_list(rest: str, line: int, path: PathKey, lines: LineMap) -> list[Any]:
    """``[a, 'b']`` on one line."""
    return [value for _, value in _flow_entries(rest, "]", line, path, lines)]


def _flow_mapping(rest: str, line: int, path: PathKey, lines: LineMap) -> dict[str, Any]:
    """``{date: '2026-01-31', value: 35}`` on one line."""
    result: dict[str, Any] = {}
    for key, value in _flow_entries(rest, "}", line, path, lines):
        if key in result:
            raise _NotPlain
        result[key] = value
    return result


def _flow_entries(rest: str, close: str, line: int, path: PathKey, lines: LineMap) -> list[tuple[Any, Any]]:
    """The entries of a one-line flow list (``close`` is ``]``) or mapping (``}``), each
    (its key or position, its value), with the values and lines of their paths."""
    body = rest.rstrip(" ")
    if body[-1] != close:
        raise _NotPlain  # over several rows, or something after it
    inner = body[1:-1]
    entries: list[tuple[Any, Any]] = []
    if not inner.strip(" "):
        return entries
    mapping = close == "}"
    at = 0
    while True:
        match = _FLOW_ENTRY.match(inner, at)
        if match is None or (match.group(1) is None) == mapping:
            raise _NotPlain  # anything else, or a key where there should be none (or none where one should be)
        name = match.group(1) if mapping else len(entries)
        child = (*path, name)
        lines.lines[child] = line
        single, double, plain = match.group(2), match.group(3), match.group(4)
        if single is not None:
            value: Any = single.replace("''", "'")
        elif double is not None:
            value = _unescape(double)
        else:
            value = _plain(plain, child, lines.raw)
        lines.values[child] = value
        entries.append((name, value))
        at = match.end()
        if not match.group(5):
            if at != len(inner):
                raise _NotPlain
            return entries
        if at == len(inner):
            raise _NotPlain  # a comma with nothing after it: PyYAML's to read


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
