"""Wording a teacher would not hand out: "1 row(s)", "1 pixels", straight quotes in print."""

from __future__ import annotations

import re

import pytest

import symconv
from symconv.render.escape import latex_text


def test_no_plural_in_brackets_and_no_one_pixels() -> None:
    x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    for stride, padding in ((1, 0), (2, 1), (1, 1)):
        c = symconv.convolve(x, [[1, 0], [0, 1]], stride=stride, padding=padding)
        text = c.text()
        assert "(s)" not in text
        assert not re.search(r"\b1 (pixels|rows|columns)\b", text), text
    assert "moves 1 row down and 1 column right" in symconv.convolve(x, [[1]]).text()
    assert "moves 2 rows down and 2 columns right" in symconv.convolve(x, [[1]], stride=2).text()


def test_double_quotes_are_typeset_quotes() -> None:
    # T1's " is a straight quote: “p/q” is ``p/q'' in LaTeX
    assert latex_text('JSON writes it "p/q"') == "JSON writes it ``p/q''"
    assert latex_text('("a")') == "(``a'')"


def test_count_takes_the_singular_for_one() -> None:
    from symconv.core.richtext import count

    assert count(1, "pixel") == "1 pixel"
    assert count(2, "pixel") == "2 pixels"
    assert count(0, "layer") == "0 layers"
    assert count(1, "entry", "entries") == "1 entry" and count(3, "entry", "entries") == "3 entries"
    assert count(1024, "value", grouped=True) == "1,024 values"


def test_one_pixel_where_a_count_meets_a_unit() -> None:
    # a one-layer network: "over the layer", never "the 1 layers"
    net = symconv.analyse_network(
        {"input": [8, 8, 3], "layers": [{"name": "c", "type": "conv", "kernel": 3, "filters": 4}]}
    )
    assert not re.search(r"\b1\s+(pixels|rows|layers|filters|points|values|columns|channels)\b", net.text())
    assert "over the layer:" in net.text()
    # PyTorch drops a last window that would start in the padding, here leaving an output of 1 pixel
    drop = {"name": "p", "type": "maxpool", "kernel": 2, "stride": 2, "padding": 1, "ceil_mode": True}
    text = symconv.analyse_network({"input": [1, 1, 1], "layers": [drop]}).text(detail="full")
    assert re.search(r"drops it: 1\s+pixel\.", text), text
    with pytest.raises(symconv.InputError, match="does not divide the 1 input channel$"):
        symconv.convolve([[1, 2], [3, 4]], [[[1]]], groups=2)


def test_solve_writes_the_answer_set_as_the_line_above() -> None:
    r = symconv.solve("savings", "P", "sigma", given={"L": "L", "N": "N", "k": "k"})
    text = r.text()
    boundary = re.search(r"Divide every side by the factor of P \(positive\):\n  P = (.+)\n", text)
    assert boundary, text
    assert f"P ∈ {{{boundary.group(1)}}}" in text  # the same product, not SymPy's reordering of it
    assert "interval is" not in text  # the key name is not a word of the sentence
    latex = r.latex()
    assert "$n \\leq y<n+1$" in latex  # the floor rule typeset, not left as text


def test_solve_divides_by_a_fraction_typeset_as_math() -> None:
    r = symconv.solve("savings", "P", "9/10", relation=">=", given={"L": 250, "N": 48, "k": 7})
    assert "Divide every side by −1301/294000" in r.text()
    assert "Divide every side by ${-\\frac{1301}{294\\,000}}$" in r.latex()


def test_sweep_note_is_a_sentence_and_does_not_repeat_the_table_heading() -> None:
    text = symconv.sweep("savings", "P", range=[1, 48], given={"L": 250, "N": 48, "k": 7}).text()
    note = re.search(r"\n\n([^\n]*at every integer of P[^\n]*)\n", text)
    assert note and note.group(1)[0].isupper(), text
    assert "48 points." in note.group(1) and "of them" not in text
    assert len(re.findall(r"\d+ of the 48 rows", text)) == 1  # the table heading says it, once


def test_sensitivity_with_symbols_states_the_derivative_once() -> None:
    text = symconv.sensitivity("savings", "P").text()
    assert "At the point" not in text
    assert "The quantity savings, derived from the bottleneck problem with symbols:" in text
    at = symconv.sensitivity("savings", "P", given={"L": 250, "N": 48, "k": 7, "P": 12}).text()
    assert "At the point:" in at  # with numbers the value is a new line


def test_one_product_is_written_one_way_through_a_derivation() -> None:
    # k first appears inside H − k + 1, but n_w = k²CN fixed the order of k, C and N: M and F keep it
    text = symconv.conv_layer(["H", "W", "C"], "k", "N").text()
    assert "n_w = k_h × k_w × C_in × C_out = k × k × C × N = k²CN" in text
    assert "M = k²CN(H − k + 1)(W − k + 1)" in text and "F = 2k²CN(H − k + 1)(W − k + 1)" in text
    # with the positions written first (H W N (9C)), the product keeps n_w's C before N
    text = symconv.conv_layer(["H", "W", "C"], 3, "N", padding=1).text()
    assert "n_w = k_h × k_w × C_in × C_out = 3 × 3 × C × N = 9CN" in text
    assert re.search(r"M = .* = 9HWCN\n", text) and "F = 2M = 2(9HWCN) = 18HWCN" in text
