"""The HPV16/18 → CIN2/3 → cervical cancer cohort model against the studies its numbers come from.

Every published number is quoted next to the assertion that checks it (the full
references are in ``course/models/hpv_cervical.py``).  Three kinds of check:
- parameters that are the papers' numbers, and outputs that must reproduce them
  (Rodríguez 2008, Plummer/ALTS, Insinga 2007, Vink 2013, Wellings 2001, FUTURE II);
- the calibration target (Canfell 2004: 1.70 % lifetime risk without screening);
- behaviour that could fail: vaccination age, coverage, efficacy, existing infections,
  the binned delays against exact continuous-time integrals.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.integrate import quad

from course.models import hpv_cervical as m

P = m.DEFAULT


# ---------------------------------------------------------------- the papers' numbers

def test_defaults_are_the_published_numbers():
    # Insinga 2007 (CEBP): "an incidence rate per 100 person-years of ... 5.4 for HPV-16, and 2.1 for HPV-18"
    assert P.infection_rate_per_y == pytest.approx((5.4 + 2.1) / 100, rel=1e-12)
    # Rodríguez 2008: "67% (95% CI = 63% to 70%) clearing by 12 months"
    assert P.cleared_first_year == 0.67
    # Vink 2013: "The median time from CIN2/3 to cancer was estimated to be 23.5 years";
    # "2.4% of the HPV-16-positive lesions progressed to cancer within 10 years"
    assert (P.cin_median_years_to_cancer, P.cin_cancer_within_10y) == (23.5, 0.024)
    # FUTURE II 2007: "HPV-16 and HPV-18 cause approximately 70% of cervical cancers worldwide"
    assert P.hpv1618_share == 0.70
    # Herrero 2011: "ATP VE was 90.9% (95% CI, 82.0-95.9) against HPV16/18 infections" (1-year persistent)
    assert P.vaccine_efficacy == 0.909
    # Wellings 2001: "26% for women" reported first intercourse before 16
    assert P.debut_fraction_before_16 == 0.26
    # POBASCAM (CEBP 2015), bivalent types: "Linear effect: regression coefficient" −0.079 per year of age
    assert P.infection_decline_per_y == 0.079


def test_sexual_debut_reproduces_natsal_2000():
    # Wellings 2001, women 16-19: 26 % before age 16; "median age was 16 years" (completed years),
    # so the median exact age lies in [16, 17): fewer than half by the 16th birthday, at least half by the 17th.
    d16, d17 = m.sexual_debut_fraction(P, [16.0, 17.0])
    assert d16 == pytest.approx(0.26, rel=1e-12)
    assert d16 < 0.5 <= d17 + 1e-12
    # and nobody is infected before debut: the hazard at 9 is negligible next to that at 20
    assert m.infection_hazard_per_year(P, 9.5) < 1e-3 * m.infection_hazard_per_year(P, 20.5)


def test_two_thirds_of_infections_clear_within_a_year():
    # Rodríguez 2008: "Infections typically cleared rapidly, with 67% ... clearing by 12 months."
    out = m.infection_outcomes(P, [0.5, 1.0])
    assert out["cleared"][1] == pytest.approx(0.67, abs=1e-12)
    assert out["cin23"][1] == 0.0                       # CIN2/3 needs persistence (Moscicki 2012)
    for t in (0.0, 0.3, 1.0, 2.0, 5.0, 40.0):
        o = m.infection_outcomes(P, t)
        assert o["cleared"] + o["cin23"] + o["infected"] == pytest.approx(1.0, abs=1e-12)
        assert min(o["cleared"], o["cin23"], o["infected"]) >= -1e-12


def test_long_persistent_infections_clear_at_the_alts_rate():
    # Plummer (ALTS): 65% (95% CI 61%-70%) of infections that had "already persisted for ≥18 months"
    # persisted a further 6 months: the clearance rate of persistent infections alone gives exactly that.
    assert math.exp(-0.5 * P.persistent_clearance_rate_per_y) == pytest.approx(0.65, rel=1e-12)
    # (c is clearance alone; progression to CIN2/3 is a separate, competing rate in the model.)
    assert P.persistent_clearance_rate_per_y == pytest.approx(-2 * math.log(0.65), rel=1e-12)


def test_hpv1618_progression_to_cin23_within_36_months():
    # Insinga 2007 (Infect Agent Cancer): "Cumulative 36-month progression rates to CIN-2/3 testing positive
    # for the relevant HPV type were highest for HPV-16 infections (16.5%), followed by HPV-18 (8.2%)."
    # Weighted by the incidence of each type (5.4 and 2.1 per 100 person-years):
    target = (5.4 * 0.165 + 2.1 * 0.082) / 7.5
    assert target == pytest.approx(0.1418, abs=5e-5)
    assert m.infection_outcomes(P, 3.0)["cin23"] == pytest.approx(target, rel=1e-5)
    assert m.solve_persistent_cin_rate(P) == pytest.approx(P.persistent_cin_rate_per_y, rel=1e-5)


def test_cin_risk_of_persistent_infections_lies_between_the_guanacaste_figures():
    # Rodríguez 2008: among infections that persisted ≥ 12 months, CIN2+ by 30 months was 21% for all
    # carcinogenic types at all ages and 53% for HPV-16 in women under 30; HPV16/18 lie in between.
    o = m.infection_outcomes(P, 2.5)
    risk = o["cin23"] / P.persistent_probability
    assert 0.21 < risk < 0.53


def test_cin23_to_cancer_reproduces_vink_2013():
    # Vink 2013: "2.4% of the HPV-16-positive lesions progressed to cancer within 10 years"
    assert m.cin_to_cancer_cdf(P, 10.0) == pytest.approx(0.024, rel=1e-12)
    # "The median time from CIN2/3 to cancer was estimated to be 23.5 years" (among progressing lesions)
    mu = m.cin_mover_fraction(P)
    assert m.cin_to_cancer_cdf(P, 23.5) == pytest.approx(0.5 * mu, rel=1e-12)
    assert 0.05 < mu < 0.5                              # most lesions never progress
    assert np.all(np.diff(m.cin_to_cancer_cdf(P, np.linspace(0, 80, 81))) >= 0)


# ---------------------------------------------------------------- calibration target

def test_unvaccinated_lifetime_risk_is_the_calibration_target():
    # Canfell 2004: "The predicted cumulative lifetime incidence of invasive cervical cancer in the UK is
    # 1.70% in the absence of screening" — here the cumulative risk to age 85 without vaccination.
    proj = m.simulate(P)
    assert m.cumulative_risk(proj, 85, vaccinated=False) == pytest.approx(0.0170, abs=2e-6)
    assert m.calibrate_cin_weibull_shape(dataclasses.replace(P, cin_weibull_shape=2.0)) == \
        pytest.approx(P.cin_weibull_shape, rel=1e-4)


def test_hpv1618_cause_seventy_percent_of_unvaccinated_cancers():
    # FUTURE II: "approximately 70% of cervical cancers"
    proj = m.simulate(P)
    assert proj.reference_cancer_hpv1618.sum() / proj.reference_cancer.sum() == pytest.approx(0.70, rel=1e-12)


def test_exposure_by_trial_age_is_in_the_range_patricia_found():
    # Apter 2015 (PATRICIA, women 15-25): "At baseline, 26% of women in the TVC had evidence of past and/or
    # current HPV-16/18 infection".  Not fitted: the model's ever-infected fraction averaged over exact ages
    # 15-25 should be of that size (it would miss by far more if debut or incidence were off by 1.5-2x).
    ever = 1.0 - m.never_infected_fraction(P)
    mean_15_25 = ever[15 - m.AGE_START: 26 - m.AGE_START].mean()
    assert mean_15_25 == pytest.approx(0.26, abs=0.08)


# ---------------------------------------------------------------- internal consistency

def test_binned_delays_match_continuous_time_integrals():
    """The kernels bin two delays into whole years; compare with the exact integral for one infection."""
    g, h = m._kernels(P)
    k = P.persistent_clearance_rate_per_y + P.persistent_cin_rate_per_y
    assert g.sum() == pytest.approx(P.cin_given_infection, rel=1e-12)

    def exact(years):
        dens = lambda tau: (P.persistent_probability * P.persistent_cin_rate_per_y * math.exp(-k * (tau - 1.0))
                            * float(m.cin_to_cancer_cdf(P, years - tau)))
        return quad(dens, 1.0, years, limit=200)[0]

    for birthday in (30, 50, 85):   # infection at 20.5 → cancers in years of age 20 ... birthday-1
        assert h[: birthday - 20].sum() == pytest.approx(exact(birthday - 20.5), rel=0.015)


def test_every_woman_is_infected_once_at_most():
    proj = m.simulate(P)
    s = m.never_infected_fraction(P)
    assert proj.reference_first_infection.sum() + s[-1] == pytest.approx(1.0, abs=1e-12)
    assert np.all(np.diff(s) <= 0)
    assert proj.reference_cin23.sum() <= P.cin_given_infection * (1 - s[-1])


def test_cancer_lags_infection_by_decades():
    proj = m.simulate(P)
    mid = proj.ages + 0.5
    age_inf = np.average(mid, weights=proj.reference_first_infection)
    age_cin = np.average(mid, weights=proj.reference_cin23)
    age_ca = np.average(mid, weights=proj.reference_cancer_hpv1618)
    assert age_inf < age_cin < age_ca
    assert 1.0 < age_cin - age_inf < 5.0                # 1 year, then a persistent phase of ~1/(c+δ)
    assert 15.0 < age_ca - age_cin < 35.0               # Vink's median 23.5 y, truncated at 85
    inc = proj.reference_incidence_per_100k
    assert inc[20 - m.AGE_START] < 0.25 * inc.max()     # few cancers at 20, many at 40-50


def test_incidence_is_cases_over_women_still_free_of_cancer():
    proj = m.simulate(P, 0.7, 14.0)
    at_risk = 1.0 - np.concatenate([[0.0], np.cumsum(proj.cancer)[:-1]])
    assert proj.incidence_per_100k * at_risk / 1e5 == pytest.approx(proj.cancer, rel=1e-12)
    assert proj.risk_by_50 == pytest.approx(proj.cancer[: 50 - m.AGE_START].sum(), rel=1e-12)
    assert proj.risk_by_50 < proj.risk_by_80
    assert proj.reduction_by_80 == m.relative_reduction(proj, 80)


# ---------------------------------------------------------------- vaccination behaviour

def test_zero_coverage_or_zero_efficacy_equals_no_vaccination():
    for proj in (m.simulate(P, 0.0, 12.0), m.simulate(P, 1.0, 12.0, efficacy=0.0)):
        assert np.array_equal(proj.cancer, proj.reference_cancer)
        assert np.array_equal(proj.first_infection, proj.reference_first_infection)
        assert proj.reduction_by_80 == 0.0


def test_reduction_is_monotone_and_proportional_in_coverage():
    covs = np.linspace(0.0, 1.0, 11)
    red = np.array([m.simulate(P, c, 13.0).reduction_by_80 for c in covs])
    assert np.all(np.diff(red) > 0)
    # no herd effect in a cohort model: the reduction is exactly proportional to coverage
    assert red == pytest.approx(covs * red[-1], rel=1e-9, abs=1e-15)


def test_vaccinating_at_12_prevents_more_than_at_20():
    # Lei 2020 (Sweden): IRR 0.12 if vaccinated "before the age of 17 years", 0.47 "at the age of 17 to 30";
    # Falcaro 2021 (England): reductions 87% (offered at 12-13), 62% (14-16), 34% (16-18).
    # Qualitatively the same here: the later the vaccine, the more women are already infected.
    r = {age: m.simulate(P, 1.0, age).reduction_by_80 for age in (12, 15, 17, 20, 26)}
    assert r[12] > r[15] > r[17] > r[20] > r[26] > 0
    assert r[12] - r[20] > 0.10
    ages, curve = m.reduction_by_vaccination_age(P)
    assert np.all(np.diff(curve) <= 1e-15)              # never better to vaccinate later
    assert curve[0] > 2 * curve[-1]                     # at 9 more than twice the benefit at 26


def test_vaccinating_at_10_or_12_is_the_same_and_18_is_less():
    # Kohli 2007, Table 4 (100 % coverage): cancer cases reduced 76.0 % at 12 (base case) and 76.0 % at 10
    # ("Lower age at vaccination (10 years)"), 66.0 % at 18 ("Higher age at vaccination (18 years)").
    r10, r12, r18 = (m.simulate(P, 1.0, a).reduction_by_80 for a in (10, 12, 18))
    assert abs(r10 - r12) < 0.005
    assert r18 < r12 - 0.03


def test_vaccine_before_debut_with_full_efficacy_removes_every_vaccine_type_cancer():
    proj = m.simulate(P, 1.0, 9.0, efficacy=1.0)
    assert proj.cancer_hpv1618.sum() == pytest.approx(0.0, abs=1e-15)
    assert proj.reduction_by_80 == pytest.approx(P.hpv1618_share, rel=1e-9)     # the other 30 % remain
    early = m.simulate(P, 1.0, 9.0)
    assert m.relative_reduction(early, 80, hpv1618_only=True) == pytest.approx(P.vaccine_efficacy, rel=1e-6)


def test_vaccine_does_nothing_to_infections_already_present():
    # Hildesheim 2007: in women already positive for HPV16/18, 12-month clearance was 48.8 % (vaccine)
    # vs 49.8 % (control).  In the model, vaccinating at 30 changes nothing that began before 30.
    proj = m.simulate(P, 1.0, 30.0, efficacy=1.0)
    before = proj.ages < 30
    assert np.array_equal(proj.first_infection[before], proj.reference_first_infection[before])
    # the first CIN2/3 from a prevented infection can come one year later at the earliest
    assert np.array_equal(proj.cin23[proj.ages <= 30], proj.reference_cin23[proj.ages <= 30])
    assert 0 < proj.reduction_by_80 < 0.5 * m.simulate(P, 1.0, 12.0, efficacy=1.0).reduction_by_80


def test_fractional_vaccination_ages_interpolate_between_birthdays():
    r = [m.simulate(P, 1.0, a).reduction_by_80 for a in (17.0, 17.5, 18.0)]
    assert r[0] > r[1] > r[2]
    assert r[1] == pytest.approx(0.5 * (r[0] + r[2]), rel=0.02)


def test_curve_helper_agrees_with_simulate():
    ages, curve = m.reduction_by_vaccination_age(P, [9.0, 12.5, 19.0, 26.0], coverage=0.8, efficacy=0.95, by_age=50)
    for a, r in zip(ages, curve):
        assert r == pytest.approx(m.simulate(P, 0.8, a, 0.95).reduction_by_50, rel=1e-9)


@pytest.mark.parametrize("coverage", [0.0, 1.0])
@pytest.mark.parametrize("age", [9.0, 26.0])
@pytest.mark.parametrize("efficacy", [0.0, 1.0])
def test_every_control_end_gives_finite_sensible_output(coverage, age, efficacy):
    proj = m.simulate(P, coverage, age, efficacy)
    for arr in (proj.cancer, proj.incidence_per_100k, proj.cin23, proj.first_infection, proj.cumulative_risk):
        assert np.all(np.isfinite(arr)) and np.all(arr >= 0)
    for by in (50, 80):
        assert 0.0 <= m.relative_reduction(proj, by) <= P.hpv1618_share + 1e-12
        assert 0.0 < m.cumulative_risk(proj, by, vaccinated=False) < 0.05


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("call,message", [
    (lambda: m.simulate(P, coverage=1.2), "coverage"),
    (lambda: m.simulate(P, coverage=-0.1), "coverage"),
    (lambda: m.simulate(P, coverage=float("nan")), "coverage"),
    (lambda: m.simulate(P, coverage="half"), "coverage"),
    (lambda: m.simulate(P, vaccination_age=8.0), "vaccination_age"),
    (lambda: m.simulate(P, vaccination_age=float("inf")), "vaccination_age"),
    (lambda: m.simulate(P, efficacy=1.01), "efficacy"),
    (lambda: m.simulate(P, efficacy=True), "efficacy"),
    (lambda: m.simulate("default"), "params"),
    (lambda: m.cumulative_risk(m.simulate(P), 50.5), "by_age"),
    (lambda: m.relative_reduction(m.simulate(P), 90), "by_age"),
    (lambda: m.reduction_by_vaccination_age(P, [12.0, float("nan")]), "vaccination_ages"),
    (lambda: m.infection_outcomes(P, -1.0), "years_since_infection"),
    (lambda: m.cin_to_cancer_cdf(P, [float("nan")]), "years_since_cin"),
    (lambda: m.solve_persistent_cin_rate(P, 0.5), "cannot be reached"),
])
def test_bad_calls_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("change,message", [
    ({"infection_rate_per_y": 0.0}, "infection_rate_per_y"),
    ({"cleared_first_year": 1.0}, "cleared_first_year"),
    ({"hpv1618_share": 0.0}, "hpv1618_share"),
    ({"vaccine_efficacy": -0.1}, "vaccine_efficacy"),
    ({"debut_median_age_y": 15.0}, "debut_median_age_y"),
    ({"cin_weibull_shape": float("nan")}, "cin_weibull_shape"),
    ({"cin_weibull_shape": 5.0}, "fewer than cin_cancer_within_10y"),
    ({"persistent_clearance_rate_per_y": -1.0}, "persistent_clearance_rate_per_y"),
])
def test_impossible_parameters_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(P, **change)
