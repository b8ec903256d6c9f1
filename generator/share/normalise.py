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
#: Combining marks left after NFKC (it composes the accents that have a letter of their own):
#: strike-throughs and stacked marks over a word do not hide it from a reader.
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212"  # what NFKC leaves of dashes and minus signs
#: Cyrillic and Greek letters drawn like Latin ones: ``Thrеlfall`` with a Cyrillic 'е' is read as
#: ``Threlfall``.
_LOOKALIKES = {
    **dict(zip("аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅ", "aeopcyxijsdqwABEKMHOPCTXIJS")),
    **dict(zip("οκνΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "okvABEZHIKMNOPTYX")),
}
# (Each pattern starts with a character class or a literal, never a repeat, an alternation or a
# look-behind: the regex engine then skips ahead quickly over megabytes of pages.)
_UNSEEN_CHARS = f"{_INVISIBLE}{_DIGITS}{_MARKS}{_DASH_CHARS}{''.join(_LOOKALIKES)}"
_UNSEEN = re.compile(f"[{_UNSEEN_CHARS}]")
_UNSEEN_ASTRAL = re.compile(f"[{_UNSEEN_CHARS}{_INVISIBLE_ASTRAL}{_DIGITS_ASTRAL}]")
#: Right-to-left override: what follows it (to the pop or the line's end) is shown reversed.
_OVERRIDE = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n]*)(?:\u202c|(?=\n)|$)")
#: White space other than a space or a line break; then runs of spaces inside a line (not the
#: indentation that starts one).
_ODD_SPACE = re.compile(r"[^\S \n]")
_ODD_SPACES = "\t\r\f\v\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029"  # what NFKC leaves of them
_SPACE_RUN = re.compile(r" (?<=\S ) +")
#: The character references ``html.unescape`` decodes (its own pattern).
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
#: A run of characters NFKC may change, with the character before it (a combining mark joins it).
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
#: Tags a browser shows with no space around them: what they split, a reader reads as one word.
_INLINE_NAMES = (
    r"(?:a(?:bbr)?|b(?:d[io])?|c(?:ite|ode)|d(?:ata|el|fn)|em|font|i(?:ns)?|kbd|mark|q|"
    r"s(?:amp|mall|pan|trike|trong|u[bp])?|t(?:ime|t)|u|var|wbr)(?![\w:-])"
)
_INLINE_TAG = re.compile(rf"</?{_INLINE_NAMES}[^<>\n]*>")
_INLINE_TAG_ANY_CASE = re.compile(rf"</?(?i:{_INLINE_NAMES})[^<>\n]*>")
_UPPER_TAG = re.compile(r"</?[A-Z]")
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
    """An invisible character or a combining mark as nothing, another script's digit as 0-9, a
    dash as '-', a Latin look-alike as the Latin letter."""
    found = match.group(0)
    digit = unicodedata.decimal(found, None)
    if digit is not None:
        return str(digit)
    if found in _DASH_CHARS:
        return "-"
    return _LOOKALIKES.get(found, "")


def _reversed(match: re.Match[str]) -> str:
    return match.group(1)[::-1]


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
    """Entities and %-escapes undone (twice more if that shows more of them), NFKC, invisible
    characters removed, other scripts' digits as 0-9, dashes as '-'. Tags, markers and white
    space as they are (see :func:`_tidied`)."""
    for _ in range(3):
        before = text
        if "&" in text:
            text = _sub(_CHARREF, _entity, text, steps)
        if "%" in text:
            text = _sub(_PERCENT, _percent, text, steps)
        if text == before:
            break
    if not text.isascii():
        if "\u202e" in text:
            text = _sub(_OVERRIDE, _reversed, text, steps)
        if steps is None:
            text = unicodedata.normalize("NFKC", text)  # as below, but in one call
        else:
            text = _sub(_NON_ASCII, _nfkc, text, steps)
        if not text.isascii():
            astral = len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)
            text = _sub(_UNSEEN_ASTRAL if astral else _UNSEEN, _unseen, text, steps)
    return text


def _tidied(text: str, steps: list[list[Edit]] | None) -> str:
    """Emphasis and code markers touching a letter or digit dropped; white space as single spaces."""
    if "\\" in text:
        text = _sub(_ESCAPED_MARKER, "", text, steps)
    text = _sub(_MARKERS, "", text, steps)
    if any(space in text for space in _ODD_SPACES):
        text = _sub(_ODD_SPACE, " ", text, steps)
    return _sub(_SPACE_RUN, " ", text, steps) if "  " in text else text


def _without_tags(text: str, steps: list[list[Edit]] | None) -> str:
    """Tags dropped: inline ones with nothing in their place, others with a space; a comment's
    markers dropped (its words are published bytes, and it joins what is either side)."""
    text = _sub(_INLINE_TAG_ANY_CASE if _UPPER_TAG.search(text) else _INLINE_TAG, "", text, steps)
    if "<!--" in text or "-->" in text:
        text = _sub(_COMMENT, "", text, steps)
    text = _sub(_OTHER_TAG, " ", text, steps)
    if "<" in text:
        text = _sub(_LONG_TAG, _long_tag, text, steps)
    return text


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
    return _tidied(_without_tags(decoded, None) if "<" in decoded else decoded, None)


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
    both: list[list[Edit]] | None = list(steps) if steps is not None else None
    kept = _tidied(decoded, steps)
    found = [_view(kept, steps) if steps is not None else View(kept)]
    if "<" in decoded:
        plain = _tidied(_without_tags(decoded, both), both)
        if plain != kept:
            found.append(_view(plain, both) if both is not None else View(plain))
    return found


def page_readings(text: str) -> tuple[str, str, str]:
    """What the last look reads of a built file, quickly: the text with its tags dropped (as
    :func:`normalise_for_guard`), its attribute values one a line (``href="mailto:..."``,
    ``title``, ``data-*``: what a page holds beside its text), and the decoded text they were
    taken from (to find an attribute's line)."""
    if not _NEEDS_WORK.search(text):
        return text, "", text
    decoded = _decoded(text, None)
    if "<" not in decoded:
        return _tidied(decoded, None), "", decoded
    values = "\n".join(value for pattern in _ATTRIBUTE_VALUES for value in pattern.findall(decoded))
    return _tidied(_without_tags(decoded, None), None), _tidied(values, None), decoded
