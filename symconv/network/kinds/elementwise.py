"""Shape-neutral layers: batch normalisation, activations, dropout, identity."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue.rules import batchnorm_parameters, per_element_cost
from symconv.network.info import Counting, LayerInfo, Source, make_info
from symconv.network.kinds.common import ShapeNeutral
from symconv.network.model import Layer, register

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields

ACTIVATIONS = frozenset(
    {
        "relu", "relu6", "leaky_relu", "prelu_fixed", "elu", "selu", "celu", "gelu", "silu", "swish", "mish",
        "sigmoid", "hardsigmoid", "tanh", "hardtanh", "hardswish", "softplus", "softsign", "softmax", "log_softmax",
    }
)  # fmt: skip
"""Layer types accepted as shape-neutral activations without parameters (also ``type = "activation"``
with ``function = NAME``, for any other name)."""

# Parameter-free element-wise modules of PyTorch (class name → activation name).
_ACTIVATION_MODULES = {
    "ReLU": "relu", "ReLU6": "relu6", "LeakyReLU": "leaky_relu", "ELU": "elu", "SELU": "selu", "CELU": "celu",
    "GELU": "gelu", "SiLU": "silu", "Mish": "mish", "Sigmoid": "sigmoid", "Hardsigmoid": "hardsigmoid",
    "Tanh": "tanh", "Hardtanh": "hardtanh", "Hardswish": "hardswish", "Softplus": "softplus",
    "Softsign": "softsign", "Softmax": "softmax", "LogSoftmax": "log_softmax",
}  # fmt: skip
_ACTIVATION_FUNCTIONS = (
    "relu", "relu_", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish", "sigmoid",
    "hardsigmoid", "tanh", "hardtanh", "hardswish", "softplus", "softsign", "softmax", "log_softmax",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Layer):
    """Batch normalisation: shape-neutral; γ and β per channel when ``affine``."""

    kind: ClassVar[str] = "batchnorm"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"affine"})
    torch_modules: ClassVar[tuple[str, ...]] = ("BatchNorm2d", "BatchNorm1d")
    per_element_rule: ClassVar[str] = "batch normalisation one per element (two when affine)"
    label: ClassVar[str] = "batch normalisation"

    affine: bool = True

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(affine=f.boolean("affine", True), **common)

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        return cls(name=name, inputs=inputs, affine=bool(m.affine))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        params = batchnorm_parameters(ops, shape[-1], self.affine)
        macs = per_element_cost(ops, shape, 2 if self.affine else 1) if counting.other_ops else 0
        return make_info(
            self, sources, shape, fld, weights=params, parameters=params if counting.batchnorm else 0, macs=macs
        )

    def derive_counts(self, row: Row) -> None:
        row.batchnorm()


@dataclass(frozen=True, kw_only=True)
class Activation(Layer):
    """An element-wise activation (``function``: relu, gelu, sigmoid, …): shape-neutral, no parameters."""

    kind: ClassVar[str] = "activation"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"function"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(_ACTIVATION_MODULES)
    torch_functions: ClassVar[tuple[str, ...]] = _ACTIVATION_FUNCTIONS
    per_element_rule: ClassVar[str] = "an activation one per output element"
    label: ClassVar[str] = "activations"

    function: str = "relu"

    @property
    def type_name(self) -> str:
        return self.function

    @classmethod
    def keys_for(cls, type_name: str) -> frozenset[str]:
        return cls.spec_keys if type_name == "activation" else frozenset()

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        if type_name != "activation":
            return cls(function=type_name, **common)
        function = f.table.get("function", "relu")
        if not isinstance(function, str) or not function.strip():
            raise f.error("function", function, "expected the activation's name")
        return cls(function=function.strip(), **common)

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        return cls(name=name, inputs=inputs, function=_ACTIVATION_MODULES[type(m).__name__])

    @classmethod
    def from_torch_function(cls, node: Any, name: str, sources: list[str], target: str) -> Layer | None:
        if len([a for a in node.args if hasattr(a, "op")]) != 1:
            return None
        return cls(name=name, inputs=tuple(sources), function=target.rstrip("_"))

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        return make_info(self, sources, shape, fld, macs=per_element_cost(ops, shape, 1) if counting.other_ops else 0)


register(Activation, *sorted(ACTIVATIONS))


@dataclass(frozen=True, kw_only=True)
class Dropout(ShapeNeutral):
    """Dropout: shape-neutral, no parameters, no cost at inference."""

    kind: ClassVar[str] = "dropout"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"rate"})
    torch_modules: ClassVar[tuple[str, ...]] = ("Dropout", "Dropout2d", "AlphaDropout", "FeatureAlphaDropout")
    label: ClassVar[str] = "dropout"

    rate: Any = 0

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        rate = f.table.get("rate", 0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float, Fraction)) or not 0 <= rate < 1:
            raise f.error("rate", rate, "expected a number in [0, 1)")
        return cls(rate=rate, **common)

    @classmethod
    def from_torch_module(cls, m: Any, name: str, inputs: tuple[str, ...]) -> Layer:
        return cls(name=name, inputs=inputs, rate=float(m.p))


@dataclass(frozen=True, kw_only=True)
class Identity(ShapeNeutral):
    """Passes its input through unchanged."""

    kind: ClassVar[str] = "identity"
    torch_modules: ClassVar[tuple[str, ...]] = ("Identity",)
    label: ClassVar[str] = "identity"
