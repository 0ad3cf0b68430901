"""Exact numbers: validation of user values, rationals from strings, and formatting of fractions.

Nothing here imports SymPy at module level: the numeric path of every formula runs on
plain ``int`` and ``fractions.Fraction``.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

from symconv.errors import InputError

if TYPE_CHECKING:
    import sympy

Exact = int | Fraction
"""An exact number: a Python ``int`` or a ``fractions.Fraction``."""

Size: TypeAlias = "int | Fraction | sympy.Expr"
"""An answer: an exact number, or with symbols in the problem a SymPy closed form."""

PerAxis: TypeAlias = "Size | list[Size]"
"""A per-axis answer: one value when the height and the width agree, ``[h, w]`` when they differ."""

MAX_NAME = 32
"""Longest symbol name."""

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_(\{[A-Za-z0-9,]+\}|[A-Za-z0-9]+))?$")
# ASCII only: Python's \d (and int(), Fraction()) also read "٣" and "３" as 3, which a file must not
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_FRACTION = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$", re.ASCII)


def is_symbolic(value: Any) -> bool:
    """True for SymPy objects that are not plain numbers (symbols, expressions)."""
    if isinstance(value, (bool, int, Fraction, str)) or value is None:
        return False
    is_number = getattr(value, "is_Number", None)
    return is_number is not None and not is_number


def normalize(value: Exact) -> Exact:
    """A Fraction with denominator 1 becomes an int, so answers print as integers."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value.numerator)
    return value


def to_python(value: Any) -> Any:
    """A SymPy rational as ``int``/``Fraction``; anything else (a closed form, a Python number) unchanged.

    Duck-typed on SymPy's ``is_Integer``/``is_Rational`` so the numeric path needs no SymPy import.
    """
    if getattr(value, "is_Integer", False):
        return int(value)
    if getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    return value


def foreign_digit(text: str) -> str | None:
    """The first digit of ``text`` outside ASCII 0-9 (``"٣"``, ``"３"``), or None."""
    return next((c for c in text if c.isdigit() and not c.isascii()), None)


def ascii_only(text: str, field: str) -> None:
    """Refuse text with a non-ASCII digit, naming it: numbers are written with the digits 0-9."""
    c = foreign_digit(text)
    if c is not None:
        raise InputError(
            field, text, f"the digit {c!r} (U+{ord(c):04X}) is not one of 0-9; write numbers in ASCII digits"
        )


def parse_number(text: str, field: str) -> Exact:
    """Parse ``"3"``, ``"-2"``, ``"0.5"``, ``"1/3"`` or ``"2.5e3"`` into an exact number.

    Decimals are read exactly (``"0.1"`` is 1/10, not the nearest binary float). Only the ASCII digits
    0-9 are digits (``"٣"`` is refused, naming the character).
    """
    ascii_only(text, field)
    t = text.strip()
    if _FRACTION.match(t):
        num, den = (part.strip() for part in t.split("/"))
        if int(den) == 0:
            raise InputError(field, text, "division by zero")
        return normalize(Fraction(int(num), int(den)))
    if _NUMBER.match(t):
        return normalize(Fraction(t))
    raise InputError(field, text, "not a number")


def is_symbol_name(text: str) -> bool:
    """Whether ``text`` is an acceptable symbol name: a letter, letters/digits, optional ``_subscript``."""
    return bool(_NAME.match(text.strip()))


def symbol(name: str, field: str = "symbol", **assumptions: bool) -> sympy.Symbol:
    """A SymPy symbol from a validated name; never goes through ``sympify`` (which runs Python)."""
    import sympy

    if not is_symbol_name(name):
        raise InputError(
            field,
            name,
            "not a number and not a valid symbol name (a letter, then letters or digits, optionally _subscript)",
        )
    return sympy.Symbol(name.strip(), **assumptions)


def size_symbol(name: str) -> sympy.Symbol:
    """The symbol of a size, stride or count in a formula: a positive integer.

    Every formula symbol and every symbol name given for a size goes through here, so the same
    name always means the same SymPy object (SymPy distinguishes symbols by their assumptions).
    """
    import sympy

    return sympy.Symbol(name, positive=True, integer=True)


def exact_value(value: Any, field: str, *, allow_symbol: bool = True) -> Any:
    """Turn a user value into an exact number or a SymPy symbol/expression.

    Accepts ``int``, ``Fraction``, exact SymPy numbers, strings of numbers (``"0.5"``, ``"1/3"``),
    symbol names (``"L"``, ``"k_1"``) and SymPy expressions. Floats are accepted only when they are
    whole numbers; ``bool`` is rejected (``True`` is not a size).
    """
    if isinstance(value, bool):
        raise InputError(field, value, "expected a number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return normalize(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, value, "not a finite number")
        return normalize(Fraction(value)) if value.is_integer() else normalize(Fraction(str(value)))
    if isinstance(value, str):
        ascii_only(value, field)
        t = value.strip()
        if _NUMBER.match(t) or _FRACTION.match(t):
            return parse_number(t, field)
        if allow_symbol:
            return symbol(t, field, positive=True, integer=True)
        raise InputError(field, value, "expected a number")
    if hasattr(value, "is_Number"):
        if value.is_Integer:
            return int(value)
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        if value.is_Number:
            raise InputError(field, value, "inexact number; give an integer or a fraction")
        if allow_symbol:
            return value
        raise InputError(field, value, "expected a number, got an expression")
    # numpy integer scalars and the like
    if hasattr(value, "__index__"):
        return int(value.__index__())
    raise InputError(field, value, "expected a number or a symbol name")


def check_integer(value: Any, field: str, *, minimum: int | None = None) -> Any:
    """Validate an integer-valued size (or a symbol); ``minimum`` is inclusive."""
    v = exact_value(value, field)
    if is_symbolic(v):
        return v
    if isinstance(v, Fraction):
        raise InputError(field, value, "must be an integer")
    if minimum is not None and v < minimum:
        what = "positive" if minimum == 1 else f"at least {minimum}"
        raise InputError(field, value, f"must be {what}")
    return v


def format_fraction(value: Exact) -> str:
    """``Fraction(23199, 24500)`` → ``"23199/24500"``; integers print plainly."""
    value = normalize(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return str(value)


def round_half_up(value: Exact, places: int) -> Fraction:
    """``value`` rounded to ``places`` decimals, halves away from zero (0.125 → 0.13, −0.125 → −0.13), exactly.

    Computed on the exact fraction, never through a float. The one rounding rule of symconv: displays
    that show a decimal (≈ 94.69) and ``check``, which accepts a decimal claim equal to the exact
    answer rounded to the claim's places.
    """
    scaled = Fraction(value) * 10**places
    magnitude = int(abs(scaled) + Fraction(1, 2))
    return Fraction(-magnitude if scaled < 0 else magnitude, 10**places)


def decimal(value: Exact, places: int = 2) -> str:
    """An exact number as a decimal rounded half-up to ``places`` decimals: 23199/245 → ``"94.69"``."""
    rounded = round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded.numerator) * 10**places // rounded.denominator, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
