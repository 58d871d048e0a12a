"""Lesson 03 explainers: IL-2 dosing (bolus vs continuous) and the published trial results of IL-2 and IFN-α."""

import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from figure_data import NOT_A_NUMBER, figure_numbers

from course.explainers.base import significant
from course.data import load
from course.explainers import cytokines as ex
from course.explainers.cytokines import CONTINUOUS, BOLUS, CytokineTrials, IL2Dosing
from course.figures import cytokines as figs
from course.figures.theme import description
from course.models import il2_pk as pk

EXPLAINERS = (IL2Dosing, CytokineTrials)
TRIALS = load("cytokine_trials")
P = pk.Params()



def _sources(fig):
    return [a.text for a in fig.layout.annotations if a.text and a.text.startswith("Source:")]


@pytest.fixture(params=EXPLAINERS, ids=lambda c: c.__name__)
def explainer(request):
    return request.param()


@pytest.fixture(scope="module")
def il2():
    return IL2Dosing()


@pytest.fixture(scope="module")
def trials():
    return CytokineTrials()


# --- both explainers: controls, finiteness, errors ---------------------------------------------

def test_controls_are_declared_with_label_unit_and_help(explainer):
    for c in explainer.controls:
        assert c.label and c.help, c.name
        if c.is_numeric:
            assert c.unit, f"{c.name}: a numeric control states its unit"


def test_every_control_end_and_default_gives_finite_data_and_a_clean_readout(explainer):
    for control in explainer.controls:
        for value in control.ends():
            readout = explainer.update(**{control.name: value})
            assert readout and not NOT_A_NUMBER.search(readout), (control.name, value, readout)
            numbers = figure_numbers(explainer.figure)
            assert numbers and all(math.isfinite(v) for v in numbers), (control.name, value)
        explainer.update(**{control.name: control.default})


def test_each_control_changes_figure_and_readout(explainer):
    for control in explainer.controls:
        first, last = control.ends()[0], control.ends()[-1]
        explainer.update(**{control.name: first})
        fig0, text0 = explainer.figure.to_json(), explainer.readout_text
        explainer.update(**{control.name: last})
        assert explainer.figure.to_json() != fig0, f"{control.name}: figure unchanged"
        assert explainer.readout_text != text0, f"{control.name}: readout unchanged"
        explainer.update(**{control.name: control.default})


def test_bad_values_raise_a_value_error_naming_the_control(explainer):
    for control in explainer.controls:
        bad = ([None, "many", float("nan"), float("inf"), control.min - 1, control.max * 2]
               if control.is_numeric else [None, "not a therapy", 3])
        for value in bad:
            with pytest.raises(ValueError, match=control.name):
                explainer.update(**{control.name: value})
    with pytest.raises(ValueError, match="has no control"):
        explainer.update(weight=70)


def test_display_compares_the_readout_and_shows_the_live_figure(explainer):
    bundle = explainer._repr_mimebundle_()
    assert bundle["text/plain"] == explainer.readout_text
    assert explainer.plot in explainer.view.children


def test_readouts_are_deterministic(explainer):
    again = type(explainer)()
    assert again.readout_text == explainer.readout_text
    assert again.figure.to_json() == explainer.figure.to_json()


# --- IL-2 dosing: physics --------------------------------------------------------------------

DOSES = (ex.DOSE_MIN_IU_PER_KG, pk.HD_DOSE_IU_PER_KG, ex.DOSE_MAX_IU_PER_KG)
GRID = [(d, i) for d in DOSES for i in (4.0, 7.0, 8.0, 24.0)]


