# SPDX-License-Identifier: BSD-3-Clause
"""Broadcasting helpers shared by every entry point: flatten the inputs, shape the outputs.

Everything returned here is a fresh array: results never share memory with the
caller's input (a caller that later writes into its ``n`` does not change a
result's ``n``).
"""

from __future__ import annotations

import numpy as np


def broadcast_shape(*arrays, names=None) -> tuple:
    """The broadcast shape of ``arrays``; a ``ValueError`` naming them if they do not broadcast.

    ``names`` (one per array) makes the message start with the arguments'
    names, ``"n, ridge must broadcast together ...; got shapes (2,), (3,)"``.
    """
    try:
        return np.broadcast_shapes(*(np.shape(a) for a in arrays))
    except ValueError:
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        who = ", ".join(names) if names else "the array arguments"
        raise ValueError(f"{who} must broadcast together (numpy rules); got shapes {shapes}") from None


def flat_broadcast(*arrays, dtype=np.float64, names=None):
    """Broadcast the arrays together; return ``(shape, [contiguous flat copies])``.

    Raises a ``ValueError`` naming ``names`` (see :func:`broadcast_shape`) when
    the shapes do not broadcast.
    """
    shape = broadcast_shape(*arrays, names=names)
    return shape, [np.array(np.broadcast_to(np.asarray(a, dtype=dtype), shape), dtype=dtype, copy=True).ravel()
                   for a in arrays]


def scalar_or_array(x, shape=None, dtype=None):
    """A copy of ``x`` (reshaped to ``shape`` if given, cast to ``dtype`` if given); a 0-d result becomes a scalar."""
    x = np.array(x, dtype=dtype, copy=True)
    if shape is not None:
        x = x.reshape(shape)
    return x[()] if x.ndim == 0 else x


def float_output(x, shape=None):
    """:func:`scalar_or_array` cast to float64 (what every risk field is); always a copy."""
    return scalar_or_array(x, shape, dtype=np.float64)
