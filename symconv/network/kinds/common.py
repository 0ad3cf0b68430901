"""What several layer kinds share: a window sliding along an axis (with its checks), the fields through it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symconv.catalogue.backend import Ops
from symconv.catalogue.rules import AxisField, Window, checked_window, field_step, groups_divide
from symconv.errors import InputError, UnsupportedError
from symconv.network.info import Counting, Field, LayerInfo, Source, axis_name, make_info, spatial
from symconv.network.model import Layer, Padding, Sizes

if TYPE_CHECKING:
    from symconv.network.rows import Row


class Windowed(Layer):
    """A kind sliding a window along each axis (convolutions, pooling): its row derives each window and the field."""

    def derive_axis(self, row: Row, axis: int, tag: str) -> None:

        assert row.info.windows is not None
        w = row.info.windows[axis]
        row.window(w, axis, tag)
        row.window_field(w, axis, tag)


class ShapeNeutral(Layer):
    """A kind that passes its input on unchanged, with no parameters and no cost (dropout, identity)."""

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        return make_info(self, sources, shape, fld)


def sliding_window(
    layer: Layer,
    axis: int,
    i: Any,
    k: Any,
    s: Any,
    d: Any,
    padding: Padding,
    ceil_mode: bool,
    ops: Ops,
    rank: int = 2,
    *,
    pool: bool = False,
) -> Window:
    """Output size and padding of a window sliding along one axis of a ``rank``-D map (convolution or pooling),
    checked as PyTorch checks it (:func:`symconv.catalogue.rules.checked_window`)."""
    mode = "tf_same" if padding.same else "ceil" if ceil_mode else "floor"
    p_b, p_e = (0, 0) if padding.same else padding.axis(axis)
    along = f" along the {axis_name(axis, rank)}"
    w = checked_window(ops, mode, i, k, s, d, p_b, p_e, pool=pool, field=f"{layer.name}.", along=along)
    if w.mode == "ceil" and w.dropped_last is None:
        raise UnsupportedError(f"layer {layer.name!r}: ceil_mode with this padding needs a numeric input size")
    return w


def sliding_windows(
    layer: Any, sizes: Sequence[Any], ceil_mode: bool, ops: Ops, *, pool: bool = False
) -> tuple[Window, ...]:
    """One window per spatial axis of a layer with ``kernel``, ``stride``, ``dilation`` and ``padding``."""
    rank = len(sizes)
    if layer.padding.rank not in (None, rank):
        raise InputError(
            f"{layer.name}.padding",
            layer.padding.describe(),
            f"gives {layer.padding.rank} axes, but the layer reads a {rank}-D map",
        )
    return tuple(
        sliding_window(
            layer,
            a,
            i,
            layer.kernel[a],
            layer.stride[a],
            layer.dilation[a],
            layer.padding,
            ceil_mode,
            ops,
            rank,
            pool=pool,
        )
        for a, i in enumerate(sizes)
    )


def check_rank(layer: Any, shape: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """(spatial sizes, channels) of the map a windowed layer reads, after checking its kernel has one size per axis."""
    sizes, channels = spatial(layer, shape)
    if len(layer.kernel) != len(sizes):
        raise InputError(
            f"{layer.name}.kernel",
            list(layer.kernel),
            f"a {len(layer.kernel)}-D kernel cannot slide over a {len(sizes)}-D map ({' × '.join(map(str, shape))})",
        )
    return sizes, channels


def window_fields(fld: Field, windows: Sequence[Window], ops: Ops) -> Field:
    """The receptive field through one window per axis (unknown axes stay unknown)."""
    axes: list[AxisField | None] = []
    for a, w in enumerate(windows):
        f = fld.axis(a)
        axes.append(None if f is None else field_step(ops, f, w.k_eff, w.s, w.p_b))
    return Field.of(axes)


def grouped_input(layer: Any, shape: tuple[Any, ...], ops: Ops) -> tuple[tuple[Any, ...], Any]:
    """(spatial sizes, C_in) of a convolution's input, after checking the kernel's axes and that the groups
    divide both channel counts."""
    sizes, c_in = check_rank(layer, shape)
    if groups_divide(ops, layer.groups, c_in) is False or groups_divide(ops, layer.groups, layer.filters) is False:
        raise InputError(
            f"{layer.name}.groups",
            layer.groups,
            f"must divide the input channels ({c_in}) and the filters ({layer.filters})",
        )
    return sizes, c_in


def torch_sizes(value: Any, rank: int = 2) -> Sizes:
    """A PyTorch size argument (an int, or one per axis) as one int per spatial axis."""
    if isinstance(value, (tuple, list)):
        if len(value) == 1:
            return (int(value[0]),) * rank
        return tuple(int(v) for v in value)
    return (int(value),) * rank


def torch_pair(value: Any) -> tuple[int, int]:
    """A PyTorch size argument (an int or a pair) as (height, width)."""
    h, w = torch_sizes(value, 2)
    return h, w


def torch_rank(m: Any) -> int:
    """The number of spatial axes of a PyTorch module from its class name (Conv1d → 1, MaxPool3d → 3; 2 otherwise)."""
    name = type(m).__name__
    for rank in (1, 2, 3):
        if name.endswith(f"{rank}d"):
            return rank
    return 2