@pytest.mark.parametrize("dose,interval", GRID)
def test_continuous_peak_is_lower_while_daily_auc_is_the_same(il2, dose, interval):
    r = il2.compute(schedule=BOLUS, dose=dose, interval=interval)
    bolus, cont = r["bolus"], r["continuous"]
    assert cont["peak"] < bolus["peak"]
    assert cont["trough"] > bolus["trough"]
    assert cont["auc_24h"] == pytest.approx(bolus["auc_24h"], rel=0.01)
    # and both equal the daily dose over clearance, the steady-state AUC of any schedule
    daily_per_m2 = pk.dose_iu_per_m2(dose, ex.PATIENT_WEIGHT_KG, ex.PATIENT_HEIGHT_CM) * 24.0 / interval
    assert bolus["auc_24h"] == pytest.approx(daily_per_m2 / P.clearance_ml_per_h_per_m2, rel=1e-3)


def test_halving_the_dose_halves_peak_trough_auc_and_the_drawn_curve(il2):
    full = il2.compute(schedule=BOLUS, dose=600_000.0, interval=8.0)
    half = il2.compute(schedule=BOLUS, dose=300_000.0, interval=8.0)
    for arm in ("bolus", "continuous"):
        for key in ("peak", "trough", "auc_24h"):
            assert half[arm][key] == pytest.approx(full[arm][key] / 2, rel=1e-9), (arm, key)
    il2.update(dose=600_000.0, interval=8.0)
    y_full = np.array(il2.figure.data[figs.IL2_BOLUS].y)
    il2.update(dose=300_000.0)
    y_half = np.array(il2.figure.data[figs.IL2_BOLUS].y)
    assert np.allclose(y_half, y_full / 2, rtol=1e-4)  # the figure stores 5 significant digits
    il2.update(dose=pk.HD_DOSE_IU_PER_KG)


def test_doubling_the_interval_halves_the_daily_auc_but_not_the_peak(il2):
    r8 = il2.compute(schedule=BOLUS, dose=600_000.0, interval=8.0)
    r16 = il2.compute(schedule=BOLUS, dose=600_000.0, interval=16.0)
    assert r16["bolus"]["auc_24h"] == pytest.approx(r8["bolus"]["auc_24h"] / 2, rel=1e-3)
    assert r16["bolus"]["peak"] == pytest.approx(r8["bolus"]["peak"], rel=0.01)  # little accumulation
    assert r16["continuous"]["peak"] == pytest.approx(r8["continuous"]["peak"] / 2, rel=1e-3)


def test_label_regimen_matches_the_models_steady_state(il2):
    r = il2.compute(schedule=BOLUS, dose=pk.HD_DOSE_IU_PER_KG, interval=pk.HD_INTERVAL_H)
    s = pk.high_dose_schedule(ex.PATIENT_WEIGHT_KG, ex.PATIENT_HEIGHT_CM)
    assert r["bolus"]["peak"] == pytest.approx(pk.steady_state_peak(P, s), rel=1e-6)
    assert r["bolus"]["trough"] == pytest.approx(pk.steady_state_trough(P, s), rel=1e-6)
    css = pk.continuous_steady_state(P, s.dose_iu_per_m2 / s.interval_h)
    assert r["continuous"]["peak"] == pytest.approx(css, rel=1e-6)
    # the receptor message of the lesson: bolus peaks far above the intermediate-affinity Kd, troughs below it;
    # the continuous infusion stays above it all day
    kd = figs.KD_INTERMEDIATE_IU_PER_ML
    assert r["bolus"]["peak"] > 10 * kd > 10 * r["bolus"]["trough"]
    assert r["continuous"]["hours_above_kd"] == pytest.approx(24.0)
    assert 0 < r["bolus"]["hours_above_kd"] < 12


def test_hours_above_kd_agree_with_a_fine_grid(il2):
    for interval in (6.0, 8.0, 12.0):
        r = il2.compute(schedule=BOLUS, dose=600_000.0, interval=interval)
        s = pk.Schedule(pk.dose_iu_per_m2(600_000.0, ex.PATIENT_WEIGHT_KG, ex.PATIENT_HEIGHT_CM), interval,
                        1000, pk.HD_INFUSION_H)
        t = np.linspace(0.0, interval, 200_001)
        above = np.mean(pk.steady_state_profile(P, s, t) > figs.KD_INTERMEDIATE_IU_PER_ML) * interval
        assert r["bolus"]["hours_above_kd"] == pytest.approx(above * 24 / interval, abs=0.05)


