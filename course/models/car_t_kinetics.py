r"""CAR-T cells in the blood after one infusion: the Stein et al. (2019) cellular kinetic model.

Stein AM, Grupp SA, Levine JE, et al. (2019) "Tisagenlecleucel model-based cellular
kinetic analysis of chimeric antigen receptor-T cells", CPT Pharmacometrics Syst
Pharmacol 8(5):285-295, doi:10.1002/psp4.12388 (PMC6539725, PMID 30848084).

Tisagenlecleucel (Kymriah) is measured in peripheral blood by qPCR as transgene copies
per microgram of genomic DNA (copies/µg).  After the single infusion the level rises
exponentially up to a peak :math:`C_{max}` at :math:`T_{max}`, then falls in two phases:
a fast contraction and a slow persistence phase.  Stein et al. describe this with an
effector compartment :math:`E` and a memory compartment :math:`M` (their Fig. 2):

.. math::

    t < T_{max}: \quad \frac{dE}{dt} = \rho\,E, \qquad M = 0, \qquad E(0) = R_0,

    t \ge T_{max}: \quad \frac{dE}{dt} = -\alpha\,E, \qquad
    \frac{dM}{dt} = k\,E - \beta\,M, \qquad k = F_B\,(\alpha - \beta),

with :math:`\rho = \ln(\mathit{foldx})/T_{max}` (fold expansion from the starting level
to the peak) and :math:`R_0 = C_{max}/\mathit{foldx}`.  The measured level is
:math:`E + M`.  With :math:`s = t - T_{max}` the solution is

.. math::

    E + M = R_0\,e^{\rho t} \quad (t < T_{max}), \qquad
    E + M = (1 - F_B)\,C_{max}\,e^{-\alpha s} + F_B\,C_{max}\,e^{-\beta s}
    \quad (t \ge T_{max}),

with :math:`E = C_{max}e^{-\alpha s}` and
:math:`M = F_B C_{max}(e^{-\beta s} - e^{-\alpha s})`: continuous at :math:`T_{max}`,
a fast (effector) phase of half-life :math:`\ln 2/\alpha` and a slow (persisting)
phase of half-life :math:`\ln 2/\beta` that carries the fraction :math:`F_B` of the
peak.  The doubling time during expansion is :math:`\ln 2/\rho`.  The area under the
curve is closed-form (see :func:`auc`).

Parameters are the typical values of Stein et al. (2019) Table 1 for paediatric and
young adult relapsed/refractory B-cell ALL (ELIANA and ENSIGN pooled, 90 patients),
read as restated by the nlmixr2lib encoding ``Stein_2019_Tisagenlecleucel`` (the
paper's own table and Fig. 2 were not read; its abstract was, and the doubling time and
half-lives it states follow from these values).  The paper models neither DLBCL nor dose.

How dose enters (a teaching assumption, not part of the paper's model).  The paper's
model has no dose: each patient has a starting level :math:`R_0`.  Here the starting
level is proportional to the infused dose per kg, and the typical patient is taken to
have received the median dose of the modelled population (:data:`STEIN_MEDIAN_DOSE_PER_KG`):

.. math::

    R_0(D) = R_0 \cdot D / D_{ref}.

What then ends expansion is the choice ``peak_rule``:

* ``"fixed_tmax"`` (default): expansion lasts :math:`T_{max}` whatever the dose, so
  :math:`C_{max} \propto D` and :math:`C_{max}` rises with :math:`\rho`;
* ``"fixed_cmax"``: expansion stops at the typical peak :math:`C_{max}`, so the dose and
  :math:`\rho` only move the time of the peak,
  :math:`T_{max} = \ln(C_{max}/R_0(D))/\rho`.

The data side with the second: Stein et al. found no covariate, dose per kg included,
that changed :math:`C_{max}` significantly; Mueller et al. saw responses "across the
entire dose range evaluated"; Awasthi et al. (2020) in DLBCL found no relationship
between cellular kinetics and dose (see :data:`DOSE_EXPOSURE_FINDINGS`).  The first
rule shows what one would expect if expansion simply ran for a fixed time.

Pure numerics: nothing here plots or prints.  Times are in days after the infusion.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

__all__ = [
    "Params", "Course", "Simulation", "PEAK_RULES", "READOUT_DAYS",
    "STEIN_DOUBLING_TIME_DAYS", "STEIN_CONTRACTION_HALF_LIFE_DAYS", "STEIN_TERMINAL_HALF_LIFE_DAYS",
    "STEIN_MEDIAN_DOSE_PER_KG", "LABEL_ALL_DOSE_PER_KG", "LABEL_ALL_TOTAL_DOSE",
    "LABEL_ALL_WEIGHT_LIMIT_KG", "LABEL_DLBCL_TOTAL_DOSE", "DOSE_EXPOSURE_FINDINGS",
    "course", "simulate", "level", "fraction_of_peak", "auc", "persistence_days",
    "memory_dominant_from_days", "readouts",
    "rate_from_doubling_time", "doubling_time_from_rate", "dose_per_kg", "label_dose_range_per_kg",
]

# --------------------------------------------------------------------------------------
# Published numbers
# --------------------------------------------------------------------------------------

#: Stein et al. (2019) abstract (read in a copy of the Europe PMC text, PMC6539725): "The doubling
#: time, initial decline half-life, and terminal half-life for tisagenlecleucel were
#: 0.78, 4.3, and 220 days, respectively."  The tests recompute them from Table 1.
STEIN_DOUBLING_TIME_DAYS = 0.78
STEIN_CONTRACTION_HALF_LIFE_DAYS = 4.3
STEIN_TERMINAL_HALF_LIFE_DAYS = 220.0

#: Median dose of the 90 modelled patients weighing ≤ 50 kg, CAR-positive viable T cells
#: per kg: "3.1e6 median (0.2-5.4e6)" (Stein et al. 2019 Table 2, as restated by the
#: nlmixr2lib encoding Stein_2019_Tisagenlecleucel; Table 2 itself not read).  Used as
#: the dose of the typical patient, an assumption of this module.
STEIN_MEDIAN_DOSE_PER_KG = 3.1e6

#: Kymriah US prescribing information, dosage forms and strengths: "A single dose of
#: KYMRIAH contains 0.2 to 5.0 x 10^6 CAR-positive viable T cells per kg of body weight
#: for patients 50 kg or less, or 0.1 to 2.5 x 10^8 CAR-positive viable T cells for
#: patients more than 50 kg" (paediatric and young adult B-cell ALL, up to 25 years);
#: adult relapsed/refractory DLBCL: "0.6 to 6.0 x 10^8 CAR-positive viable T cells".
#: (Read in a copy of the label, version not stated.)  The same B-ALL ranges are quoted
#: in the abstract of Mueller KT et al., "Clinical Pharmacology of Tisagenlecleucel in
#: B-cell Acute Lymphoblastic Leukemia" (see :data:`DOSE_EXPOSURE_FINDINGS`).
LABEL_ALL_DOSE_PER_KG = (0.2e6, 5.0e6)
LABEL_ALL_TOTAL_DOSE = (0.1e8, 2.5e8)
LABEL_ALL_WEIGHT_LIMIT_KG = 50.0
LABEL_DLBCL_TOTAL_DOSE = (0.6e8, 6.0e8)

#: What the sources say about dose and exposure, quoted.
DOSE_EXPOSURE_FINDINGS = (
    ("Stein et al. 2019, CPT Pharmacometrics Syst Pharmacol 8:285, doi:10.1002/psp4.12388 "
     "(Results, Covariate analysis, as quoted by the nlmixr2lib encoding; dose per kg was among the covariates)",
     "bootstrapping the full covariate model showed no statistically significant impact of any covariate on "
     "the maximal concentration of tisagenlecleucel"),
    ("Mueller KT, Waldron E, Grupp SA, et al., 'Clinical Pharmacology of Tisagenlecleucel in B-cell Acute "
     "Lymphoblastic Leukemia' (abstract; ELIANA + ENSIGN, 79 patients; read on the UT Southwestern research "
     "portal; journal, year and DOI not verified here)",
     "Clinical responses were seen across the entire dose range evaluated (patients ≤50 kg: 0.2 to 5.0 × 10^6/kg; "
     "patients >50 kg: 0.1 to 2.5 × 10^8 CAR-positive viable T cells) with no relationship between dose and safety."),
    ("Awasthi R, Pacaud L, Waldron E, et al. (2020) Blood Adv 4:560-572, 'Tisagenlecleucel cellular kinetics, "
     "dose, and immunogenicity in relation to clinical factors in relapsed/refractory DLBCL' (abstract; JULIET, "
     "111 patients; DOI not verified here)",
     "No relationships were identified between cellular kinetics (qPCR) and product characteristics, "
     "intrinsic/extrinsic factors, dose, or immunogenicity."),
)

#: Time points (days after infusion) for the persistence readouts: day 28, about
#: 3 months (13 weeks) and 1 year.
READOUT_DAYS = {"day 28": 28.0, "month 3": 91.0, "year 1": 365.0}

#: The two rules for what ends expansion (see the module docstring).
PEAK_RULES = ("fixed_tmax", "fixed_cmax")

# exp() of more than this overflows a float; no slider reaches it.
_MAX_LOG_GROWTH = 700.0


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------

def _positive(value, name: str, meaning: str) -> float:
    """``value`` as a float if it is a finite real number > 0, else a ValueError saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number > 0 ({meaning}); got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a finite number > 0 ({meaning}); got {value!r}")
    return v


