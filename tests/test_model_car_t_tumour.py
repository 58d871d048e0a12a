"""The CAR T / leukaemia / B-cell model against León-Triana et al. (2021) and its own behaviour.

Paper: León-Triana O et al. (2021) Commun Nonlinear Sci Numer Simul 94:105570,
doi:10.1016/j.cnsns.2020.105570.  Its full text could not be opened here.  Figure numbers
below were read off the paper's figures as reproduced (as images, with their captions) in a
student presentation of the paper, GitHub erkara/cancer_immunology,
``presentations/Jasmin-Kristen_CAR T Cell Therapy in B-cell Acute Leukemia/...pdf``; the
point parameter values come from the BioModels encodings BIOMD0000001011 (Eqs. 4, "Figure 2
... was reproduced") and BIOMD0000001012 (Eqs. 3, "Figure 7a ... was reproduced").
Readings off a figure carry a reading tolerance, stated at each assertion.
"""

import dataclasses
import itertools
import math

import numpy as np
import pytest

from course.models import car_t_tumour as m

PAPER = m.Params()
EQS4 = dataclasses.replace(PAPER, i0=0.0)  # the paper's Eqs. 4 (Figs. 2-6): no B-cell production
DAYS_PER_MONTH = 30.0  # Fig. 7's month axis; 30-day months fit its peak positions (see there)


def local_maxima(t, x, after=0.0, prominence=1.5):
    """(time, value) of the local maxima of x after ``after`` that stand ``prominence``× above
    the lowest point since the previous one (ignores flat tails)."""
    peaks, low = [], np.inf
    for i in range(1, len(x) - 1):
        low = min(low, x[i])
        if t[i] > after and x[i - 1] < x[i] >= x[i + 1] and x[i] > prominence * low:
            peaks.append((t[i], x[i]))
            low = np.inf
    return peaks


# ---------------------------------------------------------------- parameters

def test_parameters_are_the_encoded_values_inside_the_ranges_of_table_1():
    # BIOMD0000001011/1012: tao_B = 60, rho_L = 0.03333333333, tao_C = 14, alpha = 4.5E-11,
    # rho_C = 0.25*alpha, tao_I = 6, beta = 0.1, C_50 = 1.0E9 (I_0 = 1e7 there; 3e8 is Fig. 7b)
    assert PAPER.rho_c == pytest.approx(1.125e-11, rel=1e-12)
    assert (PAPER.tau_b, PAPER.tau_c, PAPER.tau_i, PAPER.beta, PAPER.c50) == (60.0, 14.0, 6.0, 0.1, 1e9)
    assert PAPER.rho_l == pytest.approx(0.03333333333)
    assert PAPER.i0 in m.FIG7_I0
    # Table 1: tau_B "30 − 60" day; rho_L "1/30 − 1/60" day⁻¹; tau_C "14 − 30" day;
    # rho_C "(0.05 − 2) × α"; alpha "∼ 10⁻¹¹"; k "0.05 − 2"; tau_I "2 − 6" day; beta "0.01 − 0.5"
    assert 30 <= PAPER.tau_b <= 60 and 1 / 60 <= PAPER.rho_l <= 1 / 30 and 14 <= PAPER.tau_c <= 30
    assert 0.05 <= PAPER.k <= 2 and 2 <= PAPER.tau_i <= 6 and 0.01 <= PAPER.beta <= 0.5
    assert 1e-11 <= PAPER.alpha < 1e-10  # "∼ 10⁻¹¹": a few times 10⁻¹¹
    assert m.LOW_STIMULATION_K == 0.05 and m.LONG_LIVED_TAU_C == 30.0  # the ends of the ranges
    # initial state of BIOMD0000001011: CAR T 1.0E7, leukaemic 5.0E10, healthy B 2.5E10
    assert (m.DEFAULT_DOSE, m.DEFAULT_LEUKAEMIA0, m.DEFAULT_B_CELLS0) == (1e7, 5e10, 2.5e10)


# ---------------------------------------------------------------- the paper's figures

