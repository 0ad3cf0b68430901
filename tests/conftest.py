"""Shared test settings: hypothesis profile sized for a 2-core CI machine; on CI, PyTorch must be there.

PyTorch and onnx are optional for users, so their tests skip without them; on CI (the environment variable CI
set, as .ci/run and CI services set it) a missing one fails the run instead of dropping those tests.
"""

from __future__ import annotations

import importlib.util
import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI") and importlib.util.find_spec("torch") is None:
        raise pytest.UsageError(
            "CI is set but PyTorch is not installed: the PyTorch tests would be skipped "
            "(.ci/run installs torch==2.13.0; install it, or unset CI to skip them)"
        )
    if os.environ.get("CI") and importlib.util.find_spec("onnx") is None:
        raise pytest.UsageError(
            "CI is set but onnx is not installed: the ONNX tests would be skipped (it is in the test extra)"
        )
