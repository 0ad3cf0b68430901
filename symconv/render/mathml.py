"""MathML at build time: the LaTeX of each formula converted by latex2mathml, aligned rows as ``<mtable>``.

Chromium, Firefox and Safari render MathML Core natively, so an HTML page needs no script and no
network. ``latex2mathml`` turns a single formula into MathML; an ``aligned`` block it would flatten,
so the rows of a display (:class:`~symconv.render.layout.Rows`) become the rows of a table here,
each cell converted on its own. ``\\boxed`` becomes ``<menclose notation="box">``, which the page's
style sheet draws (MathML Core leaves ``menclose`` to CSS).
"""

from __future__ import annotations

from html import escape

from symconv.render.layout import Rows

_NS = 'xmlns="http://www.w3.org/1998/Math/MathML"'


def _inner(latex: str) -> str:
    """The MathML content (without the ``<math>`` element) of one formula."""
    from latex2mathml.converter import convert

    try:
        out = convert(latex.replace("\\text{--}", "\\text{–}"))
    except Exception:  # noqa: BLE001 -- a formula the converter does not know still shows, as its LaTeX
        return f"<mtext>{escape(latex)}</mtext>"
    return out[out.index(">") + 1 : out.rindex("</math>")]


def inline(latex: str) -> str:
    """One formula as inline MathML."""
    return f"<math {_NS}>{_inner(latex)}</math>"


def block(rows: Rows) -> str:
    """A display as block MathML: one formula, or a table whose rows align at the right-hand sides."""
    if rows.single:
        return f'<math {_NS} display="block">{_inner(rows.one_line())}</math>'
    cells = "".join(
        f'<mtr><mtd class="lhs">{_inner(left) if left else ""}</mtd><mtd class="rhs">{_inner(right)}</mtd></mtr>'
        for left, right in rows.rows
    )
    return f'<math {_NS} display="block"><mtable class="aligned">{cells}</mtable></math>'
