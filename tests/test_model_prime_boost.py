"""The prime-boost antibody model against White et al. (2015), the RTS,S phase 3 trial and its own analytics.

Sources quoted below (all read as abstracts):
- White MT et al. (2015) Lancet Infect Dis 15:1450-1458, doi:10.1016/S1473-3099(15)00239-X (PMC4655306);
- RTS,S Clinical Trials Partnership (2014) PLoS Med 11:e1001685, doi:10.1371/journal.pmed.1001685;
- Sánchez L et al. (2020) npj Vaccines 5:46, doi:10.1038/s41541-020-0192-7;
- Sagara I et al. (2022) Clin Infect Dis 75:613-622, doi:10.1093/cid/ciab1017.
The fitted values are read from the malariasimulation encoding of White et al. (2015); these tests check
that encoding against what the paper's abstract reports.
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from course.models import prime_boost as m

P = m.Params()
B = m.TRIAL_BOOST_DAY


def curve(peak, long_fraction, dt, params=P):
    """One biphasic curve written out independently of the module (dt ≥ 0, days)."""
    return peak * ((1 - long_fraction) * 0.5 ** (dt / params.t_half_short_days)
                   + long_fraction * 0.5 ** (dt / params.t_half_long_days))


# --- the published numbers ------------------------------------------------------------

def test_population_means_of_the_encoding_reproduce_the_abstract():
    means = m.population_means()
    # "In participants aged 5-17 months, the half-life of the short-lived component of the antibody
    #  response was 45 days (95% credible interval 42-48) and that of the long-lived component was
    #  591 days (557-632)."
    assert means["t_half_short"] == pytest.approx(45.0, rel=0.01)
    assert 42.0 <= means["t_half_short"] <= 48.0
    assert means["t_half_long"] == pytest.approx(591.0, rel=0.005)
    assert 557.0 <= means["t_half_long"] <= 632.0
    # "After primary vaccination 12% (11-13) of the response was estimated to be long-lived, rising to
    #  30% (28-32%) after a booster dose."
    assert means["long_fraction_prime"] == pytest.approx(0.12, abs=0.005)
    assert 0.11 <= means["long_fraction_prime"] <= 0.13
    assert means["long_fraction_boost"] == pytest.approx(0.30, abs=0.005)
    assert 0.28 <= means["long_fraction_boost"] <= 0.32


def test_population_means_agree_with_sampling_the_encoded_distributions():
    rng = np.random.default_rng(20151201)
    z = rng.standard_normal(400_000)
    mu, sigma = m.LOGIT_SHORT_FRACTION_BOOST
    sampled_long_fraction = np.mean(1.0 / (1.0 + np.exp(mu + sigma * z)))
    mu, sigma = m.LOG_T_HALF_LONG
    sampled_t_half_long = np.mean(np.exp(mu + sigma * z))
    means = m.population_means()
    assert means["long_fraction_boost"] == pytest.approx(sampled_long_fraction, abs=0.002)
    assert means["t_half_long"] == pytest.approx(sampled_t_half_long, rel=0.005)
    # the defaults are the typical (median) child: below the means for right-skewed distributions
    assert P.t_half_long_days < means["t_half_long"] and P.long_fraction_prime < means["long_fraction_prime"]


def test_titre_that_prevents_half_of_infections():
    # "An anti-circumsporozoite antibody titre of 121 EU/mL (98-153) was estimated to prevent 50% of
    #  infections."
    a50 = m.titre_for_efficacy(P, 0.5)
    assert a50 == pytest.approx(121.0, rel=0.01)
    assert 98.0 <= a50 <= 153.0
    assert m.efficacy_against_infection(P, a50) == pytest.approx(0.5, rel=1e-12)


def test_peak_after_the_priming_series_lies_in_the_phase3_range():
    # PLoS Med 2014: "Post-vaccination anti-circumsporozoite antibody geometric mean titer varied from
    # 348 to 787 EU/ml across sites in children" (per protocol, children aged 5-17 months).  The geometric
    # mean of a log-normal population is its median, the default peak.
    r = m.simulate(P, None)
    assert 348.0 <= m.peak_after_prime(r) <= 787.0
    assert 348.0 <= m.population_means()["peak_prime"] <= 787.0
    assert r.titre_eu_per_ml[0] == pytest.approx(m.peak_after_prime(r))


def test_booster_response_is_strong_but_lower_than_the_primary_peak():
    # Sánchez et al. 2020: "antibody responses to the booster dose were lower than the initial peak
    # response to primary immunization"; Sagara et al.: titres "fell markedly prior to the first booster
    # dose. A strong antibody response to an annual ... booster dose was observed in primed children but
    # this was lower than after the primary vaccination series".
    r = m.simulate(P, B)
    assert m.peak_after_boost(r) < m.peak_after_prime(r)
    assert m.pre_boost_titre(r) < 0.1 * m.peak_after_prime(r)        # fell markedly by month 20
    assert m.fold_boost(r) > 5.0                                      # a strong response


def test_half_lives_recovered_from_a_simulated_curve():
    """Curve peeling on the no-booster course gives back the two half-lives."""
    r = m.simulate(P, None, days=5 * m.YEAR_DAYS, n_points=4001)
    t, a = r.t_days, r.titre_eu_per_ml
    late = t >= 1200.0
    slope_l, intercept_l = np.polyfit(t[late], np.log(a[late]), 1)
    early = t <= 60.0
    residual = a[early] - np.exp(intercept_l + slope_l * t[early])
    slope_s, _ = np.polyfit(t[early], np.log(residual), 1)
    assert -math.log(2) / slope_l == pytest.approx(P.t_half_long_days, rel=1e-5)
    assert -math.log(2) / slope_s == pytest.approx(P.t_half_short_days, rel=1e-5)
    assert m.half_lives(P) == {"short": P.t_half_short_days, "long": P.t_half_long_days}


# --- how a booster acts -------------------------------------------------------------------

def test_the_trial_booster_replaces_the_priming_curve():
    """For the trial's schedule the course rule (never below the priming curve) is exactly the paper's
    replacement: after the booster the titre is the booster's own curve."""
    t = np.linspace(B, 6 * m.YEAR_DAYS, 500)
    expected = curve(P.peak_boost_eu_per_ml, P.long_fraction_boost, t - B)
    assert m.titre(P, t, B) == pytest.approx(expected, rel=1e-12)
    before = np.linspace(0, B, 200, endpoint=False)
    assert m.titre(P, before, B) == pytest.approx(curve(P.peak_prime_eu_per_ml, P.long_fraction_prime, before),
                                                  rel=1e-12)


