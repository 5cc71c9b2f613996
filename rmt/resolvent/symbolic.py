# SPDX-License-Identifier: BSD-3-Clause
"""Closed forms of the one-point function (sympy).

* :func:`kappa_isotropic` — κ for ``D`` modes of eigenvalue ``lam``: the
  positive root of ``n κ² + (nλ - Dλ - n·ridge) κ - n·ridge·λ = 0``
  (Marchenko–Pastur; Dobriban & Wager 2018).
* :func:`marchenko_pastur_density` — the density of ``Σ̂`` for ``Σ = λI``.
* :func:`kappa_polynomial` / :func:`solve_grid` — for a spectrum with ``L``
  distinct levels the κ equation, multiplied by ``Π_j(λ_j + κ)``, is a
  polynomial of degree ``L + 1``; its largest real root is the admissible κ
  (``h(κ) = κ(1 - df1/n)`` increases from ``ridge_min`` to ∞ on ``(κ_e, ∞)``
  and every other root lies below κ_e). Roots are isolated exactly
  (``sympy.real_roots`` on rational coefficients) and then evaluated.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .._kernels import onepoint as K

__all__ = ["kappa_isotropic", "marchenko_pastur_density", "kappa_polynomial", "solve_grid", "MAX_LEVELS"]

MAX_LEVELS = 4

n_, D_, ridge_, lam_, kappa_, x_ = sp.symbols("n D ridge lambda kappa x", real=True)


def kappa_isotropic():
    """Sympy expression of κ(n, D, ridge, λ) for the isotropic spectrum ``λ·I_D``."""
    b = n_ * lam_ - D_ * lam_ - n_ * ridge_
    return (-b + sp.sqrt(b**2 + 4 * n_**2 * ridge_ * lam_)) / (2 * n_)


def marchenko_pastur_density():
    """Sympy expression of the continuous density of ``Σ̂`` for ``Σ = λ I_D`` (D-normalized)."""
    g = D_ / n_
    a = lam_ * (1 - sp.sqrt(g)) ** 2
    b = lam_ * (1 + sp.sqrt(g)) ** 2
    return sp.Piecewise(
        (sp.sqrt((b - x_) * (x_ - a)) / (2 * sp.pi * lam_ * g * x_), (x_ > a) & (x_ < b)), (0, True)
    )


def kappa_polynomial(vals, mult, n, ridge):
    """Exact polynomial in ``kappa_`` whose largest real root is κ (floats made exact rationals).

    The one construction of :func:`rmt.symbolic.kappa_polynomial`, on rational coefficients.
    """
    from .. import symbolic

    exact = [sp.Rational(float(v)) for v in vals]
    weights = [sp.Rational(float(m)) for m in mult]
    return symbolic.kappa_polynomial(exact, sp.Rational(float(n)), sp.Rational(float(ridge)), weights, variable=kappa_)


def solve_grid(lv, nf, rf):
    """Backend hook of :func:`rmt.solve_kappa` for ``method="sympy"``.

    Equal eigenvalues are merged into one level (multiplicities add), so a
    plain array such as ``np.ones(300)`` is a one-level spectrum here.
    """
    vals, inverse = np.unique(lv.vals, return_inverse=True)
    mult = np.bincount(inverse, weights=lv.mult)
    if vals.size > MAX_LEVELS:
        raise ValueError(
            f"method='sympy' needs a spectrum with at most {MAX_LEVELS} distinct positive levels; "
            f"got {vals.size} (use method='mpmath' for an arbitrary-precision answer)"
        )
    lv = lv._replace(vals=vals[::-1].copy(), mult=mult[::-1].copy())
    from . import _mp
    import mpmath as mp

    out = np.empty(nf.shape, dtype=np.float64)
    status = np.zeros(nf.shape, dtype=np.int64)
    for i, (n, r) in enumerate(zip(nf, rf)):
        if np.isinf(r):
            out[i] = np.inf
            continue
        if r < 0:
            with mp.workdps(40):
                _, rmin = _mp.ridge_edge([mp.mpf(float(v)) for v in lv.vals], [mp.mpf(float(m)) for m in lv.mult], n)
            if r < rmin:
                status[i] = K.STATUS_BELOW_EDGE
                out[i] = np.nan
                continue
        roots = sp.real_roots(kappa_polynomial(lv.vals, lv.mult, n, r))
        out[i] = float(max(roots).evalf(30))
    return out, status, np.zeros(nf.shape, dtype=np.int64)