def test_readout_states_the_computedfigure_numbers(il2):
    il2.update(schedule=BOLUS, dose=pk.HD_DOSE_IU_PER_KG, interval=pk.HD_INTERVAL_H)
    r = il2.compute(**il2.values)
    text = il2.readout_text
    assert f"{ex.PATIENT_WEIGHT_KG:g} kg" in text and f"{ex.PATIENT_HEIGHT_CM:g} cm" in text
    assert "Illustrative patient" in text
    for key in ("peak", "trough", "auc_24h"):
        assert significant(r["bolus"][key]) in text, key
    assert f"{r['bolus']['hours_above_kd']:.1f} h a day" in text
    assert "intermediate-affinity Kd (250 IU/mL)" in text
    assert text.index("15-min infusions every 8 h") < text.index("continuous infusion")
    continuous_first = il2.update(schedule=CONTINUOUS)
    assert continuous_first.index("continuous infusion") < continuous_first.index("15-min infusions every 8 h")
    il2.update(schedule=BOLUS)


def test_significant_figure_formatting():
    assert significant(10_470.9) == "10,500"
    assert significant(12.8098) == "12.8"
    assert significant(0.000499945) == "0.0005"
    assert significant(710.35) == "710"
    assert significant(0.0) == "0"


def test_readout_window_is_the_last_full_dosing_interval(il2):
    for interval, window in ((8.0, (64.0, 72.0)), (7.0, (63.0, 70.0)), (24.0, (48.0, 72.0)), (5.0, (65.0, 70.0))):
        il2.update(interval=interval)
        drawn = il2.figure.data[figs.IL2_WINDOW].x
        assert (min(drawn), max(drawn)) == window
        assert il2.figure.data[figs.IL2_WINDOW_LABEL].x[0] == window[0]
        assert il2.compute(**il2.values)["window"] == window
    il2.update(interval=pk.HD_INTERVAL_H)


def test_schedule_dropdown_puts_the_chosen_curve_in_colour(il2):
    il2.update(schedule=BOLUS)
    bolus, cont = il2.figure.data[figs.IL2_BOLUS].line, il2.figure.data[figs.IL2_CONTINUOUS].line
    assert bolus.width > cont.width and cont.dash == "dash"
    il2.update(schedule=CONTINUOUS)
    bolus, cont = il2.figure.data[figs.IL2_BOLUS].line, il2.figure.data[figs.IL2_CONTINUOUS].line
    assert cont.width > bolus.width and bolus.dash == "dash"
    il2.update(schedule=BOLUS)


def test_concentration_axes_are_fixed_aligned_and_hold_every_peak(il2):
    lo, hi = figs.IL2_Y_LOG10_RANGE
    layout = il2.figure.layout
    for dose in (ex.DOSE_MIN_IU_PER_KG, ex.DOSE_MAX_IU_PER_KG):
        for interval in (4.0, 24.0):
            il2.update(dose=dose, interval=interval)
            for trace in (il2.figure.data[figs.IL2_BOLUS], il2.figure.data[figs.IL2_CONTINUOUS]):
                assert max(trace.y) < 10 ** hi
            assert tuple(layout.yaxis.range) == (lo, hi)
    # the right axis is the left one in pM: 1 IU/mL ≈ 4.0 pM (Proleukin label's activity and mass)
    shift = layout.yaxis2.range[0] - layout.yaxis.range[0]
    assert 10 ** shift == pytest.approx(pk.iu_per_ml_to_pm(1.0))
    assert layout.yaxis2.range[1] - layout.yaxis.range[1] == pytest.approx(shift)
    il2.update(dose=pk.HD_DOSE_IU_PER_KG, interval=pk.HD_INTERVAL_H)


