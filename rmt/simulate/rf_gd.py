# SPDX-License-Identifier: BSD-3-Clause
r"""Monte Carlo twin of :func:`rmt.rf_gd_risk`: full-batch GD on a random-feature readout.

Model (DESIGN.md): ``x ~ N(0, Σ)``, ``y = <w*, x> + ε``; ``F ∈ R^{p×D}``,
``F_jk ~ N(0, 1/p)``, drawn afresh in every trial together with the ``n``
training inputs; ``a₀ = 0``, ``a ← a - lr((Φ̂ + ridge) a - Φᵀy/n)``,
``Φ = XFᵀ``, ``Φ̂ = ΦᵀΦ/n``. Per draw one thin SVD ``Φ = U diag(s) Vᵀ``
(``μ_j = s_j²/n``; singular values below ``max(n, p)·eps·s_max`` count as 0)
gives the whole curve exactly: with ``e_j(t) = (1 - lr(μ_j + ridge))^t``,
``h_j = (1 - e_j)/(μ_j + ridge)``, ``u_j = 1 - μ_j h_j``, ``g = Uᵀy₀``
(``y₀ = Xw*``), readout ``a_t = V c(t)``, ``c_j = h_j s_j g_j/n`` at zero noise and
``M = Σ^{1/2}FᵀV``,

.. math::

    \mathrm{bias}(t) &= |M c(t) - \Sigma^{1/2} w^*|^2, \qquad
    \mathrm{variance}(t) = \frac{\sigma^2}{n}\sum_j \mu_j h_j^2\,|M_j|^2, \\
    \mathrm{train}(t) &= \frac1n\Big(|y_0|^2 - |g|^2 + \sum_j u_j^2 g_j^2\Big)
                       + \frac{\sigma^2}{n}\Big(n - r + \sum_j u_j^2\Big),

the exact expectations over the test point and the label noise given ``(F, X)``
(``r`` the rank of ``Φ``; ``a`` stays in the row space of ``Φ``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._curves import summarize_curves
from .._validation import validate
from ._engine import run_trials, validate_run_options
from ._inputs import COMMON_PARAMS as _COMMON_PARAMS
from ._inputs import modes as _modes

__all__ = ["rf_gd_risk"]

_BLOCK = 1024  # time rows per block (bounds memory at O(block · min(n, p)))


class _Payload(NamedTuple):
    sqrt_eigs: np.ndarray
    v: np.ndarray  # Σ^{1/2} w*: y₀ = <v, z>, x = sqrt_eigs * z
    n: int
    p: int
    lr: float
    ridge: float
    steps: int


def _trial(P: _Payload, rng) -> np.ndarray:
    """One draw of ``(F, X)``: ``(4, steps + 1)`` = bias, variance per unit noise, train bias, train variance per unit noise."""
    sq, n, p = P.sqrt_eigs, P.n, P.p
    F = rng.standard_normal((p, sq.size)) / np.sqrt(p)
    Z = rng.standard_normal((n, sq.size))
    Phi = (Z * sq) @ F.T
    y0 = Z @ P.v
    U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
    keep = s > max(n, p) * np.finfo(np.float64).eps * (s[0] if s.size else 0.0)
    U, s, Vt = U[:, keep], s[keep], Vt[keep]
    mu = s * s / n
    r = mu.size
    g = U.T @ y0
    M = (F.T @ Vt.T) * sq[:, None]  # Σ^{1/2} Fᵀ V_j as columns
    G = M.T @ M
    mv = M.T @ P.v
    vv = float(P.v @ P.v)
    dj = np.diag(G).copy()
    yy = float(y0 @ y0) - float(g @ g)
    lam = P.ridge
    out = np.empty((4, P.steps + 1))
    for a in range(0, P.steps + 1, _BLOCK):
        tt = np.arange(a, min(a + _BLOCK, P.steps + 1), dtype=np.float64)[:, None]
        e = (1.0 - P.lr * (mu + lam)) ** tt
        h = (1.0 - e) / (mu + lam)
        c = h * (s * g / n)
        u = 1.0 - mu * h
        b = slice(a, a + tt.shape[0])
        out[0, b] = np.einsum("ti,ti->t", c @ G, c) - 2.0 * c @ mv + vv
        out[1, b] = (h * h * mu * dj).sum(axis=1) / n
        out[2, b] = (yy + (u * u * g * g).sum(axis=1)) / n
        out[3, b] = ((n - r) + (u * u).sum(axis=1)) / n
    return out


def rf_gd_risk(eigs, target_power, noise, n, p, lr, steps, *, ridge=0.0, trials=32, seed=0, executor=None,
               progress=False, chunksize=None, keep_trials=False, blas_threads=1):
    r"""Monte Carlo twin of :func:`rmt.rf_gd_risk`: GD on a random-feature readout, ``t = 0 … steps``.

    Scalar ``noise, n, p, lr, ridge``. Each trial draws ``F`` and ``X`` and is exact
    given them (the GD filter ``(1 - lr(μ + ridge))^t`` on the eigenvalues of ``Φ̂``,
    expectations over the test point and the label noise in closed form). An
    ``lr`` unstable for a draw (``lr(μ_max + ridge) ≥ 2``) makes the curve diverge
    and raises ``FloatingPointError``.

    Parameters
    ----------
    eigs, target_power, noise, n
        As in :func:`rmt.simulate.gd_risk` (scalars here).
    p : int
        Number of random features ≥ 1.
    lr : float
        Step size > 0.
    steps : int
        Number of steps ≥ 0.
    ridge : float, optional
        Weight decay ≥ 0.
__COMMON_PARAMETERS__

    Returns
    -------
    SimulatedCurve
    """
    sq, v = _modes(eigs, target_power, "simulate.rf_gd_risk")
    noise, n, p, lr, steps, ridge = validate("simulate.rf_gd_risk", noise=noise, n=n, p=p, lr=lr, steps=steps,
                                             ridge=ridge)
    noise, n, p, lr, ridge = float(noise), int(n), int(p), float(lr), float(ridge)
    trials, ss, chunksize, blas_threads = validate_run_options(trials, seed, executor, chunksize, blas_threads)
    payload = _Payload(sq, v, n, p, lr, ridge, steps)
    with np.errstate(over="ignore", invalid="ignore"):
        samples = run_trials(_trial, payload, trials, ss, executor=executor, chunksize=chunksize, progress=progress,
                             desc="rf gd", blas_threads=blas_threads)
    bias, var1, trb, trv1 = (samples[:, j] for j in range(4))
    variance = noise * var1
    excess = bias + variance
    per = {"excess": excess, "test": excess + noise, "train": trb + noise * trv1, "bias": bias, "variance": variance}
    return summarize_curves(per, t=np.arange(steps + 1), trials=trials, seed=ss.entropy, keep_trials=keep_trials)


rf_gd_risk.__doc__ = rf_gd_risk.__doc__.replace("__COMMON_PARAMETERS__", _COMMON_PARAMS)
