"""Checking claims: exact comparison, decimals rounded half-up to the claim's places, first differing element, the parting step."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from symconv.core.arith import size_symbol
from symconv.io.check import (
    check,
    claimed_value,
    first_difference,
    report_text,
    same,
    split_key,
)
from symconv.io.problemfile import parse, solve_all


def test_split_key() -> None:
    assert split_key("receptive_fields[2]") == ("receptive_fields", (2,))
    assert split_key("channel_outputs[0][1][1]") == ("channel_outputs", (0, 1, 1))
    assert split_key("macs") == ("macs", ())


def test_same() -> None:
    assert same(14370048, 14370048) and not same(635299392, 14370048)
    assert same(Fraction(1, 3), Fraction(2, 6))
    assert same(Decimal("0.9469"), Fraction(23199, 24500))  # 0.946897… rounds to 0.9469
    assert same(Decimal("0.95"), Fraction(23199, 24500)) and not same(Decimal("0.9468"), Fraction(23199, 24500))
    percent = Fraction(23199, 245)  # the bottleneck's exact savings_percent, 94.6897…
    assert same(Decimal("94.69"), percent) and same(Decimal("94.7"), percent) and same(Decimal(95), percent)
    assert not same(Decimal("94.6"), percent) and not same(Decimal("94.68"), percent)
    assert not same(95, percent)  # an integer claim is exact, not a rounding
    assert same(Decimal("1.38"), 1.375) and not same(Decimal("1.37"), 1.375)  # a float answer (float input)
    k = size_symbol("k")
    assert same(claimed_value("k**2 + 2*k + 1", "x"), (k + 1) ** 2)
    assert not same(True, 1)


def test_claimed_values() -> None:
    assert claimed_value("1/3", "x") == Fraction(1, 3)
    assert claimed_value("14,370,048", "x") == 14370048
    assert claimed_value(94.69, "x") == Decimal("94.69")
    assert claimed_value([1, "2"], "x") == [1, 2]


def test_first_difference_is_row_major() -> None:
    derived = [[[9, 9], [0, 1]], [[-9, -8], [1, -14]]]
    claimed = [[[9, 9], [0, -1]], [[-9, -7], [1, -14]]]
    d = first_difference(claimed, derived)
    assert d is not None and d.path == (0, 1, 1) and (d.claimed, d.derived) == (-1, 1)
    assert first_difference(derived, derived) is None
    short = first_difference([1, 2], [1, 2, 3])
    assert short is not None and short.path == () and "2 entries claimed, 3 derived" in short.reason


def test_wrong_element_points_at_its_step(tmp_path: Path) -> None:
    problems = parse({"problem": [{"id": "rf", "type": "receptive_field", "kernels": [4, 4, 4], "strides": [1, 2, 2]}]})
    claimed = tmp_path / "c.toml"
    claimed.write_text("[rf]\nreceptive_fields = [4, 7, 12]\neffective_stride = 4\n")
    report = check(problems, solve_all(problems), str(claimed))
    assert report.checked == 2 and len(report.wrong) == 1
    w = report.wrong[0]
    assert w.first.path == (2,) and w.step.key == "receptive_fields[2]"
    text = report_text(report, "c.toml")
    assert "first difference at receptive_fields[2]: claimed 12, correct 13" in text
    assert "RF_3 = RF_2 + (k_3 − 1) × S_2" in text
    assert text.endswith("1 of 2 claimed answers in c.toml are wrong.\n")


def test_first_parting_step_of_a_problem(tmp_path: Path) -> None:
    problems = parse(
        {
            "problem": [
                {"id": "L", "type": "conv_layer", "input": [38, 38, 22], "kernel": 3, "filters": 224, "stride": 2}
            ]
        }
    )
    claimed = tmp_path / "c.toml"
    claimed.write_text("[L]\nflops = 1\nweights = 2\n")  # weights comes first in the derivation
    report = check(problems, solve_all(problems), str(claimed))
    assert {w.key for w in report.wrong} == {"flops", "weights"}
    assert report.first_step["L"].key == "weights"
    assert 'L: the claimed solution first parts from the derivation at step "' in report_text(report, "c")


@pytest.mark.parametrize("value", [None, {1, 2}])
def test_claimed_value_rejects_other_types(value: object) -> None:
    from symconv.errors import InputError

    with pytest.raises(InputError):
        claimed_value(value, "x")


def test_tables_inside_answers() -> None:
    assert split_key("layers[3].macs") == ("layers", (3, "macs"))
    derived = [{"name": "conv1", "macs": 10}, {"name": "fc", "macs": 4}]
    d = first_difference([{"macs": 10}, {"macs": 5}], derived)
    assert d is not None and d.path == (1, "macs") and (d.claimed, d.derived) == (5, 4)
    assert first_difference([{"macs": 10}], derived) is not None  # one row claimed, two derived
    assert claimed_value([{"macs": "3"}], "x") == [{"macs": 3}]
    from symconv.io.check import path_text

    assert path_text("layers", (1, "macs")) == "layers[1].macs"


def test_claims_of_the_exploring_types(tmp_path: Path) -> None:
    import tomllib

    root = Path(__file__).resolve().parents[2]
    with open(root / "examples" / "explore.toml", "rb") as f:
        problems = parse(tomllib.load(f))
    results = solve_all(problems)
    # the right answers, written as a person writes them: brute-force lists, intervals, ratios, a derivative
    stride_18 = [s for s in range(1, 60) if (38 - 3) // s + 1 == 18]
    right = tmp_path / "right.toml"
    right.write_text(
        f"[which-stride]\nsolutions = {stride_18}\ninterval = '(35/18, 35/17]'\n"
        "[no-stride]\nsolutions = []\n"
        "[3x3-vs-7x7]\nratios = [{ name = 'one 7x7', receptive_field = 1, parameters = '49/27', macs = '49/27' }]\n"
        "[savings-sensitivity]\nderivative = '-1/L - 1/(N*k^2)'\n"
    )
    assert check(problems, results, str(right)).wrong == []
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        "[no-stride]\nsolutions = [2]\n"
        "[3x3-vs-7x7]\nratios = [{ name = 'one 7x7', receptive_field = 1, parameters = '27/49', macs = '49/27' }]\n"
    )
    report = check(problems, results, str(wrong))
    assert {(w.problem, w.key) for w in report.wrong} == {("no-stride", "solutions"), ("3x3-vs-7x7", "ratios")}
    text = report_text(report, "wrong.toml")
    assert "1 entry claimed, 0 derived" in text
    # a row is written as the answers write it, never as Python's repr of it
    assert "correct [{name: one 7x7, receptive_field: 1, parameters: 49/27, macs: 49/27}]" in text
    assert "Fraction" not in text
