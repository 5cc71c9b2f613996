# SPDX-License-Identifier: BSD-3-Clause
r"""Compiled refinement of the optimal-ridge search (ridge, kernel ridge and random features).

Along a ridge path parameterized by a renormalized ridge (κ for ridge
regression, ``ridge = κ(1 - df1(κ)/n)``; the input-level γ for random features)
a local minimum of the test risk is a root of the first-order condition, an
increasing function of ``u = log κ`` near the minimum, refined here per grid
point (in parallel) by the package's safeguarded Newton step
(:func:`rmt._kernels.onepoint._newton_update`) inside a bracket from the shared
scan. Every evaluation is one pass of :func:`rmt._kernels.sums.moments_row`.

Ridge (``FOC_RIDGE``): ``test = n(B0 + σ²)/(n - df2)`` and

.. math:: F(u) = \log\big(S_v (n - \mathrm{df}_2)\big) - \log\big((B_0 + \sigma^2) S_\lambda\big),
          \qquad \frac{F'(u)}{\kappa} = \frac{S_v'}{S_v} + \frac{2S_\lambda}{n-\mathrm{df}_2}
          - \frac{2S_v}{B_0+\sigma^2} + \frac{3S_{\lambda 2}}{S_\lambda}

(``S_v = Σ v² κλ/(λ+κ)³``, ``S_λ = Σ λ²/(λ+κ)³``, ``S_v' = dS_v/dκ``, ``S_λ₂ = Σ λ²/(λ+κ)⁴``).

Random features (``FOC_RF``): with the slacks ``a = n - z̄``, ``b = p - z̄``
(``z̄ = df1 + c/γ``), ``e = df1 - df2 + c/γ`` and ``σ̄ = B0 + σ²``,
``test = n N/D``, ``N = (b+e)σ̄ + eT``, ``D = ab + ae + be``
(:mod:`rmt.risk.random_features`), and with ``' = γ d/dγ``

.. math:: F(u) = \frac{N'}{N} - \frac{D'}{D},\quad a' = b' = e,\quad e' = -(\mathrm{df}_1-\mathrm{df}_2) + 2X_1 - c/γ,
          \quad B_0' = 2X_2,\quad T' = T - 2X_2,

``X₁ = Σ L²(1-L)``, ``X₂ = Σ v² L(1-L)²``; ``N' = (b'+e')σ̄ + (b+e)B₀' + e'T + eT'``,
``D' = e(a+b+2e) + e'(a+b)``. ``F'`` is taken from the secant through the last
two points (the bracket ends' values start it), so each step is one pass.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .onepoint import STATUS_CONVERGED, STATUS_NOT_CONVERGED, _newton_update
from .rf import slack
from .sums import FAST, B0, DD, DF1, NMOM, SL, SL2, SV, SVP, T, X1, X2, W, moments_row

_EPS = 2.220446049250313e-16
_EPS4 = 4.0 * _EPS

FOC_RIDGE = 0
FOC_RF = 1


@njit(cache=True, inline="always")
def _foc_ridge(s, n, noise):
    """``(F, F'/κ)`` of the ridge condition from a moments row (``n - df2 > 0``, ``S_v > 0``)."""
    gap = (n - s[DF1]) + s[DD]
    sig = s[B0] + noise
    f = np.log(s[SV] * gap) - np.log(sig * s[SL])
    df = s[SVP] / s[SV] + 2.0 * s[SL] / gap - 2.0 * s[SV] / sig + 3.0 * s[SL2] / s[SL]
    return f, df


@njit(cache=True, inline="always")
def foc_rf(s, gamma, n, p, c, noise, rank):
    """``(F, scale)`` of the random-feature condition ``d log test / d log γ`` from a moments row.

    ``scale`` is the size of the terms F is the difference of (for its rounding level).
    """
    cg = c / gamma if c > 0.0 else 0.0
    a = slack(n, rank, s[W], s[DF1], cg)
    b = slack(p, rank, s[W], s[DF1], cg)
    e = s[DD] + cg
    ep = -s[DD] + 2.0 * s[X1] - cg
    sig = s[B0] + noise
    N = (b + e) * sig + e * s[T]
    Np = (e + ep) * sig + (b + e) * 2.0 * s[X2] + ep * s[T] + e * (s[T] - 2.0 * s[X2])
    D = a * b + a * e + b * e
    Dp = e * (a + b + 2.0 * e) + ep * (a + b)
    return Np / N - Dp / D, abs(Np / N) + abs(Dp / D)


@njit(cache=True, parallel=True, **FAST)
def refine_grid(cond, vals, mult, tpow, b0_zero, tail, rank, par, lo, hi, f_lo, f_hi, rtol, maxiter,
                kappa, status, evals, rows):
    """Root of the condition ``cond`` in ``u = log κ`` on ``[lo[i], hi[i]]`` (``F(lo) < 0 < F(hi)``).

    ``par[i] = (n, noise, p, c)`` (``p, c`` unused by ``FOC_RIDGE``); ``f_lo, f_hi``:
    F at the bracket ends (the start is their secant root). Newton (secant for
    ``FOC_RF``), a bisection whenever a step leaves the bracket; converged when the
    correction is below ``rtol`` (relative in κ) plus the rounding level of F; the
    last evaluated point (within that tolerance of the root) is returned with its
    moments row: κ, a status, the passes spent and the row. (The answer depends on
    the bracket and start, which the caller makes depend on the point alone.)
    """
    fnoise0 = 8.0 * _EPS * (1.0 + np.sqrt(vals.size))
    for i in prange(lo.size):
        s = np.empty(NMOM)
        n, noise, p, c = par[i, 0], par[i, 1], par[i, 2], par[i, 3]
        a = lo[i]
        b = hi[i]
        u = a - f_lo[i] * (b - a) / (f_hi[i] - f_lo[i])
        if not (a < u < b):
            u = 0.5 * (a + b)
        u_prev = a if abs(f_lo[i]) < abs(f_hi[i]) else b
        f_prev = f_lo[i] if u_prev == a else f_hi[i]
        st = STATUS_NOT_CONVERGED
        it = 0
        while it < maxiter:
            it += 1
            k = np.exp(u)
            moments_row(k, vals, mult, tpow, b0_zero, tail, True, s)
            if cond == FOC_RIDGE:
                f, dk = _foc_ridge(s, n, noise)
                df = k * dk
                fnoise = fnoise0
            else:
                f, scale = foc_rf(s, k, n, p, c, noise, rank)
                df = (f - f_prev) / (u - u_prev) if u != u_prev else 0.0
                u_prev, f_prev = u, f
                fnoise = fnoise0 * (1.0 + scale)
            if not np.isfinite(f):  # outside the admissible branch (cannot happen inside a valid bracket)
                f = -1.0 if cond == FOC_RF or s[SV] * ((n - s[DF1]) + s[DD]) <= 0.0 else 1.0
                df = 0.0
            u_eval = u
            u, a, b, done = _newton_update(u, f, df, fnoise, a, b, _EPS4, rtol)
            if done:  # the evaluated point is within the tolerance of the root: keep it with its moments
                st = STATUS_CONVERGED
                u = u_eval
                break
        kappa[i] = np.exp(u)
        if st == STATUS_CONVERGED:
            rows[i, :] = s
        else:
            moments_row(kappa[i], vals, mult, tpow, b0_zero, tail, True, rows[i])
        status[i] = st
        evals[i] = it


@njit(cache=True)
def foc_grid(cond, rows, kappa, par, rank, out):
    """The condition ``cond``'s F at given moments rows (no pass over the spectrum): ``out[i]``."""
    for i in range(kappa.size):
        if cond == FOC_RIDGE:
            out[i] = _foc_ridge(rows[i], par[i, 0], par[i, 1])[0]
        else:
            out[i] = foc_rf(rows[i], kappa[i], par[i, 0], par[i, 2], par[i, 3], par[i, 1], rank)[0]
