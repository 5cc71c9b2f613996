# SPDX-License-Identifier: BSD-3-Clause
"""Layer 3: risk predictors built only on the resolvent layer."""

from .multipass import MultipassSGDRisk, multipass_sgd_risk
from .rf_gd import RFGDRisk, rf_gd_risk
from .gd import GDRisk, gd_risk, gradient_flow_risk
from .optimal import OptimalRidge, optimal_ridge
from .overfitting import OverfittingCost, OverfittingRegime, agnostic_bound, overfitting_cost, overfitting_regime
from .random_features import GaussianEquivalent, RFRidgeRisk, gaussian_equivalent, rf_optimal_ridge, rf_ridge_risk
from .rf_sgd import RFOnlineSGDRisk, rf_online_sgd_risk
from .rf_powerlaw import RFExponents, rf_exponents, rf_ridgeless_test_asymptotic, rf_width_bottleneck
from .sgd import OnlineSGDRisk, online_sgd_risk, sgd_stable_lr
from .ridge import KernelRidgeRisk, RidgeRisk, kernel_ridge_risk, ridge_risk

__all__ = [
    "GDRisk",
    "gd_risk",
    "gradient_flow_risk",
    "GaussianEquivalent",
    "KernelRidgeRisk",
    "OnlineSGDRisk",
    "OptimalRidge",
    "MultipassSGDRisk",
    "OverfittingCost",
    "OverfittingRegime",
    "RFExponents",
    "RFOnlineSGDRisk",
    "RFGDRisk",
    "RFRidgeRisk",
    "RidgeRisk",
    "agnostic_bound",
    "gaussian_equivalent",
    "kernel_ridge_risk",
    "online_sgd_risk",
    "multipass_sgd_risk",
    "optimal_ridge",
    "overfitting_cost",
    "overfitting_regime",
    "rf_exponents",
    "rf_online_sgd_risk",
    "rf_gd_risk",
    "rf_optimal_ridge",
    "rf_ridge_risk",
    "rf_ridgeless_test_asymptotic",
    "rf_width_bottleneck",
    "ridge_risk",
    "sgd_stable_lr",
]
