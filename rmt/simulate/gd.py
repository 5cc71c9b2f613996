# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twins of :func:`rmt.gd_risk` and :func:`rmt.gradient_flow_risk`.

Full-batch GD on Gaussian data (DESIGN.md): ``w₀ = 0``,
``w ← w - lr((Σ̂ + ridge) w - Xᵀy/n)``; gradient flow is its ``lr → 0`` limit.
Per draw of ``X`` one thin SVD ``X = U diag(s) Vᵀ`` (``μ_j = s_j²/n``, the
nonzero eigenvalues of Σ̂) gives the whole curve exactly: with
``e_j(t) = (1 - lr(μ_j + ridge))^t`` (or ``e^{-t(μ_j + ridge)}``),
``h_j = (1 - e_j)/(μ_j + ridge)``, ``u_j = 1 - μ_j h_j`` and ``b = Vᵀw*``,

.. math::

    \mathrm{bias}(X,t) &= \big|\Sigma^{1/2}\big(V(u\circ b) + (I - VV^\top)w^*\big)\big|^2, \\
    \mathrm{variance}(X,t) &= \frac{\sigma^2}{n}\sum_j \mu_j h_j^2\,|\Sigma^{1/2}V_j|^2, \\
    \mathrm{train}(X,t) &= \sum_j \mu_j u_j^2 b_j^2 + \frac{\sigma^2}{n}\Big(n - r + \sum_j u_j^2\Big),

the exact expectations over the test point and the label noise given ``X``
(``r = min(n, D)``; directions outside the row space of ``X`` keep ``w = 0``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._curves import summarize_curves
from .._validation import validate
from ._engine import run_trials, validate_run_options
from ._inputs import COMMON_PARAMS as _COMMON_PARAMS
from ._inputs import modes as _modes

__all__ = ["gd_risk", "gradient_flow_risk"]

_BLOCK = 2048  # time rows per block (bounds memory at O(block · min(n, D)))


class _Payload(NamedTuple):
    sqrt_eigs: np.ndarray
    v: np.ndarray
    n: int
    lr: float  # nan: gradient flow
    ridge: float
    times: np.ndarray  # steps (GD) or continuous times


def _trial(p: _Payload, rng) -> np.ndarray:
    """One draw: ``(4, len(times))`` = bias, variance per unit noise, train bias, train variance per unit noise."""
    sq, n = p.sqrt_eigs, p.n
    X = rng.standard_normal((n, sq.size)) * sq
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    mu = s * s / n
    r = mu.size
    w = p.v / sq
    b = Vt @ w
    M = Vt * sq  # rows Σ^{1/2} V_j
    perp = sq * (w - Vt.T @ b)
    G = M @ M.T
    cvec = M @ perp
    pp = float(perp @ perp)
    dj = np.einsum("ij,ij->i", M, M)
    lam = p.ridge
    out = np.empty((4, p.times.size))
    for a in range(0, p.times.size, _BLOCK):
        tt = p.times[a : a + _BLOCK, None]
        if np.isnan(p.lr):
            e = np.exp(-tt * (mu + lam))
        else:
            e = (1.0 - p.lr * (mu + lam)) ** tt
        h = (1.0 - e) / (mu + lam) if lam > 0 else np.where(mu > 0, (1.0 - e) / np.where(mu > 0, mu, 1.0),
                                                              (tt * p.lr if not np.isnan(p.lr) else tt) + 0 * mu)
        u = 1.0 - mu * h
        ub = u * b
        out[0, a : a + _BLOCK] = np.einsum("ti,ti->t", ub @ G, ub) + 2 * ub @ cvec + pp
        out[1, a : a + _BLOCK] = (h * h * mu * dj).sum(axis=1) / n
        out[2, a : a + _BLOCK] = (mu * ub * ub).sum(axis=1)
        out[3, a : a + _BLOCK] = ((n - r) + (u * u).sum(axis=1)) / n
    return out


def _run(eigs, target_power, noise, n, lr, ridge, times, trials, seed, executor, progress, chunksize, keep_trials,
         blas_threads, desc):
    entry = "simulate.gd_risk" if desc == "gd" else "simulate.gradient_flow_risk"
    sq, v = _modes(eigs, target_power, entry)
    noise, n, ridge = validate(entry, noise=noise, n=n, ridge=ridge)
    noise, n, ridge = float(noise), int(n), float(ridge)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    payload = _Payload(sq, v, n, lr, ridge, np.asarray(times, dtype=np.float64))
    samples = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                         desc=desc, blas_threads=blas_threads)
    bias, var1, trb, trv1 = (samples[:, j] for j in range(4))
    variance = noise * var1
    excess = bias + variance
    per = {"excess": excess, "test": excess + noise, "train": trb + noise * trv1, "bias": bias, "variance": variance}
    return summarize_curves(per, t=times, trials=trials, seed=ss.entropy, keep_trials=keep_trials)


def gd_risk(eigs, target_power, noise, n, lr, steps, *, ridge=0.0, trials=32, seed=0, executor=None, progress=False,
            chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.gd_risk`: full-batch GD on Gaussian data, ``t = 0 … steps``.

    Scalar ``noise, n, lr, ridge``. Each draw is exact given ``X`` (no iteration:
    the GD filter ``(1 - lr(μ + ridge))^t`` on the eigenvalues of Σ̂). An ``lr``
    that is unstable for a draw (``lr(μ_max + ridge) ≥ 2``) makes the curve
    diverge and raises ``FloatingPointError``.

    Parameters
    ----------
    eigs, target_power, noise, n
        As in :func:`rmt.simulate.ridge_risk` (scalars here).
    lr : float
        Step size > 0.
    steps : int
        Number of steps ≥ 0.
    ridge : float, optional
        Weight decay ≥ 0.
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedCurve
    """
    lr, steps = validate("simulate.gd_risk", lr=lr, steps=steps)
    lr = float(lr)
    with np.errstate(over="ignore", invalid="ignore"):
        return _run(eigs, target_power, noise, n, lr, ridge, np.arange(steps + 1), trials, seed, executor, progress,
                    chunksize, keep_trials, blas_threads, "gd")


def gradient_flow_risk(eigs, target_power, noise, n, t, *, ridge=0.0, trials=32, seed=0, executor=None,
                       progress=False, chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.gradient_flow_risk` at the times ``t`` (filter ``e^{-t(μ + ridge)}``).

    Parameters
    ----------
    eigs, target_power, noise, n, ridge
        As in :func:`gd_risk`.
    t : array_like
        Times ≥ 0 (scalar or 1-D).
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedCurve
    """
    times = validate("simulate.gradient_flow_risk", t=t)
    return _run(eigs, target_power, noise, n, np.nan, ridge, times, trials, seed, executor, progress, chunksize,
                keep_trials, blas_threads, "gradient flow")


for _f in (gd_risk, gradient_flow_risk):
    _f.__doc__ = _f.__doc__.replace("__COMMON_PARAMETERS__", _COMMON_PARAMS)
del _f
