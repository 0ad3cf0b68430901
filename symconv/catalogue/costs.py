"""Parameters and operations of a layer: weights, biases, MACs, additions, FLOPs, batch-norm parameters."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula

# A linear layer is a 1 × 1 convolution on a 1 × 1 map: its weights and MACs are CONV_WEIGHTS,
# MACS_PER_OUTPUT and CONV_MACS.

# --- parameters and operations -----------------------------------------------------------------


def channels_per_group(C_in: Q, g: Q) -> Q:
    return C_in / g


def conv_weights(k_h: Q, k_w: Q, C_g: Q, C_out: Q) -> Q:
    return k_h * k_w * C_g * C_out


def conv_biases(C_out: Q) -> Q:
    return C_out


def total_parameters(W: Q, B: Q) -> Q:
    return W + B


def macs_per_output(k_h: Q, k_w: Q, C_g: Q) -> Q:
    return k_h * k_w * C_g


def conv_macs(H_o: Q, W_o: Q, C_out: Q, K: Q) -> Q:
    return H_o * W_o * C_out * K


def additions_per_output(K: Q) -> Q:
    return K - 1


def flops_from_macs(M: Q) -> Q:
    return 2 * M


def flops_exact(H_o: Q, W_o: Q, C_out: Q, K: Q) -> Q:
    return H_o * W_o * C_out * (2 * K - 1)


def batchnorm_parameters(C: Q) -> Q:
    return 2 * C


_LAYER_SYMBOLS = {"C_in": "C_in", "C_out": "C_out", "H_o": "H'", "W_o": "W'", "K": "K"}

CHANNELS_PER_GROUP = Formula(
    channels_per_group,
    name="channels_per_group",
    lhs="C_g",
    description="Input channels each filter sees: C_in/g with g groups (g = 1 dense, g = C_in depthwise).",
)
CONV_WEIGHTS = Formula(
    conv_weights,
    name="conv_weights",
    lhs="n_w",
    description="Weights of a convolution: each of the C_out filters has k_h × k_w × C_g weights, "
    "C_g = C_in/g input channels per group (C_g = C_in without groups).",
)
CONV_BIASES = Formula(
    conv_biases, name="conv_biases", lhs="n_b", description="Biases: one per filter.", symbols={"C_out": "C_out"}
)
TOTAL_PARAMETERS = Formula(
    total_parameters,
    name="parameters",
    lhs="n_p",
    description="Learnable parameters: weights plus biases.",
    symbols={"W": "n_w", "B": "n_b"},
)
MACS_PER_OUTPUT = Formula(
    macs_per_output,
    name="macs_per_output",
    lhs="K",
    description="Multiplications (multiply-accumulates) for one output element: one per weight of a filter, "
    "k_h × k_w × C_g; the bias is an addition, not a multiplication.",
)
CONV_MACS = Formula(
    conv_macs,
    name="macs",
    lhs="M",
    description="Multiplications of the layer = MACs: every output element (H' × W' positions × C_out filters) "
    "costs K multiplications.",
    symbols={k: v for k, v in _LAYER_SYMBOLS.items() if k in ("H_o", "W_o", "C_out", "K")},
)
ADDITIONS_PER_OUTPUT = Formula(
    additions_per_output,
    name="additions_per_output",
    lhs="A",
    description="Additions for one output element without bias: summing K products takes K - 1 additions "
    "(one more with a bias).",
)
FLOPS_FROM_MACS = Formula(
    flops_from_macs,
    name="flops",
    lhs="F",
    description="FLOPs by the common convention: 2 per MAC (one multiplication, one addition).",
    symbols={"M": "M"},
)
FLOPS_EXACT = Formula(
    flops_exact,
    name="flops_exact",
    lhs="F",
    description="FLOPs counted exactly without bias: K multiplications and K - 1 additions per output element.",
    symbols={k: v for k, v in _LAYER_SYMBOLS.items() if k in ("H_o", "W_o", "C_out", "K")},
)
BATCHNORM_PARAMETERS = Formula(
    batchnorm_parameters,
    name="batchnorm_parameters",
    lhs="n_p",
    description="Learnable parameters of batch normalisation over C channels: a scale γ and a shift β per "
    "channel; the running mean and variance are buffers, not parameters.",
)
