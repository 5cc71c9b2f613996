# SPDX-License-Identifier: BSD-3-Clause
"""Paper figures, redrawn from the deterministic equivalents (with Monte Carlo points).

``rmt figure NAME`` (or ``python -m rmt.figures NAME``) writes ``NAME.png`` and
prints the plotted numbers. ``--quick`` uses small Monte Carlo sizes.

=====================  ============================================================
``hastie2019``         ridgeless isotropic double descent in γ = D/n
                       (Hastie, Montanari, Rosset & Tibshirani 2019, Fig. 2 setting)
``cost-of-overfitting``  cost of overfitting of power-law KRR against n and noise,
                       with the closed-form large-n limit (Zhou, Simon, Vardi &
                       Srebro 2024; Mallinar et al. 2022)
``rf-double-descent``  random-feature ridge against the width p, ridgeless and
                       optimally tuned ("more is better", Simon et al. 2024)
=====================  ============================================================
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from . import powerlaw, simulate
from .risk import optimal_ridge, overfitting_cost, rf_optimal_ridge, rf_ridge_risk, ridge_risk
from .spectra import PowerLaw, isotropic, power_law, power_law_target


def _axes(title, xlabel, ylabel):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def hastie2019(quick=False):
    """Ridgeless excess risk of isotropic least squares against γ = D/n (signal 1, noise 0.25)."""
    D, signal, noise = 300, 1.0, 0.25  # isotropic(D) is one level: its target power is the total, |w*|²
    gamma = np.geomspace(0.1, 10, 400)
    gamma = gamma[np.abs(gamma - 1) > 2e-3]
    theory = ridge_risk(isotropic(D), signal, noise, D / gamma, 0.0).excess
    tuned = optimal_ridge(isotropic(D), signal, noise, D / gamma)[1].excess
    g_mc = np.array([0.2, 0.5, 0.8, 1.3, 2.0, 5.0])
    n_mc = np.round(D / g_mc).astype(int)
    sim = simulate.ridge_risk(isotropic(D), signal, noise, n_mc, 0.0, trials=6 if quick else 40, seed=1)
    fig, ax = _axes("ridgeless least squares, Σ = I (Hastie et al. 2019)", "γ = D/n", "excess risk")
    ax.loglog(gamma, theory, label="ridgeless (theory)")
    ax.loglog(gamma, tuned, label="optimal ridge (theory)")
    ax.errorbar(D / n_mc, sim.excess, sim.excess_se, fmt="o", ms=4, color="C0", label=f"Monte Carlo, D = {D}")
    ax.set_ylim(0.05, 20)
    ax.legend(fontsize=8)
    rows = [{"gamma": D / n, "theory": float(ridge_risk(isotropic(D), signal, noise, n, 0.0).excess),
             "mc": float(m), "se": float(s)} for n, m, s in zip(n_mc, sim.excess, sim.excess_se)]
    return fig, rows


def cost_of_overfitting(quick=False):
    """Cost of overfitting of KRR on λ_k = k^-2, v_k² = k^-1.5 (infinite spectrum) against n."""
    alpha, beta = 2.0, 1.5
    n = np.geomspace(10, 1e5, 25 if quick else 60)
    fig, ax = _axes(f"cost of overfitting, λ = k^-{alpha:g}, v² = k^-{beta:g} (infinite spectrum)",
                    "n", "test(ridge→0) / min test")
    rows = []
    for noise, color in zip([0.0, 1e-3, 1e-2, 1e-1], ["C0", "C1", "C2", "C3"]):
        c = overfitting_cost(PowerLaw(alpha), PowerLaw(beta), noise, n)
        limit = powerlaw.overfitting_cost_limit(alpha, beta, noise, n).cost
        ax.semilogx(n, c, color=color, label=f"noise {noise:g}")
        ax.semilogx(n, limit, color=color, ls=":", lw=1)
        rows += [{"noise": noise, "n": float(k), "cost": float(x), "closed_form": float(y)}
                 for k, x, y in zip(n[::8], np.asarray(c)[::8], np.asarray(limit)[::8])]
    ax.axhline(alpha, color="gray", lw=0.8, ls="--", label="tempered limit α")
    ax.legend(fontsize=8)
    return fig, rows


def rf_double_descent(quick=False):
    """Random-feature ridge on a k^-1.5 spectrum: test risk against the width p at n = 100."""
    D, n, noise = 300, 100, 0.05
    eigs, task = power_law(D, 1.5), power_law_target(D, 1.5, total=1.0)
    p = np.geomspace(10, 3000, 200)
    p = p[np.abs(p - n) > 0.5]
    ridgeless = rf_ridge_risk(eigs, task, noise, n, p, 0.0).test
    tuned = rf_optimal_ridge(eigs, task, noise, n, p)[1].test
    p_mc = np.array([30, 70, 150, 400, 1000])
    sim = simulate.rf_ridge_risk(eigs, task, noise, n, p_mc, 0.0, trials=4 if quick else 30, seed=3)
    fig, ax = _axes(f"random features, n = {n}, D = {D} (theory and Monte Carlo)", "features p", "test risk")
    ax.loglog(p, ridgeless, label="ridgeless")
    ax.loglog(p, tuned, label="optimal ridge")
    ax.errorbar(p_mc, sim.test, sim.test_se, fmt="o", ms=4, color="C0", label="Monte Carlo (ridgeless)")
    ax.axvline(n, color="gray", ls="--", lw=0.8)
    ax.legend(fontsize=8)
    rows = [{"p": int(k), "theory": float(rf_ridge_risk(eigs, task, noise, n, k, 0.0).test), "mc": float(m), "se": float(s)}
            for k, m, s in zip(p_mc, sim.test, sim.test_se)]
    return fig, rows


FIGURES = {"hastie2019": hastie2019, "cost-of-overfitting": cost_of_overfitting, "rf-double-descent": rf_double_descent}


def check_out_path(out: str) -> None:
    """Refuse an output path whose folder is missing or not writable (``--out`` of ``rmt demo`` and ``rmt figure``)."""
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise ValueError(f"--out {out!r}: the folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"--out {out!r}: the folder {folder!r} is not writable")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="rmt figure", description="Redraw a paper figure from the theory.")
    parser.add_argument("name", nargs="?", choices=sorted(FIGURES), help="which figure (omit to list them)")
    parser.add_argument("--out", help="PNG path (default NAME.png)")
    parser.add_argument("--quick", action="store_true", help="small Monte Carlo sizes")
    args = parser.parse_args(argv)
    if args.name is None:
        for name, fn in FIGURES.items():
            print(f"{name:22s} {fn.__doc__.splitlines()[0]}")
        return 0
    out = args.out or f"{args.name}.png"
    check_out_path(out)  # before the (possibly long) Monte Carlo
    fig, rows = FIGURES[args.name](quick=args.quick)
    for row in rows:
        print("  ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"figure written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
