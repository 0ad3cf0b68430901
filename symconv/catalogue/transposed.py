"""Transposed convolutions: counting, along one axis, the products that land in the output and the outputs they reach.

Along one axis, input position x (0 ≤ x < i) times kernel tap u (0 ≤ u < k) lands at position
y = x·s + u·d of the uncropped scatter, 0 ≤ y ≤ E = (i − 1)s + (k − 1)d. The output is the window
p ≤ y ≤ E − q with q = p − a (PyTorch's padding p crops p positions at the start and p at the end,
the output padding a gives a back at the end). Output position y receives n(y) products; the
layer's additions follow from two sums (see :data:`~symconv.catalogue.costs.TRANSPOSED_ADDITIONS`):

* T = Σ n(y) over the window, the landing (input, tap) pairs: all i·k of them, less the c_b that
  land before p and the c_e that land after E − q;
* Z = #{y in the window : n(y) ≥ 1}, the reached outputs: the R positions the scatter reaches,
  less the m_b before the window and the m_e after it.

Reversing both indices (x → i − 1 − x, u → k − 1 − u) maps y to E − y, so what lands after E − q
is counted like what lands before q. Everything is counted tap by tap (k terms, each a closed form
in i), so a symbolic input size i gives closed forms; kernel, stride, padding, dilation and output
padding must be numbers.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any, NamedTuple

from symconv.catalogue.backend import Ops
from symconv.catalogue.costs import (
    TRANSPOSED_ADDITIONS,
    TRANSPOSED_LANDING_TAPS,
    TRANSPOSED_PRODUCTS,
    TRANSPOSED_REACHED_OUTPUTS,
)
from symconv.core.arith import is_symbolic

TAP_LIMIT = 100_000
"""Most kernel taps per axis whose landing products are counted (the count takes k steps)."""


class TransposedAxis(NamedTuple):
    """The counts of one axis: landing pairs T = i·k − c_b − c_e, reached outputs Z = R − m_b − m_e."""

    cropped_before: Any
    cropped_after: Any
    landing: Any
    reached: Any
    reached_before: Any
    reached_after: Any
    covered: Any


def countable(k: Any, s: Any, p: Any, d: Any, a: Any) -> bool:
    """Whether the landing products can be counted: numeric kernel, stride, paddings and dilation, k ≤ TAP_LIMIT."""
    return not any(is_symbolic(v) for v in (k, s, p, d, a)) and k <= TAP_LIMIT


def transposed_axis(ops: Ops, i: Any, k: int, s: int, p: int, d: int, a: int) -> TransposedAxis:
    """T and Z along one axis of a transposed convolution (``i`` may be a symbol; see :func:`countable`)."""
    q = max(p - a, 0)
    cropped_before, cropped_after = _landing_below(ops, i, k, s, d, p), _landing_below(ops, i, k, s, d, q)
    classes = _tap_classes(k, s, d)
    reached = ops.total(_union(ops, i, starts) for starts in classes.values())
    reached_before, reached_after = _reached_below(ops, i, s, classes, p), _reached_below(ops, i, s, classes, q)
    return TransposedAxis(
        cropped_before,
        cropped_after,
        ops.ev(TRANSPOSED_LANDING_TAPS, i, k, cropped_before, cropped_after),
        reached,
        reached_before,
        reached_after,
        ops.ev(TRANSPOSED_REACHED_OUTPUTS, reached, reached_before, reached_after),
    )


def transposed_additions(
    ops: Ops, axes: tuple[TransposedAxis, TransposedAxis], c_out: Any, c_g: Any, *, bias: bool
) -> tuple[Any, Any]:
    """(P, A): the products that land in the output, and the additions that sum them (plus the bias).

    ``c_g`` is the input channels per group (each filter reads C_in/g channels).
    """
    products = ops.ev(TRANSPOSED_PRODUCTS, c_out, c_g, axes[0].landing, axes[1].landing)
    if bias:
        return products, products  # n products and the bias: n additions per element
    return products, ops.ev(TRANSPOSED_ADDITIONS, products, c_out, axes[0].covered, axes[1].covered)


def _landing_below(ops: Ops, i: Any, k: int, s: int, d: int, c: int) -> Any:
    """(x, u) pairs with x·s + u·d < c: for tap u, the inputs x < ceil((c − u·d)/s), at most i of them."""
    counts = [-((u * d - c) // s) for u in range(k) if u * d < c]
    return ops.total(ops.minimum([i, n]) for n in counts)


def _tap_classes(k: int, s: int, d: int) -> dict[int, list[int]]:
    """Taps grouped by the residue of their offset u·d modulo s; in each, the sorted starts m = u·d // s.

    Positions r + m·s of one residue class r are reached by tap u for m in [m_u, m_u + i − 1].
    """
    classes: dict[int, list[int]] = defaultdict(list)
    for u in range(k):
        classes[u * d % s].append(u * d // s)
    return {r: sorted(starts) for r, starts in classes.items()}


def _union(ops: Ops, i: Any, starts: list[int]) -> Any:
    """Size of the union of the runs [m, m + i − 1] of one residue class: each run up to the next start."""
    gaps = [ops.minimum([i, b - a]) for a, b in pairwise(starts)]
    return ops.total([*gaps, i])


def _reached_below(ops: Ops, i: Any, s: int, classes: dict[int, list[int]], c: int) -> Any:
    """Reached positions below c: per residue class r, the union of its runs cut at L = ceil((c − r)/s)."""
    terms = []
    for r, starts in classes.items():
        limit = -((r - c) // s) if c > r else 0
        for a, b in zip(starts, [*starts[1:], None]):
            if a < limit:
                terms.append(ops.minimum([i, limit - a] if b is None else [i, b - a, limit - a]))
    return ops.total(terms)
