# SPDX-License-Identifier: BSD-3-Clause
"""Random-feature ridge: reference values, equivalent forms, limits, free chains, "more is better",
power laws, and agreement with Monte Carlo (linear, Gaussian-equivalent, ReLU and tanh features).

Monte Carlo tolerances are ``Z·SE + allowance·|theory|``: the standard error comes from the draws,
the allowance is the stated finite-size error of the deterministic equivalent (e.g. ridgeless OLS
on Gaussian features has ``(n-1)/(n-p-1)`` where the equivalent has ``n/(n-p)``, a relative error
≈ 1/|n-p|; Gaussian equivalence of real activations is accurate to a few percent at D ≈ 300).
"""

import warnings

import numpy as np
import pytest
from conftest import mc_scale
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import brentq

import rmt
from rmt.resolvent.free import s_transform, s_transform_wishart, solve_chain
from rmt.risk.random_features import GaussianEquivalent, gaussian_equivalent, rf_optimal_ridge, rf_ridge_risk
from rmt.risk.rf_powerlaw import rf_exponents, rf_ridgeless_test_asymptotic, rf_width_bottleneck
from rmt.simulate.random_features import rf_ridge_risk as sim_rf_ridge_risk
from rmt.spectra import PowerLaw

Z = 4.0  # standard errors allowed in Monte Carlo comparisons (many comparisons per test)

spectra = arrays(np.float64, st.integers(5, 60), elements=st.floats(1e-3, 10.0))
counts = st.floats(3.0, 150.0)
ridges = st.floats(-4.0, 1.0).map(lambda u: 10.0**u)


def _task(eigs, seed):
    return np.random.default_rng(seed).uniform(0, 1, eigs.size) * eigs


def _trials(base):
    return max(2, int(round(base * mc_scale())))


# --------------------------------------------------------------------------- independent referees


def _log_root(f, lo, hi):
    """Root of a monotone f on (lo, hi) in log space with brentq at full precision."""
    return float(np.exp(brentq(lambda u: f(np.exp(u)), np.log(lo), np.log(hi), xtol=1e-300, rtol=1e-15)))


def _skgb(lam, v2, n, k, delta, s2):
    """Convention K (Simon, Karkada, Ghosh & Belkin 2024, arXiv:2311.14646): δ = n·ridge unnormalized, k features, σ_F² = 1/k.

    Own implementation of the quoted equations: eliminate κ = γ(k - z)/k, solve
    z(γ) + δk/(γ(k - z(γ))) = n for γ > γ_k with brentq.
    """
    z = lambda g: np.sum(lam / (lam + g))  # noqa: E731
    gk = _log_root(lambda g: z(g) - k, 1e-300, 1e300) if k < lam.size else 0.0
    F = lambda g: z(g) + delta * k / (g * (k - z(g))) - n  # noqa: E731
    g = _log_root(lambda g: -F(g), max(gk * (1 + 1e-13), 1e-300), 1e300)
    zg = z(g)
    kap = g * (k - zg) / k if k - zg >= n - zg else delta / (n - zg)  # eq. 2 or eq. 1: the one that cancels less
    L = lam / (lam + g)
    zz, q = L.sum(), (L**2).sum()
    E0 = 1 / (1 - (q * (k - 2 * zz) + zz**2) / (n * (k - q)))
    b = (1 - L) - kap * L / (lam + g) * k / (k - q)
    te = E0 * (np.sum(b * v2) + s2)
    return dict(kappa=kap, gamma=g, E0=E0, test=te, train=(delta / (n * kap)) ** 2 * te)


def _atanasov(om, wbar, N, P, lam_L, sigma2, sxi2=0.0):
    """Convention L (Atanasov, Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592), σ_F² = 1/D, six-term decomposition.

    Nonlinear features in the Gaussian-equivalent form (their nonlinear-feature extension): d̄1 = d1 + D·σ_ξ²/κ₂ replaces d1 in the
    κ equation, κ₁, ρ and γ₁ (not in d2).
    """
    D = om.size
    sF2 = 1.0 / D
    d1 = lambda k: np.sum(om / (om + k)) + D * sxi2 / k  # noqa: E731
    m = min(N, P)
    kmin = _log_root(lambda k: d1(k) - m, 1e-300, 1e300) if (sxi2 > 0 or m < D) else 0.0
    f = lambda k: sF2 * k * (N - d1(k)) * (1 - d1(k) / P) - lam_L  # noqa: E731
    k2 = _log_root(f, max(kmin * (1 + 1e-13), 1e-300), 1e300)
    a1, a2 = d1(k2), np.sum((om / (om + k2)) ** 2)
    tf1 = np.sum(wbar**2 * om / (om + k2))
    tf1p = np.sum(wbar**2 * om / (om + k2) ** 2)
    tf2 = np.sum(wbar**2 * om**2 / (om + k2) ** 2)
    rho = (N - a1) / (N - a2)
    g1 = (a1 - (a1 - a2) * rho) / P
    g2 = a2 / P
    k1 = sF2 * k2 * (N - a1) if N - a1 >= P - a1 else lam_L / (1 - a1 / P)  # the better-conditioned of the two
    Eg = (k2**2 * tf1p * rho + k2 * tf1 * (1 - rho) + sigma2 * g1) / (1 - g1)
    bias = k2**2 * tf1p
    var_x = bias * g2 / (1 - g2)
    var_f = (1 - rho) * k2 * tf2
    signal = Eg - sigma2 * g1 / (1 - g1)
    var_xe = sigma2 * g2 / (1 - g2)
    return dict(
        kappa2=k2, kappa1=k1, Eg=Eg, Etr=(lam_L / k1) ** 2 * (Eg + sigma2),
        bias=bias, var_x=var_x, var_f=var_f, var_xf=signal - bias - var_x - var_f,
        var_xe=var_xe, var_xfe=sigma2 * g1 / (1 - g1) - var_xe,
    )


