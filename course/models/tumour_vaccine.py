r"""A therapeutic vaccine against a tumour: the Kronik et al. (2010) model.

Kronik N, Kogan Y, Elishmereni M, Halevi-Tobias K, Vuk-Pavlović S, Agur Z (2010)
Predicting outcomes of prostate cancer immunotherapy by personalized mathematical
models.  PLoS ONE 5(12):e15482, doi:10.1371/journal.pone.0015482, PMID 21151630.

Which paper, and what could be read
-----------------------------------
The lesson first asked for Wilson S, Levy D (2012) A mathematical model of the
enhancement of tumor vaccine efficacy by immunotherapy, Bull Math Biol
74(7):1485–1500 (PMID 22438084; PubMed gives the DOI as 10.1007/s11538-012-9722-4):
tumour, TGF-β, effector T cells and regulatory T cells, with a vaccine and an
anti-TGF-β antibody.  Only its abstract could be read here (no full text, no
BioModels/CellML/GitHub encoding was found), so none of its equations or numbers
are used.  This module implements the fallback, Kronik et al. (2010), a model of
an allogeneic whole-cell vaccine (irradiated prostate-cancer cell lines) in men
with hormone-resistant prostate cancer.

Of Kronik et al. only the abstract could be read.  **The equations and every
parameter value below are those of the SBML encoding of the paper in BioModels,
MODEL2001130003** ("Kronik2010 - Predicting Outcomes of Prostate Cancer
Immunotherapy by Personalized Mathematical Models", encoded in COPASI by M. U.
Sharif Shohan, EMBL-EBI, 2020-01-13; a *non-curated* entry), read in the copy at
github.com/Biosimulant/models-oncology,
``labs/kronik2010-predicting-outcomes-of-prostate-cancer-immunotherapyby/models/core/data/MODEL2001130003.xml``.
Names in brackets are the encoding's reaction names.

The model
---------
Seven populations, numbers of cells: vaccine cells at the injection site
:math:`V`; dermal dendritic cells that took up vaccine antigen and migrate to the
lymph node :math:`D_m`; mature antigen-presenting DCs :math:`D_c`; regulatory DCs
:math:`D_r`; cytotoxic T lymphocytes :math:`C`; regulatory T cells :math:`R`;
prostate-cancer cells :math:`P`.  Time :math:`t` in hours (see *Units*).

.. math::

    \frac{dV}{dt} &= -k_i V + \sum_j D\,\delta(t - t_j) \\
    \frac{dD_m}{dt} &= k_i V - k_m D_m \\
    \frac{dD_c}{dt} &= \alpha\,k_m D_m - k_{cr} D_c \\
    \frac{dD_r}{dt} &= k_{cr} D_c - \mu_d D_r \\
    \frac{dC}{dt} &= a_c D_c - \mu_c C - k_r\,C R \\
    \frac{dR}{dt} &= a_r D_r - \mu_r R \\
    \frac{dP}{dt} &= r P - a_p\,C P\,\frac{h_p}{h_p + P}

Vaccine cells are taken up by skin DCs ("Tumor cells comprising vaccines",
"Numbe of antigen presenting DC migrate to lymph node"), which leave the skin at
rate :math:`k_m`; a fraction :math:`\alpha` arrive as functional antigen-presenting
DCs ("Functional antigen presenting dendritic cell Dc").  These turn into
regulatory DCs at rate :math:`k_{cr}` ("Removal of mature Dendritic cell",
"Increase regulatory dendritic cell").  Presenting DCs recruit and activate CTLs
(:math:`a_c D_c`), regulatory DCs recruit Tregs (:math:`a_r D_r`), and Tregs
inactivate CTLs (:math:`k_r C R`, "Death and inactivation of CTL").  The tumour
grows exponentially and CTLs kill it with a saturating efficiency: at
:math:`P = h_p` half the maximal kill per CTL ("Elimination of prostate cacner by
immune system").  The encoding's vaccine-uptake term is :math:`k_i n_v V` and its
:math:`D_m` source :math:`k_i (V + V_p)`, with :math:`n_v = 1` and :math:`V_p = 0`;
both reduce to :math:`k_i V`, which is what is implemented.

The immune equations do not contain :math:`P`: the vaccine drives a response that
does not depend on the tumour, and the tumour follows a one-dimensional equation
driven by :math:`C(t)`.  Foryś, Bodnar & Kogan (2016, below) build their analysis
on exactly this.

What this module adds (not in the encoding)
--------------------------------------------
* **A dosing schedule.**  The encoding holds one dose, :math:`V(0) = 10^6` cells.
  Here each injection adds ``vaccine_dose`` cells to :math:`V` at its time.  The
  default schedule is an injection every 28 days, 12 injections, over 730 days:
  Onyvax's press release of 9 January 2002 on the phase II trial of its
  allogeneic whole-cell prostate vaccine Onyvax-P says "all patients will receive
  active treatment via monthly injections for a total of 12 months. Patients will
  then be followed for an additional 12 months" ("monthly" is taken as every 4
  weeks here).  Kronik et al. validated their model on "a clinical trial testing an
  allogeneic PCa whole-cell vaccine", which Foryś et al. (2016) name as Michael et
  al. (2005), Clin Cancer Res 11:4469; that this is the trial of the press release
  is likely but was not checked.  The default dose is the encoding's :math:`V(0)`.
* **Immune-suppression blockade** :math:`b` (``blockade``, 0 to 1) replaces
  :math:`k_r` by :math:`(1 - b)\,k_r`: a treatment that weakens the Treg brake on
  CTLs.  It is the course's addition.  In Wilson & Levy (2012) the added treatment
  is anti-TGF-β; TGF-β is one of the means by which Tregs and tumours suppress
  effector T cells, and :math:`k_r` is where this model puts that suppression, so
  lowering it is the nearest analogue the model has.  The lesson relates it to
  checkpoint blockade, which also releases a brake on effector T cells, but this
  is **not** a model of PD-1/PD-L1 or CTLA-4: it has neither, and ``blockade``
  says nothing about their pharmacology.  ``Params.k_r`` (and ``Params.a_r``) is
  the strength of immunosuppression.
* **Elimination.**  Once the tumour falls below :data:`ELIMINATION_CELLS` (one
  cell) it counts as eliminated and is set to 0 from then on (a continuous model
  would let it shrink for ever and regrow from a fraction of a cell).
* **Initial state.**  The encoding starts :math:`D_m, D_c, D_r, C, R` (and
  :math:`P`) at 1 cell; the immune cells start there here too.  The tumour starts
  at ``tumour0``, by default :data:`DEFAULT_TUMOUR0` = :math:`h_p` = 10⁸ cells, the
  size at which the CTLs kill at half their maximal rate (a choice made here).

Units (inferred, not read)
--------------------------
The encoding states no units.  Time is read as **hours**: the rates then give
biologically sensible time scales (vaccine uptake 1/k_i ≈ 17 h, DC departure
1/k_m ≈ 1.5 days, CTL lifetime 1/μ_c ≈ 6 days, Treg lifetime 1/μ_r ≈ 1.4 days),
whereas per day they would give a 37-day DC migration and a 143-day effector-CTL
lifetime.  Populations are numbers of cells.  The encoding's tumour growth rate
:math:`r = 10^{-5}`/h (doubling time 7.9 years) is its default; in the paper
:math:`r` was fitted per patient.  All inputs and outputs of the public functions
are in days; :data:`HOURS_PER_DAY` converts.

What the model does (numbers computed here from the encoded parameters)
------------------------------------------------------------------------
* Under **continuous** vaccination at :math:`\rho` cells/h the immune system has
  a steady state (:func:`steady_state`): :math:`D_c^* = \alpha\rho/k_{cr}`,
  :math:`R^* = a_r\alpha\rho/(\mu_d\mu_r)`,
  :math:`C^* = a_c D_c^*/(\mu_c + k_r R^*)`.  Tregs grow with the dose as CTLs do,
  so :math:`C^*` saturates at :func:`ctl_ceiling`
  :math:`a_c\mu_d\mu_r/(k_{cr} k_r a_r)` ≈ 2.6·10⁵ CTLs however much vaccine is
  given: immunosuppression caps what vaccination can do, blockade raises the cap.
* With :math:`C^*` fixed the tumour has one positive equilibrium,
  :math:`P^\dagger = h_p(a_p C^*/r - 1)`, and it is unstable: smaller tumours
  shrink to nothing, larger ones grow.  With periodic injections the same holds
  with a periodic solution in place of :math:`P^\dagger`.
* With the defaults (10⁶ vaccine cells every 28 days, tumour 10⁸ cells) the
  CTLs peak at ≈ 1.8·10⁴ five to six days after each injection, and the tumour falls
  below one cell on day ≈ 97.  The smallest dose that keeps it from growing over
  the 730 days is ≈ 5.3·10³ cells per injection (:func:`control_threshold`).
  Continuous vaccination at the same average rate would sustain
  :math:`C^*` ≈ 6.9·10³ CTLs (a small tumour then dies at 0.19/day) and
  :math:`P^\dagger` ≈ 7.9·10¹⁰ cells.
* At the encoded :math:`k_r` the Tregs barely matter at these doses
  (:math:`k_r R^*` ≈ 2·10⁻⁴/h against :math:`\mu_c` = 7·10⁻³/h), so blockade
  changes little.  Suppression bites when it is stronger or the doses are larger:
  with :math:`k_r` 100× the encoded value and a tumour growing at
  :math:`r` = 10⁻³/h, the threshold dose is ≈ 6·10⁶ cells, and full blockade
  brings it down to ≈ 3·10⁵.

Published statements reproduced (see the tests)
-----------------------------------------------
Foryś U, Bodnar M, Kogan Y (2016) Asymptotic dynamics of some t-periodic
one-dimensional model with application to prostate cancer immunotherapy. J Math
Biol, doi:10.1007/s00285-016-0978-4 (abstract read): the model
"consists of seven ordinary differential equations and its asymptotic dynamics can
be described by some t-periodic one-dimensional dynamical system"; the solution
"either converges to zero, or diverges to infinity, or it is periodic", the
periodic solution "is unique, and it divides the phase space into two
sub-regions"; "a single vaccination is not sufficient to cure the cancer".
An article in Computational and Mathematical Methods in Medicine (2020, article
7970265; only its opening could be read, not its authors' names) says of this
model that "the efficacy of immunotherapy can be improved by changing the
interdosing intervals rather than the dose itself": here, the same total vaccine
as twice as many injections at half the interval beats doubled doses.  No number
from Kronik et al.'s own results (thresholds, equilibria, times to response)
could be read, so none is reproduced.

Numerics
--------
:func:`simulate` does not hand all seven equations to an ODE solver (restarted
at each injection, ``solve_ivp`` with LSODA took 25–35 ms per call here, BDF and
Radau 0.5–1.5 s); it uses the model's structure, on a uniform internal grid of step
≤ :data:`MAX_STEP_HOURS` that contains the output times:

1. :math:`(V, D_m, D_c, D_r, R)` and :math:`Q = \int_0^t R` are linear with
   constant coefficients: exact by powers of the one-step matrix exponential, and
   each injection adds a shifted copy of the unit-dose response (superposition).
   Injection times are rounded to the grid (by ≤ half a step).
2. :math:`C` is linear given :math:`R(t)`: each step is
   :math:`C_{m+1} = e^{-z_m} C_m + \int e^{-(K_{m+1}-K(s))} a_c D_c(s)\,ds` with
   :math:`K = \mu_c t + k_r Q`, integrated exactly for :math:`K` and :math:`D_c`
   linear over the step, and the recurrence is composed by a vectorised prefix
   scan.
3. For the tumour, :math:`w = \ln P + P/h_p` obeys
   :math:`dw/dt = r - a_p C + r P/h_p`.  With :math:`\Phi(t) = \int_0^t (r - a_p C)`
   (by quadrature), :math:`v = w - \Phi` obeys :math:`dv/dt = r P/h_p`, which is
   slow and smooth while :math:`P` is not far above :math:`h_p`; it is integrated
   by :func:`scipy.integrate.solve_ivp` (LSODA), and :math:`P` is recovered from
   :math:`w` by Newton's method.  For :math:`P \ll h_p`,
   :math:`\ln P \approx \ln P_0 + \Phi(t)`: growth minus cumulative killing.

Against a direct LSODA integration of the seven equations (rtol 1e-10; see the
tests) the linear populations agree to 1e-10, the CTLs to ~3e-5 of their peak and
ln P to ~1e-4 at the encoded parameters (to 0.5 % and 0.05 while the tumour is
above one cell when the Tregs are 100× stronger and the dose 100× larger).
Timing here (timeit, 2 shared cores, median): 3 ms with the defaults, 2.5–6 ms
when a slider moves the dose, blockade, k_r, r, tumour0 or the interval (the
immune response to one vaccine cell is cached per grid); 10–20 ms more the first
time a new length ``days`` or ``n_points`` is used; 16 ms for a fast tumour far
above h_p (r = 2e-3/h, P0 = 1e11).  :func:`control_threshold` (≈ 25 runs): 80 ms
with the defaults, up to ~0.4 s for fast tumours.
Pure numerics: nothing here plots or prints.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
from scipy.integrate import solve_ivp
from scipy.linalg import expm

__all__ = [
    "Params",
    "Result",
    "SteadyState",
    "OUTCOMES",
    "HOURS_PER_DAY",
    "MAX_STEP_HOURS",
    "ELIMINATION_CELLS",
    "ENCODED_PARAMETERS",
    "ENCODED_INITIAL",
    "DEFAULT_DOSE",
    "DEFAULT_INTERVAL_DAYS",
    "DEFAULT_N_DOSES",
    "DEFAULT_DAYS",
    "DEFAULT_TUMOUR0",
    "RANGES",
    "dose_schedule",
    "simulate",
    "classify",
    "describe",
    "control_threshold",
    "steady_state",
    "ctl_ceiling",
]

#: Model time is in hours (inferred, see the module docstring); the API is in days.
HOURS_PER_DAY = 24.0

#: Largest internal step of :func:`simulate` (hours).
MAX_STEP_HOURS = 1.0

#: A tumour below this many cells counts as eliminated (one cell; a choice made here).
ELIMINATION_CELLS = 1.0

#: The encoding's parameter values (BioModels MODEL2001130003, listOfParameters),
#: under its own symbols.  nv and Vp are used only as n_v = 1, V_p = 0 (see above).
ENCODED_PARAMETERS = {
    "ki": 0.06, "nv": 1.0, "Vp": 0.0, "alpha1": 0.03, "km": 0.027, "kcr": 0.027,
    "mu_d": 0.014, "ar": 0.003, "mu_r": 0.03, "ac": 0.03, "mu_c": 0.007, "kr": 6e-7,
    "r": 1e-5, "ap": 1.14e-6, "hp": 1e8,
}

#: The encoding's initial amounts (cells): V(0) = 10^6 is its single vaccine dose.
ENCODED_INITIAL = {"V": 1e6, "Dm": 1.0, "Dc": 1.0, "Dr": 1.0, "C": 1.0, "R": 1.0, "P": 1.0}

#: Default vaccine dose per injection (vaccine cells): the encoding's V(0).
DEFAULT_DOSE = ENCODED_INITIAL["V"]
#: Default schedule: "monthly injections for a total of 12 months ... followed for an
#: additional 12 months" (Onyvax press release, 9 Jan 2002); monthly taken as 28 days.
DEFAULT_INTERVAL_DAYS = 28.0
DEFAULT_N_DOSES = 12
DEFAULT_DAYS = 730.0
#: Default initial tumour (cells): the encoding's h_p (a choice made here).
DEFAULT_TUMOUR0 = ENCODED_PARAMETERS["hp"]

#: Suggested slider ranges for an explainer.  simulate() returns finite, non-negative
#: populations at both ends of each (tests) and at all 512 combinations of the ends
#: (checked when this module was written).
RANGES = {
    "vaccine_dose": (0.0, 1e10),          # vaccine cells per injection
    "interval_days": (1.0, 120.0),
    "n_doses": (0, 60),
    "days": (1.0, 1460.0),
    "tumour0": (1.0, 1e11),               # cells
    "blockade": (0.0, 1.0),
    "k_r": (0.0, 1e-4),                    # 0 to ~170 x the encoded 6e-7 /(cell h)
    "a_r": (0.0, 0.3),
    "r": (0.0, 2e-3),                      # /h: doubling time down to ~14 days
}

#: The labels :func:`classify` returns.
OUTCOMES = ("eliminated", "controlled", "progressing")


# ----------------------------------------------------------------------------- checks

def _real(value, name: str, meaning: str, *, positive: bool = False, at_most: float | None = None) -> float:
    bound = "> 0" if positive else "≥ 0"
    if at_most is not None:
        bound += f" and ≤ {at_most:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (positive and v == 0) or (at_most is not None and v > at_most):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    return v


def _count(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}; got {value!r}")
    return int(value)


# ----------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Params:
    r"""Model parameters; defaults are the values of the BioModels encoding MODEL2001130003.

    Source of every value: Kronik et al. (2010), PLoS ONE 5:e15482,
    doi:10.1371/journal.pone.0015482, as encoded in BioModels MODEL2001130003 (the
    paper's own tables could not be read).  Units are inferred (time in hours,
    populations in cells; see the module docstring).  Use
    ``dataclasses.replace(Params(), k_r=...)`` for a variant.

    Attributes
    ----------
    k_i : float
        Uptake of vaccine cells by skin DCs, /h (encoding ``ki`` = 0.06).
    k_m : float
        Departure of antigen-loaded skin DCs towards the lymph node, /h
        (``km`` = 0.027).
    alpha : float
        Fraction of departing DCs that become functional antigen-presenting DCs,
        dimensionless (``alpha1`` = 0.03).
    k_cr : float
        Conversion of presenting DCs into regulatory DCs, /h (``kcr`` = 0.027).
    mu_d : float
        Loss of regulatory DCs, /h (``mu_d`` = 0.014).
    a_r : float
        Treg recruitment per regulatory DC, Tregs/(DC·h) (``ar`` = 0.003).
    mu_r : float
        Treg loss, /h (``mu_r`` = 0.03).
    a_c : float
        CTL recruitment and activation per presenting DC, CTLs/(DC·h)
        (``ac`` = 0.03).
    mu_c : float
        CTL death, /h (``mu_c`` = 0.007).
    k_r : float
        CTL inactivation by Tregs, /(Treg·h) (``kr`` = 6e-7): the strength of
        immunosuppression.
    r : float
        Tumour growth rate, /h (``r`` = 1e-5; fitted per patient in the paper).
    a_p : float
        Maximal tumour-cell killing per CTL, /(CTL·h) (``ap`` = 1.14e-6).
    h_p : float
        Tumour size at which killing per CTL is half maximal, cells (``hp`` = 1e8).
    """

    k_i: float = ENCODED_PARAMETERS["ki"]
    k_m: float = ENCODED_PARAMETERS["km"]
    alpha: float = ENCODED_PARAMETERS["alpha1"]
    k_cr: float = ENCODED_PARAMETERS["kcr"]
    mu_d: float = ENCODED_PARAMETERS["mu_d"]
    a_r: float = ENCODED_PARAMETERS["ar"]
    mu_r: float = ENCODED_PARAMETERS["mu_r"]
    a_c: float = ENCODED_PARAMETERS["ac"]
    mu_c: float = ENCODED_PARAMETERS["mu_c"]
    k_r: float = ENCODED_PARAMETERS["kr"]
    r: float = ENCODED_PARAMETERS["r"]
    a_p: float = ENCODED_PARAMETERS["ap"]
    h_p: float = ENCODED_PARAMETERS["hp"]

    def __post_init__(self):
        positive = {"k_i", "k_m", "k_cr", "mu_d", "mu_r", "mu_c", "h_p"}
        for f in fields(self):
            v = _real(getattr(self, f.name), f"Params.{f.name}", "see the Params docstring for its unit",
                      positive=f.name in positive, at_most=1.0 if f.name == "alpha" else None)
            object.__setattr__(self, f.name, v)

    @property
    def doubling_time_days(self) -> float:
        """Doubling time of the untreated tumour, ln 2 / r, in days (inf if r = 0)."""
        return math.inf if self.r == 0 else math.log(2.0) / self.r / HOURS_PER_DAY


def _check_params(params) -> Params:
    if params is None:
        return Params()
    if not isinstance(params, Params):
        raise TypeError(f"params must be a tumour_vaccine.Params; got {type(params).__name__}")
    return params


# ----------------------------------------------------------------------------- results

@dataclass(frozen=True, eq=False)  # holds arrays
class Result:
    """A simulated course of vaccination (read-only arrays, numbers of cells).

    Attributes
    ----------
    days : ndarray
        Output times, days.
    vaccine, dc_migrating, dc_presenting, dc_regulatory, ctl, treg : ndarray
        V, D_m, D_c, D_r, C and R.
    tumour : ndarray
        P, set to 0 from the first output time after elimination.
    log10_tumour : ndarray
        log10 of the tumour of the continuous model, which goes on below one cell
        (finite: for log-scale plots).
    dose_days : tuple of float
        Times of the injections actually given (on the internal grid), days.
    vaccine_dose, blockade, tumour0 : float
    elimination_day : float or None
        When the tumour fell below ``elimination_cells`` (None if it did not).
    params : Params
    """

    days: np.ndarray
    vaccine: np.ndarray
    dc_migrating: np.ndarray
    dc_presenting: np.ndarray
    dc_regulatory: np.ndarray
    ctl: np.ndarray
    treg: np.ndarray
    tumour: np.ndarray
    log10_tumour: np.ndarray
    dose_days: tuple
    vaccine_dose: float
    blockade: float
    tumour0: float
    elimination_day: float | None
    params: Params

    @property
    def outcome(self) -> str:
        """:func:`classify` of this result."""
        return classify(self)


@dataclass(frozen=True)
class SteadyState:
    """Steady state under continuous vaccination (cells), see :func:`steady_state`.

    ``kill_rate_per_day`` is a_p C* per day: the net per-cell killing of a small
    tumour (P << h_p).  ``tumour_threshold`` is P† = h_p (a_p C*/r − 1), the
    unstable tumour equilibrium: smaller tumours shrink, larger ones grow (0 if
    a_p C* ≤ r: every tumour grows; inf if r = 0 and C* > 0: every tumour shrinks).
    """

    vaccine: float
    dc_migrating: float
    dc_presenting: float
    dc_regulatory: float
    ctl: float
    treg: float
    kill_rate_per_day: float
    tumour_threshold: float


# ----------------------------------------------------------------------------- schedule

def dose_schedule(interval_days: float = DEFAULT_INTERVAL_DAYS, n_doses: int = DEFAULT_N_DOSES,
                  days: float = DEFAULT_DAYS) -> tuple:
    """Injection times (days): 0, interval, 2·interval, ... (n_doses of them, those ≤ days)."""
    interval = _real(interval_days, "interval_days", "days between injections", positive=True)
    n = _count(n_doses, "n_doses", 0)
    end = _real(days, "days", "length of the run", positive=True)
    return tuple(float(j * interval) for j in range(n) if j * interval <= end)


# ----------------------------------------------------------------------------- numerics

def _linear_matrix(p: Params) -> np.ndarray:
    """A of x' = A x for x = (V, D_m, D_c, D_r, R, Q = ∫R), per hour."""
    A = np.zeros((6, 6))
    A[0, 0] = -p.k_i
    A[1, 0], A[1, 1] = p.k_i, -p.k_m
    A[2, 1], A[2, 2] = p.alpha * p.k_m, -p.k_cr
    A[3, 2], A[3, 3] = p.k_cr, -p.mu_d
    A[4, 3], A[4, 4] = p.a_r, -p.mu_r
    A[5, 4] = 1.0
    return A


