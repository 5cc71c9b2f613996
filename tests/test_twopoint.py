# SPDX-License-Identifier: BSD-3-Clause
"""The two-point deterministic equivalent and the weighted spectral-sum kernel.

Laws (the κ divided-difference identity, the z₁ → z₂ derivative limit, the
A = I reduction to the one-point function), reference values, Monte Carlo of
the actual matrix product, the sums kernel against mpmath / direct sums
(power-law tails included), hypothesis symmetries, bad input.
"""

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import rmt
from rmt._kernels.sums import tail_pair_sum, tail_pair_sum_complex, weighted_sums
from rmt._kernels.tail import tail_sum_complex
from rmt.spectra import PowerLaw, Spectrum, power_law

from conftest import mc_scale

EIGS = 10.0 * power_law(300, 1.5)  # trace ≈ 25


def _dd(r):
    return (r.z2 - r.z1) / (r.kappa1 - r.kappa2)


# --------------------------------------------------------------------------- laws


@pytest.mark.parametrize(
    "n, z1, z2",
    [(100, -0.01, -0.1), (600, -0.3, -0.02), (100, 0.05 + 0.02j, 0.3 - 0.05j), (400, -0.02 + 0.01j, 1.0 + 2.0j)],
)
def test_one_minus_gamma_is_kappa_divided_difference(n, z1, z2):
    """1 - γ₁₂ = (z₂ - z₁)/(κ₁ - κ₂), and the stable form equals 1 - Σλ²R₁R₂/n."""
    r = rmt.two_point(EIGS, n, z1, z2)
    assert r.one_minus_gamma == pytest.approx(_dd(r), rel=1e-12)
    assert r.one_minus_gamma == pytest.approx(1 - r.gamma, rel=1e-12)
    assert r.kappa_slope * r.one_minus_gamma == pytest.approx(1.0, rel=1e-14)
    # κ is the one-point root κ(1 - df1(κ)/n) = -z at each argument
    for z, k in [(z1, r.kappa1), (z2, r.kappa2)]:
        assert abs(k * (1 - np.sum(EIGS / (EIGS + k)) / n) + z) < 1e-12 * abs(z)


@pytest.mark.parametrize("n", [100, 600])
@pytest.mark.parametrize("z", [-0.05, -1e-3, 0.02 + 0.03j, 0.3 - 0.2j])
def test_equal_arguments_are_the_derivative(n, z):
    """z₁ = z₂: exact (no 0/0), continuous, and equal to the derivatives of the one-point functions.

    With A = I, tr E[G(z)²]/D = m'(z) (finite differences of rmt.stieltjes);
    kappa_slope = -dκ/dz; gamma = df2(κ)/n for real z.
    """
    D = EIGS.size
    r = rmt.two_point(EIGS, n, z, z, A=np.ones(D))
    assert np.isfinite(r.trace) and np.isfinite(r.kappa_slope)
    h = 1e-5 * abs(z)
    dm = (rmt.stieltjes(EIGS, n, z + h) - rmt.stieltjes(EIGS, n, z - h)) / (2 * h)
    assert r.trace / D == pytest.approx(dm, rel=1e-7)
    kp = rmt.two_point(EIGS, n, z + h, z + h).kappa1
    km = rmt.two_point(EIGS, n, z - h, z - h).kappa1
    assert r.kappa_slope == pytest.approx(-(kp - km) / (2 * h), rel=1e-7)
    # continuity: a pair 1e-10 apart agrees with the exact limit
    near = rmt.two_point(EIGS, n, z, z * (1 + 1e-10), A=np.ones(D))
    assert near.trace == pytest.approx(r.trace, rel=1e-8)
    if np.isreal(z):
        assert r.gamma == pytest.approx(rmt.df2(EIGS, r.kappa1) / n, rel=1e-13)
        assert r.kappa_slope == pytest.approx(1 / (1 - rmt.df2(EIGS, r.kappa1) / n), rel=1e-12)


@pytest.mark.parametrize(
    "n, z1, z2", [(100, -0.01, -0.2), (600, -0.3, -0.02), (100, 0.05 + 0.02j, 0.3 - 0.05j), (250, -0.02 + 0.1j, 2 + 1j)]
)
def test_identity_reduces_to_one_point(n, z1, z2):
    """A = I: tr E[G₁G₂]/D = (m(z₁) - m(z₂))/(z₁ - z₂) in the deterministic equivalent."""
    D = EIGS.size
    r = rmt.two_point(EIGS, n, z1, z2, A=np.ones(D))
    m1, m2 = rmt.stieltjes(EIGS, n, [z1, z2])
    assert r.trace / D == pytest.approx((m1 - m2) / (z1 - z2), rel=1e-11)
    # G₁ Σ̂ G₂ = (z₂G₂ - z₁G₁)/(z₁ - z₂) ... and A = Σ: tr(G₁ΣG₂) against the diagonal
    s = rmt.two_point(EIGS, n, z1, z2)
    assert s.trace == pytest.approx(np.sum(s.diagonal), rel=1e-13)
    assert s.sigma_trace == pytest.approx(np.sum(EIGS * s.diagonal), rel=1e-13)


