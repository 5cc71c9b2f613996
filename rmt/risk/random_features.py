# SPDX-License-Identifier: BSD-3-Clause
r"""Random-feature ridge regression: the nested (two-factor) deterministic equivalent.

Model (docs/conventions.md): ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``; ``y = <w*, x> + ε``,
``ε ~ N(0, noise)``; random features ``F ∈ R^{p×D}`` with ``F_jk ~ N(0, 1/p)``
(so ``E FᵀF = I``); predictor ``f(x) = <a, φ(x)>`` with ``φ(x) = F x`` (linear)
or ``φ(x) = σ₀ σ(F x / σ₀)``, ``σ₀² = tr Σ / p`` (nonlinear: the
pre-activations have unit variance and a linear ``σ`` gives back ``F x``);
readout ``a = (Φ̂ + ridge)⁻¹ Φᵀy/n`` with ``Φ̂ = ΦᵀΦ/n`` the features' sample
covariance. ``ridge = 0`` is the limit ``ridge → 0⁺`` (minimum-norm readout).

Deterministic equivalent
------------------------
Random features are the two-factor case ``(p, n)`` of the free chain of
:mod:`rmt.resolvent.free`: the input-level ridge ``γ`` and the feature-level
ridge ``κ_f`` solve

.. math::

    \mathrm{ridge} = \kappa_f\Big(1 - \frac{\bar z}{n}\Big),\qquad
    \kappa_f = \gamma\Big(1 - \frac{\bar z}{p}\Big),\qquad
    \bar z = \mathrm{df}_1(\gamma) + \frac{c}{\gamma},

eliminated into one equation ``ridge = γ (1 - z̄/n)(1 - z̄/p)`` solved in
``log γ`` (Bach 2023's single equation; ``c = 0`` for linear features). With
``L_k = λ_k/(λ_k+γ)``, ``v_k² = target_power[k]``, the slacks
``a = n - z̄``, ``b = p - z̄`` and ``e = Σ L_k(1-L_k) + c/γ = z̄ - df2(γ)``:

.. math::

    E_0 = \frac{n(b+e)}{ab + ae + be},\qquad \rho = \frac{b}{b+e},\qquad
    \mathrm{bias} = E_0\Big(\sum_k v_k^2(1-L_k)^2 + (1-\rho)\sum_k v_k^2 L_k(1-L_k)\Big),

.. math::

    \mathrm{variance} = (E_0 - 1)\,\sigma^2,\qquad
    \mathrm{test} = \mathrm{bias} + \mathrm{variance} + \sigma^2,\qquad
    \mathrm{train} = \Big(\frac{\mathrm{ridge}}{\kappa_f}\Big)^2 \mathrm{test}
    = \Big(1 - \frac{\bar z}{n}\Big)^2\mathrm{test}.

This is the SKGB form (Simon, Karkada, Ghosh & Belkin 2024, "More is better",
arXiv:2311.14646: ``𝓔_te = 𝓔₀(Σ b_i v_i² + σ²)``, ``b_i = (1-L_i) - ρ L_i(1-L_i)``,
``𝓔₀ = 1/(1-x)``, ``x = (q(k-2z)+z²)/(n(k-q))``), rewritten with the
non-negative slacks so that no cancellation occurs near the pole, and the
Atanasov form (Atanasov, Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592:
``E_g = [κ₂² tf₁' ρ + κ₂ tf₁ (1-ρ) + σ² γ₁]/(1-γ₁)``); the tests hold all
three forms equal to 1e-10. Defilippis, Loureiro & Misiakiewicz 2024
(arXiv:2405.15699) write the same pair of equations with ``ν₂ = γ``,
``ν₁ = κ_f`` (their pair of equations in our notation; not checked symbol by symbol
against the paper).

Dictionary (our convention ``σ_F² = 1/p``): ``kappa`` = γ = SKGB's ``γ`` =
Atanasov's ``κ₂`` (input level); ``kappa_features`` = κ_f = SKGB's ``κ`` =
Atanasov's ``κ₁`` (feature level); SKGB's ``δ = n·ridge``, ``k = p``. With
Atanasov's code normalization ``σ_F² = 1/D`` the features are ``c·`` ours,
``c² = p/D``, and ``λ_L = c²·ridge``, ``κ₁ = c²·kappa_features``.

Parts (docs/conventions.md: ``bias`` is the excess at ``noise = 0``, ``variance`` the part
caused by label noise) and the six-term decomposition of Atanasov et al.
(their code's ``Bias, Var_X, Var_F, Var_XF, Var_Xε, Var_XFε``; Adlam &
Pennington 2020 style), with ``q = df2(γ)``, ``Δ = E₀ - n/(n-q) =
n e²/((ab+ae+be)(a+e)) ≥ 0``, ``T = Σ v² L(1-L)``:

* ``bias_mean_predictor`` = ``B0 = Σ v²(1-L)²``;
* ``variance_data`` = ``B0 q/(n-q)``;
* ``variance_features`` = ``(1-ρ) T``;
* ``variance_data_features`` = ``B0 Δ + (1-ρ) T (E₀-1)``;
* ``variance_noise`` = ``σ² q/(n-q)``;
* ``variance_noise_features`` = ``σ² Δ``.

The first four sum to ``bias``, the last two to ``variance``.

Ridgeless branches (``ridge = 0``): ``p < n``: ``z̄ = p``, ``κ_f = 0``,
``E₀ = n/(n-p)``, train > 0; ``p > n``: ``z̄ = n``,
``E₀ = n(p-q)/((n-q)(p-n))``, train = 0; ``p = n``: the double-descent pole,
``E₀ = +inf`` (a ``RuntimeWarning``). With linear features and
``min(n, p) ≥ rank``, ``γ = 0`` and ``E₀ = n/(n - rank)``.

Nonlinear features (Gaussian-equivalent model; Mei & Montanari 2019, Goldt et
al. 2020, Hu & Lu 2020): with ``Z ~ N(0,1)``, ``μ₀ = E σ(Z)``,
``μ₁ = E Zσ(Z)``, ``μ_*² = E σ(Z)² - μ₀² - μ₁²``, the features behave like
``σ₀μ₀ + μ₁ F x + σ₀ μ_* ξ``, ``ξ ~ N(0, I_p)`` independent of ``x``. The
constant ``σ₀μ₀`` (a rank-one mean, an O(1/n) effect) is dropped; dividing by
``μ₁`` gives linear features with ridge ``ridge/μ₁²`` plus independent feature
noise of total power ``c = p σ₀² μ_*²/μ₁² = (μ_*/μ₁)² tr Σ``, which enters only
through ``z̄ = df1(γ) + c/γ`` (derived here from the conditional-on-``F``
ridge risk; it agrees with the ``df̄¹ = df¹ + σ_ξ²/κ₂`` substitution of the
Atanasov et al. nonlinear notebook).
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .._arrays import broadcast_shape, float_output, scalar_or_array
from .._results import ResultFields
from .._validation import validate
from ..resolvent.free import chain_gamma, chain_slacks, chain_sums
from ..resolvent._mp import as_method
from ._assembly import NUMPY, rf_parts

__all__ = [
    "GaussianEquivalent",
    "RFRidgeRisk",
    "gaussian_equivalent",
    "rf_optimal_ridge",
    "rf_ridge_risk",
]


# --------------------------------------------------------------------------- activations


class GaussianEquivalent(NamedTuple):
    """Hermite coefficients of an activation: ``σ(Z) ≈ μ₀ + μ₁ Z + μ_* ξ`` for ``Z, ξ ~ N(0,1)``.

    Attributes
    ----------
    mu0 : float
        ``E σ(Z)`` (dropped by the deterministic equivalent: a rank-one mean).
    mu1 : float
        ``E Z σ(Z)``, the linear part (must be ≠ 0).
    mu_star : float
        ``sqrt(E σ(Z)² - μ₀² - μ₁²) ≥ 0``, the nonlinear part, which acts as
        independent feature noise.
    function : callable or None
        The activation itself (needed by the Monte Carlo twin for real
        nonlinear features; ``None`` makes the twin simulate the
        Gaussian-equivalent linear-plus-noise model).
    name : str
    """

    mu0: float
    mu1: float
    mu_star: float
    function: Callable | None = None
    name: str = "custom"


def _relu(t):
    return np.maximum(t, 0.0)


def _identity(t):
    return np.asarray(t, dtype=np.float64)


def _hermite_coefficients(fn):
    """``(μ₀, μ₁, μ_*)`` of a callable by adaptive quadrature against the Gaussian weight."""
    from scipy.integrate import quad

    w = lambda t: np.exp(-0.5 * t * t) / np.sqrt(2.0 * np.pi)  # noqa: E731
    vals = []
    for g in (lambda t: fn(t), lambda t: t * fn(t), lambda t: fn(t) ** 2):
        v, _ = quad(lambda t: float(g(t)) * w(t), -np.inf, np.inf, limit=200, epsabs=1e-13, epsrel=1e-12)
        vals.append(v)
    m0, m1, m2 = vals
    if not all(np.isfinite(vals)):
        raise ValueError("activation must have finite Gaussian moments E σ(Z), E Zσ(Z), E σ(Z)²")
    return m0, m1, float(np.sqrt(max(m2 - m0 * m0 - m1 * m1, 0.0)))


def gaussian_equivalent(activation) -> GaussianEquivalent:
    r"""Map an activation to its Gaussian-equivalent linear-plus-noise coefficients.

    Parameters
    ----------
    activation : None, str, callable, GaussianEquivalent or (mu0, mu1, mu_star)
        ``None`` or ``"linear"``: ``(0, 1, 0)``. ``"relu"``: closed form
        ``(1/√(2π), 1/2, sqrt(1/4 - 1/(2π)))``. ``"tanh"`` or a callable
        ``σ``: Gaussian moments by quadrature. A tuple or
        :class:`GaussianEquivalent`: user coefficients (no function: the Monte
        Carlo twin then simulates the equivalent model itself).

    Returns
    -------
    GaussianEquivalent

    Notes
    -----
    ``μ₀ = E σ(Z)``, ``μ₁ = E Zσ(Z)``, ``μ_*² = E σ(Z)² - μ₀² - μ₁²`` for
    ``Z ~ N(0, 1)`` (Mei & Montanari 2019; Goldt et al. 2020). In
    :func:`rf_ridge_risk` the features ``σ₀ σ(Fx/σ₀)``, ``σ₀² = tr Σ/p``, are
    replaced by ``μ₁ Fx + σ₀ μ_* ξ``.

    Examples
    --------
    >>> from rmt.risk.random_features import gaussian_equivalent
    >>> ge = gaussian_equivalent("relu")
    >>> round(ge.mu1, 12), round(ge.mu_star ** 2, 12)
    (0.5, 0.090845056908)
    """
    if activation is None or (isinstance(activation, str) and activation == "linear"):
        return GaussianEquivalent(0.0, 1.0, 0.0, _identity, "linear")
    if isinstance(activation, GaussianEquivalent):
        ge = activation
    elif isinstance(activation, str):
        if activation == "relu":
            ge = GaussianEquivalent(1.0 / np.sqrt(2.0 * np.pi), 0.5, float(np.sqrt(0.25 - 0.5 / np.pi)), _relu, "relu")
        elif activation == "tanh":
            ge = GaussianEquivalent(*_hermite_coefficients(np.tanh), np.tanh, "tanh")
        else:
            raise ValueError(
                "activation must be None, 'linear', 'relu', 'tanh', a callable, a GaussianEquivalent or a "
                f"(mu0, mu1, mu_star) tuple; got {activation!r}"
            )
    elif callable(activation):
        ge = GaussianEquivalent(*_hermite_coefficients(activation), activation,
                                getattr(activation, "__name__", "custom"))
    elif isinstance(activation, (tuple, list)) and len(activation) == 3 and all(
        isinstance(v, numbers.Real) for v in activation
    ):
        ge = GaussianEquivalent(float(activation[0]), float(activation[1]), float(activation[2]), None, "custom")
    else:
        raise ValueError(
            "activation must be None, 'linear', 'relu', 'tanh', a callable, a GaussianEquivalent or a "
            f"(mu0, mu1, mu_star) tuple; got {activation!r}"
        )
    if not (np.isfinite(ge.mu0) and np.isfinite(ge.mu1) and np.isfinite(ge.mu_star)):
        raise ValueError(f"activation coefficients must be finite; got {tuple(ge[:3])!r}")
    if ge.mu1 == 0.0:
        raise ValueError("activation must have a non-zero linear part mu1 = E[Z σ(Z)]; got mu1 = 0")
    if ge.mu_star < 0.0:
        raise ValueError(f"activation mu_star must be >= 0; got {ge.mu_star!r}")
    return ge


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False, repr=False)
class RFRidgeRisk(ResultFields):
    """Predicted risks of random-feature ridge regression on a broadcast grid of ``(noise, n, p, ridge)``.

    Attributes
    ----------
    excess : E_x (f̂(x) - f*(x))², averaged over data, features and label noise.
    test : ``excess + noise``.
    train : expected mean squared training residual, ``(ridge/kappa_features)² test``.
    bias : excess at ``noise = 0`` (includes the variance over data and features).
    variance : ``excess - bias = (E0 - 1) noise``.
    bias_mean_predictor : ``Σ v²(1-L)²`` (Atanasov et al.'s ``Bias``).
    variance_data : ``Var_X``; variance_features : ``Var_F``;
    variance_data_features : ``Var_XF`` (the four sum to ``bias``).
    variance_noise : ``Var_Xε``; variance_noise_features : ``Var_XFε`` (sum: ``variance``).
    kappa : input-level renormalized ridge γ (SKGB's γ, Atanasov's κ₂); equals
        :func:`rmt.solve_kappa` as ``p → ∞``.
    kappa_features : feature-level renormalized ridge κ_f (SKGB's κ, Atanasov's
        κ₁ at σ_F² = 1/p), in the scale of the actual features.
    df1, df2 : ``Σ L``, ``Σ L²`` at γ.
    E0 : ``n(b+e)/(ab+ae+be)``, the noise amplification (SKGB's 𝓔₀).
    ridge, n, p, noise : the broadcast inputs.
    feature_noise : ``c = (μ_*/μ₁)² tr Σ`` (0 for linear features).
    """

    _summary = ("test", "excess", "train", "kappa", "kappa_features", "E0")

    excess: np.ndarray
    test: np.ndarray
    train: np.ndarray
    bias: np.ndarray
    variance: np.ndarray
    bias_mean_predictor: np.ndarray
    variance_data: np.ndarray
    variance_features: np.ndarray
    variance_data_features: np.ndarray
    variance_noise: np.ndarray
    variance_noise_features: np.ndarray
    kappa: np.ndarray
    kappa_features: np.ndarray
    df1: np.ndarray
    df2: np.ndarray
    E0: np.ndarray
    ridge: np.ndarray
    n: np.ndarray
    p: np.ndarray
    noise: np.ndarray
    feature_noise: np.ndarray

# --------------------------------------------------------------------------- assembly


def _assemble(levels, tpow, noise, n, p, ridge, c, mu1sq, gamma):
    """Every field from γ (flat, equally long arrays; ``ridge`` in the actual feature scale).

    The formulas are :func:`rmt.risk._assembly.rf_parts` (shared with the ``method="mpmath"`` referee).
    """
    w, z, ez, b0, t = chain_sums(levels, tpow, gamma)
    with np.errstate(divide="ignore", invalid="ignore"):
        cg = np.where(c > 0, c / gamma, 0.0)
        ridge_eff = ridge / mu1sq
        ab = chain_slacks(levels, np.stack([n, p], axis=1), w, z, cg, ridge_eff, gamma)
        return rf_parts(NUMPY, noise=noise, n=n, p=p, ridge_eff=ridge_eff, mu1sq=mu1sq, gamma=gamma, noise_dof=cg,
                        z=z, ez=ez, b0=b0, t=t, a=ab[:, 0], b=ab[:, 1])


def _shaped(d, shape):
    return {k: float_output(v, shape) for k, v in d.items()}


def _warn_pole(E0):
    if np.isinf(E0).any():
        warnings.warn(
            "E0 is infinite at some grid point: ridgeless at the double-descent pole p = n (or at the "
            "interpolation threshold n = rank with p >= rank); the variance diverges there",
            RuntimeWarning,
            stacklevel=3,
        )


def _inputs(eigs, target_power, noise, n, p, ridge, activation):
    levels, tpow, noise, n, p, ridge = validate("rf_ridge_risk", eigs=eigs, target_power=target_power, noise=noise,
                                                n=n, p=p, ridge=ridge)
    ge = gaussian_equivalent(activation)
    mu1sq = ge.mu1**2
    c = (ge.mu_star**2 / mu1sq) * levels.trace()
    return levels, tpow, noise, n, p, ridge, ge, mu1sq, c


def rf_ridge_risk(eigs, target_power, noise, n, p, ridge, *, activation=None, method: str = "numba", dps: int = 50):
    r"""Predicted test, excess and train risk of random-feature ridge regression.

    Features ``F x`` (``F ∈ R^{p×D}``, ``F_jk ~ N(0, 1/p)``), or
    ``σ₀ σ(F x/σ₀)`` with ``σ₀² = tr Σ/p`` for a nonlinear ``activation``;
    readout ``a = (Φ̂ + ridge)⁻¹Φᵀy/n`` on ``n`` samples (docs/conventions.md).
    Broadcasts over ``noise``, ``n``, ``p`` and ``ridge``.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population covariance eigenvalues (≥ 0). An infinite
        :class:`rmt.spectra.PowerLaw` has its tail summed analytically (no
        truncation error).
    target_power : array_like, float or PowerLaw
        Target variance carried by each mode, ``eigs[k] w*[k]²`` (≥ 0); with
        an infinite spectrum see :func:`rmt.resolvent.onepoint.prepare_task`.
    noise : array_like
        Label-noise variance σ² ≥ 0.
    n : array_like
        Number of training samples (> 0; real values allowed).
    p : array_like
        Number of random features (> 0; real values allowed).
    ridge : array_like
        Per-sample ridge ≥ 0 on the readout; 0 is the ridgeless limit, +inf
        the null predictor.
    activation : None, str, callable, GaussianEquivalent or tuple
        See :func:`gaussian_equivalent`. ``None``: linear random features.
        Gaussian equivalence is accurate for isotropic or mildly structured
        Σ (Monte Carlo with real ReLU/tanh features at D = 300: within ~5%);
        it degrades when a few directions carry an O(1) share of tr Σ (ReLU
        on ``k^-1.5`` with D = 200 is off by 10–15%), where the
        pre-activations' norms fluctuate.
    method : {"numba", "mpmath"}
        ``"mpmath"``: the arbitrary-precision referee at ``dps`` digits (γ
        bracketed, chain sums by ``mpmath.fsum`` and ``mpmath.sumem`` tails),
        the risk assembled by the same formula code as the float path
        (:func:`rmt.risk._assembly.rf_parts`); every risk field is then an
        object array of ``mpf`` (a scalar ``mpf`` on a 0-d grid). Slow.
    dps : int
        Decimal digits for ``method="mpmath"`` (>= 15).

    Returns
    -------
    RFRidgeRisk
        ``excess``, ``test``, ``train``, ``bias``, ``variance``, the six-term
        decomposition, ``kappa`` (input level γ) and ``kappa_features``
        (feature level κ_f).

    Raises
    ------
    ValueError
        Bad input (message names the argument).
    rmt.ConvergenceError
        The 1-D root-finder failed at some point (never observed).

    Notes
    -----
    ``ridge/μ₁² = γ (1 - z̄/n)(1 - z̄/p)``, ``z̄ = df1(γ) + c/γ``, solved in
    ``log γ`` (one unknown after eliminating ``κ_f = γ(1 - z̄/p)``); then the
    SKGB / Atanasov risk written in the slacks ``a = n - z̄``, ``b = p - z̄``
    (module docstring). As ``p → ∞`` it reduces to
    :func:`rmt.kernel_ridge_risk`; as ``n → ∞`` with ``ridge → 0`` the excess
    tends to the projection error ``Σ v²(1 - L(γ₀))``, ``df1(γ₀) = p``.

    References
    ----------
    Bach, "High-dimensional analysis of double descent for linear regression
    with random projections", 2023. Simon, Karkada, Ghosh & Belkin, "More is
    better in modern machine learning", ICLR 2024, arXiv:2311.14646.
    Atanasov, Zavatone-Veth & Pehlevan, "Scaling and renormalization in
    high-dimensional regression", arXiv:2405.00592. Defilippis, Loureiro &
    Misiakiewicz, arXiv:2405.15699.

    Examples
    --------
    SKGB's reference (λ_i = v_i² = i^-1.5, i ≤ 3000, σ² = 0.5, n = 256,
    k = 1024, δ = 0.1):

    >>> import numpy as np, rmt
    >>> lam = np.arange(1, 3001) ** -1.5
    >>> r = rmt.risk.random_features.rf_ridge_risk(lam, lam, 0.5, 256, 1024, 0.1 / 256)
    >>> round(float(r.test), 6), round(float(r.kappa), 9)
    (0.927944, 0.001372368)
    """
    dps = as_method(method, dps)
    levels, tpow, noise, n, p, ridge, ge, mu1sq, c = _inputs(eigs, target_power, noise, n, p, ridge, activation)
    shape = broadcast_shape(noise, n, p, ridge, names=("noise", "n", "p", "ridge"))
    nf, pf, rf_, sf = (np.ascontiguousarray(np.broadcast_to(x, shape), dtype=np.float64).ravel()
                       for x in (n, p, ridge, noise))
    cf = np.full(nf.size, c)
    if dps is not None:
        from ._mp_rf import rf_risk_fields

        d = {k: scalar_or_array(v, shape) for k, v in rf_risk_fields(levels, tpow, sf, nf, pf, rf_, cf, mu1sq,
                                                                      dps).items()}
        d.update(_shaped(dict(ridge=rf_, n=nf, p=pf, noise=sf, feature_noise=cf), shape))
        return RFRidgeRisk(**d)
    gamma, _, _ = chain_gamma(levels, np.stack([pf, nf], axis=1), cf, rf_ / mu1sq)
    d = _assemble(levels, tpow, sf, nf, pf, rf_, cf, mu1sq, gamma)
    _warn_pole(d["E0"])
    d.update(ridge=rf_, n=nf, p=pf, noise=sf, feature_noise=cf)
    return RFRidgeRisk(**_shaped(d, shape))


# --------------------------------------------------------------------------- optimal ridge


def rf_optimal_ridge(eigs, target_power, noise, n, p, *, activation=None):
    r"""Ridge ≥ 0 minimizing the predicted random-feature test risk, and the risk there.

    Parameters
    ----------
    eigs, target_power, noise, n, p, activation
        As in :func:`rf_ridge_risk`; broadcast over ``noise``, ``n`` and ``p``.

    Returns
    -------
    rmt.risk.optimal.OptimalRidge
        ``.ridge`` (``+inf`` when the null predictor is best, 0 when the
        ridgeless limit is), ``.risk`` (:func:`rf_ridge_risk` at that ridge,
        an :class:`RFRidgeRisk`), ``.status``; unpacks as
        ``ridge_star, result = rf_optimal_ridge(...)``.

    Notes
    -----
    The ridge path is parameterized by the input-level ridge γ ∈ [γ₀, ∞)
    (``ridge/μ₁² = γ ab/(np)`` is increasing in γ). The search is the one of
    :func:`rmt.optimal_ridge` (:func:`rmt.risk.optimal.path_minimum`): one
    log scan of γ shared by the whole grid (the spectral sums do not depend on
    ``n``, ``p`` or the noise) for the global minimum (test risks of random
    features can have several local minima near the pole), refined per point
    by a bracketed minimization (Chandrupatla's method, vectorized). Unlike kernel ridge regression the optimum is not
    ``noise/(n c)`` for aligned tasks ``v² = c λ``: finite ``p`` adds
    feature variance that a larger ridge damps (SKGB §5). With the ridge
    tuned, the risk is non-increasing in both ``n`` and ``p`` ("more is
    better", SKGB 2024).
    """
    from .optimal import OptimalRidge, rf_path_optimum

    levels, tpow, noise, n, p, _, ge, mu1sq, c = _inputs(eigs, target_power, noise, n, p, 0.0, activation)
    shape = np.broadcast(noise, n, p).shape
    sf, nf, pf = (np.array(np.broadcast_to(x, shape), dtype=np.float64).ravel() for x in (noise, n, p))  # copies
    cf = np.full(nf.size, c)
    gamma0, _, _ = chain_gamma(levels, np.stack([pf, nf], axis=1), cf, np.zeros(nf.size))
    gamma, ridge_eff, status, evals = rf_path_optimum(levels, tpow, sf, nf, pf, cf, gamma0)
    rstar = ridge_eff * mu1sq
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        d = _assemble(levels, tpow, sf, nf, pf, rstar, cf, mu1sq, gamma)
    d.update(ridge=rstar, n=nf, p=pf, noise=sf, feature_noise=cf)
    return OptimalRidge(scalar_or_array(rstar, shape, np.float64), RFRidgeRisk(**_shaped(d, shape)),
                        scalar_or_array(status, shape), scalar_or_array(evals, shape, np.float64))
