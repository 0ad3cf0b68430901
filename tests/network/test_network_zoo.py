"""The blocks of torchvision's families, written here (no torchvision), imported and checked against PyTorch.

Each block is checked for parameters (``sum(p.numel())``), MACs (``FlopCounterMode`` / 2), the output
shape of every layer (the traced graph run forward), and the receptive field against the input pixels an
output's gradient reaches (positive weights, average pooling, so no gradient cancels).
"""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from torch_check import field_matches_gradient, matches_torch

from symconv.errors import UnsupportedError
from symconv.network import analyse, closed_forms, substitute
from symconv.network.torch_import import from_torch, trace_torch


class SqueezeExcitation(nn.Module):
    """torchvision.ops.SqueezeExcitation: a per-channel gate from the pooled map (``scale * input``)."""

    def __init__(self, channels: int, squeezed: int, gate: Any = nn.Sigmoid) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeezed, 1)
        self.fc2 = nn.Conv2d(squeezed, channels, 1)
        self.activation = nn.ReLU()
        self.scale_activation = gate()

    def forward(self, x: Any) -> Any:
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return scale * x


class SEBlock(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.se = SqueezeExcitation(16, 4)
        self.head = nn.Conv2d(16, 8, 3, padding=1)

    def forward(self, x: Any) -> Any:
        return self.head(self.se(self.conv(x)))


class InvertedResidual(nn.Module):
    """MobileNet v3's block: expand, depthwise with hardswish, a hard-sigmoid SE gate, project, residual."""

    def __init__(self, c: int = 16, expanded: int = 48) -> None:
        super().__init__()
        self.expand = nn.Sequential(nn.Conv2d(c, expanded, 1, bias=False), nn.BatchNorm2d(expanded), nn.Hardswish())
        self.depthwise = nn.Sequential(
            nn.Conv2d(expanded, expanded, 5, padding=2, groups=expanded, bias=False),
            nn.BatchNorm2d(expanded),
            nn.Hardswish(),
        )
        self.se = SqueezeExcitation(expanded, 8, nn.Hardsigmoid)
        self.project = nn.Sequential(nn.Conv2d(expanded, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x: Any) -> Any:
        return x + self.project(self.se(self.depthwise(self.expand(x))))


class MobileNetV3ish(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.Hardswish())
        self.block = InvertedResidual()
        self.classifier = nn.Sequential(nn.Linear(16, 32), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(32, 10))

    def forward(self, x: Any) -> Any:
        x = self.block(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.classifier(torch.flatten(x, 1))


def channel_shuffle(x: Any, groups: int) -> Any:
    """torchvision's ShuffleNet v2 shuffle, word for word: view to groups, transpose, view back."""
    batchsize, num_channels, height, width = x.size()
    channels_per_group = num_channels // groups
    x = x.view(batchsize, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batchsize, num_channels, height, width)


class ShuffleUnit(nn.Module):
    """ShuffleNet v2's unit of stride 1: half the channels pass, half go through a branch, then a shuffle."""

    def __init__(self, c: int = 24) -> None:
        super().__init__()
        half = c // 2
        self.branch2 = nn.Sequential(
            nn.Conv2d(half, half, 1, bias=False),
            nn.BatchNorm2d(half),
            nn.ReLU(inplace=True),
            nn.Conv2d(half, half, 3, padding=1, groups=half, bias=False),
            nn.BatchNorm2d(half),
            nn.Conv2d(half, half, 1, bias=False),
            nn.BatchNorm2d(half),
            nn.ReLU(inplace=True),
        )

    def forward(self, x: Any) -> Any:
        x1, x2 = x.chunk(2, dim=1)
        return channel_shuffle(torch.cat((x1, self.branch2(x2)), dim=1), 2)


class ShuffleNetish(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))
        self.stage = nn.Sequential(ShuffleUnit(), ShuffleUnit())
        self.fc = nn.Linear(24, 5)

    def forward(self, x: Any) -> Any:
        return self.fc(self.stage(self.conv1(x)).mean([2, 3]))


class DenseLayer(nn.Module):
    """torchvision's _DenseLayer: concatenate the list of what came before (``torch.cat([x], 1)`` for the first
    layer of a block), then BN-ReLU-conv 1 × 1, BN-ReLU-conv 3 × 3."""

    def __init__(self, c_in: int, growth: int = 8) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(c_in)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(c_in, 4 * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(4 * growth)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(4 * growth, growth, 3, padding=1, bias=False)

    def forward(self, inputs: list[Any]) -> Any:
        x = torch.cat(inputs, 1)
        return self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(x))))))


