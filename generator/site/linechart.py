"""Line charts over months, drawn as SVG at build time (trends and measures across services).

No script and no colour needed: each line has its own dash pattern and marker, named in a legend
under the plot, so a chart reads on screen, in black-and-white print and zoomed in. The SVG is
``role="img"``, named by ``aria-label`` and its ``<title>``, and described by its ``<desc>`` (SVG's
own description: the site's cleaner keeps no ``aria-describedby``), which says in words what the
lines show; the page puts the same figures in a table (the chart's text equivalent).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .charts import CHAR, _fmt, _nice_step

WIDTH = 640
LEFT, RIGHT, TOP = 48, 36, 34  # the right margin fits half the last month's label; the top, a caption
AXIS = 24  # below the plot: the months' labels
PLOT_HEIGHT = 170
LEGEND_ROW = 20
#: Dash patterns and markers, taken in turn; the first line is solid with dots.
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "12 3 3 3")
#: The target: a thin line of dots, a pattern no data line has.
TARGET_DASH = "1 3"
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "ring")


@dataclass(frozen=True)
class Line:
    """One line of a chart: its label, a value per month (None: no value that month)."""

    label: str
    values: Sequence[float | None]
    thick: bool = False  # a summary line (a group's median) drawn heavier


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 4.5:.1f}L{x + 4.5:.1f} {y + 3.5:.1f}L{x - 4.5:.1f} {y + 3.5:.1f}Z"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"/>'
    if kind == "cross":
        return (f'<path d="M{x - 4:.1f} {y - 4:.1f}L{x + 4:.1f} {y + 4:.1f}M{x + 4:.1f} {y - 4:.1f}L{x - 4:.1f} {y + 4:.1f}" '
                'fill="none" stroke="currentColor" stroke-width="2"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="none" stroke="currentColor" stroke-width="1.5"/>'


def _describe(lines: Sequence[Line], labels: Sequence[str], unit: str) -> str:
    """The chart in words: each line's first and latest value, and its highest."""
    said = []
    for line in lines:
        known = [(labels[i], v) for i, v in enumerate(line.values) if v is not None]
        if not known:
            said.append(f"{line.label}: no values")
            continue
        (first_at, first), (last_at, last) = known[0], known[-1]
        high_at, high = max(known, key=lambda item: item[1])
        said.append(
            f"{line.label}: {_fmt(first)}{unit} in {first_at}, {_fmt(last)}{unit} in {last_at}"
            + (f", highest {_fmt(high)}{unit} in {high_at}" if high not in (first, last) else "")
        )
    return "; ".join(said) + "."


def line_chart(
    chart_id: str, title: str, labels: Sequence[str], lines: Sequence[Line], *,
    target: float | None = None, unit: str = "", intro: str = "", caption: str = "",
) -> str:
    """An inline SVG: one point per label (a month), a line per ``lines``, an optional dotted
    target line. ``title`` names the chart to assistive technology, ``caption`` (shorter, seen)
    heads it; ``chart_id`` makes the ids of its title and description unique on the page."""
    count = len(labels)
    values = [v for line in lines for v in line.values if v is not None]
    if target is not None:
        values.append(target)
    low = min([0.0, *values])
    high = max([0.0, *values])
    step = _nice_step(high - low if high > low else 1)
    if step < 1 and all(float(v).is_integer() for v in values):
        step = 1.0  # counts: no half-actions on the axis
    top = math.ceil(high / step) * step if high > low else low + step
    bottom = math.floor(low / step) * step
    plot_w = WIDTH - LEFT - RIGHT
    legend = _legend(lines, target, unit)
    rows = max((item[0] for item in legend), default=-1) + 1
    height = TOP + PLOT_HEIGHT + AXIS + rows * LEGEND_ROW + 6

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - (value - bottom) / (top - bottom))

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    description = (intro + " " if intro else "") + _describe(lines, labels, unit)
    if target is not None:
        description += f" Target {_fmt(target)}{unit}."
    parts = [
        f'<svg class="pf-linechart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        '<g font-family="sans-serif" font-size="12" fill="currentColor" stroke="none">',
    ]
    if caption:
        parts.append(f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold">{escape(caption)}</text>')
    tick = bottom
    while tick <= top + step / 2:
        ty = y(tick)
        parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{escape(_fmt(tick))}</text>')
        tick += step
    base = y(max(bottom, min(0.0, top)))
    parts.append(f'<line x1="{LEFT}" y1="{base:.1f}" x2="{LEFT + plot_w}" y2="{base:.1f}" stroke="currentColor"/>')
    for i in _shown_labels(labels, plot_w):
        parts.append(f'<text x="{x(i):.1f}" y="{TOP + PLOT_HEIGHT + 17}" text-anchor="middle">{escape(labels[i])}</text>')
    if target is not None:
        ty = y(target)
        parts.append(f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" stroke="currentColor" stroke-width="1.5" stroke-dasharray="{TARGET_DASH}"/>')
    for n, line in enumerate(lines):
        dash = DASHES[n % len(DASHES)]
        width = 3 if line.thick else 2
        style = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        for i, value in enumerate([*line.values, None]):
            if value is not None:
                run.append(f"{x(i):.1f},{y(value):.1f}")
                continue
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="currentColor" stroke-width="{width}"{style}/>')
            run = []
        marker = MARKERS[n % len(MARKERS)]
        for i, value in enumerate(line.values):
            if value is not None:
                parts.append(_marker(marker, x(i), y(value)))
    legend_top = TOP + PLOT_HEIGHT + AXIS + 4
    for row, left, which, label in legend:
        parts.append(_legend_item(lines, which, label, left, legend_top + row * LEGEND_ROW))
    parts.append("</g></svg>")
    return "".join(parts)


def _shown_labels(labels: Sequence[str], plot_w: float) -> list[int]:
    """Which month labels fit under the plot without overlapping: every k-th, ending on the last."""
    count = len(labels)
    if count == 0:
        return []
    widest = max(len(label) for label in labels) * CHAR + 8
    spacing = plot_w / (count - 1) if count > 1 else plot_w
    every = max(1, math.ceil(widest / spacing))
    return [i for i in range(count) if (count - 1 - i) % every == 0]


def _legend(lines: Sequence[Line], target: float | None, unit: str) -> list[tuple[int, float, int | None, str]]:
    """(row, left, line number or None for the target, label) of each legend item, in rows
    that fit the chart's width."""
    items: list[tuple[int | None, str]] = [(n, line.label) for n, line in enumerate(lines)]
    if target is not None:
        items.append((None, f"Target {_fmt(target)}{unit}"))
    placed: list[tuple[int, float, int | None, str]] = []
    row, left = 0, float(LEFT)
    for n, label in items:
        width = len(label) * CHAR + 48
        if left > LEFT and left + width > WIDTH - RIGHT:
            row, left = row + 1, float(LEFT)
        placed.append((row, left, n, label))
        left += width
    return placed


def _legend_item(lines: Sequence[Line], n: int | None, label: str, left: float, y: float) -> str:
    """A legend item: a sample of the line (dash and marker) and its label."""
    if n is None:
        sample = f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + 28:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-width="1.5" stroke-dasharray="{TARGET_DASH}"/>'
    else:
        dash = DASHES[n % len(DASHES)]
        style = f' stroke-dasharray="{dash}"' if dash else ""
        width = 3 if lines[n].thick else 2
        sample = (f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + 28:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-width="{width}"{style}/>'
                  + _marker(MARKERS[n % len(MARKERS)], left + 14, y))
    return sample + f'<text x="{left + 34:.1f}" y="{y + 4:.1f}">{escape(label)}</text>'
