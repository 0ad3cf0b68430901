"""Per-layer output shapes, receptive fields, parameters and MACs of a network, from its architecture alone.

One walk over the layers in topological order evaluates the catalogue formulas
(symconv/catalogue/) through an :class:`Ops` object. :data:`NUMERIC` evaluates them on exact
ints and fractions; this module imports neither SymPy nor torch, so the numeric table of a
whole network is cheap. symconv.network.symbolic supplies the Ops that keep H and W as symbols,
so the closed forms and the numbers come from the same walk and cannot disagree.

Receptive fields follow Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional
Neural Networks", Distill 2019: per axis, the receptive field RF, the effective stride S and the
effective (top/left) padding P, all in input pixels, with RF_0 = 1, S_0 = 1, P_0 = 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from fractions import Fraction
from itertools import pairwise
from typing import Any

from symconv.catalogue import (
    BATCHNORM_PARAMETERS,
    CHANNELS_PER_GROUP,
    CONV_BIASES,
    CONV_MACS,
    CONV_OUTPUT_ASYMMETRIC,
    CONV_WEIGHTS,
    EFFECTIVE_KERNEL,
    EFFECTIVE_PADDING_STEP,
    JUMP_STEP,
    LAST_WINDOW_START,
    MACS_PER_OUTPUT,
    POOL_OUTPUT_CEIL,
    RECEPTIVE_FIELD_START,
    RECEPTIVE_FIELD_STEP,
    RECEPTIVE_FIELD_UNION,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_TOTAL,
    TRANSPOSED_JUMP_STEP,
    TRANSPOSED_OUTPUT,
    TRANSPOSED_PADDING_STEP,
    TRANSPOSED_TAPS,
)
from symconv.core.arith import is_symbolic
from symconv.core.formula import Formula
from symconv.core.richtext import rich
from symconv.errors import InputError, UnsupportedError
from symconv.network.model import (
    INPUT,
    Activation,
    AdaptiveAvgPool,
    Add,
    BatchNorm,
    Concat,
    Conv,
    ConvTranspose,
    Dropout,
    Flatten,
    GlobalPool,
    Identity,
    Layer,
    Linear,
    Network,
    Padding,
    Pool,
)

AXES = ("height", "width")


# --- counting conventions ---------------------------------------------------------------------


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
        params = "Parameters: weights of convolutions and linear layers"
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
        if self.other_ops:
            macs += (
                " Other layers are charged per element, following ptflops' rules for modules: pooling one operation per input element, "
                "batch normalisation one per element (two when affine), an activation one per output element, "
                "an addition of n tensors n - 1 per output element; flatten, concat, dropout and identity none."
            )
        else:
            macs += " Pooling, batch normalisation, activations, additions and concatenations cost none."
        return {
            "parameters": params,
            "macs": macs,
            "receptive_field": rich(
                "Receptive field $RF$, effective stride $S$ and effective (top/left) padding $P$ per axis, in "
                "input pixels (Araujo, Norris & Sim, Distill 2019): $RF_0 = 1$, $S_0 = 1$, $P_0 = 0$; "
                "$RF_n = RF_(n−1) + (k_eff − 1) S_(n−1)$, $S_n = S_(n−1) s_n$, $P_n = P_(n−1) + p_n S_(n−1)$. Where "
                "paths merge, the receptive field spans all paths' fields (the largest one when the paths are aligned: "
                "same effective stride and same centres). Global pooling and flatten read the whole map (a window as "
                "large as the map)."
            ),
            "padding": rich(
                "'same' is TensorFlow's rule: output $⌈i/s⌉$, total padding $max((o − 1)s + k_eff − i, 0)$, the extra "
                "pixel at the bottom/right; it depends on the input size. 'valid' is no padding."
            ),
        }


# --- arithmetic backend -----------------------------------------------------------------------


class Ops:
    """Exact numeric arithmetic for the walk (ints and Fractions, no SymPy).

    The symbolic backend overrides these so the same walk yields closed forms in H and W.
    """

    symbolic = False

    def ev(self, formula: Formula, *args: Any) -> Any:
        """The formula's value at ``args`` (positional, in the formula's parameter order)."""
        return formula(*args)

    def compare(self, a: Any, b: Any) -> int | None:
        """-1, 0 or 1 as a <, =, > b; None when it cannot be decided (symbolic sizes)."""
        return (a > b) - (a < b)

    def minimum(self, values: Sequence[Any]) -> Any:
        return min(values)

    def maximum(self, values: Sequence[Any]) -> Any:
        return max(values)

    def is_number(self, value: Any) -> bool:
        return True


NUMERIC = Ops()


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Geometry of a windowed layer along one axis: input i, kernel k, stride s, dilation d,
    effective kernel k_eff, padding before/after (p_b, p_e), output o; ``same_total`` is the
    total padding TensorFlow's 'same' rule chose (None for explicit padding)."""

    i: Any
    k: Any
    s: Any
    d: Any
    k_eff: Any
    p_b: Any
    p_e: Any
    o: Any
    same_total: Any = None
    ceil_mode: bool = False
    dropped_last: bool = False


