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
from symconv.catalogue.backend import Ops, backend_for
from symconv.catalogue.rules import (
    START,
    effective_kernel,
    field_step,
    nested_fields,
    receptive_field_closed_form,
    receptive_field_general,
    strides_before,
)
from symconv.core.arith import PerAxis, is_symbolic
from symconv.core.coerce import public
from symconv.core.limits import MAX_STACK_DIGITS, MAX_SYMBOLIC_LAYERS, within
from symconv.problems.validate import per_layer
from symconv.solution.derivation import Definition, Derivation, given, rich
from symconv.solution.result import Answer, Result

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


class ReceptiveFieldResult(Result[PerAxis]):
    """Receptive field of a layer stack. ``value`` is the final receptive field (input pixels).

    Answers: ``receptive_field``, ``receptive_fields`` (per layer), ``effective_stride``, and
    ``effective_padding`` when paddings were given. Each is an int, or ``[h, w]`` when the axes differ.
    """

    main = "receptive_field"
    receptive_field: Answer[PerAxis] = Answer()
    receptive_fields: Answer[list[PerAxis]] = Answer()
    effective_stride: Answer[PerAxis] = Answer()
    effective_padding: Answer[PerAxis | None] = Answer()
    center: Answer[PerAxis | None] = Answer()


def _axis(ops: Ops, k: list[Any], s: list[Any], d: list[Any], p: list[Any]) -> dict[str, Any]:
    """One axis: effective kernels, then RF, effective stride and padding after every layer (RF_0 = 1, S_0 = 1, P_0 = 0).

    Numbers, and closed forms whose strides are numbers, follow the recurrence forwards (each answer
    is a sum of one term per layer); with a symbol among the strides the closed forms are composed
    nested (:func:`nested_fields`), so none of them repeats the earlier strides in every term.
    """
    k_eff = [effective_kernel(ops, k_, d_) for k_, d_ in zip(k, d)]
    fields = [START]
    if ops.symbolic and any(is_symbolic(v) for v in s):
        fields.extend(nested_fields(ops, k_eff, s, p))
    else:
        for l in range(len(k)):
            fields.append(field_step(ops, fields[-1], k_eff[l], s[l], p[l]))
    return {
        "k": k,
        "s": s,
        "d": d,
        "p": p,
        "k_eff": k_eff,
        "rf": [f.rf for f in fields],
        "jump": [f.jump for f in fields],
        "pad": [f.pad for f in fields],
    }


def _merge(h: Any, w: Any) -> Any:
    return h if h == w else [h, w]


@public()
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

    ops = backend_for(*(v for pairs in (ks, ss, ds, ps) for pair in pairs for v in pair))
    if ops.symbolic:
        # every answer is a closed form of up to 2n symbols (O(n²) in all), built as it is (a sum of one
        # term per layer, or nested), not simplified
        within("kernels", f"<{n} layers>", n, MAX_SYMBOLIC_LAYERS, "layers with symbol names")
        from symconv.catalogue.symbolic import SYMBOLIC

        ops = SYMBOLIC
    inputs = [
        ([x[axis] for x in ks], [x[axis] for x in ss], [x[axis] for x in ds], [x[axis] for x in ps]) for axis in (0, 1)
    ]
    h = _axis(ops, *inputs[0])
    per_axis = [h, h if inputs[1] == inputs[0] else _axis(ops, *inputs[1])]  # square stacks: one axis worked

    h, w = per_axis
    if not ops.symbolic:  # each S_l is written a few times: their digits bound the worked solution's length
        digits = sum(int(abs(j).bit_length() * 0.30103) + 1 for a in ([h] if h is w else [h, w]) for j in a["jump"][1:])
        within("strides", f"<{n} layers>", digits, MAX_STACK_DIGITS, "digits of the effective strides S_1 … S_n")
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
        ops = ops if ops.symbolic else backend_for(x)
        centers = [ops.ev(RECEPTIVE_FIELD_CENTER, x, a["jump"][-1], a["pad"][-1], a["rf"][-1]) for a in (h, w)]
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


