"""Depthwise-separable versus standard convolution (MobileNet): multiplications, parameters, derived ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symconv.catalogue import (
    COST_RATIO,
    COST_SUM,
    SAVINGS_FROM_RATIO,
    SEPARABLE_DEPTHWISE,
    SEPARABLE_POINTWISE,
    SEPARABLE_STANDARD,
)
from symconv.catalogue.backend import backend_for
from symconv.catalogue.rules import conv_costs
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
from symconv.solution.derivation import Derivation
from symconv.solution.result import Answer, Result

if TYPE_CHECKING:
    import sympy


class SeparableResult(Result[Size]):
    """Depthwise-separable versus standard convolution. ``value`` is the cost ratio separable/standard.

    Answers: ``standard_multiplications``, ``depthwise_multiplications``, ``pointwise_multiplications``,
    ``separable_multiplications``, ``ratio`` (exact), ``ratio_formula`` (1/N + 1/k², derived),
    ``savings_percent``, ``standard_parameters``, ``separable_parameters`` (weights, no biases).
    """

    main = "ratio"
    standard_multiplications: Answer[Size] = Answer()
    depthwise_multiplications: Answer[Size] = Answer()
    pointwise_multiplications: Answer[Size] = Answer()
    separable_multiplications: Answer[Size] = Answer()
    ratio: Answer[Size] = Answer()
    ratio_formula: Answer[sympy.Expr] = Answer()
    savings_percent: Answer[Size] = Answer()
    standard_parameters: Answer[Size] = Answer()
    separable_parameters: Answer[Size] = Answer()


@public(aliases={"N": "filters", "outputs": "filters"})
def depthwise_separable(input: Sequence[Any], kernel: Any, filters: Any) -> SeparableResult:
    """Multiplications of a k × k convolution M → N channels versus depthwise (k × k per channel) + pointwise (1 × 1).

    Args:
        input: ``[H, W, M]`` (numbers or symbol names).
        kernel: k.
        filters: N, the output channels (``outputs``, its former name, and ``N`` are accepted).

    Returns:
        A :class:`SeparableResult`; the ratio 1/N + 1/k² (MobileNet, Howard et al. 2017) is derived, exact.
    """
    H, W, M = shape3(input, "input")
    k, N = size(kernel, "kernel"), size(filters, "filters")
    std = SEPARABLE_STANDARD.value(H=H, W=W, M=M, k=k, N=N)
    dw = SEPARABLE_DEPTHWISE.value(H=H, W=W, M=M, k=k)
    pw = SEPARABLE_POINTWISE.value(H=H, W=W, M=M, N=N)
    sep = COST_SUM.value(a=dw, b=pw)
    rho = COST_RATIO.value(a=sep, b=std)
    pct = percent_value(SAVINGS_FROM_RATIO.value(rho=rho))
    answers: dict[str, Any] = {
        "standard_multiplications": std,
        "depthwise_multiplications": dw,
        "pointwise_multiplications": pw,
        "separable_multiplications": sep,
        "ratio": rho,
        "ratio_formula": closed_ratio([SEPARABLE_DEPTHWISE, SEPARABLE_POINTWISE], SEPARABLE_STANDARD, False),
        "savings_percent": pct,
        "standard_parameters": _weights(H, W, M, N, k, 1),
        "separable_parameters": COST_SUM.value(a=_weights(H, W, M, M, k, M), b=_weights(H, W, M, N, 1, 1)),
    }
    conventions = {
        "positions": POSITIONS,
        "multiplications": MULTIPLICATIONS,
        "ratio": "Ratio = separable/standard multiplications (smaller is cheaper); savings = 1 − ratio, in percent.",
        "savings_percent": PERCENT_ROUNDING,
    }

    values = {"H": H, "W": W, "M": M, "k": k, "N": N}

    def build(der: Derivation) -> None:
        _derive(der, values, answers)

    return SeparableResult("depthwise_separable", "Depthwise-separable convolution", answers, conventions, build)


def _weights(H: Any, W: Any, c_in: Any, c_out: Any, k: Any, groups: Any) -> Any:
    """Weights of a k × k convolution from c_in to c_out channels in ``groups`` groups (no biases)."""
    ops = backend_for(H, W, c_in, c_out, k, groups)
    return conv_costs(ops, (k, k), c_in, c_out, groups, (H, W), bias=False).weights


_GIVEN = (("H", "height"), ("W", "width"), ("M", "input channels"), ("k", "kernel size"), ("N", "output channels"))


_STAGES = (
    (
        "Standard ${kernel}$ convolution from $M$ to $N$ channels",
        "M_s",
        SEPARABLE_STANDARD,
        "standard_multiplications",
        True,
    ),
    (
        "Depthwise: one ${kernel}$ filter per input channel",
        "M_d",
        SEPARABLE_DEPTHWISE,
        "depthwise_multiplications",
        False,
    ),
    (
        "Pointwise: $1 × 1$ convolution from $M$ to $N$ channels",
        "M_p",
        SEPARABLE_POINTWISE,
        "pointwise_multiplications",
        False,
    ),
)
_TOTAL = ("Depthwise-separable total", "M_sep", "M_d", "M_p", "separable_multiplications")


def _derive(der: Derivation, v: dict[str, Any], answers: dict[str, Any]) -> None:
    """The three stage counts, the separable total, the cost ratio derived, the savings in percent."""
    from symconv.core.arith import size_symbol as sym

    vals = stage_equations(der, [(n, v[n], d) for n, d in _GIVEN], _STAGES, _TOTAL, answers, v["k"])
    stages = [SEPARABLE_DEPTHWISE, SEPARABLE_POINTWISE]
    derive_closed_form(der, "Cost ratio", "rho", stages, SEPARABLE_STANDARD, False, vals, answers["ratio"], "ratio")
    vals[sym("rho")] = answers["ratio"]
    percent_equation(der, vals, SAVINGS_FROM_RATIO.display(rho=sym("rho")), answers["savings_percent"])
