"""The one place a caller's values are normalised: numpy and torch to Python, floats as printed decimals, flags,
and calls bound with shorthands and clear errors."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symconv.core.coerce import flag, plain, public, suggest
from symconv.errors import ArgumentError, InputError, SymconvError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, Fraction(1, 10)),  # the decimal it prints, not 3602879701896397/36028797018963968
        (np.float64(0.1), Fraction(1, 10)),
        (np.float32(0.1), Fraction(1, 10)),  # float32's own shortest decimal, not float64's 0.10000000149011612
        (np.float16(0.3), Fraction(3, 10)),
        (2.5e-7, Fraction(1, 4_000_000)),
        (3.0, 3),
        (np.int8(-2), -2),
        (np.uint64(2**64 - 1), 2**64 - 1),
        (np.bool_(True), True),
        (np.array(7), 7),
        (np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]),
        (np.array([0.5, 0.1], dtype=np.float32), [Fraction(1, 2), Fraction(1, 10)]),
        ((1, (2, 3)), [1, [2, 3]]),
        (range(3), [0, 1, 2]),
        ({"a": [np.int64(1), 0.25]}, {"a": [1, Fraction(1, 4)]}),
        ("0.1", "0.1"),  # strings are the functions' to read
        (Fraction(1, 3), Fraction(1, 3)),
    ],
)
def test_plain_values(value: Any, expected: Any) -> None:
    out = plain(value, "x")
    assert out == expected
    assert type(out) is type(expected)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_the_decimal_it_prints(x: float) -> None:
    assert plain(x, "x") == Fraction(repr(x))  # read back, it is the same float
    assert float(plain(x, "x")) == x


def test_torch_tensors_become_python_values() -> None:
    torch = pytest.importorskip("torch")
    assert plain(torch.tensor([3, 4]), "x") == [3, 4]
    assert plain(torch.tensor(0.1, dtype=torch.float32), "x") == Fraction(1, 10)
    assert plain(torch.tensor([1.5], dtype=torch.bfloat16), "x") == [Fraction(3, 2)]
    kept = plain(torch.ones(2, 2, dtype=torch.int32), "x", keep_arrays=True)
    assert isinstance(kept, np.ndarray) and kept.tolist() == [[1, 1], [1, 1]]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (float("nan"), "finite"),
        (np.float32("inf"), "finite"),
        (np.array([1 + 2j]), "complex"),
    ],
)
def test_plain_refuses_with_the_field(value: Any, words: str) -> None:
    with pytest.raises(InputError, match=words) as e:
        plain([[value]], "kernel")
    assert e.value.field.startswith("kernel")


def test_a_list_containing_itself_is_refused_not_a_recursion_error() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(InputError, match="nested more than"):
        plain(loop, "kernels")


@pytest.mark.parametrize("value", [True, False, np.bool_(False), np.array(True)])
def test_flags_accept_booleans(value: Any) -> None:
    assert flag(value, "transposed") is bool(value)


@pytest.mark.parametrize("value", ["no", "False", 0, 1, None, np.int64(1), [True], 1.0])
def test_flags_refuse_everything_else(value: Any) -> None:
    with pytest.raises(InputError, match="True or False") as e:
        flag(value, "transposed")
    assert e.value.field == "transposed"


@public(aliases={"i": "input"}, flags=("ceil",))
def f(input: Any, kernel: Any = 1, stride: Any = 1, *, ceil: bool = False) -> tuple[Any, ...]:
    return input, kernel, stride, ceil


def test_calls_are_bound_with_the_catalogue_letters() -> None:
    assert f(5, k=3, s=np.int64(2), ceil=np.bool_(True)) == (5, 3, 2, True)
    assert f(i=0.5) == (Fraction(1, 2), 1, 1, False)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"input": 1, "kernel_size": 3}, "kernel_size", "did you mean 'kernel'"),
        ({"input": 1, "strides": 2}, "strides", "did you mean 'stride'"),
        ({"input": 1, "kernal": 2}, "kernal", "did you mean 'kernel'"),
        ({"input": 1, "colour": 2}, "colour", "takes input, kernel, stride, ceil"),
        ({"input": 1, "kernel": 2, "k": 2}, "kernel", "given twice"),
        ({"kernel": 2}, "input", "needs 'input'"),
        ({"input": 1, "ceil": "yes"}, "ceil", "True or False"),
    ],
)
def test_call_errors_name_the_parameter(kwargs: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as e:
        f(**kwargs)
    assert e.value.field == field


def test_binding_errors_are_symconv_type_errors() -> None:
    with pytest.raises(ArgumentError, match="at most 3 positional") as e:
        f(1, 2, 3, 4)
    assert isinstance(e.value, TypeError) and isinstance(e.value, SymconvError)
    with pytest.raises(ArgumentError, match="given twice"):
        f(1, input=2)


def test_suggestions() -> None:
    assert suggest("out_channels", ["input", "kernel", "filters"]) == "filters"
    assert suggest("kernel", ["kernels", "strides"]) == "kernels"
    assert suggest("zzz", ["input"]) is None


def test_plain_python_calls_import_neither_numpy_nor_torch() -> None:
    """numpy and torch values are recognised only when their modules are loaded: coercion imports neither."""
    code = (
        "import sys, symconv\n"
        "assert symconv.output_size(38, k=3, s=2).value == 18\n"
        "assert symconv.conv_layer([38, 38, 22], 3, 224, stride=2, bias=True).value == 14370048\n"
        "print(sorted(m for m in ('numpy', 'torch', 'sympy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
