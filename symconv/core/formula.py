"""One formula, four views: exact numbers, a SymPy closed form, the written display form, latexify's definition.

A formula is an ordinary Python function whose body is a single ``return`` of arithmetic
(``+ - * / // **``), the helpers ``floor``, ``ceil``, ``max``, ``min``, and calls of other
formulas' functions (so a formula built on another states it once: the receptive-field step is
the previous field plus the growth, ``r + receptive_field_growth(k, j)``). From that one
definition:

* ``formula(*numbers)`` evaluates it on exact ``Fraction`` arguments, so ``/`` is exact and no
  SymPy is imported (the fast numeric path);
* ``formula.expr(...)`` builds the evaluated SymPy expression (for closed forms, solving, plotting);
* ``formula.display(...)`` builds an *unevaluated* SymPy tree in the written order, with the
  brackets the author wrote, which the stepper substitutes and evaluates one level at a time;
* ``formula.definition_latex()`` is latexify-py's rendering of the Python definition itself.

The last three read the function's AST (the same source latexify reads), which is why the
display keeps the author's order: ``a * (b * c)`` stays a product inside a product, while the
left-nested chain ``a * b * c`` becomes one flat product. A call of another formula is written
out in place (its display, or its expression); a sum or product it returns joins the caller's
sum or product as the reader would write it.
"""

from __future__ import annotations

import ast
import dis
import inspect
import math
import operator
import textwrap
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

from symconv.core.arith import Exact, normalize

if TYPE_CHECKING:
    import sympy

# Names a formula body may call; the numeric path uses them directly (they are exact on Fraction).
floor = math.floor
ceil = math.ceil


_BY_FUNCTION: dict[Callable[..., Any], Formula] = {}
"""Every formula by its defining function: how a formula body's call of another formula is resolved."""


class FormulaError(Exception):
    """A formula's source uses a construct the display builder does not support (a bug in symconv)."""


