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
    "validate",
    "DECLARATIONS",
    "Constraint",
    "Interval",
    "Integer",
    "Options",
    "Schedule",
    "Times",
    "Spectrum",
    "TargetPower",
    "WholeCount",
    "Custom",
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


# =========================================================================== declared constraints
#
# Each public entry point declares its arguments' constraints once, as data, in ``DECLARATIONS`` below
# (the model is scikit-learn's ``_param_validation``): ``{argument name: constraint object}``. The entry
# point applies them with one call, ``validate(entry, **arguments)``, before any numerical work. A
# constraint object knows how to convert a value (or refuse it with ``"<name> must be <describe()>;
# got ..."``), and which values lie just outside and just inside what it allows: the generated test
# ``tests/test_bad_input.py`` reads them, so a new or changed declaration is tested automatically.


def _fmt(v: float) -> str:
    return "inf" if v == np.inf else "-inf" if v == -np.inf else f"{v:g}"


class Constraint:
    """A declared rule for one argument (subclasses define ``convert``, ``describe`` and the probes)."""

    def convert(self, value, name: str, done: dict):
        """The clean value, or a ``ValueError`` whose message starts with ``name``.

        ``done`` holds the arguments already converted (declaration order), for
        constraints that depend on another argument (a schedule's length).
        """
        raise NotImplementedError

    def apply(self, name: str, given: dict, done: dict, decl: dict) -> None:
        done[name] = self.convert(given[name], name, done)

    def describe(self) -> str:
        """What is allowed, as the message says it."""
        raise NotImplementedError

    def outside(self, done: dict) -> list:
        """Values this constraint refuses (probes for the generated test)."""
        return [None]

    def inside(self, done: dict) -> list:
        """Values at the edge of what it allows (accepted: probes for the generated test)."""
        return []


class Interval(Constraint):
    """Real numbers (any array shape unless ``scalar``) in an interval; NaN never allowed.

    ``closed`` says which ends belong to the interval (``"left"``, ``"right"``,
    ``"both"``, ``"neither"``). An infinite end is excluded unless closed:
    ``Interval(0, inf, "left")`` is finite and ``>= 0``, ``Interval(-inf, inf,
    "right")`` allows ``+inf`` but not ``-inf``. ``why`` is appended to the
    message in parentheses.
    """

    def __init__(self, low=-np.inf, high=np.inf, closed: str = "neither", why: str = "", *, scalar: bool = False,
                 integer: bool = False):
        self.integer = integer
        if closed not in ("left", "right", "both", "neither"):
            raise ValueError(f"closed must be 'left', 'right', 'both' or 'neither'; got {closed!r}")
        self.low, self.high, self.closed, self.why, self.scalar = float(low), float(high), closed, why, scalar
        self.left = closed in ("left", "both")
        self.right = closed in ("right", "both")

    def __repr__(self):
        return f"Interval({self.low!r}, {self.high!r}, closed={self.closed!r}{', scalar=True' if self.scalar else ''})"

    def describe(self) -> str:
        lo, hi = self.low, self.high
        notes = []
        if lo > -np.inf and hi < np.inf:
            text = f"in {'[' if self.left else '('}{_fmt(lo)}, {_fmt(hi)}{']' if self.right else ')'}"
        elif lo > -np.inf:
            text = f"{'>=' if self.left else '>'} {_fmt(lo)}"
            text, notes = (text, ["+inf allowed"]) if self.right else (f"{text} and finite", [])
        elif hi < np.inf:
            text = f"{'<=' if self.right else '<'} {_fmt(hi)}"
            text, notes = (text, ["-inf allowed"]) if self.left else (f"{text} and finite", [])
        else:
            allowed = [s for s, ok in (("-inf", self.left), ("+inf", self.right)) if ok]
            text = "a real number, not NaN" if allowed else "a finite real number"
            notes = [f"{' and '.join(allowed)} allowed"] if allowed else []
        if self.integer:
            text = f"a whole number {text}"
        if self.scalar:
            text = f"a scalar, {text}"
        notes += [self.why] if self.why else []
        return text + (f" ({'; '.join(notes)})" if notes else "")

    def _ok(self, arr):
        with np.errstate(invalid="ignore"):
            lo = (arr >= self.low) if self.left else (arr > self.low)
            hi = (arr <= self.high) if self.right else (arr < self.high)
        return lo & hi

    def convert(self, value, name, done=None):
        arr = _as_float_array(value, name)
        if self.scalar and arr.ndim != 0:
            raise ValueError(f"{name} must be {self.describe()}; got an array of shape {arr.shape}")
        bad = ~self._ok(arr)
        if self.integer:
            bad |= np.isfinite(arr) & (arr != np.round(arr))
        if bad.any():
            raise ValueError(f"{name} must be {self.describe()}; got {_describe_bad(arr, bad)}")
        return arr

    def outside(self, done=None) -> list:
        finite = [v for v in self.inside() if np.isfinite(v)]
        out = [None, np.nan, 1j + (finite[0] if finite else 0.0)]
        for end, closed, toward in ((self.low, self.left, -np.inf), (self.high, self.right, np.inf)):
            if np.isfinite(end):
                out += [np.nextafter(end, toward), end + np.sign(toward) * max(1.0, abs(end))] if closed else [end]
            elif not closed:
                out.append(end)
        if self.scalar:
            out.append(np.full(2, (self.inside() or [0.0])[0]))
        if self.integer:
            out.append((self.inside() or [0.0])[0] + 0.5)
        return out

    def inside(self, done=None) -> list:
        vals = []
        for end, closed, toward in ((self.low, self.left, np.inf), (self.high, self.right, -np.inf)):
            if np.isfinite(end):
                vals.append(end if closed else float(np.nextafter(end, toward)))
            elif closed:
                vals.append(end)
        return vals


