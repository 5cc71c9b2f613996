# SPDX-License-Identifier: BSD-3-Clause
r"""Compiled kernels of the optimal-ridge search (ridge and kernel ridge).

Along the ridge path parameterized by the renormalized ridge κ (``ridge =
κ(1 - df1(κ)/n)``) the test risk is ``test = n(B0 + σ²)/(n - df2)`` and

.. math::

    \operatorname{sign}\frac{d\,\mathrm{test}}{d\kappa}
    = \operatorname{sign}\big(S_v\,(n - \mathrm{df}_2) - (B_0+\sigma^2)\,S_\lambda\big),

so a local minimum is a root of the increasing function (in ``u = log κ``)

.. math:: F(u) = \log\big(S_v (n - \mathrm{df}_2)\big) - \log\big((B_0 + \sigma^2) S_\lambda\big),

with ``S_v = Σ v² κλ/(λ+κ)³``, ``S_λ = Σ λ²/(λ+κ)³``. Its derivative needs two
more moments, ``S_v' = Σ v² λ(λ-2κ)/(λ+κ)⁴`` and ``S_λ₂ = Σ λ²/(λ+κ)⁴``:

.. math:: \frac{F'(u)}{\kappa} = \frac{S_v'}{S_v} + \frac{2S_\lambda}{n-\mathrm{df}_2}
          - \frac{2S_v}{B_0+\sigma^2} + \frac{3S_{\lambda 2}}{S_\lambda}.

:func:`path_sums` evaluates every moment in one vectorizable pass over the
*positive* levels (zero eigenvalues only add their target power to ``B0``,
which the caller passes as a constant) plus the analytic power-law tail;
:func:`refine_grid` runs the package's safeguarded Newton step
(:func:`rmt._kernels.onepoint._newton_update`) on ``F`` inside a bracket,
one grid point per thread.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .onepoint import FASTMATH, STATUS_CONVERGED, STATUS_NOT_CONVERGED, _newton_update
from .tail import TAIL_ALPHA, TAIL_BETA, TAIL_M, TAIL_SCALE, TAIL_TSCALE, tail_sum, tail_sums

_EPS = 2.220446049250313e-16
_EPS4 = 4.0 * _EPS

# columns of the sums table
D1, D2, B0, SV, SL, DD, SVP, SL2, W, T = range(10)
NSUMS = 10


@njit(cache=True, fastmath=FASTMATH, inline="always")
def _head_sums(k, vals, mult, tpow):
    d1 = 0.0
    d2 = 0.0
    b0 = 0.0
    sv = 0.0
    sl = 0.0
    dd = 0.0
    svp = 0.0
    sl2 = 0.0
    w = 0.0
    tt = 0.0
    for j in range(vals.size):
        q = 1.0 / (vals[j] + k)
        L = vals[j] * q
        u = k * q
        m = mult[j]
        t = tpow[j]
        mL2 = m * L * L
        d1 += m * L
        d2 += mL2
        dd += m * L * u
        b0 += t * u * u
        tLq = t * L * q
        sv += tLq * u
        svp += tLq * q * (L - 2.0 * u)
        sl += mL2 * q
        sl2 += mL2 * q * q
        w += m * u
        tt += t * L * u
    return d1, d2, b0, sv, sl, dd, svp, sl2, w, tt


@njit(cache=True, inline="always")
def path_sums(k, vals, mult, tpow, b0_zero, tail, out):
    """Fill ``out = (df1, df2, B0, S_v, S_λ, df1 - df2, S_v', S_λ₂, w, T)`` at ``κ`` (``-λ_min < κ < ∞``).

    ``w = Σ m κ/(λ+κ)`` (rank - df1 without cancellation; infinite with a
    tail) and ``T = Σ v² L(1-L)`` serve the random-feature path (γ in place
    of κ). With a tail, ``κ > 0``.
    """
    d1, d2, b0, sv, sl, dd, svp, sl2, w, tt = _head_sums(k, vals, mult, tpow)
    b0 += b0_zero
    if tail.size:
        t1, t2, tb, tv, tl = tail_sums(k, tail)
        d1 += t1
        d2 += t2
        dd += t1 - t2
        b0 += tb
        sv += tv
        sl += tl
        alpha, M, s = tail[TAIL_ALPHA], tail[TAIL_M], tail[TAIL_SCALE]
        logc = np.log(k / s)
        sl2 += tail_sum(-2.0 * alpha, 0, 4, alpha, M, logc) / (s * s)
        w = np.inf
        t = tail[TAIL_TSCALE]
        if t > 0.0:
            g = tail[TAIL_BETA] - 2.0 * alpha
            svp += t / (s * s) * (tail_sum(g, 0, 4, alpha, M, logc) - 2.0 * tail_sum(g, 1, 4, alpha, M, logc))
            tt += t * tail_sum(tail[TAIL_BETA], 1, 2, alpha, M, logc)
    out[D1] = d1
    out[D2] = d2
    out[B0] = b0
    out[SV] = sv
    out[SL] = sl
    out[DD] = dd
    out[SVP] = svp
    out[SL2] = sl2
    out[W] = w
    out[T] = tt


@njit(cache=True, parallel=True, fastmath=FASTMATH)
def path_sums_grid(vals, mult, tpow, b0_zero, tail, kappa, out):
    """:func:`path_sums` at each ``kappa[i]`` (``0 < κ < ∞``) into ``out[i, :]``."""
    for i in prange(kappa.size):
        path_sums(kappa[i], vals, mult, tpow, b0_zero, tail, out[i])


@njit(cache=True, inline="always")
def _focf(s, n, noise):
    """``F``, ``F'/κ`` and its rounding level from a sums row (``n - df2 > 0``, ``S_v > 0``)."""
    gap = (n - s[D1]) + s[DD]
    sig = s[B0] + noise
    f = np.log(s[SV] * gap) - np.log(sig * s[SL])
    df = s[SVP] / s[SV] + 2.0 * s[SL] / gap - 2.0 * s[SV] / sig + 3.0 * s[SL2] / s[SL]
    return f, df


@njit(cache=True, parallel=True, fastmath=FASTMATH)
def refine_grid(vals, mult, tpow, b0_zero, tail, n, noise, lo, hi, rtol, maxiter, kappa, status, evals):
    """Root of :math:`F` in ``u = log κ`` on ``[lo[i], hi[i]]`` (``F(lo) < 0 < F(hi)``) for each point.

    Newton from the bracket's midpoint, a bisection whenever a step leaves the
    bracket (:func:`rmt._kernels.onepoint._newton_update`); converged when the
    Newton correction is below ``rtol`` (relative in κ) plus the rounding level
    of ``F``. Returns κ in ``kappa[i]``, a status and the passes spent.
    """
    fnoise = 8.0 * _EPS * (1.0 + np.sqrt(vals.size))
    for i in prange(n.size):
        s = np.empty(NSUMS)
        a = lo[i]
        b = hi[i]
        u = 0.5 * (a + b)
        st = STATUS_NOT_CONVERGED
        it = 0
        while it < maxiter:
            it += 1
            k = np.exp(u)
            path_sums(k, vals, mult, tpow, b0_zero, tail, s)
            f, dk = _focf(s, n[i], noise[i])
            if not np.isfinite(f):  # outside the admissible branch (cannot happen inside a valid bracket)
                f = -1.0 if s[SV] * ((n[i] - s[D1]) + s[DD]) <= 0.0 else 1.0
                dk = 0.0
            u, a, b, done = _newton_update(u, f, k * dk, fnoise, a, b, _EPS4, rtol)
            if done:
                st = STATUS_CONVERGED
                break
        kappa[i] = np.exp(u)
        status[i] = st
        evals[i] = it
