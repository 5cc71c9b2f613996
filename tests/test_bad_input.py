# SPDX-License-Identifier: BSD-3-Clause
"""One generated bad-input test over every public entry point.

For each entry point a valid call is declared once (``VALID``). The bad values come
from two sources, both substituted one at a time:

* the entry point's declared constraints (``rmt._validation.DECLARATIONS``): every
  constraint object names values just outside what it allows (``outside``) and at
  its edge (``inside``), so a new or changed declaration is tested automatically;
* the hand-written ``BAD`` lists per kind of argument, and ``EDGE``, values that must
  be accepted. They are written independently of the declarations: a declaration
  with a wrong bound (looser: a ``BAD`` value passes; tighter: an ``EDGE`` value is
  refused) fails the test.

A refused value must raise ``ValueError`` whose message *starts with the argument's
name* (so an error that blames the wrong argument fails the test); an accepted value
must not raise a ``ValueError`` that blames the argument.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import rmt
from rmt import powerlaw, scaling, simulate, spectra
from rmt.risk import rf_powerlaw
from rmt._validation import DECLARATIONS

EIGS = np.linspace(1.0, 0.1, 12)
TASK = np.full(12, 1 / 12)
_G = np.random.default_rng(0).standard_normal((12, 3))
KPOOL = _G @ _G.T  # a 12-point pool's kernel matrix (rank 3)
YPOOL = _G[:, 0]

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
    "method": ["quad", 3],
    "kurtosis": [0.5, np.nan],
    "beta": [0.5, np.nan],
    "budgets": [[1e3], [-1.0, 1e3], [np.nan, 1e3]],
    "compute": ["flops"],
    "model": ["adam"],
    "loss": [3.0],
    "closure": ["A0", None],
    "K": [np.ones((3, 4)), np.ones((1, 1)), np.triu(np.ones((12, 12))), None, "abc"],
    "y": [np.ones(5), None, np.full(12, np.nan)],
    "momentum": [-0.1, 1.0, np.nan, np.ones(3)],
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
    "solve_chain": (rmt.solve_chain, dict(eigs=EIGS, n=5.0, ridge=0.1), dict(widths=[7.0])),
    "overfitting_regime": (rmt.overfitting_regime, dict(eigs=EIGS, n=[5.0, 10.0]), {}),
    "simulate.ridge_risk": (simulate.ridge_risk, dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, ridge=0.1),
                            dict(trials=2)),
    "simulate.kernel_ridge_risk": (simulate.kernel_ridge_risk,
                                   dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, ridge=0.1), dict(trials=2)),
    "simulate.kernel_ridge_pool": (simulate.kernel_ridge_pool, dict(K=KPOOL, y=YPOOL, noise=0.1, n=5, ridge=0.1),
                                   dict(trials=2)),
    "simulate.rf_ridge_risk": (simulate.rf_ridge_risk,
                               dict(eigs=EIGS, target_power=TASK, noise=0.1, n=5, p=7, ridge=0.1), dict(trials=2)),
    "spectra.power_law": (spectra.power_law, dict(D=10, alpha=1.5), {}),
    "powerlaw.ridgeless_E0": (powerlaw.ridgeless_E0, dict(alpha=1.5, n=10.0), {}),
    "powerlaw.ridgeless_kappa": (powerlaw.ridgeless_kappa, dict(alpha=1.5, n=10.0), {}),
    "scaling.scaling_exponents": (scaling.scaling_exponents, dict(alpha=1.5, beta=2.0), {}),
    "scaling.plrf_phase": (scaling.plrf_phase, dict(alpha=1.5, beta=2.0), {}),
    "scaling.bottleneck": (scaling.bottleneck, dict(alpha=1.5, beta=2.0), dict(t=10.0, p=5.0, n=20.0, lr=0.1, batch=1)),
    "scaling.finite_loss": (scaling.finite_loss, dict(alpha=1.5, beta=2.0), dict(model="bottleneck", lr=0.1, batch=1)),
    "scaling.compute_optimal": (scaling.compute_optimal, dict(loss=lambda p, t: 1 / t + 1 / p, budgets=[1e2, 1e3],
                                                              widths=np.geomspace(1, 100, 21)),
                                dict(batch=1, compute="p*t")),
    "scaling.frontier_closed_form": (scaling.frontier_closed_form, dict(alpha=1.5, beta=2.0, budgets=[1e3, 1e4]),
                                     dict(lr=0.1, batch=1, compute="p*t")),
    # the arbitrary-precision referees (method="mpmath", dps=)
    "df1[mpmath]": (rmt.df1, dict(eigs=EIGS, kappa=0.3), dict(method="mpmath", dps=20)),
    "df2[mpmath]": (rmt.df2, dict(eigs=EIGS, kappa=0.3), dict(method="mpmath", dps=20)),
    "stieltjes[mpmath]": (rmt.stieltjes, dict(eigs=EIGS, n=5.0, z=-0.5), dict(method="mpmath", dps=20)),
    "optimal_ridge[mpmath]": (rmt.optimal_ridge, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=2.0),
                              dict(method="mpmath", dps=20)),
    "overfitting_cost[mpmath]": (rmt.overfitting_cost, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=2.0),
                                 dict(method="mpmath", dps=20)),
    "rf_ridge_risk[mpmath]": (rmt.rf_ridge_risk, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=2.0, p=3.0,
                                                      ridge=0.1), dict(method="mpmath", dps=20)),
    "online_sgd_risk[mpmath]": (rmt.online_sgd_risk, dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, lr=0.2,
                                                          batch=1, steps=5), dict(method="mpmath", dps=20)),
}

#: Dynamics entry points (DESIGN.md), declared the same way once they exist.
_DYNAMICS = {
    "online_sgd_risk": ("online_sgd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, lr=0.2, batch=1, steps=5),
                        dict(kurtosis=3.0, momentum=0.1)),
    "rf_online_sgd_risk": ("rf_online_sgd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, p=7.0, lr=0.1, batch=1,
                                                      steps=5), dict(kurtosis=3.0, momentum=0.1)),
    "gd_risk": ("gd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, lr=0.2, steps=5), {}),
    "gd_risk[mpmath]": ("gd_risk", dict(eigs=EIGS[:3], target_power=TASK[:3], noise=0.1, n=20.0, lr=0.2, steps=2),
                        dict(method="mpmath", dps=15)),
    "gradient_flow_risk": ("gradient_flow_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0,
                                                      t=np.array([0.0, 1.0])), {}),
    "two_point": ("two_point", dict(eigs=EIGS, n=5.0, z1=-0.5, z2=-0.3), {}),
    "sgd_stable_lr": ("sgd_stable_lr", dict(eigs=EIGS, batch=1), dict(momentum=0.1)),
    "multipass_sgd_risk": ("multipass_sgd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, lr=0.1,
                                                      batch=1, steps=5), dict(closure="B")),
    "rf_gd_risk": ("rf_gd_risk", dict(eigs=EIGS, target_power=TASK, noise=0.1, n=20.0, p=7.0, lr=0.2, steps=5),
                   dict(ridge=0.01)),
}
for _name, (_attr, _args, _kw) in _DYNAMICS.items():
    if hasattr(rmt, _attr):
        VALID[_name] = (getattr(rmt, _attr), _args, _kw)
    if hasattr(simulate, _attr) and "[" not in _name:
        _twin_kw = dict(trials=2)
        if "n" in _args:
            _args = dict(_args, n=int(_args["n"]))  # the twins draw whole samples
        VALID["simulate." + _name] = (getattr(simulate, _attr), _args, _twin_kw)


#: Values that must be accepted, per kind of argument (written independently of the declarations).
EDGE = {
    "noise": [0.0],
    "n": [1e-8],
    "p": [1e-8],
    "ridge": [0.0, np.inf, -0.01],  # -0.01 is above the admissible edge (about -0.13 at n = 5, -0.05 at n = 2)
    "kappa": [np.inf],
    "steps": [0],
    "batch": [1],
    "lr": [1e-12],
    "t": [0.0],
    "trials": [2],
    "dps": [15],
    "kurtosis": [1.0],
    "D": [1],
    "method": ["numba"],
}

#: The closed forms (rmt.powerlaw, rmt.risk.rf_powerlaw, rmt.symbolic): one valid value per argument name; every
#: declared function is called with them (so a newly declared closed form is probed without a line here).
_CLOSED_FORM_ARGS = dict(alpha=2.0, beta=1.5, n=10.0, p=5.0, noise=0.1, x=0.5, ridge=1e-3, rho=1.0, ell=0.5, r=0.5,
                         a=1.5, b=2.0, alpha_p=1.0, beta_p=0.5, k=3, regime="large_n", order=1, field="test")
_CLOSED_FORM_MODULES = {"powerlaw": powerlaw, "rf_powerlaw": rf_powerlaw, "symbolic": rmt.symbolic}
for _name, _decl in DECLARATIONS.items():
    _module = _CLOSED_FORM_MODULES.get(_name.split(".")[0])
    if _module is not None and _name not in VALID:
        _fn = getattr(_module, _name.split(".", 1)[1])
        _params = [k for k, v in inspect.signature(_fn).parameters.items() if v.default is inspect.Parameter.empty]
        VALID[_name] = (_fn, {k: _CLOSED_FORM_ARGS[k] for k in _params}, {k: _CLOSED_FORM_ARGS[k] for k in _decl
                                                                        if k not in _params})

#: Entry points for which a kind's bad list differs (``n=None`` asks overfitting_regime for its default grid).
OVERRIDES = {"overfitting_regime": {"n": [0, -5, np.nan]},
             "scaling.compute_optimal": {"widths": [[1.0, 2.0], [0.0, 1.0, 2.0]]}}
#: (entry, argument) pairs whose EDGE list differs, with the reason.
EDGE_OVERRIDES = {
    # the twins draw whole samples: n = 1 is their edge
    **{(name, arg): [1] for name in VALID if name.startswith("simulate.") for arg in ("n", "p")},
    # weight decay is >= 0 and finite (+inf: no null predictor on a curve); random-feature ridges are >= 0
    **{(name, "ridge"): [0.0] for name in VALID if "gd_risk" in name or "gradient_flow" in name},
    **{(name, "ridge"): [0.0, np.inf] for name in ("rf_ridge_risk", "rf_ridge_risk[mpmath]", "simulate.rf_ridge_risk",
                                                     "solve_chain")},
    **{(name, "kurtosis"): [3.0] for name in ("rf_online_sgd_risk", "simulate.rf_online_sgd_risk")},  # Gaussian only
    ("scaling.bottleneck", "t"): [1e-8],  # the bottleneck terms diverge at t = 0
    ("overfitting_regime", "n"): [[1e-8, 1.0]],  # a grid of at least two sizes
    ("powerlaw.x_from_ridge", "ridge"): [0.0],  # the continuum path has ridge >= 0
    ("powerlaw.optimal_excess_rate", "noise"): [1e-300],  # the noisy rate
}
#: Declared arguments not probed here, with the reason.
NOT_PROBED = {
    ("solve_chain", "counts"): "the deprecated spelling of n and widths (tested in test_random_features)",
}


def _declaration(name):
    return DECLARATIONS[name.split("[")[0]]


def _merged(*lists):
    out, seen = [], set()
    for lst in lists:
        for v in lst:
            key = repr(v) + type(v).__name__
            if key not in seen:
                seen.add(key)
                out.append(v)
    return out


def _cases():
    for name, (fn, args, kwargs) in VALID.items():
        decl = _declaration(name)
        for arg in dict.fromkeys(list(args) + list(kwargs) + list(decl)):
            if (name, arg) in NOT_PROBED:
                continue
            declared = decl[arg].outside({**args, **kwargs}) if arg in decl else []
            bads = OVERRIDES.get(name, {}).get(arg) or _merged(BAD.get(arg, []), declared)
            for i, bad in enumerate(bads):
                yield pytest.param(name, arg, bad, id=f"{name}-{arg}-{i}")


def _edge_cases():
    for name, (fn, args, kwargs) in VALID.items():
        decl = _declaration(name)
        for arg in dict.fromkeys(list(args) + list(kwargs) + list(decl)):
            if (name, arg) in NOT_PROBED:
                continue
            declared = decl[arg].inside({**args, **kwargs}) if arg in decl else []
            goods = EDGE_OVERRIDES.get((name, arg), EDGE.get(arg, []) + declared)
            for i, good in enumerate(_merged(goods)):
                yield pytest.param(name, arg, good, id=f"{name}-{arg}-{i}")


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_call_succeeds(name):
    fn, args, kwargs = VALID[name]
    fn(**args, **kwargs)


def _substituted(name, arg, value):
    fn, args, kwargs = VALID[name]
    call_args, call_kwargs = dict(args), dict(kwargs)
    if arg in call_args:
        call_args[arg] = value
        if arg == "eigs" and "target_power" in call_args:
            call_args["target_power"] = 0.0  # a scalar task fits any spectrum: only eigs is bad
    else:
        call_kwargs[arg] = value
    if arg == "dps" or (arg == "method" and value == "mpmath"):
        call_kwargs.setdefault("method", "mpmath")
        call_args = {k: (v[:3] if isinstance(v, np.ndarray) and v.shape == (12,) else v) for k, v in call_args.items()}
    return fn, call_args, call_kwargs


@pytest.mark.parametrize("name, arg, bad", list(_cases()))
def test_bad_argument_is_refused_by_name(name, arg, bad):
    fn, call_args, call_kwargs = _substituted(name, arg, bad)
    with pytest.raises(ValueError) as info:
        fn(**call_args, **call_kwargs)
    message = str(info.value)
    assert message.startswith(arg), f"{name}: bad {arg}={bad!r} raised a ValueError that does not name it: {message!r}"


@pytest.mark.parametrize("name, arg, good", list(_edge_cases()))
def test_edge_value_is_accepted(name, arg, good):
    """A value at the edge of what is allowed must not be refused as a bad ``arg``."""
    fn, call_args, call_kwargs = _substituted(name, arg, good)
    try:
        fn(**call_args, **call_kwargs)
    except (ArithmeticError, RuntimeError):
        pass  # validation let it through; what the numerics make of an extreme edge value is not this test's business
    except ValueError as exc:
        message = str(exc)
        assert not message.startswith(f"{arg} must"), f"{name}: {arg}={good!r} is allowed but refused: {message!r}"


def test_declarations_match_signatures():
    """Every declared argument is a parameter of its entry point; every declared entry point has a valid call."""
    called = {name.split("[")[0] for name in VALID}
    for name, decl in DECLARATIONS.items():
        if name not in called:
            continue
        fn = VALID[name][0]
        params = inspect.signature(fn).parameters
        missing = [arg for arg in decl if arg not in params]
        assert not missing, f"{name}: declared arguments not in the signature: {missing}"
    undeclared = sorted(called - set(DECLARATIONS))
    assert not undeclared, f"entry points without declared constraints: {undeclared}"


def test_every_public_callable_is_covered():
    """A new public entry point must be declared in VALID (or here, with the reason it takes no bad input)."""
    exempt = {"gaussian_equivalent"}  # takes a callable or a name; its own tests cover bad activations
    names = [n for n in rmt.__all__ if callable(getattr(rmt, n)) and not inspect.isclass(getattr(rmt, n))]
    names += [f"simulate.{n}" for n in simulate.__all__ if n != "run_trials"  # the engine, not a twin
              and callable(getattr(simulate, n)) and not inspect.isclass(getattr(simulate, n))]
    for prefix, module in (("powerlaw", powerlaw), ("rf_powerlaw", rf_powerlaw)):
        names += [f"{prefix}.{n}" for n in module.__all__
                  if callable(getattr(module, n)) and not inspect.isclass(getattr(module, n))]
    missing = [n for n in names if n not in VALID and n not in exempt]
    assert not missing, f"public entry points without a declared bad-input case: {missing}"
