"""Bottleneck and depthwise-separable costs, and the sums, differences and ratios that compare them."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula

# --- bottleneck and depthwise-separable costs -------------------------------------------------


def bottleneck_original(H: Q, W: Q, N: Q, k: Q, L: Q) -> Q:
    return H * W * k**2 * L * N


def bottleneck_stage1(H: Q, W: Q, L: Q, P: Q) -> Q:
    return H * W * L * P


def bottleneck_stage2(H: Q, W: Q, k: Q, P: Q, N: Q) -> Q:
    return H * W * k**2 * P * N


def separable_standard(H: Q, W: Q, M: Q, k: Q, N: Q) -> Q:
    return H * W * k**2 * M * N


def separable_depthwise(H: Q, W: Q, M: Q, k: Q) -> Q:
    return H * W * k**2 * M


def separable_pointwise(H: Q, W: Q, M: Q, N: Q) -> Q:
    return H * W * M * N


def cost_sum(a: Q, b: Q) -> Q:
    return a + b


def cost_difference(a: Q, b: Q) -> Q:
    return a - b


def cost_ratio(a: Q, b: Q) -> Q:
    return a / b


def savings_from_ratio(rho: Q) -> Q:
    return 1 - rho


def savings_fraction(a: Q, b: Q) -> Q:
    return savings_from_ratio(cost_ratio(b, a))


def as_percent(x: Q) -> Q:
    return 100 * x


BOTTLENECK_ORIGINAL = Formula(
    bottleneck_original,
    name="bottleneck_original",
    lhs="M_0",
    description="Multiplications of the original k × k convolution from L to N channels over H × W output positions.",
)
BOTTLENECK_STAGE1 = Formula(
    bottleneck_stage1,
    name="bottleneck_stage1",
    lhs="M_1",
    description="Stage 1 of the bottleneck: a 1 × 1 convolution from L to P channels.",
)
BOTTLENECK_STAGE2 = Formula(
    bottleneck_stage2,
    name="bottleneck_stage2",
    lhs="M_2",
    description="Stage 2 of the bottleneck: the k × k convolution from P to N channels.",
)
SEPARABLE_STANDARD = Formula(
    separable_standard,
    name="separable_standard",
    lhs="M_s",
    description="Multiplications of a standard k × k convolution from M to N channels over H × W positions.",
)
SEPARABLE_DEPTHWISE = Formula(
    separable_depthwise,
    name="separable_depthwise",
    lhs="M_d",
    description="Depthwise stage: one k × k filter per input channel (groups = M).",
)
SEPARABLE_POINTWISE = Formula(
    separable_pointwise,
    name="separable_pointwise",
    lhs="M_p",
    description="Pointwise stage: a 1 × 1 convolution from M to N channels.",
)
COST_SUM = Formula(
    cost_sum,
    name="cost_sum",
    lhs="M",
    description="Total of two costs (two stages; the products and the additions of a layer).",
)
COST_DIFFERENCE = Formula(cost_difference, name="cost_difference", lhs="M_saved", description="Multiplications saved.")
COST_RATIO = Formula(
    cost_ratio, name="cost_ratio", lhs="rho", description="Cost of the cheaper form relative to the original."
)
SAVINGS_FROM_RATIO = Formula(
    savings_from_ratio,
    name="savings_from_ratio",
    lhs="sigma",
    description="Fraction of the original cost saved when the cheaper form costs rho times the original.",
)
SAVINGS_FRACTION = Formula(
    savings_fraction,
    name="savings_fraction",
    lhs="sigma",
    description="Fraction of the original multiplications a saved by a form costing b: one minus the cost ratio b/a.",
)
AS_PERCENT = Formula(as_percent, name="percent", lhs="pct", description="A fraction as a percentage.")
