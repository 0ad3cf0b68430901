"""Shared helpers of the network tests: example problem tables and the tiny network of issue 5."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def example(name: str) -> dict[str, Any]:
    """The first problem table of examples/<name>.toml."""
    with open(EXAMPLES / f"{name}.toml", "rb") as f:
        return tomllib.load(f)["problem"][0]


TINY = """
[[problem]]
id = "tiny"
type = "network"
input = [224, 224, 3]
endpoint = "pool1"

[[problem.layers]]
name = "conv1"
type = "conv"
kernel = 7
filters = 64
stride = 2
padding = 3
bias = false

[[problem.layers]]
name = "pool1"
type = "maxpool"
kernel = 3
stride = 2
padding = 1

[[problem.layers]]
name = "branch"
type = "conv"
input = "conv1"
kernel = 1
filters = 64

[[problem.layers]]
name = "bn"
type = "batchnorm"

[[problem.layers]]
name = "gap"
type = "global_avgpool"

[[problem.layers]]
name = "fc"
type = "linear"
outputs = 1000
"""


def tiny() -> dict[str, Any]:
    return tomllib.loads(TINY)["problem"][0]