class Integer(Constraint):
    """A Python ``int`` ``>= low`` (integral floats accepted); ``None`` too when ``none`` is True."""

    def __init__(self, low: int = 1, *, none: bool = False, why: str = ""):
        self.low, self.none, self.why = low, none, why

    def __repr__(self):
        return f"Integer({self.low}{', none=True' if self.none else ''})"

    def describe(self) -> str:
        return f"an integer >= {self.low}" + (" or None" if self.none else "") + (f" ({self.why})" if self.why else "")

    def convert(self, value, name, done=None):
        if value is None and self.none:
            return None
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, numbers.Real)) or (
            not isinstance(value, numbers.Integral) and (not np.isfinite(value) or float(value) != int(value))
        ) or int(value) < self.low:
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}")
        return int(value)

    def outside(self, done=None) -> list:
        return [self.low - 1, self.low + 0.5, "a"] + ([] if self.none else [None])

    def inside(self, done=None) -> list:
        return [self.low] + ([None] if self.none else [])


class Options(Constraint):
    """One of a fixed set of values (compared with ``==``)."""

    def __init__(self, *values):
        self.values = values

    def __repr__(self):
        return f"Options{self.values!r}"

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def convert(self, value, name, done=None):
        if isinstance(value, (list, dict, set, np.ndarray)) or not any(
            value is v or (type(value) is type(v) and value == v) for v in self.values
        ):
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}")
        return value

    def outside(self, done=None) -> list:
        return ["__not_an_option__", None] if None not in self.values else ["__not_an_option__"]

    def inside(self, done=None) -> list:
        return list(self.values)


class Boolean(Constraint):
    """``True`` or ``False`` (a numpy bool too; not 0/1, not strings)."""

    def __repr__(self):
        return "Boolean()"

    def describe(self) -> str:
        return "True or False"

    def convert(self, value, name, done=None):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}")
        return bool(value)

    def outside(self, done=None) -> list:
        return ["yes", None, 2]

    def inside(self, done=None) -> list:
        return [True, False]


BOOLEAN = Boolean()


