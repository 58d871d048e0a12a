r"""HPV16/18 infection, persistence, CIN2/3 and cervical cancer in one birth cohort, with vaccination.

A cohort of girls is followed by single year of age from 9 to 85, without
screening.  The vaccine types (HPV16 and HPV18, handled together as one "vaccine
type") follow the natural history

.. math::

    \text{never infected} \xrightarrow{\lambda(x)} \text{infected}
    \xrightarrow[\;1-q_1\;]{\text{12 months}} \text{persistent}
    \xrightarrow{\delta} \text{CIN2/3} \xrightarrow{\mu,\;T} \text{invasive cancer},

where an infection clears within 12 months with probability :math:`q_1`, a
persistent infection clears at rate :math:`c` or becomes CIN2/3 at rate
:math:`\delta`, and a fraction :math:`\mu` of CIN2/3 lesions (the "movers" of a
mover-stayer model) turns into cancer after a time :math:`T`.  A cleared infection
leaves the woman immune to the vaccine types (she is not reinfected).

**Infection.**  The hazard of a first vaccine-type infection at exact age :math:`x`
is the hazard among sexually active women times the fraction who have started
sexual intercourse:

.. math::

    \lambda(x) = \lambda_0\, D(x)\, e^{-\beta\,\max(0,\,x - a_d)}, \qquad
    D(x) = \frac{1}{1 + e^{-(x - m)/s}},\quad
    s = \frac{16 - m}{\operatorname{logit}(p_{16})},

with :math:`m` the median age at first intercourse and :math:`p_{16}` the fraction
who started before 16.  Over the year of age :math:`[a, a+1)` (midpoint rule)

.. math::

    S(a) = \exp\Big(-\sum_{b<a}\lambda(b+\tfrac12)\Big), \qquad i(a) = S(a) - S(a+1),

:math:`S` being the never-infected fraction and :math:`i(a)` the fraction of the
cohort first infected during that year.

**Progression.**  With :math:`K = c + \delta`, an infection leads to CIN2/3 with
probability :math:`(1-q_1)\,\delta/K`, after :math:`1 + E` years,
:math:`E \sim \mathrm{Exp}(K)`.  The time :math:`T` from CIN2/3 to cancer (movers
only) is Weibull with shape :math:`k` and median :math:`t_{1/2}`:

.. math::

    F(t) = 1 - \exp\!\big(-\ln 2\,(t/t_{1/2})^{k}\big), \qquad
    \mu = \frac{p_{10}}{F(10)},

so that :math:`\mu F(10) = p_{10}` of all lesions become cancer within 10 years.
Binning both delays into years (events at mid-year) gives kernels :math:`g_j`
(infection to CIN2/3) and :math:`f_j` (CIN2/3 to cancer), and the yearly numbers
of new CIN2/3 lesions and vaccine-type cancers are convolutions:

.. math::

    y(a) = \sum_j i(a-j)\,g_j, \qquad
    z(a) = \sum_j i(a-j)\,h_j, \quad h = g * f.

**Vaccination** at age :math:`v` with coverage :math:`\phi` and efficacy :math:`e`
protects a fraction :math:`\phi e` of the women still never infected at :math:`v`;
it does nothing to infections, lesions or cancers already under way:

.. math::

    i_v(a) = i(a)\,\big[1 - \phi e\, w_v(a)\big], \qquad w_v(a) = \min\!\big(1, \max(0, a + 1 - v)\big),

:math:`w_v(a)` being the part of the year of age :math:`a` that lies after :math:`v`.

Cancers caused by other HPV types are the fraction :math:`1-\sigma` of all cancers
without vaccination, :math:`z_{\text{other}}(a) = z_0(a)\,(1-\sigma)/\sigma`, and
the vaccine does not touch them (no cross-protection).  The cumulative risk by age
:math:`A` is :math:`R(A) = \sum_{a<A}[z_v(a) + z_{\text{other}}(a)]`: a risk in the
absence of other causes of death.  Everything is linear in :math:`\phi e`, so the
reduction is exactly proportional to coverage (the model has no herd effect).

**Calibration.**  Every rate comes from a study named in :class:`Params`, except
the Weibull shape :math:`k`, which the abstract of Vink et al. (2013) does not give:
it is chosen (:func:`calibrate_cin_weibull_shape`) so that the unvaccinated cohort's
cumulative risk to age 85 is 1.70 %, the lifetime risk without screening that
Canfell et al. (2004) predicted for the UK.  The CIN2/3 rate :math:`\delta` is
chosen (:func:`solve_persistent_cin_rate`) so that 14.2 % of new HPV16/18
infections become type-specific CIN2/3 within 36 months, as Insinga et al. (2007)
observed.

**Simplifications** (each one a reason the numbers are illustrative, not a forecast):
no screening; no deaths from other causes; HPV16 and HPV18 pooled into one type with
one infection per woman at most (cleared infections give lasting immunity);
progression rates that do not depend on age; the same 70 % share of HPV16/18 at
every age (de Sanjosé et al. 2013 found 77 % below 65 and 63 % from 65); no
cross-protection against other types, no herd protection, and lifelong protection
after vaccination.

Pure numerics: nothing here plots or prints.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

__all__ = [
    "AGE_START", "AGE_END", "AGES", "VACCINATION_AGE_RANGE",
    "Params", "Projection", "DEFAULT",
    "sexual_debut_fraction", "infection_hazard_per_year", "never_infected_fraction",
    "infection_outcomes", "cin_to_cancer_cdf", "cin_mover_fraction",
    "simulate", "cumulative_risk", "relative_reduction", "reduction_by_vaccination_age",
    "solve_persistent_cin_rate", "calibrate_cin_weibull_shape",
]

#: First and last age of the cohort (years).  Ages are single-year bins [a, a+1).
AGE_START = 9
AGE_END = 85
AGES = np.arange(AGE_START, AGE_END)

#: Ages at which the vaccines are licensed and offered in the lesson's slider (years).
VACCINATION_AGE_RANGE = (9.0, 26.0)

# --------------------------------------------------------------------------------------
# Published numbers (each with the sentence or table entry it comes from)
# --------------------------------------------------------------------------------------

#: Insinga RP, Dasbach EJ, Elbasha EH, Liaw KL, Barr E (2007) "Incidence and duration of
#: cervical human papillomavirus 6, 11, 16, and 18 infections in young women: an evaluation
#: from multiple analytic perspectives", Cancer Epidemiol Biomarkers Prev 16:709-715,
#: doi:10.1158/1055-9965.EPI-06-0846 (abstract).  US women 16-23 years old at entry,
#: 0-5 lifetime partners, placebo arm of an HPV16 vaccine trial, negative for the type at
#: the first two visits: "an incidence rate per 100 person-years of 3.6 for HPV-6, 0.4 for
#: HPV-11, 5.4 for HPV-16, and 2.1 for HPV-18".
INSINGA_INCIDENCE_PER_100PY = {"HPV16": 5.4, "HPV18": 2.1}

#: Insinga RP, Dasbach EJ, Elbasha EH, Liaw KL, Barr E (2007) "Progression and regression of
#: incident cervical HPV 6, 11, 16 and 18 infections in young women", Infect Agent Cancer 2:15,
#: doi:10.1186/1750-9378-2-15 (abstract; same trial population): "Cumulative 36-month
#: progression rates to CIN-2/3 testing positive for the relevant HPV type were highest for
#: HPV-16 infections (16.5%), followed by HPV-18 (8.2%)."
INSINGA_CIN23_BY_36_MONTHS = {"HPV16": 0.165, "HPV18": 0.082}

#: The two, weighted by the incidence of each type: the share of new vaccine-type
#: infections that become type-specific CIN2/3 within 36 months (≈ 14.2 %).
HPV1618_CIN23_BY_36_MONTHS = (
    sum(INSINGA_INCIDENCE_PER_100PY[t] * INSINGA_CIN23_BY_36_MONTHS[t] for t in ("HPV16", "HPV18"))
    / sum(INSINGA_INCIDENCE_PER_100PY.values()))

#: Rodríguez AC, Schiffman M, Herrero R, et al. (2008) "Rapid clearance of human
#: papillomavirus and implications for clinical focus on persistent infections", J Natl
#: Cancer Inst 100:513-517, doi:10.1093/jnci/djn044 (abstract; 800 carcinogenic-type
#: infections, Guanacaste, Costa Rica): "Infections typically cleared rapidly, with 67% (95%
#: CI 63% to 70%) clearing by 12 months. However, among infections that persisted at least
#: 12 months, the risk of CIN2+ diagnosis by 30 months was 21% (95% CI 15% to 28%). The risk
#: of CIN2+ diagnosis was highest among women younger than 30 years with HPV-16 infections
#: that persisted for at least 12 months (53%; 95% CI 29% to 76%)."
RODRIGUEZ_CLEARED_BY_12_MONTHS = 0.67
RODRIGUEZ_CIN2_BY_30_MONTHS_IF_PERSISTENT_12 = 0.21      # all carcinogenic types, all ages
RODRIGUEZ_CIN2_BY_30_MONTHS_HPV16_UNDER_30 = 0.53        # HPV16, women < 30 years

#: Plummer M, Schiffman M, Castle PE, Maucort-Boulch D, Wheeler CM, "A 2-year prospective
#: study of human papillomavirus persistence among women with a cytological diagnosis of
#: atypical squamous cells of undetermined significance or low-grade squamous intraepithelial
#: lesion" (ALTS; abstract read; the journal, J Infect Dis 2007, is from memory and no DOI
#: was seen): "The probability that an infection would persist for a further 6 months
#: increased with the duration of infection, from 37% (95% CI 35%-39%) for a newly observed
#: infection to 65% (95% CI 61%-70%) for an infection that had already persisted for
#: ≥18 months."
PLUMMER_PERSIST_6_MONTHS_AFTER_18 = 0.65

#: Vink MA, Bogaards JA, van Kemenade FJ, de Melker HE, Meijer CJLM, Berkhof J (2013)
#: "Clinical progression of high-grade cervical intraepithelial neoplasia: estimating the
#: time to preclinical cervical cancer from doubly censored national registry data", Am J
#: Epidemiol 178:1161-1169, doi:10.1093/aje/kwt077 (abstract only; keyword "mover-stayer
#: model"): "The median time from CIN2/3 to cancer was estimated to be 23.5 years (95%
#: confidence interval: 20.8, 26.6), and 1.6% of the lesions progressed to cancer within 10
#: years. The median duration for HPV-16-positive lesions was similar, but 2.4% of the
#: HPV-16-positive lesions progressed to cancer within 10 years, as compared with 0.6% for
#: HPV-16-negative lesions."  Read here as: median among the lesions that progress
#: (movers), 10-year proportion among all lesions.
VINK_MEDIAN_YEARS_TO_CANCER = 23.5
VINK_CANCER_WITHIN_10Y = {"all": 0.016, "HPV16+": 0.024, "HPV16-": 0.006}

#: Canfell K, Barnabas R, Patnick J, Beral V (2004) "The predicted effect of changes in
#: cervical screening practice in the UK: results from a modelling study", Br J Cancer
#: 91:530-536, doi:10.1038/sj.bjc.6602002 (abstract): "The predicted cumulative lifetime
#: incidence of invasive cervical cancer in the UK is 1.70% in the absence of screening and
#: 0.77% with pre-2003 screening practice."  A model prediction, not an observation; taken
#: here as the cumulative risk to age 85 without competing mortality.
CANFELL_LIFETIME_RISK_NO_SCREENING = 0.0170

#: The FUTURE II Study Group (2007) "Quadrivalent vaccine against human papillomavirus to
#: prevent high-grade cervical lesions", N Engl J Med 356:1915-1927 (DOI not seen): "Human
#: papillomavirus types 16 (HPV-16) and 18 (HPV-18) cause approximately 70% of cervical
#: cancers worldwide."  Primary end point, per-protocol susceptible population (no HPV16/18
#: infection through month 7): "Vaccine efficacy for the prevention of the primary composite
#: end point [CIN2/3, AIS or cancer related to HPV-16/18] was 98% (95.89% confidence
#: interval, 86 to 100)", average follow-up 3 years.
FUTURE_II_HPV1618_SHARE_OF_CANCERS = 0.70
FUTURE_II_PER_PROTOCOL_EFFICACY_CIN23 = 0.98

#: de Sanjosé S, Wheeler CM, Quint WGV, et al. (2013) "Age-specific occurrence of HPV16- and
#: HPV18-related cervical cancer", Cancer Epidemiol Biomarkers Prev 22:1313-1318 (abstract;
#: DOI not seen): HPV16/18-positive cancers were "77.0% [95% CI 75.1%-78.9%] for women less
#: than 65 years old and 62.7% [58.4%-66.9%] for women aged 65 and older" (New Mexico and
#: an international series, n = 2,473).  Not used by the model (one share for all ages).
DE_SANJOSE_2013_HPV1618_SHARE = {"under 65": 0.770, "65 and older": 0.627}

#: Herrero R, Wacholder S, Rodríguez AC, et al. (2011) "Prevention of persistent human
#: papillomavirus infection by an HPV16/18 vaccine: a community-based randomized clinical
#: trial in Guanacaste, Costa Rica", Cancer Discov 1:408-419, doi:10.1158/2159-8290.CD-11-0131
#: (abstract; women 18-25, bivalent vaccine): "ATP VE was 90.9% (95% CI, 82.0-95.9) against
#: HPV16/18 infections" (1-year persistent infections; according-to-protocol cohort of
#: compliant HPV-negative women); "Overall ITT VE against HPV16/18 infections was 49.0%";
#: "ITT VE was greatest among youngest women (68.9% among those 18-19 years of age; 21.8%
#: among those 24-25 years of age) and 79.8% among virgins".
HERRERO_ATP_EFFICACY_PERSISTENT_INFECTION = 0.909
HERRERO_ITT_EFFICACY_BY_AGE = {"18-19": 0.689, "24-25": 0.218}

#: Apter D, Wheeler CM, Paavonen J, et al. (2015) "Efficacy of human papillomavirus 16 and 18
#: (HPV-16/18) AS04-adjuvanted vaccine against cervical infection and precancer in young
#: women: final event-driven analysis of the randomized, double-blind PATRICIA trial", Clin
#: Vaccine Immunol 22:361-373, doi:10.1128/CVI.00591-14 (abstract; women 15-25, at most 6
#: lifetime partners): "At baseline, 26% of women in the TVC had evidence of past and/or
#: current HPV-16/18 infection" (DNA and/or serology); in the TVC-naive (not a per-protocol
#: cohort) "VE against 12-month persistent infection with HPV-16/18 was 89.9% (84.0, 94.0)".
PATRICIA_BASELINE_HPV1618_EXPOSED = 0.26
PATRICIA_TVC_NAIVE_EFFICACY_12M_PERSISTENT = 0.899

#: Hildesheim A, Herrero R, Wacholder S, et al. (2007) "Effect of human papillomavirus 16/18
#: L1 viruslike particle vaccine among young women with preexisting infection: a randomized
#: trial", JAMA 298:743-753 (read only as summarised by Contemporary OB/GYN; DOI not seen):
#: 2,189 Costa Rican women positive for HPV16 or 18; "At 12 months, clearance rates in the
#: vaccine group were 48.8% and 49.8% in the control group."  Hence no effect of vaccination
#: on infections already present.
HILDESHEIM_CLEARANCE_12M = {"vaccine": 0.488, "control": 0.498}

#: Wellings K, Nanchahal K, Macdowall W, et al. (2001) "Sexual behaviour in Britain: early
#: heterosexual experience", Lancet 358:1843-1850, doi:10.1016/S0140-6736(01)06885-4
#: (Natsal 2000, abstract): "The proportion of those aged 16-19 years at interview reporting
#: first heterosexual intercourse at younger than 16 years was 30% for men and 26% for women;
#: median age was 16 years."
WELLINGS_FIRST_SEX_BEFORE_16_WOMEN = 0.26
WELLINGS_MEDIAN_AGE_FIRST_SEX = 16       # in completed years

#: (POBASCAM and NTCC investigators) (2015) "The age distribution of type-specific high-risk
#: human papillomavirus incidence in two population-based screening trials", Cancer
#: Epidemiol Biomarkers Prev 24:111-118, doi:10.1158/1055-9965.EPI-14-0628 (abstract and
#: Table 2; the author list was not visible in what we read).  Incident bivalent-type
#: (HPV16/18) infections at the next screening round among hrHPV-negative women, POBASCAM,
#: ages 29-33: 2.32 %, ..., 54-56: 0.39 %; "Linear effect: regression coefficient (SE)"
#: -0.079 (0.012) per year of age for the bivalent types.
POBASCAM_HPV1618_AGE_COEFFICIENT_PER_Y = 0.079

#: Kohli M et al. (2007; only the first author's name was seen) "Estimating the long-term impact of a prophylactic human
#: papillomavirus 16/18 vaccine on the burden of cervical cancer in the UK", Br J Cancer
#: 96:143-150, doi:10.1038/sj.bjc.6603501 (Table 4; with screening, 95 % efficacy, some
#: cross-protection, 100 % coverage): reduction in cervical cancer cases 76.0 % when girls
#: are vaccinated at 12 (base case), 76.0 % at 10 years, 66.0 % at 18 years.
KOHLI_REDUCTION_BY_VACCINATION_AGE = {10: 0.760, 12: 0.760, 18: 0.660}

#: Cohort studies the lesson shows next to the model (qualitative comparison only: both
#: populations were screened and vaccinated with various coverage).
#: Lei J et al. (2020) "HPV vaccination and the risk of invasive cervical cancer", N Engl J Med
#: 383:1340-1348, doi:10.1056/NEJMoa1917338 (Sweden, quadrivalent vaccine, girls and women
#: 10-30 followed to their 31st birthday; incidence rate ratio vaccinated vs not, adjusted
#: for all covariates): "0.12 (95% CI, 0.00 to 0.34) among women who had been vaccinated
#: before the age of 17 years and 0.47 (95% CI, 0.27 to 0.75) among women who had been
#: vaccinated at the age of 17 to 30 years."
LEI_2020_IRR = {"before 17": 0.12, "17-30": 0.47}
#: Falcaro M et al. (2021) "The effects of the national HPV vaccination programme in England,
#: UK, on cervical cancer and grade 3 cervical intraepithelial neoplasia incidence: a
#: register-based observational study", Lancet, doi:10.1016/S0140-6736(21)02178-4 (DOI read off
#: the article's Lancet address; abstract read; bivalent
#: vaccine, women aged 20-29, by age at which the vaccine was offered): "The estimated
#: relative reduction in cervical cancer rates by age at vaccine offer were 34% (95% CI
#: 25-41) for age 16-18 years (school year 12-13), 62% (52-71) for age 14-16 years (school
#: year 10-11), and 87% (72-94) for age 12-13 years (school year 8)".
FALCARO_2021_REDUCTION = {"12-13": 0.87, "14-16": 0.62, "16-18": 0.34}

#: Moscicki AB, Schiffman M, Burchell A, et al. (2012) "Updating the natural history of human
#: papillomavirus and anogenital cancers", Vaccine 30 Suppl 5:F24-F33,
#: doi:10.1016/j.vaccine.2012.05.089 (abstract only): "Cervical HPV persistence is the known
#: necessary event for the development of cervical cancer. New infections appearing at any
#: age are benign unless they persist."  The model's CIN2/3 arises only from persistent
#: infections.  Rodríguez AC et al. (2010) J Natl Cancer Inst 102:315-324,
#: doi:10.1093/jnci/djq001 (abstract): "For newly detected infections, the rate of
#: progression to CIN 2+ (or CIN 3+), after 3 years of follow-up, was not higher for women
#: aged 34 years and older than for younger women": progression rates here do not depend on age.


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """Natural history of HPV16/18 and cervical cancer in an unscreened cohort.

    Attributes
    ----------
    debut_median_age_y : float
        Median age at first intercourse, years.  Wellings et al. 2001 (Natsal 2000):
        "median age was 16 years", i.e. in completed years, so the median exact age lies
        between 16 and 17; the model puts it at the end of that year, 17.0.  (At 16.5,
        together with the 26 % below, 96 % of women would have started by 18.)
    debut_fraction_before_16 : float
        Fraction of women who started before their 16th birthday.  0.26: Wellings et al.
        2001, women aged 16-19 at interview.
    infection_rate_per_y : float
        Hazard of a first HPV16/18 infection among sexually active women up to
        ``infection_decline_start_age_y``, per woman-year.  0.075 = 5.4 (HPV16) + 2.1
        (HPV18) per 100 person-years: Insinga et al. 2007, Cancer Epidemiol Biomarkers
        Prev (US women 16-23 at entry, 0-5 partners).
    infection_decline_start_age_y : float
        Age from which the hazard declines, years.  25: Insinga's cohort was 16-23 at
        entry and followed up to 4 years; the youngest age band of the screening trials
        below is 24-28.  A modelling choice.
    infection_decline_per_y : float
        Exponential decline of the hazard per year of age after that, 1/year.  0.079:
        the regression coefficient on age of incident HPV16/18 infection in POBASCAM
        (Cancer Epidemiol Biomarkers Prev 2015, ages 29-56).
    cleared_first_year : float
        Probability that an infection clears within 12 months.  0.67: Rodríguez et al.
        2008 (carcinogenic types, prevalent infections).  The rest become persistent.
    persistent_clearance_rate_per_y : float
        Clearance rate of a persistent infection, 1/year.  −2 ln 0.65 ≈ 0.862: Plummer
        et al. (ALTS) found that 65 % of infections already persisting ≥ 18 months
        persisted another 6 months.
    persistent_cin_rate_per_y : float
        Rate at which a persistent infection becomes CIN2/3, 1/year.  Solved
        (:func:`solve_persistent_cin_rate`) so that 14.2 % of new HPV16/18 infections
        become CIN2/3 within 36 months: Insinga et al. 2007, Infect Agent Cancer
        (16.5 % for HPV16, 8.2 % for HPV18, weighted by incidence).  ≈ 0.703.
    cin_median_years_to_cancer : float
        Median time from CIN2/3 to (preclinical) cancer among lesions that progress,
        years.  23.5: Vink et al. 2013 (also "similar" for HPV16-positive lesions).
    cin_cancer_within_10y : float
        Fraction of all CIN2/3 lesions that become cancer within 10 years.  0.024: Vink
        et al. 2013, HPV16-positive lesions (1.6 % all lesions, 0.6 % HPV16-negative).
    cin_weibull_shape : float
        Shape :math:`k` of the Weibull time from CIN2/3 to cancer (dimensionless).
        Not given in the abstract of Vink et al.: **calibrated**
        (:func:`calibrate_cin_weibull_shape`) so that the unvaccinated cumulative risk to
        age 85 is 1.70 % (Canfell et al. 2004).  ≈ 1.294.
    hpv1618_share : float
        Fraction of cervical cancers caused by HPV16/18 without vaccination.  0.70:
        "approximately 70% of cervical cancers worldwide" (FUTURE II Study Group 2007).
    vaccine_efficacy : float
        Default efficacy against HPV16/18 infection in women not yet infected.  0.909:
        according-to-protocol efficacy against 1-year persistent HPV16/18 infection,
        Costa Rica Vaccine Trial (Herrero et al. 2011).  Protection is assumed lifelong
        (an assumption, not a trial result: trials followed women for about 4 years).
    """

    debut_median_age_y: float = 17.0
    debut_fraction_before_16: float = WELLINGS_FIRST_SEX_BEFORE_16_WOMEN
    infection_rate_per_y: float = sum(INSINGA_INCIDENCE_PER_100PY.values()) / 100.0
    infection_decline_start_age_y: float = 25.0
    infection_decline_per_y: float = POBASCAM_HPV1618_AGE_COEFFICIENT_PER_Y
    cleared_first_year: float = RODRIGUEZ_CLEARED_BY_12_MONTHS
    persistent_clearance_rate_per_y: float = -2.0 * math.log(PLUMMER_PERSIST_6_MONTHS_AFTER_18)
    persistent_cin_rate_per_y: float = 0.702762
    cin_median_years_to_cancer: float = VINK_MEDIAN_YEARS_TO_CANCER
    cin_cancer_within_10y: float = VINK_CANCER_WITHIN_10Y["HPV16+"]
    cin_weibull_shape: float = 1.29404
    hpv1618_share: float = FUTURE_II_HPV1618_SHARE_OF_CANCERS
    vaccine_efficacy: float = HERRERO_ATP_EFFICACY_PERSISTENT_INFECTION

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"{f.name} must be a finite number, got {value!r}")
        for name in ("debut_fraction_before_16", "cleared_first_year", "hpv1618_share"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ValueError(f"{name} must lie strictly between 0 and 1, got {getattr(self, name)!r}")
        if not 0.0 <= self.vaccine_efficacy <= 1.0:
            raise ValueError(f"vaccine_efficacy must lie between 0 and 1, got {self.vaccine_efficacy!r}")
        for name in ("infection_rate_per_y", "persistent_clearance_rate_per_y", "persistent_cin_rate_per_y",
                     "cin_median_years_to_cancer", "cin_weibull_shape"):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)!r}")
        if not self.infection_decline_per_y >= 0.0:
            raise ValueError(f"infection_decline_per_y must be ≥ 0, got {self.infection_decline_per_y!r}")
        if not AGE_START <= self.infection_decline_start_age_y <= AGE_END:
            raise ValueError(f"infection_decline_start_age_y must lie between {AGE_START} and {AGE_END}, "
                             f"got {self.infection_decline_start_age_y!r}")
        if not 16.0 < self.debut_median_age_y < AGE_END:
            raise ValueError("debut_median_age_y must lie above 16 (the age debut_fraction_before_16 refers to) "
                             f"and below {AGE_END}, got {self.debut_median_age_y!r}")
        if not self.debut_fraction_before_16 < 0.5:
            raise ValueError("debut_fraction_before_16 must be below 0.5 when the median age is above 16")
        if not 0.0 < self.cin_cancer_within_10y < 1.0:
            raise ValueError(f"cin_cancer_within_10y must lie strictly between 0 and 1, got "
                             f"{self.cin_cancer_within_10y!r}")
        if not self.cin_mover_fraction <= 1.0:
            raise ValueError(
                f"with a median of {self.cin_median_years_to_cancer} years and shape {self.cin_weibull_shape}, only "
                f"{_weibull_cdf(10.0, self.cin_weibull_shape, self.cin_median_years_to_cancer):.4f} of progressing "
                f"lesions become cancer within 10 years: fewer than cin_cancer_within_10y = "
                f"{self.cin_cancer_within_10y} of all lesions could")

    @property
    def debut_scale_y(self) -> float:
        """Scale :math:`s` of the logistic age at first intercourse, years."""
        p = self.debut_fraction_before_16
        return (16.0 - self.debut_median_age_y) / math.log(p / (1.0 - p))

    @property
    def cin_mover_fraction(self) -> float:
        r"""Fraction :math:`\mu` of CIN2/3 lesions that ever become cancer (if the woman lives long enough)."""
        return float(self.cin_cancer_within_10y
                     / _weibull_cdf(10.0, self.cin_weibull_shape, self.cin_median_years_to_cancer))

    @property
    def persistent_probability(self) -> float:
        """Probability that an infection is still present 12 months after it began."""
        return 1.0 - self.cleared_first_year

    @property
    def cin_given_infection(self) -> float:
        """Probability that an infection ever leads to CIN2/3."""
        c, d = self.persistent_clearance_rate_per_y, self.persistent_cin_rate_per_y
        return self.persistent_probability * d / (c + d)


def _weibull_cdf(t, shape: float, median: float):
    t = np.clip(np.asarray(t, dtype=float), 0.0, None)
    return 1.0 - np.exp(-math.log(2.0) * (t / median) ** shape)


DEFAULT = Params()


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------

def _check_params(params) -> Params:
    if params is None:
        return DEFAULT
    if not isinstance(params, Params):
        raise ValueError(f"params must be an hpv_cervical.Params, got {type(params).__name__}")
    return params


def _fraction(value, name: str, meaning: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a number between 0 and 1 ({meaning}); got {value!r}")
    return float(value)


def _age(value, name: str, low: float = AGE_START, high: float = AGE_END) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) \
            or not low <= value <= high:
        raise ValueError(f"{name} must be an age in years between {low:g} and {high:g}; got {value!r}")
    return float(value)


def _times(t, name: str) -> np.ndarray:
    a = np.asarray(t, dtype=float)
    if a.dtype.kind not in "fiu" or not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"{name} must be finite numbers of years ≥ 0")
    return a


# --------------------------------------------------------------------------------------
# Infection
# --------------------------------------------------------------------------------------

def sexual_debut_fraction(params: Params | None, age_y) -> np.ndarray:
    """Fraction of women who have started sexual intercourse by exact age ``age_y`` (logistic)."""
    p = _check_params(params)
    x = np.asarray(age_y, dtype=float)
    z = (x - p.debut_median_age_y) / p.debut_scale_y
    return 0.5 * (1.0 + np.tanh(0.5 * z))          # = 1/(1 + e^-z), without overflow


def infection_hazard_per_year(params: Params | None, age_y) -> np.ndarray:
    """Hazard of a first HPV16/18 infection at exact age ``age_y`` among all women, per year."""
    p = _check_params(params)
    x = np.asarray(age_y, dtype=float)
    decline = np.exp(-p.infection_decline_per_y * np.clip(x - p.infection_decline_start_age_y, 0.0, None))
    return p.infection_rate_per_y * decline * sexual_debut_fraction(p, x)


@lru_cache(maxsize=64)
def _never_infected(p: Params) -> np.ndarray:
    """S at ages AGE_START, ..., AGE_END (one more entry than AGES); read-only."""
    lam = infection_hazard_per_year(p, AGES + 0.5)
    s = np.exp(-np.concatenate([[0.0], np.cumsum(lam)]))
    s.flags.writeable = False
    return s


def never_infected_fraction(params: Params | None = None) -> np.ndarray:
    """Fraction of the cohort never infected with HPV16/18 at each exact age 9, 10, ..., 85."""
    return _never_infected(_check_params(params)).copy()


def infection_outcomes(params: Params | None, years_since_infection) -> dict[str, np.ndarray]:
    """What has become of one new infection after ``t`` years (cumulative probabilities).

    Returns ``cleared``, ``cin23`` (progressed to CIN2/3) and ``infected`` (neither yet),
    which add up to 1.  Clearance within the first 12 months is spread evenly over that
    year (only its 12-month total, :attr:`Params.cleared_first_year`, is sourced).
    """
    p = _check_params(params)
    t = _times(years_since_infection, "years_since_infection")
    c, d = p.persistent_clearance_rate_per_y, p.persistent_cin_rate_per_y
    k = c + d
    after = np.clip(t - 1.0, 0.0, None)
    left = 1.0 - np.exp(-k * after)                       # left the persistent state by t
    q = p.persistent_probability
    cleared = p.cleared_first_year * np.clip(t, 0.0, 1.0) + q * c / k * left
    cin = q * d / k * left
    return {"cleared": cleared, "cin23": cin, "infected": 1.0 - cleared - cin}


def cin_mover_fraction(params: Params | None = None) -> float:
    r"""Fraction :math:`\mu` of CIN2/3 lesions that ever progress (mover-stayer model)."""
    return _check_params(params).cin_mover_fraction


def cin_to_cancer_cdf(params: Params | None, years_since_cin) -> np.ndarray:
    """Probability that a CIN2/3 lesion has become invasive cancer ``t`` years after it arose."""
    p = _check_params(params)
    t = _times(years_since_cin, "years_since_cin")
    return p.cin_mover_fraction * _weibull_cdf(t, p.cin_weibull_shape, p.cin_median_years_to_cancer)


# --------------------------------------------------------------------------------------
# Kernels (delays binned into years) and the unvaccinated cohort
# --------------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _kernels(p: Params) -> tuple[np.ndarray, np.ndarray]:
    """(g, h): probability that an infection in year a gives CIN2/3, or cancer, in year a + j."""
    n = AGES.size
    j = np.arange(n, dtype=float)
    k = p.persistent_clearance_rate_per_y + p.persistent_cin_rate_per_y
    # infection at mid-year; CIN2/3 at 1 + E years later lands in year a + j when 1 + E ∈ [j-½, j+½)
    lo, hi = np.clip(j - 1.5, 0.0, None), np.clip(j - 0.5, 0.0, None)
    g = p.persistent_probability * p.persistent_cin_rate_per_y / k * (np.exp(-k * lo) - np.exp(-k * hi))
    g[0] = 0.0
    # CIN2/3 at mid-year; cancer T years later lands in year b + j when T ∈ [j-½, j+½)
    cdf = _weibull_cdf(np.clip(j + 0.5, 0.0, None), p.cin_weibull_shape, p.cin_median_years_to_cancer)
    f = p.cin_mover_fraction * np.diff(np.concatenate([[0.0], cdf]))
    h = np.convolve(g, f)[:n]
    g.flags.writeable = False
    h.flags.writeable = False
    return g, h


@lru_cache(maxsize=64)
def _unvaccinated(p: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(first infections, CIN2/3 onsets, HPV16/18 cancers, other-type cancers) per year of age."""
    s = _never_infected(p)
    i = s[:-1] - s[1:]
    g, h = _kernels(p)
    n = AGES.size
    y = np.convolve(i, g)[:n]
    z = np.convolve(i, h)[:n]
    other = z * (1.0 - p.hpv1618_share) / p.hpv1618_share
    for a in (i, y, z, other):
        a.flags.writeable = False
    return i, y, z, other


