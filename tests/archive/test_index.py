"""archive/index.html from theme/archive/index.html.j2: escaped everywhere, as html.escape writes it."""

from __future__ import annotations

import json
from pathlib import Path

from generator.archive.index import render_archive_index


def month(archive: Path, name: str, *, manifest: dict, changes: dict | None, portfolio: object) -> None:
    folder = archive / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    if changes is not None:
        (folder / "changes.json").write_text(json.dumps(changes))
    (folder / "portfolio.json").write_text(portfolio if isinstance(portfolio, str) else json.dumps(portfolio))


def test_an_empty_archive_says_how_to_make_a_snapshot(tmp_path: Path):
    page = render_archive_index(tmp_path)
    assert "<title>Monthly governance snapshots</title>" in page
    assert "<p>No snapshot has been made yet. Run <code>portfolio snapshot</code>.</p>\n</body>\n</html>\n" in page
    assert "<table>" not in page


def test_every_value_from_the_months_is_escaped(tmp_path: Path):
    records = [{"kind": "action", "status": "open", "flags": ["overdue"]}]
    month(tmp_path, "2026-01", manifest={"commit": "<b>0123456789abcdef"}, changes={"since": None},
          portfolio={"provider": "x", "records": records})
    month(tmp_path, "2026-02", manifest={"note": "no git"}, changes={"since": "<i>", "added": [1, 2]},
          portfolio="not json")
    month(tmp_path, "2026-03", manifest={}, changes=None,
          portfolio={"provider": "Mary's <Care> & \"Co\"", "records": records})
    page = render_archive_index(tmp_path)
    assert "<h1>Mary&#x27;s &lt;Care&gt; &amp; &quot;Co&quot;: monthly governance snapshots</h1>" in page
    assert ('<tr><td><a href="2026-03/index.html">March 2026</a><br><small>as of 2026-03-31</small></td>'
            '<td class="n">1</td><td class="n alert">1</td><td class="n">0</td><td class="n">0</td>'
            "<td>&ndash;</td><td>&ndash;</td></tr>\n") in page
    assert ('<td class="n" colspan="4">portfolio.json unreadable</td><td><a href="2026-02/changes.html">2 since &lt;i&gt;</a></td>'
            "<td><small>the files as they were when made (no git)</small></td></tr>") in page
    assert '<a href="2026-01/changes.html">first snapshot</a></td><td><small>commit <code>&lt;b&gt;012345678</code></small>' in page
    assert "<b>" not in page and "<i>" not in page
