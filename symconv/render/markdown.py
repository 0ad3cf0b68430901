"""Markdown: text with ``$…$`` and ``$$…$$`` math in the LaTeX subset MathJax and KaTeX render (GitHub, Jupyter)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from symconv.core.richtext import count, is_control, printable
from symconv.core.richtext import parts as text_parts
from symconv.render.blocks import Block, MathBlocks
from symconv.solution.derivation import Derivation, Plot, Table

# Markdown syntax characters escaped in running text. '<' and '&' are escaped only where they would
# start an HTML tag or an entity, so "Norris & Sim" stays readable in the source and no text from
# a problem file can open a tag; '$' is escaped so it cannot open math.
_ESCAPE = {ch: "\\" + ch for ch in "\\`*_[]#|~$"}


def md_text(s: str) -> str:
    """``s`` as literal Markdown text on one line."""
    out = "".join(_ESCAPE.get(ch, " " if ch in "\n\r\t" else ch) for ch in s if ch in "\n\r\t" or not is_control(ch))
    out = re.sub(r"&(?=#?[A-Za-z0-9]+;)", "&amp;", out)
    out = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", out)
    # A line starting with '-', '+', '=', '>' or '1.' would become a list, a heading underline or a quote.
    if out[:1] in ("-", "+", "=", ">"):
        out = "\\" + out
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", out)


def md_prose(t: str) -> str:
    """Text with the formulas of a Rich string as inline ``$…$`` math."""
    return "".join(md_text(p) if isinstance(p, str) else "$" + p.latex() + "$" for p in text_parts(t))


class MarkdownRenderer(MathBlocks):
    """One ``##`` section per problem; equations as ``$$`` blocks; tables as Markdown tables."""

    extension = ".md"
    name = "markdown"

    def prose(self, text: str) -> str:
        return md_prose(text)

    def format_block(self, b: Block) -> str:
        if b.heading:
            return f"#### {md_prose(b.text)}"
        parts = []
        if b.text:
            parts.append(md_prose(b.text) + (":" if b.rows is not None or b.table or b.plot else ""))
        if b.rows is not None:
            parts.append("$$\n" + self.math(b) + "\n$$")
        if b.table is not None:
            parts.append(self.table(b.table))
        if b.plot is not None:
            parts.append(self.plot(b.plot))
        return "\n\n".join(parts)

    def plot(self, p: Plot) -> str:
        """A plot as a character chart in a fenced block (renders everywhere; the table of values is beside it)."""
        from symconv.render.chart import text_chart

        return "```text\n" + "\n".join(text_chart(p)) + "\n```"

    def md_cell(self, v: Any) -> str:
        if isinstance(v, str):
            return md_prose(v)
        return "$" + self.value(v) + "$"

    def table(self, t: Table) -> str:
        numeric = [
            all(not isinstance(row[j], str) for row in t.rows[: len(t.rows) - t.total] or t.rows)
            for j in range(len(t.headers))
        ]
        from symconv.render.tables import shown_rows

        lines = ["| " + " | ".join(md_prose(h) for h in t.headers) + " |"]
        lines.append("|" + "|".join(" ---: " if n else " :--- " for n in numeric) + "|")
        rows, total = shown_rows(t, self.max_rows)
        for i, row in enumerate(rows):
            if row is None:
                lines.append("| " + " | ".join("⋮" for _ in t.headers) + " |")
                continue
            cells = [self.md_cell(c) for c in row]
            if i >= len(rows) - total:  # the totals row, in bold
                cells = [f"**{c}**" if c and not c.startswith("$") else c for c in cells]
            lines.append("| " + " | ".join(cells) + " |")
        if None in rows:
            hidden = len(t.rows) - len([r for r in rows if r is not None])
            lines.append(f"\n{count(hidden, 'row')} not shown (set `max_rows = None` on the result to show all)")
        return "\n".join(lines)

    def conventions_md(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(f"- **{md_text(k.replace('_', ' '))}**: {md_prose(v)}" for k, v in d.conventions.items())
        return "**Conventions.**\n\n" + items

    def answer_md(self, d: Derivation) -> str:
        items = self.answers(d)
        if not items or self.detail == "answer":
            return ""
        return "**Answer.** " + ", ".join(f"${self.answer_text(s)}$" for s in items) + "."

    def derivation(self, d: Derivation) -> str:
        parts = [self.format_block(b) for b in self.blocks(d)]
        parts += [self.answer_md(d), self.conventions_md(d)]
        return printable("\n\n".join(p for p in parts if p).strip() + "\n", keep="\n")  # no raw control characters

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        out = [f"# {md_text(title)}\n"] if title else []
        for d in derivations:
            out.append(f"## {md_prose(self.heading(d))}\n\n" + self.derivation(d))
        return "\n".join(out)
