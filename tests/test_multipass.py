# SPDX-License-Identifier: BSD-3-Clause
"""Multi-pass minibatch SGD: deterministic equivalent against its Monte Carlo twin, limits, warnings, bad input."""

import warnings

import numpy as np
import pytest

import rmt
from rmt.resolvent.onepoint import prepare
from rmt.risk.multipass import HEAVY_TAIL_THRESHOLD, multipass_stability

from conftest import mc_scale


def power_law(D, alpha=1.5, beta=1.2):
    k = np.arange(1, D + 1, dtype=float)
    p = k**-beta
    return k**-alpha, p / p.sum()


# Allowance for the deterministic equivalent itself (closure B, finite D and n):
# the measured accuracy on the power-law grid is <= 0.5 % (max over 24 cells);
# O(1/n) effects add 0.2-0.6 % at n = 100-200. We allow 1 % of the value.
DE_ALLOWANCE = 0.01
N_SE = 4.0

CELLS = [  # (n, lr, batch, noise): n < D and n > D, batch 1 and larger, clean and noisy
    (150, 0.2, 1, 0.1),
    (600, 0.2, 1, 0.0),
    (600, 0.5, 4, 0.1),
    (150, 1.0, 16, 0.0),
]


@pytest.mark.montecarlo
@pytest.mark.parametrize("n, lr, batch, noise", CELLS)
def test_matches_monte_carlo(n, lr, batch, noise):
    D, steps = 300, 300
    eigs, tp = power_law(D)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a tame grid: no heavy-tail warning
        de = rmt.multipass_sgd_risk(eigs, tp, noise, n, lr, batch, steps)
    mc = rmt.simulate.multipass_sgd_risk(eigs, tp, noise, n, lr, batch, steps,
                                         trials=int(150 * mc_scale()), runs=8, seed=[11, n, batch])
    ts = [5, 30, 100, 300]  # early, middle (t ~ n/B), late (several epochs)
    fields = ["excess", "train", "bias"] + (["variance"] if noise else [])
    for name in fields:
        pred = getattr(de, name)[ts]
        mean, se = getattr(mc, name)[ts], getattr(mc, name + "_se")[ts]
        tol = N_SE * se + DE_ALLOWANCE * np.abs(pred) if name != "variance" else N_SE * se + DE_ALLOWANCE * de.excess[ts]
        assert np.all(np.abs(pred - mean) <= tol), (name, pred, mean, se)


def test_curve_contract_and_broadcasting():
    eigs, tp = power_law(200)
    noise = np.array([[0.0], [0.3]])
    n = np.array([100.0, 400.0, 100.0])
    r = rmt.multipass_sgd_risk(eigs, tp, noise, n, 0.3, 2, 40)
    assert r.excess.shape == (2, 3, 41) and r.t.tolist() == list(range(41))
    np.testing.assert_allclose(r.excess[..., 0], tp.sum(), rtol=1e-10)  # w0 = 0
    np.testing.assert_allclose(r.train[..., 0], np.broadcast_to(tp.sum() + noise, (2, 3)), rtol=1e-10)
    np.testing.assert_allclose(r.test, r.excess + noise[..., None], rtol=1e-14)
    np.testing.assert_allclose(r.bias + r.variance, r.excess, rtol=1e-14)
    np.testing.assert_allclose(r.excess[:, 0], r.excess[:, 2], rtol=1e-14)  # same n, same curve
    np.testing.assert_array_equal(r.variance[0], 0.0)
    # the noise part is linear in noise and positive
    assert np.all(r.variance[1, :, 1:] > 0)
    single = rmt.multipass_sgd_risk(eigs, tp, 0.3, 400.0, 0.3, 2, 40)
    np.testing.assert_allclose(single.excess, r.excess[1, 1], rtol=1e-12)
    assert np.all(np.diff(single.bias) < 0)  # a stable, small lr: the bias decreases
    assert single.lr_max > 0.3 and 0 < single.gain < 1 and not single.heavy_tailed


def test_quadrature_converged():
    eigs, tp = power_law(300)
    a = rmt.multipass_sgd_risk(eigs, tp, 0.1, 600, 0.5, 4, 200)
    b = rmt.multipass_sgd_risk(eigs, tp, 0.1, 600, 0.5, 4, 200, nodes=1200)
    for name in ("excess", "train"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-6)


