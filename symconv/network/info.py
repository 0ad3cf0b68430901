"""What the network walk computes: counting conventions, receptive fields per axis, one row per layer, the totals.

Plain data, shared by the walk (symconv.network.analysis), the layer kinds (symconv.network.kinds)
and the problem (symconv.network.problem). A receptive field is kept per spatial axis, so a layer
kind of any spatial rank fits the same structures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any

from symconv.catalogue.rules import AxisField, LayerCosts, Merge, Window
from symconv.core.richtext import rich
from symconv.errors import InputError

if TYPE_CHECKING:
    from symconv.network.model import Layer, Network

AXES = ("height", "width")
"""Names of the spatial axes of an H × W × C map, in order."""

AXIS_NAMES = {1: ("length",), 2: AXES, 3: ("depth", "height", "width")}
"""Names of the spatial axes of a map by its number of spatial axes: L × C, H × W × C, D × H × W × C."""


def axis_name(axis: int, rank: int) -> str:
    """The name of spatial axis ``axis`` of a map with ``rank`` spatial axes ('height', 'depth', 'length' …)."""
    return AXIS_NAMES[rank][axis]


@dataclass(frozen=True)
class Counting:
    """What the totals count. The defaults are those of torchvision's published figures.

    Attributes:
        bias: biases count as parameters (convolutions, linear layers).
        batchnorm: batch normalisation's γ and β count as parameters (2 per channel).
        other_ops: pooling, batch norm, activations and additions are charged operations, per element
            as ptflops' module rules charge them (see :meth:`conventions`); off by default, when only convolutions and
            linear layers cost MACs.
    """

    bias: bool = True
    batchnorm: bool = True
    other_ops: bool = False

    def conventions(self) -> dict[str, str]:
        """The counting conventions as sentences, keyed by topic (printed next to the totals)."""
        from symconv.network.model import layer_kinds

        params = "Weights of convolutions and linear layers"
        params += ", plus their biases" if self.bias else " (biases not counted)"
        params += (
            ", plus batch normalisation's γ and β (2 per channel); running mean and variance are buffers, not parameters."
            if self.batchnorm
            else "; batch normalisation not counted."
        )
        macs = rich(
            "MACs (multiply-accumulates): convolutions $k_h k_w C_in/g$ per output element and linear layers "
            "$n_in$ per output; the bias addition is not a MAC; a transposed convolution is counted over its "
            "input positions (each input element is multiplied by $k_h k_w C_out/g$ weights)."
        )
        kinds = [k for k in layer_kinds() if not k.macs_layer]
        charged = _unique(k.per_element_rule for k in kinds if k.per_element_rule)
        free = _unique(k.label for k in kinds if not k.per_element_rule)
        if self.other_ops:
            macs += (
                " Other layers are charged per element, following ptflops' rules for modules: "
                + ", ".join(charged)
                + "; "
                + _and(free)
                + " none."
            )
        else:
            macs += " " + _and(_unique(k.label for k in kinds)).capitalize() + " cost none."
        return {
            "parameters": params,
            "macs": macs,
            "receptive_field": rich(
                "Receptive field $RF$, effective stride $S$ and effective (top/left) padding $P$ per axis, in "
                "input pixels (Araujo, Norris & Sim, Distill 2019): $RF_0 = 1$, $S_0 = 1$, $P_0 = 0$; "
                "$RF_n = RF_(n−1) + (k_eff − 1) S_(n−1)$, $S_n = S_(n−1) s_n$, $P_n = P_(n−1) + p_n S_(n−1)$. Where "
                "paths merge, the receptive field spans all paths' fields (the largest one when the paths are aligned: "
                "same effective stride and same centres). Global pooling and flatten read the whole map (a window as "
                "large as the map). Where a path is broadcast (a squeeze-excitation gate) every output reads the same "
                "pixels: effective stride $0$. Interpolation by a whole factor $s$ is a transposed window of stride "
                "$s$ (a window of stride $s$ when it shrinks), as is pixel shuffle."
            ),
            "padding": rich(
                "'same' is TensorFlow's rule: output $⌈i/s⌉$, total padding $max((o − 1)s + k_eff − i, 0)$, the extra "
                "pixel at the bottom/right; it depends on the input size. 'valid' is no padding."
            ),
        }


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Field:
    """Receptive field, effective stride (jump) and effective padding per spatial axis, in input pixels.

    None along an axis where it is unknown (adaptive pooling of a symbolic size).
    """

    rf: tuple[Any, ...]
    jump: tuple[Any, ...]
    pad: tuple[Any, ...]

    @classmethod
    def start(cls, rank: int = 2) -> Field:
        """RF_0 = 1, S_0 = 1, P_0 = 0 along every axis: a single input pixel."""
        return cls((1,) * rank, (1,) * rank, (0,) * rank)

    @classmethod
    def of(cls, axes: Sequence[AxisField | None]) -> Field:
        return cls(
            tuple(None if a is None else a.rf for a in axes),
            tuple(None if a is None else a.jump for a in axes),
            tuple(None if a is None else a.pad for a in axes),
        )

    def axis(self, a: int) -> AxisField | None:
        """The field along axis ``a`` (None when unknown)."""
        if self.rf[a] is None:
            return None
        return AxisField(self.rf[a], self.jump[a], self.pad[a])

    @property
    def rank(self) -> int:
        return len(self.rf)


INPUT_FIELD = Field.start(2)
"""The receptive field of the network's input: one pixel along each axis."""