def _times(t) -> np.ndarray:
    try:
        a = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"times must be numbers of days; got {t!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError("times must be finite numbers of days (got NaN or infinity)")
    return a


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """Typical (population) parameters of tisagenlecleucel in paediatric/young adult r/r B-ALL.

    Values of Stein AM et al. (2019) CPT Pharmacometrics Syst Pharmacol 8:285,
    doi:10.1002/psp4.12388, Table 1 (final model = base model; ELIANA + ENSIGN,
    90 patients).  The Table 1 values were read as restated, each with "Stein 2019
    Table 1", by the nlmixr2lib encoding ``Stein_2019_Tisagenlecleucel``
    (github.com/nlmixr2/nlmixr2lib); the paper's abstract (read) gives the doubling
    time and half-lives they imply.  Between-patient variability is large (Table 1
    log-scale variances 0.38-2.4) and is not modelled here.

    Attributes
    ----------
    fold_expansion : float
        Fold expansion from the starting level to the peak, ``foldx`` (dimensionless).
        3900 (Stein et al. 2019 Table 1).
    t_max_days : float
        Time of the peak, days after infusion.  9.3 (Stein et al. 2019 Table 1).
    c_max_copies_per_ug : float
        Peak transgene level, copies/µg genomic DNA.  24,000 (Stein et al. 2019 Table 1).
    alpha_per_day : float
        Rate constant of the fast contraction (effector) phase, 1/day.  0.16 (Stein et al.
        2019 Table 1; half-life ln2/α = 4.3 days, abstract).
    fraction_persisting : float
        Fraction of the peak carried by the slow phase, ``FB`` (dimensionless, 0-1).
        0.0079 (Stein et al. 2019 Table 1).
    beta_per_day : float
        Rate constant of the slow persistence (memory) phase, 1/day.  0.0032 (Stein et al.
        2019 Table 1; half-life ln2/β ≈ 220 days, abstract).  The longest follow-up was
        about a year, so this half-life is an extrapolation.
    reference_dose_cells_per_kg : float
        Dose (CAR-positive viable T cells per kg) at which the starting level is
        ``c_max / fold_expansion``: the modelled population's median dose for patients
        ≤ 50 kg, 3.1e6/kg (Stein et al. 2019 Table 2, as restated by nlmixr2lib).  An
        assumption of this module: the paper's model has no dose.
    """

    fold_expansion: float = 3900.0
    t_max_days: float = 9.3
    c_max_copies_per_ug: float = 24_000.0
    alpha_per_day: float = 0.16
    fraction_persisting: float = 0.0079
    beta_per_day: float = 0.0032
    reference_dose_cells_per_kg: float = STEIN_MEDIAN_DOSE_PER_KG

    def __post_init__(self):
        meanings = {
            "fold_expansion": "fold expansion from start to peak, > 1",
            "t_max_days": "time of the peak, days",
            "c_max_copies_per_ug": "peak level, copies/µg",
            "alpha_per_day": "contraction rate constant, 1/day",
            "fraction_persisting": "fraction of the peak in the slow phase, between 0 and 1",
            "beta_per_day": "persistence rate constant, 1/day",
            "reference_dose_cells_per_kg": "dose of the typical patient, cells/kg",
        }
        for name, meaning in meanings.items():
            object.__setattr__(self, name, _positive(getattr(self, name), f"Params.{name}", meaning))
        if not self.fold_expansion > 1.0:
            raise ValueError(f"Params.fold_expansion must be > 1 (the level grows to its peak); "
                             f"got {self.fold_expansion!r}")
        if not self.fraction_persisting < 1.0:
            raise ValueError(f"Params.fraction_persisting must lie between 0 and 1; got {self.fraction_persisting!r}")
        if not self.beta_per_day < self.alpha_per_day:
            raise ValueError("Params.beta_per_day must be smaller than Params.alpha_per_day: the persistence phase "
                             "is the slow one (and the memory compartment's inflow k = FB(α - β) must be > 0)")
        if self.fold_expansion > math.exp(_MAX_LOG_GROWTH):
            raise ValueError("Params.fold_expansion is too large to represent")

    @property
    def expansion_rate_per_day(self) -> float:
        r"""Expansion rate :math:`\rho = \ln(\mathit{foldx})/T_{max}`, 1/day."""
        return math.log(self.fold_expansion) / self.t_max_days

    @property
    def starting_level_copies_per_ug(self) -> float:
        r"""Starting level :math:`R_0 = C_{max}/\mathit{foldx}` at the reference dose, copies/µg."""
        return self.c_max_copies_per_ug / self.fold_expansion

    @property
    def doubling_time_days(self) -> float:
        return math.log(2) / self.expansion_rate_per_day

    @property
    def contraction_half_life_days(self) -> float:
        return math.log(2) / self.alpha_per_day

    @property
    def persistence_half_life_days(self) -> float:
        return math.log(2) / self.beta_per_day


