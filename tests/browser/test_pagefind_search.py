"""With ``search: pagefind``, Material's own search box over HTTP answers from Pagefind's index
(generator/mkdocs/pagefind.py, theme/search/worker.js): a record is found by its id, a word of
its title, its owner's name and a word of its narrative, and a result opens the record. The
index is built in three parts, as a large site's is, so the records searched for are in
different parts and one search box finds them all."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import yaml

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-22"
RESULT_LINKS = ".md-search-result__list > .md-search-result__item > a.md-search-result__link"
#: Pages a part of the index holds at most: the example's 88 indexed pages make three parts.
PAGES_PER_INDEX = 50  # three parts of the example (141 pages)


@dataclass(frozen=True)
class BuiltSite:
    project: Path
    site: Path

    def front_matter(self, rel: str) -> dict:
        _, fm, _ = (self.project / "content" / rel).read_text(encoding="utf-8").split("---\n", 2)
        return yaml.safe_load(fm)


@pytest.fixture(scope="module")
def built_site(browser_available, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped example with ``search: pagefind``, built by the real command line."""
    root = tmp_path_factory.mktemp("pagefind-browser")
    project = root / "example"
    project.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, project / name)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    config = project / "site_config" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "search: pagefind\n", encoding="utf-8")
    site = root / "site"
    hook = root / "hook"  # the index in parts, as at 10,000 actions (generator/mkdocs/pagefind.py)
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        f"from generator.mkdocs import pagefind\npagefind.PAGES_PER_INDEX = {PAGES_PER_INDEX}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH", "")]))}
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "build", "--as-of", AS_OF, "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, timeout=180, env=env,
    )
    assert result.returncode == 0, f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8")) == ["part-1", "part-2"]
    return BuiltSite(project=project, site=site)


def part_of(site: Path, page: str) -> str:
    """The part of the index that holds ``page`` ("" for pagefind/ itself, else "part-N")."""
    for part in ("", "part-1", "part-2"):
        for fragment in (site / "pagefind" / part / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes())
            if json.loads(data[len(b"pagefind_dcd"):])["url"] == "/" + page:
                return part
    raise AssertionError(f"{page} is in no part of the index")


@pytest.fixture(scope="module")
def site_url(built_site: BuiltSite, folder_server) -> Iterator[str]:
    """Overrides the shared fixture: ``watched`` opens this site."""
    with folder_server(built_site.site) as url:
        yield url


def _search(page, query: str) -> list[str]:
    """Type ``query`` into the header search box as a person would; the result pages' paths."""
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "() => /\\d+ matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')",
        timeout=10_000,
    )
    # Results are redrawn as each letter is typed: wait until the last query's list has come.
    page.wait_for_function(
        """(q) => {
            const seen = window.__pfQuery || (window.__pfQuery = {html: null, at: 0});
            const html = document.querySelector('.md-search-result__list')?.innerHTML || '';
            const now = performance.now();
            if (html !== seen.html) { seen.html = html; seen.at = now; return false; }
            return html !== '' && now - seen.at > 400;
        }""",
        arg=query, polling=100, timeout=10_000,
    )
    hrefs = page.locator(RESULT_LINKS).evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"^https?://[^/]+/|\?.*$", "", h) for h in hrefs]