# --------------------------------------------------------------------------- reference values


def test_reference_table_convention_K():
    """docs/conventions.md R3 (Simon et al. 2024, arXiv:2311.14646): λ_i = v_i² = i^-1.5, i ≤ 3000, σ² = 0.5, δ = n·ridge."""
    lam = rmt.spectra.power_law(3000, 1.5)
    n = np.array([256, 256, 256, 256, 100])
    k = np.array([64, 1024, 256, 1024, 400])
    delta = np.array([0, 0, 1e-3, 0.1, 1.0])
    r = rf_ridge_risk(lam, lam, 0.5, n, k, delta / n)
    np.testing.assert_allclose(r.kappa_features, [0, 5.189001e-4, 5.525360e-5, 1.146201e-3, 1.523715e-2], rtol=2e-6)
    np.testing.assert_allclose(r.kappa, [6.392860e-3, 6.918668e-4, 7.815580e-4, 1.372368e-3, 1.666951e-2], rtol=2e-6)
    np.testing.assert_allclose(r.E0, [1.333333, 2.000409, 7.492046, 1.422418, 1.151549], rtol=2e-6)
    np.testing.assert_allclose(r.test, [1.212191, 1.236361, 5.077123, 0.927944, 1.021200], rtol=2e-6)
    np.testing.assert_allclose(r.train, [0.6818573, 0, 0.025376, 0.107776, 0.439849], rtol=2e-5)


def test_reference_table_convention_L():
    """docs/conventions.md R4 (Atanasov et al. 2024; σ_F² = 1/D, D = 400, N = 200): ridge = (N/D)⁻¹λ = 2λ, κ₁ = κ_features/2."""
    D, N = 400, 200
    om = np.arange(1, D + 1) ** -1.3
    wbar = np.arange(1, D + 1) ** -0.4
    wbar /= np.sqrt(np.sum(wbar**2 * om))
    P = np.array([100, 200, 400, 1600, 400])
    lam_L = np.array([1e-3, 1e-3, 1e-3, 1e-3, 1e-1])
    r = rf_ridge_risk(om, om * wbar**2, 0.04, P, N, 2 * lam_L)
    np.testing.assert_allclose(r.excess, [0.05190, 0.03371, 0.02232, 0.01387, 0.13918], rtol=3e-4)
    np.testing.assert_allclose(r.train, [0.00836, 0.02229, 0.03484, 0.04679, 0.17133], rtol=5e-4)
    np.testing.assert_allclose(r.kappa, [1.019e-2, 6.613e-3, 5.400e-3, 4.708e-3, 2.140e-1], rtol=1e-3)
    np.testing.assert_allclose(r.kappa_features / 2, [3.315e-3, 1.818e-3, 1.337e-3, 1.073e-3, 1.023e-1], rtol=1e-3)


def test_double_descent_table():
    """docs/conventions.md R3: ridgeless test risk against k at n = 256 (α = β = 1.5, σ² = 0.5; Simon et al. 2024)."""
    lam = rmt.spectra.power_law(3000, 1.5)
    k = np.array([16, 64, 128, 200, 250, 262, 300, 512, 2048])
    r = rf_ridge_risk(lam, lam, 0.5, 256, k, 0.0)
    expected = [1.43, 1.21, 1.55, 3.24, 29.0, 29.9, 4.95, 1.69, 1.11]
    np.testing.assert_allclose(r.test, expected, rtol=6e-3)


def test_more_is_better_reference_values():
    """docs/conventions.md R3 ("more is better", Simon et al. 2024): min over δ of 𝓔_te, and δ* for an aligned task."""
    lam = rmt.spectra.power_law(3000, 1.5)
    grid = np.array([16, 64, 128, 256, 512, 1024, 2048])
    _, r = rf_optimal_ridge(lam, lam, 0.5, 256, grid)
    np.testing.assert_allclose(r.test, [1.4162, 1.0490, 0.9529, 0.8938, 0.8591, 0.8396, 0.8292], atol=6e-5)
    _, r = rf_optimal_ridge(lam, lam, 0.5, grid, 256)
    np.testing.assert_allclose(r.test, [1.5548, 1.1294, 0.9933, 0.8938, 0.8217, 0.7701, 0.7342], atol=6e-5)
    ridge, _ = rf_optimal_ridge(lam, lam, 0.5, 200, [100, 400, 2000])
    np.testing.assert_allclose(ridge * 200, [1.276, 0.749, 0.555], atol=6e-4)


# --------------------------------------------------------------------------- equivalent forms


@given(spectra, st.integers(0, 2**31), counts, counts, ridges, st.floats(0.0, 1.0))
def test_forms_agree_convention_K(lam, seed, n, k, ridge, s2):
    """The slack form equals the SKGB form (own brentq referee), κ's by the dictionary, to 1e-10."""
    v2 = _task(lam, seed)
    r = rf_ridge_risk(lam, v2, s2, n, k, ridge)
    assume(float(r.E0) < 1e3)
    ref = _skgb(lam, v2, n, k, n * ridge, s2)
    for ours, theirs in [(r.kappa, "gamma"), (r.kappa_features, "kappa"), (r.E0, "E0"), (r.test, "test"),
                         (r.train, "train")]:
        assert float(ours) == pytest.approx(ref[theirs], rel=1e-10)