# --------------------------------------------------------------------------------------
# One patient's course
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Course:
    """The kinetics of one infusion: everything :func:`level` needs, plus the inputs.

    Build it with :func:`course`.  Levels in copies/µg genomic DNA, times in days.
    """

    starting_level: float      # R0(D), copies/µg
    expansion_rate: float      # ρ, 1/day
    t_max: float               # day of the peak
    c_max: float               # peak level, copies/µg
    alpha: float               # contraction rate constant, 1/day
    beta: float                # persistence rate constant, 1/day
    fraction_persisting: float  # F_B
    dose_cells_per_kg: float
    peak_rule: str

    @property
    def doubling_time_days(self) -> float:
        return math.log(2) / self.expansion_rate

    @property
    def contraction_half_life_days(self) -> float:
        return math.log(2) / self.alpha

    @property
    def persistence_half_life_days(self) -> float:
        return math.log(2) / self.beta

    @property
    def fold_expansion(self) -> float:
        return self.c_max / self.starting_level


def rate_from_doubling_time(doubling_time_days: float) -> float:
    """Expansion rate ρ (1/day) with the given doubling time (days): ln 2 / t_d."""
    return math.log(2) / _positive(doubling_time_days, "doubling_time_days", "days")


def doubling_time_from_rate(rate_per_day: float) -> float:
    """Doubling time (days) of an expansion at rate ρ (1/day): ln 2 / ρ."""
    return math.log(2) / _positive(rate_per_day, "rate_per_day", "expansion rate, 1/day")


