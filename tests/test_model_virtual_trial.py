"""The virtual-trial model: Kirschner–Panetta patients, RECIST-like assessment, Kaplan–Meier.

Where the checked statements come from:

KP  Kirschner D, Panetta JC (1998) J Math Biol 37:235-252, doi:10.1007/s002850050127, as
    quoted by Sarv Ahrabi S (2018) arXiv:1806.04752 ("s1,cr = r2g2µ2/a", "critical value
    s1,cr = 540", runs at s1 = 500 and 550) and Caravagna G et al. (2010) J Theor Biol
    265:336 (IL-2 runaway); the course's own tests of kirschner_panetta check these too.
RE  RECIST 1.1 (Eisenhauer EA et al. 2009 Eur J Cancer 45:228), read in the tables that
    quote it (PMC5392484 Table 3, PMC2755245 Table 3): PR "At least a 30% decrease in the
    sum of diameters of target lesions, taking as reference the baseline sum diameters";
    PD "≥20% increase over smallest sum observed"; SD "Neither sufficient shrinkage to
    qualify for PR nor sufficient increase to qualify for PD, taking as reference the
    smallest sum diameters".
IR  iRECIST (Seymour L et al. 2017 Lancet Oncol, PMC5648544, Table 2): unconfirmed
    progression (iUPD) can be followed by iSD/iPR/iCR time points.
KM  The product-limit estimator, checked on a small example worked by hand below.
"""

import math
import os
import subprocess
import sys

import numba
import numpy as np
import pytest

from course.models import kirschner_panetta as kp
from course.models import virtual_trial as vt

P = vt.KP
CONTINUOUS_1000 = dict(interval_days=1000.0, course_days=1000.0, n_doses=1)
RANK = {"CR": 0, "PR": 1, "SD": 2, "PD": 3}


def typical(**kwargs):
    """The cohort's median patient (CohortSpec medians)."""
    spec = vt.CohortSpec()
    values = dict(c=spec.c_median, r2=spec.r2_median, a=spec.a_median, q=spec.q_median, T0=spec.T0_median)
    return vt.single_patient(**(values | kwargs))


def baseline_state(c, T0):
    E0 = c * T0 / P.mu2
    return E0, P.p2 * E0 * T0 / ((P.g3 + T0) * P.mu3)


# --- the base model's published behaviour, through the trial's own integrator ----------------

def test_aci_threshold_540_separates_clearance_from_persistence():
    # KP via SA: "critical value s1,cr = 540"; c = 0.025 with s1 = 550 "the non-tumour state is
    # stable", s1 = 500 below it.  A one-cell tumour under continuous ACI for 1000 days:
    assert kp.s1_clearance_threshold(P) == pytest.approx(540)
    patient = vt.single_patient(c=0.025, T0=1.0)
    cleared = vt.run_trial(patient, vt.Regimen(aci=600, **CONTINUOUS_1000), days=1000)
    assert cleared.log10_burden[0, -1] < -3
    slow = vt.run_trial(patient, vt.Regimen(aci=550, interval_days=3000.0, course_days=3000.0, n_doses=1),
                        days=3000)
    assert slow.log10_burden[0, -1] < 0  # just above the threshold clearance is slow (KP tests: ~3000 days)
    below = vt.run_trial(patient, vt.Regimen(aci=500, **CONTINUOUS_1000), days=1000)
    (persisting,) = [eq for eq in kp.equilibria(kp.Params(c=0.025, s1=500)) if not eq.tumour_free and eq.stable]
    assert below.burden[0, -1] == pytest.approx(persisting.T, rel=0.02) and below.burden[0, -1] > 1e3


def test_weakly_antigenic_untreated_tumour_settles_near_capacity():
    # KP (kirschner_panetta docstring, after Caravagna et al. 2010): for c below c0 "the tumour
    # settles close to its carrying capacity" 1/b = 1e9 cells
    result = vt.run_trial(vt.single_patient(c=5e-5, T0=1e8), vt.Regimen(), days=1000)
    assert 0.1 / P.b < result.burden[0, -1] <= 1 / P.b
    assert result.best_response[0] == "PD" and result.event_observed[0]


