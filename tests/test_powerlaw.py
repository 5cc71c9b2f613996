# SPDX-License-Identifier: BSD-3-Clause
"""Infinite power-law spectra (analytic tails) and the closed forms of :mod:`rmt.powerlaw`.

Three kinds of check: the tail sums against independent mpmath referees
(zeta-function series and the Mellin expansion, not Euler–Maclaurin); the
infinite spectrum against explicit truncations (error shrinking as
predicted); each closed form against the finite-n computation it is the limit
of, with the ratio tending to 1.
"""

import mpmath as mp
import numpy as np
import pytest

import rmt
from rmt import powerlaw as P
from rmt.resolvent.onepoint import prepare_task
from rmt.risk.ridge import spectral_sums
from rmt.spectra import PowerLaw, power_law, power_law_target

# --------------------------------------------------------------------------- mpmath referees


def _mp_sum(g, a, b, alpha, c, dps=40):
    r"""``Σ_{k≥1} k^-g (c k^α)^a / (1 + c k^α)^b`` at ``dps`` digits, without Euler–Maclaurin.

    * ``c k^α ≥ 16`` beyond an explicit head ``k ≤ K`` (``K ≤ 4000``): the
      head summed term by term plus the convergent series
      ``Σ_j C(-b, j) c^{a-b-j} ζ(g - α(a-b-j), K+1)`` (Hurwitz zeta);
    * otherwise (tiny c) the Mellin–Barnes expansion
      ``(1/α) c^{(g-1)/α} B(p, b-p) + Σ_j (-1)^j C(b+j-1, j) c^{a+j} ζ(g - α(a+j))``,
      ``p = a + (1-g)/α``, asymptotic in c and exact to 40 digits for c ≤ 1e-9.
    """
    with mp.workdps(dps):
        g, alpha, c = mp.mpf(g), mp.mpf(alpha), mp.mpf(c)
        K = int(mp.ceil((16 / c) ** (1 / alpha))) if c < 16 else 0
        if K <= 4000:
            head = mp.fsum(mp.mpf(k) ** (-g) * (c * mp.mpf(k) ** alpha) ** a / (1 + c * mp.mpf(k) ** alpha) ** b
                           for k in range(1, K + 1))
            s = mp.mpf(0)
            for j in range(2000):
                t = mp.binomial(-b, j) * c ** (a - b - j) * mp.zeta(g - alpha * (a - b - j), K + 1)
                s += t
                if j > 3 and abs(t) < mp.mpf(10) ** (-dps + 3) * abs(s):
                    break
            return head + s
        assert c <= 1e-9
        p = a + (1 - g) / alpha
        total = c ** ((g - 1) / alpha) / alpha * mp.beta(p, b - p)
        for j in range(8):
            total += (-1) ** j * mp.binomial(b + j - 1, j) * c ** (a + j) * mp.zeta(g - alpha * (a + j))
        return total


@pytest.mark.parametrize("alpha, beta", [(1.5, 1.7), (2.0, 2.9), (3.3, 1.7), (1.5, 5.3)])
@pytest.mark.parametrize("kappa", [1e-30, 1e-12, 1e-4, 0.3, 40.0])
def test_spectral_sums_of_infinite_power_law_match_mpmath(alpha, beta, kappa):
    """df1, df2, B0 = Σ v²(1-L)², S_v, S_λ, df1 - df2 of λ = k^-α, v² = k^-β at κ down to 1e-30, to 1e-12."""
    levels, tpow = prepare_task(PowerLaw(alpha), PowerLaw(beta))
    got = np.array(spectral_sums(levels, tpow, np.array([kappa]))).ravel()
    want = [
        _mp_sum(0, 0, 1, alpha, kappa),  # df1 = Σ 1/(1 + κk^α)
        _mp_sum(0, 0, 2, alpha, kappa),  # df2
        _mp_sum(beta, 2, 2, alpha, kappa),  # B0
        _mp_sum(beta - alpha, 1, 3, alpha, kappa),  # S_v = Σ v² κλ/(λ+κ)³
        _mp_sum(-alpha, 0, 3, alpha, kappa),  # S_λ = Σ λ²/(λ+κ)³
        _mp_sum(0, 1, 2, alpha, kappa),  # df1 - df2 = Σ L(1 - L)
    ]
    np.testing.assert_allclose(got, [float(w) for w in want], rtol=1e-12)


