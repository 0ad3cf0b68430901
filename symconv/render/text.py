"""Plain text for terminals: Unicode signs, chains broken with a hanging indent, everything within ``COLUMNS``.

The width is the ``COLUMNS`` environment variable (default 80). A chain that does not fit breaks
at ``=`` (continuation lines aligned under the first ``=``), then inside a part before an operator
at the shallowest bracket depth; sentences and conventions wrap with a hanging indent; matrices
too wide to stand side by side are stacked, and a matrix wider than the line is split into column
blocks; tables fit the width (see :mod:`symconv.render.tables`).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from symconv.core.richtext import Math, number_text, printable
from symconv.core.richtext import parts as text_parts
from symconv.render.base import Renderer, closed_form, describe, find_method, is_sympy, push_part
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

RELATION_TEXT = {"==": "=", "!=": "\u2260", "<=": "\u2264", "<": "<", ">=": "\u2265", ">": ">", "in": "\u2208"}
"""Unicode signs of the relations a Relation step may hold."""

DEFAULT_WIDTH = 80


def columns() -> int:
    """The line width: ``COLUMNS`` if it is a number of at least 40, else 80."""
    try:
        width = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return DEFAULT_WIDTH
    return width if width >= 40 else DEFAULT_WIDTH


def value_text(value: Any) -> str:
    """Text of an exact value, a closed form, a shape or a flat list; matrices go through :func:`matrix_lines`."""
    return TextRenderer().value(value)


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


_OPEN, _CLOSE = "([{⌊⌈", ")]}⌋⌉"


def break_formula(s: str, room: int, rest: int | None = None) -> list[str]:
    """A formula longer than ``room`` (then ``rest``) broken before operators: + and − before × and ·,
    at the shallowest bracket depth that fits."""
    lines: list[str] = []
    limit = room
    while len(s) > limit:
        depth, best, best_rank = 0, -1, (10**9, 9)
        for i, ch in enumerate(s[: limit + 1]):
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth -= 1
            elif ch == " " and 0 < i and i + 2 < len(s) and s[i + 1] in "+−×·=≤≥" and s[i + 2] == " ":
                rank = (depth, 1 if s[i + 1] in "×·" else 0)
                if rank <= best_rank:
                    best, best_rank = i, rank
        if best < 0:  # no operator to break at: break at the last space, else not at all
            best = s.rfind(" ", 1, limit + 1)
            if best < 0:
                break
        lines.append(s[:best])
        s = s[best + 1 :]
        limit = rest if rest is not None else room
    lines.append(s)
    return lines


class TextRenderer(Renderer):
    """Readable plain text within ``width`` columns; the same steps as the LaTeX output."""

    extension = ".txt"
    name = "text"

    def __init__(self, detail: Any = "full", width: int | None = None) -> None:
        super().__init__(detail)
        self.width = width or columns()

    # -- values ------------------------------------------------------------------------------------
    def value_bool(self, v: bool) -> str:
        return "yes" if v else "no"

    def value_int(self, v: int) -> str:
        return number_text(v)

    def value_str(self, v: str) -> str:
        return str(v)

    def value_Fraction(self, v: Fraction) -> str:
        return number_text(v)

    def value_Basic(self, v: sympy.Basic) -> str:
        from symconv.core import mathprint

        return mathprint.text(v, written=False)

    def value_list(self, v: Sequence[Any]) -> str:
        if v and isinstance(v[0], (list, tuple)):
            return "[" + "; ".join(" ".join(self.value(x) for x in row) for row in v) + "]"
        return "[" + ", ".join(self.value(x) for x in v) + "]"

    value_tuple = value_list

    def value_Written(self, v: Written) -> str:
        return self.formula(v.expr)

    def value_Shape(self, v: Shape) -> str:
        return " × ".join(f"({self.value(x)})" if is_sympy(x, "Add") else self.value(x) for x in v.dims)

    def prose(self, text: str) -> str:
        return str(text)

    def formula(self, x: Any, mul: str = "times", *, written: bool = True) -> str:
        """A formula: markup and exact numbers without SymPy, a SymPy tree with :mod:`symconv.core.mathprint`."""
        if isinstance(x, Math):
            return x.text()
        if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
            return number_text(x)
        if isinstance(x, tuple):
            return "(" + ", ".join(self.formula(v, mul, written=written) for v in x) + ")"
        from symconv.core import mathprint

        return mathprint.text(x, mul, written)

    # -- layout ------------------------------------------------------------------------------------
    def wrap(self, text: str, indent: str = "", hanging: str = "") -> str:
        """A paragraph wrapped to the width; continuation lines indented by ``hanging`` more.

        A short formula in the text is not broken across lines (its spaces do not count as breaks).
        """
        glued = "".join(
            p if isinstance(p, str) else p.text().replace(" ", "\u00a0") if len(p.text()) <= 30 else p.text()
            for p in text_parts(text)
        )
        return textwrap.fill(
            glued,
            self.width,
            initial_indent=indent,
            subsequent_indent=indent + hanging,
            break_long_words=False,
            break_on_hyphens=False,
        ).replace("\u00a0", " ")

    def chain(self, lhs: str, parts: Sequence[str], seps: Sequence[str], indent: str = "  ") -> list[str]:
        """``lhs = a = b …`` on one line if it fits, else one part per line under the first ``=``, long parts broken."""
        whole = indent + lhs + "".join(f" {sep} {p}" for sep, p in zip(seps, parts))
        if len(whole) <= self.width:
            return [whole]
        hang = indent + " " * (len(lhs) + 1)
        room = max(self.width - len(hang), 20)
        lines: list[str] = []
        current = ""
        for sep, part in zip(seps, parts):
            piece = f"{sep} {part}"
            if current and sep == "≈" and len(current) + 1 + len(piece) <= room:
                current += " " + piece  # the rounding stays beside the exact value
                continue
            if current:
                lines.append(current)
            pieces = break_formula(piece, room, room - 4)
            lines += pieces[:-1][:1] + ["    " + p for p in pieces[1:-1]]
            current = pieces[-1] if len(pieces) == 1 else "    " + pieces[-1]
        lines.append(current)
        return [indent + lhs + " " + lines[0]] + [hang + line for line in lines[1:]]

    def label(self, text: str, unit: str = "") -> str:
        shown = unit and unit != "%" and self.detail != "answer"
        return self.wrap(text + (f" ({unit})" if shown else "") + ":", hanging="  ")

    def parts(self, eq: Equation) -> tuple[list[str], list[str]]:
        out: list[str] = []
        for part in self.equation_parts(eq):
            push_part(out, self.formula(part, eq.mul))
        if closed_form(eq.result):
            push_part(out, self.formula(eq.result, eq.mul))
        percent = " %" if eq.unit == "%" else ""
        seps = ["="] * len(out)
        if eq.approx:
            out.append(eq.approx.replace("-", "−") + percent)
            seps.append("≈")
        return out, seps

    def equation_line(self, eq: Equation) -> str:
        """The chain on one line (for reports that quote a step)."""
        parts, seps = self.parts(eq)
        return self.formula(eq.lhs) + "".join(f" {sep} {p}" for sep, p in zip(seps, parts))

    # -- steps -------------------------------------------------------------------------------------
    def step_Equation(self, eq: Equation) -> str:
        parts, seps = self.parts(eq)
        return self.label(eq.label, eq.unit) + "\n" + "\n".join(self.chain(self.formula(eq.lhs), parts, seps))

    def step_Definition(self, d: Definition) -> str:
        rhs = self.formula(d.rhs, written=d.written)
        return self.label(d.label) + "\n" + "\n".join(self.chain(self.formula(d.lhs), [rhs], ["="]))

    def block_of(self, value: Any) -> list[str]:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
            return matrix_lines(value)
        return [self.value(value)]

    def fit_matrix(self, name: str, value: Any, room: int, sep: str = " = ") -> list[str]:
        """``name = matrix``, the matrix split into column blocks when it is wider than ``room``."""
        lines = side_by_side([[name], self.block_of(value)], [sep])
        if max(len(line) for line in lines) <= room or not (isinstance(value, (list, tuple)) and value):
            return lines
        cols = len(value[0])
        cell = max(len(self.value(v)) for row in value for v in row)
        per = max(1, (room - len(name) - 20) // (cell + 2))
        out: list[str] = []
        for start in range(0, cols, per):
            stop = min(start + per, cols)
            block = [row[start:stop] for row in value]
            out.append(f"{name}, columns {start + 1}–{stop}:")
            out += ["  " + line for line in matrix_lines(block)]
        return out

    def step_MatrixEquation(self, m: MatrixEquation) -> str:
        lhs = str(m.lhs) if isinstance(m.lhs, str) else self.formula(m.lhs)
        op = {"*": " ⊛ ", "+": " + ", "rot": ""}.get(m.op, f" {m.op} ")
        blocks = [[lhs]]
        seps = [" = "]
        for i, t in enumerate(m.terms):
            blocks.append(self.block_of(t))
            if i < len(m.terms) - 1:
                seps.append(op)
        if m.result is not None:
            seps.append(" = ")
            blocks.append(self.block_of(m.result))
        body = side_by_side(blocks, seps)
        room = self.width - 2
        if max(len(line) for line in body) > room:
            # too wide side by side: each term on lines of its own, fitted to the width
            items = list(m.terms) + ([m.result] if m.result is not None else [])
            signs = ["="] + [op.strip() or "=" for _ in m.terms[1:]] + (["="] if m.result is not None else [])
            body = []
            for i, (sign, item) in enumerate(zip(signs, items)):
                name = lhs if i == 0 else " " * (len(lhs) + 1) + sign
                body += self.fit_matrix(name, item, room, sep=" = " if i == 0 else " ")
        return self.label(m.label) + "\n" + "\n".join("  " + line for line in body)

    def step_Given(self, g: Given) -> str:
        lines = [self.label(g.label)]
        row: list[list[str]] = []  # matrices placed side by side while they fit

        def flush() -> None:
            if row:
                lines.extend("  " + line for line in side_by_side(row, ["    "] * (len(row) - 1)))
                row.clear()

        for sym, value, desc in g.items:
            name = str(sym) if isinstance(sym, str) else self.formula(sym)
            if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
                block = self.fit_matrix(name, value, self.width - 2)
                width = max(len(line) for line in block)
                if row and sum(max(len(x) for x in b) + 4 for b in row) + width > self.width - 2:
                    flush()
                row.append(block)
            else:
                flush()
                lines.append(
                    self.wrap(f"{name} = {self.value(value)}" + (f"   ({desc})" if desc else ""), "  ", "    ")
                )
        flush()
        return "\n".join(lines)

    def step_Note(self, n: Note) -> str:
        return self.wrap(n.text, hanging="  ")

    def relation_line(self, r: Relation) -> str:
        parts = [self.term(t) for t in r.terms]
        line = parts[0] + "".join(f" {RELATION_TEXT[op]} {p}" for op, p in zip(r.ops, parts[1:]))
        return line + (" \u2248 " + r.approx.replace("-", "\u2212") if r.approx else "")

    def step_Relation(self, r: Relation) -> str:
        return (
            self.label(r.label)
            + "\n"
            + "\n".join("  " + line for line in break_formula(self.relation_line(r), self.width - 2, self.width - 6))
        )

    def step_Plot(self, p: Plot) -> str:
        from symconv.render.chart import text_chart

        return (
            self.label(p.label)
            + "\n"
            + "\n".join("  " + line for line in text_chart(p, width=min(60, self.width - 20)))
        )

    def step_Table(self, t: Table) -> str:
        from symconv.render.tables import text_table

        return self.label(t.label) + "\n" + "\n".join("  " + line for line in text_table(self, t, self.width - 2))

    def step_Group(self, g: Group) -> str:
        body = [self.step(s) for s in g.steps if self.visible(s)]
        title = str(g.label)
        return "\n\n".join([title + "\n" + "·" * min(len(title), self.width), *[b for b in body if b]])

    def empty_step(self, step: Any) -> str:
        return self.wrap(super().empty_step(step), hanging="  ")

    # -- the frame ---------------------------------------------------------------------------------
    def answer_summary(self, d: Derivation) -> str:
        """``Answer: RF_3 = 13, S_3 = 4.`` — or one answer to a line (each broken like a chain) when they are long."""
        items = self.answers(d)
        if not items or self.detail == "answer":
            return ""
        shown = [self.answer_item(s) for s in items]
        flat = [lhs + "".join(f" {sep} {p}" for sep, p in zip(seps, ps)) for lhs, ps, seps in shown]
        if max(len(f) for f in flat) <= self.width // 2:
            # no line break inside one answer: spaces within an item are non-breaking while wrapping
            text = self.wrap("Answer: " + ", ".join(f.replace(" ", "\u00a0") for f in flat) + ".", hanging="  ")
            return text.replace("\u00a0", " ")
        lines = ["Answer:"]
        for lhs, ps, seps in shown:
            if ps:
                lines += self.chain(lhs, ps, seps)
            else:  # a relation, whole
                lines += ["  " + line for line in break_formula(lhs, self.width - 2, self.width - 6)]
        return "\n".join(lines)

    def answer_item(self, s: Any) -> tuple[str, list[str], list[str]]:
        """(lhs, values, relations) of a boxed step for the Answer summary, by kind (``answer_<Kind>``)."""
        method = find_method(self, "answer_", type(s))
        return method(s) if method is not None else (describe(s), [], [])  # type: ignore[no-any-return]

    def answer_Equation(self, s: Equation) -> tuple[str, list[str], list[str]]:
        parts, seps = self.parts(s)
        return (
            (self.formula(s.lhs), parts[-2:], seps[-2:])
            if seps[-1] == "≈"
            else (self.formula(s.lhs), parts[-1:], seps[-1:])
        )

    def answer_MatrixEquation(self, s: MatrixEquation) -> tuple[str, list[str], list[str]]:
        name = str(s.lhs) if isinstance(s.lhs, str) else self.formula(s.lhs)
        matrix = s.result if s.result is not None else s.terms[-1]
        shown = self.value(matrix)  # [−13 −12; −25 −27], or a reference when that is long
        if len(shown) > self.width // 2 and isinstance(matrix, (list, tuple)) and matrix:
            shown = f"the {len(matrix)} × {len(matrix[0])} matrix above"
        return name, [shown], ["="]

    def answer_Relation(self, s: Relation) -> tuple[str, list[str], list[str]]:
        return self.relation_line(Relation(s.label, s.terms, s.ops, s.approx)), [], []

    def conventions(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = [self.wrap("- " + k.replace("_", " ") + ": " + v, "  ", "  ") for k, v in d.conventions.items()]
        return "Conventions:\n" + "\n".join(items)

    def derivation(self, d: Derivation) -> str:
        body = [b for b in (self.step(s) for s in d.steps if self.visible(s)) if b]
        body += [b for b in (self.answer_summary(d), self.conventions(d)) if b]
        # names and titles from a file may hold control characters: escaped (\x1b), never sent to a terminal raw
        return printable("\n\n".join(body) + "\n", keep="\n")

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        out = []
        if title:
            title = printable(title)
            out.append(self.wrap(title) + "\n" + "=" * min(len(title), self.width) + "\n")
        for d in derivations:
            heading = printable(str(self.heading(d)))
            out.append(self.wrap(heading) + "\n" + "-" * min(len(heading), self.width) + "\n\n" + self.derivation(d))
        return "\n".join(out)
