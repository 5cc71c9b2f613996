# SPDX-License-Identifier: BSD-3-Clause
"""Spectra and tasks: factories, spectra read off kernels and data, validation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rmt
from rmt.spectra import Spectrum, atoms, from_data, from_kernel, isotropic, power_law, power_law_target


def test_factories():
    np.testing.assert_allclose(power_law(4, 2.0, scale=3.0), [3.0, 0.75, 1 / 3, 0.1875])
    t = power_law_target(100, 1.2, total=2.5)
    assert t.sum() == pytest.approx(2.5) and np.all(np.diff(t) < 0)
    iso = isotropic(50, 2.0)
    assert iso.D == 50 and iso.rank == 50 and iso.trace == 100 and len(iso) == 1
    assert np.asarray(iso).shape == (50,)
    a = atoms([1.0, 0.0], [3, 2])
    assert a.D == 5 and a.rank == 3
    np.testing.assert_array_equal(np.asarray(a), [1, 1, 1, 0, 0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: power_law(0, 1.0), "D must be an integer >= 1"),
        (lambda: power_law(10.5, 1.0), "D must be an integer"),
        (lambda: power_law(10, 1.0, scale=-1), "scale must be > 0"),
        (lambda: power_law_target(10, 1.0, total=-1), "total must be >= 0"),
        (lambda: isotropic(10, 0.0), "value must be > 0"),
        (lambda: atoms([1.0, 2.0], [1]), "multiplicities must have the same length"),
        (lambda: Spectrum([1.0, 2.0], [1.0, 0.0]), "multiplicity must be finite and > 0"),
        (lambda: Spectrum([1.0, -2.0]), "eigs must be finite and >= 0"),
        (lambda: from_kernel(np.ones((3, 2))), "K must be a square matrix"),
        (lambda: from_kernel(np.array([[1.0, 2.0], [0.0, 1.0]])), "K must be symmetric"),
        (lambda: from_kernel(np.array([[1.0, 2.0], [2.0, 1.0]])), "positive semi-definite"),
        (lambda: from_kernel(np.eye(3), np.ones(4)), "y must have one label per pool point"),
        (lambda: from_data(np.ones(5)), "X must be a 2-D data matrix"),
        (lambda: from_data(np.ones((5, 2)), np.ones(3)), "y must have one label per row"),
        (lambda: from_data(np.full((5, 2), np.nan)), "X must be finite"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@given(st.integers(0, 2**32 - 1))
def test_from_kernel_task_is_the_labels(seed):
    """Eigendecomposition of the pool kernel: Σ v_k² = |y|²/N, and the kernel is rebuilt from it."""
    rng = np.random.default_rng(seed)
    N = 30
    Z = rng.standard_normal((N, 5))
    K = np.exp(-0.5 * ((Z[:, None] - Z[None]) ** 2).sum(-1))
    y = rng.standard_normal(N)
    eigs, tp, noise = from_kernel(K, y)
    assert noise == 0.0 and eigs.shape == tp.shape == (N,)
    assert tp.sum() == pytest.approx(y @ y / N, rel=1e-10)
    assert eigs.sum() == pytest.approx(np.trace(K) / N, rel=1e-10)
    assert np.all(np.diff(eigs) <= 0) and eigs.min() >= 0
    np.testing.assert_allclose(from_kernel(K), eigs)


def test_from_data_recovers_a_planted_task():
    """A large sample from a known model: eigs → Σ, target power → eigs·w*², noise → σ²."""
    rng = np.random.default_rng(0)
    N, D = 200_000, 6
    lam = np.array([3.0, 2.0, 1.0, 0.5, 0.25, 0.1])
    w = np.array([0.5, -1.0, 0.3, 0.0, 2.0, 0.1])
    X = rng.standard_normal((N, D)) * np.sqrt(lam)
    y = X @ w + 0.3 * rng.standard_normal(N)
    eigs, tp, noise = from_data(X, y)
    se = 1 / np.sqrt(N)
    # eigenvalues of a sample covariance: relative SE sqrt(2/N)
    np.testing.assert_allclose(eigs, lam, rtol=5 * np.sqrt(2) * se)
    # target power: the sample eigenvectors rotate by angles ~ sqrt(λ_j λ_k)/|λ_j - λ_k|/sqrt(N)
    # (first-order perturbation), mixing in 2·angle·sqrt(tp_j tp_k), plus the noise in w* itself
    true = lam * w**2
    mix = np.sqrt(np.outer(lam, lam)) / np.abs(np.subtract.outer(lam, lam) + np.eye(D)) * (1 - np.eye(D))
    allowance = 5 * se * (2 * (mix * np.sqrt(np.outer(true, true))).sum(1) + 2 * 0.3 * np.sqrt(true) + 0.09)
    np.testing.assert_array_less(np.abs(tp - true), allowance)  # eigs come sorted like lam here
    # residual variance: relative SE sqrt(2/N)
    assert noise == pytest.approx(0.09, rel=5 * np.sqrt(2) * se)
    # the three pieces reproduce the label variance exactly (Pythagoras in L²(data))
    assert tp.sum() + noise == pytest.approx(y @ y / N, rel=1e-10)
    # and the task plugs straight into the predictors
    r = rmt.ridge_risk(*from_data(X, y), 50, 1e-3)
    assert np.isfinite(r.test)


def test_from_data_rank_deficient():
    """Collinear columns give zero eigenvalues with zero target power (not NaN)."""
    rng = np.random.default_rng(1)
    A = rng.standard_normal((100, 2))
    X = np.column_stack([A, A[:, 0] + A[:, 1]])
    eigs, tp, noise = from_data(X, A[:, 0])
    assert eigs[-1] == pytest.approx(0.0, abs=1e-12) and tp[-1] == 0.0
    assert noise == pytest.approx(0.0, abs=1e-10)
    assert np.all(np.isfinite(tp))


def test_growing_power_law_target_is_normalized_in_logs():
    """beta < 0 with total: k^200 overflows but the normalized task is finite (was NaN); without total: refused."""
    from rmt.spectra import power_law_target

    t = power_law_target(3000, -200.0, total=1.0)
    assert np.isfinite(t).all() and t.sum() == pytest.approx(1.0, rel=1e-14)
    assert t[-1] / t[-2] == pytest.approx((3000 / 2999) ** 200, rel=1e-10)
    with pytest.raises(ValueError, match="^beta = -200.0 makes k"):
        power_law_target(3000, -200.0)
    np.testing.assert_array_equal(power_law_target(50, 1.5, total=2.0), 2.0 * 50 ** 0 * (np.arange(1, 51) ** -1.5
                                                                                         / (np.arange(1, 51) ** -1.5).sum()))
