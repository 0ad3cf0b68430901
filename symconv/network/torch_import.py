"""Turn a PyTorch ``nn.Module`` into a symconv Network (torch imported only when this is called).

The module is traced with torch.fx, so nn.Sequential and graphs with branches (residual adds,
concatenations, gates) both work. Every node must map onto a symconv layer kind (the kinds name the
modules and functions they stand for), onto a change of layout (symconv.network.torch_views), or onto
arithmetic on sizes (``x.size(1) // 2``). An unsupported module or operation is never counted as
zero: :class:`symconv.errors.UnsupportedError` lists every one of them, each with the module path and
class that holds it and the source line. Each layer is analysed as it is imported, so views and
slices are read against the sizes they act on. Install with the extra ``symconv[torch]``.
"""

from __future__ import annotations

import math
import operator
import os
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from symconv.catalogue.backend import NUMERIC, Ops
from symconv.catalogue.rules import elements
from symconv.core.arith import check_integer, is_symbolic
from symconv.core.coerce import public
from symconv.errors import InputError, UnsupportedError
from symconv.network import torch_views as views
from symconv.network.info import Counting, Field, Source, is_map
from symconv.network.model import INPUT, Layer, Network, layer_kinds
from symconv.network.torch_views import BATCH, UNKNOWN, Dim, Parts, ShapeOf, TensorValue


@cache
def _by_module() -> dict[str, type[Layer]]:
    """Layer kind by the name of the torch.nn module class it stands for."""
    return {name: kind for kind in layer_kinds() for name in kind.torch_modules}


@cache
def _by_function() -> dict[str, type[Layer]]:
    """Layer kind by the name of the torch function (or tensor method) it stands for."""
    return {name: kind for kind in layer_kinds() for name in kind.torch_functions}


def module_kind(m: Any) -> tuple[type[Layer], str] | None:
    """The kind of a module and the torch.nn class it is (a subclass that keeps its base's forward counts as the base).

    torchvision's ``Conv3DSimple(nn.Conv3d)`` is a Conv3d; ``LayerNorm2d(nn.LayerNorm)``, whose own forward
    permutes around ``F.layer_norm``, is traced through instead.
    """
    forward = type(m).forward
    cls: Any
    for cls in type(m).__mro__:
        if not cls.__module__.startswith("torch.nn"):
            continue
        kind = _by_module().get(cls.__name__)
        if kind is not None and cls.forward is forward:
            return kind, cls.__name__
        if kind is not None or cls.__name__ == "Module":
            return None
    return None


_VIEWS = frozenset(
    {
        "view", "reshape", "flatten", "unflatten", "permute", "transpose", "swapaxes", "swapdims", "contiguous",
        "clone", "detach", "float", "to", "type_as", "chunk", "split", "squeeze", "getitem", "unsqueeze", "expand",
        "expand_as",
    }
)  # fmt: skip
"""Operations read as a change of layout or a view of the map (symconv.network.torch_views)."""

_BROADCASTING = frozenset({"add"})
"""Kinds that broadcast their operands (element-wise arithmetic, kind "add"), and so may read an expanded tensor (``x * y.expand_as(x)``)."""

_SIZES = frozenset({"size", "dim", "getattr", "numel", "len"})
"""Operations that ask a tensor for its sizes."""

_PYTHON: dict[str, Any] = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "floordiv": operator.floordiv,
    "truediv": operator.truediv, "neg": operator.neg, "getitem": operator.getitem, "mod": operator.mod,
    "int": int, "pow": operator.pow, "ceil": math.ceil, "floor": math.floor,
}  # fmt: skip
"""Arithmetic on sizes (``x.size(1) // groups``), evaluated as the model's code does."""

_COMPARISONS: dict[str, tuple[int, ...]] = {
    "eq": (0,), "ne": (-1, 1), "lt": (-1,), "le": (-1, 0), "gt": (1,), "ge": (0, 1),
}  # fmt: skip
"""Comparisons of sizes (``x.ndim == 4``), by the orderings of the operands that make them true."""

_PARAMETER_VIEWS = frozenset(
    {
        "view", "reshape", "reshape_as", "view_as", "flatten", "unsqueeze", "squeeze", "permute", "transpose",
        "expand", "expand_as", "contiguous", "to", "float", "type_as", "clone", "detach", "mul", "truediv", "div",
        "add", "sub", "neg", "batch_norm", "layer_norm", "sigmoid", "exp", "softplus", "abs", "sqrt", "rsqrt",
        "getitem", "repeat", "flip", "T", "t", "squeeze_", "unsqueeze_", "getattr", "size", "dim",
    }
)  # fmt: skip
"""Operations on parameters alone whose result is a weight a layer reads (``self.gamma.reshape(1, -1, 1, 1)``,
the standardised weight of ``StdConv2d``): evaluated on the parameters, the result stays a parameter of the
layer that reads it."""


