"""The network problem: answers, the table step, derived rows and rendering."""

from __future__ import annotations

import pytest
from network_helpers import example, tiny

from symconv.errors import InputError
from symconv.network.problem import network
from symconv.solution.derivation import Equation, Table


def test_answers_and_table() -> None:
    r = network(tiny())
    assert set(r.answers) == {
        "layers",
        "parameters",
        "macs",
        "receptive_field",
        "effective_stride",
        "effective_padding",
    }
    assert r.answers["layers"][0] == {
        "name": "conv1",
        "output_shape": [112, 112, 64],
        "receptive_field": 7,
        "effective_stride": 2,
        "effective_padding": 3,
        "parameters": 9408,
        "macs": 118_013_952,
    }
    assert (r["receptive_field"], r["effective_stride"], r["effective_padding"]) == (11, 4, 5)
    assert r.value == r["macs"] == sum(layer["macs"] for layer in r["layers"])
    table = next(s for s in r.steps if isinstance(s, Table))
    assert len(table.rows) == len(r["layers"]) + 1
    assert table.rows[-1][-2:] == (r["parameters"], r["macs"])
    assert "buffers" in r.conventions["parameters"] and "bias" in r.conventions["macs"]


def test_derived_rows() -> None:
    """The steps of a row end at figures known independently: TF 'same' padding at 112, the Distill table, fc's size."""
    r = network(example("slim_resnet_v1_50"), derive=["pool1", "block1/unit_3/conv2", "block1/unit_3/add", "logits"])
    equations = [s for s in r.steps if isinstance(s, Equation)]
    results = {(e.label.split(":")[0], str(e.lhs)): e.chain[-1] for e in equations}  # where the arithmetic ends
    # pool1 (3 × 3, stride 2, 'same') at 112: 56 outputs, (56 − 1)·2 + 3 − 112 = 1 pixel of padding, after
    assert results[("pool1", "p_b")] == 0 and results[("pool1", "p_e")] == 1
    # the end of block1 (after its last 1 × 1 convolution and the add) has RF 35 (Distill's table)
    assert results[("block1/unit_3/conv2", "RF")] == 35 and results[("block1/unit_3/add", "RF")] == 35
    assert results[("logits", "n_p")] == 2048 * 1000 + 1000  # a 2048 → 1000 linear layer with biases
    assert results[("block1/unit_3/conv2", "M")] == 28 * 28 * 64 * (3 * 3 * 64)  # 3 × 3, 64 → 64, on 28 × 28


def test_rendering() -> None:
    r = network(tiny(), derive=["conv1", "gap", "fc"])
    latex = r.latex()
    assert "\\begin{longtable}" in latex and "118\\,013\\,952" in latex
    text = r.text()
    assert "Per-layer table" in text and "conv1: MACs" in text


def test_symbolic_input_gives_closed_forms() -> None:
    t = tiny()
    t["input"] = ["H", "W", 3]
    r = network(t)
    assert str(r["layers"][0]["output_shape"][0]) == "floor(H/2 - 1/2) + 1"
    assert "H" in str(r["macs"]) and "W" in str(r["macs"])
    assert r.text()


def test_bad_input() -> None:
    with pytest.raises(InputError, match="derive"):
        network(tiny(), derive=["nope"])
    with pytest.raises(InputError, match="expected a Network"):
        network([1, 2, 3])  # type: ignore[arg-type]
    t = tiny()
    t["input"] = [5, 5, 3]
    t["layers"][0]["padding"] = 0
    with pytest.raises(InputError) as e:
        network(t, where="f.toml [tiny]: ")
    assert e.value.field == "f.toml [tiny]: conv1.kernel"


def test_conventions_switch_from_the_file() -> None:
    t = tiny()
    t["count_bias"] = False
    r = network(t)
    assert r["parameters"] == 9408 + 4096 + 128 + 64000
    assert "not counted" in r.conventions["parameters"]


def test_symbolic_rows_can_be_derived() -> None:
    t = example("slim_resnet_v1_50")
    t["input"] = ["H", "W", 3]
    r = network(t, derive=["pool1", "block1/unit_3/add"])
    equations = {(e.label.split(":")[0], str(e.lhs)): e.result for e in r.steps if isinstance(e, Equation)}
    rows = {row["name"]: row for row in r["layers"]}
    assert equations[("block1/unit_3/add", "RF_h")] == 35  # the receptive field does not depend on H
    assert type(rows["block1/unit_3/add"]["receptive_field"]) is int  # a plain int, not a SymPy Integer
    # pool1's effective padding depends on H (TF 'same'), shown in written form; at 224 it is the numeric table's
    from symconv.core.stepper import evaluate_fully

    padding = evaluate_fully(equations[("pool1", "P_h")])
    numeric = network(example("slim_resnet_v1_50"))
    assert (
        padding.xreplace({padding.free_symbols.pop(): 224})
        == next(row for row in numeric["layers"] if row["name"] == "pool1")["effective_padding"]
    )
    assert r.latex()


def test_detail_levels() -> None:
    """answer: the totals (boxed) and conventions; compact: the table and requested rows; full: a row of each kind."""
    r = network(tiny(), derive=["conv1"])
    answer, compact, full = (r.text(d, width=200) for d in ("answer", "compact", "full"))
    assert "Per-layer table" not in answer and "conv1: MACs" not in answer
    assert f"M = {r['macs']:,}" in answer and f"n_p = {r['parameters']:,}" in answer and "Conventions:" in answer
    assert (
        "Per-layer table" in compact and "Worked row: layer conv1" in compact and "Worked row: layer fc" not in compact
    )
    kinds = {info.type for info in r.analysis.layers}
    assert all(f"({kind})" in full for kind in kinds)  # one worked row of each kind of layer
    assert full.count("Worked row:") == len(kinds)
    assert "\\boxed{" + f"{r['macs']:,}".replace(",", "\\,") + "}" in r.latex("answer")
