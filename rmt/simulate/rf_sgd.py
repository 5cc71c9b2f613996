# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twin of :func:`rmt.rf_online_sgd_risk`: online SGD on a random-feature readout, features redrawn per trial.

Conventions (``DESIGN.md``): ``x = Σ^{1/2} z``, ``z ~ N(0, I_D)``, ``y = <w*, x> + ε``,
``ε ~ N(0, noise)``; ``F_jk ~ N(0, 1/p)`` drawn afresh in every trial; readout
``a ← a - (lr/B) Σ_b F x_b(<a, F x_b> - y_b) + β(a - a_prev)`` on fresh batches, ``a₀ = 0``.

How a trial runs (exact in law, not an approximation). Given ``F``, write
``A = F Σ^{1/2} = U S Rᵀ`` (thin SVD). In the basis ``U`` the features are
``S ζ`` with ``ζ = Rᵀz ~ N(0, I)``, and ``y = Σ_j (r_jᵀv) ζ_j + u + ε`` where
``v = Σ^{1/2} w*`` and ``u = v_⊥ᵀz`` (the part of ``v`` orthogonal to the row space
of ``A``) is Gaussian, independent of ``ζ``, of variance ``P_∞(F) = |v_⊥|²``.
Drawing ``ζ`` and ``(u + ε)`` directly therefore gives the same joint law of
the iterates as drawing ``x``; the run is :func:`rmt._kernels.sgd.sgd_trial` on
the ``min(p, D)`` feature modes. The test-point expectation is exact per draw:
``excess = Σ_j s_j²(ã_j - c_j/s_j)² + P_∞(F)``. Every noise level comes from one
run (the response to the standardized residual noise is linear), as in
:mod:`rmt.simulate.sgd`.
"""

from __future__ import annotations

import numpy as np

from .._curves import summarize_curves
from .._kernels.sgd import sgd_trial
from .._validation import validate
from ..risk.sgd import _validate
from ._engine import run_trials, validate_run_options

__all__ = ["rf_online_sgd_risk"]


def reduce_features(F, sqrt_eigs, v):
    """``(s, c, P_∞(F))``: singular values of ``F Σ^{1/2}``, the target's coordinates ``r_jᵀv`` along its right
    singular vectors, and the unlearnable power ``|v|² - |c|²`` (module docstring)."""
    _, s, Rt = np.linalg.svd(F * sqrt_eigs, full_matrices=False)
    keep = s > 1e-12 * s.max()
    s, Rt = s[keep], Rt[keep]
    c = Rt @ v
    return s, c, max(float(v @ v - c @ c), 0.0)


def _trial(payload, rng):
    sqrt_eigs, v, p, lr, momentum, offsets = payload
    F = rng.standard_normal((p, sqrt_eigs.size)) / np.sqrt(p)
    s, c, floor = reduce_features(F, sqrt_eigs, v)
    total = int(offsets[-1])
    zeta = rng.standard_normal((total, s.size))
    eps = rng.standard_normal(total)
    out = np.empty((4, lr.size + 1))
    sgd_trial(zeta, eps, s, c / s, lr, momentum, offsets, out[:3])
    out[3] = floor
    return out


def rf_online_sgd_risk(eigs, target_power, noise, p, lr, batch, steps, *, kurtosis=3.0, momentum=0.0, trials=100,
                       seed=0, executor=None, progress=False, chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.rf_online_sgd_risk`: simulated SGD on random features, mean ± standard error.

    Same arguments as the predictor plus ``trials`` (≥ 2), ``seed``, ``executor``,
    ``progress``, ``chunksize``, ``keep_trials``, ``blas_threads`` (see
    :func:`rmt.simulate.run_trials`). Trial ``i`` (child ``i`` of
    ``SeedSequence(seed)``) draws its own features ``F``, then all of its samples;
    cost per trial: one SVD of the ``p × D`` matrix ``F Σ^{1/2}`` and
    ``O(min(p, D) · Σ_t batch_t)`` for the run. No stability check (unstable
    rates are simulated as asked; an overflow raises ``FloatingPointError``).

    Returns
    -------
    rmt.simulate.SimulatedCurve (``train = None``). ``bias`` is the curve at
    noise 0 (it contains the approximation floor ``P_∞(F)``).

    Notes
    -----
    The reduction to the features' singular basis is exact in law for Gaussian
    ``x`` (module docstring), so ``kurtosis`` must be 3.
    """
    vals, mult, tpow, noise, steps, lr, batch, kurtosis, momentum = _validate(
        eigs, target_power, noise, lr, batch, steps, kurtosis, momentum, "simulate.rf_online_sgd_risk")
    p = validate("simulate.rf_online_sgd_risk", p=p)
    if not np.all(mult == np.round(mult)):
        raise ValueError("eigs must have integer multiplicities to be simulated (one coordinate per mode); "
                         "got a Spectrum with non-integer multiplicities")
    m = mult.astype(np.int64)
    vals, tpow = np.repeat(vals, m), np.repeat(tpow / mult, m)
    keep = vals > 0
    vals, tpow = vals[keep], tpow[keep]
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    offsets = np.concatenate([[0], np.cumsum(batch.astype(np.int64))])
    payload = (np.sqrt(vals), np.sqrt(tpow), int(p), lr, momentum, offsets)
    raw = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                     desc="random-feature online SGD", blas_threads=blas_threads)
    s0, s1, s2, floor = raw[:, 0], raw[:, 1], raw[:, 2], raw[:, 3]  # (trials, steps+1)
    lead = (slice(None),) + (None,) * noise.ndim
    s0, s1, s2, floor = s0[lead], s1[lead], s2[lead], floor[lead]

    def excess_at(nz):
        sig = np.sqrt(nz + floor)  # the residual noise: unlearnable part + label noise
        return s0 + 2.0 * sig * s1 + sig * sig * s2 + floor

    nz = noise[..., None]
    excess = excess_at(nz)
    bias = np.broadcast_to(excess_at(np.zeros_like(nz)), excess.shape)
    samples = {"excess": excess, "test": excess + nz, "bias": bias, "variance": excess - bias}
    return summarize_curves(samples, t=np.arange(steps + 1), trials=trials, seed=seed, keep_trials=keep_trials)
