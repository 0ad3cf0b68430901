"""Memory of a network: bytes of tensors, and the training estimate of torchinfo's summary."""

from __future__ import annotations

from symconv.catalogue.types import Q
from symconv.core.formula import Formula


def tensor_bytes(E: Q, b: Q) -> Q:
    return E * b


def forward_backward_bytes(A: Q) -> Q:
    return 2 * A


def estimated_total_bytes(I: Q, F: Q, P: Q) -> Q:
    return I + F + P


TENSOR_BYTES = Formula(
    tensor_bytes,
    name="tensor_bytes",
    lhs="B",
    description="Bytes of a tensor of E elements stored with b bytes each (4 for float32, 2 for float16 and bfloat16, "
    "1 for int8).",
)
FORWARD_BACKWARD_BYTES = Formula(
    forward_backward_bytes,
    name="forward_backward_bytes",
    lhs="F",
    description="torchinfo's forward/backward pass size: the outputs A of the layers with parameters, kept for the "
    "backward pass, and their gradients, as many again.",
)
ESTIMATED_TOTAL_BYTES = Formula(
    estimated_total_bytes,
    name="estimated_total_bytes",
    lhs="T",
    description="torchinfo's estimated total size for training one batch: the input I, the forward/backward pass F "
    "and the parameters P (no optimizer state, no parameter gradients, no workspace).",
)
