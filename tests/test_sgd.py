# SPDX-License-Identifier: BSD-3-Clause
"""Online SGD: the per-mode recursion against a dense exact second-moment propagation, its limits,
stability range, bad input, and the Monte Carlo twin."""

import itertools
import warnings

import numpy as np
import pytest
from conftest import mc_scale
from hypothesis import given
from hypothesis import strategies as st

import rmt
from rmt.spectra import Spectrum


def _problem(D=100, alpha=1.5, beta=0.5):
    eigs = np.arange(1, D + 1, dtype=float) ** -alpha
    wb = np.arange(1, D + 1, dtype=float) ** -beta
    wb /= np.sqrt(np.sum(eigs * wb**2))
    return eigs, eigs * wb**2


# --------------------------------------------------------------------------- dense exact referee


def _fourth_moment(D, kurtosis):
    """E[z_a z_b z_c z_d] for i.i.d. z (mean 0, variance 1, E z^4 = kurtosis), by Isserlis' pairings + a cumulant."""
    d = np.eye(D)
    T = np.einsum("ab,cd->abcd", d, d) + np.einsum("ac,bd->abcd", d, d) + np.einsum("ad,bc->abcd", d, d)
    for k in range(D):
        T[k, k, k, k] += kurtosis - 3.0
    return T


def _dense_excess(eigs, tpow, noise, lr, batch, steps, kurtosis):
    """Propagate the full D×D E[ΔΔᵀ] (Δ = w - w*) exactly; return E[Δᵀ Σ Δ] per step."""
    D = eigs.size
    s = np.sqrt(eigs)
    X4 = _fourth_moment(D, kurtosis) * np.einsum("a,b,c,d->abcd", s, s, s, s)  # E[x_a x_b x_c x_d]
    Sig = np.diag(eigs)
    wstar = np.sqrt(tpow / eigs) * np.where(np.arange(D) % 2, -1.0, 1.0)  # signs make C(0) non-diagonal
    C = np.outer(wstar, wstar)
    lr = np.broadcast_to(lr, (steps,))
    batch = np.broadcast_to(batch, (steps,))
    out = [np.trace(Sig @ C)]
    for t in range(steps):
        A = np.eye(D) - lr[t] * Sig
        M = np.einsum("abcd,cd->ab", X4, C)  # E[x xᵀ C x xᵀ]
        C = A @ C @ A + lr[t] ** 2 / batch[t] * (M - Sig @ C @ Sig + noise * Sig)
        out.append(np.trace(Sig @ C))
    return np.array(out)


@pytest.mark.parametrize(
    "kurtosis, frac, batch, noise",
    [(3.0, 0.7, 1, 0.2), (3.0, 0.95, 4, 0.0), (1.0, 0.5, 1, 0.3), (1.6, 0.9, 2, 0.1), (7.0, 0.3, 3, 0.5)],
)
def test_recursion_equals_dense_second_moment(kurtosis, frac, batch, noise):
    eigs = np.array([1.3, 0.8, 0.5, 0.31, 0.2, 0.05])
    tpow = np.array([0.3, 0.1, 0.25, 0.05, 0.2, 0.1])
    lr = frac * rmt.sgd_stable_lr(eigs, batch, kurtosis=kurtosis)
    steps = 60
    ref = _dense_excess(eigs, tpow, noise, lr, batch, steps, kurtosis)
    r = rmt.online_sgd_risk(eigs, tpow, noise, lr, batch, steps, kurtosis=kurtosis)
    np.testing.assert_allclose(r.excess, ref, rtol=1e-12, atol=0)
    np.testing.assert_allclose(r.test, ref + noise, rtol=1e-12)


def test_recursion_equals_dense_with_schedules():
    eigs = np.array([1.3, 0.8, 0.5, 0.31, 0.2, 0.05])
    tpow = np.array([0.3, 0.1, 0.25, 0.05, 0.2, 0.1])
    steps = 50
    t = np.arange(steps)
    lr = 0.05 + 0.25 * np.minimum(1, t / 10) * 0.5 * (1 + np.cos(np.pi * t / steps))
    batch = 1 + (t % 5)
    for kurtosis in (3.0, 2.2):
        ref = _dense_excess(eigs, tpow, 0.15, lr, batch, steps, kurtosis)
        r = rmt.online_sgd_risk(eigs, tpow, 0.15, lr, batch, steps, kurtosis=kurtosis)
        np.testing.assert_allclose(r.excess, ref, rtol=1e-12)
        # bias is the same recursion at noise 0
        np.testing.assert_allclose(r.bias, _dense_excess(eigs, tpow, 0.0, lr, batch, steps, kurtosis), rtol=1e-12)
        assert r.stationary is None and r.kernel_sum is None


