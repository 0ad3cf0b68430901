"""Shared test settings: hypothesis profile sized for a 2-core CI machine; on CI, PyTorch must be there.

PyTorch is optional for users, so its tests skip without it; on CI (the environment variable CI set,
as .ci/run and CI services set it) a missing PyTorch fails the run instead of dropping those tests.
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