Source = tuple[tuple[Any, ...], Field]
"""What a layer reads from one input: the tensor's shape and its receptive field."""


@dataclass
class LayerInfo:
    """Everything computed for one layer (the row of the table, and what its derivation needs).

    ``windows`` (one per spatial axis) for windowed layers, ``costs`` for convolutions and linear
    layers, ``merges`` (one per axis) where paths merge: the derivation reads these, never recomputes.
    """

    layer: Layer | None
    name: str
    type: str
    inputs: tuple[str, ...]
    input_shapes: tuple[tuple[Any, ...], ...]
    shape: tuple[Any, ...]
    field: Field
    weights: Any = 0
    biases: Any = 0
    parameters: Any = 0
    macs: Any = 0
    costs: LayerCosts | None = None
    windows: tuple[Window, ...] | None = None
    merges: tuple[Merge | None, ...] | None = None
    warnings: list[str] = dc_field(default_factory=list)


def make_info(layer: Layer, sources: Sequence[Source], shape: tuple[Any, ...], fld: Field, **kw: Any) -> LayerInfo:
    """The row of ``layer``, reading ``sources``, with output ``shape`` and receptive field ``fld``."""
    return LayerInfo(
        layer=layer,
        name=layer.name,
        type=layer.type_name,
        inputs=layer.inputs,
        input_shapes=tuple(s for s, _ in sources),
        shape=shape,
        field=fld,
        **kw,
    )


def is_map(shape: tuple[Any, ...]) -> bool:
    """Whether a tensor is a map (spatial axes, then the channels) rather than a flat vector of features."""
    return len(shape) >= 2


def spatial(layer: Layer, shape: tuple[Any, ...], rank: int | None = None) -> tuple[tuple[Any, ...], Any]:
    """(the sizes along the spatial axes, the channels) of a map; a clear error for a flat vector, or for a
    map with other than ``rank`` spatial axes (when given)."""
    if not is_map(shape):
        raise InputError(
            f"{layer.name}.input",
            layer.inputs[0],
            f"{layer.type_name} needs a map (H × W × C, L × C or D × H × W × C), but reads a flat vector of "
            f"{shape[0]} features",
        )
    sizes = shape[:-1]
    if rank is not None and len(sizes) != rank:
        raise InputError(
            f"{layer.name}.input",
            layer.inputs[0],
            f"{layer.type_name} is a {rank}-D layer, but reads a {len(sizes)}-D map ({shape_text(shape)})",
        )
    return tuple(shape[:-1]), shape[-1]


def shape_text(shape: tuple[Any, ...]) -> str:
    return " × ".join(str(n) for n in shape)


@dataclass
class Analysis:
    """The per-layer table and totals of a network under a counting convention."""

    network: Network
    counting: Counting
    layers: list[LayerInfo]
    by_name: dict[str, LayerInfo] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {info.name: info for info in self.layers}

    @property
    def parameters(self) -> Any:
        from symconv.catalogue.backend import NUMERIC

        return NUMERIC.total(info.parameters for info in self.layers)

    @property
    def macs(self) -> Any:
        from symconv.catalogue.backend import NUMERIC

        return NUMERIC.total(info.macs for info in self.layers)

    @property
    def endpoint(self) -> LayerInfo:
        return self.by_name[self.network.endpoint]

    @property
    def warnings(self) -> list[str]:
        return [w for info in self.layers for w in info.warnings]
