"""Layers that rearrange a map without weights: channel shuffle, channel slices (chunk, split, indexing), a
permutation of the spatial axes, pixel shuffle and unshuffle, and padding layers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue import PIXEL_SHUFFLE_CHANNELS, PIXEL_UNSHUFFLE_CHANNELS, SLICE_CHANNELS
from symconv.catalogue.rules import (
    AxisField,
    Window,
    field_step,
    floor_window,
    groups_divide,
    transposed_field_step,
    transposed_window,
)
from symconv.core.richtext import count, rich
from symconv.errors import InputError
from symconv.network.info import Counting, Field, LayerInfo, Source, make_info, shape_text, spatial
from symconv.network.kinds.common import Windowed, torch_sizes
from symconv.network.model import Layer, Pair

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall


@dataclass(frozen=True, kw_only=True)
class ChannelShuffle(Layer):
    """ShuffleNet's channel shuffle: the channels, seen as ``groups`` × C/groups, transposed (no cost, no weights)."""

    kind: ClassVar[str] = "channel_shuffle"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"groups"})
    torch_modules: ClassVar[tuple[str, ...]] = ("ChannelShuffle",)
    torch_functions: ClassVar[tuple[str, ...]] = ("channel_shuffle", "native_channel_shuffle")
    label: ClassVar[str] = "channel shuffles"

    groups: int

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(groups=f.integer("groups"), **common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        return cls(name=call.name, inputs=call.inputs, groups=int(m.groups))

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        return cls(name=call.name, inputs=call.inputs, groups=int(call.bind(("groups",))["groups"]))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if groups_divide(ops, self.groups, shape[-1]) is False:
            raise InputError(f"{self.name}.groups", self.groups, f"must divide the channels ({shape[-1]})")
        return make_info(self, sources, shape, fld)

    def derive_counts(self, row: Row) -> None:
        row.der.note(
            rich(
                "{name}: the channels, seen as $g × C/g$ with {g} groups, are transposed: the same shape, every pixel "
                "where it was.",
                name=self.name,
                g=self.groups,
            )
        )
        super().derive_counts(row)


@dataclass(frozen=True, kw_only=True)
class Slice(Layer):
    """The channels [start, stop) of a map or of a flat vector (``torch.chunk``, ``split``, ``x[:, a:b]``)."""

    kind: ClassVar[str] = "slice"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"channels"})
    label: ClassVar[str] = "channel slices"
    allocates: ClassVar[bool] = False

    start: Any
    stop: Any

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        value = f.table.get("channels")
        if not (isinstance(value, list) and len(value) == 2):
            raise f.error("channels", value, "expected [start, stop]: the channels start … stop − 1 (0-based)")
        start = f.at("channels", 0, minimum=0)
        stop = f.at("channels", 1, minimum=1)
        if stop <= start:
            raise f.error("channels", value, "stop must be after start")
        return cls(start=start, stop=stop, **common)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if ops.compare(self.stop, shape[-1]) == 1:
            raise InputError(
                f"{self.name}.channels",
                [self.start, self.stop],
                f"beyond the {count(shape[-1], 'channel')} of the input",
            )
        return make_info(self, sources, (*shape[:-1], ops.ev(SLICE_CHANNELS, self.start, self.stop)), fld)

    def derive_counts(self, row: Row) -> None:
        args = {"a": ("u", self.start), "b": ("v", self.stop)}
        row.eq("channels of the slice [u, v)", "C'", SLICE_CHANNELS, args, row.info.shape[-1])
        super().derive_counts(row)


@dataclass(frozen=True, kw_only=True)
class ToMap(Layer):
    """A flat vector of F features seen as a 1 × … × 1 map of F channels with ``rank`` spatial axes
    (``y.view(N, -1, 1, 1)`` after ECA's gate); the field is the vector's, every position reading the same pixels."""

    kind: ClassVar[str] = "to_map"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"rank"})
    label: ClassVar[str] = "flatten"
    allocates: ClassVar[bool] = False

    rank: int = 2

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        rank = f.integer("rank", 2)
        if rank not in (1, 2, 3):
            raise f.error("rank", rank, "expected 1, 2 or 3 spatial axes")
        return cls(rank=rank, **common)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if len(shape) != 1:
            raise InputError(
                f"{self.name}.input", self.inputs[0], f"{self.type_name} reads a flat vector, not {shape_text(shape)}"
            )
        return make_info(self, sources, (*(1,) * self.rank, shape[0]), fld)


