"""The network problem: per-layer table and totals of a whole network, with a layer's row derived on request."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from symconv.catalogue.backend import NUMERIC, Ops
from symconv.core.arith import Size, is_symbolic, to_python
from symconv.core.coerce import public
from symconv.core.richtext import Rich, count, math, rich
from symconv.errors import InputError
from symconv.network.analysis import Analysis, Counting, LayerInfo, analyse
from symconv.network.info import axis_name
from symconv.network.model import Network
from symconv.network.records import LayerRecord, data_frame
from symconv.solution.result import Answer, Result

if TYPE_CHECKING:  # the derivation imports SymPy; the numeric answers must not
    import pandas

    from symconv.core.arith import PerAxis
    from symconv.solution.derivation import Derivation


class NetworkResult(Result[Size]):
    """Per-layer table and totals of a network. ``value`` is the total MACs.

    Answers: ``layers`` (list of dicts with ``name``, ``output_shape``, ``receptive_field``,
    ``effective_stride``, ``effective_padding``, ``parameters``, ``macs``), ``parameters``, ``macs``,
    and ``receptive_field``, ``effective_stride``, ``effective_padding`` at the endpoint. A per-axis
    value is one number, or ``[h, w]`` where the axes differ. With a symbolic input size (H, W as
    symbol names) the sizes and counts are SymPy closed forms.
    """

    main = "macs"
    parameters: Answer[Size] = Answer()
    macs: Answer[Size] = Answer()
    receptive_field: Answer[PerAxis] = Answer()
    effective_stride: Answer[PerAxis] = Answer()
    effective_padding: Answer[PerAxis] = Answer()

    def __init__(self, *args: Any, analysis: Analysis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        self.warnings: list[str] = analysis.warnings

    @cached_property
    def layers(self) -> list[LayerRecord]:
        """One typed record per layer, in order (the ``layers`` answer holds the same rows as dicts)."""
        return [LayerRecord.of(info) for info in self.analysis.layers]

    def to_pandas(self) -> pandas.DataFrame:
        """The per-layer table as a pandas DataFrame, one row per layer (needs pandas: ``symconv[pandas]``).

        Columns: ``name``, ``type``, ``input`` (strings), ``output_shape`` (tuples), ``receptive_field``,
        ``effective_stride``, ``effective_padding`` (one column each when every layer's height and width agree,
        ``_height``/``_width`` columns otherwise), ``weights``, ``biases``, ``parameters``, ``macs``. Numbers
        are int64 where every value is an integer that fits (``Int64`` where some are unknown), object
        otherwise: Fractions, and SymPy closed forms for a symbolic input size, kept exact.
        """
        return data_frame(self.layers)


def _merge(per_axis: tuple[Any, ...]) -> Any:
    """One number when every spatial axis has it, else one per axis ([h, w]; [l]; [d, h, w])."""
    values = [to_python(v) for v in per_axis]
    return values[0] if all(v == values[0] for v in values) else values


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


@public(flags=("count_bias", "count_batchnorm", "count_other_ops"), texts=("where",))
def network(
    spec: Network | dict[str, Any],
    *,
    count_bias: bool = True,
    count_batchnorm: bool = True,
    count_other_ops: bool = False,
    derive: Sequence[str] = (),
    where: str = "",
    memory: bool | str = False,
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
        memory: add the memory of every layer and the training estimate (``True``: float32, or a data type
            such as ``"float16"``); see :mod:`symconv.network.memory`.

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
    if isinstance(derive, str) or not isinstance(derive, (list, tuple)) or not all(isinstance(n, str) for n in derive):
        raise InputError(where + "derive", derive, "expected a list of layer names")
    derive = list(derive) or options.get("derive", [])
    for name in derive:
        if name not in net.index:
            raise InputError(where + "derive", name, "no layer has this name")
    ops = _ops_for(net)
    try:
        result = analyse(net, counting, ops)
    except InputError as e:
        raise InputError(where + e.field, e.value, e.reason) from None
    memory = options.get("memory", memory)
    return _result(result, derive, _memory(result, memory, ops, where))


def _memory(analysis: Analysis, memory: bool | str, ops: Ops, where: str) -> Any:
    if memory is False:
        return None
    from symconv.network.memory import memory_of

    try:
        return memory_of(analysis, "float32" if memory is True else memory, ops)
    except InputError as e:
        raise InputError(where + "memory", e.value, e.reason) from None


def _ops_for(net: Network) -> Ops:
    from symconv.core.arith import is_symbolic

    channels = [getattr(layer, "filters", None) or getattr(layer, "outputs", None) for layer in net.layers]
    if any(is_symbolic(n) for n in [*net.input, *channels]):
        from symconv.catalogue.symbolic import SYMBOLIC

        return SYMBOLIC
    return NUMERIC


def _result(analysis: Analysis, derive: Sequence[str], memory: Any = None) -> NetworkResult:
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
    if memory is not None:
        from symconv.network.memory import MEMORY_CONVENTION

        answers["memory"] = memory.totals()
        conventions["memory"] = MEMORY_CONVENTION
    if analysis.warnings:
        conventions["warnings"] = " ".join(w.rstrip(".") + "." for w in analysis.warnings)

    def build(der: Derivation) -> None:
        _derive(der, analysis, derive)
        if memory is not None:
            from symconv.network.memory import derive_memory

            derive_memory(der, memory)

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


_SIZE_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def headers(rank: int) -> tuple[Any, ...]:
    """The table's headers for a map of ``rank`` spatial axes (the output's letters: H × W × C, L × C …)."""
    letters = {1: "L × C", 2: "H × W × C", 3: "D × H × W × C"}[rank]
    return (HEADERS[0], HEADERS[1], rich(f"Output ${letters}$"), *HEADERS[3:])


def _cell(pair: tuple[Any, ...]) -> Any:
    value = _merge(pair)
    if value is None or (isinstance(value, list) and None in value):
        return "—"
    return tuple(value) if isinstance(value, list) else value


def input_order(analysis: Analysis) -> list[Any]:
    """The symbols of the input shape in the order it is written (H, W, C): the written order of every closed form
    of the network (``9HWC²`` in a cell, a sum and a ratio alike); other symbols follow alphabetically."""
    from symconv.core.closedform import appearance_order
    from symconv.core.stepper import to_sympy

    return appearance_order(*[to_sympy(n) for n in analysis.network.input if is_symbolic(n)])


def written(value: Any, order: Sequence[Any]) -> Any:
    """A count as the tables and sums write it: a closed form in ``order`` (see :func:`input_order`), a number as it is."""
    if not is_symbolic(value):
        return value
    from symconv.core.closedform import as_display
    from symconv.core.stepper import to_sympy

    return as_display(to_sympy(value), order)


def written_cell(value: Any, order: Sequence[Any]) -> Any:
    """A count in a table cell: a closed form kept in its written order by every renderer."""
    from symconv.solution.derivation import Written

    return Written(written(value, order)) if is_symbolic(value) else value


def table_rows(analysis: Analysis) -> list[tuple[Any, ...]]:
    """The rows of the per-layer table, then the totals row; closed forms in the input's order (H, W, C)."""
    from symconv.solution.derivation import Shape

    symbolic = is_symbolic(analysis.parameters) or is_symbolic(analysis.macs)
    order = input_order(analysis) if symbolic else []
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
                written_cell(info.parameters, order),
                written_cell(info.macs, order),
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
            written_cell(analysis.parameters, order),
            written_cell(analysis.macs, order),
        )
    )
    return rows


