"""Lesson 09 explainers: the virtual trial's figure and readout against the model's own numbers."""

import json

import numpy as np
import pytest

from figure_data import NOT_A_NUMBER, axis_ranges, figure_numbers, source_note

from course.explainers import virtual_trial as ex
from course.explainers.virtual_trial import PatientExplorer, VirtualTrial
from course.figures import virtual_trial as figs
from course.figures.theme import description
from course.models import virtual_trial as vt

EXPLAINERS = (VirtualTrial, PatientExplorer)


@pytest.fixture(scope="module")
def trial():
    return VirtualTrial()


def legend(fig):
    return [(t.name, t.showlegend, t.x is not None and len(t.x) > 0) for t in fig.data if t.showlegend is not False]


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_figure_is_scatter_only_described_sourced_with_fixed_ranges_and_legend(cls):
    e = cls()
    assert len(description(e.figure)) > 400
    assert "doi:" in source_note(e.figure)
    assert all(t.type == "scatter" for t in e.figure.data)
    ranges = axis_ranges(e.figure)
    assert ranges and all(len(r) == 2 for r in ranges.values()), ranges
    layout = json.dumps(e.figure.layout.to_plotly_json(), sort_keys=True, default=str)
    entries = legend(e.figure)
    for c in cls.controls:
        for value in c.ends():
            e.update(**{c.name: value})
            assert axis_ranges(e.figure) == ranges
            assert json.dumps(e.figure.layout.to_plotly_json(), sort_keys=True, default=str) == layout
            assert legend(e.figure) == entries
            assert not NOT_A_NUMBER.search(e.readout_text)
            assert all(np.isfinite(figure_numbers(e.figure)))
        e.update(**{c.name: c.default})


