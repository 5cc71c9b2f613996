# SPDX-License-Identifier: BSD-3-Clause
"""Full-batch GD and gradient flow: rmt.gd_risk / rmt.gradient_flow_risk against their slow reference,
their limits (ridge, ridgeless, flow) and their Monte Carlo twins."""

import numpy as np
import pytest

import rmt
from rmt.resolvent.onepoint import prepare_task
from rmt.risk.gd import _double_contour_reference

from conftest import mc_scale

D = 300
K = np.arange(1, D + 1.0)
EIGS = K**-1.5
TP = K**-1.2 / np.sum(K**-1.2)


# --------------------------------------------------------------------------- fast vs slow exact reference


@pytest.mark.parametrize("n, ridge, lr", [(150, 0.0, 1.0), (300, 0.0, 1.0), (600, 0.0, 1.0), (150, 1e-3, 1.0),
                                          (600, 0.02, 0.6)])
def test_recursion_matches_double_contour_reference(n, ridge, lr):
    """The hugging-contour recursion against the uncollapsed two-point DE on a graded circle (its own quadrature)."""
    steps = 120
    r = rmt.gd_risk(EIGS, TP, 1.0, n, lr, steps, ridge=ridge)
    lv, tp = prepare_task(EIGS, TP)
    for t in (1, 4, 30, 120):
        bias, var1, trb, trv1 = _double_contour_reference(lv, tp, n, lr, ridge, t)
        assert r.bias[t] == pytest.approx(bias, rel=1e-11)
        assert r.variance[t] == pytest.approx(var1, rel=1e-11)
        # train: one-point circle with weights w*_k² = v_k²/λ_k up to 1/λ_min: resolved to ~1e-11
        assert r.train[t] == pytest.approx(trb + trv1, rel=1e-10)


def test_curve_contract():
    r = rmt.gd_risk(EIGS, TP, [0.0, 0.3], 150, 1.0, 50)
    assert r.excess.shape == (2, 51) and r.t.shape == (51,)
    np.testing.assert_allclose(r.excess[:, 0], TP.sum(), rtol=1e-13)
    np.testing.assert_allclose(r.test, r.excess + np.array([0.0, 0.3])[:, None], rtol=1e-15)
    np.testing.assert_allclose(r.excess, r.bias + r.variance, rtol=1e-15)
    np.testing.assert_allclose(r.variance[0], 0.0, atol=1e-15)  # noise-free predictor: bias only
    np.testing.assert_allclose(r.bias[0], r.bias[1], rtol=1e-13)  # bias does not depend on noise
    np.testing.assert_allclose(r.train[:, 0], TP.sum() + np.array([0.0, 0.3]), rtol=1e-13)  # w0 = 0: train = E y²


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize("n", [150, 600])
def test_weight_decay_converges_to_ridge(n):
    lam = 0.05
    r = rmt.gd_risk(EIGS, TP, 0.2, n, 1.0, 3000, ridge=lam)
    ref = rmt.ridge_risk(EIGS, TP, 0.2, n, lam)
    for f in ("test", "train", "bias", "variance"):
        assert getattr(r, f)[-1] == pytest.approx(float(getattr(ref, f)), rel=1e-10), f


@pytest.mark.parametrize("n", [150, 600])
def test_ridgeless_long_time_is_min_norm_ridge(n):
    r = rmt.gd_risk(EIGS, TP, 0.2, n, 1.0, 10**6)
    ref = rmt.ridge_risk(EIGS, TP, 0.2, n, 0.0)
    for f in ("test", "bias", "variance"):
        assert getattr(r, f)[-1] == pytest.approx(float(getattr(ref, f)), rel=1e-9), f
    assert r.train[-1] == pytest.approx(float(ref.train), abs=1e-9)


def test_small_lr_gd_is_gradient_flow():
    """GD at lr and lr/2 for the same lr·t: error O(lr), Richardson-extrapolated error O(lr²)."""
    tau = np.array([0.5, 4.0, 40.0])
    flow = rmt.gradient_flow_risk(EIGS, TP, 0.2, 150, tau)
    lr = 4e-3
    g1 = rmt.gd_risk(EIGS, TP, 0.2, 150, lr, int(tau[-1] / lr))
    g2 = rmt.gd_risk(EIGS, TP, 0.2, 150, lr / 2, int(2 * tau[-1] / lr))
    for f in ("test", "train", "bias", "variance"):
        a = getattr(g1, f)[np.round(tau / lr).astype(int)]
        b = getattr(g2, f)[np.round(2 * tau / lr).astype(int)]
        e1 = np.abs(a - getattr(flow, f))
        e2 = np.abs(b - getattr(flow, f))
        assert np.all(e1 < 1e-2 * np.abs(getattr(flow, f)))
        np.testing.assert_allclose(e1 / e2, 2.0, rtol=0.05)  # first order in lr
        np.testing.assert_allclose(2 * b - a, getattr(flow, f), rtol=1e-5)


