# SPDX-License-Identifier: BSD-3-Clause
r"""Ridge and kernel ridge risk from the one-point deterministic equivalent.

With κ from :func:`rmt.solve_kappa`, learnabilities ``L_k = λ_k/(λ_k+κ)``,
``df2 = Σ L_k²`` and the overfitting coefficient ``E₀ = n/(n - df2)``
(Simon et al. 2021, arXiv:2110.03922; Bach 2023; Atanasov et al. 2024,
arXiv:2405.00592 §3; Hastie et al. 2019 in the isotropic case):

.. math::

    \mathrm{test} = E_0\Big(\sum_k (1-L_k)^2 v_k^2 + \sigma^2\Big), \qquad
    \mathrm{excess} = \mathrm{test} - \sigma^2, \qquad
    \mathrm{train} = \Big(1 - \frac{\mathrm{df}_1}{n}\Big)^2 \mathrm{test}
    = \Big(\frac{\mathrm{ridge}}{\kappa}\Big)^2 \mathrm{test},

with ``v_k² = target_power[k]`` and ``σ² = noise``. Parts (docs/conventions.md): ``bias``
is the excess at ``noise = 0``, ``E₀ Σ (1-L_k)² v_k²``; ``variance`` is
``(E₀ - 1) σ²``. The bias splits further into ``bias_mean_predictor =
Σ (1-L_k)² v_k²`` (the data-averaged predictor's error) and ``variance_data``
(its fluctuation over the training draw).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .._arrays import broadcast_shape, float_output, scalar_or_array
from .._results import ResultFields
from .._validation import validate
from .._kernels import tail as T
from ..resolvent.onepoint import ILL_CONDITIONED, kappa_on_levels, learnability_grid, point_status
from ..resolvent import onepoint as R1
from ..resolvent.onepoint import spectral_moments
from ._assembly import NUMPY, ridge_parts

__all__ = ["RidgeRisk", "KernelRidgeRisk", "ridge_risk", "kernel_ridge_risk", "risk_from_kappa", "spectral_sums"]


@dataclass(frozen=True, eq=False, repr=False)
class RidgeRisk(ResultFields):
    """Predicted risks of ridge regression on a broadcast grid of ``(n, ridge, noise)``.

    Attributes
    ----------
    excess : E_x (f̂(x) - f*(x))², averaged over the training draw.
    test : ``excess + noise``.
    train : expected mean squared training residual (labels with noise).
    bias : excess at ``noise = 0`` (includes the variance over the data draw).
    variance : ``excess - bias``, the part caused by label noise: ``(E₀ - 1) noise``.
    bias_mean_predictor : ``Σ (1 - L_k)² v_k²``, error of the data-averaged predictor.
    variance_data : ``bias - bias_mean_predictor``.
    kappa : renormalized ridge κ.
    df1, df2 : degrees of freedom at κ.
    E0 : overfitting coefficient ``n / (n - df2)``.
    ridge, n, noise : the broadcast inputs.
    status : per point, int: 0 converged, 3 ill-conditioned (``E0·df1/n > 1e9``: one float64
        step of ``n`` moves the risk by more than ``1e9·eps`` relative, so it is not determined
        by its input; a ``RuntimeWarning`` says so too), 4 ``E0 = inf`` (the variance
        diverges); ``rmt.resolvent.onepoint.STATUS_NAMES`` has every code in words.
    """

    excess: np.ndarray
    test: np.ndarray
    train: np.ndarray
    bias: np.ndarray
    variance: np.ndarray
    bias_mean_predictor: np.ndarray
    variance_data: np.ndarray
    kappa: np.ndarray
    df1: np.ndarray
    df2: np.ndarray
    E0: np.ndarray
    ridge: np.ndarray
    n: np.ndarray
    noise: np.ndarray
    status: np.ndarray = None

@dataclass(frozen=True, eq=False, repr=False)
class KernelRidgeRisk(RidgeRisk):
    """:class:`RidgeRisk` plus eigenlearning quantities (Simon et al. 2021).

    Attributes
    ----------
    learnabilities : per-level ``L_k = λ_k/(λ_k+κ)``, shape ``grid + (levels,)``
        (for an infinite power law, the explicit head modes ``k = 1..M``).
    target_learnability : ``Σ L_k v_k² / Σ v_k²`` (NaN-free: 0 for a zero target).
    """

    learnabilities: np.ndarray = None
    target_learnability: np.ndarray = None


def spectral_sums(levels, tpow, kappa):
    """``(df1, df2, B0, S_v, S_λ, df1 - df2)`` at each κ (columns of :func:`rmt.resolvent.onepoint.spectral_moments`)."""
    out = spectral_moments(levels, tpow, kappa, full=False)
    return tuple(out[..., j] for j in (R1.DF1, R1.DF2, R1.B0, R1.SV, R1.SL, R1.DD))


def risk_from_kappa(levels, tpow, noise, n, ridge, kappa, cls=RidgeRisk, sums=None):
    """Assemble the risk result from κ (all arrays already broadcast to one shape).

    ``sums``: the moments (:func:`rmt.resolvent.onepoint.spectral_moments`) at κ if
    the caller has them already (shape ``kappa.shape + (NMOM,)``).
    """
    sums = spectral_moments(levels, tpow, kappa, full=False) if sums is None else sums
    d1, d2, b0, d1_minus_d2 = (sums[..., j] for j in (R1.DF1, R1.DF2, R1.B0, R1.DD))
    parts = ridge_parts(NUMPY, noise=noise, n=n, ridge=ridge, kappa=kappa, df1=d1, df2=d2, B0=b0,
                        df1_minus_df2=d1_minus_d2)
    test, E0 = parts["test"], parts["E0"]
    if np.isinf(test).any():
        warnings.warn(
            "E0 = n/(n - df2) is infinite at some grid point (ridgeless at the interpolation threshold "
            "n = rank, or a ridge at the admissible negative edge): the variance diverges there",
            RuntimeWarning,
            stacklevel=3,
        )
    bias, variance, variance_data = parts["bias"], parts["variance"], parts["variance_data"]
    train = np.where(np.isnan(parts["train"]), np.inf, parts["train"])
    _warn_ill_conditioned(E0, d1, n)

    return cls(
        excess=float_output(bias + variance),
        test=float_output(test),
        train=float_output(train),
        bias=float_output(bias),
        variance=float_output(variance),
        bias_mean_predictor=float_output(b0),
        variance_data=float_output(variance_data),
        kappa=float_output(kappa),
        df1=float_output(d1),
        df2=float_output(d2),
        E0=float_output(E0),
        ridge=float_output(ridge),
        n=float_output(n),
        noise=float_output(noise),
        status=scalar_or_array(point_status(E0, d1, n)),
    )


def _warn_ill_conditioned(E0, d1, n):
    """Warn where ``|d log κ / d log n| = E₀ df1/n`` exceeds ``ILL_CONDITIONED``.

    At fixed ridge ``dκ/dn = -E₀ κ df1/n²`` (from ``d ridge/dκ = 1/E₀``, Bach
    2023), so one float step of ``n`` moves κ by ``E₀ (df1/n) eps`` relative and
    the risk (∝ E₀) by more: near ``n = rank`` with a ridge ≲ 1e-30 the answer is
    not determined by its float64 input.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        cond = np.where(np.isfinite(E0), E0 * d1 / n, 0.0)
    worst = float(np.max(cond, initial=0.0))
    if worst > ILL_CONDITIONED:
        warnings.warn(
            f"ill-conditioned point(s): |d log kappa / d log n| = E0·df1/n reaches {worst:.3g}, so one float64 step "
            f"of n moves kappa by {worst * np.finfo(np.float64).eps:.2g} relative and E0 more (n at the "
            f"interpolation threshold with a vanishing ridge); the risk there is not determined by its input",
            RuntimeWarning,
            stacklevel=3,
        )


