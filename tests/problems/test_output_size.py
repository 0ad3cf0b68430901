"""Output sizes against windows enumerated by brute force."""

from __future__ import annotations

import numpy as np
import pytest
from brute import conv1d_positions, pool1d_ceil_count
from hypothesis import assume, given
from hypothesis import strategies as st

from symconv import output_size
from symconv.errors import InputError

sizes = st.integers(1, 40)


@given(i=sizes, k=st.integers(1, 7), s=st.integers(1, 5), p=st.integers(0, 4), d=st.integers(1, 3))
def test_floor_mode_counts_the_windows(i: int, k: int, s: int, p: int, d: int) -> None:
    assume(d * (k - 1) + 1 <= i + 2 * p)
    assert output_size(i, k, s, p, d).value == len(conv1d_positions(i, k, s, p, p, d))


@given(i=sizes, k=st.integers(1, 5), s=st.integers(1, 4), d=st.integers(1, 2))
def test_floor_mode_matches_numpy_sliding_window(i: int, k: int, s: int, d: int) -> None:
    assume(d * (k - 1) + 1 <= i)
    x = np.arange(i)
    windows = np.lib.stride_tricks.sliding_window_view(x, d * (k - 1) + 1)[::s]
    assert output_size(i, k, s, 0, d).value == windows.shape[0]


@given(i=sizes, k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2))
def test_ceil_mode_follows_pytorch(i: int, k: int, s: int, p: int) -> None:
    assume(k <= i + 2 * p and p <= k // 2)
    assert output_size(i, k, s, p, mode="ceil").value == pool1d_ceil_count(i, k, s, p, 1)


@given(i=st.integers(1, 12), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2), a=st.integers(0, 3))
def test_transposed_is_the_extent_of_the_scatter(i: int, k: int, s: int, p: int, a: int) -> None:
    assume(a < s)
    # every input position scatters k taps at x*s + j; the output spans them, cropped by p on each side
    touched = [x * s + j for x in range(i) for j in range(k)]
    expected = max(touched) + 1 - 2 * p + a
    assume(expected > 0)
    assert output_size(i, k, s, p, mode="transposed", output_padding=a).value == expected


@given(i=sizes, k=st.integers(1, 7), s=st.integers(1, 5), d=st.integers(1, 3))
def test_tf_same(i: int, k: int, s: int, d: int) -> None:
    r = output_size(i, k, s, d=d, mode="tf_same")
    before, after = r.answers["padding_before"], r.answers["padding_after"]
    assert after - before in (0, 1)  # the extra pixel goes after (right/bottom)
    assert r.value == len(conv1d_positions(i, k, s, before, after, d)) == -(-i // s)


def test_symbolic() -> None:
    r = output_size(k=3, s=2)
    i = next(iter(r.value.free_symbols))
    assert [r.value.xreplace({i: n}) for n in (5, 6, 7)] == [2, 2, 3]


def test_kernel_larger_than_padded_input() -> None:
    with pytest.raises(InputError, match="larger than the padded input 3"):
        output_size(3, 5)
    with pytest.raises(InputError, match="output_padding"):
        output_size(3, 3, 2, mode="transposed", output_padding=2)
    with pytest.raises(InputError, match="mode"):
        output_size(3, 3, mode="round")


def test_symbolic_ceil_mode_keeps_pytorchs_rule_as_a_condition() -> None:
    # with k = 1 and a large stride the last window can start in the padding: the closed form must know
    for i, k, p in ((10, 1, 0), (10, 3, 0), (9, 2, 1)):
        r = output_size(i, k, "S", p, mode="ceil")
        S = next(iter(r.value.free_symbols))
        assert [r.value.subs(S, s) for s in range(1, 25)] == [
            output_size(i, k, s, p, mode="ceil").value for s in range(1, 25)
        ]
    assert "otherwise" in output_size(10, 1, "S", mode="ceil").text()
