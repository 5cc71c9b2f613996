# SPDX-License-Identifier: BSD-3-Clause
"""rmt.rf_gd_risk (GD on a random-feature readout) and its Monte Carlo twin.

The triad: agrees with a slow exact evaluation (the uncollapsed double contour),
agrees at its limits (p → ∞: gd_risk; n → ∞: population GD on the features;
t → ∞ with ridge: rf_ridge_risk), agrees with Monte Carlo.
"""

import numpy as np
import pytest

import rmt
from rmt.resolvent.free import chain_gamma_path
from rmt.resolvent.onepoint import prepare
from rmt.risk.gd import _edges, _nodes, _prepare
from rmt.risk.rf_gd import _double_contour_reference, _rf_nodes, _run_curve, _Special

FIELDS = ("excess", "test", "train", "bias", "variance")


def _task(D, alpha=1.5, beta=1.2):
    k = np.arange(1, D + 1.0)
    return k**-alpha, k**-beta / np.sum(k**-beta)


# --------------------------------------------------------------------------- the complex chain solver


def test_complex_chain_root_residual_and_conjugation():
    """γ at complex ridge solves ``ridge = γ(1 - df1/p)(1 - df1/n)`` to round-off; real ridge → the real solver."""
    eigs, _ = _task(150)
    lv = prepare(eigs)
    counts = np.array([80.0, 50.0])
    z = 0.3 + 1j * np.geomspace(50.0, 1e-3, 200)  # a path down onto the spectrum
    g = chain_gamma_path(lv, counts, -z, -z[0] + lv.trace() * (1 / 80 + 1 / 50))
    d = (eigs[None, :] / (eigs[None, :] + g[:, None])).sum(axis=1)
    res = g * (1 - d / 80) * (1 - d / 50) + z
    assert np.max(np.abs(res) / np.abs(z)) < 1e-13
    assert np.all(g.imag < 0)  # Herglotz: Im z > 0 → Im γ < 0 on the physical branch
    # a real positive ridge reached along a path from the complex plane: the real solver's root
    ridge = 0.01
    path = ridge + 1j * np.geomspace(10.0, 1e-14, 120)
    gp = chain_gamma_path(lv, counts, path, path[0] + lv.trace() * (1 / 80 + 1 / 50))
    ref = rmt.solve_chain(eigs, [80.0, 50.0], ridge).gamma
    np.testing.assert_allclose(gp[-1].real, ref, rtol=1e-11)


# --------------------------------------------------------------------------- slow exact reference


@pytest.mark.parametrize("n, p, ridge", [(40, 80, 0.0), (200, 60, 0.0), (60, 60, 0.0), (90, 300, 0.0),
                                         (40, 80, 0.01), (300, 200, 0.02)])
def test_matches_double_contour_reference(n, p, ridge):
    """The collapsed contour + recursion against the uncollapsed two-point double contour (1e-11).

    Cases: atom at 0 (n < p < D), p < n, the pole p = n (no gap), p > D (null space of Σ_F),
    weight decay with and without the atom.
    """
    eigs, tp = _task(120)
    lv, tpow, _, _, _ = _prepare(eigs, tp, 0.1, n, ridge, "rf_gd_risk")
    sp = _Special(lv, float(n), float(p))
    T = 300
    out = _run_curve(_rf_nodes(lv, tpow, sp, 1.0, ridge, T), 1.0, ridge, T)
    for t in (1, 10, 100, 300):
        ref = np.array(_double_contour_reference(lv, tpow, n, p, 1.0, ridge, t, nodes=900 if t == 300 else None))
        np.testing.assert_allclose(out[:, t], ref, rtol=1e-11, atol=0)


def test_reproduces_public_fields_from_parts():
    """excess(0) = Σ v², train(0) = Σ v² + σ², test = excess + σ², variance ∝ σ²."""
    eigs, tp = _task(200)
    r = rmt.rf_gd_risk(eigs, tp, np.array([0.0, 0.3]), 150, 100, 1.0, 50)
    np.testing.assert_allclose(r.excess[:, 0], 1.0, rtol=1e-13)
    np.testing.assert_allclose(r.train[:, 0], [1.0, 1.3], rtol=1e-13)
    np.testing.assert_allclose(r.test, r.excess + r.noise[:, None], rtol=1e-15)
    np.testing.assert_array_equal(r.variance[0], 0.0)
    np.testing.assert_allclose(r.bias[0], r.bias[1], rtol=1e-15)
    assert r.excess.shape == (2, 51) and r.t[-1] == 50
    assert r.unlearnable[0] > 0  # p < D: part of the target is outside the span of the features


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize("n", [100, 400])
def test_infinite_width_is_gd_risk(n):
    """p → ∞: rf_gd_risk → gd_risk; the deviation is the O(df1/p) finite-width correction."""
    eigs, tp = _task(200)
    g = rmt.gd_risk(eigs, tp, 0.1, n, 1.0, 2000)
    for p in (1e10, 1e12):
        r = rmt.rf_gd_risk(eigs, tp, 0.1, n, p, 1.0, 2000)
        for f in FIELDS:
            np.testing.assert_allclose(getattr(r, f), getattr(g, f), rtol=100 * 200 / p, atol=0, err_msg=f)


