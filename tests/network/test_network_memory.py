"""Memory: CS231n's VGG-16 walk-through per layer, torchinfo's training estimate measured with hooks, data types,
views, closed forms."""

from __future__ import annotations

from typing import Any

import pytest
from network_helpers import example

from symconv.errors import InputError
from symconv.network import network, network_from_spec
from symconv.network.memory import memory_of, network_memory
from symconv.network.symbolic import closed_forms, substitute

# CS231n "Convolutional Neural Networks" notes, VGGNet case study: memory and weights of each layer as printed
# there (the ReLUs act in place; biases ignored).
CS231N = [
    ("conv1_1", 224 * 224 * 64, (3 * 3 * 3) * 64),
    ("conv1_2", 224 * 224 * 64, (3 * 3 * 64) * 64),
    ("pool1", 112 * 112 * 64, 0),
    ("conv2_1", 112 * 112 * 128, (3 * 3 * 64) * 128),
    ("conv2_2", 112 * 112 * 128, (3 * 3 * 128) * 128),
    ("pool2", 56 * 56 * 128, 0),
    ("conv3_1", 56 * 56 * 256, (3 * 3 * 128) * 256),
    ("conv3_2", 56 * 56 * 256, (3 * 3 * 256) * 256),
    ("conv3_3", 56 * 56 * 256, (3 * 3 * 256) * 256),
    ("pool3", 28 * 28 * 256, 0),
    ("conv4_1", 28 * 28 * 512, (3 * 3 * 256) * 512),
    ("conv4_2", 28 * 28 * 512, (3 * 3 * 512) * 512),
    ("conv4_3", 28 * 28 * 512, (3 * 3 * 512) * 512),
    ("pool4", 14 * 14 * 512, 0),
    ("conv5_1", 14 * 14 * 512, (3 * 3 * 512) * 512),
    ("conv5_2", 14 * 14 * 512, (3 * 3 * 512) * 512),
    ("conv5_3", 14 * 14 * 512, (3 * 3 * 512) * 512),
    ("pool5", 7 * 7 * 512, 0),
    ("fc6", 4096, 7 * 7 * 512 * 4096),
    ("fc7", 4096, 4096 * 4096),
    ("fc8", 1000, 4096 * 1000),
]


def test_cs231n_vgg16_walk_through() -> None:
    table = example("vgg16_cs231n")
    r = network(table)
    rows = {row["name"]: row for row in r["layers"]}
    memory = memory_of(r.analysis)
    by_name = {m.name: m for m in memory.layers}
    for name, elements, weights in CS231N:
        assert by_name[name].activation_elements == elements, name
        assert rows[name]["parameters"] == weights, name  # count_bias = false, as the notes count
    assert r["parameters"] == sum(w for _, _, w in CS231N)  # "TOTAL params: 138M parameters"
    assert by_name["flatten"].activation_bytes == 0  # a view
    # the notes' per-layer memory column, input included, summed (the notes' own total line says 24M)
    assert memory.input_elements + memory.activation_elements == 224 * 224 * 3 + sum(e for _, e, _ in CS231N)
    assert memory.activation_bytes == 4 * sum(e for _, e, _ in CS231N)
    # stored parameters hold the biases even when they are not counted: 13 + 3 layers of biases
    biases = 2 * 64 + 2 * 128 + 3 * 256 + 6 * 512 + 2 * 4096 + 1000
    assert memory.parameter_elements == r["parameters"] + biases


def test_memory_answers_and_data_types() -> None:
    table = {**example("vgg16"), "memory": "float16"}
    half = network(table)["memory"]
    full = network(example("vgg16"), memory=True)["memory"]
    assert half["bytes_per_element"] == 2 and full["bytes_per_element"] == 4
    for key in ("input_bytes", "activation_bytes", "parameter_bytes", "forward_backward_bytes", "training_bytes"):
        assert 2 * half[key] == full[key], key
    assert full["training_bytes"] == full["input_bytes"] + full["forward_backward_bytes"] + full["parameter_bytes"]
    with pytest.raises(InputError, match="memory"):
        network({**example("vgg16"), "memory": "float13"})


def test_memory_closed_forms_substitute_to_the_numbers() -> None:
    net = network_from_spec(example("resnet50"))
    forms = memory_of(closed_forms(net))
    assert forms.activation_bytes.free_symbols
    for h, w in ((224, 224), (97, 131)):
        numeric = network_memory({**example("resnet50"), "input": [h, w, 3]})
        values = {"H": h, "W": w}
        assert substitute(forms.training_bytes, values) == numeric.training_bytes
        assert substitute(forms.activation_bytes, values) == numeric.activation_bytes


torch = pytest.importorskip("torch")


def torchinfo_estimate(model: Any, shape: tuple[int, ...]) -> tuple[int, int, int]:
    """torchinfo's figures, measured with forward hooks: the input, twice the outputs of the leaf modules that
    have parameters, the parameters; 4 bytes each."""
    outputs = 0

    def hook(module: Any, inputs: Any, output: Any) -> None:
        nonlocal outputs
        outputs += output.numel()

    handles = [
        m.register_forward_hook(hook)
        for m in model.modules()
        if not list(m.children()) and sum(p.numel() for p in m.parameters(recurse=False))
    ]
    with torch.no_grad():
        model(torch.rand(1, *shape))
    for h in handles:
        h.remove()
    params = sum(p.numel() for p in model.parameters())
    return 4 * torch.tensor(shape).prod().item(), 2 * 4 * outputs, 4 * params


@pytest.mark.parametrize("depth", [1, 2])
def test_training_estimate_is_torchinfo_s(depth: int) -> None:
    from torch_resnet50 import Bottleneck

    from symconv.network.torch_import import from_torch

    nn = torch.nn
    blocks = [Bottleneck(16, 4, 1) for _ in range(depth)]
    model = nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=2, padding=1),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        *blocks,
        nn.Flatten(),
        nn.Linear(16 * 14 * 10, 5),
    ).eval()
    shape = (3, 28, 20)
    m = network(from_torch(model, shape), memory=True)["memory"]
    assert (m["input_bytes"], m["forward_backward_bytes"], m["parameter_bytes"]) == torchinfo_estimate(model, shape)
