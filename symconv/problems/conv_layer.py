"""One convolution layer: output shape, weights, biases, parameters, multiplications (MACs), additions, FLOPs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from symconv.catalogue import (
    ADDITIONS_PER_OUTPUT,
    CHANNELS_PER_GROUP,
    CONV_MACS,
    COST_SUM,
    FLOPS_FROM_MACS,
    TRANSPOSED_ADDITIONS,
    TRANSPOSED_LANDING_TAPS,
    TRANSPOSED_PRODUCTS,
    TRANSPOSED_REACHED_OUTPUTS,
)
from symconv.catalogue.backend import Ops, backend_for
from symconv.catalogue.rules import (
    Additions,
    LayerCosts,
    Window,
    conv_additions,
    conv_costs,
    groups_divide,
    padding_word,
)
from symconv.catalogue.transposed import TransposedAxis, countable, transposed_additions, transposed_axis
from symconv.core.arith import Size
from symconv.core.coerce import public
from symconv.core.richtext import count as count_of
from symconv.errors import InputError
from symconv.problems.layer_costs import CostLabels, CostSymbols, derive_costs
from symconv.problems.output_size import CONVENTIONS as SIZE_CONVENTIONS
from symconv.problems.output_size import axis_output, derive_axis
from symconv.problems.validate import pair, shape3, size
from symconv.solution.derivation import Derivation, given, rich
from symconv.solution.result import Answer, Result

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
        "multiplied by $k_h × k_w × C_out/g$ weights (the convention of fvcore and torch's flop counter); its weights "
        "are stored $C_in × C_out/g × k_h × k_w$."
    ),
    "transposed_additions": rich(
        "Additions of a transposed convolution: the products that land in each output element "
        "are counted (those the padding crops land nowhere); an element receiving $n ≥ 1$ products takes $n − 1$ "
        "additions ($n$ with a bias), one receiving none takes none."
    ),
    "transposed_uncounted": "The additions (and flops_exact) of this transposed convolution are not given: counting "
    "the products that land in each output element needs numbers for the kernel, stride, padding, dilation and "
    "output padding, and at most 100,000 kernel taps per axis.",
}

_LABELS = CostLabels(
    channels_per_group="Input channels seen by each filter",
    weights=rich("Weights: each filter has $k_h × k_w × C_g$ weights"),
    biases="Biases: one per filter",
    parameters="Parameters",
    parameters_no_bias="Parameters (no bias: weights only)",
    bias_not_counted="",
    per_element="Multiplications for one output element",
    macs=rich("Multiplications = MACs: $H' × W'$ output positions, $C'$ filters, $K$ each"),
)
_TRANSPOSED_LABELS = CostLabels(
    channels_per_group=rich("Output channels per group (the weights are stored $C_in × C_out/g × k_h × k_w$)"),
    weights=rich("Weights: each input channel has $k_h × k_w × C_g$ weights ($C_g = C_out/g$)"),
    biases="Biases: one per output channel",
    parameters="Parameters",
    parameters_no_bias="Parameters (no bias: weights only)",
    bias_not_counted="",
    per_element="Multiplications per input element (transposed: counted over input positions)",
    macs=rich("Multiplications = MACs: every input element times $K$ weights"),
)


class ConvLayerResult(Result[Size]):
    """A convolution layer. ``value`` is the number of multiplications (MACs).

    Answers: ``output_shape`` [H', W', C'], ``weights``, ``biases``, ``parameters``,
    ``multiplications_per_output``, ``multiplications``, ``macs``, ``additions``, ``flops``, ``flops_exact``.
    """

    main = "multiplications"
    output_shape: Answer[list[Size]] = Answer()
    weights: Answer[Size] = Answer()
    biases: Answer[Size] = Answer()
    parameters: Answer[Size] = Answer()
    multiplications_per_output: Answer[Size] = Answer()
    multiplications: Answer[Size] = Answer()
    macs: Answer[Size] = Answer()
    additions: Answer[Size | None] = Answer()
    flops: Answer[Size] = Answer()
    flops_exact: Answer[Size | None] = Answer()


def _padding(padding: Any) -> tuple[str, tuple[Any, Any]]:
    """('floor', (p_h, p_w)) or ('tf_same', (0, 0)); 'valid' is zero padding."""
    word = padding_word(padding, "padding")
    if word is not None:
        return ("tf_same" if word == "same" else "floor"), (0, 0)
    try:
        return "floor", pair(padding, "padding", 0)
    except InputError:
        if isinstance(padding, str):
            raise InputError("padding", padding, "expected a number, [p_h, p_w], 'valid' or 'same'") from None
        raise


@dataclass(frozen=True)
class _Layer:
    """The validated layer: every size (numbers or symbols), the padding mode and the switches."""

    H: Any
    W: Any
    C: Any
    kh: Any
    kw: Any
    F: Any
    sh: Any
    sw: Any
    ph: Any
    pw: Any
    dh: Any
    dw: Any
    ah: Any
    aw: Any
    g: Any
    mode: str
    bias: bool
    transposed: bool

    @property
    def square(self) -> bool:
        return (self.H, self.kh, self.sh, self.ph, self.dh, self.ah) == (
            self.W,
            self.kw,
            self.sw,
            self.pw,
            self.dw,
            self.aw,
        )


def _validate(
    input: Sequence[Any],
    kernel: Any,
    filters: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any,
    bias: Any,
    transposed: bool,
    output_padding: Any,
) -> _Layer:
    H, W, C = shape3(input, "input")
    kh, kw = pair(kernel, "kernel")
    F = size(filters, "filters")
    sh, sw = pair(stride, "stride")
    dh, dw = pair(dilation, "dilation")
    ah, aw = pair(output_padding, "output_padding", 0)
    g = size(groups, "groups")
    if not transposed and (ah, aw) != (0, 0):
        raise InputError("output_padding", output_padding, "only a transposed convolution has an output padding")
    mode, (ph, pw) = _padding(padding)
    if transposed:
        if mode == "tf_same":
            raise InputError("padding", padding, "'same' is not defined for a transposed convolution")
        mode = "transposed"
    return _Layer(H, W, C, kh, kw, F, sh, sw, ph, pw, dh, dw, ah, aw, g, mode, bias, transposed)


@dataclass(frozen=True)
class _TransposedCount:
    """The additions of a transposed convolution: per axis T and Z, the landing products P, the additions A."""

    axes: tuple[TransposedAxis, TransposedAxis]
    channels_per_group: Any
    products: Any
    additions: Any


def _transposed_count(ops: Ops, v: _Layer) -> _TransposedCount | None:
    """None when the geometry has symbols (or too many taps): the count goes tap by tap."""
    if not all(
        countable(k, s, p, d, a) for k, s, p, d, a in ((v.kh, v.sh, v.ph, v.dh, v.ah), (v.kw, v.sw, v.pw, v.dw, v.aw))
    ):
        return None
    axes = (
        transposed_axis(ops, v.H, v.kh, v.sh, v.ph, v.dh, v.ah),
        transposed_axis(ops, v.W, v.kw, v.sw, v.pw, v.dw, v.aw),
    )
    c_g = ops.ev(CHANNELS_PER_GROUP, v.C, v.g)  # each output element sums over the C_in/g channels of its group
    products, additions = transposed_additions(ops, axes, v.F, c_g, bias=v.bias)
    return _TransposedCount(axes, c_g, products, additions)


@public(flags=("bias", "transposed"))
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
        transposed: a transposed convolution (output size by PyTorch's ConvTranspose2d formula; MACs over
            its input positions; additions from the products that land in each output element).
        output_padding: transposed only.

    Returns:
        A :class:`ConvLayerResult` whose value is the number of multiplications (= MACs).
    """
    v = _validate(input, kernel, filters, stride, padding, dilation, groups, bias, transposed, output_padding)
    ops = backend_for(v.H, v.W, v.C, v.kh, v.kw, v.F, v.sh, v.sw, v.ph, v.pw, v.dh, v.dw, v.ah, v.aw, v.g)
    for name, ch in (("input[2]", v.C), ("filters", v.F)):
        if groups_divide(ops, v.g, ch) is False:
            raise InputError("groups", v.g, f"does not divide the {count_of(ch, 'channel')} of {name}")
    hs = axis_output(v.H, v.kh, v.sh, v.ph, v.dh, v.mode, v.ah, "height ")
    ws = axis_output(v.W, v.kw, v.sw, v.pw, v.dw, v.mode, v.aw, "width ")
    count: _TransposedCount | None = None
    adds: Additions | None = None
    if transposed:
        costs = conv_costs(ops, (v.kh, v.kw), v.C, v.F, v.g, (v.H, v.W), bias=bias, transposed=True)
        count = _transposed_count(ops, v)
        additions = None if count is None else count.additions
    else:
        costs = conv_costs(ops, (v.kh, v.kw), v.C, v.F, v.g, (hs.o, ws.o), bias=bias)
        adds = conv_additions(ops, costs.per_element, (hs.o, ws.o), v.F, bias=bias)
        additions = adds.total
    answers = _answers(ops, v, hs, ws, costs, additions)
    conventions = _conventions(v, count is not None)

    def build(der: Derivation) -> None:
        _Derive(der, v, answers, costs).run(hs, ws, adds, count)

    title = "Transposed convolution layer" if transposed else "Convolution layer"
    return ConvLayerResult("conv_layer", title, answers, conventions, build)


def _answers(ops: Ops, v: _Layer, hs: Window, ws: Window, costs: LayerCosts, additions: Any) -> dict[str, Any]:
    """The answers, in the order they are listed (additions and flops_exact only when counted)."""
    answers: dict[str, Any] = {
        "output_shape": [hs.o, ws.o, v.F],
        "weights": costs.weights,
        "biases": costs.biases,
        "parameters": costs.parameters,
        "multiplications_per_output": costs.per_element,
        "multiplications": costs.macs,
        "macs": costs.macs,
    }
    if additions is not None:
        answers["additions"] = additions
    answers["flops"] = ops.ev(FLOPS_FROM_MACS, costs.macs)
    if additions is not None:
        answers["flops_exact"] = ops.ev(COST_SUM, costs.macs, additions)
    return answers


def _conventions(v: _Layer, counted: bool) -> dict[str, str]:
    conventions = {
        "output_size": SIZE_CONVENTIONS[v.mode],
        "macs": CONVENTIONS["macs"],
        "flops": CONVENTIONS["flops"],
        "parameters": CONVENTIONS["parameters"] if v.bias else "Parameters = weights only (the layer has no bias).",
    }
    if v.transposed:
        conventions["transposed"] = CONVENTIONS["transposed"]
        conventions["additions"] = CONVENTIONS["transposed_additions" if counted else "transposed_uncounted"]
    return conventions


class _Derive:
    """The worked solution of one layer: given data, output size per axis, costs, additions, FLOPs."""

    def __init__(self, der: Derivation, v: _Layer, answers: dict[str, Any], costs: LayerCosts) -> None:
        from symconv.core.arith import size_symbol as sym

        self.der, self.v, self.ans, self.costs = der, v, answers, costs
        names = ("H", "W", "C_in", "C_out", "H'", "W'")
        self.H, self.W, self.C, self.Co, self.Ho, self.Wo = (sym(n) for n in names)
        per_axis = ("k", "s", "p", "d", "a")
        if v.square:
            self.h = self.w = {n: sym(n) for n in per_axis}
        else:
            self.h = {n: sym(f"{n}_h") for n in per_axis}
            self.w = {n: sym(f"{n}_w") for n in per_axis}
        self.g = sym("g")

    def run(self, hs: Window, ws: Window, adds: Additions | None, count: _TransposedCount | None) -> None:
        from symconv.core.arith import size_symbol as sym

        self.given()
        self.axes(hs, ws)
        v = self.v
        vals: dict[Any, Any] = {
            self.H: v.H,
            self.W: v.W,
            self.C: v.C,
            self.h["k"]: v.kh,
            self.w["k"]: v.kw,
            self.Co: v.F,
            self.g: v.g,
            self.Ho: hs.o,
            self.Wo: ws.o,
        }
        positions = (self.H, self.W) if v.transposed else (self.Ho, self.Wo)
        derive_costs(
            self.der,
            self.costs,
            CostSymbols((self.h["k"], self.w["k"]), self.C, self.Co, self.g, positions),
            vals,
            _TRANSPOSED_LABELS if v.transposed else _LABELS,
            groups=v.g,
            bias=v.bias,
            transposed=v.transposed,
            keys=True,
        )
        if adds is not None:
            self.additions(vals, adds)
        elif count is not None:
            self.transposed_additions(vals, count)
        else:
            self.der.note(CONVENTIONS["transposed_uncounted"])
        self.der.equation(
            "FLOPs (2 per MAC)",
            sym("F"),
            FLOPS_FROM_MACS,
            vals,
            symbols={"M": sym("M")},
            result=self.ans["flops"],
            key="flops",
            answer=True,
        )

    def given(self) -> None:
        from symconv.core.arith import size_symbol as sym

        v, h, w = self.v, self.h, self.w
        items = [(self.H, v.H, "input height"), (self.W, v.W, "input width"), (self.C, v.C, "input channels")]
        if v.square:
            items += [(h["k"], v.kh, "kernel size"), (h["s"], v.sh, "stride")]
            if v.mode != "tf_same":
                items.append((h["p"], v.ph, "padding per side"))
            items.append((h["d"], v.dh, "dilation"))
        else:
            items += [
                (h["k"], v.kh, "kernel height"),
                (w["k"], v.kw, "kernel width"),
                (h["s"], v.sh, "vertical stride"),
                (w["s"], v.sw, "horizontal stride"),
            ]
            if v.mode != "tf_same":
                items += [(h["p"], v.ph, "padding top/bottom"), (w["p"], v.pw, "padding left/right")]
            items += [(h["d"], v.dh, "vertical dilation"), (w["d"], v.dw, "horizontal dilation")]
        if v.transposed:
            items.append((h["a"], v.ah, "output padding" if v.square else "output padding (height)"))
        items.append((self.Co, v.F, "filters = output channels"))
        if v.g != 1:
            items.append((sym("g"), v.g, "groups"))
        self.der.add(given("Given", items))

    def axes(self, hs: Window, ws: Window) -> None:
        from symconv.core.arith import size_symbol as sym

        v = self.v
        for window, big, out, names, vals, tag, side in (
            (hs, self.H, self.Ho, self.h, (v.H, v.kh, v.sh, v.ph, v.dh, v.ah), "h", ("p_top", "p_bottom")),
            (ws, self.W, self.Wo, self.w, (v.W, v.kw, v.sw, v.pw, v.dw, v.aw), "w", ("p_left", "p_right")),
        ):
            height = tag == "h"
            derive_axis(
                self.der,
                window,
                {
                    "i": big,
                    **names,
                    "o": out,
                    "P": sym(f"P_{tag}"),
                    "p_b": sym(side[0]),
                    "p_e": sym(side[1]),
                    "k_eff": sym(f"k_eff,{tag}"),
                },
                dict(zip(("i", "k", "s", "p", "d", "a"), vals)),
                v.mode,
                label="Output height" if height else "Output width",
                key="output_shape[0]" if height else "output_shape[1]",
                answer=True,
            )
        self.der.equation_from(
            "Output channels: one per filter",
            sym("C'"),
            self.Co,
            {self.Co: v.F},
            result=v.F,
            key="output_shape[2]",
            answer=True,
        )

    def additions(self, vals: dict[Any, Any], adds: Additions) -> None:
        from symconv.core.arith import size_symbol as sym

        der, K, A = self.der, sym("K"), sym("A")
        der.equation(
            rich("Additions for one output element: summing $K$ products"),
            A,
            ADDITIONS_PER_OUTPUT,
            vals,
            symbols={"K": K},
            result=adds.per_output,
        )
        vals[A] = adds.per_output
        if self.v.bias:
            der.equation(
                "Plus one addition for the bias",
                sym("A_b"),
                COST_SUM,
                vals,
                symbols={"a": A, "b": 1},
                result=adds.with_bias,
            )
            vals[sym("A_b")] = adds.with_bias
        der.equation(
            "Additions of the layer",
            sym("n_add"),
            CONV_MACS,
            vals,
            symbols={"H_o": self.Ho, "W_o": self.Wo, "C_out": self.Co, "K": sym("A_b") if self.v.bias else A},
            result=adds.total,
            key="additions",
        )

    def transposed_axis(self, vals: dict[Any, Any], t: TransposedAxis, big: Any, k: Any, tag: str, what: str) -> None:
        """T = i·k − c_b − c_e and Z = n − m_b − m_e along one axis."""
        from symconv.core.arith import size_symbol as sym

        c_b, c_e, reached, m_b, m_e = (sym(f"{name}_{tag}") for name in ("c_b", "c_e", "R", "m_b", "m_e"))
        counted = {
            c_b: t.cropped_before,
            c_e: t.cropped_after,
            reached: t.reached,
            m_b: t.reached_before,
            m_e: t.reached_after,
        }
        vals.update(counted)
        self.der.equation(
            f"Landing (input, tap) pairs along the {'height' if tag == 'h' else 'width'}",
            sym(f"T_{tag}"),
            TRANSPOSED_LANDING_TAPS,
            vals,
            symbols={"i": big, "k": k, "c_b": c_b, "c_e": c_e},
            result=t.landing,
        )
        vals[sym(f"T_{tag}")] = t.landing
        self.der.equation(
            f"Output {what} that receive at least one product",
            sym(f"Z_{tag}"),
            TRANSPOSED_REACHED_OUTPUTS,
            vals,
            symbols={"R": reached, "m_b": m_b, "m_e": m_e},
            result=t.covered,
        )
        vals[sym(f"Z_{tag}")] = t.covered

    def transposed_additions(self, vals: dict[Any, Any], count: _TransposedCount) -> None:
        """Per axis the landing pairs T and reached outputs Z, then the landing products and their additions."""
        from symconv.core.arith import size_symbol as sym

        der, v = self.der, self.v
        der.note(
            rich(
                "Additions: along each axis, $c_b$ and $c_e$ (input, tap) pairs land before and after the output "
                "(cropped by the padding); the scatter reaches $R$ positions, $m_b$ and $m_e$ of them cropped; counted "
                "tap by tap."
            )
        )
        self.transposed_axis(vals, count.axes[0], self.H, self.h["k"], "h", "rows")
        self.transposed_axis(vals, count.axes[1], self.W, self.w["k"], "w", "columns")
        c_g = self.C if v.g == 1 else CHANNELS_PER_GROUP.display(C_in=self.C, g=self.g)
        P = sym("P")
        der.equation(
            "Products that land in the output: per filter, every landing pair of each input channel of its group",
            P,
            TRANSPOSED_PRODUCTS,
            vals,
            symbols={"C_out": self.Co, "C_g": c_g, "T_h": sym("T_h"), "T_w": sym("T_w")},
            result=count.products,
        )
        vals[P] = count.products
        if v.bias:
            der.equation_from(
                rich("Additions: an element's $n$ products and its bias take $n$ additions"),
                sym("n_add"),
                P,
                vals,
                result=count.additions,
                key="additions",
            )
            return
        der.equation(
            rich("Additions: an element that receives $n ≥ 1$ products takes $n − 1$"),
            sym("n_add"),
            TRANSPOSED_ADDITIONS,
            vals,
            symbols={"P": P, "C_out": self.Co, "Z_h": sym("Z_h"), "Z_w": sym("Z_w")},
            result=count.additions,
            key="additions",
        )