def test_booster_response_lasts_longer_than_the_priming_response():
    r = m.simulate(P, B)
    kept_after_prime = m.level_at(m.simulate(P, None), 3 * m.YEAR_DAYS) / P.peak_prime_eu_per_ml
    kept_after_boost = m.level_at(r, B + 3 * m.YEAR_DAYS) / m.peak_after_boost(r)
    assert kept_after_boost > 2.5 * kept_after_prime
    # once the short-lived component is gone the ratio is that of the long-lived fractions
    assert kept_after_boost / kept_after_prime == pytest.approx(P.long_fraction_boost / P.long_fraction_prime,
                                                                rel=1e-3)


def test_later_booster_means_more_antibody_at_five_years_but_the_same_booster_peak():
    no_boost = m.level_at_years(m.simulate(P, None), 5.0)
    results = [m.simulate(P, months * m.MONTH_DAYS) for months in (12, 18, 24)]
    at_5y = [m.level_at_years(r, 5.0) for r in results]
    assert at_5y[0] < at_5y[1] < at_5y[2]
    assert min(at_5y) > 2 * no_boost
    folds = [m.fold_boost(r) for r in results]
    assert folds[0] < folds[1] < folds[2]                     # less antibody left to boost from
    peaks = [m.peak_after_boost(r) for r in results]
    assert peaks == pytest.approx([P.peak_boost_eu_per_ml] * 3)  # the paper: the peak does not depend on timing


def test_booster_on_day_zero_adds_nothing_at_first_but_its_longer_tail_takes_over():
    r = m.simulate(P, 0.0)
    assert r.titre_eu_per_ml[0] == pytest.approx(P.peak_prime_eu_per_ml)
    assert m.fold_boost(r) == pytest.approx(1.0)
    early = r.t_days < 30
    assert r.titre_eu_per_ml[early] == pytest.approx(r.prime_only_eu_per_ml[early])
    late_day = 5 * m.YEAR_DAYS
    assert m.level_at(r, late_day) == pytest.approx(curve(P.peak_boost_eu_per_ml, P.long_fraction_boost, late_day))
    # by then only long-lived antibody is left: the booster's long-lived amplitude is the larger one
    ratio = (P.peak_boost_eu_per_ml * P.long_fraction_boost) / (P.peak_prime_eu_per_ml * P.long_fraction_prime)
    assert ratio > 1.0
    assert m.level_at(r, late_day) / r.prime_only_eu_per_ml[-1] == pytest.approx(ratio, rel=1e-3)


# --- shape of the response ----------------------------------------------------------------

