"""Bottleneck and depthwise-separable savings: derived closed forms, exact values, brute-force counts."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import sympy
from brute import conv2d_naive
from hypothesis import given
from hypothesis import strategies as st

from symconv import bottleneck, depthwise_separable
from symconv.core.arith import size_symbol as sym


def test_seed_exercise_four() -> None:
    r = bottleneck(input=[54, 54, 250], kernel=7, outputs=48, bottleneck=12)
    a = r.answers
    assert a["original_multiplications"] == 1714608000
    assert (a["stage1_multiplications"], a["stage2_multiplications"]) == (8748000, 82301184)
    assert a["bottleneck_multiplications"] == 91049184
    assert a["saved_multiplications"] == 1623558816
    assert a["savings"] == Fraction(23199, 24500)
    assert a["savings_percent"] == Fraction(23199, 245)  # exact: 94.6897…
    assert "≈ 94.69" in r.text()  # only the display rounds


def test_savings_formula_is_derived() -> None:
    P, L, N, k = (sym(n) for n in "PLNk")
    formula = bottleneck([54, 54, 250], 7, 48, 12).answers["savings_formula"]
    assert sympy.simplify(formula - (1 - P / L - P / (k**2 * N))) == 0
    assert not formula.has(sym("H")) and not formula.has(sym("W"))
    ratio = depthwise_separable([14, 14, 512], 3, 512).answers["ratio_formula"]
    assert sympy.simplify(ratio - (1 / N + 1 / k**2)) == 0


def multiplications(size: int, c_in: int, c_out: int, k: int, groups: int = 1) -> int:
    """Multiplications of a k × k convolution with 'same' padding at stride 1, counted by a naive loop."""
    x = np.zeros((c_in, size, size), dtype=int)
    w = np.zeros((c_out, c_in // groups, k, k), dtype=int)
    out, mults = conv2d_naive(x, w, (1, 1), ((k - 1) // 2, (k - 1) // 2), (1, 1), groups)
    assert out.shape[1:] == (size, size)  # the exercise's H × W output positions
    return mults


kernels = st.sampled_from([1, 3, 5])  # odd: 'same' padding is the same on both sides


@given(H=st.integers(1, 4), L=st.integers(1, 4), k=kernels, N=st.integers(1, 4), P=st.integers(1, 4))
def test_bottleneck_against_brute_force_counts(H: int, L: int, k: int, N: int, P: int) -> None:
    r = bottleneck([H, H, L], k, N, P)
    original, stage1, stage2 = multiplications(H, L, N, k), multiplications(H, L, P, 1), multiplications(H, P, N, k)
    assert r.answers["original_multiplications"] == original
    assert (r.answers["stage1_multiplications"], r.answers["stage2_multiplications"]) == (stage1, stage2)
    assert r.answers["bottleneck_multiplications"] == stage1 + stage2
    assert r.answers["saved_multiplications"] == original - stage1 - stage2
    assert r.answers["savings"] == Fraction(original - stage1 - stage2, original)
    assert r.answers["savings_percent"] == 100 * Fraction(original - stage1 - stage2, original)
    closed = r.answers["savings_formula"].xreplace({sym("P"): P, sym("L"): L, sym("k"): k, sym("N"): N})
    assert closed == sympy.Rational(r.answers["savings"].numerator, r.answers["savings"].denominator)


@given(H=st.integers(1, 4), M=st.integers(1, 4), k=kernels, N=st.integers(1, 4))
def test_separable_against_brute_force_counts(H: int, M: int, k: int, N: int) -> None:
    r = depthwise_separable([H, H, M], k, N)
    standard, depthwise, pointwise = (
        multiplications(H, M, N, k),
        multiplications(H, M, M, k, M),
        multiplications(H, M, N, 1),
    )
    assert r.answers["standard_multiplications"] == standard
    assert r.answers["separable_multiplications"] == depthwise + pointwise
    assert r.answers["ratio"] == Fraction(depthwise + pointwise, standard)
    assert r.answers["savings_percent"] == 100 * (1 - Fraction(depthwise + pointwise, standard))
    # weights of the standard kernel bank, and of the depthwise plus the pointwise one, counted by their shapes
    assert r.answers["standard_parameters"] == np.zeros((N, M, k, k)).size
    assert r.answers["separable_parameters"] == np.zeros((M, 1, k, k)).size + np.zeros((N, M, 1, 1)).size
    closed = r.answers["ratio_formula"].xreplace({sym("N"): N, sym("k"): k})
    assert closed == sympy.Rational(r.answers["ratio"].numerator, r.answers["ratio"].denominator)


def test_symbolic_bottleneck() -> None:
    r = bottleneck(["H", "W", "L"], "k", "N", "P")
    assert sympy.simplify(r.value - r.answers["savings_formula"]) == 0
    assert "σ = 1 − (HWLP + HWk²PN)/(HWk²LN) = 1 − P/L − P/(k²N)" in r.text()
    assert "\\boxed{1 - \\frac{P}{L} - \\frac{P}{k^{2} N}}" in r.latex(
        "answer"
    )  # the main answer, boxed at every level


def test_counts_share_one_factor_order() -> None:
    # the original count is stage 2's with L for P (HWk²LN beside HWk²PN), the standard convolution the depthwise
    # stage's times N (HWk²MN beside HWk²M): one order for positions, kernel, input and output channels
    b = bottleneck(input=["H", "W", "L"], kernel="k", filters="N", bottleneck="P").text()
    m0 = re.search(r"M_0 = (\S+)", b).group(1)  # type: ignore[union-attr]
    m2 = re.search(r"M_2 = (\S+)", b).group(1)  # type: ignore[union-attr]
    assert m0 == m2.replace("P", "L"), (m0, m2)
    s = depthwise_separable(input=["H", "W", "M"], kernel="k", filters="N").text()
    ms = re.search(r"M_s = (\S+)", s).group(1)  # type: ignore[union-attr]
    md = re.search(r"M_d = (\S+)", s).group(1)  # type: ignore[union-attr]
    assert ms == md + "N", (ms, md)


def test_closed_form_with_numbers_keeps_the_derived_order() -> None:
    # ρ = … = 1/k² + 1/N, then with the numbers ρ = 1/k² + 1/N = 1/3² + 1/512: not 1/N + 1/k² on the next line
    t = depthwise_separable(input=[14, 14, 512], kernel=3, filters=512).text()
    derived = re.search(r"ρ = \(.*\) = (.*)", t).group(1)  # type: ignore[union-attr]
    with_numbers = re.search(r"ρ = (1/\S+ \+ 1/\S+) = 1/", t).group(1)  # type: ignore[union-attr]
    assert derived == with_numbers, (derived, with_numbers)
