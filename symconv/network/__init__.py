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
    Add,
    BatchNorm,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    GlobalPool,
    Identity,
    Linear,
    Pool,
)
from symconv.network.model import INPUT, Layer, Network, Padding
from symconv.network.problem import NetworkResult, network
from symconv.network.spec import network_from_spec

_LAZY = {
    "from_torch": "symconv.network.torch_import",
    "closed_forms": "symconv.network.symbolic",
    "substitute": "symconv.network.symbolic",
}

__all__ = [
    "INPUT", "Activation", "AdaptiveAvgPool", "Add", "Analysis", "BatchNorm", "Concat", "Conv", "ConvTranspose",
    "Counting", "Dropout", "Flatten", "GlobalPool", "Identity", "Layer", "LayerInfo", "Linear", "Network",
    "NetworkResult", "Padding", "Pool", "analyse", "closed_forms", "from_torch", "network", "network_from_spec",
    "substitute",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'symconv.network' has no attribute {name!r}")
