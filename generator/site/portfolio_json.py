"""``portfolio.json``: the portfolio on the as-of date for other programs (spec section 5)."""

from __future__ import annotations

import json
from typing import Any

from .. import TOOL_NAME, __version__
from ..format.records import Record
from ..judge.assurance import enabled_checks
from ..judge.model import KIND_ORDER, Portfolio

#: ``portfolio serve``: each record's entry as last written, by record object (serve keeps an
#: unchanged record the same object between rebuilds), with the state and URL it was written with.
EntryCache = dict[int, tuple[Record, Any, str, str]]


def portfolio_json(portfolio: Portfolio, url_of: dict[str, str], entries: EntryCache | None = None) -> str:
    """The JSON document; ``url_of`` maps page uris to the site-relative URLs written in links.

    With ``entries``, a record's entry unchanged since the last call is not serialised again:
    the document is put together from the entries' text, exactly as ``json.dumps`` writes it.
    """
    from .plan import record_uri, statement_uri

    records: list[dict[str, Any]] = []
    texts: list[str] = []
    kept: EntryCache = {}
    for kind in KIND_ORDER:
        for record in portfolio.by_kind[kind]:
            url, state = url_of[record_uri(record)], portfolio.states.get(record.key)
            checks = portfolio.assurance.get(record.key, ())
            judged = (state, checks)
            if entries is not None:
                known = entries.get(id(record))
                if known is not None and known[0] is record and known[1] == judged and known[2] == url:
                    kept[id(record)] = known
                    texts.append(known[3])
                    continue
            entry: dict[str, Any] = {
                "id": record.id,
                "kind": record.kind,
                "title": record.title,
                "url": url,
                "fields": record.fields,
            }
            if record.kind == "action":
                assert state is not None
                entry.update(status=state.status, due=state.due.isoformat(), flags=list(state.flags))
                # An extension beside format 1's flags (judge/assurance.py): the checks that hold.
                entry["assurance"] = [check.as_json() for check in checks]
            if record.mapped_from:  # an extension: statements it is on only through a mapping
                entry["mapped_statements"] = {
                    sid: [{"framework": f, "statement": o} for f, o in olds] for sid, olds in record.mapped_from.items()
                }
            if entries is None:
                records.append(entry)
            else:
                text = _dumps(entry).replace("\n", "\n    ")  # as an item of "records", two levels in
                kept[id(record)] = (record, judged, url, text)
                texts.append(text)
    statements = [
        {
            "id": s.id,
            "title": s.title,
            "key_question": s.key_question,
            "url": url_of[statement_uri(s.id)],
            "records": [r.id for r in portfolio.by_statement.get(s.id, [])],
        }
        for s in portfolio.config.framework.statements
    ]
    document = {
        "as_of": portfolio.as_of.isoformat(),
        "generated_by": {"tool": TOOL_NAME, "version": __version__},
        "provider": portfolio.config.provider,
        "framework": portfolio.config.framework.id,
        # Extensions (judge/assurance.py): the checks judged, and those holding for the portfolio.
        "assurance_checks": [
            {"check": c.id, "title": c.title, "scope": c.scope} for c in enabled_checks(portfolio.config.checks_off)
        ],
        "assurance": [check.as_json() for check in portfolio.portfolio_checks],
        "records": records,
        "quality_statements": statements,
    }
    if entries is None:
        return _dumps(document) + "\n"
    entries.clear()
    entries.update(kept)
    head = _dumps({key: value for key, value in document.items() if key != "quality_statements"})
    listed = "[\n    " + ",\n    ".join(texts) + "\n  ]" if texts else "[]"
    assert head.endswith('"records": []\n}')
    statements_text = _dumps(statements).replace("\n", "\n  ")
    return head[: -len('[]\n}')] + listed + ',\n  "quality_statements": ' + statements_text + "\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False, default=str)
