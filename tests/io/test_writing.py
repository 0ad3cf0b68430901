"""Atomic writing and the PDF engine selection."""

from __future__ import annotations

import os
import stat
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
    with pytest.raises(writing.OutputError, match="disk full"):
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


def test_symlink_target_is_written_and_the_link_kept(tmp_path: Path) -> None:
    target, link = tmp_path / "target.txt", tmp_path / "link.txt"
    target.write_text("old")
    link.symlink_to(target)
    writing.write_output(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    target, link = tmp_path / "made.txt", tmp_path / "link.txt"
    link.symlink_to(target)
    writing.write_output(link, "x")
    assert link.is_symlink() and target.read_text() == "x"


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o600)
    writing.write_output(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text() == "new"


def test_character_device_is_written_in_place() -> None:
    before = os.stat(os.devnull)
    writing.write_output(os.devnull, "discarded")
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_fifo_without_reader_is_refused_and_with_reader_written(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(writing.OutputError, match="no reader"):
        writing.write_output(fifo, "x")
    # A reader attached first (non-blocking, so no thread is needed); the small payload fits the pipe's buffer.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        writing.write_output(fifo, "through the pipe")
        got = os.read(reader, 1024)
    finally:
        os.close(reader)
    assert got == b"through the pipe" and stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("name", ["", "dir"])
def test_empty_name_and_directory_are_refused(tmp_path: Path, name: str) -> None:
    path = str(tmp_path) if name == "dir" else ""
    with pytest.raises(writing.OutputError, match="is a directory" if name else "empty"):
        writing.write_output(path, "x")
    assert os.listdir(tmp_path) == []


def test_longest_file_name_works(tmp_path: Path) -> None:
    name = "a" * (os.pathconf(tmp_path, "PC_NAME_MAX") - 4) + ".txt"
    writing.write_output(tmp_path / name, "long")
    assert (tmp_path / name).read_text() == "long" and os.listdir(tmp_path) == [name]
