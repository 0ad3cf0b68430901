"""Printers for display trees: LaTeX and plain text, keeping the written order and brackets.

SymPy's own printers sort the terms of a sum and drop the brackets of a product written inside
a product; worked solutions need both kept. These printers reuse SymPy's dispatch
(``_print_<Class>``) and override sums, products, powers and numbers with one shared set of
bracketing rules; only the tokens differ between LaTeX and text.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter


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
    """Bracketing rules shared by the LaTeX and text printers."""

    minus = "-"
    times = " \\times "
    dot = " \\cdot "
    mul_symbol = "times"

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
    """Print sums in the stored order (display trees); False: SymPy's usual order (closed forms)."""

    def _print_Add(self, expr: sympy.Add, order: Any = None) -> str:
        out = ""
        terms = expr.args if self.written else expr.as_ordered_terms()
        for i, term in enumerate(terms):
            negative, s = self._term(term)
            if i == 0:
                out = (self.minus + s) if negative else s
            else:
                out += f" {self.minus} {s}" if negative else f" + {s}"
        return out

    def _factor(self, e: sympy.Basic) -> str:
        s = self._print(e)
        if isinstance(e, (sympy.Add, sympy.Mul)) or _is_negative_number(e):
            return self.paren(s)
        if isinstance(e, sympy.Rational) and not e.is_Integer and self.paren_rationals:
            return self.paren(s)
        return s

    paren_rationals = False

    def _product(self, factors: list[sympy.Basic]) -> str:
        sign = self.dot if self.mul_symbol == "dot" else self.times
        out = ""
        for i, f in enumerate(factors):
            s = self._factor(f)
            if i == 0:
                out = s
            elif (
                _is_letter(f)
                and factors[i - 1].is_Number
                and factors[i - 1] != 1  # "1s" would hide the product
                and len(factors) == 2
                and i == 1
                and not _is_negative_number(factors[0])
                and self._juxtaposable(f)
            ):
                out += s
            else:
                out += sign + s
        return out

    def _juxtaposable(self, f: sympy.Basic) -> bool:
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

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return (self.minus + str(-expr.p)) if expr.p < 0 else str(expr.p)

    def _print_Float(self, expr: sympy.Float) -> str:
        # a float entry prints as Python writes it (2.55), not at SymPy's full precision (2.55000000000000)
        value = float(expr)
        return (self.minus + repr(-value)) if value < 0 else repr(value)


class DisplayLatexPrinter(_OrderedMixin, LatexPrinter):
    """LaTeX for display trees: ``7 + (4 - 1) \\times (1 \\times 2)``."""

    def __init__(self, mul_symbol: str = "times", written: bool = True) -> None:
        LatexPrinter.__init__(self, {"order": "none"})
        self.mul_symbol = mul_symbol
        self.written = written

    def paren(self, s: str) -> str:
        return f"\\left({s}\\right)"

    def frac(self, num: str, den: str, num_expr: sympy.Basic, den_expr: sympy.Basic) -> str:
        return f"\\frac{{{num}}}{{{den}}}"

    def power(self, base: str, exp: str) -> str:
        return f"{base}^{{{exp}}}"

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return self._print_Integer(sympy.Integer(expr.p))
        sign = "-" if expr.p < 0 else ""
        return f"{sign}\\frac{{{abs(expr.p)}}}{{{expr.q}}}"

    def _print_floor(self, expr: sympy.Basic, exp: Any = None) -> str:
        return f"\\left\\lfloor {self._print(expr.args[0])} \\right\\rfloor"

    def _print_ceiling(self, expr: sympy.Basic, exp: Any = None) -> str:
        return f"\\left\\lceil {self._print(expr.args[0])} \\right\\rceil"

    def _print_Maximum(self, expr: sympy.Basic, exp: Any = None) -> str:
        return "\\max\\left(" + ", ".join(self._print(a) for a in expr.args) + "\\right)"

    def _print_Minimum(self, expr: sympy.Basic, exp: Any = None) -> str:
        return "\\min\\left(" + ", ".join(self._print(a) for a in expr.args) + "\\right)"


class DisplayTextPrinter(_OrderedMixin, StrPrinter):
    """Plain text (Unicode) for terminals: ``7 + (4 − 1) × (1 × 2)``."""

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
        if isinstance(num_expr, (sympy.Add, sympy.Mul)) and not _is_negation(num_expr):
            num = self.paren(num)
        if isinstance(den_expr, (sympy.Add, sympy.Mul)) or (
            isinstance(den_expr, sympy.Rational) and not den_expr.is_Integer
        ):
            den = self.paren(den)
        return f"{num}/{den}"

    def power(self, base: str, exp: str) -> str:
        return f"{base}^{exp}"

    def _juxtaposable(self, f: sympy.Basic) -> bool:
        # 2p reads well in text, 100sigma does not
        base = f.base if isinstance(f, sympy.Pow) else f
        return len(self._print(base).split("_")[0]) == 1

    def _print_Rational(self, expr: sympy.Rational) -> str:
        if expr.q == 1:
            return self._print_Integer(sympy.Integer(expr.p))
        sign = self.minus if expr.p < 0 else ""
        return f"{sign}{abs(expr.p)}/{expr.q}"

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
        # RF_{3} → RF_3 and k_{h,1} → k_h,1; a compound subscript keeps brackets: RF_{n-1} → RF_(n-1)
        base, sep, sub = expr.name.partition("_")
        if sep and sub.startswith("{") and sub.endswith("}"):
            inner = sub[1:-1]
            sub = inner if all(c.isalnum() or c in ",'" for c in inner) else f"({inner})"
        return base + sep + sub

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


def latex(expr: Any, mul_symbol: str = "times", written: bool = True) -> str:
    """LaTeX of a display tree (``written=True``) or of an evaluated closed form (``written=False``)."""
    return DisplayLatexPrinter(mul_symbol, written).doprint(expr)


def text(expr: Any, mul_symbol: str = "times", written: bool = True) -> str:
    """Unicode text of a display tree (``written=True``) or of an evaluated closed form (``written=False``)."""
    return DisplayTextPrinter(mul_symbol, written).doprint(expr)
