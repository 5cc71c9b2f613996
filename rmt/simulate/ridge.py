# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twins of :func:`rmt.ridge_risk` and :func:`rmt.kernel_ridge_risk`.

Conventions (``DESIGN.md``): ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``; ``y = <w*, x> + ε``,
``ε ~ N(0, noise)``, ``target_power[k] = eigs[k] w*[k]²``; ridge estimator
``ŵ = (Σ̂ + ridge)⁻¹ Xᵀy/n``, ``Σ̂ = XᵀX/n``, equivalently
``f̂(x) = k(x)ᵀ(K + n·ridge·I)⁻¹ y``; ``ridge = 0`` is the limit ``ridge → 0⁺``
(minimum-norm interpolator), ``ridge = +inf`` the null predictor ``f̂ = 0``.

Variance reduction. The only randomness simulated is the training inputs. Given
them, the estimator is linear in the labels, ``ŵ = A y``, so every expectation
over the test point and the label noise is taken in closed form:

.. math::

    \mathrm{excess}(X) &= \big|\Sigma^{1/2}(A X w^* - w^*)\big|^2
        + \sigma^2\,\mathrm{tr}(\Sigma A A^\top), \\
    \mathrm{train}(X) &= \tfrac1n\big|(I - XA) X w^*\big|^2
        + \tfrac{\sigma^2}{n}\,\mathrm{tr}\big((I - XA)^2\big),

