"""User text never reaches a terminal or a document raw: control and format characters are escaped or dropped."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.render import RENDERERS

CONTROLS = Path(__file__).resolve().parents[1] / "data" / "documents" / "controls.toml"


def raw_controls(text: str) -> list[str]:
    return sorted({repr(ch) for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf")})


@pytest.fixture(scope="module")
def solved() -> tuple[str, list]:
    problems = load(str(CONTROLS))
    return problems.title, [r.derivation for _, r in solve_all(problems)]


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_output_carries_a_raw_control_character(solved: tuple[str, list], fmt: str) -> None:
    title, derivations = solved
    for detail in ("full", "answer"):
        out = RENDERERS[fmt](detail).document(derivations, title)
        assert raw_controls(out) == [], (fmt, detail)


def test_text_and_json_show_the_characters_as_escapes(solved: tuple[str, list]) -> None:
    title, derivations = solved
    text = RENDERERS["text"]("compact").document(derivations, title)
    assert "Controls \\x1b[31m red \\x7f \\x85 \\x9b2J end" in text
    assert "c\\x1b]0;title\\x07x\\x9b31m" in text  # a layer name in the table
    data = json.loads(RENDERERS["json"]("compact").document(derivations, title))
    assert data["title"] == "Controls \x1b[31m red \x7f \x85 \x9b2J end"  # JSON escapes, the value intact
