"""Exact values from user input, percentages from exact fractions."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symconv.core.arith import exact_value, parse_number, percent
from symconv.errors import InputError


def test_parse_numbers_exactly() -> None:
    assert parse_number("0.1", "x") == Fraction(1, 10)
    assert parse_number("1/3", "x") == Fraction(1, 3)
    assert parse_number("-4", "x") == -4
    assert parse_number("2.5e3", "x") == 2500


@pytest.mark.parametrize("text", ["__import__('os')", "1/0", "k_", "a b", "exec", ""])
def test_rejects_non_numbers_and_bad_names(text: str) -> None:
    with pytest.raises(InputError):
        exact_value(text, "field") if text != "exec" else exact_value(text, "field", allow_symbol=False)


@given(st.fractions(min_value=-(10**6), max_value=10**6))
def test_percent_rounds_half_up_from_the_exact_value(f: Fraction) -> None:
    text = percent(f)
    value = Fraction(text)
    assert abs(value - f * 100) <= Fraction(1, 200)
    assert len(text.split(".")[1]) == 2


def test_percent_of_seed() -> None:
    assert percent(Fraction(23199, 24500)) == "94.69"
    assert percent(Fraction(1, 800)) == "0.13"  # 0.125 rounds up