@given(spectra, st.integers(0, 2**31), counts, counts, ridges, st.floats(0.0, 1.0), st.sampled_from([0.0, 0.3]))
def test_forms_agree_convention_L(om, seed, P, N, ridge, sigma2, mu_star):
    """The six-term Atanasov form at σ_F² = 1/D equals ours: λ_L = (N/D)·ridge, κ₁ = (N/D)κ_features.

    With ``mu_star > 0`` this also checks the Gaussian-equivalent feature noise against the
    ``df̄¹ = df¹ + σ_ξ²/κ₂`` substitution (σ_ξ² = (N/D)·(feature noise per feature)).
    """
    D = om.size
    wbar = np.sqrt(_task(om, seed) / om)
    c2 = N / D
    ge = GaussianEquivalent(0.0, 1.0, mu_star)
    r = rf_ridge_risk(om, om * wbar**2, sigma2, P, N, ridge, activation=ge)
    assume(float(r.E0) < 1e3)
    s_feat = mu_star**2 * om.sum() / N  # per-feature noise variance in DESIGN scale
    ref = _atanasov(om, wbar, N, P, c2 * ridge, sigma2, sxi2=c2 * s_feat)
    pairs = [
        (r.kappa, ref["kappa2"]), (c2 * r.kappa_features, ref["kappa1"]), (r.excess, ref["Eg"]),
        (r.train, ref["Etr"]), (r.bias_mean_predictor, ref["bias"]), (r.variance_data, ref["var_x"]),
        (r.variance_features, ref["var_f"]), (r.variance_data_features, ref["var_xf"]),
        (r.variance_noise, ref["var_xe"]), (r.variance_noise_features, ref["var_xfe"]),
    ]
    scale = float(r.test)
    for ours, theirs in pairs:
        assert float(ours) == pytest.approx(theirs, rel=1e-10, abs=1e-11 * scale)


@given(spectra, st.integers(0, 2**31), counts, counts, st.sampled_from([0.0, 1e-6, 1e-2, 1.0]),
       st.floats(0.0, 1.0), st.sampled_from([None, (0.0, 0.7, 0.4)]))