def test_receptor_lines_sit_at_the_cited_dissociation_constants(il2):
    fig = il2.figure
    kd = fig.data[figs.IL2_KD]
    assert list(kd.y) == [pk.KD_INTERMEDIATE_AFFINITY_PM] * 2 and kd.yaxis == "y2"
    assert (fig.data[figs.IL2_BAND_LOW].y[0], fig.data[figs.IL2_BAND_HIGH].y[0]) == pk.KD_HIGH_AFFINITY_PM
    assert figs.KD_INTERMEDIATE_IU_PER_ML == pytest.approx(250.4, abs=0.1)   # 1 nM in IU/mL
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "intermediate-affinity IL-2Rβγ Kd" in texts and "high-affinity IL-2Rαβγ Kd" in texts


def test_il2_figure_has_title_description_axis_units_and_sources():
    r = IL2Dosing().compute(schedule=BOLUS, dose=pk.HD_DOSE_IU_PER_KG, interval=pk.HD_INTERVAL_H)
    fig = figs.il2_dosing_figure(r["t"], r["bolus"]["c"], r["continuous"]["c"], continuous_selected=False,
                                 window_h=r["window"], weight_kg=70.0, height_cm=170.0)
    assert isinstance(fig, go.Figure) and fig.layout.title.text
    text = description(fig)
    assert len(text) > 150
    for needle in ("intermediate-affinity", "natural killer", "regulatory T cells", "No published serum IL-2",
                   "70 kg"):
        assert needle in text, needle
    assert "(hours)" in fig.layout.xaxis.title.text
    assert "(IU/mL" in fig.layout.yaxis.title.text and "(pM" in fig.layout.yaxis2.title.text
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.autorange is not True
    (source,) = _sources(fig)
    for needle in ("PMID 2317789", "doi:10.1016/0145-2126(90)90097-s", "doi:10.1038/s41591-018-0070-2",
                   "doi:10.1200/JCO.1988.6.4.669"):
        assert needle in source, needle


# --- published trial results ------------------------------------------------------------------

def _rows(option):
    cancer, setting, _ = ex.TRIAL_OPTIONS[option]
    return TRIALS[(TRIALS.cancer == cancer) & (TRIALS.setting == setting)]


def _pct(row):
    return float(row.value) if row.unit == "%" else 100.0 * float(row.value) / int(row.n_patients)


@pytest.mark.parametrize("option", list(ex.TRIAL_OPTIONS))
def test_trials_figure_values_equal_the_csv_rows(trials, option):
    trials.update(therapy=option)
    data = trials.figure.data
    rows = _rows(option)
    expected = {figs.CR: [], figs.PR: [], figs.ORR: [], figs.OTHER_PCT: [], figs.PCT_COMPARATOR: [],
                figs.TIME: [], figs.TIME_COMPARATOR: [], figs.HR: []}
    ci = {figs.ORR_CI: [], figs.HR_CI: []}
    for row in rows.itertuples():
        has_ci = not math.isnan(row.ci_low)
        if row.endpoint in ("complete response", "partial response", "objective response"):
            index = {"complete response": figs.CR, "partial response": figs.PR,
                     "objective response": figs.ORR}[row.endpoint]
            expected[index].append(_pct(row))
            if has_ci:
                ci[figs.ORR_CI] += [row.ci_low, row.ci_high]
        elif row.unit in ("%", "patients"):
            expected[figs.OTHER_PCT].append(_pct(row))
            if not math.isnan(row.comparator_value):
                expected[figs.PCT_COMPARATOR].append(row.comparator_value)
        elif row.unit in ("months", "years"):
            expected[figs.TIME].append(row.value)
            if not math.isnan(row.comparator_value):
                expected[figs.TIME_COMPARATOR].append(row.comparator_value)
        else:
            expected[figs.HR].append(row.value)
            if has_ci:
                ci[figs.HR_CI] += [row.ci_low, row.ci_high]
    for index, values in expected.items():
        assert list(data[index].x) == pytest.approx(values), (option, data[index].name)
    for index, values in ci.items():
        assert [v for v in data[index].x if v is not None] == pytest.approx(values), (option, data[index].name)
    # every row of the selection is drawn somewhere, and nothing else is
    drawn = (figs.CR, figs.PR, figs.ORR, figs.OTHER_PCT, figs.TIME, figs.HR)
    assert sum(len(data[i].x) for i in drawn) == len(rows)


