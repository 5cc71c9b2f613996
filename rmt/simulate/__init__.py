# SPDX-License-Identifier: BSD-3-Clause
"""Layer 4: Monte Carlo twins of the predictors, seeded, with error bars.

Each simulator takes the same arguments as its deterministic-equivalent twin
in :mod:`rmt` plus ``trials``, ``seed``, ``executor`` (any
:class:`concurrent.futures.Executor`; ``None`` = serial) and ``progress``, and
returns means with standard errors. Trial ``i`` always uses child ``i`` of
``numpy.random.SeedSequence(seed)``, so results do not depend on the executor.

========================  =====================================================
``ridge_risk``            ridge on Gaussian data (primal form, one SVD per draw)
``kernel_ridge_risk``     the same model solved in kernel form (n×n)
``kernel_ridge_pool``     kernel ridge on subsets of a finite pool (real data)
``gd_risk``               full-batch GD (exact per draw from one SVD)
``gradient_flow_risk``    gradient flow (same)
``rf_ridge_risk``         random-feature ridge (linear, Gaussian-equivalent or
                          real nonlinear features)
``rf_gd_risk``            full-batch GD on a random-feature readout (F redrawn
                          per trial; exact per draw from one SVD)
``online_sgd_risk``       online SGD on fresh samples (Gaussian or any kurtosis)
``multipass_sgd_risk``    multi-pass minibatch SGD on n fixed Gaussian samples
``rf_online_sgd_risk``    online SGD on a random-feature readout (features
                          redrawn per trial)
========================  =====================================================
"""

from ._engine import run_trials
from ._result import SimulatedRisk
from .multipass import multipass_sgd_risk
from .gd import gd_risk, gradient_flow_risk
from .random_features import RFSimulatedRisk, rf_ridge_risk
from .rf_gd import rf_gd_risk
from .sgd import online_sgd_risk
from .rf_sgd import rf_online_sgd_risk
from .ridge import kernel_ridge_pool, kernel_ridge_risk, ridge_risk

__all__ = [
    "gd_risk",
    "gradient_flow_risk",
    "RFSimulatedRisk",
    "SimulatedRisk",
    "kernel_ridge_pool",
    "kernel_ridge_risk",
    "online_sgd_risk",
    "multipass_sgd_risk",
    "rf_online_sgd_risk",
    "rf_gd_risk",
    "rf_ridge_risk",
    "ridge_risk",
    "run_trials",
]
