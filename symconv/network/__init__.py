"""Whole networks: per-layer shapes, receptive fields, parameters and MACs, numeric or in closed form.

``network(spec)`` is the problem (a Result with the per-layer table); ``network_from_spec`` reads the
``type = "network"`` problem table; ``from_torch`` converts a PyTorch module (torch imported lazily);
``closed_forms`` runs the same walk with H and W as SymPy symbols (SymPy imported lazily).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from symconv.network.analysis import Analysis, Counting, LayerInfo, analyse
from symconv.network.kinds import (
    Activation,
    AdaptiveAvgPool,
    AdaptivePool,
    Add,
    BatchNorm,
    ChannelShuffle,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Elementwise,
    Flatten,
    GlobalPool,
    Identity,
    Interpolate,
    Linear,
    Norm,
    Pad,
    Permute,
    PixelShuffle,
    Pool,
    Slice,
)
from symconv.network.model import INPUT, Layer, Network, Padding
from symconv.network.problem import NetworkResult, network
from symconv.network.spec import network_from_spec

_LAZY = {
    "from_torch": "symconv.network.torch_import",
    "trace_torch": "symconv.network.torch_import",
    "from_onnx": "symconv.network.onnx_import",
    "closed_forms": "symconv.network.symbolic",
    "substitute": "symconv.network.symbolic",
}

__all__ = [
    "INPUT", "Activation", "AdaptiveAvgPool", "AdaptivePool", "Add", "Analysis", "BatchNorm", "ChannelShuffle",
    "Concat", "Conv", "ConvTranspose", "Counting", "Dropout", "Elementwise", "Flatten", "GlobalPool", "Identity",
    "Interpolate", "Layer", "LayerInfo", "Linear", "Network", "NetworkResult", "Norm", "Pad", "Padding", "Permute",
    "PixelShuffle", "Pool", "Slice", "analyse", "closed_forms", "from_onnx", "from_torch", "network",
    "network_from_spec", "substitute", "trace_torch",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'symconv.network' has no attribute {name!r}")