def course(params: Params | None = None, dose_cells_per_kg: float | None = None, *,
           expansion_rate_per_day: float | None = None, peak_rule: str = "fixed_tmax") -> Course:
    """The course after one infusion of ``dose_cells_per_kg`` CAR-positive viable T cells per kg.

    Parameters
    ----------
    params : Params, optional
        Defaults to the typical B-ALL patient of Stein et al. (2019).
    dose_cells_per_kg : float, optional
        Dose (> 0), CAR-positive viable T cells per kg; scales the starting level.
        Defaults to ``params.reference_dose_cells_per_kg`` (the typical patient).
        For patients over 50 kg, whose dose is a total, see :func:`dose_per_kg`.
    expansion_rate_per_day : float, optional
        Expansion rate ρ (> 0, 1/day); defaults to the paper's ln(foldx)/Tmax ≈ 0.889.
        :func:`rate_from_doubling_time` converts a doubling time.
    peak_rule : {"fixed_tmax", "fixed_cmax"}
        What ends expansion: a fixed duration ``params.t_max_days`` (the peak then scales
        with dose and ρ) or reaching ``params.c_max_copies_per_ug`` (the day of the peak
        then moves).  With "fixed_cmax" a starting level at or above that ceiling means
        no expansion: the decline starts at once from the starting level.
    """
    p = Params() if params is None else params
    if not isinstance(p, Params):
        raise TypeError(f"params must be a car_t_kinetics.Params; got {type(p).__name__}")
    dose = p.reference_dose_cells_per_kg if dose_cells_per_kg is None else \
        _positive(dose_cells_per_kg, "dose_cells_per_kg", "CAR-positive viable T cells per kg")
    rho = p.expansion_rate_per_day if expansion_rate_per_day is None else \
        _positive(expansion_rate_per_day, "expansion_rate_per_day", "1/day")
    if peak_rule not in PEAK_RULES:
        raise ValueError(f"peak_rule must be one of {PEAK_RULES}; got {peak_rule!r}")
    r0 = p.starting_level_copies_per_ug * dose / p.reference_dose_cells_per_kg
    if not (math.isfinite(r0) and r0 > 0):
        raise ValueError(f"dose_cells_per_kg={dose!r} gives no representable starting level")
    if peak_rule == "fixed_tmax":
        t_max = p.t_max_days
        growth = rho * t_max
    else:
        growth = max(math.log(p.c_max_copies_per_ug / r0), 0.0)
        t_max = growth / rho
    if growth + math.log(r0) > _MAX_LOG_GROWTH:
        raise ValueError(f"expansion at {rho!r}/day for {t_max!r} days from {r0!r} copies/µg overflows; "
                         "use a slower expansion rate")
    c_max = r0 * math.exp(growth)
    return Course(r0, rho, t_max, c_max, p.alpha_per_day, p.beta_per_day, p.fraction_persisting, dose, peak_rule)


