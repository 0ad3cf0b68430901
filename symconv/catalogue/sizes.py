"""Output sizes along one axis: floor and ceil modes, transposed, asymmetric padding, TensorFlow 'SAME'."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula, ceil

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


def padded_size(i: Q, p_b: Q, p_e: Q) -> Q:
    return i + p_b + p_e


def input_end(i: Q, p: Q) -> Q:
    return i + p


def last_window_dropped(o: Q) -> Q:
    return o - 1


def adaptive_window_start(j: Q, i: Q, o: Q) -> Q:
    return (j * i) // o


def adaptive_window_end(j: Q, i: Q, o: Q) -> Q:
    return ceil((j + 1) * i / o)


def tf_same_output_size(i: Q, s: Q) -> Q:
    return ceil(i / s)


def tf_same_padding_need(o: Q, s: Q, k_e: Q, i: Q) -> Q:
    return last_window_start(o, s) + k_e - i


def tf_same_padding_total(o: Q, s: Q, k_e: Q, i: Q) -> Q:
    return max(tf_same_padding_need(o, s, k_e, i), 0)


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
PADDED_SIZE = Formula(
    padded_size,
    name="padded_size",
    lhs="i_pad",
    description="Size of the padded input along one axis: the input plus the padding before (p_b) and after (p_e); "
    "a window fits when the effective kernel is at most this.",
    symbols={"p_b": "p_b", "p_e": "p_e"},
)
INPUT_END = Formula(
    input_end,
    name="input_end",
    lhs="x_end",
    description="Index, in the padded input, where the right padding starts (0-based): the input's i pixels after "
    "the p of the left padding.",
)
LAST_WINDOW_DROPPED = Formula(
    last_window_dropped,
    name="ceil_mode_dropped_output",
    lhs="o",
    description="Output size in ceil mode when PyTorch drops the last window (it would start in the right padding, "
    "x_last >= x_end): one window fewer than the rounded-up count.",
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
ADAPTIVE_WINDOW_START = Formula(
    adaptive_window_start,
    name="adaptive_window_start",
    lhs="u_j",
    description="Adaptive pooling of i pixels to o (PyTorch's AdaptiveAvgPool): window j (0-based) starts at "
    "floor(j i / o).",
)
ADAPTIVE_WINDOW_END = Formula(
    adaptive_window_end,
    name="adaptive_window_end",
    lhs="e_j",
    description="Adaptive pooling of i pixels to o: window j (0-based) ends before ceil((j + 1) i / o), so windows "
    "may overlap and differ in size by one when o does not divide i.",
)
TF_SAME_OUTPUT = Formula(
    tf_same_output_size,
    name="tf_same_output_size",
    lhs="o",
    description="TensorFlow padding='SAME': the output size is the input size divided by the stride, rounded up.",
)
TF_SAME_PADDING_NEED = Formula(
    tf_same_padding_need,
    name="tf_same_padding_need",
    lhs="P_need",
    description="TensorFlow padding='SAME': the padding the last window needs to fit, (o - 1)s + k_e - i; "
    "it lies in [k_e - s, k_e - 1] because o = ceil(i/s), so it is never negative when k_e >= s.",
    symbols={"k_e": "k_eff"},
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