def test_train_test_relation_and_parts(lam, seed, n, p, ridge, s2, act):
    """train = (ridge/κ_f)² test = (1 - z̄/n)² test; parts sum up and are ≥ 0; bias/variance split."""
    v2 = _task(lam, seed)
    assume(abs(n - p) > 1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = rf_ridge_risk(lam, v2, s2, n, p, ridge, activation=act)
        clean = rf_ridge_risk(lam, v2, 0.0, n, p, ridge, activation=act)
    assume(np.isfinite(r.test))
    if ridge > 0:
        assert float(r.train) == pytest.approx((ridge / float(r.kappa_features)) ** 2 * float(r.test), rel=1e-9)
    parts = [r.bias_mean_predictor, r.variance_data, r.variance_features, r.variance_data_features]
    assert all(float(x) >= -1e-12 * float(r.test) for x in parts + [r.variance_noise, r.variance_noise_features])
    assert float(sum(parts)) == pytest.approx(float(r.bias), rel=1e-9, abs=1e-14)
    assert float(r.variance_noise + r.variance_noise_features) == pytest.approx(float(r.variance), rel=1e-9, abs=1e-14)
    assert float(r.variance) == pytest.approx((float(r.E0) - 1) * s2, rel=1e-9, abs=1e-14)
    assert float(clean.excess) == pytest.approx(float(r.bias), rel=1e-12, abs=1e-300)
    assert float(r.test) == pytest.approx(float(r.excess) + s2, rel=1e-12)


# --------------------------------------------------------------------------- limits and branches


@given(spectra, st.integers(0, 2**31), counts, st.sampled_from([0.0, 1e-5, 1e-2, 1.0]), st.floats(0.0, 1.0))
def test_infinite_width_is_kernel_ridge(lam, seed, n, ridge, s2):
    """p → ∞ recovers rmt.kernel_ridge_risk (error O(1/p)) and κ_features → κ = γ."""
    v2 = _task(lam, seed)
    assume(abs(n - lam.size) > 0.5 or ridge > 0)
    r = rf_ridge_risk(lam, v2, s2, n, 1e13, ridge)
    k = rmt.kernel_ridge_risk(lam, v2, s2, n, ridge)
    for a, b in [(r.test, k.test), (r.train, k.train), (r.kappa, k.kappa), (r.kappa_features, k.kappa),
                 (r.E0, k.E0), (r.bias, k.bias), (r.bias_mean_predictor, k.bias_mean_predictor),
                 (r.variance_data, k.variance_data), (r.variance_noise, k.variance)]:
        assert float(a) == pytest.approx(float(b), rel=1e-8, abs=1e-300)
    assert float(r.variance_features + r.variance_data_features + r.variance_noise_features) <= 1e-8 * float(r.test)


@pytest.mark.montecarlo
def test_feature_decomposition_monte_carlo():
    """n = ∞ (population ridge on Fx): E_F excess = B0 + Var_F, and B0 is the error of the F-averaged predictor."""
    rng = np.random.default_rng(3)
    D, p, ridge = 300, 120, 1e-2
    lam = np.linspace(0.2, 2.0, D)
    v2 = _task(lam, 5)
    w = np.sqrt(v2 / lam)
    T = _trials(40)
    betas, excess = [], []
    for _ in range(T):
        F = rng.standard_normal((p, D)) / np.sqrt(p)
        a = np.linalg.solve((F * lam) @ F.T + ridge * np.eye(p), F @ (lam * w))
        betas.append(F.T @ a)
        excess.append(np.sum(lam * (betas[-1] - w) ** 2))
    excess = np.array(excess)
    err_of_mean = np.sum(lam * (np.mean(betas, axis=0) - w) ** 2)  # = B + V/T in expectation
    B = (T * err_of_mean - excess.mean()) / (T - 1)
    r = rf_ridge_risk(lam, v2, 0.0, 1e13, p, ridge)
    se = excess.std(ddof=1) / np.sqrt(T)
    assert excess.mean() == pytest.approx(float(r.excess), abs=Z * se + 0.01 * float(r.excess))
    assert B == pytest.approx(float(r.bias_mean_predictor), rel=0.03)
    assert excess.mean() - B == pytest.approx(float(r.variance_features), rel=0.03)


@pytest.mark.parametrize("p", [10, 40, 59.5, 60, 200])
def test_infinite_data_is_projection_error(p):
    """n → ∞, ridge → 0: excess → Σ v²(1 - L(γ₀)) with df1(γ₀) = p (0 when p ≥ rank)."""
    lam = rmt.spectra.power_law(60, 1.2)
    v2 = rmt.spectra.power_law_target(60, 2.0)
    r = rf_ridge_risk(lam, v2, 0.3, 1e14, p, 0.0)
    g0 = rmt.solve_kappa(lam, p, 0.0)
    proj = np.sum(v2 * g0 / (lam + g0))
    assert float(r.excess) == pytest.approx(proj, rel=1e-9, abs=1e-12)
    assert float(r.kappa) == pytest.approx(float(g0), rel=1e-9, abs=1e-300)


def test_ridgeless_closed_forms_and_pole():
    """Ridgeless closed forms (Bach 2023; Simon et al. 2024): p < n, p > n; the pole p = n; ridge → 0⁺ continuity."""
    lam = rmt.spectra.power_law(500, 1.5)
    v2 = rmt.spectra.power_law_target(500, 1.5)
    n, s2 = 100.0, 0.5
    # p < n: z(γ) = p, test = n/(n-p) (Σ γ v²/(λ+γ) + σ²), train = (1 - p/n)² test
    p = 40.0
    g = rmt.solve_kappa(lam, p, 0.0)
    r = rf_ridge_risk(lam, v2, s2, n, p, 0.0)
    expect = n / (n - p) * (np.sum(g * v2 / (lam + g)) + s2)
    assert float(r.test) == pytest.approx(expect, rel=1e-12)
    assert float(r.train) == pytest.approx((1 - p / n) ** 2 * expect, rel=1e-12)
    assert float(r.kappa_features) == 0.0
    # p > n: z(γ) = n, E0 = n(p-q)/((n-q)(p-n)), κ_f = γ(1 - n/p), train = 0
    p = 300.0
    g = rmt.solve_kappa(lam, n, 0.0)
    L = lam / (lam + g)
    q = np.sum(L**2)
    b = g / (lam + g) - g * (p - n) * lam / ((lam + g) ** 2 * (p - q))
    E0 = n * (p - q) / ((p - n) * (n - q))
    r = rf_ridge_risk(lam, v2, s2, n, p, 0.0)
    assert float(r.E0) == pytest.approx(E0, rel=1e-12)
    assert float(r.test) == pytest.approx(E0 * (np.sum(b * v2) + s2), rel=1e-12)
    assert float(r.kappa_features) == pytest.approx(g * (1 - n / p), rel=1e-12)
    assert float(r.train) == 0.0
    # the pole: inf with a warning, finite on either side and for any ridge > 0
    with pytest.warns(RuntimeWarning, match="double-descent pole"):
        r = rf_ridge_risk(lam, v2, s2, n, n, 0.0)
    assert np.isinf(r.test) and np.isinf(r.variance) and r.train == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        side = rf_ridge_risk(lam, v2, s2, n, [n - 1, n + 1], 0.0)
        tiny = rf_ridge_risk(lam, v2, s2, n, [n - 1, n, n + 1, 40, 300], 1e-13)
    assert np.all(np.isfinite(side.test)) and np.all(side.test > 20)
    assert np.isfinite(tiny.test[1]) and tiny.test[1] > 1e3
    ridgeless = rf_ridge_risk(lam, v2, s2, n, [n - 1, n + 1, 40, 300], 0.0).test
    np.testing.assert_allclose(tiny.test[[0, 2, 3, 4]], ridgeless, rtol=1e-6)
    # a clean target at the pole has zero variance but infinite bias
    with pytest.warns(RuntimeWarning):
        clean = rf_ridge_risk(lam, v2, 0.0, n, n, 0.0)
    assert clean.variance == 0.0 and np.isinf(clean.bias)


def test_full_rank_ridgeless_branch():
    """Linear features, min(n, p) ≥ rank, ridge 0: γ = 0 and test = n/(n - rank)(unlearnable + σ²)."""
    lam = np.array([2.0, 1.0, 0.5, 0.0, 0.0])
    v2 = np.array([0.3, 0.2, 0.1, 0.05, 0.0])
    for p in [3, 3.5, 10]:
        r = rf_ridge_risk(lam, v2, 0.2, 8, p, 0.0)
        assert float(r.kappa) == 0.0
        assert float(r.test) == pytest.approx(8 / 5 * (0.05 + 0.2), rel=1e-12)
        assert float(r.train) == pytest.approx((5 / 8) ** 2 * float(r.test), rel=1e-12)
    with pytest.warns(RuntimeWarning):
        assert np.isinf(rf_ridge_risk(lam, v2, 0.2, 3, 10, 0.0).test)  # n = rank ≤ p


def test_levels_with_multiplicities():
    """A Spectrum of levels gives the same risk as the expanded eigenvalue list (target power per level)."""
    spec = rmt.spectra.atoms([2.0, 0.5, 0.0], [30, 170, 20])
    expanded = np.repeat([2.0, 0.5, 0.0], [30, 170, 20])
    tp_levels = np.array([0.6, 0.3, 0.05])
    tp_modes = np.repeat(tp_levels / [30, 170, 20], [30, 170, 20])
    for act in (None, "tanh"):
        a = rf_ridge_risk(spec, tp_levels, 0.1, [50, 400], [[80], [250]], [[[0.0]], [[1e-3]]], activation=act)
        b = rf_ridge_risk(expanded, tp_modes, 0.1, [50, 400], [[80], [250]], [[[0.0]], [[1e-3]]], activation=act)
        for f in ("test", "train", "kappa", "kappa_features", "variance_features"):
            np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=1e-11)


