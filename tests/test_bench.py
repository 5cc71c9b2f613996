# SPDX-License-Identifier: BSD-3-Clause
"""The benchmark command runs and its baselines agree with the solver (no timing assertions)."""

import numpy as np

from rmt import bench


def test_bench_runs_small_and_baselines_agree(capsys):
    r = bench.main(["--modes", "2000", "--points", "16", "--repeat", "1", "--brentq-points", "8", "--sgd-steps", "0"])
    out = capsys.readouterr().out
    assert "solver / floor" in out and "brentq(linear) / solver" in out
    assert r["points"] == 16
    assert r["max_rel_diff_vs_brentq"] < 1e-11
    assert all(np.isfinite(r[k]) and r[k] > 0 for k in ("solver_s", "floor_s", "brentq_linear_s", "brentq_log_s"))
    assert 1 <= r["mean_evaluations"] <= r["max_evaluations"] <= 50


def test_bench_sgd_runs_small(capsys):
    r = bench.main(["--modes", "500", "--points", "4", "--repeat", "1", "--brentq-points", "2",
                    "--sgd-modes", "300", "--sgd-steps", "2000"])
    assert "recursion / floor" in capsys.readouterr().out
    assert r["sgd_steps"] == 2000 and np.isfinite(r["sgd_over_floor"]) and r["sgd_over_floor"] > 0
