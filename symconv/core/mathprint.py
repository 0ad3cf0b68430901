r"""Printers for display trees: LaTeX and plain text, keeping the written order and brackets.

SymPy's own printers sort the terms of a sum and drop the brackets of a product written inside
a product; worked solutions need both kept. These printers reuse SymPy's dispatch
(``_print_<Class>``) and override sums, products, powers and numbers with one shared set of
rules; only the tokens differ between LaTeX and text:

* products of symbols are written by juxtaposition (``HWk^2LN``, ``2p``, ``d(k - 1)``); the sign
  stays between numbers (``18 \times 18``) and before a number or a fraction;
* integers of five or more digits are grouped by threes (``14\,370\,048``, ``14,370,048``), the
  operands of a chain like its result;
* multi-letter names are upright (``\mathrm{RF}_{3}``, ``C_{\mathrm{in}}``), see
  :mod:`symconv.core.richtext`;
* evaluated closed forms (``written=False``) are first put in written order by
  :func:`symconv.core.closedform.as_display`.

With ``breaks=True`` the LaTeX carries :data:`BREAK` before each operator where a line may be
broken (outside ``\left … \right`` groups and fractions), for the renderers' line breaking; with
``sized=True`` as well, brackets around fractions are ``\biggl( … \biggr)`` instead of ``\left …
\right`` groups, so a line may break inside them too (pdflatex documents; MathJax and MathML
converters get ``\left … \right``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from symconv.core.arith import digits
from symconv.core.richtext import BREAK, BREAK_MUL, group_digits_latex, group_digits_text, symbol_latex, symbol_text

_TALL = ("\\frac", "\\sum", "\\prod", "\\begin", "\\left", "\\boxed")


def _is_negative_number(e: sympy.Basic) -> bool:
    return bool(e.is_Number and e < 0)


def _is_negation(e: sympy.Basic) -> bool:
    """``Mul(-1, x, …)``: how a subtraction is stored."""
    return isinstance(e, sympy.Mul) and len(e.args) >= 2 and e.args[0] == -1


def _is_reciprocal(e: sympy.Basic) -> bool:
    return isinstance(e, sympy.Pow) and e.exp.is_Number and e.exp < 0


def _is_letter(e: sympy.Basic) -> bool:
    """Factors a numeric coefficient may be written against without a sign (``2p``, ``2k^2``)."""
    if isinstance(e, (sympy.Symbol, sympy.Indexed)):
        return True
    return isinstance(e, sympy.Pow) and isinstance(e.base, (sympy.Symbol, sympy.Indexed)) and not _is_reciprocal(e)


class _OrderedMixin:
    """Bracketing and juxtaposition rules shared by the LaTeX and text printers."""

    minus = "-"
    times = " \\times "
    dot = " \\cdot "
    mul_symbol = "times"
    brk = ""  # BREAK when the LaTeX may be broken into lines
    brk_mul = ""  # BREAK_MUL likewise, inside products

    _print: Any  # provided by SymPy's Printer, which the concrete printers also inherit

    def paren(self, s: str) -> str:
        raise NotImplementedError

    def frac(self, num: str, den: str, num_expr: sympy.Basic, den_expr: sympy.Basic) -> str:
        raise NotImplementedError

    def _term(self, e: sympy.Basic) -> tuple[bool, str]:
        """(is subtracted, printed magnitude) of a term of a sum."""
        if _is_negative_number(e):
            return True, self._print(-e)
        if _is_negation(e):
            rest = e.args[1:]
            inner = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
            s = self._print(inner)
            if isinstance(inner, sympy.Add) or _is_negative_number(inner) or _is_negation(inner):
                s = self.paren(s)
            return True, s
        if (
            isinstance(e, sympy.Mul)
            and e.args
            and _is_negative_number(e.args[0])
            and not all(a.is_Number for a in e.args)
        ):
            # an evaluated closed form such as -3*x: written "− 3x", not "+ (−3)x"
            rest = sympy.Mul(-e.args[0], *e.args[1:], evaluate=False)
            return True, self._print(rest)
        s = self._print(e)
        if isinstance(e, sympy.Add):
            s = self.paren(s)
        return False, s

    written = True
    """Print display trees as stored; False: an evaluated closed form, put in written order first."""

    def _print_Add(self, expr: sympy.Add, order: Any = None) -> str:
        out = ""
        for i, term in enumerate(expr.args):
            negative, s = self._term(term)
            if i == 0:
                out = self.sign(s, bool(term.is_Number)) if negative else s
            else:
                out += f"{self.brk} {self.minus} {s}" if negative else f"{self.brk} + {s}"
        return out

    def sign(self, magnitude: str, number: bool) -> str:
        """A leading minus sign: in LaTeX a negative number is one group, so MathML reads the sign as unary."""
        return self.minus + magnitude

    def _factor(self, e: sympy.Basic) -> str:
        s = self._print(e)
        if isinstance(e, (sympy.Add, sympy.Mul)) or _is_negative_number(e):
            return self.paren(s)
        if isinstance(e, sympy.Rational) and not e.is_Integer and self.paren_rationals:
            return self.paren(s)
        return s

    paren_rationals = False

    def _numeric(self, e: sympy.Basic) -> bool:
        """A number as the reader sees it (``3``, ``1/2``, ``(−1)``): the sign stays beside it."""
        return bool(e.is_Number) or (
            isinstance(e, sympy.Mul) and len(e.args) == 2 and e.args[0] == -1 and bool(e.args[1].is_Number)
        )

    def _juxtapose(self, a: sympy.Basic, b: sympy.Basic, b_printed: str) -> bool:
        """Whether ``a b`` is written without a sign: never before a number, a fraction or a minus sign."""
        if self._numeric(b) or b_printed[:1].isdigit() or b_printed.startswith(self.minus):
            return False
        if a == b:
            return False  # k × k, not kk
        if not getattr(a, "free_symbols", None) and not getattr(b, "free_symbols", None):
            return False  # numbers in brackets keep their sign: (4 − 1) × (1 × 2)
        if _is_reciprocal(a) or _is_reciprocal(b) or (a.is_Rational and not a.is_Integer):
            return False
        if a.is_Number and (a == 1 or a < 0):  # "1s" would hide the product
            return False
        if self.mul_symbol == "dot" and not a.is_Number:
            return False  # a written dot product keeps its dots (x · y)
        return self._juxtaposable(a, b, b_printed)

    long_product = 6
    """A product of more factors than this keeps its signs (a line may break between them)."""

    def _product(self, factors: list[sympy.Basic]) -> str:
        sign = self.dot if self.mul_symbol == "dot" else self.times
        printed = [self._factor(f) for f in factors]
        # one style per product: juxtaposed only when every junction can be (k × k × C_in, not k × kC_in)
        juxtaposed = len(factors) <= self.long_product and all(
            self._juxtapose(factors[i - 1], factors[i], printed[i]) for i in range(1, len(factors))
        )
        out = printed[0]
        for s in printed[1:]:
            out += self.space(out, s) + s if juxtaposed else self.brk_mul + sign + s
        return out

    def space(self, before: str, after: str) -> str:
        return ""

    def _juxtaposable(self, a: sympy.Basic, b: sympy.Basic, b_printed: str) -> bool:
        return True

    def _print_Mul(self, expr: sympy.Mul) -> str:
        args = list(expr.args)
        if _is_negation(expr):
            rest = args[1:]
            inner = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
            s = self._print(inner)
            if isinstance(inner, sympy.Add) or _is_negative_number(inner):
                s = self.paren(s)
            return self.minus + s
        num = [a for a in args if not _is_reciprocal(a)]
        den = [sympy.Pow(a.base, -a.exp, evaluate=False) if a.exp != -1 else a.base for a in args if _is_reciprocal(a)]
        coeff = num[0] if num else None
        if (
            coeff is not None
            and coeff.is_Rational
            and not coeff.is_Integer
            and coeff > 0
            and len(num) > 1
            and not all(a.is_Number for a in num)
        ):
            # a closed form's coefficient: (1/2)·i reads i/2, (3/4)·k reads 3k/4; a written product of
            # numbers such as (1/2) · 3 (a kernel entry times an input) keeps its factors
            num = ([sympy.Integer(coeff.p)] if coeff.p != 1 else []) + num[1:]
            den = [sympy.Integer(coeff.q)] + den
        if not den:
            return self._product(num)
        num_expr = num[0] if len(num) == 1 else sympy.Mul(*num, evaluate=False) if num else sympy.Integer(1)
        den_expr = den[0] if len(den) == 1 else sympy.Mul(*den, evaluate=False)
        num_s = self._product(num) if len(num) > 1 else self._print(num[0]) if num else "1"
        den_s = self._product(den) if len(den) > 1 else self._print(den[0])
        return self.frac(num_s, den_s, num_expr, den_expr)

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        if _is_reciprocal(expr):
            den = expr.base if expr.exp == -1 else sympy.Pow(expr.base, -expr.exp, evaluate=False)
            return self.frac("1", self._print(den), sympy.Integer(1), den)
        base = self._print(expr.base)
        if (
            isinstance(expr.base, (sympy.Add, sympy.Mul, sympy.Pow))
            or _is_negative_number(expr.base)
            or (isinstance(expr.base, sympy.Rational) and not expr.base.is_Integer)
        ):
            base = self.paren(base)
        return self.power(base, self._print(expr.exp))

    def power(self, base: str, exp: str) -> str:
        raise NotImplementedError

    def group(self, digits: str) -> str:
        raise NotImplementedError

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return (self.minus + self.group(digits(-expr.p))) if expr.p < 0 else self.group(digits(expr.p))

    def _print_Float(self, expr: sympy.Float) -> str:
        # a float entry prints as Python writes it (2.55), not at SymPy's full precision (2.55000000000000)
        value = float(expr)
        return (self.minus + repr(-value)) if value < 0 else repr(value)

    def doprint(self, expr: Any) -> str:
        if not self.written:
            from symconv.core.closedform import as_display

            expr = as_display(expr)
        out = str(super().doprint(expr))  # type: ignore[misc]
        if isinstance(expr, sympy.Basic) and expr.is_Number and out.startswith(self.minus):
            return self.sign(out[len(self.minus) :], True)
        return out


def _strip(s: str) -> str:
    return s.replace(BREAK, "").replace(BREAK_MUL, "")


class DisplayLatexPrinter(_OrderedMixin, LatexPrinter):
    """LaTeX for display trees: ``7 + (4 - 1) \\times (1 \\times 2)``."""

    def __init__(
        self, mul_symbol: str = "times", written: bool = True, breaks: bool = False, sized: bool = False
    ) -> None:
        LatexPrinter.__init__(self, {"order": "none"})
        self.mul_symbol = mul_symbol
        self.written = written
        self.brk = BREAK if breaks else ""
        self.brk_mul = BREAK_MUL if breaks else ""
        self.sized = sized and breaks

    def paren(self, s: str) -> str:
        # flat content takes ordinary brackets, which a line may break between; tall content \left…\right
        if s.startswith("-") and BREAK not in s and BREAK_MUL not in s:
            s = "{" + s + "}"  # a sign, not a subtraction (MathML spacing: (−2), not ( − 2))
        return self._delimited("(", ")", s)

    def frac(self, num: str, den: str, num_expr: sympy.Basic, den_expr: sympy.Basic) -> str:
        return f"\\frac{{{_strip(num)}}}{{{_strip(den)}}}"

    def power(self, base: str, exp: str) -> str:
        return f"{_strip(base)}^{{{_strip(exp)}}}"

    def group(self, digits: str) -> str:
        return group_digits_latex(digits)

    def sign(self, magnitude: str, number: bool) -> str:
        return "{-" + magnitude + "}" if number else "-" + magnitude

    def space(self, before: str, after: str) -> str:
        # two letters or a control word and a letter would run together in the source
        if after[:1].isalpha() and (before[-1:].isalnum() or before[-1:] in "}'"):
            return " "
        if after.startswith("\\") and before[-1:].isalnum():
            return " "
        return ""

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        return symbol_latex(expr.name)

    def _print_Indexed(self, expr: sympy.Indexed) -> str:
        return symbol_latex(expr.base.label.name) + "_{" + ",".join(_strip(self._print(i)) for i in expr.indices) + "}"

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return self._print_Integer(sympy.Integer(expr.p))
        sign = "-" if expr.p < 0 else ""
        return f"{sign}\\frac{{{self.group(digits(abs(expr.p)))}}}{{{self.group(digits(expr.q))}}}"

    def _delimited(self, left: str, right: str, inner: str) -> str:
        """Brackets around ``inner``: plain when it is flat, sized to it when it holds a fraction or a matrix."""
        if any(t in inner for t in _TALL):
            fractions_only = not any(t in inner for t in _TALL if t != "\\frac")
            if self.sized and fractions_only:  # \biggl … \biggr: not a group, a line may break inside
                return f"\\biggl{left} {inner} \\biggr{right}"
            return f"\\left{left} {_strip(inner)} \\right{right}"
        return f"{left} {inner} {right}" if left.startswith("\\") else f"{left}{inner}{right}"

    def _print_floor(self, expr: sympy.Basic, exp: Any = None) -> str:
        return self._delimited("\\lfloor", "\\rfloor", self._print(expr.args[0]))

    def _print_ceiling(self, expr: sympy.Basic, exp: Any = None) -> str:
        return self._delimited("\\lceil", "\\rceil", self._print(expr.args[0]))

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        # always ∂: the quantities are functions of several parameters, even where the display has one symbol
        body = self._print(expr.expr)
        if isinstance(expr.expr, (sympy.Add, sympy.Mul)):
            body = self.paren(body)
        wrt = " ".join(f"\\partial {self._print(v)}" + (f"^{{{n}}}" if n > 1 else "") for v, n in expr.variable_count)
        order = sum(n for _, n in expr.variable_count)
        top = "\\partial" + (f"^{{{order}}}" if order > 1 else "")
        return f"\\frac{{{top}}}{{{wrt}}} {body}"

    def _print_Maximum(self, expr: sympy.Basic, exp: Any = None) -> str:
        return "\\max" + self._delimited("(", ")", ", ".join(self._print(a) for a in expr.args))

    def _print_Minimum(self, expr: sympy.Basic, exp: Any = None) -> str:
        return "\\min" + self._delimited("(", ")", ", ".join(self._print(a) for a in expr.args))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _spaced(s: str) -> bool:
    """Whether printed text has a space outside its brackets (a sign between factors or terms): ``k × C`` but
    not ``P(L + k²N)``."""
    depth = 0
    for ch in s:
        if ch in "(⌊⌈[{":
            depth += 1
        elif ch in ")⌋⌉]}":
            depth -= 1
        elif ch == " " and depth == 0:
            return True
    return False


class DisplayTextPrinter(_OrderedMixin, StrPrinter):
    """Plain text (Unicode) for terminals: ``7 + (4 − 1) × (1 × 2)``, ``HWk²LN``."""

    printmethod = "_symconv_text"  # bypass Indexed._sympystr and friends: our rules apply to every node
    minus = "\u2212"
    times = " \u00d7 "
    dot = " \u00b7 "
    paren_rationals = True

    def __init__(self, mul_symbol: str = "times", written: bool = True) -> None:
        StrPrinter.__init__(self, {"order": "none"})
        self.mul_symbol = mul_symbol
        self.written = written

    def paren(self, s: str) -> str:
        return f"({s})"

    def frac(self, num: str, den: str, num_expr: sympy.Basic, den_expr: sympy.Basic) -> str:
        # an integer over or under the bar is written as typed, as a fraction's are (1301P/294000, 292699/294000)
        if isinstance(num_expr, sympy.Integer):
            num = self.sign(digits(abs(num_expr.p)), True) if num_expr.p < 0 else digits(num_expr.p)
        if isinstance(den_expr, sympy.Integer) and den_expr.p > 0:
            den = digits(den_expr.p)
        # a juxtaposed numerator (100P/L, P(L + k²N)/…) needs no brackets; one with a sign outside brackets does
        if isinstance(num_expr, (sympy.Add, sympy.Mul)) and not _is_negation(num_expr) and _spaced(num):
            num = self.paren(num)
        if isinstance(den_expr, (sympy.Add, sympy.Mul)) or (
            isinstance(den_expr, sympy.Rational) and not den_expr.is_Integer
        ):
            den = self.paren(den)
        return f"{num}/{den}"

    def power(self, base: str, exp: str) -> str:
        if exp.isdigit():
            return base + exp.translate(_SUPERSCRIPTS)
        return f"{base}^{exp}" if len(exp) == 1 else f"{base}^({exp})"

    def group(self, digits: str) -> str:
        return group_digits_text(digits)

    _LETTER = re.compile(r"^[A-Za-zα-ωΑ-Ω]'*[⁰¹²³⁴⁵⁶⁷⁸⁹]*$")

    def _juxtaposable(self, a: sympy.Basic, b: sympy.Basic, b_printed: str) -> bool:
        # HWk²LN, 2p and (H − k + 1)(W − k + 1) read well in text; k_hk_w and 100sigma do not
        a_printed = self._factor(a)
        b_ok = bool(self._LETTER.match(b_printed)) or b_printed[:1] in "(⌊⌈"
        if a.is_Number:
            return b_ok or bool(re.match(r"^[A-Za-zα-ωΑ-Ω](_|$)", b_printed))
        if isinstance(a, sympy.Add) and isinstance(b, sympy.Add):
            return True  # two sums in brackets side by side; (k_3 − 1) × (s_1 × s_2) keeps its sign in text
        return bool(self._LETTER.match(a_printed)) and b_ok

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return self._print_Integer(sympy.Integer(expr.p))
        sign = self.minus if expr.p < 0 else ""
        return f"{sign}{digits(abs(expr.p))}/{digits(expr.q)}"  # a fraction as typed (commas would read as separators)

    def _print_floor(self, expr: sympy.Basic) -> str:
        return f"\u230a{self._print(expr.args[0])}\u230b"

    def _print_ceiling(self, expr: sympy.Basic) -> str:
        return f"\u2308{self._print(expr.args[0])}\u2309"

    def _print_Maximum(self, expr: sympy.Basic) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Piecewise(self, expr: sympy.Piecewise) -> str:
        parts = []
        for value, cond in expr.args:
            parts.append(self._print(value) + ("" if cond is sympy.true else " if " + self._print(cond)))
        return "{" + "; otherwise ".join(parts) + "}"

    def _print_Relational(self, expr: sympy.Basic) -> str:
        signs = {">=": "\u2265", "<=": "\u2264", ">": ">", "<": "<", "==": "=", "!=": "\u2260"}
        return f"{self._print(expr.lhs)} {signs.get(expr.rel_op, expr.rel_op)} {self._print(expr.rhs)}"

    def _print_Minimum(self, expr: sympy.Basic) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Symbol(self, expr: sympy.Symbol) -> str:
        # RF_{3} → RF_3 and k_{h,1} → k_h,1; a compound subscript keeps brackets: RF_{n-1} → RF_(n−1)
        return symbol_text(expr.name)

    def _print_Indexed(self, expr: sympy.Indexed) -> str:
        return self._print(expr.base.label) + "_" + ",".join(self._print(i) for i in expr.indices)

    def _limits(self, sign: str, expr: sympy.Basic) -> str:
        body = self._print(expr.function)
        if isinstance(expr.function, (sympy.Add, sympy.Mul)):
            body = self.paren(body)
        (var, lo, hi) = expr.limits[0]
        return f"{sign}_({self._print(var)}={self._print(lo)}..{self._print(hi)}) {body}"

    def _print_Sum(self, expr: sympy.Sum) -> str:
        return self._limits("\u2211", expr)

    def _print_Derivative(self, expr: sympy.Derivative) -> str:
        body = self._print(expr.expr)
        if isinstance(expr.expr, (sympy.Add, sympy.Mul)):
            body = self.paren(body)
        return "".join(f"\u2202/\u2202{self._print(v)} " for v, n in expr.variable_count for _ in range(n)) + body

    # sets, for the solutions of an (in)equality: (35/18, 35/17], {7, 8}, ∅, [2, ∞)
    def _print_Interval(self, expr: sympy.Interval) -> str:
        left = "(" if expr.left_open else "["
        right = ")" if expr.right_open else "]"
        return f"{left}{self._print(expr.start)}, {self._print(expr.end)}{right}"

    def _print_FiniteSet(self, expr: sympy.FiniteSet) -> str:
        return "{" + ", ".join(self._print(a) for a in sorted(expr.args, key=sympy.default_sort_key)) + "}"

    def _print_EmptySet(self, expr: sympy.Basic) -> str:
        return "\u2205"

    def _print_Range(self, expr: sympy.Range) -> str:
        if expr.size is not sympy.oo and len(expr) <= 4:
            return "{" + ", ".join(self._print(a) for a in expr) + "}"
        last = self._print(expr.sup) if expr.sup is not sympy.oo else ""
        return (
            "{"
            + f"{self._print(expr.inf)}, {self._print(expr.inf + expr.step)}, \u2026"
            + (f", {last}" if last else "")
            + "}"
        )

    def _print_Union(self, expr: sympy.Union) -> str:
        return " \u222a ".join(self._print(a) for a in expr.args)

    def _print_Infinity(self, expr: sympy.Basic) -> str:
        return "\u221e"

    def _print_NegativeInfinity(self, expr: sympy.Basic) -> str:
        return self.minus + "\u221e"

    def _print_Product(self, expr: sympy.Product) -> str:
        return self._limits("\u220f", expr)


def latex(expr: Any, mul_symbol: str = "times", written: bool = True, breaks: bool = False, sized: bool = False) -> str:
    """LaTeX of a display tree (``written=True``) or of an evaluated closed form (``written=False``).

    ``breaks=True`` keeps the :data:`BREAK` marks where a long formula may be broken; ``sized=True``
    also makes brackets around fractions breakable (see the module docstring).
    """
    if _large(expr):
        return _latex_remembered(expr, mul_symbol, written, breaks, sized)
    return DisplayLatexPrinter(mul_symbol, written, breaks, sized).doprint(expr)


def text(expr: Any, mul_symbol: str = "times", written: bool = True) -> str:
    """Unicode text of a display tree (``written=True``) or of an evaluated closed form (``written=False``)."""
    if _large(expr):
        return _text_remembered(expr, mul_symbol, written)
    return DisplayTextPrinter(mul_symbol, written).doprint(expr)


def _large(expr: Any) -> bool:
    """A closed form of many terms: printed once and remembered, as a renderer may write it several times (a matrix
    entry is measured, then written; a symbolic convolution's output sums hundreds of products)."""
    return isinstance(expr, sympy.Add) and len(expr.args) > 16


@lru_cache(maxsize=1024)
def _latex_remembered(expr: sympy.Basic, mul_symbol: str, written: bool, breaks: bool, sized: bool) -> str:
    return DisplayLatexPrinter(mul_symbol, written, breaks, sized).doprint(expr)


@lru_cache(maxsize=1024)
def _text_remembered(expr: sympy.Basic, mul_symbol: str, written: bool) -> str:
    return DisplayTextPrinter(mul_symbol, written).doprint(expr)
