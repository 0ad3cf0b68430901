"""Every public function refuses bad arguments cleanly: a symconv error, within a time budget, never another error.

The fuzz calls each function of ``symconv.__all__`` with junk (tests/strategies.py: numbers at the edges,
words, numpy scalars and arrays, torch tensors, odd objects, small nested lists and tables), either instead
of some arguments of a valid call (so the junk reaches the deeper checks) or as the whole call. Whatever
comes back must be a result, or a :class:`symconv.SymconvError`: never AttributeError, MemoryError,
RecursionError or a numpy message. Each call runs under an alarm (:data:`BUDGET`) that ends it if it hangs.
"""

from __future__ import annotations

import inspect
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import junk

import symconv
from symconv.errors import SymconvError

ROOT = Path(__file__).resolve().parents[1]

BUDGET = 5.0
"""Seconds one call may take before it counts as a hang (every documented limit keeps a call far below it)."""

CONV = {"type": "conv", "kernel": 3, "filters": 4, "padding": 1}
SPEC = {"input": [8, 8, 3], "layers": [CONV, {"type": "maxpool", "kernel": 2}, {"type": "relu"}]}
DESIGNS = [
    {"name": "two 3x3", "layers": [dict(CONV, filters="C")] * 2},
    {"name": "one 5x5", "layers": [dict(CONV, kernel=5, padding=2, filters="C")]},
]


def _torch_model() -> Any:
    torch = pytest.importorskip("torch")
    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU())


def _onnx_model() -> Any:
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    weight = numpy_helper.from_array(np.ones((4, 3, 3, 3), dtype=np.float32), "w")
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [weight],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]) if onnx else None


def valid_calls() -> dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]]:
    """A call of every public function that succeeds: (positional arguments, keyword arguments)."""
    net = lambda: symconv.network_from_spec(SPEC)
    return {
        "receptive_field": lambda: (([3, 3, 3],), {"strides": [1, 2, 2], "paddings": [1, 1, 1], "position": 2}),
        "output_size": lambda: ((38, 3, 2, 1, 1), {"mode": "floor", "output_padding": 0}),
        "conv_layer": lambda: (([38, 38, 22], 3, 224), {"stride": 2, "padding": 1, "groups": 2, "bias": True}),
        "bottleneck": lambda: (([54, 54, 250], 7, 48, 12), {}),
        "depthwise_separable": lambda: (([14, 14, 512], 3, 512), {}),
        "convolve": lambda: (([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]]), {"padding": 1, "bias": 1}),
        "conv2d": lambda: ((np.arange(18).reshape(2, 3, 3), np.ones((2, 2, 2), dtype=int)), {"stride": 1}),
        "load_problems": lambda: ((str(ROOT / "examples" / "seed.toml"),), {}),
        "analyse_network": lambda: ((SPEC,), {"count_bias": True, "count_other_ops": False}),
        "network_from_spec": lambda: ((SPEC,), {}),
        "from_torch": lambda: ((_torch_model(), (3, 8, 8)), {}),
        "from_onnx": lambda: ((_onnx_model(),), {"input_shape": (3, 8, 8)}),
        "network_memory": lambda: ((SPEC,), {"dtype": "float16"}),
        "closed_forms": lambda: ((net(),), {"height": "H", "width": "W"}),
        "solve": lambda: (("conv_output_size", "s", 18), {"given": {"i": 38, "k": 3, "p": 0, "d": 1}}),
        "sweep": lambda: (("savings", "P"), {"range": [1, 20], "given": {"L": 250, "N": 48, "k": 7}}),
        "sensitivity": lambda: (("savings", "P"), {"given": {"L": 250, "N": 48, "k": 7, "P": 12}}),
        "compare": lambda: (([32, 32, "C"], DESIGNS), {}),
        "network_quantity": lambda: ((SPEC, "macs"), {}),
    }


FUNCTIONS = sorted(
    name for name in symconv.__all__ if inspect.isfunction(getattr(symconv, name)) and not name.startswith("_")
)


def test_every_public_function_is_fuzzed() -> None:
    assert set(FUNCTIONS) == set(valid_calls())


class Hang(Exception):
    """A call that ran past the budget."""


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def as_torch(value: Any) -> Any:
    """numpy arrays (at any depth) as torch tensors, where torch can hold them."""
    import torch

    if isinstance(value, np.ndarray) and value.dtype != object:
        return torch.from_numpy(np.ascontiguousarray(value))
    if isinstance(value, list):
        return [as_torch(v) for v in value]
    return value


