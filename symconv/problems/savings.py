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

from symconv.catalogue import AS_PERCENT, COST_RATIO, COST_SUM, SAVINGS_FRACTION, SAVINGS_FROM_RATIO
from symconv.core.arith import decimal, is_symbolic
from symconv.core.formula import Formula
from symconv.solution.derivation import Derivation, given, rich

POSITIONS = rich(
    "Output positions = input positions, $H × W$: stride 1 with 'same' padding, as in the exercise "
    "(and in MobileNet's cost analysis)."
)
MULTIPLICATIONS = "Multiplications = MACs, biases excluded."


PERCENT_ROUNDING = (
    'savings_percent is exact (a fraction; JSON writes it "p/q"); only the worked solution\'s display rounds it, '
    "half-up to two decimals, marked ≈; check accepts a decimal claim that equals it rounded to the claim's decimals."
)


def percent_value(fraction: Any) -> Any:
    """The exact percentage 100 × fraction (a closed form stays a closed form)."""
    return AS_PERCENT.value(x=fraction)


def approx_percent(percentage: Any) -> str:
    """'94.69' for 23199/245 (rounded half-up from the exact value, for display); '' for a closed form."""
    return "" if is_symbolic(percentage) else decimal(Fraction(percentage), 2)


def closed_ratio(num_formulas: Sequence[Formula], den_formula: Formula, complement: bool) -> Any:
    """Σ num / den (or 1 − that) as a SymPy closed form in the formulas' symbols, H·W cancelled."""
    import sympy

    from symconv.core.closedform import ratio

    r = ratio(_stages_total([f.expr() for f in num_formulas], COST_SUM.expr), den_formula.expr())
    return sympy.expand(SAVINGS_FROM_RATIO.expr(rho=r)) if complement else r


def _stages_total(stages: Sequence[Any], total: Any) -> Any:
    """The stages' total through the catalogue's sum (``total`` is COST_SUM's display or expr view)."""
    out = stages[0]
    for stage in stages[1:]:
        out = total(a=out, b=stage)
    return out


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
    from symconv.core.arith import size_symbol as sym
    from symconv.core.closedform import appearance_order, as_display

    nums = _stages_total([f.display() for f in num_formulas], COST_SUM.display)
    den = den_formula.display()
    general = SAVINGS_FRACTION.display(a=den, b=nums) if complement else COST_RATIO.display(a=nums, b=den)
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
        as_display(closed, appearance_order(general)),  # as the line above writes it: 1/k² + 1/N, not 1/N + 1/k²
        values,
        result=result,
        key=key,
        answer=True,
    )


def percent_equation(der: Derivation, vals: dict[Any, Any], fraction: Any, percentage: Any) -> None:
    """σ_pct = 100 × σ, exact, with its display rounding (``fraction`` is the display of the savings)."""
    der.equation(
        "Savings in percent",
        "sigma_pct",
        AS_PERCENT,
        vals,
        symbols={"x": fraction},
        result=percentage,
        key="savings_percent",
        approx=approx_percent(percentage),
        unit="%",
    )


def stage_equations(
    der: Derivation,
    given_items: Sequence[tuple[str, Any, str]],
    stages: Sequence[tuple[str, str, Formula, str, bool]],
    total: tuple[str, str, str, str, str],
    answers: dict[str, Any],
    kernel: Any,
) -> dict[Any, Any]:
    """Given data, one equation per stage count, and the total of the two cheaper stages.

    ``given_items``: (symbol name, value, description); ``stages``: (label, lhs, formula, answer key,
    is an answer), the label's ``{kernel}`` filled with ``k × k``; ``total``: (label, lhs, first stage
    lhs, second stage lhs, answer key). The values are the ``answers``. Returns the values known so
    far, by symbol, for the steps that follow.
    """
    from symconv.core.arith import size_symbol as sym

    der.add(given("Given", [(sym(name), value, desc) for name, value, desc in given_items]))
    vals: dict[Any, Any] = {sym(name): value for name, value, _ in given_items}
    label_kernel = kernel_label(kernel)
    for label, lhs, formula, key, answer in stages:
        shown = rich(label.format(kernel=label_kernel))  # "$k × k$" in a label is math
        der.equation(shown, lhs, formula, vals, result=answers[key], key=key, answer=answer)
    vals.update({sym(lhs): answers[key] for _, lhs, _, key, _ in stages})
    label, lhs, first, second, key = total
    der.equation(
        label,
        lhs,
        COST_SUM,
        vals,
        symbols={"a": sym(first), "b": sym(second)},
        result=answers[key],
        key=key,
        answer=True,
    )
    vals[sym(lhs)] = answers[key]
    return vals


def kernel_label(k: Any) -> str:
    """'3 × 3', or 'k × k' for a symbolic kernel."""
    return "k × k" if is_symbolic(k) else f"{k} × {k}"
