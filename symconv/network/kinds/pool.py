"""Pooling over one, two or three spatial axes: windows (max or average, ceil mode), global pooling over the
whole map (also ``mean``/``sum``/``amax`` over the spatial axes), PyTorch's adaptive pooling."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import AxisField, adaptive_step, per_element_cost, whole_axis_step
from symconv.core.richtext import count
from symconv.errors import UnsupportedError
from symconv.network.info import Counting, Field, LayerInfo, Source, axis_name, make_info, spatial
from symconv.network.kinds.common import Windowed, check_rank, sliding_windows, torch_sizes, window_fields
from symconv.network.model import VALID, Layer, Padding, Sizes

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall

_POOLING = "pooling one operation per input element"

_POOL_FUNCTIONS = tuple(f"{op}_pool{rank}d" for op in ("max", "avg") for rank in (1, 2, 3))


@dataclass(frozen=True, kw_only=True)
class Pool(Windowed):
    """Max or average pooling over windows along each spatial axis; ``stride`` defaults to the kernel as in PyTorch."""

    kind: ClassVar[str] = "pool"
    spec_types: ClassVar[tuple[str, ...]] = ("maxpool", "avgpool")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"kernel", "stride", "padding", "dilation", "ceil_mode"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(f"{op}Pool{rank}d" for op in ("Max", "Avg") for rank in (1, 2, 3))
    torch_functions: ClassVar[tuple[str, ...]] = _POOL_FUNCTIONS
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    op: str = "max"  # "max" or "avg"
    kernel: Sizes
    stride: Sizes
    padding: Padding = VALID
    dilation: Sizes = (1, 1)
    ceil_mode: bool = False

    @property
    def type_name(self) -> str:
        return f"{self.op}pool"

    @classmethod
    def keys_for(cls, type_name: str) -> frozenset[str]:
        return cls.spec_keys if type_name == "maxpool" else cls.spec_keys - {"dilation"}

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        op = type_name[: -len("pool")]
        kernel = f.sizes("kernel")
        return cls(
            op=op,
            kernel=kernel,
            stride=f.sizes("stride", list(kernel)),
            padding=f.padding(),
            dilation=f.sizes("dilation", 1) if op == "max" else (1,) * len(kernel),
            ceil_mode=f.boolean("ceil_mode", False),
            **common,
        )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        name, inputs = call.name, call.inputs
        if getattr(m, "return_indices", False):
            raise UnsupportedError(f"module {name!r} ({type(m).__name__}): return_indices=True is not supported")
        rank = int(call.module_class[-2])
        kernel = torch_sizes(m.kernel_size, rank)
        return cls(
            name=name,
            inputs=inputs,
            op="max" if call.module_class.startswith("Max") else "avg",
            kernel=kernel,
            stride=torch_sizes(m.stride, rank) if m.stride not in (None, ()) else kernel,
            padding=Padding.symmetric(*torch_sizes(m.padding, rank)),
            dilation=torch_sizes(getattr(m, "dilation", 1), rank),
            ceil_mode=bool(m.ceil_mode),
        )

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        op, rank = call.target[:3], int(call.target[-2])
        names = (
            ("kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices")
            if op == "max"
            else ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override")
        )
        args = call.bind(
            names,
            stride=None,
            padding=0,
            dilation=1,
            ceil_mode=False,
            return_indices=False,
            count_include_pad=True,
            divisor_override=None,
        )
        if args.get("return_indices"):
            raise call.unsupported("return_indices=True is not supported")
        kernel = torch_sizes(args["kernel_size"], rank)
        stride = args["stride"]
        return cls(
            name=call.name,
            inputs=call.inputs,
            op=op,
            kernel=kernel,
            stride=torch_sizes(stride, rank) if stride not in (None, (), []) else kernel,
            padding=Padding.symmetric(*torch_sizes(args["padding"], rank)),
            dilation=torch_sizes(args.get("dilation", 1), rank),
            ceil_mode=bool(args["ceil_mode"]),
        )

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c = check_rank(self, shape)
        windows = sliding_windows(self, sizes, self.ceil_mode, ops, pool=True)
        return make_info(
            self,
            sources,
            (*(w.o for w in windows), c),
            window_fields(fld, windows, ops),
            macs=per_element_cost(ops, shape, 1) if counting.other_ops else 0,
            windows=windows,
        )


def whole_map_field(fld: Field, sizes: tuple[Any, ...], ops: Ops) -> Field:
    """A layer reading the whole map: a window as large as the map (Distill's global pooling)."""
    axes: list[AxisField | None] = []
    for a, n in enumerate(sizes):
        f = fld.axis(a)
        axes.append(None if f is None else whole_axis_step(ops, f, n))
    return Field.of(axes)


_REDUCTIONS = {"mean": "avg", "sum": "sum", "amax": "max", "max": "max", "norm": "l2"}
"""Tensor reductions that pool over the spatial axes (``x.mean([2, 3])``) or over the channels
(``x.mean(1, keepdim=True)``), by the pooling they are (``x.norm(p=2, dim=…)``: the L2 norm)."""


@dataclass(frozen=True, kw_only=True)
class GlobalPool(Layer):
    """Pooling over the whole map (average, max or sum): the output is 1 × 1 × C, or C features without
    ``keepdim`` (``x.mean([2, 3])``)."""

    kind: ClassVar[str] = "global_pool"
    spec_types: ClassVar[tuple[str, ...]] = ("global_avgpool", "global_maxpool", "global_sumpool", "global_l2pool")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"keepdim"})
    torch_functions: ClassVar[tuple[str, ...]] = tuple(_REDUCTIONS)
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    op: str = "avg"
    keepdim: bool = True

    @property
    def type_name(self) -> str:
        return f"global_{self.op}pool"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(op=type_name[len("global_") : -len("pool")], keepdim=f.boolean("keepdim", True), **common)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        if call.target == "norm":
            args = call.bind(("p", "dim", "keepdim"), p="fro", dim=None, keepdim=False)
            if args["p"] not in (2, 2.0, "fro"):
                raise call.unsupported(f"a norm of order {args['p']!r} (only the L2 norm)")
        else:
            args = call.bind(("dim", "keepdim"), dim=None, keepdim=False)
        dims = args["dim"]
        if call.target == "max" and not isinstance(dims, (list, tuple)):
            return None  # torch.max(x) or x.max(dim) (values and indices): not a pooling
        if dims is not None and call.rank > 0 and call.is_channel_dim(dims):
            if not args["keepdim"]:
                raise call.unsupported(
                    f"a {call.target} over the channels without keepdim (a map with no channel axis)"
                )
            return ChannelPool(name=call.name, inputs=call.inputs, op=_REDUCTIONS[call.target])
        if dims is None or not call.is_spatial(dims):
            raise call.unsupported(
                f"a {call.target} over dims {dims} is not a pooling over the spatial axes {list(call.spatial_dims())}"
            )
        return cls(name=call.name, inputs=call.inputs, op=_REDUCTIONS[call.target], keepdim=bool(args["keepdim"]))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c = spatial(self, shape)
        macs = per_element_cost(ops, shape, 1) if counting.other_ops else 0
        out = (*(1 for _ in sizes), c) if self.keepdim else (c,)
        return make_info(self, sources, out, whole_map_field(fld, sizes, ops), macs=macs)

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.whole_axis(axis, tag)


