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

Infinite spectra. Every kernel that sums over modes takes a *tail descriptor*
``tail`` (:mod:`.tail`): an empty array for a finite spectrum, or
``[M, α, s, β, t]`` for ``M`` explicit head levels followed by the modes
``λ_k = s k^-α``, ``k > M`` (with target power ``t k^-β``), whose sums are
added analytically. Such a spectrum has infinite rank (``d = inf``), so the
ridgeless root always exists and the brackets that use ``λ_min`` and ``d``
are replaced by ``κ = s (M + c·n)^-α``, below which at least ``c·n`` tail
modes have ``L_k ≥ 1/2``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .sums import DD, DF1, DF2, FAST, SL, W, moments
from .tail import tail_df12, tail_df12_complex, tail_df2_slope, tail_kappa_below, tail_trace

STATUS_CONVERGED = 0
STATUS_NOT_CONVERGED = 1
STATUS_BELOW_EDGE = 2  # negative ridge below the admissible edge df2(kappa) = n


# In log κ the unknown u = log κ carries only eps·|u| absolute precision, so the
# tolerance on u is rtol + _EPS4·|u| (|u| reaches ~700 for κ near 1e-300).
_EPS = 2.220446049250313e-16
_EPS4 = 4.0 * _EPS

# Function selectors for _newton / _eval.
# In log κ both functions are written as log(n / S(κ)) with S decreasing: for a
# spectrum that is locally a power law, S(e^u) is close to exponential in u, so
# F is nearly linear and Newton converges in a few steps from any start.
_F_LOG_KAPPA = 0  # F(u) = log(n / (df1(κ) + n·ridge/κ)), κ = e^u, ridge >= 0
_F_LOG_EDGE = 1  # F(u) = log(n / df2(κ)), κ = e^u                 (edge, κ > 0)
_F_LIN_KAPPA = 2  # F(k) = k (1 - df1(k)/n) - ridge                     (negative ridge)
_F_LIN_EDGE = 3  # F(k) = 1 - df2(k)/n                                  (edge, kappa <= 0)
# Ridgeless with a finite rank d > n: df1 = n written as c(κ) = Σ m κ/(λ+κ) = d - n,
# so that as n → d (κ₀ → 0) nothing cancels and κ₀ keeps full relative precision.
_F_LOG_COMPLEMENT = 4  # F(u) = log(c(κ) / (d - n)), κ = e^u       (ridge = 0, finite rank)


@njit(cache=True, inline="always")
def df12(kappa, vals, mult):
    """``(df1, df2) = (Σ m λ/(λ+κ), Σ m λ²/(λ+κ)²)`` (one pass of :func:`.sums.moments`)."""
    r = moments(kappa, vals, mult, None, False)
    return r[DF1], r[DF2]


@njit(cache=True, inline="always")
def _eval(fn, x, vals, mult, tail, n, ridge):
    """Value, derivative and rounding level of the selected increasing function at ``x``.

    The rounding level (an estimate of the absolute floating-point error of
    the value, ~eps·sqrt(levels) times the size of the terms) lets the
    Newton test accept a root as soon as the residual is at rounding level,
    however ill-conditioned the point (e.g. ``df2 ≈ n``).
    """
    noise = 4.0 * _EPS * (1.0 + np.sqrt(vals.size))
    if fn == _F_LOG_KAPPA:
        kappa = np.exp(x)
        d1, d2 = _df12_with_tail(kappa, vals, mult, tail)
        a = n * ridge / kappa
        s = d1 + a
        return np.log(n / s), (s - d2) / s, noise
    if fn == _F_LOG_EDGE:
        kappa = np.exp(x)
        d2, d3 = _df2_slope_with_tail(kappa, vals, mult, tail)
        return np.log(n / d2), 2.0 * kappa * d3 / d2, noise
    if fn == _F_LOG_COMPLEMENT:  # ridge holds the rank d here
        r = moments(np.exp(x), vals, mult, None, False)
        return np.log(r[W] / (ridge - n)), r[DD] / r[W], noise
    if fn == _F_LIN_KAPPA:
        d1, d2 = _df12_with_tail(x, vals, mult, tail)
        return x * (1.0 - d1 / n) - ridge, 1.0 - d2 / n, noise * (abs(x) * d1 / n + abs(ridge))
    # _F_LIN_EDGE
    d2, d3 = _df2_slope_with_tail(x, vals, mult, tail)
    return 1.0 - d2 / n, 2.0 * d3 / n, noise * d2 / n