class Formula:
    """A named formula defined by a Python function; see the module docstring for the views.

    Args:
        fn: the defining function (one ``return`` statement).
        name: identifier used in docs, JSON and the ``formula`` command.
        lhs: the quantity's symbol name, e.g. ``"RF_n"``.
        description: one sentence, with units and conventions.
        symbols: display symbol name per parameter (default: the parameter name).
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        name: str,
        lhs: str,
        description: str,
        symbols: Mapping[str, str] | None = None,
    ) -> None:
        self.fn = fn
        self.name = name
        self.lhs = lhs
        self.description = description
        self.params: tuple[str, ...] = tuple(inspect.signature(fn).parameters)
        self.symbols: dict[str, str] = {p: p for p in self.params}
        if symbols:
            unknown = set(symbols) - set(self.params)
            if unknown:
                raise FormulaError(f"{name}: symbols for unknown parameters {sorted(unknown)}")
            self.symbols.update(symbols)
        _BY_FUNCTION[fn] = self

    def __repr__(self) -> str:
        return f"Formula({self.name}: {self.lhs} = f({', '.join(self.params)}))"

    # -- numeric view -------------------------------------------------------------------------
    def __call__(self, *args: Exact, **kwargs: Exact) -> Exact:
        """Exact numeric value.

        Formulas with a true division (``/``, hence ``ceil(a / b)``, here or in a formula they call)
        get their arguments lifted to ``Fraction`` so the division is exact; the others run on the
        integers directly, which is several times faster (``+ - * // max min`` are exact on ``int``).
        Neither reads the formula's source: the numeric path stays cheap in a new process.
        """
        # (type checks, not isinstance: Fraction is an ABC, and this is the hot path of every numeric answer)
        if self._integer_only:  # exact on int and Fraction alike: no lifting needed
            result = self.fn(*args, **kwargs)
            return normalize(result) if type(result) is Fraction else result  # type: ignore[no-any-return]
        fargs = [Fraction(a) for a in args]
        fkwargs = {k: Fraction(v) for k, v in kwargs.items()}
        return normalize(Fraction(self.fn(*fargs, **fkwargs)))

    @cached_property
    def _integer_only(self) -> bool:
        """True when the function (and every formula it calls) has no true division, read from its bytecode."""
        if any(
            i.opname == "BINARY_TRUE_DIVIDE" or (i.opname == "BINARY_OP" and i.argrepr == "/")
            for i in dis.get_instructions(self.fn)
        ):
            return False
        called = (self.called(name) for name in self.fn.__code__.co_names)
        return all(f._integer_only for f in called if f is not None)

    @cached_property
    def _calls(self) -> tuple[Formula, ...]:
        """The formulas this one's body calls."""
        found = []
        for node in ast.walk(self._body):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                f = self.called(node.func.id)
                if f is not None:
                    found.append(f)
        return tuple(found)

    def called(self, name: str) -> Formula | None:
        """The formula whose function the body calls by ``name`` (None for floor, ceil, max, min)."""
        return _BY_FUNCTION.get(self.fn.__globals__.get(name))  # type: ignore[arg-type]

    def value(self, **values: Any) -> Any:
        """Exact number when every value is a number, else the SymPy closed form (simplified).

        The numeric branch never imports SymPy.
        """
        from symconv.core.arith import is_symbolic

        if not any(is_symbolic(v) or isinstance(v, str) for v in values.values()) and set(values) == set(self.params):
            return self(**values)
        import sympy

        return sympy.simplify(self.expr(**values))

    # -- symbolic views -----------------------------------------------------------------------
    @cached_property
    def _body(self) -> ast.expr:
        source = textwrap.dedent(inspect.getsource(self.fn))
        tree = ast.parse(source)
        func = tree.body[0]
        if not isinstance(func, ast.FunctionDef):
            raise FormulaError(f"{self.name}: not a function definition")
        statements = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(statements) != 1 or not isinstance(statements[0], ast.Return) or statements[0].value is None:
            raise FormulaError(f"{self.name}: the body must be a single return statement")
        return statements[0].value

    def default_symbols(self) -> dict[str, sympy.Expr]:
        """The SymPy symbol of every parameter (positive integers: sizes, strides and counts)."""
        from symconv.core.arith import size_symbol

        return {p: size_symbol(self.symbols[p]) for p in self.params}

    def _env(self, values: Mapping[str, Any]) -> dict[str, sympy.Expr]:
        from symconv.core.stepper import to_sympy

        unknown = set(values) - set(self.params)
        if unknown:
            raise TypeError(f"{self.name}() got unexpected arguments {sorted(unknown)}")
        env = self.default_symbols()
        env.update({k: to_sympy(v) for k, v in values.items() if v is not None})
        return env

    def expr(self, **values: Any) -> sympy.Expr:
        """The evaluated SymPy expression; parameters not given stay symbols."""
        return _Builder(self._env(values), display=False, formula=self).build(self._body)

    def display(self, **values: Any) -> sympy.Expr:
        """The unevaluated tree in written order; values may be numbers, symbols or display trees."""
        return _Builder(self._env(values), display=True, formula=self).build(self._body)

    def definition_latex(self) -> str:
        """latexify-py's LaTeX of the defining Python function (``name(params) = body``)."""
        import latexify

        out = str(latexify.function(self.fn, use_math_symbols=True))
        # latexify writes a parameter C_in as \mathrm{C\_in}; a subscript reads as the textbook does.
        for p in self.params:
            if "_" in p:
                base, sub = p.split("_", 1)
                out = out.replace("\\mathrm{" + base + "\\_" + sub + "}", base + "_{" + sub + "}")
        return out


class _Builder:
    """Turns a formula's AST into SymPy: evaluated, or unevaluated in the written order."""

    def __init__(self, env: Mapping[str, Any], *, display: bool, formula: Formula) -> None:
        self.env = env
        self.display = display
        self.formula = formula

    def build(self, node: ast.expr) -> Any:
        import sympy

        if isinstance(node, ast.Name):
            if node.id not in self.env:
                raise FormulaError(f"unknown name {node.id!r} in formula")
            return self.env[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return sympy.Integer(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return self._neg(self.build(node.operand))
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            return self._call(node.func.id, [self.build(a) for a in node.args])
        raise FormulaError(f"unsupported construct {ast.dump(node)[:60]}")

    def _neg(self, x: Any) -> Any:
        import sympy

        if not self.display:
            return -x
        if isinstance(x, sympy.Integer):
            return sympy.Integer(-x)
        return sympy.Mul(sympy.Integer(-1), x, evaluate=False)

    def _chain(self, node: ast.expr, ops: tuple[type, ...]) -> list[tuple[type, ast.expr]]:
        """Flatten a left-nested chain ``a op b op c`` into [(first, a), (op, b), (op, c)]."""
        items: list[tuple[type, ast.expr]] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ops):
            items.append((type(node.op), node.right))
            node = node.left
        items.append((ast.Add, node))
        return items[::-1]

    def _binop(self, node: ast.BinOp) -> Any:
        import sympy

        op = node.op
        if not self.display:
            evaluate = _EVALUATED.get(type(op))
            if evaluate is None:
                raise FormulaError(f"unsupported operator {type(op).__name__}")
            return evaluate(self.build(node.left), self.build(node.right))
        if isinstance(op, (ast.Add, ast.Sub)):
            terms = []
            for kind, sub in self._chain(node, (ast.Add, ast.Sub)):
                value = self.build(sub)
                if kind is ast.Sub:
                    terms.append(self._neg(value))
                elif self._inlined(sub) and isinstance(value, sympy.Add):
                    terms.extend(value.args)  # a called formula's sum joins this sum
                else:
                    terms.append(value)
            return sympy.Add(*terms, evaluate=False)
        if isinstance(op, ast.Mult):
            factors: list[Any] = []
            for _, sub in self._chain(node, (ast.Mult,)):
                value = self.build(sub)
                inlined = self._inlined(sub) and isinstance(value, sympy.Mul)
                factors.extend(value.args if inlined else [value])
            return sympy.Mul(*factors, evaluate=False)
        a, b = self.build(node.left), self.build(node.right)
        if isinstance(op, ast.Div):
            return _divide(a, b)
        if isinstance(op, ast.FloorDiv):
            return sympy.floor(_divide(a, b), evaluate=False)
        if isinstance(op, ast.Pow):
            return sympy.Pow(a, b, evaluate=False)
        raise FormulaError(f"unsupported operator {type(op).__name__}")

    def _inlined(self, node: ast.expr) -> bool:
        """Whether ``node`` is a call of another formula (written out in place)."""
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and self.formula.called(node.func.id) is not None
        )

    def _call(self, name: str, args: list[Any]) -> Any:
        import sympy

        from symconv.core.stepper import Maximum, Minimum

        inner = self.formula.called(name)
        if inner is not None:
            if len(args) != len(inner.params):
                raise FormulaError(f"{self.formula.name}: {name}() takes {len(inner.params)} arguments")
            values = dict(zip(inner.params, args))
            return inner.display(**values) if self.display else inner.expr(**values)
        if name in ("floor", "ceil") and len(args) == 1:
            cls = sympy.floor if name == "floor" else sympy.ceiling
            return cls(args[0], evaluate=False) if self.display else cls(args[0])
        if name in ("max", "min") and len(args) >= 2:
            if self.display:
                return (Maximum if name == "max" else Minimum)(*args, evaluate=False)
            return (sympy.Max if name == "max" else sympy.Min)(*args)
        raise FormulaError(f"unsupported call {name}()")


def _floor_divide(a: Any, b: Any) -> Any:
    import sympy

    return sympy.floor(a / b)


_EVALUATED: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: _floor_divide,
    ast.Pow: operator.pow,
}
"""The evaluated view of each operator a formula body may use (``//`` is SymPy's floor of the quotient)."""


def _divide(a: Any, b: Any) -> Any:
    """``a / b`` as an unevaluated product with a reciprocal (how SymPy spells a fraction)."""
    import sympy

    return sympy.Mul(a, sympy.Pow(b, sympy.Integer(-1), evaluate=False), evaluate=False)