def test_infinite_data_is_population_gd_on_features():
    """n → ∞: σ_u² + ∫(1 - lr x)^{2t} dν_p, ν_p the target measure of the sample covariance of p draws.

    Given F the population loss of GD on the features is ``vᵀ(1 - lr Ŝ_p)^{2t} v`` with
    ``Ŝ_p = Σ^{1/2}FᵀFΣ^{1/2}`` (the unlearnable part is the null space, where the filter is 1);
    its deterministic equivalent is gd_risk's measure ν at n = p (one-level κ, an independent solver).
    """
    eigs, tp = _task(200)
    p, T, lr = 80, 500, 1.0
    r = rmt.rf_gd_risk(eigs, tp, 0.1, 1e12, p, lr, T)
    lv, tpow, _, _, _ = _prepare(eigs, tp, 0.0, p, 0.0, "rf_gd_risk")
    xm, xp, k0 = _edges(lv, float(p))
    nd = _nodes(lv, tpow, float(p), lr, 0.0, 2 * T, xm, xp, k0)
    w = 1 - lr * nd.z
    pop = nd.nu0 + np.array([(nd.alpha * w ** (2 * s)).sum().real for s in range(T + 1)])
    np.testing.assert_allclose(r.excess, pop, rtol=1e-9, atol=0)
    np.testing.assert_allclose(r.variance, 0.0, atol=1e-9)


@pytest.mark.parametrize("n, p, ridge", [(100, 50, 0.01), (100, 300, 0.003), (100, 100, 0.01)])
def test_long_time_with_ridge_is_rf_ridge_risk(n, p, ridge):
    """t → ∞ with weight decay: the random-feature ridge readout (Φ̂ + ridge)⁻¹Φᵀy/n, every field."""
    eigs, tp = _task(200)
    r = rmt.rf_gd_risk(eigs, tp, 0.1, n, p, 1.0, 200_000, ridge=ridge)
    q = rmt.rf_ridge_risk(eigs, tp, 0.1, n, p, ridge)
    for f in FIELDS:
        np.testing.assert_allclose(getattr(r, f)[-1], float(getattr(q, f)), rtol=1e-12, atol=0, err_msg=f)


def test_known_values_and_long_curve():
    """Regression values (D = 400, p = 200, λ = k^-1.5, v² ∝ k^-1.2, σ² = 0.1, lr = 1) and a 10⁶-step curve.

    The values agree with an independent implementation of the same deterministic
    equivalent to all printed digits (0.388874459833 at n = 100, 0.158500831227 at n = 800, t = 1000).
    """
    eigs, tp = _task(400)
    r = rmt.rf_gd_risk(eigs, tp, 0.1, np.array([100, 800]), 200, 1.0, 1000)
    np.testing.assert_allclose(r.excess[:, 1000], [0.388874459833, 0.158500831227], rtol=5e-12)  # 12 digits printed
    np.testing.assert_allclose(r.unlearnable, 0.0942114, rtol=1e-6)
    long = rmt.rf_gd_risk(eigs, tp, 0.1, 100, 200, 1.0, 1_000_000)
    assert np.isfinite(long.excess).all()
    # ridgeless n < p: the limit is the minimum-norm random-feature readout
    q = rmt.rf_ridge_risk(eigs, tp, 0.1, 100, 200, 0.0)
    np.testing.assert_allclose(long.excess[-1], float(q.excess), rtol=1e-9)
    np.testing.assert_allclose(long.train[-1], float(q.train), atol=1e-12)


def test_repeated_eigenvalues_are_levels():
    """An array with repeated eigenvalues (isotropic, two-level) equals the same spectrum with distinct copies.

    Perturbing the copies by 1e-13 relative splits the levels; the risk must not notice.
    Reference at t = 60: the double contour (absolute 1e-12 on O(1) quantities).
    """
    e = np.r_[np.ones(50), 0.1 * np.ones(100)]
    tp = np.r_[np.ones(50), 0.5 * np.ones(100)] / 100
    split = e * (1 + 1e-13 * np.arange(150) / 150)
    for n, p in [(60, 120), (200, 80)]:
        a = rmt.rf_gd_risk(e, tp, 0.1, n, p, 0.1, 60)
        b = rmt.rf_gd_risk(split, tp, 0.1, n, p, 0.1, 60)
        np.testing.assert_allclose(a.excess, b.excess, rtol=1e-10)
        np.testing.assert_allclose(a.train, b.train, rtol=1e-10)
    iso = rmt.rf_gd_risk(np.ones(150), np.ones(150) / 150, 0.0, 60, 100, 0.1, 60)
    lv, tpow, _, _, _ = _prepare(np.ones(150), np.ones(150) / 150, 0.0, 60, 0.0, "rf_gd_risk")
    ref = _double_contour_reference(lv, np.array([1.0]), 60, 100, 0.1, 0.0, 60)
    np.testing.assert_allclose(iso.bias[-1], ref[0] + float(iso.unlearnable) * (1 + ref[1]), atol=1e-12)


