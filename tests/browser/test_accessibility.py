"""Accessibility: axe-core finds nothing serious or critical on any kind of page (WCAG 2.2 AA and
axe's best practices), the keyboard reaches search and every link with focus visible, and
status, risk and flags always carry words, never colour alone.

axe-core is vendored (tests/browser/vendor/axe-core/, MPL-2.0) and injected inline, so the
request guard still sees no request to another host. What axe cannot judge (whether a heading
says what its section holds, whether a page reads well with a screen reader) still needs a person.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: WCAG 2.2 AA, as axe tags it (2.0, 2.1 and 2.2, levels A and AA).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Rules beyond WCAG that axe files under "best-practice" (a dialog's name, empty table
#: headers, heading order, landmarks): run too, held to the same bar.
RULES = WCAG_AA + ["best-practice"]
BLOCKING = ("serious", "critical")

#: One page of every kind the site has.
PAGES = {
    "home": "index.html",
    "action": "actions/act-005.html",             # overdue, escalated, extended, flags and reasons
    "action-measures": "actions/act-012.html",    # SVG measure charts
    "action-closed": "actions/act-001.html",      # closure table, closure evidence
    "source": "sources/src-003.html",
    "evidence": "evidence/ev-005.html",           # an attachment
    "meeting": "meetings/mtg-2026-10.html",
    "service": "services/riverside-homecare.html",
    "statement": "statements/safe-and-effective-staffing.html",
    "key-question": "key-questions/safe.html",
    "kind-index": "actions/index.html",
    "dashboard-actions": "dashboards/actions.html",
    "dashboard-escalation": "dashboards/escalation.html",
    "dashboard-board": "dashboards/board.html",
    "dashboard-flags": "dashboards/flags/index.html",
    "dashboard-flag": "dashboards/flags/overdue.html",
    "dashboard-owners": "dashboards/owners.html",
    "dashboard-coverage": "dashboards/coverage.html",
    "dashboard-repeats": "dashboards/repeat-findings.html",
    "dashboard-status": "dashboards/status/in-progress.html",
    "dashboard-risk": "dashboards/risk/high.html",
    "dashboard-since": "dashboards/since-last-month.html",
    "not-found": "404.html",
}
#: Pages also checked in the dark palette: between them every status, risk and flag badge
#: (the home page shows them all), the charts, every kind of table, and the coverage heat map's
#: shades.
DARK_PAGES = ["home", "action", "action-measures", "statement", "dashboard-actions", "dashboard-coverage", "dashboard-board"]
#: Pages also checked at phone width, where tables are laid out as cards or scroll sideways.
PHONE_PAGES = ["home", "action", "action-measures", "dashboard-actions"]


def _problems(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING or v["id"] == "empty-table-header"]


def _describe(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        lines += [f"    {n['target']}: {n['html']}\n      {n['summary']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def test_vendored_axe_is_the_published_file():
    """axe.min.js is axe-core exactly as published (its SHA-256 in vendor/axe-core/README.md),
    with the MPL-2.0 header the licence requires."""
    data = AXE_JS.read_bytes()
    readme = (AXE_JS.parent / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme
    head = data[:600].decode("utf-8")
    assert head.startswith("/*! axe v4.") and "Mozilla Public" in head and "License, v. 2.0" in head
    assert (AXE_JS.parent / "LICENSE").read_text(encoding="utf-8").startswith("Mozilla Public License, version 2.0")


@pytest.mark.parametrize("path", list(PAGES.values()), ids=list(PAGES))
def test_axe_finds_nothing_serious(watched, axe, path):
    page = watched.open(path)
    found = _problems(axe(page, RULES))
    assert not found, _describe(path, found)
    watched.assert_clean()


@pytest.mark.parametrize("name", DARK_PAGES)
def test_axe_finds_nothing_serious_in_the_dark_palette(watched, axe, name):
    path = PAGES[name]
    page = watched.open(path)
    # The dark palette of mkdocs.yml, as a reader gets it with the header's switch.
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=5_000)
    # The pointer back to the corner it started in, off the switch (whose tooltip must not be
    # judged half faded) and off any table row (rows light up under the pointer).
    page.mouse.move(0, 0)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[class*=md-tooltip]')].every(e => getComputedStyle(e).opacity === '0')",
        timeout=5_000,
    )
    found = _problems(axe(page, RULES))
    assert not found, _describe(f"{path} (dark)", found)
    watched.assert_clean()


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_axe_finds_nothing_serious_at_phone_width(watched_phone, axe, name):
    page = watched_phone.open(PAGES[name])
    found = _problems(axe(page, RULES))
    assert not found, _describe(f"{PAGES[name]} (phone)", found)
    watched_phone.assert_clean()


@pytest.mark.parametrize("path", ["index.html", "actions/act-005.html"], ids=["share-home", "share-action"])
def test_axe_finds_nothing_serious_on_a_share_opened_from_disk(watched_share, axe, path):
    """A share page carries the audience banner; opened from the unpacked zip."""
    page = watched_share.open(path)
    assert page.locator(".pf-banner").count() == 1
    found = _problems(axe(page, RULES))
    assert not found, _describe(f"share {path}", found)
    watched_share.assert_clean()


# -- keyboard ----------------------------------------------------------------------------------

_FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    if (!e.dataset.pfFocusOrder) e.dataset.pfFocusOrder = String(document.querySelectorAll('[data-pf-focus-order]').length + 1);
    const style = getComputedStyle(e);
    return {
        order: e.dataset.pfFocusOrder, tag: e.tagName, cls: String(e.className || ''),
        href: e.getAttribute('href'), inArticle: !!e.closest('article'),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        form: e.form ? getComputedStyle(e.form).backgroundColor : null, visible: e.matches(':focus-visible'),
    };
}"""


