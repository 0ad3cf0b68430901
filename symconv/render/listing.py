"""The formula catalogue as a listing in each output format (``symconv formula list``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

from symconv.core import mathprint
from symconv.render.escape import latex_text
from symconv.render.markdown import md_text


def listing(entries: Sequence[dict[str, Any]], fmt: str) -> str:
    """Entries from :func:`symconv.problems.general.catalogue_listing` as text, LaTeX, Markdown, HTML or JSON.

    Each entry shows the name, the written formula, the description and latexify's rendering of
    the defining Python function (the definition the numbers are computed from).
    """
    if fmt == "text":
        lines = []
        for e in entries:
            lines.append(
                f"{e['name']}\n  {mathprint.text(_lhs(e))} = {mathprint.text(e['display'])}\n  {e['description']}"
            )
        return "\n\n".join(lines) + "\n"
    if fmt == "json":
        import sympy

        data = [
            {
                "name": e["name"],
                "lhs": e["lhs"],
                "description": e["description"],
                "formula": sympy.sstr(e["display"]),
                "latex": mathprint.latex(e["display"]),
                "latexify": e["latexify"],
            }
            for e in entries
        ]
        return json.dumps({"title": "Formula catalogue", "formulas": data}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        parts = ["# Formula catalogue\n"]
        for e in entries:
            parts.append(f"## {md_text(e['name'])}\n\n{md_text(e['description'])}\n\n$$\n{_math(e)}\n$$\n")
        return "\n".join(parts)
    if fmt == "html":
        from symconv.render.html import HtmlRenderer
        from symconv.render.layout import Rows
        from symconv.render.mathml import block

        # Reuse the page frame of the HTML renderer with one section per formula.
        page = HtmlRenderer("full").document([], "Formula catalogue")
        body = "\n".join(
            f"<section>\n<h2>{escape(e['name'])}</h2>\n<p>{escape(e['description'])}</p>\n"
            + block(Rows([(_lhs_latex(e), "= " + mathprint.latex(e["display"]))]))
            + (block(Rows([("", e["latexify"])])) if e["latexify"] else "")
            + "\n</section>"
            for e in entries
        )
        return page.replace("</body>", body + "\n</body>")
    if fmt == "latex":
        from symconv.render.latex import LatexRenderer

        doc = LatexRenderer("full").document([], "Formula catalogue")
        body = "\n".join(
            f"\\section*{{{latex_text(e['name'])}}}\n{latex_text(e['description'])}\n\\[\n{_math(e)}\n\\]"
            for e in entries
        )
        return doc.replace("\\end{document}", body + "\n\\end{document}")
    raise ValueError(fmt)


def _lhs(e: dict[str, Any]) -> Any:
    from symconv.core.arith import size_symbol

    return size_symbol(e["lhs"])


def _lhs_latex(e: dict[str, Any]) -> str:
    return mathprint.latex(_lhs(e))


def _math(e: dict[str, Any]) -> str:
    written = mathprint.latex(_lhs(e)) + " = " + mathprint.latex(e["display"])
    if not e["latexify"]:
        return written
    return "\\begin{gathered}\n" + written + " \\\\\n" + e["latexify"] + "\n\\end{gathered}"
