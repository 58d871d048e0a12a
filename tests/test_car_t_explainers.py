"""Lesson 05 explainers and figures: CAR structure, CAR-T kinetics (Stein et al. 2019), CAR T cells against
leukaemia and normal B cells (León-Triana et al. 2021), the toxicity window and the pivotal trials, with their
readouts checked against the models and the data they come from."""

import itertools
import math

import numpy as np
import pytest

from figure_data import NOT_A_NUMBER, axis_ranges, figure_numbers, source_note

from course.explainers.base import significant
from course.data import load
from course.explainers import car_t as ex
from course.explainers.car_t import CarTEvidence, CarTKinetics, CarTVersusLeukaemia, ToxicityWindow
from course.figures import car_t as figs
from course.figures.theme import description
from course.models import car_t_kinetics as km
from course.models import car_t_tumour as lt

EXPLAINERS = (CarTKinetics, CarTVersusLeukaemia, ToxicityWindow, CarTEvidence)
FIXED_RULE, CEILING_RULE = list(ex.PEAK_RULES)
SPLIT = "split over 3 days: 10 %, 30 %, 60 % (days 0, 1, 2)"
HELD = "split, doses 2 and 3 held for early CRS: 10 % only"


@pytest.fixture(scope="module")
def kinetics():
    return CarTKinetics()


@pytest.fixture(scope="module")
def leukaemia():
    return CarTVersusLeukaemia()


@pytest.fixture(scope="module")
def toxicity():
    return ToxicityWindow()


@pytest.fixture(scope="module")
def evidence():
    return CarTEvidence()


# --- all four --------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_every_control_end_draws_finite_data_on_fixed_axes(cls):
    e = cls()
    assert len(description(e.figure)) > 400
    assert "doi:" in source_note(e.figure)
    ranges = axis_ranges(e.figure)
    for c in cls.controls:
        for value in c.ends():
            text = e.update(**{c.name: value})
            assert text and not NOT_A_NUMBER.search(text), text
            numbers = figure_numbers(e.figure)
            assert numbers and all(math.isfinite(v) for v in numbers), (c.name, value)
            after = axis_ranges(e.figure)
            # only the evidence chart's category axis follows the number of results shown
            keep = (lambda k: k != "yaxis") if cls is CarTEvidence else (lambda k: True)
            assert {k: v for k, v in after.items() if keep(k)} == {k: v for k, v in ranges.items() if keep(k)}
        e.update(**{c.name: c.default})


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_curves_are_small(cls):
    e = cls()
    assert max(len(t.x) for t in e.figure.data if t.x is not None) <= 400


def test_cell_numbers_read_as_powers_of_ten():
    assert figs.superscript_power(1.6457e10) == "1.6 × 10¹⁰"
    assert figs.superscript_power(1e7) == "10⁷"
    assert figs.superscript_power(5e10) == "5 × 10¹⁰"
    assert figs.superscript_power(9.96e9) == "10¹⁰"
    assert figs.superscript_power(740.0) == "740" and figs.superscript_power(12.5) == "12"
    assert figs.superscript_power(0.0) == "0"


# --- CAR structure -------------------------------------------------------------------------------

def test_car_structure_has_every_generation_and_its_domains():
    fig = figs.car_structure_figure()
    assert len(description(fig)) > 400
    names = [t.name for t in fig.data]
    inside = {title: parts for title, parts in figs.GENERATIONS}
    assert [len([p for p in parts if p in ("CD28", "4-1BB")]) for parts in inside.values()] == [0, 1, 1, 2]
    assert all(parts[-1] == "CD3ζ" for parts in inside.values())
    assert names.count("CD3ζ") == 4 and names.count("CD28") == 2 and names.count("4-1BB") == 2
    assert names.count("scFv") == 8 and names.count("transmembrane") == 4 and names.count("hinge") == 4
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "tisagenlecleucel" in texts and "axicabtagene ciloleucel" in texts


