"""Every shipped example's LaTeX (and the hostile titles') compiles with pdflatex, shell escape off.

With the environment variable CI set, a missing pdflatex fails these tests instead of skipping
them, so a CI machine without TeX Live cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.io.writing import LATEX_FLAGS
from symconv.render.latex import LatexRenderer

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for p in (ROOT / "examples").glob("*.toml") if not p.name.endswith("-claimed.toml")) + [
    ROOT / "tests" / "data" / "bad" / "title_input.toml",
    ROOT / "tests" / "data" / "bad" / "title_write18.toml",
]


@pytest.fixture(scope="module")
def pdflatex() -> str:
    path = shutil.which("pdflatex")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(
                "pdflatex is not installed: CI must install TeX Live (texlive-latex-base, texlive-latex-recommended)"
            )
        pytest.skip("pdflatex is not installed")
    return path


def compile_tex(pdflatex: str, tex: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    (workdir / "doc.tex").write_text(tex, encoding="utf-8")
    return subprocess.run(
        [pdflatex, *LATEX_FLAGS, "doc.tex"],
        cwd=workdir,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
@pytest.mark.parametrize("detail", ["full", "answer"])
def test_example_compiles(pdflatex: str, tmp_path: Path, path: Path, detail: str) -> None:
    problems = load(path)
    tex = LatexRenderer(detail).document([r.derivation for _, r in solve_all(problems)], problems.title)
    proc = compile_tex(pdflatex, tex, tmp_path)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0 and (tmp_path / "doc.pdf").exists(), errors or proc.stdout[-2000:]


def test_hostile_title_runs_nothing(pdflatex: str, tmp_path: Path) -> None:
    marker = Path("/tmp/symconv-pwned")
    marker.unlink(missing_ok=True)
    problems = load(ROOT / "tests" / "data" / "bad" / "title_write18.toml")
    tex = LatexRenderer("full").document([r.derivation for _, r in solve_all(problems)], problems.title)
    proc = compile_tex(pdflatex, tex, tmp_path)
    assert proc.returncode == 0
    assert not marker.exists()
    assert "root:" not in proc.stdout  # \input{/etc/passwd} was not read


def test_cli_pdf(pdflatex: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from symconv.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "rf.pdf"
    assert main(["rf", "--kernels", "4,4,4", "--strides", "1,2,2", "--pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "name", ["list", "savings", "ratio", "layer", "output_size", "receptive_field_3", "conv_output_size"]
)
def test_formula_documents_compile(pdflatex: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from symconv.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "formula.tex"
    assert main(["formula", name, "--format", "latex", "-o", str(out)]) == 0
    proc = compile_tex(pdflatex, out.read_text(encoding="utf-8"), tmp_path)
    assert proc.returncode == 0, [line for line in proc.stdout.splitlines() if line.startswith("!")]