def _derive(der: Derivation, axes: list[tuple[str, dict[str, Any]]], n: int, *, dilated: bool, padded: bool) -> None:
    from symconv.core.arith import size_symbol as sym

    der.add(
        Definition(
            rich("Recurrence for the receptive field ($RF_0 = 1$)"),
            sym("RF_n"),
            RECEPTIVE_FIELD_STEP.display(r=sym("RF_{n-1}"), k=sym("k_n"), j=sym("S_{n-1}")),
        )
    )
    der.add(
        Definition(
            rich("Effective stride, the product of the strides so far ($S_0 = 1$)"),
            sym("S_n"),
            JUMP_STEP.display(j=sym("S_{n-1}"), s=sym("s_n")),
        )
    )
    for axis, a in axes:
        steps = _AxisSteps(der, axis, a, n)
        steps.given(dilated=dilated, padded=padded)
        if dilated:
            steps.effective_kernels()
        steps.receptive_fields()
        steps.effective_stride()
        if padded:
            steps.effective_paddings()
        steps.closed_form_check()
        if "center" in a:
            steps.centre()


class _AxisSteps:
    """The steps of one axis: symbols k_l, s_l, d_l, p_l (with the axis in the subscript when the axes differ)."""

    def __init__(self, der: Derivation, axis: str, a: dict[str, Any], n: int) -> None:
        from symconv.core.arith import size_symbol

        self.der, self.axis, self.a, self.n = der, axis, a, n
        self.where = f" (axis {axis})" if axis else ""
        self.sym = size_symbol
        self.values: dict[Any, Any] = {}
        for l in range(n):
            for base in ("k", "s", "d", "p"):
                self.values[self.name(base, l + 1)] = a[base][l]
        self.kernels = [self.name("k", l + 1) for l in range(n)]
        self.strides = [self.name("s", l + 1) for l in range(n)]
        self.order = [v for l in range(n) for base in ("p", "k", "d", "s") if is_symbolic(v := a[base][l])]
        """The user's symbols layer by layer, the order the terms of a closed form follow (p_1 + s_1 p_2)."""

    def name(self, base: str, index: Any) -> Any:
        return self.sym(_name(base, self.axis, index))

    def given(self, *, dilated: bool, padded: bool) -> None:
        a, items = self.a, []
        for l in range(self.n):
            items.append((self.name("k", l + 1), a["k"][l], "kernel"))
            items.append((self.name("s", l + 1), a["s"][l], "stride"))
            if dilated:
                items.append((self.name("d", l + 1), a["d"][l], "dilation"))
            if padded:
                items.append((self.name("p", l + 1), a["p"][l], "padding per side"))
        self.der.add(given("Given" + self.where, items))

    def effective_kernels(self) -> None:
        for l in range(self.n):
            if self.a["d"][l] == 1:
                continue
            lhs = self.name("k'", l + 1)
            self.der.equation(
                f"Effective kernel of layer {l + 1}{self.where}",
                lhs,
                EFFECTIVE_KERNEL,
                self.values,
                symbols={"k": self.kernels[l], "d": self.name("d", l + 1)},
                result=self.a["k_eff"][l],
            )
            self.values[lhs] = self.a["k_eff"][l]
            self.kernels[l] = lhs

    def jump(self, l: int) -> Any:
        """The symbol of S_l, the effective stride after layer l (S_0 = 1, no layer yet)."""
        return self.name("S", l)

    def remember(self, lhs: Any, value: Any) -> None:
        """A result later steps substitute: numbers only, so that no step repeats an earlier closed form.

        A closed form is written once, terms in the order of the layers (k_1 + s_1(k_2 − 1)), and
        recorded so that the step showing it writes it so.
        """
        if not is_symbolic(value):
            self.values[lhs] = value
        elif value not in self.der.written:
            from symconv.core.closedform import as_display, remember

            remember(self.der.written, value, as_display(value, self.order))

    def stride_step(self, l: int, answer: bool = False) -> None:
        """S_l = S_(l−1) × s_l, its own step, so that later lines write S_l rather than s_1 × … × s_l."""
        lhs = self.name("S", l)
        self.remember(lhs, self.a["jump"][l])
        self.der.equation(
            f"Effective stride after layer {l}{self.where}",
            lhs,
            JUMP_STEP,
            self.values,
            symbols={"j": self.jump(l - 1), "s": self.strides[l - 1]},
            result=self.a["jump"][l],
            unit="input pixels per output step",
            answer=answer,
            key="effective_stride" if answer else "",
        )

    def receptive_fields(self) -> None:
        self.values[self.name("RF", 0)] = 1
        self.values[self.name("S", 0)] = 1
        for l in range(self.n):
            if l > 0:
                self.stride_step(l)
            lhs = self.name("RF", l + 1)
            self.remember(lhs, self.a["rf"][l + 1])
            self.der.equation(
                f"Layer {l + 1}{self.where}",
                lhs,
                RECEPTIVE_FIELD_STEP,
                self.values,
                symbols={"r": self.name("RF", l), "k": self.kernels[l], "j": self.jump(l)},
                result=self.a["rf"][l + 1],
                unit="input pixels",
                answer=l == self.n - 1,
                key=f"receptive_fields[{l}]",
            )

    def effective_stride(self) -> None:
        self.stride_step(self.n, answer=True)

    def effective_paddings(self) -> None:
        n = self.n
        self.values[self.name("P", 0)] = 0
        for l in range(n):
            lhs = self.name("P", l + 1)
            self.remember(lhs, self.a["pad"][l + 1])
            self.der.equation(
                f"Effective padding after layer {l + 1}{self.where}",
                lhs,
                EFFECTIVE_PADDING_STEP,
                self.values,
                symbols={"P": self.name("P", l), "p": self.name("p", l + 1), "j": self.jump(l)},
                result=self.a["pad"][l + 1],
                unit="input pixels",
                answer=l == n - 1,
                key="effective_padding" if l == n - 1 else "",
            )

    def closed_form_check(self) -> None:
        """The closed form 1 + Σ (k_l − 1) S_(l−1) with the effective strides found above, summed as a cross-check.

        Numbers only: with symbols, the per-layer closed forms above are the closed form.
        """
        if is_symbolic(self.a["rf"][-1]):
            return
        jumps = [self.jump(l) for l in range(self.n)]
        self.der.equation_from(
            rich("Check with the closed form $RF_n = 1 + Σ_l (k_l − 1) × S_(l−1)$") + self.where,
            self.name("RF", self.n),
            receptive_field_closed_form(self.kernels, jumps, display=True),
            self.values,
            result=self.a["rf"][-1],
        )

    def centre(self) -> None:
        n, a, x = self.n, self.a, self.sym("x")
        self.der.equation(
            rich("Centre of the receptive field of output position $x$ = {x} (0-based input coordinate)", x=a["x"])
            + self.where,
            self.name("c", n),
            RECEPTIVE_FIELD_CENTER,
            {**self.values, x: a["x"]},
            symbols={"x": x, "S": self.name("S", n), "P": self.name("P", n), "r": self.name("RF", n)},
            result=a["center"],
            key="center",
            answer=True,
        )