def test_ridge_form_and_multiplicities():
    """z = -ridge; a Spectrum with multiplicities equals the expanded array."""
    lv = Spectrum([2.0, 0.5, 0.1], [50, 100, 150])
    a = rmt.two_point(lv, 120, -0.05, -0.2, A=np.array([1.0, 3.0, 0.5]))
    b = rmt.two_point(np.asarray(lv), 120, -0.05, -0.2, A=np.repeat([1.0, 3.0, 0.5], [50, 100, 150]))
    for f in ["trace", "sigma_trace", "gamma", "kappa1", "kappa2", "one_minus_gamma"]:
        assert getattr(a, f) == pytest.approx(getattr(b, f), rel=1e-12)
    np.testing.assert_allclose(np.repeat(a.diagonal, [50, 100, 150]), b.diagonal, rtol=1e-12)
    assert a.kappa1 == pytest.approx(rmt.solve_kappa(lv, 120, 0.05), rel=1e-13)


def test_reference_values_dynamics_note():
    """Reference values (D = 500, λ ∝ k^-1.5 with tr Σ = 100, w̄ ∝ k^-0.75, w̄ᵀΣw̄ = 1), to 1e-4 of the quoted digits."""
    D = 500
    k = np.arange(1, D + 1)
    om = k**-1.5
    om *= 100 / om.sum()
    w = k**-0.75
    w /= np.sqrt(np.sum(om * w**2))
    table = [(250, 1e-2, 1e-1, 0.15476, 0.58451), (250, 1e-3, 1e-1, 0.90746, 3.42734),
             (1000, 1e-2, 1e-1, 0.05664, 0.21392), (1000, 1e-3, 1e-1, 0.09349, 0.35311)]
    for P, l1, l2, quad, trace in table:
        r = rmt.two_point(om, P, -l1, -l2)
        assert np.sum(w**2 * r.diagonal) == pytest.approx(quad, abs=6e-6)
        assert r.sigma_trace / D == pytest.approx(trace, abs=6e-6)
    r = rmt.two_point(om, 1000, 0.05 + 0.02j, 0.3 - 0.05j)
    assert np.sum(w**2 * r.diagonal) == pytest.approx(0.01051 - 0.04754j, abs=1e-5)
    r = rmt.two_point(om, 1000, -0.02 + 0.01j, -0.02 - 0.01j)
    assert np.sum(w**2 * r.diagonal) == pytest.approx(0.08958, abs=1e-5)


def test_zero_argument_full_rank():
    """z = 0 with n > D (κ = 0): the limit of z → 0⁻, with 1 - γ = 1 - D/n for Σ = I."""
    r0 = rmt.two_point(EIGS, 600, 0.0, -0.1)
    r1 = rmt.two_point(EIGS, 600, -1e-12, -0.1)
    assert r0.trace == pytest.approx(r1.trace, rel=1e-9)
    iso = rmt.two_point(np.ones(50), 200, 0.0, 0.0)
    assert iso.one_minus_gamma == pytest.approx(1 - 50 / 200, rel=1e-14)
    # E[Σ̂⁻¹ Σ Σ̂⁻¹] for Σ = I: (n/(n-D))² (1 + (D/n)/(1 - D/n)) per mode
    q = 50 / 200
    assert iso.diagonal[0] == pytest.approx(1 / (1 - q) ** 3, rel=1e-13)


def test_broadcasting_and_dtypes():
    r = rmt.two_point(EIGS, np.array([[100.0], [300.0]]), np.array([-0.1, -0.01, -0.001]), -0.05)
    assert r.trace.shape == (2, 3) and r.diagonal.shape == (2, 3, EIGS.size)
    assert r.trace.dtype == np.float64
    for i, n in enumerate([100, 300]):
        for j, z in enumerate([-0.1, -0.01, -0.001]):
            s = rmt.two_point(EIGS, n, z, -0.05)
            assert r.trace[i, j] == s.trace
            np.testing.assert_array_equal(r.diagonal[i, j], s.diagonal)
    c = rmt.two_point(EIGS, [100, 300], [0.1 + 0.1j, -0.2], -0.05)
    assert c.trace.dtype == np.complex128 and c.trace.shape == (2,)
    assert c.trace[1] == pytest.approx(rmt.two_point(EIGS, 300, -0.2, -0.05).trace, rel=1e-12)
    assert "TwoPoint" in repr(r) and "TwoPoint" in repr(s)
    assert set(s.as_dict()) >= {"trace", "gamma", "kappa1", "kappa2", "z1", "z2", "n", "diagonal"}


def test_real_argument_above_the_bulk():
    """A real z above the largest eigenvalue of Σ̂ is off the spectrum: finite, real κ, and the limit of z + iη."""
    eigs = np.ones(100)
    z = 3.0  # MP edge (1 + sqrt(1/2))² ≈ 2.914 for D/n = 1/2
    r = rmt.two_point(eigs, 200, z, z)
    s = rmt.two_point(eigs, 200, z + 1e-9j, z + 1e-9j)
    assert r.trace == pytest.approx(s.trace.real, rel=1e-6)
    assert r.kappa1 < -1.0
    # a real point in the gap between two bulks (levels 10 and 0.1, D/n = 0.1): real κ, m'(z) by finite differences
    two = np.r_[np.full(100, 10.0), np.full(100, 0.1)]
    g = rmt.two_point(two, 2000, 1.0, 1.0, A=np.ones(200))
    dm = (rmt.stieltjes(two, 2000, 1.0 + 1e-5) - rmt.stieltjes(two, 2000, 1.0 - 1e-5)) / 2e-5
    assert g.trace / 200 == pytest.approx(dm.real, rel=1e-8)


