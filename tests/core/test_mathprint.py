"""Printing rules: brackets the author wrote are kept, subtraction of a sum keeps its brackets."""

from __future__ import annotations

import sympy

from symconv.core import mathprint
from symconv.core.arith import size_symbol as sym

a, b, c = sym("a"), sym("b"), sym("c")


def test_subtracting_a_sum_keeps_brackets() -> None:
    e = sympy.Add(a, sympy.Mul(-1, sympy.Add(b, c, evaluate=False), evaluate=False), evaluate=False)
    assert mathprint.text(e) == "a − (b + c)"
    assert mathprint.latex(e) == "a - \\left(b + c\\right)"


def test_nested_product_keeps_brackets() -> None:
    e = sympy.Mul(a, sympy.Mul(b, c, evaluate=False), evaluate=False)
    assert mathprint.text(e) == "a × (b × c)"


def test_fractions_and_floors() -> None:
    e = sympy.floor(
        sympy.Mul(sympy.Add(a, b, evaluate=False), sympy.Pow(c, -1, evaluate=False), evaluate=False), evaluate=False
    )
    assert mathprint.text(e) == "⌊(a + b)/c⌋"
    assert mathprint.latex(e) == "\\left\\lfloor \\frac{a + b}{c} \\right\\rfloor"


def test_closed_form_printing() -> None:
    P, L, N, k = sym("P"), sym("L"), sym("N"), sym("k")
    from symconv.core.closedform import as_display

    e = 1 - P / L - P / (k**2 * N)
    assert mathprint.text(as_display(e)) == "1 − P/L − P/(k^2 × N)"
    assert mathprint.text(as_display(sympy.floor((a - b) / 2) + 1)) == "⌊a/2 − b/2⌋ + 1"
    assert mathprint.latex(sympy.Rational(-3, 4)) == "-\\frac{3}{4}"
