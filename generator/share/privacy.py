"""What must never leave the provider in a share: redaction rules, the personal-data guard, and
the last look over every byte a share would publish.

Three independent tools, all plain functions over text:

- :class:`TextRules` rewrites one string the way a share publishes it: withheld records' ids and
  titles become ``[withheld]``, known staff names become their role (``owners: roles``), and every
  ``redact_terms`` entry becomes ``[redacted]``, in any case, wherever it appears. Line breaks are
  kept, so a line number in the rewritten text is the line in the file.
- :func:`~generator.share.personal.personal_data` (in :mod:`generator.share.personal`) finds NHS numbers
  (modulus 11 check digit), email addresses, UK phone numbers and dates of birth in a text; a
  share also reads the text as a reader sees it (:mod:`generator.share.normalise`).
- :func:`scan_output` reads every file of a built share (decompressing ``.gz``, undoing HTML,
  JSON and URL escapes) and reports anything :class:`TextRules` should have removed, any personal
  data the profile does not allow, and any page that would load something from another host.

Redaction terms, withheld ids and titles and staff names are searched for as written and, normalised
the same way, in the normalised text: a term split by a zero-width space or a soft hyphen, or a
withheld id written as a %-escaped page path, is still found, and rewritten where it stands.
"""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .normalise import needs_normalising, normalise_for_guard, page_readings, views
from .offsite import file_requests
from .personal import Allowed, one_line, personal_data

REDACTED = "[redacted]"
WITHHELD = "[withheld]"
#: The markers as a page, Markdown source or search index may carry them; taken out before a scan.
_MARKER_FORMS = tuple(form for marker in ("redacted", "withheld") for form in (f"\\[{marker}\\]", f"[{marker}]"))


# -- redaction ---------------------------------------------------------------------------------

def _phrase(text: str) -> str:
    """A phrase as a pattern: its words in order, any run of white space between them."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _keep_lines(replacement: str) -> Callable[[re.Match[str]], str]:
    """A replacement that keeps as many line breaks as the text it replaces."""
    def substitute(match: re.Match[str]) -> str:
        return replacement + "\n" * match.group(0).count("\n")
    return substitute


def _alternation(patterns: Iterable[tuple[str, str]], flags: int = 0, *, before: str = "", after: str = "") -> re.Pattern[str] | None:
    """One pattern for many phrases, longest first so the longest match wins."""
    ordered = sorted(dict(patterns).items(), key=lambda item: (-len(item[0]), item[0]))
    if not ordered:
        return None
    return re.compile(before + "(?:" + "|".join(pattern for _, pattern in ordered) + ")" + after, flags)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


#: After a withheld id: not more of an id (``EV-9a``, ``EV-9-2``, ``EV-9.2``), but its page or
#: source file may follow (``ev-9.html``, ``ev-9.md``): a page path names the record too.
_ID_AFTER = r"(?![\w-]|\.(?!(?:html?|md)(?!\w))\w)"
_PAGE_SUFFIX = re.compile(r"(?:html?|md)(?!\w)")


def _blank_markers(text: str) -> str:
    """The markers a rewrite leaves, as spaces of the same length (a term may be inside one)."""
    for marker in _MARKER_FORMS:
        if marker in text:
            text = text.replace(marker, " " * len(marker))
    return text


def shown(text: str) -> str:
    """Text for a one-line message: white space runs as one space, invisible characters escaped."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in " ".join(text.split()))


