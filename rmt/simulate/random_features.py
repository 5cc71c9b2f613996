# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twin of :func:`rmt.rf_ridge_risk`: random-feature ridge regression.

Model (DESIGN.md): ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``; ``y = <w*, x> + ε``,
``ε ~ N(0, noise)``; ``F ∈ R^{p×D}`` with ``F_jk ~ N(0, 1/p)``; features

* linear (``activation=None``): ``φ(x) = F x``;
* nonlinear (an activation with a function): ``φ(x) = σ₀ σ(F x/σ₀)``,
  ``σ₀² = tr Σ/p`` (unit-variance pre-activations);
* Gaussian-equivalent (coefficients without a function):
  ``φ(x) = μ₁ F x + σ₀ μ_* ξ``, ``ξ ~ N(0, I_p)`` drawn afresh for every input;

readout ``a = (Φ̂ + ridge)⁻¹ Φᵀy/n``, ``Φ̂ = ΦᵀΦ/n`` (``ridge = 0``: the
minimum-norm readout, pseudo-inverse; ``+inf``: ``a = 0``).

Variance reduction. Each trial draws the inputs and the features; given them
the readout is linear in the labels, ``a = A y`` with ``A = V diag(f) Uᵀ`` from
the thin SVD ``Φ = U diag(s) Vᵀ`` (``f = s/(s² + n·ridge)``), so the label
noise is averaged in closed form:

.. math::

    \mathrm{excess} = \mathcal E(A y_0) + \sigma^2\,\mathrm{tr}(A^\top C A),\qquad
    \mathrm{train} = \tfrac1n\big|(I - \Phi A) y_0\big|^2 + \tfrac{\sigma^2}{n}\,\mathrm{tr}(I - \Phi A)^2,

