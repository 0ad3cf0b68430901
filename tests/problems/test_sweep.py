"""Sweeps: every point equals the single-point answer of the problem that defines the quantity."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import symconv
from symconv.errors import InputError
from symconv.network.quantity import network_quantity
from symconv.problems.sweep import sweep
from symconv.solution.derivation import Plot, Table


def test_savings_over_the_bottleneck_width() -> None:
    r = sweep("savings", "P", range=[1, 48], given={"L": 250, "N": 48, "k": 7, "P": 12})
    assert [row["P"] for row in r.value] == list(range(1, 49))
    for row in r.value:
        assert row["savings"] == symconv.bottleneck([54, 54, 250], 7, 48, row["P"]).answers["savings"]
    plot = next(s for s in r.steps if isinstance(s, Plot))
    # the given problem's own point is marked, with the seed's answer
    assert plot.marked == ((12, Fraction(23199, 24500)),)
    assert len(plot.points) == 48


def test_output_size_over_the_input_against_the_problem() -> None:
    r = sweep("conv_output_size", "i", range=[3, 300], given={"k": 3, "s": 2, "p": 1, "d": 2})
    for row in r.value[::7]:
        assert row["conv_output_size"] == symconv.output_size(row["i"], 3, 2, 1, 2).value
    assert r.y.dtype == np.int64  # integer arithmetic, not floats


def test_explicit_values_are_sorted_and_distinct() -> None:
    r = sweep("ratio", "N", values=[64, 8, 8, 512], given={"k": 3})
    assert [row["N"] for row in r.value] == [8, 64, 512]
    for row in r.value:
        assert row["ratio"] == symconv.depthwise_separable([14, 14, 32], 3, row["N"]).answers["ratio"]


def test_a_network_total_over_the_input_size() -> None:
    spec = {
        "input": ["S", "S", 3],
        "layers": [
            {"type": "conv", "kernel": 7, "filters": 16, "stride": 2, "padding": 3},
            {"type": "maxpool", "kernel": 3, "stride": 2, "padding": 1},
            {"type": "conv", "kernel": 3, "filters": 32, "stride": 2, "padding": 1},
        ],
    }
    r = sweep(network_quantity(spec, "macs"), "S", range=[16, 80])
    for row in r.value[::5]:
        numeric = symconv.analyse_network(dict(spec, input=[row["S"], row["S"], 3]))
        assert row["macs"] == numeric["macs"]


def test_long_sweeps_keep_documents_short() -> None:
    r = sweep("conv_output_size", "i", range=[3, 100_002], given={"k": 3, "s": 2, "p": 0, "d": 1})
    assert len(r.value) == 100_000 and r.value[-1]["conv_output_size"] == (100_002 - 3) // 2 + 1
    table = next(s for s in r.steps if isinstance(s, Table))
    plot = next(s for s in r.steps if isinstance(s, Plot))
    assert len(table.rows) <= 60 and len(plot.points) <= 400
    assert table.rows[0][0] == 3 and table.rows[-1][0] == 100_002


def test_values_past_int64_stay_exact() -> None:
    r = sweep("macs", "H_o", values=[10**9, 10**10], given={"W_o": 10**6, "C_out": 4096, "K": 4608})
    assert [row["macs"] for row in r.value] == [v * 10**6 * 4096 * 4608 for v in (10**9, 10**10)]


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"range": [1, 4], "values": [1]}, "range, values", "exactly one"),
        ({}, "range, values", "exactly one"),
        ({"range": [0, 4]}, "range[0]", "positive"),
        ({"range": [5, 1]}, "range", "above"),
        ({"range": [1, 200_000]}, "range", "more than"),
        ({"values": [1, "x"]}, "values[1]", "expected a number"),
        ({"range": [1, 4], "given": {"L": "L", "N": 48, "k": 7}}, "given.L", "needs numbers"),
        ({"range": [1, 4], "given": {"N": 48, "k": 7}}, "given", "no value for L"),
    ],
)
def test_bad_sweeps(kwargs: dict, field: str, fragment: str) -> None:
    args = {"given": {"L": 250, "N": 48, "k": 7}, **kwargs}
    with pytest.raises(InputError) as e:
        sweep("savings", "P", **args)
    assert e.value.field == field and fragment in str(e.value)
