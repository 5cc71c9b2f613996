# SPDX-License-Identifier: BSD-3-Clause
"""Ridge / kernel-ridge risk and the optimal ridge: closed forms, referees, laws, bad input.

Monte Carlo agreement of the same predictors lives in ``test_simulate.py``.
"""

import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays, mutually_broadcastable_shapes

import rmt
from rmt.spectra import isotropic, power_law

positive_eigs = arrays(np.float64, st.integers(2, 30), elements=st.floats(1e-5, 1e2))
noises = st.floats(0.0, 2.0)


def _task(eigs, seed):
    return np.random.default_rng(seed).uniform(0, 1, eigs.size) * eigs


def _direct_risk(eigs, tp, noise, n, ridge):
    """Independent evaluation of the risk formulas in mpmath (30 digits), from κ of the mpmath referee.

    ``L = λ/(λ+κ)``, ``E₀ = n/(n - Σ L²)``, ``test = E₀(Σ (1-L)² v² + σ²)``,
    ``train = (1 - Σ L/n)² test`` (Simon et al. 2021, arXiv:2110.03922; Bach 2023):
    shares no code with ``rmt.risk.ridge``, and the precision absorbs the cancellations
    (``1 - Σ L/n`` at a tiny ridge) that the compiled assembly avoids by rewriting.
    """
    with mp.workdps(30):
        k = rmt.solve_kappa(eigs, n, ridge, method="mpmath", dps=30)
        lam = [mp.mpf(float(x)) for x in eigs]
        v2 = [mp.mpf(float(x)) for x in tp]
        L = [x / (x + k) for x in lam]
        n = mp.mpf(n)
        E0 = n / (n - mp.fsum(li**2 for li in L))
        test = E0 * (mp.fsum((1 - li) ** 2 * v for li, v in zip(L, v2)) + mp.mpf(noise))
        train = (1 - mp.fsum(L) / n) ** 2 * test
        return dict(kappa=float(k), E0=float(E0), test=float(test), train=float(train))


# --------------------------------------------------------------------------- reference values


def test_reference_table_krr():
    """docs/conventions.md R1: eigenlearning equations (Simon et al. 2021, arXiv:2110.03922) at the setting of
    Simon et al. 2024 (arXiv:2311.14646), λ_i = v_i² = i^-1.5, i ≤ 3000, σ² = 0.5, δ = n·ridge."""
    eigs = power_law(3000, 1.5)
    n = np.array([100, 100, 1000, 1000])
    delta = np.array([0, 0.1, 0, 0.01])
    r = rmt.kernel_ridge_risk(eigs, eigs, 0.5, n, delta / n)
    np.testing.assert_allclose(r.kappa, [3.172884e-3, 4.647660e-3, 5.795072e-5, 7.704711e-5], rtol=2e-7)
    np.testing.assert_allclose(r.E0, [1.582995, 1.397494, 2.096707, 1.773485], rtol=1e-6)
    np.testing.assert_allclose(r.test, [1.108786, 1.023764, 1.106304, 0.946055], rtol=1e-6)
    np.testing.assert_allclose(r.train, [0, 0.047395, 0, 0.015937], rtol=1e-5, atol=1e-300)


def test_reference_table_isotropic_convention_L():
    """docs/conventions.md R2 (Atanasov, Zavatone-Veth & Pehlevan 2024, arXiv:2405.00592): Σ = I, |w̄| = 1,
    σ = 0.5, D = 1000, q = D/n."""
    D = 1000
    rows = [  # q, ridge, kappa, E_g, E_tr
        (0.5, 0.1, 0.174166, 0.176784, 0.140696),
        (2.0, 0.1, 1.184429, 0.686529, 0.006676),
        (1.0, 0.1, 0.370156, 0.441130, 0.050442),
        (2.0, 0.0, 1.0, 0.75, 0.0),
        (0.5, 0.0, 0.0, 0.25, 0.125),
    ]
    for q, ridge, kappa, eg, etr in rows:
        r = rmt.ridge_risk(isotropic(D), 1.0, 0.25, D / q, ridge)
        assert float(r.kappa) == pytest.approx(kappa, rel=1e-5, abs=1e-12)
        assert float(r.excess) == pytest.approx(eg, rel=1e-5)
        assert float(r.train) == pytest.approx(etr, rel=1e-4, abs=1e-12)


# --------------------------------------------------------------------------- closed forms


