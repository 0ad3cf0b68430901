"""The problem types a file or the command line can ask for: their fields and the function that solves each.

Each type is one small adapter: the fields it accepts (name, shape check, required or not) and
a ``solve`` that calls the problem's public function. The shape checks here only look at the
*structure* of values (a number, a list of them, a matrix) and turn number strings into exact
numbers; the problem functions validate the values themselves (positive sizes, fitting kernels)
and raise :class:`~symconv.errors.InputError` naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symconv.arith import is_symbol_name
from symconv.errors import InputError
from symconv.result import Result
from symconv.safeexpr import number

MAX_MAGNITUDE = 10**15
"""Largest number accepted in a problem (sizes beyond this are typos, and the answers stay printable)."""

MAX_LIST = 1000
"""Most entries of one list (layers of a stack, rows of a matrix)."""

MAX_ELEMENTS = 65536
"""Most numbers in one matrix or tensor."""

MAX_NAME = 32
"""Longest symbol name."""

MISSING: Any = object()
"""The value of a field that was not given (messages then say "missing" instead of showing a value)."""

Check = Callable[[Any, str], Any]
"""A structural check: ``(value, field) -> value`` with number strings made exact; raises InputError."""


# --- structural checks ----------------------------------------------------------------------------


def scalar(value: Any, field: str) -> Any:
    """A number (int, exact decimal, ``"p/q"``) or a symbol name kept as a string for the problem."""
    if isinstance(value, bool):
        raise InputError(field, value, "expected a number or a symbol name, got a boolean")
    if isinstance(value, int):
        out: Any = value
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(field, value, "not a finite number")
        out = Fraction(repr(value))  # the decimal the file wrote, exactly (0.1 is 1/10)
    elif isinstance(value, str):
        text = value.strip()
        if is_symbol_name(text):
            if len(text) > MAX_NAME:
                raise InputError(field, value, f"symbol name longer than {MAX_NAME} characters")
            return text
        try:
            out = number(text, field)
        except InputError as e:
            if e.reason != "not a number":
                raise
            raise InputError(
                field, value, "not a number and not a symbol name (a letter, then letters or digits, optionally _subscript)"
            ) from None
    else:
        raise InputError(field, value, f"expected a number or a symbol name, got {_kind(value)}")
    if isinstance(out, Fraction):
        if max(abs(out.numerator), out.denominator) > MAX_MAGNITUDE:
            raise InputError(field, value, f"too large (the limit is {MAX_MAGNITUDE:.0e})")
        return int(out) if out.denominator == 1 else out
    if abs(out) > MAX_MAGNITUDE:
        raise InputError(field, value, f"too large (the limit is {MAX_MAGNITUDE:.0e})")
    return out


def pair(value: Any, field: str) -> Any:
    """``k`` or ``[k_h, k_w]``."""
    if isinstance(value, list):
        if len(value) != 2:
            raise InputError(field, value, "expected one value or a pair [height, width]")
        return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return scalar(value, field)


def layers(value: Any, field: str) -> list[Any]:
    """A non-empty list with one ``k`` or ``[k_h, k_w]`` per layer."""
    if not isinstance(value, list) or not value:
        raise InputError(field, value, "expected a non-empty list with one entry per layer")
    if len(value) > MAX_LIST:
        raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_LIST} layers")
    return [pair(v, f"{field}[{i}]") for i, v in enumerate(value)]


def shape3(value: Any, field: str) -> list[Any]:
    """``[H, W, C]``."""
    if not isinstance(value, list) or len(value) != 3:
        raise InputError(field, value, "expected [height, width, channels]")
    return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]


def tensor(value: Any, field: str) -> list[Any]:
    """A matrix (list of rows) or a stack of them, nested up to four levels, every leaf a number or name."""
    count = [0]

    def walk(v: Any, where: str, depth: int) -> Any:
        if isinstance(v, list):
            if depth >= 4:
                raise InputError(where, v, "nested more than four levels")
            if not v:
                raise InputError(where, v, "empty list")
            if len(v) > MAX_LIST:
                raise InputError(where, f"<{len(v)} entries>", f"more than {MAX_LIST} entries")
            return [walk(x, f"{where}[{i}]", depth + 1) for i, x in enumerate(v)]
        if depth == 0:
            raise InputError(where, v, "expected a matrix: a list of rows")
        count[0] += 1
        if count[0] > MAX_ELEMENTS:
            raise InputError(field, "<…>", f"more than {MAX_ELEMENTS} numbers")
        return scalar(v, where)

    return walk(value, field, 0)


def boolean(value: Any, field: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise InputError(field, value, "expected true or false")
    return value


def padding(value: Any, field: str) -> Any:
    """Per-side padding: a number, ``[p_h, p_w]``, ``"valid"`` or ``"same"``."""
    if isinstance(value, str) and value.strip().lower() in ("valid", "same"):
        return value.strip().lower()
    return pair(value, field)


def sides(value: Any, field: str) -> Any:
    """Padding per side as :func:`padding`, or ``[[top, bottom], [left, right]]``."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, list) for v in value):
        return [pair(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return padding(value, field)


def scalars(value: Any, field: str) -> Any:
    """One number (or name), or a list of them (one per filter)."""
    if isinstance(value, list):
        if not value or len(value) > MAX_LIST:
            raise InputError(field, value, f"expected one value or a list of 1 to {MAX_LIST} values")
        return [scalar(v, f"{field}[{i}]") for i, v in enumerate(value)]
    return scalar(value, field)


def choice(*options: str) -> Check:
    """One of the given words."""

    def check(value: Any, field: str) -> str:
        if not isinstance(value, str) or value not in options:
            raise InputError(field, value, "expected one of " + ", ".join(repr(o) for o in options))
        return value

    return check


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "a table", list: "a list", str: "a string"}
    return names.get(type(value), type(value).__name__)


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
                Field("padding", sides, doc='zero padding per side: p, [p_h, p_w], [[top, bottom], [left, right]], '
                      '"valid" or "same"; default 0'),
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