class TorchCall(views.CallDims):
    """One module or function call of the traced graph, as a layer kind reads it.

    The kinds' ``from_torch_module(m, call)`` and ``from_torch_function(call)`` build their layer from it:
    ``name`` and ``inputs`` (the symconv tensors read), the call's arguments with sizes resolved
    (:meth:`bind`), the layout of the first tensor (which PyTorch dimension holds the channels), and
    :meth:`unsupported` for a form the kind does not take.
    """

    def __init__(
        self,
        converter: _Converter,
        node: Any,
        name: str,
        args: list[Any],
        kwargs: dict[str, Any],
        target: str,
        module_class: str = "",
    ) -> None:
        self.converter = converter
        self.node = node
        self.name = name
        self.args = args
        self.kwargs = kwargs
        self.target = target
        self.module_class = module_class
        self.tensors = [v for v in _flat([*args, *kwargs.values()]) if isinstance(v, TensorValue)]
        self.inputs: tuple[str, ...] = tuple(v.name for v in self.tensors if v.name is not None)
        self.source = self.tensors[0] if self.tensors else UNKNOWN

    @property
    def ops(self) -> Ops:
        return self.converter.ops

    @property
    def operands(self) -> list[Any]:
        """The positional arguments, resolved (tensors, parameters, numbers)."""
        return list(self.args)

    def bind(self, names: Sequence[str], **defaults: Any) -> dict[str, Any]:
        """The arguments after the input tensor, by name (positional or keyword), with defaults."""
        given = dict(zip(names, self.args[1:]))
        given.update({k: v for k, v in self.kwargs.items() if k in names})
        for name in names:
            if name not in given:
                if name not in defaults:
                    raise self.unsupported(f"argument {name!r} is missing")
                given[name] = defaults[name]
        return {k: (v.size if isinstance(v, Dim) else v) for k, v in given.items()}

    # -- dimensions (channel_dim, spatial_dims, is_channel_dim, is_spatial: views.CallDims) ---------------
    def on_channels_last(self) -> bool:
        """Whether a layer acting on the last PyTorch dimension acts on the channels at every position."""
        if self.layout == "last":
            return True
        if self.layout == "flat" or not is_map(self.source.shape or ()):
            return False
        raise self.unsupported("a linear layer on a channels-first map acts on its last spatial axis, not the channels")

    def normalised(self, shape: tuple[Any, ...]) -> str:
        """What a layer normalisation over the trailing ``shape`` normalises: 'channels' or 'map'."""
        dims = views.torch_dims(self.source, self.ops)
        sizes = [s.size if isinstance(s, Dim) else s for s in shape]
        trailing = dims[len(dims) - len(sizes) :]
        same = len(sizes) <= len(dims) and all(self.ops.compare(a, b) == 0 for a, b in zip(sizes, trailing))
        if same and len(sizes) == 1 and self.layout in ("last", "flat"):
            return "channels"
        if same and len(sizes) == len(dims) and self.layout == "first":
            return "map"
        raise self.unsupported(f"a layer normalisation over {sizes} of a tensor of sizes {dims}")

    def pads_spatial(self, axes: int) -> bool:
        """Whether padding the last ``axes`` PyTorch dimensions pads spatial axes only."""
        return self.layout == "first" and axes <= self.rank

    # -- parameters and sizes -------------------------------------------------------------------------
    @staticmethod
    def is_tensor(value: Any) -> bool:
        return isinstance(value, TensorValue)

    @staticmethod
    def is_parameter(value: Any) -> bool:
        return isinstance(value, Param)

    def uses(self, *params: Any) -> None:
        """Record parameters read through ``get_attr`` (functional layers): they are counted by the layer."""
        for p in params:
            if isinstance(p, Param):
                self.converter.used.update(p.sources)

    def numel(self, value: Any) -> int:
        return int(value.numel) if isinstance(value, Param) else 1

    def shape_of(self, value: Any) -> tuple[int, ...]:
        if not isinstance(value, Param):
            raise self.unsupported(f"{value!r} is not a parameter")
        return value.shape

    def weight_kind(self, value: Param) -> str:
        """A learned operand as one value, one per channel, or one per element of the output."""
        self.uses(value)
        shape = self.source.shape or ()
        if value.numel == 1:
            return "scalar"
        if value.numel == shape[-1] and self._broadcasts_on_channels(value.shape):
            return "channel"
        if self.source.known and value.numel == elements(self.ops, shape):
            return "element"
        raise self.unsupported(f"a learned operand of shape {list(value.shape)}")

    def _broadcasts_on_channels(self, shape: tuple[int, ...]) -> bool:
        dims = views.ndim(self.source, self.ops)
        sizes = list(shape)
        kept = [dims - at for at, n in enumerate(reversed(sizes), start=1) if n != 1]  # dims counted from the end
        return kept == [self.channel_dim()]

    def size_source(self, size: Any) -> str | None:
        """The tensor whose spatial size ``size`` is (``x.shape[-2:]``), or None for numbers."""
        dims = list(size) if isinstance(size, (tuple, list)) else [size]
        if not dims or not all(isinstance(d, Dim) for d in dims):
            return None
        tensor = dims[0].tensor
        call = TorchCall(self.converter, self.node, self.name, [tensor], {}, self.target)
        if all(d.tensor == tensor for d in dims) and [d.axis for d in dims] == list(call.spatial_dims()):
            return tensor.name
        raise self.unsupported(f"the size {[d.size for d in dims]} is not a tensor's spatial size")

    def flatten(self, start: Any, end: Any) -> Layer:
        """``nn.Flatten(start, end)`` as a layer."""
        result = views.flatten(self, self.ops, start, end)
        if isinstance(result, TensorValue):
            from symconv.network.kinds import Identity

            return Identity(name=self.name, inputs=self.inputs)
        return result[0]


