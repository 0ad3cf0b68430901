"""Problem files (TOML): load, validate strictly, and solve each problem, naming the file and problem on error.

The format is documented in docs/problem-format.md. Validation is strict: unknown keys, wrong
types, a missing required field, duplicate or malformed ids and unknown problem types are each
one :class:`ProblemFileError` (an :class:`~symconv.errors.InputError`) whose one-line message
names the file, the problem id and the field.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symconv.core.coerce import public
from symconv.core.limits import MAX_FILE_BYTES, MAX_FILE_WORK, MAX_MAGNITUDE, MAX_PROBLEMS, MAX_TITLE
from symconv.errors import InputError, UnsupportedError, shown_value
from symconv.io import budget
from symconv.io.types import MISSING, ProblemType, get_type
from symconv.solution.result import Result

ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
"""A problem id: 1 to 64 letters, digits, '-', '_' or '.'."""

_TOP_KEYS = ("title", "problem")


def show(value: Any, limit: int = 60) -> str:
    """A short, one-line, escaped rendering of a user value for messages (repr escapes control characters)."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as TOML writes it
    return shown_value(value, limit)


class ProblemFileError(InputError):
    """A problem file is malformed or one of its problems is invalid.

    The message is one line: ``FILE: problem 'ID': FIELD = VALUE: REASON`` (parts that do not
    apply are left out).
    """

    def __init__(self, path: str, problem: str | None, field: str, value: Any, reason: str) -> None:
        super().__init__(field, value, reason)
        self.path = path
        self.problem = problem
        parts = [path]
        if problem is not None:
            parts.append(f"problem {problem}")
        if field:
            parts.append(field if value is MISSING else f"{field} = {show(value)}")
        parts.append(reason)
        self.args = (": ".join(parts),)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Problem:
    """One validated problem of a file: its id, type and checked field values."""

    id: str
    type: ProblemType
    params: dict[str, Any]
    index: int
    source: str = ""

    @property
    def where(self) -> str:
        """``FILE: problem 'ID'`` for messages."""
        return f"{self.source}: problem {self.id!r}"


@dataclass
class ProblemSet:
    """A loaded problem file."""

    title: str
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def by_id(self) -> dict[str, Problem]:
        return {p.id: p for p in self.problems}


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; any failure (missing, too large, not UTF-8, malformed) is a ProblemFileError."""
    name = str(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ProblemFileError(name, None, "", MISSING, "no such file") from None
    except IsADirectoryError:
        raise ProblemFileError(name, None, "", MISSING, "is a directory, not a file") from None
    except OSError as e:
        raise ProblemFileError(name, None, "", MISSING, f"cannot read: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ProblemFileError(name, None, "", MISSING, f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProblemFileError(name, None, "", MISSING, f"not UTF-8 text (byte {e.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProblemFileError(name, None, "", MISSING, f"malformed TOML: {e}") from None
    except RecursionError:
        raise ProblemFileError(name, None, "", MISSING, "malformed TOML: nested too deeply") from None
    except ValueError:  # Python's limit on the digits of an integer read from text (far beyond symconv's limits)
        raise ProblemFileError(
            name, None, "", MISSING, f"a number too long to read (the limit is {MAX_MAGNITUDE:.0e})"
        ) from None


@public(raw=("path",))
def load(path: str | Path) -> ProblemSet:
    """Load and validate a problem file (see docs/problem-format.md).

    ``path`` is a file name (a string or a path object); a number is refused, never read as a file
    descriptor (``load(True)`` would otherwise read standard output's descriptor and close it).
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError("path", path, "expected a file name (a string or a pathlib.Path)")
    return parse(read_toml(path), str(path))


def parse(data: dict[str, Any], source: str = "<problems>") -> ProblemSet:
    """Validate the parsed TOML of a problem file."""
    for key, value in data.items():
        if key not in _TOP_KEYS:
            hint = " (did you mean [[problem]]?)" if key in ("problems", "Problem") else ""
            raise ProblemFileError(
                source, None, key, value, "unknown top-level key; expected title and [[problem]]" + hint
            )
    title = data.get("title", "")
    if not isinstance(title, str):
        raise ProblemFileError(source, None, "title", title, "expected a string")
    if len(title) > MAX_TITLE:
        raise ProblemFileError(source, None, "title", title, f"longer than {MAX_TITLE} characters")
    tables = data.get("problem", MISSING)
    if tables is MISSING:
        raise ProblemFileError(source, None, "", MISSING, "no problems: add at least one [[problem]] table")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ProblemFileError(source, None, "problem", tables, "expected [[problem]] tables")
    if not tables:
        raise ProblemFileError(source, None, "problem", tables, "no problems")
    if len(tables) > MAX_PROBLEMS:
        raise ProblemFileError(
            source, None, "problem", f"<{len(tables)} problems>", f"more than {MAX_PROBLEMS} problems"
        )
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables, start=1):
        problem = parse_problem(table, index, source)
        if problem.id in seen:
            raise ProblemFileError(
                source, repr(problem.id), "id", problem.id, f"duplicate id (problems {seen[problem.id]} and {index})"
            )
        seen[problem.id] = index
        problems.append(problem)
    spent, where = budget.total((p.id, p.type.name, p.params) for p in problems)
    if where is not None:
        raise ProblemFileError(
            source,
            repr(where),
            "",
            MISSING,
            f"the problems up to this one need about {spent:.0f} units of work, more than the limit of "
            f"{MAX_FILE_WORK} for one file (docs/limits.md); split the file",
        )
    return ProblemSet(title, problems, source)


