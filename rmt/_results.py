# SPDX-License-Identifier: BSD-3-Clause
"""The common behaviour of result objects (predicted and simulated risks, solver reports, closed forms).

Every public entry point returns a frozen dataclass with this mixin: named fields,
``as_dict``, a readable ``repr`` and, where something is solved, a per-point
``status``. Results that were tuples before (``spectral_density``'s
``(density, atom)``, the power-law closed forms) keep unpacking and indexing as
:class:`TupleFields`.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np


def _short(value) -> str:
    if isinstance(value, (bool, np.bool_, str)) or value is None:
        return repr(value if not isinstance(value, np.bool_) else bool(value))
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return repr(value)


class ResultFields:
    """Mixin for frozen dataclasses of arrays: ``as_dict``, a short ``repr``, optional tuple behaviour.

    ``_summary`` names the fields shown by ``repr`` for a scalar result (the
    first one present decides whether the result is a grid); a field
    ``<name>_se`` next to one of them is shown as ``±`` its value. Array-valued
    results show their grid shape instead.

    ``_tuple`` names the fields a :class:`TupleFields` result unpacks to.
    """

    _summary: tuple[str, ...] = ("test", "excess", "train", "kappa", "E0")
    _tuple: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Every field by name (arrays are not copied)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        name = type(self).__name__
        extra = f", trials={self.trials}" if hasattr(self, "trials") else ""
        shown = [f for f in self._summary if hasattr(self, f)]
        shape = np.shape(getattr(self, shown[0])) if shown else ()
        if shape != ():
            return f"{name}(shape={shape}{extra})"
        parts = []
        for field in shown:
            text = f"{field}={_short(getattr(self, field))}"
            se = getattr(self, f"{field}_se", None)
            if se is not None:
                text += f"±{float(se):.2g}"
            parts.append(text)
        return f"{name}({', '.join(parts)}{extra})"

class TupleFields(ResultFields):
    """:class:`ResultFields` that also unpack, index and have a ``len`` like the tuple of ``_tuple`` fields.

    For results that were ``NamedTuple`` s: ``density, atom = rmt.spectral_density(...)``
    and ``result[0]`` keep working.
    """

    def _tuple_values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._tuple)

    def __iter__(self):
        return iter(self._tuple_values())

    def __len__(self):
        return len(self._tuple_values())

    def __getitem__(self, index):
        return self._tuple_values()[index]

    def _asdict(self) -> dict:
        """The ``NamedTuple`` spelling of :meth:`as_dict`."""
        return self.as_dict()

    def __eq__(self, other):
        """Equal to a tuple of the same values (as the former ``NamedTuple`` was), or to the same result."""
        if isinstance(other, tuple):
            return self._tuple_values() == other
        if type(other) is type(self):
            return self._tuple_values() == other._tuple_values()
        return NotImplemented

    __hash__ = None
