"""The renderer interface: dispatch on the kind of step and of value, like SymPy's printers dispatch on class.

A renderer formats a step with its method ``step_<StepClass>`` and a value with ``value_<Class>``,
found along the class's MRO (so ``bool`` finds ``value_bool`` before ``value_int``, every SymPy
object ``value_Basic``). A kind without a method falls back to :meth:`Renderer.empty_step` /
:meth:`Renderer.empty_value`, as SymPy's ``emptyPrinter``: an unknown step prints its label and
fields, an unknown value its ``str``, instead of crashing. Adding a step kind is adding one
``step_<Kind>`` method per renderer.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

from symconv.errors import InputError
from symconv.solution.derivation import DETAILS, Derivation, Detail, Equation, MatrixEquation, Relation, Step


def is_sympy(value: Any, kind: str = "Basic") -> bool:
    """Whether ``value`` is a SymPy object of class ``kind`` (``Basic``, ``Add``, ``Set`` …), without importing SymPy:
    when SymPy is not loaded, nothing is one."""
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, getattr(sympy, kind))


def closed_form(value: Any) -> bool:
    """A SymPy expression that is not a number (a closed form or a display tree)."""
    return is_sympy(value) and not value.is_Number


_BRACKETS = re.compile(r"\\(?:left|right|[bB]igg?[lr])|[()\s\x1e\x1f]")


def bracket_only(before: str, after: str) -> bool:
    """Whether two printed parts of a chain differ only in brackets and spacing (``2(k^2 C)`` and ``2 k^2 C``):
    a step that only removes brackets is not a step."""
    return before != after and _BRACKETS.sub("", before) == _BRACKETS.sub("", after)


def push_part(out: list[str], part: str) -> None:
    """Append a printed part to a chain: not after an identical one, and in place of a part before it that
    differs only in brackets (never in place of the first part, the formula as written)."""
    if out and out[-1] == part:
        return
    if len(out) >= 2 and bracket_only(out[-1], part):
        out[-1] = part
        return
    out.append(part)


def find_method(obj: object, prefix: str, kind: type) -> Callable[[Any], Any] | None:
    """``obj.<prefix><Class>`` for the first class of ``kind``'s MRO that has one."""
    for cls in kind.__mro__:
        method = getattr(obj, prefix + cls.__name__, None)
        if method is not None:
            return method  # type: ignore[no-any-return]
    return None


def describe(step: Any) -> str:
    """A step of an unknown kind as text: its label (or text, formulas kept) and its simple fields."""
    if not dataclasses.is_dataclass(step):
        return str(step)
    fields = {f.name: getattr(step, f.name) for f in dataclasses.fields(step)}
    label = fields.pop("label", "") or fields.pop("text", "") or type(step).__name__
    rest = "; ".join(
        f"{k} {v}" for k, v in fields.items() if isinstance(v, (str, int)) and not isinstance(v, bool) and v != ""
    )
    return label + (f" ({rest})" if rest else "") if isinstance(label, str) else str(label)


class Renderer:
    """Formats derivations; subclasses implement ``step_<StepClass>``, ``value_<Class>``, ``prose`` and the frame."""

    extension: ClassVar[str] = ".txt"
    name: ClassVar[str] = ""

    def __init__(self, detail: Detail = "full") -> None:
        if detail not in DETAILS:
            raise InputError("detail", detail, "use one of " + ", ".join(DETAILS))
        self.detail = detail

    # -- dispatch ---------------------------------------------------------------------------------
    def step(self, step: Step) -> str:
        """Render one step with the method for its class (``step_Equation`` …) or :meth:`empty_step`."""
        method = find_method(self, "step_", type(step))
        return str(method(step)) if method is not None else self.empty_step(step)

    def value(self, value: Any) -> str:
        """Render one value with the method for its class (``value_int``, ``value_Basic`` …) or :meth:`empty_value`."""
        method = find_method(self, "value_", type(value))
        return str(method(value)) if method is not None else self.empty_value(value)

    def empty_step(self, step: Any) -> str:
        """A step kind this renderer does not know: its label (or text) and its other fields as prose."""
        return self.prose(describe(step))

    def empty_value(self, value: Any) -> str:
        """A value of a type without a method: an integer-like one as an integer, else its text."""
        if hasattr(value, "__index__"):  # numpy integers
            return self.value(int(value.__index__()))
        if hasattr(value, "tolist"):  # numpy arrays
            return self.value(value.tolist())
        return self.prose(str(value))

    def prose(self, text: str) -> str:
        """Running text, with the formulas of a :class:`~symconv.core.richtext.Rich` string typeset."""
        raise NotImplementedError

    def formula(self, x: Any, mul: str = "times", *, written: bool = True) -> str:
        """A closed form or display tree (``written``: in the order a person writes it)."""
        raise NotImplementedError

    def term(self, term: Any) -> str:
        """One side of a relation: a display tree, a SymPy set (as SymPy orders it) or an exact value."""
        if is_sympy(term, "Set"):
            return self.formula(term, written=False)
        if closed_form(term):
            return self.formula(term)
        return self.value(term)

    # -- what a detail level shows --------------------------------------------------------------------
    def visible(self, step: Step) -> bool:
        """Answers only at ``answer``; a step with ``level = "full"`` only at ``full``; never an empty step."""
        if getattr(step, "level", "compact") == "full" and self.detail != "full":
            return False
        if not getattr(step, "items", True) or not getattr(step, "steps", True):
            return False  # a Given with nothing given, an empty group
        if self.detail == "answer":
            return bool(getattr(step, "answer", False))
        return True

    def equation_parts(self, eq: Equation) -> list[Any]:
        """The right-hand sides shown for this detail level (display trees or the result)."""
        chain = list(eq.chain)
        if self.detail == "answer":  # the answer alone: a closed form as written, not the step before it
            closed = getattr(eq.result, "is_Number", True) is False
            return [eq.result] if closed else [chain[-1]]
        parts: list[Any] = ([eq.formula] if eq.formula is not None else []) + (
            chain if self.detail == "full" else chain[:1] + chain[-1:]
        )
        return parts

    def answers(self, d: Derivation) -> list[Equation | MatrixEquation | Relation]:
        """The boxed steps of ``d``, in order, for the Answer summary (nested groups included)."""
        out, seen = [], set()
        for s in self.shown(d.steps):
            if isinstance(s, (Equation, MatrixEquation, Relation)) and s.answer:
                same = (
                    _frozen(getattr(s, "lhs", "")),
                    _frozen(getattr(s, "result", "")),
                    _frozen(getattr(s, "terms", "")),
                )
                if same not in seen:  # the same answer boxed twice is summarised once
                    seen.add(same)
                    out.append(s)
        return out

    def shown(self, steps: Sequence[Any]) -> Iterator[Any]:
        """Every step in order, a group's steps after it, but not those of a group this detail level hides (never
        built then: see :class:`~symconv.solution.derivation.Deferred`)."""
        for s in steps:
            yield s
            if getattr(s, "level", "compact") != "full" or self.detail == "full":
                yield from self.shown(getattr(s, "steps", ()))

    def heading(self, d: Derivation) -> str:
        """The section title of a problem (its id is a label, not part of the title)."""
        return d.title

    def derivation(self, d: Derivation) -> str:
        raise NotImplementedError

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        raise NotImplementedError


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a step's value (lists become tuples): compared, never printed, as printing a large
    closed form only to compare it would cost more than the whole derivation."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
