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
    RECEPTIVE_FIELD_STEP,
    TF_SAME_PADDING_TOTAL,
)
from symconv.core import mathprint
from symconv.core.arith import size_symbol
from symconv.core.formula import Formula, FormulaError
from symconv.core.stepper import chain

small = st.integers(min_value=1, max_value=40)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_formula_has_all_views(name: str) -> None:
    f = CATALOGUE[name]
    args = {p: 3 for p in f.params}
    numeric = f(**args)
    expr = f.expr()
    substituted = expr.xreplace({size_symbol(f.symbols[p]): sympy.Integer(3) for p in f.params})
    # the numeric view (int or Fraction) and the SymPy expression give the same exact number
    exact = sympy.Rational(numeric.numerator, numeric.denominator) if isinstance(numeric, Fraction) else numeric
    assert exact == substituted
    steps = chain(f.display(), {size_symbol(f.symbols[p]): 3 for p in f.params})
    assert steps[-1] == substituted
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
    # a float division would lose the last digits
    assert POOL_OUTPUT_CEIL(big, 1, 1, 0, 1) == big
    assert TF_SAME_PADDING_TOTAL(big, 2, 3, 2 * big) == max((big - 1) * 2 + 3 - 2 * big, 0)


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
