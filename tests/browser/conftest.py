"""Browser fixtures: the shipped example portfolio, built once, served on 127.0.0.1, driven by
Debian's Chromium through Playwright (sync API).

Never downloads a browser: Chromium is launched from /usr/bin/chromium. Without it (or without
the ``playwright`` package) the browser tests are skipped, except under ``CI=true`` where a
missing browser is a failure, so a CI run cannot go green by silently testing nothing.

Every page a test opens is watched: each request is logged and any request to a host other than
127.0.0.1/localhost is aborted before it leaves the machine (file:// is allowed only for tests
that open the site from disk); console messages of type "error", uncaught page errors and
local responses with status >= 400 are collected. ``watched.assert_clean()`` at the end of a
test asserts none of these happened; the fixture also asserts it on teardown for a test that
passed without calling it, so no test escapes the check.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AS_OF = "2026-11-22"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Schemes that never leave the machine and carry no host (inline images in Material's CSS).
INLINE_SCHEMES = {"data", "blob", "about"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS = Path("/tmp/portfolio-screens")


# --------------------------------------------------------------------------------------------
# Skip rule


def _missing_browser_reason() -> str | None:
    if not CHROMIUM.exists():
        return "Debian chromium not installed at /usr/bin/chromium: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return (
            f"the Python playwright package cannot be imported ({exc}): pip install playwright "
            "(no `playwright install`: the tests drive Debian chromium at /usr/bin/chromium)"
        )
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip (or, under CI=true, fail) when Chromium or Playwright is missing."""
    reason = _missing_browser_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------------------------
# The built example site and its server


@dataclass(frozen=True)
class BuiltSite:
    project: Path
    site: Path

    def front_matter(self, rel: str) -> dict:
        """The YAML front matter of ``content/<rel>`` as written in the project."""
        text = (self.project / "content" / rel).read_text(encoding="utf-8")
        _, fm, _ = text.split("---\n", 2)
        return yaml.safe_load(fm)

    @property
    def provider(self) -> str:
        cfg = yaml.safe_load((self.project / "site_config" / "portfolio.yml").read_text(encoding="utf-8"))
        return cfg["provider"]

    def framework(self) -> dict:
        return yaml.safe_load((self.project / "site_config" / "frameworks" / "cqc-saf-2023.yml").read_text(encoding="utf-8"))

    def file_url(self, rel: str) -> str:
        return (self.site / rel).as_uri()


@pytest.fixture(scope="session")
def built_site(browser_available, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped 47-record example, copied (as the ``example_project`` fixture does) and built
    once per session as of 2026-11-22 by the real command line."""
    root = tmp_path_factory.mktemp("browser")
    project = root / "example"
    project.mkdir()
    for name in ("content", "site_config"):
        shutil.copytree(REPO / name, project / name)
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    site = root / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(project), "build",
         "--as-of", AS_OF, "--site-dir", str(site)],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert (site / "index.html").is_file(), f"no index.html in {site}: {sorted(os.listdir(site))}"
    return BuiltSite(project=project, site=site)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from the base class
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving ``folder`` (a free port picked by the OS), while open."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"server-{folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def folder_server() -> Callable[[Path], contextlib.AbstractContextManager[str]]:
    """:func:`serve_folder`, for test modules that serve a site of their own."""
    return serve_folder


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving the built site."""
    with serve_folder(built_site.site) as url:
        yield url


# --------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@dataclass
class Watched:
    """A page plus everything it asked for and complained about."""

    page: object
    base: str = ""
    allow_file: bool = False
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    # (url substring, why) pairs a test declares acceptable; anything else is a failure.
    tolerated: list[tuple[str, str]] = field(default_factory=list)
    checked: bool = False

    def open(self, rel: str):
        """Go to ``rel`` under the site's base (HTTP or file://); the page must load."""
        response = self.page.goto(self.base + rel, wait_until="load")
        if response is not None and urlsplit(response.url).scheme in ("http", "https"):
            assert response.status == 200, f"{response.status} for {response.url}"
        return self.page

    def h1(self) -> str:
        heading = self.page.locator("article h1")
        assert heading.count() == 1, f"{self.page.url} has {heading.count()} h1 in its article"
        return heading.inner_text().strip()

    def is_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in INLINE_SCHEMES:
            return True
        if parts.scheme == "file":
            return self.allow_file
        return parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS

    def tolerate(self, url_part: str, why: str) -> None:
        self.tolerated.append((url_part, why))

    def _is_tolerated(self, text: str) -> bool:
        return any(part in text for part, _ in self.tolerated)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not self.is_allowed(url)]

    def assert_clean(self) -> None:
        self.checked = True
        foreign = self.foreign_requests()
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not self.blocked, f"requests blocked by the route guard: {self.blocked}"
        console = [m for m in self.console_errors if not self._is_tolerated(m)]
        assert not console, "console errors:\n" + "\n".join(console)
        errors = [m for m in self.page_errors if not self._is_tolerated(m)]
        assert not errors, "uncaught page errors:\n" + "\n".join(errors)
        bad = [m for m in self.bad_responses if not self._is_tolerated(m)]
        assert not bad, "failed local responses:\n" + "\n".join(bad)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