@pytest.mark.parametrize("d, n", [(300, 100), (300, 250), (100, 300), (200, 201)])
@pytest.mark.parametrize("signal, noise", [(1.0, 0.25), (2.0, 0.0), (0.0, 1.0)])
def test_hastie_isotropic_ridgeless(d, n, signal, noise):
    """Hastie, Montanari, Rosset & Tibshirani 2019: ridgeless isotropic risk.

    γ = d/n > 1: excess = (1 - 1/γ)|v|² + σ²/(γ - 1);  γ < 1: excess = σ² γ/(1 - γ).
    """
    r = rmt.ridge_risk(isotropic(d), signal, noise, n, 0.0)
    g = d / n
    expected = (1 - 1 / g) * signal + noise / (g - 1) if g > 1 else noise * g / (1 - g)
    assert float(r.excess) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert float(r.test) == pytest.approx(expected + noise, rel=1e-12)
    # train: zero when interpolating, σ²(1 - d/n) when n > d
    assert float(r.train) == pytest.approx(0.0 if g > 1 else noise * (1 - g), rel=1e-12, abs=1e-15)


@given(positive_eigs, st.floats(0.05, 5.0), st.floats(1e-3, 3.0), st.floats(1.0, 300.0))
def test_optimal_ridge_aligned_task(eigs, c, noise, n):
    """Aligned task target_power = c·eigs: ridge* = noise/(n c) and test* = n c κ*, any spectrum."""
    ridge_star, r = rmt.optimal_ridge(eigs, c * eigs, noise, n)
    assert ridge_star == pytest.approx(noise / (n * c), rel=1e-7)
    assert float(r.test) == pytest.approx(n * c * float(r.kappa), rel=1e-10)


@given(positive_eigs, st.integers(0, 2**32 - 1), noises, st.floats(0.5, 300.0), st.floats(1e-6, 10.0))
def test_train_test_relation(eigs, seed, noise, n, ridge):
    """train = (ridge/κ)² · test (test including noise), the GCV identity (Atanasov et al. 2024 §3)."""
    tp = _task(eigs, seed)
    r = rmt.ridge_risk(eigs, tp, noise, n, ridge)
    assert float(r.train) == pytest.approx((ridge / float(r.kappa)) ** 2 * float(r.test), rel=1e-12)
    # and both sides are the right numbers, not merely consistent with each other
    direct = _direct_risk(eigs, tp, noise, n, ridge)
    for field in ("test", "train", "E0"):
        assert float(getattr(r, field)) == pytest.approx(direct[field], rel=1e-9, abs=0)
    assert float(r.excess) == pytest.approx(float(r.bias + r.variance), rel=1e-12)
    assert float(r.test) == pytest.approx(float(r.excess) + noise, rel=1e-12)


def test_E0_power_law_two():
    """λ_k = k^-2 ridgeless: E₀ = 4n/(2n+1) up to e^{-2(2n+1)} (continuum), here on 10⁶ modes.

    Truncating at M modes drops a tail δ ≈ Σ_{k>M} λ_k/κ₀ = 1/(M κ₀) from df1; to first order
    κ₀ moves by -2κ₀δ/n and E₀ by +E₀·δ/n. The test holds the computed E₀ to the continuum
    value within 1.5× that predicted truncation shift.
    """
    M = 10**6
    eigs = power_law(M, 2.0)
    n = np.array([5.0, 10.0, 50.0, 200.0])
    r = rmt.kernel_ridge_risk(eigs, 0.0, 1.0, n, 0.0)
    exact = 4 * n / (2 * n + 1)
    kappa0 = np.pi**2 / (2 * n + 1) ** 2
    shift = 1.0 / (M * kappa0 * n)
    assert np.all(np.abs(r.E0 / exact - 1) <= 1.5 * shift)
    assert np.all(r.E0 / exact - 1 >= 0.5 * shift)  # and the shift has the predicted sign and size


def test_risk_matches_mpmath_evaluation():
    """The compiled spectral sums against a 40-digit evaluation of the same formulas."""
    eigs = power_law(200, 1.3)
    tp = power_law(200, 1.7)
    noise, n, ridge = 0.3, 80.0, 2e-3
    r = rmt.ridge_risk(eigs, tp, noise, n, ridge)
    with mp.workdps(40):
        k = rmt.solve_kappa(eigs, n, ridge, method="mpmath", dps=40)
        lam = [mp.mpf(float(x)) for x in eigs]
        v2 = [mp.mpf(float(x)) for x in tp]
        d1 = mp.fsum(x / (x + k) for x in lam)
        d2 = mp.fsum((x / (x + k)) ** 2 for x in lam)
        b0 = mp.fsum(v * (k / (x + k)) ** 2 for x, v in zip(lam, v2))
        E0 = n / (n - d2)
        test = E0 * (b0 + mp.mpf(noise))
        train = (1 - d1 / n) ** 2 * test
    for got, want in [(r.test, test), (r.train, train), (r.E0, E0), (r.df1, d1), (r.bias_mean_predictor, b0)]:
        assert float(got) == pytest.approx(float(want), rel=1e-12)


