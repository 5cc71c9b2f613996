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

from .._arrays import float_output
from .._curves import CurveRisk
from .._kernels.sgd import sgd_momentum_recursion, sgd_recursion
from .._validation import (
    as_int,
    as_levels,
    as_nonnegative,
    as_real,
    as_schedule,
    as_target_power,
    check_no_power_on_null_modes,
)

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


def _is_stable(vals, mult, lr, batch, kurtosis, momentum=0.0):
    """Whether the per-level map ``diag(a) + b 1ᵀ`` has spectral radius < 1; also returns ``S``.

    ``1 - a_k = x_k (2 - c x_k)`` with ``x = lr λ``, ``c = 1 + (κ₄ - 2)/B``, so
    ``S = Σ b/(1-a) = (lr/B) Σ m λ/(2 - c x)`` is computed without cancellation.
    With heavy-ball momentum β the denominator is :func:`_momentum_denominator`.
    """
    if momentum == 0.0:
        denom = 2.0 - (1.0 + (kurtosis - 2.0) / batch) * (lr * vals)
    else:
        denom = _momentum_denominator(lr * vals, batch, kurtosis, momentum)
    if not np.all(denom > 0):  # some a_k >= 1
        return False, np.inf
    S = float(lr / batch * np.sum(mult * vals / denom))
    return S < 1.0, S