@dataclass
class TextRules:
    """How every string of a share is rewritten, and what must not survive in its output.

    ``terms``: ``redact_terms``, matched as substrings in any case (also inside words and ids).
    ``withheld_ids``/``withheld_titles``: records a share withholds (sensitive); an id is matched
    as a whole id, a title as a whole phrase, in any case.
    ``names``: staff name -> what replaces it (their role), used with ``owners: roles``. A name of
    two or more words is matched in any case; a one-word name only as written (``Will``, not
    ``will``).
    """

    terms: tuple[str, ...] = ()
    withheld_ids: tuple[str, ...] = ()
    withheld_titles: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        terms = [t.strip() for t in self.terms if t.strip()]
        self._terms = _alternation(((t, _phrase(t)) for t in terms), re.IGNORECASE)
        ids = _alternation(((i, re.escape(i)) for i in self.withheld_ids), re.IGNORECASE, before=r"(?<![\w.-])", after=_ID_AFTER)
        titles = _alternation(((t, _phrase(t)) for t in self.withheld_titles), re.IGNORECASE, before=r"(?<!\w)", after=r"(?!\w)")
        self._withheld = [p for p in (ids, titles) if p is not None]
        self._name_for = {_name_key(name): role for name, role in self.names.items()}
        several = [n for n in self.names if len(n.split()) > 1]
        single = [n for n in self.names if len(n.split()) == 1]
        self._names = [
            p for p in (
                _alternation(((n, _phrase(n)) for n in several), re.IGNORECASE, before=r"(?<!\w)", after=r"(?!\w)"),
                _alternation(((n, re.escape(n)) for n in single), 0, before=r"(?<!\w)", after=r"(?!\w)"),
            ) if p is not None
        ]

    @property
    def active(self) -> bool:
        return bool(self._terms or self._withheld or self._names)

    def text(self, value: str) -> str:
        """``value`` as a share publishes it: rewritten as written, then wherever a disguise hid
        something from that (see :meth:`_rewrite_hidden`)."""
        if not value:
            return value
        value = self._rewrite(value)
        if self.active:
            value = self._rewrite_hidden(value)
        return value

    def _rewrite(self, value: str) -> str:
        for pattern in self._withheld:
            value = pattern.sub(_keep_lines(WITHHELD), value)
        for pattern in self._names:
            value = pattern.sub(self._role_of, value)
        if self._terms is not None:
            value = self._terms.sub(_keep_lines(REDACTED), value)
        return value

    def _role_of(self, match: re.Match[str]) -> str:
        written = match.group(0)
        role = self._name_for.get(_name_key(written), "a member of staff")
        return role + "\n" * written.count("\n")

    def _rewrite_hidden(self, value: str) -> str:
        """What the patterns cannot see as written (``Thr\\u200belfall``, ``ev%2Dsecret.html``,
        ``Helen** Marsh``) is found in the normalised readings of ``value`` and rewritten in place:
        each hit's span is mapped back to the text it came from, and that text is replaced."""
        hidden = self._scanner(hidden=True)
        if not hidden.differs and not needs_normalising(value):
            return value
        for _ in range(3):
            if not any(True for view in views(value) for _ in hidden.spans(_blank_markers(view.text))):
                return value
            spans = [
                (*view.original(start, end), self._replacement(what, matched))
                for view in views(value, mapped=True)
                for start, end, what, matched in hidden.spans(_blank_markers(view.text))
            ]
            value = _replaced(value, spans)
        # still there after three rounds: publish the normalised reading, rewritten, instead
        plain = views(value)[-1].text
        return _replaced(plain, [(start, end, self._replacement(what, matched)) for start, end, what, matched in hidden.spans(_blank_markers(plain))])

    def _replacement(self, what: str, matched: str) -> str:
        if what == "a staff name":
            return self._scanner(hidden=True).roles.get(_name_key(matched), "a member of staff")
        return WITHHELD if what.startswith("a withheld") else REDACTED

    def term_in(self, value: str) -> str | None:
        """The redaction term ``value`` contains (as written or normalised), as written in
        ``redact_terms``, or None."""
        if self._terms is None:
            return None
        match = self._terms.search(value)
        if match:
            found = _name_key(match.group(0))
            return next((t for t in self.terms if _name_key(t) == found), match.group(0))
        hidden = self._scanner(hidden=True)
        for view in views(value):
            for _, _, what, matched in hidden.spans(view.text):
                if what == "the redaction term":
                    found = _name_key(matched)
                    return next((t for t in self.terms if _name_key(normalise_for_guard(t)) == found), matched)
        return None

    def leaks(self, value: str, *, normalised: bool = False) -> Iterator[tuple[int, str, str]]:
        """(offset, what, text) for everything in ``value`` that a share must not publish;
        ``normalised``: ``value`` is a normalised reading, searched for the normalised phrases."""
        for start, _, what, matched in self._scanner(hidden=normalised).spans(value):
            yield start, what, matched

    def _scanner(self, hidden: bool = False) -> "_Scanner":
        key = "_hidden_scanner_cache" if hidden else "_scanner_cache"
        scanner = self.__dict__.get(key)
        if scanner is None:
            scanner = _Scanner(self, normalise_for_guard if hidden else None)
            self.__dict__[key] = scanner
        return scanner


