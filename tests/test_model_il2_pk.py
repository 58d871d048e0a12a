"""The IL-2 pharmacokinetic model against Konrad et al. (1990), the Proleukin label and its own analytics."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from course.models import il2_pk as m

P = m.Params()


def bolus(dose=1.0e6, interval_h=8.0, n_doses=1, start_h=0.0):
    return m.Schedule(dose, interval_h, n_doses, infusion_h=0.0, start_h=start_h)


# --- the published numbers ------------------------------------------------------------

def test_default_parameters_reproduce_konrad_1990():
    # "650 units/ml for a dose of 10^6 units/m2" immediately after an i.v. bolus
    assert m.concentration(P, 0.0, bolus(1.0e6)) == pytest.approx(650.0, rel=1e-12)
    # "median steady state level during an i.v. infusion of 10^6 units/m2 over 6 h is 41 units/ml"
    assert m.continuous_steady_state(P, 1.0e6 / 6.0) == pytest.approx(41.0, rel=1e-12)
    # ... and after 6 h of that infusion the model is within 2 % of it (the slow phase is 94 % complete)
    assert m.concentration(P, 6.0, m.Schedule.continuous(1.0e6 / 6.0, 6.0)) == pytest.approx(41.0, rel=0.02)
    # "a clearance rate of approximately 120 ml/min": per m², that is an adult of ~1.77 m²
    assert 1.6 < m.KONRAD_CLEARANCE_ML_PER_MIN / P.clearance_ml_per_min_per_m2 < 1.9


def _half_lives_from_curve(t, c, late_from_h):
    """Curve peeling: the log-slope of the late phase, then of what is left once it is subtracted."""
    late = t >= late_from_h
    slope_b, intercept_b = np.polyfit(t[late], np.log(c[late]), 1)
    early = t <= 0.75
    residual = c[early] - np.exp(intercept_b + slope_b * t[early])
    slope_a, _ = np.polyfit(t[early], np.log(residual), 1)
    return -math.log(2) / slope_a * 60, -math.log(2) / slope_b * 60  # minutes


def test_half_lives_recovered_from_a_simulated_bolus_are_the_published_ones():
    sim = m.simulate(P, bolus(), t_end_h=8.0, n_points=2001)
    t_alpha, t_beta = _half_lives_from_curve(sim.t_h, sim.concentration_iu_per_ml, late_from_h=4.0)
    assert t_alpha == pytest.approx(12.9, rel=1e-3)   # Konrad: 12.9 min (label: 13 min)
    assert t_beta == pytest.approx(85.0, rel=1e-3)    # Konrad: 85 min


def test_after_a_15_minute_infusion_the_decay_has_the_same_half_lives():
    s = m.Schedule(1.0e6, 8.0, 1, infusion_h=0.25)
    t = 0.25 + np.linspace(0, 8, 2001)
    c = m.concentration(P, t, s)
    t_alpha, t_beta = _half_lives_from_curve(t - 0.25, c, late_from_h=4.0)
    assert (t_alpha, t_beta) == pytest.approx((12.9, 85.0), rel=1e-3)


def test_label_regimen_for_an_example_patient():
    s = m.high_dose_schedule(weight_kg=70.0, height_cm=170.0)
    bsa = math.sqrt(70.0 * 170.0 / 3600.0)
    assert s.dose_iu_per_m2 == pytest.approx(600_000 * 70.0 / bsa)
    assert (s.interval_h, s.n_doses, s.infusion_h) == (8.0, 14, 0.25)
    assert s.dose_times_h[-1] == 104.0
    # 600,000 IU/kg "(0.037 mg/kg)": the label's specific activity links the two
    assert 600_000 / m.SPECIFIC_ACTIVITY_IU_PER_MG == pytest.approx(0.037, abs=5e-4)


# --- superposition and steady states --------------------------------------------------

def test_repeated_boluses_reach_the_analytical_accumulation():
    tau, D = 1.0, 1.0e6
    s = bolus(D, tau, n_doses=60)
    acc = m.accumulation_factors(P, tau)
    assert acc == pytest.approx(1 / (1 - 0.5 ** (tau * 60 / np.array([12.9, 85.0]))))
    lam, coef = P._exponentials()
    last = s.dose_times_h[-1]
    just_after = m.concentration(P, last, s)
    assert just_after == pytest.approx(D * np.sum(coef * acc), rel=1e-9)
    tr = m.troughs(P, s)
    assert tr[-1] > 1.5 * tr[0] and acc[1] > 2.5                    # it really accumulated (slow phase)
    assert m.troughs(P, s)[-1] == pytest.approx(m.steady_state_trough(P, s), rel=1e-9)
    grid = np.linspace(0, tau, 7)[:-1]
    assert m.concentration(P, last + grid, s) == pytest.approx(m.steady_state_profile(P, s, grid), rel=1e-9)


def test_troughs_rise_towards_the_steady_state_trough():
    s = m.Schedule(1.0e6, 2.0, 30, infusion_h=0.25)
    tr = m.troughs(P, s)
    assert np.all(np.diff(tr) > 0)
    assert tr[-1] == pytest.approx(m.steady_state_trough(P, s), rel=1e-9)
    assert tr[0] < 0.8 * m.steady_state_trough(P, s)
    sim = m.simulate(P, s, t_end_h=60.0, n_points=50)
    assert m.cmax(sim, 50, 60) == pytest.approx(m.steady_state_peak(P, s), rel=1e-9)   # peaks sampled exactly


def test_continuous_infusion_steady_state_is_rate_over_clearance():
    R = 2.0e6  # IU/m²/h
    s = m.Schedule.continuous(R, 48.0)
    css = R / (P.clearance_ml_per_min_per_m2 * 60.0)
    assert m.continuous_steady_state(P, R) == pytest.approx(css, rel=1e-12)
    assert m.concentration(P, 47.9, s) == pytest.approx(css, rel=1e-8)
    assert m.concentration(P, 0.5, s) < 0.9 * css
    assert m.concentration(P, 60.0, s) < 0.01 * css             # washed out after it stops
    assert m.steady_state_profile(P, s, [0.0, 24.0]) == pytest.approx([css, css], rel=1e-12)


def test_same_daily_dose_same_daily_auc_very_different_peaks():
    s = m.high_dose_schedule(70.0, 170.0)
    c = s.as_continuous()
    assert c.is_continuous and c.dose_iu_per_m2 == pytest.approx(14 * s.dose_iu_per_m2)
    expected = s.daily_dose_iu_per_m2 / P.clearance_ml_per_h_per_m2
    assert m.auc_24h(P, s, day=3) == pytest.approx(expected, rel=1e-6)
    assert m.auc_24h(P, c, day=3) == pytest.approx(expected, rel=1e-6)
    total = m.auc(P, s, 0, 1000)
    assert total == pytest.approx(14 * s.dose_iu_per_m2 / P.clearance_ml_per_h_per_m2, rel=1e-9)
    peak_bolus = m.cmax(m.simulate(P, s, 120.0))
    assert peak_bolus > 10 * m.cmax(m.simulate(P, c, 120.0))


def test_explainer_message_in_receptor_terms():
    """Peaks of the 8-hourly regimen exceed the intermediate-affinity Kd (≈1 nM) many times over and its
    troughs fall below it; a continuous infusion of the same daily dose sits above it throughout."""
    s = m.high_dose_schedule(70.0, 170.0)
    peak_pm = m.iu_per_ml_to_pm(m.steady_state_peak(P, s))
    trough_pm = m.iu_per_ml_to_pm(m.steady_state_trough(P, s))
    css_pm = m.iu_per_ml_to_pm(m.continuous_steady_state(P, s.dose_iu_per_m2 / s.interval_h))
    kd = m.KD_INTERMEDIATE_AFFINITY_PM
    assert peak_pm > 10 * kd and trough_pm < kd < css_pm
    assert m.occupancy(peak_pm, kd) > 0.9 and m.occupancy(trough_pm, kd) < 0.1
    assert m.occupancy(kd, kd) == pytest.approx(0.5)


def test_auc_closed_form_matches_numerical_integration():
    s = m.Schedule(3.0e6, 6.0, 5, infusion_h=0.5, start_h=1.0)
    t = np.linspace(0.0, 40.0, 400_001)
    numeric = np.trapezoid(m.concentration(P, t, s), t)
    assert m.auc(P, s, 0.0, 40.0) == pytest.approx(numeric, rel=1e-6)
    tb = np.linspace(2.0, 9.0, 200_001)
    b = bolus(1.0e6, 3.0, 3)
    assert m.auc(P, b, 2.0, 9.0) == pytest.approx(np.trapezoid(m.concentration(P, tb, b), tb), rel=1e-5)


def test_linearity_and_zero_dose():
    t = np.linspace(0, 30, 50)
    s1, s2 = m.Schedule(1e6, 8, 3), m.Schedule(2e6, 8, 3)
    assert m.concentration(P, t, s2) == pytest.approx(2 * m.concentration(P, t, s1))
    assert np.all(m.concentration(P, t, m.Schedule(0.0, 8, 3)) == 0)
    assert np.all(m.concentration(P, [-1.0, -0.01], s1) == 0)   # nothing before the first dose


def test_time_above_a_threshold():
    s = bolus(1.0e6)
    thr = 20.0
    t_cross = brentq(lambda t: m.concentration(P, t, s) - thr, 0.01, 12.0)
    sim = m.simulate(P, s, t_end_h=12.0, n_points=4001)
    assert m.time_above(sim, thr) == pytest.approx(t_cross, rel=1e-4)
    assert m.time_above(sim, 1e9) == 0.0
    c = m.Schedule.continuous(1.0e6, 10.0)
    sim_c = m.simulate(P, c, t_end_h=10.0, n_points=1001)
    assert m.time_above(sim_c, 0.0) == pytest.approx(10.0, abs=0.02)


def test_micro_constants_are_a_valid_compartment_model():
    k = P.micro_constants_per_h
    assert all(v > 0 for v in k.values())
    assert k["k10"] == pytest.approx(P.clearance_ml_per_h_per_m2 / P.central_volume_ml_per_m2)
    assert k["k10"] * k["k21"] == pytest.approx(P.alpha_per_h * P.beta_per_h)
    assert P.steady_state_volume_ml_per_m2 > P.central_volume_ml_per_m2
    assert 0 < P.fast_fraction < 1


def test_simulation_grid_includes_every_dose_start_and_end():
    s = m.Schedule(1e6, 8, 3, infusion_h=0.25)
    sim = m.simulate(P, s, t_end_h=24.0, n_points=10)
    for edge in (0.0, 0.25, 8.0, 8.25, 16.0, 16.25):
        assert edge in sim.t_h
    assert np.all(np.diff(sim.t_h) > 0)
    assert sim.concentration_pm == pytest.approx(m.iu_per_ml_to_pm(sim.concentration_iu_per_ml))


# --- units ------------------------------------------------------------------------------

def test_unit_conversions_use_the_label_and_round_trip():
    assert m.iu_per_ml_to_ng_per_ml(18.0e6) == pytest.approx(1.1e6)          # 18 MIU = 1.1 mg
    assert m.ng_per_ml_to_pm(15.3) == pytest.approx(1000.0)                  # 15.3 ng/mL of 15.3 kDa = 1 nM
    # 1 IU/mL = (1.1e-3 g / 18e6) per mL = that × 1e3 per L; / 15,300 g/mol; × 1e12 pM per M ≈ 4.0 pM
    assert m.iu_per_ml_to_pm(1.0) == pytest.approx(1.1e-3 / 18.0e6 * 1e3 / 15_300 * 1e12, rel=1e-12)
    x = np.geomspace(1e-3, 1e5, 25)
    assert m.pm_to_iu_per_ml(m.iu_per_ml_to_pm(x)) == pytest.approx(x, rel=1e-12)
    assert m.ng_per_ml_to_iu_per_ml(m.iu_per_ml_to_ng_per_ml(x)) == pytest.approx(x, rel=1e-12)
    assert m.pm_to_ng_per_ml(m.ng_per_ml_to_pm(x)) == pytest.approx(x, rel=1e-12)


def test_receptor_constants_are_ordered():
    lo, hi = m.KD_HIGH_AFFINITY_PM
    assert lo < hi < m.KD_INTERMEDIATE_AFFINITY_PM < m.KD_LOW_AFFINITY_PM[0] < m.KD_LOW_AFFINITY_PM[1]


# --- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"dose_iu_per_m2": -1.0, "interval_h": 8}, "dose must be"),
    ({"dose_iu_per_m2": float("nan"), "interval_h": 8}, "dose must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 0}, "dosing interval must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": float("nan")}, "dosing interval must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": -8}, "dosing interval must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 8, "n_doses": 0}, "n_doses must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 8, "n_doses": 2.5}, "n_doses must be"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 8, "infusion_h": 9}, "infusion duration"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 8, "infusion_h": -0.1}, "infusion duration"),
    ({"dose_iu_per_m2": 1e6, "interval_h": 8, "start_h": float("inf")}, "start time"),
    ({"dose_iu_per_m2": "1e6", "interval_h": 8}, "dose must be"),
])
def test_bad_schedules_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.Schedule(**kwargs)


@pytest.mark.parametrize("call,message", [
    (lambda: m.simulate(P, bolus(), t_end_h=0), "t_end_h"),
    (lambda: m.simulate(P, bolus(), t_end_h=float("nan")), "t_end_h"),
    (lambda: m.simulate(P, bolus(), t_end_h=10, n_points=1), "n_points"),
    (lambda: m.concentration(P, [0.0, float("nan")], bolus()), "finite"),
    (lambda: m.continuous_steady_state(P, -5.0), "infusion rate"),
    (lambda: m.Schedule.continuous(-1.0, 5.0), "infusion rate"),
    (lambda: m.Schedule.continuous(1.0, 0.0), "infusion duration"),
    (lambda: m.accumulation_factors(P, 0.0), "dosing interval"),
    (lambda: m.auc(P, bolus(), 5.0, 1.0), "end after"),
    (lambda: m.auc_24h(P, bolus(), day=0), "day"),
    (lambda: m.steady_state_profile(P, bolus(), [9.0]), "between 0 and the dosing interval"),
    (lambda: m.dose_iu_per_m2(-600_000, 70, 170), "dose must be"),
    (lambda: m.mosteller_bsa_m2(0, 170), "weight"),
    (lambda: m.occupancy(-1.0, 1000.0), "occupancy"),
    (lambda: m.iu_per_ml_to_pm(float("nan")), "finite"),
    (lambda: m.cmax(m.simulate(P, bolus(), 10.0), 20.0, 30.0), "no simulated time points"),
])
def test_bad_calls_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("kwargs,message", [
    ({"t_half_alpha_min": 0}, "t_half_alpha_min"),
    ({"t_half_beta_min": float("nan")}, "t_half_beta_min"),
    ({"t_half_alpha_min": 100.0}, "shorter than the elimination"),
    ({"central_volume_ml_per_m2": 50_000.0}, "two-compartment"),
    ({"clearance_ml_per_min_per_m2": -1.0}, "clearance"),
])
def test_impossible_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.Params(**kwargs)
