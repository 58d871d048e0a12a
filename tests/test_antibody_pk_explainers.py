"""Antibody pharmacology explainers (lessons 04 and 07): receptor occupancy, the anti-PD-1 label doses and
target-mediated drug disposition, their readouts against the model's own numbers."""

import math

import numpy as np
import pytest

from figure_data import NOT_A_NUMBER, axis_ranges, source_note

from course.explainers import registry
from course.explainers import antibody_pk as ex
from course.explainers.antibody_pk import AntibodyDosing, ReceptorOccupancy, TargetMediatedDisposition
from course.figures import antibody_pk as figs
from course.figures.theme import description
from course.models import antibody_pk as pk

EXPLAINERS = (ReceptorOccupancy, AntibodyDosing, TargetMediatedDisposition)
P, N, Q = pk.PEMBROLIZUMAB_AHAMADI_2017, pk.NIVOLUMAB_BAJAJ_2017, pk.MAVRILIMUMAB_STEIN_PELETIER_2018
Q3W_OPTION = "pembrolizumab 200 mg every 3 weeks"


@pytest.fixture(scope="module")
def occupancy():
    return ReceptorOccupancy()


@pytest.fixture(scope="module")
def dosing():
    return AntibodyDosing()


@pytest.fixture(scope="module")
def tmdd():
    return TargetMediatedDisposition()


# --- all three ---------------------------------------------------------------------------------

def test_registered_by_name():
    names = registry()
    for cls in EXPLAINERS:
        assert names[cls.__name__] is cls


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_controls_have_label_unit_and_help(cls):
    for c in cls.controls:
        assert c.label and len(c.help) > 40, c.name
        if c.is_numeric:
            assert c.unit and c.log, f"{c.name}: a numeric control here is a log slider with a unit"


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_figure_is_described_sourced_and_has_fixed_axis_ranges(cls):
    e = cls()
    assert len(description(e.figure)) > 400
    assert "doi:" in source_note(e.figure)
    ranges = axis_ranges(e.figure)
    assert ranges and all(len(r) == 2 for r in ranges.values()), ranges
    for c in cls.controls:
        for value in c.ends():
            e.update(**{c.name: value})
            after = axis_ranges(e.figure)
            # only the occupancy figure's top nM axis follows the molecular weight of the antibody
            assert {k: v for k, v in after.items() if k != "xaxis2" or cls is not ReceptorOccupancy} == \
                {k: v for k, v in ranges.items() if k != "xaxis2" or cls is not ReceptorOccupancy}
            assert not NOT_A_NUMBER.search(e.readout_text)


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_curves_are_small(cls):
    e = cls()
    assert max(len(t.x) for t in e.figure.data if t.x is not None) <= 450


def test_percent_keeps_the_digits_that_matter():
    assert ex.percent(0.5) == "50.0 %"
    assert ex.percent(0.713) == "71.3 %"
    assert ex.percent(0.9998637) == "99.986 %"
    assert ex.percent(0.9962) == "99.62 %"
    assert ex.percent(1 - 1e-9) == "more than 99.9999 %"


# --- ReceptorOccupancy -------------------------------------------------------------------------

def test_one_option_per_published_kd_labelled_with_source_and_method():
    options = ex.AFFINITY_OPTIONS
    assert len(options) == len(pk.BINDING_AFFINITIES) and set(options.values()) == set(pk.BINDING_AFFINITIES)
    default = options[ReceptorOccupancy.controls[0].default]
    assert default.verified and (default.antibody, default.kd_nm) == ("pembrolizumab", 0.027)
    for label, b in options.items():
        assert b.antibody in label and figs.short_citation(b.citation) in label
        assert ("value not checked in source" in label) == (not b.verified)
    assert "SPR" in next(k for k, b in options.items() if b.kd_nm == 3.06)
    # within each antibody the values read in their source come first
    for antibody in ex.TARGETS:
        flags = [b.verified for b in options.values() if b.antibody == antibody]
        assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize("option", list(ex.AFFINITY_OPTIONS))
def test_concentration_equal_to_kd_reads_fifty_percent(occupancy, option):
    b = ex.AFFINITY_OPTIONS[option]
    kd_ug = float(pk.nm_to_ug_per_ml(b.kd_nm, ex.molecular_weight(b.antibody)))
    text = occupancy.update(antibody=option, concentration=kd_ug)
    assert f": 50.0 % of {b.target} bound" in text
    assert occupancy.figure.data[figs.OCC_MARKER].y[0] == pytest.approx(50.0)
    assert figs.format_kd(b.kd_nm) in text and figs.short_citation(b.citation) in text and b.assay in text
    assert list(occupancy.figure.data[figs.OCC_KD].x) == pytest.approx([b.kd_nm] * 2)
    occupancy.update(antibody=ReceptorOccupancy.controls[0].default, concentration=0.01)


