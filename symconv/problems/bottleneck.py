"""1 × 1 bottleneck before a k × k convolution (the seed's fourth exercise): multiplications and savings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symconv.catalogue import (
    BOTTLENECK_ORIGINAL,
    BOTTLENECK_STAGE1,
    BOTTLENECK_STAGE2,
    COST_DIFFERENCE,
    COST_SUM,
    SAVINGS_FRACTION,
)
from symconv.core.arith import Size
from symconv.core.coerce import public
from symconv.problems.savings import (
    MULTIPLICATIONS,
    PERCENT_ROUNDING,
    POSITIONS,
    closed_ratio,
    derive_closed_form,
    percent_equation,
    percent_value,
    stage_equations,
)
from symconv.problems.validate import shape3, size
from symconv.solution.derivation import Derivation, rich
from symconv.solution.result import Answer, Result

if TYPE_CHECKING:
    import sympy


class BottleneckResult(Result[Size]):
    """1 × 1 bottleneck before a k × k convolution. ``value`` is the fraction of multiplications saved.

    Answers: ``original_multiplications``, ``stage1_multiplications``, ``stage2_multiplications``,
    ``bottleneck_multiplications``, ``saved_multiplications``, ``savings`` (exact fraction),
    ``savings_percent`` (exact; displays round it to 2 decimals), ``savings_formula`` (closed form).
    """

    main = "savings"
    original_multiplications: Answer[Size] = Answer()
    stage1_multiplications: Answer[Size] = Answer()
    stage2_multiplications: Answer[Size] = Answer()
    bottleneck_multiplications: Answer[Size] = Answer()
    saved_multiplications: Answer[Size] = Answer()
    savings: Answer[Size] = Answer()
    savings_percent: Answer[Size] = Answer()
    savings_formula: Answer[sympy.Expr] = Answer()


@public(aliases={"N": "filters", "P": "bottleneck", "outputs": "filters"})
def bottleneck(input: Sequence[Any], kernel: Any, filters: Any, bottleneck: Any) -> BottleneckResult:
    """Multiplications of a k × k convolution L → N channels versus a 1 × 1 reduction to P channels first.

    Args:
        input: ``[H, W, L]``: spatial size and input channels (numbers or symbol names).
        kernel: k, the size of the square kernel.
        filters: N, the output channels (the k × k convolution's filters; ``outputs``, its former name, and
            ``N`` are accepted).
        bottleneck: P, the channels after the 1 × 1 reduction.

    Returns:
        A :class:`BottleneckResult`; the savings are 1 − P/L − P/(k²N), derived, and exact.
    """
    H, W, L = shape3(input, "input")
    k, N, P = size(kernel, "kernel"), size(filters, "filters"), size(bottleneck, "bottleneck")
    m0 = BOTTLENECK_ORIGINAL.value(H=H, W=W, N=N, k=k, L=L)
    m1 = BOTTLENECK_STAGE1.value(H=H, W=W, L=L, P=P)
    m2 = BOTTLENECK_STAGE2.value(H=H, W=W, k=k, P=P, N=N)
    mb = COST_SUM.value(a=m1, b=m2)
    saved = COST_DIFFERENCE.value(a=m0, b=mb)
    sav = SAVINGS_FRACTION.value(a=m0, b=mb)
    pct = percent_value(sav)
    answers: dict[str, Any] = {
        "original_multiplications": m0,
        "stage1_multiplications": m1,
        "stage2_multiplications": m2,
        "bottleneck_multiplications": mb,
        "saved_multiplications": saved,
        "savings": sav,
        "savings_percent": pct,
        "savings_formula": closed_ratio([BOTTLENECK_STAGE1, BOTTLENECK_STAGE2], BOTTLENECK_ORIGINAL, True),
    }
    conventions = {
        "positions": POSITIONS,
        "multiplications": MULTIPLICATIONS,
        "savings": "Savings = 1 − bottleneck/original = (original − bottleneck)/original, an exact fraction.",
        "savings_percent": PERCENT_ROUNDING,
    }

    values = {"H": H, "W": W, "L": L, "k": k, "N": N, "P": P}

    def build(der: Derivation) -> None:
        _derive(der, values, answers)

    return BottleneckResult("bottleneck", rich("Bottleneck ($1 × 1$ reduction)"), answers, conventions, build)


_GIVEN = (
    ("H", "height"),
    ("W", "width"),
    ("L", "input channels"),
    ("k", "kernel size"),
    ("N", "output channels"),
    ("P", "bottleneck channels"),
)


_STAGES = (
    (
        "Original: ${kernel}$ convolution from $L$ to $N$ channels",
        "M_0",
        BOTTLENECK_ORIGINAL,
        "original_multiplications",
        True,
    ),
    (
        "Stage 1: $1 × 1$ convolution from $L$ to $P$ channels",
        "M_1",
        BOTTLENECK_STAGE1,
        "stage1_multiplications",
        False,
    ),
    (
        "Stage 2: ${kernel}$ convolution from $P$ to $N$ channels",
        "M_2",
        BOTTLENECK_STAGE2,
        "stage2_multiplications",
        False,
    ),
)
_TOTAL = ("Bottleneck total", "M_b", "M_1", "M_2", "bottleneck_multiplications")


def _derive(der: Derivation, v: dict[str, Any], answers: dict[str, Any]) -> None:
    """The three stage counts, the total, the multiplications saved, the savings derived, in percent."""
    from symconv.core.arith import size_symbol as sym

    vals = stage_equations(der, [(n, v[n], d) for n, d in _GIVEN], _STAGES, _TOTAL, answers, v["k"])
    der.equation(
        "Multiplications saved",
        "M_saved",
        COST_DIFFERENCE,
        vals,
        symbols={"a": sym("M_0"), "b": sym("M_b")},
        result=answers["saved_multiplications"],
        key="saved_multiplications",
        answer=True,
    )
    stages = [BOTTLENECK_STAGE1, BOTTLENECK_STAGE2]
    derive_closed_form(der, "Savings", "sigma", stages, BOTTLENECK_ORIGINAL, True, vals, answers["savings"], "savings")
    vals[sym("sigma")] = answers["savings"]
    percent_equation(der, vals, sym("sigma"), answers["savings_percent"])
