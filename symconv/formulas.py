"""The catalogue: every formula of convolutional-network arithmetic, each written once.

Each ``def`` below is the single definition of a formula; wrapping it in :class:`Formula` gives
the exact numeric view (``CONV_OUTPUT(38, 3, 2, 0, 1) == 18``), the SymPy closed form
(``CONV_OUTPUT.expr()``), the written display used in worked solutions, and latexify's rendering.
Conventions are the PyTorch ones unless a docstring says otherwise: padding ``p`` is per side,
dilation ``d`` counts from 1 (``d = 1`` is an ordinary kernel), outputs are floored.
"""

from __future__ import annotations

from typing import Any

from symconv.formula import Formula, ceil

Q = Any
"""A quantity: an exact number (numeric view) or a SymPy expression (symbolic views)."""

# --- output sizes -------------------------------------------------------------------------------


def conv_output_size(i: Q, k: Q, s: Q, p: Q, d: Q) -> Q:
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


def conv_output_size_asymmetric(i: Q, k: Q, s: Q, p_b: Q, p_e: Q, d: Q) -> Q:
    return (i + p_b + p_e - d * (k - 1) - 1) // s + 1


def pool_output_size_ceil(i: Q, k: Q, s: Q, p: Q, d: Q) -> Q:
    return ceil((i + 2 * p - d * (k - 1) - 1) / s) + 1


def last_window_start(o: Q, s: Q) -> Q:
    return (o - 1) * s


def transposed_output_size(i: Q, k: Q, s: Q, p: Q, d: Q, a: Q) -> Q:
    return (i - 1) * s - 2 * p + d * (k - 1) + a + 1


def effective_kernel(k: Q, d: Q) -> Q:
    return d * (k - 1) + 1


def same_padding_total(k: Q, d: Q) -> Q:
    return d * (k - 1)


def tf_same_output_size(i: Q, s: Q) -> Q:
    return ceil(i / s)


def tf_same_padding_total(o: Q, s: Q, k_e: Q, i: Q) -> Q:
    return max((o - 1) * s + k_e - i, 0)


def tf_same_padding_begin(P: Q) -> Q:
    return P // 2


def tf_same_padding_end(P: Q, p_b: Q) -> Q:
    return P - p_b


CONV_OUTPUT = Formula(
    conv_output_size,
    name="conv_output_size",
    lhs="o",
    description="Output size of a convolution along one axis: input i, kernel k, stride s, "
    "padding p per side, dilation d (1 = ordinary kernel); floor division (PyTorch, TensorFlow 'VALID' with p = 0).",
)
CONV_OUTPUT_ASYMMETRIC = Formula(
    conv_output_size_asymmetric,
    name="conv_output_size_asymmetric",
    lhs="o",
    description="Output size with different padding before (p_b, left/top) and after (p_e, right/bottom) the input.",
    symbols={"p_b": "p_b", "p_e": "p_e"},
)
POOL_OUTPUT_CEIL = Formula(
    pool_output_size_ceil,
    name="pool_output_size_ceil",
    lhs="o",
    description="Output size with ceil_mode=True (pooling): the division is rounded up; PyTorch then "
    "drops a last window that would start in the right padding.",
)
LAST_WINDOW_START = Formula(
    last_window_start,
    name="last_window_start",
    lhs="x_last",
    description="Index, in the padded input, where the last window starts (0-based).",
)
TRANSPOSED_OUTPUT = Formula(
    transposed_output_size,
    name="transposed_output_size",
    lhs="o",
    description="Output size of a transposed convolution: input i, kernel k, stride s, padding p per side, "
    "dilation d, output padding a (PyTorch's ConvTranspose2d).",
)
EFFECTIVE_KERNEL = Formula(
    effective_kernel,
    name="effective_kernel",
    lhs="k_eff",
    description="Extent of a dilated kernel: k taps spread d apart cover d(k - 1) + 1 input positions.",
)
SAME_PADDING_TOTAL = Formula(
    same_padding_total,
    name="same_padding_total",
    lhs="P",
    description="Total padding (both sides) that keeps the size at stride 1; half per side when it is even "
    "(odd kernels), otherwise the split is a convention.",
)
TF_SAME_OUTPUT = Formula(
    tf_same_output_size,
    name="tf_same_output_size",
    lhs="o",
    description="TensorFlow padding='SAME': the output size is the input size divided by the stride, rounded up.",
)
TF_SAME_PADDING_TOTAL = Formula(
    tf_same_padding_total,
    name="tf_same_padding_total",
    lhs="P",
    description="TensorFlow padding='SAME': total padding along one axis, never negative; k_e is the effective kernel.",
    symbols={"k_e": "k_eff"},
)
TF_SAME_PADDING_BEGIN = Formula(
    tf_same_padding_begin,
    name="tf_same_padding_begin",
    lhs="p_b",
    description="TensorFlow padding='SAME': padding before (left/top) is the smaller half of the total.",
)
TF_SAME_PADDING_END = Formula(
    tf_same_padding_end,
    name="tf_same_padding_end",
    lhs="p_e",
    description="TensorFlow padding='SAME': padding after (right/bottom) takes the extra pixel.",
    symbols={"p_b": "p_b"},
)

