"""Writing results: atomic file replacement and PDF compilation with pdflatex or latexmk (shell escape off)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
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


def write_output(path: str | Path, data: str | bytes) -> None:
    """Write a result to the user's ``-o`` path, whatever kind of file system entry it names.

    - a regular file (or a new name): replaced atomically (:func:`write_atomic`), keeping its mode;
    - a symbolic link: its target is written, the link itself is kept;
    - a character device (``/dev/null``, a terminal): written in place, never replaced;
    - a FIFO: written in place when a reader is attached, refused otherwise (it would block forever);
    - a directory, a block device, a socket or an empty name: refused.

    Every refusal is an :class:`OutputError` naming the path as the user wrote it.
    """
    shown = str(path)
    if not shown:
        raise OutputError("output path '' is empty: give a file name")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        st = os.stat(path)  # follows symbolic links: the kind of what would be written
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    if st is None or stat.S_ISREG(st.st_mode):
        # a link is followed so that the link stays and its target gets the new content
        write_atomic(os.path.realpath(path), payload, shown=shown)
    elif stat.S_ISCHR(st.st_mode):
        _write_in_place(path, payload, shown, os.O_WRONLY)
    elif stat.S_ISFIFO(st.st_mode):
        _write_in_place(path, payload, shown, os.O_WRONLY | os.O_NONBLOCK)
    elif stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{shown}: is a directory; give a file name")
    else:
        raise OutputError(f"{shown}: not a regular file, a character device or a FIFO")


def _write_in_place(path: str | Path, payload: bytes, shown: str, flags: int) -> None:
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno == errno.ENXIO:  # O_NONBLOCK on a FIFO without a reader
            raise OutputError(f"{shown}: a FIFO with no reader") from None
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    finally:
        os.close(fd)


def write_atomic(path: str | Path, data: str | bytes, *, shown: str = "") -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and ``os.replace``.

    Readers see the old file or the complete new one, never a partial write; on any error the
    temporary file is removed and ``path`` is untouched. An existing file keeps its permissions.
    The temporary name is short, so a target name of the longest length the file system allows works.
    """
    target = Path(path)
    shown = shown or str(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o644
    try:
        fd, tmp = tempfile.mkstemp(prefix=".symconv-", suffix=".tmp", dir=directory)
    except OSError as e:
        raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"{shown}: cannot write: {e.strerror or e}") from None
        raise


def latex_engine() -> list[str] | None:
    """The command that compiles a .tex file to PDF: pdflatex if installed, else latexmk, else None."""
    if shutil.which("pdflatex"):
        return ["pdflatex", *LATEX_FLAGS]
    if shutil.which("latexmk"):
        return ["latexmk", "-pdf", *LATEX_FLAGS]
    return None


LATEX_MAX_RUNS = 5
"""The most pdflatex passes one document gets (cross-references and longtable widths settle in two or three)."""


def compile_pdf(tex: str) -> bytes:
    """Compile a complete LaTeX document in a fresh temporary directory and return the PDF's bytes.

    pdflatex runs again until the ``.aux`` file stops changing (longtable column widths, labels),
    at most :data:`LATEX_MAX_RUNS` times; latexmk, used when pdflatex is not on the path, does the
    same by itself.

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
        aux = Path(tmp) / "solution.aux"
        previous: bytes | None = None
        for _ in range(LATEX_MAX_RUNS if engine[0] == "pdflatex" else 1):
            _run_latex(engine, source.name, tmp)
            current = aux.read_bytes() if aux.exists() else b""
            if current == previous:
                break  # nothing a further pass could change
            previous = current
        return (Path(tmp) / "solution.pdf").read_bytes()


def _run_latex(engine: list[str], name: str, cwd: str) -> None:
    """One run of the LaTeX engine; raises PdfError on failure or timeout."""
    try:
        proc = subprocess.run(
            [*engine, name],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=LATEX_TIMEOUT,
            env={**os.environ, "openout_any": "p", "openin_any": "p"},
        )
    except subprocess.TimeoutExpired:
        raise PdfError(f"{engine[0]} took longer than {LATEX_TIMEOUT} s") from None
    if proc.returncode != 0 or not (Path(cwd) / Path(name).with_suffix(".pdf")).exists():
        raise PdfError(f"{engine[0]} failed: {first_error(proc.stdout.decode('utf-8', 'replace'))}")


def first_error(log: str) -> str:
    """The first ``! …`` error line of a LaTeX log (or its last line)."""
    for line in log.splitlines():
        if line.startswith("!"):
            return line[1:].strip()
    lines = [line for line in log.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