@njit(cache=True, inline="always")
def _df12_with_tail(kappa, vals, mult, tail):
    """:func:`df12` plus the analytic tail of an infinite power law (if any)."""
    d1, d2 = df12(kappa, vals, mult)
    if tail.size:
        t1, t2 = tail_df12(kappa, tail)
        d1 += t1
        d2 += t2
    return d1, d2


@njit(cache=True, inline="always")
def _df2_slope_with_tail(kappa, vals, mult, tail):
    """``(df2, S_λ = Σ m λ²/(λ+κ)³)`` plus the analytic tail of an infinite power law (if any)."""
    r = moments(kappa, vals, mult, None, False)
    d2, d3 = r[DF2], r[SL]
    if tail.size:
        t2, t3 = tail_df2_slope(kappa, tail)
        d2 += t2
        d3 += t3
    return d2, d3


@njit(cache=True)
def _newton_update(x, f, df, fnoise, lo, hi, rtol, atol):
    """One safeguarded Newton step for an increasing F with F(lo) <= 0 <= F(hi).

    Shrinks the bracket with the sign of ``f = F(x)``, takes the Newton step
    ``x - f/df``, and bisects instead when that leaves the bracket. Done when
    the Newton correction at ``x`` is at most ``rtol·|x| + atol`` plus the
    rounding level ``fnoise/df`` of the residual in units of x (the residual
    is verified), or the bracket is that narrow. Returns
    ``(x_next, lo, hi, done)``.
    """
    if f == 0.0:
        return x, lo, hi, True
    if f < 0.0:
        lo = x
    else:
        hi = x
    step = f / df if df > 0.0 else np.inf
    tol = rtol * abs(x) + atol + (fnoise / df if df > 0.0 else 0.0)
    xn = x - step
    if abs(step) <= tol:
        return (xn if lo <= xn <= hi else x), lo, hi, True
    if not (lo < xn < hi):
        xn = 0.5 * (lo + hi)
        if hi - lo <= tol:
            return xn, lo, hi, True
    return xn, lo, hi, False


@njit(cache=True, **FAST)
def _newton(fn, lo, hi, x, vals, mult, tail, n, ridge, rtol, atol, maxiter):
    """Safeguarded Newton (:func:`_newton_update`) on the selected function.

    In ``log κ`` pass ``atol`` = the relative tolerance on κ. Returns
    ``(root, status, evaluations)``.
    """
    for it in range(1, maxiter + 1):
        f, df, fnoise = _eval(fn, x, vals, mult, tail, n, ridge)
        x, lo, hi, done = _newton_update(x, f, df, fnoise, lo, hi, rtol, atol)
        if done:
            return x, STATUS_CONVERGED, it
    return x, STATUS_NOT_CONVERGED, maxiter


@njit(cache=True, inline="always")
def _ridgeless_form(tail, n, d):
    """The function and its parameter for ridgeless κ₀ (``df1(κ₀) = n``): ``(fn, ridge slot)``.

    ``log(n/df1)`` (a sum of positive terms: full precision) unless the rank is
    finite and ``n ≥ d/2``, where the complement ``log(Σ κ/(λ+κ) / (d - n))``
    keeps κ₀'s relative precision as ``n → d`` (the ridge slot then carries ``d``).
    """
    if tail.size == 0 and n >= 0.5 * d:
        return _F_LOG_COMPLEMENT, d
    return _F_LOG_KAPPA, 0.0


@njit(cache=True)
def _ridgeless_root(vals, mult, tail, n, d, lam_min, trace, rtol, maxiter):
    """κ₀ with df1(κ₀) = n (0 when n >= d). Returns (kappa0, status, evals)."""
    closed, k, lo, hi, u0 = _log_start(vals, mult, tail, n, 0.0, d, lam_min, trace)
    if closed:
        return k, STATUS_CONVERGED, 0
    fn, par = _ridgeless_form(tail, n, d)
    u, status, ev = _newton(fn, lo, hi, u0, vals, mult, tail, n, par, _EPS4, rtol, maxiter)
    return np.exp(u), status, ev


