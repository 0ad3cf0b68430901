"""The steps of one layer's row: the writer the layer kinds use, and the steps several kinds share.

Every value comes from the analysis (the windows, merges and costs the walk recorded); the steps
state the catalogue formulas that produced them, with each symbol named per axis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symconv.catalogue import (
    BATCHNORM_PARAMETERS,
    CONV_OUTPUT,
    CONV_OUTPUT_ASYMMETRIC,
    EFFECTIVE_KERNEL,
    EFFECTIVE_PADDING_STEP,
    JUMP_STEP,
    POOL_OUTPUT_CEIL,
    RECEPTIVE_FIELD_START,
    RECEPTIVE_FIELD_STEP,
    RECEPTIVE_FIELD_UNION,
    TF_SAME_OUTPUT,
    TF_SAME_PADDING_BEGIN,
    TF_SAME_PADDING_END,
    TF_SAME_PADDING_TOTAL,
    TRANSPOSED_JUMP_STEP,
    TRANSPOSED_OUTPUT,
    TRANSPOSED_PADDING_STEP,
    TRANSPOSED_TAPS,
)
from symconv.catalogue.rules import Window
from symconv.core.formula import Formula
from symconv.core.richtext import count, rich
from symconv.network.info import Analysis, Field, LayerInfo
from symconv.problems.layer_costs import CostLabels, CostSymbols, derive_costs

if TYPE_CHECKING:  # the derivation imports SymPy; the numeric answers must not
    from symconv.solution.derivation import Derivation


class Row:
    """Writes the equations of one layer's row: symbols named per axis, values tracked as they are derived."""

    def __init__(self, der: Derivation, analysis: Analysis, info: LayerInfo) -> None:
        self.der = der
        self.analysis = analysis
        self.info = info
        self.values: dict[Any, Any] = {}
        self.sources = [field_of(analysis, src) for src in info.inputs]

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

    # the steps the kinds share (module functions below), so a kind needs no import to write its row
    def window(self, w: Window, axis: int, tag: str) -> None:
        window(self, w, axis, tag)

    def window_field(self, w: Window, axis: int, tag: str) -> None:
        window_field(self, w, axis, tag)

    @staticmethod
    def axis_word(tag: str) -> str:
        """'height', 'width' or 'depth' for an axis tag."""
        return _TAGS[tag][0]

    def whole_axis(self, axis: int, tag: str) -> None:
        whole_axis(self, axis, tag)

    def merge(self, axis: int, tag: str) -> None:
        merge(self, axis, tag)

    def costs(
        self,
        kernel: tuple[Any, ...],
        c_out: Any,
        groups: Any,
        positions: tuple[Any, ...],
        *,
        bias: bool,
        transposed: bool = False,
    ) -> None:
        """C_g → weights → parameters → K → MACs, with the values the walk computed (:func:`derive_costs`)."""
        info = self.info
        assert info.costs is not None
        sym = self.sym
        c_in = info.input_shapes[0][-1]
        rank = len(kernel)
        letters = _SIZE_LETTERS[rank]
        position_names = letters if transposed else tuple(f"{n}'" for n in letters)
        kernel_names = ("k",) if rank == 1 else tuple(f"k_{n.lower()}" for n in letters)
        values = {
            **{sym(n): k for n, k in zip(kernel_names, kernel)},
            sym("C_in"): c_in,
            sym("C_out"): c_out,
            sym("g"): groups,
            **{sym(n): p for n, p in zip(position_names, positions)},
        }
        self.values.update(values)
        prefix = f"{info.name}: "
        labels = _TRANSPOSED_LABELS if transposed else _LABELS
        derive_costs(
            self.der,
            info.costs,
            CostSymbols(
                tuple(sym(n) for n in kernel_names),
                sym("C_in"),
                sym("C_out"),
                sym("g"),
                tuple(sym(n) for n in position_names),
            ),
            self.values,
            CostLabels(**{k: (prefix + v if v and k != "bias_not_counted" else v) for k, v in labels.__dict__.items()}),
            groups=groups,
            bias=bias,
            count_bias=self.analysis.counting.bias,
            transposed=transposed,
        )

    def batchnorm(self) -> None:
        batchnorm(self)


def field_of(analysis: Analysis, name: str) -> Field:
    """The receptive field of the tensor called ``name`` (the input's: one pixel)."""
    return Field.start(len(analysis.network.input) - 1) if name == "input" else analysis.by_name[name].field


_SIZE_LETTERS = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}
_TAGS = {"d": ("depth", "D"), "h": ("height", "H"), "w": ("width", "W")}


