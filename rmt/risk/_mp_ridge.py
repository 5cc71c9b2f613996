# SPDX-License-Identifier: BSD-3-Clause
"""Arbitrary-precision referee of :func:`rmt.ridge_risk` (``method="mpmath"``).

κ by the bracketed mpmath solvers, spectral sums by :mod:`rmt.resolvent._mp_sums`,
and the risk from the *same* formula code as the float path
(:func:`rmt.risk._assembly.ridge_parts` with the mpmath context).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from .._validation import as_int
from ..resolvent import _mp
from ..resolvent._mp_sums import kappa_with_tail, spectral_sums
from ._assembly import MPMATH, ridge_parts

__all__ = ["as_dps", "ridge_risk_fields"]


def as_dps(dps) -> int:
    """Decimal digits for mpmath: an integer >= 15 (the rule of ``solve_kappa(method="mpmath")``)."""
    return as_int(dps, "dps", minimum=15)


def _kappa(levels, n, ridge):
    if levels.infinite:
        if ridge < 0:
            raise ValueError("ridge must be >= 0 for method='mpmath' on an infinite power law; "
                             f"got {float(ridge)!r}")
        return kappa_with_tail(levels, n, ridge)
    vals = [mp.mpf(float(v)) for v in levels.vals]
    mult = [mp.mpf(float(m)) for m in levels.mult]
    k = _mp.kappa(vals, mult, float(n), float(ridge))
    if k is None:
        raise ValueError(f"ridge must be >= the admissible edge rmt.ridge_edge(eigs, n) at n={float(n)!r}; "
                         f"got {float(ridge)!r}")
    return k


FIELDS = ("excess", "test", "train", "bias", "variance", "bias_mean_predictor", "variance_data",
          "kappa", "df1", "df2", "E0")


def ridge_risk_fields(levels, tpow, noise, n, ridge, dps):
    """Object arrays of ``mpf`` for every :class:`rmt.RidgeRisk` field on the broadcast grid."""
    shape = np.shape(n)
    out = {f: np.empty(shape, dtype=object) for f in FIELDS}
    with mp.workdps(dps):
        for idx in np.ndindex(shape):
            nn, rr, ss = mp.mpf(float(n[idx])), mp.mpf(float(ridge[idx])), mp.mpf(float(noise[idx]))
            k = _kappa(levels, nn, rr)
            sums = spectral_sums(levels, tpow, k)
            parts = ridge_parts(MPMATH, noise=ss, n=nn, ridge=rr, kappa=k, **sums)
            values = dict(parts, kappa=k, df1=sums["df1"], df2=sums["df2"])
            for f in FIELDS:
                out[f][idx] = +mp.mpf(values[f])
    return out
