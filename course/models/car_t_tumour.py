r"""CAR T cells against B-cell leukaemia and normal B cells: the León-Triana et al. (2021) model.

León-Triana O, Sabir S, Calvo GF, Belmonte-Beitia J, Chulián S, Martínez-Rubio Á, Rosa M,
Pérez-Martínez A, Ramírez-Orellana M, Pérez-García VM (2021) "CAR T cell therapy in B-cell
acute lymphoblastic leukaemia: insights from mathematical models", Commun Nonlinear Sci
Numer Simul 94:105570, doi:10.1016/j.cnsns.2020.105570.  Curated in BioModels as
BIOMD0000001011 (the paper's Eqs. 4a-4c, "Figure 2 ... was reproduced") and BIOMD0000001012
(Eqs. 3a-3c, "Figure 7a ... was reproduced").

The full model of the paper follows five populations: CAR T cells :math:`C`, leukaemic cells
:math:`L`, mature normal B cells :math:`B`, CD19⁻ haematopoietic stem cells :math:`P` and
CD19⁺ B-cell progenitors :math:`I`.  Its reduced form (the paper's Eqs. 3, as encoded in
BIOMD0000001012) replaces the marrow compartments by a progenitor pool that CAR T cells
deplete, :math:`I(C) = I_0/(1 + C/C_{50})`.  In cells and days:

.. math::

    \frac{dC}{dt} &= \rho_C\,\bigl(L^{+} + B + \beta\,I(C)\bigr)\,C - \frac{C}{\tau_C},\\
    \frac{dL^{+}}{dt} &= \rho_L\,L^{+} - \alpha\,L^{+} C,\\
    \frac{dB}{dt} &= \frac{I(C)}{\tau_I} - \alpha\,B\,C - \frac{B}{\tau_B},
    \qquad \rho_C = k\,\alpha .

CAR T cells divide on meeting CD19⁺ cells (leukaemic, mature B and, through the fraction
:math:`\beta` of CAR T cells in the marrow, progenitors) and die with lifetime
:math:`\tau_C`; they kill leukaemic and normal B cells alike (rate :math:`\alpha`): the
normal B cells vanish (**B-cell aplasia**) and come back only when the CAR T cells have
fallen far enough for the progenitors to refill them.  The leukaemia grows exponentially
(:math:`\rho_L`); with :math:`I_0 = 0` the system is the paper's Eqs. 4 (its Figs. 2-6).
Because a continuous model never reaches zero, a leukaemia pushed down by four or five
logs regrows once the CAR T cells have waned, and the CAR T cells then expand again: the
predator-prey cycles the paper proposes as the mechanism of **CD19⁺ relapse** (its Fig. 6,
"CD19⁺ relapses could be a dynamical phenomenon", and Fig. 7).

The progenitor term of :math:`dC/dt`: the paper's full model writes it :math:`\rho_\beta I C`;
BIOMD0000001012 encodes ``rho_C*beta*I_0/(1+C/C_50)`` without the factor :math:`C` (then not a
number of cells per day).  Here :math:`\rho_\beta = \beta\rho_C` as in that encoding, with the
factor :math:`C` that the units require.  Either way the term is under 1 % of the CAR T death
rate for the Fig. 7 pools (:math:`\rho_C\beta I_0 = 5.6\times10^{-4}` /day at
:math:`I_0 = 5\times10^8` against :math:`1/\tau_C = 0.071` /day) and moves the Fig. 7 relapse
peaks by less than 2 %.

**Course extension (not in the paper): CD19-negative leukaemia.**  A fraction :math:`f` of
the leukaemic cells present at infusion lacks the antigen.  These cells grow like the
CD19⁺ ones (same :math:`\rho_L`), are not killed by CAR T cells and do not stimulate them,
so they follow the exact solution

.. math::

    L^{-}(t) = f\,L_0\,e^{\rho_L t}, \qquad L^{+}(0) = (1 - f)\,L_0, \qquad L = L^{+} + L^{-}.

With :math:`f = 0` this is the paper's model unchanged.  Any :math:`f > 0` makes an
antigen-negative relapse a matter of time, the sooner the larger :math:`f`.

Numerics.  The three ODEs are integrated in :math:`(\ln C, \ln L^{+}, \ln B)`, which keeps
every population positive and resolves the 10⁵-fold swings of the predator-prey cycles with
the same relative accuracy.  ``scipy.integrate.odeint`` (LSODA, analytic Jacobian) is used
rather than ``solve_ivp(method="LSODA")``: on this system the same algorithm took 2 ms per
730-day run against 10 ms through ``solve_ivp``'s Python stepping.  Readouts (nadir,
threshold crossings) are taken on an internal grid of at most 0.125 day and interpolated in
log space; the returned arrays are a subsample of that grid.

Readouts (course conventions, not the paper's): remission when the total leukaemia falls
below :data:`MRD_DETECTION_FRACTION` (10⁻⁴) of its size at infusion, relapse when it climbs
back above that level, B-cell aplasia while normal B cells are below
:data:`APLASIA_FRACTION` (1 %) of their number at infusion.

Where the numbers were read.  The paper's full text could not be opened here.  Its
equations, its parameter table (Table 1 ranges) and its Figs. 2, 3, 5, 6 and 7 were read as
images reproduced in a student presentation of the paper (GitHub erkara/cancer_immunology,
``presentations/Jasmin-Kristen_CAR T Cell Therapy in B-cell Acute Leukemia``); the point
values used for the figures come from the BioModels encodings BIOMD0000001011 and
BIOMD0000001012 (COPASI/SBML files in GitHub sys-bio/temp-biomodels, ``final/BIOMD000000101[12]``);
the abstract and highlights were read on public abstract pages.

Pure numerics: nothing here plots or prints.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import odeint

__all__ = [
    "PAPER_DOI", "DEFAULT_DOSE", "DEFAULT_LEUKAEMIA0", "DEFAULT_B_CELLS0",
    "MRD_DETECTION_FRACTION", "APLASIA_FRACTION", "FIG7_I0", "LOW_STIMULATION_K",
    "LONG_LIVED_TAU_C", "RTOL", "ATOL", "ANTIGEN_KINDS",
    "Params", "Readouts", "Trajectory", "Equilibrium",
    "simulate", "rhs", "progenitors", "max_expansion_estimate",
    "coexistence_equilibrium", "critical_progenitor_pool",
]

PAPER_DOI = "10.1016/j.cnsns.2020.105570"

#: CAR T cells infused, cells: 10⁷, the initial CAR T number of BIOMD0000001011 (the
#: curation of the paper's Fig. 2).  The Fig. 2b inset's "×1640 expansion" to a peak of
#: about 1.6×10¹⁰ cells agrees with this dose.
DEFAULT_DOSE = 1.0e7

#: Leukaemic cells at infusion, cells: 5×10¹⁰ (BIOMD0000001011; the curves of the paper's
#: Figs. 2-7 start at 5 ×10¹⁰).
DEFAULT_LEUKAEMIA0 = 5.0e10

#: Normal mature B cells at infusion, cells: 2.5×10¹⁰ (BIOMD0000001011; Figs. 2-7 start at
#: 2.5 ×10¹⁰).
DEFAULT_B_CELLS0 = 2.5e10

#: Remission threshold as a fraction of the leukaemia at infusion: 10⁻⁴, the usual
#: sensitivity of minimal-residual-disease tests in ALL.  A multicentre ALL MRD study
#: (Leukemia, doi:10.1038/leu.2012.234; abstract read at nature.com) reports "a robust,
#: reproducible, sensitivity of at least 0.01%" for IG/TCR quantitative PCR and compares flow
#: cytometry at the same "<0.01% or ⩾0.01%" cut-off.  Using the burden at infusion as the
#: reference (a marrow mostly replaced by blasts) is this course's simplification; the paper
#: itself defines no detection threshold.
MRD_DETECTION_FRACTION = 1.0e-4

#: B-cell aplasia threshold as a fraction of the normal B cells at infusion: 1 %.  A course
#: convention: clinical definitions count CD19⁺ cells among blood lymphocytes, which this
#: whole-body model does not track.
APLASIA_FRACTION = 0.01

#: The three progenitor pools of the paper's Fig. 7 (labelled "I₀ = 10⁷, 3×10⁸, 5×10⁸ cells
#: day⁻¹"), cells.  BIOMD0000001012 encodes 10⁷.
FIG7_I0 = (1.0e7, 3.0e8, 5.0e8)

#: k = ρ_C/α of the "Low stimulation" curves of Fig. 3b,c.  The caption's value could not
#: be read; 0.05, the lower end of Table 1's range "0.05 − 2", reproduces the figure (a
#: leukaemia peak of ~1.07×10¹¹ cells near day 28, a CAR T peak near day 43).
LOW_STIMULATION_K = 0.05

#: τ_C of the dotted curves of Fig. 5.  Not read from the caption; 30 days, the upper end of
#: Table 1's "14 − 30", reproduces the figure's CAR T peak of ~1.9×10¹⁰ cells.
LONG_LIVED_TAU_C = 30.0

#: Default tolerances of :func:`simulate`, on (ln C, ln L⁺, ln B): relative accuracy on the
#: cell numbers.  Results change by < 10⁻³ (relative) when both are tightened 1000-fold
#: (see the tests).
RTOL = 1e-8
ATOL = 1e-8

#: Values of :attr:`Readouts.relapse_antigen` when there is a relapse.
ANTIGEN_KINDS = ("CD19-positive", "CD19-negative")

_MAX_INTERNAL_STEP_DAYS = 0.125   # readout grid spacing (days) at most
_MAX_INTERNAL_POINTS = 40_001


def _number(value, name: str, meaning: str, *, positive: bool = True, upper: float | None = None) -> float:
    """``value`` as a finite float (> 0, or ≥ 0 when not ``positive``), or a ValueError saying why."""
    bound = "> 0" if positive else "≥ 0"
    if upper is not None:
        bound += f" and < {upper:g}"
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real)
    v = float("nan") if bad else float(value)
    if bad or not math.isfinite(v) or v < 0 or (positive and v == 0) or (upper is not None and v >= upper):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    return v


@dataclass(frozen=True)
class Params:
    r"""Rate constants, in cells and days; defaults are the paper's values.

    Table 1 of León-Triana et al. 2021 (doi:10.1016/j.cnsns.2020.105570) gives ranges; the
    point values are those of the BioModels encodings of the paper's Figs. 2 and 7
    (BIOMD0000001011, BIOMD0000001012), which lie inside those ranges.  Variants:
    ``dataclasses.replace(Params(), k=0.05)``.

    Attributes
    ----------
    alpha : float
        Killing efficiency of CAR T cells, /(cell·day): 4.5e-11 (BioModels); Table 1:
        "Killing efficiency of CAR T cells ∼10⁻¹¹ day⁻¹ × cell⁻¹".  Kills leukaemic and
        normal B cells alike.
    k : float
        Ratio ρ_C/α, dimensionless: 0.25 (BioModels: ``rho_C = 0.25*alpha``); Table 1:
        "ρ_C and α ratio 0.05 − 2".  The number of new CAR T cells per CD19⁺ cell killed.
    tau_c : float
        Activated CAR T cell lifetime, days: 14 (BioModels); Table 1: "14 − 30 day".
    rho_l : float
        Leukaemic growth rate, /day: 1/30 (BioModels 0.0333); Table 1: "1/30 − 1/60 day⁻¹".
    tau_b : float
        Mature B-lymphocyte lifetime, days: 60 (BioModels); Table 1: "30 − 60 day".
    tau_i : float
        Lifetime of immature marrow B cells (progenitors), days: 6 (BIOMD0000001012);
        Table 1: "Immature bone marrow B cell lifetime 2 − 6 day".
    beta : float
        Fraction of CAR T cells in the bone marrow, dimensionless: 0.1 (BIOMD0000001012);
        Table 1: "0.01 − 0.5".  Scales the stimulation of CAR T cells by progenitors.
    c50 : float
        CAR T number that halves the progenitor pool, cells: 1e9 (BIOMD0000001012, parameter
        ``C_50``; not among the Table 1 rows that could be read).
    i0 : float
        CD19⁺ progenitor pool without CAR T cells, cells; the B-cell supply is i0/τ_I per
        day.  Default 3e8, the middle value of the paper's Fig. 7 (1e7, 3e8, 5e8, labelled
        "cells day⁻¹" there; BIOMD0000001012 encodes 1e7).  With 1e7 normal B cells settle at
        τ_B·i0/τ_I = 10⁸, under 1 % of their number at infusion, so B-cell aplasia never ends;
        3e8 lets them recover (to 3×10⁹), which the course's aplasia readout needs.  0 gives
        the paper's Eqs. 4 (no B-cell production; its Figs. 2-6).
    """

    alpha: float = 4.5e-11
    k: float = 0.25
    tau_c: float = 14.0
    rho_l: float = 1.0 / 30.0
    tau_b: float = 60.0
    tau_i: float = 6.0
    beta: float = 0.1
    c50: float = 1.0e9
    i0: float = 3.0e8

    def __post_init__(self):
        meanings = {
            "alpha": ("CAR T killing efficiency, /(cell·day)", True),
            "k": ("ratio rho_C/alpha, dimensionless", True),
            "tau_c": ("CAR T lifetime, days", True),
            "rho_l": ("leukaemic growth rate, /day", True),
            "tau_b": ("mature B-cell lifetime, days", True),
            "tau_i": ("progenitor lifetime, days", True),
            "beta": ("fraction of CAR T cells in the marrow", False),
            "c50": ("CAR T cells halving the progenitor pool, cells", True),
            "i0": ("progenitor pool without CAR T cells, cells", False),
        }
        for name, (meaning, positive) in meanings.items():
            object.__setattr__(self, name, _number(getattr(self, name), f"Params.{name}", meaning,
                                                   positive=positive))

    @property
    def rho_c(self) -> float:
        """Mitotic stimulation of CAR T cells by CD19⁺ cells, ρ_C = k·α, /(cell·day)."""
        return self.k * self.alpha

    @property
    def b_cell_steady_state(self) -> float:
        """Normal B cells without CAR T cells, τ_B·i0/τ_I (cells)."""
        return self.tau_b * self.i0 / self.tau_i


def _check_params(params) -> Params:
    if params is None:
        return Params()
    if not isinstance(params, Params):
        raise TypeError(f"params must be a car_t_tumour.Params; got {type(params).__name__}")
    return params


def progenitors(params: Params, car_t):
    """Progenitor pool I(C) = i0/(1 + C/c50) (cells) for CAR T number(s) ``car_t``."""
    p = _check_params(params)
    c = np.asarray(car_t, dtype=float)
    return p.i0 / (1.0 + c / p.c50)


def rhs(params: Params, car_t, cd19_pos, b_cells):
    """The vector field (dC/dt, dL⁺/dt, dB/dt) in cells/day, vectorised over numpy arrays.

    CD19-negative cells do not enter: they grow as :math:`\\rho_L L^-` whatever the others do.
    """
    p = _check_params(params)
    c = np.asarray(car_t, dtype=float)
    lp = np.asarray(cd19_pos, dtype=float)
    b = np.asarray(b_cells, dtype=float)
    i = p.i0 / (1.0 + c / p.c50)
    dc = p.rho_c * (lp + b + p.beta * i) * c - c / p.tau_c
    dl = p.rho_l * lp - p.alpha * lp * c
    db = i / p.tau_i - p.alpha * b * c - b / p.tau_b
    return dc, dl, db


def _log_system(p: Params):
    """RHS and Jacobian in (u, v, w) = (ln C, ln L⁺, ln B), plain-float closures for odeint.

    The B-cell supply enters as s = I/(τ_I B) = exp(ln(I/τ_I) - w), so a B-cell number that
    underflows to 0 cannot divide by zero; exponents are capped at 700 (e⁷⁰⁰ ≈ 10³⁰⁴) so
    that no trial step of the solver overflows.
    """
    rho_c, alpha, inv_tc, rho_l = p.rho_c, p.alpha, 1.0 / p.tau_c, p.rho_l
    inv_tb, beta, i0, c50 = 1.0 / p.tau_b, p.beta, p.i0, p.c50
    log_supply0 = math.log(i0 / p.tau_i) if i0 > 0 else None
    exp, log1p = math.exp, math.log1p
    cap = 700.0

    def populations(state):
        u, v, w = state.tolist()  # plain floats: much faster than numpy scalars
        c = exp(u if u < cap else cap)
        lp = exp(v if v < cap else cap)
        b = exp(w if w < cap else cap)
        x = c / c50
        if log_supply0 is None:
            return c, lp, b, x, 0.0, 0.0
        z = log_supply0 - log1p(x) - w
        return c, lp, b, x, i0 / (1.0 + x), exp(z if z < cap else cap)

    def f(t, state):
        c, lp, b, x, i, supply = populations(state)
        return (rho_c * (lp + b + beta * i) - inv_tc,
                rho_l - alpha * c,
                supply - alpha * c - inv_tb)

    def jac(t, state):
        c, lp, b, x, i, supply = populations(state)
        shrink = x / (1.0 + x)  # -(C/I)·dI/dC
        return ((-rho_c * beta * i * shrink, rho_c * lp, rho_c * b),
                (-alpha * c, 0.0, 0.0),
                (-supply * shrink - alpha * c, 0.0, -supply))

    return f, jac


@dataclass(frozen=True)
class Readouts:
    """What an explainer reports about one simulation (days from infusion, cells).

    Attributes
    ----------
    peak_car_t_cells, peak_car_t_day : float
        First CAR T expansion peak (the first local maximum; day 0 if they only decline).
    expansion_fold : float
        ``peak_car_t_cells`` / dose.
    nadir_cells, nadir_day : float
        Smallest total leukaemia (CD19⁺ + CD19⁻) of the first response: its first local
        minimum, or the smallest value in the window if it has none.
    detection_threshold_cells : float
        MRD detection level, ``detection_fraction`` × leukaemia at infusion.
    remission : bool
        True when the total leukaemia fell below the detection level.
    remission_day : float or None
        First day below the detection level.
    relapse_day : float or None
        First day after remission at which the total leukaemia is detectable again.
    relapse_antigen : str or None
        "CD19-negative" if antigen-negative cells outnumber CD19⁺ ones at relapse, else
        "CD19-positive"; None without relapse.
    aplasia_threshold_cells : float
        ``aplasia_fraction`` × normal B cells at infusion.
    aplasia_start_day, aplasia_end_day : float or None
        First episode of B-cell aplasia (B below the threshold); end None while ongoing.
    aplasia_days : float
        Duration of that episode, up to the end of the window if it is ongoing (0 if none).
    aplasia_ongoing : bool
        B cells still below the threshold at the end of the window.
    """

    peak_car_t_cells: float
    peak_car_t_day: float
    expansion_fold: float
    nadir_cells: float
    nadir_day: float
    detection_threshold_cells: float
    remission: bool
    remission_day: float | None
    relapse_day: float | None
    relapse_antigen: str | None
    aplasia_threshold_cells: float
    aplasia_start_day: float | None
    aplasia_end_day: float | None
    aplasia_days: float
    aplasia_ongoing: bool


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A simulation: ``days`` and cell numbers (read-only arrays), its inputs and readouts."""

    days: np.ndarray
    car_t: np.ndarray
    cd19_pos: np.ndarray
    cd19_neg: np.ndarray
    b_cells: np.ndarray
    params: Params
    dose: float
    cd19_negative_fraction: float
    leukaemia0: float
    b_cells0: float
    readouts: Readouts = field(repr=False)

    def __post_init__(self):
        for name in ("days", "car_t", "cd19_pos", "cd19_neg", "b_cells"):
            a = np.array(getattr(self, name), dtype=float)
            a.setflags(write=False)
            object.__setattr__(self, name, a)

    @property
    def leukaemia(self) -> np.ndarray:
        """Total leukaemic cells, CD19⁺ + CD19⁻."""
        return self.cd19_pos + self.cd19_neg


