"""Learning and effectiveness (an extension, issue 18): which ways of changing practice worked.

An action says how it sets out to change practice (``approach``: training, supervision,
observation ...) and, once closed, whether that worked (``closure.outcome``) and what was learnt
(``closure.learning``). An action closed as not (fully) effective names the actions raised
because of it (``follow_up``), so one problem can run through several actions: ACT-007 (training,
not effective) -> ACT-008 (observed practice on live calls). This module follows those chains to
their final outcome, so the learning page can say "training alone: not effective" and what put the
problem right in the end.

Everything is as things stood on the as-of date (the derived status and the closure in force), and
linear in the number of actions: the follow-up links are indexed once, each chain walked once.
Follow-ups may loop back (ACT-1 -> ACT-2 -> ACT-1 is possible in input): nothing here follows a
link twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..format.records import Action
from ..format.values import APPROACH_TITLES, OUTCOMES
from .assess import ActionState
from .model import Portfolio, natural_key

#: What an action came to, on the as-of date, in the order tables show it.
EFFECTIVENESS = ("effective", "partly-effective", "not-effective", "no-outcome", "still-open")
EFFECTIVENESS_TITLES = {
    "effective": "Effective",
    "partly-effective": "Partly effective",
    "not-effective": "Not effective",
    "no-outcome": "Closed, outcome not recorded",
    "still-open": "Still open",
    "cancelled": "Cancelled",
}
#: The same in a sentence ("training alone: not effective").
EFFECTIVENESS_WORDS = {
    "effective": "effective",
    "partly-effective": "partly effective",
    "not-effective": "not effective",
    "no-outcome": "closed without a recorded outcome",
    "still-open": "still open",
    "cancelled": "cancelled",
}
#: Not yet effective: closed partly or not effective, or closed with no outcome (a follow-up named).
NOT_FULLY = frozenset({"partly-effective", "not-effective", "no-outcome"})


def effectiveness(portfolio: Portfolio, action: Action) -> str:
    """What ``action`` came to on the as-of date: its closure outcome, still open, or cancelled.

    Completed but not closed counts as still open: whether the change worked is not yet judged.
    """
    return _effectiveness(portfolio.state(action))


def _effectiveness(state: ActionState) -> str:
    if state.status == "cancelled":
        return "cancelled"
    if state.status != "closed":
        return "still-open"
    outcome = state.closure.outcome if state.closure else None
    return outcome if outcome in OUTCOMES else "no-outcome"


def approach_words(action: Action) -> str:
    """``Training alone``, ``Supervision and observation``, or ``Approach not recorded``."""
    titles = [APPROACH_TITLES.get(a, a) for a in action.approach]
    if not titles:
        return "Approach not recorded"
    if len(titles) == 1:
        return f"{titles[0]} alone"
    words = ", ".join(titles[:-1]) + " and " + titles[-1].lower()
    return words[0] + words[1:].lower()


def final_outcome(outcomes: Iterable[str]) -> str:
    """The outcome of a chain from the outcomes of its last actions.

    Still open while any last action is; effective when every one is; partly effective when some
    worked; cancelled when all were cancelled; otherwise not effective.
    """
    found = set(outcomes)
    if not found:
        return "still-open"
    if "still-open" in found:
        return "still-open"
    if found == {"effective"}:
        return "effective"
    if found & {"effective", "partly-effective"}:
        return "partly-effective"
    if found == {"cancelled"}:
        return "cancelled"
    return "not-effective"


@dataclass(frozen=True, eq=False)  # compared as itself: an action appears once in a chain
class Step:
    """One action of a chain, with what it came to (its effectiveness, as a key of
    EFFECTIVENESS_TITLES) and how it set out to change practice."""

    action: Action
    outcome: str
    approach: str


@dataclass(frozen=True, eq=False)
class Chain:
    """Actions linked by ``follow_up``, in the order they were raised.

    ``first``: the actions no other action names as a follow-up (where the chain starts);
    ``last``: those that name no follow-up (where it ends, so far); ``outcome``: the chain's
    final outcome from the last ones; ``loops``: the follow-ups lead back to an earlier action.
    """

    steps: tuple[Step, ...]
    first: tuple[Step, ...]
    last: tuple[Step, ...]
    outcome: str
    loops: bool = False

    @property
    def lessons(self) -> tuple[str, ...]:
        """What each first action's approach came to: ``Training alone: not effective``."""
        return tuple(f"{step.approach}: {EFFECTIVENESS_WORDS[step.outcome]}" for step in self.first)

    @property
    def put_right_by(self) -> tuple[Step, ...]:
        """The last actions closed as effective: what fixed the problem in the end."""
        return tuple(step for step in self.last if step.outcome == "effective" and all(step is not f for f in self.first))


@dataclass(frozen=True, eq=False)
class ActionChain:
    """An action's place in its chain, for its page: the actions before and after it, and the chain."""

    previous: tuple[Step, ...]
    next: tuple[Step, ...]
    chain: Chain