@njit(cache=True)
def nth_level(vals, mult, tail, n):
    """The eigenvalue of the ``n``-th largest mode (``vals`` sorted descending; the tail beyond).

    Modes above κ₀ are learned, the rest are not, so ``df1(κ₀) = n`` puts κ₀
    within a small factor of it (π²/4 for ``k^-2``): a start from which Newton
    in ``log κ`` converges in a handful of steps.
    """
    c = 0.0
    for i in range(vals.size):
        c += mult[i]
        if c >= n:
            return vals[i]
    if tail.size:  # the n-th mode lies in the tail
        return tail_kappa_below(tail, n - c)
    return vals[vals.size - 1]


@njit(cache=True, **FAST)
def edge(vals, mult, tail, n, d, lam_min, trace, rtol, maxiter):
    """Smallest admissible renormalized ridge κ_e (df2(κ_e) = n) and the ridge there.

    For ``n < d`` the edge has ``κ_e > 0``; for ``n > d`` it has
    ``-λ_min < κ_e < 0``; for ``n == d`` it is ``κ_e = 0``. The minimum ridge is
    ``ridge_min = κ_e (1 - df1(κ_e)/n) <= 0``.

    Returns ``(kappa_edge, ridge_min, status, evals)``.
    """
    evals = 0
    if n < d:
        k0, status, ev = _ridgeless_root(vals, mult, tail, n, d, lam_min, trace, rtol, maxiter)
        evals += ev
        if tail.size:  # ≥ 4n+4 modes with L ≥ 1/2: df2 ≥ n + 1
            lo = np.log(tail_kappa_below(tail, 4.0 * n + 4.0))
        else:
            lo = np.log(lam_min * 0.5 * (np.sqrt(d / n) - 1.0))
        hi = np.log(k0)
        x, status2, ev = _newton(_F_LOG_EDGE, lo, hi, hi, vals, mult, tail, n, 0.0, _EPS4, rtol, maxiter)
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
        ke, status, ev = _newton(
            _F_LIN_EDGE, lo, 0.0, 0.0, vals, mult, tail, n, 0.0, rtol, rtol * lam_min * 1e-3, maxiter
        )
        evals += ev
    else:
        return 0.0, 0.0, STATUS_CONVERGED, 0
    d1 = _df12_with_tail(ke, vals, mult, tail)[0]
    return ke, ke * (1.0 - d1 / n), status, evals


@njit(cache=True)
def _trace(vals, mult):
    t = 0.0
    for i in range(vals.size):
        t += mult[i] * vals[i]
    return t


@njit(cache=True)
def _summary(vals, mult, tail):
    """``(d, λ_min, trace)``: rank, smallest head level and trace (tail included; d = inf with a tail)."""
    d = 0.0
    lam_min = np.inf
    for j in range(vals.size):
        d += mult[j]
        lam_min = min(lam_min, vals[j])
    trace = _trace(vals, mult)
    if tail.size:
        d = np.inf
        trace += tail_trace(tail)
    return d, lam_min, trace


