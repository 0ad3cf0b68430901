"""The worked convolution: the seed's exercise line by line, elision, LaTeX, symbolic and exact answers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given
from strategies import problems

from symconv.errors import InputError
from symconv.problems.convolution import convolve
from symconv.solution.derivation import Equation, Given, MatrixEquation, Note

# The seed's second exercise: three channels B_1..B_3 and the kernel slices k_1..k_3, no padding.
SEED_INPUT = [
    [[4, 3, 1], [1, 2, 1], [3, 3, 4]],
    [[4, 3, 2], [2, 5, 1], [2, 3, 3]],
    [[4, 4, 1], [1, 3, 3], [5, 3, 1]],
]
SEED_KERNEL = [[[3, 0], [1, -2]], [[-2, 2], [-1, -1]], [[1, -2], [-3, -2]]]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return convolve(SEED_INPUT, SEED_KERNEL).text()


def test_seed_maps_and_sum() -> None:
    r = convolve(SEED_INPUT, SEED_KERNEL)
    assert r.channel_outputs == [[[9, 9], [0, 1]], [[-9, -8], [1, -14]], [[-13, -13], [-26, -14]]]
    assert r.output == r.value == [[-13, -12], [-25, -27]]
    assert r.answers["output_shape"] == [2, 2]


def test_seed_element_lines_golden(seed_text: str) -> None:
    """The first channel's four lines; the seed prints the third and fourth wrongly (see docs/seed-errors)."""
    assert "y_1,1,1 = 3 · 4 + 0 · 3 + 1 · 1 + (−2) · 2 = 12 + 0 + 1 − 4 = 9" in seed_text
    assert "y_1,1,2 = 3 · 3 + 0 · 1 + 1 · 2 + (−2) · 1 = 9 + 0 + 2 − 2 = 9" in seed_text
    assert "y_1,2,1 = 3 · 1 + 0 · 2 + 1 · 3 + (−2) · 3 = 3 + 0 + 3 − 6 = 0" in seed_text
    assert "y_1,2,2 = 3 · 2 + 0 · 1 + 1 · 3 + (−2) · 4 = 6 + 0 + 3 − 8 = 1" in seed_text
    # a kernel entry −1 is a factor, not a subtraction sign
    assert "y_2,1,1 = (−2) · 4 + 2 · 3 + (−1) · 2 + (−1) · 5 = −8 + 6 − 2 − 5 = −9" in seed_text


def test_seed_layout_one_channel_worked_the_others_likewise() -> None:
    """max_maps=1 gives the seed's own layout: channel 1 element by element, then the maps and the sum."""
    text = convolve(SEED_INPUT, SEED_KERNEL, max_maps=1).text()
    assert "y_1,2,2 = 3 · 2 + 0 · 1 + 1 · 3 + (−2) · 4 = 6 + 0 + 3 − 8 = 1" in text
    assert "y_2,1,1" not in text and "Likewise for the other channel maps" in text
    assert "Feature map of channel 3" in text and "Sum of the 3 channel maps" in text


def test_seed_sum_of_the_channel_maps(seed_text: str) -> None:
    block = seed_text[seed_text.index("Sum of the 3 channel maps") :]
    lines = block.splitlines()[1:3]
    assert re.sub(r"\s+", " ", lines[0]).strip() == "Y = [ 9 9 ] + [ −9 −8 ] + [ −13 −13 ] = [ −13 −12 ]"
    assert re.sub(r"\s+", " ", lines[1]).strip() == "[ 0 1 ] [ 1 −14 ] [ −26 −14 ] [ −25 −27 ]"


def test_every_element_line_is_its_own_arithmetic() -> None:
    """Each product line's value equals the sum of the printed products (the seed's own error)."""
    r = convolve(SEED_INPUT, SEED_KERNEL)
    for step in r.steps:
        if isinstance(step, Equation) and step.key.startswith("channel_outputs"):
            products = step.chain[0]
            assert sympy.simplify(products.doit()) == step.result
            c, i, j = (int(n) for n in re.findall(r"\d+", step.key))
            assert r.channel_outputs[c][i][j] == step.result


