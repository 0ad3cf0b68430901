"""The problem types a file or the command line can ask for: their fields and the function that solves each.

Each type is one small adapter: the fields it accepts (name, shape check, required or not) and
a ``solve`` that calls the problem's public function. The shape checks (:mod:`symconv.io.fields`) only look at the
*structure* of values (a number, a list of them, a matrix) and turn number strings into exact
numbers; the problem functions validate the values themselves (positive sizes, fitting kernels)
and raise :class:`~symconv.errors.InputError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from symconv.core.coerce import shorthands, suggest
from symconv.errors import InputError
from symconv.io.fields import (
    MISSING,
    Check,
    boolean,
    bounds,
    choice,
    layers,
    name,
    numbers,
    padding,
    pair,
    scalar,
    scalars,
    shape3,
    sides,
    table,
    tables,
    tensor,
)
from symconv.solution.result import Result

# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One key of a problem table."""

    name: str
    check: Check
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class ProblemType:
    """A problem type: its fields and how to solve it.

    ``fields`` is None for a type whose table is validated by its own module (the network),
    which receives the raw table and a ``where`` prefix for its messages.
    """

    name: str
    summary: str
    fields: tuple[Field, ...] | None
    solve: Callable[[dict[str, Any], str], Result]
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Shorthands beyond the catalogue's letters (:data:`symconv.core.coerce.LETTERS`), as the Python function takes."""

    def shorthands(self) -> dict[str, str]:
        """Shorthand → field: the catalogue's letters that apply and this type's own, as in the Python API."""
        return shorthands([f.name for f in self.fields or ()], self.aliases)

    def check(self, table: Mapping[str, Any], field_prefix: str = "") -> dict[str, Any]:
        """Validate the structure of ``table`` (without ``id``/``type``) and return the checked values.

        A shorthand (``k`` for ``kernel``) is read as its field; an unknown key is refused naming the field meant.
        """
        if self.fields is None:
            return dict(table)
        known = {f.name: f for f in self.fields}
        short = self.shorthands()
        named: dict[str, Any] = {}
        for key, value in table.items():
            target = key if key in known else short.get(key)
            if target is None:
                hint = suggest(key, [*known, *short], short)
                reason = f"unknown field; did you mean {short.get(hint, hint)!r}? " if hint else "unknown field; "
                raise InputError(field_prefix + key, value, reason + self.field_list())
            if target in named:
                raise InputError(field_prefix + key, value, f"given twice (as {target} and as {key})")
            named[target] = value
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.name in named:
                out[f.name] = f.check(named[f.name], field_prefix + f.name)
            elif f.required:
                raise InputError(field_prefix + f.name, MISSING, "missing required field")
        return out

    def field_list(self) -> str:
        assert self.fields is not None
        return f"{self.name} takes " + ", ".join(f.name + ("" if f.required else "?") for f in self.fields)


