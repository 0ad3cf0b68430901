"""Steps as (text, display math, table) blocks in the LaTeX subset that MathJax and KaTeX both render.

Markdown, HTML and JSON all show a step as a sentence (its label), an optional display-math
body and optionally a table. This module produces those pieces once, reusing the LaTeX
renderer's equation chains; the math uses only ``aligned``, ``pmatrix``, ``\\boxed``,
``\\text`` and ordinary operators, which both MathJax and KaTeX support.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from symconv.core import mathprint
from symconv.render.latex import LatexRenderer, value_latex
from symconv.solution.derivation import (
    Definition,
    Derivation,
    Equation,
    Given,
    MatrixEquation,
    Note,
    Plot,
    Relation,
    Step,
    Table,
)

# Characters that must be escaped inside \text{...} for MathJax and KaTeX; a backslash or a
# caret or tilde has no escape both understand, so they print as a space.
_MATH_TEXT = {
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "%": "\\%",
    "_": "\\_",
    "\\": " ",
    "^": " ",
    "~": " ",
}


def math_text(s: str) -> str:
    """``s`` escaped for ``\\text{…}`` inside MathJax/KaTeX math (one line)."""
    return "".join(_MATH_TEXT.get(ch, " " if ch in "\n\r\t" else ch) for ch in s if ch == "\n" or ord(ch) >= 32)


@dataclass(frozen=True)
class Block:
    """One step, ready to format: a sentence, display math (no delimiters), a table or a plot, and its answer key."""

    text: str
    math: str = ""
    table: Table | None = None
    key: str = ""
    plot: Plot | None = None


class MathBlocks(LatexRenderer):
    """Turns the visible steps of a derivation into :class:`Block` s at the chosen detail."""

    def blocks(self, d: Derivation) -> list[Block]:
        """The visible steps of ``d`` as blocks, in order."""
        return [self.block(s) for s in d.steps if self.visible(s)]

    def block(self, step: Step) -> Block:
        key = getattr(step, "key", "") or ""
        if isinstance(step, Equation):
            unit = f" ({step.unit})" if step.unit and self.detail != "answer" else ""
            return Block(step.label + unit, self.equation_math(step), key=key)
        if isinstance(step, Definition):
            return Block(
                step.label, mathprint.latex(step.lhs) + " = " + mathprint.latex(step.rhs, written=step.written)
            )
        if isinstance(step, MatrixEquation):
            return Block(step.label, self.matrix_math(step), key=key)
        if isinstance(step, Given):
            return Block(step.label, self.given_math(step))
        if isinstance(step, Note):
            return Block(step.text)
        if isinstance(step, Table):
            return Block(step.label, table=step)
        if isinstance(step, Relation):
            return Block(step.label, self.relation_math(step), key=key)
        if isinstance(step, Plot):
            return Block(step.label, plot=step)
        raise TypeError(f"no block for {type(step).__name__}")

    def matrix_math(self, m: MatrixEquation) -> str:
        lhs, chain = self.matrix_parts(m)
        return f"{lhs} = {chain}"

    def given_math(self, g: Given) -> str:
        rows = []
        for sym, value, desc in g.items:
            lhs = mathprint.latex(sym) if isinstance(sym, sympy.Basic) else str(sym)
            note = f" && \\text{{{math_text(desc)}}}" if desc else ""
            rows.append(f"{lhs} &= {value_latex(value)}{note}")
        return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
