"""The vaccine model (Kronik et al. 2010, BioModels MODEL2001130003) against its encoding,
a direct integration of its seven equations, and what has been published about it.

Sources quoted below:
* the SBML encoding, BioModels MODEL2001130003 (read in the copy at
  github.com/Biosimulant/models-oncology, labs/kronik2010-.../MODEL2001130003.xml);
* Foryś U, Bodnar M, Kogan Y (2016) J Math Biol, doi:10.1007/s00285-016-0978-4,
  abstract (the only part that could be read);
* Computational and Mathematical Methods in Medicine (2020), article 7970265
  (hindawi.com/journals/cmmm/2020/7970265), introduction, on Kronik et al.'s model
  (authors and title could not be read).
Kronik et al.'s own full text and figures could not be read: no test reproduces a
number from it.
"""

import dataclasses
import itertools
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course.models import tumour_vaccine as tv

P = tv.Params()
LN10 = math.log(10.0)


# ----------------------------------------------------------------- an independent check

def reference(result, rtol=1e-10, atol=1e-12, events=False):
    """The seven equations integrated directly (LSODA in ln P), restarting at each injection
    of ``result`` (same injection times, dose, blockade, start).  Returns (Y, elimination hour)."""
    p = result.params
    k_r = p.k_r * (1.0 - result.blockade)

    def f(t, y):
        V, Dm, Dc, Dr, C, R, u = y
        return [-p.k_i * V, p.k_i * V - p.k_m * Dm, p.alpha * p.k_m * Dm - p.k_cr * Dc,
                p.k_cr * Dc - p.mu_d * Dr, p.a_c * Dc - p.mu_c * C - k_r * C * R,
                p.a_r * Dr - p.mu_r * R, p.r - p.a_p * C * p.h_p / (p.h_p + math.exp(u))]

    def below_one_cell(t, y):
        return y[6]
    below_one_cell.terminal = False
    below_one_cell.direction = -1

    t_out = result.days * 24.0
    doses = [d * 24.0 for d in result.dose_days]
    edges = sorted(set([0.0] + doses + [t_out[-1]]))
    y = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 1.0, math.log(result.tumour0)])
    Y = np.full((7, t_out.size), np.nan)
    crossing = None
    for a, b in zip(edges[:-1], edges[1:]):
        if any(abs(a - d) < 1e-9 for d in doses):
            y[0] += result.vaccine_dose
        last = b == edges[-1]
        sel = (t_out >= a) & ((t_out <= b) if last else (t_out < b))
        sol = solve_ivp(f, (a, b), y, method="LSODA", rtol=rtol, atol=atol, t_eval=t_out[sel],
                        dense_output=True, events=below_one_cell if events else None)
        Y[:, sel] = sol.y
        if events and crossing is None and sol.t_events[0].size:
            crossing = float(sol.t_events[0][0])
        y = sol.sol(b).copy()
    if any(abs(t_out[-1] - d) < 1e-9 for d in doses):
        Y[0, -1] += result.vaccine_dose
    return Y, crossing


IMMUNE = ("vaccine", "dc_migrating", "dc_presenting", "dc_regulatory", "ctl", "treg")


# ----------------------------------------------------------------- the encoding

def test_defaults_are_the_values_of_the_biomodels_encoding():
    # MODEL2001130003 listOfParameters: ki 0.06, alpha1 0.03, km 0.027, kcr 0.027, mu_d 0.014,
    # ar 0.003, mu_r 0.03, ac 0.03, mu_c 0.007, kr 6E-7, r 1E-5, ap 1.14E-6, hp 100000000
    encoded = {"k_i": 0.06, "alpha": 0.03, "k_m": 0.027, "k_cr": 0.027, "mu_d": 0.014, "a_r": 0.003,
               "mu_r": 0.03, "a_c": 0.03, "mu_c": 0.007, "k_r": 6e-7, "r": 1e-5, "a_p": 1.14e-6,
               "h_p": 1e8}
    assert dataclasses.asdict(P) == encoded
    # species V initialConcentration="1000000" is the encoding's (single) vaccine dose
    assert tv.DEFAULT_DOSE == 1e6
    # "monthly injections for a total of 12 months. Patients will then be followed for an
    # additional 12 months" (Onyvax press release on the trial, 9 Jan 2002)
    assert tv.dose_schedule() == tuple(28.0 * j for j in range(12))
    assert tv.DEFAULT_DAYS == 730.0
    # the untreated tumour doubles in ln2/r = 69,315 h = 7.9 years
    assert P.doubling_time_days == pytest.approx(math.log(2) / 1e-5 / 24)


