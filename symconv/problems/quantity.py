"""Quantities to explore (solve for, sweep, differentiate): a catalogue formula or a derived closed form.

A :class:`Quantity` is a closed form with named parameters and their natural domains. It comes from
the catalogue (``conv_output_size``: the formula's own written form and closed form), from the derived
names of ``symconv formula`` (``savings``, ``ratio``, ``layer``, ``output_size``,
``receptive_field_3``, solved with every quantity a symbol by the problem that defines them; ``NAME.KEY``
picks another answer of that problem, e.g. ``layer.parameters``), or from a network's totals
(:mod:`symconv.network.quantity`). Nothing here restates a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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
        origin: where the closed form comes from (for the derivation).
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

    def param(self, name: Any, field_name: str) -> str:
        """The parameter called ``name`` (its own name or the name of its symbol); an InputError otherwise."""
        if isinstance(name, str):
            if name in self.symbols:
                return name
            for p, s in self.symbols.items():
                if s.name == name:
                    return p
        if not self.params:
            raise InputError(
                field_name, name, f"{self.name} has no symbols: every value in it is a number (write a symbol name)"
            )
        raise InputError(field_name, name, f"{self.name} has no such symbol; its symbols: {', '.join(self.params)}")

    def minimum(self, param: str) -> int:
        """The natural lower bound of ``param`` (0 or 1)."""
        return self.lower.get(param, 1)

    def domain_text(self, param: str) -> str:
        """``"s ≥ 1, an integer"`` for the derivation (the relation typeset as a formula)."""
        import sympy

        from symconv.core.richtext import rich

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
        origin=f"the catalogue formula {name}",
        lower={p: 0 if p in zero else 1 for p in f.params},
        formula=f,
        sizes=(f.expr(),) if name in OUTPUT_SIZES else (),
    )


@lru_cache(maxsize=32)
def _derived(name: str, key: str) -> Quantity:
    import sympy

    from symconv.core.arith import is_symbolic
    from symconv.core.closedform import as_display
    from symconv.problems.general import DERIVED

    summary, solve = DERIVED[name]
    result = solve()
    key = key or type(result).main
    if key not in result.answers:
        raise InputError("quantity", f"{name}.{key}", "no such answer; answers: " + ", ".join(result.answers))
    value = result.answers[key]
    if isinstance(value, (list, tuple)) or not is_symbolic(value):
        raise InputError(
            "quantity", f"{name}.{key}", "not a single closed form; pick another answer, e.g. " + _scalar_keys(result)
        )
    expr = sympy.sympify(value)
    lhs = _lhs_of(result, key)
    ordered = sorted(expr.free_symbols, key=lambda s: s.name)
    symbols = {s.name: s for s in ordered}
    zero = _ZERO_ALLOWED.get(name, frozenset())
    return Quantity(
        name=f"{name}.{key}" if key != type(result).main else name,
        lhs=lhs,
        expr=expr,
        display=as_display(expr),
        params=tuple(symbols),
        symbols=symbols,
        description=f"{summary} ({key})",
        origin=f"derived by solving the {result.title.lower()} problem with symbols ({key})",
        lower={p: 0 if p in zero else 1 for p in symbols},
        sizes=output_sizes([result.answers.get("output_size"), *(result.answers.get("output_shape") or ())]),
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

    for step in result.derivation.steps:
        if getattr(step, "key", "") in (key, key + "_formula") and hasattr(step, "lhs"):
            lhs = step.lhs
            if getattr(lhs, "is_Symbol", False):
                return lhs  # type: ignore[no-any-return]
    return size_symbol(key)


def names() -> list[str]:
    """Every quantity name (derived first, then the catalogue)."""
    from symconv.problems.general import names as formula_names

    return formula_names()


def resolve(quantity: Any, field_name: str = "quantity") -> Quantity:
    """The quantity called ``quantity``: a catalogue formula, a derived name or ``NAME.KEY``; a Quantity passes through.

    Raises:
        InputError: an unknown name (the message lists the known ones).
    """
    if isinstance(quantity, Quantity):
        return quantity
    from symconv.catalogue import CATALOGUE
    from symconv.problems.general import DERIVED

    if not isinstance(quantity, str):
        raise InputError(field_name, quantity, "expected the name of a formula (`symconv formula list`)")
    base, _, key = quantity.strip().partition(".")
    if base in DERIVED:
        try:
            return _derived(base, key)
        except InputError as e:
            raise InputError(field_name, e.value, e.reason) from None
    if not key and base in CATALOGUE:
        return _catalogue(base)
    raise InputError(field_name, quantity, "unknown quantity; use one of " + ", ".join(names()))
