"""Steps as (text, display math, table) blocks, shared by the Markdown, HTML and JSON renderers.

Those formats show a step as a sentence (its label, which may hold formulas), an optional display
and optionally a table. This module produces the pieces once, reusing the LaTeX renderer's layout
of each display as rows (:class:`~symconv.render.layout.Rows`): Markdown and JSON write them as an
``aligned`` block in the LaTeX subset MathJax and KaTeX render, HTML as a MathML table. A block is
made by ``block_<StepClass>``; a step kind without one becomes a sentence (:meth:`MathBlocks.empty_block`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from symconv.render.base import describe, find_method
from symconv.render.latex import LatexRenderer
from symconv.render.layout import Rows
from symconv.solution.derivation import (
    Definition,
    Derivation,
    Equation,
    Given,
    Group,
    MatrixEquation,
    Note,
    Plot,
    Relation,
    Step,
    Table,
)


@dataclass(frozen=True)
class Block:
    """One step, ready to format: a sentence (``str`` or Rich), display rows or a table, and its answer key."""

    text: str
    rows: Rows | None = None
    table: Table | None = None
    key: str = ""
    heading: bool = False  # the title of a group of steps
    plot: Plot | None = None


class MathBlocks(LatexRenderer):
    """Turns the visible steps of a derivation into :class:`Block` s at the chosen detail."""

    sized = False  # \\left … \\right brackets: MathJax, KaTeX and latex2mathml all read them

    def blocks(self, d: Derivation) -> list[Block]:
        """The visible steps of ``d`` as blocks, in order (a group's steps after its heading)."""
        out: list[Block] = []
        for s in d.steps:
            if self.visible(s):
                out += self.block(s)
        return out

    def block(self, step: Step) -> list[Block]:
        method = find_method(self, "block_", type(step))
        return method(step) if method is not None else self.empty_block(step)

    def empty_block(self, step: Any) -> list[Block]:
        """A step kind without a block method: its label (or text) as a sentence, with its display if it has one."""
        return [Block(describe(step), self.rows(step))]

    def unit_label(self, label: str, unit: str) -> str:
        return label + (f" ({unit})" if unit and unit != "%" and self.detail != "answer" else "")

    def block_Equation(self, eq: Equation) -> list[Block]:
        return [Block(self.unit_label(eq.label, eq.unit), self.rows_Equation(eq), key=eq.key)]

    def block_Definition(self, d: Definition) -> list[Block]:
        return [Block(d.label, self.rows_Definition(d))]

    def block_MatrixEquation(self, m: MatrixEquation) -> list[Block]:
        return [Block(m.label, self.rows_MatrixEquation(m), key=m.key)]

    def block_Given(self, g: Given) -> list[Block]:
        return [Block(g.label, self.rows_Given(g))]

    def block_Note(self, n: Note) -> list[Block]:
        return [Block(n.text)]

    def block_Table(self, t: Table) -> list[Block]:
        return [Block(t.label, table=t)]

    def block_Relation(self, r: Relation) -> list[Block]:
        return [Block(r.label, self.rows_Relation(r), key=r.key)]

    def block_Plot(self, p: Plot) -> list[Block]:
        return [Block(p.label, plot=p)]

    def block_Group(self, g: Group) -> list[Block]:
        out = [Block(g.label, heading=True)]
        for s in g.steps:
            if self.visible(s):
                out += self.block(s)
        return out

    def math(self, b: Block) -> str:
        """A block's display as LaTeX (an ``aligned`` block when it has several rows)."""
        return self.aligned(b.rows) if b.rows is not None else ""
