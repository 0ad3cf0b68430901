"""The symconv command: every subcommand, exit statuses, one-line errors, atomic output, the bad-file corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symconv.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests" / "data" / "bad").glob("*.toml"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as e:  # --help and --version exit through argparse
        status = int(e.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _expectations(path: Path) -> dict[str, str]:
    """The ``# key: value`` header lines of a corpus file: exit, stderr."""
    header: dict[str, str] = {}
    for line in path.read_bytes().split(b"\n"):
        if not line.startswith(b"# "):
            break
        key, _, value = line[2:].decode().partition(": ")
        header[key] = value
    return header


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_and_hostile_files(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    header = _expectations(path)
    status = int(header["exit"])
    rel = str(path.relative_to(ROOT))
    code, out, err = run(capsys, "solve", rel)
    assert code == status
    if status:
        assert err == header["stderr"].replace("{file}", rel) + "\n"
        assert out == ""
    else:
        # A hostile title prints literally: every TeX command in it is escaped.
        assert "\\input{" not in out and "\\write18{" not in out and "\\immediate\\" not in out
        assert "\\textbackslash{}" in out


def test_rf_one_liner(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rf", "--kernels", "4,4,4", "--strides", "1,2,2", "--format", "json")
    assert code == 0 and err == ""
    answers = json.loads(out)["problems"][0]["answers"]
    assert answers["receptive_fields"] == [4, 7, 13] and answers["effective_stride"] == 4


def test_rf_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rf", "--kernels", "3x5,3", "--format", "json")
    assert code == 0
    assert json.loads(out)["problems"][0]["answers"]["receptive_field"] == [5, 7]


def test_layer_one_liner_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "layer", "--input", "38x38x22", "--kernel", "3", "--filters", "224", "--stride", "2")
    assert code == 0
    assert "14,370,048" in out and "18 × 18 × 224 × 198" in out


def test_layer_no_bias(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "layer", "--input", "38x38x22", "--kernel", "3", "--filters", "224", "--no-bias", "--format", "json"
    )
    assert json.loads(out)["problems"][0]["answers"]["parameters"] == 3 * 3 * 22 * 224


def test_bottleneck_one_liner(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys,
        "bottleneck",
        "--input",
        "54x54x250",
        "--kernel",
        "7",
        "--outputs",
        "48",
        "--bottleneck",
        "12",
        "--format",
        "json",
        "--detail",
        "answer",
    )
    a = json.loads(out)["problems"][0]["answers"]
    assert a["original_multiplications"] == 54 * 54 * 48 * 49 * 250
    assert a["savings"] == "23199/24500" and a["savings_percent"] == "23199/245"  # exact, 94.6897…


def test_separable_one_liner(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "separable", "--input", "14x14x512", "--kernel", "3", "--outputs", "512", "--format", "json"
    )
    a = json.loads(out)["problems"][0]["answers"]
    assert a["ratio"] == "521/4608"  # 1/512 + 1/9
    assert a["separable_multiplications"] == 14 * 14 * 512 * (9 + 512)


def test_size_one_liner_symbolic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "size", "--input", "i", "--kernel", "3", "--stride", "2", "--format", "json")
    assert code == 0
    assert "floor" in json.loads(out)["problems"][0]["answers"]["output_size"]


def test_size_transposed(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "size", "--input", "5", "--kernel", "3", "--stride", "2", "--mode", "transposed", "--format", "json"
    )
    assert json.loads(out)["problems"][0]["answers"]["output_size"] == (5 - 1) * 2 + 3


def test_formula_savings_derives_the_closed_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "formula", "savings", "--format", "json")
    assert code == 0
    assert json.loads(out)["problems"][0]["answers"]["savings_formula"] == "1 - P/(N*k**2) - P/L"


