"""``portfolio serve`` rebuilds only what an edit changed, and the site comes out the same as a full
build; the search index carries what helps a search and nothing that only lists other records."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build

import generator
from generator.processes import PROCESSES_ENV
from generator.mkdocs.engine import mkdocs_config, portfolio_plugin
from generator.mkdocs.incremental import BuildMemory
from generator.mkdocs.livesite import LiveSite
from generator.mkdocs.serve import rebuild
from generator.mkdocs.servepage import PROBLEMS_PAGE
from generator.read.load import ReadCache
from generator.read.validate import RecordCache
from generator.pipeline import prepare

from .conftest import Build, copy_example

SERVE_URL = "http://127.0.0.1:8765/"


def _build(project: Path, site: Path, memory: BuildMemory | None, cache: ReadCache | None) -> None:
    """What portfolio serve's builder does (generator/mkdocs/serve.py), without the server."""
    portfolio, _ = prepare(project, date(2026, 11, 22), cache)
    config = mkdocs_config(project, site, site_url=SERVE_URL)
    plugin = portfolio_plugin(config)
    plugin.prepared = portfolio
    plugin.memory = memory
    mkdocs_build(config, serve_url=SERVE_URL, dirty=bool(memory and memory.valid))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_rebuild_builds_only_what_changed_and_matches_a_full_build(tmp_path: Path):
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = copy_example(tmp_path / "example")
    served = tmp_path / "served"
    memory, cache = BuildMemory(), {}
    _build(project, served, memory, cache)
    total = memory.rebuilt
    assert memory.valid and total > 100

    actions = project / "content" / "actions"
    act3 = actions / "act-003.md"
    act3.write_text(act3.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited, ", 1), encoding="utf-8")
    added = (actions / "act-004.md").read_text(encoding="utf-8").replace("id: ACT-004", "id: ACT-099", 1)
    (actions / "act-099.md").write_text(added, encoding="utf-8")
    _build(project, served, memory, cache)
    assert 0 < memory.rebuilt < total / 2, memory.rebuilt

    (actions / "act-099.md").unlink()  # a page that must disappear from the served site
    _build(project, served, memory, cache)
    assert not (served / "actions" / "act-099.html").exists()

    full = tmp_path / "full"
    _build(project, full, None, None)
    got, expected = _tree(served), _tree(full)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


def test_a_change_on_every_page_rebuilds_every_page(tmp_path: Path):
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = copy_example(tmp_path / "example")
    served = tmp_path / "served"
    memory = BuildMemory()
    _build(project, served, memory, {})
    total = memory.rebuilt
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("primary: indigo", "primary: teal"), encoding="utf-8")
    _build(project, served, memory, {})
    assert memory.rebuilt == total


