"""The network model: typed layers with explicit inputs, and a Network in topological order.

A :class:`Network` is data only (no arithmetic): the input size ``[H, W, C]``, the layers in an
order where every layer reads only the input or earlier layers, and the endpoint whose receptive
field is the problem's answer. Sizes are Python ints; the input's H, W, C and channel counts may be SymPy symbols.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from symconv.errors import InputError

INPUT = "input"
"""The name under which layers read the network's input."""

Pair = tuple[int, int]


@dataclass(frozen=True)
class Padding:
    """Padding of a windowed layer, in pixels per side, or TensorFlow's ``'same'`` rule.

    ``same=True`` means TensorFlow's 'SAME': the output size is ceil(i / s) and the total padding
    max((o - 1) s + k_eff - i, 0) is split with the smaller half before (top/left) and the extra
    pixel after (bottom/right); it depends on the input size, so it is resolved per layer.
    """

    top: int = 0
    bottom: int = 0
    left: int = 0
    right: int = 0
    same: bool = False

    @classmethod
    def symmetric(cls, p_h: int, p_w: int) -> Padding:
        return cls(p_h, p_h, p_w, p_w)

    @property
    def is_symmetric(self) -> bool:
        return not self.same and self.top == self.bottom and self.left == self.right

    def axis(self, axis: int) -> Pair:
        """(before, after) padding along axis 0 (height) or 1 (width); meaningless when ``same``."""
        return (self.top, self.bottom) if axis == 0 else (self.left, self.right)

    def describe(self) -> str:
        if self.same:
            return "same"
        if self.is_symmetric:
            return str(self.top) if self.top == self.left else f"[{self.top}, {self.left}]"
        return f"[{self.top}, {self.bottom}, {self.left}, {self.right}]"


VALID = Padding()
SAME = Padding(same=True)


@dataclass(frozen=True, kw_only=True)
class Layer:
    """A layer: its unique ``name`` and the names of the tensors it reads (empty: the previous layer)."""

    kind: ClassVar[str] = ""
    arity: ClassVar[int | None] = 1  # number of inputs; None: two or more (merges)
    name: str
    inputs: tuple[str, ...] = ()

    @property
    def type_name(self) -> str:
        """The layer's type as written in problem files (``conv``, ``maxpool``, ``relu`` …)."""
        return self.kind


@dataclass(frozen=True, kw_only=True)
class Conv(Layer):
    """2-D convolution (cross-correlation), ``filters`` output channels, PyTorch's conventions."""

    kind: ClassVar[str] = "conv"
    filters: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Padding = VALID
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True, kw_only=True)
class ConvTranspose(Layer):
    """Transposed convolution (PyTorch's ConvTranspose2d): padding per side, output padding added after."""

    kind: ClassVar[str] = "conv_transpose"
    filters: int
    kernel: Pair
    stride: Pair = (1, 1)
    padding: Pair = (0, 0)
    output_padding: Pair = (0, 0)
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True


@dataclass(frozen=True, kw_only=True)
class Pool(Layer):
    """Max or average pooling over windows; ``stride`` defaults to the kernel as in PyTorch."""

    kind: ClassVar[str] = "pool"
    op: str = "max"  # "max" or "avg"
    kernel: Pair
    stride: Pair
    padding: Padding = VALID
    dilation: Pair = (1, 1)
    ceil_mode: bool = False

    @property
    def type_name(self) -> str:
        return f"{self.op}pool"


@dataclass(frozen=True, kw_only=True)
class GlobalPool(Layer):
    """Pooling over the whole map: the output is 1 × 1 × C."""

    kind: ClassVar[str] = "global_pool"
    op: str = "avg"

    @property
    def type_name(self) -> str:
        return f"global_{self.op}pool"


@dataclass(frozen=True, kw_only=True)
class AdaptiveAvgPool(Layer):
    """PyTorch's AdaptiveAvgPool2d: a fixed output size; window j spans [floor(j·i/o), ceil((j+1)·i/o))."""

    kind: ClassVar[str] = "adaptive_avgpool"
    output: Pair


@dataclass(frozen=True, kw_only=True)
class Linear(Layer):
    """Fully connected layer; reads a flat vector (after flatten) or a 1 × 1 map (after global pooling)."""

    kind: ClassVar[str] = "linear"
    outputs: int
    bias: bool = True


