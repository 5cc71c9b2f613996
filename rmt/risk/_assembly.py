# SPDX-License-Identifier: BSD-3-Clause
r"""The ridge-risk formulas, written once over a numeric context (numpy arrays or mpmath scalars).

The float path (:func:`rmt.ridge_risk`) and the arbitrary-precision referee
(``method="mpmath"``) call the *same* function, :func:`ridge_parts`, with a
different context, so the referee cannot drift from what it referees: a change
to a formula changes both, and the tests that hold them to each other check
the spectral sums and κ, which are computed independently.

A context provides ``where(cond, if_true, if_false)`` taking *thunks* (so that
a scalar backend evaluates only the branch it needs, and mpmath never divides
by zero), ``isinf``, ``inf`` and ``zeros_like``.

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

__all__ = ["NUMPY", "MPMATH", "ridge_parts"]


class _Numpy:
    """Vectorized context: both branches evaluated (floating-point warnings silenced), then selected."""

    inf = np.inf

    @staticmethod
    def where(cond, if_true, if_false):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.where(cond, if_true(), if_false())

    isinf = staticmethod(np.isinf)
    isnan = staticmethod(np.isnan)


class _Mpmath:
    """Scalar context of mpmath numbers: only the selected branch is evaluated."""

    inf = mp.inf

    @staticmethod
    def where(cond, if_true, if_false):
        return if_true() if cond else if_false()

    isinf = staticmethod(mp.isinf)
    isnan = staticmethod(mp.isnan)


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