def test_fig2_expansion_peak_and_leukaemia_hump():
    """Fig. 2 (Eqs. 4, 60 days): leukaemia rises from 5 to ~5.8 ×10¹⁰ near day 5 before it
    collapses; CAR T cells peak near day 12 at ~1.6 ×10¹⁰; inset (b): "×1640 expansion";
    dashed line: the estimate C₀ + k(T₀ + B₀ − 1/(ρ_C τ_C)) at ~1.7 ×10¹⁰, just above the peak."""
    tr = m.simulate(EQS4, t_end=60.0, n_points=241)
    r = tr.readouts
    assert r.expansion_fold == pytest.approx(1640, rel=0.01)         # "×1640 expansion"
    assert r.peak_car_t_day == pytest.approx(12, abs=1)               # read: peak at ~day 12
    assert r.peak_car_t_cells == pytest.approx(1.6e10, abs=0.1e10)    # read: ~1.6 ×10¹⁰
    i = int(np.argmax(tr.cd19_pos))
    assert tr.cd19_pos[i] == pytest.approx(5.8e10, abs=0.15e10)       # read: ~5.8 ×10¹⁰
    assert tr.days[i] == pytest.approx(5.5, abs=1.0)                  # read: day ~5-6
    estimate = m.max_expansion_estimate(EQS4)
    assert estimate == pytest.approx(1.7e10, abs=0.1e10)              # read: dashed line ~1.7
    assert r.peak_car_t_cells < estimate < 1.06 * r.peak_car_t_cells  # just above the curve
    # by day 20 leukaemia and normal B cells are both down to the axis in Fig. 2a
    k20 = np.searchsorted(tr.days, 20.0)
    assert tr.cd19_pos[k20] < 0.01 * 5e10 and tr.b_cells[k20] < 0.01 * 2.5e10


def test_fig3a_a_tenfold_dose_peaks_3_days_earlier_and_6_percent_lower():
    """Fig. 3a annotations "3 days" and "6% reduction" between the solid and the dotted CAR T
    curves.  The doses could not be read; ten times the Fig. 2 dose (the dotted leukaemia then
    peaks at ~5.3 ×10¹⁰ as drawn) reproduces both."""
    base = m.simulate(EQS4, 1e7, t_end=60.0, n_points=241)
    high = m.simulate(EQS4, 1e8, t_end=60.0, n_points=241)
    shift = base.readouts.peak_car_t_day - high.readouts.peak_car_t_day
    reduction = 1 - high.readouts.peak_car_t_cells / base.readouts.peak_car_t_cells
    assert 2.0 < shift < 3.5             # "3 days"
    assert reduction == pytest.approx(0.06, abs=0.015)  # "6% reduction"
    assert high.cd19_pos.max() == pytest.approx(5.3e10, abs=0.2e10)


def test_abstract_the_dose_does_not_critically_affect_the_outcome():
    """Abstract: "the number of CAR T cells injected does not critically affect the treatment
    outcome".  Over a thousandfold range of doses every patient reaches remission within a few
    days of the others and the expansion peak differs by < 20 %."""
    rs = [m.simulate(PAPER, dose).readouts for dose in (1e6, 1e7, 1e8, 1e9)]
    assert all(r.remission for r in rs)
    days = [r.remission_day for r in rs]
    assert max(days) - min(days) < 6
    peaks = [r.peak_car_t_cells for r in rs]
    assert max(peaks) / min(peaks) < 1.2
    assert max(r.nadir_cells for r in rs) < 0.5 * rs[0].detection_threshold_cells


def test_fig3bc_low_stimulation_lets_the_leukaemia_double_first():
    """Fig. 3b,c, "Low stimulation" (dotted; k = LOW_STIMULATION_K): the leukaemia climbs to
    ~10.7 ×10¹⁰ near day 28 and is ~0.5 ×10¹⁰ at day 60; CAR T cells peak late, near day 43, at
    ~5×10⁹ on the log inset (c)."""
    tr = m.simulate(dataclasses.replace(EQS4, k=m.LOW_STIMULATION_K), t_end=60.0, n_points=241)
    i = int(np.argmax(tr.cd19_pos))
    assert tr.cd19_pos[i] == pytest.approx(10.7e10, abs=0.6e10)
    assert tr.days[i] == pytest.approx(28, abs=2)
    assert tr.cd19_pos[-1] == pytest.approx(0.5e10, abs=0.25e10)
    r = tr.readouts
    assert r.peak_car_t_day == pytest.approx(43, abs=3)
    assert 3e9 < r.peak_car_t_cells < 7e9  # read on a log axis


