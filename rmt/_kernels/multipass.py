# SPDX-License-Identifier: BSD-3-Clause
"""Compiled kernels of multi-pass minibatch SGD (predictor and Monte Carlo twin).

Nothing here validates input: :mod:`rmt.risk.multipass` and
:mod:`rmt.simulate.multipass` call these with clean, contiguous arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def pair_power_sums(A, f, z, c, steps, out):
    """``out[m, t] = Re Σ_{i,j} A[m]_ij b_ij^t`` for ``t = 0 … steps``, ``b_ij = f_i f_j + c z_i z_j``.

    ``b`` is symmetric, so only ``i ≤ j`` is visited with ``A_ij + A_ji``;
    each power is built by repeated multiplication (no ``pow``), cost
    ``M · N²/2 · (steps + 1)`` complex products for ``M`` matrices.
    """
    M = A.shape[0]
    N = f.size
    out[:, :] = 0.0
    p = np.empty(M, dtype=np.complex128)
    for i in range(N):
        fi = f[i]
        zi = z[i]
        for j in range(i, N):
            b = fi * f[j] + c * zi * z[j]
            for m in range(M):
                p[m] = A[m, i, j] if i == j else A[m, i, j] + A[m, j, i]
            for t in range(steps + 1):
                for m in range(M):
                    out[m, t] += p[m].real
                    p[m] *= b


@njit(cache=True)
def sgd_curves(X, K, Y, idx, lr, lam, wstar, excess, train):
    """Multi-pass minibatch SGD from ``w₀ = 0``: excess and train curves of every run and label column.

    ``X`` (n×D) inputs, ``K = X Xᵀ`` (n×n), ``Y`` (n×m) label columns run side
    by side on the same index draws ``idx`` (runs×steps×B, sample indices),
    step ``w ← w + (lr/B) Σ_b x_b r_b`` with the residual ``r = y - X w``, which
    is carried along through ``r ← r - (lr/B) Σ_b K[:, b] r_b`` (``O(B(n + D))``
    per step instead of ``O(nD)``). Writes
    ``excess[run, col, t] = Σ_k lam_k (w_k - wstar[col, k])²`` and
    ``train[run, col, t] = |r|²/n`` for ``t = 0 … steps``.
    """
    runs, steps, B = idx.shape
    n, D = X.shape
    m = Y.shape[1]
    scale = lr / B
    w = np.zeros(D)
    r = np.zeros(n)
    coef = np.zeros(B)
    for run in range(runs):
        for col in range(m):
            for k in range(D):
                w[k] = 0.0
            for i in range(n):
                r[i] = Y[i, col]
            for t in range(steps + 1):
                e = 0.0
                for k in range(D):
                    d = w[k] - wstar[col, k]
                    e += lam[k] * d * d
                q = 0.0
                for i in range(n):
                    q += r[i] * r[i]
                excess[run, col, t] = e
                train[run, col, t] = q / n
                if t == steps:
                    break
                for b in range(B):
                    coef[b] = scale * r[idx[run, t, b]]
                for b in range(B):
                    j = idx[run, t, b]
                    cb = coef[b]
                    for k in range(D):
                        w[k] += cb * X[j, k]
                    for i in range(n):
                        r[i] -= cb * K[i, j]
