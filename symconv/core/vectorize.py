"""Exact vectorised evaluation of a closed form in one variable: integer arrays, ``floor(a/b)`` as ``a // b``.

SymPy's ``lambdify(x, floor((x + 3)/2), "numpy")`` prints ``floor((1/2)*x + 3/2)``: floats, wrong past
2^53 and never exact for fractions. Here the closed form is split into a numerator and a denominator
with integer coefficients, every ``floor(N/D)`` is printed as the integer floor division ``N // D``
(``ceiling(N/D)`` as ``-((-N) // D)``), and both are compiled with ``lambdify`` to numpy on integer
arrays: int64 when a bound on every intermediate value fits, object arrays of Python integers
otherwise. A quotient of the two is made an exact :class:`fractions.Fraction` per point only when the
denominator is not 1. Nothing is ever a float.

Expressions with other nodes (Piecewise, Mod, …) are evaluated point by point with SymPy instead,
exactly and more slowly; :attr:`ExactEvaluator.vectorised` says which path is used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.printing.numpy import NumPyPrinter

from symconv.core.arith import normalize, to_python

INT64_SAFE = 2**62
"""Largest magnitude an int64 evaluation may reach (a bound on every intermediate value is checked against it)."""

_ALLOWED = (
    sympy.Add,
    sympy.Mul,
    sympy.Pow,
    sympy.Rational,
    sympy.Symbol,
    sympy.floor,
    sympy.ceiling,
    sympy.Max,
    sympy.Min,
)


class _Unsupported(Exception):
    """The expression has a node the integer printer does not handle (evaluated point by point instead)."""


def integer_fraction(e: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``e`` as ``(N, D)`` with ``e = N/D`` and integer coefficients in both (outside nested floors).

    ``x/32 - 1/32`` → ``(x - 1, 32)``; ``35/s`` → ``(35, s)``. A negative constant denominator is moved
    to the numerator's sign.
    """
    n, d = sympy.fraction(sympy.together(e))
    rationals = [r for part in (n, d) for r in _top_rationals(part)]
    scale = math.lcm(*(int(r.q) for r in rationals)) if rationals else 1
    if scale != 1:
        n, d = sympy.expand(n * scale), sympy.expand(d * scale)
    if d.is_Number and d < 0:
        n, d = -n, -d
    return n, d


def _top_rationals(e: sympy.Basic) -> list[sympy.Rational]:
    """Non-integer rationals of ``e`` outside floor/ceiling arguments (those are split on their own)."""
    if isinstance(e, sympy.Rational):
        return [] if e.is_Integer else [e]
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        return []
    return [r for a in e.args for r in _top_rationals(a)]


class _IntegerPrinter(NumPyPrinter):
    """numpy code on integer arrays: floor and ceiling as floor division, no true division, no floats."""

    def _print_floor(self, e: sympy.floor) -> str:
        n, d = integer_fraction(e.args[0])
        if d.is_Integer:
            return f"(({self._print(n)}) // {int(d)})"
        return f"_fdiv({self._print(n)}, {self._print(d)})"

    def _print_ceiling(self, e: sympy.ceiling) -> str:
        n, d = integer_fraction(e.args[0])
        if d.is_Integer:
            return f"(-((-({self._print(n)})) // {int(d)}))"
        return f"(-_fdiv(-({self._print(n)}), {self._print(d)}))"

    def _print_Integer(self, e: sympy.Integer) -> str:
        return str(int(e))

    def _print_Rational(self, e: sympy.Rational) -> str:
        if e.is_Integer:
            return str(int(e))
        raise _Unsupported(f"a fraction {e} left after clearing denominators")

    def _print_Pow(self, e: sympy.Pow, rational: bool = False) -> str:
        if e.exp.is_Integer and e.exp > 0:
            return f"({self._print(e.base)})**{int(e.exp)}"
        raise _Unsupported(f"the power {e}")

    def _nested(self, ufunc: str, e: sympy.Basic) -> str:
        parts = [self._print(a) for a in e.args]
        out = parts[0]
        for p in parts[1:]:
            out = f"numpy.{ufunc}({out}, {p})"
        return out

    def _print_Max(self, e: sympy.Max) -> str:
        return self._nested("maximum", e)

    def _print_Min(self, e: sympy.Min) -> str:
        return self._nested("minimum", e)