def test_fig5_longer_lived_car_t_cells_peak_higher_and_persist():
    """Fig. 5 (dotted; τ_C = LONG_LIVED_TAU_C): CAR T cells peak at ~1.9 ×10¹⁰ instead of
    ~1.65 ×10¹⁰ and are still ~0.1 ×10¹⁰ at day 100; the leukaemia curves nearly coincide."""
    short = m.simulate(EQS4, t_end=100.0, n_points=401)
    long_ = m.simulate(dataclasses.replace(EQS4, tau_c=m.LONG_LIVED_TAU_C), t_end=100.0, n_points=401)
    assert long_.readouts.peak_car_t_cells == pytest.approx(1.9e10, abs=0.1e10)
    assert short.readouts.peak_car_t_cells == pytest.approx(1.65e10, abs=0.1e10)
    assert long_.car_t[-1] == pytest.approx(0.1e10, abs=0.06e10)
    assert short.car_t[-1] < 0.03e10
    assert long_.cd19_pos.max() == pytest.approx(short.cd19_pos.max(), rel=0.02)


def test_fig6_cd19_positive_relapse_is_a_dynamical_phenomenon():
    """Fig. 6, "CD19⁺ relapses could be a dynamical phenomenon" (Eqs. 4, 600 days): after a
    remission with B-cell aplasia the leukaemia regrows ("Tumor relapse" near day 310, "Disease
    progression ~130 days") to a peak of ~7.7 ×10¹⁰ near day 437, and the CAR T cells expand a
    second time to ~1.65 ×10¹⁰ right after it."""
    tr = m.simulate(EQS4, t_end=600.0, n_points=601)
    leuk = local_maxima(tr.days, tr.leukaemia, after=100)
    assert len(leuk) == 1
    day, peak = leuk[0]
    assert peak == pytest.approx(7.7e10, abs=0.4e10)
    assert day == pytest.approx(437, abs=8)
    assert 120 < day - 310 < 140                                    # "~130 days"
    car = local_maxima(tr.days, tr.car_t, after=100)
    assert len(car) == 1 and car[0][1] == pytest.approx(1.65e10, abs=0.15e10)
    assert 0 < car[0][0] - day < 15
    r = tr.readouts
    assert r.remission and r.relapse_antigen == "CD19-positive" and r.relapse_day < 310
    assert r.aplasia_ongoing  # no B-cell production in Eqs. 4: the aplasia never ends


# Fig. 7 relapse peaks read off the figure image (months, ×10¹⁰ cells); reading error about
# ±0.3 month and ±0.1 ×10¹⁰ (the curves are ~0.15 ×10¹⁰ thick).  Day = month × 30: with
# 30.44-day months the later simulated peaks would sit ~0.5 month early.
FIG7_PEAKS = {
    1e7: [(14.5, 7.7), (28.9, 7.7)],
    3e8: [(14.3, 4.5), (23.5, 2.85), (30.4, 2.0)],
    5e8: [(13.8, 2.4), (20.1, 1.3), (25.1, 0.9), (29.6, 0.75)],
}


@pytest.mark.parametrize("i0", m.FIG7_I0)
def test_fig7_relapse_cycles_are_damped_by_b_cell_production(i0):
    """Fig. 7 (Eqs. 3): with I₀ = 10⁷ the CD19⁺ relapses recur at full height every ~14
    months; more progenitors (3×10⁸, 5×10⁸) make each relapse smaller (damped cycles)."""
    tr = m.simulate(dataclasses.replace(PAPER, i0=i0), t_end=1000.0, n_points=2001)
    got = [(d / DAYS_PER_MONTH, v / 1e10) for d, v in local_maxima(tr.days, tr.leukaemia, after=60)]
    want = FIG7_PEAKS[i0]
    assert len(got) == len(want)
    for (month, value), (want_month, want_value) in zip(got, want):
        assert month == pytest.approx(want_month, abs=0.6)
        assert value == pytest.approx(want_value, abs=max(0.2, 0.1 * want_value))
    heights = [v for _, v in got]
    if i0 == 1e7:
        assert heights[1] > 0.95 * heights[0]   # undamped ("almost heteroclinic")
    else:
        assert all(np.diff(heights) < 0)        # damped


