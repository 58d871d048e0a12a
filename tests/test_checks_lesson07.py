"""The expected answers of lesson 07's exercises agree with the models and data they come from."""

import math

import pytest

from course.checks import check
from course.checks import lesson07
from course.models import conjugates as cj


def test_naming_answer_follows_the_name_rule_and_is_not_the_vocabulary_order():
    assert lesson07.naming_answer() == ("human", "murine", "humanized", "chimeric")
    assert check("07.1", list(lesson07.SOURCE_TYPES)).status != "correct"


def test_biological_half_life_gives_back_the_label_effective_half_life():
    t_bio = lesson07.zevalin_biological_half_life_h()
    t_phys = cj.RADIONUCLIDES["Y-90"].half_life_h
    assert 1 / (1 / t_phys + 1 / t_bio) == pytest.approx(cj.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H)
    assert t_bio > cj.ZEVALIN_SERUM_EFFECTIVE_HALF_LIFE_H


def test_tmdd_makes_low_doses_disappear_faster():
    assert lesson07.tmdd_half_life_ratio() > 2


def test_patient_antigen_density_is_shahs_patient_concentration():
    # Shah et al. (2012): 166 nM CD30 in patients' tumours; at 1e9 cells/mL that is about 1e5 per cell
    assert cj.antigen_concentration_nm(lesson07.PATIENT_ANTIGENS_PER_CELL) == pytest.approx(
        cj.SHAH_PATIENT_ANTIGEN_NM, rel=0.01)


def test_adc_steers_payload_to_the_tumour_more_with_more_antigen():
    assert lesson07.adc_tumour_to_healthy(1e5) > 1
    assert lesson07.adc_tumour_to_healthy(1e6) > lesson07.adc_tumour_to_healthy(1e4)


@pytest.mark.parametrize("exercise, answer", [
    ("07.1", list(lesson07.naming_answer())), ("07.2", lesson07.zevalin_biological_half_life_h()),
    ("07.3", lesson07.tmdd_half_life_ratio()), ("07.4", lesson07.adc_tumour_to_healthy()), ("07.5", "A")])
def test_right_answers_are_correct_and_malformed_ones_explained(exercise, answer):
    assert check(exercise, answer).status == "correct"
    for bad in (None, "abc", float("nan"), -1.0, [1, 2], math.inf):
        feedback = check(exercise, bad)
        assert feedback.status in ("invalid answer", "wrong") and feedback.message
