# SPDX-License-Identifier: BSD-3-Clause
"""Cost of overfitting: laws (hypothesis), the agnostic bound, regimes, Monte Carlo, bad input.

Closed-form power-law costs against these finite-n numbers are in ``test_powerlaw.py``.
"""

import warnings

import numpy as np
import pytest
from conftest import mc_scale
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import rmt
from rmt.risk.overfitting import agnostic_bound, overfitting_cost, overfitting_regime
from rmt.spectra import PowerLaw, isotropic

spectra = arrays(np.float64, st.integers(2, 25), elements=st.floats(-3.0, 0.0)).map(lambda x: 10.0**x)
seeds = st.integers(0, 2**32 - 1)
noises = st.floats(0.0, 1.0).map(lambda s: 0.0 if s < 1e-100 else s)  # no subnormal noise
sample_sizes = st.floats(1.0, 60.0)


def _task(eigs, seed, kind):
    rng = np.random.default_rng(seed)
    if kind == "aligned":
        return 0.7 * eigs
    return rng.uniform(0, 1, eigs.size) * eigs ** rng.uniform(0, 2)


# --------------------------------------------------------------------------- laws


@given(spectra, seeds, noises, sample_sizes, st.sampled_from(["random", "aligned"]))
@settings(max_examples=30)
def test_cost_is_between_one_and_the_agnostic_bound(eigs, seed, noise, n, kind):
    """Zhou et al. 2024: 1 ≤ C ≤ E₀(ridge → 0⁺) for every task and noise."""
    assume(abs(n - eigs.size) > 0.5)  # away from the interpolation threshold (E₀ = ∞ there)
    c = overfitting_cost(eigs, _task(eigs, seed, kind), noise, n, full_output=True)
    assert 1.0 <= float(c.cost) <= float(c.agnostic_bound) * (1 + 1e-10)
    assert float(c.agnostic_bound) == pytest.approx(float(agnostic_bound(eigs, n)), rel=1e-13)
    assert float(c.test_optimal) <= float(c.test_ridgeless)
    assert float(c.test_optimal) <= float(np.sum(_task(eigs, seed, kind)) + noise) * (1 + 1e-12)  # null predictor


@given(spectra, noises.filter(lambda s: s > 0), sample_sizes)
@settings(max_examples=20)
def test_pure_noise_task_attains_the_bound(eigs, noise, n):
    """target_power = 0: the null predictor is optimal and C = E₀(0) exactly."""
    assume(abs(n - eigs.size) > 0.5)
    c = overfitting_cost(eigs, 0.0, noise, n, full_output=True)
    assert float(c.ridge_star) == np.inf
    assert float(c.test_optimal) == pytest.approx(noise, rel=1e-14)
    assert float(c.cost) == pytest.approx(float(c.agnostic_bound), rel=1e-12)


@given(spectra, seeds, noises, sample_sizes, st.sampled_from(["random", "aligned"]))
@settings(max_examples=25)
def test_cost_is_one_exactly_when_interpolation_is_optimal(eigs, seed, noise, n, kind):
    assume(abs(n - eigs.size) > 0.5)
    if kind == "aligned":
        noise = 0.0  # aligned noiseless: δ* = σ²/c = 0 (Simon et al. 2021, arXiv:2110.03922)
    c = overfitting_cost(eigs, _task(eigs, seed, kind), noise, n, full_output=True)
    if kind == "aligned":
        assert float(c.ridge_star) == 0.0
    if float(c.ridge_star) == 0.0:
        assert float(c.cost) == 1.0
    else:
        assert float(c.cost) >= 1.0


@given(spectra, seeds, noises.filter(lambda s: s > 1e-3))
@settings(max_examples=10)
def test_optimally_tuned_risk_does_not_increase_with_n(eigs, seed, noise):
    """More data never hurts once the ridge is tuned (no double descent at the optimum)."""
    n = np.linspace(1.0, 3.0 * eigs.size, 17)
    n = n[np.abs(n - eigs.size) > 0.25]
    _, r = rmt.optimal_ridge(eigs, _task(eigs, seed, "random"), noise, n)
    assert (np.diff(r.test) <= 1e-10 * r.test[1:]).all()


# --------------------------------------------------------------------------- values and options


def test_isotropic_closed_form():
    """λ = 1 (one level of d modes), |v|² = 1, σ²: ridgeless E₀(1 - n/d + σ²), optimum δ* = σ² d (isotropic closed form, Hastie et al. 2019)."""
    d, n, s2 = 300, 100, 0.25
    c = overfitting_cost(isotropic(d), 1.0, s2, n, full_output=True)  # target power of the whole level
    # E₀ = d/(d-n), L = n/d
    assert float(c.test_ridgeless) == pytest.approx(1.5 * ((1 - n / d) ** 2 + s2), rel=1e-13)
    assert float(c.test_optimal) == pytest.approx(1.0, rel=1e-12)  # δ* = σ² d = 75, κ* = 3, test* = 1
    assert float(c.ridge_star) == pytest.approx(75 / n, rel=1e-9)
    assert float(c.cost) == pytest.approx(1.5 * (4 / 9 + 0.25), rel=1e-12)  # 1.041667


