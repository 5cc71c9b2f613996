# SPDX-License-Identifier: BSD-3-Clause
r"""Multi-pass minibatch SGD on a fixed training set: deterministic equivalent of its risk curves.

Set-up (``DESIGN.md``): ``n`` fixed samples ``x_μ ~ N(0, Σ)``, ``Σ = diag(eigs)``,
``y_μ = <w*, x_μ> + ε_μ``, ``ε ~ N(0, noise)``; each step draws ``batch`` indices
uniformly **with replacement** from the ``n`` samples and updates
``w ← w - (lr/B) Σ_b x_b (<w, x_b> - y_b)`` from ``w₀ = 0``.

The predictor is the data-averaged deterministic equivalent of the Gaussian
(Wick) second-moment closure of the SGD noise ("closure B"): in the eigenbasis
of ``Σ̂`` the SGD second moment obeys
``C ← b∘C + c Ŝ (tr(Ŝ C) + ε̂²)`` with the pair factor
``b(s, s') = (1 - lr·s)(1 - lr·s') + c s s'``, ``c = lr²/B``, which is the exact
first moment of the Haar fourth-moment tensor that the exact dynamics depends
on. Its ``Σ̂``-dependence is averaged with the one- and two-point deterministic
equivalents of the sample covariance (Bach 2023, arXiv:2303.01372; Atanasov,
Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592), written as double contour
integrals. Related: the homogenized-SGD description of Paquette, Paquette,
Adlam & Pennington 2022 (arXiv:2205.07069), which drops the Wick term
``2c Σ̂CΣ̂`` and is 1–3 % less accurate at batch 1.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from .._arrays import flat_broadcast
from .._curves import CurveRisk
from .._kernels import multipass as KM
from .._validation import as_count, as_int, as_nonnegative, as_schedule, check_no_power_on_null_modes, validate
from ..resolvent.onepoint import Levels, _complex_kappa, _stieltjes_levels, prepare_task

__all__ = ["MultipassSGDRisk", "multipass_sgd_risk", "multipass_stability", "MultipassStability",
           "HEAVY_TAIL_THRESHOLD", "CLOSURES"]

#: The second-moment closures: ``"B"`` (Wick, the default) and ``"M_H"`` (B plus the first-order memory of revisits).
CLOSURES = ("B", "M_H")

#: ``lr·trΣ/batch`` at and above which the data-averaged risk beyond the first
#: epoch is heavy-tailed (a few percent of data sets run away).
HEAVY_TAIL_THRESHOLD = 0.9

_EDGE_MARGIN = 0.96  # lr must stay below this fraction of the GD-edge learning rate (room for the contour)


# --------------------------------------------------------------------------- stability


def _upper_edge(lv: Levels, n: float) -> float:
    r"""Top of the support of the limiting spectrum of ``Σ̂``.

    On the branch ``κ < -λ₁`` the map ``z(κ) = -κ (1 - df1(κ)/n)`` is convex;
    its minimum, where ``Σ_k λ_k²/(λ_k + κ)² = n``, is the edge ``s₊``. When the
    top population eigenvalue is an isolated mode (power laws), the top sample
    eigenvalue is an outlier fluctuating by ``O(λ₁/√n)`` and ``s₊`` sits at the
    upper end of that range (5–20 % above its mean at ``n = 150–600``): a
    conservative edge for stability.
    """
    lam, m = lv.vals, lv.mult
    lam1 = lam[0]

    def excess_df2(logu):  # decreasing in u = -(κ + λ₁) > 0
        u = math.exp(logu)
        return float(np.sum(m * lam**2 / (lam1 - lam + u) ** 2)) - n

    lo = math.log(lam1 * math.sqrt(m[0] / n) * 0.5)
    hi = math.log(math.sqrt(float(np.sum(m * lam**2)) / n) * 2.0 + lam1)
    logu = brentq(excess_df2, lo, hi, xtol=1e-14, rtol=1e-14, maxiter=200)
    kappa = -(lam1 + math.exp(logu))
    df1 = float(np.sum(m * lam / (lam + kappa)))
    return -kappa * (1.0 - df1 / n)


def _noise_gain(lv: Levels, n: float, lr: float, batch: float, edge: float) -> float:
    r"""``G = E Σ_i c ŝ_i / (2 lr - (lr² + c) ŝ_i)`` over the eigenvalues ``ŝ_i`` of ``Σ̂`` (deterministic equivalent).

    With ``s* = 2/(lr (1 + 1/B))`` this is ``(1/(B+1)) E tr[Σ̂ (s* - Σ̂)⁻¹]
    = -(D/(B+1)) (1 + s* m(s*))``, ``m`` the Stieltjes transform; ``inf`` when
    ``s* ≤ s₊``.
    """
    s_star = 2.0 / (lr * (1.0 + 1.0 / batch))
    if s_star <= edge:
        return math.inf
    m = _stieltjes_levels(lv, n, np.array([complex(s_star, 0.0)]))[0].real
    return -lv.D / (batch + 1.0) * (1.0 + s_star * m)


@dataclass(frozen=True)
class MultipassStability:
    """Stability of closure-B multi-pass SGD for a typical data set.

    Attributes
    ----------
    edge : top ``s₊`` of the limiting spectrum of ``Σ̂``.
    lr_edge : ``2B/((B+1) s₊)``, where the top mode's factor ``(1-lr s)² + c s²`` reaches 1.
    lr_max : supremum of the learning rates this predictor accepts: the smaller
        of the root of ``G(lr) = 1`` and ``0.96·lr_edge`` (room for the contour).
    gain : ``G(lr)`` at the requested ``lr`` (stable iff ``< 1``).
    """

    edge: float
    lr_edge: float
    lr_max: float
    gain: float


def multipass_stability(lv: Levels, n: float, lr: float, batch: float) -> MultipassStability:
    r"""Mean-square stability of the closure-B dynamics on a typical data set.

    The diagonal of the closure-B second moment evolves as
    ``C_ii ← a(ŝ_i) C_ii + c ŝ_i Σ_j ŝ_j C_jj`` with ``a(s) = (1-lr s)² + c s²``;
    this positive map is stable iff every ``a(ŝ_i) < 1`` (``lr < lr_edge``) and
    ``G = Σ_i c ŝ_i/(2 lr - (lr² + c) ŝ_i) < 1``. Both are evaluated on the
    deterministic-equivalent spectrum of ``Σ̂``.
    """
    edge = _upper_edge(lv, n)
    lr_edge = 2.0 * batch / ((batch + 1.0) * edge)
    cap = _EDGE_MARGIN * lr_edge
    g_cap = _noise_gain(lv, n, cap, batch, edge)
    if g_cap < 1.0:
        lr_max = cap
    else:
        lr_max = brentq(lambda e: _noise_gain(lv, n, e, batch, edge) - 1.0, 1e-12 * cap, cap, rtol=1e-10, xtol=1e-300)
    return MultipassStability(edge, lr_edge, lr_max, _noise_gain(lv, n, lr, batch, edge))


# --------------------------------------------------------------------------- contour


def _contour(lr, c, s_right: float, steps: int, nodes: int):
    r"""Graded circle from ``-δ`` to ``s_R`` inside which ``|1 - lr z|² + c|z|² ≤ 1 + 1/T``.

    ``δ = 1/(T((lr² + c) s_R + 2 lr))`` (the smallest over the steps of a schedule:
    ``lr`` and ``c`` may be arrays); nodes ``θ(u) = 2πu - a sin 2πu`` crowd at
    the left end (near the atom of ``Σ̂`` at 0). Returns nodes and weights of
    ``(1/2πi)∮ dz``, counter-clockwise.
    """
    T = max(steps, 1)
    dl = float(np.min(1.0 / (T * ((np.asarray(lr) ** 2 + c) * s_right + 2.0 * np.asarray(lr)))))
    xc, rho = 0.5 * (s_right - dl), 0.5 * (s_right + dl)
    a = 1.0 - min(1.0, 4.0 * dl / rho)
    u = (np.arange(nodes) + 0.5) / nodes
    th = 2.0 * np.pi * u - a * np.sin(2.0 * np.pi * u)
    e = np.exp(1j * th)
    z = xc - rho * e
    w = -1j * rho * e * 2.0 * np.pi * (1.0 - a * np.cos(2.0 * np.pi * u)) / nodes / (2j * np.pi)
    return z, w


def _kappa_nodes(lv: Levels, n: float, z: np.ndarray) -> np.ndarray:
    """κ(z) on the physical branch at every node (conjugate symmetry for ``Im z < 0``)."""
    kappa = np.empty(z.shape, dtype=np.complex128)
    up = z.imag >= 0
    kappa[up] = _complex_kappa(lv, n, np.ascontiguousarray(z[up]))
    lo = ~up
    kappa[lo] = np.conj(_complex_kappa(lv, n, np.ascontiguousarray(np.conj(z[lo]))))
    return kappa


# --------------------------------------------------------------------------- the curves


def _curves_one(lv: Levels, tpow: np.ndarray, n: float, lr: np.ndarray, batch: np.ndarray, steps: int, nodes: int,
                s_right: float, constant: bool, memory: bool = False):
    """Closure-B deterministic equivalent for one ``n``: ``(bias, var1, train_bias, train_var1)``, each ``(steps+1,)``.

    ``lr``, ``batch``: per-step arrays (length ``max(steps, 1)``); ``constant``
    means one value for every step (the Volterra kernels are then Toeplitz).
    ``var1``/``train_var1`` are the noise parts per unit noise variance (the
    curves are linear in ``noise``). ``memory`` (constant schedules only) adds
    closure ``M_H``'s first-order memory correction (:func:`multipass_sgd_risk`).
    """
    c = lr**2 / batch
    z, w = _contour(lr, c, s_right, steps, nodes)
    kappa = _kappa_nodes(lv, n, z)
    lam, mult = lv.all_vals, lv.all_mult
    R = 1.0 / (lam[None, :] + kappa[:, None])  # (nodes, levels), zero eigenvalues included
    with np.errstate(divide="ignore", invalid="ignore"):
        wsq = np.where(lam > 0, tpow / np.where(lam > 0, lam, 1.0), 0.0)  # w*_k² per level (total)
    gamma = (R * (mult * lam**2)) @ R.T / n
    inv = 1.0 / (1.0 - gamma)
    pre = w * kappa / z
    Kb = np.outer(pre, pre) * ((R * tpow) @ R.T) * inv
    Ks = np.outer(pre / z, pre) * ((R * (mult * lam)) @ R.T) * inv / n
    q = lr**2 + c
    pair = np.empty((2, steps + 1))
    KM.pair_power_sums(np.ascontiguousarray(np.stack([Kb, Ks])), z, lr, q, steps, constant, pair)
    # prefix products Π_{u<t} f_u(z) and Π_{u<t} a_u(z), t = 0 … steps
    f_steps = 1.0 - lr[:steps, None] * z[None, :]
    a_steps = 1.0 - 2.0 * lr[:steps, None] * z[None, :] + q[:steps, None] * z[None, :] ** 2
    Ft = np.vstack([np.ones((1, z.size), dtype=np.complex128), np.cumprod(f_steps, axis=0)])
    At = np.vstack([np.ones((1, z.size), dtype=np.complex128), np.cumprod(a_steps, axis=0)])
    var1 = pair[1] + Ks.sum().real - (Ft @ Ks.sum(axis=1)).real - (Ft @ Ks.sum(axis=0)).real
    bias = pair[0]
    # single-contour weights of the SGD-noise Volterra equations
    df1 = R @ (mult * lam)
    r = R @ mult
    qw = R @ wsq
    w_te = w * kappa * df1
    w_tr = w * z * kappa * r
    Am1 = At - 1.0
    ell = np.empty((2, steps + 1))
    ell[0] = float(np.sum(tpow)) + (Am1 @ (w * kappa * qw)).real
    ell[1] = 1.0 + (Am1 @ (w * kappa * r / z)).real / n
    if constant:
        K_te = c[0] * (At[:steps] @ w_te).real  # K(τ) = c ∮ a^τ (...)
        K_tr = c[0] * (At[:steps] @ w_tr).real
        if memory and steps >= 2:
            mm = _memory_kernel(w * kappa * r, z, lr, q, c[0], n, steps)
            corr = _memory_corrections(mm, Kb, Ks, z, lr, q, At, c[0], steps,
                                       np.stack([w_te, w_tr, w * kappa * qw, w * kappa * r / z / n]))
            bias += corr[0]
            var1 += corr[1]
            K_te += c[0] * corr[2][:steps]
            K_tr += c[0] * corr[3][:steps]
            ell += corr[4:6]
        for s in range(1, steps + 1):  # ℓ_s = ℓ⁰_s + Σ_{u<s} K_tr(s-1-u) ℓ_u
            ell[:, s] += ell[:, :s] @ K_tr[:s][::-1]
        for j, base in enumerate((bias, var1) if steps else ()):  # R(t) = R₀(t) + Σ_{s<t} K_te(t-1-s) ℓ_s
            base[1:] += np.convolve(K_te, ell[j])[:steps]
    elif steps:
        K2 = np.empty((2, steps + 1, steps))  # K[t, s]: noise of step s seen at step t (two-time kernels)
        KM.propagated_kernels(np.ascontiguousarray(np.stack([w_te, w_tr])), z, lr, q, c, K2)
        K_te, K_tr = K2[0], K2[1]
        for s in range(1, steps + 1):
            ell[:, s] += ell[:, :s] @ K_tr[s, :s]
        for base, e in ((bias, ell[0]), (var1, ell[1])):
            base[1:] += K_te[1:] @ e[:steps]
    bias[0], var1[0] = float(np.sum(tpow)), 0.0  # w₀ = 0 exactly (the quadrature gives them to ~1e-12)
    return bias, var1, ell[0], ell[1]


def _memory_kernel(u, z, lr, q, c, n, steps):
    r"""Closure ``M_H``'s memory ``m_k - δ_{k0}`` for ``k = 0 … steps`` (entry 0 is 0).

    ``F(τ) = ∮∮ u₁u₂ b₁₂^τ`` with ``u = κ Σ_k R_k`` (the self-return of a sample's
    own kick after ``τ`` steps), ``δ_k = (c/n) F(k-1)``, ``m = 1/(1 - δ)`` as a power series.
    """
    F = np.empty((1, steps + 1))
    KM.pair_power_sums(np.ascontiguousarray(np.outer(u, u)[None]), z, lr, q, steps, True, F)
    delta = np.zeros(steps + 1)
    delta[1:] = c / n * F[0, :steps]
    m = np.zeros(steps + 1)
    m[0] = 1.0
    for k in range(1, steps + 1):
        m[k] = delta[1:k + 1] @ m[k - 1::-1]
    m[0] = 0.0
    return m


def _memory_corrections(mm, Kb, Ks, z, lr, q, At, c, steps, single):
    r"""First-order memory terms of closure ``M_H``: ``P_t = b^t + 2c z₁z₂ Σ_{k≥1} m_k (t-k) b^{t-1-k}``.

    Returns ``(6, steps+1)``: the additions to bias and var1 (double contour,
    ``2c Σ_k m_k G_{t-k}`` with ``G_τ = Re Σ A_ij z_i z_j τ b_ij^{τ-1}``), then the
    single-contour sums ``2c Σ_k m_k Re Σ_j W_j z_j² (t-k) a_j^{t-1-k}`` for the
    four weights ``single`` (K_te, K_tr before their factor ``c``, then the two train sources).
    """
    zz = np.outer(z, z)
    G = np.empty((2, steps + 1))
    KM.pair_power_derivative_sums(np.ascontiguousarray(np.stack([Kb * zz, Ks * zz])), z, lr, q, steps, G)
    dAt = np.zeros_like(At)
    dAt[1:] = np.arange(1, steps + 1)[:, None] * At[:steps]  # τ a^{τ-1}
    H = (dAt @ (single * z**2).T).real.T  # (4, steps+1)
    out = np.empty((6, steps + 1))
    for j, seq in enumerate([G[0], G[1], *H]):
        out[j] = 2.0 * c * np.convolve(mm, seq)[:steps + 1]
    return out


@dataclass(frozen=True, eq=False, repr=False)
class MultipassSGDRisk(CurveRisk):
    """Predicted multi-pass SGD risk curves (:class:`rmt._curves.CurveRisk`) plus stability information.

    Extra attributes
    ----------------
    lr_max : supremum of the stable learning rates for this spectrum, ``n`` and ``batch``
        (closure-B mean-square stability for a typical data set; broadcast over ``n``);
        for a schedule, the smallest over the batch sizes it uses.
    gain : the SGD-noise gain ``G < 1`` at the requested ``lr`` (``→ 1`` at the edge);
        for a schedule, the largest over its steps.
    heavy_tailed : True where ``max_t lr_t·trΣ/batch_t >= HEAVY_TAIL_THRESHOLD`` and the run
        lasts more than one epoch: there the curve describes the typical data set,
        not the data-averaged mean (see :func:`multipass_sgd_risk`).
    """

    lr_max: np.ndarray
    gain: np.ndarray
    heavy_tailed: np.ndarray


def multipass_sgd_risk(eigs, target_power, noise, n, lr, batch, steps, *, nodes=None, closure="B") -> MultipassSGDRisk:
    r"""Test and train risk curves of multi-pass minibatch SGD on ``n`` fixed samples.

    Each step draws ``batch`` indices uniformly with replacement from the ``n``
    samples; ``w ← w - (lr/B) Σ_b x_b(<w, x_b> - y_b)`` from ``w₀ = 0``.

    Parameters
    ----------
    eigs : array_like or Spectrum
        Population covariance eigenvalues (finite spectrum).
    target_power : array_like
        ``eigs_k w*_k²`` per level (0 where ``eigs`` is 0).
    noise : float or array_like
        Label-noise variance ``σ² ≥ 0``; broadcasts with ``n``.
    n : float or array_like
        Number of training samples (> 0).
    lr : float or array_like of length ``steps``
        Learning rate ``η > 0``, or a schedule (entry ``t`` is used in step
        ``t → t+1``, as in :func:`rmt.online_sgd_risk`); every step must be below
        the stable supremum ``lr_max`` for its batch size (the error reports it).
    batch : int or array_like of length ``steps``
        Batch size ``B ≥ 1`` (batch-mean gradient), or a schedule of whole numbers.
    steps : int
        Number of steps ``T ≥ 0``; curves have length ``T + 1``.
    closure : {"B", "M_H"}, default "B"
        The second-moment closure of the SGD noise: ``"B"`` (Wick) or ``"M_H"``
        (B plus the first-order memory of revisits of the same sample; constant
        ``lr`` and ``batch`` only). See *Closure M_H* below for when each is better.
    nodes : int, optional
        Quadrature nodes on the contour (default ``max(2.5T, 400)``; doubling them changes the curves by < 1e-6 relative in the tests; 1.5T already suffices on the power-law grid of the Notes, not at large ``lr·s₊``).

    Returns
    -------
    MultipassSGDRisk
        ``t``, ``excess``, ``test = excess + noise``, ``train`` (expected mean
        squared residual on the ``n`` samples, label noise included), ``bias``
        (excess at ``noise = 0``), ``variance = excess - bias``; time last.

    Notes
    -----
    With nodes ``z`` on the circle from ``-δ`` to ``s_R`` (``|1-ηz|² + c|z|² ≤ 1 + 1/T``
    inside, ``c = η²/B``), ``f = 1 - ηz``, ``b₁₂ = f₁f₂ + c z₁z₂``, ``a = b(z, z)``,
    ``κ(z)`` solving ``κ = -z + (κ/n) Σ_k λ_k/(λ_k+κ)``, ``R_k = 1/(λ_k + κ)``,
    ``γ₁₂ = (1/n) Σ λ_k² R_k(z₁) R_k(z₂)``, ``∮ = (1/2πi)∮dz``:

    .. math::

        R_0(t) &= \oint\!\!\oint \frac{\kappa_1\kappa_2}{z_1 z_2}\frac{b_{12}^t \sum_k p_k R_{1k}R_{2k}
                  + \frac{\sigma^2}{n z_1}(1 - f_1^t - f_2^t + b_{12}^t)\sum_k \lambda_k R_{1k}R_{2k}}{1-\gamma_{12}},\\
        \ell^0_s &= \sum_k p_k + \sigma^2 + \oint (a^s - 1)\Big[\kappa \sum_k w_k^{*2} R_k
                  + \frac{\sigma^2}{n}\frac{\kappa}{z}\sum_k R_k\Big],\\
        \ell_s &= \ell^0_s + \sum_{u<s} K_{tr}(s-1-u)\,\ell_u, \qquad
        \mathrm{excess}(t) = R_0(t) + \sum_{s<t} K_{te}(t-1-s)\,\ell_s,

    with ``K_te(τ) = c ∮ a^τ κ df1``, ``K_tr(τ) = c ∮ a^τ z κ Σ_k R_k``; ``ℓ`` is
    the train curve. The first line is the full-batch GD risk with ``f₁f₂``
    replaced by ``b₁₂``; the Volterra terms carry the SGD noise, sourced by the
    train loss (``c = 0``, i.e. ``batch → ∞``, gives GD on the same data;
    ``n → ∞`` gives online SGD). Cost ``O(N²(D + T))`` for ``N ≈ 2.5T`` nodes (a few seconds at ``T = 600``, ``D = 400``).

    Schedules. With ``η_t``, ``B_t`` (``c_t = η_t²/B_t``) every power above
    becomes a product over the steps it spans: ``b₁₂^t → Π_{u<t} b₁₂(u)``,
    ``f^t → Π_{u<t} f_u``, ``a^s → Π_{u<s} a_u``, and the Toeplitz kernels
    become two-time kernels ``K(t, s) = c_s ∮ Π_{u=s+1}^{t-1} a_u (…)`` (the
    noise injected at step ``s`` seen at step ``t``), cost ``O(T² N)`` more. The
    contour is the one above with ``δ`` and ``s_R`` the smallest over the
    steps. Checks: a constant schedule through the two-time kernels equals the
    Toeplitz path to 1e-15; at ``n = 10⁷`` the curve equals
    :func:`rmt.online_sgd_risk` with the same schedules to 1e-6 (and is 1 %
    away from it with the schedule shifted by one step); against the twin
    (``D = 300``, ``n ∈ {150, 600}``, ``lr`` decaying linearly 0.4 → 0.1, batch
    2 then 8, ``t ≤ 200``, 200 data sets × 4 runs) the excess is within
    0.06–1.3 % (|z| ≤ 2.7, SE 0.2–0.9 %), the same accuracy as for constant
    schedules.

    Closure M_H. Revisits of the same sample correlate its SGD kicks; summing
    those self-return diagrams renormalizes the ``2cΣ̂CΣ̂`` channel by a scalar
    memory ``m = 1/(1-δ)``, ``δ_k = (c/n) ∮∮ κ₁r₁κ₂r₂ b₁₂^{k-1}``
    (``r = Σ_k R_k``), kept at first order inside the deterministic
    equivalent: ``b₁₂^t → P_t = b₁₂^t + 2c z₁z₂ Σ_{k≥1} m_k (t-k) b₁₂^{t-1-k}`` and
    ``a^τ → P_τ(z, z)`` in the kernels and ``ℓ⁰`` (a derivation in the spirit
    of the homogenized-SGD and DMFT literature; not proved). It costs two more
    passes of the pair sums: 2.3–3.3× closure B's time (``python -m rmt.bench --multipass 300``:
    ``D = 300``, ``n = 600``, ``T = 300``; a decaying ``lr`` schedule costs 1.2–1.3×). Measured against this package's twin (``D = 400``,
    ``λ_k = k^-1.5``, ``target_power ∝ k^-1.2``, noise 0.1, 1500 data sets × 10
    runs, ``t = 10 … 400``): at ``n = 200``, ``(lr, B) = (0.6, 2)``
    (``lr·trΣ/B = 0.75``) closure B is 0.7–2.3 % low (z down to −3.3) and M_H
    0.2–1.0 % low (|z| ≤ 1.1); at ``n = 100``, same ``(lr, B)``, B is 1.6–5.3 %
    low and M_H 0.6–3.5 % low (both beyond the error bars); but at batch 1,
    ``lr·trΣ = 0.8``, ``n = 200``, B is within 0.2 % (|z| ≤ 0.2) for
    ``t = 50–200`` and M_H 0.5–0.9 % high (z up to 2.2). On the power-law grid
    below the memory changes the curves by ≤ 0.15 %. M_H is therefore better at
    small ``B > 1`` with large ``lr·trΣ/B`` and small ``n``, not uniformly: B
    stays the default.

    Measured accuracy. Against Monte Carlo on power laws ``λ_k = k^-1.5``,
    ``target_power ∝ k^-1.2``: (a) Atanasov-style grid ``D = 400``,
    ``n ∈ {200, 800}``, ``(lr, B) ∈ {(0.2, 1), (0.5, 4), (1, 16)}``,
    ``t ∈ {10, 50, 200, 600}``, 300 data sets × 40 runs: max relative error of
    the excess 0.50 %, mean 0.22 %, χ² = 27 over 24 points; (b) this package's
    twin, ``D = 300``, ``n ∈ {150, 600}``, six ``(lr, B, noise)`` cells from
    ``(0.2, 1)`` to ``(1, 16)``, ``t ∈ {5, 30, 100, 300}``, 250 data sets × 8 runs:
    excess max 0.55 %, mean 0.26 %, χ² = 14.3 over 24 points (SE 0.3–0.6 %);
    train max 0.75 %. Known limits: O(1/n) effects (0.2–0.6 % at
    ``n = 100–200``); at small batch with large ``lr·trΣ/B`` or on spiked
    spectra the Wick closure is low: 2–4 % at ``D = 400``, ``n = 200``,
    ``(lr, B) = (0.6, 2)`` (``lr·trΣ/B = 0.75``, no warning; ``closure="M_H"``
    halves it), 2–6 % for a fixed data set at batch 1 and ``lr·trΣ ≈ 1``
    (revisits of the same sample correlate the SGD noise).

    Heavy tails. At small batch near the stability edge a few percent of data
    sets are nearly unstable and the data-averaged mean risk is heavy-tailed
    (infinite for long runs at small ``n``). Where ``lr·trΣ/batch ≥ 0.9`` and
    ``steps·batch > n`` a :class:`RuntimeWarning` is issued: the curve up to the
    first epoch (``t ≤ n/batch``, the online regime) is still the data mean;
    beyond it the curve describes a typical data set (about the mean with the
    runaway few percent trimmed; the median is some 10 % lower), not the data
    mean, which no simulation reproduces stably (e.g. ``D = 200``, ``n = 60``,
    ``lr·trΣ = 1.05``, batch 1, ``t = 240``: over 300 data sets the mean is
    1.2 ± 0.25, the median 0.47, the maximum 115× the median; this predictor
    gives 0.54). The threshold follows the measured onset on power-law spectra
    (tame at ``lr·trΣ/B ≤ 0.5``; 1–3 % runaway data sets at 1.0, batch 1).

    Raises
    ------
    ValueError
        For bad input, and for ``lr`` at or above the stable supremum
        (``G(lr) = 1`` or the edge of the ``Σ̂`` spectrum), with the stable range.

    References
    ----------
    Paquette, Paquette, Adlam & Pennington 2022, "Homogenization of SGD in high
    dimensions", arXiv:2205.07069. Bordelon & Pehlevan 2022, "Learning curves for
    SGD on structured features", arXiv:2106.02713. Atanasov, Zavatone-Veth &
    Pehlevan 2024, arXiv:2405.00592 (one- and two-point deterministic equivalents).
    """
    lv, tpow = prepare_task(eigs, target_power)
    if lv.infinite:
        raise ValueError(
            "eigs must be a finite spectrum for multipass_sgd_risk (the SGD noise sums need every mode); "
            "pass PowerLaw(alpha, scale, size=D)"
        )
    check_no_power_on_null_modes(lv.all_vals, tpow)
    noise = as_nonnegative(noise, "noise")
    n = as_count(n, "n")
    steps = as_int(steps, "steps", minimum=0)
    lr, batch, constant = _schedules(lr, batch, steps)
    if closure not in CLOSURES:
        raise ValueError(f"closure must be one of {CLOSURES}; got {closure!r}")
    if closure == "M_H" and not constant:
        raise ValueError("closure 'M_H' needs a constant lr and batch (its memory kernel is derived for those)")
    nodes = validate("multipass_sgd_risk", nodes=nodes)
    if nodes is None:
        nodes = max(5 * steps // 2, 400)
    nodes += nodes % 2
    try:
        shape, (noisef, nf) = flat_broadcast(noise, n)
    except ValueError as exc:
        raise ValueError(f"noise and n must broadcast together; got shapes {noise.shape}, {n.shape}") from exc

    trace = lv.trace()
    used = slice(0, steps) if steps else slice(0, 0)
    ratio = float(np.max(lr[used] / batch[used])) * trace if steps else 0.0
    heavy = ratio >= HEAVY_TAIL_THRESHOLD
    samples = float(np.sum(batch[used]))
    groups = [(float(B), float(np.max(lr[used][batch[used] == B]))) for B in np.unique(batch[used])]
    uniq, inverse = np.unique(nf, return_inverse=True)
    parts, lr_max, gain, ht = [], np.empty(uniq.size), np.empty(uniq.size), np.empty(uniq.size, bool)
    for i, nv in enumerate(uniq):
        lr_max[i], gain[i], edge = math.inf, 0.0, _upper_edge(lv, float(nv))
        for B, lr_b in groups:  # stability is monotone in lr at fixed batch: the largest lr of each batch size
            st = multipass_stability(lv, float(nv), lr_b, B)
            if not lr_b < st.lr_max:
                where = "" if constant else f" on every step (the schedule reaches lr = {lr_b!r} at batch {B:g})"
                raise ValueError(
                    f"lr must be in (0, {st.lr_max:.6g}) for batch = {B:g} and n = {nv:g} on this spectrum{where} "
                    f"(mean-square stability of multi-pass SGD on a typical data set: SGD-noise gain "
                    f"G = {st.gain:.4g} must be < 1 and lr below {_EDGE_MARGIN} x {st.lr_edge:.6g}, the edge set by "
                    f"the top of the spectrum of the sample covariance, {st.edge:.6g}); got {lr_b!r}"
                )
            lr_max[i], gain[i] = min(lr_max[i], st.lr_max), max(gain[i], st.gain)
        if not steps:
            lr_max[i] = multipass_stability(lv, float(nv), float(lr[0]), float(batch[0])).lr_max
        c = lr**2 / batch
        s_star = float(np.min(2.0 * lr / (lr**2 + c)))
        heur = lv.vals[0] * (1.0 + 6.0 / math.sqrt(nv)) + 2.0 * trace / nv
        s_right = min(max(heur, 1.05 * edge), 0.97 * s_star)
        parts.append(_curves_one(lv, tpow, float(nv), lr, batch, steps, nodes, s_right, constant, closure == "M_H"))
        ht[i] = heavy and samples > nv
    if ht.any():
        nbad = uniq[ht]
        first_epoch = int(np.searchsorted(np.cumsum(batch[used]), nbad.min(), side="right"))
        warnings.warn(
            f"multi-pass SGD at lr·trΣ/batch = {ratio:.3g} >= {HEAVY_TAIL_THRESHOLD} with more than one "
            f"epoch (n = {nbad.min():g}{'…' if nbad.size > 1 else ''}, samples drawn = {samples:g}): a few percent of "
            "data sets are nearly unstable and the data-averaged risk beyond the first epoch is heavy-tailed "
            "(infinite for long runs at small n). Beyond that the curve describes a typical data set (about the mean "
            "over data sets with the runaway few percent trimmed; the median is some 10 % lower), and the data mean "
            f"only for t <= {first_epoch} (the first epoch).",
            RuntimeWarning,
            stacklevel=2,
        )
    stack = np.stack([np.stack(p) for p in parts])  # (uniq, 4, steps+1)
    bias, var1, trb, trv1 = (stack[inverse, j, :] for j in range(4))
    sig = noisef[:, None]
    variance = sig * var1
    excess = bias + variance
    out_shape = shape + (steps + 1,)
    return MultipassSGDRisk(
        t=np.arange(steps + 1),
        excess=excess.reshape(out_shape),
        test=(excess + sig).reshape(out_shape),
        train=(trb + sig * trv1).reshape(out_shape),
        bias=bias.reshape(out_shape),
        variance=variance.reshape(out_shape),
        lr_max=_shaped(lr_max[inverse], shape),
        gain=_shaped(gain[inverse], shape),
        heavy_tailed=_shaped(ht[inverse], shape),
    )


def _schedules(lr, batch, steps):
    """``(lr, batch, constant)``: per-step float arrays of length ``max(steps, 1)`` (as :func:`rmt.online_sgd_risk`)."""
    if steps == 0:  # no step uses them, but the values must still be in range
        lr = as_schedule(lr if np.ndim(lr) else [lr], 1 if np.ndim(lr) == 0 else np.size(lr), "lr", minimum=0.0)
        batch = as_schedule(batch if np.ndim(batch) else [batch], 1 if np.ndim(batch) == 0 else np.size(batch),
                            "batch", minimum=1.0, strict=False, integer=True)
        return (lr[:1] if lr.size else np.ones(1)), (batch[:1] if batch.size else np.ones(1)), True
    lr = as_schedule(lr, steps, "lr", minimum=0.0)
    batch = as_schedule(batch, steps, "batch", minimum=1.0, strict=False, integer=True)
    constant = bool(np.all(lr == lr[0]) and np.all(batch == batch[0]))
    return lr, batch, constant


def _shaped(x, shape):
    x = np.asarray(x).reshape(shape)
    return x[()] if x.ndim == 0 else x
