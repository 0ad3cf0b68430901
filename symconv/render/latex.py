"""LaTeX: equation chains broken to the page, matrices, booktabs tables, boxed answers, a complete document.

The document uses Latin Modern (T1), amsmath and booktabs; every display is laid out by
:mod:`symconv.render.layout` to fit the text width, and a display that may still be too wide is
scaled by ``\\symconvfit`` (never wider than the line). ``--pdf`` compiles it until the
cross-references settle (:func:`symconv.io.writing.compile_pdf`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from symconv.core.richtext import BREAK, BREAK_MUL, Math, group_digits_latex, number_latex
from symconv.core.richtext import parts as text_parts
from symconv.render import layout
from symconv.render.base import Renderer, closed_form, describe, find_method, is_sympy, push_part
from symconv.render.escape import latex_text
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
    Shape,
    Table,
    Written,
)

if TYPE_CHECKING:  # SymPy is imported where a closed form or a display tree is printed, never for numbers alone
    import sympy

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage{array,booktabs,longtable}
\usepackage{graphicx}
\usepackage[a4paper,margin=2cm]{geometry}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em plus 0.2em}
\setlength{\emergencystretch}{3em}
\newsavebox{\symconvbox}
% a new page unless #1 of space is left on this one (needspace's rule): a label stays with its table or plot
\newcommand{\symconvkeep}[1]{\par\penalty-100\begingroup\dimen0=#1\relax\dimen2=\pagegoal
  \advance\dimen2-\pagetotal\ifdim\dimen0>\dimen2\ifdim\dimen2>0pt\break\fi\fi\endgroup}
% a display scaled down to the line width if (and only if) it is wider
\newcommand{\symconvfit}[1]{\sbox{\symconvbox}{$\displaystyle #1$}%
  \ifdim\wd\symconvbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\symconvbox}}\else\usebox{\symconvbox}\fi}
"""
"""The document preamble (Latin Modern in T1, so no bitmap fonts; amsmath; booktabs; A4)."""


RELATION_LATEX = {"==": "=", "!=": "\\neq", "<=": "\\le", "<": "<", ">=": "\\ge", ">": ">", "in": "\\in"}
"""LaTeX of the relations a Relation step may hold."""

PGFPLOTS = "\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.18}\n"
"""Preamble lines of a document with a plot (pgfplots 1.18, in TeX Live's texlive-pictures)."""


def coordinate(value: Any) -> str:
    """A plot coordinate for pgfplots: integers as they are (to 10^15), other values to 6 significant digits."""
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    return f"{float(Fraction(value)):.6g}"


def group(n: int) -> str:
    """``14370048`` → ``14\\,370\\,048``: five or more digits grouped by threes, as every operand is."""
    return ("-" if n < 0 else "") + group_digits_latex(str(abs(n)))


def latex_prose(t: str) -> str:
    """Text in LaTeX text mode: prose escaped, the formulas of a :class:`Rich` string as ``$…$``."""
    return "".join(latex_text(p) if isinstance(p, str) else "$" + p.latex() + "$" for p in text_parts(t))


def math_label(t: str) -> str:
    """Text inside math (``\\text{…}`` pieces and the formulas as math), safe for LaTeX, MathJax and KaTeX."""
    from symconv.render.escape import math_text

    return "".join("\\text{" + math_text(p) + "}" if isinstance(p, str) else p.latex() for p in text_parts(t))


def label_name(id_: str) -> str:
    """A problem id as a LaTeX label (letters, digits, ``-``, ``.`` and ``:`` only)."""
    return "problem:" + (re.sub(r"[^A-Za-z0-9.:-]", "-", id_) or "-")


