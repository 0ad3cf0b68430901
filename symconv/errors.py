"""Error types: user mistakes are ValueError subclasses that name the field and the value."""

from __future__ import annotations

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
        shown = f"{value.numerator}/{value.denominator}" if isinstance(value, Fraction) else repr(value)
        super().__init__(f"{field}: {reason}" if value is MISSING else f"{field} = {shown}: {reason}")


class ArgumentError(InputError, TypeError):
    """A call that does not fit the function: a keyword it does not take, a missing or repeated argument.

    Raised before any value is looked at; ``field`` names the parameter and the message the right one when
    a keyword is mistaken (``kernel_size`` → ``kernel``). Also a ``TypeError``, as Python's own error is.
    """


class UnsupportedError(SymconvError):
    """The input is well formed but asks for something symconv does not do (for example a layer type)."""
