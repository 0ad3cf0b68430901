"""Turn a PyTorch ``nn.Module`` into a symconv Network (torch imported only when this is called).

The module is traced with torch.fx, so nn.Sequential and graphs with branches (residual adds,
concatenations) both work. Every node must map onto a symconv layer: an unsupported module or
function raises :class:`symconv.errors.UnsupportedError` naming it, so nothing is ever counted as
zero by omission. Install with the extra ``symconv[torch]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from symconv.core.arith import check_integer
from symconv.core.coerce import public
from symconv.errors import InputError, UnsupportedError
from symconv.network.model import INPUT, Layer, Network, layer_kinds


@cache
def _by_module() -> dict[str, type[Layer]]:
    """Layer kind by the name of the torch.nn module class it stands for."""
    return {name: kind for kind in layer_kinds() for name in kind.torch_modules}


@cache
def _by_function() -> dict[str, type[Layer]]:
    """Layer kind by the name of the torch function (or tensor method) it stands for."""
    return {name: kind for kind in layer_kinds() for name in kind.torch_functions}


def _module_layer(m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
    cls = type(m).__name__
    kind = _by_module().get(cls)
    if kind is None or not type(m).__module__.startswith("torch.nn"):
        raise UnsupportedError(
            f"module {name!r} ({cls}) is not supported; symconv never counts a module it does not know as zero"
        )
    return kind.from_torch_module(m, name, inputs)


def _function_layer(node: Any, name: str, sources: list[str]) -> Layer:
    """The layer of a call_function or call_method node: the kind registered for its name, if it is torch's."""
    target = node.target
    short = target if isinstance(target, str) else getattr(target, "__name__", str(target))
    module = "" if isinstance(target, str) else getattr(target, "__module__", "") or ""
    kind = _by_function().get(short)
    if kind is not None and (node.op == "call_method" or module.startswith(("torch", "_operator"))):
        layer = kind.from_torch_function(node, name, sources, short)
        if layer is not None:
            return layer
    raise UnsupportedError(
        f"operation {short!r} at {node.name!r} is not supported; symconv never counts an operation it does not know as zero"
    )


@public(raw=("module",))
def from_torch(module: Any, input_shape: Sequence[Any], *, endpoint: str | None = None) -> Network:
    """The symconv :class:`Network` of a PyTorch module, traced with torch.fx.

    Args:
        module: an ``nn.Module`` (``nn.Sequential`` or any module torch.fx can trace).
        input_shape: PyTorch order, ``(C, H, W)`` or ``(N, C, H, W)`` (N is ignored); H and W may be
            symbol names such as ``"H"`` for closed forms.
        endpoint: the layer whose receptive field is the answer (default: the module's output).

    Supported: Conv2d (groups, dilation, every padding mode, 'same'/'valid'), ConvTranspose2d,
    MaxPool2d/AvgPool2d (ceil_mode), AdaptiveAvgPool2d, Linear, BatchNorm2d/1d, Flatten, Identity,
    Dropout, parameter-free activations (modules and functions), ``+``/``torch.add``, ``torch.cat``
    along the channels, ``torch.flatten(x, 1)``, ``x.view(x.size(0), -1)``, ``F.adaptive_avg_pool2d``. Layer names are the modules' qualified names.

    Raises:
        UnsupportedError: a module or operation with no symconv counterpart (named in the message).
        InputError: a malformed input shape.
    """
    try:
        import torch.fx
    except ImportError:
        raise UnsupportedError("from_torch needs PyTorch: pip install 'symconv[torch]'") from None
    if not isinstance(module, torch.nn.Module):
        raise InputError("module", type(module).__name__, "expected a torch.nn.Module")
    if endpoint is not None and not isinstance(endpoint, str):
        raise InputError("endpoint", endpoint, "expected a layer name")
    if not isinstance(input_shape, list):
        raise InputError("input_shape", input_shape, "expected (C, H, W) or (N, C, H, W)")
    shape = list(input_shape)
    if len(shape) == 4:
        shape = shape[1:]
    if len(shape) != 3:
        raise InputError("input_shape", list(input_shape), "expected (C, H, W) or (N, C, H, W)")
    c = check_integer(shape[0], "input_shape[C]", minimum=1)
    h = check_integer(shape[1], "input_shape[H]", minimum=1)
    w = check_integer(shape[2], "input_shape[W]", minimum=1)
    if not isinstance(c, int):
        raise InputError("input_shape[C]", shape[0], "the channels must be a number")
    try:
        graph_module = torch.fx.symbolic_trace(module)
    except Exception as e:  # noqa: BLE001 -- torch.fx raises several error types for untraceable control flow
        raise UnsupportedError(f"torch.fx could not trace {type(module).__name__}: {e}") from None
    layers, output = _Converter(graph_module, type(module).__name__).layers()
    return Network((h, w, c), tuple(layers), endpoint or output or layers[-1].name)


class _Converter:
    """Walks the traced graph: the input, one layer per module or function call (named uniquely), the output."""

    def __init__(self, graph_module: Any, model: str) -> None:
        self.graph_module = graph_module
        self.model = model
        self.modules = dict(graph_module.named_modules())
        self.names: dict[Any, str | None] = {}
        self.used: set[str] = {INPUT}

    def unique(self, base: str) -> str:
        name, suffix = base, 2
        while name in self.used:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.used.add(name)
        return name

    def layers(self) -> tuple[list[Layer], str | None]:
        """The layers in graph order and the name of the tensor the module returns."""
        layers: list[Layer] = []
        output: str | None = None
        for node in self.graph_module.graph.nodes:
            if node.op == "placeholder":
                if INPUT in self.names.values():
                    raise UnsupportedError(f"{self.model} takes more than one input; only one image input is supported")
                self.names[node] = INPUT
            elif node.op == "output":
                result = node.args[0]
                if not hasattr(result, "op"):
                    raise UnsupportedError(
                        "the module returns a tuple or a constant; only one tensor output is supported"
                    )
                output = self.names[result]
            elif node.op == "get_attr":
                raise UnsupportedError(f"attribute {node.target!r} used as a tensor is not supported")
            elif is_batch_size(node):
                self.names[node] = None  # x.size(0): a number used by x.view(x.size(0), -1), not a tensor
            else:
                layers.append(self.layer(node))
        if not layers:
            raise UnsupportedError(f"{self.model} has no layers")
        return layers, output

    def layer(self, node: Any) -> Layer:
        read = [self.names[a] for a in _flat_nodes(node.args) + _flat_nodes(list(node.kwargs.values()))]
        sources = [source for source in read if source is not None]
        if node.op == "call_module":
            layer = _module_layer(self.modules[node.target], self.unique(str(node.target)), tuple(sources))
        else:
            layer = _function_layer(node, self.unique(str(node.name)), sources)
        self.names[node] = layer.name
        return layer


def is_batch_size(node: Any) -> bool:
    """Whether ``node`` is ``x.size(0)`` (fx records it as a call_method node)."""
    return node.op == "call_method" and node.target == "size" and len(node.args) == 2 and node.args[1] == 0


def _flat_nodes(args: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out.extend(_flat_nodes(a))
        elif hasattr(a, "op"):
            out.append(a)
    return out
