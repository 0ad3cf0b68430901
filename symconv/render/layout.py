"""Line breaking for displayed mathematics: estimated widths, and chains broken at = or at an operator.

A printed page is :data:`LINE_PT` points wide (A4, 2 cm margins, 11 pt type). :func:`width` estimates
the natural width of a LaTeX formula from the glyph widths of Latin Modern (a slight overestimate);
:func:`rows` packs an equation chain ``lhs = a = b = …`` into aligned rows that fit, breaking at the
equals signs first and inside a part at the :data:`~symconv.core.mathprint.BREAK` marks the printer
left before its operators. The LaTeX document also scales any display still wider than the line
(``\\symconvfit``), so an underestimate shrinks a line slightly instead of running off the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from symconv.core.richtext import BREAK, BREAK_MUL

NOTE = "\x1d"
"""Separates a display row's right cell from its note (see :class:`Rows`)."""

LINE_PT = 483.0
"""The text width of the document in points (A4 with 2 cm margins)."""

DISPLAY_PT = 440.0
"""The width a display is broken to: the line, less a margin for the estimate's error."""

_DIGIT, _LOWER, _UPPER, _UPRIGHT_LOWER = 5.5, 5.9, 8.6, 5.6
_BIN, _REL = 12.2, 13.9  # a binary operator or a relation with the spaces TeX puts around it
_COMMANDS = {
    "times": _BIN,
    "cdot": _BIN,
    "ast": _BIN,
    "circledast": _BIN,
    "pm": _BIN,
    "approx": _REL,
    "leq": _REL,
    "geq": _REL,
    "neq": _REL,
    "to": _REL,
    "in": _REL,
    "mid": _REL,
    "colon": 5.0,
    "lfloor": 4.5,
    "rfloor": 4.5,
    "lceil": 4.5,
    "rceil": 4.5,
    "dots": 14.0,
    "ldots": 14.0,
    "cdots": 14.0,
    "sum": 16.0,
    "prod": 16.0,
    "max": 19.0,
    "min": 18.0,
    "log": 16.0,
    "quad": 11.0,
    "qquad": 22.0,
    ",": 1.9,
    ";": 3.1,
    " ": 3.7,
    "!": -1.9,
    "%": 9.2,
    "{": 5.5,
    "}": 5.5,
    "_": 5.5,
    "&": 8.6,
    "left": 0.0,
    "right": 0.0,
    "displaystyle": 0.0,
    "nolimits": 0.0,
    "circ": 3.0,
}
_CONTROL = re.compile(r"\\([A-Za-z]+|.)")
"""A control word or control symbol."""

_NUMBER = re.compile(r"\d+(?:(?:\{,\}|\\,)\d+)*")
"""A number with its thousands separators (``{,}`` or a thin space ``\\,``): measured in one go, as an exact answer
may have thousands of digits."""

_SINGLE = {"+": _BIN, "-": _BIN, "=": _REL, "<": _REL, ">": _REL, ",": 4.5, ";": 4.5, ":": 4.5, "(": 4.3, ")": 4.3}
_SINGLE.update({"[": 3.1, "]": 3.1, "|": 3.1, "/": 5.5, "'": 3.0, ".": 3.1, "!": 3.1, "*": 5.5})


def _group(s: str, i: int) -> tuple[str, int]:
    """The brace group starting at ``s[i] == '{'``: (its content, the index after it)."""
    depth = 0
    for j in range(i, len(s)):
        depth += s[j] == "{"
        depth -= s[j] == "}"
        if depth == 0:
            return s[i + 1 : j], j + 1
    return s[i + 1 :], len(s)