def test_large_batch_is_full_batch_gd():
    """batch -> inf (c = lr²/B -> 0): exact full-batch GD on the same data, averaged over draws."""
    D, steps, lr, noise = 200, 60, 0.5, 0.2
    eigs, tp = power_law(D, 1.2, 1.0)
    wstar = np.sqrt(tp / eigs)
    rng = np.random.default_rng(5)
    for n in (100, 400):
        de = rmt.multipass_sgd_risk(eigs, tp, noise, n, lr, 10**12, steps)
        draws = int(60 * mc_scale())
        ex = np.empty((draws, steps + 1))
        tr = np.empty((draws, steps + 1))
        for d in range(draws):
            X = rng.standard_normal((n, D)) * np.sqrt(eigs)
            y = X @ wstar + np.sqrt(noise) * rng.standard_normal(n)
            S, h = X.T @ X / n, X.T @ y / n
            w = np.zeros(D)
            for t in range(steps + 1):
                ex[d, t] = eigs @ (w - wstar) ** 2
                tr[d, t] = np.mean((y - X @ w) ** 2)
                w = w - lr * (S @ w - h)
        for pred, x in ((de.excess, ex), (de.train, tr)):
            mean, se = x.mean(0), x.std(0, ddof=1) / np.sqrt(draws)
            ts = [1, 10, 30, 60]
            assert np.all(np.abs(pred[ts] - mean[ts]) <= N_SE * se[ts] + 0.02 * pred[ts]), (n, pred[ts], mean[ts])


@pytest.mark.parametrize("n", [25, 400])
def test_large_batch_long_time_is_ridgeless_regression(n):
    """batch -> inf, t -> inf: GD from w0 = 0 converges to the minimum-norm / least-squares fit (rmt.ridge_risk at 0)."""
    D = 100
    eigs = np.linspace(0.5, 1.5, D)
    tp = np.linspace(1.0, 0.2, D) / 60
    lr = 0.8 * multipass_stability(prepare(eigs), float(n), 1.0, 1e12).lr_max
    de = rmt.multipass_sgd_risk(eigs, tp, 0.3, n, lr, 10**12, 300)
    ref = rmt.ridge_risk(eigs, tp, 0.3, n, 0.0)
    np.testing.assert_allclose(de.excess[-1], ref.excess, rtol=1e-5)
    np.testing.assert_allclose(de.variance[-1], ref.excess - rmt.ridge_risk(eigs, tp, 0.0, n, 0.0).excess, rtol=1e-5)
    np.testing.assert_allclose(de.train[-1], ref.train, rtol=1e-5, atol=1e-7)  # quadrature: ~1e-8 absolute
    if n > D:
        np.testing.assert_allclose(de.train[-1], 0.3 * (1 - D / n), rtol=1e-6)


def test_large_n_is_online_sgd():
    """n -> inf: the exact per-mode recursion of online SGD on Gaussian data (batch-mean gradient)."""
    D, steps = 200, 200
    eigs, tp = power_law(D)
    for lr, batch, noise in ((0.2, 1, 0.1), (0.8, 4, 0.0)):
        de = rmt.multipass_sgd_risk(eigs, tp, noise, 1e8, lr, batch, steps)
        c = lr**2 / batch
        ck = tp / eigs  # E (w - w*)_k² at w0 = 0
        online = np.empty(steps + 1)
        for t in range(steps + 1):
            online[t] = eigs @ ck
            ck = (1 - 2 * lr * eigs + (lr**2 + c) * eigs**2) * ck + c * eigs * (online[t] + noise)
        np.testing.assert_allclose(de.excess, online, rtol=2e-5)
        np.testing.assert_allclose(de.train, online + noise, rtol=2e-5)  # no reuse: train = test


@pytest.mark.parametrize("n, lr, batch", [(150, 0.3, 1), (600, 0.9, 4)])
def test_stability_against_sample_covariance(n, lr, batch):
    """The edge and the SGD-noise gain G are those of the actual Σ̂ (dense average over draws)."""
    D = 300
    eigs, _ = power_law(D)
    st = multipass_stability(prepare(eigs), float(n), lr, float(batch))
    rng = np.random.default_rng(3)
    c = lr**2 / batch
    smax, gain = [], []
    for _ in range(12):
        X = rng.standard_normal((n, D)) * np.sqrt(eigs)
        s = np.linalg.eigvalsh(X.T @ X / n)
        smax.append(s[-1])
        gain.append(np.sum(c * s / (2 * lr - (lr**2 + c) * s)))
    # an isolated top mode: the DE edge is the upper end of the outlier's O(λ1/sqrt(n)) range
    assert np.mean(smax) < st.edge <= 1.25 * np.mean(smax)
    assert np.quantile(smax, 0.75) <= 1.1 * st.edge
    assert abs(np.mean(gain) - st.gain) <= 4 * np.std(gain) / np.sqrt(12) + 0.01 * st.gain
    assert st.lr_max < st.lr_edge