@pytest.mark.parametrize("option", list(ex.TRIAL_OPTIONS))
def test_trials_hover_quotes_each_rows_statement(trials, option):
    trials.update(therapy=option)
    hover = " ".join(t for trace in trials.figure.data for t in (trace.hovertext or ()))
    hover = hover.replace("<br>", " ")
    for row in _rows(option).itertuples():
        assert f"“{row.statement}”" in hover, row.result_id


@pytest.mark.parametrize("option", list(ex.TRIAL_OPTIONS))
def test_trials_source_line_names_every_source_with_doi_or_pmid(trials, option):
    trials.update(therapy=option)
    (source,) = _sources(trials.figure)
    for src in _rows(option).source.unique():
        ident = re.search(r"doi:\s*10\.\S+?(?=;|$)|PMID:?\s*\d+", src).group(0)
        assert ident in source, ident
        assert figs.citation(src).short.split(" et al.")[0] in source


@pytest.mark.parametrize("option", list(ex.TRIAL_OPTIONS))
def test_trials_readout_quotes_the_sources_own_words(trials, option):
    text = trials.update(therapy=option)
    by_id = TRIALS.set_index("result_id")
    for rid in ex.READOUT_ROWS[option]:
        row = by_id.loc[rid]
        assert row.statement in text, rid
        assert figs.citation(row.source).short in text
    # every number in the readout is in the CSV (statements and years), none is made up
    csv_text = " ".join(by_id.loc[list(ex.READOUT_ROWS[option]), "statement"]) + " " + " ".join(by_id.source)
    for number in re.findall(r"\d+(?:\.\d+)?", text):
        assert number in csv_text, number


def test_melanoma_readout_and_figure_state_atkins_1999figure_numbers(trials):
    text = trials.update(therapy="high-dose IL-2, metastatic melanoma")
    assert text.startswith("Atkins et al. 1999: overall objective response rate 16% (95% CI, 12% to 21%)")
    assert "17 complete responses (6%)" in text
    data = trials.figure.data
    assert list(data[figs.CR].x) == [6.0] and list(data[figs.PR].x) == [10.0] and list(data[figs.ORR].x) == [16.0]
    assert [v for v in data[figs.ORR_CI].x if v is not None] == [12.0, 21.0]


def test_counts_are_drawn_as_a_percent_of_their_stated_denominator(trials):
    trials.update(therapy="high-dose IL-2, metastatic renal cell carcinoma")
    data = trials.figure.data
    assert 100 * 23 / 259 in list(data[figs.CR].x)                 # Klapper 2008: 23 of 259 complete
    assert any("23 of 259 patients" in t for t in data[figs.CR].hovertext)
    assert any("90% CI 10–19%" in t for t in data[figs.ORR].hovertext)   # Fyfe 1995 used a 90% interval


def test_empty_hazard_ratio_panel_says_why(trials):
    for option in ("high-dose IL-2, metastatic melanoma", "high-dose IL-2, metastatic renal cell carcinoma"):
        trials.update(therapy=option)
        (message,) = trials.figure.data[figs.HR_EMPTY].text
        assert "no hazard ratio" in message and "control arm" in message
        assert len(trials.figure.data[figs.HR].x) == 0
    trials.update(therapy="adjuvant interferon-α, resected melanoma")
    assert list(trials.figure.data[figs.HR_EMPTY].text) == [figs.BLANK]
    assert trials.figure.layout.xaxis2.title.text == "median (years)"
    trials.update(therapy="high-dose IL-2, metastatic melanoma")
    assert trials.figure.layout.xaxis2.title.text == "median (months)"


