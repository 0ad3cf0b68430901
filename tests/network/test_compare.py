"""Comparing designs: each design's totals against a separate analysis of that design alone."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
import sympy

import symconv
from symconv.core.arith import size_symbol
from symconv.errors import InputError
from symconv.network.compare import compare


def conv(k: int, p: int, name: str, filters: Any = "C") -> dict[str, Any]:
    return {"name": name, "type": "conv", "kernel": k, "filters": filters, "padding": p, "bias": False}


THREE = {"name": "three 3x3", "layers": [conv(3, 1, f"c{i}") for i in range(3)]}
ONE = {"name": "one 7x7", "layers": [conv(7, 3, "c")]}


def test_three_3x3_against_one_7x7() -> None:
    r = compare(["H", "W", "C"], [THREE, ONE])
    H, W, C = (size_symbol(n) for n in "HWC")
    first, second = r.answers["designs"]
    assert first["parameters"] == 27 * C**2 and second["parameters"] == 49 * C**2
    assert first["receptive_field"] == second["receptive_field"] == 7
    assert r.value == [
        {"name": "one 7x7", "receptive_field": 1, "parameters": Fraction(49, 27), "macs": Fraction(49, 27)}
    ]
    # each design analysed on its own, with numbers: the closed forms agree, and so do the ratios
    for design, row in zip((THREE, ONE), r.answers["designs"]):
        layers = [dict(layer, filters=64) for layer in design["layers"]]
        alone = symconv.analyse_network({"input": [56, 56, 64], "layers": layers})
        point = {H: 56, W: 56, C: 64}
        assert row["parameters"].xreplace(point) == alone["parameters"]
        assert row["macs"].xreplace(point) == alone["macs"]
        assert row["receptive_field"] == alone["receptive_field"]
    numbers = [{"name": d["name"], "layers": [dict(c, filters=64) for c in d["layers"]]} for d in (THREE, ONE)]
    numeric = compare([56, 56, 64], numbers)
    assert numeric.value[0]["macs"] == Fraction(
        symconv.analyse_network({"input": [56, 56, 64], "layers": [dict(ONE["layers"][0], filters=64)]})["macs"],
        symconv.analyse_network({"input": [56, 56, 64], "layers": [dict(c, filters=64) for c in THREE["layers"]]})[
            "macs"
        ],
    )


def test_a_ratio_that_keeps_a_symbol() -> None:
    narrow = {"name": "bottleneck", "layers": [conv(1, 0, "reduce", "P"), conv(3, 1, "conv", "C")]}
    wide = {"name": "plain", "layers": [conv(3, 1, "conv", "C")]}
    r = compare([28, 28, "C"], [wide, narrow])
    C, P = size_symbol("C"), size_symbol("P")
    assert sympy.simplify(r.value[0]["parameters"] - (C * P + 9 * P * C) / (9 * C**2)) == 0
    assert r.answers["designs"][1]["output_shape"] == [28, 28, C]


@pytest.mark.parametrize(
    ("designs", "field", "fragment"),
    [
        ([THREE], "design", "two or more"),
        ([THREE, {"name": "three 3x3", "layers": ONE["layers"]}], "design[1].name", "two designs"),
        ([THREE, {"layers": ONE["layers"]}], "design[1].name", "required"),
        ([THREE, dict(ONE, colour="red")], "design[1].colour", "unknown key"),
        (
            [THREE, {"name": "huge", "layers": [conv(99, 0, "big")]}],
            "design[1] ('huge'): big.kernel",
            "larger than the padded input 32",
        ),
    ],
)
def test_bad_designs(designs: list, field: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        compare([32, 32, "C"], designs)
    assert e.value.field == field and fragment in str(e.value)


def test_symbolic_channels_match_the_numeric_walk() -> None:
    layers = [
        {"type": "conv", "kernel": 3, "filters": "N", "stride": 2, "padding": 1},
        {"type": "batchnorm"},
        {"type": "conv", "kernel": 3, "filters": "N", "groups": 1, "padding": 1},
        {"type": "global_avgpool"},
        {"type": "linear", "outputs": 10},
    ]
    closed = symconv.analyse_network({"input": [32, 32, "C"], "layers": layers})
    for c, n in [(3, 16), (8, 40)]:
        numeric = symconv.analyse_network(
            {
                "input": [32, 32, c],
                "layers": [dict(layer, filters=n) if "filters" in layer else layer for layer in layers],
            }
        )
        point = {size_symbol("C"): c, size_symbol("N"): n}
        assert closed["parameters"].xreplace(point) == numeric["parameters"]
        assert closed["macs"].xreplace(point) == numeric["macs"]


def test_one_written_order_for_cells_sums_and_ratios() -> None:
    # the input names the order (Y, X, C here, not alphabetical): every closed form of the derivation follows it
    r = compare(["Y", "X", "C"], [THREE, ONE])
    text = r.text()
    forms = set(re.findall(r"\b\d+[XYC²]{3,}", text))
    assert forms == {"9YXC²", "27YXC²", "49YXC²"}, forms
    assert "9C²" in text and "27C²" in text  # the parameters, C alone


def test_side_by_side_label_is_math() -> None:
    latex = compare(["H", "W", "C"], [THREE, ONE]).latex()
    assert "Output $H \\times W \\times C$" in latex
    assert "H \\cdot W" in latex  # the ratios' convention typesets H·W
