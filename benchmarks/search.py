"""Time a built site's search box over HTTP in Chromium: Material's lunr or our Pagefind worker.

    python benchmarks/search.py SITE [--query audit] [--repeat 3]

Prints, for each run, the seconds from opening the home page to the first results shown
(what ``scale.py``'s ``search_ready_seconds`` measures), and the seconds from typing the query,
once the page has loaded and gone quiet, to the first results: the wait a reader has. The site
is served by Python's HTTP server on 127.0.0.1; Chromium is Debian's, at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

PROBE = r"""
import functools, http.server, json, socketserver, sys, threading, time
from playwright.sync_api import sync_playwright

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

RESULTS = "() => /[\\d.]+k? matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')"
server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_address[1]}/"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2], args=["--no-sandbox"])
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.locator(".md-search__input").fill(sys.argv[3])
    page.wait_for_function(RESULTS, timeout=300_000)
    from_open = time.perf_counter() - start
    page.close()
    page = browser.new_page()  # a fresh page (the HTTP cache is warm, as for a reader's second page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(1000)
    box = page.locator(".md-search__input")
    start = time.perf_counter()
    box.fill(sys.argv[3])
    box.dispatch_event("keyup")  # Material reads the box on keyup (or when its worker is ready)
    page.wait_for_function(RESULTS, timeout=60_000, polling=10)
    from_query = time.perf_counter() - start
    print(json.dumps({"from_open_seconds": round(from_open, 3), "from_query_seconds": round(from_query, 3)}))
    browser.close()
server.shutdown()
"""


def search_timings(site: Path, query: str = "audit") -> dict[str, float]:
    """``{"from_open_seconds", "from_query_seconds"}`` for one run (see the module's docstring)."""
    result = subprocess.run([sys.executable, "-c", PROBE, str(site), CHROMIUM, query], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"search not measured: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_kind(site: Path) -> str:
    return "Pagefind" if (site / "pagefind" / "pagefind.js").is_file() else "Material (lunr)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="audit")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    runs = [search_timings(args.site, args.query) for _ in range(args.repeat)]
    print(json.dumps({"site": str(args.site), "search": search_kind(args.site), "query": args.query, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