def test_trace_and_target_total_are_zeta_values():
    levels, tpow = prepare_task(PowerLaw(1.3, scale=2.0), PowerLaw(1.1, scale=0.5))
    assert levels.trace() == pytest.approx(2.0 * float(mp.zeta(1.3)), rel=1e-13)
    assert levels.target_total(tpow) == pytest.approx(0.5 * float(mp.zeta(1.1)), rel=1e-13)
    assert PowerLaw(1.3, 2.0).total == pytest.approx(levels.trace(), rel=1e-13)
    # κ = inf: the null predictor's bias is the whole target variance
    b0 = spectral_sums(levels, tpow, np.array([np.inf]))[2]
    assert float(b0[0]) == pytest.approx(0.5 * float(mp.zeta(1.1)), rel=1e-13)


def test_kappa_of_infinite_power_law_against_mpmath_root():
    """κ₀(n) solves df1 = n with df1 from the zeta/Mellin referee (independent of the tail code)."""
    alpha, n = 1.5, 300.0
    with mp.workdps(30):
        k_ref = mp.findroot(lambda lk: _mp_sum(0, 0, 1, alpha, mp.exp(lk), dps=30) - n, mp.log(1e-4))
        k_ref = float(mp.exp(k_ref))
    assert float(rmt.solve_kappa(PowerLaw(alpha), n, 0.0)) == pytest.approx(k_ref, rel=1e-12)


# --------------------------------------------------------------------------- truncations


def test_truncations_converge_to_the_infinite_spectrum_at_the_predicted_rate():
    """κ₀ of ``k^-α`` truncated at D modes is low by ``≈ D^{1-α}/((α-1)(n - df2))``.

    (Dropping ``Σ_{k>D} λ_k/(λ_k+κ) ≈ D^{1-α}/((α-1)κ)`` from df1 moves the root
    by that amount times ``κ/(df1 - df2)``.) The ratio of actual to predicted
    error tends to 1 and the error itself shrinks like ``D^{1-α}``.
    """
    alpha, n = 1.5, 100.0
    k_inf = float(rmt.solve_kappa(PowerLaw(alpha), n, 0.0))
    d2 = float(rmt.df2(PowerLaw(alpha), k_inf))
    ratios, errs = [], []
    for D in (10**3, 10**4, 10**5):
        k_D = float(rmt.solve_kappa(PowerLaw(alpha, size=D), n, 0.0))
        errs.append(k_inf - k_D)
        ratios.append((k_inf - k_D) / (D ** (1 - alpha) / ((alpha - 1) * (n - d2))))
    assert all(e > 0 for e in errs)
    assert abs(ratios[-1] - 1) < 0.01
    assert abs(ratios[2] - 1) < abs(ratios[1] - 1) < abs(ratios[0] - 1)


def test_truncation_example():
    """docs/conventions.md R5: α = 2, M = 3000, n = 200: E₀ = 2.054 truncated vs 1.995 infinite."""
    trunc = rmt.ridge_risk(PowerLaw(2.0, size=3000), 0.0, 1.0, 200, 0.0)
    inf = rmt.ridge_risk(PowerLaw(2.0), 0.0, 1.0, 200, 0.0)
    assert float(trunc.E0) == pytest.approx(2.054, abs=5e-4)
    assert float(inf.E0) == pytest.approx(1.995, abs=5e-4)


def test_finite_power_law_is_an_array_everywhere():
    eigs = PowerLaw(1.5, scale=2.0, size=40)
    np.testing.assert_array_equal(np.asarray(eigs), 2.0 * power_law(40, 1.5))
    r1 = rmt.ridge_risk(eigs, PowerLaw(1.2), 0.1, 30, 1e-3)
    r2 = rmt.ridge_risk(2.0 * power_law(40, 1.5), power_law_target(40, 1.2), 0.1, 30, 1e-3)
    assert float(r1.test) == float(r2.test)


def test_finite_task_on_infinite_spectrum_is_zero_beyond_its_length():
    task = power_law_target(1000, 1.5)  # longer than the default head: the head grows
    r1 = rmt.ridge_risk(PowerLaw(2.0), task, 0.1, 50, 0.0)
    padded = np.concatenate([task, np.zeros(500)])
    levels, tpow = prepare_task(PowerLaw(2.0), padded)
    assert levels.all_vals.size == 1500 and tpow[1000:].sum() == 0
    r2 = rmt.ridge_risk(PowerLaw(2.0), padded, 0.1, 50, 0.0)
    assert float(r1.test) == pytest.approx(float(r2.test), rel=1e-13)
    # and the truncated task loses exactly the power beyond mode 1000 at κ = ∞
    r_null = rmt.ridge_risk(PowerLaw(2.0), PowerLaw(1.5), 0.0, 50, np.inf)
    assert float(r_null.test) == pytest.approx(float(mp.zeta(1.5)), rel=1e-13)