def _replaced(value: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``value`` with each (start, end) span replaced (overlapping spans as one, the first's
    replacement), keeping as many line breaks as each span held."""
    merged: list[list[Any]] = []
    for start, end, replacement in sorted(spans):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, replacement])
    pieces, position = [], 0
    for start, end, replacement in merged:
        pieces += [value[position:start], replacement + "\n" * value.count("\n", start, end)]
        position = end
    return "".join(pieces) + value[position:]


_ID_CHARS = re.compile(r"[\w.-]")


class _Scanner:
    """The checks of :meth:`TextRules.leaks`, fast enough for megabytes of built pages.

    One pass over the lower-cased text with a pattern that starts with literal text (so the
    regex engine can skip ahead), the word boundaries checked by hand on each match; one-word
    staff names are matched as written, on the text itself. With ``form`` (normalisation), the
    phrases are searched for as ``form`` makes them, in text made by ``form`` too.
    """

    def __init__(self, rules: TextRules, form: Callable[[str], str] | None = None):
        self.kinds: dict[str, tuple[str, str]] = {}  # lower-cased phrase -> (what, boundary)
        same = form or (lambda text: text)
        self.differs = False  # some phrase is not its own normal form
        self.roles = {_name_key(same(name)): role for name, role in rules.names.items()}
        def add(what: str, boundary: str, phrases: Iterable[str]) -> None:
            for phrase in phrases:
                formed = same(phrase)
                self.differs = self.differs or formed != phrase
                key = " ".join(formed.lower().split())
                if key:
                    self.kinds.setdefault(key, (what, boundary))
        add("the redaction term", "none", rules.terms)
        add("a withheld record's id or title", "id", rules.withheld_ids)
        add("a withheld record's id or title", "word", rules.withheld_titles)
        add("a staff name", "word", [n for n in rules.names if len(n.split()) > 1])
        ordered = sorted(self.kinds, key=lambda p: (-len(p), p))
        self.lower = re.compile("|".join(_phrase(p) for p in ordered)) if ordered else None
        single = sorted({same(n).strip() for n in rules.names if len(n.split()) == 1}, key=lambda n: (-len(n), n))
        self.single = re.compile("|".join(re.escape(n) for n in single)) if single else None

    def spans(self, value: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, what, text) of every hit in ``value``."""
        if self.lower is not None:
            low = value.lower()
            if len(low) != len(value):  # a character that lower-cases to two ('İ'): keep offsets
                low = "".join(c if len(c.lower()) != 1 else c.lower() for c in value)
            pos = 0
            while True:
                match = self.lower.search(low, pos)
                if match is None:
                    break
                what, boundary = self.kinds.get(" ".join(match.group(0).split()), ("the redaction term", "none"))
                if _bounded(low, match.start(), match.end(), boundary):
                    yield match.start(), match.end(), what, value[match.start():match.end()]
                    pos = match.end()
                else:
                    pos = match.start() + 1
        if self.single is not None:
            pos = 0
            while True:
                match = self.single.search(value, pos)
                if match is None:
                    break
                if _bounded(value, match.start(), match.end(), "word"):
                    yield match.start(), match.end(), "a staff name", match.group(0)
                    pos = match.end()
                else:
                    pos = match.start() + 1


def _bounded(text: str, start: int, end: int, boundary: str) -> bool:
    """The same boundaries as the rewriting patterns' look-arounds."""
    if boundary == "none":
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if boundary == "word":
        return not (before and (before.isalnum() or before == "_")) and not (after and (after.isalnum() or after == "_"))
    # an id: not inside a longer id (letters, digits, '_', '.', '-'); a full stop may end a sentence
    if before and _ID_CHARS.match(before):
        return False
    if after and (after.isalnum() or after in "_-"):
        return False
    if after == ".":
        following = text[end + 1] if end + 1 < len(text) else ""
        return not (following.isalnum() or following == "_") or bool(_PAGE_SUFFIX.match(text, end + 1))
    return True


# -- the last look at a built share ------------------------------------------------------------

#: Files the theme ships unchanged (Material's scripts, styles, icons and search languages): no
#: portfolio text reaches them, and their code is full of short words, so they are not read.
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Leak:
    """Something found in a built share that must not be there."""

    path: str  # relative to the share's folder
    line: int
    what: str
    text: str


def _readable(data: bytes, name: str) -> tuple[str, bool]:
    """A file's text, and whether it is text at all (UTF-8 without NUL): the personal-data guard
    reads text only, as before a share (a binary file's bytes are full of digit runs)."""
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    try:
        return data.decode("utf-8"), b"\x00" not in data
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), False


