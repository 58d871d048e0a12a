"""Monoclonal antibodies with a payload: radioimmunoconjugate dosimetry and ADC payload delivery explainers."""

import dataclasses
import math

import numpy as np
import pytest

from figure_data import NOT_A_NUMBER, figure_numbers

from course.explainers.base import significant
from course.explainers import conjugates as ex
from course.explainers import registry
from course.explainers.conjugates import ADCDelivery, RadioConjugateDose
from course.figures import conjugates as figs
from course.figures.theme import description
from course.models import conjugates as m

EXPLAINERS = (RadioConjugateDose, ADCDelivery)



def _sources(fig):
    return [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]


@pytest.fixture(params=EXPLAINERS, ids=lambda c: c.__name__)
def explainer(request):
    return request.param()


@pytest.fixture(scope="module")
def radio():
    return RadioConjugateDose()


@pytest.fixture(scope="module")
def adc():
    return ADCDelivery()


# --- both explainers ---------------------------------------------------------------------------

def test_both_are_registered():
    assert registry()["RadioConjugateDose"] is RadioConjugateDose
    assert registry()["ADCDelivery"] is ADCDelivery


def test_every_control_end_gives_finite_data_inside_the_fixed_axes(explainer):
    fig = explainer.figure
    for control in explainer.controls:
        for value in control.ends():
            readout = explainer.update(**{control.name: value})
            assert readout and not NOT_A_NUMBER.search(readout), (control.name, value, readout)
            assert all(math.isfinite(v) for v in figure_numbers(fig)), (control.name, value)
            for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
                assert fig.layout[axis].range is not None, f"{axis} needs a fixed range"
            _check_inside_axes(explainer)
        explainer.update(**{control.name: control.default})


def _check_inside_axes(explainer):
    fig = explainer.figure
    for trace in fig.data:
        if trace.y is None or trace.x is None or trace.xaxis is None:
            continue
        ys = np.array([v for v in trace.y if v is not None], dtype=float)
        if not ys.size:
            continue
        yaxis = fig.layout["yaxis" + trace.yaxis[1:]]
        lo, hi = yaxis.range
        if yaxis.type == "log":
            ys = np.log10(ys)
        assert ys.min() >= lo - 1e-9 and ys.max() <= hi + 1e-9, (trace.name, ys.min(), ys.max(), lo, hi)


def test_figures_are_described_and_cite_their_sources(explainer):
    fig = explainer.figure
    assert len(description(fig)) > 600
    assert fig.layout.title.text
    sources = " ".join(_sources(fig))
    assert "doi:" in sources
    if isinstance(explainer, RadioConjugateDose):
        assert "ICRP Publication 107" in sources and "10.2967/jnumed.108.056036" in sources
        assert "Zevalin" in sources
    else:
        assert "10.1007/s10928-012-9276-y" in sources and "ADCETRIS" in sources


# --- radioimmunoconjugates ---------------------------------------------------------------------

def test_defaults_come_from_the_zevalin_label():
    # the serum effective half-life (28 h) with Y-90's 64.1 h: T_bio = 1/(1/28 − 1/64.1) ≈ 49.7 h
    assert ex.DEFAULT_BIO_HALF_LIFE_H == pytest.approx(1 / (1 / 28 - 1 / 64.1), rel=1e-12)
    assert ex.REFERENCE_ACTIVITY_MBQ == m.ZEVALIN_MAX_ACTIVITY_MBQ == 1184.0
    assert ex.REFERENCE_WEIGHT_KG == pytest.approx(80.0)
    assert ex.LABEL_TUMOUR_DOSE_GY == pytest.approx(14.8)
    control = {c.name: c for c in RadioConjugateDose.controls}
    assert control["nuclide"].default == "Y-90" == m.APPROVED_RADIOIMMUNOCONJUGATES["Zevalin"]["radionuclide"]
    assert control["nuclide"].options == tuple(m.RADIONUCLIDES)
    assert control["bio_half_life"].default == ex.DEFAULT_BIO_HALF_LIFE_H and control["bio_half_life"].log


def test_default_settings_reproduce_the_label_tumour_dose(radio):
    radio.update(**{c.name: c.default for c in radio.controls})
    r = radio.compute(**radio.values)
    assert r["dose_gy"]["Y-90"] == pytest.approx(14.8, rel=1e-12)
    assert "Y-90 14.8 Gy" in radio.readout_text and "1,184 MBq" in radio.readout_text
    assert 0 < ex.UPTAKE_FRACTION_PER_G < 1


