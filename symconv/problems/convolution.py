"""Worked multi-channel convolution: every output element as a sum of products, per channel, then summed."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import Any, TypeVar, cast, overload

import numpy as np

from symconv.catalogue import CONV_OUTPUT_ASYMMETRIC, MACS_PER_OUTPUT
from symconv.catalogue.backend import NUMERIC
from symconv.catalogue.rules import elements
from symconv.core.coerce import is_array, public
from symconv.core.richtext import count as count_of
from symconv.engine.convolution import (
    Geometry,
    Kind,
    Tensor,
    add_bias,
    as_given,
    channel_correlate,
    correlate,
    exact_values,
    pad,
    prepare,
    rotate,
)
from symconv.errors import InputError
from symconv.solution.derivation import Derivation, Given, MatrixEquation, math, rich
from symconv.solution.result import Result

CHANNEL_ANSWER_LIMIT = 1_000_000
"""Channel maps (F × C/g × H' × W' values) up to this many go into the answers eagerly; more on demand."""


O = TypeVar("O")
"""The type of the output: a numpy array for array input, nested lists for lists."""


class ConvolutionResult(Result[O]):
    """A worked convolution. ``value`` is ``output``.

    Answers: ``output`` ([H'][W'] for a 2-D or 3-D kernel, [F][H'][W'] for a 4-D kernel),
    ``channel_outputs`` (per channel maps before summing: [C][H'][W'], or [F][C/g][H'][W']) and
    ``output_shape``. Entries are ints, Fractions, floats (float arrays) or expanded SymPy expressions:
    numpy arrays for array input (int64, or object where int64 could overflow; float64; object for
    Fractions and SymPy), nested lists for list input. ``channel_outputs`` is left out of ``answers``
    when it would hold more than :data:`CHANNEL_ANSWER_LIMIT` values; the attribute still computes it.
    """

    main = "output"

    def __init__(self, *args: Any, channel_maps: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._channel_maps = channel_maps

    @property
    def output(self) -> O:
        """The output map(s): a numpy array for array input, nested lists of exact values for lists."""
        return cast(O, self.answers["output"])

    @property
    def output_shape(self) -> list[int]:
        """[H', W'] for one filter, [F, H', W'] for several."""
        return self.answers["output_shape"]

    @cached_property
    def channel_outputs(self) -> O:
        """Each channel's contribution before the channels are summed (no bias), in the form of :attr:`output`."""
        if "channel_outputs" in self.answers:
            return cast(O, self.answers["channel_outputs"])
        return cast(O, self._channel_maps())


def _conventions(geo: Geometry, flip: bool, has_bias: bool, kind: Kind) -> dict[str, str]:
    out = {}
    if flip:
        out["operation"] = (
            "True convolution: each kernel is rotated by 180° (flipped along both spatial axes), then slid over "
            "the input; every output element is the sum over channels and kernel positions of kernel × input."
        )
    else:
        out["operation"] = rich(
            "Cross-correlation, what PyTorch and TensorFlow call convolution: the kernel is slid over the input "
            "without flipping; $y[i, j] = Σ_c Σ_u Σ_v K[c, u, v] · X[c, i·s + u·d, j·s + v·d]$ over the padded input."
        )
    out["indexing"] = (
        "Rows and columns are numbered from 1 at the top left; output elements are listed in reading order "
        "(row by row); a window's products are written in reading order too."
    )
    t, b, l, r = geo.pads
    if geo.mode == "same":
        out["padding"] = rich(
            "padding='same' follows TensorFlow: output $⌈i/s⌉$ per axis, total padding $max((o − 1)s + k_eff − i, 0)$, "
            f"the smaller half before (top/left) and the extra pixel after (bottom/right): here top {t}, bottom {b}, "
            f"left {l}, right {r}."
        )
    elif not any(geo.pads):
        out["padding"] = "No padding ('valid'): every window lies inside the input."
    else:
        out["padding"] = f"Zero padding per side, in pixels: top {t}, bottom {b}, left {l}, right {r}."
    sh, sw = geo.stride
    out["stride"] = (
        f"The window moves {count_of(sh, 'row')} down and {count_of(sw, 'column')} right between neighbouring output elements."
    )
    if geo.dilation != (1, 1):
        out["dilation"] = (
            f"Dilation {geo.dilation[0]} × {geo.dilation[1]}: kernel taps are that many pixels apart "
            "(1 = an ordinary kernel, PyTorch numbering)."
        )
    if geo.groups != 1:
        out["groups"] = (
            f"groups = {geo.groups}: the {geo.channels} input channels form {geo.groups} groups of {geo.group_channels}; "
            f"each of the {geo.group_filters} {'filter' if geo.group_filters == 1 else 'filters'} of a group reads only "
            "its group's channels."
        )
    if has_bias:
        out["bias"] = "One bias per filter, added to every element of that filter's output map."
    out["exactness"] = {
        "int": "Integer arithmetic, exact (Python integers where int64 could overflow).",
        "fraction": "Exact rational arithmetic: decimals and fractions are read exactly, no floating point.",
        "float": "Float entries: computed in float64 (IEEE double precision), not exact.",
        "symbolic": "Symbolic entries: each output is the expanded SymPy expression (symbols without assumptions).",
    }[kind]
    return out


