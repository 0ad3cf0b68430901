"""JSON output: exact integers as integers, fractions "p/q", closed forms in SymPy syntax that parse back."""

from __future__ import annotations

import json
from fractions import Fraction

import sympy

from symconv.core.safeexpr import parse_expression
from symconv.io.problemfile import parse, solve_all
from symconv.render.json import JsonRenderer, to_json_value

SHEET = {
    "title": "T",
    "problem": [
        {"id": "b", "type": "bottleneck", "input": [54, 54, 250], "kernel": 7, "outputs": 48, "bottleneck": 12},
        {"id": "g", "type": "bottleneck", "input": ["H", "W", "L"], "kernel": "k", "outputs": "N", "bottleneck": "P"},
        {"id": "rf", "type": "receptive_field", "kernels": [[3, 5], 3]},
    ],
}


def document(detail: str = "full") -> dict:
    results = solve_all(parse(SHEET))
    return json.loads(JsonRenderer(detail).document([r.derivation for _, r in results], "T")), results


def test_shape_of_the_document() -> None:
    data, _ = document()
    assert data["title"] == "T"
    assert [p["id"] for p in data["problems"]] == ["b", "g", "rf"]
    assert [p["type"] for p in data["problems"]] == ["bottleneck", "bottleneck", "receptive_field"]
    for p in data["problems"]:
        assert set(p) == {"id", "type", "answers", "conventions", "steps"}
        assert all({"label", "latex"} <= set(s) for s in p["steps"])
        assert all(s["key"].split("[")[0] in p["answers"] for s in p["steps"] if "key" in s)


def test_exact_values() -> None:
    data, results = document()
    b = data["problems"][0]["answers"]
    assert b["original_multiplications"] == 1714608000 and isinstance(b["original_multiplications"], int)
    assert b["savings"] == "23199/24500" and Fraction(b["savings"]) == results[0][1].answers["savings"]
    assert data["problems"][2]["answers"]["receptive_fields"] == [[3, 5], [5, 7]]


def test_closed_forms_parse_back_to_the_same_expression() -> None:
    data, results = document()
    for key, text in data["problems"][1]["answers"].items():
        derived = results[1][1].answers[key]
        assert sympy.simplify(parse_expression(text, key) - derived) == 0, key


def test_answer_detail_keeps_only_answer_steps() -> None:
    full, _ = document("full")
    answer, _ = document("answer")
    assert len(answer["problems"][0]["steps"]) < len(full["problems"][0]["steps"])
    assert answer["problems"][0]["answers"] == full["problems"][0]["answers"]


def test_to_json_value() -> None:
    assert to_json_value([Fraction(1, 3), Fraction(4, 1), 5, (True, "x")]) == ["1/3", 4, 5, [True, "x"]]
    assert to_json_value(sympy.Rational(3, 4)) == "3/4" and to_json_value(sympy.Integer(7)) == 7
    assert to_json_value(sympy.Symbol("k") ** 2 + 1) == "k**2 + 1"
