"""Markdown output: math only in $$ blocks, only commands MathJax and KaTeX both know, text escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symconv.io.problemfile import load, parse, solve_all
from symconv.render.markdown import MarkdownRenderer, md_text

# LaTeX commands that KaTeX (the stricter of the two) supports, as far as symconv emits them.
KATEX_COMMANDS = {
    "begin",
    "end",
    "boxed",
    "text",
    "times",
    "cdot",
    "frac",
    "left",
    "right",
    "lfloor",
    "rfloor",
    "lceil",
    "rceil",
    "prod",
    "sum",
    "approx",
    "quad",
    "qquad",
    "sigma",
    "rho",
    "Delta",
    "mathrm",
    "operatorname",
    "max",
    "min",
    "ast",
    "mathopen",
    "mathclose",
    "limits",
    "ldots",
    "cdots",
    "infty",
    "le",
    "ge",
    "leq",
    "geq",
    "neq",
    "to",
    "alpha",
    "beta",
    "gamma",
    "lambda",
    "mu",
    "pi",
    "tau",
    "phi",
    "omega",
    "Sigma",
    "otimes",
    "star",
    "circledast",
    "in",  # relations and sets of the exploring problems (solve, sensitivity), all in KaTeX
    "emptyset",
    "cup",
    "partial",
    "epsilon",
    "varepsilon",  # rich-text labels and answer summaries
    "dots",
    "colon",
    "mid",
    "hphantom",
    "kappa",
    "theta",
    "Theta",
    "delta",
    "eta",
}
KATEX_ENVIRONMENTS = {"aligned", "pmatrix", "gathered", "smallmatrix"}

SHEET = {
    "title": "Sheet <b>1</b> $x$ *bold* \\input{x}",
    "problem": [
        {
            "id": "rf",
            "type": "receptive_field",
            "kernels": [4, [3, 5], "k"],
            "strides": [1, 2, 2],
            "paddings": [1, 0, 0],
            "dilations": [1, 2, 1],
        },
        {"id": "layer", "type": "conv_layer", "input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2},
        {"id": "b", "type": "bottleneck", "input": [54, 54, 250], "kernel": 7, "outputs": 48, "bottleneck": 12},
        {"id": "s", "type": "depthwise_separable", "input": ["H", "W", "M"], "kernel": 3, "outputs": "N"},
        {"id": "o", "type": "output_size", "input": 7, "kernel": 3, "stride": 2, "mode": "ceil"},
    ],
}


@pytest.fixture(scope="module")
def derivations() -> list:
    return [r.derivation for _, r in solve_all(parse(SHEET))]


def math_blocks(md: str) -> list[str]:
    return re.findall(r"^\$\$\n(.*?)\n\$\$$", md, flags=re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("detail", ["full", "compact", "answer"])
def test_math_uses_only_katex_commands(derivations: list, detail: str) -> None:
    md = MarkdownRenderer(detail).document(derivations, SHEET["title"])
    blocks = math_blocks(md)
    assert blocks
    for block in blocks:
        commands = set(re.findall(r"\\([A-Za-z]+)", block))
        assert commands <= KATEX_COMMANDS, commands - KATEX_COMMANDS
        assert set(re.findall(r"\\(?:begin|end)\{(\w+)\}", block)) <= KATEX_ENVIRONMENTS
        assert block.count("{") == block.count("}")
        assert "$" not in block


def test_every_dollar_outside_math_is_escaped(derivations: list) -> None:
    md = MarkdownRenderer("full").document(derivations, SHEET["title"])
    outside = re.sub(r"^\$\$\n.*?\n\$\$$", "", md, flags=re.DOTALL | re.MULTILINE)
    outside = re.sub(r"(?<!\\)\$[^$\n]+(?<!\\)\$", "", outside)  # the formulas in labels: inline math
    assert re.search(r"(?<!\\)\$", outside) is None
    assert "<b>" not in md and "&lt;b>" in md
    assert md.startswith("# Sheet &lt;b>1&lt;/b> \\$x\\$ \\*bold\\* \\\\input{x}\n")


def test_answers_are_boxed_and_matrices_use_pmatrix() -> None:
    from symconv.solution.derivation import Derivation, MatrixEquation

    d = Derivation("M", "convolution", id="m")
    d.add(
        MatrixEquation(
            "Sum", "O", ([[1, 2], [3, 4]], [[0, 1], [1, 0]]), "+", [[1, 3], [4, 4]], answer=True, key="output"
        )
    )
    md = MarkdownRenderer("full").derivation(d)
    assert "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} + " in md
    assert "\\boxed{\\begin{pmatrix} 1 & 3 \\\\ 4 & 4 \\end{pmatrix}}" in md


def test_md_text_neutralises_markdown() -> None:
    assert md_text("a_b*c [x](y) <i> `c` | $") == "a\\_b\\*c \\[x\\](y) &lt;i> \\`c\\` \\| \\$"
    assert md_text("Norris & Sim, a < b") == "Norris & Sim, a < b"  # no literal &amp; where none is needed
    out = md_text("&amp; &#60;")  # but no entity can be written through
    assert "&amp;amp;" in out and "&#60;" not in out
    assert md_text("- item") == "\\- item"
    assert md_text("1. first") == "1\\. first"
    assert "\n" not in md_text("two\nlines")


EXAMPLES = sorted(
    p for p in (Path(__file__).resolve().parents[2] / "examples").glob("*.toml") if not p.name.endswith("-claimed.toml")
)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_use_only_katex_math(path: Path) -> None:
    problems = load(path)
    md = MarkdownRenderer("full").document([r.derivation for _, r in solve_all(problems)], problems.title)
    for block in math_blocks(md):
        assert set(re.findall(r"\\([A-Za-z]+)", block)) <= KATEX_COMMANDS
        assert set(re.findall(r"\\(?:begin|end)\{(\w+)\}", block)) <= KATEX_ENVIRONMENTS


def test_formula_listing_uses_only_katex_math() -> None:
    from symconv.problems.general import catalogue_listing
    from symconv.render.listing import listing

    md = listing(catalogue_listing(), "markdown")
    blocks = math_blocks(md)
    assert len(blocks) == len(catalogue_listing())
    for block in blocks:
        assert set(re.findall(r"\\([A-Za-z]+)", block)) <= KATEX_COMMANDS, block
        assert set(re.findall(r"\\(?:begin|end)\{(\w+)\}", block)) <= KATEX_ENVIRONMENTS
