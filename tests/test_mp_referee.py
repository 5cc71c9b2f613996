# SPDX-License-Identifier: BSD-3-Clause
"""method="mpmath": the arbitrary-precision referee of ridge_risk, and what float64 promises against it.

The referee shares the risk formulas with the float path (rmt.risk._assembly) but
nothing else: κ is bracketed by mpmath's Illinois solver, the spectral sums use
mpmath.fsum and, for infinite power laws, mpmath.sumem (not the compiled
incomplete-beta tails). Errors in the shared formulas themselves are caught by the
independently typed closed forms of tests/test_symbolic.py and by Monte Carlo.
"""

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rmt
from rmt.resolvent._mp_sums import spectral_sums
from rmt.resolvent.onepoint import prepare_task
from rmt.risk.ridge import spectral_sums as float_sums
from rmt.spectra import PowerLaw

FIELDS = ("test", "excess", "train", "bias", "variance", "kappa", "df1", "df2", "E0")


def _agree(a, b, rel):
    for f in FIELDS:
        x, y = float(getattr(a, f)), float(getattr(b, f))
        assert x == pytest.approx(y, rel=rel, abs=1e-300), f


spectra = st.lists(st.floats(1e-4, 1e2), min_size=1, max_size=12)


@settings(max_examples=25)
@given(eigs=spectra, n=st.floats(0.5, 30.0), ridge=st.one_of(st.just(0.0), st.floats(1e-4, 10.0)),
       noise=st.floats(0.0, 1.0), data=st.data())
def test_float_path_matches_referee_on_random_spectra(eigs, n, ridge, noise, data):
    eigs = np.array(eigs)
    if ridge == 0.0 and abs(n - eigs.size) < 1e-3:
        n += 0.5  # the ridgeless interpolation threshold is a pole
    task = np.array(data.draw(st.lists(st.floats(0.0, 1.0), min_size=eigs.size, max_size=eigs.size)))
    ref = rmt.ridge_risk(eigs, task, noise, n, ridge, method="mpmath", dps=40)
    # float64 promise: κ to 1e-13 relative, risks to 1e-11 (E0 amplifies near interpolation; see below)
    _agree(rmt.ridge_risk(eigs, task, noise, n, ridge), ref, rel=1e-10)


@pytest.mark.parametrize("alpha, beta, n, ridge", [(1.5, 1.8, 100.0, 1e-3), (2.5, 4.0, 30.0, 0.0), (3.0, 8.5, 10.0, 1e-2)])
def test_infinite_power_law_tails_against_referee(alpha, beta, n, ridge):
    ref = rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.2, n, ridge, method="mpmath", dps=30)
    _agree(rmt.ridge_risk(PowerLaw(alpha), PowerLaw(beta), 0.2, n, ridge), ref, rel=1e-12)


@pytest.mark.parametrize("kappa", [1e-8, 1e-3, 0.7, 50.0])
def test_compiled_sums_against_mpmath_sums(kappa):
    for eigs, task in [(np.geomspace(3, 1e-3, 40), np.linspace(0, 1, 40)), (PowerLaw(1.7, 2.0), PowerLaw(2.2, 0.5))]:
        lv, tp = prepare_task(eigs, task)
        with mp.workdps(30):
            ref = spectral_sums(lv, tp, mp.mpf(kappa))
        d1, d2, b0, _, _, dd = float_sums(lv, tp, np.array(kappa))
        for got, key in [(d1, "df1"), (d2, "df2"), (b0, "B0"), (dd, "df1_minus_df2")]:
            assert float(got) == pytest.approx(float(ref[key]), rel=2e-14), key


def test_referee_is_converged_in_its_precision():
    eigs, task = np.geomspace(1, 1e-300, 30), np.full(30, 1 / 30)
    a = rmt.ridge_risk(eigs, task, 0.1, 7.0, 1e-200, method="mpmath", dps=30)
    b = rmt.ridge_risk(eigs, task, 0.1, 7.0, 1e-200, method="mpmath", dps=60)
    for f in FIELDS:
        x, y = getattr(a, f), getattr(b, f)
        assert abs(x - y) <= mp.mpf(10) ** -26 * abs(y), f


def test_eigenvalues_spanning_300_decades():
    eigs, task = np.geomspace(1, 1e-300, 30), np.full(30, 1 / 30)
    for n, ridge in [(7.0, 1e-200), (7.0, 0.0), (40.0, 0.0)]:
        ref = rmt.ridge_risk(eigs, task, 0.1, n, ridge, method="mpmath", dps=40)
        # κ's condition number is ~E0 = 1/(1 - df2/n): float64 resolves κ (and train ∝ κ⁻²) to ~eps·E0.
        _agree(rmt.ridge_risk(eigs, task, 0.1, n, ridge), ref, rel=max(1e-11, 50 * np.finfo(float).eps * float(ref.E0)))


def test_n_within_1e12_of_the_rank():
    # Ridgeless at n = D - δ: E0 ~ 1/δ; the referee resolves it at 50 digits. The float path keeps
    # E0 = n/(n·fit + Σ L(1-L)) to ~eps/δ relative.
    D = 50
    eigs, task = np.linspace(2, 0.5, D), np.full(D, 1 / D)
    for delta in (1e-6, 1e-9, 1e-12):
        n = D - delta
        ref = rmt.ridge_risk(eigs, task, 0.3, n, 0.0, method="mpmath", dps=50)
        got = rmt.ridge_risk(eigs, task, 0.3, n, 0.0)
        assert float(got.E0) == pytest.approx(float(ref.E0), rel=50 * np.finfo(float).eps / delta * delta + 1e-6)
        assert float(got.test) == pytest.approx(float(ref.test), rel=1e-6)


def test_mpmath_result_kind():
    r = rmt.ridge_risk(np.ones(3), 0.1, 0.1, [2.0, 5.0], 0.1, method="mpmath", dps=20)
    assert r.test.shape == (2,) and isinstance(r.test[0], mp.mpf)
    assert isinstance(rmt.ridge_risk(np.ones(3), 0.1, 0.1, 2.0, 0.1, method="mpmath", dps=20).kappa, mp.mpf)


def test_bad_method_and_dps():
    with pytest.raises(ValueError, match="^method must"):
        rmt.ridge_risk(np.ones(3), 0.1, 0.1, 2.0, 0.1, method="quad")
    for bad in (0, -3, 2.5, "a", True):
        with pytest.raises(ValueError, match="^dps must"):
            rmt.ridge_risk(np.ones(3), 0.1, 0.1, 2.0, 0.1, method="mpmath", dps=bad)


@pytest.mark.parametrize("eigs, task, n, ridge", [
    (np.geomspace(2, 1e-3, 15), np.linspace(1, 0.1, 15), 6.0, 1e-3),
    (np.geomspace(2, 1e-3, 15), np.linspace(1, 0.1, 15), 30.0, 0.0),
    (PowerLaw(1.5), PowerLaw(1.8), 50.0, 1e-3),
])
def test_kernel_ridge_referee_learnabilities(eigs, task, n, ridge):
    ref = rmt.kernel_ridge_risk(eigs, task, 0.1, n, ridge, method="mpmath", dps=30)
    got = rmt.kernel_ridge_risk(eigs, task, 0.1, n, ridge)
    _agree(got, ref, rel=1e-11)
    assert np.allclose(np.asarray(got.learnabilities, float), np.asarray(ref.learnabilities, float), rtol=1e-13, atol=0)
    assert float(got.target_learnability) == pytest.approx(float(ref.target_learnability), rel=1e-12, abs=0)
