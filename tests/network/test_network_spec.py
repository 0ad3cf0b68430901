"""Problem tables of type "network": parsing and the bad-input corpus."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from network_helpers import tiny

from symconv.errors import InputError
from symconv.network import Activation, Conv, GlobalPool, Linear, Padding, Pool
from symconv.network.spec import network_from_spec, options_from_spec


def test_tiny_example_parses() -> None:
    net = network_from_spec(tiny())
    conv1, pool1, branch, bn, gap, fc = net.layers
    assert (
        isinstance(conv1, Conv) and conv1.kernel == (7, 7) and conv1.padding == Padding(3, 3, 3, 3) and not conv1.bias
    )
    assert isinstance(pool1, Pool) and pool1.stride == (2, 2) and pool1.op == "max"
    assert branch.inputs == ("conv1",) and bn.inputs == ("branch",)
    assert isinstance(gap, GlobalPool) and isinstance(fc, Linear) and fc.outputs == 1000
    assert net.endpoint == "pool1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, Padding(2, 2, 2, 2)),
        ([1, 2], Padding(1, 1, 2, 2)),
        ([0, 1, 2, 3], Padding(0, 1, 2, 3)),
        ("valid", Padding()),
        ("SAME", Padding(same=True)),
    ],
)
def test_padding_forms(value: Any, expected: Padding) -> None:
    t = tiny()
    t["layers"][0]["padding"] = value
    assert network_from_spec(t).layers[0].padding == expected


def test_pool_stride_defaults_to_kernel_and_activations() -> None:
    t = {
        "input": [8, 8, 1],
        "layers": [{"type": "avgpool", "kernel": 2}, {"type": "gelu"}, {"type": "activation", "function": "swishy"}],
    }
    net = network_from_spec(t)
    assert net.layers[0].stride == (2, 2) and net.layers[0].op == "avg"
    assert isinstance(net.layers[1], Activation) and net.layers[1].function == "gelu"
    assert net.layers[2].function == "swishy" and net.layers[2].name == "layer3"


def test_symbolic_input() -> None:
    t = tiny()
    t["input"] = ["H", "W", 3]
    h, w, c = network_from_spec(t).input
    assert str(h) == "H" and str(w) == "W" and c == 3


def test_options() -> None:
    t = tiny()
    t.update(count_bias=False, count_other_ops=True, derive=["conv1"])
    assert options_from_spec(t) == {"count_bias": False, "count_other_ops": True, "derive": ["conv1"]}
    with pytest.raises(InputError, match="count_batchnorm"):
        options_from_spec({"count_batchnorm": "yes"})


def _mutate(path: tuple, value: Any) -> dict[str, Any]:
    t = copy.deepcopy(tiny())
    target: Any = t
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return t


_DELETE = object()

BAD = [
    (("layers", 0, "kernal"), 3, "layers[0] ('conv1').kernal", "unknown key"),
    (("layers", 0, "kernel"), "3", "layers[0] ('conv1').kernel", "integer"),
    (("layers", 0, "kernel"), 0, "layers[0] ('conv1').kernel", "positive"),
    (("layers", 0, "kernel"), [3, 3, 3], "layers[0] ('conv1').kernel", "one per spatial axis [height, width]"),
    (("layers", 0, "kernel"), True, "layers[0] ('conv1').kernel", "integer"),
    (("layers", 0, "filters"), _DELETE, "layers[0] ('conv1').filters", "required"),
    (("layers", 0, "bias"), 1, "layers[0] ('conv1').bias", "true or false"),
    (("layers", 0, "padding"), "full", "layers[0] ('conv1').padding", "same"),
    (("layers", 0, "padding"), -1, "layers[0] ('conv1').padding", "at least 0"),
    (("layers", 0, "type"), "conv3d", "layers[0] ('conv1').type", "unknown layer type"),
    (("layers", 0, "type"), _DELETE, "layers[0] ('conv1').type", "required"),
    (("layers", 1, "name"), "conv1", "layers[1] ('conv1').name", "duplicate"),
    (("layers", 2, "input"), "fc", "layers[2] ('branch').input", "later layer"),
    (("layers", 2, "input"), "nowhere", "layers[2] ('branch').input", "unknown layer"),
    (("layers", 2, "input"), 3, "layers[2] ('branch').input", "layer name"),
    (("layers", 5, "outputs"), 2.5, "layers[5] ('fc').outputs", "integer"),
    (("layers", 3, "affine"), "no", "layers[3] ('bn').affine", "true or false"),
    (("input",), [224], "input", "[H, W, C]"),
    (("input",), [8, 8, 8, 8, 3], "input", "[D, H, W, C]"),
    (("input",), [224, "2x", 3], "input[1]", "symbol"),
    (("input",), [224, 224, "2C"], "input[2]", "symbol"),  # channels may be a symbol name, not an expression
    (("input",), [224, 224, 1.5], "input[2]", "channels"),
    (("layers", 0, "filters"), "C+1", "layers[0] ('conv1').filters", "symbol"),
    (("input",), _DELETE, "input", "required"),
    (("endpoint",), "nope", "endpoint", "no layer"),
    (("layers",), [], "layers", "required"),
    (("depth",), 3, "depth", "unknown key"),
]


@pytest.mark.parametrize(("path", "value", "field", "fragment"), BAD)
def test_bad_input_names_layer_and_field(path: tuple, value: Any, field: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        network_from_spec(_mutate(path, value), "net.toml [tiny]: ")
    assert e.value.field == "net.toml [tiny]: " + field
    assert fragment in str(e.value)


def test_merge_needs_list() -> None:
    t = tiny()
    t["layers"].append({"name": "sum", "type": "add", "input": "conv1"})
    with pytest.raises(InputError, match="two or more"):
        network_from_spec(t)
