# SPDX-License-Identifier: BSD-3-Clause
"""Monte Carlo twins (``rmt.simulate``): exactness, agreement with theory, reproducibility, bad input.

Layout
------
* Exact checks (no tolerance beyond round-off): kernel form == primal form draw by
  draw; one draw reproduced with a dense solve; exhaustive enumeration of a tiny
  pool; the null predictor.
* Monte Carlo vs exact finite-n formulas (isotropic ridgeless, inverse-Wishart
  moments): tolerance ``4·SE`` only — these validate the simulator itself.
* Monte Carlo vs the deterministic equivalent (``@pytest.mark.montecarlo``):
  tolerance ``Z·SE + ALLOW·|theory|`` with a finite-size allowance derived below.
* Real data (scikit-learn's digits): ``kernel_ridge_pool`` vs theory on
  ``from_kernel(K, y)``, with the measured Gaussian-universality gap as tolerance.
* Executor invariance, seeding, broadcasting, bad input.

Monte Carlo size: trial counts are ``base × mc_scale()`` (env ``RMT_MC_SCALE``,
default 1 = the CI size, chosen so this file runs in well under a minute on 2
cores). Tolerances are built from the standard error, so a larger scale only
tightens the statistical part; the finite-size allowance does not shrink.
"""

import itertools
import warnings
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from conftest import mc_scale

import rmt
import rmt.simulate as sim
from rmt.spectra import Spectrum, power_law, power_law_target

montecarlo = pytest.mark.montecarlo

Z = 4.0  # many (correlated) comparisons per test: 4 SE keeps the per-comparison false-alarm rate ~1e-4

# Finite-size allowance for Gaussian-data MC vs the deterministic equivalent (DE).
# The DE is exact only as n, D -> inf; its error at finite size is O(1/m) relative
# with m = min(n, |n - D|). The one case known in closed form fixes the scale: for
# isotropic data, ridgeless, the label-noise part is E tr(Σ A Aᵀ) = D/(n-D-1) (n > D+1)
# or n/(D-n-1) (n < D-1) exactly (inverse-Wishart moments), vs the DE D/(n-D) or
# n/(D-n): a relative gap 1/(|n-D|-1) ≈ 1/m. Measured with 300-3000 trials over
# isotropic, k^-1.5 / k^-1.5 and k^-1.5 / k^-1.2 tasks, n/D ∈ {1/4, 1/2, 2},
# D ∈ {200, 400, 800}, ridge ∈ {0, 1e-3, 0.1}, noise ∈ {0, 0.5}, the systematic
# part of |MC/DE - 1|·m never exceeded 1.15 for excess, bias, variance or train
# (e.g. isotropic D=400, n=100: train +0.8%, variance +0.3%, bias -0.2%). We allow
# 2/m: about twice the worst systematic gap, i.e. 2% at m = 100, 0.67% at m = 300.
ALLOW_C = 2.0

RISK_FIELDS = ("excess", "test", "train", "bias", "variance")


def trials(base: int, minimum: int = 16) -> int:
    return max(minimum, int(round(base * mc_scale())))


def allowance(n, D):
    n = np.asarray(n, dtype=float)
    return ALLOW_C / np.minimum(n, np.abs(n - D))


def assert_mc_agrees(mc, theory, *, allow, atol, fields=RISK_FIELDS, z=Z, where="", select=...):
    """``|mc - theory| <= z·SE + allow·|theory| + atol`` for every field and (selected) grid point."""
    lines = []
    for f in fields:
        m, se, th = (np.asarray(getattr(mc, f)), np.asarray(getattr(mc, f + "_se")), np.asarray(getattr(theory, f)))
        m, se, th, al = (x[select] for x in np.broadcast_arrays(m, se, th, allow))
        tol = z * se + al * np.abs(th) + atol
        bad = ~(np.abs(m - th) <= tol)
        for idx in zip(*np.nonzero(bad)):
            rel = (m[idx] - th[idx]) / th[idx] if th[idx] else np.inf
            lines.append(
                f"{f}{list(idx)}: MC {m[idx]:.6g} ± {se[idx]:.2g}, theory {th[idx]:.6g}, "
                f"rel {rel:+.4f}, z {(m[idx] - th[idx]) / se[idx] if se[idx] else np.inf:+.2f}, tol {tol[idx]:.3g}"
            )
    assert not lines, f"MC vs theory {where}:\n" + "\n".join(lines)