def _momentum_denominator(x, batch, kurtosis, momentum):
    r"""``(1-β)(2+2β-x)/(1+β) - (κ₄-2)x/B`` at ``x = lr λ``: the stationary per-level gain is ``S_k = (lr/B) m λ / this``.

    Stationary point of the three-moment map (:mod:`rmt._kernels.sgd`):
    ``x_mom = r e/(1+β)``, ``d = e``, so ``e (1 - r² + 2βr²/(1+β) - β² - q x²/B) = b (E+σ²)`` and
    ``1 - β² - r²(1-β)/(1+β) = (1-β)/(1+β)·x(2+2β-x)``.
    """
    return (1.0 - momentum) * (2.0 + 2.0 * momentum - x) / (1.0 + momentum) - (kurtosis - 2.0) * x / batch


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

    Heavy-ball momentum ``β`` (``0 ≤ β < 1``, needs ``κ₄ ≥ 2``): the per-level map
    has three moments (:func:`online_sgd_risk`); each level's response to a noise
    injection is ``E δ_τ²`` of a linear recursion driven once, hence ``≥ 0``, so
    the Volterra kernel is non-negative and the criterion is again ``S < 1`` with
    every level stable: ``S = (lr/B) Σ_k λ_k / ((1-β)(2+2β-x_k)/(1+β) - (κ₄-2)x_k/B)``,
    ``x_k = lr λ_k``, every denominator ``> 0``.
    """
    vals, mult = as_levels(eigs)
    batch = float(as_schedule(batch, 1, "batch", minimum=1.0, strict=False, integer=True)[0])
    kurtosis = _as_kurtosis(kurtosis)
    momentum = float(_as_momentum(momentum, 1, kurtosis)[0])
    return _lr_max(vals[vals > 0], mult[vals > 0], batch, kurtosis, momentum)


def _lr_max(vals, mult, batch, kurtosis, momentum=0.0):
    lmax = vals.max()
    c = 1.0 + (kurtosis - 2.0) / batch
    if momentum != 0.0:  # the per-level denominator vanishes there
        hi = 2.0 * (1.0 - momentum) / ((1.0 - momentum) / (1.0 + momentum) + (kurtosis - 2.0) / batch) / lmax
    elif c > 0:
        hi = 2.0 / (c * lmax)  # a_max reaches 1 there
    else:  # κ₄ = 1, B = 1: S = lr tr/2 reaches 2 at hi
        hi = 4.0 * batch / float(np.sum(mult * vals))
    lo = 0.0
    if _is_stable(vals, mult, hi, batch, kurtosis, momentum)[0]:
        return float(hi)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _is_stable(vals, mult, mid, batch, kurtosis, momentum)[0]:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-16 * hi:
            break
    return float(lo)


def _as_kurtosis(kurtosis):
    k = as_real(kurtosis, "kurtosis")
    if k.ndim != 0:
        raise ValueError(f"kurtosis must be a scalar E z⁴ >= 1; got shape {k.shape}")
    if k < 1.0:
        raise ValueError(f"kurtosis must be >= 1 (E z⁴ >= (E z²)² = 1 for unit-variance coordinates); got {float(k)!r}")
    return float(k)


def _as_momentum(momentum, steps, kurtosis):
    """Heavy-ball momentum: a scalar or one value per step, each in ``[0, 1)``; nonzero needs ``kurtosis >= 2``."""
    if steps == 0 and np.ndim(momentum) == 0:
        mom = as_schedule([momentum], 1, "momentum", minimum=0.0, strict=False)
    else:
        mom = as_schedule(momentum, steps, "momentum", minimum=0.0, strict=False)
    if np.any(mom >= 1.0):
        raise ValueError(f"momentum must be in [0, 1) (heavy ball; 1 never forgets); got max {float(mom.max())!r}")
    if np.any(mom != 0.0) and kurtosis < 2.0:
        raise ValueError(
            f"momentum must be 0 when kurtosis < 2 (the stability criterion with momentum needs a non-negative "
            f"Volterra kernel, guaranteed for kurtosis >= 2); got kurtosis = {kurtosis:g}"
        )
    return mom[:steps]


def _check_finite_spectrum(obj, name):
    if getattr(obj, "infinite", False):
        raise ValueError(
            f"{name} must be a finite spectrum for online_sgd_risk; got an infinite {obj!r}. The per-mode recursion "
            "has no analytic tail yet (not implemented): pass PowerLaw(alpha, scale, size=D)"
        )


def _validate(eigs, target_power, noise, lr, batch, steps, kurtosis):
    """Shared input checks of the predictor and its Monte Carlo twin."""
    _check_finite_spectrum(eigs, "eigs")
    _check_finite_spectrum(target_power, "target_power")
    vals, mult = as_levels(eigs)
    tpow = as_target_power(target_power, vals.size)
    check_no_power_on_null_modes(vals, tpow)
    noise = as_nonnegative(noise, "noise")
    steps = as_int(steps, "steps", minimum=0)
    if steps == 0:  # no step uses them, but a scalar must still be in range
        as_schedule(lr if np.ndim(lr) else [lr], 1 if np.ndim(lr) == 0 else np.size(lr), "lr", minimum=0.0)
        as_schedule(batch if np.ndim(batch) else [batch], 1 if np.ndim(batch) == 0 else np.size(batch), "batch",
                    minimum=1.0, strict=False, integer=True)
    lr = as_schedule(lr, steps, "lr", minimum=0.0)
    batch = as_schedule(batch, steps, "batch", minimum=1.0, strict=False, integer=True)
    kurtosis = _as_kurtosis(kurtosis)
    return vals, mult, tpow, noise, steps, lr, batch, kurtosis


def _constant(sched):
    return sched.size > 0 and bool(np.all(sched == sched[0]))


def _stability(vals, mult, lr, batch, kurtosis, steps, momentum=None):
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
        ok, S = _is_stable(vals, mult, lr[0], batch[0], kurtosis, beta)
        lr_max = _lr_max(vals, mult, batch[0], kurtosis, beta)
        if not ok:
            mom = f", momentum = {beta:g}" if beta else ""
            raise ValueError(
                f"lr must be in the stable range 0 < lr < {lr_max:.10g} for batch = {batch[0]:g}{mom}, kurtosis = "
                f"{kurtosis:g} (the second moments grow without bound: need every a_k < 1 and "
                f"S = sum of the Volterra kernel < 1; here S = {S:.6g}); got {float(lr[0])!r}"
            )
        return True, S, lr_max
    pairs = list(zip(batch.tolist(), momentum.tolist()))
    limits = {bm: _lr_max(vals, mult, bm[0], kurtosis, bm[1]) for bm in set(pairs)}
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


def online_sgd_risk(eigs, target_power, noise, lr, batch, steps, *, kurtosis=3.0, momentum=0.0) -> OnlineSGDRisk:
    r"""Exact expected risk curve of online (one-pass, fresh-batch) SGD on linear regression.

    Parameters
    ----------
    eigs : array_like or Spectrum
        Population covariance eigenvalues (≥ 0, finite spectrum; an infinite
        ``PowerLaw`` is refused: no analytic tail for this recursion yet).
    target_power : array_like or float
        ``eigs_k w*_k²`` per mode (a level's total power for a Spectrum with multiplicities).
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
    vals, mult, tpow, noise, steps, lr, batch, kurtosis = _validate(eigs, target_power, noise, lr, batch, steps, kurtosis)
    momentum = _as_momentum(momentum, steps, kurtosis)
    keep = vals > 0
    vals, mult, tpow = (np.ascontiguousarray(x[keep]) for x in (vals, mult, tpow))
    constant, S, lr_max = _stability(vals, mult, lr, batch, kurtosis, steps, momentum)
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
