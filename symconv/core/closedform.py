"""Closed forms derived by SymPy from the catalogue's counts, and the order a person writes them in.

SymPy stores an evaluated expression in its own canonical order (``-1 + k_2``,
``k**2*H*L*N*W``); :func:`as_display` rewrites it as a display tree in written order:

* common factors are pulled out of a sum, as a person would (``HWP(L + k²N)``, ``(H − 1)/2``):
  symbolic factors and a common denominator, never an integer content (``64(…)`` would hide the
  numbers the reader recognises);
* symbols keep the order of the formula the result came from (``order``: the symbols in the order
  they are first written), unknown ones follow alphabetically;
* a sum starts with a positive term and ends with its constants (``k_2 − 1``, ``⌊(i − k)/s⌋ + 1``),
  except that a lone positive constant leads (``1 − P/L − P/(k²N)``);
* each term is one fraction, numerator over denominator (``P/(k²N)``), coefficients first.

The printers in :mod:`symconv.core.mathprint` then write products of symbols by juxtaposition.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import sympy


def appearance_order(*exprs: Any) -> list[sympy.Basic]:
    """The symbols of display trees in the order they are written (pre-order, left to right)."""
    seen: dict[sympy.Basic, None] = {}

    def walk(e: Any) -> None:
        if isinstance(e, sympy.Symbol):
            seen.setdefault(e, None)
        elif isinstance(e, sympy.Basic):
            for a in e.args:
                walk(a)

    for e in exprs:
        walk(e)
    return list(seen)


def as_display(
    expr: Any,
    order: Sequence[sympy.Basic] = (),
    *,
    factors: Sequence[sympy.Basic] | None = None,
    memo: Mapping[sympy.Basic, sympy.Basic] | None = None,
    precedent: Collection[tuple[sympy.Basic, sympy.Basic]] = (),
) -> Any:
    """Rewrite an evaluated expression as a display tree in written order (see the module docstring).

    ``order`` lists symbols in the order the terms of a sum should follow (the substituted formula,
    as written); ``factors`` the symbols of the general formula (default ``order``), whose factors keep
    the formula's order (``(k_3 − 1)s_1 s_2``); other factors are written common-factor style,
    symbols before brackets (``HWP(L + k²N)``). ``memo`` maps closed forms already shown to their display, so a term carried
    over from an earlier result is written as it was then. The stepper can substitute numbers into
    the display and evaluate it level by level. ``precedent`` holds pairs (a, b) of symbols that earlier products
    of the derivation wrote a before b (``n_w = k²CN``): a product's symbols keep those orders, in the places
    ``order`` gives them, so the same product reads the same way throughout (``M = k²CN(H − k + 1)(W − k +
    1)``, not ``k²NC(…)`` because k is first written inside ``H − k + 1``; ``M = 9HWCN`` after ``n_w = 9CN``). Anything that is not a SymPy expression is returned unchanged.
    """
    if not isinstance(expr, sympy.Expr) or expr.is_Number:
        return expr
    return _Writer(expr, order, order if factors is None else factors, memo or {}, precedent).display(expr)


class _Writer:
    """Writes one closed form: ranks of symbols for terms and for factors, and the memo of shown forms."""

    def __init__(
        self,
        expr: sympy.Expr,
        terms: Sequence[sympy.Basic],
        factors: Sequence[sympy.Basic],
        memo: Mapping[sympy.Basic, sympy.Basic],
        precedent: Collection[tuple[sympy.Basic, sympy.Basic]] = (),
    ) -> None:
        self.memo = memo
        self.symbols: dict[sympy.Basic, frozenset[sympy.Basic]] = {}
        """free_symbols of each subexpression met, remembered: SymPy recomputes them on every call, which makes
        ordering a nested form of depth n cost O(n²)."""
        self.referenced = len(set(factors))
        self.known = len(set(factors) | set(terms))
        self.term_rank = self._ranks(expr, terms)
        self.factor_rank = self._ranks(expr, [*factors, *_following(list(dict.fromkeys(terms)), precedent)])

    @staticmethod
    def _ranks(expr: sympy.Expr, order: Sequence[sympy.Basic]) -> dict[sympy.Basic, int]:
        rank: dict[sympy.Basic, int] = {}
        for s in order:
            rank.setdefault(s, len(rank))
        for s in sorted(expr.free_symbols - set(rank), key=sympy.default_sort_key):  # then by name
            rank[s] = len(rank)
        return rank

    def free(self, e: sympy.Basic) -> frozenset[sympy.Basic]:
        """``e.free_symbols``, computed once per subexpression."""
        found = self.symbols.get(e)
        if found is None:
            if isinstance(e, sympy.Symbol):
                found = frozenset((e,))
            else:
                found = frozenset().union(*(self.free(a) for a in e.args)) if e.args else frozenset()
            self.symbols[e] = found
        return found

    def term_key(self, e: sympy.Basic) -> tuple[Any, ...]:
        """A term's place in its sum: the positions of its symbols, SymPy's order as a tie-breaker."""
        ranks = tuple(sorted(self.term_rank.get(s, len(self.term_rank)) for s in self.free(e)))
        return (ranks, sympy.default_sort_key(e))

    def factor_key(self, f: sympy.Basic) -> tuple[Any, ...]:
        """A factor's place: the formula's order for its symbols; then symbols before brackets, powers first (k²N)."""
        ranks = sorted(self.factor_rank.get(s, len(self.factor_rank)) for s in self.free(f)) or [-1]
        simple = isinstance(f, sympy.Symbol) or (isinstance(f, sympy.Pow) and isinstance(f.base, sympy.Symbol))
        if ranks[0] < self.referenced:
            return (0, ranks, sympy.default_sort_key(f))
        if ranks[0] < self.known:  # written in the substituted formula: that order, symbols before brackets
            return (1, not simple, ranks, sympy.default_sort_key(f))
        return (2, not simple, not isinstance(f, sympy.Pow), ranks, sympy.default_sort_key(f))

    def display(self, e: sympy.Basic) -> sympy.Basic:
        if e in self.memo:
            return self.memo[e]
        if isinstance(e, sympy.Add):
            return self.sum(e)
        if isinstance(e, sympy.Mul) or (isinstance(e, sympy.Pow) and e.exp.is_negative):
            return self.product(e)
        if isinstance(e, sympy.Pow):
            return sympy.Pow(self.display(e.base), e.exp, evaluate=False)
        if isinstance(e, sympy.Piecewise):
            return sympy.Piecewise(*[(self.display(v), c) for v, c in e.args], evaluate=False)
        if isinstance(e, sympy.Function) and e.args:
            return e.func(*[self.display(a) for a in e.args], evaluate=False)
        return e

    def sum(self, e: sympy.Add) -> sympy.Basic:
        terms = list(e.args)
        common = _common_factor(terms)
        if common != 1:
            inner = sympy.Add(*[t / common for t in terms])
            if isinstance(inner, sympy.Add):
                return self.common_times(common, inner)
        constants = [t for t in terms if t.is_Number]
        others = sorted((t for t in terms if not t.is_Number), key=self.term_key)
        ordered = others + constants
        if ordered[0].could_extract_minus_sign():
            positive = [t for t in ordered if not t.could_extract_minus_sign()]
            if positive:  # a sum does not start with a minus sign when it has a positive term
                ordered.remove(positive[0])
                ordered.insert(0, positive[0])
        return sympy.Add(*[self.display(t) for t in ordered], evaluate=False)

    def common_times(self, common: sympy.Expr, inner: sympy.Add) -> sympy.Basic:
        """``common × (inner sum)``: the common factor in front, its denominator under the whole."""
        num, den = sympy.fraction(common)
        body = _mul(self.ordered(sympy.Mul.make_args(num) if num != 1 else ()) + [self.sum(inner)])
        if den != 1:
            body = sympy.Mul(
                body, sympy.Pow(_mul(self.ordered(sympy.Mul.make_args(den))), -1, evaluate=False), evaluate=False
            )
        return body

    def ordered(self, factors: Iterable[sympy.Basic]) -> list[sympy.Basic]:
        """Numbers first (as one coefficient), then the factors in formula order, each written."""
        fs = list(factors)
        if not fs:
            return []
        numbers = [f for f in fs if f.is_Number]
        out: list[sympy.Basic] = []
        for f in sorted((f for f in fs if not f.is_Number), key=self.factor_key):
            d = self.display(f)
            # a factor written as a product itself (9408(⌊…⌋ + 1)) joins this product: its number in front
            if isinstance(d, sympy.Mul) and not any(_reciprocal(a) for a in d.args) and d.args[0] != -1:
                numbers += [a for a in d.args if a.is_Number]
                out += [a for a in d.args if not a.is_Number]
            else:
                out.append(d)
        coefficient = sympy.Mul(*numbers)
        return ([coefficient] if coefficient != 1 or not out else []) + out

    def product(self, e: sympy.Basic) -> sympy.Basic:
        coeff, rest = e.as_coeff_Mul()
        negative = coeff < 0
        coeff = abs(coeff)
        num, den = sympy.fraction(rest)
        num_f = self.ordered(sympy.Mul.make_args(num)) if num != 1 else []
        den_f = self.ordered(sympy.Mul.make_args(den)) if den != 1 else []
        if coeff.p != 1:
            num_f = _merge_coefficient(int(coeff.p), num_f)
        if coeff.q != 1:
            den_f = _merge_coefficient(int(coeff.q), den_f)
        body = _mul(num_f)
        if den_f:
            body = sympy.Mul(body, sympy.Pow(_mul(den_f), sympy.Integer(-1), evaluate=False), evaluate=False)
        return sympy.Mul(sympy.Integer(-1), body, evaluate=False) if negative else body


def _following(order: list[sympy.Basic], precedent: Collection[tuple[sympy.Basic, sympy.Basic]]) -> list[sympy.Basic]:
    """``order`` with the symbols that ``precedent`` pairs put in its order, in the places they hold (H, k, W, N, C
    after (C, N): H, k, W, C, N); the others keep theirs."""
    if not precedent:
        return order
    slots = [i for i, a in enumerate(order) if any((a, b) in precedent or (b, a) in precedent for b in order)]
    paired = [order[i] for i in slots]
    for _ in range(len(paired)):  # a stable bubble sort by the pairs (bounded: pairs may disagree in a cycle)
        swapped = False
        for i in range(len(paired) - 1):
            if (paired[i + 1], paired[i]) in precedent:
                paired[i], paired[i + 1] = paired[i + 1], paired[i]
                swapped = True
        if not swapped:
            break
    out = list(order)
    for i, a in zip(slots, paired):
        out[i] = a
    return out


def _merge_coefficient(c: int, factors: list[sympy.Basic]) -> list[sympy.Basic]:
    if factors and factors[0].is_Number:
        return [sympy.Integer(c) * factors[0], *factors[1:]]
    return [sympy.Integer(c), *factors]


def _powers(term: sympy.Basic) -> dict[sympy.Basic, sympy.Basic]:
    """A term's non-numeric factors as base → exponent."""
    out: dict[sympy.Basic, sympy.Basic] = {}
    for f in sympy.Mul.make_args(term):
        if f.is_Number:
            continue
        base, exp = (f.base, f.exp) if isinstance(f, sympy.Pow) and f.exp.is_Number else (f, sympy.Integer(1))
        out[base] = out.get(base, sympy.Integer(0)) + exp
    return out