@pytest.mark.parametrize("nuclide, bio, uptake", [
    ("Y-90", ex.DEFAULT_BIO_HALF_LIFE_H, ex.DEFAULT_UPTAKE_HALF_TIME_H),
    ("I-131", 120.0, 0.0),
    ("Lu-177", 700.0, 60.0),
    ("Y-90", 5.0, 96.0),
])
def test_radio_readout_equals_the_modelsfigure_numbers(radio, nuclide, bio, uptake):
    text = radio.update(nuclide=nuclide, bio_half_life=bio, uptake_half_time=uptake)
    r = radio.compute(**radio.values)
    nuc = m.RADIONUCLIDES[nuclide]
    kin = m.TissueKinetics(ex.UPTAKE_FRACTION_PER_G, bio, 1.0, uptake)
    t_eff = float(m.effective_half_life(nuc.half_life_h, bio))
    assert r["effective_half_life"] == pytest.approx(t_eff, rel=1e-12)
    share = float(m.fraction_of_decays_in_tissue(nuc.half_life_h, bio, uptake))
    assert r["fractions"][nuclide] == pytest.approx(share, rel=1e-12)
    doses = {n: float(m.absorbed_dose_gy(m.ZEVALIN_MAX_ACTIVITY_MBQ, x, kin)) for n, x in m.RADIONUCLIDES.items()}
    assert r["dose_gy"] == pytest.approx(doses, rel=1e-12)
    assert r["tiac_h"] == pytest.approx(float(m.cumulated_activity(1.0, nuc, kin)), rel=1e-12)
    # what the student reads
    assert f"effective half-life {significant(t_eff)} h" in text
    assert f"{ex._percent(share)} decay inside it" in text
    for n, d in doses.items():
        assert f"{n} {significant(d)} Gy" in text
    assert f"{max(doses, key=doses.get)} delivers most" in text
    if uptake > 0:
        best = float(m.best_physical_half_life(uptake, bio))
        assert r["optimum_h"] == pytest.approx(best, rel=1e-12)
        assert f"= {significant(best)} h" in text
    else:
        assert r["optimum_h"] is None and "no optimum" in text
    # the figure: each nuclide's curve is the model's activity in one gram of tumour
    for i, (n, x) in enumerate(m.RADIONUCLIDES.items()):
        expected = m.activity(ex.RADIO_T_H, m.ZEVALIN_MAX_ACTIVITY_MBQ, x, kin)
        assert np.allclose(radio.figure.data[i].y, expected, rtol=1e-4, atol=1e-9)


def test_longer_biological_half_life_gives_more_tumour_dose(radio):
    for nuclide in m.RADIONUCLIDES:
        doses = []
        for bio in np.geomspace(*ex.BIO_HALF_LIFE_RANGE_H, 12):
            radio.update(nuclide=nuclide, bio_half_life=float(bio))
            doses.append(radio.compute(**radio.values)["dose_gy"][nuclide])
        assert np.all(np.diff(doses) > 0), nuclide
    radio.update(**{c.name: c.default for c in radio.controls})


def test_optimum_line_sits_at_the_peak_of_the_share_of_decays(radio):
    radio.update(bio_half_life=300.0, uptake_half_time=48.0)
    fig, best = radio.figure, math.sqrt(300.0 * 48.0)
    assert list(fig.data[figs.OPTIMUM].x) == pytest.approx([best, best], rel=1e-4)
    curve = fig.data[figs.FRACTION_CURVE]
    peak = curve.x[int(np.argmax(curve.y))]
    assert peak == pytest.approx(best, rel=0.05)          # grid of 50 points per decade
    assert fig.data[figs.OPTIMUM].text[0].endswith(f"{significant(best)} h")
    radio.update(uptake_half_time=0.0)                     # instant uptake: no optimum, no line
    assert len(fig.data[figs.OPTIMUM].x) == 0
    assert np.all(np.diff(fig.data[figs.FRACTION_CURVE].y) <= 0)
    radio.update(**{c.name: c.default for c in radio.controls})


def test_the_legend_keeps_one_entry_per_nuclide_whichever_is_chosen(radio):
    # the legend entries are separate traces with a fixed style: choosing a nuclide restyles curves only
    legend = [t for t in radio.figure.data if t.showlegend is not False and t.legendgroup in m.RADIONUCLIDES]
    before = [(t.name, t.line.color, t.line.width) for t in legend]
    for chosen in m.RADIONUCLIDES:
        radio.update(nuclide=chosen)
        assert [(t.name, t.line.color, t.line.width) for t in legend] == before
    assert sorted(t.legendgroup for t in legend) == sorted(m.RADIONUCLIDES)


