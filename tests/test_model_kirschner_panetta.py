"""The Kirschner–Panetta model against the paper's statements and curated copies of it.

Where each number comes from (the full text of the paper could not be read here, so
its statements are taken from sources that quote or re-run it):

KP  Kirschner D, Panetta JC (1998) J Math Biol 37:235-252, doi:10.1007/s002850050127.
BM  BioModels BIOMD0000000732 (COPASI file and its SBFC Octave export): the Table 1 values.
    Its figure-reproducing curation (BioSimulations' fix for Kirschner_1998.sedml) runs
    c = 5e-5, 0.01, 0.02 and 0.035 over 1000 days.
CA  Caravagna G et al. (2010) J Theor Biol 265:336-345, doi:10.1016/j.jtbi.2010.05.013.
    Section 2 lists "the main results obtained in Kirschner and Panetta (1998)"; its Fig. 1
    and section 4.2 re-run KP's deterministic model with Table 1, counting cells in a
    volume V = 3.2 ml (their T = 3.2 x ours).
SA  Sarv Ahrabi S (2018) arXiv:1806.04752, sections 2 and 4: "s1,cr = r2g2µ2/a" and
    "critical value s1,cr = 540 [KP]", with runs at c = 0.04, s1 = 500 and c = 0.025, s1 = 550.
"""

import math
import timeit

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course.models import kirschner_panetta as kp

CARAVAGNA_VOLUME_ML = 3.2  # CA Table 1: "V 3.2 ml"; their cell numbers are V x the paper's densities


def run(t_end=1000.0, E0=1.0, T0=1.0, IL0=1.0, n_points=601, **params):
    return kp.simulate(kp.Params(**params), E0, T0, IL0, t_end, n_points)


def tumour_present(params):
    return [eq for eq in kp.equilibria(params) if not eq.tumour_free]


# --- Table 1 --------------------------------------------------------------------------------

def test_defaults_are_table_1():
    # KP Table 1 via BM (COPASI ModelValues: mu2 0.03, p1 0.1245, g1 2e7, r2 0.18, a 1, b 1e-9,
    # g2 1e5, mu3 10, p2 5, g3 1e3, s1 = s2 = 0) and SA Table 1 ("0 <= c <= 0.05").
    p = kp.Params()
    assert (p.mu2, p.p1, p.g1, p.g2, p.r2, p.b, p.a, p.mu3, p.p2, p.g3, p.s1, p.s2) == (
        0.03, 0.1245, 2e7, 1e5, 0.18, 1e-9, 1.0, 10.0, 5.0, 1e3, 0.0, 0.0)
    assert 0 <= p.c <= 0.05
    assert p.c == 0.02  # one of the c values of the curated figure (BM) and of CA Fig. 1


# --- no treatment ---------------------------------------------------------------------------

@pytest.mark.parametrize("c", np.linspace(0.0, 0.05, 11))
def test_untreated_tumour_free_state_is_always_unstable(c):
    # CA on KP: "the unique tumour suppression equilibrium point (0,0,0) is always unstable"
    params = kp.Params(c=c)
    tf = kp.tumour_free_equilibrium(params)
    assert (tf.E, tf.T, tf.IL) == (0.0, 0.0, 0.0)
    assert not tf.stable
    assert max(tf.eigenvalues.real) == pytest.approx(params.r2)


def test_low_antigenicity_has_one_stable_state_near_carrying_capacity():
    # CA on KP: "for 0 < c < c0 there are three equilibria of which two are unstable and one is
    # locally stable ... very close to the carrying capacity"; c = 5e-5 is BM's lowest c.
    low = tumour_present(kp.Params(c=5e-5))
    assert len(low) == 3
    stable = [eq for eq in low if eq.stable]
    assert len(stable) == 1
    assert stable[0].T == pytest.approx(1 / kp.Params().b, rel=0.02)
    # past c0 the two upper states have merged and vanished: one state left, unstable
    above_c0 = tumour_present(kp.Params(c=1e-3))
    assert len(above_c0) == 1 and not above_c0[0].stable


