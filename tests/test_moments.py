# SPDX-License-Identifier: BSD-3-Clause
"""The one-κ spectral moments kernel (rmt._kernels.sums.moments) and the first-order conditions built on it."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from rmt.resolvent import onepoint as R1
from rmt.resolvent.free import solve_chain
from rmt.resolvent.onepoint import FOC_RF, FOC_RIDGE, path_condition, prepare, prepare_task, spectral_moments
from rmt.spectra import PowerLaw

LEVEL1 = [R1.DF1, R1.DF2, R1.DD, R1.W, R1.SL, R1.B0, R1.SV, R1.TV]


def _dense(vals, mult, tpow, k):
    """Every column by dense numpy over the caller's levels (zero eigenvalues: L = 0)."""
    pos = vals > 0
    lam, m, v = vals[pos], mult[pos], tpow[pos]
    q = 1.0 / (lam + k)
    L, u = lam * q, k * q
    out = np.empty(R1.NMOM)
    out[R1.DF1], out[R1.DF2], out[R1.DD], out[R1.W] = m @ L, m @ L**2, m @ (L * u), m @ u
    out[R1.SL], out[R1.SL2], out[R1.X1] = m @ (L**2 * q), m @ (L**2 * q**2), m @ (L**2 * u)
    out[R1.B0] = v @ u**2 + tpow[~pos].sum()
    out[R1.SV], out[R1.SVP] = v @ (L * u * q), v @ (lam * (lam - 2 * k) * q**4)
    out[R1.TV], out[R1.X2] = v @ (L * u), v @ (L * u**2)
    return out


@pytest.mark.parametrize("kappa", [1e-6, 0.03, 0.7, 40.0, 0.0, -0.4])
def test_moments_match_dense_numpy(kappa):
    g = np.random.default_rng(7)
    vals = np.r_[g.uniform(0.5, 3.0, 40), 0.0, 0.0, 1.25, 1.25]  # zeros and a repeated level (merged)
    tpow = g.uniform(0, 1, vals.size)
    lv = prepare(vals)
    got = spectral_moments(lv, tpow, np.array([kappa]))[0]
    ref = _dense(vals, np.ones(vals.size), tpow, kappa)
    np.testing.assert_allclose(got, ref, rtol=1e-13, atol=0)
    lean = spectral_moments(lv, tpow, np.array([kappa]), full=False)[0]
    np.testing.assert_allclose(lean[LEVEL1], ref[LEVEL1], rtol=1e-13, atol=0)
    assert not np.delete(lean, LEVEL1).any()  # the cheaper pass leaves the other columns at 0


def test_moments_at_infinity():
    vals = np.array([2.0, 1.0, 0.0])
    tpow = np.array([0.5, 0.25, 0.125])
    got = spectral_moments(prepare(vals), tpow, np.array([np.inf]))[0]
    ref = np.zeros(R1.NMOM)
    ref[R1.W], ref[R1.B0] = 2.0, 0.875
    np.testing.assert_array_equal(got, ref)


def _mp_tail(alpha, beta, t, M, kappa, column):
    """``Σ_{k>M}`` of one column for ``λ = k^-α``, ``v² = t k^-β`` (mpmath Euler–Maclaurin)."""
    kap = mp.mpf(kappa)

    def term(k):
        lam = mp.mpf(k) ** (-alpha)
        v = t * mp.mpf(k) ** (-beta)
        q = 1 / (lam + kap)
        L, u = lam * q, kap * q
        return {
            R1.DF1: L, R1.DF2: L**2, R1.DD: L * u, R1.SL: L**2 * q, R1.SL2: L**2 * q**2, R1.X1: L**2 * u,
            R1.B0: v * u**2, R1.SV: v * L * u * q, R1.SVP: v * lam * (lam - 2 * kap) * q**4, R1.TV: v * L * u,
            R1.X2: v * L * u**2,
        }[column]

    with mp.workdps(45):  # sumem's numerical derivatives lose digits: guard digits (as the referee does)
        return float(mp.sumem(term, [M + 1, mp.inf]))


