"""Sweeping a closed form over 10^6 points: symconv's exact vectorised evaluation vs the expression written in numpy.

Run from the repository root: ``python benchmarks/bench_sweep.py [--runs N] [--points N]``. Each case
evaluates one closed form at every integer of a range, both ways, side by side in the same run, and
reports the medians of N runs (default 15) and their ratio (target: symconv at most 3× numpy):

1. the output size ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 over the input size i (k = 3, s = 2, p = 1, d = 1);
2. ResNet-50's MACs as a closed form in the side S of a square input (examples/resnet50.toml with
   input [S, S, 3]: five floors, squared), over S from 32 on; numpy gets the same closed form typed in;
3. the bottleneck savings 1 − P/250 − P/2352 over P, exact as integer numerator and denominator arrays
   (``ExactEvaluator.parts``), against numpy's floating point; and, for information, the same as 10^6
   Python ``Fraction`` objects (what a sweep's table holds) — no target for that line.

Every symconv result is checked against the numpy one (integers equal; fractions to 1e-12).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symconv.catalogue import CATALOGUE
from symconv.core.arith import size_symbol
from symconv.core.vectorize import ExactEvaluator
from symconv.network.quantity import network_quantity


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def output_size_case(points: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    i = size_symbol("i")
    ev = ExactEvaluator(CATALOGUE["conv_output_size"].expr(k=3, s=2, p=1, d=1), i)
    xs = np.arange(1, points + 1, dtype=np.int64)

    def by_hand() -> Any:
        k, s, p, d = 3, 2, 1, 1
        return (xs + 2 * p - d * (k - 1) - 1) // s + 1

    return (lambda: ev(xs)), by_hand


def resnet_case(points: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    with open(ROOT / "examples" / "resnet50.toml", "rb") as f:
        spec = tomllib.load(f)["problem"][0]
    spec = {k: v for k, v in spec.items() if k not in ("id", "type", "title")} | {"input": ["S", "S", 3]}
    q = network_quantity(spec, "macs")
    S = q.symbols["S"]
    ev = ExactEvaluator(q.expr, S)
    xs = np.arange(32, 32 + points, dtype=np.int64)

    def by_hand() -> Any:
        # the same closed form, typed in: print(q.expr) gives it
        return (
            14417920 * ((xs - 1) // 32 + 1) ** 2
            + 7471104 * ((xs - 1) // 16 + 1) ** 2
            + 1310720 * ((xs - 1) // 8 + 1) ** 2
            + 245760 * ((xs - 1) // 4 + 1) ** 2
            + 9408 * ((xs - 1) // 2 + 1) ** 2
            + 2048000
        )

    return (lambda: ev(xs)), by_hand


def savings_case(points: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    P = size_symbol("P")
    ev = ExactEvaluator(1 - P / 250 - P / 2352, P)
    xs = np.arange(1, points + 1, dtype=np.int64)
    return (lambda: ev.parts(xs)), (lambda: 1 - xs / 250 - xs / 2352)


def fractions_case(points: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    P = size_symbol("P")
    ev = ExactEvaluator(1 - P / 250 - P / 2352, P)
    xs = np.arange(1, points + 1, dtype=np.int64)
    return (lambda: ev(xs)), (lambda: 1 - xs / 250 - xs / 2352)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--points", type=int, default=10**6)
    args = parser.parse_args()
    print(f"{args.points:,} points, median of {args.runs} runs")
    cases = [
        ("output size over i", output_size_case, "int"),
        ("ResNet-50 MACs over S", resnet_case, "int"),
        ("savings over P (numerator, denominator)", savings_case, "parts"),
        ("savings over P as Fraction objects", fractions_case, "objects"),
    ]
    for name, build, kind in cases:
        ours, by_hand = build(args.points)
        a, b = ours(), by_hand()
        if kind == "int":
            assert a.dtype == np.int64 and np.array_equal(a, b), name
        elif kind == "parts":
            num, den = a
            assert num.dtype == np.int64 and np.allclose(num / den, b, rtol=0, atol=1e-12), name
        else:
            assert max(abs(float(x) - y) for x, y in zip(a[::9973].tolist(), b[::9973].tolist())) < 1e-12, name
        t_ours, t_hand = median_ms(ours, args.runs), median_ms(by_hand, args.runs)
        target = "no target" if kind == "objects" else "target ≤ 3"
        print(
            f"  {name:44s} symconv {t_ours:8.1f} ms   numpy {t_hand:8.1f} ms   ratio {t_ours / t_hand:5.2f} ({target})"
        )


if __name__ == "__main__":
    main()
