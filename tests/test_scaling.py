# SPDX-License-Identifier: BSD-3-Clause
"""rmt.scaling: exponents and bottleneck constants against long computed curves, the compute-optimal
frontier against its closed form, and the 4+3 phase classification."""

from __future__ import annotations

import numpy as np
import pytest

import rmt
from rmt import powerlaw as P
from rmt import scaling as S
from rmt.spectra import PowerLaw


def _slope(y, x):
    return float(np.log(y[-1] / y[0]) / np.log(x[-1] / x[0]))


def _modes(alpha, beta, D):
    k = np.arange(1.0, D + 1.0)
    return k**-alpha, k**-beta


# --------------------------------------------------------------------------- time / width / data exponents


@pytest.mark.parametrize("alpha, beta, lr, tol", [(2.0, 2.5, 0.2, 0.01), (2.0, 3.5, 0.2, 0.01), (2.0, 5.0, 0.3, 0.01)])
def test_online_sgd_curve_has_the_time_exponent_and_the_bottleneck_constants(alpha, beta, lr, tol):
    eigs, tp = _modes(alpha, beta, 4000)
    steps = 50_000
    r = rmt.online_sgd_risk(eigs, tp, 0.0, lr, 1, steps)
    t = np.array([5_000, 50_000])
    ex = S.scaling_exponents(alpha, beta)
    b = S.bottleneck(alpha, beta, t=t, lr=lr)
    np.testing.assert_allclose(r.excess[t], b.total, rtol=tol)  # F/(1-S) + K ΣF/(1-S)²
    assert b.kernel_sum == pytest.approx(r.kernel_sum, rel=1e-3)  # the infinite-spectrum S vs the D-mode one
    slope = _slope(r.excess[t], t)
    expected = min(ex.time, ex.sgd_noise)  # the slower of the forcing and the SGD-noise tail
    assert slope == pytest.approx(-expected, abs=0.02 if ex.sgd_noise_dominates else 0.01)
    assert ex.sgd_noise_dominates is (beta > 2 * alpha)


def test_gd_curve_on_many_samples_has_the_time_exponent_and_constant():
    alpha, beta, lr = 2.0, 2.5, 0.5
    eigs, tp = _modes(alpha, beta, 1000)
    r = rmt.gd_risk(eigs, tp, 0.0, 1e7, lr, 5000)  # n >> modes learned: the time bottleneck alone
    t = np.array([500, 5000])
    assert _slope(r.excess[t], t) == pytest.approx(-S.scaling_exponents(alpha, beta).time, abs=0.01)
    # gradient flow at time lr·t (S = 0); 2% is the D = 1000 truncation (Σ_{k>D} k^-2.5 = 2e-5)
    np.testing.assert_allclose(r.excess[t], S.bottleneck(alpha, beta, t=lr * t).time, rtol=0.025)


def test_gd_on_n_samples_is_the_sum_of_the_time_and_data_bottlenecks():
    alpha, beta, lr, n = 2.0, 2.5, 0.5, 1000
    eigs, tp = _modes(alpha, beta, 4000)
    r = rmt.gd_risk(eigs, tp, 0.0, n, lr, 100_000)
    t = np.array([10, 100, 1000, 10_000, 100_000])  # time-limited ... data-limited
    b = S.bottleneck(alpha, beta, t=lr * t, n=n)
    assert b.time[0] > 100 * b.data[0] and b.time[-1] < 2 * b.data[-1]
    np.testing.assert_allclose(r.excess[t], b.total, rtol=0.08)  # measured 0.98-1.06


@pytest.mark.parametrize("alpha, beta", [(1.5, 2.0), (1.5, 4.0), (2.0, 2.5)])
def test_width_exponent_is_the_slope_of_the_population_width_floor(alpha, beta):
    p = np.array([1e3, 1e4])
    e = rmt.rf_ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.0, 1e15, p, 0.0).excess
    assert _slope(e, p) == pytest.approx(-S.scaling_exponents(alpha, beta).width, abs=0.03)
    np.testing.assert_allclose(S.bottleneck(alpha, beta, p=p).width, e, rtol=0.05)


@pytest.mark.parametrize("alpha, beta", [(1.5, 2.0), (2.0, 6.0)])
def test_data_exponent_is_the_slope_of_ridgeless_learning_curves(alpha, beta):
    n = np.array([1e4, 1e5])
    e = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.0, n, 0.0).excess
    assert _slope(e, n) == pytest.approx(-S.scaling_exponents(alpha, beta).data, abs=0.01)
    np.testing.assert_allclose(S.bottleneck(alpha, beta, n=n).data, e, rtol=1e-3)


def test_bottleneck_terms_vanish_with_unlimited_resources_and_add_up():
    b = S.bottleneck(1.5, 2.0, t=[10.0, np.inf], p=[100.0, np.inf], n=[1e3, np.inf], lr=0.1)
    assert b.total[1] == 0.0
    np.testing.assert_allclose(b.total, b.time + b.sgd_noise + b.width + b.data, rtol=1e-15)
    assert b.sgd_noise[0] == 0.0 and np.isinf(b.forcing_sum)  # β < α + 1: ΣF diverges, no separate noise term
    flow = S.bottleneck(1.5, 2.0, t=5.0)
    assert flow.kernel_sum == 0.0