# --------------------------------------------------------------------------- kernel language


@given(positive_eigs, st.integers(0, 2**32 - 1), st.floats(0.5, 200.0), st.one_of(st.just(0.0), st.floats(1e-6, 10.0)))
def test_kernel_learnabilities(eigs, seed, n, ridge):
    """Conservation law Σ L_k = n - n·ridge/κ (= min(n, rank) ridgeless); kernel = linear risk."""
    tp = _task(eigs, seed)
    kr = rmt.kernel_ridge_risk(eigs, tp, 0.1, n, ridge)
    lr = rmt.ridge_risk(eigs, tp, 0.1, n, ridge)
    expected = min(n, eigs.size) if ridge == 0 else n - n * ridge / float(kr.kappa)
    assert kr.learnabilities.sum() == pytest.approx(expected, rel=1e-11, abs=1e-11 * n)
    assert np.all((kr.learnabilities >= 0) & (kr.learnabilities <= 1))
    assert float(kr.target_learnability) == pytest.approx(kr.learnabilities @ tp / tp.sum(), rel=1e-12)
    assert float(kr.test) == float(lr.test)
    # E₀ = 1/(1 - Σ L²/n) and test = E₀ (Σ (1-L)² v² + σ²) from the learnabilities themselves
    L = kr.learnabilities
    assert float(kr.E0) == pytest.approx(1 / (1 - (L**2).sum() / n), rel=1e-10)
    if np.isfinite(kr.E0) and (L**2).sum() < n * (1 - 1e-6):
        assert float(kr.test) == pytest.approx(float(kr.E0) * (((1 - L) ** 2) @ tp + 0.1), rel=1e-10)
        assert float(kr.train) == pytest.approx((1 - L.sum() / n) ** 2 * float(kr.test), rel=1e-8, abs=1e-14)


# --------------------------------------------------------------------------- laws


@given(positive_eigs, st.integers(0, 2**32 - 1), noises, st.floats(0.5, 100.0), st.floats(1.05, 4.0))
def test_optimally_tuned_risk_never_increases_with_n(eigs, seed, noise, n, factor):
    """min over ridge ≥ 0 of test(n) is non-increasing in n (more data never hurts when tuned)."""
    tp = _task(eigs, seed)
    rs1, r1 = rmt.optimal_ridge(eigs, tp, noise, n)
    rs2, r2 = rmt.optimal_ridge(eigs, tp, noise, n * factor)
    assert float(r2.test) <= float(r1.test) * (1 + 1e-10)
    # the risks compared are the right ones (an error common to both would keep the order)
    for rs, r, nn in ((rs1, r1, n), (rs2, r2, n * factor)):
        gap = nn - np.sum((eigs / (eigs + float(r.kappa))) ** 2)
        if np.isfinite(rs) and gap > 1e-6 * nn:  # (at n = rank, ridge 0 the direct form is 0·inf)
            assert float(r.test) == pytest.approx(_direct_risk(eigs, tp, noise, nn, rs)["test"], rel=1e-9, abs=1e-300)
        elif not np.isfinite(rs):
            assert float(r.test) == pytest.approx(tp.sum() + noise, rel=1e-12)


@given(positive_eigs, st.integers(0, 2**32 - 1), noises, st.floats(0.5, 100.0))
def test_optimal_ridge_beats_a_grid(eigs, seed, noise, n):
    """The optimum is global: no ridge of a dense grid (or ridge = ∞) does better."""
    tp = _task(eigs, seed)
    ridge_star, r = rmt.optimal_ridge(eigs, tp, noise, n)
    grid = np.concatenate([[0.0], np.geomspace(1e-8, 1e4, 400) * eigs.max(), [np.inf]])
    tests = rmt.ridge_risk(eigs, tp, noise, n, grid).test
    assert float(r.test) <= tests.min() * (1 + 1e-10)
    assert ridge_star >= 0


