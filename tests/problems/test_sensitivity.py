"""Sensitivities: each derivative against a finite difference of the exact function, computed independently."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.catalogue import BOTTLENECK_ORIGINAL, BOTTLENECK_STAGE1, BOTTLENECK_STAGE2, CATALOGUE
from symconv.core.arith import size_symbol
from symconv.errors import InputError
from symconv.problems.sensitivity import sensitivity

H = Fraction(1, 10**6)


def savings_at(L: Fraction, N: Fraction, k: Fraction, P: Fraction) -> Fraction:
    """The savings from the three stage counts (the catalogue's numeric views), at real (rational) values."""
    L, N, k, P = (Fraction(v) for v in (L, N, k, P))
    m0 = Fraction(BOTTLENECK_ORIGINAL(1, 1, N, k, L))
    return (m0 - BOTTLENECK_STAGE1(1, 1, L, P) - BOTTLENECK_STAGE2(1, 1, k, P, N)) / m0


def test_the_issue_example() -> None:
    r = sensitivity("savings", "P", given={"L": 250, "N": 48, "k": 7, "P": 12})
    L, N, k = (size_symbol(n) for n in "LNk")
    assert sympy.simplify(r.answers["derivative"] - (-1 / L - 1 / (k**2 * N))) == 0
    assert r.value == -(Fraction(1, 250) + Fraction(1, 2352))
    # the elasticity at the point: (P/σ)·∂σ/∂P with σ from the stage counts
    eps = r.answers["elasticity"].xreplace({size_symbol("P"): 12, L: 250, N: 48, k: 7})
    assert eps == sympy.Rational(12) / sympy.Rational(savings_at(250, 48, 7, 12)) * sympy.Rational(r.value)


@given(
    L=st.integers(1, 500),
    N=st.integers(1, 500),
    k=st.integers(1, 9),
    P=st.integers(1, 500),
    wrt=st.sampled_from("LNkP"),
)
def test_derivatives_match_a_central_difference(L: int, N: int, k: int, P: int, wrt: str) -> None:
    point = {"L": Fraction(L), "N": Fraction(N), "k": Fraction(k), "P": Fraction(P)}
    r = sensitivity("savings", wrt, given={n: int(v) for n, v in point.items()})
    up = savings_at(**{**point, wrt: point[wrt] + H})
    down = savings_at(**{**point, wrt: point[wrt] - H})
    central = (up - down) / (2 * H)
    assert abs(Fraction(r.value) - central) <= Fraction(1, 10**6) * (1 + abs(central))


@pytest.mark.parametrize(("name", "wrt"), [("macs", "K"), ("receptive_field_center", "r"), ("separable_standard", "k")])
def test_catalogue_formulas_match_a_central_difference(name: str, wrt: str) -> None:
    f = CATALOGUE[name]
    point = {p: 3 + i for i, p in enumerate(f.params)}
    r = sensitivity(name, wrt, given=point)

    def at(v: Fraction) -> Fraction:
        return Fraction(f(**{**point, wrt: v}))

    central = (at(point[wrt] + H) - at(point[wrt] - H)) / (2 * H)
    assert abs(Fraction(r.value) - central) <= Fraction(1, 10**5)


def test_a_floor_is_not_differentiable_and_takes_a_finite_difference() -> None:
    f = CATALOGUE["conv_output_size"]
    r = sensitivity("conv_output_size", "s", given={"i": 38, "k": 3, "p": 0, "d": 1, "s": 2})
    assert r.answers["derivative"] is None
    assert r.value == f(38, 3, 3, 0, 1) - f(38, 3, 2, 0, 1) == -6
    eps = r.answers["elasticity"].xreplace(
        {size_symbol("i"): 38, size_symbol("k"): 3, size_symbol("p"): 0, size_symbol("d"): 1, size_symbol("s"): 2}
    )
    assert eps == sympy.Rational(2 * -6, f(38, 3, 2, 0, 1))
    assert "not differentiable" in r.text()


def test_everything_symbolic() -> None:
    r = sensitivity("savings", "P")
    L, N, k = (size_symbol(n) for n in "LNk")
    assert sympy.simplify(r.value - (-1 / L - 1 / (k**2 * N))) == 0


@pytest.mark.parametrize(
    ("wrt", "given_", "field"),
    [
        ("Q", {"L": 1}, "wrt"),
        ("P", {"L": 250, "N": 48, "k": 7}, "given"),
        ("P", {"L": 0, "N": 1, "k": 1, "P": 1}, "given.L"),
    ],
)
def test_bad_input(wrt: str, given_: dict, field: str) -> None:
    with pytest.raises(InputError) as e:
        sensitivity("savings", wrt, given=given_)
    assert e.value.field == field
