"""Error messages repeat the value given, bounded: huge integers by their digit count, long values cut."""

from __future__ import annotations

import sys
from fractions import Fraction

import pytest

from symconv.errors import InputError, shown_value


@pytest.mark.parametrize("n", [1, 9, 10, 99, 100, 4300, 4301, 9999, 10_000])
@pytest.mark.parametrize("top", [False, True])
def test_a_huge_integer_is_shown_by_its_exact_digit_count(n: int, top: bool) -> None:
    value = 10**n - 1 if not top else 10 ** (n - 1)  # n digits: all nines, or a one and zeros
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        digits = len(str(value))  # independent count, with Python's limit lifted
    finally:
        sys.set_int_max_str_digits(limit)
    text = shown_value(value)
    assert text == (str(value) if digits <= 120 else f"<an integer of {digits:,} digits>")


def test_an_error_never_fails_on_its_own_message() -> None:
    for value in (10**5000, -(10**5000), Fraction(1, 10**5000), [10**5000], {"k": 10**5000}):
        e = InputError("kernel", value, "too large")
        assert str(e).startswith("kernel = ") and len(str(e)) < 200
        assert e.value is value  # the value itself is kept for callers


def test_long_values_are_cut_with_an_ellipsis() -> None:
    text = shown_value("x" * 1000)
    assert len(text) == 120 and text.endswith("…") and text.startswith("'xxx")
