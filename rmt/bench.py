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
    if a.predictors:
        r["predictors"] = predictors(a.modes, a.predictor_points, repeat=a.repeat)
        _print_predictors(r["predictors"])
    return r


if __name__ == "__main__":
    main()