def theory(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


# --------------------------------------------------------------------------- exact checks


def _pl_task(D, a=1.5, b=1.2):
    return power_law(D, a), power_law_target(D, b)


def test_kernel_form_equals_primal_draw_by_draw():
    """Same seed -> same X; SVD of X vs eigendecomposition of XXᵀ agree per draw to 1e-8."""
    D = 300
    eigs, tp = _pl_task(D)
    n = np.array([100, 250, 350, 600])[:, None, None]  # under- and over-parameterized, off n = D
    ridge = np.array([0.0, 1e-4, 1e-2, 1.0, np.inf])[None, :, None]
    noise = np.array([0.0, 0.3])
    a = sim.ridge_risk(eigs, tp, noise, n, ridge, trials=3, seed=5, keep_trials=True)
    b = sim.kernel_ridge_risk(eigs, tp, noise, n, ridge, trials=3, seed=5, keep_trials=True)
    assert a.per_trial["excess"].shape == (3, 4, 5, 2)
    for f in RISK_FIELDS:
        np.testing.assert_allclose(b.per_trial[f], a.per_trial[f], rtol=1e-8, atol=1e-12 * tp.sum(), err_msg=f)


def _dense_risks(X, w, eigs, noise, ridge):
    """Textbook formulas with dense solves / pseudo-inverse, for one design X."""
    n, D = X.shape
    if ridge == 0:
        A = np.linalg.pinv(X)
    else:
        A = np.linalg.solve(X.T @ X / n + ridge * np.eye(D), X.T / n)
    e = np.sqrt(eigs) * (A @ X @ w - w)
    bias = e @ e
    var1 = np.sum(eigs[:, None] * A * A)  # tr(Σ A Aᵀ)
    R = np.eye(n) - X @ A
    train = np.sum((R @ X @ w) ** 2) / n + noise * np.sum(R * R) / n
    return bias + noise * var1, bias, train


@pytest.mark.parametrize("n", [120, 450])
@pytest.mark.parametrize("ridge", [0.0, 3e-3, 0.5])
def test_primal_reproduces_dense_solve(n, ridge):
    """Trial 0 re-drawn by hand (z ~ N(0, I) of shape (n, D) from child 0) and solved densely."""
    D, noise, seed = 300, 0.7, 42
    eigs, tp = _pl_task(D)
    res = sim.ridge_risk(eigs, tp, noise, n, ridge, trials=2, seed=seed, keep_trials=True)
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[0])
    X = rng.standard_normal((n, D)) * np.sqrt(eigs)
    excess, bias, train = _dense_risks(X, np.sqrt(tp / eigs), eigs, noise, ridge)
    np.testing.assert_allclose(res.per_trial["excess"][0], excess, rtol=1e-9)
    np.testing.assert_allclose(res.per_trial["bias"][0], bias, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(res.per_trial["train"][0], train, rtol=1e-9, atol=1e-13)


def _pool_exact(K, y, n, ridge, noise, replace):
    """Exact expectation over every training set (ordered tuples when replace=True)."""
    N = y.size
    sets = itertools.product(range(N), repeat=n) if replace else itertools.combinations(range(N), n)
    vals = []
    for S in sets:
        S = list(S)
        M = K[np.ix_(S, S)] + n * ridge * np.eye(n)
        Minv = np.linalg.pinv(M, rcond=1e-10) if ridge == 0 else np.linalg.inv(M)
        P = K[:, S] @ Minv  # predictions = P @ labels
        excess = np.mean((P @ y[S] - y) ** 2) + noise * np.sum(P * P) / N
        H = np.eye(n) - K[np.ix_(S, S)] @ Minv  # training residual operator
        train = np.sum((H @ y[S]) ** 2) / n + noise * np.sum(H * H) / n
        vals.append((excess, train))
    return np.mean(vals, axis=0)


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("ridge", [0.0, 0.05])
def test_pool_matches_exhaustive_enumeration(replace, ridge):
    """Tiny pool (N = 7, n = 3): MC mean vs the exact average over all training sets, within 4 SE."""
    rng = np.random.default_rng(3)
    pts = rng.standard_normal((7, 2))
    K = np.exp(-0.5 * np.sum((pts[:, None] - pts[None]) ** 2, axis=-1))
    y = np.sin(pts[:, 0]) + pts[:, 1]
    noise = 0.2
    exact_excess, exact_train = _pool_exact(K, y, 3, ridge, noise, replace)
    res = sim.kernel_ridge_pool(K, y, noise, 3, ridge, trials=trials(1500), seed=1, replace=replace)
    assert abs(res.excess - exact_excess) <= Z * res.excess_se, (res.excess, res.excess_se, exact_excess)
    assert abs(res.train - exact_train) <= Z * res.train_se + 1e-12, (res.train, res.train_se, exact_train)
    assert res.test == pytest.approx(res.excess + noise, rel=1e-14)


def test_null_predictor_and_noise_linearity():
    D = 300
    eigs, tp = _pl_task(D)
    noise = np.array([0.0, 0.25, 1.0])
    res = sim.ridge_risk(eigs, tp, noise[:, None], 100, np.array([1e-2, np.inf]), trials=4)
    # ridge = inf: f̂ = 0, so every draw gives excess = |v|² (zero SE up to round-off); train = |y|²/n
    # fluctuates with the draw but its noise part is exactly the noise
    np.testing.assert_allclose(res.excess[:, 1], tp.sum(), rtol=1e-13)
    assert np.all(res.excess_se[:, 1] <= 1e-14 * tp.sum())
    np.testing.assert_allclose(res.train[:, 1] - noise, res.train[0, 1], rtol=1e-13)
    assert abs(res.train[0, 1] - tp.sum()) <= Z * res.train_se[0, 1]
    # same draws for every noise level: bias does not depend on noise, variance is linear in it
    np.testing.assert_array_equal(res.bias[0], res.bias[2])
    np.testing.assert_allclose(res.variance[2], 4 * res.variance[1], rtol=1e-13)
    np.testing.assert_array_equal(res.variance[0], 0.0)
    np.testing.assert_allclose(res.test, res.excess + noise[:, None], rtol=1e-15)
    np.testing.assert_allclose(res.excess, res.bias + res.variance, rtol=1e-15)


def test_spectrum_with_multiplicities_is_expanded():
    """A Spectrum level of multiplicity m is m modes, each carrying target_power/m (same draws)."""
    spec = Spectrum([1.0, 0.1], [100, 200])
    a = sim.ridge_risk(spec, [0.6, 0.4], 0.3, [50, 400], 1e-2, trials=3, seed=9)
    eigs = np.repeat([1.0, 0.1], [100, 200])
    tp = np.repeat([0.6 / 100, 0.4 / 200], [100, 200])
    b = sim.ridge_risk(eigs, tp, 0.3, [50, 400], 1e-2, trials=3, seed=9)
    for f in RISK_FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f))


