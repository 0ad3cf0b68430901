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
    assert "  RF_3 = RF_2 + (k_3 − 1) × (s_1 × s_2)\n       = 7 + (4 − 1) × (1 × 2)\n       = 7 + 3 × 2\n" in text
    pieces = break_formula("= 1 + 2 × 3 + 4 × (5 + 6) + 7", 14)
    assert pieces == ["= 1 + 2 × 3", "+ 4 × (5 + 6)", "+ 7"]  # a sum breaks before + , not inside a product


def test_one_minus_sign() -> None:
    import symconv

    text = symconv.convolve([[1, -2], [3, 4]], [[-1]]).text()
    assert re.search(r"(?<![A-Za-z])-\s?\d", text) is None  # no ASCII hyphen as a minus, in matrices or chains
    assert "[  1  −2 ]" in text and "(−1) · 1" in text
