# SPDX-License-Identifier: BSD-3-Clause
"""Shared test configuration.

* Hypothesis: the ``ci`` profile (derandomized, no example database, no
  deadline — numba compiles on first call) is loaded when ``CI`` is set or
  ``HYPOTHESIS_PROFILE=ci``; ``dev`` explores more examples locally.
* Monte Carlo size: tests marked ``montecarlo`` multiply their trial counts by
  ``mc_scale()`` (env ``RMT_MC_SCALE``, default 1 = the CI size). Their
  tolerances are derived from the standard error, so a larger scale only
  tightens them.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def mc_scale() -> float:
    """Multiplier for Monte Carlo trial counts (env ``RMT_MC_SCALE``, default 1)."""
    return float(os.environ.get("RMT_MC_SCALE", "1"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261201)