# --------------------------------------------------------------------------- infinite power laws


def _slow_sum(alpha, a, beta, t, k1, k2, K=2_000_000):
    """Σ_k t k^-β λ_k^a/((λ_k+κ₁)(λ_k+κ₂)), λ_k = k^-α: an explicit numpy sum over k ≤ K plus its exact
    truncation error, the convergent series Σ_j h_j ζ(β + α(a+j), K+1) in λ/κ (h_j the coefficients of
    1/((λ+κ₁)(λ+κ₂)) in λ; λ_K ≪ κ makes it converge fast)."""
    k = np.arange(1, K + 1, dtype=np.float64)
    lam = k**-alpha
    head = np.sum(t * k**-beta * lam**a / ((lam + k1) * (lam + k2)))
    with mp.workdps(30):
        K1, K2 = mp.mpmathify(k1), mp.mpmathify(k2)
        rem = mp.mpf(0)
        for j in range(40):
            h = (-1) ** j * mp.fsum(K1 ** -(i + 1) * K2 ** -(j - i + 1) for i in range(j + 1))
            term = h * mp.zeta(beta + alpha * (a + j), K + 1)
            rem += term
            if abs(term) < mp.mpf(10) ** -25 * abs(rem):
                break
    return head + t * (complex(rem) if isinstance(rem, mp.mpc) else float(rem))


def _slow_infinite(alpha, n, ridge1, ridge2, a_tail=None):
    """two_point's trace, sigma_trace, gamma for PowerLaw(alpha) from κ (solve_kappa) and slow sums."""
    k1, k2 = rmt.solve_kappa(PowerLaw(alpha), n, [ridge1, ridge2])
    tA, bA = (1.0, alpha) if a_tail is None else a_tail
    S1 = _slow_sum(alpha, 1, 0.0, 1.0, k1, k2)
    S2 = _slow_sum(alpha, 2, 0.0, 1.0, k1, k2)
    TA = _slow_sum(alpha, 0, bA, tA, k1, k2)
    cA = _slow_sum(alpha, 1, bA, tA, k1, k2)
    rho1, rho2 = ridge1 / k1, ridge2 / k2
    N12 = n * (rho1 + rho2) / 2 + (k1 + k2) / 2 * S1
    pre = 1 / (rho1 * rho2)
    return pre * (TA + cA / N12 * S1), pre * cA * n / N12, S2 / n


@pytest.mark.parametrize(
    "alpha, n, r1, r2", [(1.5, 100, 1e-3, 1e-2), (2.0, 300, 1e-4, 1e-4 * (1 + 1e-11)), (1.3, 50, 0.1, 1e-6)]
)
def test_infinite_power_law_against_long_truncation(alpha, n, r1, r2):
    """Infinite PowerLaw, A = Σ: against 2·10⁶ explicit modes plus their exact truncation error (to 1e-12)."""
    r = rmt.two_point(PowerLaw(alpha), n, -r1, -r2)
    trace, sigma_trace, gamma = _slow_infinite(alpha, n, r1, r2)
    assert r.trace == pytest.approx(trace, rel=1e-12)
    assert r.sigma_trace == pytest.approx(sigma_trace, rel=1e-12)
    assert r.gamma == pytest.approx(gamma, rel=1e-12)
    assert r.one_minus_gamma == pytest.approx(1 - gamma, rel=1e-12)
    with pytest.raises(ValueError, match="diagonal is not available for an infinite spectrum"):
        r.diagonal


@pytest.mark.parametrize(
    "alpha, n, z1, z2",
    [(1.5, 100, 0.05 + 0.02j, 0.05 - 0.02j), (2.0, 300, -1e-3 + 1e-3j, 0.3 + 1e-2j), (1.3, 50, 0.2 + 1e-3j, 2.0 + 0j)],
)
def test_infinite_power_law_complex_z_against_long_truncation(alpha, n, z1, z2):
    """Complex z on an infinite PowerLaw: κ(z) solves its fixed point with df1 from 2·10⁶ explicit modes plus
    their exact truncation error, and trace, sigma_trace, gamma match the same slow sums (to 1e-12)."""
    r = rmt.two_point(PowerLaw(alpha), n, z1, z2)
    out = []
    for k, z in ((r.kappa1, z1), (r.kappa2, z2)):
        d1 = _slow_sum(alpha, 2, 0.0, 1.0, k, k) + k * _slow_sum(alpha, 1, 0.0, 1.0, k, k)  # Σ λ/(λ+κ)
        assert abs(k * (1 - d1 / n) + z) <= 1e-12 * (abs(z) + abs(k)), (k, z)
        out.append(-z / k)
    rho1, rho2 = out
    k1, k2 = r.kappa1, r.kappa2
    S1 = _slow_sum(alpha, 1, 0.0, 1.0, k1, k2)
    S2 = _slow_sum(alpha, 2, 0.0, 1.0, k1, k2)
    N12 = n * (rho1 + rho2) / 2 + (k1 + k2) / 2 * S1
    TA, cA = S1, S2  # A = Σ: Σ λ R₁R₂ and Σ λ² R₁R₂
    assert abs(r.gamma - S2 / n) <= 1e-12 * abs(S2 / n)
    assert abs(r.trace - (TA + cA / N12 * S1) / (rho1 * rho2)) <= 1e-12 * abs(r.trace)
    assert abs(r.sigma_trace - cA * n / N12 / (rho1 * rho2)) <= 1e-12 * abs(r.sigma_trace)
    # and the finite truncations converge to it like the dropped tail, D^{1-α}
    errs = [abs(rmt.two_point(power_law(D, alpha), n, z1, z2).trace - r.trace) for D in (2000, 32000)]
    assert errs[1] < errs[0] * 16 ** (1 - alpha) * 2


