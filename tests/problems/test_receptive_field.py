"""Receptive field: the seed's chain, the impulse response of real convolutions, the induction proof."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from brute import impulse_receptive_fields
from hypothesis import assume, given
from hypothesis import strategies as st

from symconv import receptive_field
from symconv.errors import InputError
from symconv.problems.receptive_field import closed_form, prove_recurrence


def test_seed_values_and_chain() -> None:
    r = receptive_field(kernels=[4, 4, 4], strides=[1, 2, 2])
    assert r.value == 13
    assert r.answers["receptive_fields"] == [4, 7, 13]
    assert r.answers["effective_stride"] == 4
    wide = r.text(width=200)
    assert "RF_3 = RF_2 + (k_3 − 1) × (s_1 × s_2) = 7 + (4 − 1) × (1 × 2) = 7 + 3 × 2 = 7 + 6 = 13" in wide
    assert "RF_2 = RF_1 + (k_2 − 1) × s_1 = 4 + (4 − 1) × 1" in wide
    # at 80 columns the chain breaks at its equals signs, under the first one
    assert "RF_3 = RF_2 + (k_3 − 1) × (s_1 × s_2)\n       = 7 + (4 − 1) × (1 × 2)\n" in r.text(width=80)


def test_detail_levels() -> None:
    r = receptive_field(kernels=[4, 4, 4], strides=[1, 2, 2])
    assert "RF_3 = RF_2 + (k_3 − 1) × (s_1 × s_2) = 7 + (4 − 1) × (1 × 2) = 13" in r.text("compact", width=100)
    assert "RF_3 = 13" in r.text("answer") and "7 + 6" not in r.text("answer")
    assert "\\boxed{13}" in r.latex()


layers = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3), st.integers(0, 2)), min_size=1, max_size=4
)


@given(layers)
def test_against_impulse_response(spec: list[tuple[int, int, int, int]]) -> None:
    ks, ss, ds, ps = (list(x) for x in zip(*spec))
    size = 60
    try:
        spans = impulse_receptive_fields(ks, ss, ds, ps, size)
    except ValueError:  # no output left
        assume(False)
    assume(len(spans) >= 2)
    r = receptive_field(kernels=ks, strides=ss, dilations=ds, paddings=ps)
    rf, stride, pad = r.value, r.answers["effective_stride"], r.answers["effective_padding"]
    widths = [b - a + 1 for a, b in spans]
    # outputs near a border see part of their field in the padding; none sees more than RF
    assert max(widths) <= rf
    full = [(o, a) for o, (a, b) in enumerate(spans) if b - a + 1 == rf]
    assume(full)
    # where a whole field is inside the input, it starts at o·S − P (Araujo et al.)
    for o, a in full:
        assert a == o * stride - pad
    o, a = full[0]
    centre = receptive_field(kernels=ks, strides=ss, dilations=ds, paddings=ps, position=o).answers["center"]
    assert centre == Fraction(2 * a + rf - 1, 2)


def test_symbolic_closed_form_matches_numbers() -> None:
    r = receptive_field(kernels=["k_1", "k_2", "k_3"], strides=["s_1", "s_2", "s_3"])
    expr = r.value
    values = {s: v for s, v in zip(sorted(expr.free_symbols, key=str), [4, 4, 4, 1, 2])}
    assert expr.xreplace(values) == 13
    assert sympy.expand(expr - closed_form(3)) == 0


def test_induction_proof_holds() -> None:
    proof = prove_recurrence()
    assert proof["holds"] and proof["base"] == 1


def test_dilation_and_rectangular_kernels() -> None:
    r = receptive_field(kernels=[3, [3, 5]], strides=[2, 1], dilations=[1, 2])
    # height: 3, then (2·2 + 1 − 1)·2 = 8 more; width: 3 + (2·4 + 1 − 1)·2
    assert r.value == [3 + 4 * 2, 3 + 8 * 2]
    assert "k'_h,2 = d_h,2 × (k_h,2 − 1) + 1" in r.text()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kernels": [3, 3], "strides": [1]}, "strides"),
        ({"kernels": [3, 0]}, "kernels[1]"),
        ({"kernels": [3], "strides": [0]}, "strides[0]"),
        ({"kernels": [3], "paddings": [-1]}, "paddings[0]"),
        ({"kernels": [2.5]}, "kernels[0]"),
        ({"kernels": []}, "kernels"),
        ({"kernels": ["import os"]}, "kernels[0]"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        receptive_field(**kwargs)
    assert err.value.field == field
    assert field in str(err.value)
