"""Shared by the bottleneck and depthwise-separable problems: exact percentages and derived cost ratios.

Both problems compare the multiplications of a standard convolution with those of two cheaper
stages. The ratio is *derived* by SymPy from the catalogue's counts (H·W cancels), so the
closed form shown — 1 − P/L − P/(k²N) for the bottleneck, 1/N + 1/k² for the separable
convolution — is never typed in by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from symconv.catalogue import AS_PERCENT, COST_SUM
from symconv.core.arith import is_symbolic, percent
from symconv.core.formula import Formula
from symconv.solution.derivation import Derivation, given, rich

POSITIONS = rich(
    "Output positions = input positions, $H × W$: stride 1 with 'same' padding, as in the exercise "
    "(and in MobileNet's cost analysis)."
)
MULTIPLICATIONS = "Multiplications = MACs, biases excluded."


def percent_value(fraction: Any) -> Any:
    """A percentage rounded half-up to 2 decimals from the exact fraction (a closed form stays exact)."""
    if is_symbolic(fraction):
        return AS_PERCENT.value(x=fraction)
    return float(percent(Fraction(fraction)))


def approx_percent(fraction: Any) -> str:
    """'94.69' for 23199/24500 (rounded half-up from the exact value); '' for a closed form."""
    return "" if is_symbolic(fraction) else percent(Fraction(fraction))


def closed_ratio(num_formulas: Sequence[Formula], den_formula: Formula, complement: bool) -> Any:
    """Σ num / den (or 1 − that) as a SymPy closed form in the formulas' symbols, H·W cancelled."""
    import sympy

    from symconv.core.closedform import ratio

    r = ratio(sympy.Add(*[f.expr() for f in num_formulas]), den_formula.expr())
    return sympy.expand(1 - r) if complement else r


def derive_closed_form(
    der: Derivation,
    label: str,
    lhs: str,
    num_formulas: Sequence[Formula],
    den_formula: Formula,
    complement: bool,
    values: dict[Any, Any],
    result: Any,
    key: str,
) -> None:
    """σ = [1 −] (stage counts)/(original count) = closed form = substituted … = exact value."""
    import sympy

    from symconv.core.arith import size_symbol as sym
    from symconv.core.closedform import as_display

    nums = (
        sympy.Add(*[f.display() for f in num_formulas], evaluate=False)
        if len(num_formulas) > 1
        else num_formulas[0].display()
    )
    quotient = sympy.Mul(nums, sympy.Pow(den_formula.display(), sympy.Integer(-1), evaluate=False), evaluate=False)
    general = (
        sympy.Add(sympy.Integer(1), sympy.Mul(sympy.Integer(-1), quotient, evaluate=False), evaluate=False)
        if complement
        else quotient
    )
    closed = closed_ratio(num_formulas, den_formula, complement)
    only_symbols = (
        is_symbolic(result)
        and not any(v.is_Number for v in values.values() if hasattr(v, "is_Number"))
        and not any(isinstance(v, (int, Fraction)) for v in values.values())
        and all(v == k for k, v in values.items() if k in {s for f in num_formulas for s in f.expr().free_symbols})
    )  # the formula's own symbols: nothing to substitute (other names, or numbers, are substituted below)
    der.equation_from(
        rich(f"{label}: derived from the counts ($H × W$ cancels)"),
        sym(lhs),
        general,
        {},
        result=closed,
        key=key + "_formula",
        answer=only_symbols,  # nothing to substitute: the closed form is the answer, boxed
    )
    if only_symbols:
        return
    der.equation_from(
        f"{label}: the closed form with the given numbers",
        sym(lhs),
        as_display(closed),
        values,
        result=result,
        key=key,
        answer=True,
    )


def stage_equations(
    der: Derivation,
    given_items: Sequence[tuple[str, Any, str]],
    stages: Sequence[tuple[str, str, Formula, Any, str, bool]],
    total: tuple[str, str, str, str, Any, str],
) -> dict[Any, Any]:
    """Given data, one equation per stage count, and the total of the two cheaper stages.

    ``given_items``: (symbol name, value, description); ``stages``: (label, lhs, formula, value, answer
    key, is an answer); ``total``: (label, lhs, first stage lhs, second stage lhs, value, answer key).
    Returns the values known so far, by symbol, for the steps that follow.
    """
    from symconv.core.arith import size_symbol as sym

    der.add(given("Given", [(sym(name), value, desc) for name, value, desc in given_items]))
    vals: dict[Any, Any] = {sym(name): value for name, value, _ in given_items}
    for label, lhs, formula, value, key, answer in stages:
        der.equation(label, lhs, formula, vals, result=value, key=key, answer=answer)
    vals.update({sym(lhs): value for _, lhs, _, value, _, _ in stages})
    label, lhs, first, second, value, key = total
    der.equation(
        label, lhs, COST_SUM, vals, symbols={"a": sym(first), "b": sym(second)}, result=value, key=key, answer=True
    )
    vals[sym(lhs)] = value
    return vals


def kernel_label(k: Any) -> str:
    """'3 × 3', or 'k × k' for a symbolic kernel."""
    return "k × k" if is_symbolic(k) else f"{k} × {k}"
