"""Output size along one axis: floor (convolution), ceil mode (pooling), transposed, TensorFlow 'SAME'."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from symconv.catalogue import (
    CONV_OUTPUT,
    EFFECTIVE_KERNEL,
    LAST_WINDOW_START,
    POOL_OUTPUT_CEIL,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_TOTAL,
    TRANSPOSED_OUTPUT,
)
from symconv.core.arith import is_symbolic
from symconv.errors import InputError
from symconv.problems.validate import size
from symconv.solution.derivation import Derivation, given, rich
from symconv.solution.result import Result

MODES = ("floor", "ceil", "transposed", "tf_same")

CONVENTIONS = {
    "floor": rich(
        "$o = ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1$: padding $p$ per side, dilation $d$ counted from 1 "
        "($d = 1$ is an ordinary kernel), windows that would run past the padded input are dropped (PyTorch, Caffe, "
        "TensorFlow 'VALID' with $p = 0$)."
    ),
    "ceil": "ceil_mode (pooling): the division is rounded up, and, as in PyTorch, a last window that would start "
    "in the right padding is dropped.",
    "transposed": rich(
        "Transposed convolution (PyTorch ConvTranspose2d): $o = (i − 1)s − 2p + d(k − 1) + a + 1$ with "
        "output padding $a$."
    ),
    "tf_same": rich(
        "TensorFlow padding='SAME': $o = ⌈i/s⌉$; total padding $max((o − 1)s + k_eff − i, 0)$, the smaller "
        "half before (left/top) and the extra pixel after (right/bottom)."
    ),
}


@dataclass
class AxisSize:
    """Numeric (or closed-form) answers for one axis; ``padding`` is (before, after)."""

    output: Any
    padding: tuple[Any, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def axis_output(i: Any, k: Any, s: Any, p: Any, d: Any, mode: str, a: Any = 0, field_prefix: str = "") -> AxisSize:
    """Compute the output size along one axis, validating the sizes.

    ``p`` is the per-side padding for the floor/ceil/transposed modes and ignored for ``tf_same``.
    """
    if mode not in MODES:
        raise InputError(field_prefix + "mode", mode, "use one of " + ", ".join(MODES))
    numeric = not any(is_symbolic(v) for v in (i, k, s, p, d, a))
    if mode == "tf_same":
        o = TF_SAME_OUTPUT.value(i=i, s=s)
        k_e = EFFECTIVE_KERNEL.value(k=k, d=d)
        total = TF_SAME_PADDING_TOTAL.value(o=o, s=s, k_e=k_e, i=i)
        begin = TF_SAME_PADDING_BEGIN.value(P=total)
        end = TF_SAME_PADDING_END.value(P=total, p_b=begin)
        return AxisSize(o, (begin, end), {"k_eff": k_e, "padding_total": total})
    if mode == "transposed":
        if numeric and not (a < s or a < d):
            raise InputError(
                field_prefix + "output_padding", a, f"must be smaller than the stride ({s}) or the dilation ({d})"
            )
        return AxisSize(TRANSPOSED_OUTPUT.value(i=i, k=k, s=s, p=p, d=d, a=a), (p, p))
    if numeric:
        k_e = EFFECTIVE_KERNEL(k, d)
        if k_e > i + 2 * p:
            what = f"kernel {k}" + (f" (extent {k_e} with dilation {d})" if d != 1 else "")
            raise InputError(
                field_prefix + "kernel", k, f"{what} is larger than the padded input {i} + 2×{p} = {i + 2 * p}"
            )
    if mode == "floor":
        return AxisSize(CONV_OUTPUT.value(i=i, k=k, s=s, p=p, d=d), (p, p))
    o = POOL_OUTPUT_CEIL.value(i=i, k=k, s=s, p=p, d=d)
    extra: dict[str, Any] = {"ceil_output": o}
    if numeric:
        start = LAST_WINDOW_START(o, s)
        extra["last_start"] = start
        extra["input_end"] = i + p
        if start >= i + p:  # PyTorch: the last window must start inside the input or the left padding
            o -= 1
            extra["dropped"] = True
    else:
        # the same rule as a closed form: one window fewer where the last one would start in the padding
        import sympy

        from symconv.core.stepper import to_sympy

        start = LAST_WINDOW_START.value(o=o, s=s)
        dropped = sympy.Ge(start, to_sympy(i) + to_sympy(p))
        if dropped is not sympy.false:
            o = sympy.Piecewise((o - 1, dropped), (o, True))
    return AxisSize(o, (p, p), extra)


def derive_axis(
    der: Derivation,
    res: AxisSize,
    names: dict[str, Any],
    values: dict[str, Any],
    mode: str,
    *,
    label: str,
    key: str = "",
    answer: bool = False,
) -> None:
    """Add the steps of one axis: ``names`` maps i, k, s, p, d, a, o to display symbols; ``label`` names the size.

    For TensorFlow 'SAME', ``names`` may also name the derived paddings (``P``, ``p_b``, ``p_e``, ``k_eff``)
    so the two axes of a layer get different symbols.
    """
    from symconv.core.arith import size_symbol as sym

    symbols = {k: v for k, v in names.items() if k in ("i", "k", "s", "p", "d", "a")}
    vals = {names[k]: v for k, v in values.items() if k in names}
    lhs = names["o"]
    if mode == "tf_same":
        der.equation(
            f"{label} with TensorFlow 'SAME'",
            lhs,
            TF_SAME_OUTPUT,
            vals,
            symbols={"i": names["i"], "s": names["s"]},
            result=res.output,
            key=key,
            answer=answer,
        )
        vals[lhs] = res.output
        k_e = names.get("k_eff", sym("k_eff"))
        if values.get("d", 1) != 1 or is_symbolic(values.get("d", 1)):
            der.equation(
                "Effective kernel",
                k_e,
                EFFECTIVE_KERNEL,
                vals,
                symbols={"k": names["k"], "d": names["d"]},
                result=res.extra["k_eff"],
            )
            vals[k_e] = res.extra["k_eff"]
            kshow: Any = k_e
        else:
            kshow = names["k"]
        total = names.get("P", sym("P"))
        der.equation(
            f"{label}: total padding",
            total,
            TF_SAME_PADDING_TOTAL,
            vals,
            symbols={"o": lhs, "s": names["s"], "k_e": kshow, "i": names["i"]},
            result=res.extra["padding_total"],
        )
        vals[total] = res.extra["padding_total"]
        pb = names.get("p_b", sym("p_b"))
        der.equation(
            f"{label}: padding before (left/top)",
            pb,
            TF_SAME_PADDING_BEGIN,
            vals,
            symbols={"P": total},
            result=res.padding[0],
        )
        vals[pb] = res.padding[0]
        der.equation(
            f"{label}: padding after (right/bottom)",
            names.get("p_e", sym("p_e")),
            TF_SAME_PADDING_END,
            vals,
            symbols={"P": total, "p_b": pb},
            result=res.padding[1],
        )
        return
    if mode == "transposed":
        der.equation(
            f"{label} of the transposed convolution",
            lhs,
            TRANSPOSED_OUTPUT,
            vals,
            symbols=symbols,
            result=res.output,
            key=key,
            answer=answer,
        )
        return
    if mode == "floor":
        der.equation(
            label,
            lhs,
            CONV_OUTPUT,
            vals,
            symbols={k: v for k, v in symbols.items() if k != "a"},
            result=res.output,
            key=key,
            answer=answer,
        )
        return
    symbolic_rule = "last_start" not in res.extra and res.output != res.extra["ceil_output"]
    final_here = not res.extra.get("dropped") and not symbolic_rule
    der.equation(
        f"{label} with ceil_mode",
        lhs,
        POOL_OUTPUT_CEIL,
        vals,
        symbols={k: v for k, v in symbols.items() if k != "a"},
        result=res.extra["ceil_output"],
        key=key if final_here else "",
        answer=answer and final_here,
    )
    if symbolic_rule:
        der.note(
            rich(
                "PyTorch drops the last window when it would start in the right padding, that is when "
                "$(o − 1)s ≥ i + p$; with symbols this stays a condition:"
            )
        )
        der.equation_from(label, lhs, res.output, {}, result=res.output, key=key, answer=answer, show_formula=False)
    if "last_start" in res.extra:
        start = sym("x_last")
        vals[lhs] = res.extra["ceil_output"]
        der.equation(
            "Start of the last window in the padded input (0-based)",
            start,
            LAST_WINDOW_START,
            vals,
            symbols={"o": lhs, "s": names["s"]},
            result=res.extra["last_start"],
        )
        import sympy

        # the input's end in the padded coordinates, i + p, derived like every other number
        end = sym("x_end")
        der.equation_from(
            "End of the input in the padded input: the right padding starts here",
            end,
            sympy.Add(names["i"], names["p"], evaluate=False),
            vals,
            result=res.extra["input_end"],
        )
        if res.extra.get("dropped"):
            der.note(rich("$x_last ≥ i + p$: the last window would start in the right padding, so PyTorch drops it."))
            der.equation_from(
                label,
                lhs,
                _minus_one(res.extra["ceil_output"]),
                {},
                result=res.output,
                key=key,
                answer=answer,
                show_formula=False,
            )
        else:
            der.note(
                rich("$x_last < i + p$: the last window starts inside the input or the left padding, so it is kept.")
            )


def _minus_one(o: Any) -> Any:
    import sympy

    from symconv.core.stepper import to_sympy

    return sympy.Add(to_sympy(o), sympy.Integer(-1), evaluate=False)


class OutputSizeResult(Result):
    """Output size along one axis. ``value`` is the output size; answers ``output_size`` (and ``padding_before``,
    ``padding_after``, ``padding_total`` for ``tf_same``)."""

    main = "output_size"


def output_size(
    i: Any = None,
    k: Any = None,
    s: Any = 1,
    p: Any = 0,
    d: Any = 1,
    *,
    mode: str = "floor",
    output_padding: Any = 0,
) -> OutputSizeResult:
    """Output size of a convolution or pooling along one axis.

    Args:
        i: input size (pixels); ``None`` or a name keeps it symbolic.
        k: kernel size; ``None`` or a name keeps it symbolic.
        s: stride (default 1).
        p: padding per side (default 0; ignored by ``tf_same``, which computes it).
        d: dilation, counted from 1 (default 1 = ordinary kernel).
        mode: ``"floor"`` (convolution), ``"ceil"`` (pooling with ceil_mode), ``"transposed"``,
            ``"tf_same"`` (TensorFlow padding='SAME').
        output_padding: transposed convolutions only (PyTorch's ``output_padding``).

    Returns:
        An :class:`OutputSizeResult`; with symbols the answer is a closed form (floors kept exact).
    """
    from symconv.core.arith import size_symbol as sym

    vals = {
        "i": size("i" if i is None else i, "i"),
        "k": size("k" if k is None else k, "k"),
        "s": size(s, "s"),
        "p": size(p, "p", 0),
        "d": size(d, "d"),
        "a": size(output_padding, "output_padding", 0),
    }
    res = axis_output(vals["i"], vals["k"], vals["s"], vals["p"], vals["d"], mode, vals["a"])
    answers: dict[str, Any] = {"output_size": res.output}
    if mode == "tf_same":
        answers.update(
            padding_total=res.extra["padding_total"], padding_before=res.padding[0], padding_after=res.padding[1]
        )
    conventions = {"output_size": CONVENTIONS[mode]}

    def build(der: Derivation) -> None:
        names = {n: sym(n) for n in ("i", "k", "s", "p", "d", "a", "o")}
        shown = [
            n
            for n in ("i", "k", "s", "p", "d", "a")
            if not (n == "a" and mode != "transposed") and not (n == "p" and mode == "tf_same")
        ]
        der.add(given("Given", [(names[n], vals[n], _DESCRIPTIONS[n]) for n in shown]))
        derive_axis(der, res, names, vals, mode, label="Output size", key="output_size", answer=True)

    return OutputSizeResult("output_size", "Output size", answers, conventions, build)


_DESCRIPTIONS = {
    "i": "input size",
    "k": "kernel size",
    "s": "stride",
    "p": "padding per side",
    "d": "dilation",
    "a": "output padding",
}
