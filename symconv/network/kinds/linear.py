"""From maps to vectors: flatten, and the fully connected (linear) layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import elements, linear_costs
from symconv.core.richtext import rich
from symconv.errors import InputError, UnsupportedError
from symconv.network.info import Counting, LayerInfo, Source, make_info
from symconv.network.kinds.pool import whole_map_field
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields


@dataclass(frozen=True, kw_only=True)
class Linear(Layer):
    """Fully connected layer; reads a flat vector (after flatten) or a 1 × 1 map (after global pooling)."""

    kind: ClassVar[str] = "linear"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"outputs", "bias"})
    torch_modules: ClassVar[tuple[str, ...]] = ("Linear",)
    macs_layer: ClassVar[bool] = True

    outputs: int
    bias: bool = True

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(outputs=f.channels("outputs"), bias=f.boolean("bias", True), **common)

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        return cls(name=name, inputs=inputs, outputs=m.out_features, bias=m.bias is not None)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if len(shape) == 3:
            if ops.compare(shape[0], 1) != 0 or ops.compare(shape[1], 1) != 0:
                raise InputError(
                    f"{self.name}.input",
                    self.inputs[0],
                    f"a linear layer reads a flat vector or a 1 × 1 map, not {shape[0]} × {shape[1]} × {shape[2]}; "
                    "add a flatten or a global_avgpool layer before it",
                )
            n_in = shape[2]
        else:
            n_in = shape[0]
        costs = linear_costs(ops, n_in, self.outputs, bias=self.bias, count_bias=counting.bias)
        return make_info(
            self,
            sources,
            (self.outputs,),
            fld,
            weights=costs.weights,
            biases=costs.biases,
            parameters=costs.parameters,
            macs=costs.macs,
            costs=costs,
        )

    def derive_counts(self, row: Row) -> None:
        row.der.note(rich("A linear layer is a $1 × 1$ convolution on a $1 × 1$ map: $k_h = k_w = 1$, $g = 1$."))
        row.costs((1, 1), self.outputs, 1, (1, 1), bias=self.bias)


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """H × W × C map to a vector of H·W·C features."""

    kind: ClassVar[str] = "flatten"
    torch_modules: ClassVar[tuple[str, ...]] = ("Flatten",)
    torch_functions: ClassVar[tuple[str, ...]] = ("flatten", "view", "reshape")
    label: ClassVar[str] = "flatten"

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        if m.start_dim != 1 or m.end_dim != -1:
            raise UnsupportedError(f"module {name!r} (Flatten): only start_dim=1, end_dim=-1 is supported")
        return cls(name=name, inputs=inputs)

    @classmethod
    def from_torch_function(cls, node: Any, name: str, sources: list[str], target: str) -> Layer | None:
        from symconv.network.torch_import import is_batch_size

        args = list(node.args)
        if target in ("view", "reshape"):
            if node.op != "call_method":
                return None
            # x.view(x.size(0), -1) / x.reshape(N, -1): the flatten of older model code.
            shape = list(args[1]) if len(args) == 2 and isinstance(args[1], (tuple, list)) else list(args[1:])
            if (
                len(shape) == 2
                and shape[1] == -1
                and (shape[0] == 1 or (hasattr(shape[0], "op") and is_batch_size(shape[0])))
            ):
                return cls(name=name, inputs=tuple(sources))
            raise UnsupportedError(
                f"{node.target} at {node.name!r}: only x.view(x.size(0), -1) (a flatten) is supported"
            )
        start = args[1] if len(args) > 1 else node.kwargs.get("start_dim", 0)
        end = args[2] if len(args) > 2 else node.kwargs.get("end_dim", -1)
        if start != 1 or end != -1:
            raise UnsupportedError(f"flatten at {node.name!r}: only start_dim=1, end_dim=-1 is supported")
        return cls(name=name, inputs=tuple(sources))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if len(shape) == 1:
            return make_info(self, sources, shape, fld)
        return make_info(self, sources, (elements(ops, shape),), whole_map_field(fld, shape[:2], ops))

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.whole_axis(axis, tag)
