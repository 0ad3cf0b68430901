"""from_torch: real torch models checked against torch itself (parameters, forward shapes, FLOP counter, gradients)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from torch_resnet50 import Bottleneck, ResNet50

from symconv.errors import UnsupportedError
from symconv.network.analysis import analyse
from symconv.network.model import INPUT
from symconv.network.symbolic import closed_forms, substitute
from symconv.network.torch_import import from_torch


class TinyResNet(nn.Module):
    def __init__(self, pool: str = "max", head: bool = True) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        self.maxpool = nn.MaxPool2d(3, 2, 1) if pool == "max" else nn.AvgPool2d(3, 2, 1)
        self.layer1 = nn.Sequential(Bottleneck(16, 8, 1), Bottleneck(32, 8, 1))
        self.layer2 = nn.Sequential(Bottleneck(32, 16, 2), Bottleneck(64, 16, 1))
        self.head = head
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, 10)

    def forward(self, x: Any) -> Any:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer2(self.layer1(x))
        if not self.head:
            return x
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Inception(nn.Module):
    """Four branches concatenated along the channels (GoogLeNet's block), with functional ReLUs."""

    def __init__(self, pool: str = "max") -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.b1 = nn.Conv2d(8, 4, 1)
        self.b2 = nn.Sequential(nn.Conv2d(8, 4, 1), nn.ReLU(), nn.Conv2d(4, 6, 3, padding=1))
        self.b3 = nn.Sequential(nn.Conv2d(8, 2, 1), nn.ReLU(), nn.Conv2d(2, 3, 5, padding=2))
        self.b4 = nn.Sequential(nn.MaxPool2d(3, 1, 1) if pool == "max" else nn.AvgPool2d(3, 1, 1), nn.Conv2d(8, 3, 1))

    def forward(self, x: Any) -> Any:
        x = torch.relu(self.stem(x))
        return nn.functional.relu(torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], dim=1))


def sequential(pool: str = "max", head: bool = True) -> Any:
    Pool = nn.MaxPool2d if pool == "max" else nn.AvgPool2d
    layers = [
        nn.Conv2d(3, 8, 5, stride=2, padding=2),
        nn.BatchNorm2d(8),
        nn.ReLU6(),
        Pool(3, 2, 1),
        nn.Conv2d(8, 16, 3, padding="same", dilation=2, bias=False),
        nn.Conv2d(16, 16, 3, stride=2, groups=4, padding=1, padding_mode="reflect"),
        nn.GELU(),
        nn.AvgPool2d(2, ceil_mode=True),
        nn.Conv2d(16, 12, (1, 3), padding=(0, 1)),
        nn.Dropout(0.1),
    ]
    if head:
        layers += [nn.AdaptiveAvgPool2d((3, 2)), nn.Flatten(), nn.Linear(72, 20), nn.Sigmoid(), nn.Linear(20, 5)]
    return nn.Sequential(*layers)


def autoencoder() -> Any:
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1),
        nn.ConvTranspose2d(6, 4, 4, stride=2, padding=1, groups=2, bias=False),
        nn.Tanh(),
    )


MODELS = {
    "sequential": (sequential, (3, 61, 47)),
    "resnet": (TinyResNet, (3, 64, 80)),
    "inception": (Inception, (3, 33, 40)),
    "autoencoder": (autoencoder, (3, 30, 22)),
}


