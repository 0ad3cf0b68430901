"""Closed forms derived by SymPy from the catalogue's counts, and their textbook written form."""

from __future__ import annotations

from typing import Any

import sympy


def _factor_key(f: sympy.Basic) -> tuple[int, str]:
    # a numeric coefficient first (27C², not C² × 27), powers before plain symbols (k²N, as textbooks
    # write it), then alphabetical
    return (-1 if f.is_Number else 0 if isinstance(f, sympy.Pow) else 1, str(f))


def _product(factors: list[sympy.Basic]) -> sympy.Basic:
    factors = sorted(factors, key=_factor_key)
    if not factors:
        return sympy.Integer(1)
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def as_display(expr: sympy.Basic) -> sympy.Basic:
    """Rewrite an evaluated expression as a display tree in the order a textbook writes it.

    Constants first when every other term is subtracted, last otherwise; each term as one fraction, numerator over denominator,
    with powers first in a product: ``-P/L - P/(N*k**2) + 1`` becomes ``1 − P/L − P/(k² N)``.
    The stepper can then substitute numbers and evaluate it level by level.
    """
    if isinstance(expr, sympy.Add):
        constants = [t for t in expr.args if t.is_Number]
        others = sorted((t for t in expr.args if not t.is_Number), key=sympy.default_sort_key)
        # "1 − P/L − P/(k²N)" when everything else is subtracted, "⌊(i − k)/s⌋ + 1" otherwise
        subtracted = all(t.could_extract_minus_sign() for t in others)
        ordered = constants + others if subtracted else others + constants
        return sympy.Add(*[as_display(t) for t in ordered], evaluate=False)
    if isinstance(expr, (sympy.floor, sympy.ceiling)):
        return expr.func(as_display(expr.args[0]), evaluate=False)
    if isinstance(expr, sympy.Pow) and not expr.exp.is_negative:
        return sympy.Pow(as_display(expr.base), expr.exp, evaluate=False)
    if isinstance(expr, sympy.Mul) or (isinstance(expr, sympy.Pow) and expr.exp.is_negative):
        coeff, rest = expr.as_coeff_Mul()
        negative = coeff < 0
        coeff = abs(coeff)
        num, den = sympy.fraction(rest)
        # each factor in textbook order too: (S − 1)/32, not (−1 + S)/32
        num_f = [as_display(f) for f in sympy.Mul.make_args(num)] if num != 1 else []
        den_f = [as_display(f) for f in sympy.Mul.make_args(den)] if den != 1 else []
        if coeff.p != 1:
            num_f.insert(0, sympy.Integer(coeff.p))
        if coeff.q != 1:
            den_f.insert(0, sympy.Integer(coeff.q))
        body = _product(num_f)
        if den_f:
            body = sympy.Mul(body, sympy.Pow(_product(den_f), sympy.Integer(-1), evaluate=False), evaluate=False)
        return sympy.Mul(sympy.Integer(-1), body, evaluate=False) if negative else body
    return expr


def ratio(numerator: Any, denominator: Any) -> sympy.Basic:
    """``numerator / denominator`` simplified to a sum of simple fractions (common factors cancel)."""
    from symconv.core.stepper import to_sympy

    return sympy.expand(sympy.cancel(to_sympy(numerator) / to_sympy(denominator)))
