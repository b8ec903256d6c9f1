"""Reading front matter at scale: the plain reader against the alternatives it must beat.

Issue 16 asked whether ``generator/read/yamlplain.py`` (a hand-written reader for the plain shape
records take) earns its place, against a parse cache keyed on file content (how linters stay
fast) and a maintained parser that keeps line numbers. This times, in one process over every
front matter of a portfolio:

- the plain reader (what ``portfolio check`` does: yamlplain, PyYAML for anything else);
- PyYAML's C loader alone (what the project would do without yamlplain);
- a content-keyed cache, every file a hit (load the pickled cache, hash every front matter);
- the same cache, every file a miss (PyYAML, then hash and save);
- with ``--ruamel``: ruamel.yaml's round-trip loader, which keeps lines, on the first 3,000.

Usage: ``python benchmarks/front_matter.py PORTFOLIO [--repeat 5] [--ruamel]``, PORTFOLIO being a
project folder, e.g. one that ``benchmarks/scale.py --workdir DIR`` left in DIR. Figures are in
benchmarks/README.md ("Reading front matter").
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import pickle
import statistics
import time
from pathlib import Path
from typing import Any, Callable

from generator.read.yamlread import parse, parse_with_pyyaml


def front_matters(project: Path) -> list[str]:
    """The YAML between the first two ``---`` lines of every record under content/."""
    found = []
    for path in sorted((project / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        found.append(text[4:text.index("\n---", 3)])
    return found


def timed(name: str, work: Callable[[], Any], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    print(f"{name:48s} median {statistics.median(runs):6.3f} s   fastest {min(runs):6.3f} s")
    return statistics.median(runs)


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ruamel", action="store_true", help="also time ruamel.yaml (pip install ruamel.yaml)")
    options = parser.parse_args()
    fronts = front_matters(options.project)
    print(f"{len(fronts):,} front matters, {sum(map(len, fronts)) // 1024:,} KiB")
    gc.disable()  # as portfolio check reads (generator/pipeline.py: cycle_collection_paused)
    timed("plain reader (yamlplain, PyYAML for the rest)", lambda: [parse(f, line_offset=1) for f in fronts], options.repeat)
    timed("PyYAML C loader alone", lambda: [parse_with_pyyaml(f, line_offset=1) for f in fronts], options.repeat)
    cache = pickle.dumps({digest(f): parse_with_pyyaml(f, line_offset=1) for f in fronts}, protocol=5)
    print(f"{'cache file':48s} {len(cache) // 1024:,} KiB")

    def hits() -> list[Any]:
        loaded = pickle.loads(cache)
        return [loaded[digest(f)] for f in fronts]

    def misses() -> bytes:
        return pickle.dumps({digest(f): parse_with_pyyaml(f, line_offset=1) for f in fronts}, protocol=5)

    timed("content-keyed cache, every file a hit", hits, options.repeat)
    timed("content-keyed cache, every file a miss", misses, max(1, options.repeat // 2))
    if options.ruamel:
        from ruamel.yaml import YAML

        some = fronts[:3000]
        loader = YAML(typ="rt")
        timed(f"ruamel.yaml round trip, first {len(some):,}", lambda: [loader.load(f) for f in some], 1)
        timed(f"PyYAML C loader alone, first {len(some):,}", lambda: [parse_with_pyyaml(f, line_offset=1) for f in some], 1)


if __name__ == "__main__":
    main()
