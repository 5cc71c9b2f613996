# SPDX-License-Identifier: BSD-3-Clause
r"""Arbitrary-precision referee of :func:`rmt.rf_ridge_risk` (``method="mpmath"``).

The input-level ridge γ is bracketed in ``log γ`` by the referee's Illinois solver
(:func:`rmt.resolvent._mp._bracketed`, residual verified), the chain sums are
``mpmath.fsum`` over the levels plus ``mpmath.sumem`` power-law tails
(:mod:`rmt.resolvent._mp_sums`), the slacks are plain differences at ``dps``
digits, and every risk field comes from the *same* formula code as the float path
(:func:`rmt.risk._assembly.rf_parts` over the mpmath context).

Equations (module notes of :mod:`rmt.risk.random_features`): ``z̄(γ) = df1(γ) + c/γ``,

* ridgeless: ``z̄(γ₀) = min(n, p)`` (``γ₀ = 0`` when ``c = 0`` and ``min(n, p) ≥ rank``),
  the binding factor's slack exactly 0 and the other ``|n − p|``;
* ``ridge > 0``: ``F(γ) = γ (1 − z̄/n)(1 − z̄/p) = ridge/μ₁²``, ``F`` increasing on
  ``(γ₀, ∞)``, bracketed by ``[γ₀, ridge/μ₁² + (tr Σ + c)(1/n + 1/p)]`` (since ``γ z̄ ≤ tr Σ + c``).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from ..resolvent import _mp
from ..resolvent._mp_sums import _trace, df_levels, level_sums
from ._assembly import MPMATH, rf_parts

__all__ = ["chain_sums", "gamma", "gamma0", "rf_risk_fields", "slacks"]


def chain_sums(levels, tpow, g):
    """``(z, ez, B0, T)`` at one γ (``mpf`` ≥ 0 or ``inf``): ``Σ mL``, ``Σ mL(1−L)``, ``Σ v²(1−L)²``, ``Σ v²L(1−L)``."""
    sums = level_sums(levels, tpow, g, ("df1", "df1_minus_df2", "B0", "T"))
    return sums["df1"], sums["df1_minus_df2"], sums["B0"], sums["T"]


def _zbar(levels, c, g):
    return df_levels(levels, g) + (c / g if c > 0 else 0)


def gamma0(levels, n, p, c):
    """The ridgeless input-level ridge: ``z̄(γ₀) = min(n, p)`` (0 when ``c = 0`` and ``min(n, p) ≥ rank``)."""
    m = min(n, p)
    if c == 0 and not levels.infinite and m >= mp.mpf(float(levels.rank)):
        return mp.mpf(0)

    def g(u):
        return 1 - _zbar(levels, c, mp.exp(u)) / m

    hi = mp.log((_trace(levels) + c) / m)
    lo = hi - 10
    while g(lo) > 0:
        lo -= 10
    return mp.exp(_mp._bracketed(g, lo, hi))


def gamma(levels, n, p, c, ridge_eff):
    """γ(n, p, ridge/μ₁²) at the current precision (``mpf``); see the module notes."""
    if mp.isinf(ridge_eff):
        return mp.inf
    g0 = gamma0(levels, n, p, c)
    if ridge_eff == 0:
        return g0

    def f(u):
        g = mp.exp(u)
        zb = _zbar(levels, c, g)
        a, b = n - zb, p - zb
        if a <= 0 or b <= 0:  # (only probed below the bracket) at γ₀ to the working precision
            return mp.mpf(-1)
        return 1 - ridge_eff * n * p / (g * a * b)

    hi = mp.log(ridge_eff + (_trace(levels) + c) * (1 / n + 1 / p))
    if g0 == 0:
        lo = mp.log(ridge_eff)  # F(γ) ≤ γ
    else:
        # γ − γ₀ shrinks with the ridge; below 10^-(dps-10)·γ₀ it is not resolved and γ = γ₀ to the
        # working precision (the binding slack then comes from the root equation: :func:`slacks`)
        step, floor = mp.mpf(10) ** -3, mp.mpf(10) ** -(mp.mp.dps - 10)
        lo = mp.log(g0) + step
        while f(lo) > 0:
            step /= 1000
            if step < floor:
                return g0
            lo = mp.log(g0) + step
    return mp.exp(_mp._bracketed(f, lo, hi))


def slacks(n, p, g, z, cg, r_eff):
    """``(a, b) = (n − z̄, p − z̄)``; for ``ridge > 0`` the smaller one from the root equation,
    ``a_min = (ridge/μ₁²) n p/(γ a_other)`` (exact at the root, however far below the working precision
    ``γ − γ₀`` lies, as the float path's :func:`rmt.resolvent.free.chain_slacks`); at ``ridge = 0`` the
    narrower factor is saturated exactly (``z̄ = min(n, p)``)."""
    if mp.isinf(g):
        return n, p
    if r_eff == 0:
        if g == 0:
            return n - z, p - z
        m = min(n, p)
        return n - m, p - m
    a, b = n - (z + cg), p - (z + cg)
    if g > 0:
        if a <= b and b > 0:
            a = r_eff * n * p / (g * b)
        elif b < a and a > 0:
            b = r_eff * n * p / (g * a)
    return a, b


FIELDS = ("excess", "test", "train", "bias", "variance", "bias_mean_predictor", "variance_data", "variance_features",
          "variance_data_features", "variance_noise", "variance_noise_features", "kappa", "kappa_features", "df1",
          "df2", "E0")


def rf_risk_fields(levels, tpow, noise, n, p, ridge, c, mu1sq, dps):
    """Object arrays of ``mpf`` for every :class:`rmt.RFRidgeRisk` risk field (flat float inputs)."""
    out = {f: np.empty(n.shape, dtype=object) for f in FIELDS}
    with mp.workdps(dps):
        mu = mp.mpf(float(mu1sq))
        for i in range(n.size):
            nn, pp, ss = mp.mpf(float(n[i])), mp.mpf(float(p[i])), mp.mpf(float(noise[i]))
            cc, rr = mp.mpf(float(c[i])), mp.mpf(float(ridge[i]))
            r_eff = rr / mu
            g = gamma(levels, nn, pp, cc, r_eff)
            z, ez, b0, t = chain_sums(levels, tpow, g)
            cg = cc / g if cc > 0 and not mp.isinf(g) else mp.mpf(0)
            a, b = slacks(nn, pp, g, z, cg, r_eff)
            parts = rf_parts(MPMATH, noise=ss, n=nn, p=pp, ridge_eff=r_eff, mu1sq=mu, gamma=g, noise_dof=cg,
                             z=z, ez=ez, b0=b0, t=t, a=a, b=b)
            for f in FIELDS:
                out[f][i] = +mp.mpf(parts[f])
    return out
