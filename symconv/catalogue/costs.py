"""Parameters and operations of a layer: weights, biases, MACs, additions, FLOPs, batch-norm parameters."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula

# A linear layer is a 1 × 1 convolution on a 1 × 1 map: its weights and MACs are CONV_WEIGHTS,
# MACS_PER_OUTPUT and CONV_MACS.

# --- parameters and operations -----------------------------------------------------------------


def channels_per_group(C_in: Q, g: Q) -> Q:
    return C_in / g


def channels_from_groups(C_g: Q, g: Q) -> Q:
    return C_g * g


def conv_weights(k_h: Q, k_w: Q, C_g: Q, C_out: Q) -> Q:
    return k_h * k_w * C_g * C_out


def conv_biases(C_out: Q) -> Q:
    return C_out


def conv_weights_1d(k: Q, C_g: Q, C_out: Q) -> Q:
    return k * C_g * C_out


def conv_weights_3d(k_d: Q, k_h: Q, k_w: Q, C_g: Q, C_out: Q) -> Q:
    return k_d * k_h * k_w * C_g * C_out


def total_parameters(W: Q, B: Q) -> Q:
    return W + B


def macs_per_output(k_h: Q, k_w: Q, C_g: Q) -> Q:
    return k_h * k_w * C_g


def conv_macs(H_o: Q, W_o: Q, C_out: Q, K: Q) -> Q:
    return H_o * W_o * C_out * K


def macs_per_output_1d(k: Q, C_g: Q) -> Q:
    return k * C_g


def macs_per_output_3d(k_d: Q, k_h: Q, k_w: Q, C_g: Q) -> Q:
    return k_d * k_h * k_w * C_g


def conv_macs_1d(L_o: Q, C_out: Q, K: Q) -> Q:
    return L_o * C_out * K


def conv_macs_3d(D_o: Q, H_o: Q, W_o: Q, C_out: Q, K: Q) -> Q:
    return D_o * H_o * W_o * C_out * K


def additions_per_output(K: Q) -> Q:
    return K - 1


def flops_from_macs(M: Q) -> Q:
    return 2 * M


def flops_exact(H_o: Q, W_o: Q, C_out: Q, K: Q) -> Q:
    return H_o * W_o * C_out * (2 * K - 1)


def batchnorm_parameters(C: Q) -> Q:
    return 2 * C


def affine_parameters(n: Q, m: Q) -> Q:
    return m * n


def elements(E: Q, n: Q) -> Q:
    return E * n


def per_element_cost(E: Q, c: Q) -> Q:
    return c * E


# --- transposed convolutions: the products that land in the output ------------------------------


def transposed_landing_taps(i: Q, k: Q, c_b: Q, c_e: Q) -> Q:
    return i * k - c_b - c_e


def transposed_reached_outputs(R: Q, m_b: Q, m_e: Q) -> Q:
    return R - m_b - m_e


def transposed_products(C_out: Q, C_g: Q, T_h: Q, T_w: Q) -> Q:
    return C_out * C_g * T_h * T_w


def transposed_additions(P: Q, C_out: Q, Z_h: Q, Z_w: Q) -> Q:
    return P - C_out * Z_h * Z_w


_TRANSPOSED_SYMBOLS = {"C_out": "C_out", "C_g": "C_g", "T_h": "T_h", "T_w": "T_w", "Z_h": "Z_h", "Z_w": "Z_w"}

_LAYER_SYMBOLS = {"C_in": "C_in", "C_out": "C_out", "H_o": "H'", "W_o": "W'", "K": "K"}

CHANNELS_PER_GROUP = Formula(
    channels_per_group,
    name="channels_per_group",
    lhs="C_g",
    description="Input channels each filter sees: C_in/g with g groups (g = 1 dense, g = C_in depthwise).",
)
CHANNELS_FROM_GROUPS = Formula(
    channels_from_groups,
    name="channels_from_groups",
    lhs="C",
    description="Channels of g groups of C_g channels each (a transposed convolution's output channels from the "
    "stored weights, C_in × C_out/g × k_h × k_w).",
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
CONV_WEIGHTS_1D = Formula(
    conv_weights_1d,
    name="conv_weights_1d",
    lhs="n_w",
    description="Weights of a 1-D convolution (Conv1d): each of the C_out filters has k × C_g weights, "
    "C_g = C_in/g input channels per group.",
)
CONV_WEIGHTS_3D = Formula(
    conv_weights_3d,
    name="conv_weights_3d",
    lhs="n_w",
    description="Weights of a 3-D convolution (Conv3d): each of the C_out filters has k_d × k_h × k_w × C_g "
    "weights, C_g = C_in/g input channels per group.",
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
MACS_PER_OUTPUT_1D = Formula(
    macs_per_output_1d,
    name="macs_per_output_1d",
    lhs="K",
    description="Multiplications for one output element of a 1-D convolution: one per weight of a filter, k × C_g.",
)
MACS_PER_OUTPUT_3D = Formula(
    macs_per_output_3d,
    name="macs_per_output_3d",
    lhs="K",
    description="Multiplications for one output element of a 3-D convolution: one per weight of a filter, "
    "k_d × k_h × k_w × C_g.",
)
CONV_MACS_1D = Formula(
    conv_macs_1d,
    name="macs_1d",
    lhs="M",
    description="MACs of a 1-D convolution: every output element (L' positions × C_out filters) costs K "
    "multiplications.",
    symbols={"L_o": "L'", "C_out": "C_out", "K": "K"},
)
CONV_MACS_3D = Formula(
    conv_macs_3d,
    name="macs_3d",
    lhs="M",
    description="MACs of a 3-D convolution: every output element (D' × H' × W' positions × C_out filters) costs "
    "K multiplications.",
    symbols={"D_o": "D'", "H_o": "H'", "W_o": "W'", "C_out": "C_out", "K": "K"},
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
AFFINE_PARAMETERS = Formula(
    affine_parameters,
    name="affine_parameters",
    lhs="n_p",
    description="Learned values of an affine map applied per entry (layer, group and instance normalisation, a layer "
    "scale): m per each of n entries (m = 2 with a scale and a shift, 1 with a scale only).",
)
ELEMENTS = Formula(
    elements,
    name="elements",
    lhs="E_a",
    description="Elements of a tensor, counted one axis at a time: E_a = E_(a-1) × n_a from E_0 = 1 "
    "(H × W × C for a feature map; the features of a flattened map).",
    symbols={"E": "E_{a-1}", "n": "n_a"},
)
PER_ELEMENT_COST = Formula(
    per_element_cost,
    name="per_element_cost",
    lhs="M",
    description="Operations of a layer charged per element (ptflops' rules for pooling, batch normalisation, "
    "activations and additions): c operations for each of E elements.",
)
TRANSPOSED_LANDING_TAPS = Formula(
    transposed_landing_taps,
    name="transposed_landing_taps",
    lhs="T",
    description="Transposed convolution, along one axis: (input position, kernel tap) pairs whose product lands in "
    "the output. Each of the i inputs scatters k taps; the padding crops the c_b that land before the output "
    "and the c_e that land after it.",
    symbols={"c_b": "c_b", "c_e": "c_e"},
)
TRANSPOSED_REACHED_OUTPUTS = Formula(
    transposed_reached_outputs,
    name="transposed_reached_outputs",
    lhs="Z",
    description="Transposed convolution, along one axis: output positions that receive at least one product. The "
    "scatter reaches R positions; the padding crops m_b of them before the output and m_e after it (output padding "
    "and strides larger than the kernel leave positions that receive none).",
    symbols={"m_b": "m_b", "m_e": "m_e"},
)
TRANSPOSED_PRODUCTS = Formula(
    transposed_products,
    name="transposed_products",
    lhs="P",
    description="Products that land in the output of a transposed convolution: for each of the C_out filters, every "
    "landing tap pair of the height (T_h) and of the width (T_w), for each of its C_g input channels.",
    symbols={k: v for k, v in _TRANSPOSED_SYMBOLS.items() if k in ("C_out", "C_g", "T_h", "T_w")},
)
TRANSPOSED_ADDITIONS = Formula(
    transposed_additions,
    name="transposed_additions",
    lhs="A",
    description="Additions of a transposed convolution without bias: an output element that receives n >= 1 products "
    "takes n - 1 additions, so the P landing products less one per reached element (C_out × Z_h × Z_w); with a bias "
    "each element takes n additions, A = P.",
    symbols={k: v for k, v in _TRANSPOSED_SYMBOLS.items() if k in ("C_out", "Z_h", "Z_w")},
)