def test_readout_gives_concentration_in_both_units_and_the_model_trough_occupancy(occupancy):
    text = occupancy.update(antibody=ReceptorOccupancy.controls[0].default, concentration=1.0)
    nm = float(pk.ug_per_ml_to_nm(1.0, pk.PEMBROLIZUMAB_MW_G_PER_MOL))
    assert f"1 µg/mL = {nm:.3g} nM" in text
    f = pk.steady_state_trough_occupancy(P, pk.PEMBROLIZUMAB_200MG_Q3W, 0.027)
    trough = pk.steady_state_trough(P, pk.PEMBROLIZUMAB_200MG_Q3W)
    assert f"{ex.percent(f)} bound for 200 mg every 3 weeks (trough {trough:.3g} µg/mL)" in text
    assert ex.percent(f) == "99.986 %"
    # the band spans the two label regimens' troughs (400 mg Q6W is the lower one)
    band = occupancy.figure.data[figs.OCC_BAND]
    low = pk.steady_state_trough(P, pk.PEMBROLIZUMAB_400MG_Q6W)
    assert min(band.x) == pytest.approx(low, rel=1e-4) and max(band.x) == pytest.approx(trough, rel=1e-4)
    occupancy.update(concentration=0.01)


def test_label_regimens_saturate_pd1_with_every_verified_kd():
    for antibody, (params, _, regimens) in ex.LABEL_REGIMENS.items():
        for b in pk.affinities_for(antibody):
            if not b.verified:
                continue
            for _, regimen in regimens:
                assert pk.steady_state_trough_occupancy(params, regimen, b.kd_nm) > 0.95
            label = figs.affinity_label(b)
            assert all(f > 0.95 for _, _, f in ex.trough_occupancies(label))


def test_antibodies_without_pk_say_so_and_draw_no_band(occupancy):
    option = next(k for k, b in ex.AFFINITY_OPTIONS.items() if b.antibody == "atezolizumab")
    text = occupancy.update(antibody=option)
    assert "No population-PK model of atezolizumab" in text and "150 kDa" in text
    assert np.isnan(np.asarray(occupancy.figure.data[figs.OCC_BAND].x, dtype=float)).all()
    occupancy.update(antibody=ReceptorOccupancy.controls[0].default)


def test_one_curve_per_published_kd_of_the_chosen_antibody(occupancy):
    for option, b in ex.AFFINITY_OPTIONS.items():
        occupancy.update(antibody=option)
        drawn = [t for t in occupancy.figure.data[figs.OCC_OTHERS_START:-2]
                 if np.isfinite(np.asarray(t.x, dtype=float)).any()]
        assert len(drawn) == len(pk.affinities_for(b.antibody)) - 1
        label = occupancy.figure.data[figs.OCC_KD].text[0]
        assert figs.format_kd(b.kd_nm) in label and figs.short_citation(b.citation) in label
        curve = occupancy.figure.data[figs.OCC_CHOSEN]
        c_nm = pk.ug_per_ml_to_nm(np.asarray(curve.x), ex.molecular_weight(b.antibody))
        assert np.allclose(curve.y, 100 * pk.occupancy(c_nm, b.kd_nm), rtol=1e-4, atol=1e-6)
        assert np.all(np.diff(curve.y) >= 0) and curve.y[0] < 50 < curve.y[-1]
        shift = math.log10(1e6 / ex.molecular_weight(b.antibody))
        assert occupancy.figure.layout.xaxis2.range[0] == pytest.approx(figs.OCC_X_LOG10_RANGE[0] + shift)
    occupancy.update(antibody=ReceptorOccupancy.controls[0].default)


def test_occupancy_figure_states_mass_action_and_cites_every_kd(occupancy):
    text = description(occupancy.figure)
    assert "mass action" in text and "large excess" in text
    source = source_note(occupancy.figure)
    for b in pk.BINDING_AFFINITIES:
        assert b.doi in source
    assert "10.1002/psp4.12139" in source and "10.1002/psp4.12143" in source


# --- AntibodyDosing -----------------------------------------------------------------------------

