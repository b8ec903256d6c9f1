"""``portfolio serve`` after an edit it rejected: a page of the problems, in place of every page.

An edit that leaves the portfolio with errors is not built; before, the browser kept showing
the last good site, reloaded as if the edit had been published. Now the builder writes a page
listing every problem, as the terminal prints them, into a hidden file of the served folder,
and :class:`ProblemsServer` answers every page with it while the file is there. The page is
served like any other, so MkDocs' live-reload script is added to it: the next build, after the
next save, reloads it, and the page the user was on comes back once the problems are fixed.
Stylesheets, scripts and other files are served as before; nothing of the site is changed.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Callable, Iterable

from mkdocs.livereload import LiveReloadServer

from ..problems import Problem

#: In the served folder; hidden, so MkDocs' clean build leaves it alone and it is never published.
PROBLEMS_PAGE = ".portfolio-problems.html"
HEADING = "This portfolio has errors; the site is not updated"

_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1b1b1b; }}
h1 {{ font-size: 1.5rem; color: #a4000f; }}
ol {{ padding-left: 1.5rem; }}
li {{ font-family: ui-monospace, monospace; font-size: 0.9rem; margin: 0.4rem 0; overflow-wrap: anywhere; }}
li.warning {{ color: #5c4600; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p>{summary} The pages you saw before are the last portfolio without errors: what you changed since is
not in them. Fix the problems below and save; this page reloads by itself, and shows the site again
once there are none.</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def problems_page(problems: list[Problem]) -> str:
    """Every problem line, escaped, under :data:`HEADING`."""
    errors = sum(1 for p in problems if p.severity == "error")
    summary = f"{errors} error{'s' if errors != 1 else ''} stopped the build."
    items = "\n".join(f'<li class="{p.severity}">{html.escape(str(p))}</li>' for p in problems)
    return _PAGE.format(heading=html.escape(HEADING), summary=summary, items=items)


def show_problems(site_dir: Path, problems: list[Problem]) -> None:
    """Serve the page of problems in place of every page (written whole, then renamed)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    partial = site_dir / f"{PROBLEMS_PAGE}.partial"
    partial.write_text(problems_page(problems), encoding="utf-8")
    os.replace(partial, site_dir / PROBLEMS_PAGE)


def clear_problems(site_dir: Path) -> None:
    """Serve the site again: the build after the fix has finished."""
    (site_dir / PROBLEMS_PAGE).unlink(missing_ok=True)


def is_page(path: str) -> bool:
    """A request for a page (``/``, ``/actions/``, ``/actions/act-1.html``), not a stylesheet,
    script, image, search index or the live-reload poll."""
    if path.startswith("/livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


class ProblemsServer(LiveReloadServer):
    """MkDocs' live-reload server, answering every page with the page of problems while there is one."""

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not (is_page(path) and (Path(self.root) / PROBLEMS_PAGE).is_file()):
            return super().serve_request(environ, start_response)
        answer: list[tuple[Any, ...]] = []
        body = super().serve_request(
            {**environ, "PATH_INFO": self.mount_path + PROBLEMS_PAGE},
            lambda *args: answer.append(args),  # held back until it is known to be the page
        )
        if answer and str(answer[-1][0]).startswith("200"):
            start_response(*answer[-1])
            return body
        # Fixed meanwhile: the build that removed the page finished while this request waited for it.
        getattr(body, "close", lambda: None)()
        return super().serve_request(environ, start_response)
