"""Substitute values into a display tree and evaluate it one level at a time, exactly.

The display trees come from :meth:`symconv.core.formula.Formula.display`: unevaluated SymPy nodes in
the written order. Every node is rebuilt with ``evaluate=False`` passed explicitly, so the
process-wide ``sympy.evaluate`` flag is never touched. One *level* evaluates every node whose
operands are all numbers, simultaneously, so ``7 + (4 − 1) × (1 × 2)`` becomes ``7 + 3 × 2``,
then ``7 + 6``, then ``13``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import sympy

from symconv.errors import InputError


class Maximum(sympy.Function):
    """max(a, b, …) that keeps its written argument order while unevaluated (``sympy.Max`` sorts)."""

    @classmethod
    def eval(cls, *args: sympy.Expr) -> sympy.Expr | None:
        if all(a.is_Number for a in args):
            return max(args)
        return None


class Minimum(sympy.Function):
    """min(a, b, …) that keeps its written argument order while unevaluated (``sympy.Min`` sorts)."""

    @classmethod
    def eval(cls, *args: sympy.Expr) -> sympy.Expr | None:
        if all(a.is_Number for a in args):
            return min(args)
        return None


def to_sympy(value: Any) -> sympy.Expr:
    """An exact SymPy object for a Python int, Fraction, SymPy object or symbol name."""
    if isinstance(value, bool):
        raise InputError("value", value, "expected a number, got a boolean")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, str):
        from symconv.core.arith import symbol

        return symbol(value)
    if hasattr(value, "__index__"):
        return sympy.Integer(value.__index__())
    raise InputError("value", value, "expected an exact number or a symbol")


def is_value(e: sympy.Basic) -> bool:
    """A number as the reader sees it: ``3``, ``−3`` written as ``Mul(−1, 3)``, or ``1/3`` as ``Pow(3, −1)``.

    Treating the last two as values keeps the steps from showing ``31 × 1/2`` or ``4 + (−1)``.
    """
    if e.is_Number:
        return True
    if isinstance(e, sympy.Pow) and e.base.is_Number and e.exp == -1:
        return True
    if isinstance(e, sympy.Mul) and len(e.args) == 2 and e.args[0] == -1 and e.args[1].is_Number:
        return bool(e.args[1] >= 0)
    return False


def literal_factor(v: sympy.Expr) -> sympy.Expr:
    """A number to be written as the first factor of a product, as it is (``(−1) · 2``, not ``− 2``).

    ``Mul(−1, x)`` is how a subtraction is stored, and the printers and :func:`is_value` read it as
    ``−x``; a literal factor −1 in front of another number would therefore vanish into a sign. It is
    kept as the value node ``Mul(−1, 1)`` instead, which prints ``(−1)`` and evaluates to −1.
    """
    if v.is_Number and v == -1:
        return sympy.Mul(sympy.Integer(-1), sympy.Integer(1), evaluate=False)
    return v


def as_number(e: sympy.Basic) -> sympy.Expr:
    """The SymPy number a value node stands for (see :func:`is_value`)."""
    if e.is_Number:
        return e
    if isinstance(e, sympy.Pow):
        return sympy.Rational(1, 1) / e.base
    return -e.args[1]


def rebuild(node: sympy.Basic, args: list[sympy.Basic]) -> sympy.Basic:
    """``node.func(*args)`` left unevaluated, without touching the global evaluate flag."""
    if isinstance(node, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Function)):
        return node.func(*args, evaluate=False)
    with sympy.evaluate(False):  # rare node types (Indexed, Tuple) take no keyword
        return node.func(*args)


def substitute(e: sympy.Basic, mapping: Mapping[sympy.Basic, sympy.Basic]) -> sympy.Basic:
    """Replace symbols by values without evaluating anything (``xreplace`` would evaluate parents).

    Like ``xreplace`` this is a single structural pass; ``subs`` is hundreds of times slower on
    long expressions because it tries to match patterns.
    """
    if e in mapping:
        return mapping[e]
    if not e.args or e.is_Number:
        return e
    return rebuild(e, [substitute(a, mapping) for a in e.args])


def trivial(node: sympy.Basic, values: list[sympy.Expr]) -> bool:
    """Whether evaluating ``node`` on ``values`` is an identity not worth a step: ⌊3⌋, 1 × 6, 0 + 3."""
    if isinstance(node, (sympy.floor, sympy.ceiling)):
        return bool(values[0].is_Integer)
    if isinstance(node, sympy.Mul):
        return sum(v != 1 for v in values) <= 1
    if isinstance(node, sympy.Add):
        return sum(v != 0 for v in values) <= 1
    return False


def evaluate_level(e: sympy.Basic) -> sympy.Basic:
    """Evaluate every node whose operands are all values; rebuild everything above unevaluated.

    A node whose operands become values in this level is evaluated too when that is a trivial
    identity (:func:`trivial`), so ``⌊1/1⌋ + 1`` steps to ``1 + 1``, not to ``⌊1⌋ + 1``.
    """
    if is_value(e) or not e.args:
        return e
    if all(is_value(a) for a in e.args):
        return e.func(*[as_number(a) for a in e.args])
    args = [evaluate_level(a) for a in e.args]
    if all(is_value(a) for a in args) and not isinstance(e, sympy.Pow):
        numbers = [as_number(a) for a in args]
        if trivial(e, numbers):
            return e.func(*numbers)
    return rebuild(e, args)


def evaluate_fully(e: sympy.Basic) -> sympy.Basic:
    """The fully evaluated (and, for closed forms, simplified) value of a display tree."""
    if is_value(e):
        return as_number(e)
    if not e.args:
        return e
    return e.func(*[evaluate_fully(a) for a in e.args])


def chain(display: sympy.Basic, mapping: Mapping[sympy.Basic, Any], *, max_levels: int = 200) -> list[sympy.Basic]:
    """The evaluation chain of ``display`` under ``mapping``: substituted form, each level, result.

    Every free symbol of the formula should have a value; symbols without one stay in the chain,
    which then ends at the last written form (the caller simplifies the closed form itself).
    Consecutive identical entries are dropped.
    """
    sympy_mapping = {k: to_sympy(v) for k, v in mapping.items()}
    current = substitute(display, sympy_mapping)
    out = [current]
    for _ in range(max_levels):
        nxt = evaluate_level(current)
        if nxt == current:
            break
        out.append(nxt)
        current = nxt
    final = evaluate_fully(current)
    if final.is_Number and final != out[-1]:
        out.append(final)
    return out