def test_low_antigenicity_tumour_grows_to_that_state():
    # BM's c = 5e-5 run over 1000 days; CA: "for very low values of c, the tumour burden
    # reaches values near its carrying capacity"
    result = run(c=5e-5)
    (target,) = [eq for eq in tumour_present(result.params) if eq.stable]
    assert result.T[-1] == pytest.approx(target.T, rel=1e-3)
    assert result.T[-1] > 0.98e9
    assert kp.outcome(result) == "large tumour"


def test_a_run_too_short_to_settle_is_called_growing_not_oscillating():
    assert kp.outcome(run(t_end=100, c=5e-5)) == "growing"
    # from above the carrying capacity it shrinks steadily onto the large steady tumour
    assert kp.outcome(run(t_end=100, c=5e-5, T0=5e9)) == "large tumour"


def test_damped_and_sustained_swings_are_told_apart():
    # just past cmax the swings still span most of a decade after 1000 days, but they shrink
    # onto a stable steady state: "controlled"
    assert kp.outcome(run(t_end=1000, c=0.035)) == "controlled"
    # relapses from 1e-50 cells to 1e4 are reported as oscillation even though a (very weakly)
    # stable steady state exists: its damping time is ~70 years
    relapsing = run(t_end=3000, c=0.035, s2=6e7)
    assert any(eq.stable for eq in tumour_present(relapsing.params))
    assert kp.outcome(relapsing) == "oscillating"
    # a settled tumour has no oscillation to measure, numerical ripples notwithstanding
    assert kp.oscillation_stats(run(t_end=1000, c=5e-5)) is None
    assert kp.oscillation_stats(run(t_end=3000, c=0.05)) is None


def test_oscillation_period_and_amplitude_shrink_as_antigenicity_rises():
    # CA on KP: "if c in (c0, cmax) there is a unique periodic solution; the period and
    # amplitude of the limit cycle decreases as far as c approaches cmax"
    stats = []
    for c in (0.015, 0.02, 0.025, 0.03):
        result = run(t_end=4000, n_points=8001, c=c)
        assert kp.outcome(result) == "oscillating", c
        stats.append(kp.oscillation_stats(result))
    periods = [s.period for s in stats]
    amplitudes = [s.log10_amplitude for s in stats]
    assert all(np.diff(periods) < 0), periods
    assert all(np.diff(amplitudes) < 0), amplitudes
    # the long-period end is the paper's "long-term tumor relapse": regrowth from far below a cell
    assert periods[0] > 600 and stats[0].log10_T_min < -20


def test_c_002_cycle_matches_caravagna_figure_1():
    # CA Fig. 1 (c = 0.02, Table 1, E(0) = I(0) = 0, one tumour cell in 3.2 ml): spikes of
    # ~1.2e6 cells recurring around days 100, 350, 600 and 850, i.e. every ~250 days.
    result = run(t_end=4000, n_points=8001, c=0.02)
    cycle = kp.oscillation_stats(result)
    assert cycle.period == pytest.approx(250, rel=0.1)
    assert CARAVAGNA_VOLUME_ML * 10 ** cycle.log10_T_max == pytest.approx(1.2e6, rel=0.15)
    first = run(t_end=300, n_points=3001, E0=0.0, T0=1 / CARAVAGNA_VOLUME_ML, IL0=0.0, c=0.02)
    i = int(np.argmax(first.T))
    assert first.t[i] == pytest.approx(100, abs=15)
    assert CARAVAGNA_VOLUME_ML * first.T[i] == pytest.approx(1.2e6, rel=0.15)


