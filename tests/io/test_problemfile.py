"""Problem files: the documented format loads, and every malformed or hostile file fails with one clear line."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from symconv.errors import InputError
from symconv.io.problemfile import ProblemFileError, load, parse, solve, solve_all

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def problems(*tables: dict, **top: object) -> dict:
    return {**top, "problem": list(tables)}


def test_issue_example_loads_with_its_fields() -> None:
    ps = load(ROOT / "examples" / "seed.toml")
    assert [p.id for p in ps] == ["rf", "feature-map", "layer", "bottleneck"]
    assert [p.type.name for p in ps] == ["receptive_field", "convolution", "conv_layer", "bottleneck"]
    assert ps.by_id()["layer"].params == {"input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2}
    assert ps.title.startswith("CNN arithmetic")


def test_numbers_as_strings_are_exact_and_names_stay_names() -> None:
    ps = parse(problems({"id": "a", "type": "receptive_field", "kernels": ["3", "k_1", [5, "0.5e1"]]}))
    assert ps.problems[0].params["kernels"] == [3, "k_1", [5, 5]]


def test_decimal_floats_are_read_as_written() -> None:
    ps = parse(problems({"id": "c", "type": "convolution", "input": [[1, 2], [3, 4]], "kernel": [[0.1]]}))
    assert ps.problems[0].params["kernel"] == [[Fraction(1, 10)]]


def test_symbol_names_give_closed_forms() -> None:
    ps = parse(
        problems(
            {
                "id": "b",
                "type": "bottleneck",
                "input": ["H", "W", "L"],
                "kernel": "k",
                "outputs": "N",
                "bottleneck": "P",
            }
        )
    )
    result = solve(ps.problems[0])
    import sympy

    L, N, P, k = (sympy.Symbol(n, positive=True, integer=True) for n in "LNPk")
    assert sympy.simplify(result.answers["savings"] - (1 - P / L - P / (k**2 * N))) == 0


def test_solve_sets_the_derivation_id() -> None:
    ps = parse(problems({"id": "x.1", "type": "receptive_field", "kernels": [3, 3]}))
    [(_, result)] = solve_all(ps)
    assert result.derivation.id == "x.1" and result.value == 5


@pytest.mark.parametrize(
    "data, message",
    [
        (
            problems({"id": "a", "type": "receptive_field", "kernels": [3], "extra": 1}),
            "problem 'a': extra = 1: unknown field",
        ),
        (
            problems({"id": "a", "type": "conv_layer", "input": [1, 2], "kernel": 3, "filters": 1}),
            "problem 'a': input = [1, 2]: expected [height, width, channels]",
        ),
        (problems({"id": "a{b}", "type": "receptive_field", "kernels": [3]}), "problem #1: id = 'a{b}': ids are"),
        (
            problems(
                {"id": "a", "type": "receptive_field", "kernels": [3]},
                {"id": "a", "type": "receptive_field", "kernels": [3]},
            ),
            "problem 'a': id = 'a': duplicate id (problems 1 and 2)",
        ),
        (
            problems({"id": "a", "type": "receptive_field", "kernels": [3]}, title=["x"]),
            "title = ['x']: expected a string",
        ),
        ({"problem": {"id": "a"}}, "problem = {'id': 'a'}: expected [[problem]] tables"),
        (problems({"id": "a", "type": "receptive_field", "kernels": ["x" * 40]}), "symbol name longer than 32"),
        (problems({"id": "a", "type": "receptive_field", "kernels": [float("nan")]}), "not a finite number"),
        (
            problems({"id": "a", "type": "convolution", "input": [[1] * 300] * 300, "kernel": [[1]]}),
            "more than 65536 numbers",
        ),
        (problems({"id": "a", "type": "receptive_field", "kernels": [3] * 1001}), "more than 1000 layers"),
    ],
)
def test_invalid_tables_name_the_file_problem_and_field(data: dict, message: str) -> None:
    with pytest.raises(ProblemFileError) as info:
        parse(data, "sheet.toml")
    text = str(info.value)
    assert text.startswith("sheet.toml: ") and message in text
    assert "\n" not in text
    assert isinstance(info.value, InputError)


def test_value_errors_of_a_problem_are_wrapped_with_its_id() -> None:
    ps = parse(problems({"id": "L1", "type": "conv_layer", "input": [38, 38, 22], "kernel": 3, "filters": 0}), "f.toml")
    with pytest.raises(ProblemFileError, match=r"^f\.toml: problem 'L1': filters = 0: must be positive$"):
        solve(ps.problems[0])


def test_missing_file() -> None:
    with pytest.raises(ProblemFileError, match="nope.toml: no such file"):
        load("nope.toml")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_shipped_examples_load(path: Path) -> None:
    if path.name.endswith("-claimed.toml"):
        pytest.skip("claimed answers, not a problem file")
    assert load(path).problems
