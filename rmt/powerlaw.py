# SPDX-License-Identifier: BSD-3-Clause
r"""Closed-form asymptotics of (kernel) ridge regression on power laws.

Spectrum ``λ_k = k^-α`` (``α > 1``), task ``v_k² = target_power[k] = k^-β``
(``β > 1``, a finite target variance), label noise ``σ² = noise``, ``n``
samples, per-sample ridge ``ridge = δ/n`` (docs/conventions.md; ``δ`` is the
unnormalized ridge of Simon et al. 2021 and of Zhou, Simon, Vardi & Srebro 2024).
Every function here is the ``n → ∞`` (continuum) limit of a finite-``n``
computation of :mod:`rmt` on the *infinite* spectrum
``rmt.spectra.PowerLaw(alpha)`` and task ``PowerLaw(beta)``, which its
docstring names; ``tests/test_powerlaw.py`` checks that the ratio of the two
tends to 1.

Continuum constants (Euler–Maclaurin on ``Σ_k f(κ k^α)``):

.. math::

    I_1 = \int_0^\infty \frac{du}{1+u^\alpha} = \frac{\pi/\alpha}{\sin(\pi/\alpha)},\quad
    I_2 = \Big(1-\frac1\alpha\Big) I_1,\quad
    J = \int_0^\infty \frac{u^{2\alpha-\beta}\,du}{(1+u^\alpha)^2} = \frac{\Gamma(t)\Gamma(2-t)}{\alpha},
    \ t = \frac{\beta-1}{\alpha},

so that ``df1(κ) = I₁ κ^{-1/α} - 1/2``, ``df2(κ) = I₂ κ^{-1/α} - 1/2`` and
``B₀(κ) = Σ v_k²(1-L_k)² = J κ^{(β-1)/α}`` up to ``O(κ)`` relative terms
(for ``β < 2α + 1``; above it the target *saturates*:
``B₀ = ζ(β - 2α) κ²``). Formulas: the continuum limits of Simon et al. 2024 (arXiv:2311.14646) and
Zhou et al. 2024 (arXiv:2306.13185), re-derived and verified here against the
finite-n computation, with the refinements stated in each docstring.

Exponent conventions (§2): convention K ``(α, β)`` (this module), capacity /
source ``(α, r)`` with ``β = 1 + 2αr``, Bordelon–Atanasov–Pehlevan
``(a, b) = (β, α)``, and the power-law random-feature (4+3) exponents
``(α_p, β_p)`` with ``α = 2α_p``, ``β = 2α_p + 2β_p``. Converters:
:func:`from_source_capacity`, :func:`to_source_capacity`, :func:`from_ab`,
:func:`to_ab`, :func:`from_plrf`, :func:`to_plrf`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import gamma as _gamma
from scipy.special import zeta as _zeta

from ._arrays import float_output as _float_out
from ._results import TupleFields
from ._validation import validate

__all__ = [
    "I1",
    "I2",
    "J",
    "saturated",
    "bias_scale",
    "ridgeless_kappa",
    "ridgeless_E0",
    "ridgeless_test",
    "PathRisk",
    "path_risk",
    "x_from_ridge",
    "CostLimit",
    "relative_noise",
    "cost_limit",
    "overfitting_cost_limit",
    "noiseless_cost",
    "interpolation_is_optimal",
    "optimal_test_limit",
    "optimal_excess_rate",
    "Exponents",
    "learning_curve_exponents",
    "ridge_exponents",
    "from_source_capacity",
    "to_source_capacity",
    "from_ab",
    "to_ab",
    "from_plrf",
    "to_plrf",
]


# --------------------------------------------------------------------------- validation


def _off_saturation(b, a, name="beta"):
    """Refuse ``beta = 2 alpha + 1`` (a constraint between two arguments, so not a declaration)."""
    a, b = np.broadcast_arrays(a, b)
    if (b == 2 * a + 1).any():
        raise ValueError(
            f"{name} must differ from 2*alpha + 1 (the saturation boundary, where the bias carries a log n "
            f"factor not covered by these closed forms); got {name}={b[b == 2 * a + 1].ravel()[0]!r}"
        )


# --------------------------------------------------------------------------- constants


def I1(alpha):
    r"""``I₁(α) = ∫₀^∞ du/(1+u^α) = (π/α)/sin(π/α)``.

    For ``λ_k = k^-α``: ``df1(κ) ≈ I₁ κ^{-1/α} - 1/2``.
    """
    a = validate("powerlaw.I1", alpha=alpha)
    return _float_out((np.pi / a) / np.sin(np.pi / a))


def I2(alpha):
    r"""``I₂(α) = ∫₀^∞ du/(1+u^α)² = (1 - 1/α) I₁``: ``df2(κ) ≈ I₂ κ^{-1/α} - 1/2``."""
    a = validate("powerlaw.I2", alpha=alpha)
    return _float_out((1.0 - 1.0 / a) * I1(a))


def J(alpha, beta):
    r"""``J(α, β) = Γ(t)Γ(2-t)/α``, ``t = (β-1)/α ∈ (0, 2)``: ``B₀(κ) ≈ J κ^t`` (``β < 2α + 1``)."""
    a, b = validate("powerlaw.J", alpha=alpha, beta=beta)
    _off_saturation(b, a)
    t = (b - 1.0) / a
    if (t >= 2).any():
        raise ValueError("beta must be < 2*alpha + 1 for J (above it the bias saturates: see saturated())")
    return _float_out(_gamma(t) * _gamma(2.0 - t) / a)


def saturated(alpha, beta):
    """``True`` where ``β > 2α + 1`` (source ``r > 1``): the bias decays like ``κ²`` whatever β."""
    a, b = validate("powerlaw.saturated", alpha=alpha, beta=beta)
    _off_saturation(b, a)
    return (b > 2 * a + 1) if np.ndim(b) else bool(b > 2 * a + 1)


def _bias_coeffs(a, b):
    """``(coef, m)`` with ``B₀(κ) ≈ coef · κ^{m/α}``: ``(J, β-1)``, or ``(ζ(β-2α), 2α)`` when saturated."""
    sat = b > 2 * a + 1
    t = np.where(sat, 1.0, (b - 1.0) / a)
    coef = np.where(sat, _zeta(np.where(sat, b - 2 * a, 2.0), 1.0), _gamma(t) * _gamma(2.0 - t) / a)
    m = np.where(sat, 2 * a, b - 1.0)
    return coef, m


def bias_scale(alpha, beta, n):
    r"""``b_n``: the ridgeless noiseless excess risk divided by ``E₀``.

    ``b_n = B₀(κ₀) = J I₁^{β-1} (n+½)^{-(β-1)}`` for ``β < 2α + 1`` and
    ``ζ(β-2α) I₁^{2α} (n+½)^{-2α}`` above (saturation; DERIVED here, the
    noiseless bias is then ``κ² Σ v_k²/λ_k²``). It sets the noise scale of
    the cost of overfitting (:func:`relative_noise`).
    """
    a, b, n = validate("powerlaw.bias_scale", alpha=alpha, beta=beta, n=n)
    _off_saturation(b, a)
    coef, m = _bias_coeffs(a, b)
    return _float_out(coef * (I1(a) / (n + 0.5)) ** m)


# --------------------------------------------------------------------------- ridgeless


def ridgeless_kappa(alpha, n):
    r"""Ridgeless renormalized ridge ``κ₀(n) = (I₁/(n + ½))^α``.

    Limit of ``rmt.solve_kappa(PowerLaw(alpha), n, 0)`` (``df1(κ₀) = n``).
    For ``α = 2`` it is exact up to ``O(e^{-2(2n+1)})``: ``κ₀ = π²/(2n+1)²``
    (``Σ_k 1/(1+ck²) = (π c^{-1/2} coth(π c^{-1/2}) - 1)/2``).
    """
    a, n = validate("powerlaw.ridgeless_kappa", alpha=alpha, n=n)
    return _float_out((I1(a) / (n + 0.5)) ** a)


def ridgeless_E0(alpha, n):
    r"""Ridgeless overfitting coefficient ``E₀(n) = α n/(n + ½) = 2αn/(2n+1) → α``.

    Limit of ``rmt.ridge_risk(PowerLaw(alpha), 0, 1, n, 0).E0`` (Mallinar et
    al. 2022: noise amplification ``α``, *tempered* overfitting). Exact up to
    exponentially small terms for ``α = 2``.
    """
    a, n = validate("powerlaw.ridgeless_E0", alpha=alpha, n=n)
    return _float_out(a * n / (n + 0.5))


def ridgeless_test(alpha, beta, noise, n):
    r"""Ridgeless test risk ``E₀(n) (b_n + σ²)``.

    Limit of ``rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), noise, n, 0).test``.
    The noiseless part decays like ``n^{-min(β-1, 2α)}`` and the noise part
    tends to ``α σ²`` (excess ``(α-1)σ²``). The leading-order form is
    ``α b_n``; the factor ``n/(n+½)`` kept here makes the ratio
    to the finite-n value ``1 + O(n^{-2})`` instead of ``1 - 1/(2n)``.
    """
    a, b, noise, n = validate("powerlaw.ridgeless_test", alpha=alpha, beta=beta, noise=noise, n=n)
    _off_saturation(b, a)
    return _float_out(a * n / (n + 0.5) * (bias_scale(a, b, n) + noise))


# --------------------------------------------------------------------------- ridge path


@dataclass(frozen=True, eq=False, repr=False)
class PathRisk(TupleFields):
    """Continuum risk along the ridge path, parameterized by ``x = df1/n`` (unpacks like the tuple of its fields)."""

    _summary = ("test", "excess", "train", "kappa", "x")
    _tuple = ("test", "excess", "train", "kappa", "ridge", "E0", "x")

    test: np.ndarray
    excess: np.ndarray
    train: np.ndarray
    kappa: np.ndarray
    ridge: np.ndarray
    E0: np.ndarray
    x: np.ndarray


def path_risk(alpha, beta, noise, n, x):
    r"""Risk along the ridge path at ``x = df1(κ)/n ∈ (0, 1]`` (``x = 1``: ridgeless).

    Limit of ``rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), noise, n,
    ridge)`` at ``ridge = κ(1 - x)`` (``δ = nκ(1 - x)``):

    .. math::

        \kappa = \Big(\frac{I_1}{xn+\frac12}\Big)^{\alpha},\quad
        E_0 = \frac{n}{n(1 - xA) + \frac{1}{2\alpha}},\ A = \frac{\alpha-1}{\alpha},\quad
        \mathrm{test} = E_0\big(J I_1^{\beta-1}(xn+\tfrac12)^{-(\beta-1)} + \sigma^2\big),\quad
        \frac{\mathrm{train}}{\mathrm{test}} = (1-x)^2 .

    These follow from ``df1 = I₁κ^{-1/α} - ½ = xn`` and ``df2 = I₂κ^{-1/α} - ½``
    exactly as written (saturated targets use ``B₀ = ζ(β-2α)κ²``). The leading
    order, ``E₀ = 1/(1-xA)`` and ``(xn+½) → x(n+½)``, is the boxed form of
    the continuum path risk (Zhou et al. 2024) that :func:`cost_limit` minimizes;
    at ``α = 2, β = 1.5, n = 100`` the refinement is within 1e-7 of the
    finite-n risk where the leading order is 0.5% off.

    Returns
    -------
    PathRisk
        ``test, excess, train, kappa, ridge, E0, x`` (broadcast).
    """
    a, b, noise, n, x = validate("powerlaw.path_risk", alpha=alpha, beta=beta, noise=noise, n=n, x=x)
    _off_saturation(b, a)
    a, b, noise, n, x = np.broadcast_arrays(a, b, noise, n, x)
    m_half = x * n + 0.5
    kappa = (I1(a) / m_half) ** a
    E0 = n / (n * (1.0 - x * (a - 1.0) / a) + 0.5 / a)
    coef, m = _bias_coeffs(a, b)
    test = E0 * (coef * kappa ** (m / a) + noise)
    return PathRisk(
        _float_out(test), _float_out(test - noise), _float_out((1.0 - x) ** 2 * test), _float_out(kappa), _float_out(kappa * (1.0 - x)),
        _float_out(E0), _float_out(x),
    )


def x_from_ridge(alpha, n, ridge):
    r"""``x = df1/n`` on the continuum path for a per-sample ``ridge ≥ 0``.

    Solves ``ridge = κ(x)(1 - x)``, ``κ(x) = (I₁/(xn+½))^α`` (decreasing in
    ``x``); ``ridge = 0`` gives 1. Pass the result to :func:`path_risk`.
    Limit of ``rmt.solve_kappa`` + ``rmt.df1`` on ``PowerLaw(alpha)``.
    """
    a, n, ridge = validate("powerlaw.x_from_ridge", alpha=alpha, n=n, ridge=ridge)
    a, n, ridge = np.broadcast_arrays(a, n, ridge)
    out = np.empty(a.shape)
    for idx in np.ndindex(a.shape):
        aa, nn, rr = float(a[idx]), float(n[idx]), float(ridge[idx])
        if rr == 0.0:
            out[idx] = 1.0
            continue
        c = float(I1(aa))

        def g(lx, aa=aa, nn=nn, rr=rr, c=c):  # log κ(x) + log(1 - x) - log ridge, x = e^lx: decreasing
            return aa * (np.log(c) - np.log(np.exp(lx) * nn + 0.5)) + np.log1p(-np.exp(lx)) - np.log(rr)

        lo = np.log(1e-300)
        hi = np.log1p(-1e-16)
        if g(lo) <= 0:
            raise ValueError(f"ridge must be < κ at x → 0 = {(2 * c) ** aa:.6g} for the continuum path; got {rr!r}")
        if g(hi) < 0:
            out[idx] = np.exp(brentq(g, lo, hi, xtol=1e-15, rtol=1e-15))
            continue

        def h(t, aa=aa, nn=nn, rr=rr, c=c):  # the same in t = log(1 - x), for x within 1e-16 of 1: increasing
            return aa * (np.log(c) - np.log(-np.expm1(t) * nn + 0.5)) + t - np.log(rr)

        out[idx] = -np.expm1(brentq(h, np.log(1e-320), np.log(1e-16), xtol=1e-15, rtol=1e-15))
    return _float_out(out)


# --------------------------------------------------------------------------- cost of overfitting


@dataclass(frozen=True, eq=False, repr=False)
class CostLimit(TupleFields):
    """Closed-form cost of overfitting (§4) and the optimum it is based on (unpacks like the tuple of its fields)."""

    _summary = ("cost", "x_star", "fit_ratio")
    _tuple = ("cost", "x_star", "fit_ratio", "interpolation_optimal")

    cost: np.ndarray  # C = test(ridge → 0⁺) / min_ridge≥0 test
    x_star: np.ndarray  # df1/n at the optimal ridge (1: interpolation is optimal)
    fit_ratio: np.ndarray  # train/test at the optimum, (1 - x*)²
    interpolation_optimal: np.ndarray  # x* == 1


def relative_noise(alpha, beta, noise, n):
    r"""``ρ = σ²/b_n``: the noise in units of the ridgeless noiseless bias scale :func:`bias_scale`.

    With a noise quoted relative to the clean ridgeless test risk
    (``σ²_rel = σ²/test_clean(0)``, SKGB's ``noise_rels``), ``ρ ≈ α σ²_rel``.
    """
    noise = validate("powerlaw.relative_noise", noise=noise)
    return _float_out(noise / bias_scale(alpha, beta, n))


def _x_star(a, b, rho):
    """Root of ``(α-1)(βx + ρx^β) = α(β-1)`` in ``(0, 1]``, solved in ``u = log x`` (any ρ up to 1e308)."""
    g = lambda x: (a - 1.0) * (b * x + rho * x**b) - a * (b - 1.0)  # noqa: E731  increasing in x
    if g(1.0) <= 0.0:
        return 1.0
    log_rhs = np.log(a * (b - 1.0) / (a - 1.0))

    def f(u):  # log(βx + ρx^β) - log(α(β-1)/(α-1)), in logs: increasing in u
        return np.logaddexp(np.log(b) + u, (np.log(rho) if rho > 0 else -np.inf) + b * u) - log_rhs

    return float(np.exp(brentq(f, -750.0, 0.0, xtol=1e-14, rtol=1e-15, maxiter=500)))


def cost_limit(alpha, beta, rho):
    r"""Closed-form cost of overfitting ``C(α, β, ρ)`` for ``λ_k = k^-α``, ``v_k² = k^-β``.

    Minimizing the §3.2 path risk ``(b_n x^{-(β-1)} + σ²)/(1 - x(α-1)/α)``
    over ``x = df1/n ∈ (0, 1]`` (``ridge ≥ 0``):

    .. math::

        (\alpha-1)(\beta x + \rho x^\beta) = \alpha(\beta-1)
        \ \Rightarrow\ x^* \ (\text{clipped to } 1),\qquad
        C = \frac{\alpha(1+\rho)\,(1 - x^*(\alpha-1)/\alpha)}{x^{*-(\beta-1)} + \rho},

    with ``ρ = σ²/b_n`` (:func:`relative_noise`). Limit of
    :func:`rmt.risk.overfitting.overfitting_cost` on ``PowerLaw(alpha)``,
    ``PowerLaw(beta)`` at ``noise = ρ b_n``; see :func:`overfitting_cost_limit`.
    Special cases: :func:`noiseless_cost` (``ρ = 0``), :func:`interpolation_is_optimal`,
    ``C → α`` as ``ρ → ∞`` (tempered cost ``α``). Saturated targets
    (``β > 2α + 1``) use ``β_eff = 2α + 1`` and the saturated ``b_n``
    (DERIVED here; the finite-n ratio tends to 1, e.g. 6e-5 at n = 1e4 for
    α = 1.5, β = 5).

    The train/test ratio at the optimum is ``(1 - x*)²`` (``fit_ratio``): for
    ``β`` near ``α`` and small noise the optimally tuned model fits its
    training data almost perfectly ("overfitting is obligatory").

    References
    ----------
    Zhou, Simon, Vardi & Srebro, ICLR 2024 (arXiv:2306.13185); Simon et al.,
    "More is better", ICLR 2024 (arXiv:2311.14646); formula derived from
    their continuum path risk and verified against the finite-n cost.
    """
    a, b, rho = validate("powerlaw.cost_limit", alpha=alpha, beta=beta, rho=rho)
    _off_saturation(b, a)
    a, b, rho = np.broadcast_arrays(a, b, rho)
    beff = np.minimum(b, 2 * a + 1)
    cost = np.empty(a.shape)
    xs = np.empty(a.shape)
    for idx in np.ndindex(a.shape):
        aa, bb, rr = float(a[idx]), float(beff[idx]), float(rho[idx])
        if np.isinf(rr):
            cost[idx], xs[idx] = aa, 0.0
            continue
        x = _x_star(aa, bb, rr)
        xs[idx] = x
        cost[idx] = aa * (1 + rr) * (1 - x * (aa - 1) / aa) / (x ** (-(bb - 1)) + rr)
    interp = xs == 1.0
    return CostLimit(_float_out(cost), _float_out(xs), _float_out((1.0 - xs) ** 2), interp[()] if interp.ndim == 0 else interp)


def overfitting_cost_limit(alpha, beta, noise, n):
    r""":func:`cost_limit` at ``ρ = noise / b_n`` — the large-n cost for a given noise and ``n``.

    Limit of ``rmt.risk.overfitting.overfitting_cost(PowerLaw(alpha),
    PowerLaw(beta), noise, n)``; the ratio is within 1e-7 for ``β < α`` at
    ``n ≥ 100`` and within 1e-4 for ``β > α`` at ``n ≥ 1000``.
    """
    alpha, beta, noise, n = validate("powerlaw.overfitting_cost_limit", alpha=alpha, beta=beta, noise=noise, n=n)
    return cost_limit(alpha, beta, relative_noise(alpha, beta, noise, n))


def noiseless_cost(alpha, beta):
    r"""``C(α, β, 0)``: ``(α/β)(α(β-1)/(β(α-1)))^{β-1}`` for ``β < α``, else 1 (interpolation optimal).

    E.g. ``C(2, 1.5) = (4/3)√(2/3) = 1.08866``, ``C(3, 2) = 1.125``; the
    optimum is at ``x* = α(β-1)/(β(α-1))``, i.e. ``δ* ≈ n^{1-α}(I₁/x*)^α(1-x*)``.
    Limit of ``overfitting_cost(PowerLaw(alpha), PowerLaw(beta), 0, n)``
    (independent of n in the limit).
    """
    a, b = validate("powerlaw.noiseless_cost", alpha=alpha, beta=beta)
    _off_saturation(b, a)
    a, b = np.broadcast_arrays(a, b)
    with np.errstate(invalid="ignore"):
        c = (a / b) * (a * (b - 1) / (b * (a - 1))) ** (b - 1)
    return _float_out(np.where(b < a, c, 1.0))


def interpolation_is_optimal(alpha, beta, rho):
    r"""``β ≥ α`` and ``ρ ≤ (β - α)/(α - 1)``: the ridge → 0⁺ interpolator is optimal among ridge ≥ 0.

    (``β_eff = min(β, 2α+1)`` for saturated targets.) Limit of
    ``rmt.optimal_ridge(...)[0] == 0`` on ``PowerLaw(alpha)``, ``PowerLaw(beta)``
    at ``noise = ρ b_n``.
    """
    a, b, rho = validate("powerlaw.interpolation_is_optimal", alpha=alpha, beta=beta, rho=rho)
    _off_saturation(b, a)
    beff = np.minimum(b, 2 * a + 1)
    out = (beff >= a) & (rho <= (beff - a) / (a - 1))
    return out if np.ndim(out) else bool(out)


def optimal_test_limit(alpha, beta, noise, n):
    r"""Optimally tuned test risk from the continuum optimum: ``(b_n x*^{-(β-1)} + σ²)/(1 - x*A)``.

    Limit of ``rmt.optimal_ridge(PowerLaw(alpha), PowerLaw(beta), noise, n)[1].test``
    (ratio ``1 - O(1/n)``: 0.99950 at n = 1e3 and 0.9999995 at 1e7 for
    α = 2, β = 1.5, σ² = 1). For ``σ² > 0`` its excess decays like
    ``n^{-(β-1)/β}`` (:func:`optimal_excess_rate`).
    """
    a, b, noise, n = validate("powerlaw.optimal_test_limit", alpha=alpha, beta=beta, noise=noise, n=n)
    _off_saturation(b, a)
    bn = bias_scale(a, b, n)
    res = cost_limit(a, b, noise / bn)
    beff = np.minimum(b, 2 * a + 1)
    x = res.x_star
    return _float_out((bn * x ** (-(beff - 1)) + noise) / (1 - x * (a - 1) / a))


def optimal_excess_rate(alpha, beta, noise, n):
    r"""Pure power-law asymptote of the optimally tuned excess risk (``σ² > 0``).

    .. math::

        \mathcal E^*_{\rm te} - \sigma^2 \simeq \beta A^{1-1/\beta}(\beta-1)^{1/\beta-1}
        \sigma^{2(1-1/\beta)} b_n^{1/\beta} \propto n^{-(\beta-1)/\beta},
        \quad A = \frac{\alpha-1}{\alpha}

    (``β → β_eff = 2α + 1`` when saturated). Limit of
    ``rmt.optimal_ridge(PowerLaw(alpha), PowerLaw(beta), noise, n)[1].excess``;
    the approach is slow (``x* → 0`` like ``ρ^{-1/β}``): ratio 1.0038 at
    n = 1e7 for α = 2, β = 1.5, σ² = 1. Prefer :func:`optimal_test_limit` for
    numbers, this for rates.
    """
    a, b, noise, n = validate("powerlaw.optimal_excess_rate", alpha=alpha, beta=beta, noise=noise, n=n)
    _off_saturation(b, a)
    bn = bias_scale(a, b, n)
    be = np.minimum(b, 2 * a + 1)
    A = (a - 1) / a
    return _float_out(be * A ** (1 - 1 / be) * (be - 1) ** (1 / be - 1) * noise ** (1 - 1 / be) * bn ** (1 / be))


# --------------------------------------------------------------------------- exponents


@dataclass(frozen=True, eq=False, repr=False)
class Exponents(TupleFields):
    """Learning-curve exponents: excess risk ``∝ n^{-exponent}`` (unpacks like the tuple of its fields)."""

    _summary = _tuple = ("ridgeless_noiseless", "ridgeless_noisy", "optimal_noiseless", "optimal_noisy",
                         "optimal_kappa", "saturated")

    ridgeless_noiseless: float  # min(β-1, 2α) = 2α min(r, 1)
    ridgeless_noisy: float  # 0: the excess tends to (α-1)σ² (tempered)
    optimal_noiseless: float  # = ridgeless_noiseless (C is bounded)
    optimal_noisy: float  # m/(m+1), m = min(β-1, 2α)
    optimal_kappa: float  # κ* ∝ n^{-optimal_kappa} (noisy): α/(m+1)
    saturated: bool  # β > 2α + 1 (r > 1)


def learning_curve_exponents(alpha, beta):
    r"""Data exponents of ridge / KRR on ``λ_k = k^-α``, ``v_k² = k^-β``.

    With ``m = min(β - 1, 2α) = 2α min(r, 1)`` (source ``r = (β-1)/(2α)``):

    * ridgeless, noiseless: excess ``∝ n^{-m}`` (:func:`ridgeless_test`);
      saturation at ``r = 1`` (``β = 2α + 1``);
    * ridgeless, noisy: excess ``→ (α - 1)σ²`` (exponent 0, tempered);
    * optimally tuned, noiseless: ``n^{-m}`` (the cost is bounded,
      :func:`noiseless_cost`);
    * optimally tuned, noisy: ``n^{-m/(m+1)}`` = ``n^{-2αr/(2αr+1)}`` for
      ``r < 1`` (:func:`optimal_excess_rate`), with ``κ* ∝ n^{-α/(m+1)}``.

    In ``(a, b)`` (:func:`to_ab`): ``m = min(a - 1, 2b)``
    (Simon et al. 2024; Zhou et al. 2024). These are the slopes of the
    finite-n computations named in each linked function, checked in
    ``tests/test_powerlaw.py``.
    """
    a, b = validate("powerlaw.learning_curve_exponents", alpha=alpha, beta=beta)
    a, b = float(a), float(b)
    _off_saturation(b, a)
    m = min(b - 1.0, 2.0 * a)
    return Exponents(m, 0.0, m, m / (m + 1.0), a / (m + 1.0), b > 2 * a + 1)


def ridge_exponents(alpha, beta, ell):
    r"""``(bias, variance)`` exponents for a per-sample ridge ``∝ n^{-ℓ}``.

    ``κ ≍ n^{-min(ℓ, α)}`` (the ridge, or κ₀ once it is below ``n^{-α}``), so
    ``bias ∝ κ^{m/α} = n^{-min(ℓ,α) m/α}`` and ``variance ∝ σ² df2/n =
    n^{-(1 - min(ℓ,α)/α)}`` with ``m = min(β-1, 2α)``. ``ℓ = 0`` is a fixed
    ridge (no consistency: bias exponent 0), ``ℓ = 1`` a fixed unnormalized
    ``δ`` (convention K's "fixed ridge", ``E₀ → 1``), ``ℓ ≥ α`` ridgeless
    behaviour. The optimum ``ℓ = α/(m+1)`` balances both at ``m/(m+1)``.
    Limit of slopes of ``rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta),
    noise, n, c·n**-ell)`` (bias and variance fields).
    """
    a, b, ell = validate("powerlaw.ridge_exponents", alpha=alpha, beta=beta, ell=ell)
    a, b, ell = float(a), float(b), float(ell)
    _off_saturation(b, a)
    m = min(b - 1.0, 2.0 * a)
    e = min(ell, a)
    return e * m / a, 1.0 - e / a


# --------------------------------------------------------------------------- converters


def from_source_capacity(alpha, r):
    """Capacity ``α`` and source ``r`` → convention K ``(α, β)``, ``β = 1 + 2αr`` (§2)."""
    a, r = validate("powerlaw.from_source_capacity", alpha=alpha, r=r)
    return _float_out(a + 0 * r), _float_out(1.0 + 2.0 * a * r)


def to_source_capacity(alpha, beta):
    """Convention K ``(α, β)`` → ``(α, r)``, ``r = (β - 1)/(2α)``.

    ``f* ∈ RKHS`` iff ``r > 1/2`` (``β > α + 1``).
    """
    a, b = validate("powerlaw.to_source_capacity", alpha=alpha, beta=beta)
    return _float_out(a + 0 * b), _float_out((b - 1.0) / (2.0 * a))


def from_ab(a, b):
    """Bordelon–Atanasov–Pehlevan ``(a, b)`` (``ω_k ~ k^-b``, task power ``k^-a``) → ``(α, β) = (b, a)``."""
    a, b = validate("powerlaw.from_ab", a=a, b=b)
    return _float_out(b), _float_out(a)


def to_ab(alpha, beta):
    """Convention K ``(α, β)`` → Bordelon–Atanasov–Pehlevan ``(a, b) = (β, α)``."""
    a, b = validate("powerlaw.to_ab", alpha=alpha, beta=beta)
    return _float_out(b), _float_out(a)


def from_plrf(alpha_p, beta_p):
    """Paquette et al. 4+3 ``(α_p, β_p)`` → convention K ``(α, β) = (2α_p, 2α_p + 2β_p)``.

    4+3 has ``ω_j = j^{-2α_p}`` and teacher ``b_j = j^{-β_p}`` (task power ``j^{-2α_p-2β_p}``).
    """
    ap, bp = validate("powerlaw.from_plrf", alpha_p=alpha_p, beta_p=beta_p)
    if (2 * ap + 2 * bp <= 1).any():
        raise ValueError("alpha_p + beta_p must be > 1/2 (finite target variance)")
    return _float_out(2 * ap + 0 * bp), _float_out(2 * ap + 2 * bp)


def to_plrf(alpha, beta):
    """Convention K ``(α, β)`` → 4+3 ``(α_p, β_p) = (α/2, (β - α)/2)``."""
    a, b = validate("powerlaw.to_plrf", alpha=alpha, beta=beta)
    return _float_out(a / 2 + 0 * b), _float_out((b - a) / 2)
