# SPDX-License-Identifier: BSD-3-Clause
r"""Arbitrary-precision referee of :func:`rmt.stieltjes` (``method="mpmath"``), finite spectra.

κ(z) solves ``F(κ) = κ(1 − df1(κ)/n) + z = 0`` with ``F'(κ) = 1 − df2(κ)/n``
(``d(κ df1)/dκ = df2``), both sums in complex ``mpf`` arithmetic. Real ``z < 0``
(and real ``0 < z`` below the bulk's lower edge, ``−z ≥`` :func:`rmt.ridge_edge`) is the real
ridge ``−z`` (:func:`rmt.resolvent._mp.kappa`, bracketed). Elsewhere
Newton's method starts from the compiled root — the float path decides the
*branch*, the referee its *digits* — and the result is accepted only if
``|F(κ)| ≤ 10^{-(dps-8)}·(|z| + |κ|)`` and ``Im κ · Im z ≤ 0`` (the physical
branch, ``κ ~ −z`` at infinity; Atanasov et al. 2024, arXiv:2405.00592 §2).
Then ``m(z) = −κ/(zD) Σ_k m_k/(λ_k + κ)`` over all ``D`` modes (zeros included).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from . import _mp

__all__ = ["complex_kappa", "stieltjes_grid"]


def complex_kappa(vals, mult, n, z, start, maxiter=200):
    """Newton's root of ``κ(1 − df1/n) + z`` from ``start`` (``mpc``), residual and branch verified."""
    k = mp.mpc(start)
    eps = mp.mpf(10) ** (-(mp.mp.dps - 8))

    def F(k):
        d1 = mp.fsum(m * v / (v + k) for v, m in zip(vals, mult))
        d2 = mp.fsum(m * (v / (v + k)) ** 2 for v, m in zip(vals, mult))
        return k * (1 - d1 / n) + z, 1 - d2 / n

    for _ in range(maxiter):
        f, df = F(k)
        step = f / df
        k -= step
        if abs(step) <= eps * mp.mpf(10) ** -4 * abs(k):
            break
    f, _ = F(k)
    if not abs(f) <= eps * (abs(z) + abs(k)):
        raise ArithmeticError(f"mpmath referee: κ(z) not verified at z = {mp.nstr(z, 8)} (|F| = {mp.nstr(abs(f), 5)})")
    if mp.im(k) * mp.im(z) > eps * abs(k) * abs(z):
        raise ArithmeticError(f"mpmath referee: κ(z) at z = {mp.nstr(z, 8)} left the physical branch (Im κ·Im z > 0)")
    return k


def stieltjes_grid(lv, n, zf, kappa_start, dps):
    """Object array of ``mpc`` ``m(z)`` at flat complex ``zf`` (validated; ``kappa_start`` the compiled κ(z))."""
    out = np.empty(zf.shape, dtype=object)
    with mp.workdps(dps):
        vals, mult = _mp.mpf_levels(lv)
        n_ = mp.mpf(float(n))
        D = mp.mpf(float(lv.D))
        zeros = D - mp.fsum(mult)
        for i, (z, k0) in enumerate(zip(zf, kappa_start)):
            z = mp.mpc(float(z.real), float(z.imag))
            if z == 0:  # n > D = rank: κ ≈ −z n/(n − D), m(0) = n/(n − D) · (1/D) Σ m_k/λ_k
                out[i] = mp.mpc(n_ / (n_ - D) * mp.fsum(m / v for v, m in zip(vals, mult)) / D)
                continue
            # real z left of the bulk (z < 0, or 0 < z below the lower edge: the ridge −z ≥ ridge_min) is a
            # real κ on the admissible branch, bracketed; elsewhere Newton from the compiled root
            k = _mp.kappa(vals, mult, n_, -mp.re(z)) if mp.im(z) == 0 else None
            if k is not None:
                k = mp.mpc(k)
            else:
                k = complex_kappa(vals, mult, n_, z, mp.mpc(float(k0.real), float(k0.imag)))
            s = mp.fsum(m / (v + k) for v, m in zip(vals, mult)) + (zeros / k if zeros else 0)
            out[i] = -k / z * s / D
    return out
