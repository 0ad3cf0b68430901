"""Build a Network from the TOML problem table of a ``type = "network"`` problem, strictly validated.

Every key is checked: unknown keys, wrong types, unknown layer types, references to unknown or
later layers and duplicate names raise :class:`symconv.errors.InputError` naming the layer and
the field. The input's H, W and C and the channel counts (``filters``, ``outputs``) may be symbol
names (closed forms in them); every other size is an integer.
"""

from __future__ import annotations

from typing import Any

from symconv.catalogue.rules import padding_word
from symconv.core.arith import check_integer
from symconv.core.coerce import public, suggest
from symconv.errors import InputError
from symconv.network.kinds.elementwise import ACTIVATIONS  # noqa: F401 -- re-exported
from symconv.network.model import INPUT, SAME, VALID, Layer, Network, Padding, kind_of, type_names

PROBLEM_KEYS = frozenset(
    {
        "id", "type", "title", "input", "endpoint", "layers", "count_bias", "count_batchnorm", "count_other_ops",
        "derive", "memory",
    }
)  # fmt: skip
"""Keys of a network problem table (``count_*`` switch the counting conventions; ``derive`` lists
layers whose row is derived step by step)."""

_COMMON = {"name", "type", "input"}


LAYER_TYPES: tuple[str, ...] = type_names()
"""Every layer type a problem file may give (the kinds register themselves); ACTIVATIONS are shape-neutral."""


class LayerFields:
    """Typed access to one layer's table, raising InputError with the layer and the field named (the kinds' from_spec read it)."""

    def __init__(self, table: dict[str, Any], prefix: str, rank: int = 2) -> None:
        self.table = table
        self.prefix = prefix
        self.rank = rank

    def error(self, key: str, value: Any, reason: str) -> InputError:
        return InputError(f"{self.prefix}.{key}", value, reason)

    def integer(self, key: str, default: Any = None, minimum: int = 1) -> int:
        value = self.table.get(key, default)
        if value is None:
            raise self.error(key, None, "required")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, value, "expected an integer")
        if value < minimum:
            raise self.error(key, value, "must be positive" if minimum == 1 else f"must be at least {minimum}")
        return value

    def channels(self, key: str) -> Any:
        """A channel count: a positive integer, or a symbol name (the counts are then closed forms in it)."""
        value = self.table.get(key)
        if isinstance(value, str):
            return check_integer(value, f"{self.prefix}.{key}", minimum=1)
        return self.integer(key)

    def sizes(self, key: str, default: Any = None, minimum: int = 1) -> tuple[int, ...]:
        """One integer per spatial axis: a single integer for all, or a list of ``rank`` ([k_h, k_w] …)."""
        value = self.table.get(key, default)
        if value is None:
            raise self.error(key, None, "required")
        if isinstance(value, list):
            if len(value) != self.rank:
                raise self.error(key, value, f"expected one integer or {_axes_list(self.rank)}")
            return tuple(LayerFields({key: v}, self.prefix).integer(key, minimum=minimum) for v in value)
        v = self.integer(key, default, minimum)
        return (v,) * self.rank

    def pair(self, key: str, default: Any = None, minimum: int = 1) -> tuple[int, int]:
        """Two integers (height, width) whatever the map's rank."""
        h, w = LayerFields(self.table, self.prefix, 2).sizes(key, default, minimum)
        return h, w

    def at(self, key: str, index: int, minimum: int = 1) -> int:
        """The integer at ``index`` of the list under ``key``."""
        return LayerFields({key: self.table[key][index]}, self.prefix).integer(key, minimum=minimum)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, value, "expected true or false")
        return value

    def padding(self, key: str = "padding") -> Padding:
        value = self.table.get(key, 0)
        word = padding_word(value, f"{self.prefix}.{key}")
        if word is not None:
            return SAME if word == "same" else VALID
        forms = f'"same", "valid", an integer, {_axes_list(self.rank)} or {_sides_list(self.rank)}'
        if isinstance(value, str):
            raise self.error(key, value, "expected " + forms)
        if isinstance(value, list) and len(value) == 2 * self.rank:
            sides = [self.at(key, j, minimum=0) for j in range(2 * self.rank)]
            return Padding(sides=tuple((sides[2 * a], sides[2 * a + 1]) for a in range(self.rank)))
        if isinstance(value, list) and len(value) != self.rank:
            raise self.error(key, value, "expected " + forms)
        return Padding.symmetric(*self.sizes(key, 0, minimum=0))


_AXIS_NAMES = {1: "[length]", 2: "[height, width]", 3: "[depth, height, width]"}
_SIDES = {1: "[left, right]", 2: "[top, bottom, left, right]", 3: "[front, back, top, bottom, left, right]"}


def _axes_list(rank: int) -> str:
    return f"one per spatial axis {_AXIS_NAMES[rank]}"


def _sides_list(rank: int) -> str:
    return _SIDES[rank]


def _inputs(f: LayerFields) -> tuple[str, ...]:
    value = f.table.get("input")
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise f.error("input", value, "expected a layer name or a list of layer names")