def test_c_001_first_spike_matches_caravagna_figure_1():
    # CA Fig. 1 (c = 0.01): the first spike reaches ~4.5e8 cells after ~150 days
    result = run(t_end=300, n_points=3001, E0=0.0, T0=1 / CARAVAGNA_VOLUME_ML, IL0=0.0, c=0.01)
    i = int(np.argmax(result.T))
    assert CARAVAGNA_VOLUME_ML * result.T[i] == pytest.approx(4.5e8, rel=0.1)
    assert result.t[i] == pytest.approx(150, abs=20)


def test_oscillations_end_between_c_0032_and_0033_at_60000_cells():
    # CA section 4.2: oscillations "for a small range of values of the antigenicity
    # 0.03 < c < 0.032, whereas for higher values damped oscillations appear (i.e. with
    # c=0.033 the system reaches an equilibrium with around 60,000 tumour cells)"
    (at_0032,) = tumour_present(kp.Params(c=0.032))
    (at_0033,) = tumour_present(kp.Params(c=0.033))
    assert not at_0032.stable and at_0033.stable
    assert np.any(at_0032.eigenvalues.imag != 0)  # a complex pair crosses: a Hopf point
    assert CARAVAGNA_VOLUME_ML * at_0033.T == pytest.approx(60_000, rel=0.1)


def test_high_antigenicity_spirals_into_a_small_steady_tumour():
    # CA on KP: "when c > cmax there is a unique globally stable equilibrium, which is reached
    # through damped oscillations ... its size is small"
    result = run(t_end=3000, n_points=3001, c=0.04)
    (target,) = tumour_present(result.params)
    assert target.stable and target.T < 1e5
    assert result.T[-1] == pytest.approx(target.T, rel=0.02)
    assert kp.outcome(result) == "controlled"
    x = result.log10_T[:1500]
    peaks = x[1:-1][(x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:])]
    assert len(peaks) >= 5 and all(np.diff(peaks[1:]) < 0)  # oscillations, each smaller


# --- adoptive cellular immunotherapy (s1) --------------------------------------------------

def test_aci_threshold_is_540_cells_per_day():
    # SA: "s1,cr = r2g2µ2/a" and "the critical value s1,cr = 540 [KP]"
    for c in (5e-5, 0.02, 0.04):
        params = kp.Params(c=c)
        assert kp.s1_clearance_threshold(params) == pytest.approx(params.r2 * params.g2 * params.mu2 / params.a)
        assert kp.s1_clearance_threshold(params) == pytest.approx(540)


@pytest.mark.parametrize("c", [0.025, 0.04])
def test_tumour_free_state_is_stable_above_the_threshold_only(c):
    # SA: c = 0.04, s1 = 500 "the non-tumor equilibrium point in this case is unstable because
    # the value of s1 is smaller than critical value"; c = 0.025, s1 = 550 "Since s1 > s1,cr,
    # the non-tumour state is stable"
    threshold = kp.s1_clearance_threshold(kp.Params(c=c))
    assert not kp.tumour_free_equilibrium(kp.Params(c=c, s1=500)).stable
    assert kp.tumour_free_equilibrium(kp.Params(c=c, s1=550)).stable
    assert not kp.tumour_free_equilibrium(kp.Params(c=c, s1=threshold * (1 - 1e-6))).stable
    assert kp.tumour_free_equilibrium(kp.Params(c=c, s1=threshold * (1 + 1e-6))).stable


def test_aci_above_the_threshold_clears_the_tumour_and_below_it_does_not():
    # SA case 2: c = 0.025, s1 = 550 > 540 "it is expected that the tumor completely inhibited";
    # below the threshold (s1 = 500) the tumour persists at a small steady size.
    above = run(t_end=1000, c=0.025, s1=550)
    assert kp.outcome(above) == "clearing"  # slowly: the tumour eigenvalue is only -0.0033/day
    assert kp.outcome(run(t_end=3000, c=0.025, s1=550)) == "cleared"
    assert kp.outcome(run(t_end=1000, c=0.025, s1=600)) == "cleared"
    below = run(t_end=1000, c=0.025, s1=500)
    (persisting,) = [eq for eq in tumour_present(below.params) if eq.stable]
    assert kp.outcome(below) == "controlled"
    assert below.T[-1] == pytest.approx(persisting.T, rel=0.01) and below.T[-1] > 1e3


