"""The exploring commands: solve-for, sweep (with figures), compare, formula --diff, and check of their answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symconv.cli import main

ROOT = Path(__file__).resolve().parent.parent
STRIDE = ["s", "conv_output_size", "--target", "18", "--given", "i=38,k=3,p=0,d=1"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as e:
        status = int(e.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_solve_for(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "solve-for", *STRIDE)
    assert code == 0 and err == "" and "17 ≤ 35/s < 18" in out and "s ∈ {2}" in out
    code, out, _ = run(capsys, "solve-for", *STRIDE[:3], "19", *STRIDE[4:], "--format", "json")
    answers = json.loads(out)["problems"][0]["answers"]
    assert answers == {"solutions": [], "closed_form": None, "interval": "(35/19, 35/18]"}
    code, out, _ = run(
        capsys, "solve-for", "P", "savings", "--target", "0.9", "--relation", "ge", "--given", "L=250,N=48,k=7",
        "--format", "json",
    )  # fmt: skip
    answers = json.loads(out)["problems"][0]["answers"]
    assert answers["solutions"] == list(range(1, 23)) and answers["closed_form"] == "29400/1301"
    assert answers["interval"] == "[1, 29400/1301]"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve-for", "q", *STRIDE[1:]], "symconv solve-for: UNKNOWN = 'q': conv_output_size has no such symbol"),
        (["solve-for", *STRIDE, "--relation", "=>"], "--relation = '=>': expected one of"),
        (["solve-for", *STRIDE, "--range", "2.2,2.8"], "--range = ['11/5', '14/5']: holds no integer"),
        (["solve-for", *STRIDE, "--given", "i=38"], "--given = "),
        (["solve-for", *STRIDE, "--given", "i38"], "NAME=VALUE"),
        (
            ["solve-for", "P", "savings", "--target", "1/2", "--relation", "le", "--given", "L=250,N=48,k=7"],
            "--range: every P in the unbounded interval [147000/1301, ∞)",
        ),
        (
            ["sweep", "savings", "--vary", "P", "--range", "1,4", "--values", "1,2", "--given", "L=1,N=1,k=1"],
            "exactly one",
        ),
        (["formula", "savings", "--diff", "Q"], "--diff = 'Q': savings has no such symbol"),
        (["formula", "savings", "--given", "P=1"], "--given goes with --diff"),
        (["formula", "list", "--diff", "P"], "--diff needs a formula"),
        (["compare", "examples/explore.toml"], "not a comparison"),
        (["compare", "tests/data/bad/compare_shape_error.toml"], "design[0] ('three 3x3'): conv3.kernel = 3"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_sweep_text_and_figures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["sweep", "savings", "--vary", "P", "--range", "1,48", "--given", "L=250,N=48,k=7,P=12"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and "\u25c6" in out and "23199/24500" in out
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG")):
        target = tmp_path / f"plot{suffix}"
        code, out, err = run(capsys, *args, "-o", str(target))
        assert code == 0 and out == "" and err == "" and target.read_bytes().startswith(magic)
    code, out, _ = run(capsys, *args[:4], "--values", "1,12,48", *args[6:], "--format", "json")
    table = json.loads(out)["problems"][0]["answers"]["table"]
    assert [row["P"] for row in table] == [1, 12, 48] and table[1]["savings"] == "23199/24500"


def test_sweep_a_network_total(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    net = tmp_path / "net.toml"
    net.write_text(
        'input = ["S", "S", 3]\n'
        '[[layers]]\ntype = "conv"\nkernel = 3\nfilters = 8\nstride = 2\npadding = 1\n'
        '[[layers]]\ntype = "conv"\nkernel = 3\nfilters = 16\nstride = 2\n',
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "sweep", "macs", "--network", str(net), "--vary", "S", "--values", "32,64", "--format", "json"
    )
    assert code == 0, err
    table = json.loads(out)["problems"][0]["answers"]["table"]
    from symconv import analyse_network

    for row in table:
        layers = [
            {"type": "conv", "kernel": 3, "filters": 8, "stride": 2, "padding": 1},
            {"type": "conv", "kernel": 3, "filters": 16, "stride": 2},
        ]
        assert row["macs"] == analyse_network({"input": [row["S"], row["S"], 3], "layers": layers})["macs"]


def test_solve_for_a_network_total(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from symconv import analyse_network

    layers = [
        {"type": "conv", "kernel": 3, "filters": 16, "stride": 2, "padding": 1},
        {"type": "conv", "kernel": 3, "filters": 32, "stride": 2, "padding": 1},
    ]
    net = tmp_path / "net.toml"
    net.write_text(
        'input = ["S", "S", 3]\n'
        + "".join(
            "[[layers]]\n" + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in layer.items()) for layer in layers
        ),
        encoding="utf-8",
    )
    argv = ["solve-for", "S", "macs", "--network", str(net), "--target", "1000000", "--relation", "le"]
    code, out, err = run(capsys, *argv, "--range", "1,200", "--format", "json")
    assert code == 0, err
    brute = [s for s in range(1, 201) if analyse_network({"input": [s, s, 3], "layers": layers})["macs"] <= 10**6]
    assert json.loads(out)["problems"][0]["answers"]["solutions"] == brute


def test_compare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "examples/designs.toml", "--format", "json", "--detail", "answer")
    assert code == 0 and err == ""
    first = json.loads(out)["problems"][0]["answers"]
    assert [d["parameters"] for d in first["designs"]] == ["27*C**2", "49*C**2"]
    assert first["ratios"] == [{"name": "one 7x7", "receptive_field": 1, "parameters": "49/27", "macs": "49/27"}]


def test_formula_diff(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "savings", "--diff", "P")
    assert code == 0 and "∂σ/∂P = ∂/∂P (1 − P/L − P/(k²N)) = −1/L − 1/(k²N)" in out
    code, out, _ = run(
        capsys, "formula", "savings", "--diff", "P", "--given", "L=250,N=48,k=7,P=12", "--format", "json"
    )
    assert json.loads(out)["problems"][0]["answers"]["value"] == "-1301/294000"
    code, out, _ = run(capsys, "formula", "conv_output_size", "--diff", "s", "--given", "i=38,k=3,p=0,d=1,s=2")
    assert code == 0 and "not differentiable" in out and "= −6" in out


def test_check_claimed_solutions_ratios_and_intervals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    claims = tmp_path / "claims.toml"
    claims.write_text(
        '[which-kernel]\nsolutions = [7, 8]\ninterval = "(6, 8]"\n'
        "[no-stride]\nsolutions = []\n"
        '[narrow-bottleneck]\nclosed_form = "29400/1301"\ninterval = "[1, 29400/1301]"\n'
        '[bottleneck-in-general]\nclosed_form = "(1 - sigma)*L*N*k^2/(L + N*k^2)"\n'
        '[3x3-vs-7x7]\nratios = [{ name = "one 7x7", parameters = "49/27", receptive_field = 1 }]\n'
        '[savings-sensitivity]\nderivative = "-1/L - 1/(k^2*N)"\nvalue = "-1301/294000"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", "examples/explore.toml", "--answers", str(claims))
    assert code == 0 and "All 9 claimed answers" in out, out
    claims.write_text(
        '[which-kernel]\nsolutions = [7]\n[3x3-vs-7x7]\nratios = [{ macs = "27/49" }]\n', encoding="utf-8"
    )
    code, out, _ = run(capsys, "check", "examples/explore.toml", "--answers", str(claims))
    assert code == 1 and "2 of 2 claimed answers" in out
    assert "which-kernel: solutions is wrong: claimed [7], correct [7, 8]" in out
    assert "first difference at ratios[0].macs: claimed 27/49, correct 49/27" in out
