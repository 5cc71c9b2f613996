# SPDX-License-Identifier: BSD-3-Clause
"""The ``rmt`` command.

``rmt demo``
    A power-law ridge problem: predicted learning curves (test risk against
    the number of samples, ridgeless / fixed ridge / optimally tuned) with
    Monte Carlo points and error bars; a table on stdout and a PNG figure.
``rmt risk``
    Predicted risks of one power-law ridge set-up, as a table.
``rmt bench``
    The solver benchmark (``python -m rmt.bench``).
``rmt figure [NAME]``
    Redraw a paper figure (:mod:`rmt.figures`); without NAME, list them.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from . import bench
from .risk import optimal_ridge, ridge_risk
from .spectra import power_law, power_law_target


def _problem(args):
    eigs = power_law(args.D, args.alpha)
    target = power_law_target(args.D, args.beta, total=1.0)
    return eigs, target


def _check_demo_args(args) -> None:
    """Refuse bad options before any work (a long simulation must not end in a traceback)."""
    for opt, value, minimum in (("--points", args.points, 1), ("--trials", args.trials, 2), ("--D", args.D, 2)):
        if value < minimum:
            raise ValueError(f"{opt} must be an integer >= {minimum}; got {value}")
    if args.out:
        from .figures import check_out_path

        check_out_path(args.out)


def _demo(args) -> int:
    from . import simulate

    _check_demo_args(args)
    eigs, target = _problem(args)
    n_curve = np.unique(np.geomspace(10, 4 * args.D, 200).round())
    n_mc = np.unique(np.geomspace(20, 2 * args.D, args.points).round()).astype(int)
    fixed = args.ridge

    def curves():
        return {
            "ridgeless": ridge_risk(eigs, target, args.noise, n_curve, 0.0).test,
            f"ridge={fixed:g}": ridge_risk(eigs, target, args.noise, n_curve, fixed).test,
            "optimal ridge": optimal_ridge(eigs, target, args.noise, n_curve)[1].test,
        }

    t0 = time.perf_counter()
    theory = curves()  # the first call in a fresh install also compiles (and caches) the numba kernels
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    theory = curves()
    t_theory = time.perf_counter() - t0
    ridge_star = optimal_ridge(eigs, target, args.noise, n_mc)[0]

    t1 = time.perf_counter()
    rows = []
    mc = {name: ([], []) for name in theory}
    for n, r_opt in zip(n_mc, np.atleast_1d(ridge_star)):
        for name, ridge in (("ridgeless", 0.0), (f"ridge={fixed:g}", fixed), ("optimal ridge", r_opt)):
            pred = float(ridge_risk(eigs, target, args.noise, n, ridge).test)
            sim = simulate.ridge_risk(eigs, target, args.noise, int(n), ridge, trials=args.trials, seed=args.seed)
            mean, se = float(sim.test), float(sim.test_se)
            mc[name][0].append(mean)
            mc[name][1].append(se)
            rows.append((int(n), name, ridge, pred, mean, se))
    t_mc = time.perf_counter() - t1

    print(f"rmt demo: D = {args.D} modes, eigs k^-{args.alpha:g}, target power k^-{args.beta:g} (total 1), "
          f"noise = {args.noise:g}; Monte Carlo {args.trials} trials per point, seed {args.seed}")
    print(f"{'n':>6} {'set-up':>14} {'ridge':>10} {'theory test':>12} {'MC test':>12} {'± SE':>9} {'z':>6}")
    for n, name, ridge, pred, mean, se in rows:
        z = (mean - pred) / se if se > 0 else 0.0
        print(f"{n:6d} {name:>14} {ridge:10.3g} {pred:12.6g} {mean:12.6g} {se:9.2g} {z:6.2f}")
    compiled = f" (first call {t_first:.1f} s, numba compilation included)" if t_first > 2 * t_theory + 0.5 else ""
    print(f"theory: {len(n_curve)} n values x 3 set-ups in {t_theory * 1e3:.0f} ms{compiled}; "
          f"Monte Carlo: {len(rows)} points in {t_mc:.1f} s")

    if args.out:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        for (name, curve), color in zip(theory.items(), ("C0", "C1", "C2")):
            ax.loglog(n_curve, curve, color=color, label=f"{name} (theory)")
            ax.errorbar(n_mc, mc[name][0], yerr=mc[name][1], fmt="o", ms=4, color=color, capsize=2)
        ax.axhline(args.noise, color="gray", ls=":", lw=1, label="noise floor")
        ax.axvline(args.D, color="gray", ls="--", lw=0.8)
        ax.set_xlabel("samples n")
        ax.set_ylabel("test risk (noise included)")
        ax.set_title(f"ridge on a k^-{args.alpha:g} spectrum (D={args.D}): theory vs Monte Carlo")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(args.out, dpi=120)
        print(f"figure written to {args.out}")
    return 0


def _risk(args) -> int:
    eigs, target = _problem(args)
    r = ridge_risk(eigs, target, args.noise, np.asarray(args.n, dtype=float)[:, None], np.asarray(args.ridges)[None, :])
    print(f"{'n':>8} {'ridge':>10} {'kappa':>12} {'test':>12} {'excess':>12} {'train':>12} {'E0':>8}")
    for idx in np.ndindex(r.test.shape):
        print(f"{r.n[idx]:8.0f} {r.ridge[idx]:10.3g} {r.kappa[idx]:12.6g} {r.test[idx]:12.6g} "
              f"{r.excess[idx]:12.6g} {r.train[idx]:12.6g} {r.E0[idx]:8.4g}")
    return 0


def _add_problem(p, D):
    p.add_argument("--D", type=int, default=D, help="number of modes (default %(default)s)")
    p.add_argument("--alpha", type=float, default=1.5, help="spectrum eigs_k = k^-alpha (default %(default)s)")
    p.add_argument("--beta", type=float, default=1.5, help="target power k^-beta, total 1 (default %(default)s)")
    p.add_argument("--noise", type=float, default=0.05, help="label-noise variance (default %(default)s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="rmt", description="Deterministic equivalents for high-dimensional learning.")
    sub = parser.add_subparsers(dest="command")
    d = sub.add_parser("demo", help="learning curves of a power-law ridge problem, theory vs Monte Carlo")
    _add_problem(d, 400)
    d.add_argument("--ridge", type=float, default=1e-2, help="the fixed ridge shown (default %(default)s)")
    d.add_argument("--points", type=int, default=7, help="Monte Carlo sample sizes (default %(default)s)")
    d.add_argument("--trials", type=int, default=24, help="Monte Carlo trials per point (default %(default)s)")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--out", default="rmt_demo.png", help="PNG figure path ('' for none; default %(default)s)")
    r = sub.add_parser("risk", help="predicted risks of a power-law ridge set-up")
    _add_problem(r, 1000)
    r.add_argument("--n", type=float, nargs="+", default=[100.0, 1000.0])
    r.add_argument("--ridges", type=float, nargs="+", default=[0.0, 1e-3, 1e-1])
    b = sub.add_parser("bench", help="benchmark solve_kappa against baselines")
    b.add_argument("bench_args", nargs=argparse.REMAINDER)
    f = sub.add_parser("figure", help="redraw a paper figure (list them without a name)")
    f.add_argument("figure_args", nargs=argparse.REMAINDER)
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("bench", "figure"):
        # Pass-through commands: every option belongs to the sub-tool, in any order
        # (``rmt bench --modes 1000``, ``rmt figure --quick NAME``).
        try:
            if argv[0] == "figure":
                from . import figures

                return figures.main(argv[1:])
            bench.main(argv[1:])
            return 0
        except ValueError as exc:
            print(f"rmt: error: {exc}", file=sys.stderr)
            return 2
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["demo", *(argv or [])])
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "risk":
            return _risk(args)
        if args.command == "figure":
            from . import figures

            return figures.main(args.figure_args)
        bench.main(args.bench_args)
        return 0
    except ValueError as exc:
        print(f"rmt: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