def test_formula_list_and_catalogue_entry(capsys: pytest.CaptureFixture[str]) -> None:
    from symconv.catalogue import CATALOGUE

    code, out, _ = run(capsys, "formula", "list")
    assert code == 0 and all(name in out for name in CATALOGUE)
    code, out, _ = run(capsys, "formula", "list", "--format", "json")
    entries = json.loads(out)["formulas"]
    assert {e["name"] for e in entries} == set(CATALOGUE)
    assert all(e["latexify"].startswith("\\mathrm{") for e in entries)
    code, out, _ = run(capsys, "formula", "conv_output_size")
    assert code == 0 and "o =" in out


def test_formula_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "formula", "nonsense")
    assert code == 2 and out == ""
    assert err.startswith("symconv: error: formula = 'nonsense': unknown formula") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rf", "--kernels", "4,0"], "symconv: error: symconv rf: --kernels[1] = 0: must be positive"),
        (
            ["rf", "--kernels", "4,,4"],
            "symconv: error: symconv rf: --kernels = '4,,4': expected comma-separated values",
        ),
        (
            ["layer", "--input", "38x38", "--kernel", "3", "--filters", "2"],
            "symconv: error: symconv layer: --input = '38x38': expected HxWxC",
        ),
        (["layer", "--input", "5x5x3", "--kernel", "7", "--filters", "2"], "symconv: error: symconv layer: --"),
        (["rf", "--kernels", "__import__('os')"], "not a number and not a symbol name"),
        (["solve"], "symconv solve: the following arguments are required: FILE"),
        (["frobnicate"], "symconv: argument COMMAND: invalid choice: 'frobnicate'"),
        (["solve", "missing.toml"], "symconv: error: missing.toml: no such file"),
        (["solve", "examples/seed.toml", "--pdf", "--format", "json"], "--pdf compiles LaTeX"),
    ],
)
def test_errors_are_one_line_with_status_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_help_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    from symconv.cli import COMMANDS

    for command in [None, *COMMANDS]:
        code, out, _ = run(capsys, *([command] if command else []), "--help")
        assert code == 0 and "usage: symconv" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import symconv

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"symconv {symconv.__version__}"