def test_lr_above_stability_edge_is_refused():
    eigs, tp = _task(100)
    r = rmt.rf_gd_risk(eigs, tp, 0.1, 50, 40, 0.5, 1)
    with pytest.raises(ValueError, match=r"^lr must be in \(0, 2/\(x_\+ \+ ridge\)\)"):
        rmt.rf_gd_risk(eigs, tp, 0.1, 50, 40, 2.0 / float(r.edge) * 1.001, 1)
    with pytest.raises(ValueError, match=r"^eigs must be a finite spectrum"):
        rmt.rf_gd_risk(rmt.PowerLaw(1.5), 0.0, 0.1, 50, 40, 0.5, 1)


# --------------------------------------------------------------------------- Monte Carlo


def test_twin_single_draw_is_literal_gd():
    """The twin's closed form equals literal GD iterations on one draw of (F, X) (exact, noiseless + noise part)."""
    from rmt.simulate.rf_gd import _Payload, _trial

    eigs, tp = _task(60)
    sq, v = np.sqrt(eigs), np.sqrt(tp)
    n, p, lr, lam, T = 40, 30, 0.7, 0.01, 25
    out = _trial(_Payload(sq, v, n, p, lr, lam, T), np.random.default_rng(3))
    rng = np.random.default_rng(3)
    F = rng.standard_normal((p, 60)) / np.sqrt(p)
    Z = rng.standard_normal((n, 60))
    Phi = (Z * sq) @ F.T
    y0 = Z @ v
    a = np.zeros(p)
    A = np.zeros((p, n))  # a_t = a0_t + A_t ε: the noise part, linear in ε
    H = Phi.T @ Phi / n + lam * np.eye(p)
    for t in range(T + 1):
        wdiff = sq * (F.T @ a) - v
        np.testing.assert_allclose(out[0, t], wdiff @ wdiff, rtol=1e-10)
        C = sq[:, None] * (F.T @ A)
        np.testing.assert_allclose(out[1, t], np.sum(C * C), rtol=1e-10, atol=1e-15)
        res = y0 - Phi @ a
        np.testing.assert_allclose(out[2, t], res @ res / n, rtol=1e-10)
        Rn = np.eye(n) - Phi @ A
        np.testing.assert_allclose(out[3, t], np.sum(Rn * Rn) / n, rtol=1e-10)
        a = a - lr * (H @ a - Phi.T @ y0 / n)
        A = A - lr * (H @ A - Phi.T / n)


@pytest.mark.montecarlo
@pytest.mark.parametrize("n, p, noise, ridge", [(300, 150, 0.2, 0.0), (200, 200, 0.0, 0.0), (150, 300, 0.2, 0.0),
                                                (150, 300, 0.0, 0.0), (200, 210, 0.2, 0.005)])
def test_against_monte_carlo(n, p, noise, ridge):
    """Theory vs twin at early, middle and late steps (D = 300; p < n, p ≈ n, p > n; noisy and clean).

    Tolerance: 3 standard errors plus a finite-size allowance of 4% of the value (the
    deterministic equivalent's own error at D = 300: 1–3% late in training, largest
    near p = n and at n < p; see the module docstring of rmt.risk.gd for the linear case).
    """
    eigs, tp = _task(300, alpha=1.3, beta=1.0)
    th = rmt.rf_gd_risk(eigs, tp, noise, n, p, 1.0, 1000, ridge=ridge)
    mc = rmt.simulate.rf_gd_risk(eigs, tp, noise, n, p, 1.0, 1000, ridge=ridge, trials=40, seed=1)
    ts = [1, 10, 100, 1000]
    for f in ("excess", "train"):
        a, b, se = getattr(th, f)[ts], getattr(mc, f)[ts], getattr(mc, f + "_se")[ts]
        assert np.all(np.abs(a - b) <= 3 * se + 0.04 * np.abs(a)), (f, a, b, se)


def test_bench_case_runs_small():
    from rmt import bench

    g = bench.run_rf_gd(modes=100, n=50, p=40, steps=(100, 400), long_steps=1000, repeat=1)
    assert g["steps"] == [100, 400] and np.isfinite(g["exponent"]) and g["long_s"] > 0 and g["over_gd"] > 0
