"""The limits are defined once (symconv.core.limits) and documented once (docs/limits.md): the two agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symconv.core import limits
from symconv.errors import InputError

DOC = Path(__file__).resolve().parents[2] / "docs" / "limits.md"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def documented() -> dict[str, int]:
    """``NAME`` → value of every row ``| `NAME` | value | … |`` of docs/limits.md."""
    out = {}
    for name, value in re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE):
        text = value.strip()
        if m := re.fullmatch(r"(\d+) MB", text):
            out[name] = int(m.group(1)) * 1024 * 1024
        elif m := re.fullmatch(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", text):
            out[name] = 10 ** int(m.group(1).translate(_SUPERSCRIPTS))
        else:
            out[name] = int(text.split(" ")[0].replace(",", ""))
    return out


def defined() -> dict[str, int]:
    return {k: v for k, v in vars(limits).items() if k.isupper() and isinstance(v, int)}


def test_every_limit_is_documented_with_its_value() -> None:
    doc, code = documented(), defined()
    assert set(code) - {"MAX_ANSWER_DIGITS"} <= set(doc), sorted(set(code) - set(doc))
    assert {k: doc[k] for k in doc} == {k: code[k] for k in doc}
    assert f"`MAX_ANSWER_DIGITS` = {limits.MAX_ANSWER_DIGITS:,}" in DOC.read_text(encoding="utf-8")


def test_the_docs_link_to_the_limits() -> None:
    root = DOC.parents[1]
    for page in ("README.md", "docs/cli.md", "docs/problem-format.md"):
        assert "limits.md" in (root / page).read_text(encoding="utf-8"), page


def test_within_names_the_field_and_both_figures() -> None:
    limits.within("padding", 5000, 10, 10, "numbers")  # at the limit: fine
    with pytest.raises(InputError) as e:
        limits.within("padding", 5000, 100_040_004, 4_194_304, "the padded input holds 1 × 10002 × 10002 numbers")
    assert e.value.field == "padding" and "100,040,004" in str(e.value) and "4,194,304" in str(e.value)
    assert "docs/limits.md" in str(e.value)