def _argument(s: str, i: int) -> tuple[str, int]:
    """One argument: a brace group or a single character (or control word)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i < len(s) and s[i] == "{":
        return _group(s, i)
    if i < len(s) and s[i] == "\\":
        m = _CONTROL.match(s, i)
        assert m is not None
        return m.group(), m.end()
    return s[i : i + 1], i + 1


def width(latex: str, scale: float = 1.0) -> float:
    """Estimated natural width in points of a LaTeX formula at 11 pt (``scale`` for scripts, smaller type)."""
    s = latex.replace(BREAK, "").replace(BREAK_MUL, "").replace(NOTE, "\\qquad ")
    total, i = 0.0, 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            m = _CONTROL.match(s, i)
            assert m is not None
            name, i = m.group(1), m.end()
            if name == "frac":
                num, i = _argument(s, i)
                den, i = _argument(s, i)
                total += max(width(num, scale), width(den, scale)) + 2 * scale
            elif name in ("mathrm", "operatorname"):
                arg, i = _argument(s, i)
                total += sum(_UPRIGHT_LOWER if c.islower() else _UPPER if c.isupper() else _DIGIT for c in arg) * scale
            elif name == "text":
                arg, i = _argument(s, i)
                total += len(arg) * 5.3 * scale
            elif name == "boxed":
                arg, i = _argument(s, i)
                total += width(arg, scale) + 7.6 * scale
            elif name == "begin":
                env, i = _argument(s, i)
                end = s.find("\\end{" + env + "}", i)
                end = len(s) if end < 0 else end
                total += _environment(env, s[i:end], scale)
                i = end + len("\\end{" + env + "}")
            elif name == "end":
                _, i = _argument(s, i)
            elif name in _COMMANDS:
                total += _COMMANDS[name] * scale
            else:  # a Greek letter or another symbol
                total += 6.0 * scale
        elif ch in "^_":
            arg, i = _argument(s, i + 1)
            total += width(arg, scale * 0.72)
        elif ch == "{":
            arg, i = _group(s, i)
            total += width(arg, scale)
        elif ch == " " or ch == "}":
            i += 1
        elif ch.isdigit() and (m := _NUMBER.match(s, i)):
            text = m.group()
            commas, thin = text.count("{,}"), text.count("\\,")
            digits = len(text) - 3 * commas - 2 * thin
            total += (digits * _DIGIT + commas * _SINGLE[","] + thin * _COMMANDS[","]) * scale
            i = m.end()
        else:
            total += (
                _SINGLE.get(ch)
                or (_DIGIT if ch.isdigit() else _UPPER if ch.isupper() else _LOWER if ch.isalpha() else 6.0)
            ) * scale
            i += 1
    return total


def _environment(env: str, body: str, scale: float) -> float:
    """The width of a matrix (cells side by side, 5 pt of space each side of a column) or a stacked block."""
    rows = [r for r in re.split(r"\\\\", body) if r.strip()]
    if env.endswith("matrix") or env == "array":
        cells = [[width(c, scale) for c in r.split("&")] for r in rows]
        cols = max((len(r) for r in cells), default=0)
        col_widths = [max((r[j] for r in cells if j < len(r)), default=0.0) for j in range(cols)]
        return sum(col_widths) + 10 * scale * cols + (12 * scale if env.startswith(("p", "b", "v")) else 0)
    return max((width(r.replace("&", ""), scale) for r in rows), default=0.0)


@dataclass
class Rows:
    """A display as rows of (left, right) cells, aligned at the start of the right cell when there are several.

    A right cell may end in a note after :data:`NOTE` (a given value's description): the notes of the rows
    form a column of their own (``&&`` in ``aligned``, a third cell in MathML), so they line up.
    """

    rows: list[tuple[str, str]]

    @property
    def single(self) -> bool:
        return len(self.rows) == 1

    def one_line(self) -> str:
        left, right = self.rows[0]
        right = right.replace(NOTE, " \\qquad ")
        return (left + " " + right).strip() if left else right

    def aligned_lines(self) -> list[str]:
        """The rows as lines of an ``aligned`` block (``left &right``, a note in a column of its own)."""
        return [f"{left} &{right.replace(NOTE, ' && ')}" for left, right in self.rows]

    def widest(self) -> float:
        return max(width(left) + width(right) for left, right in self.rows)


def chunks(part: str) -> list[str]:
    """A printed part split at its break marks (each chunk after the first starts with its operator)."""
    return [c for c in part.split(BREAK) if c]


def strip(s: str) -> str:
    """LaTeX without break marks."""
    return s.replace(BREAK, "").replace(BREAK_MUL, "")


def fill(pieces: Sequence[str], first: float, rest: float) -> list[str]:
    """Greedy filling of pieces into lines of at most ``first`` (then ``rest``) points.

    A piece wider than a line is split further at its second-choice marks (the signs of a product).
    """
    split: list[str] = []
    for p in pieces:
        split += [c for c in p.split(BREAK_MUL) if c] if width(p) > rest else [p.replace(BREAK_MUL, "")]
    lines: list[str] = []
    line, used = "", 0.0
    for p in split:
        limit = first if not lines else rest
        w = width(p)  # widths add up: measured once per piece, not once per line prefix
        if line and used + w > limit:
            lines.append(line)
            line, used = p.lstrip(), w
        else:
            line, used = line + p, used + w
    if line:
        lines.append(line)
    return lines


def continuation(chunk: str) -> str:
    """A broken-off chunk at the start of a row: ``{}+ x`` so the operator keeps its binary spacing."""
    chunk = chunk.strip()
    return "\\quad {}" + chunk if chunk[:1] in "+-" or chunk.startswith(("\\times", "\\cdot")) else "\\quad " + chunk


def boxed(part: str, multiline: bool = True, limit: float = DISPLAY_PT * 0.8) -> str:
    """``\\boxed{part}``; a part too wide for one line is boxed as broken lines (``aligned`` inside the box)."""
    if not multiline or width(part) <= limit:
        return "\\boxed{" + strip(part) + "}"
    lines = fill(chunks(part), limit, limit - 11.0)
    body = " \\\\ ".join("&" + (line if i == 0 else continuation(line)) for i, line in enumerate(lines))
    return "\\boxed{\\begin{aligned}" + body + "\\end{aligned}}"


def equation_rows(lhs: str, parts: Sequence[str], seps: Sequence[str], limit: float = DISPLAY_PT) -> Rows:
    """``lhs = part …`` as rows: one row if it fits ``limit`` points, else one part per row, long parts broken.

    ``seps`` is the relation before each part (``=``, or ``''`` for a part that carries its own such as
    ``\\approx 94.69``).
    """
    rhs = "".join(f" {sep} {p}" if sep else f" {p}" for sep, p in zip(seps, parts)).strip()
    if width(lhs + " " + rhs) <= limit:
        return Rows([(lhs, strip(rhs))])
    indent = width(lhs) + 4.0
    room = max(limit - indent, limit / 2)
    out: list[tuple[str, str]] = []
    current = ""
    for sep, part in zip(seps, parts):
        piece = f"{sep} {part}" if sep else part
        if current and not sep and width(current + " " + piece) <= room:
            current += " " + piece  # a rounding (≈ …) stays beside the exact value
            continue
        if current:
            out.append(("", current))
        if width(piece) <= room:
            current = piece
            continue
        # a part wider than the line: break it at its operators, later lines indented by a quad
        lines = fill(chunks(piece), room, room - 11.0)
        if len(lines) == 1:  # nothing to break at: the part stands alone (scaled to the line if need be)
            current = lines[0]
            continue
        out += [("", lines[0])] + [("", continuation(line)) for line in lines[1:-1]]
        current = continuation(lines[-1])
    if current:
        out.append(("", current))
    rows = [(lhs if i == 0 else "", strip(right)) for i, (_, right) in enumerate(out)]
    return Rows(rows)
