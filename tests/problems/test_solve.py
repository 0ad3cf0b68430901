"""Solve for a parameter: every answer is checked by an exact scan, by substitution, and at the neighbours outside."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from brute import conv1d_positions
from hypothesis import given
from hypothesis import strategies as st

import symconv
from symconv.catalogue import CATALOGUE
from symconv.core.arith import size_symbol
from symconv.errors import InputError
from symconv.problems.solve import solve
from symconv.solution.derivation import Relation

_HOLDS = {
    "==": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}


def windows(i: int, k: int, s: int, p: int, d: int) -> int:
    """The output size as the number of windows a sliding loop visits (the independent brute force)."""
    return len(conv1d_positions(i, k, s, p, p, d))


def test_which_stride_takes_38_to_18() -> None:
    r = symconv.solve("conv_output_size", "s", 18, given={"i": 38, "k": 3, "p": 0, "d": 1})
    assert r.value == [2] == [s for s in range(1, 100) if windows(38, 3, s, 0, 1) == 18]
    assert r.answers["interval"] == sympy.Interval.Lopen(Fraction(35, 18), Fraction(35, 17))
    # the floor is turned into the double inequality 17 ≤ 35/s < 18, as a person writes it
    s = size_symbol("s")
    doubles = [st.terms for st in r.steps if isinstance(st, Relation) and len(st.terms) == 3 and st.ops == ("<=", "<")]
    assert (17, 35 / s, 18) in [tuple(sympy.sympify(t) for t in terms) for terms in doubles]


def test_no_stride_gives_19_and_the_answer_says_why() -> None:
    r = symconv.solve("conv_output_size", "s", 19, given={"i": 38, "k": 3, "p": 0, "d": 1})
    assert r.value == [] == [s for s in range(1, 100) if windows(38, 3, s, 0, 1) == 19]
    assert r.answers["interval"] == sympy.Interval.Lopen(Fraction(35, 19), Fraction(35, 18))
    assert "No integer s satisfies the condition" in r.text()


def test_two_kernels_take_224_to_112() -> None:
    r = symconv.solve("conv_output_size", "k", 112, given={"i": 224, "s": 2, "p": 3, "d": 1})
    assert r.value == [7, 8] == [k for k in range(1, 231) if windows(224, k, 2, 3, 1) == 112]
    assert r.answers["interval"] == sympy.Interval.Lopen(6, 8)


def test_bottleneck_width_for_90_percent_savings() -> None:
    r = symconv.solve("savings", "P", "9/10", relation=">=", given={"L": 250, "N": 48, "k": 7})
    # independent: the savings from the bottleneck problem's own stage counts, P by P
    brute = [
        p for p in range(1, 250) if symconv.bottleneck([54, 54, 250], 7, 48, p).answers["savings"] >= Fraction(9, 10)
    ]
    assert r.value == brute == list(range(1, 23))
    assert r.answers["closed_form"] == Fraction(29400, 1301)
    # substituting the boundary back gives exactly 9/10
    P = size_symbol("P")
    savings = symconv.bottleneck(["H", "W", 250], 7, 48, "P").answers["savings"]
    assert savings.xreplace({P: sympy.Rational(29400, 1301)}) == sympy.Rational(9, 10)


def test_symbolic_givens_give_the_closed_form_of_the_issue() -> None:
    r = symconv.solve("savings", "P", "sigma", given={"L": "L", "N": "N", "k": "k"})
    L, N, k, P = (size_symbol(n) for n in "LNkP")
    sigma = sympy.Symbol("sigma", real=True)
    closed = r.answers["closed_form"]
    assert sympy.simplify(closed - (1 - sigma) * L * N * k**2 / (L + N * k**2)) == 0
    # substituted back into the derived savings it gives sigma
    savings = symconv.bottleneck(["H", "W", "L"], "k", "N", "P").answers["savings"]
    assert sympy.simplify(savings.xreplace({P: closed}) - sigma) == 0
    assert r.value is None


@given(
    i=st.integers(1, 60),
    k=st.integers(1, 7),
    s=st.integers(1, 6),
    p=st.integers(0, 3),
    d=st.integers(1, 3),
    unknown=st.sampled_from(["i", "k", "s", "p", "d"]),
    relation=st.sampled_from(["==", ">=", "<=", ">", "<"]),
    target=st.integers(1, 30),
)
def test_solutions_are_exactly_the_brute_force_scan(
    i: int, k: int, s: int, p: int, d: int, unknown: str, relation: str, target: int
) -> None:
    values = {"i": i, "k": k, "s": s, "p": p, "d": d}
    lo = 0 if unknown == "p" else 1
    top = 80
    given_ = {n: v for n, v in values.items() if n != unknown}
    r = solve("conv_output_size", unknown, target, relation=relation, given=given_, range=[lo, top])

    def size_at(v: int) -> int:
        point = dict(values, **{unknown: v})
        if (point["k"] - 1) * point["d"] + 1 > point["i"] + 2 * point["p"]:
            return 0  # the kernel does not fit: no window at all
        return windows(**point)

    def formula_at(v: int) -> int:
        return CATALOGUE["conv_output_size"](*[dict(values, **{unknown: v})[n] for n in "iksp d".replace(" ", "")])

    # the solutions are the values where the layer has windows and their count meets the target; where the
    # kernel does not fit the formula still has a value (0 or below), but no layer has that output size
    brute = [v for v in range(lo, top + 1) if size_at(v) and _HOLDS[relation](size_at(v), target)]
    assert r.value == brute
    for v in range(lo, top + 1):
        if size_at(v):
            assert formula_at(v) == size_at(v)
    if brute and r.answers["interval"] is not None:
        assert all(v in r.answers["interval"] for v in brute)
        outside = [v for v in (brute[0] - 1, brute[-1] + 1) if lo <= v <= top]
        assert all(v not in r.answers["interval"] or not _HOLDS[relation](size_at(v), target) for v in outside)


def test_the_ceiling_mode_output_size() -> None:
    f = CATALOGUE["pool_output_size_ceil"]
    r = solve("pool_output_size_ceil", "s", 11, given={"i": 38, "k": 3, "p": 1, "d": 1})
    assert r.value == [s for s in range(1, 200) if f(38, 3, s, 1, 1) == 11] == [4]
    assert r.answers["interval"] == sympy.Interval.Ropen(Fraction(37, 10), Fraction(37, 9))
    none = solve("pool_output_size_ceil", "s", 10, given={"i": 38, "k": 3, "p": 1, "d": 1})
    assert none.value == [s for s in range(1, 200) if f(38, 3, s, 1, 1) == 10] == []


def test_no_rearrangement_falls_back_to_an_exact_scan() -> None:
    # the layer's multiplications hold the stride in two floors (height and width)
    given_ = {"H": 38, "W": 30, "C": 22, "k": 3, "N": 224, "p": 1}
    r = solve("layer", "s", 2_000_000, relation="<=", given=given_, range=[1, 40])
    brute = [
        s
        for s in range(1, 41)
        if symconv.conv_layer([38, 30, 22], 3, 224, stride=s, padding=1).answers["multiplications"] <= 2_000_000
    ]
    assert r.value == brute and r.answers["interval"] is None
    assert "No exact rearrangement applies" in r.text()


def test_unbounded_solutions_need_a_range() -> None:
    with pytest.raises(InputError) as e:
        solve("savings", "P", "1/2", relation="<=", given={"L": 250, "N": 48, "k": 7})
    # the message says which interval: savings ≤ 1/2 from P ≥ 147000/1301 on
    assert e.value.field == "range" and "[147000/1301, ∞)" in str(e.value) and "give range" in str(e.value)
    r = solve("savings", "P", "1/2", relation="<=", given={"L": 250, "N": 48, "k": 7}, range=[100, 120])
    brute = [
        p for p in range(100, 121) if symconv.bottleneck([1, 1, 250], 7, 48, p).answers["savings"] <= Fraction(1, 2)
    ]
    assert r.value == brute


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"unknown": "q"}, "unknown", "no such symbol"),
        ({"relation": "=>"}, "relation", "use one of"),
        ({"range": [2.2, 2.8]}, "range", "no integer"),
        ({"range": [5, 1]}, "range", "above"),
        ({"given": {"i": 38, "k": 3, "p": 0}}, "given", "no value for d"),
        ({"given": {"i": 38, "k": 3, "p": 0, "d": 1, "s": 2}}, "given.s", "is the unknown"),
        ({"given": {"i": 38, "k": 3, "p": 0, "d": 1, "z": 2}}, "given.z", "no such symbol"),
        ({"given": {"i": -1, "k": 3, "p": 0, "d": 1}}, "given.i", "positive"),
        ({"quantity": "speed"}, "quantity", "unknown quantity"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str, fragment: str) -> None:
    args = {"quantity": "conv_output_size", "unknown": "s", "target": 18, "given": {"i": 38, "k": 3, "p": 0, "d": 1}}
    args.update(kwargs)
    with pytest.raises(InputError) as e:
        solve(args.pop("quantity"), args.pop("unknown"), args.pop("target"), **args)
    assert e.value.field == field and fragment in str(e.value)


def test_the_condition_keeps_the_formulas_shape() -> None:
    """⌊(230 − k)/2⌋ + 1 = 112 as a person writes it (SymPy's own form is ⌊−k/2⌋ + 116)."""
    text = symconv.solve("conv_output_size", "k", 112, given={"i": 224, "s": 2, "p": 3, "d": 1}).text("compact")
    assert "⌊(230 − k)/2⌋ + 1 = 112" in text and "222 ≤ 230 − k < 224" in text


def _torch_macs(model: object, side: int) -> int | None:
    """MACs of a Sequential of Conv2d/MaxPool2d at a side × side input, from PyTorch's own shapes (None: no output)."""
    import torch

    x = torch.zeros(1, 3, side, side)
    total = 0
    for m in model:  # type: ignore[attr-defined]
        try:
            y = m(x)
        except RuntimeError:  # PyTorch refuses a kernel larger than the padded input
            return None
        if y.numel() == 0:
            return None
        if isinstance(m, torch.nn.Conv2d):
            total += y.shape[2] * y.shape[3] * m.out_channels * (m.in_channels * m.kernel_size[0] * m.kernel_size[1])
        x = y
    return total


@pytest.mark.parametrize(("relation", "target"), [("<=", 20000), (">=", 20000), ("==", 107568), (">", 2000)])
def test_a_network_total_counts_only_inputs_that_have_an_output(relation: str, target: int) -> None:
    # without padding a small input has no output; its closed form still has a value there (a square of a negative
    # floor), which is no network's MACs
    torch = pytest.importorskip("torch")
    layers = [
        {"type": "conv", "kernel": 5, "filters": 4, "stride": 2},
        {"type": "maxpool", "kernel": 3, "stride": 2},
        {"type": "conv", "kernel": 3, "filters": 8},
    ]
    q = symconv.network_quantity({"input": ["S", "S", 3], "layers": layers}, "macs")
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 5, stride=2), torch.nn.MaxPool2d(3, 2), torch.nn.Conv2d(4, 8, 3))
    with torch.no_grad():
        macs = {side: _torch_macs(model, side) for side in range(1, 81)}
    brute = [side for side, m in macs.items() if m is not None and _HOLDS[relation](m, target)]
    assert brute  # the question has an answer
    assert solve(q, "S", target, relation=relation, range=[1, 80]).value == brute


