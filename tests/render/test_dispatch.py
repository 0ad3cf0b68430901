"""Renderers dispatch on the step's and the value's class, with a fallback for kinds they do not know.

An unknown step kind or value prints sensibly in every format instead of crashing (like SymPy's
``emptyPrinter``), and supporting a new kind is one ``step_<Kind>`` method on a renderer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from symconv.render import RENDERERS
from symconv.solution.derivation import Derivation, Equation, Given, Note, rich


@dataclass(frozen=True)
class Verdict:
    """A step kind no renderer knows."""

    label: str
    grade: str
    answer: bool = False


class Widget:
    """A value type no renderer knows."""

    def __str__(self) -> str:
        return "widget #7"


def derivation() -> Derivation:
    import sympy

    from symconv.core.arith import size_symbol

    d = Derivation("Unknown kinds", "test", id="t")
    d.add(Verdict(rich("Checked against $RF_3 = 13$"), "pass"))
    d.add(Given("Given", ((size_symbol("w"), Widget(), "an opaque value"),)))
    d.add(Note("after the unknown step"))
    d.add(Equation("Result", size_symbol("x"), None, (sympy.Integer(13),), 13, answer=True))
    return d


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_unknown_step_and_value_render_instead_of_crashing(name: str) -> None:
    out = RENDERERS[name]("full").document([derivation()], "Dispatch")
    assert "Checked against" in out and "pass" in out  # the fallback prints the label and the fields
    assert "widget" in out and "after the unknown step" in out
    if name == "json":
        json.loads(out)


@pytest.mark.parametrize("name", ["latex", "text", "markdown", "html"])
def test_a_new_kind_is_one_method(name: str) -> None:
    base = RENDERERS[name]

    class WithVerdicts(base):  # type: ignore[misc, valid-type]
        def step_Verdict(self, v: Verdict) -> str:
            return f"VERDICT {v.grade.upper()}"

        def block_Verdict(self, v: Verdict) -> list:  # Markdown and HTML build blocks of steps
            from symconv.render.blocks import Block

            return [Block(f"VERDICT {v.grade.upper()}")]

    out = WithVerdicts("full").document([derivation()], "Dispatch")
    assert "VERDICT PASS" in out


def test_values_dispatch_along_the_class_hierarchy() -> None:
    from fractions import Fraction

    import numpy as np
    import sympy

    text = RENDERERS["text"]("full")
    assert text.value(True) == "yes"  # bool before int
    assert text.value(np.int64(123456)) == "123,456"  # numpy integers as integers
    assert text.value(Fraction(-1, 2)) == "−1/2" and text.value(sympy.Rational(3, 4)) == "3/4"
    assert text.value(Widget()) == "widget #7"
    latex = RENDERERS["latex"]("full")
    assert latex.value(12345) == "12\\,345" and latex.value(Widget()) == "\\text{widget \\#7}"