def test_gradient_flow_weight_decay_limit():
    r = rmt.gradient_flow_risk(EIGS, TP, 0.2, 150, [0.0, 4000.0], ridge=0.05)
    ref = rmt.ridge_risk(EIGS, TP, 0.2, 150, 0.05)
    assert r.excess[0] == pytest.approx(TP.sum(), rel=1e-12)
    for f in ("test", "train", "bias", "variance"):
        assert getattr(r, f)[-1] == pytest.approx(float(getattr(ref, f)), rel=1e-9), f


def test_power_law_time_exponent():
    """Clean, n ≫ the modes learned by time t: excess ~ t^{-(a-1)/b} for λ_k = k^-b, v_k² ∝ k^-a
    (Bordelon, Atanasov & Pehlevan 2024, arXiv:2402.01092)."""
    b, a = 1.5, 2.2
    k = np.arange(1, 4001.0)
    r = rmt.gd_risk(k**-b, k**-a, 0.0, 40000, 1.0, 10**4)
    t = np.unique(np.geomspace(30, 10**4, 20).astype(int))
    slope = np.polyfit(np.log(t), np.log(r.excess[t]), 1)[0]
    assert slope == pytest.approx(-(a - 1) / b, abs=0.03)


# --------------------------------------------------------------------------- infinite power laws


@pytest.mark.parametrize("flow", [False, True])
def test_infinite_power_law_limits(flow):
    """Infinite PowerLaw (analytic tails at complex κ on the contour): weight decay at t → ∞ is ridge_risk at that
    ridge, ridgeless GD at t → ∞ the ridgeless ridge_risk, both on the same infinite spectrum."""
    eigs, task = rmt.PowerLaw(1.5), rmt.PowerLaw(1.4, 0.3)
    for lam, T in ((0.05, 4000), (0.0, 10**6)):
        if flow:
            r = rmt.gradient_flow_risk(eigs, task, 0.2, 200, [0.0, float(T)], ridge=lam)
        else:
            r = rmt.gd_risk(eigs, task, 0.2, 200, 1.0, T, ridge=lam)
        ref = rmt.ridge_risk(eigs, task, 0.2, 200, lam)
        assert r.excess[0] == pytest.approx(0.3 * 3.1055472779775806, rel=1e-12)  # Σ v_k² = t ζ(1.4)
        for f in ("test", "bias", "variance") + (("train",) if lam > 0 else ()):
            assert getattr(r, f)[-1] == pytest.approx(float(getattr(ref, f)), rel=1e-9), (lam, f)
        if lam == 0:
            assert r.train[-1] == pytest.approx(float(ref.train), abs=1e-9)


def test_infinite_power_law_against_truncations():
    """The infinite curve is the D → ∞ limit of the truncated ones: with a target on the first 40 modes the
    truncation changes only κ(z), by O(D^{1-α}); the error falls by ~4^{1-α} per 4× D (measured, not assumed)."""
    alpha, n, steps = 1.5, 100, 300
    tp = np.arange(1, 41.0) ** -1.2
    r = rmt.gd_risk(rmt.PowerLaw(alpha), tp, 0.1, n, 1.0, steps, ridge=1e-3)
    assert r.excess[0] == pytest.approx(tp.sum(), rel=1e-13)
    errs = []
    for D in (1000, 4000, 16000):
        rd = rmt.gd_risk(rmt.spectra.power_law(D, alpha), np.r_[tp, np.zeros(D - tp.size)], 0.1, n, 1.0, steps,
                         ridge=1e-3)
        errs.append(max(np.max(np.abs(rd.excess - r.excess) / r.excess), np.max(np.abs(rd.train - r.train) / r.train)))
    ratios = np.array(errs[1:]) / np.array(errs[:-1])
    np.testing.assert_allclose(ratios, 4.0 ** (1 - alpha), rtol=0.15)
    assert errs[-1] < 0.1  # D = 16000 still misses ~7% (the dropped Σ_{k>D} λ/(λ+κ) shifts κ): why size=None


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(lr=0.0), "lr must be > 0"),
        (dict(lr=-1.0), "lr must be > 0"),
        (dict(lr=1.9), "lr must be in"),
        (dict(steps=-1), "steps must be an integer >= 0"),
        (dict(noise=-0.1), "noise must be >= 0"),
        (dict(n=0), "^n must be >= 1e-08"),
        (dict(ridge=-0.1), "ridge must be >= 0"),
    ],
)
def test_bad_input(kw, match):
    args = dict(noise=0.1, n=150, lr=1.0, steps=10)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        rmt.gd_risk(EIGS, TP, args["noise"], args["n"], args["lr"], args["steps"], ridge=kw.get("ridge", 0.0))


