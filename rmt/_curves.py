# SPDX-License-Identifier: BSD-3-Clause
"""The result kind of every training-curve predictor and of its Monte Carlo twin.

One time-axis convention for all curves: the step (or time) axis is the *last*
axis; entry 0 is the risk at ``w₀ = 0``; discrete-step curves have length
``steps + 1``; scalar arguments broadcast over the leading axes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._arrays import float_output
from ._results import ResultFields

__all__ = ["CurveRisk", "SimulatedCurve", "CURVE_FIELDS", "summarize_curves"]

CURVE_FIELDS = ("excess", "test", "train", "bias", "variance")


@dataclass(frozen=True, eq=False, repr=False)
class CurveRisk(ResultFields):
    """Predicted risk along training, time as the last axis.

    Attributes
    ----------
    t : the step index ``0 … steps`` (or the continuous times asked for).
    excess : ``E_x (f_t(x) - f*(x))²`` at each t.
    test : ``excess + noise``.
    train : expected mean squared training residual (fixed-data curves); ``None`` for online SGD.
    bias : excess at ``noise = 0``.
    variance : ``excess - bias``.
    """

    _summary = ("test", "excess")

    t: np.ndarray
    excess: np.ndarray
    test: np.ndarray
    train: np.ndarray | None
    bias: np.ndarray
    variance: np.ndarray


@dataclass(frozen=True, eq=False, repr=False)
class SimulatedCurve(ResultFields):
    """Monte Carlo estimate of a training curve: per-step mean over ``trials`` and its standard error.

    Each per-trial value is exact given that draw's weights (expectation over
    the test point and the label noise in closed form where possible);
    ``<field>_se = std(ddof=1)/sqrt(trials)``. Fields a set-up does not define
    (``train`` for online SGD) are ``None``.
    """

    _summary = ("test", "excess")

    t: np.ndarray
    excess: np.ndarray
    test: np.ndarray
    train: np.ndarray | None
    bias: np.ndarray
    variance: np.ndarray
    excess_se: np.ndarray
    test_se: np.ndarray
    train_se: np.ndarray | None
    bias_se: np.ndarray
    variance_se: np.ndarray
    trials: int
    seed: object = None
    per_trial: dict | None = None


def summarize_curves(samples: dict, *, t, trials: int, seed, keep_trials: bool = False) -> SimulatedCurve:
    """Means and standard errors over axis 0 of per-trial curves (keys: a subset of :data:`CURVE_FIELDS`)."""
    out = {}
    for name in CURVE_FIELDS:
        x = samples.get(name)
        if x is None:
            out[name] = out[name + "_se"] = None
            continue
        x = np.asarray(x, dtype=np.float64)
        if not np.isfinite(x).all():
            raise FloatingPointError(
                f"the simulation produced a non-finite {name!r} (the iterates diverged or overflowed); "
                "lower the learning rate or rescale the spectrum"
            )
        out[name] = float_output(x.mean(axis=0))
        out[name + "_se"] = float_output(x.std(axis=0, ddof=1) / np.sqrt(trials))
    per = {k: np.array(v) for k, v in samples.items() if v is not None} if keep_trials else None
    return SimulatedCurve(t=np.array(t), **out, trials=int(trials), seed=seed, per_trial=per)