@pytest.mark.parametrize("kwargs", [
    {},                                                           # the defaults: eliminated
    {"blockade": 1.0},
    {"vaccine_dose": 3e3, "elimination_cells": 0.0},               # too little vaccine: progresses
    {"params": tv.Params(r=1e-3), "tumour0": 1e10, "vaccine_dose": 3e5},  # fast, large tumour
    {"interval_days": 7.0, "n_doses": 20, "vaccine_dose": 1e5, "days": 300.0, "elimination_cells": 0.0},
])
def test_agrees_with_direct_integration_of_the_seven_equations(kwargs):
    res = tv.simulate(**kwargs)
    Y, _ = reference(res)
    for i, name in enumerate(IMMUNE[:4] + IMMUNE[5:]):
        row = (0, 1, 2, 3, 5)[i]
        assert np.allclose(getattr(res, name), Y[row], rtol=1e-9, atol=1e-9 * np.max(Y[row])), name
    assert np.max(np.abs(res.ctl - Y[4])) < 1e-4 * np.max(Y[4])
    alive = Y[6] > 0  # while the tumour is at least one cell
    assert np.max(np.abs(res.log10_tumour * LN10 - Y[6])[alive]) < 1e-3


def test_agrees_with_direct_integration_when_tregs_are_strong():
    """100x the encoded k_r and 100x the dose: the CTLs are then limited by Tregs within hours
    of each injection, the hardest case for the internal grid."""
    res = tv.simulate(tv.Params(k_r=6e-5), 1e8, elimination_cells=0.0)
    Y, _ = reference(res)
    assert np.max(np.abs(res.ctl - Y[4])) < 1e-2 * np.max(Y[4])
    alive = Y[6] > 0
    assert np.max(np.abs(res.log10_tumour * LN10 - Y[6])[alive]) < 0.1


def test_elimination_day_agrees_with_direct_integration():
    res = tv.simulate()
    assert res.outcome == "eliminated"
    _, crossing = reference(res, events=True)
    assert res.elimination_day == pytest.approx(crossing / 24.0, abs=0.05)
    after = res.days >= res.elimination_day
    assert np.all(res.tumour[after] == 0) and np.all(res.tumour[~after] >= 1.0)
    # the continuous model goes on below one cell (for log plots)
    assert np.all(np.isfinite(res.log10_tumour)) and res.log10_tumour[-1] < -5


# ----------------------------------------------------------------- Foryś et al. (2016)

def test_seven_equations_and_a_one_dimensional_periodic_tumour_equation():
    """Foryś et al. (2016): the model "consists of seven ordinary differential equations and its
    asymptotic dynamics can be described by some t-periodic one-dimensional dynamical system".
    The six immune populations do not depend on the tumour, and under monthly vaccination they
    become periodic with the period of the injections: only P is left to decide the outcome."""
    a = tv.simulate(P, 1e6, n_doses=40, days=1092, n_points=1093)
    b = tv.simulate(tv.Params(r=1e-3), 1e6, n_doses=40, days=1092, n_points=1093, tumour0=1e11)
    populations = IMMUNE + ("tumour",)
    assert len(populations) == 7
    for name in IMMUNE:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    late = a.days >= 700
    shifted = np.searchsorted(a.days, a.days[late] - 28.0)
    assert np.allclose(a.ctl[late], a.ctl[shifted], rtol=1e-8)
    assert np.allclose(a.treg[late], a.treg[shifted], rtol=1e-8)
    assert not np.allclose(a.ctl[late], a.ctl[np.searchsorted(a.days, a.days[late] - 14.0)], rtol=0.1)


def _monthly_for_four_years(tumour0):
    return tv.simulate(P, 1e6, n_doses=53, days=1460, tumour0=tumour0, elimination_cells=0.0,
                       n_points=1461)


