"""Tables that fit: a network's per-layer table in LaTeX (booktabs, sized to the text width) and in text.

LaTeX: the smallest of ``\\small``, ``\\footnotesize`` and ``\\scriptsize`` (with narrower column
gaps) at which the table's estimated width fits the line; if none does, the widest columns become
paragraph columns that wrap (long layer names, closed forms). Text: columns are narrowed by
wrapping the text columns (names); if the table still does not fit, each row is written as a
wrapped record instead.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from symconv.render import layout
from symconv.solution.derivation import Table

if TYPE_CHECKING:
    from symconv.render.latex import LatexRenderer
    from symconv.render.text import TextRenderer

_SIZES = (("\\small", 10 / 11, 6.0), ("\\footnotesize", 9 / 11, 4.0), ("\\scriptsize", 7 / 11, 3.0))
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
    return len(s) * 5.3 * scale


def latex_table(r: LatexRenderer, t: Table) -> str:
    """A booktabs ``longtable`` (breaks across pages, header repeated) that fits the text width."""
    numeric = numeric_columns(t)
    cells = [[r.cell(c) for c in row] for row in t.rows]
    heads = [r.prose(h) for h in t.headers]

    def natural(j: int, scale: float) -> float:
        widths = [
            layout.width(c.strip("$"), scale) if c.startswith("$") else _text_width(c, scale)
            for c in [row[j] for row in cells]
        ]
        return max(widths + [_text_width(str(t.headers[j]), scale)])

    ncols = len(t.headers)
    for size, scale, sep in _SIZES:
        widths = [natural(j, scale) for j in range(ncols)]
        if sum(widths) + 2 * sep * (ncols - 1) <= layout.LINE_PT:
            spec = "".join("r" if n else "l" for n in numeric)
            break
    else:
        # still too wide at the smallest size: the widest columns wrap, in paragraph columns
        room = layout.LINE_PT - 2 * sep * (ncols - 1) - 2 * ncols
        share = room / ncols
        fixed = sum(w for w in widths if w <= share)
        wide = [j for j, w in enumerate(widths) if w > share]
        per = max((room - fixed) / max(len(wide), 1), 30.0)
        spec = "".join(
            (">{\\raggedleft\\arraybackslash}" if numeric[j] else ">{\\raggedright\\arraybackslash}")
            + f"p{{{per:.0f}pt}}"
            if j in wide
            else ("r" if numeric[j] else "l")
            for j in range(ncols)
        )
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


def text_table(r: TextRenderer, t: Table, width: int) -> list[str]:
    """The table as lines of at most ``width`` characters: columns, or records when columns cannot fit."""
    numeric = numeric_columns(t)
    cells = [[c if isinstance(c, str) else r.value(c) for c in row] for row in t.rows]
    heads = [str(h) for h in t.headers]
    gap = 2
    widths = [max(len(x) for x in [heads[j], *(row[j] for row in cells)]) for j in range(len(heads))]
    fixed = sum(w for j, w in enumerate(widths) if numeric[j]) + gap * (len(heads) - 1)
    text_cols = [j for j in range(len(heads)) if not numeric[j]]
    excess = sum(widths) + gap * (len(heads) - 1) - width
    if excess > 0 and text_cols:
        # narrow the text columns (names wrap onto further lines), never below 8 characters
        room = width - fixed
        for j in sorted(text_cols, key=lambda j: -widths[j]):
            others = sum(widths[k] for k in text_cols if k != j)
            widths[j] = max(8, min(widths[j], room - others))
    if sum(widths) + gap * (len(heads) - 1) > width or any(
        len(row[j]) > widths[j] for row in cells for j in range(len(heads)) if numeric[j]
    ):
        return _records(heads, cells, width)
    lines: list[str] = []

    def emit(row: list[str]) -> None:
        wrapped = [textwrap.wrap(c, widths[j], break_long_words=True) or [""] for j, c in enumerate(row)]
        for k in range(max(len(w) for w in wrapped)):
            parts = []
            for j, w in enumerate(wrapped):
                piece = w[k] if k < len(w) else ""
                parts.append(piece.rjust(widths[j]) if numeric[j] else piece.ljust(widths[j]))
            lines.append((" " * gap).join(parts).rstrip())

    emit(heads)
    lines.append((" " * gap).join("-" * w for w in widths))
    for i, row in enumerate(cells):
        if i == len(cells) - t.total:
            lines.append((" " * gap).join("-" * w for w in widths))
        emit(row)
    return lines


def _records(heads: list[str], cells: list[list[str]], width: int) -> list[str]:
    """Each row as ``name (type): header value, …`` wrapped to the width (a table too wide for columns)."""
    lines: list[str] = []
    for row in cells:
        first = f"{row[0]} ({row[1]}):" if len(row) > 1 else f"{row[0]}:"
        rest = "; ".join(f"{h} {c}" for h, c in zip(heads[2:], row[2:]))
        lines += textwrap.wrap(first + " " + rest, width, subsequent_indent="    ", break_long_words=False) or [first]
    return lines
