"""The expected answers of lesson 08's exercises agree with the data and models they come from."""

import math

import pytest

from course import personalised
from course.checks import check
from course.checks import lesson08


def test_combination_fold_is_the_csv_ratio():
    assert lesson08.combination_fold() == pytest.approx(55 / 16)


def test_depot_keeps_the_site_above_the_level_for_weeks_and_the_bolus_does_not():
    assert 20 < lesson08.depot_days_above() < 40


def test_nanoparticle_answer_uses_the_median():
    assert lesson08.nanoparticle_mg_in_tumour() == pytest.approx(0.7)


def test_the_matching_option_is_the_matchers():
    assert lesson08.matching_letter() == "A"
    assert [m.rule_id for m in personalised.match(lesson08.PATIENT_084)] == ["pembro_tmb_10"]


@pytest.mark.parametrize("exercise, answer", [
    ("08.1", lesson08.combination_fold()), ("08.2", lesson08.depot_days_above()),
    ("08.3", lesson08.nanoparticle_mg_in_tumour()), ("08.4", "A")])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2], math.inf, ...):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong", "not answered") and feedback.message


def test_the_mean_instead_of_the_median_is_not_correct():
    assert check("08.3", 1.48).status != "correct"
    assert check("08.1", 96 / 82).status != "correct"
