"""``search: pagefind`` end to end: the live site gets Pagefind's index and our worker, byte for
byte the same on every build, in one part or in several; a share of the same project never
does; a bad value or a failing Pagefind is reported, and the site that was there stays as it was."""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

import pytest

from .conftest import clean_env, copy_example, run_portfolio, start_portfolio, tree_bytes

AS_OF = "2026-11-22"
SHARE_PROFILE = "northshire-county-council"
CONFIG_SEARCH = re.compile(r'"search": "([^"]*)"')

#: Pages a part of the index holds at most in the builds in parts: the example's 88 indexed
#: pages (117 built) make three parts.
PAGES_PER_INDEX = 50  # three parts of the example (141 pages)


def parts_hook(folder: Path, pages_per_index: int = PAGES_PER_INDEX) -> dict[str, str]:
    """The environment of a build whose index is in parts of ``pages_per_index`` pages: a
    sitecustomize in ``folder`` sets generator.mkdocs.pagefind.PAGES_PER_INDEX in the build's
    process (and so in the processes it forks)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        f"from generator.mkdocs import pagefind\npagefind.PAGES_PER_INDEX = {pages_per_index}\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")]))}


def indexed_urls(index: Path) -> list[str]:
    """The pages one part of Pagefind's index holds (each fragment is gzipped JSON after a mark)."""
    urls = []
    for fragment in (index / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        urls.append(json.loads(data[len(b"pagefind_dcd"):])["url"].lstrip("/"))
    return sorted(urls)


def _with_search(project: Path, value: str) -> Path:
    config = project / "site_config" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"search: {value}\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two copies of the example with ``search: pagefind`` built at once, one in one process and
    one over three (generator/mkdocs/pagebuild.py: pages then go to the index from each), and a
    share of one."""
    base = tmp_path_factory.mktemp("pagefind")
    projects = {name: _with_search(copy_example(base / name), "pagefind") for name in ("one", "two")}
    running = {
        name: start_portfolio("build", "--as-of", AS_OF, "--site-dir", str(base / f"site-{name}"), cwd=project,
                              env=clean_env(PORTFOLIO_PROCESSES="1" if name == "one" else "3"))
        for name, project in projects.items()
    }
    for name, process in running.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"build {name} failed:\n{out}\n{err}"
    shared = run_portfolio("share", SHARE_PROFILE, "--as-of", AS_OF, cwd=projects["one"])
    assert shared.returncode == 0, shared.stdout + shared.stderr
    return {"one": base / "site-one", "two": base / "site-two", "share": projects["one"] / "share" / SHARE_PROFILE,
            "project": projects["one"]}


def test_the_site_has_pagefinds_index_and_our_worker(built, example_site):
    site = built["one"]
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").iterdir()) and list((site / "pagefind" / "index").iterdir())
    assert not list((site / "pagefind").glob("pagefind-ui*")), "Pagefind's own search UI is not published"
    assert json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8")) == []  # one part
    assert not list((site / "pagefind").glob("part-*"))
    assert (site / "assets" / "portfolio-search.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("pagefind/")]
    # The pages Material's search indexes (the example's own build has it): the pages that only
    # list records, each found on its own page, are left out of both.
    material = json.loads((example_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in material["docs"]}
    assert entry["languages"]["en"]["page_count"] == len(indexed) < len(pages) - 1
    # Material's own index holds no page, and every page's search box talks to our worker.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []
    for page in pages:
        assert CONFIG_SEARCH.findall(page.read_text(encoding="utf-8"))[0].endswith("assets/portfolio-search.js"), page


def test_two_builds_are_byte_identical_pagefind_folder_too(built):
    one, two = tree_bytes(built["one"]), tree_bytes(built["two"])
    assert sorted(one) == sorted(two)
    differing = [rel for rel in one if one[rel] != two[rel]]
    assert differing == []
    assert any(rel.startswith("pagefind/fragment/") for rel in one)


@pytest.fixture(scope="module")
def in_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two copies of the example with ``search: pagefind`` and an index in parts of
    :data:`PAGES_PER_INDEX` pages, built at once, one in one process and one over three."""
    base = tmp_path_factory.mktemp("pagefind-parts")
    hook = parts_hook(base / "hook")
    running = {
        name: start_portfolio("build", "--as-of", AS_OF, "--site-dir", str(base / f"site-{name}"),
                              cwd=_with_search(copy_example(base / name), "pagefind"),
                              env=clean_env(PORTFOLIO_PROCESSES=str(count), **hook))
        for name, count in (("one", 1), ("three", 3))
    }
    for name, process in running.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"build {name} failed:\n{out}\n{err}"
    return {name: base / f"site-{name}" for name in running}


def test_a_large_sites_index_is_in_parts_that_hold_every_page_once(in_parts, example_site):
    index = in_parts["one"] / "pagefind"
    assert json.loads((index / "parts.json").read_text(encoding="utf-8")) == ["part-1", "part-2"]
    held = {name: indexed_urls(index / name) for name in ("", "part-1", "part-2")}
    material = json.loads((example_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"].split("#")[0] for doc in material["docs"]}
    assert sorted(url for urls in held.values() for url in urls) == sorted(indexed)
    for name, urls in held.items():
        assert 0 < len(urls) <= PAGES_PER_INDEX, name
        entry = json.loads((index / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == len(urls)
    # Each part holds some of each kind of record (the pages are dealt to the parts in turn).
    for name, urls in held.items():
        assert {url.split("/")[0] for url in urls} >= {"actions", "evidence", "sources", "statements"}, name


def test_two_builds_in_parts_are_byte_identical(in_parts):
    one, three = tree_bytes(in_parts["one"]), tree_bytes(in_parts["three"])
    assert sorted(one) == sorted(three)
    assert [rel for rel in one if one[rel] != three[rel]] == []
    assert any(rel.startswith("pagefind/part-2/fragment/") for rel in one)


def test_a_share_of_the_same_project_keeps_materials_search(built):
    share = built["share"]
    assert not (share / "pagefind").exists()
    assert not (share / "assets" / "portfolio-search.js").exists()
    html = (share / "index.html").read_text(encoding="utf-8")
    assert re.fullmatch(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", CONFIG_SEARCH.findall(html)[0])
    index = json.loads((share / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(index["docs"]) > 50  # Material indexes the share's pages, for its offline search


def test_search_material_keeps_materials_index(tmp_path):
    project = _with_search(copy_example(tmp_path / "p"), "material")
    result = run_portfolio("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "pagefind").exists() and not (tmp_path / "site" / "assets" / "portfolio-search.js").exists()
    assert len(json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]) > 50


def test_a_bad_search_value_is_a_configuration_problem(tmp_path):
    project = _with_search(copy_example(tmp_path / "p"), "lunr")
    result = run_portfolio("build", "--as-of", AS_OF, "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 2
    line = len((project / "site_config" / "portfolio.yml").read_text(encoding="utf-8").splitlines())
    assert f"site_config/portfolio.yml:{line}: search: must be one of auto, pagefind, material, not 'lunr'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_failing_pagefind_leaves_the_old_site_as_it_was(tmp_path):
    project = _with_search(copy_example(tmp_path / "p"), "pagefind")
    site = tmp_path / "site"
    first = run_portfolio("build", "--as-of", AS_OF, "--site-dir", str(site), cwd=project)
    assert first.returncode == 0, first.stderr
    before = tree_bytes(site)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    again = run_portfolio("build", "--as-of", "2026-11-23", "--site-dir", str(site), cwd=project,
                          env=clean_env(PAGEFIND_BINARY_PATH=str(broken)))
    assert again.returncode == 2, again.stdout + again.stderr
    assert "search: Pagefind failed (exit 3): index exploded" in again.stderr
    assert "Traceback" not in again.stderr
    assert tree_bytes(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "no staging folder is left behind"