def test_chosen_nuclide_is_drawn_bold_and_ringed(radio):
    for chosen in m.RADIONUCLIDES:
        radio.update(nuclide=chosen)
        fig = radio.figure
        for i, n in enumerate(m.RADIONUCLIDES):
            assert (fig.data[i].line.width > 3) == (n == chosen)
            # the others are faint: their colour carries an alpha below 1
            assert fig.data[i].line.color.startswith("rgba(") != (n == chosen)
        ring = fig.data[figs.CHOSEN_MARKER]
        assert list(ring.x) == pytest.approx([m.RADIONUCLIDES[chosen].half_life_h], rel=1e-4)
        markers = fig.data[figs.NUCLIDE_MARKERS]
        assert list(markers.x) == pytest.approx([x.half_life_h for x in m.RADIONUCLIDES.values()], rel=1e-4)
    radio.update(nuclide="Y-90")


def test_which_nuclide_wins_depends_on_what_is_compared(radio):
    # per MBq, Y-90's electrons win; with slow uptake and long retention Lu-177 keeps the largest share
    text = radio.update(bio_half_life=1000.0, uptake_half_time=24.0)
    assert "Y-90 delivers most" in text and "Lu-177 puts the largest share" in text
    text = radio.update(bio_half_life=10.0, uptake_half_time=0.0)
    assert "it also puts the largest share" in text
    radio.update(**{c.name: c.default for c in radio.controls})


# --- antibody–drug conjugates ------------------------------------------------------------------

def test_adc_defaults_come_from_the_model():
    control = {c.name: c for c in ADCDelivery.controls}
    assert control["dose"].default == m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG == 1.8
    assert m.antigen_concentration_nm(control["antigens"].default) == pytest.approx(m.SHAH_PATIENT_ANTIGEN_NM)
    assert control["dar"].default == m.ADCParams().dar
    assert control["dose"].log and control["antigens"].log
    assert control["dose"].min <= 0.01 and control["dose"].max >= 100
    assert control["antigens"].min <= 1e4 and control["antigens"].max >= 1e6


def test_grid_is_solved_once_and_cached(adc):
    assert ex.adc_grid() is ex.adc_grid()


@pytest.mark.parametrize("dose, antigens, dar", [
    (m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG, ex.DEFAULT_ANTIGENS_PER_CELL, 4.4),
    (0.0137, 1234.0, 4.4),
    (0.77, 31_623.0, 2.3),
    (13.3, 2.2e5, 8.0),
    (87.0, 4_321.0, 1.0),
    (100.0, 1e6, 3.5),
    (0.01, 1e3, 4.4),
])
def test_interpolated_readout_agrees_with_a_direct_model_call(adc, dose, antigens, dar):
    text = adc.update(dose=dose, antigens=antigens, dar=dar)
    r = adc.compute(**adc.values)
    direct = m.payload_delivery(dataclasses.replace(m.ADCParams(), dar=dar), dose, antigens)
    for key, value in (("tumour", direct.tumour_pmol_per_g), ("healthy", direct.healthy_pmol_per_g),
                       ("ratio", direct.tumour_to_healthy), ("occupancy", direct.peak_occupancy),
                       ("percent_id_per_g", direct.percent_injected_dose_per_g())):
        assert r[key] == pytest.approx(float(value), rel=0.01), key
    assert r["days"] == direct.days
    # what the student reads are those numbers
    assert f"{significant(r['tumour'])} pmol/g in the tumour" in text
    assert f"{significant(r['healthy'])} pmol/g in the average gram" in text
    assert f"ratio of {significant(r['ratio'])}" in text
    assert f"{significant(r['percent_id_per_g'], 2)} % of the injected payload per gram" in text
    assert f"Peak antigen occupancy {ex._percent(r['occupancy'])}" in text
    occupancy = float(direct.peak_occupancy)
    if abs(occupancy - ex.SATURATED_OCCUPANCY) > 0.005:   # clearly on one side of the threshold
        assert ("binding sites saturated" in text) == (occupancy > ex.SATURATED_OCCUPANCY)
    # the figure's markers sit on the readout's numbers
    fig = adc.figure
    assert list(fig.data[figs.PAYLOAD_POINTS].y) == pytest.approx([r["tumour"], r["healthy"]], rel=1e-4)
    assert list(fig.data[figs.RATIO_POINT].y) == pytest.approx([r["ratio"]], rel=1e-4)
    adc.update(**{c.name: c.default for c in adc.controls})