_TINY = 1e-280  # entries below this are set to 0 (avoids slow subnormal arithmetic)


@lru_cache(maxsize=16)
def _unit_responses(linear_key: tuple, h: float, n: int) -> np.ndarray:
    """(6, n, 2): x at t = j·h from the encoding's initial immune cells (column 0) and
    from one vaccine cell injected at t = 0 (column 1)."""
    k_i, k_m, alpha, k_cr, mu_d, a_r, mu_r = linear_key
    p = Params(k_i=k_i, k_m=k_m, alpha=alpha, k_cr=k_cr, mu_d=mu_d, a_r=a_r, mu_r=mu_r)
    step = expm(_linear_matrix(p) * h)
    out = np.empty((6, n, 2))
    out[:, 0, 0] = (0.0, ENCODED_INITIAL["Dm"], ENCODED_INITIAL["Dc"], ENCODED_INITIAL["Dr"],
                    ENCODED_INITIAL["R"], 0.0)
    out[:, 0, 1] = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    power, m = step, 1  # power = step^m; out[:, :m] holds step^j x0 for j < m
    while m < n:
        c = min(m, n - m)
        block = np.tensordot(power, out[:, :c], axes=(1, 0))
        block[np.abs(block) < _TINY] = 0.0
        out[:, m:m + c] = block
        power = power @ power
        power[np.abs(power) < _TINY] = 0.0
        m *= 2
    out.flags.writeable = False
    return out


