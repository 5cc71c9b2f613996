# SPDX-License-Identifier: BSD-3-Clause
"""Compiled kernels of the one-point solver (the only numba code of the package).

Nothing here validates input: the plain-Python functions of
:mod:`rmt.resolvent.onepoint` do that and call these with clean float64
arrays holding only the *positive* eigenvalue levels ``vals`` and their
multiplicities ``mult``.

Every root is found by one safeguarded Newton iteration (:func:`_newton`) on a
function that is increasing in its variable and whose sign is known at both
ends of a bracket; a Newton step that leaves the bracket is replaced by a
bisection step. Convergence requires the Newton correction ``|F/F'|`` at the
last evaluated point to be below the tolerance, i.e. the residual itself is
verified, converted into units of the unknown.

Status codes (``STATUS_*``) are shared with the Python layer.
"""

from __future__ import annotations

import numpy as np
from numba import njit

STATUS_CONVERGED = 0
STATUS_NOT_CONVERGED = 1
STATUS_BELOW_EDGE = 2  # negative ridge below the admissible edge df2(kappa) = n

# Function selectors for _newton / _eval.
_F_LOG_KAPPA = 0  # F(u) = 1 - ridge/kappa - df1(kappa)/n, kappa = exp(u), ridge >= 0
_F_LOG_EDGE = 1  # F(u) = 1 - df2(kappa)/n, kappa = exp(u)            (edge, kappa > 0)
_F_LIN_KAPPA = 2  # F(k) = k (1 - df1(k)/n) - ridge                     (negative ridge)
_F_LIN_EDGE = 3  # F(k) = 1 - df2(k)/n                                  (edge, kappa <= 0)


@njit(cache=True)
def df12(kappa, vals, mult):
    """``(df1, df2) = (Σ m λ/(λ+κ), Σ m λ²/(λ+κ)²)`` in one pass."""
    s1 = 0.0
    s2 = 0.0
    for i in range(vals.size):
        r = vals[i] / (vals[i] + kappa)
        s1 += mult[i] * r
        s2 += mult[i] * r * r
    return s1, s2


@njit(cache=True)
def _df2_slope(kappa, vals, mult):
    """``(df2, Σ m λ²/(λ+κ)³)``."""
    s2 = 0.0
    s3 = 0.0
    for i in range(vals.size):
        q = 1.0 / (vals[i] + kappa)
        r = vals[i] * q
        s2 += mult[i] * r * r
        s3 += mult[i] * r * r * q
    return s2, s3


@njit(cache=True)
def _eval(fn, x, vals, mult, n, ridge):
    """Value and derivative of the selected increasing function at ``x``."""
    if fn == _F_LOG_KAPPA:
        kappa = np.exp(x)
        d1, d2 = df12(kappa, vals, mult)
        a = ridge / kappa
        return 1.0 - a - d1 / n, a + (d1 - d2) / n
    if fn == _F_LOG_EDGE:
        kappa = np.exp(x)
        d2, d3 = _df2_slope(kappa, vals, mult)
        return 1.0 - d2 / n, 2.0 * kappa * d3 / n
    if fn == _F_LIN_KAPPA:
        d1, d2 = df12(x, vals, mult)
        return x * (1.0 - d1 / n) - ridge, 1.0 - d2 / n
    # _F_LIN_EDGE
    d2, d3 = _df2_slope(x, vals, mult)
    return 1.0 - d2 / n, 2.0 * d3 / n


@njit(cache=True)
def _newton(fn, lo, hi, x, vals, mult, n, ridge, rtol, atol, maxiter):
    """Safeguarded Newton for an increasing F with F(lo) <= 0 <= F(hi).

    Returns ``(root, status, evaluations)``.
    """
    for it in range(1, maxiter + 1):
        f, df = _eval(fn, x, vals, mult, n, ridge)
        if f == 0.0:
            return x, STATUS_CONVERGED, it
        if f < 0.0:
            lo = x
        else:
            hi = x
        step = f / df if df > 0.0 else np.inf
        if abs(step) <= rtol * abs(x) + atol:
            xn = x - step
            if lo <= xn <= hi:
                return xn, STATUS_CONVERGED, it
            return x, STATUS_CONVERGED, it
        xn = x - step
        if not (lo < xn < hi):
            xn = 0.5 * (lo + hi)
            if hi - lo <= rtol * max(abs(lo), abs(hi)) + atol:
                return xn, STATUS_CONVERGED, it
        x = xn
    return x, STATUS_NOT_CONVERGED, maxiter


@njit(cache=True)
def _ridgeless_root(vals, mult, n, d, lam_min, trace, rtol, maxiter):
    """κ₀ with df1(κ₀) = n (requires n < d). Returns (kappa0, status, evals)."""
    lo = np.log(lam_min * 0.5 * (d - n) / n)  # df1 > d/(1+eps) > n there
    hi = np.log(trace / n)  # df1 <= trace/kappa = n there
    x0 = min(max(np.log(_mode_count_guess(vals, mult, n)), lo), hi)
    k, status, ev = _newton(_F_LOG_KAPPA, lo, hi, x0, vals, mult, n, 0.0, rtol, 0.0, maxiter)
    return np.exp(k), status, ev


