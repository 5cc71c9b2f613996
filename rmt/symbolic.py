# SPDX-License-Identifier: BSD-3-Clause
r"""Closed forms as sympy expressions: κ, isotropic risks, Marchenko–Pastur, S-transforms, series.

Everything here returns :mod:`sympy` objects in the symbols of this module
(:data:`n`, :data:`D`, :data:`ridge`, :data:`lam`, :data:`signal`, :data:`noise`,
:data:`gamma`, :data:`z`, ...), so a researcher can read, simplify, expand or
differentiate the formula, then turn it into a vectorized numpy function with
:func:`lambdify`. The numeric solvers (:func:`rmt.solve_kappa`,
:func:`rmt.ridge_risk`, :func:`rmt.stieltjes`, :func:`rmt.resolvent.free.solve_chain`)
are the float64 counterparts; the test suite holds the two to 1e-12.

Conventions are the package's: ``Σ̂ = XᵀX/n`` with ``x ~ N(0, Σ)``, per-sample
ridge (``ŵ = (Σ̂ + ridge)⁻¹Xᵀy/n``), ``target_power`` the variance of the target
carried by each mode, ``excess = test − noise``.

The κ equation
--------------
For a spectrum of atoms ``λ_i`` with multiplicities ``w_i``,

.. math:: \kappa = \mathrm{ridge} + \frac{\kappa}{n}\sum_i \frac{w_i\lambda_i}{\lambda_i+\kappa},

multiplied by ``Π_i(λ_i+κ)``, is a polynomial of degree ``L + 1`` in κ whose
*largest real root* is the physical one (the map ``κ ↦ κ(1 − df₁(κ)/n)``
increases from the admissible edge to ∞ and every other root lies below the
edge). :func:`solve_kappa` returns that root: by radicals up to degree 4,
as a ``CRootOf`` beyond, and, for symbolic atoms, the radical branch that is
the largest root at a reference point (Atanasov, Zavatone-Veth & Pehlevan 2024,
arXiv:2405.00592 §3; Bach 2023, arXiv:2303.01372).

References
----------
Marchenko & Pastur (1967); Hastie, Montanari, Rosset & Tibshirani (2019),
arXiv:1903.08560 (isotropic ridge and ridgeless risks); Dobriban & Wager
(2018), arXiv:1507.03003; Voiculescu, Dykema & Nica (1992) (S-transforms);
Simon, Dickens, Karkada & DeWeese (2021), arXiv:2110.03922 (eigenlearning form
of the risk).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import sympy as sp

from ._validation import validate

__all__ = [
    "n", "D", "p", "ridge", "lam", "kappa", "signal", "noise", "gamma", "z", "x", "u",
    "kappa_polynomial", "solve_kappa",
    "IsotropicRisk", "isotropic_risk", "isotropic_ridgeless_risk",
    "gamma_rf", "RFIsotropicRisk", "isotropic_rf_risk", "isotropic_rf_ridgeless_test",
    "marchenko_pastur_density", "marchenko_pastur_stieltjes", "marchenko_pastur_moment", "narayana",
    "s_transform_wishart", "s_transform_product", "chain_df_equation",
    "kappa_series", "risk_series", "powerlaw_constants", "lambdify",
]

#: Symbols (positive unless said otherwise): sample count, dimension, feature count, ridge (>= 0),
#: eigenvalue scale, renormalized ridge, target variance, label-noise variance, aspect ratio D/n.
n, D, p, lam, kappa, signal, noise, gamma = sp.symbols("n D p lambda kappa signal noise gamma", positive=True)
ridge = sp.Symbol("ridge", nonnegative=True)
#: Complex spectral argument, real abscissa, and the normalized degrees of freedom ``u = df/D``.
z = sp.Symbol("z")
x = sp.Symbol("x", real=True)
u = sp.Symbol("u", positive=True)


# --------------------------------------------------------------------------- κ


def _sympify_all(values, name):
    if np.ndim(values) == 0 and not isinstance(values, (list, tuple)):
        values = [values]
    out = [sp.sympify(v) for v in values]
    if not out:
        raise ValueError(f"{name} must contain at least one atom; got an empty sequence")
    for v in out:
        if v.is_number and (not v.is_real or v.is_negative):
            raise ValueError(f"{name} must be real and >= 0; got {v}")
    return out


def kappa_polynomial(eigs, n, ridge, weights=None, *, variable=kappa) -> sp.Poly:
    r"""The κ equation cleared of denominators, a polynomial in ``variable`` of degree ``L + 1``.

    .. math:: \kappa\Big(n\prod_j(\lambda_j+\kappa) - \sum_i w_i\lambda_i\prod_{j\ne i}(\lambda_j+\kappa)\Big)
              - n\,\mathrm{ridge}\prod_j(\lambda_j+\kappa)

    ``eigs`` are atoms (numbers or sympy expressions), ``weights`` their
    multiplicities (default 1 each).
    """
    vals = _sympify_all(eigs, "eigs")
    w = [sp.Integer(1)] * len(vals) if weights is None else _sympify_all(weights, "weights")
    if len(w) != len(vals):
        raise ValueError(f"weights must have one entry per atom of eigs ({len(vals)}); got {len(w)}")
    n, ridge = sp.sympify(n), sp.sympify(ridge)
    prod = sp.Mul(*[v + variable for v in vals])
    df1_num = sum(wi * v * sp.Mul(*[vj + variable for j, vj in enumerate(vals) if j != i])
                  for i, (v, wi) in enumerate(zip(vals, w)))
    return sp.Poly(sp.expand(variable * (n * prod - df1_num) - n * ridge * prod), variable)


def _reference_point(expr_symbols, at):
    point = {s: sp.Rational(k + 2, k + 3) * (k + 1) for k, s in enumerate(sorted(expr_symbols, key=str))}
    point.update({sp.sympify(k): sp.sympify(v) for k, v in (at or {}).items()})
    return point


def solve_kappa(eigs, n, ridge, weights=None, *, at=None):
    r"""The physical root κ of the κ equation as a sympy expression.

    Parameters
    ----------
    eigs : sequence of numbers or sympy expressions
        The atoms ``λ_i ≥ 0`` of the spectrum.
    n, ridge : number or sympy expression
        Sample count and per-sample ridge.
    weights : sequence, optional
        Multiplicities ``w_i`` of the atoms (default 1 each), numbers or symbols.
    at : dict, optional
        For symbolic input of degree ≥ 3 only: the reference point (symbol → value)
        at which the branch is chosen as the largest real root; default: every
        free symbol set to a distinct positive rational. The branch stays the
        physical one as the parameters move continuously while ``ridge > 0``
        (the largest root is then simple).

    Returns
    -------
    sympy.Expr
        Radicals when the degree is ≤ 4 (one level gives the Marchenko–Pastur
        quadratic's ``+√`` root). For numeric atoms, an exact ``CRootOf`` (which
        ``float`` and ``evalf`` evaluate to any precision) when the degree exceeds 4
        or when the real root's radicals need complex intermediates (a cubic with
        three real roots: *casus irreducibilis*). For symbolic atoms of degree 3 or 4
        the radicals may carry ``I`` that cancels; evaluate with ``complex(...)``.

    Examples
    --------
    >>> import sympy as sp
    >>> from rmt import symbolic as S
    >>> S.solve_kappa([S.lam], S.n, S.ridge, [S.D])       # doctest: +SKIP
    >>> float(S.solve_kappa([1, 2], 3, sp.Rational(1, 10)))  # doctest: +ELLIPSIS
    0.6...
    """
    poly = kappa_polynomial(eigs, n, ridge, weights)
    free = poly.free_symbols - {kappa}
    if not free:
        real = sp.real_roots(poly)
        if not real:
            raise ValueError("the kappa equation has no real root for these numbers (check that eigs >= 0, n > 0)")
        largest = real[-1]
        if poly.degree() <= 4:
            for r in sp.roots(poly, multiple=True):
                if not r.has(sp.I) and abs(complex(sp.N(r - largest, 40))) < 1e-30:
                    return r
        return largest  # CRootOf: beyond degree 4, or radicals that need complex intermediates
    if poly.degree() == 2:
        a, b, c = poly.all_coeffs()
        return sp.simplify((-b + sp.sqrt(b**2 - 4 * a * c)) / (2 * a))
    if poly.degree() > 4:
        raise ValueError(f"symbolic eigs give a polynomial of degree {poly.degree()}; radicals exist only up to "
                         "degree 4 (use numeric atoms for a CRootOf)")
    candidates = sp.roots(poly, multiple=True)
    point = _reference_point(free, at)
    values = [complex(sp.N(r.subs(point), 30)) for r in candidates]
    best = max((v.real, i) for i, v in enumerate(values) if abs(v.imag) < 1e-20 * (1 + abs(v)))[1]
    return candidates[best]


# --------------------------------------------------------------------------- isotropic risks


class _Expressions:
    """Mixin: ``as_dict`` for a dataclass of sympy expressions."""

    def as_dict(self) -> dict:
        """Every expression by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class IsotropicRisk(_Expressions):
    r"""Sympy expressions of the ridge risk for ``Σ = λ I_D`` (fields as in :class:`rmt.RidgeRisk`)."""

    kappa: sp.Expr
    df1: sp.Expr
    df2: sp.Expr
    E0: sp.Expr
    bias: sp.Expr
    variance: sp.Expr
    excess: sp.Expr
    test: sp.Expr
    train: sp.Expr

    def subs(self, values: dict) -> "IsotropicRisk":
        """The same expressions with ``values`` (symbol → value) substituted."""
        return IsotropicRisk(**{k: sp.simplify(v.subs(values)) for k, v in self.as_dict().items()})


