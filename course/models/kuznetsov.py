r"""Effector cells against an immunogenic tumour: the Kuznetsov et al. (1994) model.

Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994) "Nonlinear dynamics of
immunogenic tumors: parameter estimation and global bifurcation analysis", Bull Math
Biol 56:295-321, doi:10.1007/BF02460644 (curated as BioModels BIOMD0000000762).

In cells and days, effector cells :math:`E` (cytotoxic T lymphocytes and other
killers) and tumour cells :math:`T` obey

.. math::

    \frac{dE}{dt} = s + \frac{p\,E\,T}{g + T} - m\,E\,T - d\,E, \qquad
    \frac{dT}{dt} = a\,T\,(1 - b\,T) - n\,E\,T .

A constant supply :math:`s` of effectors is boosted by the tumour (saturating
recruitment :math:`pET/(g+T)`), effectors are inactivated by tumour cells
(:math:`mET`) and die or leave (:math:`dE`); the tumour grows logistically to
:math:`1/b` cells and is killed at rate :math:`nET`.  With :math:`x = E/E_0`,
:math:`y = T/T_0` (:math:`E_0 = T_0 = 10^6` cells) and :math:`\tau = n T_0 t`:

.. math::

    \frac{dx}{d\tau} = \sigma + \frac{\rho\,x\,y}{\eta + y} - \mu\,x\,y - \delta\,x,
    \qquad
    \frac{dy}{d\tau} = \alpha\,y\,(1 - \beta\,y) - x\,y,

with :math:`\sigma = s/(n E_0 T_0)`, :math:`\rho = p/(n T_0)`, :math:`\eta = g/T_0`,
:math:`\mu = m/n`, :math:`\delta = d/(n T_0)`, :math:`\alpha = a/(n T_0)`,
:math:`\beta = b T_0`.  One unit of :math:`\tau` is :data:`TIME_SCALE_DAYS`
(≈ 9.08 days) and one unit of :math:`x` or :math:`y` is :data:`CELL_SCALE` cells.

Equilibria.  The tumour-free state is :math:`(\sigma/\delta, 0)`.  Interior states
lie on the y-nullcline :math:`x = \alpha(1 - \beta y)`; putting that into
:math:`dx/d\tau = 0` and multiplying by :math:`\eta + y` gives the cubic

.. math::

    \sigma(\eta + y) + \alpha(1 - \beta y)\,[\rho y - (\mu y + \delta)(\eta + y)] = 0,

whose real roots with :math:`0 < y \le 1/\beta` are the interior equilibria.  At the
paper's estimates there are four states, labelled A-D in the paper's Fig. 3:
A tumour-free (saddle), B a small "dormant" tumour (stable focus), C a saddle and
D a large "escaped" tumour (stable node).  The stable manifold of C (the
separatrix) divides the starts that end dormant from those that escape.

"Sneaking through" (small tumours escape where medium ones are held dormant) needs
the unstable manifold of A to lead to D.  At the paper's estimates it leads to B
(Figs. 3 and 6a of the paper); raising :math:`\mu` past a heteroclinic connection
between A and C (Fig. 6b) makes it lead to D (Figs. 6c and 8): see
:data:`FIG8_MU`.

Pure numerics: nothing here plots or prints.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy.integrate import odeint, solve_ivp

from course.models import stability as _stability

__all__ = [
    "CELL_SCALE", "TIME_SCALE_DAYS", "ONE_CELL", "FIG8_MU", "KINDS", "RTOL", "ATOL",
    "Params", "DimensionalParams", "Trajectory", "Equilibrium", "Nullclines", "Separatrix",
    "to_cells", "from_cells", "to_days", "from_days",
    "rhs", "simulate", "equilibria", "nullclines", "separatrix", "outcome", "classify", "outcome_points",
    "DeltaBranch", "delta_branch", "elimination_death_rate",
]

#: Cells in one non-dimensional unit of x or y: the paper's scales E0 = T0 = 10^6 cells.
CELL_SCALE = 1e6

_N_BCL1 = 1.101e-7  # /(cell·day), the paper's estimated kill rate n (see DimensionalParams)

#: Days in one unit of non-dimensional time τ: 1/(n T0) with n = 1.101e-7 /(cell·day)
#: and T0 = 10^6 cells, i.e. ≈ 9.083 days.
TIME_SCALE_DAYS = 1.0 / (_N_BCL1 * CELL_SCALE)

#: One tumour cell in non-dimensional units.  Below this the continuous model no longer
#: describes a population: :func:`outcome` counts it as elimination.
ONE_CELL = 1.0 / CELL_SCALE

#: μ at which the paper's Fig. 8 shows sneaking through (other parameters as estimated).
#: The caption's own value could not be checked; 0.0061 is inferred from the figure:
#: it puts the saddle C at (1.27, 111) and D at (0.05, 484) and the lowest point of the
#: dormant basin at y ≈ 0.025, where Fig. 8 draws them (C ≈ (1.25, 110), basin bottom
#: ≈ 0.025 on its log-scale panel b).
FIG8_MU = 0.0061

#: The possible values of :attr:`Equilibrium.kind`.  "non-hyperbolic" (an eigenvalue
#: with zero real part) occurs only exactly at a bifurcation.
KINDS = ("stable node", "stable focus", "unstable node", "unstable focus", "saddle",
         "non-hyperbolic")

#: Default relative and absolute tolerances of :func:`simulate`.  The state is
#: integrated as (x, ln y), so ATOL on ln y is a *relative* tolerance on y.  Results
#: change by < 1e-5 (relative) when both are tightened 1000-fold (see the tests).
RTOL = 1e-7
ATOL = 1e-9

# A fraction of the immune-free carrying capacity 1/β above which a tumour counts as
# "escaped" when it has only one stable interior state to go to (see outcome()).
_ESCAPE_FRACTION_OF_CAPACITY = 0.5


def _real(value, name: str, meaning: str, *, positive: bool = False) -> float:
    """Return ``value`` as a float, or raise a ValueError saying what was expected."""
    bound = "> 0" if positive else "≥ 0"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (positive and v == 0):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    return v


@dataclass(frozen=True)
class Params:
    r"""Non-dimensional parameters; defaults are the paper's BCL1 estimates as it rounds them.

    All are dimensionless.  Each is listed with the dimensional parameter it comes
    from (see :class:`DimensionalParams`); the values are those the paper gives for
    BCL1 lymphoma in the spleen of chimeric mice (Kuznetsov et al. 1994,
    doi:10.1007/BF02460644).  ``dataclasses.replace(Params(), mu=0.0061)`` gives a
    variant.

    Attributes
    ----------
    sigma : float
        Normal (tumour-independent) supply of effector cells, :math:`s/(n E_0 T_0)`.
        0.1181 (from s = 1.3e4 cells/day).
    rho : float
        Maximal rate of tumour-stimulated effector recruitment, :math:`p/(n T_0)`.
        1.131 (from p = 0.1245 /day).
    eta : float
        Tumour size giving half-maximal recruitment, :math:`g/T_0` (in units of 10^6
        cells).  20.19 (from g = 2.019e7 cells).  Must be > 0.
    mu : float
        Effector inactivation by tumour cells relative to tumour killing, :math:`m/n`.
        0.00311 (from m = 3.422e-10 and n = 1.101e-7 /(cell·day)).
    delta : float
        Effector death/emigration rate, :math:`d/(n T_0)`.  0.3743 (from d = 0.0412
        /day; d/(n T0) itself is 0.37421: the paper's rounding).  Must be > 0.
    alpha : float
        Maximal tumour growth rate, :math:`a/(n T_0)`.  1.636 (from a = 0.18 /day;
        a/(n T0) itself is 1.6349: the paper's rounding).
    beta : float
        Inverse carrying capacity of the tumour, :math:`b T_0`; 1/β = 500 units =
        5e8 cells.  0.002 (from b = 2.0e-9 /cell).  Must be > 0.
    """

    sigma: float = 0.1181
    rho: float = 1.131
    eta: float = 20.19
    mu: float = 0.00311
    delta: float = 0.3743
    alpha: float = 1.636
    beta: float = 0.002

    def __post_init__(self):
        meanings = {
            "sigma": "normal effector supply", "rho": "maximal stimulated recruitment",
            "eta": "half-saturation tumour size", "mu": "effector inactivation / killing",
            "delta": "effector death rate", "alpha": "tumour growth rate",
            "beta": "inverse tumour carrying capacity",
        }
        for name, meaning in meanings.items():
            v = _real(getattr(self, name), f"Params.{name}", meaning + ", non-dimensional",
                      positive=name in ("eta", "delta", "beta"))
            object.__setattr__(self, name, v)


@dataclass(frozen=True)
class DimensionalParams:
    """The paper's estimates in cells and days, for BCL1 lymphoma in chimeric mice.

    Values as estimated by Kuznetsov et al. (1994) and curated in BioModels
    BIOMD0000000762 (SBML parameters s, p, g, m, d, a, b, n, checked identical).

    Attributes
    ----------
    s : float
        Normal rate of effector-cell supply, cells/day.  1.3e4.  The tumour-free
        effector level s/d = 3.16e5 cells matches the 3.2e5 effector cells that the
        BioModels curation uses as the initial value.
    p : float
        Maximal tumour-stimulated effector recruitment rate, /day.  0.1245.
    g : float
        Tumour size for half-maximal recruitment, cells.  2.019e7.
    m : float
        Effector inactivation rate by tumour cells, /(cell·day).  3.422e-10.
    d : float
        Effector death/emigration rate, /day.  0.0412.
    a : float
        Maximal tumour growth rate, /day.  0.18.
    b : float
        Inverse tumour carrying capacity, /cell.  2.0e-9 (capacity 5e8 cells).
    n : float
        Tumour killing rate by effectors, /(cell·day).  1.101e-7.
    E0, T0 : float
        Scales of effector and tumour cells, cells.  Both 1e6 as in the paper; the
        non-dimensional form (killing term ``x*y``) needs ``E0 == T0``.
    """

    s: float = 1.3e4
    p: float = 0.1245
    g: float = 2.019e7
    m: float = 3.422e-10
    d: float = 0.0412
    a: float = 0.18
    b: float = 2.0e-9
    n: float = 1.101e-7
    E0: float = CELL_SCALE
    T0: float = CELL_SCALE

    def __post_init__(self):
        for name in ("s", "p", "g", "m", "d", "a", "b", "n", "E0", "T0"):
            v = _real(getattr(self, name), f"DimensionalParams.{name}",
                      "a rate or cell number from the paper",
                      positive=name in ("g", "d", "b", "n", "E0", "T0"))
            object.__setattr__(self, name, v)
        if not math.isclose(self.E0, self.T0, rel_tol=1e-12):
            raise ValueError("DimensionalParams needs E0 == T0: the paper's non-dimensional "
                             f"model (killing term x*y) assumes equal scales; got E0={self.E0!r}, "
                             f"T0={self.T0!r}")

    @property
    def time_scale_days(self) -> float:
        """Days per unit of non-dimensional time, 1/(n T0)."""
        return 1.0 / (self.n * self.T0)

    def to_nondimensional(self) -> Params:
        """The non-dimensional :class:`Params` (unrounded; the paper rounds them)."""
        nT0 = self.n * self.T0
        return Params(sigma=self.s / (nT0 * self.E0), rho=self.p / nT0, eta=self.g / self.T0,
                      mu=self.m / self.n, delta=self.d / nT0, alpha=self.a / nT0,
                      beta=self.b * self.T0)


# ---------------------------------------------------------------------------- conversions

def _nonnegative_array(value, what: str) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers ≥ 0; got {value!r}") from None
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{what} must be finite numbers ≥ 0; got {value!r}")
    return a


def to_cells(v):
    """Non-dimensional population(s) → number(s) of cells (× :data:`CELL_SCALE`)."""
    return _nonnegative_array(v, "non-dimensional cell populations") * CELL_SCALE


def from_cells(cells):
    """Number(s) of cells → non-dimensional population(s) (÷ :data:`CELL_SCALE`)."""
    return _nonnegative_array(cells, "cell numbers") / CELL_SCALE


def to_days(tau):
    """Non-dimensional time(s) τ → days (× :data:`TIME_SCALE_DAYS`, the paper's 1/(n T0))."""
    return _nonnegative_array(tau, "non-dimensional times") * TIME_SCALE_DAYS


def from_days(days):
    """Days → non-dimensional time(s) τ (÷ :data:`TIME_SCALE_DAYS`)."""
    return _nonnegative_array(days, "times in days") / TIME_SCALE_DAYS


# ---------------------------------------------------------------------------- dynamics

def _check_params(params) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params must be a kuznetsov.Params; got {type(params).__name__} "
                        "(use DimensionalParams(...).to_nondimensional() for cells and days)")
    return params


def rhs(params: Params, x, y):
    r"""The vector field :math:`(dx/d\tau, dy/d\tau)`, vectorised over numpy arrays.

    ``x`` and ``y`` broadcast against each other (e.g. the two arrays of
    ``np.meshgrid`` for a phase-plane arrow field).  No checks on sign: the field is
    defined for any y ≠ -η, which lets a caller draw it slightly outside x, y ≥ 0.

    Returns
    -------
    (dx, dy) : tuple of ndarray
    """
    p = _check_params(params)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    dx = p.sigma + p.rho * x * y / (p.eta + y) - p.mu * x * y - p.delta * x
    dy = p.alpha * y * (1.0 - p.beta * y) - x * y
    return dx, dy


def _log_system(p: Params):
    """RHS and Jacobian in (x, u = ln y), as plain-float closures for odeint.

    du/dτ = α(1 - β e^u) - x: y = e^u can never become negative or zero, and tiny
    tumours (10 cells or 1e-30 cells) are integrated with the same relative accuracy.
    """
    sigma, rho, eta, mu, delta, alpha = p.sigma, p.rho, p.eta, p.mu, p.delta, p.alpha
    alpha_beta = p.alpha * p.beta
    exp = math.exp

    def f(state, _t):
        x, u = state.tolist()  # plain floats: ~4x faster arithmetic than numpy scalars
        y = exp(u)
        return (sigma + x * (rho * y / (eta + y) - mu * y - delta), alpha - alpha_beta * y - x)

    def jac(state, _t):
        x, u = state.tolist()
        y = exp(u)
        return ((rho * y / (eta + y) - mu * y - delta, x * y * (rho * eta / (eta + y) ** 2 - mu)),
                (-1.0, -alpha_beta * y))

    return f, jac


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A solution: non-dimensional time ``t`` and populations ``x``, ``y`` (read-only arrays)."""

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        for name in ("t", "x", "y"):
            a = np.array(getattr(self, name), dtype=float)
            a.setflags(write=False)
            object.__setattr__(self, name, a)

    @property
    def days(self) -> np.ndarray:
        """Time in days (paper's time scale)."""
        return self.t * TIME_SCALE_DAYS

    @property
    def effector_cells(self) -> np.ndarray:
        return self.x * CELL_SCALE

    @property
    def tumour_cells(self) -> np.ndarray:
        return self.y * CELL_SCALE


def simulate(params: Params, x0, y0, t_end, n_points: int = 400, *,
             rtol: float = RTOL, atol: float = ATOL) -> Trajectory:
    r"""Integrate the model from :math:`(x_0, y_0)` over :math:`0 \le \tau \le t_{end}`.

    Parameters
    ----------
    params : Params
    x0, y0 : float
        Initial effector and tumour populations (non-dimensional, ≥ 0; 1 = 10^6 cells).
    t_end : float
        Final non-dimensional time (> 0); days = τ × :data:`TIME_SCALE_DAYS`.
    n_points : int
        Number of equally spaced output times, including 0 and ``t_end`` (≥ 2).
    rtol, atol : float
        Solver tolerances (defaults :data:`RTOL`, :data:`ATOL`).

    Returns
    -------
    Trajectory

    Notes
    -----
    The state is integrated as :math:`(x, \ln y)`, so y stays positive however small
    the tumour gets (no clipping); y0 = 0 is the invariant tumour-free line, solved
    exactly: :math:`x = \sigma/\delta + (x_0 - \sigma/\delta)e^{-\delta\tau}`.
    Solver: LSODA through ``scipy.integrate.odeint``.  The problem is mildly stiff
    at most (stiff only for tumours far above capacity), which LSODA detects and
    handles by itself; odeint drives it from compiled code with one call of a small
    plain-float Python function per step, which makes it ~10x faster here than
    ``solve_ivp`` (about 2 ms for τ = 300: explainers call this on every slider move).
    """
    p = _check_params(params)
    x0 = _real(x0, "x0", "initial effector population, non-dimensional")
    y0 = _real(y0, "y0", "initial tumour population, non-dimensional")
    t_end = _real(t_end, "t_end", "final non-dimensional time", positive=True)
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be an integer ≥ 2; got {n_points!r}")
    rtol = _real(rtol, "rtol", "relative solver tolerance", positive=True)
    atol = _real(atol, "atol", "absolute solver tolerance", positive=True)
    t = np.linspace(0.0, t_end, int(n_points))
    if y0 == 0.0:
        x_free = p.sigma / p.delta
        return Trajectory(t, x_free + (x0 - x_free) * np.exp(-p.delta * t), np.zeros_like(t))
    f, jac = _log_system(p)
    sol, info = odeint(f, (x0, math.log(y0)), t, Dfun=jac, rtol=rtol, atol=atol,
                       mxstep=100_000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"the solver failed ({info['message']}) for x0={x0}, y0={y0}, "
                           f"t_end={t_end}, {p}")
    with np.errstate(under="ignore"):
        y = np.exp(sol[:, 1])
    return Trajectory(t, sol[:, 0], y)


# ---------------------------------------------------------------------------- equilibria

def _jacobian(p: Params, x: float, y: float) -> np.ndarray:
    return np.array([
        [p.rho * y / (p.eta + y) - p.mu * y - p.delta,
         x * (p.rho * p.eta / (p.eta + y) ** 2 - p.mu)],
        [-y, p.alpha * (1.0 - 2.0 * p.beta * y) - x],
    ])


@dataclass(frozen=True)
class Equilibrium:
    """A steady state (x, y) with the eigenvalues of its Jacobian and its kind.

    ``kind`` is one of :data:`KINDS`: "stable node", "stable focus", "unstable node",
    "unstable focus", "saddle" (or "non-hyperbolic" exactly at a bifurcation).
    ``eigenvalues`` is a tuple of two complex numbers, ordered by real part.
    """

    x: float
    y: float
    eigenvalues: tuple
    kind: str

    @property
    def stable(self) -> bool:
        """True when both eigenvalues have negative real part (an attractor)."""
        return all(complex(e).real < 0 for e in self.eigenvalues)

    @property
    def tumour_free(self) -> bool:
        return self.y == 0.0


def _equilibrium(p: Params, x: float, y: float) -> Equilibrium:
    ev = np.linalg.eigvals(_jacobian(p, x, y)).astype(complex)
    ev = tuple(complex(e) for e in sorted(ev, key=lambda e: (e.real, e.imag)))
    return Equilibrium(float(x), float(y), ev, _stability.classify(ev))


def _interior_cubic(p: Params) -> np.ndarray:
    """Coefficients (lowest degree first) of the cubic in y whose roots are interior states."""
    P = np.polynomial.Polynomial
    eta_plus_y = P([p.eta, 1.0])
    bracket = P([0.0, p.rho]) - P([p.delta, p.mu]) * eta_plus_y
    poly = p.sigma * eta_plus_y + P([p.alpha, -p.alpha * p.beta]) * bracket
    return poly.coef


def equilibria(params: Params) -> list[Equilibrium]:
    r"""Every equilibrium with x ≥ 0, y ≥ 0, sorted by y (tumour-free first).

    The tumour-free state :math:`(\sigma/\delta, 0)` plus the real roots
    :math:`0 < y \le 1/\beta` of the cubic in the module docstring, with
    :math:`x = \alpha(1 - \beta y)`; roots are polished by Newton steps.  The kind of
    each comes from the eigenvalues of the Jacobian

    .. math::

        J = \begin{pmatrix}
            \frac{\rho y}{\eta + y} - \mu y - \delta & x\left(\frac{\rho\eta}{(\eta+y)^2} - \mu\right)\\
            -y & \alpha(1 - 2\beta y) - x
        \end{pmatrix}.
    """
    return list(_equilibria(_check_params(params)))


@lru_cache(maxsize=512)
def _equilibria(p: Params) -> tuple[Equilibrium, ...]:
    # Cached: explainers ask for the same parameters' equilibria several times per slider move.
    found = [_equilibrium(p, p.sigma / p.delta, 0.0)]
    coef = np.trim_zeros(_interior_cubic(p), "b")
    if coef.size == 0:
        raise ValueError("degenerate parameters (alpha = sigma = 0): a whole line of equilibria")
    if coef.size == 1:
        return tuple(found)
    poly = np.polynomial.Polynomial(coef)
    deriv = poly.deriv()
    ys = []
    for r in poly.roots():
        if abs(r.imag) > 1e-7 * max(1.0, abs(r)):
            continue
        y = float(r.real)
        for _ in range(3):  # Newton polish of the companion-matrix root
            d = deriv(y)
            if d == 0:
                break
            y -= poly(y) / d
        capacity = 1.0 / p.beta
        if 0.0 < y <= capacity * (1 + 1e-12):
            y = min(y, capacity)
            if all(abs(y - other) > 1e-9 * max(1.0, y) for other in ys):
                ys.append(y)
    for y in sorted(ys):
        found.append(_equilibrium(p, max(0.0, p.alpha * (1.0 - p.beta * y)), y))
    return tuple(found)


@dataclass(frozen=True, eq=False)
class DeltaBranch:
    """Tumour-bearing equilibria traced as δ varies, parametrised by tumour size ``y``."""

    y: np.ndarray
    delta: np.ndarray
    stable: np.ndarray  # bool per point


def delta_branch(params: Params, y) -> DeltaBranch:
    r"""The effector death rate δ at which a tumour of size ``y`` is an equilibrium, and its stability.

    On the tumour nullcline :math:`x = \alpha(1 - \beta y)`; the effector equation then fixes

    .. math::

        \delta(y) = \frac{\sigma}{x} + \frac{\rho y}{\eta + y} - \mu y .

    All other parameters are taken from ``params`` (its own δ is ignored).  Tracing
    the curve by ``y`` gives the whole bifurcation diagram in δ, folds included, as one
    smooth line.  Points with x ≤ 0 or δ ≤ 0 are dropped.
    """
    p = _check_params(params)
    y = _nonnegative_array(y, "the tumour grid y").ravel()
    x = p.alpha * (1.0 - p.beta * y)
    keep = (x > 0) & (y > 0)
    y, x = y[keep], x[keep]
    delta = p.sigma / x + p.rho * y / (p.eta + y) - p.mu * y
    keep = delta > 0
    y, x, delta = y[keep], x[keep], delta[keep]
    stable = np.array([np.all(np.linalg.eigvals(_jacobian(replace(p, delta=float(d)), float(xi), float(yi))).real < 0)
                       for d, xi, yi in zip(delta, x, y)], dtype=bool)
    return DeltaBranch(y, delta, stable)


def elimination_death_rate(dim: DimensionalParams | None = None) -> float:
    r"""Effector death rate d (per day) below which the tumour-free state is stable.

    The tumour-free state :math:`(\sigma/\delta, 0)` is stable when :math:`\sigma/\delta > \alpha`
    (its tumour eigenvalue :math:`\alpha - \sigma/\delta` is then negative); in dimensional terms
    :math:`d < s\,n\,T_0 / (a\,E_0)`.
    """
    dim = DimensionalParams() if dim is None else dim
    return dim.s * dim.n * dim.T0 / (dim.a * dim.E0)


# ---------------------------------------------------------------------------- nullclines

@dataclass(frozen=True, eq=False)
class Nullclines:
    r"""Nullclines along a grid of tumour sizes ``y``.

    ``x_nullcline``: x where :math:`dx/d\tau = 0`,
    :math:`x = \sigma / (\delta + \mu y - \rho y/(\eta + y))`; NaN where that has no
    solution with x ≥ 0 (denominator ≤ 0), so a plotted line breaks there.
    ``y_nullcline``: the non-trivial :math:`dy/d\tau = 0` line
    :math:`x = \alpha(1 - \beta y)`; NaN where negative (y > 1/β).  The axis y = 0 is
    the other y-nullcline (every x).  Plot each as (x, y) pairs.
    """

    y: np.ndarray
    x_nullcline: np.ndarray
    y_nullcline: np.ndarray

    def __post_init__(self):
        for name in ("y", "x_nullcline", "y_nullcline"):
            a = np.array(getattr(self, name), dtype=float)
            a.setflags(write=False)
            object.__setattr__(self, name, a)


def nullclines(params: Params, y) -> Nullclines:
    """The x- and y-nullclines as x values along the tumour grid ``y`` (≥ 0)."""
    p = _check_params(params)
    y = _nonnegative_array(y, "the tumour grid y")
    denominator = p.delta + p.mu * y - p.rho * y / (p.eta + y)
    with np.errstate(divide="ignore", invalid="ignore"):
        if p.sigma == 0.0:
            x_null = np.zeros_like(y)
        else:
            x_null = np.where(denominator > 0, p.sigma / denominator, np.nan)
    y_null = p.alpha * (1.0 - p.beta * y)
    y_null = np.where(y_null >= 0, y_null, np.nan)
    return Nullclines(y, x_null, y_null)


# ---------------------------------------------------------------------------- separatrix

@dataclass(frozen=True, eq=False)
class Separatrix:
    """Stable manifold of one interior saddle: a curve through ``saddle`` (read-only arrays).

    Starts on the edge of the requested box, runs through the saddle and ends on the
    edge again (or where it winds into an unstable state).  Starts on one side end
    in the dormant state, on the other in the escaped one.
    """

    saddle: Equilibrium
    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        for name in ("x", "y"):
            a = np.array(getattr(self, name), dtype=float)
            a.setflags(write=False)
            object.__setattr__(self, name, a)


def _box(name, value, *, log: bool):
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) of numbers; got {value!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi) or (log and lo <= 0):
        need = "0 < low < high" if log else "0 ≤ low < high"
        raise ValueError(f"{name} must be finite with {need}; got {value!r}")
    return lo, hi


def _branch(p: Params, start, x_range, y_range, t_max, n_points):
    """Integrate backwards in time from ``start`` (x, ln y) until leaving the box."""
    f, _ = _log_system(p)
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    u_lo, u_hi = math.log(y_lo), math.log(y_hi)

    def backwards(_t, s):
        dx, du = f(np.asarray(s), 0.0)
        return (-dx, -du)

    events = [lambda _t, s: s[0] - x_lo, lambda _t, s: s[0] - x_hi,
              lambda _t, s: s[1] - u_lo, lambda _t, s: s[1] - u_hi]
    for ev in events:
        ev.terminal = True
    # Backwards in time the flow blows up (x → -∞, y → ∞ in finite time): the box
    # events stop it first.  Tight tolerances: a manifold error grows along the curve.
    sol = solve_ivp(backwards, (0.0, t_max), start, method="LSODA", rtol=1e-9, atol=1e-11,
                    dense_output=True, events=events)
    t_last = sol.t[-1]
    s = sol.sol(np.linspace(0.0, t_last, 4000))
    x, u = s[0], s[1]
    # Resample evenly along the curve in a metric that mixes linear and log y, so the
    # curve looks smooth on either kind of axis.
    xs = (x_hi - x_lo)
    ys_lin = (y_hi - y_lo)
    ys_log = (u_hi - u_lo)
    seg = (np.hypot(np.diff(x) / xs, np.diff(np.exp(u)) / ys_lin)
           + np.hypot(np.diff(x) / xs, np.diff(u) / ys_log))
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    if arc[-1] == 0:
        return x[:1], np.exp(u[:1])
    keep = np.linspace(0.0, arc[-1], n_points)
    x_out = np.interp(keep, arc, x)
    u_out = np.interp(keep, arc, u)
    x_out = np.clip(x_out, x_lo, x_hi)
    y_out = np.clip(np.exp(u_out), y_lo, y_hi)
    return x_out, y_out


def separatrix(params: Params, x_range=(0.0, 6.0), y_range=None, n_points: int = 300,
               t_max: float = 200.0) -> list[Separatrix]:
    r"""Stable manifolds of the interior saddle(s), clipped to a box.

    For each interior saddle inside the box, start :math:`10^{-6}` away from it along
    its stable eigenvector on both sides and integrate *backwards* in time until
    the curve leaves the box (or after ``t_max``).  Computed in :math:`(x, \ln y)`, so
    the part at tiny tumour sizes is as accurate as the rest.

    Parameters
    ----------
    params : Params
    x_range : (float, float)
        Box in x, 0 ≤ low < high.
    y_range : (float, float) or None
        Box in y, 0 < low < high; default (one cell, 1.2/β).
    n_points : int
        Points per branch (the curve has 2 n_points + 1, through the saddle).
    t_max : float
        Longest backward integration per branch (non-dimensional time).

    Returns
    -------
    list of Separatrix
        One per saddle, sorted by the saddle's y; empty when there is no interior
        saddle (then there is at most one attractor with a tumour).
    """
    p = _check_params(params)
    x_range = _box("x_range", x_range, log=False)
    y_range = _box("y_range", (ONE_CELL, 1.2 / p.beta) if y_range is None else y_range, log=True)
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be an integer ≥ 2; got {n_points!r}")
    t_max = _real(t_max, "t_max", "longest backward integration time", positive=True)
    out = []
    for eq in equilibria(p):
        if eq.kind != "saddle" or eq.y <= 0:
            continue
        if not (x_range[0] < eq.x < x_range[1] and y_range[0] < eq.y < y_range[1]):
            continue
        values, vectors = np.linalg.eig(_jacobian(p, eq.x, eq.y))
        v = np.real(vectors[:, int(np.argmin(values.real))])
        v = np.array([v[0], v[1] / eq.y])  # the same eigenvector in (x, ln y)
        v /= np.linalg.norm(v)
        centre = np.array([eq.x, math.log(eq.y)])
        halves = [_branch(p, centre + sign * 1e-6 * v, x_range, y_range, t_max, int(n_points))
                  for sign in (-1.0, 1.0)]
        x = np.concatenate([halves[0][0][::-1], [eq.x], halves[1][0]])
        y = np.concatenate([halves[0][1][::-1], [eq.y], halves[1][1]])
        out.append(Separatrix(eq, x, y))
    return out


# ---------------------------------------------------------------------------- outcome

def outcome(params: Params, x0, y0, t_end: float = 1000.0) -> str:
    r"""Where a start ends: "elimination", "dormancy" or "escape".

    - "elimination": the tumour falls below one cell (:math:`y <` :data:`ONE_CELL`) at
      any time up to ``t_end`` (or starts there).  The continuous model would let it
      recover from a fraction of a cell; a real tumour cannot.  The minimum is taken
      over 20 samples per unit time (at most 200 001), fine enough here because
      :math:`\ln y` changes by less than :math:`(\alpha + x)/20` between samples.
    - otherwise the state at ``t_end`` is given to the nearest attractor (distance in
      :math:`\log_{10} y`): the tumour-free state if stable → "elimination"; when two
      tumour-bearing stable states exist (as at the paper's estimates: B and D), the
      smaller → "dormancy", the larger → "escape"; a single one counts as "escape"
      when above half the carrying capacity (:math:`y \ge 0.5/\beta`), else
      "dormancy"; with no stable state, the same size rule applies to the end state.

    The default ``t_end`` = 1000 (≈ 25 years) is long enough at the paper's
    parameters except for starts within ~1e-6 of the separatrix, which linger at
    the saddle.
    """
    p = _check_params(params)
    y0 = _real(y0, "y0", "initial tumour population, non-dimensional")
    t_end = _real(t_end, "t_end", "final non-dimensional time", positive=True)
    return classify(p, simulate(p, x0, y0, t_end, n_points=outcome_points(t_end)))


def outcome_points(t_end: float) -> int:
    """Output points :func:`outcome` uses for a run to ``t_end``: 20 per unit of time."""
    return int(min(200_001, max(401, math.ceil(20 * t_end) + 1)))


def classify(params: Params, traj: Trajectory) -> str:
    """The outcome (see :func:`outcome`) of an already simulated trajectory.

    Sample it at least as finely as :func:`outcome_points` asks, or a dip below one
    cell between samples can be missed.
    """
    p = _check_params(params)
    if float(traj.y[0]) < ONE_CELL or float(traj.y.min()) < ONE_CELL:
        return "elimination"
    y_end = float(traj.y[-1])
    capacity = 1.0 / p.beta

    def by_size(y: float) -> str:
        return "escape" if y >= _ESCAPE_FRACTION_OF_CAPACITY * capacity else "dormancy"

    attractors = [e for e in equilibria(p) if e.stable]
    if not attractors:
        return by_size(y_end)
    log_end = math.log10(max(y_end, ONE_CELL))
    nearest = min(attractors, key=lambda e: abs(math.log10(max(e.y, ONE_CELL)) - log_end))
    if nearest.tumour_free:
        return "elimination"
    with_tumour = sorted((e for e in attractors if not e.tumour_free), key=lambda e: e.y)
    if len(with_tumour) >= 2:
        return "dormancy" if nearest is with_tumour[0] else "escape"
    return by_size(nearest.y)
