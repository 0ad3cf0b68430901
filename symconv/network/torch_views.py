"""How PyTorch's views of a tensor map onto symconv's maps: layouts, view/reshape/permute/transpose, chunk and slices.

A symconv map is spatial axes then channels, whatever order PyTorch keeps them in memory. The importer
follows each tensor's *layout*, the order of its PyTorch dimensions (after the batch):

* ``first``: (C, *S), PyTorch's default; ``last``: (*S, C), after ``permute(0, 2, 3, 1)`` (ConvNeXt's
  channels-last blocks); ``flat``: (F,), a vector of features;
* ``grouped``: (g, C/g, *S) and ``grouped_t``: (C/g, g, *S), the two halves of ShuffleNet's channel
  shuffle (``view`` to groups, ``transpose(1, 2)``, ``view`` back);
* ``seq``: (1, F), a flat vector seen as a sequence of F positions of one channel (ECA's ``view(N, 1, -1)``
  of the pooled channels, which a ``Conv1d`` then reads along the features).

An ``expand``/``expand_as`` is no layer either: the tensor is marked ``expanded``, and only an element-wise
layer, which broadcasts its operands as the expansion would, may read it.

A view that only changes the layout is no layer (the map is the same); one that changes the map is one:
a flatten, a channel shuffle, a permutation of the spatial axes, a slice of the channels. Anything else
is refused by name. Nothing here imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from symconv.catalogue import CHANNELS_PER_GROUP, CHUNK_SIZE, SLICE_END
from symconv.catalogue.rules import groups_divide
from symconv.errors import UnsupportedError
from symconv.network.info import is_map
from symconv.network.kinds import ChannelShuffle, Flatten, Identity, Permute, Slice, ToMap
from symconv.network.model import Layer

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.torch_import import TorchCall

LAYOUTS = ("first", "last", "flat", "grouped", "grouped_t", "seq")


class _Batch:
    """The batch size N (``x.size(0)``): any number, never part of symconv's shapes."""

    def __repr__(self) -> str:
        return "N"


BATCH = _Batch()


@dataclass(frozen=True)
class TensorValue:
    """A PyTorch tensor as the importer knows it: the symconv tensor it holds (``name``, ``shape``) and its layout.

    ``name`` None: unknown, downstream of an unsupported operation (nothing is imported from there on, but
    every later operation is still checked, so that one error lists them all).
    """

    name: str | None
    shape: tuple[Any, ...] | None
    layout: str = "first"
    groups: int = 1
    expanded: bool = False

    @property
    def known(self) -> bool:
        return self.name is not None and self.shape is not None

    @property
    def rank(self) -> int:
        """Spatial axes of the map (0 for a flat vector)."""
        assert self.shape is not None
        return len(self.shape[:-1]) if is_map(self.shape) else 0


UNKNOWN = TensorValue(None, None)


@dataclass(frozen=True)
class Dim:
    """``x.size(d)`` or ``x.shape[d]``: the size of one PyTorch dimension of a tensor (``BATCH`` for dim 0)."""

    tensor: TensorValue
    axis: int
    size: Any


@dataclass(frozen=True)
class ShapeOf:
    """``x.size()`` or ``x.shape``: the sizes of a tensor's PyTorch dimensions, batch first."""

    tensor: TensorValue

    def dims(self, ops: Ops) -> tuple[Dim, ...]:
        sizes = [BATCH, *torch_dims(self.tensor, ops)]
        return tuple(Dim(self.tensor, d, n) for d, n in enumerate(sizes))


@dataclass(frozen=True)
class Parts:
    """The result of ``chunk`` or ``split`` along the channels: the channel range of each part."""

    tensor: TensorValue
    ranges: tuple[tuple[Any, Any], ...]
    op: str


