"""One convolution layer: output shape, weights, biases, parameters, multiplications (MACs), additions, FLOPs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symconv.catalogue import (
    ADDITIONS_PER_OUTPUT,
    CHANNELS_PER_GROUP,
    CONV_BIASES,
    CONV_MACS,
    CONV_WEIGHTS,
    COST_SUM,
    FLOPS_FROM_MACS,
    MACS_PER_OUTPUT,
    TOTAL_PARAMETERS,
)
from symconv.core.arith import is_symbolic
from symconv.errors import InputError
from symconv.problems.output_size import CONVENTIONS as SIZE_CONVENTIONS
from symconv.problems.output_size import axis_output, derive_axis
from symconv.problems.validate import pair, shape3, size
from symconv.solution.derivation import Derivation, given, rich
from symconv.solution.result import Result

CONVENTIONS = {
    "macs": rich(
        "Multiplications = MACs (multiply-accumulates): one per weight per output element, "
        "$K = k_h × k_w × C_in/g$ per output element; the bias is an addition and is not counted as a multiplication."
    ),
    "flops": rich(
        "$FLOPs = 2 × MACs$ (one multiplication and one addition per MAC; the fvcore/torch flop-counter "
        "'flops' differ: fvcore reports MACs, torch's counter $2 × MACs$). The exact count, $K$ multiplications and "
        "$K − 1$ additions per output element ($K$ with a bias), is given as flops_exact."
    ),
    "parameters": "Parameters = weights + biases (one bias per filter) when bias is true, weights only otherwise.",
    "transposed": rich(
        "A transposed convolution is counted over its input positions: every input element is "
        "multiplied by $k_h × k_w × C_out/g$ weights (the convention of fvcore and torch's flop counter)."
    ),
}


class ConvLayerResult(Result):
    """A convolution layer. ``value`` is the number of multiplications (MACs).

    Answers: ``output_shape`` [H', W', C'], ``weights``, ``biases``, ``parameters``,
    ``multiplications_per_output``, ``multiplications``, ``macs``, ``additions``, ``flops``, ``flops_exact``.
    """

    main = "multiplications"


def _padding(padding: Any) -> tuple[str, tuple[Any, Any]]:
    """('floor', (p_h, p_w)) or ('tf_same', (0, 0)); 'valid' is zero padding."""
    if isinstance(padding, str):
        mode = padding.strip().lower()
        if mode == "valid":
            return "floor", (0, 0)
        if mode == "same":
            return "tf_same", (0, 0)
        if mode in ("full", "causal", "reflect", "replicate", "circular"):
            raise InputError(
                "padding",
                padding,
                "is not supported; give the zero padding per side as a number (for 'full', k − 1), 'valid' or 'same'",
            )
        try:
            return "floor", pair(padding, "padding", 0)
        except InputError:
            raise InputError("padding", padding, "expected a number, [p_h, p_w], 'valid' or 'same'") from None
    return "floor", pair(padding, "padding", 0)


def conv_layer(
    input: Sequence[Any],
    kernel: Any,
    filters: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: Any = 1,
    bias: bool = True,
    transposed: bool = False,
    output_padding: Any = 0,
) -> ConvLayerResult:
    """Output shape, parameters and operation counts of one 2-D convolution layer.

    Args:
        input: ``[H, W, C]`` (pixels, pixels, channels); numbers or symbol names.
        kernel: ``k`` or ``[k_h, k_w]``.
        filters: number of filters = output channels C'.
        stride, dilation: a number or ``[h, w]``; dilation counts from 1.
        padding: per side, a number, ``[p_h, p_w]``, ``"valid"`` (0) or ``"same"`` (TensorFlow's rule).
        groups: the channels are split into ``groups`` groups (``groups = C`` is depthwise).
        bias: whether the layer has biases (counted as parameters, and as one addition per output).
        transposed: a transposed convolution (output size by PyTorch's ConvTranspose2d formula).
        output_padding: transposed only.

    Returns:
        A :class:`ConvLayerResult` whose value is the number of multiplications (= MACs).
    """
    H, W, C = shape3(input, "input")
    kh, kw = pair(kernel, "kernel")
    F = size(filters, "filters")
    sh, sw = pair(stride, "stride")
    dh, dw = pair(dilation, "dilation")
    ah, aw = pair(output_padding, "output_padding", 0)
    g = size(groups, "groups")
    if not isinstance(bias, bool):
        raise InputError("bias", bias, "expected true or false")
    mode, (ph, pw) = _padding(padding)
    if transposed:
        if mode == "tf_same":
            raise InputError("padding", padding, "'same' is not defined for a transposed convolution")
        mode = "transposed"
    if not is_symbolic(g):
        for name, ch in (("input[2]", C), ("filters", F)):
            if not is_symbolic(ch) and ch % g:
                raise InputError("groups", g, f"does not divide the {ch} channels of {name}")
    hs = axis_output(H, kh, sh, ph, dh, mode, ah, "height ")
    ws = axis_output(W, kw, sw, pw, dw, mode, aw, "width ")

    c_g = C if g == 1 else CHANNELS_PER_GROUP.value(C_in=C, g=g)
    f_g = F if g == 1 else CHANNELS_PER_GROUP.value(C_in=F, g=g)  # output channels per group (transposed)
    weights = CONV_WEIGHTS.value(k_h=kh, k_w=kw, C_g=c_g, C_out=F)
    biases = CONV_BIASES.value(C_out=F) if bias else 0
    params = TOTAL_PARAMETERS.value(W=weights, B=biases)
    if transposed:
        # counted over input positions: each input element meets k_h·k_w·C_out/g weights
        per = MACS_PER_OUTPUT.value(k_h=kh, k_w=kw, C_g=f_g)
        macs = CONV_MACS.value(H_o=H, W_o=W, C_out=C, K=per)
    else:
        per = MACS_PER_OUTPUT.value(k_h=kh, k_w=kw, C_g=c_g)
        macs = CONV_MACS.value(H_o=hs.output, W_o=ws.output, C_out=F, K=per)
    outputs = CONV_MACS.value(H_o=hs.output, W_o=ws.output, C_out=F, K=1)
    if transposed:
        # every product lands in some output element: the additions are the products minus one per output element
        additions = macs - outputs + (outputs if bias else 0)
    else:
        additions = CONV_MACS.value(
            H_o=hs.output, W_o=ws.output, C_out=F, K=ADDITIONS_PER_OUTPUT.value(K=per) + (1 if bias else 0)
        )
    answers: dict[str, Any] = {
        "output_shape": [hs.output, ws.output, F],
        "weights": weights,
        "biases": biases,
        "parameters": params,
        "multiplications_per_output": per,
        "multiplications": macs,
        "macs": macs,
        "additions": additions,
        "flops": FLOPS_FROM_MACS.value(M=macs),
        "flops_exact": COST_SUM.value(a=macs, b=additions),
    }
    conventions = {
        "output_size": SIZE_CONVENTIONS[mode],
        "macs": CONVENTIONS["macs"],
        "flops": CONVENTIONS["flops"],
        "parameters": CONVENTIONS["parameters"] if bias else "Parameters = weights only (the layer has no bias).",
    }
    if transposed:
        conventions["transposed"] = CONVENTIONS["transposed"]
    square = (H, kh, sh, ph, dh, ah) == (W, kw, sw, pw, dw, aw)
    inputs = {
        "H": H,
        "W": W,
        "C": C,
        "kh": kh,
        "kw": kw,
        "F": F,
        "sh": sh,
        "sw": sw,
        "ph": ph,
        "pw": pw,
        "dh": dh,
        "dw": dw,
        "ah": ah,
        "aw": aw,
        "g": g,
        "f_g": f_g,
    }

    def build(der: Derivation) -> None:
        _derive(der, inputs, answers, hs, ws, mode, square=square, bias=bias, transposed=transposed, c_g=c_g)

    title = "Transposed convolution layer" if transposed else "Convolution layer"
    return ConvLayerResult("conv_layer", title, answers, conventions, build)


def _derive(
    der: Derivation,
    v: dict[str, Any],
    ans: dict[str, Any],
    hs: Any,
    ws: Any,
    mode: str,
    *,
    square: bool,
    bias: bool,
    transposed: bool,
    c_g: Any,
) -> None:
    from symconv.core.arith import size_symbol as sym

    H, W, C, Cg, Co, Ho, Wo = (sym(n) for n in ("H", "W", "C_in", "C_g", "C_out", "H'", "W'"))
    if square:
        kh = kw = sym("k")
        sh = sw = sym("s")
        ph = pw = sym("p")
        dh = dw = sym("d")
        ah = aw = sym("a")
    else:
        kh, kw, sh, sw, ph, pw, dh, dw, ah, aw = (
            sym(n) for n in ("k_h", "k_w", "s_h", "s_w", "p_h", "p_w", "d_h", "d_w", "a_h", "a_w")
        )
    items = [(H, v["H"], "input height"), (W, v["W"], "input width"), (C, v["C"], "input channels")]
    if square:
        items += [(kh, v["kh"], "kernel size"), (sh, v["sh"], "stride")]
        if mode != "tf_same":
            items.append((ph, v["ph"], "padding per side"))
        items.append((dh, v["dh"], "dilation"))
    else:
        items += [
            (kh, v["kh"], "kernel height"),
            (kw, v["kw"], "kernel width"),
            (sh, v["sh"], "vertical stride"),
            (sw, v["sw"], "horizontal stride"),
        ]
        if mode != "tf_same":
            items += [(ph, v["ph"], "padding top/bottom"), (pw, v["pw"], "padding left/right")]
        items += [(dh, v["dh"], "vertical dilation"), (dw, v["dw"], "horizontal dilation")]
    if transposed:
        items.append((ah, v["ah"], "output padding") if square else (ah, v["ah"], "output padding (height)"))
    items.append((Co, v["F"], "filters = output channels"))
    if v["g"] != 1:
        items.append((sym("g"), v["g"], "groups"))
    der.add(given("Given", items))

    derive_axis(
        der,
        hs,
        {
            "i": H,
            "k": kh,
            "s": sh,
            "p": ph,
            "d": dh,
            "a": ah,
            "o": Ho,
            "P": sym("P_h"),
            "p_b": sym("p_top"),
            "p_e": sym("p_bottom"),
            "k_eff": sym("k_eff,h"),
        },
        {"i": v["H"], "k": v["kh"], "s": v["sh"], "p": v["ph"], "d": v["dh"], "a": v["ah"]},
        mode,
        label="Output height",
        key="output_shape[0]",
        answer=True,
    )
    derive_axis(
        der,
        ws,
        {
            "i": W,
            "k": kw,
            "s": sw,
            "p": pw,
            "d": dw,
            "a": aw,
            "o": Wo,
            "P": sym("P_w"),
            "p_b": sym("p_left"),
            "p_e": sym("p_right"),
            "k_eff": sym("k_eff,w"),
        },
        {"i": v["W"], "k": v["kw"], "s": v["sw"], "p": v["pw"], "d": v["dw"], "a": v["aw"]},
        mode,
        label="Output width",
        key="output_shape[1]",
        answer=True,
    )
    der.equation_from(
        "Output channels: one per filter",
        sym("C'"),
        Co,
        {Co: v["F"]},
        result=v["F"],
        key="output_shape[2]",
        answer=True,
    )

    vals: dict[Any, Any] = {
        H: v["H"],
        W: v["W"],
        C: v["C"],
        kh: v["kh"],
        kw: v["kw"],
        Co: v["F"],
        sym("g"): v["g"],
        Ho: hs.output,
        Wo: ws.output,
    }
    if v["g"] != 1:
        der.equation(
            "Input channels seen by each filter",
            Cg,
            CHANNELS_PER_GROUP,
            vals,
            symbols={"C_in": C, "g": sym("g")},
            result=c_g,
        )
        vals[Cg] = c_g
        cg_sym = Cg
    else:
        cg_sym = C
    nw, nb = sym("n_w"), sym("n_b")
    der.equation(
        rich("Weights: each filter has $k_h × k_w × C_g$ weights"),
        nw,
        CONV_WEIGHTS,
        vals,
        symbols={"k_h": kh, "k_w": kw, "C_g": cg_sym, "C_out": Co},
        result=ans["weights"],
        key="weights",
        answer=True,
    )
    vals[nw] = ans["weights"]
    if bias:
        der.equation(
            "Biases: one per filter", nb, CONV_BIASES, vals, symbols={"C_out": Co}, result=ans["biases"], key="biases"
        )
        vals[nb] = ans["biases"]
        der.equation(
            "Parameters",
            sym("n_p"),
            TOTAL_PARAMETERS,
            vals,
            symbols={"W": nw, "B": nb},
            result=ans["parameters"],
            key="parameters",
            answer=True,
        )
    else:
        der.equation_from(
            "Parameters (no bias: weights only)",
            sym("n_p"),
            nw,
            vals,
            result=ans["parameters"],
            key="parameters",
            answer=True,
        )
    K = sym("K")
    if transposed:
        der.equation(
            "Multiplications per input element (transposed: counted over input positions)",
            K,
            MACS_PER_OUTPUT,
            {**vals, sym("C_g'"): v["f_g"]},
            symbols={"k_h": kh, "k_w": kw, "C_g": Co if v["g"] == 1 else sym("C_g'")},
            result=ans["multiplications_per_output"],
            key="multiplications_per_output",
        )
        vals[K] = ans["multiplications_per_output"]
        der.equation(
            rich("Multiplications = MACs: every input element times $K$ weights"),
            sym("M"),
            CONV_MACS,
            vals,
            symbols={"H_o": H, "W_o": W, "C_out": C, "K": K},
            result=ans["multiplications"],
            key="multiplications",
            answer=True,
        )
    else:
        der.equation(
            "Multiplications for one output element",
            K,
            MACS_PER_OUTPUT,
            vals,
            symbols={"k_h": kh, "k_w": kw, "C_g": cg_sym},
            result=ans["multiplications_per_output"],
            key="multiplications_per_output",
        )
        vals[K] = ans["multiplications_per_output"]
        der.equation(
            rich("Multiplications = MACs: $H' × W'$ output positions, $C'$ filters, $K$ each"),
            sym("M"),
            CONV_MACS,
            vals,
            symbols={"H_o": Ho, "W_o": Wo, "C_out": Co, "K": K},
            result=ans["multiplications"],
            key="multiplications",
            answer=True,
        )
        A = sym("A")
        per_add = ADDITIONS_PER_OUTPUT.value(K=ans["multiplications_per_output"])
        der.equation(
            rich("Additions for one output element: summing $K$ products"),
            A,
            ADDITIONS_PER_OUTPUT,
            vals,
            symbols={"K": K},
            result=per_add,
        )
        vals[A] = per_add
        if bias:
            der.equation(
                "Plus one addition for the bias",
                sym("A_b"),
                COST_SUM,
                vals,
                symbols={"a": A, "b": 1},
                result=per_add + 1,
            )
            vals[sym("A_b")] = per_add + 1
        der.equation(
            "Additions of the layer",
            sym("n_add"),
            CONV_MACS,
            vals,
            symbols={"H_o": Ho, "W_o": Wo, "C_out": Co, "K": sym("A_b") if bias else A},
            result=ans["additions"],
            key="additions",
        )
    vals[sym("M")] = ans["multiplications"]
    der.equation(
        "FLOPs (2 per MAC)",
        sym("F"),
        FLOPS_FROM_MACS,
        vals,
        symbols={"M": sym("M")},
        result=ans["flops"],
        key="flops",
        answer=True,
    )