def test_grading_agreement_is_pennisi_2020():
    table = ex.grading_agreement()
    assert len(table) == 10 and set(table["scale"]) == {"ASTCT 2019", "several (comparison)"}
    same = table[table["measure"] == "CRS given the same grade by every grading system"].iloc[0]
    assert same["value (%)"] == 25


# --- CarTKinetics --------------------------------------------------------------------------------

def test_kinetics_default_is_the_typical_patient(kinetics):
    text = kinetics.update(dose=km.STEIN_MEDIAN_DOSE_PER_KG, doubling_time=0.78, peak_rule=FIXED_RULE)
    c = km.course()
    ro = km.readouts(c)
    assert ex.expansion_rate(0.78) == c.expansion_rate  # the slider's 0.78 is the paper's own rate
    assert "peak 24,000 copies/µg on day 9.3 (3,900-fold expansion)" in text
    assert f"Day 28: {significant(ro['level_day_28_copies_per_ug'])} copies/µg" in text
    assert f"1 year: {significant(ro['level_year_1_copies_per_ug'])} copies/µg" in text
    assert "Contraction half-life 4.3 days" in text and "persistence half-life 217 days" in text
    total = np.asarray(kinetics.figure.data[figs.KIN_TOTAL_L].y)
    reference = np.asarray(kinetics.figure.data[figs.KIN_REF_L].y)
    assert np.allclose(total, reference)
    marks = kinetics.figure.data[figs.KIN_MARKS]
    assert list(marks.x) == pytest.approx([9.3, 28.0, 365.0])
    assert marks.y[0] == pytest.approx(24_000)


def test_kinetics_figure_is_the_model(kinetics):
    kinetics.update(dose=1e6, doubling_time=1.2, peak_rule=CEILING_RULE)
    sim = km.simulate(km.Params(), 1e6, expansion_rate_per_day=km.rate_from_doubling_time(1.2),
                      peak_rule="fixed_cmax", t_end_days=figs.KIN_LATE_DAYS, n_points=300)
    fig = kinetics.figure
    assert np.allclose(fig.data[figs.KIN_TOTAL_L].y, sim.total, rtol=1e-4)
    assert np.allclose(fig.data[figs.KIN_EFF_L].y, sim.effector, rtol=1e-4)
    memory = np.asarray(fig.data[figs.KIN_MEM_L].y)
    assert np.all(memory > 0) and len(memory) == int(np.sum(sim.memory > 0))
    kinetics.update(dose=km.STEIN_MEDIAN_DOSE_PER_KG, doubling_time=0.78, peak_rule=FIXED_RULE)


def test_peak_rules_differ_as_documented(kinetics):
    low_fixed = ex.kinetics_run(3.1e5, 0.78, "fixed_tmax")["readouts"]
    low_ceiling = ex.kinetics_run(3.1e5, 0.78, "fixed_cmax")["readouts"]
    assert low_fixed["c_max_copies_per_ug"] == pytest.approx(2_400, rel=1e-3)  # a tenth of the dose, a tenth of the peak
    assert low_fixed["t_max_days"] == pytest.approx(9.3)
    assert low_ceiling["c_max_copies_per_ug"] == pytest.approx(24_000)
    assert low_ceiling["t_max_days"] == pytest.approx(9.3 + math.log(10) / km.Params().expansion_rate_per_day)
    text = kinetics.update(dose=3.1e5, peak_rule=FIXED_RULE)
    assert "the peak is proportional to the dose; the trials did not see that" in text
    text = kinetics.update(peak_rule=CEILING_RULE)
    assert "proportional" not in text and "peak 24,000 copies/µg" in text
    kinetics.update(dose=km.STEIN_MEDIAN_DOSE_PER_KG, peak_rule=FIXED_RULE)


