"""Where paths merge: the element-wise sum (a residual connection) and the concatenation along the channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue import ADDITIONS_PER_OUTPUT
from symconv.catalogue.rules import AxisField, Merge, merge_axis, per_element_cost
from symconv.errors import InputError, UnsupportedError
from symconv.network.info import AXES, Counting, Field, LayerInfo, Source, make_info, shape_text
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row


def merge_fields(layer: Layer, fields: list[Field], ops: Ops) -> tuple[Field, tuple[Merge | None, ...], list[str]]:
    """Where paths merge: the span of all paths' receptive fields, after checking they are aligned."""
    axes: list[AxisField | None] = []
    merges: list[Merge | None] = []
    warnings: list[str] = []
    for a in range(fields[0].rank):
        per_path = [f.axis(a) for f in fields]
        if any(f is None for f in per_path):
            axes.append(None)
            merges.append(None)
            continue
        jumps = [f.jump[a] for f in fields]
        for other in jumps[1:]:
            verdict = ops.compare(other, jumps[0])
            if verdict is None:
                warnings.append(
                    f"{layer.name}: could not prove the effective strides {jumps} equal along the {AXES[a]}"
                )
            elif verdict != 0:
                raise InputError(
                    f"{layer.name}.input",
                    list(layer.inputs),
                    f"the paths have different effective strides along the {AXES[a]} ({', '.join(map(str, jumps))} "
                    "input pixels): they are not aligned",
                )
        m = merge_axis(ops, [f for f in per_path if f is not None])
        if not m.aligned:
            shown = ", ".join(str(c) for c in m.centres)
            warnings.append(
                f"{layer.name}: the paths are {'not provably' if m.aligned is None else 'not'} aligned along the "
                f"{AXES[a]} (receptive-field centres of output 0 at {shown} input pixels); the span of all paths is reported"
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


@dataclass(frozen=True, kw_only=True)
class Add(Layer):
    """Element-wise sum of two or more tensors of the same shape (a residual connection)."""

    kind: ClassVar[str] = "add"
    arity: ClassVar[int | None] = None
    torch_functions: ClassVar[tuple[str, ...]] = ("add", "iadd", "add_")
    per_element_rule: ClassVar[str] = "an addition of n tensors n - 1 per output element"
    label: ClassVar[str] = "additions"

    @classmethod
    def from_torch_function(cls, node: Any, name: str, sources: list[str], target: str) -> Layer | None:
        args = list(node.args)
        if len([a for a in args if hasattr(a, "op")]) != 2 or len(args) != 2 or node.kwargs.get("alpha", 1) != 1:
            raise UnsupportedError(f"operation {target!r} at {node.name!r}: only the sum of two tensors is supported")
        return cls(name=name, inputs=tuple(sources))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        shapes = [s for s, _ in sources]
        warnings = []
        for name, other in zip(self.inputs[1:], shapes[1:]):
            same = _same_shape(ops, shapes[0], other)
            if same is False:
                raise InputError(
                    f"{self.name}.input",
                    list(self.inputs),
                    f"add needs equal shapes, but {self.inputs[0]!r} is {shape_text(shapes[0])} and {name!r} is "
                    f"{shape_text(other)}",
                )
            if same is None:
                warnings.append(
                    f"{self.name}: could not prove the shapes {shape_text(shapes[0])} and {shape_text(other)} equal"
                )
        fld, merges, merge_warnings = merge_fields(self, [f for _, f in sources], ops)
        per_output = ops.ev(ADDITIONS_PER_OUTPUT, len(sources))  # summing n tensors: n - 1 additions per element
        macs = per_element_cost(ops, shapes[0], per_output) if counting.other_ops else 0
        info = make_info(self, sources, shapes[0], fld, macs=macs, merges=merges)
        info.warnings.extend(warnings + merge_warnings)
        return info

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.merge(axis, tag)


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Concatenation along the channels of maps with the same spatial size (or of flat vectors)."""

    kind: ClassVar[str] = "concat"
    arity: ClassVar[int | None] = None
    torch_functions: ClassVar[tuple[str, ...]] = ("cat",)
    label: ClassVar[str] = "concatenations"

    @classmethod
    def from_torch_function(cls, node: Any, name: str, sources: list[str], target: str) -> Layer | None:
        args = list(node.args)
        dim = args[1] if len(args) > 1 else node.kwargs.get("dim", 0)
        if dim not in (1, -3):
            raise UnsupportedError(
                f"torch.cat at {node.name!r}: only concatenation along the channels (dim=1) is supported"
            )
        return cls(name=name, inputs=tuple(sources))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        shapes = [s for s, _ in sources]
        warnings = []
        if any(len(s) != len(shapes[0]) for s in shapes):
            raise InputError(f"{self.name}.input", list(self.inputs), "concat cannot join maps and flat vectors")
        if len(shapes[0]) == 1:
            shape: tuple[Any, ...] = (ops.total(s[0] for s in shapes),)
        else:
            for name, other in zip(self.inputs[1:], shapes[1:]):
                same = _same_shape(ops, shapes[0][:2], other[:2])
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
            shape = (shapes[0][0], shapes[0][1], ops.total(s[2] for s in shapes))
        fld, merges, merge_warnings = merge_fields(self, [f for _, f in sources], ops)
        info = make_info(self, sources, shape, fld, merges=merges)
        info.warnings.extend(warnings + merge_warnings)
        return info

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.merge(axis, tag)
