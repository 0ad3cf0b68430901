"""Closed forms in H and W: substituting numbers reproduces the numeric table exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from network_helpers import example, tiny

from symconv.core.arith import size_symbol
from symconv.errors import InputError
from symconv.network.analysis import LayerInfo, analyse
from symconv.network.model import Network
from symconv.network.spec import network_from_spec
from symconv.network.symbolic import closed_forms, macs, substitute

H, W = size_symbol("H"), size_symbol("W")


def row(info: LayerInfo) -> tuple:
    return (list(info.shape), info.field.rf, info.field.jump, info.field.pad, info.parameters, info.macs)


def same_padding_net() -> Network:
    """TF 'same' convolutions and pools at stride 2, a residual add, a concat and a global pool."""
    t = {
        "input": [64, 64, 3],
        "layers": [
            {"name": "c1", "type": "conv", "kernel": 3, "filters": 8, "stride": 2, "padding": "same"},
            {"name": "p1", "type": "maxpool", "kernel": 3, "stride": 2, "padding": "same"},
            {"name": "a", "type": "conv", "kernel": 3, "filters": 8, "stride": 2, "padding": "same"},
            {"name": "b", "type": "conv", "input": "p1", "kernel": 1, "filters": 8, "stride": 2, "padding": "same"},
            {"name": "s", "type": "add", "input": ["a", "b"]},
            {"name": "d", "type": "conv", "input": "s", "kernel": 5, "filters": 4, "dilation": 2, "padding": "same"},
            {"name": "cat", "type": "concat", "input": ["s", "d"]},
            {"name": "pool", "type": "avgpool", "kernel": 2, "padding": [0, 1, 0, 1]},
            {"name": "gap", "type": "global_avgpool"},
            {"name": "fc", "type": "linear", "outputs": 10},
        ],
    }
    return network_from_spec(t)


def check(net: Network, h: int, w: int, symbolic: list[LayerInfo]) -> None:
    try:
        numeric = analyse(replace(net, input=(h, w, net.input[2])))
    except InputError:
        return  # too small for some kernel: the closed form has no numeric counterpart
    assert [row(i) for i in numeric.layers] == [substitute(row(i), {"H": h, "W": w}) for i in symbolic]


SAME = same_padding_net()
SAME_FORMS = closed_forms(SAME).layers


@settings(max_examples=40)
@given(h=st.integers(1, 90), w=st.integers(1, 90))
def test_tf_same_network_substitutes_exactly(h: int, w: int) -> None:
    check(SAME, h, w, SAME_FORMS)


TINY = network_from_spec(tiny())
TINY_FORMS = closed_forms(TINY).layers


@settings(max_examples=30)
@given(h=st.integers(1, 300), w=st.integers(1, 300))
def test_tiny_network_substitutes_exactly(h: int, w: int) -> None:
    check(TINY, h, w, TINY_FORMS)


def test_closed_forms_keep_floors_and_same_padding() -> None:
    conv1 = TINY_FORMS[0]
    assert conv1.shape[0] == sympy.floor((H - 1) / 2) + 1
    assert sympy.expand(conv1.macs - 9408 * (sympy.floor((H - 1) / 2) + 1) * (sympy.floor((W - 1) / 2) + 1)) == 0
    a = SAME_FORMS[2]
    assert a.field.pad[0].has(sympy.ceiling) and a.field.pad[0].free_symbols == {H}  # TF 'same' depends on H
    assert a.shape[0].has(sympy.ceiling)


def test_same_padding_keeps_the_max_only_where_undecided() -> None:
    """k_eff < s: the total padding max((o - 1)s + k_eff - i, 0) really is 0 or positive depending on i."""
    net = network_from_spec(
        {"input": [9, 9, 1], "layers": [{"type": "avgpool", "kernel": 2, "stride": 3, "padding": "same"}]}
    )
    pool = closed_forms(net).layers[0]
    assert pool.windows[0].same_total.has(sympy.Max)
    totals = {substitute(pool.windows[0].same_total, {"H": h}) for h in range(1, 10)}
    assert totals == {0, 1}


@pytest.mark.parametrize("name", ["resnet50", "slim_resnet_v1_50"])
def test_published_networks_closed_forms(name: str) -> None:
    net = network_from_spec(example(name))
    forms = closed_forms(net)
    for h, w in ((224, 224), (193, 257)):
        check(net, h, w, forms.layers)
    total = macs(net)
    assert substitute(total, {"H": 224, "W": 224}) == analyse(net).macs
    assert total.free_symbols == {H, W}


EXPRESSIONS = [
    sympy.ceiling(H / 2),
    sympy.floor((H - 1) / 2) + 1,
    sympy.floor(sympy.floor((H - 1) / 2) / 2) + 1,
    sympy.ceiling(sympy.ceiling(H / 3) / 2 + sympy.Rational(1, 2)),
    sympy.floor(
        sympy.ceiling(sympy.floor(H / 2 - sympy.Rational(1, 2)) / 2 + sympy.Rational(1, 2)) / 2 - sympy.Rational(1, 2)
    )
    + 1,
    sympy.ceiling(sympy.floor(H / 2 - sympy.Rational(1, 2)) / 4 + sympy.Rational(1, 4)),
]


@given(h=st.integers(1, 500))
def test_normal_forms_are_exact(h: int) -> None:
    from symconv.network.symbolic import canonical, merge_nested

    for e in EXPRESSIONS:
        assert canonical(e).subs(H, h) == merge_nested(e).subs(H, h) == e.subs(H, h)


def test_equal_sizes_compare_equal() -> None:
    from symconv.network.symbolic import SYMBOLIC

    assert SYMBOLIC.compare(EXPRESSIONS[0], EXPRESSIONS[1]) == 0
    assert SYMBOLIC.compare(EXPRESSIONS[4], EXPRESSIONS[5]) == 0
    assert SYMBOLIC.compare(EXPRESSIONS[0], EXPRESSIONS[0] + 1) == -1
