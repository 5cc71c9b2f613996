# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twin of :func:`rmt.online_sgd_risk`: online SGD on fresh samples.

Conventions (``DESIGN.md``): ``x = Σ^{1/2} z``, ``Σ = diag(eigs)``, ``y = <w*, x> + ε``,
``w*_k = sqrt(target_power_k / eigs_k)``, ``ε = sqrt(noise)·ξ`` with ``ξ ~ N(0, 1)``;
``w ← w - (lr/B) Σ_b x_b(<w, x_b> - y_b)``, a fresh batch each step, ``w₀ = 0``.

Coordinates ``z_k`` are i.i.d. with ``E z = 0``, ``E z² = 1``, ``E z⁴ = kurtosis``:
standard normal when ``kurtosis = 3``; otherwise the symmetric three-point
("sparse Rademacher") law ``z ∈ {-1/√p, 0, 1/√p}`` with probabilities
``(p/2, 1-p, p/2)``, ``p = 1/kurtosis`` (any ``kurtosis ≥ 1``; ``kurtosis = 1`` is
Rademacher). The recursion depends on the law of ``z`` only through these moments.

Variance reduction. The test-point expectation is exact per draw
(``excess = Σ_k eigs_k (w_k - w*_k)²``), and every noise level comes from one
run: given the inputs, ``w_t - w* = d_t + σ u_t`` where ``d`` is the noiseless run
and ``u`` the response to ``ξ`` (same inputs, same ``ξ``), so
``excess(σ²) = Σλd² + 2σ Σλ d u + σ² Σλu²`` exactly; ``bias`` is ``Σλd²``
(the same draws with noise 0) and ``variance = excess - bias``.
"""

from __future__ import annotations

import numpy as np

from .._curves import summarize_curves
from .._kernels.sgd import sgd_trial
from ..risk.sgd import _validate
from ._engine import run_trials, validate_run_options

__all__ = ["online_sgd_risk"]


def _draw(rng, shape, kurtosis):
    if kurtosis == 3.0:
        return rng.standard_normal(shape)
    p = 1.0 / kurtosis
    u = rng.random(shape)
    # P(z = +1/√p) = P(z = -1/√p) = p/2, P(z = 0) = 1 - p
    return np.where(u < 0.5 * p, 1.0, np.where(u < p, -1.0, 0.0)) / np.sqrt(p)


def _trial(payload, rng):
    sqrt_eigs, wstar, lr, momentum, offsets, kurtosis = payload
    total = int(offsets[-1])
    z = _draw(rng, (total, sqrt_eigs.size), kurtosis)
    eps = rng.standard_normal(total)
    out = np.empty((3, lr.size + 1))
    sgd_trial(z, eps, sqrt_eigs, wstar, lr, momentum, offsets, out)
    return out


def online_sgd_risk(eigs, target_power, noise, lr, batch, steps, *, kurtosis=3.0, momentum=0.0, trials=100, seed=0,
                    executor=None, progress=False, chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.online_sgd_risk`: simulated online SGD, mean ± standard error per step.

    Same arguments as the predictor (``noise`` may be an array: its shape leads
    the result) plus ``trials`` (≥ 2), ``seed``, ``executor``, ``progress``,
    ``chunksize``, ``keep_trials`` and ``blas_threads`` (see
    :func:`rmt.simulate.run_trials`). Trial ``i`` uses child ``i`` of
    ``SeedSequence(seed)`` and draws all of its ``Σ_t batch_t`` samples at once;
    the run itself is a compiled loop (cost ``O(D · Σ_t batch_t)`` per trial).
    ``momentum`` is heavy-ball momentum as in the predictor
    (``w_{t+1} = w_t - η_t g_t + β_t (w_t - w_{t-1})``, ``w_{-1} = w_0 = 0``).
    Unstable learning rates are simulated as asked (no stability check);
    a run that overflows raises ``FloatingPointError``.

    Returns
    -------
    rmt.simulate.SimulatedCurve (``train = None``).

    Notes
    -----
    Data law and the exact per-draw expectations: see the module docstring.
    Modes with ``eigs = 0`` never move and carry no risk; they are dropped. A
    Spectrum with integer multiplicities is expanded into one coordinate per mode
    (the level's target power split evenly).
    """
    vals, mult, tpow, noise, steps, lr, batch, kurtosis, momentum = _validate(
        eigs, target_power, noise, lr, batch, steps, kurtosis, momentum, "simulate.online_sgd_risk")
    if not np.all(mult == np.round(mult)):
        raise ValueError("eigs must have integer multiplicities to be simulated (one coordinate per mode); "
                         "got a Spectrum with non-integer multiplicities")
    m = mult.astype(np.int64)
    vals, tpow = np.repeat(vals, m), np.repeat(tpow / mult, m)
    keep = vals > 0
    vals, tpow = vals[keep], tpow[keep]
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    offsets = np.concatenate([[0], np.cumsum(batch.astype(np.int64))])
    payload = (np.sqrt(vals), np.sqrt(tpow / vals), lr, momentum, offsets, kurtosis)
    raw = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                     desc="online SGD", blas_threads=blas_threads)
    s0, s1, s2 = raw[:, 0], raw[:, 1], raw[:, 2]  # (trials, steps+1)
    lead = (slice(None),) + (None,) * noise.ndim
    sig = np.sqrt(noise)[..., None]
    bias = np.broadcast_to(s0[lead], (trials,) + noise.shape + (steps + 1,))
    excess = s0[lead] + 2.0 * sig * s1[lead] + sig * sig * s2[lead]
    samples = {
        "excess": excess,
        "test": excess + noise[..., None],
        "bias": bias,
        "variance": excess - bias,
    }
    return summarize_curves(samples, t=np.arange(steps + 1), trials=trials, seed=seed, keep_trials=keep_trials)