def test_il2_above_runaway_threshold_drives_unbounded_effectors_and_toxicity():
    # CA on KP: "for the injection rate of the interleukins greater than such a value, there is
    # an unbounded growth of effectors, leading to capillary leak syndrome"
    dose = 1.1 * kp.il2_runaway_threshold(P)
    patient = typical()
    high = vt.run_trial(patient, vt.Regimen(il2=dose, **CONTINUOUS_1000), days=1000)
    late = high.effectors[0, 500:]
    assert np.all(np.diff(late) > 0) and late[-1] > 2 * late[0]  # exponential at ~0.2 %/day
    low = vt.run_trial(patient, vt.Regimen(il2=0.5 * kp.il2_runaway_threshold(P), **CONTINUOUS_1000), days=1000)
    assert high.toxicity[0] > low.toxicity[0] > 0
    assert np.all(np.isfinite(high.effectors)) and np.all(np.isfinite(high.log10_burden))


@pytest.mark.parametrize("c, aci, T0", [(5e-5, 0.0, 1e8), (0.025, 550.0, 1.0), (2e-5, 6e5, 1e8), (0.035, 0.0, 1e3)])
def test_fixed_step_integrator_agrees_with_lsoda(c, aci, T0):
    # reference: kirschner_panetta.simulate (LSODA, tested against the paper) from the same start
    result = vt.run_trial(vt.single_patient(c=c, T0=T0), vt.Regimen(aci=aci, **CONTINUOUS_1000), days=1000)
    E0, I0 = baseline_state(c, T0)
    ref = kp.simulate(kp.Params(c=c, s1=aci), E0, T0, I0, 1000, 1001)
    x, y = result.log10_burden[0], ref.log10_T
    # while the tumour is above one cell and not in a collapse (which falls by thousands of
    # decades within days, where a one-step phase error is a large difference in value)
    compared = (x > 0) & (y > 0) & (np.abs(np.gradient(y)) < 0.5)
    assert np.max(np.abs(x - y)[compared]) < 0.1
    # the day the tumour falls below one cell (if it does) agrees to within a day
    assert np.argmax(x < 0) == pytest.approx(np.argmax(y < 0), abs=1)


def test_compiled_steps_compute_what_the_same_code_computes_in_python():
    # numba compiles _heun_steps; its py_func is the source run by Python. A compiler or a numba
    # upgrade that changed the arithmetic (or a kernel edited for speed) would show here.
    cohort = vt.draw_cohort(6, seed=3)
    regimen = vt.Regimen(aci=2e5, il2=2e5, checkpoint=0.8, vaccine=1e-4, interval_days=21, course_days=14, n_doses=5)
    ctrl = vt._controls(regimen, (np.arange(240) + 0.5) * 1.0)
    runs = []
    for kernel in (vt._heun_steps, vt._heun_steps.py_func):
        out_u, out_E, leak = np.empty((6, 121)), np.empty((6, 121)), np.zeros(6)
        kernel(cohort.c, cohort.r2, cohort.a, cohort.q, cohort.T0, ctrl, 1.0, 2, vt._KP_CONSTANTS, out_u, out_E, leak)
        runs.append((out_u, out_E, leak))
    (u1, E1, leak1), (u2, E2, leak2) = runs
    assert np.allclose(u1, u2, rtol=1e-12, atol=1e-9) and np.allclose(E1, E2, rtol=1e-12, atol=1e-9)
    assert np.array_equal(leak1, leak2) and leak1.max() > 0  # IL-2 at 2e5 units/day runs away
    assert np.ptp(u1[:, -1]) > 1.0  # the patients differ: the test compares real trajectories


def test_a_trial_does_not_depend_on_how_many_threads_share_the_patients():
    # the compiled steps run patients in parallel (prange); each patient's arithmetic is its own,
    # so one thread and every thread must give the same trial to the last bit
    cohort = vt.draw_cohort(40, seed=5)
    regimen = vt.Regimen(aci=1e5, il2=1e6, checkpoint=0.9, vaccine=1e-5, n_doses=6)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = vt._integrate(cohort, regimen, 365.0, 1.0, 1)
    finally:
        numba.set_num_threads(threads)
    every = vt._integrate(cohort, regimen, 365.0, 1.0, 1)
    for a, b in zip(one, every):
        assert np.array_equal(a, b)
    assert np.ptp(one[0][:, -1]) > 1.0  # real, differing trajectories


