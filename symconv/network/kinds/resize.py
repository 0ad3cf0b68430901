"""Interpolation (PyTorch's ``F.interpolate`` and ``nn.Upsample``): a new size per spatial axis, by a scale factor, a
size, or the size of another tensor (a segmentation head upsampled to its input's size)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue import (
    DOWNSAMPLING_KERNEL,
    DOWNSAMPLING_PADDING,
    INTERPOLATION_OUTPUT,
    UPSAMPLING_KERNEL,
    UPSAMPLING_PADDING,
)
from symconv.catalogue.rules import (
    TAPS,
    AxisField,
    Window,
    adaptive_step,
    per_element_cost,
    pool_window_step,
    resample_axis,
)
from symconv.core.richtext import count, rich
from symconv.errors import InputError
from symconv.network.info import Counting, Field, LayerInfo, Source, axis_name, make_info, spatial
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall

_MODES = {
    "nearest": "nearest", "nearest-exact": "nearest-exact", "linear": "linear", "bilinear": "linear",
    "trilinear": "linear", "bicubic": "cubic", "cubic": "cubic", "area": "area",
}  # fmt: skip
"""PyTorch's modes by the filter they apply along each axis (bilinear and trilinear are linear per axis)."""


def _scale(value: Any) -> Fraction:
    return Fraction(value).limit_denominator(1_000_000) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True, kw_only=True)
