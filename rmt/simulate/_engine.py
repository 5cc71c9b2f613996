# SPDX-License-Identifier: BSD-3-Clause
"""Seeded, executor-agnostic trial runner shared by every Monte Carlo twin.

A simulator is a module-level *trial function* ``fn(payload, rng) -> ndarray``
that turns one independent draw (``rng``, a :class:`numpy.random.Generator`)
into a fixed-shape array of per-trial quantities. :func:`run_trials` calls it
once per trial and stacks the results in trial order.

Reproducibility contract
------------------------
* Trial ``i`` always uses child ``i`` of ``numpy.random.SeedSequence(seed)``
  (``SeedSequence(seed).spawn(trials)[i]``), whatever the executor, the number
  of workers or the chunk size.
* Every trial is computed by the same function on the same arrays (the payload
  is pickled bit-for-bit), and the reduction over trials (mean, standard error)
  happens in the calling process on the stacked array. Results are therefore
  bit-identical across executors, provided the workers run the same numpy /
  BLAS build with the same number of BLAS threads (pinned to 1 by default;
  OpenBLAS/MKL kernels chosen at run time for a different CPU model can still
  change the last bits of an SVD).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import numbers
from typing import NamedTuple

import numpy as np

from .._validation import RUN_OPTIONS, as_int

__all__ = ["make_seed_sequence", "run_trials", "validate_run_options"]


def make_seed_sequence(seed) -> np.random.SeedSequence:
    """``SeedSequence`` from an int ≥ 0, a sequence of such ints, None (fresh entropy) or a SeedSequence."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, (list, tuple, np.ndarray)):
        ints = [as_int(s, "seed", minimum=0) for s in np.ravel(seed).tolist()]
        if not ints:
            raise ValueError("seed must be an integer >= 0, a non-empty sequence of them, None or a SeedSequence; got []")
        return np.random.SeedSequence(ints)
    if isinstance(seed, numbers.Number):
        return np.random.SeedSequence(as_int(seed, "seed", minimum=0))
    raise ValueError(
        f"seed must be an integer >= 0, a sequence of them, None or a numpy.random.SeedSequence; got {seed!r}"
    )


class RunOptions(NamedTuple):
    """The validated options every simulator shares."""

    trials: int
    seed_sequence: np.random.SeedSequence
    chunksize: int | None
    blas_threads: int | None


def validate_run_options(trials, seed, executor, chunksize, blas_threads=1) -> RunOptions:
    """Validate the arguments every simulator shares (``executor`` is checked, not returned)."""
    given = dict(trials=trials, seed=seed, executor=executor, chunksize=chunksize, blas_threads=blas_threads)
    trials, ss, _, chunksize, blas_threads = (RUN_OPTIONS[k].convert(v, k) for k, v in given.items())
    return RunOptions(trials, ss, chunksize, blas_threads)


_CONTROLLER = None  # one threadpoolctl scan of the loaded libraries per process


def _blas_limit(blas_threads):
    """Context limiting BLAS threads (threadpoolctl, when installed; else a no-op)."""
    global _CONTROLLER
    if blas_threads is None:
        return contextlib.nullcontext()
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
            _CONTROLLER = False
        else:
            _CONTROLLER = ThreadpoolController()
    if _CONTROLLER is False:  # pragma: no cover
        return contextlib.nullcontext()
    return _CONTROLLER.limit(limits=blas_threads, user_api="blas")


def _run_chunk(fn, payload, seeds, blas_threads=1):
    """Run the trials of one chunk (executed in a worker for parallel executors)."""
    with _blas_limit(blas_threads):
        return np.stack([np.asarray(fn(payload, np.random.default_rng(s)), dtype=np.float64) for s in seeds])


def _progress_bar(enabled: bool, total: int, desc: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="trial")


def run_trials(fn, payload, trials: int, ss: np.random.SeedSequence, *, executor=None, chunksize=None,
               progress=False, desc="simulate", blas_threads=1) -> np.ndarray:
    """Run ``fn(payload, rng_i)`` for ``i = 0 … trials-1`` and stack the results.

    Parameters
    ----------
    fn : callable
        Module-level (picklable) trial function returning an array of fixed shape.
    payload : object
        Picklable inputs shared by every trial.
    trials : int
    ss : numpy.random.SeedSequence
        Trial ``i`` uses ``ss.spawn(trials)[i]``.
    executor : concurrent.futures.Executor, optional
        ``None`` runs serially in this process. Otherwise the trials are split
        into contiguous chunks of ``chunksize`` trials, each submitted as one
        task; a dask ``Client.get_executor()`` works too.
    chunksize : int, optional
        Trials per task. Default: 1 when serial, else ``ceil(trials / 32)``.
    progress : bool
        Show a tqdm progress bar (updated per finished chunk).
    blas_threads : int or None
        BLAS threads while a chunk runs (via threadpoolctl). Default 1: the
        per-trial matrices are small, so threads mostly contend; parallelize
        over trials with an executor instead. ``None`` leaves the setting alone.

    Returns
    -------
    ndarray, shape ``(trials,) + fn_output_shape``, in trial order.
    """
    seeds = ss.spawn(trials)
    if chunksize is None:
        chunksize = 1 if executor is None else max(1, math.ceil(trials / 32))
    bounds = [(a, min(a + chunksize, trials)) for a in range(0, trials, chunksize)]
    bar = _progress_bar(progress, trials, desc)
    try:
        if executor is None:
            parts = []
            for a, b in bounds:
                parts.append(_run_chunk(fn, payload, seeds[a:b], blas_threads))
                if bar is not None:
                    bar.update(b - a)
        else:
            futures = {executor.submit(_run_chunk, fn, payload, seeds[a:b], blas_threads): k for k, (a, b) in enumerate(bounds)}
            parts = [None] * len(bounds)
            try:
                for fut in cf.as_completed(futures):
                    k = futures[fut]
                    parts[k] = fut.result()
                    if bar is not None:
                        bar.update(bounds[k][1] - bounds[k][0])
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
    finally:
        if bar is not None:
            bar.close()
    return np.concatenate(parts, axis=0)
