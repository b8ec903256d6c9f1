"""The scale benchmark's figures against issue 17's targets, and the tables it prints.

Each target is judged at the size it names when that size was run; otherwise at the largest size
run, and the row says so (a quick run at 20 actions still shows every target, judged on what
it has). A figure not measured (no Chromium, serve skipped, one size only) is "not measured".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

GIB_MB = 1024.0


@dataclass(frozen=True)
class Target:
    name: str
    size: int | None  # the number of actions it is judged at; None: across the sizes run
    limit: float
    unit: str
    figure: Callable[[dict[str, Any]], float | None]  # from one size's row (or the report, for size None)


def _ratio(row: dict[str, Any]) -> float | None:
    return row["ratios"]["handwritten"]["median"]


def _peak_mb(row: dict[str, Any]) -> float | None:
    ours = row["builds"]["portfolio"]
    return max(ours["peak_rss_mb"], ours.get("peak_tree_mb") or 0.0, row["check"]["peak_rss_mb"])


def _search(row: dict[str, Any]) -> float | None:
    """From typing a query to its first results, on our site (the target's measure)."""
    return row["search_first_results_seconds"].get("after typing")


def _growth(report: dict[str, Any]) -> float | None:
    return report.get("per_action_growth")


def _serve(report: dict[str, Any]) -> float | None:
    serve = report.get("serve")
    return serve.get("median_page_shows_edit_seconds") if serve else None


TARGETS = [
    Target("build at most 1.0x plain MkDocs on hand-written pages (A), at 2,000 actions", 2000, 1.0, "x", _ratio),
    Target("build at most 1.0x plain MkDocs on hand-written pages (A), at 10,000 actions", 10000, 1.0, "x", _ratio),
    Target("build cost per action at the largest size within 1.3x of that at the smallest", None, 1.3, "x", _growth),
    Target("peak memory under 1 GiB at 10,000 actions", 10000, GIB_MB, "MB", _peak_mb),
    Target("search: first results within 1 s at 10,000 actions, over HTTP, in Chromium", 10000, 1.0, "s", _search),
    Target("serve: an edit shows in under 1 s at 2,000 actions", None, 1.0, "s", _serve),
    Target("portfolio check under 5 s at 10,000 actions", 10000, 5.0, "s", lambda row: row["check"]["median_seconds"]),
]


def judge(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with the figure measured for it, and met, not met, or not measured."""
    rows = {row["actions"]: row for row in report["sizes"]}
    judged = []
    for target in TARGETS:
        at: int | None = None
        note = ""
        if target.size is None:
            value = target.figure(report)
            if target.figure is _serve and report.get("serve"):
                at = report["serve"]["actions"]
                note = "" if at == 2000 else f"measured at {at:,} actions"
        else:
            at = target.size if target.size in rows else (max(rows) if rows else None)
            value = target.figure(rows[at]) if at is not None else None
            if at is not None and at != target.size:
                note = f"measured at {at:,} actions, not {target.size:,}"
        met = None if value is None else value < target.limit if target.unit != "x" else value <= target.limit
        judged.append({"target": target.name, "limit": target.limit, "unit": target.unit, "actions": at,
                       "measured": None if value is None else round(value, 3), "met": met, "note": note})
    return judged


def _seconds(build: dict[str, Any]) -> str:
    text = f"{build['median_seconds']:.1f} s"
    if len(build["all_seconds"]) > 1:
        text += f" ({build['fastest_seconds']:.1f})"
    return text


def tables(report: dict[str, Any]) -> str:
    """The builds, the other figures and the targets, as Markdown tables."""
    head = ["N actions", "records", "pages (ours / A / B)", "portfolio build", "A: hand-written", "B: our Markdown",
            "ours/A", "ours/B", "CPU ours/A", "CPU ours/B", "ms/action", "peak RSS (ours / A / B)"]
    lines = ["Builds: median of the repeats (fastest in brackets)", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in report["sizes"]:
        b = r["builds"]
        p, a, m = b["portfolio"], b["handwritten"], b["our_markdown"]
        ra, rb = r["ratios"]["handwritten"], r["ratios"]["our_markdown"]
        lines.append("| " + " | ".join([
            f"{r['actions']:,}", f"{r['records']:,}", f"{p['pages']:,} / {a['pages']:,} / {m['pages']:,}",
            _seconds(p), _seconds(a), _seconds(m), f"{ra['median']:.2f}x", f"{rb['median']:.2f}x",
            f"{ra['cpu']:.2f}x", f"{rb['cpu']:.2f}x", f"{r['ms_per_action']:.1f}",
            f"{p['peak_rss_mb']:.0f} / {a['peak_rss_mb']:.0f} / {m['peak_rss_mb']:.0f} MB",
        ]) + " |")
    head = ["N actions", "check (median)", "article (ours / A / B)", "avg page", "largest page", "output",
            "search index", "first search results"]
    lines += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in report["sizes"]:
        b = r["builds"]
        p = b["portfolio"]
        search = ", ".join(f"{name} {value:.1f} s" if value is not None else f"{name} -"
                           for name, value in r["search_first_results_seconds"].items())
        lines.append("| " + " | ".join([
            f"{r['actions']:,}", f"{r['check']['median_seconds']:.2f} s",
            " / ".join(f"{b[k]['avg_article_bytes'] / 1000:.1f}" for k in ("portfolio", "handwritten", "our_markdown")) + " KB",
            f"{p['avg_page_bytes'] / 1000:.1f} KB", f"{p['largest_page_bytes'] / 1000:.0f} KB",
            f"{p['output_bytes'] / 1e6:,.1f} MB", f"{p['search_index_bytes'] / 1e6:,.1f} MB", search,
        ]) + " |")
    if report.get("per_action_growth") is not None:
        first, last = report["sizes"][0], report["sizes"][-1]
        lines += ["", f"Build cost per action at {last['actions']:,} actions is {report['per_action_growth']:.2f}x "
                      f"that at {first['actions']:,}."]
    lines += ["", "| target | measured | |", "|---|---|---|"]
    for t in report["targets"]:
        measured = "-" if t["measured"] is None else f"{t['measured']:g}{' ' if t['unit'] != 'x' else ''}{t['unit']}"
        if t["note"]:
            measured += f" ({t['note']})"
        verdict = {True: "met", False: "not met", None: "not measured"}[t["met"]]
        lines.append(f"| {t['target']} | {measured} | {verdict} |")
    return "\n".join(lines)
