# SPDX-License-Identifier: BSD-3-Clause
r"""Optimal ridge: the ridge minimizing the predicted test risk (one search for every model).

The ridge path is parameterized by the renormalized ridge κ (ridge regression;
``ridge = κ(1 - df1(κ)/n)``, increasing on the admissible branch; Simon et al.
2021, Bach 2023) or by the input-level ridge γ (random features), and

.. math::

    \mathrm{test}(\kappa) = \frac{n}{n-\mathrm{df}_2(\kappa)}\big(B_0(\kappa)+\sigma^2\big),
    \qquad
    \frac{d\,\mathrm{test}}{d\kappa} = 2E_0\Big[S_v - \frac{B_0+\sigma^2}{n-\mathrm{df}_2}S_\lambda\Big],

with ``B0 = Σ v²(1-L)²``, ``S_v = Σ v² κλ/(λ+κ)³``, ``S_λ = Σ λ²/(λ+κ)³``.

The search (:func:`path_minimum`) uses one fact: every spectral sum along the
path depends on κ (or γ) only, never on ``n``, ``p`` or the noise. So one scan
of the sums on a log grid of κ covering every grid point's admissible range is
done *once per call*, the test risk of every grid point at every scan point is
assembled from that table without touching the spectrum again, and the global
minimum over the scan (test risks can have several local minima: multiple
descent for gapped spectra), the ridgeless end ``κ₀`` and the null predictor
``ridge = +inf`` (test ``Σ v² + σ²``) are compared per point. The bracket
around the scan minimum is then refined, per point and in parallel, by a
safeguarded Newton iteration in ``log κ`` on the first-order condition
(:func:`rmt.resolvent.onepoint.path_root`). The cost per grid point is the scan amortized
over the grid plus a handful of Newton passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._arrays import float_output
from .._results import ResultFields
from ..resolvent._mp import as_method
from ..resolvent.onepoint import ConvergenceError, edge_levels, kappa_on_levels
from ._assembly import NUMPY, path_test_slope
from .._validation import validate
from ..resolvent import onepoint as R1
from ..resolvent.onepoint import (FOC_RF, FOC_RIDGE, STATUS_CONVERGED, path_condition,
                                  path_root, spectral_moments)
from .ridge import RidgeRisk, risk_from_kappa

__all__ = ["OptimalRidge", "optimal_ridge", "optimal_on_levels", "path_minimum"]

_PER_DECADE = 24  # scan points per decade of κ
_RTOL = 1e-14  # relative tolerance on κ* of the Newton refinement
_MAXITER = 100
_CHUNK = 2048  # grid points assembled against the scan table at once

# per-point outcome of path_minimum
AT_LOWER = 0  # the lower end (ridge → 0⁺, or the admissible edge) is optimal
INTERIOR = 1  # a bracketed interior minimum, to refine
AT_NULL = 2  # the null predictor (ridge = +inf) is optimal
AT_SCAN = 3  # a flat bottom: the best scan point is as good as rounding allows


@dataclass(frozen=True, eq=False, repr=False)
class OptimalRidge(ResultFields):
    """The optimal ridge and the predicted risk there, on the broadcast grid of ``(noise, n[, p])``.

    Iterates and indexes as the pair ``(ridge, risk)``, so
    ``ridge_star, res = rmt.optimal_ridge(...)`` and ``rmt.optimal_ridge(...)[1].test``
    work; every field of ``risk`` (``test``, ``excess``, ``kappa``, ...) is
    also readable directly on this object.

    Attributes
    ----------
    ridge : the optimal ridge (``+inf``: the null predictor; 0: the ridgeless limit).
    risk : :class:`rmt.RidgeRisk` (or :class:`rmt.RFRidgeRisk`) at ``ridge``.
    status : per point, 0 when the optimum is converged (or is an end of the path).
    evaluations : per point, passes over the spectrum spent (the shared scan counted in full).
    """

    _summary = ("ridge", "test", "excess", "kappa")

    ridge: np.ndarray
    risk: RidgeRisk
    status: np.ndarray
    evaluations: np.ndarray

    def __iter__(self):
        yield self.ridge
        yield self.risk

    def __len__(self):
        return 2

    def __getitem__(self, index):
        """``result[0]`` is the ridge, ``result[1]`` the risk (the documented tuple calls)."""
        return (self.ridge, self.risk)[index]

    def __getattr__(self, name):
        if name.startswith("_") or name in ("ridge", "risk", "status", "evaluations"):
            raise AttributeError(name)
        return getattr(self.risk, name)


# --------------------------------------------------------------------------- the shared search


def path_minimum(x, test, slope, x_lo, test_lo, slope_lo, test_null):
    """Locate each grid point's global minimum of the test risk along a scanned path.

    Parameters
    ----------
    x : (K,) increasing scan positions of the path variable (κ or γ).
    test, slope : (P, K) test risk and a number with the sign of ``d test/dx``
        at each scan point (``test = inf`` where the point is not admissible).
    x_lo, test_lo, slope_lo : (P,) the lower end of each point's path (ridge → 0⁺ or the edge).
    test_null : (P,) the test risk of the null predictor (the path's upper end).

    Returns
    -------
    kind : (P,) int, one of ``AT_LOWER``, ``INTERIOR``, ``AT_NULL``, ``AT_SCAN``.
    a, b : (P,) the bracket (``slope(a) < 0 < slope(b)``) for ``INTERIOR`` points;
        ``a`` is the chosen position for the others.
    """
    P, K = test.shape
    rows = np.arange(P)
    j = np.argmin(test, axis=1)
    tmin = test[rows, j]
    kind = np.full(P, AT_SCAN)
    a = x[j].astype(np.float64)
    b = a.copy()
    admissible = np.isfinite(test)
    first = np.argmax(admissible, axis=1)
    has_scan = admissible.any(axis=1)
    with np.errstate(invalid="ignore"):
        # the lower end wins (ties included) when the risk rises from it
        lo_best = ~has_scan | (test_lo <= tmin)
        at_lo = lo_best & ((slope_lo >= 0) | (test_lo == 0) | ~has_scan)
        # a minimum between the lower end and the first admissible scan point
        lo_dip = lo_best & ~at_lo & (slope[rows, first] > 0)
        # the risk still falls at the top of the scan, or nothing beats the null predictor
        top_falls = (j == K - 1) & (slope[rows, K - 1] < 0)
        # (a scan minimum within rounding of the null predictor's risk is the null predictor: the risk
        # falls towards it as the ridge grows, e.g. a pure-noise task)
        null_best = (test_null <= np.minimum(tmin * (1 + 1e-13), test_lo)) | (top_falls & ~lo_best)
        jl = np.maximum(j - 1, 0)
        jr = np.minimum(j + 1, K - 1)
        left_is_lo = (jl == j) | ~admissible[rows, jl]
        xl = np.where(left_is_lo, x_lo, x[jl])
        sl = np.where(left_is_lo, slope_lo, slope[rows, jl])
        sj = slope[rows, j]
        sr = slope[rows, jr]
        interior = ~lo_best & ~null_best
        both = interior & (sl < 0) & (sr > 0) & (jr > j)
        left = interior & ~both & (sl < 0) & (sj > 0)
        right = interior & ~both & ~left & (sj < 0) & (sr > 0) & (jr > j)
    kind[at_lo | (lo_best & ~lo_dip)] = AT_LOWER
    a[kind == AT_LOWER] = x_lo[kind == AT_LOWER]
    kind[lo_dip] = INTERIOR
    a[lo_dip], b[lo_dip] = x_lo[lo_dip], x[first[lo_dip]]
    for mask, lo_, hi_ in ((both, xl, x[jr]), (left, xl, x[j]), (right, x[j], x[jr])):
        kind[mask] = INTERIOR
        a[mask], b[mask] = lo_[mask], hi_[mask]
    kind[null_best & ~(at_lo & (test_lo <= test_null))] = AT_NULL
    a[kind == AT_NULL] = np.inf
    return kind, a, b


def scan_grid(lo, hi, per_decade=_PER_DECADE):
    """Log-spaced scan positions ``10^(j/per_decade)`` covering ``[lo, hi]`` (both > 0), at least 8.

    The positions are fixed powers of ten, not spread over the caller's range, so a
    grid point's bracket, and with it the path of its refinement to the last bit,
    does not depend on the other points of the grid.
    """
    j0 = int(np.floor(per_decade * np.log10(lo)))
    j1 = max(int(np.ceil(per_decade * np.log10(hi))), j0 + 7)
    return 10.0 ** (np.arange(j0, j1 + 1) / per_decade)


# --------------------------------------------------------------------------- ridge regression


class _Path:
    """A prepared spectrum and task whose spectral moments are read along a ridge path."""

    def __init__(self, levels, tpow):
        self.levels = levels
        self.tpow = np.asarray(tpow, dtype=np.float64)
        self.vals = levels.vals  # positive levels, descending

    def sums(self, kappa, full=True):
        """(len(kappa), NMOM) table of :func:`rmt.resolvent.onepoint.spectral_moments` (κ > -λ_min)."""
        return spectral_moments(self.levels, self.tpow, np.asarray(kappa, dtype=np.float64).ravel(), full)

    def rows_at(self, xv, x, S, *known):
        """Moments rows at positions ``xv``: a scan point's row (``x``, ``S``), a per-point known one (pairs
        ``(x_i, S_i)`` in ``known``), computed where ``xv`` is none of these."""
        idx = np.clip(np.searchsorted(x, xv), 0, x.size - 1)
        out = np.where((x[idx] == xv)[:, None], S[idx], np.nan)
        for xk, Sk in known:
            out = np.where(((xk == xv) & np.isnan(out[:, 0]))[:, None], Sk, out)
        miss = np.flatnonzero(np.isnan(out[:, 0]))
        if miss.size:
            out[miss] = self.sums(xv[miss])
        return out


def _test_and_slope(S, n, noise, fit=None):
    """Test risk and slope sign at sums rows ``S`` for grid points ``n``, ``noise`` (broadcast).

    The formulas are :func:`rmt.risk._assembly.path_test_slope` (shared with the mpmath referee).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return path_test_slope(NUMPY, n=n, noise=noise, df1=S[..., R1.DF1], B0=S[..., R1.B0], S_v=S[..., R1.SV],
                               S_lam=S[..., R1.SL], df1_minus_df2=S[..., R1.DD], fit=fit)


