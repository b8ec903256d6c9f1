"""Scale benchmark: a large provider group's portfolio against plain MkDocs, two ways, in one run.

Not a test (pytest never collects it; tests/test_scale.py runs it with ``--quick``). Run from the
repository:

    python benchmarks/scale.py                       # N = 500, 2,000 and 10,000 actions
    python benchmarks/scale.py --sizes 500 2000      # chosen sizes
    python benchmarks/scale.py --sizes 2000 --repeat 3 --serve-size 2000 --serve-edits 5
    python benchmarks/scale.py --quick               # 20 actions, no browser, no serve: the harness works
    python benchmarks/scale.py --check-only --sizes 10000 --repeat 5   # portfolio check alone

For each N it writes a synthetic portfolio in the spec's format (N actions, N/5 sources, N/2
evidence items, N/50 meetings (at least 12), three services; a realistic mix of statuses,
extension chains, milestones, updates, escalations, closures with evidence, follow-ups, measures,
repeat findings and flags), checks it with ``portfolio check``, and builds, in the same run:

- **ours**: ``portfolio build``;
- **A, the user's alternative**: plain ``mkdocs build`` + Material on hand-written pages, one
  for each of ours and of about its size (``benchmarks/handwritten.py``);
- **B, our pages through MkDocs**: plain ``mkdocs build`` on the Markdown of our own pages
  (``benchmarks/html_markdown.py``).

A and B have our pages' paths, our navigation and the record pages out of it with
``not_in_nav`` (``benchmarks/baselines.py``). Each repeat alternates the order of the three
builds (ours, A, B, then B, A, ours) so a warm cache favours none; the median and the fastest of
the repeats are reported. Each command runs as a child process; its wall-clock time, its CPU time
and its peak resident memory (``os.wait4``'s rusage of that child) are recorded, and the memory
of its whole process tree is sampled (``benchmarks/memory.py``). Search is timed in Chromium over
HTTP, ``portfolio serve`` edits on one size. The figures and issue 17's targets beside them
(``benchmarks/report.py``) are printed and written as JSON to ``benchmarks/results/``.

``--serve-size N`` (default 2,000 when that size is run; 0 to skip) also starts
``portfolio serve`` on that portfolio and measures how long an edit to a content file takes to
show: from the file's save to the rebuilt page being served, and to the rebuild being finished
(when the browser is told to reload).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"

if sys.path[:1] != [str(REPO)]:  # this checkout's benchmarks/ first, run as a script or loaded by the tests
    sys.path.insert(0, str(REPO))

from benchmarks.baselines import SitePlan, article_html, plan_site, write_handwritten, write_our_markdown  # noqa: E402
from benchmarks.memory import TreeMemory  # noqa: E402
from benchmarks.report import judge, tables  # noqa: E402
from benchmarks.synthetic import AS_OF, write_portfolio  # noqa: E402

# -- the builds ---------------------------------------------------------------------------------

BUILDS = ("portfolio", "handwritten", "our_markdown")  # ours, baseline A, baseline B
HANDWRITTEN_SEED = 20261122


def build_order(repeat_index: int) -> tuple[str, ...]:
    """Ours, A, B; then B, A, ours: a warm cache favours no build over the whole run."""
    return BUILDS if repeat_index % 2 == 0 else BUILDS[::-1]


def write_baseline(name: str, plan: SitePlan, our_site: Path, out: Path) -> int:
    """Baseline A or B's docs/ and mkdocs.yml under ``out``, from our built site; its page count."""
    if name == "handwritten":
        return write_handwritten(plan, our_site, out, HANDWRITTEN_SEED)
    return write_our_markdown(plan, our_site, out, REPO)


def build_command(name: str, project: Path, inputs: Path, site: Path) -> tuple[list[str], Path]:
    """The command that builds ``name``'s site into ``site``, and where it runs."""
    if name == "portfolio":
        return [*portfolio_command(), "--project", str(project), "build", "--as-of", AS_OF.isoformat(), "--site-dir", str(site)], REPO
    return [*mkdocs_command(), "build", "-q", "-f", str(inputs / "mkdocs.yml"), "-d", str(site)], inputs