@dataclass(frozen=True)
class Param:
    """A parameter or buffer read with ``get_attr`` (a layer scale, ``F.layer_norm``'s weight), or a tensor
    computed from them alone (``self.gamma.reshape(1, -1, 1, 1)``, a standardised convolution weight).

    ``sources``: the parameters and buffers it is computed from (by ``id``); ``learned``: how many of their
    elements are parameters (0 for a fixed filter held in a buffer); ``value``: the tensor itself.
    """

    path: str
    shape: tuple[int, ...]
    numel: int
    sources: frozenset[int]
    learned: int
    value: Any = field(default=None, compare=False, repr=False)

    @property
    def derived(self) -> bool:
        """Whether it is computed from parameters rather than stored."""
        return self.learned != self.numel or len(self.sources) != 1


@dataclass
class TorchImport:
    """A traced module as symconv reads it.

    Attributes:
        network: the :class:`Network` (layers named by module path; a function call by the path of the
            module that makes it and the operation, ``layer1.0.add``).
        layouts: each layer's PyTorch layout ('first': (N, C, *S), 'last': (N, *S, C), 'flat': (N, F)).
        nodes: each layer's torch.fx node name.
        outputs: the module's outputs (dict keys, tuple positions, or '' for one tensor) and their layers.
        unused: modules whose parameters no traced operation reads (an auxiliary head outside the forward
            pass), with their parameter counts: not in the totals.
        graph_module: the traced ``torch.fx.GraphModule`` (its nodes are the ones ``nodes`` names).
    """

    network: Network
    layouts: dict[str, str]
    nodes: dict[str, str]
    outputs: dict[str, str]
    unused: dict[str, int] = field(default_factory=dict)
    graph_module: Any = field(default=None, repr=False)


_RANKED = re.compile(
    r"(Conv|ConvTranspose|MaxPool|AvgPool|AdaptiveAvgPool|AdaptiveMaxPool|LPPool|BatchNorm|InstanceNorm|ConstantPad"
    r"|ZeroPad|ReflectionPad|ReplicationPad|CircularPad|Dropout)[123]d"
)
"""Modules whose class name says how many spatial axes they work on (BatchNorm1d also takes flat vectors)."""


def _rank_of_model(module: Any) -> int | None:
    """The spatial rank the model's windowed layers work on (Conv1d → 1 …), None when it has none or several."""
    ranks = set()
    for m in module.modules():
        name = type(m).__name__
        if _RANKED.fullmatch(name) and name != "BatchNorm1d":
            ranks.add(int(name[-2]))
    if not ranks and any(type(m).__name__ == "BatchNorm1d" for m in module.modules()):
        return 1  # BatchNorm1d reads (N, C) or (N, C, L), never a 2-D map
    return ranks.pop() if len(ranks) == 1 else None


def _input_shape(module: Any, input_shape: Sequence[Any]) -> tuple[Any, ...]:
    """(C, *S) or (N, C, *S) in PyTorch's order → symconv's (*S, C); the model's layers say whether N is there."""
    shape = list(input_shape)
    rank = _rank_of_model(module)
    if rank is not None and len(shape) == rank + 2:
        shape = shape[1:]
    elif rank is None and len(shape) in (4, 5):
        shape = shape[1:]  # (N, C, H, W) or (N, C, D, H, W): a model whose layers do not say their rank
    if not 2 <= len(shape) <= 4:
        raise InputError(
            "input_shape", list(input_shape), "expected (C, L), (C, H, W) or (C, D, H, W), with or without N first"
        )
    if rank is not None and len(shape) != rank + 1:
        raise InputError(
            "input_shape", list(input_shape), f"the model's layers are {rank}-D: expected {rank} spatial sizes"
        )
    c = check_integer(shape[0], "input_shape[C]", minimum=1)
    if not isinstance(c, int):
        raise InputError("input_shape[C]", shape[0], "the channels must be a number")
    sizes = [check_integer(n, f"input_shape[{j + 1}]", minimum=1) for j, n in enumerate(shape[1:])]
    return (*sizes, c)


@public(raw=("module",))
def from_torch(module: Any, input_shape: Sequence[Any], *, endpoint: str | None = None) -> Network:
    """The symconv :class:`Network` of a PyTorch module, traced with torch.fx.

    Args:
        module: an ``nn.Module`` (``nn.Sequential`` or any module torch.fx can trace), in eval mode for
            what it computes at inference (Inception's auxiliary heads only run in training).
        input_shape: PyTorch order: ``(C, H, W)``, ``(C, L)`` for 1-D or ``(C, D, H, W)`` for 3-D layers,
            with or without a batch ``N`` first (the model's Conv1d/2d/3d say which); the sizes may be
            symbol names such as ``"H"`` for closed forms.
        endpoint: the layer whose receptive field is the answer, or the key of one of the module's
            outputs (a segmentation model's ``"out"``); default: its (first) output.

    Supported: everything the layer kinds list (convolutions, transposed convolutions and pooling in
    1, 2 and 3 dimensions, adaptive and global pooling and ``mean``/``sum``/``amax`` over the spatial
    axes, linear layers (also on channels-last maps), batch/layer/group/instance normalisation,
    activations and dropout as modules and functions, element-wise arithmetic with broadcasting,
    concatenation, interpolation, pixel shuffle, padding layers, channel shuffle), the views of
    symconv.network.torch_views, and dict, tuple and list outputs. Layer names are the modules'
    qualified names.

    Raises:
        UnsupportedError: every module or operation with no symconv counterpart, listed together.
        InputError: a malformed input shape, or a layer whose sizes do not fit (a kernel larger than its map).
    """
    return trace_torch(module, input_shape, endpoint=endpoint).network