@pytest.mark.parametrize("eigs_of", [lambda s: PowerLaw(1.7, s), lambda s: s * power_law(400, 1.7)])
def test_scale_covariance(eigs_of):
    """Σ → sΣ, z → sz: G → G/s, so with A = Σ the trace scales by 1/s and γ₁₂, κ/s are invariant."""
    s = 3.7
    z = np.array([-1e-3, -0.004 if isinstance(eigs_of(1.0), PowerLaw) else 0.002 + 0.01j])
    r = rmt.two_point(eigs_of(1.0), 120, z, -0.02)
    t = rmt.two_point(eigs_of(s), 120, s * z, -0.02 * s)
    np.testing.assert_allclose(t.trace, r.trace / s, rtol=1e-12)
    np.testing.assert_allclose(t.sigma_trace, r.sigma_trace, rtol=1e-12)
    np.testing.assert_allclose(t.gamma, r.gamma, rtol=1e-12)
    np.testing.assert_allclose(t.kappa1, s * r.kappa1, rtol=1e-12)


def test_infinite_power_law_shifted_test_covariance():
    """A as an infinite PowerLaw diagonal (slow reference as above) and as a finite vector (zero beyond it)."""
    r = rmt.two_point(PowerLaw(2.0), 200, -1e-3, -2e-3, A=PowerLaw(1.5, 2.0))
    trace, sigma_trace, _ = _slow_infinite(2.0, 200, 1e-3, 2e-3, a_tail=(2.0, 1.5))
    assert r.trace == pytest.approx(trace, rel=1e-12)
    assert r.sigma_trace == pytest.approx(sigma_trace, rel=1e-12)
    # a finite vector: only its modes enter tr A·(...) and c_A; compare with the same sums done by hand
    v = np.linspace(1, 2, 1000)
    r = rmt.two_point(PowerLaw(2.0), 200, -1e-3, -2e-3, A=v)
    k1, k2 = r.kappa1, r.kappa2
    lam = np.arange(1, v.size + 1) ** -2.0
    RR = 1 / ((lam + k1) * (lam + k2))
    S1 = _slow_sum(2.0, 1, 0.0, 1.0, k1, k2)
    N12 = 200 * r.one_minus_gamma
    pre = k1 * k2 / (1e-3 * 2e-3)
    assert r.trace == pytest.approx(pre * (np.sum(v * RR) + np.sum(v * lam * RR) / N12 * S1), rel=1e-12)
    # negative ridge above the edge: κ is real and positive
    _, rmin = rmt.ridge_edge(PowerLaw(2.0), 200)
    assert np.isfinite(rmt.two_point(PowerLaw(2.0), 200, -0.5 * rmin, -1e-3).trace)


# --------------------------------------------------------------------------- Monte Carlo


def _mc(eigs, n, z1, z2, A, summaries, trials, seed):
    """Per-draw summaries of the actual G₁AG₂ (dense numpy): (mean, standard error) per summary."""
    rng = np.random.default_rng(seed)
    D = eigs.size
    out = []
    for _ in range(trials):
        X = rng.standard_normal((n, D)) * np.sqrt(eigs)
        Sh = X.T @ X / n
        G1 = np.linalg.inv(Sh - z1 * np.eye(D))
        G2 = np.linalg.inv(Sh - z2 * np.eye(D))
        M = G1 @ A @ G2
        out.append([f(M) for f in summaries])
    out = np.array(out)
    mean = out.mean(0)
    se = (np.std(out.real, 0, ddof=1) + 1j * np.std(out.imag, 0, ddof=1)) / np.sqrt(trials)
    return mean, se


def _close(theory, mean, se, allowance):
    """|theory - MC| within 4 SE + a relative finite-size allowance, real and imaginary parts separately."""
    theory = np.asarray(theory, dtype=complex)
    scale = np.abs(theory)
    ok_re = np.abs(theory.real - mean.real) <= 4 * se.real + allowance * scale
    ok_im = np.abs(theory.imag - mean.imag) <= 4 * se.imag + allowance * scale
    return bool(np.all(ok_re & ok_im)), theory, mean, se


# Finite-size allowance: the deterministic equivalent of a normalized trace or a unit quadratic form is exact
# up to O(1/D) relative; at D = 200 with these well-conditioned z (distance ≳ 0.3·spectral scale) we allow 1.5%.
_ALLOW = 0.015


