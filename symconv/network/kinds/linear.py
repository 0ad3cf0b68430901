"""From maps to vectors: flatten, and the fully connected (linear) layer, also applied at every position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import conv_costs, elements, linear_costs
from symconv.core.richtext import rich
from symconv.errors import InputError
from symconv.network.info import Counting, LayerInfo, Source, is_map, make_info, shape_text
from symconv.network.kinds.pool import whole_map_field
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall


@dataclass(frozen=True, kw_only=True)
class Linear(Layer):
    """Fully connected layer; reads a flat vector (after flatten) or a 1 × 1 map (after global pooling), or, with
    ``per_position``, the channels at every position of a map (Keras's Dense on a map; PyTorch's Linear on a
    channels-last tensor, as in ConvNeXt's blocks): a 1 × 1 convolution."""

    kind: ClassVar[str] = "linear"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"outputs", "bias", "per_position"})
    torch_modules: ClassVar[tuple[str, ...]] = ("Linear", "LazyLinear")
    torch_functions: ClassVar[tuple[str, ...]] = ("linear",)
    macs_layer: ClassVar[bool] = True

    outputs: int
    bias: bool = True
    per_position: bool = False

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(
            outputs=f.channels("outputs"),
            bias=f.boolean("bias", True),
            per_position=f.boolean("per_position", False),
            **common,
        )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        return cls(
            name=call.name,
            inputs=call.inputs,
            outputs=m.out_features,
            bias=m.bias is not None,
            per_position=call.on_channels_last(),
        )

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(("weight", "bias"), bias=None)
        call.uses(args["weight"], args["bias"])
        outputs = call.shape_of(args["weight"])[0]
        return cls(
            name=call.name,
            inputs=call.inputs,
            outputs=outputs,
            bias=args["bias"] is not None,
            per_position=call.on_channels_last(),
        )

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if is_map(shape) and self.per_position:
            positions = shape[:-1]
            costs = conv_costs(
                ops,
                (1,) * len(positions),
                shape[-1],
                self.outputs,
                1,
                positions,
                bias=self.bias,
                count_bias=counting.bias,
            )
            out: tuple[Any, ...] = (*positions, self.outputs)
        else:
            if is_map(shape) and any(ops.compare(n, 1) != 0 for n in shape[:-1]):
                raise InputError(
                    f"{self.name}.input",
                    self.inputs[0],
                    f"a linear layer reads a flat vector or a 1 × 1 map, not {shape_text(shape)}; add a flatten "
                    "or a global_avgpool layer before it (or per_position = true to apply it to the channels at "
                    "every position)",
                )
            n_in = shape[-1]
            costs = linear_costs(ops, n_in, self.outputs, bias=self.bias, count_bias=counting.bias)
            out = (self.outputs,)
        return make_info(
            self,
            sources,
            out,
            fld,
            weights=costs.weights,
            biases=costs.biases,
            parameters=costs.parameters,
            macs=costs.macs,
            costs=costs,
        )

    def derive_counts(self, row: Row) -> None:
        shape = row.info.input_shapes[0]
        if self.per_position and is_map(shape):
            row.der.note(rich("A linear layer applied at every position is a $1 × 1$ convolution."))
            row.costs((1,) * len(shape[:-1]), self.outputs, 1, row.info.shape[:-1], bias=self.bias)
            return
        row.der.note(rich("A linear layer is a $1 × 1$ convolution on a $1 × 1$ map: $k_h = k_w = 1$, $g = 1$."))
        row.costs((1, 1), self.outputs, 1, (1, 1), bias=self.bias)


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """A map (H × W × C, L × C, D × H × W × C) to a vector of all its elements."""

    kind: ClassVar[str] = "flatten"
    torch_modules: ClassVar[tuple[str, ...]] = ("Flatten",)
    label: ClassVar[str] = "flatten"
    allocates: ClassVar[bool] = False

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        return call.flatten(m.start_dim, m.end_dim)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if not is_map(shape):
            return make_info(self, sources, shape, fld)
        return make_info(self, sources, (elements(ops, shape),), whole_map_field(fld, shape[:-1], ops))

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.whole_axis(axis, tag)