# ---------------------------------------------------------------------------- readouts

def _crossing(t, logx, log_level, start: int, downward: bool):
    """First time at index ≥ ``start`` where log x crosses ``log_level`` (linear in log)."""
    seg = logx[start:]
    hit = seg < log_level if downward else seg >= log_level
    if not hit.any():
        return None, None
    j = start + int(np.argmax(hit))
    if j == 0 or j == start:
        return float(t[j]), j
    x0, x1 = logx[j - 1], logx[j]
    frac = (log_level - x0) / (x1 - x0) if x1 != x0 else 1.0
    return float(t[j - 1] + frac * (t[j] - t[j - 1])), j


def _extremum(t, logx, i):
    """Parabolic refinement of an interior extremum at index i: (time, value of log x)."""
    if i <= 0 or i >= len(t) - 1:
        return float(t[i]), float(logx[i])
    y0, y1, y2 = logx[i - 1], logx[i], logx[i + 1]
    denom = y0 - 2.0 * y1 + y2
    if denom == 0.0:
        return float(t[i]), float(y1)
    shift = 0.5 * (y0 - y2) / denom  # in grid steps, within (-1, 1)
    shift = max(-1.0, min(1.0, shift))
    h = t[i + 1] - t[i]
    return float(t[i] + shift * h), float(y1 - 0.25 * (y0 - y2) * shift)


