"""The two plain MkDocs baselines the generator's build is timed against, in the same run.

- **A, hand-written** (``write_handwritten``): what a provider would otherwise do, plain MkDocs +
  Material on pages written by hand (``benchmarks/handwritten.py``), one for each page we build,
  each about the size of ours, with the project's theme, features and palette and Material's
  search plugin, and no CSS or scripts of ours.
- **B, our pages as Markdown** (``write_our_markdown``): plain MkDocs on the Markdown of our own
  pages, taken back from the articles of our build (``benchmarks/html_markdown.py``), with our
  theme overrides, CSS and scripts: what MkDocs alone costs for exactly our content.

Both have the same pages at the same paths as our site, the same navigation (the generator's own,
asked of it in a child process), and the record-like pages out of the navigation with
``not_in_nav`` written per folder, as a person would write it. The navigation is pruned, as ours
is, above the generator's threshold.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
# What the theme, not the page, puts in the article: the as-of line, a share's banner, Material's
# edit and view buttons. The plain builds have none of these.
THEME_PARTS = re.compile(
    r'<p class="pf-(?:asof|banner)"[^>]*>.*?</p>|<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S
)


def article_html(page_html: str) -> str:
    """The inner HTML of a built page's article, without what the theme added around the content."""
    found = ARTICLE.search(page_html)
    return THEME_PARTS.sub("", found.group(1)) if found else ""



# Run in a child process with the checkout's generator: its pages, navigation and theme.
PLAN_WRITER = r'''
import json, sys, yaml
from pathlib import Path
from generator.mkdocs.engine import mkdocs_config, portfolio_plugin
from generator.pipeline import prepare, parse_as_of
from generator.site.plan import attachments_of, plan_pages

project, out, as_of = Path(sys.argv[1]), Path(sys.argv[2]), parse_as_of(sys.argv[3])
portfolio, _ = prepare(project, as_of)
planned = plan_pages(portfolio, attachments_of(portfolio))
config = mkdocs_config(project, out.parent / "unused")
plugin = portfolio_plugin(config)
plugin.portfolio = portfolio
nav = plugin._navigation(planned, None)
theme = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]
try:
    from generator.mkdocs.plugin import prunes_navigation
except ImportError:  # a generator from before pruning
    prunes_navigation = lambda option, pages: False
if prunes_navigation(plugin.config.get("prune_navigation"), len(planned)):
    theme["features"] = [*theme.get("features", []), "navigation.prune"]
pages = [{"uri": p.uri, "in_nav": p.in_nav} for p in planned]
out.write_text(json.dumps({"pages": pages, "nav": nav, "theme": theme}), encoding="utf-8")
'''


@dataclass
class SitePlan:
    """Our site's pages (``uri`` as MkDocs names the source, ``in_nav``), navigation and theme."""

    pages: list[dict[str, Any]]
    nav: list[Any]
    theme: dict[str, Any]

    def not_in_nav(self) -> str:
        """``/actions/*.md`` with the folder's pages in the nav let back in, rather than one line
        per page (thousands of patterns, each matched against every file, would make MkDocs' own
        cost grow with the square of the pages and flatter the generator)."""
        folders: dict[str, list[str]] = {}
        for page in self.pages:
            folder = page["uri"].rpartition("/")[0]
            folders.setdefault(folder, [])
            if not page["in_nav"]:
                folders[folder].append(page["uri"])
        lines = []
        for folder, hidden in sorted(folders.items()):
            if not hidden:
                continue
            lines.append(f"/{folder}/*.md" if folder else "/*.md")
            lines += [f"!/{p['uri']}" for p in self.pages if p["in_nav"] and p["uri"].rpartition("/")[0] == folder]
        return "\n".join(lines)