# -- measuring ----------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system time of the child: steadier than wall clock on a busy machine
    peak_rss_mb: float
    returncode: int
    peak_tree_mb: float = 0.0  # the largest sum of PSS over the child and its descendants, sampled


def measure(command: list[str], cwd: Path, log: Path, extra_env: dict[str, str] | None = None) -> Run:
    """Wall clock and peak RSS of one child process (os.wait4 gives that child's own rusage).

    The processes a child forks (``portfolio check`` reads large portfolios with several) are
    counted in: CPU time is theirs added up, ``ru_maxrss`` the largest of them, not their sum;
    ``peak_tree_mb`` is their sum, sampled.
    """
    env = {**child_env(), **(extra_env or {})}
    with log.open("w", encoding="utf-8") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        with TreeMemory(child.pid) as tree:
            _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode, tree.peak_mb)


def site_figures(site: Path) -> dict[str, Any]:
    pages = [p for p in site.rglob("*.html")]
    sizes = {p: p.stat().st_size for p in pages}
    html_bytes = sum(sizes.values())
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    docs = len(json.loads(index.read_text(encoding="utf-8"))["docs"]) if index.is_file() else 0
    biggest = max(pages, key=sizes.__getitem__)
    # The page's own content, without the navigation and theme around it: what the baselines match.
    articles = [len(article_html(p.read_text(encoding="utf-8")).strip().encode("utf-8")) for p in pages if p.name != "404.html"]
    return {
        "pages": len(pages),
        "output_bytes": total,
        "html_bytes": html_bytes,
        "search_index_bytes": index.stat().st_size if index.is_file() else 0,
        "search_index_docs": docs,
        "avg_page_bytes": html_bytes // max(1, len(pages)),
        "avg_article_bytes": sum(articles) // max(1, len(articles)),
        "largest_page": str(biggest.relative_to(site)),
        "largest_page_bytes": sizes[biggest],
    }


SEARCH_PROBE = r"""
import functools, http.server, socketserver, sys, threading, time
from playwright.sync_api import sync_playwright

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
threading.Thread(target=server.serve_forever, daemon=True).start()
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=sys.argv[2], args=["--no-sandbox"])
    page = browser.new_page()
    start = time.perf_counter()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
    page.locator(".md-search__input").fill(sys.argv[3])
    # "12 matching documents", or "3.1k matching documents" once there are thousands.
    page.wait_for_function("() => /[\\d.]+k? matching document/.test(document.querySelector('.md-search-result__meta')?.textContent || '')", timeout=300_000)
    print(time.perf_counter() - start)
    browser.close()
server.shutdown()
"""
CHROMIUM = "/usr/bin/chromium"


def search_ready_seconds(site: Path, query: str = "audit") -> float | None:
    """Seconds from opening the home page in Chromium to the first search results: Material's
    search worker fetches search_index.json and builds its index in the browser first. None
    when Playwright or Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        return None
    result = subprocess.run([sys.executable, "-c", SEARCH_PROBE, str(site), CHROMIUM, query], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"  (search in the browser not measured: {result.stderr.strip().splitlines()[-1:]})", flush=True)
        return None
    return round(float(result.stdout.strip().splitlines()[-1]), 2)


def portfolio_command() -> list[str]:
    """This checkout's generator (run from the repository), not whichever copy is installed."""
    return [sys.executable, "-m", "generator.cli"]


def mkdocs_command() -> list[str]:
    return [sys.executable, "-m", "mkdocs"]


def child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def _material_search(site: Path) -> float | None:
    """Material's own search, when the site has its index (a site searched otherwise has none)."""
    if not (site / "search" / "search_index.json").is_file():
        return None
    return search_ready_seconds(site)


