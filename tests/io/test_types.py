"""The problem-type registry: every type's fields are checked structurally and each adapter reaches its problem."""

from __future__ import annotations

from fractions import Fraction

import pytest

from symconv.errors import InputError
from symconv.io.fields import layers, pair, scalar, shape3, tensor
from symconv.io.types import TYPES, get_type


def test_scalar() -> None:
    assert scalar(3, "x") == 3 and scalar("3", "x") == 3 and scalar("-1/2", "x") == Fraction(-1, 2)
    assert scalar(0.1, "x") == Fraction(1, 10) and scalar(2.0, "x") == 2
    assert scalar(" k_1 ", "x") == "k_1"
    for bad in [True, None, {}, "k-1", "1e99", 10**16, "__class__"]:
        with pytest.raises(InputError):
            scalar(bad, "x")


def test_structures() -> None:
    assert pair([3, "5"], "k") == [3, 5]
    assert layers([3, [3, 5]], "kernels") == [3, [3, 5]]
    assert shape3(["H", "W", 3], "input") == ["H", "W", 3]
    assert tensor([[1, 2], [3, 4]], "m") == [[1, 2], [3, 4]]
    with pytest.raises(InputError, match=r"m\[1\]"):
        tensor([[1], []], "m")
    with pytest.raises(InputError, match="expected a matrix"):
        tensor(3, "m")


def test_every_required_field_is_named_when_missing() -> None:
    for t in TYPES.values():
        required = [f.name for f in t.fields or () if f.required]
        if not required:
            continue
        with pytest.raises(InputError) as info:
            t.check({})
        assert info.value.field == required[0] and info.value.reason == "missing required field"


def test_unknown_type_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match="receptive_field, output_size, conv_layer"):
        get_type("dense")


@pytest.mark.parametrize(
    "name, table, key, value",
    [
        ("receptive_field", {"kernels": [3, 3], "strides": [2, 1]}, "receptive_field", 3 + (3 - 1) * 2),
        ("output_size", {"input": 38, "kernel": 3, "stride": 2}, "output_size", 18),
        (
            "conv_layer",
            {"input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2, "bias": False},
            "parameters",
            44352,
        ),
        (
            "bottleneck",
            {"input": [54, 54, 250], "kernel": 7, "outputs": 48, "bottleneck": 12},
            "savings",
            Fraction(23199, 24500),
        ),
        ("depthwise_separable", {"input": [14, 14, 512], "kernel": 3, "outputs": 512}, "ratio", Fraction(521, 4608)),
    ],
)
def test_adapters_reach_their_problem(name: str, table: dict, key: str, value: object) -> None:
    t = get_type(name)
    assert t.solve(t.check(table), "").answers[key] == value


def test_output_size_errors_use_the_file_names() -> None:
    t = get_type("output_size")
    with pytest.raises(InputError) as info:
        t.solve(t.check({"input": 0, "kernel": 3}), "")
    assert info.value.field == "input"


def test_problem_format_doc_lists_every_type_and_field() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "problem-format.md").read_text(encoding="utf-8")
    for t in TYPES.values():
        assert f"### `{t.name}`" in doc
        for f in t.fields or ():
            assert f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.doc} |" in doc, (t.name, f.name)