@pytest.mark.parametrize(("relation", "target"), [("<=", 3), ("<", 1), ("==", 0), (">=", 1)])
def test_kernels_too_large_for_the_input_are_no_solutions(relation: str, target: int) -> None:
    # o ≤ 3 for every kernel from 8 on, by the formula; a kernel larger than the padded input has no window at all
    r = solve("conv_output_size", "k", target, relation=relation, given={"i": 10, "s": 1, "p": 0, "d": 1})
    brute = [k for k in range(1, 200) if windows(10, k, 1, 0, 1) and _HOLDS[relation](windows(10, k, 1, 0, 1), target)]
    assert r.value == brute  # bounded, so no range is needed
    # shown where it cuts the answer (o ≥ 1 says it already)
    assert ("A layer exists only where its output size is at least 1" in r.text("full")) == (relation != ">=")


def test_a_sweep_leaves_out_the_points_without_an_output() -> None:
    s = symconv.sweep("conv_output_size", "k", range=[1, 20], given={"i": 10, "s": 1, "p": 0, "d": 1})
    assert [(row["k"], row["conv_output_size"]) for row in s.value] == [
        (k, windows(10, k, 1, 0, 1)) for k in range(1, 21) if windows(10, k, 1, 0, 1)
    ]
    assert "Left out: k = 11…20" in s.text()
    with pytest.raises(InputError, match="no layer has an output"):
        symconv.sweep("conv_output_size", "k", range=[11, 20], given={"i": 10, "s": 1, "p": 0, "d": 1})


