r"""Drug release from a local depot versus a systemic bolus: release laws and a linear two-site model.

Release laws
------------
A depot (hydrogel, mesoporous-silica particles, an implanted scaffold) placed at the tumour
holds a dose :math:`D`.  The cumulative fraction released by time :math:`t` is :math:`F(t)`:

.. math::

    F_\text{first order}(t) = 1 - e^{-k t}, \qquad
    F_\text{Higuchi}(t) = \min\left(k_H \sqrt{t},\ 1\right), \qquad
    F_\text{Korsmeyer–Peppas}(t) = \min\left(k\, t^{n},\ 1\right), \qquad
    F_\text{zero order}(t) = \min(k t,\ 1).

The power law :math:`M_t/M_\infty = k t^n` is Ritger & Peppas (1987), who showed that pure
Fickian release has :math:`n` = 0.50, 0.45 and 0.43 for slabs (thin films), cylinders and
spheres.  It describes only the first part of a release curve (commonly :math:`F \le 0.6`);
past that the course simply caps it at 1, an extrapolation.  Higuchi's law is the
:math:`n = 1/2` case (Higuchi 1961, 1963).  The time by which half the dose has left the
depot is

.. math::

    t_{1/2} = \frac{\ln 2}{k},\quad \left(\frac{1}{2k_H}\right)^2,\quad
    \left(\frac{1}{2k}\right)^{1/n},\quad \frac{1}{2k}
    \qquad\text{(first order, Higuchi, Korsmeyer–Peppas, zero order).}

Disposition
-----------
Released drug enters the tumour site (amount :math:`S`, volume :math:`V_S`), leaves it for the
plasma (amount :math:`P`, volume :math:`V_P`) with rate constant :math:`k_{SP}`, returns from
plasma with :math:`k_{PS}` and is eliminated from plasma with :math:`k_{el}`:

.. math::

    \frac{dS}{dt} = D\,\frac{dF}{dt} - k_{SP} S + k_{PS} P, \qquad
    \frac{dP}{dt} = k_{SP} S - (k_{PS} + k_{el}) P, \qquad
    \frac{dE}{dt} = k_{el} P,

with concentrations :math:`C_S = S/V_S`, :math:`C_P = P/V_P` and :math:`E` the amount
eliminated.  The comparator is the same dose given as an intravenous bolus
(:math:`P(0) = D`, :math:`S(0) = 0`).  :math:`k_{PS}` is set by a partition ratio
:math:`\rho`: with no elimination, :math:`C_S/C_P \to \rho`, i.e.
:math:`k_{PS} = \rho\, k_{SP} V_S / V_P`.

Because the system is linear, it is solved exactly on an even time grid of step
:math:`\Delta t` by treating the release rate as constant within each step (so the released
amount, :math:`D\,[F(t_{j+1}) - F(t_j)]`, is exact):

.. math::

    x_{j+1} = e^{A\Delta t} x_j + \int_0^{\Delta t} e^{A s}\,ds\; b\, r_j ,

where :math:`x = (S, P, E, \int S\,dt)`.  The two matrices come from one matrix exponential
(:func:`scipy.linalg.expm` of the augmented matrix), so mass balance holds to round-off:
depot + site + plasma + eliminated = dose.  The areas under the curves are exact too:
:math:`\mathrm{AUC}_P = E/CL` and :math:`\mathrm{AUC}_S = \int S\,dt / V_S`.

Units: time in days, amounts in mg, volumes in mL, concentrations in µg/mL.
The default drug is ipilimumab (anti-CTLA-4), whose plasma half-life and clearance come
from its label; the site's volume, exit half-life and partition are course assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy.linalg import expm
from scipy.signal import lfilter

# --------------------------------------------------------------------------------------
# Published numbers
# --------------------------------------------------------------------------------------

#: Ritger PL, Peppas NA (1987) A simple equation for description of solute release I. Fickian
#: and non-Fickian release from non-swellable devices in the form of slabs, spheres, cylinders
#: or discs. J Control Release 5:23-36, doi:10.1016/0168-3659(87)90034-4.  Abstract (read on
#: ablesci.com): "in cases of pure Fickian release the exponent n has the limiting values of
#: 0.50, 0.45 and 0.43 for release from slabs, cylinders and spheres, respectively."
FICKIAN_EXPONENT = {"thin film": 0.50, "cylinder": 0.45, "sphere": 0.43}

#: The power law is fitted to the first 60 % of release only.  Stated in Korsmeyer RW et al.
#: (1983) Int J Pharm 15:25-35, doi:10.1016/0378-5173(83)90064-9, which was NOT read here; the
#: 60 % limit was read only in secondary teaching material (pharmacyfreak.com, "Filters the
#: data to include only the first 60% of the drug release").
KORSMEYER_PEPPAS_VALID_UP_TO = 0.6

#: Ipilimumab (Yervoy) label pharmacokinetics, read in Table 2 of the FDA approval summary
#: (Oncologist 2021;26:797-806, doi:10.1002/onco.13819, PMC8417871): "The mean (percent
#: coefficient of variation) terminal half-life was 15.4 days (34%) and the mean (percent
#: coefficient of variation) CL was 16.8 mL/h (38%)"; "the mean minimum concentration at steady
#: state was 19.4 mcg/mL at 3 mg/kg and 58.1 mcg/mL at 10 mg/kg every 3 weeks"; "Following
#: administration of ipilimumab every 3 weeks, the systemic accumulation was 1.5-fold or less."
IPILIMUMAB_HALF_LIFE_D = 15.4
IPILIMUMAB_CLEARANCE_ML_PER_H = 16.8
IPILIMUMAB_CMIN_SS_3MG_KG_UG_PER_ML = 19.4
IPILIMUMAB_CMIN_SS_10MG_KG_UG_PER_ML = 58.1
#: Label dose for unresectable or metastatic melanoma, "3 mg/kg IV over 90 minutes repeated every
#: 3 weeks for a total of 4 doses" (PDR drug summary of Yervoy, read on pdr.net).
IPILIMUMAB_DOSE_MG_PER_KG = 3.0
IPILIMUMAB_INTERVAL_D = 21.0

#: Body weight used to turn mg/kg into mg: a course assumption (no source).
ASSUMED_BODY_WEIGHT_KG = 70.0

LAWS = ("first_order", "higuchi", "korsmeyer_peppas", "zero_order")


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------

def _is_number(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def _positive(name: str, value, unit: str) -> float:
    if not (_is_number(value) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number of {unit} > 0, got {value!r}")
    return float(value)


def _check_law(law: str, n: float) -> None:
    if law not in LAWS:
        raise ValueError(f"release law must be one of {', '.join(LAWS)}; got {law!r}")
    if law == "korsmeyer_peppas" and not (_is_number(n) and math.isfinite(n) and 0 < n <= 1):
        raise ValueError(f"the Korsmeyer–Peppas exponent n must lie in (0, 1], got {n!r}")


def _times(t) -> np.ndarray:
    a = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError("times must be finite numbers of days ≥ 0")
    return a


# --------------------------------------------------------------------------------------
# Release laws
# --------------------------------------------------------------------------------------

def fraction_released(law: str, t_days, k: float, n: float = FICKIAN_EXPONENT["cylinder"]) -> np.ndarray:
    r"""Cumulative fraction :math:`F(t)` released by ``t_days`` (dimensionless, 0 to 1).

    ``k`` is in 1/day (first and zero order), day^-1/2 (Higuchi) or day^-n (Korsmeyer–Peppas).
    """
    _check_law(law, n)
    k = _positive("release constant k", k, "per day (law-specific power)")
    t = _times(t_days)
    if law == "first_order":
        return -np.expm1(-k * t)
    if law == "higuchi":
        return np.minimum(k * np.sqrt(t), 1.0)
    if law == "korsmeyer_peppas":
        return np.minimum(k * t ** n, 1.0)
    return np.minimum(k * t, 1.0)


def release_half_time(law: str, k: float, n: float = FICKIAN_EXPONENT["cylinder"]) -> float:
    """Days until half the dose has been released."""
    _check_law(law, n)
    k = _positive("release constant k", k, "per day (law-specific power)")
    if law == "first_order":
        return math.log(2) / k
    if law == "higuchi":
        return (0.5 / k) ** 2
    if law == "korsmeyer_peppas":
        return (0.5 / k) ** (1.0 / n)
    return 0.5 / k


def release_constant(law: str, half_time_days: float, n: float = FICKIAN_EXPONENT["cylinder"]) -> float:
    """The release constant ``k`` that gives the stated release half-time (inverse of :func:`release_half_time`)."""
    _check_law(law, n)
    th = _positive("release half-time", half_time_days, "days")
    if law == "first_order":
        return math.log(2) / th
    if law == "higuchi":
        return 0.5 / math.sqrt(th)
    if law == "korsmeyer_peppas":
        return 0.5 / th ** n
    return 0.5 / th


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """Disposition of a depot-released drug: the tumour site and the plasma.

    Attributes
    ----------
    dose_mg : float
        Drug loaded in the depot, or given as the intravenous bolus, mg.  Default 210 mg =
        the label's 3 mg/kg of ipilimumab (PDR, Yervoy) for an assumed 70-kg adult.
    plasma_half_life_d : float
        Elimination half-life from plasma, days.  15.4 d: ipilimumab label (FDA summary,
        Oncologist 2021;26:797, doi:10.1002/onco.13819, Table 2).
    clearance_ml_per_h : float
        Systemic clearance, mL/h.  16.8 mL/h: ipilimumab label (same table).  With the
        half-life it fixes the plasma volume :math:`V_P = CL\\,t_{1/2}/\\ln 2` ≈ 8.96 L
        (a one-compartment simplification of a two-compartment antibody).
    site_volume_ml : float
        Volume of the tumour site into which the depot releases, mL.  COURSE ASSUMPTION
        (10 mL, roughly a 10-cm³ tumour's interstitial space and then some); no source.
    site_exit_half_life_h : float
        Half-life of drug leaving the site for the plasma (lymphatic and capillary
        drainage), hours.  COURSE ASSUMPTION (24 h); no source was read for an antibody.
    site_plasma_partition : float
        Equilibrium ratio :math:`\\rho = C_S/C_P` if the site exchanged with plasma and nothing
        were eliminated; sets the return flow plasma → site.  COURSE ASSUMPTION (0.1);
        0 means drug in plasma never reaches the site.
    """

    dose_mg: float = IPILIMUMAB_DOSE_MG_PER_KG * ASSUMED_BODY_WEIGHT_KG
    plasma_half_life_d: float = IPILIMUMAB_HALF_LIFE_D
    clearance_ml_per_h: float = IPILIMUMAB_CLEARANCE_ML_PER_H
    site_volume_ml: float = 10.0
    site_exit_half_life_h: float = 24.0
    site_plasma_partition: float = 0.1

    def __post_init__(self):
        if not (_is_number(self.dose_mg) and math.isfinite(self.dose_mg) and self.dose_mg >= 0):
            raise ValueError(f"dose_mg must be a finite number of mg ≥ 0, got {self.dose_mg!r}")
        _positive("plasma_half_life_d", self.plasma_half_life_d, "days")
        _positive("clearance_ml_per_h", self.clearance_ml_per_h, "mL/h")
        _positive("site_volume_ml", self.site_volume_ml, "mL")
        _positive("site_exit_half_life_h", self.site_exit_half_life_h, "hours")
        p = self.site_plasma_partition
        if not (_is_number(p) and math.isfinite(p) and 0 <= p <= 1000):
            raise ValueError(f"site_plasma_partition must be a number between 0 and 1000, got {p!r}")

    @property
    def k_el_per_d(self) -> float:
        """Elimination rate constant from plasma, 1/day."""
        return math.log(2) / self.plasma_half_life_d

    @property
    def clearance_ml_per_d(self) -> float:
        return self.clearance_ml_per_h * 24.0

    @property
    def plasma_volume_ml(self) -> float:
        """:math:`V_P = CL/k_{el}`, mL."""
        return self.clearance_ml_per_d / self.k_el_per_d

    @property
    def k_sp_per_d(self) -> float:
        """Site → plasma rate constant, 1/day."""
        return math.log(2) / (self.site_exit_half_life_h / 24.0)

    @property
    def k_ps_per_d(self) -> float:
        """Plasma → site rate constant, 1/day (from the partition ratio)."""
        return self.site_plasma_partition * self.k_sp_per_d * self.site_volume_ml / self.plasma_volume_ml

    def matrix(self) -> np.ndarray:
        """Rate matrix :math:`A` for the state (site, plasma, eliminated, ∫site dt), 1/day."""
        ksp, kps, kel = self.k_sp_per_d, self.k_ps_per_d, self.k_el_per_d
        return np.array([[-ksp, kps, 0.0, 0.0],
                         [ksp, -(kps + kel), 0.0, 0.0],
                         [0.0, kel, 0.0, 0.0],
                         [1.0, 0.0, 0.0, 0.0]])


# --------------------------------------------------------------------------------------
# Solver
# --------------------------------------------------------------------------------------

def _propagators(params: Params, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """(Φ = e^{AΔt}, Γ = ∫_0^Δt e^{As} ds · b) with b feeding the site, via one augmented expm."""
    M = np.zeros((5, 5))
    M[:4, :4] = params.matrix()
    M[0, 4] = 1.0
    E = expm(M * dt)
    return E[:4, :4], E[:4, 4]


def _march(phi: np.ndarray, gamma: np.ndarray, x0, rates: np.ndarray) -> np.ndarray:
    """States at every grid point for a piecewise-constant input ``rates`` (mg/day per step).

    The recurrence :math:`x_{j+1} = \\Phi x_j + \\Gamma r_j` is run as a second-order linear filter
    (:func:`scipy.signal.lfilter`) for site and plasma — the characteristic polynomial of the 2×2
    block is :math:`z^2 - \\mathrm{tr}\\,\\Phi\\, z + \\det\\Phi` and the adjugate of
    :math:`zI - \\Phi` is :math:`zI + \\Phi - \\mathrm{tr}\\,\\Phi\\, I` — and the eliminated amount and
    the site integral, which only accumulate, are cumulative sums.
    """
    B = phi[:2, :2]
    tr, det = B[0, 0] + B[1, 1], B[0, 0] * B[1, 1] - B[0, 1] * B[1, 0]
    a = np.array([1.0, -tr, det])
    C = B - tr * np.eye(2)
    x0 = np.asarray(x0, dtype=float)
    m = rates.size + 1
    u = np.zeros(m)
    u[:-1] = rates                       # r_j acts on x_{j+1}: one step of delay
    impulse = np.zeros(m)
    impulse[0] = 1.0
    g, cg, cx = gamma[:2], C @ gamma[:2], C @ x0[:2]
    sp = np.empty((m, 2))
    for i in range(2):
        sp[:, i] = (lfilter([0.0, g[i], cg[i]], a, u)
                    + lfilter([x0[i], cx[i]], a, impulse))
    out = np.empty((m, 4))
    out[:, :2] = sp
    for row in (2, 3):
        inc = phi[row, :2] @ sp[:-1].T + gamma[row] * rates
        out[0, row] = x0[row]
        out[1:, row] = x0[row] + np.cumsum(inc)
    return out


@dataclass(frozen=True)
class Simulation:
    """Depot and bolus courses on the same grid.

    Amounts in mg, concentrations in µg/mL, areas in µg·day/mL, time in days.
    ``*_bolus`` arrays are the same dose given as an intravenous bolus into plasma.
    """

    t_d: np.ndarray
    fraction_released: np.ndarray
    depot_mg: np.ndarray
    site_mg: np.ndarray
    plasma_mg: np.ndarray
    eliminated_mg: np.ndarray
    site_ug_per_ml: np.ndarray
    plasma_ug_per_ml: np.ndarray
    site_auc: np.ndarray
    plasma_auc: np.ndarray
    site_ug_per_ml_bolus: np.ndarray
    plasma_ug_per_ml_bolus: np.ndarray
    site_auc_bolus: np.ndarray
    plasma_auc_bolus: np.ndarray
    law: str
    k: float
    n: float
    params: Params


def simulate(params: Params = Params(), law: str = "first_order", k: float = 0.1,
             n: float = FICKIAN_EXPONENT["cylinder"], t_end_d: float = 60.0, n_points: int = 401) -> Simulation:
    """Release from a depot at the tumour versus an intravenous bolus of the same dose.

    Parameters
    ----------
    params : Params
        Dose and disposition.
    law : {"first_order", "higuchi", "korsmeyer_peppas", "zero_order"}
        Release law of the depot.
    k : float
        Release constant (1/day, day^-1/2 or day^-n, see :func:`fraction_released`).
    n : float
        Korsmeyer–Peppas exponent (ignored by the other laws).
    t_end_d, n_points : float, int
        Even grid from 0 to ``t_end_d`` days with ``n_points`` points.
    """
    _check_law(law, n)
    k = _positive("release constant k", k, "per day (law-specific power)")
    t_end = _positive("t_end_d", t_end_d, "days")
    if isinstance(n_points, bool) or not isinstance(n_points, Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2, got {n_points!r}")
    t = np.linspace(0.0, t_end, int(n_points))
    dt = t[1] - t[0]
    F = fraction_released(law, t, k, n)
    rates = params.dose_mg * np.diff(F) / dt
    phi, gamma = _propagators(params, dt)
    depot = _march(phi, gamma, (0.0, 0.0, 0.0, 0.0), rates)
    bolus = _march(phi, gamma, (0.0, params.dose_mg, 0.0, 0.0), np.zeros(t.size - 1))
    vs, vp, cl = params.site_volume_ml, params.plasma_volume_ml, params.clearance_ml_per_d
    mg_per_ml = 1000.0  # mg/mL → µg/mL
    return Simulation(
        t_d=t, fraction_released=F, depot_mg=params.dose_mg * (1.0 - F),
        site_mg=depot[:, 0], plasma_mg=depot[:, 1], eliminated_mg=depot[:, 2],
        site_ug_per_ml=mg_per_ml * depot[:, 0] / vs, plasma_ug_per_ml=mg_per_ml * depot[:, 1] / vp,
        site_auc=mg_per_ml * depot[:, 3] / vs, plasma_auc=mg_per_ml * depot[:, 2] / cl,
        site_ug_per_ml_bolus=mg_per_ml * bolus[:, 0] / vs, plasma_ug_per_ml_bolus=mg_per_ml * bolus[:, 1] / vp,
        site_auc_bolus=mg_per_ml * bolus[:, 3] / vs, plasma_auc_bolus=mg_per_ml * bolus[:, 2] / cl,
        law=law, k=k, n=float(n), params=params)


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------

def time_above(t_d, c, level: float) -> float:
    """Days during which ``c`` exceeds ``level`` (linear interpolation between samples)."""
    if not (_is_number(level) and math.isfinite(level)):
        raise ValueError(f"level must be a finite number, got {level!r}")
    t = np.asarray(t_d, dtype=float)
    d = np.asarray(c, dtype=float) - level
    d0, d1, dt = d[:-1], d[1:], np.diff(t)
    both = (d0 > 0) & (d1 > 0)
    cross = (d0 > 0) != (d1 > 0)
    span = np.abs(d1 - d0)
    frac = np.where(cross, np.where(d0 > 0, d0, d1) / np.where(span > 0, span, 1.0), 0.0)
    return float(dt[both].sum() + (dt * frac)[cross].sum())


def site_time_above(sim: Simulation, level_ug_per_ml: float, route: str = "depot") -> float:
    """Days the tumour-site concentration stays above an efficacy level (µg/mL)."""
    c = sim.site_ug_per_ml if _route(route) == "depot" else sim.site_ug_per_ml_bolus
    return time_above(sim.t_d, c, level_ug_per_ml)


def plasma_cmax(sim: Simulation, route: str = "depot") -> float:
    """Highest plasma concentration over the simulation, µg/mL."""
    c = sim.plasma_ug_per_ml if _route(route) == "depot" else sim.plasma_ug_per_ml_bolus
    return float(c.max())


def plasma_auc(sim: Simulation, route: str = "depot") -> float:
    """Plasma area under the curve from 0 to the end of the simulation, µg·day/mL (exact)."""
    a = sim.plasma_auc if _route(route) == "depot" else sim.plasma_auc_bolus
    return float(a[-1])


def site_auc(sim: Simulation, route: str = "depot") -> float:
    """Tumour-site area under the curve from 0 to the end of the simulation, µg·day/mL (exact)."""
    a = sim.site_auc if _route(route) == "depot" else sim.site_auc_bolus
    return float(a[-1])


def local_to_systemic_ratio(sim: Simulation, route: str = "depot") -> float:
    """Site AUC over plasma AUC over the simulated window (dimensionless; 0 if nothing reached plasma)."""
    p = plasma_auc(sim, route)
    return site_auc(sim, route) / p if p > 0 else 0.0


def _route(route: str) -> str:
    if route not in ("depot", "bolus"):
        raise ValueError(f"route must be 'depot' or 'bolus', got {route!r}")
    return route


def feasible_release_constants(params: Params, law: str, site_level_ug_per_ml: float, days_above: float,
                               plasma_max_ug_per_ml: float, n: float = FICKIAN_EXPONENT["cylinder"],
                               k_grid=None, t_end_d: float | None = None) -> np.ndarray:
    """Release constants (from ``k_grid``) that keep the site above ``site_level_ug_per_ml`` for at
    least ``days_above`` days while plasma never exceeds ``plasma_max_ug_per_ml``.

    A scan, not a root-finder: each candidate costs one :func:`simulate` call (≈1 ms), so the default
    grid of 41 log-spaced constants takes tens of milliseconds — fine for a button, not for a slider.
    """
    _positive("days_above", days_above, "days")
    _positive("plasma_max_ug_per_ml", plasma_max_ug_per_ml, "µg/mL")
    ks = np.logspace(-3, 2, 41) if k_grid is None else np.asarray(k_grid, dtype=float)
    horizon = t_end_d if t_end_d is not None else max(4.0 * days_above, 30.0)
    ok = []
    for k in ks:
        sim = simulate(params, law, float(k), n, horizon, 401)
        if site_time_above(sim, site_level_ug_per_ml) >= days_above and plasma_cmax(sim) <= plasma_max_ug_per_ml:
            ok.append(k)
    return np.array(ok)
