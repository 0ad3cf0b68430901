"""Layer kinds: one class each holds everything about a kind; a new kind is added in one place."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from symconv.catalogue.backend import Ops
from symconv.catalogue.rules import per_element_cost
from symconv.errors import UnsupportedError
from symconv.network import Layer, Network, analyse, network, network_from_spec
from symconv.network import model as network_model
from symconv.network.analysis import Counting
from symconv.network.info import LayerInfo, Source, make_info
from symconv.network.model import layer_kinds, type_names


@pytest.fixture
def scale_kind() -> Iterator[type[Layer]]:
    """A kind defined in the test, as issue 10's operations will be: one class, nothing else touched."""
    before = dict(network_model._KINDS)

    @dataclass(frozen=True, kw_only=True)
    class Scale(Layer):
        """Multiplies every element by a constant factor."""

        kind: ClassVar[str] = "scale_test"
        spec_keys: ClassVar[frozenset[str]] = frozenset({"factor"})
        per_element_rule: ClassVar[str] = "a scaling one per element"
        label: ClassVar[str] = "scalings"

        factor: int = 1

        @classmethod
        def from_spec(cls, f: Any, common: dict[str, Any], type_name: str) -> Layer:
            return cls(factor=f.integer("factor", 1), **common)

        def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
            ((shape, fld),) = sources
            return make_info(
                self, sources, shape, fld, macs=per_element_cost(ops, shape, 1) if counting.other_ops else 0
            )

    yield Scale
    network_model._KINDS.clear()
    network_model._KINDS.update(before)


def test_a_new_kind_is_added_in_one_place(scale_kind: type[Layer]) -> None:
    table = {
        "input": [8, 8, 3],
        "layers": [
            {"name": "c", "type": "conv", "kernel": 3, "filters": 4},
            {"name": "x2", "type": "scale_test", "factor": 2},
        ],
    }
    net = network_from_spec(table)
    assert isinstance(net.layer("x2"), scale_kind) and net.layer("x2").factor == 2  # type: ignore[attr-defined]
    assert "scale_test" in type_names()
    r = network(table, derive=["x2"], count_other_ops=True)
    assert r["layers"][1]["macs"] == 6 * 6 * 4  # one per element of its 6 × 6 × 4 input
    assert "a scaling one per element" in r.conventions["macs"]
    assert "x2: 0 parameters counted" in r.text()
    with pytest.raises(Exception, match="unknown key"):
        network_from_spec({**table, "layers": [{"name": "x", "type": "scale_test", "scale": 2}]})


def test_a_kind_without_rules_is_an_error_never_free() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Unruled(Layer):
        """A layer nobody wrote rules for (not registered: no kind name)."""

    with pytest.raises(UnsupportedError, match="no rule for Unruled"):
        analyse(Network((4, 4, 1), (Unruled(name="u"),)))


def test_every_kind_is_complete() -> None:
    """Each registered kind has a docstring, reads its own keys, and says what it costs (or that it is free)."""
    for kind in layer_kinds():
        assert kind.__doc__ and kind.kind, kind
        assert kind.spec_types and all(t in type_names() for t in kind.spec_types), kind
        assert kind.macs_layer or kind.label, f"{kind.__name__}: the conventions cannot name it"
    conventions = " ".join(Counting(other_ops=True).conventions().values())
    for kind in layer_kinds():
        if kind.per_element_rule:
            assert kind.per_element_rule in conventions