def test_every_slider_combination_fits_the_fixed_log_axis():
    dose, doubling, _ = CarTKinetics.controls
    lo, hi = (10 ** v for v in figs.KIN_Y_LOG10_RANGE)
    for d, t, rule in itertools.product((dose.min, dose.max), (doubling.min, doubling.max), ex.PEAK_RULES.values()):
        r = ex.kinetics_run(d, t, rule)
        for days, eff, mem in (r["early"], r["late"]):
            total = eff + mem
            assert lo <= total.min() and total.max() <= hi, (d, t, rule)


# --- CarTVersusLeukaemia -------------------------------------------------------------------------

def test_leukaemia_default_is_the_papers_case(leukaemia):
    text = leukaemia.update(dose=1e7, cd19_negative=next(iter(ex.CD19_NEGATIVE_FRACTIONS)), tau_c=14.0)
    ro = lt.simulate().readouts
    assert f"peak at {figs.superscript_power(ro.peak_car_t_cells)} on day {ro.peak_car_t_day:.0f}" in text
    assert f"Remission (below 5 × 10⁶ leukaemic cells) on day {ro.remission_day:.0f}" in text
    assert f"B-cell aplasia from day {ro.aplasia_start_day:.0f} to day {ro.aplasia_end_day:.0f}" in text
    assert f"Relapse on day {ro.relapse_day:.0f}, CD19-positive" in text
    fig = leukaemia.figure
    assert np.isnan(np.asarray(fig.data[figs.LEUK_NEG].y, dtype=float)).all()  # no CD19-negative cells drawn
    assert list(fig.data[figs.LEUK_EVENTS].text) == ["remission", "CD19-positive relapse"]
    assert fig.data[figs.LEUK_MRD].y[0] == pytest.approx(5e6)
    assert fig.data[figs.LEUK_APLASIA].y[0] == pytest.approx(0.01 * lt.DEFAULT_B_CELLS0)


def test_a_few_antigen_negative_cells_give_an_antigen_negative_relapse(leukaemia):
    option = next(k for k, v in ex.CD19_NEGATIVE_FRACTIONS.items() if v == 1e-6)
    text = leukaemia.update(cd19_negative=option)
    ro = lt.simulate(cd19_negative_fraction=1e-6).readouts
    assert ro.relapse_antigen == "CD19-negative" and f"Relapse on day {ro.relapse_day:.0f}, CD19-negative" in text
    assert ro.relapse_day < lt.simulate().readouts.relapse_day
    assert len(leukaemia.figure.data[figs.LEUK_NEG].x) == 366
    # a tenth of the leukaemia without CD19: no remission at all
    text = leukaemia.update(cd19_negative=next(k for k, v in ex.CD19_NEGATIVE_FRACTIONS.items() if v == 0.1))
    assert "no remission" in text and "No remission, so no relapse" in text
    leukaemia.update(cd19_negative=next(iter(ex.CD19_NEGATIVE_FRACTIONS)))


def test_longer_lived_car_t_cells_lengthen_aplasia(leukaemia):
    short = ex.leukaemia_run(1e7, 0.0, 14.0).readouts
    long = ex.leukaemia_run(1e7, 0.0, 30.0).readouts
    assert long.peak_car_t_cells > short.peak_car_t_cells
    assert long.aplasia_ongoing or long.aplasia_days > short.aplasia_days


# --- ToxicityWindow ------------------------------------------------------------------------------

def test_one_infusion_is_the_models_own_simulation():
    run = ex.infuse(lt.Params(), 1e7, 5e10, ((0.0, 1.0),))
    tr = lt.simulate(lt.Params(), 1e7, 0.0, t_end=figs.TOX_DAYS, n_points=len(run["days"]))
    assert np.allclose(run["days"], tr.days) and np.allclose(run["car_t"], tr.car_t, rtol=1e-9)
    assert np.allclose(run["cd19_pos"], tr.cd19_pos, rtol=1e-9)