def test_unstable_lr_reports_stable_range():
    eigs, tp = power_law(200)
    st = rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 0.1, 1, 5)
    with pytest.raises(ValueError, match=r"^lr must be in \(0, [0-9.]+\) for batch = 1"):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 1.001 * st.lr_max, 1, 5)
    rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 0.99 * st.lr_max, 1, 5)
    with pytest.raises(ValueError, match="^lr must be in"):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 50.0, 64, 5)


def test_heavy_tail_warning():
    eigs, tp = power_law(400)  # the stress setting: trΣ ≈ 2.5, lr·trΣ ≈ 1 at batch 1
    trace = eigs.sum()
    lr = 1.0 / trace
    assert lr * trace >= HEAVY_TAIL_THRESHOLD
    with pytest.warns(RuntimeWarning, match="heavy-tailed"):
        r = rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, lr, 1, 300)
    assert r.heavy_tailed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, lr, 1, 100)  # one epoch: the online regime, no warning
        assert not first.heavy_tailed
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 0.5 / trace, 1, 300)  # half the learning rate: tame
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 100, 2.0 / trace, 4, 300)  # same lr·trΣ/B = 0.5 at batch 4
    np.testing.assert_allclose(first.excess, r.excess[:101], rtol=1e-6)


@pytest.mark.montecarlo
def test_heavy_tail_regime_is_heavy_tailed():
    """Where the warning fires, the per-data-set risk has a far heavier tail than on a tame grid."""
    D, n, steps = 200, 60, 240
    eigs, tp = power_law(D)
    trace = eigs.sum()
    trials = int(300 * mc_scale())

    def tail_ratio(lr):
        s = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, n, lr, 1, steps, trials=trials, seed=9, keep_trials=True)
        x = s.per_trial["excess"][:, -1]
        return np.max(x) / np.median(x)

    with pytest.warns(RuntimeWarning):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, n, 1.05 / trace, 1, steps)
    assert tail_ratio(1.05 / trace) > 3 * tail_ratio(0.4 / trace)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(lr=0.0), "lr"),
        (dict(lr=-0.1), "lr"),
        (dict(lr=[0.1, 0.2]), "lr"),
        (dict(batch=0), "batch"),
        (dict(batch=1.5), "batch"),
        (dict(steps=-1), "steps"),
        (dict(steps=2.5), "steps"),
        (dict(n=0), "n"),
        (dict(n=-5), "n"),
        (dict(noise=-0.1), "noise"),
        (dict(noise=np.nan), "noise"),
    ],
)
@pytest.mark.parametrize("simulate", [False, True])
def test_bad_input(kwargs, name, simulate):
    eigs, tp = power_law(50)
    args = dict(noise=0.1, n=40, lr=0.1, batch=2, steps=5)
    args.update(kwargs)
    fn = rmt.simulate.multipass_sgd_risk if simulate else rmt.multipass_sgd_risk
    with pytest.raises(ValueError, match=f"^{name} must"):
        fn(eigs, tp, args["noise"], args["n"], args["lr"], args["batch"], args["steps"])


def test_simulation_kernel_matches_plain_sgd():
    """The compiled runs (residual carried by the Gram matrix) equal a plain numpy SGD loop on the same draws,
    with lr and batch schedules (step t uses the first batch[t] indices)."""
    from rmt._kernels.multipass import sgd_curves

    rng = np.random.default_rng(2)
    n, D, steps, B = 30, 20, 40, 3
    lr = np.linspace(0.3, 0.1, steps)
    batch = rng.integers(1, B + 1, size=steps)
    eigs, tp = power_law(D)
    wstar = np.sqrt(tp / eigs)
    X = rng.standard_normal((n, D)) * np.sqrt(eigs)
    Y = np.stack([X @ wstar + 0.3 * rng.standard_normal(n), X @ wstar], axis=1)
    idx = rng.integers(0, n, size=(2, steps, B))
    ex, tr = np.empty((2, 2, steps + 1)), np.empty((2, 2, steps + 1))
    sgd_curves(X, X @ X.T, Y, idx, lr, batch, eigs, np.stack([wstar, wstar]), ex, tr)
    for run in range(2):
        for col in range(2):
            y, w = Y[:, col], np.zeros(D)
            for t in range(steps + 1):
                np.testing.assert_allclose(ex[run, col, t], eigs @ (w - wstar) ** 2, rtol=1e-10)
                np.testing.assert_allclose(tr[run, col, t], np.mean((y - X @ w) ** 2), rtol=1e-10)
                if t < steps:
                    b = idx[run, t, :batch[t]]
                    w = w - lr[t] / batch[t] * X[b].T @ (X[b] @ w - y[b])


