"""A plot as an SVG or PNG figure through matplotlib (the optional extra ``pip install 'symconv[plot]'``)."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import Any

from symconv.core import mathprint
from symconv.errors import SymconvError
from symconv.solution.derivation import Plot


class PlotError(SymconvError):
    """A figure was asked for and matplotlib is not installed."""


def _float(value: Any) -> float:
    return float(Fraction(value))


def figure_bytes(plot: Plot, fmt: str) -> bytes:
    """The plot drawn by matplotlib as ``svg`` or ``png`` bytes: the curve, and the marked points on top.

    Raises:
        PlotError: matplotlib is missing (the message says how to install it).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotError(
            f"a {fmt.upper()} figure needs matplotlib: pip install 'symconv[plot]' "
            "(the LaTeX, HTML, Markdown and text outputs draw the plot without it)"
        ) from None
    xs = [_float(x) for x, _ in plot.points]
    ys = [_float(y) for _, y in plot.points]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    try:
        ax.plot(xs, ys, color="#1f5fbf", marker="o" if len(xs) <= 60 else None, markersize=3, linewidth=1.5)
        for x, y in plot.marked:
            label = f"given: ${mathprint.latex(plot.x)} = {x}$"
            ax.plot([_float(x)], [_float(y)], "s", color="#c0392b", markersize=7, label=label, zorder=3)
        if plot.marked:
            ax.legend()
        ax.set_xlabel(f"${mathprint.latex(plot.x)}$" + (f" ({plot.x_text})" if plot.x_text else ""))
        ax.set_ylabel(f"${mathprint.latex(plot.y)}$" + (f" ({plot.y_text})" if plot.y_text else ""))
        ax.set_title(plot.label, fontsize=10)
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        fig.savefig(out, format=fmt, dpi=150, metadata=metadata)
        return out.getvalue()
    finally:
        plt.close(fig)
