"""What must never leave the provider in a share: redaction rules, the personal-data guard, and
the last look over every byte a share would publish.

Three independent tools, all plain functions over text:

- :class:`TextRules` rewrites one string the way a share publishes it: withheld records' ids and
  titles become ``[withheld]``, known staff names become their role (``owners: roles``), and every
  ``redact_terms`` entry becomes ``[redacted]``, in any case, wherever it appears. Line breaks are
  kept, so a line number in the rewritten text is the line in the file.
- :func:`personal_data` finds NHS numbers (modulus 11 check digit), email addresses, UK phone
  numbers and dates of birth in a text.
- :func:`scan_output` reads every file of a built share (decompressing ``.gz``, undoing HTML,
  JSON and URL escapes) and reports anything :class:`TextRules` should have removed, and any page
  that would load something from another host.
"""

from __future__ import annotations

import gzip
import html
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import unquote

from .outside import file_requests

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
        ids = _alternation(((i, re.escape(i)) for i in self.withheld_ids), re.IGNORECASE, before=r"(?<![\w.-])", after=r"(?![\w-]|\.\w)")
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
        """``value`` as a share publishes it."""
        if not value:
            return value
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

    def term_in(self, value: str) -> str | None:
        """The redaction term ``value`` contains, as written in ``redact_terms``, or None."""
        if self._terms is None:
            return None
        match = self._terms.search(value)
        if not match:
            return None
        found = _name_key(match.group(0))
        return next((t for t in self.terms if _name_key(t) == found), match.group(0))

    def leaks(self, value: str) -> Iterator[tuple[int, str, str]]:
        """(offset, what, text) for everything in ``value`` that a share must not publish."""
        yield from self._scanner().leaks(value)

    def _scanner(self) -> "_Scanner":
        scanner = self.__dict__.get("_scanner_cache")
        if scanner is None:
            scanner = _Scanner(self)
            self.__dict__["_scanner_cache"] = scanner
        return scanner


_ID_CHARS = re.compile(r"[\w.-]")


class _Scanner:
    """The checks of :meth:`TextRules.leaks`, fast enough for megabytes of built pages.

    One pass over the lower-cased text with a pattern that starts with literal text (so the
    regex engine can skip ahead), the word boundaries checked by hand on each match; one-word
    staff names are matched as written, on the text itself.
    """

    def __init__(self, rules: TextRules):
        self.kinds: dict[str, tuple[str, str]] = {}  # lower-cased phrase -> (what, boundary)
        def add(what: str, boundary: str, phrases: Iterable[str]) -> None:
            for phrase in phrases:
                key = " ".join(phrase.lower().split())
                if key:
                    self.kinds.setdefault(key, (what, boundary))
        add("the redaction term", "none", rules.terms)
        add("a withheld record's id or title", "id", rules.withheld_ids)
        add("a withheld record's id or title", "word", rules.withheld_titles)
        add("a staff name", "word", [n for n in rules.names if len(n.split()) > 1])
        ordered = sorted(self.kinds, key=lambda p: (-len(p), p))
        self.lower = re.compile("|".join(_phrase(p) for p in ordered)) if ordered else None
        single = sorted({n.strip() for n in rules.names if len(n.split()) == 1}, key=lambda n: (-len(n), n))
        self.single = re.compile("|".join(re.escape(n) for n in single)) if single else None

    def leaks(self, value: str) -> Iterator[tuple[int, str, str]]:
        if self.lower is not None:
            low = value.lower()
            same = len(low) == len(value)
            pos = 0
            while True:
                match = self.lower.search(low, pos)
                if match is None:
                    break
                what, boundary = self.kinds.get(" ".join(match.group(0).split()), ("the redaction term", "none"))
                if _bounded(low, match.start(), match.end(), boundary):
                    yield match.start(), what, value[match.start():match.end()] if same else match.group(0)
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
                    yield match.start(), "a staff name", match.group(0)
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
        return not (following.isalnum() or following == "_")
    return True


# -- the personal-data guard ---------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """Something that looks like personal data, where it starts in the text, and what it is."""

    kind: str
    text: str
    start: int


