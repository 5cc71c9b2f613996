# SPDX-License-Identifier: BSD-3-Clause
"""Spectra and tasks: the input layer of ``rmt``.

A *spectrum* is the list of population eigenvalues (covariance eigenvalues for
linear models, kernel-operator eigenvalues for kernels), optionally grouped into
levels with multiplicities. A *task* is the target power carried by each level
plus the label-noise variance.

Conventions (``docs/conventions.md``): ``x ~ N(0, diag(eigs))``; ``target_power[k] =
eigs[k] * w*[k]**2`` is the variance of the target carried by mode ``k`` (for a
level with multiplicity ``m``, the *total* power of the level); ``noise`` is the
label-noise variance.

Every public entry point of ``rmt`` accepts either a plain 1-D array of
eigenvalues or a :class:`Spectrum`, and a finite :class:`PowerLaw`. The
infinite :class:`PowerLaw` (``size=None``) is accepted by the one-point
functions and the ridge / kernel-ridge risk family, which add its tail
analytically; functions that need explicit modes raise a ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._validation import as_int, as_levels, as_nonnegative, as_positive, as_real, validate

__all__ = [
    "PowerLaw",
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


#: Explicit head modes kept by an infinite power law (at least 20·α): the tail
#: beyond them is summed analytically (:mod:`rmt._kernels.tail`).
HEAD_MODES = 256

_MAX_ALPHA_INFINITE = 50.0


class PowerLaw:
    r"""Power-law sequence ``scale · k^-alpha``, ``k = 1, 2, …`` — a spectrum or a task.

    As a spectrum (``eigs``): ``λ_k = scale·k^-α``. As a task
    (``target_power``): ``v_k² = scale·k^-α`` is the target power of mode
    ``k`` — write ``PowerLaw(beta, scale)`` for convention K's ``k^-β``
    (Zhou et al. 2024 §2; :mod:`rmt.powerlaw` converts from
    source/capacity and ``(a, b)`` exponents).

    Parameters
    ----------
    alpha : float
        Decay exponent. With ``size=None`` it must lie in ``(1, 50]`` (a finite
        trace, or a finite target variance); a finite sequence takes any real.
    scale : float, default 1.0
        Value of the first mode (> 0).
    size : int or None, default None
        Number of modes; ``None`` means infinitely many.

    Notes
    -----
    **Infinite is the default on purpose.** Truncating a power law at ``D``
    modes drops ``Σ_{k>D} λ_k/(λ_k+κ) ≈ D^{1-α}/((α-1)κ)`` from ``df1`` and
    shifts κ and ``E₀`` by several percent at moderate ``n`` (e.g. ``α = 2``,
    ``D = 3000``, ``n = 200``: ``E₀ = 2.054`` instead of 1.995). With
    ``size=None`` the solvers keep ``M = max(256, 20α)`` explicit modes and add
    the sums over ``k > M`` analytically (Euler–Maclaurin with incomplete-beta
    integrals, :mod:`rmt._kernels.tail`) to ~1e-14 relative, at a cost
    independent of ``n`` and of κ.

    As a task for a *finite* spectrum, level ``j`` (1-based, in the order the
    levels are given) receives ``scale·j^-α``.

    Examples
    --------
    >>> import rmt
    >>> from rmt.spectra import PowerLaw
    >>> r = rmt.ridge_risk(PowerLaw(2.0), PowerLaw(1.5), 0.0, 100, 0.0)
    >>> round(float(r.E0), 10) == round(400 / 201, 10)    # E₀ = 4n/(2n+1) for α = 2
    True
    """

    __slots__ = ("alpha", "scale", "size")

    def __init__(self, alpha, scale=1.0, size=None):
        alpha = float(as_real(alpha, "alpha"))
        scale = float(as_positive(scale, "scale"))
        if size is not None:
            size = as_int(size, "size")
        elif not (1.0 < alpha <= _MAX_ALPHA_INFINITE):
            raise ValueError(
                f"alpha must be in (1, {_MAX_ALPHA_INFINITE:g}] for an infinite power law (size=None: a finite "
                f"trace / target variance); got {alpha!r} (pass size=D for a finite one)"
            )
        object.__setattr__(self, "alpha", alpha)
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "size", size)

    def __setattr__(self, name, value):
        raise AttributeError("PowerLaw is immutable")

    @property
    def infinite(self) -> bool:
        """``True`` for ``size=None``."""
        return self.size is None

    @property
    def D(self) -> float:
        """Number of modes (``inf`` when infinite)."""
        return np.inf if self.size is None else float(self.size)

    @property
    def rank(self) -> float:
        """Number of positive modes (all of them)."""
        return self.D

    @property
    def total(self) -> float:
        """``Σ_k scale·k^-α``: the trace of a spectrum, the variance of a task (``scale·ζ(α)`` if infinite)."""
        if self.size is None:
            from scipy.special import zeta

            return self.scale * float(zeta(self.alpha, 1.0))
        return float(self.head(self.size).sum())

    trace = total

    @property
    def head_size(self) -> int:
        """Number of explicit modes kept before the analytic tail (``max(256, 20α)``)."""
        return max(HEAD_MODES, int(np.ceil(20.0 * self.alpha)))

    def head(self, M) -> np.ndarray:
        """The first ``M`` values ``scale·k^-α``, ``k = 1..M`` (``M ≤ size`` when finite)."""
        M = as_int(M, "M")
        if self.size is not None and M > self.size:
            raise ValueError(f"M must be <= size = {self.size}; got {M}")
        return self.scale * _mode_index(M) ** (-self.alpha)

    def at_levels(self, size, name: str = "target_power") -> np.ndarray:
        """The values on the first ``size`` levels of a finite spectrum (used as a task)."""
        if self.size is not None and self.size != size:
            raise ValueError(
                f"{name} must have one entry per eigenvalue (length {size}); got a PowerLaw of size {self.size}"
            )
        return self.head(size)

    def _infinite_error(self, what):
        return ValueError(
            f"{what} of an infinite PowerLaw(alpha={self.alpha:g}) would be infinitely long: this function needs a "
            f"finite spectrum or task; pass PowerLaw(alpha, scale, size=D) (the one-point functions and the ridge "
            f"risk family accept size=None and sum the tail analytically)"
        )

    @property
    def eigs(self) -> np.ndarray:
        """All values (finite only; an infinite power law raises ``ValueError``)."""
        if self.size is None:
            raise self._infinite_error("the explicit eigenvalues")
        return self.head(self.size)

    @property
    def multiplicity(self) -> np.ndarray:
        """Ones (finite only)."""
        if self.size is None:
            raise self._infinite_error("the multiplicities")
        return np.ones(self.size)

    def __array__(self, dtype=None, copy=None):
        out = self.eigs
        return out if dtype is None else out.astype(dtype)

    def __len__(self) -> int:
        if self.size is None:
            raise TypeError("an infinite PowerLaw has no len()")
        return self.size

    def __repr__(self) -> str:
        size = "None (infinite)" if self.size is None else str(self.size)
        return f"PowerLaw(alpha={self.alpha:g}, scale={self.scale:g}, size={size})"


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
    ``n``; for the infinite spectrum use :class:`PowerLaw` (``size=None``),
    whose tail is summed exactly.
    """
    alpha, scale = validate("spectra.power_law", alpha=alpha, scale=scale)
    return float(scale) * _mode_index(D) ** (-float(alpha))


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
    k = _mode_index(D)
    with np.errstate(over="ignore"):
        power = k ** (-beta)
    finite = np.isfinite(power.sum())
    if total is not None:
        total = float(as_nonnegative(total, "total"))
        if finite:
            return power * (total / power.sum())
        log_power = -beta * np.log(k)  # normalized in logs: no overflow for growing (beta < 0) powers
        w = np.exp(log_power - log_power.max())
        return total * (w / w.sum())
    if not finite:
        raise ValueError(f"beta = {beta!r} makes k**(-beta) overflow float64 at k = {D}; pass total= to get the "
                         f"normalized task (computed in logs)")
    return power


def isotropic(D, value=1.0) -> Spectrum:
    """``D`` modes of equal eigenvalue ``value`` (one level of multiplicity ``D``)."""
    D = as_int(D, "D")
    value = float(as_positive(value, "value"))
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
    if M.size == 0:
        raise ValueError(f"{name} must be a non-empty matrix; got shape {M.shape}")
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
    if X.size == 0:
        raise ValueError(f"X must have at least one sample and one feature; got shape {X.shape}")
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
