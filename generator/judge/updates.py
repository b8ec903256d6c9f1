"""Assurance checks, family "updates": live actions whose latest updates say nothing checkable.

"Ongoing", "chased", "no change": an update like that tells the registered manager, an inspector
or the board nothing they could check, and a run of them hides an action that has stalled while
it still looks cared for (the ``stale`` flag sees no problem: it was updated). The rules are a
table (:data:`RULES`), each with a plain description, so the guide prints the same rules the
generator applies; :func:`vague_rule` applies them to one note.

The check holds on a live action (open or in progress on the as-of date) when its latest two
updates in force are both vague, or its only update is. One vague note after good ones is not
enough: the trail still says what moved. Judged from the updates in force on the as-of date
(``portfolio.state``), one pass over each action's own updates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .checks import Check, CheckInfo, Family, Finding

if TYPE_CHECKING:
    from ..format.records import Update
    from .model import Portfolio

VAGUE_UPDATES = "vague-updates"
#: How many of the latest updates must all be vague (fewer when the action has fewer).
LATEST = 2
#: A note quoted in a reason is cut to this many characters.
QUOTE_CHARS = 60
#: Fewer words than this and a note that names nothing is "very short".
SHORT_WORDS = 4
#: A note of stock phrases may hold at most this many other words (besides small words).
STOCK_OTHER_WORDS = 1


@dataclass(frozen=True)
class Rule:
    """One rule of the table: its name (shown in reasons), what it says, and whether it makes a
    note vague (``vague``) or saves it (``checkable``)."""

    name: str
    description: str
    effect: str  # "vague" or "checkable"


#: The rules, in the order they are applied: the first that applies decides.
RULES: tuple[Rule, ...] = (
    Rule(
        "repeat",
        "The note is the update before it again (case, spacing and punctuation aside). A copy says "
        "nothing new, whatever it says.",
        "vague",
    ),
    Rule(
        "names something",
        "The note names a number (15, 85%, two), a date (3 March, 12/03, Monday, yesterday), a "
        "record id (ACT-012) or a person or role (a name written with capitals inside a sentence, "
        "such as Priya or GP; anywhere, the name of someone the records name, such as an owner or "
        "an update's author; a role title of two words or more, such as team leader, or one of "
        "`roles` in portfolio.yml). Such a note can be checked, so it is never vague.",
        "checkable",
    ),
    Rule(
        "very short",
        f"Fewer than {SHORT_WORDS} words (\"Chased.\", \"Training booked.\").",
        "vague",
    ),
    Rule(
        "stock phrases",
        "Stock phrases such as \"ongoing\", \"chased\", \"on track\", \"no change\", \"in progress\", "
        "\"will update\", \"awaiting\" and small words, with at most "
        f"{STOCK_OTHER_WORDS} other word (\"Still ongoing, will update at next meeting.\").",
        "vague",
    ),
)
RULES_BY_NAME = {rule.name: rule for rule in RULES}

#: Phrases that say nothing checkable on their own (longest matched first).
STOCK_PHRASES: tuple[str, ...] = (
    "ongoing", "on going", "on-going", "still ongoing", "chased", "chasing", "chased up", "chase up", "to chase",
    "on track", "on target", "going well", "all good", "as planned", "no change", "no changes",
    "no update", "no updates", "no further update", "no further updates", "no progress", "no further progress",
    "nothing to report", "nothing new", "nothing further", "in progress", "work in progress", "wip", "progressing",
    "progress", "being progressed", "will update", "will be updated", "update to follow", "updates to follow",
    "to follow", "will feed back", "will report back", "awaiting", "waiting", "waiting for", "waiting on", "pending",
    "in hand", "in process", "continuing", "continues", "continue", "being looked at", "being looked into",
    "looking into", "looking into it", "under review", "being reviewed", "reviewing", "to review", "as before",
    "as above", "as previous", "as per previous", "as per last update", "see previous", "see above",
    "same as before", "same as last time", "not yet", "not done yet", "not started", "to be done", "tbc", "tba",
    "working on it", "working on", "on hold", "monitoring", "being monitored", "to monitor", "discussed",
    "to discuss", "to be discussed", "next meeting", "at next meeting", "next week", "next month", "soon", "shortly",
    "asap", "reminder sent", "reminders sent", "email sent", "emailed", "sent reminder", "followed up",
    "following up", "follow up", "to follow up", "remains open", "keep open", "leave open", "carry forward",
    "carried forward", "carried over", "brought forward", "b/f", "c/f", "rolled over", "no response", "no reply",
    "ok", "fine", "good", "update", "updated", "action", "actioned", "being actioned", "still", "again",
    "in place", "underway", "under way", "being done", "being sorted", "sorted", "being addressed", "addressed",
    "in the pipeline", "noted", "aware", "will chase", "will do", "will action", "hear back", "heard back",
    "no concerns", "no issues", "no concerns raised", "no issues raised",
)
#: Small words left out when counting what else a note says.
SMALL_WORDS = frozenset(
    "a an the is are was were be been being it its this that these those to with at on in for of and or but "
    "has have had will would should we i me my our us they them he she his her re about all any yet so far now "
    "currently very some more further up out from by as per no not nothing still again also just please "
    "today's last this time there here then than do does did done can cannot could may might must shall "
    "response reply staff team".split()
)
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen half twice".split()
)
_DATE_WORDS = frozenset(
    "january february april june july august september october november december jan feb apr jun jul aug "
    "sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "tonight".split()
)
#: Months that are also ordinary words: dates only when written with a capital.
_CAPITAL_MONTHS = frozenset({"May", "March"})
#: People a note can name without a capital.
_RELATIONS = (
    "daughter", "son", "wife", "husband", "niece", "nephew", "next of kin", "social worker", "district nurse",
    "pharmacist", "dietitian", "physiotherapist", "occupational therapist", "podiatrist", "optician", "dentist",
    "advocate",
)
#: What a share writes in place of a withheld record or a redacted term: something was named.
_SHARE_MARKERS = ("[withheld]", "[redacted]")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[.!?;:\n]+|\s[-–—]\s")
_RECORD_ID = re.compile(r"\b[A-Z]{2,}-[A-Za-z0-9][\w-]*")


def _phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![\w/])", re.IGNORECASE)


_STOCK = _phrases(STOCK_PHRASES)
_STOCK_WORDS = frozenset(word for phrase in STOCK_PHRASES for word in phrase.split())


def normalised(note: str) -> str:
    """The words of a note, lower case, for comparing one note with the one before it."""
    return " ".join(word.lower() for word in _WORD.findall(note))


def _capitalised_name(note: str) -> bool:
    """A word written with a capital inside a sentence (Priya, GP, Brookfield), or a sentence's
    first word in capitals (GP), that is not a stock or small word: a name of someone or
    something, which a reader can check."""
    for sentence in _SENTENCE.split(note):
        for index, word in enumerate(_WORD.findall(sentence)):
            lower = word.lower().strip("'’")
            if lower in _STOCK_WORDS or lower in SMALL_WORDS:
                continue
            if word.isupper() and len(word) >= 2 or (index > 0 and word[0].isupper()):
                return True
    return False


@lru_cache(maxsize=64)
def _people(roles: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the relations and the roles (and their plurals), over normalised text."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted({*_RELATIONS, *roles}, key=lambda w: (-len(w), w))) + r")s?\b")


def names_something(note: str, roles: Iterable[str] = (), names: frozenset[str] = frozenset()) -> bool:
    """Whether the note names a number, a date, a record, or a person or role (rule "names something").

    ``names``: words of the names of people the records name (:func:`people_names`), matched as
    written, so "Sarah chased." names Sarah though a sentence starts with her.
    """
    if _DIGIT.search(note) or any(marker in note for marker in _SHARE_MARKERS):
        return True
    words = _WORD.findall(note)
    if names and any(word in names for word in words):
        return True
    lowered = {w.lower().strip("'’") for w in words}
    if lowered & _NUMBER_WORDS or lowered & _DATE_WORDS or any(w in _CAPITAL_MONTHS for w in words):
        return True
    if _RECORD_ID.search(note) or _capitalised_name(note):
        return True
    return _people(tuple(roles)).search(" ".join(word.lower() for word in words)) is not None


def note_roles(all_roles: Iterable[str], declared: Iterable[str]) -> tuple[str, ...]:
    """Role titles that name someone in a note: every role of two words or more (team leader),
    and the portfolio's own declared roles (``roles`` in portfolio.yml), however short."""
    chosen = {r.strip().lower() for r in all_roles if len(r.split()) > 1}
    chosen |= {r.strip().lower() for r in declared if r.strip()}
    return tuple(sorted(normalised(r) for r in chosen if normalised(r)))


