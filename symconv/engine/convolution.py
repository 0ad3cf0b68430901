"""Numeric engine of 2-D multi-channel convolution: entry parsing, geometry, exact vectorised evaluation.

Layout is PyTorch's: input ``C × H × W`` (or ``H × W``), kernel ``F × C/g × k_h × k_w`` (or one filter
``C × k_h × k_w``). The operation is cross-correlation (what deep-learning frameworks call convolution);
``flip=True`` rotates each kernel by 180° first, which is the convolution of signal processing.

Entries are kept exact: integers (Python ints when int64 could overflow), rationals (scaled to a
common denominator and computed as integers), SymPy symbols (object arrays). Floats take the
float64 path. Everything is vectorised with numpy: a sliding window view copied into columns
(im2col) and one GEMM per group, copy-free GEMMs per kernel tap for large stride-1 inputs, and
``tensordot`` over the window view for object arrays.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Literal, overload

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from symconv.catalogue import CHANNELS_PER_GROUP, PADDED_SIZE
from symconv.catalogue.backend import NUMERIC
from symconv.catalogue.rules import Window, elements, floor_window, groups_divide, kernel_fits, padding_word, tf_same
from symconv.core.arith import is_symbol_name, normalize, parse_number, too_large
from symconv.core.coerce import is_array, public
from symconv.core.limits import (
    MAX_EXACT_PRODUCTS,
    MAX_MAGNITUDE,
    MAX_OUTPUTS,
    MAX_PADDED,
    MAX_PRODUCTS,
    MAX_SYMBOLIC_PRODUCTS,
    within,
)
from symconv.core.richtext import count
from symconv.errors import InputError

Kind = Literal["int", "fraction", "float", "symbolic"]
_RANK: dict[str, int] = {"int": 0, "fraction": 1, "float": 2, "symbolic": 3}

# Integer results up to 2**53 in magnitude are exact in float64 (every partial sum is an integer
# bounded by the same sum of |x|·|w|), so they may use BLAS; up to 2**63 - 1 numpy's int64 matmul
# is exact; beyond that only Python integers are.
_FLOAT_EXACT = 2**53
_INT64_MAX = 2**63 - 1


# --- entries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tensor:
    """A parsed array: ``data`` is int64, float64 or object (Python ints, Fractions, SymPy)."""

    data: np.ndarray
    kind: Kind


def _entry(value: Any, where: str) -> tuple[Any, Kind]:
    """One entry → (value, kind); strings are numbers or symbol names, never evaluated.

    SymPy is imported only for a symbol name: numeric entries stay on the SymPy-free path (a SymPy
    object given as an entry means SymPy is already loaded).
    """
    if isinstance(value, (bool, np.bool_)):
        raise InputError(where, value, "expected a number or a symbol name, got a boolean")
    if isinstance(value, (int, np.integer)):
        too_large(int(value), where)
        return int(value), "int"
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise InputError(where, value, "not a finite number")
        if abs(float(value)) > MAX_MAGNITUDE:
            raise InputError(where, value, f"too large (the limit is {MAX_MAGNITUDE:.0e})")
        return float(value), "float"
    if isinstance(value, Fraction):
        too_large(value, where)
        v = normalize(value)
        return v, "int" if isinstance(v, int) else "fraction"
    if isinstance(value, str):
        try:
            v = parse_number(value, where)
        except InputError as exc:
            if exc.reason != "not a number":  # a number with a problem, such as "1/0"
                raise
            if not is_symbol_name(value):
                raise InputError(
                    where,
                    value,
                    "not a number and not a valid symbol name (a letter, then letters or digits, optionally _subscript)",
                ) from None
            import sympy

            # a plain symbol (no assumptions): entries are real-valued weights or activations of any sign
            return sympy.Symbol(value.strip()), "symbolic"
        too_large(v, where, value)
        return v, "int" if isinstance(v, int) else "fraction"
    sympy = sys.modules.get("sympy")
    if sympy is not None and isinstance(value, sympy.Basic):
        if value.is_Integer:
            return int(value), "int"
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q)), "fraction"
        if value.is_Float:
            return float(value), "float"
        if isinstance(value, sympy.Expr):
            return value, "symbolic"
    raise InputError(where, value, "expected a number, a number string such as '1/3', or a symbol name")


def _shape(value: Any, field: str, path: str = "") -> tuple[int, ...]:
    """The shape of a nested list, or an InputError naming the first ragged row."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise InputError(field + path, value, "is empty")
        shapes = [_shape(v, field, f"{path}[{i}]") for i, v in enumerate(value)]
        for i, s in enumerate(shapes[1:], 1):
            if s != shapes[0]:
                raise InputError(
                    field + path,
                    value,
                    f"ragged: entry [{i}] has shape {_fmt(s)} but entry [0] has shape {_fmt(shapes[0])}",
                )
        return (len(value),) + shapes[0]
    return ()


