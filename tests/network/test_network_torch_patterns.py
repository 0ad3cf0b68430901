"""Patterns of real model code (timm's and others'), each in a small module checked against PyTorch: size checks
with ``torch._assert``, layer scales reshaped from a parameter, functional convolutions with learned, fixed and
standardised weights, TensorFlow's 'same' padding computed in Python, and decisions on sizes in ``if``."""

from __future__ import annotations

import math
from typing import Any

import pytest

from symconv.errors import InputError, UnsupportedError
from symconv.network import analyse, from_torch, network_from_spec

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from torch_check import matches_torch


class NormAct(nn.BatchNorm2d):
    """timm's BatchNormAct2d: checks the rank, then the functional batch norm and an activation."""

    def forward(self, x: Any) -> Any:
        torch._assert(x.ndim == 4, f"expected 4D input (got {x.ndim}D input)")
        torch._assert(x.shape[1] == self.num_features, "channels")
        x = F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, 0.1, self.eps)
        return F.relu(x)


class LayerScaled(nn.Module):
    """ConvNeXt's and RDNet's ``x.mul(self.gamma.reshape(1, -1, 1, 1))``."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1, groups=c)
        self.gamma = nn.Parameter(torch.full((c,), 0.5))

    def forward(self, x: Any) -> Any:
        return x + self.conv(x).mul(self.gamma.reshape(1, -1, 1, 1))


def same_padding(i: Any, k: int, s: int, d: int) -> Any:
    return max((math.ceil(i / s) - 1) * s + (k - 1) * d + 1 - i, 0)


class Conv2dSame(nn.Conv2d):
    """TensorFlow's 'SAME' padding computed in Python from the input's size, then ``F.conv2d`` (timm's tf_ models)."""

    def forward(self, x: Any) -> Any:
        ih, iw = x.size()[-2:]
        kh, kw = self.weight.shape[-2:]
        pad_h = same_padding(ih, kh, self.stride[0], self.dilation[0])
        pad_w = same_padding(iw, kw, self.stride[1], self.dilation[1])
        x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, (0, 0), self.dilation, self.groups)


class Blur(nn.Module):
    """A fixed binomial filter in a buffer, applied per channel with ``F.conv2d`` (timm's BlurPool2d)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels
        coeffs = torch.tensor([1.0, 2.0, 1.0])
        self.register_buffer("filt", (coeffs[:, None] * coeffs[None, :])[None, None] / 16, persistent=False)

    def forward(self, x: Any) -> Any:
        x = F.pad(x, (1, 1, 1, 1), mode="reflect")
        return F.conv2d(x, self.filt.expand(self.channels, 1, 3, 3), stride=2, groups=self.channels)


class StdConv2d(nn.Conv2d):
    """Weight standardisation (BiT's StdConv2d): the weight normalised per filter, computed from the parameter."""

    def forward(self, x: Any) -> Any:
        w = F.batch_norm(
            self.weight.reshape(1, self.out_channels, -1), None, None, training=True, momentum=0.0, eps=1e-6
        ).reshape_as(self.weight)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ScaledStdConv2d(nn.Conv2d):
    """NFNet's ScaledStdConv2d: the standardised weight times a learned gain per filter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gain = nn.Parameter(torch.ones(self.out_channels, 1, 1, 1))
        self.scale = self.weight[0].numel() ** -0.5

    def forward(self, x: Any) -> Any:
        w = F.batch_norm(
            self.weight.reshape(1, self.out_channels, -1),
            None,
            None,
            weight=(self.gain * self.scale).view(-1),
            training=True,
            momentum=0.0,
            eps=1e-6,
        ).reshape_as(self.weight)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class SizeBranch(nn.Module):
    """A decision on the map's size in Python (timm's ConvMlp pools a small map up to its window first)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(4, 6, 3, stride=2)
        self.fc = nn.Conv2d(6, 10, 5)

    def forward(self, x: Any) -> Any:
        x = self.conv(x)
        if x.shape[-2] < 5 or x.shape[-1] < 5:
            x = F.adaptive_avg_pool2d(x, (max(5, x.shape[-2]), max(5, x.shape[-1])))
        return self.fc(x).flatten(1)


def stem() -> Any:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), NormAct(8))


BLOCKS = {
    "batchnorm-act with size checks": (lambda: nn.Sequential(stem(), NormAct(8)), (3, 9, 11)),
    "layer scale from a reshaped parameter": (lambda: nn.Sequential(stem(), LayerScaled(8)), (3, 8, 8)),
    "tf 'same' padding, stride 2, odd sizes": (lambda: Conv2dSame(3, 8, 3, stride=2), (3, 15, 12)),
    "tf 'same' padding, dilated, grouped": (lambda: Conv2dSame(4, 8, 5, dilation=2, groups=2), (4, 13, 10)),
    "blur pooling with a fixed filter": (lambda: nn.Sequential(stem(), Blur(8)), (3, 12, 9)),
    "weight standardisation": (lambda: StdConv2d(3, 8, 3, stride=2, padding=1), (3, 16, 16)),
    "scaled weight standardisation": (lambda: ScaledStdConv2d(3, 8, 3, padding=1, groups=1), (3, 10, 10)),
    "a decision on sizes, taken": (lambda: SizeBranch(), (4, 7, 9)),
    "a decision on sizes, not taken": (lambda: SizeBranch(), (4, 16, 16)),
}


