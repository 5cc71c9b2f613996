# SPDX-License-Identifier: BSD-3-Clause
r"""The two-point deterministic equivalent of the sample covariance.

For ``x ~ N(0, Σ)``, ``Σ = diag(eigs)``, ``n`` samples, ``Σ̂ = XᵀX/n`` and
``G_i = (Σ̂ - z_i)⁻¹``,

.. math::

    \mathbb E[G_1 A G_2] \simeq \frac{\kappa_1\kappa_2}{z_1 z_2}\Big[R_1 A R_2
        + \frac{\mathrm{tr}(A\Sigma R_1 R_2)}{n(1-\gamma_{12})}\,\Sigma R_1 R_2\Big],
    \qquad R_i = (\Sigma + \kappa_i)^{-1},\quad
    \gamma_{12} = \frac1n \mathrm{tr}(\Sigma^2 R_1 R_2),

with ``κ_i = κ(z_i)`` the one-point renormalized ridge,
``κ = -z + (κ/n) df1(κ)`` (Atanasov, Zavatone-Veth & Pehlevan 2024,
arXiv:2405.00592; the two-point form: Atanasov et al. 2025, arXiv:2502.05074).
The divided difference of κ is the two-point coefficient:
``1 - γ₁₂ = (z₂ - z₁)/(κ₁ - κ₂)``, which tends to ``-dz/dκ`` as ``z₂ → z₁``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .._arrays import flat_broadcast, scalar_or_array
from .._kernels import sums as S
from .._kernels import tail as T
from .._results import ResultFields
from .._validation import as_real, validate
from .onepoint import _complex_kappa, _is_infinite, edge_levels, kappa_on_levels, prepare

__all__ = ["TwoPoint", "two_point"]

# |Im κ| above this (relative to |κ| + the spectrum's scale) at a real z means z lies in the support.
_ON_SUPPORT = 1e-7


@dataclass(frozen=True, repr=False)
class TwoPoint(ResultFields):
    r"""The deterministic equivalent of ``E[(Σ̂ - z₁)⁻¹ A (Σ̂ - z₂)⁻¹]`` on a broadcast grid of ``(n, z₁, z₂)``.

    Attributes
    ----------
    trace : ndarray
        ``tr E[G₁ A G₂]`` (unnormalized; finite for an infinite power law with
        ``A = Σ`` or a summable ``A``).
    sigma_trace : ndarray
        ``tr(Σ E[G₁ A G₂]) = (κ₁κ₂/(z₁z₂)) tr(AΣR₁R₂)/(1 - γ₁₂)``.
    gamma : ndarray
        ``γ₁₂ = (1/n) Σ_k λ_k²/((λ_k+κ₁)(λ_k+κ₂))`` (``df2/n`` at ``z₁ = z₂``).
    one_minus_gamma : ndarray
        ``1 - γ₁₂ = (z₂ - z₁)/(κ₁ - κ₂)``, computed without cancellation as
        ``(ρ₁+ρ₂)/2 + ((κ₁+κ₂)/(2n)) Σ_k λ_k/((λ_k+κ₁)(λ_k+κ₂))``, ``ρ_i = -z_i/κ_i``.
    kappa_slope : ndarray
        The divided difference ``(κ₁ - κ₂)/(z₂ - z₁) = 1/(1 - γ₁₂)``; at
        ``z₁ = z₂ = -ridge`` it is ``dκ/d ridge``.
    kappa1, kappa2 : ndarray
        ``κ(z₁)``, ``κ(z₂)``.
    z1, z2, n : ndarray
        The broadcast arguments.
    diagonal : ndarray, shape ``grid + (L,)``
        Property: the diagonal of the equivalent in Σ's eigenbasis, one entry per
        level of ``eigs`` in the caller's order (finite spectra only; an
        infinite power law raises ``ValueError``).
    matrix : ndarray, shape ``grid + (D, D)``
        Property: the whole matrix, when ``A`` was given as a matrix (else
        ``ValueError``).
    """

    trace: np.ndarray
    sigma_trace: np.ndarray
    gamma: np.ndarray
    one_minus_gamma: np.ndarray
    kappa_slope: np.ndarray
    kappa1: np.ndarray
    kappa2: np.ndarray
    z1: np.ndarray
    z2: np.ndarray
    n: np.ndarray
    _diagonal: np.ndarray | None = None
    _matrix: np.ndarray | None = None

    @property
    def diagonal(self) -> np.ndarray:
        if self._diagonal is None:
            raise ValueError(
                "diagonal is not available for an infinite spectrum (infinitely many modes); "
                "use the sums trace / sigma_trace, or pass PowerLaw(alpha, scale, size=D)"
            )
        return self._diagonal

    @property
    def matrix(self) -> np.ndarray:
        if self._matrix is None:
            raise ValueError("matrix is available only when A is given as a D×D matrix; use diagonal otherwise")
        return self._matrix

    def as_dict(self) -> dict:
        """Every public field by name (``diagonal`` and ``matrix`` when available; arrays not copied)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        if self._diagonal is not None:
            out["diagonal"] = self._diagonal
        if self._matrix is not None:
            out["matrix"] = self._matrix
        return out

    def __repr__(self) -> str:
        shape = np.shape(self.trace)
        if shape != ():
            return f"TwoPoint(shape={shape})"
        return f"TwoPoint(trace={complex(self.trace):.6g}, gamma={complex(self.gamma):.6g}, kappa1={complex(self.kappa1):.6g}, kappa2={complex(self.kappa2):.6g})"