def _fdiv(n: Any, d: Any) -> Any:
    """Floor division by a varying denominator, refusing a zero (numpy would give 0 with a warning)."""
    if np.any(np.asarray(d) == 0):
        raise ZeroDivisionError("division by zero in the closed form")
    return n // d


def _check(e: sympy.Basic, var: sympy.Symbol) -> None:
    if not isinstance(e, _ALLOWED):
        raise _Unsupported(type(e).__name__)
    if isinstance(e, sympy.Symbol) and e != var:
        raise _Unsupported(f"the free symbol {e}")
    if isinstance(e, sympy.Rational) and not e.is_Integer:
        raise _Unsupported(f"a fraction {e} left after clearing denominators")
    if isinstance(e, sympy.Pow) and not (e.exp.is_Integer and e.exp > 0):
        raise _Unsupported(f"the power {e}")
    if isinstance(e, (sympy.floor, sympy.ceiling)):  # printed from the split of its argument
        for part in integer_fraction(e.args[0]):
            _check(part, var)
        return
    for a in e.args:
        _check(a, var)


Plan = tuple[Any, ...]
"""The printed code's structure, for bounding its values: ("int", v), ("var",), ("add" | "mul" | "max", parts),
("pow", part, n), ("div", numerator, denominator) — a floor or ceiling division."""


def _plan(e: sympy.Basic) -> Plan:
    if isinstance(e, sympy.Integer):
        return ("int", abs(int(e)))
    if isinstance(e, sympy.Symbol):
        return ("var",)
    if isinstance(e, sympy.Add):
        return ("add", tuple(_plan(a) for a in e.args))
    if isinstance(e, sympy.Mul):
        return ("mul", tuple(_plan(a) for a in e.args))
    if isinstance(e, (sympy.Max, sympy.Min)):
        return ("max", tuple(_plan(a) for a in e.args))
    if isinstance(e, sympy.Pow):
        return ("pow", _plan(e.base), int(e.exp))
    if isinstance(e, (sympy.floor, sympy.ceiling)):
        n, d = integer_fraction(e.args[0])
        return ("div", _plan(n), _plan(d))
    raise _Unsupported(type(e).__name__)


