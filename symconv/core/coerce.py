"""The one place where a Python caller's values become symconv's: exact numbers, real booleans, plain lists.

Every public function is wrapped by :func:`public`, which binds the call to the function's signature
(single-letter shorthands such as ``k`` for ``kernel`` accepted, a wrong keyword answered with the right
name), then normalises each argument:

- numpy scalars and arrays, and torch tensors, become Python values: integers as ``int``, floats as the
  decimal they print (``0.1`` is 1/10, as in problem files, never its binary expansion), booleans as
  ``bool``, arrays as nested lists. Tensor arguments (a convolution's input, kernel, bias) keep numpy
  arrays as arrays, and torch tensors become numpy arrays, so the engine computes on them directly.
- flags must be booleans (``True``/``False`` or a numpy bool): ``transposed="no"`` is an error.

numpy and torch are never imported here: a value can only be theirs if their module is already loaded,
so the numeric paths stay free of both (and of SymPy).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import sys
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Literal, ParamSpec, TypeVar

from symconv.core.limits import MAX_DEPTH, MAX_ITEMS
from symconv.errors import MISSING, ArgumentError, InputError

P = ParamSpec("P")
R = TypeVar("R")

Kind = Literal["value", "flag", "text", "tensor", "raw"]
"""How an argument is normalised: a value (made plain), a flag (a real boolean), a text (a string), a tensor
(arrays kept), raw (untouched)."""

LETTERS: dict[str, str] = {
    "k": "kernel",
    "s": "stride",
    "p": "padding",
    "d": "dilation",
    "a": "output_padding",
    "g": "groups",
}
"""The catalogue's single letters, accepted as shorthand wherever a function (or a problem type) has the parameter."""


