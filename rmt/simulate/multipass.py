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
from .._validation import as_int, as_nonnegative, as_schedule
from ._engine import run_trials, validate_run_options
from ._inputs import as_sample_count as _as_sample_count
from ._inputs import modes as _modes

__all__ = ["multipass_sgd_risk"]


class _Payload(NamedTuple):
    sqrt_eigs: np.ndarray
    v: np.ndarray
    n: int
    lr: np.ndarray  # per step
    batch: np.ndarray  # per step (int64)
    steps: int
    runs: int


def _trial(p: _Payload, rng) -> np.ndarray:
    """One data set and ``runs`` SGD runs on it: ``(4, steps+1)`` = run-averaged bias, excess and train of the
    noise part at unit noise variance, and train of the clean part.

    SGD is linear in the labels, so the iterate splits as ``w = w_clean + w_ε``
    (clean labels ``X w*`` and pure noise ``ε``, same indices); both parts are
    run and the cross terms, odd in ``ε``, are dropped: the antithetic average
    over ``±ε``, which has the same mean and a smaller variance. The noise part
    is run at unit variance and scaled by ``noise`` afterwards (every noise level
    shares the draw).
    """
    sq, v = p.sqrt_eigs, p.v
    wstar = v / sq
    X = rng.standard_normal((p.n, sq.size)) * sq
    labels = np.stack([X @ wstar, rng.standard_normal(p.n)], axis=1)
    idx = rng.integers(0, p.n, size=(p.runs, p.steps, int(p.batch.max()) if p.steps else 1))
    ex = np.empty((p.runs, 2, p.steps + 1))
    tr = np.empty((p.runs, 2, p.steps + 1))
    targets = np.stack([wstar, np.zeros_like(wstar)])
    KM.sgd_curves(np.ascontiguousarray(X), X @ X.T, labels, idx, p.lr, p.batch, sq * sq, targets, ex, tr)
    ex, tr = ex.mean(axis=0), tr.mean(axis=0)
    return np.stack([ex[0], ex[1], tr[0], tr[1]])


def multipass_sgd_risk(eigs, target_power, noise, n, lr, batch, steps, *, trials=64, runs=1, seed=0, executor=None,
                       progress=False, chunksize=None, keep_trials=False, blas_threads=1) -> SimulatedCurve:
    r"""Monte Carlo twin of :func:`rmt.multipass_sgd_risk` (multi-pass minibatch SGD on ``n`` fixed samples).

    Parameters
    ----------
    eigs, target_power : as for :func:`rmt.multipass_sgd_risk` (modes with ``eigs = 0`` are dropped).
    noise : float or array_like
        Label-noise variance ``σ² ≥ 0``. An array gives leading axes of the result
        (every level shares the same draws: the noise part is simulated at unit
        variance and scaled).
    n : int
        Number of training samples (scalar integer ≥ 1).
    lr : float or array_like of length ``steps``
        Learning rate ``> 0``, or a schedule (entry ``t`` is used in step ``t → t+1``).
        Not checked for stability: a run that diverges makes the result raise ``FloatingPointError``.
    batch : int or array_like of length ``steps``
        Batch size ``≥ 1`` or a schedule of whole numbers (indices drawn with
        replacement; batch-mean gradient).
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
    noise = as_nonnegative(noise, "noise")
    n_arr = _as_sample_count(n, "n")
    if n_arr.ndim != 0:
        raise ValueError(f"n must be a scalar to simulate; got shape {n_arr.shape}")
    steps = as_int(steps, "steps", minimum=0)
    lr = as_schedule(lr, steps, "lr", minimum=0.0) if np.ndim(lr) or steps else as_schedule([lr], 1, "lr")
    batch = as_schedule(batch, steps, "batch", minimum=1.0, strict=False, integer=True) if np.ndim(batch) or steps \
        else as_schedule([batch], 1, "batch", minimum=1.0, strict=False, integer=True)
    batch = batch.astype(np.int64)
    runs = as_int(runs, "runs", minimum=1)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    payload = _Payload(sq, v, int(n_arr), lr, batch, steps, runs)
    samples = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                         desc="multipass SGD", blas_threads=blas_threads)
    lead = (slice(None),) + (None,) * noise.ndim  # noise's shape goes in front of the time axis
    bias, var1, tr_clean, tr1 = (samples[:, j, :][lead] for j in range(4))
    sig = noise[..., None]
    variance = sig * var1
    excess = bias + variance
    shape = (trials,) + noise.shape + (steps + 1,)
    per = {"excess": excess, "test": excess + sig, "train": tr_clean + sig * tr1,
           "bias": np.broadcast_to(bias, shape), "variance": variance}
    return summarize_curves(per, t=np.arange(steps + 1), trials=trials, seed=ss.entropy, keep_trials=keep_trials)
