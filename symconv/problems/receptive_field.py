"""Receptive field, effective stride and effective padding of a stack of convolutions or pools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symconv.catalogue import (
    EFFECTIVE_KERNEL,
    EFFECTIVE_PADDING_STEP,
    JUMP_STEP,
    RECEPTIVE_FIELD_CENTER,
    RECEPTIVE_FIELD_STEP,
)
from symconv.problems.validate import per_layer
from symconv.solution.derivation import Definition, Derivation, given, rich
from symconv.solution.result import Result

CONVENTIONS = {
    "receptive_field": rich(
        "Receptive field in input pixels along one axis, $RF_0 = 1$ (a single input pixel); "
        "$RF_n = RF_(n−1) + (k_n − 1) × S_(n−1)$ where $S_(n−1) = s_1 × … × s_(n−1)$ is the effective stride "
        "(Araujo, Norris & Sim, Distill 2019). Layers are numbered from 1; padding does not change the receptive field."
    ),
    "dilation": rich(
        "A dilated kernel enters as its extent $k_eff = d(k − 1) + 1$, with $d = 1$ an ordinary kernel (PyTorch numbering)."
    ),
    "effective_padding": rich(
        "Effective padding is the left/top padding seen in input pixels, $P_n = P_(n−1) + p_n × S_(n−1)$, "
        "$P_0 = 0$, with $p_n$ the per-side (left/top) padding of layer $n$."
    ),
}


class ReceptiveFieldResult(Result):
    """Receptive field of a layer stack. ``value`` is the final receptive field (input pixels).

    Answers: ``receptive_field``, ``receptive_fields`` (per layer), ``effective_stride``, and
    ``effective_padding`` when paddings were given. Each is an int, or ``[h, w]`` when the axes differ.
    """

    main = "receptive_field"


def _axis_values(pairs: Sequence[tuple[Any, Any]], axis: int) -> list[Any]:
    return [p[axis] for p in pairs]


def _merge(h: Any, w: Any) -> Any:
    return h if h == w else [h, w]


def receptive_field(
    kernels: Sequence[Any],
    strides: Sequence[Any] | None = None,
    dilations: Sequence[Any] | None = None,
    paddings: Sequence[Any] | None = None,
    position: Any = None,
) -> ReceptiveFieldResult:
    """Receptive field after each layer of a stack of convolutions (or pools).

    Args:
        kernels: per layer, ``k`` or ``[k_h, k_w]``; numbers or symbol names (``"k_1"``).
        strides: per layer (default 1 each).
        dilations: per layer (default 1 each; 1 = ordinary kernel).
        paddings: per layer, per-side padding (enables the effective padding answer).
        position: an output position x (0-based, both axes); adds ``center``, the input coordinate
            of the centre of its receptive field, x·S − P + (RF − 1)/2 (may be a half pixel).

    Returns:
        A :class:`ReceptiveFieldResult`; sizes are in input pixels.

    Raises:
        InputError: lists of different lengths, sizes below 1, negative padding, non-integers.
    """
    from symconv.errors import InputError

    if isinstance(kernels, (str, bytes)) or not isinstance(kernels, (list, tuple)) or not kernels:
        raise InputError("kernels", kernels, "expected a non-empty list with one kernel size per layer")
    n = len(kernels)
    ks = per_layer(kernels, n, "kernels", 1, 1)
    ss = per_layer(strides, n, "strides", 1, 1)
    ds = per_layer(dilations, n, "dilations", 1, 1)
    ps = per_layer(paddings, n, "paddings", 0, 0)

    per_axis = []
    for axis in (0, 1):
        k, s, d, p = (_axis_values(x, axis) for x in (ks, ss, ds, ps))
        k_eff = [k_ if d_ == 1 else EFFECTIVE_KERNEL.value(k=k_, d=d_) for k_, d_ in zip(k, d)]
        rf, jump, pad = [1], [1], [0]
        for l in range(n):
            rf.append(RECEPTIVE_FIELD_STEP.value(r=rf[-1], k=k_eff[l], j=jump[-1]))
            pad.append(EFFECTIVE_PADDING_STEP.value(P=pad[-1], p=p[l], j=jump[-1]))
            jump.append(JUMP_STEP.value(j=jump[-1], s=s[l]))
        per_axis.append({"k": k, "s": s, "d": d, "p": p, "k_eff": k_eff, "rf": rf, "jump": jump, "pad": pad})

    h, w = per_axis
    answers: dict[str, Any] = {
        "receptive_field": _merge(h["rf"][-1], w["rf"][-1]),
        "receptive_fields": [_merge(a, b) for a, b in zip(h["rf"][1:], w["rf"][1:])],
        "effective_stride": _merge(h["jump"][-1], w["jump"][-1]),
    }
    if paddings is not None:
        answers["effective_padding"] = _merge(h["pad"][-1], w["pad"][-1])
    if position is not None:
        from symconv.problems.validate import size as _size

        x = _size(position, "position", 0)
        centers = [RECEPTIVE_FIELD_CENTER.value(x=x, S=a["jump"][-1], P=a["pad"][-1], r=a["rf"][-1]) for a in (h, w)]
        for a, c in zip((h, w), centers):
            a["x"], a["center"] = x, c
        answers["center"] = _merge(*centers)
    conventions = {"receptive_field": CONVENTIONS["receptive_field"]}
    if dilations is not None:
        conventions["dilation"] = CONVENTIONS["dilation"]
    if paddings is not None:
        conventions["effective_padding"] = CONVENTIONS["effective_padding"]
    same_axes = all(h[key] == w[key] for key in ("k", "s", "d", "p"))
    axes = [("", h)] if same_axes else [("h", h), ("w", w)]

    def build(der: Derivation) -> None:
        _derive(
            der,
            axes,
            n,
            dilated=dilations is not None and any(x != 1 for a in axes for x in a[1]["d"]),
            padded=paddings is not None,
        )

    return ReceptiveFieldResult("receptive_field", "Receptive field", answers, conventions, build)


def _name(base: str, axis: str, index: Any) -> str:
    return f"{base}_{{{axis},{index}}}" if axis else f"{base}_{index}"


def _product(symbols: list[Any]) -> Any:
    """Display of s_1 × … × s_m: 1 for no factor, the symbol itself for one."""
    import sympy

    if not symbols:
        return sympy.Integer(1)
    if len(symbols) == 1:
        return symbols[0]
    return sympy.Mul(*symbols, evaluate=False)


def _derive(der: Derivation, axes: list[tuple[str, dict[str, Any]]], n: int, *, dilated: bool, padded: bool) -> None:
    import sympy

    from symconv.core.arith import size_symbol as sym

    i, m = sympy.symbols("i n", integer=True, positive=True)
    s_idx = sympy.IndexedBase("s")
    der.add(
        Definition(
            rich("Recurrence for the receptive field ($RF_0 = 1$)"),
            sym("RF_n"),
            sympy.Add(
                sym("RF_{n-1}"),
                sympy.Mul(
                    sympy.Add(sym("k_n"), sympy.Integer(-1), evaluate=False),
                    sympy.Product(s_idx[i], (i, 1, sympy.Add(m, sympy.Integer(-1), evaluate=False))),
                    evaluate=False,
                ),
                evaluate=False,
            ),
        )
    )
    for axis, a in axes:
        where = f" (axis {axis})" if axis else ""
        items: list[tuple[Any, Any, str]] = []
        for l in range(n):
            items.append((sym(_name("k", axis, l + 1)), a["k"][l], "kernel"))
            items.append((sym(_name("s", axis, l + 1)), a["s"][l], "stride"))
            if dilated:
                items.append((sym(_name("d", axis, l + 1)), a["d"][l], "dilation"))
            if padded:
                items.append((sym(_name("p", axis, l + 1)), a["p"][l], "padding per side"))
        der.add(given("Given" + where, items))
        values: dict[Any, Any] = {}
        for l in range(n):
            values[sym(_name("k", axis, l + 1))] = a["k"][l]
            values[sym(_name("s", axis, l + 1))] = a["s"][l]
            values[sym(_name("d", axis, l + 1))] = a["d"][l]
            values[sym(_name("p", axis, l + 1))] = a["p"][l]
        kernel_symbol = [sym(_name("k", axis, l + 1)) for l in range(n)]
        if dilated:
            for l in range(n):
                if a["d"][l] == 1:
                    continue
                lhs = sym(_name("k'", axis, l + 1))
                der.equation(
                    f"Effective kernel of layer {l + 1}{where}",
                    lhs,
                    EFFECTIVE_KERNEL,
                    values,
                    symbols={"k": kernel_symbol[l], "d": sym(_name("d", axis, l + 1))},
                    result=a["k_eff"][l],
                )
                values[lhs] = a["k_eff"][l]
                kernel_symbol[l] = lhs
        strides = [sym(_name("s", axis, l + 1)) for l in range(n)]
        values[sym(_name("RF", axis, 0))] = 1
        for l in range(n):
            lhs = sym(_name("RF", axis, l + 1))
            der.equation(
                f"Layer {l + 1}{where}",
                lhs,
                RECEPTIVE_FIELD_STEP,
                values,
                symbols={"r": sym(_name("RF", axis, l)), "k": kernel_symbol[l], "j": _product(strides[:l])},
                result=a["rf"][l + 1],
                unit="input pixels",
                answer=l == n - 1,
                key=f"receptive_fields[{l}]",
            )
            values[lhs] = a["rf"][l + 1]
        der.equation_from(
            f"Effective stride after layer {n}{where}",
            sym(_name("S", axis, n)),
            _product(strides),
            values,
            result=a["jump"][-1],
            unit="input pixels per output step",
            answer=True,
            key="effective_stride",
        )
        values[sym(_name("S", axis, n))] = a["jump"][-1]
        values[sym(_name("P", axis, n))] = a["pad"][-1]
        values[sym(_name("RF", axis, n))] = a["rf"][-1]
        if padded:
            values[sym(_name("P", axis, 0))] = 0
            for l in range(n):
                lhs = sym(_name("P", axis, l + 1))
                der.equation(
                    f"Effective padding after layer {l + 1}{where}",
                    lhs,
                    EFFECTIVE_PADDING_STEP,
                    values,
                    symbols={
                        "P": sym(_name("P", axis, l)),
                        "p": sym(_name("p", axis, l + 1)),
                        "j": _product(strides[:l]),
                    },
                    result=a["pad"][l + 1],
                    unit="input pixels",
                    answer=l == n - 1,
                    key="effective_padding" if l == n - 1 else "",
                )
                values[lhs] = a["pad"][l + 1]
        # The closed form 1 + Σ (k_l − 1) ∏_{i<l} s_i, evaluated independently as a cross-check.
        closed = sympy.Add(
            sympy.Integer(1),
            *[
                sympy.Mul(
                    sympy.Add(kernel_symbol[l], sympy.Integer(-1), evaluate=False),
                    _product(strides[:l]),
                    evaluate=False,
                )
                for l in range(n)
            ],
            evaluate=False,
        )
        der.equation_from(
            rich("Check with the closed form $RF_n = 1 + Σ_l (k_l − 1) × s_1 × … × s_(l−1)$") + where,
            sym(_name("RF", axis, n)),
            closed,
            values,
            result=a["rf"][-1],
        )
        if "center" in a:
            der.equation(
                rich("Centre of the receptive field of output position $x$ = {x} (0-based input coordinate)", x=a["x"])
                + where,
                sym(_name("c", axis, n)),
                RECEPTIVE_FIELD_CENTER,
                {**values, sym("x"): a["x"]},
                symbols={
                    "x": sym("x"),
                    "S": sym(_name("S", axis, n)),
                    "P": sym(_name("P", axis, n)),
                    "r": sym(_name("RF", axis, n)),
                },
                result=a["center"],
                key="center",
                answer=True,
            )


def closed_form(n: int) -> Any:
    """The receptive field of ``n`` layers as a SymPy closed form in k_1…k_n and s_1…s_(n−1)."""
    import sympy

    from symconv.core.arith import size_symbol as sym

    total: Any = sympy.Integer(1)
    for l in range(1, n + 1):
        total += (sym(f"k_{l}") - 1) * sympy.Mul(*[sym(f"s_{i}") for i in range(1, l)])
    return sympy.expand(total)


def prove_recurrence() -> dict[str, Any]:
    """Prove by induction (with SymPy) that the closed form satisfies the recurrence for every n.

    C(n) = 1 + Σ_{l=1}^{n} (k_l − 1) ∏_{i=1}^{l−1} s_i. Base: C(0) = 1 = RF_0. Step: SymPy's
    difference operator gives C(n+1) − C(n), which must equal the recurrence's increment
    (k_{n+1} − 1) ∏_{i=1}^{n} s_i. Returns the pieces and ``holds`` (True when both checks pass).
    """
    import sympy

    k = sympy.IndexedBase("k")
    s = sympy.IndexedBase("s")
    l, i = sympy.symbols("l i", integer=True, positive=True)
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    term = (k[l] - 1) * sympy.Product(s[i], (i, 1, l - 1))
    closed = 1 + sympy.Sum(term, (l, 1, n))
    base = closed.subs(n, 0).doit()
    difference = sympy.difference_delta(closed, n)
    increment = (k[n + 1] - 1) * sympy.Product(s[i], (i, 1, n))
    holds = base == 1 and sympy.simplify(difference - increment) == 0
    return {"closed_form": closed, "base": base, "difference": difference, "increment": increment, "holds": bool(holds)}
