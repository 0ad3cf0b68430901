"""Markdown: text with ``$$…$$`` display math in the LaTeX subset MathJax and KaTeX render."""

from __future__ import annotations

import re
from collections.abc import Sequence

from symconv.render.blocks import Block, MathBlocks
from symconv.render.text import value_text
from symconv.solution.derivation import Derivation, Plot, Table

# Markdown syntax characters escaped in running text; '<' and '&' become entities so that no
# text from a problem file can open an HTML tag, and '$' is escaped so it cannot open math.
_ESCAPE = {ch: "\\" + ch for ch in "\\`*_[]#|~$"}
_ESCAPE.update({"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def md_text(s: str) -> str:
    """``s`` as literal Markdown text on one line."""
    out = "".join(_ESCAPE.get(ch, " " if ch in "\n\r\t" else ch) for ch in s if ch in "\n\r\t" or ord(ch) >= 32)
    # A line starting with '-', '+', '=' or '1.' would become a list or a heading underline.
    if out[:1] in ("-", "+", "="):
        out = "\\" + out
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", out)


class MarkdownRenderer(MathBlocks):
    """One ``##`` section per problem; equations as ``$$`` blocks; tables as Markdown tables."""

    extension = ".md"
    name = "markdown"

    def format_block(self, b: Block) -> str:
        parts = []
        if b.text:
            parts.append(md_text(b.text) + (":" if b.math or b.table or b.plot else ""))
        if b.math:
            parts.append("$$\n" + b.math + "\n$$")
        if b.table is not None:
            parts.append(self.table(b.table))
        if b.plot is not None:
            parts.append(self.plot(b.plot))
        return "\n\n".join(parts)

    def plot(self, p: Plot) -> str:
        """A plot as a character chart in a fenced block (renders everywhere; the table of values is beside it)."""
        from symconv.render.chart import text_chart

        return "```text\n" + "\n".join(text_chart(p)) + "\n```"

    def table(self, t: Table) -> str:
        def cell(v: object) -> str:
            return md_text(v if isinstance(v, str) else value_text(v))

        lines = ["| " + " | ".join(md_text(h) for h in t.headers) + " |"]
        lines.append("|" + "|".join([" --- "] + [" ---: "] * (len(t.headers) - 1)) + "|")
        lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in t.rows]
        return "\n".join(lines)

    def conventions_md(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(f"- **{md_text(k.replace('_', ' '))}**: {md_text(v)}" for k, v in d.conventions.items())
        return "**Conventions.**\n\n" + items

    def derivation(self, d: Derivation) -> str:
        parts = [self.format_block(b) for b in self.blocks(d)]
        parts.append(self.conventions_md(d))
        return "\n\n".join(p for p in parts if p).strip() + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        out = [f"# {md_text(title)}\n"] if title else []
        for d in derivations:
            heading = d.title + (f" [{d.id}]" if d.id else "")
            out.append(f"## {md_text(heading)}\n\n" + self.derivation(d))
        return "\n".join(out)
