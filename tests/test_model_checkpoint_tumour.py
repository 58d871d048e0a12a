"""The Nikolopoulou et al. (2018) checkpoint model against its encoding and published statements.

The paper's full text could not be read here, so each expected number or behaviour says
which of these it comes from:

BM   BioModels MODEL1908270001 (SBML encoding of the paper, non-curated), read in the copy
     at github.com/Biosimulant/models-immunology, labs/nikolopoulou2018-tumour-immune-
     dynamics-with-an-immune-checkpoint/models/core/data/MODEL1908270001.xml: the
     <listOfParameters> values (including those COPASI stored for the assigned quantities
     kappa, P, Q and F_1_Q at the initial state) and the species' initial values.
NA   the paper's abstract (Nikolopoulou et al. 2018, Lett Biomath 5:S137, doi:10.1080/
     23737867.2018.1440978): "a normally functioning immune system may control tumour";
     "treatment with anti-PD-1 alone may not be sufficient to eradicate tumour cells".
SHK  the abstract of Shi, Huang & Kuang (2021) DCDS-B 26:1149, doi:10.3934/dcdsb.2020157,
     on this model without the drug: "a unique tumour-free equilibrium and at most two
     tumorous equilibria"; "(i) When no tumorous equilibrium exists, the tumour-free
     equilibrium is globally asymptotically stable. (ii) When C_K <= C_K1 and d_T > d_T0,
     the unique tumorous equilibrium is globally asymptotically stable. (iii) When
     C_K > C_K1, the model exhibits saddle-node bifurcation of tumorous equilibria ...
     When two distinct tumorous equilibria exist, ... bistable phenomenon".
HERE numbers computed from the equations in this project (the thresholds the papers name
     but whose values could not be read); they pin the implementation down so a change
     shows, and are cross-checked by simulation.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course.models import checkpoint_tumour as ct

PAPER = ct.Params()


def treated(fraction, **changes):
    """The encoded parameters with ``fraction`` of PD-1 blocked."""
    base = dataclasses.replace(PAPER, **changes)
    return dataclasses.replace(base, A=ct.level_for_blockade(base, fraction))


def tumorous(params):
    return [e for e in ct.equilibria(params) if not e.tumour_free]


# ---------------------------------------------------------------- parameters and the encoding

def test_defaults_are_the_encoded_values():
    # BM <listOfParameters>: lambda_C 0.425, C_K 0.8725, eta 57.5, lambda_TI_12 8.81, T_N 0.0006,
    # I_12 = K_I_12 = 1.5E-10, lambda_TI_2 0.5, I_2 = K_I_2 = 2.37E-11, K_TQ 1.365E-18,
    # rho_L 1.1615E-6, rho_P 5.84E-7, epsilon_C 50.5, d_T 0.025, sigma 0.002, gamma 10;
    # species A starts at 0 (untreated).
    assert dataclasses.astuple(PAPER) == (0.425, 0.8725, 57.5, 8.81, 6e-4, 1.5e-10, 1.5e-10, 0.5,
                                          2.37e-11, 2.37e-11, 1.365e-18, 1.1615e-6, 5.84e-7, 50.5,
                                          0.025, 0.002, 10.0, 0.0)
    # BM species initial values C = 0.3968, T = 0.006; drug parameters gamma_A 1E-10, d_A 0.7115,
    # mu_PA 105954000
    assert (ct.ENCODED_C0, ct.ENCODED_T0) == (0.3968, 0.006)
    assert (ct.ENCODED_GAMMA_A, ct.ENCODED_D_A, ct.ENCODED_MU_PA) == (1e-10, 0.7115, 105954000.0)


def test_checkpoint_formulas_reproduce_the_values_the_encoding_stores():
    # BM stores, at the initial state, kappa = 2.323E-9 (= sigma rho_L), P = 3.504E-9
    # (= (rho_P - gamma A) T), Q = 1.631572467648E-16 (= kappa P (T + epsilon_C C)) and
    # F_1_Q = 0.00829675029876899 (= 1/(1 + Q/K_TQ)).
    p, T, C = PAPER, ct.ENCODED_T0, ct.ENCODED_C0
    kappa = p.sigma * p.rho_L
    P = (p.rho_P - p.gamma * p.A) * T
    Q = kappa * P * (T + p.epsilon_C * C)
    assert kappa == pytest.approx(2.323e-9, rel=1e-12)
    assert P == pytest.approx(3.504e-9, rel=1e-12)
    assert Q == pytest.approx(1.631572467648e-16, rel=1e-12)
    assert ct.inhibition(p, T, C) == pytest.approx(0.00829675029876899, rel=1e-12)
    assert p.a3 * T * (T + p.epsilon_C * C) == pytest.approx(Q / p.K_TQ, rel=1e-12)
    # the T-cell equation of BM's reactions (IL-12 activation + IL-2 stimulation, both times
    # F_1_Q, minus death), evaluated independently of the lumped a1, a2
    F = 1 / (1 + Q / p.K_TQ)
    dT = (F * p.lambda_TI12 * p.T_N * p.I_12 / (p.K_I12 + p.I_12)
          + F * p.lambda_TI2 * T * p.I_2 / (p.K_I2 + p.I_2) - p.d_T * T)
    dC = p.lambda_C * C * (1 - C / p.C_K) - p.eta * C * T
    assert ct.derivatives(p, T, C) == pytest.approx((dT, dC), rel=1e-12)


def test_antibody_blocks_pd1_in_proportion_to_its_level():
    # BM: P = (rho_P - gamma A) T, so gamma A / rho_P of PD-1 is blocked; complete at rho_P/gamma
    assert ct.blockade_fraction(PAPER) == 0.0
    full = ct.level_for_blockade(PAPER, 1.0)
    assert full == pytest.approx(5.84e-8)
    for f in (0.1, 0.58, 1.0):
        p = treated(f)
        assert ct.blockade_fraction(p) == pytest.approx(f)
        assert p.a3 == pytest.approx((1 - f) * PAPER.a3, abs=1e-9)
    beyond = dataclasses.replace(PAPER, A=3 * full)  # P is clipped at 0, not negative
    assert ct.blockade_fraction(beyond) == 1.0 and beyond.a3 == 0.0


def test_the_encoded_dose_sustains_almost_no_blockade():
    # BM: gamma_A = 1E-10, d_A = 0.7115; binding only removes drug, so A <= gamma_A/d_A
    bound = ct.sustained_level_bound()
    assert bound == pytest.approx(1.4055e-10, rel=1e-4)
    p = dataclasses.replace(PAPER, A=bound)
    assert ct.blockade_fraction(p) == pytest.approx(0.0024, abs=1e-4)


# ---------------------------------------------------------------- untreated: steady states

def test_untreated_steady_states():
    # SHK: a unique tumour-free equilibrium and at most two tumorous ones; NA: "a normally
    # functioning immune system may control tumour" -> the tumour-free state is stable.
    # Positions and eigenvalues: HERE.
    tf, low, high = ct.equilibria(PAPER)
    assert tf.tumour_free and tf.kind == "stable node"
    assert tf.T == pytest.approx(0.100565, rel=1e-5)
    assert min(e.real for e in tf.eigenvalues) == pytest.approx(PAPER.lambda_C - PAPER.eta * tf.T)
    assert PAPER.lambda_C - PAPER.eta * tf.T == pytest.approx(-5.3575, rel=1e-4)
    assert low.kind == "saddle"
    assert (low.C, low.T) == pytest.approx((0.072132, 0.0067802), rel=1e-4)
    assert high.kind == "stable node"
    assert (high.C, high.T) == pytest.approx((0.64147, 0.0019572), rel=1e-4)
    assert high.C / PAPER.C_K == pytest.approx(0.735, abs=0.001)


def test_bistable_small_tumours_are_eliminated_large_ones_escape():
    # SHK: "When two distinct tumorous equilibria exist ... bistable"; NA: the immune system
    # "may" control tumour.  Same T cells (the encoded 0.006), different tumour burdens.
    for C0 in (0.001, 0.01):
        assert ct.outcome(ct.simulate(PAPER, 0.006, C0, 400, 401)) == "eliminated", C0
    for C0 in (0.1, 0.3):
        assert ct.outcome(ct.simulate(PAPER, 0.006, C0, 400, 401)) == "escaped", C0
    # and more T cells at the start tip a large tumour into elimination
    assert ct.outcome(ct.simulate(PAPER, 0.05, 0.3, 400, 401)) == "eliminated"


def test_untreated_encoded_tumour_grows_to_the_large_state():
    # BM initial state (C = 0.3968, T = 0.006), untreated: the tumour first dips, then grows to
    # the stable large state (HERE: 0.641 g/cm3) as its PD-L1 shuts the T cells down.
    r = ct.simulate(PAPER, t_end=300, n_points=301)
    high = tumorous(PAPER)[-1]
    assert r.C.min() < ct.ENCODED_C0 < r.C[-1]
    assert r.C[-1] == pytest.approx(high.C, rel=1e-3) and r.T[-1] == pytest.approx(high.T, rel=1e-3)
    assert ct.inhibition(PAPER, r.T[-1], r.C[-1]) < 0.02  # T cells work at ~1.6 % of capacity
    assert ct.outcome(r) == "escaped"


# ---------------------------------------------------------------- treatment

def test_the_encoded_dose_does_not_eradicate_the_tumour():
    # NA: "treatment with anti-PD-1 alone may not be sufficient to eradicate tumour cells";
    # even the highest level the encoded dose rate can sustain changes almost nothing.
    p = dataclasses.replace(PAPER, A=ct.sustained_level_bound())
    r = ct.simulate(p, t_end=300, n_points=301)
    assert ct.outcome(r) == "escaped"
    assert r.C[-1] == pytest.approx(tumorous(PAPER)[-1].C, rel=0.01)


def test_critical_blockade_is_a_saddle_node_of_the_tumorous_states():
    # HERE: 58.0 % of PD-1 (A = 3.387e-8 g/cm3).  Below it the saddle and the large tumour
    # exist and approach each other; above it both are gone (SHK: saddle-node bifurcation).
    A_crit = ct.critical_level(PAPER)
    assert A_crit == pytest.approx(3.3868e-8, rel=1e-4)
    assert ct.blockade_fraction(dataclasses.replace(PAPER, A=A_crit)) == pytest.approx(0.57993, rel=1e-4)
    gaps = []
    for f in (0.0, 0.3, 0.5, 0.57, 0.579):
        low, high = tumorous(treated(f))
        assert low.kind == "saddle" and high.stable
        gaps.append(high.C - low.C)
    assert all(np.diff(gaps) < 0) and gaps[-1] < 0.1 * gaps[0]
    assert tumorous(dataclasses.replace(PAPER, A=0.999 * A_crit))
    assert not tumorous(dataclasses.replace(PAPER, A=1.001 * A_crit))
    assert ct.tumour_free_equilibrium(dataclasses.replace(PAPER, A=1.001 * A_crit)).stable


@pytest.mark.parametrize("factor, expected", [(0.9, "escaped"), (1.1, "eliminated"), (1.5, "eliminated")])
def test_enough_blockade_eliminates_the_encoded_tumour(factor, expected):
    # the lesson's claim: without therapy the tumour escapes; with blockade above the critical
    # level it is eliminated (SHK (i): no tumorous equilibrium -> tumour-free globally stable)
    p = dataclasses.replace(PAPER, A=factor * ct.critical_level(PAPER))
    r = ct.simulate(p, t_end=400, n_points=401)
    assert ct.outcome(r) == expected


def test_stronger_blockade_clears_faster():
    days = []
    for f in (0.6, 0.7, 0.9):
        r = ct.simulate(treated(f), t_end=400, n_points=4001)
        days.append(r.t[np.argmax(r.C < ct.ELIMINATED_C)])
    assert all(np.diff(days) < 0), days
    assert days[0] < 400


def test_complete_blockade_releases_the_t_cells_without_limit():
    # with no PD-1 left, a2 = 0.25 > d_T = 0.025 /day: nothing stops IL-2-driven proliferation
    # HERE: the T-cell level without tumour is 0.307 g/cm3 at 90 % blockade, 3.0 at 99.9 %
    assert ct.tumour_free_equilibrium(treated(0.9)).T == pytest.approx(0.30663, rel=1e-4)
    assert ct.tumour_free_equilibrium(treated(0.999)).T == pytest.approx(3.0151, rel=1e-4)
    p = treated(1.0)
    assert ct.tumour_free_equilibrium(p) is None
    r = ct.simulate(p, t_end=100, n_points=101)
    rate = np.diff(r.log10_T[50:]) * math.log(10) / np.diff(r.t[50:])
    assert rate == pytest.approx(np.full(50, p.a2 - p.d_T), rel=1e-3)
    assert ct.outcome(r) == "runaway"


# ---------------------------------------------------------------- Shi, Huang & Kuang (2021)

def test_without_tumorous_states_every_tumour_is_eliminated():
    # SHK (i).  Below the critical carrying capacity (HERE: 0.3664 g/cm3) no tumorous state
    # exists, and tumours from anywhere are eliminated.
    ck = ct.critical_carrying_capacity(PAPER)
    assert ck == pytest.approx(0.36637, rel=1e-4)
    p = dataclasses.replace(PAPER, C_K=0.3)
    assert not tumorous(p)
    for T0 in (1e-4, 0.006, 0.1):
        for C0 in (1e-3, 0.1, 0.29, 0.6):
            assert ct.outcome(ct.simulate(p, T0, C0, 500, 201)) == "eliminated", (T0, C0)


def test_saddle_node_in_the_carrying_capacity():
    # SHK (iii): two tumorous states are born together as C_K rises through the critical value
    ck = ct.critical_carrying_capacity(PAPER)
    assert not tumorous(dataclasses.replace(PAPER, C_K=0.999 * ck))
    low, high = tumorous(dataclasses.replace(PAPER, C_K=1.001 * ck))
    assert low.kind == "saddle" and high.kind == "stable node"
    assert high.C - low.C < 0.1 * ck
    # and for larger C_K they persist, far apart (at C_K = 10: 0.063 and 9.34 g/cm3, HERE)
    low, high = tumorous(dataclasses.replace(PAPER, C_K=10.0))
    assert low.C == pytest.approx(0.0633, rel=1e-2) and high.C == pytest.approx(9.3445, rel=1e-3)


def test_critical_death_rate_switches_the_tumour_free_state():
    # SHK name d_T0; HERE: 0.5763 /day, where the tumour-free T cells fall to lambda_C/eta
    d0 = ct.critical_death_rate(PAPER)
    assert d0 == pytest.approx(0.57629, rel=1e-4)
    below = ct.tumour_free_equilibrium(dataclasses.replace(PAPER, d_T=0.999 * d0))
    above = ct.tumour_free_equilibrium(dataclasses.replace(PAPER, d_T=1.001 * d0))
    assert below.stable and above.kind == "saddle"
    assert below.T > PAPER.lambda_C / PAPER.eta > above.T


@pytest.mark.parametrize("C_K", [0.1, 0.3])
def test_above_the_critical_death_rate_the_single_tumorous_state_attracts_all(C_K):
    # SHK (ii): for small C_K and d_T > d_T0 the unique tumorous equilibrium is globally stable
    p = dataclasses.replace(PAPER, C_K=C_K, d_T=0.6)
    (target,) = tumorous(p)
    assert target.stable and not ct.tumour_free_equilibrium(p).stable
    for T0, C0 in ((1e-4, 1e-6), (0.05, 0.5 * C_K), (0.006, 2 * C_K)):
        r = ct.simulate(p, T0, C0, 500, 201)
        assert r.C[-1] == pytest.approx(target.C, rel=1e-4), (T0, C0)
        assert r.T[-1] == pytest.approx(target.T, rel=1e-4)
        assert ct.outcome(r) == ("controlled" if target.C < ct.ESCAPE_FRACTION * C_K else "escaped")


def test_never_more_than_two_tumorous_states():
    # SHK: "at most two tumorous equilibria", over a grid of parameters
    counts = set()
    for C_K in (0.2, 0.5, 0.8725, 3.0):
        for d_T in (0.01, 0.025, 0.3, 0.7):
            for f in (0.0, 0.4, 0.8):
                p = treated(f, C_K=C_K, d_T=d_T)
                n = len(tumorous(p))
                counts.add(n)
                assert n <= 2
                if n == 2:
                    assert ct.tumour_free_equilibrium(p).stable  # bistable with elimination
    assert counts == {0, 1, 2}


# ---------------------------------------------------------------- steady states and linearisation

PARAMETER_SETS = [dict(), dict(A=2e-8), dict(C_K=0.3), dict(C_K=0.1, d_T=0.6), dict(d_T=0.3),
                  dict(C_K=5.0, A=3e-8), dict(eta=10.0), dict(lambda_C=2.0)]


@pytest.mark.parametrize("changes", PARAMETER_SETS)
def test_equilibria_are_zeros_of_the_right_hand_side(changes):
    p = dataclasses.replace(PAPER, **changes)
    found = ct.equilibria(p)
    assert found and found[0].tumour_free
    for e in found:
        assert e.T > 0 and 0 <= e.C <= p.C_K
        dT, dC = ct.derivatives(p, e.T, e.C)
        assert abs(dT) < 1e-12 * (p.a1 + p.a2 * e.T + p.d_T * e.T)
        assert abs(dC) < 1e-12 * (p.lambda_C + p.eta * e.T) * max(e.C, 1e-300)
        assert e.kind in ct.KINDS
    assert [e.C for e in found] == sorted(e.C for e in found)


@pytest.mark.parametrize("state", [(0.006, 0.3968), (0.1, 0.0), (0.002, 0.64), (1e-4, 1e-5)])
def test_jacobian_matches_finite_differences(state):
    p = dataclasses.replace(PAPER, A=1e-8, lambda_C=0.6)
    J = ct.jacobian(p, *state)
    for j in range(2):
        h = 1e-6 * max(abs(state[j]), 1e-4)
        up, down = list(state), list(state)
        up[j] += h
        down[j] -= h
        column = (np.array(ct.derivatives(p, *up)) - np.array(ct.derivatives(p, *down))) / (2 * h)
        np.testing.assert_allclose(J[:, j], column, rtol=1e-6, atol=1e-10)


def test_degenerate_parameter_sets_have_the_obvious_steady_states():
    # nothing kills the tumour: it sits at its carrying capacity, the tumour-free state is a saddle
    tf, cap = ct.equilibria(dataclasses.replace(PAPER, eta=0.0))
    assert tf.kind == "saddle" and cap.C == PAPER.C_K and cap.stable
    # a tumour that cannot grow has no steady state but none
    assert [e.C for e in ct.equilibria(dataclasses.replace(PAPER, lambda_C=0.0))] == [0.0]
    # no naive T cells and IL-2 below the death rate: no T cells at all, tumour at capacity
    none = dataclasses.replace(PAPER, T_N=0.0, lambda_TI2=0.01)
    assert [(e.T, e.C, e.stable) for e in ct.equilibria(none)] == [(0.0, 0.0, False), (0.0, PAPER.C_K, True)]


def test_critical_level_edge_cases():
    assert ct.critical_level(dataclasses.replace(PAPER, C_K=0.3)) == 0.0  # no tumorous state untreated
    assert ct.critical_level(dataclasses.replace(PAPER, gamma=0.0)) == math.inf  # drug does nothing
    # T cells dying faster than a2 + a1/(lambda_C/eta) = 0.608 /day: a tumour survives full blockade
    assert ct.critical_level(dataclasses.replace(PAPER, d_T=0.7)) == math.inf
    assert tumorous(treated(1.0, d_T=0.7))  # ... as the steady states confirm
    assert math.isnan(ct.critical_carrying_capacity(dataclasses.replace(PAPER, d_T=0.6)))
    still = dataclasses.replace(PAPER, lambda_C=0.0)  # a tumour that cannot grow
    assert ct.critical_level(still) == 0.0 and ct.critical_carrying_capacity(still) == math.inf
    assert ct.critical_death_rate(still) == math.inf
    assert ct.critical_death_rate(dataclasses.replace(PAPER, eta=0.0)) == 0.0


# ---------------------------------------------------------------- numerics

TOLERANCE_CASES = [dict(), dict(A=3.0e-8), dict(A=3.5e-8), dict(C_K=0.1, d_T=0.6), dict(A=5.84e-8)]


@pytest.mark.parametrize("changes", TOLERANCE_CASES)
def test_results_do_not_change_when_tolerances_are_tightened_1000_fold(changes):
    p = dataclasses.replace(PAPER, **changes)
    default = ct.simulate(p, t_end=300, n_points=301)
    tight = ct.simulate(p, t_end=300, n_points=301, rtol=ct.RTOL / 1000, atol=ct.ATOL / 1000)
    np.testing.assert_allclose(default.log10_T, tight.log10_T, rtol=0, atol=2e-5)
    # deep in elimination (C ~ 1e-766 g/cm3 at A = 3.5e-8) only the relative accuracy of
    # log10 C is meaningful
    np.testing.assert_allclose(default.log10_C, tight.log10_C, rtol=2e-5, atol=2e-6)
    assert ct.outcome(default) == ct.outcome(tight)


@pytest.mark.parametrize("changes", [dict(), dict(A=3.5e-8)])
def test_log_transform_agrees_with_direct_integration(changes):
    # an independent integration in the original variables, while C is well above zero
    p = dataclasses.replace(PAPER, **changes)
    r = ct.simulate(p, t_end=40, n_points=81)
    direct = solve_ivp(lambda t, y: ct.derivatives(p, *y), (0, 40), [ct.ENCODED_T0, ct.ENCODED_C0],
                       method="Radau", t_eval=r.t, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(r.T, direct.y[0], rtol=1e-5)
    np.testing.assert_allclose(r.C, direct.y[1], rtol=1e-5, atol=1e-12)


def test_populations_stay_positive_and_the_logs_are_kept():
    r = ct.simulate(treated(0.9), t_end=400, n_points=201)
    assert np.all(r.T > 0) and np.all(r.C >= 0)
    assert np.all(np.isfinite(r.log10_C)) and r.log10_C[-1] < -500  # far below what a float holds
    shown = r.C > 1e-300
    np.testing.assert_allclose(np.log10(r.C[shown]), r.log10_C[shown], rtol=1e-12)
    np.testing.assert_allclose(np.log10(r.T), r.log10_T, rtol=1e-12)
    assert r.t[0] == 0 and r.t[-1] == 400 and len(r.t) == 201


def test_no_tumour_stays_no_tumour_and_t_cells_settle():
    r = ct.simulate(PAPER, 0.001, 0.0, 300, 301)
    assert np.all(r.C == 0) and np.all(r.log10_C == -np.inf)
    assert r.T[-1] == pytest.approx(ct.tumour_free_equilibrium(PAPER).T, rel=1e-6)
    assert ct.outcome(r) == "eliminated"


def test_result_arrays_are_read_only():
    r = ct.simulate(PAPER, t_end=10, n_points=11)
    with pytest.raises(ValueError):
        r.C[0] = 1.0


# ---------------------------------------------------------------- outcome labels

def test_short_runs_are_called_shrinking_or_growing():
    assert ct.outcome(ct.simulate(treated(0.9), t_end=2, n_points=41)) == "shrinking"
    assert ct.outcome(ct.simulate(PAPER, 0.006, 0.45, t_end=20, n_points=41)) == "growing"


def test_turning_runs_are_called_settling():
    # a hand-made course whose tumour turns over in the last quarter (a damped spiral)
    t = np.linspace(0, 100, 101)
    log10_C = -0.5 + 0.3 * np.exp(-t / 50) * np.cos(t / 5)
    log10_T = np.full_like(t, -2.5)
    r = ct.Result(t, 10**log10_T, 10**log10_C, log10_T, log10_C, PAPER)
    assert ct.outcome(r) == "settling"
    assert set(ct.OUTCOMES) == {"eliminated", "shrinking", "controlled", "escaped", "growing",
                                "settling", "runaway"}


# ---------------------------------------------------------------- bad input

FIELDS = [f.name for f in dataclasses.fields(ct.Params)]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "0.1", None, True])
def test_impossible_parameters_are_refused(field, bad):
    with pytest.raises(ValueError, match=field):
        ct.Params(**{field: bad})


@pytest.mark.parametrize("field", ["C_K", "K_I12", "K_I2", "K_TQ", "d_T"])
def test_zero_is_refused_where_it_breaks_the_model(field):
    with pytest.raises(ValueError, match=f"{field} must be a finite number > 0"):
        ct.Params(**{field: 0.0})


@pytest.mark.parametrize("kwargs, message", [
    (dict(T0=0.0), "T0"), (dict(T0=-1e-3), "T0"), (dict(C0=float("nan")), "C0"), (dict(C0=-0.1), "C0"),
    (dict(C0="big"), "C0"), (dict(t_end=0.0), "t_end"), (dict(t_end=float("inf")), "t_end"),
    (dict(n_points=1), "n_points"), (dict(n_points=2.5), "n_points"), (dict(rtol=0.0), "rtol"),
    (dict(atol=-1e-9), "atol"), (dict(rtol=float("nan")), "rtol"),
])
def test_impossible_simulation_inputs_are_refused(kwargs, message):
    arguments = dict(T0=0.006, C0=0.3968, t_end=50.0, n_points=51) | kwargs
    with pytest.raises(ValueError, match=message):
        ct.simulate(PAPER, **arguments)


def test_wrong_objects_and_fractions_are_refused():
    with pytest.raises(ValueError, match="Params"):
        ct.simulate({"A": 0.0})
    with pytest.raises(ValueError, match="Params"):
        ct.equilibria(None)
    with pytest.raises(ValueError, match="Result"):
        ct.outcome(np.zeros(100))
    with pytest.raises(ValueError, match="n_points"):
        ct.outcome(ct.simulate(PAPER, t_end=10, n_points=10))
    for bad in (-0.1, 1.5, float("nan"), "half"):
        with pytest.raises(ValueError, match="fraction"):
            ct.level_for_blockade(PAPER, bad)
    with pytest.raises(ValueError, match="gamma"):
        ct.level_for_blockade(dataclasses.replace(PAPER, gamma=0.0), 0.5)
    with pytest.raises(ValueError, match="d_A"):
        ct.sustained_level_bound(1e-10, 0.0)
