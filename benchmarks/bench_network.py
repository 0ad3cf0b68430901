"""Benchmark of the network table: symconv vs ptflops on ResNet-50, depth scaling, closed form vs numeric.

Run from the repository root: ``python benchmarks/bench_network.py [--runs N]``. Every figure is the
median of N runs (default 7), measured side by side in the same run:

1. the numeric ResNet-50 table (every layer, totals, receptive fields) as a new Python process
   (examples/resnet50.toml → JSON answers), and the command ``symconv net examples/resnet50.toml`` (the
   per-layer table and the totals, as JSON and as text: SymPy is not imported, which the benchmark
   checks), against ptflops counting the same model (built by hand in PyTorch,
   benchmarks/torch_resnet50.py) end to end in a new process, including ``import torch``; if ptflops
   is missing, torch.utils.flop_counter's forward pass stands in (and the output says so);
2. a 1,000-layer stack against a 100-layer one (same layers, in-process): the ratio should be ~10;
3. the closed-form ResNet-50 table in H and W against the numeric one (in-process, SymPy imported, the
   remembered normal forms of floors forgotten before each run).

New processes run as an installed package does: with compiled bytecode (``PYTHONDONTWRITEBYTECODE`` is
dropped for them and each is run once before it is timed), as torch's is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYMCONV = """
import json, tomllib
from symconv.network.problem import network
with open('examples/resnet50.toml', 'rb') as f:
    r = network(tomllib.load(f)['problem'][0])
print(json.dumps({'macs': r['macs'], 'parameters': r['parameters'], 'layers': len(r['layers'])}))
"""

COMMAND = [sys.executable, "-m", "symconv", "net", "examples/resnet50.toml", "--format"]
"""The command end to end (argument parsing, the file, the table, the document on stdout)."""

SYMPY_LOADED = """
import os, sys
from symconv.cli import main
main(['net', 'examples/resnet50.toml', '--format', '{fmt}', '-o', os.devnull])
print('sympy' in sys.modules)
"""

SYMBOLIC = SYMCONV.replace("['problem'][0])", "['problem'][0] | {'input': ['H', 'W', 3]})").replace(
    "'macs': r['macs']", "'macs': str(r['macs'])[:40]"
)

PTFLOPS = """
import sys
sys.path.insert(0, 'benchmarks')
import torch
from ptflops import get_model_complexity_info
from torch_resnet50 import ResNet50
macs, params = get_model_complexity_info(ResNet50(), (3, 224, 224), as_strings=False, print_per_layer_stat=False,
                                         backend='pytorch')
print(int(macs), int(params))
"""

FLOP_COUNTER = """
import sys
sys.path.insert(0, 'benchmarks')
import torch
from torch.utils.flop_counter import FlopCounterMode
from torch_resnet50 import ResNet50
model = ResNet50().eval()
counter = FlopCounterMode(display=False)
with counter, torch.no_grad():
    model(torch.rand(1, 3, 224, 224))
print(counter.get_total_flops() // 2, sum(p.numel() for p in model.parameters()))
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""New processes keep their compiled bytecode, as an installed package (and torch) does."""


def process_time(code: str, runs: int) -> tuple[float, str]:
    """Median wall time of ``python -c code`` as a new process (after one untimed run), and its output."""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, check=True)
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True
        )
        times.append(time.perf_counter() - start)
        out = done.stdout.strip()
    return statistics.median(times), out


def command_time(argv: list[str], runs: int) -> float:
    """Median wall time of a command as a new process (its output discarded), after one untimed run."""
    subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def stack(depth: int) -> dict[str, Any]:
    """A problem table of ``depth`` layers: 3 × 3 convolutions (padding 1) alternating with ReLUs."""
    layers = [
        {"type": "conv", "kernel": 3, "filters": 16, "padding": 1} if n % 2 == 0 else {"type": "relu"}
        for n in range(depth)
    ]
    return {"input": [32, 32, 3], "layers": layers}


def have(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    from symconv.network.problem import network

    print(f"python {sys.version.split()[0]}, {runs} runs per figure (medians)\n")
    ours, ours_out = process_time(SYMCONV, runs)
    print(f"symconv numeric ResNet-50 table, new process: {ours:.3f} s  ({ours_out})")
    commands = {fmt: command_time([*COMMAND, fmt], runs) for fmt in ("json", "text")}
    for fmt, seconds in commands.items():
        _, loaded = process_time(SYMPY_LOADED.replace("{fmt}", fmt), 1)
        print(
            f"`symconv net examples/resnet50.toml --format {fmt}`, new process: {seconds:.3f} s (SymPy loaded: {loaded})"
        )
    if have("ptflops"):
        peer, peer_out = process_time(PTFLOPS, runs)
        peer_name = "ptflops (pytorch backend) on the same model, new process"
    else:
        peer, peer_out = process_time(FLOP_COUNTER, runs)
        peer_name = "ptflops not installed: torch.utils.flop_counter forward pass instead, new process"
    print(f"{peer_name}: {peer:.3f} s  (MACs, parameters: {peer_out})")
    torch_import, _ = process_time("import torch", runs)
    print(f"  of which `import torch` alone: {torch_import:.3f} s")
    print(
        f"speed-up: {peer / ours:.1f}x (answers), {peer / max(commands.values()):.1f}x (the command, slower format)\n"
    )

    small, large = stack(100), stack(1000)
    t100 = in_process(lambda: network(small), runs)
    t1000 = in_process(lambda: network(large), runs)
    print(f"100-layer stack: {t100 * 1000:.2f} ms; 1000-layer stack: {t1000 * 1000:.2f} ms; ratio {t1000 / t100:.1f}\n")

    with open(ROOT / "examples" / "resnet50.toml", "rb") as f:
        resnet = tomllib.load(f)["problem"][0]
    symbolic = dict(resnet, input=["H", "W", 3])
    network(symbolic)  # import SymPy and warm the formula caches once
    from symconv.catalogue.symbolic import forget

    numeric_time = in_process(lambda: network(resnet), runs)
    # each run starts without the normal forms the previous one remembered: a fresh network's closed forms
    closed_time = in_process(lambda: (forget(), network(symbolic)), runs)
    print(
        f"ResNet-50 table in-process: numeric {numeric_time * 1000:.1f} ms; closed forms in H, W "
        f"{closed_time * 1000:.1f} ms ({closed_time / numeric_time:.0f}x the numeric)"
    )
    fresh_closed, _ = process_time(SYMBOLIC, runs)
    print(
        f"closed-form ResNet-50 table as a new process (SymPy import included): {fresh_closed:.3f} s "
        f"vs numeric {ours:.3f} s"
    )
    print(f"closed-form MACs: {network(symbolic)['macs']}")


if __name__ == "__main__":
    main()
