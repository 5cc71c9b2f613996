# SPDX-License-Identifier: BSD-3-Clause
"""rmt — deterministic equivalents for high-dimensional learning.

Give a spectrum (covariance or kernel eigenvalues), a task (target power per
mode and label noise) and a training set-up; get the predicted test and train
risk, and check it against a Monte Carlo simulation of the real model
(:mod:`rmt.simulate`). Conventions (data model, ridge normalization, risks, bias/variance, random
features, SGD/GD updates, argument names): ``docs/conventions.md``, repeated
in every docstring; papers: Simon et al. 2021 (arXiv:2110.03922), Bach 2023
(arXiv:2303.01372), Atanasov, Zavatone-Veth & Pehlevan 2024 (arXiv:2405.00592),
Simon, Karkada, Ghosh & Belkin 2024 (arXiv:2311.14646).
"""

from . import powerlaw, simulate, spectra
from . import scaling
from .resolvent import (
    ChainSolution,
    ConvergenceError,
    KappaSolution,
    df1,
    df2,
    learnabilities,
    ridge_edge,
    ridge_from_kappa,
    s_transform,
    solve_chain,
    solve_kappa,
    spectral_density,
    stieltjes,
)
from ._curves import CurveRisk, SimulatedCurve
from .risk import (
    OptimalRidge,
    GDRisk,
    gd_risk,
    gradient_flow_risk,
    GaussianEquivalent,
    KernelRidgeRisk,
    OnlineSGDRisk,
    OverfittingCost,
    OverfittingRegime,
    RFRidgeRisk,
    RidgeRisk,
    agnostic_bound,
    gaussian_equivalent,
    kernel_ridge_risk,
    online_sgd_risk,
    optimal_ridge,
    overfitting_cost,
    overfitting_regime,
    rf_optimal_ridge,
    rf_ridge_risk,
    ridge_risk,
    sgd_stable_lr,
)
from .risk.multipass import MultipassSGDRisk, multipass_sgd_risk
from .risk.rf_sgd import RFOnlineSGDRisk, rf_online_sgd_risk
from .risk.rf_gd import RFGDRisk, rf_gd_risk
from .simulate import SimulatedRisk
from .spectra import PowerLaw, Spectrum, Task

__version__ = "0.1.0"

__all__ = [
    "CurveRisk",
    "OptimalRidge",
    "SimulatedCurve",
    "symbolic",
    "GDRisk",
    "gd_risk",
    "gradient_flow_risk",
    "ChainSolution",
    "ConvergenceError",
    "GaussianEquivalent",
    "KappaSolution",
    "KernelRidgeRisk",
    "OnlineSGDRisk",
    "MultipassSGDRisk",
    "OverfittingCost",
    "OverfittingRegime",
    "PowerLaw",
    "RFOnlineSGDRisk",
    "RFGDRisk",
    "RFRidgeRisk",
    "RidgeRisk",
    "SimulatedRisk",
    "Spectrum",
    "Task",
    "agnostic_bound",
    "df1",
    "df2",
    "gaussian_equivalent",
    "kernel_ridge_risk",
    "learnabilities",
    "online_sgd_risk",
    "multipass_sgd_risk",
    "optimal_ridge",
    "overfitting_cost",
    "overfitting_regime",
    "powerlaw",
    "scaling",
    "rf_online_sgd_risk",
    "rf_gd_risk",
    "rf_optimal_ridge",
    "rf_ridge_risk",
    "ridge_edge",
    "ridge_from_kappa",
    "ridge_risk",
    "s_transform",
    "sgd_stable_lr",
    "simulate",
    "solve_chain",
    "solve_kappa",
    "spectra",
    "spectral_density",
    "stieltjes",
]
from .resolvent import TwoPoint, two_point

__all__ += ["TwoPoint", "two_point"]


def __getattr__(name):
    """``rmt.symbolic`` is imported on first use (it loads sympy, which the numeric paths never need)."""
    if name == "symbolic":
        import importlib

        return importlib.import_module(".symbolic", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