def test_zero_eigenvalues_without_target_are_dropped():
    eigs = np.r_[np.ones(50), np.zeros(30)]
    tp = np.r_[np.full(50, 0.02), np.zeros(30)]
    a = sim.ridge_risk(eigs, tp, 0.1, 20, 0.0, trials=3, seed=2)
    b = sim.ridge_risk(np.ones(50), np.full(50, 0.02), 0.1, 20, 0.0, trials=3, seed=2)
    assert a.test == b.test and a.train == b.train


# --------------------------------------------------------------------------- exact finite-n formulas


@montecarlo
def test_isotropic_ridgeless_exact_finite_n():
    """Isotropic ridgeless at D = 300: exact finite-n moments (no DE), tolerance 4 SE only.

    n < D-1: bias = (1 - n/D)|v|² (rotation invariance), variance = σ² n/(D-n-1), train = 0.
    n > D+1: bias = 0, variance = σ² D/(n-D-1), train = σ²(n-D)/n in every draw.
    """
    D, noise = 300, 0.3
    res = sim.ridge_risk(np.ones(D), np.full(D, 1 / D), noise, [100, 600], 0.0, trials=trials(40), seed=4)
    under, over = 0, 1
    assert abs(res.bias[under] - (1 - 100 / D)) <= Z * res.bias_se[under]
    assert abs(res.variance[under] - noise * 100 / (D - 100 - 1)) <= Z * res.variance_se[under]
    assert res.train[under] == pytest.approx(0.0, abs=1e-20)
    assert res.bias[over] < 1e-20
    assert abs(res.variance[over] - noise * D / (600 - D - 1)) <= Z * res.variance_se[over]
    assert res.train[over] == pytest.approx(noise * (600 - D) / 600, rel=1e-12)


