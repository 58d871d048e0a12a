"""Lesson 06 explainers (HPV vaccination, prime and boost, a therapeutic vaccine against a tumour, the published
results): readouts and figures against the models and data they come from."""

import math

import numpy as np
import pytest

from figure_data import NOT_A_NUMBER, axis_ranges, figure_numbers, source_note

from course.data import load
from course.explainers import vaccines as ex
from course.explainers.vaccines import HPVVaccination, PrimeBoost, TumourVaccine, VaccineEvidence
from course.figures import vaccines as figs
from course.figures.theme import description
from course.models import hpv_cervical as hpv
from course.models import prime_boost as pb
from course.models import tumour_vaccine as tv

EXPLAINERS = (HPVVaccination, PrimeBoost, VaccineEvidence, TumourVaccine)
STRONG = "fast tumour, Tregs 100× more suppressive"


@pytest.fixture(scope="module")
def hpv_explainer():
    return HPVVaccination()


@pytest.fixture(scope="module")
def prime_boost():
    return PrimeBoost()


@pytest.fixture(scope="module")
def tumour():
    return TumourVaccine()


# --- all four ----------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_figure_is_described_sourced_finite_and_small(cls):
    e = cls()
    assert len(description(e.figure)) > 400
    assert "doi:" in source_note(e.figure)
    for c in cls.controls:
        for value in c.ends():
            text = e.update(**{c.name: value})
            assert text and not NOT_A_NUMBER.search(text), text
            numbers = figure_numbers(e.figure)
            assert numbers and all(math.isfinite(v) for v in numbers)
            assert max(len(t.x) for t in e.figure.data if t.x is not None) <= 400
        e.update(**{c.name: c.default})


@pytest.mark.parametrize("cls", (HPVVaccination, PrimeBoost, TumourVaccine), ids=lambda c: c.__name__)
def test_model_figures_keep_their_axis_ranges(cls):
    e = cls()
    ranges = axis_ranges(e.figure)
    assert ranges and all(len(r) == 2 for r in ranges.values()), ranges
    for c in cls.controls:
        for value in c.ends():
            e.update(**{c.name: value})
            assert axis_ranges(e.figure) == ranges


# --- HPVVaccination ----------------------------------------------------------------------------

def test_hpv_readout_quotes_the_model(hpv_explainer):
    text = hpv_explainer.update(coverage=60.0, vaccination_age=15.0, efficacy=90.0)
    proj = hpv.simulate(None, 0.6, 15.0, 0.9)
    assert f"{1e5 * proj.risk_by_80:,.0f} per 100,000 women" in text
    assert f"{1e5 * hpv.cumulative_risk(proj, 80, vaccinated=False):,.0f} to" in text
    assert f"{100 * proj.reduction_by_80:.1f} % fewer cancers" in text
    assert hpv_explainer.figure.data[figs.HPV_MARKER].y[0] == pytest.approx(100 * proj.reduction_by_80, rel=1e-4)
    hpv_explainer.update(coverage=80.0, vaccination_age=12.0, efficacy=ex.HPVVaccination.controls[2].default)


def test_hpv_default_efficacy_is_the_models(hpv_explainer):
    assert HPVVaccination.controls[2].default == pytest.approx(100 * hpv.DEFAULT.vaccine_efficacy, abs=0.05)


def test_hpv_reduction_falls_with_age_and_is_capped_by_the_vaccine_types(hpv_explainer):
    hpv_explainer.update(coverage=100.0, efficacy=100.0)
    curve = np.asarray(hpv_explainer.figure.data[figs.HPV_CURVE_80].y)
    assert np.all(np.diff(curve) <= 1e-9)
    # at full coverage and efficacy, before any infection, the vaccine prevents exactly the HPV16/18 share
    assert curve[0] == pytest.approx(100 * hpv.DEFAULT.hpv1618_share, rel=1e-3)
    early = np.asarray(hpv_explainer.figure.data[figs.HPV_CURVE_30].y)
    assert early[-1] < curve[-1]  # late vaccination misses the early cancers most
    hpv_explainer.update(coverage=80.0, efficacy=HPVVaccination.controls[2].default)


def test_hpv_no_coverage_means_no_change(hpv_explainer):
    hpv_explainer.update(coverage=0.0)
    fig = hpv_explainer.figure
    assert list(fig.data[figs.HPV_VAC].y) == list(fig.data[figs.HPV_REF].y)
    assert "0.0 % fewer cancers" in hpv_explainer.readout_text
    hpv_explainer.update(coverage=80.0)