def call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Call the function; only a result or a symconv error may come out, within the budget."""
    fn = getattr(symconv, name)
    try:
        with budget(BUDGET):
            result = fn(*args, **kwargs)
            repr(result)
    except SymconvError:
        return
    except Hang:
        pytest.fail(f"{name}(*{args!r:.200}, **{kwargs!r:.200}) ran past {BUDGET} s")


@st.composite
def calls(draw: Any, name: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A valid call with some arguments replaced by junk (or extra ones added), or a call of junk alone."""
    args, kwargs = valid_calls()[name]()
    args, kwargs = list(args), dict(kwargs)
    params = [p for p in inspect.signature(getattr(symconv, name)).parameters]
    how = draw(st.sampled_from(["replace", "replace", "deep", "deep", "keyword", "junk only"]))
    if how == "deep":  # junk inside a valid argument: a layer's kernel, an entry of a matrix, a given value
        i = draw(st.integers(0, len(args) + len(kwargs) - 1)) if args or kwargs else 0
        if i < len(args):
            args[i] = draw(deep(args[i]))
        elif kwargs:
            key = list(kwargs)[i - len(args)]
            kwargs[key] = draw(deep(kwargs[key]))
    elif how == "junk only":
        args, kwargs = draw(st.lists(junk(), max_size=5)), {}
    elif how == "keyword":
        kwargs[draw(st.sampled_from([*params, "kernel_size", "strides", "x", "i", "k", "outputs"]))] = draw(junk())
    else:
        for _ in range(draw(st.integers(1, 2))):
            slots = [("arg", i) for i in range(len(args))] + [("kw", k) for k in kwargs] + [("kw", p) for p in params]
            where, key = draw(st.sampled_from(slots))
            if where == "arg":
                args[key] = draw(junk())  # type: ignore[index]
            else:
                kwargs[key] = draw(junk())  # type: ignore[index]
        for i, p in enumerate(params[: len(args)]):
            kwargs.pop(p, None)  # not given twice (a repeated argument has its own test)
    if draw(st.booleans()) and name != "from_torch":
        try:
            import torch  # noqa: F401
        except ImportError:
            pass
        else:
            args, kwargs = as_torch(args), {k: as_torch(v) for k, v in kwargs.items()}
    return tuple(args), kwargs


@st.composite
def deep(draw: Any, value: Any) -> Any:
    """``value`` with one entry, at any depth of its lists and tables, replaced by junk (or a key added)."""
    if isinstance(value, dict) and value:
        value = dict(value)
        key = draw(st.sampled_from([*value, "colour"]))
        value[key] = draw(deep(value[key])) if key in value and draw(st.booleans()) else draw(junk())
        return value
    if isinstance(value, (list, tuple)) and value:
        value = list(value)
        i = draw(st.integers(0, len(value) - 1))
        value[i] = draw(deep(value[i])) if draw(st.booleans()) else draw(junk())
        return value
    return draw(junk())


@pytest.mark.parametrize("name", FUNCTIONS)
def test_valid_call_works(name: str) -> None:
    args, kwargs = valid_calls()[name]()
    getattr(symconv, name)(*args, **kwargs)


@pytest.mark.parametrize("name", FUNCTIONS)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_junk_gives_a_result_or_a_symconv_error(name: str, data: st.DataObject) -> None:
    args, kwargs = data.draw(calls(name), label="call")
    call(name, args, kwargs)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("huge", [10**5000, -(10**5000), Fraction(1, 10**5000)], ids=["big", "negative", "tiny"])
def test_numbers_past_pythons_printing_limit_give_a_symconv_error(name: str, huge: Any) -> None:
    """Each argument in turn replaced by a number str() refuses (over 4,300 digits): no ValueError of Python's
    own (the junk strategies cannot hold such numbers: hypothesis prints what it draws)."""
    args, kwargs = valid_calls()[name]()
    for i in range(len(args)):
        call(name, tuple(huge if j == i else a for j, a in enumerate(args)), kwargs)
    for key in kwargs:
        call(name, args, {**kwargs, key: huge})


# --- numpy and torch in, the same answers out -----------------------------------------------------------


def _numeric_list(value: Any) -> bool:
    """A (nested) list whose leaves are all ints: an array candidate."""
    if isinstance(value, list):
        return bool(value) and all(_numeric_list(v) for v in value) and len({np.shape(v) for v in value}) == 1
    return isinstance(value, int) and not isinstance(value, bool)


def as_numpy(value: Any, how: str) -> Any:
    """Ints as numpy scalars (``how="scalar"``), lists of ints as numpy arrays (``"array"``) or tensors (``"torch"``)."""
    if how == "torch" and _numeric_list(value) and isinstance(value, list):
        import torch

        return torch.tensor(value)
    if how == "array" and _numeric_list(value) and isinstance(value, list):
        return np.array(value)
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return np.int64(value) if how == "scalar" else value
    if isinstance(value, (list, tuple)):
        return [as_numpy(v, how) for v in value]
    if isinstance(value, dict):
        return {k: as_numpy(v, how) for k, v in value.items()}
    return value


def listed(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in answers.items()}