@public(raw=("module",))
def trace_torch(module: Any, input_shape: Sequence[Any], *, endpoint: str | None = None) -> TorchImport:
    """:func:`from_torch` with what the import knows besides the network: layouts, fx nodes, outputs, unused modules."""
    try:
        import torch.fx
    except ImportError:
        raise UnsupportedError("from_torch needs PyTorch: pip install 'symconv[torch]'") from None
    if not isinstance(module, torch.nn.Module):
        raise InputError("module", type(module).__name__, "expected a torch.nn.Module")
    if endpoint is not None and not isinstance(endpoint, str):
        raise InputError("endpoint", endpoint, "expected a layer name or an output's key")
    if not isinstance(input_shape, list):
        raise InputError("input_shape", input_shape, "expected (C, H, W), (C, L) or (C, D, H, W)")
    shape = _input_shape(module, input_shape)
    name = type(module).__name__
    if module_kind(module) is not None:
        # torch.fx traces the root's forward and never keeps the root as a leaf: a bare layer (an nn.Conv2d) would
        # come out as the function it calls; wrapped, it is a one-layer network whose layer bears its class's name
        module = _one_layer(module)
    tracer = _Tracer()
    try:
        graph = tracer.trace(module)
    except Exception as e:  # noqa: BLE001 -- torch.fx raises several error types for untraceable control flow
        if any(is_symbolic(n) for n in shape):
            raise UnsupportedError(f"torch.fx could not trace {name}: {e}") from None
        # Python decides on sizes (`if x.shape[-1] < 7`, `max(pad, 0)`, `math.ceil(i / s)`): traced again with
        # an example input run alongside, so that those decisions are taken for this input size
        tracer = _Tracer(example=_example(shape))
        try:
            graph = tracer.trace(module)
        except Exception as again:  # noqa: BLE001
            raise UnsupportedError(f"torch.fx could not trace {name}: {again}") from None
    graph_module = torch.fx.GraphModule(tracer.root, graph)
    converter = _Converter(graph_module, name, shape, module)
    return converter.run(endpoint)