def _vaccinated_weight(vaccination_ages) -> np.ndarray:
    """w_v(a): the part of year of age a that lies after vaccination at v (broadcast over v)."""
    v = np.asarray(vaccination_ages, dtype=float)[..., None]
    return np.clip(AGES + 1.0 - v, 0.0, 1.0)


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Projection:
    """One cohort, vaccinated as asked, and the same cohort without vaccination.

    Arrays run over :data:`AGES` (year of age ``a`` = ``[a, a+1)``).  Counts are per
    woman of the starting cohort (multiply by 100 000 for "per 100 000 women");
    incidences are per 100 000 woman-years among women without cervical cancer.
    Cumulative risks ``cumulative_*[k]`` are risks before age ``AGES[k] + 1``.
    """

    ages: np.ndarray
    first_infection: np.ndarray          # new HPV16/18 infections (vaccinated cohort)
    cin23: np.ndarray                    # new HPV16/18 CIN2/3 lesions (vaccinated cohort)
    cancer_hpv1618: np.ndarray           # new HPV16/18 cancers (vaccinated cohort)
    cancer_other: np.ndarray             # new cancers from other types (same with or without vaccine)
    reference_first_infection: np.ndarray
    reference_cin23: np.ndarray
    reference_cancer_hpv1618: np.ndarray
    coverage: float
    vaccination_age: float
    efficacy: float
    params: Params

    @property
    def cancer(self) -> np.ndarray:
        """New cervical cancers per woman in each year of age, all types (vaccinated cohort)."""
        return self.cancer_hpv1618 + self.cancer_other

    @property
    def reference_cancer(self) -> np.ndarray:
        """New cervical cancers per woman in each year of age without vaccination."""
        return self.reference_cancer_hpv1618 + self.cancer_other

    @property
    def cumulative_risk(self) -> np.ndarray:
        return np.cumsum(self.cancer)

    @property
    def reference_cumulative_risk(self) -> np.ndarray:
        return np.cumsum(self.reference_cancer)

    @property
    def incidence_per_100k(self) -> np.ndarray:
        """Cervical cancer incidence by age, per 100 000 woman-years (vaccinated cohort)."""
        return _incidence(self.cancer)

    @property
    def reference_incidence_per_100k(self) -> np.ndarray:
        """Cervical cancer incidence by age without vaccination, per 100 000 woman-years."""
        return _incidence(self.reference_cancer)

    @property
    def risk_by_50(self) -> float:
        return cumulative_risk(self, 50)

    @property
    def risk_by_80(self) -> float:
        return cumulative_risk(self, 80)

    @property
    def reduction_by_50(self) -> float:
        return relative_reduction(self, 50)

    @property
    def reduction_by_80(self) -> float:
        return relative_reduction(self, 80)