def test_null_predictor_and_broadcasting():
    lam = rmt.spectra.power_law(50, 1.5)
    v2 = _task(lam, 0)
    r = rf_ridge_risk(lam, v2, [[0.0], [0.5]], [20, 40, 80], [[[10]], [[100]]], np.inf)
    assert r.test.shape == (2, 2, 3)
    np.testing.assert_allclose(r.test, np.broadcast_to(v2.sum() + np.array([[0.0], [0.5]]), (2, 2, 3)), rtol=1e-14)
    np.testing.assert_allclose(r.train, r.test)
    r = rf_ridge_risk(lam, v2, 0.1, np.array([20, 40]), np.array([[10], [30], [90]]), 1e-3)
    assert r.kappa.shape == r.kappa_features.shape == (3, 2)
    one = rf_ridge_risk(lam, v2, 0.1, 40, 30, 1e-3)
    assert float(one.test) == r.test[1, 1]


# --------------------------------------------------------------------------- free chains (S-transform)


@given(spectra, counts, st.sampled_from([0.0, 1e-4, 1e-2, 1.0]))
def test_one_factor_chain_is_solve_kappa(lam, n, ridge):
    assume(abs(n - lam.size) > 1e-6)
    assert float(solve_chain(lam, n, ridge).gamma) == pytest.approx(float(rmt.solve_kappa(lam, n, ridge)),
                                                                      rel=1e-12, abs=1e-300)


def test_chain_order_invariance_and_s_transform_product():
    """The ridge equation is symmetric in the factors; S of the product is the product of the S's."""
    lam = rmt.spectra.power_law(200, 1.3)
    a = solve_chain(lam, 80, 1e-3, widths=[50, 120])
    b = solve_chain(lam, 50, 1e-3, widths=[120, 80])
    assert float(a.gamma) == pytest.approx(float(b.gamma), rel=1e-12)
    D = lam.size
    w = -float(a.df) / D
    s_prod = (1 + w) / (-w * 1e-3)
    s_free = s_transform(lam, w) * np.prod([s_transform_wishart(w, D / m) for m in (50, 120, 80)])
    assert s_prod == pytest.approx(float(s_free), rel=1e-10)
    # the intermediate ridges are the partial products
    np.testing.assert_allclose(a.kappas[0], a.gamma * (1 - a.df / 50), rtol=1e-12)
    np.testing.assert_allclose(a.kappas[-1], 1e-3, rtol=0)


@pytest.mark.montecarlo
def test_deep_chain_degrees_of_freedom_monte_carlo():
    """tr G(G + ridge)⁻¹ for G the feature Gram of a 2-layer linear chain matches the chain's df."""
    rng = np.random.default_rng(7)
    D, widths, n, ridge = 300, (220, 150), 180, 1e-2
    lam = np.linspace(0.2, 2.0, D)
    dfs = []
    for _ in range(_trials(4)):
        X = rng.standard_normal((n, D)) * np.sqrt(lam)
        H = X
        prev = D
        for w in widths:
            H = H @ (rng.standard_normal((w, prev)) / np.sqrt(w)).T
            prev = w
        ev = np.linalg.eigvalsh(H.T @ H / n)
        dfs.append(np.sum(ev / (ev + ridge)))
    sol = solve_chain(lam, n, ridge, widths=widths)
    assert np.mean(dfs) == pytest.approx(float(sol.df), rel=0.01)


# --------------------------------------------------------------------------- optimal ridge, more is better


@given(spectra, st.integers(0, 2**31), st.floats(5.0, 120.0), st.floats(5.0, 120.0), st.floats(1.05, 3.0),
       st.floats(0.0, 1.0), st.booleans())
def test_more_is_better(lam, seed, n, p, factor, s2, vary_p):
    """Optimally tuned RF test risk is non-increasing in p and in n (SKGB 2024)."""
    v2 = _task(lam, seed)
    if vary_p:
        (_, small), (_, big) = rf_optimal_ridge(lam, v2, s2, n, p), rf_optimal_ridge(lam, v2, s2, n, p * factor)
    else:
        (_, small), (_, big) = rf_optimal_ridge(lam, v2, s2, n, p), rf_optimal_ridge(lam, v2, s2, n * factor, p)
    assert float(big.test) <= float(small.test) * (1 + 1e-9)


