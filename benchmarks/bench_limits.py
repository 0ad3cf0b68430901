"""Benchmark of the limits (docs/limits.md): the cases of issue 12 and inputs at each limit, time and memory.

Run from the repository root: ``python benchmarks/bench_limits.py [--runs N] [--only NAME]``. Each case is a
problem file written to a temporary directory and run as a new process (``symconv solve FILE --format F -o
/dev/null``, or ``check``); the figures are the median wall time of N runs (default 3) and the peak resident
memory of the process, with the outcome: ``ok``, or the first words of the error for an input refused before
the work starts. Every case must end within 10 s and 1 GB; the script says which do not.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

P = '[[problem]]\nid = "p"\n'


def _matrix(h: int, w: int, entry: Callable[[], str]) -> str:
    return "[" + ",".join("[" + ",".join(entry() for _ in range(w)) + "]" for _ in range(h)) + "]"


def _names(prefix: str) -> Callable[[], str]:
    count = iter(range(10**7))
    return lambda: f'"{prefix}{next(count)}"'


def _digits() -> str:
    return str(random.randint(-9, 9))


def _stack(n: int, kernel: str, stride: str, padding: str | None = None) -> str:
    out = P + 'type = "receptive_field"\n'
    out += "kernels = [" + ", ".join(kernel.format(i=i) for i in range(1, n + 1)) + "]\n"
    out += "strides = [" + ", ".join(stride.format(i=i) for i in range(1, n + 1)) + "]\n"
    if padding:
        out += "paddings = [" + ", ".join(padding.format(i=i) for i in range(1, n + 1)) + "]\n"
    return out


def _network(n: int, input_: str, stride: Callable[[int], int], filters: str = "16", kind: str = "network") -> str:
    layers = ",\n  ".join(
        f'{{ type = "conv", kernel = 3, filters = {filters}, stride = {stride(i)}, padding = 1 }}' for i in range(n)
    )
    return P + f'type = "{kind}"\ninput = {input_}\nlayers = [\n  {layers}\n]\n'


def _layers(count: int, symbolic: bool) -> str:
    """``count`` conv_layer problems: with symbol names for every size, or numbers (one input size each)."""
    out = ""
    for i in range(count):
        out += f'[[problem]]\nid = "l{i}"\ntype = "conv_layer"\n'
        if symbolic:
            out += 'input = ["H", "W", "C"]\nkernel = "k"\nfilters = "F"\nstride = "s"\npadding = "p"\n'
        else:
            out += f"input = [{38 + i}, 38, 22]\nkernel = 3\nfilters = 224\nstride = 2\n"
    return out


def _compare(designs: int, layers: int) -> str:
    stack = ", ".join('{ type = "conv", kernel = 3, filters = "C", padding = 1 }' for _ in range(layers))
    body = "".join(f'[[problem.design]]\nname = "d{i}"\nlayers = [{stack}]\n' for i in range(designs))
    return P + f'type = "compare"\ninput = ["H", "W", "C"]\n{body}'


def _explore(kind: str, extra: str) -> str:
    layers = ", ".join(
        f'{{ type = "conv", kernel = 3, filters = 16, stride = {2 if i % 15 == 0 else 1}, padding = 1 }}'
        for i in range(960)
    )
    return P + f'type = "{kind}"\nquantity = "macs"\ninput = ["H", "H", 3]\n{extra}\nlayers = [{layers}]\n'


def cases() -> list[tuple[str, str, str, list[str]]]:
    """(name, problem file, claimed-answers file or '', extra arguments)."""
    random.seed(12)
    conv = P + 'type = "convolution"\n'
    return [
        ("rf: 25 symbolic layers", _stack(25, '"k_{i}"', '"s_{i}"'), "", []),
        ("rf: 50 symbolic layers", _stack(50, '"k_{i}"', '"s_{i}"'), "", []),
        ("rf: 64 symbolic layers, paddings (limit)", _stack(64, '"k_{i}"', '"s_{i}"', '"p_{i}"'), "", []),
        ("rf: 64 symbolic layers, paddings, HTML", _stack(64, '"k_{i}"', '"s_{i}"', '"p_{i}"'), "", ["html"]),
        ("rf: 100 symbolic layers", _stack(100, '"k_{i}"', '"s_{i}"'), "", []),
        ("rf: 1000 numeric layers, stride 2", _stack(1000, "3", "2"), "", []),
        ("rf: 1000 numeric layers, stride 2, LaTeX", _stack(1000, "3", "2"), "", ["latex"]),
        ("rf: 1000 numeric layers, stride 2, HTML", _stack(1000, "3", "2"), "", ["html"]),
        ("rf: 300 layers of stride 10^15", _stack(300, "3", "1000000000000000"), "", []),
        ("rf: 300 layers of stride 10^15, JSON", _stack(300, "3", "1000000000000000"), "", ["json"]),
        ("rf: 300 layers of stride 10^15, HTML", _stack(300, "3", "1000000000000000"), "", ["html"]),
        ("rf: 400 layers of stride 10^15", _stack(400, "3", "1000000000000000"), "", []),
        ("200 symbolic conv_layer problems", _layers(200, True), "", []),
        ("32 symbolic conv_layer problems (file limit)", _layers(32, True), "", []),
        ("200 numeric conv_layer problems", _layers(200, False), "", []),
        (
            "conv: 40 × 40 symbolic, kernel 10 × 10",
            conv + f"input = {_matrix(40, 40, _names('x'))}\nkernel = {_matrix(10, 10, _names('w'))}\n",
            "",
            [],
        ),
        (
            "conv: 128 channels × 5 × 5 symbolic, kernel 4 × 4 (limit), HTML",
            conv
            + "input = ["
            + ",".join(_matrix(5, 5, _names(f"x{c}_")) for c in range(128))
            + "]\nkernel = ["
            + ",".join(_matrix(4, 4, _names(f"w{c}_")) for c in range(128))
            + "]\n",
            "",
            ["html"],
        ),
        (
            "conv: 2 × 2, padding 5000",
            conv + "input = [[1, 2], [3, 4]]\nkernel = [[1, 0], [0, 1]]\npadding = 5000\n",
            "",
            [],
        ),
        (
            "conv: 2 × 2, padding 20000",
            conv + "input = [[1, 2], [3, 4]]\nkernel = [[1, 0], [0, 1]]\npadding = 20000\n",
            "",
            [],
        ),
        (
            "conv: 256 × 256, kernel 112 × 112 (limit)",
            conv + f"input = {_matrix(256, 256, _digits)}\nkernel = {_matrix(112, 112, _digits)}\n",
            "",
            [],
        ),
        (
            "conv: 256 × 256 padded to 1022 × 1022 (outputs limit)",
            conv + f"input = {_matrix(256, 256, _digits)}\nkernel = [[2]]\npadding = 383\n",
            "",
            ["json"],
        ),
        (
            "conv: 16 filters 16 × 16 on 256 × 256",
            conv
            + f"input = {_matrix(256, 256, _digits)}\nkernels = ["
            + ",".join("[" + _matrix(16, 16, _digits) + "]" for _ in range(16))
            + "]\n",
            "",
            ["json"],
        ),
        (
            "conv: 10^15 entries, 128 × 128, kernel 24 × 24 (exact)",
            conv
            + f"input = {_matrix(128, 128, lambda: str(10**15 - random.randint(0, 99)))}\n"
            + f"kernel = {_matrix(24, 24, lambda: str(10**15 - random.randint(0, 99)))}\n",
            "",
            [],
        ),
        ("network: 1000 numeric layers", _network(1000, "[224, 224, 3]", lambda i: 1), "", []),
        ("network: 1000 layers, H and W symbols, stride 1", _network(1000, '["H", "W", 3]', lambda i: 1), "", []),
        ("network: 1000 layers, H and W symbols, stride 2", _network(1000, '["H", "W", 3]', lambda i: 2), "", []),
        (
            "network: 960 layers, 64 strided, H and W symbols (limit)",
            _network(960, '["H", "W", 3]', lambda i: 2 if i % 15 == 0 else 1),
            "",
            [],
        ),
        ("compare: 40 designs of 1000 layers", _compare(40, 1000), "", []),
        ("compare: 16 designs of 62 layers (limit)", _compare(16, 62), "", []),
        ("sweep: 960-layer network, 100,000 points", _explore("sweep", 'vary = "H"\nrange = [1, 100000]'), "", []),
        (
            "solve: 960-layer network, 1,000,000 values",
            _explore("solve", 'unknown = "H"\ntarget = 1000000000\nrelation = "<="\nrange = [1, 1000000]'),
            "",
            [],
        ),
        ("sensitivity: 960-layer network", _explore("sensitivity", 'wrt = "H"'), "", []),
        (
            "check: claimed (H+W+L+k+N+P)^30 (H+W+1)^30",
            P + 'type = "bottleneck"\ninput = ["H", "W", "L"]\nkernel = "k"\nfilters = "N"\nbottleneck = "P"\n',
            '[p]\nsavings = "(H+W+L+k+N+P)**30 * (H+W+1)**30"\n',
            [],
        ),
        (
            "check: claimed (H+W)^30 − (H²+2HW+W²)^15 + savings",
            P + 'type = "bottleneck"\ninput = ["H", "W", "L"]\nkernel = "k"\nfilters = "N"\nbottleneck = "P"\n',
            '[p]\nsavings = "(H+W)**30 - (H**2+2*H*W+W**2)**15 + 1 - P/L - P/(k^2*N)"\n',
            [],
        ),
        (
            "check: claimed inf",
            P + 'type = "bottleneck"\ninput = [54, 54, 250]\nkernel = 7\nfilters = 48\nbottleneck = 12\n',
            "[p]\nsavings_percent = inf\n",
            [],
        ),
    ]


def run(argv: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (MB) and the first line of stderr of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else ""
    return elapsed, usage.ru_maxrss // 1024, err.strip().splitlines()[-1] if err.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    over = []
    print(f"python {sys.version.split()[0]}, {args.runs} runs per case (median time, peak memory)\n")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, problem, claimed, extra) in enumerate(cases()):
            if args.only not in name:
                continue
            path = Path(tmp) / f"case{i}.toml"
            path.write_text(problem, encoding="utf-8")
            fmt = extra[0] if extra else "text"
            argv = [sys.executable, "-m", "symconv"]
            if claimed:
                answers = Path(tmp) / f"case{i}-claimed.toml"
                answers.write_text(claimed, encoding="utf-8")
                argv += ["check", str(path), "--answers", str(answers)]
            else:
                argv += ["solve", str(path), "--format", fmt, "-o", os.devnull]
            results = [run(argv) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in results)
            memory = max(r[1] for r in results)
            message = results[-1][2]
            outcome = "ok" if not message else re.sub(r"^.*?problem '[^']*': |^symconv: error: ", "", message)[:90]
            print(f"{name:58s} {seconds:6.2f} s {memory:6d} MB  {outcome}")
            if seconds > 10 or memory > 1024:
                over.append(name)
    print("\nall within 10 s and 1 GB" if not over else f"\nover the budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