# --- receptive field ---------------------------------------------------------------------------


def receptive_field_step(r: Q, k: Q, j: Q) -> Q:
    return r + (k - 1) * j


def jump_step(j: Q, s: Q) -> Q:
    return j * s


def effective_padding_step(P: Q, p: Q, j: Q) -> Q:
    return P + p * j


def receptive_field_center(x: Q, S: Q, P: Q, r: Q) -> Q:
    return x * S - P + (r - 1) / 2


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

# --- bottleneck and depthwise-separable costs -------------------------------------------------


def bottleneck_original(H: Q, W: Q, N: Q, k: Q, L: Q) -> Q:
    return H * W * N * k**2 * L


def bottleneck_stage1(H: Q, W: Q, L: Q, P: Q) -> Q:
    return H * W * L * P


def bottleneck_stage2(H: Q, W: Q, k: Q, P: Q, N: Q) -> Q:
    return H * W * k**2 * P * N


def separable_standard(H: Q, W: Q, M: Q, k: Q, N: Q) -> Q:
    return H * W * M * k**2 * N


def separable_depthwise(H: Q, W: Q, M: Q, k: Q) -> Q:
    return H * W * M * k**2


def separable_pointwise(H: Q, W: Q, M: Q, N: Q) -> Q:
    return H * W * M * N


def cost_sum(a: Q, b: Q) -> Q:
    return a + b


def cost_difference(a: Q, b: Q) -> Q:
    return a - b


def cost_ratio(a: Q, b: Q) -> Q:
    return a / b


def savings_fraction(a: Q, b: Q) -> Q:
    return (a - b) / a


def as_percent(x: Q) -> Q:
    return 100 * x


BOTTLENECK_ORIGINAL = Formula(
    bottleneck_original,
    name="bottleneck_original",
    lhs="M_0",
    description="Multiplications of the original k × k convolution from L to N channels over H × W output positions.",
)
BOTTLENECK_STAGE1 = Formula(
    bottleneck_stage1,
    name="bottleneck_stage1",
    lhs="M_1",
    description="Stage 1 of the bottleneck: a 1 × 1 convolution from L to P channels.",
)
BOTTLENECK_STAGE2 = Formula(
    bottleneck_stage2,
    name="bottleneck_stage2",
    lhs="M_2",
    description="Stage 2 of the bottleneck: the k × k convolution from P to N channels.",
)
SEPARABLE_STANDARD = Formula(
    separable_standard,
    name="separable_standard",
    lhs="M_s",
    description="Multiplications of a standard k × k convolution from M to N channels over H × W positions.",
)
SEPARABLE_DEPTHWISE = Formula(
    separable_depthwise,
    name="separable_depthwise",
    lhs="M_d",
    description="Depthwise stage: one k × k filter per input channel (groups = M).",
)
SEPARABLE_POINTWISE = Formula(
    separable_pointwise,
    name="separable_pointwise",
    lhs="M_p",
    description="Pointwise stage: a 1 × 1 convolution from M to N channels.",
)
COST_SUM = Formula(cost_sum, name="cost_sum", lhs="M", description="Total of two stages.")
COST_DIFFERENCE = Formula(cost_difference, name="cost_difference", lhs="M_saved", description="Multiplications saved.")
COST_RATIO = Formula(cost_ratio, name="cost_ratio", lhs="rho", description="Cost of the cheaper form relative to the original.")
SAVINGS_FRACTION = Formula(
    savings_fraction, name="savings_fraction", lhs="sigma", description="Fraction of the original multiplications saved."
)
AS_PERCENT = Formula(as_percent, name="percent", lhs="pct", description="A fraction as a percentage.")

