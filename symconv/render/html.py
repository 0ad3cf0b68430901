"""HTML: one self-contained page, readable offline: MathML built at render time, no script, nothing fetched.

Text is escaped; formulas in labels, notes and conventions are inline MathML, displays block
MathML (aligned rows as a MathML table), tables HTML tables whose number and shape columns do not
wrap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from symconv.core.richtext import parts as text_parts
from symconv.core.richtext import printable
from symconv.render import mathml
from symconv.render.blocks import Block, MathBlocks
from symconv.solution.derivation import Derivation, Plot, Table

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 54rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", math; font-size: 1.1em; }
math[display="block"] { margin: 0.4rem 0 0.9rem; overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
mtable.aligned mtd { math-style: normal; padding: 0.1em 0; }
mtable.aligned mtd.lhs { text-align: right; }
mtable.aligned mtd.rhs { text-align: left; padding-left: 0.28em; }
mtable.aligned mtd.note { text-align: left; padding-left: 2em; }
mtable.given mtd { text-align: left; padding: 0.15em 0.6em 0.15em 0; }
menclose[notation="box"] { border: 1.5px solid #333; padding: 0.15em 0.3em; }
mtable mtable { border-spacing: 0.6em 0.1em; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th { border-bottom: 2px solid #555; text-align: left; padding: 0.25rem 0.6rem; }
td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.total td { border-top: 2px solid #555; font-weight: 600; }
.table-wrap { overflow-x: auto; }
.answer { background: #f4f7fb; border-left: 4px solid #4a6fa5; padding: 0.4rem 0.8rem; }
.conventions { font-size: 0.92rem; color: #333; }
""".strip()


def html_prose(t: str) -> str:
    """Escaped text, with the formulas of a Rich string as inline MathML."""
    return "".join(escape(p) if isinstance(p, str) else mathml.inline(p.latex()) for p in text_parts(t))


def anchor(id_: str) -> str:
    """A problem id as an HTML id attribute value."""
    return "problem-" + (re.sub(r"[^A-Za-z0-9_.:-]", "-", id_) or "-")


class HtmlRenderer(MathBlocks):
    """Headings, labels as paragraphs, MathML displays, tables as HTML tables."""

    extension = ".html"
    name = "html"

    def prose(self, text: str) -> str:
        return html_prose(text)

    def format_block(self, b: Block) -> str:
        if b.heading:
            return f"<h3>{html_prose(b.text)}</h3>"
        parts = []
        if b.text:
            parts.append(f"<p>{html_prose(b.text)}{':' if b.rows is not None or b.table or b.plot else ''}</p>")
        if b.rows is not None:
            parts.append(mathml.block(b.rows))
        if b.table is not None:
            parts.append(self.table(b.table))
        if b.plot is not None:
            parts.append(self.plot(b.plot))
        return "\n".join(parts)

    def plot(self, p: Plot) -> str:
        """A plot as an inline SVG figure (no script, no image file)."""
        from symconv.render.chart import svg_chart

        return f'<figure class="plot">\n{svg_chart(p)}\n</figure>'

    def cell_html(self, c: Any) -> str:
        if isinstance(c, str):
            return f"<td>{html_prose(c)}</td>"
        return f'<td class="num">{mathml.inline(self.value(c))}</td>'

    def table(self, t: Table) -> str:
        numeric = [
            all(not isinstance(row[j], str) for row in t.rows[: len(t.rows) - t.total] or t.rows)
            for j in range(len(t.headers))
        ]
        head = "".join(
            f'<th class="num">{html_prose(h)}</th>' if numeric[j] else f"<th>{html_prose(h)}</th>"
            for j, h in enumerate(t.headers)
        )
        rows = []
        for i, row in enumerate(t.rows):
            total = i >= len(t.rows) - t.total
            rows.append(('<tr class="total">' if total else "<tr>") + "".join(self.cell_html(c) for c in row) + "</tr>")
        return '<div class="table-wrap"><table>\n<tr>' + head + "</tr>\n" + "\n".join(rows) + "\n</table></div>"

    def conventions_html(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(
            f"<li><strong>{escape(k.replace('_', ' '))}</strong>: {html_prose(v)}</li>"
            for k, v in d.conventions.items()
        )
        return f'<div class="conventions"><p><strong>Conventions.</strong></p>\n<ul>\n{items}\n</ul></div>'

    def answer_html(self, d: Derivation) -> str:
        items = self.answers(d)
        if not items or self.detail == "answer":
            return ""
        return (
            '<p class="answer"><strong>Answer.</strong> '
            + ", ".join(mathml.inline(self.answer_text(s)) for s in items)
            + ".</p>"
        )

    def derivation(self, d: Derivation) -> str:
        parts = [self.format_block(b) for b in self.blocks(d)]
        parts += [self.answer_html(d), self.conventions_html(d)]
        return "\n".join(p for p in parts if p) + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        page_title = title or (str(derivations[0].title) if len(derivations) == 1 else "symconv")
        sections = []
        for d in derivations:
            ident = f' id="{anchor(d.id)}"' if d.id else ""
            sections.append(f"<section{ident}>\n<h2>{html_prose(self.heading(d))}</h2>\n{self.derivation(d)}</section>")
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(printable(page_title))}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>\n{STYLE}\n</style>\n"
            "</head>\n<body>\n"
            + (f"<h1>{escape(printable(title))}</h1>\n" if title else "")
            + printable("\n".join(sections), keep="\n")  # control characters from names, escaped as text
            + "\n</body>\n</html>\n"
        )
