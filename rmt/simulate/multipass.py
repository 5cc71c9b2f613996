# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twin of :func:`rmt.multipass_sgd_risk`: multi-pass minibatch SGD on Gaussian data.

Each trial draws a fresh training set ``X`` (rows ``x_μ ~ N(0, diag(eigs))``),
labels ``y = X w* + ε``, ``ε ~ N(0, noise)``, and fresh index draws (``batch``
indices per step, uniform with replacement over the ``n`` samples), then runs
``w ← w - (lr/B) Σ_b x_b(<w, x_b> - y_b)`` from ``w₀ = 0``. The iterate is linear in
the labels, ``w = w_clean + w_ε``; the clean part (labels ``X w*``) and the noise
part (labels ``ε``) are run side by side on the same indices, so ``bias``
(excess at ``noise = 0``) and ``variance`` come from the same draw, and the
cross terms (odd in ``ε``, mean zero) are dropped — the antithetic average over
``±ε``.

Per trial and step the expectation over the test point is exact:
``excess = Σ_k eigs_k (w_k - w*_k)²``; ``train = (1/n) Σ_μ (y_μ - <w, x_μ>)²``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._curves import SimulatedCurve, summarize_curves
from .._kernels import multipass as KM
from .._validation import validate
from ._engine import run_trials, validate_run_options
from ._inputs import modes as _modes

__all__ = ["multipass_sgd_risk"]


class _Payload(NamedTuple):
    sqrt_eigs: np.ndarray
    v: np.ndarray
    noise: float
    n: int
    lr: float
    batch: int
    steps: int
    runs: int


def _trial(p: _Payload, rng) -> np.ndarray:
    """One data set and ``runs`` SGD runs on it: ``(4, steps+1)`` = run-averaged excess, train, bias, variance.

    SGD is linear in the labels, so the iterate splits as ``w = w_clean + w_ε``
    (clean labels ``X w*`` and pure noise ``ε``, same indices); both parts are
    run and the cross terms, odd in ``ε``, are dropped: the antithetic average
    over ``±ε``, which has the same mean and a smaller variance.
    """
    sq, v = p.sqrt_eigs, p.v
    wstar = v / sq
    X = rng.standard_normal((p.n, sq.size)) * sq
    labels = np.stack([X @ wstar, np.sqrt(p.noise) * rng.standard_normal(p.n)], axis=1)
    idx = rng.integers(0, p.n, size=(p.runs, p.steps, p.batch))
    ex = np.empty((p.runs, 2, p.steps + 1))
    tr = np.empty((p.runs, 2, p.steps + 1))
    targets = np.stack([wstar, np.zeros_like(wstar)])
    KM.sgd_curves(np.ascontiguousarray(X), X @ X.T, labels, idx, p.lr, sq * sq, targets, ex, tr)
    bias, variance = ex[:, 0].mean(axis=0), ex[:, 1].mean(axis=0)
    return np.stack([bias + variance, tr.sum(axis=1).mean(axis=0), bias, variance])


def multipass_sgd_risk(eigs, target_power, noise, n, lr, batch, steps, *, trials=64, runs=1, seed=0, executor=None,
                       progress=False, chunksize=None, keep_trials=False, blas_threads=1) -> SimulatedCurve:
    r"""Monte Carlo twin of :func:`rmt.multipass_sgd_risk` (multi-pass minibatch SGD on ``n`` fixed samples).

    Parameters
    ----------
    eigs, target_power : as for :func:`rmt.multipass_sgd_risk` (modes with ``eigs = 0`` are dropped).
    noise : float
        Label-noise variance ``σ² ≥ 0`` (scalar).
    n : int
        Number of training samples (scalar integer ≥ 1).
    lr : float
        Learning rate ``> 0`` (scalar). Not checked for stability: a run that
        diverges makes the result raise ``FloatingPointError``.
    batch : int
        Batch size ``≥ 1`` (indices drawn with replacement; batch-mean gradient).
    steps : int
        Number of steps ``≥ 0``; curves have length ``steps + 1``.
    trials : int
        Independent data sets (each with fresh index draws), ≥ 2.
    runs : int
        SGD runs (independent index sequences) per data set, averaged inside
        the trial (default 1). More runs remove the SGD-sampling part of the
        standard error at a small cost (one ``n×n`` Gram matrix per data set is
        shared by its runs).
    seed, executor, progress, chunksize, blas_threads :
        As in :func:`rmt.simulate.run_trials`: trial ``i`` uses child ``i`` of
        ``SeedSequence(seed)``, whatever the executor.
    keep_trials : bool
        Keep the per-trial curves in ``per_trial``.

    Returns
    -------
    SimulatedCurve
        ``t``, means and standard errors (over trials) of ``excess``, ``test``,
        ``train``, ``bias``, ``variance``.

    Notes
    -----
    Per trial and step, with ``w*_k = sqrt(target_power_k/eigs_k)`` and the SGD
    iterate ``w_t = w_clean + w_ε``: ``bias = Σ_k eigs_k (w_clean,k - w*_k)²``,
    ``variance = Σ_k eigs_k w_ε,k²`` (exact means over the test point),
    ``excess = bias + variance``, ``test = excess + σ²``,
    ``train = (1/n)(|X w* - X w_clean|² + |ε - X w_ε|²)``: the averages over
    ``±ε`` of the excess and of ``(1/n)|y - X w_t|²``. The standard
    error is over data sets and covers both the data draw and the SGD
    sampling. The residual ``r = y - X w`` is carried along with the Gram
    matrix ``K = XXᵀ``, so each run costs ``O(steps·(batch·(n + D) + n + D))``
    after the ``O(n²D)`` Gram product. Near the stability edge at batch 1 the per-trial
    excess is heavy-tailed and the standard error is not a reliable error bar.
    """
    sq, v = _modes(eigs, target_power, "simulate.multipass_sgd_risk")
    noise, n_arr, lr, batch, steps, runs = validate("simulate.multipass_sgd_risk", noise=noise, n=n, lr=lr,
                                                    batch=batch, steps=steps, runs=runs)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    payload = _Payload(sq, v, float(noise), int(n_arr), float(lr), batch, steps, runs)
    samples = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                         desc="multipass SGD", blas_threads=blas_threads)
    excess, train, bias, variance = (samples[:, j, :] for j in range(4))
    per = {"excess": excess, "test": excess + float(noise), "train": train, "bias": bias, "variance": variance}
    return summarize_curves(per, t=np.arange(steps + 1), trials=trials, seed=ss.entropy, keep_trials=keep_trials)
