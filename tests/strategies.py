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