def test_pure_noise_optimum_is_the_null_predictor():
    ridge_star, r = rmt.optimal_ridge(power_law(100, 1.5), 0.0, 0.7, 40)
    assert ridge_star == np.inf and float(r.test) == pytest.approx(0.7)


def test_noiseless_aligned_optimum_is_interpolation():
    eigs = power_law(300, 1.5)
    ridge_star, r = rmt.optimal_ridge(eigs, eigs, 0.0, 100)
    assert ridge_star == 0.0
    assert float(r.test) == pytest.approx(float(rmt.ridge_risk(eigs, eigs, 0.0, 100, 0.0).test), rel=1e-14)


def test_negative_optimal_ridge_when_allowed():
    """Steep target on a flat-ish spectrum, noiseless: the optimum lies at a negative ridge."""
    eigs = power_law(300, 0.5)
    tp = power_law(300, 3.0)
    r0, res0 = rmt.optimal_ridge(eigs, tp, 0.0, 100)
    rn, resn = rmt.optimal_ridge(eigs, tp, 0.0, 100, allow_negative=True)
    assert r0 == 0.0 and rn < 0
    assert float(resn.test) < float(res0.test)
    _, ridge_min = rmt.ridge_edge(eigs, 100)
    assert rn > ridge_min


@given(mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
def test_risk_broadcasting(shapes):
    s_noise, s_n, s_r = shapes.input_shapes
    rng = np.random.default_rng(1)
    eigs = power_law(50, 1.5)
    noise, n, ridge = rng.uniform(0, 1, s_noise), rng.uniform(5, 80, s_n), rng.uniform(0, 1e-2, s_r)
    r = rmt.ridge_risk(eigs, eigs, noise, n, ridge)
    assert np.shape(r.test) == shapes.result_shape == np.shape(r.kappa) == np.shape(r.train)
    bn, bnn, br = np.broadcast_arrays(noise, n, ridge)
    for idx in list(np.ndindex(shapes.result_shape))[:5]:
        one = rmt.ridge_risk(eigs, eigs, bn[idx], bnn[idx], br[idx])
        assert np.asarray(r.test)[idx] == pytest.approx(float(one.test), rel=1e-14)


def test_interpolation_threshold_warns_and_is_infinite():
    with pytest.warns(RuntimeWarning, match="E0"):
        r = rmt.ridge_risk(isotropic(100), 1.0, 0.5, 100, 0.0)
    assert r.variance == np.inf and r.test == np.inf


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args, match",
    [
        (([1.0, 2.0], [0.1, 0.2], -0.1, 10, 0.1), "noise must be >= 0"),
        (([1.0, 2.0], [0.1, 0.2], np.nan, 10, 0.1), "^noise must be >= 0 and finite"),
        (([1.0, 2.0], [0.1, -0.2], 0.1, 10, 0.1), "target_power must be finite and >= 0"),
        (([1.0, 2.0], [0.1, np.nan], 0.1, 10, 0.1), "target_power must be finite and >= 0"),
        (([1.0, 2.0], [0.1, 0.2, 0.3], 0.1, 10, 0.1), "target_power must have one entry per eigenvalue"),
        (([1.0, 2.0], [0.1, 0.2], 0.1, 0, 0.1), "^n must be >= 1e-08"),
        (([1.0, 2.0], [0.1, 0.2], 0.1, 10, np.nan), "^ridge must be a real number, not NaN"),
        (([1.0, -2.0], [0.1, 0.2], 0.1, 10, 0.1), "eigs must be finite and >= 0"),
    ],
)
@pytest.mark.parametrize("fn", [rmt.ridge_risk, rmt.kernel_ridge_risk])
def test_bad_input(fn, args, match):
    with pytest.raises(ValueError, match=match):
        fn(*args)


def test_optimal_ridge_bad_input():
    with pytest.raises(ValueError, match="noise must be >= 0"):
        rmt.optimal_ridge([1.0, 2.0], [0.1, 0.2], -1.0, 10)
    with pytest.raises(ValueError, match="^n must be >= 1e-08"):
        rmt.optimal_ridge([1.0, 2.0], [0.1, 0.2], 1.0, -10)


def test_optimal_ridge_at_rank_noiseless_is_exact_interpolation():
    """n = rank, no noise, every mode learned at ridge 0: test = 0 there, and the optimum finds it."""
    eigs = np.arange(1, 44.0) ** -1.2
    tp = np.random.default_rng(0).exponential(size=43)
    ridge_star, r = rmt.optimal_ridge(eigs, tp, 0.0, 43)
    assert ridge_star == 0.0 and float(r.test) == 0.0 == float(rmt.ridge_risk(eigs, tp, 0.0, 43, 0.0).test)


