"""Every worked step ends where its answer is: the chain of partial evaluations ends at the recorded result.

A step records its result (computed by the problem, through the catalogue) and, separately, the
substituted formula evaluated one level at a time (the stepper). The two must meet, over every
example file and over random problems of every type; a matrix sum must add up to its result.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symconv import bottleneck, conv_layer, convolve, depthwise_separable, output_size, receptive_field
from symconv.core.stepper import evaluate_fully, to_sympy
from symconv.errors import InputError
from symconv.io.problemfile import load, solve_all
from symconv.network.problem import network
from symconv.solution.derivation import Equation, MatrixEquation
from symconv.solution.result import Result

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _value_at(e: Any, point: dict[sympy.Symbol, int]) -> Any:
    value = to_sympy(evaluate_fully(to_sympy(e)).xreplace({s: sympy.Integer(v) for s, v in point.items()}))
    return sympy.nsimplify(value) if not value.is_Number else value


def assert_chains_end_at_results(result: Result) -> int:
    """Check every Equation and matrix sum of ``result``'s derivation; returns how many steps were checked."""
    checked = 0
    defined: dict[Any, Any] = {}  # a closed-form step may end in quantities defined above it (RF_1 + S_1(k_2 − 1))
    for step in result.steps:
        if isinstance(step, Equation):
            end, recorded = to_sympy(step.chain[-1]).xreplace(defined), to_sympy(step.result)
            if isinstance(step.lhs, sympy.Symbol):
                defined[step.lhs] = evaluate_fully(recorded)
            if recorded.is_Number and not to_sympy(end).free_symbols:
                assert end == recorded, f"{step.label}: the chain ends at {end}, the result is {recorded}"
            else:  # a closed form: equal wherever the symbols are positive integers
                symbols = sorted(recorded.free_symbols | to_sympy(end).free_symbols, key=str)
                rng = random.Random(step.label)
                for _ in range(4):
                    point = {s: rng.randint(1, 60) for s in symbols}
                    assert _value_at(end, point) == _value_at(recorded, point), f"{step.label} at {point}"
            checked += 1
        elif isinstance(step, MatrixEquation) and step.op == "+" and step.result is not None and len(step.terms) > 1:
            total = sympy.Matrix(step.terms[0])
            for term in step.terms[1:]:
                total += sympy.Matrix(term) if isinstance(term, list) else sympy.ones(*total.shape) * term
            assert total == sympy.Matrix(step.result), step.label
            checked += 1
    return checked


FILES = sorted(p for p in EXAMPLES.glob("*.toml") if "claimed" not in p.name)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_example(path: Path) -> None:
    results = solve_all(load(str(path)))
    for _, r in results:
        assert_chains_end_at_results(r)


@pytest.mark.parametrize("name", ["vgg16", "slim_alexnet_v2"])
def test_every_row_of_the_example_networks(name: str) -> None:
    table = load(str(EXAMPLES / f"{name}.toml")).problems[0].params
    every = [layer["name"] for layer in table["layers"]]
    assert assert_chains_end_at_results(network(table, derive=every)) > len(every)


sizes = st.integers(1, 9)
small = st.integers(1, 4)


@settings(max_examples=40, deadline=None)
@given(
    H=sizes, W=sizes, C=small, F=small, k=small, s=small, p=st.integers(0, 3), d=st.integers(1, 2), a=st.integers(0, 2),
    transposed=st.booleans(), bias=st.booleans(), same=st.booleans(), g=st.sampled_from([1, 2]),
)  # fmt: skip
def test_random_layers(
    H: int,
    W: int,
    C: int,
    F: int,
    k: int,
    s: int,
    p: int,
    d: int,
    a: int,
    transposed: bool,
    bias: bool,
    same: bool,
    g: int,
) -> None:
    padding: Any = "same" if same and not transposed else p
    try:
        r = conv_layer(
            [H, W, C * g], k, F * g, stride=s, padding=padding, dilation=d, groups=g, bias=bias,
            transposed=transposed, output_padding=a if transposed else 0,
        )  # fmt: skip
    except InputError:
        assume(False)
    assert assert_chains_end_at_results(r) >= 8