def torch_dims(v: TensorValue, ops: Ops) -> list[Any]:
    """The sizes of a tensor's PyTorch dimensions after the batch, in its layout."""
    assert v.shape is not None
    if not is_map(v.shape):
        return [1, v.shape[0]] if v.layout == "seq" else [v.shape[0]]
    sizes, c = list(v.shape[:-1]), v.shape[-1]
    if v.layout == "last":
        return [*sizes, c]
    if v.layout in ("grouped", "grouped_t"):
        per_group = ops.ev(CHANNELS_PER_GROUP, c, v.groups)
        return [v.groups, per_group, *sizes] if v.layout == "grouped" else [per_group, v.groups, *sizes]
    return [c, *sizes]


def ndim(tensor: TensorValue, ops: Ops) -> int:
    """PyTorch's number of dimensions, the batch included."""
    return len([BATCH, *torch_dims(tensor, ops)])


class CallDims:
    """A call's reading of its source tensor's PyTorch dimensions (the batch is dimension 0): which one holds the
    channels, which are spatial, in the tensor's layout. Shared by the PyTorch and the ONNX importers; a subclass
    gives ``source``, ``ops`` and ``unsupported``."""

    source: TensorValue

    @property
    def ops(self) -> Ops:
        raise NotImplementedError

    @property
    def rank(self) -> int:
        return self.source.rank

    @property
    def layout(self) -> str:
        return self.source.layout

    def unsupported(self, reason: str) -> UnsupportedError:
        return UnsupportedError(reason)

    def channel_dim(self) -> int:
        """The PyTorch dimension of the channels (1, or the last one in a channels-last layout)."""
        return ndim(self.source, self.ops) - 1 if self.layout == "last" else 1

    def spatial_dims(self) -> tuple[int, ...]:
        return tuple(range(1, self.rank + 1)) if self.layout == "last" else tuple(range(2, self.rank + 2))

    def _dims(self, dims: Any) -> set[int]:
        n = ndim(self.source, self.ops)
        listed = dims if isinstance(dims, (list, tuple)) else [dims]
        # an ONNX attribute may be a numpy integer: read as the int it is (a bool stays refused)
        return {
            normalise_dim(d if isinstance(d, int) or not hasattr(d, "__index__") else int(d), n, self) for d in listed
        }

    def is_channel_dim(self, dim: Any) -> bool:
        return self._dims(dim) == {self.channel_dim()}

    def is_spatial(self, dims: Any) -> bool:
        return self.rank > 0 and self._dims(dims) == set(self.spatial_dims())


def normalise_dim(dim: Any, count: int, call: CallDims) -> int:
    """A PyTorch dimension index (negative: from the end) as 0 … count − 1."""
    if not isinstance(dim, int) or isinstance(dim, bool) or not -count <= dim < count:
        raise call.unsupported(f"dimension {dim!r} of a {count}-dimensional tensor")
    return list(range(count))[dim]


def _same(a: Any, b: Any, ops: Ops) -> bool:
    return a == -1 or ops.compare(a, b) == 0


def _matches(target: list[Any], pattern: list[Any], ops: Ops) -> bool:
    return (
        len(target) == len(pattern) and target.count(-1) <= 1 and all(_same(t, p, ops) for t, p in zip(target, pattern))
    )


def _target(call: TorchCall) -> list[Any]:
    """The sizes a view/reshape asks for, after the batch (sizes from ``x.size(d)`` resolved to numbers)."""
    raw = list(call.args[1:])
    if len(raw) == 1 and isinstance(raw[0], (tuple, list)):
        raw = list(raw[0])
    sizes = [r.size if isinstance(r, Dim) else r for r in raw]
    if not sizes:
        raise call.unsupported("a view without sizes")
    first, rest = sizes[0], sizes[1:]
    if first is BATCH or first == 1 or (first == -1 and -1 not in rest):
        return rest
    raise call.unsupported(f"a view to {sizes} that does not keep the batch first")


def alias(v: TensorValue, layout: str | None = None, groups: int = 1) -> TensorValue:
    """The same map in another layout (no layer)."""
    return replace(v, layout=layout or v.layout, groups=groups)


Result = TensorValue | tuple[Layer, str]
"""A view's outcome: the same map in a layout (no layer), or a layer and the layout of its output."""


