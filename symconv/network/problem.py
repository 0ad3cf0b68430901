"""The network problem: per-layer table and totals of a whole network, with a layer's row derived on request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symconv.catalogue import (
    BATCHNORM_PARAMETERS,
    CHANNELS_PER_GROUP,
    CONV_BIASES,
    CONV_MACS,
    CONV_OUTPUT,
    CONV_OUTPUT_ASYMMETRIC,
    CONV_WEIGHTS,
    EFFECTIVE_KERNEL,
    EFFECTIVE_PADDING_STEP,
    JUMP_STEP,
    MACS_PER_OUTPUT,
    POOL_OUTPUT_CEIL,
    RECEPTIVE_FIELD_START,
    RECEPTIVE_FIELD_STEP,
    RECEPTIVE_FIELD_UNION,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_TOTAL,
    TOTAL_PARAMETERS,
    TRANSPOSED_JUMP_STEP,
    TRANSPOSED_OUTPUT,
    TRANSPOSED_PADDING_STEP,
    TRANSPOSED_TAPS,
)
from symconv.core.arith import to_python
from symconv.core.formula import Formula
from symconv.errors import InputError
from symconv.network.analysis import (
    NUMERIC,
    Analysis,
    Counting,
    Field,
    LayerInfo,
    Ops,
    Window,
    analyse,
)
from symconv.network.model import (
    INPUT,
    Add,
    Concat,
    Conv,
    ConvTranspose,
    Flatten,
    GlobalPool,
    Linear,
    Network,
)
from symconv.solution.derivation import Rich, Shape, math, rich
from symconv.solution.result import Result

if TYPE_CHECKING:  # the derivation imports SymPy; the numeric answers must not
    from symconv.solution.derivation import Derivation


class NetworkResult(Result):
    """Per-layer table and totals of a network. ``value`` is the total MACs.

    Answers: ``layers`` (list of dicts with ``name``, ``output_shape``, ``receptive_field``,
    ``effective_stride``, ``effective_padding``, ``parameters``, ``macs``), ``parameters``, ``macs``,
    and ``receptive_field``, ``effective_stride``, ``effective_padding`` at the endpoint. A per-axis
    value is one number, or ``[h, w]`` where the axes differ. With a symbolic input size (H, W as
    symbol names) the sizes and counts are SymPy closed forms.
    """

    main = "macs"

    def __init__(self, *args: Any, analysis: Analysis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        self.warnings: list[str] = analysis.warnings


def _merge(pair: tuple[Any, Any]) -> Any:
    h, w = (to_python(v) for v in pair)
    return h if h == w else [h, w]


def layer_row(info: LayerInfo) -> dict[str, Any]:
    """The answer dict of one layer (the ``layers`` answer's entries)."""
    return {
        "name": info.name,
        "output_shape": [to_python(n) for n in info.shape],
        "receptive_field": _merge(info.field.rf),
        "effective_stride": _merge(info.field.jump),
        "effective_padding": _merge(info.field.pad),
        "parameters": to_python(info.parameters),
        "macs": to_python(info.macs),
    }


def network(
    spec: Network | dict[str, Any],
    *,
    count_bias: bool = True,
    count_batchnorm: bool = True,
    count_other_ops: bool = False,
    derive: Sequence[str] = (),
    where: str = "",
) -> NetworkResult:
    """Output shapes, receptive fields, parameters and MACs of every layer of a network, and totals.

    Args:
        spec: a :class:`Network`, or a problem table in the format of ``type = "network"`` problems
            (its ``count_*`` and ``derive`` keys are used unless given here).
        count_bias: biases count as parameters (torchvision's convention, default).
        count_batchnorm: batch normalisation's γ and β count as parameters (default).
        count_other_ops: charge pooling, BN, activations and additions per element (ptflops' module rules) (default off:
            only convolutions and linear layers cost MACs).
        derive: names of layers whose row is derived step by step in the worked solution.
        where: prefix for error fields (the problem file and id).

    Returns:
        A :class:`NetworkResult`; sizes in pixels, receptive fields in input pixels, exact integers
        (fractions for strided transposed convolutions), closed forms when H or W is a symbol.

    Raises:
        InputError: see :func:`symconv.network.spec.network_from_spec` and
            :func:`symconv.network.analysis.analyse`.
    """
    options: dict[str, Any] = {}
    if isinstance(spec, dict):
        from symconv.network.spec import network_from_spec, options_from_spec

        options = options_from_spec(spec, where)
        net = network_from_spec(spec, where)
    elif isinstance(spec, Network):
        net = spec
    else:
        raise InputError(where + "network", type(spec).__name__, "expected a Network or a problem table")
    counting = Counting(
        bias=options.get("count_bias", count_bias),
        batchnorm=options.get("count_batchnorm", count_batchnorm),
        other_ops=options.get("count_other_ops", count_other_ops),
    )
    derive = list(derive) or options.get("derive", [])
    for name in derive:
        if name not in net.index:
            raise InputError(where + "derive", name, "no layer has this name")
    ops = _ops_for(net)
    try:
        result = analyse(net, counting, ops)
    except InputError as e:
        raise InputError(where + e.field, e.value, e.reason) from None
    return _result(result, ops, derive)


def _ops_for(net: Network) -> Ops:
    from symconv.core.arith import is_symbolic

    channels = [getattr(layer, "filters", None) or getattr(layer, "outputs", None) for layer in net.layers]
    if any(is_symbolic(n) for n in [*net.input, *channels]):
        from symconv.network.symbolic import SYMBOLIC

        return SYMBOLIC
    return NUMERIC


def _result(analysis: Analysis, ops: Ops, derive: Sequence[str]) -> NetworkResult:
    end = analysis.endpoint
    answers: dict[str, Any] = {
        "layers": [layer_row(info) for info in analysis.layers],
        "parameters": to_python(analysis.parameters),
        "macs": to_python(analysis.macs),
        "receptive_field": _merge(end.field.rf),
        "effective_stride": _merge(end.field.jump),
        "effective_padding": _merge(end.field.pad),
    }
    conventions = analysis.counting.conventions()
    if analysis.warnings:
        conventions["warnings"] = " ".join(w.rstrip(".") + "." for w in analysis.warnings)

    def build(der: Derivation) -> None:
        _derive(der, analysis, ops, derive)

    return NetworkResult("network", "Network: per-layer table", answers, conventions, build, analysis=analysis)


# --- derivation -----------------------------------------------------------------------------------

HEADERS = (
    "Layer",
    "Type",
    rich("Output $H × W × C$"),
    "RF",
    rich("Stride $S$"),
    rich("Padding $P$"),
    "Parameters",
    "MACs",
)


def _cell(pair: tuple[Any, Any]) -> Any:
    value = _merge(pair)
    if value is None or (isinstance(value, list) and None in value):
        return "—"
    return tuple(value) if isinstance(value, list) else value


def table_rows(analysis: Analysis) -> list[tuple[Any, ...]]:
    """The rows of the per-layer table, then the totals row."""
    rows: list[tuple[Any, ...]] = []
    for info in analysis.layers:
        rows.append(
            (
                info.name,
                info.type,
                Shape(tuple(info.shape)),
                _cell(info.field.rf),
                _cell(info.field.jump),
                _cell(info.field.pad),
                info.parameters,
                info.macs,
            )
        )
    end = analysis.endpoint
    rows.append(
        (
            "Total",
            "",
            Shape(tuple(end.shape)),
            _cell(end.field.rf),
            _cell(end.field.jump),
            _cell(end.field.pad),
            analysis.parameters,
            analysis.macs,
        )
    )
    return rows


def _derive(der: Derivation, analysis: Analysis, ops: Ops, derive: Sequence[str]) -> None:
    from symconv.core.arith import size_symbol as sym
    from symconv.solution.derivation import Derivation, Group, Table, given

    H, W, C = analysis.network.input
    der.add(given("Input", [(sym("H"), H, "height"), (sym("W"), W, "width"), (sym("C"), C, "channels")]))
    der.add(
        Table(
            rich(
                "Per-layer table (receptive field, stride and padding in input pixels; the totals row gives them "
                "at the endpoint, {end})",
                end=analysis.endpoint.name,
            ),
            HEADERS,
            tuple(table_rows(analysis)),
            total=1,
        )
    )
    for warning in analysis.warnings:
        der.note("Warning: " + warning)
    _totals(der, analysis)
    # rows derived on request at every detail but the answer; at 'full', the first layer of each kind too
    worked = [(name, "compact") for name in derive]
    worked += [(name, "full") for name in first_of_each_kind(analysis) if name not in derive]
    for name, level in worked:
        info = analysis.by_name[name]
        sub = Derivation(der.title, der.kind, written=der.written)
        _derive_layer(sub, analysis, info, ops)
        heading = rich("Worked row: layer {name} ({kind})", name=name, kind=info.type)
        der.add(Group(heading, tuple(sub.steps), level))  # type: ignore[arg-type]


def layer_kind(info: LayerInfo) -> tuple[str, ...]:
    """What makes a layer's worked row different: its type, and 'same' padding, ceil mode, dilation, groups."""
    kind = [info.type]
    for flag, present in (
        ("same", any(w.same_total is not None for w in info.windows or ())),
        ("ceil", any(w.ceil_mode for w in info.windows or ())),
        ("dilated", any(w.d != 1 for w in info.windows or ())),
        ("grouped", getattr(info.layer, "groups", 1) != 1),
    ):
        if present:
            kind.append(flag)
    return tuple(kind)


def first_of_each_kind(analysis: Analysis) -> list[str]:
    """The first layer of each distinct kind, in network order (the rows worked out at ``full`` detail)."""
    seen: dict[tuple[str, ...], str] = {}
    for info in analysis.layers:
        seen.setdefault(layer_kind(info), info.name)
    return list(seen.values())


def _totals(der: Derivation, analysis: Analysis) -> None:
    """The answers of the network as boxed equations: totals of the columns, and the field at the endpoint."""
    import sympy

    from symconv.core.arith import is_symbolic
    from symconv.core.arith import size_symbol as sym
    from symconv.core.closedform import as_display
    from symconv.core.stepper import to_sympy
    from symconv.solution.derivation import Equation

    end = analysis.endpoint
    n = len(analysis.layers)

    def answer(label: Any, lhs: str, value: Any, key: str, unit: str = "") -> None:
        pair = _merge(value) if isinstance(value, tuple) else to_python(value)
        if pair is None or (isinstance(pair, list) and None in pair):
            return  # no receptive field through this endpoint (a linear layer on a flattened map)
        values = [as_display(to_sympy(v)) for v in (pair if isinstance(pair, list) else [pair])]  # written order
        shown = sympy.Tuple(*values) if isinstance(pair, list) else values[0]
        der.add(
            Equation(
                label, sym(lhs), None, (shown,), shown if is_symbolic(shown) else pair, unit=unit, answer=True, key=key
            )
        )

    answer(rich("Parameters: the sum of the column over the {n} layers", n=n), "n_p", analysis.parameters, "parameters")
    answer(rich("MACs: the sum of the column over the {n} layers", n=n), "M", analysis.macs, "macs")
    where = rich(" at the endpoint, {end}", end=end.name)
    answer("Receptive field" + where, "RF", end.field.rf, "receptive_field", "input pixels")
    answer("Effective stride" + where, "S", end.field.jump, "effective_stride", "input pixels")
    answer("Effective padding" + where, "P", end.field.pad, "effective_padding", "input pixels")


class _Row:
    """Writes the equations of one layer's row: symbols named per axis, values tracked as they are derived."""

    def __init__(self, der: Derivation, info: LayerInfo) -> None:
        self.der = der
        self.info = info
        self.values: dict[Any, Any] = {}

    def sym(self, name: str) -> Any:
        from symconv.core.arith import size_symbol

        return size_symbol(name)

    def eq(
        self, label: str, lhs: str, formula: Formula, args: dict[str, tuple[str, Any]], result: Any, unit: str = ""
    ) -> None:
        symbols = {}
        for param, (symbol_name, value) in args.items():
            s = self.sym(symbol_name)
            symbols[param] = s
            self.values[s] = value
        self.der.equation(
            f"{self.info.name}: {label}", lhs, formula, self.values, symbols=symbols, result=result, unit=unit
        )
        self.values[self.sym(lhs)] = result


def _axes(info: LayerInfo) -> list[tuple[int, str]]:
    """Axes to derive: one when both axes carry the same numbers, else height and width."""
    same_windows = info.windows is None or info.windows[0] == info.windows[1]
    f = info.field
    same_field = f.rf[0] == f.rf[1] and f.jump[0] == f.jump[1] and f.pad[0] == f.pad[1]
    same_input = (
        not info.input_shapes or len(info.input_shapes[0]) != 3 or info.input_shapes[0][0] == info.input_shapes[0][1]
    )
    if same_windows and same_field and same_input:
        return [(0, "")]
    return [(0, "h"), (1, "w")]


def _derive_layer(der: Derivation, analysis: Analysis, info: LayerInfo, ops: Ops) -> None:
    layer = info.layer
    row = _Row(der, info)
    shapes = [
        rich("{src} ({shape})", src=src, shape=shape_text(shape)) for src, shape in zip(info.inputs, info.input_shapes)
    ]
    der.note(rich("Row of layer {name} ({type}), reading ", name=info.name, type=info.type) + _and(shapes) + ".")
    sources = [_field_of(analysis, src) for src in info.inputs]
    for axis, tag in _axes(info):
        sfx = f"_{tag}" if tag else ""
        where = f" ({'height' if tag == 'h' else 'width'})" if tag else ""
        fld = sources[0]
        if info.windows is not None:
            w = info.windows[axis]
            size_name = ("H" if axis == 0 else "W") if tag else "i"
            _derive_window(row, layer, w, sfx, where, size_name, isinstance(layer, ConvTranspose))
            r_in, j_in, p_in = fld.rf[axis], fld.jump[axis], fld.pad[axis]
            if r_in is None:
                continue
            row.values.update({row.sym(f"RF_in{sfx}"): r_in, row.sym(f"S_in{sfx}"): j_in, row.sym(f"P_in{sfx}"): p_in})
            k_name = f"k_eff{sfx}" if w.d != 1 else f"k{sfx}"
            if isinstance(layer, ConvTranspose):
                row.eq(
                    "largest number of inputs per output" + where,
                    f"t{sfx}",
                    TRANSPOSED_TAPS,
                    {"k_e": (k_name, w.k_eff), "s": (f"s{sfx}", w.s)},
                    None,
                )
                taps = row.values[row.sym(f"t{sfx}")]
                row.eq(
                    "receptive field" + where,
                    f"RF{sfx}",
                    RECEPTIVE_FIELD_STEP,
                    {"r": (f"RF_in{sfx}", r_in), "k": (f"t{sfx}", taps), "j": (f"S_in{sfx}", j_in)},
                    info.field.rf[axis],
                    "input pixels",
                )
                row.eq(
                    "effective padding" + where,
                    f"P{sfx}",
                    TRANSPOSED_PADDING_STEP,
                    {
                        "P": (f"P_in{sfx}", p_in),
                        "k_e": (k_name, w.k_eff),
                        "p": (f"p{sfx}", w.p_b),
                        "s": (f"s{sfx}", w.s),
                        "j": (f"S_in{sfx}", j_in),
                    },
                    info.field.pad[axis],
                    "input pixels",
                )
                row.eq(
                    "effective stride" + where,
                    f"S{sfx}",
                    TRANSPOSED_JUMP_STEP,
                    {"j": (f"S_in{sfx}", j_in), "s": (f"s{sfx}", w.s)},
                    info.field.jump[axis],
                    "input pixels",
                )
                continue
            row.eq(
                "receptive field" + where,
                f"RF{sfx}",
                RECEPTIVE_FIELD_STEP,
                {"r": (f"RF_in{sfx}", r_in), "k": (k_name, w.k_eff), "j": (f"S_in{sfx}", j_in)},
                info.field.rf[axis],
                "input pixels",
            )
            row.eq(
                "effective padding" + where,
                f"P{sfx}",
                EFFECTIVE_PADDING_STEP,
                {"P": (f"P_in{sfx}", p_in), "p": (_before(w, sfx), w.p_b), "j": (f"S_in{sfx}", j_in)},
                info.field.pad[axis],
                "input pixels",
            )
            row.eq(
                "effective stride" + where,
                f"S{sfx}",
                JUMP_STEP,
                {"j": (f"S_in{sfx}", j_in), "s": (f"s{sfx}", w.s)},
                info.field.jump[axis],
                "input pixels",
            )
        elif isinstance(layer, (GlobalPool, Flatten)) and len(info.input_shapes[0]) == 3 and fld.rf[axis] is not None:
            n = info.input_shapes[0][axis]
            der.note(rich("{name} reads the whole map: a window of {n} pixels", name=info.name, n=n) + where + ".")
            row.eq(
                "receptive field" + where,
                f"RF{sfx}",
                RECEPTIVE_FIELD_STEP,
                {"r": (f"RF_in{sfx}", fld.rf[axis]), "k": (f"n{sfx}", n), "j": (f"S_in{sfx}", fld.jump[axis])},
                info.field.rf[axis],
                "input pixels",
            )
            row.eq(
                "effective stride" + where,
                f"S{sfx}",
                JUMP_STEP,
                {"j": (f"S_in{sfx}", fld.jump[axis]), "s": (f"n{sfx}", n)},
                info.field.jump[axis],
                "input pixels",
            )
        elif isinstance(layer, (Add, Concat)) and info.field.rf[axis] is not None:
            starts, ends = [], []
            for position, src in enumerate(sources):
                row.eq(
                    f"first input pixel of output 0 through {info.inputs[position]}" + where,
                    f"u_{position + 1}{sfx}",
                    RECEPTIVE_FIELD_START,
                    {
                        "x": ("x", 0),
                        "S": (f"S_{position + 1}{sfx}", src.jump[axis]),
                        "P": (f"P_{position + 1}{sfx}", src.pad[axis]),
                    },
                    -src.pad[axis],
                    "input pixels",
                )
                row_start = -src.pad[axis]
                starts.append(row_start)
                ends.append(row_start + src.rf[axis] - 1)
            a_s, a_e = ops.minimum(starts), ops.maximum(ends)
            der.note(
                rich("Paths span input pixels {a} to {b} (first and last of all paths' receptive fields)", a=a_s, b=a_e)
                + where
                + "."
            )
            row.eq(
                "receptive field where the paths merge" + where,
                f"RF{sfx}",
                RECEPTIVE_FIELD_UNION,
                {"a_e": (f"a_e{sfx}", a_e), "a_s": (f"a_s{sfx}", a_s)},
                info.field.rf[axis],
                "input pixels",
            )
    _derive_counts(row, analysis.counting, info)


def shape_text(shape: Sequence[Any]) -> Rich:
    """A shape in a sentence, ``56 × 56 × 64``; a closed-form size as math, in written order."""
    from symconv.core.arith import is_symbolic
    from symconv.core.closedform import as_display

    parts: list[Any] = []
    for k, dim in enumerate(shape):
        if k:
            parts.append(" × ")
        if not is_symbolic(dim):
            parts.append(str(dim))
            continue
        shown = as_display(dim)
        parts += ["(", math(shown), ")"] if shown.is_Add else [math(shown)]
    return Rich(parts)


def _and(items: Sequence[Rich]) -> Rich:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return Rich(items)
    return Rich([part for item in items[:-1] for part in (item, ", ")][:-1] + [" and ", items[-1]])


def _field_of(analysis: Analysis, name: str) -> Field:
    if name == INPUT:
        return Field((1, 1), (1, 1), (0, 0))
    return analysis.by_name[name].field


def _before(w: Window, sfx: str) -> str:
    return f"p{sfx}" if w.p_b == w.p_e and w.same_total is None else f"p_b{sfx}"


def _derive_window(row: _Row, layer: Any, w: Window, sfx: str, where: str, size_name: str, transposed: bool) -> None:
    k_name = f"k{sfx}"
    if w.d != 1:
        row.eq(
            "effective kernel" + where,
            f"k_eff{sfx}",
            EFFECTIVE_KERNEL,
            {"k": (k_name, w.k), "d": (f"d{sfx}", w.d)},
            w.k_eff,
        )
    out = f"{size_name}'"
    base = {"i": (size_name, w.i), "k": (k_name, w.k), "s": (f"s{sfx}", w.s), "d": (f"d{sfx}", w.d)}
    if transposed:
        extra = layer.output_padding[0 if sfx != "_w" else 1]
        row.eq(
            "output size" + where,
            out,
            TRANSPOSED_OUTPUT,
            {**base, "p": (f"p{sfx}", w.p_b), "a": (f"a{sfx}", extra)},
            w.o,
            "pixels",
        )
        return
    if w.same_total is not None:
        k_e = (f"k_eff{sfx}", w.k_eff) if w.d != 1 else (k_name, w.k)
        row.eq(
            "output size, TensorFlow 'same'" + where,
            out,
            TF_SAME_OUTPUT,
            {"i": base["i"], "s": base["s"]},
            w.o,
            "pixels",
        )
        row.eq(
            "total padding" + where,
            f"P_total{sfx}",
            TF_SAME_PADDING_TOTAL,
            {"o": (out, w.o), "s": base["s"], "k_e": k_e, "i": base["i"]},
            w.same_total,
            "pixels",
        )
        row.eq(
            "padding before (top/left)" + where,
            f"p_b{sfx}",
            TF_SAME_PADDING_BEGIN,
            {"P": (f"P_total{sfx}", w.same_total)},
            w.p_b,
            "pixels",
        )
        row.eq(
            "padding after (bottom/right)" + where,
            f"p_e{sfx}",
            TF_SAME_PADDING_END,
            {"P": (f"P_total{sfx}", w.same_total), "p_b": (f"p_b{sfx}", w.p_b)},
            w.p_e,
            "pixels",
        )
        return
    if w.ceil_mode:
        row.eq(
            "output size, ceil mode" + where,
            out,
            POOL_OUTPUT_CEIL,
            {**base, "p": (f"p{sfx}", w.p_b)},
            w.o + (1 if w.dropped_last else 0),
            "pixels",
        )
        if w.dropped_last:
            row.der.note(
                rich("The last window would start inside the right padding, so PyTorch drops it: {o} pixels", o=w.o)
                + where
                + "."
            )
        return
    if w.p_b == w.p_e:
        row.eq("output size" + where, out, CONV_OUTPUT, {**base, "p": (f"p{sfx}", w.p_b)}, w.o, "pixels")
    else:
        row.eq(
            "output size" + where,
            out,
            CONV_OUTPUT_ASYMMETRIC,
            {**base, "p_b": (f"p_b{sfx}", w.p_b), "p_e": (f"p_e{sfx}", w.p_e)},
            w.o,
            "pixels",
        )


def _derive_counts(row: _Row, counting: Counting, info: LayerInfo) -> None:
    layer = info.layer
    if isinstance(layer, (Conv, ConvTranspose, Linear)):
        c_in = info.input_shapes[0][-1]
        if isinstance(layer, Linear):
            row.der.note(rich("A linear layer is a $1 × 1$ convolution on a $1 × 1$ map: $k_h = k_w = 1$, $g = 1$."))
            k_h, k_w, g, c_out, positions = 1, 1, 1, layer.outputs, (1, 1)
        else:
            k_h, k_w = layer.kernel
            g, c_out = layer.groups, layer.filters
            positions = (info.shape[0], info.shape[1])
        # A transposed convolution's weights are stored C_in × C_out/g × k_h × k_w: C_in "filters" of C_out/g channels.
        transposed = isinstance(layer, ConvTranspose)
        c_filters, c_seen = ("C_in", c_in), ("C_out", c_out)
        if transposed:
            row.der.note(
                rich(
                    "The weights of a transposed convolution are stored $C_in × C_out/g × k_h × k_w$, and its MACs are "
                    "counted over the input positions (each input element meets $k_h k_w C_out/g$ weights)."
                )
            )
            c_filters, c_seen = c_seen, c_filters
        if g != 1:
            row.eq(
                "channels per group",
                "C_g",
                CHANNELS_PER_GROUP,
                {"C_in": c_filters, "g": ("g", g)},
                info.channels_per_group,
            )
        c_g = ("C_g", info.channels_per_group) if g != 1 else c_filters
        row.eq(
            "weights",
            "n_w",
            CONV_WEIGHTS,
            {"k_h": ("k_h", k_h), "k_w": ("k_w", k_w), "C_g": c_g, "C_out": c_seen},
            info.weights,
        )
        if layer.bias:
            row.eq("biases", "n_b", CONV_BIASES, {"C_out": ("C_out", c_out)}, info.biases)
            if counting.bias:
                row.eq(
                    "parameters",
                    "n_p",
                    TOTAL_PARAMETERS,
                    {"W": ("n_w", info.weights), "B": ("n_b", info.biases)},
                    info.parameters,
                )
            else:
                row.der.note("Biases are not counted as parameters (count_bias = false).")
        k_args = {"k_h": ("k_h", k_h), "k_w": ("k_w", k_w), "C_g": c_g}
        if transposed:
            row.eq("MACs per input element", "K", MACS_PER_OUTPUT, k_args, info.macs_per_output)
            h, w = info.input_shapes[0][0], info.input_shapes[0][1]
            row.eq(
                "MACs",
                "M",
                CONV_MACS,
                {"H_o": ("H", h), "W_o": ("W", w), "C_out": ("C_in", c_in), "K": ("K", info.macs_per_output)},
                info.macs,
            )
        else:
            row.eq("MACs per output element", "K", MACS_PER_OUTPUT, k_args, info.macs_per_output)
            row.eq(
                "MACs",
                "M",
                CONV_MACS,
                {
                    "H_o": ("H'", positions[0]),
                    "W_o": ("W'", positions[1]),
                    "C_out": ("C_out", c_out),
                    "K": ("K", info.macs_per_output),
                },
                info.macs,
            )
        return
    if info.weights and info.type == "batchnorm":
        row.eq("batch-norm parameters (γ, β)", "n_p", BATCHNORM_PARAMETERS, {"C": ("C", info.shape[-1])}, info.weights)
        if not counting.batchnorm:
            row.der.note("Batch normalisation is not counted (count_batchnorm = false).")
    row.der.note(rich("{name}: {n} parameters counted, {m} MACs.", name=info.name, n=info.parameters, m=info.macs))
