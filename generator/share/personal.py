"""The personal-data guard: NHS numbers (modulus 11 check digit), email addresses, UK phone
numbers and dates of birth in a text, as written and as a reader sees it.

:func:`personal_data` reads a text as written; :func:`personal_data_seen` also reads its
normalised readings (:mod:`generator.share.normalise`: ``943&nbsp;476&nbsp;5919``, ``&#57;434765919``,
``943**4765919**``, ``943<em>4765919</em>``, ``jo%40example.org``), and gives each finding as
the span of the text it stands in, so a problem line quotes what the file says. :class:`Allowed`
is a profile's ``allow`` list. A share runs these before it builds (:mod:`generator.share.publish`) and
over every built file (:func:`generator.share.privacy.scan_output`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from .normalise import normalise_for_guard, views


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


_NOT_BEFORE = r"(?![\w/]|[-.]\d)"
#: Three, three and four digits, apart or not (a space, a dash or a line break between groups),
#: wherever they stand, in an id (``ACT-9434765919``) or a file name too; but not part of a longer
#: number, a decimal (``0.9434765919``) or an id of the ``1-1234567890`` kind (a CQC location).
_NHS_GAP = r"[^\S\n]*(?:[-\n][^\S\n]*)?"
# Each pattern starts with what it must start with, its look-behind after that: a pattern that
# starts with a look-behind is tried at every character of megabytes of pages.
# Digits are 0-9: a normalised reading has other scripts' digits as 0-9 too.
_NHS = re.compile(r"([0-9][0-9][0-9])(?<![0-9]{4})(?<![0-9][.-][0-9]{3})" + _NHS_GAP + r"([0-9]{3})" + _NHS_GAP + r"([0-9]{4})(?![0-9]|\.[0-9])")
_EMAIL_LOCAL = re.compile(r"[\w.+%-]")
_EMAIL_DOMAIN = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
_PHONE = re.compile(
    r"[+(0](?<![\w/.+-][+(0])"
    + r"(?:(?<=\+)44[ -]?(?:\(0\)[ -]?)?|(?<=0)044[ -]?(?:\(0\)[ -]?)?|(?<=\()0|(?<=0))"  # +44, 0044, +44 (0), (0 or 0
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
    r"[db](?<!\w[db])(?:(?<=d)(?:\.?\s?o\.?\s?b\b\.?|ate\s+of\s+birth)|(?<=b)orn(?:\s+on)?)\s*(?:[:=-]|is|was)?\s*" + _DATE + r"(?!\w)",
    re.IGNORECASE,
)


#: Where a date of birth may be: every way to write one has a 'b' (dob, d.o.b., birth, born);
#: the full pattern is tried only near one of these.
_DOB_HINT = re.compile(r"b(?:(?<=ob)|(?<=o\.b)|(?<=o\sb)|(?<=o\.\sb)|(?=irth|orn))")


def _dates_of_birth(text: str) -> Iterator[tuple[int, int]]:
    """Spans of dates of birth: :data:`_DOB` tried only around a hint (as far back as 'date of'
    can be before 'birth', as far on as a date can be after it)."""
    low = text.lower()
    if len(low) != len(text):
        yield from (m.span() for m in _DOB.finditer(text))
        return
    done = 0
    for hint in _DOB_HINT.finditer(low):
        if hint.start() < done:
            continue
        start, done = max(done, hint.start() - 40), min(len(text), hint.end() + 200)
        yield from (m.span() for m in _DOB.finditer(text, start, done))


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every email address: found from its '@', the name before it walked back."""
    at = text.find("@")
    while at >= 0:
        domain = _EMAIL_DOMAIN.match(text, at)
        start = at
        while start > 0 and _EMAIL_LOCAL.match(text, start - 1):
            start -= 1
        if domain and start < at:
            yield start, domain.end()
            at = text.find("@", domain.end())
        else:
            at = text.find("@", at + 1)


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


#: What :func:`personal_data` finds, as its findings name it.
PERSONAL_KINDS = frozenset({"an NHS number", "an email address", "a phone number", "a date of birth"})


def personal_data(text: str) -> list[Finding]:
    """Every NHS number, email address, UK phone number and date of birth in ``text``, in order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(Finding(kind, text[start:end], start))

    for start, end in _dates_of_birth(text):
        add("a date of birth", start, end)
    for match in _NHS.finditer(text):
        if nhs_number_valid(match.group(1) + match.group(2) + match.group(3)):
            add("an NHS number", *match.span())
    for start, end in _emails(text):
        add("an email address", start, end)
    for match in _PHONE.finditer(text):
        if _phone_digits(match.group(0)):
            add("a phone number", *match.span())
    return sorted(found, key=lambda f: f.start)


def personal_data_seen(text: str) -> list[Finding]:
    """:func:`personal_data` in ``text`` and in its normalised readings (``943**4765919**``,
    ``&#57;434765919``, ``jo%40example.org``), each finding as the span of ``text`` it stands in."""
    found = personal_data(text)
    readings = views(text)
    if len(readings) == 1 and readings[0].text == text:
        return found
    hidden = [(i, f) for i, view in enumerate(readings) for f in personal_data(view.text)]
    if not hidden:
        return found
    mapped = views(text, mapped=True)  # read again, each reading with its way back
    for i, finding in [(i, f) for i, view in enumerate(mapped) for f in personal_data(view.text)]:
        start, end = mapped[i].original(finding.start, finding.start + len(finding.text))
        if end <= start:
            continue
        # a finding as written that is part of this one ('bloggs@...' of 'jo<b>.</b>bloggs@...') gives way
        inside = [f for f in found if start <= f.start and f.start + len(f.text) <= end and f.kind == finding.kind]
        if any(start < f.start + len(f.text) and f.start < end for f in found if f not in inside):
            continue
        found = [f for f in found if f not in inside] + [Finding(finding.kind, text[start:end], start)]
    return sorted(found, key=lambda f: f.start)


class Allowed:
    """A profile's ``allow`` list: exact texts the guard lets through. White space runs count
    as one space, and a text is also allowed when it reads the same as an allowed one
    (``943&nbsp;476&nbsp;5919`` when ``943 476 5919`` is allowed)."""

    def __init__(self, texts: Iterable[str]):
        written = [one_line(t) for t in texts]
        self.texts = set(written) | {one_line(normalise_for_guard(t)) for t in written}

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and (one_line(text) in self.texts or one_line(normalise_for_guard(text)) in self.texts)


def one_line(text: str) -> str:
    """White space runs as one space: a problem is one line, and ``allow`` ignores line breaks."""
    return " ".join(text.split())
