r"""A virtual clinical trial: a cohort of Kirschner–Panetta patients under immunotherapy regimens.

The capstone model.  Each virtual patient is the tumour–immune system of
:mod:`course.models.kirschner_panetta` (Kirschner D, Panetta JC (1998) J Math Biol
37:235–252, doi:10.1007/s002850050127) with their own antigenicity, tumour growth
rate, killing strength, checkpoint brake and starting tumour size.  A regimen
combines the four therapies of the course; the trial reports what a clinical
trial reports: best response per patient (RECIST-like), a spider plot of tumour
burden, progression-free survival (Kaplan–Meier) and a toxicity proxy.

Equations (per patient; time in days)
-------------------------------------
.. math::

    \frac{dE}{dt} &= B(t)\,\bigl(c + v(t)\bigr)\,T - \mu_2 E
        + \frac{p_1 E I_L}{g_1 + I_L} + s_1(t) \\
    \frac{dT}{dt} &= r_2 T (1 - b T) - \frac{a E T}{g_2 + T} \\
    \frac{dI_L}{dt} &= \frac{p_2 E T}{g_3 + T} - \mu_3 I_L + s_2(t) \\
    B(t) &= \frac{1 + q}{1 + q\,(1 - f(t))}

* :math:`s_1` (adoptive cell transfer, cells/day) and :math:`s_2` (IL-2,
  IL-2 units/day) are the paper's own treatment terms, switched on during each
  treatment course.
* **Checkpoint blockade (course assumption).**  The form is borrowed from
  Nikolopoulou E et al. (2018) Letters in Biomathematics 5(sup1):S137,
  doi:10.1080/23737867.2018.1440978 (:mod:`course.models.checkpoint_tumour`; its
  equations were read in the BioModels encoding MODEL1908270001), where the
  PD-1/PD-L1 complex :math:`Q` slows T-cell activation by the factor
  :math:`1/(1 + Q/K_{TQ})` and an anti-PD-1 antibody removes a fraction
  :math:`f` of PD-1, so that :math:`Q \propto (1 - f)`.  Here the brake acts on
  the antigen-driven recruitment :math:`cT` of Kirschner–Panetta (their
  "activation"), and is normalised so that an untreated patient is exactly the
  paper's model: :math:`B = (1+q)/(1+q(1-f))` is the brake *released* by blocking
  a fraction :math:`f` (:math:`B = 1` at :math:`f = 0`, :math:`1 + q` at
  :math:`f = 1`).  :math:`q = Q/K_{TQ}` is the patient's brake strength; its
  typical value is the one of Nikolopoulou's untreated escaped tumour (computed from
  the imported :class:`checkpoint_tumour.Params` defaults: :math:`q \approx 63`).
  The brake is not applied to IL-2-driven proliferation (Nikolopoulou apply it to
  both): with it there, full blockade would multiply proliferation 64-fold and the
  effectors would overflow any number format; read this as a simplification.
  Consequence: blockade multiplies antigenicity and cannot help a tumour with no
  antigen (:math:`c = 0`).
* **Therapeutic vaccine (course assumption).**  Modelled as added antigen-driven
  recruitment :math:`v` (day⁻¹, same unit as :math:`c`) during each course: a vaccine
  presents tumour antigen and so raises the recruitment of effectors per tumour cell,
  the role the antigen-loaded dendritic cells play in Kronik N et al. (2010) PLoS ONE
  5:e15482, doi:10.1371/journal.pone.0015482 (:mod:`course.models.tumour_vaccine`).
  Only the *idea* is borrowed; no equation or parameter of Kronik's model is used,
  and this vaccine has no Treg ceiling.

All other parameters are the imported :class:`kirschner_panetta.Params` defaults
(the paper's Table 1).

Cohort (course assumptions, stated here and in :class:`CohortSpec`)
-------------------------------------------------------------------
Each patient draws, independently, from log-normal distributions with a stated
median and coefficient of variation (CV; :math:`\sigma^2 = \ln(1 + CV^2)`), see
:class:`CohortSpec`:
antigenicity :math:`c`, growth rate :math:`r_2` (median: Table 1), killing rate
:math:`a` (median: Table 1), brake :math:`q` (median: Nikolopoulou's escaped
tumour) and baseline tumour :math:`T_0` (capped at half the carrying capacity
so that an untreated tumour can still be seen to progress).  The baseline immune
state is the quasi-steady response to that tumour,
:math:`E_0 = cT_0/\mu_2`, :math:`I_0 = p_2E_0T_0/((g_3+T_0)\mu_3)`.  The medians of
:math:`c` and :math:`T_0` and every CV are course choices, not published values:
the median antigenicity 2×10⁻⁵ day⁻¹ lies below the c₀ ≈ 8.4×10⁻⁵ day⁻¹ under
which an untreated Kirschner–Panetta tumour grows to near capacity, so that
untreated patients progress as trial patients do.  The
same ``seed`` gives the same cohort (numpy's PCG64 generator).

Outcomes
--------
* **Burden.**  Tumour cells :math:`T`.  RECIST 1.1 measures sums of lesion
  diameters; a diameter-like measure of a tumour of :math:`T` cells is
  :math:`\propto T^{1/3}` (a sphere), so the percent change from baseline is
  :math:`100\,((T/T_0)^{1/3} - 1)`.
* **Scans.**  Burden is "measured" every ``scan_every_days`` (default 56 days);
  a tumour below ``detection_cells`` (default one cell) has disappeared.
* **Best response** (RECIST 1.1, Eisenhauer EA et al. (2009) Eur J Cancer
  45:228–247, doi:10.1016/j.ejca.2008.10.026; the criteria were read in tables that
  quote it, PMC2755245 Table 3 and PMC5392484 Table 3, not in the paper itself):
  CR = disappearance; PR = "at least a 30% decrease in the sum of diameters ...
  taking as reference the baseline sum diameters"; PD = "≥20% increase over
  smallest sum observed" (the nadir, baseline included) or reappearance after
  disappearance; SD = "neither sufficient shrinkage to qualify for PR nor
  sufficient increase to qualify for PD".  Best response is the best category of
  the scans before the first PD (PD if the first scan is PD).  Not modelled: the
  5-mm absolute increase that RECIST 1.1 also requires for PD (there are no
  millimetres here), confirmation of CR/PR by a second scan ≥ 4 weeks later
  (responses here are unconfirmed), non-target and new lesions.
* **iRECIST option** (Seymour L et al. (2017) iRECIST: guidelines for response
  criteria for use in trials testing immunotherapeutics, Lancet Oncol 18:e143–e152,
  PMC5648544; its Table 2 and the RECIST working group's iRECIST pages were read):
  progression is first "unconfirmed" (iUPD) and confirmed (iCPD) at the next
  assessment; a later scan can still show iSD/iPR/iCR.  Simplified here: a PD scan
  is confirmed when the next scan is PD as well (iRECIST asks for a further
  ≥ 5 mm increase), or when it is the last scan.  This matters for this model, whose
  immune responses are delayed: many tumours first grow while effectors accumulate
  and then collapse (pseudo-progression).
* **Event.**  Progression (first PD scan): the curve is progression-free
  survival.  A death-like event at a lethal burden (often 10¹² cells ≈ 1 kg) is
  impossible here: the Kirschner–Panetta compartment holds at most
  :math:`1/b = 10^9` cells.  Patients without progression are censored at the
  last scan.
* **Toxicity proxy** (course assumption, no published calibration): for each
  therapy, weight × dose/(largest dose, :data:`MAX_DOSE`) × treated days/28, plus a
  weight × (days on which IL-2 drives effector proliferation above their death rate,
  :math:`p_1 I_L/(g_1 + I_L) > \mu_2`)/28: the unbounded effector growth that
  Kirschner & Panetta link to capillary leak syndrome.  The weights
  (:data:`TOXICITY_WEIGHTS`) are course assumptions; pass others (e.g. from grade 3–4
  adverse-event rates) through ``toxicity_weights``.

What the cohort does (computed here: ``draw_cohort(200, seed=0)``, default schedule)
------------------------------------------------------------------------------------
Responses are nearly all-or-none (CR or PD): once the effectors win, a
Kirschner–Panetta tumour collapses by thousands of decades; PR and SD are rare.
Many cures are delayed: the tumour grows past the first scan while effectors
accumulate and then collapses, which RECIST 1.1 scores PD and iRECIST does not.
Objective response rate, RECIST 1.1 / iRECIST: untreated 0 / 0; IL-2 3×10⁷
units/day 0 / 0; ACI 3×10⁵ cells/day 2.5 % / 72 %; ACI 3×10⁵ + IL-2 3×10⁷
4.5 % / 100 %; PD-1 blockade 90 % 0 / 5 %, 99 % 16 % / 75.5 %; vaccine 10⁻³ day⁻¹
8 % / 100 %; blockade 90 % + vaccine 10⁻⁴ day⁻¹ 9.5 % / 99.5 % (each alone: 0 / 5 %
and 0 / 0).  Median progression-free survival is 56 days (the first scan) unless
more than half respond.

Numerics
--------
All patients are integrated at once on a fixed grid (default step 0.5 day) in
:math:`(E, u = \ln T, I_L)` — the log keeps :math:`T` positive and finite through
troughs of 10⁻⁵⁰⁰⁰ cells (see :mod:`course.models.kirschner_panetta`).  :math:`E`
and :math:`u` take Heun (explicit trapezoidal) steps; IL-2, fast
(:math:`\mu_3 = 10` day⁻¹) and stiff, takes exact exponential steps with its
source held at the average of the two stages.  Treatment switches are aligned to
the grid.  Against :func:`kirschner_panetta.simulate` (LSODA) log₁₀ T agrees to
< 0.01 decade for slowly changing tumours, to < 0.1 decade just before a collapse
(where T falls by thousands of decades within days and the day it passes one cell
agrees to ±1 day), and to ~0.4 decade in the oscillating regime (c = 0.02; a phase
error of the spikes); ``dt = 0.25`` halves these errors.  See the tests.
The steps are compiled with numba (one patient at a time, the same arithmetic as numpy's
would be): as numpy operations on arrays of 200 patients they cost ~40 ms per trial at
``dt = 1``, nearly all of it call overhead; compiled, ~7 ms (14 ms at ``dt = 0.5``; timed
here on 2 shared cores).  The first call in a new environment compiles for ~1 s and caches
the result next to this file.  :func:`draw_cohort` is cached.
Pure numerics: nothing here plots or prints.
"""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