def forward_shapes(model: Any, shape: tuple[int, ...]) -> tuple[list[tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Output shapes from a real forward pass: every graph node in execution order (an fx interpreter,
    which also sees the functional add, cat, flatten and relu), and per leaf module from forward hooks."""
    import torch.fx

    by_module: dict[str, tuple[int, ...]] = {}
    in_order: list[tuple[int, ...]] = []
    gm = torch.fx.symbolic_trace(model)

    def hook(name: str) -> Any:
        def record(module: Any, inputs: Any, output: Any) -> None:  # returns None: the output is left alone
            by_module.setdefault(name, tuple(output.shape))

        return record

    hooks = [m.register_forward_hook(hook(name)) for name, m in gm.named_modules() if name and not list(m.children())]

    class Recorder(torch.fx.Interpreter):
        def run_node(self, n: Any) -> Any:
            out = super().run_node(n)
            if n.op in ("call_module", "call_function", "call_method"):
                in_order.append(tuple(out.shape))
            return out

    with torch.no_grad():
        Recorder(gm).run(torch.rand(1, *shape))
    for h in hooks:
        h.remove()
    return in_order, by_module


def torch_order(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """symconv's [H, W, C] (or [F]) as PyTorch's (N, C, H, W) (or (N, F))."""
    return (1, shape[2], shape[0], shape[1]) if len(shape) == 3 else (1, shape[0])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_parameters_shapes_and_macs_match_torch(name: str) -> None:
    make, shape = MODELS[name]
    model = make().eval()
    net = from_torch(model, shape)
    a = analyse(net)
    assert a.parameters == sum(p.numel() for p in model.parameters())
    in_order, by_module = forward_shapes(model, shape)
    assert [torch_order(info.shape) for info in a.layers] == in_order
    for info in a.layers:
        if info.name in by_module:
            assert torch_order(info.shape) == by_module[info.name], info.name
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.rand(1, *shape))
    assert a.macs == counter.get_total_flops() // 2


def positive(model: Any) -> Any:
    """Weights, biases and BN scales set positive (BN in eval mode), so no gradient can cancel; each
    weight below 1/fan-in keeps activations small (ReLU6 never saturates)."""
    torch.manual_seed(0)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            nn.init.uniform_(m.weight, 0.1 / fan_in, 1.0 / fan_in)
            if m.bias is not None:
                nn.init.constant_(m.bias, 0.1)
        if isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1.0)
            nn.init.constant_(m.bias, 0.1)
    return model.eval()


def gradient_span(model: Any, shape: tuple[int, int, int], oy: int, ox: int) -> tuple[tuple[int, int], tuple[int, int]]:
    x = (torch.rand(1, *shape, dtype=torch.float64) + 0.5).requires_grad_()
    model.double()(x)[0, :, oy, ox].sum().backward()
    hit = x.grad[0].abs().sum(0) > 0
    rows = hit.any(1).nonzero().flatten()
    cols = hit.any(0).nonzero().flatten()
    return (int(rows.min()), int(rows.max())), (int(cols.min()), int(cols.max()))


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: sequential("avg", head=False), (3, 120, 126)),
        (lambda: TinyResNet("avg", head=False), (3, 96, 104)),
        (lambda: Inception("avg"), (3, 40, 36)),
    ],
)
def test_receptive_field_matches_the_gradient(make: Any, shape: tuple[int, int, int]) -> None:
    """The input pixels whose gradient reaches one output position (average pooling in place of max
    pooling, positive weights) are exactly [x S - P, x S - P + RF - 1] on each axis."""
    model = positive(make())
    end = analyse(from_torch(model, shape)).endpoint
    out_h, out_w = end.shape[0], end.shape[1]
    oy, ox = out_h // 2, out_w // 2
    expected = []
    for axis, x, size in ((0, oy, shape[1]), (1, ox, shape[2])):
        start = x * end.field.jump[axis] - end.field.pad[axis]
        stop = start + end.field.rf[axis] - 1
        assert 0 <= start and stop < size, "probe position clipped by the border: enlarge the input"
        expected.append((start, stop))
    assert gradient_span(model, shape, oy, ox) == tuple(expected)


def test_symbolic_sizes_from_torch_match_forward_passes() -> None:
    model = TinyResNet().eval()
    net = from_torch(model, (3, "H", "W"))
    forms = analyse(net, ops=__import__("symconv.network.symbolic", fromlist=["SYMBOLIC"]).SYMBOLIC)
    assert forms.layers[0].shape[0].free_symbols
    for h, w in ((64, 80), (37, 51)):
        in_order, _ = forward_shapes(model, (3, h, w))
        assert [torch_order(substitute(info.shape, {"H": h, "W": w})) for info in forms.layers] == in_order
    assert closed_forms(from_torch(model, (3, 64, 80))).macs.free_symbols


def test_names_and_endpoint() -> None:
    net = from_torch(TinyResNet(), (1, 3, 64, 64))
    names = [layer.name for layer in net.layers]
    assert names[:4] == ["conv1", "bn1", "relu", "maxpool"]
    assert "layer1.0.relu_2" in names and "layer2.0.downsample.0" in names  # a module used three times
    assert net.layer("conv1").inputs == (INPUT,)
    assert net.endpoint == "fc"


@pytest.mark.parametrize(
    ("model", "fragment"),
    [
        (nn.Sequential(nn.Conv2d(3, 4, 3), nn.Unfold(2)), "Unfold"),
        (nn.Sequential(nn.Conv2d(3, 4, 3), nn.ChannelShuffle(2), nn.LPPool2d(2, 2)), "LPPool2d"),
        (nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.Bilinear(4, 4, 2)), "Bilinear"),
    ],
)
def test_unsupported_modules_are_named(model: Any, fragment: str) -> None:
    with pytest.raises(UnsupportedError, match=fragment):
        from_torch(model, (3, 16, 16))


class Cumulative(nn.Module):
    def forward(self, x: Any) -> Any:
        return x.cumsum(2)


def test_unsupported_operations_are_named() -> None:
    with pytest.raises(UnsupportedError, match="cumsum"):
        from_torch(Cumulative(), (3, 8, 8))


def test_resnet50_from_torch_matches_the_example_file_and_torch() -> None:
    from network_helpers import example

    from symconv.network.spec import network_from_spec

    model = ResNet50().eval()
    a = analyse(from_torch(model, (3, 224, 224)))
    assert a.parameters == sum(p.numel() for p in model.parameters()) == 25_557_032
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.rand(1, 3, 224, 224))
    assert a.macs == counter.get_total_flops() // 2 == 4_089_184_256
    b = analyse(network_from_spec(example("resnet50")))
    assert [(i.shape, i.field, i.parameters, i.macs) for i in a.layers] == [
        (i.shape, i.field, i.parameters, i.macs) for i in b.layers
    ]


class OldStyle(nn.Module):
    """Code of the pre-nn.Flatten era: functional pooling and x.view(x.size(0), -1)."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(inplace=True))
        self.classifier = nn.Linear(8 * 2 * 2, 4)

    def forward(self, x: Any) -> Any:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (2, 2))
        return self.classifier(x.view(x.size(0), -1))


def test_functional_pooling_and_view_flatten() -> None:
    model = OldStyle().eval()
    a = analyse(from_torch(model, (3, 12, 10)))
    assert [info.type for info in a.layers] == ["conv", "relu", "adaptive_avgpool", "flatten", "linear"]
    assert a.parameters == sum(p.numel() for p in model.parameters())
    assert torch_order(a.endpoint.shape) == tuple(model(torch.rand(1, 3, 12, 10)).shape)


from hypothesis import given, settings
from hypothesis import strategies as st


@st.composite
def random_stack(draw: Any) -> tuple[Any, tuple[int, int, int]]:
    """A random nn.Sequential of convolutions (groups, dilation, 'same' with even kernels), pools
    (ceil_mode, padding), transposed convolutions and shape-neutral layers, on a random input."""
    channels = draw(st.integers(1, 4))
    h, w = draw(st.integers(8, 40)), draw(st.integers(8, 40))
    layers: list[Any] = []
    c = channels
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["conv", "same", "pool", "transpose", "neutral"]))
        k = draw(st.integers(1, 4))
        if kind == "conv":
            g = draw(st.sampled_from([g for g in (1, 2) if c % g == 0]))
            out = g * draw(st.integers(1, 3))
            layers.append(
                nn.Conv2d(
                    c,
                    out,
                    k,
                    stride=draw(st.integers(1, 2)),
                    padding=draw(st.integers(0, k // 2)),
                    dilation=draw(st.integers(1, 2)),
                    groups=g,
                    bias=draw(st.booleans()),
                )
            )
            c = out
        elif kind == "same":
            layers.append(
                nn.Conv2d(c, 3, (k, draw(st.integers(1, 4))), padding="same", dilation=draw(st.integers(1, 2)))
            )
            c = 3
        elif kind == "pool":
            Pool = draw(st.sampled_from([nn.MaxPool2d, nn.AvgPool2d]))
            layers.append(
                Pool(
                    k,
                    stride=draw(st.integers(1, 3)),
                    padding=draw(st.integers(0, k // 2)),
                    ceil_mode=draw(st.booleans()),
                )
            )
        elif kind == "transpose":
            s = draw(st.integers(1, 2))
            layers.append(
                nn.ConvTranspose2d(
                    c,
                    2,
                    k,
                    stride=s,
                    padding=draw(st.integers(0, (k - 1) // 2)),
                    output_padding=draw(st.integers(0, s - 1)),
                )
            )
            c = 2
        else:
            layers.append(
                draw(st.sampled_from([nn.ReLU(), nn.BatchNorm2d(c), nn.Dropout(), nn.Identity(), nn.Hardswish()]))
            )
    return nn.Sequential(*layers).eval(), (channels, h, w)


@settings(max_examples=25, deadline=None)
@given(case=random_stack())
def test_random_stacks_match_torch(case: tuple[Any, tuple[int, int, int]]) -> None:
    from torch.utils.flop_counter import FlopCounterMode

    from symconv.errors import InputError

    model, shape = case
    try:
        in_order, _ = forward_shapes(model, shape)
    except RuntimeError:  # torch refuses (a map smaller than a kernel): symconv must refuse too
        with pytest.raises(InputError):
            analyse(from_torch(model, shape))
        return
    a = analyse(from_torch(model, shape))
    assert [torch_order(info.shape) for info in a.layers] == in_order
    assert a.parameters == sum(p.numel() for p in model.parameters())
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.rand(1, *shape))
    assert a.macs == counter.get_total_flops() // 2


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: torch.nn.Conv2d(3, 8, 3, padding=1), (3, 32, 32)),
        (lambda: torch.nn.Conv1d(2, 4, 5, stride=2), (2, 50)),
        (lambda: torch.nn.Conv3d(2, 3, 3, stride=(1, 2, 2)), (2, 6, 9, 9)),
        (lambda: torch.nn.ConvTranspose2d(4, 2, 3, stride=2), (4, 5, 5)),
        (lambda: torch.nn.MaxPool2d(3, stride=2, ceil_mode=True), (3, 10, 10)),
    ],
)
def test_a_bare_layer_is_a_one_layer_network(make: Any, shape: tuple[int, ...]) -> None:
    """Not only containers: an nn.Conv2d alone imports as one layer named by its class, counted as PyTorch counts."""
    from torch_check import matches_torch

    model = make()
    _, a = matches_torch(model, shape)
    assert [info.name for info in a.layers] == [type(model).__name__]


@pytest.mark.parametrize("out", [14, 21, 10])
def test_adaptive_pooling_to_more_windows_than_pixels_upsamples(out: int) -> None:
    """7 → 14 (or 21) windows repeat each pixel: nearest upsampling, the stride halves (thirds), the field is exact
    at every second (third) output; 7 → 10 repeats unevenly: a stride of 7/10 of the input's. The layer after
    still widens its field (a stride of 0 would freeze it)."""
    from torch_check import field_matches_gradient, matches_torch

    def model(*after: Any) -> Any:
        return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2), torch.nn.AdaptiveAvgPool2d(out), *after)

    _, a = matches_torch(model(torch.nn.Conv2d(4, 4, 3)), (3, 15, 15))
    assert a.by_name["1"].field.jump == (Fraction(2 * 7, out),) * 2
    assert a.by_name["2"].field.rf[0] > a.by_name["1"].field.rf[0]
    assert any("repeat" in w and "pixel" in w for w in a.warnings)
    if out % 7 == 0:
        field_matches_gradient(model(), (3, 15, 15), phase=out // 7)


@pytest.mark.parametrize(("dim", "accepted"), [(1, True), (-3, True), (2, False), (-1, False)])
def test_a_softmax_is_an_activation_only_over_the_channels(dim: int, accepted: bool) -> None:
    """A softmax along a spatial axis mixes every position of it (each output's gradient reaches the whole axis):
    refused by name, as a module and as a function, never taken for a shape-neutral activation."""

    class Attend(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 4, 3)

        def forward(self, x: Any) -> Any:
            return torch.softmax(self.conv(x), dim=dim)

    for model in (Attend(), torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Softmax(dim=dim))):
        if accepted:  # (the gradient cannot tell: a softmax's outputs sum to 1 over the channels)
            from torch_check import matches_torch

            _, a = matches_torch(model, (3, 9, 9))
            assert a.endpoint.field.rf == (3, 3)
        else:
            with pytest.raises(UnsupportedError, match="a spatial axis"):
                from_torch(model, (3, 9, 9))