class Schedule(Constraint):
    """A per-step hyper-parameter: a scalar or one value per step of the argument ``length``.

    ``values`` is the :class:`Interval` every entry must lie in; ``integer``
    asks for whole numbers. With ``length`` 0 a scalar must still lie in range.
    """

    def __init__(self, values: Interval, length: str = "steps"):
        self.values, self.length = values, length

    def __repr__(self):
        return f"Schedule({self.values!r}, length={self.length!r})"

    def describe(self) -> str:
        return f"a scalar or a schedule of length {self.length}, each {self.values.describe()}"

    def convert(self, value, name, done):
        steps = done[self.length]
        arr = _as_float_array(value, name)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != steps):
            raise ValueError(f"{name} must be a scalar or a schedule with one value per step (length {self.length} "
                             f"= {steps}); got shape {arr.shape}")
        self.values.convert(arr, name)
        return np.ascontiguousarray(np.full(steps, float(arr)) if arr.ndim == 0 else arr)

    def outside(self, done) -> list:
        out = [v for v in self.values.outside() if np.ndim(v) == 0]
        return out + [np.full(done[self.length] + 1, self.values.inside()[0])]

    def inside(self, done) -> list:
        return self.values.inside() + [np.full(done[self.length], self.values.inside()[0])]


class Times(Constraint):
    """Continuous training times: a finite scalar or 1-D array, every entry ``>= 0``."""

    def __repr__(self):
        return "Times()"

    def describe(self) -> str:
        return "a scalar or a 1-D array of finite times >= 0"

    def convert(self, value, name, done=None):
        return as_times(value, name)

    def outside(self, done=None) -> list:
        return [None, -1.0, np.nan, np.inf, np.ones((2, 2))]

    def inside(self, done=None) -> list:
        return [0.0, np.array([0.0, 1.0])]


class Spectrum(Constraint):
    """A spectrum (array of eigenvalues, ``Spectrum`` or ``PowerLaw``): finite, ``>= 0``, one positive.

    ``form="levels"`` converts to the kernels' prepared levels
    (:func:`rmt.resolvent.onepoint.prepare`), ``form="arrays"`` to
    ``(values, multiplicity)`` (:func:`as_levels`). ``infinite`` says whether an
    infinite ``PowerLaw(alpha)`` is accepted (its tail summed analytically);
    ``why`` says why not when it is refused.
    """

    def __init__(self, *, infinite: bool = True, form: str = "levels", why: str = ""):
        self.infinite, self.form, self.why = infinite, form, why

    def __repr__(self):
        return f"Spectrum(infinite={self.infinite}, form={self.form!r})"

    def describe(self) -> str:
        return ("a 1-D array of finite eigenvalues >= 0 (at least one positive), a Spectrum or a "
                + ("PowerLaw" if self.infinite else "finite PowerLaw(alpha, scale, size=D)"))

    def check_finite(self, value, name, entry: str = "") -> None:
        if not self.infinite and getattr(value, "infinite", False) is True:
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{name} must be a finite spectrum{' for ' + entry if entry else ''}{why}; got an infinite "
                             f"{value!r}: pass PowerLaw(alpha, scale, size=D)")

    def apply(self, name, given, done, decl):
        if any(isinstance(c, TargetPower) and c.of == name and t in given for t, c in decl.items()):
            return  # converted together with its task
        done[name] = self.convert(given[name], name, done, decl.get("__entry__", ""))

    def convert(self, value, name, done=None, entry=""):
        self.check_finite(value, name, entry)
        if self.form == "arrays":
            return as_levels(value, name)
        from .resolvent.onepoint import prepare

        return prepare(value, name, allow_tail=self.infinite)

    def outside(self, done=None) -> list:
        return [np.array([1.0, -1.0]), np.array([1.0, np.nan]), np.array([]), np.ones((2, 2)),
                np.array([1 + 1j, 2.0]), np.zeros(3), "abc", None]

    def inside(self, done=None) -> list:
        return [np.array([1.0, 0.0])]