def people_names(portfolio: "Portfolio") -> frozenset[str]:
    """Words of the names of the people the actions name (owners, assigners, updates' authors,
    completion checkers, closure approvers), as written, less any that is also a stock or small
    word ("Will" is a name, "will" is not, so a staff member called Will makes no note checkable)."""
    written: set[str] = set()  # the same few names recur on thousands of actions: split each once
    for action in portfolio.actions:
        people = [action.owner, action.assigned_by, *(u.by for u in action.updates)]
        people += [action.completion.checked_by if action.completion else None, action.closure.approved_by if action.closure else None]
        written.update(person.name for person in people if person is not None and person.name)
    found = {word for name in written for word in _WORD.findall(name)}
    return frozenset(
        word for word in found
        if len(word) >= 2 and word[0].isupper() and word.lower() not in _STOCK_WORDS and word.lower() not in SMALL_WORDS
    )


def vague_rule(note: str, previous: str | None = None, roles: Iterable[str] = (), names: frozenset[str] = frozenset()) -> Rule | None:
    """The rule that makes ``note`` vague, or None when it says something checkable.

    ``previous`` is the note of the update before it (rule "repeat"); ``roles`` the role titles
    that name someone (:func:`note_roles`); ``names`` the words of people's names (:func:`people_names`).
    """
    return _rule(note, previous, tuple(roles), names)