_OPENMP_SETTINGS = """
import ctypes, numba
from course.models import virtual_trial as vt
vt._integrate(vt.draw_cohort(4, seed=1), vt.Regimen(checkpoint=0.5), 28.0, 1.0, 1)
if numba.threading_layer() != "omp":
    raise SystemExit("layer " + numba.threading_layer())
ctypes.CDLL("libgomp.so.1").omp_display_env(1)
"""


@pytest.mark.parametrize("student_setting, runtime_shows", [(None, "GOMP_SPINCOUNT = '0'"),
                                                             ("ACTIVE", "OMP_WAIT_POLICY = 'ACTIVE'")])
def test_openmp_threads_sleep_between_trials_unless_the_student_says_otherwise(student_setting, runtime_shows):
    # a spinning worker thread takes the CPU the browser needs to draw the trial just computed
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    if student_setting:
        env["OMP_WAIT_POLICY"] = student_setting
    done = subprocess.run([sys.executable, "-c", _OPENMP_SETTINGS], env=env, capture_output=True, text=True)
    if done.returncode and "layer" in done.stderr + done.stdout:
        pytest.skip(f"numba runs its threads without OpenMP here ({done.stderr.strip()})")
    assert done.returncode == 0, done.stderr
    assert runtime_shows in done.stderr  # what the OpenMP runtime itself reports it uses


# --- RECIST categories --------------------------------------------------------------------------

def test_percent_change_uses_a_diameter_like_cube_root():
    # diameter ∝ N^(1/3): 8x the cells is twice the diameter (+100 %), 1/8 is half (-50 %)
    np.testing.assert_allclose(vt.percent_change([8.0, 0.125, 1.0], 1.0), [100.0, -50.0, 0.0])


@pytest.mark.parametrize("factor, expected", [(1 - 1e-9, "PR"), (1 + 1e-6, "SD")])
def test_partial_response_boundary_is_minus_30_percent_of_baseline(factor, expected):
    # RE: PR is "at least a 30% decrease ... taking as reference the baseline"
    scans = np.array([0.7 ** 3 * factor, 0.7 ** 3 * factor])
    cats, best, first_pd = vt.best_response(scans * 1e8, 1e8)
    assert cats[0] == expected and first_pd[0] == -1
    assert best[0] == pytest.approx(-30.0, abs=1e-4)


@pytest.mark.parametrize("factor, progressed", [(1 + 1e-9, True), (1 - 1e-6, False)])
def test_progression_boundary_is_plus_20_percent_of_the_nadir(factor, progressed):
    # RE: PD is a "≥20% increase over smallest sum observed": here the nadir (scan 1, -20.6 %)
    # is below baseline, so scan 2 progresses although it is still below baseline
    nadir = 0.5
    scans = np.array([nadir, nadir * 1.2 ** 3 * factor]) * 1e8
    cats, best, first_pd = vt.best_response(scans, 1e8)
    assert scans[1] < 1e8
    assert first_pd[0] == (1 if progressed else -1)
    assert cats[0] == "SD"  # the scan before progression: neither PR nor PD
    assert best[0] == pytest.approx(100 * (0.5 ** (1 / 3) - 1))


def test_growth_at_the_first_scan_is_progressive_disease():
    cats, best, first_pd = vt.best_response([[1.8e8, 1.0]], [1e8])
    assert cats[0] == "PD" and first_pd[0] == 0  # RECIST 1.1: the first PD ends the assessment
    assert best[0] == pytest.approx(100 * (1.8 ** (1 / 3) - 1))


def test_disappearance_is_complete_response_and_reappearance_is_progression():
    cats, best, first_pd = vt.best_response([[0.5, 0.2, 10.0]], [1e8], detection_cells=1.0)
    assert cats[0] == "CR" and best[0] == -100.0 and first_pd[0] == 2
    cats, _, first_pd = vt.best_response([[0.5, 0.2, 0.9]], [1e8], detection_cells=1.0)
    assert cats[0] == "CR" and first_pd[0] == -1


