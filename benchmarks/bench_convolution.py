"""symconv's numeric convolution against torch.nn.functional.conv2d and a scipy correlate2d loop.

Run: python benchmarks/bench_convolution.py [--runs N]
Input 64 × 56 × 56 float64, 64 filters of 3 × 3, padding 1 (a ResNet stage-1 layer). The engine
(``conv2d``) and the notebook's call (``symconv.convolve``: arrays in, an array out, the result object
included; with numpy arrays and with torch tensors) run in the same process as torch, alternately, on
the same data; medians of ``--runs`` runs are printed with the ratios to torch (CPU, its default thread
count, float64 like symconv; torch's float32 is shown too). The target is symconv within 1.5× of torch.
The results are checked against each other before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

import numpy as np
from scipy import signal

import symconv
from symconv.engine.convolution import conv2d

C, H, W, F, K, P = 64, 56, 56, 64, 3, 1


def scipy_loop(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The textbook way: one correlate2d per (filter, channel) pair, summed over channels."""
    xp = np.pad(x, ((0, 0), (P, P), (P, P)))
    return np.stack([sum(signal.correlate2d(xp[c], w[f, c], mode="valid") for c in range(C)) for f in range(F)])


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--scipy-runs", type=int, default=3, help="the scipy loop is slow; fewer runs")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((C, H, W))
    w = rng.standard_normal((F, C, K, K))
    ours = conv2d(x, w, padding=P)
    reference = scipy_loop(x, w)
    np.testing.assert_allclose(ours, reference, atol=1e-9)
    result = symconv.convolve(x, w, padding=P)
    assert isinstance(result.output, np.ndarray)
    np.testing.assert_allclose(result.output, ours, atol=1e-9)
    cases: dict[str, Callable[[], Any]] = {
        "symconv conv2d (numpy)": lambda: conv2d(x, w, padding=P),
        "symconv.convolve (numpy)": lambda: symconv.convolve(x, w, padding=P).output,
    }
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        tx, tw = torch.from_numpy(x)[None], torch.from_numpy(w)
        np.testing.assert_allclose(torch.nn.functional.conv2d(tx, tw, padding=P)[0].numpy(), ours, atol=1e-9)
        cases["symconv.convolve (torch in)"] = lambda: symconv.convolve(tx[0], tw, padding=P).output
        cases["torch.nn.functional.conv2d"] = lambda: torch.nn.functional.conv2d(tx, tw, padding=P)
        tx32, tw32 = tx.float(), tw.float()
        cases["torch conv2d float32"] = lambda: torch.nn.functional.conv2d(tx32, tw32, padding=P)
    for fn in cases.values():  # warm-up (BLAS threads, torch kernels)
        fn()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):  # interleaved, so load on the machine hits every contender alike
        for name, fn in cases.items():
            samples[name].append(median_ms(fn, 1))
    medians = {name: statistics.median(v) for name, v in samples.items()}
    medians["scipy correlate2d loop"] = median_ms(lambda: scipy_loop(x, w), args.scipy_runs)
    print(
        f"input {C}×{H}×{W} float64, {F} filters {K}×{K}, padding {P}; medians of {args.runs} runs"
        + (
            f", torch {torch.__version__} with {torch.get_num_threads()} threads"
            if torch is not None
            else ", torch not installed"
        )
    )
    base = medians.get("torch.nn.functional.conv2d")
    for name, ms in medians.items():
        ratio = f"  {ms / base:6.2f}× torch" if base else ""
        print(f"{name:30s} {ms:9.2f} ms{ratio}")
    if base:
        worst = max(v for k, v in medians.items() if k.startswith("symconv"))
        print(f"target: symconv within 1.5× of torch (float64) -> {'met' if worst <= 1.5 * base else 'NOT met'}")


if __name__ == "__main__":
    main()
