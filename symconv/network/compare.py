"""Compare designs: two or more layer stacks side by side, their totals derived and their ratios simplified.

Each design is analysed exactly as a network problem (:func:`symconv.network.problem.network`): the
same walk, numeric or with symbol names kept (channels ``"C"``, sizes ``"H"``). The ratios are the
catalogue's cost ratio of each later design to the first, simplified: three 3 × 3 layers against one
7 × 7 layer from C to C channels have 27C² against 49C² weights, a ratio of 49/27, and the same
receptive field of 7.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from symconv.catalogue import COST_RATIO
from symconv.core.arith import to_python
from symconv.core.coerce import public
from symconv.core.limits import MAX_DESIGN_LAYERS, MAX_DESIGNS, within
from symconv.core.richtext import rich
from symconv.errors import InputError
from symconv.network.problem import HEADERS, NetworkResult, input_order, network, table_rows, written, written_cell
from symconv.solution.derivation import Derivation, Shape, Table
from symconv.solution.derivation import given as given_step
from symconv.solution.result import Answer, Result

DESIGN_KEYS = frozenset({"name", "layers"})
"""Keys of one ``[[problem.design]]`` table."""

TOTALS = (
    ("receptive_field", "Receptive field (input pixels)", "RF"),
    ("parameters", "Parameters", "n"),
    ("macs", "MACs", "M"),
)
"""(answer key, label, symbol) of each compared total; design n's total is written RF_n, n_n, M_n."""