class DenseBlock(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv0 = nn.Conv2d(3, 16, 3, padding=1)
        self.layer1 = DenseLayer(16)
        self.layer2 = DenseLayer(24)
        self.transition = nn.Sequential(nn.BatchNorm2d(32), nn.ReLU(), nn.Conv2d(32, 16, 1), nn.AvgPool2d(2))

    def forward(self, x: Any) -> Any:
        features = [self.conv0(x)]
        features.append(self.layer1(features))
        features.append(self.layer2(features))
        return F.relu(self.transition(torch.cat(features, 1)))


class InceptionA(nn.Module):
    """Inception v3's block: four branches, one through ``F.avg_pool2d``; ``F.max_pool2d`` before it."""

    def __init__(self, c: int = 8, pool: str = "max") -> None:
        super().__init__()
        self.pool = pool
        self.b1 = nn.Conv2d(c, 4, 1)
        self.b5 = nn.Sequential(nn.Conv2d(c, 3, 1), nn.Conv2d(3, 4, 5, padding=2))
        self.b3 = nn.Sequential(nn.Conv2d(c, 4, 1), nn.Conv2d(4, 6, 3, padding=1), nn.Conv2d(6, 6, 3, padding=1))
        self.bp = nn.Conv2d(c, 2, 1)

    def forward(self, x: Any) -> Any:
        x = F.max_pool2d(x, kernel_size=3, stride=2) if self.pool == "max" else F.avg_pool2d(x, 3, 2)
        pooled = F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)
        return torch.cat([self.b1(x), self.b5(x), self.b3(x), self.bp(pooled)], 1)


class InceptionNet(nn.Module):
    def __init__(self, pool: str = "max") -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2)
        self.mixed = InceptionA(pool=pool)

    def forward(self, x: Any) -> Any:
        return self.mixed(F.relu(self.stem(x), inplace=True))


class LayerNorm2d(nn.LayerNorm):
    """torchvision's ConvNeXt LayerNorm2d: a channels-last layer norm between two permutations."""

    def forward(self, x: Any) -> Any:
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class Permute(nn.Module):
    def __init__(self, dims: list[int]) -> None:
        super().__init__()
        self.dims = dims

    def forward(self, x: Any) -> Any:
        return torch.permute(x, self.dims)


class CNBlock(nn.Module):
    """ConvNeXt's block: depthwise 7 × 7, channels-last LayerNorm and MLP, a learned layer scale, residual."""

    def __init__(self, dim: int = 16) -> None:
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv2d(dim, dim, 7, padding=3, groups=dim),
            Permute([0, 2, 3, 1]),
            nn.LayerNorm(dim, eps=1e-6),
            nn.Linear(dim, 4 * dim),
            nn.GELU(),
            nn.Linear(4 * dim, dim),
            Permute([0, 3, 1, 2]),
        )
        self.layer_scale = nn.Parameter(torch.ones(dim, 1, 1) * 1e-6)

    def forward(self, x: Any) -> Any:
        return x + F.dropout(self.layer_scale * self.block(x), 0.1, training=False)


class ConvNeXtish(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 4, stride=4), LayerNorm2d(16))
        self.stage = nn.Sequential(CNBlock(), CNBlock())
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), LayerNorm2d(16), nn.Flatten(1), nn.Linear(16, 10))

    def forward(self, x: Any) -> Any:
        return self.head(self.stage(self.stem(x)))


class FCN(nn.Module):
    """A segmentation model as torchvision writes them: a backbone of output stride 8, a head, bilinear
    interpolation back to the input's size, a dict output."""

    def __init__(self) -> None:
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 16, 3, stride=2, padding=1),
            nn.Conv2d(16, 16, 3, padding=2, dilation=2),
        )
        self.head = nn.Sequential(nn.Conv2d(16, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.classifier = nn.Conv2d(8, 5, 1)

    def forward(self, x: Any) -> Any:
        input_shape = x.shape[-2:]
        features = self.backbone(x)
        out = F.interpolate(
            self.classifier(self.head(features)), size=input_shape, mode="bilinear", align_corners=False
        )
        return {"out": out, "features": features}


class R2Plus1D(nn.Module):
    """R(2+1)D's residual block: a (1, 3, 3) spatial then a (3, 1, 1) temporal Conv3d, BatchNorm3d, ReLU."""

    def __init__(self, c: int = 8, mid: int = 12) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv3d(3, c, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3)), nn.ReLU())
        self.conv1 = nn.Sequential(
            nn.Conv3d(c, mid, (1, 3, 3), padding=(0, 1, 1), bias=False),
            nn.BatchNorm3d(mid),
            nn.ReLU(),
            nn.Conv3d(mid, c, (3, 1, 1), padding=(1, 0, 0), bias=False),
            nn.BatchNorm3d(c),
        )
        self.pool = nn.AvgPool3d(2)

    def forward(self, x: Any) -> Any:
        x = self.stem(x)
        return self.pool(F.relu(x + self.conv1(x)))