# --------------------------------------------------------------------------- MC vs deterministic equivalent

_GRID_N = np.array([100, 600])[:, None, None]  # D = 300: n < D and n > D
_GRID_RIDGE = np.array([0.0, 1e-3, 1e-1])[None, :, None]
_GRID_NOISE = np.array([0.0, 0.5])[None, None, :]


@montecarlo
@pytest.mark.parametrize(
    "name, eigs, tp",
    [
        ("isotropic", np.ones(300), np.full(300, 1 / 300)),
        ("k^-1.5 / k^-1.5", power_law(300, 1.5), power_law_target(300, 1.5)),
        ("k^-1.5 / k^-1.2", power_law(300, 1.5), power_law_target(300, 1.2)),
    ],
)
def test_ridge_mc_matches_theory(name, eigs, tp):
    """Primal MC vs rmt.ridge_risk: n ∈ {100, 600} at D = 300, ridgeless/ridged, noiseless/noisy."""
    D = eigs.size
    args = (eigs, tp, _GRID_NOISE, _GRID_N, _GRID_RIDGE)
    mc = sim.ridge_risk(*args, trials=trials(32), seed=101)
    th = theory(rmt.ridge_risk, *args)
    assert mc.test.shape == th.test.shape == (2, 3, 2)
    assert_mc_agrees(mc, th, allow=allowance(_GRID_N, D), atol=1e-10 * tp.sum(), where=name)


@montecarlo
def test_ridge_mc_matches_theory_negative_ridge():
    """Negative ridges above the admissible edge (isotropic D = 300; edges -0.536 at n=100, -0.0858 at n=600)."""
    D = 300
    n = np.array([[100], [600]])
    ridge = np.array([[-0.1], [-0.01]])
    args = (np.ones(D), np.full(D, 1 / D), 0.5, n, ridge)
    mc = sim.ridge_risk(*args, trials=trials(32), seed=102)
    assert_mc_agrees(mc, theory(rmt.ridge_risk, *args), allow=allowance(n, D), atol=0.0, where="negative ridge")


@montecarlo
def test_kernel_ridge_mc_matches_theory():
    """Kernel-form MC vs rmt.kernel_ridge_risk, D = 400 (a multiplicity Spectrum and a power law)."""
    D = 400
    n = np.array([50, 150])[:, None, None]
    ridge = np.array([0.0, 1e-2, 0.3])[None, :, None]
    noise = np.array([0.0, 0.5])[None, None, :]
    cases = [
        ("two-level spectrum", Spectrum([1.0, 0.05], [40, 360]), [0.7, 0.3]),
        ("k^-1.5 / k^-1.5", power_law(D, 1.5), power_law_target(D, 1.5)),
    ]
    for name, eigs, tp in cases:
        args = (eigs, tp, noise, n, ridge)
        mc = sim.kernel_ridge_risk(*args, trials=trials(32), seed=103)
        assert_mc_agrees(mc, theory(rmt.kernel_ridge_risk, *args), allow=allowance(n, D),
                         atol=1e-10 * np.sum(tp), where=name)


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def digits_pool():
    """scikit-learn digits (N = 1797, 64 pixels), standardized, RBF kernel with gamma = 1/(d·Var X)
    (scikit-learn's ``gamma='scale'``), target ±1 for 'digit >= 5'."""
    datasets = pytest.importorskip("sklearn.datasets")
    X, label = datasets.load_digits(return_X_y=True)
    X = X - X.mean(axis=0)
    std = X.std(axis=0)
    X = X / np.where(std > 0, std, 1.0)  # constant border pixels stay 0
    gamma = 1.0 / (X.shape[1] * X.var())
    sq = np.sum(X * X, axis=1)
    K = np.exp(-gamma * np.maximum(sq[:, None] + sq[None, :] - 2 * X @ X.T, 0.0))
    y = np.where(label >= 5, 1.0, -1.0)
    return K, y