def _watch(browser, request: pytest.FixtureRequest, *, base: str, viewport: dict, allow_file: bool):
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(10_000)
    watched = Watched(page=page, base=base, allow_file=allow_file)

    def on_request(req) -> None:
        watched.requests.append(req.url)

    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            watched.console_errors.append(f"{page.url}: {msg.text} [{loc.get('url', '')}]")

    def on_page_error(exc) -> None:
        watched.page_errors.append(f"{page.url}: {exc}")

    def on_response(resp) -> None:
        if resp.status >= 400:
            watched.bad_responses.append(f"{resp.status} {resp.url} (from {page.url})")

    def on_failed(req) -> None:
        # A file:// resource that does not exist never gets a response; record it as one.
        if urlsplit(req.url).scheme == "file" and req.url not in watched.blocked:
            watched.bad_responses.append(f"{req.failure} {req.url} (from {page.url})")

    def guard(route) -> None:
        url = route.request.url
        if watched.is_allowed(url):
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort("blockedbyclient")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.route("**/*", guard)
    try:
        yield watched
        call = getattr(request.node, "_report_call", None)
        if call is not None and call.passed and not watched.checked:
            watched.assert_clean()
    finally:
        context.close()


@pytest.fixture
def watched(browser, site_url, request) -> Iterator[Watched]:
    """A desktop-sized (1280x900) page for the site over HTTP, watched."""
    yield from _watch(browser, request, base=site_url, viewport=DESKTOP, allow_file=False)


@pytest.fixture
def watched_phone(browser, site_url, request) -> Iterator[Watched]:
    """A phone-sized (390x844) page for the site over HTTP, watched."""
    yield from _watch(browser, request, base=site_url, viewport=PHONE, allow_file=False)


@pytest.fixture
def watched_file(browser, built_site, request) -> Iterator[Watched]:
    """A desktop-sized page allowed to open file:// URLs (and still nothing else), watched."""
    yield from _watch(browser, request, base=built_site.site.as_uri() + "/", viewport=DESKTOP, allow_file=True)


@pytest.fixture
def screens_dir() -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS



# --------------------------------------------------------------------------------------------
# A share zip, unpacked, and axe-core


SHARE_PROFILE = "northshire-county-council"


@pytest.fixture(scope="session")
def built_share(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's share for ``northshire-county-council`` as of 2026-11-22, made by the real
    command and unpacked from its zip (not copied from share/), as the council would open it.
    Returns the unpacked ``northshire-county-council/`` folder."""
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--project", str(built_site.project), "share", SHARE_PROFILE, "--as-of", AS_OF],
        cwd=built_site.project, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, f"share failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    unpacked = tmp_path_factory.mktemp("share-unzipped")
    with zipfile.ZipFile(built_site.project / "share" / f"{SHARE_PROFILE}.zip") as archive:
        archive.extractall(unpacked)
    folder = unpacked / SHARE_PROFILE
    assert (folder / "index.html").is_file(), sorted(p.name for p in unpacked.iterdir())
    return folder


@pytest.fixture
def watched_share(browser, built_share, request) -> Iterator[Watched]:
    """A desktop-sized page on the unpacked share, opened from file:// (and nothing else), watched."""
    yield from _watch(browser, request, base=built_share.as_uri() + "/", viewport=DESKTOP, allow_file=True)


#: axe-core 4.14.1 (MPL-2.0), vendored unchanged with its licence header: see vendor/axe-core/README.md.
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: WCAG 2.2 AA, as axe tags it (2.0, 2.1 and 2.2, levels A and AA).
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing"
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """``axe(page)``: inject axe-core into the page (inline: no request) and return its WCAG 2.2
    AA violations as ``[{id, impact, help, nodes: [{target, html, summary}]}]``."""

    def run(page, tags: list[str] = WCAG_AA) -> list[dict]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(content=axe_source)
        return page.evaluate(
            """async (tags) => {
                // From file:// axe cannot fetch the style sheets it would re-read (a CORS error in
                // the console): it then judges from the page as the browser laid it out.
                const preload = location.protocol !== 'file:';
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ')}))}));
            }""",
            tags,
        )

    return run
