"""Tables that fit: a network's per-layer table in LaTeX (booktabs, sized to the text width) and in text.

LaTeX: the smallest of ``\\small``, ``\\footnotesize`` and ``\\scriptsize`` (with narrower column
gaps) at which the table's estimated width fits the line; if none does, the widest columns become
paragraph columns that wrap (long layer names, closed forms). Text: columns are narrowed by
wrapping the text columns (names); if the table still does not fit, each row is written as a
wrapped record instead.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

from symconv.render import layout
from symconv.solution.derivation import Table

if TYPE_CHECKING:
    from symconv.render.latex import LatexRenderer
    from symconv.render.text import TextRenderer

_SIZES = (("\\small", 10 / 11, 6.0), ("\\footnotesize", 9 / 11, 4.0), ("\\scriptsize", 8 / 11, 3.0))
"""(size command, scale against 11 pt, \\tabcolsep in points), tried in order."""


def numeric_columns(t: Table) -> list[bool]:
    """Columns whose body cells are all values (right-aligned), as opposed to text."""
    body = t.rows[: len(t.rows) - t.total] or t.rows
    return [all(not isinstance(row[j], str) for row in body) for j in range(len(t.headers))]


def shown_rows(t: Table, max_rows: int | None) -> tuple[list[tuple[Any, ...] | None], int]:
    """The rows to show when at most ``max_rows`` body rows fit: the first and last halves, ``None`` for the cut.

    Returns (rows, number of totals rows at the end); the totals rows are always shown.
    """
    body = list(t.rows[: len(t.rows) - t.total])
    totals = list(t.rows[len(t.rows) - t.total :])
    if max_rows is None or len(body) <= max_rows:
        return [*body, *totals], t.total
    head = (max_rows + 1) // 2
    return [*body[:head], None, *body[len(body) - (max_rows - head) :], *totals], t.total


def _text_width(s: str, scale: float) -> float:
    return len(s) * 5.6 * scale


def _breakable(cell: str) -> str:
    """A text cell that may break after ``.``, ``_`` and ``/`` (layer names such as ``layer4.2.conv_b``)."""
    if cell.startswith("$"):
        return cell
    return cell.replace("\\_", "\\_\\allowbreak{}").replace(".", ".\\allowbreak{}").replace("/", "/\\allowbreak{}")


def latex_table(r: LatexRenderer, t: Table) -> str:
    """A booktabs ``longtable`` (breaks across pages, header repeated) that fits the text width.

    The first of ``\\small``, ``\\footnotesize`` and ``\\scriptsize`` at which the estimated width fits
    is used; if none does, the text columns and the columns of long formulas wrap (paragraph
    columns sharing the room the numbers leave), names breaking after ``.``, ``_`` and ``/``.
    """
    numeric = numeric_columns(t)
    cells = [[r.cell(c) for c in row] for row in t.rows]
    heads = [r.prose(h) for h in t.headers]
    ncols = len(t.headers)

    def natural(j: int, scale: float) -> float:
        widths = [
            layout.width(c.strip("$"), scale) if c.startswith("$") else _text_width(c.replace("\\_", "_"), scale)
            for c in [row[j] for row in cells]
        ]
        return max(widths + [_text_width(str(t.headers[j]), scale)])

    for size, scale, sep in _SIZES:
        widths = [natural(j, scale) for j in range(ncols)]
        if sum(widths) + 2 * sep * (ncols - 1) <= layout.LINE_PT - 30:
            spec = "".join("r" if n else "l" for n in numeric)
            break
    else:
        # too wide even in the smallest type: text columns and long formulas wrap in paragraph columns
        room = 0.85 * layout.LINE_PT - 2 * sep * (ncols - 1)  # a margin for the estimate of the fixed columns
        wrap = [j for j in range(ncols) if not numeric[j] or widths[j] > 0.2 * room]
        fixed = sum(widths[j] for j in range(ncols) if j not in wrap)
        share = max(room - fixed, 40.0 * len(wrap))
        total = sum(widths[j] for j in wrap) or 1.0
        given = {j: max(40.0, share * widths[j] / total) for j in wrap}
        spec = "".join(
            (">{\\raggedleft\\arraybackslash}" if numeric[j] else ">{\\raggedright\\arraybackslash}")
            + f"p{{{given[j]:.0f}pt}}"
            if j in given
            else ("r" if numeric[j] else "l")
            for j in range(ncols)
        )
        cells = [[_breakable(c) if not numeric[j] else c for j, c in enumerate(row)] for row in cells]
    head = " & ".join(heads) + " \\\\"
    body = []
    for i, row in enumerate(cells):
        if i == len(cells) - t.total:
            body.append("\\midrule")
        if i >= len(cells) - t.total:
            row = ["\\textbf{" + row[0] + "}", *row[1:]]
        body.append(" & ".join(row) + " \\\\")
    return (
        f"{{{size}\\setlength{{\\tabcolsep}}{{{sep:g}pt}}\n"
        f"\\begin{{longtable}}{{@{{}}{spec}@{{}}}}\n\\toprule\n{head}\n\\midrule\n\\endfirsthead\n"
        f"\\toprule\n{head}\n\\midrule\n\\endhead\n" + "\n".join(body) + "\n\\bottomrule\n\\end{longtable}}"
    )


_PRODUCT = re.compile(r"(?<=\w)\s*×\s*(?=\w)")
"""The spaces around × between letters or numbers of a header (``H × W × C``), dropped when headers wrap."""

_SEGMENT = re.compile(r"[^_./ ]*(?:[_./ ]|$)")
"""The pieces a name wraps between (:func:`_wrap_name`): ``layer1.``, ``0.``, ``conv1``."""


def text_table(r: TextRenderer, t: Table, width: int) -> list[str]:
    """The table as lines of at most ``width`` characters: columns, or records when columns cannot fit.

    To fit, headers wrap at their spaces, shapes drop the spaces around × (``112×112×64``), columns close
    up to one space and the text columns (names) wrap; a table that still does not fit is written one
    record per row.
    """
    numeric = numeric_columns(t)
    cells = [[c if isinstance(c, str) else r.value(c) for c in row] for row in t.rows]
    heads = [str(h) for h in t.headers]
    fitted = _fit_columns(t, heads, cells, numeric, width)
    if fitted is None:
        return _records(heads, cells, width)
    widths, gap, cells = fitted
    lines: list[str] = []

    def emit(row: list[str], header: bool = False) -> None:
        wrapped = [
            textwrap.wrap(c, widths[j]) or [""] if header else _wrap_name(c, widths[j]) if not numeric[j] else [c]
            for j, c in enumerate(row)
        ]
        for k in range(max(len(w) for w in wrapped)):
            parts = []
            for j, w in enumerate(wrapped):
                piece = w[k] if k < len(w) else ""
                parts.append(piece.rjust(widths[j]) if numeric[j] else piece.ljust(widths[j]))
            lines.append((" " * gap).join(parts).rstrip())

    emit(heads, header=True)
    lines.append((" " * gap).join("-" * w for w in widths))
    for i, row in enumerate(cells):
        if i == len(cells) - t.total:
            lines.append((" " * gap).join("-" * w for w in widths))
        emit(row)
    return lines


def _fit_columns(
    t: Table, heads: list[str], cells: list[list[str]], numeric: list[bool], width: int
) -> tuple[list[int], int, list[list[str]]] | None:
    """(column widths, gap, cells) that fit ``width``, trying each narrowing in turn; None if none does."""
    n, gap = len(heads), 2

    def need(split_headers: bool) -> list[int]:
        out = []
        for j in range(n):
            head = max((len(w) for w in heads[j].split()), default=0) if split_headers else len(heads[j])
            out.append(max([head, *(len(row[j]) for row in cells)]))
        return out

    widths = need(False)
    if sum(widths) + gap * (n - 1) > width:
        # headers wrap at their spaces, a product of letters staying whole: Output / H×W×C, not Output H × / W × C
        heads[:] = [_PRODUCT.sub("×", h) for h in heads]
        widths = need(True)
    if sum(widths) + gap * (n - 1) > width:
        shapes = {j for j in range(n) if any(hasattr(row[j], "dims") for row in t.rows)}
        cells = [[c.replace(" × ", "×") if j in shapes else c for j, c in enumerate(row)] for row in cells]
        widths = need(True)
    text_cols = [j for j in range(n) if not numeric[j]]
    if sum(widths) + gap * (n - 1) > width:
        gap = 1  # one space between columns before a name wraps
    room = width - gap * (n - 1) - sum(w for j, w in enumerate(widths) if numeric[j])

    def cost(j: int, w: int) -> tuple[int, int]:
        """(cells of column j a width of w would break inside a word, cells it would wrap at all)."""
        inside = sum(any(len(piece) > w for piece in _SEGMENT.findall(row[j])) for row in cells)
        return inside, sum(len(row[j]) > w for row in cells)

    while text_cols and sum(widths[j] for j in text_cols) > room:
        # the column that gives a character breaks the fewest words (batchnor / m is worse than layer1.0. /
        # conv1), then wraps the fewest cells; among equals, the widest
        narrowable = [j for j in text_cols if widths[j] > 8]
        if not narrowable:
            break
        j = min(narrowable, key=lambda j: (*cost(j, widths[j] - 1), -widths[j]))
        widths[j] -= 1
    return (widths, gap, cells) if sum(widths) + gap * (n - 1) <= width else None


def _wrap_name(text: str, width: int) -> list[str]:
    """A name wrapped to ``width``, preferably after ``_``, ``.`` or ``/`` (``conv1/`` / ``relu``)."""
    if len(text) <= width:
        return [text]
    spaced = text.replace("_", "_ ").replace(".", ". ").replace("/", "/ ")
    lines = textwrap.wrap(spaced, width + 1, break_long_words=True) or [""]
    lines = [line.replace("_ ", "_").replace(". ", ".").replace("/ ", "/") for line in lines]
    return [piece for line in lines for piece in textwrap.wrap(line, width, break_long_words=True) or [""]]


def _records(heads: list[str], cells: list[list[str]], width: int) -> list[str]:
    """Each row as ``name (type): header value, …`` wrapped to the width (a table too wide for columns)."""
    lines: list[str] = []
    for row in cells:
        first = f"{row[0]} ({row[1]}):" if len(row) > 1 else f"{row[0]}:"
        rest = "; ".join(f"{h} {c}" for h, c in zip(heads[2:], row[2:]))
        lines += textwrap.wrap(first + " " + rest, width, subsequent_indent="    ", break_long_words=False) or [first]
    return lines