@pytest.mark.parametrize("path", ["index.html", "actions/act-005.html"], ids=["home", "action"])
def test_keyboard_reaches_search_and_every_link_with_focus_visible(watched, path):
    """Tab alone, from the top of the page: the search box and every link in the page's article
    get focus, in turn, and a focused link shows a focus ring."""
    page = watched.open(path)
    article_links = page.locator("article a[href]").count()
    assert article_links > 5
    idle_form = page.locator(".md-search__form").evaluate("e => getComputedStyle(e).backgroundColor")
    page.locator("body").evaluate("e => e.focus()")
    seen: list[dict] = []
    for _ in range(article_links + 60):
        page.keyboard.press("Tab")
        info = page.evaluate(_FOCUS_JS)
        if info is None:
            continue
        if seen and info["order"] == seen[0]["order"]:
            break  # round the page and back to the first stop
        if "md-search__input" in info["cls"]:
            # Material shows a focused search box by opening it out (its form turns the page's
            # colour, in a quarter of a second) rather than by a ring.
            info["opened"] = page.wait_for_function(
                "idle => getComputedStyle(document.activeElement.form).backgroundColor !== idle", arg=idle_form, timeout=2_000,
            ).json_value()
        seen.append(info)
    search_stops = [s for s in seen if "md-search__input" in s["cls"]]
    assert search_stops, "Tab never reached the search box: " + json.dumps([s["cls"] or s["tag"] for s in seen])
    assert search_stops[0]["opened"]
    reached = [s for s in seen if s["inArticle"] and s["tag"] == "A"]
    never = page.locator("article a[href]:not([data-pf-focus-order])").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert not never, f"links in the article that Tab never reached: {never}"
    assert len(reached) == article_links
    hidden_focus = [s["href"] for s in reached if not (s["visible"] and s["outline"])]
    assert not hidden_focus, f"links focused without a visible focus ring: {hidden_focus}"
    watched.assert_clean()


def test_wide_table_on_a_phone_is_a_keyboard_region(watched_phone):
    """The sortable actions table stays a table on a phone and scrolls sideways: it is a named
    region the keyboard can reach, so it can be scrolled without a mouse (WCAG 2.1.1)."""
    page = watched_phone.open("dashboards/actions.html")
    region = page.locator("article .md-typeset__scrollwrap[role='region']")
    assert region.count() == 1
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label") == "Table: All actions (scrolls sideways)"
    watched_phone.assert_clean()


# -- never colour alone -------------------------------------------------------------------------

STATUS_WORDS = {"open": "Open", "in-progress": "In progress", "completed": "Completed", "closed": "Closed", "cancelled": "Cancelled"}


def _actions(built_site) -> dict[str, dict]:
    data = json.loads((built_site.site / "portfolio.json").read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["records"] if r["kind"] == "action"}


def test_status_risk_and_flags_always_carry_words(watched, built_site):
    """Every status, risk and flag badge on the all-actions table says in words what its colour
    says, and says what portfolio.json says for that action on the as-of date."""
    actions = _actions(built_site)
    page = watched.open("dashboards/actions.html")
    rows = page.evaluate("""() => [...document.querySelectorAll('article table tbody tr')].map(tr => ({
        id: tr.cells[0].querySelector('a').textContent.trim(),
        status: [...tr.querySelectorAll('.pf-status')].map(e => [e.className, e.textContent.trim()]),
        risk: [...tr.querySelectorAll('.pf-risk')].map(e => [e.className, e.textContent.trim()]),
        flags: [...tr.querySelectorAll('.pf-flag')].map(e => [e.className, e.textContent.trim()]),
    }))""")
    assert sorted(r["id"] for r in rows) == sorted(actions)
    flag_words = {"overdue": "Overdue", "due-soon": "Due soon", "escalate": "Needs escalation",
                  "repeated-extensions": "Repeatedly extended", "no-named-owner": "No named owner"}
    for row in rows:
        record = actions[row["id"]]
        assert row["status"] == [[f"pf-status pf-status--{record['status']}", STATUS_WORDS[record["status"]]]], row
        risk = record["fields"]["risk"]
        assert row["risk"] == [[f"pf-risk pf-risk--{risk}", f"{risk.capitalize()} risk"]], row
        assert [c.split("--")[1] for c, _ in row["flags"]] == record["flags"], row
        for cls, text in row["flags"]:
            assert text, f"{row['id']}: a flag badge with no words ({cls})"
            flag = cls.split("--")[1]
            if flag in flag_words:
                assert text == flag_words[flag]
    # The action page says the same in its badges, next to the reasons.
    page = watched.open("actions/act-005.html")
    badges = page.locator("article > p").filter(has=page.locator(".pf-status")).first
    assert re.sub(r"\s+", " ", badges.inner_text()).strip() == "In progress High risk Overdue Repeatedly extended Needs escalation"
    watched.assert_clean()