# --------------------------------------------------------------------------- limits and closed forms


def test_kurtosis_three_is_the_gaussian_path():
    eigs, tpow = _problem()
    lr, B, sigma2, steps = 0.4, 2, 0.09, 300
    a = 1 - 2 * lr * eigs + (1 + 1 / B) * lr**2 * eigs**2  # Gaussian factor, written independently
    c = tpow / eigs
    ref = []
    for _ in range(steps + 1):
        E = np.sum(eigs * c)
        ref.append(E)
        c = a * c + lr**2 / B * eigs * (E + sigma2)
    r = rmt.online_sgd_risk(eigs, tpow, sigma2, lr, B, steps)
    r3 = rmt.online_sgd_risk(eigs, tpow, sigma2, lr, B, steps, kurtosis=3)
    np.testing.assert_allclose(r.excess, ref, rtol=1e-12)
    np.testing.assert_array_equal(r.excess, r3.excess)


def test_infinite_batch_is_population_gd():
    eigs, tpow = _problem()
    lr, steps = 0.9, 200
    r = rmt.online_sgd_risk(eigs, tpow, 0.5, lr, 1e12, steps)
    t = np.arange(steps + 1)[:, None]
    gd = np.sum(tpow * (1 - lr * eigs) ** (2 * t), axis=1)
    np.testing.assert_allclose(r.bias, gd, rtol=1e-9)
    assert np.max(r.variance) < 1e-9


def test_stationary_value_closed_form_and_reference_values():
    eigs = 1 / np.arange(1, 51.0)
    for lr, B, expected_S, expected in [(0.3, 1, 0.7704, 0.83889), (0.8, 4, 0.5876, 0.35614)]:
        r = rmt.online_sgd_risk(eigs, 0.0, 0.25, lr, B, 5)
        S = np.sum((lr / B) * eigs / (2 - lr * (1 + 1 / B) * eigs))
        assert r.kernel_sum == pytest.approx(S, rel=1e-14)
        assert r.stationary == pytest.approx(0.25 * S / (1 - S), rel=1e-14)
        assert r.kernel_sum == pytest.approx(expected_S, abs=1e-4)
        assert r.stationary == pytest.approx(expected, abs=1e-5)
    # the curve converges to it from a nonzero start, for several kurtoses
    eigs, tpow = _problem(D=30, alpha=1.0)
    for kurtosis in (1.0, 3.0, 5.0):
        lr = 0.5 * rmt.sgd_stable_lr(eigs, 2, kurtosis=kurtosis)
        r = rmt.online_sgd_risk(eigs, tpow, 0.3, lr, 2, 40000, kurtosis=kurtosis)
        assert r.excess[-1] == pytest.approx(r.stationary, rel=1e-9)


def test_noise_broadcasts_over_leading_axes_and_is_linear():
    eigs, tpow = _problem(D=40)
    noise = np.array([[0.0, 0.1, 0.4], [1.0, 2.0, 0.05]])
    r = rmt.online_sgd_risk(eigs, tpow, noise, 0.5, 3, 100)
    assert r.excess.shape == r.bias.shape == r.variance.shape == (2, 3, 101)
    assert r.stationary.shape == (2, 3)
    for i, j in itertools.product(range(2), range(3)):
        one = rmt.online_sgd_risk(eigs, tpow, noise[i, j], 0.5, 3, 100)
        np.testing.assert_allclose(r.excess[i, j], one.excess, rtol=1e-13)
        np.testing.assert_allclose(r.test[i, j], one.excess + noise[i, j], rtol=1e-13)
    np.testing.assert_allclose(r.excess, r.bias + r.variance, rtol=1e-14)
    assert r.excess[0, 0, 0] == pytest.approx(tpow.sum(), rel=1e-14) and r.t[-1] == 100
    assert r.train is None
    r.bias[0, 0, 0] = -1.0  # fields own their memory
    assert r.bias[0, 1, 0] > 0