def _incidence(cases: np.ndarray) -> np.ndarray:
    at_risk = 1.0 - np.concatenate([[0.0], np.cumsum(cases)[:-1]])
    return 1e5 * cases / at_risk


def simulate(params: Params | None = None, coverage: float = 0.0, vaccination_age: float = 12.0,
             efficacy: float | None = None) -> Projection:
    """Project one cohort from age 9 to 85 with and without vaccination.

    Parameters
    ----------
    params : Params, optional
        Natural history (:data:`DEFAULT` if omitted).
    coverage : float
        Fraction of the cohort vaccinated, 0-1.
    vaccination_age : float
        Age at vaccination, years (between 9 and 85; the vaccines are licensed 9-26).
    efficacy : float, optional
        Protection of a vaccinated, never-infected woman against HPV16/18 infection,
        0-1 (``params.vaccine_efficacy`` if omitted).

    Every value in these ranges gives finite results; anything else raises ValueError.
    """
    p = _check_params(params)
    cov = _fraction(coverage, "coverage", "fraction of girls vaccinated")
    v = _age(vaccination_age, "vaccination_age")
    e = p.vaccine_efficacy if efficacy is None else _fraction(efficacy, "efficacy", "protection against HPV16/18 infection")
    i, y, z, other = _unvaccinated(p)
    g, h = _kernels(p)
    n = AGES.size
    iv = i * (1.0 - cov * e * _vaccinated_weight(v))
    return Projection(ages=AGES.copy(), first_infection=iv, cin23=np.convolve(iv, g)[:n],
                      cancer_hpv1618=np.convolve(iv, h)[:n], cancer_other=other.copy(),
                      reference_first_infection=i.copy(), reference_cin23=y.copy(),
                      reference_cancer_hpv1618=z.copy(), coverage=cov, vaccination_age=v, efficacy=e, params=p)


