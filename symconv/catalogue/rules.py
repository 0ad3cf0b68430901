"""Compositions of catalogue formulas and the predicates on them, each written once for every caller.

The single-layer problems, the network walk (numeric and symbolic) and the convolution engine all
size a window, apply TensorFlow's 'SAME' rule or PyTorch's ceil-mode rule, step a receptive field,
merge the fields of joining paths and cost a layer through these functions, on the arithmetic
backend they pass (:mod:`symconv.catalogue.backend`). A composition returns every intermediate value
it computed, so a derivation shows the numbers that were used and never computes them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any, NamedTuple

from symconv.catalogue.backend import Ops
from symconv.catalogue.costs import (
    ADDITIONS_PER_OUTPUT,
    AFFINE_PARAMETERS,
    BATCHNORM_PARAMETERS,
    CHANNELS_PER_GROUP,
    CONV_BIASES,
    CONV_MACS,
    CONV_MACS_1D,
    CONV_MACS_3D,
    CONV_WEIGHTS,
    CONV_WEIGHTS_1D,
    CONV_WEIGHTS_3D,
    ELEMENTS,
    MACS_PER_OUTPUT,
    MACS_PER_OUTPUT_1D,
    MACS_PER_OUTPUT_3D,
    PER_ELEMENT_COST,
    TOTAL_PARAMETERS,
)
from symconv.catalogue.receptive import (
    EFFECTIVE_PADDING_STEP,
    JUMP_STEP,
    MERGED_PADDING,
    RECEPTIVE_FIELD_CENTER,
    RECEPTIVE_FIELD_END,
    RECEPTIVE_FIELD_START,
    RECEPTIVE_FIELD_STEP,
    RECEPTIVE_FIELD_UNION,
    TRANSPOSED_JUMP_STEP,
    TRANSPOSED_PADDING_STEP,
    TRANSPOSED_TAPS,
)
from symconv.catalogue.savings import COST_SUM
from symconv.catalogue.shapes import (
    DOWNSAMPLING_KERNEL,
    DOWNSAMPLING_PADDING,
    RESAMPLED_STRIDE,
    UPSAMPLING_KERNEL,
    UPSAMPLING_PADDING,
)
from symconv.catalogue.sizes import (
    ADAPTIVE_WINDOW_END,
    ADAPTIVE_WINDOW_START,
    CONV_OUTPUT,
    CONV_OUTPUT_ASYMMETRIC,
    EFFECTIVE_KERNEL,
    INPUT_END,
    LAST_WINDOW_DROPPED,
    LAST_WINDOW_START,
    PADDED_SIZE,
    POOL_OUTPUT_CEIL,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_NEED,
    TF_SAME_PADDING_TOTAL,
    TRANSPOSED_OUTPUT,
)
from symconv.core.arith import is_symbolic
from symconv.core.formula import Formula
from symconv.core.richtext import count
from symconv.errors import InputError

# --- padding words --------------------------------------------------------------------------------

PADDING_WORDS = ("valid", "same")
"""The padding words every input accepts: 'valid' is no padding, 'same' TensorFlow's rule (:func:`tf_same`)."""

UNSUPPORTED_PADDING = ("full", "causal", "reflect", "replicate", "circular")
"""Padding words of other libraries that symconv does not take (a number of pixels per side says what is meant)."""


def padding_word(value: Any, field: str) -> str | None:
    """``"same"`` or ``"valid"`` for those words (any case, spaces ignored); None for anything else but the
    :data:`UNSUPPORTED_PADDING` words (a number, a pair, a symbol name: the caller reads it).

    Raises:
        InputError: 'full', 'causal', 'reflect', 'replicate' or 'circular'.
    """
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    if word in PADDING_WORDS:
        return word
    if word in UNSUPPORTED_PADDING:
        raise InputError(
            field,
            value,
            "is not supported; give the zero padding per side as a number (for 'full', k − 1), 'valid' or 'same'",
        )
    return None


# --- predicates -----------------------------------------------------------------------------------


def padded_size(ops: Ops, i: Any, p_b: Any, p_e: Any) -> Any:
    """The input's size with its padding, along one axis."""
    return ops.ev(PADDED_SIZE, i, p_b, p_e)


def kernel_fits(ops: Ops, i: Any, k_eff: Any, p_b: Any, p_e: Any) -> bool | None:
    """Whether a window of extent ``k_eff`` fits in the padded input (None: undecided for symbols)."""
    verdict = ops.compare(k_eff, padded_size(ops, i, p_b, p_e))
    return None if verdict is None else verdict <= 0