def _step_weights(z: np.ndarray):
    """(a0, a1) with ∫_0^h e^{-κ(h-s)} f(s) ds = h (a0 f(0) + a1 f(h)) for linear f, z = κh ≥ 0."""
    small = z < 1e-3
    zs = np.where(small, 1.0, z)
    ez = np.exp(-zs)
    a0 = np.where(small, 0.5 - z / 3.0 + z * z / 8.0, (1.0 - ez * (1.0 + zs)) / (zs * zs))
    a1 = np.where(small, 0.5 - z / 6.0 + z * z / 24.0, (zs - 1.0 + ez) / (zs * zs))
    return a0, a1


def _ctl(f: np.ndarray, K: np.ndarray, h: float, c0: float) -> np.ndarray:
    """C on the grid for C' = f − K'(t) C, C(0) = c0, exact for piecewise-linear f and K.

    Each step is C_{m+1} = e^{-z_m} C_m + h (a0 f_m + a1 f_{m+1}), z_m = K_{m+1} − K_m;
    the recurrence is composed by a log-depth prefix scan (no overflow: every factor
    is ≤ 1).
    """
    z = np.diff(K)
    a0, a1 = _step_weights(z)
    A = np.exp(-z)
    B = h * (a0 * f[:-1] + a1 * f[1:])
    d = 1
    while d < A.size:  # inclusive scan of x -> A x + B
        B[d:] = A[d:] * B[:-d] + B[d:]
        A[d:] = A[d:] * A[:-d]
        A[A < 1e-300] = 0.0
        d *= 2
    return np.concatenate(([c0], A * c0 + B))


