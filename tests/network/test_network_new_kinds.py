"""The new layer kinds and 1-D/3-D maps in problem files: each file states a model also written in PyTorch, and the
two imports agree layer by layer (shape, receptive field, parameters, MACs), so the file reader is checked
against PyTorch's forward pass through the import."""

from __future__ import annotations

from typing import Any

import pytest

from symconv.errors import InputError
from symconv.network import analyse, network, network_from_spec

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from torch_check import matches_torch


def rows(a: Any) -> list[tuple[Any, ...]]:
    return [(i.shape, i.field, i.parameters, i.macs) for i in a.layers]


class Everything(nn.Module):
    """One of each new operation on a 2-D map."""

    def __init__(self) -> None:
        super().__init__()
        self.pad = nn.ZeroPad2d((1, 2, 3, 0))  # left, right, top, bottom
        self.conv = nn.Conv2d(3, 8, 3)
        self.norm = nn.GroupNorm(2, 8)
        self.act = nn.PReLU(8)
        self.fc1 = nn.Conv2d(8, 4, 1)
        self.fc2 = nn.Conv2d(4, 8, 1)
        self.ln = nn.LayerNorm(8)
        self.scale = nn.Parameter(torch.ones(8, 1, 1))
        self.shuffle = nn.ChannelShuffle(2)
        self.up = nn.PixelShuffle(2)

    def forward(self, x: Any) -> Any:
        y = self.act(self.norm(self.conv(self.pad(x))))
        g = torch.sigmoid(self.fc2(F.relu(self.fc1(y.mean((2, 3), keepdim=True)))))
        y = y * g
        y = self.ln(y.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
        y = self.shuffle(self.scale * y)
        a, b = y.chunk(2, 1)
        y = F.interpolate(a - b, scale_factor=2, mode="nearest")
        return self.up(y.transpose(2, 3))


EVERYTHING = {
    "input": [13, 17, 3],
    "layers": [
        {"name": "pad", "type": "pad", "padding": [3, 0, 1, 2]},
        {"name": "conv", "type": "conv", "kernel": 3, "filters": 8},
        {"name": "norm", "type": "groupnorm", "groups": 2},
        {"name": "act", "type": "prelu", "slopes": "channel"},
        {"name": "squeeze", "type": "global_avgpool"},
        {"name": "fc1", "type": "conv", "kernel": 1, "filters": 4},
        {"name": "relu", "type": "relu"},
        {"name": "fc2", "type": "conv", "kernel": 1, "filters": 8},
        {"name": "gate", "type": "sigmoid"},
        {"name": "gated", "type": "mul", "input": ["act", "gate"]},
        {"name": "ln", "type": "layernorm"},
        {"name": "scale", "type": "mul", "weight": "channel"},
        {"name": "shuffle", "type": "channel_shuffle", "groups": 2},
        {"name": "a", "type": "slice", "channels": [0, 4], "input": "shuffle"},
        {"name": "b", "type": "slice", "channels": [4, 8], "input": "shuffle"},
        {"name": "diff", "type": "sub", "input": ["a", "b"]},
        {"name": "up", "type": "interpolate", "scale": 2},
        {"name": "t", "type": "permute", "axes": [1, 0]},
        {"name": "ps", "type": "pixel_shuffle", "factor": 2},
    ],
}


class Audio(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(1, 8, 80, stride=16)
        self.bn = nn.BatchNorm1d(8)
        self.pool = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(8, 16, 3, padding=2, dilation=2)
        self.up = nn.Upsample(scale_factor=3, mode="linear")
        self.head = nn.Linear(16, 10)

    def forward(self, x: Any) -> Any:
        x = self.pool(F.relu(self.bn(self.conv1(x))))
        x = self.up(self.conv2(x))
        return self.head(F.adaptive_max_pool1d(x, 1).flatten(1))


AUDIO = {
    "input": [4000, 1],
    "layers": [
        {"name": "conv1", "type": "conv", "kernel": 80, "stride": 16, "filters": 8},
        {"name": "bn", "type": "batchnorm"},
        {"name": "relu", "type": "relu"},
        {"name": "pool", "type": "maxpool", "kernel": 4},
        {"name": "conv2", "type": "conv", "kernel": [3], "padding": [2], "dilation": 2, "filters": 16},
        {"name": "up", "type": "upsample", "scale": 3, "mode": "linear"},
        {"name": "gmp", "type": "adaptive_maxpool", "output": 1},
        {"name": "flat", "type": "flatten"},
        {"name": "head", "type": "linear", "outputs": 10},
    ],
}


class Video(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv3d(3, 8, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3), bias=False)
        self.bn = nn.BatchNorm3d(8)
        self.spatial = nn.Conv3d(8, 8, (1, 3, 3), padding=(0, 1, 1))
        self.temporal = nn.ConvTranspose3d(8, 4, (3, 1, 1), stride=(2, 1, 1), padding=(1, 0, 0))
        self.pool = nn.AvgPool3d((1, 2, 2), ceil_mode=True)

    def forward(self, x: Any) -> Any:
        x = F.relu(self.bn(self.stem(x)))
        x = x + self.spatial(x)
        return self.pool(self.temporal(x))


VIDEO = {
    "input": [5, 17, 22, 3],
    "layers": [
        {"name": "stem", "type": "conv", "kernel": [3, 7, 7], "stride": [1, 2, 2], "padding": [1, 3, 3],
         "filters": 8, "bias": False},
        {"name": "bn", "type": "batchnorm"},
        {"name": "relu", "type": "relu"},
        {"name": "spatial", "type": "conv", "kernel": [1, 3, 3], "padding": [0, 0, 1, 1, 1, 1], "filters": 8},
        {"name": "add", "type": "add", "input": ["relu", "spatial"]},
        {"name": "temporal", "type": "conv_transpose", "kernel": [3, 1, 1], "stride": [2, 1, 1],
         "padding": [1, 0, 0], "filters": 4},
        {"name": "pool", "type": "avgpool", "kernel": [1, 2, 2], "ceil_mode": True},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("make", "shape", "table"),
    [(Everything, (3, 13, 17), EVERYTHING), (Audio, (1, 4000), AUDIO), (Video, (3, 5, 17, 22), VIDEO)],
    ids=["2-D new kinds", "1-D", "3-D"],
)
def test_a_file_states_what_pytorch_computes(make: Any, shape: tuple[int, ...], table: dict[str, Any]) -> None:
    _, from_pytorch = matches_torch(make(), shape)
    from_file = analyse(network_from_spec(table))
    assert rows(from_file) == rows(from_pytorch)


def test_count_other_ops_charges_the_new_kinds_per_element() -> None:
    r = network(EVERYTHING, count_other_ops=True)
    macs = {row["name"]: row["macs"] for row in r["layers"]}
    # the padded 16 × 20 input, convolved by 3 × 3: 14 × 18 positions
    assert macs["gated"] == 14 * 18 * 8  # a product of two tensors: one per output element
    assert macs["diff"] == 14 * 18 * 4
    assert macs["scale"] == 14 * 18 * 8  # a learned operand counts as an operand
    assert macs["ln"] == 2 * 14 * 18 * 8  # affine normalisation: two per element
    assert macs["up"] == 28 * 36 * 4  # interpolation: one per output element
    assert macs["shuffle"] == macs["a"] == macs["t"] == macs["ps"] == 0  # moving pixels is free
    plain = network(EVERYTHING)
    assert plain["macs"] == sum(r["macs"] for r in plain["layers"] if r["name"] in ("conv", "fc1", "fc2"))


@pytest.mark.parametrize(
    ("layer", "field", "fragment"),
    [
        ({"name": "s", "type": "slice", "channels": [4, 2]}, "channels", "after start"),
        ({"name": "s", "type": "slice", "channels": [0, 9]}, "channels", "beyond the 3 channels"),
        ({"name": "i", "type": "interpolate", "scale": 2, "size": 8}, "input", "exactly one of"),
        ({"name": "i", "type": "interpolate", "mode": "fancy", "scale": 2}, "mode", "expected one of"),
        ({"name": "p", "type": "pad", "padding": "same"}, "padding", "pixels per side"),
        ({"name": "p", "type": "permute", "axes": [0, 0]}, "axes", "permutation"),
        ({"name": "m", "type": "mul"}, "input", "two or more inputs"),
        ({"name": "m", "type": "mul", "weight": "row"}, "weight", "channel"),
        ({"name": "n", "type": "groupnorm", "groups": 2}, "groups", "must divide"),
        ({"name": "n", "type": "layernorm", "over": "width"}, "over", "channels"),
        ({"name": "c", "type": "conv", "kernel": [3, 3, 3], "filters": 2}, "kernel", "one per spatial axis"),
        ({"name": "x", "type": "pixel_shuffle", "factor": 2}, "factor", "must divide the channels"),
    ],
)
def test_bad_new_layers_name_the_field(layer: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        network({"input": [8, 8, 3], "layers": [layer]})
    assert e.value.field.endswith(field) and fragment in str(e.value)


def test_a_kernel_of_another_rank_is_refused() -> None:
    layers = [{"name": "c", "type": "conv", "kernel": 3, "filters": 2}, {"name": "r", "type": "relu"}]
    net = network_from_spec({"input": [30, 2], "layers": layers})
    assert net.layer("c").kernel == (3,)  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="3-D map"):
        from symconv.network import Conv

        analyse(type(net)((6, 6, 6, 2), (Conv(name="c", filters=2, kernel=(3, 3)),)))
