"""Measures drawn as SVG at build time: no script, readable on screen and in black-and-white print.

The target is a dashed line, the baseline a square and the readings a solid line with dots, so
the chart never depends on colour. The same figures are also on the page as a table.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from ..format.records import Measure

# 400 units wide: on a 390-pixel phone the chart shrinks by a tenth at most, so its 12-unit
# labels stay readable. The right margin fits the target and latest-value labels (see _right).
WIDTH, HEIGHT = 400, 220
LEFT, TOP, BOTTOM = 40, 18, 40
CHAR = 7.6  # the widest a character of a 12-unit sans-serif label is (DejaVu Sans digits)


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _fmt(value: float) -> str:
    return f"{value:g}"


def _right(*labels: str) -> int:
    """A right margin wide enough for the labels written beside the plot's right edge."""
    return max(48, math.ceil(CHAR * max((len(t) for t in labels), default=0)) + 14)


def measure_svg(measure: Measure, as_of: date) -> str:
    """One measure as an inline SVG element (a single line, safe inside a Markdown page)."""
    points = [(r.date, r.value) for r in measure.readings if r.date <= as_of]
    baseline = measure.baseline if measure.baseline and measure.baseline.date <= as_of else None
    dated = ([(baseline.date, baseline.value)] if baseline else []) + points
    if not dated:
        return ""
    values = [v for _, v in dated] + ([measure.target] if measure.target is not None else [])
    low, high = min(0.0, min(values)), max(values)
    step = _nice_step(high - low)
    top = math.ceil(high / step) * step if high > low else low + step
    bottom = math.floor(low / step) * step
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    days = max((last - first).days, 1)
    unit = "" if not measure.unit else measure.unit if measure.unit == "%" else f" {measure.unit}"
    right = _right(
        f"Target {_fmt(measure.target)}{unit}" if measure.target is not None else "",
        f"{_fmt(points[-1][1])}{unit}" if points else "",
    )
    plot_w, plot_h = WIDTH - LEFT - right, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_w * ((day - first).days / days if len(dated) > 1 else 0.5)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - bottom) / (top - bottom))

    summary = [f"{measure.name}{' (' + measure.unit + ')' if measure.unit else ''}"]
    if baseline:
        summary.append(f"baseline {_fmt(baseline.value)} on {baseline.date.isoformat()}")
    if measure.target is not None:
        summary.append(f"target {_fmt(measure.target)}")
    if points:
        summary.append(f"latest {_fmt(points[-1][1])} on {points[-1][0].isoformat()}")
    label = escape(", ".join(summary))
    parts = [
        f'<svg class="pf-chart" role="img" aria-label="{label}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" style="max-width:{WIDTH}px" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{label}</title>",
        f'<g font-family="sans-serif" font-size="12" fill="currentColor" stroke="none">',
    ]
    tick = bottom
    while tick <= top + step / 2:
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{escape(_fmt(tick))}</text>')
        tick += step
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="currentColor"/>')
    dates = sorted({d for d, _ in dated})
    candidates = dates if len(dates) <= 6 else [dates[0], dates[len(dates) // 2], dates[-1]]
    gap = CHAR * 10 + 6  # a date label's width and a little air: labels never overlap
    shown = [candidates[0]]
    for day in candidates[1:]:
        if x(day) - x(shown[-1]) >= gap:
            shown.append(day)
    if len(candidates) > 1 and shown[-1] != candidates[-1]:
        if len(shown) > 1 and x(candidates[-1]) - x(shown[-2]) >= gap:
            shown[-1] = candidates[-1]  # the latest reading's date matters more than one before it
        elif len(shown) == 1 and x(candidates[-1]) - x(shown[0]) >= gap:
            shown.append(candidates[-1])
    for day in shown:
        parts.append(f'<text x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{day.isoformat()}</text>')
    if measure.target is not None:
        ty = y(measure.target)
        parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="currentColor" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{LEFT + plot_w + 6}" y="{ty + 4:.1f}">Target {escape(_fmt(measure.target))}{escape(unit)}</text>')
    if baseline:
        bx, by = x(baseline.date), y(baseline.value)
        parts.append(f'<rect x="{bx - 5:.1f}" y="{by - 5:.1f}" width="10" height="10" fill="none" stroke="currentColor" stroke-width="2"/>')
        parts.append(f'<text x="{bx + 8:.1f}" y="{by - 8:.1f}">Baseline {escape(_fmt(baseline.value))}</text>')
    line = ([(baseline.date, baseline.value)] if baseline else []) + points
    if len(line) > 1:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in line)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="currentColor" stroke-width="2"/>')
    for day, value in points:
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="4"/>')
    if points:
        day, value = points[-1]
        parts.append(f'<text x="{x(day) + 8:.1f}" y="{y(value) + 4:.1f}">{escape(_fmt(value))}{escape(unit)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)
