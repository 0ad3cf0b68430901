"""General closed forms for ``symconv formula NAME``: a problem solved with symbols, or a catalogue formula stated.

A derived name (``savings``, ``ratio``, ``layer``, ``output_size``, ``receptive_field_3``)
solves its problem with every quantity a symbol, so the closed form is derived step by step from
the catalogue's counts by the same code that solves numeric exercises. Any other name is a
formula of :data:`symconv.catalogue.CATALOGUE`, stated with its written form and closed form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from symconv.errors import InputError
from symconv.solution.derivation import Definition, Derivation, rich
from symconv.solution.result import Result


def _savings() -> Result:
    from symconv.problems.bottleneck import bottleneck

    return bottleneck(["H", "W", "L"], "k", "N", "P")


def _ratio() -> Result:
    from symconv.problems.separable import depthwise_separable

    return depthwise_separable(["H", "W", "M"], "k", "N")


def _layer() -> Result:
    from symconv.problems.conv_layer import conv_layer

    return conv_layer(["H", "W", "C"], "k", "N", stride="s", padding="p")


def _output_size() -> Result:
    from symconv.problems.output_size import output_size

    return output_size("i", "k", "s", "p", "d")


def _receptive_field() -> Result:
    from symconv.problems.receptive_field import receptive_field

    return receptive_field(["k_1", "k_2", "k_3"], ["s_1", "s_2", "s_3"])


DERIVED: dict[str, tuple[str, Callable[[], Result]]] = {
    "savings": (rich("bottleneck savings $1 − P/L − P/(k²N)$, derived from the stage counts"), _savings),
    "ratio": (rich("depthwise-separable cost ratio $1/N + 1/k²$, derived from the stage counts"), _ratio),
    "layer": (rich("output shape, parameters, multiplications and FLOPs of a $k × k$ convolution layer"), _layer),
    "output_size": (rich("output size $⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1$ in symbols"), _output_size),
    "receptive_field_3": ("receptive field of three layers in symbols, from the recurrence", _receptive_field),
}
"""Names whose closed form is derived by solving a problem with symbols: name → (summary, solver)."""


def names() -> list[str]:
    """Every name ``symconv formula`` accepts (derived first, then the catalogue)."""
    from symconv.catalogue import CATALOGUE

    return list(DERIVED) + [n for n in CATALOGUE if n not in DERIVED]


def formula_derivation(name: str) -> Derivation:
    """The derivation shown by ``symconv formula NAME``.

    Raises:
        InputError: unknown name (the message lists the known ones).
    """
    from symconv.catalogue import CATALOGUE

    if name in DERIVED:
        summary, solve = DERIVED[name]
        result = solve()
        d = result.derivation
        d.title = name + ": " + summary
        return d
    if name not in CATALOGUE:
        raise InputError("formula", name, "unknown formula; `symconv formula list` lists them: " + ", ".join(names()))
    return catalogue_derivation(name)


def catalogue_derivation(name: str) -> Derivation:
    """A catalogue formula stated: its written form and, when different, SymPy's closed form."""
    from symconv.catalogue import CATALOGUE
    from symconv.core.arith import size_symbol

    f = CATALOGUE[name]
    lhs = size_symbol(f.lhs)
    d = Derivation(title="Formula", kind="formula", id=name)
    d.note(f.description)
    d.add(Definition("Definition, as written", lhs, f.display()))
    closed = f.expr()
    from symconv.core import mathprint

    if mathprint.latex(closed, written=False) != mathprint.latex(f.display()):
        d.add(Definition("Closed form (SymPy)", lhs, closed, written=False))
    d.answers = {name: closed}
    return d


def catalogue_listing() -> list[dict[str, Any]]:
    """Every catalogue formula as data: name, symbol, description, written form, latexify's definition."""
    from symconv.catalogue import CATALOGUE

    out = []
    for name, f in CATALOGUE.items():
        try:
            definition = f.definition_latex()
        except Exception:  # noqa: BLE001 -- latexify is optional (Python ≥ 3.14); the written form still shows
            definition = ""
        out.append(
            {"name": name, "lhs": f.lhs, "description": f.description, "display": f.display(), "latexify": definition}
        )
    return out