def test_no_sensitivity_where_the_layer_has_no_output() -> None:
    with pytest.raises(InputError, match="no layer has an output"):
        symconv.sensitivity("conv_output_size", "s", given={"i": 3, "k": 5, "s": 2, "p": 0, "d": 1})


@pytest.mark.parametrize("relation", [">=", "<"])
def test_a_root_near_an_integer_is_rounded_exactly(relation: str) -> None:
    # C·r^n ≥ t with t just above 8 × 15^10: the 10th root is a hair above 15, which SymPy's ceiling rounds to 15
    target = Fraction(2 * 8 * 15**10 + 1, 2)
    r = solve("pixel_unshuffle_channels", "r", target, relation=relation, given={"C": 8, "n": 10}, range=[1, 40])
    assert r.value == [v for v in range(1, 41) if _HOLDS[relation](8 * v**10, target)]


def test_paddings_and_indices_may_be_zero() -> None:
    r = solve("padded_size", "p_b", 10, relation="<=", given={"i": 8, "p_e": 1})
    assert r.value == [v for v in range(50) if 8 + v + 1 <= 10] == [0, 1]
    r = solve("adaptive_window_start", "j", 0, given={"i": 7, "o": 3})  # window 0 starts at pixel 0
    assert r.value == [j for j in range(50) if j * 7 // 3 == 0] == [0]


def test_a_result_chains_into_solve_sweep_and_sensitivity() -> None:
    # "what dilation gives a receptive field of 13 with three 3 × 3 layers?", from the receptive-field result itself
    rf = symconv.receptive_field(kernels=[3, 3, 3], dilations=["d"] * 3)

    def impulse(d: int) -> int:  # the receptive field as the reach of three stacked dilated windows, counted
        reach = {0}
        for _ in range(3):
            reach = {x + d * t for x in reach for t in range(3)}
        return max(reach) - min(reach) + 1

    assert solve(rf, "d", 13).value == [d for d in range(1, 60) if impulse(d) == 13] == [2]
    assert solve(rf, "dilation", 15).value == [d for d in range(1, 60) if impulse(d) == 15] == []  # 6d + 1 is odd
    assert solve(rf, "d", 13, relation="<=").text().count("RF_3") >= 2  # the result's own symbol
    rows = symconv.sweep(rf, "d", range=[1, 5]).value
    assert [row["receptive_field"] for row in rows] == [impulse(d) for d in range(1, 6)]
    assert symconv.sensitivity(rf, "d", given={"d": 2}).value == impulse(3) - impulse(2)
    # a layer's closed form in a padding: the padding may be 0, and its output size is kept
    o = symconv.output_size("i", kernel=3, stride=2, padding="p")
    assert solve(o, "p", 10, given={"i": 18}).value == [p for p in range(40) if windows(18, 3, 2, p, 1) == 10]
    # a SymPy expression taken from an answer
    c = symconv.conv_layer(["H", "H", 64], 3, "N", padding=1)
    brute = [n for n in range(1, 2000) if 56 * 56 * 9 * 64 * n <= 10**9]
    assert solve(c.answers["macs"], "N", 10**9, relation="<=", given={"H": 56}).value == brute
    with pytest.raises(InputError, match="every answer is a number"):
        solve(symconv.conv_layer([5, 5, 3], 3, 8), "k", 3)


def test_the_api_names_of_the_parameters_are_accepted() -> None:
    r = solve("conv_output_size", "stride", 18, given={"input": 38, "kernel_size": 3, "padding": 0, "dilation": 1})
    assert r.value == [s for s in range(1, 100) if windows(38, 3, s, 0, 1) == 18]
    rows = symconv.sweep("savings", "bottleneck", range=[1, 2], given={"L": 250, "filters": 48, "kernel": 7}).value
    assert [row["P"] for row in rows] == [1, 2]
    with pytest.raises(InputError, match="did you mean 's'"):
        solve("conv_output_size", "stide", 18, given={"i": 38, "k": 3, "p": 0, "d": 1})
    with pytest.raises(InputError, match="given twice"):
        solve("conv_output_size", "s", 18, given={"i": 38, "k": 3, "p": 0, "d": 1, "padding": 1})
