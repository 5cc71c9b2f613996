# SPDX-License-Identifier: BSD-3-Clause
r"""Arbitrary-precision referee of :func:`rmt.optimal_ridge` and :func:`rmt.overfitting_cost` (``method="mpmath"``).

Along the ridge path ``ridge(κ) = κ(1 − df1(κ)/n)`` the test risk and the sign of its
slope come from the *same* formula code as the float path
(:func:`rmt.risk._assembly.path_test_slope`), fed by ``mpmath.fsum`` sums (and
``mpmath.sumem`` power-law tails, :mod:`rmt.resolvent._mp_sums`); the risk at the
optimum from :func:`rmt.risk._assembly.ridge_parts`.

The search, per grid point:

* finite spectrum: its own scan of κ at ``dps`` digits (16 points per decade from the
  lower end — ``κ₀`` for ``ridge ≥ 0``, the edge ``κ_e`` with ``allow_negative`` — to
  ``10⁸(λ_max + tr Σ/n)``, plus 40 linear points on ``(κ_e, 0]`` when ``κ_e < 0``);
  the lower end, the scan minimum and the null predictor (``Σ v² + σ²``) compared;
* infinite power law (a sum costs seconds): the float path's answer is the *seed* — its
  kind (ridgeless, null or interior) and its κ*, around which a bracket is grown
  geometrically until the slope changes sign;

then the slope's root is bracketed by Illinois (:func:`rmt.resolvent._mp._bracketed`,
verified to ``dps − 8`` digits) and compared with both ends of the path.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from ..resolvent import _mp
from ..resolvent._mp_sums import _trace, level_sums, mp_levels, ridge_edge_with_tail, spectral_sums
from ._assembly import MPMATH, overfitting_cost_parts, path_test_slope, ridge_parts
from ._mp_ridge import FIELDS as RIDGE_FIELDS
from ._mp_ridge import _kappa

__all__ = ["optimal_fields", "overfitting_fields"]

_PER_DECADE = 16


class _MpPath:
    """The path sums ``(df1, B0, S_v, S_λ, df1 − df2)`` at one κ > −λ_min, at the current precision."""

    def __init__(self, levels, tpow):
        self.levels = levels
        self.tpow = tpow
        self.levels_mp = mp_levels(levels, tpow)  # converted once: the path is summed at many κ
        self.null = level_sums(levels, tpow, mp.inf, ("B0",))["B0"]  # Σ v² (tail included)
        self.evaluations = 0

    def sums(self, k):
        self.evaluations += 1
        return level_sums(self.levels, self.tpow, k, ("df1", "B0", "S_v", "S_lam", "df1_minus_df2"),
                          triples=self.levels_mp)

    def test_slope(self, k, n, noise, fit=None):
        return path_test_slope(MPMATH, n=n, noise=noise, fit=fit, **self.sums(k))


def _lower_end(levels, n, allow_negative):
    """``(κ_lo, ridge_lo)``: ``(κ₀, 0)``, or the admissible edge with ``allow_negative``."""
    k0 = _kappa(levels, n, mp.mpf(0))
    if not allow_negative:
        return k0, mp.mpf(0)
    if levels.infinite:
        ke = ridge_edge_with_tail(levels, n, k0)
    else:
        vals, mult = _mp.mpf_levels(levels)
        ke, _ = _mp.ridge_edge(vals, mult, n)
    if ke == 0:
        return mp.mpf(0), mp.mpf(0)
    from ..resolvent._mp_sums import df_levels

    return ke, ke * (1 - df_levels(levels, ke) / n)


def _root(path, n, noise, lo, hi):
    """The slope's root in ``[lo, hi]`` (a sign change), scaled to a relative residual."""
    def f(k):
        s = path.sums(k)
        gap = (n - s["df1"]) + s["df1_minus_df2"]
        sig = s["B0"] + noise
        scale = abs(s["S_v"] * gap) + abs(sig * s["S_lam"])
        return (s["S_v"] * gap - sig * s["S_lam"]) / scale if scale else mp.mpf(0)

    return _mp._bracketed(f, lo, hi)


