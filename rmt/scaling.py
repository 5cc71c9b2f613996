# SPDX-License-Identifier: BSD-3-Clause
r"""Scaling laws of the training dynamics, next to the finite formulas they summarize.

Spectrum ``λ_k = k^-α`` (``α > 1``), task ``target_power[k] = k^-β`` (``β > 1``),
noiseless, ``w₀ = 0`` (convention K of :mod:`rmt.powerlaw`, which holds the
static closed forms and the converters this module reuses). Losses are
*excess* risks (no factor ½). Time ``t`` counts steps of online SGD with
learning rate ``lr`` and batch ``B`` (batch-mean gradient, docs/conventions.md),
or continuous gradient-flow time when ``lr`` is ``None``; ``p`` is the number of
random features (``F_jk ~ N(0, 1/p)``); ``n`` the number of samples.

Exponents (loss ``∝ size^{-exponent}``, :func:`scaling_exponents`)
---------------------------------------------------------------------
* **time** ``(β-1)/α``: population gradient flow / GD, and online SGD at
  ``p = n = ∞``: the forcing ``F(t) = Σ_k v_k² a_k^t``, ``a_k ≈ e^{-2 lr λ_k}``;
* **data** ``min(β-1, 2α)``: GD on ``n`` samples run to convergence (the
  ridgeless limit, :func:`rmt.powerlaw.learning_curve_exponents`);
* **width** ``min(β-1, α)``: ``p`` random features at ``n = t = ∞`` (the
  projection error, :func:`rmt.risk.rf_powerlaw.rf_exponents`; it saturates at
  ``α``, not ``2α``);
* **SGD noise** ``2 - 1/α``: the tail of the online-SGD kernel
  ``K(τ) = (lr²/B) Σ λ_k² a_k^τ``;
* **feature embedding** ``1 - 1/α`` in time (with ``p^{-1}``): the 4+3 term
  ``F_ac``, present only for ``β > α + 1``.

Bottleneck structure (:func:`bottleneck`)
-----------------------------------------
``loss(t, p, n) ≈ time(t) + sgd_noise(t) + width(p) + data(n)``, each term the
loss when the others' resources are infinite:

.. math::

    \mathrm{time} = \frac{F(t)}{1-S},\quad F(t) = \frac{\Gamma(\tau)}{\alpha}(2\,\mathrm{lr}\,t)^{-\tau},\ \tau = \frac{\beta-1}{\alpha};\qquad
    \mathrm{sgd\_noise} = \frac{K(t)\sum_s F(s)}{(1-S)^2},\quad K(t) = \frac{\mathrm{lr}^2}{B}\frac{\Gamma(2-\frac1\alpha)}{\alpha}(2\,\mathrm{lr}\,t)^{-(2-\frac1\alpha)},

``S = Σ_τ K(τ) = (lr/B)Σ_k λ_k/(2 - c lr λ_k)`` and ``Σ_s F(s) = Σ_k v_k²/(1 - a_k)``
(``c = 1 + 1/B``, Gaussian data; finite iff ``β > α + 1``, else the term is 0:
the SGD noise then only renormalizes the forcing by ``1/(1-S)``). These follow
from the Volterra equation ``L = F + K * L`` of :func:`rmt.online_sgd_risk`
split into ``s ≈ t`` (``≈ S·L(t)``) and ``s ≪ t`` (``≈ K(t) Σ_s L(s)``); the
continuum sums are Euler–Maclaurin limits as in :mod:`rmt.powerlaw` (DERIVED
here). Measured against the exact recursion (``D = 2·10⁴`` modes, ``t = 10³ …
5·10⁴``): ``time + sgd_noise`` is within 0.3% for ``(α, β) = (2, 2.5)``, 1% for
``(2, 3.5)``, ``(2, 5)``, ``(1.5, 2)`` at ``lr ≤ 0.2`` and 1–6% for ``(1.5, 4)``
at ``lr = 0.3``, where the two terms cross. The sum ``time + data`` is within
10 % of :func:`rmt.gd_risk` on ``n`` samples through the crossover
(``(α, β) = (2, 2.5)``, ``n = 100, 1000``, ``t = 10 … 10⁵``: ratios 0.91–1.06). ``width`` is
:func:`rmt.risk.rf_powerlaw.rf_width_bottleneck` (leading order; 6% high at
``p = 300`` for ``(1.5, 2)``), ``data`` is :func:`rmt.powerlaw.ridgeless_test`
at zero noise. The ``F_ac`` term of random-feature SGD has no constant here
(only its exponent).

Compute-optimal frontier (:func:`compute_optimal`, :func:`frontier_closed_form`)
---------------------------------------------------------------------------------
Compute model: one step of SGD on ``p`` features costs ``p`` per sample, so
``C = p·t`` (``compute="p*t"``, one sample per step, Bordelon, Atanasov &
Pehlevan 2024) or ``C = p·t·B`` (``compute="p*t*batch"``: the 4+3 paper's flops
``f = d·B·r``). Given a finite loss ``L(p, t)`` (a callable, or
:func:`finite_loss` built on the finite formulas of this package),
:func:`compute_optimal` minimizes ``L(p, C/p)`` (or ``L(p, C/(pB))``) over a
grid of widths for every budget, refining the minimum by a parabola in
``(log p, log L)``, and reports ``p*``, ``t*``, ``L*`` and their local slopes
in ``log C``. For the two-term bottleneck ``A t^{-a} + B p^{-b}`` the optimum is
exact:

.. math::

    p^* = \Big(\frac{bB}{aA}\Big)^{\frac1{a+b}} C'^{\frac{a}{a+b}},\quad
    L^* = B p^{*-b}\Big(1 + \frac ba\Big),\quad C' = C\ \text{or}\ C/B,

(:func:`frontier_closed_form`), so ``p* ∝ C^{a/(a+b)}`` and
``L* ∝ C^{-ab/(a+b)}``. With ``a = τ`` and ``b = min(β-1, α)`` this is the
4+3 Phase Ia frontier; the 4+3 phases II and III balance the ``F_ac`` and SGD
noise terms instead (:func:`plrf_phase`).

The 4+3 phase diagram (:func:`plrf_phase`)
-------------------------------------------
Paquette, Paquette, Xiao & Pennington, "4+3 phases of compute-optimal neural
scaling laws" (NeurIPS 2024, arXiv:2405.15074) use ``ω_j = j^{-2α_p}`` and a
teacher ``b_j = j^{-β_p}``: dictionary ``α = 2α_p``, ``β = 2α_p + 2β_p``
(:func:`rmt.powerlaw.to_plrf`, :func:`rmt.powerlaw.from_plrf`). Their risk is
``½ ×`` our excess, their step is batch-sum (``lr = γB``), compute ``f = d·B·r``.
The high-dimensional line ``2α_p = 1`` is our ``α = 1``. Phases, in both
parametrizations:

=======  ==============================  ==============================  =========================  ===================  =============================
phase    4+3 ``(α_p, β_p)``              ours ``(α, β)``                 dominant balance           ``p* ∝ C^x``         ``L* ∝ C^-y``
=======  ==============================  ==============================  =========================  ===================  =============================
Ia       ``2β_p < 1 < 2α_p``             ``β < α + 1``, ``α > 1``        ``F_pp ↔ F_0``             ``1/(α+1)``          ``(β-1)/(α+1)``
II       ``1/2 < β_p < α_p``             ``α + 1 < β < 2α``              ``F_pp ↔ F_ac``            ``(β-α)/β``          ``(β-1)/β``
III      ``β_p > α_p > 1/2``             ``β > 2α``, ``α > 1``           ``K_pp ↔ F_ac``            ``1/2``              ``1 - 1/(2α)``
Ib       ``2β_p < 1``, ``2α_p < 1``      ``β < α + 1``, ``α < 1``        ``F_pp ↔ F_0``             not given here       not given here
Ic       ``2β_p > 1``, ``4α_p < 1``      ``β > α + 1``, ``α < 1/2``      ``F_pp ↔ F_0``             not given here       not given here
IV       ``2β_p > 1``, ``1/4<α_p<1/2``   ``β > α + 1``, ``1/2<α<1``      (IVa / IVb)                not given here       not given here
=======  ==============================  ==============================  =========================  ===================  =============================

(``2(α_p + β_p) > 1`` is ``β > 1``.) The exponents above the high-dimensional
line are derived by balancing the 4+3 asymptotic terms ``F_0 ≍ p^{-min(β-1,α)}``,
``F_pp ≍ t^{-(β-1)/α}``, ``F_ac ≍ p^{-1}t^{-(1-1/α)}``, ``K_pp ≍ t^{-(2-1/α)}``
at ``C = p t``; they are continuous across the boundaries (at ``β = α+1``
both give ``p* ∝ C^{1/(α+1)}``, at ``β = 2α`` both ``C^{1/2}``). Below the line
the spectrum is not trace class (``α < 1``; :mod:`rmt.powerlaw` and the finite
formulas here need ``α > 1``, the 4+3 model truncates at ``v ∝ d`` modes and
scales the learning rate with ``d``), so only the phase name is returned; the
split of Phase IV into IVa and IVb is not resolved here. The boundaries of
Ib (``2β_p < 1``, ``α_p < 1/2``), Ic (``2β_p > 1``, ``α_p < 1/4``) and IV are
those of the paper's propositions.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import gamma as _gamma
from scipy.special import zeta as _zeta

from . import powerlaw as _pl
from ._arrays import float_output
from ._results import ResultFields
from ._validation import as_count, as_int, as_positive, as_real
from .risk.rf_powerlaw import _exponent_args, rf_exponents, rf_width_bottleneck

__all__ = [
    "ScalingExponents",
    "scaling_exponents",
    "PLRFPhase",
    "plrf_phase",
    "Bottleneck",
    "bottleneck",
    "FiniteLoss",
    "finite_loss",
    "ComputeOptimal",
    "compute_optimal",
    "frontier_closed_form",
    "COMPUTE_MODELS",
]

#: Compute models: ``"p*t"`` (one sample of cost ``p`` per step) and ``"p*t*batch"`` (the 4+3 flops ``d·B·r``).
COMPUTE_MODELS = ("p*t", "p*t*batch")


# --------------------------------------------------------------------------- exponents


@dataclass(frozen=True, eq=False, repr=False)
class ScalingExponents(ResultFields):
    """Time, data, width and SGD exponents for ``λ_k = k^-α``, ``target_power_k = k^-β`` (module notes).

    Attributes
    ----------
    time : ``(β-1)/α``: ``F(t) ∝ (lr·t)^-time`` (online SGD, GD / gradient flow at ``n = p = ∞``).
    data : ``min(β-1, 2α)``: GD on ``n`` samples to convergence, ``∝ n^-data``.
    width : ``min(β-1, α)``: ``p`` random features at ``n = t = ∞``, ``∝ p^-width``.
    sgd_noise : ``2 - 1/α``: the online-SGD kernel ``K(t) ∝ (lr t)^-sgd_noise``.
    feature_embedding : ``1 - 1/α``: the time exponent of the 4+3 ``F_ac ∝ p^-1 t^-(1-1/α)``
        (present iff ``embedding_active``, ``β > α + 1``).
    embedding_active : bool.
    sgd_noise_dominates : ``β > 2α``: at late times the SGD-noise term outlasts the forcing.
    source : ``r = (β-1)/(2α)``.
    phase : the 4+3 phase (:func:`plrf_phase`).
    """

    _summary = ("time", "data", "width", "sgd_noise")

    time: float
    data: float
    width: float
    sgd_noise: float
    feature_embedding: float
    embedding_active: bool
    sgd_noise_dominates: bool
    source: float
    phase: str


def scaling_exponents(alpha, beta) -> ScalingExponents:
    """The exponents of the module notes for one ``(α, β)``, ``α > 1``, ``β > 1``.

    Examples
    --------
    >>> from rmt import scaling
    >>> e = scaling.scaling_exponents(1.5, 2.0)
    >>> e.time, e.data, e.width, e.phase
    (0.6666666666666666, 1.0, 1.0, 'Ia')
    """
    alpha, beta = _exponent_args(alpha, beta)
    rf = rf_exponents(alpha, beta)
    return ScalingExponents(
        time=(beta - 1.0) / alpha,
        data=rf.data,
        width=rf.width,
        sgd_noise=2.0 - 1.0 / alpha,
        feature_embedding=1.0 - 1.0 / alpha,
        embedding_active=bool(beta > alpha + 1.0),
        sgd_noise_dominates=bool(beta > 2.0 * alpha),
        source=rf.source,
        phase=plrf_phase(alpha, beta).phase,
    )


# --------------------------------------------------------------------------- 4+3 phases


@dataclass(frozen=True, eq=False, repr=False)
class PLRFPhase(ResultFields):
    """The 4+3 phase of ``(α, β)`` and its compute-optimal exponents (module table).

    Attributes
    ----------
    phase : ``"Ia"``, ``"II"``, ``"III"``, ``"Ib"``, ``"Ic"``, ``"IV"``, or two names joined by ``"/"``
        exactly on a boundary (e.g. ``"Ia/II"``).
    alpha_p, beta_p : the 4+3 exponents ``(α/2, (β-α)/2)``.
    balance : the two loss terms whose balance sets the optimum.
    p_exponent, t_exponent, loss_exponent : ``p* ∝ C^p_exponent``, ``t* ∝ C^t_exponent``,
        ``L* ∝ C^-loss_exponent`` at a compute ``C = p·t`` (or ``p·t·B`` at fixed ``B``);
        ``None`` below the high-dimensional line (``α ≤ 1``).
    on_boundary : bool.
    """

    _summary = ("alpha_p", "beta_p", "p_exponent", "loss_exponent")

    phase: str
    alpha_p: float
    beta_p: float
    balance: str
    p_exponent: float | None
    t_exponent: float | None
    loss_exponent: float | None
    on_boundary: bool

    def __repr__(self) -> str:
        ex = "" if self.p_exponent is None else f", p*∝C^{self.p_exponent:.4g}, L*∝C^-{self.loss_exponent:.4g}"
        return f"PLRFPhase({self.phase}: alpha_p={self.alpha_p:.4g}, beta_p={self.beta_p:.4g}, {self.balance}{ex})"


_BALANCE = {"Ia": "F_pp <-> F_0", "II": "F_pp <-> F_ac", "III": "K_pp <-> F_ac",
            "Ib": "F_pp <-> F_0", "Ic": "F_pp <-> F_0", "IV": "IVa / IVb (not resolved here)"}


def _phase_exponents(phase, a, b):
    """``(p, loss)`` exponents above the high-dimensional line (module table); ``None`` below."""
    if phase == "Ia":
        return 1.0 / (a + 1.0), (b - 1.0) / (a + 1.0)
    if phase == "II":
        return (b - a) / b, (b - 1.0) / b
    if phase == "III":
        return 0.5, 1.0 - 1.0 / (2.0 * a)
    return None


def plrf_phase(alpha, beta, *, tol=1e-12) -> PLRFPhase:
    r"""The phase of ``(α, β)`` (ours: ``λ_k = k^-α``, ``target_power_k = k^-β``) in the 4+3 diagram.

    Parameters
    ----------
    alpha : float
        ``α > 0`` (``α = 2α_p``; ``α ≤ 1`` is below the high-dimensional line).
    beta : float
        ``β > 1`` (a finite target variance: ``2(α_p + β_p) > 1``).
    tol : float, default 1e-12
        Points within ``tol`` of a boundary (``α = 1``, ``α = 1/2``, ``β = α + 1``,
        ``β = 2α``) are reported on it (``phase`` joins both names).

    Returns
    -------
    PLRFPhase
        Name, 4+3 exponents, balance and compute-optimal exponents (module table).

    References
    ----------
    Paquette, Paquette, Xiao & Pennington, arXiv:2405.15074 (NeurIPS 2024).

    Examples
    --------
    >>> from rmt import scaling
    >>> scaling.plrf_phase(2.0, 3.5).phase, scaling.plrf_phase(*scaling._pl.from_plrf(1.0, 0.3)).phase
    ('II', 'Ia')
    """
    a = float(as_real(alpha, "alpha"))
    b = float(as_real(beta, "beta"))
    if np.ndim(alpha) or np.ndim(beta):
        raise ValueError("alpha must be a scalar (one point of the phase plane per call)")
    if not a > 0:
        raise ValueError(f"alpha must be > 0; got {a!r}")
    if not b > 1:
        raise ValueError(f"beta must be > 1 (a target of finite variance, 2(alpha_p + beta_p) > 1); got {b!r}")
    tol = float(as_positive(tol, "tol"))

    def side(x, y):  # -1 below, 0 on, +1 above (x compared with y)
        return 0 if abs(x - y) <= tol * max(1.0, abs(y)) else (1 if x > y else -1)

    hd = side(a, 1.0)  # high-dimensional line 2α_p = 1
    emb = side(b, a + 1.0)  # 2β_p = 1
    names = set()
    for h in ((-1, 1) if hd == 0 else (hd,)):
        for e in ((-1, 1) if emb == 0 else (emb,)):
            if h > 0:
                if e < 0:
                    names.add("Ia")
                else:
                    s = side(b, 2 * a)
                    names.update({-1: ["II"], 0: ["II", "III"], 1: ["III"]}[s])
            elif e < 0:
                names.add("Ib")
            else:
                q = side(a, 0.5)
                names.update({-1: ["Ic"], 0: ["Ic", "IV"], 1: ["IV"]}[q])
    order = ["Ia", "II", "III", "Ib", "Ic", "IV"]
    found = [n for n in order if n in names]
    phase = "/".join(found)
    ex = _phase_exponents(found[0], a, b) if len(found) == 1 else None
    if len(found) > 1 and all(_phase_exponents(n, a, b) is not None for n in found):
        ex = _phase_exponents(found[0], a, b)  # continuous across the boundaries above the line
    p_ex, l_ex = ex if ex is not None else (None, None)
    return PLRFPhase(
        phase=phase, alpha_p=a / 2.0, beta_p=(b - a) / 2.0, balance=" | ".join(_BALANCE[n] for n in found),
        p_exponent=p_ex, t_exponent=None if p_ex is None else 1.0 - p_ex, loss_exponent=l_ex,
        on_boundary=len(found) > 1,
    )


# --------------------------------------------------------------------------- bottleneck terms


def _sgd_sums(alpha, beta, lr, batch, kmax=200_000):
    """``S = Σ_τ K(τ)`` and ``Σ_s F(s)`` on the infinite power law (Gaussian data); raises if unstable.

    ``1/(2-x) = 1/2 + x/(2(2-x))`` splits each sum into a zeta value and a fast
    sum (terms ``∝ k^{-2α}``, resp. ``k^{-β}``) done to ``kmax`` plus its
    leading tail ``x → 0``.
    """
    c = 1.0 + 1.0 / batch
    if not c * lr < 2.0:
        raise ValueError(f"lr must be < 2/(1 + 1/batch) = {2.0 / c:.6g} (the top mode's a_1 < 1); got {lr!r}")
    k = np.arange(1.0, kmax + 1.0)
    lam = k**-alpha
    x = c * lr * lam
    s = _zeta(alpha, 1.0) / 2.0 + np.sum(x * lam / (2.0 * (2.0 - x))) + c * lr * _zeta(2 * alpha, kmax + 1.0) / 4.0
    S = lr / batch * s
    if not S < 1.0:
        raise ValueError(f"lr must be in the stable range of online SGD (S = sum of the kernel < 1); got lr={lr!r}, S={S:.6g}")
    if beta - alpha > 1.0:
        f = _zeta(beta - alpha, 1.0) / 2.0 + np.sum(x * k ** (alpha - beta) / (2.0 * (2.0 - x)))
        f += c * lr * _zeta(beta, kmax + 1.0) / 4.0
        sumF = f / lr
    else:
        sumF = np.inf
    return float(S), float(sumF)


@dataclass(frozen=True, eq=False, repr=False)
class Bottleneck(ResultFields):
    """The bottleneck terms of the module notes (noiseless excess risks), broadcast over ``t, p, n``.

    Attributes
    ----------
    total : ``time + sgd_noise + width + data``.
    time : ``F(t)/(1-S)``, ``F = Γ(τ)/α (2 lr t)^-τ`` (``0`` at ``t = ∞``; gradient flow: ``lr·t → t``, ``S = 0``).
    sgd_noise : ``K(t) Σ_s F(s)/(1-S)²`` (online SGD, ``β > α + 1``; else 0).
    width : :func:`rmt.risk.rf_powerlaw.rf_width_bottleneck` (``0`` at ``p = ∞``).
    data : :func:`rmt.powerlaw.ridgeless_test` at zero noise (``0`` at ``n = ∞``).
    kernel_sum : ``S`` (0 for gradient flow).
    forcing_sum : ``Σ_s F(s) = Σ_k v_k²/(1 - a_k)`` (``inf`` when ``β ≤ α + 1`` or for gradient flow).
    """

    _summary = ("total", "time", "sgd_noise", "width", "data")

    total: np.ndarray
    time: np.ndarray
    sgd_noise: np.ndarray
    width: np.ndarray
    data: np.ndarray
    kernel_sum: float
    forcing_sum: float


def _time_terms(alpha, beta, t, lr, batch):
    """``(time, sgd_noise, S, ΣF)`` at times ``t`` (array, ``> 0``, ``inf`` allowed)."""
    tau = (beta - 1.0) / alpha
    q = 2.0 - 1.0 / alpha
    if lr is None:
        S, sumF, scale = 0.0, np.inf, 2.0 * t
    else:
        S, sumF = _sgd_sums(alpha, beta, lr, batch)
        scale = 2.0 * lr * t
    with np.errstate(divide="ignore"):
        F = _gamma(tau) / alpha * scale**-tau
        if lr is None or not np.isfinite(sumF):
            noise = np.zeros_like(F)
        else:
            noise = lr**2 / batch * _gamma(q) / alpha * scale**-q * sumF / (1.0 - S) ** 2
    return F / (1.0 - S), noise, S, sumF


def bottleneck(alpha, beta, *, t=np.inf, p=np.inf, n=np.inf, lr=None, batch=1) -> Bottleneck:
    r"""Bottleneck terms ``time(t) + sgd_noise(t) + width(p) + data(n)`` (module notes), noiseless.

    Parameters
    ----------
    alpha, beta : float
        ``λ_k = k^-α``, ``target_power_k = k^-β``; ``α > 1``, ``β > 1``.
    t : array_like, default inf
        Steps of online SGD (``lr`` given) or gradient-flow time (``lr=None``); ``> 0``.
    p, n : array_like, default inf
        Random features and samples (``inf``: not a bottleneck). ``data`` needs ``β ≠ 2α + 1``.
    lr : float or None
        Online-SGD learning rate (batch mean, stable range); ``None``: gradient flow.
    batch : int, default 1

    Returns
    -------
    Bottleneck
        The terms, their sum and the SGD sums ``S``, ``Σ F`` (broadcast over ``t, p, n``).
    """
    alpha, beta = _exponent_args(alpha, beta)
    t = as_real(t, "t", allow_inf=True)
    if (t <= 0).any():
        raise ValueError(f"t must be > 0 (the terms diverge at t = 0); got {t.min()!r}")
    p = _inf_or_count(p, "p")
    n = _inf_or_count(n, "n")
    if lr is not None:
        lr = float(as_positive(lr, "lr"))
    batch = as_int(batch, "batch")
    t, p, n = np.broadcast_arrays(t, p, n)
    time, noise, S, sumF = _time_terms(alpha, beta, t, lr, batch)
    width = np.where(np.isinf(p), 0.0, rf_width_bottleneck(alpha, beta, np.where(np.isinf(p), 1.0, p)))
    if np.isinf(n).all():
        data = np.zeros(n.shape)
    else:
        data = np.where(np.isinf(n), 0.0, _pl.ridgeless_test(alpha, beta, 0.0, np.where(np.isinf(n), 1.0, n)))
    total = time + noise + width + data
    return Bottleneck(float_output(total), float_output(time), float_output(noise), float_output(width),
                      float_output(data), S, sumF)


def _inf_or_count(x, name):
    arr = as_real(x, name, allow_inf=True)
    fin = arr[np.isfinite(arr)]
    if fin.size:
        as_count(fin, name)
    if (arr == -np.inf).any():
        raise ValueError(f"{name} must be > 0 (or +inf); got -inf")
    return arr


# --------------------------------------------------------------------------- finite losses L(p, t)


@dataclass(frozen=True, eq=False)
class FiniteLoss:
    """A loss ``L(p, t)`` built on the package's formulas (see :func:`finite_loss`); call as ``loss(p, t)``.

    ``p`` and ``t`` broadcast; ``t`` is a real number of steps ``≥ 0`` (fractional
    steps interpolate ``log L`` linearly between the neighbouring integers).
    """

    model: str
    alpha: float
    beta: float
    lr: float
    batch: int
    size: int
    _cache: dict = field(default_factory=dict, repr=False)

    def __call__(self, p, t):
        p = as_count(p, "p")
        t = as_real(t, "t")
        if (t < 0).any():
            raise ValueError(f"t must be >= 0 steps; got {t.min()!r}")
        p, t = np.broadcast_arrays(p, t)
        if self.model == "bottleneck":
            tt = np.maximum(t, 1e-300)
            return float_output(bottleneck(self.alpha, self.beta, t=tt, p=p, lr=self.lr, batch=self.batch).total)
        if self.model == "sgd+width":
            return float_output(self._curve_at(None, t) + self._width(p))
        out = np.empty(p.shape)  # "rf_online_sgd": one curve per distinct width
        for pv in np.unique(p):
            sel = p == pv
            out[sel] = self._curve_at(float(pv), t[sel])
        return float_output(out)

    def _width(self, p):
        from .risk.random_features import rf_ridge_risk
        from .spectra import PowerLaw

        return rf_ridge_risk(PowerLaw(self.alpha), PowerLaw(self.beta), 0.0, _HUGE_N, p, 0.0).excess

    def _curve(self, p, steps):
        key = p
        cur = self._cache.get(key)
        if cur is None or cur.size < steps + 1:
            steps = max(steps, 2 * (cur.size - 1) if cur is not None else 0)
            k = np.arange(1.0, self.size + 1.0)
            if p is None:
                from .risk.sgd import online_sgd_risk

                cur = online_sgd_risk(k**-self.alpha, k**-self.beta, 0.0, self.lr, self.batch, steps).excess
            else:
                import rmt

                cur = rmt.rf_online_sgd_risk(k**-self.alpha, k**-self.beta, 0.0, p, self.lr, self.batch, steps).excess
            self._cache[key] = cur
        return cur

    def _curve_at(self, p, t):
        t = np.asarray(t, dtype=np.float64)
        steps = int(np.ceil(t.max())) if t.size else 0
        cur = self._curve(p, steps)
        lo = np.floor(t).astype(np.int64)
        hi = np.minimum(lo + 1, cur.size - 1)
        w = t - lo
        with np.errstate(divide="ignore"):
            return np.exp((1 - w) * np.log(cur[lo]) + w * np.log(cur[hi]))


_HUGE_N = 1e15  # rf_ridge_risk's n for the population (n = ∞) width floor
_MODELS = ("sgd+width", "bottleneck", "rf_online_sgd")


def finite_loss(alpha, beta, *, model="sgd+width", lr=0.1, batch=1, size=20_000) -> FiniteLoss:
    r"""A finite loss ``L(p, t)`` of online SGD on ``p`` random features, for :func:`compute_optimal`.

    Parameters
    ----------
    alpha, beta : float
        ``λ_k = k^-α``, ``target_power_k = k^-β`` (``α > 1``, ``β > 1``), noiseless.
    model : str
        * ``"sgd+width"`` (default): the exact online-SGD curve
          :func:`rmt.online_sgd_risk` on the first ``size`` modes plus the
          population width floor ``rmt.rf_ridge_risk(PowerLaw(α), PowerLaw(β), 0,
          n=1e15, p, ridge=0).excess`` (the projection error of ``p`` features on
          the infinite power law). The sum of the two bottlenecks; it has no
          ``F_ac`` term, so its compute-optimal frontier is the 4+3 Phase Ia
          one whatever the phase (the two-term frontier of :func:`frontier_closed_form`).
        * ``"bottleneck"``: :func:`bottleneck` ``(t, p)`` total (closed forms).
        * ``"rf_online_sgd"``: ``rmt.rf_online_sgd_risk`` (the deterministic
          equivalent of online SGD on random features) on ``size`` modes, when
          this installation has it.
    lr, batch : online-SGD learning rate (batch mean) and batch size.
    size : int
        Modes kept by the finite SGD curves (the curve at step ``t`` is exact for
        this truncation; modes beyond ``~(2 lr t)^{1/α}`` are not yet learned).

    Returns
    -------
    FiniteLoss
        ``loss(p, t)``; curves are computed once (to the longest ``t`` asked) and cached.
    """
    alpha, beta = _exponent_args(alpha, beta)
    if model not in _MODELS:
        raise ValueError(f"model must be one of {_MODELS}; got {model!r}")
    if model == "rf_online_sgd":
        import rmt

        if not hasattr(rmt, "rf_online_sgd_risk"):
            raise ValueError("model 'rf_online_sgd' needs rmt.rf_online_sgd_risk, which this installation lacks; "
                             "use 'sgd+width'")
    lr = float(as_positive(lr, "lr"))
    batch = as_int(batch, "batch")
    size = as_int(size, "size", minimum=2)
    if model == "bottleneck":
        _sgd_sums(alpha, beta, lr, batch)  # stability check up front
    return FiniteLoss(model, alpha, beta, lr, batch, size, {})


# --------------------------------------------------------------------------- compute-optimal frontier


@dataclass(frozen=True, eq=False, repr=False)
class ComputeOptimal(ResultFields):
    """The compute-optimal allocation per budget.

    Attributes
    ----------
    budgets : the compute budgets ``C``.
    p, t, loss : optimal width ``p*``, steps ``t* = C/p*`` (or ``C/(p* B)``) and loss ``L*``.
    p_slope, t_slope, loss_slope : local slopes ``d log p*/d log C`` etc. (``loss_slope < 0``).
    status : ``"ok"``, or ``"edge"`` where the minimum sits at an end of the width grid
        (the values there are the grid end's, not an optimum; a ``RuntimeWarning`` is raised).
    compute : the compute model (``"p*t"`` or ``"p*t*batch"``); batch : the batch size.
    """

    _summary = ("p", "t", "loss")

    budgets: np.ndarray
    p: np.ndarray
    t: np.ndarray
    loss: np.ndarray
    p_slope: np.ndarray
    t_slope: np.ndarray
    loss_slope: np.ndarray
    status: np.ndarray
    compute: str
    batch: int

    def __repr__(self) -> str:
        return f"ComputeOptimal(budgets={self.budgets.size}, compute={self.compute!r}, ok={int((self.status == 'ok').sum())})"


def _compute_args(budgets, batch, compute):
    budgets = np.sort(np.atleast_1d(as_positive(budgets, "budgets")).astype(np.float64).ravel())
    if budgets.size < 2:
        raise ValueError(f"budgets must hold at least 2 values (the slopes need two); got {budgets.size}")
    batch = as_int(batch, "batch")
    if compute not in COMPUTE_MODELS:
        raise ValueError(f"compute must be one of {COMPUTE_MODELS}; got {compute!r}")
    return budgets, batch, compute


def _steps(C, p, batch, compute):
    return C / p if compute == "p*t" else C / (p * batch)


_WINDOW = 10.0  # compute_optimal searches widths >= (previous p*)/_WINDOW


def _slopes(x, C):
    return np.gradient(np.log(x), np.log(C))


def compute_optimal(loss, budgets, widths, *, batch=1, compute="p*t") -> ComputeOptimal:
    r"""Minimize a finite loss ``L(p, t)`` over the width at each compute budget.

    Parameters
    ----------
    loss : callable
        ``loss(p, t) -> array`` broadcasting over ``p`` (features) and ``t``
        (steps, real ``≥ 1``): e.g. :func:`finite_loss`, or any predictor
        wrapped as such (``lambda p, t: ...``).
    budgets : array_like
        Compute budgets ``C > 0`` (at least two; sorted on output).
    widths : array_like
        Candidate widths (``> 0``), ideally log-spaced, 10+ per decade; a
        budget whose minimum falls on an end of the grid is flagged ``"edge"``.
    batch : int, default 1
        Batch size of the steps (only used by ``compute="p*t*batch"``).
    compute : {"p*t", "p*t*batch"}
        ``C = p·t`` (``t = C/p``) or ``C = p·t·B`` (``t = C/(pB)``).

    Returns
    -------
    ComputeOptimal

    Notes
    -----
    For each budget ``L(p, t(C, p))`` is evaluated on the grid (widths whose
    ``t < 1`` are skipped), the grid minimum is refined by the vertex of the
    parabola through it and its two neighbours in ``(log p, log L)``, and
    ``t* = t(C, p*)``. Budgets are taken in increasing order and, the optimum
    width being non-decreasing in ``C`` for these losses, each search starts a
    decade below the previous ``p*`` (the longest curves, at tiny widths and
    large budgets, are never computed). The refinement is exact for a loss that is a parabola in
    logs near the optimum; on the two-term bottleneck the relative error of
    ``p*`` is ~1e-4 at 20 widths per decade (tests).
    """
    if not callable(loss):
        raise ValueError(f"loss must be a callable loss(p, t); got {type(loss).__name__}")
    budgets, batch, compute = _compute_args(budgets, batch, compute)
    widths = np.unique(np.atleast_1d(as_count(widths, "widths")).astype(np.float64).ravel())
    if widths.size < 3:
        raise ValueError(f"widths must hold at least 3 values; got {widths.size}")
    logp = np.log(widths)
    ps, ls, status = np.empty(budgets.size), np.empty(budgets.size), np.empty(budgets.size, dtype=object)
    floor = 0.0  # budgets ascend and p* is non-decreasing: search from a decade below the last optimum
    for j, C in enumerate(budgets):
        T = _steps(C, widths, batch, compute)
        use = np.flatnonzero((T >= 1.0) & (widths >= floor))
        if use.size < 3:
            raise ValueError(f"widths must leave at least 3 widths with t >= 1 step at budget {C:.6g}")
        row = np.asarray(loss(widths[use], T[use]), dtype=np.float64).reshape(use.size)
        if not np.isfinite(row).all() or (row <= 0).any():
            raise FloatingPointError(f"loss returned a non-finite or non-positive value at budget {C:.6g}")
        i = int(np.argmin(row))
        if i == 0 or i == use.size - 1:
            ps[j], ls[j], status[j] = widths[use[i]], row[i], "edge"
        else:
            x = logp[use[i - 1:i + 2]]
            y = np.log(row[i - 1:i + 2])
            a2, a1, a0 = np.polyfit(x, y, 2)
            xv = float(np.clip(-a1 / (2 * a2), x[0], x[2])) if a2 > 0 else x[1]
            ps[j], ls[j], status[j] = np.exp(xv), np.exp(np.polyval([a2, a1, a0], xv)), "ok"
            floor = ps[j] / _WINDOW
    if (status == "edge").any():
        warnings.warn(
            f"the optimum lies at an end of the width grid for {int((status == 'edge').sum())} of {budgets.size} "
            "budgets (status 'edge'): widen the grid", RuntimeWarning, stacklevel=2)
    ts = _steps(budgets, ps, batch, compute)
    return ComputeOptimal(float_output(budgets), float_output(ps), float_output(ts), float_output(ls),
                          _slopes(ps, budgets), _slopes(ts, budgets), _slopes(ls, budgets), status.astype(str),
                          compute, batch)


def frontier_closed_form(alpha, beta, budgets, *, lr=None, batch=1, compute="p*t") -> ComputeOptimal:
    r"""Exact optimum of the two-term bottleneck ``A t^{-a} + B p^{-b}`` (module notes).

    ``A t^{-a}`` is the slower-decaying of :func:`bottleneck`'s ``time`` and
    ``sgd_noise`` terms (``a = (β-1)/α`` with ``A = Γ(a)/α (2lr)^{-a}/(1-S)``,
    or ``a = 2 - 1/α`` with the SGD-noise constant when ``β > 2α``) and
    ``B p^{-b}`` the leading width term (``b = β - 1`` with
    ``B = π I₁^{β-1}/(α sin(π(β-1)/α))`` for ``β < α + 1``, ``b = α`` with
    ``B = I₁^α ζ(β-α)`` above; :func:`rmt.risk.rf_powerlaw.rf_width_bottleneck`
    without its ``+½``). Then ``p* = (bB/(aA))^{1/(a+b)} C'^{a/(a+b)}``,
    ``L* = B p*^{-b}(1 + b/a)``, ``C' = C`` (``"p*t"``) or ``C/B``; the slopes
    are exactly ``a/(a+b)``, ``b/(a+b)`` and ``-ab/(a+b)``. ``β = α + 1`` (a
    log-corrected width term) is refused.
    """
    alpha, beta = _exponent_args(alpha, beta)
    budgets, batch, compute = _compute_args(budgets, batch, compute)
    if lr is not None:
        lr = float(as_positive(lr, "lr"))
    tau, q = (beta - 1.0) / alpha, 2.0 - 1.0 / alpha
    time1, noise1, _, _ = _time_terms(alpha, beta, np.array(1.0), lr, batch)
    if float(noise1) > 0 and q < tau:
        a, A = q, float(noise1)
    else:
        a, A = tau, float(time1)
    ratio = (beta - 1.0) / alpha
    if abs(ratio - 1.0) < 1e-12:
        raise ValueError("beta must differ from alpha + 1 (the width term carries a log there)")
    I1 = float(_pl.I1(alpha))
    if ratio < 1.0:
        b, B = beta - 1.0, np.pi / (alpha * np.sin(np.pi * ratio)) * I1 ** (beta - 1.0)
    else:
        b, B = alpha, I1**alpha * float(_zeta(beta - alpha, 1.0))
    Cp = budgets if compute == "p*t" else budgets / batch
    ps = (b * B / (a * A)) ** (1.0 / (a + b)) * Cp ** (a / (a + b))
    ls = B * ps**-b * (1.0 + b / a)
    ts = _steps(budgets, ps, batch, compute)
    n = budgets.size
    return ComputeOptimal(float_output(budgets), float_output(ps), float_output(ts), float_output(ls),
                          np.full(n, a / (a + b)), np.full(n, b / (a + b)), np.full(n, -a * b / (a + b)),
                          np.full(n, "ok"), compute, batch)
