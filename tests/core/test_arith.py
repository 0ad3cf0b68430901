"""Exact values from user input; the one rounding rule, checked against Python's decimal module."""

from __future__ import annotations

import decimal as std_decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symconv.core.arith import decimal, exact_value, parse_number, round_half_up
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


@given(st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6), st.integers(0, 4))
def test_rounding_matches_decimal_round_half_up(f: Fraction, places: int) -> None:
    """The standard library's ROUND_HALF_UP (halves away from zero) on the exact quotient is the oracle."""
    context = std_decimal.Context(prec=60, rounding=std_decimal.ROUND_HALF_UP)
    exact = context.divide(std_decimal.Decimal(f.numerator), std_decimal.Decimal(f.denominator))
    expected = exact.quantize(std_decimal.Decimal(1).scaleb(-places), context=context)
    assert round_half_up(f, places) == Fraction(expected)
    text = decimal(f, places)
    assert std_decimal.Decimal(text) == expected and (places == 0 or len(text.split(".")[1]) == places)


def test_rounding_of_the_seed_and_halves() -> None:
    assert decimal(Fraction(23199, 245)) == "94.69"  # the bottleneck's exact percentage, 94.6897…
    assert decimal(Fraction(1, 8)) == "0.13" and decimal(Fraction(-1, 8)) == "-0.13"  # halves away from zero
