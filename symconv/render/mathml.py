"""MathML at build time: the LaTeX of each formula converted by latex2mathml, aligned rows as ``<mtable>``.

Chromium, Firefox and Safari render MathML Core natively, so an HTML page needs no script and no
network. ``latex2mathml`` turns a single formula into MathML; an ``aligned`` block it would flatten,
so the rows of a display (:class:`~symconv.render.layout.Rows`) become the rows of a table here,
each cell converted on its own. ``\\boxed`` becomes ``<menclose notation="box">``, which the page's
style sheet draws (MathML Core leaves ``menclose`` to CSS).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from symconv.render.layout import NOTE, Rows

_NS = 'xmlns="http://www.w3.org/1998/Math/MathML"'


_GROUPED = re.compile(r"(\\(?:text|mathrm|operatorname)\{[^{}]*\})|(\d+(?:\\,\d+)+)")
"""A number with thin spaces between its digit groups, as the printers write 1\\,234\\,567 (group 2), or a piece
of text, left as it is (group 1)."""

_MARK = "\u2063"
"""INVISIBLE SEPARATOR: stands for a thin space inside a grouped number while the converter runs."""

_MARKED = re.compile(f"<mtext>([0-9{_MARK}]+)</mtext>")


@lru_cache(maxsize=1024)
def _inner(latex: str) -> str:
    """The MathML content (without the ``<math>`` element) of one formula.

    A grouped number goes through the converter as one piece of text and comes out as the digit groups
    it would have written (``<mn>1</mn><mspace …/><mn>234</mn>``): converting it group by group takes
    six times longer, which counts when an exact answer has thousands of digits.
    """
    from latex2mathml.converter import convert

    marked = _GROUPED.sub(lambda m: m.group(1) or "\\text{" + m.group(2).replace("\\,", _MARK) + "}", latex)
    try:
        out = convert(marked.replace("\\text{--}", "\\text{–}"))
    except Exception:  # noqa: BLE001 -- a formula the converter does not know still shows, as its LaTeX
        return f"<mtext>{escape(latex)}</mtext>"
    out = _MARKED.sub(
        lambda m: '<mspace width="0.167em" />'.join(f"<mn>{g}</mn>" for g in m.group(1).split(_MARK)), out
    )
    return out[out.index(">") + 1 : out.rindex("</math>")]


def inline(latex: str) -> str:
    """One formula as inline MathML."""
    return f"<math {_NS}>{_inner(latex)}</math>"


def block(rows: Rows) -> str:
    """A display as block MathML: one formula, or a table whose rows align at the right-hand sides."""
    if rows.single:
        return f'<math {_NS} display="block">{_inner(rows.one_line())}</math>'
    cells = "".join(
        f'<mtr><mtd class="lhs">{_inner(left) if left else ""}</mtd><mtd class="rhs">{_inner(value)}</mtd>'
        + (f'<mtd class="note">{_inner(note[0])}</mtd>' if note else "")
        + "</mtr>"
        for left, right in rows.rows
        for value, *note in [right.split(NOTE, 1)]
    )
    return f'<math {_NS} display="block"><mtable class="aligned">{cells}</mtable></math>'
