"""Plain text fits the terminal: every line of every example and awkward input within COLUMNS (default 80)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.render.text import TextRenderer, break_formula, columns

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for p in (ROOT / "examples").glob("*.toml") if not p.name.endswith("-claimed.toml")) + [
    ROOT / "tests" / "data" / "documents" / "awkward.toml"
]


@pytest.fixture(scope="module")
def derivations() -> list:
    out = []
    for path in FILES:
        problems = load(path)
        out.append((path.stem, problems.title, [r.derivation for _, r in solve_all(problems)]))
    return out


@pytest.mark.parametrize("width", [80, 60])
def test_every_line_fits(derivations: list, width: int) -> None:
    for stem, title, ds in derivations:
        for detail in ("full", "compact", "answer"):
            text = TextRenderer(detail, width).document(ds, title)  # type: ignore[arg-type]
            long = [line for line in text.splitlines() if len(line) > width]
            assert long == [], (stem, detail, long[:3])


def test_columns_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert columns() == 100 and TextRenderer().width == 100
    for bad in ("", "abc", "10"):  # unset, not a number, too narrow to be meant
        monkeypatch.setenv("COLUMNS", bad)
        assert columns() == 80


def test_chains_break_at_equals_then_before_operators() -> None:
    import symconv

    text = symconv.receptive_field([4, 4, 4], [1, 2, 2]).text(width=50)
    assert "  RF_3 = RF_2 + (k_3 − 1) × S_2\n       = 7 + (4 − 1) × 2\n       = 7 + 3 × 2\n" in text
    # a sum too long for the line breaks before a + and continues indented under its first term
    assert "  RF_3 = 1 + (k_1 − 1) × S_0 + (k_2 − 1) × S_1\n           + (k_3 − 1) × S_2\n" in text
    pieces = break_formula("= 1 + 2 × 3 + 4 × (5 + 6) + 7", 14)
    assert pieces == ["= 1 + 2 × 3", "+ 4 × (5 + 6)", "+ 7"]  # a sum breaks before + , not inside a product


def test_one_minus_sign() -> None:
    import symconv

    text = symconv.convolve([[1, -2], [3, 4]], [[-1]]).text()
    assert re.search(r"(?<![A-Za-z])-\s?\d", text) is None  # no ASCII hyphen as a minus, in matrices or chains
    assert "[  1  −2 ]" in text and "(−1) · 1" in text


def test_a_step_that_only_drops_brackets_is_not_a_step() -> None:
    # F = 2M = 2(k²NC…) = 2k²NC…: the bracketed product is the result again; LaTeX and text both skip it
    import symconv
    from symconv.render.base import bracket_only

    layer = symconv.conv_layer(input=["H", "W", "C"], kernel="k", filters="N")
    flops = next(line for line in layer.text().splitlines() if line.lstrip().startswith("F = "))
    assert flops.count("=") == 2 and "2(" not in flops, flops
    latex = next(line for line in layer.latex().splitlines() if line.startswith("F = "))
    assert latex.count("=") == 2 and "2(" not in latex, latex
    assert bracket_only("2(k^{2} C)", "2 k^{2} C") and not bracket_only("2 \\times 3", "6")


def test_a_wrapped_table_breaks_headers_at_words_and_names_between_words() -> None:
    # ResNet-like names and types beside wide numeric columns: 80 columns cannot hold every name whole
    from symconv.core.richtext import rich
    from symconv.render.tables import text_table
    from symconv.solution.derivation import Shape, Table

    headers = ("Layer", "Type", rich("Output $H × W × C$"), "RF", "Stride S", "Padding P", "Parameters", "MACs")
    names = [("conv1", "conv"), ("bn1", "batchnorm"), ("layer1.0.conv1", "conv"), ("layer1.0.bn1", "batchnorm")]
    names += [("layer4.0.downsample.1", "batchnorm"), ("avgpool", "global_avgpool")]
    rows = tuple((n, t, Shape((112, 112, 64)), 427, 32, 117, 2_359_296, 118_013_952) for n, t in names)
    lines = text_table(TextRenderer("full", 80), Table("t", headers, rows), 80)
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split()[:3] == ["Layer", "Type", "Output"] and lines[1].split()[0] == "H×W×C"
    body = "\n".join(lines[3:])
    assert "batchnorm" in body and "global_" in body  # a type breaks only between its words
    assert "layer1.0.bn1" in body  # a name that fits stays whole; a longer one wraps after a dot
    assert re.search(r"layer4\.0\.\s.*\n\s*downsample\.1", body), body
    assert not any(line.rstrip().endswith("×") for line in lines)