@njit(cache=True)
def _mode_count_guess(vals, mult, n):
    """The eigenvalue of the ``n``-th largest mode (``vals`` sorted descending).

    Modes above κ₀ are learned, the rest are not, so ``df1(κ₀) = n`` puts κ₀
    within a small factor of it (π²/4 for ``k^-2``): a start from which Newton
    in ``log κ`` converges in a handful of steps.
    """
    c = 0.0
    for i in range(vals.size):
        c += mult[i]
        if c >= n:
            return vals[i]
    return vals[vals.size - 1]


@njit(cache=True)
def edge(vals, mult, n, d, lam_min, rtol, maxiter):
    """Smallest admissible renormalized ridge κ_e (df2(κ_e) = n) and the ridge there.

    For ``n < d`` the edge has ``κ_e > 0``; for ``n > d`` it has
    ``-λ_min < κ_e < 0``; for ``n == d`` it is ``κ_e = 0``. The minimum ridge is
    ``ridge_min = κ_e (1 - df1(κ_e)/n) <= 0``.

    Returns ``(kappa_edge, ridge_min, status, evals)``.
    """
    evals = 0
    if n < d:
        k0, status, ev = _ridgeless_root(vals, mult, n, d, lam_min, _trace(vals, mult), rtol, maxiter)
        evals += ev
        lo = np.log(lam_min * 0.5 * (np.sqrt(d / n) - 1.0))
        hi = np.log(k0)
        x, status2, ev = _newton(_F_LOG_EDGE, lo, hi, hi, vals, mult, n, 0.0, rtol, 0.0, maxiter)
        evals += ev
        ke = np.exp(x)
        status = max(status, status2)
    elif n > d:
        m_min = 0.0
        for i in range(vals.size):
            if vals[i] == lam_min:
                m_min += mult[i]
        delta = lam_min * min(0.5, 0.5 * np.sqrt(m_min / n))
        lo = -lam_min + delta
        ke, status, ev = _newton(_F_LIN_EDGE, lo, 0.0, 0.0, vals, mult, n, 0.0, rtol, rtol * lam_min * 1e-3, maxiter)
        evals += ev
    else:
        return 0.0, 0.0, STATUS_CONVERGED, 0
    d1, d2 = df12(ke, vals, mult)
    return ke, ke * (1.0 - d1 / n), status, evals


@njit(cache=True)
def _trace(vals, mult):
    t = 0.0
    for i in range(vals.size):
        t += mult[i] * vals[i]
    return t


@njit(cache=True)
def solve_one(vals, mult, n, ridge, d, lam_min, trace, rtol, maxiter):
    """κ(n, ridge) for one point. Returns ``(kappa, status, evaluations)``.

    Branches
    --------
    * ``ridge = +inf``: κ = +inf (the null predictor).
    * ``ridge = 0`` and ``n >= d``: κ = 0 (the limit ridge → 0⁺; Σ̂ is full rank).
    * ``ridge >= 0`` otherwise: root of ``1 - ridge/κ - df1(κ)/n`` in ``log κ``,
      bracket ``[max(ridge, κ_lo), ridge + trace/n]`` (tighter for n > d).
    * ``ridge < 0``: root of ``κ (1 - df1/n) = ridge`` in κ on ``[κ_e, κ₀]``,
      where h is increasing and convex; ``STATUS_BELOW_EDGE`` if
      ``ridge < ridge_min``.
    """
    if ridge == np.inf:
        return np.inf, STATUS_CONVERGED, 0
    if ridge == 0.0 and n >= d:
        return 0.0, STATUS_CONVERGED, 0
    if ridge == 0.0:
        return _ridgeless_root(vals, mult, n, d, lam_min, trace, rtol, maxiter)
    if ridge > 0.0:
        lo = ridge
        hi = ridge + trace / n
        if n < d:
            lo = max(lo, lam_min * 0.5 * (d - n) / n)
        elif n > d:
            hi = min(hi, ridge * n / (n - d))
        lo_u = np.log(lo)
        hi_u = np.log(hi)
        if not hi_u > lo_u:  # bracket collapsed to a point (e.g. trace/n << ridge)
            return hi, STATUS_CONVERGED, 0
        x0 = np.log(ridge + (_mode_count_guess(vals, mult, n) if n < d else 0.0))
        x0 = min(max(x0, lo_u), hi_u)
        u, status, ev = _newton(_F_LOG_KAPPA, lo_u, hi_u, x0, vals, mult, n, ridge, rtol, 0.0, maxiter)
        return np.exp(u), status, ev
    # ridge < 0
    ke, rmin, status, evals = edge(vals, mult, n, d, lam_min, rtol, maxiter)
    if ridge < rmin:
        return np.nan, STATUS_BELOW_EDGE, evals
    if n < d:
        k0, s0, ev = _ridgeless_root(vals, mult, n, d, lam_min, trace, rtol, maxiter)
        evals += ev
    else:
        k0 = 0.0
    k, status2, ev = _newton(_F_LIN_KAPPA, ke, k0, k0, vals, mult, n, ridge, rtol, rtol * abs(ridge) * 1e-3, maxiter)
    return k, max(status, status2), evals + ev