def test_restarting_without_new_cells_continues_the_same_trajectory():
    once = ex.infuse(lt.Params(), 1e7, 5e10, ((0.0, 1.0),))
    twice = ex.infuse(lt.Params(), 1e7, 5e10, ((0.0, 1.0), (1.0, 0.0), (2.0, 0.0)))
    assert np.allclose(once["days"], twice["days"])
    for key in ("car_t", "cd19_pos", "b_cells"):
        assert np.allclose(once[key], twice[key], rtol=1e-4), key  # solver tolerance after a 10⁵-fold fall


def test_split_schedule_is_frey_2020_and_adds_up_to_the_dose():
    fractions = [f for _, f in ex.SCHEDULES[SPLIT]]
    assert fractions == [0.1, 0.3, 0.6] and sum(fractions) == pytest.approx(1.0)
    assert [t for t, _ in ex.SCHEDULES[SPLIT]] == [0.0, 1.0, 2.0]
    assert "10% on day 1, 30% on day 2 and 60% on day 3" in ex._FREY["statement"]
    run = ex.infuse(lt.Params(), 1e8, 5e10, ex.SCHEDULES[SPLIT])
    jump = [run["car_t"][np.searchsorted(run["days"], t)] for t in (1.0, 2.0)]
    assert jump[0] > 0.3 * 1e8 and jump[1] > 0.6 * 1e8  # each infusion shows on its day


def test_proxy_is_k_times_the_killing_rate():
    p = lt.Params()
    run = ex.infuse(p, 1e7, 5e10, ((0.0, 1.0),))
    killing = p.alpha * (run["cd19_pos"] + run["b_cells"]) * run["car_t"]
    assert np.allclose(ex.activation_rate(p, run), p.k * killing)


def test_burden_not_dose_sets_the_size_of_the_response():
    """The lesson's reading of the model: the leukaemic burden moves the peaks by orders of magnitude, the
    dose and the schedule mostly move their timing (León-Triana et al.: the dose does not critically affect
    the outcome)."""
    low, high = ex.toxicity_run(1e9, 1e7, ex.REFERENCE[2]), ex.toxicity_run(2e11, 1e7, ex.REFERENCE[2])
    assert high["peak_car_t"] > 10 * low["peak_car_t"] and high["peak_rate"] > 100 * low["peak_rate"]
    small, big = ex.toxicity_run(5e10, 1e6, ex.REFERENCE[2]), ex.toxicity_run(5e10, 1e9, ex.REFERENCE[2])
    assert 0.5 < big["peak_car_t"] / small["peak_car_t"] < 2 and 0.5 < big["peak_rate"] / small["peak_rate"] < 2
    assert big["peak_day"] < small["peak_day"] - 5
    single, split, held = (ex.toxicity_run(5e10, 1e8, s) for s in ex.SCHEDULES)
    for other in (split, held):
        assert 0.8 < other["peak_rate"] / single["peak_rate"] < 1.25
    assert split["peak_day"] > single["peak_day"] and held["peak_day"] > split["peak_day"]


def test_toxicity_readout_and_figure(toxicity):
    text = toxicity.update(leukaemia0=2e11, dose=1e7, schedule=SPLIT)
    run = ex.toxicity_run(2e11, 1e7, SPLIT)
    ref = ex.toxicity_run(*ex.REFERENCE)
    assert f"peak at {figs.superscript_power(run['peak_car_t'])} on day {run['peak_day']:.1f}" in text
    assert f"({run['peak_rate'] / ref['peak_rate']:.2f} × the reference" in text
    assert "given as split over 3 days" in text and "Hay et al. 2017, 133 adults" in text
    fig = toxicity.figure
    assert list(fig.data[figs.TOX_INFUSIONS].x) == [0.0, 1.0, 2.0]
    assert fig.data[figs.TOX_RATE_PEAK].y[0] == pytest.approx(run["peak_rate"], rel=1e-4)
    toxicity.update(leukaemia0=lt.DEFAULT_LEUKAEMIA0, dose=lt.DEFAULT_DOSE, schedule=ex.REFERENCE[2])
    assert "(1.00 × the reference" in toxicity.readout_text