def _typed_search(site: Path) -> float | None:
    """Seconds from typing a word into the search box of a site already open to its first
    results (benchmarks/search.py): the issue's target, whichever search answers the box."""
    if not Path(CHROMIUM).exists() or not (site / "search" / "search_index.json").is_file():
        return None
    from benchmarks.search import search_timings

    try:
        return round(statistics.median(search_timings(site)["from_query_seconds"] for _ in range(3)), 2)
    except SystemExit as exc:  # Playwright missing, or the page failed: not measured
        print(f"  (search after typing not measured: {exc})", flush=True)
        return None


# Seconds to the first results, each probe on our built site, None when the site does not offer
# that search or the browser is missing: from opening the home page (the search's index loaded
# first), and from typing, on a page already open (the target).
SEARCH_PROBES: dict[str, Callable[[Path], float | None]] = {"from opening": _material_search, "after typing": _typed_search}


def summary(runs: list[Run], site: Path | None = None) -> dict[str, Any]:
    """The median and fastest of repeated runs of one command, and the site it built."""
    times = sorted(r.seconds for r in runs)
    cpu = sorted(r.cpu_seconds for r in runs)
    figures = {
        "median_seconds": round(statistics.median(times), 2), "fastest_seconds": round(times[0], 2),
        "all_seconds": [round(r.seconds, 2) for r in runs],
        "cpu_seconds": round(statistics.median(cpu), 2), "fastest_cpu_seconds": round(cpu[0], 2),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
        "peak_tree_mb": round(max(r.peak_tree_mb for r in runs), 1),
    }
    return {**figures, **site_figures(site)} if site is not None else figures


def bench_size(n: int, work: Path, repeat: int, search: bool = True) -> dict[str, Any]:
    project = work / f"portfolio-{n}"
    print(f"\n== N = {n:,} actions ==", flush=True)
    started = time.perf_counter()
    generated = write_portfolio(project, n)
    records = sum(1 for _ in (project / "content").rglob("*.md"))
    print(f"wrote {records:,} record files in {time.perf_counter() - started:.1f} s: {asdict(generated)}", flush=True)

    checks = check_runs(project, work, n, repeat)
    check = summary(checks)
    print(f"portfolio check: {check['median_seconds']:.2f} s (median), {check['peak_rss_mb']:.0f} MB", flush=True)

    plan = plan_site(project, work, AS_OF.isoformat(), REPO, child_env())
    sites = {"portfolio": work / f"site-{n}", "handwritten": work / f"handwritten-site-{n}", "our_markdown": work / f"markdown-site-{n}"}
    inputs = {"portfolio": project, "handwritten": work / f"handwritten-{n}", "our_markdown": work / f"markdown-{n}"}
    written: dict[str, int] = {}
    writing: dict[str, float] = {}  # seconds to write each baseline's pages (B's conversion is slow)
    runs: dict[str, list[Run]] = {name: [] for name in BUILDS}
    for k in range(repeat):
        # The baselines' pages are written from our first build (always the first), untimed.
        for name in build_order(k):
            if name != "portfolio" and name not in written:
                began = time.perf_counter()
                written[name] = write_baseline(name, plan, sites["portfolio"], inputs[name])
                writing[name] = round(time.perf_counter() - began, 1)
            command, cwd = build_command(name, project, inputs[name], sites[name])
            run = measure(command, cwd, work / f"{name}-{n}.log")
            if run.returncode != 0:
                raise SystemExit(f"{name} build failed for N={n}; see {work / f'{name}-{n}.log'}")
            runs[name].append(run)
        print(f"  run {k + 1}: " + "; ".join(f"{name} {runs[name][-1].seconds:.1f} s ({runs[name][-1].peak_rss_mb:.0f} MB)"
                                             for name in BUILDS), flush=True)
    builds = {name: summary(runs[name], sites[name]) for name in BUILDS}
    ours = builds["portfolio"]
    searches = {name: probe(sites["portfolio"]) if search else None for name, probe in SEARCH_PROBES.items()}
    for name, seconds in searches.items():
        if seconds is not None:
            print(f"  search ({name}) in Chromium: first results {seconds:.1f} s after opening the site", flush=True)
    return {
        "actions": n,
        "records": records,
        "generated": asdict(generated),
        "check": check,
        "baseline_pages_written": written,
        "baseline_writing_seconds": writing,
        "builds": builds,
        "ratios": {name: {"median": round(ours["median_seconds"] / builds[name]["median_seconds"], 3),
                          "fastest": round(ours["fastest_seconds"] / builds[name]["fastest_seconds"], 3),
                          "cpu": round(ours["cpu_seconds"] / builds[name]["cpu_seconds"], 3)}
                   for name in BUILDS[1:]},
        "ms_per_action": round(1000 * ours["median_seconds"] / n, 3),
        "ms_per_record": round(1000 * ours["median_seconds"] / records, 3),
        "search_first_results_seconds": searches,
    }


