"""The generated docs are what the commands print today (regenerate: python examples/make_gallery.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    """Every result has a multi-line LaTeX view with its labels; long network tables are cut in the middle."""
    import symconv
    from symconv.render import layout

    rf = symconv.receptive_field([4, 4, 4], [1, 2, 2])
    view = rf._repr_latex_()
    assert view.startswith("$$\\begin{aligned}") and view.endswith("\\end{aligned}$$")
    assert "&\\text{Layer 3}" in view and "\\mathrm{RF}_{3} &= \\mathrm{RF}_{2}" in view
    rows = view.split("\\\\\n")
    assert max(layout.width(r) for r in rows if "array" not in r) <= layout.DISPLAY_PT  # PDF export fits the page

    layers = [{"name": f"conv{i}", "type": "conv", "kernel": 3, "filters": 8, "padding": 1} for i in range(200)]
    net = symconv.analyse_network({"input": [32, 32, 3], "layers": layers})
    latex, markdown = net._repr_latex_(), net._repr_markdown_()
    assert latex.startswith("$$\\begin{aligned}") and "\\vdots" in latex and "conv100" not in latex
    assert "conv0" in latex and "conv199" in latex and "| ⋮ |" in markdown and "rows not shown" in markdown
    net.max_rows = None  # the way to show every row
    assert "conv100" in net._repr_latex_() and "⋮" not in net._repr_markdown_()


def _make_gallery() -> Any:
    spec = importlib.util.spec_from_file_location("make_gallery", ROOT / "examples" / "make_gallery.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_console_examples_of_the_readme_and_docs_are_what_the_commands_print() -> None:
    """Every `$ symconv …` example of the README and the docs shows today's output (and `echo $?` its status)."""
    gallery = _make_gallery()
    stale = []
    for name in gallery.DOCS:
        page = (ROOT / name).read_text(encoding="utf-8")
        if gallery.refresh(page) != page:
            stale.append(name)
    assert not stale, f"stale examples in {stale}: run python examples/make_gallery.py"