class AudioNet(nn.Module):
    """A 1-D network on a waveform (M5-like): strided Conv1d, BatchNorm1d, pooling, dilation, a classifier."""

    def __init__(self, head: bool = True) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 8, 80, stride=16),
            nn.BatchNorm1d(8),
            nn.ReLU(),
            nn.AvgPool1d(4),
            nn.Conv1d(8, 16, 3, padding=2, dilation=2),
            nn.ReLU(),
            nn.AvgPool1d(4, ceil_mode=True),
        )
        self.head = head
        self.fc = nn.Linear(16, 10)

    def forward(self, x: Any) -> Any:
        x = self.features(x)
        if not self.head:
            return x
        return self.fc(F.adaptive_avg_pool1d(x, 1).squeeze(-1))


class PixelShuffleNet(nn.Module):
    """A super-resolution tail and a padding layer: ReflectionPad2d, conv, PixelShuffle, PixelUnshuffle, upsample."""

    def __init__(self) -> None:
        super().__init__()
        self.pad = nn.ReflectionPad2d((1, 2, 0, 3))
        self.conv = nn.Conv2d(3, 12, 3)
        self.shuffle = nn.PixelShuffle(2)
        self.unshuffle = nn.PixelUnshuffle(2)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.norm = nn.GroupNorm(4, 12)
        self.act = nn.PReLU(12)

    def forward(self, x: Any) -> Any:
        x = self.shuffle(self.conv(self.pad(x)))
        return self.act(self.norm(self.up(self.unshuffle(F.pad(x, (1, 1, 2, 2))))))


BLOCKS = {
    "squeeze-excitation": (SEBlock, (3, 20, 26)),
    "inverted residual, hardswish": (MobileNetV3ish, (3, 22, 30)),
    "channel shuffle": (ShuffleNetish, (3, 18, 26)),
    "DenseNet layer": (DenseBlock, (3, 14, 18)),
    "Inception block": (InceptionNet, (3, 33, 41)),
    "ConvNeXt block": (ConvNeXtish, (3, 32, 48)),
    "FCN head, interpolate": (FCN, (3, 40, 56)),
    "R(2+1)D block": (R2Plus1D, (3, 6, 18, 22)),
    "1-D audio net": (AudioNet, (1, 4000)),
    "pixel shuffle, padding": (PixelShuffleNet, (3, 13, 17)),
}


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_block_matches_torch(name: str) -> None:
    make, shape = BLOCKS[name]
    matches_torch(make(), shape)


@pytest.mark.parametrize(
    ("make", "shape", "output"),
    [
        (SEBlock, (3, 20, 26), None),
        (lambda: InceptionNet("avg"), (3, 33, 41), None),
        (DenseBlock, (3, 14, 18), None),
        (lambda: ConvNeXtish().stage, (16, 9, 13), None),
        (FCN, (3, 40, 56), "out"),
        (R2Plus1D, (3, 6, 18, 22), None),
        (lambda: AudioNet(head=False), (1, 4000), None),
        (lambda: InvertedResidual(), (16, 11, 9), None),
    ],
)
def test_receptive_field_matches_the_gradient(make: Any, shape: tuple[int, ...], output: Any) -> None:
    field_matches_gradient(make(), shape, output, endpoint=output)


