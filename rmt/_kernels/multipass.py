# SPDX-License-Identifier: BSD-3-Clause
"""Compiled kernels of multi-pass minibatch SGD (predictor and Monte Carlo twin).

Nothing here validates input: :mod:`rmt.risk.multipass` and
:mod:`rmt.simulate.multipass` call these with clean, contiguous arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def pair_power_sums(A, z, lr, q, steps, constant, out):
    """``out[m, t] = Re Σ_{i,j} A[m]_ij Π_{u<t} b_ij(u)`` for ``t = 0 … steps``.

    ``b_ij(u) = (1 - lr_u z_i)(1 - lr_u z_j) + c_u z_i z_j = 1 - lr_u (z_i + z_j) + q_u z_i z_j``
    with ``q = lr² + c`` given per step (arrays of length ``max(steps, 1)``);
    ``constant`` (one ``lr``, ``c`` for every step) hoists ``b`` out of the time
    loop. ``b`` is symmetric, so only ``i ≤ j`` is visited with ``A_ij + A_ji``;
    each product is built by repeated multiplication, cost
    ``M · N²/2 · (steps + 1)`` complex products for ``M`` matrices.
    """
    M = A.shape[0]
    N = z.size
    out[:, :] = 0.0
    p = np.empty(M, dtype=np.complex128)
    for i in range(N):
        zi = z[i]
        for j in range(i, N):
            zs = zi + z[j]
            zp = zi * z[j]
            b = 1.0 - lr[0] * zs + q[0] * zp
            for m in range(M):
                p[m] = A[m, i, j] if i == j else A[m, i, j] + A[m, j, i]
            for t in range(steps + 1):
                for m in range(M):
                    out[m, t] += p[m].real
                if t == steps:
                    break
                if not constant:
                    b = 1.0 - lr[t] * zs + q[t] * zp
                for m in range(M):
                    p[m] *= b


@njit(cache=True)
def pair_power_derivative_sums(A, z, lr, q, steps, out):
    """``out[m, τ] = Re Σ_{i,j} A[m]_ij τ b_ij^{τ-1}`` for ``τ = 0 … steps`` (constant ``lr``, ``q = lr² + c``).

    The ``b``-derivative of :func:`pair_power_sums`, built by ``d_{τ+1} = b d_τ + b^τ``
    (``d_0 = 0``); it carries the memory correction of closure ``M_H``.
    """
    M = A.shape[0]
    N = z.size
    out[:, :] = 0.0
    p = np.empty(M, dtype=np.complex128)
    d = np.empty(M, dtype=np.complex128)
    for i in range(N):
        zi = z[i]
        for j in range(i, N):
            b = 1.0 - lr[0] * (zi + z[j]) + q[0] * zi * z[j]
            for m in range(M):
                p[m] = A[m, i, j] if i == j else A[m, i, j] + A[m, j, i]
                d[m] = 0.0
            for t in range(steps + 1):
                for m in range(M):
                    out[m, t] += d[m].real
                if t == steps:
                    break
                for m in range(M):
                    d[m] = b * d[m] + p[m]
                    p[m] *= b


@njit(cache=True)
def propagated_kernels(W, z, lr, q, c, out):
    """``out[m, t, s] = c_s Re Σ_j W[m, j] Π_{u=s+1}^{t-1} a_u(z_j)`` for ``0 ≤ s < t ≤ T`` (else 0).

    ``a_u(z) = 1 - 2 lr_u z + q_u z²`` (``q = lr² + c``): the SGD noise injected at
    step ``s → s+1`` (strength ``c_s = lr_s²/B_s``) seen at step ``t`` under a
    schedule; for a constant schedule it is ``c a^{t-1-s}`` (a Toeplitz kernel).
    Cost ``M · N · T²/2`` complex products, ``T = lr.size``.
    """
    M, N = W.shape
    T = lr.size
    out[:, :, :] = 0.0
    p = np.empty((M, N), dtype=np.complex128)
    for s in range(T):
        for m in range(M):
            for j in range(N):
                p[m, j] = W[m, j]
        for t in range(s + 1, T + 1):
            for m in range(M):
                acc = 0.0
                for j in range(N):
                    acc += p[m, j].real
                out[m, t, s] = c[s] * acc
            if t == T:
                break
            for j in range(N):
                zj = z[j]
                a = 1.0 - 2.0 * lr[t] * zj + q[t] * zj * zj
                for m in range(M):
                    p[m, j] *= a


@njit(cache=True)
def sgd_curves(X, K, Y, idx, lr, batch, lam, wstar, excess, train):
    """Multi-pass minibatch SGD from ``w₀ = 0``: excess and train curves of every run and label column.

    ``X`` (n×D) inputs, ``K = X Xᵀ`` (n×n), ``Y`` (n×m) label columns run side
    by side on the same index draws ``idx`` (runs×steps×B_max, sample indices;
    step ``t`` uses the first ``batch[t]`` of them), step
    ``w ← w + (lr_t/B_t) Σ_b x_b r_b`` with the residual ``r = y - X w``, which
    is carried along through ``r ← r - (lr_t/B_t) Σ_b K[:, b] r_b`` (``O(B(n + D))``
    per step instead of ``O(nD)``). Writes
    ``excess[run, col, t] = Σ_k lam_k (w_k - wstar[col, k])²`` and
    ``train[run, col, t] = |r|²/n`` for ``t = 0 … steps``.
    """
    runs, steps, Bmax = idx.shape
    n, D = X.shape
    m = Y.shape[1]
    w = np.zeros(D)
    r = np.zeros(n)
    coef = np.zeros(Bmax)
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
                B = batch[t]
                scale = lr[t] / B
                for b in range(B):
                    coef[b] = scale * r[idx[run, t, b]]
                for b in range(B):
                    j = idx[run, t, b]
                    cb = coef[b]
                    for k in range(D):
                        w[k] += cb * X[j, k]
                    for i in range(n):
                        r[i] -= cb * K[i, j]
