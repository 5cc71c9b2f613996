# SPDX-License-Identifier: BSD-3-Clause
"""The ``rmt`` command: demo (small), risk table, errors."""

import subprocess
import sys

import numpy as np
import pytest

import rmt
from rmt import cli


def test_demo_small(tmp_path, capsys):
    out = tmp_path / "demo.png"
    assert cli.main(["demo", "--D", "120", "--points", "3", "--trials", "4", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "theory test" in text and "figure written" in text
    assert out.stat().st_size > 10_000
    rows = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 9  # 3 sample sizes x 3 set-ups
    # the printed theory column is rmt.ridge_risk itself
    n, ridge, pred = int(rows[1][0]), float(rows[1][2]), float(rows[1][3])
    eigs, task = rmt.spectra.power_law(120, 1.5), rmt.spectra.power_law_target(120, 1.5, total=1.0)
    assert pred == pytest.approx(float(rmt.ridge_risk(eigs, task, 0.05, n, ridge).test), rel=1e-5)


def test_risk_table(capsys):
    assert cli.main(["risk", "--D", "500", "--n", "50", "--ridges", "0", "0.01"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    test = float(lines[2].split()[3])
    eigs, task = rmt.spectra.power_law(500, 1.5), rmt.spectra.power_law_target(500, 1.5, total=1.0)
    assert test == pytest.approx(float(rmt.ridge_risk(eigs, task, 0.05, 50, 0.01).test), rel=1e-5)


def test_bad_input_exits_2(capsys):
    assert cli.main(["risk", "--noise", "-1"]) == 2
    assert "noise must be >= 0" in capsys.readouterr().err


def test_console_script_entry_point():
    r = subprocess.run([sys.executable, "-m", "rmt.cli", "risk", "--D", "50", "--n", "10", "--ridges", "0.1"],
                       capture_output=True, text=True, check=True)
    assert np.isfinite(float(r.stdout.strip().splitlines()[1].split()[3]))


@pytest.mark.parametrize("name", ["hastie2019", "cost-of-overfitting", "rf-double-descent"])
def test_paper_figures_quick(name, tmp_path, capsys):
    """Each figure script runs (quick Monte Carlo), writes a PNG and prints its numbers."""
    out = tmp_path / f"{name}.png"
    assert cli.main(["figure", name, "--quick", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000
    text = capsys.readouterr().out
    assert "figure written" in text and len(text.splitlines()) >= 4


def test_figure_list(capsys):
    assert cli.main(["figure"]) == 0
    assert "hastie2019" in capsys.readouterr().out


def test_hastie_figure_numbers_match_closed_form():
    from rmt import figures

    _, rows = figures.hastie2019(quick=True)
    for row in rows:
        g = row["gamma"]
        expected = (1 - 1 / g) + 0.25 / (g - 1) if g > 1 else 0.25 * g / (1 - g)
        assert row["theory"] == pytest.approx(expected, rel=1e-10)


# --------------------------------------------------------------------------- regressions (issue 7, CLI)


def test_bench_and_figure_options_pass_through(capsys):
    assert cli.main(["bench", "--modes", "1000", "--points", "8", "--repeat", "1", "--brentq-points", "2",
                     "--sgd-steps", "0"]) == 0
    assert "solver / floor" in capsys.readouterr().out
    assert cli.main(["figure", "--quick", "--out", "/dev/null", "hastie2019"]) == 0


@pytest.mark.parametrize("opts, message", [
    (["--points", "0"], "--points must be an integer >= 1"),
    (["--points", "-3"], "--points must be an integer >= 1"),
    (["--trials", "1"], "--trials must be an integer >= 2"),
    (["--out", "/nonexistent/x.png"], "does not exist"),
])
def test_demo_refuses_bad_options_before_simulating(opts, message, capsys):
    assert cli.main(["demo", "--D", "50", *opts]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "theory test" not in captured.out


def test_figure_checks_out_folder_first(capsys):
    assert cli.main(["figure", "hastie2019", "--out", "/nonexistent/f.png"]) == 2
    assert "does not exist" in capsys.readouterr().err
