# SPDX-License-Identifier: BSD-3-Clause
"""One generated bad-input test over every public entry point.

For each entry point a valid call is declared once (``VALID``); for every argument
of that call that has a kind in ``BAD`` each bad value of that kind is substituted
in turn, and the call must raise ``ValueError`` whose message *starts with the
argument's name* (so an error that blames the wrong argument fails the test).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import rmt
from rmt import powerlaw, simulate, spectra

EIGS = np.linspace(1.0, 0.1, 12)
TASK = np.full(12, 1 / 12)

#: Bad values per kind of argument (each must be refused with a ValueError naming the argument).
BAD = {
    "eigs": [np.array([1.0, -1.0]), np.array([1.0, np.nan]), np.array([]), np.ones((2, 2)),
             np.array([1 + 1j, 2.0]), "abc", None],
    "target_power": [np.full(12, -0.1), np.full(12, np.nan), np.ones(5), np.full(12, 1 + 1j)],
    "noise": [-0.1, np.nan, np.inf, None],
    "n": [0, -5, np.nan, None],
    "p": [0, -3, np.nan],
    "ridge": [np.nan, -np.inf, None],
    "kappa": [np.nan],
    "lr": [0.0, -0.1, np.nan],
    "batch": [0, -1, 1.5],
    "steps": [-1, 2.5, np.nan],
    "t": [-1.0, np.nan],
    "trials": [0, 1.5],
    "alpha": [-1.0, np.nan],
    "counts": [[0.0], [5.0, -1.0], []],
    "D": [0, -1, 2.5],
    "dps": [0, -3, 2.5, "a"],
    "kurtosis": [0.5, np.nan],
}

#: One valid call per public entry point: (callable, positional args by name, keyword args).
VALID = {
    "solve_kappa": (rmt.solve_kappa, dict(eigs=EIGS, n=5.0, ridge=0.1), {}),
    "solve_kappa[mpmath]": (rmt.solve_kappa, dict(eigs=EIGS[:3], n=2.0, ridge=0.1), dict(method="mpmath", dps=30)),
    "df1": (rmt.df1, dict(eigs=EIGS, kappa=0.3), {}),
    "df2": (rmt.df2, dict(eigs=EIGS, kappa=0.3), {}),
    "learnabilities": (rmt.learnabilities, dict(eigs=EIGS, kappa=0.3), {}),
    "ridge_edge": (rmt.ridge_edge, dict(eigs=EIGS, n=5.0), {}),
    "ridge_from_kappa": (rmt.ridge_from_kappa, dict(eigs=EIGS, n=5.0, kappa=0.3), {}),
    "stieltjes": (rmt.stieltjes, dict(eigs=EIGS, n=5.0, z=-0.5), {}),
    "spectral_density": (rmt.spectral_density, dict(eigs=EIGS, n=5.0, x=0.5), {}),
    "ridge_risk": (rmt.ridge_risk, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0, ridge=0.1), {}),
    "ridge_risk[mpmath]": (rmt.ridge_risk, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=2.0, ridge=0.1),
                           dict(method="mpmath", dps=20)),
    "kernel_ridge_risk[mpmath]": (rmt.kernel_ridge_risk, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=2.0,
                                                              ridge=0.1), dict(method="mpmath", dps=20)),
    "kernel_ridge_risk": (rmt.kernel_ridge_risk, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0, ridge=0.1), {}),
    "optimal_ridge": (rmt.optimal_ridge, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0), {}),
    "overfitting_cost": (rmt.overfitting_cost, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0), {}),
    "agnostic_bound": (rmt.agnostic_bound, dict(eigs=EIGS, n=5.0), {}),
    "rf_ridge_risk": (rmt.rf_ridge_risk, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0, p=7.0, ridge=0.1), {}),
    "rf_optimal_ridge": (rmt.rf_optimal_ridge, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5.0, p=7.0), {}),
    "s_transform": (rmt.s_transform, dict(eigs=EIGS, w=-0.3), {}),
    "solve_chain": (rmt.solve_chain, dict(eigs=EIGS, counts=[7.0, 5.0], ridge=0.1), {}),
    "overfitting_regime": (rmt.overfitting_regime, dict(eigs=EIGS, n=[5.0, 10.0]), {}),
    "simulate.ridge_risk": (simulate.ridge_risk, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, ridge=0.1),
                            dict(trials=2)),
    "simulate.kernel_ridge_risk": (simulate.kernel_ridge_risk,
                                   dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, ridge=0.1), dict(trials=2)),
    "simulate.rf_ridge_risk": (simulate.rf_ridge_risk,
                               dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, p=7, ridge=0.1), dict(trials=2)),
    "spectra.power_law": (spectra.power_law, dict(D=10, alpha=1.5), {}),
    "powerlaw.ridgeless_E0": (powerlaw.ridgeless_E0, dict(alpha=1.5, n=10.0), {}),
    "powerlaw.ridgeless_kappa": (powerlaw.ridgeless_kappa, dict(alpha=1.5, n=10.0), {}),
}

#: Dynamics entry points (DESIGN.md), declared the same way once they exist.
_DYNAMICS = {
    "online_sgd_risk": ("online_sgd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, lr=0.2, batch=1, steps=5),
                        dict(kurtosis=3.0)),
    "gd_risk": ("gd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, lr=0.2, steps=5), {}),
    "gradient_flow_risk": ("gradient_flow_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0,
                                                      t=np.array([0.0, 1.0])), {}),
    "two_point": ("two_point", dict(eigs=EIGS, n=5.0, z1=-0.5, z2=-0.3), {}),
    "sgd_stable_lr": ("sgd_stable_lr", dict(eigs=EIGS, batch=1), {}),
    "multipass_sgd_risk": ("multipass_sgd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, lr=0.1,
                                                      batch=1, steps=5), {}),
    "rf_gd_risk": ("rf_gd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, p=7.0, lr=0.2, steps=5),
                   dict(ridge=0.01)),
}
for _name, (_attr, _args, _kw) in _DYNAMICS.items():
    if hasattr(rmt, _attr):
        VALID[_name] = (getattr(rmt, _attr), _args, _kw)
    if hasattr(simulate, _attr):
        _twin_kw = dict(trials=2)
        if "n" in _args:
            _args = dict(_args, n=int(_args["n"]))  # the twins draw whole samples
        VALID["simulate." + _name] = (getattr(simulate, _attr), _args, _twin_kw)


#: Entry points for which a kind's bad list differs (``n=None`` asks overfitting_regime for its default grid).
OVERRIDES = {"overfitting_regime": {"n": [0, -5, np.nan]}}


def _cases():
    for name, (fn, args, kwargs) in VALID.items():
        for arg in list(args) + list(kwargs):
            for i, bad in enumerate(OVERRIDES.get(name, {}).get(arg, BAD.get(arg, []))):
                yield pytest.param(name, arg, bad, id=f"{name}-{arg}-{i}")


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_call_succeeds(name):
    fn, args, kwargs = VALID[name]
    fn(**args, **kwargs)


@pytest.mark.parametrize("name, arg, bad", list(_cases()))
def test_bad_argument_is_refused_by_name(name, arg, bad):
    fn, args, kwargs = VALID[name]
    call_args, call_kwargs = dict(args), dict(kwargs)
    if arg in call_args:
        call_args[arg] = bad
        if arg == "eigs" and "target_power" in call_args:
            call_args["target_power"] = 0.0  # a scalar task fits any spectrum: only eigs is bad
    else:
        call_kwargs[arg] = bad
    with pytest.raises(ValueError) as info:
        fn(**call_args, **call_kwargs)
    message = str(info.value)
    assert message.startswith(arg), f"{name}: bad {arg}={bad!r} raised a ValueError that does not name it: {message!r}"


def test_every_public_callable_is_covered():
    """A new public entry point must be declared in VALID (or here, with the reason it takes no bad input)."""
    exempt = {"gaussian_equivalent"}  # takes a callable or a name; its own tests cover bad activations
    names = [n for n in rmt.__all__ if callable(getattr(rmt, n)) and not inspect.isclass(getattr(rmt, n))]
    missing = [n for n in names if n not in VALID and n not in exempt]
    assert not missing, f"public entry points without a declared bad-input case: {missing}"
