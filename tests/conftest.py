# SPDX-License-Identifier: BSD-3-Clause
"""Shared test configuration.

* Hypothesis: the ``default`` profile is loaded unless ``HYPOTHESIS_PROFILE``
  names another: derandomized (the same examples on every machine and run),
  no example database, at most 40 examples per property, no deadline (numba
  compiles on first call). ``ci`` is the same profile under the name CI uses.
  ``HYPOTHESIS_PROFILE=random`` explores 200 fresh random examples per property
  (for hunting counter-examples; a failure prints the reproducing blob).
  ``random-ci`` is a bounded random hunt (25 fresh examples) that ``.ci/run``
  runs after the deterministic suite; it reports what it finds without failing CI.
* Monte Carlo size: tests marked ``montecarlo`` multiply their trial counts by
  ``mc_scale()`` (env ``RMT_MC_SCALE``, default 1 = the CI size). Their
  tolerances are derived from the standard error, so a larger scale only
  tightens them.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_DETERMINISTIC = dict(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("default", **_DETERMINISTIC)
settings.register_profile("ci", **_DETERMINISTIC)
settings.register_profile(
    "random", deadline=None, max_examples=200, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "random-ci", database=None, deadline=None, max_examples=25, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def mc_scale() -> float:
    """Multiplier for Monte Carlo trial counts (env ``RMT_MC_SCALE``, default 1)."""
    return float(os.environ.get("RMT_MC_SCALE", "1"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261201)
