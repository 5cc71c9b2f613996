# SPDX-License-Identifier: BSD-3-Clause
r"""Arbitrary-precision referee of the training curves (``method="mpmath"``): online SGD.

:func:`rmt.online_sgd_risk` is the exact per-level second-moment recursion
(:mod:`rmt._kernels.sgd`): with ``a_j = (1 − η_tλ_j)² + (η_t²/B_t)(κ₄ − 2)λ_j²`` and
``b_j = (η_t²/B_t) m_j λ_j²``,

.. math:: e_j(t+1) = a_j e_j(t) + b_j\,(E(t) + \sigma^2),\qquad E(t) = \sum_j e_j(t),

run here in ``mpf`` arithmetic at ``dps`` digits (noiseless part and unit-noise
response, as the compiled kernel), with the kernel sum
``S = (η/B) Σ m λ/(2 − (1 + (κ₄ − 2)/B) ηλ)`` and the stationary excess
``σ² S/(1 − S)`` for a constant schedule. Cost O(levels × steps) ``mpf`` operations
(~10 µs each): for checking the compiled curve, not for long runs.

Gradient descent (:func:`rmt.gd_risk`): the two-point deterministic equivalent in its
original, uncollapsed form (Bach 2023, arXiv:2303.01372; Atanasov et al. 2024,
arXiv:2405.00592 §6) — an independent route from the float path's collapsed one-point
measures — as a double contour integral over the circle ``|w| = ρ``, ``w = 1 − η(z + λ)``
(ρ = 4: it encloses Σ̂'s whole spectrum, the atom at 0 included, since ``|w| ≤ 1`` there for
a stable step), with ``R_k = 1/(λ_k + κ(z))``, ``u = 1 − z h``, ``h = (1 − w^t)/(z + λ)``:

.. math::

    \mathrm{bias}(t) = \oint\oint u_1u_2\frac{\kappa_1\kappa_2}{z_1z_2}
        \frac{\sum_k v_k^2R_{1k}R_{2k}}{1-\gamma_{12}}\frac{dz_1dz_2}{(2\pi i)^2},\qquad
    \gamma_{12} = \frac1n\sum_k m_k\lambda_k^2R_{1k}R_{2k},

the variance per unit noise the same with ``h₁h₂z₂`` and ``(1/n)Σ m_kλ_k R R``, the train
parts one-point integrals (``E(z − Σ̂)⁻¹ ≃ (κ/z)(Σ + κ)⁻¹``). In ``w`` the integrand is
analytic for ``|w| > 1`` with at most ``w^{2t+2}`` growth, so the trapezoidal rule with
``N`` nodes on ``|w| = ρ`` is exact for the growing part once ``N > 2t + 2`` and aliases the
decaying part with weight ``ρ^{-N}``: ``N = 2t + 6 + ⌈(dps + 5)/log10 ρ⌉`` nodes, the
sums carried at ``dps + 2t·log10 ρ + 10`` digits (the integrand is ``ρ^{2t}`` on the circle,
the result O(1)), κ(z) at each node by :func:`rmt.resolvent._mp_stieltjes.complex_kappa`
(Newton in ``mpc`` from the compiled root, residual and branch verified). The result is
accepted only if ``N`` and ``N + 8`` nodes agree to ``dps − 8`` digits. Cost O(N² D + steps·N²)
``mpc`` operations: seconds for tens of steps on a few levels. Gradient flow has no referee.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

__all__ = ["gd_curves", "sgd_curves"]


def sgd_curves(vals, mult, tpow, lr, batch, kurtosis, dps):
    """``(bias, unit)`` object arrays of ``mpf``, length ``steps + 1`` (the recursion above)."""
    steps = lr.size
    bias = np.empty(steps + 1, dtype=object)
    unit = np.empty(steps + 1, dtype=object)
    with mp.workdps(dps):
        lam = [mp.mpf(float(v)) for v in vals]
        m = [mp.mpf(float(x)) for x in mult]
        e = [mp.mpf(float(x)) for x in tpow]
        v = [mp.mpf(0)] * len(lam)
        q4 = mp.mpf(float(kurtosis)) - 2
        for t in range(steps):
            bias[t], unit[t] = mp.fsum(e), mp.fsum(v)
            eta, B = mp.mpf(float(lr[t])), mp.mpf(float(batch[t]))
            sE, sV = bias[t], unit[t] + 1
            for j, (lj, mj) in enumerate(zip(lam, m)):
                x = eta * lj
                a = (1 - x) ** 2 + (q4 / B) * x * x
                b = mj * x * x / B
                e[j] = a * e[j] + b * sE
                v[j] = a * v[j] + b * sV
        bias[steps], unit[steps] = mp.fsum(e), mp.fsum(v)
    return bias, unit


def kernel_sum(vals, mult, lr, batch, kurtosis, dps):
    """``S = (η/B) Σ m λ/(2 − (1 + (κ₄ − 2)/B) ηλ)`` as an ``mpf``."""
    with mp.workdps(dps):
        eta, B = mp.mpf(float(lr)), mp.mpf(float(batch))
        c = 1 + (mp.mpf(float(kurtosis)) - 2) / B
        return +(eta / B * mp.fsum(mp.mpf(float(m)) * mp.mpf(float(v)) / (2 - c * eta * mp.mpf(float(v)))
                                   for v, m in zip(vals, mult)))


def online_sgd_result(cls, vals, mult, tpow, noise, lr, batch, kurtosis, constant, lr_max, dps):
    """The ``method="mpmath"`` :class:`rmt.OnlineSGDRisk`: curves as object arrays of ``mpf``."""
    bias, unit = sgd_curves(vals, mult, tpow, lr, batch, kurtosis, dps)
    steps = lr.size
    shape = noise.shape + (steps + 1,)
    with mp.workdps(dps):
        sig = np.empty(noise.shape, dtype=object)
        for idx in np.ndindex(noise.shape):
            sig[idx] = mp.mpf(float(noise[idx]))
        variance = sig[..., None] * unit
        excess = bias + variance
        test = excess + sig[..., None]
        S = stationary = None
        if constant:
            S = kernel_sum(vals, mult, lr[0], batch[0], kurtosis, dps)
            stationary = np.asarray(sig * (S / (1 - S)), dtype=object)
            stationary = stationary[()] if stationary.ndim == 0 else stationary
    out = dict(excess=excess, test=test, bias=np.broadcast_to(bias, shape).copy(), variance=variance)
    out = {k: (x[()] if x.ndim == 0 else x) for k, x in out.items()}
    return cls(t=np.arange(steps + 1), train=None, stationary=stationary, kernel_sum=S, lr_max=lr_max, **out)


_RHO = 4


def _gd_parts(vals, mult, tpow, D, n, eta, lam, steps, N, start):
    """``(bias, var1, train_bias, train_var1)`` lists for ``t = 0 … steps`` on ``N`` midpoint nodes."""
    from ..resolvent._mp_stieltjes import complex_kappa

    rho = mp.mpf(_RHO)
    half = N // 2
    z, dz, kap = [None] * N, [None] * N, [None] * N
    for j in range(half):  # upper half of the circle (θ in (π, 2π) ⇔ Im z > 0); the lower half by conjugation
        th = 2 * mp.pi * (mp.mpf(j) + mp.mpf(1) / 2) / N + mp.pi
        e = mp.expj(th)
        zj = (1 - rho * e) / eta - lam
        k = complex_kappa(vals, mult, n, zj, start(complex(zj)))
        dzj = -1j * rho * e / eta * (2 * mp.pi / N)
        z[j], dz[j], kap[j] = zj, dzj, k
        z[N - 1 - j], dz[N - 1 - j], kap[N - 1 - j] = mp.conj(zj), -mp.conj(dzj), mp.conj(k)
    R = [[1 / (v + k) for v in vals] for k in kap]
    c = [k / zz * d / (2j * mp.pi) for k, zz, d in zip(kap, z, dz)]
    lam2 = [m * v * v / n for v, m in zip(vals, mult)]
    lam1 = [m * v / n for v, m in zip(vals, mult)]
    wst = [t / v for t, v in zip(tpow, vals)]
    Mb = [[None] * N for _ in range(N)]
    Mv = [[None] * N for _ in range(N)]
    for i in range(N):
        Ri = R[i]
        for j in range(i, N):
            Rj = R[j]
            prod = [a * b for a, b in zip(Ri, Rj)]
            one = 1 - mp.fsum(g * x for g, x in zip(lam2, prod))
            Mb[i][j] = Mb[j][i] = mp.fsum(t * x for t, x in zip(tpow, prod)) / one
            Mv[i][j] = Mv[j][i] = mp.fsum(g * x for g, x in zip(lam1, prod)) / one
    Rw = [mp.fsum(w * x for w, x in zip(wst, Rj)) for Rj in R]
    Rm = [mp.fsum(m * x for m, x in zip(mult, Rj)) for Rj in R]
    w = [1 - eta * (zz + lam) for zz in z]
    out = ([], [], [], [])
    power = [mp.mpf(1)] * N
    for t in range(steps + 1):
        h = [(1 - p) / (zz + lam) for p, zz in zip(power, z)]
        u = [1 - zz * hh for zz, hh in zip(z, h)]
        cu = [a * b for a, b in zip(c, u)]
        ch = [a * b for a, b in zip(c, h)]
        chz = [a * b for a, b in zip(ch, z)]
        out[0].append(mp.re(mp.fsum(cu[i] * mp.fsum(Mb[i][j] * cu[j] for j in range(N)) for i in range(N))))
        out[1].append(mp.re(mp.fsum(ch[i] * mp.fsum(Mv[i][j] * chz[j] for j in range(N)) for i in range(N))))
        out[2].append(mp.re(mp.fsum(a * zz * uu * uu * r for a, zz, uu, r in zip(c, z, u, Rw))))
        out[3].append((mp.re(mp.fsum(a * uu * uu * r for a, uu, r in zip(c, u, Rm))) + n - D) / n)
        power = [p * ww for p, ww in zip(power, w)]
    return out


def gd_curves(lv, tpow, n, eta, lam, steps, dps, start):
    """``(4, steps + 1)`` object array of ``mpf``: bias, var1, train_bias, train_var1 (see the module notes).

    ``start(z)`` is the compiled κ(z) (complex128) used as Newton's starting point at a node.
    """
    extra = int(mp.ceil(2 * steps * mp.log10(_RHO))) + 10
    N = 2 * steps + 6 + int(mp.ceil((dps + 5) / mp.log10(_RHO)))
    N += N % 2
    with mp.workdps(dps + extra):
        vals, mult = [mp.mpf(float(v)) for v in lv.vals], [mp.mpf(float(m)) for m in lv.mult]
        tp = [mp.mpf(float(x)) for x in tpow]
        args = (vals, mult, tp, mp.mpf(float(lv.D)), mp.mpf(float(n)), mp.mpf(float(eta)), mp.mpf(float(lam)), steps)
        a = _gd_parts(*args, N, start)
        b = _gd_parts(*args, N + 8, start)
        tol = mp.mpf(10) ** -(dps - 8)
        for pa, pb in zip(a, b):
            scale = max(abs(x) for x in pb) or mp.mpf(1)
            worst = max(abs(x - y) for x, y in zip(pa, pb))
            if worst > tol * scale:
                raise ArithmeticError(f"mpmath referee: the GD contour integral is not converged ({mp.nstr(worst, 3)})")
    out = np.empty((4, steps + 1), dtype=object)
    with mp.workdps(dps):
        for r in range(4):
            for t in range(steps + 1):
                out[r, t] = +b[r][t]
    return out
