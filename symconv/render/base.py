"""The renderer interface: dispatch on the kind of step, like SymPy's printers dispatch on class."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from symconv.errors import InputError
from symconv.solution.derivation import DETAILS, Derivation, Detail, Equation, Plot, Step, Table


class Renderer:
    """Formats derivations; subclasses implement ``step_<StepClass>`` and the document frame."""

    extension: ClassVar[str] = ".txt"
    name: ClassVar[str] = ""

    def __init__(self, detail: Detail = "full") -> None:
        if detail not in DETAILS:
            raise InputError("detail", detail, "use one of " + ", ".join(DETAILS))
        self.detail = detail

    def step(self, step: Step) -> str:
        """Render one step by dispatching on its class name."""
        method = getattr(self, "step_" + type(step).__name__)
        return str(method(step))

    def visible(self, step: Step) -> bool:
        """Answer-only output keeps the equations that carry answers (and their given data)."""
        # a table of results (a network's rows) and a plot of them are answers
        if self.detail != "answer" or isinstance(step, (Table, Plot)):
            return True
        return bool(getattr(step, "answer", False))

    def equation_parts(self, eq: Equation) -> list[Any]:
        """The right-hand sides shown for this detail level (display trees or the result)."""
        chain = list(eq.chain)
        if self.detail == "answer":
            return [chain[-1]]
        parts: list[Any] = ([eq.formula] if eq.formula is not None else []) + (
            chain if self.detail == "full" else chain[:1] + chain[-1:]
        )
        return parts

    def derivation(self, d: Derivation) -> str:
        raise NotImplementedError

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        raise NotImplementedError