def test_a_unique_periodic_solution_divides_tumours_that_vanish_from_tumours_that_grow():
    """Foryś et al. (2016): "the solution either converges to zero, or diverges to infinity, or
    it is periodic. Moreover, the periodic solution is unique, and it divides the phase space
    into two sub-regions."  Under continued monthly vaccination a critical initial size
    separates tumours that shrink away from tumours that grow; started there, the tumour
    repeats itself from one month to the next.  The critical size is close to P† of
    steady_state(), the same vaccine given continuously (averaging)."""
    lo, hi = 1e10, 1e12
    assert _monthly_for_four_years(lo).log10_tumour[-1] < math.log10(lo)
    assert _monthly_for_four_years(hi).log10_tumour[-1] > math.log10(hi)
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        grows = _monthly_for_four_years(mid).log10_tumour[-1] > math.log10(mid)
        lo, hi = (lo, mid) if grows else (mid, hi)
    critical = lo
    averaged = tv.steady_state(P, 1e6 / 28.0).tumour_threshold
    assert critical == pytest.approx(averaged, rel=0.05)

    month = 28 * 1461 // 1460  # output points per 28 days (one per day)
    at = _monthly_for_four_years(critical)
    assert abs(at.log10_tumour[-1] - at.log10_tumour[-1 - month]) < 1e-4
    smaller = _monthly_for_four_years(critical / 10)
    larger = _monthly_for_four_years(critical * 10)
    assert smaller.log10_tumour[-1] < -20           # on its way to zero
    assert np.all(np.diff(smaller.log10_tumour[-month:]) < 0.01)
    assert larger.log10_tumour[-1] > math.log10(critical * 10) + 0.03  # growing for good
    assert np.all(np.diff(larger.log10_tumour[-3 * month:][::month]) > 0)


@pytest.mark.parametrize("r", [1e-5, 1e-4])
def test_a_single_vaccination_is_not_sufficient(r):
    """Foryś et al. (2016): "The results indicate that a single vaccination is not sufficient to
    cure the cancer."  After one injection the CTLs die out and the tumour resumes growing at
    its own rate r: it dips and then grows without bound."""
    res = tv.simulate(tv.Params(r=r), 1e6, n_doses=1, days=3650, elimination_cells=0.0,
                      n_points=366)
    low = int(np.argmin(res.log10_tumour))
    assert 0 < low < 100 and res.log10_tumour[low] < 8.0 - 1.0
    late = (res.log10_tumour[-1] - res.log10_tumour[-11]) * LN10 / ((res.days[-1] - res.days[-11]) * 24)
    assert late == pytest.approx(r, rel=1e-3)
    assert np.all(np.diff(res.log10_tumour[low + 10:]) > 0)
    if r == 1e-4:  # a faster tumour is back above where it started within the ten years
        assert res.log10_tumour[-1] > 8.0


# ----------------------------------------------------------------- dose, schedule, blockade

def test_control_threshold_separates_control_from_progression():
    dose = tv.control_threshold()
    assert 0 < dose < tv.DEFAULT_DOSE
    above = tv.simulate(P, dose * 1.02)
    below = tv.simulate(P, dose / 1.02)
    assert above.outcome != "progressing" and below.outcome == "progressing"
    # the same verdicts from the direct integration
    for res, grows in ((above, False), (below, True)):
        Y, _ = reference(res)
        assert (Y[6, -1] > math.log(res.tumour0)) == grows
    # far above the threshold the tumour is eliminated, with no vaccine it progresses
    assert tv.simulate(P, dose * 100).outcome == "eliminated"
    assert tv.simulate(P, 0.0).outcome == "progressing"
    # an obvious edge: a tumour that does not grow needs no vaccine
    assert tv.control_threshold(tv.Params(r=0.0)) == 0.0


SUPPRESSED = tv.Params(r=1e-3, k_r=6e-5)  # fast tumour, Tregs 100x stronger than encoded


def test_blockade_lowers_the_dose_threshold():
    thresholds = [tv.control_threshold(SUPPRESSED, blockade=b) for b in (0.0, 0.5, 0.9, 1.0)]
    assert all(a > b for a, b in zip(thresholds, thresholds[1:]))
    assert thresholds[0] / thresholds[-1] > 5
    # with no Treg brake at all, the threshold is that of a model with k_r = 0
    no_brake = tv.control_threshold(dataclasses.replace(SUPPRESSED, k_r=0.0))
    assert thresholds[-1] == pytest.approx(no_brake, rel=2e-3)
    # at the encoded k_r the Tregs barely matter at these doses: blockade never hurts
    encoded = [tv.control_threshold(P, blockade=b) for b in (0.0, 1.0)]
    assert encoded[1] <= encoded[0] * (1 + 2e-3)


def test_more_immunosuppression_raises_the_dose_threshold():
    base = tv.Params(r=1e-3)
    by_kr = [tv.control_threshold(dataclasses.replace(base, k_r=k)) for k in (6e-7, 6e-6, 6e-5)]
    by_ar = [tv.control_threshold(dataclasses.replace(base, k_r=6e-6, a_r=a)) for a in (0.003, 0.03)]
    assert by_kr[0] < by_kr[1] < by_kr[2] and by_kr[2] / by_kr[0] > 5
    assert by_ar[0] < by_ar[1]
    # and with enough suppression no dose up to 1e10 controls the tumour (the CTL ceiling)
    assert tv.control_threshold(dataclasses.replace(base, k_r=1e-4, a_r=0.3)) == math.inf
    assert tv.ctl_ceiling(dataclasses.replace(base, k_r=1e-4, a_r=0.3)) * base.a_p < 2 * base.r