@dataclass(frozen=True)
class Field:
    """Receptive field data along the (height, width) axes, in input pixels; None when unknown."""

    rf: tuple[Any, Any]
    jump: tuple[Any, Any]
    pad: tuple[Any, Any]


@dataclass
class LayerInfo:
    """Everything computed for one layer (the row of the table, and what its derivation needs)."""

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
    macs_per_output: Any = None
    channels_per_group: Any = None
    windows: tuple[Window, Window] | None = None
    warnings: list[str] = dc_field(default_factory=list)


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
        return sum((info.parameters for info in self.layers), 0)

    @property
    def macs(self) -> Any:
        return sum((info.macs for info in self.layers), 0)

    @property
    def endpoint(self) -> LayerInfo:
        return self.by_name[self.network.endpoint]

    @property
    def warnings(self) -> list[str]:
        return [w for info in self.layers for w in info.warnings]


# --- the walk ---------------------------------------------------------------------------------


def analyse(network: Network, counting: Counting | None = None, ops: Ops = NUMERIC) -> Analysis:
    """Output shape, receptive field, effective stride and padding, parameters and MACs of every layer.

    Args:
        network: the architecture (see :mod:`symconv.network.model`).
        counting: the counting conventions (default: torchvision's, see :class:`Counting`).
        ops: the arithmetic backend (exact numbers by default).

    Returns:
        An :class:`Analysis`; sizes in pixels, receptive fields in input pixels.

    Raises:
        InputError: a kernel larger than its padded input, an add of mismatched shapes, a concat of
            mismatched spatial sizes, paths merging with different effective strides, channels that
            do not divide into the groups, a linear layer reading a map larger than 1 × 1.
    """
    counting = counting or Counting()
    H, W, C = network.input
    tensors: dict[str, tuple[tuple[Any, ...], Field]] = {INPUT: ((H, W, C), Field((1, 1), (1, 1), (0, 0)))}
    infos: list[LayerInfo] = []
    for layer in network.layers:
        sources = [tensors[name] for name in layer.inputs]
        handler = _HANDLERS.get(type(layer))
        if handler is None:
            raise UnsupportedError(f"layer {layer.name!r}: no rule for {type(layer).__name__}")
        info = handler(layer, sources, counting, ops)
        infos.append(info)
        tensors[layer.name] = (info.shape, info.field)
    return Analysis(network, counting, infos)


Handler = Callable[[Any, list[tuple[tuple[Any, ...], Field]], Counting, Ops], LayerInfo]


def _elements(shape: tuple[Any, ...]) -> Any:
    total: Any = 1
    for n in shape:
        total = total * n
    return total


def _spatial(layer: Layer, shape: tuple[Any, ...]) -> tuple[Any, Any, Any]:
    if len(shape) != 3:
        raise InputError(
            f"{layer.name}.input",
            layer.inputs[0],
            f"{layer.type_name} needs an H × W × C map, but reads a flat vector of {shape[0]} features",
        )
    return shape[0], shape[1], shape[2]


def _info(
    layer: Layer, sources: list[tuple[tuple[Any, ...], Field]], shape: tuple[Any, ...], fld: Field, **kw: Any
) -> LayerInfo:
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