# --------------------------------------------------------------------------- compute-optimal frontier


@pytest.mark.parametrize("compute, batch", [("p*t", 1), ("p*t*batch", 4)])
def test_optimizer_reproduces_the_exact_two_term_optimum(compute, batch):
    C = np.geomspace(1e5, 1e9, 5)
    loss = S.finite_loss(1.5, 2.0, model="bottleneck", lr=0.1, batch=batch)
    co = S.compute_optimal(loss, C, np.geomspace(1, 1e5, 101), batch=batch, compute=compute)
    fc = S.frontier_closed_form(1.5, 2.0, C, lr=0.1, batch=batch, compute=compute)
    assert (co.status == "ok").all()
    np.testing.assert_allclose(co.p, fc.p, rtol=5e-3)
    np.testing.assert_allclose(co.loss, fc.loss, rtol=2e-3)
    np.testing.assert_allclose(co.p * co.t * (batch if compute == "p*t*batch" else 1), C, rtol=1e-12)
    a, b = 2 / 3, 1.0  # time and width exponents
    assert fc.p_slope[0] == pytest.approx(a / (a + b)) and fc.loss_slope[0] == pytest.approx(-a * b / (a + b))
    np.testing.assert_allclose(co.p_slope[1:-1], a / (a + b), atol=3e-3)


def test_frontier_where_the_sgd_noise_outlasts_the_forcing():
    """β > 2α: the two-term closed form uses the SGD-noise term; the full bottleneck sum approaches it."""
    C = np.geomspace(1e6, 1e14, 5)
    loss = S.finite_loss(2.0, 5.0, model="bottleneck", lr=0.2)
    co = S.compute_optimal(loss, C, np.geomspace(1, 1e7, 141))
    fc = S.frontier_closed_form(2.0, 5.0, C, lr=0.2)
    a, b = 2 - 1 / 2.0, 2.0  # sgd-noise and (saturated) width exponents
    assert fc.p_slope[0] == pytest.approx(a / (a + b))
    err = np.abs(co.p / fc.p - 1)
    assert np.all(np.diff(err) < 0) and err[-1] < 0.02


def test_frontier_from_the_finite_formulas_approaches_the_closed_form():
    alpha, beta, lr = 1.5, 2.0, 0.1
    C = np.geomspace(1e4, 1e7, 7)
    loss = S.finite_loss(alpha, beta, lr=lr, size=10_000)  # exact SGD curve + DE width floor
    co = S.compute_optimal(loss, C, np.geomspace(3, 3000, 61))
    fc = S.frontier_closed_form(alpha, beta, C, lr=lr)
    assert (co.status == "ok").all()
    err = np.abs(co.p / fc.p - 1)
    assert np.all(np.diff(err) < 0) and err[-1] < 0.03  # 0.11 -> 0.025
    assert abs(co.loss[-1] / fc.loss[-1] - 1) < 0.03
    phase = S.plrf_phase(alpha, beta)  # Phase Ia: the 4+3 exponents are the two-term ones
    assert co.p_slope[-1] == pytest.approx(phase.p_exponent, abs=0.01)
    assert co.loss_slope[-1] == pytest.approx(-phase.loss_exponent, abs=0.01)
    assert abs(co.p_slope[-1] - phase.p_exponent) < abs(co.p_slope[0] - phase.p_exponent)


def test_optimum_on_the_grid_edge_is_flagged():
    loss = S.finite_loss(1.5, 2.0, model="bottleneck", lr=0.1)
    with pytest.warns(RuntimeWarning, match="end of the width grid"):
        co = S.compute_optimal(loss, [1e8, 1e9], np.geomspace(1, 10, 5))
    assert (co.status == "edge").all()


def test_a_plain_callable_is_a_loss():
    co = S.compute_optimal(lambda p, t: 1 / t + 1 / p, [1e2, 1e4], np.geomspace(1, 1e3, 61))
    np.testing.assert_allclose(co.p, np.sqrt([1e2, 1e4]), rtol=1e-3)  # 1/t + 1/p at pt = C: p* = √C


# --------------------------------------------------------------------------- 4+3 phases


