"""Printing rules: brackets the author wrote are kept, products of symbols juxtaposed, numbers grouped, names upright."""

from __future__ import annotations

import sympy

from symconv.core import mathprint
from symconv.core.arith import size_symbol as sym

a, b, c = sym("a"), sym("b"), sym("c")


def test_subtracting_a_sum_keeps_brackets() -> None:
    e = sympy.Add(a, sympy.Mul(-1, sympy.Add(b, c, evaluate=False), evaluate=False), evaluate=False)
    assert mathprint.text(e) == "a − (b + c)"
    assert mathprint.latex(e) == "a - (b + c)"


def test_nested_product_keeps_brackets() -> None:
    e = sympy.Mul(a, sympy.Mul(b, c, evaluate=False), evaluate=False)
    assert mathprint.text(e) == "a(bc)"
    assert mathprint.latex(e) == "a(b c)"
    numbers = sympy.Mul(sympy.Integer(3), sympy.Mul(sympy.Integer(1), sympy.Integer(2), evaluate=False), evaluate=False)
    assert mathprint.text(numbers) == "3 × (1 × 2)"  # between numbers the sign stays


def test_juxtaposition_only_where_it_reads() -> None:
    k_h, k_w, C = sym("k_h"), sym("k_w"), sym("C_in")
    product = sympy.Mul(k_h, k_w, C, evaluate=False)
    assert mathprint.latex(product) == "k_{h} k_{w} C_{\\mathrm{in}}"
    assert mathprint.text(product) == "k_h × k_w × C_in"  # subscripted names run together in text
    twice = sympy.Mul(sym("k"), sym("k"), evaluate=False)
    assert mathprint.text(twice) == "k × k" and mathprint.latex(twice) == "k \\times k"
    coefficient_later = sympy.Mul(sympy.Integer(3), sympy.Integer(3), sym("C"), evaluate=False)
    assert mathprint.text(coefficient_later) == "3 × 3 × C"  # one style per product, not 3 × 3C


def test_fractions_and_floors() -> None:
    e = sympy.floor(
        sympy.Mul(sympy.Add(a, b, evaluate=False), sympy.Pow(c, -1, evaluate=False), evaluate=False), evaluate=False
    )
    assert mathprint.text(e) == "⌊(a + b)/c⌋"
    assert mathprint.latex(e) == "\\left\\lfloor \\frac{a + b}{c} \\right\\rfloor"
    flat = sympy.floor(sympy.Add(a, b, evaluate=False), evaluate=False)
    assert mathprint.latex(flat) == "\\lfloor a + b \\rfloor"  # no \left: a line may break inside


def test_one_grouping_rule_for_operands_and_results() -> None:
    e = sympy.Mul(sympy.Integer(18), sympy.Integer(1234), sympy.Integer(14370048), evaluate=False)
    assert mathprint.latex(e) == "18 \\times 1234 \\times 14\\,370\\,048"
    assert mathprint.text(e) == "18 × 1234 × 14,370,048"
    assert mathprint.latex(sympy.Rational(-3, 4)) == "{-\\frac{3}{4}}"  # one group: a unary sign in MathML


def test_names_upright_when_several_letters() -> None:
    assert mathprint.latex(sym("RF_{n-1}")) == "\\mathrm{RF}_{n-1}"
    assert mathprint.latex(sym("M_saved")) == "M_{\\mathrm{saved}}"
    assert mathprint.latex(sym("k_eff,h")) == "k_{\\mathrm{eff},h}"
    assert mathprint.latex(sym("sigma_pct")) == "\\sigma_{\\mathrm{pct}}"
    assert mathprint.text(sym("RF_{n-1}")) == "RF_(n−1)"
    assert mathprint.text(sym("sigma_pct")) == "σ_pct"


def test_negative_number_in_brackets_is_a_sign() -> None:
    e = sympy.Mul(sympy.Integer(3), sympy.Integer(-2), evaluate=False)
    assert mathprint.latex(e) == "3 \\times ({-2})"  # the group keeps MathML and TeX spacing unary
    assert mathprint.text(e) == "3 × (−2)"


def test_break_marks_only_on_request() -> None:
    e = sympy.Add(*[sympy.Mul(sym(f"k_{i}"), sym(f"s_{i}"), evaluate=False) for i in range(3)], evaluate=False)
    assert mathprint.BREAK not in mathprint.latex(e)
    assert mathprint.latex(e, breaks=True).count(mathprint.BREAK) == 2


def test_sums_side_by_side_are_juxtaposed_in_text() -> None:
    # a closed form reads k²CN(H − k + 1)(W − k + 1) in text as in LaTeX, not k² × C × N × (H − k + 1) × …
    H, W, k, C, N = sympy.symbols("H W k C N", positive=True)
    shown = mathprint.text(k**2 * C * N * (H - k + 1) * (W - k + 1), written=False)
    assert "×" not in shown and ")(" in shown
    with sympy.evaluate(False):
        numbers = sympy.Mul(sympy.Integer(3), sympy.Add(sympy.Integer(4), sympy.Integer(-1)))
    assert mathprint.text(numbers) == "3 × (4 − 1)"  # numbers keep the sign


def test_numerator_bracketed_only_for_a_sign_outside_brackets() -> None:
    P, L, k, N = sympy.symbols("P L k N", positive=True)
    assert mathprint.text(P * (L + k**2 * N) / (L * N), written=False).startswith("P(L + k²N)/")
    with sympy.evaluate(False):
        written = sympy.Mul(sympy.Mul(sym("k_h"), sym("C_in")), sympy.Pow(L, -1))
    assert mathprint.text(written) == "(k_h × C_in)/L"


def test_integers_of_a_text_fraction_written_as_typed() -> None:
    # 1 − 1301P/294000 beside 292699/294000: one style for the numbers of a fraction
    P = sympy.Symbol("P", positive=True)
    assert mathprint.text(1 - sympy.Rational(1301, 294000) * P, written=False) == "1 − 1301P/294000"
    assert mathprint.text(sympy.Rational(292699, 294000)) == "292699/294000"
    assert mathprint.text(sympy.Integer(294000)) == "294,000"  # an integer alone is grouped