def test_fig7_normal_b_cells_recover_to_a_plateau():
    """Fig. 7b,c: between relapses the normal B cells (the blue curve that starts at 2.5 ×10¹⁰;
    the figure's legend swaps the B and CAR T colours) sit at ~0.27 and ~0.4 ×10¹⁰ six months
    after infusion; with I₀ = 10⁷ they stay on the axis."""
    at_6_months = {}
    for i0 in m.FIG7_I0:
        tr = m.simulate(dataclasses.replace(PAPER, i0=i0), t_end=180.0, n_points=181)
        at_6_months[i0] = tr.b_cells[-1]
    assert at_6_months[3e8] == pytest.approx(0.27e10, abs=0.08e10)
    assert at_6_months[5e8] == pytest.approx(0.40e10, abs=0.08e10)
    assert at_6_months[1e7] < 0.02e10


# ---------------------------------------------------------------- equilibria and B-cell supply

def test_coexistence_equilibrium_is_a_steady_state_and_the_damped_cycles_end_there():
    eq = m.coexistence_equilibrium(PAPER)
    dc, dl, db = m.rhs(PAPER, eq.car_t, eq.cd19_pos, eq.b_cells)
    scale = PAPER.rho_l * eq.cd19_pos
    assert abs(dc) < 1e-9 * scale and abs(dl) < 1e-9 * scale and abs(db) < 1e-9 * scale
    assert eq.car_t == pytest.approx(PAPER.rho_l / PAPER.alpha)  # killing balances growth
    tr = m.simulate(dataclasses.replace(PAPER, i0=5e8), t_end=6000.0, n_points=301)
    eq5 = m.coexistence_equilibrium(dataclasses.replace(PAPER, i0=5e8))
    assert tr.car_t[-1] == pytest.approx(eq5.car_t, rel=0.01)
    assert tr.cd19_pos[-1] == pytest.approx(eq5.cd19_pos, rel=0.01)
    assert tr.b_cells[-1] == pytest.approx(eq5.b_cells, rel=0.01)


def test_enough_b_cell_production_eradicates_the_leukaemia():
    """Highlight: "Persistence of the disease depends on the generation of B-cells in the bone
    marrow"; Serrano et al. 2024 (arXiv:2403.00340, abstract): "tumor eradication contingent on
    the continuous influx of B-cells, uncovering a transcritical bifurcation at a critical
    B-cell input".  Just below the critical pool the leukaemia settles at a positive level;
    just above it, it dies out while CAR T cells persist on normal B cells alone."""
    crit = m.critical_progenitor_pool(PAPER)
    assert PAPER.i0 < crit and m.FIG7_I0[-1] < crit
    below = dataclasses.replace(PAPER, i0=0.9 * crit)
    above = dataclasses.replace(PAPER, i0=1.1 * crit)
    assert m.coexistence_equilibrium(below) is not None and m.coexistence_equilibrium(above) is None
    lo = m.simulate(below, t_end=5000.0, n_points=251)
    hi = m.simulate(above, t_end=5000.0, n_points=251)
    assert lo.leukaemia[-1] == pytest.approx(m.coexistence_equilibrium(below).cd19_pos, rel=0.02)
    assert hi.leukaemia[-1] < 1.0 and np.all(np.diff(hi.leukaemia[-50:]) < 0)
    assert hi.car_t[-1] > PAPER.rho_l / PAPER.alpha  # enough CAR T cells to out-kill growth


# ---------------------------------------------------------------- CD19-negative extension

def test_without_cd19_negative_cells_there_is_no_antigen_negative_relapse():
    for params in (PAPER, dataclasses.replace(PAPER, tau_c=30.0), EQS4):
        tr = m.simulate(params, cd19_negative_fraction=0.0)
        assert np.all(tr.cd19_neg == 0)
        assert tr.readouts.relapse_antigen in (None, "CD19-positive")


def test_more_cd19_negative_cells_relapse_earlier_and_as_cd19_negative():
    days = []
    for f in (1e-7, 1e-6, 1e-5):
        r = m.simulate(PAPER, cd19_negative_fraction=f).readouts
        assert r.remission
        days.append(r.relapse_day)
    base = m.simulate(PAPER).readouts
    assert base.relapse_day > days[0] > days[1] > days[2]
    r = m.simulate(PAPER, cd19_negative_fraction=1e-5).readouts
    assert r.relapse_antigen == "CD19-negative"
    # a subclone above the MRD level at infusion: the leukaemia is never undetectable
    r = m.simulate(PAPER, cd19_negative_fraction=1e-2).readouts
    assert not r.remission and r.relapse_day is None and r.nadir_cells > r.detection_threshold_cells