@settings(max_examples=40, deadline=None)
@given(
    i=st.one_of(sizes, st.just("i")), k=small, s=st.one_of(small, st.just("s")), p=st.integers(0, 3),
    d=st.integers(1, 2), a=st.integers(0, 2), mode=st.sampled_from(["floor", "ceil", "transposed", "tf_same"]),
)  # fmt: skip
def test_random_output_sizes(i: Any, k: int, s: Any, p: int, d: int, a: int, mode: str) -> None:
    try:
        r = output_size(i, k, s, p, d, mode=mode, output_padding=a if mode == "transposed" else 0)
    except InputError:
        assume(False)
    assert assert_chains_end_at_results(r) >= 1


layers = st.lists(st.tuples(small, small, st.integers(1, 2), st.integers(0, 2)), min_size=1, max_size=4)


@settings(max_examples=30, deadline=None)
@given(layers, st.booleans(), st.integers(0, 5))
def test_random_receptive_fields(spec: list[tuple[int, int, int, int]], symbolic: bool, x: int) -> None:
    ks, ss, ds, ps = (list(v) for v in zip(*spec))
    if symbolic:
        ks = [f"k_{n + 1}" for n in range(len(ks))]
    r = receptive_field(ks, ss, ds, ps, position=x)
    assert assert_chains_end_at_results(r) >= len(spec)


@settings(max_examples=20, deadline=None)
@given(H=sizes, L=st.integers(1, 300), k=st.sampled_from([1, 3, 5, 7]), N=st.integers(1, 300), P=st.integers(1, 64))
def test_random_savings(H: int, L: int, k: int, N: int, P: int) -> None:
    assert assert_chains_end_at_results(bottleneck([H, H, L], k, N, P)) >= 6
    assert assert_chains_end_at_results(depthwise_separable([H, H, L], k, N)) >= 6


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_convolutions(seed: int) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    c, f = int(rng.integers(1, 3)), int(rng.integers(1, 3))
    x = rng.integers(-4, 5, (c, int(rng.integers(2, 5)), int(rng.integers(2, 5))))
    w = rng.integers(-4, 5, (f, c, 2, 2))
    bias = [int(b) for b in rng.integers(-3, 4, f)]
    r = convolve(x, w, padding=int(rng.integers(0, 2)), bias=bias, flip=bool(rng.integers(0, 2)))
    assert assert_chains_end_at_results(r) > 0


@st.composite
def networks(draw: Any) -> dict[str, Any]:
    """A random small network table: convolutions, pools, a residual add or a concat, a head."""
    size = draw(st.one_of(st.integers(8, 24), st.just("H")))
    layers: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["conv", "maxpool", "avgpool", "conv_transpose"]))
        layer: dict[str, Any] = {"name": f"l{n}", "type": kind, "kernel": draw(small)}
        if kind == "conv":
            layer.update(filters=4, padding=draw(st.sampled_from([0, 1, "same"])), stride=draw(st.integers(1, 2)))
        elif kind == "conv_transpose":
            layer.update(filters=4, stride=draw(st.integers(1, 2)), padding=draw(st.integers(0, 1)))
        else:
            layer.update(stride=draw(st.integers(1, 2)), padding=draw(st.sampled_from([0, "same"])))
        layers.append(layer)
    last = layers[-1]["name"]
    layers.append({"name": "side", "type": "conv", "input": last, "kernel": 1, "filters": 4})
    layers.append({"name": "join", "type": draw(st.sampled_from(["add", "concat"])), "input": [last, "side"]})
    layers += [{"name": "bn", "type": "batchnorm"}, {"name": "gap", "type": "global_avgpool"}]
    layers += [{"name": "fc", "type": "linear", "outputs": 3}]
    return {"input": [size, size, 4], "layers": layers}


@settings(max_examples=25, deadline=None)
@given(networks(), st.booleans())
def test_random_networks(table: dict[str, Any], other_ops: bool) -> None:
    names = [layer["name"] for layer in table["layers"]]
    try:
        r = network(table, derive=names, count_other_ops=other_ops)
    except InputError:
        assume(False)
    assert assert_chains_end_at_results(r) >= len(names)
