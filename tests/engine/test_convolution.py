"""The convolution engine against independent implementations: scipy per channel, torch, a pure-Python loop."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy
from brute import conv1d_positions
from hypothesis import given
from scipy import signal
from strategies import problems

from symconv.engine.convolution import conv2d, plan, prepare
from symconv.errors import InputError


def brute(x: Any, w: Any, b: Any, stride: Any, padding: Any, dilation: Any, groups: int) -> list[Any]:
    """The definition, one multiply-add at a time in Python integers or Fractions."""
    _c, h, wd = len(x), len(x[0]), len(x[0][0])
    f, cg, kh, kw = len(w), len(w[0]), len(w[0][0]), len(w[0][0][0])
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    fg = f // groups

    def at(ch: int, r: int, q: int) -> Any:
        r, q = r - ph, q - pw
        return x[ch][r][q] if 0 <= r < h and 0 <= q < wd else 0

    # the windows whose last tap lies in the padded input, every stride-th start (no output-size formula)
    ho = len([y for y in range(h + 2 * ph) if y + dh * (kh - 1) < h + 2 * ph][::sh])
    wo = len([x for x in range(wd + 2 * pw) if x + dw * (kw - 1) < wd + 2 * pw][::sw])
    out = []
    for fi in range(f):
        g = fi // fg
        rows = []
        for i in range(ho):
            row = []
            for j in range(wo):
                acc = b[fi]
                for c_ in range(cg):
                    for u in range(kh):
                        for v in range(kw):
                            acc += w[fi][c_][u][v] * at(g * cg + c_, i * sh + u * dh, j * sw + v * dw)
                row.append(acc)
            rows.append(row)
        out.append(rows)
    return out


def scipy_reference(p: dict[str, Any]) -> np.ndarray:
    """Per filter, the sum over its group's channels of scipy's correlate2d, then stride and dilation."""
    x, w = p["x"], p["w"]
    (sh, sw), (ph, pw), (dh, dw), g = p["stride"], p["padding"], p["dilation"], p["groups"]
    f, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
    out = []
    for fi in range(f):
        group = fi // (f // g)
        acc = 0
        for c in range(cg):
            # dilation: spread the kernel with zeros, which correlate2d then treats as ordinary taps
            k = np.zeros((dh * (kh - 1) + 1, dw * (kw - 1) + 1), dtype=np.int64)
            k[::dh, ::dw] = w[fi, c]
            acc = acc + signal.correlate2d(xp[group * cg + c], k, mode="valid")
        out.append(acc[::sh, ::sw] + p["b"][fi])
    return np.array(out)


@given(problems())
def test_matches_scipy_per_channel(p: dict[str, Any]) -> None:
    out = conv2d(p["x"], p["w"], p["stride"], p["padding"], p["dilation"], p["b"], p["groups"])
    ref = scipy_reference(p)
    assert out.shape == ref.shape  # scipy's 'valid' correlation, strided: the shape is found, not computed
    assert (out == ref).all()


@given(problems())
def test_matches_torch_in_float64(p: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    args = (p["stride"], p["padding"], p["dilation"])
    out = conv2d(p["x"].astype(float), p["w"].astype(float), *args, p["b"].astype(float), p["groups"])
    ref = torch.nn.functional.conv2d(
        torch.tensor(p["x"], dtype=torch.float64)[None],
        torch.tensor(p["w"], dtype=torch.float64),
        torch.tensor(p["b"], dtype=torch.float64),
        *args,
        p["groups"],
    )[0].numpy()
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-9)


@given(problems(max_value=3))
def test_exact_paths_agree_with_the_python_loop(p: dict[str, Any]) -> None:
    """Fractions (scaled to integers), Python ints past int64 and the int path all equal the definition."""
    args = (p["stride"], p["padding"], p["dilation"])
    x = [[[Fraction(int(v), 3) for v in row] for row in ch] for ch in p["x"].tolist()]
    w = [[[[Fraction(int(v), 2) for v in row] for row in c] for c in f] for f in p["w"].tolist()]
    b = [Fraction(int(v), 5) for v in p["b"]]
    assert conv2d(x, w, *args, b, p["groups"]) == brute(x, w, b, *args, p["groups"])  # lists in, lists out
    huge = 2**70
    wh = [[[[v * huge for v in row] for row in c] for c in f] for f in p["w"].tolist()]
    bh = [int(v) for v in p["b"]]
    out = conv2d(p["x"].tolist(), wh, *args, bh, p["groups"])
    assert out == brute(p["x"].tolist(), wh, bh, *args, p["groups"])


def test_int64_overflow_falls_back_to_python_integers() -> None:
    """9 products of 2**31 × 2**31 = 9 × 2**62 overflow int64; the answer must still be exact."""
    big = 2**31
    x = np.full((1, 3, 3), big, dtype=np.int64)
    w = np.full((1, 1, 3, 3), big, dtype=np.int64)
    out = conv2d(x, w)
    assert out.dtype == object
    assert out.tolist() == brute(x.tolist(), w.tolist(), [0], (1, 1), (0, 0), (1, 1), 1) == [[[9 * 2**62]]]
    # inside int64 but past float64's exact range: 3 products of 2**30 × 2**31 = 3 × 2**61
    x3 = np.full((1, 1, 3), 2**30, dtype=np.int64)
    w3 = np.full((1, 1, 1, 3), 2**31, dtype=np.int64)
    assert conv2d(x3, w3).tolist() == [[[3 * 2**61]]]
    # a bias that pushes an int64 result over the edge
    out = conv2d(np.array([[2**62]]), np.array([[1]]), bias=[2**62])
    assert out.tolist() == [[2**63]]


def test_large_integers_in_the_float_exact_range_use_blas_and_stay_exact() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(-(2**20), 2**20, (4, 9, 9))
    w = rng.integers(-(2**20), 2**20, (3, 4, 3, 3))
    out = conv2d(x, w, padding=1)
    assert out.dtype == np.int64
    assert out.tolist() == brute(x.tolist(), w.tolist(), [0, 0, 0], (1, 1), (1, 1), (1, 1), 1)


def test_symbolic_kernel_substituted_gives_the_numeric_output() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(-4, 5, (2, 4, 5))
    names = [[[f"w_{c}{u}{v}" for v in range(2)] for u in range(3)] for c in range(2)]
    numbers = rng.integers(-4, 5, (2, 3, 2))
    sym = conv2d(x, names, stride=(1, 2), padding=1, bias="b")
    values = {sympy.Symbol(names[c][u][v]): int(numbers[c, u, v]) for c in range(2) for u in range(3) for v in range(2)}
    values[sympy.Symbol("b")] = 3
    numeric = conv2d(x, numbers, stride=(1, 2), padding=1, bias=3)
    substituted = [[int(sympy.expand(e).xreplace(values)) for e in row] for row in sym.tolist()]
    assert substituted == numeric.tolist()


def test_symbols_are_plain_and_strings_are_never_evaluated() -> None:
    out = conv2d([["x_11", "1/3"]], [["w", "0.5"]])
    e = out[0][0]
    assert e == sympy.Symbol("x_11") * sympy.Symbol("w") + sympy.Rational(1, 6)
    assert sympy.Symbol("w").assumptions0 == {s.name: s for s in e.free_symbols}["w"].assumptions0
    with pytest.raises(InputError, match="input"):
        conv2d([["__import__('os')", 1]], [[1]])


def test_flip_is_scipy_convolve2d() -> None:
    rng = np.random.default_rng(11)
    x = rng.integers(-5, 6, (3, 6, 7))
    w = rng.integers(-5, 6, (3, 3, 2))
    out = conv2d(x, w, flip=True)
    ref = sum(signal.convolve2d(x[c], w[c], mode="valid") for c in range(3))
    assert (out == ref).all()


def test_same_padding_follows_tensorflow() -> None:
    geo = plan((1, 5, 6), (1, 1, 4, 3), stride=2, padding="same")
    assert geo.output == (3, 3)  # ⌈5/2⌉, ⌈6/2⌉
    # height: total (3−1)·2 + 4 − 5 = 3 → 1 top, 2 bottom; width: (3−1)·2 + 3 − 6 = 1 → 0 left, 1 right
    assert geo.pads == (1, 2, 0, 1)
    assert geo.output == (len(conv1d_positions(5, 4, 2, 1, 2, 1)), len(conv1d_positions(6, 3, 2, 0, 1, 1)))
    x = np.arange(30).reshape(1, 5, 6)
    w = np.ones((1, 1, 4, 3), dtype=np.int64)
    explicit = conv2d(x, w, stride=2, padding=((1, 2), (0, 1)))
    assert (conv2d(x, w, stride=2, padding="same") == explicit).all()


def test_asymmetric_padding_matches_explicit_zeros() -> None:
    rng = np.random.default_rng(5)
    x = rng.integers(-3, 4, (2, 4, 4))
    w = rng.integers(-3, 4, (2, 2, 2))
    xp = np.pad(x, ((0, 0), (0, 2), (1, 0)))
    assert (conv2d(x, w, padding=((0, 2), (1, 0))) == conv2d(xp, w)).all()


def test_one_filter_and_2d_shapes() -> None:
    assert np.shape(conv2d([[1, 2], [3, 4]], [[1]])) == (2, 2)
    assert np.shape(conv2d([[[1, 2], [3, 4]]], [[[[1]]]])) == (1, 2, 2)
    assert np.shape(conv2d([[[1, 2], [3, 4]]], [[[1]]])) == (2, 2)


def test_float_arrays_take_the_float_path_and_python_floats_are_decimals() -> None:
    out = conv2d(np.array([[0.1, 0.2]]), np.array([[1.0, 1.0]]))
    assert out.dtype == np.float64 and out.tolist() == [[0.1 + 0.2]]  # float64 arithmetic: 0.30000000000000004
    # a Python float is the decimal it prints, as in problem files: 0.1 + 0.2 is exactly 3/10
    assert conv2d([[0.1, 0.2]], [[1, 1]]) == [[Fraction(3, 10)]]
    assert conv2d([[np.float32(0.1)]], [[np.float64(0.2)]]) == [[Fraction(1, 50)]]


def test_depthwise_groups() -> None:
    rng = np.random.default_rng(2)
    x = rng.integers(-3, 4, (4, 5, 5))
    w = rng.integers(-3, 4, (8, 1, 3, 3))  # channel multiplier 2
    out = conv2d(x, w, padding=1, groups=4)
    for f in range(8):
        ref = signal.correlate2d(np.pad(x[f // 2], 1), w[f, 0], mode="valid")
        assert (out[f] == ref).all()


def test_channel_maps_sum_to_the_output() -> None:
    from symconv.engine.convolution import channel_correlate, correlate

    rng = np.random.default_rng(9)
    x0 = rng.integers(-3, 4, (4, 6, 5))
    w0 = rng.integers(-3, 4, (6, 2, 2, 3))
    x, k, _, geo, _ = prepare(x0, w0, 2, 1, 1, None, 2)
    maps = channel_correlate(x, k, geo)
    assert maps.shape == (6, 2, *geo.output)
    assert (maps.sum(axis=1) == correlate(x, k, geo)).all()
    for f in range(6):
        for c in range(2):
            ref = signal.correlate2d(np.pad(x0[(f // 3) * 2 + c], 1), w0[f, c], mode="valid")[::2, ::2]
            assert (maps[f, c] == ref).all()


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("input", "kernel", "kwargs", "field", "words"),
    [
        ([[1, 2], [3]], [[1]], {}, "input", "ragged"),
        ([[[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]]], [[[1]], [[1]]], {}, "input", "ragged"),
        ([[1, 2], [3, 4]], [[1, 2], [3]], {}, "kernel", "ragged"),
        (np.zeros((3, 4, 4)), np.zeros((1, 2, 2, 2)), {}, "kernel", "3 channel"),
        (np.zeros((3, 4, 4)), np.zeros((2, 2, 2)), {}, "kernel", "2×2×2"),
        (np.zeros((1, 3, 3)), np.zeros((1, 1, 4, 4)), {}, "kernel", "larger than the padded input 3×3"),
        (np.zeros((1, 3, 3)), np.zeros((1, 1, 2, 2)), {"dilation": 3}, "kernel", "extent 4×4"),
        (np.zeros((4, 3, 3)), np.zeros((2, 2, 1, 1)), {"groups": 3}, "groups", "4 input channels"),
        (np.zeros((4, 3, 3)), np.zeros((3, 2, 1, 1)), {"groups": 2}, "groups", "3 filters"),
        ([[1, "1x"]], [[1]], {}, "input[0][1]", "not a valid symbol name"),
        ([[1, "x y"]], [[1]], {}, "input[0][1]", "symbol name"),
        ([[1, True]], [[1]], {}, "input[0][1]", "boolean"),
        ([[1, float("nan")]], [[1]], {}, "input[0][1]", "finite"),
        ([[1, 2]], [["w", "1/0"]], {}, "kernel[0][1]", "division by zero"),
        ([[1, 2]], [[1]], {"padding": -1}, "padding", "at least 0"),
        ([[1, 2]], [[1]], {"padding": "full"}, "padding", "same"),
        ([[1, 2]], [[1]], {"stride": 0}, "stride", "positive"),
        ([[1, 2]], [[1]], {"stride": "s"}, "stride", "integer"),
        ([[1, 2]], [[[[1]]], [[[2]]]], {"bias": [1, 2, 3]}, "bias", "2 filters"),
        ([1, 2], [[1]], {}, "input", "2-D or 3-D"),
        ([[1, 2]], [], {}, "kernel", "empty"),
    ],
)
def test_bad_input_names_the_field_and_the_problem(
    input: Any, kernel: Any, kwargs: Any, field: str, words: str
) -> None:
    with pytest.raises(InputError) as info:
        conv2d(input, kernel, **kwargs)
    assert info.value.field.startswith(field)
    assert words in str(info.value)


@given(problems())
def test_per_tap_gemm_equals_im2col(p: dict[str, Any]) -> None:
    """The copy-free stride-1 scheme (used for large inputs) against im2col, in int64 and float64."""
    from symconv.engine.convolution import _im2col_gemm, _taps_gemm

    x, k, _, geo, _ = prepare(p["x"], p["w"], 1, p["padding"], p["dilation"], None, p["groups"])
    assert (_taps_gemm(x.data, k.data, geo) == _im2col_gemm(x.data, k.data, geo)).all()
    xf, kf = x.data.astype(float), k.data.astype(float)
    np.testing.assert_allclose(_taps_gemm(xf, kf, geo), _im2col_gemm(xf, kf, geo), atol=1e-9)