def test_trials_axes_are_fixed_and_hold_every_value(trials):
    layout = trials.figure.layout
    ranges = set()
    for option in ex.TRIAL_OPTIONS:
        trials.update(therapy=option)
        ranges.add((tuple(layout.xaxis.range), tuple(layout.xaxis3.range), tuple(layout.yaxis.range)))
        data = trials.figure.data
        pct = [v for i in (figs.CR, figs.ORR, figs.ORR_CI, figs.OTHER_PCT, figs.PCT_COMPARATOR)
               for v in data[i].x if v is not None]
        stacked = [a + b for a, b in zip(data[figs.CR].x, data[figs.PR].x)]
        assert max(pct + stacked, default=0) <= layout.xaxis.range[1]
        times = list(data[figs.TIME].x) + list(data[figs.TIME_COMPARATOR].x)
        assert max(times) <= layout.xaxis2.range[1]
        hr = [v for i in (figs.HR, figs.HR_CI) for v in data[i].x if v is not None]
        assert all(layout.xaxis3.range[0] < v < layout.xaxis3.range[1] for v in hr)
        assert layout.xaxis3.range[0] < 1.0 < layout.xaxis3.range[1]
    assert len(ranges) == 1, "the percent and hazard-ratio axes must not move between selections"


def test_redrawing_only_what_changed_leaves_the_same_figure_as_a_fresh_build(trials):
    """set_trials_data skips traces equal to the last selection: after any path through the options the
    widget must show exactly what a freshly built figure shows."""
    options = list(ex.TRIAL_OPTIONS)
    for path in (options, options[::-1], [options[0], options[2], options[0], options[1]]):
        for option in path:
            trials.update(therapy=option)
        fresh = figs.trials_figure(figs.trial_panels(_rows(path[-1])), ex._SCALES)
        for mine, theirs in zip(trials.figure.data, fresh.data):
            for key in ("x", "y", "text", "hovertext"):
                a, b = getattr(mine, key, None), getattr(theirs, key, None)
                assert (None if a is None else list(a)) == (None if b is None else list(b)), (path, mine.name, key)
        assert trials.figure.layout.xaxis2.range == fresh.layout.xaxis2.range
        assert _sources(trials.figure) == _sources(fresh)


def test_trials_figure_builder_has_title_description_units_and_source():
    scales = ex._SCALES
    for option in ex.TRIAL_OPTIONS:
        fig = figs.trials_figure(figs.trial_panels(_rows(option)), scales)
        assert isinstance(fig, go.Figure) and fig.layout.title.text
        assert len(description(fig)) > 150
        assert fig.layout.xaxis.title.text == "% of patients"
        assert fig.layout.xaxis2.title.text in ("median (months)", "median (years)")
        assert "hazard ratio" in fig.layout.xaxis3.title.text
        assert len(_sources(fig)) == 1


def test_citation_parsing():
    c = figs.citation("Fyfe G, Fisher RI (1995) J Clin Oncol 13:688-696. doi:10.1200/JCO.1995.13.3.688")
    assert (c.label, c.short) == ("Fyfe 1995", "Fyfe et al. 1995")
    assert c.reference == "Fyfe G et al. (1995) J Clin Oncol 13:688-696. doi:10.1200/JCO.1995.13.3.688"
    assert figs.citation("Konrad MW (1990) Cancer Res 50:2009. PMID 2317789").short == "Konrad 1990"
    with pytest.raises(ValueError, match="authors and year"):
        figs.citation("no year here, doi:10.1/x")


def test_an_option_that_selects_the_wrong_therapy_is_refused(monkeypatch):
    monkeypatch.setitem(ex.TRIAL_OPTIONS, "IL-2 in the adjuvant setting", ("melanoma", "adjuvant", "IL-2"))
    with pytest.raises(ValueError, match="IL-2"):
        ex.trial_rows("IL-2 in the adjuvant setting")


def test_each_row_has_a_panel_and_an_unknown_unit_is_refused():
    for row in TRIALS.itertuples():
        assert figs.panel_of(row) in ("response", "pct", "time", "hr")
    odd = next(TRIALS.assign(unit="furlongs").itertuples())
    with pytest.raises(ValueError, match="furlongs"):
        figs.panel_of(odd)
