"""Checking a claimed solution: compare claimed answers with the derived ones and find where they part.

A claimed-answers file (TOML) holds one table per problem id, with claimed values under the
answer keys of that problem (the keys of ``--format json``). Numbers compare exactly; a
decimal claim such as ``94.69`` is right when it equals the exact answer rounded to the
claim's decimals; a closed form is given as a string (``"1 - P/L - P/(k**2*N)"``) read by the
restricted parser and compared by simplification.
"""

from __future__ import annotations

import math
import random
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import sympy

from symconv.core.arith import round_half_up, to_python
from symconv.core.limits import MAX_CLAIM_TERMS, within
from symconv.core.richtext import printable
from symconv.core.safeexpr import number, parse_expression
from symconv.errors import InputError
from symconv.io.problemfile import (
    MISSING,
    Problem,
    ProblemFileError,
    ProblemSet,
    read_toml,
)
from symconv.solution.derivation import Derivation, Step
from symconv.solution.result import Result

Path_ = tuple[int | str, ...]
"""Position of an element inside an answer: list indices and table keys, (i, j) or (i, "macs"); () for the answer."""

_INDEX = re.compile(r"\[(\d+)\]|\.(\w+)")


@dataclass(frozen=True)
class Difference:
    """Claimed and derived values first differ at ``path`` inside the answer."""

    path: Path_
    claimed: Any
    derived: Any
    reason: str = ""


@dataclass(frozen=True)
class Wrong:
    """One wrong claimed answer."""

    problem: str
    key: str
    claimed: Any
    derived: Any
    first: Difference
    step: Step | None


@dataclass
class Report:
    """The outcome of checking a claimed solution."""

    checked: int = 0
    wrong: list[Wrong] = field(default_factory=list)
    first_step: dict[str, Step] = field(default_factory=dict)
    """Per problem: the first step (in derivation order) whose claimed value is wrong."""

    @property
    def ok(self) -> bool:
        return not self.wrong


def split_key(key: str) -> tuple[str, Path_]:
    """``"receptive_fields[2]"`` → ``("receptive_fields", (2,))``."""
    base = re.split(r"[\[.]", key, maxsplit=1)[0]
    return base, tuple(int(i) if i else name for i, name in _INDEX.findall(key[len(base) :]))


