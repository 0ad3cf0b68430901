"""One level at a time: the chain of partial evaluations, exact and in written order."""

from __future__ import annotations

import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.catalogue import RECEPTIVE_FIELD_STEP
from symconv.core import mathprint
from symconv.core.arith import size_symbol as sym
from symconv.core.stepper import chain, evaluate_level, is_value, substitute


def test_seed_third_layer_chain() -> None:
    j = sympy.Mul(sym("s_1"), sym("s_2"), evaluate=False)
    display = RECEPTIVE_FIELD_STEP.display(r=sym("RF_2"), k=sym("k_3"), j=j)
    steps = chain(display, {sym("RF_2"): 7, sym("k_3"): 4, sym("s_1"): 1, sym("s_2"): 2})
    line = " = ".join(mathprint.text(e) for e in [display, *steps])
    assert line == "RF_2 + (k_3 − 1) × (s_1 × s_2) = 7 + (4 − 1) × (1 × 2) = 7 + 3 × 2 = 7 + 6 = 13"


def test_products_of_negative_numbers_read_as_written() -> None:
    terms = [sympy.Mul(a, b, evaluate=False) for a, b in [(3, 4), (0, 3), (1, 1), (-2, 2)]]
    total = sympy.Add(*terms, evaluate=False)
    one = evaluate_level(total)
    assert mathprint.text(total, "dot") == "3 · 4 + 0 · 3 + 1 · 1 + (−2) · 2"
    assert mathprint.text(one) == "12 + 0 + 1 − 4"
    assert evaluate_level(one) == 9


def test_reciprocal_and_negation_are_values() -> None:
    assert is_value(sympy.Pow(sympy.Integer(2), -1, evaluate=False))
    assert is_value(sympy.Mul(-1, 3, evaluate=False))
    assert not is_value(sympy.Mul(-1, -3, evaluate=False))  # "−(−3)" is worth a step


def test_substitute_does_not_evaluate() -> None:
    x = sym("x")
    e = sympy.Add(x, sympy.Integer(-1), evaluate=False)
    assert mathprint.text(substitute(e, {x: sympy.Integer(4)})) == "4 − 1"


@given(st.lists(st.integers(-50, 50), min_size=2, max_size=6), st.lists(st.integers(-50, 50), min_size=2, max_size=6))
def test_chain_ends_at_the_exact_value(a: list[int], b: list[int]) -> None:
    n = min(len(a), len(b))
    symbols = [sym(f"a_{i}") for i in range(n)]
    display = sympy.Add(*[sympy.Mul(symbols[i], sympy.Integer(b[i]), evaluate=False) for i in range(n)], evaluate=False)
    steps = chain(display, {symbols[i]: a[i] for i in range(n)})
    assert steps[-1] == sum(x * y for x, y in zip(a, b))
    texts = [mathprint.text(s) for s in steps]
    assert len(texts) == len(set(texts)), "consecutive duplicates must be dropped"


def test_exact_rationals() -> None:
    a, b = sym("a"), sym("b")
    display = sympy.Mul(a, sympy.Pow(b, sympy.Integer(-1), evaluate=False), evaluate=False)
    assert chain(display, {a: 31, b: 2})[-1] == sympy.Rational(31, 2)
    assert mathprint.text(chain(display, {a: 31, b: 2})[0]) == "31/2"


def test_a_literal_minus_one_factor_stays_a_factor() -> None:
    from symconv.core.stepper import literal_factor

    product = sympy.Mul(literal_factor(sympy.Integer(-1)), sympy.Integer(2), evaluate=False)
    assert mathprint.text(product, "dot") == "(−1) · 2"
    assert evaluate_level(product) == -2
