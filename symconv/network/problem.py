"""The network problem: per-layer table and totals of a whole network, with a layer's row derived on request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symconv.catalogue.backend import NUMERIC, Ops
from symconv.core.arith import to_python
from symconv.core.coerce import public
from symconv.errors import InputError
from symconv.network.analysis import Analysis, Counting, LayerInfo, analyse
from symconv.network.model import Network
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


@public(flags=("count_bias", "count_batchnorm", "count_other_ops"))
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
    return _result(result, derive)


def _ops_for(net: Network) -> Ops:
    from symconv.core.arith import is_symbolic

    channels = [getattr(layer, "filters", None) or getattr(layer, "outputs", None) for layer in net.layers]
    if any(is_symbolic(n) for n in [*net.input, *channels]):
        from symconv.catalogue.symbolic import SYMBOLIC

        return SYMBOLIC
    return NUMERIC


def _result(analysis: Analysis, derive: Sequence[str]) -> NetworkResult:
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
        _derive(der, analysis, derive)

    return NetworkResult("network", "Network: per-layer table", answers, conventions, build, analysis=analysis)


# --- derivation -----------------------------------------------------------------------------------

HEADERS = ("Layer", "Type", "Output H × W × C", "RF", "Stride S", "Padding P", "Parameters", "MACs")


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
                tuple(info.shape),
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
            "total",
            f"endpoint {end.name}",
            tuple(end.shape),
            _cell(end.field.rf),
            _cell(end.field.jump),
            _cell(end.field.pad),
            analysis.parameters,
            analysis.macs,
        )
    )
    return rows


def _derive(der: Derivation, analysis: Analysis, derive: Sequence[str]) -> None:
    from symconv.core.arith import size_symbol as sym
    from symconv.solution.derivation import Table, given

    H, W, C = analysis.network.input
    der.add(given("Input", [(sym("H"), H, "height"), (sym("W"), W, "width"), (sym("C"), C, "channels")]))
    der.add(
        Table(
            "Per-layer table (receptive field, stride and padding in input pixels)",
            HEADERS,
            tuple(table_rows(analysis)),
        )
    )
    for warning in analysis.warnings:
        der.note("Warning: " + warning)
    for name in derive:
        _derive_layer(der, analysis, analysis.by_name[name])


def _derive_layer(der: Derivation, analysis: Analysis, info: LayerInfo) -> None:
    """The row of one layer, step by step: its kind's steps along each axis, then its counts."""
    from symconv.network.rows import Row, axes

    assert info.layer is not None
    row = Row(der, analysis, info)
    shapes = " and ".join(
        f"{src} ({' × '.join(map(str, shape))})" for src, shape in zip(info.inputs, info.input_shapes)
    )
    der.note(f"Row of layer {info.name} ({info.type}), reading {shapes}.")
    for axis, tag in axes(info):
        info.layer.derive_axis(row, axis, tag)
    info.layer.derive_counts(row)
