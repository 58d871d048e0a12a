r"""Serum interleukin-2 after intravenous dosing: a linear two-compartment model.

After an intravenous bolus of recombinant IL-2 the serum level falls in two
phases, a fast distribution phase and a slower elimination phase (Konrad et al.
1990).  A linear two-compartment model has exactly this bi-exponential impulse
response.  For a bolus of :math:`D` (IU per m² of body surface) at :math:`t = 0`

.. math::

    C(t) = \frac{D}{V_1}\left(a\,e^{-\alpha t} + (1 - a)\,e^{-\beta t}\right),
    \qquad \alpha = \frac{\ln 2}{t_{1/2,\alpha}},\quad \beta = \frac{\ln 2}{t_{1/2,\beta}},

where :math:`V_1` is the initial (plasma) volume.  The weight :math:`a` of the fast
phase is fixed by the clearance :math:`CL`, because the area under the curve of a
bolus is :math:`D/CL`:

.. math::

    \frac{a}{\alpha} + \frac{1 - a}{\beta} = \frac{V_1}{CL}.

A zero-order infusion of the same dose over :math:`T` hours (rate :math:`R = D/T`)
is the bolus response convolved with a box.  Writing :math:`u = \min(s, T)` and
:math:`v = s - u` for the time :math:`s` since the infusion started, each exponential
:math:`c_i e^{-\lambda_i s}` contributes

.. math::

    D\,c_i\,\frac{1 - e^{-\lambda_i u}}{\lambda_i T}\,e^{-\lambda_i v},

which tends to the bolus term as :math:`T \to 0`.  Because the model is linear, any
schedule is the **sum** of such terms, one per dose (superposition): no ODE solver is
needed and every function here is vectorised over time and doses.

Consequences used in the lesson and checked in the tests:

* repeated doses every :math:`\tau` hours approach a periodic steady state; each
  exponential is multiplied by the accumulation factor :math:`1/(1 - e^{-\lambda_i\tau})`;
* a continuous infusion at rate :math:`R` approaches :math:`C_{ss} = R/CL`;
* over a dosing interval at steady state the area under the curve is
  :math:`D/CL` whatever the schedule, so a bolus schedule and a continuous infusion of
  the same daily dose give the same daily AUC but very different peaks.

Units: doses in international units (IU) per m² of body-surface area, time in hours,
concentrations in IU/mL.  Converters to ng/mL and pM use the Proleukin label's specific
activity and molecular weight.  The model assumes linear kinetics; it ignores binding to
receptors and to soluble IL-2 receptor, which can change the kinetics in patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from course.models import linear_kinetics

# --------------------------------------------------------------------------------------
# Published numbers
# --------------------------------------------------------------------------------------

#: Konrad MW et al. (1990) Pharmacokinetics of recombinant interleukin 2 in humans.
#: Cancer Res 50:2009-2017, PMID 2317789.  Abstract:
#: "Immediately after an i.v. bolus the serum IL-2 level equals the dose divided by the
#: plasma volume, in a typical human 650 units/ml for a dose of 10^6 units/m2. The level
#: initially decreases with a half-life of 12.9 min, followed by a slower phase with a
#: half-life of 85 min out to 4 h after the bolus. The median steady state level during
#: an i.v. infusion of 10^6 units/m2 over 6 h is 41 units/ml. A clearance rate of
#: approximately 120 ml/min is obtained from either the i.v. bolus or infusion data."
#: The "units" are those of the study's assay; dose and serum level are in the same unit,
#: so the volume and clearance derived from them do not depend on which unit it is.
KONRAD_BOLUS_DOSE_UNITS_PER_M2 = 1.0e6
KONRAD_C0_UNITS_PER_ML = 650.0
KONRAD_T_HALF_ALPHA_MIN = 12.9
KONRAD_T_HALF_BETA_MIN = 85.0
KONRAD_INFUSION_DOSE_UNITS_PER_M2 = 1.0e6
KONRAD_INFUSION_HOURS = 6.0
KONRAD_INFUSION_CSS_UNITS_PER_ML = 41.0
KONRAD_CLEARANCE_ML_PER_MIN = 120.0  # "approximately", for a typical (unstated) body size

#: Proleukin (aldesleukin) US prescribing information: "each mL contains 18 million
#: International Units (1.1 mg) aldesleukin"; "a molecular weight of approximately
#: 15,300 Da"; recommended dosage "600,000 IU/kg (0.037 mg/kg) every 8 hours; maximum
#: of 14 doses" per cycle, given as a 15-minute intravenous infusion (the regimen of
#: Fyfe et al. 1995, J Clin Oncol 13:688, and Atkins et al. 1999, J Clin Oncol 17:2105:
#: "15-minute intravenous infusion every 8 hours for up to 14 consecutive doses").
PROLEUKIN_IU_PER_VIAL_ML = 18.0e6
PROLEUKIN_MG_PER_VIAL_ML = 1.1
SPECIFIC_ACTIVITY_IU_PER_MG = PROLEUKIN_IU_PER_VIAL_ML / PROLEUKIN_MG_PER_VIAL_ML  # ≈ 1.64e7 IU/mg
MOLECULAR_WEIGHT_G_PER_MOL = 15_300.0
HD_DOSE_IU_PER_KG = 600_000.0
HD_INTERVAL_H = 8.0
HD_INFUSION_H = 0.25
HD_MAX_DOSES_PER_CYCLE = 14

#: IL-2 receptor dissociation constants from the review "Interleukin 2 receptors",
#: Leuk Res (1990) 14:699-703, doi:10.1016/0145-2126(90)90097-s, PMID 2201821:
#: high-affinity receptors "Kd congruent to 10-100 pM"; the alpha chain (CD25) alone
#: "low (Kd congruent to 5-50 nM)"; the beta chain "intermediate (Kd congruent to 1 nM)".
#: (The common gamma chain, found in 1992, is now known to pair with the beta chain in
#: the intermediate-affinity receptor of NK cells and resting T cells.)
KD_HIGH_AFFINITY_PM = (10.0, 100.0)
KD_INTERMEDIATE_AFFINITY_PM = 1_000.0
KD_LOW_AFFINITY_PM = (5_000.0, 50_000.0)


# --------------------------------------------------------------------------------------
# Unit conversions
# --------------------------------------------------------------------------------------

def _finite(x, what: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must be finite numbers (got NaN or infinity)")
    return a


def iu_per_ml_to_ng_per_ml(c):
    """IU/mL → ng/mL, with 18 million IU = 1.1 mg (Proleukin label)."""
    return _finite(c, "concentration") * (1e6 / SPECIFIC_ACTIVITY_IU_PER_MG)


def ng_per_ml_to_iu_per_ml(c):
    """ng/mL → IU/mL (inverse of :func:`iu_per_ml_to_ng_per_ml`)."""
    return _finite(c, "concentration") * (SPECIFIC_ACTIVITY_IU_PER_MG / 1e6)


def ng_per_ml_to_pm(c):
    """ng/mL → pmol/L, with a molecular weight of 15,300 g/mol (Proleukin label)."""
    return _finite(c, "concentration") * (1e6 / MOLECULAR_WEIGHT_G_PER_MOL)


def pm_to_ng_per_ml(c):
    """pmol/L → ng/mL (inverse of :func:`ng_per_ml_to_pm`)."""
    return _finite(c, "concentration") * (MOLECULAR_WEIGHT_G_PER_MOL / 1e6)


def iu_per_ml_to_pm(c):
    """IU/mL → pmol/L (1 IU/mL ≈ 4.0 pM)."""
    return ng_per_ml_to_pm(iu_per_ml_to_ng_per_ml(c))


def pm_to_iu_per_ml(c):
    """pmol/L → IU/mL."""
    return ng_per_ml_to_iu_per_ml(pm_to_ng_per_ml(c))


def occupancy(c_pm, kd_pm):
    r"""Equilibrium fraction of receptors bound, :math:`C/(C + K_d)` (both in pM)."""
    c = _finite(c_pm, "concentration")
    kd = _finite(kd_pm, "Kd")
    if np.any(c < 0) or np.any(kd <= 0):
        raise ValueError("occupancy needs a concentration ≥ 0 and a Kd > 0 (both in pM)")
    return c / (c + kd)


def mosteller_bsa_m2(weight_kg: float, height_cm: float) -> float:
    r"""Body-surface area :math:`\sqrt{h\,w/3600}` (m²; height in cm, weight in kg).

    Mosteller RD (1987) Simplified calculation of body-surface area. N Engl J Med 317:1098.
    """
    w, h = float(weight_kg), float(height_cm)
    if not (math.isfinite(w) and math.isfinite(h) and w > 0 and h > 0):
        raise ValueError("weight (kg) and height (cm) must be positive numbers")
    return math.sqrt(h * w / 3600.0)


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """Two-compartment parameters of recombinant IL-2 in humans, per m² of body surface.

    Attributes
    ----------
    t_half_alpha_min : float
        Half-life of the distribution (fast) phase, minutes.  12.9 min: Konrad et al.
        1990 (the Proleukin label rounds it to 13 min).
    t_half_beta_min : float
        Half-life of the elimination (slow) phase, minutes.  85 min: Konrad et al. 1990,
        measured "out to 4 h after the bolus".
    central_volume_ml_per_m2 : float
        Initial distribution volume :math:`V_1`, mL per m².  10^6 units/m² gave
        650 units/mL immediately after a bolus (Konrad et al. 1990), so
        :math:`V_1 = 10^6/650 ≈ 1538` mL/m²: the plasma volume.
    clearance_ml_per_min_per_m2 : float
        Clearance, mL/min per m².  A 6-h infusion of 10^6 units/m² reached a median
        steady state of 41 units/mL (Konrad et al. 1990); :math:`CL = R/C_{ss}` =
        (10^6/360 min)/41 ≈ 67.8 mL/min/m², i.e. Konrad's "approximately 120 ml/min"
        for a patient of about 1.77 m².
    """

    t_half_alpha_min: float = KONRAD_T_HALF_ALPHA_MIN
    t_half_beta_min: float = KONRAD_T_HALF_BETA_MIN
    central_volume_ml_per_m2: float = KONRAD_BOLUS_DOSE_UNITS_PER_M2 / KONRAD_C0_UNITS_PER_ML
    clearance_ml_per_min_per_m2: float = (
        KONRAD_INFUSION_DOSE_UNITS_PER_M2 / (KONRAD_INFUSION_HOURS * 60.0) / KONRAD_INFUSION_CSS_UNITS_PER_ML)

    def __post_init__(self):
        for name in ("t_half_alpha_min", "t_half_beta_min", "central_volume_ml_per_m2",
                     "clearance_ml_per_min_per_m2"):
            value = getattr(self, name)
            if not (_is_number(value) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
        if not self.t_half_alpha_min < self.t_half_beta_min:
            raise ValueError("the distribution half-life (t_half_alpha_min) must be shorter than the "
                             "elimination half-life (t_half_beta_min)")
        a = self.fast_fraction
        if not 0.0 < a < 1.0:
            raise ValueError(
                "these half-lives, volume and clearance describe no two-compartment model: V1/CL = "
                f"{self.central_volume_ml_per_m2 / self.clearance_ml_per_min_per_m2:.1f} min must lie between "
                f"1/alpha = {self.t_half_alpha_min / math.log(2):.1f} min and "
                f"1/beta = {self.t_half_beta_min / math.log(2):.1f} min")

    # exponents in 1/h ------------------------------------------------------------------
    @property
    def alpha_per_h(self) -> float:
        return math.log(2) / (self.t_half_alpha_min / 60.0)

    @property
    def beta_per_h(self) -> float:
        return math.log(2) / (self.t_half_beta_min / 60.0)

    @property
    def clearance_ml_per_h_per_m2(self) -> float:
        return self.clearance_ml_per_min_per_m2 * 60.0

    @property
    def fast_fraction(self) -> float:
        r"""Weight :math:`a` of the fast phase in a bolus response (dimensionless)."""
        inv_a, inv_b = self.t_half_alpha_min / math.log(2), self.t_half_beta_min / math.log(2)  # minutes
        mrt = self.central_volume_ml_per_m2 / self.clearance_ml_per_min_per_m2
        return (inv_b - mrt) / (inv_b - inv_a)

    @property
    def micro_constants_per_h(self) -> dict[str, float]:
        r"""Rate constants :math:`k_{10}, k_{12}, k_{21}` (1/h) of the equivalent compartment model."""
        a, al, be = self.fast_fraction, self.alpha_per_h, self.beta_per_h
        k21 = a * be + (1 - a) * al
        k10 = al * be / k21
        return {"k10": k10, "k12": al + be - k10 - k21, "k21": k21}

    @property
    def steady_state_volume_ml_per_m2(self) -> float:
        k = self.micro_constants_per_h
        return self.central_volume_ml_per_m2 * (1 + k["k12"] / k["k21"])

    def _exponentials(self) -> tuple[np.ndarray, np.ndarray]:
        """(lambda_i in 1/h, c_i in 1/mL per m²) with C = D·Σ c_i exp(-lambda_i t) for a bolus D."""
        a = self.fast_fraction
        lam = np.array([self.alpha_per_h, self.beta_per_h])
        coef = np.array([a, 1 - a]) / self.central_volume_ml_per_m2
        return lam, coef


# --------------------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    """Identical doses every ``interval_h`` hours, each infused over ``infusion_h`` hours.

    ``infusion_h = 0`` is an instantaneous bolus; one dose infused over the whole
    interval is a continuous infusion (see :meth:`continuous` and :meth:`as_continuous`).

    Attributes
    ----------
    dose_iu_per_m2 : float
        Amount per dose, IU per m² of body surface.
    interval_h : float
        Time from the start of one dose to the start of the next, hours (τ).
    n_doses : int
        Number of doses.
    infusion_h : float
        Duration of each infusion, hours (0.25 = the label's 15 minutes).
    start_h : float
        Start of the first dose, hours.
    """

    dose_iu_per_m2: float
    interval_h: float
    n_doses: int = 1
    infusion_h: float = HD_INFUSION_H
    start_h: float = 0.0

    def __post_init__(self):
        d, tau, T, t0 = self.dose_iu_per_m2, self.interval_h, self.infusion_h, self.start_h
        if not (_is_number(d) and math.isfinite(d) and d >= 0):
            raise ValueError(f"dose must be a finite number of IU/m² ≥ 0, got {d!r}")
        if not (_is_number(tau) and math.isfinite(tau) and tau > 0):
            raise ValueError(f"dosing interval must be a finite number of hours > 0, got {tau!r}")
        if isinstance(self.n_doses, bool) or not isinstance(self.n_doses, Integral) or self.n_doses < 1:
            raise ValueError(f"n_doses must be a whole number ≥ 1, got {self.n_doses!r}")
        if not (_is_number(T) and math.isfinite(T) and 0 <= T <= tau):
            raise ValueError(f"infusion duration must be between 0 (bolus) and the dosing interval "
                             f"({tau!r} h), got {T!r}")
        if not (_is_number(t0) and math.isfinite(t0)):
            raise ValueError(f"start time must be a finite number of hours, got {t0!r}")

    @classmethod
    def continuous(cls, rate_iu_per_m2_per_h: float, duration_h: float, start_h: float = 0.0) -> "Schedule":
        """A constant-rate infusion for ``duration_h`` hours."""
        if not (_is_number(rate_iu_per_m2_per_h) and math.isfinite(rate_iu_per_m2_per_h)
                and rate_iu_per_m2_per_h >= 0):
            raise ValueError(f"infusion rate must be a finite number of IU/m²/h ≥ 0, got {rate_iu_per_m2_per_h!r}")
        if not (_is_number(duration_h) and math.isfinite(duration_h) and duration_h > 0):
            raise ValueError(f"infusion duration must be a finite number of hours > 0, got {duration_h!r}")
        return cls(rate_iu_per_m2_per_h * duration_h, duration_h, 1, duration_h, start_h)

    def as_continuous(self) -> "Schedule":
        """The same total dose as one constant infusion over ``n_doses × interval_h`` hours."""
        return Schedule.continuous(self.dose_iu_per_m2 / self.interval_h, self.n_doses * self.interval_h,
                                   self.start_h)

    @property
    def is_continuous(self) -> bool:
        return self.n_doses == 1 and self.infusion_h == self.interval_h

    @property
    def daily_dose_iu_per_m2(self) -> float:
        return self.dose_iu_per_m2 * 24.0 / self.interval_h

    @property
    def dose_times_h(self) -> np.ndarray:
        return self.start_h + self.interval_h * np.arange(self.n_doses)

    @property
    def end_h(self) -> float:
        """When the last infusion ends."""
        return float(self.dose_times_h[-1] + self.infusion_h)


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


def dose_iu_per_m2(dose_iu_per_kg: float, weight_kg: float, height_cm: float) -> float:
    """Convert a weight-based dose (IU/kg) to IU/m² for one patient (Mosteller BSA)."""
    if not (_is_number(dose_iu_per_kg) and math.isfinite(dose_iu_per_kg) and dose_iu_per_kg >= 0):
        raise ValueError(f"dose must be a finite number of IU/kg ≥ 0, got {dose_iu_per_kg!r}")
    return dose_iu_per_kg * weight_kg / mosteller_bsa_m2(weight_kg, height_cm)


def high_dose_schedule(weight_kg: float, height_cm: float, n_doses: int = HD_MAX_DOSES_PER_CYCLE) -> Schedule:
    """The label's high-dose cycle for one patient: 600,000 IU/kg by 15-min infusion every 8 h."""
    return Schedule(dose_iu_per_m2(HD_DOSE_IU_PER_KG, weight_kg, height_cm), HD_INTERVAL_H, n_doses,
                    HD_INFUSION_H)


# --------------------------------------------------------------------------------------
# Superposition
# --------------------------------------------------------------------------------------

def _dose_terms(params: Params, schedule: Schedule, t: np.ndarray, *, strict: bool, integral: bool) -> np.ndarray:
    """Sum over doses and exponentials of the concentration (or of its integral from −∞ to t)."""
    lam, coef = params._exponentials()
    return linear_kinetics.dose_sum(lam, coef, schedule.dose_iu_per_m2, schedule.dose_times_h, schedule.infusion_h,
                                    t, strict=strict, integral=integral)


def _times(t_hours) -> np.ndarray:
    return _finite(t_hours, "times (hours)")


def concentration(params: Params, t_hours, schedule: Schedule) -> np.ndarray:
    """Serum IL-2 (IU/mL) at the given times (hours), by superposition of every dose."""
    return _dose_terms(params, schedule, _times(t_hours), strict=False, integral=False)


@dataclass(frozen=True)
class Simulation:
    """Times (h) and serum IL-2 (IU/mL) for one schedule; converters to ng/mL and pM."""

    t_h: np.ndarray
    concentration_iu_per_ml: np.ndarray
    schedule: Schedule
    params: Params

    @property
    def concentration_ng_per_ml(self) -> np.ndarray:
        return iu_per_ml_to_ng_per_ml(self.concentration_iu_per_ml)

    @property
    def concentration_pm(self) -> np.ndarray:
        return iu_per_ml_to_pm(self.concentration_iu_per_ml)


def simulate(params: Params, schedule: Schedule, t_end_h: float, n_points: int = 400) -> Simulation:
    """Serum IL-2 on an even grid from 0 to ``t_end_h`` hours, plus every dose's start and end.

    The dose boundaries are added so that the peaks (ends of infusions) and the troughs
    are sampled exactly; the grid therefore has up to ``n_points + 2·n_doses`` points.
    """
    if not (_is_number(t_end_h) and math.isfinite(t_end_h) and t_end_h > 0):
        raise ValueError(f"t_end_h must be a finite number of hours > 0, got {t_end_h!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2, got {n_points!r}")
    starts = schedule.dose_times_h
    edges = np.concatenate([starts, starts + schedule.infusion_h])
    t = np.union1d(np.linspace(0.0, float(t_end_h), int(n_points)), edges[(edges >= 0) & (edges <= t_end_h)])
    return Simulation(t, concentration(params, t, schedule), schedule, params)


# --------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------

def auc(params: Params, schedule: Schedule, start_h: float, end_h: float) -> float:
    """Exact area under the concentration curve from ``start_h`` to ``end_h`` (IU·h/mL)."""
    a, b = _times([start_h, end_h])
    if not b >= a:
        raise ValueError("the AUC window must end after it starts")
    F = _dose_terms(params, schedule, np.array([a, b]), strict=False, integral=True)
    return float(F[1] - F[0])


def auc_24h(params: Params, schedule: Schedule, day: int = 1) -> float:
    """Area under the curve over day ``day`` (1 = the first 24 h after ``start_h``), IU·h/mL."""
    if isinstance(day, bool) or not isinstance(day, Integral) or day < 1:
        raise ValueError(f"day must be a whole number ≥ 1, got {day!r}")
    t0 = schedule.start_h + 24.0 * (day - 1)
    return auc(params, schedule, t0, t0 + 24.0)


def cmax(sim: Simulation, start_h: float | None = None, end_h: float | None = None) -> float:
    """Highest concentration (IU/mL) in the window (the whole simulation by default)."""
    return float(_window(sim, start_h, end_h).max())


def cmin(sim: Simulation, start_h: float | None = None, end_h: float | None = None) -> float:
    """Lowest concentration (IU/mL) in the window."""
    return float(_window(sim, start_h, end_h).min())


def _window(sim: Simulation, start_h, end_h) -> np.ndarray:
    lo = -np.inf if start_h is None else float(start_h)
    hi = np.inf if end_h is None else float(end_h)
    inside = (sim.t_h >= lo) & (sim.t_h <= hi)
    if not inside.any():
        raise ValueError(f"no simulated time points between {start_h} and {end_h} h")
    return sim.concentration_iu_per_ml[inside]


def troughs(params: Params, schedule: Schedule) -> np.ndarray:
    """Concentration (IU/mL) just before each dose after the first (the pre-dose troughs)."""
    return _dose_terms(params, schedule, schedule.dose_times_h[1:], strict=True, integral=False)


def time_above(sim: Simulation, threshold_iu_per_ml: float) -> float:
    """Hours during which the concentration exceeds the threshold (linear between samples)."""
    thr = float(_finite(threshold_iu_per_ml, "threshold"))
    t, c = sim.t_h, sim.concentration_iu_per_ml - thr
    c0, c1, dt = c[:-1], c[1:], np.diff(t)
    both = (c0 > 0) & (c1 > 0)
    cross = (c0 > 0) != (c1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(cross, np.where(c0 > 0, c0, c1) / np.abs(c1 - c0), 0.0)
    return float(dt[both].sum() + (dt * frac)[cross].sum())


# --------------------------------------------------------------------------------------
# Analytical steady states
# --------------------------------------------------------------------------------------

def accumulation_factors(params: Params, interval_h: float) -> np.ndarray:
    r"""Per-phase accumulation factors :math:`1/(1 - e^{-\lambda_i\tau})` (fast, slow)."""
    if not (_is_number(interval_h) and math.isfinite(interval_h) and interval_h > 0):
        raise ValueError(f"dosing interval must be a finite number of hours > 0, got {interval_h!r}")
    lam, _ = params._exponentials()
    return linear_kinetics.accumulation_factors(lam, interval_h)


def steady_state_profile(params: Params, schedule: Schedule, t_since_dose_h) -> np.ndarray:
    r"""Concentration (IU/mL) at times :math:`0 \le t < \tau` after a dose, once the
    schedule has been repeated forever (the limit the finite schedule approaches)."""
    t = _times(t_since_dose_h)
    tau, T, D = schedule.interval_h, schedule.infusion_h, schedule.dose_iu_per_m2
    if np.any(t < 0) or np.any(t > tau):
        raise ValueError("times since the dose must lie between 0 and the dosing interval")
    lam, coef = params._exponentials()
    return linear_kinetics.steady_state_profile(lam, coef, D, T, tau, t)


def steady_state_peak(params: Params, schedule: Schedule) -> float:
    """Steady-state concentration at the end of an infusion (IU/mL)."""
    return float(steady_state_profile(params, schedule, schedule.infusion_h))


def steady_state_trough(params: Params, schedule: Schedule) -> float:
    """Steady-state concentration just before the next dose (IU/mL)."""
    return float(steady_state_profile(params, schedule, schedule.interval_h))


def continuous_steady_state(params: Params, rate_iu_per_m2_per_h: float) -> float:
    r"""Steady state of a constant infusion, :math:`C_{ss} = R/CL` (IU/mL)."""
    if not (_is_number(rate_iu_per_m2_per_h) and math.isfinite(rate_iu_per_m2_per_h)
            and rate_iu_per_m2_per_h >= 0):
        raise ValueError(f"infusion rate must be a finite number of IU/m²/h ≥ 0, got {rate_iu_per_m2_per_h!r}")
    return rate_iu_per_m2_per_h / params.clearance_ml_per_h_per_m2