def _risk_from_kappa(k, D_, n_, lam_, ridge_, signal_, noise_):
    L = lam_ / (lam_ + k)
    df1, df2 = D_ * L, D_ * L**2
    E0 = n_ / (n_ - df2)
    bias = E0 * signal_ * (1 - L) ** 2
    variance = (E0 - 1) * noise_
    test = E0 * (signal_ * (1 - L) ** 2 + noise_)
    return IsotropicRisk(kappa=k, df1=df1, df2=df2, E0=E0, bias=bias, variance=variance,
                         excess=test - noise_, test=test, train=(ridge_ / k) ** 2 * test)


def isotropic_risk():
    r"""Ridge risk for ``Σ = λ I_D``, target variance ``signal`` spread evenly, label noise ``noise``.

    With κ the ``+√`` root of ``nκ² + (nλ − Dλ − n·ridge)κ − n·ridge·λ = 0``,
    ``L = λ/(λ+κ)``, ``df₂ = D L²`` and ``E₀ = n/(n − df₂)``:
    ``test = E₀(signal (1−L)² + noise)``, ``train = (ridge/κ)² test``
    (Hastie et al. 2019 §5; Dobriban & Wager 2018). Symbols: :data:`D`, :data:`n`,
    :data:`lam`, :data:`ridge`, :data:`signal`, :data:`noise`.
    """
    k = solve_kappa([lam], n, ridge, [D])
    return _risk_from_kappa(k, D, n, lam, ridge, signal, noise)