def test_simulate_seeded_and_fresh_draws():
    eigs, tp = power_law(60)
    a = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, 30, 0.3, 2, 20, trials=4, seed=1, keep_trials=True)
    b = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, 30, 0.3, 2, 20, trials=4, seed=1)
    np.testing.assert_array_equal(a.excess, b.excess)
    x = a.per_trial["excess"]
    assert np.all(x[:, 0] == x[0, 0]) and len(np.unique(x[:, -1])) == 4  # same w0, different draws
    np.testing.assert_allclose(x[:, 0], tp.sum(), rtol=1e-12)
    with pytest.raises(ValueError, match="^n must be an integer"):
        rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, 30.5, 0.3, 2, 20, trials=4)


def test_steps_zero():
    eigs, tp = power_law(100)
    r = rmt.multipass_sgd_risk(eigs, tp, 0.2, 50, 0.3, 1, 0)
    assert r.excess.shape == (1,)
    np.testing.assert_allclose(r.excess, tp.sum())
    np.testing.assert_allclose(r.train, tp.sum() + 0.2)


def test_simulate_executor_independent():
    from concurrent.futures import ThreadPoolExecutor

    eigs, tp = power_law(40)
    serial = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, 30, 0.3, 2, 15, trials=6, runs=2, seed=4)
    with ThreadPoolExecutor(2) as ex:
        pooled = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, 30, 0.3, 2, 15, trials=6, runs=2, seed=4,
                                                 executor=ex, chunksize=2)
    for name in ("excess", "train", "bias", "variance", "excess_se"):
        np.testing.assert_array_equal(getattr(serial, name), getattr(pooled, name))


def test_inputs_untouched_and_outputs_independent():
    eigs, tp = power_law(80)
    e0, t0 = eigs.copy(), tp.copy()
    r = rmt.multipass_sgd_risk(eigs, tp, 0.1, 60, 0.3, 2, 10)
    np.testing.assert_array_equal(eigs, e0)
    np.testing.assert_array_equal(tp, t0)
    for name in ("excess", "test", "train", "bias", "variance"):
        assert not np.shares_memory(getattr(r, name), eigs)
    assert not np.shares_memory(r.excess, r.test) and not np.shares_memory(r.bias, r.excess)


def test_spectrum_levels_equal_expanded_modes():
    """A Spectrum with multiplicities (level target power = the level's total) equals the expanded array."""
    vals, mult = np.array([1.0, 0.3, 0.05]), np.array([3.0, 40.0, 200.0])
    tp_level = np.array([0.3, 0.4, 0.3])
    lev = rmt.multipass_sgd_risk(rmt.Spectrum(vals, mult), tp_level, 0.1, 120, 0.06, 2, 60)
    exp = rmt.multipass_sgd_risk(np.repeat(vals, mult.astype(int)), np.repeat(tp_level / mult, mult.astype(int)),
                                 0.1, 120, 0.06, 2, 60)
    for name in ("excess", "train", "variance"):
        np.testing.assert_allclose(getattr(lev, name), getattr(exp, name), rtol=1e-9)


def test_infinite_spectrum_refused():
    with pytest.raises(ValueError, match="^eigs"):
        rmt.multipass_sgd_risk(rmt.PowerLaw(1.5), rmt.PowerLaw(1.2), 0.1, 100, 0.2, 1, 10)


# --------------------------------------------------------------------------- learning-rate and batch schedules


