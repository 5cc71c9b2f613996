# SPDX-License-Identifier: BSD-3-Clause
r"""Arbitrary-precision referee of the training curves (``method="mpmath"``): online SGD.

:func:`rmt.online_sgd_risk` is the exact per-level second-moment recursion
(:mod:`rmt._kernels.sgd`): with ``a_j = (1 − η_tλ_j)² + (η_t²/B_t)(κ₄ − 2)λ_j²`` and
``b_j = (η_t²/B_t) m_j λ_j²``,

.. math:: e_j(t+1) = a_j e_j(t) + b_j\,(E(t) + \sigma^2),\qquad E(t) = \sum_j e_j(t),

run here in ``mpf`` arithmetic at ``dps`` digits (noiseless part and unit-noise
response, as the compiled kernel), with the kernel sum
``S = (η/B) Σ m λ/(2 − (1 + (κ₄ − 2)/B) ηλ)`` and the stationary excess
``σ² S/(1 − S)`` for a constant schedule. Cost O(levels × steps) ``mpf`` operations
(~10 µs each): for checking the compiled curve, not for long runs.

Gradient descent / gradient flow (:func:`rmt.gd_risk`) have no mpmath referee: their
slow reference (the double contour integral of ``rmt.risk.gd``) is a trapezoidal rule
whose accuracy is set by its node count, not by the working precision.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

__all__ = ["sgd_curves"]


def sgd_curves(vals, mult, tpow, lr, batch, kurtosis, dps):
    """``(bias, unit)`` object arrays of ``mpf``, length ``steps + 1`` (the recursion above)."""
    steps = lr.size
    bias = np.empty(steps + 1, dtype=object)
    unit = np.empty(steps + 1, dtype=object)
    with mp.workdps(dps):
        lam = [mp.mpf(float(v)) for v in vals]
        m = [mp.mpf(float(x)) for x in mult]
        e = [mp.mpf(float(x)) for x in tpow]
        v = [mp.mpf(0)] * len(lam)
        q4 = mp.mpf(float(kurtosis)) - 2
        for t in range(steps):
            bias[t], unit[t] = mp.fsum(e), mp.fsum(v)
            eta, B = mp.mpf(float(lr[t])), mp.mpf(float(batch[t]))
            sE, sV = bias[t], unit[t] + 1
            for j, (lj, mj) in enumerate(zip(lam, m)):
                x = eta * lj
                a = (1 - x) ** 2 + (q4 / B) * x * x
                b = mj * x * x / B
                e[j] = a * e[j] + b * sE
                v[j] = a * v[j] + b * sV
        bias[steps], unit[steps] = mp.fsum(e), mp.fsum(v)
    return bias, unit


def kernel_sum(vals, mult, lr, batch, kurtosis, dps):
    """``S = (η/B) Σ m λ/(2 − (1 + (κ₄ − 2)/B) ηλ)`` as an ``mpf``."""
    with mp.workdps(dps):
        eta, B = mp.mpf(float(lr)), mp.mpf(float(batch))
        c = 1 + (mp.mpf(float(kurtosis)) - 2) / B
        return +(eta / B * mp.fsum(mp.mpf(float(m)) * mp.mpf(float(v)) / (2 - c * eta * mp.mpf(float(v)))
                                   for v, m in zip(vals, mult)))


def online_sgd_result(cls, vals, mult, tpow, noise, lr, batch, kurtosis, constant, lr_max, dps):
    """The ``method="mpmath"`` :class:`rmt.OnlineSGDRisk`: curves as object arrays of ``mpf``."""
    bias, unit = sgd_curves(vals, mult, tpow, lr, batch, kurtosis, dps)
    steps = lr.size
    shape = noise.shape + (steps + 1,)
    with mp.workdps(dps):
        sig = np.empty(noise.shape, dtype=object)
        for idx in np.ndindex(noise.shape):
            sig[idx] = mp.mpf(float(noise[idx]))
        variance = sig[..., None] * unit
        excess = bias + variance
        test = excess + sig[..., None]
        S = stationary = None
        if constant:
            S = kernel_sum(vals, mult, lr[0], batch[0], kurtosis, dps)
            stationary = np.asarray(sig * (S / (1 - S)), dtype=object)
            stationary = stationary[()] if stationary.ndim == 0 else stationary
    out = dict(excess=excess, test=test, bias=np.broadcast_to(bias, shape).copy(), variance=variance)
    out = {k: (x[()] if x.ndim == 0 else x) for k, x in out.items()}
    return cls(t=np.arange(steps + 1), train=None, stationary=stationary, kernel_sum=S, lr_max=lr_max, **out)
