"""The derivation of a layer's costs, C_g → weights → parameters → K → MACs, for a conv_layer problem and a network row.

The numbers come from :func:`symconv.catalogue.rules.conv_costs` (or ``transposed_costs``); this
writes the same chain of catalogue formulas as steps, with the caller's wording and symbols.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from symconv.catalogue import (
    CHANNELS_PER_GROUP,
    CONV_BIASES,
    CONV_MACS,
    CONV_WEIGHTS,
    MACS_PER_OUTPUT,
    TOTAL_PARAMETERS,
)
from symconv.catalogue.rules import LayerCosts
from symconv.solution.derivation import Derivation


@dataclass(frozen=True)
class CostLabels:
    """The wording of each step (the caller's; '' leaves the step out)."""

    channels_per_group: str
    weights: str
    biases: str
    parameters: str
    parameters_no_bias: str
    bias_not_counted: str
    per_element: str
    macs: str


@dataclass(frozen=True)
class CostSymbols:
    """Display symbols: kernel (k_h, k_w), the channels, the groups, the positions the MACs are counted over."""

    k_h: Any
    k_w: Any
    c_in: Any
    c_out: Any
    groups: Any
    positions: tuple[Any, Any]


def derive_costs(
    der: Derivation,
    costs: LayerCosts,
    names: CostSymbols,
    values: dict[Any, Any],
    labels: CostLabels,
    *,
    groups: Any,
    bias: bool,
    count_bias: bool = True,
    transposed: bool = False,
    keys: bool = False,
    unit: str = "",
) -> None:
    """Add the steps; ``values`` maps the display symbols to their values and receives the derived ones.

    A transposed convolution's weights are stored C_in × C_out/g × k_h × k_w: its groups split the
    output channels, and its MACs are counted over the input positions (C_in channels there).
    ``keys`` tags the steps with the conv_layer answer keys.
    """
    from symconv.core.arith import size_symbol as sym

    def key(name: str) -> str:
        return name if keys else ""

    split, filters = (names.c_out, names.c_in) if transposed else (names.c_in, names.c_out)
    c_g = split
    if groups != 1:
        c_g = sym("C_g")
        der.equation(
            labels.channels_per_group,
            c_g,
            CHANNELS_PER_GROUP,
            values,
            symbols={"C_in": split, "g": names.groups},
            result=costs.channels_per_group,
            unit=unit,
        )
        values[c_g] = costs.channels_per_group
    nw, nb, n_p = sym("n_w"), sym("n_b"), sym("n_p")
    der.equation(
        labels.weights,
        nw,
        CONV_WEIGHTS,
        values,
        symbols={"k_h": names.k_h, "k_w": names.k_w, "C_g": c_g, "C_out": filters},
        result=costs.weights,
        key=key("weights"),
        answer=keys,
        unit=unit,
    )
    values[nw] = costs.weights
    if bias:
        der.equation(
            labels.biases,
            nb,
            CONV_BIASES,
            values,
            symbols={"C_out": names.c_out},
            result=costs.biases,
            key=key("biases"),
            unit=unit,
        )
        values[nb] = costs.biases
        if count_bias:
            der.equation(
                labels.parameters,
                n_p,
                TOTAL_PARAMETERS,
                values,
                symbols={"W": nw, "B": nb},
                result=costs.parameters,
                key=key("parameters"),
                answer=keys,
                unit=unit,
            )
        else:
            der.note(labels.bias_not_counted)
    elif labels.parameters_no_bias:
        der.equation_from(
            labels.parameters_no_bias, n_p, nw, values, result=costs.parameters, key=key("parameters"), answer=keys
        )
    K = sym("K")
    der.equation(
        labels.per_element,
        K,
        MACS_PER_OUTPUT,
        values,
        symbols={"k_h": names.k_h, "k_w": names.k_w, "C_g": c_g},
        result=costs.per_element,
        key=key("multiplications_per_output"),
        unit=unit,
    )
    values[K] = costs.per_element
    h, w = names.positions
    der.equation(
        labels.macs,
        sym("M"),
        CONV_MACS,
        values,
        symbols={"H_o": h, "W_o": w, "C_out": filters, "K": K},
        result=costs.macs,
        key=key("multiplications"),
        answer=keys,
        unit=unit,
    )
    values[sym("M")] = costs.macs
