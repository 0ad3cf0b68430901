"""One model imported with symconv and compared with PyTorch: parameters, MACs, every layer's shape (the zoo checks)."""

from __future__ import annotations

import time
import warnings
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from symconv.network.analysis import analyse
from symconv.network.torch_import import trace_torch


def torch_shape(shape: tuple[Any, ...], layout: str) -> tuple[int, ...]:
    """symconv's (*S, C) or (F,) as PyTorch's (1, …) in the layer's layout ('seq': a vector read as a sequence)."""
    if layout == "seq":
        return (1, 1, *shape)
    if layout == "flat" or len(shape) == 1:
        return (1, *shape)
    if layout == "last":
        return (1, *shape)
    return (1, shape[-1], *shape[:-1])


def compare(model: Any, shape: tuple[int, ...]) -> dict[str, Any]:
    """symconv's figures and PyTorch's for ``model`` on an input of ``shape`` (C, H, W): parameters (``numel``),
    MACs (FlopCounterMode / 2), the layers whose output shape differs from the traced graph run forward, the
    import's time and the modules no traced operation reads."""
    params_torch = sum(p.numel() for p in model.parameters())
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        imported = trace_torch(model, list(shape))
    analysis = analyse(imported.network)
    seconds = time.perf_counter() - start

    outputs: dict[str, tuple[int, ...]] = {}

    class Recorder(torch.fx.Interpreter):  # type: ignore[misc]
        def run_node(self, n: Any) -> Any:
            out = super().run_node(n)
            if isinstance(out, torch.Tensor):
                outputs[n.name] = tuple(out.shape)
            return out

    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        Recorder(imported.graph_module).run(torch.rand(1, *shape))
    return {
        "params": analysis.parameters,
        "params_torch": params_torch,
        "unused": sum(imported.unused.values()),
        "macs": analysis.macs,
        "macs_torch": counter.get_total_flops() // 2,
        "layers": len(analysis.layers),
        "mismatched": [
            info.name
            for info in analysis.layers
            if outputs.get(imported.nodes[info.name]) != torch_shape(info.shape, imported.layouts[info.name])
        ],
        "seconds": seconds,
        "warnings": [
            str(w.message) for w in caught if "symconv" in str(w.filename) or "not in the totals" in str(w.message)
        ],
    }