def test_python_dash_m_runs_the_same_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "symconv", "rf", "--kernels", "3,3", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["problems"][0]["answers"]["receptive_field"] == 5
    proc = subprocess.run(
        [sys.executable, "-m", "symconv", "solve", "tests/data/bad/unknown_type.toml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_output_file_format_from_extension(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "rf.md"
    code, stdout, _ = run(capsys, "rf", "--kernels", "3,3", "-o", str(out))
    assert code == 0 and stdout == ""
    assert out.read_text().startswith("## Receptive field") and "$$" in out.read_text()


def test_failed_run_leaves_existing_output_untouched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "solution.tex"
    out.write_text("previous\n")
    code, _, _ = run(capsys, "solve", "tests/data/bad/negative_size.toml", "-o", str(out))
    assert code == 2
    assert out.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["solution.tex"]  # no temporary file left behind


def test_failed_run_creates_no_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "solution.tex"
    code, _, _ = run(capsys, "solve", "tests/data/bad/kernel_too_large.toml", "-o", str(out))
    assert code == 2 and not out.exists() and not list(tmp_path.iterdir())


def test_solve_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, marker in [
        ("latex", "\\documentclass"),
        ("markdown", "# Closed forms"),
        ("html", "<!DOCTYPE html>"),
        ("text", "Closed forms\n====="),
        ("json", '"title": "Closed forms"'),
    ]:
        code, out, err = run(capsys, "solve", "examples/symbolic.toml", "--format", fmt)
        assert code == 0 and err == "" and marker in out, fmt


def test_pdf_reports_a_missing_engine(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pdflatex, no latexmk
    code, _, err = run(capsys, "solve", "examples/separable.toml", "--pdf", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "needs pdflatex or latexmk, and neither is installed" in err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("width", [80, 60])
def test_the_check_report_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """A claimed tensor longer than a line is set on lines of its own, wrapped to COLUMNS."""
    monkeypatch.setenv("COLUMNS", str(width))
    _, out, _ = run(capsys, "check", "examples/seed.toml", "--answers", "examples/seed-claimed.toml")
    assert max(len(line) for line in out.splitlines()) <= width
    flat = " ".join(out.split())  # the wrapped values still read whole
    assert "claimed [[[9, 9], [0, −1]], [[−9, −8], [1, −14]], [[−13, −13], [−26, −14]]]" in flat


def test_check_flags_the_seed_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "examples/seed.toml", "--answers", "examples/seed-claimed.toml")
    assert code == 1, err
    assert "layer: multiplications is wrong: claimed 635,299,392, correct 14,370,048" in out
    assert "feature-map: channel_outputs is wrong" in out
    assert "first difference at channel_outputs[0][1][1]: claimed −1, correct 1" in out
    assert out.strip().endswith("are wrong.")
    wrong = {
        (w["id"], w["key"])
        for w in json.loads(
            run(capsys, "check", "examples/seed.toml", "--answers", "examples/seed-claimed.toml", "--format", "json")[1]
        )["wrong"]
    }
    assert wrong == {("layer", "multiplications"), ("feature-map", "channel_outputs")}


def test_check_all_right(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    claimed = tmp_path / "ok.toml"
    claimed.write_text(
        '[bottleneck-general]\nsavings = "1 - P/L - P/(k^2*N)"\n'
        '[rf-general]\nreceptive_fields = ["k_1", "k_1 + s_1*(k_2 - 1)", "k_1 + s_1*(k_2-1) + s_1*s_2*(k_3-1)"]\n'
    )
    code, out, _ = run(capsys, "check", "examples/symbolic.toml", "--answers", str(claimed))
    assert code == 0 and out.startswith("All 2 claimed answers")


@pytest.mark.parametrize(
    "claimed, message",
    [
        ("[nope]\nx = 1\n", "problem 'nope': no problem with this id"),
        ("[rf-general]\ncolour = 1\n", "problem 'rf-general': colour = 1: not an answer of this problem"),
        ("[rf-general]\nreceptive_field = \"__import__('os')\"\n", "only names, numbers, + - * / ** and brackets"),
        ("rf-general = 3\n", "expected a table of claimed answers"),
        ("", "no claimed answers"),
        ("[rf", "malformed TOML"),
    ],
)
def test_check_bad_claims(capsys: pytest.CaptureFixture[str], tmp_path: Path, claimed: str, message: str) -> None:
    path = tmp_path / "claimed.toml"
    path.write_text(claimed)
    code, out, err = run(capsys, "check", "examples/symbolic.toml", "--answers", str(path))
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_unwritable_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "rf", "--kernels", "3", "-o", str(tmp_path / "missing" / "x.txt"))
    assert code == 2 and out == ""
    assert err == f"symconv: error: {tmp_path / 'missing' / 'x.txt'}: cannot write: No such file or directory\n"


def test_conv_one_liner(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "conv", "--input", "4 3 1; 1 2 1; 3 3 4", "--kernel", "[[3, 0], [1, -2]]", "--format", "json"
    )
    assert code == 0 and json.loads(out)["problems"][0]["answers"]["output"] == [[9, 9], [0, 1]]
    code, out, _ = run(
        capsys, "conv", "--input", "1 2; 3 4 | 5 6; 7 8", "--kernel", "1 | 1", "--kernel", "1 | -1", "--format", "json"
    )
    assert code == 0 and json.loads(out)["problems"][0]["answers"]["output"] == [
        [[6, 8], [10, 12]],
        [[-4, -4], [-4, -4]],
    ]


def test_net_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bare = tmp_path / "tiny.toml"
    bare.write_text('input = [8, 8, 3]\n[[layers]]\nname = "c"\ntype = "conv"\nkernel = 3\nfilters = 4\n')
    code, out, err = run(capsys, "net", str(bare), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["problems"][0]["answers"]["parameters"] == 3 * 3 * 3 * 4 + 4
    code, _, err = run(capsys, "net", "examples/symbolic.toml")
    assert code == 2 and "not a network; use `symconv solve`" in err


def _shell(command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(["sh", "-c", command], cwd=ROOT, capture_output=True, text=True, env=env, check=False)


@pytest.mark.parametrize(
    ("redirect", "message"),
    [(">&-", "standard output is closed"), ("> /dev/full", "No space left on device")],
)
def test_stdout_closed_or_full_is_one_line_and_status_2(redirect: str, message: str) -> None:
    proc = _shell(f"{sys.executable} -m symconv rf --kernels 3,3 {redirect}")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and "Traceback" not in proc.stderr


def test_control_characters_never_reach_the_terminal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "esc.toml"
    bad.write_text('[[problem]]\nid = "a"\ntype = "receptive_field"\n"\\u001b[31mkernels" = [3]\n')
    code, _, err = run(capsys, "solve", str(bad))
    assert code == 2 and "\x1b" not in err and "\\x1b" in err
    code, _, err = run(capsys, "rf", "--kernels", "3\x1b]0;title\x07,3")
    assert code == 2 and "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_matrix_file_is_read_with_a_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "conv", "--input", "@/dev/zero", "--kernel", "1")
    assert code == 2 and "--input" in err and "bytes" in err


@pytest.mark.parametrize("out", ["", "."])
def test_output_empty_or_directory_is_refused(capsys: pytest.CaptureFixture[str], out: str) -> None:
    code, stdout, err = run(capsys, "rf", "--kernels", "3,3", "-o", out)
    assert code == 2 and stdout == "" and ("empty" in err if not out else "is a directory" in err)


def test_an_unknown_option_names_the_one_meant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "size", "--input", "38", "--kernel-size", "3")
    assert code == 2 and out == ""
    assert err == "symconv size: unrecognized option --kernel-size; did you mean --kernel? (see symconv size --help)\n"


def test_a_misnamed_required_option_is_named_not_reported_missing(capsys: pytest.CaptureFixture[str]) -> None:
    """PyTorch's name for a required option: the error names the option meant, not only the one missing."""
    code, out, err = run(capsys, "layer", "--input", "38x38x22", "--kernel", "3", "--out-channels", "224")
    assert code == 2 and out == ""
    assert "unrecognized option --out-channels; did you mean --filters?" in err
    # an unambiguous prefix is argparse's abbreviation, not an unknown option: the missing one is reported
    code, _, err = run(capsys, "layer", "--input", "38x38x22", "--fil", "224")
    assert code == 2 and "the following arguments are required: --kernel" in err


def test_filters_is_the_option_and_outputs_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    answers = []
    for option in ("--filters", "--outputs"):
        code, out, _ = run(capsys, "bottleneck", "--input", "54x54x250", "--kernel", "7", option, "48",
                           "--bottleneck", "12", "--format", "json", "--detail", "answer")  # fmt: skip
        assert code == 0
        answers.append(json.loads(out)["problems"][0]["answers"]["savings"])
    assert answers[0] == answers[1]


def test_solve_detail_defaults_to_compact_for_a_file_of_networks_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file of networks reads as `net` does; a sheet mixing exercises and a network keeps every worked row."""
    network = (ROOT / "examples" / "vgg16.toml").read_text()
    assert "Worked row" not in run(capsys, "solve", "examples/vgg16.toml", "--format", "text")[1]
    assert "Worked row" in run(capsys, "solve", "examples/vgg16.toml", "--format", "text", "--detail", "full")[1]
    sheet = tmp_path / "sheet.toml"
    exercise = '[[problem]]\nid = "rf"\ntype = "receptive_field"\nkernels = [3, 3]\nstrides = [1, 2]\n\n'
    sheet.write_text(network.replace("[[problem]]", exercise + "[[problem]]", 1))
    code, out, _ = run(capsys, "solve", str(sheet), "--format", "text")
    assert code == 0 and "Worked row" in out and "RF_1 = RF_0 + (k_1 − 1) × S_0" in out
