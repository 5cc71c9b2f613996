# SPDX-License-Identifier: BSD-3-Clause
r"""Free multiplicative products: S-transforms and chains of Wishart factors.

Sample covariances, random projections and deep linear chains of projections
are all products of *free* matrices: the population covariance ``Σ`` and white
Wishart factors ``W = GᵀG/m`` (``G`` an ``m × d`` matrix of i.i.d. standard
Gaussians, so ``E W = I``). S-transforms multiply under free multiplicative
convolution, and this one rule yields every renormalized ridge of the package:

* ridge regression on ``n`` samples: ``Σ̂ = Σ^{1/2} W_n Σ^{1/2}`` (one factor);
* random-feature ridge (``F ∈ R^{p×D}``, ``F_jk ~ N(0, 1/p)``, so
  ``FᵀF = W_p``): the sample covariance of the features ``Fx`` has the
  non-zero spectrum of ``Σ^{1/2} W_p^{1/2} W_n W_p^{1/2} Σ^{1/2}`` (two factors,
  :func:`rmt.rf_ridge_risk`);
* a deep linear chain ``F = F_L ⋯ F_1`` of widths ``p_1 … p_L`` followed by
  ``n`` samples: ``L + 1`` factors.

S-transform (Voiculescu; normalized trace ``τ = tr/D``)
--------------------------------------------------------
For a positive operator ``A`` with moment function
``ψ_A(z) = τ[zA(1 - zA)⁻¹]`` the S-transform is ``S_A(w) = (1+w)/w · ψ_A⁻¹(w)``.
With the degrees of freedom ``df_A(λ) = tr A(A+λ)⁻¹`` one has
``ψ_A(-1/λ) = -df_A(λ)/D``, hence

.. math:: S_A\Big(-\frac{\mathrm{df}}{D}\Big) = \frac{1 - \mathrm{df}/D}{\lambda\,\mathrm{df}/D}
          \quad\text{at the } \lambda \text{ where } \mathrm{df}_A(\lambda) = \mathrm{df}.

A white Wishart with ``m`` samples in ``d`` dimensions has
``S_W(w) = 1/(1 + (d/m) w)`` (:func:`s_transform_wishart`). Because
``S_{AB} = S_A S_B`` for free ``A, B`` and the degrees of freedom of
``Σ^{1/2} W Σ^{1/2}`` at ``λ`` equal those of ``Σ`` at ``κ = λ S_W``, each
factor renormalizes the ridge by

.. math:: \kappa_{\rm inner} = \kappa_{\rm outer}\, S_W\Big(-\frac{\mathrm{df}}{D}\Big)
          = \frac{\kappa_{\rm outer}}{1 - \mathrm{df}/m},

all factors evaluated at the *same* ``df`` (it is invariant along the chain).
For factors with counts ``m_1 … m_L`` (innermost first) and ``γ`` the ridge
seen by ``Σ``:

.. math::

    \mathrm{ridge} = \gamma \prod_{\ell=1}^{L}\Big(1 - \frac{\mathrm{df}}{m_\ell}\Big),
    \qquad \mathrm{df} = \sum_k \frac{\lambda_k}{\lambda_k + \gamma} + \frac{c}{\gamma},

and the intermediate ridges are ``κ_ℓ = γ Π_{j ≤ ℓ} (1 - df/m_j)``. One factor
is :func:`rmt.solve_kappa` (``κ = ridge + (κ/n) df1(κ)``); two factors
``(p, n)`` give the random-feature pair ``(γ, κ_features)``:
``κ_features = γ (1 - df/p)``, ``ridge = κ_features (1 - df/n)`` (Bach 2023;
Atanasov, Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592, where
``κ₂ = γ``, ``κ₁ = κ_features``; Simon, Karkada, Ghosh & Belkin 2024,
arXiv:2311.14646, where ``γ = γ`` and ``κ = κ_features``).

The term ``c/γ`` (``c ≥ 0``) is the exact contribution of independent
isotropic noise added to the first projection, ``F x + ξ`` with
``E|ξ|² = c``: ``tr C(C+κ)⁻¹`` for ``C = FΣFᵀ + (c/p) I`` equals
``df1(γ) + c/γ`` at ``κ + c/p = γ(1 - df1(γ)/p)``, i.e. ``κ = γ(1 - df/p)``
with the same ``df``. It models nonlinear features in the Gaussian-equivalent
approximation (:func:`rmt.risk.random_features.gaussian_equivalent`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._arrays import flat_broadcast, scalar_or_array
from .._kernels import rf as K
from .._results import ResultFields
from .._validation import as_positive, as_real, validate
from .onepoint import ConvergenceError, kappa_on_levels, prepare
from . import onepoint as R1
from .onepoint import spectral_moments

__all__ = ["ChainSolution", "chain_slacks", "chain_sums", "s_transform", "s_transform_wishart", "solve_chain"]

_RTOL = 1e-14
_MAXITER = 400


def s_transform_wishart(w, ratio):
    r"""S-transform of a white Wishart matrix, ``S(w) = 1/(1 + ratio·w)``.

    Parameters
    ----------
    w : array_like
        Argument (real), in ``(-min(1, 1/ratio), 0]`` for the branch used by
        ridge renormalization.
    ratio : array_like
        ``d/m``: dimension over number of samples of ``W = GᵀG/m`` (``D/n``
        for a data sample covariance, ``D/p`` for the projection ``FᵀF`` of
        random features with ``F_jk ~ N(0, 1/p)``).

    Notes
    -----
    Voiculescu's convention with the normalized trace of the ``d × d`` matrix
    (Marchenko–Pastur law of ratio ``d/m``). At ``w = -df/d`` this is
    ``1/(1 - df/m)``, the factor by which one Wishart factor renormalizes a
    ridge.
    """
    w = as_real(w, "w")
    ratio = as_positive(ratio, "ratio")
    with np.errstate(divide="ignore"):
        out = 1.0 / (1.0 + ratio * w)
    if np.any(1.0 + ratio * w <= 0):
        raise ValueError("w must be > -1/ratio (the S-transform's pole)")
    return out[()] if np.ndim(out) == 0 else out


def s_transform(eigs, w):
    r"""S-transform of the spectral measure of ``diag(eigs)`` (``D``-normalized).

    .. math:: S(w) = \frac{1 + w}{-w\,\lambda(w)},\qquad \mathrm{df}_1(\lambda(w)) = -w D,

    defined for ``-rank/D < w < 0`` (Voiculescu's convention, see the module
    notes). The root ``λ(w)`` is :func:`rmt.solve_kappa` at ``n = -wD`` and
    zero ridge. Broadcasts over ``w``.

    Examples
    --------
    The S-transform of a sample covariance is the product of the population's
    and the Wishart's (freeness):

    >>> import numpy as np, rmt
    >>> from rmt.resolvent.free import s_transform, s_transform_wishart, solve_chain
    >>> eigs = 1.0 / np.arange(1, 201)
    >>> sol = solve_chain(eigs, 50, 1e-3)                          # Σ̂ with n = 50
    >>> w = -sol.df / 200
    >>> s_hat = (1 + w) / (-w * 1e-3)                              # S of Σ̂ at w
    >>> bool(np.isclose(s_hat, s_transform(eigs, w) * s_transform_wishart(w, 200 / 50)))
    True
    """
    lv = prepare(eigs)
    w = as_real(w, "w")
    if np.any((w >= 0) | (w <= -lv.rank / lv.D)):
        raise ValueError(f"w must lie in (-rank/D, 0) = ({-lv.rank / lv.D:.6g}, 0); got {w!r}")
    # n = -wD may be far below a sample count (as_count's floor does not apply): solve on the levels;
    # below n = 1e-250 (κ ≈ tr/n would overflow) use the limit S → (1+w) D/tr Σ, exact to O(n).
    n = np.asarray(-w * lv.D, dtype=np.float64)
    tiny = n < 1e-250
    lam = kappa_on_levels(lv, np.where(tiny, 1.0, n), 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(tiny, (1.0 + w) * lv.D / lv.trace(), (1.0 + w) / (-w * lam))
    return out[()] if np.ndim(out) == 0 else out


@dataclass(frozen=True, eq=False, repr=False)
class ChainSolution(ResultFields):
    """Renormalized ridges along a chain of free Wishart factors.

    Attributes
    ----------
    gamma : ndarray
        Input-level ridge γ (the ridge seen by ``Σ``).
    kappas : tuple of ndarray
        ``κ_ℓ = γ Π_{j≤ℓ}(1 - df/m_j)`` after each factor, innermost first; the
        last one is the ridge itself.
    df : ndarray
        The common degrees of freedom ``df1(γ) + c/γ`` (= ``tr A(A + ridge)⁻¹``
        of the full product).
    status : ndarray of int
        0 converged, 1 not converged (per point).
    evaluations : ndarray of int
        Passes over the spectrum spent per point.
    """

    _summary = ("gamma", "df", "status")

    gamma: np.ndarray
    kappas: tuple
    df: np.ndarray
    status: np.ndarray
    evaluations: np.ndarray


def chain_gamma(levels, counts, feature_noise, ridge):
    """Kernel call on flat, validated, equally long arrays: ``(gamma, status, evals)``.

    ``counts`` has shape ``(points, factors)``.
    """
    gamma = np.empty(ridge.size)
    status = np.empty(ridge.size, dtype=np.int64)
    evals = np.empty(ridge.size, dtype=np.int64)
    K.chain_solve_grid(levels.vals, levels.mult, levels.tail, np.ascontiguousarray(counts),
                       np.ascontiguousarray(feature_noise),
                       np.ascontiguousarray(ridge), _RTOL, _MAXITER, gamma, status, evals)
    bad = status != K.STATUS_CONVERGED
    if bad.any():
        raise ConvergenceError(f"solve_chain: the root-finder did not converge at {int(bad.sum())} grid point(s)")
    return gamma, status, evals


def chain_gamma_path(levels, counts, ridge, start):
    """γ at complex ridges along a path, by continuation (kernel call on validated input).

    Solves ``ridge = γ Π_ℓ (1 - df1(γ)/m_ℓ)`` (linear chain, no feature noise)
    at each complex ``ridge[i]``, Newton started from the root at ``ridge[i-1]``
    (``start`` for ``ridge[0]``): the path must be sampled finely enough
    that neighbouring roots lie on the same branch (a contour graded towards the
    spectrum, reached from far away, where ``γ ≈ ridge + tr Σ · Σ_ℓ 1/m_ℓ``).
    ``levels`` must be finite (no power-law tail). Raises
    :class:`ConvergenceError` where Newton did not converge.
    """
    ridge = np.ascontiguousarray(ridge, dtype=np.complex128).ravel()
    gamma = np.empty(ridge.size, dtype=np.complex128)
    status = np.empty(ridge.size, dtype=np.int64)
    K.chain_complex_path(levels.vals, levels.mult, np.ascontiguousarray(counts, dtype=np.float64), ridge,
                         complex(start), _RTOL, _MAXITER, gamma, status)
    bad = status != K.STATUS_CONVERGED
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ConvergenceError(f"chain_gamma_path: Newton did not converge at ridge = {ridge[i]!r} "
                               f"({int(bad.sum())} point(s))")
    return gamma


def solve_chain(eigs, n=None, ridge=0.0, *, widths=(), feature_noise=0.0, counts=None):
    r"""Renormalized ridges of a chain of free white-Wishart factors.

    Solves ``ridge = γ Π_ℓ (1 - df/m_ℓ)``, ``df = df1(γ) + c/γ``, on the
    admissible branch ``df < min_ℓ m_ℓ`` (see the module notes), broadcasting
    ``n``, the widths, ``ridge`` and ``feature_noise``. The counts of the
    factors are ``m = (p_1, …, p_L, n)``, innermost first.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population eigenvalues ``λ_k ≥ 0``; an infinite
        :class:`rmt.spectra.PowerLaw` has its tail summed analytically.
    n : array_like
        Number of samples (the data factor, outermost), > 0.
    widths : sequence of array_like, optional
        Widths of the projections, innermost (closest to the input) first:
        ``()`` for ridge regression, ``[p]`` for random features
        ``F ∈ R^{p×D}`` (``solve_chain(eigs, n, ridge, widths=[p])``, the
        ``(n, p)`` order of :func:`rmt.rf_ridge_risk`), ``[p_1, …, p_L]`` for a
        deep linear chain ``F_L ⋯ F_1`` (factor ``F_ℓ ∈ R^{p_ℓ × p_{ℓ-1}}``
        with entries ``N(0, 1/p_ℓ)``). Each > 0.
    counts : sequence of array_like, deprecated
        The former second argument, ``[*widths, n]`` (innermost first):
        ``solve_chain(eigs, [p, n], ridge)`` still works and warns
        (``DeprecationWarning``); pass ``n`` and ``widths=`` instead. (So a
        Python list as ``n`` without ``widths`` is read as ``counts``: pass a
        grid of sample counts as a numpy array.)
    ridge : array_like
        Per-sample ridge ≥ 0 of the outermost level (``0``: the limit
        ``ridge → 0⁺``; ``+inf``: γ = +inf).
    feature_noise : array_like
        ``c = E|ξ|² ≥ 0``, the power of independent noise added to the first
        projection (Gaussian-equivalent nonlinear features); 0 for linear
        chains.

    Returns
    -------
    ChainSolution

    Notes
    -----
    The ridgeless root solves ``df(γ₀) = min_ℓ m_ℓ`` (the narrowest factor
    limits the rank), with ``γ₀ = 0`` when ``c = 0`` and every count is at
    least the rank of ``Σ``. The equation is solved in ``log γ`` by a
    safeguarded Newton iteration with relative tolerance 1e-14
    (:mod:`rmt._kernels.rf`).

    Examples
    --------
    One factor is ridge regression's κ:

    >>> import numpy as np, rmt
    >>> from rmt.resolvent.free import solve_chain
    >>> eigs = 1.0 / np.arange(1, 301) ** 1.5
    >>> bool(np.isclose(solve_chain(eigs, 100, 1e-3).gamma, rmt.solve_kappa(eigs, 100, 1e-3), rtol=1e-12))
    True
    """
    if counts is not None or (isinstance(n, (list, tuple)) and not widths):  # the former (eigs, counts, ridge)
        if counts is not None and n is not None:
            raise ValueError("counts must not be given together with n (counts = [*widths, n] is the deprecated "
                             "spelling of n and widths)")
        warnings.warn("solve_chain(eigs, counts, ridge) is deprecated: pass solve_chain(eigs, n, ridge, "
                      "widths=[p_1, ..., p_L]) (counts = [*widths, n], innermost first)", DeprecationWarning,
                      stacklevel=2)
        counts = validate("solve_chain", counts=n if counts is None else counts)
        levels, ridge, c = validate("solve_chain", eigs=eigs, ridge=ridge, feature_noise=feature_noise)
        names = [f"counts[{j}]" for j in range(len(counts))]
    else:
        levels, n, ridge, widths, c = validate("solve_chain", eigs=eigs, n=n, ridge=ridge, widths=widths,
                                               feature_noise=feature_noise)
        counts = [*widths, n]
        names = [*(f"widths[{j}]" for j in range(len(widths))), "n"]
    shape, flat = flat_broadcast(ridge, c, *counts,
                                 names=("ridge", "feature_noise", *names))
    rf, cf, mf = flat[0], flat[1], np.stack(flat[2:], axis=1)
    gamma, status, evals = chain_gamma(levels, mf, cf, rf)
    w, z, _, _, _ = chain_sums(levels, np.zeros(levels.all_vals.size), gamma)
    noise_dof = _noise_dof(cf, gamma)
    slack = chain_slacks(levels, mf, w, z, noise_dof, rf, gamma)
    kappas = []
    k = gamma
    for j in range(mf.shape[1]):
        with np.errstate(invalid="ignore"):
            k = np.where(np.isinf(k), np.inf, k * slack[:, j] / mf[:, j])
        kappas.append(scalar_or_array(k, shape))
    kappas[-1] = scalar_or_array(rf, shape)  # exactly the ridge (the product above agrees to round-off)
    return ChainSolution(scalar_or_array(gamma, shape), tuple(kappas), scalar_or_array(z + noise_dof, shape), scalar_or_array(status, shape),
                         scalar_or_array(evals, shape))


def chain_sums(levels, tpow, gamma):
    """Flat ``(w, z, ez, B0, T)`` at each γ (columns of :func:`rmt.resolvent.onepoint.spectral_moments`).

    ``w = rank - df1(γ)``, ``z = df1(γ)``, ``ez = df1 - df2``, ``B0 = Σ v²(1-L)²``,
    ``T = Σ v² L(1-L)`` with ``L = λ/(λ+γ)`` and ``v² = tpow``.
    """
    out = spectral_moments(levels, tpow, np.asarray(gamma, dtype=np.float64).ravel(), full=False)
    return tuple(out[:, j] for j in (R1.W, R1.DF1, R1.DD, R1.B0, R1.TV))


def _noise_dof(feature_noise, gamma):
    """``c/γ`` (0 where ``c = 0``, including γ = 0 and γ = +inf)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(feature_noise > 0, feature_noise / gamma, 0.0)