def _by_age_index(by_age) -> int:
    a = _age(by_age, "by_age", AGE_START, AGE_END)
    if a != int(a):
        raise ValueError(f"by_age must be a whole number of years (a birthday); got {by_age!r}")
    return int(a) - AGE_START


def cumulative_risk(projection: Projection, by_age: int = 80, *, vaccinated: bool = True) -> float:
    """Risk of cervical cancer before the ``by_age`` birthday (absent other causes of death)."""
    k = _by_age_index(by_age)
    cases = projection.cancer if vaccinated else projection.reference_cancer
    return float(cases[:k].sum())


def relative_reduction(projection: Projection, by_age: int = 80, *, hpv1618_only: bool = False) -> float:
    """1 − (risk with vaccination)/(risk without) before the ``by_age`` birthday.

    ``hpv1618_only`` compares HPV16/18 cancers only (the part the vaccine can prevent).
    Returns 0 where no cancer is expected at all (before about age 12).
    """
    k = _by_age_index(by_age)
    if hpv1618_only:
        with_v, without = projection.cancer_hpv1618[:k].sum(), projection.reference_cancer_hpv1618[:k].sum()
    else:
        with_v, without = projection.cancer[:k].sum(), projection.reference_cancer[:k].sum()
    return float(1.0 - with_v / without) if without > 0 else 0.0


