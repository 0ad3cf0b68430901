"""Closed forms in the input size: the network walk of symconv.network.analysis with H and W as SymPy symbols.

The walk is the numeric one; only the arithmetic backend differs (:data:`SYMBOLIC`, from
symconv.catalogue.symbolic): a formula whose arguments include a symbol is evaluated with
:meth:`Formula.expr` (floors and ceilings kept exact, never approximated), all-numeric ones with the
exact numeric view. Substituting numbers for H and W in every closed form therefore gives the
numeric table exactly (tests check it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy

from symconv.catalogue.symbolic import SYMBOLIC, SymbolicOps, canonical, merge_nested
from symconv.core.arith import MAX_NAME, is_symbol_name, is_symbolic, size_symbol, to_python
from symconv.core.coerce import public
from symconv.errors import InputError
from symconv.network.analysis import Analysis, Counting, analyse
from symconv.network.model import Network

__all__ = [
    "SYMBOLIC",
    "SymbolicOps",
    "canonical",
    "closed_forms",
    "macs",
    "merge_nested",
    "substitute",
    "with_symbolic_input",
]


def with_symbolic_input(
    network: Network, height: str = "H", width: str = "W", *, depth: str = "D", length: str = "L"
) -> Network:
    """The same network with its input sizes replaced by symbols: ``height`` and ``width`` (2-D), ``depth``,
    ``height`` and ``width`` (3-D), or ``length`` (1-D)."""
    names = {1: (length,), 2: (height, width), 3: (depth, height, width)}[len(network.input[:-1])]
    return replace(network, input=(*(size_symbol(n) for n in names), network.input[-1]))


@public(raw=("network", "counting"))
def closed_forms(
    network: Network,
    counting: Counting | None = None,
    height: str = "H",
    width: str = "W",
    *,
    depth: str = "D",
    length: str = "L",
) -> Analysis:
    """The per-layer table with the input sizes as symbols: every size, count and padding a closed form in them.

    Args:
        network: a :class:`Network` (from :func:`~symconv.network.spec.network_from_spec` or ``from_torch``).
        counting: the counting conventions (default: torchvision's, see :class:`Counting`).
        height, width: the symbol names of the input's height and width (a letter, then letters or digits,
            optionally ``_subscript``), different from each other.
        depth, length: the symbol names of a 3-D map's depth (with height and width) and a 1-D map's length.
    """
    if not isinstance(network, Network):
        raise InputError("network", type(network).__name__, "expected a Network (see network_from_spec, from_torch)")
    if counting is not None and not isinstance(counting, Counting):
        raise InputError("counting", type(counting).__name__, "expected a Counting or None")
    names = {"height": height, "width": width, "depth": depth, "length": length}
    for field, name in names.items():
        if not isinstance(name, str) or not is_symbol_name(name) or len(name) > MAX_NAME:
            raise InputError(
                field, name, "expected a symbol name (a letter, then letters or digits, optionally _subscript)"
            )
    used = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}[len(network.input[:-1])]
    chosen = [names[k].strip() for k in used]
    if len(set(chosen)) != len(chosen):
        raise InputError(used[-1], names[used[-1]], "the input's sizes need different symbols")
    symbolic = with_symbolic_input(network, height.strip(), width.strip(), depth=depth.strip(), length=length.strip())
    return analyse(symbolic, counting, SYMBOLIC)


def macs(network: Network, counting: Counting | None = None) -> sympy.Expr:
    """Total MACs of ``network`` as a closed form in the input height H and width W."""
    return sympy.sympify(closed_forms(network, counting).macs)


def substitute(value: Any, values: dict[str, int]) -> Any:
    """A closed form (or a list/tuple/dict of them) evaluated at ``values`` (symbol name → number), exactly."""
    if isinstance(value, dict):
        return {k: substitute(v, values) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(substitute(v, values) for v in value)
    if not is_symbolic(value):
        return value
    mapping = {size_symbol(name): sympy.Integer(n) for name, n in values.items()}
    result = value.xreplace(mapping)
    # xreplace leaves Max/floor of numbers evaluated but may leave a number unsimplified in rare cases.
    return to_python(sympy.nsimplify(result) if not result.is_Number else result)
