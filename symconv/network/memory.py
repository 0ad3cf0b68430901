"""Memory of a network, as the summary tools users know report it: activations, parameters, a training estimate.

Per layer: the elements of its output and their bytes (a view — flatten, identity, dropout at inference,
a channel slice, a permutation — shares its input's memory and allocates nothing), the parameters it
stores and their bytes. Totals: the input, every allocated activation once (the forward pass when
nothing is freed), the parameters, and torchinfo's training estimate: input + forward/backward pass
(2 × the outputs of the layers with parameters: kept for the backward pass, and their gradients) +
parameters, with no optimizer state and no parameter gradients. Bytes are exact integers; with
symbolic input sizes, closed forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from symconv.catalogue import ESTIMATED_TOTAL_BYTES, FORWARD_BACKWARD_BYTES, TENSOR_BYTES, TOTAL_PARAMETERS
from symconv.catalogue.backend import NUMERIC, Ops
from symconv.catalogue.rules import elements
from symconv.core.arith import is_symbolic
from symconv.core.coerce import public
from symconv.errors import InputError
from symconv.network.info import Analysis
from symconv.network.model import Network

DTYPES = {
    "float32": 4, "float": 4, "float16": 2, "half": 2, "bfloat16": 2, "float64": 8, "double": 8,
    "int8": 1, "uint8": 1, "int16": 2, "int32": 4, "int64": 8, "float8": 1,
}  # fmt: skip
"""Bytes per element of the data types (PyTorch's names)."""

MEMORY_CONVENTION = (
    "Every layer's output is stored once in the data type (views — flatten, identity, dropout at inference, "
    "channel slices, permutations — share their input's memory); parameters are the learned weights, biases and "
    "normalisation scales and shifts (buffers such as batch normalisation's running statistics are not counted). "
    "The training estimate is torchinfo's: input + forward/backward pass (the outputs of the layers with parameters, "
    "twice: kept for the backward pass, and their gradients) + parameters; no optimizer state, no parameter "
    "gradients, no workspace. 1 MB = 10^6 bytes."
)


@dataclass(frozen=True)
class LayerMemory:
    """One layer's memory: output elements and bytes (0 for a view), stored parameters and their bytes."""

    name: str
    activation_elements: Any
    activation_bytes: Any
    parameter_elements: Any
    parameter_bytes: Any


@dataclass(frozen=True)
class Memory:
    """A network's memory in one data type (see the module docstring for the conventions); ``kept_bytes`` are the
    outputs of the layers with parameters (what torchinfo's forward/backward pass holds twice)."""

    dtype: str
    bytes_per_element: int
    layers: tuple[LayerMemory, ...]
    input_elements: Any
    input_bytes: Any
    activation_elements: Any
    activation_bytes: Any
    parameter_elements: Any
    parameter_bytes: Any
    kept_bytes: Any
    forward_backward_bytes: Any
    training_bytes: Any

    def totals(self) -> dict[str, Any]:
        """The totals as a dict (the ``memory`` answer of a network problem)."""
        from symconv.core.arith import to_python

        return {
            "dtype": self.dtype,
            "bytes_per_element": self.bytes_per_element,
            "input_bytes": to_python(self.input_bytes),
            "activation_bytes": to_python(self.activation_bytes),
            "parameter_bytes": to_python(self.parameter_bytes),
            "forward_backward_bytes": to_python(self.forward_backward_bytes),
            "training_bytes": to_python(self.training_bytes),
        }


def bytes_per_element(dtype: str, field: str = "dtype") -> int:
    """Bytes of one element of ``dtype`` (``float32`` …, or ``torch.float16``)."""
    name = str(dtype).removeprefix("torch.").strip().lower()
    if not isinstance(dtype, str) or name not in DTYPES:
        raise InputError(field, dtype, "unknown data type; use one of " + ", ".join(DTYPES))
    return DTYPES[name]


@public(texts=("dtype",))
def network_memory(spec: Network | dict[str, Any], dtype: str = "float32") -> Memory:
    """Per-layer and total memory of a network in ``dtype`` (float32 by default), in bytes (see the module's
    conventions): each layer's output elements and bytes, its stored parameters and their bytes, the input,
    and torchinfo's training estimate. Closed forms in the input size when it is symbolic.

    Args:
        spec: a :class:`Network` (``network_from_spec``, ``from_torch``, ``from_onnx``) or a network problem table.
        dtype: the data type of activations and parameters (``"float32"``, ``"float16"``, ``"bfloat16"``, ``"int8"`` …).

    Raises:
        InputError: an unknown data type, or a malformed network.
    """
    from symconv.network.analysis import analyse
    from symconv.network.spec import network_from_spec

    if isinstance(spec, dict):
        spec = network_from_spec(spec)
    if not isinstance(spec, Network):
        raise InputError("spec", type(spec).__name__, "expected a Network or a network problem table")
    bytes_per_element(dtype)
    ops = _backend(*spec.input)
    return memory_of(analyse(spec, ops=ops), dtype, ops)


def memory_of(analysis: Analysis, dtype: str = "float32", ops: Ops | None = None) -> Memory:
    """The memory of an analysed network (the per-layer table of :func:`symconv.network.analysis.analyse`),
    on the arithmetic backend ``ops`` (default: exact numbers, or closed forms for symbolic sizes)."""
    b = bytes_per_element(dtype)
    network = analysis.network
    ops = ops or _backend(*network.input)
    layers = []
    for info in analysis.layers:
        out = elements(ops, info.shape)
        allocated = info.layer is None or info.layer.allocates
        stored = ops.ev(TOTAL_PARAMETERS, info.weights, info.biases)  # memory holds every parameter, counted or not
        layers.append(
            LayerMemory(
                info.name,
                out,
                ops.ev(TENSOR_BYTES, out, b) if allocated else 0,
                stored,
                ops.ev(TENSOR_BYTES, stored, b),
            )
        )
    inputs = elements(ops, network.input)
    input_bytes = ops.ev(TENSOR_BYTES, inputs, b)
    activations = ops.total(m.activation_bytes for m in layers)
    allocated_elements = ops.total(m.activation_elements for m in layers if _positive(ops, m.activation_bytes))
    params = ops.total(m.parameter_elements for m in layers)
    param_bytes = ops.ev(TENSOR_BYTES, params, b)
    with_parameters = ops.total(m.activation_bytes for m in layers if _positive(ops, m.parameter_elements))
    forward_backward = ops.ev(FORWARD_BACKWARD_BYTES, with_parameters)
    training = ops.ev(ESTIMATED_TOTAL_BYTES, input_bytes, forward_backward, param_bytes)
    return Memory(
        str(dtype).removeprefix("torch."),
        b,
        tuple(layers),
        inputs,
        input_bytes,
        allocated_elements,
        activations,
        params,
        param_bytes,
        with_parameters,
        forward_backward,
        training,
    )


def _positive(ops: Ops, n: Any) -> bool:
    return ops.compare(n, 0) == 1


def derive_memory(der: Any, memory: Memory) -> None:
    """The memory table of a network's worked solution, then the training estimate as steps."""
    from symconv.core.arith import size_symbol as sym
    from symconv.core.richtext import rich
    from symconv.solution.derivation import Table

    rows: list[tuple[Any, ...]] = [("input", memory.input_elements, memory.input_bytes, 0, 0)]
    rows += [
        (m.name, m.activation_elements, m.activation_bytes, m.parameter_elements, m.parameter_bytes)
        for m in memory.layers
    ]
    every = ops_total(memory.input_elements, memory.activation_elements)
    every_bytes = ops_total(memory.input_bytes, memory.activation_bytes)
    rows.append(("Total", every, every_bytes, memory.parameter_elements, memory.parameter_bytes))
    title = rich(
        "Memory per layer in {dtype} ({b} bytes per element; a view allocates nothing; parameters as stored, "
        "biases included; the totals row sums the input and every allocated output)",
        dtype=memory.dtype,
        b=memory.bytes_per_element,
    )
    headers = ("Layer", "Output elements", "Output bytes", "Parameters", "Parameter bytes")
    der.add(Table(title, headers, tuple(rows), total=1))
    values: dict[Any, Any] = {
        sym("b"): memory.bytes_per_element,
        sym("E_in"): memory.input_elements,
        sym("A"): memory.kept_bytes,
        sym("B_p"): memory.parameter_bytes,
    }
    der.equation(
        "Input",
        sym("B_in"),
        TENSOR_BYTES,
        values,
        symbols={"E": sym("E_in"), "b": sym("b")},
        result=memory.input_bytes,
        unit="bytes",
    )
    values[sym("B_in")] = memory.input_bytes
    der.equation(
        rich("Forward/backward pass (torchinfo): the outputs of the layers with parameters, $A$ bytes, twice"),
        sym("F"),
        FORWARD_BACKWARD_BYTES,
        values,
        symbols={"A": sym("A")},
        result=memory.forward_backward_bytes,
        unit="bytes",
    )
    values[sym("F")] = memory.forward_backward_bytes
    der.equation(
        "Training estimate (torchinfo's estimated total size: input, forward/backward pass, parameters)",
        sym("T"),
        ESTIMATED_TOTAL_BYTES,
        values,
        symbols={"I": sym("B_in"), "F": sym("F"), "P": sym("B_p")},
        result=memory.training_bytes,
        unit="bytes",
        answer=True,
        key="training_bytes",
    )


def ops_total(*values: Any) -> Any:
    """The sum of the values (numbers or closed forms), as a network's totals are summed."""
    return _backend(*values).total(values)


def _backend(*values: Any) -> Ops:
    """Exact numbers, or the closed-form backend of the network walk (SymPy imported only then)."""
    if not any(is_symbolic(v) for v in values):
        return NUMERIC
    from symconv.catalogue.symbolic import SYMBOLIC

    return SYMBOLIC