def parse_problem(table: dict[str, Any], index: int, source: str) -> Problem:
    """Validate one ``[[problem]]`` table (the ``index``-th, from 1)."""
    label = f"#{index}"
    raw_id = table.get("id", MISSING)
    if raw_id is MISSING:
        raise ProblemFileError(source, label, "id", MISSING, "missing required field")
    if not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id):
        raise ProblemFileError(source, label, "id", raw_id, "ids are 1 to 64 letters, digits, '-', '_' or '.'")
    label = repr(raw_id)
    raw_type = table.get("type", MISSING)
    if raw_type is MISSING:
        raise ProblemFileError(source, label, "type", MISSING, "missing required field")
    try:
        ptype = get_type(raw_type)
        params = ptype.check({k: v for k, v in table.items() if k not in ("id", "type")})
    except InputError as e:
        raise _wrap(e, source, label) from None
    return Problem(raw_id, ptype, params, index, source)


def _wrap(e: InputError, source: str, label: str) -> ProblemFileError:
    return ProblemFileError(source, label, e.field, e.value, e.reason)


def solve(problem: Problem) -> Result:
    """Solve one problem and build its derivation, turning input errors into ProblemFileErrors.

    The derivation is built here (not lazily at render time) so that every error of the
    problem surfaces before anything is written.
    """
    label = repr(problem.id)
    try:
        result = problem.type.solve(dict(problem.params), problem.where)
        result.derivation.id = problem.id
    except ProblemFileError:
        raise
    except InputError as e:
        raise _wrap(e, problem.source, label) from None
    except UnsupportedError as e:
        raise ProblemFileError(problem.source, label, "", MISSING, f"unsupported: {e}") from None
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("symconv"):
            raise ProblemFileError(
                problem.source, label, "type", problem.type.name, "this problem type is not available in this version"
            ) from None
        raise
    except ValueError as e:
        raise ProblemFileError(
            problem.source, label, "", MISSING, str(e).splitlines()[0] if str(e) else "invalid value"
        ) from None
    return result


def solve_all(problems: ProblemSet) -> list[tuple[Problem, Result]]:
    """Solve every problem of a file, in order."""
    return [(p, solve(p)) for p in problems]