def reshape(call: TorchCall, ops: Ops) -> Result:
    """``view``/``reshape``: the same map, a flatten, the channel groups of a shuffle, or the shuffle itself."""
    v = call.source
    target = _target(call)
    dims = torch_dims(v, ops)
    if _matches(target, dims, ops):
        return alias(v, groups=v.groups)
    if not is_map(v.shape or ()):
        return _reshape_vector(call, v, target, ops)
    if len(target) == 1:
        return flatten_all(call, ops)
    if is_map(v.shape or ()):
        sizes, c = list(v.shape[:-1]), v.shape[-1]  # type: ignore[index]
        if v.layout == "first" and len(target) == len(sizes) + 2 and isinstance(target[0], int) and target[0] > 0:
            g = target[0]
            if groups_divide(ops, g, c) is not False and _matches(
                target, [g, ops.ev(CHANNELS_PER_GROUP, c, g), *sizes], ops
            ):
                return alias(v, "grouped", g)
        if v.layout in ("grouped", "grouped_t") and _matches(target, [c, *sizes], ops):
            if v.layout == "grouped":
                return alias(v, "first")
            return ChannelShuffle(name=call.name, inputs=call.inputs, groups=v.groups), "first"
    raise call.unsupported(f"a view of a tensor of sizes {dims} to {target} (after the batch)")


def _reshape_vector(call: TorchCall, v: TensorValue, target: list[Any], ops: Ops) -> Result:
    """A flat vector of F features viewed as (F,), as (1, F) (a sequence: ``seq``), or as a 1 × … × 1 map of F
    channels (``view(N, -1, 1, 1)``: a :class:`ToMap` layer)."""
    assert v.shape is not None
    f = v.shape[0]
    if _matches(target, [f], ops):
        return alias(v, "flat")
    if _matches(target, [1, f], ops):
        return alias(v, "seq")
    if 2 <= len(target) <= 4 and _matches(target, [f] + [1] * (len(target) - 1), ops):
        return ToMap(name=call.name, inputs=call.inputs, rank=len(target) - 1), "first"
    raise call.unsupported(f"a view of a vector of sizes {torch_dims(v, ops)} to {target} (after the batch)")


def unsqueeze(call: TorchCall, ops: Ops, dim: Any) -> Result:
    """``unsqueeze`` of a flat vector: (1, F), a sequence (``seq``), or (F, 1), a 1-D map of F channels."""
    v = call.source
    if v.known and not is_map(v.shape or ()) and v.layout == "flat":
        at = normalise_dim(dim, 3, call)
        if at == 1:
            return alias(v, "seq")
        if at == 2:
            return ToMap(name=call.name, inputs=call.inputs, rank=1), "first"
    raise call.unsupported(f"unsqueezing dim {dim} of a tensor of sizes {torch_dims(v, ops)} (only of a flat vector)")


def expand(call: TorchCall, ops: Ops, sizes: list[Any]) -> Result:
    """``expand``/``expand_as``: the same tensor, marked as expanded (only an element-wise layer may read it, which
    broadcasts it as the expansion does)."""
    v = call.source
    dims = torch_dims(v, ops)
    sizes = [s.size if isinstance(s, Dim) else s for s in sizes]
    if len(sizes) != len(dims) + 1 or not all(
        _same(a, b, ops) or ops.compare(b, 1) == 0 for a, b in zip(sizes[1:], dims)
    ):
        raise call.unsupported(f"expanding a tensor of sizes {dims} to {sizes[1:]}")
    return replace(v, expanded=True)


def flatten_all(call: TorchCall, ops: Ops) -> Result:
    """Everything after the batch into one vector: a flatten layer (nothing when the tensor is already flat)."""
    v = call.source
    if not is_map(v.shape or ()):
        return alias(v)
    if v.layout == "grouped_t":
        raise call.unsupported("flattening a transposed channel grouping")
    return Flatten(name=call.name, inputs=call.inputs), "flat"


