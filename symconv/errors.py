"""Error types: user mistakes are ValueError subclasses that name the field and the value."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

MISSING: Any = object()
"""The value of a field that was not given (messages then say "missing" instead of showing a value)."""


class SymconvError(Exception):
    """Base class of every error symconv raises on purpose."""


class InputError(SymconvError, ValueError):
    """A value given by the user is not acceptable.

    ``field`` names the parameter (``"strides[2]"``, ``"kernel"``), ``value`` is what was given.
    The message always contains both, so a command-line user can fix the input without a traceback.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = "" if value is MISSING else shown_value(value)
        super().__init__(f"{field}: {reason}" if value is MISSING else f"{field} = {shown}: {reason}")


def shown_value(value: Any, limit: int = 120) -> str:
    """A value as an error message repeats it: its repr, cut at ``limit`` characters; an integer too long for
    ``str`` (Python refuses more than 4,300 digits) by its number of digits, never a second error."""
    if isinstance(value, Fraction):
        text = f"{shown_value(value.numerator, limit)}/{shown_value(value.denominator, limit)}"
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        digits = int(math.log10(abs(value)))  # log10 takes integers of any size (str does not); within one
        digits += 1 if 10**digits <= abs(value) else 0  # of the count, settled exactly
        digits -= 1 if 10 ** (digits - 1) > abs(value) else 0
        text = f"<an integer of {digits:,} digits>"
    else:
        try:
            text = repr(value)
        except ValueError:  # an integer of more than 4,300 digits inside a container
            text = f"<a {type(value).__name__} holding numbers too long to print>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ArgumentError(InputError, TypeError):
    """A call that does not fit the function: a keyword it does not take, a missing or repeated argument.

    Raised before any value is looked at; ``field`` names the parameter and the message the right one when
    a keyword is mistaken (``kernel_size`` → ``kernel``). Also a ``TypeError``, as Python's own error is.
    """


class UnsupportedError(SymconvError):
    """The input is well formed but asks for something symconv does not do (for example a layer type)."""
