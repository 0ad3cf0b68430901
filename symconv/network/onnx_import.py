"""Read an ONNX model (a file, or an ``onnx.ModelProto``) as a symconv Network (``onnx`` imported only here).

Models exported from PyTorch, Keras, TensorFlow or JAX arrive as ONNX graphs: nodes in topological
order, weights as initializers, NCHW tensors. Each node becomes a layer of the kind it is (Conv, Gemm,
pooling, normalisation, element-wise arithmetic, Resize …), a change of layout (Transpose, Reshape,
Squeeze: symconv.network.torch_views), or arithmetic on shapes (Shape, Gather, Concat of sizes, folded
to constants); ONNX's shape inference gives the sizes a Reshape or a Resize computes at run time. An
unsupported operator is never counted as zero: every one is listed. Input sizes named by the model
(``dim_param``, such as ``"height"``) stay symbols, so the totals are closed forms in them. Install
with the extra ``symconv[onnx]``.

Parameters are the initializers the layers read as weights (a scalar initializer, such as the √2 of
an exported GELU, is a constant). A model exported with batch normalisation folded into the
convolutions (``torch.onnx.export`` in eval mode with constant folding) has the convolutions' biases
in place of the normalisations' 2C parameters: its MACs are the same, its parameter count smaller.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from symconv.catalogue import CHANNELS_FROM_GROUPS
from symconv.catalogue.backend import NUMERIC, Ops
from symconv.catalogue.rules import conv_weight_source
from symconv.core.arith import check_integer, is_symbolic
from symconv.core.coerce import public
from symconv.errors import InputError, UnsupportedError
from symconv.network import torch_views as views
from symconv.network.info import Counting, Field, Source, is_map
from symconv.network.kinds import (
    Activation,
    BatchNorm,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Elementwise,
    Flatten,
    GlobalPool,
    Identity,
    Interpolate,
    Linear,
    Norm,
    Pad,
    PixelShuffle,
    Pool,
)
from symconv.network.model import INPUT, SAME, VALID, Layer, Network, Padding
from symconv.network.torch_views import BATCH, UNKNOWN, TensorValue

_ACTIVATIONS = {
    "Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "LeakyRelu": "leaky_relu", "Elu": "elu", "Selu": "selu",
    "Celu": "celu", "Softplus": "softplus", "Softsign": "softsign", "HardSigmoid": "hardsigmoid",
    "HardSwish": "hardswish", "Gelu": "gelu", "Mish": "mish", "Softmax": "softmax", "LogSoftmax": "log_softmax",
    "Erf": "erf", "Exp": "exp", "Sqrt": "sqrt", "Abs": "abs", "Neg": "neg", "Reciprocal": "reciprocal",
    "ThresholdedRelu": "threshold", "Shrink": "hardshrink", "Softmin": "softmin",
}  # fmt: skip
_BINARY = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div", "Max": "max", "Min": "min"}
_REDUCE = {"ReduceMean": "avg", "ReduceSum": "sum", "ReduceMax": "max"}
_RESIZE_MODES = {"nearest": "nearest", "linear": "linear", "cubic": "cubic"}
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "edge": "replicate", "wrap": "circular"}


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:  # pragma: no cover -- the extra is missing
        raise UnsupportedError("reading ONNX models needs the onnx package: pip install 'symconv[onnx]'") from None
    return onnx


def load(model: Any) -> Any:
    """An ``onnx.ModelProto`` from a path or a ModelProto, with ONNX's shape inference applied."""
    onnx = _onnx()
    if isinstance(model, (str, os.PathLike)):
        try:
            proto = onnx.load(os.fspath(model))
        except (FileNotFoundError, IsADirectoryError) as e:
            raise InputError("model", os.fspath(model), f"cannot read the file ({e.strerror})") from None
        except Exception as e:  # noqa: BLE001 -- protobuf raises several error types for a file that is not ONNX
            raise InputError("model", os.fspath(model), f"not an ONNX model ({type(e).__name__}: {e})") from None
    elif isinstance(model, onnx.ModelProto):
        proto = model
    else:
        raise InputError("model", type(model).__name__, "expected a path to an .onnx file or an onnx.ModelProto")
    try:
        return onnx.shape_inference.infer_shapes(proto, strict_mode=False)
    except Exception:  # noqa: BLE001 -- inference is a help (sizes computed at run time); the walk checks everything
        return proto


