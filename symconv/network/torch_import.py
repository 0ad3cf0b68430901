"""Turn a PyTorch ``nn.Module`` into a symconv Network (torch imported only when this is called).

The module is traced with torch.fx, so nn.Sequential and graphs with branches (residual adds,
concatenations) both work. Every node must map onto a symconv layer: an unsupported module or
function raises :class:`symconv.errors.UnsupportedError` naming it, so nothing is ever counted as
zero by omission. Install with the extra ``symconv[torch]``.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from symconv.core.arith import check_integer
from symconv.errors import InputError, UnsupportedError
from symconv.network.model import (
    INPUT,
    SAME,
    VALID,
    Activation,
    AdaptiveAvgPool,
    Add,
    BatchNorm,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    Identity,
    Layer,
    Linear,
    Network,
    Padding,
    Pool,
)

# Parameter-free element-wise modules (class name → activation name).
_ACTIVATION_MODULES = {
    "ReLU": "relu", "ReLU6": "relu6", "LeakyReLU": "leaky_relu", "ELU": "elu", "SELU": "selu", "CELU": "celu",
    "GELU": "gelu", "SiLU": "silu", "Mish": "mish", "Sigmoid": "sigmoid", "Hardsigmoid": "hardsigmoid",
    "Tanh": "tanh", "Hardtanh": "hardtanh", "Hardswish": "hardswish", "Softplus": "softplus",
    "Softsign": "softsign", "Softmax": "softmax", "LogSoftmax": "log_softmax",
}  # fmt: skip
_DROPOUT_MODULES = {"Dropout", "Dropout2d", "AlphaDropout", "FeatureAlphaDropout"}
_ACTIVATION_FUNCTIONS = {
    "relu", "relu_", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish", "sigmoid",
    "hardsigmoid", "tanh", "hardtanh", "hardswish", "softplus", "softsign", "softmax", "log_softmax",
}  # fmt: skip


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def _conv(m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
    if isinstance(m.padding, str):
        # PyTorch's 'same' (stride 1 only) puts the extra pixel after, as TensorFlow's rule does.
        padding = SAME if m.padding == "same" else VALID
    else:
        padding = Padding.symmetric(*_pair(m.padding))
    return Conv(
        name=name,
        inputs=inputs,
        filters=m.out_channels,
        kernel=_pair(m.kernel_size),
        stride=_pair(m.stride),
        padding=padding,
        dilation=_pair(m.dilation),
        groups=m.groups,
        bias=m.bias is not None,
    )


def _conv_transpose(m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
    return ConvTranspose(
        name=name,
        inputs=inputs,
        filters=m.out_channels,
        kernel=_pair(m.kernel_size),
        stride=_pair(m.stride),
        padding=_pair(m.padding),
        output_padding=_pair(m.output_padding),
        dilation=_pair(m.dilation),
        groups=m.groups,
        bias=m.bias is not None,
    )


def _pool(m: Any, name: str, inputs: tuple[str, ...], op: str) -> Layer:
    if getattr(m, "return_indices", False):
        raise UnsupportedError(f"module {name!r} ({type(m).__name__}): return_indices=True is not supported")
    kernel = _pair(m.kernel_size)
    stride = _pair(m.stride) if m.stride not in (None, ()) else kernel
    return Pool(
        name=name,
        inputs=inputs,
        op=op,
        kernel=kernel,
        stride=stride,
        padding=Padding.symmetric(*_pair(m.padding)),
        dilation=_pair(getattr(m, "dilation", 1)),
        ceil_mode=bool(m.ceil_mode),
    )


def _module_layer(m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
    from torch import nn

    cls = type(m).__name__
    if type(m) is nn.Conv2d:
        return _conv(m, name, inputs)
    if type(m) is nn.ConvTranspose2d:
        if m.padding_mode != "zeros":
            raise UnsupportedError(
                f"module {name!r} (ConvTranspose2d): padding_mode {m.padding_mode!r} is not supported"
            )
        return _conv_transpose(m, name, inputs)
    if type(m) is nn.MaxPool2d:
        return _pool(m, name, inputs, "max")
    if type(m) is nn.AvgPool2d:
        return _pool(m, name, inputs, "avg")
    if type(m) is nn.AdaptiveAvgPool2d:
        out = m.output_size if isinstance(m.output_size, (tuple, list)) else (m.output_size, m.output_size)
        if any(o is None for o in out):
            raise UnsupportedError(f"module {name!r} (AdaptiveAvgPool2d): an output size of None is not supported")
        return AdaptiveAvgPool(
            name=name, inputs=inputs, output=(int(out[0] or 0), int(out[1] or 0))
        )  # None ruled out above
    if type(m) is nn.Linear:
        return Linear(name=name, inputs=inputs, outputs=m.out_features, bias=m.bias is not None)
    if type(m) in (nn.BatchNorm2d, nn.BatchNorm1d):
        return BatchNorm(name=name, inputs=inputs, affine=bool(m.affine))
    if type(m) is nn.Flatten:
        if m.start_dim != 1 or m.end_dim != -1:
            raise UnsupportedError(f"module {name!r} (Flatten): only start_dim=1, end_dim=-1 is supported")
        return Flatten(name=name, inputs=inputs)
    if type(m) is nn.Identity:
        return Identity(name=name, inputs=inputs)
    if cls in _DROPOUT_MODULES and type(m).__module__.startswith("torch.nn"):
        return Dropout(name=name, inputs=inputs, rate=float(m.p))
    if cls in _ACTIVATION_MODULES and type(m).__module__.startswith("torch.nn"):
        return Activation(name=name, inputs=inputs, function=_ACTIVATION_MODULES[cls])
    raise UnsupportedError(
        f"module {name!r} ({cls}) is not supported; symconv never counts a module it does not know as zero"
    )


def _function_layer(node: Any, name: str, sources: list[str], target_name: str) -> Layer:
    import torch

    target = node.target
    args = list(node.args)
    kwargs = dict(node.kwargs)
    node_args = [a for a in args if hasattr(a, "op")]
    if target in (operator.add, operator.iadd, torch.add) or (node.op == "call_method" and target in ("add", "add_")):
        if len(node_args) != 2 or len(args) != 2 or kwargs.get("alpha", 1) != 1:
            raise UnsupportedError(f"{target_name} at {node.name!r}: only the sum of two tensors is supported")
        return Add(name=name, inputs=tuple(sources))
    if target is torch.cat:
        dim = args[1] if len(args) > 1 else kwargs.get("dim", 0)
        if dim not in (1, -3):
            raise UnsupportedError(
                f"torch.cat at {node.name!r}: only concatenation along the channels (dim=1) is supported"
            )
        return Concat(name=name, inputs=tuple(sources))
    if node.op == "call_method" and target in ("view", "reshape"):
        # x.view(x.size(0), -1) / x.reshape(N, -1): the flatten of older model code.
        shape = list(args[1]) if len(args) == 2 and isinstance(args[1], (tuple, list)) else list(args[1:])
        if (
            len(shape) == 2
            and shape[1] == -1
            and (shape[0] == 1 or (hasattr(shape[0], "op") and _is_batch_size(shape[0])))
        ):
            return Flatten(name=name, inputs=tuple(sources))
        raise UnsupportedError(f"{target} at {node.name!r}: only x.view(x.size(0), -1) (a flatten) is supported")
    if target is torch.nn.functional.adaptive_avg_pool2d:
        out = args[1] if len(args) > 1 else kwargs.get("output_size")
        size = out if isinstance(out, (tuple, list)) else (out, out)
        if any(not isinstance(n, int) for n in size):
            raise UnsupportedError(f"adaptive_avg_pool2d at {node.name!r}: the output size must be integers")
        return AdaptiveAvgPool(name=name, inputs=tuple(sources), output=(size[0], size[1]))
    if target is torch.flatten or (node.op == "call_method" and target == "flatten"):
        start = args[1] if len(args) > 1 else kwargs.get("start_dim", 0)
        end = args[2] if len(args) > 2 else kwargs.get("end_dim", -1)
        if start != 1 or end != -1:
            raise UnsupportedError(f"flatten at {node.name!r}: only start_dim=1, end_dim=-1 is supported")
        return Flatten(name=name, inputs=tuple(sources))
    short = target if isinstance(target, str) else getattr(target, "__name__", "")
    if short in _ACTIVATION_FUNCTIONS and len(node_args) == 1:
        module = getattr(target, "__module__", "") or ""
        if node.op == "call_method" or module.startswith("torch"):
            return Activation(name=name, inputs=tuple(sources), function=short.rstrip("_"))
    raise UnsupportedError(
        f"{target_name} at {node.name!r} is not supported; symconv never counts an operation it does not know as zero"
    )


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
    import torch.fx

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
    modules = dict(graph_module.named_modules())
    names: dict[Any, str | None] = {}
    used: set[str] = {INPUT}
    layers: list[Layer] = []
    output: str | None = None

    def unique(base: str) -> str:
        name, k = base, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        return name

    for node in graph_module.graph.nodes:
        if node.op == "placeholder":
            if INPUT in names.values():
                raise UnsupportedError(
                    f"{type(module).__name__} takes more than one input; only one image input is supported"
                )
            names[node] = INPUT
            continue
        if node.op == "output":
            result = node.args[0]
            if not hasattr(result, "op"):
                raise UnsupportedError("the module returns a tuple or a constant; only one tensor output is supported")
            output = names[result]
            continue
        if node.op == "get_attr":
            raise UnsupportedError(f"attribute {node.target!r} used as a tensor is not supported")
        if _is_batch_size(node):
            names[node] = None  # x.size(0): a number used by x.view(x.size(0), -1), not a tensor
            continue
        read = [names[a] for a in _flat_nodes(node.args) + _flat_nodes(list(node.kwargs.values()))]
        sources = [source for source in read if source is not None]
        if node.op == "call_module":
            name = unique(str(node.target))
            layer = _module_layer(modules[node.target], name, tuple(sources))
        else:
            target_name = (
                node.target if isinstance(node.target, str) else getattr(node.target, "__name__", str(node.target))
            )
            name = unique(str(node.name))
            layer = _function_layer(node, name, sources, f"operation {target_name!r}")
        names[node] = name
        layers.append(layer)
    if not layers:
        raise UnsupportedError(f"{type(module).__name__} has no layers")
    return Network((h, w, c), tuple(layers), endpoint or output or layers[-1].name)


def _is_batch_size(node: Any) -> bool:
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