@pytest.mark.montecarlo
@pytest.mark.parametrize(
    "n, z1, z2",
    [(300, -0.05, -0.5), (100, -0.1, -0.02), (300, 0.2 + 0.15j, 1.0 - 0.3j), (100, -0.05 + 0.1j, -0.05 - 0.1j)],
)
def test_monte_carlo_diagonal_A(n, z1, z2):
    """A = Σ and a covariate-shift diagonal A: normalized traces and a quadratic form, D = 200."""
    D = 200
    eigs = 2.0 * power_law(D, 1.0)
    k = np.arange(1, D + 1)
    u = k**-0.5 / np.linalg.norm(k**-0.5)
    shift = 1.0 / k**0.5  # a test covariance flatter than Σ
    trials = int(48 * mc_scale())
    for A_vec, A_arg in [(eigs, None), (shift, shift)]:
        r = rmt.two_point(eigs, n, z1, z2, A=A_arg)
        summaries = [lambda M: np.trace(M) / D, lambda M: np.trace(eigs[:, None] * M) / D, lambda M: u @ M @ u]
        mean, se = _mc(eigs, n, z1, z2, np.diag(A_vec), summaries, trials, seed=[7, n, int(abs(z1) * 1e3)])
        theory = [r.trace / D, r.sigma_trace / D, np.sum(u**2 * r.diagonal)]
        ok, *info = _close(theory, mean, se, _ALLOW)
        assert ok, info


@pytest.mark.montecarlo
@pytest.mark.parametrize("n, z1, z2", [(300, -0.05, -0.3), (150, 0.1 + 0.2j, -0.1 + 0.05j)])
def test_monte_carlo_matrix_A(n, z1, z2):
    """A general non-symmetric matrix A (diagonal + a rank-one top-to-bottom coupling + noise), D = 200.

    Probes: the normalized trace, a fixed test matrix ⟨B, ·⟩, and the quadratic form pᵀ(·)q through the
    coupling (top modes p, bottom modes q), which tells R₁AR₂ from R₂AR₁.
    """
    D = 200
    eigs = 2.0 * power_law(D, 1.0)
    g = np.random.default_rng(11)
    p = np.zeros(D)
    p[:10] = 1 / np.sqrt(10)
    q = np.zeros(D)
    q[100:] = 1 / np.sqrt(100)
    A = np.diag(1.0 + g.uniform(size=D)) + 3.0 * np.outer(p, q) + g.standard_normal((D, D)) / np.sqrt(D)
    B = g.standard_normal((D, D)) / np.sqrt(D)
    r = rmt.two_point(eigs, n, z1, z2, A=A)
    M = r.matrix
    assert M.shape == (D, D)
    np.testing.assert_allclose(np.diagonal(M), r.diagonal, rtol=1e-14)
    assert np.trace(M) == pytest.approx(r.trace, rel=1e-12)
    summaries = [lambda X: np.trace(X) / D, lambda X: np.sum(B * X) / np.sqrt(D), lambda X: p @ X @ q]
    theory = [np.trace(M) / D, np.sum(B * M) / np.sqrt(D), p @ M @ q]
    mean, se = _mc(eigs, n, z1, z2, A, summaries, int(48 * mc_scale()), seed=[13, n])
    ok, *info = _close(theory, mean, se, _ALLOW)
    assert ok, info


# --------------------------------------------------------------------------- the sums kernel


def _mp_sum(vals, w, a, b1, b2, k1, k2):
    with mp.workdps(40):
        tot = mp.mpc(0)
        for lam, wk in zip(vals, w):
            lam = mp.mpf(float(lam))
            tot += mp.mpf(float(wk)) * (lam**a if a else 1) / ((lam + mp.mpc(k1)) ** b1 * (lam + mp.mpc(k2)) ** b2)
        return complex(tot)


@pytest.mark.parametrize(
    "k1, k2",
    [(0.3, 0.3), (0.3, 0.3 * (1 + 1e-12)), (1e-4, 2.5), (0.2 + 0.1j, 0.2 + 0.1j), (0.2 + 0.1j, 0.2 + 0.1j + 1e-13),
     (-0.3 - 0.2j, 1.5 + 0.7j)],
)
def test_sums_kernel_against_mpmath(k1, k2):
    g = np.random.default_rng(3)
    vals = np.r_[g.uniform(0, 3, 60), 0.0, 1e-9]
    W = g.uniform(0, 1, (5, vals.size))
    a, b1, b2 = [0, 1, 2, 1, 3], [1, 1, 1, 2, 3], [1, 1, 1, 0, 0]
    got = weighted_sums(vals, W, a, b1, b2, np.array([k1]), np.array([k2]))
    assert got.dtype == (np.complex128 if isinstance(k1, complex) else np.float64)
    for j in range(5):
        ref = _mp_sum(vals, W[j], a[j], b1[j], b2[j], k1, k2)
        assert abs(got[0, j] - ref) <= 1e-13 * abs(ref)


