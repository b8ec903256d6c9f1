"""``portfolio serve`` after an edit it rejects: the browser is shown the problems, not the old
pages, until an edit fixes them. The rebuild runs as the server runs it (generator/serve.py), and
what the server would answer is asked of it directly, without a port or a browser."""

from __future__ import annotations

import html
import json
import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mkdocs.livereload import LiveReloadServer

from generator.mkdocs.incremental import BuildMemory
from generator.mkdocs.serve import rebuild
from generator.mkdocs.servepage import HEADING, PROBLEMS_PAGE, ProblemsServer, is_page

URL = "http://127.0.0.1:8765/"
ACT = "content/actions/act-1.md"


def served(server: ProblemsServer, path: str) -> tuple[str, bytes]:
    """The status and body the server answers ``GET path`` with."""
    status: list[str] = []
    body = server.serve_request({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, lambda s, headers, *exc: status.append(s))
    data = b"".join(body)
    getattr(body, "close", lambda: None)()
    return status[-1], data


@pytest.fixture
def serving(minimal_project, tmp_path: Path):
    """The minimal project served as ``portfolio serve --as-of 2026-04-01`` serves it."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    root, site = minimal_project.root, tmp_path / "served"
    memory, cache = BuildMemory(), {}
    server = ProblemsServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    server.watch(str(root / "content"))  # as serve does: pages then get the live-reload script

    def build() -> None:
        rebuild(root, site, URL, date(2026, 4, 1), memory, cache)

    yield root, site, server, build
    server.server_close()


def test_a_rejected_edit_shows_its_problems_on_every_page_until_it_is_fixed(serving, capsys):
    root, site, server, build = serving
    build()
    status, page = served(server, "/actions/act-1.html")
    assert status.startswith("200") and b"Weekly MAR chart checks" in page
    portfolio_json = served(server, "/portfolio.json")[1]

    action = root / ACT
    good = action.read_text(encoding="utf-8")
    action.write_text(good.replace("title: Weekly MAR chart checks", "title: <b>Checks</b> & falls: review"), encoding="utf-8")
    (root / "content/meetings/mtg-1.md").write_text("---\nid: MTG-1\ntitle: x\n---\n", encoding="utf-8")  # two files with errors
    build()
    assert "the browser lists them meanwhile" in capsys.readouterr().err
    for path in ("/actions/act-1.html", "/", "/actions/", "/sources/aud-1.html", "/no-such-page.html"):
        status, body = served(server, path)
        text = body.decode("utf-8")
        assert status.startswith("200"), path
        assert f"<h1>{HEADING}</h1>" in text, path
        assert "Weekly MAR chart checks" not in text
        assert "livereload(" in text  # reloads itself after the next build, as every served page does
    assert [html.unescape(item) for item in re.findall(r'<li class="error">(.*?)</li>', text)] == [
        f"{ACT}:3: front matter: invalid YAML: mapping values are not allowed in this context; "
        "put the title in quotes: title: \"<b>Checks</b> & falls: review\"",
        "content/meetings/mtg-1.md:1: date: is required",
        "content/meetings/mtg-1.md:1: forum: is required",
    ]
    assert "<b>Checks</b>" not in text  # escaped: the page shows what was typed, it does not run it
    # Other files are served as they were: the page of problems replaces pages only.
    assert served(server, "/portfolio.json")[1] == portfolio_json
    assert not is_page("/livereload/1/2") and not is_page("/search/search_index.json")

    action.write_text(good, encoding="utf-8")
    (root / "content/meetings/mtg-1.md").write_text(
        "---\nid: MTG-1\ntitle: January governance meeting\ndate: 2026-01-15\nforum: Monthly governance meeting\n---\n", encoding="utf-8")
    build()
    status, page = served(server, "/actions/act-1.html")
    assert status.startswith("200") and b"Weekly MAR chart checks" in page and HEADING.encode() not in page
    assert not (site / PROBLEMS_PAGE).exists()
    assert json.loads(served(server, "/portfolio.json")[1])["as_of"] == "2026-04-01"


def test_a_portfolio_broken_from_the_start_shows_its_problems(serving):
    root, site, server, build = serving
    (root / "content/actions/act-1.md").write_text("---\nid: ACT-1\n\ttitle: x\n---\n", encoding="utf-8")
    build()
    status, body = served(server, "/")
    assert status.startswith("200") and HEADING in body.decode("utf-8")
    assert "use spaces, not a tab, to indent" in body.decode("utf-8")
    assert not (site / "index.html").exists()  # nothing was built


def test_the_page_comes_back_when_the_problems_go_while_it_is_asked_for(serving, monkeypatch):
    """A request that found the page of problems there, which the build finishing meanwhile then
    removed, is answered with the page asked for, not a 404."""
    root, site, server, build = serving
    build()
    (site / PROBLEMS_PAGE).write_text("<p>problems</p>", encoding="utf-8")
    stock = LiveReloadServer.serve_request

    def build_finishes_first(self: LiveReloadServer, environ: dict[str, Any], start_response: Any) -> Any:
        (site / PROBLEMS_PAGE).unlink(missing_ok=True)
        return stock(self, environ, start_response)

    monkeypatch.setattr(LiveReloadServer, "serve_request", build_finishes_first)
    status, page = served(server, "/actions/act-1.html")
    assert status.startswith("200") and b"Weekly MAR chart checks" in page