def test_dosing_readout_equals_the_model(dosing):
    text = dosing.update(regimen=Q3W_OPTION, dose_percent=100.0)
    reg = pk.PEMBROLIZUMAB_200MG_Q3W
    assert f"Cmax after the first dose {pk.cmax_first_dose(P, reg):.3g} µg/mL" in text
    assert f"steady-state trough {pk.steady_state_trough(P, reg):.3g} µg/mL" in text
    assert f"accumulation {pk.accumulation_ratio(P, reg):.2f}-fold" in text
    assert f"terminal half-life {P.terminal_half_life_days:.1f} days" in text
    f = pk.steady_state_trough_occupancy(P, reg, 0.027)
    assert f"steady-state trough: {ex.percent(f)}" in text and "Liu et al. 2019" in text
    assert "Why a flat dose works" in text
    # the label's 2.1-fold accumulation and a terminal half-life of weeks
    assert "accumulation 2.09-fold" in text and "25.8 days" in text


@pytest.mark.parametrize("option", list(ex.DOSING_REGIMENS))
def test_every_label_regimen_keeps_pd1_saturated_at_the_trough(dosing, option):
    text = dosing.update(regimen=option, dose_percent=100.0)
    params, reg = ex.DOSING_REGIMENS[option]
    kd = ex.verified_kd(params.name.split()[0])
    assert kd.verified and kd.kd_nm in (0.027, 1.45)
    f = pk.steady_state_trough_occupancy(params, reg, kd.kd_nm)
    assert f > 0.95 and f"trough: {ex.percent(f)}" in text and "saturated between doses" in text
    dosing.update(regimen=Q3W_OPTION)


def test_dosing_figure_draws_the_regimen_and_its_troughs(dosing):
    dosing.update(regimen="nivolumab 480 mg every 4 weeks", dose_percent=100.0)
    params, reg = ex.dosing_regimen("nivolumab 480 mg every 4 weeks", 100.0)
    fig = dosing.figure
    weeks = np.asarray(fig.data[figs.DOSE_CURVE].x)
    assert weeks[0] > 0 and weeks[-1] == pytest.approx(figs.DOSING_WEEKS)
    r = dosing.compute(regimen="nivolumab 480 mg every 4 weeks", dose_percent=100.0)
    assert np.allclose(r["c"], pk.concentration(params, r["t"], reg))
    assert np.allclose(fig.data[figs.DOSE_CURVE].y, r["c"][r["t"] > 0], rtol=1e-4)
    assert np.allclose(weeks, r["t"][r["t"] > 0] / 7, rtol=1e-4)
    # troughs every 4 weeks up to week 24, equal to the model's troughs
    assert list(fig.data[figs.DOSE_TROUGHS].x) == pytest.approx([4, 8, 12, 16, 20, 24])
    assert np.allclose(fig.data[figs.DOSE_TROUGHS].y, pk.troughs(params, reg), rtol=1e-4)
    occ = np.asarray(fig.data[figs.DOSE_OCC_TROUGHS].y)
    assert np.all(occ > 95) and np.all(np.diff(occ) > 0)  # accumulation: each trough higher
    kd_ug = pk.nm_to_ug_per_ml(1.45, pk.NIVOLUMAB_MW_G_PER_MOL)
    assert list(fig.data[figs.DOSE_KD].y) == pytest.approx([kd_ug] * 2, rel=1e-4)
    lo, hi = figs.DOSING_Y_LOG10_RANGE
    assert 10 ** lo < min(fig.data[figs.DOSE_TROUGHS].y) and max(fig.data[figs.DOSE_CURVE].y) < 10 ** hi
    dosing.update(regimen=Q3W_OPTION)


def test_weight_based_regimen_is_the_reference_patients_dose():
    params, reg = ex.dosing_regimen(next(k for k in ex.DOSING_REGIMENS if "mg/kg" in k), 100.0)
    assert params is P and reg.dose_mg == pytest.approx(2.0 * 76.8) and reg.interval_days == 21.0


def test_a_small_enough_dose_desaturates_pd1(dosing):
    text = dosing.update(regimen="nivolumab 480 mg every 4 weeks", dose_percent=0.1)
    params, reg = ex.dosing_regimen("nivolumab 480 mg every 4 weeks", 0.1)
    f = pk.steady_state_trough_occupancy(params, reg, 1.45)
    assert f < 0.5 and f"trough: {ex.percent(f)}" in text and "no longer saturated" in text
    assert "0.48 mg every 4 weeks (0.1 % of the label dose)" in text
    # scaling the dose scales the levels (a linear model) but not the accumulation or the half-life
    assert f"accumulation {pk.accumulation_ratio(N, pk.NIVOLUMAB_480MG_Q4W):.2f}-fold" in text
    dosing.update(regimen=Q3W_OPTION, dose_percent=100.0)


