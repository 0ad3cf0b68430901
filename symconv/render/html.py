"""HTML: one self-contained page whose math MathJax (loaded from a CDN) typesets; all text escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from symconv.render.blocks import Block, MathBlocks
from symconv.render.text import value_text
from symconv.solution.derivation import Derivation, Plot, Table

MATHJAX_URL = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"
"""MathJax 3, the TeX-input CommonHTML build (includes the AMS environments and ``\\boxed``)."""

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
.math { overflow-x: auto; } table { border-collapse: collapse; margin: 0.5rem 0; }
td, th { border: 1px solid #ccc; padding: 0.2rem 0.6rem; } td.num { text-align: right; }
.conventions { font-size: 0.92rem; color: #333; }
""".strip()


def _text(s: str) -> str:
    # The page body is marked tex2jax_ignore and only .math blocks are typeset, so a "\\[" in a
    # title cannot open math; escape() keeps it from opening a tag.
    return escape(s)


class HtmlRenderer(MathBlocks):
    """Headings, labels as paragraphs, display math in ``\\[ … \\]``, tables as HTML tables."""

    extension = ".html"
    name = "html"

    def format_block(self, b: Block) -> str:
        parts = []
        if b.text:
            parts.append(f"<p>{_text(b.text)}{':' if b.math or b.table or b.plot else ''}</p>")
        if b.math:
            parts.append(f'<div class="math tex2jax_process">\\[\n{escape(b.math)}\n\\]</div>')
        if b.table is not None:
            parts.append(self.table(b.table))
        if b.plot is not None:
            parts.append(self.plot(b.plot))
        return "\n".join(parts)

    def plot(self, p: Plot) -> str:
        """A plot as an inline SVG figure (no script, no image file)."""
        from symconv.render.chart import svg_chart

        return f'<figure class="plot">\n{svg_chart(p)}\n</figure>'

    def table(self, t: Table) -> str:
        head = "".join(f"<th>{_text(h)}</th>" for h in t.headers)
        rows = []
        for row in t.rows:
            cells = "".join(
                f"<td>{_text(c)}</td>" if isinstance(c, str) else f'<td class="num">{_text(value_text(c))}</td>'
                for c in row
            )
            rows.append(f"<tr>{cells}</tr>")
        return "<table>\n<tr>" + head + "</tr>\n" + "\n".join(rows) + "\n</table>"

    def conventions_html(self, d: Derivation) -> str:
        if not d.conventions:
            return ""
        items = "\n".join(
            f"<li><strong>{_text(k.replace('_', ' '))}</strong>: {_text(v)}</li>" for k, v in d.conventions.items()
        )
        return f'<div class="conventions"><p><strong>Conventions.</strong></p>\n<ul>\n{items}\n</ul></div>'

    def derivation(self, d: Derivation) -> str:
        parts = [self.format_block(b) for b in self.blocks(d)]
        parts.append(self.conventions_html(d))
        return "\n".join(p for p in parts if p) + "\n"

    def document(self, derivations: Sequence[Derivation], title: str = "") -> str:
        page_title = title or (derivations[0].title if len(derivations) == 1 else "symconv")
        sections = []
        for d in derivations:
            heading = d.title + (f" [{d.id}]" if d.id else "")
            sections.append(f"<section>\n<h2>{_text(heading)}</h2>\n{self.derivation(d)}</section>")
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_text(page_title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>\n{_STYLE}\n</style>\n"
            "<script>window.MathJax = { tex: { inlineMath: [['\\\\(', '\\\\)']], displayMath: [['\\\\[', '\\\\]']] } };</script>\n"
            f'<script defer src="{MATHJAX_URL}"></script>\n'
            '</head>\n<body class="tex2jax_ignore">\n'
            + (f"<h1>{_text(title)}</h1>\n" if title else "")
            + "\n".join(sections)
            + "\n</body>\n</html>\n"
        )