def _inputs(eigs, target_power, noise, n, ridge, method="numba", dps=50, entry="ridge_risk"):
    levels, tpow, noise, n, ridge, _, _ = validate(entry, eigs=eigs, target_power=target_power, noise=noise, n=n,
                                                   ridge=ridge, method=method, dps=dps)
    shape = broadcast_shape(noise, n, ridge, names=("noise", "n", "ridge"))
    return levels, tpow, *(np.broadcast_to(x, shape) for x in (noise, n, ridge))


def ridge_risk(eigs, target_power, noise, n, ridge, *, method: str = "numba", dps: int = 50):
    r"""Predicted test, excess and train risk of ridge regression.

    Data ``x ~ N(0, diag(eigs))``, labels ``y = <w*, x> + ε``, ``ε ~ N(0, noise)``,
    ``target_power[k] = eigs[k] w*[k]²``, estimator
    ``ŵ = (Σ̂ + ridge)⁻¹ Xᵀy/n`` on ``n`` samples (docs/conventions.md). Broadcasts
    over ``noise``, ``n`` and ``ridge``.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population covariance eigenvalues (≥ 0). ``rmt.spectra.PowerLaw(alpha)``
        (``size=None``) is the infinite spectrum ``k^-α``, its tail summed
        analytically — prefer it to a truncated power law, which shifts the
        answers by up to several percent.
    target_power : array_like, float or PowerLaw
        Variance of the target carried by each mode (≥ 0); a scalar is
        broadcast (0: pure-noise task; the only scalar allowed with an infinite
        spectrum). ``PowerLaw(beta, scale)`` is the task ``scale·k^-β``; with an
        infinite spectrum a finite array gives the power of the first modes,
        zero beyond.
    noise : array_like
        Label-noise variance σ² ≥ 0.
    n : array_like
        Number of training samples (> 0).
    ridge : array_like
        Per-sample ridge; 0 is the ridgeless limit, +inf the null predictor,
        negative values down to :func:`rmt.ridge_edge`.

    method : {"numba", "mpmath"}
        ``"mpmath"``: the arbitrary-precision referee at ``dps`` digits (κ
        bracketed, sums by ``mpmath.fsum``, power-law tails by
        ``mpmath.sumem``), the risk assembled by the same formula code as the
        float path; every field is then an object array of ``mpf`` (a scalar
        ``mpf`` on a 0-d grid). Slow: for checking, not for grids.
    dps : int
        Decimal digits for ``method="mpmath"`` (>= 15).

    Returns
    -------
    RidgeRisk

    Notes
    -----
    ``test = E₀ (Σ_k (1 - L_k)² v_k² + σ²)``, ``E₀ = n/(n - df2(κ))``,
    ``train = (1 - df1(κ)/n)² test`` (Bach 2023; Simon et al. 2021;
    Atanasov et al. 2024 §3). At ``n = rank`` and ``ridge = 0`` the variance
    is infinite (a ``RuntimeWarning`` says so).

    Examples
    --------
    >>> import numpy as np, rmt
    >>> r = rmt.ridge_risk(np.ones(300), np.full(300, 1/300), 0.25, 100, 0.75)
    >>> round(float(r.test), 12), round(float(r.kappa), 12)
    (1.0, 3.0)
    """
    levels, tpow, noise, n, ridge = _inputs(eigs, target_power, noise, n, ridge, method, dps)
    if method == "mpmath":
        return _mp_risk(levels, tpow, noise, n, ridge, dps)
    kappa = kappa_on_levels(levels, n, ridge)
    return risk_from_kappa(levels, tpow, noise, n, ridge, kappa)


