# SPDX-License-Identifier: BSD-3-Clause
r"""The ridge and random-feature risk formulas, written once over a numeric context (numpy arrays or mpmath scalars).

The float path (:func:`rmt.ridge_risk`) and the arbitrary-precision referee
(``method="mpmath"``) call the *same* function, :func:`ridge_parts`, with a
different context, so the referee cannot drift from what it referees: a change
to a formula changes both, and the tests that hold them to each other check
the spectral sums and κ, which are computed independently.

A context provides ``where(cond, if_true, if_false)`` taking *thunks* (so that
a scalar backend evaluates only the branch it needs, and mpmath never divides
by zero), ``isinf``, ``isnan``, ``logical_and`` and ``inf``.

Formulas (Bach 2023; Simon et al. 2021, arXiv:2110.03922; Atanasov et al. 2024,
arXiv:2405.00592 §3), with ``fit = ridge/κ = 1 − df₁/n``::

    n − df₂  = n·fit + (df₁ − df₂)            (no cancellation near interpolation)
    E₀       = n / (n − df₂),   E₀ − 1 = df₂ / (n − df₂)   (at the root; no cancellation as E₀ → 1)
    bias     = E₀ B₀,   B₀ = Σ (1 − L_k)² v_k²,   variance_data = (E₀ − 1) B₀
    variance = (E₀ − 1) σ²
    test     = bias + variance + σ²,   train = fit² · test
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

__all__ = ["MPMATH", "NUMPY", "overfitting_cost_parts", "path_test_slope", "rf_parts", "ridge_parts"]


class _Numpy:
    """Vectorized context: both branches evaluated (floating-point warnings silenced), then selected."""

    inf = np.inf

    @staticmethod
    def where(cond, if_true, if_false):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.where(cond, if_true(), if_false())

    isinf = staticmethod(np.isinf)
    isnan = staticmethod(np.isnan)
    logical_and = staticmethod(np.logical_and)


class _Mpmath:
    """Scalar context of mpmath numbers: only the selected branch is evaluated."""

    inf = mp.inf

    @staticmethod
    def where(cond, if_true, if_false):
        return if_true() if cond else if_false()

    isinf = staticmethod(mp.isinf)
    isnan = staticmethod(mp.isnan)

    @staticmethod
    def logical_and(x, y):
        return bool(x) and bool(y)


NUMPY = _Numpy()
MPMATH = _Mpmath()


def ridge_parts(ctx, *, noise, n, ridge, kappa, df1, df2, B0, df1_minus_df2):
    """Risk parts from κ and the spectral sums at κ (see the module notes); returns a dict.

    Keys: ``fit`` (``ridge/κ``), ``E0``, ``bias``, ``variance``, ``excess``,
    ``test``, ``train``, ``bias_mean_predictor`` (= ``B0``), ``variance_data``.
    Ends: ``κ = ∞`` gives ``fit = 1``; ``κ = 0`` (ridgeless, ``n ≥ rank``) uses
    ``fit = 1 − df₁/n``; ``n − df₂ ≤ 0`` gives ``E₀ = ∞``; a zero bias or zero
    noise contributes exactly 0 even where ``E₀ = ∞``; an infinite test risk
    with ``fit = 0`` has ``train = 0``.
    """
    fit = ctx.where(ctx.isinf(kappa), lambda: 1.0,
                    lambda: ctx.where(kappa == 0, lambda: 1.0 - df1 / n, lambda: ridge / kappa))
    gap = n * fit + df1_minus_df2
    E0 = ctx.where(gap > 0, lambda: n / gap, lambda: ctx.inf)
    # E0 - 1 = (n - gap)/gap = df2/gap at the root (n - n·fit = df1): no cancellation as E0 → 1
    E0m1 = ctx.where(gap > 0, lambda: df2 / gap, lambda: ctx.inf)
    bias = ctx.where(B0 > 0, lambda: E0 * B0, lambda: 0.0 * B0)
    variance_data = ctx.where(B0 > 0, lambda: E0m1 * B0, lambda: 0.0 * B0)
    variance = ctx.where(noise > 0, lambda: E0m1 * noise, lambda: 0.0 * noise)
    test = bias + variance + noise
    train = ctx.where(fit == 0, lambda: 0.0 * fit, lambda: fit**2 * test)
    return dict(fit=fit, E0=E0, bias=bias, variance=variance, excess=bias + variance, test=test, train=train,
                bias_mean_predictor=B0, variance_data=variance_data)


def _mul0(ctx, x, y):
    """``x·y`` with ``0·inf = 0`` (a vanishing target or noise has no variance, even at a pole)."""
    return ctx.where(x == 0, lambda: 0.0 * x, lambda: x * y)


def rf_parts(ctx, *, noise, n, p, ridge_eff, mu1sq, gamma, noise_dof, z, ez, b0, t, a, b):
    r"""Random-feature risk fields from γ, the chain sums at γ and the slacks (see :mod:`rmt.risk.random_features`).

    Inputs: ``noise_dof = c/γ``, ``z = df1(γ)``, ``ez = df1 − df2``, ``b0 = Σ v²(1−L)²``,
    ``t = Σ v² L(1−L)``, the slacks ``a = n − z̄``, ``b = p − z̄`` (``z̄ = z + c/γ``),
    ``ridge_eff = ridge/μ₁²``. With ``e = ez + c/γ``::

        E₀ = n(b+e)/(ab+ae+be)     (γ = 0: n/a),      1 − ρ = e/(b+e)
        bias = E₀ (B0 + (1−ρ) T),  variance = (E₀ − 1) σ² with E₀ − 1 = E₀ x, x = (z̄ − ρe)/n
        train = (a/n)² test,       κ_f = ridge_eff·n/a (a ≥ b, ridge > 0) or γ b/p, times μ₁²

    and the six-term decomposition (Atanasov et al. 2024, arXiv:2405.00592). Returns a dict of
    the :class:`rmt.RFRidgeRisk` fields ``excess … E0``.
    """
    cg = noise_dof
    e = ez + cg
    zbar = z + cg
    den = a * b + a * e + b * e
    E0 = ctx.where(gamma == 0, lambda: ctx.where(a > 0, lambda: n / a, lambda: ctx.inf),
                   lambda: ctx.where(den > 0, lambda: n * (b + e) / den, lambda: ctx.inf))
    one_m_rho = ctx.where(b + e > 0, lambda: e / (b + e), lambda: 0.0)
    rho = 1.0 - one_m_rho
    x = (zbar - rho * e) / n  # = (E0 - 1)/E0 = SKGB's x = Atanasov's γ₁
    signal = b0 + one_m_rho * t
    bias = _mul0(ctx, signal, E0)
    variance = _mul0(ctx, noise, _mul0(ctx, x, E0))
    test = bias + variance + noise
    fit = a / n
    train = ctx.where(fit == 0, lambda: 0.0 * fit, lambda: fit * fit * test)
    q = z - ez
    ratio_q = ctx.where(q > 0, lambda: q / (a + e), lambda: 0.0)  # q/(n - q); n - q = a + e
    delta = ctx.where(e > 0, lambda: ctx.where(den > 0, lambda: n * e * e / (den * (a + e)), lambda: ctx.inf),
                      lambda: 0.0)  # E0 - n/(n - q) (infinite at the pole, where den = 0)
    var_x = _mul0(ctx, b0, ratio_q)
    var_f = one_m_rho * t
    var_xf = _mul0(ctx, b0, delta) + _mul0(ctx, var_f, E0 - 1.0)
    var_xe = _mul0(ctx, noise, ratio_q)
    var_xfe = _mul0(ctx, noise, delta)
    # κ_f = γ b/p = ridge·n/a at the root: use the form built on the larger (more accurate) slack
    # (at ridge = 0 the slack of the binding factor is exactly 0, so γ b/p is exact, and at the
    # pole p = n, where a = b = 0, it gives the limit κ_f = 0 instead of 0/0)
    use_a = ctx.logical_and(a >= b, ridge_eff > 0)
    kappa_f = ctx.where(ctx.isinf(gamma), lambda: ctx.inf,
                        lambda: ctx.where(use_a, lambda: ridge_eff * n / a, lambda: gamma * b / p)) * mu1sq
    return dict(
        excess=bias + variance, test=test, train=train, bias=bias, variance=variance,
        bias_mean_predictor=b0, variance_data=var_x, variance_features=var_f, variance_data_features=var_xf,
        variance_noise=var_xe, variance_noise_features=var_xfe,
        kappa=gamma, kappa_features=kappa_f, df1=z, df2=q, E0=E0,
    )


def path_test_slope(ctx, *, n, noise, df1, B0, S_v, S_lam, df1_minus_df2, fit=None):
    r"""Test risk along the ridge path and a number with the sign of ``d test/dκ`` (:mod:`rmt.risk.optimal`).

    ``test(κ) = n (B0 + σ²)/(n − df2)``, ``n − df2 = n·fit + (df1 − df2)`` with
    ``fit = 1 − df1/n`` unless given (``ridge/κ`` at a known end of the path, exact where the
    difference cancels); ``slope = S_v (n − df2) − (B0 + σ²) S_λ`` with ``S_v = Σ v² κλ/(λ+κ)³``,
    ``S_λ = Σ λ²/(λ+κ)³`` (``d test/dκ = 2E₀/(n − df2) · slope``). Returns ``(test, slope)``.
    """
    gap = (n - df1) + df1_minus_df2 if fit is None else n * fit + df1_minus_df2
    sig = B0 + noise
    test = ctx.where(gap > 0, lambda: n * sig / gap, lambda: ctx.where(sig == 0, lambda: 0.0, lambda: ctx.inf))
    slope = S_v * gap - sig * S_lam
    return test, slope


def overfitting_cost_parts(ctx, test_ridgeless, test_optimal):
    """``(test_optimal, cost)``: the infimum includes ridge → 0⁺ itself (``min(test_opt, test_0)``, guarding
    against a scan minimum above it by rounding); ``cost = test_0/test_opt``, ``inf`` where ``test_0`` is, and
    exactly 1 where both are equal (``0 = 0`` included: a noiseless target inside the span of ``n > rank``)."""
    t0 = test_ridgeless
    topt = ctx.where(test_optimal < t0, lambda: test_optimal, lambda: t0)
    cost = ctx.where(ctx.isinf(t0), lambda: ctx.inf, lambda: ctx.where(t0 == topt, lambda: 1.0, lambda: t0 / topt))
    return topt, cost
