"""`symconv formula`: derived closed forms come from solving with symbols; catalogue entries are stated."""

from __future__ import annotations

import pytest
import sympy

from symconv.core.arith import size_symbol
from symconv.errors import InputError
from symconv.problems.general import DERIVED, catalogue_listing, formula_derivation, names


def test_savings_is_derived_from_the_stage_counts() -> None:
    d = formula_derivation("savings")
    P, L, N, k = (size_symbol(n) for n in "PLNk")
    assert sympy.simplify(d.answers["savings_formula"] - (1 - P / L - P / (k**2 * N))) == 0
    assert d.title.startswith("savings:")


def test_ratio() -> None:
    d = formula_derivation("ratio")
    N, k = size_symbol("N"), size_symbol("k")
    assert sympy.simplify(d.answers["ratio_formula"] - (1 / N + 1 / k**2)) == 0


@pytest.mark.parametrize("name", list(DERIVED))
def test_every_derived_name_solves(name: str) -> None:
    assert formula_derivation(name).steps


def test_catalogue_entry_and_listing() -> None:
    d = formula_derivation("conv_output_size")
    assert d.steps and "conv_output_size" in d.answers
    listing = catalogue_listing()
    assert [e["name"] for e in listing] == [n for n in names() if n not in DERIVED]


def test_unknown_name() -> None:
    with pytest.raises(InputError, match="unknown formula"):
        formula_derivation("nope")