def _mp_risk(levels, tpow, noise, n, ridge, dps, cls=RidgeRisk, **extra):
    """The ``method="mpmath"`` result: every risk field an ``mpf`` (object arrays on a grid)."""
    from ._mp_ridge import as_dps, ridge_risk_fields

    fields_ = ridge_risk_fields(levels, tpow, noise, n, ridge, as_dps(dps))
    mp_out = {k: (v[()] if v.ndim == 0 else v) for k, v in fields_.items()}
    status = point_status(np.asarray(fields_["E0"], dtype=np.float64), np.asarray(fields_["df1"], dtype=np.float64), n)
    return cls(**mp_out, ridge=float_output(ridge), n=float_output(n), noise=float_output(noise),
               status=scalar_or_array(status), **extra)


def kernel_ridge_risk(eigs, target_power, noise, n, ridge, *, method: str = "numba", dps: int = 50):
    r"""Predicted risk of kernel ridge regression, in eigenlearning language.

    Estimator ``f̂(x) = k(x)ᵀ (K + n·ridge·I)⁻¹ y`` (docs/conventions.md; the unnormalized
    ridge of Simon et al. is ``δ = n·ridge``). ``eigs`` are the kernel
    operator's eigenvalues, ``target_power[k] = v_k²`` the squared
    coefficients of the target ``f* = Σ v_k φ_k``.

    method, dps
        As in :func:`ridge_risk` (``"mpmath"``: the arbitrary-precision referee,
        learnabilities included).

    Returns
    -------
    KernelRidgeRisk
        Everything in :class:`RidgeRisk` (``E0`` is the overfitting
        coefficient) plus per-mode ``learnabilities`` ``L_k = λ_k/(λ_k+κ)``,
        which obey the conservation law ``Σ_k L_k = n - n·ridge/κ``, and the
        ``target_learnability``.

    Notes
    -----
    The eigenlearning equations (Simon, Dickens, Karkada & DeWeese 2021,
    arXiv:2110.03922): ``Σ_k λ_k/(λ_k+κ) + δ/κ = n``,
    ``test = E₀ (Σ_k (1-L_k)² v_k² + σ²)``, ``train = (δ/(nκ))² test``.
    """
    levels, tpow, noise, n, ridge = _inputs(eigs, target_power, noise, n, ridge, method, dps, "kernel_ridge_risk")
    if method == "mpmath":
        from ._mp_ridge import as_dps, learnability_fields

        base = _mp_risk(levels, tpow, noise, n, ridge, dps)
        kappa = np.asarray(base.kappa, dtype=object)
        L, tl = learnability_fields(levels, tpow, kappa, as_dps(dps))
        return KernelRidgeRisk(**base.as_dict(), learnabilities=L, target_learnability=tl[()] if tl.ndim == 0 else tl)
    kappa = kappa_on_levels(levels, n, ridge)
    base = risk_from_kappa(levels, tpow, noise, n, ridge, kappa)
    L = learnability_grid(levels.all_vals, kappa)
    total = levels.target_total(tpow)
    learned = L @ tpow
    if levels.infinite:
        learned = learned + np.vectorize(lambda k: T.tail_target_learned(k, levels.tail) if 0 < k < np.inf else 0.0)(
            kappa
        )
    tl = learned / total if total > 0 else np.zeros(kappa.shape)
    return KernelRidgeRisk(**base.as_dict(), learnabilities=L, target_learnability=tl[()] if np.ndim(tl) == 0 else tl)
