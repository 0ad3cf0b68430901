"""What a type checker sees of the public API: the functions' results and their answers have precise types.

The package is lazy at run time (``symconv.__getattr__``), so without its ``TYPE_CHECKING`` imports every
name would be Any to a checker; this runs mypy on a consumer's code and reads its ``reveal_type`` notes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONSUMER = """
import numpy as np
import symconv

reveal_type(symconv.output_size(38, kernel=3, stride=2).value)
reveal_type(symconv.conv_layer([38, 38, 22], 3, 224).output_shape)
reveal_type(symconv.receptive_field([3, 3]).effective_stride)
reveal_type(symconv.convolve(np.ones((3, 3)), np.ones((2, 2))).output)
reveal_type(symconv.convolve([[1, 2]], [[1]]).output)
reveal_type(symconv.conv2d(np.ones((3, 3)), np.ones((2, 2))))
reveal_type(symconv.analyse_network({}).layers[0].macs)
reveal_type(symconv.bottleneck([54, 54, 250], 7, 48, 12).savings)
"""

EXPECTED = [
    "int | fractions.Fraction",  # Size: an exact number (or a SymPy closed form, which mypy sees as Any)
    "list[int | fractions.Fraction",
    "int | fractions.Fraction",  # PerAxis: one value, or a list [h, w] (checked below)
    "numpy.ndarray",
    "list[Any]",
    "numpy.ndarray",
    "int | fractions.Fraction",
    "int | fractions.Fraction",
]


def test_results_are_typed_for_checkers(tmp_path: Path) -> None:
    consumer = tmp_path / "consumer.py"
    consumer.write_text(CONSUMER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", "/dev/null", "--ignore-missing-imports", str(consumer)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    revealed = [line.split('Revealed type is "', 1)[1] for line in done.stdout.splitlines() if "Revealed type" in line]
    assert len(revealed) == len(EXPECTED), done.stdout + done.stderr
    for got, expected in zip(revealed, EXPECTED):
        assert got.startswith(expected), (got, expected)
        assert got != "Any"
    assert "list[int | fractions.Fraction" in revealed[2]
