"""Depthwise-separable versus standard convolution (MobileNet): multiplications, parameters, derived ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symconv.catalogue import (
    AS_PERCENT,
    CONV_WEIGHTS,
    COST_RATIO,
    COST_SUM,
    SAVINGS_FROM_RATIO,
    SEPARABLE_DEPTHWISE,
    SEPARABLE_POINTWISE,
    SEPARABLE_STANDARD,
)
from symconv.problems.savings import (
    MULTIPLICATIONS,
    PERCENT_ROUNDING,
    POSITIONS,
    approx_percent,
    closed_ratio,
    derive_closed_form,
    kernel_label,
    percent_value,
    stage_equations,
)
from symconv.problems.validate import shape3, size
from symconv.solution.derivation import Derivation
from symconv.solution.result import Result


class SeparableResult(Result):
    """Depthwise-separable versus standard convolution. ``value`` is the cost ratio separable/standard.

    Answers: ``standard_multiplications``, ``depthwise_multiplications``, ``pointwise_multiplications``,
    ``separable_multiplications``, ``ratio`` (exact), ``ratio_formula`` (1/N + 1/k², derived),
    ``savings_percent``, ``standard_parameters``, ``separable_parameters`` (weights, no biases).
    """

    main = "ratio"


def depthwise_separable(input: Sequence[Any], kernel: Any, outputs: Any) -> SeparableResult:
    """Multiplications of a k × k convolution M → N channels versus depthwise (k × k per channel) + pointwise (1 × 1).

    Args:
        input: ``[H, W, M]`` (numbers or symbol names).
        kernel: k.
        outputs: N.

    Returns:
        A :class:`SeparableResult`; the ratio 1/N + 1/k² (MobileNet, Howard et al. 2017) is derived, exact.
    """
    H, W, M = shape3(input, "input")
    k, N = size(kernel, "kernel"), size(outputs, "outputs")
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
        "standard_parameters": CONV_WEIGHTS.value(k_h=k, k_w=k, C_g=M, C_out=N),
        "separable_parameters": COST_SUM.value(
            a=CONV_WEIGHTS.value(k_h=k, k_w=k, C_g=1, C_out=M), b=CONV_WEIGHTS.value(k_h=1, k_w=1, C_g=M, C_out=N)
        ),
    }
    conventions = {
        "positions": POSITIONS,
        "multiplications": MULTIPLICATIONS,
        "ratio": "Ratio = separable/standard multiplications (smaller is cheaper); savings = 1 − ratio, in percent.",
        "savings_percent": PERCENT_ROUNDING,
    }

    def build(der: Derivation) -> None:
        from symconv.core.arith import size_symbol as sym

        vals = stage_equations(
            der,
            [
                ("H", H, "height"),
                ("W", W, "width"),
                ("M", M, "input channels"),
                ("k", k, "kernel size"),
                ("N", N, "output channels"),
            ],
            [
                (
                    f"Standard {kernel_label(k)} convolution from M to N channels",
                    "M_s",
                    SEPARABLE_STANDARD,
                    std,
                    "standard_multiplications",
                    True,
                ),
                (
                    f"Depthwise: one {kernel_label(k)} filter per input channel",
                    "M_d",
                    SEPARABLE_DEPTHWISE,
                    dw,
                    "depthwise_multiplications",
                    False,
                ),
                (
                    "Pointwise: 1 × 1 convolution from M to N channels",
                    "M_p",
                    SEPARABLE_POINTWISE,
                    pw,
                    "pointwise_multiplications",
                    False,
                ),
            ],
            ("Depthwise-separable total", "M_sep", "M_d", "M_p", sep, "separable_multiplications"),
        )
        derive_closed_form(
            der,
            "Cost ratio",
            "rho",
            [SEPARABLE_DEPTHWISE, SEPARABLE_POINTWISE],
            SEPARABLE_STANDARD,
            False,
            vals,
            rho,
            "ratio",
        )
        vals[sym("rho")] = rho
        der.equation(
            "Savings in percent",
            "sigma_pct",
            AS_PERCENT,
            vals,
            symbols={"x": SAVINGS_FROM_RATIO.display(rho=sym("rho"))},
            result=pct,
            key="savings_percent",
            approx=approx_percent(pct),
        )

    return SeparableResult("depthwise_separable", "Depthwise-separable convolution", answers, conventions, build)