def _first_local(logx, maximum: bool):
    """Index of the first interior local maximum (or minimum) of ``logx``, or None."""
    d = np.diff(logx)
    if not maximum:
        d = -d
    turn = np.flatnonzero((d[:-1] > 0) & (d[1:] <= 0))
    return int(turn[0]) + 1 if turn.size else None


def _readouts(t, log_c, log_lp, log_neg0, rho_l, log_b, dose, leukaemia0, b_cells0,
              detection_fraction, aplasia_fraction) -> Readouts:
    # CAR T expansion peak
    if log_c[1] <= log_c[0]:
        peak_t, peak_log = float(t[0]), float(log_c[0])
    else:
        i = _first_local(log_c, maximum=True)
        peak_t, peak_log = _extremum(t, log_c, i) if i is not None else (float(t[-1]), float(log_c[-1]))
    peak = math.exp(peak_log)

    # total leukaemia and its first nadir
    log_l = np.logaddexp(log_lp, log_neg0 + rho_l * t)
    i = _first_local(log_l, maximum=False)
    if i is None:
        i = int(np.argmin(log_l))
        nadir_t, nadir_log = float(t[i]), float(log_l[i])
    else:
        nadir_t, nadir_log = _extremum(t, log_l, i)
    threshold = detection_fraction * leukaemia0
    log_thr = math.log(threshold)
    remission_day, j = _crossing(t, log_l, log_thr, 0, downward=True)
    relapse_day = relapse_antigen = None
    if remission_day is not None:
        relapse_day, _ = _crossing(t, log_l, log_thr, j, downward=False)
        if relapse_day is not None:
            pos = np.interp(relapse_day, t, log_lp)
            neg = log_neg0 + rho_l * relapse_day  # exact: CD19⁻ cells grow exponentially
            relapse_antigen = ANTIGEN_KINDS[1] if neg > pos else ANTIGEN_KINDS[0]

    # B-cell aplasia
    b_threshold = aplasia_fraction * b_cells0
    log_bthr = math.log(b_threshold)
    start, j = _crossing(t, log_b, log_bthr, 0, downward=True)
    end = None
    if start is not None:
        end, _ = _crossing(t, log_b, log_bthr, j, downward=False)
    ongoing = start is not None and end is None
    duration = 0.0 if start is None else (end if end is not None else float(t[-1])) - start

    return Readouts(
        peak_car_t_cells=peak, peak_car_t_day=peak_t, expansion_fold=peak / dose,
        nadir_cells=math.exp(nadir_log), nadir_day=nadir_t, detection_threshold_cells=threshold,
        remission=remission_day is not None, remission_day=remission_day,
        relapse_day=relapse_day, relapse_antigen=relapse_antigen,
        aplasia_threshold_cells=b_threshold, aplasia_start_day=start, aplasia_end_day=end,
        aplasia_days=float(duration), aplasia_ongoing=ongoing,
    )