def test_irecist_does_not_end_assessment_at_unconfirmed_progression():
    # IR: after iUPD, later time points can be iPR; a confirmed progression still ends it
    pseudo = [[3e8, 1e7, 5e6]]
    assert vt.best_response(pseudo, [1e8])[0][0] == "PD"
    cats, _, first_pd = vt.best_response(pseudo, [1e8], criteria="iRECIST")
    assert cats[0] == "PR" and first_pd[0] == -1
    cats, _, first_pd = vt.best_response([[3e8, 4e8, 5e8]], [1e8], criteria="iRECIST")
    assert cats[0] == "PD" and first_pd[0] == 0


def test_other_criteria_read_the_same_trial_as_running_it_with_them():
    cohort = vt.draw_cohort(60, seed=3)
    regimen = vt.Regimen(checkpoint=0.99, interval_days=21.0, course_days=21.0, n_doses=8)
    recist = vt.run_trial(cohort, regimen, 365.0, dt=1.0)
    irecist = vt.run_trial(cohort, regimen, 365.0, dt=1.0, criteria="iRECIST")
    assert not np.array_equal(recist.best_response, irecist.best_response), "no pseudo-progression to tell apart"
    for start, goal in ((recist, irecist), (irecist, recist)):
        read = vt.assess(start, goal.criteria)
        assert read.criteria == goal.criteria
        for name in ("best_response", "best_change", "event_day", "event_observed", "scan_change", "toxicity"):
            np.testing.assert_array_equal(getattr(read, name), getattr(goal, name), err_msg=name)
            assert not getattr(read, name).flags.writeable, name
    assert vt.assess(recist, "RECIST1.1") is recist
    with pytest.raises(ValueError, match="criteria"):
        vt.assess(recist, "WHO")
    with pytest.raises(ValueError, match="TrialResult"):
        vt.assess(recist.best_response, "iRECIST")


def test_weekly_points_store_less_of_the_same_trial():
    # 365 days is not a whole number of weeks: the last stored week is day 364, but treatment and IL-2
    # runaway (every patient's, at this dose) still count to day 365 in the toxicity, as in the daily trial
    cohort = vt.draw_cohort(40, seed=5)
    regimen = vt.Regimen(il2=vt.MAX_DOSE["il2"], checkpoint=0.9, interval_days=21.0, course_days=21.0, n_doses=18)
    daily = vt.run_trial(cohort, regimen, 365.0, dt=1.0)
    weekly = vt.run_trial(cohort, regimen, 365.0, dt=1.0, output_every_days=7.0)
    assert weekly.t[-1] == 364.0 and np.array_equal(weekly.t, daily.t[::7])
    for name in ("log10_burden", "burden", "effectors"):
        np.testing.assert_array_equal(getattr(weekly, name), getattr(daily, name)[:, ::7], err_msg=name)
    for name in ("scan_days", "scan_change", "best_response", "best_change", "event_day", "event_observed",
                 "toxicity"):
        np.testing.assert_array_equal(getattr(weekly, name), getattr(daily, name), err_msg=name)


def test_response_rates():
    cats = np.array(["CR", "PR", "SD", "PD", "PD"])
    assert vt.objective_response_rate(cats) == pytest.approx(0.4)
    assert vt.disease_control_rate(cats) == pytest.approx(0.6)
    with pytest.raises(ValueError, match="TrialResult"):
        vt.objective_response_rate(["XX"])


# --- Kaplan–Meier ------------------------------------------------------------------------------

def test_kaplan_meier_on_a_hand_worked_example():
    # times 1,2,2+,3,4+,5 (+ = censored).  At t=1: 6 at risk, 1 event -> 5/6.  At t=2: 5 at risk
    # (the one censored at 2 still counts), 1 event -> 5/6·4/5 = 2/3.  At t=3: 3 at risk (3, 4+,
    # 5), 1 event -> 2/3·2/3 = 4/9.  At t=5: 1 at risk, 1 event -> 0.
    times, survival = vt.kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    np.testing.assert_allclose(times, [0, 1, 2, 3, 5])
    np.testing.assert_allclose(survival, [1, 5 / 6, 2 / 3, 4 / 9, 0])
    assert vt.median_survival([1, 2, 2, 3, 4, 5], [1, 1, 0, 1, 0, 1]) == 3.0


