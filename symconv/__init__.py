"""symconv: closed forms and step-by-step worked solutions of convolutional-network arithmetic.

The public API (imported lazily, so ``import symconv`` and the numeric answers never load SymPy):

- :func:`receptive_field`, :func:`output_size`, :func:`conv_layer`, :func:`bottleneck`,
  :func:`depthwise_separable`, :func:`convolve`: problems returning results with ``.value``,
  ``.answers``, ``.steps``, ``.latex()``, ``.text()`` and ``_repr_latex_``;
- :func:`conv2d`: the exact numeric convolution engine (numpy arrays, torch's layout);
- :func:`load_problems`: read and validate a TOML problem file;
- :func:`analyse_network` (``symconv.network.network``), :func:`network_from_spec`, :func:`from_torch`,
  :func:`from_onnx`, :func:`closed_forms`, :func:`network_memory`: whole networks of 1, 2 or 3 spatial axes,
  numeric and as closed forms in the input size, and their memory (PyTorch only for ``from_torch``, the
  ``onnx`` package only for ``from_onnx``);
- :func:`solve`, :func:`sweep`, :func:`sensitivity`, :func:`compare`: exploring the formulas — the integers
  a parameter may take for a target, a quantity over a range (table and plot), ∂q/∂x and the elasticity,
  layer stacks side by side; :func:`network_quantity` makes a network's total a quantity for the first three;
- :data:`CATALOGUE`: every formula by name, each with its numeric, SymPy, display and latexify views.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real objects for type checkers and editors; at run time they are imported lazily
    from symconv.catalogue import CATALOGUE
    from symconv.core.formula import Formula
    from symconv.engine.convolution import conv2d
    from symconv.errors import InputError, SymconvError
    from symconv.io.problemfile import load as load_problems
    from symconv.network.compare import compare
    from symconv.network.memory import network_memory
    from symconv.network.model import Network
    from symconv.network.onnx_import import from_onnx
    from symconv.network.problem import network as analyse_network
    from symconv.network.quantity import network_quantity
    from symconv.network.spec import network_from_spec
    from symconv.network.symbolic import closed_forms
    from symconv.network.torch_import import from_torch
    from symconv.problems.bottleneck import bottleneck
    from symconv.problems.conv_layer import conv_layer
    from symconv.problems.convolution import convolve
    from symconv.problems.output_size import output_size
    from symconv.problems.receptive_field import receptive_field
    from symconv.problems.sensitivity import sensitivity
    from symconv.problems.separable import depthwise_separable
    from symconv.problems.solve import solve
    from symconv.problems.sweep import sweep
    from symconv.solution.derivation import Derivation
    from symconv.solution.result import Result

__version__ = "0.1.0"

_EXPORTS = {
    "receptive_field": "symconv.problems.receptive_field",
    "output_size": "symconv.problems.output_size",
    "conv_layer": "symconv.problems.conv_layer",
    "bottleneck": "symconv.problems.bottleneck",
    "depthwise_separable": "symconv.problems.separable",
    "convolve": "symconv.problems.convolution",
    "conv2d": "symconv.engine.convolution",
    "load_problems": "symconv.io.problemfile",
    "analyse_network": "symconv.network.problem",
    "network_from_spec": "symconv.network.spec",
    "Network": "symconv.network.model",
    "from_torch": "symconv.network.torch_import",
    "from_onnx": "symconv.network.onnx_import",
    "network_memory": "symconv.network.memory",
    "closed_forms": "symconv.network.symbolic",
    "CATALOGUE": "symconv.catalogue",
    "Formula": "symconv.core.formula",
    "InputError": "symconv.errors",
    "SymconvError": "symconv.errors",
    "Derivation": "symconv.solution.derivation",
    "Result": "symconv.solution.result",
    "solve": "symconv.problems.solve",
    "sweep": "symconv.problems.sweep",
    "sensitivity": "symconv.problems.sensitivity",
    "compare": "symconv.network.compare",
    "network_quantity": "symconv.network.quantity",
}

__all__ = [
    "CATALOGUE",
    "Derivation",
    "Formula",
    "InputError",
    "Network",
    "Result",
    "SymconvError",
    "__version__",
    "analyse_network",
    "bottleneck",
    "closed_forms",
    "compare",
    "conv2d",
    "conv_layer",
    "convolve",
    "depthwise_separable",
    "from_onnx",
    "from_torch",
    "load_problems",
    "network_from_spec",
    "network_memory",
    "network_quantity",
    "output_size",
    "receptive_field",
    "sensitivity",
    "solve",
    "sweep",
]


# symconv.network is the subpackage (importing it binds that name here), so its problem function is
# exported under another name rather than shadowed by the module.
_RENAMED = {"load_problems": "load", "analyse_network": "network"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), _RENAMED.get(name, name))
    raise AttributeError(f"module 'symconv' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
