"""Receptive fields at scale: derivations linear in the layers, nested closed forms, exact huge numbers, limits."""

from __future__ import annotations

import json
import sys

import pytest
import sympy

from symconv import receptive_field
from symconv.core.arith import long_integers
from symconv.core.limits import MAX_STACK_DIGITS, MAX_SYMBOLIC_LAYERS
from symconv.errors import InputError
from symconv.problems.receptive_field import closed_form


def test_the_derivation_grows_linearly_with_the_layers() -> None:
    """Every later line writes S_(l−1), never the product of all the strides before it: 2n layers, twice the text."""
    small, large = (receptive_field([3] * n, [1] * n).text("full", width=100) for n in (200, 400))
    assert 1.8 < len(large) / len(small) < 2.2
    assert "S_199 = S_198 × s_199 = 1 × 1 = 1" in small
    assert "RF_200 = RF_199 + (k_200 − 1) × S_199 = 399 + (3 − 1) × 1" in small
    assert "s_1 × s_2" not in large


def test_symbolic_closed_forms_are_nested_and_right() -> None:
    n = 6
    r = receptive_field([f"k_{i}" for i in range(1, n + 1)], [f"s_{i}" for i in range(1, n + 1)])
    nested = r.value
    assert sympy.expand(nested - closed_form(n)) == 0  # the unrolled recurrence, expanded independently
    # nested: each stride appears once (the expanded form repeats s_1 in every later term)
    assert str(nested).count("s_1") == 1 and str(closed_form(n)).count("s_1") >= n - 1
    assert "RF_3 = RF_2 + (k_3 − 1) × S_2 = k_1 + s_1 × (k_2 + s_2 × (k_3 − 1) − 1)" in r.text(width=200)


def test_symbolic_stacks_are_limited_before_the_work() -> None:
    names = [f"k_{i}" for i in range(MAX_SYMBOLIC_LAYERS + 1)]
    receptive_field(names[:MAX_SYMBOLIC_LAYERS])  # at the limit: answered
    with pytest.raises(InputError) as e:
        receptive_field(names)
    assert e.value.field == "kernels" and f"{MAX_SYMBOLIC_LAYERS + 1}" in str(e.value)


def test_integers_past_pythons_digit_limit_print_exactly() -> None:
    """300 layers of stride 10^15: a 4,501-digit effective stride, in every format, Python's own limit unchanged."""
    before = sys.get_int_max_str_digits()
    r = receptive_field([3] * 300, [10**15] * 300)
    assert r.answers["effective_stride"] == 10 ** (15 * 300)
    with long_integers():  # reading it back needs the same allowance as writing it (json parses with int())
        answers = json.loads(r.document("json"))["problems"][0]["answers"]
    assert answers["effective_stride"] == 10**4500 and answers["receptive_field"] == 1 + 2 * sum(
        10 ** (15 * l) for l in range(300)
    )
    assert "1," + "000," * 1499 + "000" in r.text("answer")  # 10^4500 with its thousands grouped
    assert sys.get_int_max_str_digits() == before


def test_stacks_whose_strides_have_too_many_digits_are_refused() -> None:
    with pytest.raises(InputError) as e:
        receptive_field([3] * 400, [10**15] * 400)  # 1,203,400 digits of S_1 … S_400
    assert e.value.field == "strides" and f"{MAX_STACK_DIGITS:,}" in str(e.value)


def test_a_value_over_the_input_limit_names_its_field() -> None:
    with pytest.raises(InputError) as e:
        receptive_field([3, 10**15 + 1])
    assert e.value.field == "kernels[1]" and "too large" in str(e.value)