class CompareResult(Result["list[dict[str, Any]]"]):
    """Designs side by side. ``value`` is the list of ratios.

    Answers: ``designs`` (one ``{"name", "receptive_field", "parameters", "macs", "output_shape"}`` per
    design, in order) and ``ratios`` (one ``{"name", "receptive_field", "parameters", "macs"}`` per later
    design: its value divided by the first design's, exact, or a closed form when it depends on symbols).
    ``networks`` holds each design's :class:`~symconv.network.problem.NetworkResult`.
    """

    main = "ratios"
    designs: Answer[list[dict[str, Any]]] = Answer()
    ratios: Answer[list[dict[str, Any]]] = Answer()

    def __init__(self, *args: Any, networks: list[NetworkResult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.networks = networks


def _ratio(a: Any, b: Any) -> Any:
    """a / b through the catalogue's cost ratio, exact; per axis for [h, w] pairs; None when b is 0."""
    if isinstance(a, list) or isinstance(b, list):
        pa = a if isinstance(a, list) else [a, a]
        pb = b if isinstance(b, list) else [b, b]
        return [_ratio(x, y) for x, y in zip(pa, pb)]
    if b == 0:
        return None
    return to_python(COST_RATIO.value(a=a, b=b))


@public(aliases={"design": "designs"}, flags=("count_bias", "count_batchnorm", "count_other_ops"))
def compare(
    input: Sequence[Any],
    designs: Sequence[Mapping[str, Any]],
    *,
    count_bias: bool = True,
    count_batchnorm: bool = True,
    count_other_ops: bool = False,
) -> CompareResult:
    """Receptive field, parameters, MACs and output shape of each design, and their ratios to the first.

    Args:
        input: ``[H, W, C]`` shared by every design (numbers or symbol names).
        designs: two or more ``{"name": ..., "layers": [...]}`` tables; layers as in network problems,
            ``filters``/``outputs`` may be symbol names.
        count_bias, count_batchnorm, count_other_ops: the counting conventions, as for networks.

    Returns:
        A :class:`CompareResult`.

    Raises:
        InputError: fewer than two designs, a design without a name or layers, duplicate names, or any
            error of a design's network (a shape error names the design, the layer and the field).
    """
    if not isinstance(input, list) or len(input) != 3:
        raise InputError("input", input, "expected [H, W, C]")
    if isinstance(designs, (str, bytes)) or not isinstance(designs, Sequence) or len(designs) < 2:
        raise InputError("design", designs, "give two or more [[problem.design]] tables to compare")
    within("design", f"<{len(designs)} designs>", len(designs), MAX_DESIGNS, "designs")
    stacks = [
        design["layers"] for design in designs if isinstance(design, Mapping) and isinstance(design.get("layers"), list)
    ]
    layers = len([layer for stack in stacks for layer in stack])
    within("design", f"<{len(designs)} designs>", layers, MAX_DESIGN_LAYERS, "layers of all the designs")
    names: list[str] = []
    results: list[NetworkResult] = []
    for i, d in enumerate(designs):
        where = f"design[{i}]"
        if not isinstance(d, Mapping):
            raise InputError(where, d, "expected a table with name and layers")
        unknown = sorted(set(d) - DESIGN_KEYS)
        if unknown:
            raise InputError(f"{where}.{unknown[0]}", d[unknown[0]], "unknown key (a design has name and layers)")
        name = d.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}.name", name, "required: the design's name")
        if name in names:
            raise InputError(f"{where}.name", name, "two designs have this name")
        names.append(name)
        table = {
            "input": list(input),
            "layers": d.get("layers"),
            "count_bias": count_bias,
            "count_batchnorm": count_batchnorm,
            "count_other_ops": count_other_ops,
        }
        results.append(network(table, where=f"{where} ({name!r}): "))
    rows = [
        {
            "name": name,
            "receptive_field": r.answers["receptive_field"],
            "parameters": r.answers["parameters"],
            "macs": r.answers["macs"],
            "output_shape": [to_python(n) for n in r.analysis.endpoint.shape],
        }
        for name, r in zip(names, results)
    ]
    first = rows[0]
    ratios = [{"name": row["name"], **{key: _ratio(row[key], first[key]) for key, _, _ in TOTALS}} for row in rows[1:]]
    answers = {"designs": rows, "ratios": ratios}
    conventions = dict(results[0].conventions)
    conventions["ratios"] = rich(
        "Each ratio is a later design's value divided by the first design's ({first}), exact, simplified "
        "(common factors such as $H·W$ or $C$ cancel).",
        first=names[0],
    )

    def build(der: Derivation) -> None:
        _derive(der, input, names, results, rows, ratios)

    return CompareResult(
        "compare", "Compare designs: " + ", ".join(names), answers, conventions, build, networks=results
    )


def _derive(
    der: Derivation,
    input: Sequence[Any],
    names: list[str],
    results: list[NetworkResult],
    rows: list[dict[str, Any]],
    ratios: list[dict[str, Any]],
) -> None:
    import sympy

    from symconv.core.arith import size_symbol as sym
    from symconv.core.closedform import remember

    H, W, C = results[0].analysis.network.input
    order = input_order(results[0].analysis)  # every closed form in the input's order: 9HWC² in cells and sums alike
    der.add(
        given_step(
            "Input, the same for every design",
            [(sym("H"), H, "height"), (sym("W"), W, "width"), (sym("C"), C, "channels")],
        )
    )
    for n, (name, r) in enumerate(zip(names, results), start=1):
        der.add(Table(f"Design {n}, {name}: per-layer table", HEADERS, tuple(table_rows(r.analysis)), total=1))
        for key, label, symbol in TOTALS[1:]:
            parts = [info.parameters if key == "parameters" else info.macs for info in r.analysis.layers]
            parts = [p for p in parts if p != 0]
            total = sympy.sympify(rows[n - 1][key])
            if total.free_symbols:  # the ratios below write this total as the table does
                remember(der.written, total, written(total, order))
            if len(parts) > 1:  # the total as the sum of the layers' counts, simplified
                der.equation_from(
                    f"{label} of design {n}, the sum over its layers",
                    sym(_name(symbol, n)),
                    sympy.Add(*[written(sympy.sympify(p), order) for p in parts], evaluate=False),
                    {},
                    result=rows[n - 1][key],
                )
    der.add(
        Table(
            "Side by side",
            ("", *names),
            tuple(
                (label, *[_cell(row[key], order) for row in rows])
                for key, label in (
                    ("receptive_field", "Receptive field"),
                    ("parameters", "Parameters"),
                    ("macs", "MACs"),
                    ("output_shape", rich("Output $H × W × C$")),
                )
            ),
            answer=True,  # the comparison is the answer
        )
    )
    for n, ratio in enumerate(ratios, start=2):
        for key, label, symbol in TOTALS:
            a, b = rows[n - 1][key], rows[0][key]
            value = ratio[key]
            if isinstance(value, list) or value is None:
                der.note(
                    f"{label}: {names[n - 1]} relative to {names[0]}: "
                    + ("undefined (the first is 0)." if value is None else "per axis, " + str(value) + ".")
                )
                continue
            der.equation(
                f"{label}: {names[n - 1]} relative to {names[0]}",
                _ratio_name(symbol, n, len(ratios)),
                COST_RATIO,
                {"a": a, "b": b},
                symbols={"a": sym(_name(symbol, n)), "b": sym(_name(symbol, 1))},
                result=value,
                key=f"ratios[{n - 2}].{key}",
                answer=True,
                approx=_approx(value),
            )


def _ratio_name(symbol: str, n: int, count: int) -> str:
    """ρ_RF, ρ_p, ρ_M (ρ_M,3 … when several designs are compared to the first)."""
    sub = "p" if symbol == "n" else symbol
    return f"rho_{sub}" if count == 1 else f"rho_{sub},{n}"


def _name(symbol: str, n: int) -> str:
    """The symbol of design n's total: RF_{2}, n_{p,2}, M_{2}."""
    return f"n_{{p,{n}}}" if symbol == "n" else f"{symbol}_{{{n}}}"


def _cell(value: Any, order: Sequence[Any]) -> Any:
    return Shape(tuple(value)) if isinstance(value, list) else written_cell(value, order)


def _approx(value: Any) -> str:
    from fractions import Fraction

    if isinstance(value, Fraction):
        from symconv.problems.explore import decimal

        return decimal(value, 3)
    return ""
