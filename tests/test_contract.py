# SPDX-License-Identifier: BSD-3-Clause
"""One contract for every entry point (issue 7, items 2 and 3): result kinds, status, argument order, declarations."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import rmt
import test_bad_input as generated
from rmt import powerlaw, simulate
from rmt._results import ResultFields, TupleFields
from rmt._validation import DECLARATIONS, Interval, validate
from rmt.resolvent.onepoint import STATUS_ILL_CONDITIONED, STATUS_INFINITE_E0, STATUS_NAMES
from rmt.risk.rf_powerlaw import RFExponents, rf_exponents

EIGS = np.linspace(1.0, 0.1, 12)


# --------------------------------------------------------------------------- one result kind


def test_spectral_density_is_a_result_that_still_unpacks():
    d = rmt.spectral_density(EIGS, 5.0, [0.5, 1.0])
    assert isinstance(d, TupleFields) and dataclasses.is_dataclass(d)
    density, atom = d  # the documented tuple call
    np.testing.assert_array_equal(density, d.density)
    assert atom == d.atom == d[1] == pytest.approx(1 - 5 / 12, rel=1e-15, abs=0)
    assert len(d) == 2 and set(d.as_dict()) == {"density", "atom", "x", "n"}
    np.testing.assert_array_equal(d.x, [0.5, 1.0])
    assert repr(d) == "SpectralDensity(shape=(2,))"
    assert repr(rmt.spectral_density(EIGS, 5.0, 0.5)).startswith("SpectralDensity(density=0.244")


def test_exponent_records_are_one_kind():
    ex = powerlaw.learning_curve_exponents(2.0, 1.5)
    rf = rf_exponents(2.0, 1.5)
    for rec in (ex, rf):
        assert isinstance(rec, ResultFields) and dataclasses.is_dataclass(rec)
        assert rec.as_dict() == {f.name: getattr(rec, f.name) for f in dataclasses.fields(rec)}
        assert repr(rec).startswith(type(rec).__name__ + "(")
    # Exponents was a NamedTuple: unpacking, indexing and _asdict keep working
    a, b, c, d, e, sat = ex
    assert (a, b, c, d, e, sat) == (0.5, 0.0, 0.5, 1 / 3, 4 / 3, False) == tuple(ex)
    assert ex[3] == ex.optimal_noisy and ex._asdict()["saturated"] is False
    assert isinstance(rf, RFExponents) and rf.data == 0.5


@pytest.mark.parametrize("result", [
    lambda: rmt.solve_kappa(EIGS, 5.0, 0.1, full_output=True),
    lambda: rmt.solve_chain(EIGS, 5.0, 0.1, widths=[7.0]),
    lambda: rmt.overfitting_regime(rmt.spectra.PowerLaw(1.5)),
    lambda: powerlaw.path_risk(2.0, 1.5, 0.1, 100.0, 0.5),
    lambda: powerlaw.cost_limit(2.0, 1.5, 1.0),
    lambda: rmt.ridge_risk(EIGS, 0.1, 0.1, 5.0, 0.1),
    lambda: rmt.ridge_edge(EIGS, [5.0, 20.0]),
])
def test_every_result_has_fields_as_dict_and_repr(result):
    r = result()
    assert isinstance(r, ResultFields)
    assert set(r.as_dict()) == {f.name for f in dataclasses.fields(r)}
    text = repr(r)
    assert text.startswith(type(r).__name__ + "(") and "object at 0x" not in text


def test_former_namedtuples_unpack_as_before():
    test, excess, train, kappa, ridge, E0, x = powerlaw.path_risk(2.0, 1.5, 0.1, 100.0, 0.5)
    assert float(x) == 0.5 and float(train) == pytest.approx(0.25 * float(test), rel=1e-14, abs=0)
    cost, x_star, fit_ratio, interp = powerlaw.cost_limit(2.0, 1.5, 1.0)
    assert float(fit_ratio) == pytest.approx((1 - float(x_star)) ** 2, rel=1e-14, abs=0)
    regime, *_ = rmt.overfitting_regime(rmt.spectra.PowerLaw(1.5))
    assert regime == "tempered"
    kappa_edge, ridge_min = edge = rmt.ridge_edge(EIGS, 5.0)
    assert edge == (kappa_edge, ridge_min) and edge[1] == edge.ridge_min < 0 and float(edge.n) == 5.0


# --------------------------------------------------------------------------- per-point status


def test_ridge_risk_reports_ill_conditioned_points():
    """At n = rank with a vanishing ridge one float step of n moves κ by O(1): status 3, not only a warning."""
    eigs = np.full(21, 960.75)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = rmt.ridge_risk(eigs, 1 / 21, 0.1, 21.0, [0.0, 1e-40, 1e-3, 0.1])
        k = rmt.solve_kappa(eigs, 21.0, [0.0, 1e-40, 1e-3, 0.1], full_output=True)
    assert r.status.tolist() == [STATUS_INFINITE_E0, STATUS_ILL_CONDITIONED, 0, 0]
    assert k.status.tolist() == r.status.tolist()
    assert set(STATUS_NAMES) >= {0, 1, 2, STATUS_ILL_CONDITIONED, STATUS_INFINITE_E0}
    # an ordinary grid is all converged, in every backend
    assert rmt.ridge_risk(EIGS, 0.1, 0.1, [5.0, 50.0], 0.1).status.tolist() == [0, 0]
    assert int(rmt.ridge_risk(EIGS[:3], 0.1, 0.1, 2.0, 0.1, method="mpmath", dps=20).status) == 0
    assert int(rmt.kernel_ridge_risk(EIGS, 0.1, 0.1, 5.0, 0.1).status) == 0


def test_status_threshold_is_the_warning_threshold():
    """Status 3 and the RuntimeWarning are the same criterion (E0·df1/n > 1e9)."""
    eigs = np.full(21, 960.75)
    with pytest.warns(RuntimeWarning, match="ill-conditioned"):
        r = rmt.ridge_risk(eigs, 1 / 21, 0.1, 21.0, 1e-40)
    assert int(r.status) == STATUS_ILL_CONDITIONED
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert int(rmt.ridge_risk(eigs, 1 / 21, 0.1, 21.0, 1e-3).status) == 0


# --------------------------------------------------------------------------- one argument order


def test_kernel_ridge_pool_takes_noise_n_ridge_like_every_twin():
    rng = np.random.default_rng(3)
    G = rng.standard_normal((30, 4))
    K, y = G @ G.T, G[:, 0]
    new = simulate.kernel_ridge_pool(K, y, 0.2, 10, 0.05, trials=4, seed=1)
    with pytest.warns(DeprecationWarning, match=r"kernel_ridge_pool\(K, y, noise, n, ridge\)"):
        old = simulate.kernel_ridge_pool(K, y, 10, 0.05, noise=0.2, trials=4, seed=1)
    assert float(new.test) == float(old.test) and float(new.n) == 10.0
    kw = simulate.kernel_ridge_pool(K, y, n=10, ridge=0.05, noise=0.2, trials=4, seed=1)
    assert float(kw.test) == float(new.test)
    with pytest.raises(TypeError, match="multiple values"):
        simulate.kernel_ridge_pool(K, y, 0.2, 10, 0.05, noise=0.2, trials=4)


def test_solve_chain_takes_n_then_widths():
    new = rmt.solve_chain(EIGS, 5.0, 0.1, widths=[7.0, 9.0])
    with pytest.warns(DeprecationWarning, match="solve_chain"):
        old = rmt.solve_chain(EIGS, [7.0, 9.0, 5.0], 0.1)
    assert float(new.gamma) == float(old.gamma)
    assert float(rmt.solve_chain(EIGS, 5.0, 0.1).gamma) == pytest.approx(float(rmt.solve_kappa(EIGS, 5.0, 0.1)),
                                                                         rel=1e-12, abs=0)


def test_negative_ridge_is_refused_with_one_message_in_random_features():
    """Random features (predictor, optimum's path, twin, free chain) refuse ridge < 0 with the same message."""
    messages = set()
    for call in (lambda: rmt.rf_ridge_risk(EIGS, EIGS, 0.1, 5, 7, -0.01),
                 lambda: simulate.rf_ridge_risk(EIGS, EIGS, 0.1, 5, 7, -0.01, trials=2),
                 lambda: rmt.solve_chain(EIGS, 5, -0.01, widths=[7])):
        with pytest.raises(ValueError) as info:
            call()
        messages.add(str(info.value))
    assert messages == {"ridge must be >= 0 (+inf allowed; negative ridges are supported by (kernel) ridge "
                        "regression only); got -0.01"}


# --------------------------------------------------------------------------- declarations are what is applied


def test_symbolic_field_options_are_the_result_fields():
    from rmt.symbolic import IsotropicRisk

    declared = set(DECLARATIONS["symbolic.risk_series"]["field"].values)
    assert declared == {f.name for f in dataclasses.fields(IsotropicRisk)}


def test_validate_converts_in_declaration_order_and_refuses_undeclared():
    lv, tpow, noise = validate("ridge_risk", eigs=EIGS, target_power=0.0, noise=0.1)
    assert lv.D == 12 and tpow.shape == (12,) and float(noise) == 0.1
    with pytest.raises(TypeError, match="no declared constraint"):
        validate("ridge_risk", bogus=1)


@pytest.mark.parametrize("entry, arg, mutant, probe", [
    ("ridge_risk", "noise", Interval(-1.0, np.inf, "left"), "bad"),  # looser bound: noise = -0.1 accepted
    ("ridge_risk", "n", Interval(1e-6, np.inf, "left"), "edge"),  # tighter bound: n = 1e-8 refused
    ("rf_ridge_risk", "p", Interval(0.5, np.inf, "left"), "edge"),
    ("solve_kappa", "ridge", Interval(0.0, np.inf, "both"), "edge"),  # refuses the admissible ridge = -0.01
    ("ridge_risk", "noise", Interval(0.0, np.inf, "both"), "bad"),  # noise = inf accepted
])
def test_a_mutated_declaration_fails_the_generated_test(monkeypatch, entry, arg, mutant, probe):
    """Change one declared bound: some case of the generated test must fail."""
    monkeypatch.setitem(DECLARATIONS, entry, dict(DECLARATIONS[entry], **{arg: mutant}))
    if probe == "bad":
        cases = [c.values for c in generated._cases() if c.values[:2] == (entry, arg)]
        check = generated.test_bad_argument_is_refused_by_name
    else:
        cases = [c.values for c in generated._edge_cases() if c.values[:2] == (entry, arg)]
        check = generated.test_edge_value_is_accepted
    failures = 0
    for case in cases:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                check(*case)
        except (AssertionError, pytest.fail.Exception):
            failures += 1
    assert failures > 0, f"no case of the generated test caught the mutant {mutant!r} for {entry}({arg})"
