# SPDX-License-Identifier: BSD-3-Clause
r"""Spectral sums of the one-point function in arbitrary precision (mpmath), tails included.

The referee's counterpart of :func:`rmt._kernels.onepoint.spectral_sums_grid`:
at one κ (an ``mpf``), with ``L_k = λ_k/(λ_k+κ)``,

* ``df1 = Σ m_k L_k``, ``df2 = Σ m_k L_k²``, ``df1_minus_df2 = Σ m_k L_k(1 − L_k)``,
* ``B0 = Σ v_k² (1 − L_k)²``,

summed with :func:`mpmath.fsum` over the explicit levels, plus, for an infinite
power law ``λ_k = s k^{-α}``, ``v_k² = t k^{-β}`` (``k > M``), the tail by
:func:`mpmath.sumem` (the Euler–Maclaurin formula with numerically exact
integral and derivatives at the working precision) — an independent method from
the compiled incomplete-beta tails. (``nsum``'s default Richardson/Shanks
extrapolation is wrong by several percent on these slowly decaying sums.)
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from .._kernels import tail as T
from . import _mp

__all__ = ["df_grid", "kappa_with_tail", "level_sums", "mp_levels", "spectral_sums", "tail_terms", "zeta_tail"]


def tail_terms(tail, kappa, which=("df1", "df2", "B0", "df1_minus_df2")):
    """The power-law tail ``k > M`` of the sums named in ``which`` at ``κ`` (``mpmath.sumem``); a dict."""
    M = int(tail[T.TAIL_M])
    a, s = mp.mpf(float(tail[T.TAIL_ALPHA])), mp.mpf(float(tail[T.TAIL_SCALE]))
    b, t = mp.mpf(float(tail[T.TAIL_BETA])), mp.mpf(float(tail[T.TAIL_TSCALE]))

    def L(k):
        lam = s * k ** (-a)
        return lam / (lam + kappa)

    terms = {
        "df1": L,
        "df2": lambda k: L(k) ** 2,
        "df1_minus_df2": lambda k: L(k) * (1 - L(k)),
        "B0": lambda k: t * k ** (-b) * (1 - L(k)) ** 2,
        # the optimal-ridge path's derivative sums (rmt.risk.optimal): S_v = Σ v² κλ/(λ+κ)³, S_λ = Σ λ²/(λ+κ)³
        "T": lambda k: t * k ** (-b) * L(k) * (1 - L(k)),
        "S_v": lambda k: t * k ** (-b) * L(k) * (1 - L(k)) / (s * k ** (-a) + kappa),
        "S_lam": lambda k: L(k) ** 2 / (s * k ** (-a) + kappa),
    }
    rng = [M + 1, mp.inf]
    out = {}
    # sumem's numerical derivatives lose ~10 digits: sum with guard digits, return at the caller's precision
    with mp.extradps(15):
        for key in which:
            out[key] = mp.mpf(0) if key in ("B0", "T", "S_v") and t == 0 else mp.sumem(terms[key], rng)
    return {k: +v for k, v in out.items()}


#: Per-level terms of the named one-κ sums, with ``L = λ/(λ+κ)``, ``u = κ/(λ+κ)`` (``m`` the
#: multiplicity, ``v`` the target power of the level); the same names as :func:`tail_terms`.
_LEVEL_TERMS = {
    "df1": lambda lam, m, v, L, u, k: m * L,
    "df2": lambda lam, m, v, L, u, k: m * L * L,
    "df1_minus_df2": lambda lam, m, v, L, u, k: m * L * u,
    "B0": lambda lam, m, v, L, u, k: v * u * u,
    "T": lambda lam, m, v, L, u, k: v * L * u,
    "S_v": lambda lam, m, v, L, u, k: v * L * u / (lam + k),
    "S_lam": lambda lam, m, v, L, u, k: m * L * L / (lam + k),
}
#: The sums that diverge at ``κ = 0`` on an infinite power law (``L = 1`` on infinitely many modes).
_DIVERGENT_AT_ZERO = ("df1", "df2", "df1_minus_df2", "S_lam")


def zeta_tail(scale, exponent, M):
    """``scale · Σ_{k>M} k^{-exponent} = scale (ζ(exponent) − Σ_{k≤M} k^{-exponent})`` (``mpf``)."""
    b = mp.mpf(float(exponent))
    return mp.mpf(float(scale)) * (mp.zeta(b) - mp.fsum(mp.mpf(k) ** (-b) for k in range(1, int(M) + 1)))


def mp_levels(levels, tpow):
    """The explicit levels as ``mpf`` triples ``(λ, m, v)``: converted once by callers that sum at many κ."""
    return [(mp.mpf(float(lam)), mp.mpf(float(m)), mp.mpf(float(v)))
            for lam, m, v in zip(levels.all_vals, levels.all_mult, tpow)]


def level_sums(levels, tpow, kappa, which, triples=None):
    """The one-κ sums named in ``which`` (keys of ``_LEVEL_TERMS``) at one ``κ``: a dict of ``mpf``, tails included.

    Each is :func:`mpmath.fsum` over the explicit levels (``triples`` from
    :func:`mp_levels`, computed here if not given) plus, for an infinite power
    law, the tail: :func:`tail_terms` at ``0 < κ < ∞``, the null-target tail
    ``Σ_{k>M} v_k²`` of ``B0`` at ``κ = ∞``, and ``inf`` for the sums that
    diverge at ``κ = 0``. Zero eigenvalues have ``L = 0``; ``κ = inf`` gives ``L = 0``.
    """
    kappa = mp.mpf(kappa)
    terms = {key: [] for key in which}
    for lam, m, v in mp_levels(levels, tpow) if triples is None else triples:
        if lam == 0 or mp.isinf(kappa):
            if "B0" in terms:
                terms["B0"].append(v)
            continue
        L = lam / (lam + kappa)
        u = kappa / (lam + kappa)
        for key, out in terms.items():
            out.append(_LEVEL_TERMS[key](lam, m, v, L, u, kappa))
    sums = {key: mp.fsum(x) for key, x in terms.items()}
    if levels.tail.size:
        tail = levels.tail
        if mp.isinf(kappa):
            if "B0" in sums and tail[T.TAIL_TSCALE] > 0:
                sums["B0"] += zeta_tail(tail[T.TAIL_TSCALE], tail[T.TAIL_BETA], tail[T.TAIL_M])
        elif kappa == 0:
            for key in _DIVERGENT_AT_ZERO:
                if key in sums:
                    sums[key] = mp.inf
        else:
            tt = tail_terms(tail, kappa, tuple(which))
            for key in sums:
                sums[key] += tt[key]
    return sums


def spectral_sums(levels, tpow, kappa):
    """``dict(df1, df2, B0, df1_minus_df2)`` at one ``κ`` (``mpf``, ≥ 0 or ``inf``), at the current precision.

    Zero eigenvalues have ``L = 0``; ``κ = 0`` gives ``L = 1`` on positive modes
    (and infinite tail sums); ``κ = inf`` gives ``L = 0``. See :func:`level_sums`.
    """
    return level_sums(levels, tpow, kappa, ("df1", "df2", "B0", "df1_minus_df2"))


def df_levels(levels, kappa, which="df1"):
    """``df1`` or ``df2`` alone at one ``κ`` (``mpf``; > 0 for a tail, > -λ_min otherwise), tails included."""
    kappa = mp.mpf(kappa)
    if mp.isinf(kappa):
        return mp.mpf(0)
    power = 1 if which == "df1" else 2
    total = mp.fsum(mp.mpf(float(m)) * (mp.mpf(float(v)) / (mp.mpf(float(v)) + kappa)) ** power
                    for v, m in zip(levels.vals, levels.mult))
    if levels.tail.size:
        total += tail_terms(levels.tail, kappa, (which,))[which]
    return total


def df_grid(levels, kappa, which, dps):
    """Backend of :func:`rmt.df1` / :func:`rmt.df2` with ``method="mpmath"``: object array of ``mpf``."""
    kf = np.asarray(kappa, dtype=np.float64)
    out = np.empty(kf.shape, dtype=object)
    with mp.workdps(dps):
        for idx in np.ndindex(kf.shape):
            out[idx] = +df_levels(levels, mp.mpf(float(kf[idx])), which)
    return out


def _trace(levels):
    tr = mp.fsum(mp.mpf(float(v)) * mp.mpf(float(m)) for v, m in zip(levels.all_vals, levels.all_mult))
    if levels.tail.size:
        tail = levels.tail
        tr += zeta_tail(tail[T.TAIL_SCALE], tail[T.TAIL_ALPHA], tail[T.TAIL_M])
    return tr


def kappa_with_tail(levels, n, ridge):
    """κ(n, ridge) of an infinite power law at the current precision; ``None`` below the admissible edge.

    ``ridge ≥ 0``: solves ``1 − ridge/κ − df1(κ)/n = 0`` (increasing in κ) with the referee's
    bracketed solver (:func:`rmt.resolvent._mp._bracketed`: Illinois, residual
    verified) on ``[lo, log(ridge + tr Σ/n)]``, the lower end lowered until the
    residual is negative. ``ridge < 0`` (the rank is infinite, so ``n < rank``): the edge
    ``κ_e ∈ (0, κ₀)`` solves ``df2(κ_e) = n`` (bracketed in ``log κ``), then
    ``κ(1 − df1(κ)/n) = ridge`` on ``[κ_e, κ₀]`` (increasing there).
    """
    n, ridge = mp.mpf(n), mp.mpf(ridge)
    if mp.isinf(ridge):
        return mp.inf
    if ridge < 0:
        k0 = kappa_with_tail(levels, n, mp.mpf(0))
        ke = ridge_edge_with_tail(levels, n, k0)
        rmin = ke * (1 - df_levels(levels, ke) / n)
        if ridge < rmin:
            return None
        return mp.exp(_mp._bracketed(lambda u: (mp.exp(u) * (1 - df_levels(levels, mp.exp(u)) / n) - ridge) / ke,
                                     mp.log(ke), mp.log(k0)))

    def g(u):
        return 1 - ridge / mp.exp(u) - df_levels(levels, mp.exp(u)) / n

    hi = mp.log(ridge + _trace(levels) / n)
    lo = mp.log(ridge) if ridge > 0 else hi - 10
    while g(lo) > 0:
        lo -= 10
    return mp.exp(_mp._bracketed(g, lo, hi))


def ridge_edge_with_tail(levels, n, k0=None):
    """The edge ``κ_e`` (``df2(κ_e) = n``, ``0 < κ_e < κ₀``) of an infinite power law, bracketed in ``log κ``."""
    n = mp.mpf(n)
    k0 = kappa_with_tail(levels, n, mp.mpf(0)) if k0 is None else k0

    def g(u):
        return 1 - df_levels(levels, mp.exp(u), "df2") / n

    lo = mp.log(k0) - 2
    while g(lo) > 0:
        lo -= 5
    return mp.exp(_mp._bracketed(g, lo, mp.log(k0)))