def test_shortening_the_interval_beats_raising_the_dose():
    """CMMM 2020 (article 7970265), introduction, on this model: "the efficacy of immunotherapy
    can be improved by changing the interdosing intervals rather than the dose itself".  The
    same total vaccine given as 24 injections every 14 days does better than 12 double
    injections every 28 days: bigger doses recruit proportionally more Tregs."""
    for params, margin in ((P, 0.0), (tv.Params(k_r=6e-5), 1.0)):
        doubled = tv.simulate(params, 2e6, elimination_cells=0.0)
        halved_interval = tv.simulate(params, 1e6, interval_days=14.0, n_doses=24, elimination_cells=0.0)
        assert halved_interval.log10_tumour[-1] < doubled.log10_tumour[-1] - margin


# ----------------------------------------------------------------- steady state and ceiling

def test_steady_state_is_what_daily_vaccination_approaches():
    for params, rate in ((P, 1e6 / 28), (tv.Params(k_r=6e-5), 1e8 / 28)):
        ss = tv.steady_state(params, rate)
        res = tv.simulate(params, rate, interval_days=1.0, n_doses=400, days=400.0)
        assert res.ctl[-1] == pytest.approx(ss.ctl, rel=0.01)
        assert res.treg[-1] == pytest.approx(ss.treg, rel=0.01)
        assert res.dc_presenting[-1] == pytest.approx(ss.dc_presenting, rel=0.01)
        # formulas of the module docstring
        rho = rate / 24
        assert ss.treg == pytest.approx(params.a_r * params.alpha * rho / (params.mu_d * params.mu_r))
        assert ss.kill_rate_per_day == pytest.approx(params.a_p * ss.ctl * 24)
    ss = tv.steady_state(P, 1e6 / 28)
    assert ss.tumour_threshold == pytest.approx(P.h_p * (P.a_p * ss.ctl / P.r - 1))
    assert tv.steady_state(P, 0.0).tumour_threshold == 0.0          # no vaccine: every tumour grows
    assert tv.steady_state(tv.Params(r=0.0), 1.0).tumour_threshold == math.inf


def test_ctl_ceiling_caps_continuous_vaccination_and_blockade_lifts_it():
    ceiling = tv.ctl_ceiling(P)
    rates = np.geomspace(1e3, 1e13, 11)
    ctl = [tv.steady_state(P, q).ctl for q in rates]
    assert all(a < b for a, b in zip(ctl, ctl[1:])) and ctl[-1] < ceiling
    assert ctl[-1] == pytest.approx(ceiling, rel=0.01)
    assert tv.ctl_ceiling(P, blockade=0.5) == pytest.approx(2 * ceiling)
    assert tv.ctl_ceiling(P, blockade=1.0) == math.inf
    assert tv.steady_state(P, 1e13, blockade=0.5).ctl > ceiling


# ----------------------------------------------------------------- outcomes and readouts

def test_outcome_labels_and_readout():
    eliminated = tv.simulate()
    assert tv.classify(eliminated) == "eliminated" and eliminated.outcome in tv.OUTCOMES
    assert tv.describe(eliminated) == f"day {eliminated.elimination_day:.0f}: tumour eliminated (below one cell)"
    none = tv.simulate(P, 0.0)
    assert none.outcome == "progressing" and none.tumour[-1] > none.tumour0
    assert "progressing" in tv.describe(none) and "1e+08" in tv.describe(none)
    # the continuous model (no elimination rule) only shrinks the same tumour
    continuous = tv.simulate(elimination_cells=0.0)
    assert continuous.elimination_day is None and continuous.outcome == "controlled"
    assert np.all(continuous.tumour > 0)
    with pytest.raises(TypeError):
        tv.classify("not a result")


def test_injection_times_are_on_the_grid_within_half_an_hour():
    res = tv.simulate(dose_days=[0.0, 10.3, 45.77, 800.0], days=100.0)
    assert len(res.dose_days) == 3  # day 800 is after the end
    for asked, given in zip((0.0, 10.3, 45.77), res.dose_days):
        assert abs(asked - given) * 24 <= 0.5
    # V jumps by the dose at each injection and decays at k_i in between
    i = int(np.searchsorted(res.days, 5.0))
    assert res.vaccine[i] == pytest.approx(1e6 * math.exp(-P.k_i * 24 * res.days[i]), rel=1e-9)