def flatten(call: TorchCall, ops: Ops, start: Any, end: Any) -> Result:
    """``torch.flatten(x, start, end)`` and ``nn.Flatten``."""
    v = call.source
    n = ndim(v, ops)
    start, end = normalise_dim(start, n, call), normalise_dim(end, n, call)
    if start == 1 and end == n - 1:
        return flatten_all(call, ops)
    if start == end:
        return alias(v)
    if (start, end) == (1, 2) and v.layout in ("grouped", "grouped_t"):
        if v.layout == "grouped":
            return alias(v, "first")
        return ChannelShuffle(name=call.name, inputs=call.inputs, groups=v.groups), "first"
    raise call.unsupported(f"flattening dims {start} to {end} of a {n}-dimensional tensor (only from 1 to the last)")


def unflatten(call: TorchCall, ops: Ops, dim: Any, sizes: Any) -> Result:
    """``x.unflatten(1, (g, -1))``: the channel groups of a shuffle."""
    v = call.source
    n = ndim(v, ops)
    dim = normalise_dim(dim, n, call)
    sizes = [s.size if isinstance(s, Dim) else s for s in sizes]
    if v.layout == "first" and dim == 1 and len(sizes) == 2 and isinstance(sizes[0], int) and is_map(v.shape or ()):
        assert v.shape is not None
        g, c = sizes[0], v.shape[-1]
        if groups_divide(ops, g, c) is not False and _same(sizes[1], ops.ev(CHANNELS_PER_GROUP, c, g), ops):
            return alias(v, "grouped", g)
    raise call.unsupported(f"unflattening dim {dim} into {sizes}")


def _after_batch(dims: list[int]) -> list[int]:
    """PyTorch dimension indices (the batch being 0) as positions among the dimensions after the batch."""
    return [dim - 1 for dim in dims if dim != 0]  # the batch is dimension 0


def _roles(v: TensorValue) -> list[Any]:
    """What each PyTorch dimension after the batch holds: 'C', or a spatial axis's index."""
    spatial = list(range(v.rank))
    if v.layout == "first":
        return ["C", *spatial]
    if v.layout == "last":
        return [*spatial, "C"]
    if v.layout in ("grouped", "grouped_t"):
        return ["g", "c", *spatial] if v.layout == "grouped" else ["c", "g", *spatial]
    return ["F"]


def permute(call: TorchCall, ops: Ops, order: list[int]) -> Result:
    """``permute``/``transpose``: a change of layout (no layer), or a permutation of the spatial axes."""
    v = call.source
    n = ndim(v, ops)
    order = [normalise_dim(d, n, call) for d in order]
    if sorted(order) != list(range(n)) or order[0] != 0:
        raise call.unsupported(f"a permutation {order} that moves the batch or is not a permutation")
    roles = _roles(v)
    new = [roles[dim] for dim in _after_batch(order)]
    if new == roles:
        return alias(v, groups=v.groups)
    if v.layout in ("grouped", "grouped_t"):
        if new[:2] in (["c", "g"], ["g", "c"]) and new[2:] == roles[2:]:
            return alias(v, "grouped_t" if new[0] == "c" else "grouped", v.groups)
        raise call.unsupported(f"a permutation {order} of a channel grouping")
    if "C" not in new or new.index("C") not in (0, len(new) - 1):
        raise call.unsupported(f"a permutation {order} that puts the channels between spatial axes")
    layout = "first" if new[0] == "C" else "last"
    spatial = [r for r in new if r != "C"]
    if spatial == sorted(spatial):
        return alias(v, layout)
    return Permute(name=call.name, inputs=call.inputs, axes=tuple(spatial)), layout


def transpose(call: TorchCall, ops: Ops, a: Any, b: Any) -> Result:
    v = call.source
    n = ndim(v, ops)
    a, b = normalise_dim(a, n, call), normalise_dim(b, n, call)
    order = list(range(n))
    order[a], order[b] = order[b], order[a]
    return permute(call, ops, order)


