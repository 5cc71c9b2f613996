# SPDX-License-Identifier: BSD-3-Clause
r"""The one-point deterministic equivalent of the sample covariance.

For ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``, ``n`` samples and ``Σ̂ = XᵀX/n``,

.. math::

    \mathrm{ridge}\,(\hat\Sigma + \mathrm{ridge})^{-1} \simeq \kappa\,(\Sigma + \kappa)^{-1},
    \qquad \kappa = \mathrm{ridge} + \frac{\kappa}{n}\,\mathrm{df}_1(\kappa),
    \qquad \mathrm{df}_1(\kappa) = \sum_k \frac{\lambda_k}{\lambda_k + \kappa},

the renormalized ridge κ (Bach 2023 eq. for ``λ = κ(1 - df1/n)``; Atanasov,
Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592; Simon et al. 2021,
arXiv:2110.03922, where it is written ``Σ λ/(λ+κ) + δ/κ = n`` with ``δ = n·ridge``).

This module holds the plain-Python entry points: they validate, broadcast and
dispatch to a backend (``"numba"``, the default, compiled in
:mod:`._kernels`; ``"mpmath"``, arbitrary precision, :mod:`._mp`; ``"sympy"``,
exact roots for few-level spectra, :mod:`.symbolic`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._arrays import broadcast_shape, flat_broadcast, scalar_or_array
from .._results import ResultFields, TupleFields
from .._validation import as_levels, as_nonnegative, as_target_power, validate
from .._kernels import onepoint as K
from .._kernels import optimal as _KO
from .._kernels import sums as _S
from .._kernels import tail as T
from .._kernels.sums import B0, DD, DF1, DF2, NMOM, SL, SL2, SV, SVP, X1, X2, W  # noqa: F401  (moment columns)
from .._kernels.sums import T as TV  # noqa: F401  (Σ v² L(1-L))

__all__ = [
    "ConvergenceError",
    "KappaSolution",
    "solve_kappa",
    "ridge_edge",
    "ridge_from_kappa",
    "df1",
    "df2",
    "learnabilities",
    "stieltjes",
    "spectral_density",
    "SpectralDensity",
    "RidgeEdge",
]

STATUS_CONVERGED = K.STATUS_CONVERGED
#: Per-point status beyond the solver's own codes (the kernels never produce these).
STATUS_ILL_CONDITIONED = 3
STATUS_INFINITE_E0 = 4

#: The meaning of every per-point ``status`` code of a solved result (``KappaSolution``, ``RidgeRisk``, ...).
STATUS_NAMES = {
    K.STATUS_CONVERGED: "converged",
    K.STATUS_NOT_CONVERGED: "not converged",
    K.STATUS_BELOW_EDGE: "ridge below the admissible edge",
    STATUS_ILL_CONDITIONED: "ill-conditioned: |d log kappa / d log n| = E0·df1/n > 1e9, so one float64 step of n "
    "moves the answer by more than 1e9·eps relative (n at the interpolation threshold with a vanishing ridge)",
    STATUS_INFINITE_E0: "E0 = n/(n - df2) is infinite: the variance diverges (ridgeless at n = rank, or at the edge)",
}

#: Points where ``E0·df1/n`` exceeds this are reported ``STATUS_ILL_CONDITIONED``.
ILL_CONDITIONED = 1e9


def point_status(E0, d1, n, status=None) -> np.ndarray:
    """Per-point status of a solved κ from its ``E0``, ``df1`` and ``n`` (all broadcast to one shape).

    ``status`` (the solver's codes) is kept where it is not ``converged``;
    converged points become :data:`STATUS_INFINITE_E0` where ``E0 = inf`` and
    :data:`STATUS_ILL_CONDITIONED` where ``E0·df1/n > ILL_CONDITIONED``
    (``d log κ / d log n`` at fixed ridge, Bach 2023).
    """
    E0 = np.asarray(E0, dtype=np.float64)
    out = np.zeros(E0.shape, dtype=np.int64) if status is None else np.array(status, dtype=np.int64, copy=True)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        cond = np.where(np.isfinite(E0), E0 * np.asarray(d1, dtype=np.float64) / n, 0.0)
    ok = out == K.STATUS_CONVERGED
    out[ok & (cond > ILL_CONDITIONED)] = STATUS_ILL_CONDITIONED
    out[ok & np.isinf(E0)] = STATUS_INFINITE_E0
    return out

_RTOL = 1e-14
_MAXITER = 400


class ConvergenceError(RuntimeError):
    """A root-finder did not meet its tolerance at some grid point."""


_NO_TAIL = np.zeros(0)


class Levels(NamedTuple):
    """A validated spectrum prepared for the kernels.

    For an infinite power law the arrays hold the ``M`` explicit head modes
    and ``tail`` describes the modes ``k > M`` (layout in
    :mod:`rmt._kernels.tail`; empty for a finite spectrum). ``D`` and
    ``rank`` are then ``inf``.
    """

    vals: np.ndarray  # positive eigenvalue levels, sorted descending
    mult: np.ndarray  # their multiplicities
    D: float  # total number of modes (zero eigenvalues included)
    rank: float  # number of modes with a positive eigenvalue
    all_vals: np.ndarray  # every level, in the caller's order
    all_mult: np.ndarray
    tail: np.ndarray = _NO_TAIL  # analytic power-law tail (length 0 or T.TAIL_SIZE)
    # equal eigenvalues merged (ascending distinct values, summed multiplicities) and the map from the
    # caller's levels to them: the spectral sums run over distinct values (merge_task sums the target power)
    sum_vals: np.ndarray | None = None
    sum_mult: np.ndarray | None = None
    inverse: np.ndarray | None = None

    @property
    def infinite(self) -> bool:
        return self.tail.size > 0

    def merged(self, tpow=None):
        """``(values, multiplicities, target power)`` with equal eigenvalues merged, for the spectral sums.

        Summing ``m·f(λ)`` once per distinct ``λ`` instead of once per copy is
        exact and avoids the rounding of long sums (a 10⁶-mode spectrum of two
        repeated values is two terms). ``tpow`` is per caller level; merged
        levels get the sum of their target powers.
        """
        if self.inverse is None:
            return self.all_vals, self.all_mult, tpow
        t = None if tpow is None else _group_sums(self.inverse, tpow, self.sum_vals.size)
        return self.sum_vals, self.sum_mult, t

    def trace(self) -> float:
        """``Σ_k λ_k`` (tail included)."""
        return float(self.vals @ self.mult) + T.tail_trace(self.tail)

    def target_total(self, tpow) -> float:
        """``Σ_k v_k²``: head ``tpow`` plus the target's tail."""
        return float(np.sum(tpow)) + T.tail_target_total(self.tail)


def _group_sums(inverse: np.ndarray, x: np.ndarray, size: int) -> np.ndarray:
    """``out[g] = Σ_{i: inverse[i] = g} x[i]``, pairwise-summed within large groups (error ~ eps·log N)."""
    order = np.argsort(inverse, kind="stable")
    xs = np.asarray(x, dtype=np.float64)[order]
    counts = np.bincount(inverse, minlength=size)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out = np.add.reduceat(xs, starts) if xs.size else np.zeros(size)
    for g in np.flatnonzero(counts > 64):  # np.sum is pairwise on a contiguous slice
        out[g] = np.sum(xs[starts[g] : starts[g] + counts[g]])
    return np.where(counts > 0, out, 0.0)


def _is_infinite(x) -> bool:
    return getattr(x, "infinite", False) is True and hasattr(x, "head_size")


def prepare(eigs, name: str = "eigs", *, allow_tail: bool = False, head: int = 0) -> Levels:
    """Validate a spectrum and keep its positive levels sorted for the kernels.

    Equal eigenvalues are merged into one level (multiplicities summed) for the
    solver (``vals``, ``mult``) and for the spectral sums (:meth:`Levels.merged`);
    ``all_vals``, ``all_mult`` keep the caller's levels and order.

    An infinite :class:`rmt.spectra.PowerLaw` is accepted only by callers
    that pass ``allow_tail=True`` (those that thread ``Levels.tail`` through
    every sum); it keeps ``max(head_size, head)`` explicit modes. Everywhere
    else it raises a ``ValueError`` instead of being silently truncated.
    """
    if _is_infinite(eigs):
        if not allow_tail:
            raise ValueError(
                f"{name} = {eigs!r} has infinitely many modes and this function needs a finite spectrum; "
                f"pass PowerLaw(alpha, scale, size=D) (solve_kappa, ridge_edge, df1, df2, ridge_risk, "
                f"kernel_ridge_risk, optimal_ridge and overfitting_cost accept size=None)"
            )
        M = max(int(eigs.head_size), int(head))
        vals = np.ascontiguousarray(eigs.head(M))
        ones = np.ones(M)
        tail = np.array([M, eigs.alpha, eigs.scale, 0.0, 0.0])
        return Levels(vals, ones, np.inf, np.inf, vals, ones, tail)
    values, mult = as_levels(eigs, name)
    uniq, inverse = np.unique(values, return_inverse=True)
    umult = np.bincount(inverse, weights=mult, minlength=uniq.size)
    pos = uniq > 0
    vals = np.ascontiguousarray(uniq[pos][::-1])  # distinct positive levels, descending
    m = np.ascontiguousarray(umult[pos][::-1])
    merged = uniq.size < values.size
    return Levels(vals, m, float(mult.sum()), float(m.sum()), values, mult, _NO_TAIL,
                  *((np.ascontiguousarray(uniq), np.ascontiguousarray(umult), inverse.ravel()) if merged else ()))


def prepare_task(eigs, target_power, *, eigs_name: str = "eigs", target_name: str = "target_power"):
    """Validate a spectrum and a task together: ``(Levels, head target power per level)``.

    Rules for an infinite ``eigs`` (``PowerLaw(alpha, size=None)``):

    * ``target_power`` an infinite ``PowerLaw(beta, t)``: ``v_k² = t k^-β`` on
      every mode, the tail carried in ``Levels.tail``;
    * a finite array (or finite ``PowerLaw``) of length ``L``: the power of
      modes ``1..L``, zero beyond (the head is enlarged to ``L`` if needed);
    * a scalar: only ``0`` (a pure-noise task) — any other constant has
      infinite variance.

    A finite ``eigs`` takes what :func:`rmt._validation.as_target_power`
    accepts (an infinite ``PowerLaw`` task is evaluated on its levels).
    """
    if not _is_infinite(eigs):
        levels = prepare(eigs, eigs_name)
        return levels, as_target_power(target_power, levels.all_vals.size, target_name)
    if _is_infinite(target_power):
        levels = prepare(eigs, eigs_name, allow_tail=True)
        tpow = np.ascontiguousarray(target_power.head(levels.all_vals.size))
        tail = levels.tail.copy()
        tail[T.TAIL_BETA] = target_power.alpha
        tail[T.TAIL_TSCALE] = target_power.scale
        return levels._replace(tail=tail), tpow
    if np.ndim(target_power) == 0 and not hasattr(target_power, "at_levels"):
        value = float(as_nonnegative(target_power, target_name))
        if value != 0.0:
            raise ValueError(
                f"{target_name} must be 0 (pure noise), an array or a PowerLaw when eigs is an infinite power law "
                f"(a constant power on infinitely many modes has infinite variance); got {value!r}"
            )
        levels = prepare(eigs, eigs_name, allow_tail=True)
        return levels, np.zeros(levels.all_vals.size)
    if hasattr(target_power, "at_levels"):
        target_power = target_power.eigs
    arr = np.asarray(as_target_power(target_power, np.size(target_power), target_name))
    levels = prepare(eigs, eigs_name, allow_tail=True, head=arr.size)
    tpow = np.zeros(levels.all_vals.size)
    tpow[: arr.size] = arr
    return levels, tpow


def spectral_moments(lv: Levels, tpow, kappa, full: bool = True) -> np.ndarray:
    r"""The one-κ spectral moments at each real κ: an array of shape ``kappa.shape + (NMOM,)``.

    Columns (indices ``DF1, DF2, DD, W, SL, SL2, X1, B0, SV, SVP, TV, X2`` of this
    module), with ``L = λ/(λ+κ)`` and ``v² = tpow``: ``Σ L``, ``Σ L²``,
    ``Σ L(1-L)``, ``Σ_{λ>0} (1-L)``, ``Σ λ²/(λ+κ)³``, ``Σ λ²/(λ+κ)⁴``,
    ``Σ L²(1-L)``, ``Σ v²(1-L)²``, ``Σ v² κλ/(λ+κ)³``, ``Σ v² λ(λ-2κ)/(λ+κ)⁴``,
    ``Σ v² L(1-L)``, ``Σ v² L(1-L)²`` (multiplicities included, equal eigenvalues
    merged, the power-law tail added), each summed over positive terms in one
    compiled pass per κ (:func:`rmt._kernels.sums.moments_grid`). A zero
    eigenvalue has ``L = 0``; ``κ = 0`` gives ``L = 1`` on positive modes and
    ``κ = +inf`` gives ``L = 0``; ``κ`` must exceed ``-min(positive eigs)``.
    ``full=False`` sums only ``DF1, DF2, DD, W, SL, B0, SV, TV`` (a cheaper pass; the
    other columns are then 0).
    """
    kf = np.ascontiguousarray(np.asarray(kappa, dtype=np.float64).ravel())
    out = np.empty((kf.size, NMOM))
    _S.moments_grid(*_moment_levels(lv, tpow), lv.tail, kf, bool(full), out)
    return out.reshape(np.shape(kappa) + (NMOM,))


def _moment_levels(lv: Levels, tpow):
    """``(vals, mult, tpow, b0_zero)`` of the positive merged levels, laid out for the moments kernels."""
    vals, mult, t = lv.merged(np.asarray(tpow, dtype=np.float64))
    pos = vals > 0
    return (np.ascontiguousarray(vals[pos]), np.ascontiguousarray(mult[pos]), np.ascontiguousarray(t[pos]),
            float(np.sum(t[~pos])))


FOC_RIDGE = _KO.FOC_RIDGE  # first-order condition of the ridge path (test = n(B0 + σ²)/(n - df2))
FOC_RF = _KO.FOC_RF  # first-order condition of the random-feature path (in γ)


def path_condition(lv: Levels, cond, rows, kappa, par) -> np.ndarray:
    """The first-order condition ``cond`` (``FOC_RIDGE`` or ``FOC_RF``) at moments ``rows`` taken at ``kappa``.

    ``par[i] = (n, noise, p, c)``: an (N, 4) float array (``p, c`` unused by the
    ridge condition). See :mod:`rmt._kernels.optimal` for the formulas.
    """
    out = np.empty(np.size(kappa))
    _KO.foc_grid(int(cond), np.ascontiguousarray(rows, dtype=np.float64), np.ascontiguousarray(kappa, dtype=np.float64),
                 np.ascontiguousarray(par, dtype=np.float64), float(lv.rank), out)
    return out


def path_root(lv: Levels, tpow, cond, par, lo, hi, f_lo, f_hi, rtol: float = 1e-14, maxiter: int = 100):
    """Bracketed root of the first-order condition ``cond`` in ``log κ`` per point (compiled, in parallel).

    ``lo, hi``: κ brackets (``0 < lo < hi``) with ``F(lo) < 0 < F(hi)``, whose values
    ``f_lo, f_hi`` start the iteration. Returns ``(kappa, status, evaluations,
    rows)``, ``rows`` the moments (:func:`spectral_moments`) at the returned κ.
    """
    vals, mult, t, b0_zero = _moment_levels(lv, tpow)
    P = np.size(lo)
    kappa = np.empty(P)
    status = np.empty(P, dtype=np.int64)
    evals = np.empty(P, dtype=np.int64)
    rows = np.empty((P, NMOM))
    f = [np.ascontiguousarray(x, dtype=np.float64) for x in (np.log(lo), np.log(hi), f_lo, f_hi)]
    _KO.refine_grid(int(cond), vals, mult, t, b0_zero, lv.tail, float(lv.rank),
                    np.ascontiguousarray(par, dtype=np.float64), *f, rtol, maxiter, kappa, status, evals, rows)
    return kappa, status, evals, rows


@dataclass(frozen=True, eq=False, repr=False)
class KappaSolution(ResultFields):
    """κ on a broadcast grid with its per-point solver report.

    Attributes
    ----------
    kappa : ndarray
        The renormalized ridge.
    status : ndarray of int
        0 converged, 1 not converged, 2 ridge below the admissible edge,
        3 ill-conditioned (converged, but ``E0·df1/n > 1e9``: one float64 step of
        ``n`` moves κ by more than ``1e9·eps`` relative), 4 converged with
        ``E0 = inf`` (ridgeless at ``n = rank``); ``rmt.resolvent.onepoint.STATUS_NAMES``
        says it in words.
    evaluations : ndarray of int
        Passes over the spectrum spent on each point.
    """

    _summary = ("kappa", "status", "evaluations")

    kappa: np.ndarray
    status: np.ndarray
    evaluations: np.ndarray

    @property
    def converged(self) -> np.ndarray:
        return self.status == K.STATUS_CONVERGED


@dataclass(frozen=True, eq=False, repr=False)
class RidgeEdge(TupleFields):
    """The admissible edge of the ridge path; unpacks as ``kappa_edge, ridge_min = rmt.ridge_edge(eigs, n)``.

    Attributes
    ----------
    kappa_edge : ndarray
        ``κ_e`` with ``df2(κ_e) = n``.
    ridge_min : ndarray
        ``κ_e (1 - df1(κ_e)/n)``, the most negative admissible ridge.
    n : ndarray
        The argument.
    """

    _summary = ("kappa_edge", "ridge_min")
    _tuple = ("kappa_edge", "ridge_min")

    kappa_edge: np.ndarray
    ridge_min: np.ndarray
    n: np.ndarray


def ridge_edge(eigs, n):
    r"""The most negative admissible ridge for ``n`` samples.

    The map ``κ ↦ ridge = κ (1 - df1(κ)/n)`` is increasing exactly where
    ``df2(κ) < n``; its minimum is at the edge ``κ_e`` with ``df2(κ_e) = n``,
    where the overfitting coefficient ``E₀ = n/(n - df2)`` diverges. Below
    ``ridge_min = κ_e (1 - df1(κ_e)/n)`` the deterministic equivalent has no
    solution (the ridge passes the smallest eigenvalue of Σ̂'s bulk). For an
    isotropic spectrum ``ridge_min = -(1 - sqrt(D/n))²``, minus the
    Marchenko–Pastur edge.

    Returns
    -------
    RidgeEdge
        ``(kappa_edge, ridge_min)``, broadcast over ``n``. ``κ_e > 0`` for ``n < rank``, ``κ_e ∈ (-λ_min, 0)``
        for ``n > rank``, and both are 0 at ``n = rank``.
    """
    lv, n = validate("ridge_edge", eigs=eigs, n=n)
    shape, (nf,) = flat_broadcast(n)
    ke, rmin = edge_levels(lv, nf)
    return RidgeEdge(scalar_or_array(ke, shape), scalar_or_array(rmin, shape), scalar_or_array(nf, shape))


def edge_levels(lv: Levels, nf: np.ndarray):
    """:func:`ridge_edge` on prepared levels and a flat float64 ``n``."""
    ke = np.empty_like(nf)
    rmin = np.empty_like(nf)
    status = np.empty(nf.shape, dtype=np.int64)
    K.edge_grid(lv.vals, lv.mult, lv.tail, nf, _RTOL, _MAXITER, ke, rmin, status)
    _raise_unconverged(status, "ridge_edge")
    return ke, rmin


def solve_levels(lv: Levels, nf: np.ndarray, rf: np.ndarray):
    """κ on prepared levels for flat float64 ``n``, ``ridge`` (compiled solver).

    Returns ``(kappa, status, evaluations)``; raises ``ValueError`` for a ridge
    below the admissible edge and :class:`ConvergenceError` if a point did not
    converge.
    """
    kappa = np.empty_like(nf)
    status = np.empty(nf.shape, dtype=np.int64)
    evals = np.empty(nf.shape, dtype=np.int64)
    K.solve_grid(lv.vals, lv.mult, lv.tail, nf, rf, _RTOL, _MAXITER, kappa, status, evals)
    _solve_overflowing_delta(lv, nf, rf, kappa, status, evals)
    return kappa, status, evals


def _solve_overflowing_delta(lv: Levels, nf, rf, kappa, status, evals, iters: int = 60):
    """κ where ``n·ridge`` (Simon et al.'s δ) overflows float64, by the contraction ``κ ← ridge/(1 - df1(κ)/n)``.

    The compiled solver works with ``δ = n·ridge``, which is ``inf`` beyond
    1.8e308. There ``df1(κ)/n ≤ tr Σ/(n·ridge)`` is negligible for every
    spectrum float64 can hold, the map contracts with ratio about ``df1/n``
    and converges in a few steps. A point where it does not (``df1/n`` not
    small) is reported ``not converged``.
    """
    with np.errstate(over="ignore"):
        sel = np.flatnonzero((rf > 0) & np.isfinite(rf) & ~np.isfinite(nf * rf))
    if sel.size == 0:
        return
    n, r = nf[sel], rf[sel]
    k = r.copy()
    d1 = np.empty_like(k)
    d2 = np.empty_like(k)
    done = np.zeros(k.shape, dtype=bool)
    for _ in range(iters):
        K.df12_grid(lv.vals, lv.mult, lv.tail, k, d1, d2)
        frac = d1 / n
        new = np.where(frac < 0.5, r / (1.0 - frac), np.nan)
        done = np.abs(new - k) <= 1e-15 * np.abs(new)
        k = np.where(np.isfinite(new), new, k)
        if done.all() or not np.isfinite(new).all():
            break
    kappa[sel] = k
    status[sel] = np.where(done, K.STATUS_CONVERGED, K.STATUS_NOT_CONVERGED)
    evals[sel] += iters


def _raise_unconverged(status, what):
    bad = status == K.STATUS_NOT_CONVERGED
    if bad.any():
        raise ConvergenceError(f"{what}: the root-finder did not converge at {int(bad.sum())} grid point(s)")


def solve_kappa(eigs, n, ridge=0.0, *, method: str = "numba", full_output: bool = False, dps: int = 50):
    r"""Renormalized ridge κ for population spectrum ``eigs``, ``n`` samples and ``ridge``.

    Solves

    .. math:: \kappa = \mathrm{ridge} + \frac{\kappa}{n}\sum_k\frac{\lambda_k}{\lambda_k+\kappa}

    on the branch where ``df2(κ) < n`` (the one continuous in the ridge and
    with ``κ → +∞`` as ``ridge → +∞``), broadcasting ``n`` and ``ridge``.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population eigenvalues, finite and ≥ 0 (zeros allowed). An infinite
        ``PowerLaw(alpha, scale)`` has its tail summed analytically (rank = ∞,
        so the ridgeless κ₀ is always positive).
    n : array_like
        Number of samples, > 0 (real values allowed).
    ridge : array_like
        Per-sample ridge (docs/conventions.md: ``ŵ = (Σ̂ + ridge)⁻¹ Xᵀy/n``). ``0`` is the
        limit ``ridge → 0⁺``; ``+inf`` gives κ = +inf; negative values are
        allowed down to :func:`ridge_edge`.
    method : {"numba", "mpmath", "sympy"}
        ``"numba"``: compiled safeguarded Newton (relative tolerance 1e-14 on κ,
        residual verified). ``"mpmath"``: the referee, ``dps`` decimal digits
        (an integer >= 15), returns ``mpf`` objects in an object array; each
        root's residual is verified at that precision (an infinite ``PowerLaw``
        has its tail summed by ``mpmath.sumem``: ~1-5 s per point). ``"sympy"``: exact
        polynomial roots for spectra with at most 4 distinct levels.
    full_output : bool
        Return a :class:`KappaSolution` with per-point ``status`` and
        ``evaluations`` instead of raising on non-convergence.

    Returns
    -------
    kappa : float or ndarray (or KappaSolution)

    Raises
    ------
    ValueError
        Bad input, or a ridge below the admissible edge for its ``n``.
    ConvergenceError
        A point did not converge (never observed; reported rather than hidden).

    Notes
    -----
    Ridgeless branches are explicit: for ``n < rank``, κ₀ solves
    ``df1(κ₀) = n``; for ``n ≥ rank``, κ = 0. For ``ridge > 0`` the root of
    ``1 - ridge/κ - df1(κ)/n`` (increasing in κ) is found in ``log κ`` within
    ``[max(ridge, κ_lo), ridge + tr Σ / n]``; for ``ridge < 0`` the root of
    ``κ(1 - df1/n) = ridge`` (increasing, convex) within ``[κ_e, κ₀]``.

    Examples
    --------
    >>> import rmt
    >>> float(rmt.solve_kappa([1.0] * 300, 100, 0.75))   # isotropic, δ = n·ridge = 75: κ = 3
    3.0000000000000004
    """
    lv, n, ridge, method, full_output, dps = validate("solve_kappa", eigs=eigs, n=n, ridge=ridge, method=method,
                                                      full_output=full_output, dps=dps)
    shape, (nf, rf) = flat_broadcast(n, ridge, names=("n", "ridge"))
    if lv.infinite and method == "sympy":
        raise ValueError(f"method must be 'numba' or 'mpmath' for an infinite spectrum; got {method!r}")
    if method == "numba":
        kappa, status, evals = solve_levels(lv, nf, rf)
    elif method == "mpmath":
        from . import _mp

        kappa, status, evals = _mp.solve_grid(lv, nf, rf, _mp.as_dps(dps))
    elif method == "sympy":
        from . import symbolic

        kappa, status, evals = symbolic.solve_grid(lv, nf, rf)
    _raise_below_edge(lv, nf, rf, status)
    if full_output:
        if method == "numba":
            status = _conditioning(lv, nf, kappa, status)
        return KappaSolution(scalar_or_array(kappa, shape), scalar_or_array(status, shape), scalar_or_array(evals, shape))
    _raise_unconverged(status, "solve_kappa")
    return scalar_or_array(kappa, shape)


def _conditioning(lv, nf, kappa, status):
    """The solver's status with ill-conditioned / infinite-E0 points marked (one more pass over the spectrum)."""
    d1 = np.empty_like(kappa)
    d2 = np.empty_like(kappa)
    kk = np.where(np.isfinite(kappa), kappa, 0.0)
    K.df12_grid(lv.vals, lv.mult, lv.tail, np.ascontiguousarray(kk), d1, d2)
    with np.errstate(divide="ignore", invalid="ignore"):
        E0 = np.where(np.isfinite(kappa), nf / (nf - d2), 1.0)
    E0 = np.where(E0 < 0, np.inf, E0)
    return point_status(E0, np.where(np.isfinite(kappa), d1, 0.0), nf, status)


def _raise_below_edge(lv, nf, rf, status):
    below = status == K.STATUS_BELOW_EDGE
    if below.any():
        i = int(np.flatnonzero(below)[0])
        _, rmin = edge_levels(lv, nf[i : i + 1])
        raise ValueError(
            f"ridge must be >= the admissible edge ridge_min(n) (where df2(kappa) = n); "
            f"got ridge={float(rf[i])!r} < ridge_min={float(rmin[0])!r} at n={float(nf[i])!r}"
        )


def kappa_on_levels(lv: Levels, n, ridge) -> np.ndarray:
    """κ for prepared levels and validated, broadcastable ``n``, ``ridge`` (shape of their broadcast).

    The compiled path of :func:`solve_kappa` for callers that already hold
    :class:`Levels` (the risk layer); same errors.
    """
    shape, (nf, rf) = flat_broadcast(n, ridge, names=("n", "ridge"))
    kappa, status, _ = solve_levels(lv, nf, rf)
    _raise_below_edge(lv, nf, rf, status)
    _raise_unconverged(status, "solve_kappa")
    return kappa.reshape(shape)


def ridge_from_kappa(eigs, n, kappa):
    """The ridge that produces renormalized ridge ``kappa``: ``κ (1 - df1(κ)/n)``.

    The inverse of :func:`solve_kappa` on the admissible branch; used to
    parameterize ridge paths by κ (Bach 2023; ``δ = κ(n - df1)`` in Simon et al.).
    """
    n, kappa_checked = validate("ridge_from_kappa", n=n, kappa=kappa)
    broadcast_shape(n, kappa_checked, names=("n", "kappa"))
    d1 = df1(eigs, kappa)
    kappa = np.asarray(kappa, dtype=np.float64)
    kappa_edge = np.asarray(ridge_edge(eigs, n)[0])
    below = kappa < kappa_edge - 1e-12 * np.abs(kappa_edge)
    if below.any():
        i = np.unravel_index(np.argmax(np.broadcast_to(below, np.broadcast(kappa, kappa_edge).shape)),
                             np.broadcast(kappa, kappa_edge).shape)
        ke, kk = np.broadcast_to(kappa_edge, below.shape)[i], np.broadcast_to(kappa, below.shape)[i]
        raise ValueError(
            f"kappa must be >= the admissible edge kappa_e(n) where df2 = n ({float(ke)!r} here); "
            f"got {float(kk)!r}: below the edge the map is not the inverse of solve_kappa"
        )
    with np.errstate(invalid="ignore"):
        out = np.where(np.isinf(kappa), np.inf, kappa * (1.0 - d1 / n))
    return out[()] if out.ndim == 0 else out


def _df(eigs, kappa, which, method="numba", dps=50):
    from . import _mp

    dps = _mp.as_method(method, dps)
    lv, kappa = validate("df1" if which == 1 else "df2", eigs=eigs, kappa=kappa)
    if lv.infinite and (kappa <= 0).any():
        raise ValueError(f"kappa must be > 0 for an infinite spectrum (df1, df2 diverge at 0); got {kappa.min()!r}")
    if (kappa < 0).any():
        lam_min = lv.vals[-1]
        if (kappa <= -lam_min).any():
            raise ValueError(f"kappa must be > -min(positive eigs) = {-lam_min!r}; got {kappa.min()!r}")
    shape, (kf,) = flat_broadcast(kappa)
    if dps is not None:
        from ._mp_sums import df_grid

        return scalar_or_array(df_grid(lv, kf, f"df{which}", dps), shape)
    d1 = np.empty_like(kf)
    d2 = np.empty_like(kf)
    K.df12_grid(lv.vals, lv.mult, lv.tail, kf, d1, d2)
    return scalar_or_array(d1 if which == 1 else d2, shape)


def df1(eigs, kappa, *, method: str = "numba", dps: int = 50):
    r"""First degrees of freedom ``df1(κ) = Σ_k λ_k/(λ_k+κ)`` (unnormalized), broadcast over κ.

    ``method="mpmath"``: the sum by ``mpmath.fsum`` at ``dps`` digits (an
    integer >= 15; an infinite ``PowerLaw`` tail by ``mpmath.sumem``), returned
    as ``mpf`` (object arrays on a grid).
    """
    return _df(eigs, kappa, 1, method, dps)


def df2(eigs, kappa, *, method: str = "numba", dps: int = 50):
    r"""Second degrees of freedom ``df2(κ) = Σ_k λ_k²/(λ_k+κ)²`` (unnormalized), broadcast over κ.

    ``method``, ``dps``: as in :func:`df1`.
    """
    return _df(eigs, kappa, 2, method, dps)


def learnabilities(eigs, kappa):
    r"""Per-mode learnabilities ``L_k = λ_k/(λ_k+κ)`` (Simon et al. 2021), shape ``kappa.shape + (len(eigs),)``.

    Zero eigenvalues have ``L_k = 0``; at κ = 0 positive modes have ``L_k = 1``.
    """
    (values, _), kappa = validate("learnabilities", eigs=eigs, kappa=kappa)
    lam_min = values[values > 0].min()
    if (kappa <= -lam_min).any():
        raise ValueError(f"kappa must be > -min(positive eigs) = {float(-lam_min)!r}; got {float(kappa.min())!r}")
    return learnability_grid(values, kappa)


def learnability_grid(values: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    """``L_k = λ_k/(λ_k+κ)`` for validated input: shape ``kappa.shape + values.shape``.

    ``L = 0`` for a zero eigenvalue and at κ = +inf; ``L = 1`` for a positive
    eigenvalue at κ = 0.
    """
    kappa = np.asarray(kappa, dtype=np.float64)[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        L = np.where(values > 0, values / (values + kappa), 0.0)
    return np.where(np.isinf(kappa), 0.0, L)


def _complex_kappa(lv: Levels, n: float, z: np.ndarray) -> np.ndarray:
    """κ(z) for ``Im z ≥ 0`` (upper half plane and its real boundary from above)."""
    kappa = np.empty(z.shape, dtype=np.complex128)
    status = np.empty(z.shape, dtype=np.int64)
    K.stieltjes_kappa_grid(lv.vals, lv.mult, lv.tail, float(n), z, 1e-13, 200, kappa, status)
    _raise_unconverged(status, "stieltjes")
    return kappa


def stieltjes(eigs, n, z, *, method: str = "numba", dps: int = 50):
    r"""Stieltjes transform of the sample covariance, ``m(z) = (1/D) E tr(Σ̂ - z)⁻¹``.

    Deterministic equivalent (Atanasov et al. 2024, §2): with ``κ(z)`` solving
    ``κ = -z + (κ/n) df1(κ)`` on the physical branch (``κ ~ -z`` at infinity,
    ``Im κ · Im z < 0``),

    .. math:: m(z) = -\frac{\kappa(z)}{z D}\sum_k \frac{1}{\lambda_k + \kappa(z)} ,

    the sum running over all ``D`` modes (zero eigenvalues included).

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        An infinite ``PowerLaw(alpha, scale)`` (``D = ∞``) is accepted: see Notes.
    n : float
        Number of samples (scalar).
    z : array_like, complex
        Points off the spectrum's support. Real ``z < 0`` uses the real solver;
        real ``z ≥ 0`` returns the boundary value ``m(z + i0⁺)``; ``z = 0`` is
        excluded when Σ̂ has an atom at 0 (``n < D``).
    method : {"numba", "mpmath"}
        ``"mpmath"``: the referee at ``dps`` digits (an integer >= 15): κ(z)
        refined by Newton's method in complex ``mpf`` arithmetic from the
        compiled root (which picks the branch), its residual verified to
        ``dps - 8`` digits and its branch checked (``Im κ · Im z ≤ 0``);
        real ``z < 0`` by the bracketed real solver. Returns ``mpc`` (object
        arrays on a grid). Finite spectra only.

    Notes
    -----
    For an infinite spectrum the ``D``-normalized transform is degenerate (all
    mass at 0), so the transform of the ``n`` nonzero eigenvalues is returned
    instead, normalized by ``n``: the eigenvalues of the Gram matrix ``XXᵀ/n``,

    .. math:: \tilde m(z) = \frac1n \mathbb E\,\mathrm{tr}(XX^\top/n - z)^{-1} \simeq \frac{1}{\kappa(z)} ,

    (from ``n m̃ = D m + (D - n)/z = (df1(κ) - n)/z`` and the fixed point), the
    sums over modes including the analytic tail
    (:func:`rmt._kernels.tail.tail_sum_complex`). ``XXᵀ/n`` is invertible, so
    ``z = 0`` is allowed there (``m̃(0) = 1/κ₀``).
    """
    from . import _mp

    dps = _mp.as_method(method, dps)
    lv, n, z = validate("stieltjes", eigs=eigs, n=n, z=z)
    n = float(n)
    if dps is not None and lv.infinite:
        raise ValueError("method='mpmath' needs a finite spectrum for stieltjes (an infinite PowerLaw is float only)")
    if (z == 0).any() and not lv.infinite:
        if min(n, lv.rank) < lv.D:
            raise ValueError(
                f"z must be != 0: Σ̂ has an atom of mass 1 - min(n, rank)/D = {1 - min(n, lv.rank) / lv.D:.6g} at 0"
            )
        if n <= lv.D:
            raise ValueError("z must be != 0: at n = D the density of Σ̂ diverges at 0 and m(0) is infinite")
    shape, (zf,) = flat_broadcast(z, dtype=np.complex128)
    if dps is not None:
        from ._mp_stieltjes import stieltjes_grid

        return scalar_or_array(stieltjes_grid(lv, n, zf, _kappa_points(lv, n, zf), dps), shape)
    return scalar_or_array(_stieltjes_levels(lv, n, zf), shape)


def _stieltjes_levels(lv: Levels, n: float, zf: np.ndarray) -> np.ndarray:
    """:func:`stieltjes` on prepared levels and a flat, validated complex ``z``."""
    kappa = _kappa_points(lv, n, zf)
    if lv.infinite:  # the n nonzero eigenvalues, n-normalized (see stieltjes)
        return 1.0 / kappa
    m = _m_from_kappa(lv, zf, kappa)
    at0 = zf == 0
    if at0.any():  # n > D = rank: κ(z) ≈ -z n/(n-D), so m(0) = n/(n-D) · (1/D) Σ_k 1/λ_k
        m[at0] = n / (n - lv.D) * float(lv.mult @ (1.0 / lv.vals)) / lv.D
    return m


def _kappa_points(lv: Levels, n: float, zf: np.ndarray) -> np.ndarray:
    """κ(z) at flat complex ``z`` (real ``z < 0``: the real solver; else the physical complex branch)."""
    kappa = np.empty_like(zf)
    real_neg = (zf.imag == 0) & ((zf.real < 0) | ((zf.real == 0) & lv.infinite))
    if real_neg.any():
        kappa[real_neg] = kappa_on_levels(lv, n, -zf.real[real_neg])
    upper = ~real_neg & (zf.imag >= 0)
    if upper.any():
        kappa[upper] = _complex_kappa(lv, n, np.ascontiguousarray(zf[upper]))
    lower = zf.imag < 0
    if lower.any():
        kappa[lower] = np.conj(_complex_kappa(lv, n, np.ascontiguousarray(np.conj(zf[lower]))))
    return kappa


def _m_from_kappa(lv: Levels, z, kappa):
    zeros = lv.D - lv.rank
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (lv.mult[None, :] / (lv.vals[None, :] + kappa[:, None])).sum(axis=1) + (zeros / kappa if zeros else 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = -kappa / z * s / lv.D
    # κ = 0 (n > rank, z → 0): m = (1/D) [Σ m_k/λ_k · n/(n-d)] handled by the caller's z ≠ 0.
    return m


@dataclass(frozen=True, eq=False, repr=False)
class SpectralDensity(TupleFields):
    """Limiting eigenvalue density of Σ̂: continuous part on the grid and atom at 0.

    Unpacks as ``density, atom = rmt.spectral_density(eigs, n, x)``.

    Attributes
    ----------
    density : ndarray
        ``ρ(x)``, the shape of ``x`` (D-normalized; 0 for ``x <= 0``).
    atom : float
        Mass of the atom at 0, ``1 - min(n, rank)/D``.
    x, n : the arguments.
    """

    _summary = ("density", "atom")
    _tuple = ("density", "atom")

    density: np.ndarray
    atom: float
    x: np.ndarray = None
    n: float = None


def spectral_density(eigs, n, x):
    r"""Limiting eigenvalue density of ``Σ̂ = XᵀX/n`` at real ``x`` (D-normalized).

    ``ρ(x) = Im m(x + i0⁺) / π`` for ``x > 0`` (0 for ``x ≤ 0``), from
    :func:`stieltjes`. The continuous part integrates to ``min(n, rank)/D``;
    the rest is the atom at 0, of mass ``1 - min(n, rank)/D``
    (``max(0, 1 - n/D)`` for a full-rank Σ), returned separately. For
    ``Σ = I`` this is the Marchenko–Pastur law with ratio ``D/n``.

    For an infinite ``PowerLaw`` (``D = ∞``): the density of the ``n`` nonzero
    eigenvalues normalized by ``n`` (those of ``XXᵀ/n``, ``Im(1/κ(x + i0⁺))/π``,
    see :func:`stieltjes`); it integrates to 1 and ``atom`` is 0.

    Returns
    -------
    SpectralDensity
        ``(density, atom)``; ``density`` has the shape of ``x``.
    """
    lv, n, x = validate("spectral_density", eigs=eigs, n=n, x=x)
    n = float(n)
    shape, (xf,) = flat_broadcast(x)
    dens = np.zeros_like(xf)
    pos = xf > 0
    if pos.any():
        m = _stieltjes_levels(lv, n, np.ascontiguousarray(xf[pos], dtype=np.complex128))
        dens[pos] = np.maximum(m.imag, 0.0) / np.pi
    atom = 0.0 if lv.infinite else 1.0 - min(n, lv.rank) / lv.D
    return SpectralDensity(scalar_or_array(dens, shape), atom, scalar_or_array(xf, shape), n)
