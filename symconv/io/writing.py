"""Writing results: atomic file replacement and PDF compilation with pdflatex or latexmk (shell escape off)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from symconv.errors import SymconvError

LATEX_FLAGS = ("-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error")
"""Flags every LaTeX run gets: no \\write18, no prompts, stop at the first error."""

LATEX_TIMEOUT = 120
"""Seconds one LaTeX run may take."""


class OutputError(SymconvError):
    """The output file cannot be written (missing directory, no permission)."""


class PdfError(SymconvError):
    """No LaTeX engine is installed, or the document did not compile."""


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and ``os.replace``.

    Readers see the old file or the complete new one, never a partial write; on any error the
    temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp", dir=directory)
    except OSError as e:
        raise OutputError(f"{target}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def latex_engine() -> list[str] | None:
    """The command that compiles a .tex file to PDF: pdflatex if installed, else latexmk, else None."""
    if shutil.which("pdflatex"):
        return ["pdflatex", *LATEX_FLAGS]
    if shutil.which("latexmk"):
        return ["latexmk", "-pdf", *LATEX_FLAGS]
    return None


def compile_pdf(tex: str) -> bytes:
    """Compile a complete LaTeX document in a fresh temporary directory and return the PDF's bytes.

    Raises:
        PdfError: neither pdflatex nor latexmk is installed, or compilation failed (the message
            carries the first LaTeX error line).
    """
    engine = latex_engine()
    if engine is None:
        raise PdfError(
            "--pdf needs pdflatex or latexmk, and neither is installed "
            "(Debian/Ubuntu: apt-get install texlive-latex-base texlive-latex-recommended)"
        )
    with tempfile.TemporaryDirectory(prefix="symconv-") as tmp:
        source = Path(tmp) / "solution.tex"
        source.write_text(tex, encoding="utf-8")
        try:
            proc = subprocess.run(
                [*engine, source.name],
                cwd=tmp,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
                timeout=LATEX_TIMEOUT,
                env={**os.environ, "openout_any": "p", "openin_any": "p"},
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"{engine[0]} took longer than {LATEX_TIMEOUT} s") from None
        pdf = Path(tmp) / "solution.pdf"
        if proc.returncode != 0 or not pdf.exists():
            raise PdfError(f"{engine[0]} failed: {first_error(proc.stdout.decode('utf-8', 'replace'))}")
        return pdf.read_bytes()


def first_error(log: str) -> str:
    """The first ``! …`` error line of a LaTeX log (or its last line)."""
    for line in log.splitlines():
        if line.startswith("!"):
            return line[1:].strip()
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
