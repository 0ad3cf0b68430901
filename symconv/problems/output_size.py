"""Output size along one axis: floor (convolution), ceil mode (pooling), transposed, TensorFlow 'SAME'."""

from __future__ import annotations

from typing import Any

from symconv.catalogue import (
    CONV_OUTPUT,
    EFFECTIVE_KERNEL,
    INPUT_END,
    LAST_WINDOW_DROPPED,
    LAST_WINDOW_START,
    POOL_OUTPUT_CEIL,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_TOTAL,
    TRANSPOSED_OUTPUT,
)
from symconv.catalogue.backend import backend_for
from symconv.catalogue.rules import Window, checked_window
from symconv.core.arith import Size, is_symbolic
from symconv.core.coerce import public
from symconv.problems.validate import size
from symconv.solution.derivation import Derivation, given, rich
from symconv.solution.result import Answer, Result

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


def axis_output(i: Any, k: Any, s: Any, p: Any, d: Any, mode: str, a: Any = 0, field_prefix: str = "") -> Window:
    """The window along one axis (output size and every value that sized it), checked as PyTorch checks it.

    ``p`` is the per-side padding for the floor/ceil/transposed modes and ignored for ``tf_same``; ceil mode
    is pooling (its padding at most half the kernel). See :func:`symconv.catalogue.rules.checked_window`.
    """
    return checked_window(backend_for(i, k, s, p, d, a), mode, i, k, s, d, p, p, a, field=field_prefix)


