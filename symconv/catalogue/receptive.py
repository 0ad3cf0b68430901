"""Receptive fields: the recurrences for RF, effective stride and padding, centres, starts and unions of paths."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula, ceil

# --- receptive field ---------------------------------------------------------------------------


def receptive_field_growth(k: Q, j: Q) -> Q:
    return (k - 1) * j


def receptive_field_step(r: Q, k: Q, j: Q) -> Q:
    return r + receptive_field_growth(k, j)


def jump_step(j: Q, s: Q) -> Q:
    return j * s


def effective_padding_step(P: Q, p: Q, j: Q) -> Q:
    return P + p * j


def receptive_field_start(x: Q, S: Q, P: Q) -> Q:
    return x * S - P


def receptive_field_center(x: Q, S: Q, P: Q, r: Q) -> Q:
    return receptive_field_start(x, S, P) + (r - 1) / 2


RECEPTIVE_FIELD_GROWTH = Formula(
    receptive_field_growth,
    name="receptive_field_growth",
    lhs="G_n",
    description="Growth of the receptive field at layer n (input pixels): the k_n - 1 extra taps, each S_(n-1) input "
    "pixels apart. Unrolled from RF_0 = 1, RF_n = 1 + G_1 + ... + G_n (the closed form).",
    symbols={"k": "k_n", "j": "S_{n-1}"},
)
RECEPTIVE_FIELD_STEP = Formula(
    receptive_field_step,
    name="receptive_field",
    lhs="RF_n",
    description="Receptive field after layer n (input pixels along one axis): the previous one grows by "
    "(k_n - 1) times the product of the strides of the layers before n; RF_0 = 1.",
    symbols={"r": "RF_{n-1}", "k": "k_n", "j": "S_{n-1}"},
)
JUMP_STEP = Formula(
    jump_step,
    name="effective_stride",
    lhs="S_n",
    description="Effective stride (jump) after layer n: the product of the strides s_1 … s_n; S_0 = 1.",
    symbols={"j": "S_{n-1}", "s": "s_n"},
)
EFFECTIVE_PADDING_STEP = Formula(
    effective_padding_step,
    name="effective_padding",
    lhs="P_n",
    description="Effective (left/top) padding after layer n, in input pixels: P_n = P_{n-1} + p_n S_{n-1}; P_0 = 0.",
    symbols={"P": "P_{n-1}", "p": "p_n", "j": "S_{n-1}"},
)
RECEPTIVE_FIELD_CENTER = Formula(
    receptive_field_center,
    name="receptive_field_center",
    lhs="c_x",
    description="Input coordinate (0-based) of the centre of the receptive field of output position x.",
    symbols={"S": "S_n", "P": "P_n", "r": "RF_n"},
)

# --- transposed layers and merging paths (networks) -------------------------------------------


def transposed_taps(k_e: Q, s: Q) -> Q:
    return ceil(k_e / s)


def transposed_jump_step(j: Q, s: Q) -> Q:
    return j / s


def transposed_padding_step(P: Q, k_e: Q, p: Q, s: Q, j: Q) -> Q:
    return P + ((k_e - 1 - p) // s) * j


def receptive_field_end(u: Q, r: Q) -> Q:
    return u + r - 1


def merged_padding(a_s: Q) -> Q:
    return -a_s


def receptive_field_union(a_e: Q, a_s: Q) -> Q:
    return a_e - a_s + 1


TRANSPOSED_TAPS = Formula(
    transposed_taps,
    name="transposed_taps",
    lhs="t",
    description="Largest number of consecutive input positions that feed one output position of a transposed "
    "convolution with effective kernel k_e and stride s (the count varies with the output position's phase).",
    symbols={"k_e": "k_eff"},
)
TRANSPOSED_JUMP_STEP = Formula(
    transposed_jump_step,
    name="transposed_effective_stride",
    lhs="S_n",
    description="Effective stride after a transposed convolution with stride s: output positions are s times "
    "closer together than the input's, S_n = S_{n-1} / s (a fraction of an input pixel when S_{n-1} < s).",
    symbols={"j": "S_{n-1}", "s": "s_n"},
)
TRANSPOSED_PADDING_STEP = Formula(
    transposed_padding_step,
    name="transposed_effective_padding",
    lhs="P_n",
    description="Effective padding after a transposed convolution (PyTorch's padding p): output 0 reads the input "
    "positions from -floor((k_e - 1 - p)/s) on, so P_n = P_{n-1} + floor((k_e - 1 - p)/s) S_{n-1}.",
    symbols={"P": "P_{n-1}", "k_e": "k_eff", "j": "S_{n-1}"},
)
RECEPTIVE_FIELD_START = Formula(
    receptive_field_start,
    name="receptive_field_start",
    lhs="u_x",
    description="Input coordinate (0-based, negative inside the padding) of the first pixel of the receptive "
    "field of output position x.",
    symbols={"S": "S_n", "P": "P_n"},
)
RECEPTIVE_FIELD_END = Formula(
    receptive_field_end,
    name="receptive_field_end",
    lhs="e_x",
    description="Input coordinate (0-based) of the last pixel of a receptive field of RF pixels starting at u.",
    symbols={"r": "RF"},
)
MERGED_PADDING = Formula(
    merged_padding,
    name="merged_effective_padding",
    lhs="P",
    description="Effective padding where paths merge: the receptive field of output 0 starts at the leftmost start "
    "a_s of the paths' fields, so P = -a_s (input pixels).",
)
RECEPTIVE_FIELD_UNION = Formula(
    receptive_field_union,
    name="receptive_field_union",
    lhs="RF",
    description="Receptive field where paths merge: from the leftmost start a_s to the rightmost end a_e of "
    "the paths' receptive fields (the largest one when the paths are aligned).",
)