@pytest.mark.parametrize("name", list(BLOCKS))
def test_pattern_matches_torch(name: str) -> None:
    make, shape = BLOCKS[name]
    matches_torch(make(), shape)


def test_fixed_and_scaled_weights_are_told_apart() -> None:
    kinds = {
        name: [
            layer.weight
            for layer in from_torch(BLOCKS[name][0]().eval(), BLOCKS[name][1]).layers
            if layer.kind == "conv"
        ]
        for name in ("blur pooling with a fixed filter", "scaled weight standardisation", "weight standardisation")
    }
    assert kinds == {
        "blur pooling with a fixed filter": ["learned", "fixed"],
        "scaled weight standardisation": ["scaled"],
        "weight standardisation": ["learned"],
    }


def test_conv_weight_in_a_problem_file() -> None:
    spec = {
        "input": [10, 10, 8],
        "layers": [
            {"name": "blur", "type": "conv", "kernel": 3, "filters": 8, "groups": 8, "bias": False, "weight": "fixed"},
            {"name": "std", "type": "conv", "kernel": 1, "filters": 4, "weight": "scaled"},
        ],
    }
    a = analyse(network_from_spec(spec))
    assert [(i.parameters, i.macs) for i in a.layers] == [(0, 8 * 8 * 8 * 9), (8 * 4 + 4 + 4, 8 * 8 * 4 * 8)]
    spec["layers"][1]["weight"] = "frozen"
    with pytest.raises(InputError, match="weight"):
        network_from_spec(spec)


def test_a_decision_on_values_is_refused() -> None:
    class DataBranch(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: Any) -> Any:
            y = self.conv(x)
            return y * 2 if y.sum() > 0 else y

    with pytest.raises(UnsupportedError, match="could not trace DataBranch.*control flow"):
        from_torch(DataBranch(), (3, 8, 8))


def test_a_decision_on_symbolic_sizes_is_refused() -> None:
    with pytest.raises(UnsupportedError, match="could not trace SizeBranch"):
        from_torch(SizeBranch(), (4, "H", "W"))


def test_a_failed_size_check_is_named() -> None:
    class Checked(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)

        def forward(self, x: Any) -> Any:
            torch._assert(x.shape[-1] % 2 == 0, "the width must be even")
            return self.conv(x)

    matches_torch(Checked(), (3, 8, 8))
    with pytest.raises(UnsupportedError, match="assertion fails: the width must be even"):
        from_torch(Checked(), (3, 8, 9))


THROUGH_ONNX = [
    "tf 'same' padding, stride 2, odd sizes",
    "weight standardisation",
    "scaled weight standardisation",
    "layer scale from a reshaped parameter",
]


@pytest.mark.parametrize("name", THROUGH_ONNX)
def test_patterns_through_onnx(name: str) -> None:
    """Exported with the TorchScript exporter (normalisations kept, nothing folded): the pads computed from the
    input's size, the weight computed from its parameters (and the gain) are folded by the import, and the
    totals equal from_torch's."""
    onnx = pytest.importorskip("onnx")
    import io
    import warnings

    from symconv.network import from_onnx

    make, shape = BLOCKS[name]
    module = make().eval()
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (torch.rand(1, *shape),),
            f,
            dynamo=False,
            training=torch.onnx.TrainingMode.PRESERVE,
            do_constant_folding=False,
        )
    a = analyse(from_onnx(onnx.load_from_string(f.getvalue())))
    b = analyse(from_torch(module, shape))
    assert (a.parameters, a.macs, a.layers[-1].shape) == (b.parameters, b.macs, b.layers[-1].shape)
    assert a.parameters == sum(p.numel() for p in module.parameters())


def test_a_fixed_filter_through_onnx_counts_as_weights() -> None:
    """ONNX keeps parameters and buffers alike as initializers: the blur's fixed filter becomes weights."""
    onnx = pytest.importorskip("onnx")
    import io
    import warnings

    from symconv.network import from_onnx

    module = Blur(4).eval()
    f = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (torch.rand(1, 4, 8, 8),), f, dynamo=False, do_constant_folding=False)
    a = analyse(from_onnx(onnx.load_from_string(f.getvalue())))
    assert (a.parameters, a.macs) == (4 * 9, analyse(from_torch(module, (4, 8, 8))).macs)