@njit(cache=True)
def _log_start(vals, mult, tail, n, ridge, d, lam_min, trace):
    """Bracket and start in ``u = log κ`` for ``ridge >= 0``.

    Returns ``(closed, kappa, lo_u, hi_u, u0)``; ``closed`` means κ is known
    without iterating (``ridge = +inf``, ridgeless with ``n >= d``, or a
    bracket narrower than rounding).

    Bracket: κ ≥ ridge; κ ≥ κ_lo = λ_min (d - n)/(2n) when n < d (there
    df1 > n); κ ≤ ridge + tr Σ / n (there df1 ≤ n(1 - ridge/κ)); κ ≤
    ridge·n/(n - d) when n > d; with a tail (d = inf), κ ≥ s (M + 2n + 2)^-α
    (there ≥ 2n + 2 tail modes have L ≥ 1/2, so df1 > n). Start: ridge plus the eigenvalue of the n-th
    mode when n < d (κ₀ is within a small factor of it), else the upper end.
    """
    if ridge == np.inf:
        return True, np.inf, 0.0, 0.0, 0.0
    if ridge == 0.0 and n >= d:
        return True, 0.0, 0.0, 0.0, 0.0
    lo = ridge
    hi = ridge + trace / n
    if tail.size:
        lo = max(lo, tail_kappa_below(tail, 2.0 * n + 2.0))
    elif n < d:
        lo = max(lo, lam_min * 0.5 * (d - n) / n)
    elif n > d:
        hi = min(hi, ridge * n / (n - d))
    lo_u = np.log(lo)
    hi_u = np.log(hi)
    if not hi_u > lo_u:
        return True, hi, lo_u, hi_u, hi_u
    if n < d:
        u0 = min(max(np.log(ridge + nth_level(vals, mult, tail, n)), lo_u), hi_u)
    else:
        u0 = hi_u  # exact as ridge → 0 (κ = ridge·n/(n-d)) and as ridge → ∞
    return False, 0.0, lo_u, hi_u, u0


@njit(cache=True)
def _negative_ridge(vals, mult, tail, n, ridge, d, lam_min, trace, rtol, maxiter):
    """κ for ``ridge < 0``: root of ``κ(1 - df1/n) = ridge`` on ``[κ_e, κ₀]``.

    h(κ) = κ(1 - df1/n) is increasing and convex there; ``STATUS_BELOW_EDGE``
    if ``ridge < ridge_min = h(κ_e)``. Returns ``(kappa, status, evals)``.
    """
    ke, rmin, status, evals = edge(vals, mult, tail, n, d, lam_min, trace, rtol, maxiter)
    if ridge < rmin:
        return np.nan, STATUS_BELOW_EDGE, evals
    if n < d:
        k0, s0, ev = _ridgeless_root(vals, mult, tail, n, d, lam_min, trace, rtol, maxiter)
        evals += ev
    else:
        k0 = 0.0
    k, status2, ev = _newton(
        _F_LIN_KAPPA, ke, k0, k0, vals, mult, tail, n, ridge, rtol, rtol * abs(ridge) * 1e-3, maxiter
    )
    return k, max(status, status2), evals + ev


@njit(cache=True, parallel=True, **FAST)
def solve_grid(vals, mult, tail, n, ridge, rtol, maxiter, kappa, status, evals):
    """Fill ``kappa``, ``status``, ``evals`` for each broadcast point ``(n[i], ridge[i])``.

    Branches
    --------
    * ``ridge = +inf``: κ = +inf (the null predictor).
    * ``ridge = 0`` and ``n >= d``: κ = 0 (the limit ridge → 0⁺; Σ̂ is full rank).
    * ``ridge >= 0`` otherwise (ridgeless n < d included): root of
      ``log(n / (df1 + n·ridge/κ))`` (increasing in κ; the complement form
      ``_F_LOG_COMPLEMENT`` when ridgeless with finite rank and ``n ≥ d/2``,
      :func:`_ridgeless_form`) in ``u = log κ`` from :func:`_log_start`. The
      pass over the spectrum (:func:`.sums.moments`) is vectorized.
    * ``ridge < 0``: :func:`_negative_ridge`.

    Grid points are independent and run in parallel threads; each point's
    answer does not depend on the others or on the thread count.
    """
    d, lam_min, trace = _summary(vals, mult, tail)
    for i in prange(n.size):
        if ridge[i] < 0.0:
            kappa[i], status[i], evals[i] = _negative_ridge(
                vals, mult, tail, n[i], ridge[i], d, lam_min, trace, rtol, maxiter
            )
            continue
        closed, k, lo, hi, u = _log_start(vals, mult, tail, n[i], ridge[i], d, lam_min, trace)
        st = STATUS_CONVERGED
        it = 0
        if not closed:
            fn, par = _ridgeless_form(tail, n[i], d) if ridge[i] == 0.0 else (_F_LOG_KAPPA, ridge[i])
            u, st, it = _newton(fn, lo, hi, u, vals, mult, tail, n[i], par, _EPS4, rtol, maxiter)
            k = np.exp(u)
        kappa[i] = k
        status[i] = st
        evals[i] = it


