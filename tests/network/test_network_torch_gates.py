"""Gates and attention along the channels written with views, checked against PyTorch: ECA's 1-D convolution
over the pooled channels (``view(N, 1, -1)``, ``Conv1d``, ``view(N, -1, 1, 1)``, ``expand_as``)."""

from __future__ import annotations

from typing import Any

import pytest

from symconv.errors import UnsupportedError
from symconv.network import analyse, from_torch

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

from torch_check import field_matches_gradient, matches_torch


class Eca(nn.Module):
    """timm's EcaModule: global average, a 1-D convolution along the channels, a sigmoid gate."""

    def __init__(self, k: int = 3) -> None:
        super().__init__()
        self.conv = nn.Conv1d(1, 1, k, padding=(k - 1) // 2, bias=False)

    def forward(self, x: Any) -> Any:
        y = x.mean((2, 3)).view(x.shape[0], 1, -1)
        y = self.conv(y)
        y = torch.sigmoid(y).view(x.shape[0], -1, 1, 1)
        return x * y.expand_as(x)


class EcaUnsqueezed(nn.Module):
    """The same gate written with ``unsqueeze`` and a plain broadcast (a biased convolution, no padding)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv1d(1, 1, 3, padding=1)

    def forward(self, x: Any) -> Any:
        y = F.adaptive_avg_pool2d(x, 1).flatten(1).unsqueeze(1)
        y = self.conv(y).squeeze(1)
        return x * y.sigmoid().reshape(x.size(0), -1, 1, 1)


def block(gate: Any) -> Any:
    return nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), gate, nn.Conv2d(16, 8, 3))


@pytest.mark.parametrize("gate", [Eca(3), Eca(5), EcaUnsqueezed()], ids=["eca k=3", "eca k=5", "unsqueeze"])
def test_eca_matches_torch(gate: Any) -> None:
    _, a = matches_torch(block(gate), (3, 12, 10))
    convs = [info for info in a.layers if info.type == "feature_conv"]
    assert len(convs) == 1 and convs[0].shape == (16,)


def test_eca_field_is_the_gate_broadcast() -> None:
    """After the gate every output reads the whole map (the pooled path, broadcast: stride 0)."""
    field_matches_gradient(nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), Eca(3)), (3, 7, 9))


def test_an_expanded_tensor_read_by_a_convolution_is_refused() -> None:
    class Bad(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(4, 4, 1)

        def forward(self, x: Any) -> Any:
            return self.conv(x.mean((2, 3), keepdim=True).expand_as(x))

    with pytest.raises(UnsupportedError, match="expanded tensor"):
        from_torch(Bad().eval(), (4, 6, 6))


def test_the_feature_convolution_counts_k_weights_and_k_macs_per_channel() -> None:
    model = nn.Sequential(nn.Conv2d(3, 16, 3), Eca(5))
    a = analyse(from_torch(model.eval(), (3, 9, 9)))
    conv = next(info for info in a.layers if info.type == "feature_conv")
    assert (conv.parameters, conv.macs) == (5, 16 * 5)


class RmsNorm2d(nn.Module):
    """RMS normalisation over the channels written out (timm's rms_norm2d): pow, mean over dim 1, rsqrt, a scale."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))

    def forward(self, x: Any) -> Any:
        v = torch.mean(x.pow(2), dim=1, keepdim=True)
        x = x * torch.rsqrt(v + 1e-5)
        return x * self.weight.reshape(1, -1, 1, 1)


class FilterResponseNorm(nn.Module):
    """Filter response normalisation with a thresholded linear unit (timm's FilterResponseNormTlu2d)."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.tau = nn.Parameter(torch.zeros(c))

    def forward(self, x: Any) -> Any:
        rms = x.square().float().mean(dim=(2, 3), keepdim=True).add(1e-5).rsqrt().to(x.dtype)
        x = x * rms.expand(x.shape)
        x = x * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return torch.maximum(x, self.tau.reshape(1, -1, 1, 1))


class GlobalResponseNorm(nn.Module):
    """ConvNeXt v2's GRN on a channels-last map: the L2 norm over the positions, divided by its channel mean."""

    def __init__(self, c: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(c))
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x: Any) -> Any:
        x_g = x.norm(p=2, dim=(1, 2), keepdim=True)
        x_n = x_g / (x_g.mean(dim=-1, keepdim=True) + 1e-6)
        return x + torch.addcmul(self.bias.view(1, 1, 1, -1), self.weight.view(1, 1, 1, -1), x * x_n)


class ChannelsLast(nn.Module):
    def __init__(self, inner: Any) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: Any) -> Any:
        return self.inner(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


NORMS = {
    "rms norm": (RmsNorm2d(16), 16),
    "filter response norm": (FilterResponseNorm(16), 3 * 16),
    "global response norm": (ChannelsLast(GlobalResponseNorm(16)), 2 * 16),
}


@pytest.mark.parametrize("name", list(NORMS))
def test_normalisations_written_out_match_torch(name: str) -> None:
    norm, params = NORMS[name]
    _, a = matches_torch(block(norm), (3, 12, 10))
    assert sum(info.parameters for info in a.layers if info.name.startswith("2.")) == params


@pytest.mark.parametrize("name", ["rms norm", "filter response norm"])
def test_normalisations_written_out_keep_the_field(name: str) -> None:
    """RMS over the channels keeps the field; FRN's mean over the positions makes every output read the whole map."""
    field_matches_gradient(
        nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), NORMS[name][0].__class__(4)), (3, 9, 8)
    )
