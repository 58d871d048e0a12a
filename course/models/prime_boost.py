r"""Antibody titres after a priming series and a booster: the biphasic model of White et al. (2015).

Source model
------------
White MT, Verity R, Griffin JT, Asante KP, Owusu-Agyei S, Greenwood B, Drakeley C, ... Riley EM,
Ghani AC (2015) "Immunogenicity of the RTS,S/AS01 malaria vaccine and implications for duration of
vaccine efficacy: secondary analysis of data from a phase 3 randomised controlled trial", Lancet
Infect Dis 15(12):1450-1458, doi:10.1016/S1473-3099(15)00239-X (open access, PMC4655306).

RTS,S/AS01 is a protein-subunit vaccine: the circumsporozoite (CS) protein of *Plasmodium
falciparum* "fused to HBsAg" (hepatitis B surface antigen; Bojang et al. 2009, Hum Vaccin 5:242,
doi:10.4161/hv.5.4.7050).  Its phase 3 trial in African children gave three priming doses at months
0, 1 and 2 and a booster "18 months after primary vaccination (M20)" (Sánchez L, Vidal M, Jairoce C,
Aguilar R, Ubillos I, et al. 2020, npj Vaccines 5:46, doi:10.1038/s41541-020-0192-7).  It is used here
because it is a published prime-boost antibody model whose fitted numbers could be read and checked
(see *Provenance*).  The same two-timescale idea, a fast early decline and a slow long-lived phase, is
how HPV-vaccine antibody persistence has been modelled: Fraser C et al. (2007) Vaccine 25:4324-4333,
doi:10.1016/j.vaccine.2007.02.069, compared "a conventional model of antibody decay" with "a modified
model that accounts for long-lived immune memory" (abstract; that model's parameters could not be read).

Equations
---------
Time :math:`t` is in days from the end of the priming series (the third dose); titres are anti-CS
IgG in ELISA units per mL (EU/mL).  The model starts each response at its peak and does not describe
the rise: as in the encoding, the peak is placed at the dose (the trials measured it about a month
later, e.g. "before and 1 month after 3 priming doses", Sagara et al. 2022, Clin Infect Dis
75:613-622, doi:10.1093/cid/ciab1017).  Each vaccination :math:`k` (prime :math:`p` at
:math:`t_p = 0`, booster :math:`b` at :math:`t_b`) starts a curve that begins at its peak
:math:`C_k` and decays as the sum of a short-lived and a long-lived component:

.. math::

    A_k(t) = s(D_k)\,C_k\left[(1 - f_k)\,e^{-\lambda_s (t - t_k)} + f_k\,e^{-\lambda_l (t - t_k)}\right],
    \qquad t \ge t_k,
    \qquad \lambda_{s,l} = \frac{\ln 2}{t_{1/2,\,s\,/\,l}},

and :math:`A_k(t) = 0` before :math:`t_k`.  :math:`f_k` is the fraction of the response that is
long-lived (the paper's :math:`1 - \rho`): it is larger after the booster than after the priming
series, which is what makes a booster response last longer.  The two components are read as
antibody made by short-lived and by long-lived antibody-secreting (plasma) cells, as in the paper's
wording ("the half-life of the short-lived component of the antibody response").

**How a boost acts (the paper's model, as encoded).**  The booster starts a new curve with its own
peak :math:`C_b` and its own long-lived fraction :math:`f_b`, estimated from the titres after the
fourth dose (abstract: 12 % of the response long-lived after the primary series, "rising to 30% ...
after a booster dose").  In the encoding the new curve depends neither on when the booster is given
nor on the titre left at that moment, and it replaces the curve of the priming series (an individual
carries the curve of its last effective dose only).  The abstract adds that "the immunogenicity of
the booster dose was strongly associated with immunogenicity after primary vaccination": a
correlation between children, which one typical child does not show.

**Course rule** added so that the controls can be moved anywhere: the titre never drops below what
the priming series alone would give,

.. math::

    A(t) = A_p(t) \ (t < t_b), \qquad A(t) = \max\bigl(A_b(t),\, A_p(t)\bigr) \ (t \ge t_b).

For the trial's booster the new curve is above the old one at every time, so this is exactly the
paper's replacement; it only matters for a very early or very weak booster, which then cannot erase
antibody.  A booster given on day 0 (with the prime) therefore adds nothing until the priming curve
has fallen below the booster's curve.

**How dose enters (course assumption, not in the paper).**  The paper has no dose term.  Here a
dose :math:`D`, relative to the dose given in the trial (so :math:`D = 1` reproduces the paper),
scales the peak of the curve it starts,

.. math::

    s(D) = D^{\gamma} \ (D > 0), \qquad s(0) = 0,

with :math:`\gamma` = ``dose_exponent`` (default 1, proportional).  The long-lived fraction and the
half-lives do not depend on dose.  The sources read here say nothing on the real dose-response of
RTS,S: lower :math:`\gamma` to explore a flatter one.

**Protection.**  The paper relates titre to the probability that an infection is prevented; the
encoded form is

.. math::

    V(A) = V_{max}\left(1 - \frac{1}{1 + (A/\beta)^{\alpha}}\right),

so :math:`V = 1/2` at :math:`A_{50} = \beta\,[\,0.5/(V_{max} - 0.5)\,]^{1/\alpha}`.

Provenance
----------
Only the abstract of White et al. (2015) could be read here.  The fitted values come from the
encoding of this model in ``malariasimulation`` by the same group (MRC Centre for Global Infectious
Disease Analysis, Imperial College; ``R/pev_parameters.R``, ``rtss_profile`` and
``rtss_booster_profile``, documented as "(White MT et al. 2015 Lancet ID)"; ``R/pev.R``,
``calculate_pev_antibodies`` and ``calculate_pev_efficacy``; github.com/mrc-ide/malariasimulation at
commit 5f63ccd61c8e893892fd12e7580fc22a7c882285).  The encoding gives each parameter as the mean and
standard deviation of a normal distribution on the log scale (peaks, half-lives) or the logit scale
(short-lived fraction :math:`\rho`) across children.  The defaults of :class:`Params` are the
resulting medians, i.e. a *typical* child.  The abstract reports population means for children aged
5-17 months; the encoding's means (:func:`population_means`) reproduce them: half-lives 44.8 and
591.3 days (abstract: 45 and 591), long-lived fractions 11.7 % and 29.9 % (abstract: 12 % and 30 %),
and a 50 %-protective titre of 121.9 EU/mL (abstract: 121).  The booster's peak and the parameters of
:math:`V(A)` are in the encoding only.

Pure numerics: nothing here plots or prints.  Every function is closed-form and vectorised.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq

__all__ = [
    "YEAR_DAYS", "MONTH_DAYS", "TRIAL_BOOST_DAY", "ENCODING_COMMIT",
    "LOG_PEAK_PRIME", "LOGIT_SHORT_FRACTION_PRIME", "LOG_PEAK_BOOST", "LOGIT_SHORT_FRACTION_BOOST",
    "LOG_T_HALF_SHORT", "LOG_T_HALF_LONG",
    "Params", "PrimeBoostResult",
    "titre", "simulate", "dose_scale",
    "peak_after_prime", "peak_after_boost", "pre_boost_titre", "fold_boost",
    "level_at", "level_at_years", "half_lives", "apparent_half_life", "days_above",
    "efficacy_against_infection", "titre_for_efficacy", "population_means",
]

# --------------------------------------------------------------------------------------
# Units and schedule
# --------------------------------------------------------------------------------------

#: Days in a year (Julian year), used for "level at 1 and 5 years".
YEAR_DAYS = 365.25
#: Days in an average month.
MONTH_DAYS = YEAR_DAYS / 12.0
#: The trial's booster: "a fourth dose 18 months after primary vaccination (M20)" (Sánchez et al.
#: 2020, npj Vaccines 5:46, doi:10.1038/s41541-020-0192-7), i.e. 18 months after the third dose.
TRIAL_BOOST_DAY = 18.0 * MONTH_DAYS

# --------------------------------------------------------------------------------------
# The encoded fit (malariasimulation, R/pev_parameters.R; White et al. 2015 Lancet Infect Dis,
# doi:10.1016/S1473-3099(15)00239-X).  Each pair is (mean, standard deviation) of a normal
# distribution across children, on the log scale (peaks in EU/mL, half-lives in days) or on the
# logit scale (rho, the fraction of the response that is short-lived).
# --------------------------------------------------------------------------------------

#: Commit of github.com/mrc-ide/malariasimulation at which the numbers below were read.
ENCODING_COMMIT = "5f63ccd61c8e893892fd12e7580fc22a7c882285"
#: ``rtss_profile$cs``: log peak titre after the primary series (EU/mL).
LOG_PEAK_PRIME = (6.37008, 0.35)
#: ``rtss_profile$rho``: logit of the short-lived fraction after the primary series.
LOGIT_SHORT_FRACTION_PRIME = (2.37832, 1.00813)
#: ``rtss_booster_profile$cs``: log peak titre after the booster (EU/mL).
LOG_PEAK_BOOST = (5.56277, 0.35)
#: ``rtss_booster_profile$rho``: logit of the short-lived fraction after the booster.
LOGIT_SHORT_FRACTION_BOOST = (1.03431, 1.02735)
#: ``ds`` (both profiles): log half-life of the short-lived component (days).
LOG_T_HALF_SHORT = (3.74502, 0.341185)
#: ``dl`` (both profiles): log half-life of the long-lived component (days).
LOG_T_HALF_LONG = (6.30365, 0.396515)
#: ``vmax``, ``alpha``, ``beta`` (both profiles): titre-protection curve V(A).
_VMAX, _ALPHA, _BETA = 0.93, 0.74, 99.4


def _invlogit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------

def _is_real(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _real(value, name: str, meaning: str, *, positive: bool = False, upper: float | None = None) -> float:
    bound = "> 0" if positive else "≥ 0"
    if upper is not None:
        bound += f" and ≤ {upper:g}"
    if not _is_real(value) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    v = float(value)
    if v < 0 or (positive and v == 0) or (upper is not None and v > upper):
        raise ValueError(f"{name} must be a finite number {bound} ({meaning}); got {value!r}")
    return v


def _boost_day(value) -> float | None:
    if value is None:
        return None
    return _real(value, "boost_day", "days after the end of the priming series, or None for no booster")


def _finite_array(x, what: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{what} must be finite numbers (got NaN or infinity)")
    return a


def _times(t) -> np.ndarray:
    return _finite_array(t, "times (days)")


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """Antibody kinetics after RTS,S/AS01 in African children (typical child; White et al. 2015).

    Defaults are the medians of the fitted population distributions as encoded in malariasimulation
    (see the module docstring): ``exp(mean)`` on the log scale, ``invlogit(mean)`` on the logit scale.
    Source of all fitted values: White MT et al. (2015) Lancet Infect Dis 15:1450-1458,
    doi:10.1016/S1473-3099(15)00239-X, read from its encoding (commit :data:`ENCODING_COMMIT`).

    Attributes
    ----------
    peak_prime_eu_per_ml : float
        Peak anti-CS titre after the priming series, EU/mL.  exp(6.37008) ≈ 584.1 (median; the
        population mean is 621).  The phase 3 trial reported post-vaccination geometric mean titres
        of 348-787 EU/mL across sites in children (RTS,S Clinical Trials Partnership 2014, PLoS Med
        11:e1001685, doi:10.1371/journal.pmed.1001685).
    long_fraction_prime : float
        Fraction of the priming response that is long-lived, dimensionless (the paper's 1 − ρ).
        1 − invlogit(2.37832) ≈ 0.0848 (median; population mean 0.117, abstract "12%").
    peak_boost_eu_per_ml : float
        Peak anti-CS titre after the booster, EU/mL.  exp(5.56277) ≈ 260.5 (median; mean 277).
        Encoding only: the abstract gives no booster titre.
    long_fraction_boost : float
        Fraction of the booster response that is long-lived, dimensionless.  1 − invlogit(1.03431)
        ≈ 0.262 (median; population mean 0.299, abstract "30%").
    t_half_short_days : float
        Half-life of the short-lived component, days.  exp(3.74502) ≈ 42.3 (median; mean 44.8,
        abstract "45 days").  Same for prime and booster.
    t_half_long_days : float
        Half-life of the long-lived component, days.  exp(6.30365) ≈ 546.6 (median; mean 591.3,
        abstract "591 days").  Same for prime and booster.
    dose_exponent : float
        COURSE ASSUMPTION, not in the paper: the peak of each curve scales as dose**dose_exponent,
        dose relative to the trial's dose.  Dimensionless, default 1 (proportional); 0 makes the
        response independent of dose (any dose > 0).
    efficacy_max : float
        Maximum efficacy against infection :math:`V_{max}`, dimensionless.  0.93 (encoding).
    efficacy_shape : float
        Shape :math:`\\alpha` of the titre-protection curve, dimensionless.  0.74 (encoding).
    efficacy_scale_eu_per_ml : float
        Scale :math:`\\beta` of the titre-protection curve, EU/mL.  99.4 (encoding).  With the two
        above it gives 50 % protection at 121.9 EU/mL (abstract: "121 EU/mL (98-153)").
    """

    peak_prime_eu_per_ml: float = math.exp(LOG_PEAK_PRIME[0])
    long_fraction_prime: float = 1.0 - _invlogit(LOGIT_SHORT_FRACTION_PRIME[0])
    peak_boost_eu_per_ml: float = math.exp(LOG_PEAK_BOOST[0])
    long_fraction_boost: float = 1.0 - _invlogit(LOGIT_SHORT_FRACTION_BOOST[0])
    t_half_short_days: float = math.exp(LOG_T_HALF_SHORT[0])
    t_half_long_days: float = math.exp(LOG_T_HALF_LONG[0])
    dose_exponent: float = 1.0
    efficacy_max: float = _VMAX
    efficacy_shape: float = _ALPHA
    efficacy_scale_eu_per_ml: float = _BETA

    def __post_init__(self):
        _real(self.peak_prime_eu_per_ml, "peak_prime_eu_per_ml", "EU/mL")
        _real(self.peak_boost_eu_per_ml, "peak_boost_eu_per_ml", "EU/mL")
        _real(self.long_fraction_prime, "long_fraction_prime", "a fraction", upper=1.0)
        _real(self.long_fraction_boost, "long_fraction_boost", "a fraction", upper=1.0)
        _real(self.t_half_short_days, "t_half_short_days", "days", positive=True)
        _real(self.t_half_long_days, "t_half_long_days", "days", positive=True)
        _real(self.dose_exponent, "dose_exponent", "dimensionless")
        _real(self.efficacy_max, "efficacy_max", "a probability", positive=True, upper=1.0)
        _real(self.efficacy_shape, "efficacy_shape", "dimensionless", positive=True)
        _real(self.efficacy_scale_eu_per_ml, "efficacy_scale_eu_per_ml", "EU/mL", positive=True)
        if not self.t_half_short_days < self.t_half_long_days:
            raise ValueError("the short-lived half-life (t_half_short_days) must be shorter than the "
                             f"long-lived one (t_half_long_days); got {self.t_half_short_days!r} and "
                             f"{self.t_half_long_days!r} days")

    @property
    def decay_rates_per_day(self) -> tuple[float, float]:
        """(λ_s, λ_l) = ln 2 / half-life, per day."""
        return math.log(2) / self.t_half_short_days, math.log(2) / self.t_half_long_days


def dose_scale(params: Params, dose: float) -> float:
    """Factor :math:`s(D)` on a curve's peak for a dose ``D`` relative to the trial's dose.

    ``D**dose_exponent`` for ``D > 0`` and 0 for ``D = 0`` (course assumption; see the module docstring).
    """
    d = _real(dose, "dose", "relative to the trial's dose")
    if d == 0.0:
        return 0.0
    scale = d ** params.dose_exponent
    if not math.isfinite(scale):
        raise ValueError(f"dose {dose!r} to the power {params.dose_exponent!r} is too large to represent")
    return scale


# --------------------------------------------------------------------------------------
# Closed-form titres
# --------------------------------------------------------------------------------------

def _components(params: Params, peak: float, long_fraction: float, dt: np.ndarray):
    """(short, long) components of one curve started ``dt`` days ago (zero where dt < 0)."""
    lam_s, lam_l = params.decay_rates_per_day
    started = dt >= 0
    dt0 = np.where(started, dt, 0.0)
    short = np.where(started, peak * (1.0 - long_fraction) * np.exp(-lam_s * dt0), 0.0)
    long = np.where(started, peak * long_fraction * np.exp(-lam_l * dt0), 0.0)
    return short, long


def _evaluate(params: Params, t: np.ndarray, boost_day: float | None, boost_dose: float, prime_dose: float):
    """(titre, short, long, prime_only) at times t (right-continuous at the booster)."""
    sp, lp = _components(params, params.peak_prime_eu_per_ml * dose_scale(params, prime_dose),
                         params.long_fraction_prime, t)
    prime_only = sp + lp
    if boost_day is None:
        return prime_only, sp, lp, prime_only
    sb, lb = _components(params, params.peak_boost_eu_per_ml * dose_scale(params, boost_dose),
                         params.long_fraction_boost, t - boost_day)
    boosted = sb + lb
    use_boost = (t >= boost_day) & (boosted >= prime_only) & (boosted > 0)
    return (np.where(use_boost, boosted, prime_only), np.where(use_boost, sb, sp),
            np.where(use_boost, lb, lp), prime_only)


def titre(params: Params, t_days, boost_day: float | None = TRIAL_BOOST_DAY, boost_dose: float = 1.0,
          prime_dose: float = 1.0) -> np.ndarray:
    """Anti-CS titre (EU/mL) at the given days after the priming series (0 before it).

    At the booster day the value is the one just after the booster (right-continuous).
    """
    t = _times(t_days)
    b = _boost_day(boost_day)
    _real(boost_dose, "boost_dose", "relative to the trial's dose")
    _real(prime_dose, "prime_dose", "relative to the trial's dose")
    return _evaluate(params, t, b, float(boost_dose), float(prime_dose))[0]


@dataclass(frozen=True, eq=False)
class PrimeBoostResult:
    """A simulated prime-boost course on a time grid.

    ``t_days`` is non-decreasing: when a booster falls inside the window its day appears twice, first
    with the values just before the booster, then just after, so that a plotted line shows the jump.

    Attributes
    ----------
    t_days : ndarray
        Days after the end of the priming series (third dose).
    titre_eu_per_ml : ndarray
        Anti-CS antibody titre, EU/mL.
    short_lived_eu_per_ml, long_lived_eu_per_ml : ndarray
        The short-lived and long-lived components of the curve in force (they sum to the titre).
    prime_only_eu_per_ml : ndarray
        The titre the priming series alone would give (no booster), EU/mL.
    efficacy : ndarray
        Probability that an infection is prevented, :math:`V(A)`, dimensionless.
    """

    t_days: np.ndarray
    titre_eu_per_ml: np.ndarray
    short_lived_eu_per_ml: np.ndarray
    long_lived_eu_per_ml: np.ndarray
    prime_only_eu_per_ml: np.ndarray
    efficacy: np.ndarray
    params: Params = field(repr=False)
    boost_day: float | None
    boost_dose: float
    prime_dose: float

    @property
    def t_years(self) -> np.ndarray:
        return self.t_days / YEAR_DAYS

    @property
    def boost_in_window(self) -> bool:
        """True when a booster is given within the simulated days."""
        return self.boost_day is not None and self.boost_day <= self.t_days[-1]


def simulate(params: Params, boost_day: float | None, boost_dose: float = 1.0, prime_dose: float = 1.0,
             days: float = 5.0 * YEAR_DAYS, n_points: int = 400) -> PrimeBoostResult:
    """Titres from the end of the priming series (day 0) to ``days``.

    Parameters
    ----------
    params : Params
    boost_day : float or None
        Day of the booster after the priming series (≥ 0); ``None`` for no booster.  The trial gave it
        at :data:`TRIAL_BOOST_DAY` (18 months).
    boost_dose, prime_dose : float
        Doses relative to the trial's dose (≥ 0); 1 reproduces the paper (course assumption).
    days : float
        Length of the simulated window, days (> 0).  Default five years.
    n_points : int
        Points of the even grid (≥ 2); the booster day is added (twice) when it falls inside.

    A booster later than ``days`` is outside the window: the curve is then the priming curve and the
    booster read-outs (:func:`peak_after_boost`, :func:`fold_boost`) return None.
    """
    b = _boost_day(boost_day)
    bd = _real(boost_dose, "boost_dose", "relative to the trial's dose")
    pd = _real(prime_dose, "prime_dose", "relative to the trial's dose")
    end = _real(days, "days", "length of the simulated window", positive=True)
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2, got {n_points!r}")

    t = np.linspace(0.0, end, int(n_points))
    values = _evaluate(params, t, b, bd, pd)
    if b is not None and 0.0 < b <= end:
        i = int(np.searchsorted(t, b, side="left"))
        right = _evaluate(params, np.array([b]), b, bd, pd)
        left = _evaluate(params, np.array([b]), None, bd, pd)
        if i < t.size and t[i] == b:                     # already on the grid: add the left limit
            t = np.insert(t, i, b)
            values = tuple(np.insert(v, i, lv[0]) for v, lv in zip(values, left))
        else:                                            # add both sides
            t = np.insert(t, [i, i], [b, b])
            values = tuple(np.insert(v, [i, i], [lv[0], rv[0]]) for v, lv, rv in zip(values, left, right))
    total, short, long, prime_only = values
    return PrimeBoostResult(
        t_days=t, titre_eu_per_ml=total, short_lived_eu_per_ml=short, long_lived_eu_per_ml=long,
        prime_only_eu_per_ml=prime_only, efficacy=efficacy_against_infection(params, total),
        params=params, boost_day=b, boost_dose=bd, prime_dose=pd)


# --------------------------------------------------------------------------------------
# Read-outs
# --------------------------------------------------------------------------------------

def peak_after_prime(result: PrimeBoostResult) -> float:
    """Peak titre of the priming series (EU/mL); in this model it is the titre at day 0."""
    p = result.params
    return p.peak_prime_eu_per_ml * dose_scale(p, result.prime_dose)


def pre_boost_titre(result: PrimeBoostResult) -> float | None:
    """Titre just before the booster (EU/mL), or None without a booster in the window."""
    if not result.boost_in_window:
        return None
    return float(_evaluate(result.params, np.array([result.boost_day]), None, result.boost_dose,
                           result.prime_dose)[0][0])


def peak_after_boost(result: PrimeBoostResult) -> float | None:
    """Highest titre from the booster on (EU/mL), or None without a booster in the window.

    Both curves only decay after they start, so this is the titre just after the booster.
    """
    if not result.boost_in_window:
        return None
    return float(_evaluate(result.params, np.array([result.boost_day]), result.boost_day,
                           result.boost_dose, result.prime_dose)[0][0])


def fold_boost(result: PrimeBoostResult) -> float | None:
    """Fold rise at the booster: titre just after / just before (None without a booster or antibody)."""
    before, after = pre_boost_titre(result), peak_after_boost(result)
    if before is None or before <= 0.0:
        return None
    return after / before


def level_at(result: PrimeBoostResult, day) -> np.ndarray | float:
    """Titre (EU/mL) at the given day(s) for the course of ``result`` (closed form, not interpolated)."""
    t = _times(day)
    out = _evaluate(result.params, t, result.boost_day, result.boost_dose, result.prime_dose)[0]
    return float(out) if out.ndim == 0 else out


def level_at_years(result: PrimeBoostResult, years=(1.0, 5.0)) -> np.ndarray | float:
    """Titre (EU/mL) at the given number of years after the priming series (default 1 and 5)."""
    return level_at(result, _finite_array(years, "years") * YEAR_DAYS)


def half_lives(params: Params) -> dict[str, float]:
    """Half-lives of the two components, days: ``{"short": ..., "long": ...}``."""
    return {"short": params.t_half_short_days, "long": params.t_half_long_days}


def apparent_half_life(result: PrimeBoostResult, day: float) -> float | None:
    r"""Half-life of the titre's decline at ``day``: :math:`\ln 2 / (-\,d\ln A/dt)`, days.

    Early after a dose it is close to the short half-life; later it tends to the long one.  None where
    the titre is zero.
    """
    t = _real(day, "day", "days after the priming series")
    _, short, long, _ = _evaluate(result.params, np.array([t]), result.boost_day, result.boost_dose,
                                  result.prime_dose)
    s, l = float(short[0]), float(long[0])
    if s + l <= 0.0:
        return None
    lam_s, lam_l = result.params.decay_rates_per_day
    return math.log(2) * (s + l) / (lam_s * s + lam_l * l)


def _first_time_below(f, start: float, end: float, threshold: float) -> float:
    """First time in [start, end] at which the decreasing function f falls to the threshold."""
    if f(start) <= threshold:
        return start
    if f(end) > threshold:
        return end
    return brentq(lambda x: f(x) - threshold, start, end, xtol=1e-10, rtol=1e-12)


def days_above(result: PrimeBoostResult, threshold_eu_per_ml: float) -> float:
    """Days within the simulated window with a titre above the threshold (EU/mL), solved exactly.

    The titre decreases between doses, so each stretch is found by one root search.
    """
    thr = _real(threshold_eu_per_ml, "threshold_eu_per_ml", "EU/mL")
    end = float(result.t_days[-1])
    b = result.boost_day if result.boost_in_window else None

    def f(x, boost):
        return float(_evaluate(result.params, np.array([x]), boost, result.boost_dose, result.prime_dose)[0][0])

    stop_prime = end if b is None else b
    total = _first_time_below(lambda x: f(x, None), 0.0, stop_prime, thr)
    if b is not None:
        total += _first_time_below(lambda x: f(x, b), b, end, thr) - b
    return total


# --------------------------------------------------------------------------------------
# Protection
# --------------------------------------------------------------------------------------

def efficacy_against_infection(params: Params, titre_eu_per_ml) -> np.ndarray | float:
    r"""Probability that an infection is prevented at titre :math:`A`: :math:`V_{max}(1 - 1/(1 + (A/\beta)^\alpha))`.

    Titres in EU/mL (≥ 0); the result is dimensionless, between 0 and ``efficacy_max``.
    """
    a = _finite_array(titre_eu_per_ml, "titres (EU/mL)")
    if np.any(a < 0):
        raise ValueError("titres must be ≥ 0 EU/mL")
    x = (a / params.efficacy_scale_eu_per_ml) ** params.efficacy_shape
    v = params.efficacy_max * x / (1.0 + x)
    return float(v) if v.ndim == 0 else v


def titre_for_efficacy(params: Params, efficacy: float) -> float:
    r"""Titre (EU/mL) at which :math:`V(A)` equals ``efficacy`` (0 ≤ efficacy < efficacy_max)."""
    v = _real(efficacy, "efficacy", "a probability", upper=1.0)
    if v >= params.efficacy_max:
        raise ValueError(f"efficacy must be below the maximum efficacy {params.efficacy_max!r}; got {efficacy!r}")
    return params.efficacy_scale_eu_per_ml * (v / (params.efficacy_max - v)) ** (1.0 / params.efficacy_shape)


# --------------------------------------------------------------------------------------
# Population means of the encoded distributions
# --------------------------------------------------------------------------------------

def population_means() -> dict[str, float]:
    """Arithmetic means across children of the encoded distributions (what the abstract reports).

    Log-normal: :math:`e^{\\mu + \\sigma^2/2}`.  Logit-normal (the long-lived fraction
    :math:`1 - \\mathrm{invlogit}(X)`, :math:`X \\sim N(\\mu, \\sigma^2)`): Gauss-Hermite quadrature.
    Keys: ``peak_prime``, ``peak_boost`` (EU/mL), ``long_fraction_prime``, ``long_fraction_boost``,
    ``t_half_short``, ``t_half_long`` (days).
    """
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    weights = weights / weights.sum()

    def lognormal(mu_sigma):
        mu, sigma = mu_sigma
        return math.exp(mu + sigma * sigma / 2.0)

    def long_fraction(mu_sigma):
        mu, sigma = mu_sigma
        return float(np.sum(weights / (1.0 + np.exp(mu + sigma * nodes))))

    return {
        "peak_prime": lognormal(LOG_PEAK_PRIME),
        "peak_boost": lognormal(LOG_PEAK_BOOST),
        "long_fraction_prime": long_fraction(LOGIT_SHORT_FRACTION_PRIME),
        "long_fraction_boost": long_fraction(LOGIT_SHORT_FRACTION_BOOST),
        "t_half_short": lognormal(LOG_T_HALF_SHORT),
        "t_half_long": lognormal(LOG_T_HALF_LONG),
    }
