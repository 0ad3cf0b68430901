"""Networks: symbolic resampling, comparisons and scans bounded before the work; numeric tables without SymPy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symconv import analyse_network, compare, solve
from symconv.core.limits import MAX_DESIGNS, MAX_EVALUATIONS, MAX_SYMBOLIC_RESAMPLING
from symconv.errors import InputError
from symconv.network.quantity import network_quantity
from symconv.network.symbolic import substitute

ROOT = Path(__file__).resolve().parents[2]


def conv(stride: int = 1, filters: object = 8) -> dict:
    return {"type": "conv", "kernel": 3, "filters": filters, "stride": stride, "padding": 1}


def test_a_symbolic_network_may_resample_its_input_so_many_times() -> None:
    layers = [conv(2)] * MAX_SYMBOLIC_RESAMPLING + [conv(1)] * 100
    r = analyse_network({"input": ["H", "W", 3], "layers": layers})
    # the floors nest into one, ⌊(H − 1)/2^n⌋ + 1: checked at a number against the numeric table
    big = 10**15
    numeric = analyse_network({"input": [big, big, 3], "layers": layers})
    for n in (10, 40, 63):
        closed = r["layers"][n]["output_shape"][0]
        assert (
            substitute(closed, {"H": big}) == numeric["layers"][n]["output_shape"][0] == (big - 1) // 2 ** (n + 1) + 1
        )
    with pytest.raises(InputError) as e:
        analyse_network({"input": ["H", "W", 3], "layers": [conv(2)] * (MAX_SYMBOLIC_RESAMPLING + 1)})
    assert e.value.field == "layers" and "stride other than 1" in str(e.value)
    analyse_network({"input": [224, 224, 3], "layers": [conv(2)] * 1000})  # numbers: no such limit


def test_comparisons_are_limited_in_designs_and_layers() -> None:
    design = {"layers": [conv(1, "C")]}
    designs = [dict(design, name=f"d{i}") for i in range(MAX_DESIGNS + 1)]
    compare(["H", "W", "C"], designs[:MAX_DESIGNS])
    with pytest.raises(InputError) as e:
        compare(["H", "W", "C"], designs)
    assert e.value.field == "design" and f"{MAX_DESIGNS}" in str(e.value)
    with pytest.raises(InputError, match="layers of all the designs"):
        compare(
            ["H", "W", "C"],
            [{"name": "a", "layers": [conv(1, "C")] * 600}, {"name": "b", "layers": [conv(1, "C")] * 600}],
        )


def test_a_scan_too_long_for_its_closed_form_is_refused_naming_the_range() -> None:
    layers = [conv(2 if i % 15 == 0 else 1, 16) for i in range(960)]
    macs = network_quantity({"input": ["H", "H", 3], "layers": layers}, "macs")
    with pytest.raises(InputError) as e:
        solve(macs, "H", 10**9, relation="<=", range=[1, 1_000_000])
    assert e.value.field == "range" and f"{MAX_EVALUATIONS:,}" in str(e.value)
    assert solve(macs, "H", 10**9, relation="<=", range=[1, 1000]).value[:2] == [1, 2]


def test_the_numeric_table_is_written_without_sympy() -> None:
    """`net`, and `solve` on a file of networks: table and totals, text and JSON, SymPy never imported."""
    code = (
        "import os, sys\nfrom symconv.cli import main\n"
        "for fmt in ('text', 'json'):\n"
        "    assert main(['net', 'examples/resnet50.toml', '--format', fmt, '-o', os.devnull]) == 0\n"
        "    assert main(['solve', 'examples/vgg16.toml', '--format', fmt, '-o', os.devnull]) == 0\n"
        "print('sympy' in sys.modules)\n"
        "main(['net', 'examples/resnet50.toml', '--format', 'text', '--detail', 'full', '-o', os.devnull])\n"
        "print('sympy' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]  # the worked rows of --detail full are SymPy's