class TargetPower(Constraint):
    """A task: target power per level of the spectrum ``of``, finite and ``>= 0`` (rules in ``prepare_task``).

    Converted together with its spectrum: ``done[of]`` becomes the prepared
    spectrum (``Spectrum.form``) and ``done[name]`` the per-level target power.
    ``weights=True`` also refuses target power on a zero eigenvalue (the
    weights ``w* = sqrt(target_power/eigs)`` enter the computation).
    """

    def __init__(self, of: str = "eigs", *, weights: bool = False):
        self.of, self.weights = of, weights

    def __repr__(self):
        return f"TargetPower(of={self.of!r}{', weights=True' if self.weights else ''})"

    def describe(self) -> str:
        return f"finite and >= 0, one entry per eigenvalue of {self.of} (a scalar is broadcast)"

    def apply(self, name, given, done, decl):
        spectrum = decl[self.of]
        eigs, tp = given[self.of], given[name]
        spectrum.check_finite(eigs, self.of, decl.get("__entry__", ""))
        if spectrum.form == "arrays":
            Spectrum(infinite=False).check_finite(tp, name, decl.get("__entry__", ""))
            levels = as_levels(eigs, self.of)
            tpow = as_target_power(tp, levels[0].size, name)
            values = levels[0]
        else:
            from .resolvent.onepoint import prepare_task

            levels, tpow = prepare_task(eigs, tp, eigs_name=self.of, target_name=name)
            values = levels.all_vals
        if self.weights:
            check_no_power_on_null_modes(values, tpow)
        done[self.of], done[name] = levels, tpow

    def outside(self, done=None) -> list:
        size = np.size(done.get(self.of, np.ones(12)))
        return [np.full(size, -0.1), np.full(size, np.nan), np.ones(size + 3), np.full(size, 1 + 1j), None, "abc"]

    def inside(self, done=None) -> list:
        return [0.0]


class Custom(Constraint):
    """A rule checked by a function (``convert(value, name)``), with its own description and probes."""

    def __init__(self, convert, describe: str, outside=(None,), inside=()):
        self._convert, self._describe, self._outside, self._inside = convert, describe, list(outside), list(inside)

    def __repr__(self):
        return f"Custom({self._describe!r})"

    def describe(self) -> str:
        return self._describe

    def convert(self, value, name, done=None):
        return self._convert(value, name)

    def outside(self, done=None) -> list:
        return list(self._outside)

    def inside(self, done=None) -> list:
        return list(self._inside)


class WholeCount(Interval):
    """A sample count to simulate: what :data:`COUNT` allows, non-empty and whole."""

    def __init__(self, why: str = "a number of samples to simulate", *, scalar: bool = False):
        super().__init__(1.0, np.inf, "left", why, scalar=scalar, integer=True)

    def describe(self) -> str:
        return "an integer >= 1" + (", one per call" if self.scalar else "") + f" ({self.why})"

    def convert(self, value, name, done=None):
        arr = super().convert(value, name)
        if arr.size == 0:
            raise ValueError(f"{name} must contain at least one sample count; got an empty array")
        return arr

    def outside(self, done=None) -> list:
        return super().outside() + [np.array([])]

    def inside(self, done=None) -> list:
        return [1.0]


def _as_seed(value, name):
    from .simulate._engine import make_seed_sequence

    return make_seed_sequence(value)


def _as_executor(executor, name):
    if isinstance(executor, type):
        raise ValueError(
            f"{name} must be an Executor instance, not the class {executor.__name__}; "
            f"pass e.g. {executor.__name__}(max_workers=2) (or None for serial)"
        )
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise ValueError(f"{name} must be None (serial) or a concurrent.futures.Executor-like object with a submit() "
                         f"method; got {type(executor).__name__}")
    return executor


def _as_counts(value, name, *, empty=False):
    """A chain's sample counts or widths (innermost first), each what :data:`COUNT` allows."""
    if not isinstance(value, (list, tuple)) and (value is None or isinstance(value, (str, bytes))
                                                 or np.ndim(value) == 0):
        raise ValueError(f"{name} must be a sequence of sample counts (one per factor); got {value!r}")
    seq = list(value) if isinstance(value, (list, tuple)) else list(np.asarray(value, dtype=object))
    if not seq and not empty:
        raise ValueError(f"{name} must contain at least one factor; got an empty sequence")
    return [COUNT.convert(c, f"{name}[{i}]") for i, c in enumerate(seq)]


