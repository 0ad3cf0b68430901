"""A convolution layer: shape, parameters and multiplications against a naive loop with counters."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from brute import conv2d_counted, conv_transpose2d_counted
from hypothesis import assume, given
from hypothesis import strategies as st

from symconv import conv_layer
from symconv.errors import InputError
from symconv.solution.derivation import Equation


def test_seed_exercise_three() -> None:
    r = conv_layer(input=[38, 38, 22], kernel=3, filters=224, stride=2)
    a = r.answers
    assert a["output_shape"] == [18, 18, 224]
    assert (a["weights"], a["biases"], a["parameters"]) == (44352, 224, 44576)
    assert a["multiplications"] == a["macs"] == 14370048  # the seed's figure, 18 × 18 × 224 × (3 × 3 × 22)
    assert a["flops"] == 28740096
    assert "M = H' × W' × C_out × K = 18 × 18 × 224 × 198 = 14,370,048" in r.text()


@given(
    H=st.integers(3, 8),
    W=st.integers(3, 8),
    groups=st.integers(1, 2),
    cpg=st.integers(1, 2),
    fpg=st.integers(1, 2),
    k=st.integers(1, 3),
    s=st.integers(1, 2),
    p=st.integers(0, 1),
    d=st.integers(1, 2),
    bias=st.booleans(),
)
def test_against_naive_loop(
    H: int, W: int, groups: int, cpg: int, fpg: int, k: int, s: int, p: int, d: int, bias: bool
) -> None:
    assume(d * (k - 1) + 1 <= min(H, W) + 2 * p)
    C, F = groups * cpg, groups * fpg
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, size=(C, H, W))
    w = rng.integers(-3, 4, size=(F, cpg, k, k))
    b = rng.integers(-3, 4, size=F) if bias else None
    out, mults, adds = conv2d_counted(x, w, (s, s), (p, p), (d, d), groups, b)
    r = conv_layer([H, W, C], k, F, stride=s, padding=p, dilation=d, groups=groups, bias=bias)
    assert r.answers["output_shape"] == [out.shape[1], out.shape[2], out.shape[0]]
    assert r.answers["multiplications"] == mults
    assert r.answers["weights"] == w.size
    assert r.answers["parameters"] == w.size + (F if bias else 0)
    assert r.answers["additions"] == adds  # counted while the naive loop sums
    assert r.answers["flops_exact"] == mults + adds


@given(
    H=st.integers(1, 4),
    W=st.integers(1, 4),
    groups=st.integers(1, 2),
    cpg=st.integers(1, 2),
    fpg=st.integers(1, 2),
    kh=st.integers(1, 4),
    kw=st.integers(1, 3),
    s=st.integers(1, 4),
    d=st.integers(1, 3),
    p=st.integers(0, 4),
    a=st.integers(0, 3),
    bias=st.booleans(),
)
def test_transposed_additions_count_the_products_that_land(
    H: int, W: int, groups: int, cpg: int, fpg: int, kh: int, kw: int, s: int, d: int, p: int, a: int, bias: bool
) -> None:
    """Against a scatter loop: every product that lands in an output element, and the additions that sum them."""
    assume(a < s or a < d)
    C, F = groups * cpg, groups * fpg
    out, products, adds = conv_transpose2d_counted((H, W), C, F, (kh, kw), (s, s), (p, p), (d, d), (a, a), groups, bias)
    assume(min(out) >= 1)
    r = conv_layer(
        [H, W, C],
        [kh, kw],
        F,
        stride=s,
        padding=p,
        dilation=d,
        groups=groups,
        bias=bias,
        transposed=True,
        output_padding=a,
    )
    assert r.answers["output_shape"] == [out[0], out[1], F]
    assert r.answers["additions"] >= 0
    assert r.answers["additions"] == adds
    assert r.answers["flops_exact"] == r.answers["macs"] + adds
    steps = {str(e.lhs): e.result for e in r.steps if isinstance(e, Equation)}
    assert steps["P"] == products


def test_transposed_additions_where_outputs_receive_nothing() -> None:
    """Stride 3 with a 1 × 1 kernel reaches every third output; output padding 2 adds two that nothing reaches.

    Each of the 2 × 2 reached outputs receives one product and needs no addition (the old count gave −32).
    """
    r = conv_layer([2, 2, 1], 1, 1, stride=3, transposed=True, output_padding=2, bias=False)
    assert r.answers["output_shape"] == [6, 6, 1]
    assert r.answers["additions"] == 0
    assert "Output rows that receive at least one product" in r.text()
    with_bias = conv_layer([2, 2, 1], 1, 1, stride=3, transposed=True, output_padding=2)
    assert with_bias.answers["additions"] == 4  # the bias added to each of the four products


def test_transposed_additions_with_a_symbolic_input_size() -> None:
    """Kernel, stride and padding numeric, H and W symbols: a closed form that substitutes to the count."""
    r = conv_layer(["H", "W", 2], 3, 4, stride=2, padding=1, transposed=True, bias=False)
    closed = r.answers["additions"]
    for h, w in ((1, 1), (2, 5), (7, 3)):
        values = {sym: {"H": h, "W": w}[sym.name] for sym in closed.free_symbols}
        numeric = conv_layer([h, w, 2], 3, 4, stride=2, padding=1, transposed=True, bias=False)
        assert closed.xreplace(values) == numeric.answers["additions"]
    assert "additions" not in conv_layer([4, 4, 2], "k", 4, stride=2, transposed=True).answers


def test_symbolic_layer_substitutes_to_numbers() -> None:
    r = conv_layer(["H", "W", "C"], "k", "F", stride=2)
    numeric = conv_layer([38, 38, 22], 3, 224, stride=2)
    values = {s: {"H": 38, "W": 38, "C": 22, "k": 3, "F": 224}[s.name] for s in r.value.free_symbols}
    assert r.value.xreplace(values) == numeric.value
    assert [sympy.sympify(x).xreplace(values) for x in r.answers["output_shape"][:2]] == [18, 18]


def test_same_padding_keeps_size_at_stride_one_and_ceil_at_stride_two() -> None:
    assert conv_layer([7, 9, 3], 4, 8, padding="same").answers["output_shape"] == [7, 9, 8]
    assert conv_layer([7, 9, 3], 3, 8, stride=2, padding="same").answers["output_shape"] == [4, 5, 8]


def test_depthwise_and_transposed() -> None:
    dw = conv_layer([14, 14, 32], 3, 32, groups=32, padding=1)
    assert dw.answers["weights"] == 3 * 3 * 32 and dw.answers["multiplications"] == 14 * 14 * 32 * 9
    t = conv_layer([4, 4, 8], 4, 3, stride=2, padding=1, transposed=True)
    assert t.answers["output_shape"] == [8, 8, 3]
    assert t.answers["multiplications"] == 4 * 4 * 8 * (4 * 4 * 3)  # over input positions


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"input": [38, 38], "kernel": 3, "filters": 4}, "input"),
        ({"input": [38, 38, 22], "kernel": 3, "filters": 0}, "filters"),
        ({"input": [38, 38, 22], "kernel": 3, "filters": 4, "groups": 3}, "groups"),
        ({"input": [2, 2, 1], "kernel": 3, "filters": 4}, "height kernel"),
        ({"input": [8, 8, 1], "kernel": 3, "filters": 4, "padding": "full"}, "padding"),
        ({"input": [8, 8, 1], "kernel": 3, "filters": 4, "bias": "yes"}, "bias"),
    ],
)
def test_bad_input(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        conv_layer(**kwargs)
    assert err.value.field == field