# --------------------------------------------------------------------------- ridgeless closed forms


@pytest.mark.parametrize("n", [10, 20, 50, 200, 1000, 1e5])
def test_alpha_2_ridgeless_is_exact(n):
    """λ_k = k^-2: κ₀ = π²/(2n+1)² and E₀ = 4n/(2n+1) up to O(e^{-2(2n+1)})."""
    r = rmt.ridge_risk(PowerLaw(2.0), 0.0, 1.0, n, 0.0)
    assert float(r.kappa) == pytest.approx(np.pi**2 / (2 * n + 1) ** 2, rel=1e-12)
    assert float(r.E0) == pytest.approx(4 * n / (2 * n + 1), rel=1e-12)
    assert float(P.ridgeless_E0(2.0, n)) == pytest.approx(4 * n / (2 * n + 1), rel=1e-15)
    assert float(P.ridgeless_kappa(2.0, n)) == pytest.approx(np.pi**2 / (2 * n + 1) ** 2, rel=1e-14)


def test_alpha_2_small_n_shows_the_exponentially_small_terms():
    """n = 1: 1.3753 exact vs 4/3; n = 5: deviation ~ e^{-22}, visible but tiny."""
    assert float(rmt.ridge_risk(PowerLaw(2.0), 0.0, 1.0, 1, 0.0).E0) == pytest.approx(1.3753, abs=1e-4)
    dev = float(rmt.ridge_risk(PowerLaw(2.0), 0.0, 1.0, 5, 0.0).E0) / (20 / 11) - 1
    assert 1e-11 < abs(dev) < 1e-7


def test_reference_E0_values():
    """docs/conventions.md R5 (E₀ → α, Zhou, Simon, Vardi & Srebro 2024, arXiv:2306.13185): ridgeless E₀(n), α = 1.5 and 3."""
    n = [10, 100, 1000, 10000]
    np.testing.assert_allclose(rmt.ridge_risk(PowerLaw(1.5), 0, 1, n, 0).E0, [1.42959, 1.49254, 1.49925, 1.49993],
                               atol=6e-6)
    np.testing.assert_allclose(rmt.ridge_risk(PowerLaw(3.0), 0, 1, n, 0).E0, [2.85713, 2.98507, 2.99850, 2.99985],
                               atol=6e-6)


@pytest.mark.parametrize("alpha, beta, noise", [(2.0, 1.5, 0.0), (1.5, 2.5, 0.0), (3.0, 2.0, 0.3), (2.0, 6.0, 0.0),
                                                (1.5, 5.0, 0.0)])
def test_ridgeless_closed_forms_converge(alpha, beta, noise):
    """κ₀, E₀ and the ridgeless test risk: finite-n / closed form → 1 (saturated β > 2α+1 included)."""
    n = np.array([1e2, 1e3, 1e4, 1e5])
    r = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), noise, n, 0.0)
    for got, want in ((r.kappa, P.ridgeless_kappa(alpha, n)), (r.E0, P.ridgeless_E0(alpha, n)),
                      (r.test, P.ridgeless_test(alpha, beta, noise, n))):
        err = np.abs(got / want - 1)
        assert err[-1] < 2e-3 and err[-1] <= max(err[0], 1e-13)


def test_scaled_ridge_intermediate_regime():
    """δ = δ̃ n^{1-α}: E₀ → 1/(1 - x(1-1/α)) with (I₁/x)^α(1-x) = δ̃; α = 2, δ̃ = 1 gives 1.61767."""
    from scipy.optimize import brentq

    x = brentq(lambda x: (float(P.I1(2.0)) / x) ** 2 * (1 - x) - 1, 1e-6, 1)
    assert 1 / (1 - x / 2) == pytest.approx(1.61767, abs=1e-5)
    E0 = rmt.ridge_risk(PowerLaw(2.0), 0, 1, 1e4, 1e4 ** (1 - 2.0) / 1e4).E0
    assert float(E0) == pytest.approx(1.61758, abs=1e-5)


