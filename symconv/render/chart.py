"""Plots without a plotting library: a character chart for text and Markdown, an inline SVG for HTML.

Both lay out the exact points of a :class:`~symconv.solution.derivation.Plot` on a grid; the
coordinates are turned into floats only here, for placing marks, never for a value that is printed
as an answer. Tick labels are the data's own extremes (text) or rounded "nice" steps (SVG).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from html import escape
from typing import Any

from symconv.core import mathprint
from symconv.solution.derivation import Plot

MARK = "\u25c6"  # ◆ the given problem's point
DOT = "\u2022"  # • a point of the curve


def number_label(value: Any) -> str:
    """A short reading of an exact value for an axis: ``14,370,048``, ``4.089e+09``, ``0.9469``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) < 10**9 else f"{value:.3e}"
    f = float(Fraction(value)) if not isinstance(value, float) else value
    if f == int(f) and abs(f) < 10**9:
        return f"{int(f):,}"
    return f"{f:.4g}"


def _floats(points: Sequence[tuple[Any, Any]]) -> list[tuple[float, float]]:
    return [(float(Fraction(x)), float(Fraction(y))) for x, y in points]


def _scale(v: float, lo: float, hi: float, size: int) -> int:
    if hi == lo:
        return size // 2
    return round((v - lo) / (hi - lo) * (size - 1))


def text_chart(plot: Plot, width: int = 60, height: int = 12) -> list[str]:
    """The curve as lines of text (at most ``width`` + 12 columns): dots, the marked point as ◆, both axes."""
    pts = _floats(plot.points)
    marks = _floats(plot.marked)
    every = pts + marks
    width = max(min(width, len(every)), 20)  # fewer points than columns: one column each, no gaps
    x_lo, x_hi = min(p[0] for p in every), max(p[0] for p in every)
    y_lo, y_hi = min(p[1] for p in every), max(p[1] for p in every)
    grid = [[" "] * width for _ in range(height)]
    for x, y in pts:
        grid[height - 1 - _scale(y, y_lo, y_hi, height)][_scale(x, x_lo, x_hi, width)] = DOT
    for x, y in marks:
        grid[height - 1 - _scale(y, y_lo, y_hi, height)][_scale(x, x_lo, x_hi, width)] = MARK
    y_values = [v for _, v in plot.points] + [v for _, v in plot.marked]
    x_values = [v for v, _ in plot.points] + [v for v, _ in plot.marked]
    top, bottom = number_label(max(y_values)), number_label(min(y_values))
    pad = max(len(top), len(bottom))
    lines = []
    for r, row in enumerate(grid):
        label = top if r == 0 else bottom if r == height - 1 else ""
        tick = "\u2524" if label else "\u2502"
        lines.append(f"{label.rjust(pad)} {tick}{''.join(row).rstrip()}")
    lines.append(" " * pad + " \u2514" + "\u2500" * width)
    left, right = number_label(min(x_values)), number_label(max(x_values))
    x_name = mathprint.text(plot.x)
    axis = left + " " * max(1, width - len(left) - len(right)) + right
    lines.append(" " * (pad + 2) + axis + "  " + x_name)
    y_name = mathprint.text(plot.y) + (f" ({plot.y_text})" if plot.y_text else "")
    lines.insert(0, " " * pad + "  " + y_name)
    return lines


def nice_ticks(lo: float, hi: float, count: int = 7) -> list[float]:
    """About ``count`` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten)."""
    if hi == lo:
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    return ticks


def _tick_label(t: float) -> str:
    if t == int(t) and abs(t) < 1e9:
        return f"{int(t):,}"
    return f"{t:.3g}"


def svg_chart(plot: Plot, width: int = 640, height: int = 360) -> str:
    """The curve as an inline SVG element: axes with round ticks, a polyline, dots and the marked point."""
    left, right, top, bottom = 80, 20, 20, 50
    pts = _floats(plot.points)
    marks = _floats(plot.marked)
    every = pts + marks
    x_lo, x_hi = min(p[0] for p in every), max(p[0] for p in every)
    y_lo, y_hi = min(p[1] for p in every), max(p[1] for p in every)
    if y_hi == y_lo:
        y_lo, y_hi = y_lo - 1, y_hi + 1
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    w, h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * w

    def py(y: float) -> float:
        return top + h - (y - y_lo) / (y_hi - y_lo) * h

    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{escape(plot.label)}" font-family="sans-serif" font-size="12">'
        ),
        f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#999"/>',
    ]
    for t in nice_ticks(x_lo, x_hi):
        x = px(t)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + h}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{top + h + 16}" text-anchor="middle">{_tick_label(t)}</text>')
    for t in nice_ticks(y_lo, y_hi):
        y = py(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + w}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_tick_label(t)}</text>')
    line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
    out.append(f'<polyline points="{line}" fill="none" stroke="#1f5fbf" stroke-width="1.5"/>')
    if len(pts) <= 60:
        out.extend(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="2.5" fill="#1f5fbf"/>' for x, y in pts)
    for (x, y), (ex, ey) in zip(marks, plot.marked):
        out.append(f'<rect x="{px(x) - 5:.1f}" y="{py(y) - 5:.1f}" width="10" height="10" fill="#c0392b"/>')
        label = f"{mathprint.text(plot.x)} = {number_label(ex)}, {mathprint.text(plot.y)} = {number_label(ey)}"
        anchor = "end" if px(x) > left + w / 2 else "start"
        dx = -8 if anchor == "end" else 8
        out.append(
            f'<text x="{px(x) + dx:.1f}" y="{py(y) - 8:.1f}" text-anchor="{anchor}" fill="#c0392b">{escape(label)}</text>'
        )
    x_name = mathprint.text(plot.x) + (f" ({plot.x_text})" if plot.x_text else "")
    y_name = mathprint.text(plot.y) + (f" ({plot.y_text})" if plot.y_text else "")
    out.append(f'<text x="{left + w / 2:.1f}" y="{height - 10}" text-anchor="middle">{escape(x_name)}</text>')
    out.append(
        f'<text x="14" y="{top + h / 2:.1f}" text-anchor="middle" transform="rotate(-90 14 {top + h / 2:.1f})">'
        f"{escape(y_name)}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