#: Sample and feature counts of the predictors (real values allowed: the equivalents are smooth in n).
COUNT = Interval(MIN_COUNT, np.inf, "left", "a number of samples or features")
#: Per-sample ridges: negative values down to the admissible edge (checked by the solver), +inf the null predictor.
RIDGE = Interval(-np.inf, np.inf, "right", "negative values down to rmt.ridge_edge(eigs, n)")
#: Ridges where only ``>= 0`` has a meaning (random features, weight decay).
RIDGE_NONNEG = Interval(0.0, np.inf, "both", "negative ridges are supported by (kernel) ridge regression only")
NOISE = Interval(0.0, np.inf, "left", "a label-noise variance")
KAPPA = Interval(-np.inf, np.inf, "right")
REAL = Interval()
DPS = Integer(15, why="decimal digits of mpmath")
LR = Interval(0.0, np.inf, "neither", "a learning rate")
STEPS = Integer(0, why="a number of steps")
ALPHA = Interval(1.0, np.inf, "neither", "a power-law exponent with finite trace")
BETA = Interval(1.0, np.inf, "neither", "a target exponent with finite variance")
#: the readout's SGD reduces to a linear model on the features' spectrum for Gaussian inputs only
RF_KURTOSIS = Interval(3.0, 3.0, "both", "random features need Gaussian inputs", scalar=True)
MOMENTUM = Interval(0.0, 1.0, "left", "heavy-ball momentum; 1 never forgets")
KURTOSIS = Interval(1.0, np.inf, "left", "E z⁴ >= (E z²)² = 1 for unit-variance coordinates", scalar=True)
COMPLEX = Custom(as_complex, "finite complex numbers", outside=[None, np.nan, np.inf, "abc"], inside=[-0.5 + 0.1j])
COUNTS = Custom(_as_counts, "a sequence of sample counts (innermost first), each >= 1e-08 and finite",
                outside=[[0.0], [5.0, -1.0], [], 3.0, "ab"], inside=[[5.0]])
WIDTHS = Custom(lambda v, name: _as_counts(v, name, empty=True),
                "a (possibly empty) sequence of widths (innermost first), each >= 1e-08 and finite",
                outside=[[0.0], [5.0, -1.0], 3.0, "ab", None, [np.nan]], inside=[[], [1e-8]])

#: The options every Monte Carlo twin shares (``simulate._engine.validate_run_options`` applies them).
def _as_resolution(value, name):
    """``None`` or a finite distance ``> 0`` (the random-feature SGD quadrature's band-edge resolution)."""
    if value is None:
        return None
    return float(Interval(0.0, np.inf, "neither", "a distance to a band edge", scalar=True).convert(value, name, {}))


RUN_OPTIONS = dict(
    trials=Integer(2, why="a standard error needs two trials"),
    seed=Custom(_as_seed, "an integer >= 0, a non-empty sequence of them, None or a SeedSequence",
                outside=[-1, 1.5, "a", []], inside=[0, None, [1, 2]]),
    executor=Custom(_as_executor, "None or an Executor instance", outside=[int, object()], inside=[None]),
    chunksize=Integer(1, none=True),
    blas_threads=Integer(1, none=True),
)

_SPEC = Spectrum()
_FINITE = Spectrum(infinite=False)
_TASK = dict(eigs=_SPEC, target_power=TargetPower())
_RISK = dict(_TASK, noise=NOISE, n=COUNT, ridge=RIDGE, method=Options("numba", "mpmath"), dps=DPS)
_SIM = dict(eigs=Spectrum(infinite=False, form="arrays"), target_power=TargetPower(weights=True), noise=NOISE,
            n=WholeCount(), **RUN_OPTIONS)