def axes(info: LayerInfo) -> list[tuple[int, str]]:
    """Axes to derive: one when every axis carries the same numbers (or the map has one), else each by name."""
    f = info.field
    rank = f.rank
    same_windows = info.windows is None or all(w == info.windows[0] for w in info.windows)
    same_field = all(f.rf[a] == f.rf[0] and f.jump[a] == f.jump[0] and f.pad[a] == f.pad[0] for a in range(rank))
    shape = info.input_shapes[0] if info.input_shapes else ()
    same_input = len(shape) < 2 or len(set(shape[:-1])) == 1
    if rank == 1 or (same_windows and same_field and same_input):
        return [(0, "")]
    return list(enumerate(("d", "h", "w")[3 - rank :]))


def names(axis: int, tag: str) -> tuple[str, str, str]:
    """(symbol suffix, ' (height)' or '', the input size's symbol) of an axis."""
    sfx = f"_{tag}" if tag else ""
    where = f" ({_TAGS[tag][0]})" if tag else ""
    size_name = _TAGS[tag][1] if tag else "i"
    return sfx, where, size_name


# --- windows -----------------------------------------------------------------------------------------


def window(row: Row, w: Window, axis: int, tag: str) -> None:
    """The output size (and TensorFlow's 'SAME' padding) of a window along one axis."""
    sfx, where, size_name = names(axis, tag)
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
    if w.mode == "transposed":
        args = {**base, "p": (f"p{sfx}", w.p_b), "a": (f"a{sfx}", w.a)}
        row.eq("output size" + where, out, TRANSPOSED_OUTPUT, args, w.o, "pixels")
    elif w.mode == "tf_same":
        _tf_same(row, w, base, sfx, where, out)
    elif w.mode == "ceil":
        row.eq(
            "output size, ceil mode" + where,
            out,
            POOL_OUTPUT_CEIL,
            {**base, "p": (f"p{sfx}", w.p_b)},
            w.ceil_output,
            "pixels",
        )
        if w.dropped_last:
            row.der.note(
                rich(
                    "The last window would start inside the right padding, so PyTorch drops it: {o}",
                    o=count(w.o, "pixel"),
                )
                + where
                + "."
            )
    elif w.p_b == w.p_e:
        row.eq("output size" + where, out, CONV_OUTPUT, {**base, "p": (f"p{sfx}", w.p_b)}, w.o, "pixels")
    else:
        args = {**base, "p_b": (f"p_b{sfx}", w.p_b), "p_e": (f"p_e{sfx}", w.p_e)}
        row.eq("output size" + where, out, CONV_OUTPUT_ASYMMETRIC, args, w.o, "pixels")


def _tf_same(row: Row, w: Window, base: dict[str, tuple[str, Any]], sfx: str, where: str, out: str) -> None:
    k_e = (f"k_eff{sfx}", w.k_eff) if w.d != 1 else (f"k{sfx}", w.k)
    row.eq(
        "output size, TensorFlow 'same'" + where, out, TF_SAME_OUTPUT, {"i": base["i"], "s": base["s"]}, w.o, "pixels"
    )
    total = {"o": (out, w.o), "s": base["s"], "k_e": k_e, "i": base["i"]}
    row.eq("total padding" + where, f"P_total{sfx}", TF_SAME_PADDING_TOTAL, total, w.same_total, "pixels")
    before = {"P": (f"P_total{sfx}", w.same_total)}
    row.eq("padding before (top/left)" + where, f"p_b{sfx}", TF_SAME_PADDING_BEGIN, before, w.p_b, "pixels")
    after = {"P": (f"P_total{sfx}", w.same_total), "p_b": (f"p_b{sfx}", w.p_b)}
    row.eq("padding after (bottom/right)" + where, f"p_e{sfx}", TF_SAME_PADDING_END, after, w.p_e, "pixels")


def _field_in(row: Row, axis: int, sfx: str) -> tuple[Any, Any, Any] | None:
    """The input's RF, S and P along the axis, named RF_in, S_in, P_in (None when unknown)."""
    f = row.sources[0].axis(axis)
    if f is None:
        return None
    row.values.update({row.sym(f"RF_in{sfx}"): f.rf, row.sym(f"S_in{sfx}"): f.jump, row.sym(f"P_in{sfx}"): f.pad})
    return f.rf, f.jump, f.pad


