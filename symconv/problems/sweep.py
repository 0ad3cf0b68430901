"""Sweep a quantity over one parameter: an exact table and a plot, the given problem's own point marked.

The closed form, with every other parameter's value put in, is evaluated at all points at once
(:class:`symconv.core.vectorize.ExactEvaluator`: integer arrays, floors as floor divisions, fractions
exact), so a sweep over 100,000 points costs about what the same expression written in numpy costs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy

from symconv.core.arith import check_integer, is_symbolic, to_python
from symconv.core.coerce import public
from symconv.core.limits import MAX_EVALUATIONS, MAX_POINTS, within
from symconv.core.richtext import count, math, rich
from symconv.errors import InputError
from symconv.problems.explore import decimal, given_values, substituted
from symconv.problems.quantity import resolve
from symconv.solution.derivation import Definition, Derivation, Plot, Table
from symconv.solution.derivation import given as given_step
from symconv.solution.result import Answer, Result

if TYPE_CHECKING:
    from symconv.core.arith import Size

TABLE_ROWS = 25
"""Rows of the table shown in a document (evenly spaced, ends and the given point included); the answers hold all."""

PLOT_POINTS = 400
"""Points drawn in a figure (evenly spaced when there are more)."""


class SweepResult(Result["list[dict[str, Size]]"]):
    """A quantity over one parameter. ``value`` is the table.

    Answers: ``table``, one ``{parameter: value, quantity: value}`` row per point, exact, in increasing
    order of the parameter. ``x`` and ``y`` hold the same columns as numpy arrays (int64 where the
    values are integers that fit, else Python ints or Fractions), for plotting in a notebook.
    """

    main = "table"
    table: Answer[list[dict[str, Size]]] = Answer()

    def __init__(self, *args: Any, x: np.ndarray, y: np.ndarray, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.x = x
        self.y = y


def _points(range: Sequence[Any] | None, values: Sequence[Any] | None, name: str, lo: int) -> np.ndarray:
    """The parameter values of the sweep, ascending: every integer of ``range``, or the distinct ``values``."""
    if (range is None) == (values is None):
        raise InputError("range, values", None if range is None else range, "give exactly one of range and values")
    if range is not None:
        if isinstance(range, (str, bytes)) or not isinstance(range, Sequence) or len(range) != 2:
            raise InputError("range", range, "expected [first, last]")
        first = check_integer(range[0], "range[0]", minimum=lo)
        last = check_integer(range[1], "range[1]", minimum=lo)
        if is_symbolic(first) or is_symbolic(last):
            raise InputError("range", list(range), "expected numbers")
        if first > last:
            raise InputError("range", [first, last], "the first value is above the last")
        if last - first + 1 > MAX_POINTS:
            raise InputError("range", [first, last], f"more than {MAX_POINTS:,} points")
        return np.arange(first, last + 1, dtype=np.int64 if abs(last) < 2**62 else object)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise InputError("values", values, "expected a non-empty list of numbers")
    if len(values) > MAX_POINTS:
        raise InputError("values", f"<{len(values)} values>", f"more than {MAX_POINTS:,} points")
    checked = [check_integer(v, f"values[{i}]", minimum=lo) for i, v in enumerate(values)]
    for i, v in enumerate(checked):
        if is_symbolic(v):
            raise InputError(f"values[{i}]", values[i], f"expected a number: {name} is swept over numbers")
    return np.array(sorted(set(checked)), dtype=object if max(abs(v) for v in checked) >= 2**62 else np.int64)


def _runs(values: Sequence[int]) -> str:
    """Ascending integers as runs, ``1…4, 7, 9…12`` (at most 8 runs shown, then ``…``)."""
    runs: list[list[int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1][1] = v
        else:
            runs.append([v, v])
    shown = [f"{a}" if a == b else f"{a}, {b}" if b == a + 1 else f"{a}…{b}" for a, b in runs[:8]]
    return ", ".join(shown) + (", …" if len(runs) > 8 else "")


def _spread(n: int, keep: int, extra: Sequence[int] = ()) -> list[int]:
    """At most ``keep`` indices of ``n``, evenly spaced, with the ends and ``extra`` included."""
    if n <= keep:
        return list(range(n))
    chosen = {round(i * (n - 1) / (keep - 1)) for i in range(keep)} | set(extra)
    return sorted(chosen)


@public()
def sweep(
    quantity: Any,
    vary: str,
    *,
    range: Sequence[Any] | None = None,
    values: Sequence[Any] | None = None,
    given: Mapping[str, Any] | None = None,
) -> SweepResult:
    """The exact value of ``quantity`` at every integer of ``range`` (or at each of ``values``) of ``vary``.

    Args:
        quantity: a catalogue formula, a derived name (``"savings"``) or a Quantity (a network total).
        vary: the parameter swept, as the quantity names it.
        range: ``[first, last]``, every integer in between (inclusive); or
        values: an explicit list of values.
        given: every other parameter's value (numbers). A value for ``vary`` itself is the given
            problem's own point: it is marked on the plot and derived step by step.

    Returns:
        A :class:`SweepResult` with the table and a plot of it.

    Raises:
        InputError: an unknown parameter, a symbol among the givens, both or neither of range and
            values, a value below the parameter's minimum, more than 100,000 points, a point where
            the closed form divides by zero, no point (or a given point) where the layer has an output.

    Points where the quantity describes no layer (an output size below 1: the kernel does not fit) are
    left out of the table and the plot, and the derivation says which.
    """
    from symconv.core.vectorize import ExactEvaluator

    q = resolve(quantity)
    x_name = q.param(vary, "vary")
    x = q.symbols[x_name]
    known = given_values(q, given, exclude=x_name, optional=True)
    for name, v in known.items():
        if is_symbolic(v):
            raise InputError(f"given.{name}", str(v), "a sweep needs numbers; give every other symbol a value")
    own = known.pop(x_name, None)
    xs = _points(range, values, x.name, q.minimum(x_name))
    f = substituted(q, known)
    evaluator = ExactEvaluator(f, x)
    field, points = ("range", range) if range is not None else ("values", f"<{len(xs)} values>")
    within(
        field, points, evaluator.work(len(xs)), MAX_EVALUATIONS, f"{len(xs):,} points × the closed form's operations"
    )
    try:
        ys = evaluator(xs)
        own_y = to_python(f.xreplace({x: own})) if own is not None else None
    except ZeroDivisionError:
        raise InputError(
            "range" if range is not None else "values", range or values, "the closed form divides by zero there"
        ) from None
    exists = np.ones(len(xs), dtype=bool)
    for size in q.sizes:  # the points where some layer has no output are no points of the quantity
        at = substituted(q, known, size)
        exists &= np.asarray((ys if at == f else ExactEvaluator(at, x)(xs)) >= 1, dtype=bool)
    missing = xs[~exists].tolist()
    if missing:
        if not exists.any():
            raise InputError(
                field, points, f"no layer has an output at any of these values of {x.name} (an output size below 1)"
            )
        xs, ys = xs[exists], ys[exists]
    if own is not None and any(substituted(q, {**known, x_name: own}, size) < 1 for size in q.sizes):
        raise InputError(f"given.{x_name}", own, "no layer has an output there (an output size below 1)")
    x_list, y_list = xs.tolist(), ys.tolist()
    key = q.name
    answers = {"table": [{x_name: int(a), key: b} for a, b in zip(x_list, y_list)]}
    conventions = {
        "sweep": rich(
            "{lhs} is the closed form of {q} evaluated exactly at every point: integers as integers (floors as "
            "floor divisions), fractions as fractions, never floating point."
            + (" Points where a layer has no output (an output size below 1) are left out." if q.sizes else ""),
            lhs=q.lhs,
            q=q.name,
        ),
    }

    def build(der: Derivation) -> None:

        items = [(q.symbols[p], v, "") for p, v in known.items()]
        if own is not None:
            items.append((x, own, "the given problem's own point"))
        der.add(given_step("Given", items))
        der.add(Definition(q.heading, q.lhs, q.display))
        der.equation_from(
            rich("As a function of {x}", x=x), q.lhs, q.display, {q.symbols[p]: v for p, v in known.items()}, result=f
        )
        if own is not None:
            der.equation_from(
                rich("At the given problem's point, {point}", point=sympy.Eq(x, sympy.Integer(own), evaluate=False)),
                q.lhs,
                q.display,
                {**{q.symbols[p]: v for p, v in known.items()}, x: own},
                result=own_y,
                answer=True,
            )
        n = len(x_list)
        own_index = [x_list.index(own)] if own is not None and own in x_list else []
        rows = _spread(n, TABLE_ROWS, own_index)
        what = "every integer" if range is not None else "each value"
        der.note(
            rich(
                "The quantity {q} at {what} of {x} from {first} to {last}: {n}.",
                q=q.name,
                what=what,
                x=x,
                first=x_list[0],
                last=x_list[-1],
                n=count(n, "point", grouped=True),
            )
        )
        if missing:
            der.note(
                rich(
                    "Left out: {x} = {which}, where a layer has no output (an output size below 1).",
                    x=x,
                    which=_runs(missing),
                )
            )
        drawn = _spread(n, PLOT_POINTS)
        marked = ((own, own_y),) if own is not None else ()
        der.add(
            Plot(
                rich("{q} over {x}", q=q.name, x=x)
                if own is None
                else rich(
                    "{q} over {x} (marked: the given problem, {point})",
                    q=q.name,
                    x=x,
                    point=sympy.Eq(x, sympy.Integer(own), evaluate=False),
                ),
                x,
                q.lhs,
                tuple((x_list[i], y_list[i]) for i in drawn),
                marked,
            )
        )
        fractional = any(not isinstance(y_list[i], int) for i in rows)
        headers = (math(x), math(q.lhs)) + (("≈",) if fractional else ())
        cells = tuple((x_list[i], y_list[i]) + ((decimal(y_list[i], 4),) if fractional else ()) for i in rows)
        label = "Table" if len(rows) == n else f"Table ({len(rows)} of the {n:,} rows; the answers hold every row)"
        der.add(Table(label, headers, cells, answer=True))  # the sweep's values are its answer

    title = rich("Sweep: {q} over {x}", q=q.name, x=x)
    return SweepResult("sweep", title, answers, conventions, build, x=xs, y=ys)