def test_the_site_searches_with_pagefind_not_lunr(watched, built_site):
    page = watched.open("index.html")
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.reload(wait_until="load")
    _search(page, "ACT-005")
    assert any(url.endswith("/assets/portfolio-search.js") for url in workers), workers
    assert any("/pagefind/" in url for url in watched.requests), "no request for Pagefind's index"
    # Material's own index holds no page: its worker would find nothing.
    assert '"docs":[]' in (built_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    watched.assert_clean()


def test_search_by_id_puts_the_record_first_and_opens_it(watched, built_site):
    page = watched.open("index.html")
    pages = _search(page, "ACT-005")
    assert pages[0] == "actions/act-005.html", pages
    first = page.locator(RESULT_LINKS).first
    assert "ACT-005" in first.locator("h1").inner_text()
    href = first.get_attribute("href") or ""
    assert "h=" in href, href  # search.highlight: the page opens with the query's words marked
    with page.expect_navigation(url=re.compile(r"/actions/act-005\.html"), wait_until="load"):
        first.click()
    fm = built_site.front_matter("actions/act-005.md")
    assert watched.h1() == f"{fm['id']}: {fm['title']}"
    watched.assert_clean()


def test_search_by_a_title_word_finds_the_record(watched, built_site):
    assert "night" in built_site.front_matter("actions/act-005.md")["title"].lower().split()
    page = watched.open("actions/index.html")
    pages = _search(page, "night")
    assert "actions/act-005.html" in pages, pages
    assert "night" not in (built_site.project / "content/actions/act-001.md").read_text(encoding="utf-8").lower()
    assert "actions/act-001.html" not in pages, pages
    watched.assert_clean()


def test_search_by_owner_name_finds_their_action(watched, built_site):
    owner = built_site.front_matter("actions/act-005.md")["owner"]
    name = re.sub(r"\s*\(.*\)\s*$", "", owner)
    page = watched.open("index.html")
    pages = _search(page, name)
    assert "actions/act-005.html" in pages, pages
    watched.assert_clean()


def test_search_by_a_narrative_word_shows_it_marked_and_keyboard_opens_the_best(watched, built_site):
    narrative = (built_site.project / "content/actions/act-005.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert "stalled" in narrative
    page = watched.open("index.html")
    pages = _search(page, "stalled")
    assert "actions/act-005.html" in pages, pages
    marked = page.locator(".md-search-result__list mark").all_inner_texts()
    assert any(m.lower().startswith("stall") for m in marked), marked
    # Material's keyboard: Enter in the box opens the best result.
    with page.expect_navigation(wait_until="load"):
        page.locator(".md-search__input").press("Enter")
    assert re.search(r"/actions/act-00[35]\.html", page.url), page.url
    watched.assert_clean()



def test_records_in_every_part_are_found_by_id_and_ranked_together(watched, built_site):
    """One record of each part, found first by its id; a word on pages of all three parts
    lists results from each in one list, ranked by Pagefind across the parts."""
    records = ["actions/act-001.html", "actions/act-005.html", "actions/act-003.html"]
    assert sorted(part_of(built_site.site, page) for page in records) == ["", "part-1", "part-2"]
    for record in records:
        pages = _search(watched.open("index.html"), record.split("/")[1].removesuffix(".html").upper())
        assert pages[0] == record, pages
    pages = _search(watched.open("index.html"), "evidence")
    assert {part_of(built_site.site, found) for found in pages} == {"", "part-1", "part-2"}, pages
    watched.assert_clean()


#: Records each state of Material's results: the count it shows and the result pages listed.
OBSERVE_RESULTS = """() => {
    window.__pfStates = [];
    const meta = document.querySelector('.md-search-result__meta');
    new MutationObserver(() => window.__pfStates.push([
        meta.textContent,
        [...document.querySelectorAll('.md-search-result__list > li > a')].map(a => a.getAttribute('href')),
    ])).observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
}"""


def _search_once(page, query: str) -> list[tuple[str, list[str]]]:
    """``query`` given to the box at once (as benchmarks/search.py does); each state Material's
    results went through, until they are still for half a second."""
    page.wait_for_load_state("networkidle")
    page.evaluate(OBSERVE_RESULTS)
    box = page.locator(".md-search__input")
    box.fill(query)
    box.dispatch_event("keyup")
    page.wait_for_function(
        """() => {
            const seen = window.__pfStill || (window.__pfStill = {n: -1, at: 0});
            const now = performance.now();
            if (window.__pfStates.length !== seen.n) { seen.n = window.__pfStates.length; seen.at = now; return false; }
            return seen.n > 0 && now - seen.at > 500;
        }""",
        polling=100, timeout=10_000,
    )
    states = page.evaluate("window.__pfStates")
    return [(meta, [re.sub(r"^https?://[^/]+/|\?.*$", "", h) for h in hrefs]) for meta, hrefs in states]


def test_the_first_ten_pages_show_first_and_stay_in_place_when_the_rest_come(watched, built_site):
    """Material shows ten results at once and the rest on scrolling: the worker answers with the
    best ten as soon as their fragments are in, then with all, the ten unchanged."""
    states = _search_once(watched.open("index.html"), "evidence")
    counts = [meta for meta, _ in states if "matching" in meta]
    assert counts[0] == "10 matching documents", states
    final = re.fullmatch(r"(\d+) matching documents", counts[-1])
    assert final and int(final[1]) > 10, counts
    first = next(pages for meta, pages in states if meta == counts[0] and pages)
    last = [pages for meta, pages in states if meta == counts[-1]][-1]
    assert len(first) == 10 and last[:10] == first, (first, last)
    watched.assert_clean()


def test_the_parts_are_searched_in_workers_of_their_own(watched, built_site):
    """With two CPUs or more the index's parts are searched at once, in searcher workers (this
    same script) that the search worker starts; a record of each part is still found first."""
    page = watched.page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    watched.open("index.html")
    if page.evaluate("navigator.hardwareConcurrency") < 2:
        pytest.skip("one CPU: the parts are searched in the search worker itself")
    pages = _search(page, "ACT-003")
    assert pages[0] == "actions/act-003.html", pages
    assert sum(url.endswith("/assets/portfolio-search.js") for url in workers) >= 3, workers
    watched.assert_clean()


@pytest.fixture(scope="module")
def one_part_site(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with its index's other parts unlisted: a site of one part."""
    site = tmp_path_factory.mktemp("pagefind-one-part") / "site"
    shutil.copytree(built_site.site, site)
    (site / "pagefind" / "parts.json").write_text("[]\n", encoding="utf-8")
    return site


@pytest.fixture
def one_part_url(one_part_site: Path, folder_server) -> Iterator[str]:
    with folder_server(one_part_site) as url:
        yield url


def test_a_site_of_one_part_is_searched_in_the_search_worker_itself(watched, one_part_site, one_part_url):
    """A site of one part (or a reader with one CPU) is searched where Material's worker runs,
    with no searcher worker."""
    page = watched.page
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(one_part_url + "index.html", wait_until="load")
    pages = _search(page, "ACT-001")
    assert part_of(one_part_site, "actions/act-001.html") == ""
    assert pages[0] == "actions/act-001.html", pages
    assert sum(url.endswith("/assets/portfolio-search.js") for url in workers) == 1, workers
    assert not any("/pagefind/part-" in url for url in watched.requests), watched.requests
    watched.assert_clean()