@pytest.mark.parametrize("key", ["vaccine_dose", "blockade", "tumour0", "k_r", "a_r", "r", "schedule"])
def test_finite_and_never_negative_at_the_ends_of_the_ranges(key):
    R = tv.RANGES
    base = dict(vaccine_dose=tv.DEFAULT_DOSE, blockade=0.0, tumour0=tv.DEFAULT_TUMOUR0)
    cases = []
    for end in (0, 1):
        if key == "schedule":
            for interval, n, days in itertools.product(R["interval_days"], R["n_doses"], R["days"]):
                cases.append((P, dict(base, interval_days=interval, n_doses=n, days=days)))
        elif key in ("k_r", "a_r", "r"):
            for other in (R["vaccine_dose"][1], tv.DEFAULT_DOSE):
                cases.append((tv.Params(**{key: R[key][end]}), dict(base, vaccine_dose=other)))
        else:
            cases.append((P, dict(base, **{key: R[key][end]})))
    for params, kwargs in cases:
        res = tv.simulate(params, **kwargs)
        for name in IMMUNE + ("tumour", "log10_tumour"):
            values = getattr(res, name)
            assert np.all(np.isfinite(values)), (name, kwargs)
        for name in IMMUNE + ("tumour",):
            assert np.all(getattr(res, name) >= -1e-9 * max(1.0, float(np.max(getattr(res, name))))), name
        assert res.outcome in tv.OUTCOMES


@pytest.mark.parametrize("days,n_points", [(15.59, 2), (93.40333333333334, 200), (733.3, 366), (1459.9, 400)])
def test_any_length_and_number_of_output_points(days, n_points):
    res = tv.simulate(days=days, n_points=n_points)
    assert res.days.size == n_points and res.days[0] == 0.0 and res.days[-1] == days
    assert np.all(np.diff(res.days) > 0) and np.all(np.isfinite(res.tumour))


def test_tighter_tolerances_and_a_finer_grid_change_little(monkeypatch):
    a = tv.simulate(tv.Params(r=1e-3), 3e5)
    b = tv.simulate(tv.Params(r=1e-3), 3e5, rtol=1e-10, atol=1e-10)
    assert np.max(np.abs(a.log10_tumour - b.log10_tumour)) < 1e-3 / LN10
    monkeypatch.setattr(tv, "MAX_STEP_HOURS", 0.25)
    tv._course.cache_clear()
    try:
        c = tv.simulate(tv.Params(r=1e-3), 3e5)
    finally:
        tv._course.cache_clear()
    assert np.max(np.abs(a.ctl - c.ctl)) < 1e-4 * np.max(c.ctl)
    assert np.max(np.abs(a.log10_tumour - c.log10_tumour)) < 1e-3


def test_results_are_read_only_and_do_not_share_state():
    first = tv.simulate(P, 1e6)
    snapshot = first.ctl.copy()
    tv.simulate(P, 5e7, blockade=0.7)  # same schedule: the cached immune response is reused
    assert np.array_equal(first.ctl, snapshot)
    with pytest.raises(ValueError):
        first.tumour[0] = 1.0


@pytest.mark.parametrize("kwargs,message", [
    ({"vaccine_dose": -1.0}, "vaccine_dose"),
    ({"vaccine_dose": math.nan}, "vaccine_dose"),
    ({"blockade": 1.5}, "blockade"),
    ({"tumour0": 0.0}, "tumour0"),
    ({"days": 0.0}, "days"),
    ({"n_points": 1}, "n_points"),
    ({"interval_days": 0.0}, "interval_days"),
    ({"n_doses": 2.5}, "n_doses"),
    ({"dose_days": ["soon"]}, "dose_days"),
    ({"rtol": 0.0}, "rtol"),
])
def test_bad_inputs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tv.simulate(**kwargs)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="Params.alpha"):
        tv.Params(alpha=1.5)
    with pytest.raises(ValueError, match="Params.h_p"):
        tv.Params(h_p=0.0)
    with pytest.raises(ValueError, match="Params.k_r"):
        tv.Params(k_r=-1e-7)
    with pytest.raises(TypeError, match="Params"):
        tv.simulate({"k_r": 1e-6})
    with pytest.raises(ValueError, match="dose_max"):
        tv.control_threshold(dose_min=10.0, dose_max=1.0)
