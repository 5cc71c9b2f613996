# SPDX-License-Identifier: BSD-3-Clause
"""rmt.symbolic: closed forms held to the float64 solvers, Narayana moments, S-transform products, series."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import rmt
from rmt import powerlaw
from rmt import symbolic as S
from rmt.resolvent.free import solve_chain

pos = st.floats(0.05, 20.0)
ISO = S.lambdify(S.solve_kappa([S.lam], S.n, S.ridge, [S.D]), S.lam, S.n, S.ridge, S.D)
TWO_LEVEL = S.lambdify(S.solve_kappa([S.lam, 3 * S.lam], S.n, S.ridge), S.lam, S.n, S.ridge)
RISK = S.isotropic_risk()
RISK_FNS = {f: S.lambdify(e, S.lam, S.n, S.ridge, S.D, S.signal, S.noise) for f, e in RISK.as_dict().items()}


@given(lam=pos, n=st.floats(1.0, 500.0), D=st.integers(1, 400), ridge=st.floats(1e-4, 10.0))
def test_isotropic_kappa_equals_numba(lam, n, D, ridge):
    exact = ISO(lam, n, ridge, D)
    assert exact == pytest.approx(rmt.solve_kappa(np.full(D, lam), n, ridge), rel=1e-12)


@given(lam=pos, n=st.floats(0.2, 5.0), ridge=st.floats(1e-3, 5.0))
def test_two_level_symbolic_branch_is_the_physical_root(lam, n, ridge):
    # Cardano radicals of a cubic: evaluated with complex arithmetic, the imaginary parts cancel.
    k = complex(TWO_LEVEL(complex(lam), complex(n), complex(ridge)))
    ref = rmt.solve_kappa([lam, 3 * lam], n, ridge)
    assert abs(k.imag) <= 1e-9 * ref
    assert k.real == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("vals, mult, n, ridge", [
    ([1, 2], [1, 1], 3, sp.Rational(1, 10)),          # cubic, casus irreducibilis -> CRootOf
    ([1, 2, 3, 5, 7], [1, 1, 1, 1, 1], 3, sp.Rational(1, 10)),  # degree 6 -> CRootOf
    ([4], [5], 3, 0),                                  # ridgeless, n < rank: 8/3
    ([4], [5], 7, 0),                                  # ridgeless, n > rank: 0
    ([sp.Rational(1, 3), 2], [10, 4], sp.Rational(9, 2), sp.Rational(1, 100)),
])
def test_numeric_atoms_exact_root(vals, mult, n, ridge):
    k = S.solve_kappa(vals, n, ridge, mult)
    spec = rmt.spectra.atoms([float(v) for v in vals], [float(m) for m in mult])
    assert float(k) == pytest.approx(rmt.solve_kappa(spec, float(n), float(ridge)), rel=1e-13, abs=1e-300)
    assert sp.simplify(S.kappa_polynomial(vals, n, ridge, mult).as_expr().subs(S.kappa, k)) == 0 or \
        abs(complex(S.kappa_polynomial(vals, n, ridge, mult).as_expr().subs(S.kappa, k).evalf(50))) < 1e-40


def test_isotropic_ridgeless_closed_form_values():
    assert S.solve_kappa([4], 3, 0, [5]) == sp.Rational(8, 3)
    assert S.solve_kappa([4], 7, 0, [5]) == 0


@given(lam=pos, n=st.integers(5, 400), D=st.integers(1, 400), ridge=st.floats(1e-3, 10.0),
       signal=st.floats(0.0, 5.0), noise=st.floats(0.0, 2.0))
def test_isotropic_risk_equals_ridge_risk(lam, n, D, ridge, signal, noise):
    num = rmt.ridge_risk(np.full(D, lam), np.full(D, signal / D), noise, n, ridge)
    for field, fn in RISK_FNS.items():
        assert fn(lam, n, ridge, D, signal, noise) == pytest.approx(getattr(num, field), rel=1e-11, abs=1e-14), field


@pytest.mark.parametrize("D, n", [(50, 200), (300, 100), (120, 121), (400, 399)])
def test_ridgeless_double_descent_formula(D, n):
    r = S.isotropic_ridgeless_risk()
    vals = {S.gamma: sp.Rational(D, n), S.lam: sp.Rational(3, 2), S.signal: 2, S.noise: sp.Rational(1, 4), S.n: n}
    num = rmt.ridge_risk(np.full(D, 1.5), np.full(D, 2.0 / D), 0.25, n, 0.0)
    for field in ("excess", "test", "train", "bias", "variance", "E0", "kappa", "df1", "df2"):
        assert float(getattr(r, field).subs(vals)) == pytest.approx(float(getattr(num, field)), rel=1e-12, abs=1e-15), field


# --------------------------------------------------------------------------- Marchenko–Pastur


@pytest.mark.parametrize("z", [-0.7, -1e-3, 0.4 + 0.3j, 0.4 - 0.3j, 3.0 + 1e-4j, -2.0 + 5.0j, 0.9 + 0.01j])
@pytest.mark.parametrize("D, n", [(80, 50), (50, 80)])
def test_mp_stieltjes_branch_matches_solver(z, D, n):
    m = S.marchenko_pastur_stieltjes().subs({S.gamma: sp.Rational(D, n), S.lam: sp.Rational(13, 10)})
    assert complex(m.subs(S.z, z)) == pytest.approx(complex(rmt.stieltjes(np.full(D, 1.3), n, z)), rel=1e-12)


def test_mp_density_matches_solver():
    dens = S.lambdify(S.marchenko_pastur_density().subs({S.gamma: sp.Rational(1, 4), S.lam: 2}), S.x)
    xs = np.linspace(0.6, 4.4, 9)
    ref = rmt.spectral_density(np.full(100, 2.0), 400, xs)
    assert np.allclose([float(dens(v)) for v in xs], ref.density, rtol=1e-9, atol=1e-12)


def test_narayana_numbers_and_catalan_sums():
    assert [S.narayana(4, j) for j in range(1, 5)] == [1, 6, 6, 1]
    assert [S.narayana(5, j) for j in range(1, 6)] == [1, 10, 20, 10, 1]
    assert [sum(S.narayana(k, j) for j in range(1, k + 1)) for k in range(1, 8)] == [1, 2, 5, 14, 42, 132, 429]


def test_mp_moments_are_the_stieltjes_series_at_infinity():
    # m(z) = -Σ_k m_k / z^{k+1}: expand in w = 1/z about 0 (the branch at infinity is the physical one).
    w = sp.Symbol("w", positive=True)
    a, b = S.lam * (1 - sp.sqrt(S.gamma)) ** 2, S.lam * (1 + sp.sqrt(S.gamma)) ** 2
    # On z > b both roots are real and positive: √(z−a)√(z−b) = √((1−aw)(1−bw))/w.
    m = (S.lam * (1 - S.gamma) - 1 / w + sp.sqrt((1 - a * w) * (1 - b * w)) / w) / (2 * S.gamma * S.lam / w)
    ser = sp.series(m, w, 0, 7).removeO()
    for k in range(1, 6):
        assert sp.simplify(-ser.coeff(w, k + 1) - S.marchenko_pastur_moment(k)) == 0


def test_mp_moments_against_dense_sample_covariance():
    # Finite-size check of the Narayana moments: E tr Σ̂^k / D at D = 300, n = 600 (gamma = 1/2), 20 draws.
    rng = np.random.default_rng(3)
    D, n, k = 300, 600, 3
    vals = []
    for _ in range(20):
        X = rng.standard_normal((n, D)) * np.sqrt(0.7)
        vals.append(np.trace(np.linalg.matrix_power(X.T @ X / n, k)) / D)
    mean, se = np.mean(vals), np.std(vals, ddof=1) / np.sqrt(len(vals))
    theory = float(S.marchenko_pastur_moment(k).subs({S.lam: 0.7, S.gamma: 0.5}))
    # Finite-D correction of the third moment is O(1/n) relative: allowance 3/n.
    assert abs(mean - theory) <= 4 * se + 3 / n * theory


# --------------------------------------------------------------------------- S-transforms


@pytest.mark.parametrize("D, counts, ridge", [(200, [300, 100], 0.05), (100, [50, 400], 0.3), (150, [150, 150, 600], 0.01)])
def test_s_transform_product_matches_solve_chain(D, counts, ridge):
    eq = S.chain_df_equation([sp.Rational(D, m) for m in counts], sp.Float(ridge, 40))
    gamma_ref = solve_chain(np.ones(D), counts[-1], ridge, widths=counts[:-1]).gamma
    # The admissible branch: 0 < u = df/D < min(1, min_l m_l/D); the equation changes sign across it once.
    u_max = min(1, min(counts) / D)
    u_star = sp.nsolve(eq, S.u, (sp.Float(1e-30, 40), sp.Float(u_max, 40) * (1 - sp.Float(1e-30, 40))),
                       solver="bisect", prec=40)
    assert float((1 - u_star) / u_star) == pytest.approx(gamma_ref, rel=1e-12)


def test_wishart_s_transform_is_mp():
    # S_W(w) = 1/(1 + γ w) for γ = D/n reproduces the MP relation between ridge and κ:
    # (1 − u)/(ridge u) = S_W(−u) with u = df/D, κ = (1 − u)/u.
    g, r = sp.Rational(3, 5), sp.Rational(1, 7)
    u_star = sp.nsolve(S.chain_df_equation([g], r), S.u, 0.5, prec=30)
    kappa = (1 - u_star) / u_star
    assert float(kappa) == pytest.approx(rmt.solve_kappa(np.ones(300), 500, float(r)), rel=1e-12)


# --------------------------------------------------------------------------- series


@pytest.mark.parametrize("regime, D, n, var", [("small_ridge_over", 300, 100, "ridge"),
                                               ("small_ridge_under", 100, 300, "ridge"),
                                               ("large_n", 50, None, "n")])
def test_kappa_series_has_the_stated_order(regime, D, n, var):
    order = 2
    ser = S.kappa_series(regime, order)
    lam, ridge0 = 1.3, 0.2
    errs = []
    for s in (1e-2, 5e-3, 2.5e-3):
        if var == "ridge":
            vals = {S.lam: lam, S.gamma: sp.Rational(D, n), S.ridge: s}
            exact = rmt.solve_kappa(np.full(D, lam), n, s)
        else:
            nn = 1 / s
            vals = {S.lam: lam, S.D: D, S.ridge: ridge0, S.n: nn}
            exact = rmt.solve_kappa(np.full(D, lam), nn, ridge0)
        errs.append(abs(float(ser.subs(vals)) - exact))
    # Truncation error O(s^{order+1}): halving s divides it by ~2^{order+1} = 8.
    assert 6.0 < errs[0] / errs[1] < 10.0 and 6.0 < errs[1] / errs[2] < 10.0


def test_risk_series_leading_terms():
    # Overparameterized ridgeless limit of test risk: signal(1-1/γ) + noise/(γ-1) + noise (Hastie et al. 2019).
    lead = S.risk_series("small_ridge_over", 1)
    target = S.signal * (1 - 1 / S.gamma) + S.noise / (S.gamma - 1) + S.noise
    assert sp.simplify(lead - target) == 0
    # Large n at fixed ridge: the population ridge bias remains, test -> noise + signal (ridge/(λ+ridge))².
    assert sp.simplify(S.risk_series("large_n", 1) - S.noise - S.signal * (S.ridge / (S.lam + S.ridge)) ** 2) == 0


# --------------------------------------------------------------------------- power laws, bad input


@pytest.mark.parametrize("alpha, beta", [(1.5, 1.7), (2.0, 3.0), (3.3, 2.2)])
def test_powerlaw_constants_match_rmt_powerlaw(alpha, beta):
    c = S.powerlaw_constants(sp.Float(alpha, 30), sp.Float(beta, 30))
    assert float(c["I1"]) == pytest.approx(powerlaw.I1(alpha), rel=1e-14)
    assert float(c["I2"]) == pytest.approx(powerlaw.I2(alpha), rel=1e-14)
    assert float(c["J"]) == pytest.approx(powerlaw.J(alpha, beta), rel=1e-13)
    assert float(c["kappa0"].subs(S.n, 300)) == pytest.approx(powerlaw.ridgeless_kappa(alpha, 300), rel=1e-13)
    assert float(c["E0"].subs(S.n, 300)) == pytest.approx(powerlaw.ridgeless_E0(alpha, 300), rel=1e-14)


def test_bad_input():
    with pytest.raises(ValueError, match="^eigs must"):
        S.solve_kappa([-1, 2], 3, 0.1)
    with pytest.raises(ValueError, match="^eigs must"):
        S.solve_kappa([], 3, 0.1)
    with pytest.raises(ValueError, match="^weights must"):
        S.solve_kappa([1, 2], 3, 0.1, [1])
    with pytest.raises(ValueError, match="^k must"):
        S.marchenko_pastur_moment(0)
    with pytest.raises(ValueError, match="^regime must"):
        S.kappa_series("tiny")
    with pytest.raises(ValueError, match="^field must"):
        S.risk_series("large_n", 1, field="nope")
    with pytest.raises(ValueError, match="degree"):
        S.solve_kappa([S.lam, 2 * S.lam, 3 * S.lam, 4 * S.lam], S.n, S.ridge)


# --------------------------------------------------------------------------- random features

RF = S.isotropic_rf_risk()
RF_FIELDS = ("kappa", "kappa_features", "E0", "test", "train", "bias", "variance", "df1", "df2")
RF_FNS = {f: S.lambdify(getattr(RF, f), S.gamma_rf, S.lam, S.n, S.p, S.D, S.signal, S.noise) for f in RF_FIELDS}
RF_POLY = S.lambdify(RF.gamma_polynomial(S.ridge).as_expr(), S.gamma_rf, S.lam, S.n, S.p, S.D, S.ridge)


@given(lam=pos, n=st.integers(5, 300), p=st.integers(2, 400), D=st.integers(2, 300), ridge=st.floats(1e-3, 5.0),
       signal=st.floats(0.0, 5.0), noise=st.floats(0.0, 2.0))
def test_isotropic_rf_risk_equals_rf_ridge_risk(lam, n, p, D, ridge, signal, noise):
    num = rmt.rf_ridge_risk(np.full(D, lam), np.full(D, signal / D), noise, n, p, ridge)
    g = float(num.kappa)
    # γ from the numeric solver is a root of the closed form's cubic (relative residual) ...
    scale = abs(RF_POLY(g * 1.5, lam, n, p, D, ridge)) + abs(RF_POLY(g / 1.5, lam, n, p, D, ridge))
    assert abs(RF_POLY(g, lam, n, p, D, ridge)) <= 1e-10 * scale
    # ... and every field, evaluated at that γ, equals the float path.
    for field, fn in RF_FNS.items():
        assert fn(g, lam, n, p, D, signal, noise) == pytest.approx(getattr(num, field), rel=1e-9, abs=1e-13), field


def test_isotropic_rf_risk_largest_root_is_physical():
    vals = {S.D: 120, S.n: 80, S.p: 60, S.lam: sp.Rational(13, 10)}
    poly = sp.Poly(RF.gamma_polynomial(sp.Rational(1, 20)).as_expr().subs(vals), S.gamma_rf)
    g = max(sp.real_roots(poly))
    assert float(g) == pytest.approx(rmt.rf_ridge_risk(np.full(120, 1.3), 0.0, 0.0, 80, 60, 0.05).kappa, rel=1e-13)


@pytest.mark.parametrize("p", [20, 50, 79, 81, 150, 1000])
def test_isotropic_rf_ridgeless_double_descent(p):
    D, n = 200, 80
    test, psi = S.isotropic_rf_ridgeless_test()
    value = float(test.subs({S.gamma: sp.Rational(D, n), psi: sp.Rational(p, n), S.signal: 2, S.noise: sp.Rational(1, 4)}))
    num = rmt.rf_ridge_risk(np.full(D, 0.9), np.full(D, 2.0 / D), 0.25, n, p, 0.0)
    assert value == pytest.approx(float(num.test), rel=1e-10)


def test_rf_wide_limit_is_ridge():
    vals = {S.D: 100, S.n: 70, S.lam: 1, S.signal: 1, S.noise: sp.Rational(1, 10)}
    # As p -> ∞ at fixed γ: ridge(γ) -> γ(1 - z/n), the ridge κ relation; test -> ridge test at κ = γ.
    lim_ridge = sp.limit(RF.ridge.subs(vals), S.p, sp.oo)
    lim_test = sp.limit(RF.test.subs(vals), S.p, sp.oo)
    iso = S.isotropic_risk()
    k = sp.Rational(3, 2)
    r = lim_ridge.subs(S.gamma_rf, k)
    ref = iso.test.subs(vals).subs(S.ridge, r)
    assert abs(float(lim_test.subs(S.gamma_rf, k) - ref)) < 1e-13
