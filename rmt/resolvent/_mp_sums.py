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

from .._kernels import tail as T
from . import _mp

__all__ = ["spectral_sums", "tail_terms"]


def tail_terms(tail, kappa):
    """``(df1, df2, B0, df1 - df2)`` of the power-law tail ``k > M`` at ``κ`` (mpmath ``nsum``)."""
    M = int(tail[T.TAIL_M])
    a, s = mp.mpf(float(tail[T.TAIL_ALPHA])), mp.mpf(float(tail[T.TAIL_SCALE]))
    b, t = mp.mpf(float(tail[T.TAIL_BETA])), mp.mpf(float(tail[T.TAIL_TSCALE]))

    def L(k):
        lam = s * k ** (-a)
        return lam / (lam + kappa)

    rng = [M + 1, mp.inf]
    # sumem's numerical derivatives lose ~10 digits: sum with guard digits, return at the caller's precision
    with mp.extradps(15):
        df1 = mp.sumem(L, rng)
        df2 = mp.sumem(lambda k: L(k) ** 2, rng)
        dd = mp.sumem(lambda k: L(k) * (1 - L(k)), rng)
        B0 = mp.sumem(lambda k: t * k ** (-b) * (1 - L(k)) ** 2, rng) if t > 0 else mp.mpf(0)
    return +df1, +df2, +B0, +dd


def spectral_sums(levels, tpow, kappa):
    """``dict(df1, df2, B0, df1_minus_df2)`` at one ``κ`` (``mpf``, ≥ 0 or ``inf``), at the current precision.

    Zero eigenvalues have ``L = 0``; ``κ = 0`` gives ``L = 1`` on positive modes
    (and infinite tail sums); ``κ = inf`` gives ``L = 0``.
    """
    kappa = mp.mpf(kappa)
    d1 = d2 = dd = B0 = mp.mpf(0)
    terms1, terms2, termsd, termsb = [], [], [], []
    for lam, m, v in zip(levels.all_vals, levels.all_mult, tpow):
        lam, m, v = mp.mpf(float(lam)), mp.mpf(float(m)), mp.mpf(float(v))
        if lam == 0 or mp.isinf(kappa):
            termsb.append(v)
            continue
        L = lam / (lam + kappa)
        u = kappa / (lam + kappa)
        terms1.append(m * L)
        terms2.append(m * L * L)
        termsd.append(m * L * u)
        termsb.append(v * u * u)
    d1, d2, dd, B0 = mp.fsum(terms1), mp.fsum(terms2), mp.fsum(termsd), mp.fsum(termsb)
    if levels.tail.size:
        tail = levels.tail
        if mp.isinf(kappa):
            M = int(tail[T.TAIL_M])
            t, b = mp.mpf(float(tail[T.TAIL_TSCALE])), mp.mpf(float(tail[T.TAIL_BETA]))
            if t > 0:
                B0 += t * (mp.zeta(b) - mp.fsum(k ** (-b) for k in range(1, M + 1)))
        elif kappa == 0:
            d1 = d2 = dd = mp.inf
        else:
            t1, t2, tb, td = tail_terms(tail, kappa)
            d1, d2, B0, dd = d1 + t1, d2 + t2, B0 + tb, dd + td
    return dict(df1=d1, df2=d2, B0=B0, df1_minus_df2=dd)


def _trace(levels):
    tr = mp.fsum(mp.mpf(float(v)) * mp.mpf(float(m)) for v, m in zip(levels.all_vals, levels.all_mult))
    if levels.tail.size:
        tail = levels.tail
        M, a, s = int(tail[T.TAIL_M]), mp.mpf(float(tail[T.TAIL_ALPHA])), mp.mpf(float(tail[T.TAIL_SCALE]))
        tr += s * (mp.zeta(a) - mp.fsum(mp.mpf(k) ** (-a) for k in range(1, M + 1)))
    return tr


def kappa_with_tail(levels, n, ridge):
    """κ(n, ridge ≥ 0) of an infinite power law at the current precision, bracketed in ``log κ``.

    Solves ``1 − ridge/κ − df1(κ)/n = 0`` (increasing in κ) with the referee's
    bracketed solver (:func:`rmt.resolvent._mp._bracketed`: Illinois, residual
    verified) on ``[lo, log(ridge + tr Σ/n)]``, the lower end lowered until the
    residual is negative.
    """
    n, ridge = mp.mpf(n), mp.mpf(ridge)
    if mp.isinf(ridge):
        return mp.inf

    def g(u):
        k = mp.exp(u)
        return 1 - ridge / k - spectral_sums(levels, (0.0,) * len(levels.all_vals), k)["df1"] / n

    hi = mp.log(ridge + _trace(levels) / n)
    lo = mp.log(ridge) if ridge > 0 else hi - 10
    while g(lo) > 0:
        lo -= 10
    return mp.exp(_mp._bracketed(g, lo, hi))