@dataclass(frozen=True, kw_only=True)
class Permute(Layer):
    """A permutation of the spatial axes (``axes``: the new order, 0-based; ``[1, 0]`` swaps height and width);
    the channels stay last. The receptive field's axes move with them."""

    kind: ClassVar[str] = "permute"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"axes"})
    label: ClassVar[str] = "permutations"
    allocates: ClassVar[bool] = False

    axes: tuple[int, ...]

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        value = f.table.get("axes")
        if not (isinstance(value, list) and sorted(value) == list(range(len(value)))):
            raise f.error("axes", value, "expected a permutation of the spatial axes, e.g. [1, 0]")
        return cls(axes=tuple(value), **common)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c = spatial(self, shape, len(self.axes))
        axes = [fld.axis(a) for a in self.axes]
        return make_info(self, sources, (*(sizes[a] for a in self.axes), c), Field.of(axes))

    def derive_counts(self, row: Row) -> None:
        order = ", ".join(str(a) for a in self.axes)
        row.der.note(
            rich(
                "{name}: the spatial axes in the order ({order}); the fields move with them.",
                name=self.name,
                order=order,
            )
        )
        super().derive_counts(row)


@dataclass(frozen=True, kw_only=True)
class PixelShuffle(Windowed):
    """Pixel shuffle (depth to space, ``factor`` r: C·r^n × H × W → C × rH × rW) and unshuffle (space to depth)."""

    kind: ClassVar[str] = "pixel_shuffle"
    spec_types: ClassVar[tuple[str, ...]] = ("pixel_shuffle", "pixel_unshuffle")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"factor"})
    torch_modules: ClassVar[tuple[str, ...]] = ("PixelShuffle", "PixelUnshuffle")
    torch_functions: ClassVar[tuple[str, ...]] = ("pixel_shuffle", "pixel_unshuffle")
    label: ClassVar[str] = "pixel shuffles"

    factor: int
    unshuffle: bool = False

    @property
    def type_name(self) -> str:
        return "pixel_unshuffle" if self.unshuffle else "pixel_shuffle"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(factor=f.integer("factor"), unshuffle=type_name == "pixel_unshuffle", **common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        unshuffle = call.module_class == "PixelUnshuffle"
        factor = m.downscale_factor if unshuffle else m.upscale_factor
        return cls(name=call.name, inputs=call.inputs, factor=int(factor), unshuffle=unshuffle)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        unshuffle = call.target == "pixel_unshuffle"
        factor = call.bind(("downscale_factor" if unshuffle else "upscale_factor",))
        return cls(name=call.name, inputs=call.inputs, factor=int(next(iter(factor.values()))), unshuffle=unshuffle)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        """Unshuffle: a window of r pixels, stride r, along each axis (output y holds yr … yr + r − 1); shuffle:
        the transposed window (output y comes from input position ⌊y/r⌋), the channels divided by r^n."""
        ((shape, fld),) = sources
        sizes, c = spatial(self, shape)
        n, r = len(sizes), self.factor
        axes: list[AxisField | None] = []
        windows: list[Window] = []
        for a, i in enumerate(sizes):
            f = fld.axis(a)
            if self.unshuffle:
                if groups_divide(ops, r, i) is False:
                    raise InputError(f"{self.name}.factor", r, f"must divide the size {i} of {shape_text(shape)}")
                w = floor_window(ops, i, r, r, 1, 0, 0)
                axes.append(None if f is None else field_step(ops, f, r, r, 0))
            else:
                w = transposed_window(ops, i, r, r, 1, 0, 0)
                axes.append(None if f is None else transposed_field_step(ops, f, w))
            windows.append(w)
        out = [w.o for w in windows]
        if self.unshuffle:
            channels = ops.ev(PIXEL_UNSHUFFLE_CHANNELS, c, r, n)
        else:
            block = ops.ev(PIXEL_UNSHUFFLE_CHANNELS, 1, r, n)  # the r^n positions one input position becomes
            if groups_divide(ops, block, c) is False:
                raise InputError(f"{self.name}.factor", r, f"{r}^{n} = {block} must divide the channels ({c})")
            channels = ops.ev(PIXEL_SHUFFLE_CHANNELS, c, r, n)
        info = make_info(self, sources, (*out, channels), Field.of(axes), windows=tuple(windows))
        if not self.unshuffle and r != 1:
            info.warnings.append(
                f"{self.name}: a pixel shuffle by {r} is exact at the outputs whose index is a multiple of {r}; layers "
                f"after it get estimates, from a stride of 1/{r} of the input's"
            )
        return info


_PADS = {f"{kind}Pad{rank}d": kind.lower() for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular") for rank in (1, 2, 3)}  # fmt: skip
MODES = ("constant", "reflect", "replicate", "circular")
"""Padding layers' modes: zeros or a constant, the mirror image, the edge repeated, the opposite edge (wrap)."""


@dataclass(frozen=True, kw_only=True)
class Pad(Windowed):
    """A padding layer (``ZeroPad2d``, ``ReflectionPad2d``, ``F.pad`` …): ``padding`` pixels before and after along each
    spatial axis; the receptive field counts them as padding whatever the ``mode`` fills them with."""

    kind: ClassVar[str] = "pad"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"padding", "mode"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(_PADS)
    torch_functions: ClassVar[tuple[str, ...]] = ("pad",)
    per_element_rule: ClassVar[str] = ""
    label: ClassVar[str] = "padding layers"

    sides: tuple[Pair, ...]
    mode: str = "constant"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        padding = f.padding()
        if padding.same or not padding.sides:
            raise f.error("padding", f.table.get("padding"), "expected pixels per side (a padding layer adds them)")
        mode = f.table.get("mode", "constant")
        if mode not in MODES:
            raise f.error("mode", mode, "expected " + ", ".join(repr(m) for m in MODES))
        return cls(sides=padding.sides, mode=mode, **common)

    @classmethod
    def _from_torch_pad(cls, call: TorchCall, pad: Any, mode: str) -> Layer:
        # PyTorch lists (before, after) from the last axis backwards: (left, right, top, bottom, front, back).
        flat = list(pad) if isinstance(pad, (tuple, list)) else [pad] * (2 * call.rank)
        if len(flat) % 2 or len(flat) // 2 > call.rank:
            raise call.unsupported(f"padding {pad} of a {call.rank}-D map")
        per_axis = [(int(flat[2 * j]), int(flat[2 * j + 1])) for j in range(len(flat) // 2)][::-1]
        sides = tuple([(0, 0)] * (call.rank - len(per_axis)) + per_axis)
        if not call.pads_spatial(len(per_axis)):
            raise call.unsupported("only padding of the spatial axes is supported")
        return cls(name=call.name, inputs=call.inputs, sides=sides, mode=mode)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        kind = _PADS[call.module_class]
        mode = {"zero": "constant", "reflection": "reflect", "replication": "replicate"}.get(kind, kind)
        pad = m.padding if isinstance(m.padding, (tuple, list)) else torch_sizes(m.padding, 2 * call.rank)
        return cls._from_torch_pad(call, pad, mode)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(("pad", "mode", "value"), mode="constant", value=None)
        return cls._from_torch_pad(call, args["pad"], str(args["mode"]))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        """A window of one pixel, stride 1, over the padded axis: the size grows by the padding, the field by none."""
        ((shape, fld),) = sources
        sizes, c = spatial(self, shape, len(self.sides))
        windows = tuple(floor_window(ops, i, 1, 1, 1, b, e) for i, (b, e) in zip(sizes, self.sides))
        axes = []
        for a, w in enumerate(windows):
            f = fld.axis(a)
            axes.append(None if f is None else field_step(ops, f, 1, 1, w.p_b))
        return make_info(self, sources, (*(w.o for w in windows), c), Field.of(axes), windows=windows)