def groups_divide(ops: Ops, groups: Any, channels: Any) -> bool | None:
    """Whether ``groups`` splits ``channels`` evenly: C/g channels per group is a whole number (None: symbols)."""
    if is_symbolic(groups) or is_symbolic(channels):
        return None
    return channels % groups == 0  # C/g (CHANNELS_PER_GROUP) is a whole number


def output_padding_valid(a: Any, s: Any, d: Any) -> bool | None:
    """PyTorch's rule for a transposed convolution: the output padding is smaller than the stride or the dilation."""
    if any(is_symbolic(v) for v in (a, s, d)):
        return None
    return bool(a < s or a < d)


def pool_padding_valid(p: Any, k: Any) -> bool | None:
    """PyTorch's rule for pooling: the padding is at most half the kernel, p <= k/2 (None: undecided for symbols).

    PyTorch checks it against the kernel and against the dilated kernel's extent; the kernel is the smaller,
    so it decides.
    """
    if is_symbolic(p) or is_symbolic(k):
        return None
    return bool(2 * p <= k)


# --- a window sliding along one axis ----------------------------------------------------------------

MODES = ("floor", "ceil", "transposed", "tf_same")
"""How a window's output size is found: floored (convolution), ceil mode (pooling), transposed, TensorFlow 'SAME'."""


class Window(NamedTuple):
    """A window sliding along one axis, with every value that sized it.

    ``i`` input, ``k`` kernel, ``s`` stride, ``d`` dilation (1 = ordinary kernel), ``k_eff`` its
    extent, ``p_b``/``p_e`` padding before/after, ``o`` output, ``a`` output padding (transposed).
    TensorFlow 'SAME' records the padding the last window needs and the total chosen; ceil mode
    records the rounded-up count, where the last window starts, where the right padding starts and
    whether PyTorch dropped that window (None: it depends on a symbol, and ``o`` is a condition).
    """

    mode: str
    i: Any
    k: Any
    s: Any
    d: Any
    k_eff: Any
    p_b: Any
    p_e: Any
    o: Any
    a: Any = 0
    same_need: Any = None
    same_total: Any = None
    ceil_output: Any = None
    last_start: Any = None
    input_end: Any = None
    dropped_last: bool | None = False
    taps: Any = None
    """Transposed: the most consecutive inputs that feed one output."""
    always_kept: bool = False
    """Ceil mode with k_eff >= p + s: the last window can never start in the right padding."""

    @property
    def ceil_mode(self) -> bool:
        return self.mode == "ceil"


def effective_kernel(ops: Ops, k: Any, d: Any) -> Any:
    """The extent d(k − 1) + 1 of a dilated kernel (``k`` itself when d = 1, so a symbol stays as written)."""
    return k if d == 1 else ops.ev(EFFECTIVE_KERNEL, k, d)


def tf_same(ops: Ops, i: Any, k: Any, s: Any, d: Any) -> Window:
    """TensorFlow padding='SAME': output ceil(i/s), then the padding that produces it, the extra pixel after.

    The total is max(need, 0) with need = (o − 1)s + k_eff − i in [k_eff − s, k_eff − 1]: the max is
    dropped where that interval decides it (need >= 0 when k_eff >= s; need <= 0 when k_eff = 1), which
    keeps closed forms free of a max SymPy cannot resolve through the ceiling.
    """
    k_eff = effective_kernel(ops, k, d)
    o = ops.ev(TF_SAME_OUTPUT, i, s)
    need = ops.ev(TF_SAME_PADDING_NEED, o, s, k_eff, i)
    if _at_least(ops, k_eff, s):
        total = need
    elif ops.compare(k_eff, 1) == 0:
        total = 0
    else:
        total = ops.ev(TF_SAME_PADDING_TOTAL, o, s, k_eff, i)
    p_b = ops.ev(TF_SAME_PADDING_BEGIN, total)
    p_e = ops.ev(TF_SAME_PADDING_END, total, p_b)
    return Window("tf_same", i, k, s, d, k_eff, p_b, p_e, o, same_need=need, same_total=total)


def floor_window(ops: Ops, i: Any, k: Any, s: Any, d: Any, p_b: Any, p_e: Any) -> Window:
    """Output size with the division floored (convolutions, pools without ceil mode); the caller checks the fit."""
    k_eff = effective_kernel(ops, k, d)
    if p_b == p_e:
        o = ops.ev(CONV_OUTPUT, i, k, s, p_b, d)
    else:
        o = ops.ev(CONV_OUTPUT_ASYMMETRIC, i, k, s, p_b, p_e, d)
    return Window("floor", i, k, s, d, k_eff, p_b, p_e, o)