and the reported numbers are means (and standard errors) of these over
independent draws of ``X``. With one SVD ``X = U diag(s) Vᵀ`` (or one
eigendecomposition of ``K = XXᵀ``) per draw every ridge and every noise level is
evaluated at the cost of a few matrix products.
"""

from __future__ import annotations

import inspect
import warnings
from typing import NamedTuple

import numpy as np

from .._validation import as_real, validate
from ._engine import run_trials, validate_run_options
from ._inputs import COMMON_PARAMS as _COMMON_PARAMS
from ._inputs import modes as _modes
from ._result import SimulatedRisk, summarize

__all__ = ["ridge_risk", "kernel_ridge_risk", "kernel_ridge_pool"]

_EPS = np.finfo(np.float64).eps


# --------------------------------------------------------------------------- input handling


def _broadcast(noise, n, ridge):
    try:
        noise, n, ridge = np.broadcast_arrays(noise, n, ridge)
    except ValueError as exc:
        raise ValueError(
            f"noise, n and ridge must broadcast together; got shapes {np.shape(noise)}, {np.shape(n)}, "
            f"{np.shape(ridge)}"
        ) from exc
    return noise, n, ridge + 0.0  # + 0.0 turns a -0.0 ridge into 0.0


class _Plan(NamedTuple):
    """Distinct ``(n, ridge)`` pairs grouped by ``n`` (one decomposition per ``n`` and draw)."""

    n_list: tuple  # distinct sample counts, ascending (Python ints)
    ridges: tuple  # per n: float array of its distinct ridges
    inverse: np.ndarray  # grid index -> pair index (pairs ordered as in n_list / ridges)


def _plan(n, ridge) -> _Plan:
    pairs = np.stack([n.ravel(), ridge.ravel()], axis=1)
    uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
    n_list = tuple(int(v) for v in np.unique(uniq[:, 0]))
    ridges = tuple(np.ascontiguousarray(uniq[uniq[:, 0] == v, 1]) for v in n_list)
    return _Plan(n_list, ridges, inverse.reshape(n.shape))


def _assemble(samples, plan, noise, n, ridge, trials, ss, keep_trials) -> SimulatedRisk:
    """Per-trial ``(bias, var1, train_bias, train_var1)`` per pair -> risks on the grid."""
    inv = plan.inverse
    bias, var1, trb, trv1 = (samples[:, j, :][:, inv] for j in range(4))
    variance = noise * var1
    excess = bias + variance
    per_trial = {
        "excess": excess,
        "test": excess + noise,
        "train": trb + noise * trv1,
        "bias": bias,
        "variance": variance,
    }
    return summarize(
        per_trial, trials=trials, n=n, ridge=ridge, noise=noise, seed=ss.entropy, keep_trials=keep_trials
    )


# --------------------------------------------------------------------------- per-draw linear algebra


#: A direction float64 cannot tell from zero is harmless only where the ridge dominates it by this factor.
_RIDGE_DOMINANCE = 1e8


def _check_resolved(mu, nl, null, rank, size):
    """Refuse a draw whose exact rank float64 cannot see, unless the ridge makes the lost directions irrelevant.

    With probability one a Gaussian draw has rank ``rank = min(n, D)``; directions
    flagged null beyond ``len(mu) - rank`` are real but below ``max|mu|·size·eps``.
    Their filters are then wrong unless ``n·ridge`` exceeds that level by
    ``_RIDGE_DOMINANCE`` (then ρ ≈ 1/(n·ridge), q ≈ 1 whatever their value).
    Simulating them as absent would simulate a different model: raise instead.
    """
    lost = int(null.sum()) - (mu.size - rank)
    if lost <= 0:
        return
    level = float(np.abs(mu).max()) * size * _EPS
    if (nl < _RIDGE_DOMINANCE * level).any():
        raise ValueError(
            f"eigs spans more decades than float64 resolves in a training draw: {lost} of the {rank} directions of "
            f"this draw fall below the rounding level ({level:.3g} against the top eigenvalue "
            f"{float(np.abs(mu).max()):.3g} of n·Σ̂), and n·ridge = {float(np.min(nl)):.3g} does not dominate them; "
            f"the simulation would drop real modes. Use a ridge with n·ridge >= {_RIDGE_DOMINANCE * level:.3g}, "
            "or a spectrum of smaller dynamic range, or the primal twin rmt.simulate.ridge_risk (whose SVD of the "
            "column-graded X keeps these directions); the prediction rmt.ridge_risk has no such limit"
        )


def _filters(mu, nl, null):
    """Spectral filters of ridge on the eigenvalues ``mu`` of the n×n kernel (``mu = s²``).

    Returns ``rho = 1/(mu + n·ridge)`` (the resolvent, 0 on numerically null
    directions in the ridgeless limit: pseudo-inverse) and
    ``q = n·ridge/(mu + n·ridge)`` (the training-residual filter, 1 on null
    directions), both of shape ``(len(mu), len(nl))``.
    """
    mu = mu[:, None]
    nl = nl[None, :]
    if (nl < 0).any():
        bad = ~null[:, None] & (mu + nl <= 0)
        if bad.any():
            j, k = np.argwhere(bad)[0]
            raise ValueError(
                f"ridge must keep Σ̂ + ridge positive on the span of every training draw; got n·ridge = "
                f"{float(nl[0, k]):.6g}, at or below minus the smallest nonzero eigenvalue of n·Σ̂ (or K), "
                f"{float(mu[j, 0]):.6g}, in one draw (use a ridge above rmt.ridge_edge, with some margin)"
            )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = 1.0 / (mu + nl)
        q = 1.0 / (1.0 + mu / nl)
    ridgeless = (nl == 0) & null[:, None]
    rho = np.where(ridgeless, 0.0, rho)
    q = np.where(ridgeless, 1.0, q)
    return rho, q


def _null_mask(mu, size):
    """Numerically zero eigenvalues of an n×n Gram matrix (``size`` = max(n, D) for the tolerance)."""
    scale = np.abs(mu).max() if mu.size else 0.0
    return np.abs(mu) <= scale * size * _EPS


class _Gaussian(NamedTuple):
    sqrt_eigs: np.ndarray  # (D,) positive modes only
    v: np.ndarray  # (D,) sqrt(target_power): f*(x) = <v, z> with x = sqrt(eigs) * z
    n_list: tuple
    ridges: tuple


def _draw_gaussian(p: _Gaussian, rng) -> np.ndarray:
    """Whitened inputs ``z ~ N(0, I_D)`` for the largest ``n``; smaller ``n`` use the first rows."""
    return rng.standard_normal((p.n_list[-1], p.sqrt_eigs.size))


def _primal_trial(p: _Gaussian, rng) -> np.ndarray:
    """One draw, primal form: SVD of ``X`` (n×D); returns ``(4, pairs)``."""
    Z = _draw_gaussian(p, rng)
    sq, v = p.sqrt_eigs, p.v
    w = v / sq
    D = sq.size
    out = []
    for n, ridges in zip(p.n_list, p.ridges):
        X = Z[:n] * sq
        _, s, Vt = np.linalg.svd(X, full_matrices=False)  # s descending, r = min(n, D) values
        r = s.size
        null = s <= s[0] * max(n, D) * _EPS
        _check_resolved(s * s, n * ridges, null, min(n, D), max(n, D))
        rho, q = _filters(s * s, n * ridges, null)
        f = s[:, None] * rho  # ŵ = V diag(f) Uᵀ y
        b = Vt @ w  # w* in the right singular basis
        M = Vt * sq  # rows: Σ^{1/2} V_j
        perp = sq * (w - Vt.T @ b)  # Σ^{1/2}(I - VVᵀ) w*: never learned (zero when n >= D)
        # Σ^{1/2}(ŵ₀ - w*) = -(Σ^{1/2} V diag(q) b + perp), ŵ₀ the noiseless-label fit
        err = M.T @ (q * b[:, None]) + perp[:, None]
        bias = np.einsum("ij,ij->j", err, err)
        var1 = np.einsum("i,ij->j", np.einsum("ij,ij->i", M, M), f * f)  # tr(Σ A Aᵀ)
        resid = q * (s * b)[:, None]  # Uᵀ(I - XA) X w*
        train_bias = np.einsum("ij,ij->j", resid, resid) / n
        train_var1 = ((n - r) + np.einsum("ij,ij->j", q, q)) / n  # tr((I - XA)²)/n
        out.append(np.stack([bias, var1, train_bias, train_var1]))
    return np.concatenate(out, axis=1)


def _kernel_trial(p: _Gaussian, rng) -> np.ndarray:
    """One draw, kernel form: eigendecomposition of ``K = XXᵀ`` (n×n); returns ``(4, pairs)``."""
    Z = _draw_gaussian(p, rng)
    sq, v = p.sqrt_eigs, p.v
    D = sq.size
    out = []
    for n, ridges in zip(p.n_list, p.ridges):
        X = Z[:n] * sq
        mu, U = np.linalg.eigh(X @ X.T)  # ascending
        null = _null_mask(mu, max(n, D))
        if n > D:
            null[: n - D] = True  # rank(K) <= D exactly
        _check_resolved(mu, n * ridges, null, min(n, D), max(n, D))
        rho, q = _filters(mu, n * ridges, null)
        t = U.T @ (Z[:n] @ v)  # noiseless labels f*(x_i) in the eigenbasis of K
        # f̂(x) = k(x)ᵀα, k(x) = Xx, x = Σ^{1/2}z, α = U(ρ∘t): f̂(x) - f*(x) = zᵀ(Σ^{1/2}Xᵀα - v) = zᵀ(B(ρ∘t) - v)
        B = (X.T @ U) * sq[:, None]
        err = B @ (rho * t[:, None]) - v[:, None]
        bias = np.einsum("ij,ij->j", err, err)
        var1 = np.einsum("i,ij->j", np.einsum("ij,ij->j", B, B), rho * rho)  # tr(R C R), C = E k(x)k(x)ᵀ
        resid = q * t[:, None]  # Uᵀ(I - KR) y₀
        train_bias = np.einsum("ij,ij->j", resid, resid) / n
        train_var1 = np.einsum("ij,ij->j", q, q) / n
        out.append(np.stack([bias, var1, train_bias, train_var1]))
    return np.concatenate(out, axis=1)


class _Pool(NamedTuple):
    K: np.ndarray  # (N, N)
    y: np.ndarray  # (N,)
    replace: bool
    n_list: tuple
    ridges: tuple


def _pool_trial(p: _Pool, rng) -> np.ndarray:
    """One draw of training indices from the pool; returns ``(4, pairs)``."""
    N = p.y.size
    idx = rng.choice(N, size=p.n_list[-1], replace=p.replace)
    out = []
    for n, ridges in zip(p.n_list, p.ridges):
        S = idx[:n]
        mu, U = np.linalg.eigh(p.K[np.ix_(S, S)])
        null = _null_mask(mu, n)
        rho, q = _filters(mu, n * ridges, null)
        t = U.T @ p.y[S]
        B = p.K[:, S] @ U  # k(x_i)ᵀ U for every pool point
        err = B @ (rho * t[:, None]) - p.y[:, None]
        bias = np.einsum("ij,ij->j", err, err) / N
        var1 = np.einsum("i,ij->j", np.einsum("ij,ij->j", B, B) / N, rho * rho)
        resid = q * t[:, None]
        train_bias = np.einsum("ij,ij->j", resid, resid) / n
        train_var1 = np.einsum("ij,ij->j", q, q) / n
        out.append(np.stack([bias, var1, train_bias, train_var1]))
    return np.concatenate(out, axis=1)


# --------------------------------------------------------------------------- public API


def _gaussian(trial_fn, desc, eigs, target_power, noise, n, ridge, trials, seed, executor, progress, chunksize,
              keep_trials, blas_threads):
    entry = "simulate.kernel_ridge_risk" if trial_fn is _kernel_trial else "simulate.ridge_risk"
    sq, v = _modes(eigs, target_power, entry)
    noise, n, ridge = validate(entry, noise=noise, n=n, ridge=ridge)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    noise, n, ridge = _broadcast(noise, n, ridge)
    plan = _plan(n, ridge)
    payload = _Gaussian(sq, v, plan.n_list, plan.ridges)
    samples = run_trials(trial_fn, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                         desc=desc, blas_threads=blas_threads)
    return _assemble(samples, plan, noise, n, ridge, trials, ss, keep_trials)





def ridge_risk(eigs, target_power, noise, n, ridge, *, trials=32, seed=0, executor=None, progress=False,
               chunksize=None, keep_trials=False, blas_threads=1) -> SimulatedRisk:
    r"""Monte Carlo twin of :func:`rmt.ridge_risk`: ridge regression on Gaussian data.

    Draws ``X`` with rows ``x_i ~ N(0, diag(eigs))``, labels
    ``y = X w* + ε``, ``w*_k = sqrt(target_power_k / eigs_k)``, ``ε ~ N(0, noise)``,
    and fits ``ŵ = (Σ̂ + ridge)⁻¹ Xᵀy/n`` with ``Σ̂ = XᵀX/n`` (DESIGN.md).
    Broadcasts over ``noise``, ``n`` and ``ridge`` like a numpy ufunc.

    Parameters
    ----------
    eigs : array_like or Spectrum
        Population covariance eigenvalues (≥ 0). A :class:`rmt.spectra.Spectrum`
        with integer multiplicities is expanded to one coordinate per mode; the
        target power of a level is spread evenly over its modes.
    target_power : array_like or float
        Target variance carried by each eigenvalue entry (≥ 0; per level for a
        Spectrum, the level's total). Must be 0 where ``eigs`` is 0.
    noise : array_like
        Label-noise variance σ² ≥ 0.
    n : array_like of int
        Number of training samples (integer ≥ 1). All ``n`` of one call share
        the draws: trial ``i`` draws rows for the largest ``n`` and each smaller
        ``n`` uses the first rows (nested training sets).
    ridge : array_like
        Per-sample ridge: 0 is the ridgeless limit (minimum-norm interpolator,
        pseudo-inverse), ``+inf`` the null predictor; a negative ridge is
        allowed when ``Σ̂ + ridge`` stays positive on the span of every draw.
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedRisk
        ``excess, test, train, bias, variance`` (means over draws), their
        standard errors ``<field>_se``, ``trials``, the broadcast ``n, ridge,
        noise`` and the root ``seed`` entropy; arrays of the broadcast shape.

    Notes
    -----
    Per draw, with the thin SVD ``X = U diag(s) Vᵀ``, ``b = Vᵀw*``,
    ``q_j = n·ridge/(s_j² + n·ridge)`` and ``f_j = s_j/(s_j² + n·ridge)``
    (``ŵ = V diag(f) Uᵀ y``):

    .. math::

        \mathrm{bias}(X) &= \big|\Sigma^{1/2}\big(V\,\mathrm{diag}(q)\,b + (I - VV^\top)w^*\big)\big|^2, \\
        \mathrm{variance}(X) &= \sigma^2 \sum_j f_j^2\,|\Sigma^{1/2} V_j|^2
            = \sigma^2\,\mathrm{tr}(\Sigma A A^\top), \\
        \mathrm{train}(X) &= \frac1n \sum_j q_j^2 s_j^2 b_j^2
            + \frac{\sigma^2}{n}\Big(n - r + \sum_j q_j^2\Big),

    i.e. the exact expectations over the test point and the label noise given
    ``X`` (``r = min(n, D)``). ``excess = bias + variance``,
    ``test = excess + σ²``. The standard error is over draws of ``X`` only.
    Modes with ``eigs = 0`` are dropped (they carry neither signal nor data).
    Cost per draw: one ``n × D`` SVD per distinct ``n``, then
    ``O(D · min(n, D))`` per distinct ridge.

    Examples
    --------
    >>> import numpy as np, rmt
    >>> sim = rmt.simulate.ridge_risk(np.ones(300), np.full(300, 1/300), 0.25, 100, 0.75, trials=8)
    >>> abs(float(sim.test) - 1.0) < 0.03   # theory: test = 1 exactly
    True
    """
    return _gaussian(_primal_trial, "ridge", eigs, target_power, noise, n, ridge, trials, seed, executor, progress,
                     chunksize, keep_trials, blas_threads)


def kernel_ridge_risk(eigs, target_power, noise, n, ridge, *, trials=32, seed=0, executor=None, progress=False,
                      chunksize=None, keep_trials=False, blas_threads=1) -> SimulatedRisk:
    r"""Monte Carlo twin of :func:`rmt.kernel_ridge_risk`, solved in kernel form.

    Same model and same draws as :func:`ridge_risk` (for equal ``seed`` the two
    agree draw by draw up to round-off), but the estimator is computed as
    ``f̂(x) = k(x)ᵀ (K + n·ridge·I)⁻¹ y`` with the linear kernel
    ``k(x, x') = <x, x'>`` on Gaussian features ``x ~ N(0, diag(eigs))``:
    ``K = XXᵀ`` is ``n × n``, which is the cheap side when ``n < D``.

    Parameters
    ----------
    eigs : array_like or Spectrum
        Kernel-operator eigenvalues (here: the feature covariance), ≥ 0.
    target_power : array_like or float
        ``v_k²``, squared coefficients of ``f* = Σ_k v_k φ_k``; 0 where ``eigs`` is 0.
    noise, n, ridge
        As in :func:`ridge_risk` (``ridge = 0``: pseudo-inverse of ``K``).
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedRisk

    Notes
    -----
    Per draw, with ``K = U diag(μ) Uᵀ``, ``ρ_j = 1/(μ_j + n·ridge)``,
    ``q_j = n·ridge·ρ_j``, ``t = Uᵀ f*(X)`` and ``B = Σ^{1/2} Xᵀ U`` (so that
    ``E_x k(x) k(x)ᵀ = U Bᵀ B Uᵀ`` in the original basis):

    .. math::

        \mathrm{bias}(X) = |B(\rho\circ t) - v|^2,\quad
        \mathrm{variance}(X) = \sigma^2\sum_j \rho_j^2 |B_j|^2,\quad
        \mathrm{train}(X) = \frac1n\sum_j q_j^2 t_j^2 + \frac{\sigma^2}{n}\sum_j q_j^2 .

    Cost per draw: ``O(n²D + n³)`` per distinct ``n``.
    """
    return _gaussian(_kernel_trial, "kernel ridge", eigs, target_power, noise, n, ridge, trials, seed, executor,
                     progress, chunksize, keep_trials, blas_threads)


_UNSET = object()


def _pool_arguments(args, noise, n, ridge):
    """``(noise, n, ridge)`` of :func:`kernel_ridge_pool` from its positional and keyword arguments.

    ``(K, y, noise, n, ridge)`` is the order of every predictor and twin; the
    former ``(K, y, n, ridge, *, noise=0.0)`` (two positional numbers after
    ``y``) still works and warns.
    """
    given = dict(noise=noise, n=n, ridge=ridge)
    if len(args) == 2 and n is _UNSET and ridge is _UNSET:
        warnings.warn("kernel_ridge_pool(K, y, n, ridge, noise=...) is deprecated: the order is now "
                      "kernel_ridge_pool(K, y, noise, n, ridge), as in every predictor and twin",
                      DeprecationWarning, stacklevel=3)
        given.update(n=args[0], ridge=args[1])
        args = ()
    if len(args) > 3:
        raise TypeError(f"kernel_ridge_pool takes K, y, noise, n, ridge positionally; got {len(args) + 2} arguments")
    for name, value in zip(("noise", "n", "ridge"), args):
        if given[name] is not _UNSET:
            raise TypeError(f"kernel_ridge_pool got multiple values for argument {name!r}")
        given[name] = value
    missing = [k for k in ("n", "ridge") if given[k] is _UNSET]
    if missing:
        raise TypeError(f"kernel_ridge_pool missing required argument(s): {', '.join(missing)}")
    return 0.0 if given["noise"] is _UNSET else given["noise"], given["n"], given["ridge"]


def kernel_ridge_pool(K, y, *args, noise=_UNSET, n=_UNSET, ridge=_UNSET, trials=32, seed=0, replace=False,
                      executor=None, progress=False, chunksize=None, keep_trials=False,
                      blas_threads=1) -> SimulatedRisk:
    r"""Kernel ridge regression on training sets drawn from a finite pool of points.

    The data distribution is the uniform measure on a pool of ``N`` points with
    kernel matrix ``K`` and target values ``y``. Each trial draws ``n`` pool
    indices ``S``, adds ``N(0, noise)`` label noise to ``y_S``, fits
    ``f̂(x) = K[x, S] (K[S, S] + n·ridge·I)⁻¹ ỹ_S`` and measures

    * ``excess = (1/N) Σ_{i=1}^{N} (f̂(x_i) - y_i)²`` over **all** pool points
      (the expectation over a fresh uniform test point, which may be a training point),
    * ``test = excess + noise``,
    * ``train = (1/n) Σ_{i∈S} (ỹ_i - f̂(x_i))²`` (noisy labels).

    This is the twin of
    ``rmt.kernel_ridge_risk(*rmt.spectra.from_kernel(K, y)[:2], noise, n, ridge)``
    (kernel eigenvalues ``eig(K)/N``). That theory assumes i.i.d. training
    points and Gaussian-equivalent features; a finite pool departs from it in
    two ways, both small when ``n ≪ N``:

    * Sampling. I.i.d. draws from a finite pool repeat points, about
      ``n²/(2N)`` per training set, which a Gaussian design never does (a
      repeat brings no new input, and with label noise a ridgeless fit cannot
      interpolate both copies). ``replace=True`` simulates that i.i.d. setting,
      repeats included. The default ``replace=False`` draws a uniform
      ``n``-subset, i.e. i.i.d. draws conditioned on no repeat, which is closer
      to the Gaussian-equivalent theory (scikit-learn digits, ``N = 1797``,
      ``n = 200``, ridgeless, noiseless: test +3.5% above theory without
      replacement, +6.8% with).
    * Universality. Real-data kernel eigenfunctions are not Gaussian; spectral
      statistics of ``K[S, S]`` near its lower edge (which set the noisy train
      error at small ridge) can differ visibly from the deterministic
      equivalent even at ``n ≪ N``.

    Called as ``kernel_ridge_pool(K, y, noise, n, ridge, *, trials, ...)``, the
    argument order of every predictor and twin (``K, y`` in the place of
    ``eigs, target_power``). The former order ``kernel_ridge_pool(K, y, n,
    ridge, noise=...)`` still works and raises a ``DeprecationWarning``.

    Parameters
    ----------
    K : array_like, shape (N, N)
        Symmetric kernel matrix of the pool (positive semi-definite for the
        theory twin).
    y : array_like, shape (N,)
        Target values on the pool (noise-free).
    noise : array_like, optional
        Label-noise variance ≥ 0 added to the training labels (default 0).
    n : array_like of int
        Training-set size(s), integers ≥ 1, and ``n < N`` unless ``replace``.
        All ``n`` of one call share the draw (nested training sets).
    ridge : array_like
        Per-sample ridge (``n·ridge`` is added to ``K[S, S]``); 0 is the
        ridgeless limit (pseudo-inverse), ``+inf`` the null predictor.
        ``noise``, ``n`` and ``ridge`` broadcast together.
    replace : bool, optional
        Draw the training indices with replacement (i.i.d., repeats possible);
        default False (a uniform ``n``-subset).
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedRisk

    Notes
    -----
    The label noise is averaged out exactly given ``S``: with
    ``K[S, S] = U diag(μ) Uᵀ``, ``ρ_j = 1/(μ_j + n·ridge)``, ``q_j = n·ridge·ρ_j``,
    ``t = Uᵀ y_S`` and ``B = K[:, S] U``,

    .. math::

        \mathrm{excess}(S) = \frac1N\,|B(\rho\circ t) - y|^2
            + \frac{\sigma^2}{N}\sum_j \rho_j^2 |B_j|^2, \qquad
        \mathrm{train}(S) = \frac1n\sum_j q_j^2 t_j^2 + \frac{\sigma^2}{n}\sum_j q_j^2 .

    Standard errors are over the draw of ``S`` only. Cost per draw:
    ``O(N n² + n³)`` per distinct ``n``.
    """
    noise, n, ridge = _pool_arguments(args, noise, n, ridge)
    K = as_real(K, "K")
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        raise ValueError(f"K must be a square (N, N) kernel matrix; got shape {K.shape}")
    N = K.shape[0]
    if N < 2:
        raise ValueError(f"K must describe a pool of at least 2 points; got N = {N}")
    scale = np.abs(K).max()
    if not np.allclose(K, K.T, rtol=1e-10, atol=1e-12 * scale):
        raise ValueError("K must be symmetric (a kernel matrix)")
    y = as_real(y, "y")
    if y.shape != (N,):
        raise ValueError(f"y must have one target value per pool point (length {N}); got shape {y.shape}")
    noise, n, ridge, replace = validate("simulate.kernel_ridge_pool", noise=noise, n=n, ridge=ridge, replace=replace)
    if not replace and (n >= N).any():
        raise ValueError(
            f"n must be < N = {N} (the pool size) when sampling without replacement; got n = {int(n.max())} "
            "(use replace=True for i.i.d. draws)"
        )
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    noise, n, ridge = _broadcast(noise, n, ridge)
    plan = _plan(n, ridge)
    payload = _Pool(np.ascontiguousarray((K + K.T) / 2), np.ascontiguousarray(y), bool(replace), plan.n_list,
                    plan.ridges)
    samples = run_trials(_pool_trial, payload, trials, ss, executor=executor, chunksize=chunksize,
                         progress=progress, desc="kernel ridge (pool)", blas_threads=blas_threads)
    return _assemble(samples, plan, noise, n, ridge, trials, ss, keep_trials)


for _f in (ridge_risk, kernel_ridge_risk, kernel_ridge_pool):
    _f.__doc__ = _f.__doc__.replace("__COMMON_PARAMETERS__", _COMMON_PARAMS)
del _f


def _documented_signature(fn, names):
    """Give ``fn`` its documented signature: ``*args`` replaced by the positional ``names`` (for ``help``)."""
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.kind is not p.VAR_POSITIONAL and p.name not in names]
    pos = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names]
    fn.__signature__ = sig.replace(parameters=params[:2] + pos + params[2:])


_documented_signature(kernel_ridge_pool, ("noise", "n", "ridge"))