def test_multiplicities_equal_expanded_modes():
    spec = Spectrum([1.0, 0.3, 0.05], [2, 5, 10])
    tpow = np.array([0.4, 0.3, 0.2])  # a level's total power
    r = rmt.online_sgd_risk(spec, tpow, 0.1, 0.3, 2, 80)
    flat = np.repeat([1.0, 0.3, 0.05], [2, 5, 10])
    ft = np.repeat(tpow / [2, 5, 10], [2, 5, 10])
    np.testing.assert_allclose(r.excess, rmt.online_sgd_risk(flat, ft, 0.1, 0.3, 2, 80).excess, rtol=1e-13)


# --------------------------------------------------------------------------- stability


def _spectral_radius(eigs, lr, B, kurtosis):
    """Spectral radius of the exact linear map on the per-mode moments, diag(a) + b 1ᵀ (dense)."""
    a = (1 - lr * eigs) ** 2 + lr**2 / B * (kurtosis - 2) * eigs**2
    b = lr**2 / B * eigs**2
    return np.max(np.abs(np.linalg.eigvals(np.diag(a) + np.outer(b, np.ones_like(b)))))


@pytest.mark.parametrize("kurtosis, B", [(3.0, 1), (3.0, 8), (1.0, 1), (1.2, 2), (9.0, 1)])
def test_stable_lr_is_where_the_spectral_radius_reaches_one(kurtosis, B):
    for eigs in (np.array([2.0, 0.05, 0.01]), np.arange(1, 21.0) ** -1.2, np.array([1.0])):
        lr_max = rmt.sgd_stable_lr(eigs, B, kurtosis=kurtosis)
        assert _spectral_radius(eigs, lr_max * (1 - 1e-6), B, kurtosis) < 1
        assert _spectral_radius(eigs, lr_max * (1 + 1e-6), B, kurtosis) > 1