import numpy as np
from numba import njit, prange

# The compiled trial shares patients between OpenMP threads. By default each worker then spins for
# ~8 ms of CPU waiting for more work (measured here, 2026-11-24), on a 2-core machine where the
# browser is just starting to draw the trial: waiting threads should sleep instead. It must be set
# before the first parallel run loads the OpenMP runtime; a setting of the student's own is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from course.models import checkpoint_tumour as _ct
from course.models import kirschner_panetta as _kp

__all__ = [
    "KP", "TYPICAL_BRAKE", "RECIST_PR", "RECIST_PD", "CATEGORIES", "THERAPIES", "MAX_DOSE",
    "TOXICITY_WEIGHTS", "TOXICITY_REFERENCE",
    "Regimen", "CohortSpec", "Cohort", "TrialResult", "Explanation",
    "draw_cohort", "single_patient", "run_trial", "assess", "percent_change", "best_response",
    "objective_response_rate", "disease_control_rate", "kaplan_meier", "median_survival",
    "explain_patient",
]

#: The Kirschner–Panetta parameters (Table 1) shared by every patient.
KP = _kp.Params()


def _typical_brake() -> float:
    """Q/K_TQ at Nikolopoulou's untreated escaped tumour (the largest tumour steady state)."""
    p = _ct.Params()
    escaped = max((eq for eq in _ct.equilibria(p) if not eq.tumour_free), key=lambda eq: eq.C)
    return float(1.0 / _ct.inhibition(p, escaped.T, escaped.C) - 1.0)