@given(spectra, st.integers(0, 2**31), st.floats(5.0, 120.0), st.floats(5.0, 120.0), st.floats(0.0, 1.0))
def test_optimal_ridge_is_a_minimum(lam, seed, n, p, s2):
    v2 = _task(lam, seed)
    ridge, best = rf_optimal_ridge(lam, v2, s2, n, p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        others = rf_ridge_risk(lam, v2, s2, n, p, np.concatenate([[0.0, np.inf], np.geomspace(1e-6, 1e2, 41)]))
    assert float(best.test) <= np.min(others.test) * (1 + 1e-9)
    if np.isfinite(ridge) and ridge > 0:
        near = rf_ridge_risk(lam, v2, s2, n, p, ridge * np.array([0.99, 1.01]))
        assert float(best.test) <= np.min(near.test) * (1 + 1e-12)


# --------------------------------------------------------------------------- power laws


def test_width_exponent_deterministic_equivalent():
    """Projection error ∝ p^-min(β-1, α) (BAP: min(a-1, b)), not p^-min(a-1, 2b) (infinite spectra)."""
    p = np.array([2000.0, 4000.0])
    for beta in [2.0, 3.0, 4.0]:
        e = rf_ridge_risk(PowerLaw(1.5), PowerLaw(beta), 0.0, 1e15, p, 0.0).excess
        slope = -np.diff(np.log(e))[0] / np.log(2)
        assert slope == pytest.approx(rf_exponents(1.5, beta).width, abs=0.02)
        if beta > 2.5:
            assert abs(slope - min(beta - 1, 3.0)) > 0.4  # min(a-1, 2b) is excluded


@pytest.mark.montecarlo
def test_width_exponent_monte_carlo():
    """Exact projection error of actual random features (n = ∞: population least squares on Fx).

    b = α = 1.5, a = β = 4: the fitted slope is ≈ -1.5 = -min(a-1, b); min(a-1, 2b) = 3 would give -3.
    """
    rng = np.random.default_rng(11)
    D = 3000
    i = np.arange(1, D + 1, dtype=float)
    lam, v2 = i**-1.5, i**-4.0
    w = np.sqrt(v2 / lam)
    ps = np.array([50, 100, 200])
    means = []
    for p in ps:
        vals = []
        for _ in range(_trials(6)):
            F = rng.standard_normal((p, D)) / np.sqrt(p)
            chol = np.linalg.cholesky((F * lam) @ F.T)
            u = np.linalg.solve(chol, F @ (lam * w))
            vals.append(v2.sum() - u @ u)
        means.append(np.mean(vals))
    slope = np.polyfit(np.log(ps), np.log(means), 1)[0]
    theory = rf_ridge_risk(lam, v2, 0.0, 1e15, ps, 0.0).excess
    np.testing.assert_allclose(means, theory, rtol=0.12)
    assert -1.8 < slope < -1.3


@pytest.mark.parametrize("alpha, beta", [(2.0, 1.5), (3.0, 2.0), (1.5, 2.0), (3.0, 5.0)])
def test_width_bottleneck_asymptotics(alpha, beta):
    """The leading-order projection error and the ridgeless p ≪ n risk match the exact DE (infinite spectra)."""
    p = 1000.0
    tol = 0.05 if alpha == 1.5 else 0.01  # α = 1.5, β = 2 converges slowly (next order p^-(2/3))
    e = rf_ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.0, 1e15, p, 0.0).excess
    assert float(e) == pytest.approx(rf_width_bottleneck(alpha, beta, p), rel=tol)
    t = rf_ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.5, 1e6, p, 0.0).test
    assert float(t) == pytest.approx(rf_ridgeless_test_asymptotic(alpha, beta, 0.5, 1e6, p), rel=tol)


def test_infinite_spectrum_matches_long_finite_one():
    """PowerLaw(α) with its analytic tail equals a long finite spectrum up to the truncated tail."""
    i = np.arange(1, 1_000_001, dtype=float)
    for n, p, ridge, act in [(256, 64, 0.0, None), (256, 1024, 0.0, None), (200, 200, 1e-4, None),
                             (100, 400, 1e-2, "relu")]:
        a = rf_ridge_risk(PowerLaw(3.0), PowerLaw(2.0), 0.5, n, p, ridge, activation=act)
        b = rf_ridge_risk(i**-3.0, i**-2.0, 0.5, n, p, ridge, activation=act)
        for f in ("test", "train", "kappa", "kappa_features", "E0"):
            assert float(getattr(a, f)) == pytest.approx(float(getattr(b, f)), rel=2e-6)
    # and p → ∞ is kernel ridge on the infinite spectrum
    a = rf_ridge_risk(PowerLaw(2.0), PowerLaw(1.5), 0.5, 300, 1e13, 1e-4)
    k = rmt.kernel_ridge_risk(PowerLaw(2.0), PowerLaw(1.5), 0.5, 300, 1e-4)
    assert float(a.test) == pytest.approx(float(k.test), rel=1e-9)


def test_exponent_table():
    e = rf_exponents(2.0, 1.5)
    assert (e.data, e.width, e.optimal_rate, e.features_needed) == pytest.approx((0.5, 0.5, 1 / 3, 2 / 3))
    e = rf_exponents(2.0, 4.5)  # 1 < β < 2α+1, β - 1 > α
    assert (e.width, e.features_needed) == pytest.approx((2.0, 2.5 / 4.5))
    e = rf_exponents(1.5, 6.0)  # saturated: β̃ = 2α + 1 = 4
    assert (e.data, e.optimal_rate, e.features_needed) == pytest.approx((3.0, 0.75, 2.5 / 4))


@pytest.mark.parametrize("alpha, beta, n", [(2.0, 1.5, 1e7), (2.0, 3.5, 1e5), (2.0, 8.0, 1e7)])
def test_features_needed_exponent(alpha, beta, n):
    """p keeping the tuned RF excess within 1.5× the tuned KRR one grows like n^{max(1, β̃-α)/β̃}.

    β̃ = min(β, 2α+1): the third case is saturated (the SKGB-style max(1, β-α)/β would give 0.75).
    """
    lam, v2, s2 = PowerLaw(alpha), PowerLaw(beta), 0.5
    ks = []
    for m in [n / 10, n]:
        target = 1.5 * float(rmt.optimal_ridge(lam, v2, s2, m)[1].excess)
        f = lambda u: np.log(float(rf_optimal_ridge(lam, v2, s2, m, np.exp(u))[1].excess) / target)  # noqa: E731
        ks.append(np.exp(brentq(f, np.log(2.0), np.log(1e12), xtol=1e-5)))
    slope = np.log(ks[1] / ks[0]) / np.log(10)
    assert slope == pytest.approx(rf_exponents(alpha, beta).features_needed, abs=0.012)


