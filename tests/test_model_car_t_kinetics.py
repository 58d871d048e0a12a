"""The tisagenlecleucel cellular kinetic model against Stein et al. (2019) and the Kymriah label.

Stein AM, Grupp SA, Levine JE, et al. (2019) CPT Pharmacometrics Syst Pharmacol 8:285-295,
doi:10.1002/psp4.12388.  Where the numbers come from:
- the abstract (read in a copy of the Europe PMC text, PMC6539725): "The doubling time, initial decline half-life, and
  terminal half-life for tisagenlecleucel were 0.78, 4.3, and 220 days, respectively.";
- Table 1 typical values (foldx 3900, Tmax 9.3 d, Cmax 24,000 copies/µg, alpha 0.16/d,
  FB 0.0079, beta 0.0032/d) and the Fig. 2 equations, as restated by the nlmixr2lib encoding
  Stein_2019_Tisagenlecleucel (the paper's table itself was not read);
- that encoding's vignette, which recomputes from Table 1 "R0 = Cmax / foldx = 24000 / 3900 =
  6.15 copies/ug", "rho = log(foldx) / Tmax = log(3900) / 9.3 = 0.889 1/day" and, by PKNCA on
  the typical curve, "auclast 172000" over days 0-28 (an independent implementation's number);
- the Kymriah label's dose ranges.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course.models import car_t_kinetics as m

P = m.Params()
TYPICAL = m.course()


# --- the published numbers ------------------------------------------------------------

def test_defaults_are_the_table_1_typical_values():
    # Stein 2019 Table 1: foldx 3900, Tmax 9.3, Cmax 24000, alpha 0.16, FB 0.0079, beta 0.0032
    assert (P.fold_expansion, P.t_max_days, P.c_max_copies_per_ug, P.alpha_per_day,
            P.fraction_persisting, P.beta_per_day) == (3900.0, 9.3, 24_000.0, 0.16, 0.0079, 0.0032)
    # Table 2 as restated: doses "3.1e6 median (0.2-5.4e6)" cells/kg for patients <=50 kg
    assert P.reference_dose_cells_per_kg == 3.1e6


def test_doubling_time_and_half_lives_round_to_the_abstracts_values():
    # "The doubling time, initial decline half-life, and terminal half-life for tisagenlecleucel
    #  were 0.78, 4.3, and 220 days, respectively."  Recomputed from Table 1, each rounds to the
    #  abstract's figure at the abstract's precision (220 has two significant figures: 216.6 → 220).
    assert round(P.doubling_time_days, 2) == m.STEIN_DOUBLING_TIME_DAYS == 0.78
    assert round(P.contraction_half_life_days, 1) == m.STEIN_CONTRACTION_HALF_LIFE_DAYS == 4.3
    t_term = P.persistence_half_life_days
    assert float(f"{t_term:.2g}") == m.STEIN_TERMINAL_HALF_LIFE_DAYS == 220.0
    # the same three numbers from ln 2 and the raw Table 1 values, independently of the module
    assert P.doubling_time_days == pytest.approx(math.log(2) * 9.3 / math.log(3900), rel=1e-12)
    assert TYPICAL.doubling_time_days == pytest.approx(P.doubling_time_days, rel=1e-12)


def test_derived_rate_and_starting_level_match_the_encodings_arithmetic():
    # nlmixr2lib vignette: "R0 = Cmax / foldx = 24000 / 3900 = 6.15 copies/ug",
    # "rho = log(foldx) / Tmax = log(3900) / 9.3 = 0.889 1/day"
    assert round(P.starting_level_copies_per_ug, 2) == 6.15
    assert round(P.expansion_rate_per_day, 3) == 0.889
    assert TYPICAL.starting_level == pytest.approx(P.starting_level_copies_per_ug, rel=1e-12)


def test_simulated_curve_peaks_at_the_typical_cmax_on_the_typical_day():
    # Table 1: Cmax 24,000 copies/µg at Tmax 9.3 days; found here as the maximum of a fine curve
    t = np.linspace(0.0, 60.0, 600_001)
    y = m.level(TYPICAL, t)
    i = int(np.argmax(y))
    assert t[i] == pytest.approx(9.3, abs=1e-4)
    assert y[i] == pytest.approx(24_000.0, rel=1e-9)
    assert y[0] == pytest.approx(24_000.0 / 3900.0, rel=1e-12)          # R0 at the infusion
    assert y[0] * 3900 == pytest.approx(y[i], rel=1e-9)                  # foldx from start to peak
    sim = m.simulate()
    assert 9.3 in sim.t_days and sim.total.max() == pytest.approx(24_000.0, rel=1e-12)


def test_auc_0_28_matches_an_independent_nca_of_the_typical_curve():
    # nlmixr2lib vignette, PKNCA on the typical curve (0.1-day grid), days 0-28: "auclast 172000"
    assert m.auc(TYPICAL, 0.0, 28.0) == pytest.approx(172_000.0, rel=5e-3)
    # and the closed form equals a fine trapezoid of the curve itself
    t = np.linspace(0.0, 28.0, 280_001)
    assert m.auc(TYPICAL, 0.0, 28.0) == pytest.approx(np.trapezoid(m.level(TYPICAL, t), t), rel=1e-8)
    t2 = np.linspace(5.0, 400.0, 800_001)
    assert m.auc(TYPICAL, 5.0, 400.0) == pytest.approx(np.trapezoid(m.level(TYPICAL, t2), t2), rel=1e-7)


def test_label_dose_ranges():
    # Kymriah label: "0.2 to 5.0 x 10^6 CAR-positive viable T cells per kg of body weight for patients
    # 50 kg or less, or 0.1 to 2.5 x 10^8 CAR-positive viable T cells for patients more than 50 kg";
    # DLBCL "0.6 to 6.0 x 10^8 CAR-positive viable T cells"
    assert m.label_dose_range_per_kg(20.0) == (0.2e6, 5.0e6)
    assert m.label_dose_range_per_kg(50.0) == (0.2e6, 5.0e6)            # "50 kg or less"
    assert m.label_dose_range_per_kg(80.0) == pytest.approx((0.1e8 / 80.0, 2.5e8 / 80.0))
    assert m.LABEL_DLBCL_TOTAL_DOSE == (0.6e8, 6.0e8)
    assert m.dose_per_kg(1.0e8, 50.0) == pytest.approx(2.0e6)
    # the modelled population's median dose lies inside the label range for <=50 kg
    lo, hi = m.label_dose_range_per_kg(39.0)                              # median weight 39 kg
    assert lo < P.reference_dose_cells_per_kg < hi


# --- structure: the model is Stein's compartment model ---------------------------------

def test_closed_form_solves_the_papers_compartment_equations():
    """Integrate dE/dt = rho E (t < Tmax); dE/dt = -alpha E, dM/dt = k E - beta M, k = FB(alpha - beta)."""
    c = TYPICAL
    k = c.fraction_persisting * (c.alpha - c.beta)
    grow = solve_ivp(lambda t, y: [c.expansion_rate * y[0]], (0.0, c.t_max), [c.starting_level],
                     rtol=1e-11, atol=1e-12)
    e_peak = grow.y[0, -1]
    assert e_peak == pytest.approx(c.c_max, rel=1e-8)
    t_eval = c.t_max + np.array([0.5, 3.0, 10.0, 30.0, 100.0, 300.0])
    fall = solve_ivp(lambda t, y: [-c.alpha * y[0], k * y[0] - c.beta * y[1]], (c.t_max, t_eval[-1]),
                     [e_peak, 0.0], t_eval=t_eval, rtol=1e-11, atol=1e-12, method="LSODA")
    sim_e, sim_m = m._compartments(c, t_eval)
    assert sim_e == pytest.approx(fall.y[0], rel=1e-6)
    assert sim_m == pytest.approx(fall.y[1], rel=1e-6)
    assert m.level(c, t_eval) == pytest.approx(fall.y[0] + fall.y[1], rel=1e-6)


def test_continuity_at_the_peak_and_compartments_add_up():
    for c in (TYPICAL, m.course(dose_cells_per_kg=0.4e6, expansion_rate_per_day=0.5, peak_rule="fixed_cmax")):
        eps = 1e-9
        left, at, right = m.level(c, [c.t_max - eps, c.t_max, c.t_max + eps])
        assert left == pytest.approx(at, rel=1e-7) and right == pytest.approx(at, rel=1e-7)
        assert at == pytest.approx(c.c_max, rel=1e-12)
        sim = m.simulate(dose_cells_per_kg=c.dose_cells_per_kg, expansion_rate_per_day=c.expansion_rate,
                         peak_rule=c.peak_rule)
        assert np.all(sim.memory[sim.t_days < c.t_max] == 0)                # no memory cells before the peak
        assert sim.total == pytest.approx(m.level(c, sim.t_days), rel=1e-12)
        assert np.all(np.diff(sim.t_days) > 0)


def test_before_infusion_nothing_and_after_the_peak_only_decline():
    assert np.all(m.level(TYPICAL, [-5.0, -0.1]) == 0)
    t = np.linspace(TYPICAL.t_max, 1000.0, 5001)
    assert np.all(np.diff(m.level(TYPICAL, t)) < 0)
    t_up = np.linspace(0.0, TYPICAL.t_max, 500)
    assert np.all(np.diff(m.level(TYPICAL, t_up)) > 0)


def test_persistence_phase_is_much_slower_than_the_effector_phase():
    # curve peeling of the simulated decline recovers the two rate constants
    s = np.linspace(0.0, 365.0, 3651)
    y = m.level(TYPICAL, TYPICAL.t_max + s)
    late = s >= 200.0
    slope_b, icpt_b = np.polyfit(s[late], np.log(y[late]), 1)
    early = s <= 10.0
    slope_a, _ = np.polyfit(s[early], np.log(y[early] - np.exp(icpt_b + slope_b * s[early])), 1)
    assert -slope_b == pytest.approx(0.0032, rel=1e-6)
    assert -slope_a == pytest.approx(0.16, rel=1e-6)
    assert np.exp(icpt_b) / TYPICAL.c_max == pytest.approx(0.0079, rel=1e-6)   # FB: the persisting fraction
    assert TYPICAL.persistence_half_life_days > 40 * TYPICAL.contraction_half_life_days
    # memory cells take over once FB e^{(α-β)s} = 1 + FB: about a month after the peak
    t_x = m.memory_dominant_from_days(TYPICAL)
    e, mem = m._compartments(TYPICAL, np.array([t_x - 0.5, t_x + 0.5]))
    assert mem[0] < e[0] and mem[1] > e[1]
    assert 35.0 < t_x < 45.0


# --- dose and expansion rate (the explainer's controls) --------------------------------

def test_fixed_tmax_peak_scales_with_dose_and_rises_with_expansion_rate():
    base = m.course(dose_cells_per_kg=1.0e6)
    double = m.course(dose_cells_per_kg=2.0e6)
    assert double.c_max == pytest.approx(2 * base.c_max, rel=1e-12)
    assert double.t_max == base.t_max == 9.3
    t = np.linspace(0.0, 365.0, 200)
    assert m.level(double, t) == pytest.approx(2 * m.level(base, t), rel=1e-12)
    rates = np.linspace(0.3, 2.5, 12)
    peaks = [m.course(expansion_rate_per_day=r).c_max for r in rates]
    assert np.all(np.diff(peaks) > 0)
    aucs = [m.auc(m.course(expansion_rate_per_day=r)) for r in rates]
    assert np.all(np.diff(aucs) > 0)


def test_fixed_cmax_dose_and_rate_only_move_the_peak_day():
    rho = P.expansion_rate_per_day
    lo = m.course(dose_cells_per_kg=1.0e6, peak_rule="fixed_cmax")
    hi = m.course(dose_cells_per_kg=2.0e6, peak_rule="fixed_cmax")
    assert lo.c_max == pytest.approx(24_000.0, rel=1e-12) and hi.c_max == pytest.approx(24_000.0, rel=1e-12)
    assert lo.t_max - hi.t_max == pytest.approx(math.log(2) / rho, rel=1e-12)   # one doubling earlier
    typical = m.course(peak_rule="fixed_cmax")
    assert typical.t_max == pytest.approx(9.3, rel=1e-12)                      # reference dose: the paper's curve
    assert m.level(typical, [3.0, 20.0, 200.0]) == pytest.approx(m.level(TYPICAL, [3.0, 20.0, 200.0]), rel=1e-12)
    days = [m.course(expansion_rate_per_day=r, peak_rule="fixed_cmax").t_max for r in np.linspace(0.3, 2.5, 12)]
    assert np.all(np.diff(days) < 0)
    # a starting level at or above the ceiling: no expansion, decline from the start
    huge = m.course(dose_cells_per_kg=P.reference_dose_cells_per_kg * 5000, peak_rule="fixed_cmax")
    assert huge.t_max == 0.0 and huge.c_max == pytest.approx(huge.starting_level)


def test_level_during_expansion_is_monotone_in_the_rate_under_both_rules():
    t = np.array([1.0, 3.0, 6.0])
    for rule in m.PEAK_RULES:
        levels = np.array([m.level(m.course(expansion_rate_per_day=r, peak_rule=rule), t)
                           for r in (0.2, 0.4, 0.8)])
        assert np.all(np.diff(levels, axis=0) > 0)


def test_doubling_time_converters():
    assert m.rate_from_doubling_time(0.78) == pytest.approx(math.log(2) / 0.78)
    assert m.doubling_time_from_rate(m.rate_from_doubling_time(1.7)) == pytest.approx(1.7, rel=1e-14)
    c = m.course(expansion_rate_per_day=m.rate_from_doubling_time(2.0))
    assert c.doubling_time_days == pytest.approx(2.0)
    assert c.c_max == pytest.approx(P.starting_level_copies_per_ug * 2 ** (9.3 / 2.0), rel=1e-12)


@pytest.mark.parametrize("rule", m.PEAK_RULES)
def test_finite_and_positive_across_the_control_ranges(rule):
    # doses: the label range for <=50 kg, and for >50 kg up to 140 kg (the modelled maximum weight)
    doses = np.geomspace(m.LABEL_ALL_TOTAL_DOSE[0] / 140.0, m.LABEL_ALL_DOSE_PER_KG[1], 9)
    for dose in doses:
        for doubling in (0.25, 0.5, 0.78, 1.5, 3.0):
            sim = m.simulate(dose_cells_per_kg=float(dose), expansion_rate_per_day=m.rate_from_doubling_time(doubling),
                             peak_rule=rule, t_end_days=730.0, n_points=200)
            assert np.all(np.isfinite(sim.total)) and np.all(sim.total > 0)
            assert np.all(sim.memory >= 0) and np.all(sim.effector > 0)
            r = m.readouts(sim.course, limit_copies_per_ug=50.0)
            assert all(math.isfinite(v) for v in r.values()), r


# --- persistence readouts --------------------------------------------------------------

def test_time_to_fall_below_a_limit():
    for limit in (1.0, 50.0, 1000.0, 20_000.0):
        day = m.persistence_days(TYPICAL, limit)
        assert day > TYPICAL.t_max
        assert float(m.level(TYPICAL, day)) == pytest.approx(limit, rel=1e-8)
        assert float(m.level(TYPICAL, day + 1.0)) < limit < float(m.level(TYPICAL, day - 1.0))
    days = [m.persistence_days(TYPICAL, L) for L in (1000.0, 100.0, 10.0, 1.0)]
    assert np.all(np.diff(days) > 0)
    # deep in the slow phase each halving of the limit adds one terminal half-life
    assert m.persistence_days(TYPICAL, 1.0) - m.persistence_days(TYPICAL, 2.0) == pytest.approx(
        P.persistence_half_life_days, rel=1e-6)
    assert m.persistence_days(TYPICAL, 30_000.0) == 0.0                         # never reached


def test_readouts_agree_with_hand_formulas():
    r = m.readouts(TYPICAL, limit_copies_per_ug=10.0)
    C, fb = 24_000.0, 0.0079
    for name, day in m.READOUT_DAYS.items():
        s = day - 9.3
        hand = (1 - fb) * C * math.exp(-0.16 * s) + fb * C * math.exp(-0.0032 * s)
        key = name.replace(" ", "_")
        assert r[f"level_{key}_copies_per_ug"] == pytest.approx(hand, rel=1e-12)
        assert r[f"fraction_of_peak_{key}"] == pytest.approx(hand / C, rel=1e-12)
    assert r["t_max_days"] == 9.3 and r["c_max_copies_per_ug"] == pytest.approx(C)
    assert r["memory_dominant_from_days"] == pytest.approx(9.3 + math.log((1 + fb) / fb) / (0.16 - 0.0032))
    assert r["below_limit_from_days"] == m.persistence_days(TYPICAL, 10.0)
    assert "below_limit_from_days" not in m.readouts(TYPICAL)
    assert m.fraction_of_peak(TYPICAL, 9.3) == pytest.approx(1.0)


def test_parameters_can_be_varied_with_replace():
    slow = dataclasses.replace(P, beta_per_day=0.001)
    assert m.course(slow).persistence_half_life_days == pytest.approx(math.log(2) / 0.001)
    assert m.level(m.course(slow), 365.0) > m.level(TYPICAL, 365.0)


# --- bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"fold_expansion": 1.0}, "fold_expansion"),
    ({"fold_expansion": float("nan")}, "fold_expansion"),
    ({"t_max_days": 0.0}, "t_max_days"),
    ({"c_max_copies_per_ug": -1.0}, "c_max"),
    ({"alpha_per_day": "0.16"}, "alpha_per_day"),
    ({"fraction_persisting": 1.0}, "fraction_persisting"),
    ({"fraction_persisting": 0.0}, "fraction_persisting"),
    ({"beta_per_day": 0.2}, "slow one"),
    ({"reference_dose_cells_per_kg": float("inf")}, "reference_dose"),
    ({"t_max_days": True}, "t_max_days"),
])
def test_impossible_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.Params(**kwargs)


@pytest.mark.parametrize("call,message", [
    (lambda: m.course(dose_cells_per_kg=0.0), "dose_cells_per_kg"),
    (lambda: m.course(dose_cells_per_kg=float("nan")), "dose_cells_per_kg"),
    (lambda: m.course(expansion_rate_per_day=-0.5), "expansion_rate_per_day"),
    (lambda: m.course(peak_rule="whenever"), "peak_rule"),
    (lambda: m.course(expansion_rate_per_day=200.0), "overflows"),
    (lambda: m.simulate(t_end_days=0.0), "t_end_days"),
    (lambda: m.simulate(n_points=1), "n_points"),
    (lambda: m.level(TYPICAL, [1.0, float("nan")]), "finite"),
    (lambda: m.auc(TYPICAL, 10.0, 5.0), "end after"),
    (lambda: m.persistence_days(TYPICAL, 0.0), "limit_copies_per_ug"),
    (lambda: m.rate_from_doubling_time(0.0), "doubling_time_days"),
    (lambda: m.label_dose_range_per_kg(-3.0), "weight_kg"),
    (lambda: m.dose_per_kg(1e8, 0.0), "weight_kg"),
])
def test_bad_calls_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_wrong_types_are_refused():
    with pytest.raises(TypeError, match="Params"):
        m.course(params={"fold_expansion": 3900})
    with pytest.raises(TypeError, match="Course"):
        m.level(P, 3.0)
