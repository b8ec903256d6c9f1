"""``portfolio.json``: the portfolio on the as-of date for other programs (spec section 5)."""

from __future__ import annotations

import json
from typing import Any

from .. import TOOL_NAME, __version__
from ..judge.model import KIND_ORDER, Portfolio


def portfolio_json(portfolio: Portfolio, url_of: dict[str, str]) -> str:
    """The JSON document; ``url_of`` maps page uris to the site-relative URLs written in links."""
    from .plan import record_uri, statement_uri

    records: list[dict[str, Any]] = []
    for kind in KIND_ORDER:
        for record in portfolio.by_kind[kind]:
            entry: dict[str, Any] = {
                "id": record.id,
                "kind": record.kind,
                "title": record.title,
                "url": url_of[record_uri(record)],
                "fields": record.fields,
            }
            if record.kind == "action":
                state = portfolio.states[record.key]
                entry.update(status=state.status, due=state.due.isoformat(), flags=list(state.flags))
            if record.mapped_from:  # an extension: statements it is on only through a mapping
                entry["mapped_statements"] = {
                    sid: [{"framework": f, "statement": o} for f, o in olds] for sid, olds in record.mapped_from.items()
                }
            records.append(entry)
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
        "records": records,
        "quality_statements": statements,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"
