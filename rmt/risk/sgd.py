# SPDX-License-Identifier: BSD-3-Clause
r"""Online (one-pass) SGD for linear regression: the exact per-mode second-moment recursion.

Conventions (``DESIGN.md``): ``x = Σ^{1/2} z``, ``Σ = diag(eigs)``; ``y = <w*, x> + ε``,
``E ε = 0``, ``E ε² = noise``; ``target_power[k] = eigs[k] w*[k]²``; the update
``w ← w - (lr/B) Σ_b x_b(<w, x_b> - y_b)`` on a fresh batch of ``B`` samples each
step, ``w₀ = 0``; ``excess = E (w - w*)ᵀ Σ (w - w*)``, ``test = excess + noise``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

import math

from .._arrays import float_output
from .._curves import CurveRisk
from .._kernels import sums as S_
from .._kernels import tail as T
from .._kernels.sgd import sgd_momentum_recursion, sgd_recursion
from ..resolvent._mp import as_method
from .._validation import (
    validate,
)
from ..resolvent.onepoint import _is_infinite, prepare, prepare_task
from ..spectra import Spectrum

__all__ = ["OnlineSGDRisk", "online_sgd_risk", "sgd_stable_lr"]


@dataclass(frozen=True, eq=False, repr=False)
class OnlineSGDRisk(CurveRisk):
    """:class:`rmt._curves.CurveRisk` of online SGD (``train`` is ``None``).

    Extra attributes
    ----------------
    stationary : float, ndarray or None
        ``lim_{t→∞} excess`` for a constant ``lr`` and ``batch``:
        ``noise·S/(1 - S)`` with ``S = Σ_τ K(τ)`` (:attr:`kernel_sum`); ``None``
        when the schedule is not constant (no stationary state is defined) or ``steps = 0``.
    kernel_sum : float or None
        ``S = Σ_{τ≥0} K(τ) = (lr/B) Σ_k eigs_k / (2 - lr·eigs_k·(1 + (kurtosis-2)/B))``
        for a constant schedule, else ``None``. Stable iff ``S < 1`` and every ``a_k < 1`` (:func:`sgd_stable_lr`).
    lr_max : float or None
        The stable range is ``0 < lr < lr_max`` (constant schedule; else ``None``).
    """

    stationary: object = None
    kernel_sum: float | None = None
    lr_max: float | None = None


_NO_TAIL = np.zeros(0)


def _tail_kernel_sum(tail, ceta):
    """``Σ_{k>M} λ_k/(2 - c·lr·λ_k)`` of a power-law tail (0 without one), ``ceta = c·lr``.

    With ``κ = -2/(c·lr)`` it is ``-(1/(c·lr)) Σ λ/(λ + κ)``: ``df1``'s tail at a
    negative κ past every eigenvalue (``c > 0``, through the complex tail) or at a
    positive one (``c < 0``); ``Σ λ/2`` at ``c = 0``.
    """
    if tail.size == 0:
        return 0.0
    if ceta == 0.0:
        return 0.5 * T.tail_trace(tail)
    kappa = np.array([-2.0 / ceta + (0j if ceta > 0 else 0.0)])
    tot = S_.weighted_sums(np.zeros(0), np.zeros((1, 0)), [1.0], [1], [0], kappa, tail=tail,
                           tail_weights=np.array([[1.0, 0.0]]))
    return float((-tot[0, 0] / ceta).real)


def _gain_coefficients(batch, kurtosis, momentum):
    r"""``(A, C)`` of each level's stationary denominator ``A - C·x`` at ``x = lr λ``.

    The stationary per-level gain is ``S_k = (lr/B) m λ/(A - C x)``. Plain SGD:
    ``A = 2``, ``C = c = 1 + (κ₄ - 2)/B``. Heavy-ball momentum ``β``: the
    stationary point of the three-moment map (:mod:`rmt._kernels.sgd`),
    ``x_mom = r e/(1+β)``, ``d = e``, gives ``e (1 - r² + 2βr²/(1+β) - β² - q x²/B) = b (E+σ²)``
    with ``1 - β² - r²(1-β)/(1+β) = (1-β)/(1+β)·x(2+2β-x)``, so ``A = 2(1-β)``,
    ``C = (1-β)/(1+β) + (κ₄-2)/B`` (β = 0 gives the plain values exactly).
    """
    return 2.0 * (1.0 - momentum), (1.0 - momentum) / (1.0 + momentum) + (kurtosis - 2.0) / batch


def _is_stable(vals, mult, lr, batch, kurtosis, momentum=0.0, tail=_NO_TAIL):
    """Whether the per-level map has spectral radius < 1; also returns ``S``.

    ``1 - a_k = x_k (2 - c x_k)`` with ``x = lr λ``, ``c = 1 + (κ₄ - 2)/B``, so
    ``S = Σ b/(1-a) = (lr/B) Σ m λ/(2 - c x)`` is computed without cancellation;
    with momentum the denominator is ``A - C x`` (:func:`_gain_coefficients`).
    An infinite power law's tail is summed analytically (:func:`_tail_kernel_sum`;
    its eigenvalues are below the head's, so ``a_k < 1`` is decided on the head).
    """
    A, C = _gain_coefficients(batch, kurtosis, momentum)
    denom = A - C * (lr * vals)
    if not np.all(denom > 0):  # some a_k >= 1
        return False, np.inf
    S = float(lr / batch * (np.sum(mult * vals / denom) + 2.0 / A * _tail_kernel_sum(tail, 2.0 * C * lr / A)))
    return S < 1.0, S



def sgd_stable_lr(eigs, batch=1, *, kurtosis=3.0, momentum=0.0) -> float:
    r"""The largest stable constant learning rate of online SGD: stable iff ``0 < lr < lr_max``.

    Stability means spectral radius < 1 of the linear map ``T = diag(a) + b 1ᵀ`` on
    the per-mode moments ``λ_k c_k``, with ``a_k = (1 - lr λ_k)² + (lr²/B)(κ₄ - 2)λ_k²``
    and ``b_k = (lr²/B) λ_k²``. ``T`` is entrywise non-negative (its diagonal is
    ``a_k + b_k = (1 - lr λ_k)² + (lr²/B)(κ₄ - 1)λ_k² ≥ 0``, even where ``a_k < 0``),
    so by Perron–Frobenius its spectral radius is its largest real eigenvalue, the
    root above ``max a`` of ``Σ_k b_k/(μ - a_k) = 1``. That root is below 1 iff every
    ``a_k < 1`` and ``S = Σ_k b_k/(1 - a_k) = (lr/B) Σ_k λ_k/(2 - c·lr·λ_k) < 1``
    (``c = 1 + (κ₄ - 2)/B``; ``S = Σ_τ K(τ)``, the signed sum of the Volterra kernel;
    ``a_k > -1`` is not needed). ``S`` increases with ``lr``, so the stable set is
    ``(0, lr_max)``; ``lr_max`` is found by bisection, to relative precision ~1e-16.
    An infinite ``PowerLaw`` has the tail of ``S`` summed analytically.

    Heavy-ball momentum ``β`` (``0 ≤ β < 1``, needs ``κ₄ ≥ 2``): the per-level map
    has three moments (:func:`online_sgd_risk`); each level's response to a noise
    injection is ``E δ_τ²`` of a linear recursion driven once, hence ``≥ 0``, so
    the Volterra kernel is non-negative and the criterion is again ``S < 1`` with
    every level stable: ``S = (lr/B) Σ_k λ_k / ((1-β)(2+2β-x_k)/(1+β) - (κ₄-2)x_k/B)``,
    ``x_k = lr λ_k``, every denominator ``> 0``.
    """
    tail = _NO_TAIL
    if _is_infinite(eigs):  # the head's levels go through the declared checks; the tail is summed analytically
        lv = prepare(eigs, allow_tail=True)
        eigs, tail = Spectrum(lv.all_vals, lv.all_mult), lv.tail
    (vals, mult), batch, kurtosis, momentum = validate("sgd_stable_lr", eigs=eigs, batch=batch, kurtosis=kurtosis,
                                                       momentum=momentum)
    batch, kurtosis = float(batch), float(kurtosis)
    momentum = float(_check_momentum(momentum, kurtosis))
    return _lr_max(vals[vals > 0], mult[vals > 0], batch, kurtosis, momentum, tail)


def _lr_max(vals, mult, batch, kurtosis, momentum=0.0, tail=_NO_TAIL):
    lmax = vals.max()
    A, C = _gain_coefficients(batch, kurtosis, momentum)
    if C > 0:
        hi = A / (C * lmax)  # the top level's denominator vanishes there
    else:  # κ₄ = 1, B = 1: S = lr tr/2 reaches 2 at hi
        hi = 4.0 * batch / (float(np.sum(mult * vals)) + T.tail_trace(tail))
    lo = 0.0
    if _is_stable(vals, mult, hi, batch, kurtosis, momentum, tail)[0]:
        return float(hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _is_stable(vals, mult, mid, batch, kurtosis, momentum, tail)[0]:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-16 * hi:
            break
    return float(lo)


def _validate(eigs, target_power, noise, lr, batch, steps, kurtosis, momentum=0.0, entry="online_sgd_risk"):
    """Shared input checks of the predictor and its Monte Carlo twin (their declarations).

    Returns ``(vals, mult, tpow, noise, steps, lr, batch, kurtosis, momentum)``,
    the schedules as arrays of length ``steps``.
    """
    (vals, mult), tpow, noise, steps, lr, batch, kurtosis, momentum = validate(
        entry, eigs=eigs, target_power=target_power, noise=noise, steps=steps, lr=lr, batch=batch, kurtosis=kurtosis,
        momentum=momentum)
    kurtosis = float(kurtosis)
    return vals, mult, tpow, noise, steps, lr, batch, kurtosis, _check_momentum(momentum, kurtosis)


def _check_momentum(mom, kurtosis):
    """Heavy-ball momentum (declared ``[0, 1)`` per step): nonzero needs ``kurtosis >= 2``."""
    if np.any(mom != 0.0) and kurtosis < 2.0:
        raise ValueError(
            f"momentum must be 0 when kurtosis < 2 (the stability criterion with momentum needs a non-negative "
            f"Volterra kernel, guaranteed for kurtosis >= 2); got kurtosis = {kurtosis:g}"
        )
    return mom


def _constant(sched):
    return sched.size > 0 and bool(np.all(sched == sched[0]))


def _stability(vals, mult, lr, batch, kurtosis, steps, momentum=None, tail=_NO_TAIL):
    """Raise for an unstable constant schedule, warn for a schedule unstable on some steps.

    Returns ``(constant, S, lr_max)``.
    """
    if steps == 0:
        return False, None, None
    if momentum is None:
        momentum = np.zeros(steps)
    constant = _constant(lr) and _constant(batch) and _constant(momentum)
    if constant:
        beta = float(momentum[0])
        ok, S = _is_stable(vals, mult, lr[0], batch[0], kurtosis, beta, tail)
        lr_max = _lr_max(vals, mult, batch[0], kurtosis, beta, tail)
        if not ok:
            mom = f", momentum = {beta:g}" if beta else ""
            raise ValueError(
                f"lr must be in the stable range 0 < lr < {lr_max:.10g} for batch = {batch[0]:g}{mom}, kurtosis = "
                f"{kurtosis:g} (the second moments grow without bound: need every a_k < 1 and "
                f"S = sum of the Volterra kernel < 1; here S = {S:.6g}); got {float(lr[0])!r}"
            )
        return True, S, lr_max
    pairs = list(zip(batch.tolist(), momentum.tolist()))
    limits = {bm: _lr_max(vals, mult, bm[0], kurtosis, bm[1], tail) for bm in set(pairs)}
    lim = np.array([limits[bm] for bm in pairs])
    bad = lr >= lim
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        warnings.warn(
            f"lr leaves the stable range on {int(bad.sum())} of {steps} steps (first at step {i}: lr = {lr[i]:.6g} "
            f">= lr_max = {lim[i]:.6g} for batch {batch[i]:g}, momentum {momentum[i]:g}); the risk grows on those "
            "steps",
            RuntimeWarning,
            stacklevel=3,
        )
    return False, None, None


#: Euler–Maclaurin midpoint corrections as a 7-point stencil at X + j (j = -3..3): weights c_j with
#: Σ_j c_j g(X + j) = g′(X)/24 - 7g‴(X)/5760 + 31g⁽⁵⁾(X)/967680 for every polynomial g of degree ≤ 6.
_EM_OFFSETS = np.arange(-3.0, 4.0)
_EM_WEIGHTS = np.linalg.solve(
    np.array([_EM_OFFSETS**m / math.factorial(m) for m in range(7)]),
    np.array([0.0, 1 / 24, 0.0, -7 / 5760, 0.0, 31 / 967680, 0.0]),
)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(10)
_FAR_TOL = 1e-15


def _tail_pseudo_modes(tail, lr, batch):
    r"""Weighted pseudo-levels ``(vals, mult, power)`` standing for the modes ``k > M`` of a power-law tail.

    Each mode of the recursion evolves by the same smooth function of ``λ_k``
    and linearly in its multiplicity and power, so at every step the tail's
    share of ``E(t)`` is ``Σ_{k>M} g_t(k)`` with ``g_t`` smooth in ``k``. By the
    Euler–Maclaurin formula about ``X = M + ½`` it is ``∫_X^∞ g_t + (g_t′/24 -
    7g_t‴/5760 + 31g_t⁽⁵⁾/967680)(X) + O(g⁽⁷⁾)``:

    * the integral over ``[X, K_far]`` by 10-point Gauss–Legendre panels in
      ``u = log(x/X)`` (``g_t`` varies on the scale ``1/α`` in ``u`` whatever ``t``:
      panels ``min(1/2, 1/α)`` wide); node ``x`` becomes a level with eigenvalue
      ``s x^-α``, multiplicity ``x·w`` and power ``t x^-β·x·w``;
    * the derivative terms by a 7-point stencil of levels at ``X - 3 … X + 3``
      (signed multiplicities ``c_j``, exact to degree 6);
    * beyond ``K_far`` the modes barely move over the whole schedule (``2λΣlr``
      of their power, ``λ²Σlr²/B`` of noise, summed over them, below 1e-15 of
      the total power, resp. of ``s²``): one frozen level (``λ = 0``) carries
      ``∫_{K_far}^∞ t x^-β dx``.

    A few hundred levels, independent of the number of modes and of ``steps``.
    """
    M, alpha, s = tail[T.TAIL_M], tail[T.TAIL_ALPHA], tail[T.TAIL_SCALE]
    tv, beta = tail[T.TAIL_TSCALE], tail[T.TAIL_BETA]
    X = M + 0.5
    eta_T = float(np.sum(lr))
    q_T = float(np.sum(lr**2 / batch))
    K_far = 4.0 * X
    if tv > 0:
        p = alpha + beta - 1.0
        K_far = max(K_far, (2.0 * eta_T * s / (p * _FAR_TOL)) ** (1.0 / p))
    K_far = max(K_far, (q_T / ((2.0 * alpha - 1.0) * _FAR_TOL)) ** (1.0 / (2.0 * alpha - 1.0)))
    u_far = math.log(K_far / X)
    width = min(0.5, 1.0 / alpha)
    panels = max(1, math.ceil(u_far / width))
    edges = np.linspace(0.0, u_far, panels + 1)
    half = 0.5 * np.diff(edges)
    u = ((edges[:-1] + half)[:, None] + half[:, None] * _GL_X[None, :]).ravel()
    wu = (half[:, None] * _GL_W[None, :]).ravel()
    x = np.concatenate([X * np.exp(u), X + _EM_OFFSETS])
    w = np.concatenate([X * np.exp(u) * wu, _EM_WEIGHTS])
    vals = s * x**-alpha
    power = w * tv * x**-beta if tv > 0 else np.zeros_like(x)
    far = tv * K_far ** (1.0 - beta) / (beta - 1.0) if tv > 0 else 0.0
    return np.r_[vals, 0.0], np.r_[w, 0.0], np.r_[power, far]


def _recursion(vals, mult, tpow, lr, batch, momentum, kurtosis, constant):
    """The compiled per-level recursion: ``(bias, unit)`` curves (plain kernel when every momentum is 0)."""
    steps = lr.size
    bias = np.empty(steps + 1)
    unit = np.empty(steps + 1)
    if np.any(momentum != 0.0):
        sgd_momentum_recursion(vals, mult, tpow, lr, batch, momentum, kurtosis - 2.0, bias, unit)
    else:
        sgd_recursion(vals, mult, tpow, lr, batch, kurtosis - 2.0, constant, bias, unit)
    return bias, unit


def online_sgd_risk(eigs, target_power, noise, lr, batch, steps, *, kurtosis=3.0, momentum=0.0,
                    method: str = "numba", dps: int = 50) -> OnlineSGDRisk:
    r"""Exact expected risk curve of online (one-pass, fresh-batch) SGD on linear regression.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population covariance eigenvalues (≥ 0). An infinite ``PowerLaw(alpha,
        scale)`` enters through its analytic tail: the modes beyond the head are
        replaced by a few hundred weighted pseudo-levels (Euler–Maclaurin with a
        Gauss–Legendre integral, :func:`_tail_pseudo_modes`), so the cost does not
        depend on the number of modes; ``stationary``, ``kernel_sum`` and
        ``lr_max`` sum the tail analytically. Accuracy: see Notes.
    target_power : array_like, float or PowerLaw
        ``eigs_k w*_k²`` per mode (a level's total power for a Spectrum with
        multiplicities); for an infinite ``eigs`` as in :func:`rmt.ridge_risk`
        (an infinite ``PowerLaw``, a finite array on the first modes, or 0).
    noise : float or array_like
        Label-noise variance ``E ε²`` (≥ 0). An array gives leading axes of the result.
    lr : float or array_like of length ``steps``
        Learning rate ``η_t > 0`` (a schedule: entry ``t`` is used in step ``t → t+1``).
    batch : int or array_like of length ``steps``
        Batch size ``B_t ≥ 1`` (whole numbers), batch-mean gradient.
    steps : int
        Number of steps (≥ 0); the curve has ``steps + 1`` entries, entry 0 at ``w₀ = 0``.
    kurtosis : float, default 3
        ``κ₄ = E z⁴ ≥ 1`` of the i.i.d. standardized coordinates ``z = Σ^{-1/2}x`` (3: Gaussian).
    momentum : float or array_like of length ``steps``, default 0
        Heavy-ball momentum ``β_t ∈ [0, 1)``: ``w_{t+1} = w_t - η_t g_t + β_t (w_t - w_{t-1})``,
        ``w_{-1} = w_0 = 0`` (Polyak 1964). Nonzero needs ``kurtosis ≥ 2``. ``0`` runs
        the plain recursion (bit for bit).
    method : {"numba", "mpmath"}
        ``"mpmath"``: the same recursion in ``mpf`` arithmetic at ``dps`` digits
        (:mod:`rmt.risk._mp_dynamics`); the curves, ``stationary`` and
        ``kernel_sum`` are then ``mpf`` (object arrays). Slow (O(levels × steps)
        ``mpf`` operations): for checking.
    dps : int
        Decimal digits for ``method="mpmath"`` (>= 15).

    Returns
    -------
    OnlineSGDRisk
        ``t, excess, test, bias, variance`` (time last; ``noise``'s shape in front),
        ``train = None``, ``stationary``, ``kernel_sum``, ``lr_max``.

    Raises
    ------
    ValueError
        Bad input, or a constant ``lr`` outside the stable range (the message gives it).
        A schedule that leaves the stable range on some steps only warns (``RuntimeWarning``).

    Notes
    -----
    With ``Δ = w - w*`` and coordinates independent in the eigenbasis, the
    diagonal second moments ``c_k = E Δ_k²`` close exactly (for any D, no
    asymptotics; the off-diagonal ones never feed back):

    .. math::

        c_k(t+1) = a_k c_k(t) + \frac{\eta_t^2}{B_t}\lambda_k\big(E(t) + \sigma^2\big),\quad
        a_k = (1-\eta_t\lambda_k)^2 + \frac{\eta_t^2}{B_t}(\kappa_4-2)\lambda_k^2,\quad
        E(t) = \sum_k \lambda_k c_k(t),

    from ``E[x xᵀ C x xᵀ]_{kk} = λ_k tr(ΣC) + (κ₄-1)λ_k² C_kk``, with
    ``c_k(0) = w*_k²``. Equivalently the Volterra equation
    ``E(t) = F(t) + Σ_{s<t} K(t-1-s)(E(s)+σ²)``, ``F(t) = Σ λ_k c_k(0) a_k^t``,
    ``K(τ) = (η²/B) Σ λ_k² a_k^τ``. For constant ``η, B`` the stationary excess
    is ``σ² S/(1-S)``, ``S = Σ_τ K(τ)``. The curve is linear in σ²:
    ``bias`` is the run at σ² = 0 and ``variance = σ² × (the run from c = 0 at
    unit noise)``; both are computed in one compiled pass, cost O(modes × steps).

    With momentum the per-mode moments ``E δ², E δδ_prev, E δ_prev²`` close
    exactly (``δ = w_k - w*_k``, ``r = 1 + β - ηλ_k``; Gaussian fourth moments or
    kurtosis as above, the off-diagonal moments still never feed back):
    ``E δ'² = r² E δ² - 2βr E δδ_prev + β² E δ_prev² + (η²/B)[(κ₄-2)λ_k² E δ² + λ_k(E+σ²)]``,
    ``E δ'δ = r E δ² - β E δδ_prev``; stationary excess ``σ² S/(1-S)`` with
    ``S`` of :func:`sgd_stable_lr`.

    This is the recursion used by Bordelon & Pehlevan (2022, "Learning curves for
    SGD on structured features", arXiv:2106.02713) and, in batch-sum form
    (``lr = γB``), by Paquette, Paquette, Xiao & Pennington (2024, "4+3 phases of
    compute-optimal neural scaling laws", arXiv:2405.15074).

    Examples
    --------
    >>> import numpy as np, rmt
    >>> eigs = np.arange(1, 101.0) ** -1.5
    >>> r = rmt.online_sgd_risk(eigs, eigs / eigs.sum(), 0.09, 0.2, 1, 400)
    >>> r.excess.shape
    (401,)
    """
    dps = as_method(method, dps)
    tail = _NO_TAIL
    if _is_infinite(eigs):  # the head's levels go through the same checks; the tail is added below
        if dps is not None:
            raise ValueError("method='mpmath' needs a finite spectrum for online_sgd_risk (the infinite-PowerLaw "
                             "tail is summed by quadrature pseudo-levels in float64 only)")
        lv, head_power = prepare_task(eigs, target_power)
        eigs, target_power, tail = Spectrum(lv.all_vals, lv.all_mult), head_power, lv.tail
    vals, mult, tpow, noise, steps, lr, batch, kurtosis, momentum = _validate(
        eigs, target_power, noise, lr, batch, steps, kurtosis, momentum)
    keep = vals > 0
    vals, mult, tpow = (np.ascontiguousarray(x[keep]) for x in (vals, mult, tpow))
    constant, S, lr_max = _stability(vals, mult, lr, batch, kurtosis, steps, momentum, tail)
    if dps is not None:
        if np.any(momentum != 0.0):
            raise ValueError("method='mpmath' runs the plain recursion only: pass momentum=0 to the referee")
        from ._mp_dynamics import online_sgd_result

        return online_sgd_result(OnlineSGDRisk, vals, mult, tpow, noise, lr, batch, kurtosis, constant, lr_max, dps)
    if tail.size:
        pv, pm, pp = _tail_pseudo_modes(tail, lr, batch)
        vals, mult, tpow = (np.ascontiguousarray(np.r_[a, b]) for a, b in ((vals, pv), (mult, pm), (tpow, pp)))
    bias, unit = _recursion(vals, mult, tpow, lr, batch, momentum, kurtosis, constant)
    if not (np.isfinite(bias).all() and np.isfinite(unit).all()):
        raise FloatingPointError(
            "the second moments overflowed (the schedule stays outside the stable range too long); lower lr"
        )
    shape = noise.shape + (steps + 1,)
    variance = noise[..., None] * unit
    excess = bias + variance
    stationary = None
    if constant:
        stationary = float_output(noise * (S / (1.0 - S)))
    return OnlineSGDRisk(
        t=np.arange(steps + 1),
        excess=float_output(excess),
        test=float_output(excess + noise[..., None]),
        train=None,
        bias=float_output(np.broadcast_to(bias, shape).copy()),
        variance=float_output(variance),
        stationary=stationary,
        kernel_sum=S,
        lr_max=lr_max,
    )