# --------------------------------------------------------------------------- Monte Carlo


def _check_mc(theory, sim, fields, allowance):
    for name in fields:
        th, mc, se = (np.asarray(getattr(x, f), dtype=float) for x, f in
                      [(theory, name), (sim, name), (sim, name + "_se")])
        tol = Z * se + allowance * np.abs(th) + 1e-12
        bad = np.abs(mc - th) > tol
        assert not bad.any(), f"{name}: theory {th[bad]} vs MC {mc[bad]} ± {se[bad]} (tol {tol[bad]})"


@pytest.mark.montecarlo
def test_monte_carlo_linear_features():
    """p < n, p = n ± 15, p > n; ridgeless and ridged; noisy and clean (D = 400, n = 200)."""
    D, n = 400, 200
    i = np.arange(1, D + 1, dtype=float)
    lam, v2 = 1 / i, i**-1.5 / np.sum(i**-1.5)
    p = np.array([100, 185, 215, 400])
    ridge = np.array([[0.0], [1e-3]])
    noise = np.array([[[0.0]], [[0.2]]])
    theory = rf_ridge_risk(lam, v2, noise, n, p, ridge)
    sim = sim_rf_ridge_risk(lam, v2, noise, n, p, ridge, trials=_trials(16), seed=1)
    # finite-size error of the ridgeless equivalent ≈ 1/(|n - p| - 1) (exact OLS: (n-1)/(n-p-1)); 2% else
    allowance = 0.02 + np.where(ridge == 0, 1.5 / (np.abs(n - p) - 1), 0.0)
    _check_mc(theory, sim, ["excess", "test", "train", "bias", "variance"], allowance)
    assert np.all(sim.train[:, 0, 2:] < 1e-20)  # ridgeless p > n interpolates (to round-off)


@pytest.mark.montecarlo
def test_monte_carlo_gaussian_equivalent_model():
    """Linear-plus-noise features μ₁Fx + σ₀μ_*ξ simulated exactly: the c/γ term of the DE."""
    D, n = 300, 150
    lam = np.linspace(0.5, 1.5, D)
    v2 = lam / lam.sum()
    ge = GaussianEquivalent(0.0, 0.5, 0.3)
    p = np.array([75, 300])
    ridge = np.array([[0.0], [1e-2]])
    theory = rf_ridge_risk(lam, v2, 0.1, n, p, ridge, activation=ge)
    sim = sim_rf_ridge_risk(lam, v2, 0.1, n, p, ridge, trials=_trials(12), seed=2, activation=ge)
    _check_mc(theory, sim, ["test", "train", "bias", "variance"], 0.025)


@pytest.mark.montecarlo
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_monte_carlo_nonlinear_features(activation):
    """Real ReLU / tanh features on Gaussian inputs vs the Gaussian-equivalent DE (D = 300).

    Allowance 6%: Gaussian equivalence at finite D (pre-activation variances fluctuate by ≈ √(2/D)
    across features; the mean feature σ₀μ₀ is dropped, an O(1/n) effect).
    """
    D, n = 300, 150
    lam = np.linspace(0.5, 1.5, D)  # mildly structured
    v2 = lam / lam.sum()
    p = np.array([75, 300])
    theory = rf_ridge_risk(lam, v2, 0.1, n, p, [[0.0], [1e-2]], activation=activation)
    sim = sim_rf_ridge_risk(lam, v2, 0.1, n, p, [[0.0], [1e-2]], trials=_trials(20), seed=3,
                            activation=activation, test_size=1000)
    _check_mc(theory, sim, ["test", "train"], 0.06)


def test_gaussian_equivalent_coefficients():
    relu = gaussian_equivalent("relu")
    assert relu.mu0 == pytest.approx(1 / np.sqrt(2 * np.pi)) and relu.mu1 == 0.5
    assert relu.mu_star**2 == pytest.approx(0.25 - 0.5 / np.pi)
    numeric = gaussian_equivalent(lambda t: np.maximum(t, 0.0))
    assert tuple(numeric[:3]) == pytest.approx(tuple(relu[:3]), rel=1e-9)
    tanh = gaussian_equivalent("tanh")
    assert tanh.mu0 == pytest.approx(0.0, abs=1e-12) and 0.6 < tanh.mu1 < 0.61
    lin = gaussian_equivalent(None)
    assert tuple(lin[:3]) == (0.0, 1.0, 0.0)
    # linear activation through the nonlinear path gives back linear features exactly
    lam = np.linspace(0.5, 1.5, 40)
    a = rf_ridge_risk(lam, lam / 40, 0.1, 30, 20, 1e-2, activation=lambda t: 1.0 * t)
    b = rf_ridge_risk(lam, lam / 40, 0.1, 30, 20, 1e-2)
    assert float(a.test) == pytest.approx(float(b.test), rel=1e-9)


def test_simulator_reproducible_and_shaped():
    lam = np.linspace(0.5, 1.5, 60)
    args = (lam, lam / 60, [0.0, 0.1], 30, [[10], [50]], 1e-2)
    a = sim_rf_ridge_risk(*args, trials=3, seed=4)
    b = sim_rf_ridge_risk(*args, trials=3, seed=4)
    assert a.test.shape == (2, 2) and a.p.shape == (2, 2)
    np.testing.assert_array_equal(a.test, b.test)
    np.testing.assert_array_equal(a.bias[:, 0], a.bias[:, 1])  # noise enters analytically
    np.testing.assert_allclose(a.variance, np.array([0.0, 0.1]) * (a.variance[:, 1:] / 0.1), rtol=1e-12)


