"""Solve for a parameter: the exact set of integers for which a quantity equals (or compares to) a target.

``⌊(224 + 6 − k)/2⌋ + 1 = 112`` holds for k = 7 and k = 8; ``⌊35/s⌋ + 1 = 19`` for no stride. Floors
and ceilings are never approximated: ⌊y⌋ = n becomes the double inequality n ≤ y < n + 1 (⌈y⌉ = n
becomes n − 1 < y ≤ n), which is rearranged one operation at a time (subtract, divide, take
reciprocals) down to an interval for the unknown; the admissible values are the integers in it.
Where the unknown sits inside a form that has no such rearrangement (two floors of it, a maximum),
the answer comes from an exact scan of the closed form over a bounded range instead, and the
derivation says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy

from symconv.core.arith import exact_value, to_python
from symconv.core.closedform import as_display
from symconv.core.coerce import public
from symconv.core.limits import DEFAULT_SCAN as DEFAULT_SEARCH
from symconv.core.limits import MAX_EVALUATIONS, MAX_SOLUTIONS, within
from symconv.core.limits import MAX_SCAN as MAX_SEARCH
from symconv.core.richtext import rich
from symconv.core.stepper import substitute
from symconv.errors import MISSING, InputError
from symconv.problems.explore import given_values, numeric, set_decimal, substituted, target_value
from symconv.problems.quantity import Quantity, resolve
from symconv.solution.derivation import Derivation, Note, Relation, Step, Table
from symconv.solution.derivation import given as given_step
from symconv.solution.result import Answer, Result

if TYPE_CHECKING:
    from symconv.core.arith import Size

RELATIONS = ("==", ">=", "<=", ">", "<")
"""The relations a solve problem may ask for."""


_FLIP = {"==": "==", ">=": "<=", "<=": ">=", ">": "<", "<": ">"}
_NOT = {"==": "!=", ">=": "<", "<=": ">", ">": "<=", "<": ">="}
_SIGNS = {"==": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}
_WORDS = {"==": "equal to", ">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}


class SolveResult(Result["list[int] | None"]):
    """Solutions of ``quantity REL target`` for one unknown. ``value`` is the list of solutions.

    Answers: ``solutions`` (the admissible integers, ascending; ``[]`` when there are none; ``None``
    when a given is a symbol), ``closed_form`` (the solution of the equality, or the boundary of the
    inequality, where one exists; else ``None``), ``interval`` (a SymPy set: the real values that
    satisfy the relation within the unknown's domain and range; ``None`` after a scan).
    """

    main = "solutions"
    solutions: Answer[list[int] | None] = Answer()
    closed_form: Answer[Size | None] = Answer()
    interval: Answer[sympy.Set | None] = Answer()


class _NoClosedForm(Exception):
    """No exact rearrangement applies (the reason is the message)."""


@dataclass
class _State:
    """``expr REL value`` for each (REL, value) of ``bounds``; ``empty`` explains a relation nothing satisfies."""

    expr: sympy.Expr
    bounds: list[tuple[str, sympy.Expr]]
    empty: str = ""


def _sign(c: sympy.Expr) -> int | None:
    """1 or −1 for a positive or negative constant (numbers, or symbols SymPy can decide), else None."""
    if c.is_positive:
        return 1
    if c.is_negative:
        return -1
    return None


def _show(e: Any) -> Any:
    """A side of a relation in textbook order, each floor over one fraction: ⌊(S − 1)/32⌋, not ⌊S/32 − 1/32⌋."""
    if not isinstance(e, sympy.Basic) or e.is_Number or isinstance(e, sympy.Set):
        return e
    rounded = e.atoms(sympy.floor, sympy.ceiling)
    if rounded:
        e = e.xreplace({r: r.func(sympy.together(r.args[0]), evaluate=False) for r in rounded})
    return as_display(e)


def _shown_set(s: sympy.Set) -> sympy.Set:
    """A set whose ends are closed forms, each written as the rearrangement wrote it (``k²LN(1 − σ)/(L + k²N)``, not
    SymPy's ``LNk²(1 − σ)/(L + Nk²)``)."""
    if isinstance(s, sympy.FiniteSet):
        return sympy.FiniteSet(*[_show(e) for e in s.args], evaluate=False)
    if isinstance(s, sympy.Interval):
        return sympy.Interval(_show(s.start), _show(s.end), s.left_open, s.right_open, evaluate=False)
    return s


def _relation(label: str, st: _State) -> list[Step]:
    """The state as the relation a person writes: one bound, a double inequality, or a sentence when empty."""
    if st.empty:
        return [Note(label + ": " + st.empty)]
    if not st.bounds:
        return [Note(label + ": every value satisfies the relation.")]
    lower = [(r, v) for r, v in st.bounds if r in (">=", ">")]
    upper = [(r, v) for r, v in st.bounds if r in ("<=", "<")]
    if len(st.bounds) == 2 and len(lower) == 1 and len(upper) == 1:
        (r1, lo), (r2, hi) = lower[0], upper[0]
        return [Relation(label, (_show(lo), _show(st.expr), _show(hi)), (_FLIP[r1], r2))]
    return [Relation(label, (_show(st.expr), _show(v)), (r,)) for r, v in st.bounds]


def _amount(c: sympy.Expr) -> str:
    """A number as it is written in a label ('35', a fraction −1301/294000 as math); '' for a closed form (the
    label describes it)."""
    if c.is_Integer:
        return str(int(c)).replace("-", "−")
    if c.is_Rational:
        return rich("{c}", c=c)
    return ""


class _Rearrange:
    """Rearranges ``expr REL bound`` one operation at a time, recording each as a derivation step."""

    def __init__(self, x: sympy.Symbol, steps: list[Step]) -> None:
        self.x = x
        self.steps = steps

    def record(self, label: str, st: _State) -> _State:
        self.steps.extend(_relation(label, st))
        return st

    def isolate(self, st: _State, atom: sympy.Expr) -> _State:
        """Peel operations off ``st.expr`` until it is ``atom`` (the unknown, or the floor holding it)."""
        for _ in range(50):
            if st.empty or st.expr == atom:
                return st
            st = self.peel(st, atom)
        raise _NoClosedForm("the rearrangement does not end")

    def peel(self, st: _State, atom: sympy.Expr) -> _State:
        g = st.expr
        name = self.x.name
        if isinstance(g, sympy.Add):
            c, rest = g.as_independent(atom, as_Add=True)
            if c == 0:
                raise _NoClosedForm(f"{name} appears in several terms")
            n = _amount(c)
            if c.is_number and c < 0:
                label = "Add " + _amount(-c) + " to every side" if _amount(-c) else "Add the constant to every side"
            else:
                label = "Subtract " + n + " from every side" if n else "Subtract the constant term from every side"
            bounds = [(r, sympy.simplify(v - c)) for r, v in st.bounds]
            return self.record(label, _State(rest, bounds))
        if isinstance(g, sympy.Mul):
            c, rest = g.as_independent(atom, as_Mul=True)
            if c == 1:
                raise _NoClosedForm(f"{name} appears in several factors")
            sign = _sign(c)
            if sign is None:
                raise _NoClosedForm(f"the sign of the factor {c} of {name} is not known")
            flip = sign < 0 and any(r != "==" for r, _ in st.bounds)
            if c == -1:
                label = "Multiply every side by −1 (the relations flip)"
            elif c.is_Rational and abs(c.p) == 1:
                label = f"Multiply every side by {'−' if flip else ''}{c.q}" + (
                    " (negative: the relations flip)" if flip else ""
                )
            else:
                n = _amount(c)
                what = "Divide every side by " + n if n else rich("Divide every side by the factor of {x}", x=self.x)
                label = what + (" (negative: the relations flip)" if flip else " (positive)")
            bounds = [(_FLIP[r] if flip else r, sympy.simplify(v / c)) for r, v in st.bounds]
            return self.record(label, _State(rest, bounds))
        if isinstance(g, sympy.Pow) and g.exp == -1:
            base = g.base
            if not base.is_positive:
                raise _NoClosedForm(f"the sign of {base} is not known")
            return self.record("Take reciprocals (every side positive: the relations flip)", self.reciprocal(st, base))
        if isinstance(g, sympy.Pow) and g.exp.is_Integer and g.exp > 1 and g.base.is_nonnegative:
            return self.record(f"Take the {_ordinal(int(g.exp))} root of every side", self.root(st, g.base, int(g.exp)))
        raise _NoClosedForm(f"{name} sits inside {type(g).__name__}")

    @staticmethod
    def reciprocal(st: _State, base: sympy.Expr) -> _State:
        """1/h REL c for h > 0: a bound c ≤ 0 is always or never met; a positive one flips to h REL' 1/c."""
        bounds = []
        for r, c in st.bounds:
            sign = _sign(c) if c != 0 else 0
            if sign is None:
                raise _NoClosedForm(f"the sign of {c} is not known")
            if sign > 0:
                bounds.append((_FLIP[r], sympy.simplify(1 / c)))
            elif r in (">=", ">"):
                continue  # a positive 1/h exceeds every c ≤ 0
            else:
                return _State(base, [], f"1/{base} is positive, so it cannot be {_WORDS[r]} {c}.")
        return _State(base, bounds)

    @staticmethod
    def root(st: _State, base: sympy.Expr, n: int) -> _State:
        bounds = []
        for r, c in st.bounds:
            sign = _sign(c) if c != 0 else 0
            if sign is None:
                raise _NoClosedForm(f"the sign of {c} is not known")
            if sign >= 0:
                bounds.append((r, sympy.root(c, n)))
            elif r in (">=", ">"):
                continue
            else:
                return _State(base, [], f"a power {n} of a non-negative value is never {_WORDS[r]} {c}.")
        return _State(base, bounds)

    def unfloor(self, st: _State) -> _State:
        """⌊y⌋ REL m (or ⌈y⌉) as bounds on y; an equality with a non-integer m has no solution."""
        atom = st.expr
        is_floor = isinstance(atom, sympy.floor)
        y = atom.args[0]
        bounds: list[tuple[str, sympy.Expr]] = []
        for r, m in st.bounds:
            if r == "==":
                if m.is_integer is False or (m.is_number and not m.is_Integer):
                    return self.record(
                        "The rounded value is an integer",
                        _State(
                            y,
                            [],
                            f"{'⌊' if is_floor else '⌈'}…{'⌋' if is_floor else '⌉'} is an integer, "
                            f"but it would have to equal a fraction: no solution.",
                        ),
                    )
                if m.is_integer is not True:
                    raise _NoClosedForm(f"{m} is not known to be an integer")
                bounds += [(">=", m), ("<", m + 1)] if is_floor else [(">", m - 1), ("<=", m)]
            elif is_floor:
                bounds.append(
                    {
                        ">=": (">=", _ceiling(m)),
                        ">": (">=", _floor(m) + 1),
                        "<=": ("<", _floor(m) + 1),
                        "<": ("<", _ceiling(m)),
                    }[r]
                )
            else:
                bounds.append(
                    {
                        ">=": (">", _ceiling(m) - 1),
                        ">": (">", _floor(m)),
                        "<=": ("<=", _floor(m)),
                        "<": ("<=", _ceiling(m) - 1),
                    }[r]
                )
        rule = (
            rich("The floor as inequalities ($⌊y⌋ = n$ exactly when $n ≤ y < n + 1$)")
            if is_floor
            else rich("The ceiling as inequalities ($⌈y⌉ = n$ exactly when $n − 1 < y ≤ n$)")
        )
        return self.record(rule, _State(_one_occurrence(y, self.x, prefer_together=True), bounds))


def _floor(e: sympy.Expr) -> sympy.Expr:
    """⌊e⌋, checked exactly: SymPy rounds an irrational number (a 10th root) through a numeric estimate,
    which can land on the wrong side of an integer; the integer is corrected by exact comparison."""
    f = sympy.floor(e)
    if e.is_Rational or not e.is_number or not f.is_Integer:
        return f
    while f > e:
        f -= 1
    while f + 1 <= e:
        f += 1
    return f


def _ceiling(e: sympy.Expr) -> sympy.Expr:
    """⌈e⌉, checked exactly (as :func:`_floor`)."""
    return -_floor(-e)


def _ordinal(n: int) -> str:
    return {2: "square", 3: "cube"}.get(n, f"{n}th")


def _one_occurrence(e: sympy.Expr, x: sympy.Symbol, *, prefer_together: bool = False) -> sympy.Expr:
    """``e`` rewritten so that ``x`` appears once, if some standard form does (else ``e`` as it is)."""
    forms = [sympy.together(e), e] if prefer_together else [e, sympy.together(e)]
    forms += [_linear(e, x), sympy.collect(sympy.expand(e), x), sympy.apart(e, x) if e.is_rational_function(x) else e]
    for form in forms:
        if form.count(x) == 1:
            return form
    return e


def _linear(e: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """``b + a·x`` with the coefficient ``a`` as one factored fraction, when ``e`` is linear in x (else ``e``)."""
    b, rest = e.as_independent(x, as_Add=True)
    a = sympy.diff(rest, x)
    if a.has(x) or sympy.simplify(rest - a * x) != 0:
        return e
    return b + tidy(a) * x


def tidy(e: sympy.Expr) -> sympy.Expr:
    """A closed form factored, its sign moved into a difference: ``L·N·k²(1 − σ)/(L + N·k²)``, not ``−…(σ − 1)``."""
    n, d = sympy.fraction(sympy.factor(e))
    if isinstance(n, sympy.Add) and n.could_extract_minus_sign():
        return sympy.Mul(-1, (-n) / d)  # −(L + N·k²)/(L·N·k²)
    coeff, rest = n.as_coeff_Mul()
    if coeff < 0:
        factors = list(sympy.Mul.make_args(rest))
        for i, f in enumerate(factors):
            if isinstance(f, sympy.Add) and _negatives(-f) <= _negatives(f):
                factors[i] = -f  # −(σ − 1) is 1 − σ; −P(L + N·k²) stays
                n = -coeff * sympy.Mul(*factors)
                break
    return n / d


def _negatives(e: sympy.Expr) -> int:
    return sum(1 for t in sympy.Add.make_args(e) if t.could_extract_minus_sign())


def _rounded_part(f: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr] | None:
    """``f = A·⌊g⌋ + B`` (or ⌈g⌉) with A, B free of x: (A, the floor, B); None for any other form."""
    b, rest = f.as_independent(x, as_Add=True)
    a, core = rest.as_independent(x, as_Mul=True)
    if isinstance(core, (sympy.floor, sympy.ceiling)) and core.args[0].has(x):
        inner = core.args[0]
        if not inner.has(sympy.floor, sympy.ceiling, sympy.Max, sympy.Min, sympy.Piecewise):
            return a, core, b
    return None


def _as_written(f: sympy.Expr, x: sympy.Symbol, written: sympy.Basic) -> sympy.Expr:
    """``⌊g⌋ + B`` with the formula's own constant outside the floor: ⌊(230 − k)/2⌋ + 1, not ⌊−k/2⌋ + 116.

    SymPy pulls integers out of a floor; a person keeps the formula's shape (``⌊…⌋ + 1``) and collects
    the numbers inside. The value is the same because ⌊y + n⌋ = ⌊y⌋ + n for every integer n.
    """
    rounded = _rounded_part(f, x)
    if rounded is None or not isinstance(written, sympy.Add):
        return f
    a, core, b = rounded
    c0 = sum((t for t in written.args if t.is_Integer), sympy.Integer(0))
    if a != 1 or not b.is_Integer or c0 == 0 or b == c0:
        return f
    return core.func(core.args[0] + (b - c0), evaluate=False) + c0


def _plain(f: sympy.Expr, x: sympy.Symbol) -> bool:
    """No floor, ceiling, maximum, minimum or condition involves x."""
    return not any(node.has(x) for node in f.atoms(sympy.floor, sympy.ceiling, sympy.Max, sympy.Min, sympy.Piecewise))


def _as_set(bounds: Sequence[tuple[str, sympy.Expr]]) -> sympy.Set:
    s: sympy.Set = sympy.S.Reals
    for r, c in bounds:
        part = {
            "==": sympy.FiniteSet(c),
            ">=": sympy.Interval(c, sympy.oo),
            ">": sympy.Interval.open(c, sympy.oo),
            "<=": sympy.Interval(-sympy.oo, c),
            "<": sympy.Interval.open(-sympy.oo, c),
        }[r]
        s = sympy.Intersection(s, part)
    return s


def _symbolic_interval(bounds: Sequence[tuple[str, sympy.Expr]], lo: int) -> sympy.Set:
    """The interval of symbolic bounds; without a lower bound it starts at the domain's minimum ``lo``."""
    if any(r == "==" for r, _ in bounds):
        return sympy.FiniteSet(*[c for r, c in bounds if r == "=="])
    start, left_open, end, right_open = sympy.Integer(lo), False, sympy.oo, True
    for r, c in bounds:
        if r in (">=", ">"):
            start, left_open = c, r == ">"
        else:
            end, right_open = c, r == "<"
    return sympy.Interval(start, end, left_open, right_open)


def integers_in(s: sympy.Set, lo: int, hi: int | None) -> list[int] | None:
    """The integers of ``s`` in [lo, hi] (hi None: unbounded), ascending; None when they are infinitely many."""
    if s is sympy.S.EmptySet:
        return []
    if isinstance(s, sympy.Union):
        parts = [integers_in(p, lo, hi) for p in s.args]
        if any(p is None for p in parts):
            return None
        return sorted({v for p in parts for v in p or []})
    if isinstance(s, sympy.FiniteSet):
        return sorted(int(v) for v in s.args if v.is_Integer and v >= lo and (hi is None or v <= hi))
    if isinstance(s, sympy.Interval):
        first = _floor(s.start) + 1 if s.left_open else _ceiling(s.start)
        last = _ceiling(s.end) - 1 if s.right_open else _floor(s.end)
        start = lo if first is sympy.S.NegativeInfinity else max(lo, int(first))
        if last is sympy.oo:
            if hi is None:
                return None
            stop = hi
        else:
            stop = int(last) if hi is None else min(hi, int(last))
        if stop - start + 1 > MAX_SOLUTIONS:
            raise _TooMany(stop - start + 1)
        return list(range(start, stop + 1))
    raise _NoClosedForm(f"the solution set {s} is not an interval")


class _TooMany(Exception):
    """More solutions than MAX_SOLUTIONS."""


def _range(value: Any, lo: int, name: str) -> tuple[int, int] | None:
    """The integer bounds of a ``range = [a, b]`` (clipped below at the domain's minimum ``lo``)."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise InputError("range", value, "expected [lowest, highest]")
    a = exact_value(value[0], "range[0]", allow_symbol=False)
    b = exact_value(value[1], "range[1]", allow_symbol=False)
    if a > b:
        raise InputError("range", list(value), "the lower end is above the upper end")
    first, last = -(-Fraction(a).numerator // Fraction(a).denominator), Fraction(b).numerator // Fraction(b).denominator
    if first > last:
        raise InputError("range", [str(a), str(b)], "holds no integer")
    first = max(first, lo)
    if first > last:
        raise InputError("range", [str(a), str(b)], f"holds no admissible {name}: {name} is at least {lo}")
    return first, last


@public()
def solve(
    quantity: Any,
    unknown: str,
    target: Any,
    *,
    relation: str = "==",
    given: Mapping[str, Any] | None = None,
    range: Sequence[Any] | None = None,
) -> SolveResult:
    """The integers ``unknown`` for which ``quantity REL target`` holds, with the rearrangement shown.

    Args:
        quantity: a catalogue formula (``"conv_output_size"``), a derived name (``"savings"``,
            ``"layer.parameters"``) or a :class:`~symconv.problems.quantity.Quantity`.
        unknown: the parameter solved for, as the quantity names it (``"s"``).
        target: a number (``18``, ``"9/10"``, ``0.9``) or a symbol name (``"sigma"``).
        relation: ``"=="``, ``">="``, ``"<="``, ``">"`` or ``"<"``.
        given: every other parameter's value: a number, or a symbol name to keep it symbolic.
        range: ``[lowest, highest]`` values of the unknown to consider (default: its natural domain —
            sizes from 1, paddings from 0 — and, for a scan, the next 9,999 values).

    Returns:
        A :class:`SolveResult`. With symbolic givens the answer is the interval and the boundary in
        closed form (``solutions`` is None).

    Raises:
        InputError: an unknown the quantity does not have, a relation not among the five, a missing
            or extra given, a range with no integers, an unbounded set of solutions without a range.
    """
    q = resolve(quantity)
    x_name = q.param(unknown, "unknown")
    if relation not in RELATIONS:
        raise InputError("relation", relation, "use one of " + ", ".join(repr(r) for r in RELATIONS))
    values = given_values(q, given, exclude=x_name)
    t = target_value(target, q)
    x = q.symbols[x_name]
    lo = q.minimum(x_name)
    bounds = _range(range, lo, x.name)
    f = _as_written(substituted(q, values), x, q.display)
    is_numeric = numeric(values) and not isinstance(t, sympy.Symbol)
    steps: list[Step] = []
    sizes = [substituted(q, values, size) for size in q.sizes]
    solver = _Solver(q, x, f, t, relation, lo, bounds, is_numeric, steps, sizes)
    answers = solver.run()
    conventions = {
        "solve": rich("The unknown {x} is an integer, at least {lo}", x=x, lo=lo)
        + (rich(" and in the range {lo} $≤$ {x} $≤$ {hi}", lo=bounds[0], x=x, hi=bounds[1]) if bounds else "")
        + rich(
            "; floors and ceilings are turned into exact inequalities ($⌊y⌋ = n$ exactly when $n ≤ y < n + 1$), "
            "never approximated. The interval of the answer is the set of real values satisfying the relation "
            "there; its integers are the solutions."
        )
        + (" A value where a layer has no output (an output size below 1) is no solution." if q.sizes else ""),
    }

    def build(der: Derivation) -> None:
        target_item = [] if isinstance(t, sympy.Symbol) else [(q.lhs, t, "the target")]
        der.add(given_step("Given", [(q.symbols[p], v, "") for p, v in values.items()] + target_item))
        der.note(
            rich(
                "Unknown: {domain}. Wanted: {q} {words} the target.",
                domain=q.domain_text(x_name),
                q=q.name,
                words=_WORDS[relation],
            )
        )
        from symconv.solution.derivation import Definition

        der.add(Definition(q.heading, q.lhs, q.display))
        if values:
            der.equation_from(
                "With the givens substituted",
                q.lhs,
                q.display,
                {q.symbols[p]: v for p, v in values.items()},
                result=_show(f),
            )
        for step in steps:
            der.add(step)

    shown_target = t.name if isinstance(t, sympy.Symbol) else _plain_number(sympy.Rational(t))
    title = rich(
        "Solve for {x}: {q} {sign} {target}",
        x=x,
        q=q.name,
        sign=_SIGNS[relation],
        target=t if isinstance(t, sympy.Symbol) else shown_target,
    )
    return SolveResult("solve", title, answers, conventions, build)


class _Solver:
    """The rearrangement (or the scan) of one solve problem; fills ``steps`` and returns the answers."""

    def __init__(
        self,
        q: Quantity,
        x: sympy.Symbol,
        f: sympy.Expr,
        t: Any,
        relation: str,
        lo: int,
        bounds: tuple[int, int] | None,
        is_numeric: bool,
        steps: list[Step],
        sizes: Sequence[sympy.Expr] = (),
    ) -> None:
        self.q, self.x, self.f, self.relation, self.lo, self.range = q, x, f, relation, lo, bounds
        self.sizes = sizes
        self.x_name = next(p for p, s in q.symbols.items() if s == x)
        self.t = sympy.sympify(t) if not isinstance(t, Fraction) else sympy.Rational(t.numerator, t.denominator)
        self.numeric = is_numeric
        self.steps = steps

    def run(self) -> dict[str, Any]:
        if not self.f.has(self.x):
            return self.constant()
        shown = _one_occurrence(self.f, self.x) if _plain(self.f, self.x) else self.f
        self.steps.append(Relation("The condition", (_show(shown), _show(self.t)), (self.relation,)))
        try:
            return self.rearranged(shown)
        except _NoClosedForm as reason:
            if not self.numeric:
                raise InputError(
                    "given",
                    "symbols",
                    f"no exact rearrangement for {self.x.name} with symbolic givens ({reason}); give numbers",
                ) from None
            return self.scan(str(reason))

    def constant(self) -> dict[str, Any]:
        """The givens leave no x in the quantity: the relation holds for every x or for none."""
        self.steps.append(Relation("The condition", (_show(self.f), _show(self.t)), (self.relation,)))
        if not self.numeric:
            raise InputError(
                "unknown", self.x.name, f"{self.q.name} does not depend on {self.x.name} with these givens"
            )
        holds = _holds(self.f, self.relation, self.t)
        self.steps.append(
            Note(
                f"{self.q.name} does not depend on {self.x.name} with these givens: the relation holds for "
                + ("every" if holds else "no")
                + f" {self.x.name}."
            )
        )
        domain = sympy.Interval(self.lo, sympy.oo) if self.range is None else sympy.Interval(*self.range)
        interval: sympy.Set = self.valid(domain) if holds else sympy.S.EmptySet
        if holds and integers_in(interval, self.lo, None if self.range is None else self.range[1]) is None:
            raise InputError(
                "range",
                MISSING,
                f"every {self.x.name} ≥ {self.lo} satisfies the relation; give range = [lowest, highest] to list them",
            )
        sols = integers_in(interval, self.lo, None if self.range is None else self.range[1]) or []
        self.finish(sols)
        return {"solutions": sols, "closed_form": None, "interval": interval}

    def reduce(self, f: sympy.Expr, relation: str, t: sympy.Expr, steps: list[Step]) -> tuple[_State, bool]:
        """``f REL t`` rearranged down to bounds on x, each step recorded in ``steps``; (the state, f had no floor)."""
        work = _Rearrange(self.x, steps)
        st = _State(f, [(relation, t)])
        rounded = None if _plain(f, self.x) else _rounded_part(f, self.x)
        if rounded is None and not _plain(f, self.x):
            raise _NoClosedForm(f"{self.x.name} appears under more than one floor, ceiling or maximum")
        if rounded is not None:
            st = work.isolate(st, rounded[1])
            if not st.empty:
                st = work.unfloor(st)
        if not st.empty:
            if st.expr.count(self.x) != 1:
                raise _NoClosedForm(f"{self.x.name} appears more than once")
            st = work.isolate(st, self.x)
        return st, rounded is None

    def valid(self, candidates: sympy.Set) -> sympy.Set:
        """``candidates`` cut down to the x where every output size the quantity presumes is at least 1; each
        condition that removes some candidate is shown with its rearrangement (the others are left unsaid)."""
        out = candidates
        for size in self.sizes:
            shown = _as_written(size, self.x, size)
            if not size.has(self.x):
                if size.is_number and size < 1:
                    self.steps.append(
                        Relation(
                            "With these givens the layer has no output, whatever the unknown: its output size",
                            (_show(shown), to_python(size), 1),
                            ("==", "<"),
                        )
                    )
                    return sympy.S.EmptySet
                continue
            scratch: list[Step] = []
            st, _ = self.reduce(
                _one_occurrence(size, self.x) if _plain(size, self.x) else size, ">=", sympy.Integer(1), scratch
            )
            part = sympy.S.EmptySet if st.empty else _as_set(st.bounds)
            if out is sympy.S.EmptySet or out.is_subset(part):
                continue
            self.steps.append(
                Relation(
                    "A layer exists only where its output size is at least 1 (it has an output)",
                    (_show(shown), sympy.Integer(1)),
                    (">=",),
                )
            )
            self.steps.extend(scratch)
            out = sympy.Intersection(out, part)
        return out

    def rearranged(self, f: sympy.Expr) -> dict[str, Any]:
        st, plain = self.reduce(f, self.relation, self.t, self.steps)
        boundary = self.boundary(st, plain)
        if st.empty:
            interval: sympy.Set = sympy.S.EmptySet
        else:
            interval = _as_set(st.bounds)
        if not self.numeric:
            for size in self.sizes:
                if size.has(self.x):
                    self.steps.append(
                        Relation(
                            "A layer exists only where its output size is at least 1 (a condition on the symbols too)",
                            (_show(_as_written(size, self.x, size)), sympy.Integer(1)),
                            (">=",),
                        )
                    )
            within_domain = _symbolic_interval(st.bounds, self.lo) if not st.empty else sympy.S.EmptySet
            self.steps.append(
                Relation(
                    rich(
                        "The values of {x} that satisfy it, with {domain}",
                        x=self.x,
                        domain=self.q.domain_text(self.x_name),
                    ),
                    (self.x, _shown_set(within_domain)),
                    ("in",),
                    answer=True,
                    key="interval",
                )
            )
            self.steps.append(
                Note(
                    "With symbols the integers of this interval cannot be listed; it is empty when its upper end is below its lower end."
                )
            )
            return {"solutions": None, "closed_form": boundary, "interval": within_domain}
        domain = sympy.Interval(self.lo, sympy.oo) if self.range is None else sympy.Interval(*self.range)
        within = self.valid(sympy.Intersection(interval, domain))
        where = (
            self.q.domain_text(self.x_name)
            if self.range is None
            else rich("the range {lo} $≤$ {x} $≤$ {hi}", lo=self.range[0], x=self.x, hi=self.range[1])
        )
        self.steps.append(
            Relation(
                rich("The values of {x} that satisfy it, with {where}", x=self.x, where=where),
                (self.x, within),
                ("in",),
                approx=set_decimal(within),
                key="interval",
            )
        )
        try:
            sols = integers_in(within, self.lo, None if self.range is None else self.range[1])
        except _TooMany as many:
            raise InputError(
                "range",
                self.range,
                f"{many} integers satisfy the relation; give a narrower range (at most {MAX_SOLUTIONS:,})",
            ) from None
        if sols is None:
            raise InputError(
                "range",
                MISSING,
                f"every {self.x.name} in the unbounded interval {_interval_words(within)} satisfies the relation; "
                "give range = [lowest, highest] to list them",
            )
        self.finish(sols, within)
        return {"solutions": sols, "closed_form": boundary, "interval": within}

    def boundary(self, st: _State, plain: bool) -> Any:
        """The solution of the equality (or the boundary of the inequality) where the rearrangement gives one."""
        if not plain or st.empty or len(st.bounds) != 1:
            return None
        value = st.bounds[0][1]
        if self.numeric:
            self.general_boundary()
        return to_python(value) if value.is_Number else tidy(value)

    def general_boundary(self) -> None:
        """The boundary in general (every given a symbol), when SymPy solves the relaxed equation exactly."""
        target = sympy.Symbol(self.q.lhs.name, real=True)
        x = self.x
        try:
            roots = sympy.solve(sympy.Eq(self.q.expr, target), x)
        except (NotImplementedError, ValueError):
            return
        if len(roots) == 1 and roots[0].has(target):
            from symconv.solution.derivation import Definition

            self.steps.append(
                Definition("In general, with every given a symbol, the boundary is at", x, as_display(tidy(roots[0])))
            )

    def finish(self, sols: list[int], within: sympy.Set | None = None) -> None:
        """The integers, then a check by substitution at the ends and just outside them."""
        x = self.x
        if not sols:
            if isinstance(within, sympy.Interval) and within.start.is_finite and within.end.is_finite:
                below = int(_floor(within.start))
                self.steps.append(
                    Note(f"The interval lies strictly between the consecutive integers {below} and {below + 1}.")
                )
            self.steps.append(
                Relation(
                    rich("No integer {x} satisfies the condition", x=x),
                    (x, sympy.S.EmptySet),
                    ("in",),
                    answer=True,
                    key="solutions",
                )
            )
            return
        contiguous = sols == list(range(sols[0], sols[-1] + 1))
        shown: sympy.Set = (
            sympy.Range(sols[0], sols[-1] + 1) if len(sols) > 8 and contiguous else sympy.FiniteSet(*sols)
        )
        self.steps.append(
            Relation("The integers that satisfy the condition", (x, shown), ("in",), answer=True, key="solutions")
        )
        ends = sorted({sols[0], sols[-1]})
        outside = [v for v in (sols[0] - 1, sols[-1] + 1) if v >= self.lo and v not in sols]
        written = _show(self.f)
        for v, where in [(v, "a solution") for v in ends] + [(v, "just outside") for v in outside]:
            missing = next((size for size in self.sizes if size.xreplace({x: sympy.Integer(v)}) < 1), None)
            if missing is not None:  # outside because no layer has an output there
                self.steps.append(
                    Relation(
                        rich(
                            "Check by substitution, {point} ({where}: no output)",
                            point=sympy.Eq(x, sympy.Integer(v), evaluate=False),
                            where=where,
                        ),
                        (
                            substitute(_show(_as_written(missing, x, missing)), {x: sympy.Integer(v)}),
                            to_python(missing.xreplace({x: sympy.Integer(v)})),
                            sympy.Integer(1),
                        ),
                        ("==", "<"),
                    )
                )
                continue
            value = self.f.xreplace({x: sympy.Integer(v)})
            ok = _holds(value, self.relation, self.t)
            shown = self.relation if ok else _NOT[self.relation]
            self.steps.append(
                Relation(
                    rich(
                        "Check by substitution, {point} ({where})",
                        point=sympy.Eq(x, sympy.Integer(v), evaluate=False),
                        where=where,
                    ),
                    (substitute(written, {x: sympy.Integer(v)}), to_python(value), _show(self.t)),
                    ("==", shown),
                )
            )

    def scan(self, reason: str) -> dict[str, Any]:
        from symconv.core.vectorize import ExactEvaluator

        x = self.x
        if self.range is None:
            first, last = self.lo, self.lo + DEFAULT_SEARCH - 1
        else:
            first, last = self.range
        if last - first + 1 > MAX_SEARCH:
            raise InputError(
                "range", [first, last], f"a scan covers at most {MAX_SEARCH:,} values; give a narrower range"
            )
        import numpy as np

        xs = np.arange(first, last + 1, dtype=np.int64)
        evaluator = ExactEvaluator(self.f, x)
        scanned = [first, last] if self.range is not None else MISSING
        within(
            "range",
            scanned,
            evaluator.work(len(xs)),
            MAX_EVALUATIONS,
            f"{len(xs):,} values × the closed form's operations",
        )
        ys = evaluator(xs)
        ok = _holds_array(ys, self.relation, self.t)
        exists = np.ones(len(xs), dtype=bool)
        for size in self.sizes:  # the points where some layer has no output are no solutions
            exists &= _holds_array(ExactEvaluator(size, x)(xs), ">=", sympy.Integer(1))
        ok &= exists
        sols = [int(v) for v in xs[ok].tolist()]
        if self.range is None and sols and sols[-1] == last:
            raise InputError(
                "range",
                MISSING,
                f"{x.name} = {last} (the end of the default search {first}…{last}) still satisfies the relation, "
                "so the solutions may go on; give range = [lowest, highest]",
            )
        self.steps.append(
            Note(
                f"No exact rearrangement applies ({reason}), so every {x.name} from {first} to {last} is tried with the "
                "exact closed form"
                + (
                    " (the default search: the natural minimum and the next 9,999 values)."
                    if self.range is None
                    else "."
                )
            )
        )
        if len(xs) <= 40:
            rows = tuple(
                (int(v), to_python(y), "yes" if k else "no" if e else "no output")
                for v, y, k, e in zip(xs.tolist(), ys.tolist(), ok.tolist(), exists.tolist())
            )
            self.steps.append(
                Table("The scan", (x.name, self.q.lhs.name, f"{_SIGNS[self.relation]} {_plain_number(self.t)}?"), rows)
            )
        self.finish(sols)
        return {"solutions": sols, "closed_form": None, "interval": None}


def _plain_number(t: sympy.Expr) -> str:
    return str(t) if t.is_Integer else f"{t.p}/{t.q}" if t.is_Rational else str(t)


def _holds(value: sympy.Expr, relation: str, t: sympy.Expr) -> bool:
    return bool({"==": value == t, ">=": value >= t, "<=": value <= t, ">": value > t, "<": value < t}[relation])


def _holds_array(ys: Any, relation: str, t: sympy.Expr) -> Any:
    import numpy as np

    target: Any = int(t) if t.is_Integer else Fraction(int(t.p), int(t.q))
    if ys.dtype != object and not isinstance(target, int):
        ys = ys.astype(object)
    out = {"==": ys == target, ">=": ys >= target, "<=": ys <= target, ">": ys > target, "<": ys < target}[relation]
    return np.asarray(out, dtype=bool)


def _interval_words(s: sympy.Set) -> str:
    from symconv.core import mathprint

    return mathprint.text(s, written=False)
