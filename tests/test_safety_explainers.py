"""Lesson 08's explainers: adverse events by regimen and organ, depot against bolus, and the therapy matcher."""

import numpy as np
import pytest

from course.explainers import safety as ex
from course.explainers.base import MAX_PREDRAWN
from course.explainers.safety import AdverseEvents, DrugRelease, TherapyMatcher
from course.figures import safety as figs
from course.figures.theme import description
from course.models import drug_release as dr
from course import personalised

from figure_data import axis_ranges, source_note

EXPLAINERS = (AdverseEvents, DrugRelease, TherapyMatcher)


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_figures_are_described_sourced_and_keep_their_axes(cls):
    e = cls()
    assert len(description(e.figure)) > 400
    assert "doi:" in source_note(e.figure)
    ranges = axis_ranges(e.figure)
    for c in cls.controls:
        for value in c.ends():
            e.update(**{c.name: value})
            assert axis_ranges(e.figure) == ranges
    assert max(len(t.x) for t in e.figure.data if t.x is not None) <= 400


def test_dropdown_explainers_are_drawn_ahead_of_time():
    assert 0 < len(AdverseEvents().option_states()) <= MAX_PREDRAWN
    assert 0 < len(TherapyMatcher().option_states()) <= MAX_PREDRAWN


def test_release_figure_is_scatter_only_with_fixed_ranges():
    fig = DrugRelease().figure
    assert all(t.type == "scatter" for t in fig.data)
    assert all(len(r) == 2 for r in axis_ranges(fig).values())


# --- AdverseEvents --------------------------------------------------------------------------------------------

def test_adverse_event_bars_are_the_csv_rates():
    e = AdverseEvents()
    e.update(measure="grade 3 or higher", regimen="all three arms")
    irae = figs.irae_table()
    for i, (arm, short) in enumerate((("ipilimumab", "ipi"), ("nivolumab", "nivo"), ("nivolumab + ipilimumab", "combo"))):
        bars = e.figure.data[figs.AE_BARS[i]]
        expected = [irae.loc[f"cm067_{short}_{c}", "severe_pct"] for c in figs.CATEGORIES]
        assert list(bars.x) == pytest.approx(expected)
    text = e.readout_text
    assert "nivolumab + ipilimumab 55 %" in text and "nivolumab 16 %" in text and "ipilimumab 27 %" in text
    assert f"{55 / 16:.1f} times the nivolumab rate" in text
    assert "Larkin" in source_note(e.figure) and "second-hand" in source_note(e.figure)


def test_choosing_one_regimen_empties_the_others():
    e = AdverseEvents()
    e.update(measure="any grade", regimen="nivolumab (anti-PD-1)")
    assert len(e.figure.data[figs.AE_BARS[0]].x) == 0 and len(e.figure.data[figs.AE_BARS[2]].x) == 0
    assert list(e.figure.data[figs.AE_BARS[1]].x)[0] == 82
    assert len(e.figure.data[figs.AE_IPI_RANGES].x) == 0
    assert list(e.figure.data[figs.AE_NIVO_MEDIANS].x) == [5.0, 15.0]
    assert "median onset week 5 for skin" in e.readout_text
    e.update(regimen="ipilimumab (anti-CTLA-4)")
    assert "weeks 2-9" in e.readout_text


# --- DrugRelease ----------------------------------------------------------------------------------------------

def test_release_readout_is_the_models():
    e = DrugRelease()
    text = e.update(dose=210.0, half_time=7.0, law=next(iter(ex.LAW_OPTIONS)))
    sim = dr.simulate(dr.Params(), "first_order", dr.release_constant("first_order", 7.0), t_end_d=60.0,
                      n_points=figs.RELEASE_POINTS)
    assert f"depot {dr.site_time_above(sim, 19.4):.1f}, bolus {dr.site_time_above(sim, 19.4, 'bolus'):.1f}" in text
    assert f"bolus {dr.plasma_cmax(sim, 'bolus'):.3g} µg/mL" in text
    assert "course assumptions" in text
    # the depot keeps the site above the level far longer, with a lower plasma peak
    assert dr.site_time_above(sim, 19.4) > 20 and dr.plasma_cmax(sim) < dr.plasma_cmax(sim, "bolus")
    assert e.figure.data[figs.REL_EFFICACY].y[0] == dr.IPILIMUMAB_CMIN_SS_3MG_KG_UG_PER_ML


def test_scaling_by_dose_equals_running_the_model():
    for law in dr.LAWS:
        a = ex.release_run(500.0, 3.0, law)
        b = dr.simulate(dr.Params(dose_mg=500.0), law, dr.release_constant(law, 3.0, ex.N_CYLINDER), ex.N_CYLINDER,
                        t_end_d=figs.RELEASE_DAYS, n_points=figs.RELEASE_POINTS)
        for name in ("site_ug_per_ml", "plasma_ug_per_ml", "plasma_ug_per_ml_bolus", "site_auc", "plasma_auc"):
            assert np.allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-12)


def test_curves_stay_inside_the_fixed_axes():
    e = DrugRelease()
    for dose in (10.0, 1000.0):
        for h in (0.5, 60.0):
            e.update(dose=dose, half_time=h)
            for i, (lo, hi) in ((figs.REL_SITE_DEPOT, figs.SITE_Y_LOG10), (figs.REL_PLASMA_BOLUS, figs.PLASMA_Y_LOG10)):
                y = np.asarray(e.figure.data[i].y, dtype=float)
                assert y.max() <= 10 ** hi


# --- TherapyMatcher -------------------------------------------------------------------------------------------

def test_matcher_draws_one_bar_per_match_and_says_it_is_not_advice():
    e = TherapyMatcher()
    for label, patient in personalised.EXAMPLE_PATIENTS.items():
        text = e.update(patient=label)
        matches = personalised.match(patient)
        assert list(e.figure.data[figs.MATCH_BARS].x) == [m.response_pct for m in matches]
        assert "not clinical advice" in text
        assert (len(e.figure.data[figs.MATCH_MESSAGE].x) == 0) == bool(matches)
    assert "not clinical decision support" in description(e.figure)


def test_half_time_slider_stops_are_precomputed_and_exact():
    c = next(c for c in DrugRelease.controls if c.name == "half_time")
    stops = ex.HALF_TIME_STOPS_D
    assert stops[0] == pytest.approx(c.min) and stops[-1] == c.max
    assert np.allclose(np.diff(np.log10(stops[:-1])), c.step)
    assert ex._on_stop(7.0) == 7.0 and ex._on_stop(float(stops[5]) * (1 + 1e-13)) == float(stops[5])
    # off-stop values are run as given, and equal the model
    a = ex.release_run(210.0, 7.0, "higuchi")
    b = dr.simulate(dr.Params(), "higuchi", dr.release_constant("higuchi", 7.0, ex.N_CYLINDER), ex.N_CYLINDER,
                    t_end_d=figs.RELEASE_DAYS, n_points=figs.RELEASE_POINTS)
    assert np.allclose(a.plasma_ug_per_ml, b.plasma_ug_per_ml, rtol=1e-12)
