# SPDX-License-Identifier: BSD-3-Clause
r"""Analytic tails of infinite power-law spectra (numba).

An infinite spectrum is stored as ``M`` explicit *head* levels plus a *tail*
``λ_k = s·k^{-α}`` for every integer ``k > M`` (and, for a task, target power
``v_k² = t·k^{-β}`` there). Every spectral sum the one-point solver and the
risk need is, on the tail, a sum of

.. math:: f(k) = k^{-\gamma}\,\frac{(c k^\alpha)^a}{(1 + c k^\alpha)^b},
          \qquad c = \kappa / s,

for small integers ``a, b`` and a real ``γ`` (see :func:`tail_sums`). It is
evaluated by the Euler–Maclaurin formula about the midpoint ``X = M + 1/2``:

.. math::

    \sum_{k>M} f(k) = \int_X^\infty f(x)\,dx + \frac{f'(X)}{24}
        - \frac{7 f'''(X)}{5760} + \frac{31 f^{(5)}(X)}{967680}
        - \frac{127 f^{(7)}(X)}{154828800} + R,

(the coefficients are ``-B_{2j}(1/2)/(2j)!``, ``B_{2j}(1/2) = (2^{1-2j}-1)B_{2j}``).
The derivatives are Taylor coefficients computed exactly by truncated power
series arithmetic (binomial series and J.C.P. Miller's recurrence for a power
of a series). ``f`` varies on the scale ``x/α`` everywhere, so the remainder
is of order ``(α/(2πX))^{10}`` relative — below 1e-15 for ``X ≥ 20α``.

The integral, with ``u = c x^α`` and ``w = u/(1+u)``, is an incomplete beta
function:

.. math::

    \int_X^\infty f\,dx = \frac{c^{(\gamma-1)/\alpha}}{\alpha}
        \int_{w_0}^1 w^{p-1}(1-w)^{q-1}\,dw, \qquad
    p = a + \frac{1-\gamma}{\alpha},\quad q = b - p > 0,\quad
    w_0 = \frac{U}{1+U},\ U = cX^\alpha .

It is summed from two series that converge at least like ``2^{-n}`` for every
``U`` and every sign of ``p`` (``p ≤ 0`` occurs for smooth targets,
``β ≥ 2α + 1``, where the incomplete beta function has no complete part):

* ``w_0 ≥ 1/2``: ``∫_{w_0}^1 = S(1-w_0; q, p)``,
* ``w_0 < 1/2``: ``∫_{w_0}^1 = S(1/2; q, p) + Σ_j (1-q)_j/j! ∫_{w_0}^{1/2} w^{p+j-1} dw``,

with ``S(x; q, p) = ∫_0^x y^{q-1}(1-y)^{p-1} dy = Σ_n (1-p)_n/n! · x^{q+n}/(q+n)``
(the hypergeometric series ``x^q/q · ₂F₁(q, 1-p; q+1; x)``). Logarithms of the
prefactors are carried into each exponent, so ``κ`` may be as small as
1e-300 without overflow; the cost is a few hundred flops, independent of
``κ`` and of ``n``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Layout of the tail descriptor passed to the kernels (float64 array of length
# TAIL_SIZE, or length 0 for a finite spectrum).
TAIL_M = 0  # number of explicit head modes; the tail is k = M+1, M+2, ...
TAIL_ALPHA = 1  # eigenvalue exponent α > 1
TAIL_SCALE = 2  # eigenvalue scale s > 0: λ_k = s k^-α
TAIL_BETA = 3  # target-power exponent β (> 1 when TAIL_TSCALE > 0)
TAIL_TSCALE = 4  # target-power scale t ≥ 0: v_k² = t k^-β (0: no target on the tail)
TAIL_SIZE = 5

_ORDER = 8  # Taylor coefficients 0..7 for the Euler–Maclaurin corrections
_EPS = 1e-17
_MAXTERMS = 4000
_LOG_HALF = -0.6931471805599453


@njit(cache=True)
def _s_series(lpref, logx, x, q, p):
    """``exp(lpref) · S(x; q, p)`` for ``0 < x ≤ 1/2``, ``q > 0``."""
    coef = 1.0  # (1-p)_n / n! x^n
    total = 0.0
    for n in range(_MAXTERMS):
        term = coef / (q + n)
        total += term
        if n > 2 and abs(term) <= _EPS * abs(total) and n + 1 > -p:
            break
        coef *= (n + 1.0 - p) / (n + 1.0) * x
    return np.exp(lpref + q * logx) * total


@njit(cache=True)
def _t_series(lpref, logw0, p, q):
    """``exp(lpref) · ∫_{w0}^{1/2} w^{p-1} (1-w)^{q-1} dw`` for ``0 < w0 < 1/2``."""
    delta = _LOG_HALF - logw0  # > 0
    w0 = np.exp(logw0)
    a_j = np.exp(lpref + p * _LOG_HALF)  # exp(lpref) (1/2)^(p+j)
    b_j = np.exp(lpref + p * logw0)  # exp(lpref) w0^(p+j)
    coef = 1.0  # (1-q)_j / j!
    total = 0.0
    for j in range(_MAXTERMS):
        e = p + j
        if abs(e) * delta < 0.5:  # near-cancelling ends: exact expm1 forms
            if e == 0.0:
                ej = np.exp(lpref) * delta
            elif e > 0.0:
                ej = a_j * (-np.expm1(-e * delta)) / e
            else:
                ej = b_j * (-np.expm1(e * delta)) / (-e)
        else:
            ej = (a_j - b_j) / e
        term = coef * ej
        total += term
        if j > 2 and abs(term) <= _EPS * abs(total) and e > 0.0:
            break
        coef *= (j - (q - 1.0)) / (j + 1.0)
        if coef == 0.0:  # q a positive integer: (1-w)^(q-1) is a polynomial
            break
        a_j *= 0.5
        b_j *= w0
    return total


@njit(cache=True)
def _integral(gamma, a, b, alpha, X, logc):
    """``∫_X^∞ x^{-γ} (c x^α)^a (1 + c x^α)^{-b} dx`` (requires convergence)."""
    if a == 0 and b == 0:
        return np.exp((1.0 - gamma) * np.log(X)) / (gamma - 1.0)
    p = a + (1.0 - gamma) / alpha
    q = b - p
    logu = logc + alpha * np.log(X)
    lpref = -np.log(alpha) + (gamma - 1.0) / alpha * logc
    if logu >= 0.0:  # w0 >= 1/2: series in 1 - w0 = 1/(1+U)
        log1mw = -(logu + np.log1p(np.exp(-logu)))
        return _s_series(lpref, log1mw, np.exp(log1mw), q, p)
    logw0 = logu - np.log1p(np.exp(logu))
    return _s_series(lpref, _LOG_HALF, 0.5, q, p) + _t_series(lpref, logw0, p, q)


@njit(cache=True)
def _binomial_series(r, X, out):
    """Taylor coefficients of ``(1 + h/X)^r`` in ``h``."""
    out[0] = 1.0
    for n in range(1, out.size):
        out[n] = out[n - 1] * (r - n + 1.0) / (n * X)


@njit(cache=True)
def _em_correction(gamma, a, b, alpha, X, logc):
    """Euler–Maclaurin midpoint corrections ``Σ_j -B_{2j}(1/2)/(2j)! f^{(2j-1)}(X)``."""
    logx = np.log(X)
    if b == 0:
        logf0 = -gamma * logx + (a * (logc + alpha * logx) if a != 0 else 0.0)
    else:
        logu = logc + alpha * logx
        log1pu = logu + np.log1p(np.exp(-logu)) if logu > 0.0 else np.log1p(np.exp(logu))
        logf0 = -gamma * logx + a * logu - b * log1pu
    f0 = np.exp(logf0)
    if f0 == 0.0:
        return 0.0
    Q = np.empty(_ORDER)
    _binomial_series(a * alpha - gamma, X, Q)
    R = np.empty(_ORDER)
    if b == 0:
        R[:] = Q
    else:
        # w(h) = (1 + U (1+h/X)^α)/(1+U) = 1 + w0 ((1+h/X)^α - 1); P = w^(-b)
        logu = logc + alpha * logx
        w0 = 1.0 / (1.0 + np.exp(-logu)) if logu > -700.0 else 0.0
        G = np.empty(_ORDER)
        _binomial_series(alpha, X, G)
        W = np.empty(_ORDER)
        W[0] = 1.0
        for k in range(1, _ORDER):
            W[k] = w0 * G[k]
        P = np.empty(_ORDER)
        P[0] = 1.0
        r = -float(b)
        for m in range(1, _ORDER):
            s = 0.0
            for k in range(1, m + 1):
                s += ((r + 1.0) * k - m) * W[k] * P[m - k]
            P[m] = s / m
        for m in range(_ORDER):
            s = 0.0
            for k in range(m + 1):
                s += Q[k] * P[m - k]
            R[m] = s
    return f0 * (R[1] / 24.0 - 7.0 * R[3] / 960.0 + 31.0 * R[5] / 8064.0 - 127.0 * R[7] / 30720.0)


@njit(cache=True)
def tail_sum(gamma, a, b, alpha, M, logc):
    r"""``Σ_{k>M} k^{-γ} (c k^α)^a / (1 + c k^α)^b`` with ``c = exp(logc)``.

    ``a, b`` are small non-negative integers with ``q = b - a - (1-γ)/α > 0``
    (a convergent sum); for ``a = b = 0`` this is the Hurwitz zeta function
    ``ζ(γ, M+1)`` and ``logc`` is ignored.
    """
    X = M + 0.5
    return _integral(gamma, a, b, alpha, X, logc) + _em_correction(gamma, a, b, alpha, X, logc)


@njit(cache=True)
def tail_trace(tail):
    """``Σ_{k>M} λ_k = s ζ(α, M+1)``."""
    if tail.size == 0:
        return 0.0
    return tail[TAIL_SCALE] * tail_sum(tail[TAIL_ALPHA], 0, 0, tail[TAIL_ALPHA], tail[TAIL_M], 0.0)


@njit(cache=True)
def tail_target_total(tail):
    """``Σ_{k>M} v_k² = t ζ(β, M+1)`` (0 without a target tail)."""
    if tail.size == 0 or tail[TAIL_TSCALE] == 0.0:
        return 0.0
    return tail[TAIL_TSCALE] * tail_sum(tail[TAIL_BETA], 0, 0, tail[TAIL_ALPHA], tail[TAIL_M], 0.0)


@njit(cache=True)
def tail_df12(kappa, tail):
    """Tail parts of ``(df1, df2)`` at ``κ > 0``."""
    if tail.size == 0:
        return 0.0, 0.0
    alpha = tail[TAIL_ALPHA]
    M = tail[TAIL_M]
    logc = np.log(kappa / tail[TAIL_SCALE])
    return tail_sum(0.0, 0, 1, alpha, M, logc), tail_sum(0.0, 0, 2, alpha, M, logc)


@njit(cache=True)
def tail_df2_slope(kappa, tail):
    """Tail parts of ``(df2, Σ λ²/(λ+κ)³)`` at ``κ > 0``."""
    if tail.size == 0:
        return 0.0, 0.0
    alpha = tail[TAIL_ALPHA]
    M = tail[TAIL_M]
    s = tail[TAIL_SCALE]
    logc = np.log(kappa / s)
    return tail_sum(0.0, 0, 2, alpha, M, logc), tail_sum(-alpha, 0, 3, alpha, M, logc) / s


@njit(cache=True)
def tail_sums(kappa, tail):
    """Tail parts of ``(df1, df2, B0, S_v, S_λ)`` at ``0 < κ < ∞`` (see ``spectral_sums_grid``).

    With ``λ = s k^-α``, ``v² = t k^-β`` and ``c = κ/s``:
    ``df1: γ=0, a=0, b=1``; ``df2: γ=0, a=0, b=2``;
    ``S_λ = Σ λ²/(λ+κ)³ = (1/s) Σ k^α/(1+ck^α)³``;
    ``B0 = Σ v² κ²/(λ+κ)² = t Σ k^-β (ck^α)²/(1+ck^α)²``;
    ``S_v = Σ v² κλ/(λ+κ)³ = (t/s) Σ k^(α-β) (ck^α)/(1+ck^α)³``.
    """
    alpha = tail[TAIL_ALPHA]
    M = tail[TAIL_M]
    s = tail[TAIL_SCALE]
    logc = np.log(kappa / s)
    d1 = tail_sum(0.0, 0, 1, alpha, M, logc)
    d2 = tail_sum(0.0, 0, 2, alpha, M, logc)
    sl = tail_sum(-alpha, 0, 3, alpha, M, logc) / s
    t = tail[TAIL_TSCALE]
    if t == 0.0:
        return d1, d2, 0.0, 0.0, sl
    beta = tail[TAIL_BETA]
    b0 = t * tail_sum(beta, 2, 2, alpha, M, logc)
    sv = t / s * tail_sum(beta - alpha, 1, 3, alpha, M, logc)
    return d1, d2, b0, sv, sl


@njit(cache=True)
def tail_target_learned(kappa, tail):
    """``Σ_{k>M} v_k² L_k = t Σ k^-β/(1 + c k^α)``."""
    if tail.size == 0 or tail[TAIL_TSCALE] == 0.0:
        return 0.0
    logc = np.log(kappa / tail[TAIL_SCALE])
    return tail[TAIL_TSCALE] * tail_sum(tail[TAIL_BETA], 0, 1, tail[TAIL_ALPHA], tail[TAIL_M], logc)


@njit(cache=True)
def tail_kappa_below(tail, count):
    """A κ with at least ``count`` tail modes above it: ``s (M + count)^-α``.

    A lower bracket for the root finders: ``df1(κ) ≥ count/2`` and
    ``df2(κ) ≥ count/4`` there.
    """
    return tail[TAIL_SCALE] * (tail[TAIL_M] + count) ** (-tail[TAIL_ALPHA])


# --------------------------------------------------------------------------- complex κ
#
# For complex c = κ/s (off the negative real axis, or on it beyond the tail's
# eigenvalues) the same Euler–Maclaurin split holds with complex arithmetic;
# only the integral needs another route, since the incomplete-beta series of the
# real case converge only for |w₀| or |1 - w₀| below 1. With ``U(x) = c x^α``:
#
# * ``|U| ≤ 1/3`` (``|w| ≤ 1/2``): ``Σ_j (1-q)_j/j! [w^{p+j}/(p+j)]`` between two points;
# * ``1/3 ≤ |U| ≤ 3``: Gauss–Legendre panels in ``t = log x`` on a rectangle in the
#   complex ``t`` plane that keeps away from the nearest pole ``t_p``
#   (``1 + c e^{α t_p} = 0``, at imaginary distance ``θ = (π - |arg c|)/α``);
# * ``|U| ≥ 3`` (``|y| = |1/(1+U)| ≤ 1/2``): ``S(y; q, p)`` as in the real case.
#
# Logarithms are kept continuous along the path ``x ∈ [X, ∞)``:
# ``log U = log c + α log x`` (principal ``log c``) and ``log(1+U)`` the principal
# value for ``|U| ≤ 1`` and ``log U + Log(1 + 1/U)`` beyond. A pole of ``f`` within
# distance ``_POLE_GAP`` of ``[X, ∞)`` (``-κ`` close to a tail eigenvalue) would
# spoil the derivative corrections: the terms up to ``2|x_p|`` are then summed
# explicitly and the formula applied beyond (``None`` of this is needed for real
# ``κ > 0``, where the pole is at angle ``π/α`` from the real axis).

_POLE_GAP = 30.0
_MAX_EXPLICIT = 4_000_000
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(16)
_MAX_PANELS = 4000


@njit(cache=True)
def _clog1pexp(logu):
    """``log(1 + e^{logu})`` continuous along a ray ``arg U = const`` (see above)."""
    if logu.real > 0.0:
        return logu + np.log(1.0 + np.exp(-logu))
    return np.log(1.0 + np.exp(logu))


@njit(cache=True)
def _cexpm1(z):
    """``e^z - 1`` without cancellation for small ``|z|`` (complex)."""
    if abs(z) > 0.1:
        return np.exp(z) - 1.0
    term = z
    total = z
    for n in range(2, 30):
        term = term * z / n
        total += term
        if abs(term) <= 1e-17 * abs(total):
            break
    return total


@njit(cache=True)
def _c_y_series(lpref, logy, q, p):
    """``exp(lpref) · ∫_0^y s^{q-1}(1-s)^{p-1} ds`` for complex ``|y| ≤ 1/2`` (branch ``log y``)."""
    y = np.exp(logy)
    coef = 1.0 + 0.0j
    total = 0.0j
    for n in range(_MAXTERMS):
        term = coef / (q + n)
        total += term
        if n > 2 and abs(term) <= _EPS * abs(total) and n + 1 > -p:
            break
        coef *= (n + 1.0 - p) / (n + 1.0) * y
    return np.exp(lpref + q * logy) * total


@njit(cache=True)
def _c_w_series(lpref, logw0, logw1, p, q):
    """``exp(lpref) · ∫_{w0}^{w1} w^{p-1}(1-w)^{q-1} dw`` for complex ``|w0|, |w1| ≤ 1/2``."""
    coef = 1.0
    total = 0.0j
    dl = logw1 - logw0
    for j in range(_MAXTERMS):
        e = p + j
        if e == 0.0:
            ej = np.exp(lpref) * dl
        elif abs(e * dl) < 0.5:
            ej = np.exp(lpref + e * logw0) * _cexpm1(e * dl) / e
        else:
            ej = (np.exp(lpref + e * logw1) - np.exp(lpref + e * logw0)) / e
        term = coef * ej
        total += term
        if j > 2 and abs(term) <= _EPS * abs(total) and e > 0.0:
            break
        coef *= (j - (q - 1.0)) / (j + 1.0)
        if coef == 0.0:
            break
    return total


@njit(cache=True)
def _c_segment(za, zb, gamma, a, b, alpha, phi, tp, pole, hmax):
    """``∫ f(x) dx`` along the straight path ``log x = tp + σ``, ``σ: za → zb`` (complex), graded panels.

    Panel length ``min(hmax, |σ - pole|/2)`` measured at its start, 16-point
    Gauss–Legendre; ``U = e^{iφ + ασ}`` exactly (see :func:`_c_quad`).
    """
    total = 0.0j
    length = abs(zb - za)
    if length == 0.0:
        return total
    direc = (zb - za) / length
    pos = 0.0
    for _ in range(_MAX_PANELS):
        if pos >= length:
            return total
        z = za + pos * direc
        h = min(hmax, max(0.5 * abs(z - pole), 1e-3 * hmax), length - pos)
        half = 0.5 * h * direc
        mid = z + half
        acc = 0.0j
        for i in range(_GL_NODES.size):
            sg = mid + half * _GL_NODES[i]
            logu = alpha * sg + 1j * phi
            acc += _GL_WEIGHTS[i] * np.exp((1.0 - gamma) * (tp + sg) + a * logu - b * _clog1pexp(logu))
        total += half * acc
        pos += h
    return np.nan + 0.0j


@njit(cache=True)
def _c_quad(s0, s1, gamma, a, b, alpha, phi, tp, theta):
    """``∫ f(x) dx`` over ``log x = tp + σ``, real ``σ ∈ [s0, s1]``, on a path that avoids the pole.

    In ``σ`` (measured from ``tp = log|x_p|``), ``U = e^{iφ + ασ}`` exactly
    (``φ = arg c``): forming ``log c + α log x`` would lose ``|log c|·eps``.
    The nearest pole is at ``σ = ±iθ`` (sign of φ) and the next on the other side
    at ``∓i(π + |φ|)/α``; the integrand is meromorphic (integer ``a, b``), so the
    segment is replaced by the rectangle ``s0 → s0 ∓ iH → s1 ∓ iH → s1``,
    ``H = min(1/2, (π + |φ|)/(2α))``: next to a pole the integrand is large and
    its rounding (``eps/|1 + U|`` per factor) would not cancel.
    """
    sgn = -1.0 if phi >= 0.0 else 1.0
    H = min(0.5, 0.5 * (np.pi + abs(phi)) / alpha)
    pole = -sgn * theta * 1j
    z0 = complex(s0, 0.0)
    z1 = complex(s0, sgn * H)
    z2 = complex(s1, sgn * H)
    z3 = complex(s1, 0.0)
    return (_c_segment(z0, z1, gamma, a, b, alpha, phi, tp, pole, H)
            + _c_segment(z1, z2, gamma, a, b, alpha, phi, tp, pole, H)
            + _c_segment(z2, z3, gamma, a, b, alpha, phi, tp, pole, H))


@njit(cache=True)
def _c_integral(gamma, a, b, alpha, X, logc):
    """``∫_X^∞ x^{-γ} (c x^α)^a (1 + c x^α)^{-b} dx`` for complex ``c = e^{logc}`` (``b ≥ 1``, convergent)."""
    p = a + (1.0 - gamma) / alpha
    q = b - p
    lpref = -np.log(alpha) + (gamma - 1.0) / alpha * logc
    phi = logc.imag
    tp = -logc.real / alpha  # log |x_p|: |U(x)| = exp(α (log x - tp))
    theta = (np.pi - abs(phi)) / alpha
    sa = np.log(1.0 / 3.0) / alpha
    sb = np.log(3.0) / alpha
    total = 0.0j
    ss = np.log(X) - tp
    if ss < sa:
        lu0 = logc + alpha * np.log(X)
        lua = complex(alpha * sa, phi)
        total += _c_w_series(lpref, lu0 - _clog1pexp(lu0), lua - _clog1pexp(lua), p, q)
        ss = sa
    if ss < sb:
        total += _c_quad(ss, sb, gamma, a, b, alpha, phi, tp, theta)
        ss = sb
    lus = complex(alpha * ss, phi) if ss == sb else logc + alpha * np.log(X)
    return total + _c_y_series(lpref, -_clog1pexp(lus), q, p)


@njit(cache=True)
def _c_em_correction(gamma, a, b, alpha, X, logc):
    """:func:`_em_correction` for complex ``c`` (``b ≥ 1``)."""
    logx = np.log(X)
    logu = logc + alpha * logx
    l1pu = _clog1pexp(logu)
    f0 = np.exp(-gamma * logx + a * logu - b * l1pu)
    if f0 == 0.0:
        return 0.0j
    Q = np.empty(_ORDER)
    _binomial_series(a * alpha - gamma, X, Q)
    w0 = np.exp(logu - l1pu)
    G = np.empty(_ORDER)
    _binomial_series(alpha, X, G)
    W = np.empty(_ORDER, dtype=np.complex128)
    W[0] = 1.0
    for k in range(1, _ORDER):
        W[k] = w0 * G[k]
    P = np.empty(_ORDER, dtype=np.complex128)
    P[0] = 1.0
    r = -float(b)
    for m in range(1, _ORDER):
        s = 0.0j
        for k in range(1, m + 1):
            s += ((r + 1.0) * k - m) * W[k] * P[m - k]
        P[m] = s / m
    R = np.empty(_ORDER, dtype=np.complex128)
    for m in range(_ORDER):
        s = 0.0j
        for k in range(m + 1):
            s += Q[k] * P[m - k]
        R[m] = s
    return f0 * (R[1] / 24.0 - 7.0 * R[3] / 960.0 + 31.0 * R[5] / 8064.0 - 127.0 * R[7] / 30720.0)


@njit(cache=True)
def explicit_modes(alpha, M, logc):
    """The first index ``M' ≥ M`` beyond which the pole of ``1/(1 + c k^α)`` is far from ``[M'+½, ∞)``.

    The pole nearest the positive axis is ``x_p = |c|^{-1/α} e^{iθ}``,
    ``θ = (π - |arg c|)/α``; if its distance to ``[M+½, ∞)`` is below
    ``_POLE_GAP``, ``M' = ⌈2|x_p|⌉`` (then ``|U(M'+½)| ≥ 2^α``), else ``M``.
    """
    X = M + 0.5
    r = np.exp(-logc.real / alpha)
    theta = (np.pi - abs(logc.imag)) / alpha
    xr = r * np.cos(theta)
    xi = r * np.sin(theta)
    if xr <= X:
        d = np.sqrt((xr - X) ** 2 + xi**2)
    else:
        d = abs(xi)
    if d >= _POLE_GAP:
        return M
    return max(M, np.ceil(2.0 * r))


@njit(cache=True)
def tail_sum_complex(gamma, a, b, alpha, M, logc):
    r"""``Σ_{k>M} k^{-γ} (c k^α)^a / (1 + c k^α)^b`` for complex ``c = e^{logc}`` (principal ``log c``).

    ``a ≥ 0``, ``b ≥ 1`` integers with ``q = b - a - (1-γ)/α > 0``. Valid for every
    ``c`` with ``1 + c k^α ≠ 0`` at the integers ``k > M`` (``arg c = ±π`` included:
    ``-κ`` strictly between tail eigenvalues); ``nan`` if more than
    ``_MAX_EXPLICIT`` terms would have to be summed explicitly.
    """
    Mx = explicit_modes(alpha, M, logc)
    if Mx - M > _MAX_EXPLICIT:
        return np.nan + 0.0j
    head = 0.0j
    c = np.exp(logc)
    k = M + 1.0
    while k <= Mx:
        u = c * k**alpha
        head += k ** (-gamma) * u**a / (1.0 + u) ** b
        k += 1.0
    X = Mx + 0.5
    return head + _c_integral(gamma, a, b, alpha, X, logc) + _c_em_correction(gamma, a, b, alpha, X, logc)


@njit(cache=True)
def tail_df12_complex(kappa, tail):
    """Tail parts of ``(df1, df2)`` at complex ``κ`` (``-κ`` off the tail eigenvalues; ``nan`` if unreachable)."""
    logc = np.log(complex(kappa) / tail[TAIL_SCALE])
    alpha = tail[TAIL_ALPHA]
    M = tail[TAIL_M]
    return tail_sum_complex(0.0, 0, 1, alpha, M, logc), tail_sum_complex(0.0, 0, 2, alpha, M, logc)