class LatexRenderer(Renderer):
    """LaTeX fragments per step and a complete document that compiles with pdflatex."""

    extension = ".tex"
    name = "latex"
    sized = True
    """Brackets around fractions that a line may break inside (pdflatex); MathJax and MathML get \\left…\\right."""

    # -- values ------------------------------------------------------------------------------------
    def value_bool(self, v: bool) -> str:
        return "\\text{" + ("yes" if v else "no") + "}"

    def value_int(self, v: int) -> str:
        return group(v)

    def value_str(self, v: str) -> str:
        from symconv.render.escape import math_text

        return "\\text{" + math_text(v) + "}"

    def value_Fraction(self, v: Fraction) -> str:
        return number_latex(v)

    def value_Basic(self, v: sympy.Basic) -> str:
        if v.is_Integer:
            return group(int(v))
        return self.formula(v, written=False)

    def value_list(self, v: list[Any]) -> str:
        if v and isinstance(v[0], (list, tuple)):
            return self.matrix(v)
        return "\\left(" + ",\\ ".join(self.value(x) for x in v) + "\\right)"

    value_tuple = value_list

    def value_Written(self, v: Written) -> str:
        return self.formula(v.expr)

    def value_Shape(self, v: Shape) -> str:
        return " \\times ".join(self.dimension(x) for x in v.dims)

    def dimension(self, x: Any) -> str:
        s = self.value(x)
        if not is_sympy(x, "Add"):
            return s
        return f"\\left({s}\\right)" if "\\frac" in s else f"({s})"

    def empty_value(self, value: Any) -> str:
        if hasattr(value, "__index__") or hasattr(value, "tolist"):
            return super().empty_value(value)
        return "\\text{" + latex_text(str(value)) + "}"

    max_columns = 10
    """The widest matrix rendered so far (amsmath's MaxMatrixCols, 10 by default, is raised to it)."""

    def matrix(self, rows: Sequence[Sequence[Any]]) -> str:
        columns = max((len(r) for r in rows), default=0)
        self.max_columns = max(self.max_columns, columns)
        body = " \\\\ ".join(" & ".join(self.value(v) for v in row) for row in rows)
        if columns > 10:
            # amsmath's matrices stop at MaxMatrixCols (10) columns unless a document raises it, which a fragment
            # (a notebook's LaTeX, exported with the notebook's own preamble) cannot: an array has no such limit
            return "\\left(\\begin{array}{" + "c" * columns + "} " + body + " \\end{array}\\right)"
        return "\\begin{pmatrix} " + body + " \\end{pmatrix}"

    def prose(self, text: str) -> str:
        return latex_prose(text)

    def formula(self, x: Any, mul: str = "times", *, written: bool = True, breaks: bool = False) -> str:
        """A formula: markup and exact numbers without SymPy, a SymPy tree with :mod:`symconv.core.mathprint`."""
        if isinstance(x, Math):
            return x.latex()
        if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
            return number_latex(x)
        if isinstance(x, tuple):
            return "\\left( " + ", \\  ".join(self.formula(v, mul, written=written) for v in x) + "\\right)"
        from symconv.core import mathprint

        return mathprint.latex(x, mul, written, breaks, self.sized if breaks else False)

    # -- displays ----------------------------------------------------------------------------------
    def math_parts(self, eq: Equation) -> list[str]:
        """Printed right-hand sides (with break marks), consecutive duplicates dropped, closed-form result last."""
        out: list[str] = []
        for part in self.equation_parts(eq):
            push_part(out, self.formula(part, eq.mul, breaks=True))
        if closed_form(eq.result):
            push_part(out, self.formula(eq.result, eq.mul, breaks=True))
        return out

    def percent(self, eq: Equation) -> str:
        """The percent sign after a rounded percentage (the exact value is the number of percent)."""
        return "\\,\\%" if eq.unit == "%" else ""

    def rows(self, step: Any) -> Rows | None:
        """The display of a step as rows (``rows_<StepClass>``), or None for a step without one."""
        method = find_method(self, "rows_", type(step))
        return method(step) if method is not None else None

    def rows_Equation(self, eq: Equation) -> Rows:
        """The equation as display rows: one line, or the chain broken to fit the page."""
        parts = self.math_parts(eq)
        seps = ["="] * len(parts)
        if eq.answer:
            parts[-1] = layout.boxed(parts[-1], multiline=self.sized)
        if eq.approx:
            parts.append("\\approx " + eq.approx + self.percent(eq))
            seps.append("")
        return layout.equation_rows(self.formula(eq.lhs), parts, seps)

    def rows_Definition(self, d: Definition) -> Rows:
        rhs = self.formula(d.rhs, written=d.written, breaks=True)
        return layout.equation_rows(self.formula(d.lhs), [rhs], ["="])

    def pieces(self, value: Any) -> list[str]:
        """A value as LaTeX; a matrix wider than the line as column blocks, each with its column range."""
        if not (isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple))):
            return [self.value(value)]
        full = self.matrix(value)
        limit = 0.75 * layout.DISPLAY_PT
        if layout.width(full) <= limit:
            return [full]
        columns = [max(layout.width(self.value(row[j])) for row in value) + 10.0 for j in range(len(value[0]))]
        blocks, start, used = [], 0, 0.0
        for j, w in enumerate(columns):
            if j > start and used + w > limit - 60.0:
                blocks.append((start, j))
                start, used = j, 0.0
            used += w
        blocks.append((start, len(columns)))
        return [self.matrix([row[a:b] for row in value]) + f" \\quad \\text{{columns {a + 1}–{b}}}" for a, b in blocks]

    def rows_MatrixEquation(self, m: MatrixEquation) -> Rows:
        """``lhs = M_1 op M_2 … = result``: one line, or a matrix to a row (wide ones in column blocks)."""
        lhs = m.lhs if isinstance(m.lhs, str) else self.formula(m.lhs)
        op = {"+": "+", "*": "\\ast", "rot": ""}.get(m.op, m.op)
        items = [("=" if i == 0 else op, self.pieces(t)) for i, t in enumerate(m.terms)]
        if m.result is not None:
            result = self.pieces(m.result)
            if m.answer:
                result = ["\\boxed{" + result[0] + "}"] if len(result) == 1 else result
            items.append(("=", result))
        rhs = " ".join(f"{sep} {p[0]}" for sep, p in items)
        if all(len(p) == 1 for _, p in items) and layout.width(lhs + " " + rhs) <= layout.DISPLAY_PT:
            return Rows([(lhs, rhs)])
        rows: list[tuple[str, str]] = []
        for sep, pieces in items:
            for k, piece in enumerate(pieces):
                if k:
                    cell = "\\hphantom{{}=} " + piece  # the next column block, under the first
                elif sep == "=":
                    cell = f"= {piece}"
                else:
                    cell = f"\\quad {{}}{sep} {piece}"
                rows.append((lhs if not rows else "", cell))
        return Rows(rows)

    def rows_Given(self, g: Given) -> Rows:
        """The given data as rows ``k = 3`` with the description beside it, ``\\text{kernel size}``."""
        rows = []
        for sym, value, desc in g.items:
            lhs = math_label(sym) if isinstance(sym, str) else self.formula(sym)
            note = layout.NOTE + math_label(desc) if desc else ""
            for k, piece in enumerate(self.pieces(value)):
                rows.append((lhs, f"= {piece}{note}") if not k else ("", "\\hphantom{{}=} " + piece))
        return Rows(rows)

    def display(self, rows: Rows) -> str:
        """A display: ``\\[ … \\]`` for one line, ``align*`` for rows (breakable across pages).

        A display whose estimated width comes near the line is set in ``\\symconvfit``, which scales it
        down only if TeX finds it wider than the line (a long ``align*`` keeps its page breaks instead).
        """
        widest = rows.widest()
        if rows.single:
            body = rows.one_line()
            return "\\[\n" + (f"\\symconvfit{{{body}}}" if widest > 0.8 * layout.LINE_PT else body) + "\n\\]"
        lines = " \\\\\n".join(rows.aligned_lines())
        if widest > 0.92 * layout.LINE_PT and len(rows.rows) <= 30:
            return "\\[\n\\symconvfit{\\begin{aligned}\n" + lines + "\n\\end{aligned}}\n\\]"
        return "\\begin{align*}\n" + lines + "\n\\end{align*}"

    def aligned(self, rows: Rows) -> str:
        """The rows as one math expression (``aligned`` when there are several), for Markdown, HTML and notebooks."""
        if rows.single:
            return rows.one_line()
        return "\\begin{aligned}\n" + " \\\\\n".join(rows.aligned_lines()) + "\n\\end{aligned}"

    # -- steps -------------------------------------------------------------------------------------
    def label(self, text: str, unit: str = "") -> str:
        shown = unit and unit != "%" and self.detail != "answer"
        return self.prose(text) + (f" ({self.prose(unit)})" if shown else "")

    def step_Equation(self, eq: Equation) -> str:
        return f"{self.label(eq.label, eq.unit)}:\n{self.display(self.rows_Equation(eq))}"

    def step_Definition(self, d: Definition) -> str:
        return f"{self.label(d.label)}:\n{self.display(self.rows_Definition(d))}"

    def step_MatrixEquation(self, m: MatrixEquation) -> str:
        return f"{self.label(m.label)}:\n{self.display(self.rows_MatrixEquation(m))}"

    def given_items(self, g: Given) -> tuple[list[str], list[list[str]]]:
        """(inline items ``$k = 3$ (kernel size)``, displayed matrices as ``X = (…)`` pieces) of a Given step."""
        inline, displays = [], []
        for sym, value, desc in g.items:
            lhs = latex_text(sym) if isinstance(sym, str) else self.formula(sym)
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
                pieces = self.pieces(value)  # matrices get a display of their own
                displays.append([f"{lhs} = {pieces[0]}"] + [f"\\hphantom{{{lhs} = }}{p}" for p in pieces[1:]])
            else:
                inline.append(f"${lhs} = {self.value(value)}$" + (f" ({self.prose(desc)})" if desc else ""))
        return inline, displays

    def given_rows(self, displays: list[list[str]]) -> Rows:
        """Matrices of a Given step side by side, as many to a row as fit and one name to a row (X_1 X_2, then K_1 K_2);
        a wide one in blocks of its own."""
        rows: list[tuple[str, str]] = []
        line, name = "", ""
        for pieces in displays:
            letter = re.match(r"\\?[A-Za-z]*", pieces[0]).group()  # type: ignore[union-attr]
            if len(pieces) > 1:
                rows += [("", line)] if line else []
                rows += [("", p) for p in pieces]
                line = ""
            elif line and (letter != name or layout.width(line + " \\qquad " + pieces[0]) > layout.DISPLAY_PT):
                rows.append(("", line))  # a new row for a new name (the kernels under the inputs) or a full line
                line = pieces[0]
            else:
                line = f"{line} \\qquad {pieces[0]}" if line else pieces[0]
            name = letter
        return Rows(rows + ([("", line)] if line else []))

    def step_Given(self, g: Given) -> str:
        inline, displays = self.given_items(g)
        out = f"{self.prose(g.label)}: " + "; ".join(inline) + ("." if inline else "")
        if displays:
            rows = self.given_rows(displays)
            body = (
                rows.one_line()
                if rows.single
                else "\\begin{gathered}\n" + " \\\\\n".join(r for _, r in rows.rows) + "\n\\end{gathered}"
            )
            out += "\n\\[\n" + (f"\\symconvfit{{{body}}}" if rows.widest() > 0.8 * layout.LINE_PT else body) + "\n\\]"
        return out

    def step_Note(self, n: Note) -> str:
        return self.prose(n.text)

    def step_Group(self, g: Group) -> str:
        body = [self.step(s) for s in g.steps if self.visible(s)]
        return "\\subsection*{" + self.prose(g.label) + "}\n\n" + "\n\n".join(b for b in body if b)

    def step_Table(self, t: Table) -> str:
        from symconv.render.tables import latex_table

        # the label stays on the page of the table's head (a long table may still break after that)
        return f"\\symconvkeep{{8\\baselineskip}}\n{self.prose(t.label)}:\\par\\nopagebreak\n" + latex_table(self, t)

    def cell(self, value: Any) -> str:
        if isinstance(value, str):
            return self.prose(value)
        if isinstance(value, Fraction):  # a fraction inline, so a table row keeps its height
            return f"${'-' if value < 0 else ''}{abs(value.numerator)}/{value.denominator}$"
        return "$" + self.value(value) + "$"

    # -- relations and plots ---------------------------------------------------------------------------
    def relation_math(self, r: Relation) -> str:
        """``17 \\le \\frac{35}{s} < 18``: the terms joined by their relations, the last boxed when it is an answer."""
        parts = [self.term(t) for t in r.terms]
        if r.answer:
            parts[-1] = "\\boxed{" + parts[-1] + "}"
        out = parts[0] + "".join(f" {RELATION_LATEX[op]} {p}" for op, p in zip(r.ops, parts[1:]))
        return out + (f" \\approx {r.approx}" if r.approx else "")

    def rows_Relation(self, r: Relation) -> Rows:
        return Rows([("", self.relation_math(r))])

    def step_Relation(self, r: Relation) -> str:
        return f"{self.label(r.label)}:\n{self.display(self.rows_Relation(r))}"

    def step_Plot(self, p: Plot) -> str:
        """A pgfplots axis: the curve (with marks when there are few points) and the marked points."""
        x_label = "$" + self.formula(p.x) + "$" + (f" ({self.prose(p.x_text)})" if p.x_text else "")
        y_label = "$" + self.formula(p.y) + "$" + (f" ({self.prose(p.y_text)})" if p.y_text else "")
        marks = "mark=*, mark size=1.2pt" if len(p.points) <= 60 else "no marks"
        curve = " ".join(f"({coordinate(x)},{coordinate(y)})" for x, y in p.points)
        lines = [
            "\\symconvkeep{9cm}",  # the label stays with its plot
            f"{self.prose(p.label)}:\\par\\nopagebreak",
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

    # -- the frame ---------------------------------------------------------------------------------
    def conventions(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(
            f"  \\item \\textbf{{{latex_text(k.replace('_', ' '))}}}: {self.prose(v)}" for k, v in d.conventions.items()
        )
        return "\\paragraph{Conventions.}\n\\begin{itemize}\n" + items + "\n\\end{itemize}"

    def answer_text(self, s: Equation | MatrixEquation | Relation) -> str:
        """``lhs = value`` of a boxed step on one line (HTML and Markdown summaries)."""
        lhs, value = self.answer_item(s)
        return layout.strip(f"{lhs} = {value}" if lhs else value)

    def answer_item(self, s: Any) -> tuple[str, str]:
        """(lhs, value) of a boxed step for the Answer summary, by the step's kind (``answer_<Kind>``)."""
        method = find_method(self, "answer_", type(s))
        return method(s) if method is not None else ("", self.prose(describe(s)))  # type: ignore[no-any-return]

    def answer_Equation(self, s: Equation) -> tuple[str, str]:
        approx = f" \\approx {s.approx}{self.percent(s)}" if s.approx else ""
        return self.formula(s.lhs), self.math_parts(s)[-1] + approx

    def answer_MatrixEquation(self, s: MatrixEquation) -> tuple[str, str]:
        """A matrix in its small form (``smallmatrix``)."""
        lhs = s.lhs if isinstance(s.lhs, str) else self.formula(s.lhs)
        value = s.result if s.result is not None else s.terms[-1]
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
            body = " \\\\ ".join(" & ".join(self.value(v) for v in row) for row in value)
            return lhs, f"\\left(\\begin{{smallmatrix}} {body} \\end{{smallmatrix}}\\right)"
        return lhs, self.value(value)

    def answer_Relation(self, s: Relation) -> tuple[str, str]:
        return "", self.relation_math(Relation(s.label, s.terms, s.ops, s.approx))  # the relation, unboxed

    def answer_summary(self, d: Derivation) -> str:
        """The short **Answer** paragraph that ends a problem (not repeated at ``answer`` detail).

        Short answers are listed inline; a long one gets a display row of its own, broken like a chain;
        a matrix too wide for the line is referred to, not repeated.
        """
        items = self.answers(d)
        if not items or self.detail == "answer":
            return ""
        inline, rows = [], []
        for s in items:
            lhs, value = self.answer_item(s)
            plain = value.replace(BREAK, "").replace(BREAK_MUL, "")
            if "smallmatrix" in value and layout.width(plain) > layout.DISPLAY_PT:
                matrix = getattr(s, "result", None) or s.terms[-1]  # type: ignore[union-attr]
                inline.append(f"${lhs}$ (the ${len(matrix)} \\times {len(matrix[0])}$ matrix above)")
            elif not lhs:
                inline.append(f"${plain}$")
            elif layout.width(lhs + " = " + plain) <= 0.45 * layout.LINE_PT:
                inline.append(f"${lhs} = {plain}$")
            else:
                rows += layout.equation_rows(lhs, [value], ["="]).rows
        out = "\\paragraph{Answer.} " + ", ".join(inline) + ("." if inline and not rows else "")
        return out + ("\n" + self.display(Rows(rows)) if rows else "")

    def derivation(self, d: Derivation) -> str:
        body = [self.step(s) for s in d.steps if self.visible(s)]
        return "\n\n".join(b for b in [*body, self.answer_summary(d), self.conventions(d)] if b).strip() + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        sections = []
        for d in derivations:
            label = f"\\label{{{label_name(d.id)}}}" if d.id else ""
            sections.append(f"\\section{{{self.prose(self.heading(d))}}}{label}\n\n" + self.derivation(d))
        title_block = f"\\title{{{latex_text(title)}}}\n\\date{{}}\n" if title else ""
        columns = f"\\setcounter{{MaxMatrixCols}}{{{self.max_columns}}}\n" if self.max_columns > 10 else ""
        if any(isinstance(step, Plot) for d in derivations for step in self.shown(d.steps)):
            columns += PGFPLOTS
        return (
            PREAMBLE
            + columns
            + title_block
            + "\\begin{document}\n"
            + ("\\maketitle\n" if title else "")
            + "\n".join(sections)
            + "\\end{document}\n"
        )

    max_rows: int | None = None
    """Tables longer than this show their first and last rows around a ⋮ (notebook views); None: all rows."""

    def math_block(self, d: Derivation) -> str:
        """Every visible step of ``d`` as rows of one ``aligned`` display with its labels (notebooks, ``text/latex``)."""
        rows: list[str] = []
        for s in d.steps:
            if self.visible(s):
                rows += self.math_rows(s)
        return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"

    def math_rows(self, s: Any) -> list[str]:
        """One step as rows of an ``aligned`` block: its label as text, then its math rows (``math_rows_<Kind>``)."""
        method = find_method(self, "math_rows_", type(s))
        if method is not None:
            return method(s)  # type: ignore[no-any-return]
        rows = self.rows(s)
        label = getattr(s, "label", "") or getattr(s, "text", "")
        head = ["&" + math_label(label)] if label else []
        return head + (rows.aligned_lines() if rows is not None else [])

    def math_rows_Group(self, g: Group) -> list[str]:
        rows = ["&" + math_label(g.label)]
        for s in g.steps:
            if self.visible(s):
                rows += self.math_rows(s)
        return rows

    def rows_Table(self, t: Table) -> Rows:
        """A table as a math ``array`` (notebook views), long tables cut in the middle (:attr:`max_rows`)."""
        from symconv.render.tables import numeric_columns, shown_rows

        spec = "".join("r" if n else "l" for n in numeric_columns(t))
        lines = [" & ".join(math_label(h) for h in t.headers) + " \\\\ \\hline"]
        body, total = shown_rows(t, self.max_rows)
        for i, row in enumerate(body):
            if row is None:
                lines.append(" & ".join(["\\vdots"] * len(t.headers)) + " \\\\")
                continue
            if i == len(body) - total:
                lines.append("\\hline")
            lines.append(" & ".join(math_label(c) if isinstance(c, str) else self.value(c) for c in row) + " \\\\")
        return Rows([("", "\\begin{array}{" + spec + "}\n" + "\n".join(lines) + "\n\\end{array}")])