def _window(
    layer: Layer, axis: int, i: Any, k: Any, s: Any, d: Any, padding: Padding, ceil_mode: bool, ops: Ops
) -> Window:
    """Output size and padding of a window sliding along one axis (convolution or pooling)."""
    k_eff = k if d == 1 else ops.ev(EFFECTIVE_KERNEL, k, d)
    if padding.same:
        # TensorFlow's 'SAME': size first, then the padding that produces it.
        o = ops.ev(TF_SAME_OUTPUT, i, s)
        total = ops.ev(TF_SAME_PADDING_TOTAL, o, s, k_eff, i)
        p_b = ops.ev(TF_SAME_PADDING_BEGIN, total)
        p_e = ops.ev(TF_SAME_PADDING_END, total, p_b)
        return Window(i, k, s, d, k_eff, p_b, p_e, o, same_total=total)
    p_b, p_e = padding.axis(axis)
    if ops.compare(i + p_b + p_e, k_eff) == -1:
        raise InputError(
            f"{layer.name}.kernel",
            k,
            f"the {'dilated ' if d != 1 else ''}kernel spans {k_eff} pixels along the {AXES[axis]}, more than the "
            f"padded input {i} + {p_b} + {p_e} = {i + p_b + p_e}",
        )
    if not ceil_mode:
        return Window(i, k, s, d, k_eff, p_b, p_e, ops.ev(CONV_OUTPUT_ASYMMETRIC, i, k, s, p_b, p_e, d))
    if p_b != p_e:
        raise InputError(f"{layer.name}.padding", padding.describe(), "ceil_mode needs the same padding on both sides")
    o = ops.ev(POOL_OUTPUT_CEIL, i, k, s, p_b, d)
    # PyTorch drops a last window that would start inside the right padding. That needs
    # (o - 1) s >= i + p, impossible when p + s <= k_eff (the common pools), so it is only tested otherwise.
    dropped = False
    if p_b + s > k_eff:
        verdict = ops.compare(ops.ev(LAST_WINDOW_START, o, s), i + p_b)
        if verdict is None:
            raise UnsupportedError(f"layer {layer.name!r}: ceil_mode with this padding needs a numeric input size")
        if verdict >= 0:
            o, dropped = o - 1, True
    return Window(i, k, s, d, k_eff, p_b, p_e, o, ceil_mode=True, dropped_last=dropped)


def _window_field(fld: Field, windows: Sequence[Window], ops: Ops) -> Field:
    rf: list[Any] = []
    jump: list[Any] = []
    pad: list[Any] = []
    for axis, w in enumerate(windows):
        r, j, p = fld.rf[axis], fld.jump[axis], fld.pad[axis]
        if r is None:
            rf.append(None)
            jump.append(None)
            pad.append(None)
            continue
        rf.append(ops.ev(RECEPTIVE_FIELD_STEP, r, w.k_eff, j))
        pad.append(ops.ev(EFFECTIVE_PADDING_STEP, p, w.p_b, j))
        jump.append(ops.ev(JUMP_STEP, j, w.s))
    return Field((rf[0], rf[1]), (jump[0], jump[1]), (pad[0], pad[1]))


def _grouped_input(layer: Conv | ConvTranspose, shape: tuple[Any, ...]) -> tuple[Any, Any, Any]:
    """(H, W, C_in) of a convolution's input, after checking the groups divide both channel counts."""
    h, w, c_in = _spatial(layer, shape)
    # symbolic channel counts (C, "filters = N") are assumed to divide into the groups
    if any(not is_symbolic(n) and n % layer.groups for n in (c_in, layer.filters)):
        raise InputError(
            f"{layer.name}.groups",
            layer.groups,
            f"must divide the input channels ({c_in}) and the filters ({layer.filters})",
        )
    return h, w, c_in


