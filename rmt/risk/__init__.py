# SPDX-License-Identifier: BSD-3-Clause
"""Layer 3: risk predictors built only on the resolvent layer."""

from .optimal import optimal_ridge
from .ridge import KernelRidgeRisk, RidgeRisk, kernel_ridge_risk, ridge_risk

__all__ = ["KernelRidgeRisk", "RidgeRisk", "kernel_ridge_risk", "optimal_ridge", "ridge_risk"]