with ``y₀ = f*(X)`` and ``C = E_x φ(x)φ(x)ᵀ``. For linear and
Gaussian-equivalent features the test point is averaged exactly too:
``𝓔(a) = |Σ^{1/2}(μ₁ Fᵀa - w*)|² + σ₀²μ_*²|a|²`` and
``C = μ₁² FΣFᵀ + σ₀²μ_*² I``. For real nonlinear features ``E_x`` has no closed
form: ``𝓔(a)`` and ``C`` are the empirical averages over ``test_size`` fresh
test inputs per trial (unbiased; their fluctuation is part of the standard
error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._validation import validate
from ..risk.random_features import gaussian_equivalent
from ._engine import run_trials, validate_run_options
from ._result import SimulatedRisk, summarize
from ._inputs import modes as _modes

__all__ = ["RFSimulatedRisk", "rf_ridge_risk"]

_EPS = np.finfo(np.float64).eps


@dataclass(frozen=True, eq=False, repr=False)
class RFSimulatedRisk(SimulatedRisk):
    """:class:`rmt.simulate.SimulatedRisk` of random-feature ridge, plus the broadcast ``p``.

    Attributes
    ----------
    p : ndarray
        Number of random features at each grid point.
    activation : str
        Name of the activation (``"linear"``, ``"relu"``, ``"tanh"``, …; ``"custom"``
        for Gaussian-equivalent coefficients simulated as linear-plus-noise).
    """

    p: np.ndarray = None
    activation: str = "linear"


class _Payload(NamedTuple):
    sqrt_eigs: np.ndarray  # (D,)
    v: np.ndarray  # (D,): f*(x) = <v, z>, x = sqrt_eigs * z
    kind: str  # "linear" | "ge" | "nonlinear"
    function: object  # activation (kind "nonlinear")
    mu1: float
    mu_star: float
    trace: float
    test_size: int
    pairs: tuple  # distinct (n, p), as Python ints
    ridges: tuple  # per pair: its distinct ridges


_LINEAR = gaussian_equivalent(None)


def _features(P: _Payload, X, G, Xi, p):
    """Feature matrix ``Φ`` (rows: inputs ``X``) for the first ``p`` features; ``Xi``: GE noise rows or None."""
    F = G[:p] / np.sqrt(p)
    pre = X @ F.T
    s0 = np.sqrt(P.trace / p)
    if P.kind == "linear":
        return pre, F, s0
    if P.kind == "ge":
        return P.mu1 * pre + s0 * P.mu_star * Xi[:, :p], F, s0
    return s0 * _apply(P.function, pre / s0), F, s0


def _apply(fn, x):
    """``fn`` elementwise on the array ``x``; a scalar-only activation (``lambda t: max(t, 0.)``) is vectorized."""
    try:
        out = np.asarray(fn(x), dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is None or out.shape != x.shape:
        out = np.vectorize(fn, otypes=[np.float64])(x)
    return out


def _trial(P: _Payload, rng) -> np.ndarray:
    """One draw of inputs and features; returns ``(4, triples)``: bias, var1, train_bias, train_var1."""
    sq, v = P.sqrt_eigs, P.v
    D = sq.size
    n_max = max(n for n, _ in P.pairs)
    p_max = max(p for _, p in P.pairs)
    Z = rng.standard_normal((n_max, D))
    G = rng.standard_normal((p_max, D))
    Xi = rng.standard_normal((n_max, p_max)) if P.kind == "ge" else None
    Zt = rng.standard_normal((P.test_size, D)) if P.kind == "nonlinear" else None
    y_all = Z @ v
    out = []
    for (n, p), ridges in zip(P.pairs, P.ridges):
        Phi, F, s0 = _features(P, Z[:n] * sq, G, None if Xi is None else Xi[:n], p)
        U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
        r = s.size
        null = s <= s[0] * max(n, p) * _EPS
        nl = n * ridges[None, :]
        mu = (s * s)[:, None]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = np.where(np.isinf(nl), 0.0, s[:, None] / (mu + nl))  # a = V diag(f) Uᵀ y
            q = np.where(np.isinf(nl), 1.0, nl / (mu + nl))  # Uᵀ(I - ΦA) = diag(q) Uᵀ
        ridgeless = null[:, None] & (nl == 0)
        f = np.where(ridgeless, 0.0, f)
        q = np.where(ridgeless, 1.0, q)
        y0 = y_all[:n]
        b = U.T @ y0
        coef = Vt.T @ (f * b[:, None])  # readout for noiseless labels, (p, ridges)
        if P.kind == "nonlinear":
            Phi_t, _, _ = _features(P, Zt * sq, G, None, p)
            err = Phi_t @ coef - (Zt @ v)[:, None]
            bias = np.einsum("ij,ij->j", err, err) / P.test_size
            m = np.einsum("ij,ij->j", Phi_t @ Vt.T, Phi_t @ Vt.T) / P.test_size  # V_kᵀ C V_k
        else:
            mu1 = P.mu1 if P.kind == "ge" else 1.0
            ns2 = (s0 * P.mu_star) ** 2 if P.kind == "ge" else 0.0
            err = mu1 * sq[:, None] * (F.T @ coef) - v[:, None]
            bias = np.einsum("ij,ij->j", err, err) + ns2 * np.einsum("ij,ij->j", coef, coef)
            M = sq[:, None] * (F.T @ Vt.T)
            m = mu1 * mu1 * np.einsum("ij,ij->j", M, M) + ns2
        var1 = np.einsum("i,ij->j", m, f * f)
        outside = y0 - U @ b  # the part of the labels no readout can fit (p < n)
        train_bias = (np.einsum("ij,ij->j", q * b[:, None], q * b[:, None]) + outside @ outside) / n
        train_var1 = ((n - r) + np.einsum("ij,ij->j", q, q)) / n
        out.append(np.stack([bias, var1, train_bias, train_var1]))
    return np.concatenate(out, axis=1)


def rf_ridge_risk(eigs, target_power, noise, n, p, ridge, *, trials=32, seed=0, activation=None, executor=None,
                  test_size=2000, progress=False, chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.rf_ridge_risk`: random-feature ridge regression.

    Broadcasts over ``noise``, ``n``, ``p`` and ``ridge``. All grid points of
    one trial share the draws: the largest ``n`` inputs and ``p`` feature rows
    are drawn once and smaller ``n`` / ``p`` use the first ones (common random
    numbers: smooth curves, still unbiased at every point).

    Parameters
    ----------
    eigs, target_power
        As in :func:`rmt.simulate.ridge_risk` (a Spectrum is expanded to one
        coordinate per mode; ``target_power`` must be 0 where ``eigs`` is 0).
    noise : array_like
        Label-noise variance σ² ≥ 0 (averaged in closed form).
    n, p : array_like of int
        Training samples and random features (integers ≥ 1).
    ridge : array_like
        Per-sample ridge ≥ 0 on the readout (0: minimum-norm readout).
    trials : int
        Independent draws of inputs and features (≥ 2).
    seed : int, sequence of int, SeedSequence or None
        Trial ``i`` uses child ``i`` of ``numpy.random.SeedSequence(seed).spawn(trials)``.
    activation : None, str, callable, GaussianEquivalent or (mu0, mu1, mu_star)
        ``None``: linear features. ``"relu"``, ``"tanh"`` or a callable: real
        nonlinear features ``σ₀ σ(Fx/σ₀)``. Coefficients without a function:
        the Gaussian-equivalent model ``μ₁Fx + σ₀μ_*ξ`` itself.
    executor : concurrent.futures.Executor, optional
        ``None`` runs serially; otherwise chunks of trials run as tasks.
    test_size : int
        Fresh test inputs per trial for real nonlinear features (ignored
        otherwise: the expectation is exact).
    progress, chunksize, keep_trials, blas_threads
        As in :func:`rmt.simulate.ridge_risk`.

    Returns
    -------
    RFSimulatedRisk
        ``excess, test, train, bias, variance`` (means over draws), their
        standard errors ``<field>_se``, and the broadcast ``n, p, ridge, noise``.

    Notes
    -----
    ``bias`` is the excess of the same draws with noiseless labels and
    ``variance = σ² tr(AᵀCA)`` (module docstring). Cost per draw: one
    ``n × p`` SVD per distinct ``(n, p)``, plus ``O(test_size · p · min(n, p))``
    for nonlinear features.

    Examples
    --------
    >>> import numpy as np
    >>> from rmt.simulate.random_features import rf_ridge_risk
    >>> lam = np.arange(1, 301) ** -1.5
    >>> sim = rf_ridge_risk(lam, lam, 0.1, 100, 50, 1e-3, trials=4)
    >>> sim.test.shape, bool(sim.test_se > 0)
    ((), True)
    """
    sq, v = _modes(eigs, target_power, "simulate.rf_ridge_risk")
    noise, n, p, ridge, test_size = validate("simulate.rf_ridge_risk", noise=noise, n=n, p=p, ridge=ridge,
                                             test_size=test_size)
    ge = gaussian_equivalent(activation)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    try:
        noise, n, p, ridge = np.broadcast_arrays(noise, n, p, ridge)
    except ValueError as exc:
        raise ValueError(
            f"noise, n, p and ridge must broadcast together; got shapes {np.shape(noise)}, {np.shape(n)}, "
            f"{np.shape(p)}, {np.shape(ridge)}"
        ) from exc
    ridge = ridge + 0.0
    triples = np.stack([n.ravel(), p.ravel(), ridge.ravel()], axis=1)
    uniq, inverse = np.unique(triples, axis=0, return_inverse=True)
    np_pairs = np.unique(uniq[:, :2], axis=0)
    pairs = tuple((int(a), int(b)) for a, b in np_pairs)
    ridges = tuple(np.ascontiguousarray(uniq[(uniq[:, 0] == a) & (uniq[:, 1] == b), 2]) for a, b in pairs)
    # Dispatch on what defines the model, never on its name: coefficients alone are the
    # Gaussian-equivalent linear-plus-noise model; a function is simulated as itself.
    if ge.function is None:
        kind = "ge"
    elif ge.function is _LINEAR.function and ge.mu_star == 0.0:
        kind = "linear"
    else:
        kind = "nonlinear"
    payload = _Payload(sq, v, kind, ge.function, ge.mu1, ge.mu_star, float(sq @ sq), test_size, pairs, ridges)
    samples = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                         desc="random features", blas_threads=blas_threads)
    inv = inverse.reshape(n.shape)
    bias, var1, trb, trv1 = (samples[:, j, :][:, inv] for j in range(4))
    variance = noise * var1
    excess = bias + variance
    per_trial = {"excess": excess, "test": excess + noise, "train": trb + noise * trv1, "bias": bias,
                 "variance": variance}
    base = summarize(per_trial, trials=trials, n=n, ridge=ridge, noise=noise, seed=ss.entropy,
                     keep_trials=keep_trials)
    pv = p.astype(np.float64)
    return RFSimulatedRisk(**base.as_dict(), p=pv[()] if pv.ndim == 0 else pv, activation=ge.name)
