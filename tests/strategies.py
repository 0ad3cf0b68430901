"""Hypothesis strategies shared by several test modules."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st


@st.composite
def problems(draw: Any, max_value: int = 6) -> dict[str, Any]:
    """A random grouped, strided, dilated, padded convolution with small integer entries."""
    groups = draw(st.integers(1, 3))
    cg, fg = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 8))
    w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    c, f = groups * cg, groups * fg
    return {
        "x": rng.integers(-max_value, max_value + 1, (c, h, w)),
        "w": rng.integers(-max_value, max_value + 1, (f, cg, kh, kw)),
        "b": rng.integers(-max_value, max_value + 1, f),
        "stride": (sh, sw),
        "padding": (ph, pw),
        "dilation": (dh, dw),
        "groups": groups,
    }


# --- junk arguments for the public API ----------------------------------------------------------------

_WORDS = (
    "", " ", "same", "valid", "full", "floor", "ceil", "transposed", "tf_same", "conv", "maxpool", "savings",
    "conv_output_size", "layer.parameters", "macs", "parameters", "P", "s", "k", "H", "k_1", "x_11", "1/3", "0.5",
    "-2", "1/0", "2e3", "1e999999", "٣", "３", "__import__('os')", "a b", "\x1b[31m", "no", "True", "nan", "inf",
    "<=", ">=", "==", "name", "input", "relu", "/dev/null",
)  # fmt: skip


def _scalars() -> st.SearchStrategy[Any]:
    """Single values of every kind a caller might pass: plausible sizes, edge numbers, words, numpy and odd objects."""
    from fractions import Fraction

    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 8),
        st.sampled_from([0, 1, 2, 3, 10**15, 10**16, -(10**20), 2**63, 2**64 + 1]),
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        st.sampled_from([0.1, 2.5, 3.0, -0.0, 1e300, 1e-300]),
        st.sampled_from(_WORDS),
        st.text(max_size=6),
        st.fractions(max_denominator=7),
        st.sampled_from([Fraction(1, 3), Fraction(10**20, 3)]),
        st.sampled_from([np.int64(3), np.int8(-2), np.uint64(2**64 - 1), np.float32(0.1), np.float64(2.0)]),
        st.sampled_from([np.bool_(True), np.float16(0.5), np.complex128(1 + 2j), complex(1, 1), b"3", bytearray(b"x")]),
        st.sampled_from([object(), {1, 2}, frozenset(), type, print, Ellipsis, range(3), range(0)]),
    )


def _arrays() -> st.SearchStrategy[Any]:
    shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
    dtypes = st.sampled_from([np.int64, np.float64, np.float32, np.bool_, np.uint8, object, np.complex64])
    return st.builds(lambda s, d, seed: np.random.default_rng(seed).integers(-3, 4, s).astype(d), shapes, dtypes,
                     st.integers(0, 99))  # fmt: skip


@st.composite
def junk(draw: Any) -> Any:
    """A junk argument: a scalar, an array, or small lists and tables of junk nested a few levels (small sizes, so
    that only the rules of each function, not a documented size limit, decide the answer)."""
    leaf = st.one_of(_scalars(), _arrays())
    nested = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner, inner),
            st.dictionaries(
                st.sampled_from(["input", "layers", "type", "kernel", "filters", "name", "P", "L"]), inner, max_size=3
            ),
        ),
        max_leaves=8,
    )
    return draw(nested)
