"""Text as a reader sees it, for the personal-data guard and redaction.

A share must not publish an NHS number or a redaction term just because it was written in a
disguise a browser, a search index or a reader sees straight through: ``943&nbsp;476&nbsp;5919``,
``&#57;434765919``, ``943**4765919**``, ``943<em>4765919</em>``, ``jo.bloggs&#64;example.org``,
``mailto:jo%40example.org``, ``Thr\\u200belfall``. :func:`normalise_for_guard` undoes all of these
at once; the guard and the redaction rules search its result, and the terms they search for are
normalised the same way.

Every step keeps the line breaks of the text, in order (a decoded ``&#10;`` becomes a space), so
a line counted in the normalised text is the line in the file. :func:`views` also gives the way
back from an offset in a view to the text it came from, so a disguised term can be rewritten in
place.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote

#: Characters with no width or appearance (Unicode's default-ignorable code points): zero-width
#: spaces and joiners, the word joiner, byte order mark, soft hyphen, direction marks and
#: invisible operators. A reader does not see them, so the guard does not either.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0"
)
_INVISIBLE_ASTRAL = "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
#: Decimal digits of other scripts (NFKC leaves them): read as 0-9, so ``[0-9]`` finds them.
_DIGITS = (
    "\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
    "\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59"
    "\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f"
    "\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59"
    "\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9"
)
_DIGITS_ASTRAL = (
    "\U000104a0-\U000104a9\U00010d30-\U00010d39\U00011066-\U0001106f\U000110f0-\U000110f9"
    "\U00011136-\U0001113f\U000111d0-\U000111d9\U000112f0-\U000112f9\U00011450-\U00011459"
    "\U000114d0-\U000114d9\U00011650-\U00011659\U000116c0-\U000116c9\U00011730-\U00011739"
    "\U000118e0-\U000118e9\U00011950-\U00011959\U00011c50-\U00011c59\U00011d50-\U00011d59"
    "\U00011da0-\U00011da9\U00016a60-\U00016a69\U00016ac0-\U00016ac9\U00016b50-\U00016b59"
    "\U0001e140-\U0001e149\U0001e2f0-\U0001e2f9\U0001e950-\U0001e959\U0001fbf0-\U0001fbf9"
)
# (Each pattern starts with a character class or a literal, never a repeat, an alternation or a
# look-behind: the regex engine then skips ahead quickly over megabytes of pages.)
_UNSEEN = re.compile(f"[{_INVISIBLE}{_DIGITS}]")
_UNSEEN_ASTRAL = re.compile(f"[{_INVISIBLE}{_INVISIBLE_ASTRAL}{_DIGITS}{_DIGITS_ASTRAL}]")
_DASHES = re.compile("[\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d]")
#: White space other than a space or a line break; then runs of spaces.
_ODD_SPACE = re.compile(r"[^\S \n]")
_ODD_SPACES = "\t\r\f\v\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029"  # what NFKC leaves of them
_SPACE_RUN = re.compile(r"  +")
#: The character references ``html.unescape`` decodes (its own pattern).
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
#: A run of characters NFKC may change, with the character before it (a combining mark joins it).
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
#: Tags a browser shows with no space around them: what they split, a reader reads as one word.
_INLINE = (
    "a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike|"
    "strong|sub|sup|time|tt|u|var|wbr"
)
_INLINE_TAG = re.compile(rf"</?(?i:{_INLINE})(?![\w:-])[^<>\n]*>")
_COMMENT = re.compile(r"<!--|-->")  # a comment's words are in the file: kept, its markers dropped
_OTHER_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_LONG_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # a tag over several lines
_ATTRIBUTE_VALUES = (re.compile(r'="([^"\n]*)"'), re.compile(r"='([^'\n]*)'"), re.compile(r"""=([^\s"'<>=`]+)"""))
#: Markdown emphasis and code markers touching a letter or digit (``943**4765919**``), and the
#: backslash that escapes one.
_ESCAPED_MARKER = re.compile(r"\\(?=[*_~`])")
_MARKERS = re.compile(r"[*_~`](?:(?<=[^\W_][*_~`])[*_~`]*|[*_~`]*(?=[^\W_]))")
#: What a text without any of these needs no work: printable ASCII, line breaks, single spaces.
_NEEDS_WORK = re.compile(r"[^\n -~]|[&%<*_~`\\]|  ")

Edit = tuple[int, int, int]  # (start, end) in a step's input, and the length of what replaced it


def _entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0)).replace("\n", " ").replace("\r", " ")


def _percent(match: re.Match[str]) -> str:
    return unquote(match.group(0)).replace("\n", " ").replace("\r", " ")


def _unseen(match: re.Match[str]) -> str:
    """An invisible character as nothing, another script's digit as 0-9."""
    digit = unicodedata.decimal(match.group(0), None)
    return "" if digit is None else str(digit)


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group(0))


def _long_tag(match: re.Match[str]) -> str:
    return " " + "\n" * match.group(0).count("\n")


def _sub(pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str], text: str, steps: list[list[Edit]] | None) -> str:
    """``pattern.sub``, noting what changed where when ``steps`` is given."""
    if steps is None:
        return pattern.sub(replacement, text)
    edits: list[Edit] = []
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        new = replacement(match) if callable(replacement) else replacement
        if new == match.group(0):
            continue
        pieces.append(text[position:match.start()])
        pieces.append(new)
        edits.append((match.start(), match.end(), len(new)))
        position = match.end()
    if not edits:
        return text
    pieces.append(text[position:])
    steps.append(edits)
    return "".join(pieces)


