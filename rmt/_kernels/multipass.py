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
def sgd_paths(X, Y, idx, lr, W):
    """Multi-pass minibatch SGD from ``w₀ = 0`` for every label column of ``Y``.

    ``X`` (n×D) inputs, ``Y`` (n×m) label columns run side by side with the same
    index draws ``idx`` (steps×B, sample indices), step
    ``w ← w - (lr/B) Σ_b x_b (<w, x_b> - y_b)``. Writes ``W[t, col, :] = w_t``
    for ``t = 0 … steps``.
    """
    steps, B = idx.shape
    D = X.shape[1]
    m = Y.shape[1]
    w = np.zeros((m, D))
    g = np.zeros((m, D))
    scale = lr / B
    W[0] = w
    for t in range(steps):
        g[:] = 0.0
        for b in range(B):
            i = idx[t, b]
            for col in range(m):
                r = -Y[i, col]
                for k in range(D):
                    r += X[i, k] * w[col, k]
                for k in range(D):
                    g[col, k] += r * X[i, k]
        for col in range(m):
            for k in range(D):
                w[col, k] -= scale * g[col, k]
        W[t + 1] = w
