"""Network model: inputs made explicit, names and references checked."""

from __future__ import annotations

import pytest

from symconv.errors import InputError
from symconv.network import INPUT, Activation, Add, Conv, Network, Padding


def conv(name: str, *inputs: str) -> Conv:
    return Conv(name=name, inputs=tuple(inputs), filters=4, kernel=(3, 3), padding=Padding.symmetric(1, 1))


def test_inputs_default_to_previous_layer() -> None:
    net = Network((8, 8, 3), (conv("a"), conv("b"), Add(name="s", inputs=("a", "b"))))
    assert [layer.inputs for layer in net.layers] == [(INPUT,), ("a",), ("a", "b")]
    assert net.endpoint == "s"
    assert net.layer("b").inputs == ("a",)


@pytest.mark.parametrize(
    ("layers", "field", "fragment"),
    [
        ((conv("a"), conv("a")), "layers[1] ('a').name", "duplicate"),
        ((conv("a"), conv("b", "zzz")), "layers[1] ('b').input", "unknown layer"),
        ((conv("a", "b"), conv("b")), "layers[0] ('a').input", "later layer"),
        ((conv("a", "a"),), "layers[0] ('a').input", "cycle"),
        ((conv("a"), Add(name="s", inputs=("a",))), "layers[1] ('s').input", "two or more"),
        ((conv("input"),), "layers[0] ('input').name", "reserved"),
    ],
)
def test_bad_graphs(layers: tuple, field: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        Network((8, 8, 3), layers)
    assert e.value.field == field
    assert fragment in str(e.value)


def test_unknown_endpoint() -> None:
    with pytest.raises(InputError, match="endpoint"):
        Network((8, 8, 3), (Activation(name="r"),), "nope")


def test_padding_description() -> None:
    assert Padding.symmetric(1, 1).describe() == "1"
    assert Padding.symmetric(1, 2).describe() == "[1, 2]"
    assert Padding(0, 1, 0, 1).describe() == "[0, 1, 0, 1]"
    assert Padding(same=True).describe() == "same"
