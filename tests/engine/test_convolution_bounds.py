"""Convolutions are refused before the work when they would exceed the limits, and computed within them."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from symconv import convolve
from symconv.core.limits import MAX_EXACT_PRODUCTS, MAX_OUTPUTS, MAX_PADDED, MAX_PRODUCTS, MAX_SYMBOLIC_PRODUCTS
from symconv.engine.convolution import Tensor, arithmetic, conv2d, prepare
from symconv.errors import InputError


@pytest.mark.parametrize(
    "kwargs, field, limit",
    [
        ({"input": [[1, 2], [3, 4]], "kernel": [[1, 0], [0, 1]], "padding": 5000}, "padding", MAX_PADDED),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1, 0], [0, 1]], "padding": 20000}, "padding", MAX_PADDED),
        ({"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 10**15, "padding": 100000}, "padding", MAX_PADDED),
        ({"input": [[1, 2]], "kernel": [[1, 2]], "dilation": 10**15, "padding": 10**15}, "padding", MAX_PADDED),
        ({"input": np.zeros((1, 1024, 1025)), "kernel": [[1]]}, "input", MAX_OUTPUTS),
        ({"input": np.zeros((1, 256, 256)), "kernel": np.zeros((128, 128))}, "kernel", MAX_PRODUCTS),
        ({"input": [[10**15] * 128] * 128, "kernel": [[10**15] * 64] * 64}, "kernel", MAX_EXACT_PRODUCTS),
        ({"input": [["x"] * 40] * 40, "kernel": [["w"] * 10] * 10}, "kernel", MAX_SYMBOLIC_PRODUCTS),
    ],
)
def test_refused_before_any_array_is_built(kwargs: dict, field: str, limit: int) -> None:
    with pytest.raises(InputError) as e:
        convolve(**kwargs)
    assert e.value.field == field and f"{limit:,}" in str(e.value) and "docs/limits.md" in str(e.value)


def test_the_arithmetic_is_chosen_from_a_bound_on_the_results() -> None:
    def how(x: list, w: list) -> str:
        a, b, *_ = prepare(x, w, 1, 0, 1, None, 1)
        return arithmetic(a, b)

    assert how([[1, 2], [3, 4]], [[1]]) == "machine"
    assert how([[2**40, 1]], [[2**30]]) == "exact"  # 2^70 does not fit int64
    assert how([["1/3", "1/2"]], [["1/7"]]) == "machine"  # scaled to small integers
    assert how([[1.5]], [[2]]) == "machine"
    assert how([["x"]], [[2]]) == "symbolic"
    assert arithmetic(Tensor(np.array([1], dtype=object), "int"), Tensor(np.array([1], dtype=object), "int")) == "exact"


def test_symbolic_outputs_are_the_sums_of_their_products() -> None:
    """Each output is built as one sum; the same as summing the window's products one at a time."""
    xs = np.array(sympy.symbols("x0:25"), dtype=object).reshape(5, 5)
    ws = np.array(sympy.symbols("w0:9"), dtype=object).reshape(3, 3)
    out = convolve(xs.tolist(), ws.tolist(), padding=1).output
    for i in range(5):
        for j in range(5):
            window = [
                ws[u, v] * xs[i + u - 1, j + v - 1]
                for u in range(3)
                for v in range(3)
                if 0 <= i + u - 1 < 5 and 0 <= j + v - 1 < 5
            ]
            assert sympy.expand(out[i][j] - sum(window)) == 0


def test_large_numeric_convolutions_are_computed_in_blocks_exactly() -> None:
    """A windows' matrix of 94 MB built in blocks of output positions (64 MB at most): PyTorch's answer, exactly."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(12)
    x = rng.integers(-9, 10, (1, 160, 160))
    w = rng.integers(-9, 10, (2, 1, 40, 40))
    out = conv2d(x, w, stride=(2, 1), padding=(0, 1))
    ref = torch.nn.functional.conv2d(
        torch.tensor(x, dtype=torch.float64)[None], torch.tensor(w, dtype=torch.float64), stride=(2, 1), padding=(0, 1)
    )[0]
    assert out.shape == (2, 61, 123) and np.array_equal(out, ref.numpy().astype(np.int64))
