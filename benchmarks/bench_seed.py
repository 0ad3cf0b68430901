"""The seed's whole worked solution as a new process, against importing sympy, numpy and latexify.

Run: python benchmarks/bench_seed.py [--runs N]
Both commands run alternately in fresh processes; the medians and their ratio are printed. The
target is a ratio of at most 1.5: symconv's own work adds little to the libraries it stands on.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = [sys.executable, "-c", "import sympy, numpy, latexify"]
SEED = [sys.executable, "-m", "symconv", "solve", str(ROOT / "examples" / "seed.toml")]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    timed(FLOOR), timed(SEED)  # warm the file cache
    floor, seed = [], []
    for _ in range(args.runs):
        floor.append(timed(FLOOR))
        seed.append(timed(SEED))
    f, s = statistics.median(floor), statistics.median(seed)
    print(f"import sympy, numpy, latexify   median {f * 1e3:7.1f} ms")
    print(f"symconv solve examples/seed.toml median {s * 1e3:7.1f} ms")
    print(f"ratio {s / f:.2f} (target <= 1.5), {args.runs} runs each")


if __name__ == "__main__":
    main()