def _check_course(c) -> Course:
    if not isinstance(c, Course):
        raise TypeError(f"expected a car_t_kinetics.Course (from course(...)); got {type(c).__name__}")
    return c


def _compartments(c: Course, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(effector, memory) in copies/µg at times t (days); both 0 before the infusion."""
    expanding = t < c.t_max
    s = np.maximum(t - c.t_max, 0.0)
    fast = np.exp(-c.alpha * s)
    effector = np.where(expanding, c.starting_level * np.exp(c.expansion_rate * np.clip(t, 0.0, c.t_max)),
                        c.c_max * fast)
    memory = np.where(expanding, 0.0, c.fraction_persisting * c.c_max * (np.exp(-c.beta * s) - fast))
    before = t < 0
    return np.where(before, 0.0, effector), np.where(before, 0.0, memory)


def level(c: Course, t_days) -> np.ndarray:
    """Transgene level (copies/µg) at the given days after infusion; 0 before it (t < 0)."""
    e, m = _compartments(_check_course(c), _times(t_days))
    return e + m


def fraction_of_peak(c: Course, t_days) -> np.ndarray:
    """Level at the given days as a fraction of the peak (dimensionless)."""
    return level(c, t_days) / _check_course(c).c_max


def _cumulative(c: Course, t: np.ndarray) -> np.ndarray:
    """Exact area under the level from day 0 to day t (copies/µg × day)."""
    rho = c.expansion_rate
    tt = np.clip(t, 0.0, c.t_max)
    rising = c.starting_level * np.expm1(rho * tt) / rho
    s = np.maximum(t - c.t_max, 0.0)
    fb = c.fraction_persisting
    falling = c.c_max * ((1 - fb) * -np.expm1(-c.alpha * s) / c.alpha + fb * -np.expm1(-c.beta * s) / c.beta)
    return rising + falling


def auc(c: Course, start_days: float = 0.0, end_days: float = 28.0) -> float:
    """Exact area under the level between two days (copies/µg × day); by default AUC₀₋₂₈d."""
    a, b = _times([start_days, end_days])
    if not b >= a:
        raise ValueError("the AUC window must end after it starts")
    F = _cumulative(_check_course(c), np.array([a, b]))
    return float(F[1] - F[0])


def persistence_days(c: Course, limit_copies_per_ug: float) -> float:
    """Day after infusion when the level falls below ``limit_copies_per_ug`` for good.

    After the peak the level only falls, so there is one such day; it is 0.0 if the
    peak never reaches the limit.  Use an assay's limit of quantification to get "time
    until no longer quantifiable" (the limit is the caller's: no value is assumed here).
    """
    c = _check_course(c)
    L = _positive(limit_copies_per_ug, "limit_copies_per_ug", "copies/µg")
    if c.c_max <= L:
        return 0.0
    A = (1 - c.fraction_persisting) * c.c_max
    B = c.fraction_persisting * c.c_max

    def excess(s):
        return A * math.exp(-c.alpha * s) + B * math.exp(-c.beta * s) - L

    # each term is ≤ L/2 beyond this, so the level is below L there
    s_hi = max(math.log(2 * A / L) / c.alpha, math.log(2 * B / L) / c.beta, 0.0) + 1e-9
    s = brentq(excess, 0.0, s_hi, xtol=1e-10, rtol=1e-12)
    return c.t_max + s


def memory_dominant_from_days(c: Course) -> float:
    r"""Day from which the memory compartment holds more copies than the effector one.

    :math:`M \ge E` once :math:`F_B\,e^{(\alpha-\beta)s} \ge 1 + F_B`, i.e. from
    :math:`T_{max} + \ln\left((1 + F_B)/F_B\right)/(\alpha - \beta)`.
    """
    c = _check_course(c)
    fb = c.fraction_persisting
    return c.t_max + math.log((1 + fb) / fb) / (c.alpha - c.beta)


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Simulation:
    """Days after infusion and the two compartments (copies/µg) of one course."""

    t_days: np.ndarray
    effector: np.ndarray
    memory: np.ndarray
    course: Course

    @property
    def total(self) -> np.ndarray:
        """The measured level, effector + memory (copies/µg)."""
        return self.effector + self.memory


def simulate(params: Params | None = None, dose_cells_per_kg: float | None = None, *,
             expansion_rate_per_day: float | None = None, peak_rule: str = "fixed_tmax",
             t_end_days: float = 365.0, n_points: int = 400) -> Simulation:
    """Levels from day 0 to ``t_end_days``: see :func:`course` for the other arguments.

    The grid has ``n_points`` even steps over the whole span, plus ``n_points // 4``
    over the first 3 × T_max days (expansion and contraction change fastest there), plus
    the day of the peak itself, so that the peak is sampled exactly.
    """
    c = course(params, dose_cells_per_kg, expansion_rate_per_day=expansion_rate_per_day, peak_rule=peak_rule)
    t_end = _positive(t_end_days, "t_end_days", "days")
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2; got {n_points!r}")
    n = int(n_points)
    early_end = min(max(3.0 * c.t_max, 1.0), t_end)
    t = np.union1d(np.linspace(0.0, t_end, n), np.linspace(0.0, early_end, max(n // 4, 2)))
    if c.t_max <= t_end:
        t = np.union1d(t, [c.t_max])
    e, m = _compartments(c, t)
    return Simulation(t, e, m, c)


def readouts(c: Course, limit_copies_per_ug: float | None = None) -> dict[str, float]:
    """The numbers an explainer shows, in a flat dict (units in the keys).

    Peak, day of the peak, fold expansion, doubling time, the two half-lives, AUC₀₋₂₈d,
    the level and fraction of the peak at each of :data:`READOUT_DAYS`, the day from
    which memory cells dominate and, if a limit is given, the day the level falls below it.
    """
    c = _check_course(c)
    out = {
        "c_max_copies_per_ug": c.c_max,
        "t_max_days": c.t_max,
        "fold_expansion": c.fold_expansion,
        "doubling_time_days": c.doubling_time_days,
        "contraction_half_life_days": c.contraction_half_life_days,
        "persistence_half_life_days": c.persistence_half_life_days,
        "auc_0_28_copies_day_per_ug": auc(c, 0.0, 28.0),
        "memory_dominant_from_days": memory_dominant_from_days(c),
    }
    days = np.array(list(READOUT_DAYS.values()))
    levels = level(c, days)
    for (name, _), value in zip(READOUT_DAYS.items(), levels):
        key = name.replace(" ", "_")
        out[f"level_{key}_copies_per_ug"] = float(value)
        out[f"fraction_of_peak_{key}"] = float(value / c.c_max)
    if limit_copies_per_ug is not None:
        out["below_limit_from_days"] = persistence_days(c, limit_copies_per_ug)
    return out


# --------------------------------------------------------------------------------------
# Doses
# --------------------------------------------------------------------------------------

def dose_per_kg(total_cells: float, weight_kg: float) -> float:
    """A total dose (CAR-positive viable T cells) as cells per kg of body weight."""
    return _positive(total_cells, "total_cells", "CAR-positive viable T cells") / \
        _positive(weight_kg, "weight_kg", "body weight, kg")


def label_dose_range_per_kg(weight_kg: float) -> tuple[float, float]:
    """The Kymriah label's B-ALL dose range for a patient of this weight, in cells per kg.

    0.2-5.0 × 10^6/kg at 50 kg or less; above 50 kg the label gives a total of
    0.1-2.5 × 10^8 cells, returned here divided by the weight.
    """
    w = _positive(weight_kg, "weight_kg", "body weight, kg")
    if w <= LABEL_ALL_WEIGHT_LIMIT_KG:
        return LABEL_ALL_DOSE_PER_KG
    lo, hi = LABEL_ALL_TOTAL_DOSE
    return lo / w, hi / w
