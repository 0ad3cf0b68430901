"""LaTeX: amsmath ``aligned`` chains, ``pmatrix`` matrices, boxed answers, a complete document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from symconv.core import mathprint
from symconv.core.stepper import to_sympy
from symconv.render.base import Renderer
from symconv.render.escape import latex_text
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

_WRAP = 90  # a chain longer than this many characters of LaTeX is broken into aligned lines


def value_latex(value: Any, mul: str = "times") -> str:
    """LaTeX of an exact value, a closed form, a matrix (list of rows) or a list."""
    if isinstance(value, bool):
        return "\\text{" + ("yes" if value else "no") + "}"
    if isinstance(value, int):
        return group(value)
    if isinstance(value, str):
        return "\\text{" + latex_text(value) + "}"
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return matrix_latex(value)
        return "\\left(" + ",\\ ".join(value_latex(v, mul) for v in value) + "\\right)"
    if isinstance(value, sympy.Basic):
        if value.is_Integer:
            return group(int(value))
        return mathprint.latex(value, mul, written=False)
    from fractions import Fraction

    if isinstance(value, Fraction):
        return mathprint.latex(to_sympy(value))
    return latex_text(str(value))


RELATION_LATEX = {"==": "=", "!=": "\\neq", "<=": "\\le", "<": "<", ">=": "\\ge", ">": ">", "in": "\\in"}
"""LaTeX of the relations a Relation step may hold."""

PGFPLOTS = "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"
"""Preamble lines of a document with a plot (pgfplots 1.18, in TeX Live's texlive-pictures)."""


def term_latex(term: Any) -> str:
    """LaTeX of one side of a relation: a display tree, a SymPy set or an exact value."""
    if isinstance(term, sympy.Set):
        return mathprint.latex(term, written=False)
    if isinstance(term, sympy.Basic) and not term.is_Number:
        return mathprint.latex(term)
    return value_latex(term)


def coordinate(value: Any) -> str:
    """A plot coordinate for pgfplots: integers as they are (to 10^15), other values to 6 significant digits."""
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    from fractions import Fraction

    return f"{float(Fraction(value)):.6g}"


def group(n: int) -> str:
    """``14370048`` → ``14\\,370\\,048`` (thin spaces between groups of three digits)."""
    s = f"{abs(n):,}".replace(",", "\\,")
    return ("-" if n < 0 else "") + s


def matrix_latex(rows: Sequence[Sequence[Any]]) -> str:
    body = " \\\\ ".join(" & ".join(value_latex(v) for v in row) for row in rows)
    return "\\begin{pmatrix} " + body + " \\end{pmatrix}"


class LatexRenderer(Renderer):
    """LaTeX fragments per step and a complete document that compiles with pdflatex."""

    extension = ".tex"
    name = "latex"

    def math_parts(self, eq: Equation) -> list[str]:
        """Printed right-hand sides, consecutive duplicates dropped, closed-form result appended."""
        out: list[str] = []
        for part in self.equation_parts(eq):
            s = mathprint.latex(part, eq.mul)
            if not out or out[-1] != s:
                out.append(s)
        result = eq.result
        if isinstance(result, int) and not isinstance(result, bool):
            if len(out) and out[-1] == str(result):
                out[-1] = group(result)
        elif isinstance(result, sympy.Basic) and not result.is_Number:
            s = mathprint.latex(result, eq.mul)
            if out[-1] != s:
                out.append(s)
        return out

    def equation_math(self, eq: Equation) -> str:
        """The equation as the body of a display: one line, or an aligned chain when long."""
        parts = self.math_parts(eq)
        lhs = mathprint.latex(eq.lhs)
        if eq.answer:  # the exact answer is boxed, its decimal reading follows
            parts[-1] = "\\boxed{" + parts[-1] + "}"
        if eq.approx:
            parts.append("\\approx " + eq.approx)

        def sep(p: str) -> str:
            return " " if p.startswith(("\\approx", "\\boxed{\\approx")) else " = "

        if sum(len(p) for p in parts) + len(lhs) <= _WRAP:
            return lhs + " = " + parts[0] + "".join(sep(p) + p for p in parts[1:])
        lines = [lhs + " &= " + parts[0]] + [("&" if sep(p) == " " else "&= ") + p for p in parts[1:]]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def math_block(self, d: Derivation) -> str:
        """Every equation of ``d`` as rows of one ``aligned`` display (Jupyter, Markdown)."""
        rows = []
        for s in d.steps:
            if isinstance(s, Equation) and self.visible(s):
                rows.append(mathprint.latex(s.lhs) + " &= " + " = ".join(self.math_parts(s)))
            elif isinstance(s, Definition) and self.detail != "answer":
                rows.append(mathprint.latex(s.lhs) + " &= " + mathprint.latex(s.rhs, written=s.written))
            elif isinstance(s, MatrixEquation) and self.visible(s):
                lhs, chain = self.matrix_parts(s)
                rows.append(lhs + " &= " + chain)
            elif isinstance(s, Relation) and self.visible(s):
                rows.append("& " + self.relation_math(s))
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"

    def step_Equation(self, eq: Equation) -> str:
        unit = f" ({latex_text(eq.unit)})" if eq.unit and self.detail != "answer" else ""
        return f"{latex_text(eq.label)}{unit}:\n\\[\n{self.equation_math(eq)}\n\\]"

    def step_Definition(self, d: Definition) -> str:
        rhs = mathprint.latex(d.rhs, written=d.written)
        return f"{latex_text(d.label)}:\n\\[\n{mathprint.latex(d.lhs)} = {rhs}\n\\]"

    def matrix_parts(self, m: MatrixEquation) -> tuple[str, str]:
        """(lhs, right-hand chain) of a matrix equation."""
        op = {"+": " + ", "*": " \\ast ", "rot": ""}.get(m.op, " " + m.op + " ")
        rhs = op.join(value_latex(t) for t in m.terms)
        result = value_latex(m.result) if m.result is not None else ""
        if m.answer and result:
            result = "\\boxed{" + result + "}"
        chain = " = ".join(p for p in (rhs, result) if p)
        lhs = mathprint.latex(m.lhs) if isinstance(m.lhs, sympy.Basic) else m.lhs
        return lhs, chain

    def step_MatrixEquation(self, m: MatrixEquation) -> str:
        lhs, chain = self.matrix_parts(m)
        return f"{latex_text(m.label)}:\n\\[\n{lhs} = {chain}\n\\]"

    def step_Given(self, g: Given) -> str:
        if not g.items:  # everything symbolic: nothing is given
            return ""
        inline, displays = [], []
        for sym, value, desc in g.items:
            lhs = mathprint.latex(sym) if isinstance(sym, sympy.Basic) else str(sym)
            math = f"{lhs} = {value_latex(value)}"
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
                displays.append(math)  # matrices get a display of their own
            else:
                inline.append(f"${math}$" + (f" ({latex_text(desc)})" if desc else ""))
        out = f"{latex_text(g.label)}: " + "; ".join(inline) + ("." if inline else "")
        if displays:
            # three matrices to a row, so six of them do not run off the page
            rows = [" \\qquad ".join(displays[i : i + 3]) for i in range(0, len(displays), 3)]
            body = rows[0] if len(rows) == 1 else "\\begin{gathered}\n" + " \\\\\n".join(rows) + "\n\\end{gathered}"
            out += "\n\\[\n" + body + "\n\\]"
        return out

    def step_Note(self, n: Note) -> str:
        return latex_text(n.text)

    def relation_math(self, r: Relation) -> str:
        """``17 \\le \\frac{35}{s} < 18``: the terms joined by their relations, the last boxed when it is an answer."""
        parts = [term_latex(t) for t in r.terms]
        if r.answer:
            parts[-1] = "\\boxed{" + parts[-1] + "}"
        out = parts[0] + "".join(f" {RELATION_LATEX[op]} {p}" for op, p in zip(r.ops, parts[1:]))
        return out + (f" \\approx {r.approx}" if r.approx else "")

    def step_Relation(self, r: Relation) -> str:
        return f"{latex_text(r.label)}:\n\\[\n{self.relation_math(r)}\n\\]"

    def step_Plot(self, p: Plot) -> str:
        """A pgfplots axis: the curve (with marks when there are few points) and the marked points."""
        x_label = "$" + mathprint.latex(p.x) + "$" + (f" ({latex_text(p.x_text)})" if p.x_text else "")
        y_label = "$" + mathprint.latex(p.y) + "$" + (f" ({latex_text(p.y_text)})" if p.y_text else "")
        marks = "mark=*, mark size=1.2pt" if len(p.points) <= 60 else "no marks"
        curve = " ".join(f"({coordinate(x)},{coordinate(y)})" for x, y in p.points)
        lines = [
            f"{latex_text(p.label)}:",
            "",
            "\\begin{center}",
            "\\begin{tikzpicture}",
            (
                f"\\begin{{axis}}[width=0.85\\textwidth, height=7cm, grid=major, xlabel={{{x_label}}}, "
                f"ylabel={{{y_label}}}, legend pos=outer north east, legend style={{font=\\small}}]"
            ),
            f"\\addplot[blue, thick, {marks}] coordinates {{{curve}}};",
        ]
        if p.marked:
            points = " ".join(f"({coordinate(x)},{coordinate(y)})" for x, y in p.marked)
            lines.append(f"\\addplot[only marks, mark=square*, mark size=2.5pt, red] coordinates {{{points}}};")
            lines.append("\\legend{sweep, given}")
        lines += ["\\end{axis}", "\\end{tikzpicture}", "\\end{center}"]
        return "\n".join(lines)

    def step_Table(self, t: Table) -> str:
        cols = "l" + "r" * (len(t.headers) - 1)
        head = " & ".join(latex_text(h) for h in t.headers) + " \\\\ \\hline"
        rows = [" & ".join(self.cell(c) for c in row) + " \\\\" for row in t.rows]
        # longtable breaks across pages: a network's per-layer table has hundreds of rows.
        return (
            f"{latex_text(t.label)}:\n\n{{\\small\n\\begin{{longtable}}{{{cols}}}\n{head}\n\\endhead\n"
            + "\n".join(rows)
            + "\n\\end{longtable}}"
        )

    def cell(self, value: Any) -> str:
        if isinstance(value, str):
            return latex_text(value)
        from fractions import Fraction

        if isinstance(value, Fraction):  # a fraction inline, so a table row keeps its height
            return f"${'-' if value < 0 else ''}{abs(value.numerator)}/{value.denominator}$"
        return "$" + value_latex(value) + "$"

    def conventions(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(
            f"  \\item \\textbf{{{latex_text(k.replace('_', ' '))}}}: {latex_text(v)}" for k, v in d.conventions.items()
        )
        return "\\paragraph{Conventions.}\n\\begin{itemize}\n" + items + "\n\\end{itemize}"

    def derivation(self, d: Derivation) -> str:
        body = [self.step(s) for s in d.steps if self.visible(s)]
        return "\n\n".join(b for b in [*body, self.conventions(d)] if b).strip() + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        sections = []
        for d in derivations:
            heading = latex_text(d.title + (f" [{d.id}]" if d.id else ""))
            sections.append(f"\\section{{{heading}}}\n\n" + self.derivation(d))
        title_block = f"\\title{{{latex_text(title)}}}\n\\date{{}}\n" if title else ""
        doc = (
            "\\documentclass[11pt]{article}\n"
            "\\usepackage[T1]{fontenc}\n"
            "\\usepackage[utf8]{inputenc}\n"
            "\\usepackage{amsmath,amssymb}\n"
            "\\usepackage{longtable}\n"
            "\\usepackage[margin=2cm]{geometry}\n"
            "\\allowdisplaybreaks\n"
            "\\setlength{\\parindent}{0pt}\n"
            "\\setlength{\\parskip}{0.6em plus 0.2em}\n"
            + title_block
            + "\\begin{document}\n"
            + ("\\maketitle\n" if title else "")
            + "\n".join(sections)
            + "\\end{document}\n"
        )
        if any(isinstance(step, Plot) for d in derivations for step in d.steps):
            doc = doc.replace("\\begin{document}", PGFPLOTS + "\\begin{document}", 1)
        return doc