def closed_form(n: int) -> Any:
    """The receptive field of ``n`` layers as a SymPy closed form in k_1…k_n and s_1…s_(n−1)."""
    import sympy

    from symconv.core.arith import size_symbol as sym

    kernels = [sym(f"k_{l}") for l in range(1, n + 1)]
    jumps: list[Any] = [sympy.Integer(1)]  # S_0 = 1, S_l = S_(l-1) s_l
    for l in range(1, n):
        jumps.append(JUMP_STEP.expr(j=jumps[-1], s=sym(f"s_{l}")))
    return sympy.expand(receptive_field_closed_form(kernels, jumps, display=False))


def prove_recurrence() -> dict[str, Any]:
    """Prove by induction (with SymPy) that the closed form satisfies the recurrence for every n.

    C(n) = 1 + Σ_{l=1}^{n} G_l with the catalogue's growth G_l = (k_l − 1) ∏_{i=1}^{l−1} s_i
    (:func:`symconv.catalogue.rules.receptive_field_general`). Base:
    C(0) = 1 = RF_0. Step: SymPy's difference operator gives C(n+1) − C(n), which must equal the
    recurrence's increment RF_(n+1) − RF_n, the catalogue's step with RF_n set to 0. Returns the
    pieces and ``holds`` (True when both checks pass).
    """
    import sympy

    k = sympy.IndexedBase("k")
    n = sympy.Symbol("n", integer=True, nonnegative=True)
    closed = receptive_field_general(n)
    base = closed.subs(n, 0).doit()
    difference = sympy.difference_delta(closed, n)
    increment = RECEPTIVE_FIELD_STEP.expr(r=0, k=k[n + 1], j=strides_before(n + 1))
    holds = base == 1 and sympy.simplify(difference - increment) == 0
    return {"closed_form": closed, "base": base, "difference": difference, "increment": increment, "holds": bool(holds)}
