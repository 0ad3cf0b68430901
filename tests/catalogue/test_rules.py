"""The compositions next to the catalogue: padding words, TensorFlow's 'SAME', PyTorch's ceil mode, adaptive windows."""

from __future__ import annotations

import pytest
from brute import pool1d_ceil_count
from hypothesis import given
from hypothesis import strategies as st

from symconv.catalogue import TF_SAME_PADDING_TOTAL
from symconv.catalogue.backend import NUMERIC
from symconv.catalogue.rules import (
    adaptive_axis,
    ceil_window,
    groups_divide,
    kernel_fits,
    padding_word,
    tf_same,
)
from symconv.core.arith import size_symbol
from symconv.errors import InputError


@pytest.mark.parametrize(
    ("value", "word"), [("same", "same"), (" VALID ", "valid"), (3, None), ("p", None), ([1, 2], None)]
)
def test_padding_words(value: object, word: str | None) -> None:
    assert padding_word(value, "padding") == word


@pytest.mark.parametrize("word", ["full", "causal", "reflect", "replicate", "circular"])
def test_other_libraries_padding_words_are_refused_with_a_hint(word: str) -> None:
    with pytest.raises(InputError) as e:
        padding_word(word.upper(), "layers[0].padding")
    assert e.value.field == "layers[0].padding" and "k − 1" in str(e.value)


@given(i=st.integers(1, 80), k=st.integers(1, 9), s=st.integers(1, 9), d=st.integers(1, 3))
def test_tf_same_without_the_max_only_where_the_bound_decides_it(i: int, k: int, s: int, d: int) -> None:
    """Dropping the max (k_eff ≥ s) or the padding (k_eff = 1) gives what the max itself gives."""
    w = tf_same(NUMERIC, i, k, s, d)
    assert w.same_total == TF_SAME_PADDING_TOTAL(w.o, s, w.k_eff, i) >= 0
    assert w.p_b + w.p_e == w.same_total


@given(i=st.integers(1, 40), k=st.integers(1, 6), s=st.integers(1, 6), p=st.integers(0, 3), d=st.integers(1, 2))
def test_ceil_mode_against_pytorchs_windows(i: int, k: int, s: int, p: int, d: int) -> None:
    k_eff = d * (k - 1) + 1
    if k_eff > i + 2 * p or 2 * p > k_eff:  # PyTorch's own limits
        return
    w = ceil_window(NUMERIC, i, k, s, d, p)
    assert w.o == pool1d_ceil_count(i, k, s, p, d)
    assert w.dropped_last is (w.o != w.ceil_output)
    if w.always_kept:
        assert not w.dropped_last


@given(i=st.integers(1, 60), o=st.integers(1, 12))
def test_adaptive_windows_against_pytorchs_definition(i: int, o: int) -> None:
    """PyTorch: window j covers [floor(j·i/o), ceil((j + 1)·i/o)), enumerated here by testing every pixel."""
    spans = [[x for x in range(i) if j * i < (x + 1) * o and x * o < (j + 1) * i] for j in range(o)]
    a = adaptive_axis(i, o)
    assert a.kernel == max(len(span) for span in spans)
    if i % o == 0:  # o divides i: o disjoint windows of i/o pixels side by side
        assert a.uniform and a.kernel == a.stride == i // o
    else:
        assert not a.uniform


def test_predicates() -> None:
    assert groups_divide(NUMERIC, 3, 12) and groups_divide(NUMERIC, 5, 12) is False
    assert groups_divide(NUMERIC, size_symbol("g"), 12) is None  # a symbol: undecided
    assert kernel_fits(NUMERIC, 5, 7, 1, 1) and kernel_fits(NUMERIC, 5, 8, 1, 1) is False