def test_unstable_constant_lr_raises_with_range_and_schedule_warns():
    eigs, tpow = _problem(D=50)
    lr_max = rmt.sgd_stable_lr(eigs, 1)
    r = rmt.online_sgd_risk(eigs, tpow, 0.1, lr_max * (1 - 1e-9), 1, 10)
    assert r.lr_max == pytest.approx(lr_max, rel=1e-14)
    with pytest.raises(ValueError, match=r"^lr must be in the stable range 0 < lr < "):
        rmt.online_sgd_risk(eigs, tpow, 0.1, lr_max * (1 + 1e-9), 1, 10)
    lr = np.full(20, 0.5 * lr_max)
    lr[5:8] = lr_max * (1 + 1e-9)
    with pytest.warns(RuntimeWarning, match="lr leaves the stable range on 3 of 20 steps"):
        rmt.online_sgd_risk(eigs, tpow, 0.1, lr, 1, 20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rmt.online_sgd_risk(eigs, tpow, 0.1, np.linspace(0.1, 0.9, 20) * lr_max, 1, 20)


def test_bad_input_names_the_argument():
    eigs, tpow = _problem(D=10)
    good = dict(eigs=eigs, target_power=tpow, noise=0.1, lr=0.3, batch=1, steps=10)
    cases = [
        ("lr", dict(lr=0.0)),
        ("lr", dict(lr=-1.0)),
        ("lr", dict(lr=np.full(9, 0.3))),
        ("lr", dict(lr=50.0)),
        ("batch", dict(batch=0)),
        ("batch", dict(batch=1.5)),
        ("batch", dict(batch=np.ones(11))),
        ("steps", dict(steps=-1)),
        ("lr", dict(lr=-1.0, steps=0)),
        ("batch", dict(batch=0, steps=0)),
        ("steps", dict(steps=2.5)),
        ("noise", dict(noise=-0.1)),
        ("noise", dict(noise=np.nan)),
        ("kurtosis", dict(kurtosis=0.5)),
        ("target_power", dict(target_power=-tpow)),
        ("target_power", dict(eigs=np.r_[eigs[:-1], 0.0])),
        ("eigs", dict(eigs=rmt.spectra.PowerLaw(1.5))),
    ]
    for fn in (rmt.online_sgd_risk, rmt.simulate.online_sgd_risk):
        for name, change in cases:
            kw = {**good, **change}
            kurt = kw.pop("kurtosis", 3.0)
            if fn is rmt.simulate.online_sgd_risk and np.array_equal(change.get("lr"), 50.0):
                continue  # the twin simulates unstable rates as asked
            if fn is rmt.online_sgd_risk and "eigs" in change and change["eigs"] is not None and \
                    getattr(change["eigs"], "infinite", False):
                continue  # the theory sums an infinite tail; only the twin needs every mode
            with pytest.raises(ValueError, match=rf"^{name}"):
                fn(*kw.values(), kurtosis=kurt)
    with pytest.raises(ValueError, match="the Monte Carlo twin draws every mode"):
        rmt.simulate.online_sgd_risk(rmt.spectra.PowerLaw(1.5), 0.0, 0.1, 0.1, 1, 5)
    with pytest.raises(ValueError, match="^trials"):
        rmt.simulate.online_sgd_risk(eigs, tpow, 0.1, 0.3, 1, 5, trials=1)


# --------------------------------------------------------------------------- infinite power laws


def _explicit_with_frozen_rest(alpha, beta, D):
    """2·10⁵-type referee: D explicit modes k^-α, k^-β plus one (nearly) frozen level with the rest of the power,
    Σ_{k>D} k^-β; it errs by the motion of the modes beyond D, O(ηT D^{1-α-β}) and O(Σlr²/B D^{1-2α})."""
    from scipy.special import zeta

    k = np.arange(1, D + 1.0)
    return np.r_[k**-alpha, 1e-300], np.r_[k**-beta, zeta(beta, D + 1)]


@pytest.mark.parametrize("schedule", [False, True])
def test_infinite_power_law_against_explicit_modes(schedule):
    """Infinite PowerLaw through the analytic tail (a few hundred pseudo-levels): with α = 2.5 the explicit
    referee is exact to ~1e-16 and they agree to 1e-12 (constant lr, batch 2; warm-up + cosine, batch ramp)."""
    alpha, beta, steps = 2.5, 2.0, 1500
    lr_max = rmt.sgd_stable_lr(rmt.spectra.PowerLaw(alpha), 2)
    if schedule:
        t = np.arange(steps)
        lr = 0.7 * lr_max * np.minimum(1.0, (t + 1) / 100) * 0.5 * (1 + np.cos(np.pi * t / steps))
        batch = np.where(t < 500, 2, 8)
    else:
        lr, batch = 0.6 * lr_max, 2
    r = rmt.online_sgd_risk(rmt.spectra.PowerLaw(alpha), rmt.spectra.PowerLaw(beta), 0.1, lr, batch, steps)
    ref = rmt.online_sgd_risk(*_explicit_with_frozen_rest(alpha, beta, 200_000), 0.1, lr, batch, steps)
    for f in ("excess", "bias", "variance"):
        a, b = getattr(r, f), getattr(ref, f)
        np.testing.assert_allclose(a[1:], b[1:], rtol=1e-12, err_msg=f)


def test_infinite_power_law_slow_tail_converges():
    """α = 1.5, β = 1.3: the explicit referee's own error (the motion of the dropped modes) falls like D^{1-α-β}
    per decade, and the infinite curve is its limit; cost does not depend on the number of modes."""
    alpha, beta, steps, lr = 1.5, 1.3, 800, 0.4
    r = rmt.online_sgd_risk(rmt.spectra.PowerLaw(alpha), rmt.spectra.PowerLaw(beta), 0.1, lr, 1, steps)
    errs = []
    for D in (20_000, 200_000):
        ref = rmt.online_sgd_risk(*_explicit_with_frozen_rest(alpha, beta, D), 0.1, lr, 1, steps)
        errs.append(np.max(np.abs(ref.excess - r.excess) / r.excess))
    assert errs[1] < errs[0] * 10 ** (1 - alpha - beta) * 2
    assert errs[1] < 1e-6


def test_infinite_power_law_stability_and_stationary():
    """lr_max and S = Σ_k b_k/(1 - a_k) with the tail summed analytically: the truncations converge to them like
    D^{1-α}; beyond lr_max a ValueError; the noise-driven curve approaches noise·S/(1 - S) like t^{-(1-1/α)}."""
    alpha = 2.0
    pl = rmt.spectra.PowerLaw(alpha)
    lr_inf = rmt.sgd_stable_lr(pl, 4)
    d = [abs(rmt.sgd_stable_lr(rmt.spectra.power_law(D, alpha), 4) - lr_inf) for D in (1000, 10000)]
    np.testing.assert_allclose(d[1] / d[0], 10.0 ** (1 - alpha), rtol=0.05)
    with pytest.raises(ValueError, match="^lr must be in the stable range"):
        rmt.online_sgd_risk(pl, 0.0, 0.1, 1.001 * lr_inf, 4, 10)
    r = rmt.online_sgd_risk(pl, 0.0, 0.1, 0.5, 1, 10**5)
    rd = rmt.online_sgd_risk(rmt.spectra.power_law(10**5, alpha), 0.0, 0.1, 0.5, 1, 1)
    assert abs(rd.kernel_sum - r.kernel_sum) < 2 * 0.5 * 10.0**-5  # lr Σ_{k>D} λ/2 ≈ lr D^{1-α}/(2(α-1))
    assert r.kernel_sum > rd.kernel_sum
    gap = r.stationary - r.variance[[10**4, 10**5]]
    assert np.all(gap > 0)
    np.testing.assert_allclose(gap[1] / gap[0], 10.0 ** -(1 - 1 / alpha), rtol=0.1)


# --------------------------------------------------------------------------- Monte Carlo twin

# The recursion is exact at every D (no asymptotics), so the only allowance beyond
# 4.5 standard errors is 1e-3 relative for the float64 / SE-estimate slack.
_CASES = [
    # (lr as fraction of lr_max, batch, noise, kurtosis, schedule)
    (0.25, 1, 0.1, 3.0, None),
    (0.5, 1, 0.0, 3.0, None),
    (0.5, 8, 0.2, 3.0, None),
    (0.35, 8, 0.05, 3.0, "cosine"),
    (0.4, 1, 0.1, 1.0, None),
    (0.45, 2, 0.1, 5.0, None),
    (0.5, 1, 1.0, 3.0, "pure noise"),
]


@pytest.mark.montecarlo
@pytest.mark.parametrize("frac, B, noise, kurtosis, schedule", _CASES)
def test_theory_matches_simulation(frac, B, noise, kurtosis, schedule):
    eigs, tpow = _problem(D=200, alpha=1.2, beta=0.4)
    steps = 300
    lr = frac * rmt.sgd_stable_lr(eigs, B, kurtosis=kurtosis)
    if schedule == "cosine":
        t = np.arange(steps)
        lr = 2 * lr * np.minimum(1.0, (t + 1) / 30) * 0.5 * (1 + np.cos(np.pi * t / steps))
    if schedule == "pure noise":
        tpow = 0.0 * tpow
    trials = int(400 * mc_scale())
    th = rmt.online_sgd_risk(eigs, tpow, noise, lr, B, steps, kurtosis=kurtosis)
    mc = rmt.simulate.online_sgd_risk(eigs, tpow, noise, lr, B, steps, kurtosis=kurtosis, trials=trials, seed=7)
    idx = [1, 5, 30, 100, steps]
    for field in ("excess", "bias", "test") if schedule != "pure noise" else ("excess", "test"):
        pred, mean, se = (np.asarray(getattr(o, f))[idx] for o, f in ((th, field), (mc, field), (mc, field + "_se")))
        np.testing.assert_array_less(np.abs(mean - pred), 4.5 * se + 1e-3 * pred)
    if noise > 0:
        np.testing.assert_array_less(np.abs(mc.variance[idx] - th.variance[idx]), 4.5 * mc.variance_se[idx] + 1e-3 * th.excess[idx])
    assert mc.excess[0] == pytest.approx(tpow.sum(), rel=1e-12, abs=1e-300) and mc.train is None


def test_simulation_noise_array_and_seed_contract():
    eigs, tpow = _problem(D=20)
    a = rmt.simulate.online_sgd_risk(eigs, tpow, [0.0, 0.3], 0.4, 2, 30, trials=4, seed=3)
    b = rmt.simulate.online_sgd_risk(eigs, tpow, 0.3, 0.4, 2, 30, trials=4, seed=3)
    assert a.excess.shape == (2, 31)
    np.testing.assert_allclose(a.excess[1], b.excess, rtol=1e-14)
    np.testing.assert_allclose(a.bias[0], a.excess[0], rtol=1e-14)
    np.testing.assert_allclose(a.bias[1], a.bias[0], rtol=0)


def test_three_point_coordinates_have_the_asked_moments():
    from rmt.simulate.sgd import _draw

    for kurtosis in (1.0, 1.7, 5.0):
        z = _draw(np.random.default_rng(0), 400_000, kurtosis)
        assert np.mean(z) == pytest.approx(0, abs=0.01)
        assert np.mean(z**2) == pytest.approx(1, rel=0.01)
        assert np.mean(z**4) == pytest.approx(kurtosis, rel=0.03)


def test_simulation_trials_equal_a_plain_numpy_run_on_the_same_draws():
    from rmt.simulate.sgd import _draw

    eigs, tpow = _problem(D=15)
    noise = np.array([0.0, 0.25, 1.0])
    lr = np.linspace(0.5, 0.2, 12)
    batch = np.array([1, 3, 2, 1, 4, 1, 1, 2, 2, 5, 1, 1])
    for kurtosis in (3.0, 1.5):
        mc = rmt.simulate.online_sgd_risk(eigs, tpow, noise, lr, batch, 12, kurtosis=kurtosis, trials=3, seed=11,
                                          keep_trials=True)
        wstar = np.sqrt(tpow / eigs)
        for i, child in enumerate(np.random.SeedSequence(11).spawn(3)):
            rng = np.random.default_rng(child)
            z = _draw(rng, (batch.sum(), eigs.size), kurtosis)
            xi = rng.standard_normal(batch.sum())
            for j, sigma2 in enumerate(noise):
                X = z * np.sqrt(eigs)
                y = X @ wstar + np.sqrt(sigma2) * xi
                w = np.zeros_like(eigs)
                ref = [np.sum(eigs * (w - wstar) ** 2)]
                o = 0
                for t in range(12):
                    Xb, yb = X[o:o + batch[t]], y[o:o + batch[t]]
                    w = w - lr[t] / batch[t] * Xb.T @ (Xb @ w - yb)
                    o += batch[t]
                    ref.append(np.sum(eigs * (w - wstar) ** 2))
                np.testing.assert_allclose(mc.per_trial["excess"][i, j], ref, rtol=1e-11)


# --------------------------------------------------------------------------- laws (hypothesis)

@given(
    eigs=st.lists(st.floats(1e-3, 10.0), min_size=1, max_size=8),
    frac=st.floats(0.05, 0.95),
    B=st.integers(1, 16),
    kurtosis=st.floats(1.0, 12.0),
    noise=st.floats(0.0, 5.0),
)
def test_recursion_is_the_matrix_map_and_stationary_its_fixed_point(eigs, frac, B, kurtosis, noise):
    eigs = np.array(eigs)
    tpow = np.linspace(1.0, 0.2, eigs.size)
    lr = frac * rmt.sgd_stable_lr(eigs, B, kurtosis=kurtosis)
    a = (1 - lr * eigs) ** 2 + lr**2 / B * (kurtosis - 2) * eigs**2
    b = lr**2 / B * eigs**2
    T = np.diag(a) + np.outer(b, np.ones_like(b))  # e(t+1) = T e(t) + b·noise
    r = rmt.online_sgd_risk(eigs, tpow, noise, lr, B, 40, kurtosis=kurtosis)
    e, ref = tpow.copy(), []
    for _ in range(41):
        ref.append(e.sum())
        e = T @ e + b * noise
    np.testing.assert_allclose(r.excess, ref, rtol=1e-10, atol=1e-14)
    fixed = np.sum(np.linalg.solve(np.eye(eigs.size) - T, b * noise))
    assert r.stationary == pytest.approx(fixed, rel=1e-8, abs=1e-14)
    assert np.all(r.bias >= 0) and np.all(r.variance >= -1e-15 * r.excess)


def test_schedule_that_stays_unstable_overflows_loudly():
    eigs, tpow = _problem(D=20)
    lr = np.full(5000, 1.8 * rmt.sgd_stable_lr(eigs, 1))
    lr[0] = 0.1
    with pytest.warns(RuntimeWarning, match="lr leaves the stable range on 4999 of 5000 steps"):
        with pytest.raises(FloatingPointError, match="overflowed"):
            rmt.online_sgd_risk(eigs, tpow, 0.1, lr, 1, 5000)


def test_power_law_time_exponent_of_online_sgd():
    """Clean online SGD on λ_k = k^-α, v_k² ∝ k^-β: excess ~ t^{-(β-1)/α} (the population-GD exponent;
    Bordelon & Pehlevan, "Learning curves for SGD on structured features", ICLR 2022) while the head
    of the spectrum is being learned and the finite-D tail is not yet reached."""
    D, alpha, beta = 20000, 1.5, 1.8
    k = np.arange(1, D + 1.0)
    eigs, task = k**-alpha, k**-beta / np.sum(k**-beta)
    r = rmt.online_sgd_risk(eigs, task, 0.0, 0.5 * rmt.sgd_stable_lr(eigs, 1), 1, 3000)
    t = np.arange(3001)
    window = (t >= 100) & (t <= 3000)
    slope = np.polyfit(np.log(t[window]), np.log(r.excess[window]), 1)[0]
    # the discrete sum and the O(lr²) SGD-noise correction bend the curve by a few 1e-3 over this window
    assert slope == pytest.approx(-(beta - 1) / alpha, abs=0.01)


# --------------------------------------------------------------------------- heavy-ball momentum


def _dense_momentum_excess(eigs, tpow, noise, lr, batch, mom, steps, kurtosis):
    """Exact D×D propagation of C = E ΔΔᵀ, X = E Δ Δ_prevᵀ, P = E Δ_prev Δ_prevᵀ for
    Δ' = ((1+β)I - ηΣ)Δ - βΔ_prev - η ξ, ξ the minibatch gradient noise (E ξξᵀ = (M(C) - ΣCΣ + σ²Σ)/B)."""
    D = eigs.size
    s = np.sqrt(eigs)
    X4 = _fourth_moment(D, kurtosis) * np.einsum("a,b,c,d->abcd", s, s, s, s)
    Sig = np.diag(eigs)
    wstar = np.sqrt(tpow / eigs) * np.where(np.arange(D) % 2, -1.0, 1.0)
    C = np.outer(wstar, wstar)
    X, P = C.copy(), C.copy()
    lr, batch, mom = (np.broadcast_to(v, (steps,)) for v in (lr, batch, mom))
    out = [np.trace(Sig @ C)]
    for t in range(steps):
        Mx = (1 + mom[t]) * np.eye(D) - lr[t] * Sig
        M4 = np.einsum("abcd,cd->ab", X4, C)
        Cn = (Mx @ C @ Mx - mom[t] * (Mx @ X + X.T @ Mx) + mom[t] ** 2 * P
              + lr[t] ** 2 / batch[t] * (M4 - Sig @ C @ Sig + noise * Sig))
        X, P, C = Mx @ C - mom[t] * X.T, C, Cn
        out.append(np.trace(Sig @ C))
    return np.array(out)


@pytest.mark.parametrize("kurtosis, frac, batch, noise, mom", [
    (3.0, 0.7, 1, 0.2, 0.5), (3.0, 0.9, 4, 0.0, 0.9), (2.0, 0.5, 2, 0.3, 0.3), (6.0, 0.8, 3, 0.1, 0.7),
])
def test_momentum_recursion_equals_dense_second_moment(kurtosis, frac, batch, noise, mom):
    eigs = np.array([1.3, 0.8, 0.5, 0.31, 0.2, 0.05])
    tpow = np.array([0.3, 0.1, 0.25, 0.05, 0.2, 0.1])
    lr = frac * rmt.sgd_stable_lr(eigs, batch, kurtosis=kurtosis, momentum=mom)
    steps = 60
    ref = _dense_momentum_excess(eigs, tpow, noise, lr, batch, mom, steps, kurtosis)
    r = rmt.online_sgd_risk(eigs, tpow, noise, lr, batch, steps, kurtosis=kurtosis, momentum=mom)
    np.testing.assert_allclose(r.excess, ref, rtol=1e-11, atol=0)


def test_momentum_schedule_equals_dense():
    eigs = np.array([1.3, 0.8, 0.5, 0.31, 0.2, 0.05])
    tpow = np.array([0.3, 0.1, 0.25, 0.05, 0.2, 0.1])
    steps = 50
    t = np.arange(steps)
    mom = np.minimum(0.8, t / 40)  # a warm-up of the momentum (DANA-style schedules are of this kind)
    lr = 0.06 + 0.03 * np.cos(t)
    batch = 1 + (t % 3)
    ref = _dense_momentum_excess(eigs, tpow, 0.1, lr, batch, mom, steps, 3.0)
    r = rmt.online_sgd_risk(eigs, tpow, 0.1, lr, batch, steps, momentum=mom)
    np.testing.assert_allclose(r.excess, ref, rtol=1e-11, atol=0)
    assert r.stationary is None


def test_momentum_zero_is_the_plain_path_bit_for_bit():
    eigs, tpow = _problem(D=200)
    a = rmt.online_sgd_risk(eigs, tpow, 0.1, 0.3, 2, 300)
    b = rmt.online_sgd_risk(eigs, tpow, 0.1, 0.3, 2, 300, momentum=np.zeros(300))
    c = rmt.online_sgd_risk(eigs, tpow, 0.1, 0.3, 2, 300, momentum=1e-300)  # the three-moment kernel
    np.testing.assert_array_equal(a.excess, b.excess)
    np.testing.assert_allclose(c.excess, a.excess, rtol=1e-14, atol=0)
    assert a.kernel_sum == b.kernel_sum and a.lr_max == b.lr_max
    sa = rmt.simulate.online_sgd_risk(eigs, tpow, 0.1, 0.3, 2, 40, trials=3, seed=4)
    sb = rmt.simulate.online_sgd_risk(eigs, tpow, 0.1, 0.3, 2, 40, momentum=0.0, trials=3, seed=4)
    np.testing.assert_array_equal(sa.excess, sb.excess)


def _moment_map(eigs, lr, B, beta, kurtosis):
    """The full linear map of the three-moment recursion (3L × 3L), for its spectral radius."""
    L = eigs.size
    y = lr * eigs
    r = 1 + beta - y
    T = np.zeros((3 * L, 3 * L))
    for j in range(L):
        e, x, d = 3 * j, 3 * j + 1, 3 * j + 2
        T[e, e] += r[j] ** 2 + (kurtosis - 2) / B * y[j] ** 2
        T[e, x] = -2 * beta * r[j]
        T[e, d] = beta**2
        T[e, 0::3] += y[j] ** 2 / B  # b_j (E + σ²), E = Σ e
        T[x, e] = r[j]
        T[x, x] = -beta
        T[d, e] = 1.0
    return T


@pytest.mark.parametrize("B, beta, kurtosis", [(1, 0.5, 3.0), (4, 0.9, 3.0), (2, 0.3, 2.0), (1, 0.95, 5.0)])
def test_momentum_stable_range_is_the_spectral_radius_edge(B, beta, kurtosis):
    eigs = np.array([1.0, 0.6, 0.3, 0.1, 0.03])
    lr_max = rmt.sgd_stable_lr(eigs, B, kurtosis=kurtosis, momentum=beta)
    rho = lambda lr: np.max(np.abs(np.linalg.eigvals(_moment_map(eigs, lr, B, beta, kurtosis))))  # noqa: E731
    assert rho(0.999 * lr_max) < 1 < rho(1.001 * lr_max)
    with pytest.raises(ValueError, match=r"^lr must be in the stable range 0 < lr < .*momentum"):
        rmt.online_sgd_risk(eigs, 0.1 * eigs, 0.1, 1.001 * lr_max, B, 5, kurtosis=kurtosis, momentum=beta)
    r = rmt.online_sgd_risk(eigs, 0.1 * eigs, 0.1, 0.5 * lr_max, B, 20000, kurtosis=kurtosis, momentum=beta)
    np.testing.assert_allclose(r.excess[-1], r.stationary, rtol=1e-8)
    assert r.lr_max == pytest.approx(lr_max, rel=1e-14)


def test_bad_momentum_is_refused():
    eigs, tpow = _problem(D=20)
    for bad, msg in ((1.0, "momentum must be in"), (-0.1, "momentum must be"), (np.ones(3), "momentum must be")):
        with pytest.raises(ValueError, match="^" + msg):
            rmt.online_sgd_risk(eigs, tpow, 0.1, 0.1, 1, 5, momentum=bad)
    with pytest.raises(ValueError, match="^momentum must be 0 when kurtosis < 2"):
        rmt.online_sgd_risk(eigs, tpow, 0.1, 0.1, 1, 5, kurtosis=1.5, momentum=0.3)


@pytest.mark.montecarlo
@pytest.mark.parametrize("beta, frac, B", [(0.5, 0.5, 1), (0.9, 0.5, 4), (0.9, 0.8, 1)])
def test_momentum_theory_matches_simulation(beta, frac, B):
    eigs, tpow = _problem(D=200, alpha=1.2, beta=0.4)
    steps = 300
    lr = frac * rmt.sgd_stable_lr(eigs, B, momentum=beta)
    th = rmt.online_sgd_risk(eigs, tpow, 0.1, lr, B, steps, momentum=beta)
    mc = rmt.simulate.online_sgd_risk(eigs, tpow, 0.1, lr, B, steps, momentum=beta, trials=int(300 * mc_scale()),
                                      seed=9)
    idx = [1, 5, 30, 100, steps]
    for field in ("excess", "bias"):
        pred, mean, se = (np.asarray(getattr(o, f))[idx] for o, f in ((th, field), (mc, field), (mc, field + "_se")))
        np.testing.assert_array_less(np.abs(mean - pred), 4.5 * se + 1e-3 * pred)