_JSON_BREAK = re.compile(r"\\[nrt]")


def _json_decoded(text: str) -> str:
    """JSON's escapes undone (``\\u``, ``\\/``, ``\\"``), its escaped line breaks as spaces (so lines stay lines)."""
    if "\\" not in text:
        return text
    if "\\u" in text:
        text = _JSON_ESCAPE.sub(lambda m: " " if m.group(1) in ("000a", "000A", "000d", "000D") else chr(int(m.group(1), 16)), text)
    return _JSON_BREAK.sub(" ", text).replace("\\/", "/").replace('\\"', '"')


def scan_text(text: str, rules: TextRules, name: str = "", allow: Allowed | None = None) -> list[tuple[int, str, str]]:
    """(line, what, text) for everything in ``text`` a share must not publish, as written and as
    read (JSON escapes undone, then :mod:`generator.share.normalise`: the text with its tags dropped,
    and its attribute values); with ``allow``, personal data not in it too."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    plain, attributes, decoded = page_readings(_json_decoded(text))
    readings: list[tuple[str, bool, str | None]] = [(text, False, None), (plain, True, None)]
    if attributes:  # what its tags hold is published too
        readings.append((attributes, True, decoded))
    for reading, normalised, lines_in in readings:
        cleaned = _blank_markers(reading)

        def line_of_hit(offset: int, matched: str, cleaned: str = cleaned, lines_in: str | None = lines_in) -> int:
            if lines_in is None:
                return cleaned.count("\n", 0, offset) + 1
            return lines_in.count("\n", 0, max(lines_in.find(matched), 0)) + 1  # an attribute value: where it is

        for offset, what, matched in rules.leaks(cleaned, normalised=normalised):
            found.setdefault((what, matched.casefold()), (line_of_hit(offset, matched), matched))
        if allow is not None and normalised:
            for finding in personal_data(cleaned):
                if finding.text not in allow:
                    found.setdefault((finding.kind, one_line(finding.text)), (line_of_hit(finding.start, finding.text), finding.text))
    if not name.startswith(THEME_ASSETS):
        for line, what, address in file_requests(name, text):  # read as a browser reads it (offsite.py)
            found.setdefault((what, address), (line, address))
    return sorted((line, what, matched) for (what, _), (line, matched) in found.items())


def scan_output(site_dir: Path, rules: TextRules, allow: Iterable[str] | None = None) -> list[Leak]:
    """Every leak in every file under ``site_dir`` (theme assets aside), in path order; with
    ``allow`` (a profile's list), personal data in any text file that the list does not allow."""
    allowed = Allowed(allow) if allow is not None else None
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(THEME_ASSETS):
            continue
        text, is_text = _readable(path.read_bytes(), rel)
        for line, what, matched in scan_text(text, rules, rel, allowed if is_text else None):
            leaks.append(Leak(rel, line, what, matched))
    return leaks
