"""Substituting numbers into a 50-layer receptive-field expression: SymPy subs vs xreplace vs symconv.

Run: python benchmarks/bench_substitution.py
Prints the median of several runs of each method and the ratios; also the plain-integer numeric
path, which answers without SymPy at all.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

import sympy

from symconv.catalogue import JUMP_STEP, RECEPTIVE_FIELD_STEP
from symconv.core.arith import size_symbol
from symconv.core.stepper import substitute

LAYERS = 50


def build() -> tuple[sympy.Expr, dict[sympy.Symbol, sympy.Integer]]:
    ks = [size_symbol(f"k_{i}") for i in range(1, LAYERS + 1)]
    ss = [size_symbol(f"s_{i}") for i in range(1, LAYERS + 1)]
    rf: sympy.Expr = sympy.Integer(1)
    jump: sympy.Expr = sympy.Integer(1)
    for k, s in zip(ks, ss):
        rf = rf + (k - 1) * jump
        jump = jump * s
    values = {**{k: sympy.Integer(3) for k in ks}, **{s: sympy.Integer(1 + i % 2) for i, s in enumerate(ss)}}
    return rf, values


def numeric() -> int:
    rf, jump = 1, 1
    for i in range(LAYERS):
        rf = RECEPTIVE_FIELD_STEP(rf, 3, jump)
        jump = JUMP_STEP(jump, 1 + i % 2)
    return int(rf)


def median(fn: object, number: int) -> float:
    runs = timeit.repeat(fn, number=number, repeat=7)  # type: ignore[arg-type]
    return statistics.median(runs) / number


def main() -> None:
    rf, values = build()
    expected = rf.subs(values)
    assert rf.xreplace(values) == expected == substitute(rf, values).doit() == numeric()
    t_subs = median(lambda: rf.subs(values), 3)
    t_xrep = median(lambda: rf.xreplace(values), 50)
    t_ours = median(lambda: substitute(rf, values), 50)
    t_num = median(numeric, 200)
    print(f"{LAYERS}-layer receptive field, median of 7 runs")
    print(f"  sympy subs        {t_subs * 1e3:9.3f} ms")
    print(f"  sympy xreplace    {t_xrep * 1e3:9.3f} ms   subs/xreplace = {t_subs / t_xrep:6.0f}x")
    print(f"  symconv substitute{t_ours * 1e3:9.3f} ms   (unevaluated, for the steps)")
    print(f"  numeric path      {t_num * 1e3:9.3f} ms   subs/numeric = {t_subs / t_num:6.0f}x")


if __name__ == "__main__":
    main()