def test_weakly_antigenic_tumours_must_be_treated_early():
    # SA on KP: "for tumours with smaller immunogenicity, the ACI treatment must be started when
    # the tumour is still in the early stages": above the threshold a small tumour is cleared,
    # a large one is not (the large-tumour state stays stable).
    assert kp.outcome(run(t_end=3000, c=5e-5, s1=550, T0=1.0)) == "cleared"
    late = run(t_end=3000, c=5e-5, s1=550, T0=1e8)
    assert kp.outcome(late) == "large tumour"
    assert kp.tumour_free_equilibrium(late.params).stable


# --- IL-2 alone and in combination (s2) ----------------------------------------------------

def test_il2_runaway_threshold():
    params = kp.Params()
    threshold = kp.il2_runaway_threshold(params)
    assert threshold == pytest.approx(params.mu2 * params.mu3 * params.g1 / (params.p1 - params.mu2))
    assert threshold == pytest.approx(6.349e7, rel=1e-3)
    assert kp.il2_runaway_threshold(kp.Params(p1=0.03)) == math.inf  # IL-2 can never beat death


@pytest.mark.parametrize("c", [0.02, 0.035])
def test_il2_alone_clears_only_with_runaway_effectors(c):
    # CA on KP: "there is a threshold value such that, for the injection rate of the
    # interleukins greater than such a value, there is an unbounded growth of effectors,
    # leading to capillary leak syndrome"
    threshold = kp.il2_runaway_threshold(kp.Params(c=c))
    high = run(t_end=1000, c=c, s2=1.1 * threshold)
    assert kp.outcome(high) == "runaway"
    assert high.log10_T[-1] < -10
    half = slice(len(high.t) // 2, None)
    assert np.all(np.diff(high.E[half]) > 0) and high.E[-1] > 3 * high.E[len(high.t) // 2]
    assert kp.tumour_free_equilibrium(kp.Params(c=c, s1=1.0, s2=1.1 * threshold)) is None
    # below the runaway dose the effectors stay bounded and the tumour-free state is unstable:
    # IL-2 alone gives no durable cure
    low = run(t_end=1000, c=c, s2=0.5 * threshold)
    assert kp.outcome(low) != "runaway" and low.E.max() < 1e7
    assert not kp.tumour_free_equilibrium(low.params).stable


def test_il2_lowers_the_aci_threshold():
    # the general form of the threshold (derived in s1_clearance_threshold) and its use
    s2 = 3e7
    params = kp.Params(s2=s2)
    expected = 540 * (1 - params.p1 * s2 / ((params.mu3 * params.g1 + s2) * params.mu2))
    assert kp.s1_clearance_threshold(params) == pytest.approx(expected)
    assert 240 < expected < 255
    assert kp.s1_clearance_threshold(kp.Params(s2=1.1 * kp.il2_runaway_threshold(params))) == 0.0
    both = run(t_end=1000, s1=300, s2=s2)
    assert kp.tumour_free_equilibrium(both.params).stable
    assert kp.outcome(both) == "cleared"
    assert not kp.tumour_free_equilibrium(kp.Params(s1=300)).stable  # cells alone: too few
    assert not kp.tumour_free_equilibrium(kp.Params(s2=s2)).stable  # IL-2 alone: no cure
    assert kp.outcome(run(t_end=1000, s1=300)) != "cleared"


# --- steady states and linearisation -------------------------------------------------------

PARAMETER_SETS = [dict(c=0.0), dict(c=5e-5), dict(c=0.02), dict(c=0.04), dict(c=0.025, s1=500),
                  dict(c=5e-5, s1=550), dict(c=0.035, s2=6e7), dict(s1=300, s2=3e7)]


@pytest.mark.parametrize("kwargs", PARAMETER_SETS)
def test_equilibria_are_zeros_of_the_right_hand_side(kwargs):
    params = kp.Params(**kwargs)
    found = kp.equilibria(params)
    assert found
    for eq in found:
        assert eq.E >= 0 and eq.T >= 0 and eq.IL >= 0
        dE, dT, dI = kp.derivatives(params, eq.E, eq.T, eq.IL)
        scale_E = params.c * eq.T + params.mu2 * eq.E + params.p1 * eq.E + params.s1 + 1.0
        scale_T = params.r2 * eq.T * (1 + params.b * eq.T) + params.a * eq.E * eq.T / (params.g2 + eq.T) + 1.0
        scale_I = params.p2 * eq.E + params.mu3 * eq.IL + params.s2 + 1.0
        assert abs(dE) < 1e-8 * scale_E and abs(dT) < 1e-8 * scale_T and abs(dI) < 1e-8 * scale_I
    assert [eq.T for eq in found] == sorted(eq.T for eq in found)


def test_tumour_at_capacity_is_a_steady_state_without_antigenicity():
    states = kp.equilibria(kp.Params(c=0.0))
    assert states[-1].T == pytest.approx(1e9) and states[-1].E == 0.0 and states[-1].stable


@pytest.mark.parametrize("state", [(2e4, 1.5e4, 1e4), (1e6, 3e8, 5e5), (10.0, 2.0, 0.0)])
def test_jacobian_matches_finite_differences(state):
    params = kp.Params(c=0.03, s1=100.0, s2=1e4)
    J = kp.jacobian(params, *state)
    for j in range(3):
        h = 1e-5 * max(abs(state[j]), 1.0)
        up, down = list(state), list(state)
        up[j] += h
        down[j] -= h
        column = (np.array(kp.derivatives(params, *up)) - np.array(kp.derivatives(params, *down))) / (2 * h)
        np.testing.assert_allclose(J[:, j], column, rtol=1e-5, atol=1e-9)


# --- numerics ------------------------------------------------------------------------------

TOLERANCE_CASES = [dict(c=5e-5), dict(c=0.02), dict(c=0.03), dict(c=0.035), dict(c=0.025, s1=550),
                   dict(s1=300, s2=3e7), dict(s2=1e8)]


@pytest.mark.parametrize("kwargs", TOLERANCE_CASES)
def test_results_do_not_change_when_tolerances_are_tightened_100_fold(kwargs):
    params = kp.Params(**kwargs)
    default = kp.simulate(params, 1, 1, 1, 1000)
    tight = kp.simulate(params, 1, 1, 1, 1000, rtol=1e-8, atol=1e-8)
    # below 1e-3 cells the exact depth of a trough is immaterial
    x, x_tight = np.maximum(default.log10_T, -3), np.maximum(tight.log10_T, -3)
    assert np.max(np.abs(x - x_tight)) < 0.02
    assert np.max(np.abs(default.E - tight.E) / np.maximum(tight.E, 1e3)) < 0.01
    assert kp.outcome(default) == kp.outcome(tight)


def test_log_transform_agrees_with_direct_integration():
    # an independent integration in the original variables, where T stays well above 1 cell
    params = kp.Params(c=0.035)
    result = kp.simulate(params, 1e4, 1e3, 1e3, 300, 301)
    direct = solve_ivp(lambda t, y: kp.derivatives(params, *y), (0, 300), [1e4, 1e3, 1e3],
                       method="Radau", t_eval=result.t, rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(result.E, direct.y[0], rtol=2e-3)
    np.testing.assert_allclose(result.T, direct.y[1], rtol=2e-3)
    np.testing.assert_allclose(result.IL, direct.y[2], rtol=2e-3, atol=1.0)


@pytest.mark.parametrize("kwargs", PARAMETER_SETS + [dict(s2=1e8)])
def test_populations_stay_non_negative_and_the_log_is_kept(kwargs):
    result = run(t_end=1000, **kwargs)
    assert np.all(result.E >= 0) and np.all(result.T >= 0) and np.all(result.IL >= 0)
    assert np.all(np.isfinite(result.log10_T))
    shown = result.T > 1e-300
    np.testing.assert_allclose(np.log10(result.T[shown]), result.log10_T[shown], rtol=1e-9, atol=1e-9)
    assert result.t[0] == 0 and result.t[-1] == 1000 and len(result.t) == 601


def test_no_tumour_stays_no_tumour():
    result = run(t_end=500, T0=0.0, E0=0.0, IL0=0.0, s1=550)
    assert np.all(result.T == 0) and np.all(result.log10_T == -np.inf)
    assert result.E[-1] == pytest.approx(550 / 0.03, rel=1e-3)  # E* = s1/mu2
    assert kp.outcome(result) == "cleared"


def test_result_arrays_are_read_only():
    result = run(t_end=100)
    with pytest.raises(ValueError):
        result.T[0] = 5.0


def test_simulate_is_fast_enough_for_a_slider():
    # the explainer recomputes on every slider move; measured here: ~2 ms median for 1000 days in
    # the oscillating regime.  The bound leaves room for a loaded, shared machine.
    params = kp.Params(c=0.025)
    times = timeit.repeat(lambda: kp.simulate(params, 1, 1, 1, 1000, 600), number=1, repeat=9)
    assert np.median(times) < 0.05


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["c", "mu2", "p1", "g1", "g2", "r2", "b", "a", "mu3", "p2", "g3", "s1", "s2"])
@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "0.1", None])
def test_impossible_parameters_are_refused(field, bad):
    with pytest.raises(ValueError, match=field):
        kp.Params(**{field: bad})


