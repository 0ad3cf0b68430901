"""Answers stand out: the main answer of every problem is boxed at every detail level and summarised at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.render.latex import LatexRenderer
from symconv.render.text import TextRenderer

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = [
    (path.stem, problem, result)
    for path in sorted((ROOT / "examples").glob("*.toml"))
    if not path.name.endswith("-claimed.toml")
    for problem, result in solve_all(load(path))
    if problem.type.name not in ("sweep", "compare")  # their answers are tables (and a plot), not one value
]


@pytest.mark.parametrize("stem, problem, result", PROBLEMS, ids=[f"{s}-{p.id}" for s, p, _ in PROBLEMS])
@pytest.mark.parametrize("detail", ["full", "compact", "answer"])
def test_main_answer_is_boxed(stem: str, problem: object, result: object, detail: str) -> None:
    d = result.derivation  # type: ignore[attr-defined]
    renderer = LatexRenderer(detail)  # type: ignore[arg-type]
    boxed = [s for s in renderer.answers(d) if renderer.visible(s) or detail != "answer"]
    if d.answers.get(d.main) is not None:  # (a symbolic solve has no integer solutions: its interval is boxed)
        assert any(s.key.startswith(d.main) for s in boxed), (d.main, [s.key for s in boxed])
    assert boxed
    tex = renderer.derivation(d)
    assert "\\boxed{" in tex
    summary = "\\paragraph{Answer.}" in tex
    assert summary == (detail != "answer")  # the summary ends a problem; at 'answer' the body is the summary


def test_answer_summary_lists_the_boxed_results() -> None:
    import symconv

    layer = symconv.conv_layer([38, 38, 22], 3, 224, stride=2)
    text = TextRenderer("full", 80).derivation(layer.derivation)
    assert "Answer: H' = 18, W' = 18, C' = 224, n_w = 44,352, n_p = 44,576, M = 14,370,048,\n  F = 28,740,096." in text
    bottleneck = symconv.bottleneck([54, 54, 250], 7, 48, 12)
    tex = LatexRenderer("full").derivation(bottleneck.derivation)
    assert "\\sigma = \\frac{23\\,199}{24\\,500}$" in tex and "\\approx 94.69\\,\\%" in tex
