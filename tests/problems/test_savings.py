"""Bottleneck and depthwise-separable savings: derived closed forms, exact values, cross-checks."""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv import bottleneck, conv_layer, depthwise_separable
from symconv.core.arith import size_symbol as sym


def test_seed_exercise_four() -> None:
    r = bottleneck(input=[54, 54, 250], kernel=7, outputs=48, bottleneck=12)
    a = r.answers
    assert a["original_multiplications"] == 1714608000
    assert (a["stage1_multiplications"], a["stage2_multiplications"]) == (8748000, 82301184)
    assert a["bottleneck_multiplications"] == 91049184
    assert a["saved_multiplications"] == 1623558816
    assert a["savings"] == Fraction(23199, 24500)
    assert a["savings_percent"] == 94.69
    assert "≈ 94.69" in r.text()


def test_savings_formula_is_derived() -> None:
    P, L, N, k = (sym(n) for n in "PLNk")
    formula = bottleneck([54, 54, 250], 7, 48, 12).answers["savings_formula"]
    assert sympy.simplify(formula - (1 - P / L - P / (k**2 * N))) == 0
    assert not formula.has(sym("H")) and not formula.has(sym("W"))
    ratio = depthwise_separable([14, 14, 512], 3, 512).answers["ratio_formula"]
    assert sympy.simplify(ratio - (1 / N + 1 / k**2)) == 0


@given(H=st.integers(1, 60), L=st.integers(1, 300), k=st.integers(1, 9), N=st.integers(1, 300), P=st.integers(1, 64))
def test_counts_agree_with_conv_layers(H: int, L: int, k: int, N: int, P: int) -> None:
    r = bottleneck([H, H, L], k, N, P)
    same = "same"
    assert r.answers["original_multiplications"] == conv_layer([H, H, L], k, N, padding=same).value
    stage1 = conv_layer([H, H, L], 1, P).value
    stage2 = conv_layer([H, H, P], k, N, padding=same).value
    assert r.answers["bottleneck_multiplications"] == stage1 + stage2
    assert r.answers["savings"] == 1 - Fraction(stage1 + stage2, r.answers["original_multiplications"])
    closed = r.answers["savings_formula"].xreplace({sym("P"): P, sym("L"): L, sym("k"): k, sym("N"): N})
    assert closed == sympy.Rational(r.answers["savings"].numerator, r.answers["savings"].denominator)


@given(H=st.integers(1, 40), M=st.integers(1, 200), k=st.integers(1, 7), N=st.integers(1, 200))
def test_separable_against_grouped_layers(H: int, M: int, k: int, N: int) -> None:
    r = depthwise_separable([H, H, M], k, N)
    dw = conv_layer([H, H, M], k, M, groups=M, padding="same", bias=False)
    pw = conv_layer([H, H, M], 1, N, bias=False)
    std = conv_layer([H, H, M], k, N, padding="same", bias=False)
    assert r.answers["separable_multiplications"] == dw.value + pw.value
    assert r.answers["standard_multiplications"] == std.value
    assert r.answers["ratio"] == Fraction(dw.value + pw.value, std.value) == Fraction(1, N) + Fraction(1, k * k)
    assert r.answers["separable_parameters"] == dw.answers["weights"] + pw.answers["weights"]


def test_symbolic_bottleneck() -> None:
    r = bottleneck(["H", "W", "L"], "k", "N", "P")
    assert sympy.simplify(r.value - r.answers["savings_formula"]) == 0
    assert "σ = 1 − (HWLP + HWk²PN)/(HWNk²L) = 1 − P/L − P/(k²N)" in r.text()
    assert "\\boxed{1 - \\frac{P}{L} - \\frac{P}{k^{2} N}}" in r.latex(
        "answer"
    )  # the main answer, boxed at every level
