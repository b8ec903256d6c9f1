"""Search for a large live site: a chunked Pagefind index built with the site, answered in
Material's own search box by our worker (theme/search/worker.js).

Material's search plugin parses every page's HTML again (17% of a build at 2,000 actions) and
the browser then builds a lunr index of the whole site on every page load: first results 4.3 s
after opening a site of 2,000 actions, about 25 s at 10,000 (a 30.7 MB index). Pagefind writes
an index split into small chunks at build time; the browser fetches only the chunks a query's
words need and the fragments of the results it shows (benchmarks/README.md has the figures).

What is indexed is each page's article as our plugin made it (``page.content``, read before
Material's search plugin strips the ``data-search-exclude`` marks), never Material's navigation,
header or footer; a section under a heading marked ``data-search-exclude`` is left out, as
Material's search leaves it out. The pages go to a temporary folder, one small file each, and
Pagefind's binary indexes that folder into the site's ``pagefind/`` (Pagefind's Python API
waits 0.1 s for each page it is handed: 6 minutes at 2,000 actions, against seconds for the
binary).

Pagefind's binary holds every page it indexes in memory, about 110 KB a page: 1.85 GB at 10,000
actions. So a large site is indexed in parts of at most :data:`PAGES_PER_INDEX` pages, one run
of the binary each, one after the other: part 0 into ``pagefind/`` (a site of one part is
indexed exactly as it would be whole), part 1 into ``pagefind/part-1/`` and so on, listed in
``pagefind/parts.json``. Our worker merges them with Pagefind's own multisite search
(``mergeIndex``), which searches every part and ranks the results of all by their scores, and
with more than one CPU searches them in several workers at once (theme/search/worker.js). The
parts are also what keeps a common word fast: Pagefind's search of a part costs about the square
of the pages in it that hold the word, so the same pages in smaller parts cost less. A
page's part is decided from the sorted list of the build's pages, before any is built, so it is
the same in whichever process builds the page; the pages are dealt to the parts in turn, so
every part holds a like share of each kind of page, and the scores that Pagefind computes in each
part (from that part's word counts) rank alike.

Which search a site gets (``search`` in site_config/portfolio.yml, :func:`uses_pagefind`):
Pagefind for the live site from :data:`PAGEFIND_FROM_PAGES` pages on, Material's search below
that and always for a site opened from disk (a share or a snapshot: a worker cannot import a
module from ``file://``) and under ``portfolio serve`` / ``mkdocs serve`` (indexing on every save
would cost seconds; serve keeps Material's index up to date page by page, see incremental.py).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .. import resources

#: ``search`` in site_config/portfolio.yml.
SEARCH_MODES = ("auto", "pagefind", "material")

#: From this many pages on, ``search: auto`` gives the live site Pagefind. Material's lunr index
#: is built in the browser on every page load, at about 1.2 ms a page in Chromium on the
#: benchmark machine (4.3 s for 3,601 pages, 25 s for 17,000): under 500 pages its first results
#: come within about 0.6 s, and it also works from a copy opened from disk; above that, the reader
#: waits longer each time, while Pagefind's first results come in well under a second at any size.
PAGEFIND_FROM_PAGES = 500

#: Where the site publishes our search worker (Material's ``__config.search`` points here).
WORKER_URI = "assets/portfolio-search.js"

#: At most this many of a build's pages go to one run of Pagefind's binary (see the module's
#: docstring). Measured at 10,000 actions (19,311 pages, 17,245 of them indexed): one run over
#: them all peaks at 1.85 GB; in 8 parts (about 2,150 indexed pages each) a run peaks at 0.25 GB,
#: next to our process's 0.37 GB then, and the build's processes together at 0.69 GB (PSS). In
#: 16 parts (about 1,080 indexed pages each) a run peaks lower still and the binary's time is the
#: same, while Pagefind's search for "audit" (on 90% of the pages) takes 0.6 times the CPU time
#: it takes in 8 (and 0.4 times in 32 parts, which fetch twice the files for each word typed).
PAGES_PER_INDEX = 1250

#: The other parts of the index, a JSON list of folders in ``pagefind/`` (empty for one part):
#: the worker merges them into its searches.
PARTS_FILE = "parts.json"

#: Pagefind's own user interfaces: the site uses Material's search box, so they are not published.
_UNUSED = re.compile(r"pagefind-(?:ui|modular-ui|component-ui|highlight|worker)\.(?:js|css)")

#: What a part after the first does not need: its searches run on part 0's script and WebAssembly.
_UNUSED_IN_PARTS = re.compile(r"pagefind\.js|wasm\..*\.pagefind")

_HEADING = re.compile(r"<h[1-6][\s>]", re.I)
_EXCLUDED = re.compile(r"<h[1-6]\b[^>]*\sdata-search-exclude\b", re.I)


def uses_pagefind(mode: str, pages: int, *, from_disk: bool, serving: bool) -> bool:
    """Whether a site of ``pages`` pages gets Pagefind (see the module's docstring)."""
    if from_disk or serving or mode == "material":
        return False
    return mode == "pagefind" or pages >= PAGEFIND_FROM_PAGES


def part_count(pages: int) -> int:
    """How many parts an index of ``pages`` pages is made in: as few as hold them all."""
    return max(1, -(-pages // max(1, PAGES_PER_INDEX)))


def part_folder(part: int) -> str:
    """Where part ``part`` is published, relative to ``pagefind/``."""
    return "" if part == 0 else f"part-{part}"


def searchable_html(content: str) -> str:
    """A page's article without the sections Material's search skips: from a heading marked
    ``data-search-exclude`` to the next heading of any level (Material's sections end there)."""
    if "data-search-exclude" not in content:
        return content
    kept: list[str] = []
    at = 0
    while (found := _EXCLUDED.search(content, at)) is not None:
        kept.append(content[at:found.start()])
        following = _HEADING.search(content, found.end())
        at = following.start() if following else len(content)
    kept.append(content[at:])
    return "".join(kept)


def index_page(title: str, content: str) -> str:
    """What Pagefind reads of one page: its title and its article."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body data-pagefind-body>'
        f'<p data-pagefind-ignore data-pagefind-meta="title">{html.escape(title, quote=False)}</p>'
        f"{searchable_html(content)}</body></html>"
    )


@cache
def material_worker() -> str:
    """Material's own search worker as its ``__config`` names it (``assets/javascripts/workers/
    search.HASH.min.js``): the one string our template swaps for :data:`WORKER_URI`."""
    from ..share.offsite import material_dir

    found = sorted((material_dir() / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not found:
        raise PagefindError("Material's search worker was not found in the installed mkdocs-material")
    return found[0].relative_to(material_dir()).as_posix()


def worker_source() -> bytes:
    """Our search worker: Material's worker messages, answered from Pagefind."""
    return (resources.theme_dir() / "search" / "worker.js").read_bytes()


class PagefindError(Exception):
    """Pagefind is not installed, or it failed: the build stops, and the old site stays."""


@dataclass
class PagefindIndexer:
    """Collects the pages of one build, then writes ``pagefind/`` into the site."""

    directory_urls: bool
    #: Every page the build may index (``dest_uri``): which part each goes to is decided from
    #: them before any page is built (see the module's docstring).
    pages: Iterable[str] = ()
    folder: Path | None = None
    parts: int = field(init=False, default=1)
    _part_of: dict[str, int] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        planned = sorted(set(self.pages))
        self.parts = part_count(len(planned))
        if self.parts > 1:
            self._part_of = {uri: n % self.parts for n, uri in enumerate(planned)}

    def part_of(self, dest_uri: str) -> int:
        """The part a page is indexed in; a page nobody planned (another plugin's) by its path."""
        if self.parts == 1:
            return 0
        found = self._part_of.get(dest_uri)
        return found if found is not None else zlib.crc32(dest_uri.encode("utf-8")) % self.parts

    def open(self) -> None:
        """The folder the pages go to: made before the pages are built, since they may be built
        in other processes (generator/mkdocs/pagebuild.py), which write into it too."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="portfolio-pagefind-"))

    def add(self, dest_uri: str, title: str, content: str) -> None:
        """One built page (``actions/act-0042.html``): its title and its article."""
        self.open()
        assert self.folder is not None
        path = self.folder / str(self.part_of(dest_uri)) / dest_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(index_page(title, content), encoding="utf-8")

    def write(self, site_dir: Path) -> None:
        """Index the pages into ``site_dir/pagefind``, part by part, and list the parts after
        the first in ``pagefind/parts.json``; the temporary pages go in every case."""
        try:
            if self.folder is None:
                return
            output = (site_dir / "pagefind").resolve()
            shutil.rmtree(output, ignore_errors=True)
            published: list[str] = []
            for part in range(self.parts):
                pages = self.folder / str(part)
                if part > 0 and not pages.is_dir():
                    continue  # no page of this part was indexed (all left out of search)
                pages.mkdir(exist_ok=True)
                into = output / part_folder(part)
                self._index(pages, into)
                for path in sorted(into.iterdir()):
                    if _UNUSED.fullmatch(path.name) or (part > 0 and _UNUSED_IN_PARTS.fullmatch(path.name)):
                        path.unlink()
                shutil.rmtree(pages, ignore_errors=True)  # this part's pages are done with
                if part > 0:
                    published.append(part_folder(part))
            (output / PARTS_FILE).write_text(json.dumps(published) + "\n", encoding="utf-8")
        finally:
            self.discard()

    def _index(self, pages: Path, output: Path) -> None:
        """One run of Pagefind's binary: the pages in ``pages`` into ``output``."""
        command = [
            str(pagefind_binary()), "--site", str(pages), "--output-path", str(output),
            "--force-language", "en", "--silent",
        ]
        if not self.directory_urls:
            command.append("--keep-index-url")  # URLs exactly as MkDocs writes them (actions/index.html)
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=pages)
        except OSError as exc:
            raise PagefindError(f"Pagefind could not be run: {exc.strerror or exc}") from None
        if result.returncode != 0:
            said = " ".join((result.stderr or result.stdout).split())[:500]
            raise PagefindError(f"Pagefind failed (exit {result.returncode}): {said}")

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def pagefind_binary() -> Path:
    """Pagefind's binary: ``PAGEFIND_BINARY_PATH``, else the one the ``pagefind[bin]`` wheel ships."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise PagefindError("Pagefind is not installed: pip install 'pagefind[bin]'") from None
    try:
        found = get_executable()
    except OSError:
        found = None
    if found is None or not os.access(found, os.X_OK):
        raise PagefindError("Pagefind's binary was not found: pip install 'pagefind[bin]', or set PAGEFIND_BINARY_PATH")
    return found
