# SPDX-License-Identifier: BSD-3-Clause
"""Broadcasting helpers shared by every entry point: flatten the inputs, shape the outputs."""

from __future__ import annotations

import numpy as np


def flat_broadcast(*arrays, dtype=np.float64):
    """Broadcast the arrays together; return ``(shape, [contiguous flat copies])``."""
    shape = np.broadcast(*arrays).shape
    return shape, [np.ascontiguousarray(np.broadcast_to(np.asarray(a, dtype=dtype), shape)).ravel() for a in arrays]


def scalar_or_array(x, shape=None, dtype=None):
    """``x`` (reshaped to ``shape`` if given, cast to ``dtype`` if given); a 0-d result becomes a scalar."""
    x = np.asarray(x, dtype=dtype)
    if shape is not None:
        x = x.reshape(shape)
    return x[()] if x.ndim == 0 else x


def float_output(x):
    """:func:`scalar_or_array` cast to float64 (what every risk field is)."""
    return scalar_or_array(x, dtype=np.float64)
