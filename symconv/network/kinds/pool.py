"""Pooling: windows (max or average, ceil mode), global pooling over the whole map, PyTorch's adaptive average pooling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import AxisField, adaptive_axis, per_element_cost, pool_window_step, whole_axis_step
from symconv.errors import UnsupportedError
from symconv.network.info import AXES, Counting, Field, LayerInfo, Source, make_info, spatial
from symconv.network.kinds.common import Windowed, sliding_windows, torch_pair, window_fields
from symconv.network.model import VALID, Layer, Padding, Pair

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields

_POOLING = "pooling one operation per input element"


@dataclass(frozen=True, kw_only=True)
class Pool(Windowed):
    """Max or average pooling over windows; ``stride`` defaults to the kernel as in PyTorch."""

    kind: ClassVar[str] = "pool"
    spec_types: ClassVar[tuple[str, ...]] = ("maxpool", "avgpool")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"kernel", "stride", "padding", "dilation", "ceil_mode"})
    torch_modules: ClassVar[tuple[str, ...]] = ("MaxPool2d", "AvgPool2d")
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    op: str = "max"  # "max" or "avg"
    kernel: Pair
    stride: Pair
    padding: Padding = VALID
    dilation: Pair = (1, 1)
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
        kernel = f.pair("kernel")
        return cls(
            op=op,
            kernel=kernel,
            stride=f.pair("stride", list(kernel)),
            padding=f.padding(),
            dilation=f.pair("dilation", 1) if op == "max" else (1, 1),
            ceil_mode=f.boolean("ceil_mode", False),
            **common,
        )

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        if getattr(m, "return_indices", False):
            raise UnsupportedError(f"module {name!r} ({type(m).__name__}): return_indices=True is not supported")
        kernel = torch_pair(m.kernel_size)
        return cls(
            name=name,
            inputs=inputs,
            op="max" if type(m).__name__ == "MaxPool2d" else "avg",
            kernel=kernel,
            stride=torch_pair(m.stride) if m.stride not in (None, ()) else kernel,
            padding=Padding.symmetric(*torch_pair(m.padding)),
            dilation=torch_pair(getattr(m, "dilation", 1)),
            ceil_mode=bool(m.ceil_mode),
        )

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        h, w, c = spatial(self, shape)
        windows = sliding_windows(self, (h, w), self.ceil_mode, ops, pool=True)
        return make_info(
            self,
            sources,
            (windows[0].o, windows[1].o, c),
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


@dataclass(frozen=True, kw_only=True)
class GlobalPool(Layer):
    """Pooling over the whole map: the output is 1 × 1 × C."""

    kind: ClassVar[str] = "global_pool"
    spec_types: ClassVar[tuple[str, ...]] = ("global_avgpool", "global_maxpool")
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    op: str = "avg"

    @property
    def type_name(self) -> str:
        return f"global_{self.op}pool"

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(op=type_name[len("global_") : -len("pool")], **common)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        h, w, c = spatial(self, shape)
        macs = per_element_cost(ops, shape, 1) if counting.other_ops else 0
        return make_info(self, sources, (1, 1, c), whole_map_field(fld, (h, w), ops), macs=macs)

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:
        row.whole_axis(axis, tag)


@dataclass(frozen=True, kw_only=True)
class AdaptiveAvgPool(Layer):
    """PyTorch's AdaptiveAvgPool2d: a fixed output size; window j spans [floor(j·i/o), ceil((j+1)·i/o))."""

    kind: ClassVar[str] = "adaptive_avgpool"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"output"})
    torch_modules: ClassVar[tuple[str, ...]] = ("AdaptiveAvgPool2d",)
    torch_functions: ClassVar[tuple[str, ...]] = ("adaptive_avg_pool2d",)
    per_element_rule: ClassVar[str] = _POOLING
    label: ClassVar[str] = "pooling"

    output: Pair

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(output=f.pair("output"), **common)

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        out = m.output_size if isinstance(m.output_size, (tuple, list)) else (m.output_size, m.output_size)
        if any(o is None for o in out):
            raise UnsupportedError(f"module {name!r} (AdaptiveAvgPool2d): an output size of None is not supported")
        return cls(name=name, inputs=inputs, output=(int(out[0]), int(out[1])))

    @classmethod
    def from_torch_function(cls, node: Any, name: str, sources: list[str], target: str) -> Layer | None:
        args, kwargs = list(node.args), dict(node.kwargs)
        out = args[1] if len(args) > 1 else kwargs.get("output_size")
        size = out if isinstance(out, (tuple, list)) else (out, out)
        if any(not isinstance(n, int) for n in size):
            raise UnsupportedError(f"adaptive_avg_pool2d at {node.name!r}: the output size must be integers")
        return cls(name=name, inputs=tuple(sources), output=(size[0], size[1]))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        h, w, c = spatial(self, shape)
        axes: list[AxisField | None] = []
        warnings = []
        for a, (i, o) in enumerate(zip((h, w), self.output)):
            f = fld.axis(a)
            if f is None:
                axes.append(None)
            elif o == 1:
                axes.append(whole_axis_step(ops, f, i))
            elif not ops.is_number(i):
                axes.append(None)
                warnings.append(
                    f"{self.name}: adaptive pooling to {o} of a symbolic size has no single window; "
                    f"receptive field unknown along the {AXES[a]}"
                )
            else:
                windows = adaptive_axis(int(i), o)
                if not windows.uniform:
                    warnings.append(
                        f"{self.name}: {i} does not divide into {o} windows along the {AXES[a]}; the windows vary, "
                        f"the largest ({windows.kernel}) gives the receptive field"
                    )
                axes.append(pool_window_step(ops, f, windows.kernel, windows.stride))
        info = make_info(
            self,
            sources,
            (self.output[0], self.output[1], c),
            Field.of(axes),
            macs=per_element_cost(ops, shape, 1) if counting.other_ops else 0,
        )
        info.warnings.extend(warnings)
        return info