def chain_slacks(levels, counts, w, z, noise_dof, ridge, gamma):
    """Slacks ``a_ℓ = m_ℓ - df`` of every factor, shape ``(points, factors)``.

    Computed as ``(m_ℓ - rank) + w - c/γ`` for ``m_ℓ ≥ rank/2`` and
    ``(m_ℓ - z) - c/γ`` otherwise (the form that cancels less when
    ``df ≈ m_ℓ``, as in :func:`rmt._kernels.rf.slack`), clipped at 0. The
    smallest slack, which a subtraction determines worst, is then taken from
    the root equation itself, ``a_min = ridge Π m_ℓ / (γ Π_{ℓ≠min} a_ℓ)``
    (exact to a few ulps however small it is). At ``ridge = 0`` the narrowest
    factor is exactly saturated (``df = min m``): its slack is exactly 0, which
    keeps the double-descent pole exact.
    """
    w, z, noise_dof = w[:, None], z[:, None], noise_dof[:, None]
    with np.errstate(invalid="ignore"):  # w = rank = inf for an infinite spectrum (branch not taken)
        a = np.where(counts < 0.5 * levels.rank, (counts - z) - noise_dof, (counts - levels.rank) + w - noise_dof)
        a = np.where(np.isinf(gamma)[:, None], counts, np.maximum(a, 0.0))
    rows = np.arange(a.shape[0])
    j = np.argmin(a, axis=1)
    others = np.prod(np.where(np.arange(a.shape[1])[None, :] == j[:, None], 1.0, a), axis=1)
    use = (ridge > 0) & np.isfinite(ridge) & (gamma > 0) & np.isfinite(gamma) & (others > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        from_root = ridge * np.prod(counts, axis=1) / (gamma * others)
    a[rows[use], j[use]] = from_root[use]
    binding = (ridge == 0)[:, None] & (gamma > 0)[:, None] & (counts == counts.min(axis=1, keepdims=True))
    return np.where(binding, 0.0, a)