def _bound(plan: Plan, m: int) -> tuple[int, int]:
    """(a bound on |value|, a bound on |every intermediate value|) of the printed code when |x| ≤ m."""
    kind = plan[0]
    if kind == "int":
        return plan[1], plan[1]
    if kind == "var":
        return m, m
    if kind == "pow":
        value, inner = _bound(plan[1], m)
        out = max(value, 1) ** plan[2]
        return out, max(inner, out)
    if kind == "div":
        (num, n_inner), (den, d_inner) = _bound(plan[1], m), _bound(plan[2], m)
        # a constant denominator divides the bound; a varying one is a non-zero integer, at least 1 in size
        out = (num // den if plan[2][0] == "int" and den else num) + 1
        return out, max(n_inner, d_inner, out)
    parts = [_bound(p, m) for p in plan[1]]
    inner = max(i for _, i in parts)
    if kind == "add":
        out = sum(v for v, _ in parts)
    elif kind == "max":
        out = max(v for v, _ in parts)
    else:  # partial products are bounded by the whole product of factors counted at least 1
        out = math.prod(max(v, 1) for v, _ in parts)
    return out, max(inner, out)


POINTWISE = 2000
"""The cost of one SymPy operation at one point, in vectorised array operations (measured: about 20 µs to 10 ns)."""


def _size(plan: Any) -> int:
    """Operations in a compiled plan (a tree of ``(kind, operands…)`` tuples)."""
    if isinstance(plan, tuple) and plan and isinstance(plan[0], str):
        return 1 + sum(_size(a) for a in plan[1:])
    if isinstance(plan, tuple):
        return sum(_size(a) for a in plan)
    return 0


class ExactEvaluator:
    """A closed form in one variable, evaluated exactly on many integer points at once.

    Args:
        expr: a SymPy expression whose only free symbol is ``var`` (numbers substituted already).
        var: the variable.

    Calling the evaluator on integers returns a numpy array: int64 when the closed form is
    integer-valued and fits, otherwise an object array of Python ``int``/``Fraction``.
    """

    def __init__(self, expr: Any, var: sympy.Symbol) -> None:
        self.expr = sympy.sympify(expr)
        self.var = var
        extra = self.expr.free_symbols - {var}
        if extra:
            raise ValueError(f"the closed form still has the symbols {sorted(map(str, extra))}")
        self.vectorised = True
        try:
            n, d = integer_fraction(self.expr)
            _check(n, var)
            _check(d, var)
            self._plans = (_plan(n), _plan(d))
            self._num = self._compile(n)
            self._den: Callable[[Any], Any] | int = int(d) if d.is_Integer else self._compile(d)
        except _Unsupported:
            self.vectorised = False

    def _compile(self, e: sympy.Expr) -> Callable[[Any], Any]:
        printer = _IntegerPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False})
        fn = sympy.lambdify(self.var, e, modules=[{"_fdiv": _fdiv}, "numpy"], printer=printer)
        if self.var not in e.free_symbols:  # a constant: broadcast it
            value = int(e)
            return lambda xs: np.full(np.shape(xs), value, dtype=np.int64 if abs(value) < INT64_SAFE else object)
        return fn  # type: ignore[no-any-return]

    def work(self, points: int) -> int:
        """The work of evaluating at ``points`` points, in array operations (checked against MAX_EVALUATIONS).

        Vectorised, each node of the compiled numerator and denominator is one operation per point; point by
        point, each operation SymPy performs costs about :data:`POINTWISE` array operations.
        """
        if self.vectorised:
            return points * (_size(self._plans[0]) + _size(self._plans[1]))
        return points * (sympy.count_ops(self.expr) + 1) * POINTWISE

    def array(self, xs: Sequence[int] | np.ndarray) -> np.ndarray:
        """``xs`` as the integer array the compiled code runs on (int64 if the bound allows, else Python ints)."""
        arr = np.asarray(xs)
        if arr.size == 0:
            return np.zeros(0, dtype=np.int64)
        if arr.dtype.kind not in "iuO":
            raise TypeError("exact evaluation takes integers")
        top = max(abs(int(arr.max())), abs(int(arr.min())))
        fits = top < INT64_SAFE and all(_bound(plan, top)[1] < INT64_SAFE for plan in self._plans)
        if fits:
            return arr if arr.dtype == np.int64 else arr.astype(np.int64)
        return np.array([int(v) for v in arr.tolist()], dtype=object)

    def parts(self, xs: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray | int]:
        """Numerator and denominator of the values at ``xs``, as integer arrays (the denominator may be one int).

        The exact values without building a Python object per point: a fraction-valued closed form over
        10^6 points costs what an integer one does.
        """
        if not self.vectorised:
            raise ValueError("this closed form is evaluated point by point")
        arr = self.array(xs)
        num = self._num(arr)
        den = self._den if isinstance(self._den, int) else self._den(arr)
        if np.any(np.asarray(den) == 0):
            raise ZeroDivisionError("division by zero in the closed form")
        return num, den

    def __call__(self, xs: Sequence[int] | np.ndarray) -> np.ndarray:
        """The exact values at the integers ``xs`` (int64 array, or object array of int/Fraction)."""
        if not self.vectorised:
            return np.array([self.at(int(v)) for v in np.asarray(xs).tolist()], dtype=object)
        num, den = self.parts(xs)
        if isinstance(den, int) and den == 1:
            return num
        dens = np.broadcast_to(den, np.shape(num)).tolist()
        return np.array([normalize(Fraction(int(a), int(b))) for a, b in zip(num.tolist(), dens)], dtype=object)

    def at(self, x: int) -> Any:
        """The exact value at one integer, through SymPy (the point-by-point path)."""
        value = self.expr.xreplace({self.var: sympy.Integer(x)})
        if value.has(sympy.zoo, sympy.nan):
            raise ZeroDivisionError("division by zero in the closed form")
        return to_python(value)
