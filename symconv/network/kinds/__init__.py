"""The kinds of layer a network may hold: one module per family, each kind one class with all its rules.

A kind (a subclass of :class:`symconv.network.model.Layer`) states in one place its fields, the keys
of its problem-file table, the PyTorch modules and functions it stands for, and its rules: output
shape, receptive field and costs through the catalogue's compositions, and the steps of its row.
Defining the class registers it; a new kind is a new class here (and its import below).
"""

from __future__ import annotations

# The order here is the order of the kinds in messages and conventions.
from symconv.network.kinds.conv import Conv, ConvTranspose, FeatureConv  # isort: skip
from symconv.network.kinds.pool import AdaptiveAvgPool, AdaptivePool, ChannelPool, GlobalPool, Pool  # isort: skip
from symconv.network.kinds.linear import Flatten, Linear  # isort: skip
from symconv.network.kinds.elementwise import Activation, BatchNorm, Dropout, Identity, Norm  # isort: skip
from symconv.network.kinds.merge import Add, Concat, Elementwise  # isort: skip
from symconv.network.kinds.resize import Interpolate  # isort: skip
from symconv.network.kinds.shape import ChannelShuffle, Pad, Permute, PixelShuffle, Slice, ToMap  # isort: skip

__all__ = [
    "Activation",
    "AdaptiveAvgPool",
    "AdaptivePool",
    "Add",
    "BatchNorm",
    "ChannelPool",
    "ChannelShuffle",
    "Concat",
    "Conv",
    "ConvTranspose",
    "Dropout",
    "Elementwise",
    "FeatureConv",
    "Flatten",
    "GlobalPool",
    "Identity",
    "Interpolate",
    "Linear",
    "Norm",
    "Pad",
    "Permute",
    "PixelShuffle",
    "Pool",
    "Slice",
    "ToMap",
]