def _layer(table: Any, position: int, where: str, rank: int = 2) -> Layer:
    prefix = f"{where}layers[{position}]"
    if not isinstance(table, dict):
        raise InputError(prefix, table, "expected a table ([[problem.layers]])")
    name = table.get("name", f"layer{position + 1}")
    if not isinstance(name, str) or not name.strip():
        raise InputError(prefix + ".name", name, "expected a non-empty string")
    prefix += f" ({name!r})"
    f = LayerFields(table, prefix, rank)
    kind = table.get("type")
    if not isinstance(kind, str):
        raise f.error("type", kind, "required: one of " + ", ".join(type_names()))
    kind = kind.strip().lower()
    cls = kind_of(kind)
    if cls is None:
        raise f.error("type", kind, "unknown layer type; use one of " + ", ".join(type_names()))
    allowed = _COMMON | cls.keys_for(kind)
    unknown = sorted(set(table) - allowed)
    if unknown:
        hint = suggest(unknown[0], allowed)
        meant = f"did you mean {hint!r}? " if hint else ""
        raise f.error(
            unknown[0],
            table[unknown[0]],
            f"unknown key for a {kind} layer ({meant}allowed: {', '.join(sorted(allowed))})",
        )
    return cls.from_spec(f, {"name": name, "inputs": _inputs(f)}, kind)


def input_size(value: Any, field: str) -> tuple[Any, ...]:
    """``[H, W, C]`` (``[L, C]`` for 1-D signals, ``[D, H, W, C]`` for volumes): positive integers or symbol names."""
    if not isinstance(value, list) or not 2 <= len(value) <= 4:
        raise InputError(field, value, "expected [H, W, C] (or [L, C], [D, H, W, C])")
    sizes = tuple(check_integer(v, f"{field}[{j}]", minimum=1) for j, v in enumerate(value[:-1]))
    channels = value[-1]
    where = f"{field}[{len(value) - 1}]"
    if isinstance(channels, bool) or not isinstance(channels, (int, str)):
        raise InputError(where, channels, "the channels must be a positive integer or a symbol name")
    return (*sizes, check_integer(channels, where, minimum=1))


@public(texts=("where",))
def network_from_spec(table: dict[str, Any], where: str = "") -> Network:
    """The :class:`Network` described by a ``type = "network"`` problem table (issue 5's format).

    Args:
        table: the parsed TOML table of one problem (``input``, ``layers``, optional ``endpoint``,
            ``id``, ``type``, ``title``, ``count_bias``, ``count_batchnorm``, ``count_other_ops``, ``derive``).
        where: prefix for error fields, e.g. ``"problem 'tiny': "``.

    Raises:
        InputError: unknown keys, wrong types, unknown layer types, references to unknown or later
            layers (cycles), duplicate names, an unknown endpoint.
    """
    if not isinstance(table, dict):
        raise InputError(where + "problem", table, "expected a table")
    unknown = sorted(set(table) - PROBLEM_KEYS)
    if unknown:
        raise InputError(
            where + unknown[0], table[unknown[0]], "unknown key (allowed: " + ", ".join(sorted(PROBLEM_KEYS)) + ")"
        )
    if "input" not in table:
        raise InputError(where + "input", None, "required: [H, W, C] (or [L, C], [D, H, W, C])")
    size = input_size(table["input"], where + "input")
    layers = table.get("layers")
    if not isinstance(layers, list) or not layers:
        raise InputError(where + "layers", layers, "required: one [[problem.layers]] table per layer")
    built = [_layer(t, i, where, len(size) - 1) for i, t in enumerate(layers)]
    endpoint = table.get("endpoint", "")
    if not isinstance(endpoint, str):
        raise InputError(where + "endpoint", endpoint, "expected a layer name")
    if endpoint == INPUT:
        raise InputError(where + "endpoint", endpoint, "the endpoint must be a layer")
    try:
        return Network(size, tuple(built), endpoint)
    except InputError as e:
        raise InputError(where + e.field, e.value, e.reason) from None


def options_from_spec(table: dict[str, Any], where: str = "") -> dict[str, Any]:
    """The keyword options of :func:`symconv.network.problem.network` given in a problem table."""
    options: dict[str, Any] = {}
    for key, option in (
        ("count_bias", "count_bias"),
        ("count_batchnorm", "count_batchnorm"),
        ("count_other_ops", "count_other_ops"),
    ):
        if key in table:
            if not isinstance(table[key], bool):
                raise InputError(where + key, table[key], "expected true or false")
            options[option] = table[key]
    if "memory" in table:
        memory = table["memory"]
        if not isinstance(memory, (bool, str)):
            raise InputError(where + "memory", memory, 'expected true (float32) or a data type such as "float16"')
        if isinstance(memory, str):
            from symconv.network.memory import bytes_per_element

            bytes_per_element(memory, where + "memory")
        options["memory"] = memory
    if "derive" in table:
        derive = table["derive"]
        if not isinstance(derive, list) or not all(isinstance(n, str) for n in derive):
            raise InputError(where + "derive", derive, "expected a list of layer names")
        options["derive"] = list(derive)
    return options
