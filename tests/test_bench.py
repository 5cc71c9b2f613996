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
def test_bench_rf_sgd_runs_small(capsys):
    r = bench.main(["--modes", "500", "--points", "4", "--repeat", "1", "--brentq-points", "2", "--sgd-steps", "0",
                    "--rf-sgd", "--rf-v", "300", "--rf-d", "60", "--rf-steps", "500"])
    assert "recursion / floor" in capsys.readouterr().out
    assert r["rf_steps"] == 500 and r["rf_pseudo_modes"] > 0 and np.isfinite(r["rf_over_floor"])


def test_bench_predictor_cases_report_passes_per_point(capsys):
    r = bench.main(["--modes", "2000", "--points", "16", "--repeat", "1", "--brentq-points", "4",
                    "--sgd-steps", "0", "--predictors", "--predictor-points", "12"])
    out = capsys.readouterr().out
    assert "passes/point" in out
    pr = r["predictors"]
    for name in ("optimal_ridge", "overfitting_cost", "rf_optimal_ridge", "rf_ridge_risk"):
        assert name in out and np.isfinite(pr[name]["passes_per_point"]) and pr[name]["passes_per_point"] > 0
    assert 1 <= pr["optimal_ridge"]["kernel_evaluations_per_point"] <= 200


def test_bench_multipass_runs_small(capsys):
    r = bench.main(["--modes", "500", "--points", "4", "--repeat", "1", "--brentq-points", "2", "--sgd-steps", "0",
                    "--multipass", "20"])
    assert "closure M_H" in capsys.readouterr().out
    mp = r["multipass"]
    assert mp["steps"] == 20 and all(np.isfinite(mp[k]) and mp[k] > 0 for k in ("constant_s", "schedule_s", "memory_s"))