def _conv(layer: Conv, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    h, w, c_in = _grouped_input(layer, shape)
    windows = tuple(
        _window(layer, a, i, layer.kernel[a], layer.stride[a], layer.dilation[a], layer.padding, False, ops)
        for a, i in enumerate((h, w))
    )
    k_h, k_w = layer.kernel
    c_g = ops.ev(CHANNELS_PER_GROUP, c_in, layer.groups)
    weights = ops.ev(CONV_WEIGHTS, k_h, k_w, c_g, layer.filters)
    biases = ops.ev(CONV_BIASES, layer.filters) if layer.bias else 0
    per_output = ops.ev(MACS_PER_OUTPUT, k_h, k_w, c_g)
    macs = ops.ev(CONV_MACS, windows[0].o, windows[1].o, layer.filters, per_output)
    return _info(
        layer,
        sources,
        (windows[0].o, windows[1].o, layer.filters),
        _window_field(fld, windows, ops),
        weights=weights,
        biases=biases,
        parameters=weights + (biases if counting.bias else 0),
        macs=macs,
        macs_per_output=per_output,
        channels_per_group=c_g,
        windows=windows,
    )


def _conv_transpose(layer: ConvTranspose, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    h, w, c_in = _grouped_input(layer, shape)
    windows = []
    rf: list[Any] = []
    jump: list[Any] = []
    pad: list[Any] = []
    for a, i in enumerate((h, w)):
        k, s, d, p, extra = (
            layer.kernel[a],
            layer.stride[a],
            layer.dilation[a],
            layer.padding[a],
            layer.output_padding[a],
        )
        o = ops.ev(TRANSPOSED_OUTPUT, i, k, s, p, d, extra)
        if ops.compare(o, 1) == -1:
            raise InputError(f"{layer.name}.padding", p, f"leaves an output of {o} pixels along the {AXES[a]}")
        k_eff = k if d == 1 else ops.ev(EFFECTIVE_KERNEL, k, d)
        windows.append(Window(i, k, s, d, k_eff, p, p, o))
        r, j, P = fld.rf[a], fld.jump[a], fld.pad[a]
        if r is None:
            rf.append(None)
            jump.append(None)
            pad.append(None)
            continue
        rf.append(ops.ev(RECEPTIVE_FIELD_STEP, r, ops.ev(TRANSPOSED_TAPS, k_eff, s), j))
        pad.append(ops.ev(TRANSPOSED_PADDING_STEP, P, k_eff, p, s, j))
        jump.append(ops.ev(TRANSPOSED_JUMP_STEP, j, s))
    k_h, k_w = layer.kernel
    # Weights are stored [C_in, C_out/g, k_h, k_w]: the same count as a convolution from C_out to C_in.
    c_g = ops.ev(CHANNELS_PER_GROUP, layer.filters, layer.groups)
    weights = ops.ev(CONV_WEIGHTS, k_h, k_w, c_g, c_in)
    biases = ops.ev(CONV_BIASES, layer.filters) if layer.bias else 0
    # Counted over input positions: each input element is multiplied by k_h k_w C_out/g weights.
    per_input = ops.ev(MACS_PER_OUTPUT, k_h, k_w, c_g)
    macs = ops.ev(CONV_MACS, h, w, c_in, per_input)
    info = _info(
        layer,
        sources,
        (windows[0].o, windows[1].o, layer.filters),
        Field((rf[0], rf[1]), (jump[0], jump[1]), (pad[0], pad[1])),
        weights=weights,
        biases=biases,
        parameters=weights + (biases if counting.bias else 0),
        macs=macs,
        macs_per_output=per_input,
        channels_per_group=c_g,
        windows=(windows[0], windows[1]),
    )
    if any(s != 1 for s in layer.stride):
        info.warnings.append(
            f"{layer.name}: a strided transposed convolution's receptive field depends on the output position; "
            "the largest is reported, the effective stride is a fraction of an input pixel"
        )
    return info


def _pool(layer: Pool, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    h, w, c = _spatial(layer, shape)
    windows = tuple(
        _window(layer, a, i, layer.kernel[a], layer.stride[a], layer.dilation[a], layer.padding, layer.ceil_mode, ops)
        for a, i in enumerate((h, w))
    )
    return _info(
        layer,
        sources,
        (windows[0].o, windows[1].o, c),
        _window_field(fld, windows, ops),
        macs=_elements(shape) if counting.other_ops else 0,
        windows=windows,
    )


def _whole_map_field(fld: Field, sizes: Sequence[Any], ops: Ops) -> Field:
    """A layer reading the whole map: a window as large as the map (Distill's global pooling)."""
    rf: list[Any] = []
    jump: list[Any] = []
    for a, n in enumerate(sizes):
        if fld.rf[a] is None:
            rf.append(None)
            jump.append(None)
            continue
        rf.append(ops.ev(RECEPTIVE_FIELD_STEP, fld.rf[a], n, fld.jump[a]))
        jump.append(ops.ev(JUMP_STEP, fld.jump[a], n))
    return Field((rf[0], rf[1]), (jump[0], jump[1]), fld.pad)


def _global_pool(layer: GlobalPool, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    h, w, c = _spatial(layer, shape)
    return _info(
        layer,
        sources,
        (1, 1, c),
        _whole_map_field(fld, (h, w), ops),
        macs=_elements(shape) if counting.other_ops else 0,
    )


def _adaptive_windows(i: int, o: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive pooling windows [floor(j i / o), ceil((j + 1) i / o)) for j < o."""
    return [((j * i) // o, -((-(j + 1) * i) // o)) for j in range(o)]


def _adaptive(layer: AdaptiveAvgPool, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    h, w, c = _spatial(layer, shape)
    rf, jump, pad = list(fld.rf), list(fld.jump), list(fld.pad)
    warnings = []
    for a, (i, o) in enumerate(zip((h, w), layer.output)):
        if rf[a] is None:
            continue
        if o == 1:
            rf[a] = ops.ev(RECEPTIVE_FIELD_STEP, rf[a], i, jump[a])
            jump[a] = ops.ev(JUMP_STEP, jump[a], i)
            continue
        if not ops.is_number(i):
            rf[a] = jump[a] = pad[a] = None
            warnings.append(
                f"{layer.name}: adaptive pooling to {o} of a symbolic size has no single window; "
                f"receptive field unknown along the {AXES[a]}"
            )
            continue
        spans = _adaptive_windows(int(i), o)
        k = max(end - start for start, end in spans)
        strides = {b[0] - a_[0] for a_, b in pairwise(spans)}
        s = strides.pop() if len(strides) == 1 else min(strides, default=1)
        if strides or i % o:
            warnings.append(
                f"{layer.name}: {i} does not divide into {o} windows along the {AXES[a]}; the windows vary, "
                f"the largest ({k}) gives the receptive field"
            )
        rf[a] = ops.ev(RECEPTIVE_FIELD_STEP, rf[a], k, jump[a])
        jump[a] = ops.ev(JUMP_STEP, jump[a], s)
    info = _info(
        layer,
        sources,
        (layer.output[0], layer.output[1], c),
        Field((rf[0], rf[1]), (jump[0], jump[1]), (pad[0], pad[1])),
        macs=_elements(shape) if counting.other_ops else 0,
    )
    info.warnings.extend(warnings)
    return info


def _linear(layer: Linear, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    if len(shape) == 3:
        if ops.compare(shape[0], 1) != 0 or ops.compare(shape[1], 1) != 0:
            raise InputError(
                f"{layer.name}.input",
                layer.inputs[0],
                f"a linear layer reads a flat vector or a 1 × 1 map, not {shape[0]} × {shape[1]} × {shape[2]}; "
                "add a flatten or a global_avgpool layer before it",
            )
        n_in = shape[2]
    else:
        n_in = shape[0]
    # A linear layer is a 1 × 1 convolution on a 1 × 1 map.
    weights = ops.ev(CONV_WEIGHTS, 1, 1, n_in, layer.outputs)
    biases = ops.ev(CONV_BIASES, layer.outputs) if layer.bias else 0
    per_output = ops.ev(MACS_PER_OUTPUT, 1, 1, n_in)
    return _info(
        layer,
        sources,
        (layer.outputs,),
        fld,
        weights=weights,
        biases=biases,
        parameters=weights + (biases if counting.bias else 0),
        macs=ops.ev(CONV_MACS, 1, 1, layer.outputs, per_output),
        macs_per_output=per_output,
        channels_per_group=n_in,
    )


def _flatten(layer: Flatten, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    if len(shape) == 1:
        return _info(layer, sources, shape, fld)
    return _info(layer, sources, (_elements(shape),), _whole_map_field(fld, shape[:2], ops))


def _merge_field(layer: Layer, fields: list[Field], ops: Ops) -> tuple[Field, list[str]]:
    """Where paths merge: the span of all paths' receptive fields, after checking they are aligned."""
    rf: list[Any] = []
    jump: list[Any] = []
    pad: list[Any] = []
    warnings: list[str] = []
    for a in range(2):
        if any(f.rf[a] is None for f in fields):
            rf.append(None)
            jump.append(None)
            pad.append(None)
            continue
        jumps = [f.jump[a] for f in fields]
        for other in jumps[1:]:
            verdict = ops.compare(other, jumps[0])
            if verdict is None:
                warnings.append(
                    f"{layer.name}: could not prove the effective strides {jumps} equal along the {AXES[a]}"
                )
            elif verdict != 0:
                raise InputError(
                    f"{layer.name}.input",
                    list(layer.inputs),
                    f"the paths have different effective strides along the {AXES[a]} ({', '.join(map(str, jumps))} "
                    "input pixels): they are not aligned",
                )
        starts = [ops.ev(RECEPTIVE_FIELD_START, 0, f.jump[a], f.pad[a]) for f in fields]
        ends = [start + f.rf[a] - 1 for start, f in zip(starts, fields)]
        # Centres of output 0, doubled to stay in integers: 2u + RF - 1.
        centres = [2 * start + f.rf[a] - 1 for start, f in zip(starts, fields)]
        verdicts = [ops.compare(c, centres[0]) for c in centres[1:]]
        if any(v != 0 for v in verdicts):
            shown = ", ".join(str(Fraction(c, 2)) if not ops.symbolic else f"({c})/2" for c in centres)
            warnings.append(
                f"{layer.name}: the paths are {'not provably' if None in verdicts else 'not'} aligned along the "
                f"{AXES[a]} (receptive-field centres of output 0 at {shown} input pixels); the span of all paths is reported"
            )
        start, end = ops.minimum(starts), ops.maximum(ends)
        rf.append(ops.ev(RECEPTIVE_FIELD_UNION, end, start))
        jump.append(jumps[0])
        pad.append(-start)
    return Field((rf[0], rf[1]), (jump[0], jump[1]), (pad[0], pad[1])), warnings


def _same_shape(ops: Ops, a: tuple[Any, ...], b: tuple[Any, ...]) -> bool | None:
    if len(a) != len(b):
        return False
    verdicts = [ops.compare(x, y) for x, y in zip(a, b)]
    if any(v not in (0, None) for v in verdicts):
        return False
    return None if None in verdicts else True


def _shape_text(shape: tuple[Any, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def _add(layer: Add, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    shapes = [s for s, _ in sources]
    warnings = []
    for name, other in zip(layer.inputs[1:], shapes[1:]):
        same = _same_shape(ops, shapes[0], other)
        if same is False:
            raise InputError(
                f"{layer.name}.input",
                list(layer.inputs),
                f"add needs equal shapes, but {layer.inputs[0]!r} is {_shape_text(shapes[0])} and {name!r} is {_shape_text(other)}",
            )
        if same is None:
            warnings.append(
                f"{layer.name}: could not prove the shapes {_shape_text(shapes[0])} and {_shape_text(other)} equal"
            )
    fld, merge_warnings = _merge_field(layer, [f for _, f in sources], ops)
    info = _info(
        layer,
        sources,
        shapes[0],
        fld,
        macs=(len(sources) - 1) * _elements(shapes[0]) if counting.other_ops else 0,
    )
    info.warnings.extend(warnings + merge_warnings)
    return info


def _concat(layer: Concat, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    shapes = [s for s, _ in sources]
    warnings = []
    if any(len(s) != len(shapes[0]) for s in shapes):
        raise InputError(f"{layer.name}.input", list(layer.inputs), "concat cannot join maps and flat vectors")
    if len(shapes[0]) == 1:
        shape: tuple[Any, ...] = (sum((s[0] for s in shapes), 0),)
    else:
        for name, other in zip(layer.inputs[1:], shapes[1:]):
            same = _same_shape(ops, shapes[0][:2], other[:2])
            if same is False:
                raise InputError(
                    f"{layer.name}.input",
                    list(layer.inputs),
                    f"concat needs equal spatial sizes, but {layer.inputs[0]!r} is {_shape_text(shapes[0])} and "
                    f"{name!r} is {_shape_text(other)}",
                )
            if same is None:
                warnings.append(
                    f"{layer.name}: could not prove the spatial sizes of {_shape_text(shapes[0])} and {_shape_text(other)} equal"
                )
        shape = (shapes[0][0], shapes[0][1], sum((s[2] for s in shapes), 0))
    fld, merge_warnings = _merge_field(layer, [f for _, f in sources], ops)
    info = _info(layer, sources, shape, fld)
    info.warnings.extend(warnings + merge_warnings)
    return info


def _batchnorm(layer: BatchNorm, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    channels = shape[-1]
    params = ops.ev(BATCHNORM_PARAMETERS, channels) if layer.affine else 0
    return _info(
        layer,
        sources,
        shape,
        fld,
        weights=params,
        parameters=params if counting.batchnorm else 0,
        macs=_elements(shape) * (2 if layer.affine else 1) if counting.other_ops else 0,
    )


def _activation(layer: Activation, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    return _info(layer, sources, shape, fld, macs=_elements(shape) if counting.other_ops else 0)


def _passthrough(layer: Layer, sources: list[Any], counting: Counting, ops: Ops) -> LayerInfo:
    ((shape, fld),) = sources
    return _info(layer, sources, shape, fld)


_HANDLERS: dict[type, Handler] = {
    Conv: _conv,
    ConvTranspose: _conv_transpose,
    Pool: _pool,
    GlobalPool: _global_pool,
    AdaptiveAvgPool: _adaptive,
    Linear: _linear,
    Flatten: _flatten,
    Add: _add,
    Concat: _concat,
    BatchNorm: _batchnorm,
    Activation: _activation,
    Dropout: _passthrough,
    Identity: _passthrough,
}
