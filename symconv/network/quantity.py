"""A network's total (parameters, MACs, receptive field) as a quantity to sweep, solve for or differentiate.

The closed form comes from the network analysis with the network's symbol names kept as symbols
(the input's H, W, C, channel counts), so sweeping a network total evaluates exactly the numbers the
numeric per-layer table gives at each point. Every layer's output size in those symbols goes with it: the
network exists only where each is at least 1.
"""

from __future__ import annotations

from typing import Any

from symconv.core.coerce import public
from symconv.errors import InputError
from symconv.problems.quantity import Quantity, output_sizes

TOTALS: dict[str, tuple[str, str]] = {
    "parameters": ("n_p", "parameters of the network (counting conventions as in network problems)"),
    "macs": ("M", "multiply-accumulates of the network (convolutions and linear layers)"),
    "receptive_field": ("RF", "receptive field at the endpoint, input pixels"),
    "effective_stride": ("S", "effective stride at the endpoint, input pixels"),
}
"""The network totals a quantity may name: name → (symbol, description)."""


@public(texts=("where",))
def network_quantity(spec: dict[str, Any], total: Any, where: str = "") -> Quantity:
    """The network total ``total`` of the network problem table ``spec`` (``input``, ``layers``, ``count_*``).

    Raises:
        InputError: an unknown total, a network error (named as in network problems), a total that
            differs between the two axes.
    """
    import sympy

    from symconv.core.arith import is_symbolic, size_symbol
    from symconv.core.closedform import as_display
    from symconv.network.problem import network

    if not isinstance(total, str) or total not in TOTALS:
        raise InputError(where + "quantity", total, "a network total is one of " + ", ".join(TOTALS))
    result = network(spec, where=where)
    value = result.answers[total]
    if isinstance(value, list):
        raise InputError(
            where + "quantity", total, f"differs between height and width ({value}); sweep a square design"
        )
    expr = sympy.sympify(value)
    symbols = {s.name: s for s in sorted(expr.free_symbols, key=lambda s: s.name)} if is_symbolic(value) else {}
    lhs, description = TOTALS[total]
    return Quantity(
        name=total,
        lhs=size_symbol(lhs),
        expr=expr,
        display=as_display(expr),
        params=tuple(symbols),
        symbols=symbols,
        description=description,
        origin="the network's per-layer analysis totalled, its symbol names kept",
        lower={name: 1 for name in symbols},
        sizes=output_sizes(v for row in result.answers["layers"] for v in row["output_shape"]),
    )