# Real data: the pool is not Gaussian, so the theory on from_kernel(K, y) is exact only
# up to Gaussian universality. Measured (1000 draws, n ∈ {50, 100, 200} ≪ N = 1797,
# ridge ∈ {0, 1e-3, 1e-2, 0.1}, noise ∈ {0, 0.5}, two targets: ±1 for 'digit >= 5' and
# the standardized digit): test risk within 3.5% of theory (largest at ridgeless n = 200),
# noise-free train and train at ridge >= 1e-2 within 4%; but the noisy train error at
# ridge = 1e-3 is 6-29% above theory (largest at n = 50). A Gaussian-feature twin with the
# same spectrum and task (kernel_ridge_risk on from_kernel(K, y)) agrees with the theory
# to <= 0.8% everywhere (max 2.5 SE), so these gaps are universality failures of real
# data, not simulator error. Our reading: the noisy train error at small ridge is set by
# the lower edge of the spectrum of K[S, S]; for an RBF kernel its diagonal is exactly 1,
# while Gaussian features make it fluctuate, which spreads the small eigenvalues.
POOL_TEST_ALLOW = 0.05  # 3.5% observed, rounded up with a ~1.4x margin
POOL_TRAIN_ALLOW = 0.06  # 4% observed where asserted (ridge >= 1e-2), ~1.5x margin


@montecarlo
def test_pool_digits_matches_theory(digits_pool):
    K, y = digits_pool
    eigs, tp, _ = rmt.spectra.from_kernel(K, y)
    n = np.array([50, 100, 200])[:, None, None]
    ridge = np.array([0.0, 1e-3, 1e-2, 1e-1])[None, :, None]
    noise = np.array([0.0, 0.5])[None, None, :]
    th = theory(rmt.kernel_ridge_risk, eigs, tp, noise, n, ridge)
    mc = sim.kernel_ridge_pool(K, y, noise, n, ridge, trials=trials(40), seed=104)
    assert_mc_agrees(mc, th, fields=("test", "excess"), allow=POOL_TEST_ALLOW, atol=0.0, where="digits pool")
    assert_mc_agrees(mc, th, fields=("train",), allow=POOL_TRAIN_ALLOW, atol=0.0, where="digits pool train",
                     select=(slice(None), ridge[0, :, 0] >= 1e-2))
    # Documented universality gap (see above): noisy train at ridge 1e-3, n = 50 is well above theory.
    gap = mc.train[0, 1, 1] / th.train[0, 1, 1] - 1
    assert gap > 0.1, f"noisy-train gap at ridge=1e-3, n=50 was {gap:+.3f}; expected ~ +0.26 (update the comment)"


@montecarlo
def test_gaussian_twin_of_digits_spectrum_matches_theory(digits_pool):
    """Control for the pool test: Gaussian features with the digits kernel spectrum obey the DE."""
    K, y = digits_pool
    eigs, tp, _ = rmt.spectra.from_kernel(K, y)
    n = np.array([50, 200])[:, None, None]
    ridge = np.array([0.0, 1e-3, 1e-1])[None, :, None]
    noise = np.array([0.0, 0.5])[None, None, :]
    th = theory(rmt.kernel_ridge_risk, eigs, tp, noise, n, ridge)
    mc = sim.kernel_ridge_risk(eigs, tp, noise, n, ridge, trials=trials(24), seed=105)
    D = int(np.count_nonzero(eigs > 0))
    assert_mc_agrees(mc, th, allow=allowance(n, D), atol=1e-10, where="Gaussian twin of digits")


# --------------------------------------------------------------------------- executors and seeds


