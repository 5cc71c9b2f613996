# SPDX-License-Identifier: BSD-3-Clause
"""The common behaviour of result objects (predicted and simulated risks)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np


class ResultFields:
    """Mixin for frozen dataclasses of arrays: ``as_dict`` and a short ``repr``.

    ``_summary`` names the fields shown by ``repr`` for a scalar result; a
    field ``<name>_se`` next to one of them is shown as ``±`` its value.
    Array-valued results show their grid shape instead.
    """

    _summary: tuple[str, ...] = ("test", "excess", "train", "kappa", "E0")

    def as_dict(self) -> dict:
        """Every field by name (arrays are not copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        name = type(self).__name__
        extra = f", trials={self.trials}" if hasattr(self, "trials") else ""
        shape = np.shape(getattr(self, self._summary[0]))  # the first summary field (``test`` for risks)
        if shape != ():
            return f"{name}(shape={shape}{extra})"
        parts = []
        for field in self._summary:
            text = f"{field}={float(getattr(self, field)):.6g}"
            se = getattr(self, f"{field}_se", None)
            if se is not None:
                text += f"±{float(se):.2g}"
            parts.append(text)
        return f"{name}({', '.join(parts)}{extra})"
