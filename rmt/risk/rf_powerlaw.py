# SPDX-License-Identifier: BSD-3-Clause
r"""Power-law asymptotics of random-feature ridge regression, next to the finite formulas.

Spectrum ``eigs_i = i^{-α}`` and task ``target_power_i = i^{-β}`` (SKGB's
``(α, β)``; BAP's ``(b, a) = (α, β)``; capacity ``α`` and source
``r = (β-1)/(2α)``), ``α > 1``, ``β > 1``. These are the limits of
:func:`rmt.rf_ridge_risk` (:mod:`rmt.risk.random_features`) as ``n, p → ∞``;
every statement here is checked against that finite formula in the tests.

Exponents (risk ``∝ size^{-exponent}``)
---------------------------------------
* **data** (``p = ∞``, ridgeless or small ridge, noiseless): ``min(β-1, 2α)``,
  i.e. ``2α min(r, 1)`` — kernel ridge regression (saturates at ``r = 1``);
* **width** (``n = ∞``, ``ridge → 0``: the projection error
  ``Σ v²(1 - L(γ₀))``, ``df1(γ₀) = p``): ``min(β-1, α)`` = ``2α min(r, 1/2)``
  — saturates at ``r = 1/2``, **not** at ``r = 1``. In BAP's notation this is
  ``min(a-1, b)``; the value ``min(a-1, 2b)`` attributed to Bordelon, Atanasov
  & Pehlevan (ICML 2024) by a third-party summary is contradicted both by the
  deterministic equivalent and by an exact Monte Carlo of the projection error
  (``b = 1.5``, ``a = 3, 4``: fitted slopes ≈ −1.5, not −2 / −3; see the tests);
* **optimal noisy rate** (``p = ∞``, ridge tuned, ``σ² > 0``):
  ``(β̃-1)/β̃`` with ``β̃ = min(β, 2α+1)``, i.e. ``2α min(r,1)/(2α min(r,1)+1)``;
* **features needed** for random features to reach that rate:
  ``p* ∝ n^{max(1, β̃-α)/β̃}`` (the feature variance ``(1-ρ)Σv²L(1-L)`` at the
  optimal γ must not exceed the KRR risk: ``p ≳ df1(γ*) · T(γ*)/risk``).

Leading-order width bottleneck (``n = ∞``, ridgeless; Euler–Maclaurin with
``I₁ = (π/α)/sin(π/α)`` and ``γ₀ ≃ (I₁/(p+½))^α``):

.. math::

    E(p) \simeq \begin{cases}
      \dfrac{\pi}{\alpha\sin(\pi t)} I_1^{\beta-1}(p+\tfrac12)^{-(\beta-1)}, & t = \frac{\beta-1}{\alpha} < 1,\\[1ex]
      \gamma_0\,\zeta(\beta-\alpha) = \gamma_0\,\lVert f_*\rVert_K^2, & \beta - 1 > \alpha,\\[1ex]
      \gamma_0\,\ln(1/\gamma_0)/\alpha, & \beta - 1 = \alpha\ \text{(slow, log-corrected)}.
    \end{cases}

Numerical evidence (exact-tail deterministic equivalent, infinite spectra):
local slopes of ``log p*`` against ``log n`` for ``n = 10³ … 10⁸`` (``p*`` keeps
the tuned RF excess within 1.5× the tuned KRR one): ``(α, β) = (2, 1.5)``:
0.708 → 0.669 (predicted 2/3); ``(2, 3.5)``: 0.424 (3/7 = 0.429); ``(2, 4.5)``:
0.492 → 0.545 (0.556); ``(1.5, 2)``: 0.520 → 0.502 (1/2); saturated
``(1.5, 5)``: 0.562 → 0.620 (0.625); ``(2, 8)``: 0.545 → 0.596 (0.6, where
``max(1, β-α)/β`` without the saturation would say 0.75).

Ridgeless with ``p < n`` the test risk is ``n/(n-p) (E(p) + σ²)`` exactly in the
deterministic equivalent (SKGB §5 closed form), so
:func:`rf_ridgeless_test_asymptotic` multiplies the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import zeta

from .._validation import validate
from .._results import ResultFields

__all__ = ["RFExponents", "rf_exponents", "rf_width_bottleneck", "rf_ridgeless_test_asymptotic"]


@dataclass(frozen=True, repr=False)
class RFExponents(ResultFields):
    """Scaling exponents of random-feature ridge for ``eigs_i = i^-α``, ``target_power_i = i^-β``.

    Attributes
    ----------
    data : float
        ``min(β-1, 2α)``: noiseless ridgeless risk ``∝ n^-data`` at ``p = ∞``.
    width : float
        ``min(β-1, α)``: projection error ``∝ p^-width`` at ``n = ∞``.
    optimal_rate : float
        ``(β̃-1)/β̃``, ``β̃ = min(β, 2α+1)``: tuned noisy excess risk ``∝ n^-optimal_rate``.
    features_needed : float
        ``max(1, β̃-α)/β̃``: ``p ∝ n^features_needed`` features keep the optimal rate.
    source : float
        ``r = (β-1)/(2α)``.
    """

    _summary = ("data", "width", "optimal_rate", "features_needed", "source")

    data: float
    width: float
    optimal_rate: float
    features_needed: float
    source: float


def _exponent_args(alpha, beta, entry="rf_powerlaw.rf_exponents"):
    alpha, beta = validate(entry, alpha=alpha, beta=beta)
    return float(alpha), float(beta)


def rf_exponents(alpha, beta) -> RFExponents:
    r"""Data, width, optimal-rate and features-needed exponents (module notes).

    Examples
    --------
    >>> from rmt.risk.rf_powerlaw import rf_exponents
    >>> e = rf_exponents(1.5, 3.0)          # BAP's b = 1.5, a = 3
    >>> e.width, e.data                      # min(a-1, b), min(a-1, 2b)
    (1.5, 2.0)
    """
    alpha, beta = _exponent_args(alpha, beta)
    bt = min(beta, 2.0 * alpha + 1.0)
    return RFExponents(
        data=min(beta - 1.0, 2.0 * alpha),
        width=min(beta - 1.0, alpha),
        optimal_rate=(bt - 1.0) / bt,
        features_needed=max(1.0, bt - alpha) / bt,
        source=(beta - 1.0) / (2.0 * alpha),
    )


def _I1(alpha):
    return (np.pi / alpha) / np.sin(np.pi / alpha)


def rf_width_bottleneck(alpha, beta, p):
    r"""Leading-order projection error of ``p`` random features on an infinite power law.

    ``n = ∞``, ``ridge → 0``: the excess risk ``Σ_i v_i² γ₀/(λ_i+γ₀)`` with
    ``df1(γ₀) = p`` (:func:`rmt.rf_ridge_risk` at ``n → ∞``), to leading order
    in ``1/p`` (module notes). Broadcasts over ``p``.

    Returns
    -------
    ndarray
        ``∝ p^{-min(β-1, α)}``.
    """
    alpha, beta = _exponent_args(alpha, beta, "rf_powerlaw.rf_width_bottleneck")
    p = validate("rf_powerlaw.rf_width_bottleneck", p=p)
    g0 = (_I1(alpha) / (p + 0.5)) ** alpha
    t = (beta - 1.0) / alpha
    if t < 1.0:
        out = np.pi / (alpha * np.sin(np.pi * t)) * _I1(alpha) ** (beta - 1.0) * (p + 0.5) ** (-(beta - 1.0))
    elif t > 1.0:
        out = g0 * zeta(beta - alpha)
    else:
        out = g0 * np.log(1.0 / g0) / alpha
    return out[()] if np.ndim(out) == 0 else out


def rf_ridgeless_test_asymptotic(alpha, beta, noise, n, p):
    r"""Ridgeless random-feature test risk for ``p < n`` on an infinite power law, leading order.

    ``test ≃ n/(n-p) · (E(p) + σ²)`` with ``E(p)`` from :func:`rf_width_bottleneck`
    (SKGB §5: exact in the deterministic equivalent once ``E(p)`` is exact).
    Broadcasts over ``noise``, ``n``, ``p``; requires ``p < n``.
    """
    noise, n, p = validate("rf_powerlaw.rf_ridgeless_test_asymptotic", noise=noise, n=n, p=p)
    if np.any(p >= n):
        raise ValueError("p must be < n (the under-parameterized ridgeless branch); got p >= n")
    out = n / (n - p) * (rf_width_bottleneck(alpha, beta, p) + noise)
    return out[()] if np.ndim(out) == 0 else out