def isotropic_ridgeless_risk():
    r"""The ridgeless (``ridge → 0⁺``) isotropic risk as a function of ``gamma = D/n``: double descent.

    .. math::
        \mathrm{excess} = \begin{cases} \mathrm{noise}\,\dfrac{\gamma}{1-\gamma}, & \gamma < 1,\\[4pt]
        \mathrm{signal}\,(1 - 1/\gamma) + \dfrac{\mathrm{noise}}{\gamma - 1}, & \gamma > 1
        \end{cases}

    (Hastie et al. 2019, Theorem 1 with ``r² = signal``, ``σ² = noise``), ``train = 0`` for
    ``γ > 1`` and ``noise (1 − γ)`` for ``γ < 1``. Returns an :class:`IsotropicRisk` of
    ``Piecewise`` expressions (κ₀ = λ(γ − 1) above the threshold, 0 below).
    """
    g = gamma
    under = g < 1
    k = sp.Piecewise((0, under), (lam * (g - 1), True))
    df1 = sp.Piecewise((n * g, under), (n, True))
    df2 = sp.Piecewise((n * g, under), (n / g, True))
    E0 = sp.Piecewise((1 / (1 - g), under), (g / (g - 1), True))
    bias = sp.Piecewise((0, under), (signal * (1 - 1 / g), True))
    variance = sp.Piecewise((noise * g / (1 - g), under), (noise / (g - 1), True))
    excess = bias + variance
    train = sp.Piecewise((noise * (1 - g), under), (0, True))
    return IsotropicRisk(kappa=k, df1=df1, df2=df2, E0=E0, bias=bias, variance=variance,
                         excess=excess, test=excess + noise, train=train)