@public(raw=("model",))
def from_onnx(model: Any, *, input_shape: Sequence[Any] | None = None, endpoint: str | None = None) -> Network:
    """The symconv :class:`Network` of an ONNX model.

    Args:
        model: a path to an ``.onnx`` file, or an ``onnx.ModelProto``.
        input_shape: ``(C, H, W)`` (or ``(C, L)``, ``(C, D, H, W)``; a batch N first is ignored) when the
            model's input sizes are not fixed numbers or names; names become symbols for closed forms.
        endpoint: the layer (node name) or graph output whose receptive field is the answer (default: the
            first output).

    Raises:
        InputError: not an ONNX model, or an input size that is neither given nor in the model.
        UnsupportedError: every operator with no symconv counterpart, listed together.
    """
    if input_shape is not None and not isinstance(input_shape, (list, tuple)):
        raise InputError("input_shape", input_shape, "expected (C, H, W), (C, L) or (C, D, H, W)")
    if endpoint is not None and not isinstance(endpoint, str):
        raise InputError("endpoint", endpoint, "expected a layer name or an output's name")
    return trace_onnx(model, input_shape=input_shape, endpoint=endpoint).network


@dataclass
class OnnxImport:
    """An ONNX model as symconv reads it: the network, and for each layer the ONNX value it computes and the
    layout of that value ('first': N, C, …; 'last': channels last; 'flat')."""

    network: Network
    values: dict[str, str]
    layouts: dict[str, str]


def trace_onnx(model: Any, *, input_shape: Sequence[Any] | None = None, endpoint: str | None = None) -> OnnxImport:
    """:func:`from_onnx` with the ONNX value each layer computes (for checks against ONNX's shape inference)."""
    converter = _Converter(load(model), input_shape)
    network = converter.run(endpoint)
    return OnnxImport(network, converter.outputs, converter.layouts)


class _Call(views.CallDims):
    """What torch_views needs of a call: the tensor, the arguments, a name, the layout's dimensions."""

    def __init__(self, converter: _Converter, name: str, source: TensorValue, args: list[Any]) -> None:
        self.converter = converter
        self.name = name
        self.source = source
        self.args = [source, *args]
        self.kwargs: dict[str, Any] = {}
        self.inputs: tuple[str, ...] = (source.name,) if source.name else ()

    @property
    def ops(self) -> Ops:
        return self.converter.ops