def test_bad_input_flow_and_infinite_spectrum():
    with pytest.raises(ValueError, match="t must be >= 0"):
        rmt.gradient_flow_risk(EIGS, TP, 0.1, 150, [1.0, -1.0])
    with pytest.raises(ValueError, match="lr must be > 0"):
        rmt.simulate.gd_risk(EIGS, TP, 0.1, 150, 0.0, 10)
    with pytest.raises(ValueError, match="t must be >= 0"):
        rmt.simulate.gradient_flow_risk(EIGS, TP, 0.1, 150, -1.0)


def test_lr_edge_is_the_de_edge_not_lambda_max():
    """The stability bound uses the right edge x₊ of Σ̂'s spectrum (DE), which exceeds max(eigs)."""
    r = rmt.gd_risk(EIGS, TP, 0.1, 150, 1.0, 1)
    assert float(r.edge) > EIGS.max()
    rmt.gd_risk(EIGS, TP, 0.1, 150, 0.999 * 2 / float(r.edge), 5)
    with pytest.raises(ValueError, match="lr must be in"):
        rmt.gd_risk(EIGS, TP, 0.1, 150, 1.001 * 2 / float(r.edge), 5)
    with pytest.raises(ValueError, match="lr must be in"):  # weight decay shifts the spectrum by ridge
        rmt.gd_risk(EIGS, TP, 0.1, 150, 1.001 * 2 / (float(r.edge) + 0.5), 5, ridge=0.5)
    rmt.gd_risk(EIGS, TP, 0.1, 150, 0.999 * 2 / (float(r.edge) + 0.5), 5, ridge=0.5)


def test_bench_gd_runs_small():
    from rmt import bench

    g = bench.run_gd(modes=100, n=50, steps=(100, 400), long_steps=0, repeat=1)
    assert np.all(np.isfinite(g["times_s"])) and np.isfinite(g["exponent"])
    m = bench.run_gd_vs_monte_carlo(modes=100, n=50, steps=50, pilot_trials=2, repeat=1)
    assert m["mc_trials_needed"] >= 2 and m["theory_s"] > 0


# --------------------------------------------------------------------------- Monte Carlo


# flatter spectrum so that 400 steps reach the late regime; D = 256 modes
DM = 256
KM = np.arange(1, DM + 1.0)
EM = KM**-1.0
TM = KM**-1.2 / np.sum(KM**-1.2)
FINITE_SIZE = 0.025  # relative allowance for O(1/D) deviations of the DE at D = 256 (measured: up to 1.5%)


def _close(theory, sim, field, idx, scale):
    th = getattr(theory, field)[..., idx]
    mc = getattr(sim, field)[idx]
    se = getattr(sim, field + "_se")[idx]
    tol = 4 * se + FINITE_SIZE * scale
    assert np.all(np.abs(th - mc) <= tol), (field, th, mc, se)


@pytest.mark.montecarlo
@pytest.mark.parametrize("n, noise, ridge", [(128, 0.2, 0.0), (256, 0.2, 0.0), (512, 0.2, 0.0), (128, 0.0, 0.0),
                                             (512, 0.0, 0.0), (128, 0.2, 0.02)])
def test_gd_against_monte_carlo(n, noise, ridge):
    steps = 400
    trials = max(int(16 * mc_scale()), 4)
    th = rmt.gd_risk(EM, TM, noise, n, 1.0, steps, ridge=ridge)
    sim = rmt.simulate.gd_risk(EM, TM, noise, n, 1.0, steps, ridge=ridge, trials=trials, seed=11)
    idx = np.array([0, 1, 20, steps])  # w0, early, middle, late
    for f in ("excess", "train", "bias"):
        _close(th, sim, f, idx, scale=th.test[idx])


@pytest.mark.montecarlo
def test_gradient_flow_against_monte_carlo():
    trials = max(int(16 * mc_scale()), 4)
    t = np.array([0.0, 1.0, 20.0, 400.0])
    th = rmt.gradient_flow_risk(EM, TM, 0.2, 200, t, ridge=0.01)
    sim = rmt.simulate.gradient_flow_risk(EM, TM, 0.2, 200, t, ridge=0.01, trials=trials, seed=5)
    for f in ("excess", "train", "variance"):
        _close(th, sim, f, np.arange(t.size), scale=th.test)