# --------------------------------------------------------------------------- regressions (issue 7)


@pytest.mark.parametrize("n, ridge", [(1e300, 1e10), (1e10, 1e300), (1e5, 1e305), (1e200, 1e200)])
def test_overflowing_n_times_ridge(n, ridge):
    """n·ridge beyond 1.8e308 (Simon et al.'s δ overflows): κ and the variance still match mpmath."""
    eigs = np.array([1e-300, 1.0, 1e300])
    sol = rmt.solve_kappa(eigs, n, ridge, full_output=True)
    assert sol.converged
    r = rmt.ridge_risk(eigs, eigs, 1.0, n, ridge)
    with mp.workdps(60):
        k = mp.mpf(ridge)
        for _ in range(50):  # κ = ridge/(1 - df1(κ)/n), a contraction here (df1/n < 1e-5)
            k = mp.mpf(ridge) / (1 - mp.fsum(mp.mpf(x) / (mp.mpf(x) + k) for x in eigs) / n)
        d2 = mp.fsum((mp.mpf(x) / (mp.mpf(x) + k)) ** 2 for x in eigs)
        variance = d2 / (n - d2)
    assert float(sol.kappa) == pytest.approx(float(k), rel=1e-14, abs=0)
    assert float(r.variance) == pytest.approx(float(variance), rel=1e-12, abs=0)


def test_ill_conditioned_points_warn():
    """n = rank with a vanishing ridge: one float step of n moves E0 visibly; a RuntimeWarning says so."""
    e = np.random.default_rng(1).exponential(size=50)
    with pytest.warns(RuntimeWarning, match="ill-conditioned"):
        r = rmt.ridge_risk(e, e, 1.0, 50, 1e-30)
    step = rmt.ridge_risk(e, e, 1.0, np.nextafter(50.0, 60.0), 1e-30)
    assert abs(float(step.E0) / float(r.E0) - 1) > 1e-4  # the warning is warranted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rmt.ridge_risk(e, e, 1.0, 50, 1e-3)  # a well-conditioned point does not warn
        rmt.ridge_risk(e, e, 1.0, 20, 0.0)
# --------------------------------------------------------------------------- optimal ridge: fast search vs a slow referee


def _slow_optimum(eigs, tp, noise, n):
    """Referee on the old slow path: a dense log scan of κ in plain numpy, then brentq on d test/dκ."""
    from scipy.optimize import brentq

    eigs, tp = np.asarray(eigs, float), np.asarray(tp, float)

    def sums(k):
        L = eigs / (eigs + k)
        d1, d2 = L.sum(), (L * L).sum()
        b0 = (tp * (1 - L) ** 2).sum()
        sv = (tp * k * eigs / (eigs + k) ** 3).sum()
        sl = (eigs**2 / (eigs + k) ** 3).sum()
        return d1, d2, b0, sv, sl

    def test(k):
        d1, d2, b0, _, _ = sums(k)
        return n * (b0 + noise) / (n - d2)

    def slope(k):
        _, d2, b0, sv, sl = sums(k)
        return sv * (n - d2) - (b0 + noise) * sl

    k0 = float(rmt.solve_kappa(eigs, n, 0.0))
    lo = max(k0, eigs.min() * 1e-10) * (1 + 1e-9)
    grid = np.geomspace(lo, 1e8 * (eigs.max() + eigs.sum() / n), 4000)
    t = np.array([test(k) for k in grid])
    i = int(np.argmin(t))
    assert 0 < i < grid.size - 1, "the reference cases are chosen with an interior optimum"
    k = brentq(slope, grid[i - 1], grid[i + 1], xtol=1e-300, rtol=1e-15)
    return k * (1 - sums(k)[0] / n), test(k)


