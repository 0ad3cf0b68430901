"""Convolutions with one, two or three spatial axes, and their transposed forms (PyTorch's Conv1d/2d/3d and
ConvTranspose1d/2d/3d): the number of axes is the input map's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import (
    CONV_WEIGHT_SOURCES,
    checked_window,
    conv_costs,
    conv_weight_parameters,
    conv_weight_source,
    padding_word,
    transposed_field_step,
)
from symconv.core.richtext import rich
from symconv.errors import InputError, UnsupportedError
from symconv.network.info import Counting, Field, LayerInfo, Source, axis_name, make_info
from symconv.network.kinds.common import Windowed, grouped_input, sliding_windows, torch_sizes, window_fields
from symconv.network.model import SAME, VALID, Layer, Padding, Sizes

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall


def _spec_fields(f: LayerFields) -> dict[str, Any]:
    """The fields both convolutions read the same way from a problem file."""
    return {
        "filters": f.channels("filters"),
        "kernel": f.sizes("kernel"),
        "stride": f.sizes("stride", 1),
        "dilation": f.sizes("dilation", 1),
        "groups": f.integer("groups", 1),
        "bias": f.boolean("bias", True),
    }


def _torch_fields(m: Any) -> dict[str, Any]:
    """The fields both convolutions take the same way from a PyTorch module."""
    rank = len(m.kernel_size)
    return {
        "filters": m.out_channels,
        "kernel": torch_sizes(m.kernel_size, rank),
        "stride": torch_sizes(m.stride, rank),
        "dilation": torch_sizes(m.dilation, rank),
        "groups": m.groups,
        "bias": m.bias is not None,
    }


@dataclass(frozen=True, kw_only=True)
class Conv(Windowed):
    """Convolution (cross-correlation) over one, two or three spatial axes, ``filters`` output channels,
    PyTorch's conventions; ``kernel``, ``stride`` and ``dilation`` have one entry per axis. ``weight``: the
    layer's own learned weights (default), a ``"fixed"`` filter (a blur held in a buffer: MACs, no
    parameters), or ``"scaled"`` learned weights with a learned gain per filter (NFNet's ScaledStdConv2d)."""

    kind: ClassVar[str] = "conv"
    spec_keys: ClassVar[frozenset[str]] = frozenset(
        {"kernel", "filters", "stride", "padding", "dilation", "groups", "bias", "weight"}
    )
    torch_modules: ClassVar[tuple[str, ...]] = ("Conv1d", "Conv2d", "Conv3d")
    torch_functions: ClassVar[tuple[str, ...]] = ("conv1d", "conv2d", "conv3d")
    macs_layer: ClassVar[bool] = True

    filters: int
    kernel: Sizes
    stride: Sizes = (1, 1)
    padding: Padding = VALID
    dilation: Sizes = (1, 1)
    groups: int = 1
    bias: bool = True
    weight: str = "learned"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        weight = f.table.get("weight", "learned")
        if weight not in CONV_WEIGHT_SOURCES:
            raise f.error("weight", weight, "expected " + ", ".join(repr(w) for w in CONV_WEIGHT_SOURCES))
        return cls(padding=f.padding(), weight=weight, **_spec_fields(f), **common)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        """``F.conv2d(x, weight, bias, stride, padding, dilation, groups)``: the weight a parameter, a buffer
        (a fixed filter) or computed from parameters (a standardised weight, with or without a gain per filter)."""
        args = call.bind(
            ("weight", "bias", "stride", "padding", "dilation", "groups"),
            bias=None,
            stride=1,
            padding=0,
            dilation=1,
            groups=1,
        )
        weight, bias = args["weight"], args["bias"]
        if len(call.inputs) != 1 or not call.is_parameter(weight):
            raise call.unsupported("a convolution whose weight is not a parameter (or computed from parameters)")
        shape = call.shape_of(weight)
        rank = int(call.target[-2])
        filters, kernel = shape[0], tuple(shape[2:])
        kind = conv_weight_source(weight.learned, weight.numel, filters)
        if kind is None:
            raise call.unsupported(
                f"a convolution weight of {weight.numel} elements computed from {weight.learned} parameters"
            )
        if bias is not None and (not call.is_parameter(bias) or bias.learned != bias.numel or kind == "fixed"):
            raise call.unsupported("a bias that is not a learned parameter of the convolution")
        call.uses(weight, bias)
        word = padding_word(args["padding"], f"{call.name}.padding")
        padding = (
            SAME
            if word == "same"
            else VALID
            if word == "valid"
            else Padding.symmetric(*torch_sizes(args["padding"], rank))
        )
        return cls(
            name=call.name,
            inputs=call.inputs,
            filters=filters,
            kernel=kernel,
            stride=torch_sizes(args["stride"], rank),
            padding=padding,
            dilation=torch_sizes(args["dilation"], rank),
            groups=int(args["groups"]),
            bias=bias is not None,
            weight=kind,
        )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        name, inputs = call.name, call.inputs
        word = padding_word(m.padding, f"{name}.padding")
        # PyTorch's 'same' (stride 1 only) puts the extra pixel after, as TensorFlow's rule does.
        padding = (
            SAME
            if word == "same"
            else VALID
            if word == "valid"
            else Padding.symmetric(*torch_sizes(m.padding, len(m.kernel_size)))
        )
        kind = FeatureConv if call.layout == "seq" and cls is Conv else cls
        return kind(name=name, inputs=inputs, padding=padding, **_torch_fields(m))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c_in = grouped_input(self, shape, ops)
        windows = sliding_windows(self, sizes, False, ops)
        positions = tuple(w.o for w in windows)
        costs = conv_costs(
            ops, self.kernel, c_in, self.filters, self.groups, positions, bias=self.bias, count_bias=counting.bias
        )
        weights, parameters = conv_weight_parameters(ops, costs, self.filters, self.weight)
        return make_info(
            self,
            sources,
            (*positions, self.filters),
            window_fields(fld, windows, ops),
            weights=weights,
            biases=costs.biases,
            parameters=parameters,
            macs=costs.macs,
            costs=costs,
            windows=windows,
        )

    def derive_counts(self, row: Row) -> None:
        row.costs(self.kernel, self.filters, self.groups, row.info.shape[:-1], bias=self.bias)


@dataclass(frozen=True, kw_only=True)
class FeatureConv(Conv):
    """A 1-D convolution of one filter along the features of a flat vector seen as a sequence of one channel
    (ECA's ``Conv1d(1, 1, k)`` over the pooled channels, ``view(N, 1, -1)``); its output is a flat vector of the
    output positions. Each output reads k features, each of which reads the vector's field: the field is the
    vector's (the whole map, after global pooling)."""

    kind: ClassVar[str] = "feature_conv"
    torch_modules: ClassVar[tuple[str, ...]] = ()  # Conv1d reading a sequence of features (Conv.from_torch_module)
    torch_functions: ClassVar[tuple[str, ...]] = ()

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if len(shape) != 1:
            raise InputError(
                f"{self.name}.input", self.inputs[0], f"{self.type_name} reads a flat vector, not a map of {shape}"
            )
        if self.filters != 1:
            raise InputError(f"{self.name}.filters", self.filters, "a convolution along the features has one filter")
        sequence = (shape[0], 1)
        info = super().analyse([(sequence, Field.start(1))], counting, ops)
        info.input_shapes = (sequence,)
        info.shape = info.shape[:-1]
        info.field = fld
        info.windows = None
        return info

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        """No window along the map's axes: the field is the vector's."""

    def derive_counts(self, row: Row) -> None:
        row.costs(self.kernel, self.filters, self.groups, row.info.shape, bias=self.bias)


@dataclass(frozen=True, kw_only=True)
class ConvTranspose(Windowed):
    """Transposed convolution (PyTorch's ConvTranspose1d/2d/3d): padding per side, output padding added after."""

    kind: ClassVar[str] = "conv_transpose"
    spec_keys: ClassVar[frozenset[str]] = frozenset(
        {"kernel", "filters", "stride", "padding", "output_padding", "dilation", "groups", "bias"}
    )
    torch_modules: ClassVar[tuple[str, ...]] = ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
    macs_layer: ClassVar[bool] = True

    filters: int
    kernel: Sizes
    stride: Sizes = (1, 1)
    padding: Sizes = (0, 0)
    output_padding: Sizes = (0, 0)
    dilation: Sizes = (1, 1)
    groups: int = 1
    bias: bool = True

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        padding, output_padding = f.sizes("padding", 0, minimum=0), f.sizes("output_padding", 0, minimum=0)
        return cls(padding=padding, output_padding=output_padding, **_spec_fields(f), **common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        name, inputs = call.name, call.inputs
        if m.padding_mode != "zeros":
            raise UnsupportedError(
                f"module {name!r} ({type(m).__name__}): padding_mode {m.padding_mode!r} is not supported"
            )
        rank = len(m.kernel_size)
        padding, output_padding = torch_sizes(m.padding, rank), torch_sizes(m.output_padding, rank)
        return cls(name=name, inputs=inputs, padding=padding, output_padding=output_padding, **_torch_fields(m))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c_in = grouped_input(self, shape, ops)
        rank = len(sizes)
        for key in ("padding", "output_padding"):
            if len(getattr(self, key)) != rank:
                raise InputError(
                    f"{self.name}.{key}", list(getattr(self, key)), f"needs one entry per axis of the {rank}-D map"
                )
        windows = []
        fields = []
        for a, i in enumerate(sizes):
            k, s, d, p, extra = (
                self.kernel[a],
                self.stride[a],
                self.dilation[a],
                self.padding[a],
                self.output_padding[a],
            )
            along = f" along the {axis_name(a, rank)}"
            window = checked_window(ops, "transposed", i, k, s, d, p, p, extra, field=f"{self.name}.", along=along)
            windows.append(window)
            f = fld.axis(a)
            fields.append(None if f is None else transposed_field_step(ops, f, window))
        costs = conv_costs(
            ops,
            self.kernel,
            c_in,
            self.filters,
            self.groups,
            sizes,
            bias=self.bias,
            count_bias=counting.bias,
            transposed=True,
        )
        info = make_info(
            self,
            sources,
            (*(w.o for w in windows), self.filters),
            Field.of(fields),
            weights=costs.weights,
            biases=costs.biases,
            parameters=costs.parameters,
            macs=costs.macs,
            costs=costs,
            windows=tuple(windows),
        )
        if any(s != 1 for s in self.stride):
            info.warnings.append(
                f"{self.name}: a strided transposed convolution's receptive field depends on the output position; "
                "the largest is reported, the effective stride is a fraction of an input pixel"
            )
        return info

    def derive_counts(self, row: Row) -> None:
        row.der.note(
            rich(
                "The weights of a transposed convolution are stored $C_in × C_out/g × k_h × k_w$, and its MACs are "
                "counted over the input positions (each input element meets $k_h k_w C_out/g$ weights)."
            )
        )
        shape = row.info.input_shapes[0]
        row.costs(self.kernel, self.filters, self.groups, shape[:-1], bias=self.bias, transposed=True)
