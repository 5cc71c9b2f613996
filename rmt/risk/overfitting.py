# SPDX-License-Identifier: BSD-3-Clause
r"""Cost of overfitting, its agnostic bound, and benign / tempered / catastrophic regimes.

Zhou, Simon, Vardi & Srebro, "An agnostic view on the cost of overfitting in
(kernel) ridge regression", ICLR 2024 (arXiv:2306.13185): the cost of
overfitting is the ratio of the test risk of the interpolating (ridge → 0⁺)
predictor to that of the optimally tuned one,

.. math::

    C(n) = \frac{\mathrm{test}(\mathrm{ridge}\to0^+)}{\inf_{\mathrm{ridge}\ge0}\mathrm{test}(\mathrm{ridge})} \ \ge 1,

with test risks *including* the label noise (with excess risks the ratio is
unbounded) and the null predictor (``ridge = +inf``) in the infimum
(Zhou et al. 2024, §2). Risks are the deterministic
equivalents of :func:`rmt.ridge_risk` (Simon et al. 2021; Bach 2023).

Agnostic bound (Zhou et al. 2024): since ``E₀(ridge) ≥ 1`` and ``1 - L_k`` grows with the
ridge, ``test(ridge) ≥ test(0)/E₀(0)`` for every ridge ≥ 0, so

.. math:: 1 \le C(n) \le E_0(\mathrm{ridge}=0) = \frac{n}{n - \sum_k L_{k,0}^2}

for every target and noise level, with equality for a pure-noise task. As
``n → ∞`` with noise, ``C → lim E₀(0)``: *benign* if 1, *tempered* if finite,
*catastrophic* if infinite (Mallinar et al. 2022, arXiv:2207.06569).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from .._arrays import float_output as _s
from .._results import ResultFields
from ..resolvent._mp import as_method
from ..resolvent.onepoint import kappa_on_levels, prepare
from ._assembly import NUMPY, overfitting_cost_parts
from .._results import TupleFields
from .._validation import validate
from .optimal import optimal_on_levels
from .ridge import RidgeRisk, risk_from_kappa

__all__ = ["OverfittingCost", "overfitting_cost", "agnostic_bound", "OverfittingRegime", "overfitting_regime"]


@dataclass(frozen=True, eq=False, repr=False)
class OverfittingCost(NDArrayOperatorsMixin, ResultFields):
    """Result of :func:`overfitting_cost` (arrays broadcast over ``noise``, ``n``).

    The object behaves as its ``cost`` array: ``float(c)``, ``np.asarray(c)``,
    indexing, iteration, arithmetic and comparisons (``c / limit``, ``c >= 1``)
    act on ``cost``.

    Attributes
    ----------
    cost : ``test_ridgeless / test_optimal`` (≥ 1).
    ridge_star : the optimal ridge (0: interpolation, +inf: the null predictor).
    test_ridgeless, test_optimal : the two test risks (noise included).
    agnostic_bound : ``E₀`` at ridge → 0⁺, an upper bound on ``cost``.
    ridgeless, optimal : the complete :class:`rmt.RidgeRisk` results (train risks, κ, parts).
    status : per point, 0 when the optimal ridge converged.
    """

    _summary = ("cost", "test_ridgeless", "test_optimal", "ridge_star")

    cost: np.ndarray
    ridge_star: np.ndarray
    test_ridgeless: np.ndarray
    test_optimal: np.ndarray
    agnostic_bound: np.ndarray
    ridgeless: RidgeRisk
    optimal: RidgeRisk
    status: np.ndarray

    def __array__(self, dtype=None, copy=None):
        return np.array(self.cost, dtype=dtype, copy=True)

    def __float__(self):
        return float(self.cost)

    def __getitem__(self, index):
        return np.asarray(self.cost)[index]

    def __len__(self):
        return len(np.asarray(self.cost))

    def __iter__(self):
        return iter(np.asarray(self.cost))

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(np.asarray(x.cost) if isinstance(x, OverfittingCost) else x for x in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __repr__(self) -> str:
        if np.shape(self.cost) != ():
            return f"OverfittingCost(shape={np.shape(self.cost)})"
        return "OverfittingCost(" + ", ".join(f"{f}={float(getattr(self, f)):.6g}" for f in self._summary) + ")"


def overfitting_cost(eigs, target_power, noise, n, *, allow_negative: bool = False, full_output: bool = False,
                     method: str = "numba", dps: int = 50):
    r"""Cost of overfitting: ridgeless test risk over the optimally tuned test risk.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population (kernel) eigenvalues; ``PowerLaw(alpha)`` (infinite) has its
        tail summed analytically.
    target_power : array_like, float or PowerLaw
        Target power per mode ``v_k²`` (``0``: pure noise), as in :func:`rmt.ridge_risk`.
    noise : array_like
        Label-noise variance ``σ² ≥ 0``.
    n : array_like
        Number of samples (> 0). ``noise`` and ``n`` broadcast together.
    allow_negative : bool
        Take the infimum over negative ridges too (down to :func:`rmt.ridge_edge`);
        default ``ridge ≥ 0`` as in Zhou et al.
    full_output : bool
        Ignored (kept for old calls): the result always carries everything.
    method : {"numba", "mpmath"}
        ``"mpmath"``: the arbitrary-precision referee at ``dps`` digits (>= 15):
        the ridgeless risk of :func:`rmt.ridge_risk` and the optimum of
        :func:`rmt.optimal_ridge` with ``method="mpmath"``; every number is then
        ``mpf`` (object arrays on a grid). Slow.
    dps : int
        Decimal digits for ``method="mpmath"``.

    Returns
    -------
    OverfittingCost
        Behaves as the array (or float) of costs
        ``C = test(ridge → 0⁺) / inf_ridge test(ridge)`` with test risks
        including the noise; ``+inf`` at the interpolation threshold
        ``n = rank`` (where the ridgeless variance diverges, with a
        ``RuntimeWarning``); 1 when both risks vanish (a noiseless target in
        the span of ``n > rank`` samples is learned exactly). Also carries
        the optimal ridge, both risks, the agnostic bound and a per-point
        ``status``.

    Notes
    -----
    ``1 ≤ C ≤ E₀(0) = n/(n - df2(κ₀))`` (:func:`agnostic_bound`); ``C = E₀(0)``
    for a pure-noise task (the null predictor is optimal) and ``C = 1`` when
    interpolation is optimal (e.g. a noiseless aligned task
    ``target_power = c·eigs``). For ``λ_k = k^-α``, ``v_k² = k^-β`` the
    large-n limit is :func:`rmt.powerlaw.overfitting_cost_limit`.

    References
    ----------
    Zhou, Simon, Vardi & Srebro, ICLR 2024 (arXiv:2306.13185).

    Examples
    --------
    >>> from rmt.spectra import PowerLaw
    >>> round(float(overfitting_cost(PowerLaw(2.0), PowerLaw(1.5), 0.0, 1000)), 5)   # (4/3)√(2/3)
    1.08866
    """
    dps = as_method(method, dps)
    levels, tpow, noise, n, allow_negative, full_output = validate(
        "overfitting_cost", eigs=eigs, target_power=target_power, noise=noise, n=n, allow_negative=allow_negative,
        full_output=full_output)
    noise_b, n_b = np.broadcast_arrays(noise, n)
    if dps is not None:
        from ._mp_optimal import overfitting_result

        return overfitting_result(levels, tpow, noise_b, n_b, allow_negative, dps)
    kappa0 = kappa_on_levels(levels, n_b, 0.0)
    zero = np.zeros(noise_b.shape)
    ridgeless = risk_from_kappa(levels, tpow, noise_b, n_b, zero, kappa0)
    best = optimal_on_levels(levels, tpow, noise_b, n_b, allow_negative)
    rstar, optimal = best
    t0 = np.asarray(ridgeless.test, dtype=np.float64)
    topt, cost = overfitting_cost_parts(NUMPY, t0, np.asarray(optimal.test, dtype=np.float64))
    return OverfittingCost(_s(cost), _s(rstar), _s(t0), _s(topt), ridgeless.E0, ridgeless, optimal, best.status)


def agnostic_bound(eigs, n):
    r"""``E₀(ridge → 0⁺) = n/(n - df2(κ₀))``: the target-free upper bound on the cost of overfitting.

    Zhou et al. 2024 (ICLR, arXiv:2306.13185): ``C ≤ E₀(0)`` for every task
    and noise level, with equality for pure noise. ``κ₀`` solves
    ``df1(κ₀) = n`` (``κ₀ = 0`` and ``E₀ = n/(n - rank)`` when ``n > rank``;
    ``+inf`` at ``n = rank``). Broadcast over ``n``.
    """
    levels, n = validate("agnostic_bound", eigs=eigs, n=n)
    kappa0 = kappa_on_levels(levels, n, 0.0)
    zero = np.zeros(np.shape(n))
    return risk_from_kappa(levels, np.zeros(levels.all_vals.size), zero, n, zero, kappa0).E0


@dataclass(frozen=True, eq=False, repr=False)
class OverfittingRegime(TupleFields):
    """Classification of ridgeless overfitting by the ``n → ∞`` behaviour of ``E₀(0)``.

    Attributes
    ----------
    regime : ``"benign"`` (E₀ → 1), ``"tempered"`` (E₀ → finite > 1) or ``"catastrophic"`` (E₀ → ∞).
    n, E0 : the sample sizes and the ridgeless ``E₀(n)`` the decision is based on.
    growth_per_decade : ``((E₀(n_j) - 1)/(E₀(n_{j-1}) - 1))^{1/log10(n_j/n_{j-1})}`` between consecutive sizes.
    limit : estimate of ``lim E₀``: 1, ``E₀`` at the largest ``n``, or ``inf``.
    closed_form_limit : ``α`` for an infinite ``PowerLaw(alpha)`` (Mallinar et al.), 1 for a fixed finite
        spectrum, ``None`` for a family.
    rule : the decision rule, in words.
    """

    _summary = ("regime", "limit", "closed_form_limit")
    _tuple = ("regime", "n", "E0", "growth_per_decade", "limit", "closed_form_limit", "rule")

    regime: str
    n: np.ndarray
    E0: np.ndarray
    growth_per_decade: np.ndarray
    limit: float
    closed_form_limit: float | None
    rule: str


def overfitting_regime(eigs=None, n=None, *, tol: float = 0.02, spectrum=None) -> OverfittingRegime:
    r"""Benign / tempered / catastrophic, from ridgeless ``E₀(n)`` on a growing ``n`` grid.

    With fixed noise ``σ² > 0`` and a finite-norm target the tuned risk tends
    to ``σ²``, so ``lim C = lim E₀(0)`` (Zhou et al. 2024) and the class of
    Mallinar et al. (2022) is that of ``E₀(0) - 1``: → 0 benign, → a finite
    positive value tempered, → ∞ catastrophic.

    Parameters
    ----------
    eigs : array_like, Spectrum, PowerLaw, or callable
        A fixed spectrum (an infinite ``PowerLaw`` is the typical case), or a
        *family* ``n ↦ spectrum`` (e.g. dimension growing with ``n``: an
        isotropic ``D = 2n`` is tempered, ``D = n²`` benign). A fixed
        *finite* spectrum of rank ``r`` is benign whatever the grid: for
        ``n > r`` the ridgeless ``E₀ = n/(n - r) → 1`` (the ridgeless risk
        tends to the noise).
    n : array_like, optional
        Increasing sample sizes (at least 2; the classification reads the last two); default ``10, 10², …, 10⁶``.
    tol : float
        Decision threshold on the per-decade growth factor ``g`` of
        ``E₀ - 1`` between the two largest sizes: ``g > 1 + tol`` catastrophic,
        ``g < 1 - tol`` benign, otherwise tempered.

    Returns
    -------
    OverfittingRegime
        The class and the numbers it is based on. A heuristic from finite
        ``n`` (slow logarithmic trends need larger ``n``); for
        ``λ_k = k^-α`` the closed form ``E₀ → α`` (tempered) is reported too,
        and for a fixed finite spectrum the exact limit 1 (benign).
    spectrum
        Deprecated name of ``eigs`` (a ``DeprecationWarning``).

    Examples
    --------
    >>> from rmt.spectra import PowerLaw
    >>> r = overfitting_regime(PowerLaw(1.5))
    >>> r.regime, round(r.limit, 4), r.closed_form_limit
    ('tempered', 1.5, 1.5)
    """
    if spectrum is not None:
        if eigs is not None:
            raise ValueError("eigs must be given once: pass eigs (spectrum is its deprecated name), not both")
        warnings.warn("overfitting_regime(spectrum=...) is deprecated; the argument is now called eigs",
                      DeprecationWarning, stacklevel=2)
        eigs = spectrum
    if eigs is None:
        raise ValueError("eigs must be a spectrum or a callable n -> spectrum; got None")
    spectrum = eigs
    n, tol = validate("overfitting_regime", n=np.geomspace(10, 1e6, 6) if n is None else n, tol=tol)
    n, tol = np.asarray(n, dtype=np.float64), float(tol)
    if n.ndim != 1 or n.size < 2 or not (np.diff(n) > 0).all():
        raise ValueError(f"n must be an increasing 1-D array of at least 2 sample sizes; got {n!r}")
    family: Callable = spectrum if callable(spectrum) else (lambda _n: spectrum)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # E0 = inf at n = rank is a legitimate answer here
        E0 = np.array([float(agnostic_bound(family(float(k)), float(k))) for k in n])
    excess = E0 - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = (excess[1:] / excess[:-1]) ** (1.0 / np.log10(n[1:] / n[:-1]))
    g = growth[-1]
    if np.isinf(E0[-1]) or (np.isfinite(g) and g > 1.0 + tol) or (excess[-2] == 0 and excess[-1] > 0):
        regime, limit = "catastrophic", np.inf
    elif excess[-1] == 0 or g < 1.0 - tol:
        regime, limit = "benign", 1.0
    else:
        regime, limit = "tempered", float(E0[-1])
    closed = None
    rule = (
        f"per-decade growth g of E0(0) - 1 between n = {n[-2]:g} and {n[-1]:g}: "
        f"g > {1 + tol:g} catastrophic, g < {1 - tol:g} benign, else tempered (g = {g:.4g})"
    )
    if not callable(spectrum) and getattr(spectrum, "infinite", False) and hasattr(spectrum, "head_size"):
        # λ_k = k^-α: E₀(0) → α exactly (Mallinar et al. 2022); the closed form decides, since the
        # finite-n trend of E₀ - 1 can be too slow to read (α → 1⁺ converges like n^{1-α}).
        closed = float(spectrum.alpha)
        regime, limit = "tempered", closed
        rule = f"closed form for a power law: E0(0) -> alpha = {closed:g} (tempered); finite-n {rule}"
    elif not callable(spectrum):
        # a fixed finite spectrum of rank r: n → ∞ passes the rank, E₀(0) = n/(n - r) → 1 and the
        # ridgeless risk tends to the noise, whatever the grid shows below the rank
        rank = prepare(spectrum).rank
        closed = 1.0
        regime, limit = "benign", 1.0
        rule = (f"finite spectrum of rank {rank:g}: for n > rank E0(0) = n/(n - rank) -> 1 (benign); "
                f"finite-n {rule}")
    return OverfittingRegime(regime, n, E0, growth, limit, closed, rule)