def reduction_by_vaccination_age(params: Params | None = None, vaccination_ages=None, coverage: float = 1.0,
                                 efficacy: float | None = None, by_age: int = 80) -> tuple[np.ndarray, np.ndarray]:
    """Relative reduction of the cumulative risk by ``by_age`` for many ages at vaccination at once.

    Returns ``(vaccination_ages, reduction)``; by default ages 9 to 26 in steps of 0.5.
    """
    p = _check_params(params)
    cov = _fraction(coverage, "coverage", "fraction of girls vaccinated")
    e = p.vaccine_efficacy if efficacy is None else _fraction(efficacy, "efficacy", "protection against HPV16/18 infection")
    if vaccination_ages is None:
        vaccination_ages = np.arange(VACCINATION_AGE_RANGE[0], VACCINATION_AGE_RANGE[1] + 0.25, 0.5)
    v = np.atleast_1d(np.asarray(vaccination_ages, dtype=float))
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < AGE_START) or np.any(v > AGE_END):
        raise ValueError(f"vaccination_ages must be ages in years between {AGE_START} and {AGE_END}")
    k = _by_age_index(by_age)
    i, _, z, other = _unvaccinated(p)
    _, h = _kernels(p)
    # cancers before the birthday caused by the infections of each year of age
    caused = i * np.concatenate([[0.0], np.cumsum(h)])[np.clip(k - np.arange(AGES.size), 0, None)]
    total = z[:k].sum() + other[:k].sum()
    prevented = cov * e * (_vaccinated_weight(v) @ caused)
    return v, (prevented / total if total > 0 else np.zeros_like(v))


