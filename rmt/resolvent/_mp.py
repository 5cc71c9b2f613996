# SPDX-License-Identifier: BSD-3-Clause
"""Arbitrary-precision referee for the one-point solver (mpmath).

Slow and simple on purpose: every root is bracketed and refined by mpmath's
Illinois (regula falsi) solver at ``dps`` decimal digits, with the same
branches as the compiled solver but none of its shortcuts (no Newton, no
initial guess). Used by the tests to hold the numba path to ~1e-13.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from .._kernels import onepoint as K

__all__ = ["as_dps", "as_method", "df1", "df2", "kappa", "kappa_levels", "ridge_edge", "solve_grid"]


def as_dps(dps) -> int:
    """Decimal digits for mpmath: an integer >= 15 (every ``method="mpmath"`` entry point)."""
    from .._validation import as_int

    return as_int(dps, "dps", minimum=15)


def as_method(method, dps):
    """``None`` for ``method="numba"``, the validated ``dps`` for ``method="mpmath"``; else a ``ValueError``."""
    if isinstance(method, str) and method == "numba":
        return None
    if isinstance(method, str) and method == "mpmath":
        return as_dps(dps)
    raise ValueError(f"method must be 'numba' or 'mpmath'; got {method!r}")


def mpf_levels(levels):
    """``(vals, mult)`` of the positive levels as ``mpf`` lists (at the current precision)."""
    return [mp.mpf(float(v)) for v in levels.vals], [mp.mpf(float(m)) for m in levels.mult]



def df1(vals, mult, kappa):
    """``Σ m λ/(λ+κ)`` in the current mpmath precision."""
    return mp.fsum(mp.mpf(m) * v / (v + kappa) for v, m in zip(vals, mult))


def df2(vals, mult, kappa):
    """``Σ m λ²/(λ+κ)²`` in the current mpmath precision."""
    return mp.fsum(mp.mpf(m) * (v / (v + kappa)) ** 2 for v, m in zip(vals, mult))


def _bracketed(f, lo, hi):
    """Root of a monotone, O(1)-scaled ``f`` on ``[lo, hi]`` (Illinois), its residual verified.

    mpmath's own check (``verify=True``) is skipped; instead the root ``x`` is
    accepted only if it lies in the bracket (to ``h`` below) and either ``|f(x)| <= 10^{-(dps-8)}``
    (every ``f`` here is scaled so that this is a relative residual) or ``f``
    changes sign within ``10^{-(dps-8)}·(|x| + |lo| + |hi|)`` of ``x``.
    Raises :class:`ArithmeticError` otherwise (the solver ran out of steps).
    """
    eps = mp.mpf(10) ** (-(mp.mp.dps - 8))
    x = mp.findroot(f, (lo, hi), solver="illinois", tol=eps * mp.mpf(10) ** -3, maxsteps=500, verify=False)
    lo, hi = min(lo, hi), max(lo, hi)
    h = (abs(x) + abs(lo) + abs(hi)) * eps
    inside = lo - h <= x <= hi + h  # (a bracket end is itself a root known to this precision)
    fx = f(x)
    ok = inside and abs(fx) <= eps
    if not ok and inside:
        ok = f(max(x - h, lo)) * f(min(x + h, hi)) <= 0
    if not ok:
        raise ArithmeticError(f"mpmath referee: root not verified (f = {mp.nstr(fx, 5)} at {mp.nstr(x, 10)})")
    return x


def _ridgeless(vals, mult, n, d):
    lam_min = min(vals)
    trace = mp.fsum(mp.mpf(m) * v for v, m in zip(vals, mult))
    lo = mp.log(lam_min * (d - n) / (2 * n))
    hi = mp.log(trace / n)
    return mp.exp(_bracketed(lambda u: 1 - df1(vals, mult, mp.exp(u)) / n, lo, hi))


def ridge_edge(vals, mult, n):
    """``(κ_e, ridge_min)`` with ``df2(κ_e) = n``."""
    d = mp.fsum(mp.mpf(m) for m in mult)
    lam_min = min(vals)
    if n == d:
        return mp.mpf(0), mp.mpf(0)
    if n < d:
        k0 = _ridgeless(vals, mult, n, d)
        lo = mp.log(lam_min * (mp.sqrt(d / n) - 1) / 2)
        ke = mp.exp(_bracketed(lambda u: 1 - df2(vals, mult, mp.exp(u)) / n, lo, mp.log(k0)))
    else:
        m_min = mp.fsum(mp.mpf(m) for v, m in zip(vals, mult) if v == lam_min)
        lo = -lam_min + lam_min * min(mp.mpf(1) / 2, mp.sqrt(m_min / n) / 2)
        ke = _bracketed(lambda k: 1 - df2(vals, mult, k) / n, lo, mp.mpf(0))
    return ke, ke * (1 - df1(vals, mult, ke) / n)


def kappa(vals, mult, n, ridge):
    """κ(n, ridge) as an ``mpf``; ``None`` if the ridge is below the edge."""
    n = mp.mpf(n)
    ridge = mp.mpf(ridge)
    d = mp.fsum(mp.mpf(m) for m in mult)
    if mp.isinf(ridge):
        return mp.inf
    if ridge == 0:
        return mp.mpf(0) if n >= d else _ridgeless(vals, mult, n, d)
    if ridge > 0:
        trace = mp.fsum(mp.mpf(m) * v for v, m in zip(vals, mult))
        lo, hi = mp.log(ridge), mp.log(ridge + trace / n)
        return mp.exp(_bracketed(lambda u: 1 - ridge / mp.exp(u) - df1(vals, mult, mp.exp(u)) / n, lo, hi))
    ke, rmin = ridge_edge(vals, mult, n)
    if ridge < rmin:
        return None
    k0 = _ridgeless(vals, mult, n, d) if n < d else mp.mpf(0)
    # divided by |κ_e| (the scale of κ here) so that the solver's absolute tolerance on f is relative to it
    scale = abs(ke) if ke != 0 else abs(k0)
    return _bracketed(lambda k: (k * (1 - df1(vals, mult, k) / n) - ridge) / scale, ke, k0)


def kappa_levels(levels, n, ridge):
    """κ(n, ridge) on prepared :class:`~rmt.resolvent.onepoint.Levels` (tails included), as an ``mpf``.

    ``None`` if the ridge is below the admissible edge. An infinite power law
    goes to :func:`rmt.resolvent._mp_sums.kappa_with_tail` (``mpmath.sumem`` tails).
    """
    if levels.infinite:
        from ._mp_sums import kappa_with_tail

        return kappa_with_tail(levels, n, ridge)
    vals, mult = mpf_levels(levels)
    return kappa(vals, mult, n, ridge)


def solve_grid(lv, nf, rf, dps):
    """Backend hook of :func:`rmt.solve_kappa`: object array of ``mpf``."""
    out = np.empty(nf.shape, dtype=object)
    status = np.zeros(nf.shape, dtype=np.int64)
    with mp.workdps(dps):
        for i, (n, r) in enumerate(zip(nf, rf)):
            k = kappa_levels(lv, mp.mpf(float(n)), mp.mpf(float(r)))
            if k is None:
                status[i] = K.STATUS_BELOW_EDGE
                out[i] = mp.nan
            else:
                out[i] = +k
    return out, status, np.zeros(nf.shape, dtype=np.int64)