def _one_layer(layer: Any) -> Any:
    """A module whose only child is ``layer``, named by its class, applied to the input."""
    import torch

    name = type(layer).__name__

    class OneLayer(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.add_module(name, layer)

        def forward(self, x: Any) -> Any:
            return getattr(self, name)(x)

    return OneLayer()


def _example(shape: tuple[Any, ...]) -> Any:
    """A random input of symconv's shape (*S, C), in PyTorch's order with a batch of one."""
    import torch

    return torch.rand(1, shape[-1], *shape[:-1])


_NO_VALUE = object()
"""The example value of a node that could not be computed."""


@cache
def _tracer_class() -> Any:
    import torch
    import torch.fx

    class ExampleProxy(torch.fx.Proxy):  # type: ignore[misc]
        """A proxy that answers questions about sizes (``bool``, ``len``, ``int``) from the example run alongside."""

        def _example(self, question: str) -> Any:
            value = self.node.meta.get("example", _NO_VALUE)
            if value is _NO_VALUE or isinstance(value, torch.Tensor):
                # no example, or a question about a tensor's values (data-dependent control flow): not decided here
                raise torch.fx.proxy.TraceError(
                    f"symbolically traced variables cannot be used as inputs to control flow ({question} of a value "
                    "that is not a size)"
                )
            return value

        def __bool__(self) -> bool:
            return bool(self._example("bool"))

        def __len__(self) -> int:
            return len(self._example("len"))

        def __iter__(self) -> Any:
            value = self.node.meta.get("example", _NO_VALUE)
            if isinstance(value, (tuple, list, torch.Size)):
                return iter([self[j] for j in range(len(value))])  # type: ignore[index]
            return super().__iter__()

        def __int__(self) -> int:
            return int(self._example("int"))

        def __index__(self) -> int:
            return int(self._example("index"))

        def __ceil__(self) -> Any:
            return self.tracer.create_proxy("call_function", math.ceil, (self,), {})

        def __floor__(self) -> Any:
            return self.tracer.create_proxy("call_function", math.floor, (self,), {})

    class Tracer(torch.fx.Tracer):  # type: ignore[misc]
        """torch.fx's tracer, recording source lines, with torch.nn subclasses that keep their forward as leaves.

        With an ``example`` input, every node is also computed on it, so that Python's decisions on sizes
        take their values for that input; a decision on a tensor's values is still refused.
        """

        def __init__(self, example: Any = None) -> None:
            super().__init__()
            self.record_stack_traces = True
            self.example = example
            self.placeholders = 0
            self.computing = False  # running the example: modules are called and attributes read as they are

        def getattr(self, attr: str, attr_val: Any, parameter_proxy_cache: dict[str, Any]) -> Any:
            if self.computing:
                return attr_val
            return super().getattr(attr, attr_val, parameter_proxy_cache)

        def call_module(self, m: Any, forward: Any, args: Any, kwargs: Any) -> Any:
            if self.computing:
                return forward(*args, **kwargs)
            return super().call_module(m, forward, args, kwargs)

        def is_leaf_module(self, m: Any, qualname: str) -> bool:
            return module_kind(m) is not None or bool(super().is_leaf_module(m, qualname))

        def proxy(self, node: Any) -> Any:
            return ExampleProxy(node, self) if self.example is not None else super().proxy(node)

        def create_proxy(self, kind: str, target: Any, args: Any, kwargs: Any, *rest: Any, **named: Any) -> Any:
            proxy = super().create_proxy(kind, target, args, kwargs, *rest, **named)
            if self.example is not None and isinstance(proxy, torch.fx.Proxy):
                proxy.node.meta["example"] = self.run(kind, target, args, kwargs)
            return proxy

        def run(self, kind: str, target: Any, args: Any, kwargs: Any) -> Any:
            """The node's value on the example input (_NO_VALUE when it cannot be computed)."""

            def value(a: Any) -> Any:
                if isinstance(a, torch.fx.Proxy):
                    v = a.node.meta.get("example", _NO_VALUE)
                    if v is _NO_VALUE:
                        raise LookupError
                    return v
                if isinstance(a, (list, tuple)) and not hasattr(a, "_fields"):
                    return type(a)(value(x) for x in a)
                if isinstance(a, dict):
                    return {k: value(v) for k, v in a.items()}
                if isinstance(a, slice):
                    return slice(value(a.start), value(a.stop), value(a.step))
                return a

            self.computing = True
            try:
                with torch.no_grad():
                    if kind == "placeholder":
                        self.placeholders += 1
                        return self.example if self.placeholders == 1 else (args[0] if args else _NO_VALUE)
                    if kind == "get_attr":
                        obj: Any = self.root
                        for part in str(target).split("."):
                            obj = getattr(obj, part)
                        return obj
                    a, k = value(args), value(kwargs)
                    if kind == "call_function":
                        return target(*a, **k)
                    if kind == "call_method":
                        return getattr(a[0], target)(*a[1:], **k)
                    if kind == "call_module":
                        return self.root.get_submodule(target)(*a, **k)
            except Exception:  # noqa: BLE001 -- any failure leaves the value unknown (the plain tracer's answer)
                return _NO_VALUE
            finally:
                self.computing = False
            return _NO_VALUE

    return Tracer


def _Tracer(example: Any = None) -> Any:
    return _tracer_class()(example)


def _caller_level() -> int:
    """The stack level of the first frame outside symconv (a warning names the user's call, not symconv's)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    return level


def _flat(values: Any) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flat(v))
        elif isinstance(v, dict):
            out.extend(_flat(list(v.values())))
        else:
            out.append(v)
    return out


def _short(target: Any) -> str:
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def _source_line(node: Any) -> str:
    """The user's line that made the node (the innermost frame outside torch), as 'file.py:12: code'."""
    import os

    import torch

    inside = os.path.dirname(torch.__file__)
    here = os.path.dirname(os.path.abspath(__file__))
    trace = getattr(node, "stack_trace", None) or ""
    frames = re.findall(r'File "([^"]+)", line (\d+), in [^\n]*\n\s*([^\n]*)', trace)
    for path, line, code in reversed(frames):
        if path.startswith((inside, here)):
            continue
        short = "/".join(path.replace("\\", "/").split("/")[-2:])
        return f"{short}:{line}: {code.strip()}"
    return ""


def _module_path(node: Any) -> tuple[str, str]:
    """(path, class name) of the innermost module whose forward made the node ('', '' at the top level)."""
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return "", ""
    path, cls = list(stack.values())[-1]
    name = cls if isinstance(cls, str) else getattr(cls, "__name__", str(cls))
    return str(path), name.rsplit(".", 1)[-1]


class _Converter:
    """Walks the traced graph: one value per node (a tensor, a size, a parameter), a layer per operation."""

    def __init__(self, graph_module: Any, model: str, input_shape: tuple[Any, ...], root: Any = None) -> None:
        self.graph_module = graph_module
        self.root = graph_module if root is None else root
        self.model = model
        self.input_shape = input_shape
        self.modules = dict(graph_module.named_modules())
        self.values: dict[Any, Any] = {}
        self.used_names: set[str] = {INPUT}
        self.layers: list[Layer] = []
        self.tensors: dict[str, Source] = {INPUT: (input_shape, Field.start(len(input_shape) - 1))}
        self.layouts: dict[str, str] = {}
        self.nodes: dict[str, str] = {}
        self.errors: list[str] = []
        self.used: set[int] = set()
        self.learned: dict[int, int] = {}  # parameters and buffers read, by id: their elements (0 for a buffer)
        self.counting = Counting()
        self.ops: Ops = NUMERIC
        if any(is_symbolic(n) for n in input_shape):
            from symconv.catalogue.symbolic import SYMBOLIC

            self.ops = SYMBOLIC

    def unique(self, base: str) -> str:
        name, suffix = base, 2
        while name in self.used_names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.used_names.add(name)
        return name

    # -- the walk -------------------------------------------------------------------------------------
    def run(self, endpoint: str | None) -> TorchImport:
        outputs: dict[str, str] = {}
        placeholders = 0
        for node in self.graph_module.graph.nodes:
            if node.op == "output":
                outputs = self.outputs(node.args[0])
                continue
            if node.op == "placeholder":
                placeholders += 1
                if placeholders > 1:
                    if node.args:
                        self.values[node] = node.args[0]  # an optional argument left at its default
                        continue
                    raise UnsupportedError(
                        f"{self.model} takes more than one input; only one input tensor is supported"
                    )
                self.values[node] = TensorValue(INPUT, self.input_shape, "first")
                continue
            try:
                self.values[node] = self.visit(node)
            except UnsupportedError as e:
                self.errors.append(self.describe(node, str(e)))
                self.values[node] = UNKNOWN
        if self.errors:
            count = len(self.errors)
            raise UnsupportedError(
                f"{self.model}: {count} unsupported operation{'s' if count > 1 else ''} (symconv never counts an "
                "operation it does not know as zero):\n  " + "\n  ".join(self.errors)
            )
        if not self.layers:
            raise UnsupportedError(f"{self.model} has no layers")
        end = self.endpoint(endpoint, outputs)
        network = Network(tuple(self.input_shape), tuple(self.layers), end)
        return TorchImport(network, self.layouts, self.nodes, outputs, self.unused(), self.graph_module)

    def endpoint(self, endpoint: str | None, outputs: dict[str, str]) -> str:
        if endpoint is None:
            if not outputs:
                raise UnsupportedError(f"{self.model} returns no tensor computed by a layer")
            return next(iter(outputs.values()))
        if endpoint in outputs:
            return outputs[endpoint]
        if endpoint in self.tensors and endpoint != INPUT:
            return endpoint
        raise InputError(
            "endpoint", endpoint, f"neither a layer nor an output ({', '.join(repr(k) for k in outputs) or 'none'})"
        )

    def outputs(self, result: Any) -> dict[str, str]:
        """The module's outputs by key: dict keys, tuple/list positions, '' for a single tensor."""
        value = self.resolve(result)
        items: list[tuple[str, Any]]
        if isinstance(value, dict):
            items = [(str(k), v) for k, v in value.items()]
        elif isinstance(value, (tuple, list)):
            items = [(str(j), v) for j, v in enumerate(value)]
        else:
            items = [("", value)]
        return {k: v.name for k, v in items if isinstance(v, TensorValue) and v.name is not None and v.name != INPUT}

    def describe(self, node: Any, reason: str) -> str:
        path, cls = _module_path(node)
        if node.op == "call_module":
            where = f"{node.target} ({type(self.modules[node.target]).__name__})"
        else:
            where = f"{path} ({cls})" if path else f"{self.model} (top level)"
            reason = f"operation {_short(node.target)!r}: {reason}"
        line = _source_line(node)
        return f"{where}: {reason}" + (f" [{line}]" if line else "")

    def unused(self) -> dict[str, int]:
        """Modules with parameters no operation read, and their parameter counts (a warning names them)."""
        unused: dict[str, int] = {}
        for name, tensor in self.root.named_parameters(remove_duplicate=True):
            if id(tensor) not in self.used:
                top = name.split(".")[0]
                unused[top] = unused.get(top, 0) + int(tensor.numel())
        if unused:
            listed = ", ".join(f"{k} ({v:,} parameters)" for k, v in unused.items())
            warnings.warn(
                f"{self.model}: no traced operation reads the parameters of {listed}; they are not in the totals "
                "(a module outside the forward pass, e.g. an auxiliary head used only in training)",
                stacklevel=_caller_level(),
            )
        return unused

    # -- values ---------------------------------------------------------------------------------------
    def resolve(self, a: Any) -> Any:
        if hasattr(a, "op") and hasattr(a, "target"):
            return self.values[a]
        if isinstance(a, (list, tuple)):
            return type(a)(self.resolve(x) for x in a)
        if isinstance(a, dict):
            return {k: self.resolve(v) for k, v in a.items()}
        if isinstance(a, slice):
            return slice(self.resolve(a.start), self.resolve(a.stop), self.resolve(a.step))
        return a

    def visit(self, node: Any) -> Any:
        if node.op == "get_attr":
            return self.attribute(node.target)
        args = list(self.resolve(tuple(node.args)))
        kwargs = self.resolve(dict(node.kwargs))
        values = _flat([*args, *kwargs.values()])
        if node.op == "call_module":
            return self.module_call(node, args, kwargs, values)
        target = _short(node.target)
        if not any(isinstance(v, (TensorValue, ShapeOf, Parts)) for v in values):
            if any(isinstance(v, Param) for v in values):
                return self.parameter(node, target, args, kwargs)
            return self.python(node, target, args, kwargs)
        if any(isinstance(v, TensorValue) and not v.known for v in values):
            if target in _VIEWS or target in _SIZES or target in _by_function():
                return UNKNOWN  # downstream of an unsupported operation: checked, not imported
            raise UnsupportedError("not supported")
        if target in _SIZES:
            return self.sizes(target, args)
        path, _ = _module_path(node)
        base = f"{path}.{target}" if path else target
        call = TorchCall(self, node, base, args, kwargs, target)
        if target in _VIEWS:
            return self.view(node, call, target, base)
        kind = _by_function().get(target)
        module = "" if isinstance(node.target, str) else getattr(node.target, "__module__", "") or ""
        if kind is None or not (node.op == "call_method" or module.startswith(_FUNCTION_MODULES)):
            raise UnsupportedError("not supported")
        call.name = self.unique(base)
        layer = kind.from_torch_function(call)
        if layer is None:
            raise UnsupportedError("not supported in this form")
        return self.add(layer, call, node)

    def attribute(self, target: str) -> Any:
        import torch

        value: Any = self.graph_module
        for part in target.split("."):
            value = getattr(value, part)
        if isinstance(value, torch.Tensor):
            learned = int(value.numel()) if isinstance(value, torch.nn.Parameter) else 0
            self.learned[id(value)] = learned
            shape = tuple(int(n) for n in value.shape)
            return Param(target, shape, int(value.numel()), frozenset({id(value)}), learned, value)
        return value

    def module_call(self, node: Any, args: list[Any], kwargs: dict[str, Any], values: list[Any]) -> Any:
        m = self.modules[node.target]
        found = module_kind(m)
        if found is None:
            raise UnsupportedError(f"module {type(m).__name__} is not supported")
        if any(isinstance(v, TensorValue) and not v.known for v in values):
            return UNKNOWN
        kind, base_class = found
        call = TorchCall(self, node, self.unique(str(node.target)), args, kwargs, str(node.target), base_class)
        self.used.update(id(p) for p in m.parameters())
        return self.add(kind.from_torch_module(m, call), call, node)

    def add(self, layer: Layer, call: TorchCall, node: Any, layout: str | None = None) -> TensorValue:
        """Analyse the layer on the sizes it reads, record it, and return the tensor it makes."""
        sources = [self.tensors[name] for name in (*layer.inputs, *layer.references)]
        if any(t.expanded for t in call.tensors) and layer.kind not in _BROADCASTING:
            raise UnsupportedError(f"an expanded tensor read by a {layer.type_name} layer (only by element-wise ones)")
        reason = layer.inputs_error(len(layer.inputs))
        if reason:
            raise UnsupportedError(reason)
        info = layer.analyse(sources, self.counting, self.ops)
        self.layers.append(layer)
        self.tensors[layer.name] = (info.shape, info.field)
        if layout is None:
            layout = call.layout if call.layout in ("first", "last", "seq") else "first"
        if is_map(info.shape) and layout == "seq":
            raise UnsupportedError(f"a {layer.type_name} layer of a sequence of features that makes a map")
        if not is_map(info.shape) and layout != "seq":
            layout = "flat"
        self.layouts[layer.name] = layout
        self.nodes[layer.name] = node.name
        return TensorValue(layer.name, info.shape, layout)

    def view(self, node: Any, call: TorchCall, target: str, base: str) -> Any:
        """A view of the map: a change of layout (no layer) or a layer (flatten, shuffle, permutation, slice)."""
        ops = self.ops
        if target == "getitem":
            container, key = call.args[0], call.args[1]
            if isinstance(container, Parts):
                call.name = self.unique(f"{base.rsplit('.', 1)[0]}.{container.op}" if "." in base else container.op)
                call.inputs = (container.tensor.name,)  # type: ignore[assignment]
                call.source = container.tensor
                result: Any = views.part(call, container, key)
            elif isinstance(container, ShapeOf):
                return container.dims(ops)[key]
            elif isinstance(container, (tuple, list)):
                return container[key]
            else:
                call.name = self.unique(base)
                result = views.index(call, ops, key)
        else:
            call.name = self.unique(base)
            result = self._view(call, target, ops)
        if isinstance(result, (TensorValue, Parts)):
            self.used_names.discard(call.name)
            return result
        layer, layout = result
        return self.add(layer, call, node, layout)

    def _view(self, call: TorchCall, target: str, ops: Ops) -> Any:
        source = call.source
        if target in ("contiguous", "clone", "detach", "float", "to", "type_as"):
            return views.alias(source, groups=source.groups)
        if target in ("view", "reshape"):
            return views.reshape(call, ops)
        if target == "flatten":
            args = call.bind(("start_dim", "end_dim"), start_dim=0, end_dim=-1)
            return views.flatten(call, ops, args["start_dim"], args["end_dim"])
        if target == "unflatten":
            args = call.bind(("dim", "sizes"))
            return views.unflatten(call, ops, args["dim"], args["sizes"])
        if target == "permute":
            order = call.args[1:]
            if len(order) == 1 and isinstance(order[0], (tuple, list)):
                order = list(order[0])
            return views.permute(call, ops, list(call.kwargs.get("dims", order)))
        if target in ("transpose", "swapaxes", "swapdims"):
            args = call.bind(("dim0", "dim1"))
            return views.transpose(call, ops, args["dim0"], args["dim1"])
        if target == "unsqueeze":
            return views.unsqueeze(call, ops, call.bind(("dim",))["dim"])
        if target == "expand_as":
            other = call.args[1]
            if not isinstance(other, TensorValue) or not other.known:
                raise call.unsupported("expand_as of something that is not a tensor")
            return views.expand(call, ops, [BATCH, *views.torch_dims(other, ops)])
        if target == "expand":
            sizes = call.args[1:]
            if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
                sizes = list(sizes[0])
            if isinstance(sizes[0] if sizes else None, ShapeOf):
                sizes = list(sizes[0].dims(ops))
            return views.expand(call, ops, list(sizes))
        if target == "squeeze":
            return views.squeeze(call, ops, call.bind(("dim",), dim=None)["dim"])
        if target == "chunk":
            args = call.bind(("chunks", "dim"), dim=0)
            return views.channel_parts(call, ops, "chunk", args["chunks"], args["dim"])
        args = call.bind(("split_size_or_sections", "dim"), dim=0)
        return views.channel_parts(call, ops, "split", args["split_size_or_sections"], args["dim"])

    def sizes(self, target: str, args: list[Any]) -> Any:
        """``x.size()``, ``x.size(d)``, ``x.shape``, ``x.dim()``."""
        tensor = args[0]
        if not isinstance(tensor, TensorValue):
            raise UnsupportedError(f"{target} of {tensor!r}")
        shape = ShapeOf(tensor)
        if target == "getattr":
            if args[1] == "shape":
                return shape
            if args[1] == "ndim":
                return views.ndim(tensor, self.ops)
            if args[1] in ("dtype", "device"):
                import torch  # read by .to(…): a change symconv does not follow; the parameters are cast as the model does

                return torch.get_default_dtype() if args[1] == "dtype" else torch.device("cpu")
            raise UnsupportedError(f"the attribute {args[1]!r} of a tensor")
        if target == "dim":
            return views.ndim(tensor, self.ops)
        if target == "size" and len(args) > 1:
            return shape.dims(self.ops)[args[1]]
        if target in ("size",):
            return shape
        raise UnsupportedError(f"{target} of a tensor")

    def parameter(self, node: Any, target: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """An operation on parameters alone (a view of a layer scale, a standardised weight), evaluated on them: a
        :class:`Param`, or the sizes of one (``weight.shape[-2:]``)."""
        import torch

        if target not in _PARAMETER_VIEWS:
            raise UnsupportedError(f"{target} of a parameter")
        params = [v for v in _flat([*args, *kwargs.values()]) if isinstance(v, Param)]

        def plain(v: Any) -> Any:
            if isinstance(v, Param):
                return v.value
            if isinstance(v, Dim):
                if v.size is BATCH:
                    return 1
                if not isinstance(v.size, int):
                    raise UnsupportedError(f"a {target} of a parameter to the size {v.size}, not a number")
                return v.size
            if isinstance(v, (list, tuple)):
                return type(v)(plain(x) for x in v)
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        with torch.no_grad():
            if node.op == "call_method":
                result = getattr(plain(args[0]), node.target)(*plain(args[1:]), **plain(kwargs))
            else:
                result = node.target(*plain(args), **plain(kwargs))
        if isinstance(result, (int, tuple)) and all(isinstance(n, int) for n in _flat([result])):
            return tuple(result) if isinstance(result, tuple) else result  # a parameter's sizes (weight.shape[-2:])
        if not isinstance(result, torch.Tensor):
            raise UnsupportedError(f"{target} of a parameter that is not a tensor")
        sources = frozenset().union(*(p.sources for p in params))
        learned = sum(self.learned[ident] for ident in sources)
        shape = tuple(int(n) for n in result.shape)
        return Param(params[0].path, shape, int(result.numel()), sources, learned, result)

    def python(self, node: Any, target: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """Arithmetic on sizes and constants, evaluated (``x.size(1) // 2``, ``shape[-2:]``); comparisons and
        ``torch._assert`` on them checked."""
        if target in _COMPARISONS:
            return self.compare(target, args)
        if target == "_assert":
            condition, message = (list(args) + [kwargs.get("assert_msg", "")])[:2]
            if condition is False:
                raise UnsupportedError(f"the model's assertion fails: {message}")
            return None
        func = _PYTHON.get(target)
        if func is None:
            raise UnsupportedError("not supported")
        if target == "getitem" and isinstance(args[0], (tuple, list)):
            return args[0][args[1]]
        plain = [a.size if isinstance(a, Dim) else a for a in args]
        if any(a is BATCH for a in plain):
            raise UnsupportedError("arithmetic on the batch size")
        return func(*plain, **kwargs)

    def compare(self, target: str, args: list[Any]) -> Any:
        """A comparison of sizes: True or False, or None when symbolic sizes do not decide it."""
        a, b = (x.size if isinstance(x, Dim) else x for x in args[:2])
        if a is BATCH or b is BATCH:
            raise UnsupportedError("a comparison of the batch size")
        if not all(isinstance(x, (int, float)) or is_symbolic(x) for x in (a, b)):
            return getattr(operator, target)(a, b)  # strings, tuples: as Python compares them
        verdict = self.ops.compare(a, b)
        return None if verdict is None else verdict in _COMPARISONS[target]


_FUNCTION_MODULES = ("torch", "_operator", "operator", "torchvision", "builtins")
"""Modules whose functions may stand for a layer kind (a user function of the same name does not)."""
