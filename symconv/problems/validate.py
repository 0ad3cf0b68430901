"""Validation of user inputs shared by the problems: sizes, per-layer lists, (h, w) pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symconv.core.arith import check_integer
from symconv.core.richtext import count
from symconv.errors import InputError


def size(value: Any, field: str, minimum: int = 1) -> Any:
    """An integer (or symbol) at least ``minimum``; 1 for sizes, kernels, strides, dilations, 0 for padding."""
    return check_integer(value, field, minimum=minimum)


def pair(value: Any, field: str, minimum: int = 1) -> tuple[Any, Any]:
    """``k`` or ``[k_h, k_w]`` → ``(k_h, k_w)``, each validated."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise InputError(field, list(value), "expected one value or a pair [height, width]")
        return size(value[0], f"{field}[0]", minimum), size(value[1], f"{field}[1]", minimum)
    v = size(value, field, minimum)
    return v, v


def per_layer(values: Sequence[Any] | None, n: int, field: str, default: Any, minimum: int) -> list[tuple[Any, Any]]:
    """A list of ``n`` per-layer (h, w) pairs; ``None`` means ``default`` for every layer."""
    if values is None:
        return [pair(default, field, minimum)] * n
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
        raise InputError(field, values, f"expected a list with one entry per layer ({n})")
    if len(values) != n:
        raise InputError(
            field,
            list(values),
            f"has {count(len(values), 'entry', 'entries')} but there {'is' if n == 1 else 'are'} {count(n, 'layer')}",
        )
    return [pair(v, f"{field}[{i}]", minimum) for i, v in enumerate(values)]


def shape3(value: Any, field: str) -> tuple[Any, Any, Any]:
    """``[H, W, C]`` → three validated positive sizes (numbers or symbols)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or len(value) != 3:
        raise InputError(field, value, "expected [H, W, C]")
    return size(value[0], f"{field}[0]"), size(value[1], f"{field}[1]"), size(value[2], f"{field}[2]")
