"""The example's share zip, unpacked and opened from file:// as a council officer would open it:
its links lead from page to page, and a search result opens its page.

tests/integration/test_share_cli.py already opens a share (of a planted project) from disk and
checks that a search finds something, that no page asks another host and that no script fails.
These tests add what it leaves out: the shipped example's profile, following links between
records, opening a search result, and no console error along the way (the request guard of
conftest.py still blocks anything that is not file://).
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

FILE = r"^file://.*/northshire-county-council/"


def _h1(page) -> str:
    return page.locator("article h1").inner_text().strip()


def test_unpacked_share_navigates_between_records_from_disk(watched_share):
    page = watched_share.open("index.html")
    banner = page.locator(".pf-banner")
    assert "Northshire County Council" in banner.inner_text()

    # Home -> the action that needs escalation -> where it came from -> back to the action.
    escalation = page.locator("xpath=//article//h2[normalize-space()='Needs escalation']/following::table[1]")
    with page.expect_navigation(url=re.compile(FILE + r"actions/act-005\.html$"), wait_until="load"):
        escalation.get_by_role("link", name="ACT-005", exact=True).click()
    assert _h1(page).startswith("ACT-005: ")
    assert page.locator(".pf-banner").count() == 1  # every page says whose copy it is
    came_from = page.locator("xpath=//article//h2[normalize-space()='Where it came from']/following-sibling::ul[1]")
    with page.expect_navigation(url=re.compile(FILE + r"sources/src-003\.html$"), wait_until="load"):
        came_from.get_by_role("link", name="SRC-003", exact=True).click()
    assert _h1(page).startswith("SRC-003: ")
    raised = page.locator("xpath=//article//h2[normalize-space()='Actions raised from it']/following::table[1]")
    with page.expect_navigation(url=re.compile(FILE + r"actions/act-005\.html$"), wait_until="load"):
        raised.get_by_role("link", name="ACT-005", exact=True).click()

    # ... on to its quality statement, and from there up to the key question.
    with page.expect_navigation(url=re.compile(FILE + r"statements/safe-and-effective-staffing\.html$"), wait_until="load"):
        page.locator("article").get_by_role("link", name="Safe and effective staffing").first.click()
    assert _h1(page) == "Safe and effective staffing"
    with page.expect_navigation(url=re.compile(FILE + r"key-questions/safe\.html$"), wait_until="load"):
        page.locator("article").get_by_role("link", name="Safe", exact=True).first.click()
    assert _h1(page) == "Safe"
    assert all(u.startswith(("file://", "data:")) for u in watched_share.requests), [
        u for u in watched_share.requests if not u.startswith(("file://", "data:"))
    ]
    watched_share.assert_clean()


def test_unpacked_share_search_result_opens_its_page(watched_share):
    page = watched_share.open("actions/index.html")
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("agency", delay=20)
    results = page.locator(".md-search-result__list > .md-search-result__item > a.md-search-result__link")
    results.first.wait_for(timeout=15_000)
    page.wait_for_function(
        "() => /\\d+ matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')",
        timeout=10_000,
    )
    hit = page.locator(".md-search-result__link", has=page.locator("h1", has_text="ACT-005")).first
    href = hit.get_attribute("href")
    assert href.startswith("file://") and "/actions/act-005.html" in href, href
    with page.expect_navigation(url=re.compile(FILE + r"actions/act-005\.html"), wait_until="load"):
        hit.click()
    assert _h1(page).startswith("ACT-005: ")
    watched_share.assert_clean()