def ceil_window(ops: Ops, i: Any, k: Any, s: Any, d: Any, p: Any) -> Window:
    """Ceil mode (pooling): the division rounded up, then PyTorch's rule for the last window.

    PyTorch drops the last window when it would start in the right padding, (o − 1)s >= i + p. With
    o = ceil((i + 2p − k_eff)/s) + 1 that needs k_eff < p + s, so when k_eff >= p + s (the common
    pools) the window is kept without comparing the two (which a closed form could not).
    """
    k_eff = effective_kernel(ops, k, d)
    o_ceil = ops.ev(POOL_OUTPUT_CEIL, i, k, s, p, d)
    start = ops.ev(LAST_WINDOW_START, o_ceil, s)
    end = ops.ev(INPUT_END, i, p)
    fewer = ops.ev(LAST_WINDOW_DROPPED, o_ceil)
    kept = not any(is_symbolic(v) for v in (p, s, k_eff)) and k_eff >= p + s
    verdict = -1 if kept else ops.compare(start, end)
    if verdict is None:
        o, dropped = ops.choose(start, end, fewer, o_ceil), None
    else:
        o, dropped = (fewer, True) if verdict >= 0 else (o_ceil, False)
    return Window(
        "ceil",
        i,
        k,
        s,
        d,
        k_eff,
        p,
        p,
        o,
        ceil_output=o_ceil,
        last_start=start,
        input_end=end,
        dropped_last=dropped,
        always_kept=kept,
    )


def transposed_window(ops: Ops, i: Any, k: Any, s: Any, d: Any, p: Any, a: Any) -> Window:
    """Output size of a transposed convolution (PyTorch's ConvTranspose: padding p per side, output padding a)."""
    k_eff = effective_kernel(ops, k, d)
    o = ops.ev(TRANSPOSED_OUTPUT, i, k, s, p, d, a)
    return Window("transposed", i, k, s, d, k_eff, p, p, o, a=a, taps=ops.ev(TRANSPOSED_TAPS, k_eff, s))


class AdaptiveAxis(NamedTuple):
    """Adaptive pooling of i pixels to o along one axis: the largest window, the step between windows, and
    whether all windows have that size and step (o divides i). With more windows than pixels (o > i) the
    windows repeat pixels: the step is the fraction i/o, the mean advance per window, and never uniform."""

    kernel: int
    stride: int | Fraction
    uniform: bool
    repeat: int = 0
    """m when o = m·i (each pixel read by m windows in a row: nearest upsampling by m), else 0."""