def _kappa_grid(lv, nf, zf, name):
    """κ(z) on flat (n, z) for every admissible z; ValueError naming ``name`` for z on the spectrum."""
    kappa = np.empty(zf.shape, dtype=np.complex128)
    x = zf.real
    real = zf.imag == 0
    done = real & (x <= 0)
    up = real & (x > 0)
    if up.any():  # z > 0 real: below the bulk (admissible negative ridge) or past it
        _, rmin = edge_levels(lv, nf[up])
        below = np.zeros_like(up)
        below[up] = -x[up] >= rmin
        done |= below
        up &= ~below
    if done.any():
        kappa[done] = kappa_on_levels(lv, nf[done], -x[done])
    cplx = ~done
    scale = float(lv.vals[0] + lv.trace() / max(float(nf.min()), 1e-300))
    for nv in np.unique(nf[cplx]) if cplx.any() else ():
        sel = cplx & (nf == nv)
        zs = zf[sel]
        flip = zs.imag < 0
        k = _complex_kappa(lv, float(nv), np.ascontiguousarray(np.where(flip, np.conj(zs), zs)))
        kappa[sel] = np.where(flip, np.conj(k), k)
    if up.any():
        bad = up & (np.abs(kappa.imag) > _ON_SUPPORT * (np.abs(kappa) + scale))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name} must lie off the spectrum of Σ̂ (its support at n={float(nf[i]):g}); "
                f"got the real point {float(x[i])!r} inside the support"
            )
        kappa[up] = kappa[up].real
    return kappa


def _check_zero(lv, nf, zf, name):
    if not (zf == 0).any():
        return
    i = int(np.flatnonzero(zf == 0)[0])
    nv = float(nf[i])
    if lv.infinite or lv.rank < lv.D or nv <= lv.D:
        raise ValueError(
            f"{name} must be != 0 unless Σ is full rank and n > D: Σ̂ is singular here "
            f"(D={lv.D:g}, rank={lv.rank:g}, n={nv:g})"
        )


def _as_A(A, lv):
    """Validate ``A``: returns ``(kind, diagonal per level or None, matrix or None)``."""
    if A is None:
        return "sigma", None, None
    if _is_infinite(A):
        if not lv.infinite:
            raise ValueError(
                f"A must be finite (a vector of length {lv.all_vals.size} or a matrix) for a finite spectrum; "
                f"got {A!r}"
            )
        if not A.alpha > 1.0:
            raise ValueError(f"A must be a summable PowerLaw (alpha > 1); got {A!r}")
        return "powerlaw", None, None
    if hasattr(A, "at_levels"):
        A = A.eigs
    arr = as_real(A, "A")
    L = lv.all_vals.size
    if arr.ndim == 1:
        if lv.infinite:
            return "vector", arr, None
        if arr.size != L:
            raise ValueError(f"A must have one diagonal entry per level of eigs (length {L}); got shape {arr.shape}")
        return "vector", arr, None
    if arr.ndim == 2:
        if lv.infinite:
            raise ValueError("A must be a vector or a PowerLaw for an infinite spectrum (a matrix would be infinite)")
        if not np.all(lv.all_mult == 1.0):
            raise ValueError(
                "A must be a vector (per level) when eigs has multiplicities; expand the spectrum to pass a matrix"
            )
        if arr.shape != (L, L):
            raise ValueError(f"A must be a vector of length {L} or a {L}×{L} matrix; got shape {arr.shape}")
        return "matrix", np.diagonal(arr).copy(), arr
    raise ValueError(f"A must be None, a vector of length {L} or a {L}×{L} matrix; got shape {arr.shape}")


