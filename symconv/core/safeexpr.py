"""A restricted parser for arithmetic typed by users: names, numbers, + - * / ** and brackets only.

SymPy's ``sympify`` and ``parse_expr`` run Python code, so text from a file or a command line
never reaches them. Here the text is parsed with :func:`ast.parse` (which builds a syntax tree
and runs nothing) and the tree is rebuilt as SymPy node by node from an allow-list; anything
else (calls, attributes, subscripts, strings, lambdas) is an :class:`~symconv.errors.InputError`.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from typing import Any

from symconv.core.arith import ascii_only, is_symbol_name, parse_number, size_symbol
from symconv.errors import InputError

MAX_LENGTH = 500
"""Longest accepted expression, in characters (keeps the parser's recursion shallow)."""

MAX_EXPONENT = 64
"""Largest exponent accepted in ``a ** n``, so ``9 ** 9 ** 9`` cannot exhaust memory."""

MAX_DIGITS = 60
"""Longest number literal accepted."""

MAX_DECIMAL_EXPONENT = 30
"""Largest power of ten accepted in a literal such as ``2e3``."""


_EXPONENT = re.compile(r"[eE]([+-]?\d+)$", re.ASCII)


def number(text: str, field: str) -> Any:
    """An exact number from text (``"3"``, ``"-1/2"``, ``"0.25"``, ``"2e3"``) with size limits.

    Guards :func:`symconv.core.arith.parse_number` against text such as ``"1e999999999"`` whose exact
    value would take minutes and gigabytes to build.
    """
    t = text.strip()
    if len(t) > MAX_DIGITS:
        raise InputError(field, t[:40] + "…", "number too long")
    m = _EXPONENT.search(t)
    if m and abs(int(m.group(1))) > MAX_DECIMAL_EXPONENT:
        raise InputError(field, text, f"exponent beyond ±{MAX_DECIMAL_EXPONENT}")
    return parse_number(t, field)


def parse_expression(text: str, field: str) -> Any:
    """Parse ``text`` (e.g. ``"1 - P/L - P/(k**2*N)"``) into a SymPy expression.

    Names become positive-integer size symbols (:func:`symconv.core.arith.size_symbol`), the same
    objects the formulas use, so a parsed answer compares equal to a derived closed form.
    ``^`` is accepted as a power. Decimal numbers are read exactly.

    Raises:
        InputError: anything but names, numbers, + - * / ** (or ^) and brackets.
    """
    if not isinstance(text, str):
        raise InputError(field, text, "expected an expression as a string")
    if len(text) > MAX_LENGTH:
        raise InputError(field, text[:40] + "…", f"expression longer than {MAX_LENGTH} characters")
    ascii_only(text, field)
    if not text.isascii():  # Python reads "x３" as the name x3: names and numbers are ASCII
        bad = next(c for c in text if not c.isascii())
        raise InputError(field, text, f"the character {bad!r} (U+{ord(bad):04X}) is not allowed in an expression")
    source = text.strip().replace("^", "**")
    if not source:
        raise InputError(field, text, "empty expression")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise InputError(field, text, "not an arithmetic expression") from None
    return _Rebuild(field, text).visit(tree.body)


class _Rebuild:
    """Turns an allowed syntax tree into SymPy; every other node is rejected."""

    def __init__(self, field: str, text: str) -> None:
        self.field = field
        self.text = text
        self.depth = 0

    def fail(self, reason: str) -> InputError:
        return InputError(self.field, self.text, reason)

    def visit(self, node: ast.AST) -> Any:
        import sympy

        self.depth += 1
        if self.depth > 100:
            raise self.fail("expression nested too deeply")
        try:
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, (int, float))
                and not isinstance(node.value, bool)
            ):
                literal = ast.get_source_segment(self.text.strip().replace("^", "**"), node) or repr(node.value)
                if len(literal) > MAX_DIGITS:
                    raise self.fail("number too long")
                value = number(literal.replace("_", ""), self.field)
                if isinstance(value, Fraction):
                    return sympy.Rational(value.numerator, value.denominator)
                return sympy.Integer(value)
            if isinstance(node, ast.Name):
                if not is_symbol_name(node.id):
                    raise self.fail(f"{node.id!r} is not a valid symbol name")
                return size_symbol(node.id)
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
                operand = self.visit(node.operand)
                return -operand if isinstance(node.op, ast.USub) else operand
            if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
                left, right = self.visit(node.left), self.visit(node.right)
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Sub):
                    return left - right
                if isinstance(node.op, ast.Mult):
                    return left * right
                if isinstance(node.op, ast.Div):
                    if right == 0:
                        raise self.fail("division by zero")
                    return left / right
                if not (right.is_Integer and abs(int(right)) <= MAX_EXPONENT):
                    raise self.fail(f"exponents must be integers between -{MAX_EXPONENT} and {MAX_EXPONENT}")
                if left == 0 and right < 0:
                    raise self.fail("division by zero")
                if left.is_Rational and max(abs(left.p), left.q).bit_length() * abs(int(right)) > 20000:
                    raise self.fail("number too large")
                return left**right
            raise self.fail("only names, numbers, + - * / ** and brackets are allowed")
        finally:
            self.depth -= 1
