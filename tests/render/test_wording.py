"""Wording a teacher would not hand out: "1 row(s)", "1 pixels", straight quotes in print."""

from __future__ import annotations

import re

import symconv
from symconv.render.escape import latex_text


def test_no_plural_in_brackets_and_no_one_pixels() -> None:
    x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    for stride, padding in ((1, 0), (2, 1), (1, 1)):
        c = symconv.convolve(x, [[1, 0], [0, 1]], stride=stride, padding=padding)
        text = c.text()
        assert "(s)" not in text
        assert not re.search(r"\b1 (pixels|rows|columns)\b", text), text
    assert "moves 1 row down and 1 column right" in symconv.convolve(x, [[1]]).text()
    assert "moves 2 rows down and 2 columns right" in symconv.convolve(x, [[1]], stride=2).text()


def test_double_quotes_are_typeset_quotes() -> None:
    # T1's " is a straight quote: “p/q” is ``p/q'' in LaTeX
    assert latex_text('JSON writes it "p/q"') == "JSON writes it ``p/q''"
    assert latex_text('("a")') == "(``a'')"