@dataclass(frozen=True)
class RFIsotropicRisk(_Expressions):
    r"""Random-feature ridge risk for ``Σ = λ I_D`` as expressions in the input-level ridge :data:`gamma_rf`.

    ``ridge`` is the (explicit) ridge that produces ``gamma_rf``; the other
    fields are as in :class:`rmt.RFRidgeRisk` (``kappa`` = ``gamma_rf``,
    ``kappa_features`` = κ_f). Substitute the physical root of
    :meth:`gamma_polynomial` (its largest real root) to get values at a given ridge.
    """

    kappa: sp.Expr
    ridge: sp.Expr
    kappa_features: sp.Expr
    df1: sp.Expr
    df2: sp.Expr
    E0: sp.Expr
    bias: sp.Expr
    variance: sp.Expr
    excess: sp.Expr
    test: sp.Expr
    train: sp.Expr

    def gamma_polynomial(self, ridge_value=ridge) -> sp.Poly:
        """Cubic in :data:`gamma_rf` whose largest real root is γ at ``ridge_value`` (Bach's equation cleared)."""
        num, den = sp.fraction(sp.together(self.ridge - sp.sympify(ridge_value)))
        return sp.Poly(sp.expand(num), gamma_rf)


#: Input-level renormalized ridge of random features (SKGB's γ, Atanasov et al.'s κ₂).
gamma_rf = sp.Symbol("gamma_rf", positive=True)


def isotropic_rf_risk():
    r"""Random-feature ridge (``f = <a, Fx>``, ``F_jk ~ N(0, 1/p)``) for ``Σ = λ I_D``, parametric in γ.

    With ``z = Dλ/(λ+γ)`` (df₁), ``q = Dλ²/(λ+γ)²`` (df₂) and ``L = λ/(λ+γ)``
    (Bach 2023, arXiv:2303.01372; Simon, Karkada, Ghosh & Belkin 2024,
    arXiv:2311.14646, with ``δ = n·ridge``, ``k = p``):

    .. math::
        \mathrm{ridge} = \gamma\Big(1-rac zn\Big)\Big(1-rac zp\Big),\quad
        \kappa_f = \gamma\Big(1-rac zp\Big),\quad
        E_0 = \Big(1 - rac{q(p-2z)+z^2}{n(p-q)}\Big)^{-1},

    .. math::
        \mathrm{test} = E_0\Big(\mathrm{signal}\Big[(1-L) - rac{\kappa_f L}{\lambda+\gamma}rac{p}{p-q}\Big]
        + \mathrm{noise}\Big),\qquad \mathrm{train} = (\mathrm{ridge}/\kappa_f)^2\,\mathrm{test}.
    """
    g = gamma_rf
    L = lam / (lam + g)
    z_, q_ = D * L, D * L**2
    ridge_of_gamma = g * (1 - z_ / n) * (1 - z_ / p)
    kf = g * (1 - z_ / p)
    E0 = 1 / (1 - (q_ * (p - 2 * z_) + z_**2) / (n * (p - q_)))
    b = (1 - L) - kf * L / (lam + g) * p / (p - q_)
    test = E0 * (signal * b + noise)
    return RFIsotropicRisk(kappa=g, ridge=ridge_of_gamma, kappa_features=kf, df1=z_, df2=q_, E0=E0,
                           bias=E0 * signal * b, variance=(E0 - 1) * noise, excess=test - noise, test=test,
                           train=(ridge_of_gamma / kf) ** 2 * test)


def isotropic_rf_ridgeless_test():
    r"""Ridgeless random-feature test risk for ``Σ = λ I_D`` in ``gamma = D/n`` and ``psi = p/n`` (``D > n``):

    .. math::
        \mathrm{test} = egin{cases}
        \dfrac{1}{1-\psi}\Big(\mathrm{signal}\,(1-\psi/\gamma) + \mathrm{noise}\Big), & \psi < 1,\[6pt]
        \dfrac{\psi - 1/\gamma}{(\psi-1)(1-1/\gamma)}\Big(\mathrm{signal}\Big[(1-	frac1\gamma)
        - \dfrac{(\psi-1)(1-1/\gamma)}{\gamma(\psi-1/\gamma)}\Big] + \mathrm{noise}\Big), & \psi > 1,
        \end{cases}

    the double-descent pole at ``p = n`` (Simon et al. 2024 §5; Mei & Montanari 2019 for the
    isotropic linear case). ``psi < 1`` also needs ``p < D``.
    """
    psi = sp.Symbol("psi", positive=True)
    g = gamma
    under = (signal * (1 - psi / g) + noise) / (1 - psi)
    L = 1 / g  # z(γ) = n: L = n/D
    q_over_n = 1 / g  # q = n²/D
    E0 = (psi - q_over_n) / ((psi - 1) * (1 - q_over_n))
    b = (1 - L) - (psi - 1) * L * (1 - L) / (psi - q_over_n)
    over = E0 * (signal * b + noise)
    return sp.Piecewise((under, psi < 1), (over, True)), psi