@pytest.mark.parametrize("alpha, beta", [(2.0, 1.5), (1.5, 2.5), (3.0, 8.0)])
def test_path_risk_matches_finite_n(alpha, beta):
    """The refined continuum path (xn + ½ terms) is within 1e-5 of rmt.ridge_risk at n = 1000."""
    n, noise = 1000.0, 0.1
    ridge = np.array([0.0, 1e-7, 1e-5, 1e-3])
    x = P.x_from_ridge(alpha, n, ridge)
    pr = P.path_risk(alpha, beta, noise, n, x)
    r = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), noise, n, ridge)
    np.testing.assert_allclose(x, r.df1 / n, rtol=1e-6)
    np.testing.assert_allclose(pr.kappa, r.kappa, rtol=1e-6)
    np.testing.assert_allclose(pr.ridge, ridge, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(pr.test, r.test, rtol=2e-5 if beta > 2 * alpha + 1 else 1e-5)
    np.testing.assert_allclose(pr.train, r.train, rtol=2e-5 if beta > 2 * alpha + 1 else 1e-5, atol=1e-300)


# --------------------------------------------------------------------------- cost of overfitting


def test_cost_table():
    """Closed-form cost of overfitting (Zhou et al. 2024, arXiv:2306.13185, on power laws; docs/conventions.md R5): x*, (1-x*)² and C for the CNTK exponents and synthetic rows (σ²_rel → ρ = α σ²_rel)."""
    rows = [  # α, β, σ²_rel, x*, fit ratio, C
        (1.17, 1.14, 0, 0.8452, 2.40e-2, 1.0024), (1.17, 1.14, 1, 0.4413, 0.312, 1.0370),
        (1.17, 1.14, 50, 0.0265, 0.948, 1.1527), (1.22, 1.20, 0, 0.9242, 5.74e-3, 1.0008),
        (1.12, 1.36, 1, 1.0, 0.0, 1.0), (1.12, 1.36, 5, 0.5670, 0.188, 1.0170), (1.5, 1.5, 1, 0.5698, 0.185, 1.0754),
        (2.0, 1.5, 0, 0.6667, 0.111, 1.0887), (3.0, 2.0, 5, 0.2565, 0.553, 2.1055),
    ]
    for a, b, rel, x, fit, C in rows:
        res = P.cost_limit(a, b, a * rel)
        assert float(res.x_star) == pytest.approx(x, abs=6e-5)
        assert float(res.fit_ratio) == pytest.approx(fit, rel=5e-3, abs=1e-12)
        assert float(res.cost) == pytest.approx(C, abs=6e-5)


def test_noiseless_cost_closed_form():
    assert float(P.noiseless_cost(2.0, 1.5)) == pytest.approx(4 / 3 * np.sqrt(2 / 3), rel=1e-14)
    assert float(P.noiseless_cost(3.0, 2.0)) == pytest.approx(1.125, rel=1e-14)
    assert float(P.noiseless_cost(1.5, 2.5)) == 1.0
    np.testing.assert_allclose(P.cost_limit([2.0, 3.0], [1.5, 2.0], 0.0).cost, P.noiseless_cost([2.0, 3.0], [1.5, 2.0]),
                               rtol=1e-13)


@pytest.mark.parametrize("alpha, beta", [(2.0, 1.5), (3.0, 2.0)])
def test_noiseless_cost_beta_below_alpha_matches_finite_n(alpha, beta):
    """β < α, σ² = 0: the finite-n cost equals the closed form already at n = 100 (to 1e-7)."""
    from rmt.risk.overfitting import overfitting_cost

    c = overfitting_cost(PowerLaw(alpha), PowerLaw(beta), 0.0, [100, 1000, 10000], full_output=True)
    np.testing.assert_allclose(c.cost, P.noiseless_cost(alpha, beta), rtol=1e-7)
    x_star = alpha * (beta - 1) / (beta * (alpha - 1))
    np.testing.assert_allclose(c.optimal.df1[-1] / 1e4, x_star, rtol=1e-4)
    np.testing.assert_allclose(c.optimal.train[-1] / c.optimal.test[-1], (1 - x_star) ** 2, rtol=1e-3)


@pytest.mark.parametrize("alpha, beta, noise", [(1.5, 2.5, 0.01), (2.0, 3.0, 0.1), (2.0, 1.5, 1.0), (1.5, 5.0, 1e-4)])
def test_cost_closed_form_is_the_large_n_limit(alpha, beta, noise):
    """C(n) / C_closed(α, β, σ²/b_n) → 1 (including the saturated β > 2α + 1 extension)."""
    from rmt.risk.overfitting import overfitting_cost

    n = np.array([1e2, 1e3, 1e4])
    err = np.abs(overfitting_cost(PowerLaw(alpha), PowerLaw(beta), noise, n)
                 / P.overfitting_cost_limit(alpha, beta, noise, n).cost - 1)
    assert err[-1] < 1e-4
    assert err[-1] <= err[-2] or err[-2] < 1e-12


def test_noise_dominated_cost_tends_to_alpha():
    """Fixed σ², n → ∞ (ρ → ∞): C → α from below, finite-n and closed form alike."""
    from rmt.risk.overfitting import overfitting_cost

    n = np.array([1e2, 1e3, 1e4, 1e5])
    c = overfitting_cost(PowerLaw(2.0), PowerLaw(3.0), 1.0, n)
    assert (np.diff(c) > 0).all() and c[-1] < 2.0 and 2.0 - c[-1] < 2e-3
    np.testing.assert_allclose(c, P.overfitting_cost_limit(2.0, 3.0, 1.0, n).cost, rtol=2e-4)
    assert float(P.cost_limit(2.0, 3.0, np.inf).cost) == 2.0
    assert 2.0 - float(P.cost_limit(2.0, 3.0, 1e12).cost) < 1e-3


@pytest.mark.parametrize("alpha, beta, rho, expected", [(1.5, 2.5, 0.5, True), (1.5, 2.5, 3.0, False),
                                                        (2.0, 1.5, 0.0, False), (2.0, 2.0, 0.0, True),
                                                        (2.0, 3.0, 0.9, True), (2.0, 3.0, 1.2, False)])
def test_interpolation_optimal_condition(alpha, beta, rho, expected):
    """β ≥ α and ρ ≤ (β-α)/(α-1) ⇔ the optimal ridge ≥ 0 is 0 (finite n = 10⁴ at noise = ρ b_n)."""
    assert P.interpolation_is_optimal(alpha, beta, rho) is expected
    n = 1e4
    noise = float(rho * P.bias_scale(alpha, beta, n))
    ridge_star, _ = rmt.optimal_ridge(PowerLaw(alpha), PowerLaw(beta), noise, n)
    assert (float(ridge_star) == 0.0) is expected


def test_optimal_test_limits():
    """Continuum optimum within 1e-3 at n = 1e3; the pure power-law asymptote within 0.5% at n = 1e7."""
    for a, b, s2 in ((2.0, 1.5, 1.0), (1.5, 2.5, 1.0)):
        _, r = rmt.optimal_ridge(PowerLaw(a), PowerLaw(b), s2, [1e3, 1e7])
        assert np.all(np.abs(r.test / P.optimal_test_limit(a, b, s2, [1e3, 1e7]) - 1) < [1e-3, 1e-6])
        assert abs(float(r.excess[1] / P.optimal_excess_rate(a, b, s2, 1e7)) - 1) < 5e-3


# --------------------------------------------------------------------------- exponents


def _slope(y, n):
    return float(np.log(y[1] / y[0]) / np.log(n[1] / n[0]))


@pytest.mark.parametrize("alpha, beta", [(2.0, 1.5), (1.5, 2.5), (1.5, 5.0)])
def test_learning_curve_exponents_are_the_finite_n_slopes(alpha, beta):
    ex = P.learning_curve_exponents(alpha, beta)
    n = np.array([1e5, 1e6])
    clean = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.0, n, 0.0).excess
    assert _slope(clean, n) == pytest.approx(-ex.ridgeless_noiseless, abs=0.01)
    noisy = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.5, n, 0.0).excess
    np.testing.assert_allclose(noisy, P.ridgeless_test(alpha, beta, 0.5, n) - 0.5, rtol=1e-4)
    assert abs(float(noisy[-1]) - (alpha - 1) * 0.5) < 0.01  # exponent 0: the excess tends to (α-1)σ²
    n_opt = np.array([1e7, 1e8])
    _, opt = rmt.optimal_ridge(PowerLaw(alpha), PowerLaw(beta), 1.0, n_opt)
    assert _slope(opt.excess, n_opt) == pytest.approx(-ex.optimal_noisy, abs=0.01)
    assert _slope(opt.kappa, n_opt) == pytest.approx(-ex.optimal_kappa, abs=0.02)
    assert ex.saturated is (beta > 2 * alpha + 1)