def _small_calls():
    D = 40
    eigs, tp = _pl_task(D)
    rng = np.random.default_rng(0)
    pts = rng.standard_normal((60, 3))
    K = np.exp(-0.5 * np.sum((pts[:, None] - pts[None]) ** 2, axis=-1))
    yp = pts[:, 0] - pts[:, 1] ** 2
    grid = dict(noise=np.array([0.0, 0.4]), n=np.array([[10], [30], [70]]), ridge=np.array([0.0, 1e-2]))
    return [
        (sim.ridge_risk, (eigs, tp, grid["noise"], grid["n"], grid["ridge"]), {}),
        (sim.kernel_ridge_risk, (eigs, tp, grid["noise"], grid["n"], grid["ridge"]), {}),
        (sim.kernel_ridge_pool, (K, yp, 0.3, [[5], [20]], grid["ridge"]), {}),
        (sim.kernel_ridge_pool, (K, yp, 0.3, [[5], [20]], grid["ridge"]), dict(replace=True)),
    ]


def test_results_identical_across_executors_and_chunking():
    calls = _small_calls()
    serial = [fn(*a, **kw, trials=7, seed=11, keep_trials=True) for fn, a, kw in calls]
    chunked = [fn(*a, **kw, trials=7, seed=11, keep_trials=True, chunksize=3) for fn, a, kw in calls]
    with ProcessPoolExecutor(max_workers=2) as ex:
        pooled = [fn(*a, **kw, trials=7, seed=11, keep_trials=True, executor=ex, chunksize=2) for fn, a, kw in calls]
        pooled_default = [fn(*a, **kw, trials=7, seed=11, executor=ex) for fn, a, kw in calls]
    for s, c, p, d in zip(serial, chunked, pooled, pooled_default):
        for f in RISK_FIELDS:
            np.testing.assert_array_equal(s.per_trial[f], c.per_trial[f])
            np.testing.assert_array_equal(s.per_trial[f], p.per_trial[f])
            for r in (c, p, d):
                np.testing.assert_array_equal(getattr(s, f), getattr(r, f))
                np.testing.assert_array_equal(getattr(s, f + "_se"), getattr(r, f + "_se"))


def test_seeding():
    fn, args, kw = _small_calls()[0]
    a = fn(*args, trials=6, seed=3, keep_trials=True)
    b = fn(*args, trials=6, seed=3, keep_trials=True)
    c = fn(*args, trials=6, seed=4, keep_trials=True)
    np.testing.assert_array_equal(a.test, b.test)
    assert not np.array_equal(a.per_trial["bias"], c.per_trial["bias"])
    # trial i uses child i of SeedSequence(seed): a run with more trials extends a shorter one
    longer = fn(*args, trials=9, seed=3, keep_trials=True)
    np.testing.assert_array_equal(longer.per_trial["train"][:6], a.per_trial["train"])
    # an explicit SeedSequence is the same as its entropy; seed=None is reproducible via result.seed
    s = fn(*args, trials=3, seed=np.random.SeedSequence(3))
    np.testing.assert_array_equal(s.test, fn(*args, trials=3, seed=3).test)
    fresh = fn(*args, trials=3, seed=None)
    np.testing.assert_array_equal(fresh.test, fn(*args, trials=3, seed=fresh.seed).test)
    # n values of one call share the draw: the small-n fit uses the first rows
    single = fn(args[0], args[1], args[2], 10, args[4], trials=6, seed=3)
    np.testing.assert_array_equal(single.test, a.test[0])


