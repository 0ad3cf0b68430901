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