@lru_cache(maxsize=4096)  # stock notes recur across a portfolio's actions
def _rule(note: str, previous: str | None, roles: tuple[str, ...], names: frozenset[str]) -> Rule | None:
    if previous is not None and abs(len(note) - len(previous)) <= 12 and normalised(note) and normalised(note) == normalised(previous):
        return RULES_BY_NAME["repeat"]
    if names_something(note, roles, names):
        return None
    words = _WORD.findall(note)
    if len(words) < SHORT_WORDS:
        return RULES_BY_NAME["very short"]
    if _STOCK.search(note):
        rest = [w.lower() for w in _WORD.findall(_STOCK.sub(" ", note)) if w.lower().strip("'’") not in SMALL_WORDS]
        if len(rest) <= STOCK_OTHER_WORDS:
            return RULES_BY_NAME["stock phrases"]
    return None


_COUNTS = {2: "two", 3: "three"}


def _quote(note: str) -> str:
    text = " ".join(note.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip(" ,;:.") + "…"
    return f"“{text}”"


def _said(update: "Update", rule: Rule, before: "Update | None") -> str:
    if rule.name == "repeat" and before is not None:
        # A copy is named by date, not quoted: it may say anything, including a name.
        return f"{update.date.isoformat()} repeats the update of {before.date.isoformat()} (repeat)"
    return f"{update.date.isoformat()} {_quote(update.note)} ({rule.name})"


def vague_reason(updates: "tuple[Update, ...]", roles: Iterable[str] = (), names: frozenset[str] = frozenset()) -> str | None:
    """Why an action's latest updates say nothing checkable, or None when they do (or cannot be
    judged: a share that leaves update notes out)."""
    from ..share.filter import UPDATE_NOTE_LEFT_OUT  # the share module builds on the judge

    if not updates or any(u.note.strip() == UPDATE_NOTE_LEFT_OUT for u in updates[-(LATEST + 1):]):
        return None
    latest = updates[-LATEST:]
    first = len(updates) - len(latest)
    said = []
    for offset, update in enumerate(latest):
        before = updates[first + offset - 1] if first + offset > 0 else None
        rule = vague_rule(update.note, before.note if before else None, roles, names)
        if rule is None:
            return None
        said.append(_said(update, rule, before))
    said.reverse()  # the latest first, as a reader asks "what did it last say?"
    if len(updates) == 1:
        return f"the only update says nothing checkable: {said[0]}"
    return f"the latest {_COUNTS.get(len(latest), len(latest))} updates say nothing checkable: " + "; ".join(said)


def judge(portfolio: "Portfolio") -> Iterator[Finding]:
    """``vague-updates`` for every live action whose latest updates in force are all vague."""
    roles = note_roles(portfolio.config.all_roles, portfolio.config.roles)
    names = people_names(portfolio)
    for action in portfolio.actions:
        state = portfolio.state(action)
        if not state.is_live or not state.updates:
            continue
        reason = vague_reason(state.updates, roles, names)
        if reason is not None:
            yield action.key, Check(VAGUE_UPDATES, reason)


CHECKS = (
    CheckInfo(
        VAGUE_UPDATES,
        "Updates say nothing checkable",
        "an open or in-progress action's latest two updates (or its only update) are vague: very "
        "short, only stock phrases such as \"ongoing\", \"chased\" or \"on track\", or a copy of the "
        "update before, and naming no number, date, record or person (the rules are in the guide)",
    ),
)
FAMILY = Family("updates", CHECKS, judge)