def _derive(der: Derivation, analysis: Analysis, derive: Sequence[str]) -> None:
    from symconv.solution.derivation import Deferred, Derivation, Given, Group, Table, given

    *sizes, channels = analysis.network.input
    items = [(_name(_SIZE_NAMES[len(sizes)][a], n), n, axis_name(a, len(sizes))) for a, n in enumerate(sizes)]
    items.append((_name("C", channels), channels, "channels"))
    # a numeric table's steps hold no SymPy object: written without importing it (symconv net is a fast path)
    symbolic = any(is_symbolic(v) for v in analysis.network.input)
    der.add(given("Input", items) if symbolic else Given("Input", tuple(items)))
    der.add(
        Table(
            rich(
                "Per-layer table (receptive field, stride and padding in input pixels; the totals row gives them "
                "at the endpoint, {end})",
                end=analysis.endpoint.name,
            ),
            headers(len(sizes)),
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

        def row(info: LayerInfo = info) -> list[Any]:  # built when shown: the stepper needs SymPy
            sub = Derivation(der.title, der.kind, written=der.written)
            _derive_layer(sub, analysis, info)
            return sub.steps

        heading = rich("Worked row: layer {name} ({kind})", name=name, kind=info.type)
        der.add(Group(heading, Deferred(row), level))  # type: ignore[arg-type]


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


def _name(name: str, value: Any) -> Any:
    """The symbol of a given or an answer: SymPy's with a closed form, else the same name as markup (no SymPy)."""
    if is_symbolic(value):
        from symconv.core.arith import size_symbol

        return size_symbol(name)
    from symconv.core.richtext import Math, parse

    return Math(parse(name))


def _totals(der: Derivation, analysis: Analysis) -> None:
    """The answers of the network as boxed equations: totals of the columns, and the field at the endpoint."""
    from symconv.solution.derivation import Equation

    end = analysis.endpoint
    n = len(analysis.layers)

    def answer(label: Any, lhs: str, value: Any, key: str, unit: str = "") -> None:
        pair = _merge(value) if isinstance(value, tuple) else to_python(value)
        if pair is None or (isinstance(pair, list) and None in pair):
            return  # no receptive field through this endpoint (a linear layer on a flattened map)
        values = pair if isinstance(pair, list) else [pair]
        if not any(is_symbolic(v) for v in values):  # numbers: shown as they are, without SymPy
            shown: Any = tuple(values) if isinstance(pair, list) else pair
            der.add(Equation(label, _name(lhs, pair), None, (shown,), pair, unit=unit, answer=True, key=key))
            return
        import sympy

        shown = [written(v, input_order(analysis)) for v in values]  # written order
        closed = sympy.Tuple(*shown) if isinstance(pair, list) else shown[0]
        der.add(Equation(label, _name(lhs, closed), None, (closed,), closed, unit=unit, answer=True, key=key))

    layers = "the layer" if n == 1 else f"the {count(n, 'layer')}"
    answer(rich("Parameters: the sum of the column over {n}", n=layers), "n_p", analysis.parameters, "parameters")
    answer(rich("MACs: the sum of the column over {n}", n=layers), "M", analysis.macs, "macs")
    where = rich(" at the endpoint, {end}", end=end.name)
    answer("Receptive field" + where, "RF", end.field.rf, "receptive_field", "input pixels")
    answer("Effective stride" + where, "S", end.field.jump, "effective_stride", "input pixels")
    answer("Effective padding" + where, "P", end.field.pad, "effective_padding", "input pixels")


def _derive_layer(der: Derivation, analysis: Analysis, info: LayerInfo) -> None:
    """The row of one layer, step by step: its kind's steps along each axis, then its counts."""
    from symconv.network.rows import Row, axes

    assert info.layer is not None
    row = Row(der, analysis, info)
    shapes = [
        rich("{src} ({shape})", src=src, shape=shape_text(shape)) for src, shape in zip(info.inputs, info.input_shapes)
    ]
    der.note(rich("Row of layer {name} ({type}), reading ", name=info.name, type=info.type) + _and(shapes) + ".")
    for axis, tag in axes(info):
        info.layer.derive_axis(row, axis, tag)
    info.layer.derive_counts(row)


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