def test_cohort_points_are_the_published_numbers_on_one_scale():
    rows = ex.hpv_cohorts().set_index("result_id")
    table = load("hpv_vaccine_impact").set_index("result_id")
    # an incidence rate ratio is drawn as 1 − IRR, a relative reduction as reported
    assert rows.loc["lei2020_irr_before17_full", "protection"] == pytest.approx(
        100 * (1 - table.loc["lei2020_irr_before17_full", "value"]))
    assert rows.loc["falcaro2021_cancer_rr_12to13", "protection"] == table.loc["falcaro2021_cancer_rr_12to13", "value"]
    assert rows.loc["kjaer2021_irr_20to30", "protection"] < 0  # a ratio above 1 is drawn below 0, not hidden
    assert "lei2020_irr_all_full" not in rows.index  # all ages together has no age band to place it
    assert set(rows["outcome"]) == {"invasive cervical cancer"}
    fig = HPVVaccination().figure
    assert len(fig.data) == figs.HPV_COHORTS + 1 and len(fig.data[figs.HPV_COHORTS].x) == len(rows)


def test_hpv_readout_names_the_cohort_results_for_the_age(hpv_explainer):
    text = hpv_explainer.update(vaccination_age=12.5)
    assert "England, 12-13 years: relative reduction 87 % (72-94) (Falcaro et al. 2021)" in text
    text = hpv_explainer.update(vaccination_age=25.0)
    assert "Denmark, 20-30 years: IRR 1.19 (0.8-1.79)" in text and "England" not in text
    hpv_explainer.update(vaccination_age=12.0)


# --- PrimeBoost --------------------------------------------------------------------------------

def test_prime_boost_default_is_the_trial_schedule(prime_boost):
    res = pb.simulate(pb.Params(), pb.TRIAL_BOOST_DAY)
    text = prime_boost.update(boost_month=18.0, boost_dose=1.0)
    assert f"{pb.pre_boost_titre(res):.3g} EU/mL just before, {pb.peak_after_boost(res):.3g} just after" in text
    assert f"({pb.fold_boost(res):.3g}-fold)" in text
    assert f"Peak after the priming series {pb.peak_after_prime(res):.0f} EU/mL" in text
    assert f"({pb.titre_for_efficacy(pb.Params(), 0.5):.0f} EU/mL)" in text


def test_prime_boost_curves_and_the_protective_line(prime_boost):
    prime_boost.update(boost_month=24.0, boost_dose=1.0)
    fig = prime_boost.figure
    boosted, prime = np.asarray(fig.data[figs.PB_BOOSTED].y), np.asarray(fig.data[figs.PB_PRIME].y)
    assert np.all(boosted >= prime * (1 - 1e-4))
    assert boosted[-1] > 2 * prime[-1]  # the booster's long-lived part lasts
    assert list(fig.data[figs.PB_PROTECTIVE].y) == pytest.approx([pb.titre_for_efficacy(pb.Params(), 0.5)] * 2,
                                                                  rel=1e-4)
    before, after = fig.data[figs.PB_BOOST_MARK].y
    assert after > before and fig.data[figs.PB_BOOST_MARK].x[0] == pytest.approx(2.0, rel=1e-4)
    prime_boost.update(boost_month=18.0)


def test_a_zero_dose_booster_is_no_booster(prime_boost):
    text = prime_boost.update(boost_dose=0.0)
    fig = prime_boost.figure
    assert "No booster" in text
    assert list(fig.data[figs.PB_BOOSTED].y) == list(fig.data[figs.PB_PRIME].y)
    prime_boost.update(boost_dose=1.0)


def test_a_double_booster_doubles_the_jump(prime_boost):
    prime_boost.update(boost_dose=2.0)
    before, after = prime_boost.figure.data[figs.PB_BOOST_MARK].y
    res = pb.simulate(pb.Params(), 18 * pb.MONTH_DAYS, 2.0)
    assert after == pytest.approx(pb.peak_after_boost(res), rel=1e-4)
    assert after == pytest.approx(2 * pb.Params().peak_boost_eu_per_ml, rel=1e-4)
    prime_boost.update(boost_dose=1.0)


# --- TumourVaccine -----------------------------------------------------------------------------

def test_tumour_default_is_the_encoded_model_and_eliminates_the_tumour(tumour):
    text = tumour.update(scenario=next(iter(ex.SCENARIOS)), vaccine_dose=tv.DEFAULT_DOSE, blockade=0.0)
    res = tv.simulate(None, tv.DEFAULT_DOSE)
    assert res.outcome == "eliminated"
    assert f"day {res.elimination_day:.0f}: tumour eliminated" in text
    assert f"Control threshold here: {tv.control_threshold(None, rel_tol=0.01):.3g} cells per injection" in text