# --------------------------------------------------------------------------- Marchenko–Pastur


def _mp_edges():
    return lam * (1 - sp.sqrt(gamma)) ** 2, lam * (1 + sp.sqrt(gamma)) ** 2


def marchenko_pastur_density():
    r"""Continuous density of ``Σ̂`` at :data:`x` for ``Σ = λ I``, aspect ``gamma = D/n`` (D-normalized).

    ``√((b−x)(x−a)) / (2πλγx)`` on ``[a, b] = [λ(1−√γ)², λ(1+√γ)²]``; for ``γ > 1``
    an atom of mass ``1 − 1/γ`` sits at 0 (not included).
    """
    a, b = _mp_edges()
    return sp.Piecewise((sp.sqrt((b - x) * (x - a)) / (2 * sp.pi * lam * gamma * x), (x > a) & (x < b)), (0, True))


def marchenko_pastur_stieltjes():
    r"""``m(z) = (1/D) tr (Σ̂ − z)⁻¹`` for ``Σ = λ I``, aspect ``gamma = D/n``, atom at 0 included.

    .. math:: m(z) = \frac{\lambda(1-\gamma) - z + \sqrt{z-a}\,\sqrt{z-b}}{2\gamma\lambda z}

    Written with ``√(z−a)·√(z−b)`` (principal roots) so that the expression is
    the analytic function off ``[a, b] ∪ {0}`` with ``m(z) ~ −1/z`` at infinity:
    evaluating it at any complex ``z`` off the support gives the right branch.
    """
    a, b = _mp_edges()
    return (lam * (1 - gamma) - z + sp.sqrt(z - a) * sp.sqrt(z - b)) / (2 * gamma * lam * z)


def narayana(k: int, j: int):
    """Narayana number ``N(k, j) = C(k, j) C(k, j−1) / k``."""
    return sp.binomial(k, j) * sp.binomial(k, j - 1) / k


def marchenko_pastur_moment(k: int):
    r"""``lim (1/D) E tr Σ̂^k = λ^k Σ_{j=1}^{k} N(k, j) γ^{j−1}`` for ``Σ = λ I`` (Narayana polynomial)."""
    k = validate("symbolic.marchenko_pastur_moment", k=k)
    return sp.expand(lam**k * sum(narayana(k, j) * gamma ** (j - 1) for j in range(1, k + 1)))


# --------------------------------------------------------------------------- S-transforms


def s_transform_wishart(ratio, w=u):
    r"""S-transform of a white Wishart ``W = GᵀG/m`` in ``d`` dimensions: ``S(w) = 1/(1 + (d/m) w)``."""
    return 1 / (1 + sp.sympify(ratio) * w)


def s_transform_product(*ratios, w=u):
    r"""S-transform of the free product of white Wisharts with the given ``d/m`` ratios: the product of theirs."""
    return sp.Mul(*[s_transform_wishart(r, w) for r in ratios])


def chain_df_equation(ratios, ridge_value=ridge):
    r"""Equation in :data:`u` ``= df/D`` for ``Σ = I`` times free Wisharts of ``d/m`` = ``ratios``.

    From ``S_A(−df/D) = (1 − df/D)/(ridge · df/D)`` at the ridge where ``df_A = df``
    and ``S_A = Π_ℓ S_{W_ℓ}``:

    .. math:: \frac{1-u}{\mathrm{ridge}\,u} = \prod_\ell \frac{1}{1 - r_\ell u}.

    The renormalized ridge seen by ``Σ`` is ``γ = (1 − u)/u``; it equals
    :func:`rmt.resolvent.free.solve_chain`'s ``gamma`` (innermost factor first).
    Returns the expression whose root is wanted (``lhs − rhs``).
    """
    return (1 - u) / (sp.sympify(ridge_value) * u) - s_transform_product(*ratios, w=-u)


# --------------------------------------------------------------------------- series, power laws, numpy


def _perturbative_root(poly, t, eps, t0, order):
    """Root ``t0 + c₁ε + … + c_order ε^order`` of ``poly(t, ε) = 0`` continuous at ``t0`` (a simple root at ε = 0)."""
    cs = sp.symbols(f"c1:{order + 1}")
    ansatz = t0 + sum(c * eps**k for k, c in enumerate(cs, 1))
    eq = sp.expand(poly.subs(t, ansatz))
    sol = {}
    for k in range(1, order + 1):
        coeff = sp.expand(eq.coeff(eps, k).subs(sol))
        sol[cs[k - 1]] = sp.solve(coeff, cs[k - 1])[0]
    return sp.expand(ansatz.subs(sol))


