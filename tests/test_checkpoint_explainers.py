"""Lesson 04: the cure-model survival explainer and the trial-evidence explainer, against their data."""


import pytest

from course.explainers import checkpoints as ex
from course.explainers.checkpoints import CheckpointEvidence, CureSurvival
from course.figures import checkpoints as figs
from course.figures.theme import description

COMBO_OS = "CheckMate 067 · nivolumab + ipilimumab · OS"


def test_evidence_keeps_the_latest_report_and_longest_landmark_per_arm():
    medians = ex.evidence_rows("median overall survival").set_index(["trial_name", "arm"])
    # Wolchok 2025 (10-year update) reports 71.9 months for the combination; the 2022 report said 72.1.
    assert medians.loc[("CheckMate 067", "nivolumab + ipilimumab"), "value"] == 71.9
    landmarks = ex.evidence_rows("overall survival at the latest landmark").set_index(["trial_name", "arm"])
    # KEYNOTE-006: 7-year OS 37.8 % (Robert 2023), not an earlier landmark
    assert landmarks.loc[("KEYNOTE-006", "pembrolizumab"), "timepoint_months"] == 84
    assert landmarks.loc[("KEYNOTE-006", "pembrolizumab"), "value"] == 37.8
    # the pooled ipilimumab analysis: its main result over all patients (22 %), not a subgroup
    pooled = [k for k in landmarks.index if k[0].startswith("Schadendorf")]
    assert len(pooled) == 1 and landmarks.loc[pooled[0], "value"] == 22.0


@pytest.mark.parametrize("measure", list(ex.MEASURES))
def test_every_measure_covers_the_lessons_cancers_once_per_arm(measure):
    rows = ex.evidence_rows(measure)
    assert set(rows["cancer"]) <= set(ex.LESSON_CANCERS) and "melanoma" in set(rows["cancer"])
    assert not rows.duplicated(["trial_name", "arm"]).any()
    assert rows["unit"].nunique() == 1


def test_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="measure must be one of"):
        ex.evidence_rows("happiness")


def test_evidence_figure_shows_every_arm_with_its_source():
    e = CheckpointEvidence(measure="objective response rate")
    rows = ex.evidence_rows("objective response rate")
    assert list(e.figure.data[0].x) == list(rows["value"])
    assert len(e.figure.layout.yaxis.ticktext) == len(rows)
    source = e.figure.layout.annotations[-1].text
    assert source.startswith("Source:") and len(source.split("<br>")) == rows["source"].nunique()
    assert "PMID: 27718847" in source  # Reck 2016 is cited by PMID: the short form must keep it
    assert "58 %" in e.readout_text and "nivolumab + ipilimumab" in e.readout_text


def test_every_survival_arm_has_two_points_and_its_fit_passes_near_them():
    arms = ex.survival_arms()
    assert COMBO_OS in arms and len(arms) >= 10
    for label, points in arms.items():
        fitted = ex.best_fit(points)
        error = abs(100 * fitted.survival(points["time_months"]) - points["survival_percent"]).max()
        assert error < 4.0, f"{label}: the cure model misses a published point by {error:.1f} points"


def test_published_long_term_survival_needs_a_plateau():
    # CheckMate 067 combination: 5-year OS 52 % (Larkin 2019) and a median of about 6 years:
    # only a curve that levels off near one half passes through both.
    fitted = ex.best_fit(ex.survival_arms()[COMBO_OS])
    assert 0.40 < fitted.plateau < 0.5


def test_student_curve_follows_the_sliders_and_the_readout_quotes_the_arm():
    c = CureSurvival()
    c.update(arm=COMBO_OS, plateau=45.0, median=70.0)
    assert max(c.figure.data[0].y) == pytest.approx(100.0)
    assert c.figure.data[3].y[0] == pytest.approx(45.0)
    assert "52 % at 60 months" in c.readout_text  # the arm's longest landmark, as published
    assert "median 70.0 months" in c.readout_text


def test_survival_figure_is_described_and_cites_its_points():
    c = CureSurvival()
    assert "plateau" in description(c.figure)
    assert "doi:10.1056/NEJMoa1910836" in c.figure.layout.annotations[-1].text  # Larkin 2019, 5-year OS


@pytest.mark.parametrize("regimen, short", [
    ("nivolumab 1 mg/kg + ipilimumab 3 mg/kg every 3 weeks for 4 doses, then nivolumab", "nivolumab + ipilimumab"),
    ("ipilimumab 3 mg/kg + gp100 peptide vaccine", "ipilimumab + gp100"),
    ("pembrolizumab 200 mg every 3 weeks", "pembrolizumab"),
])
def test_short_regimen_names_the_drugs_in_order(regimen, short):
    assert figs.short_regimen(regimen) == short