def test_kaplan_meier_without_censoring_is_the_empirical_survival_and_median_can_be_unreached():
    times, survival = vt.kaplan_meier([4, 1, 3, 2], [True] * 4)
    np.testing.assert_allclose(times, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(survival, [1, 0.75, 0.5, 0.25, 0])
    assert vt.median_survival([4, 1, 3, 2], [True] * 4) == 2.0
    # one event among three at risk: S drops to 2/3 and never reaches 0.5
    assert vt.median_survival([5, 6, 7, 8], [False, True, False, False]) == math.inf
    with pytest.raises(ValueError, match="same length"):
        vt.kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError, match="event_times"):
        vt.kaplan_meier([1, -2], [True, True])


# --- the cohort ------------------------------------------------------------------------------

def test_same_seed_gives_identical_cohort_and_outcomes():
    regimen = vt.Regimen(checkpoint=0.9, vaccine=1e-4)
    a = vt.run_trial(vt.draw_cohort(60, seed=7), regimen)
    vt._draw.cache_clear()  # a fresh draw, not the cached object
    b = vt.run_trial(vt.draw_cohort(60, seed=7), regimen)
    for name in ("c", "r2", "a", "q", "T0"):
        np.testing.assert_array_equal(getattr(a.cohort, name), getattr(b.cohort, name))
    for name in ("log10_burden", "best_response", "best_change", "event_day", "event_observed", "toxicity"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    other = vt.draw_cohort(60, seed=8)
    assert not np.array_equal(other.c, a.cohort.c)


def test_cohort_distributions_have_the_stated_medians_and_spread():
    spec = vt.CohortSpec()
    cohort = vt.draw_cohort(4000, seed=1)
    assert np.median(cohort.c) == pytest.approx(spec.c_median, rel=0.05)
    assert np.median(cohort.r2) == pytest.approx(P.r2, rel=0.03)  # Table 1 r2 = 0.18
    assert np.median(cohort.a) == pytest.approx(P.a, rel=0.03)  # Table 1 a = 1
    assert np.median(cohort.q) == pytest.approx(vt.TYPICAL_BRAKE, rel=0.08)
    assert np.std(np.log(cohort.r2)) == pytest.approx(math.sqrt(math.log1p(0.25 ** 2)), rel=0.05)
    assert np.all(cohort.T0 <= 0.5 / P.b)
    with pytest.raises(ValueError):
        cohort.c[0] = 1.0


def test_typical_brake_is_the_checkpoint_models_escaped_tumour():
    # Nikolopoulou et al. 2018 (checkpoint_tumour): the untreated escaped tumour; the module's
    # docstring gives C = 0.641 g/cm3 and T = 0.0020 g/cm3 for it
    from course.models import checkpoint_tumour as ct
    p = ct.Params()
    assert 1 / ct.inhibition(p, 0.0020, 0.641) - 1 == pytest.approx(vt.TYPICAL_BRAKE, rel=0.05)


def test_untreated_cohort_progresses_without_toxicity():
    result = vt.run_trial(vt.draw_cohort(200, seed=0), vt.Regimen(n_doses=0))
    assert vt.objective_response_rate(result) == 0.0
    assert np.all(result.best_response == "PD") and np.all(result.event_observed)
    assert np.all(result.toxicity == 0.0)


# --- monotone behaviour and combinations --------------------------------------------------------

@pytest.mark.parametrize("criteria", ["RECIST1.1", "iRECIST"])
@pytest.mark.parametrize("therapy", ["aci", "checkpoint", "vaccine"])
def test_a_higher_dose_never_worsens_the_typical_patients_best_response(therapy, criteria):
    patient = typical()
    ranks = [RANK[vt.run_trial(patient, vt.Regimen(**{therapy: d}), criteria=criteria).best_response[0]]
             for d in np.linspace(0, vt.MAX_DOSE[therapy], 11)]
    assert all(np.diff(ranks) <= 0), ranks
    assert ranks[0] == RANK["PD"]
    if therapy == "checkpoint" and criteria == "RECIST1.1":
        # full blockade cures the typical patient, but only after the tumour has grown past the
        # first scan (pseudo-progression): RECIST 1.1 calls that PD, iRECIST does not
        result = vt.run_trial(patient, vt.Regimen(checkpoint=1.0))
        assert ranks[-1] == RANK["PD"] and result.log10_burden[0, -1] < 0
    else:
        assert ranks[-1] == RANK["CR"]


def test_il2_alone_gives_no_responses_in_the_cohort():
    # KP via CA: IL-2 alone clears only at doses with unbounded effector growth
    result = vt.run_trial(vt.draw_cohort(200, seed=0), vt.Regimen(il2=0.5 * kp.il2_runaway_threshold(P)))
    assert vt.objective_response_rate(result) == 0.0


@pytest.mark.parametrize("first, second", [
    (dict(checkpoint=0.9), dict(vaccine=1e-4)),
    (dict(aci=3e5), dict(il2=3e7)),
    (dict(aci=3e5), dict(checkpoint=0.99)),
])
def test_combination_responds_at_least_as_often_as_either_therapy_alone(first, second):
    cohort = vt.draw_cohort(200, seed=0)
    orr = {k: vt.objective_response_rate(vt.run_trial(cohort, vt.Regimen(**r)))
           for k, r in (("a", first), ("b", second), ("ab", first | second))}
    assert orr["ab"] >= max(orr["a"], orr["b"])
    assert orr["ab"] > 0


def test_blockade_needs_antigen():
    # B(f) multiplies antigenicity: with c = 0 full blockade has nothing to release
    result = vt.run_trial(typical(c=0.0), vt.Regimen(checkpoint=1.0))
    assert result.best_response[0] == "PD"
    explanation = vt.explain_patient(result, 0)
    assert "nothing to release" in explanation.text


def test_explanation_names_pseudo_progression():
    result = vt.run_trial(typical(), vt.Regimen(checkpoint=1.0))
    explanation = vt.explain_patient(result, 0)
    assert explanation.best_response == "PD" and result.event_day[0] == 56.0
    assert explanation.cleared_day is not None and explanation.cleared_day > 56.0
    assert "pseudo-progression" in explanation.text
    # under iRECIST the same late response is not called pseudo-progression any more
    late = vt.run_trial(typical(), vt.Regimen(checkpoint=1.0), criteria="iRECIST")
    if late.best_response[0] == "PD" and vt.explain_patient(late, 0).cleared_day is not None:
        assert "even under iRECIST" in vt.explain_patient(late, 0).text
    # and a regimen without adoptive cells says nothing about the ACI threshold
    assert "ACI of" not in explanation.text


def test_explanation_uses_the_patients_aci_threshold():
    patient = typical(r2=0.36, a=0.5)
    result = vt.run_trial(patient, vt.Regimen(aci=1000.0))
    explanation = vt.explain_patient(result, 0)
    # r2 g2 mu2 / a with this patient's r2 and a: 0.36 * 1e5 * 0.03 / 0.5 = 2160 cells/day
    assert explanation.aci_threshold == pytest.approx(2160.0)
    assert explanation.best_response == "PD" and "below" in explanation.text
    assert explanation.persisting_tumour is not None and explanation.persisting_tumour > 1e8
    with pytest.raises(ValueError, match="patient index"):
        vt.explain_patient(result, 1)


# --- robustness ---------------------------------------------------------------------------------

EXTREMES = [
    dict(),
    dict(n_doses=0),
    dict(aci=vt.MAX_DOSE["aci"], il2=vt.MAX_DOSE["il2"], checkpoint=1.0, vaccine=vt.MAX_DOSE["vaccine"]),
    dict(il2=vt.MAX_DOSE["il2"], n_doses=200, interval_days=3.0, course_days=3.0),
    dict(aci=vt.MAX_DOSE["aci"], n_doses=200, interval_days=1.0, course_days=0.5),
    dict(checkpoint=1.0, vaccine=vt.MAX_DOSE["vaccine"], start_day=700.0, n_doses=1),
    dict(aci=1.0, il2=1.0, checkpoint=1e-6, vaccine=1e-9),
]


@pytest.mark.parametrize("kwargs", EXTREMES)
def test_outputs_stay_finite_at_the_extremes(kwargs):
    cohort = vt.draw_cohort(40, seed=3, spec=vt.CohortSpec(c_cv=3.0, r2_cv=1.0, a_cv=1.0, q_cv=3.0, T0_cv=3.0))
    result = vt.run_trial(cohort, vt.Regimen(**kwargs), days=730)
    for name in ("log10_burden", "burden", "effectors", "scan_change", "best_change", "event_day", "toxicity"):
        assert np.all(np.isfinite(getattr(result, name))), name
    assert np.all(result.burden >= 0) and np.all(result.effectors >= 0)
    assert set(result.best_response) <= set(vt.CATEGORIES)
    assert result.burden.shape == (40, 731) and result.t[-1] == 730


@pytest.mark.parametrize("r2, a, c", [(50.0, 1.0, 0.0), (0.0, 0.0, 0.0), (0.18, 100.0, 0.05), (20.0, 1e-3, 1e-9)])
def test_extreme_patients_stay_finite(r2, a, c):
    patient = vt.single_patient(c=c, r2=r2, a=a, q=1e4, T0=1.0 / P.b)
    result = vt.run_trial(patient, vt.Regimen(aci=vt.MAX_DOSE["aci"], il2=vt.MAX_DOSE["il2"], checkpoint=1.0))
    assert np.all(np.isfinite(result.log10_burden)) and np.all(np.isfinite(result.effectors))
    assert np.all(result.burden <= 1.0 / P.b * (1 + 1e-12))


@pytest.mark.parametrize("r2", [0.18, 5.0, 50.0])
def test_untreated_non_antigenic_tumour_of_any_growth_rate_ends_at_capacity(r2):
    # c = 0: no immune response, so T follows the logistic law to 1/b = 1e9 cells (Table 1),
    # also when r2·dt is far above the explicit step's stability limit
    result = vt.run_trial(vt.single_patient(c=0.0, r2=r2, T0=1e3), vt.Regimen(), days=730)
    assert result.log10_burden[0, -1] == pytest.approx(9.0, abs=1e-3)
    assert np.all(np.diff(result.log10_burden[0]) >= -1e-12)


@pytest.mark.parametrize("kwargs, message", [
    (dict(aci=-1.0), "aci"), (dict(aci=2e6), "aci"), (dict(il2=float("nan")), "il2"),
    (dict(checkpoint=1.5), "checkpoint"), (dict(vaccine="0.01"), "vaccine"),
    (dict(start_day=-1.0), "start_day"), (dict(interval_days=0.0), "interval_days"),
    (dict(n_doses=2.5), "n_doses"), (dict(n_doses=-1), "n_doses"), (dict(n_doses=True), "n_doses"),
    (dict(course_days=30.0, interval_days=21.0), "overlap"), (dict(course_days=0.0), "course_days"),
])
def test_bad_regimens_are_refused_with_clear_messages(kwargs, message):
    with pytest.raises(ValueError, match=message):
        vt.Regimen(**kwargs)


def test_bad_trial_inputs_are_refused():
    cohort = vt.draw_cohort(5, seed=0)
    with pytest.raises(ValueError, match="Cohort"):
        vt.run_trial({"c": 1}, vt.Regimen())
    with pytest.raises(ValueError, match="Regimen"):
        vt.run_trial(cohort, {"aci": 1})
    with pytest.raises(ValueError, match="scan_every_days"):
        vt.run_trial(cohort, vt.Regimen(), days=30)
    with pytest.raises(ValueError, match="multiple"):
        vt.run_trial(cohort, vt.Regimen(), scan_every_days=55.3)
    with pytest.raises(ValueError, match="criteria"):
        vt.run_trial(cohort, vt.Regimen(), criteria="WHO")
    with pytest.raises(ValueError, match="toxicity weight"):
        vt.run_trial(cohort, vt.Regimen(), toxicity_weights={"surgery": 1.0})
    with pytest.raises(ValueError, match="seed"):
        vt.draw_cohort(5, seed=-1)
    with pytest.raises(ValueError, match="n must be"):
        vt.draw_cohort(0)


def test_schedule_and_treated_days():
    regimen = vt.Regimen(aci=1.0, start_day=10.0, interval_days=21.0, n_doses=3, course_days=7.0)
    assert regimen.on([9.9, 10.0, 16.9, 17.0, 31.0, 52.0, 58.9, 59.0, 73.0]).tolist() == [
        False, True, True, False, True, True, True, False, False]
    assert regimen.treated_days(1000.0) == 21.0
    assert regimen.treated_days(34.0) == 7.0 + 3.0
    assert regimen.therapies == ("aci",)
    assert vt.Regimen(aci=1.0, n_doses=0).therapies == ()