def check_runs(project: Path, work: Path, n: int, repeat: int, processes: int | None = None) -> list[Run]:
    """``portfolio check`` run ``repeat`` times; ``processes`` sets PORTFOLIO_PROCESSES (None: the
    generator decides)."""
    runs = []
    for _ in range(repeat):
        env = {"PORTFOLIO_PROCESSES": str(processes)} if processes else {}
        run = measure([*portfolio_command(), "--project", str(project), "check"], REPO, work / f"check-{n}.log", env)
        if run.returncode != 0:
            raise SystemExit(f"portfolio check failed for N={n}; see {work / f'check-{n}.log'}")
        runs.append(run)
    return runs


def bench_check(n: int, work: Path, repeat: int) -> dict[str, Any]:
    """``portfolio check`` alone, as the generator runs it and in one process, alternated."""
    project = work / f"portfolio-{n}"
    print(f"\n== N = {n:,} actions: portfolio check ==", flush=True)
    write_portfolio(project, n)
    records = sum(1 for _ in (project / "content").rglob("*.md"))
    default: list[Run] = []
    single: list[Run] = []
    for _ in range(repeat):
        default += check_runs(project, work, n, 1)
        single += check_runs(project, work, n, 1, processes=1)
    print(f"  as run: {', '.join(f'{r.seconds:.2f}' for r in default)} s; "
          f"one process: {', '.join(f'{r.seconds:.2f}' for r in single)} s", flush=True)

    def figures(runs: list[Run]) -> dict[str, Any]:
        times = sorted(r.seconds for r in runs)
        return {"best_seconds": round(times[0], 2), "median_seconds": round(times[len(times) // 2], 2),
                "all_seconds": [round(r.seconds, 2) for r in runs], "cpu_seconds": round(best(runs).cpu_seconds, 2),
                "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1)}

    return {"actions": n, "records": records, "check": figures(default), "check_one_process": figures(single)}


def check_table(rows: list[dict[str, Any]]) -> str:
    head = ["N actions", "records", "check, best", "check, median", "one process, best", "one process, median", "peak RSS"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        c, o = r["check"], r["check_one_process"]
        lines.append("| " + " | ".join([
            f"{r['actions']:,}", f"{r['records']:,}", f"{c['best_seconds']:.2f} s", f"{c['median_seconds']:.2f} s",
            f"{o['best_seconds']:.2f} s", f"{o['median_seconds']:.2f} s", f"{c['peak_rss_mb']:.0f} MB",
        ]) + " |")
    return "\n".join(lines)


# -- portfolio serve ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def bench_serve(n: int, work: Path, edits: int) -> dict[str, Any]:
    """Time from saving an edited record to the rebuilt page being served, under portfolio serve."""
    project = work / f"portfolio-{n}"
    if not project.is_dir():
        write_portfolio(project, n)
    width = max(4, len(str(n)))
    record = project / "content" / "actions" / f"act-{1:0{width}d}.md"
    original = record.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/actions/act-{1:0{width}d}.html"
    lines: list[tuple[float, str]] = []
    child = subprocess.Popen(
        [*portfolio_command(), "--project", str(project), "serve", "--as-of", AS_OF.isoformat(), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env(),
    )

    def read_stderr() -> None:
        assert child.stderr is not None
        for line in child.stderr:
            lines.append((time.perf_counter(), line.rstrip("\n")))

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    results: dict[str, Any] = {"actions": n, "edits": []}
    try:
        start = time.perf_counter()
        while _get(url) is None:
            if child.poll() is not None or time.perf_counter() - start > 600:
                raise SystemExit("portfolio serve did not start:\n" + "\n".join(text for _, text in lines))
            time.sleep(0.2)
        results["first_build_seconds"] = round(time.perf_counter() - start, 2)
        time.sleep(2)  # let the watcher settle
        for k in range(1, edits + 1):
            marker = f"Edited for the benchmark {k}"
            rebuilt_before = sum(1 for _, text in lines if text.startswith("Rebuilt as of"))
            saved = time.perf_counter()
            record.write_text(original.replace("\ntitle: ", f"\ntitle: {marker}, ", 1), encoding="utf-8")
            shown = done = None
            while time.perf_counter() - saved < 300:
                if shown is None:
                    page = _get(url)
                    if page and marker in page:
                        shown = time.perf_counter() - saved
                finished = [t for t, text in lines if text.startswith("Rebuilt as of")]
                if done is None and len(finished) > rebuilt_before:
                    done = finished[rebuilt_before] - saved
                if shown is not None and done is not None:
                    break
                time.sleep(0.02)
            results["edits"].append({"page_shows_edit_seconds": round(shown, 2) if shown else None,
                                     "rebuild_finished_seconds": round(done, 2) if done else None})
            print(f"  serve edit {k}: page shows it after {shown:.2f} s, rebuild finished after {done:.2f} s", flush=True)
            time.sleep(1.5)
    finally:
        record.write_text(original, encoding="utf-8")
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    shows = sorted(e["page_shows_edit_seconds"] for e in results["edits"] if e["page_shows_edit_seconds"])
    dones = sorted(e["rebuild_finished_seconds"] for e in results["edits"] if e["rebuild_finished_seconds"])
    results["median_page_shows_edit_seconds"] = shows[len(shows) // 2] if shows else None
    results["median_rebuild_finished_seconds"] = dones[len(dones) // 2] if dones else None
    return results


# -- report -------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    from importlib.metadata import version

    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "platform": platform.platform(),
        "python": platform.python_version(), "mkdocs": version("mkdocs"), "mkdocs_material": version("mkdocs-material"),
        "jinja2": version("jinja2"), "markdown": version("markdown"), "pyyaml": version("pyyaml"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000], metavar="N", help="numbers of actions (default: 500 2000 10000)")
    parser.add_argument("--repeat", type=int, default=1, help="builds of each kind per size, in alternating order; the median and the fastest are reported (default 1)")
    parser.add_argument("--serve-size", type=int, default=None, metavar="N", help="measure portfolio serve edits at N actions (default 2000 if among --sizes; 0 skips)")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits timed under serve (default 3)")
    parser.add_argument("--no-search", action="store_true", help="do not time search in Chromium")
    parser.add_argument("--quick", action="store_true", help="20 actions, once, without Chromium or serve: checks the harness end to end")
    parser.add_argument("--workdir", help="where to write the portfolios and sites (default: a temporary folder, removed)")
    parser.add_argument("--label", default="", help="a word added to the results file name")
    parser.add_argument("--no-save", action="store_true", help="print the table only")
    parser.add_argument("--check-only", action="store_true", help="time portfolio check alone, --repeat times (as run, and in one process)")
    parser.add_argument("--serve-only", action="store_true", help="time portfolio serve edits alone (at --serve-size, else the largest of --sizes), without the builds and baselines")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.serve_size, args.no_search = [QUICK_SIZE], 0, True
    if args.check_only:
        return main_check(args, argv)
    if args.serve_only:
        return main_serve(args, argv)
    report = run_scale(args, argv)
    print("\n" + tables(report))
    serve = report["serve"]
    if serve:
        print(f"\nportfolio serve at {serve['actions']:,} actions: first build {serve['first_build_seconds']:.1f} s; "
              f"an edit shows after {serve['median_page_shows_edit_seconds']} s (median), "
              f"rebuild finished after {serve['median_rebuild_finished_seconds']} s")
    m = report["machine"]
    print(f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}, MkDocs {m['mkdocs']}, Material {m['mkdocs_material']}")
    if not args.no_save:
        save(report, "scale", args)
    return 0


QUICK_SIZE = 20


def run_scale(args: argparse.Namespace, argv: list[str] | None) -> dict[str, Any]:
    """Every size, the serve edits, and the targets judged: the report that is printed and saved."""
    serve_size = args.serve_size if args.serve_size is not None else (2000 if 2000 in args.sizes else 0)
    rows, serve = [], None
    with work_dir(args, "portfolio-scale-") as work:
        for n in sorted(args.sizes):
            rows.append(bench_size(n, work, max(1, args.repeat), search=not args.no_search))
        if serve_size:
            print(f"\n== portfolio serve at N = {serve_size:,} ==", flush=True)
            serve = bench_serve(serve_size, work, args.serve_edits)
    report: dict[str, Any] = {"command": command_line(argv), "as_of": AS_OF.isoformat(), "machine": machine(),
                              "repeat": max(1, args.repeat), "sizes": rows, "serve": serve}
    report["per_action_growth"] = (round(rows[-1]["ms_per_action"] / rows[0]["ms_per_action"], 3) if len(rows) > 1 else None)
    report["targets"] = judge(report)
    return report


@contextmanager
def work_dir(args: argparse.Namespace, prefix: str) -> Iterator[Path]:
    """``--workdir``, kept; or a temporary folder, removed afterwards."""
    work = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    try:
        yield work
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def command_line(argv: list[str] | None) -> str:
    """The command that reproduces a report."""
    return "python benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])


def save(report: dict[str, Any], kind: str, args: argparse.Namespace, results: Path = RESULTS) -> Path:
    """``benchmarks/results/<kind>-<sizes>[-<label>].json``, or with ``-2``, ``-3``... before
    ``.json`` when that file exists: a measurement is never written over another."""
    results.mkdir(exist_ok=True)
    stem = f"{kind}-" + "-".join(str(n) for n in sorted(args.sizes)) + (f"-{args.label}" if args.label else "")
    path, number = results / f"{stem}.json", 1
    while path.exists():
        number += 1
        path = results / f"{stem}-{number}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}")
    return path


def main_check(args: argparse.Namespace, argv: list[str] | None) -> int:
    with work_dir(args, "portfolio-check-") as work:
        rows = [bench_check(n, work, max(1, args.repeat)) for n in sorted(args.sizes)]
    report = {"command": command_line(argv), "machine": machine(), "check_sizes": rows}
    print("\n" + check_table(rows))
    m = report["machine"]
    print(f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}")
    if not args.no_save:
        save(report, "check", args)
    return 0


def main_serve(args: argparse.Namespace, argv: list[str] | None) -> int:
    """``--serve-only``: the serve edits alone, as timed in a full run."""
    n = args.serve_size or max(args.sizes)
    with work_dir(args, "portfolio-serve-") as work:
        print(f"\n== portfolio serve at N = {n:,} ==", flush=True)
        serve = bench_serve(n, work, args.serve_edits)
    report = {"command": command_line(argv), "machine": machine(), "serve": serve}
    print(f"\nportfolio serve at {n:,} actions: first build {serve['first_build_seconds']:.1f} s; "
          f"an edit shows after {serve['median_page_shows_edit_seconds']} s (median), "
          f"rebuild finished after {serve['median_rebuild_finished_seconds']} s")
    if not args.no_save:
        save(report, "serve", args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