def test_latex_uses_pmatrix_and_boxes_the_output() -> None:
    tex = convolve(SEED_INPUT, SEED_KERNEL).latex()
    assert "\\begin{pmatrix} 4 & 3 & 1 \\\\ 1 & 2 & 1 \\\\ 3 & 3 & 4 \\end{pmatrix}" in tex
    assert "\\boxed{\\begin{pmatrix} -13 & -12 \\\\ -25 & -27 \\end{pmatrix}}" in tex
    assert "3 \\cdot 4 + 0 \\cdot 3 + 1 \\cdot 1 + ({-2}) \\cdot 2 = 12 + 0 + 1 - 4 = 9" in tex
    assert tex.count("\\begin{") == tex.count("\\end{")
    notebook = convolve(SEED_INPUT, SEED_KERNEL)._repr_latex_()
    assert notebook.startswith("$$") and "Y &= " in notebook and "\\boxed{\\begin{pmatrix} -13 & -12" in notebook


def test_elision_note_and_bounded_steps() -> None:
    x = np.arange(36).reshape(1, 6, 6)
    r = convolve(x, np.ones((1, 3, 3), dtype=int), max_elements=2)
    notes = [s.text for s in r.steps if isinstance(s, Note)]
    assert any(n.startswith("… and 14 more elements of Y") for n in notes)
    elements = [s for s in r.steps if isinstance(s, Equation) and s.key.startswith("channel_outputs")]
    assert len(elements) == 2
    assert len(r.output) == 4 and len(r.output[0]) == 4  # the answer is always complete


def test_large_problem_stays_readable_and_complete() -> None:
    rng = np.random.default_rng(0)
    x = rng.integers(-9, 10, (16, 20, 20))
    w = rng.integers(-9, 10, (10, 16, 3, 3))
    r = convolve(x, w, padding=1)
    assert np.array_equal(np.array(r.output), _reference(x, w, 1))
    text = r.text()
    assert len(text) < 20_000
    assert "(not shown)" in text and "… and 2 more filters" in text
    assert np.array(r.channel_outputs).shape == (10, 16, 20, 20)


def _reference(x: np.ndarray, w: np.ndarray, p: int) -> np.ndarray:
    from scipy import signal

    xp = np.pad(x, ((0, 0), (p, p), (p, p)))
    return np.array(
        [sum(signal.correlate2d(xp[c], w[f, c], mode="valid") for c in range(x.shape[0])) for f in range(w.shape[0])]
    )


def test_padding_flip_bias_and_several_filters() -> None:
    r = convolve([[1, 2], [3, 4]], [[[[1, 0], [0, 0]]], [[["1/2", 0], [0, 1]]]], padding=1, flip=True, bias=[1, "1/3"])
    # flip: filter 1 becomes [[0, 0], [0, 1]], i.e. it picks the pixel at the bottom right of each window
    assert r.output[0] == [[2, 3, 1], [4, 5, 1], [1, 1, 1]]
    assert r.output[1][0][0] == Fraction(1, 2) * 1 + Fraction(1, 3)
    labels = [s.label for s in r.steps if isinstance(s, MatrixEquation)]
    assert any("rotated by 180°" in label for label in labels)
    assert any("zero padding" in label for label in labels)
    assert any(label.startswith("Add the bias of filter 2") for label in labels)
    assert "True convolution" in r.conventions["operation"]
    assert r.answers["output_shape"] == [2, 3, 3]


def test_symbolic_kernel_gives_expanded_expressions() -> None:
    w = [[["w_11", "w_12"], ["w_21", "w_22"]]]
    r = convolve([[1, 2, 3], [4, 5, 6]], w)
    w11, w12, w21, w22 = sympy.symbols("w_11 w_12 w_21 w_22")
    assert r.output == [[w11 + 2 * w12 + 4 * w21 + 5 * w22, 2 * w11 + 3 * w12 + 5 * w21 + 6 * w22]]
    assert "w_11 · 1 + w_12 · 2 + w_21 · 4 + w_22 · 5 = w_11 + 2w_12 + 4w_21 + 5w_22" in r.text(width=120)


