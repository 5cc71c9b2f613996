# SPDX-License-Identifier: BSD-3-Clause
"""Result object of the ridge / kernel-ridge Monte Carlo twins."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._arrays import float_output as _s
from .._results import ResultFields

__all__ = ["SimulatedRisk", "summarize"]

RISK_FIELDS = ("excess", "test", "train", "bias", "variance")


@dataclass(frozen=True, eq=False, repr=False)
class SimulatedRisk(ResultFields):
    """Monte Carlo estimate of ridge / kernel-ridge risks on a broadcast grid of ``(n, ridge, noise)``.

    Every risk field is the mean over ``trials`` independent training draws of
    a quantity computed *exactly* given that draw (the expectation over the
    test point and over the label noise is taken in closed form), and
    ``<field>_se`` is its standard error ``std(ddof=1) / sqrt(trials)``.

    Attributes
    ----------
    excess : E (f̂(x) - f*(x))², the excess test risk.
    test : ``excess + noise``.
    train : mean squared training residual, labels with noise.
    bias : excess of the same draws at ``noise = 0``.
    variance : ``excess - bias`` (linear in ``noise``).
    excess_se, test_se, train_se, bias_se, variance_se : standard errors.
    trials : number of independent draws.
    n, ridge, noise : the broadcast inputs.
    seed : entropy of the root ``SeedSequence`` (pass it back as ``seed`` to reproduce a ``seed=None`` run).
    per_trial : dict or None
        With ``keep_trials=True``: the per-draw values of each risk field,
        arrays of shape ``(trials,) + shape``.
    """

    _summary = ("test", "excess", "train")

    excess: np.ndarray
    test: np.ndarray
    train: np.ndarray
    bias: np.ndarray
    variance: np.ndarray
    excess_se: np.ndarray
    test_se: np.ndarray
    train_se: np.ndarray
    bias_se: np.ndarray
    variance_se: np.ndarray
    trials: int
    n: np.ndarray
    ridge: np.ndarray
    noise: np.ndarray
    seed: object = None
    per_trial: dict | None = None

def summarize(samples: dict, *, trials, n, ridge, noise, seed, keep_trials) -> SimulatedRisk:
    """Means and standard errors over axis 0 of per-trial arrays (keys: :data:`RISK_FIELDS`)."""
    out = {}
    for name in RISK_FIELDS:
        x = samples[name]
        if np.isnan(x).any():
            raise FloatingPointError(
                f"the simulation produced NaN in {name!r} (floating-point overflow or underflow, e.g. "
                "eigenvalues near 1e±200 in a kernel-form solve); rescale eigs and target_power together"
            )
        out[name] = _s(x.mean(axis=0))
        out[name + "_se"] = _s(x.std(axis=0, ddof=1) / np.sqrt(trials))
    return SimulatedRisk(
        **out,
        trials=int(trials),
        n=_s(n),
        ridge=_s(ridge),
        noise=_s(noise),
        seed=seed,
        per_trial={k: samples[k] for k in RISK_FIELDS} if keep_trials else None,
    )
