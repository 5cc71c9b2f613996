# SPDX-License-Identifier: BSD-3-Clause
r"""Optimal ridge: the ridge minimizing the predicted test risk.

The ridge path is parameterized by κ (``ridge = κ(1 - df1(κ)/n)`` is increasing
on the admissible branch; Simon et al. 2021, Bach 2023), and

.. math::

    \mathrm{test}(\kappa) = \frac{n}{n-\mathrm{df}_2(\kappa)}\big(B_0(\kappa)+\sigma^2\big),
    \qquad
    \frac{d\,\mathrm{test}}{d\kappa} = 2E_0\Big[S_v - \frac{B_0+\sigma^2}{n-\mathrm{df}_2}S_\lambda\Big],

with ``B0 = Σ v²(1-L)²``, ``S_v = Σ v² κλ/(λ+κ)³``, ``S_λ = Σ λ²/(λ+κ)³``
(first-order condition of ``one_point_ridge_krr.md`` §2.2, verified here
against direct minimization). Test risks can have several local minima
(multiple descent for gapped spectra), so a log-spaced scan of κ locates the
global minimum and a bracketed root of the derivative refines it to machine
precision. ``ridge = +inf`` (the null predictor, test ``Σ v² + σ²``) is a
candidate.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from .._validation import as_count, as_nonnegative
from ..resolvent.onepoint import edge_levels, kappa_on_levels, prepare_task
from .ridge import risk_from_kappa, spectral_sums

__all__ = ["optimal_ridge", "optimal_on_levels"]

_SCAN = 241  # points of the global scan in κ


def _test_and_slope(levels, tpow, noise, n, kappa):
    d1, d2, b0, sv, sl, _ = spectral_sums(levels, tpow, kappa)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = n - d2
        # at n = rank ridgeless (gap = 0) a noiseless, fully learned task still has test = 0
        test = np.where(gap > 0, n / gap * (b0 + noise), np.where(b0 + noise == 0, 0.0, np.inf))
        slope = sv - (b0 + noise) / gap * sl
    return test, slope


def _optimum_one(levels, tpow, noise, n, allow_negative):
    """``κ*`` for scalar n, noise (``+inf`` for the null predictor)."""
    lam_max = levels.vals[0]
    trace = levels.trace()
    if allow_negative and n != levels.rank:
        k_lo = float(edge_levels(levels, np.array([n]))[0][0])
    else:
        k_lo = float(kappa_on_levels(levels, n, 0.0))
    k_hi = 1e8 * (lam_max + trace / n)
    if k_lo > 0:
        grid = np.geomspace(k_lo, k_hi, _SCAN)
    else:
        # κ = k_lo ≤ 0: linear part up to 0, then a log scan from far below the spectrum
        lam_min = levels.vals[-1]
        neg = np.linspace(k_lo, 0.0, 41)[:-1] if k_lo < 0 else np.empty(0)
        grid = np.concatenate([neg, [0.0], np.geomspace(lam_min * 1e-10, k_hi, _SCAN)])
    test, slope = _test_and_slope(levels, tpow, noise, n, grid)
    null = levels.target_total(tpow) + noise
    i = int(np.argmin(test))
    if test[i] == 0.0:
        return grid[i]  # a perfect fit cannot be improved on
    if test[i] >= null and not (slope[-1] > 0):
        return np.inf
    if i == 0 and slope[0] >= 0:
        return grid[0]
    lo = grid[max(i - 1, 0)]
    hi = grid[min(i + 1, grid.size - 1)]
    f = lambda k: float(_test_and_slope(levels, tpow, noise, n, np.array([k]))[1][0])  # noqa: E731
    flo, fhi = f(lo), f(hi)
    if flo < 0 < fhi:
        if lo > 0:
            kstar = float(np.exp(brentq(lambda u: f(np.exp(u)), np.log(lo), np.log(hi), xtol=1e-15, rtol=1e-15)))
        else:  # the bracket touches or contains κ = 0: absolute tolerance on its scale
            kstar = brentq(f, lo, hi, xtol=1e-15 * max(abs(lo), abs(hi)), rtol=1e-15, maxiter=400)
    else:  # flat bottom: the scanned minimum is as good as the resolution allows
        kstar = grid[i]
    return max(kstar, k_lo)


def optimal_ridge(eigs, target_power, noise, n, *, allow_negative: bool = False):
    r"""Ridge minimizing the predicted test risk, and the risk there.

    Parameters
    ----------
    eigs, target_power, noise, n
        As in :func:`rmt.ridge_risk` (infinite ``PowerLaw`` spectra and tasks
        included); broadcast over ``noise`` and ``n``.
    allow_negative : bool
        Search negative ridges too, down to the admissible edge
        (:func:`rmt.ridge_edge`). Default: ``ridge ≥ 0``.

    Returns
    -------
    ridge_star : float or ndarray
        The optimal ridge; ``+inf`` when the null predictor ``f̂ = 0`` is best
        (e.g. a pure-noise task), 0 when interpolation is optimal.
    result : RidgeRisk
        :func:`rmt.ridge_risk` at ``ridge_star``.

    Notes
    -----
    For an aligned task ``target_power = c·eigs`` the optimum is exactly
    ``ridge* = noise/(n c)`` for every spectrum (in Simon et al.'s units
    ``δ* = σ²/c``), with ``test* = n c κ*``.
    """
    levels, tpow = prepare_task(eigs, target_power)
    noise = as_nonnegative(noise, "noise")
    n = as_count(n, "n")
    noise_b, n_b = np.broadcast_arrays(noise, n)
    rstar, result = optimal_on_levels(levels, tpow, noise_b, n_b, allow_negative)
    return (rstar[()] if rstar.ndim == 0 else rstar), result


def optimal_on_levels(levels, tpow, noise_b, n_b, allow_negative):
    """:func:`optimal_ridge` on prepared levels and broadcast ``noise``, ``n`` arrays: ``(ridge*, RidgeRisk)``."""
    kstar = np.empty(noise_b.shape)
    rstar = np.empty(noise_b.shape)
    for idx in np.ndindex(noise_b.shape):
        nn = float(n_b[idx])
        k = _optimum_one(levels, tpow, float(noise_b[idx]), nn, allow_negative)
        kappa0 = float(kappa_on_levels(levels, nn, 0.0))
        if not allow_negative and k <= kappa0 * (1 + 1e-12):
            k, r = kappa0, 0.0  # interpolation (the ridge → 0⁺ limit) is optimal
        elif np.isinf(k):
            r = np.inf
        else:
            r = k * (1.0 - spectral_sums(levels, tpow, np.array([k]))[0][0] / nn)
        kstar[idx] = k
        rstar[idx] = r
    return rstar, risk_from_kappa(levels, tpow, noise_b, n_b, rstar, kstar)