def _receptive_field(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.receptive_field import receptive_field

    return receptive_field(**p)


def _output_size(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.output_size import output_size

    return output_size(**p)


def _conv_layer(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.conv_layer import conv_layer

    return conv_layer(**p)


def _bottleneck(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.bottleneck import bottleneck

    return bottleneck(**p)


def _separable(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.separable import depthwise_separable

    return depthwise_separable(**p)


def _convolution(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.convolution import convolve

    if "kernel" in p and "kernels" in p:
        raise InputError("kernel, kernels", MISSING, "give either kernel (one filter) or kernels (several), not both")
    if "kernel" not in p and "kernels" not in p:
        raise InputError("kernel", MISSING, "missing required field (or kernels, one per filter)")
    if "kernels" in p:
        p = dict(p)
        p["kernel"] = p.pop("kernels")
    return convolve(**p)


def _network(p: dict[str, Any], where: str) -> Result:
    # The network module validates its own table (layers, counting switches) and names fields
    # relative to the problem; the caller adds the file and the id.
    from symconv.network.problem import network

    return network(p)


_NETWORK_KEYS = ("input", "layers", "count_bias", "count_batchnorm", "count_other_ops")


def _quantity(p: dict[str, Any]) -> Any:
    """The problem's quantity: its name, or a network total when the problem describes a network (layers)."""
    if "layers" not in p:
        for key in ("input", "count_bias", "count_batchnorm", "count_other_ops"):
            if key in p:
                raise InputError(key, p[key], "only with layers: it describes the network whose total is explored")
        return p.pop("quantity")
    from symconv.network.quantity import network_quantity

    spec = {k: p.pop(k) for k in _NETWORK_KEYS if k in p}
    if "input" not in spec:
        raise InputError("input", MISSING, "missing required field (the network's [H, W, C])")
    return network_quantity(spec, p.pop("quantity"))


def _solve(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.solve import solve

    quantity = _quantity(p)
    return solve(quantity, p.pop("unknown"), p.pop("target"), **p)


def _sweep(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.sweep import sweep

    quantity = _quantity(p)
    return sweep(quantity, p.pop("vary"), **p)


def _sensitivity(p: dict[str, Any], where: str) -> Result:
    from symconv.problems.sensitivity import sensitivity

    quantity = _quantity(p)
    return sensitivity(quantity, p.pop("wrt"), given=p.get("given"))


def _compare(p: dict[str, Any], where: str) -> Result:
    from symconv.network.compare import compare

    return compare(p.pop("input"), p.pop("design"), **p)


_QUANTITY = (
    "a catalogue formula (`symconv formula list`), a derived name (savings, ratio, layer, output_size, "
    "receptive_field_3; NAME.KEY for another answer) or, with layers, a network total (parameters, macs, "
    "receptive_field, effective_stride)"
)
_NETWORK_FIELDS = (
    Field("input", shape3, doc="with layers: the network's [H, W, C] (numbers or symbol names)"),
    Field("layers", tables, doc="a network, as in network problems: the quantity is then its total"),
    Field("count_bias", boolean, doc="with layers: biases count as parameters, default true"),
    Field("count_batchnorm", boolean, doc="with layers: batch norm's γ and β count, default true"),
    Field("count_other_ops", boolean, doc="with layers: pooling, BN, activations cost operations, default false"),
)

_SIZE = "a number or a symbol name"
_PAIR = "k or [k_h, k_w]"

TYPES: dict[str, ProblemType] = {
    t.name: t
    for t in (
        ProblemType(
            "receptive_field",
            "receptive field, effective stride and effective padding of a stack of layers",
            (
                Field("kernels", layers, True, "per layer: " + _PAIR),
                Field("strides", layers, doc="per layer, default 1"),
                Field("dilations", layers, doc="per layer, default 1 (an ordinary kernel)"),
                Field("paddings", layers, doc="per layer, per side; enables the effective padding"),
            ),
            _receptive_field,
        ),
        ProblemType(
            "output_size",
            "output size of a convolution, pooling or transposed convolution along one axis",
            (
                Field("input", scalar, doc="input size i (" + _SIZE + "); left out, the answer is a closed form in i"),
                Field("kernel", scalar, doc="kernel size k"),
                Field("stride", scalar, doc="stride s, default 1"),
                Field("padding", scalar, doc="padding p per side, default 0"),
                Field("dilation", scalar, doc="dilation d, default 1"),
                Field("mode", choice("floor", "ceil", "transposed", "tf_same"), doc="default floor"),
                Field("output_padding", scalar, doc="transposed convolutions only, default 0"),
            ),
            _output_size,
            aliases={"i": "input"},
        ),
        ProblemType(
            "conv_layer",
            "output shape, parameters, multiplications, MACs and FLOPs of one convolution layer",
            (
                Field("input", shape3, True, "[H, W, C]"),
                Field("kernel", pair, True, _PAIR),
                Field("filters", scalar, True, "number of filters (output channels)"),
                Field("stride", pair, doc="default 1"),
                Field("padding", padding, doc='per side: p, [p_h, p_w], "valid" or "same"; default 0'),
                Field("dilation", pair, doc="default 1"),
                Field("groups", scalar, doc="default 1"),
                Field("bias", boolean, doc="whether biases count as parameters, default true"),
                Field("transposed", boolean, doc="a transposed convolution, default false"),
                Field("output_padding", pair, doc="transposed convolutions only, default 0"),
            ),
            _conv_layer,
        ),
        ProblemType(
            "bottleneck",
            "multiplications of a k × k convolution against a 1 × 1 bottleneck followed by the k × k one",
            (
                Field("input", shape3, True, "[H, W, L]"),
                Field("kernel", scalar, True, "k"),
                Field("filters", scalar, True, "N output channels (outputs, the former name, is accepted)"),
                Field("bottleneck", scalar, True, "P bottleneck channels"),
            ),
            _bottleneck,
            aliases={"N": "filters", "P": "bottleneck", "outputs": "filters"},
        ),
        ProblemType(
            "depthwise_separable",
            "multiplications of a standard convolution against a depthwise-separable one",
            (
                Field("input", shape3, True, "[H, W, M]"),
                Field("kernel", scalar, True, "k"),
                Field("filters", scalar, True, "N output channels (outputs, the former name, is accepted)"),
            ),
            _separable,
            aliases={"N": "filters", "outputs": "filters"},
        ),
        ProblemType(
            "convolution",
            "the output feature map of a convolution, computed element by element",
            (
                Field("input", tensor, True, "[C][H][W] or [H][W]"),
                Field("kernel", tensor, doc="one filter: [C][kh][kw] or [kh][kw]"),
                Field("kernels", tensor, doc="several filters: [F][C][kh][kw]"),
                Field("stride", pair, doc="default 1"),
                Field(
                    "padding",
                    sides,
                    doc="zero padding per side: p, [p_h, p_w], [[top, bottom], [left, right]], "
                    '"valid" or "same"; default 0',
                ),
                Field("dilation", pair, doc="default 1"),
                Field("bias", scalars, doc="added to every output: one value, or one per filter; default 0"),
                Field("groups", scalar, doc="default 1"),
                Field("flip", boolean, doc="true: convolution (kernel flipped); false (default): cross-correlation"),
            ),
            _convolution,
        ),
        ProblemType(
            "network",
            "per-layer shapes, receptive fields, parameters and costs of a layer stack",
            None,
            _network,
        ),
        ProblemType(
            "solve",
            "the integers a parameter may take so that a quantity equals (or compares to) a target, derived exactly",
            (
                Field("quantity", name, True, _QUANTITY),
                Field("unknown", name, True, "the symbol solved for, as the quantity names it"),
                Field("target", scalar, True, "a number or a symbol name"),
                Field("relation", choice("==", ">=", "<=", ">", "<"), doc='"==" (default), ">=", "<=", ">" or "<"'),
                Field("given", table, doc="every other symbol: a number or a symbol name"),
                Field(
                    "range",
                    bounds,
                    doc="[lowest, highest] values of the unknown (default: its natural domain; a scan covers 10,000)",
                ),
                *_NETWORK_FIELDS,
            ),
            _solve,
        ),
        ProblemType(
            "compare",
            "two or more layer stacks side by side: receptive field, parameters, MACs and their exact ratios",
            (
                Field("input", shape3, True, "[H, W, C] shared by the designs (numbers or symbol names)"),
                Field("design", tables, True, "[[problem.design]] tables: name and layers (as in network problems)"),
                Field("count_bias", boolean, doc="biases count as parameters, default true"),
                Field("count_batchnorm", boolean, doc="batch norm's γ and β count as parameters, default true"),
                Field(
                    "count_other_ops",
                    boolean,
                    doc="pooling, BN, activations and additions cost operations, default false",
                ),
            ),
            _compare,
        ),
        ProblemType(
            "sweep",
            "a quantity over one parameter: an exact table and a plot, the given point marked",
            (
                Field("quantity", name, True, _QUANTITY),
                Field("vary", name, True, "the symbol swept"),
                Field("range", bounds, doc="[first, last]: every integer in between (give range or values)"),
                Field("values", numbers, doc="an explicit list of values (give range or values)"),
                Field("given", table, doc="every other symbol's number; a value for vary marks the given point"),
                *_NETWORK_FIELDS,
            ),
            _sweep,
        ),
        ProblemType(
            "sensitivity",
            "the partial derivative of a quantity, in closed form and at a point, and its elasticity",
            (
                Field("quantity", name, True, _QUANTITY),
                Field("wrt", name, True, "the symbol differentiated with respect to"),
                Field("given", table, doc="the point: every symbol, wrt included (a symbol name keeps it symbolic)"),
                *_NETWORK_FIELDS,
            ),
            _sensitivity,
        ),
    )
}
"""Problem type by the name used in files (``type = "conv_layer"``)."""


def get_type(name: Any, field: str = "type") -> ProblemType:
    """The problem type called ``name``; an InputError listing the known types otherwise."""
    if not isinstance(name, str) or name not in TYPES:
        raise InputError(field, name, "unknown problem type; use one of " + ", ".join(TYPES))
    return TYPES[name]