@pytest.mark.parametrize("b1, b2, gamma", [(1, 1, 0.0), (1, 1, -1.5), (2, 1, 0.0), (1, 2, 0.5), (2, 2, 1.0), (3, 0, 0.0)])
@pytest.mark.parametrize("c1, c2", [(1e-3, 1e-3), (1e-3, 1e-3 * (1 + 1e-12)), (1e-3, 1.05e-3), (1e-3, 1.3e-3), (1e-3, 2.3e-3), (1e-6, 1e-2), (2.0, 0.01)])
def test_tail_pair_sum_against_mpmath(b1, b2, gamma, c1, c2):
    """Σ_{k>M} k^-γ/((1+c₁k^α)^b₁ (1+c₂k^α)^b₂): close pairs (series), far pairs (partial fractions)."""
    alpha, M = 1.5, 256
    got = tail_pair_sum(gamma, b1, b2, alpha, float(M), c1, c2)
    with mp.workdps(30):
        f = lambda k: mp.mpf(k) ** (-gamma) / (1 + c1 * mp.mpf(k) ** alpha) ** b1 / (1 + c2 * mp.mpf(k) ** alpha) ** b2
        ref = float(mp.nsum(f, [M + 1, mp.inf], method="euler-maclaurin"))
    # (b₁+b₂ > 2) far pairs near the switch lose up to 10^(b₁+b₂-1)·eps to the partial fractions
    assert got == pytest.approx(ref, rel=2e-14 * 10 ** max(0, b1 + b2 - 2))


def _mp_tail(f, M, pole, xp=None, dps=34):
    """Referee for Σ_{k>M} f(k): an explicit mpmath sum up to K = max(M + 300, 3|x_p|) (past the pole of f
    nearest the axis), then Euler–Maclaurin at X = K + ½ with a numerically exact integral (mp.quad in
    log x) and five derivative corrections (mp.diff) — independent of the kernel's
    incomplete-beta / Gauss–Legendre split."""
    with mp.workdps(dps):
        K = int(max(M + 300, 3 * pole))
        head = mp.fsum(f(mp.mpf(k)) for k in range(M + 1, K + 1))
        X = mp.mpf(K) + mp.mpf(1) / 2
        # x = X e^s: the algebraic decay becomes exponential (mp.quad is inaccurate on slow algebraic tails)
        pts = [0, 0.5, 1, 2, 4, 8, 16, 32, 64]
        if xp is not None and abs(xp) > X:  # the pole of f far out, close to the axis: break the path around it
            sp, th = float(np.log(abs(xp) / float(X))), float(np.angle(xp))
            pts += [sp + sg * th * 2.0**j for j in range(-2, 8) for sg in (-1, 1) if sp + sg * th * 2.0**j > 0] + [sp]
        integral = mp.quad(lambda s: f(X * mp.exp(s)) * X * mp.exp(s), sorted(set(pts)) + [mp.inf])
        corr = mp.mpf(0)
        for j in range(1, 6):
            b = (mp.mpf(2) ** (1 - 2 * j) - 1) * mp.bernoulli(2 * j)
            corr -= b / mp.factorial(2 * j) * mp.diff(f, X, 2 * j - 1)
        return complex(head + integral + corr)


_COMPLEX_C = [
    1e-3 + 1e-3j,  # right half plane
    2.0 + 1.0j,  # large |c|: the pole left of X (y-series only)
    1e-6j,  # the pole far beyond X (w-series, graded panels, y-series)
    -3e-3 + 1e-4j,  # -κ just above a tail eigenvalue's position, pole left of X
    -1e-4 + 1e-6j,  # -κ resonates with a tail mode (α = 1.3: k ≈ 1200): explicit terms past the pole
    1e-7 * np.exp(3.1j),  # near the negative axis, pole far out at small angle
    -1e-2 + 0j,  # negative real beyond every tail eigenvalue (-κ > λ_{M+1}: the pole left of X)
    1e-8 * np.exp(-2.5j),  # lower half plane
]


@pytest.mark.parametrize("c", _COMPLEX_C)
@pytest.mark.parametrize("gamma, a, b, alpha", [(0.0, 0, 2, 2.5), (-1.2, 1, 3, 1.3)])
def test_tail_sum_complex_against_mpmath(c, gamma, a, b, alpha):
    """Σ_{k>M} k^-γ (ck^α)^a/(1+ck^α)^b at complex c, to ~1e-13 (worse only by the conditioning of 1 + ck^α)."""
    M = 256
    got = tail_sum_complex(gamma, a, b, alpha, float(M), np.log(complex(c)))
    cc = mp.mpc(c)

    def f(k):
        u = cc * k ** mp.mpf(alpha)
        return k ** (-mp.mpf(gamma)) * u**a / (1 + u) ** b

    xp = abs(c) ** (-1 / alpha) * np.exp(1j * (np.pi - abs(np.angle(c))) / alpha)
    ref = _mp_tail(f, M, abs(xp) if abs(xp) < 1e4 else 0, xp)
    # conditioning in float: a term next to the pole carries the rounding b·eps/|1 + c k^α| of its factors
    k = np.arange(M + 1, max(M + 20000, 3 * abs(xp)) + 1.0)
    u = c * k**alpha
    terms = np.abs(k ** (-gamma) * u**a / (1 + u) ** b)
    cond = float(np.sum(terms * b * 2.2e-16 / np.abs(1 + u))) / abs(ref)
    assert abs(got - ref) <= 5e-14 * abs(ref) + 4 * cond * abs(ref), (got, ref, cond)


@pytest.mark.parametrize("b1, b2, gamma", [(1, 1, 0.0), (2, 1, -1.5)])
@pytest.mark.parametrize("c1, c2", [(1e-3 + 1e-3j, 1e-3 - 1e-3j), (1e-3 + 1e-4j, 1.02e-3 + 1e-4j), (2e-5j, -3e-4 + 1e-5j),
                                    (1e-4 + 0j, 1e-4 + 0j), (0.01 + 0.3j, 0.01 + 0.3j)])
