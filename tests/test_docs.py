"""The generated docs are what the commands print today (regenerate: python examples/make_gallery.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_formula_catalogue_page_is_current() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "symconv", "formula", "list", "--format", "markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (ROOT / "docs" / "formulas.md").read_text(encoding="utf-8") == out


def test_readme_starts_with_the_two_setup_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert block[0].startswith("pip install . && symconv solve examples/")
    assert block[1].startswith("pip install '.[test]' && python -m pytest")
    assert lines.index("```sh") <= 3
    # CI runs exactly the README's test command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert block[1] in ci


def test_notebook_views() -> None:
    import symconv

    rf = symconv.receptive_field([4, 4, 4], [1, 2, 2])
    view = rf._repr_latex_()
    assert (
        view.startswith("$$\\begin{aligned}") and "RF_{3} &= RF_{2}" in view and view.endswith("= 13\n\\end{aligned}$$")
    )
    net = symconv.analyse_network({"input": [32, 32, 3], "layers": [{"type": "conv", "kernel": 3, "filters": 8}]})
    assert net._repr_latex_() is None  # a table: notebooks use the Markdown view
    assert "| --- |" in net._repr_markdown_()