# --------------------------------------------------------------------------------------
# Calibration
# --------------------------------------------------------------------------------------

def solve_persistent_cin_rate(params: Params | None = None,
                              target_cin23_by_36_months: float = HPV1618_CIN23_BY_36_MONTHS) -> float:
    """The CIN2/3 rate δ (1/y) at which ``target`` of new infections are CIN2/3 after 36 months."""
    p = _check_params(params)
    target = _fraction(target_cin23_by_36_months, "target_cin23_by_36_months", "a probability")
    ceiling = p.persistent_probability
    if not 0.0 < target < ceiling:
        raise ValueError(f"only the {ceiling:.2f} of infections that persist a year can become CIN2/3; "
                         f"a target of {target!r} cannot be reached")
    c = p.persistent_clearance_rate_per_y
    return brentq(lambda d: ceiling * d / (c + d) * (1.0 - math.exp(-2.0 * (c + d))) - target, 1e-9, 1e4, xtol=1e-14)


def calibrate_cin_weibull_shape(params: Params | None = None,
                                target_risk_by_85: float = CANFELL_LIFETIME_RISK_NO_SCREENING) -> float:
    """The Weibull shape k at which the unvaccinated cumulative risk to age 85 equals the target.

    A larger k makes short times to cancer rarer, so for the same 10-year progression
    more lesions must be movers: the lifetime risk increases with k.
    """
    p = _check_params(params)
    target = _fraction(target_risk_by_85, "target_risk_by_85", "a probability")

    def excess(k: float) -> float:
        q = replace(p, cin_weibull_shape=k)
        _, _, z, other = _unvaccinated(q)
        return float(z.sum() + other.sum()) - target

    # above k_max even a mover fraction of 1 gives fewer than cin_cancer_within_10y cancers in 10 years
    k_max = (math.log(math.log(2.0) / -math.log1p(-p.cin_cancer_within_10y))
             / math.log(p.cin_median_years_to_cancer / 10.0)) if p.cin_median_years_to_cancer > 10.0 else 20.0
    lo, hi = 0.05, min(20.0, k_max * (1.0 - 1e-9))
    if excess(lo) > 0 or excess(hi) < 0:
        raise ValueError(f"no Weibull shape between {lo:.3g} and {hi} gives a risk of {target!r} by age 85")
    return brentq(excess, lo, hi, xtol=1e-10)