def claimed_value(value: Any, field_name: str) -> Any:
    """A claimed value from TOML made comparable: ints and bools as they are, decimals exact,
    strings as numbers (``"p/q"``) or closed forms (restricted parser), lists element-wise."""
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):  # TOML's inf and nan, or a literal beyond the float range (1e400)
            raise InputError(field_name, value, "not a finite number")
        return Decimal(repr(value))
    if isinstance(value, list):
        return [claimed_value(v, f"{field_name}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):  # a row of a table answer (a network's layers, a design's ratios)
        return {
            k: v if k == "name" and isinstance(v, str) else claimed_value(v, f"{field_name}.{k}")
            for k, v in value.items()
        }
    if isinstance(value, str) and (claimed_set := _claimed_set(value, field_name)) is not None:
        return claimed_set
    if isinstance(value, str):
        text = value.strip().replace(",", "") if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", value.strip()) else value
        try:
            n = number(text, field_name)
        except InputError:
            return parse_expression(text, field_name)
        if re.fullmatch(r"[+-]?\d*\.\d+", text.strip()):
            return Decimal(text.strip())
        return n
    raise InputError(field_name, value, "expected a number, a string or a list")


_INTERVAL = re.compile(r"^\s*([\[(])([^,]+),([^,]+)([\])])\s*$")
_SET = re.compile(r"^\s*\{([^{}]*)\}\s*$")


def _claimed_set(text: str, field_name: str) -> sympy.Set | None:
    """``"(6, 8]"``, ``"[2, oo)"``, ``"{7, 8}"``, ``"{}"`` as a SymPy set; None for any other string."""
    if m := _INTERVAL.match(text):
        ends = [_end(m.group(i), field_name) for i in (2, 3)]
        return sympy.Interval(ends[0], ends[1], m.group(1) == "(", m.group(4) == ")")
    if m := _SET.match(text):
        items = [t for t in m.group(1).split(",") if t.strip()]
        return sympy.FiniteSet(*[_end(t, field_name) for t in items])
    return None


def _end(text: str, field_name: str) -> Any:
    t = text.strip()
    if t in ("oo", "∞", "+oo", "inf"):
        return sympy.oo
    if t in ("-oo", "−∞", "-∞", "-inf"):
        return -sympy.oo
    return parse_expression(t, field_name)


def same(claimed: Any, derived: Any) -> bool:
    """Whether a claimed scalar equals a derived scalar: exactly, or, for a decimal claim, the derived value rounded
    half-up to the claim's decimals (every derived number is exact; the comparison is of exact fractions)."""
    derived = to_python(derived)
    if derived is None:  # no such value (a closed form that does not exist)
        return False
    if isinstance(claimed, str) or isinstance(derived, str):  # names of designs
        return claimed == derived
    if isinstance(claimed, sympy.Set) or isinstance(derived, sympy.Set):
        return _same_set(claimed, derived)
    if isinstance(claimed, bool) or isinstance(derived, bool):
        return claimed is derived
    if isinstance(derived, float):
        # float input gives float output (a convolution of floats): the decimal the float prints as, at the claim's places
        derived = Fraction(Decimal(repr(derived)))
        if isinstance(claimed, int):
            claimed = Decimal(claimed)
    if isinstance(claimed, Decimal):
        # a decimal claim (94.69) is right when the exact answer rounded half-up to its places is it
        if isinstance(derived, (int, Fraction)):
            return round_half_up(derived, _places(claimed)) == Fraction(claimed)
        return False
    if isinstance(claimed, (int, Fraction)) and isinstance(derived, (int, Fraction)):
        return Fraction(claimed) == Fraction(derived)
    if isinstance(claimed, (list, tuple)) or isinstance(derived, (list, tuple)):
        return False
    try:
        from symconv.core.stepper import to_sympy

        return same_closed_form(to_sympy(claimed), to_sympy(derived))
    except (sympy.SympifyError, TypeError):
        return False


POINTS = 6
"""Random points at which a claimed closed form is first evaluated against the derived one."""


def same_closed_form(a: sympy.Basic, b: sympy.Basic, field_name: str = "") -> bool:
    """Whether two closed forms are equal, in bounded time.

    First both are evaluated exactly at :data:`POINTS` random points (a positive integer up to 10⁶ for
    each symbol, by name): a difference anywhere decides it, whatever the forms' size. Forms that agree
    are then compared symbolically, which expands them: a pair that would expand to more than
    :data:`~symconv.core.limits.MAX_CLAIM_TERMS` terms is refused (InputError naming ``field_name``)
    rather than simplified for minutes. Sizes are positive integers, so floors and ceilings compare in
    the catalogue's normal form (⌈H/2⌉ = ⌊(H − 1)/2⌋ + 1); a symbol also stands for itself by name (the
    target sigma of a solve problem is a real, not a size).
    """
    if a == b:
        return True
    symbols = [s for s in (a.free_symbols | b.free_symbols) if isinstance(s, sympy.Symbol)]
    rng = random.Random(str(a) + "|" + str(b))
    for _ in range(POINTS):
        values = {name: sympy.Integer(rng.randint(1, 10**6)) for name in sorted({s.name for s in symbols})}
        point = {s: values[s.name] for s in symbols}
        va, vb = a.xreplace(point), b.xreplace(point)
        defined = [not v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) for v in (va, vb)]
        if defined[0] != defined[1]:
            return False
        if defined[0] and (va - vb).is_zero is False:  # exact numbers (sums of rationals and floors of them)
            return False
    terms = min(10**9, _terms(a) + _terms(b))
    within(
        field_name or "claimed",
        str(a)[:60],
        terms,
        MAX_CLAIM_TERMS,
        "terms of the claimed and derived closed forms expanded",
    )
    from symconv.catalogue.symbolic import canonical

    if sympy.simplify(a - b) == 0 or sympy.expand(canonical(a) - canonical(b)) == 0:
        return True
    return bool(sympy.simplify(_by_name(a) - _by_name(b)) == 0)


def _terms(e: sympy.Basic, cap: int = 10**9) -> int:
    """About how many terms ``e`` has once expanded (products multiply, integer powers raise), at most ``cap``."""
    if isinstance(e, sympy.Add):
        return min(cap, sum(_terms(term, cap) for term in e.args))
    if isinstance(e, sympy.Mul):
        out = 1
        for f in e.args:
            out = min(cap, out * _terms(f, cap))
        return out
    if isinstance(e, sympy.Pow) and e.exp.is_Integer:
        base, n = _terms(e.base, cap), abs(int(e.exp))
        return cap if base > 1 and n * math.log(base) > math.log(cap) else min(cap, base**n)
    if e.args:
        return min(cap, sum(_terms(a, cap) for a in e.args))
    return 1


def _by_name(e: sympy.Basic) -> sympy.Basic:
    """``e`` with every symbol replaced by a plain symbol of the same name (no assumptions)."""
    return e.xreplace({s: sympy.Symbol(s.name) for s in e.free_symbols if isinstance(s, sympy.Symbol)})


def _same_set(claimed: Any, derived: Any) -> bool:
    """Two intervals (or finite sets) with the same ends, open or closed alike; ends compared by simplification."""
    if not (isinstance(claimed, sympy.Set) and isinstance(derived, sympy.Set)):
        return False
    if claimed == derived:
        return True
    if isinstance(claimed, sympy.Interval) and isinstance(derived, sympy.Interval):
        return (
            claimed.left_open == derived.left_open
            and claimed.right_open == derived.right_open
            and _same_end(claimed.start, derived.start)
            and _same_end(claimed.end, derived.end)
        )
    return False


def _same_end(a: sympy.Basic, b: sympy.Basic) -> bool:
    """Two ends of intervals: equal infinities, or equal closed forms (:func:`same_closed_form`)."""
    if a.is_infinite or b.is_infinite:
        return bool(a == b)
    return same_closed_form(a, b)


def _places(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def first_difference(claimed: Any, derived: Any, path: Path_ = ()) -> Difference | None:
    """The first element (in row-major order) where claimed and derived differ, or None."""
    if isinstance(derived, dict):
        if not isinstance(claimed, dict):
            return Difference(path, claimed, derived, "expected a table")
        for key, c in claimed.items():
            if key not in derived:
                return Difference(path + (key,), c, None, f"no such entry; entries: {', '.join(derived)}")
            diff = first_difference(c, derived[key], path + (key,))
            if diff is not None:
                return diff
        return None
    if isinstance(derived, (list, tuple)):
        if not isinstance(claimed, (list, tuple)):
            return Difference(path, claimed, derived, "expected a list")
        for i, (c, d) in enumerate(zip(claimed, derived)):
            diff = first_difference(c, d, path + (i,))
            if diff is not None:
                return diff
        if len(claimed) != len(derived):
            return Difference(path, claimed, derived, f"{_entries(len(claimed))} claimed, {len(derived)} derived")
        return None
    if isinstance(claimed, (list, tuple)):
        return Difference(path, claimed, derived, "a list claimed for a single value")
    if isinstance(claimed, dict):
        return Difference(path, claimed, derived, "a table claimed for a single value")
    return None if same(claimed, derived) else Difference(path, claimed, derived)


def _entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def _related(step_path: Path_, diff_path: Path_) -> bool:
    n = min(len(step_path), len(diff_path))
    return step_path[:n] == diff_path[:n]


def step_for(d: Derivation, key: str, path: Path_) -> Step | None:
    """The first step deriving answer ``key`` at (or around) element ``path``."""
    for s in d.walk():
        k = getattr(s, "key", "")
        if not k:
            continue
        base, spath = split_key(k)
        if base == key and _related(spath, path):
            return s
    return None


def check_problem(problem: Problem, result: Result, claims: dict[str, Any], source: str, report: Report) -> None:
    """Compare the claims for one problem with its result, adding wrong answers to ``report``."""
    d = result.derivation
    diffs: dict[str, Difference] = {}
    for key, raw in claims.items():
        if key not in result.answers:
            raise ProblemFileError(
                source,
                repr(problem.id),
                key,
                raw,
                "not an answer of this problem; answers: " + ", ".join(result.answers),
            )
        claimed = claimed_value(raw, f"{problem.id}.{key}")
        report.checked += 1
        try:
            diff = first_difference(claimed, result.answers[key])
        except InputError as e:  # a claimed closed form too large to compare: name the answer
            raise InputError(f"{problem.id}.{key}", raw, e.reason) from None
        if diff is not None:
            diffs[key] = diff
            report.wrong.append(Wrong(problem.id, key, raw, result.answers[key], diff, step_for(d, key, diff.path)))
    # The first step of the derivation (in order) at which any claimed value parts from it.
    for s in d.walk():
        k = getattr(s, "key", "")
        if k:
            base, spath = split_key(k)
            if base in diffs and _related(spath, diffs[base].path):
                report.first_step[problem.id] = s
                break


def check(problems: ProblemSet, results: Sequence[tuple[Problem, Result]], claimed_path: str) -> Report:
    """Check the claimed answers in ``claimed_path`` against the solved ``problems``."""
    data = read_toml(claimed_path)
    by_id = {p.id: (p, r) for p, r in results}
    report = Report()
    for pid, claims in data.items():
        if pid not in by_id:
            raise ProblemFileError(
                claimed_path,
                repr(pid),
                "",
                MISSING,
                f"no problem with this id in {problems.source}; ids: " + ", ".join(by_id),
            )
        if not isinstance(claims, dict):
            raise ProblemFileError(claimed_path, repr(pid), "", claims, "expected a table of claimed answers")
        problem, result = by_id[pid]
        try:
            check_problem(problem, result, claims, claimed_path, report)
        except ProblemFileError:
            raise
        except InputError as e:
            raise ProblemFileError(claimed_path, repr(pid), e.field.split(".", 1)[-1], e.value, e.reason) from None
    if report.checked == 0:
        raise ProblemFileError(claimed_path, None, "", MISSING, "no claimed answers")
    return report


def path_text(key: str, path: Path_) -> str:
    """``("output", (1, 0))`` → ``"output[1][0]"``."""
    return key + "".join(f"[{i}]" if isinstance(i, int) else f".{i}" for i in path)


def _value_text(value: Any) -> str:
    from symconv.render.text import value_text

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    if isinstance(value, dict):  # a row (a design's ratios): its entries as the answers write them, no Python reprs
        return "{" + ", ".join(f"{k}: {_value_text(v)}" for k, v in value.items()) + "}"
    return value_text(value) if not isinstance(value, str) else value


def report_text(report: Report, claimed_path: str) -> str:
    """The check report as text: one paragraph per wrong answer, then a summary line."""
    from symconv.render.text import TextRenderer, columns

    width = columns()
    renderer = TextRenderer("full", width=max(40, columns() - 4))  # the steps are quoted indented by 4

    def claim(head: str, claimed: Any, correct: Any, indent: str) -> list[str]:
        """``HEAD: claimed X, correct Y`` on one line when it fits, else the two values on lines of their own."""
        one = f"{indent}{head}: claimed {_value_text(claimed)}, correct {_value_text(correct)}"
        if len(one) <= width:
            return [one]
        return [f"{indent}{head}:"] + [
            textwrap.fill(
                f"{word} {_value_text(value)}",
                width,
                initial_indent=indent + "  ",
                subsequent_indent=indent + "    ",
                break_on_hyphens=False,
            )
            for word, value in (("claimed", claimed), ("correct", correct))
        ]

    lines: list[str] = []
    for w in report.wrong:
        lines.extend(claim(f"{w.problem}: {w.key} is wrong", w.claimed, w.derived, ""))
        if w.first.path:
            at = f"first difference at {path_text(w.key, w.first.path)}"
            lines.extend(claim(at, w.first.claimed, w.first.derived, "  "))
        elif w.first.reason:
            lines.append(textwrap.fill(w.first.reason, width, initial_indent="  ", subsequent_indent="    "))
        if w.step is not None:
            lines.append("  the derivation of it:")
            lines.extend("    " + line for line in renderer.step(w.step).splitlines())
    for pid, step in report.first_step.items():
        if sum(w.problem == pid for w in report.wrong) < 2:
            continue  # the one wrong answer's step, already shown
        label = getattr(step, "label", "")
        parts = f'{pid}: the claimed solution first parts from the derivation at step "{label}"'
        lines.append(textwrap.fill(parts, width, subsequent_indent="  ", break_on_hyphens=False))
    n = len(report.wrong)
    if n:
        summary = f"{n} of {report.checked} claimed answers in {claimed_path} are wrong."
    else:
        summary = f"All {report.checked} claimed answers in {claimed_path} are right."
    lines.append(textwrap.fill(summary, width, subsequent_indent="  ", break_on_hyphens=False))
    return printable("\n".join(lines) + "\n", keep="\n")  # claimed names may hold control characters


def report_json(report: Report, claimed_path: str) -> str:
    """The check report as JSON (``{"checked", "wrong": [{"id", "key", "claimed", "correct", "at", "step"}]}``)."""

    from symconv.render.json import dumps, to_json_value

    wrong = []
    for w in report.wrong:
        wrong.append(
            {
                "id": w.problem,
                "key": w.key,
                "claimed": w.claimed,
                "correct": to_json_value(w.derived),
                "at": path_text(w.key, w.first.path),
                "step": getattr(w.step, "label", None),
            }
        )
    data = {
        "answers": claimed_path,
        "checked": report.checked,
        "ok": report.ok,
        "wrong": wrong,
        "first_step": {pid: getattr(s, "label", "") for pid, s in report.first_step.items()},
    }
    return dumps(data)


__all__ = ["Report", "Wrong", "check", "first_difference", "report_json", "report_text", "same"]
