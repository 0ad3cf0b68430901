"""PyTorch's answer on every edge: random layer geometries, symconv's output size (or refusal) against torch's own.

Each configuration runs through every symconv path that sizes that kind of layer — the single-axis problem
(``output_size``), the layer problem (``conv_layer``) and a one-layer network — and through PyTorch on a zero
tensor of that size. Either both give the same output size, or both refuse: torch with a RuntimeError or
ValueError, symconv with an InputError naming a field. The geometries reach every edge: kernels larger than
the padded input, ceil-mode windows hanging over it, pooling padding past half the kernel, transposed layers
with no output, output padding not smaller than the stride or the dilation, adaptive outputs larger than
the input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symconv
from symconv.errors import InputError

torch = pytest.importorskip("torch")
F = torch.nn.functional

EXAMPLES = 800
"""Random configurations per kind of layer (the report quotes their total)."""

sizes = st.integers(1, 24)
kernels = st.integers(1, 8)
strides = st.integers(1, 5)
paddings = st.integers(0, 6)
dilations = st.integers(1, 3)


def torch_size(op: Callable[[], Any]) -> int | None:
    """The output height torch computes, or None when torch refuses the geometry or computes no output.

    An empty output counts as a refusal: PyTorch's CPU backends disagree there (a transposed convolution of
    input 1, kernel 7, stride 2, padding 4, output padding 1 returns an empty tensor through oneDNN, while
    kernel 3, stride 2, padding 2, output padding 1, also of size 0, is refused), and symconv refuses every
    layer with no output (docs/conventions.md).
    """
    try:
        size = int(op().shape[-2])
    except (RuntimeError, ValueError):
        return None
    return size or None


def ours(op: Callable[[], Any]) -> int | None:
    """symconv's output height, or None when it refuses (always naming a field)."""
    try:
        return op()
    except InputError as e:
        assert e.field and str(e)
        return None


def image(i: int) -> Any:
    return torch.zeros(1, 1, i, i)


def network_size(layer: dict[str, Any], i: int) -> int:
    return symconv.analyse_network({"input": [i, i, 1], "layers": [layer]})["layers"][0]["output_shape"][0]


@settings(max_examples=EXAMPLES, deadline=None)
@given(i=sizes, k=kernels, s=strides, p=paddings, d=dilations)
def test_convolution(i: int, k: int, s: int, p: int, d: int) -> None:
    expected = torch_size(lambda: F.conv2d(image(i), torch.zeros(1, 1, k, k), None, s, p, d))
    layer = {"type": "conv", "kernel": k, "stride": s, "padding": p, "dilation": d, "filters": 1}
    assert ours(lambda: symconv.output_size(i, k, s, p, d).value) == expected
    assert ours(lambda: symconv.conv_layer([i, i, 1], k, 1, s, p, d).answers["output_shape"][0]) == expected
    assert ours(lambda: network_size(layer, i)) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(i=sizes, k=kernels, s=strides, p=paddings, d=dilations, ceil=st.booleans(), op=st.sampled_from(["max", "avg"]))
def test_pooling(i: int, k: int, s: int, p: int, d: int, ceil: bool, op: str) -> None:
    if op == "avg":
        d = 1  # average pooling has no dilation
        expected = torch_size(lambda: F.avg_pool2d(image(i), k, s, p, ceil_mode=ceil))
    else:
        expected = torch_size(lambda: F.max_pool2d(image(i), k, s, p, d, ceil_mode=ceil))
    layer = {"type": f"{op}pool", "kernel": k, "stride": s, "padding": p, "ceil_mode": ceil}
    if op == "max":
        layer["dilation"] = d
    assert ours(lambda: network_size(layer, i)) == expected
    if ceil:  # ceil mode is pooling's: the single-axis problem applies the pooling rules too
        assert ours(lambda: symconv.output_size(i, k, s, p, d, mode="ceil").value) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(i=sizes, k=kernels, s=strides, p=paddings, d=dilations, a=st.integers(0, 4))
def test_transposed_convolution(i: int, k: int, s: int, p: int, d: int, a: int) -> None:
    expected = torch_size(lambda: F.conv_transpose2d(image(i), torch.zeros(1, 1, k, k), None, s, p, a, 1, d))
    layer = {"type": "conv_transpose", "kernel": k, "stride": s, "padding": p, "dilation": d, "filters": 1}
    layer["output_padding"] = a
    kwargs = {"mode": "transposed", "output_padding": a}
    assert ours(lambda: symconv.output_size(i, k, s, p, d, **kwargs).value) == expected
    layer_problem = lambda: symconv.conv_layer([i, i, 1], k, 1, s, p, d, transposed=True, output_padding=a)
    assert ours(lambda: layer_problem().answers["output_shape"][0]) == expected
    assert ours(lambda: network_size(layer, i)) == expected


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(i=sizes, o=st.integers(1, 30))
def test_adaptive_pooling(i: int, o: int) -> None:
    expected = torch_size(lambda: F.adaptive_avg_pool2d(image(i), o))
    assert ours(lambda: network_size({"type": "adaptive_avgpool", "output": o}, i)) == expected


def test_the_edges_the_issue_names() -> None:
    """The configurations issue 13 found wrong, each now PyTorch's answer."""
    # a ceil-mode window larger than the padded input: PyTorch pools it to one element
    assert symconv.output_size(2, 3, 2, mode="ceil").value == torch_size(
        lambda: F.max_pool2d(image(2), 3, 2, ceil_mode=True)
    )
    # ... unless no window can start in it: then both refuse
    assert torch_size(lambda: F.max_pool2d(image(1), 3, 2, ceil_mode=True)) is None
    with pytest.raises(InputError, match="kernel"):
        symconv.output_size(1, 3, 2, mode="ceil")
    # a transposed layer with no output at all: (1 − 1)·1 − 2·5 + 0 + 0 + 1 = −9
    assert torch_size(lambda: F.conv_transpose2d(image(1), torch.zeros(1, 1, 1, 1), None, 1, 5)) is None
    with pytest.raises(InputError, match="padding"):
        symconv.output_size(1, 1, 1, 5, mode="transposed")