@pytest.mark.parametrize("kappa", [1e-4, 0.05])
def test_moments_tail_columns_against_mpmath(kappa):
    alpha, beta, t = 1.5, 1.3, 0.8
    lv, tpow = prepare_task(PowerLaw(alpha), PowerLaw(beta, t))
    M = int(lv.tail[0])
    got = spectral_moments(lv, tpow, np.array([kappa]))[0]
    head = _dense(lv.all_vals, lv.all_mult, tpow, kappa)
    for col in (R1.DF1, R1.DF2, R1.DD, R1.SL, R1.SL2, R1.X1, R1.B0, R1.SV, R1.SVP, R1.TV, R1.X2):
        tail = _mp_tail(alpha, beta, t, M, kappa, col)
        assert got[col] == pytest.approx(head[col] + tail, rel=1e-12, abs=0), col
    assert got[R1.W] == np.inf


def _rf_log_test(lv, tpow, gamma, n, p, c, noise):
    """log of the random-feature test risk ``n N/D`` along γ (module notes of rmt._kernels.optimal)."""
    S = spectral_moments(lv, tpow, np.asarray(gamma, dtype=np.float64))
    cg = c / gamma
    a = n - S[..., R1.DF1] - cg
    b = p - S[..., R1.DF1] - cg
    e = S[..., R1.DD] + cg
    N = (b + e) * (S[..., R1.B0] + noise) + e * S[..., R1.TV]
    return np.log(n * N / (a * b + a * e + b * e))


def _ridge_log_ratio(lv, tpow, kappa, n, noise):
    """The ridge condition's ``log(S_v (n - df2)) - log((B0 + σ²) S_λ)`` by its definition."""
    S = spectral_moments(lv, tpow, np.asarray(kappa, dtype=np.float64))
    return np.log(S[..., R1.SV] * (n - S[..., R1.DF2])) - np.log((S[..., R1.B0] + noise) * S[..., R1.SL])


@pytest.mark.parametrize("gamma", [1e-3, 0.05, 3.0])
def test_rf_condition_is_the_log_derivative_of_the_test_risk(gamma):
    """F_rf = d log test / d log γ (its X₁, X₂ terms) against a central difference of the risk itself."""
    g = np.random.default_rng(11)
    vals = np.sort(g.uniform(0.01, 2.0, 300))[::-1]
    tpow = g.uniform(0, 1, 300) * vals
    lv = prepare(vals)
    n, p, c, noise = 120.0, 80.0, 0.7, 0.3
    gamma = float(solve_chain(vals, [p, n], 0.0, feature_noise=c).gamma) * (1 + gamma)  # above γ₀: admissible
    rows = spectral_moments(lv, tpow, np.array([gamma]))
    got = path_condition(lv, FOC_RF, rows, np.array([gamma]), np.array([[n, noise, p, c]]))[0]
    h = 1e-5
    ref = (_rf_log_test(lv, tpow, gamma * np.exp(h), n, p, c, noise)
           - _rf_log_test(lv, tpow, gamma * np.exp(-h), n, p, c, noise)) / (2 * h)
    assert got == pytest.approx(ref, rel=1e-7, abs=1e-9)


def test_ridge_condition_value_and_root_slope():
    """F_ridge from the kernel equals its definition; the refined optimum is where it vanishes."""
    import rmt

    vals = 1.0 / np.arange(1, 401) ** 1.3
    tpow = vals**1.1
    lv = prepare(vals)
    n, noise = 90.0, 0.2
    kappa = np.array([1e-3, 2e-2])
    rows = spectral_moments(lv, tpow, kappa)
    par = np.array([[n, noise, 0.0, 0.0]] * 2)
    with np.errstate(all="ignore"):
        got = path_condition(lv, FOC_RIDGE, rows, kappa, par)
        # F uses n - df2 = (n - df1) + (df1 - df2); same value up to rounding
        np.testing.assert_allclose(got, _ridge_log_ratio(lv, tpow, kappa, n, noise), rtol=1e-12)
    res = rmt.optimal_ridge(vals, tpow, noise, n)
    k = float(res.kappa)
    assert abs(_ridge_log_ratio(lv, tpow, np.array([k]), n, noise)[0]) < 1e-12