CATALOGUE: dict[str, Formula] = {
    f.name: f
    for f in (
        CONV_OUTPUT,
        CONV_OUTPUT_ASYMMETRIC,
        POOL_OUTPUT_CEIL,
        LAST_WINDOW_START,
        TRANSPOSED_OUTPUT,
        EFFECTIVE_KERNEL,
        SAME_PADDING_TOTAL,
        TF_SAME_OUTPUT,
        TF_SAME_PADDING_TOTAL,
        TF_SAME_PADDING_BEGIN,
        TF_SAME_PADDING_END,
        RECEPTIVE_FIELD_STEP,
        JUMP_STEP,
        EFFECTIVE_PADDING_STEP,
        RECEPTIVE_FIELD_CENTER,
        CHANNELS_PER_GROUP,
        CONV_WEIGHTS,
        CONV_BIASES,
        TOTAL_PARAMETERS,
        MACS_PER_OUTPUT,
        CONV_MACS,
        ADDITIONS_PER_OUTPUT,
        FLOPS_FROM_MACS,
        FLOPS_EXACT,
        BOTTLENECK_ORIGINAL,
        BOTTLENECK_STAGE1,
        BOTTLENECK_STAGE2,
        SEPARABLE_STANDARD,
        SEPARABLE_DEPTHWISE,
        SEPARABLE_POINTWISE,
        COST_SUM,
        COST_DIFFERENCE,
        COST_RATIO,
        SAVINGS_FRACTION,
        AS_PERCENT,
    )
}
"""Every formula by name (the ``symconv formula NAME`` command and the docs read this)."""

# --- whole networks (symconv.network) -----------------------------------------------------------
# A linear layer is a 1 × 1 convolution on a 1 × 1 map, so its weights and MACs use CONV_WEIGHTS,
# MACS_PER_OUTPUT and CONV_MACS; only what has no counterpart above is defined here.


def batchnorm_parameters(C: Q) -> Q:
    return 2 * C


def transposed_taps(k_e: Q, s: Q) -> Q:
    return ceil(k_e / s)


def transposed_jump_step(j: Q, s: Q) -> Q:
    return j / s


def transposed_padding_step(P: Q, k_e: Q, p: Q, s: Q, j: Q) -> Q:
    return P + ((k_e - 1 - p) // s) * j


def receptive_field_start(x: Q, S: Q, P: Q) -> Q:
    return x * S - P


def receptive_field_union(a_e: Q, a_s: Q) -> Q:
    return a_e - a_s + 1


BATCHNORM_PARAMETERS = Formula(
    batchnorm_parameters,
    name="batchnorm_parameters",
    lhs="n_p",
    description="Learnable parameters of batch normalisation over C channels: a scale γ and a shift β per "
    "channel; the running mean and variance are buffers, not parameters.",
)
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
RECEPTIVE_FIELD_UNION = Formula(
    receptive_field_union,
    name="receptive_field_union",
    lhs="RF",
    description="Receptive field where paths merge: from the leftmost start a_s to the rightmost end a_e of "
    "the paths' receptive fields (the largest one when the paths are aligned).",
)

CATALOGUE.update(
    {
        f.name: f
        for f in (
            BATCHNORM_PARAMETERS,
            TRANSPOSED_TAPS,
            TRANSPOSED_JUMP_STEP,
            TRANSPOSED_PADDING_STEP,
            RECEPTIVE_FIELD_START,
            RECEPTIVE_FIELD_UNION,
        )
    }
)