def test_same_padding_steps_use_the_tensorflow_formulas() -> None:
    r = convolve(np.ones((1, 4, 4), dtype=int), np.ones((1, 2, 2), dtype=int), padding="same")
    text = r.text()
    assert "TensorFlow 'SAME'" in text and "padding after (right/bottom)" in text
    assert r.answers["output_shape"] == [4, 4]
    # total padding 1 per axis: none before, one row/column after (the extra pixel goes right/bottom)
    assert r.output[3].tolist() == [2, 2, 2, 1] and r.output[0][0] == 4


def test_output_shape_equation_carries_the_answer() -> None:
    r = convolve(np.zeros((2, 7, 9), dtype=int), np.zeros((3, 2, 3, 2), dtype=int), stride=(2, 3), dilation=(1, 2))
    shape = [s for s in r.steps if isinstance(s, Equation) and s.key.startswith("output_shape")]
    assert [s.result for s in shape] == [3, 3] == r.answers["output_shape"][1:]
    assert r.answers["output_shape"][0] == 3


def test_bad_limits_are_rejected() -> None:
    with pytest.raises(InputError, match="max_elements"):
        convolve([[1]], [[1]], max_elements=-1)
    with pytest.raises(InputError, match="flip"):
        convolve([[1]], [[1]], flip="yes")


@given(problems(max_value=4))
def test_every_shown_line_agrees_with_the_answers(p: dict) -> None:
    """For random grouped/strided/dilated problems: each element line sums to its value, which is the
    channel map's entry; the channel maps plus the bias are the output."""
    r = convolve(
        p["x"],
        p["w"],
        p["stride"],
        p["padding"],
        p["dilation"],
        p["b"].tolist(),
        groups=p["groups"],
        max_elements=3,
        max_maps=3,
    )
    maps = np.array(r.channel_outputs, dtype=object)
    out = np.array(r.output, dtype=object)
    assert (maps.sum(axis=1) + p["b"][:, None, None] == out).all()
    for step in r.steps:
        if isinstance(step, Equation) and step.key.startswith("channel_outputs"):
            f, c, i, j = (int(n) for n in re.findall(r"\d+", step.key))
            assert sympy.expand(step.chain[0].doit()) == step.result == maps[f, c, i, j]
        if isinstance(step, MatrixEquation) and step.key.startswith("output["):
            f = int(re.findall(r"\d+", step.key)[0])
            assert step.result == r.output[f].tolist()


def test_latex_document_compiles(tmp_path: Path) -> None:
    """Padding, flip, fractions, symbols and a bias in one document, through pdflatex."""
    if shutil.which("pdflatex") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdflatex is missing on CI")
        pytest.skip("pdflatex not installed")
    r = convolve(
        [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
        [[[["w_11", "w_12"], ["w_21", "w_22"]]], [[[1, "1/2"], [0, -1]]]],
        padding="same",
        stride=2,
        bias=["b", "0.5"],
        flip=True,
    )
    (tmp_path / "c.tex").write_text(r.document("latex", title="Convolution"))
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "c.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_many_small_maps_stay_bounded() -> None:
    """16 channels × 10 filters of 2 × 2 maps: listing limits, not the problem size, bound the steps."""
    rng = np.random.default_rng(1)
    r = convolve(rng.integers(-9, 10, (16, 4, 4)), rng.integers(-9, 10, (10, 16, 3, 3)), max_elements=1, max_maps=2)
    data = next(s for s in r.steps if isinstance(s, Given) and s.label == "Given")
    assert len(data.items) == 8 + 8  # input channels and kernel slices, max_listed each
    maps = [s for s in r.steps if isinstance(s, MatrixEquation) and s.label.startswith("Feature map of")]
    assert len(maps) == 8
    windows = [s for s in r.steps if isinstance(s, MatrixEquation) and s.label.startswith("Window")]
    assert len(windows) == 2
    assert len(r.channel_outputs) == 10 and len(r.channel_outputs[0]) == 16
