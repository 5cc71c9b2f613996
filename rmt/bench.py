# SPDX-License-Identifier: BSD-3-Clause
"""Benchmark of :func:`rmt.solve_kappa` against baselines measured in the same run.

``python -m rmt.bench`` times the solver on a 10⁵-mode power-law spectrum over
a 512-point (n, ridge) grid and prints ratios (the machine is noisy, so only
ratios measured in one run mean anything):

* **floor** — one compiled pass evaluating Σ λ/(λ+κ) once per grid point
  (:mod:`rmt._kernels.baseline`): the solver's time over it is the number of
  passes over the spectrum it spends. Goal: ≤ 10.
* **brentq** — ``scipy.optimize.brentq`` loops over the grid points with a
  vectorized numpy residual, in two variants: *linear κ* as peer code and the
  reference sketches of the theory notes do it (κ₀ from ``df1 = n`` first, then
  ``κ(1 - df1/n) = ridge`` on ``[κ₀, ridge + tr/n]``), and *log κ* on our own
  tight bracket (a strong baseline). Goal: the first ≥ 10× slower than the
  solver.

Online SGD (:func:`run_sgd`): :func:`rmt.online_sgd_risk` on a 10⁴-mode power
law for 10⁵ steps against **one compiled pass** over modes × steps (the forcing
``Σ_j p_j a_j^t``, :func:`rmt._kernels.sgd.forcing_once_per_step`); the
recursion carries two coupled chains (noiseless and unit-noise) per mode.
Goal: ratio ≤ 3. ``--sgd-steps 0`` skips it.
``--gd`` adds :func:`rmt.gd_risk`: cost growth from 10³ to 6.4·10⁴ steps
(fitted exponent, goal ≤ 1.1), the time of a 10⁶-step curve, and the time of
one curve against its Monte Carlo twin at equal accuracy (extrapolated).
``--rf-gd`` does the same for :func:`rmt.rf_gd_risk` (``p = 200`` features,
``n = 100``) and reports its 10⁶-step time over ``gd_risk``'s in the same run.

``--rf-sgd`` adds :func:`rmt.rf_online_sgd_risk` on the "4+3" power-law
random-feature model (``v`` modes, ``d`` features, :func:`run_rf_sgd`): the
whole call and its momentum variant against **one compiled pass** over
pseudo-modes × steps, and the set-up (band edges and adaptive quadrature of
the spectral measures) on its own. Goal: the recursion ≤ 4 passes (plain and
with momentum); the set-up is ``O(evaluated nodes × levels)`` (seconds at v = 4000).

Each timing is the best of ``--repeat`` runs, after one untimed warm-up call
(numba compilation excluded).

``--predictors`` adds the risk-layer cases (:func:`predictors`): the optimal
ridge (:func:`rmt.optimal_ridge`, :func:`rmt.overfitting_cost`,
:func:`rmt.rf_optimal_ridge`) and :func:`rmt.rf_ridge_risk` on a power-law
spectrum over a grid of n (default 10⁵ modes × 176 values of n), each
reported in passes over the spectrum per grid point: its time over the floor's
(one compiled pass per point). Goal: ≤ 20.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import brentq

from ._kernels.baseline import df1_once_per_point
from ._kernels.sgd import forcing_once_per_step
from .resolvent.onepoint import prepare, solve_kappa
from .risk.sgd import online_sgd_risk, sgd_stable_lr


def _best(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _df1(eigs, kappa):
    return np.sum(eigs / (eigs + kappa))


def _brentq_log(eigs, n, ridge):
    """brentq in u = log κ on [log max(ridge, tiny), log(ridge + tr/n)]."""
    out = np.empty(n.size)
    for i in range(n.size):
        f = lambda u, nn=n[i], r=ridge[i]: 1.0 - r / np.exp(u) - _df1(eigs, np.exp(u)) / nn  # noqa: E731
        lo = np.log(max(ridge[i], 1e-300))
        hi = np.log(ridge[i] + eigs.sum() / n[i])
        out[i] = np.exp(brentq(f, lo, hi, xtol=1e-14, rtol=1e-14))
    return out


def _brentq_linear(eigs, n, ridge):
    """brentq in κ: κ₀ from df1(κ₀) = n (if n < D), then κ(1 - df1/n) = ridge above it."""
    out = np.empty(n.size)
    for i in range(n.size):
        nn, r = n[i], ridge[i]
        k0 = brentq(lambda k: _df1(eigs, k) - nn, 1e-300, 1e6 * eigs.max(), xtol=1e-300, rtol=1e-14) if eigs.size > nn else 0.0
        hi = r + eigs.sum() / nn + k0
        out[i] = brentq(lambda k: k * (1 - _df1(eigs, k) / nn) - r, k0 * (1 + 1e-14) + 1e-300, hi, xtol=1e-300, rtol=1e-14)
    return out


def run(modes: int = 100_000, points: int = 512, alpha: float = 1.5, repeat: int = 3, brentq_points: int = 128):
    """Time the solver and the baselines; return a dict of timings and ratios."""
    eigs = np.arange(1, modes + 1, dtype=np.float64) ** -alpha
    side = 2 ** int(np.log2(points) // 2)
    n_axis = np.geomspace(10, 10 * modes, side)
    ridge_axis = np.geomspace(1e-10, 1.0, max(points // side, 1))
    n, ridge = (a.ravel() for a in np.meshgrid(n_axis, ridge_axis, indexing="ij"))
    lv = prepare(eigs)

    t_solver = _best(lambda: solve_kappa(eigs, n, ridge), repeat)
    kappa = solve_kappa(eigs, n, ridge)
    out = np.empty_like(kappa)
    t_floor = _best(lambda: df1_once_per_point(lv.vals, lv.mult, kappa, out), repeat)
    # the brentq loops are slow: time them on an evenly spaced subset and scale per point
    sub = np.linspace(0, n.size - 1, min(brentq_points, n.size)).astype(int)
    scale = n.size / sub.size
    t_linear = _best(lambda: _brentq_linear(eigs, n[sub], ridge[sub]), 1) * scale
    t_log = _best(lambda: _brentq_log(eigs, n[sub], ridge[sub]), 1) * scale
    agree = max(
        np.max(np.abs(loop(eigs, n[sub], ridge[sub]) / kappa[sub] - 1)) for loop in (_brentq_linear, _brentq_log)
    )
    evals = solve_kappa(eigs, n, ridge, full_output=True).evaluations
    return {
        "modes": modes,
        "points": n.size,
        "solver_s": t_solver,
        "floor_s": t_floor,
        "brentq_linear_s": t_linear,
        "brentq_log_s": t_log,
        "passes_over_floor": t_solver / t_floor,
        "speedup_over_brentq": t_linear / t_solver,
        "speedup_over_brentq_log": t_log / t_solver,
        "mean_evaluations": float(evals.mean()),
        "max_evaluations": int(evals.max()),
        "max_rel_diff_vs_brentq": float(agree),
    }


def run_sgd(modes: int = 10_000, steps: int = 100_000, alpha: float = 1.5, repeat: int = 3):
    """Time :func:`rmt.online_sgd_risk` (constant lr at half the stable maximum, batch 4) against one pass."""
    eigs = np.arange(1, modes + 1, dtype=np.float64) ** -alpha
    power = eigs / eigs.sum()
    lr = 0.5 * sgd_stable_lr(eigs, 4)
    t_sgd = _best(lambda: online_sgd_risk(eigs, power, 0.01, lr, 4, steps), repeat)
    a = (1 - lr * eigs) ** 2 + lr**2 / 4 * eigs**2
    out = np.empty(steps + 1)
    t_floor = _best(lambda: forcing_once_per_step(power, a, out), repeat)
    return {"sgd_modes": modes, "sgd_steps": steps, "sgd_s": t_sgd, "sgd_floor_s": t_floor,
            "sgd_over_floor": t_sgd / t_floor}
def run_rf_sgd(v: int = 4_000, d: int = 1_000, steps: int = 100_000, alpha: float = 1.0, beta: float = 0.7,
               batch: int = 4, repeat: int = 3):
    """Time :func:`rmt.rf_online_sgd_risk` (lr at half its stable maximum) against one pass over modes × steps.

    ``rf_recursion_over_floor``: the recursion alone on the pseudo-modes (two coupled chains) over the one-pass
    floor on the same pseudo-modes; ``rf_setup_s``: the band edges and adaptive quadrature.
    """
    from .risk.rf_sgd import rf_online_sgd_risk, rf_sgd_pseudo_modes
    from .risk.sgd import _recursion

    j = np.arange(1, v + 1, dtype=np.float64)
    eigs, power = j ** (-2 * alpha), j ** (-2 * alpha - 2 * beta)
    lr = 0.5 * rf_online_sgd_risk(eigs, power, 0.0, d, 0.01, batch, 1).lr_max
    t_rf = _best(lambda: rf_online_sgd_risk(eigs, power, 0.0, d, lr, batch, steps), repeat)
    t_mom = _best(lambda: rf_online_sgd_risk(eigs, power, 0.0, d, 0.5 * lr, batch, steps, momentum=0.5), repeat)
    scale = 10.0 / (lr * steps)
    t_setup = _best(lambda: rf_sgd_pseudo_modes(eigs, power, d, resolution=scale), repeat)
    m = rf_sgd_pseudo_modes(eigs, power, d, resolution=scale)
    lrs, bs, zero = np.full(steps, lr), np.full(steps, float(batch)), np.zeros(steps)
    t_rec = _best(lambda: _recursion(m.x, m.count, m.power, lrs, bs, zero, 3.0, True), repeat)
    t_rec_mom = _best(lambda: _recursion(m.x, m.count, m.power, 0.5 * lrs, bs, zero + 0.5, 3.0, False), repeat)
    a = (1 - lr * m.x) ** 2 + lr**2 / batch * m.x**2
    out = np.empty(steps + 1)
    t_floor = _best(lambda: forcing_once_per_step(m.power, a, out), repeat)
    return {"rf_v": v, "rf_d": d, "rf_steps": steps, "rf_pseudo_modes": int(m.x.size), "rf_s": t_rf,
            "rf_momentum_s": t_mom, "rf_setup_s": t_setup, "rf_floor_s": t_floor, "rf_over_floor": t_rf / t_floor,
            "rf_recursion_over_floor": t_rec / t_floor, "rf_momentum_recursion_over_floor": t_rec_mom / t_floor}


def predictors(modes: int = 100_000, points: int = 176, alpha: float = 1.5, repeat: int = 2, p: float = 1000.0):
    """Passes over the spectrum per grid point of the risk-layer predictors (time over the one-pass floor)."""
    from . import optimal_ridge, overfitting_cost, rf_optimal_ridge, rf_ridge_risk

    k = np.arange(1, modes + 1, dtype=np.float64)
    eigs, task, noise = k**-alpha, k ** -(alpha - 0.3), 0.1
    n = np.geomspace(10, 10 * modes, points)
    n = n[np.abs(n - modes) > 0.5]
    n = n[np.abs(n - p) > 0.5]
    lv = prepare(eigs)
    out = np.empty(n.size)
    kappa = solve_kappa(eigs, n, 0.0)
    t_floor = _best(lambda: df1_once_per_point(lv.vals, lv.mult, kappa, out), max(repeat, 5))
    cases = {
        "optimal_ridge": lambda: optimal_ridge(eigs, task, noise, n),
        "overfitting_cost": lambda: overfitting_cost(eigs, task, noise, n),
        "rf_optimal_ridge": lambda: rf_optimal_ridge(eigs, task, noise, n, p),
        "rf_ridge_risk": lambda: rf_ridge_risk(eigs, task, noise, n, p, 1e-4),
    }
    import warnings

    res = {"modes": modes, "points": n.size, "floor_s": t_floor}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for name, fn in cases.items():
            t = _best(fn, repeat)
            res[name] = {"seconds": t, "passes_per_point": t / t_floor}
        ev = optimal_ridge(eigs, task, noise, n).evaluations
        res["optimal_ridge"]["kernel_evaluations_per_point"] = float(np.mean(ev))
        ev = rf_optimal_ridge(eigs, task, noise, n, p).evaluations
        res["rf_optimal_ridge"]["kernel_evaluations_per_point"] = float(np.mean(ev))
    return res


def _print_predictors(r):
    print(f"risk predictors on {r['modes']:,} modes x {r['points']} values of n "
          f"(floor: one pass per point = {r['floor_s'] * 1e3:.2f} ms)")
    for name in ("optimal_ridge", "overfitting_cost", "rf_optimal_ridge", "rf_ridge_risk"):
        c = r[name]
        extra = f"   ({c['kernel_evaluations_per_point']:.1f} search evaluations/point)" if "kernel_evaluations_per_point" in c else ""
        print(f"  {name:<18}{c['seconds'] * 1e3:9.2f} ms  {c['passes_per_point']:8.1f} passes/point  goal <= 20{extra}")
def _gd_problem(modes: int, alpha: float = 1.5, beta: float = 1.2):
    k = np.arange(1, modes + 1, dtype=np.float64)
    tpow = k**-beta
    return k**-alpha, tpow / tpow.sum()


def run_gd(modes: int = 400, n: int = 200, lr: float = 1.0, noise: float = 0.1,
           steps=(1_000, 4_000, 16_000, 64_000), long_steps: int = 1_000_000, repeat: int = 3):
    """Cost growth of :func:`rmt.gd_risk` with the number of steps, and the time of one long curve.

    ``exponent`` is the least-squares slope of log(time) against log(steps) over
    ``steps`` (goal ≤ 1.1: the whole curve in O(steps · m), never O(steps²)).
    """
    from .risk.gd import gd_risk

    eigs, tpow = _gd_problem(modes)
    return {"modes": modes, "n": n,
            **_cost_growth(lambda T: gd_risk(eigs, tpow, noise, n, lr, T), steps, long_steps, repeat)}


def _cost_growth(curve, steps, long_steps, repeat):
    """Times of ``curve(T)`` for each ``T`` in ``steps``, their fitted exponent, and one ``long_steps`` curve."""
    times = [_best(lambda T=T: curve(T), repeat) for T in steps]
    t_long = _best(lambda: curve(long_steps), 1) if long_steps else float("nan")
    return {
        "steps": list(steps),
        "times_s": times,
        "exponent": float(np.polyfit(np.log(steps), np.log(times), 1)[0]),
        "long_steps": long_steps,
        "long_s": t_long,
    }


def run_rf_gd(modes: int = 400, n: int = 100, p: int = 200, lr: float = 1.0, noise: float = 0.1,
              steps=(1_000, 4_000, 16_000, 64_000), long_steps: int = 1_000_000, repeat: int = 3):
    """:func:`run_gd` for :func:`rmt.rf_gd_risk` (same problem, ``p`` random features), and its ratio to ``gd_risk``.

    ``over_gd`` is the time of the ``long_steps`` curve over :func:`rmt.gd_risk`'s at the
    same ``n`` measured in the same run (the same recursion; the extra cost is the
    two-level κ̃ at the nodes).
    """
    from .risk.gd import gd_risk
    from .risk.rf_gd import rf_gd_risk

    eigs, tpow = _gd_problem(modes)
    out = {"modes": modes, "n": n, "p": p,
           **_cost_growth(lambda T: rf_gd_risk(eigs, tpow, noise, n, p, lr, T), steps, long_steps, repeat)}
    t_gd = _best(lambda: gd_risk(eigs, tpow, noise, n, lr, long_steps), 1) if long_steps else float("nan")
    out.update(gd_long_s=t_gd, over_gd=out["long_s"] / t_gd)
    return out


def run_gd_vs_monte_carlo(modes: int = 400, n: int = 200, lr: float = 1.0, noise: float = 0.1, steps: int = 1_000,
                          pilot_trials: int = 8, rel_se: float = 1e-3, repeat: int = 3):
    """Theory vs Monte Carlo for one GD curve at equal accuracy.

    The curve from :func:`rmt.gd_risk` is accurate to ~1e-12 (against its slow
    reference); Monte Carlo can only approach that. We time ``pilot_trials`` draws
    of :func:`rmt.simulate.gd_risk`, and extrapolate to the trials needed for a
    relative standard error ``rel_se`` of the test risk at every step
    (``trials ∝ (SE / rel_se)²``): ``mc_s`` is that extrapolated time, a lower
    bound on the cost of matching the theory's accuracy.
    """
    from .risk.gd import gd_risk
    from .simulate.gd import gd_risk as gd_sim

    eigs, tpow = _gd_problem(modes)
    t_theory = _best(lambda: gd_risk(eigs, tpow, noise, n, lr, steps), repeat)
    t0 = time.perf_counter()
    sim = gd_sim(eigs, tpow, noise, n, lr, steps, trials=pilot_trials, seed=0)
    t_pilot = time.perf_counter() - t0
    rel = np.max(sim.test_se / sim.test)  # at pilot_trials
    trials = max(pilot_trials, int(np.ceil(pilot_trials * (rel / rel_se) ** 2)))
    t_mc = t_pilot * trials / pilot_trials
    return {
        "modes": modes,
        "n": n,
        "steps": steps,
        "theory_s": t_theory,
        "mc_trials_needed": trials,
        "mc_s": t_mc,
        "rel_se": rel_se,
        "speedup": t_mc / t_theory,
    }


def run_multipass(modes: int = 300, n: int = 600, steps: int = 300, repeat: int = 3):
    """Time :func:`rmt.multipass_sgd_risk`: a constant ``(lr, batch) = (0.3, 2)`` (closure B, the baseline), a
    linearly decaying lr schedule 0.4 → 0.1 (two-time kernels) and closure ``M_H``, all in the same run."""
    from .risk.multipass import multipass_sgd_risk

    eigs, tp = _gd_problem(modes)
    sched = np.linspace(0.4, 0.1, steps)
    multipass_sgd_risk(eigs, tp, 0.1, n, sched[:8], 2, 8, closure="B")  # compile outside the timings
    multipass_sgd_risk(eigs, tp, 0.1, n, 0.3, 2, 8, closure="M_H")
    t_b = _best(lambda: multipass_sgd_risk(eigs, tp, 0.1, n, 0.3, 2, steps), repeat)
    t_s = _best(lambda: multipass_sgd_risk(eigs, tp, 0.1, n, sched, 2, steps), repeat)
    t_m = _best(lambda: multipass_sgd_risk(eigs, tp, 0.1, n, 0.3, 2, steps, closure="M_H"), repeat)
    return {"modes": modes, "n": n, "steps": steps, "constant_s": t_b, "schedule_s": t_s, "memory_s": t_m,
            "schedule_over_constant": t_s / t_b, "memory_over_constant": t_m / t_b}


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m rmt.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--modes", type=int, default=100_000)
    p.add_argument("--points", type=int, default=512)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--brentq-points", type=int, default=128, help="grid points the brentq loop is timed on")
    p.add_argument("--sgd-modes", type=int, default=10_000)
    p.add_argument("--sgd-steps", type=int, default=100_000, help="online SGD benchmark steps (0 skips it)")
    p.add_argument("--predictors", action="store_true",
                   help="also time optimal_ridge, overfitting_cost, rf_optimal_ridge, rf_ridge_risk (passes per point)")
    p.add_argument("--predictor-points", type=int, default=176, help="values of n for --predictors")
    p.add_argument("--rf-sgd", action="store_true", help="also time rmt.rf_online_sgd_risk on the 4+3 model")
    p.add_argument("--rf-v", type=int, default=4_000)
    p.add_argument("--rf-d", type=int, default=1_000)
    p.add_argument("--rf-steps", type=int, default=100_000)
    p.add_argument("--gd", action="store_true", help="also time rmt.gd_risk (cost growth, 1e6 steps, vs Monte Carlo)")
    p.add_argument("--multipass", type=int, default=0, metavar="STEPS",
                   help="also time rmt.multipass_sgd_risk over STEPS steps: schedule and closure M_H vs constant")
    p.add_argument("--rf-gd", action="store_true", help="also time rmt.rf_gd_risk (cost growth, 1e6 steps)")
    a = p.parse_args(argv)
    r = run(a.modes, a.points, repeat=a.repeat, brentq_points=a.brentq_points)
    print(f"solve_kappa on {r['modes']:,} modes x {r['points']} (n, ridge) points")
    print(f"  solver            {r['solver_s'] * 1e3:9.2f} ms   ({r['mean_evaluations']:.2f} passes/point mean, {r['max_evaluations']} max)")
    print(f"  floor (1 pass/pt) {r['floor_s'] * 1e3:9.2f} ms")
    m = min(a.brentq_points, r["points"])
    print(f"  brentq, linear κ  {r['brentq_linear_s'] * 1e3:9.2f} ms   (timed on {m} points, scaled)")
    print(f"  brentq, log κ     {r['brentq_log_s'] * 1e3:9.2f} ms   (timed on {m} points, scaled)")
    print(f"  solver / floor    {r['passes_over_floor']:9.2f}    goal <= 10")
    print(f"  brentq(linear) / solver {r['speedup_over_brentq']:7.1f}x   goal >= 10x")
    print(f"  brentq(log) / solver    {r['speedup_over_brentq_log']:7.1f}x")
    print(f"  max |kappa_brentq / kappa - 1| = {r['max_rel_diff_vs_brentq']:.2e}")
    if a.sgd_steps > 0:
        r.update(run_sgd(a.sgd_modes, a.sgd_steps, repeat=a.repeat))
        print(f"online_sgd_risk on {r['sgd_modes']:,} modes x {r['sgd_steps']:,} steps")
        print(f"  recursion         {r['sgd_s'] * 1e3:9.2f} ms")
        print(f"  floor (1 pass)    {r['sgd_floor_s'] * 1e3:9.2f} ms")
        print(f"  recursion / floor {r['sgd_over_floor']:9.2f}    goal <= 3")
    if a.rf_sgd:
        r.update(run_rf_sgd(a.rf_v, a.rf_d, a.rf_steps, repeat=a.repeat))
        print(f"rf_online_sgd_risk, 4+3 model v = {r['rf_v']:,}, d = {r['rf_d']:,}, {r['rf_steps']:,} steps "
              f"({r['rf_pseudo_modes']:,} pseudo-modes)")
        print(f"  whole call        {r['rf_s'] * 1e3:9.2f} ms   (set-up {r['rf_setup_s'] * 1e3:.2f} ms; "
              f"with momentum {r['rf_momentum_s'] * 1e3:.2f} ms)")
        print(f"  floor (1 pass)    {r['rf_floor_s'] * 1e3:9.2f} ms")
        print(f"  recursion / floor {r['rf_recursion_over_floor']:9.2f}    goal <= 4")
        print(f"  momentum recursion / floor {r['rf_momentum_recursion_over_floor']:6.2f}")
        print(f"  call / floor      {r['rf_over_floor']:9.2f}")
    if a.predictors:
        r["predictors"] = predictors(a.modes, a.predictor_points, repeat=a.repeat)
        _print_predictors(r["predictors"])
    if a.gd:
        g = run_gd(repeat=a.repeat)
        print(f"gd_risk on {g['modes']} modes, n = {g['n']}")
        print("  steps " + "  ".join(f"{T:>8,}" for T in g["steps"]))
        print("  time  " + "  ".join(f"{x * 1e3:6.1f}ms" for x in g["times_s"]))
        print(f"  cost exponent      {g['exponent']:6.2f}    goal <= 1.1")
        print(f"  {g['long_steps']:,} steps       {g['long_s']:6.2f} s")
        m = run_gd_vs_monte_carlo(repeat=a.repeat)
        print(f"  one {m['steps']}-step curve: theory {m['theory_s'] * 1e3:.1f} ms; Monte Carlo at relative SE "
              f"{m['rel_se']:g}: {m['mc_trials_needed']} trials, {m['mc_s']:.1f} s (extrapolated), "
              f"{m['speedup']:.0f}x slower")
        r["gd"], r["gd_vs_mc"] = g, m
    if a.multipass > 0:
        mp = run_multipass(steps=a.multipass, repeat=a.repeat)
        print(f"multipass_sgd_risk on {mp['modes']} modes, n = {mp['n']}, {mp['steps']} steps")
        print(f"  constant (B)      {mp['constant_s'] * 1e3:9.1f} ms")
        print(f"  lr schedule       {mp['schedule_s'] * 1e3:9.1f} ms   ({mp['schedule_over_constant']:.2f}x)")
        print(f"  closure M_H       {mp['memory_s'] * 1e3:9.1f} ms   ({mp['memory_over_constant']:.2f}x)")
        r["multipass"] = mp
    if a.rf_gd:
        g = run_rf_gd(repeat=a.repeat)
        print(f"rf_gd_risk on {g['modes']} modes, n = {g['n']}, p = {g['p']}")
        print("  steps " + "  ".join(f"{T:>8,}" for T in g["steps"]))
        print("  time  " + "  ".join(f"{x * 1e3:6.1f}ms" for x in g["times_s"]))
        print(f"  cost exponent      {g['exponent']:6.2f}    goal <= 1.1")
        print(f"  {g['long_steps']:,} steps       {g['long_s']:6.2f} s   (gd_risk at the same n: {g['gd_long_s']:.2f} s, "
              f"ratio {g['over_gd']:.2f})")
        r["rf_gd"] = g
    return r


if __name__ == "__main__":
    main()
