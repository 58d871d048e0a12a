r"""Tumour, effector cells and IL-2: the Kirschner–Panetta model with immunotherapy.

Kirschner D, Panetta JC (1998) Modeling immunotherapy of the tumor–immune
interaction. J Math Biol 37:235–252, doi:10.1007/s002850050127.

Three populations in one tumour-site compartment: activated effector cells
:math:`E` (cytotoxic T cells, NK cells, macrophages), tumour cells :math:`T` and
the IL-2 concentration :math:`I_L`:

.. math::

    \frac{dE}{dt} &= c\,T - \mu_2 E + \frac{p_1 E I_L}{g_1 + I_L} + s_1 \\
    \frac{dT}{dt} &= r_2 T (1 - b T) - \frac{a E T}{g_2 + T} \\
    \frac{dI_L}{dt} &= \frac{p_2 E T}{g_3 + T} - \mu_3 I_L + s_2

:math:`c` is the antigenicity of the tumour (how strongly each tumour cell
recruits effectors), :math:`s_1` a constant infusion of effector cells (adoptive
cellular immunotherapy, ACI) and :math:`s_2` a constant infusion of IL-2.

Units.  Time is in days and every rate constant in day⁻¹.  The paper gives
:math:`g_1, g_2, g_3` and :math:`b` in unspecified "volume" units (its Table 1, as
quoted by Sarv Ahrabi 2018, arXiv:1806.04752: "the units are in day⁻¹ except for
b, g1, g2 and g3").  Here :math:`E` and :math:`T` are read as numbers of cells in the
tumour-site compartment (so :math:`1/b = 10^9` cells is the carrying capacity and
"below one cell" means what it says, the convention of Caravagna et al. 2010,
who multiplied the paper's densities by a volume of 3.2 ml) and :math:`I_L` is in
the same arbitrary IL-2 units as :math:`g_1`.

What the model does (no therapy; the paper's results as summarised by Caravagna
G et al. (2010) J Theor Biol 265:336–345, doi:10.1016/j.jtbi.2010.05.013, who
re-ran it with the paper's parameters):

* the tumour-free state is always unstable;
* for very small :math:`c` (below :math:`c_0`, computed here as 8.4×10⁻⁵ day⁻¹)
  the tumour settles close to its carrying capacity;
* for intermediate :math:`c` the tumour oscillates on a limit cycle whose period
  and amplitude shrink as :math:`c` rises towards :math:`c_{max}` (a Hopf point,
  computed here as 0.0325 day⁻¹); at low :math:`c` the troughs are far below
  one cell (10⁻³⁸ cells at c = 0.015, period ~730 days), and the regrowth from
  them is presumably the paper's "long-term tumor relapse";
* above :math:`c_{max}` the tumour spirals (damped oscillations) into a small
  steady state of ~10⁴ cells.

With therapy the tumour-free state becomes stable once
:math:`s_1 > (r_2 g_2/a)\,(\mu_2 - p_1 I^*/(g_1+I^*))`, :math:`I^* = s_2/\mu_3`
(:func:`s1_clearance_threshold`: 540 cells/day without IL-2), and IL-2 infused
faster than :func:`il2_runaway_threshold` makes the effector population grow
without bound.

Numerics.  During clearance and in the troughs of the oscillations :math:`T` falls
from ~10⁹ to 10⁻⁵⁰ cells and below (10⁻⁵⁰⁰⁰ is a correct answer of the equations
at low :math:`c`).  An absolute tolerance on :math:`T` turns everything below it
into numerical noise: the trough becomes a floor the tumour "relapses" from at
the wrong time (at c = 0.01 the exact trough after the first spike is ~10⁻⁵⁵⁰⁰
cells and regrowth to one cell would take ~200 years, while runs with an absolute tolerance
show T hovering near 10⁻⁷ and a second spike after ~1900 days, as in Caravagna
et al. 2010, Fig. 1).  So :func:`simulate` integrates :math:`u = \ln T`,

.. math::

    \frac{du}{dt} = r_2 (1 - b e^u) - \frac{a E}{g_2 + e^u},

which keeps :math:`T` positive and gives it the same relative accuracy at every
size.  :math:`E` and :math:`I_L` stay linear (they start at zero in the usual
set-ups) with absolute tolerances scaled to the sizes at which they act.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
from scipy.integrate import odeint
from scipy.optimize import brentq

__all__ = [
    "Params",
    "Result",
    "Equilibrium",
    "OscillationStats",
    "OUTCOMES",
    "derivatives",
    "jacobian",
    "simulate",
    "equilibria",
    "tumour_free_equilibrium",
    "s1_clearance_threshold",
    "il2_runaway_threshold",
    "oscillation_stats",
    "outcome",
]

_PAPER = "Kirschner & Panetta (1998) J Math Biol 37:235, Table 1"


@dataclass(frozen=True)
class Params:
    """Parameters of the Kirschner–Panetta model (defaults: the paper's Table 1).

    The Table 1 values were checked against two curated encodings of the paper,
    BioModels BIOMD0000000732 (Kirschner1998_Immunotherapy_Tumour) and the CellML
    model ``kirschner_panetta_1998``, and against the tables of Caravagna et al.
    (2010) and Sarv Ahrabi (2018, rescaled to units of 10⁴ cells); all agree except
    where noted.  BioModels writes the IL-2-stimulated proliferation as
    :math:`p_1 E I_L/g_1`, without :math:`I_L` in the denominator; the paper's
    saturating form :math:`p_1 E I_L/(g_1+I_L)` is used here.  The two differ by
    the factor :math:`1 + I_L/g_1`: under 0.3 % in the oscillations at c ≥ 0.02
    (I_L < 6×10⁴), 5 % at the large tumour of c = 5×10⁻⁵ (I_L ≈ 10⁶), but up to
    threefold in the huge first spike at c ≲ 0.01 (I_L up to ~6×10⁷) and near
    :func:`il2_runaway_threshold`.

    Attributes
    ----------
    c : float
        Antigenicity of the tumour: effectors recruited per tumour cell per day
        (day⁻¹).  Table 1 gives the range 0 ≤ c ≤ 0.05.  Default 0.02 day⁻¹, one
        of the four values (5×10⁻⁵, 0.01, 0.02, 0.035) with which the BioModels
        curation reproduces the paper's figure of untreated tumours, the only
        value in the CellML encoding and one of the two in Caravagna et al. (2010,
        Fig. 1).  It shows the model's signature behaviour, the paper's tumour
        oscillations (period ~240 days, 10⁻⁴ to 4×10⁵ cells), and sits in the
        middle of the oscillatory range, so an explainer can move either way.
    mu2 : float
        Natural death rate of effector cells (day⁻¹); 0.03, i.e. a mean lifespan
        of ~33 days. Table 1.
    p1 : float
        Maximal IL-2-stimulated proliferation rate of effectors (day⁻¹); 0.1245.
        Table 1.
    g1 : float
        IL-2 concentration giving half-maximal effector proliferation (IL-2 units,
        "volume" in the paper); 2×10⁷. Table 1.  (The CellML encoding has 2×10⁻⁷,
        a sign slip in the exponent.)
    g2 : float
        Tumour size giving half-maximal killing (cells); 10⁵. Table 1.
    r2 : float
        Tumour growth rate (day⁻¹); 0.18. Table 1.
    b : float
        Inverse carrying capacity of the tumour (per cell); 10⁻⁹, i.e. at most 10⁹
        cells. Table 1.
    a : float
        Rate at which effectors kill tumour cells (day⁻¹); 1. Table 1.
    mu3 : float
        Loss rate of IL-2 (day⁻¹); 10. Table 1.
    p2 : float
        IL-2 production rate per effector stimulated by tumour (IL-2 units per
        cell per day); 5. Table 1.
    g3 : float
        Tumour size giving half-maximal IL-2 production (cells); 10³. Table 1.
    s1 : float
        Adoptive cellular immunotherapy: effector cells infused per day
        (cells/day); 0 = untreated.  Treatment term of the paper.
    s2 : float
        IL-2 infused per day (IL-2 units/day); 0 = untreated.  Treatment term of
        the paper.
    """

    c: float = 0.02
    mu2: float = 0.03
    p1: float = 0.1245
    g1: float = 2e7
    g2: float = 1e5
    r2: float = 0.18
    b: float = 1e-9
    a: float = 1.0
    mu3: float = 10.0
    p2: float = 5.0
    g3: float = 1e3
    s1: float = 0.0
    s2: float = 0.0

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise ValueError(f"{f.name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{f.name} must be finite, got {value!r}")
            if value < 0:
                raise ValueError(f"{f.name} must be ≥ 0 (rates, sizes and infusions cannot be negative), "
                                 f"got {value!r}")
        for name in ("g1", "g2", "g3"):
            if getattr(self, name) == 0:
                raise ValueError(f"{name} is a half-saturation constant and must be > 0")
        if self.b == 0:
            raise ValueError("b is the inverse carrying capacity and must be > 0 (1/b = 1e9 cells in the paper)")
        if self.a == 0:
            raise ValueError("a, the killing rate of tumour cells by effectors, must be > 0")
        if self.mu3 == 0:
            raise ValueError("mu3, the loss rate of IL-2, must be > 0")


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields, not objects
class Result:
    """A simulated course of the three populations (read-only arrays).

    Attributes
    ----------
    t : ndarray
        Time (days).
    E : ndarray
        Effector cells (cells).
    T : ndarray
        Tumour cells (cells).  Underflows to 0 when the tumour is far below one
        cell; ``log10_T`` keeps the value.
    IL : ndarray
        IL-2 concentration (IL-2 units).
    log10_T : ndarray
        log₁₀ of the tumour size, computed from the integrated ln T, so it is
        finite (e.g. -5000) where ``T`` has underflowed; -inf only if ``T0 = 0``.
    params : Params
        The parameters of the run.
    """

    t: np.ndarray
    E: np.ndarray
    T: np.ndarray
    IL: np.ndarray
    log10_T: np.ndarray
    params: Params


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields, not objects
class Equilibrium:
    """A steady state with the eigenvalues of its Jacobian (day⁻¹)."""

    E: float
    T: float
    IL: float
    eigenvalues: np.ndarray

    @property
    def stable(self) -> bool:
        """True when every eigenvalue has a negative real part (locally stable)."""
        return bool(np.all(self.eigenvalues.real < 0))

    @property
    def tumour_free(self) -> bool:
        return self.T == 0.0


@dataclass(frozen=True)
class OscillationStats:
    """Late-time oscillation of log₁₀ T: mean period (days) and extremes."""

    period: float
    log10_T_max: float
    log10_T_min: float

    @property
    def log10_amplitude(self) -> float:
        """Peak-to-trough swing in decades."""
        return self.log10_T_max - self.log10_T_min


def _check_params(params) -> Params:
    if not isinstance(params, Params):
        raise ValueError(f"params must be a kirschner_panetta.Params, got {type(params).__name__}")
    return params


def derivatives(params: Params, E, T, IL):
    r"""Right-hand side :math:`(dE/dt, dT/dt, dI_L/dt)` at a state (cells/day, IL-2 units/day)."""
    p = _check_params(params)
    dE = p.c * T - p.mu2 * E + p.p1 * E * IL / (p.g1 + IL) + p.s1
    dT = p.r2 * T * (1 - p.b * T) - p.a * E * T / (p.g2 + T)
    dI = p.p2 * E * T / (p.g3 + T) - p.mu3 * IL + p.s2
    return dE, dT, dI


def jacobian(params: Params, E: float, T: float, IL: float) -> np.ndarray:
    """Jacobian of :func:`derivatives` with respect to (E, T, IL), day⁻¹."""
    p = _check_params(params)
    gT, hT, gI = p.g2 + T, p.g3 + T, p.g1 + IL
    return np.array([
        [-p.mu2 + p.p1 * IL / gI, p.c, p.p1 * E * p.g1 / gI**2],
        [-p.a * T / gT, p.r2 * (1 - 2 * p.b * T) - p.a * E * p.g2 / gT**2, 0.0],
        [p.p2 * T / hT, p.p2 * E * p.g3 / hT**2, -p.mu3],
    ])


def _log_rhs(p: Params, tumour_present: bool):
    """RHS and Jacobian in (E, u = ln T, IL) as plain-float closures (odeint calls them ~10³ times)."""
    c, mu2, p1, g1, g2 = float(p.c), float(p.mu2), float(p.p1), float(p.g1), float(p.g2)
    r2, b, a, mu3, p2, g3 = float(p.r2), float(p.b), float(p.a), float(p.mu3), float(p.p2), float(p.g3)
    s1, s2 = float(p.s1), float(p.s2)
    exp = math.exp

    def tumour(u):
        # exp(u) for u > 700 overflows; such u only occur in rejected trial steps.
        return exp(u if u < 700.0 else 700.0) if tumour_present else 0.0

    def rhs(y, _t):
        E, u, I = y.tolist()
        T = tumour(u)
        return (c * T - mu2 * E + p1 * E * I / (g1 + I) + s1,
                (r2 - r2 * b * T - a * E / (g2 + T)) if tumour_present else 0.0,
                p2 * E * T / (g3 + T) - mu3 * I + s2)

    def jac(y, _t):
        E, u, I = y.tolist()
        T = tumour(u)
        gT, hT, gI = g2 + T, g3 + T, g1 + I
        du = ((-a / gT, -r2 * b * T + a * E * T / (gT * gT), 0.0) if tumour_present else (0.0, 0.0, 0.0))
        return ((-mu2 + p1 * I / gI, c * T, p1 * E * g1 / (gI * gI)),
                du,
                (p2 * T / hT, p2 * E * g3 * T / (hT * hT), -mu3))

    return rhs, jac


def _nonneg_number(name, value, unit):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number ({unit}), got {value!r}") from None
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{name} must be a finite number ≥ 0 ({unit}), got {value!r}")
    return x


def simulate(params: Params, E0: float, T0: float, IL0: float, t_end: float, n_points: int = 601,
             *, rtol: float = 1e-6, atol: float = 1e-6) -> Result:
    r"""Integrate the model from (E0, T0, IL0) over [0, t_end] days.

    Parameters
    ----------
    params : Params
    E0, T0 : float
        Initial effector and tumour cells (cells, ≥ 0).  ``T0 = 0`` stays tumour-free.
    IL0 : float
        Initial IL-2 (IL-2 units, ≥ 0).
    t_end : float
        Length of the run (days, > 0).
    n_points : int
        Number of equally spaced output times including 0 and ``t_end``.
    rtol : float
        Relative tolerance of the integrator.
    atol : float
        Dimensionless absolute tolerance.  It applies as is to ln T (so T is
        resolved to a relative error of ~``atol`` at any size), and scaled to the
        sizes at which the other variables act: ``atol·g2`` cells for E (killing
        depends on E/(g2+T)) and ``0.05·atol·g1`` for IL-2 (it acts through
        I/(g1+I)).  The defaults keep log₁₀ T within ~0.01 decade of a run with
        tolerances 10⁵ times tighter.

    Returns
    -------
    Result

    Notes
    -----
    Solver: LSODA through :func:`scipy.integrate.odeint` with an analytic
    Jacobian.  The system is stiff (IL-2 relaxes at μ₃ = 10 day⁻¹ while
    effectors turn over at 0.03 day⁻¹) and LSODA switches to BDF where it must;
    ``odeint`` calls its Fortran core directly and was 4–10× faster than
    ``solve_ivp(method="LSODA")`` and 30–100× faster than BDF/Radau on this
    system.  E and IL-2 cannot go negative in the equations (their rates are ≥ 0
    at zero); round-off of the order of the absolute tolerance is clipped to 0.
    """
    p = _check_params(params)
    E0 = _nonneg_number("E0", E0, "effector cells")
    T0 = _nonneg_number("T0", T0, "tumour cells")
    IL0 = _nonneg_number("IL0", IL0, "IL-2 units")
    try:
        t_end = float(t_end)
    except (TypeError, ValueError):
        raise ValueError(f"t_end must be a number of days, got {t_end!r}") from None
    if not math.isfinite(t_end) or t_end <= 0:
        raise ValueError(f"t_end must be a finite number of days > 0, got {t_end!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 2:
        raise ValueError(f"n_points must be an integer ≥ 2, got {n_points!r}")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not (isinstance(tol, (int, float, np.floating)) and math.isfinite(tol) and 0 < tol < 1):
            raise ValueError(f"{name} must be a number between 0 and 1, got {tol!r}")

    tumour_present = T0 > 0
    rhs, jac = _log_rhs(p, tumour_present)
    t = np.linspace(0.0, t_end, int(n_points))
    y0 = [E0, math.log(T0) if tumour_present else 0.0, IL0]
    abs_tol = [atol * p.g2, atol, 0.05 * atol * p.g1]
    y, info = odeint(rhs, y0, t, Dfun=jac, rtol=rtol, atol=abs_tol, mxstep=100_000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"integration failed: {info['message']} (params={p})")

    if tumour_present:
        log10_T = y[:, 1] / math.log(10.0)
        T = np.exp(np.minimum(y[:, 1], 700.0))
    else:
        log10_T = np.full(t.shape, -np.inf)
        T = np.zeros_like(t)
    arrays = [t, np.maximum(y[:, 0], 0.0), T, np.maximum(y[:, 2], 0.0), log10_T]
    for arr in arrays:
        arr.flags.writeable = False
    return Result(*arrays, params=p)


def _equilibrium(p: Params, E: float, T: float, IL: float) -> Equilibrium:
    return Equilibrium(float(E), float(T), float(IL), np.linalg.eigvals(jacobian(p, E, T, IL)))


def _il2_boost(p: Params, IL):
    """Per-capita IL-2-driven effector proliferation p1·IL/(g1+IL) (day⁻¹)."""
    return p.p1 * IL / (p.g1 + IL)


def tumour_free_equilibrium(params: Params) -> Equilibrium | None:
    r"""The steady state with T = 0, or None if there is none with finite E.

    With no tumour, :math:`I_L^* = s_2/\mu_3` and
    :math:`E^* = s_1/(\mu_2 - p_1 I_L^*/(g_1+I_L^*))`.  Its eigenvalues are
    :math:`r_2 - aE^*/g_2` (tumour), :math:`-(\mu_2 - p_1 I_L^*/(g_1+I_L^*))`
    (effectors) and :math:`-\mu_3`.  When IL-2 alone drives effector
    proliferation above their death rate there is no finite :math:`E^*` if
    :math:`s_1 > 0` (the effectors run away) and only the unstable :math:`E^* = 0`
    if :math:`s_1 = 0`.
    """
    p = _check_params(params)
    IL = p.s2 / p.mu3
    net_death = p.mu2 - _il2_boost(p, IL)
    if net_death > 0:
        E = p.s1 / net_death
    elif p.s1 == 0:
        E = 0.0
    else:
        return None
    return _equilibrium(p, E, 0.0, IL)


def _tumour_nullcline_E(p: Params, T):
    """E on the T nullcline (T > 0): r2 (1 - bT) = a E/(g2 + T)."""
    return p.r2 * (1 - p.b * T) * (p.g2 + T) / p.a


def _IL_nullcline(p: Params, E, T):
    return (p.p2 * E * T / (p.g3 + T) + p.s2) / p.mu3


def _reduced(T, p: Params):
    """dE/dt on the T and I_L nullclines: its zeros are the tumour-present steady states."""
    E = _tumour_nullcline_E(p, T)
    IL = _IL_nullcline(p, E, T)
    return p.c * T - p.mu2 * E + p.p1 * E * IL / (p.g1 + IL) + p.s1


def equilibria(params: Params) -> list[Equilibrium]:
    r"""Every non-negative steady state, tumour-free first, then by tumour size.

    A tumour-present steady state lies on the tumour nullcline
    :math:`E = r_2(1-bT)(g_2+T)/a` (so :math:`0 < T \le 1/b`) and on the IL-2
    nullcline :math:`I_L = (p_2 E T/(g_3+T) + s_2)/\mu_3`; substituting both into
    :math:`dE/dt = 0` leaves one equation :math:`F(T) = 0`.  Its roots are
    bracketed on a logarithmic grid of 4000 points from 10⁻⁹ cells to 1/b and
    refined with Brent's method.  A double root where two steady states are just
    being born (a tangency, exactly at a saddle-node point) can be missed.
    """
    p = _check_params(params)
    found = []
    tf = tumour_free_equilibrium(p)
    if tf is not None:
        found.append(tf)
    grid = np.geomspace(1e-9, 1.0 / p.b, 4000)
    grid[-1] = 1.0 / p.b
    values = _reduced(grid, p)
    # At capacity T = 1/b the tumour nullcline has E = 0 and F = c/b + s1 exactly (round-off in
    # 1 - bT aside): with c = s1 = 0 the untouched tumour at capacity is a steady state.
    values[-1] = p.c / p.b + p.s1
    roots = []
    for i in np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0):
        roots.append(brentq(_reduced, grid[i], grid[i + 1], args=(p,), xtol=1e-12 * grid[i], rtol=1e-13))
    roots.extend(grid[:-1][values[:-1] == 0.0])  # exact zeros on the grid
    for T in sorted(set(roots)):
        E = max(_tumour_nullcline_E(p, T), 0.0)
        found.append(_equilibrium(p, E, T, _IL_nullcline(p, E, T)))
    if values[-1] == 0.0:
        found.append(_equilibrium(p, 0.0, 1.0 / p.b, p.s2 / p.mu3))
    return found


def s1_clearance_threshold(params: Params) -> float:
    r"""Effector infusion rate s₁ (cells/day) above which the tumour-free state is stable.

    The tumour-free state is stable when its effectors kill faster than the
    tumour grows, :math:`aE^*/g_2 > r_2` (see :func:`tumour_free_equilibrium`),
    that is

    .. math::

        s_1 > \frac{r_2 g_2}{a}\left(\mu_2 - \frac{p_1 s_2}{\mu_3 g_1 + s_2}\right).

    Without IL-2 (s₂ = 0) this is the paper's condition
    :math:`s_1 > r_2 g_2 \mu_2 / a` = 540 cells/day with Table 1 values (quoted as
    "s1,cr = r2g2µ2/a" and "critical value s1,cr = 540 [Kirschner & Panetta]" by
    Sarv Ahrabi 2018, arXiv:1806.04752, who, like the paper's treated runs, use
    s₁ = 550 above it and 500 below it).  Infused IL-2 lowers the threshold; the
    general form with s₂ > 0 is derived here from the same linearisation.  If IL-2
    alone pushes effector proliferation above their death rate
    (s₂ > :func:`il2_runaway_threshold`) the threshold is 0: no infused cells are
    needed, but the effectors grow without bound.

    Stability is local: with low antigenicity a large tumour can survive an
    s₁ above the threshold (the tumour-free and a large-tumour state are then both
    stable), so treatment has to start while the tumour is small.
    """
    p = _check_params(params)
    net_death = p.mu2 - _il2_boost(p, p.s2 / p.mu3)
    return max(p.r2 * p.g2 / p.a * net_death, 0.0)


def il2_runaway_threshold(params: Params) -> float:
    r"""IL-2 infusion rate s₂ above which effector cells grow without bound.

    With the tumour gone, :math:`I_L \to s_2/\mu_3` and the effectors grow
    exponentially when :math:`p_1 I_L/(g_1+I_L) > \mu_2`, i.e. for

    .. math::

        s_2 > \frac{\mu_2\, \mu_3\, g_1}{p_1 - \mu_2}

    (6.35×10⁷ IL-2 units/day with Table 1 values; infinite if p₁ ≤ μ₂).  The paper
    reports that IL-2 alone clears the tumour only at such doses, with unbounded
    effector growth (capillary leak syndrome in patients), as summarised by
    Caravagna et al. (2010): "for the injection rate of the interleukins greater
    than such a value, there is an unbounded growth of effectors".  The formula is
    derived here from the equations.
    """
    p = _check_params(params)
    if p.p1 <= p.mu2:
        return math.inf
    return p.mu2 * p.mu3 * p.g1 / (p.p1 - p.mu2)


def _check_result(result) -> Result:
    if not isinstance(result, Result):
        raise ValueError(f"expected a kirschner_panetta.Result, got {type(result).__name__}")
    if result.t.size < 20:
        raise ValueError("need at least 20 output points to classify a run; raise n_points")
    return result


def _window(t, start_fraction):
    t0, t1 = t[0], t[-1]
    return int(np.searchsorted(t, t0 + start_fraction * (t1 - t0)))


def _finite_log10_T(result: Result) -> np.ndarray:
    # -inf (T0 = 0) becomes a very small but finite number so differences stay defined.
    return np.maximum(result.log10_T, -1e300)


def oscillation_stats(result: Result) -> OscillationStats | None:
    """Period and extremes of log₁₀ T over the second half of a run.

    The period is the mean spacing of the local maxima of log₁₀ T that rise at
    least 0.1 decade above the lowest value between them and the previous
    maximum; None if the second half holds fewer than two such maxima.
    """
    r = _check_result(result)
    start = _window(r.t, 0.5)
    t, x = r.t[start:], _finite_log10_T(r)[start:]
    interior = np.flatnonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:])) + 1
    peaks = []
    for i in interior:
        previous = peaks[-1] if peaks else 0
        if x[i] - x[previous:i + 1].min() >= 0.1:
            peaks.append(i)
    if len(peaks) < 2:
        return None
    peaks = np.array(peaks)
    return OscillationStats(float(np.mean(np.diff(t[peaks]))), float(x[peaks].max()),
                            float(x[peaks[0]:].min()))


#: The labels :func:`outcome` returns.
OUTCOMES = ("cleared", "clearing", "controlled", "large tumour", "growing", "oscillating", "runaway")

_LARGE_FRACTION = 0.1  # a steady tumour above 10 % of the carrying capacity 1/b is "large"
_DAMPED_SWING = 2.0  # decades: wider late swings read as oscillation even if they will damp out eventually


def outcome(result: Result) -> str:
    """Classify a run from its last half (see :data:`OUTCOMES`).

    ``"runaway"``
        Effector cells are still rising over the last quarter and IL-2 alone
        drives their proliferation above their death rate
        (p₁I_L/(g₁+I_L) > μ₂ at the end): they grow without bound.
    ``"cleared"``
        The tumour stayed below one cell over the last quarter of the run.  In a
        deterministic model a tumour of 10⁻³⁰ cells can regrow later unless the
        tumour-free state is stable (:func:`tumour_free_equilibrium`); the paper's
        "long-term relapse" is this regrowth.
    ``"clearing"``
        Still ≥ 1 cell at the end, but falling steadily over the last quarter
        while the tumour-free state is stable: a longer run ends "cleared".
    ``"large tumour"`` / ``"controlled"``
        The tumour settles (log₁₀ T varies by < 0.1 decade over the last quarter,
        shrinks steadily, or spirals onto a stable steady state with swings that
        shrink and are already under 2 decades) at more / less than 10 % of its
        carrying capacity 1/b.
    ``"growing"``
        Still rising steadily at the end of the run (≥ 0.1 decade over the last
        quarter): run longer to see where it goes.
    ``"oscillating"``
        Sustained or growing swings of log₁₀ T (≥ 0.1 decade over the last
        quarter, not shrinking onto a stable steady state).
    """
    r = _check_result(result)
    p = r.params
    half, quarter = _window(r.t, 0.5), _window(r.t, 0.75)
    x = _finite_log10_T(r)

    E_late = r.E[quarter:]
    if np.all(np.diff(E_late) > 0) and _il2_boost(p, r.IL[-1]) > p.mu2:
        return "runaway"
    if x[quarter:].max() < 0.0:
        return "cleared"

    def settled(log10_T):
        return "large tumour" if log10_T > math.log10(_LARGE_FRACTION / p.b) else "controlled"

    late, earlier = x[quarter:], x[half:quarter + 1]
    swing, earlier_swing = np.ptp(late), np.ptp(earlier)
    steps = np.diff(late)
    tf = tumour_free_equilibrium(p)
    if tf is not None and tf.stable and np.all(steps <= 0):
        return "clearing"
    if swing < 0.1:
        return settled(x[-1])
    if np.all(steps >= 0):
        return "growing"
    if np.all(steps <= 0):
        return settled(x[-1])
    lo, hi = 10.0 ** late.min(), 10.0 ** late.max()
    for eq in equilibria(p):
        if (not eq.tumour_free and eq.stable and lo <= eq.T <= hi
                and swing < min(0.9 * earlier_swing, _DAMPED_SWING)):
            return settled(math.log10(eq.T))
    return "oscillating"
