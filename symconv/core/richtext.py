"""Text with mathematics in it, as data: prose parts and formula parts that every renderer typesets.

Labels, notes and conventions mention symbols and formulas ("each filter has k_h × k_w × C_g
weights"). Writing them as plain strings would leave the formulas as ASCII in the LaTeX, HTML and
Markdown outputs; writing them as LaTeX would tie the problems to one renderer. A :class:`Rich`
string keeps both: it *is* the plain Unicode text (a ``str`` subclass, so JSON, reports and
comparisons see ordinary text) and carries the parts, prose and :class:`Math`, for renderers that
typeset.

A formula part is a SymPy expression (printed by :mod:`symconv.core.mathprint`) or a small,
restricted markup, parsed here into tokens; anything outside that markup is an error raised when the
text is built, so no string ever reaches a renderer unchecked. The markup (between ``$`` signs in
:func:`rich`):

* names: a run of letters (``k``, ``RF``, ``max``, ``σ``), optional primes, then subscripts
  ``_h``, ``_{n-1}``, ``_(n-1)`` (chained ``_in_h`` means ``_{in,h}``) and a superscript ``^2`` or
  ``²``. One letter is italic, several letters are upright (``RF``, ``C_in``), Greek names
  (``σ`` or ``sigma``) and ``max``/``min`` print as such. ``HW`` is one name: write ``H W``;
* numbers ``12``, ``0.5``;
* operators and brackets ``+ - − × · / = ≠ ≈ ≤ ≥ < > → , ; : | % ° ! ∈ ⊛ ( ) [ ] ⌊ ⌋ ⌈ ⌉ …``,
  ``Σ``/``∏`` (with limits as subscripts and superscripts);
* spaces, which separate names and are kept in plain text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

# -- tokens ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """A name with its primes, subscripts (each a token tuple) and superscript."""

    letters: str
    primes: int = 0
    subs: tuple[tuple[Any, ...], ...] = ()
    sup: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Num:
    digits: str


@dataclass(frozen=True)
class Op:
    """An operator, bracket or punctuation sign (its canonical character)."""

    char: str
    subs: tuple[tuple[Any, ...], ...] = ()  # limits of Σ and ∏
    sup: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Space:
    pass


Token = Name | Num | Op | Space

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}
"""Greek letter names (SymPy's spelling) and their characters."""

_GREEK_LATEX = {ch: "\\" + name for name, ch in GREEK.items()}
_GREEK_LATEX["ε"] = "\\varepsilon"
_FUNCTIONS = {"max", "min", "log", "exp", "sin", "cos", "gcd", "lcm", "det"}

_OPS_LATEX = {
    "+": "+",
    "−": "-",
    "×": "\\times",
    "·": "\\cdot",
    "/": "/",
    "=": "=",
    "≠": "\\neq",
    "≈": "\\approx",
    "≤": "\\leq",
    "≥": "\\geq",
    "<": "<",
    ">": ">",
    "→": "\\to",
    ",": ",",
    ";": ";",
    ":": "\\colon",
    "|": "\\mid",
    "%": "\\%",
    "°": "^{\\circ}",
    "!": "!",
    "∈": "\\in",
    "⊛": "\\circledast",
    "∗": "\\ast",
    "(": "(",
    ")": ")",
    "[": "[",
    "]": "]",
    "⌊": "\\lfloor",
    "⌋": "\\rfloor",
    "⌈": "\\lceil",
    "⌉": "\\rceil",
    "…": "\\dots",
    "Σ": "\\sum",
    "∏": "\\prod",
}
_ALIASES = {"-": "−", "*": "∗", "∑": "Σ", "≧": "≥", "≦": "≤"}
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FROM_SUPERSCRIPT = {v: k for k, v in zip("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")}
_LETTER = re.compile(r"[A-Za-zα-ωΑ-ΡΤ-Ω]")  # Σ (U+03A3) is the summation sign
_BRACKETS = {"{": "}", "(": ")"}


class MarkupError(ValueError):
    """A formula in a label, note or convention is not valid markup (a bug in symconv, not user input)."""


class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0

    def error(self, what: str) -> MarkupError:
        return MarkupError(f"{what} at position {self.i} of math markup {self.s!r}")

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def group(self) -> tuple[Token, ...]:
        """``{…}`` or ``(…)`` (brackets dropped) or a run of letters and digits, after ``_`` or ``^``."""
        ch = self.peek()
        if ch in _BRACKETS:
            close, depth, start = _BRACKETS[ch], 0, self.i
            while self.i < len(self.s):
                c = self.s[self.i]
                depth += c == ch
                depth -= c == close
                self.i += 1
                if depth == 0:
                    return parse(self.s[start + 1 : self.i - 1])
            raise self.error(f"unbalanced {ch!r}")
        m = re.compile(r"[A-Za-z0-9α-ωΑ-Ω]+").match(self.s, self.i)
        if not m:
            raise self.error("empty subscript or superscript")
        self.i = m.end()
        return parse(m.group())

    def scripts(self) -> tuple[tuple[tuple[Token, ...], ...], tuple[Token, ...] | None]:
        subs: list[tuple[Token, ...]] = []
        sup: tuple[Token, ...] | None = None
        while True:
            ch = self.peek()
            if ch == "_":
                self.i += 1
                subs.append(self.group())
            elif ch == "^" and sup is None:
                self.i += 1
                sup = self.group()
            elif ch in _FROM_SUPERSCRIPT and sup is None:
                digits = ""
                while self.peek() in _FROM_SUPERSCRIPT and self.peek():
                    digits += _FROM_SUPERSCRIPT[self.peek()]
                    self.i += 1
                sup = (Num(digits),)
            else:
                return tuple(subs), sup

    def tokens(self) -> tuple[Token, ...]:
        out: list[Token] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch.isspace():
                while self.peek().isspace() and self.peek():
                    self.i += 1
                if out and not isinstance(out[-1], Space):
                    out.append(Space())
                continue
            if _LETTER.match(ch):
                m = re.compile(r"[A-Za-z]+|[α-ωΑ-ΡΤ-Ω]").match(self.s, self.i)
                assert m is not None
                self.i = m.end()
                primes = 0
                while self.peek() == "'":
                    primes += 1
                    self.i += 1
                subs, sup = self.scripts()
                out.append(Name(m.group(), primes, subs, sup))
                continue
            if ch.isdigit():
                m = re.compile(r"\d+(\.\d+)?").match(self.s, self.i)
                assert m is not None
                self.i = m.end()
                out.append(Num(m.group()))
                continue
            if ch == "." and self.s.startswith("...", self.i):
                self.i += 3
                out.append(Op("…"))
                continue
            char = _ALIASES.get(ch, ch)
            if char in _OPS_LATEX:
                self.i += 1
                if char in "Σ∏":
                    subs, sup = self.scripts()
                    out.append(Op(char, subs, sup))
                else:
                    out.append(Op(char))
                continue
            raise self.error(f"unexpected character {ch!r}")
        while out and isinstance(out[-1], Space):
            out.pop()
        return tuple(out)


def parse(markup: str) -> tuple[Token, ...]:
    """The tokens of a math markup string; raises :class:`MarkupError` on anything outside the markup."""
    return _Parser(markup).tokens()


BREAK = "\x1f"
"""Marks a place where a long LaTeX formula may be broken onto the next line (before a + or −)."""

BREAK_MUL = "\x1e"
"""Marks a second-choice break, before the sign of a product (used only where a term itself is too long)."""


# -- control characters ---------------------------------------------------------------------------------


def is_control(ch: str) -> bool:
    """A control or format character: C0, DEL, C1, bidi overrides, zero-width marks (Unicode Cc and Cf).

    None of them prints; on a terminal an ESC or a C1 CSI starts a command, and in a TeX file DEL and
    C1 are invalid characters, so user text never carries them into any output raw.
    """
    return unicodedata.category(ch) in ("Cc", "Cf")


_SUSPECT = re.compile(r"[^\x20-\x7e]")
"""A character that may be a control or format one: anything but printable ASCII (checked one by one)."""


def printable(text: str, keep: str = "", escape: Any = None) -> str:
    """``text`` with every control and format character but those in ``keep`` written as an escape (``\\x1b``).

    ``escape`` writes one character (default: Python's ``\\x1b``, ``\\u202e``); a whole document is
    scanned at the speed of a regular expression, as only characters outside printable ASCII are looked at.
    """
    write = escape or (lambda ch: ch.encode("unicode_escape").decode("ascii"))
    return _SUSPECT.sub(
        lambda m: write(m.group()) if m.group() not in keep and is_control(m.group()) else m.group(), text
    )


# -- typesetting ---------------------------------------------------------------------------------------


def group_digits_latex(digits: str) -> str:
    """``14370048`` → ``14\\,370\\,048``: integers of five or more digits grouped by threes with thin spaces."""
    whole, dot, frac = digits.partition(".")
    if len(whole) >= 5:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join("\\," + whole[i : i + 3] for i in range(head, len(whole), 3))
    return whole + dot + frac


def group_digits_text(digits: str) -> str:
    """``14370048`` → ``14,370,048``: the same rule as in LaTeX, with commas."""
    whole, dot, frac = digits.partition(".")
    if len(whole) >= 5:  # grouped as text (an int of more than 4,300 digits would not format)
        sign = whole[0] if whole[0] in "+-" else ""
        body = whole[len(sign) :]
        head = len(body) % 3 or 3
        whole = sign + body[:head] + "".join("," + body[i : i + 3] for i in range(head, len(body), 3))
    return whole + dot + frac


def number_text(value: Any) -> str:
    """An exact number as :mod:`symconv.core.mathprint` writes it in text, without SymPy: ``−1,234,567``, ``−3/4``.

    Integers of five or more digits are grouped by threes; a fraction is written as typed, ``p/q``.
    """
    from fractions import Fraction

    from symconv.core.arith import digits

    if isinstance(value, Fraction) and value.denominator != 1:
        sign = "\u2212" if value < 0 else ""
        return f"{sign}{digits(abs(value.numerator))}/{digits(value.denominator)}"
    n = int(value)
    return ("\u2212" if n < 0 else "") + group_digits_text(digits(abs(n)))


def number_latex(value: Any) -> str:
    """An exact number as :mod:`symconv.core.mathprint` writes it in LaTeX, without SymPy: ``{-1\\,234}``, ``\\frac{3}{4}``.

    A negative number is one group (``{-5}``), so MathML reads its sign as unary.
    """
    from fractions import Fraction

    from symconv.core.arith import digits

    if isinstance(value, Fraction) and value.denominator != 1:
        body = f"\\frac{{{group_digits_latex(digits(abs(value.numerator)))}}}{{{group_digits_latex(digits(value.denominator))}}}"
    else:
        body = group_digits_latex(digits(abs(int(value))))
    return "{-" + body + "}" if value < 0 else body


def name_latex(letters: str, primes: int = 0, subs: Iterable[str] = (), sup: str | None = None) -> str:
    """A symbol in LaTeX: one letter italic, several upright (``\\mathrm{RF}``), Greek as such.

    ``subs`` are subscript parts already in LaTeX (joined by commas), ``sup`` the superscript.
    """
    if letters in GREEK:
        base = "\\" + letters if letters != "epsilon" else "\\varepsilon"
    elif letters in _GREEK_LATEX:
        base = _GREEK_LATEX[letters]
    elif letters in _FUNCTIONS:
        base = "\\" + letters
    elif len(letters) == 1:
        base = letters
    else:
        base = "\\mathrm{" + letters + "}"
    out = base + "'" * primes
    subs = list(subs)
    if subs:
        out += "_{" + ",".join(subs) + "}"
    if sup is not None:
        out += "^{" + sup + "}"
    return out


def latex(tokens: Iterable[Token]) -> str:
    """The tokens typeset as LaTeX math (no delimiters)."""
    out: list[str] = []
    for t in tokens:
        if isinstance(t, Space):
            continue
        if isinstance(t, Name):
            piece = name_latex(
                t.letters, t.primes, [latex(s) for s in t.subs], latex(t.sup) if t.sup is not None else None
            )
        elif isinstance(t, Num):
            piece = group_digits_latex(t.digits)
        else:
            piece = _OPS_LATEX[t.char]
            if t.subs:
                piece += "_{" + ",".join(latex(s) for s in t.subs) + "}"
            if t.sup is not None:
                piece += "^{" + latex(t.sup) + "}"
        out.append(piece)
    return _join(out)


def _join(pieces: list[str]) -> str:
    """Concatenate LaTeX pieces, with a space only where two would run together (``H W``, ``\\dots x``)."""
    out = ""
    for piece in pieces:
        if (
            out
            and piece[:1].isalnum()
            and re.search(r"(\\[A-Za-z]+|[A-Za-z0-9}'])$", out)
            or out
            and piece.startswith("\\")
            and re.search(r"\\[A-Za-z]+$", out) is None
            and out[-1:].isalnum()
        ):
            out += " "
        out += piece
    return out


def _simple(tokens: tuple[Token, ...]) -> bool:
    """A subscript written without brackets in plain text: letters, digits and commas only."""
    return all(
        (isinstance(t, Name) and not t.subs and t.sup is None)
        or isinstance(t, Num)
        or (isinstance(t, Op) and t.char == ",")
        for t in tokens
    )


def text(tokens: Iterable[Token]) -> str:
    """The tokens as plain Unicode text (``RF_(n−1)``, ``k²``, ``−``)."""
    out: list[str] = []
    for t in tokens:
        if isinstance(t, Space):
            out.append(" ")
        elif isinstance(t, Name):
            out.append(t.letters + "'" * t.primes + _scripts_text(t.subs, t.sup))
        elif isinstance(t, Num):
            out.append(t.digits)
        else:
            out.append(t.char + _scripts_text(t.subs, t.sup))
    return "".join(out)


def _scripts_text(subs: tuple[tuple[Token, ...], ...], sup: tuple[Token, ...] | None) -> str:
    out = ""
    if subs:
        inner = ",".join(text(s) for s in subs)
        out += "_" + (inner if all(_simple(s) for s in subs) else f"({inner})")
    if sup is not None:
        s = text(sup)
        out += s.translate(_SUPERSCRIPT_DIGITS) if s.isdigit() else f"^({s})" if len(s) > 1 else "^" + s
    return out


# -- symbol names ------------------------------------------------------------------------------------

_SYMBOL = re.compile(r"^([A-Za-z]+|[α-ωΑ-Ω])('*)(\d*)('*)(?:_(.+))?$")


def _split_subscripts(sub: str) -> list[str]:
    """``in_h`` → ``[in, h]``; ``{n-1}`` → ``[n-1]``; underscores inside braces stay."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(sub):
        depth += ch in "{("
        depth -= ch in "})"
        if ch == "_" and depth == 0:
            parts.append(sub[start:i])
            start = i + 1
    parts.append(sub[start:])
    return [p[1:-1] if p[:1] == "{" and p[-1:] == "}" else p for p in parts]


def symbol_name(name: str) -> Name | None:
    """A SymPy symbol's name as a markup :class:`Name` (``RF_{n-1}``, ``k_eff,h``, ``x11`` = x₁₁), or None.

    Trailing digits are a subscript, as in SymPy's own printers; chained subscripts
    (``RF_in_h``) are one subscript list.
    """
    m = _SYMBOL.match(name)
    if not m:
        return None
    letters, primes1, digits, primes2, sub = m.groups()
    subs: list[tuple[Token, ...]] = []
    try:
        if digits:
            subs.append((Num(digits),))
        if sub:
            subs.extend(parse(s) for s in _split_subscripts(sub))
    except MarkupError:
        return None
    if letters in GREEK:
        letters = GREEK[letters]
    return Name(letters, len(primes1) + len(primes2), tuple(subs))


def symbol_latex(name: str) -> str:
    """A SymPy symbol's name in LaTeX: ``RF_3`` → ``\\mathrm{RF}_{3}``, ``C_in`` → ``C_{\\mathrm{in}}``."""
    n = symbol_name(name)
    if n is None:  # not a name symconv writes: printed upright and escaped, never as TeX
        safe = "".join(ch if ch.isalnum() and ch.isascii() else "\\_" if ch == "_" else "" for ch in name)
        return "\\mathrm{" + (safe or "?") + "}"
    return latex((n,))


def symbol_text(name: str) -> str:
    """A SymPy symbol's name as plain text: ``RF_{n-1}`` → ``RF_(n−1)``, ``k_{h,1}`` → ``k_h,1``."""
    n = symbol_name(name)
    return name if n is None else text((n,))


# -- rich text -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Math:
    """A formula inside text: markup tokens, or a SymPy expression (``expr``) printed by each renderer."""

    tokens: tuple[Token, ...] = ()
    expr: Any = None

    def latex(self) -> str:
        if self.expr is not None:
            from symconv.core import mathprint

            return mathprint.latex(self.expr)
        return latex(self.tokens)

    def text(self) -> str:
        if self.expr is not None:
            from symconv.core import mathprint

            return mathprint.text(self.expr)
        return text(self.tokens)


Part = str | Math


class Rich(str):
    """Plain Unicode text (the ``str`` value) that also carries its prose and :class:`Math` parts.

    Concatenating with ``+`` keeps the parts (a plain ``str`` operand is prose); other ``str``
    operations return plain strings.
    """

    parts: tuple[Part, ...]

    def __new__(cls, parts: Iterable[Part]) -> Self:
        merged: list[Part] = []
        for p in parts:
            if isinstance(p, Rich):
                merged.extend(p.parts)
            elif isinstance(p, str):
                if p:
                    if merged and isinstance(merged[-1], str):
                        merged[-1] = merged[-1] + p
                    else:
                        merged.append(str(p))
            else:
                merged.append(p)
        obj = super().__new__(cls, "".join(p if isinstance(p, str) else p.text() for p in merged))
        obj.parts = tuple(merged)
        return obj

    def __add__(self, other: str) -> Rich:  # type: ignore[override]
        return Rich([self, other])

    def __radd__(self, other: str) -> Rich:
        return Rich([other, self])

    def __getnewargs__(self) -> tuple[Any, ...]:  # type: ignore[override]
        return (self.parts,)

    def __repr__(self) -> str:
        return f"Rich({str.__repr__(self)})"


def parts(t: str) -> tuple[Part, ...]:
    """The parts of any text: a plain ``str`` is one prose part."""
    return t.parts if isinstance(t, Rich) else ((str(t),) if t else ())


_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def rich(template: str, /, **values: Any) -> Rich:
    """Text from a template: ``$…$`` spans are math markup, ``{name}`` fields (in prose) are filled in.

    A field's value that is a plain ``str`` is inserted as prose, never parsed (user text such as a
    layer name stays text); a :class:`Rich` is spliced in; a SymPy expression becomes math; an
    ``int`` a number.
    """
    pieces = template.split("$")
    if len(pieces) % 2 == 0:
        raise MarkupError(f"unbalanced $ in {template!r}")
    out: list[Part] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(Math(parse(piece)))
            continue
        pos = 0
        for m in _FIELD.finditer(piece):
            out.append(piece[pos : m.start()])
            out.append(_field(values, m.group(1), template))
            pos = m.end()
        out.append(piece[pos:])
    unused = set(values) - set(_FIELD.findall("".join(pieces[::2])))
    if unused:
        raise MarkupError(f"fields {sorted(unused)} are not used in {template!r}")
    return Rich(out)


def _field(values: dict[str, Any], name: str, template: str) -> Part:
    if name not in values:
        raise MarkupError(f"no value for field {{{name}}} of {template!r}")
    v = values[name]
    if isinstance(v, (str, Math)):
        return v
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v).replace("-", "−")  # a count or index in prose ("layer 3") is text
    return Math(expr=v)


def count(n: Any, noun: str, plural: str = "", *, grouped: bool = False) -> str:
    """A count with its noun, singular for one: ``1 pixel``, ``2 pixels``, ``1 entry`` / ``3 entries`` (``plural``
    when the noun does not take an s); ``grouped`` writes thousands with commas (``1,024 values``). A symbolic
    count takes the plural and prints as SymPy writes it."""
    if isinstance(n, bool):
        raise TypeError("a count is a number, not a truth value")
    number = f"{n:,}" if grouped and isinstance(n, int) else str(n)
    return f"{number} {noun if n == 1 else (plural or noun + 's')}"


def math(expr: Any) -> Rich:
    """A SymPy expression as rich text (one formula part)."""
    return Rich([Math(expr=expr)])