def _schedule(steps):
    """A decaying learning rate and a batch that grows mid-run (lr·trΣ/B <= 0.5: away from the stability edge)."""
    lr = np.linspace(0.4, 0.1, steps)
    batch = np.where(np.arange(steps) < steps // 2, 2, 8).astype(float)
    return lr, batch


def test_two_time_kernels_reduce_to_the_toeplitz_ones_for_a_constant_schedule():
    from rmt.resolvent.onepoint import prepare_task
    from rmt.risk.multipass import _curves_one

    eigs, tp = power_law(120)
    lv, tpow = prepare_task(eigs, tp)
    lr, batch = np.full(80, 0.3), np.full(80, 2.0)
    fast = _curves_one(lv, tpow, 200.0, lr, batch, 80, 400, 1.5, True)
    general = _curves_one(lv, tpow, 200.0, lr, batch, 80, 400, 1.5, False)  # the schedule path, forced
    for a, b in zip(fast, general):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-14)


def test_constant_schedule_arrays_equal_scalars():
    eigs, tp = power_law(100)
    a = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, 0.3, 2, 40)
    b = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, np.full(40, 0.3), np.full(40, 2), 40)
    np.testing.assert_array_equal(a.excess, b.excess)
    np.testing.assert_array_equal(a.train, b.train)


def test_schedules_at_large_n_are_online_sgd_with_the_same_schedules():
    """n → ∞ is online SGD: the schedule indexing (entry t used in step t → t+1) is the online recursion's."""
    eigs, tp = power_law(100)
    steps = 120
    lr = np.where(np.arange(steps) < 50, 0.1, 0.4)
    batch = np.where(np.arange(steps) % 3 == 0, 1, 4)
    mp = rmt.multipass_sgd_risk(eigs, tp, 0.1, 1e7, lr, batch, steps)
    on = rmt.online_sgd_risk(eigs, tp, 0.1, lr, batch, steps)
    np.testing.assert_allclose(mp.excess, on.excess, rtol=1e-5)
    shifted = rmt.online_sgd_risk(eigs, tp, 0.1, np.roll(lr, 1), np.roll(batch, 1), steps)  # an off-by-one
    assert np.max(np.abs(mp.excess / shifted.excess - 1)) > 1e-2


@pytest.mark.montecarlo
@pytest.mark.parametrize("n", [150, 600])
def test_schedules_match_monte_carlo(n):
    D, steps = 300, 200
    eigs, tp = power_law(D)
    lr, batch = _schedule(steps)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        de = rmt.multipass_sgd_risk(eigs, tp, 0.1, n, lr, batch, steps)
    mc = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, n, lr, batch, steps, trials=int(150 * mc_scale()), runs=4,
                                         seed=[12, n])
    ts = [5, 30, 100, 101, 200]  # early, middle, at the batch switch, late
    for name in ("excess", "train", "bias"):
        pred = getattr(de, name)[ts]
        mean, se = getattr(mc, name)[ts], getattr(mc, name + "_se")[ts]
        assert np.all(np.abs(pred - mean) <= N_SE * se + DE_ALLOWANCE * np.abs(pred)), (name, pred, mean, se)


def test_schedule_bad_input_and_stability():
    eigs, tp = power_law(50)
    for fn in (rmt.multipass_sgd_risk, rmt.simulate.multipass_sgd_risk):
        with pytest.raises(ValueError, match="^lr must"):
            fn(eigs, tp, 0.1, 40, np.full(4, 0.1), 2, 5)  # wrong length
        with pytest.raises(ValueError, match="^lr must"):
            fn(eigs, tp, 0.1, 40, np.r_[0.1, 0.0, 0.1, 0.1, 0.1], 2, 5)
        with pytest.raises(ValueError, match="^batch must"):
            fn(eigs, tp, 0.1, 40, 0.1, np.r_[1, 2, 2.5, 1, 1], 5)
    lr = np.r_[np.full(4, 0.1), 50.0]  # one step beyond the stable range
    with pytest.raises(ValueError, match="^lr must be in .* on every step"):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 40, lr, 2, 5)


def test_schedule_heavy_tail_warning_uses_the_largest_step():
    eigs, tp = power_law(200)
    trace = float(np.sum(eigs))
    lr = np.r_[np.full(10, 0.2 / trace), np.full(90, 1.0 / trace)]
    with pytest.warns(RuntimeWarning, match="heavy-tailed"):
        r = rmt.multipass_sgd_risk(eigs, tp, 0.1, 60, lr, 1, 100)
    assert r.heavy_tailed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 60, np.full(100, 0.2 / trace), 1, 100)


