# SPDX-License-Identifier: BSD-3-Clause
"""Layer 2: deterministic equivalents of random-matrix resolvents."""

from .free import ChainSolution, s_transform, s_transform_wishart, solve_chain
from .onepoint import (
    ConvergenceError,
    KappaSolution,
    SpectralDensity,
    df1,
    df2,
    learnabilities,
    ridge_edge,
    ridge_from_kappa,
    solve_kappa,
    spectral_density,
    stieltjes,
)

__all__ = [
    "ChainSolution",
    "s_transform",
    "s_transform_wishart",
    "solve_chain",
    "ConvergenceError",
    "KappaSolution",
    "SpectralDensity",
    "df1",
    "df2",
    "learnabilities",
    "ridge_edge",
    "ridge_from_kappa",
    "solve_kappa",
    "spectral_density",
    "stieltjes",
]
from .twopoint import TwoPoint, two_point

__all__ += ["TwoPoint", "two_point"]