def _fmt(shape: Sequence[int]) -> str:
    return "×".join(map(str, shape)) if shape else "scalar"


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [e for v in value for e in _flatten(v)]
    return [value]


def _index(flat_index: int, shape: tuple[int, ...]) -> str:
    return "".join(f"[{i}]" for i in np.unravel_index(flat_index, shape)) if shape else ""


def parse_tensor(value: Any, field: str, ndims: Sequence[int]) -> Tensor:
    """A numpy array or nested list → :class:`Tensor`, with its rank checked against ``ndims``.

    Raises InputError naming the field and the offending entry or shape.
    """
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        shape = value.shape
        if value.ndim not in ndims or 0 in shape:
            batch = " (one image: for a batch N × C × H × W, pass x[0])" if value.ndim == max(ndims) + 1 else ""
            raise InputError(field, f"array of shape {_fmt(shape)}", f"expected {_ranks(ndims)}{batch}")
        if value.dtype.kind == "f":
            data = np.asarray(value, dtype=np.float64)
            if not np.isfinite(data).all():
                bad = int(np.flatnonzero(~np.isfinite(data))[0])
                raise InputError(field + _index(bad, shape), data.flat[bad], "not a finite number")
            _magnitudes(data, field)
            return Tensor(data, "float")
        _magnitudes(value, field)
        if value.dtype.kind == "u" and value.size and int(value.max()) > _INT64_MAX:
            return Tensor(np.array(value.tolist(), dtype=object).reshape(shape), "int")
        return Tensor(np.asarray(value, dtype=np.int64), "int")
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "b":
            raise InputError(field, f"array of dtype {value.dtype}", "expected numbers, got booleans")
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise InputError(field, value, f"expected {_ranks(ndims)} (nested lists or a numpy array)")
    shape = _shape(value, field)
    if len(shape) not in ndims:
        raise InputError(field, f"nested list of shape {_fmt(shape)}", f"expected {_ranks(ndims)}")
    entries = [_entry(v, field + _index(i, shape)) for i, v in enumerate(_flatten(value))]
    kind: Kind = max((k for _, k in entries), key=_RANK.__getitem__)
    return promote(Tensor(_array([v for v, _ in entries], "int" if kind == "int" else "object"), kind), kind, shape)


def _magnitudes(data: np.ndarray, field: str) -> None:
    """The first entry of a numeric array beyond MAX_MAGNITUDE, as an InputError naming it."""
    over = np.abs(data.astype(np.float64)) > MAX_MAGNITUDE
    if over.any():
        bad = int(np.flatnonzero(over)[0])
        too_large(data.flat[bad].item(), field + _index(bad, data.shape))


def _ranks(ndims: Sequence[int]) -> str:
    return " or ".join(f"{n}-D" for n in ndims) + " array"


def _array(values: list[Any], how: str) -> np.ndarray:
    if how == "int":
        try:
            return np.array(values, dtype=np.int64)
        except OverflowError:  # beyond int64: keep exact Python integers
            pass
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def promote(t: Tensor, kind: Kind, shape: tuple[int, ...] | None = None) -> Tensor:
    """Convert ``t`` to ``kind`` (int → fraction → float → symbolic), reshaped to ``shape``."""
    data = t.data if shape is None else t.data.reshape(shape)
    if kind == "float":
        if data.dtype != np.float64:
            try:
                data = np.array([float(v) for v in data.ravel().tolist()], dtype=np.float64).reshape(data.shape)
            except OverflowError as exc:
                raise InputError("entries", "an integer beyond the float range", "mixed with floats") from exc
    elif kind == "symbolic":
        import sympy  # only symbolic tensors need it

        flat = data.ravel().tolist()
        conv = [
            sympy.Float(v)
            if isinstance(v, float)
            else sympy.Rational(v.numerator, v.denominator)
            if isinstance(v, Fraction)
            else sympy.Integer(v)
            if isinstance(v, int)
            else v
            for v in flat
        ]
        data = _array(conv, "object").reshape(data.shape)
    elif kind == "fraction" and data.dtype != object:
        data = _array(data.ravel().tolist(), "object").reshape(data.shape)
    return Tensor(data, kind)