@overload
def convolve(
    input: np.ndarray,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = 0,
    flip: bool = False,
    groups: Any = 1,
    *,
    max_elements: int = 4,
    max_maps: int = 6,
    max_matrix: int = 144,
    max_listed: int = 8,
) -> ConvolutionResult[np.ndarray]: ...


@overload
def convolve(
    input: list[Any],
    kernel: list[Any],
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = 0,
    flip: bool = False,
    groups: Any = 1,
    *,
    max_elements: int = 4,
    max_maps: int = 6,
    max_matrix: int = 144,
    max_listed: int = 8,
) -> ConvolutionResult[list[Any]]: ...


@overload
def convolve(
    input: Any,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = 0,
    flip: bool = False,
    groups: Any = 1,
    *,
    max_elements: int = 4,
    max_maps: int = 6,
    max_matrix: int = 144,
    max_listed: int = 8,
) -> ConvolutionResult[Any]: ...


@public(tensors=("input", "kernel", "bias"), flags=("flip",))
def convolve(
    input: Any,
    kernel: Any,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    bias: Any = 0,
    flip: bool = False,
    groups: Any = 1,
    *,
    max_elements: int = 4,
    max_maps: int = 6,
    max_matrix: int = 144,
    max_listed: int = 8,
) -> ConvolutionResult[Any]:
    """Convolve a multi-channel input with one or several filters, with the worked solution.

    Args:
        input: ``C × H × W`` (or ``H × W``): nested lists, a numpy array or a torch tensor. Entries: ints,
            Fractions, floats (a Python float is the decimal it prints, exact; a float array is computed in
            float64), number strings (``"0.5"``, ``"1/3"`` are read exactly), symbol names (``"x_11"``).
        kernel: one filter ``C/g × k_h × k_w`` (or ``k_h × k_w`` for a one-channel input), or ``F`` filters
            ``F × C/g × k_h × k_w``; same entry types.
        stride: ``s`` or ``(s_h, s_w)``, pixels between neighbouring windows.
        padding: zero padding per side: ``p``, ``(p_h, p_w)``, ``((top, bottom), (left, right))``,
            ``'valid'`` (none) or ``'same'`` (TensorFlow's rule, the extra pixel right/bottom).
        dilation: ``d`` or ``(d_h, d_w)``, 1 = ordinary kernel.
        bias: one value for all filters or one per filter (0 = none).
        flip: ``False`` (default) cross-correlation like deep-learning frameworks; ``True`` true
            convolution (kernels rotated by 180°, shown as a step).
        groups: grouped convolution; must divide the channels and the filters.
        max_elements: output elements worked out (window and products) per channel map.
        max_maps: channel maps worked out element by element (the others are shown as matrices only).
        max_matrix: the largest matrix (number of entries) printed in full in the steps.
        max_listed: the most channels, filters or matrices listed in one step (Given, a sum).

    Returns:
        A :class:`ConvolutionResult`; the answers always hold the full output: a numpy array when the input
        or the kernel is an array (or a tensor), nested lists otherwise.

    Raises:
        InputError: ragged matrices, channel counts that disagree, a kernel larger than the padded
            input, groups that do not divide the channels or filters, strings that are neither numbers
            nor symbol names, negative padding, strides below 1.
    """
    for name, limit in (
        ("max_elements", max_elements),
        ("max_maps", max_maps),
        ("max_matrix", max_matrix),
        ("max_listed", max_listed),
    ):
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InputError(name, limit, "expected a non-negative integer")
    arrays = is_array(input) or is_array(kernel)
    x, k, b, geo, single = prepare(input, kernel, stride, padding, dilation, bias, groups)
    kind = x.kind
    k_used = Tensor(rotate(k.data), k.kind) if flip else k
    raw = correlate(x, k_used, geo)
    out = add_bias(raw, b, kind) if b is not None else raw
    output = as_given(out[0] if single else out, kind, arrays)
    ho, wo = geo.output

    computed: list[np.ndarray] = []  # every filter's channel maps, once computed (the answers and steps share them)

    def maps() -> Any:
        if not computed:
            computed.append(channel_correlate(x, k_used, geo))
        return as_given(computed[0][0] if single else computed[0], kind, arrays)

    answers: dict[str, Any] = {"output": output}
    if elements(NUMERIC, (geo.filters, geo.group_channels, ho, wo)) <= CHANNEL_ANSWER_LIMIT:
        answers["channel_outputs"] = maps()
    answers["output_shape"] = [ho, wo] if single else [geo.filters, ho, wo]
    conventions = _conventions(geo, flip, b is not None, kind)
    limits = (max_elements, max_maps, max_matrix, max_listed)

    def build(der: Derivation) -> None:
        _Builder(der, x, k, k_used, b, geo, single, flip, raw, out, limits, computed).run()

    title = "Convolution" if flip else "Cross-correlation (convolution layer)"
    return ConvolutionResult("convolution", title, answers, conventions, build, channel_maps=maps)