@njit(cache=True)
def solve_grid(vals, mult, n, ridge, rtol, maxiter, kappa, status, evals):
    """Fill ``kappa``, ``status``, ``evals`` for each broadcast point ``(n[i], ridge[i])``."""
    d = 0.0
    lam_min = np.inf
    for i in range(vals.size):
        d += mult[i]
        lam_min = min(lam_min, vals[i])
    trace = _trace(vals, mult)
    for i in range(n.size):
        kappa[i], status[i], evals[i] = solve_one(vals, mult, n[i], ridge[i], d, lam_min, trace, rtol, maxiter)


@njit(cache=True)
def edge_grid(vals, mult, n, rtol, maxiter, kappa_edge, ridge_min, status):
    """:func:`edge` for each ``n[i]``."""
    d = 0.0
    lam_min = np.inf
    for i in range(vals.size):
        d += mult[i]
        lam_min = min(lam_min, vals[i])
    for i in range(n.size):
        kappa_edge[i], ridge_min[i], status[i], _ = edge(vals, mult, n[i], d, lam_min, rtol, maxiter)


@njit(cache=True)
def df12_grid(vals, mult, kappa, df1, df2):
    """``df1, df2`` at each ``kappa[i]`` (κ = +inf gives 0; κ = 0 gives the rank)."""
    for i in range(kappa.size):
        if kappa[i] == np.inf:
            df1[i] = 0.0
            df2[i] = 0.0
        else:
            df1[i], df2[i] = df12(kappa[i], vals, mult)


@njit(cache=True)
def stieltjes_kappa_grid(vals, mult, n, z, rtol, maxiter, kappa, status):
    """Complex κ(z) solving ``κ (1 - df1(κ)/n) = -z`` on the physical branch.

    Newton continued along ``z_t = Re z + i·η_t`` from a large imaginary part
    (where κ ≈ -z + trace/n) down to ``Im z`` (a positive ``Im z`` is required;
    conjugation handles the lower half plane and the real axis off the support
    is reached as ``Im z → 0⁺``).
    """
    trace = _trace(vals, mult)
    lam_max = 0.0
    for j in range(vals.size):
        lam_max = max(lam_max, vals[j])
    scale = lam_max + trace / n
    for i in range(z.size):
        zi = z[i]
        target = zi.imag
        floor = 1e-9 * (scale + abs(zi.real))
        eta = max(10.0 * (scale + abs(zi)), target)
        k = -complex(zi.real, eta) + trace / n
        ok = True
        while True:
            zt = complex(zi.real, eta)
            converged = False
            for it in range(maxiter):
                s1 = 0j
                s2 = 0j
                for j in range(vals.size):
                    r = vals[j] / (vals[j] + k)
                    s1 += mult[j] * r
                    s2 += mult[j] * r * r
                g = k * (1.0 - s1 / n) + zt
                dg = 1.0 - s2 / n
                step = g / dg
                kn = k - step
                # stay on the physical branch: Im κ <= 0 when Im z >= 0
                if kn.imag > 0.0:
                    kn = complex(kn.real, 0.5 * k.imag)
                k = kn
                if abs(step) <= rtol * abs(k):
                    converged = True
                    break
            if eta <= target:
                ok = converged
                break
            eta = eta * 0.5
            if eta < max(target, floor):
                eta = target
        kappa[i] = k
        status[i] = STATUS_CONVERGED if ok else STATUS_NOT_CONVERGED


@njit(cache=True)
def spectral_sums_grid(vals, mult, tpow, kappa, out):
    """Per κ, in one pass over all levels (zero eigenvalues included):

    ``out[i] = (df1, df2, B0, S_v, S_λ)`` with ``L_k = λ_k/(λ_k+κ)`` and

    * ``B0  = Σ v_k² (1 - L_k)²``            (bias of the data-averaged predictor),
    * ``S_v = Σ v_k² κ λ_k / (λ_k + κ)³``     (``= ½ dB0/dκ``),
    * ``S_λ = Σ m_k λ_k² / (λ_k + κ)³``       (``= -½ d df2/dκ``).

    Conventions at the ends: a zero eigenvalue has ``L = 0``; ``κ = 0`` gives
    ``L = 1`` for positive modes; ``κ = +inf`` gives ``L = 0``.
    """
    for i in range(kappa.size):
        k = kappa[i]
        d1 = 0.0
        d2 = 0.0
        b0 = 0.0
        sv = 0.0
        sl = 0.0
        for j in range(vals.size):
            lam = vals[j]
            if lam == 0.0 or k == np.inf:
                b0 += tpow[j]
                continue
            q = 1.0 / (lam + k)
            L = lam * q
            u = k * q  # 1 - L
            d1 += mult[j] * L
            d2 += mult[j] * L * L
            b0 += tpow[j] * u * u
            sv += tpow[j] * u * L * q
            sl += mult[j] * L * L * q
        out[i, 0] = d1
        out[i, 1] = d2
        out[i, 2] = b0
        out[i, 3] = sv
        out[i, 4] = sl
