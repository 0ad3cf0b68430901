"""Atomic writing and the PDF engine selection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from symconv.io import writing


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    writing.write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_write_atomic_cleans_up_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writing.os, "replace", boom)
    with pytest.raises(OSError):
        writing.write_atomic(target, "new")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]


def test_engine_flags_disable_shell_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writing.shutil, "which", lambda name: "/x/" + name if name == "latexmk" else None)
    assert writing.latex_engine() == [
        "latexmk",
        "-pdf",
        "-no-shell-escape",
        "-interaction=nonstopmode",
        "-halt-on-error",
    ]
    monkeypatch.setattr(writing.shutil, "which", lambda name: None)
    assert writing.latex_engine() is None
    with pytest.raises(writing.PdfError, match="neither is installed"):
        writing.compile_pdf("\\documentclass{article}\\begin{document}x\\end{document}")


def test_compile_error_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    if writing.latex_engine() is None:
        pytest.skip("no LaTeX engine")
    with pytest.raises(writing.PdfError, match="Undefined control sequence"):
        writing.compile_pdf("\\documentclass{article}\\begin{document}\\nosuchcommand\\end{document}")


def test_first_error() -> None:
    assert writing.first_error("a\n! Missing } inserted.\nb") == "Missing } inserted."
    assert writing.first_error("") == "no output"