def test_without_a_booster_there_is_a_single_peak_and_only_decay():
    r = m.simulate(P, None, n_points=2000)
    a = r.titre_eu_per_ml
    assert np.argmax(a) == 0
    assert np.all(np.diff(a) < 0)
    assert np.array_equal(a, r.prime_only_eu_per_ml)
    assert m.peak_after_boost(r) is None and m.fold_boost(r) is None and m.pre_boost_titre(r) is None


def test_with_a_booster_there_are_exactly_two_peaks():
    r = m.simulate(P, B, n_points=2000)
    a = r.titre_eu_per_ml
    rises = np.flatnonzero(np.diff(a) > 0)
    assert rises.size == 1                                     # one jump, at the booster
    assert r.t_days[rises[0]] == r.t_days[rises[0] + 1] == B


def test_titres_decay_towards_the_long_lived_phase():
    r = m.simulate(P, None)
    days = [1.0, 60.0, 180.0, 365.25, 730.5, 1826.25]
    hl = [m.apparent_half_life(r, d) for d in days]
    assert all(np.diff(hl) > 0)
    assert hl[0] < 1.1 * P.t_half_short_days
    assert hl[-1] == pytest.approx(P.t_half_long_days, rel=1e-3)
    two_years = r.t_days >= 2 * m.YEAR_DAYS
    share_long = r.long_lived_eu_per_ml[two_years] / r.titre_eu_per_ml[two_years]
    assert np.all(share_long > 0.99)
    assert r.short_lived_eu_per_ml + r.long_lived_eu_per_ml == pytest.approx(r.titre_eu_per_ml, rel=1e-12)


def test_simulation_grid_shows_the_jump_at_the_booster():
    r = m.simulate(P, 400.0, n_points=50)
    i = int(np.flatnonzero(r.t_days == 400.0)[0])
    assert r.t_days[i + 1] == 400.0 and np.all(np.diff(r.t_days) >= 0)
    assert r.titre_eu_per_ml[i] == pytest.approx(m.pre_boost_titre(r))
    assert r.titre_eu_per_ml[i + 1] == pytest.approx(m.peak_after_boost(r))
    assert r.t_days[0] == 0.0 and r.t_days[-1] == pytest.approx(5 * m.YEAR_DAYS)
    grid_day = float(np.linspace(0.0, 5 * m.YEAR_DAYS, 50)[10])
    on_grid = m.simulate(P, grid_day, n_points=50)                    # booster exactly on a grid point
    assert on_grid.t_days.size == 51


def test_levels_at_one_and_five_years():
    r = m.simulate(P, B)
    one, five = m.level_at_years(r)
    assert one == pytest.approx(curve(P.peak_prime_eu_per_ml, P.long_fraction_prime, m.YEAR_DAYS))
    assert five == pytest.approx(curve(P.peak_boost_eu_per_ml, P.long_fraction_boost, 5 * m.YEAR_DAYS - B))
    assert five == pytest.approx(r.titre_eu_per_ml[-1])
    assert m.level_at(r, [m.YEAR_DAYS, 5 * m.YEAR_DAYS]) == pytest.approx([one, five])


def test_days_above_a_threshold_match_root_finding():
    r = m.simulate(P, B)
    thr = m.titre_for_efficacy(P, 0.5)
    f_prime = lambda t: curve(P.peak_prime_eu_per_ml, P.long_fraction_prime, t) - thr
    f_boost = lambda t: curve(P.peak_boost_eu_per_ml, P.long_fraction_boost, t) - thr
    expected = brentq(f_prime, 0, B) + brentq(f_boost, 0, 5 * m.YEAR_DAYS - B)
    assert m.days_above(r, thr) == pytest.approx(expected, rel=1e-9)
    fine = np.linspace(0, 5 * m.YEAR_DAYS, 400_001)
    brute = np.count_nonzero(m.titre(P, fine, B) > thr) * (fine[1] - fine[0])
    assert m.days_above(r, thr) == pytest.approx(brute, abs=0.05)
    assert m.days_above(r, 0.0) == pytest.approx(5 * m.YEAR_DAYS)
    assert m.days_above(r, 1e6) == 0.0


# --- dose (course assumption) ------------------------------------------------------------

def test_dose_scales_the_peak_of_the_curve_it_starts():
    t = np.linspace(0, 3 * m.YEAR_DAYS, 300)
    one = m.titre(P, t, None)
    assert m.titre(P, t, None, prime_dose=2.0) == pytest.approx(2.0 * one)
    flatter = m.Params(dose_exponent=0.5)
    assert m.titre(flatter, t, None, prime_dose=4.0) == pytest.approx(2.0 * one)
    assert m.titre(m.Params(dose_exponent=0.0), t, None, prime_dose=0.3) == pytest.approx(one)
    assert np.all(m.titre(m.Params(dose_exponent=0.0), t, None, prime_dose=0.0) == 0.0)
    r_half, r_full = m.simulate(P, B, boost_dose=0.5), m.simulate(P, B)
    assert m.peak_after_boost(r_half) == pytest.approx(0.5 * m.peak_after_boost(r_full))