@njit(cache=True)
def edge_grid(vals, mult, tail, n, rtol, maxiter, kappa_edge, ridge_min, status):
    """:func:`edge` for each ``n[i]``."""
    d, lam_min, trace = _summary(vals, mult, tail)
    for i in range(n.size):
        kappa_edge[i], ridge_min[i], status[i], _ = edge(vals, mult, tail, n[i], d, lam_min, trace, rtol, maxiter)


@njit(cache=True, parallel=True, **FAST)
def df12_grid(vals, mult, tail, kappa, df1, df2):
    """``df1, df2`` at each ``kappa[i]`` (κ = +inf gives 0; κ = 0 gives the rank, inf with a tail)."""
    for i in prange(kappa.size):
        if kappa[i] == np.inf:
            df1[i] = 0.0
            df2[i] = 0.0
        elif tail.size and kappa[i] <= 0.0:
            df1[i] = np.inf
            df2[i] = np.inf
        else:
            df1[i], df2[i] = _df12_with_tail(kappa[i], vals, mult, tail)


@njit(cache=True)
def _complex_newton(k, zt, vals, mult, tail, n, rtol, maxiter):
    """Newton on ``g(κ) = κ(1 - df1(κ)/n) + z`` from ``k``; returns ``(κ, converged)``.

    ``tail`` adds the complex power-law tail of ``df1, df2`` (:func:`.tail.tail_df12_complex`).

    A step that would cross to ``Im κ > 0`` (the unphysical sheet for
    ``Im z ≥ 0``) is halved back towards the real axis instead. Converged when
    the correction is below ``rtol·|κ|`` plus the rounding level of g over |g'|.
    """
    noise = 4.0 * _EPS * (1.0 + np.sqrt(vals.size))
    for it in range(maxiter):
        s1 = 0j
        s2 = 0j
        for j in range(vals.size):
            r = vals[j] / (vals[j] + k)
            s1 += mult[j] * r
            s2 += mult[j] * r * r
        if tail.size:
            t1, t2 = tail_df12_complex(k, tail)
            s1 += t1
            s2 += t2
        dg = 1.0 - s2 / n
        step = (k * (1.0 - s1 / n) + zt) / dg
        tol = rtol * abs(k) + noise * (abs(k) * (1.0 + abs(s1) / n) + abs(zt)) / abs(dg)
        kn = k - step
        if kn.imag > 0.0:
            kn = complex(kn.real, 0.5 * k.imag)
        k = kn
        if abs(step) <= tol:
            return k, True
    return k, False


@njit(cache=True)
def stieltjes_kappa_grid(vals, mult, tail, n, z, rtol, maxiter, kappa, status):
    """Complex κ(z) solving ``κ (1 - df1(κ)/n) = -z`` on the physical branch.

    Newton continued along ``z_t = Re z + i·η_t``, halving η from a large
    value (where κ ≈ -z + trace/n) down to ``Im z ≥ 0``. Below
    ``η_floor = 1e-10·(scale + |Re z|)`` a real-axis point is finished with
    at most 30 Newton steps at η = Im z; where those do not converge (a
    square-root edge of the support, where the root is double) the answer at
    ``η_floor`` is kept, an O(sqrt(η_floor)) smoothing.
    """
    trace = _trace(vals, mult) + tail_trace(tail)
    lam_max = 0.0
    for j in range(vals.size):
        lam_max = max(lam_max, vals[j])
    scale = lam_max + trace / n
    for i in range(z.size):
        zi = z[i]
        target = zi.imag
        floor = 1e-10 * (scale + abs(zi.real))
        eta = max(10.0 * (scale + abs(zi)), target)
        k = -complex(zi.real, eta) + trace / n
        ok = True
        while True:
            k, ok = _complex_newton(k, complex(zi.real, eta), vals, mult, tail, n, rtol, maxiter)
            if eta <= max(target, floor):
                break
            eta = max(eta * 0.5, target, floor)
        if target < eta:
            k_edge, ok_edge = _complex_newton(k, zi, vals, mult, tail, n, rtol, 30)
            if ok_edge:
                k = k_edge
        kappa[i] = k
        status[i] = STATUS_CONVERGED if ok else STATUS_NOT_CONVERGED