def adaptive_axis(i: int, o: int) -> AdaptiveAxis:
    """PyTorch's adaptive windows [floor(j i/o), ceil((j + 1) i/o)) for j < o, summarised (numbers only)."""
    spans = [(ADAPTIVE_WINDOW_START(j, i, o), ADAPTIVE_WINDOW_END(j, i, o)) for j in range(o)]
    kernel = max(end - start for start, end in spans)
    if o > i:
        # steps of 0 and 1: the smallest, 0, would stop every field after this layer from growing
        return AdaptiveAxis(int(kernel), Fraction(i, o), False, o // i if o % i == 0 else 0)
    steps = {b[0] - a[0] for a, b in pairwise(spans)}
    # one window (o = 1): the map's width, as for global pooling; windows of several strides: the smallest
    stride = steps.pop() if len(steps) == 1 else min(steps, default=i)
    return AdaptiveAxis(int(kernel), int(stride), not steps and i % o == 0)


def adaptive_step(ops: Ops, f: AxisField, i: int, o: int) -> tuple[AxisField, AdaptiveAxis]:
    """The field after adaptive pooling of i pixels to o (numbers), with the windows' summary.

    Windows of the largest size, moved by the step; o = m·i windows repeat each pixel m times, which is
    nearest upsampling by m (a transposed window of stride m: exact at every m-th output).
    """
    windows = adaptive_axis(i, o)
    if windows.repeat:
        field = resample_axis(ops, f, i, o, "nearest", False, None).field
        assert field is not None  # a whole factor always has its window
        return field, windows
    return pool_window_step(ops, f, windows.kernel, windows.stride), windows


def checked_window(
    ops: Ops,
    mode: str,
    i: Any,
    k: Any,
    s: Any,
    d: Any,
    p_b: Any,
    p_e: Any,
    a: Any = 0,
    *,
    pool: bool = False,
    field: str = "",
    along: str = "",
) -> Window:
    """The window along one axis in ``mode`` (:data:`MODES`), after every check PyTorch makes on it.

    Refused, each naming ``field`` + the parameter (``along`` ends the message, e.g. " along the height"):
    output padding outside a transposed convolution, or not smaller than the stride or the dilation; a
    transposed output of less than one pixel; pooling padding more than half the kernel; a window longer
    than the padded input (floor mode); a ceil-mode output of less than one pixel (PyTorch's ceil mode lets
    a window hang over the padded input by up to s − 1 pixels, the rounding up of the count); ceil mode
    with different padding on the two sides. ``p_b``/``p_e`` are ignored by ``tf_same``.
    """
    if mode not in MODES:
        raise InputError(field + "mode", mode, "use one of " + ", ".join(MODES))
    if mode != "transposed" and a != 0:
        raise InputError(field + "output_padding", a, "only a transposed convolution has an output padding")
    if mode == "tf_same":
        return tf_same(ops, i, k, s, d)
    if mode == "transposed":
        if output_padding_valid(a, s, d) is False:
            raise InputError(
                field + "output_padding", a, f"must be smaller than the stride ({s}) or the dilation ({d}){along}"
            )
        w = transposed_window(ops, i, k, s, d, p_b, a)
        if ops.compare(w.o, 1) == -1:
            raise InputError(field + "padding", p_b, f"leaves an output of {count(w.o, 'pixel')}{along}")
        return w
    for p in (p_b, p_e) if pool or mode == "ceil" else ():
        if pool_padding_valid(p, k) is False:
            raise InputError(
                field + "padding", p, f"is more than half the kernel ({k}){along}: PyTorch refuses such a pooling"
            )
    k_eff = effective_kernel(ops, k, d)
    if mode == "floor":
        if kernel_fits(ops, i, k_eff, p_b, p_e) is False:
            raise InputError(field + "kernel", k, _too_large(ops, i, k, d, k_eff, p_b, p_e, along))
        return floor_window(ops, i, k, s, d, p_b, p_e)
    if p_b != p_e:
        raise InputError(field + "padding", [p_b, p_e], f"ceil_mode needs the same padding on both sides{along}")
    w = ceil_window(ops, i, k, s, d, p_b)
    if ops.compare(w.o, 1) == -1:
        raise InputError(
            field + "kernel",
            k,
            _too_large(ops, i, k, d, k_eff, p_b, p_e, along)
            + f"; ceil mode lets a window hang over it by at most the stride − 1 = {count(w.s - 1, 'pixel')} (output {w.o})",
        )
    return w


def _too_large(ops: Ops, i: Any, k: Any, d: Any, k_eff: Any, p_b: Any, p_e: Any, along: str) -> str:
    what = f"kernel {k}" + (f" (extent {k_eff} with dilation {d})" if d != 1 else "")
    padding = f"2×{p_b}" if p_b == p_e else f"{p_b} + {p_e}"
    return f"{what} is larger than the padded input {i} + {padding} = {padded_size(ops, i, p_b, p_e)}{along}"


def _at_least(ops: Ops, a: Any, b: Any) -> bool:
    verdict = ops.compare(a, b)
    return verdict is not None and verdict >= 0


# --- receptive fields -------------------------------------------------------------------------------


class AxisField(NamedTuple):
    """Receptive field RF, effective stride (jump) S and effective padding P along one axis, in input pixels."""

    rf: Any
    jump: Any
    pad: Any


START = AxisField(1, 1, 0)
"""RF_0 = 1, S_0 = 1, P_0 = 0: a single input pixel."""


def field_step(ops: Ops, f: AxisField, k_eff: Any, s: Any, p_b: Any) -> AxisField:
    """Through a window of extent k_eff, stride s, padding p_b before (Araujo, Norris & Sim, Distill 2019)."""
    return AxisField(
        ops.ev(RECEPTIVE_FIELD_STEP, f.rf, k_eff, f.jump),
        ops.ev(JUMP_STEP, f.jump, s),
        ops.ev(EFFECTIVE_PADDING_STEP, f.pad, p_b, f.jump),
    )


def nested_fields(ops: Ops, k_eff: Sequence[Any], s: Sequence[Any], p_b: Sequence[Any]) -> list[AxisField]:
    """The fields after each layer of a stack (AxisField after layer 1, 2, …), as closed forms kept nested.

    The recurrence unrolled forwards repeats every earlier stride in each later term, O(n²) symbols in
    RF_n; composed from the last layer back, the same catalogue steps nest instead:
    RF_n = k_1 + (k_2 + (k_3 − 1)s_2 − 1)s_1 (the stack from layer l on is one window, R_l = k_l + (R_(l+1) − 1)s_l),
    and P_n = p_1 + (p_2 + p_3 s_2)s_1, each O(n). Closed forms for a symbolic backend; numbers give numbers.
    """
    out = []
    jump: Any = START.jump
    for n in range(1, len(k_eff) + 1):
        rf, pad = k_eff[n - 1], p_b[n - 1]
        for l in range(n - 2, -1, -1):
            rf = ops.ev(RECEPTIVE_FIELD_STEP, k_eff[l], rf, s[l])
            pad = ops.ev(EFFECTIVE_PADDING_STEP, p_b[l], pad, s[l])
        jump = ops.ev(JUMP_STEP, jump, s[n - 1])
        out.append(AxisField(rf, jump, pad))
    return out


def transposed_field_step(ops: Ops, f: AxisField, w: Window) -> AxisField:
    """Through a transposed convolution's window: the largest field (over output phases), a fractional stride."""
    return AxisField(
        ops.ev(RECEPTIVE_FIELD_STEP, f.rf, w.taps, f.jump),
        ops.ev(TRANSPOSED_JUMP_STEP, f.jump, w.s),
        ops.ev(TRANSPOSED_PADDING_STEP, f.pad, w.k_eff, w.p_b, w.s, f.jump),
    )


def whole_axis_step(ops: Ops, f: AxisField, n: Any) -> AxisField:
    """A layer reading the whole axis (global pooling, flatten): a window, and a stride, as large as the map."""
    return AxisField(ops.ev(RECEPTIVE_FIELD_STEP, f.rf, n, f.jump), ops.ev(JUMP_STEP, f.jump, n), f.pad)


def pool_window_step(ops: Ops, f: AxisField, k: Any, s: Any) -> AxisField:
    """A window of k pixels moved s at a time with no padding (adaptive pooling)."""
    return AxisField(ops.ev(RECEPTIVE_FIELD_STEP, f.rf, k, f.jump), ops.ev(JUMP_STEP, f.jump, s), f.pad)


def spread_step(ops: Ops, f: AxisField, n: Any) -> AxisField:
    """The pixels all n positions of a path read, as a field every output reads alike (effective stride 0).

    Where a path is broadcast (a squeeze-excitation gate of 1 × 1 × C, or a path whose field is already
    the same for every position) every output reads the same input pixels along the axis: the span of
    positions 0 … n − 1, RF + (n − 1)·S, with S = 0 (output x starts at x·0 − P = −P for every x).
    """
    return AxisField(ops.ev(RECEPTIVE_FIELD_STEP, f.rf, n, f.jump), ops.ev(JUMP_STEP, f.jump, 0), f.pad)


class Merge(NamedTuple):
    """Where paths merge, along one axis: each path's first and last input pixel (and centre) for output 0.

    ``aligned`` is False when the centres differ (True equal, None undecided; the centres themselves are
    computed only then, for the message); ``field`` is the span of all paths (from the leftmost start a_s
    to the rightmost end a_e). ``spread``: a path is broadcast or reads the same pixels for every output,
    so each path's field was first spread over all its positions (:func:`spread_step`) and the output's
    field is the same for every position (effective stride 0).
    """

    starts: tuple[Any, ...]
    ends: tuple[Any, ...]
    centres: tuple[Any, ...]
    first: Any
    last: Any
    aligned: bool | None
    field: AxisField
    spread: bool = False


def merge_axis(ops: Ops, fields: Sequence[AxisField]) -> Merge:
    """The receptive field where paths of the same effective stride merge (the caller checks the strides)."""
    starts = tuple(ops.ev(RECEPTIVE_FIELD_START, 0, f.jump, f.pad) for f in fields)
    ends = tuple(ops.ev(RECEPTIVE_FIELD_END, u, f.rf) for u, f in zip(starts, fields))
    centres: tuple[Any, ...] = ()
    # A centre is the midpoint of [start, end]: the centres coincide where the sums start + end do (integers).
    verdicts = [ops.compare(u + e, starts[0] + ends[0]) for u, e in zip(starts[1:], ends[1:])]
    aligned = False if any(v not in (0, None) for v in verdicts) else (None if None in verdicts else True)
    if not aligned:
        centres = tuple(ops.ev(RECEPTIVE_FIELD_CENTER, 0, f.jump, f.pad, f.rf) for f in fields)
    first, last = ops.minimum(starts), ops.maximum(ends)
    field = AxisField(ops.ev(RECEPTIVE_FIELD_UNION, last, first), fields[0].jump, ops.ev(MERGED_PADDING, first))
    return Merge(starts, ends, centres, first, last, aligned, field)


class SpreadMerge(NamedTuple):
    """A merge where some path reads the same pixels for every output (see :func:`spread_step`): the merge of
    the spread fields, and whether it is exact (the fixed paths' pixels cover every moving path's, so each
    output's field is the whole span; False: the span over all outputs is reported, a larger field)."""

    merge: Merge
    exact: bool | None


def spread_merge(ops: Ops, fields: Sequence[AxisField], sizes: Sequence[Any], moving: Sequence[bool]) -> SpreadMerge:
    """Paths of sizes ``sizes`` merging where at least one is broadcast or already the same for every output.

    ``moving[i]``: path i has an output per position (its field moves with the position), the others read
    fixed pixels. Every path is spread over its positions and the spans are merged at output 0.
    """
    spread = [spread_step(ops, f, n) for f, n in zip(fields, sizes)]
    m = merge_axis(ops, spread)
    fixed = [i for i, mv in enumerate(moving) if not mv]
    exact: bool | None = True
    if any(moving):
        first = ops.minimum([m.starts[i] for i in fixed])
        last = ops.maximum([m.ends[i] for i in fixed])
        verdicts = [ops.compare(first, m.starts[i]) for i, mv in enumerate(moving) if mv]
        verdicts += [ops.compare(m.ends[i], last) for i, mv in enumerate(moving) if mv]
        exact = False if any(v == 1 for v in verdicts) else (None if None in verdicts else True)
    return SpreadMerge(m._replace(spread=True), exact)


def receptive_field_closed_form(kernels: Sequence[Any], jumps: Sequence[Any], *, display: bool) -> Any:
    """RF_n = 1 + Σ_l (k_l − 1) S_(l−1): the recurrence unrolled from RF_0 = 1, one growth term per layer.

    ``jumps`` are the effective strides S_0 … S_(n−1) (symbols, products of strides or numbers);
    ``display`` builds the written form (for the stepper), otherwise the evaluated expression.
    """
    import sympy

    from symconv.catalogue.receptive import RECEPTIVE_FIELD_GROWTH

    if display:
        terms = [RECEPTIVE_FIELD_GROWTH.display(k=k, j=j) for k, j in zip(kernels, jumps)]
        return sympy.Add(sympy.Integer(1), *terms, evaluate=False)
    return sympy.Integer(1) + sympy.Add(*[RECEPTIVE_FIELD_GROWTH.expr(k=k, j=j) for k, j in zip(kernels, jumps)])


def strides_before(n: Any, *, display: bool = False) -> Any:
    """S_(n−1) = Π_{i=1}^{n−1} s_i for a layer index ``n`` (a symbol), as a SymPy product over the layers."""
    import sympy

    s = sympy.IndexedBase("s")
    i = sympy.Symbol("i", integer=True, positive=True)
    upper = sympy.Add(n, sympy.Integer(-1), evaluate=False) if display else n - 1
    return sympy.Product(s[i], (i, 1, upper))


def receptive_field_general(n: Any) -> Any:
    """RF_n = 1 + Σ_{l=1}^{n} (k_l − 1) Π_{i<l} s_i for any number n of layers (k and s indexed by layer)."""
    import sympy

    from symconv.catalogue.receptive import RECEPTIVE_FIELD_GROWTH

    k = sympy.IndexedBase("k")
    l = sympy.Symbol("l", integer=True, positive=True)
    return 1 + sympy.Sum(RECEPTIVE_FIELD_GROWTH.expr(k=k[l], j=strides_before(l)), (l, 1, n))


def stride_product(strides: Sequence[Any]) -> Any:
    """The written form of S_m = s_1 × … × s_m (the effective stride unrolled from S_0 = 1): 1, s_1, or the product."""
    import sympy

    if not strides:
        return sympy.Integer(1)
    if len(strides) == 1:
        return strides[0]
    return sympy.Mul(*strides, evaluate=False)


# --- parameters and operations ----------------------------------------------------------------------


class LayerCosts(NamedTuple):
    """A convolution's (or linear layer's) counts: input channels per group C_g, weights, biases, parameters
    (weights + biases when biases are counted), multiplications per output (or input) element K and MACs."""

    channels_per_group: Any
    weights: Any
    biases: Any
    parameters: Any
    per_element: Any
    macs: Any


class ConvFormulas(NamedTuple):
    """The cost formulas of a convolution with one, two or three spatial axes: weights, MACs per output, MACs."""

    weights: Formula
    per_output: Formula
    macs: Formula


CONV_FORMULAS = {
    1: ConvFormulas(CONV_WEIGHTS_1D, MACS_PER_OUTPUT_1D, CONV_MACS_1D),
    2: ConvFormulas(CONV_WEIGHTS, MACS_PER_OUTPUT, CONV_MACS),
    3: ConvFormulas(CONV_WEIGHTS_3D, MACS_PER_OUTPUT_3D, CONV_MACS_3D),
}
"""The cost formulas by the number of spatial axes (Conv1d, Conv2d, Conv3d)."""


def conv_costs(
    ops: Ops,
    kernel: Sequence[Any],
    c_in: Any,
    c_out: Any,
    groups: Any,
    positions: Sequence[Any],
    *,
    bias: bool,
    count_bias: bool = True,
    transposed: bool = False,
) -> LayerCosts:
    """C_g = C_in/g → weights k_h·k_w·C_g·C_out → K = k_h·k_w·C_g per output → MACs H'·W'·C_out·K.

    One, two or three spatial axes (``kernel`` and ``positions`` have one entry per axis: k, or
    k_d·k_h·k_w, and L', or D'·H'·W'). ``transposed``: a transposed convolution, counted over its input
    positions (fvcore's and torch's convention; ``positions`` are then the input's). Its weights are
    stored C_in × C_out/g × k_h × k_w, the count of a convolution from C_out to C_in channels:
    C_g = C_out/g, and each input element is multiplied by K = k_h·k_w·C_out/g weights; its C_out
    biases are the output's.
    """
    formulas = CONV_FORMULAS[len(kernel)]
    split, filters = (c_out, c_in) if transposed else (c_in, c_out)
    c_g = ops.ev(CHANNELS_PER_GROUP, split, groups)
    weights = ops.ev(formulas.weights, *kernel, c_g, filters)
    biases = ops.ev(CONV_BIASES, c_out) if bias else 0
    parameters = ops.ev(TOTAL_PARAMETERS, weights, biases) if bias and count_bias else weights
    per_element = ops.ev(formulas.per_output, *kernel, c_g)
    macs = ops.ev(formulas.macs, *positions, filters, per_element)
    return LayerCosts(c_g, weights, biases, parameters, per_element, macs)


CONV_WEIGHT_SOURCES = ("learned", "fixed", "scaled")
"""Where a convolution's weight comes from: its own learned weights (the default); a fixed filter held in a
buffer (a blur: MACs, no parameters); or learned weights and a learned gain per filter (NFNet's
ScaledStdConv2d, weight normalisation's g)."""


def conv_weight_source(stored: int, elements: int, filters: int) -> str | None:
    """Where a convolution weight of ``elements`` values computed from ``stored`` stored values (parameters; 0 for a
    buffer) comes from (:data:`CONV_WEIGHT_SOURCES`): None when it is none of them."""
    if stored == 0:
        return "fixed"
    if stored == elements:
        return "learned"
    if stored == elements + filters:
        return "scaled"
    return None


def conv_weight_parameters(ops: Ops, costs: LayerCosts, filters: Any, weight: str) -> tuple[Any, Any]:
    """(weights stored, parameters) of a convolution by where its weight comes from (:data:`CONV_WEIGHT_SOURCES`)."""
    if weight == "fixed":
        return 0, 0
    if weight == "scaled":
        gains = ops.ev(AFFINE_PARAMETERS, filters, 1)
        return ops.ev(TOTAL_PARAMETERS, costs.weights, gains), ops.ev(TOTAL_PARAMETERS, costs.parameters, gains)
    return costs.weights, costs.parameters


class Additions(NamedTuple):
    """Additions of a convolution: K − 1 to sum the K products of an output element, one more with a bias."""

    per_output: Any
    with_bias: Any
    total: Any


def conv_additions(ops: Ops, per_output: Any, positions: tuple[Any, Any], c_out: Any, *, bias: bool) -> Additions:
    """The additions of every output element (H'·W' positions, C_out filters), each summing K products."""
    a = ops.ev(ADDITIONS_PER_OUTPUT, per_output)
    a_b = ops.ev(COST_SUM, a, 1) if bias else a
    return Additions(a, a_b, ops.ev(CONV_MACS, positions[0], positions[1], c_out, a_b))


def linear_costs(ops: Ops, n_in: Any, n_out: Any, *, bias: bool, count_bias: bool = True) -> LayerCosts:
    """A linear layer is a 1 × 1 convolution on a 1 × 1 map."""
    return conv_costs(ops, (1, 1), n_in, n_out, 1, (1, 1), bias=bias, count_bias=count_bias)


def batchnorm_parameters(ops: Ops, channels: Any, affine: bool) -> Any:
    """γ and β per channel when affine; the running statistics are buffers."""
    return ops.ev(BATCHNORM_PARAMETERS, channels) if affine else 0


def affine_parameters(ops: Ops, n: Any, per_entry: Any) -> Any:
    """``per_entry`` learned values (2: a scale and a shift; 1: a scale) for each of n entries."""
    return ops.ev(AFFINE_PARAMETERS, n, per_entry)


def elements(ops: Ops, shape: Sequence[Any]) -> Any:
    """Elements of a tensor of this shape (H·W·C for a map, n for a vector), one axis at a time."""
    total: Any = 1
    for n in shape:
        total = ops.ev(ELEMENTS, total, n)
    return total


def per_element_cost(ops: Ops, shape: Sequence[Any], per_element: Any) -> Any:
    """``per_element`` operations on each element of a tensor of this shape."""
    return ops.ev(PER_ELEMENT_COST, elements(ops, shape), per_element)


# --- resampling: interpolation and pixel shuffle ----------------------------------------------------

TAPS = {"nearest": 1, "nearest-exact": 1, "linear": 2, "cubic": 4}
"""Pixels an interpolation reads per axis around the source coordinate, by mode (bilinear and trilinear are
linear along each axis, bicubic cubic)."""


class Resampled(NamedTuple):
    """The receptive field through a resampling along one axis; ``exact`` False when the windows vary with the
    output position (the largest is reported), None when the field is unknown (symbolic sizes)."""

    field: AxisField | None
    exact: bool | None
    window: Window | None = None


def whole_factor(ops: Ops, big: Any, small: Any) -> Any:
    """The whole number s with big = s·small (numbers only), or None."""
    if not (ops.is_number(big) and ops.is_number(small)) or is_symbolic(big) or is_symbolic(small):
        return None
    return big // small if big % small == 0 else None  # divisibility test, not a formula


def resample_axis(ops: Ops, f: AxisField, i: Any, o: Any, mode: str, align_corners: bool, scale: Any) -> Resampled:
    """The field of an interpolation from i to o pixels along an axis (PyTorch's F.interpolate; see shapes.py).

    ``scale`` is the scale factor PyTorch uses for the coordinates when it was given (else None: i/o).
    A whole upsampling factor is a transposed window, a whole downsampling factor a window of that
    stride; other ratios and ``align_corners=True`` give the largest field, with a stride i/o.
    """
    taps = TAPS[mode]
    if ops.compare(o, i) == 0 and scale in (None, 1):
        return Resampled(f, True)
    if ops.compare(i, 1) == 0:
        return Resampled(spread_step(ops, f, 1), True)  # one pixel, read by every output
    up = scale if scale is not None and scale == int(scale) and scale > 1 else whole_factor(ops, o, i)
    down = None
    if scale is not None and scale < 1 and (1 / scale) == int(1 / scale):
        down = int(1 / scale)
    elif scale is None:
        down = whole_factor(ops, i, o)
    if not align_corners and up is not None and ops.compare(o, 1) != 0:
        s = int(up)
        if taps == 1:
            k, p = s, 0
        else:
            k, p = ops.ev(UPSAMPLING_KERNEL, taps, s), ops.ev(UPSAMPLING_PADDING, taps, s)
        w = Window("transposed", i, k, s, 1, k, p, p, o, taps=ops.ev(TRANSPOSED_TAPS, k, s))
        return Resampled(transposed_field_step(ops, f, w), True, w)
    if not align_corners and down is not None:
        s = int(down)
        if taps == 1:
            k, p = 1, (s // 2 if mode == "nearest-exact" else 0)  # nearest-exact reads the middle pixel
            p = -p
        else:
            k, p = ops.ev(DOWNSAMPLING_KERNEL, taps, s), ops.ev(DOWNSAMPLING_PADDING, taps, s)
        w = Window("floor", i, k, s, 1, k, p, p, o)
        return Resampled(field_step(ops, f, k, s, p), True, w)
    if not (ops.is_number(i) and ops.is_number(o)) or is_symbolic(i) or is_symbolic(o):
        return Resampled(None, None)
    ratio_i, ratio_o = (i - 1, o - 1) if align_corners else (i, o)
    jump = ops.ev(RESAMPLED_STRIDE, f.jump, ratio_i, ratio_o)
    return Resampled(AxisField(ops.ev(RECEPTIVE_FIELD_STEP, f.rf, taps, f.jump), jump, f.pad), False)
