"""Output sizes against windows enumerated by brute force."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
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


@given(
    i=st.integers(1, 12),
    k=st.integers(1, 5),
    s=st.integers(1, 4),
    p=st.integers(0, 3),
    d=st.integers(1, 3),
    a=st.integers(0, 3),
)
def test_transposed_follows_pytorch(i: int, k: int, s: int, p: int, d: int, a: int) -> None:
    """PyTorch's conv_transpose1d decides the size: symconv gives it, or refuses what PyTorch refuses."""
    torch = pytest.importorskip("torch")
    weight = torch.ones(1, 1, k)
    try:
        o = torch.nn.functional.conv_transpose1d(
            torch.ones(1, 1, i), weight, stride=s, padding=p, output_padding=a, dilation=d
        ).shape[-1]
    except RuntimeError:  # output padding too large, or nothing left after the padding
        with pytest.raises(InputError):
            output_size(i, k, s, p, d, mode="transposed", output_padding=a)
        return
    assert output_size(i, k, s, p, d, mode="transposed", output_padding=a).value == o


@given(i=sizes, k=st.integers(1, 7), s=st.integers(1, 5), d=st.integers(1, 3))
def test_tf_same(i: int, k: int, s: int, d: int) -> None:
    r = output_size(i, k, s, d=d, mode="tf_same")
    before, after = r.answers["padding_before"], r.answers["padding_after"]
    assert after - before in (0, 1)  # the extra pixel goes after (right/bottom)
    assert r.value == len(conv1d_positions(i, k, s, before, after, d))  # the padding gives that many windows
    # TensorFlow's 'SAME': the fewest outputs whose strides cover the input
    assert r.value == min(o for o in range(1, i + 1) if o * s >= i)


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
    with pytest.raises(InputError, match="leaves an output of -8 pixels"):  # (2 − 1)·1 − 2·5 + 0 + 0 + 1
        output_size(2, 1, 1, 5, mode="transposed")


def test_symbolic_ceil_mode_keeps_pytorchs_rule_as_a_condition() -> None:
    # with k = 1 and a large stride the last window can start in the padding: the closed form must know
    for i, k, p in ((10, 1, 0), (10, 3, 0), (9, 2, 1)):
        r = output_size(i, k, "S", p, mode="ceil")
        S = next(iter(r.value.free_symbols))
        assert [r.value.subs(S, s) for s in range(1, 25)] == [
            output_size(i, k, s, p, mode="ceil").value for s in range(1, 25)
        ]
    assert "otherwise" in output_size(10, 1, "S", mode="ceil").text()


def test_symbolic_ceil_mode_without_a_condition_where_the_window_always_fits() -> None:
    """k ≥ p + s: the last window can never start in the right padding, so no condition is needed."""
    r = output_size("i", 3, 2, 1, mode="ceil")
    i = next(iter(r.value.free_symbols))
    assert not r.value.has(sympy.Piecewise)
    assert [r.value.subs(i, n) for n in range(2, 30)] == [
        output_size(n, 3, 2, 1, mode="ceil").value for n in range(2, 30)
    ]
    assert "PyTorch keeps it" in r.text()


def test_symbolic_tf_same_drops_the_max_only_where_it_is_decided() -> None:
    """k_eff ≥ s: the padding needed is never negative (the max goes); k_eff < s keeps it."""
    decided = output_size("i", 3, 2, mode="tf_same")
    undecided = output_size("i", 2, 3, mode="tf_same")
    assert not decided.answers["padding_total"].has(sympy.Max) and undecided.answers["padding_total"].has(sympy.Max)
    for r, (k, s) in ((decided, (3, 2)), (undecided, (2, 3))):
        i = next(iter(r.value.free_symbols))
        assert [r.answers["padding_total"].subs(i, n) for n in range(1, 20)] == [
            output_size(n, k, s, mode="tf_same").answers["padding_total"] for n in range(1, 20)
        ]


def test_one_name_per_parameter_with_the_letters_as_shorthand() -> None:
    """output_size takes input, kernel, stride, padding, dilation, output_padding like every other function;
    the catalogue's letters i, k, s, p, d, a are shorthand, and positions keep working."""
    by_name = output_size(input=38, kernel=3, stride=2, padding=1, dilation=2).value
    assert by_name == output_size(38, 3, 2, 1, 2).value == output_size(i=38, k=3, s=2, p=1, d=2).value
    assert by_name == len(conv1d_positions(38, 3, 2, 1, 1, 2))
    up = output_size(5, kernel=3, stride=2, mode="transposed", output_padding=1).value
    assert up == output_size(5, k=3, s=2, mode="transposed", a=1).value == (5 - 1) * 2 + 3 + 1  # PyTorch's formula


def test_problem_files_take_the_same_names_and_letters() -> None:
    from symconv.io.problemfile import parse, solve

    def size(table: dict) -> int:
        (problem,) = parse({"problem": [{"id": "a", "type": "output_size", **table}]})
        return solve(problem).value

    assert size({"input": 38, "kernel": 3, "stride": 2}) == size({"i": 38, "k": 3, "s": 2}) == 18
    with pytest.raises(InputError, match="did you mean 'kernel'"):
        size({"input": 38, "kernel_size": 3})
    with pytest.raises(InputError, match="given twice"):
        size({"input": 38, "kernel": 3, "k": 3})