#: Typical checkpoint brake q = Q/K_TQ (≈ 63): the untreated escaped tumour of the
#: checkpoint model (Nikolopoulou et al. 2018, via the imported Params defaults).
TYPICAL_BRAKE = _typical_brake()

#: RECIST 1.1 thresholds on the change in diameter (fractions): PR ≤ −30 % from
#: baseline, PD ≥ +20 % from the nadir (Eisenhauer et al. 2009).
RECIST_PR = -0.30
RECIST_PD = 0.20

#: Best-response categories, best first.
CATEGORIES = ("CR", "PR", "SD", "PD")

#: The therapies a regimen can combine, with their units.
THERAPIES = {
    "aci": "adoptive cell transfer s1, effector cells/day",
    "il2": "IL-2 infusion s2, IL-2 units/day",
    "checkpoint": "fraction of PD-1 blocked, 0–1",
    "vaccine": "added antigenicity v, day⁻¹",
}

#: Largest dose a regimen accepts (the range of an explainer's slider).  ACI: 10⁶
#: cells/day (~1850× the paper's threshold of 540, enough to push back a tumour of
#: 10⁸ cells: killing needs E ≈ r2 T/a); IL-2: twice the runaway threshold
#: (so the unbounded growth of effectors can be shown); checkpoint: full
#: blockade; vaccine 0.05 day⁻¹, the top of Table 1's range of c.
MAX_DOSE = {
    "aci": 1e6,
    "il2": 2.0 * _kp.il2_runaway_threshold(KP),
    "checkpoint": 1.0,
    "vaccine": 0.05,
}

#: Dose that counts as 1 in the toxicity proxy: the largest dose on offer.
TOXICITY_REFERENCE = dict(MAX_DOSE)

#: Default toxicity weights per therapy and for days of IL-2-driven effector runaway
#: ("leak").  Course assumptions, not published values: a caller can pass
#: weights from the course's irAE data instead.
TOXICITY_WEIGHTS = {"aci": 0.1, "il2": 1.0, "checkpoint": 0.5, "vaccine": 0.1, "leak": 1.0}

_DAYS_PER_TOXICITY_UNIT = 28.0
_MAX_DOSES = 200
_MAX_DAYS = 3650.0