def plan_site(project: Path, work: Path, as_of: str, repo: Path, env: dict[str, str]) -> SitePlan:
    """Ask the checkout's generator which pages it builds, in a child process of its own."""
    out = work / f"{project.name}-plan.json"
    result = subprocess.run([sys.executable, "-c", PLAN_WRITER, str(project), str(out), as_of],
                            cwd=repo, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise SystemExit(f"planning the baselines' pages failed:\n{result.stderr}")
    data = json.loads(out.read_text(encoding="utf-8"))
    return SitePlan(data["pages"], data["nav"], data["theme"])


def built_page(site: Path, uri: str) -> Path:
    """Where our build wrote the page MkDocs knows as ``uri`` (``use_directory_urls: false``)."""
    return site / (uri[: -len(".md")] + ".html")


def _settings(plan: SitePlan, site_name: str, theme: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "site_name": site_name,
        "docs_dir": "docs",
        "use_directory_urls": False,
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": ["tables", {"toc": {"permalink": False}}, "admonition", "attr_list"],
        **extra,
        "nav": plan.nav,
        "not_in_nav": plan.not_in_nav(),
    }


def _write(out: Path, pages: dict[str, str], settings: dict[str, Any]) -> int:
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for uri, text in pages.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (out / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return len(pages)


def write_handwritten(plan: SitePlan, site: Path, out: Path, seed: int) -> int:
    """Baseline A under ``out`` (docs/ and mkdocs.yml): a hand-written page for each of ours."""
    from benchmarks.handwritten import page_facts, write_page

    pages = {}
    for page in plan.pages:
        article = article_html(built_page(site, page["uri"]).read_text(encoding="utf-8"))
        title, links = page_facts(article)
        pages[page["uri"]] = write_page(page["uri"], title, links, len(article.strip().encode("utf-8")), seed)
    theme = {k: v for k, v in plan.theme.items() if k != "custom_dir"}
    return _write(out, pages, _settings(plan, "Hand-written governance pages", theme, {}))


def write_our_markdown(plan: SitePlan, site: Path, out: Path, repo: Path) -> int:
    """Baseline B under ``out``: the Markdown of each of our pages, from our build's articles.

    Converting is slow (markdownify over BeautifulSoup: about 0.2 MB of HTML a second), so the
    pages are shared between processes, one per CPU; each page's Markdown depends on its page
    alone, so the files are the same whatever the number of processes."""
    excluded = search_exclusions(site)
    work = []
    for page in plan.pages:
        location = page["uri"][: -len(".md")] + ".html"
        sections, whole = excluded.get(location, (set(), False)) if excluded is not None else (set(), False)
        work.append((str(built_page(site, page["uri"])), sorted(sections), whole))
    processes = min(os.cpu_count() or 1, max(1, len(work) // 50))
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            converted = pool.map(_page_markdown, work, chunksize=32)
    else:
        converted = [_page_markdown(item) for item in work]
    pages = {page["uri"]: text for page, text in zip(plan.pages, converted)}
    theme = {**plan.theme, "custom_dir": str(repo / "theme" / "overrides")}
    extra = {"extra_css": ["assets/portfolio.css"], "extra_javascript": ["assets/portfolio-table.js"],
             "extra": {"generator": False}}
    return _write(out, pages, _settings(plan, "Plain MkDocs, the same pages", theme, extra))


def _page_markdown(item: tuple[str, list[str], bool]) -> str:
    from benchmarks.html_markdown import to_markdown  # markdownify: the bench extra

    path, sections, whole = item
    built = Path(path).read_text(encoding="utf-8")
    hide_toc = re.search(r'data-md-type="toc"\s*hidden', built) is not None
    return to_markdown(article_html(built), sections, whole, hide_toc)


HEADING_ID = re.compile(r'<h[2-6][^>]* id="([^"]+)"')  # an h1 is the page's own entry


def search_exclusions(site: Path) -> dict[str, tuple[set[str], bool]] | None:
    """For each page of our site: the ids of its headings whose sections Material's search index
    leaves out, and whether it leaves out the whole page. None when our site has no Material
    index (a site searched with Pagefind): then B excludes nothing."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return None
    locations = {doc["location"] for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]}
    pages = {location.partition("#")[0] for location in locations}
    found: dict[str, tuple[set[str], bool]] = {}
    for path in site.rglob("*.html"):
        location = path.relative_to(site).as_posix()
        if location not in pages:
            found[location] = (set(), True)
            continue
        ids = HEADING_ID.findall(article_html(path.read_text(encoding="utf-8")))
        found[location] = ({i for i in ids if f"{location}#{i}" not in locations}, False)
    return found
