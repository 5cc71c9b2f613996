# SPDX-License-Identifier: BSD-3-Clause
"""Input validation shared by every public entry point.

One function per kind of argument, one uniform error message per violation:
``"<name> must be <allowed range>; got <what was given>"``. Public functions call
these before any numerical work, so the numerical core can assume clean float64
input and never has to produce a NaN to signal a bad argument.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_levels",
    "as_target_power",
    "as_real",
    "as_complex",
    "as_count",
    "as_positive",
    "as_nonnegative",
    "as_ridge",
    "as_int",
    "as_schedule",
    "as_times",
]


def _describe_bad(arr: np.ndarray, bad: np.ndarray) -> str:
    idx = np.flatnonzero(bad)
    first = int(idx[0])
    val = arr.ravel()[first]
    val = val.item() if hasattr(val, "item") else val
    more = f" (and {idx.size - 1} more)" if idx.size > 1 else ""
    where = f" at index {first}" if arr.ndim else ""
    return f"{val!r}{where}{more}"


def _as_float_array(x, name: str) -> np.ndarray:
    """``x`` as a float64 array, refusing what a plain cast would turn silently into something else.

    ``None`` (numpy would make it NaN), strings, ragged sequences and complex
    values with a non-zero imaginary part (numpy would drop it) are refused
    with a message naming ``name``.
    """
    if x is None:
        raise ValueError(f"{name} must be numeric; got None")
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be numeric; got {x!r}")
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a numeric array-like of one shape; got {type(x).__name__}") from exc
    if raw.dtype == object:
        nones = np.frompyfunc(lambda v: v is None, 1, 1)(raw).astype(bool)
        if nones.any():
            where = f" at index {int(np.flatnonzero(nones)[0])}" if raw.ndim else ""
            raise ValueError(f"{name} must be numeric; got None{where}")
    if np.iscomplexobj(raw):
        bad = np.imag(raw) != 0
        if bad.any():
            raise ValueError(f"{name} must be real (the imaginary part would be dropped); got {_describe_bad(raw, bad)}")
        raw = np.real(raw)
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric array-like; got {type(x).__name__}") from exc
    return arr


def as_levels(eigs, name: str = "eigs") -> tuple[np.ndarray, np.ndarray]:
    """Return ``(values, multiplicity)`` of a spectrum, validated.

    Accepts a 1-D array of eigenvalues or any object with ``eigs`` and
    ``multiplicity`` attributes (``rmt.spectra.Spectrum``). Eigenvalues must be
    finite and ≥ 0 with at least one positive; multiplicities finite and > 0.
    """
    if hasattr(eigs, "multiplicity") and hasattr(eigs, "eigs"):
        values = _as_float_array(eigs.eigs, name)
        mult = _as_float_array(eigs.multiplicity, f"{name}.multiplicity")
    else:
        values = _as_float_array(eigs, name)
        mult = None
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of eigenvalues; got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"{name} must be non-empty; got an empty array")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise ValueError(
            f"{name} must be finite and >= 0 (a covariance or kernel spectrum); got {_describe_bad(values, bad)}"
        )
    if not (values > 0).any():
        raise ValueError(f"{name} must have at least one positive eigenvalue; got all zeros")
    if mult is None:
        mult = np.ones_like(values)
    else:
        if mult.shape != values.shape:
            raise ValueError(
                f"{name}.multiplicity must have the same length as {name} ({values.size}); got shape {mult.shape}"
            )
        badm = ~np.isfinite(mult) | (mult <= 0)
        if badm.any():
            raise ValueError(f"{name}.multiplicity must be finite and > 0; got {_describe_bad(mult, badm)}")
    return np.ascontiguousarray(values), np.ascontiguousarray(mult)


def as_target_power(target_power, size: int, name: str = "target_power") -> np.ndarray:
    """Validate a task: per-level target power, finite and ≥ 0, of length ``size``.

    A scalar is broadcast to every level (``0`` is a pure-noise task). An
    object with an ``at_levels(size, name)`` method (``rmt.spectra.PowerLaw``)
    is evaluated on the first ``size`` levels.
    """
    at_levels = getattr(target_power, "at_levels", None)
    if callable(at_levels):
        target_power = at_levels(size, name)
    arr = _as_float_array(target_power, name)
    if arr.ndim == 0:
        arr = np.full(size, float(arr))
    if arr.ndim != 1 or arr.size != size:
        raise ValueError(
            f"{name} must have one entry per eigenvalue (length {size}); got shape {arr.shape}"
        )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise ValueError(f"{name} must be finite and >= 0 (power carried by each mode); got {_describe_bad(arr, bad)}")
    return np.ascontiguousarray(arr)


def as_real(x, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A real array-like with no NaN (and no infinity unless allowed)."""
    arr = _as_float_array(x, name)
    bad = np.isnan(arr) if allow_inf else ~np.isfinite(arr)
    if bad.any():
        allowed = "real numbers (not NaN)" if allow_inf else "finite real numbers"
        raise ValueError(f"{name} must be {allowed}; got {_describe_bad(arr, bad)}")
    return arr


