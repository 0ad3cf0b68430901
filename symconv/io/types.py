"""The problem types a file or the command line can ask for: their fields and the function that solves each.

Each type is one small adapter: the fields it accepts (name, shape check, required or not) and
a ``solve`` that calls the problem's public function. The shape checks (:mod:`symconv.io.fields`) only look at the
*structure* of values (a number, a list of them, a matrix) and turn number strings into exact
numbers; the problem functions validate the values themselves (positive sizes, fitting kernels)
and raise :class:`~symconv.errors.InputError` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from symconv.errors import InputError
from symconv.io.fields import (
    MISSING,
    Check,
    boolean,
    choice,
    layers,
    padding,
    pair,
    scalar,
    scalars,
    shape3,
    sides,
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

    def check(self, table: Mapping[str, Any], field_prefix: str = "") -> dict[str, Any]:
        """Validate the structure of ``table`` (without ``id``/``type``) and return the checked values."""
        if self.fields is None:
            return dict(table)
        known = {f.name: f for f in self.fields}
        for key, value in table.items():
            if key not in known:
                raise InputError(field_prefix + key, value, "unknown field; " + self.field_list())
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.name in table:
                out[f.name] = f.check(table[f.name], field_prefix + f.name)
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

    names = {"input": "i", "kernel": "k", "stride": "s", "padding": "p", "dilation": "d"}
    try:
        return output_size(**{names.get(k, k): v for k, v in p.items()})
    except InputError as e:
        # name the field as the file does (input, not the formula's i)
        back = {v: k for k, v in names.items()}
        base, bracket, rest = e.field.partition("[")
        raise InputError(back.get(base, base) + bracket + rest, e.value, e.reason) from None


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
                Field("outputs", scalar, True, "N output channels"),
                Field("bottleneck", scalar, True, "P bottleneck channels"),
            ),
            _bottleneck,
        ),
        ProblemType(
            "depthwise_separable",
            "multiplications of a standard convolution against a depthwise-separable one",
            (
                Field("input", shape3, True, "[H, W, M]"),
                Field("kernel", scalar, True, "k"),
                Field("outputs", scalar, True, "N output channels"),
            ),
            _separable,
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
    )
}
"""Problem type by the name used in files (``type = "conv_layer"``)."""


def get_type(name: Any, field: str = "type") -> ProblemType:
    """The problem type called ``name``; an InputError listing the known types otherwise."""
    if not isinstance(name, str) or name not in TYPES:
        raise InputError(field, name, "unknown problem type; use one of " + ", ".join(TYPES))
    return TYPES[name]