def test_hay_grades_and_predictors_come_from_the_data(toxicity):
    table = load("car_t_toxicity").set_index("key")
    labels = toxicity.figure.data[figs.TOX_HAY]
    published = [table.loc[f"hay2017_crs_g{g}", "value"] for g in range(1, 6)]
    assert list(labels.x) == [1, 2, 3, 4, 5] and list(toxicity.figure.layout.xaxis3.ticktext) == ["1", "2", "3", "4", "5"]
    assert list(labels.y) == pytest.approx(published)
    # each bar is a rectangle from 0 up to the published value, centred on its grade
    bars = toxicity.figure.data[figs.TOX_HAY_BARS]
    tops = [max(bars.y[6 * k:6 * k + 5]) for k in range(5)]
    centres = [sum(bars.x[6 * k:6 * k + 4]) / 4 for k in range(5)]
    assert tops == pytest.approx(published) and centres == pytest.approx([1, 2, 3, 4, 5])
    assert "high marrow tumour burden" in ex.HAY_PREDICTORS and "higher CAR-T cell dose" in ex.HAY_PREDICTORS
    texts = " ".join(a.text for a in toxicity.figure.layout.annotations)
    assert "Grading scale: not stated in the text read" in texts
    source = source_note(toxicity.figure).replace("<br>", " ")
    assert "10.1182/blood-2017-06-793141" in source and "10.1200/JCO.19.01892" in source
    assert "10.1016/j.cnsns.2020.105570" in source and "not a published CRS model" in source


# --- CarTEvidence --------------------------------------------------------------------------------

def test_every_bar_is_a_published_number_with_its_denominator(evidence):
    table = load("car_t_trials").set_index("key")
    for measure in ex.MEASURES:
        rows = ex.evidence_rows(measure)
        assert len(rows) >= 3, measure
        for r in rows.itertuples():
            assert f"of {r.n} {r.population}" in r.bar_text
            assert r.population in figs.POPULATIONS
        evidence.update(measure=measure)
        drawn = sum(len(t.x) for t in evidence.figure.data)
        assert drawn == len(rows)
    eliana = ex.evidence_rows("response (remission or objective response)")
    enrolled = eliana[(eliana.trial == "ELIANA") & (eliana.population == "enrolled")].iloc[0]
    assert enrolled.percent == pytest.approx(100 * 65 / 97) and "computed" in enrolled.bar_text
    primary = eliana[(eliana.trial == "ELIANA") & (eliana.bar_text.str.startswith("81 %"))].iloc[0]
    assert primary.percent == table.loc["eliana2018_or_3mo", "value"] and primary.population == "infused"
    infused = ex.evidence_rows("received the infusion")
    row = infused[infused.trial == "ELIANA"].iloc[0]
    assert row.percent == pytest.approx(100 * 79 / 97) and "97 − 18 not infused" in row.bar_text
    evidence.update(measure=CarTEvidence.controls[0].default)


def test_secondary_numbers_are_marked_and_scales_named():
    severe = ex.evidence_rows("severe cytokine release syndrome (grade 3 or worse)")
    table = load("car_t_trials")
    secondary = set(table.loc[table.verified_from.str.startswith("SECONDARY"), "statement"])
    for r in severe.itertuples():
        assert r.bar_text.endswith("†") == any(r.statement.startswith(s) for s in secondary)
    assert any("Lee 2014 scale" in label for label in severe.label)
    assert any("Penn scale" in label for label in severe.label)


def test_evidence_readout_lists_every_bar(evidence):
    text = evidence.update(measure="response (remission or objective response)")
    assert "ELIANA 81 % of 75 infused (primary)" in text and "ELIANA 65 of 97 enrolled (67 %, computed)" in text
    source = source_note(evidence.figure)
    assert "Maude et al. (2018) N Engl J Med, doi:10.1056/NEJMoa1709866" in source
    assert "Schuster et al. (2021) Lancet Oncol, PMID: 34516954" in source
