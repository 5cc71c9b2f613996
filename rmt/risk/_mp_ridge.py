# SPDX-License-Identifier: BSD-3-Clause
"""Arbitrary-precision referee of :func:`rmt.ridge_risk` (``method="mpmath"``).

κ by the bracketed mpmath solvers, spectral sums by :mod:`rmt.resolvent._mp_sums`,
and the risk from the *same* formula code as the float path
(:func:`rmt.risk._assembly.ridge_parts` with the mpmath context).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np

from .._kernels import tail as T
from ..resolvent import _mp
from ..resolvent._mp import as_dps
from ..resolvent._mp_sums import spectral_sums, zeta_tail
from ._assembly import MPMATH, ridge_parts

__all__ = ["as_dps", "learnability_fields", "ridge_risk_fields"]


def _kappa(levels, n, ridge):
    k = _mp.kappa_levels(levels, n, ridge)
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


def learnability_fields(levels, tpow, kappa, dps):
    """Per-level learnabilities ``L_k = λ_k/(λ_k+κ)`` (object array ``grid + (levels,)``) and the
    target learnability ``Σ L_k v_k² / Σ v_k²`` (power-law tail by ``mpmath.sumem``), at the ``mpf`` κ grid."""
    shape = np.shape(kappa)
    L = np.empty(shape + (levels.all_vals.size,), dtype=object)
    tl = np.empty(shape, dtype=object)
    with mp.workdps(dps):
        vals = [mp.mpf(float(v)) for v in levels.all_vals]
        v2 = [mp.mpf(float(t)) for t in tpow]
        total = mp.fsum(v2)
        tail = levels.tail
        if tail.size and tail[T.TAIL_TSCALE] > 0:
            M, b, t = int(tail[T.TAIL_M]), mp.mpf(float(tail[T.TAIL_BETA])), mp.mpf(float(tail[T.TAIL_TSCALE]))
            a, s = mp.mpf(float(tail[T.TAIL_ALPHA])), mp.mpf(float(tail[T.TAIL_SCALE]))
            total += zeta_tail(t, b, M)
        for idx in np.ndindex(shape):
            k = kappa[idx]
            Lk = [mp.mpf(0) if (v == 0 or mp.isinf(k)) else v / (v + k) for v in vals]
            L[idx] = np.array(Lk, dtype=object)
            learned = mp.fsum(x * y for x, y in zip(Lk, v2))
            if tail.size and tail[T.TAIL_TSCALE] > 0 and 0 < k < mp.inf:
                with mp.extradps(15):  # guard digits for sumem's numerical derivatives (as in _mp_sums)
                    tail_part = mp.sumem(lambda j: t * j ** (-b) * (s * j ** (-a)) / (s * j ** (-a) + k), [M + 1, mp.inf])
                learned += tail_part
            tl[idx] = learned / total if total > 0 else mp.mpf(0)
    return L, tl
