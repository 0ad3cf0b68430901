"""The arithmetic backend the compositions run on: exact numbers here, SymPy closed forms in catalogue.symbolic.

A composition (symconv.catalogue.rules) evaluates catalogue formulas through ``ops.ev`` and
decides through ``ops.compare``, so one definition serves exact numbers (:data:`NUMERIC`, no
SymPy imported) and closed forms (:class:`symconv.catalogue.symbolic.SymbolicOps`, which keeps
floors and ceilings exact). :func:`backend_for` picks the backend that fits the values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from symconv.core.arith import is_symbolic
from symconv.core.formula import Formula


class Ops:
    """Exact numeric arithmetic (ints and Fractions, no SymPy); the symbolic backends override it."""

    symbolic = False

    def ev(self, formula: Formula, *args: Any) -> Any:
        """The formula's value at ``args`` (positional, in the formula's parameter order)."""
        return formula(*args)

    def compare(self, a: Any, b: Any) -> int | None:
        """-1, 0 or 1 as a <, =, > b; None when it cannot be decided (symbolic sizes)."""
        return (a > b) - (a < b)

    def minimum(self, values: Sequence[Any]) -> Any:
        return min(values)

    def maximum(self, values: Sequence[Any]) -> Any:
        return max(values)

    def total(self, values: Iterable[Any]) -> Any:
        """Σ values, 0 for none: a network's totals, the channels of concatenated maps."""
        return sum(values, 0)

    def choose(self, a: Any, b: Any, then: Any, otherwise: Any) -> Any:
        """``then`` where a >= b, else ``otherwise`` (a closed form keeps both, as a condition)."""
        return then if a >= b else otherwise

    def is_number(self, value: Any) -> bool:
        return True


NUMERIC = Ops()


def backend_for(*values: Any) -> Ops:
    """:data:`NUMERIC` when every value is a number; otherwise the backend that simplifies closed forms as the
    single-layer problems show them (SymPy imported only then)."""
    if not any(is_symbolic(v) for v in values):
        return NUMERIC
    from symconv.catalogue.symbolic import SIMPLIFIED

    return SIMPLIFIED