def _log_size(c):
    """ℓ with ℓ + e^ℓ = c (Newton; c may be an array): ℓ = ln(P/h_p) for c = w − ln h_p."""
    c = np.asarray(c, dtype=float)
    ell = np.where(c < -1.0, c - np.exp(np.minimum(c, -1.0)),
                   np.where(c < 1.0, 0.5 * c - 0.3, np.log(np.maximum(c, 1.0))))
    for _ in range(60):
        e = np.exp(np.minimum(ell, 700.0))
        step = (ell + e - c) / (1.0 + e)
        ell = ell - step
        if np.all(np.abs(step) <= 1e-14 * (1.0 + np.abs(ell))):
            break
    return ell


def _log_size_scalar(c: float) -> float:
    if c < -35.0:  # e^c < 1e-15: ℓ = c − e^c to machine precision
        return c - math.exp(c)
    if c < -1.0:
        ell = c - math.exp(c)
    elif c < 1.0:
        ell = 0.5 * c - 0.3
    else:
        ell = math.log(c)
    for _ in range(60):
        e = math.exp(min(ell, 700.0))
        step = (ell + e - c) / (1.0 + e)
        ell -= step
        if abs(step) <= 1e-14 * (1.0 + abs(ell)):
            break
    return ell


class _Course:
    """The immune response to one schedule on one grid; tumours are solved on top of it."""

    def __init__(self, p: Params, dose_days: tuple, days: float, n_points: int):
        self.p = p
        self.t_end = days * HOURS_PER_DAY
        self.stride = max(1, math.ceil(self.t_end / ((n_points - 1) * MAX_STEP_HOURS)))
        self.n = (n_points - 1) * self.stride + 1
        self.h = self.t_end / (self.n - 1)
        key = (p.k_i, p.k_m, p.alpha, p.k_cr, p.mu_d, p.a_r, p.mu_r)
        self.unit = _unit_responses(key, self.h, self.n)
        idx = sorted({min(int(round(d * HOURS_PER_DAY / self.h)), self.n - 1) for d in dose_days})
        self.dose_index = tuple(idx)
        self.dose_days = tuple(i * self.h / HOURS_PER_DAY for i in idx)
        # Response to one vaccine cell at every injection (superposition), and to the
        # initial immune cells: D_c, R, Q on the internal grid, V, D_m, D_r at the outputs.
        fine_rows, coarse_rows = [2, 4, 5], [0, 1, 3]
        g = self.unit[:, :, 1]
        self.hom_fine = np.ascontiguousarray(self.unit[fine_rows, :, 0])
        self.hom_coarse = np.ascontiguousarray(self.unit[coarse_rows, ::self.stride, 0])
        self.per_dose_fine = np.zeros_like(self.hom_fine)
        self.per_dose_coarse = np.zeros_like(self.hom_coarse)
        j = np.arange(self.hom_coarse.shape[1]) * self.stride
        for i in idx:
            self.per_dose_fine[:, i:] += g[fine_rows, :self.n - i]
            after = j >= i
            self.per_dose_coarse[:, after] += g[coarse_rows][:, j[after] - i]

    def immune(self, dose: float, blockade: float):
        """D_c, R, Q on the internal grid, (V, D_m, D_r) on the output grid, and C."""
        fine = self.hom_fine + dose * self.per_dose_fine
        coarse = self.hom_coarse + dose * self.per_dose_coarse
        p = self.p
        k_r = p.k_r * (1.0 - blockade)
        K = p.mu_c * self.h * np.arange(self.n) + k_r * fine[2]
        C = _ctl(p.a_c * fine[0], K, self.h, ENCODED_INITIAL["C"])
        return fine, coarse, C, k_r

    def tumour(self, C: np.ndarray, dC: np.ndarray, tumour0: float, rtol: float, atol: float):
        """Output times (h), ln P and v at them, and Φ on the internal grid."""
        p, h, n = self.p, self.h, self.n
        g = p.r - p.a_p * C
        dg = -p.a_p * dC
        inc = 0.5 * h * (g[1:] + g[:-1]) + h * h * (dg[:-1] - dg[1:]) / 12.0
        phi = np.concatenate(([0.0], np.cumsum(inc)))
        ln_hp = math.log(p.h_p)
        v0 = math.log(tumour0) + tumour0 / p.h_p
        t_out = np.linspace(0.0, self.t_end, (n - 1) // self.stride + 1)
        if p.r == 0.0:
            v_out = np.full(t_out.size, v0)
        else:
            r = p.r
            slope = g * h  # dΦ/ds in grid units, for a cubic Hermite Φ(t)
            inv_h = 1.0 / h
            exp = math.exp
            last = n - 1

            def rhs(t, v):
                x = t * inv_h
                i = int(x)
                if i >= last:
                    ph = float(phi[last])
                else:
                    s = x - i
                    s2 = s * s
                    s3 = s2 * s
                    ph = ((2 * s3 - 3 * s2 + 1) * float(phi[i]) + (s3 - 2 * s2 + s) * float(slope[i])
                          + (3 * s2 - 2 * s3) * float(phi[i + 1]) + (s3 - s2) * float(slope[i + 1]))
                return [r * exp(min(_log_size_scalar(v[0] + ph - ln_hp), 700.0))]

            sol = solve_ivp(rhs, (0.0, self.t_end), [v0], method="LSODA", t_eval=t_out,
                            rtol=rtol, atol=atol)
            if not sol.success or sol.y.shape[1] != t_out.size:
                raise RuntimeError(f"tumour integration failed: {sol.message} (params={p})")
            v_out = sol.y[0]
        ln_p = _log_size(v_out + phi[::self.stride] - ln_hp) + ln_hp
        return t_out, ln_p, phi, v_out


@lru_cache(maxsize=8)
def _course(p: Params, dose_days: tuple, days: float, n_points: int) -> _Course:
    return _Course(p, dose_days, days, n_points)


def _elimination_hour(course: _Course, phi, v_out, ln_p, threshold: float):
    """First time (h) the tumour falls below ``threshold`` cells, to the internal step."""
    below = np.flatnonzero(ln_p < math.log(threshold))
    if below.size == 0:
        return None
    j = int(below[0])
    if j == 0:
        return 0.0
    s = course.stride
    lo, hi = (j - 1) * s, j * s
    frac = np.arange(s + 1) / s  # v is slow: linear between output times
    v = v_out[j - 1] + (v_out[j] - v_out[j - 1]) * frac
    ln_hp = math.log(course.p.h_p)
    fine = _log_size(v + phi[lo:hi + 1] - ln_hp) + ln_hp
    k = int(np.flatnonzero(fine < math.log(threshold))[0])
    if k == 0:
        return lo * course.h
    a, b = fine[k - 1] - math.log(threshold), fine[k] - math.log(threshold)
    return (lo + k - 1 + a / (a - b)) * course.h


# ----------------------------------------------------------------------------- public API

def _schedule_args(interval_days, n_doses, dose_days, days) -> tuple:
    if dose_days is None:
        return dose_schedule(interval_days, n_doses, days)
    try:
        times = [float(d) for d in dose_days]
    except (TypeError, ValueError):
        raise ValueError(f"dose_days must be a sequence of times in days; got {dose_days!r}") from None
    for d in times:
        _real(d, "dose_days", "injection time, days")
    return tuple(sorted(d for d in times if d <= days))


def simulate(params: Params | None = None, vaccine_dose: float = DEFAULT_DOSE, *,
             interval_days: float = DEFAULT_INTERVAL_DAYS, n_doses: int = DEFAULT_N_DOSES,
             dose_days=None, days: float = DEFAULT_DAYS, tumour0: float = DEFAULT_TUMOUR0,
             blockade: float = 0.0, n_points: int = 366,
             elimination_cells: float = ELIMINATION_CELLS,
             rtol: float = 1e-6, atol: float = 1e-6) -> Result:
    """Simulate a course of vaccination (and blockade) against a tumour.

    Parameters
    ----------
    params : Params, optional
        Default: the encoded values.
    vaccine_dose : float
        Vaccine cells per injection (≥ 0).  Default: the encoding's V(0) = 10⁶.
    interval_days, n_doses : float, int
        An injection every ``interval_days`` from day 0, ``n_doses`` of them
        (default: every 28 days, 12 injections).
    dose_days : sequence of float, optional
        Explicit injection days; overrides ``interval_days`` and ``n_doses``.
    days : float
        Length of the run, days (default 730: 12 months of injections and 12 of
        follow-up).
    tumour0 : float
        Initial tumour, cells (> 0).  Default h_p = 10⁸.
    blockade : float
        Fraction (0–1) by which a blocking treatment weakens Treg suppression of
        CTLs (k_r → (1 − blockade) k_r), for the whole run.  0: the encoded model.
    n_points : int
        Output times, equally spaced from 0 to ``days`` (≥ 2; default 366: every 2 days over the default 730, so that the internal step is exactly 1 h and whole-hour injections fall on it).
    elimination_cells : float
        A tumour below this counts as eliminated and is set to 0 (default 1 cell;
        0 turns the rule off and gives the continuous model).
    rtol, atol : float
        Tolerances of LSODA for the slow tumour variable v (see Numerics).

    Returns
    -------
    Result
    """
    p = _check_params(params)
    dose = _real(vaccine_dose, "vaccine_dose", "vaccine cells per injection")
    days = _real(days, "days", "length of the run", positive=True)
    tumour0 = _real(tumour0, "tumour0", "initial tumour cells", positive=True)
    blockade = _real(blockade, "blockade", "fraction of Treg suppression blocked", at_most=1.0)
    n_points = _count(n_points, "n_points", 2)
    threshold = _real(elimination_cells, "elimination_cells", "cells")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not (0 < tol < 1):
            raise ValueError(f"{name} must be a number between 0 and 1; got {tol!r}")
    schedule = _schedule_args(interval_days, n_doses, dose_days, days)

    course = _course(p, schedule, days, n_points)
    fine, coarse, C, k_r = course.immune(dose, blockade)
    dC = p.a_c * fine[0] - (p.mu_c + k_r * fine[1]) * C
    t_out, ln_p, phi, v_out = course.tumour(C, dC, tumour0, float(rtol), float(atol))

    elim_h = _elimination_hour(course, phi, v_out, ln_p, threshold) if threshold > 0 else None
    tumour = np.exp(np.minimum(ln_p, 700.0))
    if elim_h is not None:
        tumour[t_out >= elim_h] = 0.0
    s = course.stride
    arrays = [np.linspace(0.0, days, t_out.size), coarse[0], coarse[1], fine[0, ::s], coarse[2], C[::s], fine[1, ::s],
              tumour, ln_p / math.log(10.0)]
    arrays = [np.array(a, dtype=float) for a in arrays]
    for a in arrays:
        a.flags.writeable = False
    return Result(*arrays, dose_days=course.dose_days, vaccine_dose=dose, blockade=blockade,
                  tumour0=tumour0, elimination_day=None if elim_h is None else elim_h / HOURS_PER_DAY,
                  params=p)


def classify(result: Result) -> str:
    """The outcome of a run (one of :data:`OUTCOMES`).

    ``"eliminated"``: the tumour fell below ``elimination_cells`` (one cell).
    ``"controlled"``: it did not, but it ends no larger than it started.
    ``"progressing"``: it ends larger than it started.

    The paper's own criterion could not be read; this one is the course's.  It
    depends on the length of the run: after the last injection the CTLs die out
    and any tumour left regrows (Foryś et al. 2016: "a single vaccination is not
    sufficient").
    """
    if not isinstance(result, Result):
        raise TypeError(f"expected a tumour_vaccine.Result; got {type(result).__name__}")
    if result.elimination_day is not None:
        return "eliminated"
    return "controlled" if result.tumour[-1] <= result.tumour0 else "progressing"


def describe(result: Result) -> str:
    """One deterministic line for a readout, e.g. 'day 208: tumour eliminated'."""
    outcome = classify(result)
    if outcome == "eliminated":
        return f"day {result.elimination_day:.0f}: tumour eliminated (below one cell)"
    end = result.days[-1]
    return (f"day {end:.0f}: tumour {result.tumour[-1]:.3g} cells "
            f"(started at {result.tumour0:.3g}): {outcome}")


def control_threshold(params: Params | None = None, *, interval_days: float = DEFAULT_INTERVAL_DAYS,
                      n_doses: int = DEFAULT_N_DOSES, dose_days=None, days: float = DEFAULT_DAYS,
                      tumour0: float = DEFAULT_TUMOUR0, blockade: float = 0.0,
                      dose_min: float = 1.0, dose_max: float = 1e10, rel_tol: float = 1e-3,
                      n_points: int = 366) -> float:
    """Smallest dose per injection (vaccine cells) for which :func:`classify` gives
    "eliminated" or "controlled" under this schedule.

    Doses are scanned at one per decade from ``dose_min`` to ``dose_max``, then the
    first change from "progressing" is bisected (in log dose) to ``rel_tol``.  The
    outcome need not be monotone in the dose (more vaccine also recruits more
    Tregs), so a controlling window narrower than a decade could be missed; none
    was found over :data:`RANGES`.  Returns 0.0 if no vaccine is needed and
    ``math.inf`` if no dose up to ``dose_max`` controls.
    """
    p = _check_params(params)
    days = _real(days, "days", "length of the run", positive=True)
    dose_min = _real(dose_min, "dose_min", "vaccine cells", positive=True)
    dose_max = _real(dose_max, "dose_max", "vaccine cells", positive=True)
    if dose_max <= dose_min:
        raise ValueError(f"dose_max must exceed dose_min; got {dose_min!r}, {dose_max!r}")
    rel_tol = _real(rel_tol, "rel_tol", "relative tolerance", positive=True)
    kwargs = dict(dose_days=_schedule_args(interval_days, n_doses, dose_days, days), days=days,
                  tumour0=tumour0, blockade=blockade, n_points=n_points)

    def controls(dose: float) -> bool:
        return classify(simulate(p, dose, **kwargs)) != "progressing"

    if controls(0.0):
        return 0.0
    decades = max(1, math.ceil(math.log10(dose_max / dose_min) - 1e-9))
    grid = np.geomspace(dose_min, dose_max, decades + 1)
    lo = None
    for hi in grid:
        if controls(float(hi)):
            break
        lo = float(hi)
    else:
        return math.inf
    if lo is None:
        return float(grid[0])
    hi = float(hi)
    while hi / lo - 1.0 > rel_tol:
        mid = math.sqrt(lo * hi)
        lo, hi = (lo, mid) if controls(mid) else (mid, hi)
    return hi


def steady_state(params: Params | None = None, dose_rate_per_day: float = DEFAULT_DOSE / DEFAULT_INTERVAL_DAYS,
                 blockade: float = 0.0) -> SteadyState:
    """Steady state of the immune equations under continuous vaccination.

    ``dose_rate_per_day`` vaccine cells/day enter V at a constant rate (the
    default spreads the default dose over its 28-day interval).  See
    :class:`SteadyState` and the module docstring for the formulas.
    """
    p = _check_params(params)
    rho = _real(dose_rate_per_day, "dose_rate_per_day", "vaccine cells per day") / HOURS_PER_DAY
    blockade = _real(blockade, "blockade", "fraction of Treg suppression blocked", at_most=1.0)
    dc_presenting = p.alpha * rho / p.k_cr
    dc_regulatory = p.alpha * rho / p.mu_d
    treg = p.a_r * dc_regulatory / p.mu_r
    ctl = p.a_c * dc_presenting / (p.mu_c + (1.0 - blockade) * p.k_r * treg)
    kill = p.a_p * ctl
    if kill <= p.r:
        threshold = 0.0
    elif p.r == 0.0:
        threshold = math.inf
    else:
        threshold = p.h_p * (kill / p.r - 1.0)
    return SteadyState(vaccine=rho / p.k_i, dc_migrating=rho / p.k_m, dc_presenting=dc_presenting,
                       dc_regulatory=dc_regulatory, ctl=ctl, treg=treg,
                       kill_rate_per_day=kill * HOURS_PER_DAY, tumour_threshold=threshold)


def ctl_ceiling(params: Params | None = None, blockade: float = 0.0) -> float:
    """Most CTLs any rate of continuous vaccination can sustain, a_c μ_d μ_r / (k_cr k_r' a_r).

    k_r' = (1 − blockade) k_r.  Tregs rise in step with the dose, so the steady
    CTL count saturates at this value (inf when k_r' a_r = 0).
    """
    p = _check_params(params)
    blockade = _real(blockade, "blockade", "fraction of Treg suppression blocked", at_most=1.0)
    denominator = p.k_cr * (1.0 - blockade) * p.k_r * p.a_r
    return math.inf if denominator == 0 else p.a_c * p.mu_d * p.mu_r / denominator
