"""Arithmetic on the catalogue's quantities happens in the catalogue only (symconv/catalogue/).

Every module of the package is read with :mod:`ast`. Outside the catalogue, an arithmetic
expression (``+ - * / // % **``, unary minus, ``sum(…)``) whose operands name a quantity of the
catalogue, and a SymPy expression built by hand (``sympy.Add``, ``Mul``, ``floor`` …), fail the
test unless the module or function is in :data:`ALLOWED` with its reason. A quantity is named by a
formula parameter of the catalogue or by one of the spellings the code uses for them
(:data:`SPELLINGS`). Not arithmetic: joining strings or lists, and 1-based numbering in an f-string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from symconv.catalogue import CATALOGUE

PACKAGE = Path(__file__).resolve().parents[1] / "symconv"

SPELLINGS = frozenset(
    {
        "kernel", "stride", "padding", "dilation", "groups", "filters", "channels", "weights", "biases", "parameters",
        "macs", "additions", "rf", "jump", "pad", "k_eff", "k_e", "c_g", "c_in", "c_out", "kh", "kw", "sh", "sw", "ph",
        "pw", "dh", "dw", "ah", "aw", "output_padding", "group_channels", "group_filters", "height", "width", "output",
        "outputs", "extent", "padded", "per_output", "per_input", "ceil_output", "last_start", "input_end",
        "same_total", "same_need", "start", "starts", "end", "ends", "centre", "centres", "products", "taps", "shape",
    }
)  # fmt: skip
"""How the code spells the catalogue's quantities (besides the formulas' own parameter names)."""

GENERIC = frozenset({"a", "b", "c", "n", "x", "u", "j", "r", "E"})
"""Parameter names of generic formulas (a sum a + b, elements E·n …) that code uses for anything (indices, tensors)."""

QUANTITIES = SPELLINGS | {p for f in CATALOGUE.values() for p in f.params} - GENERIC

TEXT = frozenset({"field", "prefix", "label", "text", "name", "where", "key", "base", "sfx", "tag", "title", "line"})
"""Variables that hold text: ``+`` on them joins strings."""

ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
SYMPY_ARITHMETIC = frozenset({"Add", "Mul", "Pow", "Sum", "Product", "floor", "ceiling", "Max", "Min", "Piecewise"})

ALLOWED: dict[str, str] = {
    "core": "the exact core the catalogue is written in (formula views, stepper, printers, rounding) knows no quantity",
    "render": "renderers lay out text; they never compute (their own tests hold them to it)",
    "engine/convolution.py:_taps_gemm": "memory layout of the vectorised evaluation (offsets into the flattened input)",
    "engine/convolution.py:_im2col_gemm": "memory layout of the vectorised evaluation (slices per kernel tap and group)",
    "engine/convolution.py:_object_conv": "slices of the groups for the exact object-array evaluation",
    "engine/convolution.py:_symbolic_conv": "the correlation's sum of products, built as one SymPy sum per output "
    "element (the operation's definition, as tensordot computes it for numbers)",
    "engine/convolution.py:_numeric_conv": "the size in bytes of the im2col copy, to choose the evaluation scheme",
    "engine/convolution.py:pad": "array indices of the zero padding",
    "engine/convolution.py:Geometry": "array indices of the evaluation: the input channels a filter reads, the "
    "padded pixels a window's taps read (the definition of the operation)",
    "engine/convolution.py:result_bound": "a bound on every output's magnitude, to choose exact int64, float64 or "
    "Python-int evaluation",
    "engine/convolution.py:add_bias": "the bias added to every element of its filter's map (the operation's definition)",
    "io/budget.py": "estimates of a problem's work in units (counts of layers, points and products, scaled to a time "
    "budget), no quantity of the catalogue",
    "problems/convolution.py:_Builder.run": "how many filters the listing of the steps leaves out",
    "problems/solve.py": "solving an equation for a symbol: floors turned into inequalities, intervals into integer "
    "ranges (algebra on the catalogue's closed forms, no formula restated)",
    "problems/sensitivity.py": "the finite difference q(x + 1) − q(x) and the elasticity (x/q)·dq/dx of any quantity "
    "(calculus on the catalogue's closed forms)",
    "problems/sweep.py:_spread": "which of a sweep's points its table lists (indices)",
    "network/compare.py:_derive": "a design's total written as the sum of its layers' counts (the analysis's total)",
    "io/check.py:_same_set": "a claimed interval compared end by end with the derived one",
    "problems/convolution.py:_Builder.channel_elements": "an output element written out as the sum of its kernel × "
    "window products (the operation's definition, the user's entries); its value comes from the engine",
}
"""Module (or module:function) → why arithmetic there is not a copy of a catalogue formula."""


def _names(node: ast.AST) -> set[str]:
    found = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            found.add(n.id)
        elif isinstance(n, ast.Attribute):
            found.add(n.attr)
    return found & QUANTITIES


def _is_text_or_sequence(node: ast.AST) -> bool:
    """String or list concatenation, which reuses + without computing anything."""
    for side in (node.left, node.right) if isinstance(node, ast.BinOp) else ():
        if isinstance(side, (ast.JoinedStr, ast.List, ast.Tuple, ast.ListComp)):
            return True
        if isinstance(side, ast.Constant) and isinstance(side.value, str):
            return True
        if isinstance(side, ast.Name) and side.id in TEXT:
            return True
        if isinstance(side, ast.Call) and isinstance(side.func, (ast.Name, ast.Attribute)):
            name = side.func.id if isinstance(side.func, ast.Name) else side.func.attr
            if name in ("str", "join", "repr", "list", "tuple", "set"):
                return True
        if isinstance(side, ast.BinOp) and _is_text_or_sequence(side):
            return True
    return False


class _Finder(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.where: list[str] = []
        self.in_fstring = 0
        self.found: list[str] = []

    def _allowed(self) -> bool:
        keys = [self.module.split("/")[0], self.module]
        keys += [f"{self.module}:{'.'.join(self.where[: i + 1])}" for i in range(len(self.where))]
        return any(k in ALLOWED for k in keys)

    def _flag(self, node: ast.AST, what: str) -> None:
        if not self._allowed():
            self.found.append(f"{self.module}:{node.lineno} {'.'.join(self.where)}: {what}: {ast.unparse(node)[:100]}")

    def _scope(self, node: ast.AST, name: str) -> None:
        self.where.append(name)
        self.generic_visit(node)
        self.where.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scope(node, node.name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope(node, node.name)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.in_fstring += 1
        self.generic_visit(node)
        self.in_fstring -= 1

    def visit_BinOp(self, node: ast.BinOp) -> None:
        numbering = (
            self.in_fstring
            and isinstance(node.op, (ast.Add, ast.Sub))
            and isinstance(node.right, ast.Constant)
            and node.right.value == 1
            and isinstance(node.left, (ast.Name, ast.Attribute))
        )
        if isinstance(node.op, ARITHMETIC) and _names(node) and not _is_text_or_sequence(node) and not numbering:
            self._flag(node, f"arithmetic on {sorted(_names(node))}")
            return  # the outermost expression is reported once
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        text = _is_text_or_sequence(ast.BinOp(left=node.value, op=node.op, right=node.value))
        if isinstance(node.op, ARITHMETIC) and _names(node) and not text:
            self._flag(node, f"arithmetic on {sorted(_names(node))}")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.USub) and _names(node):
            self._flag(node, f"negation of {sorted(_names(node))}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "sum" and _names(node):
            self._flag(node, f"a sum of {sorted(_names(node))}")
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "sympy"
            and func.attr in SYMPY_ARITHMETIC
        ):
            self._flag(node, f"SymPy arithmetic built by hand (sympy.{func.attr})")
        self.generic_visit(node)


def arithmetic_outside_the_catalogue(package: Path = PACKAGE) -> list[str]:
    """Every arithmetic expression of catalogue quantities outside the catalogue and the allow-list."""
    found = []
    for path in sorted(package.rglob("*.py")):
        module = str(path.relative_to(package))
        if module.startswith("catalogue/"):
            continue
        finder = _Finder(module)
        finder.visit(ast.parse(path.read_text(encoding="utf-8")))
        found.extend(finder.found)
    return found


def test_the_catalogue_is_the_only_place_of_arithmetic() -> None:
    found = arithmetic_outside_the_catalogue()
    assert not found, "arithmetic outside the catalogue:\n" + "\n".join(found)


def test_the_allow_list_is_short_and_every_entry_still_needed() -> None:
    assert len(ALLOWED) <= 20
    for key, reason in ALLOWED.items():
        module, _, function = key.partition(":")
        path = PACKAGE / module
        assert path.exists() or (path.with_suffix("").is_dir()), key
        assert reason, key
        if function:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            assert function.split(".")[-1] in names, f"{key}: no such function"


@pytest.mark.parametrize(
    "source, flagged",
    [
        ("def f(weights, biases):\n    return weights + biases\n", True),
        ("def f(i, p):\n    return i + 2 * p\n", True),
        ("def f(o):\n    return o - 1\n", True),
        ("def f(start):\n    return -start\n", True),
        ("def f(shapes):\n    return sum(s[2] for s in shapes)\n", True),
        ("def f(channels):\n    return sum(c for c in channels)\n", True),
        ("import sympy\ndef f(a):\n    return sympy.Add(a, 1)\n", True),
        ("def f(kernel):\n    return 'k = ' + str(kernel)\n", False),
        ("def f(i):\n    return f'row {i + 1}'\n", False),
        ("def f(kh, kw):\n    return kh * kw\n", True),
        ("def f(count, total):\n    return count - total\n", False),
        ("def f(macs):\n    macs += ' more text'\n", False),
    ],
)
def test_the_finder_flags_what_it_should(tmp_path: Path, source: str, flagged: bool) -> None:
    (tmp_path / "problems").mkdir()
    (tmp_path / "problems" / "x.py").write_text(source)
    assert bool(arithmetic_outside_the_catalogue(tmp_path)) is flagged