def _optimum(path, levels, n, noise, allow_negative, seed):
    """``(κ*, ridge*)`` at one point (``mpf``; ``ridge* = inf`` for the null predictor)."""
    k_lo, r_lo = _lower_end(levels, n, allow_negative)
    fit_lo = (1 - path.sums(k_lo)["df1"] / n) if k_lo == 0 else r_lo / k_lo
    test_lo, slope_lo = path.test_slope(k_lo, n, noise, fit_lo)
    test_null = path.null + noise
    if levels.infinite:
        kind, k_seed = seed
        cands = []
        if kind == "interior":
            k_seed = mp.mpf(k_seed)
            lo, hi, step = k_seed, k_seed, mp.mpf(10) ** -6
            while True:
                lo, hi = max(k_seed * (1 - step), (k_seed + k_lo) / 2), k_seed * (1 + step)
                if path.test_slope(lo, n, noise)[1] < 0 < path.test_slope(hi, n, noise)[1]:
                    break
                step *= 10
                if step > 1e3:
                    raise ArithmeticError("mpmath referee: no sign change of the slope around the float optimum")
            k = _root(path, n, noise, lo, hi)
            cands.append((path.test_slope(k, n, noise)[0], 2, k, None))
        cands += [(test_lo, 0, k_lo, r_lo), (test_null, 1, mp.inf, mp.inf)]
    else:
        lam = [v for v, _, _ in path.levels_mp if v > 0]
        k_hi = mp.mpf(10) ** 8 * (max(lam) + _trace(levels) / n)
        bottom = k_lo if k_lo > 0 else min(lam) * mp.mpf(10) ** -10
        count = max(int(mp.ceil(_PER_DECADE * mp.log10(k_hi / bottom))) + 1, 8)
        xs = [bottom * (k_hi / bottom) ** (mp.mpf(i) / (count - 1)) for i in range(count)]
        if k_lo < 0:
            xs = [k_lo + (0 - k_lo) * mp.mpf(i) / 40 for i in range(1, 41)] + xs
        xs = [x for x in xs if x > k_lo]
        ts = [path.test_slope(x, n, noise) for x in xs]
        cands = [(test_lo, 0, k_lo, r_lo), (test_null, 1, mp.inf, mp.inf)]
        j = min(range(len(xs)), key=lambda i: ts[i][0])
        # the bracket around the scan minimum (the lower end for a missing left neighbour)
        left = (xs[j - 1], ts[j - 1][1]) if j > 0 else (k_lo, slope_lo)
        right = (xs[j + 1], ts[j + 1][1]) if j + 1 < len(xs) else None
        brackets = []
        if left[1] < 0 < ts[j][1]:
            brackets.append((left[0], xs[j]))
        if right is not None and ts[j][1] < 0 < right[1]:
            brackets.append((xs[j], right[0]))
        for lo, hi in brackets:
            if lo == k_lo and k_lo != 0:
                lo = k_lo + (hi - k_lo) * mp.mpf(10) ** -(mp.mp.dps // 2)  # the sums at the edge itself
            k = _root(path, n, noise, lo, hi)
            cands.append((path.test_slope(k, n, noise)[0], 2, k, None))
        cands.append((ts[j][0], 2, xs[j], None))
    # candidates (test, tag, κ, ridge): the lower end (tag 0) wins ties, then the null predictor (1), then the interior
    _, _, k, r = min(cands, key=lambda c: (c[0], c[1]))
    if r is None:
        r = k * (1 - path.sums(k)["df1"] / n)
    return k, r


def optimal_fields(levels, tpow, noise, n, allow_negative, dps, seeds=None):
    """``(ridge*, RidgeRisk fields, evaluations)`` as object arrays of ``mpf`` on ``noise``'s shape."""
    shape = np.shape(n)
    ridge = np.empty(shape, dtype=object)
    evals = np.empty(shape)
    out = {f: np.empty(shape, dtype=object) for f in RIDGE_FIELDS}
    with mp.workdps(dps):
        path = _MpPath(levels, tpow)
        for idx in np.ndindex(shape):
            nn, ss = mp.mpf(float(n[idx])), mp.mpf(float(noise[idx]))
            path.evaluations = 0
            k, r = _optimum(path, levels, nn, ss, allow_negative, None if seeds is None else seeds[idx])
            sums = spectral_sums(levels, tpow, k)
            parts = ridge_parts(MPMATH, noise=ss, n=nn, ridge=r, kappa=k, **sums)
            values = dict(parts, kappa=k, df1=sums["df1"], df2=sums["df2"])
            for f in RIDGE_FIELDS:
                out[f][idx] = +mp.mpf(values[f])
            ridge[idx] = +mp.mpf(r)
            evals[idx] = path.evaluations + 1
    return ridge, out, evals


def overfitting_fields(t0, topt, dps):
    """``(test_optimal, cost)`` object arrays from the ridgeless and the optimal test risks (``mpf``)."""
    shape = np.shape(t0)
    top, cost = np.empty(shape, dtype=object), np.empty(shape, dtype=object)
    with mp.workdps(dps):
        for idx in np.ndindex(shape):
            a, b = overfitting_cost_parts(MPMATH, t0[idx], topt[idx])
            top[idx], cost[idx] = +mp.mpf(a), +mp.mpf(b)
    return top, cost


def _seeds(levels, tpow, noise, n, allow_negative):
    """The float path's kind and κ* per point (seeds of the referee on an infinite power law)."""
    import warnings

    from .optimal import optimal_on_levels

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        best = optimal_on_levels(levels, tpow, noise, n, allow_negative)
    r = np.asarray(best.ridge, dtype=float)
    k = np.asarray(best.risk.kappa, dtype=float)
    E0 = np.asarray(best.risk.E0, dtype=float)
    seeds = np.empty(np.shape(n), dtype=object)
    for idx in np.ndindex(seeds.shape):
        if np.isinf(r[idx]):
            seeds[idx] = ("null", None)
        elif (r[idx] == 0 and not allow_negative) or np.isinf(E0[idx]):
            seeds[idx] = ("lower", None)
        else:
            seeds[idx] = ("interior", float(k[idx]))
    return seeds


def _ridge_risk(out, ridge, n, noise):
    from .._arrays import float_output
    from .ridge import RidgeRisk

    return RidgeRisk(**{k: (v[()] if v.ndim == 0 else v) for k, v in out.items()}, ridge=_obj(ridge),
                     n=float_output(n), noise=float_output(noise))


def _obj(x):
    return x[()] if x.ndim == 0 else x


def optimal_result(levels, tpow, noise, n, allow_negative, dps):
    """The ``method="mpmath"`` :class:`rmt.risk.optimal.OptimalRidge` (``mpf`` fields; ``status`` 0)."""
    from .optimal import OptimalRidge

    seeds = _seeds(levels, tpow, noise, n, allow_negative) if levels.infinite else None
    ridge, out, evals = optimal_fields(levels, tpow, noise, n, allow_negative, dps, seeds)
    status = np.zeros(np.shape(n), dtype=np.int64)
    return OptimalRidge(_obj(ridge), _ridge_risk(out, ridge, n, noise), status[()], evals[()] if evals.ndim == 0
                        else evals)


def overfitting_result(levels, tpow, noise, n, allow_negative, dps):
    """The ``method="mpmath"`` :class:`rmt.OverfittingCost` (``mpf`` fields)."""
    from ._mp_ridge import ridge_risk_fields
    from .overfitting import OverfittingCost

    zero = np.zeros(np.shape(n))
    ridgeless = _ridge_risk(ridge_risk_fields(levels, tpow, noise, n, zero, dps), zero, n, noise)
    best = optimal_result(levels, tpow, noise, n, allow_negative, dps)
    t0 = np.asarray(ridgeless.test, dtype=object)
    topt, cost = overfitting_fields(t0, np.asarray(best.risk.test, dtype=object), dps)
    return OverfittingCost(_obj(cost), best.ridge, _obj(t0), _obj(topt), ridgeless.E0, ridgeless, best.risk,
                           best.status)
