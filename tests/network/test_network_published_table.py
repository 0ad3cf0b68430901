"""Receptive fields of TF-slim models against the published table, at two input sizes.

The figures are the receptive-field library's table of TF-slim models (Araujo, Norris & Sim,
Distill 2019, "Computing Receptive Fields of Convolutional Neural Networks", and its RF_RESULTS
table): (RF, effective stride, effective padding) per end-point. At 321 × 321 TensorFlow's 'SAME'
padding differs from 224 × 224, so the effective paddings of the ResNets change while the VGG and
AlexNet ones (explicit or 'VALID' padding) do not.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from symconv.network.problem import network

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VGG16 = {  # vgg_16, the same at 224 and 321
    "conv1_1": (3, 1, 1),
    "pool1": (6, 2, 2),
    "conv2_1": (10, 2, 4),
    "pool2": (16, 4, 6),
    "conv3_1": (24, 4, 10),
    "conv3_2": (32, 4, 14),
    "pool3": (44, 8, 18),
    "conv4_1": (60, 8, 26),
    "conv4_2": (76, 8, 34),
    "pool4": (100, 16, 42),
    "conv5_1": (132, 16, 58),
    "conv5_2": (164, 16, 74),
    "pool5": (212, 32, 90),
}
ALEXNET_V2 = {
    "conv1": (11, 4, 0),
    "pool1": (19, 8, 0),
    "conv2": (51, 8, 16),
    "conv3": (99, 16, 32),
    "conv4": (131, 16, 48),
    "conv5": (163, 16, 64),
    "pool5": (195, 32, 64),
}
RESNET_V1_50 = {
    224: {"block1": (35, 8, 15), "block2": (99, 16, 47), "block3": (291, 32, 143), "block4": (483, 32, 239)},
    321: {"block1": (35, 8, 17), "block2": (99, 16, 49), "block3": (291, 32, 145), "block4": (483, 32, 241)},
}
RESNET_V1_101 = {
    224: {"block1": (35, 8, 15), "block2": (99, 16, 47), "block3": (835, 32, 415), "block4": (1027, 32, 511)},
    321: {"block1": (35, 8, 17), "block2": (99, 16, 49), "block3": (835, 32, 417), "block4": (1027, 32, 513)},
}

CASES = (
    [("vgg16.toml", size, VGG16) for size in (224, 321)]
    + [("slim_alexnet_v2.toml", size, ALEXNET_V2) for size in (224, 321)]
    + [("slim_resnet_v1_50.toml", size, RESNET_V1_50[size]) for size in (224, 321)]
    + [("slim_resnet_v1_101.toml", size, RESNET_V1_101[size]) for size in (224, 321)]
)


def _layers(path: str, size: int) -> dict[str, Any]:
    with open(EXAMPLES / path, "rb") as f:
        table = tomllib.load(f)["problem"][0]
    # the classifier heads need 224 × 224; the receptive fields are taken before them
    layers = [
        layer
        for layer in table["layers"]
        if layer["type"] not in ("linear", "flatten", "dropout")
        and not layer["name"].startswith(("fc", "relu_fc", "drop_fc", "avgpool"))
    ]
    result = network(dict(table, input=[size, size, 3], layers=layers, endpoint=layers[-1]["name"]))
    return {row["name"]: row for row in result["layers"]}


@pytest.mark.parametrize("path, size, expected", CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_published_receptive_fields(path: str, size: int, expected: dict[str, tuple[int, int, int]]) -> None:
    rows = _layers(path, size)
    got = {
        name: (rows[name]["receptive_field"], rows[name]["effective_stride"], rows[name]["effective_padding"])
        for name in expected
    }
    assert got == expected
