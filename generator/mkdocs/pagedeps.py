"""Which pages an edit can change, from the portfolio before and after it (``portfolio serve``).

Rendering every page to find the few that changed was most of a rebuild: with 2,000 actions,
4,100 pages. A page is a pure function of its template and its context, so it is rendered again
only when one of these may have changed:

* its *inputs*: the context with every record in it replaced by the record's key (the lists a
  page shows, their order, the counts, labels and dates worked out for it), digested; a page
  whose list gained, lost or reordered a record, or whose figures moved, is rendered again;
* a record it shows (a key found in its context) was *touched*: changed in content or in judged
  state (its flags or its assurance checks), added or removed, or linked (either way, before or after the edit) to a record that was.
  Templates look one link away from the records they show (an action's source title, the
  actions raised from a source, a service's name), never further, so one step of links is enough.

Anything a template reads from the portfolio as a whole (how many records of each kind) changes
only when a record is added or removed: then every page that is not a record's own page is
rendered again. A change of configuration or of the as-of date renders everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import Any

from ..config.frameworks import Framework
from ..config.portfolio import PortfolioConfig
from ..format.records import Record
from ..judge.model import Portfolio
from ..site.plan import Attachment, PlannedPage, record_uri

#: A page's inputs: the digest of its context with records as keys, and the keys of those records.
PageInputs = tuple[str, frozenset[str]]

_SCALARS = (str, int, float, bool, type(None), date, PurePath)
#: The whole-portfolio values every context shares; what they hold is compared separately.
_WHOLE = (Portfolio, PortfolioConfig, Framework)


def all_page_inputs(planned: Iterable[PlannedPage]) -> dict[str, PageInputs]:
    """:func:`page_inputs` of every page; a long list that several pages share (every owner's
    page holds the list of all owners) is walked once."""
    memo: dict[int, tuple[Any, str, frozenset[str]]] = {}
    return {page.uri: page_inputs(page, memo) for page in planned}


def page_inputs(page: PlannedPage, memo: dict[int, tuple[Any, str, frozenset[str]]] | None = None) -> PageInputs:
    """What the page shows besides the records themselves, and which records it shows."""
    ids: set[str] = set()
    out: list[str] = [page.template, page.title, str(page.in_nav)]
    _walk(page.context, ids, out, set(), {} if memo is None else memo)
    digest = hashlib.sha256("\x1f".join(out).encode("utf-8", "surrogatepass")).hexdigest()
    return digest, frozenset(i.lower() for i in ids)


#: Lists and mappings at least this long are walked once per rebuild, however many pages hold them.
MEMO_FROM = 16


def _walk(value: Any, ids: set[str], out: list[str], active: set[int], memo: dict[int, tuple[Any, str, frozenset[str]]]) -> None:
    """Append what ``value`` shows to ``out``, and the ids of its records to ``ids`` (the
    commonest cases first: this runs for every row of every list on every page)."""
    if isinstance(value, Record):
        ids.add(value.id)
        out.append("R" + value.id)
        return
    kind = type(value)
    if (kind is list or kind is tuple or kind is dict) and len(value) >= MEMO_FROM:
        known = memo.get(id(value))
        if known is None or known[0] is not value:
            inner_ids: set[str] = set()
            inner: list[str] = []
            _walk_container(value, inner_ids, inner, active, memo)
            known = memo[id(value)] = (value, "\x1f".join(inner), frozenset(inner_ids))
        out.append(known[1])
        ids.update(known[2])
        return
    _walk_container(value, ids, out, active, memo)


def _walk_container(value: Any, ids: set[str], out: list[str], active: set[int], memo: dict[int, tuple[Any, str, frozenset[str]]]) -> None:
    kind = type(value)
    if kind is list or kind is tuple:
        if id(value) in active:
            out.append("cycle")
            return
        active.add(id(value))
        out.append("[")
        for item in value:
            if isinstance(item, Record):
                ids.add(item.id)
                out.append("R" + item.id)
            else:
                _walk(item, ids, out, active, memo)
        out.append("]")
        active.discard(id(value))
    elif kind is str:
        out.append("s" + value)
    elif isinstance(value, _SCALARS):
        out.append(f"{kind.__name__}:{value!r}")
    elif isinstance(value, _WHOLE):
        out.append(kind.__name__)
    elif id(value) in active:  # a cycle: named, not followed
        out.append("cycle")
    elif isinstance(value, dict):
        active.add(id(value))
        out.append("{")
        for key, item in value.items():
            _walk(key, ids, out, active, memo)
            _walk(item, ids, out, active, memo)
        out.append("}")
        active.discard(id(value))
    elif isinstance(value, (list, tuple)):
        _walk(list(value), ids, out, active, memo)
    elif isinstance(value, (set, frozenset)):
        out.append("set:" + repr(sorted(map(repr, value))))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        active.add(id(value))
        out.append(kind.__qualname__ + "(")
        for item in dataclasses.fields(value):
            out.append(item.name)
            _walk(getattr(value, item.name), ids, out, active, memo)
        out.append(")")
        active.discard(id(value))
    elif callable(value):
        out.append("fn:" + getattr(value, "__module__", "") + "." + getattr(value, "__qualname__", repr(kind)))
    else:  # anything else shows as what it prints; an unstable repr only renders the page again
        out.append(f"{kind.__qualname__}:{value!r}")


def touched_records(
    old: Portfolio, new: Portfolio, old_attachments: dict[str, Attachment], new_attachments: dict[str, Attachment],
) -> tuple[set[str], bool] | None:
    """The keys of records whose pages, or pages listing them, may show something new, and
    whether any record was added or removed; None when every page may have changed."""
    if old.as_of != new.as_of or old.config != new.config or old.withheld != new.withheld:
        return None
    changed = {key for key in old.records.keys() ^ new.records.keys()}
    for key, record in new.records.items():
        before = old.records.get(key)
        if before is None:
            continue
        before_state, state = old.states.get(key), new.states.get(key)
        if (  # unchanged records and judgements are mostly the same objects (serve's caches): no field compared
            (before is not record and before != record) or (before_state is not state and before_state != state)
            or old_attachments.get(key) != new_attachments.get(key)
            # an assurance check can follow links further than one step (a finding back through a
            # chain of repeats, judge/recurrence.py): its own change renders the action's pages
            or old.assurance.get(key) != new.assurance.get(key)
        ):
            changed.add(key)
    added_or_removed = old.records.keys() != new.records.keys()
    touched = set(changed)
    for portfolio in (old, new):
        for key in changed:
            touched.update(link.target_key for link in portfolio.outlinks.get(key, ()))
            touched.update(link.from_key for link in portfolio.backlinks.get(key, ()))
    return touched, added_or_removed


def pages_to_render(
    planned: Iterable[PlannedPage], inputs: dict[str, PageInputs], before: dict[str, PageInputs],
    touched: set[str], added_or_removed: bool, record_pages: set[str],
) -> set[str]:
    """The uris of the pages whose text may differ from the last build's (see the module's notes)."""
    chosen = set()
    for page in planned:
        now, then = inputs[page.uri], before.get(page.uri)
        if (
            then is None or now[0] != then[0] or not touched.isdisjoint(now[1])
            or (added_or_removed and page.uri not in record_pages)
        ):
            chosen.add(page.uri)
    return chosen


def record_page_uris(portfolio: Portfolio) -> set[str]:
    """The uris of records' own pages (a provider's account is on its statement's page, which is not)."""
    return {record_uri(r) for r in portfolio.records.values() if r.kind != "statement"}