# --------------------------------------------------------------------------- closure M_H


def test_memory_closure_is_a_small_positive_correction_that_vanishes_at_large_batch():
    eigs, tp = power_law(200)
    b = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, 0.5, 2, 100)
    m = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, 0.5, 2, 100, closure="M_H")
    rel = m.excess[1:] / b.excess[1:] - 1
    assert np.all(rel >= -1e-12) and 1e-3 < rel.max() < 0.05  # revisits add noise: the risk goes up
    assert m.excess[0] == b.excess[0] and m.train[0] == b.train[0]
    big_b = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, 0.5, 64, 100)
    big_m = rmt.multipass_sgd_risk(eigs, tp, 0.1, 150, 0.5, 64, 100, closure="M_H")
    assert np.max(np.abs(big_m.excess / big_b.excess - 1)) < 0.02 * rel.max()  # the memory is O(c) = O(lr²/B)


def test_memory_closure_options():
    eigs, tp = power_law(50)
    with pytest.raises(ValueError, match="^closure must"):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 40, 0.1, 2, 5, closure="A0")
    with pytest.raises(ValueError, match="^closure 'M_H' needs a constant"):
        rmt.multipass_sgd_risk(eigs, tp, 0.1, 40, np.linspace(0.2, 0.1, 5), 2, 5, closure="M_H")
    r = rmt.multipass_sgd_risk(eigs, tp, 0.1, 40, 0.1, 2, 1, closure="M_H")  # too short for any memory
    np.testing.assert_array_equal(r.excess, rmt.multipass_sgd_risk(eigs, tp, 0.1, 40, 0.1, 2, 1).excess)


@pytest.mark.montecarlo
def test_memory_closure_matches_monte_carlo_where_closure_b_is_low():
    """n = 200, (lr, B) = (0.6, 2), lr·trΣ/B = 0.75: closure B is ~2 % low there, M_H within the error bars."""
    D, n, steps = 400, 200, 200
    eigs, tp = power_law(D)
    de = rmt.multipass_sgd_risk(eigs, tp, 0.1, n, 0.6, 2, steps, closure="M_H")
    mc = rmt.simulate.multipass_sgd_risk(eigs, tp, 0.1, n, 0.6, 2, steps, trials=int(300 * mc_scale()), runs=6,
                                         seed=[13, n])
    ts = [10, 50, 100, 200]
    for name in ("excess", "train"):
        pred, mean, se = getattr(de, name)[ts], getattr(mc, name)[ts], getattr(mc, name + "_se")[ts]
        assert np.all(np.abs(pred - mean) <= N_SE * se + DE_ALLOWANCE * np.abs(pred)), (name, pred, mean, se)


def test_memory_closure_reference_values():
    """D = 400, n = 200, (lr, B) = (0.6, 2), noise 0.1: values of an independent numpy implementation of the
    same closures (printed to 3 digits), t = 10, 50, 100, 200."""
    eigs, tp = power_law(400)
    ts = [10, 50, 100, 200]
    b = rmt.multipass_sgd_risk(eigs, tp, 0.1, 200, 0.6, 2, 200).excess[ts]
    m = rmt.multipass_sgd_risk(eigs, tp, 0.1, 200, 0.6, 2, 200, closure="M_H").excess[ts]
    np.testing.assert_allclose(b, [0.867, 0.639, 0.537, 0.441], atol=6e-4)
    np.testing.assert_allclose(m, [0.871, 0.646, 0.544, 0.448], atol=6e-4)


def test_simulate_broadcasts_noise_over_leading_axes():
    eigs, tp = power_law(60)
    noise = np.array([[0.0], [0.1], [0.4]])
    grid = rmt.simulate.multipass_sgd_risk(eigs, tp, noise, 30, 0.3, 2, 20, trials=4, seed=3)
    assert grid.excess.shape == (3, 1, 21) and grid.bias_se.shape == (3, 1, 21)
    for i, s2 in enumerate(noise[:, 0]):
        one = rmt.simulate.multipass_sgd_risk(eigs, tp, s2, 30, 0.3, 2, 20, trials=4, seed=3)
        for name in ("excess", "test", "train", "bias", "variance", "excess_se"):
            np.testing.assert_allclose(getattr(grid, name)[i, 0], getattr(one, name), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grid.variance[2], 4 * grid.variance[1], rtol=1e-12)  # linear in the noise
