"""A network's table as typed records and as a DataFrame: the same rows as the ``layers`` answer, typed columns."""

from __future__ import annotations

import sys
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

import symconv
from symconv.errors import UnsupportedError
from symconv.network.records import LayerRecord

ROOT = Path(__file__).resolve().parents[2]


def resnet50() -> dict:
    with open(ROOT / "examples" / "resnet50.toml", "rb") as f:
        return tomllib.load(f)["problem"][0]


def merged(values: tuple) -> object:
    return values[0] if len(set(values)) == 1 else list(values)


def test_records_are_the_rows_of_the_layers_answer() -> None:
    r = symconv.analyse_network(resnet50())
    assert len(r.layers) == len(r["layers"]) == 175
    for record, row in zip(r.layers, r["layers"]):
        assert isinstance(record, LayerRecord)
        assert record.name == row["name"] and list(record.output_shape) == row["output_shape"]
        assert merged(record.receptive_field) == row["receptive_field"]
        assert merged(record.effective_stride) == row["effective_stride"]
        assert merged(record.effective_padding) == row["effective_padding"]
        assert (record.parameters, record.macs) == (row["parameters"], row["macs"])
    # torchvision's published totals, summed from the records
    assert sum(rec.parameters for rec in r.layers) == r.parameters == 25557032
    assert sum(rec.macs for rec in r.layers) == r.macs == 4089184256


def test_data_frame_matches_the_rows_with_typed_columns() -> None:
    pd = pytest.importorskip("pandas")
    r = symconv.analyse_network(resnet50())
    df = r.to_pandas()
    assert len(df) == len(r["layers"])
    assert df["name"].tolist() == [row["name"] for row in r["layers"]]
    assert df["macs"].tolist() == [row["macs"] for row in r["layers"]]
    assert df["receptive_field"].tolist() == [row["receptive_field"] for row in r["layers"]]
    assert [list(s) for s in df["output_shape"]] == [row["output_shape"] for row in r["layers"]]
    assert df["macs"].dtype == "int64" and df["parameters"].dtype == "int64"
    assert df["name"].dtype == pd.StringDtype()
    assert int(df["macs"].sum()) == 4089184256
    # what a notebook does with it: the costliest convolution
    top = df.sort_values("macs", ascending=False).iloc[0]
    assert top["type"] == "conv" and top["macs"] == max(row["macs"] for row in r["layers"])


def test_symbolic_tables_keep_sympy_objects() -> None:
    pytest.importorskip("pandas")
    spec = {
        "input": ["H", "W", 3],
        "layers": [
            {"type": "conv", "kernel": 3, "filters": 8, "stride": 2, "padding": 1},
            {"type": "global_avgpool"},
        ],
    }
    r = symconv.analyse_network(spec)
    df = r.to_pandas()
    H = sympy.Symbol("H", positive=True, integer=True)
    assert df["macs"].dtype == object
    assert isinstance(df["macs"][0], sympy.Expr) and df["macs"][0] == r["layers"][0]["macs"]
    assert df["macs"][0].subs({H: 32, sympy.Symbol("W", positive=True, integer=True): 32}) == 16 * 16 * 8 * 27
    # the global pool reads the whole map: its field differs along H and W, so each axis has its column
    assert "receptive_field_height" in df and "receptive_field_width" in df
    assert df["parameters"].dtype == "int64"


def test_fractions_stay_exact() -> None:
    pytest.importorskip("pandas")
    spec = {"input": [4, 4, 2], "layers": [{"type": "conv_transpose", "kernel": 2, "stride": 2, "filters": 2}]}
    df = symconv.analyse_network(spec).to_pandas()
    assert df["effective_stride"].tolist() == [Fraction(1, 2)] and df["effective_stride"].dtype == object


def test_to_pandas_without_pandas_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(UnsupportedError, match=r"symconv\[pandas\]"):
        symconv.analyse_network(resnet50()).to_pandas()