@pytest.mark.parametrize(
    ("layers", "shape", "phase"),
    [
        ([nn.Conv2d(3, 4, 3, stride=2), nn.Upsample(scale_factor=2, mode="bilinear")], (3, 30, 27), 2),
        ([nn.Conv2d(3, 4, 3, stride=3), nn.Upsample(scale_factor=3, mode="bilinear")], (3, 30, 28), 3),
        ([nn.Conv2d(3, 4, 3, stride=2), nn.Upsample(scale_factor=2, mode="bicubic")], (3, 30, 27), 2),
        ([nn.Conv2d(3, 4, 3, stride=3), nn.Upsample(scale_factor=3, mode="bicubic")], (3, 33, 36), 3),
        ([nn.Conv2d(3, 4, 3, stride=4), nn.Upsample(scale_factor=4)], (3, 40, 36), 4),
        ([nn.Conv2d(3, 8, 3, stride=2), nn.PixelShuffle(2)], (3, 30, 27), 2),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=0.5), nn.Conv2d(4, 2, 3)], (3, 30, 27), 1),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=0.5, mode="bilinear"), nn.Conv2d(4, 2, 3)], (3, 30, 27), 1),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=1 / 3, mode="bilinear")], (3, 30, 27), 1),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=0.25, mode="bilinear")], (3, 40, 44), 1),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=0.5, mode="bicubic")], (3, 30, 27), 1),
        ([nn.Conv2d(3, 4, 3), nn.Upsample(scale_factor=1 / 3, mode="nearest-exact")], (3, 30, 27), 1),
        ([nn.Conv2d(3, 4, 3), nn.PixelUnshuffle(2), nn.Conv2d(16, 2, 3)], (3, 30, 26), 1),
        ([nn.ReflectionPad2d((2, 1, 0, 3)), nn.Conv2d(3, 2, 3)], (3, 30, 27), 1),
    ],
    ids=[
        "bilinear x2", "bilinear x3", "bicubic x2", "bicubic x3", "nearest x4", "pixel shuffle", "nearest /2",
        "bilinear /2", "bilinear /3", "bilinear /4", "bicubic /2", "nearest-exact /3", "pixel unshuffle",
        "reflection pad",
    ],
)  # fmt: skip
def test_resampling_windows_match_the_gradient(layers: list[Any], shape: tuple[int, ...], phase: int) -> None:
    """Interpolation by whole factors up and down, pixel shuffle, padding layers: the windows of the conventions
    (after an upsampling, at every s-th output; downstream of one, the fields are estimates, see the docs)."""
    field_matches_gradient(nn.Sequential(*layers), shape, phase=phase)


def test_a_gate_makes_every_output_read_the_whole_input() -> None:
    """After a squeeze-excitation gate every output position reads the same pixels: effective stride 0."""
    a = analyse(from_torch(SEBlock().eval(), (3, 20, 26)))
    gate = a.by_name["se.mul"]
    assert gate.field.jump == (0, 0)
    # the gate's pooled field spans the whole padded input: 20 + 2 - 1 … (conv 3, stride 2, padding 1)
    assert gate.field.rf == (21, 27) and gate.field.pad == (1, 1)


def test_segmentation_outputs_and_endpoints() -> None:
    imported = trace_torch(FCN().eval(), (3, 40, 56))
    assert set(imported.outputs) == {"out", "features"}
    assert imported.network.endpoint == imported.outputs["out"]
    features = trace_torch(FCN().eval(), (3, 40, 56), endpoint="features").network
    assert features.endpoint == "backbone.5"
    end = analyse(imported.network).endpoint
    assert end.shape == (40, 56, 5)
    # bilinear ×8 of a map of stride 8: a transposed window of 16 taps, padding 4, stride 8
    assert end.field.jump == (1, 1)


def test_closed_forms_of_1d_and_3d_networks_match_forward_passes() -> None:
    model = AudioNet().eval()
    forms = closed_forms(from_torch(model, (1, 4000)))
    assert forms.layers[0].shape[0].free_symbols
    for length in (4000, 3217):
        net = from_torch(model, (1, length))
        numeric = analyse(net)
        assert [substitute(i.shape, {"L": length}) for i in forms.layers] == [i.shape for i in numeric.layers]
    video = R2Plus1D().eval()
    forms = closed_forms(from_torch(video, (3, 6, 18, 22)))
    for size in ((6, 18, 22), (9, 31, 17)):
        numeric = analyse(from_torch(video, (3, *size)))
        values = dict(zip(("D", "H", "W"), size))
        assert [substitute(i.shape, values) for i in forms.layers] == [i.shape for i in numeric.layers]
        assert substitute(forms.macs, values) == numeric.macs