class _Builder:
    """Adds the steps of one worked convolution; only the shown elements and maps are computed here."""

    def __init__(
        self,
        der: Derivation,
        x: Tensor,
        k: Tensor,
        k_used: Tensor,
        b: Tensor | None,
        geo: Geometry,
        single: bool,
        flip: bool,
        raw: np.ndarray,
        out: np.ndarray,
        limits: tuple[int, int, int, int],
        computed: list[np.ndarray],
    ) -> None:
        self.der, self.x, self.k, self.k_used, self.b, self.geo = der, x, k, k_used, b, geo
        self.computed = computed
        self.single, self.flip, self.raw, self.out = single, flip, raw, out
        self.max_elements, self.max_maps, self.max_matrix, self.max_listed = limits
        self.kind = x.kind
        self.xp = pad(x.data, geo.pads)
        self.many_filters = geo.filters > 1 or not single
        self.many_channels = geo.channels > 1
        self.likewise = False  # the note that the remaining maps are computed the same way was written
        self.listed = 0  # channel-map matrices shown so far (at most max_listed in the whole derivation)

    # -- names ------------------------------------------------------------------------------------
    @staticmethod
    def sym(base: str, *indices: int) -> Any:
        import sympy

        if not indices:
            return sympy.Symbol(base)
        return sympy.Symbol(f"{base}_{{{','.join(map(str, indices))}}}")

    def x_name(self, ch: int, padded: bool = False) -> Any:
        base = "X'" if padded else "X"
        return self.sym(base, ch + 1) if self.many_channels else self.sym(base)

    def kernel_indices(self, f: int, c: int) -> tuple[int, ...]:
        return tuple(
            index + 1
            for index, show in ((f, self.many_filters), (c, self.geo.group_channels > 1 or self.many_channels))
            if show
        )

    def k_name(self, f: int, c: int, rotated: bool = False) -> Any:
        return self.sym("K'" if rotated else "K", *self.kernel_indices(f, c))

    def map_name(self, f: int, c: int) -> Any:
        return self.sym("Y", *self.kernel_indices(f, c))

    def out_name(self, f: int) -> Any:
        return self.sym("Y", f + 1) if self.many_filters else self.sym("Y")

    def channel_of(self, f: int, c: int) -> int:
        """The input channel that kernel channel ``c`` of filter ``f`` reads (0-based)."""
        return self.geo.input_channel(f, c)

    # -- values -----------------------------------------------------------------------------------
    def shown(self, a: np.ndarray) -> bool:
        return a.size <= self.max_matrix

    def matrix(self, a: np.ndarray) -> list[list[Any]]:
        """A 2-D array as rows of exact SymPy-printable values."""
        return exact_values(a, self.kind)  # type: ignore[return-value]

    def matrix_or_shape(self, a: np.ndarray) -> Any:
        return self.matrix(a) if self.shown(a) else f"{a.shape[0]}×{a.shape[1]} matrix (not shown)"

    def key(self, base: str, *indices: int) -> str:
        return base + "".join(f"[{i}]" for i in indices)

    # -- steps ------------------------------------------------------------------------------------
    def run(self) -> None:
        self.given()
        if self.geo.mode == "same":
            self.same_padding()
        self.padded_input()
        if self.flip:
            self.rotated_kernels()
        nf = min(self.geo.filters, max(self.max_listed, 1))
        budget = self.max_maps
        for f in range(nf):
            budget = self.filter_steps(f, budget)
        if nf < self.geo.filters:
            self.der.note(
                f"… and {self.geo.filters - nf} more filters, computed the same way (all of them are in the answer output)."
            )
        self.output_shape()

    def given(self) -> None:
        geo, der = self.geo, self.der
        items: list[tuple[Any, Any, str]] = []
        for ch in range(min(geo.channels, self.max_listed)):
            items.append((self.x_name(ch), self.matrix_or_shape(self.x.data[ch]), f"input channel {ch + 1}"))
        slices = elements(NUMERIC, (geo.filters, geo.group_channels))
        for n in range(min(slices, self.max_listed)):  # kernel slices in order: filter 1's channels first
            f, c = divmod(n, geo.group_channels)
            items.append((self.k_name(f, c), self.matrix_or_shape(self.k.data[f, c]), ""))
        der.add(Given("Given", tuple(items)))
        if max(geo.channels, slices) > self.max_listed:
            der.note(
                f"Input {geo.channels} × {geo.height} × {geo.width} (channels × rows × columns); "
                f"{geo.filters} {'filter' if geo.filters == 1 else 'filters'} of {geo.group_channels} × {geo.kernel[0]} × "
                f"{geo.kernel[1]}; "
                f"only the first {self.max_listed} input channels and kernel slices are listed."
            )
        scalars: list[tuple[Any, Any, str]] = []

        def pair(v: tuple[int, int]) -> Any:
            return v[0] if v[0] == v[1] else list(v)  # one value when both axes agree

        scalars.append(
            (self.sym("s"), pair(geo.stride), "stride" + ("" if geo.stride[0] == geo.stride[1] else " (rows, columns)"))
        )
        t, bo, l, r = geo.pads
        if geo.mode == "same":
            scalars.append((self.sym("p"), "same", "TensorFlow rule, derived below"))
        elif geo.symmetric:
            scalars.append(
                (self.sym("p"), pair((t, l)), "zero padding per side" + ("" if t == l else " (rows, columns)"))
            )
        else:
            scalars.append((self.sym("p"), [t, bo, l, r], "zero padding (top, bottom, left, right)"))
        if geo.dilation != (1, 1):
            scalars.append((self.sym("d"), pair(geo.dilation), "dilation"))
        if geo.groups != 1:
            scalars.append((self.sym("g"), geo.groups, "groups"))
        if self.b is not None:
            bias = exact_values(self.b.data, self.kind)
            scalars.append((self.sym("b"), bias[0] if geo.filters == 1 else bias, "bias per filter"))
        der.add(Given("Hyper-parameters", tuple(scalars)))

    def same_padding(self) -> None:
        from symconv.core.arith import size_symbol as sym
        from symconv.problems.output_size import derive_axis

        geo = self.geo
        for axis, w in enumerate(geo.windows):
            a = "h" if axis == 0 else "w"
            names = {
                "i": sym("H" if axis == 0 else "W"),
                "k": sym(f"k_{a}"),
                "s": sym(f"s_{a}"),
                "p": sym(f"p_{a}"),
                "d": sym(f"d_{a}"),
                "o": sym("H'" if axis == 0 else "W'"),
            }
            values = {"i": w.i, "k": w.k, "s": w.s, "p": 0, "d": w.d}
            derive_axis(self.der, w, names, values, "tf_same", label="Output height" if axis == 0 else "Output width")

    def padded_input(self) -> None:
        geo = self.geo
        if not any(geo.pads):
            return
        t, b, l, r = geo.pads
        for ch in range(min(geo.channels, self.max_listed)):
            if not self.shown(self.xp[ch]):
                self.der.note(f"The padded input channels are {geo.padded[0]} × {geo.padded[1]} (too large to show).")
                return
            self.der.add(
                MatrixEquation(
                    f"Input channel {ch + 1} with zero padding (top {t}, bottom {b}, left {l}, right {r})",
                    self.x_name(ch, padded=True),
                    (self.matrix(self.xp[ch]),),
                )
            )

    def rotated_kernels(self) -> None:
        geo = self.geo
        for n in range(min(elements(NUMERIC, (geo.filters, geo.group_channels)), self.max_listed)):
            f, c = divmod(n, geo.group_channels)
            a = self.k_used.data[f, c]
            if not self.shown(a):
                continue
            self.der.add(
                MatrixEquation(
                    rich(
                        "Kernel {k} rotated by $180°$ (rows and columns reversed: true convolution)",
                        k=self.k_name(f, c),
                    ),
                    self.k_name(f, c, rotated=True),
                    (self.matrix(a),),
                )
            )

    def filter_steps(self, f: int, budget: int) -> int:
        """Channel maps (worked while ``budget`` lasts), their sum, the bias and the map of filter ``f``."""
        cg = self.geo.group_channels
        maps = self.filter_maps(f)
        shown_maps: list[Any] = []
        for c in range(cg):
            if budget > 0:
                self.channel_elements(f, c, maps[c])
                budget -= 1
            elif not self.likewise:
                self.der.note(
                    "Likewise for the other channel maps (each element the same sum of kernel × window products):"
                )
                self.likewise = True
            if self.listed < self.max_listed and self.shown(maps[c]):
                self.listed += 1
                shown_maps.append(self.matrix(maps[c]))
                self.channel_map(f, c, shown_maps[-1])
        if cg > 1:
            self.channel_sum(f, shown_maps)
        if self.b is not None:
            self.bias(f)
        return budget

    def channel_map(self, f: int, c: int, matrix: list[list[Any]]) -> None:
        """One channel's map (the output itself when there is one channel and no bias)."""
        final_map = self.geo.group_channels == 1 and self.b is None
        self.der.add(
            MatrixEquation(
                f"Feature map of channel {c + 1}"
                + (f" of filter {f + 1}" if self.many_filters else "")
                + (" (the output)" if final_map else ""),
                self.map_name(f, c),
                (matrix,),
                answer=final_map,
                key=self.key(
                    "output" if final_map else "channel_outputs",
                    *((f,) if not self.single else ()),
                    *(() if final_map else (c,)),
                ),
            )
        )

    def channel_sum(self, f: int, shown_maps: list[Any]) -> None:
        """The sum of a filter's channel maps: written out as terms when every map was shown."""
        total = self.raw[f]
        cg = self.geo.group_channels
        label = f"Sum of the {cg} channel maps" + (f" of filter {f + 1}" if self.many_filters else "")
        out_key = self.key("output", *((f,) if not self.single else ()))
        if not self.shown(total):
            self.der.note(f"{label}: a {self.geo.output[0]} × {self.geo.output[1]} matrix, in the answer output.")
            return
        # too many maps to write out as terms: the sum alone
        terms = tuple(shown_maps) if len(shown_maps) == cg else (self.matrix(total),)
        result = self.matrix(total) if len(shown_maps) == cg else None
        self.der.add(
            MatrixEquation(
                label,
                self.out_name(f),
                terms,
                "+",
                result,
                answer=self.b is None,
                key=out_key if self.b is None else "",
            )
        )

    def bias(self, f: int) -> None:
        """The bias added to a filter's summed map."""
        bias = exact_values(self.b.data, self.kind)[f] if self.b is not None else 0
        label = f"Add the bias of filter {f + 1}" if self.many_filters else "Add the bias"
        if not self.shown(self.out[f]):
            self.der.note(f"{label}: {bias} is added to every element.")
            return
        self.der.add(
            MatrixEquation(
                label,
                self.out_name(f),
                (self.matrix(self.raw[f]), _sympy(bias)),
                "+",
                self.matrix(self.out[f]),
                answer=True,
                key=self.key("output", *((f,) if not self.single else ())),
            )
        )

    def filter_maps(self, f: int) -> np.ndarray:
        """The channel maps of one filter (C/g × H' × W'): from all of them if computed, else as a one-filter problem."""
        if self.computed:
            return self.computed[0][f]
        geo = self.geo
        xs = Tensor(self.x.data[geo.channels_of(f)], self.kind)
        ks = Tensor(self.k_used.data[f : f + 1], self.kind)
        sub = replace(geo, channels=geo.group_channels, filters=1, groups=1)
        return channel_correlate(xs, ks, sub)[0]

    def channel_elements(self, f: int, c: int, cmap: np.ndarray) -> None:
        """The first ``max_elements`` elements of one channel map: window, products, sum."""
        import sympy

        from symconv.core.stepper import literal_factor

        geo, der = self.geo, self.der
        kh, kw = geo.kernel
        wo = geo.output[1]
        count = elements(NUMERIC, geo.output)
        ch = self.channel_of(f, c)
        padded = any(geo.pads)
        src = self.x_name(ch, padded=padded)
        kname = self.k_name(f, c, rotated=self.flip)
        who = f"channel {c + 1}" + (f" of filter {f + 1}" if self.many_filters else "")
        der.note(
            rich(
                "Feature map {y} of {who}: kernel {k} slid over {x}, each output element the sum of the kernel × window "
                "products.",
                y=self.map_name(f, c),
                who=who,
                k=kname,
                x=src,
            )
        )
        kernel = [[_sympy(v) for v in row] for row in self.k_used.data[f, c].tolist()]
        n = min(count, self.max_elements)
        for e in range(n):
            i, j = divmod(e, wo)
            rows, cols = geo.taps(0, i), geo.taps(1, j)
            window = self.xp[ch][np.ix_(rows, cols)]
            win = [[_sympy(v) for v in row] for row in window.tolist()]
            der.add(
                MatrixEquation(
                    rich(f"Window for output ({i + 1}, {j + 1}): {_span('rows', rows)}, {_span('columns', cols)} of ")
                    + math(src),
                    self.sym("P", *self.kernel_indices(f, c), i + 1, j + 1),  # named like y: unique across channels
                    (self.matrix(window),),
                )
            )
            products = [
                sympy.Mul(literal_factor(kernel[u][v]), win[u][v], evaluate=False) for u in range(kh) for v in range(kw)
            ]
            display = products[0] if len(products) == 1 else sympy.Add(*products, evaluate=False)
            value = exact_values(cmap[i : i + 1, j : j + 1], self.kind)[0][0]
            indices = (*self.kernel_indices(f, c), i + 1, j + 1)
            der.equation_from(
                f"Output ({i + 1}, {j + 1}) of {who}",
                self.sym("y", *indices),
                display,
                {},
                result=value,
                mul="dot",
                show_formula=False,
                key=self.key("channel_outputs", *((f,) if not self.single else ()), c, i, j),
            )
        if count > n:
            rest = count - n
            der.note(
                rich(f"… and {rest} more element{'s' if rest > 1 else ''} of ")
                + math(self.map_name(f, c))
                + f", each the same sum of {MACS_PER_OUTPUT(kh, kw, 1)} products."
            )

    def output_shape(self) -> None:
        """H' and W' by the output-size formula (one equation when both axes agree), then the shape."""
        geo = self.geo
        same_axes = geo.windows[0] == geo.windows[1]
        shape_index = 0 if self.single else 1
        for n, w in enumerate(geo.windows[:1] if same_axes else geo.windows):
            self.axis_size(w, "" if same_axes else ("h" if n == 0 else "w"), f"output_shape[{shape_index + n}]")
        shape = " × ".join(map(str, ([] if self.single else [geo.filters]) + list(geo.output)))
        what = "rows × columns" if self.single else "filters × rows × columns"
        self.der.note(rich(f"Output shape: ${shape}$ ({what})."))

    def axis_size(self, w: Any, a: str, key: str) -> None:
        """The output size along one axis (``a`` 'h' or 'w'; '' for both): symmetric or asymmetric padding."""
        from symconv.core.arith import size_symbol as sym
        from symconv.problems.output_size import derive_axis

        label = "Output height and width" if not a else ("Output height" if a == "h" else "Output width")
        if self.geo.mode == "same":
            label = "Check with the output-size formula: " + label[0].lower() + label[1:]
        suffix = f"_{a}" if a else ""
        lhs = sym("o") if not a else sym("H'" if a == "h" else "W'")
        names = {
            "i": sym("i" if not a else ("H" if a == "h" else "W")),
            "k": sym("k" + suffix),
            "s": sym("s" + suffix),
            "d": sym("d" + suffix),
        }
        if w.p_b == w.p_e:
            values = {"i": w.i, "k": w.k, "s": w.s, "p": w.p_b, "d": w.d}
            names.update(p=sym("p" + suffix), o=lhs)
            derive_axis(self.der, w, names, values, "floor", label=label, key=key, answer=True)
            return
        sides = ("p_b", "p_e") if not a else (f"p_{{b,{a}}}", f"p_{{e,{a}}}")
        names.update(p_b=sym(sides[0]), p_e=sym(sides[1]))
        vals = {
            names[p]: v for p, v in (("i", w.i), ("k", w.k), ("s", w.s), ("p_b", w.p_b), ("p_e", w.p_e), ("d", w.d))
        }
        self.der.equation(
            label + " (padding before ≠ after)",
            lhs,
            CONV_OUTPUT_ASYMMETRIC,
            vals,
            symbols=names,
            result=w.o,
            key=key,
            answer=True,
        )


def _sympy(v: Any) -> Any:
    """An entry as a SymPy number or expression for display trees."""
    import sympy

    from symconv.core.stepper import to_sympy

    if isinstance(v, float):
        return sympy.Float(v)
    return to_sympy(v)


def _span(what: str, idx: list[int]) -> str:
    """``rows 1–2`` for consecutive indices, ``rows 1, 3, 5`` when dilated (1-based)."""
    one = [index + 1 for index in idx]
    if len(one) == 1:
        return f"{what[:-1]} {one[0]}"
    if all(b - a == 1 for a, b in itertools.pairwise(one)):
        return f"{what} {one[0]}–{one[-1]}"
    return f"{what} " + ", ".join(map(str, one))