def test_ridge_exponents_are_the_finite_n_slopes():
    alpha, beta, ell = 2.0, 2.5, 1.0
    bias_e, var_e = P.ridge_exponents(alpha, beta, ell)
    n = np.array([1e5, 1e6])
    r = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 1.0, n, 0.3 * n**-ell)
    assert _slope(r.bias, n) == pytest.approx(-bias_e, abs=0.01)
    assert _slope(r.variance, n) == pytest.approx(-var_e, abs=0.01)
    assert P.ridge_exponents(alpha, beta, 0.0) == (0.0, 1.0)
    assert P.ridge_exponents(alpha, beta, 5.0) == P.ridge_exponents(alpha, beta, alpha)


# --------------------------------------------------------------------------- conventions and validation


def test_convention_converters_round_trip():
    a, b = P.from_source_capacity(1.5, 0.75)
    assert (float(a), float(b)) == (1.5, 1 + 2 * 1.5 * 0.75)
    assert float(P.to_source_capacity(a, b)[1]) == pytest.approx(0.75)
    assert tuple(map(float, P.to_ab(2.0, 1.5))) == (1.5, 2.0)
    assert tuple(map(float, P.from_ab(*P.to_ab(2.0, 1.5)))) == (2.0, 1.5)
    assert tuple(map(float, P.from_plrf(1.0, 0.25))) == (2.0, 2.5)
    assert tuple(map(float, P.to_plrf(*P.from_plrf(1.0, 0.25)))) == (1.0, 0.25)
    # the same model in (a, b): ridgeless data exponent min(a - 1, 2b)
    a_, b_ = P.to_ab(1.5, 5.0)
    assert P.learning_curve_exponents(1.5, 5.0).ridgeless_noiseless == min(float(a_) - 1, 2 * float(b_))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: PowerLaw(1.0), "alpha"),
        (lambda: PowerLaw(np.nan), "alpha"),
        (lambda: PowerLaw(2.0, scale=0.0), "scale"),
        (lambda: PowerLaw(2.0, size=0), "size"),
        (lambda: rmt.ridge_risk(PowerLaw(2.0), 1.0, 0.1, 10, 0.0), "target_power"),
        (lambda: rmt.ridge_risk(PowerLaw(2.0), PowerLaw(1.5, size=5), -1.0, 10, 0.0), "noise"),
        (lambda: rmt.df1(PowerLaw(2.0), 0.0), "kappa"),
        (lambda: rmt.solve_kappa(PowerLaw(2.0), 10, 0.0, method="sympy"), "method"),  # (mpmath: the tail by sumem)
        (lambda: rmt.s_transform(PowerLaw(2.0), -0.5), "finite spectrum"),  # (stieltjes takes the tail)
        (lambda: rmt.learnabilities(PowerLaw(2.0), 0.1), "size=D"),
        (lambda: P.I1(0.5), "alpha"),
        (lambda: P.bias_scale(2.0, 5.0, 10), "beta"),
        (lambda: P.bias_scale(2.0, 0.5, 10), "beta"),
        (lambda: P.path_risk(2.0, 1.5, 0.0, 10, 0.0), "x"),
        (lambda: P.cost_limit(2.0, 1.5, -1.0), "rho"),
        (lambda: P.ridgeless_E0(2.0, 0), "n"),
        (lambda: P.x_from_ridge(2.0, 10, -1.0), "ridge"),
        (lambda: P.from_source_capacity(2.0, 0.0), "r"),
        (lambda: P.optimal_excess_rate(2.0, 1.5, 0.0, 10), "noise"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_extreme_valid_inputs_are_solved():
    """Tiny ridges (x within 1e-16 of 1) and huge relative noise (x* ~ 1e-134) are valid and solved."""
    from rmt import powerlaw as P

    assert P.x_from_ridge(2.0, 100, 1e-20) == 1.0  # 1 - x ≈ ridge/κ(1) = 1e-20 / 4e-4: rounds to 1
    x = float(P.x_from_ridge(2.0, 100, 1e-14))
    kappa1 = (P.I1(2.0) / 100.5) ** 2
    assert 1 - x == pytest.approx(1e-14 / kappa1, rel=1e-3, abs=0)
    c = P.cost_limit(2.0, 1.5, 1e200)
    assert float(c.cost) == pytest.approx(2.0, rel=1e-12)  # C → α as ρ → ∞
    # x* solves (α-1)(βx + ρx^β) = α(β-1): here x* = (α(β-1)/((α-1)ρ))^{1/β}
    assert float(c.x_star) == pytest.approx((2.0 * 0.5 / 1e200) ** (1 / 1.5), rel=1e-12, abs=0)
