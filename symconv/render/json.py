"""JSON: the answers as exact values (ints, "p/q" strings, SymPy-syntax closed forms) with the steps' LaTeX."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from symconv.core.richtext import printable
from symconv.render.base import is_sympy
from symconv.render.blocks import MathBlocks
from symconv.solution.derivation import Derivation, Plot, Shape, Written

if TYPE_CHECKING:  # SymPy is imported where a closed form is written, never for numbers alone
    import sympy


@functools.singledispatch
def to_json_value(value: Any) -> Any:
    """An exact value as JSON data, by the value's type (one registered function per type).

    Integers stay integers, fractions become ``"p/q"`` strings, closed forms SymPy-syntax
    strings (``sympy.sstr``: ``"1 - P/L - P/(N*k**2)"``), sets interval notation, lists, tuples and
    shapes lists, strings and booleans themselves. A type without a function of its own: an
    integer-like value (numpy) as an integer, an array as a list, anything else as its text.
    """
    if value is None:
        return None
    if is_sympy(value):
        return _sympy_value(value)
    if hasattr(value, "__index__"):  # numpy integers
        return int(value.__index__())
    if hasattr(value, "tolist"):  # numpy arrays
        return to_json_value(value.tolist())
    return str(value)


@to_json_value.register
def _(value: bool) -> bool:
    return value


@to_json_value.register
def _(value: str) -> str:
    return str(value)  # a Rich string as its plain text


@to_json_value.register
def _(value: int) -> int:
    return int(value)


@to_json_value.register
def _(value: float) -> float:  # the output of a convolution of float entries (not exact; every other answer is)
    return value


@to_json_value.register
def _(value: Fraction) -> Any:
    from symconv.core.arith import format_fraction, normalize

    exact = normalize(value)
    return exact if isinstance(exact, int) else format_fraction(exact)


@to_json_value.register(list)
@to_json_value.register(tuple)
def _(value: Sequence[Any]) -> list[Any]:
    return [to_json_value(v) for v in value]


@to_json_value.register
def _(value: Shape) -> list[Any]:
    return [to_json_value(v) for v in value.dims]


@to_json_value.register
def _(value: Written) -> Any:
    return to_json_value(value.expr)


@to_json_value.register
def _(value: dict) -> dict[str, Any]:  # type: ignore[type-arg]
    return {str(k): to_json_value(v) for k, v in value.items()}


def _sympy_value(value: sympy.Basic) -> Any:
    """A SymPy number, closed form or set (SymPy objects are told apart at run time: SymPy is loaded then)."""
    import sympy

    if isinstance(value, sympy.Set):
        return set_text(value)
    if value.is_Integer:
        return int(value)
    if value.is_Rational:
        return f"{value.p}/{value.q}"
    if isinstance(value, sympy.Add) and len(value.args) > 16:
        # a long sum (a symbolic convolution's output) in SymPy's stored order: sorting its terms for printing
        # compares every term against every symbol, which for hundreds of products takes longer than the rest
        return sympy.sstr(value, order="none")
    return sympy.sstr(value)


def set_text(value: sympy.Set) -> str:
    """A set of real numbers in interval notation with SymPy-syntax ends: ``"(35/18, 35/17]"``, ``"[2, oo)"``,
    ``"{7, 8}"``, ``"{}"``; a union joins its parts with ``" U "``."""
    import sympy

    if isinstance(value, sympy.Interval):
        left = "(" if value.left_open else "["
        right = ")" if value.right_open else "]"
        return f"{left}{sympy.sstr(value.start)}, {sympy.sstr(value.end)}{right}"
    if isinstance(value, sympy.Union):
        return " U ".join(set_text(part) for part in value.args)
    if isinstance(value, sympy.FiniteSet):
        return "{" + ", ".join(sympy.sstr(v) for v in sorted(value.args, key=sympy.default_sort_key)) + "}"
    if value is sympy.S.EmptySet:
        return "{}"
    return sympy.sstr(value)


def plot_data(p: Plot) -> dict[str, Any]:
    """A plot as data: axis symbols, the exact points and the marked ones."""
    import sympy

    return {
        "x": sympy.sstr(p.x),
        "y": sympy.sstr(p.y),
        "points": to_json_value([list(pt) for pt in p.points]),
        "marked": to_json_value([list(pt) for pt in p.marked]),
    }


class JsonRenderer(MathBlocks):
    """``{"title", "problems": [{"id", "type", "answers", "conventions", "steps": [{"label", "latex"}]}]}``.

    A step's ``latex`` is its display math in the subset MathJax and KaTeX render ('' for a
    sentence); steps that derive an answer also carry its ``key``. The detail level filters
    the steps as in the other formats.
    """

    extension = ".json"
    name = "json"

    def problem(self, d: Derivation) -> dict[str, Any]:
        steps = []
        for b in self.blocks(d):
            step: dict[str, Any] = {"label": str(b.text), "latex": self.math(b)}
            if b.table is not None:
                step["table"] = {"headers": list(b.table.headers), "rows": to_json_value(b.table.rows)}
            if b.plot is not None:
                step["plot"] = plot_data(b.plot)
            if b.key:
                step["key"] = b.key
            steps.append(step)
        return {
            "id": d.id,
            "type": d.kind,
            "answers": to_json_value(d.answers),
            "conventions": {k: str(v) for k, v in d.conventions.items()},
            "steps": steps,
        }

    def derivation(self, d: Derivation) -> str:
        return dumps(self.problem(d))

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        data = {"title": title, "problems": [self.problem(d) for d in derivations]}
        return dumps(data)


def dumps(data: Any) -> str:
    """JSON with every control and format character escaped (``json`` escapes only C0 ones by itself)."""
    return printable(json.dumps(data, indent=2, ensure_ascii=False) + "\n", keep="\n", escape=_json_escape)


def _json_escape(ch: str) -> str:
    """``\\uXXXX`` (a surrogate pair beyond the BMP): a character inside a JSON string, written in ASCII."""
    return json.dumps(ch)[1:-1]
