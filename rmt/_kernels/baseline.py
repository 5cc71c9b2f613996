# SPDX-License-Identifier: BSD-3-Clause
"""Reference kernels for benchmarks: the cost floor the solver is measured against."""

from numba import njit, prange

from .sums import FASTMATH


@njit(cache=True, fastmath=FASTMATH, parallel=True)
def df1_once_per_point(vals, mult, kappa, out):
    """One pass over the spectrum per grid point: ``out[i] = Σ m λ/(λ+κ_i)``.

    Compiled with the same flags and the same threading over grid points as
    the solver. No root-finder can do better than one such pass per point, so a solver's
    time divided by this one's is the number of passes it spends.
    """
    for i in prange(kappa.size):
        s = 0.0
        for j in range(vals.size):
            s += mult[j] * vals[j] / (vals[j] + kappa[i])
        out[i] = s