@pytest.mark.parametrize("how", ["scalar", "array", "torch"])
@pytest.mark.parametrize(
    "name", sorted(set(FUNCTIONS) - {"load_problems", "closed_forms", "from_torch", "from_onnx", "network_memory"})
)
def test_numpy_and_torch_give_the_list_answer(name: str, how: str) -> None:
    if how == "torch":
        pytest.importorskip("torch")
    args, kwargs = valid_calls()[name]()
    fn = getattr(symconv, name)
    expected = fn(*args, **kwargs)
    got = fn(*as_numpy(list(args), how), **as_numpy(kwargs, how))
    if name == "network_from_spec":
        assert got == expected
    elif name == "network_quantity":
        assert got.expr == expected.expr
    elif name == "conv2d":
        assert np.asarray(got).tolist() == np.asarray(expected).tolist()
    else:
        assert listed(got.answers) == listed(expected.answers)


def test_array_input_gives_an_array_and_lists_give_lists() -> None:
    x = np.arange(16).reshape(1, 4, 4)
    w = np.ones((2, 1, 3, 3), dtype=np.int32)
    out = symconv.convolve(x, w, padding=1).output
    assert isinstance(out, np.ndarray) and out.dtype == np.int64 and out.shape == (2, 4, 4)
    assert symconv.convolve(x.tolist(), w.tolist(), padding=1).output == out.tolist()
    assert isinstance(symconv.conv2d(x.tolist(), w.tolist()), list)
    big = symconv.convolve(np.array([[2**49]]), np.array([[2**15]])).output  # past int64: exact Python ints
    assert big.dtype == object and big.tolist() == [[2**64]]
    floats = symconv.convolve(x.astype(np.float32), w).output
    assert floats.dtype == np.float64


def test_torch_tensors_convolve_like_torch() -> None:
    torch = pytest.importorskip("torch")
    x, w = torch.randn(3, 6, 6), torch.randn(4, 3, 3, 3)
    out = symconv.convolve(x, w, stride=2, padding=1).output
    ref = torch.nn.functional.conv2d(x[None].double(), w.double(), stride=2, padding=1)[0]
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("call", "field", "words"),
    [
        (lambda: symconv.conv_layer([8, 8, 3], 3, 4, transposed="no"), "transposed", "True or False"),
        (lambda: symconv.conv_layer([8, 8, 3], 3, 4, bias=1), "bias", "True or False"),
        (lambda: symconv.convolve([[1]], [[1]], flip="yes"), "flip", "True or False"),
        (lambda: symconv.analyse_network(SPEC, count_bias=None), "count_bias", "True or False"),
        (lambda: symconv.conv_layer([8, 8, 3], 3, 4, output_padding=1), "output_padding", "transposed"),
        (lambda: symconv.output_size(8, 3, output_padding=1), "output_padding", "transposed"),
        (lambda: symconv.output_size(1, 1, 1, 5, mode="transposed"), "padding", "-9 pixels"),
        (lambda: symconv.output_size(9, 3, 1, 2, mode="ceil"), "padding", "half the kernel"),
        (lambda: symconv.output_size("٣", 1), "input", r"U\+0663"),
        (lambda: symconv.output_size("３", 1), "input", r"U\+FF13"),
        (lambda: symconv.load_problems(True), "path", "file name"),
        (lambda: symconv.closed_forms(symconv.network_from_spec(SPEC), height="H+1"), "height", "symbol name"),
        (lambda: symconv.closed_forms(SPEC), "network", "Network"),
        (lambda: symconv.convolve([[1, 2]], [[1]], padding=10**6), "padding", "limit"),
        (lambda: symconv.receptive_field(kernel=[3, 3]), "kernel", "did you mean 'kernels'"),
        (lambda: symconv.output_size(38, kernel_size=3), "kernel_size", "did you mean 'kernel'"),
        (lambda: symconv.conv_layer([8, 8, 3], 3, out_channels=4), "out_channels", "did you mean 'filters'"),
    ],
)
def test_each_refusal_names_its_field(call: Callable[[], Any], field: str, words: str) -> None:
    with pytest.raises(SymconvError, match=words) as e:
        call()
    assert getattr(e.value, "field", None) == field


def test_load_problems_never_touches_a_file_descriptor() -> None:
    """load_problems(True) once read standard output's descriptor (1) and closed it."""
    import os

    with pytest.raises(SymconvError):
        symconv.load_problems(True)
    os.fstat(1)  # still open


def test_floats_are_the_decimals_they_print() -> None:
    """0.1 is 1/10 everywhere, as in problem files, never 3602879701896397/36028797018963968."""
    given = {"L": 250, "N": 48, "k": 7}
    exact = symconv.solve("savings", "P", "9/10", relation=">=", given=given).answers["closed_form"]
    assert symconv.solve("savings", "P", 0.9, relation=">=", given=given).answers["closed_form"] == exact
    assert symconv.solve("savings", "P", np.float32(0.9), relation=">=", given=given).answers["closed_form"] == exact
    from fractions import Fraction

    assert symconv.convolve([[0.1, 0.2]], [[1, 1]]).output == [[Fraction(3, 10)]]
    assert symconv.output_size(38.0, 3.0, 2.0).value == 18
    with pytest.raises(SymconvError, match="integer"):
        symconv.output_size(38.5, 3)