@pytest.mark.parametrize("cls", EXPLAINERS, ids=lambda c: c.__name__)
def test_traces_are_small(cls):
    e = cls(**({"checkpoint_percent": 99.0} if cls is VirtualTrial else {}))
    # a category's bars are one outline of 4 points per patient (≤ 800 plain numbers); a category's spider
    # lines one point a week per patient plus a gap (≤ 20 × 106); everything else ≤ 400
    spider = set(figs.S_CATEGORY.values()) if cls is VirtualTrial else set()
    weekly = figs.N_SPIDER * (int(figs.TRIAL_DAYS // figs.SPIDER_DAYS) + 2)
    for i, t in enumerate(e.figure.data):
        most = 4 * figs.N_PATIENTS if t.fill == "toself" else weekly if i in spider else 400
        assert t.x is None or len(t.x) <= most, t.name


def test_slider_ends_mean_no_therapy():
    reg = ex.regimen(aci=ex.OFF["aci"], il2=ex.OFF["il2"], checkpoint_percent=0.0, vaccine=ex.OFF["vaccine"])
    assert reg.therapies == ()
    reg = ex.regimen(aci=vt.MAX_DOSE["aci"] * (1 + 1e-12), il2=1e7, checkpoint_percent=100.0, vaccine=0.05, courses=3)
    assert reg.aci == vt.MAX_DOSE["aci"] and reg.il2 == 1e7 and reg.checkpoint == 1.0 and reg.n_doses == 3
    assert reg.course_days == reg.interval_days == ex.COURSE_DAYS


@pytest.mark.parametrize("values, criteria", [
    (dict(checkpoint_percent=99.0), "RECIST 1.1"), (dict(checkpoint_percent=99.0), "iRECIST"),
    (dict(checkpoint_percent=0.0, aci=3e5), "iRECIST"), (dict(checkpoint_percent=90.0, vaccine=1e-4, courses=4), "iRECIST"),
])
def test_readout_equals_the_model(trial, values, criteria):
    text = trial.update(**{**{c.name: c.default for c in VirtualTrial.controls}, **values, "criteria": criteria})
    reg = ex.regimen(**{k: v for k, v in trial.values.items() if k != "criteria"})
    result = vt.run_trial(vt.draw_cohort(200, seed=0), reg, 730.0, dt=1.0, criteria=ex.CRITERIA[criteria])
    orr = vt.objective_response_rate(result)
    assert f"{criteria}: ORR {100 * orr:.1f} %" in text
    assert f"DCR {100 * vt.disease_control_rate(result):.1f} %" in text
    assert f"mean {result.toxicity.mean():.2f}" in text
    assert figs.format_days(vt.median_survival(result.event_day, result.event_observed)) in text
    # the waterfall has one bar per patient in its category's colour, and each bar's hover says which
    hover = trial.figure.data[figs.W_HOVER]
    named = np.asarray(hover.text)
    for cat in vt.CATEGORIES:
        n = int(np.sum(result.best_response == cat))
        assert int(np.sum(named == cat)) == n
        bars = np.asarray(trial.figure.data[figs.W_CATEGORY[cat]].x, dtype=float)
        assert np.sum(np.isfinite(bars)) == 4 * n and bars.size == max(4 * n, 1)  # no patient: one gap
        assert trial.figure.data[figs.W_CATEGORY[cat]].fillcolor == figs.CATEGORY_COLOURS[cat]
        assert {c for c, k in zip(hover.hoverlabel.bgcolor, named) if k == cat} <= {figs.CATEGORY_COLOURS[cat]}
    patients = np.asarray(hover.customdata)[:, 0].astype(int)
    assert sorted(patients) == list(range(200)) and list(named) == list(result.best_response[patients])
    assert trial.figure.data[figs.W_LABEL].text == f"{criteria}: ORR {100 * orr:.1f} % · DCR " \
                                                   f"{100 * vt.disease_control_rate(result):.1f} %"
    trial.update(**{c.name: c.default for c in VirtualTrial.controls})


def test_waterfall_is_sorted_from_growth_to_disappearance(trial):
    trial.update(checkpoint_percent=99.0, criteria="iRECIST")
    hover = trial.figure.data[figs.W_HOVER]
    tops = dict(zip(np.asarray(hover.x, dtype=float), np.asarray(hover.customdata)[:, 1]))
    ranks = sorted(tops)
    assert ranks == list(np.arange(1.0, 201.0))
    values = [tops[r] for r in ranks]
    assert values == sorted(values, reverse=True)
    assert values[-1] == -100.0  # complete responses on the right
    trial.update(**{c.name: c.default for c in VirtualTrial.controls})


def test_pseudo_progression_shows_as_the_gap_between_the_criteria(trial):
    # the model's finding: many cures come after early growth, which RECIST 1.1 calls PD
    text = trial.update(checkpoint_percent=99.0, criteria="RECIST 1.1")
    recist = vt.objective_response_rate(ex.run(ex.regimen(checkpoint_percent=99.0), "RECIST1.1"))
    irecist = vt.objective_response_rate(ex.run(ex.regimen(checkpoint_percent=99.0), "iRECIST"))
    assert irecist > recist + 0.3
    assert f"Read with iRECIST the same patients give ORR {100 * irecist:.1f} %" in text
    trial.update(**{c.name: c.default for c in VirtualTrial.controls})


def test_a_new_regimen_simulates_the_cohort_once_and_switching_criteria_not_at_all(trial, monkeypatch):
    ex.run.cache_clear()
    trial.update(checkpoint_percent=50.0)  # simulates the untreated arm again, which stays cached
    runs = []
    real = vt.run_trial
    monkeypatch.setattr(vt, "run_trial", lambda *a, **k: runs.append(k) or real(*a, **k))
    trial.update(checkpoint_percent=97.0)
    assert len(runs) == 1 and runs[0]["output_every_days"] == figs.SPIDER_DAYS  # weekly: all the figure draws
    text = trial.update(criteria="iRECIST")
    assert len(runs) == 1
    irecist = vt.objective_response_rate(real(ex.cohort(), ex.regimen(checkpoint_percent=97.0), figs.TRIAL_DAYS,
                                              dt=figs.TRIAL_DT, criteria="iRECIST"))
    assert f"ORR {100 * irecist:.1f} %" in text
    trial.update(**{c.name: c.default for c in VirtualTrial.controls})


def test_untreated_arm_progresses_at_the_first_scan_and_is_drawn_once(trial):
    x, y = trial.figure.data[figs.KM_UNTREATED].x, trial.figure.data[figs.KM_UNTREATED].y
    assert list(x[:2]) == [0.0, 56.0] and list(y[:2]) == [1.0, 0.0]
    before = (list(x), list(y))
    trial.update(aci=1e6)
    assert (list(trial.figure.data[figs.KM_UNTREATED].x), list(trial.figure.data[figs.KM_UNTREATED].y)) == before
    assert trial.figure.data[figs.KM_REGIMEN].y[-1] > 0.5  # ACI 10^6 cells/day: most patients never progress
    trial.update(aci=ex.OFF["aci"])


def test_spider_patients_are_fixed_by_the_seed_and_coloured_by_response(trial):
    chosen = figs.spider_patients()
    assert len(chosen) == figs.N_SPIDER and np.array_equal(chosen, figs.spider_patients())
    trial.update(checkpoint_percent=99.0, criteria="iRECIST")
    result = ex.run(ex.regimen(checkpoint_percent=99.0), "iRECIST")
    drawn = {}
    for cat, index in figs.S_CATEGORY.items():
        line = trial.figure.data[index]
        assert line.line.color == figs.CATEGORY_COLOURS[cat] and line.name == figs.CATEGORY_NAMES[cat]
        x, y, who = (np.asarray(v, dtype=float) for v in (line.x, line.y, line.customdata))
        if np.isnan(x).all():  # no patient here: one gap, which draws nothing
            assert x.size == 1 and np.isnan(y).all() and cat not in set(result.best_response[chosen])
            continue
        # one line per patient, each from day 0 (no change yet) to the last week, ended by a gap
        gaps = np.flatnonzero(np.isnan(x))
        starts = np.concatenate([[0], gaps[:-1] + 1]) if gaps.size else np.zeros(0, dtype=int)
        assert np.array_equal(np.isnan(y), np.isnan(x)) and np.array_equal(np.isnan(who), np.isnan(x))
        assert np.all(x[starts] == 0.0) and np.all(np.abs(y[starts]) < 1e-9) and np.all(x[gaps - 1] == 728.0)
        for s in starts:
            drawn[int(who[s])] = cat
    # every chosen patient appears once, in the colour of their best response
    assert drawn == {int(i): str(result.best_response[i]) for i in chosen}
    assert len(set(drawn.values())) > 1  # the check compares more than one category
    trial.update(**{c.name: c.default for c in VirtualTrial.controls})


def test_same_seed_gives_the_same_figure_and_readout():
    a = VirtualTrial(vaccine=3e-4)
    ex.run.cache_clear()
    vt._draw.cache_clear()
    b = VirtualTrial(vaccine=3e-4)
    assert a.readout_text == b.readout_text
    assert a.figure.to_json() == b.figure.to_json()


def test_one_day_steps_keep_the_cohorts_response_rates():
    # the explainer integrates at dt = 1 day (twice as fast as the model's default 0.5): the response
    # rates of the lesson's regimens move by at most 6 percentage points (ACI 3e5 with iRECIST: 72 % -> 67 %)
    cohort = ex.cohort()
    for values in (dict(checkpoint_percent=99.0), dict(aci=3e5), dict(vaccine=1e-3),
                   dict(checkpoint_percent=90.0, vaccine=1e-4, courses=4)):
        reg = ex.regimen(**values)
        for criteria in ("RECIST1.1", "iRECIST"):
            fine = vt.objective_response_rate(vt.run_trial(cohort, reg, 730.0, dt=0.5, criteria=criteria))
            coarse = vt.objective_response_rate(ex.run(reg, criteria))
            assert coarse == pytest.approx(fine, abs=0.06), (values, criteria)


def test_patient_explorer_draws_both_courses_and_gives_the_models_reasons():
    e = PatientExplorer(patient=3)
    result = ex.run(ex.regimen(checkpoint_percent=99.0), "iRECIST")
    explanation = vt.explain_patient(result, 3)
    assert f"best response {explanation.best_response}" in e.readout_text
    assert "brake q" in e.readout_text and "criteria='iRECIST'" not in e.readout_text
    treated = np.asarray(e.figure.data[figs.P_TREATED].y)
    every = figs.PATIENT_EVERY
    assert treated == pytest.approx(np.maximum(result.log10_burden[3, ::every], figs.PATIENT_FLOOR), rel=1e-4)
    courses = [v for v in e.figure.data[figs.P_COURSES].y if v is not None]
    assert len(courses) == int(np.sum(result.regimen.on(result.t[::every])))