# --- TargetMediatedDisposition ------------------------------------------------------------------

def test_slider_stops_are_the_precomputed_grid():
    c = TargetMediatedDisposition.controls[0]
    assert ex.DOSE_GRID_MG[0] == pytest.approx(c.min) and ex.DOSE_GRID_MG[-1] == pytest.approx(c.max)
    assert np.allclose(np.diff(np.log10(ex.DOSE_GRID_MG)), c.step)
    assert ex._on_grid(100.0) == 100.0 and ex._on_grid(100.0 * (1 + 1e-13)) == 100.0
    assert ex._on_grid(123.0) is None


@pytest.mark.parametrize("dose", [0.1, 10.0, 100.0, 1000.0, 37.0])
def test_apparent_half_life_readout_is_the_models(tmdd, dose):
    text = tmdd.update(dose=dose)
    hl = pk.apparent_half_life_days(Q, dose)
    assert f"apparent half-life {hl:.1f} days" in text
    assert f"against {ex.LINEAR_APPARENT_HALF_LIFE_DAYS:.1f} days" in text
    marker = tmdd.figure.data[figs.TMDD_HL_MARKER]
    assert marker.x[0] == pytest.approx(dose) and marker.y[0] == pytest.approx(hl, rel=1e-4)
    halving = tmdd.figure.data[figs.TMDD_HALVING]
    assert list(halving.x) == pytest.approx([7.0, 7.0 + hl], rel=1e-4)
    assert halving.y[1] == pytest.approx(halving.y[0] / 2, rel=1e-4)
    tmdd.update(dose=100.0)


def test_low_doses_disappear_faster_than_high_doses(tmdd):
    runs = {d: ex.tmdd_run(d) for d in (1.0, 10.0, 100.0, 1000.0)}
    assert runs[1.0]["half_life"] < runs[100.0]["half_life"] < runs[1000.0]["half_life"]
    assert runs[10.0]["half_life"] < runs[1000.0]["half_life"] / 3
    assert runs[1000.0]["half_life"] < ex.LINEAR_APPARENT_HALF_LIFE_DAYS
    # without target the same measure is the linear model's, close to its terminal half-life
    assert ex.LINEAR_APPARENT_HALF_LIFE_DAYS == pytest.approx(Q.linear_part.terminal_half_life_days, rel=0.02)
    curve = tmdd.figure.data[figs.TMDD_HL_CURVE]
    assert curve.y[0] < 5 and curve.y[-1] > 19 and curve.y[-1] < ex.LINEAR_APPARENT_HALF_LIFE_DAYS
    assert np.allclose(curve.y, pk.half_life_vs_dose(Q, ex.DOSE_GRID_MG), rtol=1e-4)


def test_tmdd_curves_and_target_occupancy(tmdd):
    text = tmdd.update(dose=10.0)
    fig = tmdd.figure
    days = np.asarray(fig.data[figs.TMDD_FREE].x)
    free = np.asarray(fig.data[figs.TMDD_FREE].y)
    linear = np.asarray(fig.data[figs.TMDD_LINEAR].y)
    regimen = pk.Regimen(10.0, 1000.0, 1)
    expected_linear = pk.ug_per_ml_to_nm(pk.concentration(Q.linear_part, days, regimen), Q.molecular_weight_g_per_mol)
    assert np.allclose(linear, expected_linear, rtol=1e-4)
    sim = pk.simulate_tmdd(Q, regimen, figs.TMDD_DAYS, n_points=ex.TMDD_POINTS)
    assert np.allclose(free, sim.free_drug_nm[sim.t_days > 0], rtol=1e-4, atol=1e-12)
    assert np.all(free <= linear * (1 + 1e-4))  # the target only removes drug
    i = int(np.argmin(abs(sim.t_days - 7.0)))
    c7 = sim.free_drug_nm[i]
    assert sim.occupancy[i] == pytest.approx(c7 / (Q.kss_nm + c7))
    assert f"{ex.percent(sim.occupancy[i])} of the target bound" in text
    assert f"critical concentration of {pk.critical_concentration_nm(Q):.3g} nM" in text
    tmdd.update(dose=100.0)


def test_tmdd_figure_names_the_antibody_and_its_source(tmdd):
    source = source_note(tmdd.figure)
    assert "mavrilimumab" in source and "GM-CSF receptor α" in source
    assert "Stein AM, Peletier LA (2018)" in source and "10.1002/psp4.12316" in source
    assert "Mavrilimumab" in tmdd.readout_text and "Stein & Peletier 2018" in tmdd.readout_text