class Interpolate(Layer):
    """Interpolation to a new size: ``scale`` (per axis, output floor(i·r)), ``size``, or the spatial size of the
    tensor ``like`` (its second input); ``mode`` nearest, nearest-exact, linear (bilinear, trilinear), cubic or
    area; PyTorch's ``align_corners``."""

    kind: ClassVar[str] = "interpolate"
    spec_types: ClassVar[tuple[str, ...]] = ("interpolate", "upsample")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"mode", "scale", "size", "like", "align_corners"})
    torch_modules: ClassVar[tuple[str, ...]] = ("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")
    torch_functions: ClassVar[tuple[str, ...]] = ("interpolate", "upsample", "upsample_nearest", "upsample_bilinear")
    per_element_rule: ClassVar[str] = "an interpolation one per output element"
    label: ClassVar[str] = "interpolations"

    mode: str = "nearest"
    scale: tuple[Any, ...] | None = None
    size: tuple[Any, ...] | None = None
    like: str | None = None
    align_corners: bool = False

    @property
    def references(self) -> tuple[str, ...]:
        return () if self.like is None else (self.like,)

    def inputs_error(self, count: int) -> str | None:
        if sum(x is not None for x in (self.scale, self.size, self.like)) != 1:
            return "interpolate needs exactly one of scale, size and like"
        return super().inputs_error(count)

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        mode = f.table.get("mode", "nearest")
        if mode not in _MODES:
            raise f.error("mode", mode, "expected one of " + ", ".join(sorted(_MODES)))
        scale = f.table.get("scale")
        if scale is not None:
            values = scale if isinstance(scale, list) else [scale]
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values):
                raise f.error("scale", scale, "expected a positive number or one per axis")
            scale = tuple(_scale(v) for v in values)
        size = f.table.get("size")
        if size is not None:
            size = f.sizes("size")
        like = f.table.get("like")
        if like is not None and (not isinstance(like, str) or not like.strip()):
            raise f.error("like", like, "expected a layer name (or 'input')")
        align = f.boolean("align_corners", False)
        return cls(mode=_MODES[mode], scale=scale, size=size, like=like, align_corners=align, **common)

    @classmethod
    def _build(cls, call: TorchCall, size: Any, scale: Any, mode: str, align_corners: Any) -> Layer:
        if mode not in _MODES:
            raise call.unsupported(f"mode {mode!r} is not supported")
        like = call.size_source(size) if size is not None else None
        sizes = None
        if size is not None and like is None:
            per_axis = list(size) if isinstance(size, (tuple, list)) else [size] * call.rank
            if not all(isinstance(n, int) for n in per_axis):
                raise call.unsupported(f"the size {size} is neither numbers nor the size of a tensor")
            sizes = tuple(per_axis)
        scales = None
        if scale is not None:
            per_axis = list(scale) if isinstance(scale, (tuple, list)) else [scale] * call.rank
            scales = tuple(_scale(v) for v in per_axis)
        return cls(
            name=call.name,
            inputs=call.inputs[:1],
            like=like,
            mode=_MODES[mode],
            scale=scales,
            size=sizes,
            align_corners=bool(align_corners),
        )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        align = getattr(m, "align_corners", None)
        if call.module_class == "UpsamplingBilinear2d":
            align = True
        if getattr(m, "recompute_scale_factor", None):
            raise call.unsupported("recompute_scale_factor=True is not supported")
        return cls._build(call, m.size, m.scale_factor, str(m.mode), align)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(
            ("size", "scale_factor", "mode", "align_corners", "recompute_scale_factor", "antialias"),
            size=None,
            scale_factor=None,
            mode="nearest",
            align_corners=None,
            recompute_scale_factor=None,
            antialias=False,
        )
        if call.target in ("upsample_nearest", "upsample_bilinear"):
            args["mode"], args["align_corners"] = (
                ("nearest", None) if call.target == "upsample_nearest" else ("bilinear", True)
            )
        if args["recompute_scale_factor"] or args["antialias"]:
            raise call.unsupported("recompute_scale_factor and antialias are not supported")
        return cls._build(call, args["size"], args["scale_factor"], str(args["mode"]), args["align_corners"])

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        shape, fld = sources[0]
        sizes, c = spatial(self, shape)
        rank = len(sizes)
        if len(sources) == 2:
            targets, _ = spatial(self, sources[1][0], rank)
        elif self.size is not None:
            targets = self._per_axis(self.size, rank, "size")
        else:
            assert self.scale is not None
            scales = self._per_axis(self.scale, rank, "scale")
            targets = tuple(ops.ev(INTERPOLATION_OUTPUT, i, r) for i, r in zip(sizes, scales))
        scales_hint = self._per_axis(self.scale, rank, "scale") if self.scale is not None else (None,) * rank
        axes: list[AxisField | None] = []
        windows: list[Window | None] = []
        warnings = []
        for a, (i, o, r) in enumerate(zip(sizes, targets, scales_hint)):
            f = fld.axis(a)
            if ops.compare(o, 1) == -1:
                raise InputError(f"{self.name}.scale", self.scale, f"leaves no pixel along the {axis_name(a, rank)}")
            if f is None:
                axes.append(None)
                windows.append(None)
                continue
            if self.mode == "area":
                windows.append(None)
                if ops.compare(o, 1) == 0:
                    axes.append(pool_window_step(ops, f, i, i))
                elif ops.is_number(i) and ops.is_number(o) and not any(hasattr(v, "free_symbols") for v in (i, o)):
                    axes.append(adaptive_step(ops, f, int(i), int(o))[0])
                else:
                    axes.append(None)
                continue
            resampled = resample_axis(ops, f, i, o, self.mode, self.align_corners, r)
            axes.append(resampled.field)
            windows.append(resampled.window)
            if resampled.window is not None and resampled.window.mode == "transposed":
                warnings.append(
                    f"{self.name}: upsampled by {resampled.window.s} along the {axis_name(a, rank)}: its field is exact "
                    f"at the outputs whose index is a multiple of {resampled.window.s} (the others read at most as many "
                    "pixels); layers after it get estimates, from a stride that is a fraction of the input's"
                )
            if resampled.exact is None:
                warnings.append(
                    f"{self.name}: the ratio of the sizes along the {axis_name(a, rank)} is not a whole number for "
                    "every input size; receptive field unknown there"
                )
            elif resampled.exact is False:
                warnings.append(
                    f"{self.name}: {i} → {o} pixels along the {axis_name(a, rank)} is not a whole factor; the "
                    "windows vary with the position, the largest gives the receptive field"
                )
        out = (*targets, c)
        macs = per_element_cost(ops, out, 1) if counting.other_ops else 0
        exact = tuple(w for w in windows if w is not None)
        info = make_info(self, sources, out, Field.of(axes), macs=macs, windows=exact if len(exact) == rank else None)
        info.warnings.extend(warnings)
        return info

    def _per_axis(self, values: tuple[Any, ...], rank: int, key: str) -> tuple[Any, ...]:
        if len(values) == 1:
            return values * rank
        if len(values) != rank:
            raise InputError(
                f"{self.name}.{key}", list(values), f"needs one value, or one per axis of the {rank}-D map"
            )
        return values

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        info = row.info
        sfx = f"_{tag}" if tag else ""
        where = f" ({row.axis_word(tag)})" if tag else ""
        i, o = info.input_shapes[0][axis], info.shape[axis]
        if self.scale is not None:
            r = self._per_axis(self.scale, len(info.shape[:-1]), "scale")[axis]
            args = {"i": (f"i{sfx}", i), "r": (f"r{sfx}", r)}
            row.eq("output size" + where, f"o{sfx}", INTERPOLATION_OUTPUT, args, o, "pixels")
        else:
            row.der.note(
                rich("{name}: the output size is given: {o}", name=self.name, o=count(o, "pixel")) + where + "."
            )
        if info.windows is None:
            row.der.note(
                rich("{name}: {i} → {o} pixels is no whole factor", name=self.name, i=i, o=o)
                + where
                + "; the receptive field takes the largest window (see the conventions)."
            )
            return
        w = info.windows[axis]
        taps = TAPS[self.mode]
        if taps > 1:
            up = w.mode == "transposed"
            kernel, padding = (
                (UPSAMPLING_KERNEL, UPSAMPLING_PADDING) if up else (DOWNSAMPLING_KERNEL, DOWNSAMPLING_PADDING)
            )
            args = {"t": ("t", taps), "s": (f"s{sfx}", w.s)}
            label = "transposed window of the upsampling" if up else "window of the downsampling"
            row.eq(f"{label}: extent" + where, f"k{sfx}", kernel, args, w.k)
            row.eq(f"{label}: padding" + where, f"p{sfx}", padding, args, w.p_b)
        else:
            row.der.note(
                rich(
                    "{name}: nearest neighbour, a window of {k} "
                    + ("pixel" if w.k == 1 else "pixels")
                    + " and stride {s}",
                    name=self.name,
                    k=w.k,
                    s=w.s,
                )
                + where
                + "."
            )
        row.window_field(w, axis, tag)
