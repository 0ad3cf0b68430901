"""Shape-neutral layers: normalisation (batch, layer, group, instance), activations, dropout, identity."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from symconv.catalogue import AFFINE_PARAMETERS
from symconv.catalogue.rules import (
    affine_parameters,
    batchnorm_parameters,
    elements,
    groups_divide,
    per_element_cost,
)
from symconv.errors import InputError
from symconv.network.info import Counting, LayerInfo, Source, make_info, shape_text
from symconv.network.kinds.common import ShapeNeutral
from symconv.network.model import Layer, register

if TYPE_CHECKING:
    from symconv.catalogue.backend import Ops
    from symconv.network.rows import Row
    from symconv.network.spec import LayerFields
    from symconv.network.torch_import import TorchCall

ACTIVATIONS = frozenset(
    {
        "relu", "relu6", "leaky_relu", "prelu_fixed", "elu", "selu", "celu", "gelu", "silu", "swish", "mish",
        "sigmoid", "hardsigmoid", "tanh", "hardtanh", "hardswish", "softplus", "softsign", "softmax", "log_softmax",
        "hardshrink", "softshrink", "tanhshrink", "threshold", "rrelu", "logsigmoid", "exp",
        "softmin",
    }
)  # fmt: skip
"""Layer types accepted as shape-neutral activations without parameters (also ``type = "activation"``
with ``function = NAME``, for any other name); ``prelu`` has learned slopes."""

# Parameter-free element-wise modules of PyTorch (class name → activation name).
_ACTIVATION_MODULES = {
    "ReLU": "relu", "ReLU6": "relu6", "LeakyReLU": "leaky_relu", "ELU": "elu", "SELU": "selu", "CELU": "celu",
    "GELU": "gelu", "SiLU": "silu", "Mish": "mish", "Sigmoid": "sigmoid", "Hardsigmoid": "hardsigmoid",
    "Tanh": "tanh", "Hardtanh": "hardtanh", "Hardswish": "hardswish", "Softplus": "softplus",
    "Softsign": "softsign", "Softmax": "softmax", "LogSoftmax": "log_softmax", "Softmin": "softmin",
    "Hardshrink": "hardshrink", "Softshrink": "softshrink", "Tanhshrink": "tanhshrink", "Threshold": "threshold",
    "RReLU": "rrelu", "LogSigmoid": "logsigmoid", "PReLU": "prelu", "Softmax2d": "softmax",
}  # fmt: skip
_ACTIVATION_FUNCTIONS = (
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_", "celu", "celu_", "gelu",
    "silu", "mish", "sigmoid", "sigmoid_", "hardsigmoid", "tanh", "tanh_", "hardtanh", "hardtanh_", "hardswish",
    "softplus", "softsign", "softmax", "log_softmax", "softmin", "hardshrink", "softshrink", "tanhshrink",
    "threshold", "threshold_", "rrelu", "logsigmoid", "prelu", "exp", "clamp", "clip", "clamp_", "clip_",
    "sqrt", "rsqrt", "square", "abs", "reciprocal", "pow", "neg",
)  # fmt: skip
"""Also the element-wise arithmetic of normalisations written out (``x.pow(2)``, ``torch.rsqrt(v + eps)``)."""
_FUNCTION_NAMES = {"clamp": "hardtanh", "clip": "hardtanh"}


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Layer):
    """Batch normalisation (1-, 2- or 3-D, or of a flat vector): shape-neutral; γ and β per channel when ``affine``."""

    kind: ClassVar[str] = "batchnorm"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"affine"})
    torch_modules: ClassVar[tuple[str, ...]] = ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm")
    torch_functions: ClassVar[tuple[str, ...]] = ("batch_norm",)
    per_element_rule: ClassVar[str] = "batch normalisation one per element (two when affine)"
    label: ClassVar[str] = "batch normalisation"

    affine: bool = True

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        return cls(affine=f.boolean("affine", True), **common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        return cls(name=call.name, inputs=call.inputs, affine=bool(m.affine))

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        args = call.bind(("running_mean", "running_var", "weight", "bias", "training"), weight=None, bias=None)
        if (args["weight"] is None) != (args["bias"] is None):
            raise call.unsupported("a scale without a shift (or a shift without a scale) is not supported")
        call.uses(args["weight"], args["bias"])
        return cls(name=call.name, inputs=call.inputs, affine=args["weight"] is not None)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        params = batchnorm_parameters(ops, shape[-1], self.affine)
        macs = per_element_cost(ops, shape, 2 if self.affine else 1) if counting.other_ops else 0
        return make_info(
            self, sources, shape, fld, weights=params, parameters=params if counting.batchnorm else 0, macs=macs
        )

    def derive_counts(self, row: Row) -> None:
        row.batchnorm()


_NORMS = {"LayerNorm": "layernorm", "GroupNorm": "groupnorm", "InstanceNorm1d": "instancenorm"}
_NORMS |= {"InstanceNorm2d": "instancenorm", "InstanceNorm3d": "instancenorm", "LocalResponseNorm": "lrn"}

OVER = ("channels", "map")
"""What a layer normalisation normalises: the channels at each position (a transformer's LayerNorm, ConvNeXt's),
or the whole map of each sample (``nn.LayerNorm([C, H, W])``)."""


@dataclass(frozen=True, kw_only=True)
class Norm(Layer):
    """Layer, group and instance normalisation (and local response normalisation): shape-neutral, with a learned
    scale (and shift, ``bias``) per channel when ``affine`` (per element for a layer normalisation ``over`` the
    whole map)."""

    kind: ClassVar[str] = "layernorm"
    spec_types: ClassVar[tuple[str, ...]] = ("layernorm", "groupnorm", "instancenorm", "lrn")
    spec_keys: ClassVar[frozenset[str]] = frozenset({"affine", "bias", "groups", "over"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(_NORMS)
    torch_functions: ClassVar[tuple[str, ...]] = ("layer_norm", "group_norm", "instance_norm", "local_response_norm")
    per_element_rule: ClassVar[str] = "layer, group and instance normalisation one per element (two when affine)"
    label: ClassVar[str] = "layer/group/instance normalisation"

    op: str = "layernorm"
    affine: bool = True
    bias: bool = True
    groups: int = 1
    over: str = "channels"

    @property
    def type_name(self) -> str:
        return self.op

    @classmethod
    def keys_for(cls, type_name: str) -> frozenset[str]:
        return {
            "layernorm": frozenset({"affine", "bias", "over"}),
            "groupnorm": frozenset({"affine", "groups"}),
            "instancenorm": frozenset({"affine"}),
            "lrn": frozenset(),
        }[type_name]

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        over = f.table.get("over", "channels")
        if over not in OVER:
            raise f.error("over", over, "expected " + " or ".join(repr(o) for o in OVER))
        return cls(
            op=type_name,
            affine=f.boolean("affine", type_name in ("layernorm", "groupnorm")),
            bias=f.boolean("bias", True),
            groups=f.integer("groups", 1),
            over=over,
            **common,
        )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        op = _NORMS[next(c for c in _NORMS if c == call.module_class)]
        if op == "lrn":
            return cls(name=call.name, inputs=call.inputs, op=op, affine=False)
        if op == "layernorm":
            affine = bool(m.elementwise_affine)
            return cls(
                name=call.name,
                inputs=call.inputs,
                op=op,
                affine=affine,
                bias=affine and getattr(m, "bias", None) is not None,
                over=call.normalised(tuple(m.normalized_shape)),
            )
        return cls(
            name=call.name,
            inputs=call.inputs,
            op=op,
            affine=bool(m.affine),
            groups=int(getattr(m, "num_groups", 1)),
        )

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        if call.target == "local_response_norm":
            return cls(name=call.name, inputs=call.inputs, op="lrn", affine=False)
        if call.target == "layer_norm":
            args = call.bind(("normalized_shape", "weight", "bias"), weight=None, bias=None)
            shape = args["normalized_shape"]
            over = call.normalised(tuple(shape) if isinstance(shape, (list, tuple)) else (shape,))
            op, groups = "layernorm", 1
        elif call.target == "group_norm":
            args = call.bind(("num_groups", "weight", "bias"), weight=None, bias=None)
            over, op, groups = "channels", "groupnorm", int(args["num_groups"])
        else:
            args = call.bind(("running_mean", "running_var", "weight", "bias"), weight=None, bias=None)
            over, op, groups = "channels", "instancenorm", 1
        call.uses(args["weight"], args["bias"])
        affine = args["weight"] is not None
        return cls(
            name=call.name,
            inputs=call.inputs,
            op=op,
            affine=affine,
            bias=args["bias"] is not None,
            groups=groups,
            over=over,
        )

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        if self.op == "groupnorm" and groups_divide(ops, self.groups, shape[-1]) is False:
            raise InputError(
                f"{self.name}.groups", self.groups, f"must divide the channels ({shape[-1]}) of {shape_text(shape)}"
            )
        entries = elements(ops, shape) if self.over == "map" else shape[-1]
        params = affine_parameters(ops, entries, 2 if self.bias else 1) if self.affine else 0
        macs = per_element_cost(ops, shape, 2 if self.affine else 1) if counting.other_ops else 0
        return make_info(self, sources, shape, fld, weights=params, parameters=params, macs=macs)

    def derive_counts(self, row: Row) -> None:
        if self.affine and self.over == "channels":
            per = 2 if self.bias else 1
            what = "a scale and a shift" if self.bias else "a scale"
            args = {"n": ("C", row.info.shape[-1]), "m": ("m", per)}
            row.eq(f"parameters ({what} per channel)", "n_p", AFFINE_PARAMETERS, args, row.info.weights)
        super().derive_counts(row)


@dataclass(frozen=True, kw_only=True)
class Activation(Layer):
    """An element-wise activation (``function``: relu, gelu, sigmoid, …): shape-neutral, no parameters; ``prelu``
    learns one slope (``slopes = 1``) or one per channel (``slopes = "channel"``)."""

    kind: ClassVar[str] = "activation"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"function", "slopes"})
    torch_modules: ClassVar[tuple[str, ...]] = tuple(_ACTIVATION_MODULES)
    torch_functions: ClassVar[tuple[str, ...]] = _ACTIVATION_FUNCTIONS
    per_element_rule: ClassVar[str] = "an activation one per output element"
    label: ClassVar[str] = "activations"

    function: str = "relu"
    slopes: Any = 0  # PReLU: 1 (one slope) or "channel" (one per channel)

    @property
    def type_name(self) -> str:
        return self.function

    @classmethod
    def keys_for(cls, type_name: str) -> frozenset[str]:
        if type_name == "prelu":
            return frozenset({"slopes"})
        return cls.spec_keys if type_name == "activation" else frozenset()

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        if type_name == "prelu":
            slopes = f.table.get("slopes", 1)
            if slopes not in (1, "channel"):
                raise f.error("slopes", slopes, 'expected 1 (one slope) or "channel" (one per channel)')
            return cls(function="prelu", slopes=slopes, **common)
        if type_name != "activation":
            return cls(function=type_name, **common)
        function = f.table.get("function", "relu")
        if not isinstance(function, str) or not function.strip():
            raise f.error("function", function, "expected the activation's name")
        return cls(function=function.strip(), **common)

    @staticmethod
    def _softmax_over_channels(call: TorchCall, dim: Any) -> None:
        """A softmax along a spatial axis mixes every position of it: no shape-neutral activation, refused."""
        if dim is not None and call.rank > 0 and not call.is_channel_dim(dim):
            raise call.unsupported(
                f"a softmax along dimension {dim}, a spatial axis (each output reads the whole axis); "
                "only a softmax over the channels is an element-wise activation"
            )

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        function = _ACTIVATION_MODULES[call.module_class]
        if call.module_class in ("Softmax", "LogSoftmax", "Softmin"):
            cls._softmax_over_channels(call, m.dim)
        slopes: Any = 0
        if function == "prelu":
            slopes = 1 if m.num_parameters == 1 else "channel"
        return cls(name=call.name, inputs=call.inputs, function=function, slopes=slopes)

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        if len(call.inputs) != 1:
            return None
        if call.target == "pow":
            exponent = call.operands[1] if len(call.operands) > 1 else call.kwargs.get("exponent")
            if not call.is_tensor(call.operands[0]) or not isinstance(exponent, (int, float)):
                raise call.unsupported("a power other than a tensor to a number")
        function = call.target.rstrip("_")
        if function in ("softmax", "log_softmax", "softmin"):
            cls._softmax_over_channels(call, call.bind(("dim",), dim=None)["dim"])
        slopes: Any = 0
        if function == "prelu":
            weight = call.bind(("weight",))["weight"]
            call.uses(weight)
            slopes = 1 if call.numel(weight) == 1 else "channel"
        return cls(name=call.name, inputs=call.inputs, function=_FUNCTION_NAMES.get(function, function), slopes=slopes)

    def analyse(self, sources: list[Source], counting: Counting, ops: Ops) -> LayerInfo:
        ((shape, fld),) = sources
        params = 0 if not self.slopes else 1 if self.slopes == 1 else affine_parameters(ops, shape[-1], 1)
        macs = per_element_cost(ops, shape, 1) if counting.other_ops else 0
        return make_info(self, sources, shape, fld, weights=params, parameters=params, macs=macs)

    def derive_counts(self, row: Row) -> None:
        if self.slopes == "channel":
            args = {"n": ("C", row.info.shape[-1]), "m": ("m", 1)}
            row.eq("parameters (a slope per channel)", "n_p", AFFINE_PARAMETERS, args, row.info.weights)
        super().derive_counts(row)


register(Activation, "prelu", *sorted(ACTIVATIONS))


@dataclass(frozen=True, kw_only=True)
class Dropout(ShapeNeutral):
    """Dropout (and stochastic depth): shape-neutral, no parameters, the identity at inference."""

    kind: ClassVar[str] = "dropout"
    spec_keys: ClassVar[frozenset[str]] = frozenset({"rate"})
    torch_modules: ClassVar[tuple[str, ...]] = (
        "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
    )  # fmt: skip
    torch_functions: ClassVar[tuple[str, ...]] = (
        "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout", "stochastic_depth",
    )  # fmt: skip
    label: ClassVar[str] = "dropout"
    allocates: ClassVar[bool] = False

    rate: Any = 0

    @classmethod
    def from_spec(cls, f: LayerFields, common: dict[str, Any], type_name: str) -> Layer:
        rate = f.table.get("rate", 0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float, Fraction)) or not 0 <= rate < 1:
            raise f.error("rate", rate, "expected a number in [0, 1)")
        return cls(rate=rate, **common)

    @classmethod
    def from_torch_module(cls, m: Any, call: TorchCall) -> Layer:
        return cls(name=call.name, inputs=call.inputs, rate=float(m.p))

    @classmethod
    def from_torch_function(cls, call: TorchCall) -> Layer | None:
        rate = call.bind(("p",), p=0.5)["p"]
        return cls(name=call.name, inputs=call.inputs, rate=float(rate) if isinstance(rate, (int, float)) else 0)


@dataclass(frozen=True, kw_only=True)
class Identity(ShapeNeutral):
    """Passes its input through unchanged (also ``torch.cat`` of a single tensor)."""

    kind: ClassVar[str] = "identity"
    torch_modules: ClassVar[tuple[str, ...]] = ("Identity",)
    label: ClassVar[str] = "identity"
    allocates: ClassVar[bool] = False