def test_cd19_negative_cells_ignore_the_car_t_cells():
    f = 1e-4
    a = m.simulate(PAPER, 1e6, f)
    b = m.simulate(dataclasses.replace(PAPER, k=2.0), 1e9, f)
    exact = f * m.DEFAULT_LEUKAEMIA0 * np.exp(PAPER.rho_l * a.days)
    assert np.allclose(a.cd19_neg, exact, rtol=1e-12) and np.allclose(b.cd19_neg, exact, rtol=1e-12)
    assert a.cd19_pos[0] == pytest.approx((1 - f) * m.DEFAULT_LEUKAEMIA0)


def test_cd19_negative_relapse_can_come_during_b_cell_aplasia_cd19_positive_cannot():
    """Pulsipher et al. 2022 (Blood Cancer Discov, PMC9924295, abstract): "Relapses occurring
    with persistence of B-cell aplasia were largely CD19− (23/25: 88%)"; "B-cell recovery
    [signifying loss of functional chimeric antigen receptor (CAR) T cells]".  In the model a
    CD19⁺ relapse needs the CAR T cells gone, so it comes after B-cell recovery; a CD19⁻ one
    need not wait."""
    long_lived = dataclasses.replace(PAPER, tau_c=30.0)
    for params in (PAPER, long_lived):
        r = m.simulate(params).readouts
        assert r.relapse_antigen == "CD19-positive" and r.relapse_day > r.aplasia_end_day
    r = m.simulate(long_lived, cd19_negative_fraction=1e-5).readouts
    assert r.relapse_antigen == "CD19-negative"
    assert r.aplasia_start_day < r.relapse_day < r.aplasia_end_day


# ---------------------------------------------------------------- B-cell aplasia

def test_b_cells_recover_only_once_the_car_t_cells_have_fallen():
    tr = m.simulate(PAPER, t_end=200.0, n_points=401)
    r = tr.readouts
    assert r.aplasia_start_day is not None and r.aplasia_end_day is not None
    assert r.aplasia_start_day < r.aplasia_end_day
    # recovery comes after the CAR T peak, once they are down to < 10 % of it
    assert r.aplasia_end_day > r.peak_car_t_day
    car_t_at_recovery = np.interp(r.aplasia_end_day, tr.days, tr.car_t)
    assert car_t_at_recovery < 0.1 * r.peak_car_t_cells
    # while the CAR T cells expand, B cells only fall
    rising = tr.days <= r.peak_car_t_day
    assert np.all(np.diff(tr.b_cells[rising]) < 0)
    # longer-lived CAR T cells, longer aplasia; no B-cell production (Eqs. 4), no recovery
    longer = m.simulate(dataclasses.replace(PAPER, tau_c=30.0), t_end=200.0).readouts
    assert longer.aplasia_days > r.aplasia_days + 20
    none = m.simulate(EQS4, t_end=200.0).readouts
    assert none.aplasia_ongoing and none.aplasia_end_day is None
    assert none.aplasia_days == pytest.approx(200.0 - none.aplasia_start_day)


# ---------------------------------------------------------------- numerics and interface

def test_tightening_tolerances_does_not_change_results():
    a = m.simulate(PAPER, cd19_negative_fraction=1e-6)
    b = m.simulate(PAPER, cd19_negative_fraction=1e-6, rtol=1e-11, atol=1e-11)
    for name in ("car_t", "cd19_pos", "b_cells"):
        assert np.allclose(getattr(a, name), getattr(b, name), rtol=1e-3, atol=0)
    for name in ("peak_car_t_day", "nadir_day", "remission_day", "relapse_day", "aplasia_end_day"):
        assert getattr(a.readouts, name) == pytest.approx(getattr(b.readouts, name), abs=0.02)


def test_readouts_do_not_depend_on_the_output_grid():
    a = m.simulate(PAPER, n_points=201).readouts
    b = m.simulate(PAPER, n_points=400).readouts
    for name in ("peak_car_t_day", "nadir_day", "remission_day", "relapse_day", "aplasia_start_day",
                 "aplasia_end_day"):
        assert getattr(a, name) == pytest.approx(getattr(b, name), abs=0.05)
    assert a.nadir_cells == pytest.approx(b.nadir_cells, rel=1e-3)