def as_complex(x, name: str) -> np.ndarray:
    """A finite complex array-like (real input is promoted to complex128)."""
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be numeric; got {x!r}")
    try:
        arr = np.asarray(x, dtype=np.complex128)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric (complex) array-like; got {type(x).__name__}") from exc
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{name} must be finite complex numbers; got {_describe_bad(arr, bad)}")
    return arr


MIN_COUNT = 1e-8


def as_positive(x, name: str) -> np.ndarray:
    """A positive, finite array-like such as a scale or an eigenvalue."""
    arr = as_real(x, name)
    bad = arr <= 0
    if bad.any():
        raise ValueError(f"{name} must be > 0; got {_describe_bad(arr, bad)}")
    return arr


def as_count(x, name: str = "n", *, scalar: bool = False) -> np.ndarray:
    """A size such as the number of samples ``n`` or features ``p``: > 0, at least ``MIN_COUNT``.

    Non-integer values are accepted (the deterministic equivalent is smooth in
    ``n``); the Monte Carlo twins require integers and check that themselves.
    Sizes below ``MIN_COUNT = 1e-8`` are refused: they mean nothing as sample
    counts and make the sums underflow. ``scalar=True`` refuses arrays (for
    functions that take one count per call).
    """
    arr = as_positive(x, name)
    if scalar and arr.ndim != 0:
        raise ValueError(f"{name} must be a scalar here (one sample count per call); got shape {arr.shape}")
    bad = arr < MIN_COUNT
    if bad.any():
        raise ValueError(f"{name} must be >= {MIN_COUNT:g} (a number of samples or features); got {_describe_bad(arr, bad)}")
    return arr


def as_nonnegative(x, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A finite (or +inf if allowed), non-negative array-like, e.g. ``noise``."""
    arr = as_real(x, name, allow_inf=allow_inf)
    bad = arr < 0
    if bad.any():
        raise ValueError(f"{name} must be >= 0; got {_describe_bad(arr, bad)}")
    return arr


def as_ridge(x, name: str = "ridge") -> np.ndarray:
    """A ridge: real, not NaN; ``+inf`` allowed (the null predictor).

    Negative values are allowed here; whether one lies above the admissible
    edge depends on the spectrum and ``n`` and is checked by the solver.
    """
    arr = as_real(x, name, allow_inf=True)
    bad = arr == -np.inf
    if bad.any():
        raise ValueError(f"{name} must be > -inf; got -inf")
    return arr


def as_int(x, name: str, *, minimum: int = 1) -> int:
    """A Python ``int`` ≥ ``minimum`` (integral floats such as ``300.0`` accepted)."""
    if isinstance(x, bool) or not isinstance(x, (numbers.Integral, numbers.Real)):
        raise ValueError(f"{name} must be an integer >= {minimum}; got {x!r}")
    if isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral):
        if not np.isfinite(x) or float(x) != int(x):
            raise ValueError(f"{name} must be an integer >= {minimum}; got {x!r}")
    value = int(x)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return value


def as_schedule(x, steps: int, name: str, *, minimum: float = 0.0, strict: bool = True, integer: bool = False) -> np.ndarray:
    """A per-step hyper-parameter (learning rate, batch size, momentum): a scalar or one value per step.

    Returns a float64 array of length ``steps`` (a scalar is repeated). Every
    value must be finite and ``> minimum`` (``>= minimum`` when ``strict`` is
    False), and a whole number when ``integer`` is True. A schedule of the wrong
    length is refused, never truncated or padded.
    """
    arr = as_real(x, name)
    if arr.ndim == 0:
        arr = np.full(steps, float(arr))
    elif arr.ndim != 1 or arr.size != steps:
        raise ValueError(f"{name} must be a scalar or a schedule with one value per step (length {steps}); "
                         f"got shape {arr.shape}")
    bad = (arr <= minimum) if strict else (arr < minimum)
    if bad.any():
        op = ">" if strict else ">="
        raise ValueError(f"{name} must be {op} {minimum:g}; got {_describe_bad(arr, bad)}")
    if integer:
        bad = arr != np.round(arr)
        if bad.any():
            raise ValueError(f"{name} must be whole numbers; got {_describe_bad(arr, bad)}")
    return np.ascontiguousarray(arr)


def as_times(t, name: str = "t") -> np.ndarray:
    """Continuous training times: a finite 0-d or 1-D array, every entry ``>= 0``."""
    arr = as_nonnegative(t, name)
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a scalar or a 1-D array of times; got shape {arr.shape}")
    return np.ascontiguousarray(np.atleast_1d(arr))


def check_no_power_on_null_modes(values: np.ndarray, tpow: np.ndarray) -> None:
    """Refuse target power on a zero eigenvalue: ``w*_k = sqrt(target_power_k / eigs_k)`` would be infinite.

    Needed wherever the weights ``w*`` themselves enter (simulators, SGD/GD
    dynamics); the ridge predictors only ever see ``target_power``.
    """
    bad = (values == 0) & (tpow > 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"target_power must be 0 where eigs is 0 (w*_k = sqrt(target_power_k / eigs_k) would be infinite, "
            f"which a linear model cannot represent); got target_power[{k}] = {tpow[k]!r} on eigs[{k}] = 0"
        )