@dataclass(frozen=True, kw_only=True)
class ChannelPool(Layer):
    """A reduction over the channels at every position (average, sum, max or L2 norm, ``keepdim``): an
    H × W × 1 map, as in RMS normalisation written out (``x.pow(2).mean(1, keepdim=True)``); the field is the
    input's (each output reads one position of every channel)."""

    kind: ClassVar[str] = "channel_pool"
    spec_types: ClassVar[tuple[str, ...]] = ("channel_avgpool", "channel_maxpool", "channel_sumpool", "channel_l2pool")
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    op: str = "avg"

    @property
    def type_name(self) -> str:
        return f"channel_{self.op}pool"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(op=type_name[len("channel_") : -len("pool")], **common)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, _ = spatial(self, shape)
        macs = per_element_cost(ops, shape, 1) if counting.other_ops else 0
        return make_info(self, sources, (*sizes, 1), fld, macs=macs)


_ADAPTIVE_FUNCTIONS = tuple(f"adaptive_{op}_pool{rank}d" for op in ("avg", "max") for rank in (1, 2, 3))


@dataclass(frozen=True, kw_only=True)
class AdaptiveAvgPool(Layer):
    """PyTorch's adaptive pooling (average or max): a fixed output size per axis (0 keeps the input's size);
    window j spans [floor(j·i/o), ceil((j+1)·i/o))."""

    kind: ClassVar[str] = "adaptive_avgpool"
    spec_types: ClassVar[tuple[str, ...]] = ("adaptive_avgpool", "adaptive_maxpool")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"output"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(
        f"Adaptive{op}Pool{rank}d" for op in ("Avg", "Max") for rank in (1, 2, 3)
    )
    torch_functions: ClassVar[tuple[str, ...]] = _ADAPTIVE_FUNCTIONS
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    output: Sizes
    op: str = "avg"

    @property
    def type_name(self) -> str:
        return f"adaptive_{self.op}pool"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(output=f.sizes("output", minimum=0), op=type_name[len("adaptive_") : -len("pool")], **common)

    @classmethod
    def _sizes(cls, out: Any, rank: int) -> Sizes:
        # None (PyTorch: keep the input's size along that axis) is stored as 0.
        per_axis = list(out) if isinstance(out, (tuple, list)) else [out] * rank
        return tuple(0 if o is None else int(o) for o in per_axis)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        if getattr(m, "return_indices", False):
            raise call.unsupported("return_indices=True is not supported")
        op = "max" if "Max" in call.module_class else "avg"
        rank = int(call.module_class[-2])
        return cls(name=call.name, inputs=call.inputs, output=cls._sizes(m.output_size, rank), op=op)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(("output_size", "return_indices"), return_indices=False)
        if args["return_indices"]:
            raise call.unsupported("return_indices=True is not supported")
        out = args["output_size"]
        flat = list(out) if isinstance(out, (tuple, list)) else [out]
        if any(not isinstance(n, int) and n is not None for n in flat):
            raise call.unsupported("the output size must be integers")
        return cls(
            name=call.name, inputs=call.inputs, output=cls._sizes(out, int(call.target[-2])), op=call.target[9:12]
        )

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        sizes, c = spatial(self, shape, len(self.output))
        axes: list[AxisField | None] = []
        warnings = []
        rank = len(sizes)
        outputs = tuple(i if o == 0 else o for i, o in zip(sizes, self.output))
        for a, (i, o) in enumerate(zip(sizes, outputs)):
            f = fld.axis(a)
            if f is None:
                axes.append(None)
            elif self.output[a] == 0:
                axes.append(f)  # the size kept: one pixel per window
            elif o == 1:
                axes.append(whole_axis_step(ops, f, i))
            elif not ops.is_number(i):
                axes.append(None)
                warnings.append(
                    f"{self.name}: adaptive pooling to {o} of a symbolic size has no single window; "
                    f"receptive field unknown along the {axis_name(a, rank)}"
                )
            else:
                step, windows = adaptive_step(ops, f, int(i), o)
                along = axis_name(a, rank)
                if windows.repeat:
                    warnings.append(
                        f"{self.name}: {o} windows over {count(i, 'pixel')} along the {along} repeat each pixel "
                        f"{windows.repeat} times (nearest upsampling): its field is exact at the outputs whose index "
                        f"is a multiple of {windows.repeat}; layers after it get estimates, from a stride that is a "
                        "fraction of the input's"
                    )
                elif isinstance(windows.stride, Fraction):
                    warnings.append(
                        f"{self.name}: {o} windows over {count(i, 'pixel')} along the {along} repeat pixels unevenly; the "
                        f"largest window ({windows.kernel}) gives the receptive field, and layers after it get "
                        "estimates, from a stride that is a fraction of the input's"
                    )
                elif not windows.uniform:
                    warnings.append(
                        f"{self.name}: {i} does not divide into {o} windows along the {along}; the "
                        f"windows vary, the largest ({windows.kernel}) gives the receptive field"
                    )
                axes.append(step)
        info = make_info(
            self,
            sources,
            (*outputs, c),
            Field.of(axes),
            macs=per_element_cost(ops, shape, 1) if counting.other_ops else 0,
        )
        info.warnings.extend(warnings)
        return info


AdaptivePool = AdaptiveAvgPool
"""Adaptive pooling, average or max (``op``); the class keeps its first name."""
