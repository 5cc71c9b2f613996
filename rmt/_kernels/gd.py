# SPDX-License-Identifier: BSD-3-Clause
"""Compiled time loop of the full-batch GD risk curve (:func:`rmt.gd_risk`).

Nothing here validates input: :mod:`rmt.risk.gd` builds the contour nodes and
their weights and calls :func:`gd_curve_loop` with clean complex arrays.

Every quantity is ``Re Σ_j (weight_j) F(w_j^t)`` over the upper-half contour
nodes, plus, for the bias, the "history" ``G_j`` of the truncated convolution
``Σ_{i<t} [m_ρ(i) m_ν(2t-1-i) - m_ν(i) m_ρ(2t-1-i)]`` carried by node ``j``:

``G_j(t+1) = w_j² G_j(t) + w_j^{t+1} (α_j m_ρ(t) - β_j m_ν(t))``.

Nodes are sorted by ``|w_j|`` descending; node ``j`` is dropped at the first
``t`` with ``|w_j|^t < tiny``, keeping its constant (``t → ∞``) parts.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def gd_curve_loop(w, al, be, l1, l2, pp, rr, c0, ca, vz, pi, t1, t2, s1, s2, lam, eta, T, tiny, out):
    """Fill ``out[0:4, 0:T+1]`` with ``bias, variance per unit noise, train bias, train variance per unit noise``.

    ``bias(t) = c0 + Re Σ (l1 e + l2 e²) - 2λ (Re Σ pp e)(Re Σ rr e) + η Re Σ [G + ca (1-e)²/(1-w)]``,
    ``var1(t) = Re Σ vz [π (1-e)]²``, ``trb(t) = Re Σ (t1 e + t2 e²)``, ``trv1(t) = Re Σ (s1 e + s2 e²)``
    (the caller adds the constants of the last two), where ``e = w^t``.
    """
    m = w.shape[0]
    e = np.ones(m, np.complex128)
    G = np.zeros(m, np.complex128)
    inv = 1.0 / (1.0 - w)
    lw = np.log(w)
    ltiny = np.log(tiny)
    v_dead = 0.0
    a_dead = 0.0
    nact = m
    for t in range(T + 1):
        while nact > 0 and t * lw[nact - 1].real < ltiny:
            nact -= 1
            j = nact
            v_dead += (vz[j] * pi[j] * pi[j]).real
            a_dead += (ca[j] * inv[j]).real
        if t > 0 and t % 4096 == 0:
            for j in range(nact):
                e[j] = np.exp(t * lw[j])
        lin = 0.0
        sp = 0.0
        sr = 0.0
        mn = 0.0
        mr = 0.0
        var = v_dead
        at = a_dead
        dc = 0.0
        trb = 0.0
        trv = 0.0
        for j in range(nact):
            ej = e[j]
            e2 = ej * ej
            d = 1.0 - ej
            lin += (l1[j] * ej + l2[j] * e2).real
            sp += (pp[j] * ej).real
            sr += (rr[j] * ej).real
            mn += (al[j] * ej).real
            mr += (be[j] * ej).real
            hj = pi[j] * d
            var += (vz[j] * hj * hj).real
            at += (ca[j] * d * d * inv[j]).real
            dc += G[j].real
            trb += (t1[j] * ej + t2[j] * e2).real
            trv += (s1[j] * ej + s2[j] * e2).real
        out[0, t] = c0 + lin - 2.0 * lam * sp * sr + eta * (at + dc)
        out[1, t] = var
        out[2, t] = trb
        out[3, t] = trv
        for j in range(nact):
            G[j] = w[j] * w[j] * G[j] + w[j] * e[j] * (al[j] * mr - be[j] * mn)
            e[j] *= w[j]