def two_point(eigs, n, z1, z2, A=None):
    r"""Deterministic equivalent of ``E[(Σ̂ - z₁)⁻¹ A (Σ̂ - z₂)⁻¹]``, ``Σ̂ = XᵀX/n``, ``x ~ N(0, diag(eigs))``.

    Parameters
    ----------
    eigs : array_like, Spectrum or PowerLaw
        Population eigenvalues (≥ 0). An infinite ``PowerLaw`` is accepted for
        the summed outputs (``trace``, ``sigma_trace``, ``gamma`` ...) at any
        admissible real or complex ``z`` (its tail summed analytically at complex
        κ, :func:`rmt._kernels.tail.tail_sum_complex`).
    n : array_like
        Number of samples (> 0), broadcast with ``z1``, ``z2``.
    z1, z2 : array_like, complex
        Points off the spectrum of Σ̂, real or complex. ``z = -ridge`` gives the
        ridge form ``E[(Σ̂ + ridge₁)⁻¹ A (Σ̂ + ridge₂)⁻¹]``. ``z = 0`` only when
        Σ is full rank and ``n > D``. Real ``z`` inside the support raise.
    A : None, array_like or PowerLaw
        ``None``: ``A = Σ`` (test covariance = train covariance). A vector: a
        diagonal matrix in Σ's eigenbasis, one entry per level of ``eigs``
        (a covariate-shift test covariance); for an infinite spectrum a vector
        of any length (zero beyond it) or an infinite ``PowerLaw`` diagonal.
        A ``D×D`` matrix in Σ's eigenbasis (finite spectra with unit
        multiplicities).

    Returns
    -------
    TwoPoint
        ``trace``, ``sigma_trace``, ``gamma``, ``one_minus_gamma``,
        ``kappa_slope``, ``kappa1``, ``kappa2``, ``z1``, ``z2``, ``n`` on the
        broadcast grid; ``diagonal`` (finite spectra) and ``matrix`` (matrix
        ``A``). Real dtype when ``z1`` and ``z2`` are real, else complex.

    Notes
    -----
    With ``ρ_i = -z_i/κ_i = 1 - df1(κ_i)/n`` (``κ_i/z_i = -1/ρ_i``, finite at
    ``z = 0``), ``S₁ = Σ_k λ_k R₁R₂``, ``c_A = tr(AΣR₁R₂)`` and
    ``N₁₂ = n(1 - γ₁₂) = (n/2)(ρ₁ + ρ₂) + ((κ₁+κ₂)/2) S₁`` (the fixed point
    substituted into ``n - Σλ²R₁R₂``: no cancellation for real ``z < 0``, and
    none as ``κ₁ → κ₂``; it reduces to ``n·ridge/κ + df1 - df2`` at
    ``z₁ = z₂``),

    .. math::

        \mathbb E[G_1AG_2]_{jk} \simeq \frac{1}{\rho_1\rho_2}\Big[R_{1j}A_{jk}R_{2k}
            + \delta_{jk}\frac{c_A}{N_{12}}\lambda_kR_{1k}R_{2k}\Big].

    Every sum over modes is one pass of :func:`rmt._kernels.sums.weighted_sums`
    (power-law tails summed analytically). The formula holds as ``D, n → ∞``
    with ``D/n`` fixed (Atanasov et al. 2025, arXiv:2502.05074; the one-point
    κ(z): Atanasov, Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592).

    Examples
    --------
    >>> import numpy as np, rmt
    >>> r = rmt.two_point(np.ones(300), 100, -0.75, -0.75, A=np.ones(300))   # κ = 3
    >>> bool(np.isclose(r.kappa1, 3.0)), bool(np.isclose(r.kappa_slope, 1 / (1 - 300 / 100 / 16)))
    (True, True)
    """
    head = 0
    if A is not None and not _is_infinite(A) and _is_infinite(eigs) and np.ndim(A) == 1:
        head = np.size(A)
    lv = prepare(eigs, allow_tail=True, head=head)
    kind, a_diag, A_mat = _as_A(A, lv)
    out_complex = _is_complex_input(z1) or _is_complex_input(z2)
    n, z1, z2 = validate("two_point", n=n, z1=z1, z2=z2)
    shape, (nf, zf1, zf2) = flat_broadcast(n, z1, z2, dtype=np.complex128)
    nf = np.ascontiguousarray(nf.real)
    _check_zero(lv, nf, zf1, "z1")
    _check_zero(lv, nf, zf2, "z2")
    k1 = _kappa_grid(lv, nf, zf1, "z1")
    k2 = _kappa_grid(lv, nf, zf2, "z2")

    vals = lv.all_vals
    mult = lv.all_mult
    if kind == "sigma":
        a_diag = vals.copy()
        a_tail = (lv.tail[T.TAIL_SCALE], lv.tail[T.TAIL_ALPHA]) if lv.infinite else (0.0, 0.0)
    elif kind == "powerlaw":
        a_diag = np.asarray(A.head(vals.size), dtype=np.float64)
        a_tail = (A.scale, A.alpha)
    else:
        if lv.infinite:
            full = np.zeros(vals.size)
            full[: a_diag.size] = a_diag
            a_diag = full
        a_tail = (0.0, 0.0)
    W = np.stack([mult, mult, mult * a_diag, mult * a_diag])
    powers = np.array([1.0, 2.0, 0.0, 1.0])
    ones = np.ones(4, dtype=np.int64)
    tail_w = np.array([[1.0, 0.0], [1.0, 0.0], list(a_tail), list(a_tail)])
    kk1 = k1 if out_complex else k1.real
    kk2 = k2 if out_complex else k2.real
    if lv.infinite:
        if not out_complex and ((kk1 <= 0).any() or (kk2 <= 0).any()):  # real z past the bulk: κ < 0
            sums = S.weighted_sums(vals, W, powers, ones, ones, kk1 + 0j, kk2 + 0j, tail=lv.tail,
                                   tail_weights=tail_w).real
        else:
            sums = S.weighted_sums(vals, W, powers, ones, ones, kk1, kk2, tail=lv.tail, tail_weights=tail_w)
        if not np.isfinite(sums).all():
            raise ValueError("z1, z2 must keep -κ(z) away from the power-law tail's eigenvalues (a tail sum "
                             "would need more than 4·10⁶ explicit terms there)")
    else:
        sums = S.weighted_sums(vals, W, powers, ones, ones, kk1, kk2)
    S1, S2, TA, cA = sums.T
    if not out_complex:
        k1 = k1.real
        k2 = k2.real
        zr1, zr2 = zf1.real, zf2.real
    else:
        zr1, zr2 = zf1, zf2
    rho1 = _rho(lv, nf, zr1, k1)
    rho2 = _rho(lv, nf, zr2, k2)
    N12 = 0.5 * nf * (rho1 + rho2) + 0.5 * (k1 + k2) * S1
    pre = 1.0 / (rho1 * rho2)
    c = cA / N12
    trace = pre * (TA + c * S1)
    sigma_trace = pre * cA * (nf / N12)
    diag = None
    matrix = None
    if not lv.infinite:
        R1 = 1.0 / (vals[None, :] + k1[:, None])
        R2 = 1.0 / (vals[None, :] + k2[:, None])
        RR = R1 * R2
        diag = pre[:, None] * (a_diag[None, :] * RR + c[:, None] * vals[None, :] * RR)
        diag = diag.reshape(shape + (vals.size,))
        if A_mat is not None:
            mat = R1[:, :, None] * A_mat[None, :, :] * R2[:, None, :]
            idx = np.arange(vals.size)
            mat[:, idx, idx] += c[:, None] * vals[None, :] * RR
            matrix = (pre[:, None, None] * mat).reshape(shape + (vals.size, vals.size))

    def out(x):
        return scalar_or_array(np.array(x, copy=True), shape)

    return TwoPoint(
        trace=out(trace),
        sigma_trace=out(sigma_trace),
        gamma=out(S2 / nf),
        one_minus_gamma=out(N12 / nf),
        kappa_slope=out(nf / N12),
        kappa1=out(k1),
        kappa2=out(k2),
        z1=out(zr1),
        z2=out(zr2),
        n=out(nf),
        _diagonal=diag,
        _matrix=matrix,
    )


def _is_complex_input(z) -> bool:
    try:
        return bool(np.iscomplexobj(np.asarray(z)))
    except (TypeError, ValueError):
        return False


def _rho(lv, nf, z, kappa):
    """``ρ = -z/κ = 1 - df1(κ)/n``; at ``κ = 0`` (``z = 0``, full rank, ``n > D``) ``1 - D/n``."""
    rho = np.empty_like(kappa)
    zero = kappa == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rho[~zero] = -z[~zero] / kappa[~zero]
    rho[zero] = 1.0 - lv.rank / nf[zero]
    return rho
