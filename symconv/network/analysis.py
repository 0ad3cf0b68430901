"""Per-layer output shapes, receptive fields, parameters and MACs of a network, from its architecture alone.

One walk over the layers in topological order: each layer's kind (symconv.network.kinds) applies its
rules, which evaluate the catalogue's compositions (symconv.catalogue.rules) on an arithmetic backend.
:data:`NUMERIC` evaluates them on exact ints and fractions; this module imports neither SymPy nor
torch, so the numeric table of a whole network is cheap. symconv.network.symbolic runs the same
walk on the backend that keeps H and W as symbols, so the closed forms and the numbers come from the
same walk and cannot disagree.

Receptive fields follow Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional
Neural Networks", Distill 2019: per axis, the receptive field RF, the effective stride S and the
effective (top/left) padding P, all in input pixels, with RF_0 = 1, S_0 = 1, P_0 = 0.
"""

from __future__ import annotations

from symconv.catalogue.backend import NUMERIC, Ops
from symconv.catalogue.rules import Window
from symconv.core.limits import MAX_SYMBOLIC_RESAMPLING, within
from symconv.network.info import AXES, Analysis, Counting, Field, LayerInfo, Source
from symconv.network.model import INPUT, Network

SYMBOLIC_STRIDED = "layers with a stride other than 1 in a network whose input size is a symbol"

__all__ = ["AXES", "NUMERIC", "Analysis", "Counting", "Field", "LayerInfo", "Ops", "Window", "analyse"]


def analyse(network: Network, counting: Counting | None = None, ops: Ops = NUMERIC) -> Analysis:
    """Output shape, receptive field, effective stride and padding, parameters and MACs of every layer.

    Args:
        network: the architecture (see :mod:`symconv.network.model`).
        counting: the counting conventions (default: torchvision's, see :class:`Counting`).
        ops: the arithmetic backend (exact numbers by default).

    Returns:
        An :class:`Analysis`; sizes in pixels, receptive fields in input pixels.

    Raises:
        InputError: a kernel larger than its padded input, an add of mismatched shapes, a concat of
            mismatched spatial sizes, paths merging with different effective strides, channels that
            do not divide into the groups, a linear layer reading a map larger than 1 × 1.
    """
    counting = counting or Counting()
    if any(not ops.is_number(n) for n in network.input[:-1]):
        # each layer that resamples a symbolic size nests one more floor in every later closed form
        strided = len([layer for layer in network.layers if any(step != 1 for step in getattr(layer, "stride", (1,)))])
        within("layers", f"<{strided} strided layers>", strided, MAX_SYMBOLIC_RESAMPLING, SYMBOLIC_STRIDED)
    tensors: dict[str, Source] = {INPUT: (tuple(network.input), Field.start(len(network.input) - 1))}
    infos: list[LayerInfo] = []
    for layer in network.layers:
        info = layer.analyse([tensors[name] for name in (*layer.inputs, *layer.references)], counting, ops)
        infos.append(info)
        tensors[layer.name] = (info.shape, info.field)
    return Analysis(network, counting, infos)
