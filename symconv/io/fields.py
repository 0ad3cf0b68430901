"""Structural checks of problem-file values: numbers, pairs, per-layer lists, shapes, matrices, words.

These look only at the *structure* of a value (a number, a list of them, a matrix) and turn number
strings into exact numbers; the problem functions validate the values themselves (positive sizes,
fitting kernels). Each raises :class:`~symconv.errors.InputError` naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from symconv.core import arith
from symconv.core.arith import ascii_only, is_symbol_name
from symconv.core.safeexpr import number
from symconv.errors import MISSING, InputError

MAX_MAGNITUDE = 10**15
"""Largest number accepted in a problem (sizes beyond this are typos, and the answers stay printable)."""

MAX_LIST = 1000
"""Most entries of one list (layers of a stack, rows of a matrix)."""

MAX_ELEMENTS = 65536
"""Most numbers in one matrix or tensor."""

MAX_NAME = arith.MAX_NAME
"""Longest symbol name."""

__all__ = ["MISSING", "Check", "boolean", "bounds", "choice", "layers", "name", "numbers", "padding", "pair", "scalar",
           "scalars", "shape3", "sides", "table", "tables", "tensor"]  # fmt: skip
"""MISSING (a field that was not given) lives with the errors, so that the problems can name a missing field too."""

Check = Callable[[Any, str], Any]
"""A structural check: ``(value, field) -> value`` with number strings made exact; raises InputError."""


def scalar(value: Any, field: str) -> Any:
    """A number (int, exact decimal, ``"p/q"``) or a symbol name kept as a string for the problem."""
    if isinstance(value, bool):
        raise InputError(field, value, "expected a number or a symbol name, got a boolean")
    if isinstance(value, int):
        out: Any = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, value, "not a finite number")
        out = Fraction(repr(value))  # the decimal the file wrote, exactly (0.1 is 1/10)
    elif isinstance(value, str):
        text = value.strip()
        ascii_only(text, field)
        if is_symbol_name(text):
            if len(text) > MAX_NAME:
                raise InputError(field, value, f"symbol name longer than {MAX_NAME} characters")
            return text
        try:
            out = number(text, field)
        except InputError as e:
            if e.reason != "not a number":
                raise
            raise InputError(
                field,
                value,
                "not a number and not a symbol name (a letter, then letters or digits, optionally _subscript)",
            ) from None
    else:
        raise InputError(field, value, f"expected a number or a symbol name, got {_kind(value)}")
    if isinstance(out, Fraction):
        if max(abs(out.numerator), out.denominator) > MAX_MAGNITUDE:
            raise InputError(field, value, f"too large (the limit is {MAX_MAGNITUDE:.0e})")
        return int(out) if out.denominator == 1 else out
    if abs(out) > MAX_MAGNITUDE:
        raise InputError(field, value, f"too large (the limit is {MAX_MAGNITUDE:.0e})")
    return out


def pair(value: Any, field: str) -> Any:
    """``k`` or ``[k_h, k_w]``."""
    if isinstance(value, list):
        if len(value) != 2:
            raise InputError(field, value, "expected one value or a pair [height, width]")
        return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return scalar(value, field)


def layers(value: Any, field: str) -> list[Any]:
    """A non-empty list with one ``k`` or ``[k_h, k_w]`` per layer."""
    if not isinstance(value, list) or not value:
        raise InputError(field, value, "expected a non-empty list with one entry per layer")
    if len(value) > MAX_LIST:
        raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_LIST} layers")
    return [pair(v, f"{field}[{i}]") for i, v in enumerate(value)]


def shape3(value: Any, field: str) -> list[Any]:
    """``[H, W, C]``."""
    if not isinstance(value, list) or len(value) != 3:
        raise InputError(field, value, "expected [height, width, channels]")
    return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]


def tensor(value: Any, field: str) -> list[Any]:
    """A matrix (list of rows) or a stack of them, nested up to four levels, every leaf a number or name."""
    count = [0]

    def walk(v: Any, where: str, depth: int) -> Any:
        if isinstance(v, list):
            if depth >= 4:
                raise InputError(where, v, "nested more than four levels")
            if not v:
                raise InputError(where, v, "empty list")
            if len(v) > MAX_LIST:
                raise InputError(where, f"<{len(v)} entries>", f"more than {MAX_LIST} entries")
            return [walk(x, f"{where}[{i}]", depth + 1) for i, x in enumerate(v)]
        if depth == 0:
            raise InputError(where, v, "expected a matrix: a list of rows")
        count[0] += 1
        if count[0] > MAX_ELEMENTS:
            raise InputError(field, "<…>", f"more than {MAX_ELEMENTS} numbers")
        return scalar(v, where)

    return walk(value, field, 0)


def boolean(value: Any, field: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise InputError(field, value, "expected true or false")
    return value


def padding(value: Any, field: str) -> Any:
    """Per-side padding: a number, ``[p_h, p_w]``, ``"valid"`` or ``"same"`` (the words of every padding input)."""
    from symconv.catalogue.rules import padding_word

    return padding_word(value, field) or pair(value, field)


def sides(value: Any, field: str) -> Any:
    """Padding per side as :func:`padding`, or ``[[top, bottom], [left, right]]``."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, list) for v in value):
        return [pair(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return padding(value, field)


def scalars(value: Any, field: str) -> Any:
    """One number (or name), or a list of them (one per filter)."""
    if isinstance(value, list):
        if not value or len(value) > MAX_LIST:
            raise InputError(field, value, f"expected one value or a list of 1 to {MAX_LIST} values")
        return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return scalar(value, field)


def name(value: Any, field: str) -> str:
    """A name: a formula (``conv_output_size``, ``layer.parameters``) or a symbol (``s``, ``H_o``)."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(field, value, "expected a name")
    if len(value) > 64:
        raise InputError(field, value[:40] + "…", "longer than 64 characters")
    return value.strip()


def table(value: Any, field: str) -> dict[str, Any]:
    """A table of ``name = number or symbol name`` (the given values of a quantity's symbols)."""
    if not isinstance(value, dict):
        raise InputError(field, value, "expected a table such as { i = 38, k = 3 }")
    if len(value) > MAX_LIST:
        raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_LIST} entries")
    return {str(k): scalar(v, f"{field}.{k}") for k, v in value.items()}


def tables(value: Any, field: str) -> list[dict[str, Any]]:
    """A non-empty list of tables (layers, designs), each validated by the problem that reads it."""
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise InputError(field, value, "expected a list of tables")
    if len(value) > MAX_LIST:
        raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_LIST} entries")
    return value


def bounds(value: Any, field: str) -> list[Any]:
    """``[lowest, highest]``: two numbers."""
    if not isinstance(value, list) or len(value) != 2:
        raise InputError(field, value, "expected [lowest, highest]")
    return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]


def numbers(value: Any, field: str) -> list[Any]:
    """A non-empty list of numbers."""
    if not isinstance(value, list) or not value:
        raise InputError(field, value, "expected a non-empty list of numbers")
    if len(value) > MAX_LIST:
        raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_LIST} values")
    return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]


def choice(*options: str) -> Check:
    """One of the given words."""

    def check(value: Any, field: str) -> str:
        if not isinstance(value, str) or value not in options:
            raise InputError(field, value, "expected one of " + ", ".join(repr(o) for o in options))
        return value

    return check


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "a table", list: "a list", str: "a string"}
    return names.get(type(value), type(value).__name__)