def test_the_threshold_separates_control_from_progression(tumour):
    threshold = ex.control_thresholds(STRONG)[0]
    below = tumour.update(scenario=STRONG, vaccine_dose=threshold / 1.5, blockade=0.0)
    above = tumour.update(vaccine_dose=threshold * 1.5)
    assert "progressing" in below and "(below it)" in below
    assert "progressing" not in above and "(above it)" in above
    tumour.update(scenario=next(iter(ex.SCENARIOS)), vaccine_dose=tv.DEFAULT_DOSE)


def test_blockade_lowers_the_threshold_only_where_suppression_is_strong():
    strong = ex.control_thresholds(STRONG)
    encoded = ex.control_thresholds(next(iter(ex.SCENARIOS)))
    assert all(a > b for a, b in zip(strong, strong[1:]))  # every step of blockade lowers it
    assert strong[0] / strong[-1] > 10
    assert max(encoded) / min(encoded) < 1.01
    # fully blocked, the strong-suppression tumour needs what the weakly suppressed one needs
    fast = ex.control_thresholds([s for s in ex.SCENARIOS if s.startswith("fast tumour (")][0])
    assert strong[-1] == pytest.approx(fast[-1], rel=0.02)


def test_blockade_rescues_the_default_dose_in_the_strong_scenario(tumour):
    off = tumour.update(scenario=STRONG, vaccine_dose=tv.DEFAULT_DOSE, blockade=0.0)
    on = tumour.update(blockade=100.0)
    assert "progressing" in off and "eliminated" in on
    assert "-fold higher" in on
    marker = tumour.figure.data[figs.TV_CHOSEN]
    assert (marker.x[0], marker.y[0]) == (100.0, tv.DEFAULT_DOSE)
    tumour.update(scenario=next(iter(ex.SCENARIOS)), blockade=0.0)


def test_threshold_curves_are_drawn_for_every_scenario(tumour):
    fig = tumour.figure
    for i, scenario in enumerate(ex.SCENARIOS):
        trace = fig.data[figs.TV_THRESHOLDS_START + i]
        assert list(trace.x) == list(ex.BLOCKADE_STEPS)
        assert list(trace.y) == pytest.approx(ex.control_thresholds(scenario), rel=1e-4)


# --- VaccineEvidence ---------------------------------------------------------------------------

@pytest.mark.parametrize("view", ex.VIEWS)
def test_every_view_shows_its_rows_with_their_sources(view):
    e = VaccineEvidence(view=view)
    rows = ex.evidence_rows(view)
    assert len(rows) >= 2
    assert len(e.figure.data[0].x) == len(rows) == len(e.figure.layout.yaxis.ticktext)
    source = source_note(e.figure)
    for s in rows["source"].unique():
        assert figs.short_source(s) in source.replace("<br>", " ")
    lo, hi = e.figure.layout.xaxis.range
    assert lo <= min(rows["value"]) and max(np.fmax(rows["value"], rows["ci_high"].fillna(0))) < hi


def test_hpv_trials_view_separates_per_protocol_from_intention_to_treat():
    rows = ex.evidence_rows(ex.HPV_TRIALS_VIEW)
    assert set(rows["analysis_set"]) == {"per-protocol", "intention-to-treat", "naive subset of intention-to-treat"}
    main = rows[rows["outcome"] == "CIN2+ (HPV16/18-related)"]
    pp = main.loc[main["analysis_set"] == "per-protocol", "value"]
    itt = main.loc[main["analysis_set"] == "intention-to-treat", "value"]
    assert pp.min() > 90 and itt.max() < 60
    text = VaccineEvidence().readout_text
    assert f"per-protocol {pp.min():g}-{pp.max():g} %" in text and f"intention-to-treat {itt.min():g}-{itt.max():g} %" in text


def test_ratio_view_keeps_one_hazard_ratio_per_comparison_and_draws_the_line_at_one():
    e = VaccineEvidence(view=ex.RATIO_VIEW)
    rows = ex.evidence_rows(ex.RATIO_VIEW)
    assert "kantoff2010_os_hr" in set(rows["result_id"]) and "kantoff2010_os_hr_unadjusted" not in set(rows["result_id"])
    assert list(e.figure.data[1].x) == [1.0, 1.0]
    assert "0.78 (0.61-0.98)" in e.readout_text


def test_t_cell_responders_are_a_share_labelled_with_the_count():
    rows = ex.evidence_rows(ex.RESPONSE_VIEW).set_index("result_id")
    assert rows.loc["rojas2023_responders", "value"] == pytest.approx(50.0)
    assert rows.loc["rojas2023_responders", "text"] == "8 of 16 patients"


def test_unknown_view_is_refused():
    with pytest.raises(ValueError, match="view must be one of"):
        ex.evidence_rows("everything")
