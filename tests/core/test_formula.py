"""Formula views agree: numeric (Fraction), SymPy expression, display tree, latexify definition."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symconv.catalogue import (
    CATALOGUE,
    CONV_OUTPUT,
    POOL_OUTPUT_CEIL,
    RECEPTIVE_FIELD_CENTER,
    RECEPTIVE_FIELD_GROWTH,
    RECEPTIVE_FIELD_STEP,
    SAVINGS_FRACTION,
    TF_SAME_PADDING_TOTAL,
)
from symconv.core import mathprint
from symconv.core.arith import size_symbol
from symconv.core.formula import Formula, FormulaError
from symconv.core.stepper import chain

small = st.integers(min_value=1, max_value=40)


PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_formula_has_all_views(name: str) -> None:
    """The views agree at distinct values per parameter (equal values would hide a swapped parameter)."""
    f = CATALOGUE[name]
    args = dict(zip(f.params, PRIMES))
    numeric = f(**args)
    positional = f(*args.values())
    expr = f.expr()
    substituted = expr.xreplace({size_symbol(f.symbols[p]): sympy.Integer(v) for p, v in args.items()})
    # the numeric view (int or Fraction) and the SymPy expression give the same exact number
    exact = sympy.Rational(numeric.numerator, numeric.denominator) if isinstance(numeric, Fraction) else numeric
    assert exact == substituted == positional
    steps = chain(f.display(), {size_symbol(f.symbols[p]): v for p, v in args.items()})
    assert steps[-1] == substituted
    # each view passes each argument where it belongs: the expression given its values by name agrees
    assert f.expr(**args) == substituted
    definition = f.definition_latex()
    assert definition.startswith("\\mathrm{") and "=" in definition


@given(i=small, k=small, s=small, p=st.integers(0, 10), d=st.integers(1, 4))
def test_numeric_and_symbolic_views_agree(i: int, k: int, s: int, p: int, d: int) -> None:
    expr = CONV_OUTPUT.expr()
    values = {size_symbol(n): v for n, v in {"i": i, "k": k, "s": s, "p": p, "d": d}.items()}
    assert expr.xreplace(values) == CONV_OUTPUT(i, k, s, p, d)
    assert chain(CONV_OUTPUT.display(), values)[-1] == CONV_OUTPUT(i, k, s, p, d)


def test_numeric_view_is_exact_for_huge_numbers() -> None:
    big = 10**30 + 7
    # a float division would lose the last digits: a 1-pixel window at stride 1 visits every pixel
    assert POOL_OUTPUT_CEIL(big, 1, 1, 0, 1) == big
    # TF 'SAME' on 2·big pixels at stride 2 gives big outputs; the last window (k = 3) needs 1 pixel more
    assert TF_SAME_PADDING_TOTAL(big, 2, 3, 2 * big) == 1


def test_a_formula_built_on_another_writes_it_out() -> None:
    """The step calls the growth formula: its display inlines it, and both views agree with the parts."""
    assert mathprint.text(RECEPTIVE_FIELD_STEP.display()) == "RF_(n−1) + (k_n − 1) × S_(n−1)"
    assert RECEPTIVE_FIELD_STEP(7, 4, 2) == 7 + RECEPTIVE_FIELD_GROWTH(4, 2) == 13
    assert mathprint.text(TF_SAME_PADDING_TOTAL.display()) == "max((o − 1) × s + k_eff − i, 0)"
    # a sum returned by the called formula joins the caller's sum: x·S − P + (r − 1)/2, not (x·S − P) + …
    center = RECEPTIVE_FIELD_CENTER.display()
    assert isinstance(center, sympy.Add) and len(center.args) == 3
    assert RECEPTIVE_FIELD_CENTER(3, 4, 5, 13) == Fraction(13)  # 12 − 5 + 6
    # a formula calling one with a true division lifts its integers too (exact, never a float)
    assert SAVINGS_FRACTION(3, 1) == Fraction(2, 3)


def test_display_keeps_written_order_and_brackets() -> None:
    assert mathprint.text(CONV_OUTPUT.display()) == "⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1"
    j = sympy.Mul(size_symbol("s_1"), size_symbol("s_2"), evaluate=False)
    shown = RECEPTIVE_FIELD_STEP.display(r=size_symbol("RF_2"), k=size_symbol("k_3"), j=j)
    assert mathprint.text(shown) == "RF_2 + (k_3 − 1) × (s_1 × s_2)"


def test_unsupported_source_is_reported() -> None:
    def two_statements(a):  # type: ignore[no-untyped-def]
        b = a + 1
        return b

    with pytest.raises(FormulaError):
        Formula(two_statements, name="x", lhs="x", description="").display()


def test_numeric_path_never_imports_sympy() -> None:
    code = (
        "import sys, symconv\n"
        "r = symconv.receptive_field([4, 4, 4], [1, 2, 2])\n"
        "c = symconv.conv_layer([38, 38, 22], 3, 224, stride=2)\n"
        "assert (r.value, c.value) == (13, 14370048)\n"
        "m = symconv.convolve([[4, 3, 1], [1, 2, 1], [3, 3, 4]], [[3, 0], [1, -2]])\n"
        "assert m.output == [[9, 9], [0, 1]] and symconv.output_size(38, 3, 2).value == 18\n"
        "assert 'sympy' not in sys.modules, 'sympy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
