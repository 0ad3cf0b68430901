"""The given data laid out as a teacher would: one name to a row of matrices."""

from __future__ import annotations

import re

import symconv

X = [[[4, 3, 1], [1, 2, 1], [3, 3, 4]], [[4, 3, 2], [2, 5, 1], [2, 3, 3]], [[4, 4, 1], [1, 3, 3], [5, 3, 1]]]
K = [[[3, 0], [1, -2]], [[-2, 2], [-1, -1]], [[1, -2], [-3, -2]]]


def test_inputs_on_one_row_kernels_on_the_next() -> None:
    # the seed's three channels: X_1 X_2 X_3 fit a row with K_1, which used to trail them; K_1 starts the next
    latex = symconv.convolve(X, K).latex()
    given = latex[latex.index("Given") : latex.index("Hyper")]
    rows = re.search(r"\\begin\{gathered\}(.*)\\end\{gathered\}", given, re.DOTALL).group(1).strip().split(" \\\\\n")  # type: ignore[union-attr]
    names = [re.findall(r"([XK])_\{(\d)\} =", row) for row in rows]
    assert names == [[("X", "1"), ("X", "2"), ("X", "3")], [("K", "1"), ("K", "2"), ("K", "3")]], names
