"""A convolution layer: shape, parameters and multiplications against a naive loop with counters."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from brute import conv2d_naive
from hypothesis import assume, given
from hypothesis import strategies as st

from symconv import conv_layer
from symconv.errors import InputError


def test_seed_exercise_three() -> None:
    r = conv_layer(input=[38, 38, 22], kernel=3, filters=224, stride=2)
    a = r.answers
    assert a["output_shape"] == [18, 18, 224]
    assert (a["weights"], a["biases"], a["parameters"]) == (44352, 224, 44576)
    assert a["multiplications"] == a["macs"] == 18 * 18 * 224 * (3 * 3 * 22) == 14370048
    assert a["flops"] == 2 * 14370048
    assert "M = H'W' × C_out × K = 18 × 18 × 224 × 198 = 14,370,048" in r.text()


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
    out, mults = conv2d_naive(x, w, (s, s), (p, p), (d, d), groups)
    r = conv_layer([H, W, C], k, F, stride=s, padding=p, dilation=d, groups=groups, bias=bias)
    assert r.answers["output_shape"] == [out.shape[1], out.shape[2], out.shape[0]]
    assert r.answers["multiplications"] == mults
    assert r.answers["weights"] == w.size
    assert r.answers["parameters"] == w.size + (F if bias else 0)
    # additions: summing K products takes K − 1, plus the bias
    assert r.answers["additions"] == out.size * (mults // out.size - 1 + (1 if bias else 0))


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
