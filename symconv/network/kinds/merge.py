"""Where paths meet: element-wise arithmetic with broadcasting (a residual sum, a squeeze-excitation gate, a
layer scale), and the concatenation along the channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue import ADDITIONS_PER_OUTPUT, AFFINE_PARAMETERS
from symconv.catalogue.rules import (
    AxisField,
    Merge,
    affine_parameters,
    elements,
    merge_axis,
    per_element_cost,
    spread_merge,
)
from symconv.errors import InputError
from symconv.network.info import Counting, Field, LayerInfo, Source, axis_name, is_map, make_info, shape_text
from symconv.network.kinds.elementwise import Identity
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall


def _jump_is_zero(ops: Ops, f: AxisField) -> bool:
    return ops.compare(f.jump, 0) == 0


def merge_fields(layer: Layer, sources: list[Source], ops: Ops) -> tuple[Field, tuple[Merge | None, ...], list[str]]:
    """Where paths merge: the span of all paths' receptive fields, after checking they are aligned.

    Along an axis where every path has the same size and moves with the output position, the paths'
    effective strides must agree and the field is their span at output 0 (Distill's rule). Where a path is
    broadcast (size 1 against a larger size) or reads the same pixels for every output (stride 0, after a
    gate), every path is spread over its positions and the output reads the same span everywhere.
    """
    fields = [f for _, f in sources]
    shapes = [s for s, _ in sources]
    rank = fields[0].rank
    axes: list[AxisField | None] = []
    merges: list[Merge | None] = []
    warnings: list[str] = []
    for a in range(rank):
        per_path = [f.axis(a) for f in fields]
        if any(f is None for f in per_path):
            axes.append(None)
            merges.append(None)
            continue
        known = [f for f in per_path if f is not None]
        sizes = [s[a] if is_map(s) and len(s[:-1]) == rank else 1 for s in shapes]
        same_size = all(ops.compare(n, sizes[0]) == 0 for n in sizes)
        if not same_size or any(_jump_is_zero(ops, f) for f in known):
            n = ops.maximum(sizes)
            moving = [
                ops.compare(m, n) == 0 and ops.compare(n, 1) != 0 and not _jump_is_zero(ops, f)
                for m, f in zip(sizes, known)
            ]
            spread = spread_merge(ops, known, sizes, moving)
            if spread.exact is not True:
                warnings.append(
                    f"{layer.name}: a broadcast path does not cover the others along the {axis_name(a, rank)}; "
                    "the pixels read by any output position are reported"
                )
            axes.append(spread.merge.field)
            merges.append(spread.merge)
            continue
        jumps = [f.jump for f in known]
        for other in jumps[1:]:
            verdict = ops.compare(other, jumps[0])
            if verdict is None:
                warnings.append(
                    f"{layer.name}: could not prove the effective strides {jumps} equal along the {axis_name(a, rank)}"
                )
            elif verdict != 0:
                raise InputError(
                    f"{layer.name}.input",
                    list(layer.inputs),
                    f"the paths have different effective strides along the {axis_name(a, rank)} "
                    f"({', '.join(map(str, jumps))} input pixels): they are not aligned",
                )
        m = merge_axis(ops, known)
        if not m.aligned:
            shown = ", ".join(str(c) for c in m.centres)
            warnings.append(
                f"{layer.name}: the paths are {'not provably' if m.aligned is None else 'not'} aligned along the "
                f"{axis_name(a, rank)} (receptive-field centres of output 0 at {shown} input pixels); the span of all "
                "paths is reported"
            )
        axes.append(m.field)
        merges.append(m)
    return Field.of(axes), tuple(merges), warnings


def _same_shape(ops: Ops, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool | None:
    if len(a) != len(b):
        return False
    verdicts = [ops.compare(x, y) for x, y in zip(a, b)]
    if any(v not in (0, None) for v in verdicts):
        return False
    return None if None in verdicts else True


def broadcast_shape(layer: Layer, shapes: list[tuple[Any, ...]], ops: Ops) -> tuple[tuple[Any, ...], list[str]]:
    """The shape of an element-wise result: per axis the common size, where a size of 1 is repeated (broadcast)."""
    warnings: list[str] = []
    first = shapes[0]
    if any(len(s) != len(first) for s in shapes):
        raise InputError(
            f"{layer.name}.input",
            list(layer.inputs),
            f"{layer.type_name} needs tensors of the same rank, not {' and '.join(shape_text(s) for s in shapes)}",
        )
    out = []
    for a in range(len(first)):
        sizes = [s[a] for s in shapes]
        big = [n for n in sizes if ops.compare(n, 1) != 0]
        size = big[0] if big else 1
        for n in big[1:]:
            verdict = ops.compare(n, size)
            if verdict not in (0, None):
                raise InputError(
                    f"{layer.name}.input",
                    list(layer.inputs),
                    f"{layer.type_name} needs equal sizes (or 1, broadcast), but "
                    + " and ".join(f"{name!r} is {shape_text(s)}" for name, s in zip(layer.inputs, shapes)),
                )
            if verdict is None:
                warnings.append(f"{layer.name}: could not prove the sizes {size} and {n} equal")
        out.append(size)
    return tuple(out), warnings


_OPERATORS = {"add": "add", "iadd": "add", "add_": "add", "sub": "sub", "isub": "sub", "sub_": "sub", "rsub": "sub"}
_OPERATORS |= {"mul": "mul", "imul": "mul", "mul_": "mul", "truediv": "div", "div": "div", "div_": "div"}
_OPERATORS |= {"itruediv": "div", "maximum": "max", "minimum": "min", "addcmul": "addcmul"}

WEIGHTS = ("scalar", "channel", "element", "affine")
"""Learned operands of an element-wise layer: one value, one per channel (a layer scale), one per element, or a
scale and a shift per channel (``torch.addcmul(bias, weight, x)``: 2 per channel)."""


@dataclass(frozen=True, kw_only=True)
class Elementwise(Layer):
    """Element-wise arithmetic (``op``: add, sub, mul, div, max, min; addcmul, a + b·c) of tensors, broadcasting sizes of 1 (a
    residual sum, a squeeze-excitation gate ``x * s``), optionally with a ``constant`` or a learned operand
    (``weight``: one value, one per channel as a layer scale, or one per element)."""

    kind: ClassVar[str] = "add"
    spec_types: ClassVar[tuple[str, ...]] = ("add", "sub", "mul", "div", "max", "min", "addcmul")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"constant", "weight"})
    arity: ClassVar[int | None | tuple[int, int]] = (1, 1_000_000)
    torch_functions: ClassVar[tuple[str, ...]] = tuple(_OPERATORS)
    per_element_rule: ClassVar[str] = "an element-wise operation of n operands n - 1 per output element"
    label: ClassVar[str] = "element-wise operations"

    op: str = "add"
    constant: Any = None
    weight: str = ""

    @property
    def type_name(self) -> str:
        return self.op

    def inputs_error(self, count: int) -> str | None:
        if count >= 2 or (count == 1 and (self.constant is not None or self.weight)):
            return None
        return f"{self.op} needs two or more inputs, or one with a constant or a weight"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        constant = f.table.get("constant")
        if constant is not None and (isinstance(constant, bool) or not isinstance(constant, (int, float))):
            raise f.error("constant", constant, "expected a number")
        weight = f.table.get("weight", "")
        if weight and weight not in WEIGHTS:
            raise f.error("weight", weight, "expected " + ", ".join(repr(w) for w in WEIGHTS))
        return cls(op=type_name, constant=constant, weight=weight, **common)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        op = _OPERATORS[call.target]
        if op in ("add", "sub") and call.kwargs.get("alpha", 1) != 1:
            raise call.unsupported("alpha other than 1 is not supported")
        if op == "addcmul" and call.kwargs.get("value", 1) != 1:
            raise call.unsupported("addcmul with a value other than 1")
        constant = None
        weight = ""
        for operand in call.operands:
            if call.is_tensor(operand):
                continue
            if call.is_parameter(operand):
                kind = call.weight_kind(operand)
                if weight and not (op == "addcmul" and weight == kind == "channel"):
                    raise call.unsupported("more than one learned operand")
                weight = "affine" if weight else kind
            elif isinstance(operand, (int, float)) and not isinstance(operand, bool):
                constant = operand if constant is None else constant
            else:
                raise call.unsupported(f"an operand {operand!r} that is neither a tensor nor a number")
        return cls(name=call.name, inputs=call.inputs, op=op, constant=constant, weight=weight)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        shapes = [s for s, _ in sources]
        shape, warnings = broadcast_shape(self, shapes, ops)
        if len(sources) > 1:
            fld, merges, merge_warnings = merge_fields(self, list(sources), ops)
            warnings += merge_warnings
        else:
            fld, merges = sources[0][1], None
        params = 0
        if self.weight == "scalar":
            params = 1
        elif self.weight == "channel":
            params = affine_parameters(ops, shape[-1], 1)
        elif self.weight == "element":
            params = elements(ops, shape)
        elif self.weight == "affine":
            params = affine_parameters(ops, shape[-1], 2)
        operands = len(sources) + (1 if self.constant is not None or self.weight else 0)
        operands += 1 if self.weight == "affine" else 0
        per_output = ops.ev(ADDITIONS_PER_OUTPUT, operands)  # n operands: n - 1 operations per element
        macs = per_element_cost(ops, shape, per_output) if counting.other_ops else 0
        info = make_info(self, sources, shape, fld, weights=params, parameters=params, macs=macs, merges=merges)
        info.warnings.extend(warnings)
        return info

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.merge(axis, tag)

    def derive_counts(self, row: Row) -> None:
        if self.weight in ("channel", "affine"):
            m = 2 if self.weight == "affine" else 1
            args = {"n": ("C", row.info.shape[-1]), "m": ("m", m)}
            what = "a scale and a shift" if m == 2 else "a learned value"
            row.eq(f"parameters ({what} per channel)", "n_p", AFFINE_PARAMETERS, args, row.info.weights)
        super().derive_counts(row)


Add = Elementwise
"""The element-wise sum (``Add(name=…, inputs=(a, b))``): an :class:`Elementwise` with ``op = "add"``."""


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Concatenation along the channels of maps with the same spatial size (or of flat vectors)."""

    kind: ClassVar[str] = "concat"
    arity: ClassVar[int | None | tuple[int, int]] = None
    torch_functions: ClassVar[tuple[str, ...]] = ("cat", "concat", "concatenate")
    label: ClassVar[str] = "concatenations"

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(("dim",), dim=0)
        if not call.is_channel_dim(args["dim"]):
            raise call.unsupported(f"only concatenation along the channels (dim={call.channel_dim()}) is supported")
        if len(call.inputs) == 1:
            return Identity(name=call.name, inputs=call.inputs)  # torch.cat([x], 1): a copy of x
        return cls(name=call.name, inputs=call.inputs)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        shapes = [s for s, _ in sources]
        warnings = []
        if any(len(s) != len(shapes[0]) for s in shapes):
            raise InputError(
                f"{self.name}.input", list(self.inputs), "concat cannot join maps of different ranks or flat vectors"
            )
        if len(shapes[0]) == 1:
            shape: tuple[Any, ...] = (ops.total(s[0] for s in shapes),)
        else:
            for name, other in zip(self.inputs[1:], shapes[1:]):
                same = _same_shape(ops, shapes[0][:-1], other[:-1])
                if same is False:
                    raise InputError(
                        f"{self.name}.input",
                        list(self.inputs),
                        f"concat needs equal spatial sizes, but {self.inputs[0]!r} is {shape_text(shapes[0])} and "
                        f"{name!r} is {shape_text(other)}",
                    )
                if same is None:
                    warnings.append(
                        f"{self.name}: could not prove the spatial sizes of {shape_text(shapes[0])} and "
                        f"{shape_text(other)} equal"
                    )
            shape = (*shapes[0][:-1], ops.total(s[-1] for s in shapes))
        fld, merges, merge_warnings = merge_fields(self, list(sources), ops)
        info = make_info(self, sources, shape, fld, merges=merges)
        info.warnings.extend(warnings + merge_warnings)
        return info

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.merge(axis, tag)