def test_broadcasting_result_shapes_and_progress():
    eigs, tp = _pl_task(50)
    res = sim.ridge_risk(eigs, tp, 0.1, np.array([[10], [20], [80]]), [0.0, 0.1, 1.0, np.inf], trials=3,
                         progress=True)
    for f in RISK_FIELDS:
        assert getattr(res, f).shape == (3, 4)
        assert getattr(res, f + "_se").shape == (3, 4)
    assert res.n.shape == res.ridge.shape == res.noise.shape == (3, 4)
    assert res.trials == 3 and res.per_trial is None
    scalar = sim.ridge_risk(eigs, tp, 0.1, 20, 0.1, trials=3)
    assert np.ndim(scalar.test) == 0 and "SimulatedRisk" in repr(scalar)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(trials=1), "trials must be an integer >= 2"),
        (dict(trials=2.5), "trials must be an integer"),
        (dict(n=12.5), "n must be an integer"),
        (dict(n=0), "^n must be an integer >= 1"),
        (dict(n=[10, np.nan]), "^n must be"),
        (dict(ridge=np.nan), "^ridge must be a real number, not NaN"),
        (dict(ridge=-np.inf), r"^ridge must be a real number, not NaN \(\+inf allowed"),
        (dict(noise=-0.1), "noise must be >= 0"),
        (dict(noise=np.inf), "^noise must be >= 0 and finite"),
        (dict(target_power=-1.0), "target_power must be finite and >= 0"),
        (dict(target_power=np.ones(3)), "target_power must have one entry per eigenvalue"),
        (dict(eigs=np.r_[np.ones(9), 0.0], target_power=0.1), "target_power must be 0 where eigs is 0"),
        (dict(eigs=Spectrum([1.0], [2.5]), target_power=1.0), "integer multiplicities"),
        (dict(eigs=-np.ones(10)), "eigs must be finite and >= 0"),
        (dict(n=[5, 6, 7], ridge=[0.1, 0.2]), "must broadcast together"),
        (dict(seed=-1), "seed must be an integer >= 0"),
        (dict(seed="abc"), "seed must be"),
        (dict(executor=object()), "executor must be None"),
        (dict(chunksize=0), "chunksize must be an integer >= 1"),
        (dict(ridge=-5.0, n=5), "ridge must keep"),
    ],
)
@pytest.mark.parametrize("fn", [sim.ridge_risk, sim.kernel_ridge_risk])
def test_bad_input_gaussian(fn, kwargs, match):
    args = dict(eigs=np.ones(10), target_power=0.1, noise=0.1, n=5, ridge=0.1)
    run = dict(trials=3)
    for k, v in kwargs.items():
        (run if k in ("trials", "seed", "executor", "chunksize") else args)[k] = v
    with pytest.raises(ValueError, match=match):
        fn(args["eigs"], args["target_power"], args["noise"], args["n"], args["ridge"], **run)


def test_bad_input_pool():
    K = np.eye(5) + 0.1
    y = np.arange(5.0)
    with pytest.raises(ValueError, match="n must be < N = 5"):
        sim.kernel_ridge_pool(K, y, 0.0, 5, 0.1, trials=3)
    sim.kernel_ridge_pool(K, y, 0.0, 5, 0.1, trials=3, replace=True)  # allowed with replacement
    with pytest.raises(ValueError, match="K must be a square"):
        sim.kernel_ridge_pool(np.ones((5, 4)), y, 0.0, 2, 0.1, trials=3)
    with pytest.raises(ValueError, match="K must be symmetric"):
        sim.kernel_ridge_pool(K + np.triu(np.ones((5, 5)), 1), y, 0.0, 2, 0.1, trials=3)
    with pytest.raises(ValueError, match="y must have one target value per pool point"):
        sim.kernel_ridge_pool(K, y[:4], 0.0, 2, 0.1, trials=3)
    with pytest.raises(ValueError, match="replace must be True or False"):
        sim.kernel_ridge_pool(K, y, 0.0, 2, 0.1, trials=3, replace="yes")
    with pytest.raises(ValueError, match="noise must be >= 0"):
        sim.kernel_ridge_pool(K, y, -1.0, 2, 0.1, trials=3)
    with pytest.raises(ValueError, match="n must be an integer"):
        sim.kernel_ridge_pool(K, y, 0.0, 2.5, 0.1, trials=3)
    with pytest.raises(ValueError, match="trials must be an integer >= 2"):
        sim.kernel_ridge_pool(K, y, 0.0, 2, 0.1, trials=1)


def test_nan_from_overflow_is_an_error_not_a_result():
    """Kernel form with eigenvalues ~1e200 overflows XXᵀ: the twin says so instead of returning NaN."""
    with pytest.raises(FloatingPointError, match="NaN"):
        rmt.simulate.kernel_ridge_risk(np.full(5, 1e200), np.ones(5), 0.1, 3, 0.0, trials=3)


# --------------------------------------------------------------------------- regressions (issue 7, simulate)