def _decoded(text: str, steps: list[list[Edit]] | None) -> str:
    """Entities and %-escapes undone (twice more if that shows more of them), invisible
    characters removed, NFKC, other scripts' digits as 0-9, dashes as '-', emphasis markers
    inside words dropped, white space as single spaces. HTML tags are kept."""
    for _ in range(3):
        before = text
        if "&" in text:
            text = _sub(_CHARREF, _entity, text, steps)
        if "%" in text:
            text = _sub(_PERCENT, _percent, text, steps)
        if text == before:
            break
    if not text.isascii():
        for _ in range(2):  # NFKC may make an invisible character (from a compatibility form of one)
            astral = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)
            text = _sub(_UNSEEN_ASTRAL if astral else _UNSEEN, _unseen, text, steps)
            before = text
            if steps is None:
                text = unicodedata.normalize("NFKC", text)  # as below, but in one call
            else:
                text = _sub(_NON_ASCII, _nfkc, text, steps)
            if text == before or text.isascii():
                break
        text = _sub(_DASHES, "-", text, steps)
    return _tidied(text, steps)


def _tidied(text: str, steps: list[list[Edit]] | None) -> str:
    if "\\" in text:
        text = _sub(_ESCAPED_MARKER, "", text, steps)
    text = _sub(_MARKERS, "", text, steps)
    if any(space in text for space in _ODD_SPACES):
        text = _sub(_ODD_SPACE, " ", text, steps)
    return _sub(_SPACE_RUN, " ", text, steps) if "  " in text else text


def _without_tags(text: str, steps: list[list[Edit]] | None) -> str:
    """Tags dropped: inline ones with nothing in their place, others with a space; a comment's
    markers dropped (its words are published bytes, and it joins what is either side)."""
    text = _sub(_INLINE_TAG, "", text, steps)
    if "<!--" in text or "-->" in text:
        text = _sub(_COMMENT, "", text, steps)
    text = _sub(_OTHER_TAG, " ", text, steps)
    if "<" in text:
        text = _sub(_LONG_TAG, _long_tag, text, steps)
    return _tidied(text, steps)


def needs_normalising(text: str) -> bool:
    """Whether :func:`normalise_for_guard` could change ``text`` at all (a quick look)."""
    return _NEEDS_WORK.search(text) is not None


def normalise_for_guard(text: str) -> str:
    """``text`` as a reader sees it: entities and %-escapes decoded, NFKC, no invisible
    characters, Unicode spaces and dashes as plain ones, Markdown markers inside words and HTML
    tags dropped. Line breaks are kept, in order."""
    if not _NEEDS_WORK.search(text):
        return text
    decoded = _decoded(text, None)
    return _without_tags(decoded, None) if "<" in decoded else decoded


@dataclass
class View:
    """One normalised reading of a text, and the way back to the text's own offsets."""

    text: str
    steps: tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]], ...] = ()

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` was made from."""
        for in_starts, in_ends, out_starts, out_ends in reversed(self.steps):
            i = bisect_right(out_starts, start) - 1
            if i >= 0:
                start = in_starts[i] if start < out_ends[i] else in_ends[i] + start - out_ends[i]
            j = bisect_left(out_starts, end) - 1
            if j >= 0:
                end = in_ends[j] if end <= out_ends[j] else in_ends[j] + end - out_ends[j]
            end = max(start, end)
        return start, end


def _view(text: str, steps: list[list[Edit]]) -> View:
    indexed = []
    for edits in steps:
        in_starts, in_ends, out_starts, out_ends = [], [], [], []
        shift = 0
        for start, end, length in edits:
            in_starts.append(start)
            in_ends.append(end)
            out_starts.append(start + shift)
            out_ends.append(start + shift + length)
            shift += length - (end - start)
        indexed.append((tuple(in_starts), tuple(in_ends), tuple(out_starts), tuple(out_ends)))
    return View(text, tuple(indexed))


def views(text: str, *, mapped: bool = False) -> list[View]:
    """The readings the guard searches: decoded with tags kept (an address in an attribute), and
    decoded with tags dropped (a number split by ``<em>``); one when they are the same. With
    ``mapped``, each knows its way back to ``text``'s offsets."""
    if not _NEEDS_WORK.search(text):
        return [View(text)]
    steps: list[list[Edit]] | None = [] if mapped else None
    decoded = _decoded(text, steps)
    found = [_view(decoded, steps) if steps is not None else View(decoded)]
    if "<" in decoded:
        more: list[list[Edit]] | None = list(steps) if steps is not None else None
        plain = _without_tags(decoded, more)
        if plain != decoded:
            found.append(_view(plain, more) if more is not None else View(plain))
    return found


def attribute_values(markup: str) -> str:
    """Every attribute value of ``markup`` (quoted or not), one a line: what a page holds beside
    its text (``href="mailto:..."``, ``title``, ``data-*``), for a reading with the tags dropped."""
    return "\n".join(value for pattern in _ATTRIBUTE_VALUES if "=" in markup for value in pattern.findall(markup))