def _common_factor(terms: Sequence[sympy.Basic]) -> sympy.Expr:
    """The factor every term shares: symbolic powers (same sign of exponent) and a common denominator."""
    dicts = [_powers(t) for t in terms]
    common: sympy.Expr = sympy.Integer(1)
    for base in dicts[0]:
        exps = [d.get(base) for d in dicts]
        if any(x is None for x in exps):
            continue
        if all(x > 0 for x in exps):  # type: ignore[operator]
            common *= base ** min(exps)  # type: ignore[type-var]
        elif all(x < 0 for x in exps):  # type: ignore[operator]
            common *= base ** max(exps)  # type: ignore[type-var]
    coeffs = [t.as_coeff_Mul()[0] for t in terms]
    if all(c.is_Rational for c in coeffs):
        den = sympy.ilcm(*[int(c.q) for c in coeffs]) if len(coeffs) > 1 else int(coeffs[0].q)
        num = sympy.igcd(*[int(c.p) for c in coeffs]) if len(coeffs) > 1 else abs(int(coeffs[0].p))
        # an integer content comes out only when it leaves coefficients ±1 (9408(⌊…⌋ + 1), not 64(…))
        if num > 1 and all(abs(c.p) == num for c in coeffs):
            common *= num
        if den > 1 and all(c.q > 1 for c in coeffs):  # (H − 1)/2, but 1 − P/250, not (250 − P)/250
            common /= den
    return common


def _reciprocal(e: sympy.Basic) -> bool:
    return isinstance(e, sympy.Pow) and bool(e.exp.is_negative)


def _mul(factors: list[sympy.Basic]) -> sympy.Basic:
    if not factors:
        return sympy.Integer(1)
    return factors[0] if len(factors) == 1 else sympy.Mul(*factors, evaluate=False)


def remember(memo: dict[sympy.Basic, sympy.Basic], expr: sympy.Basic, display: sympy.Basic) -> None:
    """Record that ``expr`` was shown as ``display``, and the terms of a sum or the sums in a product likewise."""
    from symconv.core.stepper import evaluate_fully

    memo[expr] = display
    if isinstance(display, (sympy.Add, sympy.Mul)):  # its terms, or the sums among its factors
        for part in display.args:
            if isinstance(display, sympy.Add) and not part.is_Number or isinstance(part, sympy.Add):
                memo.setdefault(evaluate_fully(part), part)


def ratio(numerator: Any, denominator: Any) -> sympy.Basic:
    """``numerator / denominator`` simplified to a sum of simple fractions (common factors cancel)."""
    from symconv.core.stepper import to_sympy

    return sympy.expand(sympy.cancel(to_sympy(numerator) / to_sympy(denominator)))