def kappa_series(regime: str, order: int = 3):
    r"""Series of the isotropic κ (``Σ = λ I_D``) in a limit, to ``order`` terms past the leading one.

    ``regime``:

    * ``"small_ridge_over"`` — ``ridge → 0`` with ``gamma = D/n > 1``:
      ``κ = λ(γ−1) + ridge·γ/(γ−1) − ridge²·γ/(λ(γ−1)³) + …``;
    * ``"small_ridge_under"`` — ``ridge → 0`` with ``γ < 1``: ``κ = ridge/(1−γ) + …``;
    * ``"large_n"`` — ``n → ∞`` at fixed ``D`` and ``ridge > 0``:
      ``κ = ridge + D·λ·ridge/(n(λ+ridge)) + O(n⁻²)``.

    Computed by regular perturbation of the quadratic
    ``κ² + (λ − γλ − ridge)κ − ridge·λ = 0`` (``γ = D/n``) about its physical root.
    """
    regime, order = validate("symbolic.kappa_series", regime=regime, order=order)
    t = sp.Symbol("t")
    if regime in ("small_ridge_over", "small_ridge_under"):
        quad = t**2 + (lam - gamma * lam - ridge) * t - ridge * lam
        t0 = lam * (gamma - 1) if regime == "small_ridge_over" else sp.Integer(0)
        return sp.collect(_perturbative_root(quad, t, ridge, t0, order), ridge, sp.factor)
    h = sp.Symbol("h", positive=True)  # regime == "large_n" (the declaration allows nothing else)
    quad = t**2 + (lam - D * lam * h - ridge) * t - ridge * lam
    return sp.collect(_perturbative_root(quad, t, h, ridge, order), h, sp.factor).subs(h, 1 / n)


def risk_series(regime: str, order: int = 2, field: str = "test"):
    r"""Series of an :func:`isotropic_risk` field in the limit of :func:`kappa_series` (same regimes).

    The expression is evaluated on the series of κ and re-expanded; in the
    ``small_ridge_*`` regimes ``D`` is written as ``gamma·n``.
    """
    regime, order, field = validate("symbolic.risk_series", regime=regime, order=order, field=field)
    ks = kappa_series(regime, order + 1)
    if regime == "large_n":
        h = sp.Symbol("h", positive=True)
        r = _risk_from_kappa(ks.subs(n, 1 / h), D, 1 / h, lam, ridge, signal, noise)
        s = sp.series(getattr(r, field), h, 0, order).removeO()
        return sp.simplify(s.subs(h, 1 / n))
    r = _risk_from_kappa(ks, gamma * n, n, lam, ridge, signal, noise)
    s = sp.series(getattr(r, field), ridge, 0, order).removeO()
    return sp.simplify(s)


def powerlaw_constants(alpha=None, beta=None):
    r"""Exact constants of the power-law closed forms of :mod:`rmt.powerlaw` for ``λ_k = k^{−α}``, ``v_k² ∝ k^{−β}``.

    Returns ``dict`` with

    * ``I1 = ∫₀^∞ du/(1+u^α) = (π/α)/sin(π/α)``,
    * ``I2 = ∫₀^∞ du/(1+u^α)² = (1 − 1/α) I1``,
    * ``J = Γ(t)Γ(2−t)/α`` with ``t = (β−1)/α`` (bias constant, ``β < 2α+1``),
    * ``kappa0 = (I1/(n+½))^α`` (ridgeless κ₀) and ``E0 = αn/(n+½)``,

    with ``alpha``, ``beta`` symbols unless numbers are given.
    """
    a = sp.Symbol("alpha", positive=True) if alpha is None else sp.sympify(alpha)
    b = sp.Symbol("beta", positive=True) if beta is None else sp.sympify(beta)
    I1 = (sp.pi / a) / sp.sin(sp.pi / a)
    t = (b - 1) / a
    return {
        "I1": I1,
        "I2": (1 - 1 / a) * I1,
        "J": sp.gamma(t) * sp.gamma(2 - t) / a,
        "kappa0": (I1 / (n + sp.Rational(1, 2))) ** a,
        "E0": a * n / (n + sp.Rational(1, 2)),
    }


def lambdify(expr, *args):
    """A numpy function of ``args`` (symbols, in that order) evaluating ``expr``; broadcasts like a ufunc."""
    return sp.lambdify(args, expr, modules=["numpy"])
