"""Files: their estimated work is bounded before anything is solved; check compares claims in bounded time."""

from __future__ import annotations

from pathlib import Path

import pytest

from symconv.core.limits import MAX_CLAIM_TERMS, MAX_FILE_WORK
from symconv.errors import InputError
from symconv.io import budget
from symconv.io.check import check, same_closed_form
from symconv.io.problemfile import ProblemFileError, load, parse, solve_all

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def layers(count: int, symbolic: bool) -> dict:
    size = ["H", "W", "C"] if symbolic else [38, 38, 22]
    kernel, filters = ("k", "F") if symbolic else (3, 224)
    return {
        "problem": [
            {"id": f"l{i}", "type": "conv_layer", "input": size, "kernel": kernel, "filters": filters}
            for i in range(count)
        ]
    }


def test_a_file_of_many_symbolic_problems_is_refused_naming_where_it_passes_the_limit() -> None:
    with pytest.raises(ProblemFileError) as e:
        parse(layers(200, symbolic=True), "sheet.toml")
    assert e.value.problem == f"'l{MAX_FILE_WORK}'" and "split the file" in str(e.value)
    parse(layers(MAX_FILE_WORK, symbolic=True), "sheet.toml")  # at the limit: accepted
    parse(layers(200, symbolic=False), "sheet.toml")  # numeric problems cost little


def test_every_example_fits_and_a_problem_counts_at_most_16() -> None:
    for path in EXAMPLES.glob("*.toml"):
        if "claimed" not in path.name:
            load(str(path))
    huge = {"kernels": [3] * 1000, "strides": [10**15] * 1000}
    assert budget.work("receptive_field", huge) == budget.AT_LIMIT  # refused by its own limit when solved


def test_a_problem_beyond_its_own_limit_is_refused_with_that_limit() -> None:
    table = {
        "problem": [{"id": "c", "type": "convolution", "input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": 20000}]
    }
    with pytest.raises(ProblemFileError, match="padding = 20000: the padded input holds"):
        solve_all(parse(table, "sheet.toml"))


SHEET = {
    "problem": [
        {"id": "g", "type": "bottleneck", "input": ["H", "W", "L"], "kernel": "k", "filters": "N", "bottleneck": "P"},
        {"id": "n", "type": "bottleneck", "input": [54, 54, 250], "kernel": 7, "filters": 48, "bottleneck": 12},
    ]
}


@pytest.mark.parametrize("claim", ["inf", "-inf", "nan", "1e400"])
def test_a_claimed_number_that_is_not_finite_names_the_answer(tmp_path: Path, claim: str) -> None:
    problems = parse(SHEET, "sheet.toml")
    claimed = tmp_path / "c.toml"
    claimed.write_text(f"[n]\nsavings_percent = {claim}\n")
    with pytest.raises(ProblemFileError) as e:
        check(problems, solve_all(problems), str(claimed))
    assert e.value.field == "savings_percent" and "not a finite number" in str(e.value)


def test_claimed_closed_forms_are_compared_in_bounded_time(tmp_path: Path) -> None:
    problems = parse(SHEET, "sheet.toml")
    results = solve_all(problems)
    claimed = tmp_path / "c.toml"
    # wrong and huge: the random points tell it apart before anything is expanded
    claimed.write_text('[g]\nsavings = "(H+W+L+k+N+P)**30 * (H+W+1)**30"\n')
    report = check(problems, results, str(claimed))
    assert len(report.wrong) == 1
    # right but written to expand to 2^30 terms: refused, naming the answer, instead of simplified for minutes
    claimed.write_text('[g]\nsavings = "(H+W)**30 - (H**2+2*H*W+W**2)**15 + 1 - P/L - P/(k^2*N)"\n')
    with pytest.raises(ProblemFileError) as e:
        check(problems, results, str(claimed))
    assert e.value.field == "savings" and f"{MAX_CLAIM_TERMS:,}" in str(e.value)
    # right, written otherwise: right
    claimed.write_text('[g]\nsavings = "(L*N*k^2 - P*N*k^2 - L*P)/(L*N*k^2)"\n')
    assert check(problems, results, str(claimed)).ok


def test_forms_that_differ_only_far_away_are_told_apart() -> None:
    import sympy

    H = sympy.Symbol("H", positive=True, integer=True)
    assert same_closed_form(sympy.floor((H - 1) / 2) + 1, sympy.ceiling(H / sympy.Integer(2)))
    assert not same_closed_form(sympy.floor(H / 2) + 1, sympy.ceiling(H / sympy.Integer(2)))
    assert not same_closed_form(H, H + 1 / (H * 10**6))
    with pytest.raises(InputError):
        same_closed_form((H + 1) ** 40 - (H**2 + 2 * H + 1) ** 20, sympy.Integer(0), "x")