_SGD = dict(eigs=Spectrum(infinite=False, form="arrays", why="the Monte Carlo twin draws every mode"),
            target_power=TargetPower(weights=True), noise=NOISE, steps=STEPS,
            lr=Schedule(LR), batch=Schedule(Interval(1.0, np.inf, "left", "a batch size", integer=True)),
            kurtosis=KURTOSIS, momentum=Schedule(MOMENTUM))
_GD = dict(eigs=_SPEC,
           target_power=TargetPower(weights=True), noise=NOISE, n=COUNT, ridge=Interval(0.0, np.inf, "left", "weight decay"))
_MULTIPASS = dict(eigs=Spectrum(infinite=False, why="the SGD noise sums need every mode"),
                  target_power=TargetPower(weights=True), noise=NOISE, n=COUNT, lr=Schedule(LR),
                  batch=Schedule(Interval(1.0, np.inf, "left", "a batch size", integer=True)), steps=STEPS,
                  nodes=Integer(16, none=True), closure=Options("B", "M_H"))

#: Every public entry point's declared constraints, by the name the user calls it by.
DECLARATIONS: dict[str, dict[str, Constraint]] = {
    # resolvent
    "solve_kappa": dict(eigs=_SPEC, n=COUNT, ridge=RIDGE, method=Options("numba", "mpmath", "sympy"),
                        full_output=BOOLEAN, dps=DPS),
    "ridge_edge": dict(eigs=_SPEC, n=COUNT),
    "ridge_from_kappa": dict(eigs=_SPEC, n=COUNT, kappa=KAPPA),
    "df1": dict(eigs=_SPEC, kappa=KAPPA),
    "df2": dict(eigs=_SPEC, kappa=KAPPA),
    "learnabilities": dict(eigs=Spectrum(infinite=False, form="arrays"), kappa=KAPPA),
    "stieltjes": dict(eigs=_SPEC, n=Interval(MIN_COUNT, np.inf, "left", "one sample count per call", scalar=True),
                      z=COMPLEX),
    "spectral_density": dict(eigs=_SPEC, n=Interval(MIN_COUNT, np.inf, "left", "one sample count per call",
                                                      scalar=True), x=REAL),
    "s_transform": dict(eigs=_FINITE, w=REAL),
    "solve_chain": dict(eigs=_SPEC, n=COUNT, ridge=RIDGE_NONNEG, widths=WIDTHS,
                        feature_noise=Interval(0.0, np.inf, "left", "the power of the feature noise"),
                        counts=COUNTS),
    "two_point": dict(eigs=_SPEC, n=COUNT, z1=COMPLEX, z2=COMPLEX),
    # risk
    "ridge_risk": _RISK,
    "kernel_ridge_risk": _RISK,
    "optimal_ridge": dict(_TASK, noise=NOISE, n=COUNT, allow_negative=BOOLEAN),
    "overfitting_cost": dict(_TASK, noise=NOISE, n=COUNT, allow_negative=BOOLEAN, full_output=BOOLEAN),
    "agnostic_bound": dict(eigs=_SPEC, n=COUNT),
    "overfitting_regime": dict(n=Interval(MIN_COUNT, np.inf, "left", "an increasing 1-D grid of sample sizes"),
                               tol=Interval(0.0, 1.0, "neither", "a relative tolerance")),
    "rf_ridge_risk": dict(_TASK, noise=NOISE, n=COUNT, p=COUNT, ridge=RIDGE_NONNEG),
    "rf_optimal_ridge": dict(_TASK, noise=NOISE, n=COUNT, p=COUNT),
    "online_sgd_risk": dict(_SGD, eigs=Spectrum(form="arrays")),  # an infinite PowerLaw: head + tail pseudo-levels
    "sgd_stable_lr": dict(eigs=Spectrum(form="arrays"),
                          batch=Interval(1.0, np.inf, "left", "a batch size", scalar=True, integer=True), kurtosis=KURTOSIS,
                          momentum=Interval(0.0, 1.0, "left", "heavy-ball momentum; 1 never forgets", scalar=True)),
    "rf_online_sgd_risk": dict(_SGD, eigs=Spectrum(infinite=False, form="arrays", why="not implemented for random "
                                                   "features"), p=Interval(MIN_COUNT, np.inf, "left", "a width",
                                                                           scalar=True), kurtosis=RF_KURTOSIS),
    "rf_sgd_pseudo_modes": dict(eigs=Spectrum(infinite=False, form="arrays"), target_power=TargetPower(),
                                p=Interval(MIN_COUNT, np.inf, "left", "a width", scalar=True),
                                resolution=Custom(_as_resolution, "None (the default) or a distance > 0 to a band edge",
                                                  outside=[0.0, -1.0, np.nan], inside=[None, 1e-12])),
    "gd_risk": dict(_GD, lr=LR, steps=STEPS),
    "gradient_flow_risk": dict(_GD, t=Times()),
    "rf_gd_risk": dict(_GD, eigs=Spectrum(infinite=False, why="the contour needs the edges of the features' spectrum"),
                       p=COUNT, lr=LR, steps=STEPS),
    "multipass_sgd_risk": _MULTIPASS,
    # Monte Carlo twins
    "simulate.ridge_risk": dict(_SIM, ridge=RIDGE),
    "simulate.kernel_ridge_risk": dict(_SIM, ridge=RIDGE),
    "simulate.rf_ridge_risk": dict(_SIM, p=WholeCount("a number of features to simulate"), ridge=RIDGE_NONNEG,
                                   test_size=Integer(1)),
    "simulate.kernel_ridge_pool": dict(noise=NOISE, n=WholeCount(), ridge=RIDGE, replace=BOOLEAN, **RUN_OPTIONS),
    "simulate.online_sgd_risk": dict(_SGD, **RUN_OPTIONS),
    "simulate.rf_online_sgd_risk": dict(_SGD, p=WholeCount(scalar=True), kurtosis=RF_KURTOSIS, **RUN_OPTIONS),
    "simulate.gd_risk": dict(_SIM, n=WholeCount(scalar=True), lr=LR, steps=STEPS,
                             ridge=Interval(0.0, np.inf, "left", "weight decay")),
    "simulate.rf_gd_risk": dict(_SIM, n=WholeCount(scalar=True), p=WholeCount(scalar=True),
                                lr=Interval(0.0, np.inf, "neither", "a learning rate", scalar=True), steps=STEPS,
                                ridge=Interval(0.0, np.inf, "left", "weight decay", scalar=True)),
    "simulate.gradient_flow_risk": dict(_SIM, n=WholeCount(scalar=True), t=Times(),
                                        ridge=Interval(0.0, np.inf, "left", "weight decay")),
    "simulate.multipass_sgd_risk": dict(_SIM, noise=NOISE,
                                        n=WholeCount(scalar=True), lr=_MULTIPASS["lr"], batch=_MULTIPASS["batch"], steps=STEPS,
                                        runs=Integer(1)),
    # closed forms (rmt.powerlaw: λ_k = k^-alpha, v_k² = k^-beta)
    **{f"powerlaw.{name}": dict(alpha=ALPHA) for name in ("I1", "I2")},
    **{f"powerlaw.{name}": dict(alpha=ALPHA, beta=BETA) for name in (
        "J", "saturated", "noiseless_cost", "learning_curve_exponents", "to_source_capacity", "to_ab", "to_plrf")},
    "powerlaw.bias_scale": dict(alpha=ALPHA, beta=BETA, n=COUNT),
    "powerlaw.ridgeless_kappa": dict(alpha=ALPHA, n=COUNT),
    **{f"scaling.{name}": dict(alpha=ALPHA, beta=BETA) for name in (
        "scaling_exponents", "bottleneck", "finite_loss", "frontier_closed_form")},
    "scaling.compute_optimal": dict(),
    # the 4+3 diagram has phases below the high-dimensional line alpha = 1 too
    "scaling.plrf_phase": dict(alpha=Interval(0.0, np.inf, "neither", "a positive power-law exponent"),
                               beta=BETA),
    "powerlaw.ridgeless_E0": dict(alpha=ALPHA, n=COUNT),
    "powerlaw.ridgeless_test": dict(alpha=ALPHA, beta=BETA, noise=NOISE, n=COUNT),
    "powerlaw.path_risk": dict(alpha=ALPHA, beta=BETA, noise=NOISE, n=COUNT,
                               x=Interval(0.0, 1.0, "right", "x = df1/n; 1 is ridgeless")),
    "powerlaw.x_from_ridge": dict(alpha=ALPHA, n=COUNT, ridge=Interval(0.0, np.inf, "left")),
    "powerlaw.relative_noise": dict(noise=NOISE),
    "powerlaw.cost_limit": dict(alpha=ALPHA, beta=BETA, rho=Interval(0.0, np.inf, "both", "the relative noise")),
    "powerlaw.interpolation_is_optimal": dict(alpha=ALPHA, beta=BETA,
                                              rho=Interval(0.0, np.inf, "both", "the relative noise")),
    "powerlaw.optimal_test_limit": dict(alpha=ALPHA, beta=BETA, noise=NOISE, n=COUNT),
    "powerlaw.overfitting_cost_limit": dict(alpha=ALPHA, beta=BETA, noise=NOISE, n=COUNT),
    "powerlaw.optimal_excess_rate": dict(alpha=ALPHA, beta=BETA, n=COUNT, noise=Interval(
        0.0, np.inf, "neither", "the noisy optimal rate; noiseless: the ridgeless rate applies")),
    "powerlaw.ridge_exponents": dict(alpha=ALPHA, beta=BETA, ell=Interval(0.0, np.inf, "left", "ridge ∝ n^-ell")),
    "powerlaw.from_source_capacity": dict(alpha=ALPHA, r=Interval(0.0, np.inf, "neither", "a finite-variance target")),
    "powerlaw.from_ab": dict(a=Interval(1.0, np.inf, "neither", "finite target variance"),
                             b=Interval(1.0, np.inf, "neither", "finite trace")),
    "powerlaw.from_plrf": dict(alpha_p=Interval(0.5, np.inf, "neither", "finite trace"), beta_p=REAL),
    "spectra.power_law": dict(D=Integer(1, why="a number of modes"), alpha=Interval(0.0, np.inf, "left"),
                              scale=Interval(0.0, np.inf, "neither")),
    "rf_powerlaw.rf_exponents": dict(alpha=ALPHA, beta=BETA),
    "rf_powerlaw.rf_width_bottleneck": dict(alpha=ALPHA, beta=BETA, p=COUNT),
    "rf_powerlaw.rf_ridgeless_test_asymptotic": dict(alpha=ALPHA, beta=BETA, noise=NOISE, n=COUNT, p=COUNT),
    # sympy closed forms (rmt.symbolic)
    "symbolic.marchenko_pastur_moment": dict(k=Integer(1, why="the moment's order")),
    "symbolic.kappa_series": dict(regime=Options("small_ridge_over", "small_ridge_under", "large_n"),
                                  order=Integer(0, why="terms past the leading one")),
    "symbolic.risk_series": dict(regime=Options("small_ridge_over", "small_ridge_under", "large_n"),
                                 order=Integer(1, why="terms past the leading one"),
                                 field=Options("kappa", "df1", "df2", "E0", "bias", "variance", "excess", "test",
                                               "train")),  # the fields of rmt.symbolic.IsotropicRisk
}


def validate(entry: str, /, **arguments):
    """Apply the declared constraints of ``entry`` to ``arguments``; the converted values in the order given.

    Arguments are converted in declaration order (a schedule after the
    ``steps`` it is measured by; a task together with its spectrum). An
    argument that is not declared for ``entry`` is a programming error.
    """
    decl = DECLARATIONS[entry]
    unknown = [k for k in arguments if k not in decl]
    if unknown:
        raise TypeError(f"validate({entry!r}): no declared constraint for {unknown}")
    done: dict = {}
    for name, constraint in decl.items():
        if name in arguments and name not in done:
            constraint.apply(name, arguments, done, decl)
    out = tuple(done[k] for k in arguments)
    return out[0] if len(out) == 1 else out
