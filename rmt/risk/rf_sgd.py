# SPDX-License-Identifier: BSD-3-Clause
r"""Online (one-pass) SGD on a linear random-feature readout, averaged over the features by the deterministic equivalent.

Conventions (``DESIGN.md``): ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``; ``y = <w*, x> + ε``,
``E ε² = noise``, ``target_power[k] = eigs[k] w*[k]²``; features ``F x`` with
``F ∈ R^{p×D}``, ``F_jk ~ N(0, 1/p)``; readout ``f(x) = <a, F x>`` trained by
``a ← a - (lr/B) Σ_b F x_b (<a, F x_b> - y_b)`` on a fresh batch each step,
``a₀ = 0``; ``excess = E (f(x) - <w*, x>)²``, ``test = excess + noise``.

Reduction (exact for Gaussian ``x``, any fixed ``F``). With ``A = F Σ^{1/2}`` and
its singular pairs ``(s_j, u_j, r_j)``, the features in the ``u`` basis are
``s_j ζ_j`` with ``ζ = Rᵀz`` i.i.d. standard normal, and
``y = Σ_j (r_jᵀv) ζ_j + u + ε`` with ``v_k = sqrt(target_power_k)`` and the
unlearnable part ``u`` Gaussian, independent of the features, of variance
``P_∞(F) = |v|² - Σ_j (r_jᵀv)²``. So SGD on ``a`` is online SGD on a linear model
with eigenvalues ``s_j²`` (the nonzero spectrum of ``K̂ = Σ^{1/2}FᵀFΣ^{1/2}``, a
sample covariance of ``p`` draws of ``N(0, Σ)``), target power ``(r_jᵀv)²`` and
noise ``noise + P_∞(F)``, plus the constant ``P_∞(F)`` in the excess.

Deterministic equivalent. The two spectral measures of ``K̂`` that enter,
``ν = Σ_j δ_{s_j²}`` (eigenvalue count) and ``μ = Σ_j (r_jᵀv)² δ_{s_j²}`` (target
power), are replaced by their deterministic equivalents: with ``κ(z)`` solving
``κ = -z + (κ/p) Σ_k λ_k/(λ_k+κ)`` (:func:`rmt.stieltjes` with ``n = p``),

.. math::

    \int\frac{\nu(dx)}{x-z} \simeq -\frac{\kappa}{z}\sum_k\frac{1}{\lambda_k+\kappa},\qquad
    \int\frac{\mu(dx)}{x-z} \simeq -\frac{\kappa}{z}\sum_k\frac{v_k^2}{\lambda_k+\kappa},

and ``P_∞ ≃ κ₀ Σ_k v_k²/(λ_k+κ₀)``, ``df1(κ₀) = p`` (``κ₀ = 0`` when ``p ≥ rank``).
The densities ``Im(·)/π`` on the real axis are integrated by a composite
Gauss–Legendre rule on each band of the support, whose edges are the critical
points of ``z(κ) = -κ + (κ/p) df1(κ)`` (``dz/dκ = 0``; Silverstein & Choi 1995),
with square-root maps at the edges and geometric panels towards them, refined
adaptively (a panel is kept when its two halves give the same ``ν`` and ``μ``
masses and first moments to 1e-11 of the totals). The resulting quadrature
nodes are pseudo-modes of the online-SGD recursion (:mod:`rmt.risk.sgd`).

Measured accuracy (tests): the exact first two moments of ``ν`` and ``μ`` to
1e-10 before normalization; the curve, forcing and kernel against an
independent contour-integral solution of the same Volterra equation to 1e-7
(typically 1e-9) over 400 steps; p → ∞ reaches :func:`rmt.online_sgd_risk`
like ``1/p``. Against Monte Carlo at D = 300 the deterministic equivalent is
within the standard error plus ≈ 1–3 % (its O(1/p) finite-size corrections).

References: Paquette, Paquette, Xiao & Pennington (2024), "4+3 phases of
compute-optimal neural scaling laws", arXiv:2405.15074 (the model, its
forcing/kernel Volterra form); Silverstein & Choi (1995), "Analysis of the
limiting spectral distribution of large dimensional random matrices", J.
Multivariate Anal. 54 (band edges).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._arrays import float_output
from .._kernels.sgd import forcing_once_per_step, kappa_real_path
from .._kernels.sums import weighted_sums
from .._validation import validate
from ..resolvent.onepoint import _complex_kappa, prepare, solve_kappa
from ..spectra import Spectrum
from .sgd import (
    OnlineSGDRisk,
    _recursion,
    _stability,
    _validate,
)

__all__ = ["RFOnlineSGDRisk", "rf_online_sgd_risk", "rf_sgd_pseudo_modes"]

_GL_ORDER = 16


@dataclass(frozen=True, eq=False, repr=False)
class RFOnlineSGDRisk(OnlineSGDRisk):
    """:class:`rmt.OnlineSGDRisk` of online SGD on random features.

    Extra attributes
    ----------------
    limit_loss : float
        The approximation floor at this ``p``: ``P_∞ = min_a E(<a, Fx> - <w*, x>)²``
        averaged over ``F`` (deterministic equivalent ``κ₀ Σ_k v_k²/(λ_k+κ₀)``,
        ``df1(κ₀) = p``; 0 when ``p ≥ rank``). Every curve stays above it.
    stationary : float, ndarray or None
        ``lim_{t→∞} excess = (P_∞ + noise·S)/(1 - S)`` for a constant schedule,
        ``S`` = :attr:`kernel_sum` (the Volterra kernel's sum, closed form in the
        Notes of :func:`rf_online_sgd_risk`).
    forcing, kernel : ndarray or None
        The Volterra functions ``F(t) = P_∞ + ∫ a(x)^t μ(dx)`` and
        ``K(t) = (lr²/B) ∫ x² a(x)^t ν(dx)``, ``t = 0 … steps``, for a constant
        schedule without momentum (else ``None``):
        ``E(t) = F(t) + Σ_{s<t} K(t-1-s)(E(s) + noise)``.
    modes : int
        Number of quadrature pseudo-modes used.
    """

    limit_loss: float = 0.0
    forcing: np.ndarray | None = None
    kernel: np.ndarray | None = None
    modes: int = 0


class PseudoModes(NamedTuple):
    """Quadrature of the two spectral measures of ``K̂``: nodes ``x``, ``ν`` weights ``count``, ``μ`` weights ``power``."""

    x: np.ndarray
    count: np.ndarray
    power: np.ndarray
    floor: float
    bands: np.ndarray  # (nbands, 2) support intervals
    kappa0: float


# --------------------------------------------------------------------------- support of the DE spectrum


def _g(kap, vals, mult, p):
    """``g(κ) = (1/p) Σ m λ²/(λ+κ)²``; ``dz/dκ = g - 1``."""
    r = vals / (vals + kap[:, None])
    return (mult * r * r).sum(axis=1) / p


def _dg(kap, vals, mult, p):
    r = vals / (vals + kap[:, None])
    return -2.0 * (mult * r * r / (vals + kap[:, None])).sum(axis=1) / p


def _zmap(kap, vals, mult, p):
    """``z(κ) = -κ + (κ/p) Σ m λ/(λ+κ)``, the inverse of ``κ(z)`` on the real axis."""
    return -kap + kap * (mult * vals / (vals + kap[:, None])).sum(axis=1) / p


def _bisect(fn, lo, hi, up):
    """Vectorized bisection for the sign change of ``fn`` on ``(lo, hi)`` (``up``: fn increasing)."""
    lo = lo.copy()
    hi = hi.copy()
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f = fn(mid)
        pos = f > 0
        right = pos if up else ~pos  # root left of mid
        hi = np.where(right, mid, hi)
        lo = np.where(right, lo, mid)
        if np.all(np.abs(hi - lo) <= 1e-15 * np.maximum(np.abs(lo), np.abs(hi))):
            break
    return 0.5 * (lo + hi)


def _bands(vals, mult, p):
    """Support intervals ``[(lo, hi), ...]`` (ascending) of the nonzero DE spectrum of ``K̂``.

    ``vals`` descending distinct positive levels. ``z(κ)`` is decreasing exactly where
    ``g < 1``; ``g`` is convex between consecutive poles ``-λ_k``, so each such
    interval holds 0 or 2 edges (a gap of the spectrum) and its minimum decides.
    Intervals where the two neighbouring terms alone keep ``g ≥ 1``,
    ``(A^{1/3} + C^{1/3})³/δ² ≥ p`` (``A = m_k λ_k²``, ``C = m_{k+1} λ_{k+1}²``,
    ``δ = λ_k - λ_{k+1}``), have no gap and are skipped.
    """
    R = 2.0 * np.sqrt(np.sum(mult * vals**2) / p)
    one = lambda k: _g(k, vals, mult, p) - 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        top = _bisect(one, np.array([-vals[0] - R - vals[0]]), np.array([-vals[0]]), True)
        bot = _bisect(one, np.array([-vals[-1]]), np.array([R]), False)
        edges_hi = _zmap(top, vals, mult, p)[0]
        edges_lo = _zmap(bot, vals, mult, p)[0]
        gaps = []
        if vals.size > 1:
            A = (mult[:-1] * vals[:-1] ** 2) ** (1 / 3)
            C = (mult[1:] * vals[1:] ** 2) ** (1 / 3)
            delta = vals[:-1] - vals[1:]
            cand = np.flatnonzero((A + C) ** 3 < p * delta**2)
            if cand.size:
                left, right = -vals[cand], -vals[cand + 1]
                kmin = _bisect(lambda k: _dg(k, vals, mult, p), left, right, True)
                has = _g(kmin, vals, mult, p) < 1.0
                if has.any():
                    ka = _bisect(one, left[has], kmin[has], False)
                    kb = _bisect(one, kmin[has], right[has], True)
                    za = _zmap(ka, vals, mult, p)
                    zb = _zmap(kb, vals, mult, p)
                    gaps = sorted(zip(zb.tolist(), za.tolist()))
    lows = [max(edges_lo, 0.0)] + [g[1] for g in gaps]
    highs = [g[0] for g in gaps] + [edges_hi]
    return np.array(list(zip(lows, highs)))


def _gauss_legendre(q):
    s, w = np.polynomial.legendre.leggauss(q)
    return 0.5 * (s + 1.0), 0.5 * w


_S, _W = _gauss_legendre(_GL_ORDER)


def _initial_panels(bands, scale):
    """Panels ``(edge, a, b)`` in ``x``: an edge panel (``edge = ±1``) is ``x = a ± (b-a)·s²``-mapped
    from the edge ``a`` over a length ``|b - a|``; a plain panel (``edge = 0``) is ``[a, b]``.

    Each half of a band gets an edge panel of length ``h₀`` and geometric panels
    ``[h₀4^i, h₀4^{i+1}]`` up to the midpoint, ``h₀ ≈ max(scale, 4^-40 H)``.
    """
    out = []
    for lo, hi in bands:
        H = 0.5 * (hi - lo)
        n = int(np.clip(np.ceil(np.log(H / scale) / np.log(4.0)), 0, 40)) if H > scale else 0
        h0 = H * 4.0**-n
        for edge, sign in ((lo, 1.0), (hi, -1.0)):
            out.append((sign, edge, edge + sign * h0))
            y = h0
            for _ in range(n):
                out.append((0.0, edge + sign * y, edge + sign * 4.0 * y))
                y *= 4.0
    return np.array(out)


def _panel_nodes(panels):
    """Nodes ``(n_panels, q)`` and ``dx`` weights of the Gauss–Legendre rule on each panel."""
    kind, a, b = panels[:, :1], panels[:, 1:2], panels[:, 2:3]
    plain = kind == 0
    x = np.where(plain, a + (b - a) * _S, a + (b - a) * _S * _S)
    w = np.where(plain, np.abs(b - a) * _W, np.abs(b - a) * 2.0 * _S * _W)
    return x, w


def _halves(panels):
    """Split each panel in two (an edge panel into an edge panel of a quarter of its length and a plain rest)."""
    kind, a, b = panels[:, 0], panels[:, 1], panels[:, 2]
    plain = kind == 0
    mid = np.where(plain, 0.5 * (a + b), a + 0.25 * (b - a))
    left = np.stack([kind, a, mid], axis=1)
    right = np.stack([np.zeros_like(kind), mid, b], axis=1)
    return left, right


def _merge(vals, mult, tpow):
    """Distinct positive levels (descending), summed multiplicities and target power."""
    keep = vals > 0
    vals, mult, tpow = vals[keep], mult[keep], tpow[keep]
    uniq, inv = np.unique(vals, return_inverse=True)
    m = np.bincount(inv, weights=mult, minlength=uniq.size)
    t = np.bincount(inv, weights=tpow, minlength=uniq.size)
    return np.ascontiguousarray(uniq[::-1]), np.ascontiguousarray(m[::-1]), np.ascontiguousarray(t[::-1])


def _densities(x, vals, mult, tpow, lv, p, bands):
    """DE densities of ``ν`` and ``μ`` at real ``x > 0`` (inside the support), shape of ``x``."""
    flat = x.ravel()
    order = np.argsort(flat)
    xs = np.ascontiguousarray(flat[order])
    band = np.searchsorted(bands[:, 0], xs, side="right")
    isstart = np.ones(xs.size, dtype=np.bool_)
    isstart[1:] = band[1:] != band[:-1]
    kstart = np.zeros(xs.size, dtype=np.complex128)
    kstart[isstart] = _complex_kappa(lv, p, np.ascontiguousarray(xs[isstart].astype(np.complex128)))
    ks = np.empty(xs.size, dtype=np.complex128)
    ok = np.empty(xs.size, dtype=np.bool_)
    kappa_real_path(lv.vals, lv.mult, p, xs, kstart, isstart, 1e-14, 60, ks, ok)
    if not ok.all():  # restart those few from far away, then polish on the real axis
        bad = np.flatnonzero(~ok)
        far = _complex_kappa(lv, p, np.ascontiguousarray(xs[bad].astype(np.complex128)))
        pk = np.empty_like(far)
        pok = np.empty(bad.size, dtype=np.bool_)
        kappa_real_path(lv.vals, lv.mult, p, np.ascontiguousarray(xs[bad]), far, np.ones(bad.size, dtype=np.bool_),
                        1e-14, 60, pk, pok)
        ks[bad] = np.where(pok, pk, far)
    kap = np.empty_like(ks)
    kap[order] = ks
    sums = weighted_sums(vals, np.stack([mult, tpow]), [0.0, 0.0], [1, 1], [0, 0], kap)
    pre = -kap / flat
    nu = np.maximum((pre * sums[:, 0]).imag, 0.0) / np.pi
    mu = np.maximum((pre * sums[:, 1]).imag, 0.0) / np.pi
    return nu.reshape(x.shape), mu.reshape(x.shape)


def _pseudo_modes(vals, mult, tpow, p, scale, rtol=1e-11, max_rounds=40):
    """Adaptive composite Gauss–Legendre quadrature of ``ν`` and ``μ`` over the bands.

    A panel is accepted when its ``ν`` and ``μ`` masses and first moments agree
    with those of its two halves to ``rtol`` times the totals; otherwise it is
    replaced by its halves (at most ``max_rounds`` times).
    """
    bands = _bands(vals, mult, p)
    lv = prepare(Spectrum(vals, mult))
    width = float(bands[-1, 1] - bands[0, 0])
    panels = _initial_panels(bands, 1e-12 * width if scale is None else scale)
    x, w = _panel_nodes(panels)
    nu, mu = _densities(x, vals, mult, tpow, lv, p, bands)
    tot_nu = min(float(p), float(mult.sum()))
    tot_mu = max(float(tpow.sum()), np.finfo(float).tiny)
    top = float(bands[-1, 1])
    done_x, done_n, done_m = [], [], []
    for _ in range(max_rounds):
        L, R = _halves(panels)
        xl, wl = _panel_nodes(L)
        xr, wr = _panel_nodes(R)
        nl, ml = _densities(xl, vals, mult, tpow, lv, p, bands)
        nr, mr = _densities(xr, vals, mult, tpow, lv, p, bands)
        err = np.zeros(panels.shape[0])
        for f_full, f_l, f_r, tot in ((nu, nl, nr, tot_nu), (mu, ml, mr, tot_mu)):
            for k in (0, 1):
                full = np.sum(w * f_full * (x / top) ** k, axis=1)
                half = np.sum(wl * f_l * (xl / top) ** k, axis=1) + np.sum(wr * f_r * (xr / top) ** k, axis=1)
                err = np.maximum(err, np.abs(full - half) / tot)
        ok = err <= rtol
        # an accepted panel keeps its own rule (its halves agree with it to rtol)
        done_x.append(x[ok])
        done_n.append((w * nu)[ok])
        done_m.append((w * mu)[ok])
        if ok.all():
            break
        panels = np.concatenate([L[~ok], R[~ok]])
        x = np.concatenate([xl[~ok], xr[~ok]])
        w = np.concatenate([wl[~ok], wr[~ok]])
        nu = np.concatenate([nl[~ok], nr[~ok]])
        mu = np.concatenate([ml[~ok], mr[~ok]])
    else:  # pragma: no cover - the densities are piecewise analytic; 40 halvings resolve any of them
        done_x += [x]
        done_n += [w * nu]
        done_m += [w * mu]
    x = np.concatenate([a.ravel() for a in done_x])
    count = np.concatenate([a.ravel() for a in done_n])
    power = np.concatenate([a.ravel() for a in done_m])
    rank = float(mult.sum())
    if p < rank:
        k0 = float(solve_kappa(Spectrum(vals, mult), float(p), 0.0))
        floor = k0 * float(np.sum(tpow / (vals + k0)))
    else:
        k0, floor = 0.0, 0.0
    # exact masses: min(p, rank) eigenvalues and Σv² - P_∞ of learnable power (the quadrature's own
    # masses agree to about rtol; see the tests)
    count *= tot_nu / count.sum()
    learn = float(tpow.sum()) - floor
    power *= learn / power.sum() if power.sum() > 0 else 0.0
    order = np.argsort(x)
    return PseudoModes(x[order], count[order], power[order], floor, bands, k0)


def rf_sgd_pseudo_modes(eigs, target_power, p, *, resolution=None) -> PseudoModes:
    """The quadrature pseudo-modes of :func:`rf_online_sgd_risk` (module notes).

    ``resolution``: the smallest distance from a band edge to resolve (default
    ``1e-12`` times the band width). Returns nodes ``x``, eigenvalue-count weights
    ``count`` (summing to ``min(p, rank)``), target-power weights ``power``
    (summing to ``Σv² - P_∞``), the floor ``P_∞``, the support bands and ``κ₀``.
    """
    (vals, mult), tpow, p, resolution = validate("rf_sgd_pseudo_modes", eigs=eigs, target_power=target_power, p=p,
                                                 resolution=resolution)
    vals, mult, tpow = _merge(vals, mult, tpow)
    p = float(p)
    resolution = None if resolution is None else float(resolution)
    return _pseudo_modes(vals, mult, tpow, p, resolution if resolution else None)


def _kernel_sum_closed_form(vals, mult, p, lr, batch, momentum, top):
    """``S = (lr/B) ∫ x ν(dx)/(A₀ - A₁ lr x)``-type closed form via ``∫ x/(w-x) ν(dx) = -df1(κ(w))``.

    The per-level denominator of :func:`rmt.risk.sgd._momentum_denominator` is
    ``A₀ - A₁ x`` with ``A₀ = 2(1-β)``, ``A₁ = (1-β)/(1+β) + 1/B`` (Gaussian), ``x = lr λ``;
    so ``S = (1/(B A₁)) ∫ y/(w - y) ν(dy)``, ``w = A₀/(A₁ lr)``, and for real
    ``w`` above the support ``∫ y/(w-y) ν(dy) = -df1(κ(w))`` with ``κ(w) < -λ_max``.
    Returns ``inf`` when ``w`` is not above the top edge.
    """
    A0 = 2.0 * (1.0 - momentum)
    A1 = (1.0 - momentum) / (1.0 + momentum) + 1.0 / batch
    w = A0 / (A1 * lr)
    if not w > top:
        return np.inf
    R = 2.0 * np.sqrt(np.sum(mult * vals**2) / p)
    lo = np.array([-vals[0] - R - vals[0] - 2.0 * w])
    with np.errstate(divide="ignore", invalid="ignore"):
        ktop = _bisect(lambda k: _g(k, vals, mult, p) - 1.0, np.array([-vals[0] - R - vals[0]]), np.array([-vals[0]]), True)
        kw = _bisect(lambda k: _zmap(k, vals, mult, p) - w, lo, ktop, False)[0]
    df1 = float(np.sum(mult * vals / (vals + kw)))
    return -df1 / (batch * A1)


def rf_online_sgd_risk(eigs, target_power, noise, p, lr, batch, steps, *, kurtosis=3.0, momentum=0.0) -> RFOnlineSGDRisk:
    r"""Expected risk curve of online SGD on a linear random-feature readout (features averaged by the DE).

    The "4+3 phases" power-law random-feature model (Paquette, Paquette, Xiao &
    Pennington 2024, arXiv:2405.15074) is the power-law case
    ``eigs_j = j^{-2α}``, ``target_power_j = j^{-2α-2β}``, ``p = d`` (their ``v = D``),
    with their batch-sum step ``γ = lr/B`` and their risk ``𝒫 = excess/2``.

    Parameters
    ----------
    eigs : array_like or Spectrum
        Population covariance eigenvalues (≥ 0, finite spectrum).
    target_power : array_like or float
        ``eigs_k w*_k²`` per mode.
    noise : float or array_like
        Label-noise variance (≥ 0); an array gives leading axes.
    p : float
        Number of random features (scalar ≥ 1).
    lr, batch : float / int or schedules of length ``steps``
        As in :func:`rmt.online_sgd_risk` (batch-mean gradient).
    steps : int
        Number of steps; the curve has ``steps + 1`` entries (entry 0 at ``a₀ = 0``).
    kurtosis : float, default 3
        Only ``3`` (Gaussian inputs): the reduction to a linear model on the
        features needs Gaussian ``x``.
    momentum : float or array_like of length ``steps``, default 0
        Heavy-ball momentum ``β_t ∈ [0, 1)`` as in :func:`rmt.online_sgd_risk`.

    Returns
    -------
    RFOnlineSGDRisk
        ``t, excess, test, bias, variance`` (time last), ``limit_loss`` (``P_∞``),
        ``stationary``, ``kernel_sum``, ``lr_max``, ``forcing``, ``kernel``, ``modes``.

    Raises
    ------
    ValueError
        Bad input, or a constant ``lr`` outside the stable range.

    Notes
    -----
    Given ``F`` the dynamics is exactly the online-SGD recursion of
    :func:`rmt.online_sgd_risk` on the spectrum of ``K̂`` with effective noise
    ``noise + P_∞`` (module notes). With the deterministic equivalents of the
    measures ``ν`` and ``μ`` (module notes) and ``a(x) = (1-ηx)² + (η²/B)x²``:

    .. math::

        E(t) = P_\infty + \int a(x)^t\,\mu(dx)
        + \sum_{s<t} K(t-1-s)\big(E(s) + \sigma^2\big),\qquad
        K(\tau) = \frac{\eta^2}{B}\int x^2 a(x)^\tau\,\nu(dx),

    the forcing/kernel (Volterra) form of Paquette et al. (2024); solved as the
    per-mode recursion on the quadrature pseudo-modes (schedules and momentum
    included). For a constant schedule the kernel sum has the closed form
    ``S = Σ_τ K(τ) = -df1(κ(w))/(B A₁)``, ``A₁ = (1-β)/(1+β) + 1/B``,
    ``w = 2(1-β)/(A₁ η)``, ``κ(w)`` the real root left of ``-λ_max``, and the
    stationary excess is ``(P_∞ + σ² S)/(1 - S)``. Stable iff ``S < 1`` and ``w``
    is above the top edge of the DE spectrum. ``bias`` is the curve at σ² = 0
    (it contains ``P_∞`` and the SGD noise it drives), ``variance = σ² × unit``.
    """
    vals, mult, tpow, noise, steps, lr, batch, kurtosis, momentum = _validate(
        eigs, target_power, noise, lr, batch, steps, kurtosis, momentum, "rf_online_sgd_risk")
    vals, mult, tpow = _merge(vals, mult, tpow)
    p = float(validate("rf_online_sgd_risk", p=p))
    scale = 10.0 / (float(lr.max()) * steps) if steps else None
    modes = _pseudo_modes(vals, mult, tpow, p, scale)
    x = np.ascontiguousarray(np.concatenate([modes.x, [modes.bands[-1, 1]]]))  # the top edge, weight 0,
    cnt = np.ascontiguousarray(np.concatenate([modes.count, [0.0]]))  # so that the stability check sees it
    pw = np.ascontiguousarray(np.concatenate([modes.power, [0.0]]))
    constant, S, lr_max = _stability(x, cnt, lr, batch, 3.0, steps, momentum)
    bias, unit = _recursion(x, cnt, pw, lr, batch, momentum, 3.0, constant)
    if not (np.isfinite(bias).all() and np.isfinite(unit).all()):
        raise FloatingPointError("the second moments overflowed (the schedule stays outside the stable range too "
                                 "long); lower lr")
    floor = modes.floor
    shape = noise.shape + (steps + 1,)
    bias = bias + floor * (1.0 + unit)
    variance = noise[..., None] * unit
    excess = bias + variance
    stationary = forcing = kernel = None
    if constant:
        S = _kernel_sum_closed_form(vals, mult, p, lr[0], batch[0], momentum[0], modes.bands[-1, 1])
        stationary = float_output((floor + noise * S) / (1.0 - S))
        if momentum[0] == 0.0:
            eta, B = lr[0], batch[0]
            a = (1.0 - eta * x) ** 2 + eta * eta / B * x * x
            forcing = np.empty(steps + 1)
            kernel = np.empty(steps + 1)
            forcing_once_per_step(pw, a, forcing)
            forcing_once_per_step(eta * eta / B * cnt * x * x, a, kernel)
            forcing += floor
    return RFOnlineSGDRisk(
        t=np.arange(steps + 1),
        excess=float_output(excess),
        test=float_output(excess + noise[..., None]),
        train=None,
        bias=float_output(np.broadcast_to(bias, shape).copy()),
        variance=float_output(variance),
        stationary=stationary,
        kernel_sum=S,
        lr_max=lr_max,
        limit_loss=float(floor),
        forcing=forcing,
        kernel=kernel,
        modes=int(modes.x.size),
    )
