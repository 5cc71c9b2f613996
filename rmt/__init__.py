# SPDX-License-Identifier: BSD-3-Clause
"""rmt — deterministic equivalents for high-dimensional learning.

Give a spectrum (covariance or kernel eigenvalues), a task (target power per
mode and label noise) and a training set-up; get the predicted test and train
risk, and check it against a Monte Carlo simulation of the real model
(:mod:`rmt.simulate`). Conventions: ``DESIGN.md`` (repeated in every docstring).
"""

from . import spectra
from .resolvent import (
    ConvergenceError,
    KappaSolution,
    df1,
    df2,
    learnabilities,
    ridge_edge,
    ridge_from_kappa,
    solve_kappa,
    spectral_density,
    stieltjes,
)
from .risk import KernelRidgeRisk, RidgeRisk, kernel_ridge_risk, optimal_ridge, ridge_risk
from .spectra import Spectrum, Task

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "KappaSolution",
    "KernelRidgeRisk",
    "RidgeRisk",
    "Spectrum",
    "Task",
    "df1",
    "df2",
    "kernel_ridge_risk",
    "learnabilities",
    "optimal_ridge",
    "ridge_edge",
    "ridge_from_kappa",
    "ridge_risk",
    "solve_kappa",
    "spectra",
    "spectral_density",
    "stieltjes",
]
