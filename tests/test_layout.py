"""The package's layers import one way: core → catalogue → engine → derivations → renderers → results →
problems → networks → files → command.

Every ``import`` of a ``symconv`` module, at module level or inside a function, is read from the
source with :mod:`ast`; a module may import only from its own layer or the layers before it.
The one exception is listed with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symconv"

LAYERS: tuple[str, ...] = (
    "symconv.errors",
    "symconv.core",
    "symconv.catalogue",
    "symconv.engine",
    "symconv.solution.derivation",
    "symconv.render",
    "symconv.solution.result",
    "symconv.problems",
    "symconv.network",
    "symconv.io",
    "symconv.cli",
    "symconv.__main__",
    "symconv",  # the package's lazy re-exports
)
"""Layer prefixes, lowest first; a module belongs to the longest prefix that matches its name."""

ALLOWED: dict[tuple[str, str], str] = {}
"""(importer, imported) pairs that point upwards, each with the reason it is allowed."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(name: str) -> int:
    matches = [i for i, prefix in enumerate(LAYERS) if name == prefix or name.startswith(prefix + ".")]
    assert matches, f"{name} belongs to no layer: add it to LAYERS"
    return max(matches, key=lambda i: len(LAYERS[i]))


def imports(path: Path) -> set[str]:
    """Every symconv module ``path`` imports (``from symconv.x import y`` counts as symconv.x.y when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "symconv")
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] == "symconv"
        ):
            for a in node.names:
                sub = node.module + "." + a.name
                is_module = (PACKAGE.parent / Path(*sub.split("."))).with_suffix(".py").exists() or (
                    PACKAGE.parent / Path(*sub.split("."))
                ).is_dir()
                found.add(sub if is_module else node.module)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    me = module_name(path)
    if me == "symconv":
        return  # the top-level package re-exports everything lazily
    upward = [
        name
        for name in sorted(imports(path))
        if name != "symconv" and layer(name) > layer(me) and (me, name) not in ALLOWED
    ]
    assert not upward, f"{me} (layer {LAYERS[layer(me)]}) imports from higher layers: {upward}"


def test_every_module_has_a_layer_and_a_docstring() -> None:
    for path in MODULES:
        name = module_name(path)
        layer(name)
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{name} has no module docstring"


def test_public_names_are_listed_once() -> None:
    import symconv

    assert set(symconv.__all__) == set(symconv._EXPORTS) | {"__version__"}
    for name in symconv._EXPORTS:
        assert getattr(symconv, name) is not None
