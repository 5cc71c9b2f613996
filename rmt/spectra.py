# SPDX-License-Identifier: BSD-3-Clause
"""Spectra and tasks: the input layer of ``rmt``.

A *spectrum* is the list of population eigenvalues (covariance eigenvalues for
linear models, kernel-operator eigenvalues for kernels), optionally grouped into
levels with multiplicities. A *task* is the target power carried by each level
plus the label-noise variance.

Conventions (``DESIGN.md``): ``x ~ N(0, diag(eigs))``; ``target_power[k] =
eigs[k] * w*[k]**2`` is the variance of the target carried by mode ``k`` (for a
level with multiplicity ``m``, the *total* power of the level); ``noise`` is the
label-noise variance.

Every public entry point of ``rmt`` accepts either a plain 1-D array of
eigenvalues or a :class:`Spectrum`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._validation import as_count, as_int, as_levels, as_nonnegative, as_real, as_target_power

__all__ = [
    "Spectrum",
    "Task",
    "power_law",
    "power_law_target",
    "isotropic",
    "atoms",
    "from_kernel",
    "from_data",
]


@dataclass(frozen=True, eq=False)
class Spectrum:
    """Eigenvalue levels with multiplicities.

    Parameters
    ----------
    eigs : array_like, shape (L,)
        Eigenvalue of each level, finite and ≥ 0.
    multiplicity : array_like, shape (L,), optional
        Number of modes at each level (> 0; need not be an integer for a
        continuum approximation). Defaults to ones.

    Notes
    -----
    ``np.asarray(spectrum)`` expands the levels to one entry per mode (integer
    multiplicities only), so a ``Spectrum`` can be passed to code that expects
    a plain eigenvalue array. Inside ``rmt`` the levels are used directly, so a
    level of multiplicity 10⁶ costs one term.
    """

    eigs: np.ndarray
    multiplicity: np.ndarray

    def __init__(self, eigs, multiplicity=None):
        values = np.asarray(eigs, dtype=np.float64)
        mult = np.ones_like(values) if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)
        obj = type("_Levels", (), {"eigs": values, "multiplicity": mult})
        values, mult = as_levels(obj, "eigs")
        object.__setattr__(self, "eigs", values)
        object.__setattr__(self, "multiplicity", mult)

    @property
    def D(self) -> float:
        """Total number of modes, ``sum(multiplicity)``."""
        return float(self.multiplicity.sum())

    @property
    def rank(self) -> float:
        """Number of modes with a positive eigenvalue."""
        return float(self.multiplicity[self.eigs > 0].sum())

    @property
    def trace(self) -> float:
        """``sum(multiplicity * eigs)``."""
        return float(self.multiplicity @ self.eigs)

    def __len__(self) -> int:
        return self.eigs.size

    def __array__(self, dtype=None, copy=None):
        if not np.all(self.multiplicity == np.round(self.multiplicity)):
            raise ValueError("cannot expand a spectrum with non-integer multiplicities to one entry per mode")
        out = np.repeat(self.eigs, self.multiplicity.astype(np.int64))
        return out if dtype is None else out.astype(dtype)

    def __repr__(self) -> str:
        return f"Spectrum(levels={self.eigs.size}, D={self.D:g}, trace={self.trace:.6g})"


class Task(NamedTuple):
    """A learning problem read off data: ``ridge_risk(*task, n, ridge)`` works directly."""

    eigs: np.ndarray
    target_power: np.ndarray
    noise: float


def _mode_index(D: int) -> np.ndarray:
    return np.arange(1, as_int(D, "D") + 1, dtype=np.float64)


def power_law(D, alpha, *, scale=1.0) -> np.ndarray:
    """Finite power-law spectrum ``eigs[k-1] = scale * k**(-alpha)``, ``k = 1..D``.

    Truncating a power law at ``D`` modes changes every answer that depends on
    the tail (κ, E₀) by an amount that can reach several percent at moderate
    ``n``; compare with a larger ``D`` before reading off infinite-``D`` numbers.
    """
    alpha = float(as_nonnegative(alpha, "alpha"))
    scale = float(as_count(scale, "scale"))
    return scale * _mode_index(D) ** (-alpha)


def power_law_target(D, beta, *, total=None) -> np.ndarray:
    """Power-law task ``target_power[k-1] = k**(-beta)``, ``k = 1..D``.

    Parameters
    ----------
    D : int
        Number of modes.
    beta : float
        Decay exponent of the target power per mode (convention K's β; the
        source exponent is ``r = (beta - 1) / (2 alpha)``).
    total : float, optional
        If given, rescale so that ``sum(target_power) == total`` (the target's
        variance). Default: unnormalized, ``target_power[0] = 1``.
    """
    beta = float(as_real(beta, "beta"))
    power = _mode_index(D) ** (-beta)
    if total is not None:
        power *= float(as_nonnegative(total, "total")) / power.sum()
    return power


def isotropic(D, value=1.0) -> Spectrum:
    """``D`` modes of equal eigenvalue ``value`` (one level of multiplicity ``D``)."""
    D = as_int(D, "D")
    value = float(as_count(value, "value"))
    return Spectrum([value], [float(D)])


def atoms(values, multiplicities) -> Spectrum:
    """A few-atom spectrum: level ``values[j]`` repeated ``multiplicities[j]`` times."""
    values = as_real(values, "values")
    mult = as_real(multiplicities, "multiplicities")
    if values.shape != mult.shape:
        raise ValueError(
            f"multiplicities must have the same length as values ({values.size}); got shape {mult.shape}"
        )
    return Spectrum(values, mult)


def _symmetric_eigh(M: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    M = as_real(M, name)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ValueError(f"{name} must be a square matrix; got shape {M.shape}")
    if not np.allclose(M, M.T, rtol=1e-10, atol=1e-12 * np.abs(M).max()):
        raise ValueError(f"{name} must be symmetric")
    values, vectors = np.linalg.eigh((M + M.T) / 2)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    # Round-off can make a PSD matrix's smallest eigenvalues slightly negative.
    floor = -1e-10 * max(values[0], 0.0) * M.shape[0]
    if values[-1] < floor:
        raise ValueError(f"{name} must be positive semi-definite; smallest eigenvalue {values[-1]:.3g}")
    return np.clip(values, 0.0, None), vectors


def from_kernel(K, y=None):
    """Spectrum (and task) of a kernel on a finite pool of ``N`` points.

    The pool, with the uniform measure on its points, is the data distribution.
    The kernel operator's eigenvalues are ``eig(K) / N`` with eigenfunctions
    ``φ_k(x_i) = sqrt(N) U[i, k]``; the target ``f*(x_i) = y_i`` then has
    coefficients ``v_k = U[:, k] @ y / sqrt(N)``, so ``target_power = v_k**2``
    and ``sum(target_power) = |y|² / N``.

    Parameters
    ----------
    K : array_like, shape (N, N)
        Symmetric positive semi-definite kernel matrix of the pool.
    y : array_like, shape (N,), optional
        Labels on the pool (the target function's values).

    Returns
    -------
    eigs : ndarray, shape (N,)
        If ``y`` is None.
    Task
        ``(eigs, target_power, noise=0.0)`` if ``y`` is given: the labels are the
        target itself on the pool, so there is no label noise.
    """
    values, vectors = _symmetric_eigh(K, "K")
    N = values.size
    eigs = values / N
    if y is None:
        return eigs
    y = as_real(y, "y")
    if y.shape != (N,):
        raise ValueError(f"y must have one label per pool point (length {N}); got shape {y.shape}")
    target_power = (vectors.T @ y) ** 2 / N
    return Task(eigs, target_power, 0.0)


def from_data(X, y=None):
    """Spectrum (and task) of a data matrix, as a linear-regression problem.

    The population covariance is estimated by ``Σ = XᵀX / N`` (no centering:
    ``rmt`` models zero-mean data; center ``X`` first if yours is not). With
    labels, the best linear predictor ``w* = Σ⁺ Xᵀy / N`` gives the target power
    ``eigs_k (u_kᵀ w*)²`` per eigen-direction ``u_k`` and the residual variance
    ``|y - X w*|² / N`` is returned as ``noise``.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,), optional

    Returns
    -------
    eigs : ndarray, shape (D,)
        If ``y`` is None.
    Task
        ``(eigs, target_power, noise)`` if ``y`` is given.
    """
    X = as_real(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D data matrix (samples × features); got shape {X.shape}")
    N = X.shape[0]
    values, vectors = _symmetric_eigh(X.T @ X / N, "XᵀX/N")
    if y is None:
        return values
    y = as_real(y, "y")
    if y.shape != (N,):
        raise ValueError(f"y must have one label per row of X (length {N}); got shape {y.shape}")
    proj = vectors.T @ (X.T @ y / N)  # u_kᵀ Xᵀy/N = eigs_k (u_kᵀ w*)
    positive = values > values[0] * 1e-12
    target_power = np.zeros_like(values)
    target_power[positive] = proj[positive] ** 2 / values[positive]
    noise = max(float(y @ y / N - target_power.sum()), 0.0)
    return Task(values, target_power, noise)
