"""Quantities to explore (solve for, sweep, differentiate): a catalogue formula or a derived closed form.

A :class:`Quantity` is a closed form with named parameters and their natural domains. It comes from
the catalogue (``conv_output_size``: the formula's own written form and closed form), from the derived
names of ``symconv formula`` (``savings``, ``ratio``, ``layer``, ``output_size``,
``receptive_field_3``, solved with every quantity a symbol by the problem that defines them; ``NAME.KEY``
picks another answer of that problem, e.g. ``layer.parameters``), or from a network's totals
(:mod:`symconv.network.quantity`). Nothing here restates a formula.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from symconv.core.richtext import Rich, rich
from symconv.errors import InputError

if TYPE_CHECKING:
    import sympy

    from symconv.core.formula import Formula

_ZERO_ALLOWED: dict[str, frozenset[str]] = {
    "conv_output_size": frozenset({"p"}),
    "conv_output_size_asymmetric": frozenset({"p_b", "p_e"}),
    "pool_output_size_ceil": frozenset({"p"}),
    "transposed_output_size": frozenset({"p", "a"}),
    "tf_same_padding_begin": frozenset({"P"}),
    "tf_same_padding_end": frozenset({"P", "p_b"}),
    "effective_padding": frozenset({"P", "p"}),
    "receptive_field_center": frozenset({"x", "P"}),
    "receptive_field_start": frozenset({"x", "P"}),
    "transposed_effective_padding": frozenset({"P", "p"}),
    "input_end": frozenset({"p"}),
    "padded_size": frozenset({"p_b", "p_e"}),
    "adaptive_window_start": frozenset({"j"}),
    "adaptive_window_end": frozenset({"j"}),
    "receptive_field_end": frozenset({"u"}),
    "slice_end": frozenset({"u"}),
    "slice_channels": frozenset({"a"}),
    "transposed_landing_taps": frozenset({"c_b", "c_e"}),
    "transposed_reached_outputs": frozenset({"m_b", "m_e"}),
    "output_size": frozenset({"p"}),
    "layer": frozenset({"p"}),
}
"""Parameters that may be 0 (paddings, 0-based positions and indices, cropped counts); every other parameter is a size or count, at least 1."""

LONG_NAMES: dict[str, tuple[str, ...]] = {
    "input": ("i",),
    "kernel": ("k",),
    "stride": ("s",),
    "padding": ("p",),
    "dilation": ("d",),
    "output_padding": ("a",),
    "groups": ("g",),
    "filters": ("N", "C_out"),
    "bottleneck": ("P",),
}
"""The API's names of the parameters (one name per parameter, as in ``output_size``, ``conv_layer`` and the problem
files) → the catalogue letters they stand for; a quantity takes the long name for the one letter of it that it has."""

OUTPUT_SIZES = frozenset(
    {"conv_output_size", "conv_output_size_asymmetric", "pool_output_size_ceil", "transposed_output_size"}
)
"""Catalogue formulas that are a layer's output size: they describe a layer only where they are at least 1 (a window
fits in the padded input; a transposed layer has an output)."""


@dataclass(frozen=True)
class Quantity:
    """A closed form to explore.

    Attributes:
        name: what the user called it (``conv_output_size``, ``savings``, ``macs``).
        lhs: the symbol of the quantity (``o``, ``sigma``, ``M``).
        expr: the evaluated closed form (SymPy, positive-integer symbols).
        display: the general written form shown in derivations.
        params: the parameter names a user gives values for, in order.
        symbols: parameter name → the SymPy symbol standing for it in ``expr`` and ``display``.
        description: one sentence, with units and conventions.
        origin: where the closed form comes from, a phrase that follows "The quantity savings, " in the
            derivation (:attr:`heading`).
        lower: parameter name → smallest admissible value (0 for paddings, 1 for sizes and counts).
        formula: the catalogue formula, when the quantity is one (its exact numeric view).
        sizes: the output sizes the quantity presumes (closed forms in the same symbols): the layer, or every
            layer of a network, exists only where each is at least 1. Outside that the closed form still has a
            value (a floor of a negative number), but no layer has it, so solve, sweep and sensitivity leave it out.
    """

    name: str
    lhs: sympy.Symbol
    expr: sympy.Expr
    display: sympy.Basic
    params: tuple[str, ...]
    symbols: Mapping[str, sympy.Symbol]
    description: str
    origin: str
    lower: Mapping[str, int] = field(default_factory=dict)
    formula: Formula | None = None
    sizes: tuple[sympy.Expr, ...] = ()

    @property
    def heading(self) -> Rich:
        """The derivation's line above the closed form: ``The quantity savings, derived from the bottleneck problem
        with symbols``."""
        return rich("The quantity {q}, {origin}", q=self.name, origin=self.origin)

    def param(self, name: Any, field_name: str) -> str:
        """The parameter called ``name``: its own name, its symbol's name, or the API's name for it (``kernel``
        for ``k``, ``stride``, ``padding``, ``dilation``, ``input``, ``filters`` …); an InputError otherwise."""
        if isinstance(name, str):
            if name in self.symbols:
                return name
            for p, s in self.symbols.items():
                if s.name == name:
                    return p
            letter = self._letter(name)
            if letter is not None:
                return letter
        if not self.params:
            raise InputError(
                field_name, name, f"{self.name} has no symbols: every value in it is a number (write a symbol name)"
            )
        import difflib

        longs = [long for long in LONG_NAMES if self._letter(long) is not None]
        close = (
            difflib.get_close_matches(name, [*self.params, *longs], n=1, cutoff=0.6) if isinstance(name, str) else []
        )
        hint = f"; did you mean {self._letter(close[0]) or close[0]!r}?" if close else ""
        raise InputError(
            field_name, name, f"{self.name} has no such symbol{hint}; its symbols: {', '.join(self.params)}"
        )

    def _letter(self, name: str) -> str | None:
        """The parameter the API's long name (or another library's name, ``kernel_size``) stands for, if it has one."""
        from symconv.core.coerce import OTHER_NAMES

        long = OTHER_NAMES.get(name, name)
        matches = [p for p in LONG_NAMES.get(long, ()) if p in self.symbols]
        return matches[0] if len(matches) == 1 else None

    def minimum(self, param: str) -> int:
        """The natural lower bound of ``param`` (0 or 1)."""
        return self.lower.get(param, 1)

    def domain_text(self, param: str) -> str:
        """``"s ≥ 1, an integer"`` for the derivation (the relation typeset as a formula)."""
        import sympy

        bound = sympy.Ge(self.symbols[param], sympy.Integer(self.minimum(param)), evaluate=False)
        return rich("{bound}, an integer", bound=bound)


def _catalogue(name: str) -> Quantity:
    from symconv.catalogue import CATALOGUE
    from symconv.core.arith import size_symbol

    f = CATALOGUE[name]
    symbols = f.default_symbols()
    zero = _ZERO_ALLOWED.get(name, frozenset())
    return Quantity(
        name=name,
        lhs=size_symbol(f.lhs),
        expr=f.expr(),
        display=f.display(),
        params=f.params,
        symbols=symbols,
        description=f.description,
        origin="the catalogue's formula",
        lower={p: 0 if p in zero else 1 for p in f.params},
        formula=f,
        sizes=(f.expr(),) if name in OUTPUT_SIZES else (),
    )


@lru_cache(maxsize=32)
def _derived(name: str, key: str) -> Quantity:
    from symconv.problems.general import DERIVED

    summary, solve = DERIVED[name]
    result = solve()
    return from_result(
        result,
        key,
        name=name,
        description=summary,
        origin="derived from the {title} problem with symbols",
        zero=_ZERO_ALLOWED.get(name, frozenset()),
    )


ZERO_NAMES = frozenset({"p", "p_b", "p_e", "p_h", "p_w", "a", "a_h", "a_w"})
"""Symbols of a result (or an expression) that may be 0: paddings and output paddings, by their usual names."""


def from_result(
    result: Any,
    key: str = "",
    *,
    name: str = "",
    description: str = "",
    origin: str = "the closed form of the {title} result",
    zero: frozenset[str] = ZERO_NAMES,
) -> Quantity:
    """The closed form of a problem's answer ``key`` (default: its main answer) as a quantity to explore.

    Its symbols are the result's symbols; the output sizes it presumes (``output_size``, ``output_shape``,
    a network's per-layer shapes) go with it.

    Raises:
        InputError: no such answer, or an answer that is not a single closed form.
    """
    import sympy

    from symconv.core.arith import is_symbolic
    from symconv.core.closedform import as_display

    main = type(result).main
    key = key or main
    name = name or result.kind
    if key not in result.answers:
        raise InputError("quantity", f"{name}.{key}", "no such answer; answers: " + ", ".join(result.answers))
    value = result.answers[key]
    if isinstance(value, (list, tuple)) or not is_symbolic(value):
        others = _scalar_keys(result)
        raise InputError(
            "quantity",
            f"{name}.{key}",
            "not a single closed form; pick another answer, e.g. " + others
            if others
            else "every answer is a number; give symbol names for the values to explore (kernel='k')",
        )
    expr = sympy.sympify(value)
    symbols = {s.name: s for s in sorted(expr.free_symbols, key=lambda s: s.name)}
    shapes = [
        v
        for row in result.answers.get("layers") or ()
        if isinstance(row, Mapping)
        for v in row.get("output_shape") or ()
    ]
    return Quantity(
        name=f"{name}.{key}" if key != main else name,
        lhs=_lhs_of(result, key),
        expr=expr,
        display=as_display(expr),
        params=tuple(symbols),
        symbols=symbols,
        description=f"{description or result.title} ({key})",
        origin=origin.format(title=re.sub(r" \(.*\)$", "", result.title.lower())),
        lower={p: 0 if p in zero else 1 for p in symbols},
        sizes=output_sizes([result.answers.get("output_size"), *(result.answers.get("output_shape") or ()), *shapes]),
    )


def from_expression(expr: sympy.Expr) -> Quantity:
    """A SymPy closed form as a quantity: its free symbols are the parameters (paddings, by name, may be 0)."""
    from symconv.core.arith import size_symbol
    from symconv.core.closedform import as_display

    symbols = {s.name: s for s in sorted(expr.free_symbols, key=lambda s: s.name)}
    return Quantity(
        name="q",
        lhs=size_symbol("q"),
        expr=expr,
        display=as_display(expr),
        params=tuple(symbols),
        symbols=symbols,
        description="a closed form given as a SymPy expression",
        origin="given as an expression",
        lower={p: 0 if p in ZERO_NAMES else 1 for p in symbols},
    )


def output_sizes(values: Any) -> tuple[sympy.Expr, ...]:
    """The closed forms among ``values`` (output sizes of a problem's answers) that depend on a symbol, once each.

    A bare symbol (the channels ``N``) is at least 1 by its own domain and is left out.
    """
    import sympy

    from symconv.core.arith import is_symbolic

    out: dict[sympy.Expr, None] = {}
    for v in values:
        if v is not None and is_symbolic(v) and not isinstance(v, sympy.Symbol):
            out.setdefault(sympy.sympify(v), None)
    return tuple(out)


def _scalar_keys(result: Any) -> str:
    from symconv.core.arith import is_symbolic

    return ", ".join(k for k, v in result.answers.items() if is_symbolic(v) and not isinstance(v, (list, tuple)))


def _lhs_of(result: Any, key: str) -> sympy.Symbol:
    """The symbol the derivation writes for answer ``key`` (its equation's left-hand side)."""
    from symconv.core.arith import size_symbol

    steps = [st for st in result.derivation.steps if getattr(getattr(st, "lhs", None), "is_Symbol", False)]
    for step in steps:
        if getattr(step, "key", "") in (key, key + "_formula"):
            return step.lhs  # type: ignore[no-any-return]
    for step in reversed(steps):  # the last of a list's entries: receptive_fields[2] is RF_3, the receptive field
        if (getattr(step, "key", "") or "").startswith(key):
            return step.lhs  # type: ignore[no-any-return]
    return size_symbol(key)


def names() -> list[str]:
    """Every quantity name (derived first, then the catalogue)."""
    from symconv.problems.general import names as formula_names

    return formula_names()


def resolve(quantity: Any, field_name: str = "quantity") -> Quantity:
    """The quantity called ``quantity``: a catalogue formula, a derived name or ``NAME.KEY``; a result of symconv whose
    main answer is a closed form (``symconv.receptive_field(kernels=[3, 3, 3], dilations=["d"] * 3)``) or a SymPy
    expression with symbols is explored as it is; a Quantity passes through.

    Raises:
        InputError: an unknown name (the message lists the known ones).
    """
    if isinstance(quantity, Quantity):
        return quantity
    from symconv.catalogue import CATALOGUE
    from symconv.problems.general import DERIVED
    from symconv.solution.result import Result

    if isinstance(quantity, Result):
        try:
            return from_result(quantity)
        except InputError as e:
            raise InputError(field_name, e.value, e.reason) from None
    if "sympy" in sys.modules and isinstance(quantity, sys.modules["sympy"].Expr) and quantity.free_symbols:
        return from_expression(quantity)
    if not isinstance(quantity, str):
        raise InputError(
            field_name,
            quantity,
            "expected the name of a formula (`symconv formula list`), a result with a closed form or a SymPy "
            "expression with symbols",
        )
    base, _, key = quantity.strip().partition(".")
    if base in DERIVED:
        try:
            return _derived(base, key)
        except InputError as e:
            raise InputError(field_name, e.value, e.reason) from None
    if not key and base in CATALOGUE:
        return _catalogue(base)
    raise InputError(field_name, quantity, "unknown quantity; use one of " + ", ".join(names()))
