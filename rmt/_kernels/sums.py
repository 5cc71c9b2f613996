# SPDX-License-Identifier: BSD-3-Clause
r"""Weighted spectral sums at one or two renormalized ridges (numba).

One kernel for every sum of the form

.. math::

    S_j(\kappa_1, \kappa_2) = \sum_k w_{jk}\,
        \frac{\lambda_k^{a_j}}{(\lambda_k + \kappa_1)^{b_{1j}}\,(\lambda_k + \kappa_2)^{b_{2j}}}

for several *rows* ``j`` at once (weights, power of λ and the two exponents
per row), on a grid of points ``(κ₁[i], κ₂[i])``, real or complex. One-κ sums
are the rows with ``b₂ = 0`` (df1: ``w = m, a = 1, b₁ = 1``; df2: ``a = 2,
b₁ = 2``; ``S_λ``: ``a = 2, b₁ = 3`` ...); the two-point sums have
``b₁ = b₂ = 1`` (``γ₁₂ = S/n`` with ``w = m, a = 2``). The head is summed
term by term as written, so nothing cancels as ``κ₁ → κ₂`` (the partial
fractions ``(1/(λ+κ₂) - 1/(λ+κ₁))/(κ₁-κ₂)`` are never formed there).

Infinite power laws (:mod:`.tail`): with a tail descriptor, row ``j`` also
gets ``Σ_{k>M} t_j k^{-β_j} λ_k^{a_j}/((λ_k+κ₁)^{b₁}(λ_k+κ₂)^{b₂})`` with
``λ_k = s k^{-α}``, from :func:`tail_pair_sum` (real ``κ₁, κ₂ > 0``) or
:func:`tail_pair_sum_complex` (complex κ, ``-κ`` off the tail's eigenvalues).

The one-point moments (:func:`moments`, below) are rows of this kernel times powers of κ
(``1 - L = κ/(λ+κ)``): e.g. ``df1 - df2 = κ·S(w=m, a=1, b₁=2)``,
``B0 = κ²·S(w=v², a=0, b₁=2)``, ``S_v = κ·S(w=v², a=1, b₁=3)``; only their
conventions at ``κ = 0`` and ``κ = +inf`` (where ``κ^c · S`` is ``0·inf``)
would stay with the caller.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .tail import (
    TAIL_ALPHA, TAIL_BETA, TAIL_M, TAIL_SCALE, TAIL_TSCALE, tail_sum, tail_sum_complex, tail_target_total,
)

# Close pairs |c₁ - c₂| <= _R_SERIES (c₁ + c₂) use the series in r; farther
# pairs the exact partial-fraction reduction, whose cancellation is then at
# most a factor (1/_R_SERIES)^(b₁+b₂-1).
_R_SERIES = 0.1
_SERIES_TERMS = 18  # _R_SERIES^18 = 1e-18
_EPS = 1e-17
_MAXB = 16

# Reductions over the spectrum may be reassociated (so LLVM vectorizes them with
# SIMD); no other fast-math liberty is taken (NaN/inf semantics are kept).
FASTMATH = {"reassoc", "contract"}
# Flags of every kernel that runs a pass over the spectrum: with numba's default ("python") error model
# each division checks for zero and the loop is not vectorized; the numpy model divides as IEEE does
# (x/0 = ±inf, 0/0 = nan), which is what the kernels' conventions assume.
FAST = {"fastmath": FASTMATH, "error_model": "numpy"}


@njit(cache=True, parallel=True)
def head_grid(vals, coef, b1, b2, kappa1, kappa2, out):
    """``out[i, j] = Σ_k coef[j, k] (vals[k]+κ₁[i])^-b1[j] (vals[k]+κ₂[i])^-b2[j]`` (real or complex κ).

    ``coef`` holds ``w_jk λ_k^{a_j}``; ``out`` has the dtype of ``kappa1``.
    A zero ``vals[k]`` with ``κ = 0`` divides by zero (callers exclude it);
    ``κ = +inf`` gives 0 for ``b > 0``.
    """
    J = coef.shape[0]
    L = vals.size
    bmax = 0
    for j in range(J):
        bmax = max(bmax, b1[j], b2[j])
    for i in prange(kappa1.size):
        k1 = kappa1[i]
        k2 = kappa2[i]
        acc = np.zeros(J, dtype=out.dtype)
        p1 = np.empty(bmax + 1, dtype=out.dtype)
        p2 = np.empty(bmax + 1, dtype=out.dtype)
        for k in range(L):
            q1 = 1.0 / (vals[k] + k1)
            q2 = 1.0 / (vals[k] + k2)
            p1[0] = 1.0
            p2[0] = 1.0
            for e in range(1, bmax + 1):
                p1[e] = p1[e - 1] * q1
                p2[e] = p2[e - 1] * q2
            for j in range(J):
                acc[j] += coef[j, k] * p1[b1[j]] * p2[b2[j]]
        for j in range(J):
            out[i, j] = acc[j]


@njit(cache=True)
def _series_coefficients(b1, b2, n):
    """Taylor coefficients of ``(1+x)^-b1 (1-x)^-b2``, orders ``0..n-1``."""
    u = np.zeros(n)
    v = np.zeros(n)
    u[0] = 1.0
    v[0] = 1.0
    for i in range(1, n):
        u[i] = -u[i - 1] * (b1 + i - 1.0) / i
        v[i] = v[i - 1] * (b2 + i - 1.0) / i
    C = np.zeros(n)
    for j in range(n):
        s = 0.0
        for i in range(j + 1):
            s += u[i] * v[j - i]
        C[j] = s
    return C


@njit(cache=True)
def tail_pair_sum(gamma, b1, b2, alpha, M, c1, c2):
    r"""``Σ_{k>M} k^{-γ} (1 + c₁k^α)^{-b₁} (1 + c₂k^α)^{-b₂}`` for real ``c₁, c₂ > 0``.

    Requires ``q = b₁ + b₂ - (1-γ)/α > 0`` (convergence; ``inf`` otherwise).

    * One κ (``b₁ = 0`` or ``b₂ = 0``) or ``c₁ = c₂``: :func:`.tail.tail_sum`.
    * Close pair, ``|r| ≤ 0.1`` with ``c̄ = (c₁+c₂)/2``, ``r = (c₁-c₂)/(c₁+c₂)``:
      ``1 + c_{1,2}k^α = (1 + c̄k^α)(1 ± r ε)``, ``ε = c̄k^α/(1+c̄k^α) ∈ (0, 1)``, so
      ``Σ_j C_j r^j Σ_k k^{-γ} (c̄k^α)^j/(1+c̄k^α)^{b₁+b₂+j}`` with ``C_j`` the Taylor
      coefficients of ``(1+x)^{-b₁}(1-x)^{-b₂}`` (18 terms: error < 0.1^18).
    * Far pair: with ``w_i = 1/(1 + c_i k^α)``, ``w₁w₂ = (w₂ - w₁)/((c₁-c₂) k^α)``
      applied until one exponent is 0 reduces the sum to one-κ sums with
      ``γ → γ + mα``; each converges exactly when the original does, and their
      cancellation is bounded by ``10^{b₁+b₂-1}``.
    """
    B = b1 + b2
    if B - (1.0 - gamma) / alpha <= 0.0:
        return np.inf
    if b2 == 0:
        return tail_sum(gamma, 0, b1, alpha, M, np.log(c1))
    if b1 == 0:
        return tail_sum(gamma, 0, b2, alpha, M, np.log(c2))
    if c1 == c2:
        return tail_sum(gamma, 0, B, alpha, M, np.log(c1))
    r = (c1 - c2) / (c1 + c2)
    if abs(r) <= _R_SERIES:
        logc = np.log(0.5 * (c1 + c2))
        C = _series_coefficients(b1, b2, _SERIES_TERMS)
        total = 0.0
        rj = 1.0
        for j in range(_SERIES_TERMS):
            if C[j] != 0.0:
                term = C[j] * rj * tail_sum(gamma, j, B + j, alpha, M, logc)
                total += term
                if j > 0 and abs(term) <= _EPS * abs(total):
                    break
            rj *= r
        return total
    # Far pair: w1^e1 w2^e2 reduced by w1 w2 = (w2 - w1)/((c1-c2) k^α) (see _pair_fractions).
    T = _pair_fractions(b1, b2)
    inv = 1.0 / (c1 - c2)
    total = 0.0
    lc1 = np.log(c1)
    lc2 = np.log(c2)
    for e in range(1, b1 + 1):
        if T[e, 0] != 0.0:
            total += T[e, 0] * inv ** (B - e) * tail_sum(gamma + (B - e) * alpha, 0, e, alpha, M, lc1)
    for e in range(1, b2 + 1):
        if T[0, e] != 0.0:
            total += T[0, e] * inv ** (B - e) * tail_sum(gamma + (B - e) * alpha, 0, e, alpha, M, lc2)
    return total


@njit(cache=True)
def _pair_fractions(b1, b2):
    """Partial fractions of ``w₁^{b₁} w₂^{b₂}`` with ``w_i = 1/(1 + c_i x)``.

    Applying ``w₁w₂ = (w₂ - w₁)/((c₁ - c₂) x)`` until one exponent is 0 gives
    ``Σ_e T[e, 0] (c₁-c₂)^{-(B-e)} x^{-(B-e)} w₁^e + Σ_e T[0, e] (c₁-c₂)^{-(B-e)} x^{-(B-e)} w₂^e``
    (``B = b₁ + b₂``); ``T`` holds the integer coefficients (the powers of
    ``1/(c₁ - c₂)`` are applied by the caller, real or complex).
    """
    B = b1 + b2
    T = np.zeros((b1 + 1, b2 + 1))
    T[b1, b2] = 1.0
    for d in range(B, 1, -1):
        for e1 in range(max(1, d - b2), min(b1, d - 1) + 1):
            e2 = d - e1
            t = T[e1, e2]
            if t != 0.0:
                T[e1 - 1, e2] += t
                T[e1, e2 - 1] -= t
                T[e1, e2] = 0.0
    return T


@njit(cache=True)
def tail_pair_sum_complex(gamma, b1, b2, alpha, M, c1, c2):
    r""":func:`tail_pair_sum` for complex ``c₁, c₂`` (:func:`.tail.tail_sum_complex`; same three cases).

    Each ``c`` may lie anywhere off the set ``{-k^{-α}: k > M}`` (principal
    ``log c``); the close-pair series needs ``|r| ≤ 0.1``, the far pair the
    partial fractions, cancelling by at most ``10^{b₁+b₂-1}``.
    """
    B = b1 + b2
    if B - (1.0 - gamma) / alpha <= 0.0:
        return np.inf + 0.0j
    if b2 == 0:
        return tail_sum_complex(gamma, 0, b1, alpha, M, np.log(c1))
    if b1 == 0:
        return tail_sum_complex(gamma, 0, b2, alpha, M, np.log(c2))
    if c1 == c2:
        return tail_sum_complex(gamma, 0, B, alpha, M, np.log(c1))
    r = (c1 - c2) / (c1 + c2)
    if abs(r) <= _R_SERIES:
        logc = np.log(0.5 * (c1 + c2))
        C = _series_coefficients(b1, b2, _SERIES_TERMS)
        total = 0.0j
        rj = 1.0 + 0.0j
        for j in range(_SERIES_TERMS):
            if C[j] != 0.0:
                term = C[j] * rj * tail_sum_complex(gamma, j, B + j, alpha, M, logc)
                total += term
                if j > 0 and abs(term) <= _EPS * abs(total):
                    break
            rj *= r
        return total
    T = _pair_fractions(b1, b2)
    inv = 1.0 / (c1 - c2)
    total = 0.0j
    lc1 = np.log(c1)
    lc2 = np.log(c2)
    for e in range(1, b1 + 1):
        if T[e, 0] != 0.0:
            total += T[e, 0] * inv ** (B - e) * tail_sum_complex(gamma + (B - e) * alpha, 0, e, alpha, M, lc1)
    for e in range(1, b2 + 1):
        if T[0, e] != 0.0:
            total += T[0, e] * inv ** (B - e) * tail_sum_complex(gamma + (B - e) * alpha, 0, e, alpha, M, lc2)
    return total


@njit(cache=True, parallel=True)
def tail_grid(a, b1, b2, tail, tail_weights, kappa1, kappa2, out):
    """Add the power-law tail of each row to ``out`` (real ``κ``; ``κ ≤ 0`` gives ``inf``, ``κ = +inf`` adds 0).

    Row ``j`` with ``tail_weights[j] = (t, β)``, ``t ≠ 0``, adds
    ``t Σ_{k>M} k^-β λ_k^a (λ_k+κ₁)^-b₁ (λ_k+κ₂)^-b₂``, ``λ_k = s k^-α``; with
    ``c_i = κ_i/s`` that is ``t s^{a-b₁-b₂}`` times :func:`tail_pair_sum` at
    ``γ = β + α(a - b₁ - b₂)``.
    """
    M = tail[TAIL_M]
    alpha = tail[TAIL_ALPHA]
    s = tail[TAIL_SCALE]
    J = a.size
    for i in prange(kappa1.size):
        k1 = kappa1[i]
        k2 = kappa2[i]
        for j in range(J):
            t = tail_weights[j, 0]
            if t == 0.0:
                continue
            uses1 = b1[j] > 0
            uses2 = b2[j] > 0
            if (uses1 and k1 == np.inf) or (uses2 and k2 == np.inf):
                continue  # every term is 0 (the head's convention too)
            if (uses1 and not k1 > 0.0) or (uses2 and not k2 > 0.0):
                out[i, j] = np.inf
                continue
            e = a[j] - b1[j] - b2[j]
            gamma = tail_weights[j, 1] + alpha * e
            c1 = k1 / s if uses1 else 1.0
            c2 = k2 / s if uses2 else 1.0
            if not uses1 and not uses2:
                val = tail_sum(gamma, 0, 0, alpha, M, 0.0) if gamma > 1.0 else np.inf
            else:
                val = tail_pair_sum(gamma, b1[j], b2[j], alpha, M, c1, c2)
            out[i, j] += t * s**e * val


@njit(cache=True, parallel=True)
def tail_grid_complex(a, b1, b2, tail, tail_weights, kappa1, kappa2, out):
    """:func:`tail_grid` for complex ``κ`` (:func:`tail_pair_sum_complex`).

    ``κ = 0`` gives ``inf``; ``κ = inf`` adds 0; every other ``κ`` with
    ``-κ`` not a tail eigenvalue is admissible (``nan`` if ``-κ`` is so close to
    the tail's eigenvalues that the sum would need more than 4·10⁶ explicit terms).
    """
    M = tail[TAIL_M]
    alpha = tail[TAIL_ALPHA]
    s = tail[TAIL_SCALE]
    J = a.size
    for i in prange(kappa1.size):
        k1 = kappa1[i]
        k2 = kappa2[i]
        for j in range(J):
            t = tail_weights[j, 0]
            if t == 0.0:
                continue
            uses1 = b1[j] > 0
            uses2 = b2[j] > 0
            if (uses1 and np.isinf(k1.real)) or (uses2 and np.isinf(k2.real)):
                continue
            if (uses1 and k1 == 0.0) or (uses2 and k2 == 0.0):
                out[i, j] = np.inf
                continue
            e = a[j] - b1[j] - b2[j]
            gamma = tail_weights[j, 1] + alpha * e
            if not uses1 and not uses2:
                val = complex(tail_sum(gamma, 0, 0, alpha, M, 0.0)) if gamma > 1.0 else np.inf + 0.0j
            else:
                c1 = k1 / s if uses1 else 1.0 + 0.0j
                c2 = k2 / s if uses2 else 1.0 + 0.0j
                val = tail_pair_sum_complex(gamma, b1[j], b2[j], alpha, M, c1, c2)
            out[i, j] += t * s**e * val


def weighted_sums(vals, weights, a, b1, b2, kappa1, kappa2=None, tail=None, tail_weights=None):
    r"""``S[i, j] = Σ_k weights[j,k] vals[k]^a[j] / ((vals[k]+κ₁[i])^b1[j] (vals[k]+κ₂[i])^b2[j])`` (+ tail).

    Plain-Python front of the compiled kernels (no validation: callers pass
    clean input). ``vals``: (L,) levels ≥ 0; ``weights``: (J, L) (multiplicities
    included); ``a``: (J,) powers (``0^0 = 1``); ``b1, b2``: (J,) integers in
    ``0..16``; ``kappa1, kappa2``: (N,) real or complex (``kappa2`` defaults to
    ``kappa1``). ``tail``: a :mod:`.tail` descriptor (``[M, α, s, ...]``; real κ
    must be > 0, complex κ off ``-λ_k``, ``k > M``) and ``tail_weights``: (J, 2) rows ``(t, β)`` giving the weight
    ``t k^-β`` of tail mode ``k > M`` (``t = 0``: no tail for that row).
    Returns an (N, J) array, complex if either κ is.
    """
    vals = np.ascontiguousarray(vals, dtype=np.float64)
    weights = np.ascontiguousarray(np.atleast_2d(weights), dtype=np.float64)
    a = np.ascontiguousarray(np.atleast_1d(a), dtype=np.float64)
    b1 = np.ascontiguousarray(np.atleast_1d(b1), dtype=np.int64)
    b2 = np.ascontiguousarray(np.atleast_1d(b2), dtype=np.int64)
    if (b1 < 0).any() or (b2 < 0).any() or (b1 > _MAXB).any() or (b2 > _MAXB).any():
        raise ValueError(f"b1, b2 must be integers in 0..{_MAXB}")
    kappa1 = np.asarray(kappa1)
    kappa2 = kappa1 if kappa2 is None else np.asarray(kappa2)
    cplx = np.iscomplexobj(kappa1) or np.iscomplexobj(kappa2)
    dtype = np.complex128 if cplx else np.float64
    k1 = np.ascontiguousarray(np.ravel(kappa1), dtype=dtype)
    k2 = np.ascontiguousarray(np.ravel(kappa2), dtype=dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.where(a[:, None] == 0.0, 1.0, vals[None, :] ** a[:, None]) * weights
    coef = np.ascontiguousarray(coef)
    out = np.empty((k1.size, coef.shape[0]), dtype=dtype)
    head_grid(vals, coef, b1, b2, k1, k2, out)
    if tail is not None and np.size(tail):
        tw = np.ascontiguousarray(np.atleast_2d(tail_weights), dtype=np.float64)
        grid = tail_grid_complex if cplx else tail_grid
        grid(a, b1, b2, np.ascontiguousarray(tail, dtype=np.float64), tw, k1, k2, out)
    return out


# --------------------------------------------------------------------------- the one-κ moments, fused
#
# Every one-point quantity of the solvers and of the risks (ridge, kernel ridge, random features, the
# optimal-ridge search) is one of these twelve rows of S(κ, κ) times a power of κ, with L = λ/(λ+κ),
# 1 - L = κ/(λ+κ), q = 1/(λ+κ), multiplicities m and target power v²:
#
#   column   weight  a  b  c   meaning
#   DF1      m       1  1  0   df1 = Σ m L
#   DF2      m       2  2  0   df2 = Σ m L²
#   DD       m       1  2  1   df1 - df2 = Σ m L(1-L), summed without the cancellation of the difference
#   W        m       0  1  1   Σ m (1-L) = rank - df1, without cancellation near df1 = rank (inf with a tail)
#   SL       m       2  3  0   S_λ = Σ m λ²/(λ+κ)³ = -½ d df2/dκ
#   SL2      m       2  4  0   Σ m λ²/(λ+κ)⁴
#   X1       m       2  3  1   Σ m L²(1-L)
#   B0       v²      0  2  2   Σ v² (1-L)²
#   SV       v²      1  3  1   S_v = Σ v² κλ/(λ+κ)³ = ½ dB0/dκ
#   SVP      v²  (2 4 0) - 2(1 4 1)   S_v' = Σ v² λ(λ-2κ)/(λ+κ)⁴ = dS_v/dκ
#   T        v²      1  2  1   Σ v² L(1-L)
#   X2       v²      1  3  2   Σ v² L(1-L)²
#
# The head is one fused pass (:func:`moments`; it is the hot loop of every solver, so it is written out
# rather than looped over this table); the tail of each column is the table row's power-law sum
# (:func:`_tail_moments`).
DF1, DF2, DD, W, SL, SL2, X1, B0, SV, SVP, T, X2 = range(12)
NMOM = 12
# tail rows (weight: 0 = m, 1 = v²; a; b; c; column; coefficient); S_v' is two rows, W has no finite tail
_ROWS = np.array([
    (0, 1, 1, 0, DF1, 1.0), (0, 2, 2, 0, DF2, 1.0), (0, 1, 2, 1, DD, 1.0),
    (0, 2, 3, 0, SL, 1.0), (0, 2, 4, 0, SL2, 1.0), (0, 2, 3, 1, X1, 1.0), (1, 0, 2, 2, B0, 1.0),
    (1, 1, 3, 1, SV, 1.0), (1, 2, 4, 0, SVP, 1.0), (1, 1, 4, 1, SVP, -2.0), (1, 1, 2, 1, T, 1.0),
    (1, 1, 3, 2, X2, 1.0),
])


@njit(cache=True, inline="always", **FAST)
def moments(k, vals, mult, tpow, full):
    """The twelve columns at one real ``κ > -min(vals)`` over *positive* levels ``vals``, in one pass.

    Three compiled variants, chosen by the call (a ``None`` and a constant ``full``
    fold away): ``tpow = None`` (the solvers) sums ``DF1, DF2, DD, W, SL`` only;
    with ``tpow`` and ``full = False`` also ``B0, SV, T`` (the risks and the
    ridge scan); ``full = True`` every column. Columns not summed are 0. Returned in column order. Inlined: a caller
    compiled with :data:`FAST` gets the loop vectorized with SIMD (every caller
    in this package is).
    """
    d1 = 0.0
    d2 = 0.0
    dd = 0.0
    w = 0.0
    sl = 0.0
    sl2 = 0.0
    x1 = 0.0
    b0 = 0.0
    sv = 0.0
    svp = 0.0
    tt = 0.0
    x2 = 0.0
    for j in range(vals.size):
        q = 1.0 / (vals[j] + k)
        L = vals[j] * q
        u = k * q  # 1 - L
        m = mult[j]
        mL = m * L
        mL2 = mL * L
        d1 += mL
        d2 += mL2
        dd += mL * u
        w += m * u
        sl += mL2 * q
        if tpow is not None:
            t = tpow[j]
            tL = t * L
            tLu = tL * u
            b0 += t * u * u
            sv += tLu * q
            tt += tLu
            if full:
                sl2 += mL2 * q * q
                x1 += mL2 * u
                svp += tL * q * q * (L - 2.0 * u)
                x2 += tLu * u
    return d1, d2, dd, w, sl, sl2, x1, b0, sv, svp, tt, x2


@njit(cache=True)
def _tail_moments(k, tail, full, out):
    """Add each column's power-law tail at ``0 < κ < ∞`` (:data:`_ROWS`) to ``out``.

    Row ``(weight, a, b, c)`` of weight ``t k^-β`` (``t = 1, β = 0`` for the
    multiplicities) on ``λ_k = s k^-α`` is ``t s^{a-b+c} Σ_{k>M} k^{-γ} (ck^α)^c/(1+ck^α)^b``
    with ``γ = β + α(a-b+c)``: :func:`.tail.tail_sum`.
    """
    M = tail[TAIL_M]
    alpha = tail[TAIL_ALPHA]
    s = tail[TAIL_SCALE]
    ts = tail[TAIL_TSCALE]
    logc = np.log(k / s)
    for r in range(_ROWS.shape[0]):
        col = int(_ROWS[r, 4])
        if not full and (col == SL2 or col == X1 or col == SVP or col == X2):
            continue
        task = _ROWS[r, 0] == 1
        t = ts if task else 1.0
        if t == 0.0:
            continue
        a = int(_ROWS[r, 1])
        b = int(_ROWS[r, 2])
        c = int(_ROWS[r, 3])
        e = a - b + c
        gamma = (tail[TAIL_BETA] if task else 0.0) + alpha * e
        out[col] += _ROWS[r, 5] * t * s**e * tail_sum(gamma, c, b, alpha, M, logc)
    out[W] = np.inf


@njit(cache=True, **FAST)
def moments_row(k, vals, mult, tpow, b0_zero, tail, full, out):
    """The columns at one real ``κ`` into ``out``: head (:func:`moments`, ``full`` or not) plus tail.

    ``b0_zero`` is the target power on zero eigenvalues (``L = 0`` there: it adds to
    ``B0`` only). Ends: ``κ = +inf`` gives ``L = 0`` (``W`` = rank, ``B0`` = the whole
    target power, the rest 0); ``κ = 0`` gives ``L = 1`` on positive modes. With a
    tail, ``κ ≤ 0`` makes the multiplicity columns infinite and leaves the target
    columns at their head values (their tails vanish as ``κ → 0⁺``, but for ``S_v'``).
    """
    if k == np.inf:
        out[:] = 0.0
        rank = 0.0
        total = b0_zero
        for j in range(vals.size):
            rank += mult[j]
            total += tpow[j]
        if tail.size:
            rank = np.inf
            total += tail_target_total(tail)
        out[W] = rank
        out[B0] = total
        return
    r = moments(k, vals, mult, tpow, True) if full else moments(k, vals, mult, tpow, False)
    for j in range(NMOM):
        out[j] = r[j]
    out[B0] += b0_zero
    if tail.size:
        if k > 0.0:
            _tail_moments(k, tail, full, out)
        else:
            for j in (DF1, DF2, DD, W, SL, SL2, X1):
                out[j] = np.inf


@njit(cache=True, parallel=True, **FAST)
def moments_grid(vals, mult, tpow, b0_zero, tail, kappa, full, out):
    """:func:`moments_row` at each ``kappa[i]`` into ``out[i, :]``, grid points in parallel threads."""
    for i in prange(kappa.size):
        moments_row(kappa[i], vals, mult, tpow, b0_zero, tail, full, out[i])