def shorthands(names: Iterable[str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The shorthands of parameters ``names``: the :data:`LETTERS` that apply, and ``extra`` (``{"N": "filters"}``)."""
    names = set(names)
    table = {letter: name for letter, name in LETTERS.items() if name in names}
    table.update({short: name for short, name in (extra or {}).items() if name in names})
    return table


OTHER_NAMES: dict[str, str] = {
    "kernel_size": "kernel",
    "kernel_sizes": "kernels",
    "ksize": "kernel",
    "out_channels": "filters",
    "num_filters": "filters",
    "n_filters": "filters",
    "outputs": "filters",
    "strides": "stride",
    "dilation_rate": "dilation",
    "dilations": "dilation",
    "paddings": "padding",
    "pad": "padding",
    "output_paddings": "output_padding",
    "outpad": "output_padding",
    "group": "groups",
    "num_groups": "groups",
    "input_size": "input",
    "input_shape": "input",
    "in_size": "input",
    "x": "input",
    "weight": "kernel",
    "weights": "kernel",
    "use_bias": "bias",
}
"""Names other libraries (PyTorch, Keras, course notes) give symconv's parameters, for "did you mean" hints."""


# --- values ---------------------------------------------------------------------------------------


def _module(name: str) -> Any:
    """A module if it is already imported (None otherwise): a value cannot be numpy's before numpy is loaded."""
    return sys.modules.get(name)


def is_array(value: Any) -> bool:
    """Whether ``value`` is a numpy array."""
    np = _module("numpy")
    return np is not None and isinstance(value, np.ndarray)


def is_tensor(value: Any) -> bool:
    """Whether ``value`` is a torch tensor (without importing torch)."""
    torch = _module("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def tensor_to_array(value: Any, field: str) -> Any:
    """A torch tensor as a numpy array (detached, on the CPU). A dtype numpy lacks becomes float64 (bfloat16,
    float8: every value exact in float64) or int64 (torch's unsigned integers)."""
    torch = _module("torch")
    t = value.detach()
    if t.is_complex():
        raise InputError(field, _short(value), "expected real numbers, got a complex tensor")
    if t.device.type != "cpu":
        t = t.cpu()
    try:
        return t.numpy()
    except TypeError:  # a dtype numpy has no counterpart for
        pass
    try:
        return t.to(torch.float64 if t.is_floating_point() else torch.int64).numpy()
    except (TypeError, RuntimeError) as e:  # sparse or quantised layouts numpy cannot view
        raise InputError(field, _short(value), f"cannot read this tensor as numbers ({e})") from None


def decimal(value: Any, field: str) -> int | Fraction:
    """A Python or numpy float as the decimal it prints (``0.1`` → 1/10), an ``int`` when it is whole."""
    if not math.isfinite(value):
        raise InputError(field, value, "not a finite number")
    # numpy prints a float the shortest way that reads back in its own precision (np.float32(0.1) as 0.1);
    # np.float64 is a float subclass whose repr is np.float64(0.1), so str, never repr, for numpy types
    text = repr(value) if type(value) is float else str(value)
    try:
        exact = Fraction(text)
    except ValueError:  # a float type printing in some other way: the shortest decimal of its float64 value
        exact = Fraction(repr(float(value)))
    return int(exact) if exact.denominator == 1 else exact


def plain(value: Any, field: str, *, keep_arrays: bool = False) -> Any:
    """``value`` with numpy and torch scalars and arrays made Python values, recursively through lists and tables.

    Integers stay ``int``; floats become the decimal they print (an ``int`` when whole); numpy booleans
    become ``bool``; arrays and tuples of values become lists; a ``range`` becomes a list. Strings,
    Fractions, SymPy objects and everything else pass unchanged, for the function to validate.
    ``keep_arrays`` keeps numpy arrays as they are (torch tensors become numpy arrays).
    """
    count = [0]
    return _plain(value, field, 0, keep_arrays, count)


def _plain(value: Any, field: str, depth: int, keep_arrays: bool, count: list[int]) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, Fraction)):
        return value
    if isinstance(value, int):
        return int(value)  # an int subclass (an IntEnum) as a plain int
    if isinstance(value, float):
        return decimal(value, field)
    np = _module("numpy")
    if is_tensor(value):
        value = tensor_to_array(value, field)
        if keep_arrays:
            return value
    if np is not None:
        if isinstance(value, np.ndarray):
            if keep_arrays and value.dtype.kind == "O":  # an array of Python objects: each one made plain
                if value.size > MAX_ITEMS:
                    raise InputError(field, _short(value), f"more than {MAX_ITEMS:,} values")
                out = np.empty(value.shape, dtype=object)
                out.flat[:] = [_plain(v, field, depth + 1, False, count) for v in value.flat]
                return out
            if keep_arrays:
                return value
            if value.dtype.kind == "c":
                raise InputError(field, _short(value), "expected real numbers, got a complex array")
            if value.ndim == 0:
                return _plain(value[()], field, depth, keep_arrays, count)
            if value.size > MAX_ITEMS:
                raise InputError(field, _short(value), f"more than {MAX_ITEMS:,} values")
            return [_plain(v, f"{field}[{i}]", depth + 1, keep_arrays, count) for i, v in enumerate(value)]
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return decimal(value, field)
    if isinstance(value, range) and abs(value.stop - value.start) > MAX_ITEMS * abs(value.step):
        raise InputError(field, value, f"more than {MAX_ITEMS:,} values")
    if isinstance(value, (list, tuple, range)):
        if depth >= MAX_DEPTH:
            raise InputError(
                field, "<nested lists>", f"nested more than {MAX_DEPTH} levels (or a list containing itself)"
            )
        count[0] += len(value)
        if count[0] > MAX_ITEMS:
            raise InputError(field, f"<{len(value)} entries>", f"more than {MAX_ITEMS:,} values")
        return [_plain(v, f"{field}[{i}]", depth + 1, keep_arrays, count) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        if depth >= MAX_DEPTH:
            raise InputError(
                field, "<nested tables>", f"nested more than {MAX_DEPTH} levels (or a table containing itself)"
            )
        return {k: _plain(v, f"{field}.{k}", depth + 1, keep_arrays, count) for k, v in value.items()}
    return value


def text(value: Any, field: str) -> str:
    """A string (a prefix, a name): nothing else."""
    if not isinstance(value, str):
        raise InputError(field, _short(value), "expected a string")
    return value


def flag(value: Any, field: str) -> bool:
    """A real boolean: ``True``/``False`` or a numpy bool (a 0-d boolean array or tensor too); nothing else."""
    np = _module("numpy")
    if is_tensor(value) and value.numel() == 1 and not value.is_floating_point():
        value = tensor_to_array(value, field).reshape(())
    if np is not None and isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind == "b":
        value = value[()]
    if isinstance(value, bool):
        return value
    if np is not None and isinstance(value, np.bool_):
        return bool(value)
    raise InputError(field, _short(value), "expected True or False")


def _short(value: Any) -> Any:
    """The value for an error message: arrays described by their shape (InputError cuts anything else long)."""
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, (int, float, str)):
        dtype = getattr(value, "dtype", "")
        return f"{type(value).__name__} of shape {tuple(shape)}" + (f" and dtype {dtype}" if dtype else "")
    return value


# --- calls ----------------------------------------------------------------------------------------


def suggest(name: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """The parameter a mistaken keyword ``name`` most likely means: another library's name for it, or the closest."""
    known = list(known)
    for table in (aliases or {}, OTHER_NAMES):
        target = table.get(name) or table.get(name.lower())
        if target in known:
            return target
        if target and target + "s" in known:  # kernel_size → kernels for a per-layer list
            return target + "s"
    if name.endswith("s") and name[:-1] in known:
        return name[:-1]
    if name + "s" in known:
        return name + "s"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_keyword(
    function: str, name: str, value: Any, known: Iterable[str], aliases: Mapping[str, str]
) -> ArgumentError:
    """The error for a keyword ``function`` does not take, naming the parameter meant when one is likely."""
    known = list(known)
    hint = suggest(name, [*known, *aliases], aliases)
    target = aliases.get(hint, hint) if hint else None
    reason = f"{function}() has no parameter {name!r}"
    reason += f"; did you mean {target!r}?" if target else "; it takes " + ", ".join(known)
    return ArgumentError(name, _short(value), reason)


def public(
    *,
    aliases: Mapping[str, str] | None = None,
    flags: Iterable[str] = (),
    texts: Iterable[str] = (),
    tensors: Iterable[str] = (),
    raw: Iterable[str] = (),
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a public function: bind the call (shorthands, clear errors), then normalise every argument once.

    Args:
        aliases: shorthands beyond the :data:`LETTERS` that apply (``{"N": "filters"}``).
        flags: parameters that must be booleans (:func:`flag`).
        texts: parameters that must be strings (:func:`text`).
        tensors: parameters whose numpy arrays are kept and torch tensors made numpy arrays.
        raw: parameters passed through untouched (a PyTorch module, a Network).

    Errors from the call's shape (a wrong keyword, a missing or repeated argument, too many positional
    ones) are :class:`~symconv.errors.ArgumentError`, a ``TypeError`` of symconv's family that names the
    parameter; bad values are the function's own :class:`~symconv.errors.InputError`.
    """
    kinds: dict[str, Kind] = {
        **{n: "flag" for n in flags},
        **{n: "text" for n in texts},
        **{n: "tensor" for n in tensors},
        **{n: "raw" for n in raw},
    }

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        sig = inspect.signature(fn)
        params = sig.parameters
        names = [n for n, p in params.items() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        short = shorthands(names, aliases)
        missing = set((aliases or {}).values()) | set(kinds)
        if not missing <= set(names):
            raise TypeError(f"public({fn.__name__}): unknown parameters {sorted(missing - set(names))}")

        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            given: dict[str, Any] = {}
            for key, value in kwargs.items():
                target = key if key in params else short.get(key)
                if target is None:
                    raise unknown_keyword(fn.__name__, key, value, names, short)
                if target in given:
                    raise ArgumentError(target, _short(value), f"given twice (as {target!r} and as {key!r})")
                given[target] = value
            try:
                bound = sig.bind(*args, **given)
            except TypeError as e:
                raise _binding_error(fn.__name__, e, sig, args, given) from None
            for name, value in bound.arguments.items():
                kind = kinds.get(name, "value")
                if kind == "flag":
                    bound.arguments[name] = flag(value, name)
                elif kind == "text":
                    bound.arguments[name] = text(value, name)
                elif kind != "raw":
                    bound.arguments[name] = plain(value, name, keep_arrays=kind == "tensor")
            return fn(*bound.args, **bound.kwargs)

        call.__signature__ = sig  # type: ignore[attr-defined]
        return call

    return wrap


def _binding_error(
    function: str, e: TypeError, sig: inspect.Signature, args: tuple[Any, ...], given: dict[str, Any]
) -> ArgumentError:
    """Python's binding error as symconv's, naming the parameter concerned."""
    params = sig.parameters
    positional = [n for n, p in params.items() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(args) > len(positional):
        return ArgumentError(
            "arguments",
            f"<{len(args)} positional>",
            f"{function}() takes at most {len(positional)} positional arguments ({', '.join(positional)}); "
            "give the others by name",
        )
    for i, name in enumerate(positional[: len(args)]):
        if name in given:
            return ArgumentError(name, _short(given[name]), f"given twice (as argument {i + 1} and by name)")
    required = [
        n for n, p in params.items() if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    bound_names = set(positional[: len(args)]) | set(given)
    for name in required:
        if name not in bound_names:
            return ArgumentError(name, MISSING, f"{function}() needs {name!r}")
    return ArgumentError("arguments", MISSING, f"{function}(): {e}")