def test_output_grid_arrays_and_readouts_agree():
    tr = m.simulate(PAPER, t_end=365.0, n_points=200)
    assert len(tr.days) == 200 and tr.days[0] == 0 and tr.days[-1] == 365.0
    with pytest.raises(ValueError):
        tr.car_t[0] = 1.0  # read-only
    r = tr.readouts
    assert tr.car_t[0] == pytest.approx(m.DEFAULT_DOSE) and tr.b_cells[0] == pytest.approx(m.DEFAULT_B_CELLS0)
    assert r.peak_car_t_cells >= tr.car_t[tr.days < 30].max() * (1 - 1e-9)
    assert r.nadir_cells <= tr.leukaemia[tr.days < 100].min() * (1 + 1e-9)
    assert r.detection_threshold_cells == pytest.approx(1e-4 * m.DEFAULT_LEUKAEMIA0)
    assert r.aplasia_threshold_cells == pytest.approx(0.01 * m.DEFAULT_B_CELLS0)
    assert np.all(tr.leukaemia[(tr.days > r.remission_day + 1) & (tr.days < r.relapse_day - 1)]
                  < r.detection_threshold_cells)
    assert r.expansion_fold == pytest.approx(r.peak_car_t_cells / m.DEFAULT_DOSE)


@pytest.mark.parametrize("dose,fraction,kinetic", list(itertools.product(
    (1e5, 1e10), (0.0, 0.1), ({"k": 0.05}, {"k": 2.0}, {"tau_c": 14.0}, {"tau_c": 30.0}))))
def test_control_ends_give_finite_results(dose, fraction, kinetic):
    tr = m.simulate(dataclasses.replace(PAPER, **kinetic), dose, fraction)
    for name in ("car_t", "cd19_pos", "cd19_neg", "b_cells"):
        a = getattr(tr, name)
        assert np.all(np.isfinite(a)) and np.all(a >= 0), name
    assert np.all(tr.car_t > 0) and np.all(tr.cd19_pos > 0) and np.all(tr.b_cells > 0)
    r = tr.readouts
    for value in dataclasses.astuple(r):
        assert value is None or isinstance(value, (bool, str)) or math.isfinite(value)


def test_rhs_is_vectorised():
    c, lp, b = np.meshgrid(np.geomspace(1e6, 1e11, 5), np.geomspace(1e3, 1e11, 4), [1e9])
    dc, dl, db = m.rhs(PAPER, c, lp, b)
    assert dc.shape == dl.shape == db.shape == c.shape
    assert np.allclose(dl, lp * (PAPER.rho_l - PAPER.alpha * c))
    assert np.allclose(m.progenitors(PAPER, [0.0, PAPER.c50]), [PAPER.i0, PAPER.i0 / 2])


@pytest.mark.parametrize("kwargs,message", [
    ({"dose": 0.0}, "dose must be a finite number > 0"),
    ({"dose": -1e7}, "dose"),
    ({"dose": float("nan")}, "dose"),
    ({"cd19_negative_fraction": 1.0}, "cd19_negative_fraction must be a finite number ≥ 0 and < 1"),
    ({"cd19_negative_fraction": -0.1}, "cd19_negative_fraction"),
    ({"t_end": 0.0}, "t_end"),
    ({"n_points": 1}, "n_points must be an integer ≥ 2"),
    ({"n_points": 10.5}, "n_points"),
    ({"leukaemia0": 0.0}, "leukaemia0"),
    ({"detection_fraction": 1.0}, "detection_fraction"),
    ({"rtol": 0.0}, "rtol"),
])
def test_bad_inputs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        m.simulate(PAPER, **kwargs)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="Params.alpha"):
        m.Params(alpha=-1.0)
    with pytest.raises(ValueError, match="Params.k"):
        m.Params(k=float("inf"))
    with pytest.raises(ValueError, match="Params.tau_c"):
        m.Params(tau_c=0.0)
    assert m.Params(i0=0.0, beta=0.0).i0 == 0.0  # no progenitors is allowed (Eqs. 4)
    with pytest.raises(TypeError, match="Params"):
        m.simulate({"alpha": 1e-11})
