"""Closed forms in the order a person writes them: golden strings, and always the same value as SymPy's."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.core import mathprint
from symconv.core.arith import size_symbol as sym
from symconv.core.closedform import appearance_order, as_display
from symconv.core.stepper import evaluate_fully

H, W, L, P, N, k, C = (sym(n) for n in ("H", "W", "L", "P", "N", "k", "C"))
i, p, d, s = (sym(n) for n in ("i", "p", "d", "s"))


def same_value(shown: sympy.Basic, expr: sympy.Basic) -> bool:
    """The display evaluates back to the expression it was written from."""
    return sympy.simplify(evaluate_fully(shown) - expr) == 0


CASES = [
    # (expression, formula order, text, LaTeX)
    (sym("k_2") - 1, [], "k_2 − 1", "k_{2} - 1"),
    (H * W * N * k**2 * L, [H, W, N, k, L], "HWNk²L", "H W N k^{2} L"),
    (H * W * L * P + H * W * k**2 * P * N, [H, W, L, P, k, N], "HWP(L + k²N)", "H W P(L + k^{2} N)"),
    (1 - P / L - P / (k**2 * N), [], "1 − P/L − P/(k²N)", "1 - \\frac{P}{L} - \\frac{P}{k^{2} N}"),
    ((1 + 9 * C) * N, [], "N(9C + 1)", "N(9 C + 1)"),
    (sympy.floor(H / 2 - sympy.Rational(1, 2)) + 1, [], "⌊(H − 1)/2⌋ + 1", None),
    (
        sympy.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1,
        [i, p, d, k, s],
        "⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1",
        None,
    ),
    (
        9408 * (1 + sympy.floor(H / 2 - sympy.Rational(1, 2))) * (1 + sympy.floor(W / 2 - sympy.Rational(1, 2))),
        [],
        "9408(⌊(H − 1)/2⌋ + 1)(⌊(W − 1)/2⌋ + 1)",
        None,
    ),
    (sympy.expand(100 * (1 - P / L - P / (k**2 * N))), [], "100(1 − P/L − P/(k²N))", None),
    (1 / N + 1 / k**2, [], "1/N + 1/k²", "\\frac{1}{N} + \\frac{1}{k^{2}}"),
    (sympy.Rational(3, 4) * k, [], "3k/4", "\\frac{3 k}{4}"),
]


@pytest.mark.parametrize("expr, order, text, latex", CASES, ids=[c[2] for c in CASES])
def test_written_order(expr: sympy.Expr, order: list[sympy.Symbol], text: str, latex: str | None) -> None:
    shown = as_display(expr, order)
    assert mathprint.text(shown) == text
    if latex is not None:
        assert mathprint.latex(shown) == latex
    assert same_value(shown, expr)


def test_recurrence_result_keeps_the_formula_order() -> None:
    """RF_3 = RF_2 + (k_3 − 1)(s_1 s_2): the new term keeps the formula's factor order, old terms their place."""
    k1, k2, k3, s1, s2, rf2 = (sym(n) for n in ("k_1", "k_2", "k_3", "s_1", "s_2", "RF_2"))
    memo: dict[sympy.Basic, sympy.Basic] = {}
    from symconv.core.closedform import remember

    rf2_value = k1 + s1 * (k2 - 1)
    remember(memo, rf2_value, as_display(rf2_value, [k1, k2, s1], factors=[k2, s1]))
    formula = sympy.Add(rf2, sympy.Mul(sympy.Add(k3, -1), sympy.Mul(s1, s2, evaluate=False), evaluate=False))
    substituted = sympy.Add(memo[rf2_value], sympy.Mul(sympy.Add(k3, -1), sympy.Mul(s1, s2, evaluate=False)))
    result = rf2_value + (k3 - 1) * s1 * s2
    shown = as_display(result, appearance_order(substituted, formula), factors=appearance_order(formula), memo=memo)
    assert mathprint.latex(shown) == "k_{1} + (k_{2} - 1)s_{1} + (k_{3} - 1)s_{1} s_{2}"
    assert same_value(shown, result)


symbols = st.sampled_from([H, W, L, P, N, k, C])
atoms = st.one_of(symbols, st.integers(-9, 9).map(sympy.Integer))
terms = st.lists(atoms, min_size=1, max_size=4).map(lambda fs: sympy.Mul(*fs))
expressions = st.lists(terms, min_size=1, max_size=5).map(lambda ts: sympy.Add(*ts))


@given(expressions, st.permutations([H, W, L, P, N, k, C]))
def test_reordering_never_changes_the_value(expr: sympy.Expr, order: list[sympy.Symbol]) -> None:
    shown = as_display(expr, order)
    assert same_value(shown, expr)
    assert same_value(as_display(sympy.floor(expr / 3) + 1, order), sympy.floor(expr / 3) + 1)
