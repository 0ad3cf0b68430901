"""Shared checks of imported PyTorch models against PyTorch itself: parameters, MACs, every shape, receptive fields."""

from __future__ import annotations

from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from symconv.network.analysis import Analysis, analyse
from symconv.network.torch_import import TorchImport, trace_torch

nn = torch.nn


def torch_shape(shape: tuple[Any, ...], layout: str) -> tuple[Any, ...]:
    """symconv's (*S, C) or (F,) as PyTorch's (1, …) in the layer's layout ('first', 'last', 'flat' or 'seq')."""
    if layout == "seq":
        return (1, 1, *shape)
    if layout in ("flat", "last") or len(shape) == 1:
        return (1, *shape)
    return (1, shape[-1], *shape[:-1])


def node_outputs(imported: TorchImport, x: Any) -> dict[str, tuple[int, ...]]:
    """The shape of every tensor the traced graph computes on ``x``, by fx node name."""
    outputs: dict[str, tuple[int, ...]] = {}

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n: Any) -> Any:
            out = super().run_node(n)
            if isinstance(out, torch.Tensor):
                outputs[n.name] = tuple(out.shape)
            return out

    with torch.no_grad():
        Recorder(imported.graph_module).run(x)
    return outputs


def torch_macs(model: Any, x: Any) -> int:
    """FlopCounterMode's total / 2: convolutions and matrix products, 2 FLOPs per multiply-accumulate."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    return int(counter.get_total_flops()) // 2


def matches_torch(
    model: Any, shape: tuple[int, ...], import_shape: tuple[int, ...] | None = None
) -> tuple[TorchImport, Analysis]:
    """Import ``model`` (with ``import_shape``, default ``shape``: the batch may be given) and assert parameters,
    MACs and every layer's output shape equal PyTorch's on an input of ``shape``."""
    model = model.eval()
    imported = trace_torch(model, import_shape or shape)
    a = analyse(imported.network)
    x = torch.rand(1, *shape)
    assert a.parameters == sum(p.numel() for p in model.parameters())
    assert a.macs == torch_macs(model, x)
    outputs = node_outputs(imported, x)
    for info in a.layers:
        expected = outputs[imported.nodes[info.name]]
        assert torch_shape(info.shape, imported.layouts[info.name]) == expected, info.name
    return imported, a


def positive(model: Any, seed: int = 0) -> Any:
    """Positive weights (below 1/fan-in: activations stay small, no gate saturates) and positive, varied norm
    scales, in eval mode: no gradient can cancel, so the pixels a gradient reaches are the receptive field."""
    torch.manual_seed(seed)
    for m in model.modules():
        for name, p in m.named_parameters(recurse=False):
            with torch.no_grad():
                if name == "weight" and p.dim() > 1:
                    fan_in = p[0].numel()
                    p.uniform_(0.1 / fan_in, 1.0 / fan_in)
                elif name == "bias":
                    p.fill_(0.01)
                else:  # norm scales, layer scales, PReLU slopes
                    p.uniform_(0.5, 1.5)
    return model.eval()


def gradient_spans(
    model: Any, shape: tuple[int, ...], probe: tuple[int, ...], output: Any = None
) -> list[tuple[int, int]]:
    """Per spatial axis, the first and last input pixel whose gradient reaches output position ``probe``."""
    x = (torch.rand(1, *shape, dtype=torch.float64) + 0.5).requires_grad_()
    out = model.double()(x)
    if output is not None:
        out = out[output]
    out[(0, slice(None), *probe)].sum().backward()
    hit = x.grad[0].abs().sum(0) > 0
    spans = []
    for axis in range(hit.dim()):
        others = tuple(a for a in range(hit.dim()) if a != axis)
        used = hit.any(dim=others) if others else hit
        idx = used.nonzero().flatten()
        spans.append((int(idx.min()), int(idx.max())))
    return spans


def field_matches_gradient(
    model: Any, shape: tuple[int, ...], output: Any = None, endpoint: str | None = None, phase: int = 1
) -> None:
    """The input pixels whose gradient reaches the middle output position are exactly
    [x S − P, x S − P + RF − 1] on each axis (clipped to the input), with symconv's RF, S and P.

    ``phase``: after upsampling by s the formula holds at every s-th output (the others read a window at
    most as large, starting up to s − 1 outputs later): the probe is then the middle multiple of s."""
    model = positive(model)
    imported = trace_torch(model, shape, endpoint=endpoint)
    end = analyse(imported.network).endpoint
    sizes = end.shape[:-1]
    probe = tuple(n // 2 // phase * phase for n in sizes)
    expected = []
    for axis, (x, size) in enumerate(zip(probe, shape[1:])):
        start = x * end.field.jump[axis] - end.field.pad[axis]
        stop = start + end.field.rf[axis] - 1
        assert start == int(start), "choose a probe where the field starts on a pixel"
        expected.append((max(int(start), 0), min(int(stop), size - 1)))
    assert gradient_spans(model, shape, probe, output) == expected
