"""A network's per-layer table as typed records and as a pandas DataFrame (pandas imported only when asked for)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from symconv.core.arith import to_python
from symconv.errors import UnsupportedError
from symconv.network.info import AXIS_NAMES, LayerInfo

if TYPE_CHECKING:
    import pandas

    from symconv.core.arith import Size

_INT64 = 2**63 - 1


@dataclass(frozen=True)
class LayerRecord:
    """One row of a network's table: sizes in pixels, receptive fields in input pixels, exact.

    Per-axis values are tuples (height, width); an entry is None where it is unknown (adaptive pooling of a
    symbolic size). With a symbolic input size the sizes and counts are SymPy closed forms.
    """

    name: str
    type: str
    inputs: tuple[str, ...]
    output_shape: tuple[Size, ...]
    receptive_field: tuple[Size | None, ...]
    effective_stride: tuple[Size | None, ...]
    effective_padding: tuple[Size | None, ...]
    weights: Size
    biases: Size
    parameters: Size
    macs: Size

    @classmethod
    def of(cls, info: LayerInfo) -> LayerRecord:
        def axes(values: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(None if v is None else to_python(v) for v in values)

        return cls(
            name=info.name,
            type=info.type,
            inputs=tuple(info.inputs),
            output_shape=tuple(to_python(n) for n in info.shape),
            receptive_field=axes(info.field.rf),
            effective_stride=axes(info.field.jump),
            effective_padding=axes(info.field.pad),
            weights=to_python(info.weights),
            biases=to_python(info.biases),
            parameters=to_python(info.parameters),
            macs=to_python(info.macs),
        )


PER_AXIS = ("receptive_field", "effective_stride", "effective_padding")
"""The record fields holding one value per spatial axis."""


def columns(records: list[LayerRecord]) -> dict[str, list[Any]]:
    """The table as columns: name, type, input, output_shape, one column per per-axis quantity when every layer's
    axes agree (``receptive_field``) or one per axis otherwise (``receptive_field_height``, …), then the counts."""
    table: dict[str, list[Any]] = {
        "name": [r.name for r in records],
        "type": [r.type for r in records],
        "input": [", ".join(r.inputs) for r in records],
        "output_shape": [r.output_shape for r in records],
    }
    for key in PER_AXIS:
        values = [getattr(r, key) for r in records]
        if all(len(set(v)) <= 1 for v in values):
            table[key] = [v[0] if v else None for v in values]
        else:
            rank = max(len(v) for v in values)
            for a in range(rank):
                axis = AXIS_NAMES[rank][a] if rank in AXIS_NAMES else a  # depth, height, width; length
                table[f"{key}_{axis}"] = [v[a] if a < len(v) else None for v in values]
    for f in fields(LayerRecord):
        if f.name in ("weights", "biases", "parameters", "macs"):
            table[f.name] = [getattr(r, f.name) for r in records]
    return table


def data_frame(records: list[LayerRecord]) -> pandas.DataFrame:
    """One row per layer, typed columns: strings, int64 where every value is an integer that fits (nullable
    ``Int64`` where some are unknown), object otherwise (Fractions, Python integers past int64, SymPy)."""
    try:
        import pandas as pd
    except ImportError:
        raise UnsupportedError("to_pandas needs pandas: pip install 'symconv[pandas]'") from None
    data: dict[str, Any] = {}
    for key, values in columns(records).items():
        if key in ("name", "type", "input"):
            data[key] = pd.Series(values, dtype="string")
        elif key == "output_shape":
            data[key] = pd.Series(values, dtype=object)
        else:
            data[key] = _typed(pd, values)
    return pd.DataFrame(data)


def _typed(pd: Any, values: list[Any]) -> Any:
    known = [v for v in values if v is not None]
    integers = all(isinstance(v, int) and not isinstance(v, bool) and abs(v) <= _INT64 for v in known)
    if integers and len(known) == len(values):
        return pd.Series(values, dtype="int64")
    if integers:
        return pd.Series([pd.NA if v is None else v for v in values], dtype="Int64")
    return pd.Series(values, dtype=object)