def window_field(row: Row, w: Window, axis: int, tag: str) -> None:
    """RF, P and S through a window (Distill's recurrences); through a transposed convolution's, the largest
    number of inputs feeding one output stands for the kernel, and the stride divides."""
    sfx, where, _ = names(axis, tag)
    given = _field_in(row, axis, sfx)
    if given is None:
        return
    r_in, j_in, p_in = given
    fld = row.info.field
    k_name = f"k_eff{sfx}" if w.d != 1 else f"k{sfx}"
    kernel = (k_name, w.k_eff)
    stride = (f"s{sfx}", w.s)
    if w.mode == "transposed":
        row.eq(
            "largest number of inputs per output" + where,
            f"t{sfx}",
            TRANSPOSED_TAPS,
            {"k_e": kernel, "s": stride},
            w.taps,
        )
        kernel = (f"t{sfx}", w.taps)
        padding, pad_args = TRANSPOSED_PADDING_STEP, {"k_e": (k_name, w.k_eff), "p": (f"p{sfx}", w.p_b), "s": stride}
        jump = TRANSPOSED_JUMP_STEP
    else:
        before = f"p{sfx}" if w.p_b == w.p_e and w.same_total is None else f"p_b{sfx}"
        padding, pad_args, jump = EFFECTIVE_PADDING_STEP, {"p": (before, w.p_b)}, JUMP_STEP
    args = {"r": (f"RF_in{sfx}", r_in), "k": kernel, "j": (f"S_in{sfx}", j_in)}
    row.eq("receptive field" + where, f"RF{sfx}", RECEPTIVE_FIELD_STEP, args, fld.rf[axis], "input pixels")
    args = {"P": (f"P_in{sfx}", p_in), **pad_args, "j": (f"S_in{sfx}", j_in)}
    row.eq("effective padding" + where, f"P{sfx}", padding, args, fld.pad[axis], "input pixels")
    args = {"j": (f"S_in{sfx}", j_in), "s": stride}
    row.eq("effective stride" + where, f"S{sfx}", jump, args, fld.jump[axis], "input pixels")


def whole_axis(row: Row, axis: int, tag: str) -> None:
    """A layer reading the whole map along the axis: a window of n pixels, moved n at a time."""
    sfx, where, _ = names(axis, tag)
    info = row.info
    src = row.sources[0].axis(axis)
    if len(info.input_shapes[0]) < 2 or src is None:
        return
    n = info.input_shapes[0][axis]
    row.der.note(rich("{name} reads the whole map: a window of {n}", name=info.name, n=count(n, "pixel")) + where + ".")
    args = {"r": (f"RF_in{sfx}", src.rf), "k": (f"n{sfx}", n), "j": (f"S_in{sfx}", src.jump)}
    row.eq("receptive field" + where, f"RF{sfx}", RECEPTIVE_FIELD_STEP, args, info.field.rf[axis], "input pixels")
    args = {"j": (f"S_in{sfx}", src.jump), "s": (f"n{sfx}", n)}
    row.eq("effective stride" + where, f"S{sfx}", JUMP_STEP, args, info.field.jump[axis], "input pixels")


def merge(row: Row, axis: int, tag: str) -> None:
    """Where paths merge: each path's first input pixel for output 0, then the span of all of them."""
    sfx, where, _ = names(axis, tag)
    info = row.info
    m = info.merges[axis] if info.merges else None
    if m is None:
        return
    if m.spread:
        row.der.note(
            f"A path is broadcast or read alike by every output position{where}: each path's pixels over all its "
            "positions are read by every output (effective stride 0)."
        )
    for position, (src, start) in enumerate(zip(row.sources, m.starts)):
        if m.spread:
            break
        args = {
            "x": ("x", 0),
            "S": (f"S_{position + 1}{sfx}", src.jump[axis]),
            "P": (f"P_{position + 1}{sfx}", src.pad[axis]),
        }
        label = f"first input pixel of output 0 through {info.inputs[position]}" + where
        row.eq(label, f"u_{position + 1}{sfx}", RECEPTIVE_FIELD_START, args, start, "input pixels")
    row.der.note(
        rich("Paths span input pixels {a} to {b} (first and last of all paths' receptive fields)", a=m.first, b=m.last)
        + where
        + "."
    )
    args = {"a_e": (f"a_e{sfx}", m.last), "a_s": (f"a_s{sfx}", m.first)}
    label = "receptive field where the paths merge" + where
    row.eq(label, f"RF{sfx}", RECEPTIVE_FIELD_UNION, args, info.field.rf[axis], "input pixels")


# --- counts --------------------------------------------------------------------------------------------

_LABELS = CostLabels(
    channels_per_group="channels per group",
    weights="weights",
    biases="biases",
    parameters="parameters",
    parameters_no_bias="",
    bias_not_counted="Biases are not counted as parameters (count_bias = false).",
    per_element="MACs per output element",
    macs="MACs",
)
_TRANSPOSED_LABELS = CostLabels(**{**_LABELS.__dict__, "per_element": "MACs per input element"})


def batchnorm(row: Row) -> None:
    info = row.info
    if info.weights:
        row.eq("batch-norm parameters (γ, β)", "n_p", BATCHNORM_PARAMETERS, {"C": ("C", info.shape[-1])}, info.weights)
        if not row.analysis.counting.batchnorm:
            row.der.note("Batch normalisation is not counted (count_batchnorm = false).")
    row.der.note(rich("{name}: {n} parameters counted, {m} MACs.", name=info.name, n=info.parameters, m=info.macs))