@dataclass(frozen=True, kw_only=True)
class Add(Layer):
    """Element-wise sum of two or more tensors of the same shape (a residual connection)."""

    kind: ClassVar[str] = "add"
    arity: ClassVar[int | None] = None


@dataclass(frozen=True, kw_only=True)
class Concat(Layer):
    """Concatenation along the channels of maps with the same spatial size (or of flat vectors)."""

    kind: ClassVar[str] = "concat"
    arity: ClassVar[int | None] = None


@dataclass(frozen=True, kw_only=True)
class Flatten(Layer):
    """H × W × C map to a vector of H·W·C features."""

    kind: ClassVar[str] = "flatten"


@dataclass(frozen=True, kw_only=True)
class BatchNorm(Layer):
    """Batch normalisation: shape-neutral; γ and β per channel when ``affine``."""

    kind: ClassVar[str] = "batchnorm"
    affine: bool = True


@dataclass(frozen=True, kw_only=True)
class Activation(Layer):
    """An element-wise activation (``function``: relu, gelu, sigmoid, …): shape-neutral, no parameters."""

    kind: ClassVar[str] = "activation"
    function: str = "relu"

    @property
    def type_name(self) -> str:
        return self.function


@dataclass(frozen=True, kw_only=True)
class Dropout(Layer):
    """Dropout: shape-neutral, no parameters, no cost at inference."""

    kind: ClassVar[str] = "dropout"
    rate: Any = 0


@dataclass(frozen=True, kw_only=True)
class Identity(Layer):
    """Passes its input through unchanged."""

    kind: ClassVar[str] = "identity"


@dataclass(frozen=True)
class Network:
    """A network: input ``(H, W, C)``, layers in topological order, and the endpoint layer's name.

    On construction every layer's ``inputs`` is made explicit (the previous layer, or the input
    for the first layer), and names, references and arities are checked.

    Raises:
        InputError: duplicate or reserved names, a layer reading an unknown or later layer
            (which also rules out cycles), a merge with fewer than two inputs, an unknown endpoint.
    """

    input: tuple[Any, Any, int]
    layers: tuple[Layer, ...]
    endpoint: str = ""
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.layers:
            raise InputError("layers", [], "a network needs at least one layer")
        resolved: list[Layer] = []
        index: dict[str, int] = {}
        previous = INPUT
        for position, layer in enumerate(self.layers):
            where = f"layers[{position}] ({layer.name!r})"
            if layer.name == INPUT:
                raise InputError(f"{where}.name", layer.name, f"{INPUT!r} is reserved for the network's input")
            if layer.name in index:
                raise InputError(f"{where}.name", layer.name, "duplicate layer name")
            inputs = layer.inputs or (previous,)
            for source in inputs:
                if source == layer.name:
                    raise InputError(f"{where}.input", source, "a layer cannot read itself (a cycle)")
                if source != INPUT and source not in index:
                    later = any(other.name == source for other in self.layers[position + 1 :])
                    reason = (
                        "reads a later layer (layers must be listed so that each reads only earlier ones; "
                        "a cycle is not allowed)"
                        if later
                        else "unknown layer"
                    )
                    raise InputError(f"{where}.input", source, reason)
            if layer.arity is None and len(inputs) < 2:
                raise InputError(f"{where}.input", list(inputs), f"{layer.kind} needs a list of two or more inputs")
            if layer.arity == 1 and len(inputs) != 1:
                raise InputError(f"{where}.input", list(inputs), f"{layer.kind} reads exactly one input")
            resolved.append(layer if layer.inputs == inputs else replace(layer, inputs=tuple(inputs)))
            index[layer.name] = position
            previous = layer.name
        object.__setattr__(self, "layers", tuple(resolved))
        object.__setattr__(self, "index", index)
        endpoint = self.endpoint or self.layers[-1].name
        if endpoint not in index:
            raise InputError("endpoint", endpoint, "no layer has this name")
        object.__setattr__(self, "endpoint", endpoint)

    def layer(self, name: str) -> Layer:
        """The layer called ``name``."""
        if name not in self.index:
            raise InputError("layer", name, "no layer has this name")
        return self.layers[self.index[name]]