def test_a_zero_dose_booster_changes_nothing():
    with_zero = m.simulate(P, B, boost_dose=0.0)
    without = m.simulate(P, None)
    assert m.level_at(with_zero, without.t_days) == pytest.approx(without.titre_eu_per_ml, rel=1e-12)
    assert m.fold_boost(with_zero) == pytest.approx(1.0)


@pytest.mark.parametrize("boost_day", [0.0, 1e-9, 30.0, B, 5 * m.YEAR_DAYS, 10 * m.YEAR_DAYS, None])
@pytest.mark.parametrize("doses", [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (3.0, 3.0)])
def test_control_ends_stay_finite(boost_day, doses):
    prime_dose, boost_dose = doses
    r = m.simulate(P, boost_day, boost_dose=boost_dose, prime_dose=prime_dose)
    for name in ("titre_eu_per_ml", "short_lived_eu_per_ml", "long_lived_eu_per_ml", "prime_only_eu_per_ml",
                 "efficacy"):
        a = getattr(r, name)
        assert a.shape == r.t_days.shape and np.all(np.isfinite(a)) and np.all(a >= 0), name
    assert np.all(np.diff(r.t_days) >= 0)
    assert np.all(r.efficacy < P.efficacy_max)
    for value in (m.peak_after_prime(r), m.peak_after_boost(r), m.fold_boost(r), m.pre_boost_titre(r),
                  m.days_above(r, 121.0), m.apparent_half_life(r, 100.0)):
        assert value is None or math.isfinite(value)


def test_two_point_grid_is_allowed():
    r = m.simulate(P, None, days=10.0, n_points=2)
    assert r.t_days.tolist() == [0.0, 10.0]


# --- protection curve ----------------------------------------------------------------------

def test_efficacy_curve_is_monotone_and_bounded():
    a = np.geomspace(1e-3, 1e6, 200)
    v = m.efficacy_against_infection(P, a)
    assert np.all(np.diff(v) > 0) and np.all(v < P.efficacy_max)
    assert m.efficacy_against_infection(P, 0.0) == 0.0
    assert v[-1] == pytest.approx(P.efficacy_max, rel=0.01)
    for target in (0.1, 0.3, 0.6, 0.9):
        assert m.efficacy_against_infection(P, m.titre_for_efficacy(P, target)) == pytest.approx(target)


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"peak_prime_eu_per_ml": -1.0}, "peak_prime_eu_per_ml"),
    ({"peak_boost_eu_per_ml": float("nan")}, "peak_boost_eu_per_ml"),
    ({"long_fraction_prime": 1.2}, "long_fraction_prime"),
    ({"long_fraction_boost": -0.1}, "long_fraction_boost"),
    ({"t_half_short_days": 0.0}, "t_half_short_days"),
    ({"t_half_long_days": float("inf")}, "t_half_long_days"),
    ({"t_half_short_days": 600.0}, "shorter than the long-lived"),
    ({"dose_exponent": -1.0}, "dose_exponent"),
    ({"efficacy_max": 1.5}, "efficacy_max"),
    ({"efficacy_shape": 0.0}, "efficacy_shape"),
    ({"efficacy_scale_eu_per_ml": "99"}, "efficacy_scale_eu_per_ml"),
    ({"long_fraction_prime": True}, "long_fraction_prime"),
])
def test_impossible_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.Params(**kwargs)


@pytest.mark.parametrize("call,message", [
    (lambda: m.simulate(P, -1.0), "boost_day"),
    (lambda: m.simulate(P, float("nan")), "boost_day"),
    (lambda: m.simulate(P, B, boost_dose=-0.5), "boost_dose"),
    (lambda: m.simulate(P, B, prime_dose=float("inf")), "prime_dose"),
    (lambda: m.simulate(P, B, days=0.0), "days"),
    (lambda: m.simulate(P, B, n_points=1), "n_points"),
    (lambda: m.simulate(P, B, n_points=10.5), "n_points"),
    (lambda: m.titre(P, [0.0, float("nan")]), "finite"),
    (lambda: m.titre_for_efficacy(P, 0.95), "below the maximum"),
    (lambda: m.titre_for_efficacy(P, -0.1), "efficacy"),
    (lambda: m.efficacy_against_infection(P, -1.0), "≥ 0"),
    (lambda: m.days_above(m.simulate(P, B), -5.0), "threshold"),
    (lambda: m.dose_scale(P, -1.0), "dose"),
])
def test_bad_calls_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()