def test_search_leaves_out_sections_that_only_list_other_records(example_site: Build):
    index = json.loads((example_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    anchors = {doc["location"].partition("#")[2] for doc in index["docs"]}
    for left_out in ("timeline", "where-it-came-from", "actions-raised-from-it", "actions-it-closed",
                     "actions-agreed-at-this-meeting", "other-records-that-name-this-one", "needs-escalation"):
        assert left_out not in anchors, left_out
    for kept in ("narrative", "progress-updates", "deadline-history", "minutes", "finding"):
        assert kept in anchors, kept
    pages = {doc["location"].partition("#")[0] for doc in index["docs"]}
    # Dashboards that only list actions stay out; those that explain (coverage, the early
    # warnings and the assurance checks, what each means) are searchable.
    listing = ("dashboards/actions", "dashboards/escalation", "dashboards/board", "dashboards/owners",
               "dashboards/flags/", "dashboards/checks/", "dashboards/status/", "dashboards/risk/")
    assert [p for p in pages if p.startswith(listing) and p != "dashboards/flags/index.html"] == []
    assert {"dashboards/coverage.html", "dashboards/flags/index.html", "dashboards/assurance.html"} <= pages
    # The marker that keeps a section out is gone from every page once it is indexed.
    assert not [page for page in example_site.site.rglob("*.html") if "data-search-exclude" in page.read_text(encoding="utf-8")]


# -- portfolio serve's rebuild, quick updates included, against full builds ----------------------

class _Serving:
    """What portfolio serve keeps between rebuilds (generator/mkdocs/serve.py serve_project)."""

    def __init__(self, project: Path) -> None:
        self.memory, self.checked, self.live = BuildMemory(), RecordCache(), LiveSite(project)
        self.files: ReadCache = {}


def _serve_rebuild(project: Path, site: Path, serving: _Serving, said: list[str]) -> None:
    rebuild(project, site, SERVE_URL, date(2026, 11, 22), serving.memory, serving.files, said.append, serving.live, serving.checked)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


_FRESH_BUILD = """
import logging, sys
from datetime import date
from pathlib import Path
from mkdocs.commands.build import build
import generator
from generator.processes import PROCESSES_ENV
from generator.mkdocs.engine import mkdocs_config, portfolio_plugin
from generator.pipeline import prepare
logging.getLogger("mkdocs").setLevel(logging.ERROR)
project, site, url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
config = mkdocs_config(project, site, site_url=url)
plugin = portfolio_plugin(config)
plugin.on_startup(command="serve", dirty=False)  # searched as a served site is (Material's search)
plugin.prepared = prepare(project, date(2026, 11, 22))[0]
build(config, serve_url=url)
"""


def _same_as_a_fresh_build(project: Path, served: Path, full: Path, step: str) -> None:
    """Every file of the served site is the one a full build of the same content writes (with the
    same site_url, and the search a served site has: nothing differs). The full build runs in a process of its own: MkDocs hands
    one plugin object to every build in a process, and serve's must stay serve's. Its pages are
    built in that one process, as serve builds them (built in several, the sitemap of a site
    with a site_url comes out empty: left to the pages' builder, generator/mkdocs/pagebuild.py)."""
    subprocess.run([sys.executable, "-c", _FRESH_BUILD, str(project), str(full), SERVE_URL], check=True, timeout=600,
                   env={**os.environ, "PYTHONPATH": str(Path(generator.__file__).parent.parent), PROCESSES_ENV: "1"})
    got, expected = _tree(served), _tree(full)
    assert sorted(got) == sorted(expected), step
    assert [name for name in expected if got[name] != expected[name]] == [], step


def test_every_serve_rebuild_gives_the_site_a_full_build_gives(tmp_path: Path):
    """Edits of several kinds, each followed by serve's rebuild (a quick update where the pages
    stay the same, a MkDocs build otherwise); after each, every file of the served site is the
    file a fresh full build of the same content writes (the same site_url: nothing differs)."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = copy_example(tmp_path / "example")
    served = tmp_path / "served"
    serving, said = _Serving(project), []
    memory, live = serving.memory, serving.live
    _serve_rebuild(project, served, serving, said)
    total = memory.rebuilt
    content = project / "content"

    def same_as_full(step: str) -> None:
        _same_as_a_fresh_build(project, served, tmp_path / f"full-{step}", step)

    quick_config = live.config
    _edit(content / "actions" / "act-003.md", "\ntitle: ", "\ntitle: Edited, ")  # an action's title
    _serve_rebuild(project, served, serving, said)
    assert live.config is quick_config, "an edited title is a quick update"
    assert 0 < memory.rebuilt < memory.rendered < total / 2, (memory.rebuilt, memory.rendered)
    same_as_full("title")

    _edit(content / "evidence" / "ev-003.md", "category: staff-feedback", "category: observation")  # evidence category
    _serve_rebuild(project, served, serving, said)
    assert 0 < memory.rebuilt < total / 2
    same_as_full("category")

    _edit(content / "sources" / "src-002.md", "date: 2026-05-28", "date: 2025-12-02")  # a source's date
    _serve_rebuild(project, served, serving, said)
    same_as_full("date")

    added = (content / "actions" / "act-004.md").read_text(encoding="utf-8").replace("id: ACT-004", "id: ACT-099", 1)
    (content / "actions" / "act-099.md").write_text(added, encoding="utf-8")  # a record added
    _serve_rebuild(project, served, serving, said)
    assert (served / "actions" / "act-099.html").is_file()
    same_as_full("added")

    (content / "actions" / "act-099.md").unlink()  # and removed
    _serve_rebuild(project, served, serving, said)
    assert not (served / "actions" / "act-099.html").exists()
    same_as_full("removed")

    good = (content / "actions" / "act-005.md").read_text(encoding="utf-8")
    quick_config = live.config
    _edit(content / "actions" / "act-005.md", "\nraised: ", "\nraised: not-a-date ")  # an error: not rebuilt
    said.clear()
    _serve_rebuild(project, served, serving, said)
    assert any("act-005.md" in line for line in said) and (served / PROBLEMS_PAGE).is_file()
    (content / "actions" / "act-005.md").write_text(good.replace("\ntitle: ", "\ntitle: Fixed, ", 1), encoding="utf-8")
    _serve_rebuild(project, served, serving, said)
    assert not (served / PROBLEMS_PAGE).exists()
    assert live.config is quick_config, "the fix after an error is a quick update too"
    same_as_full("fixed")

    _edit(project / "mkdocs.yml", "primary: indigo", "primary: teal")  # the look of every page
    _serve_rebuild(project, served, serving, said)
    assert live.config is not quick_config and memory.rebuilt == total
    same_as_full("settings")


def test_serve_rebuilds_of_lists_split_by_month_and_owner_match_a_full_build(tmp_path: Path, scale_benchmark):
    """Past SPLIT_ROWS actions, lists are split into a page per month and owner workload into a
    page per owner: an action moved to another month or risk (a quick update: the same pages),
    then to another owner (the owners' pages change order: a MkDocs build), and after each,
    serve's rebuild gives the site a full build gives."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = tmp_path / "group"
    scale_benchmark.write_portfolio(project, 320)
    served = tmp_path / "served"
    serving = _Serving(project)
    _serve_rebuild(project, served, serving, [])
    assert (served / "dashboards" / "owners").is_dir() and (served / "dashboards" / "actions").is_dir()
    actions = project / "content" / "actions"

    def same_as_full(step: str) -> None:
        _same_as_a_fresh_build(project, served, tmp_path / f"full-{step}", step)

    _edit(actions / "act-0028.md", "raised: 2024-12-09", "raised: 2024-10-20")
    _edit(actions / "act-0003.md", "risk: medium", "risk: high")
    quick = serving.live.config
    _serve_rebuild(project, served, serving, [])
    assert serving.live.config is quick, "the same pages: a quick update"
    same_as_full("month-and-risk")

    _edit(actions / "act-0002.md", "owner: Harry Gill (Quality lead)", "owner: Zara Taylor (Senior carer)")
    _serve_rebuild(project, served, serving, [])
    same_as_full("owner")


def test_serve_rebuilds_after_edits_that_reach_other_records_match_a_full_build(tmp_path: Path):
    """Edits whose effect is on other records than the one saved: a source made a repeat finding
    (the actions raised from it are judged again), an attachment rewritten, removed and put back
    (its evidence checked again), an id made a duplicate, and a reference broken then fixed.
    After each rebuild the served site is the one a fresh full build writes; an edit with
    errors is not built, and shows its problems."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = copy_example(tmp_path / "example")
    served = tmp_path / "served"
    serving, said = _Serving(project), []
    _serve_rebuild(project, served, serving, said)
    content = project / "content"

    def same_as_full(step: str) -> None:
        _same_as_a_fresh_build(project, served, tmp_path / f"full-{step}", step)

    def state(action: str) -> tuple[str, ...]:
        assert serving.memory.portfolio is not None
        return serving.memory.portfolio.states[action].flags

    assert "repeat-finding" not in state("act-003")
    _edit(content / "sources" / "src-002.md", "\ndate: ", "\nrepeat_of: [SRC-001]\ndate: ")
    _serve_rebuild(project, served, serving, said)
    assert "repeat-finding" in state("act-003") and "repeat-finding" in state("act-004")
    same_as_full("repeat")

    attachment = content / "evidence" / "attachments" / "mar-training-log.csv"
    attachment.write_text(attachment.read_text(encoding="utf-8") + "one more row\n", encoding="utf-8")
    _serve_rebuild(project, served, serving, said)
    same_as_full("attachment")
    saved = attachment.read_bytes()
    attachment.unlink()
    said.clear()
    _serve_rebuild(project, served, serving, said)
    assert any("ev-005.md" in line and "does not exist" in line for line in said) and (served / PROBLEMS_PAGE).is_file()
    attachment.write_bytes(saved)
    _serve_rebuild(project, served, serving, said)
    assert not (served / PROBLEMS_PAGE).exists()
    same_as_full("attachment-back")

    duplicate = (content / "actions" / "act-006.md").read_text(encoding="utf-8")
    _edit(content / "actions" / "act-006.md", "id: ACT-006", "id: ACT-005")
    said.clear()
    _serve_rebuild(project, served, serving, said)
    assert any("act-00" in line and "ACT-005" in line for line in said) and (served / PROBLEMS_PAGE).is_file()
    (content / "actions" / "act-006.md").write_text(duplicate, encoding="utf-8")

    _edit(content / "actions" / "act-003.md", "source: SRC-002", "source: SRC-902")
    said.clear()
    _serve_rebuild(project, served, serving, said)
    assert any("act-003.md" in line and "SRC-902" in line for line in said) and (served / PROBLEMS_PAGE).is_file()
    _edit(content / "actions" / "act-003.md", "source: SRC-902", "source: SRC-002")
    _serve_rebuild(project, served, serving, said)
    assert not (served / PROBLEMS_PAGE).exists()
    same_as_full("fixed")
