"""Sensitivity of a quantity to one parameter: ∂q/∂x in closed form and at a point, and the elasticity (x/q)·∂q/∂x.

The partial derivative treats the parameter as continuous (every formula extends to real values).
Where the parameter sits inside a floor or a ceiling the quantity is a step function of it — not
differentiable — and the finite difference over one integer step, q(x + 1) − q(x), takes the
derivative's place; the derivation says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from symconv.core.arith import Size, is_symbolic, size_symbol, to_python
from symconv.core.closedform import as_display
from symconv.core.coerce import public
from symconv.core.richtext import rich
from symconv.core.stepper import substitute
from symconv.errors import InputError
from symconv.problems.explore import decimal, given_values
from symconv.problems.quantity import Quantity, resolve
from symconv.problems.solve import tidy
from symconv.solution.derivation import Definition, Derivation, Equation, Note
from symconv.solution.derivation import given as given_step
from symconv.solution.result import Answer, Result


class Partial(sympy.Function):
    """∂q/∂x as a symbol of the derivation (never evaluated): printed ``\\frac{\\partial q}{\\partial x}``, ``∂q/∂x``."""

    nargs = 2

    @classmethod
    def eval(cls, *args: Any) -> None:
        return None

    def _latex(self, printer: Any) -> str:
        q, x = (printer._print(a) for a in self.args)
        return f"\\frac{{\\partial {q}}}{{\\partial {x}}}"

    def _symconv_text(self, printer: Any) -> str:
        q, x = (printer._print(a) for a in self.args)
        return f"\u2202{q}/\u2202{x}"


def _relative(x: sympy.Expr, q: sympy.Expr, change: sympy.Expr) -> sympy.Expr:
    """``(x/q) · change``: the elasticity written as a formula (never evaluated)."""
    return sympy.Mul(sympy.Mul(x, sympy.Pow(q, -1, evaluate=False), evaluate=False), change, evaluate=False)


class Difference(sympy.Function):
    """Δq/Δx over one integer step, a symbol of the derivation: printed ``\\Delta_{x} q``, ``Δ_x q``."""

    nargs = 2

    @classmethod
    def eval(cls, *args: Any) -> None:
        return None

    def _latex(self, printer: Any) -> str:
        q, x = (printer._print(a) for a in self.args)
        return f"\\Delta_{{{x}}} {q}"

    def _symconv_text(self, printer: Any) -> str:
        q, x = (printer._print(a) for a in self.args)
        return f"\u0394_{x} {q}"


class SensitivityResult(Result[Size]):
    """∂q/∂x of a quantity. ``value`` is its value at the given point.

    Answers: ``derivative`` (the closed form of ∂q/∂x in every symbol; ``None`` where q is not
    differentiable in x), ``value`` (∂q/∂x at the given point, exact — or, where q is not
    differentiable, the finite difference q(x + 1) − q(x)), ``elasticity`` (the closed form of
    (x/q)·∂q/∂x, or of (x/q)·(q(x + 1) − q(x)) where q is not differentiable).
    """

    main = "value"
    derivative: Answer[sympy.Expr | None] = Answer()
    elasticity: Answer[Size] = Answer()


def _rounded(q: Quantity, x: sympy.Symbol) -> bool:
    return any(n.has(x) for n in q.expr.atoms(sympy.floor, sympy.ceiling, sympy.Max, sympy.Min, sympy.Piecewise))


@public()
def sensitivity(quantity: Any, wrt: str, *, given: Mapping[str, Any] | None = None) -> SensitivityResult:
    """∂quantity/∂wrt symbolically and at a point, with the elasticity.

    Args:
        quantity: a catalogue formula, a derived name (``"savings"``) or a Quantity.
        wrt: the parameter, as the quantity names it (``"P"``).
        given: the point: every parameter, ``wrt`` included, a number — or a symbol name to keep it
            symbolic. Left out (None), every parameter stays symbolic.

    Returns:
        A :class:`SensitivityResult`.

    Raises:
        InputError: a parameter the quantity does not have, a missing or bad value.
    """
    q = resolve(quantity)
    x_name = q.param(wrt, "wrt")
    x = q.symbols[x_name]
    if given is None:
        given = {p: q.symbols[p].name for p in q.params}
    values = given_values(q, given)
    point = {q.symbols[p]: sympy.sympify(v) if is_symbolic(v) else sympy.Integer(v) for p, v in values.items()}
    lhs = q.lhs
    for size in q.sizes:
        at = size.xreplace(point)
        if at.is_number and at < 1:
            raise InputError("given", dict(given), "no layer has an output at this point (an output size below 1)")
    smooth = not _rounded(q, x)
    if smooth:
        # a sum of simple fractions, as a person differentiates term by term: −1/L − 1/(k²N)
        derivative = sympy.expand(sympy.simplify(sympy.diff(q.expr, x)))
        change = derivative
        change_display = as_display(derivative)
    else:
        derivative = None
        change = q.expr.xreplace({x: x + 1}) - q.expr
        # q(x + 1) − q(x) in the written form, so the numbers go in as in every other step
        change_display = sympy.Add(
            substitute(q.display, {x: sympy.Add(x, sympy.Integer(1), evaluate=False)}),
            sympy.Mul(sympy.Integer(-1), q.display, evaluate=False),
            evaluate=False,
        )
    elasticity = tidy(sympy.factor(x / q.expr * change)) if smooth else x * change / q.expr
    elasticity_display = sympy.Mul(
        x, sympy.Pow(q.display, sympy.Integer(-1), evaluate=False), change_display, evaluate=False
    )
    at_point = change.xreplace(point)
    value = to_python(at_point) if at_point.is_Number else sympy.simplify(at_point)
    q_at = q.expr.xreplace(point)
    e_at = elasticity.xreplace(point)
    answers = {
        "derivative": derivative,
        "value": value,
        "elasticity": elasticity,
    }
    conventions = {
        "sensitivity": (
            rich(
                "{d} treats {x} as a continuous variable; the elasticity {e} is the relative change of {q} per "
                "relative change of {x} (an elasticity of −0.5: 1 % more {x}, 0.5 % less {q}).",
                d=Partial(lhs, x),
                x=x,
                q=lhs,
                e=_relative(x, lhs, Partial(lhs, x)),
            )
            if smooth
            else rich(
                "{q} is a step function of {x} (a floor or ceiling of it), not differentiable: value is the finite "
                "difference over one integer step, {d}, and the elasticity {e} its relative form.",
                q=lhs,
                x=x,
                d=Difference(lhs, x),
                e=_relative(x, lhs, Difference(lhs, x)),
            )
        ),
    }

    def build(der: Derivation) -> None:
        der.add(given_step("At the point", [(q.symbols[p], v, "") for p, v in values.items()]))
        der.add(Definition(q.heading, lhs, q.display))
        numbers = not any(is_symbolic(v) for v in values.values())
        if smooth:
            d_lhs = Partial(lhs, x)
            der.add(
                Equation(
                    rich("Partial derivative with respect to {x}", x=x),
                    d_lhs,
                    None,
                    (sympy.Derivative(q.display, x, evaluate=False), as_display(derivative)),
                    as_display(derivative),
                    key="derivative",
                    answer=True,
                )
            )
        else:
            d_lhs = Difference(lhs, x)
            der.add(
                Note(
                    rich(
                        "{q} is not differentiable in {x}: {x} sits inside a floor or ceiling, so {q} stays constant "
                        "between jumps. The finite difference over one integer step, {d}, takes the derivative's place.",
                        q=lhs,
                        x=x,
                        d=d_lhs,
                    )
                )
            )
            der.add(Definition(rich("Finite difference in {x}", x=x), d_lhs, change_display))
            step = {**point, x: point[x] + 1}
            if any(size.xreplace(step).is_number and size.xreplace(step) < 1 for size in q.sizes):
                der.note(
                    rich(
                        "At {x} + 1 the layer has no output (an output size below 1): the difference is the closed "
                        "form's, not a layer's.",
                        x=x,
                    )
                )
        # with every given its own symbol the value at the point is the derivative above: not written twice
        if not (smooth and at_point == change):
            der.equation_from(
                "At the point",
                d_lhs,
                change_display,
                point,
                result=value,
                key="value",
                answer=True,
                approx=decimal(value, 6) if numbers and not isinstance(value, int) else "",
            )
        eps = size_symbol("epsilon")
        if smooth:
            der.add(
                Equation(
                    rich("Elasticity, the relative form: {e}", e=_relative(x, lhs, Partial(lhs, x))),
                    eps,
                    None,
                    (sympy.Mul(x, sympy.Pow(lhs, -1, evaluate=False), d_lhs, evaluate=False), elasticity_display),
                    as_display(elasticity),
                    key="elasticity",
                    answer=True,
                )
            )
        else:
            der.add(
                Equation(
                    rich("Elasticity, the relative form: {e}", e=_relative(x, lhs, Difference(lhs, x))),
                    eps,
                    None,
                    (elasticity_display,),
                    elasticity_display,
                    key="elasticity",
                    answer=True,
                )
            )
        if numbers and q_at.is_Number and q_at != 0:
            der.equation_from(
                "Elasticity at the point",
                eps,
                elasticity_display,
                point,
                result=to_python(e_at),
                approx=decimal(to_python(e_at), 4) if not e_at.is_Integer else "",
            )

    title = rich("Sensitivity of {q} to {x}", q=q.name, x=x)
    return SensitivityResult("sensitivity", title, answers, conventions, build)