def nhs_number_valid(digits: str) -> bool:
    """An NHS number's modulus 11 check: weights 10..2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NOT_AFTER = r"(?<![\w/.+-])"
_NOT_BEFORE = r"(?![\w/]|[-.]\d)"
_NHS = re.compile(_NOT_AFTER + r"(\d{3})([ -]?)(\d{3})\2(\d{4})" + _NOT_BEFORE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_PHONE = re.compile(
    _NOT_AFTER
    + r"(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|\(?0)"  # +44, 0044, +44 (0), 0 or (0
    + r"\d{1,4}\)?(?:[ -]?\d{2,4}){1,3}"
    + _NOT_BEFORE
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}"
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}})"
)
_DOB = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*(?:[:=-]|is|was)?\s*" + _DATE + r"(?!\w)",
    re.IGNORECASE,
)


def _phone_digits(text: str) -> str | None:
    """A candidate phone number as a national number (``01632960001``), if it is one."""
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    if text.startswith("+44"):
        digits = "0" + digits[2:]
    elif text.startswith("0044"):
        digits = "0" + digits[4:]
    if len(digits) not in (10, 11) or not digits.startswith("0") or digits[1] not in "1235789":
        return None
    return digits


def personal_data(text: str) -> list[Finding]:
    """Every NHS number, email address, UK phone number and date of birth in ``text``, in order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, match.group(0), start))

    for match in _DOB.finditer(text):
        add("a date of birth", match)
    for match in _NHS.finditer(text):
        if nhs_number_valid(match.group(1) + match.group(3) + match.group(4)):
            add("an NHS number", match)
    for match in _EMAIL.finditer(text):
        add("an email address", match)
    for match in _PHONE.finditer(text):
        if _phone_digits(match.group(0)):
            add("a phone number", match)
    return sorted(found, key=lambda f: f.start)


# -- the last look at a built share ------------------------------------------------------------

#: Files the theme ships unchanged (Material's scripts, styles, icons and search languages): no
#: portfolio text reaches them, and their code is full of short words, so they are not read.
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def remote_requests(text: str, name: str = "") -> list[tuple[int, str, str]]:
    """(line, what, address) for everything a published file (by its name: a page, a style sheet,
    the search index) would ask of another host, or run, that is not the theme's own: read as a
    browser reads it, not matched as bytes (:mod:`generator.outside`)."""
    return file_requests(name, text)


@dataclass(frozen=True)
class Leak:
    """Something found in a built share that must not be there."""

    path: str  # relative to the share's folder
    line: int
    what: str
    text: str


def _readable(data: bytes, name: str) -> str:
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data.decode("utf-8", errors="replace")


def _views(text: str) -> list[str]:
    """The text as bytes show it, and as a browser, a JSON reader and a URL decoder would read it."""
    decoded = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "\\u" in text else text
    decoded = unquote(decoded) if "%" in decoded else decoded
    decoded = html.unescape(decoded) if "&" in decoded else decoded
    return [text] if decoded == text else [text, decoded]


def scan_text(text: str, rules: TextRules, name: str = "") -> list[tuple[int, str, str]]:
    """(line, what, text) for everything in ``text`` a share must not publish."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for view in _views(text):
        cleaned = view
        for marker in _MARKER_FORMS:
            if marker in cleaned:
                cleaned = cleaned.replace(marker, " " * len(marker))
        for offset, what, matched in rules.leaks(cleaned):
            found.setdefault((what, matched.casefold()), (cleaned.count("\n", 0, offset) + 1, matched))
    if not name.startswith(THEME_ASSETS):
        for line, what, address in remote_requests(text, name):
            found.setdefault((what, address), (line, address))
    return sorted((line, what, matched) for (what, _), (line, matched) in found.items())


def scan_output(site_dir: Path, rules: TextRules) -> list[Leak]:
    """Every leak in every file under ``site_dir`` (theme assets aside), in path order."""
    leaks: list[Leak] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(THEME_ASSETS):
            continue
        text = _readable(path.read_bytes(), rel)
        for line, what, matched in scan_text(text, rules, rel):
            leaks.append(Leak(rel, line, what, matched))
    return leaks