def test_tail_pair_sum_complex_against_mpmath(b1, b2, gamma, c1, c2):
    """Complex pairs: close (series in r), far (partial fractions), equal; against the mpmath referee."""
    alpha, M = 1.5, 256
    got = tail_pair_sum_complex(gamma, b1, b2, alpha, float(M), c1, c2)
    C1, C2 = mp.mpc(c1), mp.mpc(c2)

    def f(k):
        ka = k ** mp.mpf(alpha)
        return k ** (-mp.mpf(gamma)) / (1 + C1 * ka) ** b1 / (1 + C2 * ka) ** b2

    ref = _mp_tail(f, M, 0)
    assert abs(got - ref) <= 2e-14 * 10 ** max(0, b1 + b2 - 2) * abs(ref), (got, ref)
    if c1.imag == 0 and c2.imag == 0:  # the real kernel on the real axis
        assert tail_pair_sum(gamma, b1, b2, alpha, float(M), c1.real, c2.real) == pytest.approx(got.real, rel=1e-14)


def test_tail_pair_sum_divergent_is_inf():
    assert tail_pair_sum(-4.0, 1, 1, 1.5, 256.0, 1e-3, 2e-3) == np.inf


def test_weighted_sums_with_tail_against_explicit():
    """Tail rows of weighted_sums (weights 1 and t k^-β) against explicit sums plus their exact truncation error."""
    alpha, M = 1.8, 300
    tail = np.array([M, alpha, 1.0, 0.0, 0.0])
    k = np.arange(1, M + 1)
    vals = k**-alpha
    beta, t = 1.4, 0.7
    W = np.stack([np.ones(M), t * k**-beta, np.ones(M)])
    tw = np.array([[1.0, 0.0], [t, beta], [1.0, 0.0]])
    k1, k2 = np.array([1e-3, 0.5, 1e-4]), np.array([1e-3 * (1 + 1e-9), 0.02, 1e-4])
    got = weighted_sums(vals, W, [2.0, 1.0, 1.0], [1, 1, 1], [1, 1, 1], k1, k2, tail=tail, tail_weights=tw)
    for i in range(3):
        for j, (a, (tt, bb)) in enumerate(zip([2, 1, 1], tw)):
            ref = _slow_sum(alpha, a, bb, tt, k1[i], k2[i])
            assert got[i, j] == pytest.approx(ref, rel=1e-13)
    inf = weighted_sums(vals, W, [2.0, 1.0, 1.0], [1, 1, 1], [1, 1, 1], np.array([np.inf]), np.array([0.1]),
                        tail=tail, tail_weights=tw)
    np.testing.assert_array_equal(inf, 0.0)
    # complex κ (both half planes, a conjugate pair, the negative real axis past the tail): the same explicit referee
    kc1 = np.array([1e-3 + 2e-3j, 0.2 - 0.1j, -5e-3 + 1e-6j, 1e-4 + 1e-4j])
    kc2 = np.array([1e-3 - 2e-3j, 0.2 - 0.1j, 0.3 + 0j, 2e-4 + 1e-4j])
    got = weighted_sums(vals, W, [2.0, 1.0, 1.0], [1, 1, 1], [1, 1, 1], kc1, kc2, tail=tail, tail_weights=tw)
    assert got.dtype == np.complex128
    for i in range(kc1.size):
        for j, (a, (tt, bb)) in enumerate(zip([2, 1, 1], tw)):
            ref = _slow_sum(alpha, a, bb, tt, kc1[i], kc2[i])
            assert abs(got[i, j] - ref) <= 1e-13 * abs(ref), (i, j, got[i, j], ref)


@given(
    arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1e3)),
    st.floats(1e-3, 1e2),
    st.floats(-1e2, 1e2),
    st.floats(1e-3, 1e2),
    st.floats(-1e2, 1e2),
)
def test_sums_kernel_matches_numpy(vals, k1r, k1i, k2r, k2i):
    """Complex pairs in the right half plane: kernel = direct numpy product form."""
    W = np.stack([np.ones_like(vals), 1 + vals])
    k1, k2 = np.array([complex(k1r, k1i)]), np.array([complex(k2r, k2i)])
    got = weighted_sums(vals, W, [1, 0], [1, 2], [1, 1], k1, k2)
    ref0 = np.sum(vals / ((vals + k1) * (vals + k2)))
    ref1 = np.sum((1 + vals) / ((vals + k1) ** 2 * (vals + k2)))
    scale0 = np.sum(np.abs(vals / ((vals + k1) * (vals + k2))))
    scale1 = np.sum(np.abs((1 + vals) / ((vals + k1) ** 2 * (vals + k2))))
    assert abs(got[0, 0] - ref0) <= 1e-13 * scale0
    assert abs(got[0, 1] - ref1) <= 1e-13 * scale1


# --------------------------------------------------------------------------- hypothesis laws

spectra = arrays(np.float64, st.integers(5, 40), elements=st.floats(1e-3, 10.0))
points = st.one_of(
    st.floats(-5.0, -1e-3).map(complex),
    st.builds(complex, st.floats(-3.0, 3.0), st.one_of(st.floats(0.05, 3.0), st.floats(-3.0, -0.05))),
)