def _number(value, name, meaning, *, low=0.0, high=math.inf, low_open=False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number ({meaning}), got {value!r}")
    x = float(value)
    if not math.isfinite(x) or x < low or (low_open and x == low) or x > high:
        lo = f"> {low:g}" if low_open else f"≥ {low:g}"
        hi = "" if high == math.inf else f" and ≤ {high:g}"
        raise ValueError(f"{name} must be {lo}{hi} ({meaning}), got {value!r}")
    return x


@dataclass(frozen=True)
class Regimen:
    """A treatment regimen: doses of the four therapies and one shared schedule.

    Each therapy present (dose > 0) runs at its dose for ``course_days`` from each of
    ``n_doses`` start times ``start_day + k·interval_days``.  A course of
    ``course_days = interval_days`` is continuous treatment.

    Attributes
    ----------
    aci : float
        Adoptive cell transfer, effector cells infused per day during a course
        (the paper's s₁), 0 to ``MAX_DOSE["aci"]``.
    il2 : float
        IL-2 infused per day during a course (the paper's s₂, IL-2 units/day).
    checkpoint : float
        Fraction of PD-1 blocked during a course, 0 to 1.
    vaccine : float
        Antigenicity added by the vaccine during a course (day⁻¹), 0 to 0.05.
    start_day : float
        Day of the first course (≥ 0; the baseline scan is day 0).
    interval_days : float
        Days between course starts (> 0).
    n_doses : int
        Number of courses (0 = untreated, at most 200).
    course_days : float
        Length of each course (days, > 0 and ≤ ``interval_days``).
    """

    aci: float = 0.0
    il2: float = 0.0
    checkpoint: float = 0.0
    vaccine: float = 0.0
    start_day: float = 0.0
    interval_days: float = 21.0
    n_doses: int = 8
    course_days: float = 21.0

    def __post_init__(self):
        for name, meaning in THERAPIES.items():
            v = _number(getattr(self, name), name, meaning, high=MAX_DOSE[name])
            object.__setattr__(self, name, v)
        object.__setattr__(self, "start_day", _number(self.start_day, "start_day", "day of the first course"))
        object.__setattr__(self, "interval_days", _number(self.interval_days, "interval_days",
                                                          "days between courses", low_open=True))
        n = self.n_doses
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 0 <= n <= _MAX_DOSES:
            raise ValueError(f"n_doses must be a whole number of courses from 0 to {_MAX_DOSES}, got {n!r}")
        object.__setattr__(self, "n_doses", int(n))
        course = _number(self.course_days, "course_days", "length of each course in days", low_open=True)
        if course > self.interval_days:
            raise ValueError(f"course_days ({course:g}) must not exceed interval_days ({self.interval_days:g}): "
                             "courses would overlap")
        object.__setattr__(self, "course_days", course)

    @property
    def therapies(self) -> tuple[str, ...]:
        """Names of the therapies given (dose > 0 and at least one course)."""
        if self.n_doses == 0:
            return ()
        return tuple(name for name in THERAPIES if getattr(self, name) > 0)

    def on(self, t) -> np.ndarray:
        """True where a course is running at times ``t`` (days)."""
        t = np.asarray(t, dtype=float)
        since = t - self.start_day
        k = np.floor(since / self.interval_days)
        return (since >= 0) & (k < self.n_doses) & (since - k * self.interval_days < self.course_days)

    def treated_days(self, days: float) -> float:
        """Days of treatment within the first ``days`` of the trial."""
        starts = self.start_day + self.interval_days * np.arange(self.n_doses)
        return float(np.clip(days - starts, 0.0, self.course_days).sum())


@dataclass(frozen=True)
class CohortSpec:
    """Distributions of the patient parameters (log-normal: median and CV).

    Medians of r2 and a are Kirschner & Panetta's Table 1 (via :data:`KP`), of q
    :data:`TYPICAL_BRAKE`.  The median of c (2×10⁻⁵ day⁻¹, a weakly antigenic
    tumour below c₀ ≈ 8.4×10⁻⁵, so that with CV 0.5 only ~0.1 % of untreated patients
    have the oscillating, self-limiting tumours of higher c) and of T0 (10⁸ cells, a
    tenth of the carrying capacity) and all CVs are course assumptions.  A CV of 0 gives every patient the median.
    """

    c_median: float = 2e-5
    c_cv: float = 0.5
    r2_median: float = KP.r2
    r2_cv: float = 0.25
    a_median: float = KP.a
    a_cv: float = 0.25
    q_median: float = TYPICAL_BRAKE
    q_cv: float = 1.0
    T0_median: float = 1e8
    T0_cv: float = 1.0

    def __post_init__(self):
        for f in fields(self):
            positive = f.name.endswith("median") and f.name != "c_median"
            v = _number(getattr(self, f.name), f.name, "cohort distribution", low_open=positive,
                        high=10.0 if f.name.endswith("cv") else math.inf)
            object.__setattr__(self, f.name, v)
        if self.T0_median > 0.5 / KP.b:
            raise ValueError(f"T0_median must be ≤ {0.5 / KP.b:g} cells (half the carrying capacity)")


@dataclass(frozen=True, eq=False)
class Cohort:
    """Virtual patients: one read-only array per parameter (length ``n``)."""

    c: np.ndarray
    r2: np.ndarray
    a: np.ndarray
    q: np.ndarray
    T0: np.ndarray
    seed: int | None
    spec: CohortSpec | None

    @property
    def n(self) -> int:
        return int(self.c.size)

    def patient(self, i: int) -> dict:
        """Parameters of patient ``i`` as a dict of floats."""
        return {k: float(getattr(self, k)[i]) for k in ("c", "r2", "a", "q", "T0")}


def _freeze(*arrays):
    for a in arrays:
        a.flags.writeable = False
    return arrays


def _lognormal(rng, median, cv, n):
    sigma = math.sqrt(math.log1p(cv * cv))
    return median * np.exp(sigma * rng.standard_normal(n))


@lru_cache(maxsize=32)
def _draw(n: int, seed: int, spec: CohortSpec) -> Cohort:
    rng = np.random.default_rng(seed)
    c = _lognormal(rng, spec.c_median, spec.c_cv, n)
    r2 = _lognormal(rng, spec.r2_median, spec.r2_cv, n)
    a = _lognormal(rng, spec.a_median, spec.a_cv, n)
    q = _lognormal(rng, spec.q_median, spec.q_cv, n)
    T0 = np.minimum(_lognormal(rng, spec.T0_median, spec.T0_cv, n), 0.5 / KP.b)
    return Cohort(*_freeze(c, r2, a, q, T0), seed=seed, spec=spec)


def draw_cohort(n: int = 200, seed: int = 0, spec: CohortSpec | None = None) -> Cohort:
    """Draw ``n`` virtual patients with a fixed ``seed`` (same seed → same cohort; cached)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= 10_000:
        raise ValueError(f"n must be a whole number of patients from 1 to 10000, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
    spec = CohortSpec() if spec is None else spec
    if not isinstance(spec, CohortSpec):
        raise ValueError(f"spec must be a CohortSpec, got {type(spec).__name__}")
    return _draw(int(n), int(seed), spec)


def single_patient(c: float = KP.c, r2: float = KP.r2, a: float = KP.a, q: float = TYPICAL_BRAKE,
                   T0: float = 1e8) -> Cohort:
    """A cohort of one patient with given parameters (defaults: Table 1, c = 0.02)."""
    values = {}
    for name, v in dict(c=c, r2=r2, a=a, q=q).items():
        values[name] = np.array([_number(v, name, "patient parameter")])
    values["T0"] = np.array([_number(T0, "T0", "baseline tumour cells", low_open=True, high=1.0 / KP.b)])
    return Cohort(*_freeze(*values.values()), seed=None, spec=None)


@dataclass(frozen=True, eq=False)
class TrialResult:
    """Outcome of :func:`run_trial` (read-only arrays; patients along axis 0).

    Attributes
    ----------
    t : ndarray
        Output times (days), every ``output_every_days``.
    log10_burden : ndarray (n_patients, n_times)
        log₁₀ of tumour cells (finite even far below one cell).
    burden : ndarray (n_patients, n_times)
        Tumour cells (0 where they underflow).
    effectors : ndarray (n_patients, n_times)
        Effector cells.
    scan_days : ndarray
        Days of the scans after baseline.
    scan_change : ndarray (n_patients, n_scans)
        Percent change of the diameter-like measure from baseline at each scan
        (−100 where the tumour has disappeared).
    best_response : ndarray of str
        "CR", "PR", "SD" or "PD" per patient.
    best_change : ndarray
        Best (lowest) percent change up to and including the first PD scan.
    event_day : ndarray
        Day of progression, or of the last scan if censored.
    event_observed : ndarray of bool
        True where progression was seen.
    toxicity : ndarray
        Toxicity proxy per patient (see the module docstring).
    cohort, regimen : the inputs.
    """

    t: np.ndarray
    log10_burden: np.ndarray
    burden: np.ndarray
    effectors: np.ndarray
    scan_days: np.ndarray
    scan_change: np.ndarray
    best_response: np.ndarray
    best_change: np.ndarray
    event_day: np.ndarray
    event_observed: np.ndarray
    toxicity: np.ndarray
    cohort: Cohort
    regimen: Regimen
    detection_cells: float
    criteria: str


def _controls(regimen: Regimen, t_mid: np.ndarray) -> np.ndarray:
    """Per-step therapy levels (steps × 4: s1, s2, f, v) from the schedule at step midpoints."""
    on = regimen.on(t_mid).astype(float)
    levels = np.array([regimen.aci, regimen.il2, regimen.checkpoint, regimen.vaccine])
    return on[:, None] * levels[None, :]


def _integrate(cohort: Cohort, regimen: Regimen, days: float, dt: float, every: int):
    """ln T and E of every patient every ``every`` steps (patients × outputs), and days of IL-2 runaway."""
    n_steps = int(round(days / dt))
    t_mid = (np.arange(n_steps) + 0.5) * dt
    ctrl = np.ascontiguousarray(_controls(regimen, t_mid))
    n_out = n_steps // every + 1
    out_u = np.empty((cohort.n, n_out))
    out_E = np.empty((cohort.n, n_out))
    leak_steps = np.zeros(cohort.n)
    _heun_steps(cohort.c, cohort.r2, cohort.a, cohort.q, cohort.T0, ctrl, float(dt), int(every), _KP_CONSTANTS,
                out_u, out_E, leak_steps)
    return out_u, out_E, leak_steps * dt


#: The Kirschner–Panetta constants the compiled steps use, in the order they unpack them.
_KP_CONSTANTS = (KP.mu2, KP.p1, KP.g1, KP.g2, KP.mu3, KP.p2, KP.g3, KP.b)


# Compiled, because a cohort is hundreds of tiny ODE systems: as numpy calls on arrays of 200
# patients the steps cost ~40 ms per trial in call overhead alone, too slow for a slider.
# ``_heun_steps.py_func`` is the same code run by Python (the tests compare the two). Patients are
# independent, so they are shared out between the cores (prange): the results do not depend on how
# many there are, and a trial takes ~4 ms instead of ~7 ms on this 2-core machine.
@njit(cache=True, parallel=True)
def _heun_steps(c, r2, a, q, T0, ctrl, dt, every, constants, out_u, out_E, leak_steps):
    mu2, p1, g1, g2, mu3, p2, g3, b = constants
    # The tumour cannot exceed its carrying capacity 1/b (dT/dt < 0 there); capping ln T
    # keeps explicit steps of fast-growing tumours (r2·dt > 2) from overshooting it.
    log_cap = math.log(1.0 / b)
    decay = math.exp(-mu3 * dt)
    gain = (1.0 - decay) / mu3
    for j in prange(c.size):
        cj, r2j, aj, qj, T0j = c[j], r2[j], a[j], q[j], T0[j]
        r2b = r2j * b
        E = cj * T0j / mu2
        I = p2 * E * T0j / ((g3 + T0j) * mu3)
        u = math.log(T0j)
        out_u[j, 0] = u
        out_E[j, 0] = E
        for m in range(ctrl.shape[0]):
            s1, s2, f, v = ctrl[m, 0], ctrl[m, 1], ctrl[m, 2], ctrl[m, 3]
            recruit = (1.0 + qj) / (1.0 + qj * (1.0 - f)) * (cj + v)
            # stage 1: rates at the start of the step
            T = math.exp(min(u, 700.0))
            boost = p1 * I / (g1 + I)
            dE1 = recruit * T + s1 + (boost - mu2) * E
            du1 = r2j - r2b * T - aj * E / (g2 + T)
            sI1 = p2 * E * T / (g3 + T)
            E1 = E + dt * dE1
            u1 = min(u + dt * du1, log_cap)
            I1 = I * decay + (sI1 + s2) * gain
            # stage 2: rates at the predicted end of the step
            T1 = math.exp(min(u1, 700.0))
            boost1 = p1 * I1 / (g1 + I1)
            dE2 = recruit * T1 + s1 + (boost1 - mu2) * E1
            du2 = r2j - r2b * T1 - aj * E1 / (g2 + T1)
            sI2 = p2 * E1 * T1 / (g3 + T1)
            E = max(E + 0.5 * dt * (dE1 + dE2), 0.0)
            u = min(u + 0.5 * dt * (du1 + du2), log_cap)
            I = I * decay + (0.5 * (sI1 + sI2) + s2) * gain
            if boost > mu2:
                leak_steps[j] += 1.0
            if (m + 1) % every == 0:
                out_u[j, (m + 1) // every] = u
                out_E[j, (m + 1) // every] = E


def percent_change(burden, baseline) -> np.ndarray:
    """Percent change of the diameter-like measure ∝ burden^(1/3) from ``baseline`` (cells)."""
    burden = np.asarray(burden, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    if np.any(~np.isfinite(burden)) or np.any(burden < 0):
        raise ValueError("burden must be finite numbers of cells ≥ 0")
    if np.any(~np.isfinite(baseline)) or np.any(baseline <= 0):
        raise ValueError("baseline must be finite numbers of cells > 0")
    return 100.0 * (np.cbrt(burden / baseline) - 1.0)


def best_response(scan_burden, baseline, detection_cells: float = 1.0, criteria: str = "RECIST1.1"):
    """RECIST-like best response from burdens at successive scans.

    Parameters
    ----------
    scan_burden : array (n_patients, n_scans) or (n_scans,)
        Tumour cells at each scan after baseline.
    baseline : array (n_patients,) or float
        Tumour cells at baseline (> 0).
    detection_cells : float
        A burden below this has disappeared (measured as 0).
    criteria : {"RECIST1.1", "iRECIST"}
        ``"RECIST1.1"``: the first PD scan ends the assessment.  ``"iRECIST"``
        (simplified): a PD scan is only unconfirmed progression (iUPD) and ends the
        assessment (iCPD) if the next scan is PD too, or if it is the last scan;
        an unconfirmed PD scan is not a response and later scans still count.

    Returns
    -------
    categories : ndarray of str
    best_change : ndarray
        Lowest percent change (diameter-like) up to and including the first PD scan.
    first_pd : ndarray of int
        Index of the first PD scan, −1 if none.
    """
    x = np.atleast_2d(np.asarray(scan_burden, dtype=float))
    base = np.broadcast_to(np.asarray(baseline, dtype=float), (x.shape[0],)).reshape(-1, 1)
    detection = _number(detection_cells, "detection_cells", "tumour cells", low_open=True)
    if x.shape[1] == 0:
        raise ValueError("need at least one scan after baseline")
    measured = np.where(x >= detection, x, 0.0)
    change = percent_change(measured, base)
    # nadir before each scan, baseline included
    running = np.minimum.accumulate(np.concatenate([base, measured], axis=1), axis=1)[:, :-1]
    grew = np.cbrt(measured) >= (1.0 + RECIST_PD) * np.cbrt(running)
    pd = (measured > 0) & ((running == 0) | grew)
    if criteria == "iRECIST":
        pd_next = np.concatenate([pd[:, 1:], np.ones((pd.shape[0], 1), dtype=bool)], axis=1)
        ends = pd & pd_next
    elif criteria == "RECIST1.1":
        ends = pd
    else:
        raise ValueError(f'criteria must be "RECIST1.1" or "iRECIST", got {criteria!r}')
    any_pd = ends.any(axis=1)
    first_pd = np.where(any_pd, ends.argmax(axis=1), -1)
    n_scans = x.shape[1]
    before = (np.arange(n_scans)[None, :] < np.where(any_pd, first_pd, n_scans)[:, None]) & ~pd
    cr = (before & (measured == 0)).any(axis=1)
    pr = (before & (change <= 100.0 * RECIST_PR)).any(axis=1)
    sd = before.any(axis=1)
    categories = np.select([cr, pr, sd], ["CR", "PR", "SD"], default="PD")
    upto = np.arange(n_scans)[None, :] <= np.where(any_pd, first_pd, n_scans)[:, None]
    best = np.where(upto, change, np.inf).min(axis=1)
    return categories, best, first_pd


def _toxicity(regimen: Regimen, days: float, leak_days: np.ndarray, weights: dict) -> np.ndarray:
    treated = regimen.treated_days(days) / _DAYS_PER_TOXICITY_UNIT
    score = sum(weights[k] * getattr(regimen, k) / TOXICITY_REFERENCE[k] * treated for k in THERAPIES)
    return score + weights["leak"] * leak_days / _DAYS_PER_TOXICITY_UNIT


def run_trial(cohort: Cohort, regimen: Regimen, days: float = 730.0, *, dt: float = 0.5,
              output_every_days: float = 1.0, scan_every_days: float = 56.0, detection_cells: float = 1.0,
              toxicity_weights: dict | None = None, criteria: str = "RECIST1.1") -> TrialResult:
    """Treat every patient of ``cohort`` with ``regimen`` for ``days`` and assess them.

    Parameters
    ----------
    cohort : Cohort
    regimen : Regimen
    days : float
        Trial horizon (days, ≥ ``scan_every_days``, ≤ 3650).
    dt : float
        Integration step (days, 0.01–1); output and scan days are multiples of it.
    output_every_days : float
        Spacing of the stored burden curves (days, a multiple of ``dt``).  Only what is stored
        depends on it: a weekly trial's scans, responses and toxicity equal a daily one's.
    scan_every_days : float
        Spacing of the RECIST scans (days, a multiple of ``output_every_days``).
    detection_cells : float
        A tumour smaller than this has disappeared (CR); default one cell.
    toxicity_weights : dict, optional
        Overrides of :data:`TOXICITY_WEIGHTS` (keys aci, il2, checkpoint, vaccine, leak).
    criteria : {"RECIST1.1", "iRECIST"}
        Response criteria (see :func:`best_response`).  Immune responses in this
        model are often delayed: the tumour grows while effectors accumulate, then
        collapses (pseudo-progression), which RECIST 1.1 calls PD at the first scan.
    """
    if not isinstance(cohort, Cohort):
        raise ValueError(f"cohort must be a Cohort (use draw_cohort), got {type(cohort).__name__}")
    if not isinstance(regimen, Regimen):
        raise ValueError(f"regimen must be a Regimen, got {type(regimen).__name__}")
    dt = _number(dt, "dt", "integration step in days", low=0.01, high=1.0)
    every_out = _multiple(output_every_days, dt, "output_every_days", "dt")
    days = _number(days, "days", "trial horizon in days", low_open=True, high=_MAX_DAYS)
    scan = _number(scan_every_days, "scan_every_days", "days between scans", low_open=True)
    every_scan = _multiple(scan, every_out * dt, "scan_every_days", "output_every_days")
    if scan > days:
        raise ValueError(f"days ({days:g}) must be at least scan_every_days ({scan:g}): no scan would happen")
    detection = _number(detection_cells, "detection_cells", "tumour cells", low_open=True)
    weights = dict(TOXICITY_WEIGHTS)
    for k, w in (toxicity_weights or {}).items():
        if k not in weights:
            raise ValueError(f"unknown toxicity weight {k!r}; expected one of {sorted(weights)}")
        weights[k] = _number(w, f"toxicity weight {k}", "relative weight")
    n_steps = int(round(days / dt))
    n_out = n_steps // every_out
    # The whole horizon is simulated whatever the output spacing, so that weekly outputs give the
    # same toxicity and the same scans as daily ones; the last output may fall before the horizon.
    days = n_steps * dt
    u, E, leak_days = _integrate(cohort, regimen, days, dt, every_out)
    t = np.arange(n_out + 1) * (every_out * dt)
    log10_T = u / math.log(10.0)
    burden = np.exp(np.minimum(u, 700.0))
    scan_index = np.arange(every_scan, n_out + 1, every_scan)
    scan_days, scan_burden = t[scan_index], burden[:, scan_index]
    categories, best, event, observed = _assessment(scan_burden, scan_days, cohort.T0, detection, criteria)
    measured = np.where(scan_burden >= detection, scan_burden, 0.0)
    scan_change = percent_change(measured, cohort.T0[:, None])
    tox = _toxicity(regimen, days, leak_days, weights)
    arrays = _freeze(t, log10_T, burden, E, scan_days, scan_change, categories, best, event, observed,
                     np.asarray(tox, dtype=float))
    return TrialResult(*arrays, cohort=cohort, regimen=regimen, detection_cells=detection, criteria=criteria)


def _assessment(scan_burden, scan_days, baseline, detection, criteria):
    """Best responses, best changes, event days and whether progression was seen."""
    categories, best, first_pd = best_response(scan_burden, baseline, detection, criteria)
    observed = first_pd >= 0
    event = np.where(observed, scan_days[np.maximum(first_pd, 0)], scan_days[-1])
    return categories, best, event, observed


def assess(result: TrialResult, criteria: str) -> TrialResult:
    """``result``'s patients assessed with other response criteria: the same tumours, not simulated again.

    What the criteria decide (best response, best change, progression day) is recomputed from the
    scans; everything else is ``result``'s own.  Equal to running the trial with ``criteria``.
    """
    if not isinstance(result, TrialResult):
        raise ValueError(f"result must be a TrialResult (use run_trial), got {type(result).__name__}")
    if criteria == result.criteria:
        return result
    scans = np.searchsorted(result.t, result.scan_days)
    categories, best, event, observed = _assessment(result.burden[:, scans], result.scan_days, result.cohort.T0,
                                                    result.detection_cells, criteria)
    categories, best, event, observed = _freeze(categories, best, event, observed)
    return replace(result, best_response=categories, best_change=best, event_day=event, event_observed=observed,
                   criteria=criteria)


def _multiple(value, unit, name, unit_name) -> int:
    x = _number(value, name, "days", low_open=True)
    k = round(x / unit)
    if k < 1 or abs(k * unit - x) > 1e-9 * max(x, 1.0):
        raise ValueError(f"{name} ({x:g}) must be a whole multiple of {unit_name} ({unit:g})")
    return int(k)


def _categories(result_or_categories):
    if isinstance(result_or_categories, TrialResult):
        return result_or_categories.best_response
    cats = np.asarray(result_or_categories)
    if cats.size == 0 or not np.all(np.isin(cats, CATEGORIES)):
        raise ValueError(f"expected a TrialResult or a non-empty array of {CATEGORIES}")
    return cats


def objective_response_rate(result) -> float:
    """Fraction of patients whose best response is CR or PR."""
    cats = _categories(result)
    return float(np.isin(cats, ("CR", "PR")).mean())


def disease_control_rate(result) -> float:
    """Fraction of patients whose best response is CR, PR or SD."""
    cats = _categories(result)
    return float(np.isin(cats, ("CR", "PR", "SD")).mean())


def _survival_input(event_times, observed):
    t = np.asarray(event_times, dtype=float).ravel()
    d = np.asarray(observed).ravel()
    if t.size == 0 or t.size != d.size:
        raise ValueError("event_times and observed must be non-empty and of the same length")
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ValueError("event_times must be finite times ≥ 0")
    if d.dtype != bool and not np.all(np.isin(d, (0, 1))):
        raise ValueError("observed must be booleans (True = event, False = censored)")
    return t, d.astype(bool)


def kaplan_meier(event_times, observed):
    r"""Product-limit (Kaplan–Meier) estimate of the survival function.

    :math:`\hat S(t) = \prod_{t_j \le t} (1 - d_j/n_j)` over the distinct event times
    :math:`t_j`, with :math:`d_j` events and :math:`n_j` still at risk just before
    :math:`t_j` (a time censored at :math:`t_j` counts as at risk at :math:`t_j`).

    Returns
    -------
    times : ndarray
        0 followed by the distinct event times.
    survival : ndarray
        :math:`\hat S` from each time until the next (a right-continuous step function).
    """
    t, d = _survival_input(event_times, observed)
    event_times_unique = np.unique(t[d])
    at_risk = (t[None, :] >= event_times_unique[:, None]).sum(axis=1)
    events = (d[None, :] & (t[None, :] == event_times_unique[:, None])).sum(axis=1)
    survival = np.cumprod(1.0 - events / at_risk)
    return np.concatenate([[0.0], event_times_unique]), np.concatenate([[1.0], survival])


def median_survival(event_times, observed) -> float:
    """First time at which the Kaplan–Meier estimate is ≤ 0.5; ``inf`` if not reached."""
    times, survival = kaplan_meier(event_times, observed)
    below = np.flatnonzero(survival <= 0.5)
    return float(times[below[0]]) if below.size else math.inf


@dataclass(frozen=True)
class Explanation:
    """Why a patient did (not) respond: the regimen measured against the model's thresholds.

    Attributes
    ----------
    patient : int
    best_response : str
    aci_threshold : float
        The patient's ACI clearance threshold at the regimen's IL-2 (cells/day).
    aci_given : float
        The regimen's ACI rate during a course (cells/day).
    antigenicity, antigenicity_treated : float
        c, and B·(c + v) during a course (day⁻¹).
    persisting_tumour : float or None
        Largest stable tumour steady state (≥ 1 cell) of the treated system (cells).
    cleared_day : float or None
        First day the tumour was below the detection limit, if it stayed there to the end.
    reasons : tuple of str
        Sentences for a readout; ``text`` joins them.
    """

    patient: int
    best_response: str
    aci_threshold: float
    aci_given: float
    antigenicity: float
    antigenicity_treated: float
    persisting_tumour: float | None
    cleared_day: float | None
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return " ".join(self.reasons)


def explain_patient(result: TrialResult, i: int) -> Explanation:
    """Explain patient ``i``'s best response with the model's own thresholds.

    Uses, at the therapy levels of a course:

    * the ACI threshold :func:`kirschner_panetta.s1_clearance_threshold` for the
      patient's r2 and a and the regimen's IL-2 (cells/day): above it the
      tumour-free state is stable while the infusion runs;
    * the steady states of the treated system (:func:`kirschner_panetta.equilibria`
      with the patient's parameters, antigenicity raised by blockade and vaccine):
      a stable tumour steady state ≥ 1 cell means the treated immune system can
      hold but not clear a tumour that size;
    * whether treatment stopped while the tumour was still there.
    """
    if not isinstance(result, TrialResult):
        raise ValueError(f"result must be a TrialResult, got {type(result).__name__}")
    n = result.cohort.n
    if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < n:
        raise ValueError(f"i must be a patient index from 0 to {n - 1}, got {i!r}")
    pt = result.cohort.patient(i)
    reg = result.regimen
    treated = reg.n_doses > 0
    s1 = reg.aci if treated else 0.0
    s2 = reg.il2 if treated else 0.0
    f = reg.checkpoint if treated else 0.0
    v = reg.vaccine if treated else 0.0
    c_treated = (1.0 + pt["q"]) / (1.0 + pt["q"] * (1.0 - f)) * (pt["c"] + v)
    params = replace(KP, c=c_treated, r2=pt["r2"], a=pt["a"], s1=s1, s2=s2)
    threshold = _kp.s1_clearance_threshold(params)
    stable_tumours = [eq.T for eq in _kp.equilibria(params) if not eq.tumour_free and eq.stable and eq.T >= 1.0]
    persisting = max(stable_tumours) if stable_tumours else None
    cat = str(result.best_response[i])
    reasons = [f"Patient {i}: best response {cat}."]
    if not treated or not reg.therapies:
        reasons.append("No therapy was given.")
    if s1 == 0.0:
        pass  # the ACI threshold says nothing about a regimen without adoptive cells
    elif s1 < threshold:
        reasons.append(f"ACI of {s1:.4g} cells/day is below this patient's clearance threshold of "
                       f"{threshold:.4g} cells/day (r2·g2/a·(μ2 − IL-2 boost)), so the tumour-free state "
                       "is unstable even during treatment.")
    else:
        reasons.append(f"ACI of {s1:.4g} cells/day is above this patient's clearance threshold of "
                       f"{threshold:.4g} cells/day: a small tumour is cleared while the infusion runs.")
    if persisting is not None:
        reasons.append(f"During treatment the model still has a stable tumour of {persisting:.3g} cells "
                       f"(antigenicity {pt['c']:.3g} raised to {c_treated:.3g} per day by blockade and vaccine): "
                       "a tumour of about that size can persist despite the treatment.")
    if pt["c"] == 0 and f > 0 and v == 0:
        reasons.append("With no antigenicity, checkpoint blockade has nothing to release.")
    gone = result.burden[i] < result.detection_cells
    cleared_day = float(result.t[np.argmax(gone)]) if gone[-1] else None
    if cleared_day is not None and cat != "CR":
        reasons.append(f"The tumour did disappear (day {cleared_day:g}), but only after it had grown past a scan: "
                       f"the assessment had already ended with progression on day {result.event_day[i]:g}. "
                       + ("A response this late counts as progression even under iRECIST, whose confirmation "
                          "scan came before it." if result.criteria == "iRECIST" else
                          "This delayed response is pseudo-progression; criteria='iRECIST' asks for confirmation."))
    last_course_end = reg.start_day + (reg.n_doses - 1) * reg.interval_days + reg.course_days
    if treated and result.event_observed[i] and result.event_day[i] > last_course_end:
        reasons.append(f"Progression on day {result.event_day[i]:g} came after treatment ended "
                       f"(day {last_course_end:g}): the tumour regrew from what was left.")
    return Explanation(patient=i, best_response=cat, aci_threshold=float(threshold), aci_given=float(s1),
                       antigenicity=pt["c"], antigenicity_treated=float(c_treated),
                       persisting_tumour=persisting, cleared_day=cleared_day, reasons=tuple(reasons))
