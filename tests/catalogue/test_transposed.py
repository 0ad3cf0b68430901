"""Counting a transposed convolution's landing products and reached outputs, against a scatter loop."""

from __future__ import annotations

import sympy
from hypothesis import assume, given
from hypothesis import strategies as st

from symconv.catalogue.backend import NUMERIC
from symconv.catalogue.symbolic import SYMBOLIC
from symconv.catalogue.transposed import transposed_axis
from symconv.core.arith import size_symbol


def scatter(i: int, k: int, s: int, p: int, d: int, a: int) -> tuple[int, int, int]:
    """(output size, landing pairs, reached outputs) by scattering every (input, tap) pair."""
    positions = [x * s + u * d for x in range(i) for u in range(k)]
    size = max(positions) + 1 - 2 * p + a  # the scatter, cropped by p at each end, output padding a after
    landing = [y - p for y in positions if 0 <= y - p < size]
    return size, len(landing), len(set(landing))


params = {
    "i": st.integers(1, 9),
    "k": st.integers(1, 7),
    "s": st.integers(1, 6),
    "p": st.integers(0, 9),
    "d": st.integers(1, 4),
    "a": st.integers(0, 5),
}


@given(**params)
def test_counts_match_the_scatter(i: int, k: int, s: int, p: int, d: int, a: int) -> None:
    assume(a < s or a < d)
    size, landing, reached = scatter(i, k, s, p, d, a)
    assume(size >= 1)
    t = transposed_axis(NUMERIC, i, k, s, p, d, a)
    assert (t.landing, t.covered) == (landing, reached)
    assert t.landing == i * k - t.cropped_before - t.cropped_after


@given(**{name: params[name] for name in ("k", "s", "p", "d", "a")})
def test_a_symbolic_input_size_gives_closed_forms(k: int, s: int, p: int, d: int, a: int) -> None:
    """With i a symbol the counts are closed forms (sums of min(i, n)); at each i they are the scatter's."""
    assume(a < s or a < d)
    i = size_symbol("i")
    t = transposed_axis(SYMBOLIC, i, k, s, p, d, a)
    for n in range(1, 8):
        size, landing, reached = scatter(n, k, s, p, d, a)
        if size >= 1:
            values = (t.landing.xreplace({i: n}), sympy.sympify(t.covered).xreplace({i: n}))
            assert values == (landing, reached)