def _refine_linear(path, n, noise, a, b):
    """Bracketed root of the slope in κ itself (a path that reaches κ ≤ 0: negative ridges, n > rank)."""
    from scipy.optimize import brentq

    def f(k):
        return float(_test_and_slope(path.sums([k])[0], n, noise)[1])

    scale = max(abs(a), abs(b))
    return brentq(f, a, b, xtol=1e-15 * scale, rtol=1e-15, maxiter=200)


def optimal_on_levels(levels, tpow, noise_b, n_b, allow_negative):
    """:func:`optimal_ridge` on prepared levels and broadcast ``noise``, ``n`` arrays: an :class:`OptimalRidge`."""
    shape = noise_b.shape
    nf = np.array(n_b, dtype=np.float64).ravel()  # copies: results never share memory with the caller
    sf = np.array(noise_b, dtype=np.float64).ravel()
    P = nf.size
    path = _Path(levels, tpow)
    kappa0 = kappa_on_levels(levels, nf, np.zeros(P))
    if allow_negative:
        k_lo, ridge_lo = edge_levels(levels, nf)
        at_rank = nf == levels.rank
        k_lo, ridge_lo = np.where(at_rank, 0.0, k_lo), np.where(at_rank, 0.0, ridge_lo)
    else:
        k_lo, ridge_lo = kappa0, np.zeros(P)
    lam_max, lam_min = float(path.vals[0]) if path.vals.size else 1.0, float(path.vals.min()) if path.vals.size else 1.0
    k_hi = 1e8 * (lam_max + levels.trace() / nf.min())
    pos_lo = k_lo[k_lo > 0]
    bottom = min(pos_lo.min() if pos_lo.size else np.inf, lam_min * 1e-10 if (k_lo <= 0).any() else np.inf)
    x = scan_grid(bottom, k_hi)
    if (k_lo < 0).any():  # the negative-ridge branch of n > rank: κ in (κ_e, 0]
        x = np.concatenate([np.linspace(k_lo.min(), 0.0, 41)[1:], x])
    S = path.sums(x, full=False)  # the test risk and its slope need no more
    S_lo = path.sums(np.maximum(k_lo, 0.0) if levels.infinite else k_lo, full=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        fit_lo = np.where(k_lo == 0, 1.0 - S_lo[:, R1.DF1] / nf, ridge_lo / k_lo)
    test_lo, slope_lo = _test_and_slope(S_lo, nf, sf, fit_lo)
    test_null = levels.target_total(tpow) + sf
    kind = np.empty(P, dtype=np.int64)
    a = np.empty(P)
    b = np.empty(P)
    for start in range(0, P, _CHUNK):
        c = slice(start, min(start + _CHUNK, P))
        t, s = _test_and_slope(S[None, :, :], nf[c, None], sf[c, None])
        t = np.where(x[None, :] > k_lo[c, None], t, np.inf)
        kind[c], a[c], b[c] = path_minimum(x, t, s, k_lo[c], test_lo[c], slope_lo[c], test_null[c])
    evals = np.full(P, x.size / P + 1.0)
    status = np.full(P, STATUS_CONVERGED, dtype=np.int64)
    kstar = a.copy()
    # the moments at each point's final κ, as far as they are known (the rest are computed at the end)
    S_star = np.full((P, S.shape[1]), np.nan)
    k_row = np.full(P, np.nan)
    ref = np.flatnonzero((kind == INTERIOR) & (a > 0))
    if ref.size:
        par = np.stack([nf[ref], sf[ref], np.zeros(ref.size), np.zeros(ref.size)], axis=1)
        S_lo_ref = S_lo[ref]
        fa = path_condition(levels, FOC_RIDGE, path.rows_at(a[ref], x, S, (k_lo[ref], S_lo_ref)), a[ref], par)
        fb = path_condition(levels, FOC_RIDGE, path.rows_at(b[ref], x, S, (k_lo[ref], S_lo_ref)), b[ref], par)
        kk, st, ev, rows = path_root(levels, path.tpow, FOC_RIDGE, par, a[ref], b[ref], fa, fb, _RTOL, _MAXITER)
        kstar[ref], status[ref] = kk, st
        evals[ref] += ev
        S_star[ref], k_row[ref] = rows, kk
    for i in np.flatnonzero((kind == INTERIOR) & (a <= 0)):
        kstar[i] = _refine_linear(path, nf[i], sf[i], a[i], b[i])
    if (status != STATUS_CONVERGED).any():
        raise ConvergenceError(f"optimal_ridge: the refinement did not converge at {int((status != 0).sum())} point(s)")
    kstar = np.maximum(kstar, k_lo)
    rstar = np.empty(P)
    lower = kind == AT_LOWER
    if not allow_negative:
        lower |= kstar <= kappa0 * (1 + 1e-12)  # interpolation (the ridge → 0⁺ limit) is optimal
    kstar[lower] = k_lo[lower]
    rstar[lower] = ridge_lo[lower]
    S_star[lower], k_row[lower] = S_lo[lower], np.maximum(k_lo, 0.0)[lower] if levels.infinite else k_lo[lower]
    null = (kind == AT_NULL) & ~lower
    rstar[null] = kstar[null] = np.inf
    need = np.flatnonzero(k_row != kstar)
    if need.size:
        S_star[need] = path.sums(kstar[need], full=False)
        evals[need] += 1
    rest = ~lower & ~null
    if rest.any():
        rstar[rest] = kstar[rest] * (1.0 - S_star[rest, R1.DF1] / nf[rest])
    risk = risk_from_kappa(levels, tpow, sf.reshape(shape), nf.reshape(shape), rstar.reshape(shape),
                           kstar.reshape(shape), sums=S_star.reshape(shape + (S.shape[1],)))
    return OptimalRidge(float_output(rstar.reshape(shape)), risk, status.reshape(shape)[()],
                        float_output(evals.reshape(shape)))


def optimal_ridge(eigs, target_power, noise, n, *, allow_negative: bool = False, method: str = "numba",
                  dps: int = 50):
    r"""Ridge minimizing the predicted test risk, and the risk there.

    Parameters
    ----------
    eigs, target_power, noise, n
        As in :func:`rmt.ridge_risk` (infinite ``PowerLaw`` spectra and tasks
        included); broadcast over ``noise`` and ``n``.
    allow_negative : bool
        Search negative ridges too, down to the admissible edge
        (:func:`rmt.ridge_edge`). Default: ``ridge ≥ 0``.
    method : {"numba", "mpmath"}
        ``"mpmath"``: the arbitrary-precision referee at ``dps`` digits
        (:mod:`rmt.risk._mp_optimal`: its own κ scan on a finite spectrum, the
        float optimum as seed on an infinite power law; the slope's root
        bracketed; the same path formulas as the float search); ``ridge`` and
        every risk field are then ``mpf`` (object arrays on a grid). Slow.
    dps : int
        Decimal digits for ``method="mpmath"`` (>= 15).

    Returns
    -------
    OptimalRidge
        ``.ridge`` (``+inf`` when the null predictor ``f̂ = 0`` is best, e.g.
        a pure-noise task; 0 when interpolation is optimal), ``.risk`` (the
        :func:`rmt.ridge_risk` result there, whose fields are also readable
        on the object itself), a per-point ``.status``. Unpacks as
        ``ridge_star, result = optimal_ridge(...)``.

    Notes
    -----
    Minimizes ``test(κ) = n(B0(κ) + σ²)/(n - df2(κ))`` over the ridge path
    ``ridge = κ(1 - df1(κ)/n)``: a global scan of κ shared by every grid point
    (the spectral sums do not depend on ``n`` or the noise), then a
    safeguarded Newton iteration in ``log κ`` on the first-order condition
    ``S_v (n - df2) = (B0 + σ²) S_λ`` (module notes). For an aligned task
    ``target_power = c·eigs`` the optimum is exactly ``ridge* = noise/(n c)``
    for every spectrum (in Simon et al.'s units ``δ* = σ²/c``), with
    ``test* = n c κ*``.

    References
    ----------
    Simon, Dickens, Karkada & DeWeese 2021, arXiv:2110.03922; Bach 2023,
    "High-dimensional analysis of double descent for linear regression with
    random projections".

    Examples
    --------
    >>> import numpy as np, rmt
    >>> eigs = 1.0 / np.arange(1, 201) ** 1.5
    >>> ridge_star, res = rmt.optimal_ridge(eigs, 0.5 * eigs, 0.2, 100)
    >>> round(float(ridge_star), 12)                    # noise/(n c)
    0.004
    """
    dps = as_method(method, dps)
    levels, tpow, noise, n, allow_negative = validate("optimal_ridge", eigs=eigs, target_power=target_power,
                                                      noise=noise, n=n, allow_negative=allow_negative)
    noise_b, n_b = np.broadcast_arrays(noise, n)
    if dps is not None:
        from ._mp_optimal import optimal_result

        return optimal_result(levels, tpow, noise_b, n_b, allow_negative, dps)
    return optimal_on_levels(levels, tpow, noise_b, n_b, allow_negative)


# --------------------------------------------------------------------------- random features


def _rf_test(S, n, p, cg, noise, rank, ridge_zero=False):
    r"""Random-feature test risk along the γ path from a sums row ``S`` (arrays broadcast).

    ``test = E₀ (B0 + (1-ρ) T + σ²)`` with the slacks ``a = n - z̄``,
    ``b = p - z̄``, ``e = df1 - df2 + c/γ``, ``E₀ = n(b+e)/(ab+ae+be)``,
    ``1 - ρ = e/(b+e)`` (:mod:`rmt.risk.random_features`). ``ridge_zero``: at
    the ridgeless end, a boolean array (``γ₀ > 0``) of the points where the
    narrower factor's slack is exactly 0.
    """
    z, ez, b0, w, t = S[..., R1.DF1], S[..., R1.DD], S[..., R1.B0], S[..., R1.W], S[..., R1.TV]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        def slack(m):
            return np.where(m < 0.5 * rank, (m - z) - cg, (m - rank) + w - cg)

        a, b = slack(n), slack(p)
        if ridge_zero is not False:  # the narrower factor binds where γ₀ > 0 (ridge_zero holds γ₀ > 0)
            a = np.where(ridge_zero & (n <= p), 0.0, a)
            b = np.where(ridge_zero & (p <= n), 0.0, b)
        e = ez + cg
        den = a * b + a * e + b * e
        E0 = np.where(e == 0, np.where(a > 0, n / a, np.inf), np.where(den > 0, n * (b + e) / den, np.inf))
        one_m_rho = np.where(b + e > 0, e / (b + e), 0.0)
        sig = b0 + one_m_rho * t + noise
        test = np.where(sig == 0, 0.0, E0 * sig)
        ok = (a >= 0) & (b >= 0) if ridge_zero is not False else (a > 0) & (b > 0)
        return np.where(ok, test, np.inf), a, b


def rf_path_optimum(levels, tpow, noise, n, p, c, gamma0):
    """The optimal input-level ridge γ* of random-feature ridge for flat ``noise, n, p, c`` and ``γ₀``.

    The search of :func:`path_minimum` on a γ scan shared by the grid (the
    sums do not depend on ``n``, ``p`` or the noise), the slope's sign read
    off the scan, then a bracketed derivative-free minimization
    (``scipy.optimize.elementwise.find_minimum``, Chandrupatla's method) per
    point, vectorized over the grid. Returns ``(gamma*, ridge_eff*, status,
    evaluations)`` with ``ridge_eff = γ a b/(n p)`` the ridge in units of
    ``μ₁²`` (0 at the ridgeless end, +inf for the null predictor).
    """
    from scipy.optimize.elementwise import find_minimum

    P = n.size
    path = _Path(levels, tpow)
    rank = levels.rank
    trace = levels.trace()
    lam_max = float(path.vals[0])
    lam_min = float(path.vals.min())
    g_hi = 1e6 * (lam_max + (trace + c.max()) * (1.0 / n.min() + 1.0 / p.min()))
    pos = gamma0[gamma0 > 0]
    bottom = min(pos.min() if pos.size else np.inf, lam_min * 1e-8 if (gamma0 == 0).any() else np.inf)
    x = scan_grid(bottom, g_hi)
    S = path.sums(x)
    S_lo = path.sums(gamma0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cg_lo = np.where(c > 0, c / gamma0, 0.0)
    test_lo = _rf_test(S_lo, n, p, cg_lo, noise, rank, ridge_zero=gamma0 > 0)[0]
    test_null = levels.target_total(tpow) + noise
    # the slope at the lower end, from a probe just above it (a dip can be narrower than a scan step)
    probe = np.where(gamma0 > 0, gamma0 * (1.0 + 1e-7), x[0] * 1e-7)
    with np.errstate(divide="ignore", invalid="ignore"):
        S_probe = path.sums(probe)
        test_probe = _rf_test(S_probe, n, p, np.where(c > 0, c / probe, 0.0), noise, rank)[0]
    kind = np.empty(P, dtype=np.int64)
    a = np.empty(P)
    b = np.empty(P)
    mid = np.empty(P)
    for start in range(0, P, _CHUNK):
        s = slice(start, min(start + _CHUNK, P))
        cg = c[s, None] / x[None, :]
        t = _rf_test(S[None, :, :], n[s, None], p[s, None], cg, noise[s, None], rank)[0]
        t = np.where(x[None, :] > gamma0[s, None], t, np.inf)
        # the sign of the slope from the scan itself: central differences (one-sided at the ends)
        tl = np.concatenate([test_lo[s, None], t[:, :-1]], axis=1)
        tr = np.concatenate([t[:, 1:], np.full((t.shape[0], 1), np.inf)], axis=1)
        with np.errstate(invalid="ignore"):
            slope = np.where(np.isfinite(tr), tr - np.where(np.isfinite(tl), tl, t), t - tl)
            slope_lo = np.where(np.isfinite(t[:, 0]), t[:, 0], 0.0) - test_lo[s]
        slope_lo = test_probe[s] - test_lo[s]
        kind[s], _, _ = path_minimum(x, t, slope, gamma0[s], test_lo[s], slope_lo, test_null[s])
        # a bracket of three scan points (the lower end for a missing left one) around the best one
        rows = np.arange(t.shape[0])
        j = np.argmin(t, axis=1)
        jl, jr = np.maximum(j - 1, 0), np.minimum(j + 1, x.size - 1)
        mid[s] = x[j]
        a[s] = np.where((jl < j) & np.isfinite(t[rows, jl]), x[jl], gamma0[s])
        b[s] = x[jr]
        kind[s] = np.where((kind[s] == INTERIOR) & ~(jr > j), AT_SCAN, kind[s])
        kind[s] = np.where(kind[s] == AT_SCAN, np.where(jr > j, INTERIOR, AT_SCAN), kind[s])
        # a dip between the lower end and the first scan point: bracket (γ₀, probe, first scan point)
        dip = (test_probe[s] < np.minimum(test_lo[s], t.min(axis=1))) & (test_probe[s] < test_null[s])
        kind[s] = np.where(dip, INTERIOR, kind[s])
        first = np.argmax(np.isfinite(t), axis=1)
        a[s] = np.where(dip, gamma0[s], a[s])
        mid[s] = np.where(dip, probe[s], mid[s])
        b[s] = np.where(dip, x[first], b[s])
    a = np.where(kind == AT_LOWER, gamma0, a)
    a = np.where(kind == AT_SCAN, mid, a)
    evals = np.full(P, (x.size + 2 * P) / P)
    status = np.full(P, STATUS_CONVERGED, dtype=np.int64)
    gstar = a.copy()
    S_star = np.full((P, S.shape[1]), np.nan)
    g_row = np.full(P, np.nan)
    ref = np.flatnonzero(kind == INTERIOR)
    if ref.size:
        def f(g, nn, pp, cc, ss):
            S_ = path.sums(g, full=False).reshape(np.shape(g) + (S.shape[1],))
            with np.errstate(divide="ignore", invalid="ignore"):
                cg_ = np.where(cc > 0, cc / g, 0.0)
            return _rf_test(S_, nn, pp, cg_, ss, rank)[0]

        # a minimum at the bottom of the scan: follow it down towards γ₀ (a pole at γ₀ can make the
        # infimum a limit, e.g. ridgeless p = n = rank without noise), one decade at a time
        # the bracket touches the lower end (a dip right above γ₀, or the minimum at the bottom of the
        # scan): a fine geometric scan of the gap to γ₀ first (a pole at γ₀ can make the infimum a limit)
        # where the risk already falls at the probe just above γ₀ the first-order condition is bracketed by
        # the probe and a scan point: the Newton-secant below takes it (no fine scan needed)
        with np.errstate(divide="ignore", invalid="ignore"):
            f_probe = path_condition(levels, FOC_RF, S_probe, probe, np.stack([n, noise, p, c], axis=1))
        from_probe = (a == gamma0) & (gamma0 > 0) & (f_probe < 0) & (probe < b)
        a = np.where(from_probe, probe, a)
        for i in ref[a[ref] == gamma0[ref]]:
            g0, top = gamma0[i], b[i]
            if g0 > 0:
                gg = g0 * (1.0 + np.logspace(-9, np.log10(top / g0 - 1.0), 72))
            else:
                gg = top * np.logspace(-16, 0, 65)
            tt = f(gg, n[i], p[i], c[i], noise[i])
            k = int(np.argmin(tt[:-1]))
            evals[i] += gg.size
            if k == 0:
                a[i] = mid[i] = b[i] = gg[0]
            else:
                a[i], mid[i], b[i] = gg[k - 1], gg[k], gg[k + 1]
        # Newton-secant on the first-order condition d test/d log γ = 0 (one pass per step), in the half of
        # the three-point bracket where it changes sign; F at the bracket points is read off the scan
        par = np.stack([n[ref], noise[ref], p[ref], c[ref]], axis=1)
        ex = ((gamma0[ref], S_lo[ref]), (probe[ref], S_probe[ref]))
        R3 = [path.rows_at(v[ref], x, S, *ex) for v in (a, mid, b)]
        Fa, Fm, Fb = (path_condition(levels, FOC_RF, R, v[ref], par) for R, v in zip(R3, (a, mid, b)))
        Fa = np.where(np.isfinite(Fa), Fa, -np.inf)  # at γ₀ (a pole or a saturated slack) the risk falls from it
        left = (Fa < 0) & (Fm > 0)
        right = ~left & (Fm < 0) & (Fb > 0)
        lo_, hi_ = np.where(left, a[ref], mid[ref]), np.where(left, mid[ref], b[ref])
        flo, fhi = np.where(left, Fa, Fm), np.where(left, Fm, Fb)
        ok = (left | right) & (hi_ > lo_)
        gstar[ref] = mid[ref]
        if ok.any():
            sel = ref[ok]
            kk, st, ev, rows = path_root(levels, path.tpow, FOC_RF, par[ok], lo_[ok], hi_[ok], flo[ok], fhi[ok],
                                         _RTOL, _MAXITER)
            with np.errstate(divide="ignore", invalid="ignore"):
                t_root = _rf_test(rows, n[sel], p[sel], np.where(c[sel] > 0, c[sel] / kk, 0.0), noise[sel], rank)[0]
                t_mid = _rf_test(R3[1][ok], n[sel], p[sel], np.where(c[sel] > 0, c[sel] / mid[sel], 0.0),
                                 noise[sel], rank)[0]
            better = np.isfinite(t_root) & (t_root <= t_mid)
            gstar[sel] = np.where(better, kk, mid[sel])
            status[sel] = np.where(better, st, STATUS_CONVERGED)
            evals[sel] += ev
            S_star[sel], g_row[sel] = np.where(better[:, None], rows, R3[1][ok]), gstar[sel]
        rest_ = ref[~ok & (a[ref] < b[ref])]  # no sign change in the bracket: a bracketed derivative-free minimization
        if rest_.size:
            lo_, m_, hi_ = a[rest_], mid[rest_], b[rest_]
            args = (n[rest_], p[rest_], c[rest_], noise[rest_])
            fm = f(m_, *args)
            with np.errstate(invalid="ignore", divide="ignore"):
                res = find_minimum(f, (lo_, m_, hi_), args=args, maxiter=80,
                                   tolerances=dict(xrtol=1e-10, xatol=0.0, frtol=1e-15, fatol=0.0))
            better = np.isfinite(res.f_x) & (res.f_x <= fm)
            gstar[rest_] = np.where(better, res.x, m_)
            evals[rest_] += res.nfev + 1
    ridge_eff = np.empty(P)
    lower = kind == AT_LOWER
    gstar[lower] = gamma0[lower]
    ridge_eff[lower] = 0.0
    null = kind == AT_NULL
    gstar[null] = ridge_eff[null] = np.inf
    rest = ~lower & ~null
    if rest.any():
        need = rest & (g_row != gstar)
        S_star[need] = path.sums(gstar[need], full=False)
        evals[need] += 1
        _, aa, bb = _rf_test(S_star[rest], n[rest], p[rest],
                             np.where(c[rest] > 0, c[rest] / gstar[rest], 0.0), noise[rest], rank)
        ridge_eff[rest] = gstar[rest] * aa * bb / (n[rest] * p[rest])
    return gstar, ridge_eff, status, evals
