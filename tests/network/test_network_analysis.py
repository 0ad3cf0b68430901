"""Network analysis (numeric path): shapes, receptive fields, counts, conventions and errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from brute import conv1d_positions, impulse_receptive_fields, pool1d_ceil_count
from hypothesis import assume, given
from hypothesis import strategies as st
from network_helpers import example, tiny

from symconv.errors import InputError
from symconv.network import (
    Add,
    Concat,
    Conv,
    ConvTranspose,
    Flatten,
    Linear,
    Network,
    Padding,
    Pool,
)
from symconv.network.analysis import Counting, analyse
from symconv.network.spec import network_from_spec

ROOT = Path(__file__).resolve().parents[2]


def column(layers: list, size: int) -> Network:
    """A network on a size × 1 × 1 input, so every layer acts along the height only."""
    return Network((size, 1, 1), tuple(layers))


@given(
    i=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3),
    p_b=st.integers(0, 4), p_e=st.integers(0, 4),
)  # fmt: skip
def test_conv_output_matches_sliding_windows(i: int, k: int, s: int, d: int, p_b: int, p_e: int) -> None:
    layer = Conv(name="c", filters=1, kernel=(k, 1), stride=(s, 1), padding=Padding(p_b, p_e, 0, 0), dilation=(d, 1))
    windows = conv1d_positions(i, k, s, p_b, p_e, d)
    if not windows:
        with pytest.raises(InputError, match="kernel"):
            analyse(column([layer], i))
        return
    info = analyse(column([layer], i)).layers[0]
    assert info.shape == (len(windows), 1, 1)
    assert info.macs == len(windows) * k  # one multiplication per tap per output


@given(i=st.integers(1, 40), k=st.integers(1, 6), s=st.integers(1, 4), d=st.integers(1, 2), p=st.integers(0, 3))
def test_ceil_mode_pool_matches_pytorch_windows(i: int, k: int, s: int, d: int, p: int) -> None:
    # PyTorch's own limits: padding at most half the kernel (checked against k, not the dilated extent: torch
    # refuses k = 3, d = 2, p = 2), and here a window that fits (the overhanging ones are tested against torch)
    assume(p <= k // 2 and i + 2 * p >= d * (k - 1) + 1)
    layer = Pool(name="p", kernel=(k, 1), stride=(s, 1), padding=Padding(p, p, 0, 0), dilation=(d, 1), ceil_mode=True)
    assert analyse(column([layer], i)).layers[0].shape[0] == pool1d_ceil_count(i, k, s, p, d)


@given(i=st.integers(1, 60), k=st.integers(1, 7), s=st.integers(1, 4), d=st.integers(1, 3))
def test_tf_same_padding(i: int, k: int, s: int, d: int) -> None:
    """TF 'same': output ceil(i/s); the chosen padding produces exactly that many windows, extra pixel after."""
    layer = Conv(name="c", filters=1, kernel=(k, 1), stride=(s, 1), padding=Padding(same=True), dilation=(d, 1))
    w = analyse(column([layer], i)).layers[0].windows[0]
    assert w.o == min(o for o in range(1, i + 1) if o * s >= i)  # the fewest outputs whose strides cover the input
    assert len(conv1d_positions(i, k, s, w.p_b, w.p_e, d)) == w.o
    assert w.p_e - w.p_b in (0, 1)


stack = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 2), st.integers(0, 2)), min_size=1, max_size=4
)


@given(layers=stack)
def test_receptive_field_matches_impulse_responses(layers: list[tuple[int, int, int, int]]) -> None:
    """RF, stride and padding vs numpy convolutions of impulses (Distill's definitions, checked independently)."""
    assume(all(p <= d * (k - 1) for k, s, d, p in layers))  # every output reads at least one input pixel
    size = 80
    net = column(
        [
            Conv(name=f"c{n}", filters=1, kernel=(k, 1), stride=(s, 1), dilation=(d, 1), padding=Padding(p, p, 0, 0))
            for n, (k, s, d, p) in enumerate(layers)
        ],
        size,
    )
    try:
        end = analyse(net).endpoint
    except InputError:  # the map shrank below a kernel (tested in test_conv_output_matches_sliding_windows)
        assume(False)
    spans = impulse_receptive_fields(*[list(x) for x in zip(*layers)], size=size)
    assert len(spans) == end.shape[0]
    rf, jump, pad = end.field.rf[0], end.field.jump[0], end.field.pad[0]
    for x, (first, last) in enumerate(spans):
        start = x * jump - pad
        if start >= 0 and start + rf - 1 < size:  # not clipped by the border
            assert (first, last) == (start, start + rf - 1)


def test_published_figures() -> None:
    """torchvision ResNet-50 and VGG-16; the Distill table for the TF-slim models (conventions: defaults)."""
    r50 = analyse(network_from_spec(example("resnet50")))
    assert (r50.parameters, r50.macs) == (25_557_032, 4_089_184_256)
    vgg = analyse(network_from_spec(example("vgg16")))
    assert (vgg.parameters, vgg.macs) == (138_357_544, 15_470_264_320)
    assert (vgg.endpoint.field.rf, vgg.endpoint.field.jump, vgg.endpoint.field.pad) == ((212, 212), (32, 32), (90, 90))
    for name, figures in (
        ("slim_resnet_v1_50", (483, 32, 239)),
        ("slim_resnet_v1_101", (1027, 32, 511)),
        ("slim_alexnet_v2", (195, 32, 64)),
    ):
        end = analyse(network_from_spec(example(name))).endpoint
        assert (end.field.rf[0], end.field.jump[0], end.field.pad[0]) == figures, name
        assert end.field.rf[0] == end.field.rf[1]


def test_counting_switches() -> None:
    net = network_from_spec(example("resnet50"))
    bn_channels = sum(info.shape[-1] for info in analyse(net).layers if info.type == "batchnorm")
    assert analyse(net, Counting(bias=False)).parameters == 25_557_032 - 1000  # only fc has a bias
    assert analyse(net, Counting(batchnorm=False)).parameters == 25_557_032 - 2 * bn_channels
    heavy = analyse(net, Counting(other_ops=True))
    assert heavy.macs > 4_089_184_256
    relu = heavy.by_name["relu"]
    assert relu.macs == 112 * 112 * 64  # one per output element
    text = " ".join(Counting(other_ops=True).conventions().values())
    assert "ptflops" in text and "buffers" in text


def test_every_layer_kind_counts() -> None:
    net = Network(
        (9, 9, 4),
        (
            Conv(name="dw", filters=8, kernel=(3, 3), groups=4, padding=Padding.symmetric(1, 1)),
            ConvTranspose(
                name="up", filters=6, kernel=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=2
            ),
            Pool(name="avg", op="avg", kernel=(2, 2), stride=(2, 2)),
            Conv(name="b", inputs=("avg",), filters=3, kernel=(1, 1)),
            Concat(name="cat", inputs=("avg", "b")),
            Flatten(name="flat"),
            Linear(name="fc", outputs=5, bias=False),
        ),
    )
    a = analyse(net)
    dw, up, avg, _b, cat, flat, fc = a.layers
    assert dw.shape == (9, 9, 8) and dw.parameters == 3 * 3 * 1 * 8 + 8 and dw.macs == 81 * 8 * 9
    assert up.shape == (18, 18, 6) and up.parameters == 8 * 3 * 3 * 3 + 6 and up.macs == 81 * 8 * 27
    assert avg.shape == (9, 9, 6) and cat.shape == (9, 9, 9) and flat.shape == (729,)
    assert fc.parameters == 729 * 5 and fc.macs == 729 * 5
    assert up.field.jump == (0.5, 0.5) and up.warnings


def test_errors_name_layer_and_sizes() -> None:
    too_big = Network((5, 5, 3), (Conv(name="conv5", filters=4, kernel=(7, 7), padding=Padding.symmetric(0, 1)),))
    with pytest.raises(InputError) as e:
        analyse(too_big)
    assert e.value.field == "conv5.kernel" and "7" in str(e.value) and "5 + 2×0 = 5" in str(e.value)
    mismatch = Network(
        (8, 8, 3),
        (
            Conv(name="a", filters=4, kernel=(3, 3)),
            Conv(name="b", inputs=("input",), filters=4, kernel=(1, 1)),
            Add(name="s", inputs=("a", "b")),
        ),
    )
    with pytest.raises(InputError, match="6 × 6 × 4.*8 × 8 × 4"):
        analyse(mismatch)
    spatial = Network(
        (8, 8, 3),
        (Conv(name="a", filters=4, kernel=(3, 3)), Concat(name="c", inputs=("a", "input"))),
    )
    with pytest.raises(InputError, match="equal spatial sizes"):
        analyse(spatial)
    with pytest.raises(InputError, match="flatten"):
        analyse(Network((4, 4, 3), (Linear(name="fc", outputs=2),)))
    with pytest.raises(InputError, match="groups"):
        analyse(Network((4, 4, 3), (Conv(name="g", filters=4, kernel=(1, 1), groups=2),)))
    # PyTorch refuses an output padding as large as both the stride and the dilation
    too_much = ConvTranspose(name="up", filters=2, kernel=(3, 3), stride=(2, 2), output_padding=(2, 0))
    with pytest.raises(InputError) as e:
        analyse(Network((4, 4, 3), (too_much,)))
    assert e.value.field == "up.output_padding" and "stride (2)" in str(e.value)


def test_misaligned_paths_warn_and_report_the_span() -> None:
    """A 3 × 3 'valid' branch and a 1 × 1 branch of the same size would need cropping: centres differ."""
    net = Network(
        (10, 10, 1),
        (
            Conv(name="a", filters=1, kernel=(3, 3), padding=Padding(0, 2, 0, 2)),
            Conv(name="b", inputs=("input",), filters=1, kernel=(1, 1)),
            Add(name="s", inputs=("a", "b")),
        ),
    )
    s = analyse(net).by_name["s"]
    assert s.field.rf == (3, 3) and s.field.pad == (0, 0)
    assert any("not aligned" in w for w in s.warnings)
    strides = Network(
        (8, 8, 1),
        (
            Pool(name="p", kernel=(2, 2), stride=(2, 2)),
            Conv(name="c", inputs=("input",), filters=1, kernel=(5, 5)),
            Add(name="s", inputs=("p", "c")),
        ),
    )
    with pytest.raises(InputError, match="different effective strides"):
        analyse(strides)


def test_numeric_path_imports_neither_sympy_nor_torch() -> None:
    code = (
        "import sys, tomllib\n"
        "from symconv.network.problem import network\n"
        "r = network(tomllib.load(open('examples/resnet50.toml', 'rb'))['problem'][0])\n"
        "assert r.value == 4089184256 and r['layers'][0]['output_shape'] == [112, 112, 64]\n"
        "print(sorted(m for m in ('sympy', 'torch', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tiny_example_table() -> None:
    a = analyse(network_from_spec(tiny()))
    assert [info.shape for info in a.layers] == [
        (112, 112, 64),
        (56, 56, 64),
        (112, 112, 64),
        (112, 112, 64),
        (1, 1, 64),
        (1000,),
    ]
    assert a.endpoint.field.rf == (11, 11) and a.endpoint.field.jump == (4, 4) and a.endpoint.field.pad == (5, 5)
    assert a.parameters == 9408 + 4160 + 128 + 65000
