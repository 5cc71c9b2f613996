# SPDX-License-Identifier: BSD-3-Clause
r"""Compiled kernels of the free-product (S-transform) chain and of random-feature ridge.

All random-feature compiled code lives here. Nothing validates input: the
plain-Python layers (:mod:`rmt.resolvent.free`, :mod:`rmt.risk.random_features`)
check and convert their input and call these with clean float64 arrays.

The one equation
----------------
A chain of free white-Wishart factors with sample counts ``m_1 … m_L`` (data:
``n``; random projections: ``p``, ``p_2``, …) acting on the population
spectrum ``λ`` renormalizes a ridge into the input-level ridge γ through

.. math::

    \mathrm{ridge} = \gamma \prod_{\ell=1}^{L} \Big(1 - \frac{\bar z(\gamma)}{m_\ell}\Big),
    \qquad \bar z(\gamma) = \sum_k \frac{\lambda_k}{\lambda_k + \gamma} + \frac{c}{\gamma},

where ``c ≥ 0`` is the extra degrees of freedom of independent feature noise
(Gaussian-equivalent nonlinear features; ``c = 0`` for linear chains).
Writing ``a_ℓ = m_ℓ - z̄`` and ``e = -γ dz̄/dγ = Σ L_k(1 - L_k) + c/γ``
(``L_k = λ_k/(λ_k+γ)``), the root is found in ``u = log γ`` from

.. math::

    G(u) = u + \sum_\ell \log a_\ell - \log\Big(\mathrm{ridge}\prod_\ell m_\ell\Big),
    \qquad G'(u) = 1 + \sum_\ell \frac{e}{a_\ell} > 0,

increasing on the admissible branch ``a_ℓ > 0`` (``z̄ < min m``), by a
safeguarded Newton iteration (bisection when a step leaves the bracket or
lands where some ``a_ℓ ≤ 0``). The ridgeless root ``γ₀`` solves
``z̄(γ₀) = min m`` (Newton on ``log min m - log z̄``, also increasing in u);
with ``c = 0`` and ``min m ≥ rank`` it is ``γ₀ = 0``.

An infinite power-law spectrum (``tail`` non-empty, layout of
:mod:`rmt._kernels.tail`) adds its analytic tail to every sum; its rank is
infinite, so ``γ₀ > 0`` always.

To keep ``a_ℓ`` accurate when ``z̄ ≈ m_ℓ`` the kernels also sum
``w = rank - z = Σ_{λ>0} γ/(λ+γ)`` (positive terms) and take
``a_ℓ = (m_ℓ - rank) + w - c/γ`` when ``m_ℓ ≥ rank/2``, ``(m_ℓ - z) - c/γ``
otherwise (:func:`slack`), whichever loses fewer digits.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .onepoint import STATUS_CONVERGED, STATUS_NOT_CONVERGED, nth_level
from .sums import DD, DF1, FAST, W, moments
from .tail import TAIL_ALPHA, TAIL_M, TAIL_SCALE, tail_kappa_below, tail_sum, tail_trace

_EPS = np.finfo(np.float64).eps

__all__ = ["STATUS_CONVERGED", "STATUS_NOT_CONVERGED", "chain_complex_path", "chain_solve_grid"]


@njit(cache=True, **FAST)
def _wze(gamma, vals, mult, tail, c):
    """``(w, z, e)`` at 0 < γ < ∞: ``w = Σ m γ/(λ+γ)``, ``z = Σ m λ/(λ+γ)``, ``e = Σ m L(1-L) + c/γ``.

    One pass of :func:`.sums.moments`. With a tail ``w`` is infinite and not
    used (:func:`slack` takes ``m - z``).
    """
    r = moments(gamma, vals, mult, None, False)
    w, z, e = r[W], r[DF1], r[DD]
    if tail.size:
        alpha, M = tail[TAIL_ALPHA], tail[TAIL_M]
        logc = np.log(gamma / tail[TAIL_SCALE])
        z += tail_sum(0.0, 0, 1, alpha, M, logc)
        e += tail_sum(0.0, 1, 2, alpha, M, logc)
        w = np.inf
    return w, z, e + c / gamma


@njit(cache=True)
def slack(m, rank, w, z, cg):
    """``m - z̄`` from whichever of ``m - z`` or ``(m - rank) + w`` cancels less.

    Near the root ``z̄ ≈ m``; ``m - z`` then loses ``eps·m`` and
    ``(m - rank) + w`` loses ``eps·|rank - m|``.
    """
    if m < 0.5 * rank:
        return (m - z) - cg
    return (m - rank) + w - cg


@njit(cache=True)
def _eval(x, ridgeless, vals, mult, tail, rank, counts, c, log_target, m_min):
    """Value and derivative (in ``x = log γ``) of the increasing chain function.

    ``ridgeless``: ``F = log m_min - log z̄``; else ``G`` of the module
    docstring. Returns ``(-inf, 0)`` where some ``a_ℓ ≤ 0`` (left of the root).
    """
    gamma = np.exp(x)
    w, z, e = _wze(gamma, vals, mult, tail, c)
    cg = c / gamma
    if ridgeless:
        zbar = z + cg
        return np.log(m_min) - np.log(zbar), e / zbar
    g = x - log_target
    dg = 1.0
    for j in range(counts.size):
        a = slack(counts[j], rank, w, z, cg)
        if not a > 0.0:
            return -np.inf, 0.0
        g += np.log(a)
        dg += e / a
    return g, dg


@njit(cache=True)
def _newton(ridgeless, lo, hi, x, vals, mult, tail, rank, counts, c, log_target, m_min, rtol, maxiter):
    """Safeguarded Newton in ``x = log γ`` for an increasing F with F(lo) ≤ 0 ≤ F(hi).

    Converged when the Newton correction ``|F/F'|`` (a relative change of γ)
    at the last point is below ``rtol`` plus the round-off floor of F (a few
    ulps of the logarithms it sums), or when the bracket has shrunk below
    that. Returns ``(x, status, evaluations)``.
    """
    for it in range(1, maxiter + 1):
        f, df = _eval(x, ridgeless, vals, mult, tail, rank, counts, c, log_target, m_min)
        if f == 0.0:
            return x, STATUS_CONVERGED, it
        if f < 0.0:
            lo = x
        else:
            hi = x
        tol = rtol + 8.0 * _EPS * (abs(x) + abs(log_target) + 1.0)
        if df > 0.0 and np.isfinite(f):
            step = f / df
            if abs(step) <= tol:
                xn = x - step
                return (xn if lo <= xn <= hi else x), STATUS_CONVERGED, it
            xn = x - step
        else:
            xn = np.nan
        if not (lo < xn < hi):
            xn = 0.5 * (lo + hi)
            if hi - lo <= tol:
                return xn, STATUS_CONVERGED, it
        x = xn
    return x, STATUS_NOT_CONVERGED, maxiter


@njit(cache=True)
def ridgeless_gamma(vals, mult, tail, rank, lam_min, trace, m_min, c, rtol, maxiter):
    """γ₀ with ``z̄(γ₀) = m_min``; 0 when ``c = 0`` and ``m_min ≥ rank``.

    Returns ``(gamma0, status, evaluations)``.
    """
    if c == 0.0 and m_min >= rank:
        return 0.0, STATUS_CONVERGED, 0
    lo = -np.inf
    if tail.size:
        lo = np.log(tail_kappa_below(tail, 2.0 * m_min))  # df1 ≥ m_min there
    elif m_min < rank:
        lo = np.log(lam_min * 0.5 * (rank - m_min) / m_min)  # z > m_min there
    if c > 0.0:
        lo = max(lo, np.log(0.5 * c / m_min))  # c/γ = 2 m_min there
    hi = np.log((trace + c) / m_min)  # z̄ ≤ (trace + c)/γ = m_min there
    x0 = np.log(nth_level(vals, mult, tail, m_min) + c / m_min)
    x0 = min(max(x0, lo), hi)
    dummy = np.empty(0)
    x, status, ev = _newton(True, lo, hi, x0, vals, mult, tail, rank, dummy, c, 0.0, m_min, rtol, maxiter)
    return np.exp(x), status, ev


@njit(cache=True)
def chain_solve_one(vals, mult, tail, rank, lam_min, trace, counts, c, ridge, rtol, maxiter):
    """γ for one point: ``ridge = γ Π (1 - z̄/m_ℓ)``. Returns ``(gamma, status, evaluations)``.

    Branches: ``ridge = +inf`` → γ = +inf; ``ridge = 0`` → the ridgeless root
    γ₀; ``ridge > 0`` → Newton in ``log γ`` on
    ``[log max(ridge, γ₀), log(ridge + (trace + c) Σ 1/m_ℓ)]``.
    """
    if ridge == np.inf:
        return np.inf, STATUS_CONVERGED, 0
    m_min = np.inf
    inv_sum = 0.0
    log_prod = 0.0
    for j in range(counts.size):
        m_min = min(m_min, counts[j])
        inv_sum += 1.0 / counts[j]
        log_prod += np.log(counts[j])
    g0, status, evals = ridgeless_gamma(vals, mult, tail, rank, lam_min, trace, m_min, c, rtol, maxiter)
    if ridge == 0.0:
        return g0, status, evals
    lo = np.log(max(ridge, g0))
    hi = np.log(ridge + (trace + c) * inv_sum)
    if not hi > lo:
        return np.exp(hi), STATUS_CONVERGED, evals
    x0 = min(max(np.log(ridge + g0), lo), hi)
    x, status2, ev = _newton(False, lo, hi, x0, vals, mult, tail, rank, counts, c, np.log(ridge) + log_prod, m_min,
                             rtol, maxiter)
    return np.exp(x), max(status, status2), evals + ev


@njit(cache=True, parallel=True)
def chain_solve_grid(vals, mult, tail, counts, c, ridge, rtol, maxiter, gamma, status, evals):
    """Fill ``gamma``, ``status``, ``evals`` for each point ``i``: counts ``counts[i, :]``, ``c[i]``, ``ridge[i]``."""
    rank = 0.0
    lam_min = np.inf
    trace = tail_trace(tail)
    for i in range(vals.size):
        rank += mult[i]
        lam_min = min(lam_min, vals[i])
        trace += mult[i] * vals[i]
    if tail.size:
        rank = np.inf
    for i in prange(ridge.size):
        gamma[i], status[i], evals[i] = chain_solve_one(
            vals, mult, tail, rank, lam_min, trace, counts[i], c[i], ridge[i], rtol, maxiter
        )


# --------------------------------------------------------------------------- complex ridge (contours)


@njit(cache=True)
def _chain_complex_newton(g, ridge, vals, mult, rank, counts, rtol, maxiter):
    """Newton on ``G(γ) = γ Π_ℓ (a_ℓ/m_ℓ) - ridge`` at complex ``ridge`` (``c = 0``) from ``g``; ``(γ, converged)``.

    ``a_ℓ = m_ℓ - df1(γ)`` from :func:`slack`; ``G'(γ) = Π_ℓ(a_ℓ/m_ℓ)(1 + Σ_ℓ e/a_ℓ)``,
    ``e = Σ m L(1 - L)``. Steps are damped to ``|Δγ| ≤ |γ|/2`` (the iterate never
    jumps across the origin, where the branches meet). Converged when the correction is
    below ``rtol·|γ|`` plus the rounding level of G over |G'|.
    """
    noise = 4.0 * _EPS * (1.0 + np.sqrt(vals.size))
    for it in range(maxiter):
        w = 0j
        z = 0j
        e = 0j
        for j in range(vals.size):
            q = 1.0 / (vals[j] + g)
            u = g * q
            L = vals[j] * q
            w += mult[j] * u
            z += mult[j] * L
            e += mult[j] * u * L
        prod = 1.0 + 0j
        se = 0j
        for l in range(counts.size):
            a = slack(counts[l], rank, w, z, 0.0)
            prod *= a / counts[l]
            se += e / a
        dG = prod * (1.0 + se)
        step = (g * prod - ridge) / dG
        tol = rtol * abs(g) + noise * (abs(g * prod) * (1.0 + abs(z) / counts.min()) + abs(ridge)) / abs(dG)
        lim = 0.5 * abs(g)
        if abs(step) > lim:
            step *= lim / abs(step)
        g = g - step
        if abs(step) <= tol:
            return g, True
    return g, False


@njit(cache=True)
def chain_complex_path(vals, mult, counts, ridge, g0, rtol, maxiter, gamma, status):
    """γ at the complex ridges ``ridge[0], ridge[1], …`` of a path, each Newton started from the previous root.

    ``ridge = γ Π_ℓ (1 - df1(γ)/m_ℓ)`` (no feature noise); ``g0`` is the start for
    ``ridge[0]``. Continuation along a finely sampled path keeps the physical
    branch (``γ ≈ ridge`` far from the spectrum).
    """
    rank = 0.0
    for j in range(vals.size):
        rank += mult[j]
    g = g0
    for i in range(ridge.size):
        g, ok = _chain_complex_newton(g, ridge[i], vals, mult, rank, counts, rtol, maxiter)
        gamma[i] = g
        status[i] = STATUS_CONVERGED if ok else STATUS_NOT_CONVERGED