@pytest.mark.parametrize("field, message", [("g1", "half-saturation"), ("g2", "half-saturation"),
                                            ("g3", "half-saturation"), ("b", "carrying capacity"),
                                            ("a", "killing"), ("mu3", "IL-2")])
def test_zero_is_refused_where_it_breaks_the_model(field, message):
    with pytest.raises(ValueError, match=message):
        kp.Params(**{field: 0.0})


@pytest.mark.parametrize("kwargs, message", [
    (dict(T0=-1.0), "T0"), (dict(E0=float("nan")), "E0"), (dict(IL0=-5), "IL0"), (dict(IL0="x"), "IL0"),
    (dict(t_end=0.0), "t_end"), (dict(t_end=float("inf")), "t_end"), (dict(t_end=-10), "t_end"),
    (dict(n_points=1), "n_points"), (dict(n_points=2.5), "n_points"),
    (dict(rtol=0.0), "rtol"), (dict(atol=-1e-6), "atol"), (dict(rtol=float("nan")), "rtol"),
])
def test_impossible_simulation_inputs_are_refused(kwargs, message):
    arguments = dict(E0=1.0, T0=1.0, IL0=1.0, t_end=100.0, n_points=101) | kwargs
    rtol, atol = arguments.pop("rtol", 1e-6), arguments.pop("atol", 1e-6)
    with pytest.raises(ValueError, match=message):
        kp.simulate(kp.Params(), rtol=rtol, atol=atol, **arguments)


def test_wrong_objects_are_refused():
    with pytest.raises(ValueError, match="Params"):
        kp.simulate({"c": 0.02}, 1, 1, 1, 100)
    with pytest.raises(ValueError, match="Result"):
        kp.outcome(np.zeros(100))
    with pytest.raises(ValueError, match="n_points"):
        kp.outcome(run(t_end=100, n_points=10))
    assert set(kp.OUTCOMES) >= {"cleared", "oscillating", "controlled", "large tumour", "runaway"}