def derive_axis(
    der: Derivation,
    w: Window,
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
    symbols = {k: v for k, v in names.items() if k in ("i", "k", "s", "p", "d", "a")}
    vals = {names[k]: v for k, v in values.items() if k in names}
    step = _Axis(der, w, names, vals, label, key, answer)
    if mode == "tf_same":
        step.tf_same(values)
    elif mode == "transposed":
        der.equation(
            f"{label} of the transposed convolution",
            names["o"],
            TRANSPOSED_OUTPUT,
            vals,
            symbols=symbols,
            result=w.o,
            key=key,
            answer=answer,
        )
    elif mode == "floor":
        der.equation(
            label,
            names["o"],
            CONV_OUTPUT,
            vals,
            symbols={k: v for k, v in symbols.items() if k != "a"},
            result=w.o,
            key=key,
            answer=answer,
        )
    else:
        step.ceil_mode({k: v for k, v in symbols.items() if k != "a"})


class _Axis:
    """The steps of one axis in TensorFlow's 'SAME' and in ceil mode (the modes with more than one step)."""

    def __init__(
        self,
        der: Derivation,
        w: Window,
        names: dict[str, Any],
        vals: dict[Any, Any],
        label: str,
        key: str,
        answer: bool,
    ) -> None:
        self.der, self.w, self.names, self.vals = der, w, names, vals
        self.label, self.key, self.answer = label, key, answer

    def tf_same(self, values: dict[str, Any]) -> None:
        from symconv.core.arith import size_symbol as sym

        der, w, names, vals, label = self.der, self.w, self.names, self.vals, self.label
        lhs = names["o"]
        der.equation(
            f"{label} with TensorFlow 'SAME'",
            lhs,
            TF_SAME_OUTPUT,
            vals,
            symbols={"i": names["i"], "s": names["s"]},
            result=w.o,
            key=self.key,
            answer=self.answer,
        )
        vals[lhs] = w.o
        k_e = names.get("k_eff", sym("k_eff"))
        if values.get("d", 1) != 1 or is_symbolic(values.get("d", 1)):
            der.equation(
                "Effective kernel",
                k_e,
                EFFECTIVE_KERNEL,
                vals,
                symbols={"k": names["k"], "d": names["d"]},
                result=w.k_eff,
            )
            vals[k_e] = w.k_eff
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
            result=w.same_total,
        )
        vals[total] = w.same_total
        if is_symbolic(w.same_need) and w.same_total is w.same_need:
            der.note(
                rich(
                    "The max is not needed: $o = ⌈i/s⌉$ makes $(o − 1)s$ at least $i − s$, so the padding needed is "
                    "at least $k_eff − s ≥ 0$."
                )
            )
        elif is_symbolic(w.same_need) and not is_symbolic(w.same_total):
            der.note(
                rich("$o = ⌈i/s⌉$ makes $(o − 1)s$ at most $i − 1$, so with $k_eff = 1$ no padding is needed: $P = 0$.")
            )
        pb = names.get("p_b", sym("p_b"))
        der.equation(
            f"{label}: padding before (left/top)", pb, TF_SAME_PADDING_BEGIN, vals, symbols={"P": total}, result=w.p_b
        )
        vals[pb] = w.p_b
        der.equation(
            f"{label}: padding after (right/bottom)",
            names.get("p_e", sym("p_e")),
            TF_SAME_PADDING_END,
            vals,
            symbols={"P": total, "p_b": pb},
            result=w.p_e,
        )

    def ceil_mode(self, symbols: dict[str, Any]) -> None:
        der, w, label, key, answer = self.der, self.w, self.label, self.key, self.answer
        lhs = self.names["o"]
        numeric = not any(is_symbolic(v) for v in (w.i, w.k, w.s, w.p_b, w.d))
        symbolic_rule = not numeric and w.o != w.ceil_output
        final_here = not w.dropped_last and not symbolic_rule
        der.equation(
            f"{label} with ceil_mode",
            lhs,
            POOL_OUTPUT_CEIL,
            self.vals,
            symbols=symbols,
            result=w.ceil_output,
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
            der.equation_from(label, lhs, w.o, {}, result=w.o, key=key, answer=answer, show_formula=False)
        if numeric:
            self.last_window()
        elif w.always_kept:
            der.note(
                rich(
                    "$k_eff ≥ p + s$, so the last window starts inside the input or the left padding "
                    "($(o − 1)s < i + p$): PyTorch keeps it."
                )
            )

    def last_window(self) -> None:
        """x_last = (o − 1)s against x_end = i + p: PyTorch's rule, derived with numbers."""
        from symconv.core.arith import size_symbol as sym

        der, w, names, vals = self.der, self.w, self.names, self.vals
        lhs = names["o"]
        vals[lhs] = w.ceil_output
        der.equation(
            "Start of the last window in the padded input (0-based)",
            sym("x_last"),
            LAST_WINDOW_START,
            vals,
            symbols={"o": lhs, "s": names["s"]},
            result=w.last_start,
        )
        der.equation(
            "End of the input in the padded input: the right padding starts here",
            sym("x_end"),
            INPUT_END,
            vals,
            symbols={"i": names["i"], "p": names["p"]},
            result=w.input_end,
        )
        if w.dropped_last:
            der.note(rich("$x_last ≥ i + p$: the last window would start in the right padding, so PyTorch drops it."))
            der.equation_from(
                self.label,
                lhs,
                LAST_WINDOW_DROPPED.display(o=w.ceil_output),
                {},
                result=w.o,
                key=self.key,
                answer=self.answer,
                show_formula=False,
            )
        else:
            der.note(
                rich("$x_last < i + p$: the last window starts inside the input or the left padding, so it is kept.")
            )


class OutputSizeResult(Result[Size]):
    """Output size along one axis. ``value`` is the output size; answers ``output_size`` (and ``padding_before``,
    ``padding_after``, ``padding_total`` for ``tf_same``)."""

    main = "output_size"
    output_size: Answer[Size] = Answer()
    padding_total: Answer[Size | None] = Answer()
    padding_before: Answer[Size | None] = Answer()
    padding_after: Answer[Size | None] = Answer()


@public(aliases={"i": "input"})
def output_size(
    input: Any = None,
    kernel: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    *,
    mode: str = "floor",
    output_padding: Any = 0,
) -> OutputSizeResult:
    """Output size of a convolution or pooling along one axis.

    The catalogue's letters are accepted as shorthand: ``i``, ``k``, ``s``, ``p``, ``d``, ``a``
    (``output_size(38, k=3, s=2)`` is ``output_size(38, kernel=3, stride=2)``).

    Args:
        input: input size i (pixels); ``None`` or a name keeps it symbolic.
        kernel: kernel size k; ``None`` or a name keeps it symbolic.
        stride: stride s (default 1).
        padding: padding p per side (default 0; ignored by ``tf_same``, which computes it).
        dilation: dilation d, counted from 1 (default 1 = ordinary kernel).
        mode: ``"floor"`` (convolution), ``"ceil"`` (pooling with ceil_mode), ``"transposed"``,
            ``"tf_same"`` (TensorFlow padding='SAME').
        output_padding: output padding a, transposed convolutions only (PyTorch's ``output_padding``).

    Returns:
        An :class:`OutputSizeResult`; with symbols the answer is a closed form (floors kept exact).

    Raises:
        InputError: naming the field, for every input PyTorch refuses: a kernel larger than the padded
            input (floor mode), a ceil-mode or transposed output below one pixel, pooling padding more
            than half the kernel (ceil mode), output padding not smaller than the stride or the dilation,
            or given outside ``mode="transposed"``.
    """
    from symconv.core.arith import size_symbol as sym

    vals = {
        "i": size("i" if input is None else input, "input"),
        "k": size("k" if kernel is None else kernel, "kernel"),
        "s": size(stride, "stride"),
        "p": size(padding, "padding", 0),
        "d": size(dilation, "dilation"),
        "a": size(output_padding, "output_padding", 0),
    }
    res = axis_output(vals["i"], vals["k"], vals["s"], vals["p"], vals["d"], mode, vals["a"])
    answers: dict[str, Any] = {"output_size": res.o}
    if mode == "tf_same":
        answers.update(padding_total=res.same_total, padding_before=res.p_b, padding_after=res.p_e)
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
