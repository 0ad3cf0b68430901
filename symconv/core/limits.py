"""Every limit on symconv's input and work, defined once (docs/limits.md lists them for users).

Each limit bounds either the input (a number's size, a list's length) or the work an input asks
for (padded elements, products of a convolution, layers with symbol names), and each is checked
*before* the work starts, so that every input within them ends within seconds and a few hundred
megabytes, and every input beyond them is one :class:`~symconv.errors.InputError` naming the field.
The figures were chosen by measurement on a 2-core machine (benchmarks/bench_limits.py).
"""

from __future__ import annotations

from typing import Any

from symconv.errors import InputError

# --- files and the command line ------------------------------------------------------------------

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest problem file or claimed-answers file read (a sheet of exercises is a few kilobytes)."""

MAX_PROBLEMS = 200
"""Most problems in one file."""

MAX_TITLE = 200
"""Longest document title, in characters."""

MAX_MATRIX_FILE = 1 << 20
"""Most bytes read from an ``@FILE`` matrix on the command line (``@/dev/zero`` must not read forever)."""

# --- numbers, names and lists --------------------------------------------------------------------

MAX_MAGNITUDE = 10**15
"""Largest number accepted as an input (sizes beyond this are typos, and the answers stay printable)."""

MAX_NAME = 32
"""Longest symbol name."""

MAX_LIST = 1000
"""Most entries of one list: layers of a stack or network, rows of a matrix, values of a table."""

MAX_ELEMENTS = 65536
"""Most numbers in one matrix or tensor of a problem file."""

MAX_DEPTH = 32
"""Deepest nesting of lists accepted from a caller (a tensor has four levels; more is a mistake or a cycle)."""

MAX_ITEMS = 4_000_000
"""Most values in one argument of a Python call converted element by element (larger data must come as a numpy
array)."""

MAX_EXPRESSION = 500
"""Longest expression (a claimed closed form), in characters; keeps the parser's recursion shallow."""

MAX_POWER = 64
"""Largest exponent in ``a ** n`` of an expression, so ``9 ** 9 ** 9`` cannot exhaust memory."""

MAX_DIGITS = 60
"""Longest number literal in a string (``"1/3"``, ``"2.5e3"``)."""

MAX_DECIMAL_EXPONENT = 30
"""Largest power of ten in a literal such as ``2e3``."""

# --- the work a problem asks for -----------------------------------------------------------------

MAX_PADDED = 1 << 22
"""Most numbers in a convolution's padded input, C × (H + p_t + p_b) × (W + p_l + p_r)."""

MAX_OUTPUTS = 1 << 20
"""Most output elements of a convolution, F × H' × W' (each one is an exact number in the answers)."""

MAX_PRODUCTS = 1 << 28
"""Most multiplications of a convolution computed in machine numbers (int64 or float64)."""

MAX_EXACT_PRODUCTS = 1 << 23
"""Most multiplications of a convolution computed with Python integers or fractions (beyond int64)."""

MAX_SYMBOLIC_PRODUCTS = 1 << 13
"""Most multiplications of a convolution whose entries include symbol names."""

MAX_SYMBOLIC_LAYERS = 64
"""Most layers of a receptive-field stack whose sizes include symbol names (each answer is a closed form)."""

MAX_SYMBOLIC_RESAMPLING = 64
"""Most layers that change the map's size (a stride, a pooling) in a network whose input size is a symbol."""

MAX_STACK_DIGITS = 750_000
"""Most digits of a stack's effective strides S_1, …, S_n together: each is written in a few steps, so this bounds
the length of the worked solution (300 layers of stride 10¹⁵ have 677,250)."""

MAX_DESIGNS = 16
"""Most designs in one comparison."""

MAX_DESIGN_LAYERS = 1000
"""Most layers of all the designs of one comparison together."""

MAX_FILE_WORK = 32
"""Most work of one file's problems together, in units of about a quarter of a second, estimated from each problem
before any is solved (symconv.io.budget: a problem at one of its own limits costs about 16, a numeric single-layer
problem 0.05, one with symbol names 1)."""

MAX_SCAN = 1_000_000
"""Most values of the unknown a solve problem scans exactly (a wider ``range`` is an error)."""

DEFAULT_SCAN = 10_000
"""Values scanned without a ``range``: the natural minimum and the next 9,999."""

MAX_SOLUTIONS = 100_000
"""Most solutions a solve problem lists."""

MAX_POINTS = 100_000
"""Most points of one sweep."""

MAX_EVALUATIONS = 100_000_000
"""Most array operations of a scan or a sweep: the points times the operations of the closed form evaluated at each
(a savings curve has 6, a 960-layer network's MACs 642; a form SymPy must evaluate point by point counts 2,000 per
operation)."""

MAX_CLAIM_TERMS = 2000
"""Most terms a claimed closed form and the derived one may expand to together when compared symbolically (after
they agree at random points): ``(H + W + L + k + N + P)**30`` would expand to 324,632 terms."""


MAX_ANSWER_DIGITS = 20_000
"""Longest integer printed, in digits: Python's own limit (4,300) is raised to this while symconv prints. The
longest answer within the other limits has 15,019 digits (1,000 layers of kernel and stride 10¹⁵)."""


def within(field: str, value: Any, amount: int, limit: int, what: str) -> None:
    """Raise an InputError naming ``field`` when ``amount`` exceeds ``limit``; ``what`` says what was counted.

    The message gives both figures with thousands separators and points to docs/limits.md:
    ``padding = 5000: the padded input holds 1 × 10002 × 10002 numbers = 100,040,004, more than the limit of …``.
    """
    if amount > limit:
        raise InputError(field, value, f"{what} = {amount:,}, more than the limit of {limit:,} (docs/limits.md)")