@dataclass
class Tally:
    """Actions of one group (an approach, a service, a statement) by what they came to."""

    label: str
    uri: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(EFFECTIVENESS, 0))
    put_right: int = 0  # not fully effective, and the chain it is in ended effective
    following: int = 0  # not fully effective, and its chain is still open

    def add(self, outcome: str, chain_outcome: str | None) -> None:
        self.counts[outcome] += 1
        if outcome in NOT_FULLY and chain_outcome == "effective":
            self.put_right += 1
        elif outcome in NOT_FULLY and chain_outcome == "still-open":
            self.following += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def closed(self) -> int:
        return self.total - self.counts["still-open"]

    @property
    def effective_text(self) -> str:
        """``2 of 3 closed (67%)``: the share of closed actions that were effective."""
        if not self.closed:
            return "none closed yet"
        share = round(100 * self.counts["effective"] / self.closed)
        return f"{self.counts['effective']} of {self.closed} closed ({share}%)"

    @property
    def after_text(self) -> str:
        """What became of those not fully effective, following their chains."""
        parts = []
        if self.put_right:
            parts.append(f"{self.put_right} put right by a follow-up")
        if self.following:
            parts.append(f"{self.following} with a follow-up still open")
        return "; ".join(parts)


@dataclass
class Learning:
    """The follow-up chains of a portfolio, and each action's place in one."""

    outcomes: dict[str, str]  # action key -> its effectiveness
    chains: list[Chain]
    chain_of: dict[str, Chain]  # action key -> the chain it is in (actions in a chain only)
    previous: dict[str, tuple[Step, ...]]
    next: dict[str, tuple[Step, ...]]

    def action_chain(self, action: Action) -> ActionChain | None:
        chain = self.chain_of.get(action.key)
        if chain is None:
            return None
        return ActionChain(self.previous.get(action.key, ()), self.next.get(action.key, ()), chain)

    def chain_outcome(self, action: Action) -> str | None:
        chain = self.chain_of.get(action.key)
        return chain.outcome if chain else None


def _order(action: Action) -> tuple[object, ...]:
    return (action.raised, natural_key(action.id))


def follow_chains(portfolio: Portfolio) -> Learning:
    """Every chain of follow-ups among the actions in the portfolio on the as-of date.

    A follow-up not yet raised on the as-of date is not in the portfolio, so not in a chain.
    """
    by_key = {a.key: a for a in portfolio.actions}  # Record.key lowers the id: once per action
    states = portfolio.states
    outcomes = {key: _effectiveness(states[key]) for key in by_key}
    nexts: dict[str, list[str]] = {}
    prevs: dict[str, list[str]] = {}
    for own, action in by_key.items():
        for written in action.follow_up:
            key = written.lower()
            if key == own or key not in by_key or key in nexts.get(own, ()):
                continue
            nexts.setdefault(own, []).append(key)
            prevs.setdefault(key, []).append(own)
    # Steps only for actions in a chain: most actions are in none.
    steps = {key: Step(by_key[key], outcomes[key], approach_words(by_key[key])) for key in {*nexts, *prevs}}

    chains: list[Chain] = []
    chain_of: dict[str, Chain] = {}
    seen: set[str] = set()
    for key in by_key:  # in natural order: chains are found, and listed, by their first id
        if key in seen or key not in steps:
            continue
        members = _component(key, nexts, prevs, seen)
        chain = _chain(members, steps, nexts, prevs)
        chains.append(chain)
        for key in members:
            chain_of[key] = chain
    order = lambda key: _order(steps[key].action)
    return Learning(
        outcomes=outcomes,
        chains=chains,
        chain_of=chain_of,
        previous={key: tuple(steps[k] for k in sorted(keys, key=order)) for key, keys in prevs.items()},
        next={key: tuple(steps[k] for k in sorted(keys, key=order)) for key, keys in nexts.items()},
    )


def _component(start: str, nexts: dict[str, list[str]], prevs: dict[str, list[str]], seen: set[str]) -> list[str]:
    """Every action linked to ``start`` by follow-ups either way; each visited once."""
    seen.add(start)
    members, queue = [start], deque([start])
    while queue:
        key = queue.popleft()
        for other in (*nexts.get(key, ()), *prevs.get(key, ())):
            if other not in seen:
                seen.add(other)
                members.append(other)
                queue.append(other)
    return members


def _chain(members: list[str], steps: dict[str, Step], nexts: dict[str, list[str]], prevs: dict[str, list[str]]) -> Chain:
    ordered = sorted(members, key=lambda key: _order(steps[key].action))
    first = [key for key in ordered if key not in prevs] or ordered[:1]
    last = [key for key in ordered if key not in nexts]
    loops = _has_loop(ordered, nexts, prevs)
    if not last:  # every action names a follow-up: a loop; it ends where it is still open, or latest
        last = [key for key in ordered if steps[key].outcome == "still-open"] or ordered[-1:]
    return Chain(
        steps=tuple(steps[key] for key in ordered),
        first=tuple(steps[key] for key in first),
        last=tuple(steps[key] for key in last),
        outcome=final_outcome(steps[key].outcome for key in last),
        loops=loops,
    )


def _has_loop(members: list[str], nexts: dict[str, list[str]], prevs: dict[str, list[str]]) -> bool:
    """Kahn's algorithm over one chain: a loop leaves actions that never run out of predecessors."""
    waiting = {key: len(prevs.get(key, ())) for key in members}
    ready = [key for key, count in waiting.items() if count == 0]
    done = 0
    while ready:
        key = ready.pop()
        done += 1
        for other in nexts.get(key, ()):
            waiting[other] -= 1
            if waiting[other] == 0:
                ready.append(other)
    return done < len(members)


_last: tuple[Portfolio, Learning] | None = None


def learning_of(portfolio: Portfolio) -> Learning:
    """The chains of ``portfolio``, worked out once per portfolio (the learning page and every
    action's page read them)."""
    global _last
    if _last is None or _last[0] is not portfolio:
        _last = (portfolio, follow_chains(portfolio))
    return _last[1]
