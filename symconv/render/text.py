"""Plain text for terminals: Unicode signs, one equation chain per line, matrices as grids."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy

from symconv.core import mathprint
from symconv.core.stepper import to_sympy
from symconv.render.base import Renderer
from symconv.solution.derivation import (
    Definition,
    Derivation,
    Equation,
    Given,
    MatrixEquation,
    Note,
    Plot,
    Relation,
    Table,
)

RELATION_TEXT = {"==": "=", "!=": "\u2260", "<=": "\u2264", "<": "<", ">=": "\u2265", ">": ">", "in": "\u2208"}
"""Unicode signs of the relations a Relation step may hold."""


def term_text(term: Any) -> str:
    """Text of one side of a relation: a display tree, a SymPy set or an exact value."""
    if isinstance(term, sympy.Set):
        return mathprint.text(term, written=False)
    if isinstance(term, sympy.Basic) and not term.is_Number:
        return mathprint.text(term)
    if isinstance(term, (int, Fraction, sympy.Rational)) and not isinstance(term, bool) and term < 0:
        return "\u2212" + value_text(-term)  # a minus sign, as in the display trees
    return value_text(term)


def value_text(value: Any) -> str:
    """Text of an exact value, a closed form or a flat list; matrices go through :func:`matrix_lines`."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, Fraction):
        return mathprint.text(to_sympy(value))
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return "[" + "; ".join(" ".join(value_text(v) for v in row) for row in value) + "]"
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, sympy.Basic):
        if value.is_Integer:
            return value_text(int(value))
        return mathprint.text(value, written=False)
    return str(value)


def matrix_lines(rows: Sequence[Sequence[Any]]) -> list[str]:
    """A matrix as aligned rows between brackets."""
    cells = [[value_text(v) for v in row] for row in rows]
    width = max((len(c) for row in cells for c in row), default=1)
    return ["[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def side_by_side(blocks: Sequence[list[str]], seps: Sequence[str]) -> list[str]:
    """Place multi-line blocks next to each other, separators on the middle line."""
    height = max(len(b) for b in blocks)
    padded = []
    for b in blocks:
        w = max((len(line) for line in b), default=0)
        top = (height - len(b)) // 2
        padded.append([" " * w] * top + [line.ljust(w) for line in b] + [" " * w] * (height - len(b) - top))
    mid = (height - 1) // 2  # the row a one-line block is centred on (top row of two)
    lines = []
    for r in range(height):
        parts = []
        for i, b in enumerate(padded):
            parts.append(b[r])
            if i < len(seps):
                parts.append(seps[i] if r == mid else " " * len(seps[i]))
        lines.append("".join(parts).rstrip())
    return lines


class TextRenderer(Renderer):
    """Readable plain text; the same steps as the LaTeX output."""

    extension = ".txt"
    name = "text"

    def equation_line(self, eq: Equation) -> str:
        out: list[str] = []
        for part in self.equation_parts(eq):
            s = mathprint.text(part, eq.mul)
            if not out or out[-1] != s:
                out.append(s)
        result = eq.result
        if isinstance(result, sympy.Basic) and not result.is_Number:
            s = mathprint.text(result, eq.mul)
            if out[-1] != s:
                out.append(s)
        elif isinstance(result, int) and not isinstance(result, bool) and out[-1] == str(result):
            out[-1] = value_text(result)
        line = mathprint.text(eq.lhs) + " = " + " = ".join(out)
        return line + (" \u2248 " + eq.approx.replace("-", "\u2212") if eq.approx else "")

    def step_Equation(self, eq: Equation) -> str:
        unit = f" ({eq.unit})" if eq.unit and self.detail != "answer" else ""
        return f"{eq.label}{unit}:\n  {self.equation_line(eq)}"

    def step_Definition(self, d: Definition) -> str:
        return f"{d.label}:\n  {mathprint.text(d.lhs)} = {mathprint.text(d.rhs, written=d.written)}"

    def step_MatrixEquation(self, m: MatrixEquation) -> str:
        blocks: list[list[str]] = []
        seps: list[str] = []
        if isinstance(m.lhs, sympy.Basic):
            lhs = mathprint.text(m.lhs)
        else:
            lhs = mathprint.text(sympy.Symbol(m.lhs)) if m.lhs.isidentifier() else m.lhs
        blocks.append([lhs])
        seps.append(" = ")
        op = {"*": " ⊛ ", "+": " + ", "rot": ""}.get(m.op, f" {m.op} ")
        for i, t in enumerate(m.terms):
            blocks.append(matrix_lines(t) if isinstance(t, (list, tuple)) else [value_text(t)])
            if i < len(m.terms) - 1:
                seps.append(op)
        if m.result is not None:
            seps.append(" = ")
            blocks.append(matrix_lines(m.result) if isinstance(m.result, (list, tuple)) else [value_text(m.result)])
        body = side_by_side(blocks, seps)
        return f"{m.label}:\n" + "\n".join("  " + line for line in body)

    def step_Given(self, g: Given) -> str:
        if not g.items:
            return ""
        lines = [f"{g.label}:"]
        for sym, value, desc in g.items:
            name = mathprint.text(sym) if isinstance(sym, sympy.Basic) else str(sym)
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
                lines.extend("  " + line for line in side_by_side([[name], matrix_lines(value)], [" = "]))
            else:
                lines.append(f"  {name} = {value_text(value)}" + (f"   ({desc})" if desc else ""))
        return "\n".join(lines)

    def step_Note(self, n: Note) -> str:
        return n.text

    def relation_line(self, r: Relation) -> str:
        parts = [term_text(t) for t in r.terms]
        line = parts[0] + "".join(f" {RELATION_TEXT[op]} {p}" for op, p in zip(r.ops, parts[1:]))
        return line + (" \u2248 " + r.approx.replace("-", "\u2212") if r.approx else "")

    def step_Relation(self, r: Relation) -> str:
        return f"{r.label}:\n  {self.relation_line(r)}"

    def step_Plot(self, p: Plot) -> str:
        from symconv.render.chart import text_chart

        return f"{p.label}:\n" + "\n".join("  " + line for line in text_chart(p))

    def step_Table(self, t: Table) -> str:
        cells = [list(t.headers)] + [[c if isinstance(c, str) else value_text(c) for c in row] for row in t.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(t.headers))]
        lines = [
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
            for row in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return f"{t.label}:\n" + "\n".join("  " + line for line in lines)

    def derivation(self, d: Derivation) -> str:
        body = [b for b in (self.step(s) for s in d.steps if self.visible(s)) if b]
        if d.conventions:
            body.append(
                "Conventions:\n" + "\n".join(f"  - {k.replace('_', ' ')}: {v}" for k, v in d.conventions.items())
            )
        return "\n\n".join(body) + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        out = []
        if title:
            out.append(title + "\n" + "=" * len(title) + "\n")
        for d in derivations:
            heading = d.title + (f" [{d.id}]" if d.id else "")
            out.append(heading + "\n" + "-" * len(heading) + "\n\n" + self.derivation(d))
        return "\n".join(out)