@pytest.mark.parametrize(
    "eigs, kind, noise, n",
    [
        (power_law(200, 1.5), "steep", 0.1, 50.0),
        (power_law(200, 1.5), "steep", 0.5, 300.0),
        (power_law(500, 2.0), "random", 0.05, 120.0),
        (np.concatenate([np.full(20, 10.0), np.full(300, 0.01)]), "random", 0.2, 40.0),
        (np.ones(100), "random", 1.0, 30.0),
    ],
)
def test_optimal_ridge_matches_a_dense_scan_and_brentq(eigs, kind, noise, n):
    eigs = np.asarray(eigs, float)
    tp = np.arange(1, eigs.size + 1.0) ** -2.5 if kind == "steep" else _task(eigs, 3)
    ref_ridge, ref_test = _slow_optimum(eigs, tp, noise, n)
    r = rmt.optimal_ridge(eigs, tp, noise, n)
    assert float(r.ridge) == pytest.approx(ref_ridge, rel=1e-8)
    assert float(r.test) == pytest.approx(ref_test, rel=1e-12)
    assert int(r.status) == 0
    # the same answer on a grid as alone (the scan is shared by the grid, the answer is per point)
    grid = rmt.optimal_ridge(eigs, tp, [noise, 0.3 * noise + 0.01], [[n], [2 * n]])
    assert float(grid.ridge[0, 0]) == pytest.approx(float(r.ridge), rel=1e-10)
    assert float(grid.test[0, 0]) == pytest.approx(float(r.test), rel=1e-13)


@given(positive_eigs, st.integers(0, 2**32 - 1), noises, st.floats(0.5, 100.0),
       arrays(np.float64, 8, elements=st.floats(-8.0, 3.0)))
def test_tuned_risk_beats_random_ridges(eigs, seed, noise, n, log_ridges):
    """test(ridge*) <= test(ridge) for any ridge >= 0 (random ones here), up to float64 resolution."""
    tp = _task(eigs, seed)
    best = rmt.optimal_ridge(eigs, tp, noise, n)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            others = rmt.ridge_risk(eigs, tp, noise, n, 10.0**log_ridges * eigs.max()).test
    assert float(best.test) <= np.min(others) * (1 + 1e-11)


def test_optimal_ridge_result_contract():
    """An OptimalRidge: unpacks as (ridge, risk), risk fields readable directly, status, as_dict, repr."""
    eigs = power_law(100, 1.5)
    n = np.array([20.0, 50.0, 200.0])
    res = rmt.optimal_ridge(eigs, 0.5 * eigs, 0.2, n)
    ridge_star, risk = res
    np.testing.assert_allclose(ridge_star, 0.2 / (n * 0.5), rtol=1e-10)
    assert isinstance(risk, rmt.RidgeRisk) and risk is res.risk
    np.testing.assert_array_equal(res.test, risk.test)
    np.testing.assert_array_equal(res.kappa, risk.kappa)
    assert res.status.shape == (3,) and (res.status == 0).all()
    assert set(res.as_dict()) == {"ridge", "risk", "status", "evaluations"}
    assert res[1] is risk and res[0] is res.ridge and len(res) == 2
    assert "OptimalRidge(shape=(3,))" == repr(res)
    assert repr(rmt.optimal_ridge(eigs, 0.5 * eigs, 0.2, 50)).startswith("OptimalRidge(ridge=0.008")
    n[0] = 5.0  # results never share memory with the caller's arrays
    assert float(res.risk.n[0]) == 20.0
    with pytest.raises(AttributeError):
        res.no_such_field  # noqa: B018


def test_rf_optimal_ridge_matches_a_dense_scan_and_brent():
    """rf_optimal_ridge against a slow referee: a dense log grid of ridges and a bounded Brent refinement."""
    from scipy.optimize import minimize_scalar

    eigs = power_law(300, 1.5)
    tp = eigs * np.random.default_rng(5).uniform(0.2, 1, eigs.size)
    for n, p, noise in [(100.0, 60.0, 0.3), (100.0, 400.0, 0.1), (50.0, 50.5, 0.5)]:
        grid = np.geomspace(1e-10, 1e3, 1300)
        t = rmt.rf_ridge_risk(eigs, tp, noise, n, p, grid).test
        i = int(np.argmin(t))
        f = lambda u: float(rmt.rf_ridge_risk(eigs, tp, noise, n, p, np.exp(u)).test)  # noqa: E731
        ref = minimize_scalar(f, bounds=(np.log(grid[i - 1]), np.log(grid[i + 1])), method="bounded",
                              options={"xatol": 1e-10})
        r = rmt.rf_optimal_ridge(eigs, tp, noise, n, p)
        assert float(r.test) <= ref.fun * (1 + 1e-12)
        assert float(r.test) == pytest.approx(ref.fun, rel=1e-12)
        assert float(r.ridge) == pytest.approx(np.exp(ref.x), rel=1e-4)  # a flat minimum: ridge* to ~sqrt(eps/curvature)
        ridge_star, risk = r
        assert isinstance(risk, rmt.RFRidgeRisk) and int(r.status) == 0