def test_simulator_matches_literal_gd_iterations():
    """The per-draw spectral formula against literal GD iterations on one draw. The label-noise parts are exact by
    linearity: iterate the response ``W_t`` of the weights to the labels (``w_t = W_t y``), then
    ``variance = σ² Σ_k λ_k |row_k W_t|²`` and the noise part of train is ``σ²/n ||I - X W_t||_F²``."""
    n, d, lr, lam = 25, 40, 0.7, 0.05
    sim = rmt.simulate.gd_risk(EM[:d], TM[:d], 1.0, n, lr, 30, ridge=lam, trials=2, seed=3, keep_trials=True)
    rng = np.random.default_rng(np.random.SeedSequence(3).spawn(2)[0])
    sq = np.sqrt(EM[:d])
    X = rng.standard_normal((n, d)) * sq
    wst = np.sqrt(TM[:d]) / sq
    y = X @ wst
    w = np.zeros(d)
    W = np.zeros((d, n))
    H = X.T @ X / n + lam * np.eye(d)
    for t in range(31):
        if t in (0, 1, 7, 30):
            err = sq * (w - wst)
            var = np.sum(EM[:d, None] * W * W)
            res = np.eye(n) - X @ W
            assert sim.per_trial["bias"][0, t] == pytest.approx(err @ err, rel=1e-10, abs=1e-14)
            assert sim.per_trial["variance"][0, t] == pytest.approx(var, rel=1e-10, abs=1e-14)
            train = np.mean((y - X @ w) ** 2) + np.sum(res * res) / n
            assert sim.per_trial["train"][0, t] == pytest.approx(train, rel=1e-10, abs=1e-14)
        w = w - lr * (H @ w - X.T @ y / n)
        W = W - lr * (H @ W - X.T / n)


# --------------------------------------------------------------------------- laws (hypothesis)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=12)
@given(alpha=st.floats(0.3, 2.5), beta=st.floats(0.5, 3.0), n=st.integers(20, 300), frac=st.floats(0.05, 0.95),
       log_scale=st.floats(-3, 3), ridge=st.sampled_from([0.0, 1e-3, 0.1]))
def test_scale_invariance(alpha, beta, n, frac, log_scale, ridge):
    """GD on (s·eigs, lr/s, s·ridge) is the same curve: the contour, edges and κ all rescale by s.
    Also: excess at w0 = 0 is Σ v_k², and 0 <= bias, variance, train."""
    k = np.arange(1, 121.0)
    eigs, tp = k**-alpha, k**-beta
    s = 10.0**log_scale
    base = rmt.gd_risk(eigs, tp, 0.3, n, 1e-9, 0, ridge=ridge)  # only for its edge
    lr = frac * 2 / (float(base.edge) + ridge)
    a = rmt.gd_risk(eigs, tp, 0.3, n, lr, 60, ridge=ridge)
    b = rmt.gd_risk(s * eigs, tp, 0.3, n, lr / s, 60, ridge=s * ridge)
    for f in ("test", "train", "bias", "variance"):
        np.testing.assert_allclose(getattr(b, f), getattr(a, f), rtol=1e-10, atol=1e-14)
    assert a.excess[0] == pytest.approx(tp.sum(), rel=1e-12)
    assert np.all(a.bias >= -1e-14) and np.all(a.variance >= -1e-14) and np.all(a.train >= -1e-14)


def test_repeated_eigenvalues_are_one_level():
    """Regression: equal eigenvalues are merged into one level; the target power must follow (it crashed)."""
    e = np.r_[np.ones(40), 0.25 * np.ones(60)]
    tp = np.r_[np.full(40, 0.02), np.full(60, 0.005)]
    a = rmt.gd_risk(e, tp, 0.1, 70.0, 0.5, 30)
    b = rmt.gd_risk(rmt.Spectrum([1.0, 0.25], [40, 60]), np.array([0.8, 0.3]), 0.1, 70.0, 0.5, 30)
    c = rmt.gd_risk(e * (1 + 1e-13 * np.arange(100) / 100), tp, 0.1, 70.0, 0.5, 30)
    np.testing.assert_allclose(a.excess, b.excess, rtol=1e-12)
    np.testing.assert_allclose(a.train, b.train, rtol=1e-12)
    np.testing.assert_allclose(a.excess, c.excess, rtol=1e-9)