class _Converter:
    """Walks the graph: one value per ONNX value name (a tensor, an array of sizes), a layer per operator."""

    def __init__(self, model: Any, input_shape: Sequence[Any] | None) -> None:
        onnx = _onnx()
        self.onnx = onnx
        self.graph = model.graph
        self.numpy = onnx.numpy_helper
        self.initializers = {t.name: self.numpy.to_array(t) for t in self.graph.initializer}
        self.inferred = {v.name: v for v in [*self.graph.value_info, *self.graph.output, *self.graph.input]}
        self.values: dict[str, Any] = {}
        self.tensors: dict[str, Source] = {}
        self.layers: list[Layer] = []
        self.names: set[str] = {INPUT}
        self.errors: list[str] = []
        self.counting = Counting()
        self.ops: Ops = NUMERIC
        self.used: set[int] = set()
        self.derived: dict[str, set[str]] = {}  # constants computed from initializers: the initializers read
        self.opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=13)
        self.input_shape = input_shape
        self.outputs: dict[str, str] = {}
        self.layouts: dict[str, str] = {}

    # -- setup ------------------------------------------------------------------------------------------
    def graph_input(self) -> tuple[str, tuple[Any, ...]]:
        inputs = [i for i in self.graph.input if i.name not in self.initializers]
        if len(inputs) != 1:
            names = [i.name for i in inputs]
            raise UnsupportedError(f"the model has {len(inputs)} inputs ({names}); only one input tensor is supported")
        value = inputs[0]
        dims: list[Any] = []
        for d in value.type.tensor_type.shape.dim:
            dims.append(d.dim_value if d.HasField("dim_value") else (d.dim_param or None))
        shape = list(self.input_shape) if self.input_shape is not None else dims[1:]
        if self.input_shape is not None and len(shape) == len(dims):
            shape = shape[1:]
        if not 2 <= len(shape) <= 4:
            raise InputError("input_shape", shape, "expected (C, L), (C, H, W) or (C, D, H, W)")
        if any(n is None for n in shape):
            raise InputError("input_shape", dims, "the model's input sizes are not all known: give input_shape")
        c = check_integer(shape[0], "input_shape[C]", minimum=1)
        if not isinstance(c, int):
            raise InputError("input_shape[C]", shape[0], "the channels must be a number")
        sizes = [check_integer(_symbol_name(n), f"input_shape[{j + 1}]", minimum=1) for j, n in enumerate(shape[1:])]
        return value.name, (*sizes, c)

    # -- the walk ---------------------------------------------------------------------------------------
    def run(self, endpoint: str | None) -> Network:
        name, shape = self.graph_input()
        if any(is_symbolic(n) for n in shape):
            from symconv.catalogue.symbolic import SYMBOLIC

            self.ops = SYMBOLIC
        self.values[name] = TensorValue(INPUT, shape, "first")
        self.tensors[INPUT] = (shape, Field.start(len(shape[:-1])))
        for value_name, array in self.initializers.items():
            self.values.setdefault(value_name, _Initializer(value_name, array))
        for position, node in enumerate(self.graph.node):
            try:
                self.visit(node, position)
            except UnsupportedError as e:
                where = f"{node.name or f'node {position}'} ({node.op_type})"
                self.errors.append(f"{where}: {e}")
                for out in node.output:
                    self.values[out] = UNKNOWN
        if self.errors:
            count = len(self.errors)
            raise UnsupportedError(
                f"ONNX model: {count} unsupported operator{'s' if count > 1 else ''} (symconv never counts an "
                "operation it does not know as zero):\n  " + "\n  ".join(self.errors)
            )
        outputs = [self.values.get(o.name) for o in self.graph.output]
        ends = [v.name for v in outputs if isinstance(v, TensorValue) and v.name not in (None, INPUT)]
        if not self.layers or not ends:
            raise UnsupportedError("the ONNX model computes no output with a layer")
        end = ends[0]
        if endpoint is not None:
            by_output = {o.name: v.name for o, v in zip(self.graph.output, outputs) if isinstance(v, TensorValue)}
            if endpoint in by_output:
                end = by_output[endpoint]  # type: ignore[assignment]
            elif endpoint in self.tensors and endpoint != INPUT:
                end = endpoint
            else:
                raise InputError("endpoint", endpoint, "neither a layer nor an output of the model")
        return Network(self.tensors[INPUT][0], tuple(self.layers), end)  # type: ignore[arg-type]

    def unique(self, base: str) -> str:
        name, suffix = base, 2
        while name in self.names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        self.names.add(name)
        return name

    def add(self, layer: Layer, outputs: Sequence[str], layout: str = "first") -> None:
        sources = [self.tensors[n] for n in (*layer.inputs, *layer.references)]
        info = layer.analyse(sources, self.counting, self.ops)
        self.layers.append(layer)
        self.tensors[layer.name] = (info.shape, info.field)
        layout = layout if is_map(info.shape) else "flat"
        for out in outputs:
            self.values[out] = TensorValue(layer.name, info.shape, layout)
        self.outputs[layer.name] = outputs[0]
        self.layouts[layer.name] = layout

    # -- operands -----------------------------------------------------------------------------------------
    def tensor(self, name: str) -> TensorValue:
        value = self.values.get(name)
        if not isinstance(value, TensorValue):
            raise UnsupportedError(f"input {name!r} is not a tensor the walk computed")
        if not value.known:
            raise _Skip
        return value

    def constant(self, name: str) -> Any:
        """A value known before the model runs: an initializer, a Constant, folded shape arithmetic."""
        if not name:
            return None
        value = self.values.get(name)
        if isinstance(value, _Initializer):
            return value.array
        if isinstance(value, TensorValue):
            raise UnsupportedError(f"{name!r} is computed by the model, not a constant")
        if value is None:
            raise UnsupportedError(f"unknown value {name!r}")
        return value

    def inferred_shape(self, name: str) -> list[Any] | None:
        """ONNX shape inference's sizes of a value (batch included), None when it did not infer them."""
        value = self.inferred.get(name)
        if value is None or not value.type.tensor_type.HasField("shape"):
            return None
        dims = []
        for d in value.type.tensor_type.shape.dim:
            if not d.HasField("dim_value"):
                return None
            dims.append(int(d.dim_value))
        return dims

    # -- nodes ----------------------------------------------------------------------------------------------
    def visit(self, node: Any, position: int) -> None:
        attrs = {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}
        op = node.op_type
        if op == "Constant":
            self.values[node.output[0]] = self.constant_node(attrs)
            return
        ins = list(node.input)
        known = [self.values.get(n) for n in ins if n]
        if any(isinstance(v, TensorValue) and not v.known for v in known):
            if not hasattr(self, f"op_{op}") and op not in _ACTIVATIONS and op not in _BINARY and op not in _REDUCE:
                raise UnsupportedError("operator not supported")
            for out in node.output:
                self.values[out] = UNKNOWN
            return
        if not any(isinstance(v, TensorValue) for v in known):
            self.values[node.output[0]] = self.fold(op, ins, attrs, node)
            sources = set().union(*(self.derived.get(n, {n} if n in self.initializers else set()) for n in ins if n))
            if sources:
                self.derived[node.output[0]] = sources  # computed from stored values (a standardised weight)
            return
        name = self.unique(node.name or f"{op.lower()}_{position}")
        before = len(self.layers)
        try:
            if op in _ACTIVATIONS:
                self.activation(node, name, attrs)
            elif op in _BINARY:
                self.binary(node, name)
            elif op in _REDUCE:
                self.reduce(node, name, attrs)
            else:
                handler = getattr(self, f"op_{op}", None)
                if handler is None:
                    raise UnsupportedError("operator not supported")
                handler(node, name, attrs)
        except _Skip:
            for out in node.output:
                self.values[out] = UNKNOWN
        if not any(layer.name == name for layer in self.layers[before:]):
            self.names.discard(name)  # a change of layout or a skipped node: the name is free again

    def constant_node(self, attrs: dict[str, Any]) -> Any:
        if "value" in attrs:
            return self.numpy.to_array(attrs["value"])
        for key in ("value_int", "value_float"):
            if key in attrs:
                return attrs[key]
        for key in ("value_ints", "value_floats"):
            if key in attrs:
                return list(attrs[key])
        raise UnsupportedError("a Constant of an unsupported kind")

    def fold(self, op: str, ins: list[str], attrs: dict[str, Any], node: Any = "") -> Any:
        """Shape arithmetic on constants (Shape of a tensor is handled as sizes), evaluated with numpy."""
        import numpy as np

        vals = [self.constant(n) for n in ins]
        if op in ("Cast", "Identity"):
            return vals[0]
        if op == "Reshape":
            return np.reshape(np.asarray(vals[0], dtype=object), [int(n) for n in vals[1]])
        if op == "Transpose":
            return np.transpose(np.asarray(vals[0], dtype=object), attrs.get("perm"))
        if op == "Unsqueeze":
            return np.expand_dims(np.asarray(vals[0]), tuple(attrs.get("axes", vals[1] if len(vals) > 1 else [0])))
        if op == "Concat":
            parts = [np.atleast_1d(np.asarray(v, dtype=object)) for v in vals]
            return np.concatenate(parts, axis=attrs.get("axis", 0))
        if op == "Gather":
            return np.take(np.asarray(vals[0], dtype=object), np.asarray(vals[1]), axis=attrs.get("axis", 0))
        if op == "ConstantOfShape":
            fill = self.numpy.to_array(attrs["value"]).reshape(-1)[0] if "value" in attrs else 0
            return np.full([int(n) for n in vals[0]], fill)
        if op == "Squeeze":
            return np.squeeze(np.asarray(vals[0], dtype=object))
        if op == "Slice":
            array = np.asarray(vals[0], dtype=object)
            starts, ends = list(vals[1]), list(vals[2])
            axes = list(vals[3]) if len(vals) > 3 and vals[3] is not None else list(range(len(starts)))
            steps = list(vals[4]) if len(vals) > 4 and vals[4] is not None else [1] * len(starts)
            key = [slice(None)] * array.ndim
            for start, end, axis, step in zip(starts, ends, axes, steps):
                big = 2**62  # ONNX writes "to the end" as the largest int64
                stop = None if abs(int(end)) >= big else int(end)
                key[int(axis)] = slice(int(start), stop, int(step))
            return array[tuple(key)]
        ops = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.floor_divide}
        if op in ops:
            return ops[op](np.asarray(vals[0]), np.asarray(vals[1]))
        return self.evaluate(node, ins, vals)

    def evaluate(self, node: Any, ins: list[str], vals: list[Any]) -> Any:
        """Any other operator on numeric constants alone (the shape of a weight, a weight standardised, the pads
        of a Pad built with ConstantOfShape), evaluated by ONNX's reference implementation."""
        import numpy as np

        arrays = [None if v is None else _numeric(np.asarray(v)) for v in vals]
        if isinstance(node, str) or any(a is not None and a.dtype == object for a in arrays):
            raise UnsupportedError("operator not supported on constants (sizes that are not numbers)")
        from onnx.reference import ReferenceEvaluator

        feeds = {n: a for n, a in zip(ins, arrays) if n and a is not None}
        try:
            (result, *_) = ReferenceEvaluator(node).run(None, feeds)
        except Exception as e:  # noqa: BLE001 -- the reference implementation raises many kinds
            raise UnsupportedError(f"operator not supported on constants ({type(e).__name__}: {e})") from None
        return result

    # shapes of tensors, as constants (the batch marked)
    def op_Shape(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        v = self.tensor(node.input[0])
        dims = [BATCH, *views.torch_dims(v, self.ops)]
        start, end = attrs.get("start", 0), attrs.get("end", len(dims))
        self.values[node.output[0]] = _Sizes(v, dims[start:end], start)

    # -- layers -----------------------------------------------------------------------------------------
    def _rank(self, v: TensorValue) -> int:
        if v.layout != "first" or not is_map(v.shape or ()):
            raise UnsupportedError("a windowed operator on a tensor that is not an NC… map")
        return v.rank

    def _windowed(self, attrs: dict[str, Any], rank: int, kernel: Sequence[int]) -> dict[str, Any]:
        auto = attrs.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else str(auto)
        pads = list(attrs.get("pads", [0] * (2 * rank)))
        if auto == "SAME_UPPER":
            padding = SAME
        elif auto == "VALID":
            padding = VALID
        elif auto == "SAME_LOWER":
            raise UnsupportedError("auto_pad SAME_LOWER (the extra pixel before) is not supported")
        else:
            padding = Padding(sides=tuple((pads[a], pads[a + rank]) for a in range(rank)))
        return {
            "kernel": tuple(int(k) for k in kernel),
            "stride": tuple(int(s) for s in attrs.get("strides", [1] * rank)),
            "dilation": tuple(int(d) for d in attrs.get("dilations", [1] * rank)),
            "padding": padding,
        }

    def op_Conv(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        w = self.constant(node.input[1])
        rank = self._rank(x)
        fields = self._windowed(attrs, rank, attrs.get("kernel_shape", w.shape[2:]))
        bias = len(node.input) > 2 and bool(node.input[2])
        filters = int(w.shape[0])
        weight = "learned"
        if node.input[1] in self.derived:  # computed from initializers: standardised, perhaps with a gain per filter
            stored = sum(int(self.initializers[n].size) for n in self.derived[node.input[1]])
            source = conv_weight_source(stored, int(w.size), filters)
            if source not in ("learned", "scaled"):
                raise UnsupportedError(f"a weight of {w.size} elements computed from {stored} stored values")
            weight = source
        layer = Conv(
            name=name,
            inputs=(x.name,),  # type: ignore[arg-type]
            filters=filters,
            groups=int(attrs.get("group", 1)),
            bias=bias,
            weight=weight,
            **fields,
        )
        self.add(layer, node.output)

    def op_ConvTranspose(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        w = self.constant(node.input[1])
        rank = self._rank(x)
        if "output_shape" in attrs:
            raise UnsupportedError("output_shape is not supported (give pads and output_padding)")
        fields = self._windowed(attrs, rank, attrs.get("kernel_shape", w.shape[2:]))
        padding = fields.pop("padding")
        if padding.same or not all(b == e for b, e in (padding.sides or [(0, 0)] * rank)):
            raise UnsupportedError("a transposed convolution with asymmetric or automatic padding")
        groups = int(attrs.get("group", 1))
        layer = ConvTranspose(
            name=name,
            inputs=(x.name,),  # type: ignore[arg-type]
            filters=self.ops.ev(CHANNELS_FROM_GROUPS, int(w.shape[1]), groups),  # stored C_in × C_out/g × k …
            groups=groups,
            bias=len(node.input) > 2 and bool(node.input[2]),
            padding=tuple(padding.axis(a)[0] for a in range(rank)),
            output_padding=tuple(int(p) for p in attrs.get("output_padding", [0] * rank)),
            **fields,
        )
        self.add(layer, node.output)

    def _pool(self, node: Any, name: str, attrs: dict[str, Any], op: str) -> None:
        x = self.tensor(node.input[0])
        rank = self._rank(x)
        fields = self._windowed(attrs, rank, attrs["kernel_shape"])
        if op == "avg" and any(d != 1 for d in fields["dilation"]):
            raise UnsupportedError("a dilated average pooling")
        layer = Pool(name=name, inputs=(x.name,), op=op, ceil_mode=bool(attrs.get("ceil_mode", 0)), **fields)  # type: ignore[arg-type]
        self.add(layer, node.output[:1])

    def op_MaxPool(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        if len(node.output) > 1 and node.output[1]:
            raise UnsupportedError("MaxPool with indices is not supported")
        self._pool(node, name, attrs, "max")

    def op_AveragePool(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        self._pool(node, name, attrs, "avg")

    def op_GlobalAveragePool(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        self.add(GlobalPool(name=name, inputs=(x.name,), op="avg"), node.output)  # type: ignore[arg-type]

    def op_GlobalMaxPool(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        self.add(GlobalPool(name=name, inputs=(x.name,), op="max"), node.output)  # type: ignore[arg-type]

    def reduce(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        axes = attrs.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = [int(a) for a in self.constant(node.input[1])]
        call = _Call(self, name, x, [])
        if axes is None or not call.is_spatial(list(axes)):
            raise UnsupportedError(f"a reduction over axes {axes}, not the spatial axes")
        keep = bool(attrs.get("keepdims", 1))
        self.add(GlobalPool(name=name, inputs=(x.name,), op=_REDUCE[node.op_type], keepdim=keep), node.output)  # type: ignore[arg-type]

    def op_Gemm(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        w = self.constant(node.input[1])
        if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
            raise UnsupportedError("Gemm with transA, alpha or beta is not supported")
        outputs = int(w.shape[0] if attrs.get("transB", 0) else w.shape[1])
        bias = len(node.input) > 2 and bool(node.input[2])
        self.add(Linear(name=name, inputs=(x.name,), outputs=outputs, bias=bias), node.output)  # type: ignore[arg-type]

    def op_MatMul(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        w = self.constant(node.input[1])
        if getattr(w, "ndim", 0) != 2:
            raise UnsupportedError("MatMul of two tensors, or with a weight that is not a matrix")
        per_position = x.layout == "last"
        layer = Linear(name=name, inputs=(x.name,), outputs=int(w.shape[1]), bias=False, per_position=per_position)  # type: ignore[arg-type]
        self.add(layer, node.output, x.layout)

    def op_BatchNormalization(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        self.add(BatchNorm(name=name, inputs=(x.name,)), node.output[:1], x.layout)  # type: ignore[arg-type]

    def op_InstanceNormalization(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        self.add(Norm(name=name, inputs=(x.name,), op="instancenorm", affine=True), node.output)  # type: ignore[arg-type]

    def op_GroupNormalization(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        groups = int(attrs["num_groups"])
        self.add(Norm(name=name, inputs=(x.name,), op="groupnorm", groups=groups), node.output)  # type: ignore[arg-type]

    def op_LayerNormalization(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        axis = int(attrs.get("axis", -1))
        n = views.ndim(x, self.ops)
        first = views.normalise_dim(axis, n, _Call(self, name, x, []))  # type: ignore[arg-type]
        if first == n - 1 and x.layout in ("last", "flat"):
            over = "channels"
        elif first == 1 and x.layout == "first":
            over = "map"
        else:
            raise UnsupportedError(f"a layer normalisation from axis {axis} of a {x.layout} tensor")
        bias = len(node.input) > 2 and bool(node.input[2])
        self.add(Norm(name=name, inputs=(x.name,), bias=bias, over=over), node.output[:1], x.layout)  # type: ignore[arg-type]

    def activation(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        if node.op_type in ("Softmax", "LogSoftmax") and x.rank > 0:
            # before opset 13 the axis splits the tensor in two and the softmax runs over everything after it
            axis = attrs.get("axis", -1 if self.opset >= 13 else 1)
            if self.opset < 13 or not _Call(self, name, x, []).is_channel_dim(axis):
                raise UnsupportedError(
                    f"a softmax along axis {axis} (opset {self.opset}) mixes positions of the map; only a softmax "
                    "over the channels is an element-wise activation"
                )
        self.add(Activation(name=name, inputs=(x.name,), function=_ACTIVATIONS[node.op_type]), node.output, x.layout)  # type: ignore[arg-type]

    def op_Clip(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        low = attrs.get("min", self.constant(node.input[1]) if len(node.input) > 1 else None)
        high = attrs.get("max", self.constant(node.input[2]) if len(node.input) > 2 else None)
        function = "relu6" if (low, high) == (0, 6) else "relu" if (low == 0 and high is None) else "hardtanh"
        self.add(Activation(name=name, inputs=(x.name,), function=function), node.output, x.layout)  # type: ignore[arg-type]

    def op_PRelu(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        slope = self.constant(node.input[1])
        slopes = 1 if slope.size == 1 else "channel"
        self.add(Activation(name=name, inputs=(x.name,), function="prelu", slopes=slopes), node.output, x.layout)  # type: ignore[arg-type]

    def binary(self, node: Any, name: str) -> None:
        import numpy as np

        tensors: list[TensorValue] = []
        constant: Any = None
        weight = ""
        for n in node.input:
            value = self.values.get(n)
            if isinstance(value, TensorValue):
                tensors.append(self.tensor(n))
                continue
            array = self.constant(n)
            size = getattr(array, "size", 1)
            if size == 1:
                constant = float(np.asarray(array).reshape(-1)[0])
            else:
                weight = self._weight_kind(tensors or [self._first_tensor(node)], array)
        layout = tensors[0].layout
        layer = Elementwise(
            name=name,
            inputs=tuple(t.name for t in tensors),  # type: ignore[misc]
            op=_BINARY[node.op_type],
            constant=constant,
            weight=weight,
        )
        self.add(layer, node.output, layout)

    def _first_tensor(self, node: Any) -> TensorValue:
        for n in node.input:
            if isinstance(self.values.get(n), TensorValue):
                return self.tensor(n)
        raise UnsupportedError("no tensor operand")

    def _weight_kind(self, tensors: list[TensorValue], array: Any) -> str:
        v = tensors[0]
        assert v.shape is not None
        shape = [int(n) for n in array.shape]
        if int(array.size) == v.shape[-1]:
            call = _Call(self, "", v, [])
            n = views.ndim(v, self.ops)
            kept = [n - at for at, s in enumerate(reversed(shape), start=1) if s != 1]
            if kept == [call.channel_dim()]:
                return "channel"
        return "element"

    def op_Concat(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        tensors = [self.tensor(n) for n in node.input]
        call = _Call(self, name, tensors[0], [])
        if not call.is_channel_dim(int(attrs["axis"])):
            raise UnsupportedError("only concatenation along the channels is supported")
        inputs = tuple(t.name for t in tensors)
        layer: Layer = Identity(name=name, inputs=inputs) if len(inputs) == 1 else Concat(name=name, inputs=inputs)  # type: ignore[arg-type]
        self.add(layer, node.output, tensors[0].layout)

    def op_Flatten(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        if int(attrs.get("axis", 1)) != 1:
            raise UnsupportedError("Flatten from an axis other than 1")
        if not is_map(x.shape or ()):
            self.values[node.output[0]] = x
            return
        self.add(Flatten(name=name, inputs=(x.name,)), node.output)  # type: ignore[arg-type]

    def _view(self, node: Any, name: str, result: Any) -> None:
        if isinstance(result, TensorValue):
            self.values[node.output[0]] = result
            return
        layer, layout = result
        self.add(layer, node.output, layout)

    def op_Reshape(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        try:
            target = [n if n is BATCH else int(n) for n in self.constant(node.input[1])]
        except (UnsupportedError, TypeError):
            inferred = self.inferred_shape(node.output[0])
            if inferred is None:
                raise UnsupportedError("a Reshape to sizes computed at run time that shape inference did not find")
            target = inferred
        dims = views.torch_dims(x, self.ops)
        # ONNX: 0 copies the input's size along that dimension (the batch, or any other)
        resolved = [
            BATCH if (j == 0 and (n is BATCH or n in (0, -1, 1))) else (dims[j - 1] if n == 0 else n)
            for j, n in enumerate(target)
        ]
        self._view(node, name, views.reshape(_Call(self, name, x, resolved), self.ops))  # type: ignore[arg-type]

    def op_Transpose(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        perm = [int(p) for p in attrs["perm"]]
        self._view(node, name, views.permute(_Call(self, name, x, []), self.ops, perm))  # type: ignore[arg-type]

    def op_Squeeze(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        axes = attrs.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = [int(a) for a in self.constant(node.input[1])]
        self._view(node, name, views.squeeze(_Call(self, name, x, []), self.ops, axes))  # type: ignore[arg-type]

    def op_Identity(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        self.values[node.output[0]] = self.tensor(node.input[0])

    def op_Dropout(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        self.add(Dropout(name=name, inputs=(x.name,)), node.output[:1], x.layout)  # type: ignore[arg-type]

    def op_Split(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        call = _Call(self, name, x, [])
        split = attrs.get("split")
        if split is None and len(node.input) > 1 and node.input[1]:
            split = [int(s) for s in self.constant(node.input[1])]
        if split is None:
            parts = views.channel_parts(call, self.ops, "chunk", len(node.output), attrs.get("axis", 0))  # type: ignore[arg-type]
        else:
            parts = views.channel_parts(call, self.ops, "split", list(split), attrs.get("axis", 0))  # type: ignore[arg-type]
        for j, out in enumerate(node.output):
            part_name = name if j == 0 else self.unique(f"{name}.{j}")
            layer, layout = views.part(_Call(self, part_name, x, []), parts, j)  # type: ignore[arg-type, misc]
            self.add(layer, [out], layout)

    def op_Slice(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        starts, ends = self.constant(node.input[1]), self.constant(node.input[2])
        axes = self.constant(node.input[3]) if len(node.input) > 3 and node.input[3] else list(range(len(starts)))
        steps = self.constant(node.input[4]) if len(node.input) > 4 and node.input[4] else [1] * len(starts)
        call = _Call(self, name, x, [])
        n = views.ndim(x, self.ops)
        key: list[Any] = [slice(None)] * n
        for start, end, axis, step in zip(starts, ends, axes, steps):
            key[views.normalise_dim(int(axis), n, call)] = slice(int(start), min(int(end), 2**31), int(step))  # type: ignore[arg-type]
        self._view(node, name, views.index(call, self.ops, tuple(key)))  # type: ignore[arg-type]

    def op_Resize(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        rank = self._rank(x)
        mode = attrs.get("mode", b"nearest")
        mode = mode.decode() if isinstance(mode, bytes) else str(mode)
        transform = attrs.get("coordinate_transformation_mode", b"half_pixel")
        transform = transform.decode() if isinstance(transform, bytes) else str(transform)
        if attrs.get("antialias", 0):
            raise UnsupportedError("antialias is not supported")
        names = list(node.input) + ["", "", ""]
        scales = self.constant(names[2]) if names[2] and self._is_constant(names[2]) else None
        sizes = self.constant(names[3]) if names[3] and self._is_constant(names[3]) else None
        kwargs: dict[str, Any] = {}
        if scales is not None and len(scales):
            kwargs["scale"] = tuple(_scale(s) for s in list(scales)[2:])
        elif sizes is not None and len(sizes):
            kwargs["size"] = tuple(int(s) for s in list(sizes)[2:])
        else:
            inferred = self.inferred_shape(node.output[0])
            if inferred is None:
                raise UnsupportedError("a Resize to sizes computed at run time that shape inference did not find")
            kwargs["size"] = tuple(inferred[2:])
        if len(next(iter(kwargs.values()))) != rank:
            raise UnsupportedError("a Resize of the batch or the channels")
        if mode == "nearest" and transform not in ("asymmetric", "tf_half_pixel_for_nn", "half_pixel"):
            raise UnsupportedError(f"nearest resizing with {transform!r} coordinates")
        layer = Interpolate(
            name=name,
            inputs=(x.name,),  # type: ignore[arg-type]
            mode=_RESIZE_MODES[mode],
            align_corners=transform == "align_corners",
            **kwargs,
        )
        self.add(layer, node.output)

    op_Upsample = op_Resize

    def _is_constant(self, name: str) -> bool:
        return not isinstance(self.values.get(name), TensorValue)

    def op_Pad(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        pads = attrs.get("pads")
        if pads is None:
            pads = [int(p) for p in self.constant(node.input[1])]
        mode = attrs.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else str(mode)
        n = len(pads) // 2
        begins, ends = pads[:n], pads[n:]
        rank = self._rank(x)
        if any(begins[:2]) or any(ends[:2]) or n != rank + 2:
            raise UnsupportedError("padding of the batch or the channels")
        sides = tuple((int(begins[a + 2]), int(ends[a + 2])) for a in range(rank))
        self.add(Pad(name=name, inputs=(x.name,), sides=sides, mode=_PAD_MODES[mode]), node.output)  # type: ignore[arg-type]

    def op_DepthToSpace(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        mode = attrs.get("mode", b"DCR")
        if (mode.decode() if isinstance(mode, bytes) else str(mode)) != "CRD":
            raise UnsupportedError("DepthToSpace in DCR order (PyTorch's pixel shuffle is CRD)")
        self.add(PixelShuffle(name=name, inputs=(x.name,), factor=int(attrs["blocksize"])), node.output)  # type: ignore[arg-type]

    def op_SpaceToDepth(self, node: Any, name: str, attrs: dict[str, Any]) -> None:
        x = self.tensor(node.input[0])
        layer = PixelShuffle(name=name, inputs=(x.name,), factor=int(attrs["blocksize"]), unshuffle=True)  # type: ignore[arg-type]
        self.add(layer, node.output)


class _Skip(Exception):
    """An operand is unknown (downstream of an unsupported operator): the node is checked, not imported."""


class _Initializer:
    """A weight or constant stored in the model."""

    def __init__(self, name: str, array: Any) -> None:
        self.name = name
        self.array = array


class _Sizes(list):  # type: ignore[type-arg]
    """The sizes of a tensor (``Shape``): a list, the batch marked, remembering the tensor for provenance."""

    def __init__(self, tensor: TensorValue, dims: list[Any], start: int) -> None:
        super().__init__(dims)
        self.tensor = tensor
        self.start = start


def _numeric(array: Any) -> Any:
    """An array of Python numbers (shape arithmetic) as a numeric array; anything else unchanged."""
    import numpy as np

    if array.dtype != object:
        return array
    flat = array.reshape(-1).tolist()
    if all(isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) for x in flat):
        return np.array(flat).reshape(array.shape)
    return array


def _scale(value: Any) -> Any:
    from fractions import Fraction

    return Fraction(float(value)).limit_denominator(1_000_000)


def _symbol_name(n: Any) -> Any:
    """A dim_param as a symbol name symconv accepts (letters, digits, underscores)."""
    if isinstance(n, str):
        cleaned = "".join(ch if ch.isalnum() else "_" for ch in n)
        return cleaned if cleaned[:1].isalpha() else f"n_{cleaned}"
    return n
