"""Derivations as data: steps (equations, matrices, tables, notes), answers and conventions.

Problems build these; renderers format them and never compute. Every step keeps the general
formula, the substituted form, each partial evaluation and the result, so one derivation serves
the full, compact and answer-only views in any output format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from symconv.core.richtext import Math, Rich, math, rich

if TYPE_CHECKING:  # SymPy is imported only when a derivation is built, never on the numeric path
    import sympy

    from symconv.core.formula import Formula

__all__ = [
    "DETAILS",
    "RELATION_OPS",
    "Deferred",
    "Definition",
    "Derivation",
    "Detail",
    "Equation",
    "Given",
    "Group",
    "Math",
    "MatrixEquation",
    "Note",
    "Plot",
    "Relation",
    "Rich",
    "Shape",
    "Step",
    "Table",
    "Written",
    "given",
    "math",
    "rich",
]

Detail = Literal["full", "compact", "answer"]
DETAILS: tuple[str, ...] = ("full", "compact", "answer")

# Labels, notes, titles and conventions are ``str``; a :class:`Rich` string (``rich("… $k_h × k_w$ …")``)
# carries the formulas in it as math, which each renderer typesets (see symconv.core.richtext).


@dataclass(frozen=True)
class Equation:
    """``lhs = formula = substituted = partial … = result``.

    ``formula`` is the general display form in symbols (None when the step starts from numbers),
    ``chain`` the substituted form followed by every partial evaluation, ``result`` the exact value
    (``int``/``Fraction``) or a SymPy closed form. ``mul`` picks the printed product sign
    (``"times"`` ×, ``"dot"`` ·).
    """

    label: str
    lhs: sympy.Basic
    formula: sympy.Basic | None
    chain: tuple[sympy.Basic, ...]
    result: Any
    mul: str = "times"
    unit: str = ""
    answer: bool = False
    key: str = ""
    """The answer this step derives, as ``key`` or ``key[i]`` / ``key[i][j]`` for list elements ('' if none)."""
    approx: str = ""
    """A decimal rounding of an exact fractional result (``"94.69"``), computed exactly by the problem."""


@dataclass(frozen=True)
class MatrixEquation:
    """``lhs = M_1 op M_2 … = result`` for matrices (lists of rows of SymPy values).

    ``lhs`` is raw LaTeX/text (a string) or a SymPy symbol printed by each renderer (``Y_{1,2}``).
    """

    label: str
    lhs: str | sympy.Basic
    terms: tuple[Any, ...]
    op: str = "+"
    result: Any = None
    answer: bool = False
    key: str = ""


@dataclass(frozen=True)
class Definition:
    """A general formula stated without numbers: ``lhs = rhs`` (a recurrence, a closed form)."""

    label: str
    lhs: sympy.Basic
    rhs: sympy.Basic
    written: bool = True


@dataclass(frozen=True)
class Given:
    """The data of the problem: (symbol, value, description) triples; values may be matrices."""

    label: str
    items: tuple[tuple[Any, Any, str], ...]


def given(label: str, items: Sequence[tuple[Any, Any, str]]) -> Given:
    """A Given step without the trivial lines ``k_1 = k_1`` of symbols left symbolic."""
    import sympy

    return Given(label, tuple(item for item in items if not (isinstance(item[1], sympy.Basic) and item[1] == item[0])))


@dataclass(frozen=True)
class Note:
    """A sentence in the derivation (a convention, a remark, an elision of repeated steps)."""

    text: str


@dataclass(frozen=True)
class Shape:
    """A tensor shape, printed ``112 × 112 × 64`` (height × width × channels, or any dimensions)."""

    dims: tuple[Any, ...]


@dataclass(frozen=True)
class Written:
    """A closed form already in written order (a table cell, :func:`symconv.core.closedform.as_display`): printed
    as it is, never reordered by the renderer."""

    expr: Any


@dataclass(frozen=True)
class Table:
    """A table of values (per-layer results); cells are exact values, :class:`Shape` s or strings.

    ``total`` rows at the end are set off by a rule (a totals row); ``answer`` keeps the table in the
    answer-only view.
    """

    label: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int = 0
    answer: bool = False


@dataclass(frozen=True)
class Group:
    """Steps shown together under a heading from a detail level on (the worked row of a network layer).

    ``steps`` may be :class:`Deferred`: built when first read, so a level that does not show the group
    never builds it (a numeric network's table is written without importing SymPy).
    """

    label: str
    steps: Sequence[Any]
    level: Detail = "full"


class Deferred(Sequence[Any]):
    """Steps built by ``build`` the first time they are read, then kept."""

    def __init__(self, build: Callable[[], Sequence[Any]]) -> None:
        self._build: Callable[[], Sequence[Any]] | None = build
        self._steps: tuple[Any, ...] = ()

    def _built(self) -> tuple[Any, ...]:
        if self._build is not None:
            self._steps, self._build = tuple(self._build()), None
        return self._steps

    def __len__(self) -> int:
        return len(self._built())

    def __getitem__(self, index: Any) -> Any:
        return self._built()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._built())


@dataclass(frozen=True)
class Relation:
    """A chain of relations read left to right: ``17 ≤ 35/s < 18``, ``⌊35/s⌋ + 1 = 18``, ``s ∈ (35/18, 35/17]``.

    ``terms`` are display trees, exact values or SymPy sets; ``ops`` holds the relation between each pair
    of neighbouring terms, one of :data:`RELATION_OPS`. ``approx`` is a decimal reading of the last term
    (``"(1.944, 2.059]"``), computed exactly by the problem.
    """

    label: str
    terms: tuple[Any, ...]
    ops: tuple[str, ...]
    approx: str = ""
    answer: bool = False
    key: str = ""


RELATION_OPS: tuple[str, ...] = ("==", "!=", "<=", "<", ">=", ">", "in")
"""Relations a :class:`Relation` may hold: equal, not equal, the four inequalities, and ∈ (element of a set)."""


@dataclass(frozen=True)
class Plot:
    """A curve y(x) through exact points, with marked points (the given problem's own point).

    ``x`` and ``y`` are the symbols on the axes, ``x_text``/``y_text`` their names in words; ``points``
    are (x, y) pairs of exact values in increasing x, already thinned by the problem to what a figure
    shows; ``marked`` are points drawn on top of the curve.
    """

    label: str
    x: sympy.Basic
    y: sympy.Basic
    points: tuple[tuple[Any, Any], ...]
    marked: tuple[tuple[Any, Any], ...] = ()
    x_text: str = ""
    y_text: str = ""
    answer: bool = True
    """A plot of the answers is kept in the answer-only view."""


Step = Equation | Definition | MatrixEquation | Given | Note | Table | Relation | Plot | Group


@dataclass
class Derivation:
    """A worked solution of one problem.

    ``answers`` maps answer keys (``receptive_field``, ``macs`` …) to exact values, lists of them
    or SymPy closed forms; ``conventions`` maps a topic to the sentence stating the convention used.
    """

    title: str
    kind: str
    steps: list[Step] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    conventions: dict[str, str] = field(default_factory=dict)
    id: str = ""
    main: str = ""
    """The key of the main answer (the one boxed at every detail level), set from the result."""
    written: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Closed forms already shown, by value → the display tree they were written as (reused when substituted)."""
    products: dict[Any, None] = field(default_factory=dict, repr=False, compare=False)
    """Pairs (a, b) of symbols a product of symbols shown so far wrote a before b (``k²CN``: (k, C), (k, N), (C, N);
    the latest product decides a pair): later products follow them (:func:`symconv.core.closedform.as_display`'s
    ``precedent``)."""

    def add(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    def walk(self) -> Iterator[Step]:
        """Every step in order, the steps of a :class:`Group` after the group itself."""

        def steps(items: Sequence[Any]) -> Iterator[Step]:
            for s in items:
                yield s
                yield from steps(getattr(s, "steps", ()))

        return steps(self.steps)

    def note(self, text: str) -> None:
        self.steps.append(Note(text))

    def equation(
        self,
        label: str,
        lhs: sympy.Basic | str,
        formula: Formula,
        values: Mapping[sympy.Basic, Any],
        *,
        symbols: Mapping[str, Any] | None = None,
        result: Any = None,
        mul: str = "times",
        unit: str = "",
        answer: bool = False,
        key: str = "",
        approx: str = "",
    ) -> Equation:
        """Add ``lhs = formula(symbols) = …`` evaluated under ``values`` (symbol or parameter name → value).

        ``symbols`` overrides the display of parameters (a symbol or a display tree such as the
        product ``s_1 × s_2``); ``result`` is the exact value if already known (the numeric view),
        otherwise the end of the chain.
        """
        import sympy

        display = formula.display(**(symbols or {}))
        # only the values this display uses, looked up by its symbols and the formula's parameter names: a
        # stack's steps share one table of every value so far, and reading all of it at each step is O(n²)
        values = {k: values[k] for k in (*display.free_symbols, *formula.params) if k in values}
        if any(isinstance(k, str) for k in values):
            # parameter names: map each to the symbol shown for it in this display
            shown = formula.default_symbols()
            shown.update({k: v for k, v in (symbols or {}).items() if isinstance(v, sympy.Symbol)})
            values = {(shown[k] if isinstance(k, str) else k): v for k, v in values.items()}
        return self.equation_from(
            label, lhs, display, values, result=result, mul=mul, unit=unit, answer=answer, key=key, approx=approx
        )

    def equation_from(
        self,
        label: str,
        lhs: sympy.Basic | str,
        display: sympy.Basic,
        values: Mapping[sympy.Basic, Any],
        *,
        result: Any = None,
        mul: str = "times",
        unit: str = "",
        answer: bool = False,
        show_formula: bool = True,
        key: str = "",
        approx: str = "",
    ) -> Equation:
        """Like :meth:`equation` for a display tree built by the caller."""
        import sympy

        from symconv.core.arith import size_symbol, to_python
        from symconv.core.closedform import appearance_order, as_display, remember
        from symconv.core.stepper import chain as eval_chain

        lhs_expr = size_symbol(lhs) if isinstance(lhs, str) else lhs
        values = {k: values[k] for k in display.free_symbols if k in values}  # the ones it uses (see equation)
        # a closed form substituted into a formula reads as it was written when derived (k_1 + 3, not 3 + k_1)
        order = appearance_order(display)
        values = {
            k: self.written.get(v) or as_display(v, order, memo=self.written)
            if isinstance(v, sympy.Basic) and not v.is_Number
            else v
            for k, v in values.items()
        }
        steps = eval_chain(display, values)
        if result is None:
            last = steps[-1]
            result = to_python(last) if last.is_Number else last
        elif isinstance(result, sympy.Basic) and not result.is_Number:
            # terms in the order the substituted formula writes them, factors in the general formula's order
            shown = as_display(
                result,
                appearance_order(steps[0], display),
                factors=appearance_order(display),
                memo=self.written,
                precedent=self.products,
            )
            remember(self.written, result, shown)
            if isinstance(shown, sympy.Mul) and all(a.is_Number or a.is_Symbol or a.is_Pow for a in shown.args):
                # a product of symbols (k²CN, 9HWCN), the latest one's order winning: later products follow it
                from itertools import combinations

                for a, b in combinations(appearance_order(shown), 2):
                    self.products.pop((b, a), None)
                    self.products[(a, b)] = None
            result = shown
        step = Equation(
            label=label,
            lhs=lhs_expr,
            formula=display if show_formula else None,
            chain=tuple(steps),
            result=result,
            mul=mul,
            unit=unit,
            answer=answer,
            key=key,
            approx=approx,
        )
        self.steps.append(step)
        return step
