# SPDX-License-Identifier: BSD-3-Clause
"""Input handling shared by every Monte Carlo twin: sample counts, per-mode task, common docs.

Package-internal on purpose: every module of :mod:`rmt.simulate` imports these
from here (none from a sibling twin), so a twin can change without breaking another.
"""

from __future__ import annotations

import numpy as np

from .._validation import WholeCount, validate

__all__ = ["as_sample_count", "modes", "COMMON_PARAMS"]


def as_sample_count(n, name: str = "n") -> np.ndarray:
    """A count to simulate: :class:`rmt._validation.WholeCount` (non-empty, whole, >= 1)."""
    return _COUNT.convert(n, name)


_COUNT = WholeCount()


def modes(eigs, target_power, entry: str = "simulate.ridge_risk"):
    """Validated per-mode ``(sqrt(eigs), v = sqrt(target_power))`` on the positive modes (``entry``'s declaration)."""
    (values, mult), tpow = validate(entry, eigs=eigs, target_power=target_power)
    if not np.all(mult == 1):
        if not np.all(mult == np.round(mult)):
            raise ValueError(
                "eigs must have integer multiplicities to be simulated (one coordinate per mode); "
                "got a Spectrum with non-integer multiplicities"
            )
        m = mult.astype(np.int64)
        # target_power of a level is the level's total power: spread it evenly over its modes
        values, tpow = np.repeat(values, m), np.repeat(tpow / mult, m)
    keep = values > 0
    return np.sqrt(values[keep]), np.sqrt(tpow[keep])


COMMON_PARAMS = """\
    trials : int, optional
        Number of independent training draws (≥ 2, for a standard error).
    seed : int, sequence of int, numpy.random.SeedSequence or None, optional
        Root seed. Trial ``i`` uses child ``i`` of ``SeedSequence(seed).spawn(trials)``,
        so results do not depend on the executor or the chunking. ``None`` draws
        fresh entropy (recorded in ``result.seed``).
    executor : concurrent.futures.Executor, optional
        Where to run the trials: ``None`` (default) runs serially in this
        process; a ``ProcessPoolExecutor`` or a dask ``Client.get_executor()``
        runs chunks of trials as tasks. Results are bit-identical across
        executors for the same seed (same numpy/BLAS build and thread count on
        the workers assumed).
    progress : bool, optional
        Show a tqdm progress bar.
    chunksize : int, optional
        Trials per submitted task (default 1 when serial, ``ceil(trials/32)`` otherwise).
    keep_trials : bool, optional
        Also return the per-draw values in ``result.per_trial``.
    blas_threads : int or None, optional
        BLAS threads per running chunk (default 1, set via threadpoolctl: the
        per-draw matrices are small and threads mostly contend; parallelize
        over trials with ``executor``). ``None`` keeps the process setting."""