def test_rf_twin_dispatches_on_coefficients_not_name():
    """GaussianEquivalent(0, 1, 0.8, None, "linear") is linear-plus-noise features, whatever its name."""
    from rmt.risk.random_features import GaussianEquivalent

    eigs, task = np.linspace(1, 0.1, 40), np.full(40, 1 / 40)
    named = GaussianEquivalent(0.0, 1.0, 0.8, None, "linear")
    anon = GaussianEquivalent(0.0, 1.0, 0.8, None, "custom")
    a = rmt.simulate.rf_ridge_risk(eigs, task, 0.1, 30, 20, 1e-2, trials=4, seed=5, activation=named)
    b = rmt.simulate.rf_ridge_risk(eigs, task, 0.1, 30, 20, 1e-2, trials=4, seed=5, activation=anon)
    lin = rmt.simulate.rf_ridge_risk(eigs, task, 0.1, 30, 20, 1e-2, trials=4, seed=5)
    assert np.array_equal(a.test, b.test)
    assert not np.allclose(a.test, lin.test, rtol=1e-3)


def test_rf_twin_vectorizes_scalar_only_activation():
    eigs, task = np.linspace(1, 0.1, 30), np.full(30, 1 / 30)
    kw = dict(trials=3, seed=2, test_size=64)
    a = rmt.simulate.rf_ridge_risk(eigs, task, 0.1, 20, 15, 1e-2, activation=lambda t: max(t, 0.0), **kw)
    b = rmt.simulate.rf_ridge_risk(eigs, task, 0.1, 20, 15, 1e-2, activation=lambda t: np.maximum(t, 0.0), **kw)
    assert np.allclose(a.test, b.test, rtol=1e-12, atol=0)


def test_executor_class_and_empty_n_are_refused():
    from concurrent.futures import ThreadPoolExecutor

    eigs, task = np.linspace(1, 0.1, 10), np.full(10, 0.1)
    with pytest.raises(ValueError, match="^executor must be an Executor instance"):
        rmt.simulate.ridge_risk(eigs, task, 0.1, 5, 0.1, trials=2, executor=ThreadPoolExecutor)
    with pytest.raises(ValueError, match="^n must contain at least one"):
        rmt.simulate.ridge_risk(eigs, task, 0.1, [], 0.1, trials=2)


def test_twin_results_do_not_share_memory_with_inputs():
    eigs, task = np.linspace(1, 0.1, 10), np.full(10, 0.1)
    n, ridge, noise = np.array([5.0, 8.0]), np.array([0.1, 0.2]), np.array([0.1, 0.3])
    r = rmt.simulate.ridge_risk(eigs, task, noise, n, ridge, trials=2)
    n[0], ridge[0], noise[0] = 7.0, 9.0, 9.0
    assert r.n[0] == 5.0 and r.ridge[0] == 0.1 and r.noise[0] == 0.1


def test_twins_on_a_spectrum_spanning_25_decades():
    """Ridgeless pure noise with n > D+1 is noise·(1 + D/(n-D-1)) for any covariance (inverse Wishart)."""
    eigs, n, D, noise = np.geomspace(1, 1e-25, 20), 60, 20, 0.1
    exact = noise * (1 + D / (n - D - 1))
    r = rmt.simulate.ridge_risk(eigs, 0.0, noise, n, 0.0, trials=400, seed=21)
    assert abs(float(r.test) - exact) <= 4 * float(r.test_se)
    # The kernel form cannot see these directions in float64: refused, never a wrong number
    # (it returned 0.123 ± 8e-5, z = -366).
    with pytest.raises(ValueError, match="^eigs spans more decades than float64 resolves"):
        rmt.simulate.kernel_ridge_risk(eigs, 0.0, noise, n, 0.0, trials=4, seed=21)
    # A ridge that dominates the unresolved directions makes them irrelevant: simulated, and right.
    ridge = 1e-3
    k = rmt.simulate.kernel_ridge_risk(eigs, 0.0, noise, n, ridge, trials=200, seed=21)
    p = rmt.simulate.ridge_risk(eigs, 0.0, noise, n, ridge, trials=200, seed=21)
    assert float(k.test) == pytest.approx(float(p.test), rel=1e-7)
