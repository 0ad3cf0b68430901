"""Shared by solve, sweep and sensitivity: the given values of a quantity's symbols, and exact decimal readings."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from symconv.core.arith import check_integer, exact_value, is_symbolic, too_large
from symconv.errors import InputError
from symconv.problems.quantity import Quantity

if TYPE_CHECKING:
    import sympy


def given_values(
    q: Quantity, given: Mapping[str, Any] | None, *, exclude: str = "", optional: bool = False, field: str = "given"
) -> dict[str, Any]:
    """The values of the quantity's parameters: parameter name → exact integer or SymPy symbol.

    Keys may be a parameter's name or its symbol's name; each value is validated as a size (an
    integer at least the parameter's natural minimum) or a symbol name. ``exclude`` (the unknown or
    the varied parameter) must not be given unless ``optional``; every other parameter must be.

    Raises:
        InputError: a key the quantity does not have, a bad value, a missing parameter (named ``given.X``).
    """
    if given is None:
        given = {}
    if not isinstance(given, Mapping):
        raise InputError(field, given, "expected a table of symbol = value")
    out: dict[str, Any] = {}
    for key, value in given.items():
        name = q.param(key, f"{field}.{key}")
        if name in out:
            raise InputError(f"{field}.{key}", value, f"{name} is given twice")
        if name == exclude and not optional:
            raise InputError(f"{field}.{key}", value, f"{name} is the unknown; it cannot be given")
        out[name] = check_integer(value, f"{field}.{key}", minimum=q.minimum(name))
    missing = [name for name in q.params if name not in out and name != exclude]
    if missing:
        raise InputError(
            field,
            dict(given),
            f"no value for {', '.join(missing)}: every symbol of {q.name} but the {'unknown' if not optional else 'varied one'} "
            "needs a value (a number, or a symbol name to keep it symbolic)",
        )
    return out


def target_value(value: Any, q: Quantity, field: str = "target") -> Any:
    """An exact number, or a symbol name as a SymPy symbol (an integer when the quantity is integer-valued)."""
    import sympy

    if isinstance(value, str) and not _is_number_text(value):
        sym = exact_value(value, field)  # validates the name
        if sym.name in {s.name for s in q.symbols.values()}:
            raise InputError(field, value, f"{value} is a symbol of {q.name}; name the target differently")
        integer = bool(q.expr.is_integer)
        return sympy.Symbol(sym.name, integer=True) if integer else sympy.Symbol(sym.name, real=True)
    v = exact_value(value, field, allow_symbol=False)
    too_large(v, field)  # a target past the limit on every input number (and past what str() prints)
    return v


def _is_number_text(text: str) -> bool:
    from symconv.core.arith import parse_number

    try:
        parse_number(text, "")
    except InputError:
        return False
    return True


def substituted(q: Quantity, values: Mapping[str, Any], expr: sympy.Expr | None = None) -> sympy.Expr:
    """The closed form (or ``expr``, in the quantity's symbols) with the given values put in (exact; symbols stay)."""
    from symconv.core.stepper import to_sympy

    return (q.expr if expr is None else expr).xreplace({q.symbols[p]: to_sympy(v) for p, v in values.items()})


def numeric(values: Mapping[str, Any]) -> bool:
    """Whether every value is a number."""
    return not any(is_symbolic(v) for v in values.values())


def decimal(value: Any, digits: int = 3) -> str:
    """An exact number rounded half-up to ``digits`` decimals (``35/17`` → ``"2.059"``), trailing zeros kept."""
    import sympy

    if isinstance(value, sympy.Basic) and not value.is_Rational:
        return str(sympy.N(value, digits + 2))
    from symconv.core.arith import decimal as rounded

    x = Fraction(int(value.p), int(value.q)) if isinstance(value, sympy.Basic) else Fraction(value)
    return rounded(x, digits)  # the one half-up rounding (core.arith)


def set_decimal(s: sympy.Set, digits: int = 3) -> str:
    """A decimal reading of an interval with fractional ends, ``"(1.944, 2.059]"``; '' when the ends are integers."""
    import sympy

    if not isinstance(s, sympy.Interval):
        return ""
    ends = [s.start, s.end]
    if all(e.is_infinite or e.is_Integer for e in ends) or any(not e.is_number for e in ends):
        return ""

    def show(e: sympy.Expr) -> str:
        return "∞" if e is sympy.oo else "−∞" if e is sympy.S.NegativeInfinity else decimal(e, digits)

    return f"{'(' if s.left_open else '['}{show(s.start)}, {show(s.end)}{')' if s.right_open else ']'}"