def common_kind(*tensors: Tensor) -> Kind:
    """The kind every tensor must be computed in: the widest of int < fraction < float < symbolic."""
    return max((t.kind for t in tensors), key=_RANK.__getitem__)


# --- geometry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """Shapes and hyper-parameters of one convolution, validated.

    ``pads`` is (top, bottom, left, right) in pixels; ``windows`` holds each axis's window (from the
    catalogue's rules: floored, or TensorFlow's 'SAME' with the padding it chose) and ``output`` its
    output sizes (H', W').
    """

    channels: int
    height: int
    width: int
    filters: int
    kernel: tuple[int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]
    groups: int
    pads: tuple[int, int, int, int]
    mode: str
    windows: tuple[Window, Window]

    @property
    def output(self) -> tuple[int, int]:
        return self.windows[0].o, self.windows[1].o

    @property
    def group_channels(self) -> int:
        """Input channels seen by each filter (C / g)."""
        return int(CHANNELS_PER_GROUP(self.channels, self.groups))

    @property
    def group_filters(self) -> int:
        """Filters of each group (F / g)."""
        return int(CHANNELS_PER_GROUP(self.filters, self.groups))

    @property
    def extent(self) -> tuple[int, int]:
        """The dilated kernel's extent (k_eff) along the height and the width."""
        return self.windows[0].k_eff, self.windows[1].k_eff

    @property
    def padded(self) -> tuple[int, int]:
        t, b, l, r = self.pads
        return int(PADDED_SIZE(self.height, t, b)), int(PADDED_SIZE(self.width, l, r))

    @property
    def symmetric(self) -> bool:
        t, b, l, r = self.pads
        return t == b and l == r

    def channels_of(self, f: int) -> slice:
        """The input channels filter ``f`` reads: its group's."""
        first = self.input_channel(f, 0)
        return slice(first, first + self.group_channels)

    def input_channel(self, f: int, c: int) -> int:
        """The input channel that kernel channel ``c`` of filter ``f`` reads (0-based): its group's c-th."""
        return (f // self.group_filters) * self.group_channels + c

    def taps(self, axis: int, o: int) -> list[int]:
        """Indices, in the padded input, that output position ``o`` reads along ``axis`` (0-based)."""
        k, s, d = self.kernel[axis], self.stride[axis], self.dilation[axis]
        return [o * s + u * d for u in range(k)]


def int_pair(value: Any, field: str, minimum: int) -> tuple[int, int]:
    """``n`` or ``(n_h, n_w)`` of plain integers (no symbols: the engine needs numbers)."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise InputError(field, value, "expected one integer or a pair (height, width)")
        return _int(value[0], f"{field}[0]", minimum), _int(value[1], f"{field}[1]", minimum)
    v = _int(value, field, minimum)
    return v, v


def _int(value: Any, field: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise InputError(field, value, "expected an integer")
    if value < minimum:
        raise InputError(field, value, "must be positive" if minimum == 1 else f"must be at least {minimum}")
    too_large(int(value), field)
    return int(value)


def arithmetic(x: Tensor, w: Tensor) -> str:
    """How a correlation of ``x`` and ``w`` (one kind) is computed: ``"machine"`` (float64 or int64, BLAS where
    exact), ``"exact"`` (Python integers, fractions beyond int64) or ``"symbolic"`` (SymPy), as :func:`correlate` does."""
    if x.kind == "float":
        return "machine"
    if x.kind == "symbolic":
        return "symbolic"
    if x.kind == "fraction":
        xs, ws = _scaled(x.data, _common_denominator(x.data)), _scaled(w.data, _common_denominator(w.data))
    else:
        xs, ws = x.data, w.data
    if xs.dtype == object or ws.dtype == object or result_bound(xs, ws) > _INT64_MAX:
        return "exact"
    return "machine"


PRODUCT_LIMITS = {"machine": MAX_PRODUCTS, "exact": MAX_EXACT_PRODUCTS, "symbolic": MAX_SYMBOLIC_PRODUCTS}
"""The most multiplications of a correlation, by how it is computed (docs/limits.md)."""


def check_work(geo: Geometry, how: str) -> None:
    """Refuse, before any array is built, a convolution beyond the limits on its padded input, outputs and products.

    The padded input and the outputs bound the memory; the products (F × C/g × k_h × k_w × H' × W')
    the time, at the rate of the arithmetic ``how`` it needs (:func:`arithmetic`).
    """
    hp, wp = geo.padded
    ho, wo = geo.output
    t, b, l, r = geo.pads
    pads: Any = t if len(set(geo.pads)) == 1 else [[t, b], [l, r]]
    field, value = ("padding", pads) if any(geo.pads) else ("input", f"{geo.channels}×{geo.height}×{geo.width}")
    padded = elements(NUMERIC, (geo.channels, hp, wp))
    within(field, value, padded, MAX_PADDED, f"the padded input holds {geo.channels} × {hp} × {wp} numbers")
    outputs = elements(NUMERIC, (geo.filters, ho, wo))
    within(field, value, outputs, MAX_OUTPUTS, f"the output holds {geo.filters} × {ho} × {wo} elements")
    (kh, kw), cg, f = geo.kernel, geo.group_channels, geo.filters
    products = elements(NUMERIC, (f, cg, kh, kw, ho, wo))
    what = {"machine": "", "exact": " exact (past int64)", "symbolic": " symbolic"}[how]
    shape = f"{f}×{cg}×{kh}×{kw}" if f > 1 else f"{cg}×{kh}×{kw}"
    reason = f"F × C/g × k_h × k_w × H' × W' = {f} × {cg} × {kh} × {kw} × {ho} × {wo}{what} multiplications"
    within("kernel", shape, products, PRODUCT_LIMITS[how], reason)


def plan(
    input_shape: tuple[int, int, int],
    kernel_shape: tuple[int, int, int, int],
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: Any = 1,
) -> Geometry:
    """Validate the hyper-parameters against the shapes (C, H, W) and (F, C/g, k_h, k_w).

    ``padding``: an int (every side), ``(p_h, p_w)``, ``((top, bottom), (left, right))``, ``'valid'``
    (none) or ``'same'`` (TensorFlow's rule: output ⌈i/s⌉, the odd pixel goes right/bottom).
    """
    c, h, w = input_shape
    f, cg, kh, kw = kernel_shape
    s = int_pair(stride, "stride", 1)
    d = int_pair(dilation, "dilation", 1)
    g = _int(groups, "groups", 1)
    if not groups_divide(NUMERIC, g, c):
        raise InputError("groups", g, f"does not divide the {count(c, 'input channel')}")
    if not groups_divide(NUMERIC, g, f):
        raise InputError("groups", g, f"does not divide the {count(f, 'filter')}")
    if cg != CHANNELS_PER_GROUP(c, g):
        expected = f"{c}" if g == 1 else f"{c}/{g} = {CHANNELS_PER_GROUP(c, g)}"
        raise InputError(
            "kernel",
            f"shape {_fmt(kernel_shape)}",
            f"has {cg} channel(s) per filter but the input has {c} channel(s) (shape {_fmt(input_shape)}); expected {expected}",
        )
    word = padding_word(padding, "padding")
    if word == "same":
        windows = (tf_same(NUMERIC, h, kh, s[0], d[0]), tf_same(NUMERIC, w, kw, s[1], d[1]))
        pads = (windows[0].p_b, windows[0].p_e, windows[1].p_b, windows[1].p_e)
        return Geometry(c, h, w, f, (kh, kw), s, d, g, pads, "same", windows)
    if word == "valid":
        pads, mode = (0, 0, 0, 0), "valid"
    elif isinstance(padding, str):
        raise InputError("padding", padding, "expected an integer, a pair, 'same' or 'valid'")
    elif (
        isinstance(padding, (list, tuple)) and len(padding) == 2 and all(isinstance(p, (list, tuple)) for p in padding)
    ):
        (t, b), (l, r) = (int_pair(p, f"padding[{i}]", 0) for i, p in enumerate(padding))
        pads, mode = (t, b, l, r), "explicit"
    else:
        ph, pw = int_pair(padding, "padding", 0)
        pads, mode = (ph, ph, pw, pw), "explicit"
    t, b, l, r = pads
    windows = (floor_window(NUMERIC, h, kh, s[0], d[0], t, b), floor_window(NUMERIC, w, kw, s[1], d[1], l, r))
    ke = (windows[0].k_eff, windows[1].k_eff)
    if not (kernel_fits(NUMERIC, h, ke[0], t, b) and kernel_fits(NUMERIC, w, ke[1], l, r)):
        dil = f" (dilated {d[0]}×{d[1]}: extent {ke[0]}×{ke[1]})" if d != (1, 1) else ""
        padded = (PADDED_SIZE(h, t, b), PADDED_SIZE(w, l, r))
        raise InputError(
            "kernel",
            f"{kh}×{kw}{dil}",
            f"larger than the padded input {padded[0]}×{padded[1]} (input {h}×{w}, padding top {t}, bottom {b}, "
            f"left {l}, right {r})",
        )
    return Geometry(c, h, w, f, (kh, kw), s, d, g, pads, mode, windows)


# --- evaluation ----------------------------------------------------------------------------------


def pad(x: np.ndarray, pads: tuple[int, int, int, int]) -> np.ndarray:
    """Zero padding of a C × H × W array (any dtype; object arrays get the integer 0)."""
    t, b, l, r = pads
    if not any(pads):
        return x
    out = np.zeros((x.shape[0], x.shape[1] + t + b, x.shape[2] + l + r), dtype=x.dtype)
    out[:, t : t + x.shape[1], l : l + x.shape[2]] = x
    return out


def windows(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """Every receptive window of the padded input: a C × H' × W' × k_h × k_w view (no copy)."""
    (sh, sw), (dh, dw) = geo.stride, geo.dilation
    view = sliding_window_view(xp, geo.extent, axis=(1, 2))[:, ::sh, ::sw, ::dh, ::dw]
    return view[:, : geo.output[0], : geo.output[1]]


def _taps_gemm(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Stride-1 correlation as one GEMM per kernel tap on the flattened padded input (no im2col copy).

    Output position (i, j) reads x_pad[i + u·d_h, j + v·d_w]; with the padded rows laid end to end,
    that is flat index (i·W_p + j) + (u·d_h·W_p + v·d_w), so each tap is a contiguous slice and
    W_p − W' junk columns per row are computed and dropped.
    """
    (kh, kw), (dh, dw), g = geo.kernel, geo.dilation, geo.groups
    hp, wp = geo.padded
    ho, wo = geo.output
    t, _, l, _ = geo.pads
    c, f = geo.channels, geo.filters
    extra = geo.extent[1] - 1  # the last tap's column offset
    buf = np.zeros((c, hp * wp + extra), dtype=x.dtype)
    buf[:, : hp * wp].reshape(c, hp, wp)[:, t : t + geo.height, l : l + geo.width] = x
    taps = np.ascontiguousarray(w.transpose(2, 3, 0, 1))  # k_h × k_w × F × C/g
    n = ho * wp
    out = np.empty((f, n), dtype=x.dtype)
    fg, cg = geo.group_filters, geo.group_channels
    tmp = np.empty((fg, n), dtype=x.dtype)
    for gi in range(g):
        xs, fs = buf[gi * cg : (gi + 1) * cg], slice(gi * fg, (gi + 1) * fg)
        acc = out[fs]
        first = True
        for u in range(kh):
            for v in range(kw):
                off = u * dh * wp + v * dw
                if first:
                    np.matmul(taps[u, v, fs], xs[:, off : off + n], out=acc)
                    first = False
                else:
                    np.matmul(taps[u, v, fs], xs[:, off : off + n], out=tmp)
                    acc += tmp
    return out.reshape(f, ho, wp)[:, :, :wo]


def _im2col_gemm(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Correlation through im2col and one GEMM per group (any stride and dilation).

    The column matrix is filled one kernel tap at a time from strided slices of the padded input
    (faster than copying the 5-D sliding window view in one go); row (c, u, v) holds the pixels
    that tap (u, v) of channel c meets at every output position. It is built for one block of
    output positions at a time, at most :data:`_IM2COL_BYTES`, so memory stays bounded whatever
    the kernel and the output.
    """
    xp = pad(x, geo.pads)
    (kh, kw), (sh, sw), (dh, dw) = geo.kernel, geo.stride, geo.dilation
    g, f, (ho, wo) = geo.groups, geo.filters, geo.output
    fg, cg = geo.group_filters, geo.group_channels
    column = geo.channels * kh * kw * x.itemsize  # bytes of one output position's column
    bw = min(wo, max(1, _IM2COL_BYTES // column))
    bh = min(ho, max(1, _IM2COL_BYTES // (column * bw)))
    out = np.empty((f, ho, wo), dtype=x.dtype)
    for i0 in range(0, ho, bh):
        nh = min(bh, ho - i0)
        for j0 in range(0, wo, bw):
            nw = min(bw, wo - j0)
            cols = np.empty((geo.channels, kh, kw, nh, nw), dtype=x.dtype)
            for u in range(kh):
                for v in range(kw):
                    top, left = u * dh + i0 * sh, v * dw + j0 * sw
                    cols[:, u, v] = xp[:, top : top + sh * (nh - 1) + 1 : sh, left : left + sw * (nw - 1) + 1 : sw]
            for gi in range(g):
                group = cols[gi * cg : (gi + 1) * cg].reshape(cg * kh * kw, nh * nw)
                block = w[gi * fg : (gi + 1) * fg].reshape(fg, -1) @ group
                out[gi * fg : (gi + 1) * fg, i0 : i0 + nh, j0 : j0 + nw] = block.reshape(fg, nh, nw)
    return out


def _symbolic_conv(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Exact correlation of SymPy entries: each output one sum of its K products, built in one go.

    ``tensordot`` would add the products one at a time, and SymPy re-sorts the growing sum at each
    addition: O(K²) per output element, where this is O(K log K).
    """
    import sympy

    win = windows(pad(x, geo.pads), geo)
    f, (ho, wo) = geo.filters, geo.output
    fg, cg = geo.group_filters, geo.group_channels
    out = np.empty((f, ho, wo), dtype=object)
    for fi in range(f):
        gi = fi // fg
        taps = w[fi].ravel()  # C/g × k_h × k_w, in the order of a window's entries
        group = win[gi * cg : (gi + 1) * cg]  # C/g × H' × W' × k_h × k_w
        for i in range(ho):
            for j in range(wo):
                out[fi, i, j] = sympy.Add(*(taps * group[:, i, j].ravel()))
    return out


def _object_conv(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Exact correlation of object arrays (Python ints, SymPy): sliding windows and ``tensordot``."""
    sympy = sys.modules.get("sympy")
    if sympy is not None and any(isinstance(v, sympy.Basic) for a in (x, w) for v in a.flat):
        return _symbolic_conv(x, w, geo)
    win = windows(pad(x, geo.pads), geo)
    g, f, (ho, wo) = geo.groups, geo.filters, geo.output
    fg, cg = geo.group_filters, geo.group_channels
    out = np.empty((f, ho, wo), dtype=object)
    for gi in range(g):
        out[gi * fg : (gi + 1) * fg] = np.tensordot(
            w[gi * fg : (gi + 1) * fg], win[gi * cg : (gi + 1) * cg], axes=([1, 2, 3], [0, 3, 4])
        )
    return out


_IM2COL_BYTES = 64 * 2**20
"""Largest im2col matrix built; beyond it stride-1 problems use the copy-free per-tap GEMMs."""


def _numeric_conv(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """float64 or int64 correlation.

    im2col makes one large GEMM per group; measured on 2 cores it matches the per-tap GEMMs on an
    idle machine and stays fast when other processes compete for the cores, where the k_h·k_w
    smaller multithreaded GEMMs of the per-tap scheme each wait for a descheduled thread. The
    per-tap scheme is used only at stride 1 when the im2col copy would be large.
    """
    cols = geo.channels * geo.kernel[0] * geo.kernel[1] * geo.output[0] * geo.output[1] * x.itemsize
    if cols > _IM2COL_BYTES and geo.stride == (1, 1) and geo.padded[1] <= 2 * geo.output[1]:
        return _taps_gemm(x, w, geo)
    return _im2col_gemm(x, w, geo)


def _abs_max(a: np.ndarray) -> int:
    """max |a| as an exact Python int (int64 or object arrays of ints)."""
    return max(abs(int(a.max())), abs(int(a.min())))


def result_bound(x: np.ndarray, w: np.ndarray) -> int:
    """An exact bound on every |output|: max |x| times the largest Σ|w| of one filter."""
    per_filter = np.abs(w.reshape(w.shape[0], -1).astype(object)).sum(axis=1)
    return _abs_max(x) * int(max(per_filter))


def _integer_conv(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Exact integer correlation: float64 BLAS, int64 or Python ints, whichever the bound allows."""
    bound = result_bound(x, w)
    if bound < _FLOAT_EXACT:
        out = _numeric_conv(x.astype(np.float64), w.astype(np.float64), geo)
        return np.rint(out).astype(np.int64)
    if bound <= _INT64_MAX and x.dtype != object and w.dtype != object:
        return _numeric_conv(x, w, geo)
    return _object_conv(x.astype(object), w.astype(object), geo)


def _common_denominator(a: np.ndarray) -> int:
    return math.lcm(*(v.denominator for v in a.ravel().tolist() if isinstance(v, Fraction)))


def _scaled(a: np.ndarray, den: int) -> np.ndarray:
    """Integer array ``a × den`` (exact) as int64 when it fits, else Python ints."""
    vals = [int(v * den) for v in a.ravel().tolist()]
    return _array(vals, "int").reshape(a.shape)


def correlate(x: Tensor, w: Tensor, geo: Geometry) -> np.ndarray:
    """Cross-correlation of the input (C × H × W) with the filters (F × C/g × k_h × k_w), no bias.

    Both tensors must share one kind (see :func:`promote`). Rationals are scaled to integers by the
    common denominators and divided back exactly; returns an F × H' × W' array of the kind's dtype.
    """
    kind = x.kind
    if kind == "float":
        out = _numeric_conv(x.data, w.data, geo)
    elif kind == "int":
        out = _integer_conv(x.data, w.data, geo)
    elif kind == "fraction":
        den_x, den_w = _common_denominator(x.data), _common_denominator(w.data)
        ints = _integer_conv(_scaled(x.data, den_x), _scaled(w.data, den_w), geo)
        den = den_x * den_w
        flat = [normalize(Fraction(int(v), den)) for v in ints.ravel().tolist()]
        out = _array(flat, "object").reshape(ints.shape)
    else:
        out = _object_conv(x.data, w.data, geo)
    if out.shape != (geo.filters, *geo.output):  # the formula and the array must agree
        raise AssertionError(f"output {out.shape} disagrees with the output-size formula {geo.output}")
    return out


def channel_correlate(x: Tensor, w: Tensor, geo: Geometry) -> np.ndarray:
    """The per-channel maps before summing: ``maps[f, c] = K_{f,c} ⋆ X_{g(f)·C/g + c}`` (F × C/g × H' × W').

    Computed as one grouped correlation with groups = C: input channel ``ch`` meets the kernel
    slices of every filter that reads it.
    """
    g, f, cg = geo.groups, geo.filters, geo.group_channels
    fg, (kh, kw) = geo.group_filters, geo.kernel
    maps = int(elements(NUMERIC, (f, cg)))  # one map per filter and channel it reads
    w2 = w.data.reshape(g, fg, cg, kh, kw).transpose(0, 2, 1, 3, 4).reshape(maps, 1, kh, kw)
    geo2 = replace(geo, filters=maps, groups=geo.channels)
    out = correlate(x, Tensor(np.ascontiguousarray(w2), w.kind), geo2)
    ho, wo = geo.output
    return out.reshape(g, cg, fg, ho, wo).transpose(0, 2, 1, 3, 4).reshape(f, cg, ho, wo)


def add_bias(out: np.ndarray, bias: Tensor, kind: Kind) -> np.ndarray:
    """``out[f] + bias[f]`` exactly (int64 only when no overflow is possible)."""
    b = bias.data
    if kind == "int":
        if out.dtype != object and b.dtype != object and _abs_max(out) + _abs_max(b) <= _INT64_MAX:
            return out + b[:, None, None]
        return out.astype(object) + b.astype(object)[:, None, None]
    if out.dtype == object or b.dtype == object:
        return out.astype(object) + b.astype(object)[:, None, None]
    return out + b[:, None, None]


def rotate(w: np.ndarray) -> np.ndarray:
    """Each kernel rotated by 180° (flipped along both spatial axes): true convolution."""
    return np.ascontiguousarray(w[..., ::-1, ::-1])


def exact_array(a: np.ndarray, kind: Kind) -> np.ndarray:
    """The result as an exact array: int64 (object of Python ints where int64 could overflow), float64, or object
    arrays of normalised Fractions or simplified SymPy expressions."""
    if kind == "symbolic":
        import sympy

        from symconv.core.arith import to_python
        from symconv.core.stepper import to_sympy

        def monomial(t: Any) -> bool:  # a number, a symbol, or a product or power of them
            return bool(
                t.is_Atom or (t.is_Mul or t.is_Pow) and all(f.is_Atom or f.is_Pow and f.base.is_Atom for f in t.args)
            )

        flat = []
        for v in a.ravel().tolist():
            e = sympy.Float(v) if isinstance(v, float) else to_sympy(v)
            if not all(monomial(t) for t in sympy.Add.make_args(e)):  # sums of products of entries are expanded already
                e = sympy.expand(e)
            flat.append(to_python(e) if e.is_Rational else float(e) if e.is_Float else e)
        return _array(flat, "object").reshape(a.shape)
    if kind == "fraction":
        return _array([normalize(Fraction(v)) for v in a.ravel().tolist()], "object").reshape(a.shape)
    return a


def exact_values(a: np.ndarray, kind: Kind) -> list[Any]:
    """Nested lists of exact values: ints, Fractions, floats, or simplified SymPy expressions."""
    return exact_array(a, kind).tolist()


def as_given(a: np.ndarray, kind: Kind, arrays: bool) -> Any:
    """The result in the form the input came in: an exact array for array input, nested lists for lists."""
    return exact_array(a, kind) if arrays else exact_values(a, kind)


@overload
def conv2d(
    input: np.ndarray,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = None,
    groups: Any = 1,
    flip: bool = False,
) -> np.ndarray: ...


@overload
def conv2d(
    input: list[Any],
    kernel: list[Any],
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = None,
    groups: Any = 1,
    flip: bool = False,
) -> list[Any]: ...


@overload
def conv2d(
    input: Any,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = None,
    groups: Any = 1,
    flip: bool = False,
) -> Any: ...


@public(tensors=("input", "kernel", "bias"), flags=("flip",))
def conv2d(
    input: Any,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = None,
    groups: Any = 1,
    flip: bool = False,
) -> Any:
    """The numeric result, F × H' × W' (H' × W' for a 2-D or 3-D kernel): an array for array input, lists for lists.

    Same layout and conventions as ``torch.nn.functional.conv2d`` (cross-correlation, padding per
    side, dilation 1 = ordinary kernel), plus 'same' padding (TensorFlow's rule) and ``flip``
    (true convolution). numpy arrays and torch tensors come back as a numpy array: int64 for integer
    input (object of Python ints where int64 could overflow), float64 for float input, object for
    Fractions and SymPy entries; nested lists come back as nested lists of ints, Fractions or SymPy
    expressions (a Python float in a list is the decimal it prints, as everywhere in symconv).
    """
    arrays = is_array(input) or is_array(kernel)
    x, k, b, geo, single = prepare(input, kernel, stride, padding, dilation, bias, groups)
    if flip:
        k = Tensor(rotate(k.data), k.kind)
    out = correlate(x, k, geo)
    if b is not None:
        out = add_bias(out, b, x.kind)
    return as_given(out[0] if single else out, x.kind, arrays)


def prepare(
    input: Any, kernel: Any, stride: Any, padding: Any, dilation: Any, bias: Any, groups: Any
) -> tuple[Tensor, Tensor, Tensor | None, Geometry, bool]:
    """Parse and validate everything: (input C×H×W, kernel F×C/g×k_h×k_w, bias F or None, geometry, one filter?).

    All three tensors come back in their common kind.
    """
    x = parse_tensor(input, "input", (2, 3))
    k = parse_tensor(kernel, "kernel", (2, 3, 4))
    if x.data.ndim == 2:
        x = Tensor(x.data[None], x.kind)
    single = k.data.ndim < 4
    if k.data.ndim == 2:
        k = Tensor(k.data[None, None], k.kind)
    elif k.data.ndim == 3:
        k = Tensor(k.data[None], k.kind)
    geo = plan(x.data.shape, k.data.shape, stride, padding, dilation, groups)
    b = None
    if bias is not None and not (isinstance(bias, (int, np.integer)) and not isinstance(bias, bool) and bias == 0):
        raw = bias if isinstance(bias, (list, tuple, np.ndarray)) else [bias] * geo.filters
        b = parse_tensor(
            list(np.asarray(raw, dtype=object).ravel()) if isinstance(raw, np.ndarray) else list(raw), "bias", (1,)
        )
        if b.data.shape[0] != geo.filters:
            raise InputError(
                "bias",
                bias,
                f"has {count(b.data.shape[0], 'entry', 'entries')} but there {'is' if geo.filters == 1 else 'are'} {count(geo.filters, 'filter')}",
            )
    kind = common_kind(x, k, *([b] if b is not None else []))
    x, k = promote(x, kind), promote(k, kind)
    check_work(geo, arithmetic(x, k))
    if b is not None:
        b = promote(b, kind)
    return x, k, b, geo, single