def test_broadcasting_full_output_and_negative_ridges():
    eigs = PowerLaw(1.5, size=200)
    task = PowerLaw(1.2, size=200)
    c = overfitting_cost(eigs, task, [[0.0], [0.3]], [50, 100, 400], full_output=True)
    assert np.shape(c.cost) == (2, 3) and np.shape(c.optimal.test) == (2, 3)
    assert c.test_ridgeless[0, 2] == 0.0 and c.cost[0, 2] == 1.0  # noiseless, n > rank: learned exactly
    np.testing.assert_allclose(c.cost[1], c.test_ridgeless[1] / c.test_optimal[1], rtol=1e-15)
    np.testing.assert_allclose(c.optimal.ridge, c.ridge_star)
    scalar = overfitting_cost(eigs, task, 0.3, 100)
    assert float(scalar) == float(c.cost[1, 1])
    neg = overfitting_cost(eigs, task, [[0.0], [0.3]], [50, 100, 400], allow_negative=True)
    assert (neg >= c.cost * (1 - 1e-12)).all()  # a larger search set can only lower the optimum


def test_cost_at_the_interpolation_threshold_is_infinite():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert float(overfitting_cost(np.ones(10), 0.1, 0.5, 10)) == np.inf
        assert float(agnostic_bound(np.ones(10), 10)) == np.inf
    assert float(agnostic_bound(np.ones(10), 40)) == pytest.approx(40 / 30, rel=1e-14)


def test_infinite_power_law_cost_and_bound():
    c = overfitting_cost(PowerLaw(2.0), 0.0, 1.0, [10, 100], full_output=True)
    np.testing.assert_allclose(c.cost, [40 / 21, 400 / 201], rtol=1e-9)  # = E₀ = 4n/(2n+1)
    assert (c.ridge_star == np.inf).all()


# --------------------------------------------------------------------------- regimes


def test_regimes():
    pl = overfitting_regime(PowerLaw(1.5))
    assert pl.regime == "tempered" and pl.closed_form_limit == 1.5 and abs(pl.limit - 1.5) < 1e-5
    np.testing.assert_allclose(pl.E0[:4], [1.42959, 1.49254, 1.49925, 1.49993], atol=6e-6)
    # geometric λ_i = r^i (E₀ ≈ n ln(1/r), 69.3 at r = 1/2, n = 100; Mallinar et al. 2022), as a family with D ≫ n modes
    geo = overfitting_regime(lambda n: 0.5 ** np.arange(1, n + 80), n=[10, 100, 1000])
    assert geo.regime == "catastrophic" and geo.E0[1] == pytest.approx(100 * np.log(2), rel=1e-3)
    assert overfitting_regime(lambda n: isotropic(int(2 * n))).regime == "tempered"
    assert overfitting_regime(lambda n: isotropic(int(n * n)), n=[10, 100, 1000]).regime == "benign"
    # a fixed finite spectrum: n → ∞ passes its rank, E₀ = n/(n - rank) → 1
    assert overfitting_regime(np.ones(5)).regime == "benign"


def test_fixed_finite_spectra_are_benign_whatever_the_grid():
    """Regression: a finite spectrum's n -> oo limit is past its rank (E0 = n/(n - rank) -> 1, ridgeless risk -> noise).

    The grid used to stop at or below the rank (E0 = inf at n = rank, or still growing below it) and the
    classification said "catastrophic".
    """
    big = overfitting_regime(isotropic(10**6))  # default grid ends at n = 1e6 = rank: E0 = inf there
    assert big.regime == "benign" and big.limit == 1.0 == big.closed_form_limit
    assert np.isinf(big.E0[-1])
    below = overfitting_regime(np.ones(5000), n=[10, 100, 1000])  # the grid never reaches the rank
    assert below.regime == "benign" and "rank 5000" in below.rule
    assert below.E0[-1] == pytest.approx(5000 / 4000, rel=1e-13)  # E0 = D/(D - n) below the rank, isotropic
    # families are still read off the grid (dimension growing with n)
    assert overfitting_regime(lambda n: 0.5 ** np.arange(1, n + 80), n=[10, 100, 1000]).regime == "catastrophic"


def test_regime_argument_is_called_eigs_and_the_old_name_is_deprecated():
    new = overfitting_regime(eigs=PowerLaw(1.5))
    with pytest.warns(DeprecationWarning, match="eigs"):
        old = overfitting_regime(spectrum=PowerLaw(1.5))
    assert old.regime == new.regime and np.array_equal(old.E0, new.E0)
    with pytest.raises(ValueError, match="eigs"):
        overfitting_regime(PowerLaw(1.5), spectrum=PowerLaw(1.5))
    with pytest.raises(ValueError, match="eigs"):
        overfitting_regime()


