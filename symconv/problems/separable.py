"""Depthwise-separable versus standard convolution (MobileNet): multiplications, parameters, derived ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symconv.derivation import Derivation, given
from symconv.formulas import (
    AS_PERCENT,
    CONV_WEIGHTS,
    COST_RATIO,
    COST_SUM,
    SAVINGS_FRACTION,
    SEPARABLE_DEPTHWISE,
    SEPARABLE_POINTWISE,
    SEPARABLE_STANDARD,
)
from symconv.problems.conv_layer import _shape
from symconv.problems.savings import (
    MULTIPLICATIONS,
    POSITIONS,
    approx_percent,
    closed_ratio,
    derive_closed_form,
    kernel_label,
    percent_value,
)
from symconv.result import Result
from symconv.validate import size


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
    H, W, M = _shape(input, "input")
    k, N = size(kernel, "kernel"), size(outputs, "outputs")
    v = {"H": H, "W": W, "M": M, "k": k, "N": N}
    std = SEPARABLE_STANDARD.value(H=H, W=W, M=M, k=k, N=N)
    dw = SEPARABLE_DEPTHWISE.value(H=H, W=W, M=M, k=k)
    pw = SEPARABLE_POINTWISE.value(H=H, W=W, M=M, N=N)
    sep = COST_SUM.value(a=dw, b=pw)
    rho = COST_RATIO.value(a=sep, b=std)
    answers: dict[str, Any] = {
        "standard_multiplications": std,
        "depthwise_multiplications": dw,
        "pointwise_multiplications": pw,
        "separable_multiplications": sep,
        "ratio": rho,
        "ratio_formula": closed_ratio([SEPARABLE_DEPTHWISE, SEPARABLE_POINTWISE], SEPARABLE_STANDARD, False),
        "savings_percent": percent_value(SAVINGS_FRACTION.value(a=std, b=sep)),
        "standard_parameters": CONV_WEIGHTS.value(k_h=k, k_w=k, C_g=M, C_out=N),
        "separable_parameters": COST_SUM.value(
            a=CONV_WEIGHTS.value(k_h=k, k_w=k, C_g=1, C_out=M), b=CONV_WEIGHTS.value(k_h=1, k_w=1, C_g=M, C_out=N)
        ),
    }
    conventions = {
        "positions": POSITIONS,
        "multiplications": MULTIPLICATIONS,
        "ratio": "Ratio = separable/standard multiplications (smaller is cheaper); savings = 1 − ratio, in percent "
        "rounded half-up to two decimals from the exact fraction.",
    }

    def build(der: Derivation) -> None:
        import sympy

        from symconv.arith import size_symbol as sym

        s = {n: sym(n) for n in v}
        der.add(given("Given", [(s["H"], H, "height"), (s["W"], W, "width"), (s["M"], M, "input channels"),
                                (s["k"], k, "kernel size"), (s["N"], N, "output channels")]))
        vals: dict[Any, Any] = {s[n]: x for n, x in v.items()}
        der.equation(f"Standard {kernel_label(k)} convolution from M to N channels", "M_s", SEPARABLE_STANDARD, vals, result=std,
                     key="standard_multiplications", answer=True)
        der.equation(f"Depthwise: one {kernel_label(k)} filter per input channel", "M_d", SEPARABLE_DEPTHWISE, vals, result=dw,
                     key="depthwise_multiplications")
        der.equation("Pointwise: 1 × 1 convolution from M to N channels", "M_p", SEPARABLE_POINTWISE, vals, result=pw,
                     key="pointwise_multiplications")
        vals.update({sym("M_d"): dw, sym("M_p"): pw, sym("M_s"): std})
        der.equation("Depthwise-separable total", "M_sep", COST_SUM, vals, symbols={"a": sym("M_d"), "b": sym("M_p")},
                     result=sep, key="separable_multiplications", answer=True)
        derive_closed_form(der, "Cost ratio", "rho", [SEPARABLE_DEPTHWISE, SEPARABLE_POINTWISE], SEPARABLE_STANDARD,
                            False, vals, rho, "ratio")
        vals[sym("rho")] = rho
        der.equation("Savings in percent", "sigma_pct", AS_PERCENT, vals,
                     symbols={"x": sympy.Add(1, -sym("rho"), evaluate=False)},
                     result=AS_PERCENT.value(x=1 - rho), key="savings_percent",
                     approx=approx_percent(1 - rho))

    return SeparableResult("depthwise_separable", "Depthwise-separable convolution", answers, conventions, build)
