"""The SymPy backend of the compositions: closed forms with floors and ceilings kept exact, never approximated.

A formula whose arguments include a symbol is evaluated with :meth:`Formula.expr`; all-numeric ones
with the exact numeric view, so substituting numbers into every closed form gives the numbers of
:data:`symconv.catalogue.backend.NUMERIC` exactly. :data:`SYMBOLIC` keeps the expressions as built
(with nested floors merged, as whole networks need); :data:`SIMPLIFIED` simplifies each one, as the
single-layer problems show their closed forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sympy

from symconv.catalogue.backend import Ops
from symconv.core.arith import is_symbolic
from symconv.core.formula import Formula


class SymbolicOps(Ops):
    """Arithmetic on SymPy closed forms; comparisons SymPy cannot decide answer None."""

    symbolic = True

    def ev(self, formula: Formula, *args: Any) -> Any:
        if not any(is_symbolic(a) for a in args):
            return formula(*args)
        return merge_nested(formula.expr(**dict(zip(formula.params, args))))

    def compare(self, a: Any, b: Any) -> int | None:
        if not (is_symbolic(a) or is_symbolic(b)):
            return int(bool(a > b)) - int(bool(a < b))  # SymPy numbers compare to SymPy booleans
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

    def choose(self, a: Any, b: Any, then: Any, otherwise: Any) -> Any:
        verdict = self.compare(a, b)
        if verdict is not None:
            return then if verdict >= 0 else otherwise
        from symconv.core.stepper import to_sympy

        return sympy.Piecewise((then, sympy.Ge(to_sympy(a), to_sympy(b))), (otherwise, True))

    def is_number(self, value: Any) -> bool:
        return not is_symbolic(value)


class SimplifiedOps(SymbolicOps):
    """Like :class:`SymbolicOps`, with every closed form simplified (:meth:`Formula.value`)."""

    def ev(self, formula: Formula, *args: Any) -> Any:
        return formula.value(**dict(zip(formula.params, args)))


def forget() -> None:
    """Clear the remembered normal forms (a benchmark measuring a fresh network's closed forms calls this)."""
    _merge_nested.cache_clear()
    _canonical.cache_clear()


SYMBOLIC = SymbolicOps()
SIMPLIFIED = SimplifiedOps()


def merge_nested(e: Any) -> Any:
    """floor((floor(u) + a)/q) → floor((u + a)/q), and the same for ceiling, for integers a and q > 0.

    Exact (a standard identity), and it keeps the sizes of deep networks readable:
    floor(floor((H - 1)/2)/2) + 1 becomes floor((H - 1)/4) + 1.
    """
    if not isinstance(e, sympy.Basic) or not e.args:
        return e
    return _merge_nested(e)


@lru_cache(maxsize=8192)
def _merge_nested(e: sympy.Basic) -> Any:
    """:func:`merge_nested` of a SymPy expression, remembered: a network's sizes nest the earlier ones."""
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
    return _canonical(e)


@lru_cache(maxsize=8192)
def _canonical(e: sympy.Basic) -> Any:
    """:func:`canonical` of a SymPy expression, remembered (comparisons meet the same sizes again and again)."""
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
