"""Material's search box over HTTP finds records by id, by a word of the title and by a person."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

RESULT_LINKS = ".md-search-result__list > .md-search-result__item > a.md-search-result__link"
_SETTLED_JS = """() => {
    const list = document.querySelector('.md-search-result__list');
    const html = list ? list.innerHTML : '';
    const seen = window.__pfSettled || (window.__pfSettled = {html: null, at: 0});
    const now = performance.now();
    if (html !== seen.html) { seen.html = html; seen.at = now; return false; }
    return html !== '' && now - seen.at > 400;
}"""


def _terms(query: str) -> set[str]:
    """The query as the search index splits it (separator ``[\\s\\-]+``), lower-cased."""
    return {t for t in re.split(r"[\s\-]+", query.lower()) if t}


def _search(page, query: str) -> None:
    """Type ``query`` into the header search box the way a person would, and wait for results."""
    box = page.locator(".md-search__input")
    if not box.is_visible():  # narrow screens show only the magnifier label
        page.locator("label.md-search__icon[for='__search']").first.click()
    box.click()
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "() => /\\d+ matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')",
        timeout=10_000,
    )
    # Results are redrawn as each letter is typed: wait until the list has settled.
    page.wait_for_function(_SETTLED_JS, polling=100, timeout=10_000)
    terms = _terms(query)
    for href in page.locator(RESULT_LINKS).evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        # A page whose match is only in one of its sections (the minutes of a meeting) is offered
        # with an empty ``h=``: Material highlights the terms its top part holds, here none.
        highlighted = {t for t in re.findall(r"[?&]h=([^&#]*)", href)[0].split("+") if t} if "h=" in href else set()
        assert highlighted <= terms, f"a result for another query than {query!r}: {href}"


def _result_pages(page, max_batches: int = 30) -> list[str]:
    """Paths of the result pages (query and origin stripped), scrolling to render every batch."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    links = page.locator(RESULT_LINKS)
    links.first.wait_for()
    wrap = page.locator(".md-search__scrollwrap")
    count = links.count()
    for _ in range(max_batches):
        # Material renders the next few results each time the list *arrives* at its bottom, so
        # step back from the bottom first, as a person scrolling would, then go to it.
        wrap.evaluate("e => e.scrollTop = Math.max(0, e.scrollHeight - e.clientHeight - 100)")
        page.wait_for_timeout(50)
        wrap.evaluate("e => e.scrollTop = e.scrollHeight")
        try:
            page.wait_for_function(
                f"n => document.querySelectorAll({RESULT_LINKS!r}).length > n", arg=count, timeout=700
            )
        except PlaywrightTimeout:  # no further batch rendered: every result is on screen
            break
        count = links.count()
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [re.sub(r"^https?://[^/]+/|\?.*$", "", h) for h in hrefs]


def test_search_by_id_puts_the_record_first_and_opens_it(watched, built_site):
    page = watched.open("index.html")
    _search(page, "ACT-005")
    pages = _result_pages(page, max_batches=0)
    assert pages[0] == "actions/act-005.html", pages
    first = page.locator(RESULT_LINKS).first
    assert "ACT-005" in first.locator("h1").inner_text()
    with page.expect_navigation(url=re.compile(r"/actions/act-005\.html"), wait_until="load"):
        first.click()
    fm = built_site.front_matter("actions/act-005.md")
    assert watched.h1() == f"{fm['id']}: {fm['title']}"
    watched.assert_clean()


def test_search_by_a_title_word_finds_the_record(watched, built_site):
    title = built_site.front_matter("actions/act-005.md")["title"]
    word = "night"
    assert word in title.lower().split()
    page = watched.open("actions/index.html")
    _search(page, word)
    pages = _result_pages(page)
    assert "actions/act-005.html" in pages, pages
    # Only pages that contain the word are offered: ACT-001 (daily notes) does not mention nights.
    assert "night" not in (built_site.project / "content/actions/act-001.md").read_text(encoding="utf-8").lower()
    assert "actions/act-001.html" not in pages, pages
    watched.assert_clean()


def test_search_by_owner_name_finds_their_action(watched, built_site):
    owner = built_site.front_matter("actions/act-005.md")["owner"]
    name = re.sub(r"\s*\(.*\)\s*$", "", owner)  # "Helen Marsh (Registered manager)" -> "Helen Marsh"
    assert name and name != owner
    page = watched.open("index.html")
    _search(page, name)
    pages = _result_pages(page)
    assert "actions/act-005.html" in pages, pages

    content = built_site.project / "content"
    records = {
        f"{md.parent.name}/{md.stem}.html": md.read_text(encoding="utf-8")
        for folder in ("actions", "sources", "evidence", "meetings", "services")
        for md in (content / folder).glob("*.md")
    }
    # Every record that names the person is found (search covers every record's people) ...
    naming = sorted(page_ for page_, text in records.items() if name in text)
    assert len(naming) > 1
    missing = sorted(set(naming) - set(pages))
    assert not missing, f"records naming {name} not found by search: {missing}"
    # ... and an action whose record never names them is not (its page shows only its own people).
    first, last = name.split()[0], name.split()[-1]
    strangers = sorted(
        page_ for page_, text in records.items()
        if page_.startswith("actions/") and first not in text and last not in text
    )
    assert strangers, "the example should have actions that never name this owner"
    assert not set(strangers) & set(pages), (strangers, pages)
    watched.assert_clean()