class Gated(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pool = nn.LPPool2d(2, 2)

    def forward(self, x: Any) -> Any:
        y = self.conv(x).cumsum(2)
        return torch.fft.fft2(self.pool(y)).real


class Outer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.inner = Gated()

    def forward(self, x: Any) -> Any:
        return torch.sort(self.inner(x), dim=1).values


def test_every_unsupported_operation_is_listed_with_its_module_and_line() -> None:
    with pytest.raises(UnsupportedError) as e:
        from_torch(Outer(), (3, 16, 16))
    message = str(e.value)
    assert "Outer: 4 unsupported operations" in message
    assert "inner (Gated): operation 'cumsum'" in message
    assert "inner.pool (LPPool2d): module LPPool2d is not supported" in message
    assert "inner (Gated): operation 'fft_fft2'" in message
    assert "Outer (top level): operation 'sort'" in message
    assert "test_network_zoo.py:" in message and "y = self.conv(x).cumsum(2)" in message


def test_views_that_are_not_a_layout_are_refused() -> None:
    class Odd(nn.Module):
        def forward(self, x: Any) -> Any:
            return x.view(x.size(0), 3, 4, -1)  # splits the width: no symconv map

    with pytest.raises(UnsupportedError, match="view"):
        from_torch(Odd(), (3, 8, 8))


def test_aux_heads_outside_the_forward_pass_are_reported() -> None:
    class WithAux(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3)
            self.aux = nn.Linear(10, 10)

        def forward(self, x: Any) -> Any:
            return self.conv(x)

    with pytest.warns(UserWarning, match=r"aux \(110 parameters\)"):
        imported = trace_torch(WithAux().eval(), (3, 8, 8))
    assert imported.unused == {"aux": 110}


from hypothesis import given, settings
from hypothesis import strategies as st


@st.composite
def random_stack(draw: Any, rank: int) -> tuple[Any, tuple[int, ...]]:
    """A random nn.Sequential of 1-D or 3-D layers: convolutions (groups, dilation, stride, padding), pools
    (ceil_mode), transposed convolutions, batch norm, upsampling, padding and activations."""
    conv, pool, trans = getattr(nn, f"Conv{rank}d"), draw(st.sampled_from(["MaxPool", "AvgPool"])), f"{rank}d"
    c = draw(st.integers(1, 3))
    sizes = tuple(draw(st.integers(5, 14 if rank == 3 else 60)) for _ in range(rank))
    channels = draw(st.integers(1, 4))
    layers: list[Any] = [conv(c, channels, 1)]  # a first Conv1d/Conv3d: the model says its rank
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["conv", "pool", "transpose", "norm", "up", "pad", "act"]))
        k = draw(st.integers(1, 3))
        if kind == "conv":
            g = draw(st.sampled_from([g for g in (1, 2) if channels % g == 0]))
            out = g * draw(st.integers(1, 3))
            layers.append(
                conv(channels, out, k, stride=draw(st.integers(1, 2)), padding=draw(st.integers(0, k // 2)),
                     dilation=draw(st.integers(1, 2)), groups=g)
            )  # fmt: skip
            channels = out
        elif kind == "pool":
            layers.append(getattr(nn, pool + trans)(k, stride=draw(st.integers(1, 2)), padding=draw(st.integers(0, k // 2)),
                                                    ceil_mode=draw(st.booleans())))  # fmt: skip
        elif kind == "transpose":
            s = draw(st.integers(1, 2))
            layers.append(
                getattr(nn, "ConvTranspose" + trans)(
                    channels, 2, k, stride=s, output_padding=draw(st.integers(0, s - 1))
                )
            )
            channels = 2
        elif kind == "norm":
            layers.append(getattr(nn, "BatchNorm" + trans)(channels))
        elif kind == "up":
            layers.append(
                nn.Upsample(
                    scale_factor=draw(st.integers(1, 2)),
                    mode=draw(st.sampled_from(["nearest", "linear" if rank == 1 else "trilinear"])),
                )
            )
        elif kind == "pad":
            layers.append(
                getattr(nn, "ConstantPad" + trans)(tuple(draw(st.integers(0, 2)) for _ in range(2 * rank)), 0.0)
            )
        else:
            layers.append(draw(st.sampled_from([nn.ReLU(), nn.SiLU(), nn.Hardswish(), nn.Dropout()])))
    return nn.Sequential(*layers).eval(), (1, c, *sizes)  # the batch first: unambiguous whatever the layers


@pytest.mark.parametrize("rank", [1, 3])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_random_1d_and_3d_stacks_match_torch(rank: int, data: st.DataObject) -> None:
    from symconv.errors import InputError

    model, shape = data.draw(random_stack(rank))
    try:
        with torch.no_grad():
            model(torch.rand(*shape))
    except RuntimeError:  # torch refuses (a map smaller than a kernel): symconv must refuse too
        with pytest.raises(InputError):
            analyse(from_torch(model, shape))
        return
    matches_torch(model, shape[1:], import_shape=shape)