@given(spectra, st.floats(2.0, 200.0), points, points)
def test_swap_symmetry_diagonal_A(eigs, n, z1, z2):
    """Diagonal A: the equivalent is symmetric in (z₁, z₂); for a matrix A swapping transposes (Aᵀ)."""
    a = np.linspace(0.5, 2.0, eigs.size)
    r = rmt.two_point(eigs, n, z1, z2, A=a)
    s = rmt.two_point(eigs, n, z2, z1, A=a)
    np.testing.assert_allclose(r.diagonal, s.diagonal, rtol=1e-11, atol=1e-12 * np.abs(r.diagonal).max())
    for f in ["trace", "sigma_trace", "gamma", "one_minus_gamma"]:
        assert getattr(r, f) == pytest.approx(getattr(s, f), rel=1e-11, abs=1e-300)
    A = np.outer(np.arange(eigs.size), np.ones(eigs.size)) / eigs.size + np.eye(eigs.size)
    m = rmt.two_point(eigs, n, z1, z2, A=A).matrix
    mt = rmt.two_point(eigs, n, z2, z1, A=A.T).matrix
    np.testing.assert_allclose(m, mt.T, rtol=1e-11, atol=1e-12 * np.abs(m).max())


@given(spectra, st.floats(2.0, 200.0), points, points)
def test_conjugation_symmetry(eigs, n, z1, z2):
    """E[G(z̄₁) A G(z̄₂)] = conj E[G(z₁) A G(z₂)] for real A."""
    r = rmt.two_point(eigs, n, z1, z2)
    c = rmt.two_point(eigs, n, np.conj(z1), np.conj(z2))
    np.testing.assert_allclose(c.diagonal, np.conj(r.diagonal), rtol=1e-11, atol=1e-12 * np.abs(r.diagonal).max())
    assert c.kappa1 == pytest.approx(np.conj(r.kappa1), rel=1e-12)
    assert c.gamma == pytest.approx(np.conj(r.gamma), rel=1e-11, abs=1e-300)


# --------------------------------------------------------------------------- bad input


def test_bad_input():
    eigs = np.ones(100)
    with pytest.raises(ValueError, match="z1 must lie off the spectrum"):
        rmt.two_point(eigs, 200, 1.0, -0.1)  # inside the MP bulk [0.086, 2.91]
    with pytest.raises(ValueError, match="z2 must lie off the spectrum"):
        rmt.two_point(eigs, 200, -0.1, [-1.0, 2.0])
    with pytest.raises(ValueError, match="z1 must be != 0"):
        rmt.two_point(eigs, 50, 0.0, -0.1)  # n < D: atom at 0
    with pytest.raises(ValueError, match="z2 must be != 0"):
        rmt.two_point([0.0, 1.0, 1.0], 50, -0.1, 0.0)  # rank < D
    with pytest.raises(ValueError, match="z1 must be finite"):
        rmt.two_point(eigs, 200, np.nan, -0.1)
    with pytest.raises(ValueError, match="z2 must be numeric"):
        rmt.two_point(eigs, 200, -0.1, "a")
    with pytest.raises(ValueError, match="^n must be >= 1e-08"):
        rmt.two_point(eigs, -3, -0.1, -0.1)
    with pytest.raises(ValueError, match="A must have one diagonal entry per level"):
        rmt.two_point(eigs, 200, -0.1, -0.1, A=np.ones(99))
    with pytest.raises(ValueError, match="A must be a vector of length 100 or a 100×100 matrix"):
        rmt.two_point(eigs, 200, -0.1, -0.1, A=np.ones((100, 99)))
    with pytest.raises(ValueError, match="A must be None"):
        rmt.two_point(eigs, 200, -0.1, -0.1, A=np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="A must be finite real"):
        rmt.two_point(eigs, 200, -0.1, -0.1, A=np.full(100, np.nan))
    with pytest.raises(ValueError, match="A must be a vector"):
        rmt.two_point(Spectrum([1.0, 2.0], [3, 4]), 20, -0.1, -0.1, A=np.eye(2))
    with pytest.raises(ValueError, match="A must be finite"):
        rmt.two_point(eigs, 200, -0.1, -0.1, A=PowerLaw(2.0))
    with pytest.raises(ValueError, match="matrix is available only"):
        rmt.two_point(eigs, 200, -0.1, -0.1).matrix
    # infinite spectra: real z inside the support of Σ̂ raise as for finite ones; no matrix A
    with pytest.raises(ValueError, match="z2 must lie off the spectrum"):
        rmt.two_point(PowerLaw(2.0), 100, -0.1, 0.9)
    with pytest.raises(ValueError, match="A must be a vector or a PowerLaw"):
        rmt.two_point(PowerLaw(2.0), 100, -0.1, -0.1, A=np.eye(3))
    with pytest.raises(ValueError, match="z1 must be != 0"):
        rmt.two_point(PowerLaw(2.0), 100, 0.0, -0.1)


def test_result_does_not_share_memory():
    a = np.linspace(1, 2, 50)
    A = np.eye(50)
    r = rmt.two_point(np.ones(50), 100, np.array([-0.1]), -0.2, A=A)
    s = rmt.two_point(np.ones(50), 100, -0.1, -0.2, A=a)
    for x in [r.trace, r.z1, r.diagonal, r.matrix]:
        assert not np.shares_memory(x, A)
    assert not np.shares_memory(s.diagonal, a)
