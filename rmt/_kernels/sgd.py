# SPDX-License-Identifier: BSD-3-Clause
r"""Compiled kernels of online SGD for linear regression: the exact per-mode recursion and one simulated run.

Nothing validates input here: :mod:`rmt.risk.sgd` and :mod:`rmt.simulate.sgd`
check and convert first.

Recursion (per level ``j`` with eigenvalue ``λ_j > 0`` and multiplicity ``m_j``;
``e_j = m_j λ_j E(w_j - w*_j)²`` is the excess risk carried by the level, ``E = Σ_j e_j``)

.. math::

    e_j(t+1) = a_j(t)\,e_j(t) + b_j(t)\,\big(E(t) + \sigma^2\big),\qquad
    a_j = (1-\eta_t\lambda_j)^2 + \frac{\eta_t^2}{B_t}(\kappa_4-2)\lambda_j^2,\qquad
    b_j = \frac{\eta_t^2}{B_t} m_j\lambda_j^2 .

Being linear in σ², it is run for the noiseless part (``e_j(0)`` = target power,
σ² = 0) and for the response to unit noise (``e_j(0) = 0``, σ² = 1) in one pass.

Heavy-ball momentum (``w_{t+1} = w_t - η_t g_t + β_t (w_t - w_{t-1})``, ``w_{-1} = w_0``)
keeps three moments per level, ``e = m λ E δ²``, ``x = m λ E δ δ_prev``,
``d = m λ E δ_prev²`` (``δ = w_j - w*_j``), with ``r = 1 + β - ηλ``:

.. math::

    e' = r^2 e - 2\beta r x + \beta^2 d + \frac{\eta^2}{B}(\kappa_4-2)\lambda^2 e + b\,(E+\sigma^2),\qquad
    x' = r e - \beta x,\qquad d' = e .
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .onepoint import _complex_newton
from .sums import FASTMATH

_NO_TAIL = np.zeros(0)  # the random-feature band solve has finite spectra only

__all__ = ["forcing_once_per_step", "kappa_real_path", "sgd_momentum_recursion", "sgd_recursion", "sgd_trial"]


@njit(cache=True, fastmath=FASTMATH)
def sgd_recursion(vals, mult, power, lr, batch, q4, constant, bias_out, unit_out):
    """Fill ``bias_out[t]`` (noiseless excess) and ``unit_out[t]`` (excess per unit noise), ``t = 0 … steps``.

    ``q4 = kurtosis - 2``; ``constant`` means ``lr`` and ``batch`` hold one
    repeated value (the per-level factors are then computed once).
    """
    n = vals.size
    steps = lr.size
    e = power.copy()
    v = np.zeros(n)
    a = np.empty(n)
    b = np.empty(n)
    E = 0.0
    for j in range(n):
        E += e[j]
    V = 0.0
    if constant and steps > 0:
        eta = lr[0]
        B = batch[0]
        for j in range(n):
            x = eta * vals[j]
            a[j] = (1.0 - x) ** 2 + (q4 / B) * x * x
            b[j] = mult[j] * x * x / B
        for t in range(steps):
            bias_out[t] = E
            unit_out[t] = V
            sE = E
            sV = V + 1.0
            En = 0.0
            Vn = 0.0
            for j in range(n):
                ej = a[j] * e[j] + b[j] * sE
                vj = a[j] * v[j] + b[j] * sV
                e[j] = ej
                v[j] = vj
                En += ej
                Vn += vj
            E = En
            V = Vn
    else:
        for t in range(steps):
            bias_out[t] = E
            unit_out[t] = V
            eta = lr[t]
            B = batch[t]
            q = q4 / B
            sE = E
            sV = V + 1.0
            En = 0.0
            Vn = 0.0
            for j in range(n):
                x = eta * vals[j]
                aj = (1.0 - x) ** 2 + q * x * x
                bj = mult[j] * x * x / B
                ej = aj * e[j] + bj * sE
                vj = aj * v[j] + bj * sV
                e[j] = ej
                v[j] = vj
                En += ej
                Vn += vj
            E = En
            V = Vn
    bias_out[steps] = E
    unit_out[steps] = V


@njit(cache=True, fastmath=FASTMATH)
def sgd_momentum_recursion(vals, mult, power, lr, batch, mom, q4, bias_out, unit_out):
    """:func:`sgd_recursion` with heavy-ball momentum ``mom[t]`` (module notes: three moments per level)."""
    n = vals.size
    steps = lr.size
    e = power.copy()
    x = power.copy()  # w_{-1} = w_0: δ_prev = δ
    d = power.copy()
    ve = np.zeros(n)
    vx = np.zeros(n)
    vd = np.zeros(n)
    E = 0.0
    for j in range(n):
        E += e[j]
    V = 0.0
    for t in range(steps):
        bias_out[t] = E
        unit_out[t] = V
        eta = lr[t]
        B = batch[t]
        beta = mom[t]
        q = q4 / B
        sE = E
        sV = V + 1.0
        En = 0.0
        Vn = 0.0
        for j in range(n):
            y = eta * vals[j]
            r = 1.0 + beta - y
            aa = r * r + q * y * y
            ax = -2.0 * beta * r
            ad = beta * beta
            bj = mult[j] * y * y / B
            ej = aa * e[j] + ax * x[j] + ad * d[j] + bj * sE
            x[j] = r * e[j] - beta * x[j]
            d[j] = e[j]
            e[j] = ej
            vj = aa * ve[j] + ax * vx[j] + ad * vd[j] + bj * sV
            vx[j] = r * ve[j] - beta * vx[j]
            vd[j] = ve[j]
            ve[j] = vj
            En += ej
            Vn += vj
        E = En
        V = Vn
    bias_out[steps] = E
    unit_out[steps] = V


@njit(cache=True)
def sgd_trial(z, eps, sqrt_eigs, wstar, lr, mom, offsets, out):
    """One online-SGD run on pre-drawn data; fills ``out[0|1|2, t]``.

    ``z`` (samples × D) are the standardized coordinates (``x = sqrt_eigs * z``),
    ``eps`` the standardized label noise, step ``t`` uses rows
    ``offsets[t]:offsets[t+1]``. Two iterates are run on the same draws: the
    noiseless deviation ``d = w - w*`` and the response ``u`` to unit-variance
    noise, so that with noise σ² the deviation is ``d + σ u`` and
    ``excess = Σ λ d² + 2σ Σ λ d u + σ² Σ λ u²``; ``out`` holds these three sums.
    ``mom[t]`` is the heavy-ball momentum of step ``t`` (``w_{-1} = w_0``; 0 is plain
    SGD with the same arithmetic, bit for bit).
    """
    D = sqrt_eigs.size
    steps = lr.size
    d = -wstar.copy()
    u = np.zeros(D)
    dp = d.copy()
    up = np.zeros(D)
    gd = np.empty(D)
    gu = np.empty(D)
    x = np.empty(D)
    for t in range(steps + 1):
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        for k in range(D):
            lam = sqrt_eigs[k] * sqrt_eigs[k]
            s0 += lam * d[k] * d[k]
            s1 += lam * d[k] * u[k]
            s2 += lam * u[k] * u[k]
        out[0, t] = s0
        out[1, t] = s1
        out[2, t] = s2
        if t == steps:
            break
        for k in range(D):
            gd[k] = 0.0
            gu[k] = 0.0
        lo = offsets[t]
        hi = offsets[t + 1]
        for i in range(lo, hi):
            rd = 0.0
            ru = 0.0
            for k in range(D):
                x[k] = sqrt_eigs[k] * z[i, k]
                rd += x[k] * d[k]
                ru += x[k] * u[k]
            ru -= eps[i]
            for k in range(D):
                gd[k] += x[k] * rd
                gu[k] += x[k] * ru
        step = lr[t] / (hi - lo)
        beta = mom[t]
        for k in range(D):
            dn = d[k] - step * gd[k] + beta * (d[k] - dp[k])
            un = u[k] - step * gu[k] + beta * (u[k] - up[k])
            dp[k] = d[k]
            up[k] = u[k]
            d[k] = dn
            u[k] = un


@njit(cache=True, fastmath=FASTMATH)
def forcing_once_per_step(power, a, out):
    """Benchmark floor: one pass over the modes per step, ``out[t] = Σ_j power_j a_j^t``."""
    e = power.copy()
    for t in range(out.size):
        s = 0.0
        for j in range(e.size):
            s += e[j]
            e[j] *= a[j]
        out[t] = s


@njit(cache=True)
def kappa_real_path(vals, mult, n, x, kstart, isstart, rtol, maxiter, kappa, ok):
    """κ(x + i0⁺) at increasing real ``x`` inside the support, Newton from the previous node's root.

    A run restarts from ``kstart[i]`` where ``isstart[i]``; ``ok[i]`` is False where
    Newton did not converge or landed off the physical sheet (``Im κ < 0``), for the
    caller to redo with the continuation solver.
    """
    k = 0j
    kp = 0j  # the root before k, for a secant predictor
    have2 = False
    for i in range(x.size):
        if isstart[i]:
            k = kstart[i]
            have2 = False
        guess = k
        if have2 and x[i - 1] != x[i - 2]:
            guess = k + (k - kp) * ((x[i] - x[i - 1]) / (x[i - 1] - x[i - 2]))
            if guess.imag >= 0.0:
                guess = k
        kn, conv = _complex_newton(guess, complex(x[i], 0.0), vals, mult, _NO_TAIL, n, rtol, maxiter)
        good = conv and kn.imag < 0.0
        if not good and i > 0 and not isstart[i]:
            # a far step: continue from the previous root down a ladder of Im z = η, η/4, … → 0
            eta = max(abs(x[i] - x[i - 1]), 1e-6 * x[i])
            kn = k
            while eta > 1e-13 * x[i]:
                kn, conv = _complex_newton(kn, complex(x[i], eta), vals, mult, _NO_TAIL, n, rtol, maxiter)
                eta *= 0.25
            kn, conv = _complex_newton(kn, complex(x[i], 0.0), vals, mult, _NO_TAIL, n, rtol, maxiter)
            good = conv and kn.imag < 0.0
        if good:
            have2 = not isstart[i]
            kp = k
            k = kn
        else:
            have2 = False
        kappa[i] = kn
        ok[i] = good