def test_cost_result_contract():
    """OverfittingCost is a result object that still behaves as the cost array (float, numpy, arithmetic)."""
    eigs, task = PowerLaw(2.0), PowerLaw(1.5)
    c = overfitting_cost(eigs, task, 0.1, [100.0, 1000.0])
    assert isinstance(c, rmt.OverfittingCost)
    np.testing.assert_array_equal(np.asarray(c), c.cost)
    np.testing.assert_array_equal(c / 2, c.cost / 2)
    np.testing.assert_array_equal(2 / c, 2 / c.cost)
    assert (c >= 1).all() and c[1] == c.cost[1] and len(c) == 2 and list(c) == list(c.cost)
    np.testing.assert_allclose(c.cost, c.test_ridgeless / c.test_optimal, rtol=1e-15)
    assert (c.status == 0).all() and set(c.as_dict()) >= {"cost", "ridge_star", "optimal", "ridgeless", "status"}
    one = overfitting_cost(eigs, task, 0.1, 100.0)
    assert float(one) == float(c.cost[0]) and repr(one).startswith("OverfittingCost(cost=")
    assert repr(c) == "OverfittingCost(shape=(2,))"
    arr = np.asarray(c)
    arr[0] = -1.0  # np.asarray(c) is a copy: the result is not changed through it
    assert c.cost[0] > 1
    # the optimum inside agrees with optimal_ridge itself
    best = rmt.optimal_ridge(eigs, task, 0.1, [100.0, 1000.0])
    np.testing.assert_array_equal(c.ridge_star, best.ridge)


# --------------------------------------------------------------------------- Monte Carlo


@pytest.mark.montecarlo
def test_cost_against_monte_carlo_ridge_fits():
    """Ridgeless and a fine ridge grid of actual fits at D = 500 (rmt.simulate.ridge_risk, shared draws).

    The Monte Carlo cost is test(0)/min over the grid; its standard error is
    the delta-method one of a ratio of paired means. The deterministic
    equivalent at D = 500 is accurate to ~1%, so the tolerance is
    4 s.e. + 1.5%.
    """
    import rmt.simulate as simulate

    D, n = 500, 200
    eigs = np.asarray(PowerLaw(1.5, size=D))
    task = np.asarray(PowerLaw(1.5, size=D))
    noise = np.array([0.1, 0.5])
    ridges = np.concatenate([[0.0], np.geomspace(1e-5, 1.0, 41)])
    trials = int(48 * mc_scale())
    sim = simulate.ridge_risk(eigs, task, noise[:, None], n, ridges, trials=trials, seed=7, keep_trials=True)
    c = overfitting_cost(eigs, task, noise, n, full_output=True)
    grid = rmt.ridge_risk(eigs, task, noise[:, None], n, ridges)
    per = sim.per_trial["test"]  # (trials, noise, ridge)
    for i in range(noise.size):
        j = int(np.argmin(sim.test[i]))
        a, b = per[:, i, 0], per[:, i, j]
        c_mc = a.mean() / b.mean()
        se = np.std(a - c_mc * b, ddof=1) / np.sqrt(trials) / b.mean()
        assert abs(c_mc - float(c.cost[i])) <= 4 * se + 0.015 * float(c.cost[i])
        # the grid is fine enough that its minimum is the optimum, and the MC optimum sits near ridge*
        assert float(grid.test[i].min()) == pytest.approx(float(c.test_optimal[i]), rel=2e-3)
        assert 0.2 < ridges[j] / float(c.ridge_star[i]) < 5
        np.testing.assert_array_less(np.abs(sim.test[i] - grid.test[i]), 4 * sim.test_se[i] + 0.02 * grid.test[i])


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: overfitting_cost([-1.0, 1.0], 0.1, 0.1, 10), "eigs"),
        (lambda: overfitting_cost([1.0, 1.0], [0.1, 0.1, 0.1], 0.1, 10), "target_power"),
        (lambda: overfitting_cost([1.0, 1.0], 0.1, -0.1, 10), "noise"),
        (lambda: overfitting_cost([1.0, 1.0], 0.1, 0.1, 0), "n"),
        (lambda: overfitting_cost(PowerLaw(2.0), 0.1, 0.1, 10), "target_power"),
        (lambda: agnostic_bound([1.0, np.nan], 10), "eigs"),
        (lambda: overfitting_regime(PowerLaw(2.0), n=[100, 10]), "n"),
        (lambda: overfitting_regime(PowerLaw(2.0), tol=2.0), "tol"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_power_law_regime_uses_the_closed_form():
    """α → 1⁺: E₀ - 1 grows too slowly to read at finite n; the closed form E₀ → α decides (tempered)."""
    r = overfitting_regime(PowerLaw(1.001), n=[1e3, 1e4, 1e5])
    assert r.regime == "tempered" and r.limit == r.closed_form_limit == 1.001