def test_figure_curves_agree_with_direct_model_calls(adc):
    adc.update(antigens=3e4, dar=4.4)
    doses = ex.DISPLAY_DOSES[::20]
    direct = m.payload_delivery(m.ADCParams(), doses, 3e4)
    fig = adc.figure
    assert np.allclose(np.asarray(fig.data[figs.TUMOUR].y)[::20], direct.tumour_pmol_per_g, rtol=0.01)
    assert np.allclose(np.asarray(fig.data[figs.HEALTHY].y)[::20], direct.healthy_pmol_per_g, rtol=1e-4)
    assert np.allclose(np.asarray(fig.data[figs.RATIO].y)[::20], direct.tumour_to_healthy, rtol=0.01)
    adc.update(**{c.name: c.default for c in adc.controls})


def test_ratio_falls_once_the_dose_saturates_the_antigen(adc):
    adc.update(antigens=ex.DEFAULT_ANTIGENS_PER_CELL, dar=4.4, dose=1.8)
    r = adc.compute(**adc.values)
    sat = r["saturating_dose"]
    assert 1.8 < sat < 100                                     # the label dose does not saturate CD30
    assert "not saturated" in adc.readout_text
    # the direct model: flat ratio well below saturation, falling above it
    doses = np.array([0.01, 0.1, sat, 3 * sat, 100.0])
    direct = m.payload_delivery(m.ADCParams(), doses, ex.DEFAULT_ANTIGENS_PER_CELL)
    ratio = direct.tumour_to_healthy
    assert ratio[1] == pytest.approx(ratio[0], rel=0.01)
    assert ratio[2] < ratio[1] and ratio[3] < 0.8 * ratio[2] and ratio[4] < 0.5 * ratio[0]
    assert direct.peak_occupancy[2] == pytest.approx(ex.SATURATED_OCCUPANCY, abs=0.01)
    # the explainer says so
    text = adc.update(dose=100.0)
    assert "binding sites saturated" in text and f"from {significant(r['low_dose_ratio'])} at low doses" in text
    assert adc.compute(**adc.values)["ratio"] < 0.5 * r["low_dose_ratio"]
    fig = adc.figure
    assert list(fig.data[figs.SATURATION_LEFT].x) == pytest.approx([sat, sat], rel=1e-4)
    assert np.all(np.diff(np.asarray(fig.data[figs.RATIO].y)[ex.DISPLAY_DOSES > sat]) < 0)
    adc.update(**{c.name: c.default for c in adc.controls})


def test_more_antigen_gives_more_tumour_payload(adc):
    antigens = np.geomspace(*ex.ANTIGEN_RANGE_PER_CELL, 9)
    for dose in (0.1, m.BRENTUXIMAB_VEDOTIN_DOSE_MG_PER_KG, 30.0):
        read = [adc.compute(dose=dose, antigens=float(a), dar=4.4)["tumour"] for a in antigens]
        assert np.all(np.diff(read) > 0), dose
        direct = m.payload_delivery(m.ADCParams(), dose, antigens).tumour_pmol_per_g
        assert np.all(np.diff(direct) > 0)
    # and it pushes saturation to higher doses
    sat = [adc.compute(dose=1.8, antigens=a, dar=4.4)["saturating_dose"] for a in (1e3, 1e4, 1e5)]
    assert sat[0] < sat[1] < sat[2]
    assert adc.compute(dose=1.8, antigens=1e6, dar=4.4)["saturating_dose"] is None
    assert "not even at 100 mg/kg" in adc.update(antigens=1e6)
    adc.update(**{c.name: c.default for c in adc.controls})


def test_dar_scales_both_payloads_but_not_their_ratio(adc):
    low, high = (adc.compute(dose=1.8, antigens=1e5, dar=d) for d in (2.0, 8.0))
    assert high["tumour"] / low["tumour"] == pytest.approx(4.0, rel=1e-12)
    assert high["healthy"] / low["healthy"] == pytest.approx(4.0, rel=1e-12)
    assert high["ratio"] == pytest.approx(low["ratio"], rel=1e-12)
    a, b = (m.payload_delivery(dataclasses.replace(m.ADCParams(), dar=d), 1.8, 1e5) for d in (2.0, 8.0))
    assert float(b.tumour_pmol_per_g / a.tumour_pmol_per_g) == pytest.approx(4.0, rel=1e-9)


def test_saturating_dose_interpolates_and_handles_the_ends():
    doses = np.array([1.0, 10.0, 100.0])
    assert ex.saturating_dose(doses, [0.1, 0.5, 0.8]) is None
    assert ex.saturating_dose(doses, [0.95, 0.99, 0.999]) == 1.0
    d = ex.saturating_dose(doses, [0.1, 0.5, 0.99])
    assert 10.0 < d < 100.0
