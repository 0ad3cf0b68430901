"""The work of a problem file, estimated from its validated problems before any is solved.

Each problem is bounded by its own limits (docs/limits.md); a file of 200 problems each near its
limits would still take minutes. So every problem is given an estimate of its work in *units* (one
unit is about a quarter of a second on a 2-core machine; a problem at one of its own limits costs
about 16), and a file whose problems together cost more than :data:`MAX_FILE_WORK` is refused, naming
the problem where the total passes the limit, before anything is solved.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from symconv.catalogue.backend import NUMERIC as NUMERIC_OPS
from symconv.catalogue.rules import elements
from symconv.core.arith import is_symbol_name
from symconv.core.limits import (
    MAX_EXACT_PRODUCTS,
    MAX_FILE_WORK,
    MAX_PRODUCTS,
    MAX_SYMBOLIC_LAYERS,
    MAX_SYMBOLIC_PRODUCTS,
    MAX_SYMBOLIC_RESAMPLING,
)

AT_LIMIT = 16.0
"""The units of a problem at one of its own limits (about 4 s)."""

NUMERIC = 0.05
"""The units of a numeric single-layer problem (a few milliseconds)."""

SYMBOLIC = 1.0
"""The units of a single-layer problem with symbol names (closed forms simplified: about 0.2 s)."""

NUMERIC_LAYERS = 1000 / AT_LIMIT
"""Layers of a numeric stack or network per unit (1,000 layers of a stack derived step by step: about 4 s)."""

SWEEP_POINTS = 100_000 / 4
"""Points of a sweep per unit (each is a row of the answers' table)."""

SCAN_POINTS = 1_000_000 / 4
"""Values of a solve problem's scan per unit."""


def work(type_name: str, params: dict[str, Any]) -> float:
    """The estimated work of one validated problem, in units (see the module docstring).

    At most :data:`AT_LIMIT`: a problem beyond its own limits is refused by them, with their message,
    when it is solved.
    """
    estimate = _ESTIMATES.get(type_name)
    return min(AT_LIMIT, estimate(params) if estimate is not None else SYMBOLIC)


def _names(values: Iterable[Any]) -> bool:
    """Whether any value, in nested lists, is a symbol name (the checked fields keep names as strings)."""
    for v in values:
        if isinstance(v, (list, tuple)):
            if _names(v):
                return True
        elif isinstance(v, str) and is_symbol_name(v) and v.strip().lower() not in ("same", "valid"):
            return True
    return False


def _stack(p: dict[str, Any]) -> float:
    n = len(p.get("kernels") or ())
    values = [p.get(k) or [] for k in ("kernels", "strides", "dilations", "paddings")]
    if _names(values):
        return max(SYMBOLIC, AT_LIMIT * (n / MAX_SYMBOLIC_LAYERS) ** 2)
    return max(NUMERIC, n / NUMERIC_LAYERS)


def _single(p: dict[str, Any]) -> float:
    values = [v for k, v in p.items() if k not in ("mode", "padding", "bias", "transposed")]
    padding = p.get("padding")
    return SYMBOLIC if _names([*values, padding if isinstance(padding, list) else None]) else NUMERIC


def _shape(value: Any) -> list[int]:
    shape = []
    while isinstance(value, list) and value:
        shape.append(len(value))
        value = value[0]
    return shape


def _convolution(p: dict[str, Any]) -> float:
    from symconv.engine.convolution import plan
    from symconv.errors import InputError

    x, k = p.get("input"), p.get("kernel", p.get("kernels"))
    sx, sk = _shape(x), _shape(k)
    if len(sx) not in (2, 3) or len(sk) not in (2, 3, 4):
        return NUMERIC
    cx = [1, *sx] if len(sx) == 2 else sx
    ck = [1, 1, *sk] if len(sk) == 2 else [1, *sk] if len(sk) == 3 else sk
    try:
        geo = plan(
            (cx[0], cx[1], cx[2]),
            (ck[0], ck[1], ck[2], ck[3]),
            *(p.get(key, default) for key, default in (("stride", 1), ("padding", 0), ("dilation", 1), ("groups", 1))),
        )
    except (InputError, TypeError, ValueError):  # the problem's own error, reported when it is solved
        return NUMERIC
    (kh, kw), (ho, wo) = geo.kernel, geo.output
    products = elements(NUMERIC_OPS, (geo.filters, geo.group_channels, kh, kw, ho, wo))
    if _names([x, k]):
        limit = MAX_SYMBOLIC_PRODUCTS
    elif _exact([x, k]):
        limit = MAX_EXACT_PRODUCTS
    else:
        limit = MAX_PRODUCTS
    return max(NUMERIC, AT_LIMIT * products / limit)


def _exact(values: Iterable[Any]) -> bool:
    """Fractions, or integers whose products may pass int64: the exact (Python object) arithmetic."""
    for v in values:
        if isinstance(v, list):
            if _exact(v):
                return True
        elif isinstance(v, Fraction) or (isinstance(v, int) and abs(v) > 2**26):
            return True
    return False


def _network(p: dict[str, Any]) -> float:
    found = p.get("layers")
    layers: list[Any] = found if isinstance(found, list) else []
    symbolic = _names(p.get("input") or []) or any(
        isinstance(layer, dict) and _names([layer.get("filters"), layer.get("outputs")]) for layer in layers
    )
    if not symbolic:
        return max(NUMERIC, len(layers) / NUMERIC_LAYERS / 4)
    strided = len([layer for layer in layers if isinstance(layer, dict) and layer.get("stride", 1) not in (1, [1, 1])])
    return max(SYMBOLIC, AT_LIMIT * max(len(layers) / 4000, strided / MAX_SYMBOLIC_RESAMPLING))


def _compare(p: dict[str, Any]) -> float:
    found = p.get("design")
    designs: list[Any] = found if isinstance(found, list) else []
    units = [_network({"input": p.get("input"), "layers": d.get("layers")}) for d in designs if isinstance(d, dict)]
    return float(sum(units))


def _explore(p: dict[str, Any], per_unit: float = SCAN_POINTS) -> float:
    units = _network(p) if "layers" in p else SYMBOLIC
    span = p.get("range")
    if isinstance(span, list) and len(span) == 2 and all(isinstance(v, int) for v in span):
        units += abs(span[1] - span[0]) / per_unit
    elif isinstance(p.get("values"), list):
        units += len(p["values"]) / per_unit
    return units


def _sweep(p: dict[str, Any]) -> float:
    return _explore(p, SWEEP_POINTS)


_ESTIMATES = {
    "receptive_field": _stack,
    "output_size": _single,
    "conv_layer": _single,
    "bottleneck": _single,
    "depthwise_separable": _single,
    "convolution": _convolution,
    "network": _network,
    "compare": _compare,
    "solve": _explore,
    "sweep": _sweep,
    "sensitivity": _explore,
}


def total(problems: Iterable[tuple[str, str, dict[str, Any]]]) -> tuple[float, str | None]:
    """The total work of ``(id, type, params)`` problems, and the first id at which it passes MAX_FILE_WORK."""
    spent = 0.0
    for pid, type_name, params in problems:
        spent += work(type_name, params)
        if spent > MAX_FILE_WORK:
            return spent, pid
    return spent, None
