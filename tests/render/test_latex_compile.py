"""Every shipped example's LaTeX, and a set of valid but awkward inputs, compile to pages a teacher can hand out.

Each document is compiled with pdflatex (shell escape off) until its cross-references settle, and the
test fails on an error, on any line wider than the text by more than 10 pt (``Overfull \\hbox``) and on
a bitmap (Type 3) font. With the environment variable CI set, a missing pdflatex or pdffonts fails
these tests instead of skipping them, so a CI machine without TeX Live cannot pass silently.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symconv.io.problemfile import load, solve_all
from symconv.io.writing import LATEX_FLAGS
from symconv.render.latex import LatexRenderer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.toml") if not p.name.endswith("-claimed.toml"))
AWKWARD = ROOT / "tests" / "data" / "documents" / "awkward.toml"
CONTROLS = ROOT / "tests" / "data" / "documents" / "controls.toml"
HOSTILE = [ROOT / "tests" / "data" / "bad" / "title_input.toml", ROOT / "tests" / "data" / "bad" / "title_write18.toml"]
OVERFULL_PT = 10.0


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed: CI must install {package}")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def pdflatex() -> str:
    return tool("pdflatex", "TeX Live (texlive-latex-base, texlive-latex-recommended, lmodern)")


def compile_tex(pdflatex: str, tex: str, workdir: Path, settle: bool = False) -> subprocess.CompletedProcess[str]:
    """pdflatex on ``tex``; with ``settle``, rerun until the .aux stops changing (longtable widths, labels)."""
    (workdir / "doc.tex").write_text(tex, encoding="utf-8")
    previous = None
    for _ in range(4 if settle else 1):
        proc = subprocess.run(
            [pdflatex, *LATEX_FLAGS, "doc.tex"],
            cwd=workdir,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
        aux = (workdir / "doc.aux").read_text(encoding="latin-1") if (workdir / "doc.aux").exists() else ""
        if proc.returncode or aux == previous:
            break
        previous = aux
    return proc


def overfull(log: str) -> list[str]:
    """The overfull boxes of a LaTeX log wider than the tolerance."""
    return [
        line
        for line in log.splitlines()
        if (m := re.match(r"Overfull \\hbox \(([\d.]+)pt too wide\)", line)) and float(m.group(1)) > OVERFULL_PT
    ]


def type3_fonts(pdf: Path) -> list[str]:
    fonts = subprocess.run([tool("pdffonts", "poppler-utils"), str(pdf)], capture_output=True, text=True, check=True)
    return [line for line in fonts.stdout.splitlines()[2:] if "Type 3" in line]


def assert_print_quality(pdflatex: str, tex: str, workdir: Path) -> None:
    proc = compile_tex(pdflatex, tex, workdir, settle="longtable" in tex)
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0 and (workdir / "doc.pdf").exists(), errors or proc.stdout[-2000:]
    log = (workdir / "doc.log").read_text(encoding="latin-1")
    assert overfull(log) == [], overfull(log)[:5]
    assert type3_fonts(workdir / "doc.pdf") == []


def document(path: Path, detail: str) -> str:
    problems = load(path)
    return LatexRenderer(detail).document([r.derivation for _, r in solve_all(problems)], problems.title)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", [*EXAMPLES, AWKWARD, CONTROLS], ids=[p.stem for p in [*EXAMPLES, AWKWARD, CONTROLS]])
def test_example_fits_the_page(pdflatex: str, tmp_path: Path, path: Path) -> None:
    assert_print_quality(pdflatex, document(path, "full"), tmp_path)


@pytest.mark.parametrize("detail", ["compact", "answer"])
def test_every_example_at_every_detail_fits(pdflatex: str, tmp_path: Path, detail: str) -> None:
    """All examples and the awkward inputs in one document per detail level (one compilation each)."""
    derivations, ids = [], set()
    for path in [*EXAMPLES, AWKWARD, *HOSTILE]:
        for problem, result in solve_all(load(path)):
            result.derivation.id = f"{path.stem}-{problem.id}"  # labels stay unique in the merged document
            derivations.append(result.derivation)
            ids.add(result.derivation.id)
    tex = LatexRenderer(detail).document(derivations, "Every example")  # type: ignore[arg-type]
    assert len(ids) == len(derivations)
    assert_print_quality(pdflatex, tex, tmp_path)


def test_hostile_title_runs_nothing(pdflatex: str, tmp_path: Path) -> None:
    marker = Path("/tmp/symconv-pwned")
    marker.unlink(missing_ok=True)
    problems = load(ROOT / "tests" / "data" / "bad" / "title_write18.toml")
    tex = LatexRenderer("full").document([r.derivation for _, r in solve_all(problems)], problems.title)
    proc = compile_tex(pdflatex, tex, tmp_path)
    assert proc.returncode == 0
    assert not marker.exists()
    assert "root:" not in proc.stdout  # \input{/etc/passwd} was not read


def test_cli_pdf_settles_cross_references(pdflatex: str, tmp_path: Path) -> None:
    """``--pdf`` runs pdflatex until the .aux stops changing: a reference resolves (one pass leaves ??)."""
    from symconv.io.writing import compile_pdf

    tex = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}\\begin{document}"
        "\\section{First}\\label{s}See section~\\ref{s} on page~\\pageref{s}.\\end{document}\n"
    )
    (tmp_path / "out.pdf").write_bytes(compile_pdf(tex))
    pdftotext = tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, str(tmp_path / "out.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "See section 1 on page 1" in text and "??" not in text


def test_cli_pdf(pdflatex: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from symconv.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "rf.pdf"
    assert main(["rf", "--kernels", "4,4,4", "--strides", "1,2,2", "--pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert type3_fonts(out) == []


@pytest.mark.parametrize(
    "name", ["list", "savings", "ratio", "layer", "output_size", "receptive_field_3", "conv_output_size"]
)
def test_formula_documents_compile(pdflatex: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from symconv.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "formula.tex"
    assert main(["formula", name, "--format", "latex", "-o", str(out)]) == 0
    assert_print_quality(pdflatex, out.read_text(encoding="utf-8"), tmp_path)


def test_a_wide_matrix_in_a_notebook_fragment_compiles_without_our_preamble(pdflatex: str, tmp_path: Path) -> None:
    """amsmath's matrices stop at 10 columns unless a document raises MaxMatrixCols; a notebook's PDF export
    uses its own preamble, so a fragment's wider matrices are arrays."""
    import symconv

    fragment = symconv.convolve([[i % 7 - 3 for i in range(13)]], [[1, -1]])._repr_latex_()
    tex = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + fragment + "\n\\end{document}\n"
    proc = compile_tex(pdflatex, tex, tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_a_table_label_stays_on_the_page_of_its_table(pdflatex: str, tmp_path: Path) -> None:
    # designs.toml's second design table falls at a page break: its label went on the page before, alone
    compile_tex(pdflatex, document(ROOT / "examples" / "designs.toml", "full"), tmp_path, settle=True)
    text = subprocess.run(
        [tool("pdftotext", "poppler-utils"), "-layout", str(tmp_path / "doc.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for page in text.split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        labels = [i for i, line in enumerate(lines) if line.endswith("per-layer table:")]
        for i in labels:  # the table's header row follows its label on the same page
            assert i + 1 < len(lines) and lines[i + 1].startswith("Layer"), lines[i:]
