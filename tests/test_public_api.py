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


def valid_calls() -> dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]]:
    """A call of every public function that succeeds: (positional arguments, keyword arguments)."""
    net = lambda: symconv.network_from_spec(SPEC)  # noqa: E731
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
    how = draw(st.sampled_from(["replace", "replace", "replace", "keyword", "junk only"]))
    if how == "junk only":
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