# ---------------------------------------------------------------------------- simulate

def simulate(params: Params | None = None, dose: float = DEFAULT_DOSE,
             cd19_negative_fraction: float = 0.0, *,
             leukaemia0: float = DEFAULT_LEUKAEMIA0, b_cells0: float = DEFAULT_B_CELLS0,
             t_end: float = 730.0, n_points: int = 366,
             detection_fraction: float = MRD_DETECTION_FRACTION,
             aplasia_fraction: float = APLASIA_FRACTION,
             rtol: float = RTOL, atol: float = ATOL) -> Trajectory:
    """Infuse ``dose`` CAR T cells at day 0 and follow all populations for ``t_end`` days.

    Parameters
    ----------
    params : Params, optional
        Rate constants (default :class:`Params()`).
    dose : float
        CAR T cells infused (> 0).  Default 10⁷, the paper's Fig. 2.
    cd19_negative_fraction : float
        Fraction f (0 ≤ f < 1) of the leukaemic cells at infusion that lack CD19 (course
        extension; 0 is the paper's model).
    leukaemia0, b_cells0 : float
        Leukaemic and normal B cells at infusion (> 0); defaults 5×10¹⁰ and 2.5×10¹⁰.
    t_end : float
        Days simulated (> 0); default 730 (two years).
    n_points : int
        Equally spaced output times including 0 and ``t_end`` (≥ 2; 200-400 for a figure).
    detection_fraction, aplasia_fraction : float
        Thresholds of the readouts (0 < value < 1), see :class:`Readouts`.
    rtol, atol : float
        Solver tolerances on the logarithms of the cell numbers.

    Returns
    -------
    Trajectory
        Arrays ``days``, ``car_t``, ``cd19_pos``, ``cd19_neg``, ``b_cells`` and
        ``readouts``.  All values are finite and positive (``cd19_neg`` is 0 when f = 0).
    """
    p = _check_params(params)
    dose = _number(dose, "dose", "CAR T cells infused")
    f = _number(cd19_negative_fraction, "cd19_negative_fraction",
                "fraction of leukaemic cells lacking CD19", positive=False, upper=1.0)
    leukaemia0 = _number(leukaemia0, "leukaemia0", "leukaemic cells at infusion")
    b_cells0 = _number(b_cells0, "b_cells0", "normal B cells at infusion")
    t_end = _number(t_end, "t_end", "days simulated")
    detection_fraction = _number(detection_fraction, "detection_fraction",
                                 "MRD level as a fraction of the leukaemia at infusion", upper=1.0)
    aplasia_fraction = _number(aplasia_fraction, "aplasia_fraction",
                               "aplasia level as a fraction of the B cells at infusion", upper=1.0)
    rtol = _number(rtol, "rtol", "relative tolerance")
    atol = _number(atol, "atol", "absolute tolerance on log cell numbers")
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be an integer ≥ 2; got {n_points!r}")
    n_points = int(n_points)

    # internal grid: a multiple of the output grid, spacing ≤ 0.125 day where affordable
    step = t_end / (n_points - 1)
    refine = max(1, math.ceil(step / _MAX_INTERNAL_STEP_DAYS))
    refine = max(1, min(refine, (_MAX_INTERNAL_POINTS - 1) // (n_points - 1)))
    t = np.linspace(0.0, t_end, (n_points - 1) * refine + 1)

    fun, jac = _log_system(p)
    y0 = np.log([dose, (1.0 - f) * leukaemia0, b_cells0])
    sol, info = odeint(fun, y0, t, Dfun=jac, tfirst=True, rtol=rtol, atol=atol,
                       mxstep=50_000, full_output=True)
    if info["message"] != "Integration successful.":  # pragma: no cover - not reached at sane inputs
        raise RuntimeError(f"odeint failed: {info['message']}")
    log_c, log_lp, log_b = sol[:, 0], sol[:, 1], sol[:, 2]
    log_neg0 = math.log(f * leukaemia0) if f > 0 else -math.inf
    readouts = _readouts(t, log_c, log_lp, log_neg0, p.rho_l, log_b, dose, leukaemia0, b_cells0,
                         detection_fraction, aplasia_fraction)
    out = slice(None, None, refine)
    return Trajectory(
        days=t[out], car_t=np.exp(log_c[out]), cd19_pos=np.exp(log_lp[out]),
        cd19_neg=f * leukaemia0 * np.exp(p.rho_l * t[out]), b_cells=np.exp(log_b[out]), params=p, dose=dose,
        cd19_negative_fraction=f, leukaemia0=leukaemia0, b_cells0=b_cells0, readouts=readouts,
    )


# ---------------------------------------------------------------------------- analytics

def max_expansion_estimate(params: Params | None = None, dose: float = DEFAULT_DOSE,
                           leukaemia0: float = DEFAULT_LEUKAEMIA0,
                           b_cells0: float = DEFAULT_B_CELLS0) -> float:
    r"""The paper's estimate of the CAR T peak, :math:`C_0 + k\,(L_0 + B_0 - 1/(\rho_C\tau_C))`.

    Drawn as the dashed line of its Fig. 2a (written there as
    :math:`C_0 + k(T_0 + B_0 - 1/(\rho_C \tau_C))`).  It follows from
    :math:`d(C + k(L + B))/dt = -C/\tau_C + k\rho_L L - kB/\tau_B` when growth and deaths are
    neglected during the expansion, which ends when :math:`L + B` has fallen to
    :math:`1/(\rho_C\tau_C)`: an upper estimate, independent of the dose when the dose is small.
    """
    p = _check_params(params)
    return dose + p.k * (leukaemia0 + b_cells0 - 1.0 / (p.rho_c * p.tau_c))


@dataclass(frozen=True)
class Equilibrium:
    """A steady state (cells): CAR T, CD19⁺ leukaemia, normal B cells."""

    car_t: float
    cd19_pos: float
    b_cells: float


def coexistence_equilibrium(params: Params | None = None) -> Equilibrium | None:
    r"""The steady state with leukaemia and CAR T cells both present, or None if there is none.

    From :math:`dL^+/dt = 0`: :math:`C^* = \rho_L/\alpha`.  Then
    :math:`I^* = I_0/(1 + C^*/C_{50})`, :math:`dB/dt = 0` gives
    :math:`B^* = I^*/(\tau_I(\rho_L + 1/\tau_B))` and :math:`dC/dt = 0` gives
    :math:`L^* = 1/(\rho_C\tau_C) - B^* - \beta I^*`, which must be positive.  (Derived here,
    not quoted from the paper.)  With I₀ = 0 it is the centre of the paper's predator-prey
    cycles; more progenitors shrink :math:`L^*` and damp the cycles (Fig. 7).
    """
    p = _check_params(params)
    c = p.rho_l / p.alpha
    i = p.i0 / (1.0 + c / p.c50)
    b = i / (p.tau_i * (p.rho_l + 1.0 / p.tau_b))
    lp = 1.0 / (p.rho_c * p.tau_c) - b - p.beta * i
    return Equilibrium(c, lp, b) if lp > 0 else None


def critical_progenitor_pool(params: Params | None = None) -> float:
    r"""Progenitor pool I₀ (cells) above which the leukaemia cannot persist.

    It is the I₀ at which the coexistence state reaches :math:`L^* = 0` (a transcritical
    bifurcation): above it normal B cells alone keep enough CAR T cells alive
    (:math:`\alpha C > \rho_L`) to make the leukaemia shrink.  Setting :math:`L^* = 0` in
    :func:`coexistence_equilibrium`:

    .. math::

        I_0^{crit} = \frac{1 + \rho_L/(\alpha C_{50})}
                          {\rho_C\tau_C\,\bigl(1/(\tau_I(\rho_L + 1/\tau_B)) + \beta\bigr)} .

    Derived here.  Serrano et al. (2024, arXiv:2403.00340) report for a model of the same
    group "tumor eradication contingent on the continuous influx of B-cells, uncovering a
    transcritical bifurcation at a critical B-cell input"; their value is not reproduced here.
    """
    p = _check_params(params)
    c = p.rho_l / p.alpha
    return (1.0 + c / p.c50) / (p.rho_c * p.tau_c * (1.0 / (p.tau_i * (p.rho_l + 1.0 / p.tau_b)) + p.beta))