@pytest.mark.montecarlo
def test_simulator_executor_bit_identical():
    """Same seed, serial or process pool: identical numbers (SeedSequence child per trial; picklable payload)."""
    from concurrent.futures import ProcessPoolExecutor

    lam = np.linspace(0.5, 1.5, 40)
    args = (lam, lam / 40, 0.1, 30, [10, 50], 1e-2)
    serial = sim_rf_ridge_risk(*args, trials=4, seed=9, activation="relu", test_size=50)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = sim_rf_ridge_risk(*args, trials=4, seed=9, activation="relu", test_size=50, executor=pool)
    np.testing.assert_array_equal(serial.test, parallel.test)
    np.testing.assert_array_equal(serial.train_se, parallel.train_se)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(n=0), "n"), (dict(p=-3), "p"), (dict(p=np.nan), "p"), (dict(ridge=-1e-3), "ridge"),
        (dict(noise=-1.0), "noise"), (dict(eigs=[1.0, -1.0]), "eigs"), (dict(target_power=[1.0, 2.0]), "target_power"),
        (dict(activation="softsign"), "activation"), (dict(activation=(0.0, 0.0, 1.0)), "mu1"),
        (dict(activation=(0.0, 1.0, -1.0)), "mu_star"),
    ],
)
def test_bad_input(kwargs, name):
    args = dict(eigs=np.ones(5), target_power=0.1, noise=0.1, n=10, p=5, ridge=0.1)
    args.update(kwargs)
    activation = args.pop("activation", None)
    with pytest.raises(ValueError, match=name):
        rf_ridge_risk(**args, activation=activation)
    if name not in ("ridge",):
        with pytest.raises(ValueError, match=name):
            rf_optimal_ridge(*(args[k] for k in ("eigs", "target_power", "noise", "n", "p")), activation=activation)


@pytest.mark.parametrize("kwargs, name", [(dict(n=10.5), "n"), (dict(p=2.5), "p"), (dict(trials=1), "trials"),
                                          (dict(ridge=-1.0), "ridge"), (dict(test_size=0), "test_size")])
def test_bad_input_simulator(kwargs, name):
    args = dict(eigs=np.ones(5), target_power=0.1, noise=0.1, n=10, p=5, ridge=0.1, trials=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        sim_rf_ridge_risk(**args)


def test_bad_input_chain():
    with pytest.raises(ValueError, match="^widths must be a sequence"):
        solve_chain(np.ones(4), 10, 0.1, widths=5.0)
    with pytest.raises(ValueError, match=r"^widths\[0\] must be >= 1e-08"):
        solve_chain(np.ones(4), 10, 0.1, widths=[0])
    with pytest.raises(ValueError, match="^n must be >= 1e-08"):
        solve_chain(np.ones(4), 0, 0.1, widths=[10])
    with pytest.raises(ValueError, match="^ridge must be >= 0"):
        solve_chain(np.ones(4), 10, -1.0)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match=r"^counts\[1\] must be >= 1e-08"):
        solve_chain(np.ones(4), [10, 0], 0.1)
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="^counts must contain at least one"):
        solve_chain(np.ones(4), [], 0.1)
    with pytest.raises(ValueError, match="^counts must not be given together with n"):
        solve_chain(np.ones(4), 10, 0.1, counts=[10])
    with pytest.raises(ValueError, match="w"):
        s_transform(np.ones(4), 0.5)


# --------------------------------------------------------------------------- regressions (issue 7)


def test_kappa_features_at_the_pole_is_its_limit():
    """Ridgeless at p = n both slacks vanish: κ_f = ridge·n/a is 0/0, its limit (ridge → 0⁺) is 0."""
    eigs = rmt.spectra.power_law(200, 1.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r0 = rf_ridge_risk(eigs, eigs, 0.1, 100, 100, 0.0)
        small = rf_ridge_risk(eigs, eigs, 0.1, 100, 100, [1e-16, 1e-12]).kappa_features
    assert float(r0.kappa_features) == 0.0
    assert 0 < small[0] < small[1] < 1e-5  # κ_f → 0 continuously (as sqrt(ridge) at the pole)
    # off the pole the ridgeless κ_f is unchanged: 0 for p < n, γ₀(1 - n/p) for p > n
    assert float(rf_ridge_risk(eigs, eigs, 0.1, 100, 50, 0.0).kappa_features) == 0.0
    r = rf_ridge_risk(eigs, eigs, 0.1, 100, 300, 0.0)
    assert float(r.kappa_features) == pytest.approx(float(r.kappa) * (1 - 100 / 300), rel=1e-12)


def test_chain_counts_of_different_shapes_broadcast():
    """counts = [array, scalar] broadcasts like any other argument (a ragged list for numpy)."""
    sol = solve_chain(np.ones(10), 3.0, 0.1, widths=[np.array([5.0, 6.0])])
    assert sol.gamma.shape == (2,)
    for i, p in enumerate([5.0, 6.0]):
        assert sol.gamma[i] == solve_chain(np.ones(10), 3.0, 0.1, widths=[p]).gamma
    with pytest.warns(DeprecationWarning, match="solve_chain"):
        old = solve_chain(np.ones(10), [np.array([5.0, 6.0]), 3.0], 0.1)  # the former counts = [p, n]
    np.testing.assert_array_equal(old.gamma, sol.gamma)
    with pytest.warns(DeprecationWarning):
        np.testing.assert_array_equal(solve_chain(np.ones(10), counts=[5.0, 3.0], ridge=0.1).gamma, sol.gamma[0])