def channel_parts(call: TorchCall, ops: Ops, op: str, how: Any, dim: Any) -> Parts:
    """``chunk(n, dim)`` / ``split(size or sizes, dim)`` along the channels: the channel range of each part."""
    v = call.source
    if not call.is_channel_dim(dim):
        raise call.unsupported(f"a {op} along dim {dim}; only along the channels (dim={call.channel_dim()})")
    assert v.shape is not None
    c = v.shape[-1]
    if not isinstance(c, int):
        raise call.unsupported(f"a {op} of {c} channels (a number is needed)")
    if op == "chunk":
        size = ops.ev(CHUNK_SIZE, c, how)
        sizes = [size] * int(how)
    elif isinstance(how, int):
        sizes = [how] * c  # parts of `how` channels until the channels run out (the loop stops there)
    else:
        sizes = [int(s) for s in how]
    ranges = []
    start: Any = 0
    for size in sizes:
        if ops.compare(start, c) != -1:
            break
        stop = ops.minimum([ops.ev(SLICE_END, start, size), c])
        ranges.append((start, stop))
        start = stop
    return Parts(v, tuple(ranges), op)


def part(call: TorchCall, parts: Parts, index: int) -> Result:
    """One part of a chunk or split: a slice of the channels (the whole map: an identity)."""
    start, stop = parts.ranges[index]
    v = parts.tensor
    assert v.shape is not None
    if start == 0 and stop == v.shape[-1]:
        return Identity(name=call.name, inputs=(v.name,)), v.layout  # type: ignore[arg-type]
    return Slice(name=call.name, inputs=(v.name,), start=start, stop=stop), v.layout  # type: ignore[arg-type]


def index(call: TorchCall, ops: Ops, key: Any) -> Result:
    """``x[:, a:b]`` (a slice of the channels, or nothing when every index is whole)."""
    v = call.source
    keys = list(key) if isinstance(key, tuple) else [key]
    n = ndim(v, ops)
    whole = slice(None, None, None)
    if Ellipsis in keys:
        at = keys.index(Ellipsis)
        keys = keys[:at] + [whole] * (n - len(keys) + 1) + keys[at + 1 :]
    keys += [whole] * (n - len(keys))
    if len(keys) != n or keys[0] != whole or any(not isinstance(k, slice) for k in keys):
        raise call.unsupported(f"indexing with {key!r} (only slices of the channels are supported)")
    cut = [d for d, k in enumerate(keys) if k != whole]
    if not cut:
        return alias(v, groups=v.groups)
    channel = call.channel_dim()
    k = keys[channel]
    if cut != [channel] or k.step not in (None, 1):
        raise call.unsupported(f"indexing with {key!r} (only slices of the channels are supported)")
    assert v.shape is not None
    c = v.shape[-1]
    start, stop = slice(k.start, k.stop).indices(c)[:2] if isinstance(c, int) else (None, None)
    if start is None or stop is None or stop <= start:
        raise call.unsupported(f"the channel slice {k} of {c} channels")
    return Slice(name=call.name, inputs=call.inputs, start=start, stop=stop), v.layout


def squeeze(call: TorchCall, ops: Ops, dims: Any) -> Result:
    """``squeeze`` of the spatial axes of a 1 × … × 1 map: a flat vector (a flatten layer); of sizes 1 elsewhere: nothing."""
    v = call.source
    sizes = torch_dims(v, ops)
    n = ndim(v, ops)
    listed = dims if isinstance(dims, (list, tuple)) else [dims]
    picked = list(range(1, n)) if dims is None else [normalise_dim(dim, n, call) for dim in listed]
    size_of = dict(zip(range(1, n), sizes))
    picked = [dim for dim in picked if dim != 0 and ops.compare(size_of[dim], 1) == 0]
    if not picked:
        return alias(v, groups=v.groups)
    if v.layout == "seq" and picked == [1]:
        return alias(v, "flat")
    if v.layout in ("first", "last") and set(picked) == set(call.spatial_dims()):
        return Flatten(name=call.name, inputs=call.inputs), "flat"
    raise call.unsupported(f"squeezing dims {picked} (only all the spatial axes of a 1 × … × 1 map)")


__all__ = [
    "BATCH",
    "LAYOUTS",
    "UNKNOWN",
    "Dim",
    "Parts",
    "ShapeOf",
    "TensorValue",
    "UnsupportedError",
]
