"""The derivation of a layer's costs, C_g → weights → parameters → K → MACs, for a conv_layer problem and a network row.

The numbers come from :func:`symconv.catalogue.rules.conv_costs`; this
writes the same chain of catalogue formulas as steps, with the caller's wording and symbols.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from symconv.catalogue import CHANNELS_PER_GROUP, CONV_BIASES, TOTAL_PARAMETERS
from symconv.catalogue.rules import CONV_FORMULAS, LayerCosts

if TYPE_CHECKING:  # a network's numeric answers import this module's callers, never the derivation
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
    """Display symbols: the kernel's per axis ((k_h, k_w); (k,) in 1-D, (k_d, k_h, k_w) in 3-D), the channels, the
    groups, the positions the MACs are counted over (one per axis)."""

    kernel: tuple[Any, ...]
    c_in: Any
    c_out: Any
    groups: Any
    positions: tuple[Any, ...]


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
    steps = _Steps(der, costs, names, values, labels, keys, unit)
    split, filters = (names.c_out, names.c_in) if transposed else (names.c_in, names.c_out)
    c_g = steps.channels_per_group(split) if groups != 1 else split
    steps.weights(c_g, filters)
    steps.parameters(bias, count_bias)
    steps.macs(c_g, filters)


class _Steps:
    """The steps of the chain, each a catalogue formula with the caller's symbols and the computed result."""

    def __init__(
        self,
        der: Derivation,
        costs: LayerCosts,
        names: CostSymbols,
        values: dict[Any, Any],
        labels: CostLabels,
        keys: bool,
        unit: str,
    ) -> None:
        from symconv.core.arith import size_symbol

        self.der, self.costs, self.names, self.values, self.labels = der, costs, names, values, labels
        self.keys, self.unit, self.sym = keys, unit, size_symbol

    def key(self, name: str) -> str:
        return name if self.keys else ""

    def channels_per_group(self, split: Any) -> Any:
        c_g = self.sym("C_g")
        self.der.equation(
            self.labels.channels_per_group,
            c_g,
            CHANNELS_PER_GROUP,
            self.values,
            symbols={"C_in": split, "g": self.names.groups},
            result=self.costs.channels_per_group,
            unit=self.unit,
        )
        self.values[c_g] = self.costs.channels_per_group
        return c_g

    def weights(self, c_g: Any, filters: Any) -> None:
        nw, names = self.sym("n_w"), self.names
        formula = CONV_FORMULAS[len(names.kernel)].weights
        self.der.equation(
            self.labels.weights,
            nw,
            formula,
            self.values,
            symbols={**dict(zip(formula.params, names.kernel)), "C_g": c_g, "C_out": filters},
            result=self.costs.weights,
            key=self.key("weights"),
            answer=self.keys,
            unit=self.unit,
        )
        self.values[nw] = self.costs.weights

    def parameters(self, bias: bool, count_bias: bool) -> None:
        nw, nb, n_p, labels = self.sym("n_w"), self.sym("n_b"), self.sym("n_p"), self.labels
        if not bias:
            if labels.parameters_no_bias:
                self.der.equation_from(
                    labels.parameters_no_bias,
                    n_p,
                    nw,
                    self.values,
                    result=self.costs.parameters,
                    key=self.key("parameters"),
                    answer=self.keys,
                )
            return
        self.der.equation(
            labels.biases,
            nb,
            CONV_BIASES,
            self.values,
            symbols={"C_out": self.names.c_out},
            result=self.costs.biases,
            key=self.key("biases"),
            unit=self.unit,
        )
        self.values[nb] = self.costs.biases
        if not count_bias:
            self.der.note(labels.bias_not_counted)
            return
        self.der.equation(
            labels.parameters,
            n_p,
            TOTAL_PARAMETERS,
            self.values,
            symbols={"W": nw, "B": nb},
            result=self.costs.parameters,
            key=self.key("parameters"),
            answer=self.keys,
            unit=self.unit,
        )

    def macs(self, c_g: Any, filters: Any) -> None:
        K, M, names = self.sym("K"), self.sym("M"), self.names
        formulas = CONV_FORMULAS[len(names.kernel)]
        self.der.equation(
            self.labels.per_element,
            K,
            formulas.per_output,
            self.values,
            symbols={**dict(zip(formulas.per_output.params, names.kernel)), "C_g": c_g},
            result=self.costs.per_element,
            key=self.key("multiplications_per_output"),
            unit=self.unit,
        )
        self.values[K] = self.costs.per_element
        self.der.equation(
            self.labels.macs,
            M,
            formulas.macs,
            self.values,
            symbols={**dict(zip(formulas.macs.params, names.positions)), "C_out": filters, "K": K},
            result=self.costs.macs,
            key=self.key("multiplications"),
            answer=self.keys,
            unit=self.unit,
        )
        self.values[M] = self.costs.macs
