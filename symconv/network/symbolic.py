"""Closed forms in the input size: the network walk of symconv.network.analysis with H and W as SymPy symbols.

The walk is the numeric one; only the arithmetic backend differs: a formula whose arguments
include a symbol is evaluated with :meth:`Formula.expr` (floors and ceilings kept exact, never
approximated), all-numeric ones with the exact numeric view. Substituting numbers for H and W
in every closed form therefore gives the numeric table exactly (tests check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sympy

from symconv.catalogue import TF_SAME_PADDING_TOTAL
from symconv.core.arith import is_symbolic, size_symbol, to_python
from symconv.core.formula import Formula
from symconv.network.analysis import Analysis, Counting, Ops, analyse
from symconv.network.model import Network


class SymbolicOps(Ops):
    """Arithmetic on SymPy closed forms; comparisons SymPy cannot decide answer None."""

    symbolic = True

    def ev(self, formula: Formula, *args: Any) -> Any:
        if not any(is_symbolic(a) for a in args):
            return formula(*args)
        value = merge_nested(formula.expr(**dict(zip(formula.params, args))))
        if formula is TF_SAME_PADDING_TOTAL and isinstance(value, sympy.Max):
            value = _same_padding_total(value, args[1], args[2])
        return value

    def compare(self, a: Any, b: Any) -> int | None:
        if not (is_symbolic(a) or is_symbolic(b)):
            return (a > b) - (a < b)
        difference = sympy.sympify(a - b)
        if not difference.is_Number:
            difference = sympy.sympify(canonical(a) - canonical(b))
        if difference.is_Number:
            return int(bool(difference > 0)) - int(bool(difference < 0))
        if sympy.count_ops(difference) > 60:  # assumption queries on large floor expressions are slow
            return None
        if difference.is_zero:
            return 0
        if difference.is_positive:
            return 1
        if difference.is_negative:
            return -1
        return None

    def minimum(self, values: Sequence[Any]) -> Any:
        if not any(is_symbolic(v) for v in values):
            return min(values)
        return sympy.Min(*values)

    def maximum(self, values: Sequence[Any]) -> Any:
        if not any(is_symbolic(v) for v in values):
            return max(values)
        return sympy.Max(*values)

    def is_number(self, value: Any) -> bool:
        return not is_symbolic(value)


SYMBOLIC = SymbolicOps()


def merge_nested(e: Any) -> Any:
    """floor((floor(u) + a)/q) → floor((u + a)/q), and the same for ceiling, for integers a and q > 0.

    Exact (a standard identity), and it keeps the sizes of deep networks readable:
    floor(floor((H - 1)/2)/2) + 1 becomes floor((H - 1)/4) + 1.
    """
    if not isinstance(e, sympy.Basic) or not e.args:
        return e
    e = e.func(*[merge_nested(a) for a in e.args])
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        n, q = sympy.fraction(sympy.together(e.args[0]))
        if q.is_Integer and q > 0:
            n = sympy.expand(n)
            inner = [t for t in sympy.Add.make_args(n) if isinstance(t, type(e))]
            rest = n - inner[0] if len(inner) == 1 else None
            if rest is not None and rest.is_Integer:
                return type(e)(sympy.expand(inner[0].args[0] + rest) / q)
    return e


def canonical(e: Any) -> Any:
    """A normal form for floor/ceiling expressions of integers, so that equal sizes compare equal.

    ceiling(N/q) becomes floor((N + q - 1)/q) when N is an integer, and floor(A + c) with a rational
    constant c becomes floor(A + f) + m with m = floor(c), f = c - m in [0, 1). For instance
    ceiling(y/2) and floor((y - 1)/2) + 1 (the same output size written by TF 'same' and by
    symmetric padding) both become floor(y/2 + 1/2).
    """
    if not isinstance(e, sympy.Basic) or not e.args:
        return e
    e = e.func(*[canonical(a) for a in e.args])
    if isinstance(e, sympy.ceiling):
        n, q = sympy.fraction(sympy.together(e.args[0]))
        if q.is_Integer and q > 0 and n.is_integer:
            e = sympy.floor(sympy.expand(n + q - 1) / q)
    if isinstance(e, sympy.floor):
        e = merge_nested(e)
    if isinstance(e, sympy.floor):
        const, rest = sympy.expand(e.args[0]).as_coeff_Add()
        if const.is_Rational and rest != 0:
            m = sympy.floor(const)
            e = sympy.floor(rest + (const - m)) + m
    return e


def _same_padding_total(value: sympy.Max, s: Any, k_e: Any) -> Any:
    """TensorFlow's total 'same' padding max((o - 1)s + k_e - i, 0) without the max where it is decided.

    With o = ceil(i/s), (o - 1)s lies in [i - s, i - 1], so the first argument lies in
    [k_e - s, k_e - 1]: it is never negative when k_e >= s, and never positive when k_e = 1.
    SymPy cannot prove either from the ceiling, and an undecided max would double the size of
    every effective padding downstream at each residual merge.
    """
    if is_symbolic(s) or is_symbolic(k_e):
        return value
    inner = [a for a in value.args if a != 0]
    if len(inner) != 1:
        return value
    if k_e >= s:
        return inner[0]
    if k_e == 1:
        return sympy.Integer(0)
    return value


def with_symbolic_input(network: Network, height: str = "H", width: str = "W") -> Network:
    """The same network with its input height and width replaced by the symbols ``height``, ``width``."""
    return replace(network, input=(size_symbol(height), size_symbol(width), network.input[2]))


def closed_forms(network: Network, counting: Counting | None = None, height: str = "H", width: str = "W") -> Analysis:
    """The per-layer table with H and W as symbols: every size, count and padding a closed form in them."""
    return analyse(with_symbolic_input(network, height, width), counting, SYMBOLIC)


def macs(network: Network, counting: Counting | None = None) -> sympy.Expr:
    """Total MACs of ``network`` as a closed form in the input height H and width W."""
    return sympy.sympify(closed_forms(network, counting).macs)


def substitute(value: Any, values: dict[str, int]) -> Any:
    """A closed form (or a list/tuple/dict of them) evaluated at ``values`` (symbol name → number), exactly."""
    if isinstance(value, dict):
        return {k: substitute(v, values) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(substitute(v, values) for v in value)
    if not is_symbolic(value):
        return value
    mapping = {size_symbol(name): sympy.Integer(n) for name, n in values.items()}
    result = value.xreplace(mapping)
    # xreplace leaves Max/floor of numbers evaluated but may leave a number unsimplified in rare cases.
    return to_python(sympy.nsimplify(result) if not result.is_Number else result)
