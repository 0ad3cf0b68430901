"""Exact vectorised evaluation: every value equals plain Python integer (or Fraction) arithmetic, never a float."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.catalogue import CATALOGUE
from symconv.core.arith import size_symbol
from symconv.core.vectorize import ExactEvaluator

x = size_symbol("x")


@given(
    a=st.integers(-50, 50),
    b=st.integers(-1000, 1000),
    q=st.integers(1, 40).flatmap(lambda n: st.sampled_from([n, -n])),
    c=st.integers(-5, 5),
    ceil=st.booleans(),
)
def test_floor_and_ceiling_of_a_linear_form(a: int, b: int, q: int, c: int, ceil: bool) -> None:
    rounded = sympy.ceiling if ceil else sympy.floor
    e = c * rounded((a * x + b) / q) + 3 * x
    xs = np.arange(-60, 61)
    got = ExactEvaluator(e, x)(xs)
    # the independent value: Python's exact integer floor division (ceil as −((−n) // q))
    want = [c * ((-(-(a * v + b) // q)) if ceil else (a * v + b) // q) + 3 * v for v in range(-60, 61)]
    assert got.dtype == np.int64 and got.tolist() == want


def test_output_size_over_the_input_matches_the_numeric_view() -> None:
    f = CATALOGUE["conv_output_size"]
    i = size_symbol("i")
    ev = ExactEvaluator(f.expr(k=5, s=3, p=2, d=2), i)
    assert ev.vectorised
    assert ev(np.arange(9, 500)).tolist() == [f(v, 5, 3, 2, 2) for v in range(9, 500)]


def test_a_stride_in_the_denominator() -> None:
    f = CATALOGUE["pool_output_size_ceil"]
    s = size_symbol("s")
    ev = ExactEvaluator(f.expr(i=38, k=3, p=1, d=1), s)
    assert ev(range(1, 40)).tolist() == [f(38, 3, v, 1, 1) for v in range(1, 40)]


def test_maximum_and_powers() -> None:
    e = sympy.Max(x**2 - 10 * x, 0) + sympy.Min(x, 7)
    assert ExactEvaluator(e, x)(range(20)).tolist() == [max(v * v - 10 * v, 0) + min(v, 7) for v in range(20)]


def test_fractions_stay_exact() -> None:
    e = 1 - x / 250 - x / 2352
    got = ExactEvaluator(e, x)([1, 12, 48])
    assert got.dtype == object
    assert got.tolist() == [1 - Fraction(v, 250) - Fraction(v, 2352) for v in (1, 12, 48)]
    assert got.tolist()[1] == Fraction(23199, 24500)


def test_beyond_int64_python_integers_take_over() -> None:
    e = sympy.floor((x**3 + 7) / 5)
    xs = [10**7, 3 * 10**7, 10**12]
    got = ExactEvaluator(e, x)(xs)
    assert got.dtype == object and got.tolist() == [(v**3 + 7) // 5 for v in xs]
    small = ExactEvaluator(e, x)([10, 20])
    assert small.dtype == np.int64 and small.tolist() == [201, 1601]


def test_near_the_int64_limit() -> None:
    e = 3 * x**2 + sympy.floor(x / 7)
    for xs in ([10**9, 10**9 - 1], [2 * 10**9, 3]):  # 3e18 fits int64, 1.2e19 does not
        got = ExactEvaluator(e, x)(xs)
        assert got.tolist() == [3 * v * v + v // 7 for v in xs]
    assert ExactEvaluator(e, x)([10**9]).dtype == np.int64
    assert ExactEvaluator(e, x)([2 * 10**9]).dtype == object


def test_a_constant_and_a_point_by_point_fallback() -> None:
    assert ExactEvaluator(sympy.Integer(5), x)([1, 2, 3]).tolist() == [5, 5, 5]
    pw = sympy.Piecewise((x - 1, x > 3), (x, True))
    ev = ExactEvaluator(pw, x)
    assert not ev.vectorised and ev(range(1, 7)).tolist() == [1, 2, 3, 3, 4, 5]


def test_division_by_zero_is_an_error() -> None:
    ev = ExactEvaluator(sympy.floor(35 / (x - 2)), x)
    assert ev([1, 3]).tolist() == [-35, 35]
    with pytest.raises(ZeroDivisionError):
        ev([1, 2, 3])


def test_other_free_symbols_are_refused() -> None:
    with pytest.raises(ValueError, match="still has the symbols"):
        ExactEvaluator(x + size_symbol("y"), x)
