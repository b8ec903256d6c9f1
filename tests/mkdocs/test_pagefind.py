"""Which site gets Pagefind, what of a page it indexes, and how our worker hands Pagefind's
results to Material's search box (generator/mkdocs/pagefind.py, theme/search/worker.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import resources
from generator.mkdocs.pagefind import (
    PAGEFIND_FROM_PAGES, PagefindError, PagefindIndexer, index_page, material_worker, searchable_html, uses_pagefind,
)
from generator.share.offsite import material_dir


@pytest.mark.parametrize("mode, pages, from_disk, serving, expected", [
    ("auto", PAGEFIND_FROM_PAGES - 1, False, False, False),
    ("auto", PAGEFIND_FROM_PAGES, False, False, True),
    ("pagefind", 3, False, False, True),
    ("material", 20_000, False, False, False),
    ("pagefind", 20_000, True, False, False),  # a share or a snapshot opens from disk
    ("pagefind", 20_000, False, True, False),  # portfolio serve / mkdocs serve
])
def test_which_site_gets_pagefind(mode, pages, from_disk, serving, expected):
    assert uses_pagefind(mode, pages, from_disk=from_disk, serving=serving) is expected


def test_sections_material_skips_are_not_indexed():
    content = (
        '<h1 id="a">ACT-1: Night team</h1><p>Kept.</p>'
        '<h2 data-search-exclude="1" id="b">Actions not yet closed</h2><p>ACT-9 listed here</p><ul><li>ACT-8</li></ul>'
        '<h3 id="c" data-search-exclude="1">Also skipped</h3><p>ACT-7</p>'
        '<h2 id="d">Narrative</h2><p>Stalled.</p>'
    )
    kept = searchable_html(content)
    assert kept == '<h1 id="a">ACT-1: Night team</h1><p>Kept.</p><h2 id="d">Narrative</h2><p>Stalled.</p>'
    assert searchable_html("<h2 data-search-exclude>Last</h2><p>gone</p>") == ""
    assert searchable_html("<p>no marks</p>") == "<p>no marks</p>"


def test_the_indexed_page_names_its_title_as_text():
    page = index_page("ACT-1: <b>Tom</b> & Jerry, nights", "<h1>ACT-1</h1>")
    assert '<body data-pagefind-body><p data-pagefind-ignore data-pagefind-meta="title">ACT-1: &lt;b&gt;Tom&lt;/b&gt; &amp; Jerry, nights</p>' in page
    assert page.endswith("<h1>ACT-1</h1></body></html>")


def test_material_worker_is_the_one_materials_template_names():
    worker = material_worker()
    assert worker.startswith("assets/javascripts/workers/search.") and worker.endswith(".min.js")
    assert f'"search": "{worker}" | url' in (material_dir() / "base.html").read_text(encoding="utf-8")


def test_a_missing_binary_is_a_pagefind_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    indexer = PagefindIndexer(directory_urls=False)
    indexer.add("index.html", "Home", "<h1>Home</h1>")
    folder = indexer.folder
    assert folder is not None and (folder / "index.html").is_file()
    with pytest.raises(PagefindError, match="binary was not found"):
        indexer.write(tmp_path / "site")
    assert not folder.exists()  # the temporary pages go whatever happens


def test_the_index_holds_the_pages_and_none_of_pagefinds_own_ui(tmp_path):
    indexer = PagefindIndexer(directory_urls=False)
    indexer.add("index.html", "Home", "<h1>Home</h1><p>Welcome.</p>")
    indexer.add("actions/act-1.html", "ACT-1: Night team", "<h1>ACT-1: Night team</h1><p>Agency use stalled.</p>")
    site = tmp_path / "site"
    site.mkdir()
    indexer.write(site)
    names = sorted(p.name for p in (site / "pagefind").iterdir())
    assert "pagefind.js" in names and "pagefind-entry.json" in names and "fragment" in names and "index" in names
    assert not [n for n in names if n.startswith(("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight"))]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == 2
    assert indexer.folder is None


# -- the worker's mapping, run by Node when it is installed -------------------------------------

WORKER = resources.theme_dir() / "search" / "worker.js"
HARNESS = r"""
const vm = require("vm"), fs = require("fs")
const context = {self: {location: {href: "http://127.0.0.1:8000/assets/portfolio-search.js"}},
                 addEventListener() {}, postMessage() {}, URL, console}
vm.createContext(context)
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context)
const cases = JSON.parse(fs.readFileSync(0, "utf8"))
console.log(JSON.stringify(cases.map(([query, found, data]) => context.resultItems(query, found, data))))
"""


def _map(cases: list[tuple[str, dict, dict]]) -> list[list[dict]]:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed (the browser test covers the worker too)")
    result = subprocess.run([node, "-e", HARNESS, str(WORKER)], input=json.dumps(cases), capture_output=True, text=True, timeout=30, check=True)
    return json.loads(result.stdout)


def test_a_result_is_a_page_then_its_sections_in_materials_shape():
    data = {
        "raw_url": "/actions/act-5.html", "url": "/actions/act-5.html",
        "content": "ACT-5: Build a night team. Agency use on nights has stalled; see the person's plan.",
        "meta": {"title": "ACT-5: Build a night team"},
        "excerpt": "Agency use on nights has <mark>stalled</mark>",
        "sub_results": [
            {"title": "ACT-5: Build a night team", "url": "/actions/act-5.html#act-5", "excerpt": "dup"},
            {"title": "Narrative", "url": "/actions/act-5.html#narrative", "excerpt": "has <mark>stalled</mark>"},
            {"title": "ACT-5: Build a night team", "url": "/actions/act-5.html", "excerpt": "page"},
        ],
    }
    [items] = _map([("Stalled person's ACT-5 zebra", {"score": 4.0}, data)])
    page, *sections = items
    assert page == {
        "location": "actions/act-5.html", "title": "ACT-5: Build a night team",
        "text": "Agency use on nights has <mark>stalled</mark>", "score": 4.0,
        "terms": {"Stalled": True, "person's": True, "ACT-5": True, "zebra": False},
    }
    assert [(s["location"], s["title"], s["text"], s["score"]) for s in sections] == [
        ("actions/act-5.html#narrative", "Narrative", "has <mark>stalled</mark>", 2.0),
    ]


def test_a_result_carries_no_markup_but_pagefinds_marks():
    data = {
        "raw_url": "/evidence/ev-1.html", "content": "x",
        "meta": {"title": '<img src=x onerror="alert(1)"> & co'},
        "excerpt": '&lt;b&gt; <script>alert(1)</script> <mark>x</mark> <img src=x>',
        "sub_results": [{"title": "<i>Notes</i>", "url": "/evidence/ev-1.html#notes", "excerpt": "<mark>x</mark><svg onload=1>"}],
    }
    [[page, section]] = _map([("x", {"score": 1}, data)])
    assert page["title"] == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co"
    assert page["text"] == "&lt;b&gt; &lt;script&gt;alert(1)&lt;/script&gt; <mark>x</mark> &lt;img src=x&gt;"
    assert section["title"] == "&lt;i&gt;Notes&lt;/i&gt;"
    assert section["text"] == "<mark>x</mark>&lt;svg onload=1&gt;"


def test_the_worker_file_is_what_the_site_publishes():
    from generator.mkdocs.pagefind import worker_source

    assert worker_source() == WORKER.read_bytes() and Path(WORKER).is_file()
