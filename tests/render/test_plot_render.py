"""Plots and relations in every format: pgfplots that compiles, SVG, a text chart within 80 columns, JSON data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from symconv.io.writing import LATEX_FLAGS
from symconv.network.quantity import network_quantity
from symconv.problems.solve import solve
from symconv.problems.sweep import sweep
from symconv.render import RENDERERS
from symconv.render.latex import LatexRenderer
from symconv.render.text import TextRenderer

SAVINGS = {"given": {"L": 250, "N": 48, "k": 7, "P": 12}, "range": [1, 48]}


@pytest.fixture(scope="module")
def pdflatex() -> str:
    path = shutil.which("pdflatex")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is not installed: CI must install TeX Live with pgfplots (texlive-pictures)")
        pytest.skip("pdflatex is not installed")
    return path


def compiles(pdflatex: str, tex: str, tmp: Path) -> None:
    (tmp / "doc.tex").write_text(tex, encoding="utf-8")
    proc = subprocess.run(
        [pdflatex, *LATEX_FLAGS, "doc.tex"], cwd=tmp, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0 and (tmp / "doc.pdf").exists(), [
        l for l in proc.stdout.splitlines() if l.startswith("!")
    ]


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_a_sweep_renders_in_every_format(fmt: str) -> None:
    r = sweep("savings", "P", **SAVINGS)
    out = r.document(fmt)
    if fmt == "latex":
        assert "\\usepackage{pgfplots}" in out and "\\pgfplotsset{compat=1.18}" in out
        assert "\\addplot[only marks" in out and "(12,0.946898)" in out
    elif fmt == "html":
        assert "<svg" in out and "</svg>" in out and "<script" not in out.split("<body")[1]
    elif fmt == "json":
        step = next(s for s in json.loads(out)["problems"][0]["steps"] if "plot" in s)
        assert step["plot"]["marked"] == [[12, "23199/24500"]] and len(step["plot"]["points"]) == 48
    else:
        assert "\u25c6" in out  # the marked point in the character chart


def test_pgfplots_only_where_there_is_a_plot() -> None:
    r = solve("conv_output_size", "s", 18, given={"i": 38, "k": 3, "p": 0, "d": 1})
    assert "pgfplots" not in r.document("latex")


def test_the_text_chart_fits_80_columns() -> None:
    for r in (
        sweep("savings", "P", **SAVINGS),
        sweep("macs", "H_o", range=[1, 10_000], given={"W_o": 10**4, "C_out": 4096, "K": 4608}),
    ):
        text = TextRenderer("answer").document([r.derivation])
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if " over " in line and line.endswith(":"))
        chart = lines[start : lines.index("", start)]
        assert len(chart) > 10 and max(len(line) for line in chart) <= 80


def test_plots_with_large_negative_and_fractional_values_compile(pdflatex: str, tmp_path: Path) -> None:
    big = {
        "input": ["S", "S", 3],
        "layers": [
            {"type": "conv", "kernel": 3, "filters": 4096, "padding": 1},
            {"type": "conv", "kernel": 3, "filters": 4096},
        ],
    }
    derivations = [
        sweep(network_quantity(big, "macs"), "S", range=[3, 3000]).derivation,
        sweep("cost_difference", "a", range=[1, 40], given={"b": 25, "a": 7}).derivation,
        sweep("savings", "P", **SAVINGS).derivation,
    ]
    compiles(pdflatex, LatexRenderer("full").document(derivations, "Plots"), tmp_path)


def test_relations_render_their_signs() -> None:
    r = solve("savings", "P", Fraction(9, 10), relation=">=", given={"L": 250, "N": 48, "k": 7})
    assert "P \\le \\frac{29\\,400}{1301}" in r.latex()
    assert "P ≤ 29400/1301" in r.text() and "P ∈ {1, 2, …, 22}" in r.text()


def test_figures_through_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    from symconv.render.figure import PlotError, figure_bytes
    from symconv.solution.derivation import Plot

    plot = next(s for s in sweep("savings", "P", **SAVINGS).steps if isinstance(s, Plot))
    assert figure_bytes(plot, "png").startswith(b"\x89PNG")
    svg = figure_bytes(plot, "svg").decode()
    assert "<svg" in svg
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    with pytest.raises(PlotError, match=r"pip install 'symconv\[plot\]'"):
        figure_bytes(plot, "svg")