@pytest.mark.parametrize("ap, bp, name", [
    (1.0, 0.3, "Ia"), (1.0, 0.7, "II"), (1.0, 1.5, "III"), (0.7, 0.1, "Ia"), (3.0, 2.0, "II"),
    (0.4, 0.3, "Ib"), (0.2, 0.45, "Ib"), (0.2, 0.8, "Ic"), (0.4, 0.8, "IV"), (0.3, 2.0, "IV"),
])
def test_phase_inside_each_region(ap, bp, name):
    a, b = 2 * ap, 2 * ap + 2 * bp  # the dictionary (rmt.powerlaw.from_plrf above the line)
    ph = S.plrf_phase(a, b)
    assert ph.phase == name and not ph.on_boundary
    assert (ph.alpha_p, ph.beta_p) == pytest.approx((ap, bp))
    if name in ("Ia", "II", "III"):
        expected = {"Ia": (1 / (2 * ap + 1), (2 * ap + 2 * bp - 1) / (2 * ap + 1)),
                    "II": (bp / (ap + bp), (2 * ap + 2 * bp - 1) / (2 * (ap + bp))),
                    "III": (0.5, 1 - 1 / (4 * ap))}[name]  # the 4+3 variables
        assert (ph.p_exponent, ph.loss_exponent) == pytest.approx(expected)
        assert ph.t_exponent == pytest.approx(1 - ph.p_exponent)
    else:
        assert ph.p_exponent is None and ph.loss_exponent is None


@pytest.mark.parametrize("ap, bp, name", [
    (1.0, 0.5, "Ia/II"), (1.0, 1.0, "II/III"), (0.5, 0.2, "Ia/Ib"), (0.5, 0.8, "III/IV"),
    (0.25, 0.8, "Ic/IV"), (0.4, 0.5, "Ib/IV"), (0.5, 0.5, "Ia/II/III/Ib/IV"),
])
def test_phase_on_the_boundaries(ap, bp, name):
    a, b = 2 * ap, 2 * ap + 2 * bp  # the dictionary (rmt.powerlaw.from_plrf above the line)
    ph = S.plrf_phase(a, b)
    assert ph.phase == name and ph.on_boundary


def test_exponents_are_continuous_across_the_boundaries_above_the_line():
    for a in (1.5, 2.0, 3.0):
        for b0, (left, right) in ((a + 1, ("Ia", "II")), (2 * a, ("II", "III"))):
            lo, hi = S.plrf_phase(a, b0 - 1e-9), S.plrf_phase(a, b0 + 1e-9)
            assert (lo.phase, hi.phase) == (left, right)
            assert lo.p_exponent == pytest.approx(hi.p_exponent, abs=1e-8)
            assert lo.loss_exponent == pytest.approx(hi.loss_exponent, abs=1e-8)


def test_scaling_exponents_fields():
    e = S.scaling_exponents(1.5, 3.5)
    assert (e.time, e.data, e.width) == pytest.approx((2.5 / 1.5, 2.5, 1.5))
    assert e.sgd_noise == pytest.approx(2 - 1 / 1.5) and e.embedding_active and e.sgd_noise_dominates
    assert e.phase == "III"
    assert "time=1.66667" in repr(e)
    assert e.data == P.learning_curve_exponents(1.5, 3.5).ridgeless_noiseless
    assert (S.plrf_phase(1.5, 3.5).alpha_p, S.plrf_phase(1.5, 3.5).beta_p) == pytest.approx(
        tuple(float(x) for x in P.to_plrf(1.5, 3.5)))


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="^lr"):
        S.bottleneck(1.5, 2.0, t=10.0, lr=5.0)
    with pytest.raises(ValueError, match="^compute"):
        S.frontier_closed_form(1.5, 2.0, [1e3, 1e4], compute="flops")
    with pytest.raises(ValueError, match="^beta"):
        S.frontier_closed_form(1.5, 2.5, [1e3, 1e4])
    with pytest.raises(ValueError, match="^model"):
        S.finite_loss(1.5, 2.0, model="adam")
    with pytest.raises(ValueError, match="^loss"):
        S.compute_optimal(3.0, [1e3, 1e4], [1, 2, 3])


def test_rf_online_sgd_model_calls_the_predictor_once_per_width(monkeypatch):
    """The 'rf_online_sgd' wiring (used once rmt.rf_online_sgd_risk exists), exercised with a stand-in predictor."""
    calls = []

    def fake(eigs, target_power, noise, p, lr, batch, steps):
        calls.append((p, steps))
        base = rmt.online_sgd_risk(eigs, target_power, noise, lr, batch, steps)
        return type("R", (), {"excess": base.excess + float(np.sum(target_power[int(p):]))})()

    monkeypatch.setattr(rmt, "rf_online_sgd_risk", fake, raising=False)
    loss = S.finite_loss(1.5, 2.0, model="rf_online_sgd", lr=0.1, size=2000)
    C = np.geomspace(1e4, 1e5, 3)
    co = S.compute_optimal(loss, C, np.geomspace(10, 1000, 21))
    assert (co.status == "ok").all() and np.all(np.diff(co.p) > 0)
    for p in {c[0] for c in calls}:  # curves are cached and regrown geometrically: amortized cost <= 2x the longest
        lengths = [s for q, s in calls if q == p]
        assert sum(lengths) <= 2 * max(lengths)
    np.testing.assert_allclose(loss(np.array([10.0, 10.0]), np.array([3.0, 3.5])),
                               [fake(*_modes(1.5, 2.0, 2000), 0.0, 10.0, 0.1, 1, 3).excess[3],
                                np.sqrt(fake(*_modes(1.5, 2.0, 2000), 0.0, 10.0, 0.1, 1, 4).excess[3:5].prod())])
